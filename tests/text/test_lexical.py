"""Word-level helpers: words, stems, role tokens, content words, and the small expansion of abbreviations."""

from __future__ import annotations

from advisor.text.lexical import content_stems, expand, role_tokens, singular, stem, words


def test_words_are_lower_case_and_keep_programming_names_and_possessives() -> None:
    assert words("C++ and C# for a Bachelor’s degree") == ["c++", "and", "c#", "for", "a", "bachelor's", "degree"]


def test_stems_match_inflections() -> None:
    assert stem("salaries") == stem("salary")
    assert stem("engineering") == stem("engineer") or stem("engineers") == stem("engineer")
    assert singular("analysts") == "analyst" and singular("class") == "class"
    assert singular("men") == "man" and singular("firemen") == "fireman" and singular("specimen") == "specimen"


def test_role_tokens_are_singular_with_abbreviations_expanded() -> None:
    assert role_tokens("Senior Cloud Engineers") == ["senior", "cloud", "engineer"]
    assert role_tokens("ML Performance Architect's") == ["machine", "learning", "performance", "architect"]


def test_content_stems_leave_out_stopwords_and_excluded_words() -> None:
    found = content_stems("What is the salary of a cloud engineer?", exclude=frozenset({stem("cloud")}))
    assert stem("salary") in found and stem("engineer") in found
    assert stem("cloud") not in found and "the" not in found and "what" not in found


def test_abbreviations_expand_to_their_words() -> None:
    expanded = expand(["ml", "roles"])
    assert "machine" in expanded and "learning" in expanded
    assert expand(["info", "security"]) == ["information", "security"]
