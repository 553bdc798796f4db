from __future__ import annotations

import pytest

from advisor.ask.intent import passage_intents, question_facets, question_intent, section_intents, text_facets


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("How much does an ML Performance Architect make?", "pay"),
        ("what do nursing assistants make an hour?", "pay"),
        ("assembly line team assemblers make how much a year", "pay"),
        ("What is the salary of a Senior Cloud Engineer?", "pay"),
        ("What does a cloud engineer earn?", "pay"),
        ("who makes more, an LPN or a medical assistant?", "pay"),
        ("What degree do I need?", "requirements"),
        ("Which automation tools should I know?", "requirements"),
        ("How many years of experience are required?", "requirements"),
        ("How can I grow from there?", "growth"),
        ("What is the career path?", "growth"),
        ("Is there demand for this role?", "growth"),
        ("What does a Senior Credit Risk Analyst do?", "responsibilities"),
        ("What are the main duties?", "responsibilities"),
        ("what would my day look like as a senior cloud engineer", "responsibilities"),
        # The people of the work are no duty: wherever the document speaks of them.
        ("who do they work with mostly", "other"),
        ("who would i be working with day to day", "other"),
        ("what kind of problems would i be solving", "responsibilities"),
        ("what does an ml performance architect spend their time on", "responsibilities"),
        ("what do they spend most of their days doing?", "responsibilities"),
        ("how much time off do they get?", "other"),
        ("Tell me about the Senior Cloud Engineer role.", "other"),
        ("What is the capital of France?", "other"),
    ],
)
def test_question_intent(question: str, intent: str) -> None:
    assert question_intent(question) == intent


def test_section_and_passage_intents() -> None:
    assert section_intents(("Salary Ranges (US Market, 2024)", "Benefits and Perks")) == {"pay"}
    assert section_intents(("Career Development", "Educational Foundation")) == {"growth", "requirements"}
    assert "requirements" in passage_intents(("Introduction",), "Most positions require:\n\n- A bachelor's degree")
    assert "pay" in passage_intents(("Overview",), "Salaries range from $150,000 to $223,000.")
    assert "pay" not in passage_intents(("Key Responsibilities",), "Optimize cloud cost and scalability.")


def test_who_someone_works_with_is_a_sub_topic_said_in_a_lines_own_words() -> None:
    assert "collaboration" in question_facets("do they work solo or in a team?")
    assert "collaboration" in question_facets("who would I be working with?")
    assert "collaboration" not in question_facets("what tools do they work with?")
    assert text_facets("Work closely with development teams, QA, software architects, and stakeholders")
    assert text_facets("Negotiate project timelines, resources, and stakeholder expectations")
    assert not text_facets("Work with Python and C++ daily")


def test_where_figures_come_from_is_a_sub_topic_of_its_own() -> None:
    assert "provenance" in question_facets("are those salary numbers real data or just guesses?")
    assert "provenance" in question_facets("where does this pay info come from")
    assert "provenance" not in question_facets("what does it pay?")
    assert "provenance" not in question_facets("do they need to be reliable and accurate?")  # a trait of the work
    assert "provenance" in text_facets("These estimates are based on comparable roles and industry trends.")
