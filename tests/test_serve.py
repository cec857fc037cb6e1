"""`actorgraph serve`: a SPARQL 1.1 Protocol endpoint real clients use, read-only and bounded."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from graph import build
from graph.queries import bind_params, load_named_queries
from graph.serve import negotiate
from graph.store import RemoteEngine, fits_in_memory
from graph.store_versions import triples_beside
from tests.conftest import PROJECT
from tests.servers import actorgraph_server
from tests.test_queries import answer, expected_file

NAMED = load_named_queries(PROJECT / "queries")
CLAIMS = "PREFIX ag: <https://w3id.org/actorgraph/ns#> SELECT (COUNT(*) AS ?n) WHERE { ?c a ag:Claim }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    build(PROJECT / "sources", folder)
    return folder


@pytest.fixture(scope="module")
def server(exports: Path):
    with actorgraph_server(exports, "--timeout", "2", "--max-rows", "500", "--store", "memory") as url:
        yield url


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_query(server: str, query: str, accept: str = "application/sparql-results+json"):
    body = urllib.parse.urlencode({"query": query}).encode()
    return fetch(f"{server}/sparql", body, {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_reads_select_results_in_every_format(server: str, method: str):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod(method)
    client.setQuery(CLAIMS)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"] == [
        {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "101"}}
    ]
    client.setReturnFormat(XML)
    assert client.queryAndConvert().getElementsByTagName("literal")[0].firstChild.data == "101"
    client.setReturnFormat(CSV)
    assert client.queryAndConvert() == b"n\r\n101\r\n"
    client.setReturnFormat(TSV)
    assert client.queryAndConvert() == b"?n\n101\n"  # Turtle's short form


def test_sparqlwrapper_reads_ask_and_construct(server: str):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery("ASK { <https://w3id.org/actorgraph/actor/iran> <https://w3id.org/actorgraph/rel/supports> ?x }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(NAMED["actor-network"].text)
    client.setReturnFormat(TURTLE)
    graph = client.queryAndConvert()
    assert b"rel:supports" in graph


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_over_the_endpoint_gives_the_expected_answer(server: str, name: str):
    query = NAMED[name]
    result = RemoteEngine(f"{server}/sparql").query(query.text, bind_params(query.params, {}))
    assert answer(result) == expected_file(name).read_bytes().decode("utf-8")


def test_workers_reading_the_store_on_disk_give_the_same_answers(exports: Path):
    with actorgraph_server(exports, "--store", "disk") as url:
        for name in ("timeline", "actor-profile", "actor-network", "does-support"):
            query = NAMED[name]
            result = RemoteEngine(f"{url}/sparql").query(query.text, bind_params(query.params, {}))
            assert answer(result) == expected_file(name).read_bytes().decode("utf-8")


def test_the_store_is_copied_into_memory_only_when_the_copies_fit(exports: Path):
    assert fits_in_memory(exports, copies=2)
    assert not fits_in_memory(exports, copies=10**12)


def test_a_store_without_its_triples_is_read_on_disk_or_refused_with_a_way_out(sources: Path, run):
    assert run("build").exit_code == 0
    exports = sources.parent / "exports"
    triples_beside((exports / "store").resolve()).unlink()
    assert not fits_in_memory(exports, copies=1)  # auto reads it on disk
    result = run("serve", "--exports", str(exports), "--store", "memory", "--port", "0")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "has no N-Triples beside it to load into memory — run 'actorgraph build' again, or serve with --store disk\n"
    )


def test_named_queries_run_with_parameters_bound_by_the_server(server: str):
    status, headers, body = fetch(f"{server}/api/queries/who-supports?target=Palestine&format=csv")
    assert status == 200 and headers["Content-Disposition"] == 'attachment; filename="who-supports.csv"'
    assert "Kim Jong-un" in body.decode() and "Iran" not in body.decode()
    status, _, body = fetch(f"{server}/api/queries/who-supports?target=Palestin")
    assert (status, body) == (
        400,
        b"No actor named 'Palestin'. Did you mean 'palestine'? Run 'actorgraph query actors' for the list.\n",
    )


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        (b"DROP ALL", "application/sparql-update"),
        (b"query=LOAD+%3Chttp%3A%2F%2Fexample.org%2Fx.ttl%3E", "application/x-www-form-urlencoded"),
        (b"query=INSERT+DATA+%7B+%3Ca%3A1%3E+%3Ca%3A2%3E+%3Ca%3A3%3E+%7D", "application/x-www-form-urlencoded"),
    ],
)
def test_updates_are_refused(server: str, data: bytes, content_type: str):
    status, _, body = fetch(f"{server}/sparql", data, {"Content-Type": content_type})
    assert status == 403
    assert body == b"updates are not allowed: this graph is read-only\n"
    assert post_query(server, CLAIMS)[2].count(b'"101"') == 1  # the graph is unchanged


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403, b"SERVICE is not allowed"),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", 403, b"FROM and FROM NAMED are not allowed"),
        ("SELECT * FROM NAMED <http://example.org/> { ?s ?p ?o }", 403, b"FROM and FROM NAMED are not allowed"),
        ("SELECT * WHERE { ?s ?p }", 400, b"1:18: SPARQL syntax error"),
    ],
)
def test_queries_that_would_reach_out_or_are_broken_are_refused(server: str, query: str, status: int, message: bytes):
    code, _, body = post_query(server, query)
    assert code == status and body.startswith(message)


def test_dataset_parameters_are_refused(server: str):
    query = urllib.parse.quote(CLAIMS)
    assert fetch(f"{server}/sparql?query={query}&default-graph-uri=http%3A%2F%2Fexample.org%2F")[0] == 403


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(server: str):
    started = time.monotonic()
    status, _, body = post_query(server, RUNAWAY)
    assert (status, body) == (503, b"the query ran longer than 2 s and was stopped\n")
    assert time.monotonic() - started < 15
    assert post_query(server, CLAIMS)[0] == 200


def test_the_row_limit_cuts_long_answers_and_says_so(server: str):
    status, headers, body = post_query(server, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert status == 200 and headers["X-Row-Limit-Reached"] == "true"
    assert len(body.decode().splitlines()) == 1 + 500


def test_content_negotiation():
    assert negotiate("application/sparql-results+json", False) == "json"
    assert negotiate("text/tab-separated-values, text/csv;q=0.9", False) == "tsv"
    assert negotiate("application/n-triples", True) == "ntriples"
    assert negotiate("image/png", False) is None
    assert negotiate("*/*", False, requested="csv") == "csv"


def test_an_unacceptable_format_is_406(server: str):
    assert post_query(server, CLAIMS, "image/png")[0] == 406


def test_exports_are_downloadable_and_nothing_else(server: str, exports: Path):
    status, headers, body = fetch(f"{server}/exports/graph.ttl")
    assert status == 200 and headers["Content-Type"] == "text/turtle"
    assert body == (exports / "graph.ttl").read_bytes()
    for path in ("/exports/../sources/actors.yaml", "/exports/store", "/static/../serve.py", "/nowhere"):
        assert fetch(f"{server}{path}")[0] == 404


def test_home_is_the_graph_explorer_and_the_query_page_has_no_inline_code(server: str):
    status, headers, body = fetch(f"{server}/")
    assert status == 200 and b"<html" in body.lower()
    status, headers, body = fetch(f"{server}/query")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert b"<script src=" in body and b"<script>" not in body


def test_escapes_cannot_smuggle_a_service_call_past_the_check(server: str):
    smuggled = 'SELECT * WHERE { BIND("""a\\u005C""" AS ?x) SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } #""" AS ?y)\n}'
    assert post_query(server, smuggled)[:3:2] == (403, b"SERVICE is not allowed: queries run on this graph only\n")


def test_oversized_or_malformed_requests_are_refused(server: str):
    status, _, body = post_query(server, "ASK {}" + " " * 100_001)
    assert (status, body) == (403, b"queries longer than 100,000 characters are refused\n")
    request = urllib.request.Request(f"{server}/sparql", data=b"query=ASK%7B%7D", method="POST")
    request.add_unredirected_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_unredirected_header("Content-Length", "-1")
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 400
    assert post_query(server, CLAIMS)[0] == 200


def test_a_new_build_is_served_without_a_restart(sources: Path, run):
    assert run("build").exit_code == 0
    exports = sources.parent / "exports"
    with actorgraph_server(exports, "--store", "memory") as url:  # each worker loads the new build's copy
        assert post_query(url, CLAIMS)[2].count(b'"5"') == 1
        with open(sources / "actors.yaml", "a", encoding="utf-8") as actors:
            actors.write("- id: north-korea\n  label: North Korea\n  type: state\n  aliases: [DPRK]\n")
        with open(sources / "src-b/claims.yaml", "a", encoding="utf-8") as claims:
            claims.write(
                "- id: b-03\n  subject: north-korea\n  relation: supports\n  object: hamas\n"
                "  certainty: asserted\n  quote: The relationship between Russia and Hamas is not new\n"
            )
        assert run("build").exit_code == 0
        assert post_query(url, CLAIMS)[2].count(b'"6"') == 1
        status, _, body = fetch(f"{url}/api/queries/claims-between?a=DPRK&b=hamas&format=csv")
        assert status == 200 and b"North Korea" in body
