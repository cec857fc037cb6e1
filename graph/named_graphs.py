"""Named graphs as text: each made once (and cached per source), then merged or assembled for the exports.

A named graph is kept as N-Quads and as its TriG block, so that graph.trig is the blocks
put together rather than the whole dataset parsed and written again, and graph.nt is the
graphs' lines merged without parsing any of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import PREFIX_IRIS


@dataclass(frozen=True)
class NamedGraph:
    """One named graph's quads as N-Quads text, and the same quads as a TriG block without prefix lines.

    The lines from offset ``shared_from`` on are those another graph may state too (a source's
    direct triples between actors); every line before it is this graph's alone.
    """

    nquads: str
    trig: str
    shared_from: int


def named_graph(nquads: str, shared: str = "") -> NamedGraph:
    """The named graph of N-Quads text whose lines are all in one graph: its own lines, then the ``shared`` ones.

    >>> named_graph('<https://w3id.org/actorgraph/source/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" '
    ...             '<https://w3id.org/actorgraph/graph/a> .\\n').trig
    'graph:a {\\n\\tsource:a rdfs:label "A" .\\n}\\n'
    """
    _, block = _without_prefixes(_trig(nquads + shared))
    return NamedGraph(nquads + shared, block.decode("utf-8"), len(nquads))


def trig_document(graphs: Iterable[NamedGraph]) -> bytes:
    """The named graphs as one TriG document (see trig_parts)."""
    return "".join(trig_parts(graphs)).encode("utf-8")


def trig_parts(graphs: Iterable[NamedGraph]) -> Iterator[str]:
    """The named graphs as one TriG document, part by part: the prefixes once, then each graph's block in order.

    The same text as Oxigraph writes for all the graphs' quads at once.
    """
    blocks = (graph.trig for graph in graphs if graph.trig)
    first = next(blocks, None)
    if first is not None:
        yield _PREFIX_LINES
        yield first
        yield from blocks


def merged_triples(graphs: Iterable[NamedGraph]) -> str:
    """Each distinct triple of the named graphs as N-Triples text, graph by graph.

    A graph's own lines are taken as they are, unsplit (no other graph has them: see
    NamedGraph); of its shared lines, those no earlier graph stated. Deterministic, and a
    source's triples stay together.

    >>> first = named_graph('<a:s> <a:p> "y" <a:g1> .\\n', shared='<a:s> <a:p> <a:o> <a:g1> .\\n')
    >>> second = named_graph('<a:t> <a:p> "x" <a:g2> .\\n', shared='<a:s> <a:p> <a:o> <a:g2> .\\n')
    >>> print(merged_triples([first, second]), end="")
    <a:s> <a:p> "y" .
    <a:s> <a:p> <a:o> .
    <a:t> <a:p> "x" .
    """
    parts: list[str] = []
    stated: set[str] = set()
    for graph in graphs:
        parts.append(ntriples(graph.nquads[: graph.shared_from]))
        for line in ntriples(graph.nquads[graph.shared_from :]).splitlines(keepends=True):
            if line not in stated:
                stated.add(line)
                parts.append(line)
    return "".join(parts)


def ntriples(nquads: str) -> str:
    """N-Quads text whose lines are all in one graph, as N-Triples text: the graph dropped from each line.

    >>> ntriples('<a:s> <a:p> "ends like a graph <a:g> ." <a:g> .\\n')
    '<a:s> <a:p> "ends like a graph <a:g> ." .\\n'
    """
    if not nquads:
        return ""
    first = nquads[: nquads.index("\n")]
    graph_ending = first[first.rindex(" <") :] + "\n"  # only a line's end can match: literals escape newlines
    return nquads.replace(graph_ending, " .\n")


def _trig(nquads: str) -> bytes:
    return ox.serialize(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS)


def _without_prefixes(trig: bytes) -> tuple[bytes, bytes]:
    """Oxigraph's TriG split into its leading ``@prefix`` lines and the rest."""
    end = 0
    while trig.startswith(b"@prefix ", end):
        end = trig.index(b"\n", end) + 1
    return trig[:end], trig[end:]


_PREFIX_LINES = _without_prefixes(_trig("<a:s> <a:p> <a:o> <a:g> .\n"))[0].decode("utf-8")
"""Every prefix, as Oxigraph writes them before any TriG: used or not, in the same order."""
