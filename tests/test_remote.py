"""Beyond one machine: push the graph to a real Oxigraph server and query it there."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.queries import bind_params, load_named_queries
from graph.store import RemoteEngine
from tests.conftest import PROJECT
from tests.servers import oxigraph_server
from tests.test_queries import answer, expected_file

NAMED = load_named_queries(PROJECT / "queries")
SOURCES = [path for path in (PROJECT / "sources").iterdir() if path.is_dir()]


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    """A real Oxigraph server on a loopback port, holding the curated graph pushed by the CLI."""
    from click.testing import CliRunner

    from graph.cli import cli

    exports = tmp_path_factory.mktemp("exports")
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["build", "--sources", str(PROJECT / "sources"), "--exports", str(exports)]).exit_code == 0
    )
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        result = runner.invoke(cli, ["push", "--endpoint", f"{url}/store", "--exports", str(exports)])
        assert result.exit_code == 0, result.stderr
        yield url, result.stdout, exports


def test_push_sends_every_named_graph_of_the_build(pushed):
    url, output, exports = pushed
    quads = list(ox.parse(path=str(exports / "graph.trig"), format=ox.RdfFormat.TRIG))
    graphs = {quad.graph_name.value for quad in quads}
    assert {f"https://w3id.org/actorgraph/graph/{source.name}" for source in SOURCES} < graphs
    assert output.splitlines()[-1] == f"Pushed {len(graphs)} named graphs ({len(quads):,} triples) to {url}/store."
    assert "  https://w3id.org/actorgraph/graph/003-north-korea-backs-hamas: " in output


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_gives_the_same_answer_on_the_remote_store(pushed, name: str):
    url, _, _ = pushed
    query = NAMED[name]
    result = RemoteEngine(f"{url}/query").query(query.text, bind_params(query.params, {}))
    assert answer(result) == expected_file(name).read_bytes().decode("utf-8")


def test_query_endpoint_option_runs_a_named_query_remotely(pushed, run, tmp_path: Path, monkeypatch):
    url, _, _ = pushed
    monkeypatch.chdir(PROJECT)
    result = run(
        "query", "who-supports", "--param", "target=Palestine", "--endpoint", f"{url}/query", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    assert "Kim Jong-un" in result.stdout


def test_pushing_again_replaces_rather_than_duplicates(pushed, run, tmp_path: Path):
    url, _, _ = pushed
    exports = tmp_path / "exports"
    assert run("build", "--sources", str(PROJECT / "sources"), "--exports", str(exports)).exit_code == 0
    assert run("push", "--endpoint", f"{url}/store", "--exports", str(exports)).exit_code == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/actorgraph/ns#Claim> }"
    assert RemoteEngine(f"{url}/query").query(count).rows[0][0].value == "101"


def test_an_unreachable_endpoint_is_a_one_line_error(run, tmp_path: Path, sources):
    assert run("build").exit_code == 0
    result = run("push", "--endpoint", "http://127.0.0.1:9/store")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot reach http://127.0.0.1:9/store?graph=")
