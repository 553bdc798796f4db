"""The console script, run for real in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from advisor import Settings

from .conftest import ROOT


def _run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        timeout=300,
    )


def test_ask_json_answers_with_citations(product_settings: Settings) -> None:
    result = _run(
        "ask", "--index", str(product_settings.index_dir), "--json", "How much does an ML Performance Architect make?"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "$185,000 - $205,000" in data["answer"] and not data["abstained"]
    assert data["citations"][0]["section"].endswith("ML Performance Architect (Estimated)")


def test_ask_text_prints_the_answer_and_its_passages(product_settings: Settings) -> None:
    result = _run("ask", "--index", str(product_settings.index_dir), "What degree does a Senior Cloud Engineer need?")
    assert result.returncode == 0
    answer, _, passages = result.stdout.partition("\n[1] ")
    assert "Bachelor's degree in Computer Science" in answer
    assert passages.startswith("Senior Cloud Engineer > Required Skills and Qualifications (senior-cloud-engineer.md)")
    assert "**Certifications**" in passages  # the whole passage, not only the cited sentence
    cloud = _run("ask", "--index", str(product_settings.index_dir), "What is the salary of a Senior Cloud Engineer?")
    assert "no information on pay" in cloud.stdout and "[1]" not in cloud.stdout


def test_facts_lists_a_roles_typed_facts_with_their_passages(product_settings: Settings) -> None:
    index = str(product_settings.index_dir)
    text = _run("facts", "--index", index, "ml perf architect")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "ML Performance Architect"
    assert "  Median pay: Median Salary: $185,000 - $205,000" in lines
    assert any(line.startswith("  Skills and tools: ") and "PyTorch" in line for line in lines)
    data = json.loads(_run("facts", "--index", index, "--json", "Senior Credit Risk Analyst").stdout)
    assert data["role"] == "Senior Credit Risk Analyst"
    assert not any(f["kind"].startswith("pay.") for f in data["facts"])  # its document gives no pay
    unknown = _run("facts", "--index", index, "astronaut")
    assert unknown.returncode == 1 and "No role document is titled “astronaut”" in unknown.stderr


def test_index_command_prints_the_report(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Harbor Pilot\n\nGuides ships into port.\n", encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    result = _run("index", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "2 files: 1 indexed, 1 skipped" in result.stdout and "empty.txt: empty file" in result.stdout
    again = _run("index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--json")
    assert json.loads(again.stdout)["up_to_date"] is True


def test_errors_are_one_clear_line_without_traceback(tmp_path: Path, product_settings: Settings) -> None:
    missing = _run("ask", "--index", str(tmp_path / "nowhere"), "What do they earn?")
    assert missing.returncode == 1
    assert "No index in" in missing.stderr and "Traceback" not in missing.stderr
    empty = _run("ask", "--index", str(product_settings.index_dir), "  ")
    assert empty.returncode == 1 and "The question is empty" in empty.stderr and "Traceback" not in empty.stderr
    bad_env = _run("index", env={"ADVISOR_CHUNK_TOKENS": "lots"})
    assert bad_env.returncode == 1 and "ADVISOR_CHUNK_TOKENS must be a whole number" in bad_env.stderr
    no_corpus = _run("index", "--corpus", str(tmp_path / "nothing"), "--index", str(tmp_path / "i"))
    assert no_corpus.returncode == 1 and "does not exist" in no_corpus.stderr


def test_serve_with_a_bad_rate_limit_storage_says_so_in_one_line(product_settings: Settings) -> None:
    bad = _run(
        "serve",
        "--index",
        str(product_settings.index_dir),
        "--port",
        "1",
        env={"ADVISOR_RATE_LIMIT_STORAGE": "memcached://u:secret@127.0.0.1:11211", "HF_HUB_OFFLINE": "1"},
    )
    assert bad.returncode == 1 and "ADVISOR_RATE_LIMIT_STORAGE" in bad.stderr
    assert "Traceback" not in bad.stderr and "secret" not in bad.stderr


def test_eval_refuses_two_question_files_of_one_name(tmp_path: Path) -> None:
    for part in ("a", "b"):
        (tmp_path / part).mkdir()
        (tmp_path / part / "dev.yaml").write_text("[]\n")
    same = _run(
        "eval", "--questions", str(tmp_path / "a" / "dev.yaml"), "--questions", str(tmp_path / "b" / "dev.yaml")
    )
    assert same.returncode == 2 and "same name" in same.stderr and "Traceback" not in same.stderr


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("index", "ask", "eval", "serve"):
        assert command in result.stdout


def test_the_benchmark_command_starts() -> None:
    """The benchmark is run by hand (it takes minutes); this keeps `python -m benchmarks` and its imports working."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "--large" in out.stdout and "--rounds" in out.stdout


def test_gaps_prints_stored_questions_without_their_terminal_controls(tmp_path: Path) -> None:
    from advisor.records import Answer
    from advisor.serve.answers_store import Store

    db = tmp_path / "f.sqlite3"
    store = Store(db)
    hostile = "salary\x1b]0;PWNED\x07 of a \x1b[31mnurse\u202e?"
    store.record_answer(hostile, Answer(text="Not covered.", role=None, intent="pay", abstained=True))
    store.close()
    result = _run("gaps", env={"ADVISOR_FEEDBACK_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert "salary]0;pwned of a [31mnurse?" in result.stdout  # gaps lists questions lower-cased
    assert not any(c in result.stdout for c in "\x1b\x07\u202e")


def test_eval_roles_names_a_folder_that_is_not_onet(tmp_path: Path) -> None:
    done = _run("eval", "--roles", str(tmp_path))
    assert done.returncode == 2 and "is not an O*NET folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_match_ranks_the_roles_for_a_background(product_settings: Settings) -> None:
    background = "Master's in robotics, 3 years building object detection models with PyTorch"
    result = _run("match", "--index", str(product_settings.index_dir), "--json", "--limit", "2", background)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ranking"][0] == "Senior Computer Vision Engineer" and len(data["roles"]) == 2
    text = _run("match", "--index", str(product_settings.index_dir), background)
    assert "- Missing: “Experience: Typically 10+ years" in text.stdout and "\n[1] " in text.stdout
    empty = _run("match", "--index", str(product_settings.index_dir), " ")
    assert empty.returncode == 1 and "background is empty" in empty.stderr


def test_eval_lists_a_held_out_parts_failures_only_when_asked(product_settings: Settings, tmp_path: Path) -> None:
    """Reading the test part's failures while changing the code is how it stops being held out."""
    case = (
        "k: 5\ncases:\n  - id: {id}\n    question: How much does an ML Performance Architect make?\n"
        "    role: ML Performance Architect\n    facts: ['$999,999']\n"
    )
    (tmp_path / "dev.yaml").write_text(case.format(id="dev-wrong"))
    (tmp_path / "test.yaml").write_text(case.format(id="held-wrong"))
    args = ["eval", "--index", str(product_settings.index_dir)]
    args += ["--questions", str(tmp_path / "dev.yaml"), "--questions", str(tmp_path / "test.yaml")]
    quiet = _run(*args)
    assert "dev-wrong" in quiet.stdout and "held-wrong" not in quiet.stdout, quiet.stdout
    assert "1 not right; held-out part" in quiet.stdout
    as_json = json.loads(_run(*args, "--json").stdout)
    assert as_json["test"]["cases"] is None and as_json["test"]["right_by_kind"]["other"] == {"right": 0, "cases": 1}
    shown = _run(*args, "--show-held-out")
    assert "held-wrong" in shown.stdout
    # Any file may say it is held out, whatever its name.
    (tmp_path / "blind.yaml").write_text("held_out: true\n" + case.format(id="blind-wrong"))
    blind = _run("eval", "--index", str(product_settings.index_dir), "--questions", str(tmp_path / "blind.yaml"))
    assert "blind-wrong" not in blind.stdout and "1 not right; held-out part" in blind.stdout
