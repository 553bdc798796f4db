"""The O*NET + BLS importer on a small fixture written in O*NET's and BLS's formats, then the full public
data set when ../shared/data is present."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from advisor import Advisor
from advisor.errors import AdvisorError
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.ingest.onet import import_onet

from ..conftest import CORPUS, ROOT, make_settings
from ..onet_fixture import write_onet, write_wages

SHARED = ROOT.parent / "shared" / "data"


def _doc(folder: Path, code: str) -> tuple[dict, str]:
    text = next(folder.glob(f"{code}-*.md")).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, object]:
    onet = write_onet(tmp_path / "onet")
    report = import_onet(onet, tmp_path / "roles", write_wages(tmp_path / "wages.xlsx"))
    return tmp_path / "roles", report


def test_one_document_per_occupation_with_front_matter_and_attribution(imported: tuple[Path, object]) -> None:
    folder, report = imported
    assert report.written == 7 and report.with_wages == 6 and report.without_wages == 1
    front, body = _doc(folder, "29-1141.00")
    assert front["role"] == "Registered Nurses" and front["onet_soc_code"] == "29-1141.00"
    assert {"Registered Nurse (RN)", "RN", "Charge Nurse"} <= set(front["aliases"])
    assert "O*NET 29.3" in front["source"] and "CC BY 4.0" in front["attribution"]
    assert "BLS OEWS May 2024" in front["source"]
    assert body.lstrip().startswith("# Registered Nurses\n\n## Overview\n\nAssess patient health problems")
    assert "## Source and License" in body and "USDOL/ETA" in body


def test_tasks_core_before_supplemental(imported: tuple[Path, object]) -> None:
    _, body = _doc(imported[0], "29-1141.00")
    core = body.index("### Core Tasks")
    assert core < body.index("- Record patients' medical information") < body.index("### Supplemental Tasks")
    assert body.index("### Supplemental Tasks") < body.index("- Engage in research activities")


def test_requirements_follow_the_onet_distributions(imported: tuple[Path, object]) -> None:
    _, body = _doc(imported[0], "29-1141.00")
    assert "- Most common required level of education: Bachelor's Degree (56% of respondents)" in body
    assert (
        "Bachelor's Degree: 56% of respondents; Post-Secondary Certificate: 22% of respondents; Associate's Degree: 19% of respondents"
        in body
    )
    assert (
        "- Most common related work experience: Over 1 year, up to and including 2 years (34% of respondents)" in body
    )
    assert "None: 19% of respondents" in body  # the unnamed first category of experience means none
    assert "- Job Zone Three: Medium Preparation Needed" in body


def _pay(body: str) -> str:
    return body.split("## Pay")[1].split("\n## ")[0]


def test_pay_states_bls_figures_and_never_invents_them(imported: tuple[Path, object]) -> None:
    folder = imported[0]
    _, nurse = _doc(folder, "29-1141.00")
    assert "- Annual median wage: $93,600 a year" in nurse and "- Annual mean wage: $98,430 a year" in nurse
    assert "- 90th percentile annual wage: $135,320 a year" in nurse
    assert "- Annual wage range: $66,030 (10th percentile) to $135,320 (90th percentile) a year" in nurse
    assert "- Hourly median wage: $45.00 an hour" in nurse
    assert "- Hourly wage range: $31.75 (10th percentile) to $65.06 (90th percentile) an hour" in nurse
    assert "- Employment: 3,282,010" in nurse and "(SOC 29-1141, Registered Nurses)" in nurse
    _, ceo = _doc(folder, "11-1011.00")
    assert "- 75th percentile annual wage: at least $239,200 a year (BLS top-codes wages at this level)" in ceo
    assert "- Hourly wage range: $35.44 (10th percentile) to at least $115.00 (90th percentile) an hour" in ceo
    _, engineers = _doc(folder, "15-1299.08")
    assert "Pay data is not available" in engineers and "$" not in engineers


def test_hourly_only_occupations_say_so_and_give_the_hourly_figures(imported: tuple[Path, object]) -> None:
    actors = _pay(_doc(imported[0], "27-2011.00")[1])
    assert "- Annual wages: not published; BLS publishes only hourly wages for Actors" in actors
    only = "(BLS publishes only hourly wages for Actors)"
    assert f"- Hourly median wage: $23.33 an hour {only}" in actors
    assert f"- Hourly wage range: $14.00 (10th percentile) to $97.19 (90th percentile) an hour {only}" in actors
    assert f"- 90th percentile hourly wage: $97.19 an hour {only}" in actors  # the only figures: all of them
    assert "a year" not in actors and "annual wage:" not in actors
    assert imported[1].hourly_only == 1


def test_combined_and_broad_codes_give_figures_and_say_where_they_come_from(imported: tuple[Path, object]) -> None:
    folder, report = imported
    counselors = _pay(_doc(folder, "21-1014.00")[1])
    assert (
        "these figures are for SOC 21-1018, Substance Abuse, Behavioral Disorder, and Mental Health Counselors, "
        "a combined code that covers it" in counselors
    )
    combined = "(combined BLS code 21-1018, Substance Abuse, Behavioral Disorder, and Mental Health Counselors)"
    assert f"- Annual median wage: $59,190 a year {combined}" in counselors
    assert f"- Hourly wage range: $18.79 (10th percentile) to $47.22 (90th percentile) an hour {combined}" in counselors
    pavers = _pay(_doc(folder, "47-4091.00")[1])
    assert (
        "- Annual median wage: $48,120 a year (broad BLS group 47-4090, Miscellaneous Construction and Related "
        "Workers)" in pavers
    )
    assert "its broad occupation group" in pavers
    assert report.pay_levels == {"detailed": 4, "combined": 1, "broad": 1}


def test_education_without_survey_data_says_so_with_the_own_job_zone(imported: tuple[Path, object]) -> None:
    folder, report = imported
    _, counselors = _doc(folder, "21-1014.00")
    assert (
        "- Education: O*NET has no education survey data for Mental Health Counselors; its job "
        "zone (Job Zone Five: Extensive Preparation Needed) says: Most of these occupations require graduate school."
        in counselors
    )
    assert (report.with_education, report.without_education) == (4, 3)


def test_job_zone_examples_of_other_occupations_are_left_out(imported: tuple[Path, object]) -> None:
    folder = imported[0]
    for code, example in (("29-1141.00", "electrician"), ("13-2011.00", "accountant must"), ("11-1011.00", "surgeon")):
        _, body = _doc(folder, code)
        assert "### Job Zone" in body and example not in body.lower(), code
    assert "- Experience: Previous work-related skill is required.\n" in _doc(folder, "29-1141.00")[1]


def test_report_counts_pay_by_level_and_education(imported: tuple[Path, object]) -> None:
    text = imported[1].format(Path("roles"))
    assert "pay: 6 with BLS wages (by SOC level: 4 detailed, 1 combined, 1 broad; 1 hourly only), 1 without" in text
    assert "education: 4 with O*NET education survey data, 3 without" in text


def test_malformed_rows_are_reported_not_fatal(imported: tuple[Path, object]) -> None:
    report = imported[1]
    assert report.malformed == {"Task Statements.txt": 1, "wages.xlsx": 1}
    text = report.format(Path("roles"))
    assert "skipped 1 malformed rows in Task Statements.txt" in text and "Next: advisor index --corpus roles" in text


def test_missing_files_fail_with_a_clear_message(tmp_path: Path) -> None:
    onet = write_onet(tmp_path / "onet")
    (onet / "Job Zones.txt").unlink()
    with pytest.raises(AdvisorError, match=r"Job Zones\.txt is missing"):
        import_onet(onet, tmp_path / "out")


@pytest.mark.slow
def test_imported_roles_answer_with_attribution_and_everyday_titles(
    imported: tuple[Path, object], tmp_path: Path, embedder: Embedder
) -> None:
    corpus = tmp_path / "both"
    shutil.copytree(CORPUS, corpus)
    for doc in imported[0].iterdir():
        shutil.copy(doc, corpus / doc.name)
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    advisor = Advisor.load(settings=settings, embedder=embedder)
    rn = advisor.ask("what does an RN need to study")
    assert rn.role == "Registered Nurses" and "(you asked about: RN)" in rn.text and "Bachelor's Degree" in rn.text
    assert "CC BY 4.0" in rn.citations[0].to_dict()["attribution"]
    pay = advisor.ask("how much do registered nurses make")
    assert "Annual median wage: $93,600" in pay.text
    typo = advisor.ask("salary of a registred nurse?")
    assert typo.role == "Registered Nurses" and "$93,600" in typo.text
    # The product roles work as before beside the imported ones, and their answers carry no attribution.
    mlpa = advisor.ask("How much does an ML Performance Architect make?")
    assert "$185,000 - $205,000" in mlpa.text and "attribution" not in mlpa.citations[0].to_dict()
    assert advisor.ask("What is the salary of a Senior Cloud Engineer?").abstained


@pytest.fixture(scope="module")
def onet_advisor(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    """The fixture's occupations alone, imported and indexed."""
    tmp = tmp_path_factory.mktemp("onet-answers")
    import_onet(write_onet(tmp / "onet", malformed=False), tmp / "roles", write_wages(tmp / "wages.xlsx"))
    settings = make_settings(tmp / "roles", tmp / "index")
    build(settings, embedder=embedder)
    return Advisor.load(settings=settings, embedder=embedder)


@pytest.mark.slow
def test_pay_answers_cover_the_question(onet_advisor: Advisor) -> None:
    hour = onet_advisor.ask("how much does an actor make an hour?")
    assert hour.role == "Actors" and "Hourly median wage: $23.33 an hour" in hour.text and "a year" not in hour.text
    nurse_hour = onet_advisor.ask("what's the hourly rate for a registered nurse?")
    assert "Hourly median wage: $45.00 an hour" in nurse_hour.text and "a year" not in nurse_hour.text
    yearly = onet_advisor.ask("how much do registered nurses make?")
    assert "Annual median wage: $93,600 a year" in yearly.text and "an hour" not in yearly.text
    top = onet_advisor.ask("what do the top earners make as a registered nurse?")
    assert top.text.startswith("According to the Registered Nurses document: 90th percentile annual wage: $135,320")
    spread = onet_advisor.ask("what is the pay range for registered nurses?")
    assert "$66,030 (10th percentile) to $135,320 (90th percentile) a year" in spread.text
    assert all(c.source.startswith("29-1141.00") for c in spread.citations)


@pytest.mark.slow
def test_a_point_the_pay_figures_do_not_cover_is_said_and_the_figures_asked_are_shown(onet_advisor: Advisor) -> None:
    tips = onet_advisor.ask("what do registered nurses make an hour before overtime?")
    assert "does not mention overtime" in tips.text
    assert "Hourly median wage: $45.00 an hour" in tips.text and "a year" not in tips.text.split("say on pay:")[1]


@pytest.mark.slow
def test_an_amount_asked_is_answered_with_the_percentile_that_reaches_it(onet_advisor: Advisor) -> None:
    six = onet_advisor.ask("can I make six figures as an accountant?")
    assert six.text.startswith("It depends.") and "75th percentile annual wage: $106,450 a year" in six.text
    assert "25th percentile" not in six.text
    per_hour = onet_advisor.ask("can I make $40 an hour as a registered nurse?")
    # The median nurse makes more than $40 an hour: yes, whatever the range's low end.
    assert per_hour.text.startswith("Yes.") and "Hourly median wage: $45.00 an hour" in per_hour.text
    # Hourly figures say nothing about a yearly amount: no verdict from $97.19 an hour against $100,000.
    actors = onet_advisor.ask("can I make six figures as an actor?")
    assert not actors.text.startswith(("No.", "Yes.")) and "only hourly wages" in actors.text


@pytest.mark.slow
def test_figures_from_a_combined_or_broad_code_say_so(onet_advisor: Advisor) -> None:
    counselors = onet_advisor.ask("how much do mental health counselors earn?")
    assert counselors.role == "Mental Health Counselors" and "$59,190 a year" in counselors.text
    assert "combined BLS code 21-1018, Substance Abuse, Behavioral Disorder, and Mental Health Counselors" in (
        counselors.text
    )
    pavers = onet_advisor.ask("what do segmental pavers make?")
    assert "$48,120 a year (broad BLS group 47-4090" in pavers.text


@pytest.mark.slow
def test_education_answers_stay_with_the_occupation(onet_advisor: Advisor) -> None:
    nurse = onet_advisor.ask("what education does a registered nurse need?")
    assert "Bachelor's Degree" in nurse.text and "electrician" not in nurse.text.lower()
    counselors = onet_advisor.ask("what education do mental health counselors need?")
    assert "O*NET has no education survey data for Mental Health Counselors" in counselors.text
    assert "graduate school" in counselors.text and "surgeon" not in counselors.text.lower()


@pytest.mark.slow
def test_full_public_data_set_answers_match_the_source_tables(tmp_path: Path, embedder: Embedder) -> None:
    onet, wages = SHARED / "onet_29_3", SHARED / "bls_oews_2024" / "national_M2024_dl.xlsx"
    if not onet.is_dir() or not wages.is_file():
        pytest.skip(f"the public O*NET/BLS data is not at {SHARED}")
    report = import_onet(onet, tmp_path / "roles", wages)
    assert report.written == 1016
    settings = make_settings(tmp_path / "roles", tmp_path / "index")
    build(settings, embedder=embedder)
    advisor = Advisor.load(settings=settings, embedder=embedder)

    from openpyxl import load_workbook

    sheet = load_workbook(wages, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    medians = {r[header.index("OCC_CODE")]: r[header.index("A_MEDIAN")] for r in rows}
    titles = {}
    for line in (onet / "Occupation Data.txt").read_text(encoding="utf-8").splitlines()[1:]:
        code, title, _ = line.split("\t", 2)
        titles[code] = title
    education: dict[str, list[tuple[float, str]]] = {}
    names = {}
    for line in (
        (onet / "Education, Training, and Experience Categories.txt").read_text(encoding="utf-8").splitlines()[1:]
    ):
        parts = line.split("\t")
        if parts[2] == "RL":
            names[parts[4]] = re.split(r" - | \(", parts[5], maxsplit=1)[0].strip()
    for line in (onet / "Education, Training, and Experience.txt").read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if parts[4] == "RL":
            education.setdefault(parts[0], []).append((float(parts[7]), names[parts[6]]))

    rng = random.Random(2024)
    with_median = [c for c in titles if isinstance(medians.get(c[:7]), (int, float)) and c in education]
    for code in rng.sample(with_median, 12):
        pay = advisor.ask(f"What is the median salary of {titles[code]}?")
        assert pay.role == titles[code], (code, pay.text)
        assert f"Annual median wage: ${medians[code[:7]]:,.0f}" in pay.text, (code, pay.text)
        top = max(education[code])[1]
        study = advisor.ask(f"What level of education do {titles[code]} need?")
        assert f"Most common required level of education: {top}" in study.text, (code, study.text)
