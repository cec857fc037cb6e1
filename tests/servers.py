"""Real servers for the tests, on loopback ports: ``actorgraph serve`` and an Oxigraph server."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import PROJECT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def actorgraph_server(exports: Path, *options: str) -> Iterator[str]:
    """Run ``actorgraph serve`` on a free port; yield its base URL."""
    command = [sys.executable, "-m", "graph", "serve", "--port", "0", "--exports", str(exports)]
    process = subprocess.Popen(
        [*command, "--queries", str(PROJECT / "queries"), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if not found:
            raise RuntimeError(f"actorgraph serve did not start: {line}{process.stderr.read()}")
        yield found[1]
    finally:
        process.terminate()
        process.communicate(timeout=10)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Run Oxigraph's own server (the ``oxigraph`` package) on a free port; yield its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read()}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=10)
