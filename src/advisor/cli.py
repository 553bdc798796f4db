"""The `advisor` command line. Errors are printed as one clear line, never as a traceback."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from .config import Settings
from .errors import AdvisorError
from .logs import configure as configure_logging
from .text.units import printable


def _out(text: str, err: bool = False) -> None:
    """Prints text with control characters removed: stored questions and document text are not the terminal's
    to interpret (an escape sequence in a question could set the maintainer's window title)."""
    click.echo(printable(text), err=err)


def _settings(corpus: str | None = None, index: str | None = None) -> Settings:
    return Settings.from_env(
        corpus_dir=Path(corpus) if corpus else None,
        index_dir=Path(index) if index else None,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Role Advisor: answers about job roles (requirements, pay, career growth), cited from role documents.

    Settings come from ADVISOR_* environment variables (docs/operations.md); options override them.
    """
    # Say what a long one-time step is doing (the model's ONNX export on first use), on stderr.
    configure_logging(logging.INFO)


@main.command("index")
@click.option(
    "--corpus", type=click.Path(file_okay=False), help="Folder of role documents [ADVISOR_CORPUS_DIR, corpus]."
)
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option("--full", is_flag=True, help="Re-embed everything instead of re-using unchanged chunks.")
@click.option("--rollback", is_flag=True, help="Serve the previous generation again (no build).")
@click.option("--watch", is_flag=True, help="Keep running and rebuild whenever files in the corpus change.")
@click.option(
    "--wait",
    "wait_seconds",
    default=0.0,
    show_default=True,
    type=float,
    help="Seconds to wait for another running build of the same index before giving up.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def index_cmd(
    corpus: str | None, index: str | None, full: bool, rollback: bool, watch: bool, wait_seconds: float, as_json: bool
) -> None:
    """Build or update the index from the corpus and print the build report.

    Only new or changed documents are chunked and embedded again (unchanged chunk texts keep their vectors);
    removed documents leave the index; files that cannot be read are skipped with their reason (a document
    indexed before keeps its previous version). Each build publishes a new generation atomically; a running
    server switches to it within seconds.

    \b
    Examples:
      advisor index
      advisor index --corpus my-roles --index my-index --full
      advisor index --watch          # rebuild on every change in the corpus
      advisor index --rollback       # back to the previous generation
    """
    from .indexing import BuildReport, Library

    with _errors():
        settings = _settings(corpus, index)
        library = Library(settings)
        if rollback:
            name = library.rollback(wait_seconds)
            _out(f"Rolled back: {settings.index_dir}/ now serves generation {name}.")
            return
        report = library.build(full=full, wait_seconds=wait_seconds)
    _out(json.dumps(report.to_dict(), indent=2) if as_json else report.format())
    if watch:
        _out(f"Watching {settings.corpus_dir}/ for changes (Ctrl+C to stop)...")

        def show(report: BuildReport) -> None:
            _out(json.dumps(report.to_dict()) if as_json else report.format())

        def fail(exc: Exception) -> None:
            _out(f"Error: {exc}", err=True)

        with contextlib.suppress(KeyboardInterrupt):
            library.watch(show, fail)


@main.command("ask")
@click.argument("question")
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (Answer.to_dict()).")
def ask_cmd(question: str, index: str | None, as_json: bool) -> None:
    """Answer one question from the index, with its cited passages.

    \b
    Examples:
      advisor ask "How much does an ML Performance Architect make?"
      advisor ask --json "What degree does a Senior Cloud Engineer need?"
    """
    from .ask import Advisor

    with _errors():
        advisor = Advisor.load(settings=_settings(index=index))
        answer = advisor.ask(question)
    if as_json:
        _out(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    _out(answer.text)
    for c in answer.citations:
        _out(f"\n[{c.n}] {c.role} > {c.section} ({c.source})")
        _out("    " + c.text.replace("\n", "\n    "))


@main.command("match")
@click.argument("background")
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 20), help="How many roles to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking, the points and citations as JSON.")
def match_cmd(background: str, index: str | None, limit: int, as_json: bool) -> None:
    """Rank the roles by how well their documents' requirements match a background (degree and field, years of
    experience, skills and tools, job titles, interests), and say for each of the best what matches, what is
    missing and what the documents ask that the background does not mention, each requirement cited.

    \b
    Examples:
      advisor match "I have a PhD in physics and 3 years of Python"
      advisor match "bachelor's in finance, 5 years as a loan underwriter" --json --limit 5
    """
    from .ask import Advisor

    with _errors():
        advisor = Advisor.load(settings=_settings(index=index))
        report = advisor.match_report(background, limit=limit)
    if as_json:
        _out(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    answer = report.answer
    _out(answer.text)
    for c in answer.citations:
        _out(f"\n[{c.n}] {c.role} > {c.section} ({c.source})")
        _out("    " + c.text.replace("\n", "\n    "))


_FACT_ORDER = ("pay", "experience", "education", "certification", "named", "demand")


def _fact_order(fact: Any) -> int:
    family = fact.kind.split(".")[0]
    return _FACT_ORDER.index(family) if family in _FACT_ORDER else len(_FACT_ORDER)


@main.command("facts")
@click.argument("role")
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def facts_cmd(role: str, index: str | None, as_json: bool) -> None:
    """List what a role's document states as typed facts (pay, experience, degrees, certifications, skills and
    tools), each with the passage it comes from. ROLE: the title, an abbreviation or an alternate title.

    \b
    Examples:
      advisor facts "ML Performance Architect"
      advisor facts "cloud eng" --json
    """
    from .ask import Advisor

    with _errors():
        advisor = Advisor.load(settings=_settings(index=index))
        name = advisor.find_role(role)
        facts = advisor.role_facts(name)
    if as_json:
        _out(json.dumps({"role": name, "facts": [f.to_dict() for f in facts]}, indent=2, ensure_ascii=False))
        return
    if not facts:
        _out(f"{name}: the document states no pay figures, years, degrees, certifications or named tools.")
        return
    _out(name)
    by_label: dict[str, list[Any]] = {}
    for fact in sorted(facts, key=_fact_order):
        by_label.setdefault(fact.label, []).append(fact)
    for label, group in by_label.items():
        if label == "Skills and tools":
            names = list(dict.fromkeys(f.value for f in group))
            _out(f"  {label}: {', '.join(names)}")
            continue
        for fact in group:
            qualifier = f" ({fact.qualifier})" if fact.qualifier else ""
            _out(f"  {label}{qualifier}: {fact.value}")
            _out(f"      from {fact.source} > {fact.section}")


@main.command("eval")
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option(
    "--questions",
    type=click.Path(dir_okay=False, exists=True),
    multiple=True,
    help="Question set (YAML); repeat for several [eval/dev.yaml and eval/test.yaml].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics and per-case results as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Show every case, not only failures.")
@click.option(
    "--show-held-out",
    is_flag=True,
    help="Also list the cases of held-out parts (test, *-test); by default only their totals are shown.",
)
@click.option(
    "--roles",
    "roles_dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Instead: measure role resolution on everyday titles from this O*NET folder.",
)
@click.option("--sample", default=200, show_default=True, help="With --roles: titles per variant.")
def eval_cmd(
    index: str | None,
    questions: tuple[str, ...],
    as_json: bool,
    verbose: bool,
    show_held_out: bool,
    roles_dir: str | None,
    sample: int,
) -> None:
    """Measure answers on the question sets: right answers per kind of question, retrieval (hit@k, MRR), fact
    accuracy, citation accuracy and abstention accuracy, for the development part (eval/dev.yaml, which the
    answering code is tuned on) and the test part (eval/test.yaml, which it never is), side by side.

    Exits with status 1 when a metric of a part is below that part's threshold. With --roles ONET_DIR (an
    index that holds the imported O*NET roles), measure how often everyday titles (lower-cased, abbreviated,
    with a typo) find their occupation instead.

    The cases of a held-out part (a file named test.yaml or *-test.yaml, or one that says `held_out: true`) are
    listed only with --show-held-out:
    its totals say how well the answers do on questions nobody tuned them on, and stop saying so once its
    failures are read while changing the code.
    """
    from .ask import Advisor
    from .quality.evaluation import PARTS, evaluate, format_parts, is_held_out, load_cases

    stems = [Path(q).stem for q in questions]
    if len(set(stems)) < len(stems):
        # Parts are reported by file name: two files of one name would be one column, one of them lost.
        raise click.BadParameter("two question files have the same name; rename one.", param_hint="--questions")
    if roles_dir:
        wanted = [n for n in ("Occupation Data.txt", "Alternate Titles.txt") if not (Path(roles_dir) / n).is_file()]
        if wanted:
            raise click.BadParameter(
                f"{roles_dir} is not an O*NET folder: it has no {' or '.join(wanted)}.", param_hint="--roles"
            )
    with _errors():
        advisor = Advisor.load(settings=_settings(index=index))
        if roles_dir:
            from .quality.role_eval import evaluate_roles

            roles = evaluate_roles(advisor, Path(roles_dir), sample=sample)
            _out(json.dumps(roles.to_dict(), indent=2) if as_json else roles.format())
            return
        files = {Path(q).stem: Path(q) for q in questions} if questions else PARTS
        results = {name: evaluate(advisor, load_cases(path)) for name, path in files.items()}
    if as_json:
        shown = {
            name: r.to_dict(cases=show_held_out or not (is_held_out(name) or r.held_out)) for name, r in results.items()
        }
        _out(json.dumps(shown, indent=2))
    else:
        _out(format_parts(results, verbose=verbose, show_held_out=show_held_out))
    if not all(r.passed for r in results.values()):
        sys.exit(1)


@main.group("import")
def import_group() -> None:
    """Turn public occupation data into role documents."""


@import_group.command("onet")
@click.argument("onet_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--wages", type=click.Path(dir_okay=False, exists=True), help="BLS OEWS national .xlsx (May 2024).")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write the documents to.")
def import_onet_cmd(onet_dir: str, wages: str | None, out: str) -> None:
    """Write one role document per O*NET occupation (with BLS wages when --wages is given) into OUT.

    \b
    Example:
      advisor import onet ../shared/data/onet_29_3 \\
          --wages ../shared/data/bls_oews_2024/national_M2024_dl.xlsx --out onet-roles
      advisor index --corpus onet-roles --index onet-index
    """
    from .ingest.onet import import_onet

    with _errors():
        report = import_onet(Path(onet_dir), Path(out), Path(wages) if wages else None)
    _out(report.format(Path(out)))


@main.command("gaps")
@click.option("--limit", default=50, show_default=True, help="How many questions to list.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def gaps_cmd(limit: int, as_json: bool) -> None:
    """List the questions the documents did not cover (abstained or thumbs down), most frequent first,
    grouped by role and topic, from the store (ADVISOR_DATABASE_URL, else the file ADVISOR_FEEDBACK_DB)."""
    from .config import ServerSettings
    from .serve.answers_store import format_gaps, open_store

    with _errors():
        settings = ServerSettings.from_env()
        if settings.database_url is None and not settings.feedback_db.exists():
            _out(f"No questions recorded yet ({settings.feedback_db} does not exist).")
            return
        gaps = open_store(settings).gaps(limit)
    _out(json.dumps([g.__dict__ for g in gaps], indent=2) if as_json else format_gaps(gaps))


@main.command("serve")
@click.option("--host", default=None, help="Address to listen on [ADVISOR_HOST, 127.0.0.1].")
@click.option("--port", default=None, type=int, help="Port to listen on [ADVISOR_PORT, 7860].")
@click.option("--index", type=click.Path(file_okay=False), help="Index folder [ADVISOR_INDEX_DIR, index].")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Server processes, on the ports PORT to PORT+N-1; each loads the index and follows its new generations.",
)
def serve_cmd(host: str | None, port: int | None, index: str | None, workers: int) -> None:
    """Serve the web chat, the HTTP API (/api, /docs) and widget.js from an existing index.

    Allowed embedding origins come from ADVISOR_ALLOWED_ORIGINS (comma-separated, exact origins), the host
    names it answers to from ADVISOR_ALLOWED_HOSTS (default: localhost and the address it listens on); see
    docs/operations.md (Security) for the rest. With --workers N, N processes answer on the ports PORT to
    PORT+N-1, for a load balancer in front (deploy/: nginx, shared records and limits).

    \b
    Examples:
      advisor serve
      advisor serve --port 7861 --workers 2    # ports 7861 and 7862, as deploy/nginx.conf lists them
    """
    from .config import ServerSettings
    from .indexing import Library

    with _errors():
        server_settings = ServerSettings.from_env(host=host, port=port)
        library = Library(_settings(index=index))
    if workers != 1:
        sys.exit(_serve_workers(library, server_settings, workers))
    from .serve.app import serve
    from .serve.live import AdvisorHolder

    with _errors():
        holder = AdvisorHolder(library)
        # Settings that only the server reads (ADVISOR_RATE_LIMIT_STORAGE, the database) fail here: one line.
        serve(holder, settings=server_settings)


def _serve_workers(library: Any, server_settings: Any, workers: int) -> int:
    """Starts `workers` serve processes on consecutive ports and waits for them (serve/workers.py)."""
    from .errors import IndexMissingError
    from .serve.workers import Workers, check_workers

    index_dir = library.settings.index_dir
    with _errors():
        check_workers(workers, server_settings.port)
        # Refused here, once, rather than by every process.
        if library.published() is None:
            raise IndexMissingError(
                f"No index in {index_dir}/. Build it with: advisor index --corpus CORPUS_DIR --index {index_dir}"
            )
    ports = [server_settings.port + n for n in range(workers)]
    return Workers(server_settings.host, ports, index_dir, server_settings.shutdown_timeout).run()


class _errors:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is not None and isinstance(exc, AdvisorError):
            raise click.ClickException(str(exc))


if __name__ == "__main__":
    main()
