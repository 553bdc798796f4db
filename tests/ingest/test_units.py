"""A document's answer units: sentences and list items with their headings and lead-ins, the lists they
belong to, and what is only a remark on the text or about the document itself."""

from __future__ import annotations

from pathlib import Path

from advisor.config import ChunkSettings
from advisor.ingest.chunking import chunk_document
from advisor.ingest.documents import read_document
from advisor.ingest.units import document_units
from advisor.records import Unit

DOC = """---
role: Harbor Pilot
---
# Harbor Pilot

## Duties

Harbor pilots work on every kind of ship. Key duties include:

- Guide ships through the harbor. Board them at sea.
- **Training**: Teach junior pilots

Other duties:

- Keep the logbook

These duties make the port safe.

## Challenges

Pilots face many challenges. Here are the main ones:

### Weather

- Fog and storms

## Source and License

Used under the CC BY 4.0 license.
"""


def _units(tmp_path: Path) -> list[Unit]:
    path = tmp_path / "pilot.md"
    path.write_text(DOC, encoding="utf-8")
    doc = read_document(path, "pilot.md")
    return document_units(doc, chunk_document(doc, ChunkSettings(max_tokens=200, overlap_tokens=20)))


def test_units_are_sentences_and_items_with_their_lead_in_and_offsets(tmp_path: Path) -> None:
    units = {u.text: u for u in _units(tmp_path)}
    guide, board = units["Guide ships through the harbor."], units["Board them at sea."]
    assert (guide.kind, guide.label, guide.section) == ("item", "Key duties include", ("Duties",))
    assert board.label == "Key duties include" and board.group == guide.group  # two sentences, one item
    training = units["Teach junior pilots"]
    assert training.label == "Training" and training.group == guide.group  # an inline label, the same list
    assert units["Keep the logbook"].label == "Other duties" and units["Keep the logbook"].group != guide.group
    assert units["Harbor pilots work on every kind of ship."].kind == "prose"
    assert "Key duties include:" not in units  # a lead-in labels its list; it is no statement


def test_remarks_on_the_text_are_notes_and_lines_about_the_document_are_its_source(tmp_path: Path) -> None:
    units = {u.text: u for u in _units(tmp_path)}
    assert units["These duties make the port safe."].kind == "note"  # sums up the list above it
    assert units["Here are the main ones:"].kind == "note"  # frames the subsections after it
    assert units["Pilots face many challenges."].kind == "prose"
    assert units["Used under the CC BY 4.0 license."].kind == "source"


def test_every_unit_is_held_by_a_chunk_and_keyed_by_what_it_is_embedded_as(tmp_path: Path) -> None:
    units = _units(tmp_path)
    assert all(u.chunk_id for u in units)
    assert len({u.key for u in units}) == len(units)
    fog = next(u for u in units if u.text == "Fog and storms")
    assert fog.section == ("Challenges", "Weather") and fog.embed_text == "Weather: Fog and storms"
