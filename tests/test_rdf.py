"""The RDF model: claims keep their provenance, and only asserted claims become plain facts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, XSD

from graph import ACTOR, AG, CITATION, CLAIM, GRAPH, REL, SOURCE, build_dataset, check, load_corpus, union_graph
from graph.analysis import analysis_graph
from graph.load import read_sources
from graph.named_graphs import in_memory, merged_triples, named_graph
from graph.rdf import corpus_nquads, ontology
from graph.synthetic import synthetic_corpus, write_sources
from graph.vocab import REGISTRY_GRAPH
from tests.conftest import MINI, PROJECT


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(MINI)


@pytest.fixture(scope="module")
def graph(corpus) -> Graph:
    return union_graph(build_dataset(corpus))


def test_a_claim_node_holds_its_parts_certainty_speaker_date_and_citation(graph: Graph):
    claim, citation = CLAIM["a-02"], CITATION["a-02"]
    assert graph.value(claim, RDF.type) == AG.Claim
    assert graph.value(claim, RDF.subject) == ACTOR["ukraine"]
    assert graph.value(claim, RDF.predicate) == REL["supplies-arms-to"]
    assert graph.value(claim, RDF.object) == ACTOR["hamas"]
    assert graph.value(claim, AG.certainty) == AG.alleged
    assert graph.value(claim, AG.saidBy) == ACTOR["dmitry-medvedev"]
    assert graph.value(claim, DCTERMS.date) == Literal(dt.date(2023, 11, 11), datatype=XSD.date)
    assert graph.value(claim, PROV.wasDerivedFrom) == SOURCE["src-a"]
    assert graph.value(claim, AG.citation) == citation
    assert graph.value(citation, AG.quote) == Literal(
        "Medvedev even alleged that Ukraine had provided Western-supplied weapons to Hamas, though no evidence was provided",
        lang="en",
    )
    assert graph.value(citation, DCTERMS.source) == SOURCE["src-a"]
    assert graph.value(citation, AG.quoteLine).toPython() == 3


def test_only_asserted_claims_become_direct_triples(graph: Graph):
    assert (ACTOR["iran"], REL["supports"], ACTOR["hamas"]) in graph  # asserted
    assert (ACTOR["ukraine"], REL["supplies-arms-to"], ACTOR["hamas"]) not in graph  # alleged
    assert (ACTOR["russia"], REL["designates-as-terrorist"], ACTOR["hamas"]) not in graph  # denied
    assert (ACTOR["vladimir-putin"], REL["leads"], ACTOR["russia"]) not in graph  # reported


def test_symmetric_relations_are_stated_both_ways(graph: Graph):
    assert (ACTOR["russia"], REL["allied-with"], ACTOR["iran"]) in graph
    assert (ACTOR["iran"], REL["allied-with"], ACTOR["russia"]) in graph


def test_simple_queries_stay_simple(graph: Graph):
    rows = graph.query("SELECT ?who WHERE { ?who rel:supports actor:hamas }")
    assert [row.who for row in rows] == [ACTOR["iran"]]


def test_a_statement_nobody_is_named_for_is_said_by_an_unnamed_source(graph: Graph):
    assert graph.value(CLAIM["b-02"], AG.saidBy) == AG.unnamedSource


def test_articles_are_described_without_invented_fields(graph: Graph):
    assert graph.value(SOURCE["src-a"], AG.titleSupplied) == Literal(True)
    assert graph.value(SOURCE["src-a"], DCTERMS.publisher) is None
    assert graph.value(SOURCE["src-a"], SDO.url) is None
    assert str(graph.value(SOURCE["src-b"], SDO.url)) == "https://example.org/articles/russia-hamas"
    assert len(str(graph.value(SOURCE["src-b"], AG.textSha256))) == 64


def test_actors_and_relations_describe_themselves(graph: Graph):
    assert graph.value(ACTOR["vladimir-putin"], RDF.type) == AG.Person
    assert graph.value(ACTOR["vladimir-putin"], AG.represents) == ACTOR["russia"]
    assert graph.value(REL["criticises"], AG.sign) == Literal(-1)
    assert graph.value(REL["allied-with"], AG.symmetric) == Literal(True)


def test_each_source_has_its_own_named_graph(corpus):
    dataset = build_dataset(corpus)
    names = {graph.identifier for graph in dataset.graphs() if len(graph)}
    assert names == {REGISTRY_GRAPH, GRAPH["src-a"], GRAPH["src-b"]}
    assert (CLAIM["b-01"], RDF.type, AG.Claim) in dataset.graph(GRAPH["src-b"])
    assert (CLAIM["b-01"], RDF.type, AG.Claim) not in dataset.graph(GRAPH["src-a"])


def test_every_term_of_the_namespace_is_defined_in_the_ontology_and_back():
    defined = {term for term in ontology().subjects() if str(term).startswith(str(AG._NS))}
    assert defined == {AG[name] for name in AG.__annotations__}


def test_a_named_graph_names_only_the_ends_of_its_lines_even_when_a_literal_ends_like_one():
    graph = named_graph("a:g1", '<a:s> <a:p> "quoting <a:o> .\\n" .\n', shared='<a:s> <a:p> "y" .\n')
    quads = list(ox.parse(graph.nquads, format=ox.RdfFormat.N_QUADS))
    assert [quad.object.value for quad in quads] == ["quoting <a:o> .\n", "y"]
    assert {quad.graph_name.value for quad in quads} == {"a:g1"}
    second = named_graph("a:g2", shared='<a:s> <a:p> "y" .\n')
    merged = "".join(own + fresh for own, fresh in merged_triples([graph, named_graph("a:g3"), second]))
    assert merged == '<a:s> <a:p> "quoting <a:o> .\\n" .\n<a:s> <a:p> "y" .\n'
    assert len(list(ox.parse(merged, format=ox.RdfFormat.N_TRIPLES))) == 2


@pytest.fixture(scope="module")
def synthetic_sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "sources"
    write_sources(synthetic_corpus(load_corpus(PROJECT / "sources").relations, 2_000, seed=5), folder)
    return folder


@pytest.mark.parametrize("corpus_name", ["mini", "articles", "synthetic"])
def test_merging_keeps_every_distinct_triple_once_though_it_compares_only_the_shared_lines(corpus_name, request):
    folder = {"mini": MINI, "articles": PROJECT / "sources"}.get(corpus_name) or request.getfixturevalue(
        "synthetic_sources"
    )
    built = check(folder)
    graphs = (
        *map(in_memory, read_sources(folder).graphs),
        analysis_graph(built.analysis),
    )  # the sources' graphs, and the analysis's
    every_line = [line for graph in graphs for line in graph.ntriples.splitlines(keepends=True)]
    merged = built.ntriples.splitlines(keepends=True)
    assert merged == list(dict.fromkeys(merged))
    assert set(merged) == set(every_line)
    if corpus_name == "synthetic":
        assert len(every_line) > len(merged), "some direct triples are stated by several sources"


def test_a_source_states_a_direct_triple_once_when_two_of_its_claims_establish_it():
    corpus = load_corpus(PROJECT / "sources")
    ties = Counter(
        (claim.source, claim.subject, claim.relation, claim.object) for claim in corpus.claims if claim.establishes
    )
    assert max(ties.values()) > 1, "the articles have a source with two claims of one tie"
    quads = list(ox.parse(corpus_nquads(corpus), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads))
