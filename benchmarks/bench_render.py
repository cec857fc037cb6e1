"""Benchmark the graph explorer at scale: render time, page size, and time until drawn in Chromium.

Builds a seeded synthetic corpus (1,000 actors, 10,000 claims by default), renders
graph.html, opens it in headless Chromium (Debian's ``chromium``) and reports how long
each step takes; then does the same for pyvis's default output (physics on) at 100
actors, for comparison. Nothing leaves the machine: every request but the page is blocked.

    .venv/bin/python benchmarks/bench_render.py [--actors 1000] [--claims 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graph.model import ACTOR_TYPES, Actor, Claim, Corpus, Relation, Source
from graph.render import generate_html, page_data

RELATIONS = (
    ("supports", 1, False),
    ("criticises", -1, False),
    ("depends-on", 1, False),
    ("opposes", -1, False),
    ("allied-with", 1, True),
    ("cooperates-with", 1, True),
    ("accuses", -1, False),
    ("blames", -1, False),
    ("supplies-arms-to", 1, False),
    ("trains", 1, False),
    ("hosts", 1, False),
    ("recognises", 1, False),
    ("has-diplomatic-relations-with", 1, True),
    ("seeks-help-from", 1, False),
    ("designates-as-terrorist", -1, False),
    ("attacks", -1, False),
    ("at-war-with", -1, True),
    ("leads", 0, False),
    ("speaks-for", 0, False),
    ("belongs-to", 0, False),
)
SENTENCE = (
    "the minister said that government forces would continue to back allies in the region while "
    "officials denied reports of weapons deliveries and accused rivals of escalating the conflict"
)
WORDS = tuple(SENTENCE.split(" "))
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def synthetic_corpus(actors: int, claims: int, *, sources: int = 200, seed: int = 2024) -> Corpus:
    """A corpus of the given size; endpoints follow a Zipf-like law, so a few actors are hubs."""
    rng = random.Random(seed)
    relations = tuple(
        Relation(rid, rid.replace("-", " "), f"Synthetic {rid}.", sign, sym) for rid, sign, sym in RELATIONS
    )
    actor_list = tuple(
        Actor(f"actor-{i:04d}", f"Actor {i}", rng.choice(ACTOR_TYPES), aliases=(f"A{i}",)) for i in range(actors)
    )
    start = dt.date(2023, 1, 1)
    source_list = tuple(
        Source(
            f"{i:03d}-synthetic",
            f"Synthetic article {i}",
            start + dt.timedelta(days=rng.randrange(730)),
            publisher="Synthetic Wire",
            url=f"https://example.org/{i}",
        )
        for i in range(sources)
    )
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(actors)]
    ids = [actor.id for actor in actor_list]
    claim_list = []
    for n in range(claims):
        subject, obj = rng.choices(ids, weights=weights, k=2)
        while obj == subject:
            obj = rng.choice(ids)
        certainty = rng.choices(("asserted", "reported", "alleged", "denied"), weights=(60, 20, 12, 8))[0]
        said_by = rng.choice(ids) if certainty in ("reported", "alleged") else None
        claim_list.append(
            Claim(
                f"{n:05d}",
                subject,
                rng.choice(RELATIONS)[0],
                obj,
                source=rng.choice(source_list).id,
                certainty=certainty,
                quote=" ".join(rng.choices(WORDS, k=rng.randrange(12, 40))),
                said_by=said_by,
                quote_line=rng.randrange(1, 60),
            )
        )
    return Corpus(relations, actor_list, source_list, tuple(claim_list))


def render_ours(corpus: Corpus) -> tuple[str, float, float, int]:
    """The page, the seconds to compute its data (layout included) and to write it out, and its edge count."""
    started = time.perf_counter()
    data = page_data(corpus)
    laid_out = time.perf_counter()
    html = generate_html(data)
    return html, laid_out - started, time.perf_counter() - laid_out, len(data["edges"])


def render_pyvis_default(corpus: Corpus) -> str:
    """What pyvis gives out of the box: one edge per claim, physics on, vis-network inlined.

    pyvis's default ("local") page fetches vis-network from a CDN, which this machine
    cannot reach, so this uses ``cdn_resources="in_line"``; its template still links
    Bootstrap from a CDN (blocked here, as everything but the page is).
    """
    from pyvis.network import Network

    network = Network(directed=True, cdn_resources="in_line")
    for actor in corpus.actors:
        network.add_node(actor.id, label=actor.label, title=actor.label)
    for claim in corpus.claims:
        network.add_edge(claim.subject, claim.object, title=claim.quote)
    html = network.generate_html()
    # Record when physics has settled: pyvis's page draws the graph in drawGraph().
    hook = (
        "drawGraph();\nwindow.__bench = {};"
        "network.once('afterDrawing', () => window.__bench.drawn = performance.now());"
        "network.once('stabilizationIterationsDone', () => window.__bench.iterations = performance.now());"
        "network.once('stabilized', () => window.__bench.stable = performance.now());"
    )
    return html.replace("drawGraph();", hook, 1)


def _offline_page(browser, viewport=VIEWPORT):
    context = browser.new_context(viewport=viewport)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    return context, context.new_page()


def timings(
    browser, path: Path, ready: str, stamps: dict[str, str], *, timeout: float = 180, settle: str | None = None
) -> dict[str, float | None]:
    """Load the page once; milliseconds from navigation start to the load event and to each stamp.

    With ``settle``, also wait up to 20 s more for that expression to give a time (else None).
    """
    context, page = _offline_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load", timeout=timeout * 1000)
    page.wait_for_function(ready, timeout=timeout * 1000, polling=50)
    result = {"load": page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")}
    result.update({name: page.evaluate(expression) for name, expression in stamps.items()})
    if settle is not None:
        try:
            page.wait_for_function(settle, timeout=20_000, polling=100)
            result["settled"] = page.evaluate(settle)
        except Exception:  # playwright's TimeoutError: it did not settle
            result["settled"] = None
    if errors:
        print(f"  page errors in {path.name}: {errors[:3]}", file=sys.stderr)
    context.close()
    return result


def filter_time(browser, path: Path) -> float:
    """Milliseconds to hide one relation's edges and redraw, in our page."""
    context, page = _offline_page(browser)
    page.goto(path.as_uri())
    page.wait_for_function("window.actorgraph && window.actorgraph.ready", timeout=120_000)
    elapsed = page.evaluate(
        """() => {
          const started = performance.now();
          document.querySelector('#filter-relations input').click();
          actorgraph.network.redraw();
          return performance.now() - started;
        }"""
    )
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="page loads of our pages (the median is shown)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    corpora = {"ours, large": synthetic_corpus(args.actors, args.claims)}
    corpora["ours, 100 actors"] = synthetic_corpus(100, args.claims * 100 // args.actors)
    small = corpora["ours, 100 actors"]
    pages: dict[str, Path] = {}
    print(f"Seeded synthetic corpora; Python {sys.version.split()[0]}.")
    print()
    print("| page | actors | claims | edges | render in Python (layout) | graph.html |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, corpus in corpora.items():
        html, data_seconds, html_seconds, edges = render_ours(corpus)
        pages[name] = folder / f"ours-{len(corpus.actors)}.html"
        pages[name].write_text(html, encoding="utf-8")
        print(
            f"| {name} | {len(corpus.actors):,} | {len(corpus.claims):,} | {edges:,} "
            f"| {data_seconds + html_seconds:.2f} s ({data_seconds:.2f} s) | {len(html.encode()) / 1e6:.1f} MB |"
        )
    started = time.perf_counter()
    pyvis_html = render_pyvis_default(small)
    pyvis_seconds = time.perf_counter() - started
    pages["pyvis default, 100 actors"] = folder / "pyvis-100.html"
    pages["pyvis default, 100 actors"].write_text(pyvis_html, encoding="utf-8")
    print(
        f"| pyvis default, 100 actors | 100 | {len(small.claims):,} | {len(small.claims):,} "
        f"| {pyvis_seconds:.2f} s (none: physics in the browser) | {len(pyvis_html.encode()) / 1e6:.1f} MB |"
    )
    print()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        print(f"Headless Chromium {browser.version}, software rendering (no GPU), {os.cpu_count()} cores.")
        print(f"Milliseconds from navigation start; ours: median of {args.runs} loads; pyvis: one load.")
        print()
        print("| page | load event | graph drawn | layout settled |")
        print("|---|---:|---:|---:|")
        ours = {"drawn": "actorgraph.drawnAt"}
        for name in ("ours, large", "ours, 100 actors"):
            runs = [
                timings(browser, pages[name], "window.actorgraph && actorgraph.ready", ours) for _ in range(args.runs)
            ]
            load = statistics.median(run["load"] for run in runs)
            drawn = statistics.median(run["drawn"] for run in runs)
            print(f"| {name} | {load:,.0f} | {drawn:,.0f} | {drawn:,.0f} (laid out ahead, no physics) |")
        name = "pyvis default, 100 actors"
        stamps = {"drawn": "__bench.drawn", "iterations": "__bench.iterations"}
        run = timings(
            browser, pages[name], "window.__bench && __bench.drawn", stamps, timeout=600, settle="__bench.stable"
        )
        settled = f"{run['iterations']:,.0f} after 1,000 stabilisation iterations, then " + (
            "still moving 20 s later" if run["settled"] is None else f"at rest from {run['settled']:,.0f}"
        )
        print(f"| {name} | {run['load']:,.0f} | {run['drawn']:,.0f} | {settled} |")
        print()
        milliseconds = filter_time(browser, pages["ours, large"])
        print(f"Hiding one relation's edges in the large page and redrawing: {milliseconds:,.0f} ms.")
        browser.close()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
