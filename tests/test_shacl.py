"""SHACL validation: the shapes compiled to SPARQL flag what pySHACL flags, and refuse what they cannot check."""

from __future__ import annotations

import datetime as dt
import warnings

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from graph import ACTOR, AG, CITATION, CLAIM, GRAPH, REL, SOURCE, build_dataset, load_corpus, validation
from graph.graph_files import write_ntriples
from graph.named_graphs import NamedGraph, named_graph
from graph.shacl import pyshacl_violations, run_checks, shapes, violations
from graph.shapes_sparql import UnsupportedShape, compile_shapes
from graph.terms import to_oxigraph
from graph.validation import violations_in_parts
from graph.vocab import REGISTRY_GRAPH
from tests.conftest import MINI

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Pattern = tuple[URIRef | None, URIRef | None, URIRef | Literal | None]
MAYBE = AG._NS["maybe"]  # not a certainty


def ill_formed(text: str, datatype: URIRef) -> Literal:
    """A literal whose text is not of its datatype (rdflib warns when it makes one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Literal(text, datatype=datatype)


@pytest.fixture(scope="module")
def quads() -> list[tuple]:
    """The mini corpus's dataset as rdflib quads (subject, predicate, object, graph name)."""
    return list(build_dataset(load_corpus(MINI)).quads((None, None, None, None)))


def mutated(quads: list[tuple], remove: Pattern | None = None, add: Triple | None = None) -> list[tuple]:
    """The quads without those matching ``remove`` (None matches anything), plus ``add`` in src-a's graph."""
    kept = [q for q in quads if remove is None or not all(p is None or p == t for p, t in zip(remove, q, strict=False))]
    return kept + ([(*add, GRAPH["src-a"])] if add else [])


def as_graph(quads: list[tuple]) -> Graph:
    graph = Graph()
    for subject, predicate, obj, _ in quads:
        graph.add((subject, predicate, obj))
    return graph


def as_store(quads: list[tuple]) -> ox.Store:
    """The quads' triples merged into an in-memory store's default graph, as the build loads them."""
    store = ox.Store()
    store.extend(ox.Quad(*(to_oxigraph(term) for term in quad[:3])) for quad in quads)
    return store


def where(lines: list[str]) -> set[str]:
    """What each violation line names, ``focus [path] [value]``, without its message (worded differently)."""
    return {line.partition(": ")[0] for line in lines}


def test_the_curated_corpus_conforms(quads):
    assert violations(as_store(quads)) == []
    assert pyshacl_violations(as_graph(quads)) == []


def test_a_plain_fact_without_an_asserted_claim_is_one_line(quads):
    broken = mutated(quads, add=(ACTOR["ukraine"], REL["supplies-arms-to"], ACTOR["hamas"]))  # only alleged
    assert violations(as_store(broken)) == [
        "actor:ukraine rel:supplies-arms-to actor:hamas: a direct relation between actors has no asserted claim behind it"
    ]


def test_a_missing_field_and_a_node_message_read_as_before(quads):
    broken = mutated(mutated(quads, remove=(CLAIM["a-01"], AG.citation, None)), remove=(CLAIM["a-02"], AG.saidBy, None))
    assert violations(as_store(broken)) == [
        "claim:a-01 ag:citation: Less than 1 values on claim:a-01->ag:citation",
        "claim:a-02: a reported or alleged claim must say who makes the statement (ag:saidBy)",
    ]


BREAKAGES = {
    "missing citation": ((CLAIM["a-01"], AG.citation, None), None, "claim:a-01 ag:citation"),
    "missing article source": ((CITATION["a-01"], DCTERMS.source, None), None, "citation:a-01 dcterms:source"),
    "missing actor label": ((ACTOR["vladimir-putin"], RDFS.label, None), None, "actor:vladimir-putin rdfs:label"),
    "missing relation definition": ((REL["supports"], SKOS.definition, None), None, "rel:supports skos:definition"),
    "duplicate date": (None, (CLAIM["a-02"], DCTERMS.date, Literal(dt.date(2024, 1, 1))), "claim:a-02 dcterms:date"),
    "duplicate identifier": (
        None,
        (ACTOR["vladimir-putin"], DCTERMS.identifier, Literal("putin")),
        "actor:vladimir-putin dcterms:identifier",
    ),
    "date as a string": (
        (CLAIM["a-02"], DCTERMS.date, None),
        (CLAIM["a-02"], DCTERMS.date, Literal("2023-11-11")),
        "claim:a-02 dcterms:date '2023-11-11'",
    ),
    "ill-formed date": (
        (CLAIM["a-02"], DCTERMS.date, None),
        (CLAIM["a-02"], DCTERMS.date, ill_formed("2023-13-45", XSD.date)),
        "claim:a-02 dcterms:date '2023-13-45'",
    ),
    "ill-formed integer": (
        (CITATION["a-01"], AG.quoteLine, None),
        (CITATION["a-01"], AG.quoteLine, ill_formed("one", XSD.integer)),
        "citation:a-01 ag:quoteLine 'one'",
    ),
    "boolean as a string": (
        (SOURCE["src-a"], AG.titleSupplied, None),
        (SOURCE["src-a"], AG.titleSupplied, Literal("true")),
        "source:src-a ag:titleSupplied 'true'",
    ),
    "subject not an actor": (
        (CLAIM["a-02"], RDF.subject, None),
        (CLAIM["a-02"], RDF.subject, SOURCE["src-a"]),
        "claim:a-02 rdf:subject source:src-a",
    ),
    "represents a non-actor": (
        (ACTOR["vladimir-putin"], AG.represents, None),
        (ACTOR["vladimir-putin"], AG.represents, SOURCE["src-a"]),
        "actor:vladimir-putin ag:represents source:src-a",
    ),
    "certainty not in the list": (
        (CLAIM["a-02"], AG.certainty, None),
        (CLAIM["a-02"], AG.certainty, MAYBE),
        "claim:a-02 ag:certainty ag:maybe",
    ),
    "sign not in the list": (
        (REL["supports"], AG.sign, None),
        (REL["supports"], AG.sign, Literal(2)),
        "rel:supports ag:sign '2'",
    ),
    "subject is the object": (
        (CLAIM["a-02"], RDF.object, None),
        (CLAIM["a-02"], RDF.object, ACTOR["ukraine"]),
        "claim:a-02 rdf:subject actor:ukraine",
    ),
    "reported claim without speaker": ((CLAIM["a-02"], AG.saidBy, None), None, "claim:a-02"),
    "asserted claim with speaker": (None, (CLAIM["a-01"], AG.saidBy, ACTOR["russia"]), "claim:a-01"),
    "empty quote": (
        (CITATION["a-02"], AG.quote, None),
        (CITATION["a-02"], AG.quote, Literal("", lang="en")),
        "citation:a-02 ag:quote ''",
    ),
    "quote without language": (
        (CITATION["a-02"], AG.quote, None),
        (CITATION["a-02"], AG.quote, Literal("Medvedev even alleged")),
        "citation:a-02 ag:quote 'Medvedev even alleged'",
    ),
    "quote line zero": (
        (CITATION["a-01"], AG.quoteLine, None),
        (CITATION["a-01"], AG.quoteLine, Literal(0)),
        "citation:a-01 ag:quoteLine '0'",
    ),
    "bad sha256": (
        (SOURCE["src-a"], AG.textSha256, None),
        (SOURCE["src-a"], AG.textSha256, Literal("E9F8")),
        "source:src-a ag:textSha256 'E9F8'",
    ),
    "direct triple without asserted claim": (
        None,
        (ACTOR["ukraine"], REL["supplies-arms-to"], ACTOR["hamas"]),
        "actor:ukraine rel:supplies-arms-to actor:hamas",
    ),
}


@pytest.mark.parametrize(("remove", "add", "expected"), BREAKAGES.values(), ids=BREAKAGES.keys())
def test_each_breakage_is_flagged_where_pyshacl_flags_it(quads, remove, add, expected):
    broken = mutated(quads, remove, add)
    found = where(violations(as_store(broken)))
    assert expected in found
    assert found == where(pyshacl_violations(as_graph(broken)))


@pytest.mark.parametrize("chunk_bytes", [1, 1 << 30], ids=["each source alone", "all together"])
@pytest.mark.parametrize(("remove", "add", "expected"), BREAKAGES.values(), ids=BREAKAGES.keys())
def test_the_sources_validated_apart_break_the_shapes_where_the_whole_graph_does(
    quads, remove, add, expected, chunk_bytes, tmp_path, monkeypatch
):
    monkeypatch.setattr(validation, "REGISTRY_SHARE", 0)  # chunks as small as asked, however large the registry
    broken = mutated(quads, remove, add)
    path = tmp_path / "graph.nt"
    parts = write_ntriples(as_named_graphs(broken), path)
    found = violations_in_parts(path, parts, range(len(parts.ends)), chunk_bytes)
    assert found == violations(as_store(broken))
    assert set(violations_in_parts(path, parts, [0])) <= set(found)  # the registry's alone
    assert violations_in_parts(path, parts, []) == []


def as_named_graphs(quads: list[tuple]) -> list[NamedGraph]:
    """The quads' graphs as the build writes them: the registry's first, and alone in describing actors and
    relations (an added triple about one is moved there); a source's direct ties shared."""
    lines: dict[str, tuple[list[str], list[str]]] = {str(REGISTRY_GRAPH): ([], [])}
    for subject, predicate, obj, name in quads:
        line = f"{ox.Triple(*map(to_oxigraph, (subject, predicate, obj)))} .\n"
        direct = str(predicate).startswith(str(REL))
        about_the_registry = str(subject).startswith((str(ACTOR), str(REL))) and not direct
        own, shared = lines.setdefault(str(REGISTRY_GRAPH if about_the_registry else name), ([], []))
        (shared if direct else own).append(line)
    return [named_graph(name, "".join(own), "".join(shared)) for name, (own, shared) in lines.items()]


GENERIC_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ThingShape sh:targetClass ex:Thing ;
    sh:class ex:Tagged ;
    sh:property [ sh:path ex:name ; sh:minCount 2 ; sh:maxCount 2 ; sh:pattern "^a" ; sh:flags "i" ] ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ; sh:maxExclusive 10 ; sh:in ( 1 2 3 20 ) ] ;
    sh:property [ sh:path ex:left ; sh:disjoint ex:right ; sh:maxCount 1 ] ;
    sh:or ( [ sh:path ex:kind ; sh:class ex:Kind ] [ sh:path ex:note ; sh:minCount 1 ; sh:minLength 3 ] ) .
ex:ExtraShape sh:targetClass ex:Extra, ex:Other ;
    sh:property [ sh:path ex:name ; sh:maxCount 0 ] ;
    sh:property [ sh:path ex:note ; sh:minCount 1 ; sh:deactivated true ] .
"""

GENERIC_DATA = """
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Sub rdfs:subClassOf ex:Thing . ex:Kinder rdfs:subClassOf ex:Kind .
ex:good a ex:Sub, ex:Tagged ; ex:name "Anna", "abe" ; ex:size 3 ; ex:kind ex:k ; ex:left ex:a ; ex:right ex:b .
ex:k a ex:Kinder .
ex:bad a ex:Thing ; ex:name "Bob" ; ex:size 20, "3" ; ex:kind ex:nothing ; ex:note "no" ; ex:left ex:a, ex:b ; ex:right ex:b .
ex:worse a ex:Thing, ex:Tagged ; ex:name "a1", "a2", "a3" ; ex:size 2.5 ; ex:note "long enough" .
ex:extra a ex:Other ; ex:name "x" .
"""


def test_generic_shapes_flag_what_pyshacl_flags():
    shapes = Graph().parse(data=GENERIC_SHAPES, format="turtle")
    data = Graph().parse(data=GENERIC_DATA, format="turtle")
    store = as_store([(*triple, GRAPH["test"]) for triple in data])
    found = where(run_checks(store, compile_shapes(shapes)))
    assert found == where(pyshacl_violations(data, shapes))
    assert {"<http://example.org/bad>", "<http://example.org/extra> <http://example.org/name>"} <= found


UNSUPPORTED = {
    "a component": ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxLength 3 ] .", "sh:maxLength"),
    "a node reference": ("ex:S sh:targetClass ex:C ; sh:node ex:T .", "sh:node"),
    "another target": ("ex:S sh:targetNode ex:a ; sh:class ex:C .", "sh:targetNode"),
    "a path expression": ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .", "IRI"),
    "a warning": ("ex:S sh:targetClass ex:C ; sh:severity sh:Warning ; sh:class ex:D .", "sh:severity"),
    "a query not projecting $this": (
        'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT ?value WHERE { $this ex:p ?value }" ] .',
        "$this",
    ),
}


@pytest.mark.parametrize(("shape", "named"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_shapes_the_compiler_cannot_check_are_refused_by_name(shape, named):
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
    with pytest.raises(UnsupportedShape, match=named.replace("$", r"\$")):
        compile_shapes(Graph().parse(data=prefixes + shape, format="turtle"))


def test_no_shape_speaks_of_the_analysis_measures_which_are_added_after_validation():
    terms = {term for triple in shapes() for term in triple}
    measures = {AG.pageRank, AG.betweenness, AG.camp, AG.community, AG.frustrated}
    assert not terms & measures, "validate after the analysis graph is added (graph/pipeline.py)"
