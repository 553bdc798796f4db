"""Sentences and list items with their offsets, and text made safe to encode and to print."""

from __future__ import annotations

import pytest

from advisor.text.units import (
    has_lone_surrogate,
    is_list_item,
    printable,
    printable_unicode,
    strip_list_marker,
    units,
)


def test_units_are_whole_list_items_and_sentences_with_offsets_into_the_text() -> None:
    text = "Most positions require:\n\n- A bachelor's degree in CS.\n2. Five years. Then more.\nOne. Two.\n"
    spans = list(units(text))
    pieces = [text[s:e] for s, e in spans]
    assert pieces == [
        "Most positions require:",
        "- A bachelor's degree in CS.",
        "2. Five years. Then more.",  # a list item stays whole
        "One.",
        "Two.",
    ]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "A Ph.D. is preferred. It helps."
    assert [text[s:e] for s, e in units(text)] == ["A Ph.D. is preferred.", "It helps."]


@pytest.mark.parametrize(
    ("unit", "listed", "body"), [("- item", True, "item"), ("3) step", True, "step"), ("Text.", False, "Text.")]
)
def test_list_markers(unit: str, listed: bool, body: str) -> None:
    assert is_list_item(unit) is listed
    assert strip_list_marker(unit) == body


def test_lone_surrogates_are_found_and_replaced() -> None:
    assert has_lone_surrogate("pay \ud800") and not has_lone_surrogate("pay 💷")
    assert printable_unicode("a\udfffb") == "a\ufffdb"
    assert printable_unicode("a\udfffb").encode("utf-8")


def test_printable_removes_terminal_controls_and_keeps_lines() -> None:
    assert printable("title\x1b]0;PWNED\x07 set\u202e\x9b\nnext\tcol") == "title]0;PWNED set\nnext\tcol"


def test_a_unit_is_embedded_without_its_own_roles_name() -> None:
    from advisor.records import without_title

    role = "Senior Communications Systems Engineer"
    said = "Senior Communications Systems Engineers work in diverse environments; a communications systems engineer"
    assert without_title(said, role) == "work in diverse environments;"
    assert without_title("A registered nurse cares for patients.", "Registered Nurses") == "cares for patients."
    assert without_title("ML Performance Architect", "ML Performance Architect") == "ML Performance Architect"
    assert without_title("Teachers plan lessons.", "Elementary School Teachers, Except Special Education") == (
        "Teachers plan lessons."
    )
