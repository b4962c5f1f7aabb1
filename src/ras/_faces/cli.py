"""The ``ras`` command: scheme authoring and batch runs for people who do not write Python.

Standard library ``argparse`` only, so the command needs no extra install. Exit status: 0 when
all is well, 1 when a file has problems (or the checker has warnings, or a run fails on bad
data), 2 for a command line that cannot be understood. A user's mistake (a bad path, a bad
scheme, a bad answer) is reported on standard error in a first line that says what and where
(a list of bad rows may follow), never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ras._base import (
    ALL_ROWS,
    AnswerError,
    InputFileError,
    Problem,
    RasError,
    RecordError,
    SchemeError,
    check_target,
    read_bounded,
    replacing,
    same_file,
)
from ras._changes import compare, find_parameter, parameters, run_cases
from ras._faces.excel import read_workbook
from ras._faces.files import (
    STANDARD,
    _answer_column,
    _kind,
    calculate_file,
    check_columns,
    check_source,
    reading,
)
from ras._format import LineMap, format_key_path, read_yaml, schema_text
from ras._reasons import (
    RECORD_KIND,
    Explanation,
    VerificationReport,
    letters_page,
    money,
    percent,
    signed_money,
    verify,
)
from ras._scheme import Budget, Scheme, load_scheme

__all__ = ["main"]

PROG = "ras"
MAX_ANSWERS_BYTES = 2_000_000  # one child's answers are a few hundred bytes


class _UserError(Exception):
    """A mistake the user can fix: reported as one line and exit status 1."""


# -- entry point --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ras`` command with these arguments (default: ``sys.argv[1:]``); the exit
    status is returned rather than raised, so that callers and tests can use it directly."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # '£' on a console that cannot show it
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        return command(args)
    except BrokenPipeError:  # `ras explain ... | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (_UserError, RasError, OSError, ImportError) as error:
        return _report(args.command, error)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _report(command: str, error: BaseException) -> int:
    if isinstance(error, SchemeError):
        first = error.problems[0]
        more = len(error.problems) - 1
        hint = (f" (and {more} more; run `ras validate {first.file}` for all)"
                if more and first.file else f" (and {more} more)" if more else "")
        message = f"{_problem(first)}{hint}"
    elif isinstance(error, OSError) and error.strerror and error.filename:
        message = f"{error.filename}: {error.strerror.lower()}"
    else:
        message = str(error)
    lines = message.splitlines() or [type(error).__name__]
    print(f"{PROG} {command}: error: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        print(line, file=sys.stderr)
    return 1


# -- the parser ---------------------------------------------------------------------------

_EXAMPLES = {
    "validate": """\
examples:
  ras validate scoring_schemes/points_rate.yaml
  ras validate scoring_schemes/            # every .yaml file in the folder

Prints every problem of every file as FILE:LINE: KEY PATH: MESSAGE.
Exit status 1 when any file has a problem.""",
    "calculate": """\
examples:
  ras calculate scoring_schemes/points_rate.yaml examples/points_rate.csv -o budgets.csv
  ras calculate scoring_schemes/need_levels.yaml examples/need_levels.csv -o budgets.parquet
  ras calculate scoring_schemes/banded_referral.yaml examples/banded_referral.csv \\
      -o budgets.csv --errors flag

The cohort has a column per question id and a `setting` column (option ids,
or positions with 0 for the first option); other columns (a child id, a
school) are copied to the output first. Prints where the budgets went, the
total of the personal SEN budgets and how many children go to panel.
examples/ has a cohort for every example scheme. Parquet needs pyarrow:
pip install 'ras[parquet]'.

Money is exact: two-decimal text in CSV (4000.00), decimal128 in Parquet
(--money float for float64). Parquet carries the scheme's id, version and
fingerprint as metadata; --provenance adds them as columns. CSV text cells
that a spreadsheet would run as a formula get a leading ' (turn off with
--no-spreadsheet-safe).""",
    "explain": """\
examples:
  ras explain scoring_schemes/points_rate.yaml examples/amir.yaml
  ras explain scoring_schemes/points_rate.yaml examples/amir.yaml \\
      --format markdown --setting special
  ras explain scoring_schemes/points_rate.yaml examples/points_rate.csv --rows 0,3

The answers file (YAML or JSON) maps each question id to an option id, or to
a position (0 is the first option), plus `setting: <setting id>`, e.g.
  setting: mainstream
  expressive_language: substantial
  receptive_language: 2
An audit record written by Budget.to_record() is read as well. A cohort file
(.csv, .csv.gz, .parquet) gives chosen rows: --rows lists row numbers (0 is
the first data row), or with --id COLUMN the children's ids.""",
    "letter": """\
examples:
  ras letter scoring_schemes/points_rate.yaml examples/amir.yaml \\
      --child "Amir Khan" --reference EHC/2026/0142 --date 2026-09-01
  ras letter scoring_schemes/points_rate.yaml examples/amir.yaml --format html \\
      -o amir-letter.html
  ras letter scoring_schemes/points_rate.yaml examples/points_rate.csv \\
      --rows 0,3 --format json

The family's letter about one child's budget: the answer first, their rights
and who to contact, what happens next, then how it was worked out. The input
is read as for `ras explain`: an answers file, an audit record, or chosen rows
of a cohort file. Several letters: text and markdown are separated by a page
break, HTML is one page with a letter a page, JSON is a list.""",
    "compare": """\
examples:
  ras reform scoring_schemes/points_rate.yaml --set pricing.education.rate=300 -o reform.yaml
  ras compare scoring_schemes/points_rate.yaml reform.yaml examples/points_rate.csv
  ras compare scoring_schemes/points_rate.yaml reform.yaml examples/points_rate.csv \\
      --html impact.html
  ras compare scoring_schemes/points_rate.yaml reform.yaml examples/points_rate.csv \\
      --by setting --by primary_need

Prints the totals, gainers and losers overall and by setting, or by the groups
of the --by columns (any cohort columns) with each scheme's total by setting and
by each column (cost neutrality). --weights names a column of case weights.
The HTML page adds the chart of gains and losses (needs matplotlib: pip install
'ras[plot]').""",
    "reform": """\
examples:
  ras reform scoring_schemes/points_rate.yaml --set pricing.education.rate=300 -o reform.yaml
  ras reform scoring_schemes/points_rate.yaml --set settings.mainstream.element2=7000 \\
      --set version=2027-draft

Each --set PATH=VALUE changes one value, by the readable paths of
Scheme.with_changes (domains, questions and options by id, bands by label):
  pricing.education.rate, settings.mainstream.element2, domains.semh.cap,
  domains.semh.questions.behaviour_safety.options.some.points
An empty value removes an optional one (--set domains.semh.cap=). Every
change is checked before any is made. Without -o the scheme is printed.
Comments of the base file are not kept.""",
    "test": """\
examples:
  ras test examples/points_rate.cases.yaml
  ras test examples/*.cases.yaml
  ras test examples/points_rate.cases.yaml --scheme scoring_schemes/points_rate.yaml

A cases file names its scheme (relative to the file) and lists children
worked out by hand, each with a name, a setting, every answer and the figures
expected by column name (element3, education_band, social_care_amount, ...):
  scheme: ../scoring_schemes/points_rate.yaml
  cases:
    - name: Amir, 8, mainstream
      setting: mainstream
      answers: {expressive_language: some, receptive_language: 1, ...}
      expect: {element3: "2630.00", education_review: ""}
null expects no amount (referred to panel). See docs/worked-examples.md.
Exit status 0 when every case passes, 1 when any fails (each failure with the
expected and actual figure and how the scheme reached it), 2 when a file
cannot be read or breaks the format (file, line and key path).""",
    "check": """\
examples:
  ras check scoring_schemes/banded_referral.yaml

Finds what is legal but probably wrong: options out of order, bands no child
can reach, a refer_above that never refers, caps that make answers pointless,
settings that never get a top-up, negative points, and the largest jump in
pounds for one more point. Exit status 1 when there is any warning.""",
    "serve": """\
examples:
  ras serve scoring_schemes/ --dry-run     # check the schemes and the extra, then exit

Then, until stopped with Ctrl+C:
  $ ras serve scoring_schemes/
  $ RAS_API_KEY=... ras serve scoring_schemes/ --host 0.0.0.0 --port 8080

Serves every scheme in the folder over HTTP (JSON, with the OpenAPI description
at /openapi.json and its page at /docs) and an assessment form at
/schemes/ID/form. With RAS_API_KEY set, every JSON endpoint but /health needs
Authorization: Bearer <key>. Needs the serve extra: pip install 'ras[serve]'.
See docs/service.md.""",
    "schema": """\
examples:
  ras schema > ras-scheme.schema.json

Then put this first line in a scheme file for completion and checking in an
editor with YAML support (for example VS Code with the Red Hat YAML extension):
  # yaml-language-server: $schema=./ras-scheme.schema.json""",
}


def _parser() -> argparse.ArgumentParser:
    from ras._base import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Turn assessed special educational needs into indicative personal SEN\n"
                    "budgets from a YAML scoring scheme.",
        epilog="examples:\n  ras validate scoring_schemes/\n"
               "  ras calculate scoring_schemes/points_rate.yaml examples/points_rate.csv "
               "-o budgets.csv\n"
               "Run `ras COMMAND --help` for each command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, run: Callable[[argparse.Namespace], int]
                ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary,
                                  epilog=_EXAMPLES[name],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(run=run)
        return sub

    sub = command("validate", "Check scheme files against the format; list every problem.",
                  _validate)
    sub.add_argument("schemes", nargs="+", metavar="SCHEME",
                     help="scheme files, or folders of .yaml files")

    sub = command("calculate", "Score a cohort file (CSV or Parquet) into a budgets file.",
                  _calculate)
    sub.add_argument("scheme", metavar="SCHEME", help="the scheme file")
    sub.add_argument("cohort", metavar="COHORT",
                     help="the cohort: .csv, .csv.gz, .parquet or .xlsx; - for CSV on "
                          "standard input")
    sub.add_argument("-o", "--output", required=True, metavar="OUT",
                     help="where to write the budgets: .csv, .csv.gz, .parquet or .xlsx; - "
                          "for CSV on standard output (the summary goes to standard error)")
    sub.add_argument("--errors", choices=("raise", "flag"), default="raise",
                     help="raise: stop at bad answers (default); flag: keep every row, with "
                          "the reason in an `error` column and no amounts for bad rows")
    sub.add_argument("--chunksize", type=_positive, default=100_000, metavar="N",
                     help="rows read and scored at a time (default 100000)")
    sub.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="draw a progress bar (default: on a terminal, for files over 5 MB)")
    sub.add_argument("--money", choices=("exact", "float"), default="exact",
                     help="exact (default): two-decimal text in CSV, decimal128 in Parquet; "
                          "float: float64 pounds in Parquet")
    sub.add_argument("--provenance", action="store_true",
                     help="add columns naming the scheme (id, version, fingerprint) and the "
                          "ras version; Parquet files always carry them as metadata")
    sub.add_argument("--spreadsheet-safe", action=argparse.BooleanOptionalAction,
                     default=None,
                     help="put a ' before text cells a spreadsheet would run as a formula "
                          "(starting =, +, -, @, tab or CR; plain numbers are left alone); "
                          "default: on for CSV")

    sub = command("explain", "Explain one child's budget, step by step.", _explain)
    _child_inputs(sub)
    sub.add_argument("--format", choices=("text", "markdown", "html", "json"), default="text",
                     help="text (default), markdown, html (a whole page) or json")

    sub = command("letter", "Write the family's letter about one child's budget.", _letter)
    _child_inputs(sub)
    sub.add_argument("--format", choices=("text", "markdown", "html", "json"), default="text",
                     help="text (default), markdown, html (a whole page, prints on A4) or json")
    sub.add_argument("--child", metavar="NAME", help="the child's name, as the letter says it")
    sub.add_argument("--reference", metavar="REF", help="the council's reference for the case")
    sub.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date,
                     help="the date of the letter")
    sub.add_argument("--school", metavar="NAME", help="the school or college")

    sub = command("compare", "Compare two schemes on a cohort: who gains, who loses.",
                  _compare)
    sub.add_argument("base", metavar="BASE", help="the scheme now in use")
    sub.add_argument("reform", metavar="REFORM", help="the changed scheme")
    sub.add_argument("cohort", metavar="COHORT",
                     help="the cohort: .csv, .csv.gz, .parquet or .xlsx; - for CSV on "
                          "standard input")
    sub.add_argument("--html", metavar="REPORT", help="also write an HTML page with the chart")
    sub.add_argument("--by", action="append", metavar="COLUMN",
                     help="summarise by the groups of this cohort column (repeat for groups "
                          "of several columns, e.g. --by setting --by primary_need)")
    sub.add_argument("--weights", metavar="COLUMN",
                     help="a cohort column of case weights: how many children each row "
                          "stands for")
    sub.add_argument("--measure", default="personal_sen_budget",
                     help="what gains and losses are judged on: personal_sen_budget "
                          "(default), total_personal_budget or <stream>_amount")

    sub = command("reform", "Change values of a scheme and save it as a new scheme file.",
                  _reform)
    sub.add_argument("base", metavar="BASE", help="the scheme to start from")
    sub.add_argument("--set", dest="changes", action="append", default=[], metavar="PATH=VALUE",
                     type=_change, required=True,
                     help="a value to change, e.g. pricing.education.rate=300 (repeat for more)")
    sub.add_argument("-o", "--output", metavar="REFORM",
                     help="where to write the new scheme file (default: print it)")

    sub = command("test", "Run worked examples (cases files) against their schemes.", _test)
    sub.add_argument("cases", nargs="+", metavar="CASES", help="cases files (YAML)")
    sub.add_argument("--scheme", metavar="SCHEME",
                     help="run the cases against this scheme instead of the one each file names")

    sub = command("check", "Find what is legal but probably wrong in a scheme.", _check)
    sub.add_argument("scheme", metavar="SCHEME", help="the scheme file")

    sub = command("serve", "Serve the schemes over HTTP for case systems (needs ras[serve]).",
                  _serve)
    sub.add_argument("schemes", metavar="SCHEMES", help="a folder of scheme files, or one file")
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sub.add_argument("--port", type=_positive, default=8000, help="port (default 8000)")
    sub.add_argument("--max-children", type=_positive, default=10_000, metavar="N",
                     help="most children in one batch request (default 10000)")
    sub.add_argument("--root-path", default="", metavar="PATH",
                     help="the path prefix a reverse proxy serves this under, e.g. /ras")
    sub.add_argument("--forwarded-allow-ips", metavar="IPS",
                     help="trust X-Forwarded-* headers from these proxy addresses")
    sub.add_argument("--dry-run", action="store_true",
                     help="load the schemes, build the service, say what would be served, exit")

    sub = command("schema", "Print the JSON Schema of the scheme format, for editors.",
                  _schema)
    sub.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
    return parser


def _child_inputs(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("scheme", metavar="SCHEME", help="the scheme file")
    sub.add_argument("answers", metavar="ANSWERS",
                     help="the child's answers (YAML or JSON; - for standard input), an audit "
                          "record, or a cohort file (.csv, .csv.gz, .parquet)")
    sub.add_argument("--setting", metavar="S",
                     help="the setting id (instead of, or overriding, the file's `setting`)")
    sub.add_argument("--rows", metavar="R,R,...",
                     help="a cohort's rows: row numbers (0 is the first data row), or ids "
                          "with --id; default: every row")
    sub.add_argument("--id", metavar="COLUMN", dest="id_column",
                     help="the cohort column that names each child, for --rows and the output")
    sub.add_argument("-o", "--output", metavar="FILE",
                     help="write to FILE instead of standard output")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-09-01, not {text!r}"
                                         ) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _change(text: str) -> tuple[str, str]:
    path, equals, value = text.partition("=")
    if not equals or not path.strip():
        raise argparse.ArgumentTypeError(
            f"expected PATH=VALUE such as pricing.education.rate=300, not {text!r}")
    return path.strip(), value.strip()


# -- validate and check -------------------------------------------------------------------


def _files(paths: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
            if not inside:
                raise _UserError(f"{path}: no .yaml or .yml files in this folder")
            found += inside
        else:
            found.append(path)
    return found


def _problem(problem: Problem) -> str:
    parts = [problem.file, str(problem.line) if problem.line else None]
    where = ":".join(p for p in parts if p)
    return ": ".join(p for p in (where, problem.key_path, problem.message) if p)


def _validate(args: argparse.Namespace) -> int:
    files = _files(args.schemes)
    bad = problems = 0
    for path in files:
        try:
            scheme = load_scheme(path)
        except SchemeError as error:
            bad += 1
            problems += len(error.problems)
            for problem in error.problems:
                print(_problem(problem), file=sys.stderr)
            continue
        print(f"{path}: ok ({_describe(scheme)})")
    if len(files) > 1 or bad:
        print(f"{len(files)} file(s): {len(files) - bad} ok, {bad} with "
              f"{problems} problem(s)" if bad else f"{len(files)} files: all ok",
              file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def _describe(scheme: Scheme) -> str:
    return (f"{scheme.id} {scheme.version}, {len(scheme.question_ids)} questions, "
            f"{len(scheme.setting_ids)} settings")


def _check(args: argparse.Namespace) -> int:
    scheme = _load(args.scheme)
    lines = _line_map(Path(args.scheme))
    findings = scheme.check()
    located = [(_line_of(lines, f.key_path), f) for f in findings]
    for line, finding in sorted(located, key=lambda item: item[0] or 0):
        where = f"{args.scheme}:{line}" if line else args.scheme
        print(f"{where}: {finding.severity}: {finding.key_path}: {finding.message}")
    warnings = sum(f.severity == "warning" for f in findings)
    print(f"{args.scheme}: {warnings} warning(s), {len(findings) - warnings} note(s)")
    return 1 if warnings else 0


def _line_map(path: Path) -> dict[str, int]:
    """Key path text -> line, so findings point into the file as load errors do."""
    lines: LineMap
    _, lines = read_yaml(path.read_bytes(), str(path))
    return {format_key_path(k): v for k, v in lines.items()}


def _line_of(lines: Mapping[str, int], key_path: str) -> int | None:
    path = key_path
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def _load(path: str) -> Scheme:
    return load_scheme(path)


# -- calculate ----------------------------------------------------------------------------


def _calculate(args: argparse.Namespace) -> int:
    scheme = _load(args.scheme)
    to_stdout = args.output == STANDARD
    if not to_stdout:
        _output_apart(args.output, {"scheme": args.scheme, "cohort": args.cohort})
        _writable(args.output)
    try:
        summary = calculate_file(scheme, args.cohort, args.output, chunksize=args.chunksize,
                                 errors=args.errors, progress=args.progress, money=args.money,
                                 provenance=args.provenance,
                                 spreadsheet_safe=args.spreadsheet_safe)
    except AnswerError as error:
        hint = ("\nuse --errors flag to keep bad rows with their reason"
                if args.errors == "raise" and error.rows != (ALL_ROWS,) else "")
        raise _UserError(f"{args.cohort}: {error}{hint}") from None
    except FileNotFoundError as error:
        raise _UserError(str(error) if not error.filename else
                         f"{error.filename}: {error.strerror}") from None
    report = sys.stderr if to_stdout else sys.stdout  # standard output holds the budgets
    print(summary, file=report)
    if summary.bad_rows:
        print(f"{summary.bad_rows:,} row(s) could not be scored: see the `error` column of "
              f"{summary.target}", file=report)
    return 0


# -- explain ------------------------------------------------------------------------------


def _explain(args: argparse.Namespace) -> int:
    scheme = _load(args.scheme)
    report = None
    if _is_cohort(args.answers):
        frame, rows = _chosen_rows(args, scheme)
        explanations = scheme.explain_frame(frame, rows if rows is not None else frame.index)
    else:
        budget, report = _one_budget(args, scheme)
        explanations = {None: budget.explain()}
    items = list(explanations.items())
    if args.format == "json":
        data: Any = (items[0][1].to_dict() if len(items) == 1 and items[0][0] is None
                     else [{"row": label, "explanation": e.to_dict()} for label, e in items])
        _emit(args, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    elif args.format == "html":
        _emit(args, _explanations_page([e for _, e in items]))
    else:
        texts = [e.to_markdown() if args.format == "markdown" else e.to_text()
                 for _, e in items]
        # as print() wrote it before cohorts: the text and one more line break
        _emit(args, ("\f\n" if args.format == "text" else "\n---\n\n").join(texts) + "\n")
    return _differences(args, report)


def _letter(args: argparse.Namespace) -> int:
    scheme = _load(args.scheme)
    details = {"child": args.child, "reference": args.reference, "date": args.date,
               "school": args.school}
    report = None
    if _is_cohort(args.answers):
        frame, rows = _chosen_rows(args, scheme)
        letters = scheme.letters(frame, rows, **details)
    else:
        budget, report = _one_budget(args, scheme)
        letters = {None: budget.letter(**details)}
    items = list(letters.items())
    if args.format == "json":
        data: Any = (items[0][1].to_dict() if len(items) == 1 and items[0][0] is None
                     else [{"row": label, "letter": letter.to_dict()} for label, letter in items])
        _emit(args, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    elif args.format == "html":
        _emit(args, letters_page([letter for _, letter in items]))
    else:
        texts = [letter.to_markdown() if args.format == "markdown" else letter.to_text()
                 for _, letter in items]
        _emit(args, ("\f\n" if args.format == "text" else "\n---\n\n").join(texts))
    return _differences(args, report)


def _one_budget(args: argparse.Namespace, scheme: Scheme
                ) -> tuple[Budget, VerificationReport | None]:
    """One child's budget from an answers file or an audit record (checked as ras.verify
    checks it: the report says where the record's own figures differ)."""
    if args.rows is not None or args.id_column is not None:
        raise _UserError(f"{args.answers}: --rows and --id choose rows of a cohort file "
                         "(.csv, .csv.gz, .parquet), not of one child's answers")
    data = _read_answers(Path(args.answers))
    report = None
    if data.get("kind") == RECORD_KIND:
        found = data.get("scheme")
        made_under: dict[str, Any] = found if isinstance(found, dict) else {}
        if made_under.get("fingerprint") != scheme.fingerprint:
            raise _UserError(
                f"{args.answers}: this record was made under scheme "
                f"{made_under.get('id')!r} version {made_under.get('version')!r}, not under "
                f"{args.scheme} (its fingerprint differs): explain it with the scheme file it "
                "was made under, whose figures it holds")
        try:  # strictly, as ras.verify reads it: a record is a file that left the system
            report = verify(Path(args.answers).read_bytes(), scheme)
        except RecordError as error:
            raise _UserError(f"{args.answers}: not a budget record ras can check: "
                             f"{error}") from None
        inputs = data["inputs"]
        recorded = inputs.get("answers")
        if not isinstance(recorded, dict):
            raise _UserError(f"{args.answers}: the record's inputs.answers must map question "
                             f"ids to answers, not {_what(recorded)}")
        answers = dict(recorded)
        setting = inputs.get("setting")
    else:
        answers = {k: v for k, v in data.items() if k != "setting"}
        setting = data.get("setting")
    if args.setting is not None:
        setting = args.setting
    if setting is None:
        raise _UserError(f"{args.answers}: no setting: add `setting: <id>` to the file or pass "
                         f"--setting; this scheme's settings are {', '.join(scheme.setting_ids)}")
    return scheme.calculate({str(k): _answer(v) for k, v in answers.items()},
                            setting=_answer(setting)), report


def _differences(args: argparse.Namespace, report: VerificationReport | None) -> int:
    """1, after saying so, when the record claims figures other than the recalculated ones."""
    if report is None or report.ok:
        return 0
    print(f"{PROG} {args.command}: {args.answers} claims figures other than the ones "
          f"{'explained' if args.command == 'explain' else 'in the letter'}, which are "
          f"recalculated from its answers ({len(report)} difference(s)):", file=sys.stderr)
    for difference in report:
        print(f"  - {difference}", file=sys.stderr)
    return 1


def _is_cohort(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".csv", ".csv.gz", ".parquet"))


def _chosen_rows(args: argparse.Namespace, scheme: Scheme
                 ) -> tuple[pd.DataFrame, list[Any] | None]:
    """The cohort, indexed by --id (as text) or by row number, and the rows asked for."""
    path = Path(args.answers)
    frame = _read_cohort(path, (scheme,))
    if args.setting is not None:
        frame = frame.assign(setting=args.setting)
    if args.id_column is not None:
        if args.id_column not in frame.columns:
            raise _UserError(f"{path}: no column {args.id_column!r} for --id; its columns are "
                             f"{', '.join(map(str, frame.columns))}")
        frame = frame.set_index(frame[args.id_column].astype(str))
        if not frame.index.is_unique:
            raise _UserError(f"{path}: column {args.id_column!r} repeats an id, so a row "
                             "cannot be chosen by it")
    if args.rows is None:
        return frame, None
    asked = [part.strip() for part in args.rows.split(",") if part.strip()]
    if not asked:
        raise _UserError("--rows needs at least one row")
    if args.id_column is not None:
        rows: list[Any] = asked
    else:
        try:
            rows = [int(part) for part in asked]
        except ValueError:
            raise _UserError(f"--rows takes row numbers (0 is the first data row), not "
                             f"{args.rows!r}; to choose by id, name the id column with --id"
                             ) from None
    missing = [r for r in rows if r not in frame.index]
    if missing:
        ids = f", ids from column {args.id_column!r}" if args.id_column else ""
        raise _UserError(f"{path}: no row {missing[0]!r} (the cohort has {len(frame)} rows"
                         f"{ids})")
    return frame, rows


def _emit(args: argparse.Namespace, text: str) -> None:
    if args.output:
        with replacing(args.output, "output") as sink:
            sink.write(text.encode("utf-8"))
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _explanations_page(explanations: Sequence[Explanation]) -> str:
    body = "\n".join(e._repr_html_() for e in explanations)
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>How the budget was worked out</title>\n<style>body{font-family:Arial,"
            "sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;line-height:1.5}"
            "table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px solid "
            "#ccc}.ras-explanation+.ras-explanation{break-before:page}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _read_answers(path: Path) -> dict[str, Any]:
    """YAML or JSON (JSON is YAML), read by the scheme reader's safe YAML 1.2 rules, so that
    an option id such as ``no`` stays text and nothing builds a Python object."""
    try:
        if str(path) == STANDARD:
            raw = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
            if len(raw) > MAX_ANSWERS_BYTES:
                raise InputFileError(f"the answers are more than {MAX_ANSWERS_BYTES:,} bytes; "
                                     f"an answers file is at most {MAX_ANSWERS_BYTES:,}")
        else:
            # a FIFO or /dev/zero is refused without waiting for or reading it whole
            raw = read_bounded(path, MAX_ANSWERS_BYTES, "an answers file")
    except InputFileError as error:
        raise _UserError(f"{path}: {error}") from None
    try:
        data, _ = read_yaml(raw, str(path), kind="answers file")
    except SchemeError as error:
        raise _UserError(f"not a readable YAML or JSON answers file: "
                         f"{_problem(error.problems[0])}") from None
    if not isinstance(data, dict):
        raise _UserError(f"{path}: the answers file must map question ids to answers "
                         "(question: option), with a `setting`")
    return data


def _what(value: Any) -> str:
    return ("nothing" if value is None else "a list" if isinstance(value, list)
            else "text" if isinstance(value, str) else f"a {type(value).__name__}")


def _answer(value: Any) -> Any:
    """A number read from the file is a position: 2 -> 2; anything else as written."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# -- compare ------------------------------------------------------------------------------


def _compare(args: argparse.Namespace) -> int:
    base, reform = _load(args.base), _load(args.reform)
    if args.html:
        _output_apart(args.html, {"base scheme": args.base, "reform scheme": args.reform,
                                  "cohort": args.cohort})
        _writable(args.html)
    cohort = _read_cohort(Path(args.cohort), (base, reform))
    comparison = compare(base, reform, cohort, measure=args.measure, by=args.by,
                         weights=args.weights)
    print(comparison._title())
    if args.weights:
        print(f"weighted by the column {args.weights}: totals and counts are weighted")
    print(_summary_table(comparison.summary(), comparison.per))
    print("change: like for like, over the children both schemes price; no amount: referred "
          "to panel in either")
    if args.by:
        print()
        print("cost neutrality: each scheme's total")
        print(_cost_table(comparison.cost_neutrality()))
    if args.html:
        comparison.to_html(args.html)
        chart = importlib.util.find_spec("matplotlib") is not None
        print(f"wrote {args.html}"
              + ("" if chart else " (without the chart: matplotlib is not installed)"))
    return 0


def _read_cohort(path: Path, schemes: Sequence[Scheme]) -> pd.DataFrame:
    """A cohort file read by the rules of ``calculate_file``: every CSV cell as text, each
    answer an option id, else digits as a position."""
    if str(path) == STANDARD:  # CSV from standard input
        with reading(Path("standard input")):
            frame = pd.read_csv(sys.stdin.buffer, dtype=str, keep_default_na=False,
                                na_values=[""])
        return _cohort_answers(frame, path, schemes)
    kind = _kind(path, "cohort")
    check_source(path)
    with reading(path):
        if kind == "csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        elif kind == "xlsx":
            frame = read_workbook(path)
        else:
            try:
                frame = pd.read_parquet(path)
            except ImportError:
                raise ImportError("reading Parquet needs pyarrow: pip install 'ras[parquet]'"
                                  ) from None
    return _cohort_answers(frame, path, schemes)


def _cohort_answers(frame: pd.DataFrame, path: Path, schemes: Sequence[Scheme]) -> pd.DataFrame:
    """The answer columns of a cohort read as calculate_file reads them."""
    try:
        check_columns([str(c) for c in frame.columns], schemes, path)
    except AnswerError as error:
        raise _UserError(f"{path}: {error}") from None
    ids: dict[str, dict[str, int]] = {}
    for scheme in schemes:
        for question, options in scheme.option_ids.items():
            ids.setdefault(question, {}).update(dict.fromkeys(options, 0))
        ids.setdefault("setting", {}).update(dict.fromkeys(scheme.setting_ids, 0))
    columns = {name: (_answer_column(frame[name], ids[name]) if name in ids else frame[name])
               for name in frame.columns}
    return pd.DataFrame(columns, index=frame.index)


def _count(items: Sequence[str], what: str) -> str:
    return f"{len(items)} {what}{'' if len(items) == 1 else 's'}"


def _writable(target: str) -> None:
    """Refuse an output that cannot be written (no such folder, a folder itself) before doing
    any work."""
    check_target(Path(target))


def _output_apart(output: str, inputs: Mapping[str, str]) -> None:
    """Refuse an output that is one of the command's inputs (by any name or link to it)."""
    for role, name in inputs.items():
        if same_file(Path(output), Path(name)):
            raise _UserError(f"{output}: this is the {role} given to the command; writing "
                             "there would destroy it: choose another output file")


def _summary_table(summary: pd.DataFrame, per: str = "") -> str:
    """The summary as a terminal table; a period other than a year is said once, in the money
    columns' heads ("base total a term"), not in every cell."""
    names = [str(n) for n in summary.index.names]
    head = [" / ".join(names), "children", f"base total{per}", f"reform total{per}",
            f"change{per}", "change %",
            "gainers", "losers", "unchanged", "no amount"]
    rows = [head]
    for group, row in summary.iterrows():
        rows.append([_group(group), _children(row["children"]), money(row["base_total"]),
                     money(row["reform_total"]), signed_money(row["change"]),
                     percent(row["change_pct"], signed=True), _children(row["gainers"]),
                     _children(row["losers"]), _children(row["unchanged"]),
                     _children(row["no_amount"])])
    return _columns(rows)


def _cost_table(table: pd.DataFrame) -> str:
    rows = [["by", "group", "children", "base total", "reform total", "difference",
             "difference %"]]
    for key, row in table.iterrows():
        by, group = key if isinstance(key, tuple) else (key, "")
        rows.append([str(by), "" if by == "all" else _group(group), _children(row["children"]),
                     money(row["base_total"]), money(row["reform_total"]),
                     signed_money(row["difference"]),
                     percent(row["difference_pct"], signed=True)])
    return _columns(rows, left=2)


def _group(label: Any) -> str:
    return " / ".join(map(str, label)) if isinstance(label, tuple) else str(label)


def _children(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def _columns(rows: list[list[str]], left: int = 1) -> str:
    """Rows of cells as aligned text: the first ``left`` columns to the left, the rest right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i < left else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in rows)


def _name(scheme: Scheme) -> str:
    return f"{scheme.name} ({scheme.id} {scheme.version}, fingerprint {scheme.fingerprint[:12]})"


# -- test ---------------------------------------------------------------------------------


def _test(args: argparse.Namespace) -> int:
    """0 when every case of every file passes, 1 when any fails, 2 when a file is unusable."""
    scheme = _load(args.scheme) if args.scheme else None
    status = 0
    for name in args.cases:
        try:
            results = run_cases(name, scheme=scheme)
        except SchemeError as error:
            for problem in error.problems:
                print(_problem(problem))
            print(f"{name}: cannot be run: {len(error.problems)} problem(s)")
            status = 2
            continue
        print(results.to_text())
        if not results.ok:
            status = max(status, 1)
    return status


# -- reform -------------------------------------------------------------------------------


def _reform(args: argparse.Namespace) -> int:
    base = _load(args.base)
    changes: dict[str, str | None] = {}
    for path, value in args.changes:
        if path in changes:
            raise _UserError(f"--set {path} is given twice")
        changes[path] = value or None
    if args.output:
        _output_apart(args.output, {"base scheme": args.base})
        _writable(args.output)
    reform = base.with_changes(changes)
    text = reform.to_yaml()
    if not args.output:
        sys.stdout.write(text)
        return 0
    _write_text(Path(args.output), text)
    after = parameters(reform)
    shown = []
    for path in changes:
        found = find_parameter(base.model, path)
        shown.append(f"{found.path} {_shown(found.value)} -> {_shown(after[found.path])}")
    print(f"wrote {args.output}: {reform.id} version {reform.version}, fingerprint "
          f"{reform.fingerprint[:12]}")
    print(f"changed: {'; '.join(shown)}")
    return 0


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _write_text(path: Path, text: str) -> None:
    """Whole or not at all, through an exclusive temporary file beside the target."""
    with replacing(path, "scheme") as sink:
        sink.write(text.encode("utf-8"))


# -- serve --------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from ras._faces.service import serve  # deferred: FastAPI only when serving

    serve(args.schemes, host=args.host, port=args.port, max_children=args.max_children,
          root_path=args.root_path, forwarded_allow_ips=args.forwarded_allow_ips,
          dry_run=args.dry_run)
    return 0


# -- schema -------------------------------------------------------------------------------


def _schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        target = Path(args.output)
        _writable(args.output)
        if target.exists() and not _is_our_schema(target):
            raise _UserError(f"{target}: the file exists and is not a JSON Schema that `ras "
                             "schema` wrote; it is left alone: remove it or choose another "
                             "name")
        with replacing(target, "JSON Schema") as sink:
            sink.write(text.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _is_our_schema(path: Path) -> bool:
    """Whether a file is a JSON Schema of the scheme format (which ``-o`` may replace)."""
    try:
        if path.stat().st_size > 10_000_000:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("$id", "")).startswith("urn:ras:scheme-format")
