"""Which roles fit a background, on the product corpus with the real model: the right role first, requirements
compared and cited, what the person did not mention marked as not known, and no fit when none fits."""

from __future__ import annotations

import re

import pytest

from advisor import Advisor
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.ingest.onet import import_onet

from ..conftest import make_settings
from ..onet_fixture import write_onet, write_wages

CLOUD = "I've spent 6 years running AWS and Azure infrastructure with Terraform and Kubernetes, which role fits me?"


@pytest.mark.parametrize(
    ("background", "role"),
    [
        (CLOUD, "Senior Cloud Engineer"),
        (
            "I have a degree in economics and 5 years as a loan underwriter assessing creditworthiness.",
            "Senior Credit Risk Analyst",
        ),
        (
            "Master's in robotics, 10 years building object detection models with PyTorch and OpenCV.",
            "Senior Computer Vision Engineer",
        ),
        (
            "I optimize deep learning workloads on GPUs and NPUs and profile kernels with CUDA.",
            "ML Performance Architect",
        ),
        (
            "Bachelor's in electrical engineering, 9 years designing radio and satellite communication links.",
            "Senior Communications Systems Engineer",
        ),
    ],
)
def test_the_role_a_background_was_written_for_ranks_first(advisor: Advisor, background: str, role: str) -> None:
    answer = advisor.match(background)
    assert answer.act == "fit" and answer.ranking[:1] == (role,)
    assert answer.text.startswith("Roles that fit your background")


def test_a_requirement_not_met_is_missing_with_its_citation(advisor: Advisor) -> None:
    answer = advisor.match("Master's in robotics and 3 years building object detection models with PyTorch")
    line = next(x for x in answer.text.splitlines() if x.startswith("- Missing:") and "10+ years" in x)
    assert "you said 3" in line
    n = int(re.search(r"\[(\d+)\]$", line).group(1))  # type: ignore[union-attr]
    cited = next(c for c in answer.citations if c.n == n)
    assert cited.role == "Senior Computer Vision Engineer" and "Typically 10+ years" in cited.text


def test_a_higher_degree_meets_a_lower_one_and_an_unmentioned_requirement_is_not_known(advisor: Advisor) -> None:
    report = advisor.match_report("PhD in computer vision; I've trained CNNs for image segmentation.")
    vision = next(f for f in report.fits if f.role == "Senior Computer Vision Engineer")
    by_aspect = {(p.aspect, p.status) for p in vision.points}
    assert ("degree", "matches") in by_aspect and ("preferred degree", "matches") in by_aspect
    # Years were not said: the document's 10+ years is not known, not missing.
    assert ("experience", "not known") in by_aspect and ("experience", "missing") not in by_aspect
    assert not any(p.status == "missing" for p in vision.points)


def test_no_role_fits_a_pastry_chef_and_the_closest_are_still_shown(advisor: Advisor) -> None:
    report = advisor.match_report("I'm a pastry chef with 12 years in bakeries. Which job fits me?")
    assert report.answer.ranking == () and report.answer.text.startswith("No role fits your background well")
    assert len(report.fits) == 3 and not any(f.fits for f in report.fits)
    assert report.answer.citations  # the closest roles' requirements, quoted and cited


def test_every_requirement_shown_is_quoted_from_its_cited_passage(advisor: Advisor) -> None:
    answer = advisor.match(CLOUD)
    checked = 0
    for line in answer.text.splitlines():
        quoted = re.match(r"- (?:Matches|Missing|Not known): “(.+?)(?: …)?”.*\[(\d+)\]$", line)
        if quoted:
            text, n = quoted.groups()
            passage = next(c for c in answer.citations if c.n == int(n)).text
            assert text.split(": ", 1)[-1] in passage.replace("**", "")
            checked += 1
    assert checked >= 6


def test_a_fit_question_in_conversation_and_more_background_after_it_re_ranks(advisor: Advisor) -> None:
    first = advisor.ask("I have a bachelor's in finance. Which role suits me?")
    assert first.act == "fit" and first.ranking[:1] == ("Senior Credit Risk Analyst",)
    history = [
        {"role": "user", "content": "I have a bachelor's in finance. Which role suits me?"},
        {"role": "assistant", "content": first.text},
    ]
    more = advisor.ask("I also have 6 years of loan underwriting and risk management", history)
    assert more.act == "fit" and "a bachelor's degree in finance" in more.text and "6 years" in more.text
    # Without a fit reply before it, a remark about oneself is not taken for a fit question.
    assert advisor.ask("I also know SQL").act != "fit"


def test_a_fit_question_without_any_background_asks_for_it(advisor: Advisor) -> None:
    answer = advisor.ask("Which role fits me?")
    assert answer.act == "fit" and answer.ranking == () and "Tell me about your background" in answer.text


def test_questions_about_a_role_are_still_answered_as_before(advisor: Advisor) -> None:
    answer = advisor.ask("What degree does a Senior Cloud Engineer need?")
    assert answer.act == "answer" and "Bachelor's degree" in answer.text


@pytest.fixture(scope="module")
def onet_advisor(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    """Four occupations imported from O*NET-format files (tests/onet_fixture.py) and indexed."""
    folder = tmp_path_factory.mktemp("onet-fit")
    import_onet(write_onet(folder / "onet"), folder / "roles", write_wages(folder / "wages.xlsx"))
    settings = make_settings(folder / "roles", folder / "index")
    build(settings, embedder=embedder)
    return Advisor.load(settings=settings, embedder=embedder)


def test_onet_education_is_compared_and_cited(onet_advisor: Advisor) -> None:
    report = onet_advisor.match_report(
        "I have an associate degree in nursing and 5 years as a nurse caring for patients"
    )
    assert report.answer.ranking[:1] == ("Registered Nurses",)
    nurses = report.fits[0]
    degree = next(p for p in nurses.points if p.aspect == "degree")
    # O*NET's most common level for nurses is a bachelor's degree: an associate degree is below it.
    assert degree.status == "missing"
    quote, n = report.quotes[degree.position]
    assert "Most common required level of education: Bachelor's Degree" in quote
    assert "Bachelor's Degree (56% of respondents)" in next(c.text for c in report.answer.citations if c.n == n)


def test_onet_alternate_title_finds_its_occupation(onet_advisor: Advisor) -> None:
    report = onet_advisor.match_report("I've been a voice over artist for 6 years. Which job suits me?")
    assert report.answer.ranking[:1] == ("Actors",)
    assert any(p.aspect == "title" and p.status == "matches" for p in report.fits[0].points)


def test_the_role_asked_about_is_shown_even_when_others_fit_better(advisor: Advisor) -> None:
    plain = advisor.match_report("I've spent 6 years running AWS and Azure infrastructure with Terraform")
    assert "Senior Computer Vision Engineer" not in [f.role for f in plain.fits]
    answer = advisor.ask(
        "I've spent 6 years running AWS and Azure infrastructure with Terraform; am I a fit for senior computer vision engineer?"
    )
    assert answer.act == "fit" and answer.ranking[:1] == ("Senior Cloud Engineer",)
    assert "**3. Senior Computer Vision Engineer**: does not fit well" in answer.text
    assert "Senior Computer Vision Engineer" not in answer.ranking


def test_a_degree_of_unsaid_level_below_what_is_asked_is_not_known_not_missing(advisor: Advisor) -> None:
    report = advisor.match_report("I have a computer engineering degree and 6 years tuning ML inference on GPUs")
    mlpa = next(f for f in report.fits if f.role == "ML Performance Architect")
    degree = next(p for p in mlpa.points if p.aspect == "degree")
    assert degree.status == "not known" and "which degree" in degree.note


@pytest.mark.parametrize(
    ("message", "role"),
    [
        ("Ten years as a network engineer at a telecom, CCNP, degree in electronics. Where do I belong among these?",
         "Senior Communications Systems Engineer"),
        ("Been doing embedded vision on drones for 8 yrs, MSc robotics. Recommend me something",
         "Senior Computer Vision Engineer"),
        ("I write Terraform and run Kubernetes clusters on GCP, 5 years, CS degree. What should I be looking at?",
         "Senior Cloud Engineer"),
    ],
)  # fmt: skip
def test_a_request_for_advice_the_patterns_do_not_know_is_read_by_meaning(
    advisor: Advisor, message: str, role: str
) -> None:
    answer = advisor.ask(message)
    assert answer.act == "fit" and answer.ranking[:1] == (role,), answer.text[:300]
    # The request is not read as part of the background.
    assert "Recommend me" not in answer.text and "looking at" not in answer.text


@pytest.mark.parametrize(
    "message",
    [
        "I have a CS degree. What does a senior cloud engineer earn?",
        "I have 3 years of experience, which of these jobs pays the most?",
        "Can you show me the full list of careers in your catalogue?",
        "I'm thinking about computer vision, what degree would I need?",
        # Notes before a question about the roles are no background.
        "saw the list earlier, very helpful thanks. which role pays the most?",
    ],
)
def test_a_question_about_the_roles_from_someone_with_a_background_is_not_a_fit_request(
    advisor: Advisor, message: str
) -> None:
    assert advisor.ask(message).act != "fit"


def test_a_background_on_the_way_to_a_role_gets_it_as_close_with_what_is_missing(advisor: Advisor) -> None:
    answer = advisor.ask(
        "I studied computer science and spent 2 years as a sysadmin. I got the AWS solutions architect cert. "
        "Which role fits me?"
    )
    assert answer.ranking == ("Senior Cloud Engineer",)
    assert answer.text.startswith("No role fits your background fully yet")
    assert "**1. Senior Cloud Engineer**: comes close" in answer.text
    assert "(4+ years asked; you said 2)" in answer.text
    # The certification mentions AWS: it is not among the tools they did not mention.
    unsaid = next(line for line in answer.text.splitlines() if "you did not mention them" in line)
    assert "AWS" not in unsaid
    # One line per requirement: the education line matches its field, its level not known, in one place.
    education = [
        line for line in answer.text.splitlines() if "Bachelor's degree in Computer Science, Information" in line
    ]
    assert len(education) == 1 and "you studied computer science; you did not say your degree" in education[0]


def test_text_that_is_not_valid_unicode_is_refused_before_the_model_reads_it(advisor: Advisor) -> None:
    from advisor.errors import BadQuestionError

    with pytest.raises(BadQuestionError, match="not valid Unicode"):
        advisor.ask("I am a nurse with 10 years.\ud800 Where do I belong among these?")


def test_a_background_told_before_questions_on_a_role_does_not_make_later_questions_fit_requests(
    advisor: Advisor,
) -> None:
    history: list[dict[str, str]] = []
    for turn in ("I'm a sysadmin with 2 years of experience.", "What does a senior cloud engineer do?"):
        history += [
            {"role": "user", "content": turn},
            {"role": "assistant", "content": advisor.ask(turn, history).text},
        ]
    assert advisor.ask("Which industries are hiring?", history).act == "answer"


def test_background_after_the_request_is_read_too(advisor: Advisor) -> None:
    answer = advisor.ask("I'm a nurse. Where do I belong among these? I also have an MBA and 5 years in management.")
    assert answer.act == "fit" and "5 years of experience" in answer.text.splitlines()[0]


def test_a_role_with_nothing_missing_is_never_said_to_come_close(advisor: Advisor) -> None:
    answer = advisor.ask("I know Excel and SAS. Which role fits me?")
    assert not answer.text.startswith("No role fits your background fully yet")
    assert "comes close" not in answer.text


def test_the_request_of_a_message_is_its_last_question_not_the_end_of_a_list() -> None:
    from advisor.ask.fit_request import asking_part

    assert asking_part("5 years as an analyst. What would you suggest for someone with Python, SQL, and Tableau?") == (
        "What would you suggest for someone with Python, SQL, and Tableau?"
    )
    assert asking_part("I have 3 years of experience, which of these jobs pays the most?") == (
        "which of these jobs pays the most?"
    )
    assert asking_part("BSEE, 6 yrs, radio link design, best match?") == "best match?"


def test_a_background_in_note_form_with_a_plain_request_is_matched(advisor: Advisor) -> None:
    # No "I", no sentence: the work in notes, and a request that no question about the roles comes near.
    answer = advisor.ask("aws certified, containers, love automating infra, IT degree. which job?")
    assert answer.act == "fit" and answer.ranking[:1] == ("Senior Cloud Engineer",), answer.text[:300]
    assert "you named aws" in answer.text
