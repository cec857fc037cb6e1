"""`actorgraph build` writes every export deterministically, atomically and readably by other tools."""

from __future__ import annotations

import csv
import gc
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph import EXPORTS, build, check, pipeline, validation
from graph.analysis import analysis_graph
from graph.errors import GraphInvalid
from graph.export import staged_exports
from graph.rdf import corpus_nquads
from graph.vocab import ANALYSIS_GRAPH, GRAPH, PREFIX_IRIS, REGISTRY_GRAPH
from tests.conftest import DATA, MINI, PROJECT, edit

GOLDEN = DATA / "golden"
RDF_FORMATS = {"graph.ttl": "turtle", "graph.trig": "trig", "graph.nt": "ntriples"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    build(MINI, folder)
    return folder


@pytest.fixture(scope="module")
def built():
    return check(MINI)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_match_the_golden_files(exports: Path, name: str):
    produced = (exports / name).read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_bytes(produced)
    assert produced == (GOLDEN / name).read_bytes(), f"{name} changed; if intended, run UPDATE_GOLDEN=1 make test"


def test_build_writes_the_exports_and_the_query_store(exports: Path):
    store = exports / "store"
    assert sorted(path.name for path in exports.iterdir() if not path.name.startswith(".")) == sorted(
        [*EXPORTS, "store"]
    )
    assert store.is_symlink() and store.resolve().is_dir()
    current = store.resolve().name
    assert sorted(path.name for path in exports.glob(".store-*")) == [
        current,
        f"{current}.nt",
        f"{current}.sources-end",
    ]
    assert (exports / f"{current}.nt").read_bytes() == (exports / "graph.nt").read_bytes()  # what serve loads


def test_the_built_graph_build_returns_reads_the_exports(tmp_path: Path):
    built, _ = build(MINI, tmp_path)
    assert built.ntriples == (tmp_path / "graph.nt").read_text(encoding="utf-8")
    assert built.triple_count == built.ntriples.count("\n") == len(built.graph)
    assert len(list(built.dataset.quads())) == len(
        list(Dataset().parse(tmp_path / "graph.trig", format="trig").quads())
    )


def test_a_checked_graph_is_written_to_temporary_files_removed_with_it():
    built = check(MINI)
    folder = built.files.ntriples.parent
    assert built.ntriples.count("\n") == built.triple_count and built.files.trig.stat().st_size > 0
    del built
    gc.collect()
    assert not folder.exists()


@pytest.mark.parametrize(
    ("name", "rdf_format"), [("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")]
)
def test_rdf_exports_parse_back_to_the_same_graph(exports: Path, built, name: str, rdf_format: str):
    text = (exports / name).read_text(encoding="utf-8")
    assert isomorphic(Graph().parse(data=text, format=rdf_format), built.graph)


def test_trig_keeps_one_named_graph_per_source(exports: Path, built):
    dataset = Dataset()
    dataset.parse(data=(exports / "graph.trig").read_text(encoding="utf-8"), format="trig")
    names = {graph.identifier for graph in dataset.graphs() if len(graph)}
    assert names == {REGISTRY_GRAPH, ANALYSIS_GRAPH, GRAPH["src-a"], GRAPH["src-b"]}
    for name in names:
        assert isomorphic(dataset.graph(name), built.dataset.graph(name))


def test_trig_is_what_oxigraph_writes_for_the_whole_dataset_at_once(exports: Path, built):
    nquads = corpus_nquads(built.corpus) + analysis_graph(built.analysis).nquads
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    whole = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS)
    assert (exports / "graph.trig").read_bytes() == whole  # though made from each graph's block, cached per source


def _rapper() -> str:
    found = shutil.which("rapper")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (Debian's raptor2-utils) is missing; .ci/run installs it")
        pytest.skip("rapper (Debian's raptor2-utils) is not installed")
    return found


@pytest.mark.parametrize(("name", "parser"), sorted(RDF_FORMATS.items()))
def test_an_independent_parser_accepts_the_rdf_exports(exports: Path, built, name: str, parser: str):
    result = subprocess.run(
        [_rapper(), "--count", "--input", parser, str(exports / name), "https://w3id.org/actorgraph/"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = len(list(built.dataset.quads())) if name == "graph.trig" else len(built.graph)
    assert f"returned {expected} triples" in result.stderr


def test_oxigraph_reads_the_jsonld_as_the_same_triples(exports: Path):
    from_jsonld = {str(triple) for triple in ox.parse(path=str(exports / "graph.jsonld"), format=ox.RdfFormat.JSON_LD)}
    from_ntriples = {str(triple) for triple in ox.parse(path=str(exports / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert from_jsonld == from_ntriples


def test_claims_csv_has_one_row_per_claim_with_quote_and_source(exports: Path, built):
    rows = list(csv.DictReader(io.StringIO((exports / "claims.csv").read_text(encoding="utf-8"), newline="")))
    assert [row["claim_id"] for row in rows] == sorted(claim.id for claim in built.corpus.claims)
    medvedev = rows[1]
    assert medvedev["subject"] == "Ukraine"
    assert medvedev["relation"] == "supplies-arms-to"
    assert medvedev["certainty"] == "alleged"
    assert medvedev["said_by"] == "dmitry-medvedev"
    assert medvedev["quote"].startswith("Medvedev even alleged")
    assert medvedev["source_id"] == "src-a"
    assert medvedev["date"] == "2023-11-11"


def test_graphml_has_actors_as_nodes_and_claims_as_edges(exports: Path, built):
    graph = nx.read_graphml(exports / "actors.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == len(built.corpus.actors)
    assert graph.number_of_edges() == len(built.corpus.claims)
    edge = graph.edges["ukraine", "hamas", "a-02"]
    assert (edge["relation"], edge["certainty"], edge["sign"]) == ("supplies-arms-to", "alleged", 1)
    assert graph.nodes["vladimir-putin"]["type"] == "person"


def test_two_builds_write_identical_bytes_whatever_the_hash_seed(tmp_path: Path):
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        subprocess.run(
            [sys.executable, "-m", "graph", "build", "--sources", str(MINI), "--exports", str(folder)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=PROJECT,
            check=True,
            capture_output=True,
        )
        exported = [path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")]
        outputs.append({path.name: path.read_bytes() for path in exported})
    assert outputs[0] == outputs[1]


@pytest.fixture
def old_exports(sources: Path) -> dict[str, bytes]:
    folder = sources.parent / "exports"
    folder.mkdir()
    for name in EXPORTS:
        (folder / name).write_bytes(b"previous build\n")
    return {name: b"previous build\n" for name in EXPORTS}


def _exports_now(sources: Path) -> dict[str, bytes]:
    """The export files (the query store aside, which a build loads before writing them)."""
    folder = sources.parent / "exports"
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file() and path.name in EXPORTS}


def _temporary_files(sources: Path) -> list[str]:
    return [path.name for path in (sources.parent / "exports").glob(".*.tmp")]


def test_a_build_with_problems_leaves_the_previous_exports(sources: Path, old_exports, run):
    edit(sources / "src-a/claims.yaml", "relation: supports", "relation: suports")
    assert run("build").exit_code == 1
    assert _exports_now(sources) == old_exports


@pytest.mark.parametrize("failing", [1, 3, len(EXPORTS)])
def test_a_build_that_cannot_write_leaves_the_previous_exports_whole(
    sources: Path, old_exports, run, monkeypatch, failing: int
):
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot write the exports into exports/: No space left on device\n"
    assert _exports_now(sources) == old_exports  # no file replaced
    assert _temporary_files(sources) == []
    assert list((sources.parent / "exports").glob(".store-*")) == []  # no store left loaded


def test_a_build_that_fails_while_rendering_writes_nothing(sources: Path, old_exports, monkeypatch):
    def broken(corpus, path, network=None):
        raise RuntimeError("renderer crashed")

    monkeypatch.setitem(pipeline.FROM_THE_CORPUS, "graph.html", broken)  # made during the validation or after it
    exports = sources.parent / "exports"
    with pytest.raises(RuntimeError):
        build(sources, exports)
    assert _exports_now(sources) == old_exports
    assert list(exports.glob("*store*")) == [exports / ".store.lock"]  # the store loaded alongside was discarded


def test_each_export_not_yet_staged_is_written_once(built, monkeypatch, tmp_path: Path):
    made: list[str] = []

    def counting(name, make):
        def counted(built, path):
            made.append(name)
            return make(built, path)

        return counted

    monkeypatch.setattr(pipeline, "EXPORTS", {name: counting(name, make) for name, make in EXPORTS.items()})
    with staged_exports(tmp_path) as staged:
        staged.write("graph.html", b"made while the graph was validated")
        pipeline.make_exports(built, staged)
        assert sorted(made) == sorted(set(EXPORTS) - {"graph.html"})
        assert sorted(target.name for _, target in staged.pending) == sorted(EXPORTS)


@pytest.fixture
def slow_validation(monkeypatch, tmp_path: Path) -> list[str]:
    """Validation that takes a while and records, when it ends, which exports of the corpus or its analysis were made
    by then, and by which process (the writers note it in a file: a child process's lists are its own)."""
    made = tmp_path / "made.log"
    made.touch()
    test_process = os.getpid()
    made_before_it_ended: list[str] = []
    validated = pipeline.violations_in_parts

    def slow(*args):
        time.sleep(1.0)
        made_before_it_ended.extend(made.read_text().split())
        return validated(*args)

    def counting(name, write):
        def counted(made_from, path, **made_with):
            with made.open("a") as log:
                log.write(f"{name}@{'here' if os.getpid() == test_process else 'child'} ")
            return write(made_from, path, **made_with)

        return counted

    monkeypatch.setattr(pipeline, "violations_in_parts", slow)
    for exports in ("FROM_THE_CORPUS", "FROM_THE_ANALYSIS"):
        counted = {name: counting(name, make) for name, make in getattr(pipeline, exports).items()}
        monkeypatch.setattr(pipeline, exports, counted)
    return made_before_it_ended


def test_build_writes_the_corpus_exports_in_a_child_and_the_analysis_ones_while_the_graph_is_validated(
    sources: Path, slow_validation, exports
):
    folder = sources.parent / "exports"
    build(sources, folder)
    assert sorted(slow_validation) == sorted(
        [
            *(f"{name}@child" for name in pipeline.FROM_THE_CORPUS),
            *(f"{name}@here" for name in pipeline.FROM_THE_ANALYSIS),
        ]
    )
    for name in EXPORTS:
        assert (folder / name).read_bytes() == (exports / name).read_bytes(), name
    assert _temporary_files(sources) == []


def test_with_another_python_thread_running_the_corpus_exports_are_written_here(
    sources: Path, slow_validation, exports
):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        build(sources, sources.parent / "exports")
    finally:
        stop.set()
        other.join()
    assert sorted(slow_validation) == sorted(
        f"{name}@here" for name in [*pipeline.FROM_THE_CORPUS, *pipeline.FROM_THE_ANALYSIS]
    )
    for name in EXPORTS:
        assert (sources.parent / "exports" / name).read_bytes() == (exports / name).read_bytes(), name


def test_a_graph_that_does_not_conform_leaves_the_previous_exports_and_no_temporary_files(
    sources: Path, old_exports, slow_validation, monkeypatch
):
    validated = pipeline.violations_in_parts
    monkeypatch.setattr(pipeline, "violations_in_parts", lambda *args: [*validated(*args), "a violation"])
    with pytest.raises(GraphInvalid):
        build(sources, sources.parent / "exports")
    assert slow_validation, "the corpus exports were written before the violation was found"
    assert _exports_now(sources) == old_exports
    assert _temporary_files(sources) == []
    assert list((sources.parent / "exports").glob(".store-*")) == []  # the store started meanwhile was discarded


@pytest.fixture
def validated_graphs(monkeypatch) -> list[list[int]]:
    """Which graphs each build validates (by index: the registry's is 0, then the sources' in order)."""
    validations: list[list[int]] = []
    validate = pipeline.violations_in_parts

    def recorded(ntriples, parts, wanted):
        validations.append(list(wanted))
        return validate(ntriples, parts, wanted)

    monkeypatch.setattr(pipeline, "violations_in_parts", recorded)
    return validations


def test_a_rebuild_validates_only_the_sources_that_changed(sources: Path, validated_graphs, monkeypatch):
    exports = sources.parent / "exports"
    folders = sorted(path.name for path in sources.iterdir() if path.is_dir())
    build(sources, exports)
    edited = sources / folders[1] / "source.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build(sources, exports)
    build(sources, exports)
    monkeypatch.setattr(validation, "shapes_version", lambda: "other shapes")
    build(sources, exports)
    everything = list(range(len(folders) + 1))
    assert validated_graphs == [everything, [2], [], everything]


def test_a_source_that_failed_validation_is_validated_again(sources: Path, validated_graphs, monkeypatch):
    exports = sources.parent / "exports"
    build(sources, exports)
    edited = next(path for path in sorted(sources.iterdir()) if path.is_dir()) / "source.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(validation, "violations", lambda store: ["a violation"])
        with pytest.raises(GraphInvalid):
            build(sources, exports)
    build(sources, exports)
    assert validated_graphs[1:] == [[1], [1]]


def test_the_graph_files_other_than_the_n_triples_are_written_while_the_graph_is_validated(
    sources: Path, monkeypatch, tmp_path: Path
):
    events = tmp_path / "events"  # a file: the formats may be written by a forked child process
    events.touch()
    validate, write = pipeline.violations_in_parts, pipeline.write_other_formats

    def slow_validation(*args):
        waited = time.monotonic() + 30  # long enough for any build of these sources to get there
        while not events.read_text() and time.monotonic() < waited:
            time.sleep(0.01)
        with events.open("a") as file:
            file.write("validated\n")
        return validate(*args)

    def writing(*args):
        write(*args)
        with events.open("a") as file:
            file.write("TriG, Turtle and JSON-LD written\n")

    monkeypatch.setattr(pipeline, "violations_in_parts", slow_validation)
    monkeypatch.setattr(pipeline, "write_other_formats", writing)
    build(sources, sources.parent / "exports")
    assert events.read_text().splitlines() == ["TriG, Turtle and JSON-LD written", "validated"]


def test_the_next_store_loads_the_sources_and_then_the_measures_while_the_graph_is_validated(
    sources: Path, monkeypatch
):
    events: list[str] = []
    store_finished = threading.Event()
    validate, start, finish = pipeline.violations_in_parts, pipeline.start_next_store, pipeline.finish_next_store

    def slow_validation(*args):
        store_finished.wait(timeout=30)  # long enough for any build of these sources to get there
        events.append("validated")
        return validate(*args)

    def starting(*args):
        events.append("store started")
        return start(*args)

    def finishing(*args):
        events.append("measures added to the store")
        store_finished.set()
        return finish(*args)

    monkeypatch.setattr(pipeline, "violations_in_parts", slow_validation)
    monkeypatch.setattr(pipeline, "start_next_store", starting)
    monkeypatch.setattr(pipeline, "finish_next_store", finishing)
    build(sources, sources.parent / "exports")
    assert events == ["store started", "measures added to the store", "validated"]
