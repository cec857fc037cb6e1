"""The whole analysis of a corpus in one object, and its measures as RDF for the graph:analysis named graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import networkx as nx
from rdflib.namespace import RDF

from . import balance, measures
from .balance import Camps, Signed, Triangle
from .gcpause import collector_paused
from .measures import Contest, Degree
from .model import Claim, Corpus
from .named_graphs import NamedGraph, named_graph
from .ntriples import NTriple, boolean, decimal, integer, iri, literal, ntriples
from .projection import (
    Tie,
    actor_digraph,
    claims_by_pair,
    corpus_as_of,
    directed_weights,
    firmest,
    signed_graph,
    tie,
    tie_of,
)
from .timeline import TIMELINE_DATES, Moment, timeline
from .vocab import ACTOR, AG, ANALYSIS_GRAPH, CLAIM, CONTEST, REL

__all__ = [
    "DECIMALS",
    "TIMELINE_DATES",
    "Analysis",
    "Frustration",
    "Moment",
    "analyse",
    "analysis_graph",
    "analysis_triples",
    "rounded",
]

DECIMALS = 6
"""Measures are rounded to this many decimals in every export, so that they are the same on every machine."""


@dataclass(frozen=True)
class Frustration:
    """A tie the camps leave frustrated, and the actors that close an unbalanced triangle with it (why)."""

    actors: tuple[str, str]
    tie: Tie
    via: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Analysis:
    """Every measure of one corpus (the claims dated up to ``as_of``, when given)."""

    corpus: Corpus
    as_of: dt.date | None
    ties: nx.Graph = field(repr=False)
    """One undirected tie per pair of actors (see projection.signed_graph)."""
    signed: Signed = field(repr=False)
    """The cooperative and hostile ties, with their sign and margin (see balance.signed_ties)."""
    degrees: dict[str, Degree]
    pagerank: dict[str, float]
    """PageRank of every actor with a tie, rounded to :data:`DECIMALS` places like every measure."""
    betweenness: dict[str, float]
    betweenness_method: str
    communities: list[tuple[str, ...]]
    communities_method: str
    triangles: list[Triangle]
    camps: Camps
    frustrated: list[Frustration]
    established: Camps
    """The camps without the alleged claims (blocks too large to split exactly start from ``camps``:
    see balance.split)."""
    contested: list[Contest]
    timeline: list[Moment]

    @cached_property
    def directed(self) -> nx.DiGraph:
        """One directed tie per subject → object (see projection.actor_digraph), built when first asked for."""
        return actor_digraph(self.corpus)

    @cached_property
    def unbalanced(self) -> list[Triangle]:
        """The unbalanced triangles, in order."""
        return [triangle for triangle in self.triangles if not triangle.balanced]

    @cached_property
    def corroborated(self) -> list[str]:
        """The asserted claims another source corroborates (see measures.corroborated)."""
        return measures.corroborated(self.corpus)

    @cached_property
    def claims_by_id(self) -> dict[str, Claim]:
        return {claim.id: claim for claim in self.corpus.claims}

    @cached_property
    def community_of(self) -> dict[str, int]:
        return {actor: number for number, group in enumerate(self.communities, 1) for actor in group}

    @cached_property
    def camp_of(self) -> dict[str, int]:
        return {actor: number for number, group in enumerate(self.camps.camps, 1) for actor in group}

    def label(self, actor: str) -> str:
        known = self.corpus.actors_by_id.get(actor)
        return known.label if known else actor

    def statement(self, claim: Claim) -> str:
        """The claim as a sentence: "Russia cooperates with Israel"."""
        relation = self.corpus.relations_by_id[claim.relation]
        return f"{self.label(claim.subject)} {relation.label} {self.label(claim.object)}"

    def strongest(self, ids: Iterable[str], sign: int | None = None) -> Claim:
        """The claim that best shows a tie (see projection.firmest); remembered, as hubs' ties come up often."""
        key = (tuple(ids), sign)
        if key not in self._strongest:
            self._strongest[key] = firmest((self.claims_by_id[i] for i in key[0]), self.corpus.relations_by_id, sign)
        return self._strongest[key]

    @cached_property
    def _strongest(self) -> dict[tuple[tuple[str, ...], int | None], Claim]:
        return {}

    def tie(self, u: str, v: str) -> Tie:
        return tie_of(self.ties, u, v)


def analyse(corpus: Corpus, *, as_of: dt.date | None = None, timeline: bool = True) -> Analysis:
    """Analyse the claims (those dated up to ``as_of``, when given): every measure, pure and deterministic.

    Exact on small corpora; past the sizes in measures.py and balance.py, betweenness is
    sampled, communities come from label propagation, the camps from a heuristic, and the
    timeline's camps are carried from day to day (see timeline.py). Every approximation is
    named in the Analysis (``betweenness_method``, ``communities_method``, ``camps.method``).
    """
    if as_of is not None:
        corpus = corpus_as_of(corpus, as_of)
    with collector_paused():
        return _analyse(corpus, as_of, timeline)


def _analyse(corpus: Corpus, as_of: dt.date | None, with_timeline: bool) -> Analysis:
    pairs = claims_by_pair(corpus)
    ties = signed_graph(corpus, pairs=pairs)
    signed = balance.signed_ties(ties)
    found = balance.split(signed)
    reasons = balance.unbalanced_through_each(signed, list(found.frustrated))
    frustrated = [
        Frustration(pair, tie_of(ties, *pair), tuple(via)) for pair, via in zip(found.frustrated, reasons, strict=True)
    ]
    between, between_method = measures.betweenness(ties)
    groups, groups_method = measures.communities(ties)
    all_triangles = balance.triangles(ties)
    balanced = sum(a * b * c > 0 for _, (a, b, c) in all_triangles)
    weights = directed_weights(corpus)
    nodes = sorted({actor for pair in weights for actor in pair})
    return Analysis(
        corpus=corpus,
        as_of=as_of,
        ties=ties,
        signed=signed,
        degrees=measures.degrees(corpus),
        pagerank={actor: float(rounded(value)) for actor, value in measures.weighted_pagerank(nodes, weights).items()},
        betweenness={actor: float(rounded(value)) for actor, value in between.items()},
        betweenness_method=between_method,
        communities=groups,
        communities_method=groups_method,
        triangles=all_triangles,
        camps=found,
        frustrated=frustrated,
        established=balance.split(_without_alleged(corpus, pairs, signed), start=found),
        contested=measures.contested(corpus),
        timeline=timeline(corpus, ties, signed, found, (balanced, len(all_triangles) - balanced))
        if with_timeline
        else [],
    )


def _without_alleged(corpus: Corpus, pairs: dict[tuple[str, str], list[Claim]], signed: Signed) -> Signed:
    """The signed ties without the alleged claims: only the ties with an alleged claim are weighed again."""
    established = dict(signed)
    relations = corpus.relations_by_id
    for pair in {_pair(c.subject, c.object) for c in corpus.claims if c.certainty == "alleged"}:
        weighed = tie([claim for claim in pairs[pair] if claim.certainty != "alleged"], relations)
        if weighed.sign:
            established[pair] = (weighed.sign, weighed.margin)
        else:
            established.pop(pair, None)
    return established


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def rounded(value: float) -> Decimal:
    """A measure as a decimal of at most :data:`DECIMALS` places, the same on every machine.

    Written without trailing zeros (xsd:decimal's canonical form), as a triple store gives it back.

    >>> rounded(0.1234567891), rounded(0.5), rounded(0.0000001)
    (Decimal('0.123457'), Decimal('0.5'), Decimal('0'))
    """
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return Decimal("0" if text in ("", "-0") else text)


@collector_paused()
def analysis_graph(analysis: Analysis) -> NamedGraph:
    """The ``graph:analysis`` named graph: the measures."""
    return named_graph(ANALYSIS_GRAPH, ntriples(analysis_triples(analysis)))


def analysis_triples(analysis: Analysis) -> Iterator[NTriple]:
    """The measures as N-Triples terms, for the ``graph:analysis`` named graph: per actor, per
    frustrated or corroborated claim, per contested tie."""
    page_rank, betweenness, camp, community, frustrated, corroborated = (
        iri(str(term)) for term in (AG.pageRank, AG.betweenness, AG.camp, AG.community, AG.frustrated, AG.corroborated)
    )
    for actor in sorted(analysis.pagerank):
        subject = f"<{ACTOR}{actor}>"
        yield subject, page_rank, decimal(rounded(analysis.pagerank[actor]))
        if actor in analysis.betweenness:
            yield subject, betweenness, decimal(rounded(analysis.betweenness[actor]))
        if actor in analysis.camp_of:
            yield subject, camp, integer(analysis.camp_of[actor])
        if actor in analysis.community_of:
            yield subject, community, integer(analysis.community_of[actor])
    relations = analysis.corpus.relations_by_id
    for frustration in analysis.frustrated:
        for claim_id in frustration.tie.claims:
            if relations[analysis.claims_by_id[claim_id].relation].sign == frustration.tie.sign:
                yield f"<{CLAIM}{claim_id}>", frustrated, boolean(True)
    for claim_id in analysis.corroborated:
        yield f"<{CLAIM}{claim_id}>", corroborated, boolean(True)
    yield from contest_triples(analysis.contested)


def contest_triples(contests: Iterable[Contest]) -> Iterator[NTriple]:
    """Each contested tie as an ag:Contest numbered from 1: its kind, its two actors, what is
    contested and how many claims stand on each side (the claims themselves: claims-between).

    >>> contest = Contest("affirmed and denied", ("hamas", "ukraine"), ("a-1",), ("b-1", "b-2"), "arms")
    >>> for _, predicate, value in contest_triples([contest]):
    ...     print(predicate.rsplit("#")[-1][:-1], value)
    type <https://w3id.org/actorgraph/ns#Contest>
    contestKind "affirmed and denied"
    firstActor <https://w3id.org/actorgraph/actor/hamas>
    secondActor <https://w3id.org/actorgraph/actor/ukraine>
    contestedRelation <https://w3id.org/actorgraph/rel/arms>
    affirmingClaims "1"^^<http://www.w3.org/2001/XMLSchema#integer>
    opposingClaims "2"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    a, kind, first, second, affirming, opposing = (
        iri(str(term))
        for term in (RDF.type, AG.contestKind, AG.firstActor, AG.secondActor, AG.affirmingClaims, AG.opposingClaims)
    )
    contest_class = iri(str(AG.Contest))
    named = {  # what is contested, by kind: the relation, or the person against their own side
        "affirmed and denied": (iri(str(AG.contestedRelation)), REL),
        "representative": (iri(str(AG.representative)), ACTOR),
    }
    for number, contest in enumerate(contests, 1):
        subject = f"<{CONTEST}{number}>"
        yield subject, a, contest_class
        yield subject, kind, literal(contest.kind)
        yield subject, first, f"<{ACTOR}{contest.actors[0]}>"
        yield subject, second, f"<{ACTOR}{contest.actors[1]}>"
        if contest.kind in named:
            predicate, namespace = named[contest.kind]
            yield subject, predicate, f"<{namespace}{contest.relation}>"
        yield subject, affirming, integer(len(contest.affirming))
        yield subject, opposing, integer(len(contest.opposing))
