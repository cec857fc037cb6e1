"""Benchmark the analysis at scale: wall time and peak memory per step, with exact baselines where feasible.

Generates seeded random signed corpora (1,000, 10,000 and 100,000 actors by default, three
claims per actor, two planted camps with 10% of the signs flipped), runs each step of
``graph.analysis.analyse`` on its own, and prints one table per size. Peak memory is what
tracemalloc traces during a second run of the step (so the timings are not slowed by it).
Baselines, run where feasible: exact betweenness against the sampled estimate, Louvain
against label propagation, the planted split against the camps the heuristic finds, and
exact against heuristic camps on small random graphs. Not a test: nothing is asserted.

    .venv/bin/python benchmarks/bench_analysis.py [--sizes 1000 10000 100000] [--exact-up-to 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import balance, measures  # noqa: E402
from graph.analysis import analyse  # noqa: E402
from graph.model import Actor, Claim, Corpus, Relation, Source  # noqa: E402
from graph.projection import actor_digraph, balance_graph, signed_graph, without_alleged  # noqa: E402
from graph.report import generate_json, generate_markdown  # noqa: E402

SEED = 2024
RELATIONS = (
    Relation("supports", "supports", "Backs.", 1),
    Relation("cooperates-with", "cooperates with", "Works with.", 1, symmetric=True),
    Relation("supplies-arms-to", "supplies arms to", "Arms.", 1),
    Relation("opposes", "opposes", "Stands against.", -1),
    Relation("attacks", "attacks", "Attacks.", -1),
    Relation("leads", "leads", "Heads.", 0),
)
CERTAINTIES = ("asserted",) * 16 + ("reported",) * 2 + ("alleged", "denied")
FLIPPED = 0.1


def corpus(actors: int, claims_per_actor: int = 3, seed: int = SEED) -> tuple[Corpus, dict[str, int]]:
    """A random corpus with two planted camps; returns it and the planted side of each actor."""
    rng = random.Random(seed)
    names = [f"a{i:06}" for i in range(actors)]
    side = {name: rng.randrange(2) for name in names}
    sources = tuple(Source(f"s{i:02}", f"Source {i}", dt.date(2024, 1, 1 + i % 3)) for i in range(20))
    positive = [r for r in RELATIONS if r.sign > 0]
    negative = [r for r in RELATIONS if r.sign < 0]
    claims = []
    for number in range(actors * claims_per_actor):
        u, v = rng.sample(names, 2)
        friendly = (side[u] == side[v]) != (rng.random() < FLIPPED)
        relation = rng.choice(positive if friendly else negative) if rng.random() > 0.03 else RELATIONS[-1]
        certainty = rng.choice(CERTAINTIES)
        said_by = "unnamed" if certainty in ("reported", "alleged") else None
        claims.append(Claim(f"c{number:07}", u, relation.id, v, rng.choice(sources).id, certainty, "q", said_by))
    actor_list = tuple(Actor(name, name, "state") for name in names)
    return Corpus(RELATIONS, actor_list, sources, tuple(claims)), side


def measure(step: Callable[[], object], *, memory: bool = True) -> tuple[object, float, float | None]:
    """Run a step: its result, wall seconds, and peak MiB traced in a second run (None if not asked)."""
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    peak = None
    if memory:
        tracemalloc.start()
        step()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, seconds, peak


def run_size(actors: int, exact_up_to: int, memory: bool) -> None:
    built, side = corpus(actors)
    rows: list[tuple[str, float, float | None, str]] = []

    def step(name: str, function: Callable[[], object], note: Callable[[object], str] = lambda _: "") -> object:
        result, seconds, peak = measure(function, memory=memory)
        rows.append((name, seconds, peak, note(result)))
        print(f"  … {name}: {seconds:.2f} s", file=sys.stderr, flush=True)
        return result

    ties = step("project: signed ties", lambda: signed_graph(built), lambda g: f"{g.number_of_edges():,} ties")
    directed = step("project: directed ties", lambda: actor_digraph(built), lambda g: f"{g.number_of_edges():,}")
    step("degree by relation", lambda: measures.degrees(built))
    step("PageRank", lambda: measures.pagerank(directed))
    step("betweenness", lambda: measures.betweenness(ties), lambda r: r[1])
    groups = step("communities", lambda: measures.communities(ties), lambda r: f"{r[1]}, {len(r[0]):,} groups")
    step(
        "triangles", lambda: balance.triangles(ties), lambda t: f"{len(t):,}, {sum(not x.balanced for x in t):,} unbal."
    )
    found = step(
        "camps",
        lambda: balance.camps(ties),
        lambda c: f"{c.method}, frustration {c.frustration:g}, {len(c.camps)} camps",
    )
    signed_only = balance_graph(ties)
    step(
        "why (unbalanced triangles)",
        lambda: [balance.unbalanced_through(signed_only, u, v) for u, v in found.frustrated],
        lambda r: f"{len(r):,} frustrated ties",
    )
    step("contested", lambda: measures.contested(built), lambda r: f"{len(r):,}")
    step("established camps", lambda: balance.camps(signed_graph(without_alleged(built))))
    analysis = step("analyse() end to end", lambda: analyse(built))
    step("report (md + json)", lambda: (generate_markdown(analysis), generate_json(analysis)))

    print(f"\n### {actors:,} actors, {len(built.claims):,} claims\n")
    print("| step | wall s | peak MiB | result |")
    print("|---|---:|---:|---|")
    for name, seconds, peak, note in rows:
        print(f"| {name} | {seconds:.2f} | {'' if peak is None else f'{peak:.1f}'} | {note} |")

    print("\n| baseline | exact / reference | fast | ratio | quality |")
    print("|---|---:|---:|---:|---|")
    planted = sum(
        data["margin"]
        for u, v, data in ties.edges(data=True)
        if data["sign"] and (side[u] == side[v]) != (data["sign"] > 0)
    )
    print(
        f"| camps vs the planted split | frustration {planted:g} | {found.frustration:g} | "
        f"{found.frustration / planted:.3f} | heuristic ≤ planted when ratio ≤ 1 |"
    )
    if actors <= exact_up_to:
        exact, exact_seconds, _ = measure(lambda: measures.betweenness(ties, exact_max=actors), memory=False)
        sampled, sampled_seconds, _ = measure(lambda: measures.betweenness(ties, exact_max=0), memory=False)
        overlap = len(set(measures.ranked(exact[0])[:20]) & set(measures.ranked(sampled[0])[:20]))
        print(
            f"| betweenness: exact vs {sampled[1]} | {exact_seconds:.2f} s | {sampled_seconds:.2f} s | "
            f"{exact_seconds / sampled_seconds:.1f}× | Spearman {spearman(exact[0], sampled[0]):.3f}, "
            f"top-20 overlap {overlap}/20 |"
        )
    if groups[1] != "Louvain" and actors <= exact_up_to:
        louvain, seconds, _ = measure(
            lambda: nx.community.louvain_communities(ties, weight="weight", seed=measures.SEED), memory=False
        )
        fast_seconds = next(row[1] for row in rows if row[0] == "communities")
        ours = nx.community.modularity(ties, [set(g) for g in groups[0]], weight="weight")
        theirs = nx.community.modularity(ties, louvain, weight="weight")
        print(
            f"| communities: Louvain vs label propagation | {seconds:.2f} s | {fast_seconds:.2f} s | "
            f"{seconds / fast_seconds:.1f}× | modularity {ours:.3f} vs Louvain {theirs:.3f} |"
        )


def spearman(a: dict[str, float], b: dict[str, float]) -> float:
    """Spearman's rank correlation of two measures of the same actors (ties get their average rank)."""

    def ranks(values: dict[str, float]) -> dict[str, float]:
        order = sorted(values, key=values.get)
        result, i = {}, 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                result[order[k]] = (i + j) / 2
            i = j + 1
        return result

    ra, rb = ranks(a), ranks(b)
    keys = sorted(a)
    mean_a, mean_b = sum(ra.values()) / len(keys), sum(rb.values()) / len(keys)
    cov = sum((ra[k] - mean_a) * (rb[k] - mean_b) for k in keys)
    var_a = sum((ra[k] - mean_a) ** 2 for k in keys)
    var_b = sum((rb[k] - mean_b) ** 2 for k in keys)
    return cov / (var_a * var_b) ** 0.5


def small_exact_vs_heuristic(graphs: int = 100, actors: int = 16, ties: int = 40) -> None:
    rng = random.Random(SEED)
    exact_time = heuristic_time = 0.0
    ratios = []
    for _ in range(graphs):
        graph = nx.Graph()
        while graph.number_of_edges() < ties:
            u, v = rng.sample(range(actors), 2)
            graph.add_edge(f"n{u:02}", f"n{v:02}", sign=rng.choice((1, 1, -1)), margin=rng.choice((0.5, 1.0, 2.0)))
        exact, seconds, _ = measure(lambda g=graph: balance.camps(g), memory=False)
        exact_time += seconds
        heuristic, seconds, _ = measure(lambda g=graph: balance.camps(g, exact_max=2), memory=False)
        heuristic_time += seconds
        ratios.append(heuristic.frustration / exact.frustration if exact.frustration else 1.0)
    print(f"\n### Camps on {graphs} random graphs of {actors} actors and {ties} ties: exact vs heuristic\n")
    print("| method | total s | frustration vs exact |")
    print("|---|---:|---|")
    print(f"| exact (every split) | {exact_time:.2f} | 1 |")
    print(
        f"| heuristic | {heuristic_time:.2f} | mean {sum(ratios) / len(ratios):.3f}, worst {max(ratios):.3f}, "
        f"optimal in {sum(r == 1.0 for r in ratios)}/{graphs} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--exact-up-to", type=int, default=10_000, help="run exact baselines up to this many actors")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs (halves the time)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, NetworkX {nx.__version__}; seed {SEED}\n")
    small_exact_vs_heuristic()
    for actors in args.sizes:
        print(f"{actors:,} actors …", file=sys.stderr, flush=True)
        run_size(actors, args.exact_up_to, memory=not args.no_memory)


if __name__ == "__main__":
    main()
