"""Turn the corpus into RDF: one named graph per source article, plus the registry.

The model (documented in the README):

* each claim is an ``ag:Claim`` (an ``rdf:Statement``) with ``rdf:subject``,
  ``rdf:predicate`` (the relation), ``rdf:object``, ``ag:certainty``, ``ag:saidBy``,
  ``dcterms:date`` and an ``ag:citation`` holding the quote and the source article;
* a direct triple ``actor rel:x actor`` stands for each claim whose certainty
  establishes the relation (only ``asserted``), in both directions for symmetric
  relations — reported, alleged and denied claims never become plain facts;
* articles, actors and the relation vocabulary are described in the graph itself.

The graph is written as N-Triples text (graph/ntriples.py), source by source, so that each
source's part can be made, cached and re-made on its own; rdflib's :class:`Dataset` is
made from that text for those who want to work with rdflib.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS

from .model import UNNAMED_SPEAKER, Actor, Claim, Corpus, Relation, Source
from .named_graphs import in_graph
from .ntriples import NTriple, boolean, integer, iri, literal, ntriples
from .vocab import (
    ACTOR,
    ACTOR_CLASSES,
    AG,
    CERTAINTY_TERMS,
    CITATION,
    CLAIM,
    GRAPH,
    PREFIXES,
    REGISTRY_GRAPH,
    REL,
    SOURCE,
)


def build_dataset(corpus: Corpus) -> Dataset:
    """The RDF dataset of a corpus as an rdflib Dataset: the registry graph and one graph per source."""
    return dataset_from_nquads(corpus_nquads(corpus))


def dataset_from_nquads(text: str) -> Dataset:
    """An rdflib Dataset holding the quads of N-Quads ``text``, with the project's prefixes bound."""
    return _dataset(text, "nquads")


def dataset_from_trig(text: str) -> Dataset:
    """An rdflib Dataset holding the quads of TriG ``text``, with the project's prefixes bound."""
    return _dataset(text, "trig")


def _dataset(text: str, rdf_format: str) -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    dataset.parse(data=text, format=rdf_format)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """All the dataset's triples in one graph, with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


def corpus_nquads(corpus: Corpus) -> str:
    """Every quad of the corpus's graph as N-Quads: the registry first, then source by source."""
    relations = corpus.relations_by_id
    claims_by_source: dict[str, list[Claim]] = {source.id: [] for source in corpus.sources}
    for claim in corpus.claims:
        claims_by_source[claim.source].append(claim)
    parts = [in_graph(registry_ntriples(corpus.relations, corpus.actors), _term(REGISTRY_GRAPH))]
    for source in corpus.sources:
        own, direct = source_ntriples(source, claims_by_source[source.id], relations)
        parts.append(in_graph(own + direct, _term(GRAPH[source.id])))
    return "".join(parts)


def registry_ntriples(relations: Iterable[Relation], actors: Iterable[Actor]) -> str:
    """The registry graph's triples: the ontology, the relation vocabulary and the actors."""
    triples = [*ontology_triples()]
    for relation in relations:
        triples += relation_triples(relation)
    for actor in actors:
        triples += actor_triples(actor)
    return ntriples(triples)


def source_ntriples(source: Source, claims: Iterable[Claim], relations: dict[str, Relation]) -> tuple[str, str]:
    """A source's named graph's triples in two parts: the article's description and its claims, then its direct triples.

    Only the direct triples can be in another graph too: every other triple describes the
    article, a claim or a citation, which are this source's alone. Each is stated once, even
    when two claims establish the same relation between the same actors.
    """
    own, direct = [*source_triples(source)], {}
    for claim in claims:
        relation = relations[claim.relation]
        own += claim_triples(claim, source)
        direct.update(dict.fromkeys(direct_triples(claim, relation)))
    return ntriples(own), ntriples(direct)


def ontology() -> Graph:
    """The ActorGraph ontology shipped with the package."""
    return Graph().parse(data=_ontology_text(), format="turtle")


@cache
def ontology_triples() -> tuple[NTriple, ...]:
    """The ontology's triples as N-Triples terms."""
    return tuple(
        (str(triple.subject), str(triple.predicate), str(triple.object))
        for triple in ox.parse(_ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    )


def relation_triples(relation: Relation) -> Iterator[NTriple]:
    """Describe a relation: a SKOS concept that is also the property linking two actors.

    >>> triples = set(relation_triples(Relation("supports", "supports", "Backs.", 1)))
    >>> (_term(REL["supports"]), _term(RDF.type), _term(AG.Relation)) in triples
    True
    """
    subject = _term(REL[relation.id])
    yield subject, _TYPE, _term(AG.Relation)
    yield subject, _TYPE, _term(OWL.ObjectProperty)
    if relation.symmetric:
        yield subject, _TYPE, _term(OWL.SymmetricProperty)
    yield subject, _IDENTIFIER, literal(relation.id)
    yield subject, _term(RDFS.label), literal(relation.label, language="en")
    yield subject, _term(SKOS.definition), literal(relation.definition, language="en")
    yield subject, _term(SKOS.inScheme), _term(AG.relations)
    yield subject, _term(AG.sign), integer(relation.sign)
    yield subject, _term(AG.symmetric), boolean(relation.symmetric)
    yield subject, _term(RDFS.domain), _term(AG.Actor)
    yield subject, _term(RDFS.range), _term(AG.Actor)


def actor_triples(actor: Actor) -> Iterator[NTriple]:
    """Describe an actor: its type, label, aliases and whom a person represents."""
    subject = _term(ACTOR[actor.id])
    yield subject, _TYPE, _term(ACTOR_CLASSES[actor.type])
    yield subject, _IDENTIFIER, literal(actor.id)
    yield subject, _term(RDFS.label), literal(actor.label, language="en")
    for alias in actor.aliases:
        if alias != actor.label:
            yield subject, _term(SKOS.altLabel), literal(alias, language="en")
    if actor.represents:
        yield subject, _term(AG.represents), _term(ACTOR[actor.represents])
    if actor.role:
        yield subject, _term(SDO.jobTitle), literal(actor.role, language="en")


def source_triples(source: Source) -> Iterator[NTriple]:
    """Describe a source article; empty fields (an unknown URL, say) are left out."""
    subject = _term(SOURCE[source.id])
    yield subject, _TYPE, _term(AG.Article)
    yield subject, _IDENTIFIER, literal(source.id)
    yield subject, _term(DCTERMS.title), literal(source.title, language=source.language)
    yield subject, _term(AG.titleSupplied), boolean(source.title_supplied)
    yield subject, _DATE, _date(source)
    yield subject, _term(DCTERMS.language), literal(source.language)
    yield subject, _term(AG.textSha256), literal(hashlib.sha256(source.text.encode("utf-8")).hexdigest())
    if source.publisher:
        yield subject, _term(DCTERMS.publisher), literal(source.publisher)
    if source.author:
        yield subject, _term(DCTERMS.creator), literal(source.author)
    if source.url:
        yield subject, _term(SDO.url), iri(source.url)
    if source.date_note:
        yield subject, _term(AG.dateNote), literal(source.date_note)
    if source.original_file:
        yield subject, _term(AG.originalFile), literal(source.original_file)


def claim_triples(claim: Claim, source: Source) -> Iterator[NTriple]:
    """Describe a claim and its citation."""
    subject, citation = f"<{CLAIM}{claim.id}>", f"<{CITATION}{claim.id}>"  # ids are checked: no escaping needed
    article = f"<{SOURCE}{source.id}>"
    yield subject, _TYPE, _CLAIM
    yield subject, _IDENTIFIER, literal(claim.id)
    yield subject, _SUBJECT, _actor(claim.subject)
    yield subject, _PREDICATE, _relation(claim.relation)
    yield subject, _OBJECT, _actor(claim.object)
    yield subject, _CERTAINTY, _CERTAINTIES[claim.certainty]
    if claim.said_by:
        yield subject, _SAID_BY, _UNNAMED if claim.said_by == UNNAMED_SPEAKER else _actor(claim.said_by)
    yield subject, _DATE, _date(source)
    yield subject, _DERIVED_FROM, article
    yield subject, _CITATION, citation
    if claim.note:
        yield subject, _COMMENT, literal(claim.note, language="en")
    yield citation, _TYPE, _CITATION_CLASS
    yield citation, _QUOTE, literal(claim.quote, language=source.language)
    yield citation, _SOURCE, article
    if claim.quote_line:
        yield citation, _QUOTE_LINE, integer(claim.quote_line)


def direct_triples(claim: Claim, relation: Relation) -> Iterator[NTriple]:
    """The direct triple a claim stands for when it establishes its relation (both ways when symmetric)."""
    if claim.establishes:
        actor, predicate, obj = _actor(claim.subject), _relation(claim.relation), _actor(claim.object)
        yield actor, predicate, obj
        if relation.symmetric:
            yield obj, predicate, actor


def _term(value: str) -> str:
    return f"<{value}>"


@cache
def _actor(ident: str) -> str:
    return _term(ACTOR[ident])


@cache
def _relation(ident: str) -> str:
    return _term(REL[ident])


def _date(source: Source) -> str:
    return literal(source.date.isoformat(), datatype="http://www.w3.org/2001/XMLSchema#date")


@cache
def _ontology_text() -> str:
    return resources.files(__package__).joinpath("ontology.ttl").read_text("utf-8")


_TYPE, _IDENTIFIER, _DATE = _term(RDF.type), _term(DCTERMS.identifier), _term(DCTERMS.date)
_CLAIM, _CITATION_CLASS, _CITATION = _term(AG.Claim), _term(AG.Citation), _term(AG.citation)
_SUBJECT, _PREDICATE, _OBJECT = _term(RDF.subject), _term(RDF.predicate), _term(RDF.object)
_CERTAINTY, _SAID_BY, _UNNAMED = _term(AG.certainty), _term(AG.saidBy), _term(AG.unnamedSource)
_CERTAINTIES = {name: _term(term) for name, term in CERTAINTY_TERMS.items()}
_DERIVED_FROM, _COMMENT = _term(PROV.wasDerivedFrom), _term(RDFS.comment)
_QUOTE, _SOURCE, _QUOTE_LINE = _term(AG.quote), _term(DCTERMS.source), _term(AG.quoteLine)
