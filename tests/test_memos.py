"""A rebuild after an edit the analysis and the page's network do not read takes them from memos; others make them."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import networkx as nx
import pytest

from graph import build, pipeline, render
from graph.analysis import Analysis, analyse, analysis_graph
from graph.load import load_corpus
from graph.memo import signing_key_file
from graph.memos import ANALYSIS_MEMO, PAGE_MEMO
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


@pytest.fixture
def networks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file with a line per page network a build makes (not taken from the memo): made in a child process."""
    log = tmp_path / "networks.log"
    log.touch()
    original = render.network_json

    def counted(corpus):
        with log.open("a") as lines:
            lines.write("made\n")
        return original(corpus)

    monkeypatch.setattr(render, "network_json", counted)
    return log


def _made(log: Path) -> int:
    return len(log.read_text().splitlines())


def _exported(exports: Path) -> dict[str, bytes]:
    names = ("analysis.md", "analysis.json", "graph.nt", "graph.trig", "graph.html")
    return {name: (exports / name).read_bytes() for name in names}


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("src-b/source.yaml", 'title: "', 'title: "Edited '),
        ("src-b/claims.yaml", "  note: A made-up reading", "  note: An edited reading"),
        ("src-b/claims.yaml", "quote: Russia has never", "quote: has never"),
        ("src-a/source.yaml", "publisher: ", "publisher: Edited "),
    ],
)
def test_a_rebuild_after_an_edit_the_analysis_does_not_read_takes_it_from_the_memo(
    sources: Path, analyses, networks, file, old, new
):
    exports = sources.parent / "exports"
    build(sources, exports)
    before = _exported(exports)
    edit(sources / file, old, new)
    build(sources, exports)
    assert analyses == [1]
    assert _made(networks) == 1
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
def test_an_edit_the_analysis_reads_analyses_again(sources: Path, analyses, networks, file, old, new):
    exports = sources.parent / "exports"
    build(sources, exports)
    edit(sources / file, old, new)
    build(sources, exports)
    assert analyses == [1, 1]
    assert _made(networks) == 2
    assert _exported(exports) == _exported(_fresh_build(sources))


def test_a_memo_not_signed_with_the_users_key_is_never_unpickled(sources: Path, analyses, tmp_path):
    exports = sources.parent / "exports"
    build(sources, exports)
    memo = exports / ".cache" / ANALYSIS_MEMO
    header = memo.read_bytes().split(b"\n", 1)[0] + b"\n"
    marker = tmp_path / "ran"
    memo.write_bytes(header + bytes(32) + pickle.dumps(_Runs(marker)))  # as if copied from someone else's exports
    edit(sources / "src-b/source.yaml", 'title: "', 'title: "Edited ')
    build(sources, exports)
    assert not marker.exists()
    assert analyses == [1, 1]
    assert _exported(exports) == _exported(_fresh_build(sources))


def test_a_page_memo_not_signed_with_the_users_key_is_not_put_into_the_page(sources: Path, networks):
    exports = sources.parent / "exports"
    build(sources, exports)
    memo = exports / ".cache" / PAGE_MEMO
    header = memo.read_bytes().split(b"\n", 1)[0] + b"\n"
    forged = b"nodes\0[]\0edges\0[]\0options\0{}</script><script>alert(1)</script>"
    memo.write_bytes(header + bytes(32) + forged)
    build(sources, exports)
    assert _made(networks) == 2
    assert b"alert(1)" not in (exports / "graph.html").read_bytes()
    assert _exported(exports) == _exported(_fresh_build(sources))


def test_another_users_key_makes_the_memo_stale(sources: Path, analyses, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    exports = sources.parent / "exports"
    build(sources, exports)
    signing_key_file().write_bytes(bytes(range(32)))
    build(sources, exports)
    build(sources, exports)
    assert analyses == [1, 1]


def test_where_files_cannot_be_hard_linked_the_key_is_still_made(sources: Path, analyses, tmp_path, monkeypatch):
    def refused(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(os, "link", refused)
    exports = sources.parent / "exports"
    build(sources, exports)
    build(sources, exports)
    assert analyses == [1]
    assert len(signing_key_file().read_bytes()) == 32
    assert [path.name for path in signing_key_file().parent.iterdir()] == ["memo.key"]


def test_without_a_key_every_build_analyses(sources: Path, analyses, tmp_path, monkeypatch):
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    exports = sources.parent / "exports"
    build(sources, exports)
    build(sources, exports)
    assert analyses == [1, 1]
    assert not (exports / ".cache" / ANALYSIS_MEMO).exists()


@pytest.mark.parametrize(
    "corpus",
    [load_corpus(PROJECT / "sources"), load_corpus(MINI), synthetic_corpus(load_corpus(MINI).relations, 3000)],
    ids=["curated", "mini", "synthetic"],
)
def test_the_analysis_and_the_page_network_read_nothing_the_memo_key_leaves_out(corpus: Corpus):
    """What structure_key omits (quotes, notes, quote lines; sources' titles, texts and the rest) changes no measure."""
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
    assert render.network_json(corpus) == render.network_json(other)
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
