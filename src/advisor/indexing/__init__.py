"""Building the index: embedding, the vector index, generations on disk. Faces use Library."""

from .build import BuildReport
from .library import Library

__all__ = ["BuildReport", "Library"]
