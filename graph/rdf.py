"""Turn the corpus into RDF: one named graph per source article, plus the registry.

The model (documented in the README):

* each claim is an ``ag:Claim`` (an ``rdf:Statement``) with ``rdf:subject``,
  ``rdf:predicate`` (the relation), ``rdf:object``, ``ag:certainty``, ``ag:saidBy``,
  ``dcterms:date`` and an ``ag:citation`` holding the quote and the source article;
* a direct triple ``actor rel:x actor`` stands for each claim whose certainty
  establishes the relation (only ``asserted``), in both directions for symmetric
  relations — reported, alleged and denied claims never become plain facts;
* articles, actors and the relation vocabulary are described in the graph itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib import resources

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from .model import UNNAMED_SPEAKER, Actor, Claim, Corpus, Relation, Source
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

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]
Quad = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode, URIRef]


def build_dataset(corpus: Corpus) -> Dataset:
    """Build the RDF dataset of a corpus: the registry graph and one graph per source."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    dataset.addN(corpus_quads(corpus))
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """All the dataset's triples in one graph, with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


def corpus_quads(corpus: Corpus) -> Iterator[Quad]:
    """Every quad of the corpus's graph, registry first, then source by source."""
    for triple in registry_triples(corpus):
        yield (*triple, REGISTRY_GRAPH)
    relations = corpus.relations_by_id
    claims_by_source: dict[str, list[Claim]] = {source.id: [] for source in corpus.sources}
    for claim in corpus.claims:
        claims_by_source[claim.source].append(claim)
    for source in corpus.sources:
        graph = GRAPH[source.id]
        for triple in source_triples(source):
            yield (*triple, graph)
        for claim in claims_by_source[source.id]:
            for triple in claim_triples(claim, source, relations[claim.relation]):
                yield (*triple, graph)


def registry_triples(corpus: Corpus) -> Iterator[Triple]:
    """The ontology, the relation vocabulary and the actors."""
    yield from ontology()
    for relation in corpus.relations:
        yield from relation_triples(relation)
    for actor in corpus.actors:
        yield from actor_triples(actor)


def ontology() -> Graph:
    """The ActorGraph ontology shipped with the package."""
    return Graph().parse(data=resources.files(__package__).joinpath("ontology.ttl").read_text("utf-8"), format="turtle")


def relation_triples(relation: Relation) -> Iterator[Triple]:
    """Describe a relation: a SKOS concept that is also the property linking two actors.

    >>> from rdflib.namespace import RDF
    >>> triples = set(relation_triples(Relation("supports", "supports", "Backs.", 1)))
    >>> (REL["supports"], RDF.type, AG.Relation) in triples
    True
    """
    iri = REL[relation.id]
    yield iri, RDF.type, AG.Relation
    yield iri, RDF.type, OWL.ObjectProperty
    if relation.symmetric:
        yield iri, RDF.type, OWL.SymmetricProperty
    yield iri, DCTERMS.identifier, Literal(relation.id)
    yield iri, RDFS.label, Literal(relation.label, lang="en")
    yield iri, SKOS.definition, Literal(relation.definition, lang="en")
    yield iri, SKOS.inScheme, AG.relations
    yield iri, AG.sign, Literal(relation.sign)
    yield iri, AG.symmetric, Literal(relation.symmetric)
    yield iri, RDFS.domain, AG.Actor
    yield iri, RDFS.range, AG.Actor


def actor_triples(actor: Actor) -> Iterator[Triple]:
    """Describe an actor: its type, label, aliases and whom a person represents."""
    iri = ACTOR[actor.id]
    yield iri, RDF.type, ACTOR_CLASSES[actor.type]
    yield iri, DCTERMS.identifier, Literal(actor.id)
    yield iri, RDFS.label, Literal(actor.label, lang="en")
    for alias in actor.aliases:
        if alias != actor.label:
            yield iri, SKOS.altLabel, Literal(alias, lang="en")
    if actor.represents:
        yield iri, AG.represents, ACTOR[actor.represents]
    if actor.role:
        yield iri, SDO.jobTitle, Literal(actor.role, lang="en")


def source_triples(source: Source) -> Iterator[Triple]:
    """Describe a source article; empty fields (an unknown URL, say) are left out."""
    iri = SOURCE[source.id]
    yield iri, RDF.type, AG.Article
    yield iri, DCTERMS.identifier, Literal(source.id)
    yield iri, DCTERMS.title, Literal(source.title, lang=source.language)
    yield iri, AG.titleSupplied, Literal(source.title_supplied)
    yield iri, DCTERMS.date, Literal(source.date, datatype=XSD.date)
    yield iri, DCTERMS.language, Literal(source.language)
    yield iri, AG.textSha256, Literal(hashlib.sha256(source.text.encode("utf-8")).hexdigest())
    if source.publisher:
        yield iri, DCTERMS.publisher, Literal(source.publisher)
    if source.author:
        yield iri, DCTERMS.creator, Literal(source.author)
    if source.url:
        yield iri, SDO.url, URIRef(source.url)
    if source.date_note:
        yield iri, AG.dateNote, Literal(source.date_note)
    if source.original_file:
        yield iri, AG.originalFile, Literal(source.original_file)


def claim_triples(claim: Claim, source: Source, relation: Relation) -> Iterator[Triple]:
    """Describe a claim, its citation and, when it establishes the relation, the direct triple."""
    iri, citation = CLAIM[claim.id], CITATION[claim.id]
    subject, predicate, obj = ACTOR[claim.subject], REL[claim.relation], ACTOR[claim.object]
    yield iri, RDF.type, AG.Claim
    yield iri, DCTERMS.identifier, Literal(claim.id)
    yield iri, RDF.subject, subject
    yield iri, RDF.predicate, predicate
    yield iri, RDF.object, obj
    yield iri, AG.certainty, CERTAINTY_TERMS[claim.certainty]
    if claim.said_by:
        yield iri, AG.saidBy, AG.unnamedSource if claim.said_by == UNNAMED_SPEAKER else ACTOR[claim.said_by]
    yield iri, DCTERMS.date, Literal(source.date, datatype=XSD.date)
    yield iri, PROV.wasDerivedFrom, SOURCE[source.id]
    yield iri, AG.citation, citation
    if claim.note:
        yield iri, RDFS.comment, Literal(claim.note, lang="en")
    yield citation, RDF.type, AG.Citation
    yield citation, AG.quote, Literal(claim.quote, lang=source.language)
    yield citation, DCTERMS.source, SOURCE[source.id]
    if claim.quote_line:
        yield citation, AG.quoteLine, Literal(claim.quote_line, datatype=XSD.positiveInteger)
    if claim.establishes:
        yield subject, predicate, obj
        if relation.symmetric:
            yield obj, predicate, subject
