"""The built graph as two files, written as soon as the sources are compiled: every distinct
triple in N-Triples, and the named graphs in TriG.

Once written, the graphs' texts are dropped: the stores load from the N-Triples file
(Oxigraph reads it outside Python's interpreter lock) and the build's exports graph.nt and
graph.trig are these files. At a million claims the texts would take 4 GB beside the store.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .export import write_text
from .named_graphs import NamedGraph, merged_triples, trig_parts


@dataclass(frozen=True)
class GraphFiles:
    """Where the graph's N-Triples and TriG are written."""

    ntriples: Path
    trig: Path

    @classmethod
    def in_folder(cls, folder: Path) -> GraphFiles:
        """``graph.nt`` and ``graph.trig`` in ``folder``, named as the exports are."""
        return cls(folder / "graph.nt", folder / "graph.trig")

    @classmethod
    def temporary(cls) -> GraphFiles:
        """Files in a new temporary folder, removed with them when the returned object is no longer used."""
        folder = Path(tempfile.mkdtemp(prefix="actorgraph-"))
        files = cls.in_folder(folder)
        weakref.finalize(files, shutil.rmtree, folder, ignore_errors=True)
        return files


def write_graph(graphs: Sequence[NamedGraph], files: GraphFiles) -> int:
    """Write the named graphs into ``files`` (see write_ntriples and write_trig); return how many triples they have."""
    count = write_ntriples(graphs, files.ntriples)
    write_trig(graphs, files.trig)
    return count


def write_ntriples(graphs: Iterable[NamedGraph], path: Path) -> int:
    """Write each distinct triple of the named graphs into an N-Triples file; return how many there are."""
    count = 0

    def counted(parts: Iterable[str]) -> Iterator[str]:
        nonlocal count
        for part in parts:
            count += part.count("\n")
            yield part

    write_text(path, counted(merged_triples(graphs)))
    return count


def write_trig(graphs: Iterable[NamedGraph], path: Path) -> None:
    """Write the named graphs into a TriG file, block by block."""
    write_text(path, trig_parts(graph.trig for graph in graphs))


def append_graph(graph: NamedGraph, files: GraphFiles) -> int:
    """Add a named graph that states no triple of the others (the analysis's) to ``files``; return its triple count."""
    write_text(files.ntriples, [graph.ntriples], append=True)
    had_blocks = files.trig.stat().st_size > 0
    write_text(files.trig, trig_parts([graph.trig]) if not had_blocks else [graph.trig], append=True)
    return graph.ntriples.count("\n")
