"""`actorgraph query` and `push`: exact output, exit codes, and errors that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT


@pytest.fixture
def built_mini(sources: Path, run) -> Path:
    """The mini corpus built into ./exports, with the project's named queries at ./queries."""
    (sources.parent / "queries").symlink_to(PROJECT / "queries")
    assert run("build").exit_code == 0
    return sources.parent / "exports"


def test_query_prints_a_table_of_a_named_query_with_its_parameters(built_mini, run):
    result = run("query", "claims-between", "--param", "a=Ukraine", "--param", "b=hamas", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == [
        "a",
        "b",
        "claim",
        "subject",
        "relation",
        "object",
        "certainty",
        "said_by",
        "quote",
        "source",
        "date",
    ]
    assert result.stdout.splitlines()[2].split()[:8] == [
        "actor:ukraine",
        "actor:hamas",
        "claim:a-02",
        "Ukraine",
        "supplies",
        "arms",
        "to",
        "Hamas",
    ]
    assert result.stdout.splitlines()[-1] == "(1 row)"


def test_query_writes_sparql_csv_and_json(built_mini, run):
    csv = run("query", "who-supports", "--format", "csv")
    assert csv.stdout.splitlines() == [
        "target,claim,supporter,certainty,said_by,quote,source,date",
        "https://w3id.org/actorgraph/actor/hamas,https://w3id.org/actorgraph/claim/a-01,Iran,asserted,,"
        '"The attack by Hamas, known to be supported by Iran",https://w3id.org/actorgraph/source/src-a,2023-11-11',
    ]
    json = run("query", "does-support", "--format", "json")
    assert json.stdout == '{"head":{},"boolean":true}\n'


def test_ask_sets_the_exit_code(built_mini, run):
    yes = run("query", "does-support")
    no = run("query", "does-support", "-p", "a=ukraine")
    assert (yes.exit_code, yes.stdout, no.exit_code, no.stdout) == (0, "true\n", 1, "false\n")


def test_construct_prints_turtle(built_mini, run):
    result = run("query", "actor-network", "--format", "ntriples")
    assert result.exit_code == 0
    assert (
        "<https://w3id.org/actorgraph/actor/iran> <https://w3id.org/actorgraph/rel/supports> "
        "<https://w3id.org/actorgraph/actor/hamas> ." in result.stdout.splitlines()
    )


def test_query_reads_a_file_or_standard_input(built_mini, run, tmp_path):
    file = tmp_path / "count.rq"
    file.write_text("SELECT (COUNT(*) AS ?claims) WHERE { ?c a <https://w3id.org/actorgraph/ns#Claim> }\n")
    assert run("query", str(file), "--format", "csv").stdout_bytes == b"claims\r\n5\r\n"
    piped = run("query", "-", "--format", "tsv", input="ASK { ?s ?p ?o }")
    assert piped.stdout == "?boolean\ntrue\n"


def test_both_engines_answer_alike(built_mini, run):
    for name in ("who-supports", "claims-per-relation", "people"):
        assert (
            run("query", name, "--format", "json").stdout
            == run("query", name, "--format", "json", "--engine", "rdflib").stdout
        )


def test_list_names_titles_and_parameters(built_mini, run):
    lines = run("query", "--list").stdout.splitlines()
    assert "who-supports         Who supports an actor  [target=hamas]" in lines
    assert "claims-between       Claims between two actors  [a=russia b=hamas]" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["who-suports"],
            "Error: No query named 'who-suports'. Did you mean 'who-supports'? Run 'actorgraph query --list'.\n",
        ),
        (
            ["who-supports", "-p", "target=Hamass"],
            "Error: No actor named 'Hamass'. Did you mean 'hamas'? Run 'actorgraph query actors' for the list.\n",
        ),
        (
            ["who-supports", "-p", "targt=hamas"],
            "Error: This query has no parameter 'targt'. Did you mean 'target'? Its parameters: target.\n",
        ),
        (["who-supports", "-p", "target"], "Error: Write parameters as NAME=VALUE, not 'target'.\n"),
        (
            ["does-support", "--format", "turtle"],
            "Error: a ask result cannot be written as turtle; use --format table\n",
        ),
        ([], "Error: Name a query, a .rq file or - for standard input. Run 'actorgraph query --list'.\n"),
    ],
)
def test_query_mistakes_get_one_line_and_exit_2(built_mini, run, args, message):
    result = run("query", *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_a_syntax_error_shows_file_line_and_column(built_mini, run, tmp_path):
    file = tmp_path / "broken.rq"
    file.write_text("SELECT ?s\nWHERE {\n  ?s ?p\n}\n")
    result = run("query", str(file))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {file}:3:3: SPARQL syntax error: unexpected '?s'",
        "    ?s ?p",
        "    ^",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed: queries run on this graph only",
        ),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "FROM and FROM NAMED are not allowed"),
        ("LOAD <http://example.org/data.ttl>", "updates are not allowed: this graph is read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "updates are not allowed: this graph is read-only"),
    ],
)
def test_queries_cannot_reach_out_or_change_the_graph(built_mini, run, tmp_path, text, message):
    file = tmp_path / "bad.rq"
    file.write_text(text)
    for engine in ("oxigraph", "rdflib"):
        result = run("query", str(file), "--engine", engine)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {message}")


def test_query_before_build_says_to_build(sources: Path, run):
    result = run("query", "--queries", str(PROJECT / "queries"), "who-supports")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: no query store in exports/ — run 'actorgraph build' first\n",
    )


def test_max_rows_stops_early(built_mini, run):
    result = run("query", "timeline", "--max-rows", "2", "--format", "csv")
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == "Stopped at 2 rows (--max-rows).\n"


def test_the_projects_prefixes_need_no_declaration(built_mini, run):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a ag:Claim ; rdf:predicate rel:supports }"
    for engine in ("oxigraph", "rdflib"):
        piped = run("query", "-", "--format", "csv", "--engine", engine, input=query)
        assert piped.stdout_bytes == b"n\r\n1\r\n"
