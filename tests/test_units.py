"""Sources compile one folder at a time: a rebuild re-compiles only what changed, in parallel when there is much."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph import load
from graph.graph_files import GraphFiles, write_graph
from graph.load import Loaded, read_sources
from graph.named_graphs import NamedGraph, in_memory
from graph.spans import FileChanged
from graph.synthetic import synthetic_corpus, write_sources
from tests.conftest import edit


def texts(loaded: Loaded) -> list[NamedGraph]:
    """The named graphs read, with their texts (those taken from the cache are left there)."""
    return [*map(in_memory, loaded.graphs)]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the source folders compiled (not taken from the cache), in order."""
    names: list[str] = []
    original = load._compile_folder

    def counting(folder: Path, registry):
        names.append(folder.name)
        return original(folder, registry)

    monkeypatch.setattr(load, "_compile_folder", counting)
    return names


def test_a_rebuild_compiles_only_the_edited_source_and_gives_the_same_graph(sources: Path, tmp_path, compiled):
    cache = tmp_path / "cache"
    first = read_sources(sources, cache)
    assert compiled == ["src-a", "src-b"]
    edit(sources / "src-b/source.yaml", 'title: "', 'title: "Edited ')
    compiled.clear()
    again = read_sources(sources, cache)
    assert compiled == ["src-b"]
    assert again.problems == []
    assert texts(again) == texts(read_sources(sources))
    assert again.corpus.claims == first.corpus.claims
    assert again.corpus.sources[0] == first.corpus.sources[0]
    assert "Edited" in again.corpus.sources[1].title


def test_the_actors_and_relations_are_read_again_only_when_they_change(sources: Path, tmp_path, monkeypatch):
    cache, read = tmp_path / "cache", []
    original = load._compile_registry
    monkeypatch.setattr(load, "_compile_registry", lambda *args: read.append(1) or original(*args))
    first = read_sources(sources, cache)
    edit(sources / "src-b/source.yaml", 'title: "', 'title: "Edited ')
    again = read_sources(sources, cache)
    assert len(read) == 1
    assert again.corpus.actors == first.corpus.actors and again.corpus.relations == first.corpus.relations
    assert in_memory(again.graphs[0]) == in_memory(first.graphs[0])  # the registry's named graph
    edit(sources / "actors.yaml", "label: ", "label: Edited ")
    assert read_sources(sources, cache).corpus.actors[0].label.startswith("Edited ")
    assert len(read) == 2


def test_editing_the_actors_recompiles_every_source(sources: Path, tmp_path, compiled):
    cache = tmp_path / "cache"
    read_sources(sources, cache)
    (sources / "actors.yaml").write_text((sources / "actors.yaml").read_text("utf-8") + "\n", "utf-8")
    compiled.clear()
    read_sources(sources, cache)
    assert compiled == ["src-a", "src-b"]


def _without_its_source(entry: str) -> str:
    head, graph = entry.split("\n", 1)
    fields = json.loads(head)
    del fields["unit"]["source"]  # the right key, a field missing
    return json.dumps(fields) + "\n" + graph


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: '{"key": "',  # not JSON
        lambda entry: entry[:-10],  # the head intact, the graph's text not all there
        _without_its_source,
    ],
    ids=["damaged", "cut-short", "missing-field"],
)
def test_an_unreadable_cache_entry_is_compiled_again(sources: Path, tmp_path, compiled, damage):
    cache = tmp_path / "cache"
    expected = texts(read_sources(sources, cache))
    entry = cache / "src-a.unit"
    entry.write_text(damage(entry.read_text("utf-8")), "utf-8")
    compiled.clear()
    assert texts(read_sources(sources, cache)) == expected
    assert compiled == ["src-a"]


def test_a_source_with_problems_is_never_cached_and_reported_each_time(sources: Path, tmp_path, compiled):
    cache = tmp_path / "cache"
    edit(sources / "src-b/claims.yaml", "subject: ", "subject: nobody-")
    for _ in range(2):
        loaded = read_sources(sources, cache)
        assert any("unknown actor 'nobody-" in problem.message for problem in loaded.problems)
    assert compiled == ["src-a", "src-b", "src-b"]
    assert sorted(path.name for path in cache.iterdir()) == ["_registry.unit", "src-a.unit"]


def test_a_removed_source_leaves_the_cache(sources: Path, tmp_path):
    cache = tmp_path / "cache"
    read_sources(sources, cache)
    for path in (sources / "src-b").iterdir():
        path.unlink()
    (sources / "src-b").rmdir()
    (cache / "src-a.json").write_text("{}", "utf-8")  # an entry in the format of an older version
    read_sources(sources, cache)
    assert sorted(path.name for path in cache.iterdir()) == ["_registry.unit", "src-a.unit"]


def test_worker_processes_compile_and_cache_the_same_graph_as_one_process(tmp_path, monkeypatch, compiled):
    relations = read_sources(Path(__file__).parent / "data/mini").corpus.relations
    write_sources(synthetic_corpus(relations, 400), tmp_path / "sources")
    monkeypatch.setattr(load, "PARALLEL_FROM", 2)
    alone = read_sources(tmp_path / "sources", workers=1)
    together = read_sources(tmp_path / "sources", tmp_path / "cache", workers=2)
    assert together.problems == alone.problems == []
    assert texts(together) == texts(alone)
    assert together.corpus == alone.corpus
    compiled.clear()
    again = read_sources(tmp_path / "sources", tmp_path / "cache", workers=2)  # what the workers cached
    assert compiled == []
    assert texts(again) == texts(alone) and again.corpus == alone.corpus


def test_actors_with_problems_are_never_cached(sources: Path, tmp_path):
    cache = tmp_path / "cache"
    edit(sources / "actors.yaml", "label: ", "lable: ")
    for _ in range(2):
        assert any("unknown field 'lable'" in problem.message for problem in read_sources(sources, cache).problems)
    assert not (cache / "_registry.unit").exists()


def test_a_failure_while_the_workers_compile_drops_the_chunks_not_yet_started(tmp_path, monkeypatch):
    relations = read_sources(Path(__file__).parent / "data/mini").corpus.relations
    write_sources(synthetic_corpus(relations, 400), tmp_path / "sources")
    monkeypatch.setattr(load, "PARALLEL_FROM", 2)

    def failing(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(load, "_registry_unit", failing)  # made in the parent once every chunk is sent
    with pytest.raises(OSError, match="No space"):
        read_sources(tmp_path / "sources", tmp_path / "cache", workers=2)
    sources = len([path for path in (tmp_path / "sources").iterdir() if path.is_dir()])
    cached = len(list((tmp_path / "cache").glob("*.unit")))
    assert cached < sources  # 8 chunks: at most those the two workers had started or queued


def test_the_graph_files_copy_the_cached_texts_in_the_kernel_or_through_memory_alike(
    sources: Path, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    read_sources(sources, cache)
    cached = read_sources(sources, cache).graphs  # every graph's texts left in the cache
    written = {}
    for how in ("in memory", "in the kernel", "through memory"):
        if how == "through memory":
            monkeypatch.delattr(os, "copy_file_range", raising=False)
        files = GraphFiles.in_folder(tmp_path / how.replace(" ", "-"))
        files.ntriples.parent.mkdir()
        parts = write_graph(read_sources(sources).graphs if how == "in memory" else cached, files)
        written[how] = parts, [path.read_bytes() for path in (files.ntriples, files.trig, files.turtle, files.jsonld)]
    assert written["in the kernel"] == written["in memory"] == written["through memory"]


def test_a_cache_entry_replaced_after_it_was_read_is_not_copied_into_the_graph(sources: Path, tmp_path):
    cache = tmp_path / "cache"
    read_sources(sources, cache)
    loaded = read_sources(sources, cache)
    edit(sources / "src-b/source.yaml", 'title: "', 'title: "Edited ')
    read_sources(sources, cache)  # as another build would: src-b's entry is replaced
    with pytest.raises(FileChanged, match="src-b.unit changed while this build read it"):
        write_graph(loaded.graphs, GraphFiles.temporary())
