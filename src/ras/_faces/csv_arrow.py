"""A cohort CSV read by pyarrow's CSV reader: the same cells as pandas' ``read_csv``, faster.

pandas' reading stays the rule for what a cell holds (see files.py): every cell text, an empty
cell missing, blank lines skipped, the header's names as pandas gives them. pyarrow reads a
file so in one multi-threaded pass, and reads the answer columns as dictionaries, so that each
distinct answer is looked up once per chunk rather than once per row. Where pyarrow might read
a file otherwise than pandas, it does not guess: a row of another width (short rows, which
pandas fills with missing cells, wider rows, which pandas refuses naming the line, lines of
spaces), text that is not UTF-8, a damaged gzip file, a header pandas renames (duplicated or
empty names) all raise ``Unread``, and the caller reads the rest of the file with pandas, from
the first row not yet handed over. The chunks are exactly ``chunksize`` rows (the last fewer),
as pandas gives them, so the two readers hand over the same rows in the same chunks. A thread
of the call's own reads batches ahead (at most ``AHEAD``, so memory stays bounded), so that
pyarrow parses the next rows while the last are scored and written.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib
import threading
import zlib
from collections.abc import Generator, Iterable, Sequence
from queue import Empty, Full, Queue
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Unread", "arrow_chunks", "arrow_csv", "categorical", "objects"]

BLOCK = 1 << 20  # bytes per pyarrow block: a record batch of some thousands of rows
AHEAD = 48  # batches read ahead at most: a chunk of 100,000 rows of 40 answers is about 36


class Unread(Exception):  # noqa: N818 - not an error: the signal to read on with pandas
    """pyarrow could not read the rest of the file as pandas would; pandas reads it."""


def arrow_csv() -> tuple[Any, Any] | None:
    """pyarrow and its CSV module, or None without pyarrow (pandas reads every file then)."""
    try:
        importlib.import_module("pyarrow.compute")
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.csv")
    except ImportError:
        return None


def arrow_chunks(stream: IO[bytes], names: Sequence[str], coded: Sequence[str],
                 chunksize: int, pa: Any, pacsv: Any) -> Generator[Any, None, None]:
    """Tables of ``chunksize`` rows (the last fewer): the ``coded`` columns as dictionaries
    of text, the others text, null where a cell is empty. ``names`` are the header's names
    as pandas read them; a header pyarrow reads otherwise is ``Unread`` before any row."""
    pc = importlib.import_module("pyarrow.compute")
    types = {name: pa.dictionary(pa.int32(), pa.string()) if name in coded else pa.string()
             for name in names}
    batches: Generator[Any, None, None] | None = None
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True))
        schema = reader.schema
        if list(schema.names) != list(names) or any(
                field.type != types[field.name] for field in schema):
            raise Unread
        pending: list[Any] = []
        held = 0
        given = False
        batches = ahead(reader, AHEAD)
        for batch in batches:
            pending.append(batch)
            held += batch.num_rows
            while held >= chunksize:
                table = pa.Table.from_batches(pending, schema)
                chunk = table.slice(0, chunksize).combine_chunks()  # one dictionary a column
                _check(chunk, pa, pc)
                yield chunk
                given = True
                rest = table.slice(chunksize)
                pending, held = rest.to_batches(), rest.num_rows
        if held or not given:  # a header alone is one chunk of no rows, as pandas gives it
            table = pa.Table.from_batches(pending, schema).combine_chunks()
            _check(table, pa, pc)
            yield table
    except (pa.lib.ArrowException, OSError, EOFError, zlib.error, gzip.BadGzipFile,
            UnicodeDecodeError, ValueError) as error:
        raise Unread from error
    finally:
        if batches is not None:
            batches.close()  # stops the thread reading ahead


def ahead(batches: Iterable[Any], depth: int) -> Generator[Any, None, None]:
    """The batches, read by a thread of their own up to ``depth`` batches ahead, so that
    pyarrow parses the next rows (without the GIL) while the last are scored and written;
    its errors are raised here, in order. Closing this stops and joins the thread."""
    queue: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.05)
                return True
            except Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
        except BaseException as error:  # handed to the reader, raised there
            put(_Failed(error))
            return
        put(_END)

    thread = threading.Thread(target=read, name="ras-csv-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        with contextlib.suppress(Empty):
            while True:
                queue.get_nowait()
        thread.join()


class _Failed:
    """An error of the reading thread, on its way to the reader."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def _check(table: Any, pa: Any, pc: Any) -> None:
    """Unread when a cell holds a carriage return not followed by a line feed. Such cells
    are rare, and pyarrow (26.0.1, at least) makes one of a quoted CR LF whose two bytes
    fall either side of a block boundary: it drops the LF. pandas reads them as written."""
    for column in table.columns:
        for chunk in column.chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            if (pc.any(pc.match_substring(values, "\r")).as_py()
                    and pc.any(pc.match_substring_regex(values, "\r(?:[^\n]|$)")).as_py()):
                raise Unread


def categorical(column: Any) -> pd.Categorical:
    """A chunked dictionary column as a pandas categorical, a missing cell code -1. A slice of
    a batch keeps the whole batch's dictionary, so some categories may be unused: the scoring
    looks each category up and then gathers row by row, so they change nothing."""
    whole = column.combine_chunks()  # one dictionary for the chunk's batches
    indices = whole.indices.fill_null(-1) if whole.null_count else whole.indices
    categories = pd.Index(whole.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Categorical.from_codes(np.asarray(indices), categories=categories)


def objects(column: Any) -> npt.NDArray[np.object_]:
    """A text column as pandas' ``read_csv`` gives it: Python strings, NaN where empty."""
    values: npt.NDArray[np.object_] = column.to_numpy()
    if column.null_count:
        values[np.asarray(column.is_null())] = np.nan
    return values
