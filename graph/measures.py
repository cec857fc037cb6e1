"""Who matters and how: degree by relation, PageRank, betweenness, communities and contested ties."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse import coo_array, dia_array

from . import brandes
from .model import Claim, Corpus, Relation
from .propagation import label_propagation

SEED = 4
"""Seed of every sampled or randomised algorithm, so that every run gives the same answer."""

EXACT_BETWEENNESS_MAX_ACTORS = 1_000
"""Betweenness is exact up to this many actors; beyond, it is estimated from sampled actors."""

BETWEENNESS_WORK = 50_000_000
"""Sampled betweenness visits about this many ties: the number of sampled actors is work / ties."""

BETWEENNESS_SAMPLES = (10, 100)
"""The fewest and the most actors sampled for betweenness."""

PAGERANK_DAMPING, PAGERANK_ITERATIONS, PAGERANK_TOLERANCE = 0.85, 100, 1.0e-6
"""networkx.pagerank's defaults."""

LOUVAIN_MAX_ACTORS = 2_000
"""Communities by Louvain up to this many actors; beyond, by label propagation (linear time)."""


@dataclass(frozen=True)
class Degree:
    """An actor's claims (not denied) by relation and direction, and how many actors it is tied to."""

    partners: int
    out: tuple[tuple[str, int], ...]
    """(relation, claims) with the actor as subject, most claims first."""
    into: tuple[tuple[str, int], ...]
    """(relation, claims) with the actor as object, most claims first."""


@dataclass(frozen=True)
class Contest:
    """Two actors about whose tie the evidence disagrees, with the claims on each side."""

    kind: str
    """``mixed signs``: cooperative and hostile claims between the same two actors;
    ``affirmed and denied``: the same relation affirmed by some claims and denied by others;
    ``representative``: a person says or does the opposite of the actor they represent."""
    actors: tuple[str, str]
    """In order of their ids, but for ``affirmed and denied`` as the relation runs (subject, object)
    and for ``representative`` the actor represented first."""
    affirming: tuple[str, ...]
    """Claims on one side: the cooperative, affirming, or the actor's own claims."""
    opposing: tuple[str, ...]
    """Claims on the other side: the hostile, denying, or the representative's claims."""
    relation: str = ""
    """The relation, for ``affirmed and denied``; the representative, for ``representative``."""


def degrees(corpus: Corpus) -> dict[str, Degree]:
    """Each actor's claims by relation and direction (denied claims left out).

    >>> from graph.model import Claim
    >>> claims = (Claim("c1", "iran", "supports", "hamas"), Claim("c2", "iran", "supports", "russia"))
    >>> corpus = Corpus((), (), (), claims)
    >>> degrees(corpus)["iran"]
    Degree(partners=2, out=(('supports', 2),), into=())
    """
    used = [claim for claim in corpus.claims if claim.certainty != "denied"]
    out = Counter((claim.subject, claim.relation) for claim in used)
    into = Counter((claim.object, claim.relation) for claim in used)
    partners: dict[str, set[str]] = defaultdict(set)
    for pair in {(claim.subject, claim.object) for claim in used}:
        partners[pair[0]].add(pair[1])
        partners[pair[1]].add(pair[0])
    by_actor: dict[str, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}
    for counter, side in ((out, 0), (into, 1)):
        for (actor, relation), n in counter.items():
            by_actor.setdefault(actor, ([], []))[side].append((relation, n))
    return {
        actor: Degree(len(partners[actor]), _most_first(by_actor[actor][0]), _most_first(by_actor[actor][1]))
        for actor in sorted(partners)
    }


def pagerank(digraph: nx.DiGraph) -> dict[str, float]:
    """PageRank over the directed ties, weighted by their sources: how much the network points at an actor.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> ranks = pagerank(g)
    >>> max(ranks, key=ranks.get)
    'c'
    """
    return weighted_pagerank(list(digraph), {(u, v): w for u, v, w in digraph.edges(data="weight", default=1)})


def weighted_pagerank(nodes: list[str], weights: dict[tuple[str, str], float]) -> dict[str, float]:
    """:func:`pagerank` of the ``nodes`` and the weighted directed ties between them (in order).

    The power iteration of networkx.pagerank (damping 0.85), step for step, without a graph to build.

    >>> weighted_pagerank(["a", "b"], {("a", "b"): 1.0})
    {'a': 0.350877..., 'b': 0.649122...}
    """
    count = len(nodes)
    if not count:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    rows = [index[u] for u, _ in weights]
    columns = [index[v] for _, v in weights]
    matrix = coo_array((list(weights.values()), (rows, columns)), shape=(count, count), dtype=float).asformat("csr")
    out = matrix.sum(axis=1)
    out[out != 0] = 1.0 / out[out != 0]
    matrix = dia_array((out.T, 0), shape=matrix.shape).tocsr() @ matrix
    x = np.repeat(1.0 / count, count)
    p = np.repeat(1.0 / count, count)
    dangling = np.where(out == 0)[0]
    for _ in range(PAGERANK_ITERATIONS):
        last = x
        x = PAGERANK_DAMPING * (x @ matrix + sum(x[dangling]) * p) + (1 - PAGERANK_DAMPING) * p
        if np.absolute(x - last).sum() < count * PAGERANK_TOLERANCE:
            return dict(sorted(zip(nodes, map(float, x), strict=True)))
    raise nx.PowerIterationFailedConvergence(PAGERANK_ITERATIONS)


def betweenness(graph: nx.Graph, *, exact_max: int = EXACT_BETWEENNESS_MAX_ACTORS) -> tuple[dict[str, float], str]:
    """How often an actor lies on the shortest paths between two others (ties unweighted), and the method used.

    Exact (Brandes, vectorised: see brandes.py) up to ``exact_max`` actors; beyond, estimated
    from a seeded sample of actors, as many as :data:`BETWEENNESS_WORK` allows (between 10 and
    100). Normalised as networkx.betweenness_centrality, whose sample it also draws.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> betweenness(g)
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, 'exact')
    """
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    if n <= exact_max:
        sources, method = list(range(n)), "exact"
    else:
        low, high = BETWEENNESS_SAMPLES
        k = max(low, min(high, BETWEENNESS_WORK // max(1, len(edges)), n))
        sources = [index[node] for node in random.Random(SEED).sample(nodes, k)]
        method = f"sampled from {k} actors (seed {SEED})"
    values = brandes.dependencies(n, edges, sources)
    if n > 2:  # networkx's normalisation: by the pairs of other actors, and the sample's share of them
        k = len(sources)
        scale = np.full(n, 1 / (k * (n - 2)))
        scale[sources] = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
        values = values * scale
    return dict(sorted(zip(nodes, values.tolist(), strict=True))), method


def communities(graph: nx.Graph, *, louvain_max: int = LOUVAIN_MAX_ACTORS) -> tuple[list[tuple[str, ...]], str]:
    """Groups of actors more densely tied to each other than to the rest, whatever the sign, and the method used.

    Louvain (seeded) weighted by sources up to ``louvain_max`` actors; beyond, label propagation
    (networkx's semi-synchronous one, unweighted, vectorised: see propagation.py).

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(g)
    ([('a', 'b', 'c'), ('x', 'y', 'z')], 'Louvain')
    """
    if graph.number_of_nodes() <= louvain_max:
        found, method = nx.community.louvain_communities(graph, weight="weight", seed=SEED), "Louvain"
    else:
        found, method = label_propagation(graph), "label propagation"
    groups = [tuple(sorted(group)) for group in found]
    return sorted(groups, key=lambda group: (-len(group), group[0])), method


def corroborated(corpus: Corpus) -> list[str]:
    """The asserted claims whose relation between the same two actors another source asserts too.

    A symmetric relation is the same whichever way its claims run.

    >>> from graph.model import Claim, Relation
    >>> corpus = Corpus((Relation("at-war-with", "at war with", "", -1, symmetric=True),), (), (),
    ...                 (Claim("a-1", "russia", "at-war-with", "ukraine", source="a"),
    ...                  Claim("b-1", "ukraine", "at-war-with", "russia", source="b"),
    ...                  Claim("b-2", "russia", "at-war-with", "ukraine", source="b", certainty="alleged")))
    >>> corroborated(corpus)
    ['a-1', 'b-1']
    """
    relations = corpus.relations_by_id
    asserted: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in corpus.claims:
        if claim.certainty == "asserted":
            asserted[_statement(claim, relations[claim.relation])].append(claim)
    return sorted(claim.id for claims in asserted.values() if len({c.source for c in claims}) > 1 for claim in claims)


def contested(corpus: Corpus) -> list[Contest]:
    """Ties the evidence disagrees about: mixed signs, affirmed and denied, or a person against their own side.

    >>> from graph.model import Claim, Relation
    >>> corpus = Corpus((Relation("arms", "arms", "", 1),), (), (),
    ...                 (Claim("a-1", "ukraine", "arms", "hamas", certainty="alleged", said_by="x"),
    ...                  Claim("b-1", "ukraine", "arms", "hamas", certainty="denied")))
    >>> [(c.kind, c.actors, c.affirming, c.opposing, c.relation) for c in contested(corpus)]
    [('affirmed and denied', ('ukraine', 'hamas'), ('a-1',), ('b-1',), 'arms')]
    """
    relations = corpus.relations_by_id
    found = []
    cooperative: dict[tuple[str, str], list[str]] = defaultdict(list)
    hostile: dict[tuple[str, str], list[str]] = defaultdict(list)
    affirmed: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    denied: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for claim in corpus.claims:
        relation = relations[claim.relation]
        pair = _pair(claim.subject, claim.object)
        key = _statement(claim, relation)
        if claim.certainty == "denied":
            denied[key].append(claim.id)
            continue
        affirmed[key].append(claim.id)
        if relation.sign > 0:
            cooperative[pair].append(claim.id)
        elif relation.sign < 0:
            hostile[pair].append(claim.id)
    for pair in sorted(cooperative.keys() & hostile.keys()):
        found.append(Contest("mixed signs", pair, tuple(sorted(cooperative[pair])), tuple(sorted(hostile[pair]))))
    for subject, obj, relation in sorted(affirmed.keys() & denied.keys()):
        key = (subject, obj, relation)
        found.append(
            Contest(
                "affirmed and denied",
                (subject, obj),  # as the relation runs (a symmetric one's pair is in order)
                tuple(sorted(affirmed[key])),
                tuple(sorted(denied[key])),
                relation,
            )
        )
    representatives = sorted((actor for actor in corpus.actors if actor.represents), key=lambda actor: actor.id)
    if not representatives:
        return found
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in cooperative.keys() | hostile.keys():
        partners[a].add(b)
        partners[b].add(a)
    signs = {1: cooperative, -1: hostile}
    for actor in representatives:
        for other in sorted(partners.get(actor.id, set()) - {actor.represents}):
            own, theirs = _pair(actor.represents, other), _pair(actor.id, other)
            for sign in (1, -1):
                if (
                    own in signs[sign]
                    and theirs in signs[-sign]
                    and own not in signs[-sign]
                    and theirs not in signs[sign]
                ):
                    found.append(
                        Contest(
                            "representative",
                            (actor.represents, other),
                            tuple(sorted(signs[sign][own])),
                            tuple(sorted(signs[-sign][theirs])),
                            actor.id,
                        )
                    )
    return found


def ranked(values: dict[str, float]) -> list[str]:
    """Actors from the highest value down, ties by id.

    >>> ranked({"b": 0.5, "a": 0.5, "c": 0.9})
    ['c', 'a', 'b']
    """
    return sorted(values, key=lambda actor: (-values[actor], actor))


def _most_first(counts: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts, key=lambda item: (-item[1], item[0])))


def _statement(claim: Claim, relation: Relation) -> tuple[str, str, str]:
    """(subject, object, relation) of a claim; a symmetric relation's two actors in order."""
    ends = _pair(claim.subject, claim.object) if relation.symmetric else (claim.subject, claim.object)
    return (*ends, claim.relation)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
