"""Building the index: embedding, the vector index, generations on disk. Faces use Library."""

from .library import Library
from .report import BuildReport

__all__ = ["BuildReport", "Library"]
