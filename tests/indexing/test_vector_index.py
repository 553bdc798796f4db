"""The vector index against NumPy brute force, at sizes where a wrong search would show: thousands of vectors,
searched whole, through FAISS's filter and directly; and HNSW at a size where it does not visit everything."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from advisor.indexing import vector_index

DIMENSION = 64


def _clustered(rng: np.random.Generator, n: int, centers: int = 200) -> np.ndarray:
    """Unit vectors around a few hundred centers, as sentence embeddings of related passages lie."""
    middle = rng.normal(size=(centers, DIMENSION))
    points = middle[rng.integers(0, centers, n)] + 0.6 * rng.normal(size=(n, DIMENSION))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def _exact(vectors: np.ndarray, query: np.ndarray, allowed: np.ndarray | None, k: int) -> list[int]:
    ids = np.arange(len(vectors)) if allowed is None else allowed
    scores = vectors[ids] @ query
    return [int(ids[i]) for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.mark.parametrize("allowed_size", [None, 2_000, 6_000])
def test_exact_index_returns_the_brute_force_top_k(allowed_size: int | None) -> None:
    """All passages, a subset scored directly (<= DIRECT_SUBSET_MAX), a subset through FAISS's filter."""
    rng = np.random.default_rng(1)
    vectors = _clustered(rng, 8_000)
    index, info = vector_index.build(vectors, DIMENSION, hnsw_min_vectors=50_000)
    assert info.type == "flat"
    matrix = vector_index.matrix(index)
    allowed = None if allowed_size is None else np.sort(rng.choice(len(vectors), allowed_size, replace=False))
    for query in _clustered(rng, 20):
        found, scores = vector_index.search(index, matrix, query, allowed, 15)
        assert found == _exact(vectors, query, allowed, 15)
        assert scores == sorted(scores, reverse=True)
        if allowed is not None:
            assert set(found) <= set(allowed.tolist())


def test_hnsw_recall_where_the_graph_search_does_not_visit_every_vector() -> None:
    rng = np.random.default_rng(2)
    vectors = _clustered(rng, 20_000)
    index, info = vector_index.build(vectors, DIMENSION, hnsw_min_vectors=10_000)
    assert info.type == "hnsw" and isinstance(index, faiss.IndexHNSW)
    matrix = vector_index.matrix(index)
    queries = _clustered(rng, 50)
    faiss.cvar.hnsw_stats.reset()
    recall = [
        len(set(vector_index.search(index, matrix, q, None, 10)[0]) & set(_exact(vectors, q, None, 10))) / 10
        for q in queries
    ]
    visited = faiss.cvar.hnsw_stats.ndis / len(queries)
    assert visited < 0.6 * len(vectors), f"the search compared {visited:.0f} of {len(vectors)} vectors per query"
    assert np.mean(recall) >= 0.95
    # A large filter goes through the graph too, and keeps to the allowed vectors.
    allowed = np.sort(rng.choice(len(vectors), 10_000, replace=False))
    found = [vector_index.search(index, matrix, q, allowed, 10)[0] for q in queries[:20]]
    assert all(set(f) <= set(allowed.tolist()) for f in found)
    filtered = [len(set(f) & set(_exact(vectors, q, allowed, 10))) / 10 for f, q in zip(found, queries, strict=False)]
    assert np.mean(filtered) >= 0.9


def test_matrix_is_a_read_only_view_of_the_stored_vectors() -> None:
    rng = np.random.default_rng(3)
    vectors = _clustered(rng, 500)
    for threshold in (10_000, 100):  # flat, then HNSW
        index, _info = vector_index.build(vectors, DIMENSION, hnsw_min_vectors=threshold)
        matrix = vector_index.matrix(index)
        assert np.array_equal(matrix, vectors) and not matrix.flags.writeable
