"""`make bench` runs: the benchmark at its smallest size writes a report with every step and its baseline."""

from __future__ import annotations

import re
import subprocess
import sys

from graph import EXPORTS
from graph.queries import load_named_queries
from tests.conftest import PROJECT


def test_the_benchmark_reports_every_step_with_its_baseline_at_the_smallest_size(tmp_path):
    report = tmp_path / "benchmarks.md"
    command = [sys.executable, "benchmarks/bench.py", "--sizes", "1000", "--runs", "1", "--browser-up-to", "0"]
    result = subprocess.run([*command, "--output", str(report)], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    text = report.read_text(encoding="utf-8")
    assert "## 1,000 claims" in text and "pyoxigraph 0.5" in text
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| ")}
    for step in (
        "load and check the sources (quotes verified)",
        "load the on-disk query store",
        "load serve's in-memory copy of the store (each worker)",
    ):
        assert step in rows
    shacl = next(row for step, row in rows.items() if step.startswith("SHACL validation"))
    assert "pySHACL" in shacl and "×" in shacl
    rows["export graph.nt"] = rows.pop("export graph.nt (the named graphs merged)")
    rows["export graph.ttl"] = rows.pop("export graph.ttl (each source's Turtle, made as it compiled)")
    rows["export graph.jsonld"] = rows.pop("export graph.jsonld (as graph.ttl)")
    for name in EXPORTS:
        assert f"export {name}" in rows
    for name in ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld"):
        assert "rdflib's serialiser" in rows[f"export {name}"]
    assert "rdflib's SPARQL evaluator" in rows["export claims.csv"]
    assert "the standard library's json" in rows["export analysis.json"]
    assert "rdflib parses graph.trig" in rows["load serve's in-memory copy of the store (each worker)"]
    steps = text.split("| step |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    for row in steps:  # every figure has its baseline and ratio, or says why it has none
        baseline, ratio = row.split(" | ")[3:5]
        assert ("×" in ratio and baseline[0].isdigit()) or row.startswith("| export analysis.md |"), row
    assert "— (no library writes this report" in rows["export analysis.md"]
    for name in load_named_queries(PROJECT / "queries"):
        in_memory, on_disk, rdflib = rows[name].split(" | ")[1:4]
        assert in_memory.endswith(" ms") and on_disk.endswith(" ms") and rdflib.endswith((" ms", " s"))
    assert "**Whole build**" in text and "**Rebuild after editing one source**" in text
    assert len(re.findall(r"CPU \d+\.\d s user, \d+\.\d s system", text)) == 3  # the cold build, two rebuilds
    assert re.search(r"Within 0\.5 s \(.*\): \d+ of \d+ in memory, \d+ of \d+ on disk\.", text)
