"""A real `ras serve` process on 127.0.0.1 for the service tests: a free port, started by the
command line itself, waited for, and stopped (its log kept, for the tests that read it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import FIXTURES, SCHEMES

API_KEY = "test-key-7c1f0a"
# What the test servers serve: the example schemes and a format version 2 scheme
SERVED_FILES = sorted([*SCHEMES.glob("*.yaml"), *(FIXTURES / "service").glob("*.yaml")])


def served_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in SERVED_FILES:
        shutil.copyfile(path, folder / path.name)
    return folder


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running(log: Path, *args: str, api_key: str | None = None) -> Iterator[Server]:
    """`ras serve` on a free port until the block ends."""
    pytest.importorskip("fastapi", reason="the service tests need the serve extra")
    pytest.importorskip("uvicorn", reason="the service tests need the serve extra")
    env = {k: v for k, v in os.environ.items() if k != "RAS_API_KEY"}
    if api_key is not None:
        env["RAS_API_KEY"] = api_key
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ras", "serve", str(served_folder(log.parent / "schemes")),
             "--port", str(port), *args],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"ras serve stopped at start:\n{server.log_text()}")
            try:
                with urllib.request.urlopen(f"{server.url}/health", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"ras serve did not start:\n{server.log_text()}"
                                       ) from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the session, without an API key."""
    log = tmp_path_factory.mktemp("service") / "serve.log"
    with running(log) as server:
        yield server


@pytest.fixture(scope="session")
def keyed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server started with RAS_API_KEY set."""
    log = tmp_path_factory.mktemp("keyed") / "serve.log"
    with running(log, api_key=API_KEY) as server:
        yield server
