"""Projections and signed analysis on small hand-built corpora whose answers are known."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import networkx as nx
import pytest

from graph import check
from graph.analysis import analyse
from graph.balance import camps, triangles, unbalanced_through
from graph.explain import paths, reading
from graph.measures import betweenness, communities, contested
from graph.model import Actor, Claim, Corpus, Relation, Source
from graph.projection import (
    actor_digraph,
    balance_graph,
    claim_multigraph,
    corpus_as_of,
    corpus_from_rdf,
    signed_graph,
)
from tests.conftest import MINI

RELATIONS = (
    Relation("supports", "supports", "Backs.", 1),
    Relation("allied-with", "allied with", "Allied.", 1, symmetric=True),
    Relation("attacks", "attacks", "Attacks.", -1),
    Relation("opposes", "opposes", "Opposes.", -1),
    Relation("leads", "leads", "Heads.", 0),
)
DAYS = {"s1": dt.date(2023, 10, 1), "s2": dt.date(2023, 11, 1), "s3": dt.date(2024, 1, 1)}


def corpus(*claims: str, represents: dict[str, str] | None = None) -> Corpus:
    """A corpus from claims written 'subject relation object [source] [certainty]', ids in order."""
    parsed = []
    for number, text in enumerate(claims, 1):
        subject, relation, obj, *rest = text.split()
        source = rest[0] if rest else "s1"
        certainty = rest[1] if len(rest) > 1 else "asserted"
        said_by = "someone" if certainty in ("reported", "alleged") else None
        parsed.append(Claim(f"c{number:02}", subject, relation, obj, source, certainty, f"quote {number}", said_by))
    names = sorted({name for claim in parsed for name in (claim.subject, claim.object)})
    represents = represents or {}
    actors = tuple(Actor(name, name.title(), "state", represents=represents.get(name)) for name in names)
    sources = tuple(Source(source, source.upper(), day) for source, day in DAYS.items())
    return Corpus(RELATIONS, actors, sources, tuple(parsed))


BALANCED = corpus("a supports b", "b attacks c", "a opposes c")
UNBALANCED = corpus("a supports b", "b supports c", "a attacks c")


def test_the_multigraph_has_one_edge_per_claim_denied_ones_marked():
    graph = claim_multigraph(corpus("a supports b", "a supports b s2", "a attacks b s3 denied"))
    assert sorted(graph.edges(keys=True)) == [("a", "b", "c01"), ("a", "b", "c02"), ("a", "b", "c03")]
    assert graph.edges["a", "b", "c03"]["certainty"] == "denied"
    assert graph.edges["a", "b", "c02"]["date"] == "2023-11-01"


def test_a_tie_counts_independent_sources_not_claims():
    ties = signed_graph(corpus("a supports b", "a supports b", "b supports a", "a supports b s2"))
    assert ties.edges["a", "b"]["weight"] == 2
    assert ties.edges["a", "b"]["claims"] == ["c01", "c02", "c03", "c04"]


def test_denied_claims_are_left_out_and_alleged_ones_count_half_and_are_marked():
    ties = signed_graph(corpus("a attacks b s1 denied", "a supports b s2 alleged", "c attacks d s1 denied"))
    assert list(ties.edges) == [("a", "b")]
    edge = ties.edges["a", "b"]
    assert (edge["sign"], edge["weight"], edge["claims"], edge["alleged"]) == (1, 0.5, ["c02"], ["c02"])


def test_disagreeing_sources_give_the_sign_with_more_sources_and_the_margin_as_cost():
    ties = signed_graph(corpus("a supports b s1", "a supports b s2", "a attacks b s3"))
    edge = ties.edges["a", "b"]
    assert (edge["sign"], edge["cooperative"], edge["hostile"], edge["margin"], edge["weight"]) == (1, 2, 1, 1, 3)


def test_an_evenly_split_tie_is_left_out_of_balance():
    ties = signed_graph(corpus("a supports b s1", "a attacks b s2"))
    assert ties.edges["a", "b"]["sign"] == 0
    assert balance_graph(ties).number_of_edges() == 0


def test_symmetric_relations_run_both_ways_in_the_directed_graph():
    directed = actor_digraph(corpus("a allied-with b", "a supports c"))
    assert sorted(directed.edges) == [("a", "b"), ("a", "c"), ("b", "a")]


def test_a_balanced_triangle_splits_into_two_camps_with_nothing_frustrated():
    ties = signed_graph(BALANCED)
    [triangle] = triangles(ties)
    assert (triangle.actors, triangle.signs, triangle.balanced) == (("a", "b", "c"), (1, -1, -1), True)
    found = camps(ties)
    assert found.camps == (("a", "b"), ("c",))
    assert (found.frustrated, found.frustration, found.method, found.optimal) == ((), 0.0, "exact", 1)


def test_an_unbalanced_triangle_leaves_exactly_one_tie_frustrated():
    ties = signed_graph(UNBALANCED)
    [triangle] = triangles(ties)
    assert (triangle.signs, triangle.balanced) == ((1, -1, 1), False)
    found = camps(ties)
    assert found.frustration == 1.0 and len(found.frustrated) == 1
    assert found.optimal == 3  # any one of the three ties can be the frustrated one


def test_the_weakest_tie_of_an_unbalanced_triangle_is_the_one_frustrated():
    ties = signed_graph(
        corpus("a supports b s1", "a supports b s2", "b supports c s1", "b supports c s2", "a attacks c")
    )
    found = camps(ties)
    assert found.camps == (("a", "b", "c"),)
    assert found.frustrated == (("a", "c"),)
    assert unbalanced_through(balance_graph(ties), "a", "c") == ["b"]


def test_three_mutual_enemies_are_unbalanced_and_two_of_them_share_a_camp():
    ties = signed_graph(corpus("a attacks b", "b attacks c", "a attacks c"))
    assert [t.balanced for t in triangles(ties)] == [False]
    found = camps(ties)
    assert (len(found.camps), found.frustration, found.optimal) == (2, 1.0, 3)


def test_neutral_links_take_no_side():
    ties = signed_graph(corpus("p leads a", "a attacks b"))
    assert camps(ties).camps == (("a",), ("b",))
    assert camps(ties).camp_of("p") is None


def _random_signed(seed: int, n: int, m: int) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.Graph()
    while graph.number_of_edges() < m:
        u, v = sorted(rng.sample(range(n), 2))
        graph.add_edge(f"n{u:02}", f"n{v:02}", sign=rng.choice((1, 1, -1)), margin=rng.choice((0.5, 1.0, 2.0)))
    return graph


def _brute_force(graph: nx.Graph) -> float:
    nodes = sorted(graph)
    best = float("inf")
    for colours in itertools.product((0, 1), repeat=len(nodes) - 1):
        side = dict(zip(nodes, (0, *colours), strict=True))
        cost = sum(d["margin"] for u, v, d in graph.edges(data=True) if (side[u] == side[v]) != (d["sign"] > 0))
        best = min(best, cost)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_exact_camps_match_a_plain_brute_force_over_the_whole_graph(seed: int):
    graph = _random_signed(seed, n=11, m=22)
    assert camps(graph).frustration == _brute_force(graph)


@pytest.mark.parametrize("seed", range(4))
def test_the_heuristic_finds_the_optimum_on_small_graphs_and_says_it_is_a_heuristic(seed: int):
    graph = _random_signed(seed, n=11, m=22)
    found = camps(graph, exact_max=4)
    assert (found.method, found.optimal) == ("heuristic", 0)
    assert found.frustration == _brute_force(graph)


def test_the_heuristic_recovers_a_planted_split_of_a_large_graph():
    rng = random.Random(7)
    side = {f"n{i:03}": rng.randrange(2) for i in range(300)}
    graph = nx.Graph()
    names = sorted(side)
    while graph.number_of_edges() < 1200:
        u, v = rng.sample(names, 2)
        graph.add_edge(u, v, sign=1 if side[u] == side[v] else -1, margin=1.0)
    found = camps(graph)
    assert found.method == "heuristic"
    assert found.frustration == 0.0
    planted = {frozenset(n for n in names if side[n] == s) for s in (0, 1)}
    assert {frozenset(camp) for camp in found.camps} == planted


def test_a_known_path_with_its_signs():
    known = corpus("a supports b", "b attacks c", "c supports d", "a allied-with d s2 alleged")
    found, capped = paths(signed_graph(known), actor_digraph(known), "a", "d", max_hops=3)
    assert not capped
    assert [(p.actors, p.directed, p.sign) for p in found] == [
        (("a", "d"), True, 1),
        (("a", "b", "c", "d"), True, -1),
    ]
    assert [hop.tie.claims for hop in found[1].hops] == [("c01",), ("c02",), ("c03",)]
    assert found[0].hops[0].tie.alleged_only
    assert reading(found[1]) == "−, opposed through 1 hostile link"


def test_undirected_paths_come_after_directed_ones_of_the_same_length():
    known = corpus("a supports b", "b supports c", "a attacks x", "c supports x")
    found, _ = paths(signed_graph(known), actor_digraph(known), "a", "c", max_hops=2)
    assert [(p.actors, p.directed) for p in found] == [(("a", "b", "c"), True), (("a", "x", "c"), False)]
    assert reading(found[1]) == "−, a friend of an enemy"


def test_enemy_of_an_enemy_reads_as_a_friend():
    known = corpus("a attacks b", "b attacks c")
    [path], _ = paths(signed_graph(known), actor_digraph(known), "a", "c")
    assert (path.sign, reading(path)) == (1, "+, the enemy of an enemy")


def test_contested_ties_mixed_signs_affirmed_and_denied_and_representatives():
    known = corpus(
        "a supports b s1",
        "a attacks b s2",
        "c supports d s1 alleged",
        "c supports d s2 denied",
        "x supports e",
        "p opposes e",
        represents={"p": "x"},
    )
    assert [(c.kind, c.actors, c.affirming, c.opposing, c.relation) for c in contested(known)] == [
        ("mixed signs", ("a", "b"), ("c01",), ("c02",), ""),
        ("affirmed and denied", ("c", "d"), ("c03",), ("c04",), "supports"),
        ("representative", ("x", "e"), ("c05",), ("c06",), "p"),
    ]


def test_as_of_keeps_the_sources_dated_up_to_that_day():
    known = corpus("a supports b s1", "b attacks c s2", "a attacks c s3")
    assert [c.id for c in corpus_as_of(known, dt.date(2023, 11, 1)).claims] == ["c01", "c02"]
    analysis = analyse(known, as_of=dt.date(2023, 11, 1))
    assert analysis.camps.camps == (("a", "b"), ("c",))
    assert [(m.date, m.claims, m.frustrated) for m in analyse(known).timeline] == [
        (dt.date(2023, 10, 1), 1, ()),
        (dt.date(2023, 11, 1), 2, ()),
        (dt.date(2024, 1, 1), 3, ()),
    ]


def test_the_established_view_drops_alleged_claims():
    analysis = analyse(corpus("a supports b", "b attacks c", "a supports c s2 alleged"))
    assert analysis.camps.frustrated == (("a", "c"),)
    assert analysis.established.frustrated == ()


def test_betweenness_is_exact_when_small_and_sampled_with_a_seed_when_large():
    graph = nx.path_graph([f"n{i:03}" for i in range(301)])
    exact, method = betweenness(graph)
    assert method == "exact" and max(exact, key=exact.get) == "n150"
    sampled, method = betweenness(graph, exact_max=100)
    assert method == "sampled from 100 actors (seed 4)"
    assert sampled == betweenness(graph, exact_max=100)[0]
    assert abs(sampled["n150"] - exact["n150"]) < 0.1


def test_communities_ignore_signs_and_fall_back_to_label_propagation_when_large():
    ties = signed_graph(corpus("a attacks b", "b attacks c", "a attacks c", "x supports y"))
    assert communities(ties) == ([("a", "b", "c"), ("x", "y")], "Louvain")
    assert communities(ties, louvain_max=2) == ([("a", "b", "c"), ("x", "y")], "label propagation")


def test_the_projections_read_the_same_from_the_rdf_graph_as_from_the_claims():
    built = check(MINI)
    again = corpus_from_rdf(built.graph)
    assert [claim.id for claim in again.claims] == sorted(claim.id for claim in built.corpus.claims)
    for project in (signed_graph, actor_digraph):
        ours, theirs = project(built.corpus), project(again)
        assert sorted(ours.edges(data=True)) == sorted(theirs.edges(data=True))
