"""Benchmark: calculate_file on a million-row cohort, CSV to CSV and Parquet to Parquet, each
beside a plain floor of the same shape measured in the same run (issue 19).

    .venv/bin/python benchmarks/bench_files.py [rows] [repeat]     # default 1,000,000 and 3

The cohort is the 40-question benchmark scheme's (benchmarks/run.py): a child id, a text column
per question holding option ids, and the setting, written once to a temporary folder (untimed).
The floors read the same input and write an output of the same shape as calculate_file's: the
same columns, the money as the same exact text (CSV) or decimal128(18, 2) (Parquet), taken from
a run of calculate_file made before the timing. They do no scoring, so they are what reading and
writing such files costs at best:

- CSV: pyarrow's CSV reader (every column as text, as calculate_file reads them) and pyarrow's
  CSV writer of the output table;
- Parquet: pandas reading the file in batches of 100,000 rows (pyarrow's iter_batches and
  to_pandas) and writing each batch's output (an Arrow table made beforehand, money as
  decimal128) with pyarrow's ParquetWriter, a row group per batch.

Runs are interleaved (one of each in turn), the median and fastest of ``repeat`` are printed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import ras

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SCHEME_PATH, make_cohort  # noqa: E402

BATCH = 100_000
TARGET = 1.5  # calculate_file within 1.5 x its floor


def write_inputs(scheme: ras.Scheme, n: int, folder: Path) -> tuple[Path, Path]:
    cohort = make_cohort(scheme, n)
    columns: dict[str, pa.Array] = {"child_id": pa.array([f"C{i:07d}" for i in range(n)])}
    for j, q in enumerate(scheme.question_ids):
        ids = np.array(scheme.option_ids[q], dtype=object)
        columns[q] = pa.array(ids[cohort.codes[:, j]], type=pa.string())
    columns["setting"] = pa.array(np.array(scheme.setting_ids, dtype=object)[cohort.settings],
                                  type=pa.string())
    table = pa.table(columns)
    csv_path, parquet_path = folder / "cohort.csv", folder / "cohort.parquet"
    pacsv.write_csv(table, csv_path)
    pq.write_table(table, parquet_path, row_group_size=BATCH)  # dictionary-encoded, the default
    return csv_path, parquet_path


def csv_floor(source: Path, target: Path, output: pa.Table) -> None:
    table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(
        column_types=dict.fromkeys(_header(source), pa.string()), strings_can_be_null=False))
    assert table.num_rows == output.num_rows
    pacsv.write_csv(output, target)


def parquet_floor(source: Path, target: Path, output: pa.Table) -> None:
    writer = None
    position = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=BATCH):
        frame = batch.to_pandas()
        if writer is None:
            writer = pq.ParquetWriter(target, output.schema)
        writer.write_table(output.slice(position, len(frame)))  # the output, made beforehand
        position += len(frame)
    assert writer is not None
    writer.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    scheme = ras.load_scheme(SCHEME_PATH)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_in, parquet_in = write_inputs(scheme, n, folder)
        csv_out, parquet_out = folder / "budgets.csv", folder / "budgets.parquet"
        # the shape of the output, from calculate_file itself (untimed)
        ras.calculate_file(scheme, csv_in, csv_out)
        ras.calculate_file(scheme, parquet_in, parquet_out)
        csv_shape = pacsv.read_csv(csv_out, convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(_header(csv_out), pa.string()),
            strings_can_be_null=False))
        parquet_shape = pq.read_table(parquet_out)
        jobs = {
            "csv": lambda: ras.calculate_file(scheme, csv_in, csv_out),
            "csv floor": lambda: csv_floor(csv_in, folder / "floor.csv", csv_shape),
            "parquet": lambda: ras.calculate_file(scheme, parquet_in, parquet_out),
            "parquet floor": lambda: parquet_floor(parquet_in, folder / "floor.parquet",
                                                   parquet_shape),
        }
        times: dict[str, list[float]] = {key: [] for key in jobs}
        for _ in range(repeat):
            for key, job in jobs.items():
                start = time.perf_counter()
                job()
                times[key].append(time.perf_counter() - start)
        same = (folder / "floor.csv").stat().st_size, csv_out.stat().st_size
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"calculate_file, {n:,} rows, {len(scheme.question_ids)} questions; median (fastest) "
          f"of {repeat} interleaved runs; load average {load}")
    print(f"  (the CSV floor's file is {same[0] / 1e6:,.1f} MB, calculate_file's "
          f"{same[1] / 1e6:,.1f} MB)")
    for kind, label in (("csv", "CSV -> CSV"), ("parquet", "Parquet -> Parquet")):
        engine, floor = times[kind], times[f"{kind} floor"]
        ratio = statistics.median(engine) / statistics.median(floor)
        fastest = min(engine) / min(floor)
        verdict = "PASS" if ratio <= TARGET else "MISS"
        print(f"  {label:<20} calculate_file {statistics.median(engine):6.2f} s "
              f"({min(engine):.2f}); floor {statistics.median(floor):6.2f} s "
              f"({min(floor):.2f}); ratio {ratio:.2f} x (fastest {fastest:.2f} x); "
              f"target <= {TARGET} x: {verdict}")
    print("  MISS: calculate_file took more than 1.5 x its floor in this run. The floors do no "
          "scoring and no checks, so the ratio is the price of the scoring and the checks; on a "
          "busy machine (load average above) re-run before reading a MISS as the code's.")


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.readline().strip().split(",")


if __name__ == "__main__":
    main()
