"""`ras serve` under 32 concurrent clients, beside the library's own one-child time.

Starts a real `ras serve` process on 127.0.0.1 (a free port), then for a fixed time 32 client
threads, each with its own kept-alive connection, post one child each to
`POST /schemes/{id}/budget` (a different child each request, drawn from a seeded cohort of the
example scheme), and a sample of answers is checked against the library's figures. Prints:

- the library's one-child time in this process: the median and 99th percentile of
  `scheme.calculate` (and of `calculate` + `to_record`, the work the service does per child
  besides HTTP and JSON);
- the service: requests per second, one-child latency at the median and the 99th percentile,
  and errors (any answer that is not 200 with the library's figures; must be 0).

    .venv/bin/python benchmarks/bench_service.py              # 32 clients, 10 s
    .venv/bin/python benchmarks/bench_service.py --quick      # 4 clients, 1 s: a smoke run

Needs the serve extra (`pip install -e ".[serve]"`, or the test extra). On a 2-core machine
the clients and the server share the cores; the table says how many there are.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import ras

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ROOT / "scoring_schemes"
SCHEME_ID = "northshire-points-rate"
DAY = "2026-09-01"


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[rank]


def cohort(scheme: ras.Scheme, n: int, seed: int = 17) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{"answers": {q: rng.choice(ids) for q, ids in scheme.option_ids.items()},
             "setting": rng.choice(scheme.setting_ids), "date": DAY} for _ in range(n)]


def library_times(scheme: ras.Scheme, children: list[dict[str, Any]]
                  ) -> tuple[list[float], list[float]]:
    alone, recorded = [], []
    for child in children:
        start = time.perf_counter()
        scheme.calculate(child["answers"], setting=child["setting"])
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        scheme.calculate(child["answers"], setting=child["setting"]).to_record()
        recorded.append(time.perf_counter() - start)
    return alone, recorded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "RAS_API_KEY"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ras", "serve", str(SCHEMES), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("ras serve did not start")


class Client(threading.Thread):
    def __init__(self, port: int, bodies: list[bytes], expected: list[str], stop: float,
                 offset: int) -> None:
        super().__init__(daemon=True)
        self.port, self.bodies, self.expected, self.stop = port, bodies, expected, stop
        self.offset = offset
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = self.offset
        path = f"/schemes/{SCHEME_ID}/budget"
        headers = {"Content-Type": "application/json"}
        while time.perf_counter() < self.stop:
            k = i % len(self.bodies)
            start = time.perf_counter()
            try:
                connection.request("POST", path, self.bodies[k], headers)
                response = connection.getresponse()
                data = response.read()
                self.latencies.append(time.perf_counter() - start)
                if response.status != 200 or (
                        i % 16 == 0 and json.loads(data)["record"]["outputs"]
                        != json.loads(self.expected[k])):
                    self.errors += 1
            except (OSError, http.client.HTTPException, ValueError):
                self.errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            i += 1
        connection.close()


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="4 clients for 1 s: a smoke run")
    args = parser.parse_args(argv)
    clients, seconds = (4, 1.0) if args.quick else (args.clients, args.seconds)

    scheme = ras.load_schemes(SCHEMES).for_date(DAY, scheme_id=SCHEME_ID)
    children = cohort(scheme, 200 if args.quick else 2_000)
    alone, recorded = library_times(scheme, children)
    expected = [json.dumps(scheme.calculate(c["answers"], setting=c["setting"])
                           .to_record()["outputs"]) for c in children]
    bodies = [json.dumps(c).encode() for c in children]

    port = _free_port()
    print(f"starting ras serve on 127.0.0.1:{port} ...", file=sys.stderr)
    server = start_server(port)
    try:
        warm = Client(port, bodies, expected, time.perf_counter() + (0.2 if args.quick else 1), 0)
        warm.run()  # a second of one client first: imports and caches warm
        stop = time.perf_counter() + seconds
        threads = [Client(port, bodies, expected, stop, k * 61) for k in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=10)

    latencies = [x for t in threads for x in t.latencies]
    errors = sum(t.errors for t in threads)
    figures = {
        "library_p50_ms": statistics.median(alone) * 1e3,
        "library_p99_ms": percentile(alone, 99) * 1e3,
        "library_record_p50_ms": statistics.median(recorded) * 1e3,
        "requests": float(len(latencies)),
        "requests_per_second": len(latencies) / elapsed,
        "service_p50_ms": statistics.median(latencies) * 1e3,
        "service_p99_ms": percentile(latencies, 99) * 1e3,
        "errors": float(errors),
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = [
        ("library: scheme.calculate, one child", "", f"{figures['library_p50_ms']:.3f}",
         f"{figures['library_p99_ms']:.3f}", ""),
        ("library: calculate + to_record", "", f"{figures['library_record_p50_ms']:.3f}", "",
         ""),
        (f"service: POST /budget, {clients} clients, {seconds:g} s",
         f"{figures['requests_per_second']:,.0f}", f"{figures['service_p50_ms']:.2f}",
         f"{figures['service_p99_ms']:.2f}", f"{errors}"),
    ]
    head = ("", "requests/s", "p50 ms", "p99 ms", "errors")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(5)]
    print(f"ras {ras.__version__}, scheme {SCHEME_ID}, {os.cpu_count()} cores, load average "
          f"{load:.1f} at the end, {len(latencies):,} requests", file=out)
    for row in (head, *rows):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))), file=out)
    return figures


if __name__ == "__main__":
    result = main()
    raise SystemExit(1 if result["errors"] else 0)
