from __future__ import annotations

import re

import pytest
import yaml

from advisor import Advisor
from advisor.errors import BadQuestionError
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.records import Answer

from ..conftest import make_settings


def test_pay_question_gives_the_salary_section_figures_with_citations(advisor: Advisor) -> None:
    answer = advisor.ask("How much does an ML Performance Architect make?")
    assert not answer.abstained and answer.role == "ML Performance Architect" and answer.intent == "pay"
    assert "$185,000 - $205,000" in answer.text and "$150,000 - $230,000" in answer.text
    cited = answer.citations[0]
    assert cited.section == "Salary Ranges (US Market, 2024) > ML Performance Architect (Estimated)"
    assert cited.source == "ml-performance-architect.md" and "Median Salary" in cited.text
    # Every statement carries a marker that points at a citation.
    statements = [
        line for line in answer.text.splitlines() if line.lstrip().startswith("- ") and not line.endswith(":")
    ]
    numbers = {c.n for c in answer.citations}
    assert statements and all(int(re.search(r"\[(\d+)\]$", s).group(1)) in numbers for s in statements)


def test_related_role_figures_are_never_presented_as_the_asked_roles(advisor: Advisor) -> None:
    answer = advisor.ask("How much does an ML Performance Architect make?")
    for figure in ("$171,000", "$195,523", "$157,969"):
        assert figure not in answer.text


def test_a_related_role_named_in_another_document_is_answered_with_its_origin(advisor: Advisor) -> None:
    answer = advisor.ask("What does a machine learning engineer earn?")
    assert not answer.abstained and answer.role == "Machine Learning Engineer"
    assert "$157,969" in answer.text and "$185,000" not in answer.text
    assert "ML Performance Architect document" in answer.text
    assert all(c.section.endswith("Machine Learning Engineer") for c in answer.citations)


def test_a_related_role_named_only_in_a_salary_table_is_never_called_a_document(advisor: Advisor) -> None:
    answer = advisor.ask("what degree does a machine learning architect need?")
    assert answer.abstained and "Machine Learning Architect document" not in answer.text
    assert answer.text.startswith("There is no role document for Machine Learning Architect: the ML Performance")


def test_pay_for_a_role_without_pay_figures_abstains_without_any_figure(advisor: Advisor) -> None:
    answer = advisor.ask("What is the salary of a Senior Cloud Engineer?")
    assert answer.abstained and answer.role == "Senior Cloud Engineer" and answer.intent == "pay"
    assert "$" not in answer.text and not answer.citations
    assert "Required Skills and Qualifications" in answer.text  # says what the document does cover


def test_unknown_role_and_off_topic_questions_abstain(advisor: Advisor) -> None:
    nurse = advisor.ask("How much does a registered nurse earn?")
    assert nurse.abstained and "registered nurse" in nurse.text and "Senior Cloud Engineer" in nurse.text
    france = advisor.ask("What is the capital of France?")
    assert france.abstained and not france.citations
    # A word of a document ("Seattle", among the salary factors) does not make a question about a role.
    weather = advisor.ask("whats the weather gonna be in seattle tomorrow")
    assert weather.abstained and not weather.citations
    # A question on work that names no role is still answered from the closest role.
    remote = advisor.ask("can you work remotely in a hybrid setting?")
    assert not remote.abstained and remote.citations


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("air traffic controller pay", "air traffic controller"),
        ("how much do firefighters make", "firefighters"),
        ("product mgr career path?", "product mgr"),
    ],
)
def test_a_question_on_what_no_document_says_is_not_answered_from_the_closest_role(
    advisor: Advisor, question: str, named: str
) -> None:
    # Words no document says name what the question is about (here a job the head-noun list does not know):
    # the closest role's pay or path would be another role's figures.
    answer = advisor.ask(question)
    assert answer.abstained and not answer.citations and "$" not in answer.text
    assert f"None of the role documents mention “{named}”" in answer.text
    assert "Senior Credit Risk Analyst" in answer.text  # what they do cover


def test_a_word_that_only_carries_the_sentence_does_not_stop_the_closest_role_answer(advisor: Advisor) -> None:
    answer = advisor.ask("what tech skills should i have going into a senior cloud role")
    assert not answer.abstained and answer.citations and answer.citations[0].role == "Senior Cloud Engineer"


def _after(advisor: Advisor, first: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": first}, {"role": "assistant", "content": advisor.ask(first).text}]


def test_a_follow_up_on_a_job_no_document_has_is_not_answered_from_the_earlier_role(advisor: Advisor) -> None:
    answer = advisor.ask("and air traffic controllers?", _after(advisor, "what does a credit risk analyst do?"))
    assert answer.abstained and not answer.citations
    assert "None of the role documents mention “air traffic controllers”" in answer.text
    # A follow-up whose words the earlier role's document does say stays on that role.
    remote = advisor.ask(
        "is it remote friendly?", _after(advisor, "what skills does a senior computer vision engineer need")
    )
    assert not remote.abstained and remote.citations[0].role == "Senior Computer Vision Engineer"


def test_a_place_in_the_conversation_with_one_role_so_far_is_no_job_no_document_has(advisor: Advisor) -> None:
    answer = advisor.ask("the second one?", _after(advisor, "what does a senior cloud engineer do?"))
    assert "None of the role documents mention" not in answer.text and answer.role == "Senior Cloud Engineer"


def test_follow_up_takes_the_role_from_history(advisor: Advisor) -> None:
    first = "Tell me about the Senior Cloud Engineer role."
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": advisor.ask(first).text}]
    answer = advisor.ask("Which automation tools should I know?", history)
    assert answer.role == "Senior Cloud Engineer" and not answer.abstained
    assert "Terraform and Ansible" in answer.text
    assert all(c.role == "Senior Cloud Engineer" for c in answer.citations)


def test_follow_up_naming_another_role_keeps_the_topic(advisor: Advisor) -> None:
    history = [{"role": "user", "content": "What does an ML Performance Architect earn?"}]
    answer = advisor.ask("And a Senior Cloud Engineer?", history)
    assert answer.abstained and answer.intent == "pay" and "$" not in answer.text


def test_answer_to_dict_contract(advisor: Advisor) -> None:
    data = advisor.ask("What degree does a Senior Cloud Engineer need?").to_dict()
    assert set(data) == {"answer", "citations", "role", "intent", "abstained", "not_mentioned", "act"}
    assert data["act"] == "answer"
    assert data["citations"] and set(data["citations"][0]) == {"n", "role", "section", "source", "text", "score"}
    assert isinstance(data["citations"][0]["score"], float)
    assert "Bachelor's degree in Computer Science" in data["answer"]


@pytest.mark.parametrize(
    ("question", "history", "message"),
    [
        ("", None, "empty"),
        ("   \n ", None, "empty"),
        ("x" * 5000, None, "limit is 2000"),
        (42, None, "must be text"),
        ("What do they earn?", "not a list", "history must be a list"),
        ("What do they earn?", [{"content": "hi"}], "history[0]"),
    ],
)
def test_bad_input_gets_a_clear_message(advisor: Advisor, question: object, history: object, message: str) -> None:
    with pytest.raises(BadQuestionError, match=re.escape(message)):
        advisor.ask(question, history)  # type: ignore[arg-type]


def _chat(advisor: Advisor, *questions: str) -> list[str]:
    history: list[dict[str, str]] = []
    answers = []
    for question in questions:
        answer = advisor.ask(question, history).text
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        answers.append(answer)
    return answers


def test_two_roles_compared_each_from_its_own_document(advisor: Advisor) -> None:
    answer = advisor.ask("which pays more, ml perf architect or sr cloud eng?")
    lines = answer.text.splitlines()
    assert lines[0].startswith("Only the ML Performance Architect document gives a figure: ")
    assert "- Senior Cloud Engineer: the document does not mention pay." in lines
    assert {c.role for c in answer.citations} == {"ML Performance Architect"}


def test_which_of_all_the_roles_names_the_ones_that_say_so_and_the_rest(advisor: Advisor) -> None:
    answer = advisor.ask("which roles need a phd?")
    first, *rest = answer.text.splitlines()
    assert "ML Performance Architect" in first and "Senior Computer Vision Engineer" in first
    assert rest[-1].endswith("documents do not mention it.") and "Senior Cloud Engineer" in rest[-1]
    assert {c.role for c in answer.citations} == {"ML Performance Architect", "Senior Computer Vision Engineer"}


def test_what_two_roles_have_in_common(advisor: Advisor) -> None:
    answer = advisor.ask("what do a senior cloud engineer and a senior cv engineer have in common?")
    assert "- Both name Python [" in answer.text
    assert {c.role for c in answer.citations} == {"Senior Cloud Engineer", "Senior Computer Vision Engineer"}


def test_follow_ups_by_field_by_both_and_by_topic(advisor: Advisor) -> None:
    degree, cloud, both = _chat(
        advisor, "what degree for an ml performance architect", "and the cloud one?", "compare both"
    )
    assert "Ph.D." in degree and "Bachelor's degree in Computer Science" in cloud
    assert "- ML Performance Architect:" in both and "- Senior Cloud Engineer:" in both
    years, credit = _chat(advisor, "how many yrs xp for a comms systems engineer?", "what about the credit one")
    assert "5-15 years" in years
    assert credit.startswith("The Senior Credit Risk Analyst document does not say how many years of experience")


def test_a_specific_point_the_document_lacks_is_said_plainly(advisor: Advisor) -> None:
    answer = advisor.ask("do credit risk analysts need to know python")
    assert answer.text.startswith("The Senior Credit Risk Analyst document does not mention python.")
    assert "It is mentioned in the ML Performance Architect document" in answer.text
    assert all(c.role != "Senior Credit Risk Analyst" or "Python" not in c.text for c in answer.citations)


def test_typos_and_shorthand_are_understood(advisor: Advisor) -> None:
    answer = advisor.ask("whats the salery for a senoir ml perfomance architect")
    assert "Median Salary: $185,000 - $205,000" in answer.text.splitlines()[0]


def test_a_line_under_another_topic_does_not_answer_for_its_words(advisor: Advisor) -> None:
    # "Industry: Finance, tech, and healthcare sectors may offer premium salaries" is about pay.
    answer = advisor.ask("ml perf arch - which industries are hiring")
    assert "premium salaries" not in answer.text
    # "which industries": the line that names them leads (test_which_members_of_a_class_...).
    assert "financial services, retail, and healthcare" in answer.text.splitlines()[0]


def test_members_of_a_category_are_not_a_gap(advisor: Advisor) -> None:
    answer = advisor.ask("What kinds of companies hire Senior Credit Risk Analysts?")
    assert "does not mention" not in answer.text
    assert "banks, investment houses, and credit lenders" in answer.text


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("can I make 140k as an ML Performance Architect?", "Yes."),  # under the low end of the range
        ("can an ml performance architect make 250k?", "It depends."),  # above the range, within the top end
        ("can an ML Performance Architect make $2m?", "It depends."),  # the top end is open ("or more")
        ("does a senior cloud engineer need a PhD?", "No."),  # the document asks a bachelor's
        ("do I need a bachelors to be a cv engineer?", "Yes."),  # a bachelor's or a master's
    ],
)
def test_a_yes_no_verdict_follows_the_figures_and_levels_the_answer_gives(
    advisor: Advisor, question: str, verdict: str
) -> None:
    answer = advisor.ask(question)
    assert answer.text.startswith(verdict + " According to"), answer.text[:160]


def test_a_yes_no_question_the_lead_does_not_settle_gets_no_verdict(advisor: Advisor) -> None:
    answer = advisor.ask("is the pay good for an ML Performance Architect?")
    assert answer.text.startswith("According to the ML Performance Architect document")
    assert "$150,000" in answer.text


# Occupations as the O*NET importer writes them: alternate titles in the front matter, the wage as a line.
TITLED = {
    "Heavy and Tractor-Trailer Truck Drivers": (["Driver", "CDL Driver"], "$57,440", "Drive a tractor-trailer."),
    "Light Truck Drivers": (["Driver", "Delivery Driver"], "$43,020", "Drive a van to deliver packages."),
    "Bus Drivers, School": (["Driver", "School Bus Driver"], "$47,040", "Drive a school bus."),
    "Shuttle Drivers and Chauffeurs": (["Driver", "Limo Driver"], "$37,610", "Drive a limousine or shuttle."),
    "Education Administrators, Postsecondary": (["Provost", "Dean of Students"], "$103,960", "Run a college."),
}


def _built(factory: pytest.TempPathFactory, embedder: Embedder, name: str, texts: list[str]) -> Advisor:
    """An advisor over documents of the given texts, indexed afresh."""
    corpus = factory.mktemp(name)
    for i, text in enumerate(texts):
        (corpus / f"{i}.md").write_text(text, encoding="utf-8")
    settings = make_settings(corpus, factory.mktemp(f"{name}-index"))
    build(settings, embedder=embedder)
    return Advisor.load(settings=settings, embedder=embedder)


def _titled_texts(roles: dict[str, tuple[list[str], str, str]]) -> list[str]:
    """Occupations with alternate titles in the front matter and the wage as a line."""
    out = []
    for role, (aliases, wage, overview) in roles.items():
        front = yaml.safe_dump({"role": role, "aliases": aliases})
        out.append(
            f"---\n{front}---\n\n# {role}\n\n## Overview\n\n{overview}\n\n## Pay\n\n- Annual median wage: {wage}\n"
        )
    return out


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    return _built(tmp_path_factory, embedder, "titled", _titled_texts(TITLED))


def _turns(advisor: Advisor, *messages: str) -> list[Answer]:
    history: list[dict[str, str]] = []
    answers = []
    for message in messages:
        answers.append(advisor.ask(message, history))
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": answers[-1].text}]
    return answers


def test_a_one_word_alternate_title_resolves(titled: Advisor) -> None:
    answer = titled.ask("How much does a provost make?")
    assert answer.role == "Education Administrators, Postsecondary" and "$103,960" in answer.text


def test_a_shared_title_asks_back_with_a_numbered_list_and_a_number_picks(titled: Advisor) -> None:
    asked, chosen = _turns(titled, "How much does a driver make?", "2")
    assert asked.abstained and "1. Bus Drivers, School\n2. Heavy and Tractor-Trailer Truck Drivers" in asked.text
    assert chosen.role == "Heavy and Tractor-Trailer Truck Drivers" and "$57,440" in chosen.text
    assert not chosen.abstained and chosen.citations
    ordinal = _turns(titled, "How much does a driver make?", "the third one")[1]
    assert ordinal.role == "Light Truck Drivers" and "$43,020" in ordinal.text


def test_part_of_a_name_picks_a_choice(titled: Advisor) -> None:
    chosen = _turns(titled, "How much does a driver make?", "the light truck one")[1]
    assert chosen.role == "Light Truck Drivers" and "$43,020" in chosen.text


def test_yes_answers_the_question_asked_before_for_the_role_offered(titled: Advisor) -> None:
    asked, yes = _turns(titled, "How much does a heavy driver make?", "yes")
    assert asked.text.endswith("The closest role is Heavy and Tractor-Trailer Truck Drivers: is that the one?")
    assert yes.role == "Heavy and Tractor-Trailer Truck Drivers" and "$57,440" in yes.text and not yes.abstained


def test_no_offers_other_roles(titled: Advisor) -> None:
    no = _turns(titled, "How much does a heavy driver make?", "no")[1]
    assert no.abstained and "Heavy and Tractor-Trailer" not in no.text
    assert "1. " in no.text or "which roles are there" in no.text


def test_a_made_up_title_is_told_so(titled: Advisor) -> None:
    answer = titled.ask("How much does a unicorn driver make?")
    assert answer.abstained and not answer.citations
    assert "No role document is titled “unicorn driver”" in answer.text or "do not cover the role" in answer.text
    assert "fits" not in answer.text


def test_yes_to_several_choices_asks_which_again(titled: Advisor) -> None:
    again = _turns(titled, "How much does a driver make?", "yes", "4")
    assert again[1].abstained and "1. Bus Drivers, School" in again[1].text
    assert again[2].role == "Shuttle Drivers and Chauffeurs" and "$37,610" in again[2].text


# Titles a reply qualifies: "trains" to "conductor", "aircraft" to "mechanic".
QUALIFIED = {
    "Railroad Conductors and Yardmasters": (["Conductor", "Train Conductor"], "$74,080", "Run a train crew."),
    "Music Directors and Composers": (["Conductor", "Orchestra Conductor"], "$63,670", "Lead an orchestra."),
    "Railroad Brake, Signal, and Switch Operators and Locomotive Firers": (["Conductor"], "$65,480", "Set signals."),
    "Automotive Service Technicians and Mechanics": (["Mechanic", "Car Mechanic"], "$49,670", "Repair cars."),
    "Aircraft Mechanics and Service Technicians": (["Aircraft Mechanic"], "$78,680", "Repair aircraft."),
}


@pytest.fixture(scope="module")
def qualified(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    return _built(tmp_path_factory, embedder, "qualified", _titled_texts(QUALIFIED))


def test_a_reply_that_qualifies_the_title_asked_picks_the_role_they_name(qualified: Advisor) -> None:
    asked, chosen = _turns(qualified, "conductor salary?", "trains")
    assert "fits 3 roles" in asked.text
    assert chosen.role == "Railroad Conductors and Yardmasters" and "$74,080" in chosen.text, chosen.text


def test_yes_to_an_answer_for_the_role_a_title_was_taken_to_mean_answers_it_again(qualified: Advisor) -> None:
    answer, yes = _turns(qualified, "how much does a mechanic make", "yes")
    assert answer.text.startswith("According to the Automotive Service Technicians and Mechanics document (you asked")
    assert yes.role == "Automotive Service Technicians and Mechanics" and "$49,670" in yes.text and not yes.abstained
    # A no asks which role was meant; an "ok" only acknowledges; the title asked, qualified, names another role.
    no = _turns(qualified, "how much does a mechanic make", "no")[1]
    assert no.abstained and "Then perhaps one of these" in no.text
    assert "$49,670" not in _turns(qualified, "how much does a mechanic make", "ok")[1].text
    other = _turns(qualified, "how much does a mechanic make", "aircraft")[1]
    assert other.role == "Aircraft Mechanics and Service Technicians" and "$78,680" in other.text, other.text


# Requirements as the O*NET importer writes them: the survey's level, else the job zone's words.
ZONED = {
    "Skincare Specialists": (
        "- Most common required level of education: Post-Secondary Certificate (81% of respondents)",
        "- Education: Most occupations in this zone require training in vocational schools, related on-the-job "
        "experience, or an associate's degree.",
    ),
    "Cardiologists": (
        "- Education: O*NET has no education survey data for Cardiologists; its job zone (Job Zone Five: Extensive "
        "Preparation Needed) says: Most of these occupations require graduate school. For example, they may "
        "require a master's degree, and some require a Ph.D., M.D., or J.D. (law degree).",
        "- Job Zone Five: Extensive Preparation Needed",
    ),
    "Pharmacists": (
        "- Most common required level of education: Doctoral Degree (78% of respondents)",
        "- Education: Most of these occupations require graduate school.",
    ),
}


@pytest.fixture(scope="module")
def zoned(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    texts = [
        f"# {role}\n\n## Overview\n\nWork as {role.lower()}.\n\n## Requirements\n\n"
        f"### Required level of education\n\n{education}\n\n### Job Zone\n\n{zone}\n"
        for role, (education, zone) in ZONED.items()
    ]
    return _built(tmp_path_factory, embedder, "zoned", texts)


def test_schooling_asked_is_answered_with_the_level_of_education(zoned: Advisor) -> None:
    answer = zoned.ask("what schooling does a skincare specialist need")
    lead = "According to the Skincare Specialists document: Most common required level of education: Post-Secondary"
    assert answer.text.startswith(lead), answer.text


def test_a_comparison_of_education_sets_a_certificate_against_a_degree(zoned: Advisor) -> None:
    answer = zoned.ask("education needed for pharmacists vs skincare specialists")
    assert "Doctoral Degree" in answer.text and "Post-Secondary Certificate" in answer.text, answer.text


def test_a_sentence_that_leans_on_the_one_before_comes_with_it(zoned: Advisor) -> None:
    answer = zoned.ask("How much education does a cardiologist need?")
    said = answer.text.index("no education survey data for Cardiologists")
    assert said < answer.text.index("For example, they may require a master's degree"), answer.text


ENGINEERS = [
    *(f"{field} Engineers" for field in ("Aerospace", "Agricultural", "Automotive", "Biomedical", "Blockchain")),
    *(f"{field} Engineers" for field in ("Chemical", "Civil", "Computer Hardware", "Electrical", "Mechanical")),
    "Electrical and Electronic Engineering Technicians",
]


@pytest.fixture(scope="module")
def engineers(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    texts = [
        f"# {role}\n\n## Overview\n\nEngineering work.\n\n## Pay\n\n- Annual median wage: ${90_000 + i:,}\n"
        for i, role in enumerate(ENGINEERS)
    ]
    return _built(tmp_path_factory, embedder, "engineers", texts)


def test_a_reply_may_pick_a_role_the_shortened_list_left_out(engineers: Advisor) -> None:
    asked, chosen = _turns(engineers, "engineer salary?", "the electrical one")
    assert "Electrical Engineers" not in asked.text and "more)" in asked.text  # the list shows the first few
    assert chosen.role == "Electrical Engineers" and "$90,008" in chosen.text
    # A number still picks among the roles shown.
    assert _turns(engineers, "engineer salary?", "9")[1].role is None


def test_equity_asked_is_answered_with_the_pay_besides_the_salary(advisor: Advisor) -> None:
    answer = advisor.ask("do ml perf architects get equity or is it just salary")
    assert answer.text.startswith("According to the ML Performance Architect document: Stock options"), answer.text
    assert "$185,000" not in answer.text


def test_a_salary_row_named_beside_its_documents_role_is_answered_from_that_row(advisor: Advisor) -> None:
    q = "What total compensation do Machine Learning Engineers average, according to the ML Performance Architect data?"
    row = advisor.ask(q)
    assert "$202,331" in row.text and "$185,000" not in row.text
    assert row.citations[0].section.endswith("> Machine Learning Engineer")
    assert row.role == "ML Performance Architect"  # a follow-up is about the document's role
    against = advisor.ask("ai solution architect median vs ml perf architect median?")
    assert "$195,523" in against.text and "$185,000 - $205,000" in against.text
    assert "The ML Performance Architect document, for AI Solution Architect, gives" in against.text
    # "ml arch" names the document's role, though a salary row is titled Machine Learning Architect.
    own = advisor.ask("ml arch - any stock / equity on top of base $$")
    assert own.role == "ML Performance Architect" and "Stock options" in own.text


def test_a_history_message_longer_than_a_question_may_be_is_refused_with_a_reason(advisor: Advisor) -> None:
    long_turn = "I know python" + " " * 16_000 + "x"
    history = [{"role": "user", "content": long_turn}, {"role": "assistant", "content": "..."}]
    for call in (lambda: advisor.ask("and the pay?", history), lambda: advisor.match("I know SQL", history)):
        with pytest.raises(BadQuestionError, match="history has a message of"):
            call()


def test_a_verdict_on_an_amount_follows_the_median_when_the_answer_gives_it(advisor: Advisor) -> None:
    # The median ($185,000 - $205,000) reaches $150k although the range starts below it.
    answer = advisor.ask("can an ML Performance Architect make $180k?")
    assert answer.text.startswith("Yes. "), answer.text[:160]


def test_the_hardest_part_of_a_role_is_its_documents_challenges_not_a_problem_solving_skill(advisor: Advisor) -> None:
    answer = advisor.ask("whats the hardest part of being an ML Performance Architect?")
    assert "Model drift and staleness" in answer.text, answer.text
    assert answer.citations[0].section.startswith("Common Challenges")
    assert "problem-solving" not in answer.text.lower()


@pytest.mark.parametrize(
    ("question", "people", "section"),
    [
        ("who would i be working with as an ml performance architect", "software engineers", "Core Responsibilities"),
        ("who do senior cv engineers work with day to day?", "product managers", "Work Environment and Industry"),
        ("Who does a Senior Cloud Engineer work with?", "development teams, QA", "Key Responsibilities"),
    ],
)
def test_who_a_role_works_with_leads_with_the_line_naming_the_people(
    advisor: Advisor, question: str, people: str, section: str
) -> None:
    answer = advisor.ask(question)
    lead = answer.text.splitlines()[0]
    assert people in lead and answer.citations[0].section.startswith(section), answer.text
    assert "years of experience" not in answer.text and "algorithms" not in answer.text


def test_a_question_in_words_no_line_says_gets_the_lines_on_the_topic_it_leans_to(advisor: Advisor) -> None:
    # "Room to climb" is said nowhere, and no line is close to it; the question leans to career growth.
    answer = advisor.ask("is there room to climb as a senior credit risk analyst")
    assert "Potential advancement to financial management positions" in answer.text, answer.text
    assert {c.section for c in answer.citations} == {"Career Path"}
    # A question leaning to no topic still says what the document does not cover.
    suit = advisor.ask("does a senior credit risk analyst wear a suit?")
    assert suit.missing == ("suit",) and "does not mention suit" in suit.text and not suit.citations


@pytest.mark.parametrize(
    "question",
    ["programming languages for senior cloud engineer?", "senior cloud engineer programming languages"],
)
def test_shorthand_naming_a_class_is_answered_by_the_line_listing_its_members(advisor: Advisor, question: str) -> None:
    # "Programming" is said nowhere in the document, but it lists languages: no gap.
    answer = advisor.ask(question)
    assert "does not mention" not in answer.text and "Bash, PowerShell, and Python" in answer.text, answer.text


def test_what_the_work_is_asked_casually_gets_the_duties(advisor: Advisor) -> None:
    built = advisor.ask("what kinda things does a senior computer vision engineer build?")
    assert built.citations and built.citations[0].section == "Responsibilities and Duties", built.text
    assert "does not mention" not in built.text
    spent = advisor.ask("what does an ml performance architect spend their time on")
    assert spent.citations[0].section == "Core Responsibilities" and "time management" not in spent.text


def test_which_ones_after_a_question_on_a_role_is_answered_not_read_as_a_background(advisor: Advisor) -> None:
    answer = advisor.ask("do i need certs to land a senior cloud engineer role? which ones?")
    assert answer.act == "answer" and "AWS, Azure, VMware" in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize(
    "question",
    ["how high can pay go for an ML Performance Architect?", "ml performance architect: how high does the salary get"],
)
def test_how_high_pay_goes_leads_with_the_top_end(advisor: Advisor, question: str) -> None:
    answer = advisor.ask(question)
    assert answer.text.splitlines()[0].endswith(
        "Top End: Up to $260,000 or more in tech hubs or high-demand industries [1]"
    )


def test_where_the_figures_come_from_is_answered_by_what_the_document_says_of_them(advisor: Advisor) -> None:
    answer = advisor.ask("where do the ml performance architect salary figures come from?")
    assert answer.text.splitlines()[0].startswith(
        "According to the ML Performance Architect document: While specific salary data"
    ), answer.text
    # The lines on where they come from, not the figures nor the rows of the roles they were inferred from.
    assert "$" not in answer.text and "Machine Learning Engineer" not in answer.text


def test_a_comparison_of_a_topic_as_a_whole_gives_each_documents_list_and_names_the_silent_one(
    advisor: Advisor,
) -> None:
    answer = advisor.ask("which has a clearer career path, credit risk analyst or cloud engineer")
    lines = answer.text.splitlines()
    assert lines[0] == "On career growth, by each role's document:", answer.text
    assert "Potential advancement to financial management positions" in answer.text
    # The Senior Cloud Engineer document has no career section: no line of another topic stands in for one.
    assert "- Senior Cloud Engineer: the document does not mention career growth." in lines
    assert {c.role for c in answer.citations} == {"Senior Credit Risk Analyst"}


def test_a_pay_comparison_gives_the_figure_asked(advisor: Advisor) -> None:
    answer = advisor.ask("ml performance architect vs senior credit risk analyst pay range")
    mlpa = next(line for line in answer.text.splitlines() if line.startswith("- ML Performance Architect:"))
    assert "$150,000" in mlpa and "Median" not in mlpa, answer.text
    median = advisor.ask("which pays the most, ml performance architect or senior credit risk analyst?")
    assert "Median Salary: $185,000 - $205,000" in median.text and "$260,000" not in median.text


def test_a_degree_comparison_gives_every_degree_a_document_states_in_its_order(advisor: Advisor) -> None:
    answer = advisor.ask("what do you study for cv engineering vs comms systems engineering")
    vision = next(line for line in answer.text.splitlines() if line.startswith("- Senior Computer Vision Engineer:"))
    bachelors, phd = (
        vision.find("Bachelor's or Master's degree in Computer Science"),
        vision.find("Ph.D. often preferred"),
    )
    assert 0 < bachelors < phd, answer.text
    assert "Senior Communications Systems Engineer: Most positions require: A bachelor's degree" in answer.text


def test_which_members_of_a_class_leads_with_the_line_that_lists_them(advisor: Advisor) -> None:
    # "which industries": the line naming industries with examples, not the demand section's overview.
    answer = advisor.ask("what industries are hiring ML performance architects?")
    assert answer.text.splitlines()[0].endswith("financial services, retail, and healthcare [1]"), answer.text
    # A section named for the class lists its members itself: "what benefits" leads with "Benefits and Perks".
    benefits = advisor.ask("what benefits does an ML performance architect get?")
    assert benefits.citations[0].section.endswith("Benefits and Perks")
    assert "401(k) matching" in benefits.text


def test_a_thing_named_by_two_words_is_a_gap_when_the_document_has_only_the_first(advisor: Advisor) -> None:
    # "security" is in the document ("Implementing IT security requirements"); a security clearance is not, and
    # "security" alone carries the question about as much as "clearance" does.
    answer = advisor.ask(
        "do senior communications systems engineers need a security clearance to work for the government?"
    )
    assert answer.text.startswith(
        "The Senior Communications Systems Engineer document does not mention security clearance"
    ), answer.text
    # A light second word is no such pair: supervising staff is a management side, and it is answered.
    side = advisor.ask("is there a people management side to the senior credit risk analyst job")
    assert "does not mention" not in side.text and "Supervisory roles" in side.text


def test_a_kind_of_item_asked_is_answered_by_the_lines_on_it_not_the_topic_overview(advisor: Advisor) -> None:
    # "frameworks" names a point of the requirements, not the requirements as a whole.
    answer = advisor.ask("what kinda ml frameworks should i know for ml performance architect roles")
    assert "PyTorch, TensorFlow" in answer.text.splitlines()[0], answer.text
    assert "communication abilities" not in answer.text


def test_a_topic_asked_as_a_whole_is_answered_by_its_own_section_one_line_per_sub_list(advisor: Advisor) -> None:
    # The section headed for the topic, not the overview's summary of it; its numbered sub-lists each shown.
    answer = advisor.ask("so what does an ml performance architect actually do all day?")
    assert {c.section for c in answer.citations} == {"Core Responsibilities"}, answer.text
    for lead_in in ("Performance Evaluation and Optimization", "Architectural Design", "Software-Hardware Co-Design"):
        assert lead_in in answer.text
    # In a document without headings, the lists beside the duties (skills, what positions require) are no part.
    comms = advisor.ask("What are the responsibilities of a Senior Communications Systems Engineer?")
    assert "Overseeing technical aspects" in comms.text and "Professional Engineer" not in comms.text, comms.text


def test_a_line_that_names_its_own_role_is_found_by_a_question_that_names_it(advisor: Advisor) -> None:
    # The role's name is left out of the question's meaning and of each line's alike: "Senior Communications
    # Systems Engineers work in diverse environments, including government agencies" answers "where do they work".
    answer = advisor.ask("where do senior comms systems engineers end up working, like what kind of employers")
    assert "government agencies" in answer.text.splitlines()[0], answer.text
    demand = advisor.ask("Is there strong demand for ML Performance Architects?")
    assert "is in high demand across various industries" in demand.text.splitlines()[0], demand.text


def test_a_topic_said_in_other_words_than_the_patterns_know_is_read_by_meaning(advisor: Advisor) -> None:
    # "the main job" names no topic word; its meaning is that of "what are the duties?".
    answer = advisor.ask("what's the main job of a senior credit risk analyst?")
    assert {c.section for c in answer.citations} == {"Responsibilities"}, answer.text
    assert "creditworthiness" in answer.text.splitlines()[0]
    # A question about none of the topics keeps none: where they work is not their career path.
    where = advisor.ask("where do senior comms systems engineers work")
    assert "government agencies" in where.text.splitlines()[0], where.text


def test_a_document_that_lists_members_of_the_class_asked_covers_it_whatever_qualifies_it(advisor: Advisor) -> None:
    # "languages such as Bash, PowerShell, and Python" answers "what programming languages", though the Senior
    # Cloud Engineer document never says "programming".
    answer = advisor.ask("what programming languages does a senior cloud engineer use")
    assert "does not mention" not in answer.text and "PowerShell" in answer.text.splitlines()[0], answer.text
    both = advisor.ask("cloud engineer vs ml performance architect, what programming languages does each use")
    # Each role's line that lists the languages, not one that only mentions some.
    assert "PowerShell" in both.text and "languages such as PyTorch, TensorFlow, C/C++, and Python" in both.text


def test_which_of_two_roles_says_a_thing_names_the_one_that_does(advisor: Advisor) -> None:
    history = [{"role": "user", "content": "compare experience needed for cloud vs comms engineer"}]
    answer = advisor.ask("ok which of those two mentions on-call work?", history)
    # "mentions" asks about the documents, it is no point of them; "on-call" is quoted whole.
    assert "does not mention on-call" in answer.text and "on-call rotations" in answer.text, answer.text
    assert answer.role == "Senior Cloud Engineer"
