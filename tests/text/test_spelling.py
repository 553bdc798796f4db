"""Typos mended against the documents' words (and then the model's), real words left alone."""

from __future__ import annotations

from advisor.text.spelling import Speller

DOCUMENT_WORDS = ["senior", "senior", "senior", "sensor", "salary", "experience", "engineer", "responsibilities"]
MODEL_WORDS = ("which", "with", "witch", "should", "clearance", "visa")


def test_typos_become_the_document_word_fewest_edits_away_the_commonest_of_equals() -> None:
    speller = Speller(DOCUMENT_WORDS, MODEL_WORDS)
    assert speller.correct("senoir cloud enginer salery?") == "senior cloud engineer salary?"
    assert speller.correct("Experiance and resposibilities") == "Experience and responsibilities"


def test_words_the_documents_do_not_use_are_mended_to_the_models_words() -> None:
    speller = Speller(DOCUMENT_WORDS, MODEL_WORDS)
    assert speller.correct("wich roles, shoud i") == "which roles, should i"


def test_real_words_and_short_words_stay_as_they_are() -> None:
    speller = Speller(DOCUMENT_WORDS, MODEL_WORDS)
    assert speller.correct("does it sponsor a visa, tho?") == "does it sponsor a visa, tho?"
    assert speller.correct("k8s or SQL") == "k8s or SQL"


def test_a_shortening_of_a_document_word_becomes_that_word_not_a_word_a_letter_away() -> None:
    speller = Speller([*DOCUMENT_WORDS, "collaborating", "collaborating", "collaboration"], (*MODEL_WORDS, "collar"))
    assert speller.correct("who do they collab with?") == "who do they collaborating with?"


def test_a_three_letter_typo_is_mended_only_by_a_swap_of_two_letters_to_the_commonest_word() -> None:
    speller = Speller(["and"], ("ask", "the", "ski", "sky", "aws"))
    assert speller.correct("any tips on what to aks? teh pay adn perks") == "any tips on what to ask? the pay and perks"
    # Not a swap away from a word: left as typed ("qa", "sql" and "dod" may be names).
    assert speller.correct("dod rules, qa and sql") == "dod rules, qa and sql"
    # Of two swaps that make words, the commoner: "sak" could be "ask" or "ska"; "ask" comes first.
    assert Speller([], ("ask", "ska")).correct("sak") == "ask"
