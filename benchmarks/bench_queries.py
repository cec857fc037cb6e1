"""Benchmark every named query on the embedded Oxigraph store and on rdflib's own evaluator.

Both engines run in the same run, on the same graph: the curated corpus and a seeded
synthetic one (``--claims``, 10,000 by default). Each query runs ``--runs`` times per
engine in a worker process with a time limit (``--timeout``), the same sandbox
``actorgraph serve`` uses, so a query rdflib cannot finish is reported, not waited for.
Prints a Markdown table: median latency per engine and the ratio rdflib / Oxigraph.

    .venv/bin/python benchmarks/bench_queries.py [--claims 10000] [--runs 5] [--timeout 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graph import build_dataset, load_corpus
from graph.export import write_exports
from graph.formats import generate_trig, oxigraph_quads
from graph.model import Corpus
from graph.queries import Param, bind_params, load_named_queries
from graph.sandbox import EngineSpec, QueryPool, QueryTimeout
from graph.store import write_store
from graph.synthetic import synthetic_corpus

PROJECT = Path(__file__).resolve().parent.parent


def prepare(corpus: Corpus, folder: Path) -> int:
    """Write what the engines read (graph.trig, the store); return the number of quads."""
    dataset = build_dataset(corpus)
    quads = tuple(oxigraph_quads(dataset))
    write_exports({"graph.trig": generate_trig(quads)}, folder)
    write_store(quads, folder)
    return len(dataset)


def busiest_actor(corpus: Corpus) -> str:
    counts: dict[str, int] = {}
    for claim in corpus.claims:
        for actor in (claim.subject, claim.object):
            counts[actor] = counts.get(actor, 0) + 1
    return max(sorted(counts), key=counts.__getitem__)


def values(params: tuple[Param, ...], corpus: Corpus) -> dict[str, str]:
    """Parameters that exist in the corpus: the busiest actors, the defaults otherwise."""
    actors = sorted({c.subject for c in corpus.claims} | {c.object for c in corpus.claims})
    top = busiest_actor(corpus)
    ranked = [top] + [actor for actor in actors if actor != top]
    given, index = {}, 0
    for param in params:
        if param.type == "actor":
            given[param.name] = param.default if param.default in actors else ranked[index]
            index += 1
    return given


def measure(pool: QueryPool, text: str, bindings: dict, runs: int) -> str:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            pool.run(text, bindings)
        except QueryTimeout:
            return f"> {pool.timeout:g} s"
        times.append(time.perf_counter() - started)
    return f"{statistics.median(times) * 1000:,.1f} ms"


def millis(figure: str) -> float | None:
    return None if figure.startswith(">") else float(figure.removesuffix(" ms").replace(",", ""))


def bench(label: str, corpus: Corpus, runs: int, timeout: float) -> list[str]:
    named = load_named_queries(PROJECT / "queries")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        quads = prepare(corpus, Path(folder))
        prepared = time.perf_counter() - started
        lines = [
            f"### {label}: {len(corpus.claims):,} claims, {len(corpus.actors):,} actors, {quads:,} quads",
            "",
            f"Graph built and stored in {prepared:.1f} s. Median of {runs} runs, in a worker process, "
            f"including the round trip to it (about a millisecond).",
            "",
            "| query | Oxigraph | rdflib | rdflib / Oxigraph |",
            "|---|---:|---:|---:|",
        ]
        engines = ("oxigraph", "rdflib")
        pools = {name: QueryPool(EngineSpec(name, folder), workers=1, timeout=timeout) for name in engines}
        try:
            for pool in pools.values():
                pool.run("ASK { ?s ?p ?o }")  # open the engine in its worker before timing
            for name, query in named.items():
                bindings = bind_params(query.params, values(query.params, corpus))
                fast = measure(pools["oxigraph"], query.text, bindings, runs)
                slow = measure(pools["rdflib"], query.text, bindings, runs)
                ratio = f"{millis(slow) / millis(fast):,.1f}×" if millis(slow) and millis(fast) else "—"
                if slow.startswith(">") and millis(fast):
                    ratio = f"> {timeout * 1000 / millis(fast):,.0f}×"
                lines.append(f"| {name} | {fast} | {slow} | {ratio} |")
                print(lines[-1], file=sys.stderr)
        finally:
            for pool in pools.values():
                pool.close()
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000, help="size of the synthetic corpus")
    parser.add_argument("--runs", type=int, default=5, help="runs per query and engine")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a query is stopped")
    args = parser.parse_args()
    curated = load_corpus(PROJECT / "sources")
    synthetic = synthetic_corpus(curated.relations, args.claims)
    print("## Named queries: Oxigraph and rdflib's evaluator\n")
    for label, corpus in (("Curated corpus", curated), ("Synthetic corpus", synthetic)):
        print("\n".join(bench(label, corpus, args.runs, args.timeout)))


if __name__ == "__main__":
    main()
