"""Score a cohort file of any size: CSV or Parquet in, CSV or Parquet out, a chunk at a time.

The format of each file is chosen by its suffix: ``.csv`` or ``.csv.gz`` for CSV, ``.parquet``
or ``.pq`` for Parquet (through pyarrow, the ``parquet`` extra). Rows are read ``chunksize`` at a
time, scored by ``Scheme.calculate_frame`` and written at once, so memory stays flat however large
the file. The output has one row per input row, in the same order: first the input's columns that
are not questions (a child id, the setting, anything else), unchanged, then the figures of
``calculate_frame`` (and ``error`` with ``errors="flag"``).

How a CSV cell is read. Every cell of a CSV file is read as text, so that nothing is guessed:
leading zeros in a child id survive, ``NA`` or ``None`` stay text, and an option id that looks
like a number is not turned into one. An answer cell (a question or the setting) then names

1. the option (or setting) whose id it is, exactly, if there is one;
2. otherwise, when it is a whole number written in digits (``2``, or ``2.0`` as spreadsheets
   sometimes write it), the option at that position, 0 for the first; but not for a question
   (or the setting) whose ids are themselves numerals, where such digits are a mistake;
3. otherwise nothing: the row is bad (``AnswerError``, or flagged with its reason).

An empty cell is a missing answer, which is also bad, never scored as zero. Text answers in a
Parquet file are read by the same rule; Parquet integer columns are positions, and dictionary
columns are read by their values. Rows are named by their position in the file, 0 for the
first row after the header.

With pyarrow installed, a CSV file is read by pyarrow's CSV reader (``csv_arrow``), which gives
the cells pandas' ``read_csv`` gives and hands anything it might read otherwise (rows of another
width, text that is not UTF-8, a damaged gzip file) to pandas, from the first row not yet
scored; without pyarrow, pandas reads it all.

Memory: a CSV file is read ``chunksize`` rows at a time. A Parquet file is read in batches of
``chunksize`` rows too, but pyarrow decodes a row group at a time, so a file written as one huge
row group needs that row group's memory; the output is written one row group per chunk.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import importlib
import os
import re
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ras._base import (
    AnswerError,
    CalculationError,
    MissingFileError,
    UsageError,
    a_kind,
    check_target,
    is_regular,
    path_text,
    replacing,
    same_file,
)
from ras._engine import missing_columns, numerals, total_pounds
from ras._faces.cells import (
    MONEY_PRECISION,
    PROVENANCE_COLUMNS,
    money_columns,
    money_decimals,
    money_strings,
    money_text,
    safe_arrow,
    safe_text,
)
from ras._faces.cells import provenance as _provenance
from ras._faces.csv_arrow import Unread, arrow_chunks, arrow_csv, categorical, objects
from ras._faces.csv_rows import Plain, csv_rows
from ras._faces.excel import ExcelWriter, chunks_of, openpyxl, read_workbook
from ras._reasons import money as pounds_text

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["FileSummary", "calculate_file"]

_POSITION = re.compile(r"[0-9]+(?:\.0*)?")
_SUFFIXES = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet", ".pq": "parquet",
             ".xlsx": "xlsx"}
_AUTO_PROGRESS_BYTES = 5_000_000
_CRLF = "\r\n"
_PER = {"year": "", "term": " a term", "week": " a week", "one_off": " (one-off)"}
_INSTALL_HINT = "reading or writing Parquet needs pyarrow: pip install 'ras[parquet]'"


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What ``calculate_file`` did: rows written, how many were bad, how long it took, and the
    figures a finance officer checks first.

    ``personal_sen_budget`` and ``total_personal_budget`` are the exact totals (Decimal pounds)
    over the children who have that figure; ``referred`` counts the children with any stream
    flagged for panel review, and ``no_amount`` the scored children whose personal SEN budget is
    missing until the panel decides, and ``no_total`` those whose total personal budget is
    (any stream without an amount), so that the totals say whom they leave out. ``period`` is
    the scheme's (version 2): the totals are per it and say so ("£1,400.00 a term"), as
    letters do, so that a termly or weekly figure is never read as yearly.
    """

    source: str
    target: str
    rows: int
    bad_rows: int
    seconds: float
    chunks: int
    personal_sen_budget: Decimal = Decimal("0.00")
    total_personal_budget: Decimal = Decimal("0.00")
    referred: int = 0
    no_amount: int = 0
    no_total: int = 0
    period: str = "year"

    def __str__(self) -> str:
        rate = f", {self.rows / self.seconds:,.0f} rows/s" if self.seconds > 0 else ""
        lines = [f"{self.rows:,} rows from {self.source} written to {self.target} "
                 f"({self.bad_rows:,} bad) in {self.seconds:.2f} s{rate}"]
        scored = self.rows - self.bad_rows
        per = _PER.get(self.period, "")
        lines.append(f"personal SEN budgets (element 3): {pounds_text(self.personal_sen_budget)}"
                     f"{per} in total for {_children(scored - self.no_amount)}")
        lines.append(f"total personal budgets (all streams): "
                     f"{pounds_text(self.total_personal_budget)}{per} for "
                     f"{_children(scored - self.no_total)}")
        waiting = (f", {self.no_amount:,} of them with no personal SEN budget until it decides"
                   if self.no_amount else "")
        lines.append(f"referred to panel: {_children(self.referred)}{waiting}")
        return "\n".join(lines)


def _children(count: int) -> str:
    return f"{count:,} {'child' if count == 1 else 'children'}"


@dataclass(slots=True)
class _Tally:
    """The running figures of a file, a chunk at a time, in exact pence."""

    personal_sen_budget: Decimal = Decimal("0.00")
    total_personal_budget: Decimal = Decimal("0.00")
    referred: int = 0
    no_amount: int = 0
    no_total: int = 0

    def add(self, result: pd.DataFrame, streams: tuple[str, ...]) -> None:
        good = (result["error"] == "").to_numpy() if "error" in result else True
        element3 = result["personal_sen_budget"].to_numpy(dtype=float)
        self.personal_sen_budget += total_pounds(element3, skipna=True)
        total = result["total_personal_budget"].to_numpy(dtype=float)
        self.total_personal_budget += total_pounds(total, skipna=True)
        flagged = np.zeros(len(result), dtype=bool)
        for stream in streams:
            flagged |= (result[f"{stream}_review"] != "").to_numpy()
        self.referred += int((flagged & good).sum())
        self.no_amount += int((np.isnan(element3) & good).sum())
        self.no_total += int((np.isnan(total) & good).sum())


def calculate_file(
    scheme: Scheme,
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    chunksize: int = 100_000,
    errors: Literal["raise", "flag"] = "raise",
    progress: bool | None = None,
    money: Literal["exact", "float"] = "exact",
    provenance: bool = False,
    spreadsheet_safe: bool | None = None,
) -> FileSummary:
    """Score every row of a CSV or Parquet file and write the budgets to another file.

    The source has a column per question id and a ``setting`` column (option ids or positions;
    see the module documentation for how CSV cells are read); its other columns are copied to
    the target first. ``errors="raise"`` stops at the first chunk with a bad row and raises
    ``AnswerError`` naming the rows (0 is the first after the header) and questions; the target
    is then left untouched, as it is whenever the call fails, since the output is written to a
    temporary file that replaces the target only at the end. ``errors="flag"`` writes every row,
    with an ``error`` column that explains the bad ones, whose figures are missing.
    ``progress`` draws a bar on standard error: ``None`` (the default) does when standard error
    is a terminal and the source is over 5 MB.

    Money is exact: two-decimal text in CSV (``4000.00``), ``decimal128(18, 2)`` in Parquet;
    ``money="float"`` writes float64 pounds to Parquet instead. Parquet files carry the scheme's
    id, version and fingerprint and the ras version as metadata (``ras.scheme_id`` ...);
    ``provenance=True`` adds them as columns too (``ras_scheme_id`` ...). ``spreadsheet_safe``
    puts a ``'`` before text cells a spreadsheet would run as a formula (``=``, ``+``, ``-``,
    ``@``, tab, carriage return; a plain number such as ``-12.50`` is left alone); ``None``
    (the default) does so for CSV, the format people open in a spreadsheet.

    ``.xlsx`` works both ways with the ``excel`` extra (openpyxl): money cells in a ``£``
    format, text never a formula, and a ``provenance`` sheet. ``"-"`` as the source reads CSV
    from standard input, and as the target writes CSV to standard output (not atomically: a
    pipe cannot be replaced whole); a file really named ``-`` is ``./-``.

    Parameters
    ----------
    scheme
        The scheme to score with.
    source
        The cohort: ``.csv``, ``.csv.gz``, ``.parquet``, ``.pq`` or ``.xlsx``; ``"-"`` for
        standard input (CSV).
    target
        Where to write the budgets, in any of those formats (not the source itself);
        ``"-"`` for standard output (CSV).
    chunksize
        Rows read and scored at a time.
    errors
        ``"raise"`` (the default) or ``"flag"``, as above.
    progress
        Draw a progress bar on standard error; ``None`` decides as above.
    money
        ``"exact"`` (the default) or ``"float"`` (Parquet only).
    provenance
        Add the scheme's id, version and fingerprint and the ras version as columns.
    spreadsheet_safe
        Neutralise text a spreadsheet would run as a formula; ``None`` decides as above.

    Returns
    -------
    FileSummary
        Rows, bad rows, seconds, and the exact totals of the personal SEN budgets and the
        total personal budgets with how many children are referred to panel; ``print`` it
        for what ``ras calculate`` prints.

    Raises
    ------
    AnswerError
        With ``errors="raise"``, the first chunk with a bad row: its rows and questions.
    CalculationError
        A file that cannot be read or a name whose format cannot be told, a target that is
        the source, or a column that clashes with an output column.
    MissingFileError
        The source is not there (a ``FileNotFoundError`` too).
    UsageError
        An ``errors``, ``chunksize`` or ``money`` that is not one of those allowed.
    ImportError
        Parquet without pyarrow (the ``parquet`` extra), or Excel without openpyxl (the
        ``excel`` extra).

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "budgets.csv"
    >>> summary = ras.calculate_file(scheme, "examples/points_rate.csv", target)
    >>> summary.rows, summary.bad_rows, summary.personal_sen_budget, summary.referred
    (300, 0, Decimal('1644860.00'), 28)
    """
    from ras._scheme import Scheme

    if not isinstance(scheme, Scheme):
        raise UsageError(f"calculate_file scores with a ras.Scheme, not {a_kind(scheme)}")
    source, target = path_text(source, "calculate_file"), path_text(target, "calculate_file")
    if errors not in ("raise", "flag"):
        raise UsageError(f"errors must be 'raise' or 'flag', not {errors!r}")
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise UsageError(f"chunksize must be a whole number of rows, 1 or more; "
                         f"found {chunksize!r}")
    if money not in ("exact", "float"):
        raise UsageError(f"money must be 'exact' or 'float', not {money!r}")
    with contextlib.ExitStack() as stack:
        from_stdin, to_stdout = os.fspath(source) == STANDARD, os.fspath(target) == STANDARD
        source_path = _spooled_stdin(stack) if from_stdin else Path(source)
        target_path = Path(target)
        source_kind = "csv" if from_stdin else _kind(source_path, "source")
        target_kind = "csv" if to_stdout else _kind(target_path, "target")
        # CSV is what people open in a spreadsheet; .xlsx cells are text, never formulas
        layout = _Layout(money_columns(scheme), money == "float", _provenance(scheme),
                         bool(provenance), target_kind == "csv" if spreadsheet_safe is None
                         else bool(spreadsheet_safe))
        check_source(source_path)
        if not to_stdout:
            if same_file(source_path, target_path):
                raise CalculationError(f"the target {target_path} is the source; write the "
                                       "budgets to another file")
            check_target(target_path, "budgets")  # before the work, not after it
        if "parquet" in (source_kind, target_kind):
            _pyarrow()  # fail before any work when pyarrow is missing
        if "xlsx" in (source_kind, target_kind):
            openpyxl()  # and when openpyxl is
        sink = (contextlib.nullcontext(sys.stdout.buffer) if to_stdout
                else replacing(target_path, "budgets"))
        named_source = "standard input" if from_stdin else str(source_path)
        named_target = "standard output" if to_stdout else str(target_path)
        return _run(scheme, source_path, source_kind, target_path, target_kind, sink, layout,
                    chunksize, errors, progress, named_source, named_target)


STANDARD = "-"  # standard input or output, as CSV


def _spooled_stdin(stack: contextlib.ExitStack) -> Path:
    """Standard input copied to a private temporary file, read then as any CSV file is (so
    the header can be read first and the progress bar knows the size); removed at the end."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ras-stdin-")))
    path = folder / "standard-input.csv"
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    if stdin is None:
        raise CalculationError("there is no standard input to read the cohort from")
    with open(path, "xb") as copy:
        shutil.copyfileobj(stdin, copy, 1 << 20)
    return path


def _run(scheme: Scheme, source_path: Path, source_kind: str, target_path: Path,
         target_kind: str, sink_context: contextlib.AbstractContextManager[Any],
         layout: _Layout, chunksize: int, errors: Literal["raise", "flag"],
         progress: bool | None, named_source: str, named_target: str) -> FileSummary:
    terminal = sys.stderr is not None and sys.stderr.isatty()
    show = (terminal and source_path.stat().st_size > _AUTO_PROGRESS_BYTES
            if progress is None else bool(progress))

    start = time.perf_counter()
    reader: _CsvReader | _ParquetReader | _ExcelReader = (
        _CsvReader(source_path, chunksize) if source_kind == "csv"
        else _ExcelReader(source_path, chunksize) if source_kind == "xlsx"
        else _ParquetReader(source_path, chunksize))
    bar = _Bar(reader.total, reader.unit) if show else None
    rows = bad_rows = chunks = 0
    tally = _Tally()
    complete = False
    try:
        carried = _check_columns(scheme, reader.columns(), errors, layout, source_path)
        answers_wanted = [*scheme.question_ids, "setting"]
        with sink_context as sink:
            writer: _CsvWriter | _ParquetWriter | _XlsxWriter = (
                _CsvWriter(sink, target_path, layout) if target_kind == "csv"
                else _XlsxWriter(sink, layout, named_source) if target_kind == "xlsx"
                else _ParquetWriter(sink, layout))
            try:
                for chunk in reader.chunks(answers_wanted, carried):
                    answers = _answers(chunk.answers, scheme)
                    result = scheme.calculate_frame(answers, errors=errors)
                    writer.write(chunk, result)
                    rows += len(result)
                    chunks += 1
                    tally.add(result, scheme.stream_ids)
                    if errors == "flag":
                        bad_rows += int((result["error"] != "").sum())
                    if bar is not None:
                        bar.update(reader.done(), rows)
                writer.finish(carried, scheme.output_columns + (("error",) if errors == "flag"
                                                               else ()))
            finally:
                writer.close()
        complete = True
    finally:
        reader.close()
        if bar is not None:
            bar.close(rows, complete=complete)
    return FileSummary(named_source, named_target, rows, bad_rows,
                       time.perf_counter() - start, chunks, tally.personal_sen_budget,
                       tally.total_personal_budget, tally.referred, tally.no_amount, tally.no_total,
                       scheme.period)


# -- formats and columns ------------------------------------------------------------------


def _kind(path: Path, role: str) -> str:
    name = path.name.lower()
    for suffix, kind in sorted(_SUFFIXES.items(), key=lambda item: -len(item[0])):
        if name.endswith(suffix):
            return kind
    raise CalculationError(f"cannot tell the format of the {role} {path} from its name; "
                           f"expected a name ending in {', '.join(_SUFFIXES)}")


def _pyarrow() -> tuple[Any, Any]:
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error


def _check_columns(scheme: Scheme, columns: list[str], errors: str,
                   layout: _Layout | None = None, source: Path | None = None) -> list[str]:
    """The columns to carry through; refuse a file without a question or setting column, or
    with a column that would clash with an output column."""
    missing = missing_columns(columns, [*scheme.question_ids, "setting"])
    if missing:
        separator = _other_separator(columns)
        if separator:
            raise CalculationError(
                f"{source or 'the file'}: the header is one column, {_shown(columns[0])}, "
                f"holding {separator}: the file seems to be separated by {separator}, but a "
                "cohort CSV file is separated by commas; save it as 'CSV UTF-8 (comma "
                "delimited)'")
        raise AnswerError(missing)
    questions = set(scheme.question_ids)
    carried = [c for c in columns if c not in questions]  # the setting too, as it was written
    outputs = {*scheme.output_columns, *(("error",) if errors == "flag" else ()),
               *(PROVENANCE_COLUMNS if layout is not None and layout.columns else ())}
    clash = [c for c in carried if c in outputs]
    if clash:
        raise CalculationError(f"the file's column(s) {', '.join(map(repr, clash))} would clash "
                               "with output columns of the same name; rename them")
    return carried


def _other_separator(columns: list[str]) -> str | None:
    """Semicolons, tabs or bars, when a one-column header holds them (an Excel export in a
    locale whose list separator is not a comma, or a tab-separated file)."""
    if len(columns) != 1:
        return None
    for mark, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
        if mark in columns[0]:
            return name
    return None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _text_answer(value: Any, ids: Mapping[str, int], numeral_ids: bool) -> Any:
    """The module rule: an exact id, else digits as a position, else left to be refused.

    Where some ids are numerals themselves (need levels "1" to "4"), digits that are not an id
    are refused rather than read as a position: "0" there is a mistake, not the first level.
    """
    if (isinstance(value, str) and value not in ids and not numeral_ids
            and _POSITION.fullmatch(value)):
        return int(value.split(".")[0])
    return value


def _answer_column(series: pd.Series[Any], ids: Mapping[str, int]) -> Any:
    """Text answers as a categorical of ids and positions; other columns as they are."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        values = list(series.cat.categories)
        if all(isinstance(v, str) and v in ids for v in values):
            return series.array  # every category an id already: nothing to map
    elif pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = list(uniques)
    else:
        return series
    numeral_ids = bool(numerals(ids))
    mapped = pd.Series([_text_answer(v, ids, numeral_ids) for v in values], dtype=object)
    new_codes, new_values = pd.factorize(mapped, use_na_sentinel=True)  # "2" and "2.0" meet
    table = np.append(new_codes, -1)  # code -1 (missing) stays missing
    return pd.Categorical.from_codes(table[codes], categories=pd.Index(new_values, dtype=object))


def _answers(frame: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    options = scheme.option_ids
    columns: dict[str, Any] = {}
    for q in scheme.question_ids:
        columns[q] = _answer_column(frame[q], dict.fromkeys(options[q], 0))
    columns["setting"] = _answer_column(frame["setting"], dict.fromkeys(scheme.setting_ids, 0))
    return pd.DataFrame(columns, index=frame.index)


# -- readers -------------------------------------------------------------------------------


class _Chunk:
    """A chunk of the cohort: its answers, and the other columns, which are carried to the
    output as they were read: a pandas frame, and the pyarrow table they came from (Parquet
    sources) or their text as a pyarrow table (CSV read by pyarrow), else None."""

    __slots__ = ("_carried", "answers", "carried_arrow", "carried_text")

    def __init__(self, answers: pd.DataFrame, carried: pd.DataFrame | None,
                 carried_arrow: Any = None, carried_text: Any = None) -> None:
        self.answers = answers  # question and setting columns, indexed by row position
        self._carried = carried
        self.carried_arrow = carried_arrow
        self.carried_text = carried_text

    @property
    def carried(self) -> pd.DataFrame:
        """The other columns as pandas reads them (made from their text only when asked)."""
        if self._carried is None:
            text = self.carried_text
            self._carried = pd.DataFrame(
                {name: objects(text.column(name)) for name in text.column_names},
                index=self.answers.index, dtype=object)
        return self._carried


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """The errors of a file that cannot be read to the end (pandas', gzip's, pyarrow's), as one
    CalculationError that names the file and says what is wrong with it."""
    try:
        yield
    except pd.errors.EmptyDataError:
        raise CalculationError(f"{path}: the file is empty; a cohort file starts with a header "
                               "row of column names") from None
    except pd.errors.ParserError as error:
        raise CalculationError(f"{path}: not a readable CSV file: {error}".strip()) from None
    except UnicodeDecodeError:
        raise CalculationError(f"{path}: the file is not UTF-8 text; save it as 'CSV UTF-8' "
                               "(Excel) or convert it to UTF-8") from None
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise CalculationError(f"{path}: not a readable gzip file: it is truncated or damaged "
                               "(compress the CSV file again)") from None
    except _arrow_errors():
        raise CalculationError(f"{path}: not a readable Parquet file: it is truncated or "
                               "damaged, or not Parquet at all (write it again)") from None


def _arrow_errors() -> tuple[type[BaseException], ...]:
    """pyarrow's error classes when pyarrow is installed (without importing it otherwise)."""
    arrow = sys.modules.get("pyarrow")
    return (arrow.lib.ArrowException,) if arrow is not None else ()


def check_columns(columns: list[str], schemes: Sequence[Scheme], source: Path) -> None:
    """Refuse a cohort without a column each scheme needs, in the words calculate_file uses."""
    wanted = dict.fromkeys(q for scheme in schemes for q in (*scheme.question_ids, "setting"))
    missing = missing_columns(columns, wanted)
    if missing:
        separator = _other_separator(columns)
        if separator:
            _check_columns(schemes[0], columns, "raise", None, source)
        raise AnswerError(missing)


def check_source(path: Path) -> None:
    """Refuse a cohort that is missing or not a regular file (a FIFO would hang the read, a
    device such as /dev/zero never ends) before any work."""
    regular, what = is_regular(path)
    if what == "missing":
        raise MissingFileError(f"no such cohort file: {path}")
    if not regular:
        raise CalculationError(f"{path}: {what}, not a file: a cohort must be a regular file")


class _CsvReader:
    unit = "bytes"

    def __init__(self, path: Path, chunksize: int) -> None:
        self.path, self.chunksize = path, chunksize
        self.compression: Literal["gzip"] | None = (
            "gzip" if path.name.lower().endswith(".gz") else None)
        self.total = path.stat().st_size
        self._raw: IO[bytes] | None = None  # pandas' handle
        self._arrow_raw: Any = None  # pyarrow's, while it reads
        self._tables: Generator[Any, None, None] | None = None  # pyarrow's chunks

    def _read(self, handle: IO[bytes], **options: Any) -> Any:
        return pd.read_csv(handle, dtype=object, keep_default_na=False, na_values=[""],
                           compression=self.compression, **options)

    def columns(self) -> list[str]:
        with open(self.path, "rb") as handle, reading(self.path):
            return [str(c) for c in self._read(handle, nrows=0).columns]

    def chunks(self, answers: list[str], carried: list[str]) -> Iterator[_Chunk]:
        """pyarrow's reader where it reads the file as pandas would (csv_arrow), pandas for
        the rest of the file from the first row pyarrow did not hand over, or for all of it."""
        position = 0
        arrow = arrow_csv()
        if arrow is not None:
            pa, pacsv = arrow
            # pyarrow's own handle (its threads may read ahead), and its own gzip, which
            # refuses whatever Python's refuses (and a little more, which pandas then reads)
            self._arrow_raw = pa.OSFile(str(self.path))
            stream = (pa.CompressedInputStream(self._arrow_raw, "gzip") if self.compression
                      else self._arrow_raw)
            self._tables = arrow_chunks(stream, self.columns(), answers, self.chunksize,
                                        pa, pacsv)
            try:
                for table in self._tables:
                    n = table.num_rows
                    index = pd.RangeIndex(position, position + n)
                    frame = pd.DataFrame({name: categorical(table.column(name))
                                          for name in answers}, index=index)
                    text = table.select(carried)  # the setting stays a dictionary
                    position += n
                    yield _Chunk(frame, None, None, text)
                return
            except Unread:
                pass
        self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        skip = position  # rows pyarrow handed over: whole chunks, read again and passed by
        position = 0
        with reading(self.path):
            for frame in self._read(self._raw, chunksize=self.chunksize):
                if not isinstance(frame.index, pd.RangeIndex):
                    # rows wider than the header: pandas would take the first column as an
                    # index and shift every column left by one
                    raise CalculationError(self._wider_rows())
                frame.index = pd.RangeIndex(position, position + len(frame))
                position += len(frame)
                if skip and position <= skip:
                    continue  # pyarrow handed these rows over (a header alone is one chunk)
                yield _Chunk(frame[answers], frame[carried], None)

    def _wider_rows(self) -> str:
        """Find the first line with more fields than the header (read again, only now)."""
        opener = gzip.open if self.compression else open
        with opener(self.path, "rt", encoding="utf-8", newline="") as handle:
            records = csv.reader(handle)
            width = len(next(records, []))
            for record in records:
                if len(record) > width:
                    return (f"{self.path}: line {records.line_num} has {len(record)} fields "
                            f"but the header has {width} column names; a header cell is "
                            "missing or the row has a stray field")
        return (f"{self.path}: the rows have more fields than the header has column names; a "
                "header cell is missing or the rows have a stray field")

    def done(self) -> int:
        for raw in (self._raw, self._arrow_raw):
            if raw is not None and not raw.closed:
                return int(raw.tell())
        return self.total

    def close(self) -> None:
        if self._tables is not None:
            self._tables.close()  # and with it the thread reading ahead
        for raw in (self._raw, self._arrow_raw):
            if raw is not None:
                raw.close()


def _whole_numbers(arrow_type: Any) -> Any:
    """pandas' nullable integers for Arrow integers (else the default), so that a column of
    ages with blanks is written as 7 and an empty cell, not 7.0."""
    pa, _ = _pyarrow()
    return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None


class _ParquetReader:
    unit = "rows"

    def __init__(self, path: Path, chunksize: int) -> None:
        _, pq = _pyarrow()
        self.path = path
        with reading(path):
            self.file = pq.ParquetFile(path)
        self.chunksize = chunksize
        self.total = int(self.file.metadata.num_rows)
        self._done = 0

    def columns(self) -> list[str]:
        return [str(name) for name in self.file.schema_arrow.names]

    def chunks(self, answers: list[str], carried: list[str]) -> Iterator[_Chunk]:
        pa, pq = _pyarrow()
        position = 0
        # text answers read as dictionaries, so pandas gets categoricals: each distinct answer
        # is looked up once, not once per row (the setting is carried to the output as written)
        schema = self.file.schema_arrow
        coded = [name for name in answers if name != "setting" and name in schema.names
                 and (pa.types.is_string(schema.field(name).type)
                      or pa.types.is_large_string(schema.field(name).type))]
        if coded:
            with reading(self.path):
                self.file.close()
                self.file = pq.ParquetFile(self.path, read_dictionary=coded)
        batches = self.file.iter_batches(batch_size=self.chunksize)
        while True:
            with reading(self.path):  # a damaged page shows only when it is read
                batch = next(batches, None)
            if batch is None:
                return
            n = batch.num_rows
            index = pd.RangeIndex(position, position + n)
            frame = batch.select(answers).to_pandas()
            frame.index = index
            kept = pa.Table.from_batches([batch.select(carried)]) if carried else None
            # without pandas' metadata, a column it wrote from its index (a child id) stays
            # a column; whole numbers stay whole numbers, blanks and all
            carried_frame = (kept.to_pandas(ignore_metadata=True, types_mapper=_whole_numbers)
                             if kept is not None else pd.DataFrame(index=range(n)))
            carried_frame.index = index
            position += n
            self._done = position
            yield _Chunk(frame, carried_frame, kept)

    def done(self) -> int:
        return self._done

    def close(self) -> None:
        self.file.close()


class _ExcelReader:
    """The first sheet of a workbook, read whole (a sheet is at most 1,048,576 rows) and then
    scored a chunk at a time like any cohort."""

    unit = "rows"

    def __init__(self, path: Path, chunksize: int) -> None:
        self.frame = read_workbook(path)
        self.chunksize = chunksize
        self.total = len(self.frame)
        self._done = 0

    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def chunks(self, answers: list[str], carried: list[str]) -> Iterator[_Chunk]:
        self.frame.index = pd.RangeIndex(len(self.frame))
        for chunk in chunks_of(self.frame, self.chunksize):
            self._done += len(chunk)
            yield _Chunk(chunk[answers], chunk[carried], None)

    def done(self) -> int:
        return self._done

    def close(self) -> None:
        """Nothing to release: the sheet was read whole."""


# -- writers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """How the figures are written: which columns are money, floats or exact, the provenance
    (always Parquet metadata; columns on request) and whether text is made spreadsheet-safe."""

    money: frozenset[str]
    floats: bool
    provenance: Mapping[str, str]
    columns: bool
    safe: bool

    def carried(self, carried: pd.DataFrame) -> dict[str, Any]:
        """The columns carried from the cohort, by name, spreadsheet-safe when asked."""
        return {name: safe_text(carried[name]) if self.safe else carried[name]
                for name in carried.columns}

    def provenance_columns(self, n: int) -> dict[str, Any]:
        if not self.columns:
            return {}
        values = self.provenance.values()
        return {name: np.full(n, value, dtype=object)
                for name, value in zip(PROVENANCE_COLUMNS, values, strict=True)}


class _CsvWriter:
    """RFC 4180 CSV: lines end in CR LF, so that a cell holding a line break of either kind
    (a lone carriage return too) is quoted and reads back as one cell of one row. Money is
    two-decimal text; text cells are spreadsheet-safe unless asked otherwise. With pyarrow
    installed the rows are made by its compute kernels (``csv_rows``), byte for byte what
    pandas writes, several times faster; without it, by pandas."""

    def __init__(self, sink: IO[bytes], target: Path, layout: _Layout) -> None:
        self.layout = layout
        self.zipped: gzip.GzipFile | None = None
        self.raw: IO[bytes] | gzip.GzipFile = sink
        if target.name.lower().endswith(".gz"):
            # the name inside the gzip header is the target's, not the temporary file's
            self.zipped = gzip.GzipFile(filename=target.name[:-3], mode="wb", fileobj=sink)
            self.raw = self.zipped
        try:
            self.arrow: tuple[Any, Any] | None = (importlib.import_module("pyarrow"),
                                                  importlib.import_module("pyarrow.compute"))
        except ImportError:
            self.arrow = None
        self.header = True

    def write(self, chunk: _Chunk, result: pd.DataFrame) -> None:
        layout = self.layout
        if self.header:
            extra = PROVENANCE_COLUMNS if layout.columns else ()
            names = [*self._carried_names(chunk), *result.columns, *extra]
            self._text(pd.DataFrame(columns=names).to_csv(index=False, lineterminator=_CRLF))
            self.header = False
        body = self._rows(chunk, result) if self.arrow is not None else None
        if body is None:  # pandas, the one writer that needs nothing but pandas
            columns = layout.carried(chunk.carried)
            for name in result.columns:
                columns[name] = (money_text(result[name].to_numpy()) if name in layout.money
                                 else safe_text(result[name]) if layout.safe else result[name])
            columns.update(layout.provenance_columns(len(result)))
            frame = pd.DataFrame(columns, index=result.index, copy=False)
            self._text(frame.to_csv(index=False, header=False, lineterminator=_CRLF))
        else:
            self.raw.write(body)

    @staticmethod
    def _carried_names(chunk: _Chunk) -> list[str]:
        text = chunk.carried_text
        return list(text.column_names) if text is not None else list(chunk.carried.columns)

    def _rows(self, chunk: _Chunk, result: pd.DataFrame) -> bytes | None:
        """The rows by pyarrow's kernels (csv_rows): the carried columns from their Arrow text
        when pyarrow read them, money as Arrow's text of the exact pence."""
        assert self.arrow is not None
        pa, pc = self.arrow
        layout = self.layout
        text = chunk.carried_text
        cells: list[Any]
        if text is not None:
            cells = [column.combine_chunks() for column in text.columns]
            if layout.safe:
                cells = [pa.DictionaryArray.from_arrays(cell.indices,
                                                        safe_arrow(cell.dictionary, pa, pc))
                         if pa.types.is_dictionary(cell.type) else safe_arrow(cell, pa, pc)
                         for cell in cells]
        else:
            cells = list(layout.carried(chunk.carried).values())
        for name in result.columns:
            if name in layout.money:
                cells.append(Plain(money_strings(result[name].to_numpy(), pa, pc)))
            else:
                cells.append(safe_text(result[name]) if layout.safe else result[name])
        cells += [pd.Series(v, copy=False) for v in layout.provenance_columns(len(result)).values()]
        return csv_rows(cells, pa, pc)

    def _text(self, text: str) -> None:
        self.raw.write(text.encode("utf-8"))

    def finish(self, carried: list[str], outputs: tuple[str, ...]) -> None:
        if self.header:  # no rows at all: the header alone
            extra = PROVENANCE_COLUMNS if self.layout.columns else ()
            self._text(pd.DataFrame(columns=[*carried, *outputs, *extra]).to_csv(
                index=False, lineterminator=_CRLF))

    def close(self) -> None:
        if self.zipped is not None:
            self.zipped.close()  # the sink is closed by whoever opened it


class _ParquetWriter:
    """One row group per chunk; money as decimal128(18, 2) (or float64 on request), and the
    provenance in the file's metadata."""

    def __init__(self, sink: IO[bytes], layout: _Layout) -> None:
        self.pa, self.pq = _pyarrow()
        self.sink = sink
        self.layout = layout
        self.writer: Any = None
        self.schema: Any = None

    def _metadata(self, schema: Any) -> Any:
        return schema.with_metadata({**(schema.metadata or {}), **{
            k.encode(): v.encode() for k, v in self.layout.provenance.items()}})

    def write(self, chunk: _Chunk, result: pd.DataFrame) -> None:
        carried, carried_arrow = chunk.carried, chunk.carried_arrow
        pa, layout = self.pa, self.layout
        if layout.safe:
            result = pd.DataFrame({c: result[c] if c in layout.money else safe_text(result[c])
                                   for c in result.columns}, index=result.index)
        figures = pa.Table.from_pandas(result, preserve_index=False)
        if not layout.floats:
            for name in layout.money & set(figures.column_names):
                i = figures.column_names.index(name)
                figures = figures.set_column(i, name, money_decimals(result[name], pa))
        for name, values in layout.provenance_columns(len(result)).items():
            figures = figures.append_column(name, pa.array(values, type=pa.string()))
        if carried_arrow is not None:
            kept = carried_arrow
            if layout.safe:  # asked for: the text columns made spreadsheet-safe
                for i, field in enumerate(kept.schema):
                    if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                        safe = safe_text(carried[field.name]).to_numpy(dtype=object)
                        kept = kept.set_column(i, field, pa.array(safe, type=field.type))
        else:  # CSV source: the carried columns are text
            if layout.safe:
                carried = pd.DataFrame({c: safe_text(carried[c]) for c in carried.columns},
                                       index=carried.index)
            kept = pa.Table.from_pandas(
                carried, preserve_index=False,
                schema=pa.schema([(str(c), pa.string()) for c in carried.columns]))
        table = pa.Table.from_arrays([*kept.columns, *figures.columns],
                                     names=[*kept.column_names, *figures.column_names])
        if self.writer is None:
            self.schema = self._metadata(table.schema)
            self.writer = self.pq.ParquetWriter(self.sink, self.schema)
        table = table.replace_schema_metadata(self.schema.metadata)
        if not table.schema.equals(self.schema, check_metadata=False):
            table = table.cast(self.schema)
        self.writer.write_table(table)

    def finish(self, carried: list[str], outputs: tuple[str, ...]) -> None:
        if self.writer is None:  # no rows at all: an empty file with the output columns
            pa, layout = self.pa, self.layout
            money_type = pa.float64() if layout.floats else pa.decimal128(MONEY_PRECISION, 2)
            fields = [(c, pa.string()) for c in carried]
            fields += [(c, money_type if c in layout.money
                        else pa.string() if c == "error" or c.endswith(("_band", "_review"))
                        else pa.float64()) for c in outputs]
            fields += [(c, pa.string()) for c in (PROVENANCE_COLUMNS if layout.columns else ())]
            self.writer = self.pq.ParquetWriter(self.sink, self._metadata(pa.schema(fields)))

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class _XlsxWriter:
    """A workbook: money as numbers in a pound format, text as text, a provenance sheet."""

    def __init__(self, sink: IO[bytes], layout: _Layout, source: str) -> None:
        self.layout = layout
        self.book = ExcelWriter(sink, layout.money, layout.provenance, source)

    def write(self, chunk: _Chunk, result: pd.DataFrame) -> None:
        carried = chunk.carried
        layout = self.layout
        columns = layout.carried(carried)
        for name in result.columns:
            columns[name] = (safe_text(result[name]) if layout.safe and name not in layout.money
                             else result[name])
        columns.update(layout.provenance_columns(len(result)))
        self.book.write(pd.DataFrame(columns, index=result.index, copy=False))

    def finish(self, carried: list[str], outputs: tuple[str, ...]) -> None:
        extra = PROVENANCE_COLUMNS if self.layout.columns else ()
        self.book.finish([*carried, *outputs, *extra])

    def close(self) -> None:
        self.book.close()


# -- the progress bar ------------------------------------------------------------------------


class _Bar:
    """A plain text bar on standard error, redrawn at most five times a second."""

    width = 30

    def __init__(self, total: int, unit: str) -> None:
        self.total, self.unit = max(total, 1), unit
        self.start = self.last = time.perf_counter()
        self.stream = sys.stderr

    def update(self, done: int, rows: int, *, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        share = min(1.0, done / self.total)
        filled = int(share * self.width)
        elapsed = now - self.start
        rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        self.stream.write(f"\rras: [{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{share:4.0%} {rows:,} rows {elapsed:.1f} s {rate}   ")
        self.stream.flush()

    def close(self, rows: int, *, complete: bool) -> None:
        if complete:
            self.update(self.total, rows, force=True)
        self.stream.write("\n")
        self.stream.flush()
