"""The named queries: well-formed headers, and the expected answer on the curated graph from every engine."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph import check
from graph.queries import (
    PARAM_TYPES,
    Param,
    QueryError,
    QueryNotFound,
    bind_params,
    find_named_query,
    load_named_queries,
)
from graph.results import QueryResult, write
from graph.sparql import inspect_query, with_constants
from graph.store import OxigraphEngine, RdflibEngine
from tests.conftest import DATA, PROJECT

NAMED = load_named_queries(PROJECT / "queries")
EXPECTED = DATA / "queries"


@pytest.fixture(scope="module")
def built():
    return check(PROJECT / "sources")


@pytest.fixture(scope="module")
def engines(built):
    return {"oxigraph": OxigraphEngine(built.store), "rdflib": RdflibEngine(built.dataset)}


def answer(result: QueryResult) -> str:
    """A query's answer in a form to compare: CSV rows, N-Triples, or true/false."""
    return write(result, "ntriples" if result.is_graph else "csv")


def expected_file(name: str) -> Path:
    return EXPECTED / f"{name}.txt"


def test_there_are_at_least_fifteen_named_queries_of_every_form():
    assert len(NAMED) >= 15
    assert {inspect_query(query.text).form for query in NAMED.values()} == {"select", "ask", "construct"}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_has_a_header_and_valid_parameters(name: str):
    query = NAMED[name]
    assert query.title and query.description
    for param in query.params:
        assert param.type in PARAM_TYPES and param.help
        assert f"?{param.name}" in query.text
    bind_params(query.params, {})  # every default is a valid value


@pytest.mark.parametrize("name", sorted(NAMED))
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_every_named_query_gives_its_expected_answer_on_every_engine(engines, name: str, engine: str):
    query = NAMED[name]
    produced = answer(engines[engine].query(query.text, bind_params(query.params, {})))
    if os.environ.get("UPDATE_GOLDEN") and engine == "oxigraph":
        expected_file(name).write_bytes(produced.encode("utf-8"))
    assert produced == expected_file(name).read_bytes().decode("utf-8"), f"{name} on {engine}"


def rows(engines, name: str, **given: str) -> list[tuple[str, ...]]:
    query = NAMED[name]
    result = engines["oxigraph"].query(query.text, bind_params(query.params, given))
    return [tuple("" if term is None else term.value for term in row) for row in result.rows]


def test_who_supports_hamas_names_its_backers_with_their_certainty(engines):
    found = {(row[2], row[3]) for row in rows(engines, "who-supports")}
    assert ("Iran", "asserted") in found
    assert ("North Korea", "asserted") in found
    assert ("Russia", "alleged") in found  # "appears fully committed": never flattened into fact


def test_parameters_change_the_answer(engines):
    assert {row[2] for row in rows(engines, "who-supports", target="palestine")} >= {"Vladimir Putin", "Kim Jong-un"}
    ask = NAMED["does-support"]
    assert engines["oxigraph"].query(ask.text, bind_params(ask.params, {"a": "iran", "b": "hamas"})).boolean is True
    alleged_only = bind_params(ask.params, {"a": "russia", "b": "iran"})
    assert engines["oxigraph"].query(ask.text, alleged_only).boolean is False


def test_contested_pairs_find_the_allegation_the_article_calls_false_and_putin_against_russia(engines):
    assert rows(engines, "contested-pairs") == [
        ("Ukraine", "Hamas", "affirmed and denied", "supplies arms to", "", "1", "1"),
        ("Russia", "Israel", "representative", "", "Russian ambassador to the United Nations", "3", "1"),
        ("Russia", "Israel", "representative", "", "Vladimir Putin", "3", "2"),
    ]


def test_second_order_links_find_iran_behind_russias_hostility_to_the_united_states(engines):
    assert {(row[1], row[2]) for row in rows(engines, "supports-critics-of")} == {("Iran", "Russia")}


def test_timeline_starts_at_the_given_day(engines):
    dates = [row[1] for row in rows(engines, "timeline", since="2023-11-01")]
    assert dates and min(dates) == "2023-11-10"


def test_the_store_holds_the_merged_graph_and_refuses_graph_patterns_with_a_way_round(engines):
    from graph.sparql import QueryRefused

    by_graph = "SELECT ?claim WHERE { GRAPH <https://w3id.org/actorgraph/graph/003-north-korea-backs-hamas> { ?claim a ag:Claim } }"
    by_source = "SELECT ?claim WHERE { ?claim a ag:Claim ; prov:wasDerivedFrom source:003-north-korea-backs-hamas }"
    with pytest.raises(QueryRefused, match="prov:wasDerivedFrom"):
        engines["oxigraph"].query(by_graph)
    claims = {row[0].value for row in engines["rdflib"].query(by_graph).rows}  # graph.trig keeps the named graphs
    assert claims and {row[0].value for row in engines["oxigraph"].query(by_source).rows} == claims
    assert not list(engines["oxigraph"].store.named_graphs())


def test_a_value_containing_quotes_is_bound_as_a_literal_not_as_query_text(engines):
    query = "SELECT ?who ?name WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    hostile = 'x" } ?who ?p ?o . { "'
    for engine in engines.values():
        assert engine.query(query, {"name": Literal(hostile)}).rows == ()


def test_unknown_queries_and_parameters_get_suggestions():
    with pytest.raises(QueryNotFound, match=r"No query named 'who-suports'\. Did you mean 'who-supports'\?"):
        find_named_query(NAMED, "who-suports")
    with pytest.raises(QueryError, match=r"no parameter 'targt'\. Did you mean 'target'\?"):
        bind_params(NAMED["who-supports"].params, {"targt": "iran"})
    with pytest.raises(QueryError, match=r"must be a date YYYY-MM-DD, not 'yesterday'"):
        bind_params([Param("since", "date", "2023-01-01")], {"since": "yesterday"})


@pytest.mark.parametrize("value", ['\n\\"', 'a"b', "back\\slash\\", "line\r\nbreak", '"""', "x } UNION { ?s ?p ?o"])
def test_values_written_into_a_query_for_a_remote_endpoint_stay_one_literal(value: str):
    from graph.sparql import with_values
    from graph.store import OxigraphEngine

    query = with_values("SELECT ?o WHERE { }", {"o": Literal(value)})
    assert OxigraphEngine(ox.Store()).query(query).rows[0][0].value == value


def test_a_value_that_would_read_as_a_unicode_escape_is_refused():
    from graph.sparql import QueryRefused, with_values

    with pytest.raises(QueryRefused, match="cannot be bound for a remote endpoint"):
        with_values("SELECT ?o WHERE { }", {"o": Literal("x\\u0022 }")})


def test_an_answer_crosses_from_a_query_worker_to_the_server_unchanged(engines):
    """Workers send answers pickled: every kind of term, and unbound cells, come back as they were."""
    text = (
        "SELECT ?iri ?plain ?tagged ?typed ?blank ?unbound WHERE { VALUES (?iri ?plain ?tagged ?typed) { "
        '(actor:hamas "a \\"quote\\"\\n" "Hamas"@en "2023-10-07"^^xsd:date) } BIND (BNODE() AS ?blank) '
        "OPTIONAL { ?iri ag:none ?unbound } }"
    )
    answer = engines["oxigraph"].query(text)
    graph = engines["oxigraph"].query(
        "CONSTRUCT { actor:hamas rdfs:label ?label } WHERE { actor:hamas rdfs:label ?label }"
    )
    for result in (answer, graph):
        assert pickle.loads(pickle.dumps(result)) == result
    assert [type(term) for term in answer.rows[0]] == [
        ox.NamedNode,
        ox.Literal,
        ox.Literal,
        ox.Literal,
        ox.BlankNode,
        type(None),
    ]


TERMS_OF_EVERY_KIND = (
    "SELECT ?iri ?plain ?tagged ?typed ?number ?blank ?unbound WHERE { VALUES (?iri ?plain ?tagged ?typed ?number) { "
    '(actor:hamas "a \\"quote\\"\\n<&>\\ttab, comma" "Hamas"@en "2023-10-07"^^xsd:date 42) '
    '(actor:iran "x" "y"@fr "1.5"^^xsd:decimal true) } BIND (BNODE() AS ?blank) OPTIONAL { ?iri ag:none ?unbound } }'
)


@pytest.mark.parametrize("form", ["json", "xml", "csv", "tsv", "table"])
def test_rows_written_in_rust_read_as_the_python_writers_write_them(engines, form: str):
    """Oxigraph's answers are written from TSV by Oxigraph; other engines' by our writers: the same text."""
    answer = engines["oxigraph"].query(TERMS_OF_EVERY_KIND)
    assert answer.tsv is not None
    from_terms = QueryResult(answer.kind, answer.variables, answer.rows)
    assert write(answer, form) == write(from_terms, form)
    without_blanks = [tuple(row[:5]) + tuple(row[6:]) for row in engines["rdflib"].query(TERMS_OF_EVERY_KIND).rows]
    assert [tuple(row[:5]) + tuple(row[6:]) for row in answer.rows] == without_blanks  # the TSV lost nothing


@pytest.mark.parametrize(
    "ending",
    [
        "ORDER BY ?label",  # open-ended: a LIMIT is appended
        "ORDER BY ?label LIMIT 50",  # its own LIMIT
        "ORDER BY ?label OFFSET 1",
        "ORDER BY ?label VALUES ?kind { ag:State }",  # a final VALUES block
    ],
)
def test_answers_stop_at_the_row_limit_and_say_so(engines, ending: str):
    text = f"SELECT ?who ?label WHERE {{ ?who a ?kind ; rdfs:label ?label }} {ending}"
    everything = engines["rdflib"].query(text)
    for max_rows in (1, 3, len(everything.rows), None):
        limited = engines["oxigraph"].query(text, max_rows=max_rows)
        expected = everything.rows if max_rows is None else everything.rows[:max_rows]
        assert limited.rows == expected
        assert limited.truncated == (max_rows is not None and max_rows < len(everything.rows))


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?who ?label WHERE { ?who rdfs:label ?label }",  # written as a constant
        "SELECT * WHERE { ?who rdfs:label ?label }",  # SELECT * would lose the column: bound instead
        "SELECT ?who ?label WHERE { { SELECT ?who ?label WHERE { ?who rdfs:label ?label } } }",  # a scope of its own
        "SELECT ?who ?label WHERE { ?who rdfs:label ?label FILTER (BOUND(?who)) }",  # no constant allowed
        "SELECT ?who ?label WHERE { VALUES ?who { actor:hamas actor:iran } ?who rdfs:label ?label }",
    ],
)
def test_a_bound_actor_gives_the_same_answer_however_the_engine_binds_it(engines, text):
    hamas = bind_params([Param("who", "actor", "hamas")], {})
    for engine in engines.values():
        result = engine.query(text, hamas)
        assert [
            (row[result.variables.index("who")].value, row[result.variables.index("label")].value)
            for row in result.rows
        ] == [("https://w3id.org/actorgraph/actor/hamas", "Hamas")], engine


def test_bound_values_are_written_as_constants_only_where_they_mean_the_same():
    hamas = {"who": URIRef("https://w3id.org/actorgraph/actor/hamas")}
    assert with_constants("SELECT ?x WHERE { ?x ?p ?who . FILTER (?who != ?x) }", hamas) == (
        "SELECT ?x WHERE { ?x ?p <https://w3id.org/actorgraph/actor/hamas> . "
        "FILTER (<https://w3id.org/actorgraph/actor/hamas> != ?x) }"
    )
    assert with_constants('SELECT ?x WHERE { ?x ?p "?who" } # ?who', hamas) == 'SELECT ?x WHERE { ?x ?p "?who" } # ?who'
    for text in (
        "SELECT * WHERE { ?x ?p ?who }",
        "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?who } } }",
        "SELECT ?x WHERE { ?x ?p ?o BIND (?o AS ?who) }",
        "SELECT ?x WHERE { ?x ?p ?o MINUS { ?x ?q ?who } }",
    ):
        assert with_constants(text, hamas) is None, text
    assert with_constants("SELECT ?x WHERE { ?x ?p ?who }", {"who": Literal("\\u0022")}) is None
