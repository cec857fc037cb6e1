"""Oxigraph's work runs in threads of lower priority than Python's, which the build waits on."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph.priority import BACKGROUND_NICENESS, in_background

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="threads have their own priority on Linux only")


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_work_in_a_worker_thread_and_the_threads_it_starts_run_at_a_lower_priority():
    def work() -> tuple[int, int]:
        with ThreadPoolExecutor(1) as started:
            return _niceness(), started.submit(_niceness).result()

    main = _niceness()
    with ThreadPoolExecutor(1) as pool:
        worker, started_by_it = pool.submit(in_background, work).result()
    assert worker == started_by_it == min(main + BACKGROUND_NICENESS, 19)
    assert _niceness() == main


def test_the_main_thread_keeps_its_priority():
    main = _niceness()
    assert in_background(_niceness) == main


def test_work_runs_where_its_priority_cannot_be_lowered(monkeypatch):
    def forbidden(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "setpriority", forbidden)
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(in_background, lambda: "done").result() == "done"
