"""Named graphs as text: each made once (and cached per source), then merged or assembled for the exports.

A named graph is kept as N-Quads and as its TriG block, so that graph.trig is the blocks
put together rather than the whole dataset parsed and written again, and graph.nt is the
graphs' lines merged without parsing any of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import PREFIX_IRIS


@dataclass(frozen=True)
class NamedGraph:
    """One named graph's quads as N-Quads text, and the same quads as a TriG block without prefix lines."""

    nquads: str
    trig: str


def named_graph(nquads: str) -> NamedGraph:
    """The named graph of N-Quads text whose lines are all in one graph.

    >>> named_graph('<https://w3id.org/actorgraph/source/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" '
    ...             '<https://w3id.org/actorgraph/graph/a> .\\n').trig
    'graph:a {\\n\\tsource:a rdfs:label "A" .\\n}\\n'
    """
    _, block = _without_prefixes(_trig(nquads))
    return NamedGraph(nquads, block.decode("utf-8"))


def trig_document(graphs: Iterable[NamedGraph]) -> bytes:
    """The named graphs as one TriG document: the prefixes once, then each graph's block in order.

    The same bytes as Oxigraph writes for all the graphs' quads at once.
    """
    blocks = [graph.trig for graph in graphs if graph.trig]
    if not blocks:
        return b""
    return _PREFIX_LINES + "".join(blocks).encode("utf-8")


def distinct_triples(graphs: Iterable[str]) -> dict[str, None]:
    """Each distinct triple of the named graphs (each the N-Quads text of one graph) as an N-Triples line.

    In the order first met, graph by graph: deterministic, and a source's triples stay together.

    >>> first, second = '<a:s> <a:p> "y" <a:g1> .\\n<a:s> <a:p> "x" <a:g1> .\\n', '<a:s> <a:p> "x" <a:g2> .\\n'
    >>> list(distinct_triples([first, second]))
    ['<a:s> <a:p> "y" .\\n', '<a:s> <a:p> "x" .\\n']
    """
    lines: dict[str, None] = {}
    for nquads in graphs:
        if nquads:
            first = nquads[: nquads.index("\n")]
            graph_ending = first[first.rindex(" <") :] + "\n"  # only a line's end can match: literals escape newlines
            lines.update(dict.fromkeys(nquads.replace(graph_ending, " .\n").splitlines(keepends=True)))
    return lines


def _trig(nquads: str) -> bytes:
    return ox.serialize(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS)


def _without_prefixes(trig: bytes) -> tuple[bytes, bytes]:
    """Oxigraph's TriG split into its leading ``@prefix`` lines and the rest."""
    end = 0
    while trig.startswith(b"@prefix ", end):
        end = trig.index(b"\n", end) + 1
    return trig[:end], trig[end:]


_PREFIX_LINES, _ = _without_prefixes(_trig("<a:s> <a:p> <a:o> <a:g> .\n"))
"""Every prefix, as Oxigraph writes them before any TriG: used or not, in the same order."""
