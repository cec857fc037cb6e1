"""Each build makes the next store: a copy of the current one with only what changed, or loaded from scratch."""

from __future__ import annotations

import errno
import os
import random
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import build, pipeline
from graph import store_versions as versions
from graph.store_versions import current_store, triples_beside
from graph.vocab import PREFIX_IRIS
from tests.conftest import edit

ALLEGED = "certainty: alleged\n  said_by: dmitry-medvedev"
ASSERTED = "certainty: asserted"


def _store_triples(exports: Path) -> set[str]:
    store = ox.Store.read_only(str(current_store(exports)))
    return {f"{quad.triple} .\n" for quad in store}


def _graph_nt(exports: Path) -> set[str]:
    return set((exports / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The store directories loaded from scratch (not copied from the current store and updated)."""
    loaded: list[Path] = []
    original = versions._load

    def counting(ntriples: str, directory: Path) -> ox.Store:
        loaded.append(directory)
        return original(ntriples, directory)

    monkeypatch.setattr(versions, "_load", counting)
    return loaded


def test_a_rebuild_after_an_edit_updates_a_copy_of_the_store_to_the_new_graph(sources: Path, tmp_path, loads):
    exports = tmp_path / "exports"
    build(sources, exports)
    first = current_store(exports)
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)  # Ukraine now plainly supplies arms to Hamas
    build(sources, exports)
    assert loads == [first]
    assert current_store(exports) != first and not first.exists() and not triples_beside(first).exists()
    assert _store_triples(exports) == _graph_nt(exports)
    ask = "ASK { actor:ukraine rel:supplies-arms-to actor:hamas }"
    assert ox.Store.read_only(str(current_store(exports))).query(ask, prefixes=PREFIX_IRIS)


def test_a_rebuild_that_changes_too_much_loads_from_scratch(sources: Path, tmp_path, loads, monkeypatch):
    exports = tmp_path / "exports"
    build(sources, exports)
    monkeypatch.setattr(versions, "CHANGED_AT_MOST", 0.0)
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)
    build(sources, exports)
    assert len(loads) == 2
    assert _store_triples(exports) == _graph_nt(exports)


def test_a_store_without_its_ntriples_is_not_copied(sources: Path, tmp_path, loads):
    exports = tmp_path / "exports"
    build(sources, exports)
    triples_beside(current_store(exports)).unlink()
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)
    build(sources, exports)
    assert len(loads) == 2
    assert _store_triples(exports) == _graph_nt(exports)


def test_a_store_without_the_record_of_where_its_measures_start_is_still_updated(sources: Path, tmp_path, loads):
    exports = tmp_path / "exports"
    build(sources, exports)
    first = current_store(exports)
    first.with_name(first.name + ".sources-end").unlink()  # as a store made before the record was
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)  # the measures change too
    build(sources, exports)
    assert loads == [first]
    assert _store_triples(exports) == _graph_nt(exports)
    assert triples_beside(current_store(exports)).read_bytes() == (exports / "graph.nt").read_bytes()


def test_a_store_loaded_from_scratch_keeps_graph_nt_itself_beside_it_not_a_copy(sources: Path, tmp_path, loads):
    exports = tmp_path / "exports"
    build(sources, exports)
    assert len(loads) == 1
    assert triples_beside(current_store(exports)).stat().st_ino == (exports / "graph.nt").stat().st_ino
    assert _store_triples(exports) == _graph_nt(exports)


def test_graph_nt_does_not_grow_while_the_next_store_reads_it(sources: Path, tmp_path, monkeypatch):
    sizes: list[tuple[int, int]] = []
    start = pipeline.start_next_store

    def slow_start(ntriples: Path, sources_end: int, exports: Path) -> versions.NextStore:
        time.sleep(0.5)  # the measures of these sources are made well within that
        started = start(ntriples, sources_end, exports)
        sizes.append((ntriples.stat().st_size, sources_end))
        return started

    monkeypatch.setattr(pipeline, "start_next_store", slow_start)
    build(sources, tmp_path / "exports")
    assert sizes and sizes[0][0] == sizes[0][1]
    assert _store_triples(tmp_path / "exports") == _graph_nt(tmp_path / "exports")


def test_an_updated_store_keeps_graph_nt_itself_beside_it_not_a_copy(sources: Path, tmp_path):
    exports = tmp_path / "exports"
    build(sources, exports)
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)
    build(sources, exports)
    assert triples_beside(current_store(exports)).stat().st_ino == (exports / "graph.nt").stat().st_ino
    assert _store_triples(exports) == _graph_nt(exports)


def test_graph_nt_edited_in_place_is_not_taken_for_what_the_store_holds(sources: Path, tmp_path, loads):
    exports = tmp_path / "exports"
    build(sources, exports)
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)
    build(sources, exports)  # graph.nt is now the file beside the store
    edit(sources / "src-a/claims.yaml", ASSERTED, ALLEGED)
    build(sources, tmp_path / "preview")
    gone = sorted(_graph_nt(exports) - _graph_nt(tmp_path / "preview"))[0]  # a line the next build drops
    graph_nt = exports / "graph.nt"
    text = graph_nt.read_bytes().replace(gone.encode(), b"")
    with open(graph_nt, "r+b") as file:  # someone deletes that line from the export, in place
        file.write(text)
        file.truncate()
    build(sources, exports)
    assert len(loads) == 3  # the first build's, the preview's and this one's: not an update of a wrong baseline
    assert _store_triples(exports) == _graph_nt(exports)


def test_where_files_cannot_be_hard_linked_the_store_keeps_a_copy(sources: Path, tmp_path, monkeypatch, loads):
    monkeypatch.setattr(os, "link", _refused)
    exports = tmp_path / "exports"
    build(sources, exports)
    edit(sources / "src-a/claims.yaml", ALLEGED, ASSERTED)
    build(sources, exports)
    beside = triples_beside(current_store(exports))
    assert len(loads) == 1
    assert beside.stat().st_ino != (exports / "graph.nt").stat().st_ino
    assert beside.read_bytes() == (exports / "graph.nt").read_bytes()
    assert _store_triples(exports) == _graph_nt(exports)


def _refused(*args):
    raise OSError(errno.EXDEV, "Invalid cross-device link")


@pytest.mark.parametrize("copy_file_range", [None, _refused], ids=["absent", "refused"])
def test_the_store_is_made_where_the_kernel_cannot_copy_part_of_a_file(
    sources: Path, tmp_path, monkeypatch, copy_file_range
):
    if copy_file_range is None:
        monkeypatch.delattr(os, "copy_file_range", raising=False)  # not on macOS, for one
    else:
        monkeypatch.setattr(os, "copy_file_range", copy_file_range, raising=False)  # some file systems
    exports = tmp_path / "exports"
    build(sources, exports)
    assert _store_triples(exports) == _graph_nt(exports)
    assert triples_beside(current_store(exports)).read_bytes() == (exports / "graph.nt").read_bytes()


@pytest.mark.parametrize("in_files", [False, True])
def test_changed_lines_agree_with_comparing_every_line(monkeypatch, tmp_path, in_files: bool):
    monkeypatch.setattr(versions, "_COMPARED", 4)  # small chunks: the shared start and end are found in steps
    monkeypatch.setattr(versions, "_SCANNED", 2)  # and newlines looked for in files two bytes at a time
    rng = random.Random(3)
    for _ in range(3000 if not in_files else 300):
        old = list(dict.fromkeys(rng.choice("abcdefg") * rng.randint(1, 3) + "\n" for _ in range(rng.randint(0, 8))))
        new = list(old)
        for _ in range(rng.randint(0, 3)):
            if rng.random() < 0.5 and new:
                new.pop(rng.randrange(len(new)))
            else:
                new.insert(rng.randint(0, len(new)), rng.choice("abcxyz") * rng.randint(1, 3) + "\n")
        new = list(dict.fromkeys(new))
        old, new = [line.encode() for line in old], [line.encode() for line in new]
        expected = (sorted(set(old) - set(new)), sorted(set(new) - set(old)))
        assert _changed_lines(b"".join(old), b"".join(new), tmp_path if in_files else None) == expected, (old, new)


def _changed_lines(old: bytes, new: bytes, folder: Path | None):
    """changed_lines of two texts, or of the same texts written into files in ``folder``."""
    if folder is None:
        return versions.changed_lines(old, new)
    (folder / "old").write_bytes(old)
    (folder / "new").write_bytes(new)
    with open(folder / "old", "rb") as old_file, open(folder / "new", "rb") as new_file:
        return versions.changed_lines(versions.FileText(old_file), versions.FileText(new_file))
