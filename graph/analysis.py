"""The whole analysis of a corpus in one object, and its measures as RDF for the graph:analysis named graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from . import balance, measures
from .balance import Camps, Triangle
from .measures import Contest, Degree
from .model import Claim, Corpus
from .ntriples import literal, nquads
from .projection import (
    Tie,
    actor_digraph,
    balance_graph,
    corpus_as_of,
    firmest,
    signed_graph,
    tie_of,
    without_alleged,
)
from .vocab import ACTOR, AG, ANALYSIS_GRAPH, CLAIM

TIMELINE_DATES = 12
"""The timeline covers at most this many of the latest source dates."""

DECIMALS = 6
"""Measures are rounded to this many decimals in every export, so that they are the same on every machine."""


@dataclass(frozen=True)
class Frustration:
    """A tie the camps leave frustrated, and the actors that close an unbalanced triangle with it (why)."""

    actors: tuple[str, str]
    tie: Tie
    via: tuple[str, ...]


@dataclass(frozen=True)
class Moment:
    """The balance of the claims dated up to one day."""

    date: dt.date
    sources: tuple[str, ...]
    """The sources of that day."""
    claims: int
    actors: int
    """Actors with a cooperative or hostile tie."""
    camps: int
    frustrated: tuple[tuple[str, str], ...]
    balanced: int
    unbalanced: int


@dataclass(frozen=True, eq=False)
class Analysis:
    """Every measure of one corpus (the claims dated up to ``as_of``, when given)."""

    corpus: Corpus
    as_of: dt.date | None
    ties: nx.Graph = field(repr=False)
    """One undirected tie per pair of actors (see projection.signed_graph)."""
    directed: nx.DiGraph = field(repr=False)
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
    """The camps without the alleged claims."""
    contested: list[Contest]
    timeline: list[Moment]

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
        """The claim that best shows a tie (see projection.firmest)."""
        return firmest((self.claims_by_id[i] for i in ids), self.corpus.relations_by_id, sign)

    def tie(self, u: str, v: str) -> Tie:
        return tie_of(self.ties, u, v)


def analyse(corpus: Corpus, *, as_of: dt.date | None = None, timeline: bool = True) -> Analysis:
    """Analyse the claims (those dated up to ``as_of``, when given): every measure, pure and deterministic."""
    if as_of is not None:
        corpus = corpus_as_of(corpus, as_of)
    ties = signed_graph(corpus)
    directed = actor_digraph(corpus)
    signed_only = balance_graph(ties)
    found = balance.camps(ties)
    frustrated = [
        Frustration((u, v), tie_of(ties, u, v), tuple(balance.unbalanced_through(signed_only, u, v)))
        for u, v in found.frustrated
    ]
    between, between_method = measures.betweenness(ties)
    groups, groups_method = measures.communities(ties)
    all_triangles = balance.triangles(ties)
    return Analysis(
        corpus=corpus,
        as_of=as_of,
        ties=ties,
        directed=directed,
        degrees=measures.degrees(corpus),
        pagerank={actor: float(rounded(value)) for actor, value in measures.pagerank(directed).items()},
        betweenness={actor: float(rounded(value)) for actor, value in between.items()},
        betweenness_method=between_method,
        communities=groups,
        communities_method=groups_method,
        triangles=all_triangles,
        camps=found,
        frustrated=frustrated,
        established=balance.camps(signed_graph(without_alleged(corpus))),
        contested=measures.contested(corpus),
        timeline=_timeline(corpus, found, all_triangles) if timeline else [],
    )


def _timeline(corpus: Corpus, final: Camps, final_triangles: list[Triangle]) -> list[Moment]:
    days = sorted({source.date for source in corpus.sources})[-TIMELINE_DATES:]
    moments = []
    for day in days:
        then = corpus_as_of(corpus, day)
        if len(then.claims) == len(corpus.claims):
            found, found_triangles = final, final_triangles
        else:
            ties = signed_graph(then)
            found, found_triangles = balance.camps(ties), balance.triangles(ties)
        moments.append(
            Moment(
                date=day,
                sources=tuple(sorted(source.id for source in corpus.sources if source.date == day)),
                claims=len(then.claims),
                actors=sum(len(camp) for camp in found.camps),
                camps=len(found.camps),
                frustrated=found.frustrated,
                balanced=sum(t.balanced for t in found_triangles),
                unbalanced=sum(not t.balanced for t in found_triangles),
            )
        )
    return moments


def rounded(value: float) -> Decimal:
    """A measure as a decimal with :data:`DECIMALS` places, the same on every machine.

    >>> rounded(0.1234567891)
    Decimal('0.123457')
    """
    return Decimal(f"{value:.{DECIMALS}f}")


def analysis_nquads(analysis: Analysis) -> str:
    """The ``graph:analysis`` named graph as N-Quads."""
    triples = analysis_triples(analysis)
    triples = ((f"<{s}>", f"<{p}>", literal(str(o), datatype=str(o.datatype))) for s, p, o in triples)
    return nquads(triples, f"<{ANALYSIS_GRAPH}>")


def analysis_triples(analysis: Analysis) -> Iterator[tuple[URIRef, URIRef, Literal]]:
    """The measures as RDF, for the ``graph:analysis`` named graph: per actor, per frustrated claim."""
    for actor in sorted(analysis.pagerank):
        iri = ACTOR[actor]
        yield iri, AG.pageRank, Literal(rounded(analysis.pagerank[actor]), datatype=XSD.decimal)
        if actor in analysis.betweenness:
            yield iri, AG.betweenness, Literal(rounded(analysis.betweenness[actor]), datatype=XSD.decimal)
        if actor in analysis.camp_of:
            yield iri, AG.camp, Literal(analysis.camp_of[actor], datatype=XSD.integer)
        if actor in analysis.community_of:
            yield iri, AG.community, Literal(analysis.community_of[actor], datatype=XSD.integer)
    relations = analysis.corpus.relations_by_id
    for frustration in analysis.frustrated:
        for claim_id in frustration.tie.claims:
            if relations[analysis.claims_by_id[claim_id].relation].sign == frustration.tie.sign:
                yield CLAIM[claim_id], AG.frustrated, Literal(True)
