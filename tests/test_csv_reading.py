"""A cohort CSV read by pyarrow's reader gives the very file that pandas' reading gives (issue 19).

calculate_file reads CSV with pyarrow when it is installed and hands anything pyarrow might read
otherwise (short or wide rows, lines of spaces, text that is not UTF-8, damaged gzip) to pandas,
from the first row not yet scored. These tests write awkward files (quoted cells, line breaks in
cells, CR LF, lone CR, blank lines and blank cells, a byte order mark, gzip) and check that both
readers give byte-identical output files, the same summaries and the same errors.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ras
from ras._faces import csv_arrow
from ras._faces import files as files_module
from ras._faces.excel import read_workbook
from tests.paths import FIXTURES

pytest.importorskip("pyarrow")

SCHEME = ras.load_scheme(FIXTURES / "valid_small.yaml")
QUESTIONS = {"speech": ["none", "some", "lots"], "listening": ["none", "some"],
             "breaks": ["none", "some"], "setting": ["mainstream", "special"]}
ODD_ANSWERS = ["0", "1", "2", "2.0", "7", "x", "", " some", "SOME", "=1+2", "some,", 'so"me']
TEXT = st.text(alphabet=st.sampled_from(list('ab,"\r\n =+-@\t é£0.5\ufeff\x00')), max_size=6)


def outcome(source: Path, arrow: bool, **options: Any) -> tuple[Any, ...]:
    """What calculate_file makes of the source with one reader: the output's bytes and the
    summary's figures, or the error's class and words."""
    with pytest.MonkeyPatch.context() as patch:
        if not arrow:
            patch.setattr(files_module, "arrow_csv", lambda: None)
        suffix = ".csv.gz" if source.name.endswith(".gz") else ".csv"
        target = source.with_name(f"out-{'arrow' if arrow else 'pandas'}{suffix}")
        try:
            summary = ras.calculate_file(SCHEME, source, target, progress=False, **options)
        except Exception as error:  # the error is the outcome compared
            return type(error).__name__, str(error)
        data = target.read_bytes()
        if suffix == ".csv.gz":
            data = gzip.decompress(data)
        return (data, summary.rows, summary.bad_rows, summary.chunks,
                summary.personal_sen_budget, summary.total_personal_budget, summary.referred)


def both(source: Path, **options: Any) -> tuple[Any, ...]:
    with_arrow, with_pandas = outcome(source, True, **options), outcome(source, False, **options)
    assert with_arrow == with_pandas
    return with_arrow


def cell(text: str, quote: bool) -> str:
    """A cell as a spreadsheet might write it: quoted when it must be, and sometimes when not."""
    if quote or text[:1] == '"' or any(c in text for c in ',\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def cohorts(draw: st.DrawFn) -> bytes:
    header = ["child_id", *QUESTIONS, "note"]
    order = draw(st.permutations(header))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [",".join(cell(name, draw(st.booleans())) for name in order)]
    for i in range(draw(st.integers(0, 12))):
        values = {"child_id": f"{i:03d}", "note": draw(TEXT)}
        for q, ids in QUESTIONS.items():
            values[q] = draw(st.sampled_from(ids) if draw(st.integers(0, 5)) else
                             st.sampled_from(ODD_ANSWERS))
        row = [cell(values[name], draw(st.integers(0, 7)) == 0) for name in order]
        width = draw(st.sampled_from([0] * 12 + [-1, 1]))  # now and then short or wide
        row = row[:width] if width < 0 else row + ["x"] * width
        lines.append(",".join(row))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " ", ",,,,,", "\"", "a,\"b,c", "\x00", "\t"])))
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    # pandas' C parser shifts a row left when, with lone CR line ends, it follows a blank
    # line and starts with an empty cell; pyarrow reads it right (test below), so the two
    # are compared on other files
    assume("\r\r," not in text)
    data = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode()
    if draw(st.integers(0, 19)) == 0:  # now and then a byte that is not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff" + data[at:]
    return data


@pytest.fixture
def small_blocks() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_arrow, "BLOCK", 97)  # many batches, rows straddling them
        yield


@given(cohorts(), st.integers(1, 5), st.sampled_from(["flag", "raise"]),
       st.sampled_from([97, 1 << 20]), st.booleans())
def test_both_readers_write_the_same_bytes(data: bytes, chunksize: int, errors: str,
                                           block: int, zipped: bool) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_arrow, "BLOCK", block)
        source = Path(folder) / ("cohort.csv.gz" if zipped else "cohort.csv")
        source.write_bytes(gzip.compress(data) if zipped else data)
        both(source, chunksize=chunksize, errors=errors)


def rows(n: int) -> list[str]:
    return [f"C{i:05d},{QUESTIONS['speech'][i % 3]},some,none,{QUESTIONS['setting'][i % 2]},"
            f"\"note {i}, with a comma\"" for i in range(n)]


HEADER = "child_id,speech,listening,breaks,setting,note"


@pytest.mark.parametrize("bad", ["C02500,some,none,none", "C02500,some,none,none,special,a,b",
                                 "   "])
def test_pandas_takes_over_midway_from_the_first_row_not_scored(
        tmp_path: Path, small_blocks: None, bad: str) -> None:
    """Chunks of 1,000 rows scored from pyarrow's batches, then at line 2,502 a short row,
    a wide row or a line of spaces: pandas reads on from row 2,000, and the output, the
    summary and the error are what pandas alone gives."""
    lines = rows(3_000)
    lines[2_500] = bad
    source = tmp_path / "cohort.csv"
    source.write_text("\n".join([HEADER, *lines]) + "\n")
    flagged = both(source, chunksize=1_000, errors="flag")
    if bad.strip() == "":  # pandas skips a line of spaces: no row is lost or added
        assert flagged[1:4] == (2_999, 0, 3)
    elif bad.count(",") < HEADER.count(","):  # the short row is kept, flagged, not zero-filled
        assert flagged[1:4] == (3_000, 1, 3)
        line = flagged[0].split(b"\r\n")[2_501]
        assert line.startswith(b"C02500,,")
        assert line.endswith(b",setting: no setting given")
    else:
        assert flagged[0] == "CalculationError"
        assert "cohort.csv" in flagged[1]  # the file
        assert "2502" in flagged[1]  # and the line
    raised = both(source, chunksize=1_000)
    if bad.count(",") < HEADER.count(",") and bad.strip():
        assert raised[0] == "AnswerError"
        assert "2500" in raised[1]


def test_a_plain_file_is_read_by_pyarrow_and_gives_pandas_bytes(tmp_path: Path) -> None:
    """The fast path really is taken for an ordinary file (and gives pandas' bytes)."""
    source = tmp_path / "cohort.csv"
    source.write_text("\ufeff" + "\r\n".join([HEADER, *rows(500)]) + "\r\n")
    taken: list[int] = []
    real = csv_arrow.arrow_chunks

    def counted(*args: Any) -> Iterator[Any]:
        for table in real(*args):
            taken.append(table.num_rows)
            yield table

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files_module, "arrow_chunks", counted)
        both(source, chunksize=200)
    assert taken == [200, 200, 100]


def test_a_header_pandas_renames_is_read_by_pandas(tmp_path: Path) -> None:
    """Two columns of one name: pandas calls the second 'note.1'; so does the output."""
    source = tmp_path / "cohort.csv"
    source.write_text(HEADER + ",note\n" + "A1,some,none,some,mainstream,x,y\n")
    data = both(source)[0]
    assert data.startswith(b"child_id,setting,note,note.1,")


def test_a_truncated_gzip_is_named_by_both_readers(tmp_path: Path) -> None:
    source = tmp_path / "cohort.csv.gz"
    source.write_bytes(gzip.compress(("\n".join([HEADER, *rows(2_000)]) + "\n").encode())[:-40])
    error = both(source)
    assert error[0] == "CalculationError"
    assert "gzip" in error[1]


def test_a_row_after_a_blank_line_keeps_its_empty_first_cell(tmp_path: Path) -> None:
    """Lone CR line ends, a blank line, then a row whose first cell is empty: pyarrow reads
    the row as written (pandas' C parser reads it shifted one cell to the left)."""
    source, target = tmp_path / "cohort.csv", tmp_path / "out.csv"
    source.write_bytes(b"note,child_id,speech,listening,breaks,setting\r"
                       b"n1,A1,some,none,some,mainstream\r\r"
                       b",A2,lots,some,none,special\r")
    ras.calculate_file(SCHEME, source, target, progress=False)
    lines = target.read_bytes().split(b"\r\n")
    assert lines[1].startswith(b"n1,A1,mainstream,")
    assert lines[2].startswith(b",A2,special,")


def test_a_header_alone_is_one_chunk_of_no_rows_with_both_readers(tmp_path: Path) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(HEADER + "\r\n")
    data, *figures = both(source)
    assert figures[:3] == [0, 0, 1]
    assert data.count(b"\r\n") == 1


AWKWARD = ["\ufeff" + HEADER,
           'A1,some,none,some,mainstream,"=SUM(A1)"',
           'A2,lots,some,none,special,"line\r\nbreak, and ""quotes"""',
           ",none,,some,mainstream,",
           '"A4",2.0,1,0,1,-12.50']


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_other_targets_get_the_same_cells_from_both_readers(tmp_path: Path,
                                                            suffix: str) -> None:
    """The carried columns reach Parquet and Excel as pandas read them (text, blanks missing)."""
    pq = pytest.importorskip("pyarrow.parquet")
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    source = tmp_path / "cohort.csv"
    source.write_text("\r\n".join(AWKWARD) + "\r\n")
    written = {}
    for arrow in (True, False):
        target = tmp_path / f"out-{arrow}{suffix}"
        with pytest.MonkeyPatch.context() as patch:
            if not arrow:
                patch.setattr(files_module, "arrow_csv", lambda: None)
            ras.calculate_file(SCHEME, source, target, progress=False, errors="flag")
        written[arrow] = (pq.read_table(target) if suffix == ".parquet"
                          else read_workbook(target))
    if suffix == ".parquet":
        assert written[True].equals(written[False], check_metadata=True)
        assert written[True].column("child_id").to_pylist() == ["A1", "A2", None, "A4"]
        assert written[True].column("note").to_pylist()[1] == 'line\r\nbreak, and "quotes"'
    else:
        assert written[True].equals(written[False])


def test_a_quoted_cr_lf_across_a_block_boundary_keeps_its_line_feed(tmp_path: Path) -> None:
    """pyarrow drops the LF of a quoted CR LF whose CR ends one block and LF starts the
    next; wherever the boundary falls, the note is written as it was read by pandas."""
    source = tmp_path / "cohort.csv"
    data = ("\r\n".join([HEADER, 'A1,some,none,some,mainstream,"one\r\ntwo"', *rows(20)])
            + "\r\n").encode()
    source.write_bytes(data)
    at = data.index(b"\r\ntwo")
    for block in range(at - 1, at + 3):  # blocks ending before, on and after the CR
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(csv_arrow, "BLOCK", block)
            data = both(source)[0]
        assert b'\r\nA1,mainstream,"one\r\ntwo",' in data


def readers_running() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "ras-csv-reader"]


def test_the_thread_reading_ahead_stops_with_the_call(tmp_path: Path,
                                                      small_blocks: None) -> None:
    """Whether the call ends well, stops at a bad row, or hands the file to pandas, no
    thread is left reading."""
    source = tmp_path / "cohort.csv"
    lines = rows(3_000)
    source.write_text("\n".join([HEADER, *lines]) + "\n")
    ras.calculate_file(SCHEME, source, tmp_path / "out.csv", chunksize=500, progress=False)
    assert readers_running() == []
    lines[1_200] = "C01200,far too much,none,none,special,x"
    source.write_text("\n".join([HEADER, *lines]) + "\n")
    with pytest.raises(ras.AnswerError):
        ras.calculate_file(SCHEME, source, tmp_path / "out.csv", chunksize=500,
                           progress=False)
    assert readers_running() == []
    lines[2_000] = "C02000,short"
    source.write_text("\n".join([HEADER, *lines]) + "\n")
    summary = ras.calculate_file(SCHEME, source, tmp_path / "out.csv", chunksize=500,
                                 progress=False, errors="flag")
    assert (summary.rows, summary.bad_rows) == (3_000, 2)
    assert readers_running() == []
