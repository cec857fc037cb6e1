"""Project the claims onto actor graphs for NetworkX: one edge per claim, or one signed tie per pair."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .model import UNNAMED_SPEAKER, Actor, Claim, Corpus, Relation, Source
from .vocab import ACTOR, ACTOR_CLASSES, AG, CLAIM, REL, SOURCE

CERTAINTY_WEIGHT = {"asserted": 1.0, "reported": 1.0, "alleged": 0.5}
"""What one source's claim counts for. Denied claims count for nothing: they are left out."""

CERTAINTY_RANK = {"asserted": 0, "reported": 1, "alleged": 2, "denied": 3}
"""The order in which claims are shown: the firmest first."""


@dataclass(frozen=True)
class Tie:
    """What the claims between two actors add up to, with the ids of every claim behind it.

    ``cooperative`` and ``hostile`` count the independent sources (articles) with a claim of
    that sign; a source whose only such claims are alleged counts for half. ``sign`` is the
    side with more evidence (0 for neutral links and for evenly split evidence), ``margin``
    by how much, and ``weight`` all the sources behind the tie, whatever their sign.
    """

    sign: int
    weight: float
    margin: float
    cooperative: float
    hostile: float
    claims: tuple[str, ...]
    alleged: tuple[str, ...] = ()

    @property
    def contested(self) -> bool:
        """Whether some sources call the tie cooperative and others hostile."""
        return self.cooperative > 0 and self.hostile > 0

    @property
    def alleged_only(self) -> bool:
        """Whether every claim behind the tie's sign is alleged."""
        return bool(self.claims) and len(self.alleged) == len(self.claims)

    def attributes(self) -> dict[str, object]:
        """The tie as NetworkX edge attributes."""
        return {
            "sign": self.sign,
            "weight": self.weight,
            "margin": self.margin,
            "cooperative": self.cooperative,
            "hostile": self.hostile,
            "claims": list(self.claims),
            "alleged": list(self.alleged),
        }


def tie(claims: Iterable[Claim], relations: dict[str, Relation]) -> Tie:
    """Weigh the claims between two actors: sign, independent sources, and the claims behind it.

    >>> relations = {"supports": Relation("supports", "supports", "", 1),
    ...              "attacks": Relation("attacks", "attacks", "", -1)}
    >>> tie([Claim("a-1", "x", "supports", "y", source="a"), Claim("a-2", "x", "supports", "y", source="a"),
    ...      Claim("b-1", "y", "supports", "x", source="b", certainty="alleged", said_by="z"),
    ...      Claim("b-2", "x", "attacks", "y", source="b", certainty="denied")], relations)
    Tie(sign=1, weight=1.5, margin=1.5, cooperative=1.5, hostile=0.0, claims=('a-1', 'a-2', 'b-1'), alleged=('b-1',))
    """
    return Tie(**_weigh(list(claims), {relation.id: relation.sign for relation in relations.values()}, tuple))


def _weigh(claims: Sequence[Claim], signs: dict[str, int], sequence: type = list) -> dict[str, Any]:
    """:func:`tie`'s fields (claim ids as ``sequence``), for the claims' relations' ``signs``."""
    if len(claims) == 1 and claims[0].certainty != "denied":  # most ties: the same sums, sooner
        claim = claims[0]
        sign, weight = signs[claim.relation], CERTAINTY_WEIGHT[claim.certainty]
        return {
            "sign": sign,
            "weight": weight,
            "margin": weight if sign else 0.0,
            "cooperative": weight if sign > 0 else 0.0,
            "hostile": weight if sign < 0 else 0.0,
            "claims": sequence([claim.id]),
            "alleged": sequence([claim.id] if claim.certainty == "alleged" else []),
        }
    best: dict[tuple[int, str], float] = {}
    ids, alleged = [], []
    for claim in claims:
        certainty = claim.certainty
        if certainty == "denied":
            continue
        ids.append(claim.id)
        if certainty == "alleged":
            alleged.append(claim.id)
        key = (signs[claim.relation], claim.source)
        weight = CERTAINTY_WEIGHT[certainty]
        if best.get(key, 0.0) < weight:
            best[key] = weight
    cooperative = hostile = 0.0
    by_source: dict[str, float] = {}
    for (sign, source), weight in best.items():
        if sign > 0:
            cooperative += weight
        elif sign < 0:
            hostile += weight
        if by_source.get(source, 0.0) < weight:
            by_source[source] = weight
    net = cooperative - hostile
    ids.sort()
    alleged.sort()
    return {
        "sign": (net > 0) - (net < 0),
        "weight": sum(by_source.values(), 0.0),
        "margin": abs(net),
        "cooperative": cooperative,
        "hostile": hostile,
        "claims": sequence(ids),
        "alleged": sequence(alleged),
    }


def firmest(claims: Iterable[Claim], relations: dict[str, Relation], sign: int | None = None) -> Claim:
    """The claim that best shows a tie (of one sign, if given): of its best-corroborated relation, the firmest.

    The relation with the most sources wins, then the one with the firmest claim, then the one
    with the most claims; among its claims, asserted before reported before alleged, then by id.

    >>> relations = {"criticises": Relation("criticises", "criticises", "", -1),
    ...              "at-war-with": Relation("at-war-with", "at war with", "", -1)}
    >>> firmest([Claim("a-1", "x", "criticises", "y", source="a"), Claim("a-2", "x", "at-war-with", "y", source="a"),
    ...          Claim("b-1", "x", "at-war-with", "y", source="b", certainty="reported", said_by="z")], relations).id
    'a-2'
    """
    claims = list(claims)
    matching = [c for c in claims if sign is None or relations[c.relation].sign == sign] or claims
    support: dict[str, tuple[set[str], list[Claim]]] = {}
    for claim in matching:
        sources, members = support.setdefault(claim.relation, (set(), []))
        sources.add(claim.source)
        members.append(claim)

    def strength(item: tuple[str, tuple[set[str], list[Claim]]]) -> tuple[int, int, int, str]:
        relation, (sources, members) = item
        return (-len(sources), min(CERTAINTY_RANK[c.certainty] for c in members), -len(members), relation)

    _, (_, best) = min(support.items(), key=strength)
    return min(best, key=lambda claim: (CERTAINTY_RANK[claim.certainty], claim.id))


def corpus_as_of(corpus: Corpus, day: dt.date) -> Corpus:
    """The corpus as it stood on ``day``: only the sources dated then or before, and their claims.

    >>> from graph.model import Source
    >>> corpus = Corpus((), (), (Source("a", "A", dt.date(2023, 10, 1)), Source("b", "B", dt.date(2024, 1, 1))),
    ...                 (Claim("a-1", "x", "supports", "y", source="a"), Claim("b-1", "x", "attacks", "y", source="b")))
    >>> [claim.id for claim in corpus_as_of(corpus, dt.date(2023, 12, 31)).claims]
    ['a-1']
    """
    sources = tuple(source for source in corpus.sources if source.date <= day)
    kept = {source.id for source in sources}
    return Corpus(corpus.relations, corpus.actors, sources, tuple(c for c in corpus.claims if c.source in kept))


def without_alleged(corpus: Corpus) -> Corpus:
    """The corpus without its alleged claims: the established view."""
    claims = tuple(claim for claim in corpus.claims if claim.certainty != "alleged")
    return Corpus(corpus.relations, corpus.actors, corpus.sources, claims)


def claim_multigraph(corpus: Corpus) -> nx.MultiDiGraph:
    """Every actor, and one edge per claim (denied ones too, marked), keyed by the claim's id.

    >>> corpus = Corpus((Relation("supports", "supports", "", 1),), (), (),
    ...                 (Claim("c1", "iran", "supports", "hamas", source="a"),))
    >>> graph = claim_multigraph(corpus)
    >>> graph.edges["iran", "hamas", "c1"]["sign"], graph.edges["iran", "hamas", "c1"]["certainty"]
    (1, 'asserted')
    """
    relations, sources = corpus.relations_by_id, corpus.sources_by_id
    graph = nx.MultiDiGraph()
    for actor in sorted(corpus.actors, key=lambda actor: actor.id):
        graph.add_node(actor.id, label=actor.label, type=actor.type)
    for claim in sorted(corpus.claims, key=lambda claim: claim.id):
        source = sources.get(claim.source)
        graph.add_edge(
            claim.subject,
            claim.object,
            key=claim.id,
            relation=claim.relation,
            sign=relations[claim.relation].sign,
            symmetric=relations[claim.relation].symmetric,
            certainty=claim.certainty,
            said_by=claim.said_by or "",
            source=claim.source,
            date=source.date.isoformat() if source else "",
        )
    return graph


def claims_by_pair(corpus: Corpus) -> dict[tuple[str, str], list[Claim]]:
    """The claims that are not denied, by the pair of actors they link (in order).

    >>> corpus = Corpus((), (), (), (Claim("c1", "iran", "supports", "hamas", source="a"),))
    >>> claims_by_pair(corpus)[("hamas", "iran")][0].id
    'c1'
    """
    pairs: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in corpus.claims:
        if claim.certainty != "denied":
            pairs[_pair(claim.subject, claim.object)].append(claim)
    return pairs


def signed_graph(corpus: Corpus, *, pairs: dict[tuple[str, str], list[Claim]] | None = None) -> nx.Graph:
    """One undirected tie per pair of actors with a claim that is not denied (see :class:`Tie`).

    ``pairs``: :func:`claims_by_pair` of the corpus, when already at hand.

    >>> corpus = Corpus((Relation("supports", "supports", "", 1),), (), (),
    ...                 (Claim("c1", "iran", "supports", "hamas", source="a"),))
    >>> signed_graph(corpus).edges["iran", "hamas"]["claims"]
    ['c1']
    """
    return _tie_graph(nx.Graph(), corpus, claims_by_pair(corpus) if pairs is None else pairs)


def actor_digraph(corpus: Corpus) -> nx.DiGraph:
    """One directed tie per subject → object with a claim that is not denied; symmetric relations both ways.

    >>> corpus = Corpus((Relation("allied-with", "allied with", "", 1, symmetric=True),), (), (),
    ...                 (Claim("c1", "russia", "allied-with", "iran", source="a"),))
    >>> sorted(actor_digraph(corpus).edges)
    [('iran', 'russia'), ('russia', 'iran')]
    """
    relations = corpus.relations_by_id
    pairs: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in corpus.claims:
        if claim.certainty == "denied":
            continue
        pairs[claim.subject, claim.object].append(claim)
        if relations[claim.relation].symmetric:
            pairs[claim.object, claim.subject].append(claim)
    return _tie_graph(nx.DiGraph(), corpus, pairs)


def balance_graph(signed: nx.Graph) -> nx.Graph:
    """Only the cooperative and hostile ties: neutral links and evenly split ones are left out."""
    graph = nx.Graph()
    graph.add_edges_from((u, v, data) for u, v, data in signed.edges(data=True) if data["sign"])
    return graph


def directed_weights(corpus: Corpus) -> dict[tuple[str, str], float]:
    """The ``weight`` of each tie of :func:`actor_digraph` (its sources), by subject and object, in order.

    >>> corpus = Corpus((Relation("supports", "supports", "", 1),), (), (),
    ...                 (Claim("c1", "iran", "supports", "hamas", source="a"),
    ...                  Claim("c2", "iran", "supports", "hamas", source="b", certainty="alleged", said_by="x")))
    >>> directed_weights(corpus)
    {('iran', 'hamas'): 1.5}
    """
    symmetric = {relation.id for relation in corpus.relations if relation.symmetric}
    best: dict[tuple[str, str, str], float] = {}
    for claim in corpus.claims:
        if claim.certainty == "denied":
            continue
        weight = CERTAINTY_WEIGHT[claim.certainty]
        key = (claim.subject, claim.object, claim.source)
        if best.get(key, 0.0) < weight:
            best[key] = weight
        if claim.relation in symmetric:
            key = (claim.object, claim.subject, claim.source)
            if best.get(key, 0.0) < weight:
                best[key] = weight
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for (subject, obj, _), weight in best.items():
        weights[subject, obj] += weight
    return dict(sorted(weights.items()))


def tie_of(graph: nx.Graph, u: str, v: str) -> Tie:
    """The :class:`Tie` on an edge of a projected graph."""
    data = graph.edges[u, v]
    return Tie(
        data["sign"],
        data["weight"],
        data["margin"],
        data["cooperative"],
        data["hostile"],
        tuple(data["claims"]),
        tuple(data["alleged"]),
    )


def _tie_graph(graph: nx.Graph, corpus: Corpus, pairs: dict[tuple[str, str], list[Claim]]) -> nx.Graph:
    signs, actors = {relation.id: relation.sign for relation in corpus.relations}, corpus.actors_by_id
    for actor in sorted({actor for pair in pairs for actor in pair}):
        known = actors.get(actor)
        graph.add_node(actor, label=known.label if known else actor)
    graph.add_edges_from((u, v, _weigh(claims, signs)) for (u, v), claims in sorted(pairs.items()))
    return graph


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def corpus_from_rdf(graph: Graph) -> Corpus:
    """Read the corpus back from a built RDF graph (article texts aside), so the projections work on either.

    The graph must hold the claim nodes and the registry, as ``actorgraph build``'s exports do.
    """
    relations = tuple(
        sorted(
            (
                Relation(
                    id=str(graph.value(iri, DCTERMS.identifier)),
                    label=str(graph.value(iri, RDFS.label)),
                    definition=str(graph.value(iri, SKOS.definition) or ""),
                    sign=int(graph.value(iri, AG.sign).toPython()),
                    symmetric=bool(graph.value(iri, AG.symmetric).toPython()),
                )
                for iri in graph.subjects(RDF.type, AG.Relation)
            ),
            key=lambda relation: relation.id,
        )
    )
    types = {klass: name for name, klass in ACTOR_CLASSES.items()}
    actors = []
    for klass, name in types.items():
        for iri in graph.subjects(RDF.type, klass):
            represents = graph.value(iri, AG.represents)
            actors.append(
                Actor(
                    id=str(iri)[len(ACTOR) :],
                    label=str(graph.value(iri, RDFS.label)),
                    type=name,
                    aliases=tuple(sorted(str(alias) for alias in graph.objects(iri, SKOS.altLabel))),
                    represents=str(represents)[len(ACTOR) :] if represents is not None else None,
                )
            )
    sources = tuple(
        sorted(
            (
                Source(
                    id=str(iri)[len(SOURCE) :],
                    title=str(graph.value(iri, DCTERMS.title)),
                    date=graph.value(iri, DCTERMS.date).toPython(),
                )
                for iri in graph.subjects(RDF.type, AG.Article)
            ),
            key=lambda source: source.id,
        )
    )
    certainties = {AG[name]: name for name in CERTAINTY_RANK}
    claims = []
    for iri in graph.subjects(RDF.type, AG.Claim):
        said_by = graph.value(iri, AG.saidBy)
        citation = graph.value(iri, AG.citation)
        line = graph.value(citation, AG.quoteLine)
        claims.append(
            Claim(
                id=str(iri)[len(CLAIM) :],
                subject=str(graph.value(iri, RDF.subject))[len(ACTOR) :],
                relation=str(graph.value(iri, RDF.predicate))[len(REL) :],
                object=str(graph.value(iri, RDF.object))[len(ACTOR) :],
                source=str(graph.value(iri, PROV.wasDerivedFrom))[len(SOURCE) :],
                certainty=certainties[graph.value(iri, AG.certainty)],
                quote=str(graph.value(citation, AG.quote)),
                said_by=None
                if said_by is None
                else UNNAMED_SPEAKER
                if said_by == AG.unnamedSource
                else str(said_by)[len(ACTOR) :],
                note=str(graph.value(iri, RDFS.comment) or ""),
                quote_line=int(line.toPython()) if line is not None else 0,
            )
        )
    return Corpus(
        relations,
        tuple(sorted(actors, key=lambda actor: actor.id)),
        sources,
        tuple(sorted(claims, key=lambda claim: claim.id)),
    )
