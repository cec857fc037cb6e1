"""A rebuild after an edit the analysis does not read takes the analysis from the memo; any other edit analyses again."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import networkx as nx
import pytest

from graph import build, pipeline
from graph.analysis import Analysis, analyse, analysis_graph
from graph.analysis_memo import MEMO_FILE, signing_key_file
from graph.load import load_corpus
from graph.model import Corpus
from graph.synthetic import synthetic_corpus
from tests.conftest import MINI, PROJECT, edit


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per analysis a build works out (not taken from the memo)."""
    done: list[int] = []
    original = pipeline.analyse
    monkeypatch.setattr(pipeline, "analyse", lambda corpus: done.append(1) or original(corpus))
    return done


def _exported(exports: Path) -> dict[str, bytes]:
    return {name: (exports / name).read_bytes() for name in ("analysis.md", "analysis.json", "graph.nt", "graph.trig")}


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("src-b/source.yaml", 'title: "', 'title: "Edited '),
        ("src-b/claims.yaml", "  note: A made-up reading", "  note: An edited reading"),
        ("src-a/source.yaml", "publisher: ", "publisher: Edited "),
    ],
)
def test_a_rebuild_after_an_edit_the_analysis_does_not_read_takes_it_from_the_memo(
    sources: Path, analyses, file, old, new
):
    exports = sources.parent / "exports"
    build(sources, exports)
    before = _exported(exports)
    edit(sources / file, old, new)
    build(sources, exports)
    assert analyses == [1]
    assert _exported(exports) == _exported(_fresh_build(sources))  # the edit shows, the measures are the same
    assert _exported(exports)["graph.trig"] != before["graph.trig"]


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("src-b/claims.yaml", "certainty: denied", "certainty: asserted"),
        ("src-b/source.yaml", "date: 2024-07-15", "date: 2024-07-16"),
        ("actors.yaml", "label: ", "label: Edited "),
    ],
)
def test_an_edit_the_analysis_reads_analyses_again(sources: Path, analyses, file, old, new):
    exports = sources.parent / "exports"
    build(sources, exports)
    edit(sources / file, old, new)
    build(sources, exports)
    assert analyses == [1, 1]
    assert _exported(exports) == _exported(_fresh_build(sources))


def test_a_memo_not_signed_with_the_users_key_is_never_unpickled(sources: Path, analyses, tmp_path):
    exports = sources.parent / "exports"
    build(sources, exports)
    memo = exports / ".cache" / MEMO_FILE
    header = memo.read_bytes().split(b"\n", 1)[0] + b"\n"
    marker = tmp_path / "ran"
    memo.write_bytes(header + bytes(32) + pickle.dumps(_Runs(marker)))  # as if copied from someone else's exports
    edit(sources / "src-b/source.yaml", 'title: "', 'title: "Edited ')
    build(sources, exports)
    assert not marker.exists()
    assert analyses == [1, 1]
    assert _exported(exports) == _exported(_fresh_build(sources))


def test_another_users_key_makes_the_memo_stale(sources: Path, analyses, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    exports = sources.parent / "exports"
    build(sources, exports)
    signing_key_file().write_bytes(bytes(range(32)))
    build(sources, exports)
    build(sources, exports)
    assert analyses == [1, 1]


def test_without_a_key_every_build_analyses(sources: Path, analyses, tmp_path, monkeypatch):
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    exports = sources.parent / "exports"
    build(sources, exports)
    build(sources, exports)
    assert analyses == [1, 1]
    assert not (exports / ".cache" / MEMO_FILE).exists()


@pytest.mark.parametrize(
    "corpus",
    [load_corpus(PROJECT / "sources"), load_corpus(MINI), synthetic_corpus(load_corpus(MINI).relations, 3000)],
    ids=["curated", "mini", "synthetic"],
)
def test_the_analysis_reads_nothing_the_memo_key_leaves_out(corpus: Corpus):
    """What analysis_key omits (quotes, notes, quote lines; sources' titles, texts and the rest) changes no measure."""
    other = Corpus(
        corpus.relations,
        corpus.actors,
        tuple(
            dataclasses.replace(
                source,
                title="T",
                title_supplied=True,
                publisher="P",
                author="A",
                url="u",
                language="xx",
                date_note="n",
                original_file="f",
                text="text",
            )
            for source in corpus.sources
        ),
        tuple(dataclasses.replace(claim, quote="q", note="n", quote_line=7) for claim in corpus.claims),
    )
    first, second = analyse(corpus), analyse(other)
    assert _measures(first) == _measures(second)
    assert analysis_graph(first) == analysis_graph(second)


def _measures(analysis: Analysis) -> dict[str, object]:
    fields = {field.name: getattr(analysis, field.name) for field in dataclasses.fields(analysis)}
    del fields["corpus"]
    fields["ties"] = sorted(nx.to_edgelist(fields["ties"]))
    return fields


def _fresh_build(sources: Path) -> Path:
    exports = sources.parent / "fresh"
    build(sources, exports)
    return exports


class _Runs:
    """Unpickled, it would create a file: a stand-in for code a forged memo would run."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))
