"""The built graph as files, written as soon as the sources are compiled: every distinct
triple in N-Triples, Turtle and JSON-LD, and the named graphs in TriG.

They are put together from each named graph's pieces: copied from its cache entry if it has
one (see graph/spans.py: at a million claims 5 GB of text the build never reads into
memory), written from memory otherwise. The stores load from the N-Triples file (Oxigraph
reads it outside Python's interpreter lock) and the build's exports graph.nt, graph.trig,
graph.ttl and graph.jsonld are these files.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .export import write_text
from .named_graphs import (
    Graph,
    NamedGraph,
    jsonld_items,
    jsonld_joined,
    merged_triples,
    parsed,
    prefixed,
    shared_triples,
    turtle_block,
)
from .spans import piece_writer, write_pieces


@dataclass(frozen=True)
class GraphFiles:
    """Where the graph's N-Triples, TriG, Turtle and JSON-LD are written."""

    ntriples: Path
    trig: Path
    turtle: Path
    jsonld: Path

    @classmethod
    def in_folder(cls, folder: Path) -> GraphFiles:
        """``graph.nt``, ``graph.trig``, ``graph.ttl`` and ``graph.jsonld`` in ``folder``, named as the exports are."""
        return cls(folder / "graph.nt", folder / "graph.trig", folder / "graph.ttl", folder / "graph.jsonld")

    @classmethod
    def temporary(cls) -> GraphFiles:
        """Files in a new temporary folder, removed with them when the returned object is no longer used."""
        folder = Path(tempfile.mkdtemp(prefix="actorgraph-"))
        files = cls.in_folder(folder)
        weakref.finalize(files, shutil.rmtree, folder, ignore_errors=True)
        return files


@dataclass(frozen=True)
class NTriplesParts:
    """What write_ntriples wrote: how many distinct triples, and where each named graph's part of the file ends."""

    triples: int
    ends: tuple[int, ...]
    """The offset (in bytes) where each graph's lines end; the next graph's start there, the first's at 0."""

    def span(self, graph: int) -> tuple[int, int]:
        """Where the lines of the ``graph``-th named graph start and end in the file."""
        return (self.ends[graph - 1] if graph else 0), self.ends[graph]


def write_graph(graphs: Sequence[Graph], files: GraphFiles) -> NTriplesParts:
    """Write the named graphs into ``files`` (finish_ntriples and finish_other_formats end them); return the N-Triples
    file's parts."""
    parts = write_ntriples(graphs, files.ntriples)
    write_other_formats(graphs, files)
    return parts


def write_other_formats(graphs: Sequence[Graph], files: GraphFiles) -> None:
    """Write the named graphs into the TriG, Turtle and JSON-LD files of ``files``: all but the N-Triples (see
    write_ntriples), which the stores and the validation read."""
    write_trig(graphs, files.trig)
    shared = list(parsed(shared_triples(graphs)))  # parsed once, for both files
    write_turtle(graphs, shared, files.turtle)
    write_jsonld(graphs, shared, files.jsonld)


def write_ntriples(graphs: Sequence[Graph], path: Path) -> NTriplesParts:
    """Write each distinct triple of the named graphs into an N-Triples file, graph by graph; say where each graph's
    lines are (those another graph stated first are with it)."""
    triples, ends, offset = 0, [], 0
    with piece_writer(path) as write:
        for graph, (own, fresh) in zip(graphs, merged_triples(graphs), strict=True):
            offset += write(own) + write(fresh)
            triples += graph.own_lines + fresh.count("\n")
            ends.append(offset)
    return NTriplesParts(triples, tuple(ends))


def write_trig(graphs: Iterable[Graph], path: Path) -> None:
    """Write the named graphs into a TriG file, block by block."""
    write_pieces(path, prefixed(graph.trig for graph in graphs))


def write_turtle(graphs: Sequence[Graph], shared: Sequence[ox.Triple], path: Path) -> None:
    """Write each distinct triple of the named graphs into a Turtle file: each graph's own, then the ``shared`` ones
    (see shared_triples)."""
    write_pieces(path, prefixed([*(graph.turtle for graph in graphs), turtle_block(shared)]))


def write_jsonld(graphs: Sequence[Graph], shared: Sequence[ox.Triple], path: Path) -> None:
    """Write each distinct triple of the named graphs into an expanded JSON-LD array, as write_turtle orders them.

    The array is left open, for finish_other_formats.
    """
    write_pieces(path, ["[", *jsonld_joined([*(graph.jsonld for graph in graphs), jsonld_items(shared)])])


def finish_ntriples(graph: NamedGraph, path: Path) -> int:
    """Add the last named graph (the analysis's), which states no triple of the others, to the N-Triples file at
    ``path``; return its triple count."""
    write_text(path, [graph.ntriples], append=True)
    return graph.ntriples.count("\n")


def finish_other_formats(graph: NamedGraph, files: GraphFiles) -> None:
    """Add the last named graph (as finish_ntriples) to the TriG, Turtle and JSON-LD files of ``files``, and end
    them."""
    _append_block(graph.trig, files.trig)
    _append_block(graph.turtle, files.turtle)
    had_items = files.jsonld.stat().st_size > 1  # more than the array's "["
    write_text(files.jsonld, [*jsonld_joined([graph.jsonld], after_items=had_items), "]\n"], append=True)


def _append_block(block: str, path: Path) -> None:
    """Add a TriG or Turtle block to a file, after the prefix lines if it is still empty."""
    write_text(path, prefixed([block]) if path.stat().st_size == 0 else [block], append=True)
