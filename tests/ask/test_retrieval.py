from __future__ import annotations

import numpy as np
import pytest

from advisor import Advisor
from advisor.ask.retrieval import rank_hits, reciprocal_rank_fusion


def test_reciprocal_rank_fusion() -> None:
    scores = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert scores[1] == 1 / 61 + 1 / 62
    assert scores[3] == 1 / 63 + 1 / 61
    assert scores[2] == 1 / 62
    assert sorted(scores, key=scores.get, reverse=True) == [1, 3, 2]


def test_intent_matches_rank_first() -> None:
    fused = {0: 0.9, 1: 0.5, 2: 0.1}
    intents = [frozenset(), frozenset({"pay"}), frozenset({"pay"})]
    assert rank_hits(fused, intents, "pay") == [1, 2, 0]
    assert rank_hits(fused, intents, "other") == [0, 1, 2]


def test_faiss_search_equals_numpy_brute_force(advisor: Advisor) -> None:
    stored = advisor.stored
    vectors = stored.all_vectors()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    for question in ["salary of a machine learning architect", "cloud certifications", "credit risk career path"]:
        query = advisor.embedder.embed_query(question)
        expected = np.argsort(-(vectors @ query))[:10]
        _scores, found = stored.vectors.search(query.reshape(1, -1), 10)
        assert list(found[0]) == list(expected)


def test_search_stays_inside_the_allowed_passages(advisor: Advisor) -> None:
    chunks = advisor.stored.chunks
    cloud = [i for i, c in enumerate(chunks) if c.role == "Senior Cloud Engineer"]
    hits = advisor.retriever.search("salary median range", cloud, "pay")
    assert hits and all(h.chunk.role == "Senior Cloud Engineer" for h in hits)
    assert advisor.retriever.search("anything", [], "pay") == []


def test_lexical_and_dense_both_contribute(advisor: Advisor) -> None:
    hits = advisor.retriever.search("Terraform Ansible infrastructure-as-code", None, "other", k=3)
    top = hits[0]
    assert "Terraform" in top.chunk.text
    assert top.lexical_rank == 1 and top.dense_rank is not None


def test_filtered_dense_search_is_exact_on_either_path(advisor: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A role's passages are scored directly; a large subset goes through the index with a filter: same result."""
    from advisor.indexing import vector_index

    stored, vectors = advisor.stored, advisor.stored.all_vectors()
    allowed = np.array([i for i, c in enumerate(stored.chunks) if c.role != "Senior Cloud Engineer"])
    query = advisor.embedder.embed_query("what do they earn")
    direct = vector_index.search(stored.vectors, vectors, query, allowed, 12)
    monkeypatch.setattr(vector_index, "DIRECT_SUBSET_MAX", 0)
    filtered = vector_index.search(stored.vectors, vectors, query, allowed, 12)
    expected = allowed[np.argsort(-(vectors[allowed] @ query))[:12]]
    assert direct[0] == filtered[0] == [int(i) for i in expected]
    assert np.allclose(direct[1], filtered[1], atol=1e-5)
