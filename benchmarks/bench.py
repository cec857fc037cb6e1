"""The whole pipeline at each size: wall time and peak memory of every step, against a baseline.

For each size, a seeded synthetic corpus (graph/synthetic.py) is written in the curated
format, then each step is timed as ``actorgraph build`` does it, and beside it the same step
done the plain way, measured in the same run (benchmarks/baselines.py): rdflib's own parser,
serialisers, SPARQL evaluator and pySHACL, the standard library's json, NetworkX's GraphML
writer and exact betweenness, pyvis's page. Each baseline runs in a process of its own,
stopped once a step of it has run ``--baseline-limit`` seconds: that step shows how long it
had run ("> N s", a lower bound), those after it "not reached". rdflib's steps after its parse
and merge (its serialisers, pySHACL, the SELECT that makes claims.csv) each run in a process
forked from that one and are stopped after ``--rdflib-step-limit`` seconds without stopping
the next; each run of rdflib's queries after ``--query-timeout`` seconds.
Peak memory is the process's peak resident set during the step (reset before each one).
Each export is timed as written into its file, as the build does; rdflib's serialisers
return a string, not written.
Writes a Markdown report (default docs/benchmarks.md). Figures, not tests: nothing asserts.

    make bench                                   # 1,000 and 10,000 claims
    make bench SIZES="1000 10000 100000"
    .venv/bin/python benchmarks/bench.py --sizes 1000 --output report.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.baselines import (  # noqa: E402
    GRACE,
    Timings,
    exact_betweenness,
    limited,
    load_in_one_process,
    networkx_graphml,
    pyvis_page,
    pyvis_settle,
    rdflib_parse,
    rdflib_pipeline,
    rdflib_queries,
)
from graph import pipeline  # noqa: E402
from graph.analysis import analyse, analysis_graph  # noqa: E402
from graph.graph_files import GraphFiles, write_jsonld, write_ntriples, write_trig, write_turtle  # noqa: E402
from graph.load import read_sources  # noqa: E402
from graph.named_graphs import parsed, shared_triples  # noqa: E402
from graph.on_page import busiest_first  # noqa: E402
from graph.queries import bind_params, load_named_queries  # noqa: E402
from graph.report import json_document  # noqa: E402
from graph.sandbox import EngineSpec, QueryPool, QueryTimeout  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store_versions import write_store  # noqa: E402
from graph.synthetic import synthetic_corpus, write_sources  # noqa: E402
from graph.validation import violations_in_parts  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
LIBRARIES = ("pyoxigraph", "rdflib", "pyshacl", "networkx", "pyyaml", "playwright")
RDFLIB_FORMATS = ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld")
"""The RDF exports, each timed against rdflib's serialiser."""
QUERY_BUDGET = 0.5
"""Seconds each named query may take at 100,000 claims (issue "Fast at every size"): the report counts those within."""


@dataclass
class Row:
    step: str
    seconds: float
    peak_mb: float
    baseline: str = ""
    baseline_seconds: float | None = None
    baseline_stopped: bool = False
    in_build: bool = True
    """Whether the step is one of the build's (the store, loaded beside them, and the browser are not)."""
    rdf: bool = False
    """Whether the step is one of the RDF steps compared with rdflib's together (parse, serialise, validate)."""
    no_baseline: str = ""
    """Why the step has no baseline, if it has none."""
    baseline_failed: str | None = None
    """How the baseline failed, if it did."""

    def cells(self) -> str:
        if not self.baseline:
            base, ratio = f"— ({self.no_baseline})" if self.no_baseline else "—", "—"
        elif self.baseline_failed:
            base, ratio = f"failed: {self.baseline_failed}", "—"
        elif self.baseline_seconds is None:
            base, ratio = "not reached: stopped in an earlier step", "—"
        elif self.baseline_stopped:
            base, ratio = f"> {_seconds(self.baseline_seconds)}", f"> {self.baseline_seconds / self.seconds:,.0f}×"
        else:
            base, ratio = _seconds(self.baseline_seconds), f"{self.baseline_seconds / max(self.seconds, 1e-6):,.1f}×"
        label = f"{base} ({self.baseline})" if self.baseline else base
        peak = f"{self.peak_mb:,.0f} MB" if self.peak_mb else "—"
        return f"| {self.step} | {_seconds(self.seconds)} | {peak} | {label} | {ratio} |"


def measure(step: Callable[[], object]) -> tuple[object, float, float]:
    """Run ``step``; return its result, its wall time and the peak resident memory during it (MB)."""
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak resident set to the current one
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())[1]) / 1024
    return result, seconds, peak


def bench_size(claims: int, args: argparse.Namespace, folder: Path) -> list[str]:
    """Every step at one size; the report's section for it."""
    relations = read_sources(PROJECT / "sources").corpus.relations
    sources, exports = folder / "sources", folder / "exports"
    started = time.perf_counter()
    write_sources(synthetic_corpus(relations, claims), sources)
    generated = time.perf_counter() - started
    rows: list[Row] = []
    limit = args.baseline_limit

    def step(name: str, function: Callable[[], object], in_build: bool = True, rdf: bool = False) -> object:
        result, seconds, peak = measure(function)
        rows.append(Row(name, seconds, peak, in_build=in_build, rdf=rdf))
        print(f"  {name}: {seconds:.2f} s, {peak:,.0f} MB", file=sys.stderr, flush=True)
        return result

    def baseline(name: str, timings: Timings, *keys: str) -> None:
        row = rows[-1]
        row.baseline = name
        row.baseline_seconds, row.baseline_stopped = timings.total(keys, limit)
        row.baseline_failed = timings.failure(keys)

    print(f"{claims:,} claims", file=sys.stderr)
    loaded = step("load and check the sources (quotes verified)", lambda: read_sources(sources))
    one = limited(load_in_one_process, str(sources), limit=limit)
    baseline("one process", one, "load")
    corpus = loaded.corpus
    analysis = step("analysis (camps, centrality, communities)", lambda: analyse(corpus))
    baseline("exact betweenness alone, NetworkX", limited(exact_betweenness, str(sources), limit=limit), "betweenness")
    graphs = (*loaded.graphs, analysis_graph(analysis))
    nquads_path = folder / "graph.nq"
    nquads_path.write_text("".join(graph.nquads for graph in graphs), encoding="utf-8")
    wanted = (*RDFLIB_FORMATS, "shacl", "claims.csv")
    step_limit = args.rdflib_step_limit
    rdflib = limited(rdflib_pipeline, str(nquads_path), wanted, step_limit, limit=max(limit, step_limit + GRACE))
    files = GraphFiles.in_folder(folder)
    nt = "export graph.nt (the named graphs merged)"
    parts = step(nt, lambda: write_ntriples(graphs, files.ntriples), rdf=True)
    baseline("rdflib merges the parsed graphs; rdflib's serialiser", rdflib, "merge", "graph.nt")
    step("export graph.trig", lambda: write_trig(graphs, files.trig), rdf=True)
    baseline("rdflib's serialiser", rdflib, "graph.trig")
    ttl = "export graph.ttl (each source's Turtle, made as it compiled)"
    step(ttl, lambda: write_turtle(graphs, list(parsed(shared_triples(graphs))), files.turtle), rdf=True)
    baseline("rdflib's serialiser", rdflib, "graph.ttl")
    jsonld = "export graph.jsonld (as graph.ttl)"
    step(jsonld, lambda: write_jsonld(graphs, list(parsed(shared_triples(graphs))), files.jsonld), rdf=True)
    baseline("rdflib's serialiser", rdflib, "graph.jsonld")
    built = pipeline.Built(corpus, analysis, files, parts.triples)
    sources_parts = range(len(loaded.graphs))  # not the measures: no shape speaks of them
    problems = step(
        "SHACL validation (a chunk of sources at a time, each loaded with the registry into a small Oxigraph store)",
        lambda: violations_in_parts(files.ntriples, parts, sources_parts),
        rdf=True,
    )
    if problems:
        raise SystemExit(f"the synthetic graph does not conform: {problems[:3]}")
    baseline("rdflib parses the N-Quads; pySHACL", rdflib, "parse", "shacl")
    for name, make in pipeline.EXPORTS.items():
        if name in RDFLIB_FORMATS:
            continue  # written above, as the build writes them
        step(f"export {name}", lambda make=make, name=name: make(built, folder / name))
        if name == "claims.csv":
            baseline("rdflib's SPARQL evaluator and CSV results writer", rdflib, "claims.csv")
        elif name == "actors.graphml":
            baseline("NetworkX's writer", limited(networkx_graphml, str(sources), limit=limit), "graphml")
        elif name == "analysis.json":
            baseline("the standard library's json, indented", standard_json(analysis, folder / name), "json")
        elif name == "analysis.md":
            rows[-1].no_baseline = "no library writes this report: its text is ours"
        elif name == "graph.html":
            baseline("pyvis's page", limited(pyvis_page, str(sources), limit=limit), "page")
    if claims <= args.browser_up_to:
        browser_rows(rows, folder / "graph.html", folder, limit)
    sources_end = parts.span(len(loaded.graphs))[0]  # the measures come last
    step("load the on-disk query store", lambda: write_store(files.ntriples, sources_end, exports), in_build=False)
    trig = limited(rdflib_parse, str(folder / "graph.trig"), "trig", limit=limit)
    baseline("rdflib parses graph.trig", trig, "parse")
    step(
        "load serve's in-memory copy of the store (each worker)",
        lambda: open_store(exports, in_memory=True),
        in_build=False,
    )
    baseline("rdflib parses graph.trig, as each worker of `serve --engine rdflib` does", trig, "parse")
    shutil.rmtree(exports)
    whole_cpu, whole, _ = measure(lambda: actorgraph_build(sources, exports))
    middle = sources / corpus.sources[len(corpus.sources) // 2].id
    _edit(middle / "source.yaml", "Synthetic report", "Edited report")  # the analysis does not read titles
    again_cpu, again, _ = measure(lambda: actorgraph_build(sources, exports))
    _edit(middle / "claims.yaml", "certainty: asserted", "certainty: denied")  # a claim the analysis reads
    after_claim_cpu, after_claim, _ = measure(lambda: actorgraph_build(sources, exports))
    queries = query_rows(corpus, exports, args, claims)

    quads = sum(graph.ntriples.count("\n") for graph in graphs)
    build_rows = [row for row in rows if row.in_build]
    steps_total = sum(row.seconds for row in build_rows)
    rdf_rows = [row for row in build_rows if row.rdf]
    ours_rdf = sum(row.seconds for row in rdf_rows)
    plain_rdf = sum(row.baseline_seconds or 0 for row in rdf_rows)
    at_least = "at least " if any(row.baseline_stopped for row in rdf_rows) else ""
    lines = [
        f"## {claims:,} claims",
        "",
        f"{len(corpus.actors):,} actors, {len(corpus.sources):,} sources, {quads:,} quads "
        f"({built.triple_count:,} distinct triples); corpus generated and written in {generated:.1f} s.",
        "",
        "| step | ours | peak memory | baseline | baseline / ours |",
        "|---|---:|---:|---:|---:|",
        *(row.cells() for row in rows),
        "",
        f"**Whole build** (`actorgraph build` in a process of its own: load, verify, analyse, RDF, validate, every "
        "export, the store), "
        f"cold: **{whole:.1f} s** ({whole_cpu}); the steps above without the store add up to {steps_total:.1f} s.",
        f"**Rebuild after editing one source** (the others from the cache): its title, which the analysis does not "
        f"read (the analysis from its memo): **{again:.1f} s**, {again / whole:.0%} of the cold build ({again_cpu}); "
        f"then one of its claims (asserted → denied, analysed again): **{after_claim:.1f} s**, "
        f"{after_claim / whole:.0%} ({after_claim_cpu}).",
        "**The RDF steps with rdflib alone** (its parser, its serialisers for the four RDF exports, pySHACL): "
        f"{at_least}{plain_rdf:,.1f} s against {ours_rdf:,.1f} s for the same steps here: "
        f"{at_least}{plain_rdf / ours_rdf:,.0f}×.",
        "",
        *queries,
    ]
    return lines


def standard_json(analysis, path: Path) -> Timings:
    """analysis.json the plain way: the same document, indented by the standard library's json."""
    started = time.perf_counter()
    path.write_text(json.dumps(json_document(analysis), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Timings({"json": time.perf_counter() - started})


def actorgraph_build(sources: Path, exports: Path) -> str:
    """``actorgraph build``, as a user runs it: in a process of its own, not in this one, which holds the corpus and
    the steps' results (forking it for the build's children would copy more, and its memory would count). Returns
    the CPU time of the build and its children, user and system: on a virtual machine the system's share says
    how much went to filling memory (see benchmarks/page_cache.py)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "graph", "build", "--sources", str(sources), "--exports", str(exports)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return f"CPU {after.ru_utime - before.ru_utime:.1f} s user, {after.ru_stime - before.ru_stime:.1f} s system"


def _edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file with ``new``."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"cannot edit {path}: no {old!r} in it")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def browser_rows(rows: list[Row], path: Path, folder: Path, limit: float) -> None:
    """How long graph.html takes to be drawn, still, in headless Chromium; against pyvis's default page."""
    try:
        from playwright.sync_api import sync_playwright

        from benchmarks.bench_render import CHROMIUM_ARGS, timings
    except ImportError:
        return
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        runs = [timings(browser, path, "window.actorgraph && actorgraph.ready", {"drawn": "actorgraph.drawnAt"})]
        runs += [timings(browser, path, "window.actorgraph && actorgraph.ready", {"drawn": "actorgraph.drawnAt"})]
        browser.close()
    drawn = statistics.median(run["drawn"] for run in runs) / 1000
    rows.append(Row("graph.html drawn and still in headless Chromium", drawn, 0, in_build=False))
    pyvis = limited(pyvis_settle, str(folder / "sources"), limit=limit).done
    rows[-1].baseline = "pyvis's default page, 100 busiest actors, at rest"
    if not pyvis:
        rows[-1].baseline_seconds, rows[-1].baseline_stopped = limit, True
    elif pyvis["settled"] is None:  # still moving when we stopped watching
        rows[-1].baseline_seconds, rows[-1].baseline_stopped = pyvis["watched"], True
    else:
        rows[-1].baseline_seconds = pyvis["settled"]


def query_rows(corpus, exports: Path, args: argparse.Namespace, claims: int) -> list[str]:
    """Each named query's median as ``serve`` runs it, in memory and on disk, and on rdflib's evaluator."""
    named = load_named_queries(PROJECT / "queries")
    timeout = args.query_timeout
    busiest = busiest_first(corpus)
    bound = {name: bind_params(query.params, _values(query.params, busiest)) for name, query in named.items()}
    engines = {
        "memory": QueryPool(EngineSpec("oxigraph", str(exports), in_memory=True), workers=1, timeout=timeout),
        "disk": QueryPool(EngineSpec("oxigraph", str(exports)), workers=1, timeout=timeout),
    }
    oxigraph: dict[str, tuple[float, float]] = {}
    try:
        for pool in engines.values():
            pool.run("ASK { ?s ?p ?o }")
        for name, query in named.items():
            in_memory = _median(engines["memory"], query.text, bound[name], args.runs)
            oxigraph[name] = in_memory, _median(engines["disk"], query.text, bound[name], args.runs)
            print(f"  {name}: {in_memory * 1000:,.1f} ms in memory", file=sys.stderr, flush=True)
    finally:
        for pool in engines.values():
            pool.close()
    rdflib = None
    if claims <= args.rdflib_queries_up_to:
        queries = [(name, query.text, bound[name]) for name, query in named.items()]
        waited = max(args.baseline_limit, timeout + GRACE)
        rdflib = limited(rdflib_queries, str(exports), queries, args.runs, timeout, timeout, limit=waited)
    lines = [
        f"Named queries: median of {args.runs} runs in a worker process as `serve` runs them (at most 10,000 "
        "rows, sent back to the server), on its in-memory copy of the store and on the store on disk; actor "
        f"parameters name the busiest actor. {_rdflib_method(rdflib, args)}",
        "",
        "| query | Oxigraph in memory | Oxigraph on disk | rdflib | rdflib / in memory |",
        "|---|---:|---:|---:|---:|",
    ]
    within = {"memory": 0, "disk": 0}
    for name, (in_memory, on_disk) in oxigraph.items():
        within["memory"] += in_memory <= QUERY_BUDGET
        within["disk"] += on_disk <= QUERY_BUDGET
        rdflib_cells = _rdflib_cells(rdflib, name, in_memory, timeout)
        lines.append(f"| {name} | {_ms(in_memory, timeout)} | {_ms(on_disk, timeout)} | {rdflib_cells} |")
    verdict = (
        f"Within {QUERY_BUDGET:g} s (the budget for every named query at 100,000 claims): {within['memory']} of "
        f"{len(named)} in memory, {within['disk']} of {len(named)} on disk."
    )
    return [*lines, "", verdict, ""]


def _rdflib_method(rdflib: Timings | None, args: argparse.Namespace) -> str:
    """How the rdflib column was measured, for the report."""
    if rdflib is None:
        return f"rdflib: not run at this size (only up to {args.rdflib_queries_up_to:,} claims)."
    loaded = rdflib.done.get("load")
    parsed = f"after parsing graph.trig ({_seconds(loaded)})" if loaded is not None else "after parsing graph.trig"
    return (
        f"rdflib: its own evaluator as a worker of `serve --engine rdflib` runs it (rows pickled as sent), {parsed}, "
        f"each query in a process of its own forked from that one; the median of {args.runs} runs, or of fewer once "
        f"they have taken {args.query_timeout:g} s."
    )


def _rdflib_cells(rdflib: Timings | None, name: str, fast: float, timeout: float) -> str:
    """The rdflib column and the ratio column of a query's row (see baselines.rdflib_queries)."""
    if rdflib is None:
        return "not run | —"
    if "load" in rdflib.failed or rdflib.running == "load":
        return "not reached: parsing graph.trig " + ("failed" if "load" in rdflib.failed else "was stopped") + " | —"

    def of_query(key: str | None) -> bool:
        return key is not None and key.rsplit(" #", 1)[0] == f"query:{name}"

    failed = next((how for key, how in rdflib.failed.items() if of_query(key)), None)
    if failed:
        return f"failed: {failed} | —"
    if any(map(of_query, rdflib.stopped)) or of_query(rdflib.running):
        slow = float("inf")
    else:
        runs = [seconds for key, seconds in rdflib.done.items() if of_query(key)]
        if not runs:
            return "not reached | —"
        slow = statistics.median(runs)
    return f"{_ms(slow, timeout)} | {_ratio(slow, fast, timeout)}"


def _values(params, busiest: list[str]) -> dict[str, str]:
    """The parameters' values: the busiest actors for the actor parameters, one each."""
    actors = iter(busiest)
    return {param.name: next(actors) for param in params if param.type == "actor"}


def _median(pool: QueryPool, text: str, bindings: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            pool.run(text, bindings)
        except QueryTimeout:
            return float("inf")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _ms(seconds: float | None, timeout: float) -> str:
    if seconds is None:
        return "not run"
    return f"> {timeout:g} s" if seconds == float("inf") else f"{seconds * 1000:,.1f} ms"


def _ratio(slow: float | None, fast: float, timeout: float) -> str:
    if slow is None:
        return "—"
    if slow == float("inf"):
        return f"> {timeout / fast:,.0f}×"
    return f"{slow / fast:,.1f}×"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.1f} s"


def machine() -> list[str]:
    versions = ", ".join(f"{name} {_version(name)}" for name in LIBRARIES)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return [
        f"Run on {dt.date.today().isoformat()}: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, {versions}. Load average before the run: {load}.",
    ]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="claims per corpus")
    parser.add_argument("--runs", type=int, default=5, help="runs of each query (the median is shown)")
    parser.add_argument("--baseline-limit", type=float, default=300, help="seconds before a baseline is stopped")
    parser.add_argument(
        "--rdflib-step-limit", type=float, default=120, help="seconds before each of rdflib's later steps is stopped"
    )
    parser.add_argument("--query-timeout", type=float, default=30, help="seconds before a query is stopped")
    parser.add_argument("--rdflib-queries-up-to", type=int, default=100_000, help="largest size for rdflib queries")
    parser.add_argument("--browser-up-to", type=int, default=10_000, help="largest size to open in Chromium")
    parser.add_argument("--output", type=Path, default=PROJECT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    lines = ["# Benchmarks", "", *machine(), "", *(__doc__.split("\n\n")[1:2]), ""]
    for claims in args.sizes:
        with tempfile.TemporaryDirectory(prefix="actorgraph-bench-") as folder:
            lines += bench_size(claims, args, Path(folder))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
