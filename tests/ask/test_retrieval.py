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


def test_search_stays_inside_the_allowed_passages(fake_advisor: Advisor) -> None:
    chunks = fake_advisor.stored.chunks
    cloud = [i for i, c in enumerate(chunks) if c.role == "Senior Cloud Engineer"]
    hits = fake_advisor.retriever.search("salary median range", cloud, "pay")
    assert hits and all(h.chunk.role == "Senior Cloud Engineer" for h in hits)
    assert fake_advisor.retriever.search("anything", [], "pay") == []


def test_lexical_and_dense_both_contribute(fake_advisor: Advisor) -> None:
    hits = fake_advisor.retriever.search("Terraform Ansible infrastructure-as-code", None, "other", k=3)
    top = hits[0]
    assert "Terraform" in top.chunk.text
    assert top.lexical_rank == 1 and top.dense_rank is not None


def test_a_passage_found_inside_a_section_comes_after_the_section_start(fake_advisor: Advisor) -> None:
    retriever = fake_advisor.retriever
    sections: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, c in enumerate(retriever.chunks):
        sections.setdefault((c.doc_id, c.section), []).append(i)
    long = next(ids for ids in sections.values() if len(ids) >= 3)
    last = retriever.chunks[long[-1]]
    hits = retriever.search(last.text, long, None, k=1)
    assert [retriever.position_of(h.chunk) for h in hits] == [long[0], long[-1]]


def test_passages_about_an_intent_are_known(fake_advisor: Advisor) -> None:
    retriever = fake_advisor.retriever
    cloud = [i for i, c in enumerate(retriever.chunks) if c.role == "Senior Cloud Engineer"]
    architect = [i for i, c in enumerate(retriever.chunks) if c.role == "ML Performance Architect"]
    assert retriever.any_about(architect, "pay") and not retriever.any_about(cloud, "pay")
    assert retriever.any_about(None, "requirements")


def test_filtered_dense_search_is_exact_on_either_path(fake_advisor: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A role's passages are scored directly; a large subset goes through the index with a filter: same result."""
    from advisor.indexing import vector_index

    stored, vectors = fake_advisor.stored, fake_advisor.stored.all_vectors()
    allowed = np.array([i for i, c in enumerate(stored.chunks) if c.role != "Senior Cloud Engineer"])
    query = fake_advisor.embedder.embed_query("what do they earn")
    direct = vector_index.search(stored.vectors, vectors, query, allowed, 12)
    monkeypatch.setattr(vector_index, "DIRECT_SUBSET_MAX", 0)
    filtered = vector_index.search(stored.vectors, vectors, query, allowed, 12)
    expected = allowed[np.argsort(-(vectors[allowed] @ query))[:12]]
    assert direct[0] == filtered[0] == [int(i) for i in expected]
    assert np.allclose(direct[1], filtered[1], atol=1e-5)
