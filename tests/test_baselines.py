"""The benchmark's baselines: rdflib's steps stopped one by one, and the plain way to claims.csv giving the same file."""

from __future__ import annotations

import csv
import io
import os
import signal
import time

from rdflib import Graph

from benchmarks.baselines import CLAIMS_CSV_QUERY, forked, limited
from tests.conftest import DATA

GOLDEN = DATA / "golden"


def test_the_plain_way_to_claims_csv_gives_the_same_rows_and_columns():
    graph = Graph().parse(GOLDEN / "graph.nt", format="nt")
    plain = graph.query(CLAIMS_CSV_QUERY).serialize(format="csv").decode("utf-8")
    ours = (GOLDEN / "claims.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(plain))) == list(csv.reader(io.StringIO(ours)))
    assert any(row[7] == "unnamed" for row in csv.reader(io.StringIO(ours)))  # the speakers left unnamed too


def _steps() -> dict:
    """Forked steps that finish, stop early, overrun, fail, and die in their second run (run in limited's child)."""
    runs_made = {"slower": 0, "dies": 0}

    def slower_from_its_second_run() -> None:
        runs_made["slower"] += 1
        time.sleep(0.3 if runs_made["slower"] > 1 else 0)

    def dies_in_its_second_run() -> None:
        runs_made["dies"] += 1
        if runs_made["dies"] == 2:
            os.kill(os.getpid(), signal.SIGKILL)

    forked("quick", lambda: None, limit=5, runs=3)
    forked("enough", slower_from_its_second_run, limit=5, runs=5, enough=0.2)
    forked("overruns", lambda: time.sleep(10), limit=0.5)
    forked("raises", lambda: 1 / 0, limit=5)
    forked("dies", dies_in_its_second_run, limit=5, runs=3)
    forked("after", lambda: None, limit=5)
    return {}


def test_forked_steps_are_stopped_and_fail_one_by_one():
    timings = limited(_steps, limit=30)
    assert sorted(timings.done) == ["after", "dies #0", "enough #0", "enough #1", "quick #0", "quick #1", "quick #2"]
    assert timings.stopped == {"overruns": 0.5}
    assert timings.failed["raises"].startswith("ended with status 1")
    assert timings.failed["dies #1"] == "killed by SIGKILL"
    assert timings.result("overruns", 30) == (0.5, True) and timings.result("after", 30)[1] is False
    assert timings.failure(("dies #0", "dies #1")) == "killed by SIGKILL"
