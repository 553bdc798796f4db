from __future__ import annotations

import hashlib
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.config import ChunkSettings
from advisor.ingest.chunking import chunk_document, count_tokens
from advisor.ingest.documents import read_folder
from advisor.records import Document, Section
from advisor.text.units import units

from ..conftest import CORPUS

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
_sentence = st.lists(_word, min_size=1, max_size=40).map(lambda ws: " ".join(ws).capitalize() + ".")
_line = st.one_of(
    _sentence, _sentence.map(lambda s: "- " + s), st.lists(_sentence, min_size=2, max_size=6).map(" ".join)
)
_body = st.lists(_line, min_size=1, max_size=25).map("\n".join)


def _doc(bodies: list[str]) -> Document:
    text, sections = "", []
    for i, body in enumerate(bodies):
        text += f"## S{i}\n\n"
        start = len(text)
        text += body
        sections.append(Section((f"S{i}",), start, len(text)))
        text += "\n\n"
    return Document("d", "Role", "r.md", text, tuple(sections), hashlib.sha256(text.encode()).hexdigest())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(_body, min_size=1, max_size=3), max_tokens=st.integers(20, 120), overlap=st.integers(0, 10))
def test_chunks_map_back_stay_in_budget_and_cover_every_section(
    bodies: list[str], max_tokens: int, overlap: int
) -> None:
    doc = _doc(bodies)
    chunk_settings = ChunkSettings(max_tokens=max_tokens, overlap_tokens=overlap)
    chunks = chunk_document(doc, chunk_settings)
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.n_tokens == count_tokens(chunk.text) <= max_tokens
        # never across sections
        section = next(s for s in doc.sections if s.path == chunk.section)
        assert section.start <= chunk.start < chunk.end <= section.end
    for section in doc.sections:
        covered = [False] * (section.end - section.start)
        for chunk in (c for c in chunks if c.section == section.path):
            for i in range(chunk.start, chunk.end):
                covered[i - section.start] = True
        missing = [doc.text[section.start + i] for i, ok in enumerate(covered) if not ok]
        assert all(ch.isspace() for ch in missing)


def test_chunks_end_at_sentence_or_list_item_boundaries() -> None:
    doc = _doc(["First sentence is right here. Second sentence follows it closely.\n- item one is here\n- item two"])
    chunks = chunk_document(doc, ChunkSettings(max_tokens=16, overlap_tokens=0))
    assert [c.text for c in chunks] == [
        "First sentence is right here. Second sentence follows it closely.",
        "- item one is here\n- item two",
    ]


def test_overlap_repeats_the_last_units_of_the_previous_chunk() -> None:
    doc = _doc(["\n".join(f"- bullet number {i} in a long list" for i in range(12))])
    chunks = chunk_document(doc, ChunkSettings(max_tokens=40, overlap_tokens=12))
    assert len(chunks) > 1
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end  # the next chunk starts inside the previous one
        assert after.end > before.end


def test_sentence_splitting_keeps_abbreviations() -> None:
    text = "A master's or Ph.D. in Computer Science is typical. Certifications (e.g. AWS) help. Done!"
    assert [text[s:e] for s, e in units(text)] == [
        "A master's or Ph.D. in Computer Science is typical.",
        "Certifications (e.g. AWS) help.",
        "Done!",
    ]


def test_ids_are_stable_and_embed_text_names_role_and_section() -> None:
    docs = read_folder(CORPUS).documents
    cloud = next(d for d in docs if d.role == "Senior Cloud Engineer")
    first = chunk_document(cloud, ChunkSettings())
    again = chunk_document(cloud, ChunkSettings())
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)
    skills = next(c for c in first if c.section == ("Required Skills and Qualifications",))
    assert skills.embed_text.startswith("Senior Cloud Engineer > Required Skills and Qualifications\n")
