"""Who matters and how: degree by relation, PageRank, betweenness, communities and contested ties."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .model import Corpus

SEED = 4
"""Seed of every sampled or randomised algorithm, so that every run gives the same answer."""

EXACT_BETWEENNESS_MAX_ACTORS = 1_000
"""Betweenness is exact up to this many actors; beyond, it is estimated from sampled actors."""

BETWEENNESS_WORK = 3_000_000
"""Sampled betweenness visits about this many ties: the number of sampled actors is work / ties."""

BETWEENNESS_SAMPLES = (10, 100)
"""The fewest and the most actors sampled for betweenness."""

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
    out: dict[str, Counter[str]] = {}
    into: dict[str, Counter[str]] = {}
    partners: dict[str, set[str]] = {}
    for claim in corpus.claims:
        if claim.certainty == "denied":
            continue
        out.setdefault(claim.subject, Counter())[claim.relation] += 1
        into.setdefault(claim.object, Counter())[claim.relation] += 1
        partners.setdefault(claim.subject, set()).add(claim.object)
        partners.setdefault(claim.object, set()).add(claim.subject)
    return {
        actor: Degree(
            len(partners[actor]),
            _most_first(out.get(actor, Counter())),
            _most_first(into.get(actor, Counter())),
        )
        for actor in sorted(partners)
    }


def pagerank(digraph: nx.DiGraph) -> dict[str, float]:
    """PageRank over the directed ties, weighted by their sources: how much the network points at an actor.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> ranks = pagerank(g)
    >>> max(ranks, key=ranks.get)
    'c'
    """
    if not digraph:
        return {}
    return dict(sorted(nx.pagerank(digraph, weight="weight").items()))


def betweenness(graph: nx.Graph, *, exact_max: int = EXACT_BETWEENNESS_MAX_ACTORS) -> tuple[dict[str, float], str]:
    """How often an actor lies on the shortest paths between two others (ties unweighted), and the method used.

    Exact (Brandes) up to ``exact_max`` actors; beyond, estimated from a seeded sample of
    actors, as many as :data:`BETWEENNESS_WORK` allows (between 10 and 100).

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> betweenness(g)
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, 'exact')
    """
    if graph.number_of_nodes() <= exact_max:
        return dict(sorted(nx.betweenness_centrality(graph).items())), "exact"
    low, high = BETWEENNESS_SAMPLES
    k = max(low, min(high, BETWEENNESS_WORK // max(1, graph.number_of_edges()), graph.number_of_nodes()))
    values = nx.betweenness_centrality(graph, k=k, seed=SEED)
    return dict(sorted(values.items())), f"sampled from {k} actors (seed {SEED})"


def communities(graph: nx.Graph, *, louvain_max: int = LOUVAIN_MAX_ACTORS) -> tuple[list[tuple[str, ...]], str]:
    """Groups of actors more densely tied to each other than to the rest, whatever the sign, and the method used.

    Louvain (seeded) weighted by sources up to ``louvain_max`` actors; beyond, label propagation.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(g)
    ([('a', 'b', 'c'), ('x', 'y', 'z')], 'Louvain')
    """
    if graph.number_of_nodes() <= louvain_max:
        found, method = nx.community.louvain_communities(graph, weight="weight", seed=SEED), "Louvain"
    else:
        found, method = nx.community.label_propagation_communities(graph), "label propagation"
    groups = [tuple(sorted(group)) for group in found]
    return sorted(groups, key=lambda group: (-len(group), group[0])), method


def contested(corpus: Corpus) -> list[Contest]:
    """Ties the evidence disagrees about: mixed signs, affirmed and denied, or a person against their own side.

    >>> from graph.model import Claim, Relation
    >>> corpus = Corpus((Relation("arms", "arms", "", 1),), (), (),
    ...                 (Claim("a-1", "ukraine", "arms", "hamas", certainty="alleged", said_by="x"),
    ...                  Claim("b-1", "ukraine", "arms", "hamas", certainty="denied")))
    >>> [(c.kind, c.actors, c.affirming, c.opposing, c.relation) for c in contested(corpus)]
    [('affirmed and denied', ('hamas', 'ukraine'), ('a-1',), ('b-1',), 'arms')]
    """
    relations = corpus.relations_by_id
    found = []
    signs: dict[tuple[str, str], dict[int, list[str]]] = {}
    stated: dict[tuple[str, str, str], dict[bool, list[str]]] = {}
    for claim in corpus.claims:
        relation = relations[claim.relation]
        pair = _pair(claim.subject, claim.object)
        key = (*pair, claim.relation) if relation.symmetric else (claim.subject, claim.object, claim.relation)
        stated.setdefault(key, {True: [], False: []})[claim.certainty == "denied"].append(claim.id)
        if claim.certainty != "denied" and relation.sign:
            signs.setdefault(pair, {1: [], -1: []})[relation.sign].append(claim.id)
    for pair, by_sign in sorted(signs.items()):
        if by_sign[1] and by_sign[-1]:
            found.append(Contest("mixed signs", pair, tuple(sorted(by_sign[1])), tuple(sorted(by_sign[-1]))))
    for (subject, obj, relation), by_denial in sorted(stated.items()):
        if by_denial[False] and by_denial[True]:
            found.append(
                Contest(
                    "affirmed and denied",
                    _pair(subject, obj),
                    tuple(sorted(by_denial[False])),
                    tuple(sorted(by_denial[True])),
                    relation,
                )
            )
    partners: dict[str, set[str]] = {}
    for a, b in signs:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    for actor in sorted(corpus.actors, key=lambda actor: actor.id):
        if not actor.represents:
            continue
        for other in sorted(partners.get(actor.id, set()) - {actor.represents}):
            own = signs.get(_pair(actor.represents, other), {1: [], -1: []})
            theirs = signs[_pair(actor.id, other)]
            for sign in (1, -1):
                if own[sign] and theirs[-sign] and not own[-sign] and not theirs[sign]:
                    found.append(
                        Contest(
                            "representative",
                            (actor.represents, other),
                            tuple(sorted(own[sign])),
                            tuple(sorted(theirs[-sign])),
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


def _most_first(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
