"""The FAISS index chosen by corpus size, and dense search over all passages or a subset of them.

Exact inner product (IndexFlatIP) up to `hnsw_min_vectors` vectors: measured on 2 cores it answers in under 4 ms at
50,000 vectors, and it is exact. Above that, HNSW (IndexHNSWFlat), whose recall against exact search the benchmark
reports. A search restricted to a few passages (one role's) is exact in either case: it scores those vectors
directly, since a graph search with most nodes filtered out loses recall.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from .manifest import VectorIndexInfo

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512
# Up to this many allowed passages, score them directly instead of asking the index with a filter.
DIRECT_SUBSET_MAX = 4096


def index_type(vectors: int, hnsw_min_vectors: int) -> str:
    """ "hnsw" or "flat": the index type for a corpus of this many vectors."""
    return "hnsw" if vectors >= hnsw_min_vectors else "flat"


def build(vectors: np.ndarray, dimension: int, hnsw_min_vectors: int) -> tuple[faiss.Index, VectorIndexInfo]:
    """The index for these vectors, and its description for the manifest."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index: faiss.Index
    if index_type(len(vectors), hnsw_min_vectors) == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        described = VectorIndexInfo("hnsw", HNSW_M, HNSW_EF_CONSTRUCTION)
    else:
        index = faiss.IndexFlatIP(dimension)
        described = VectorIndexInfo("flat")
    if len(vectors):
        index.add(vectors)
    return index, described


def matrix(index: faiss.Index) -> np.ndarray:
    """The stored vectors as a (n, d) array without copying them (both index types keep them uncompressed).
    The array points into the index's memory: keep the index alive as long as the array."""
    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    if not isinstance(flat, faiss.IndexFlat) or flat.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32) if index.ntotal == 0 else index.reconstruct_n(0, index.ntotal)
    view = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
    view.flags.writeable = False
    return view


def search(
    index: faiss.Index, vectors: np.ndarray, query: np.ndarray, allowed: np.ndarray | None, depth: int
) -> tuple[list[int], list[float]]:
    """The `depth` best (position, score) pairs among `allowed` positions (all when None), best first."""
    if allowed is not None and len(allowed) <= DIRECT_SUBSET_MAX:
        scores = vectors[allowed] @ query
        top = np.argsort(-scores, kind="stable")[:depth]
        return [int(allowed[i]) for i in top], [float(scores[i]) for i in top]
    selector = faiss.IDSelectorBatch(allowed) if allowed is not None else None
    # faiss's bundled type stubs lack the search parameters' classes and keywords; they exist at run time.
    params: Any
    if isinstance(index, faiss.IndexHNSW):
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, depth))  # type: ignore[attr-defined]
    else:
        params = faiss.SearchParameters(sel=selector) if selector is not None else None  # type: ignore[call-arg]
    scores, found = index.search(query.reshape(1, -1), depth, params=params)
    pairs = [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]
    return [i for i, _s in pairs], [s for _i, s in pairs]
