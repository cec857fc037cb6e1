"""Named graphs as text: each made once (and cached per source), then merged or assembled for the exports.

A named graph is kept as N-Triples, as its TriG block, and its own triples (those no other
graph states) as Turtle and as JSON-LD node objects, so that graph.trig, graph.ttl and
graph.jsonld are pieces put together rather than the whole graph parsed and written again,
and graph.nt is the graphs' lines merged without parsing any of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .spans import FileSpan, Piece
from .vocab import PREFIX_IRIS


@dataclass(frozen=True)
class NamedGraph:
    """One named graph: its name, its triples as N-Triples text, and the same as a TriG block without prefix lines.

    The lines from offset ``shared_from`` on are those another graph may state too (a source's
    direct triples between actors); every line before it is this graph's alone, and those
    are also kept as Turtle (without prefix lines) and as JSON-LD node objects (the items of
    an array, without its brackets).
    """

    name: str
    """The graph's IRI as a term, ``<…>``."""
    ntriples: str
    trig: str
    shared_from: int
    turtle: str
    jsonld: str

    @property
    def nquads(self) -> str:
        """The graph's triples as N-Quads."""
        return in_graph(self.ntriples, self.name)

    @property
    def own(self) -> str:
        """The N-Triples lines no other graph states."""
        return self.ntriples[: self.shared_from]

    @property
    def shared(self) -> str:
        """The N-Triples lines another graph may state too."""
        return self.ntriples[self.shared_from :]

    @property
    def own_lines(self) -> int:
        return self.ntriples.count("\n", 0, self.shared_from)


@dataclass(frozen=True)
class StoredGraph:
    """A NamedGraph whose texts are kept in a file (a cache entry: see graph/units.py), its shared lines apart."""

    name: str
    own: FileSpan
    shared: str
    trig: FileSpan
    turtle: FileSpan
    jsonld: FileSpan
    own_lines: int


Graph = NamedGraph | StoredGraph
"""A named graph, with its texts in memory or in a file: what the graph files are put together from."""


def in_memory(graph: Graph) -> NamedGraph:
    """The graph with its texts in memory (read, if they are in a file)."""
    if isinstance(graph, NamedGraph):
        return graph
    own, *texts = (span.read().decode("utf-8") for span in (graph.own, graph.trig, graph.turtle, graph.jsonld))
    return NamedGraph(graph.name, own + graph.shared, texts[0], len(own), *texts[1:])


def named_graph(name: str, own: str = "", shared: str = "") -> NamedGraph:
    """The named graph ``name`` (an IRI) of N-Triples text: its own lines, then the ``shared`` ones.

    >>> named_graph("https://w3id.org/actorgraph/graph/a",
    ...             '<https://w3id.org/actorgraph/source/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n').trig
    'graph:a {\\n\\tsource:a rdfs:label "A" .\\n}\\n'
    """
    term, triples = f"<{name}>", own + shared
    _, block = _without_prefixes(_trig(in_graph(triples, term)))
    own_triples = list(parsed(own))
    return NamedGraph(
        term, triples, block.decode("utf-8"), len(own), turtle_block(own_triples), jsonld_items(own_triples)
    )


def parsed(ntriples: str) -> Iterator[ox.Triple]:
    """The triples of N-Triples text, one by one."""
    return ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)


def turtle_block(triples: Iterable[ox.Triple]) -> str:
    """Triples as Turtle with the project's prefixes, without the prefix lines (see prefixed).

    >>> line = '<https://w3id.org/actorgraph/actor/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n'
    >>> print(turtle_block(parsed(line)), end="")
    actor:a rdfs:label "A" .
    """
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    return _without_prefixes(turtle)[1].decode("utf-8")


def jsonld_items(triples: Iterable[ox.Triple]) -> str:
    """Triples as expanded JSON-LD node objects, comma-separated, without the array's brackets.

    >>> jsonld_items(parsed('<a:s> <a:p> "x" .\\n'))
    '{"@id":"a:s","a:p":[{"@value":"x"}]}'
    """
    return ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode("utf-8")[1:-1]


def in_graph(ntriples: str, graph: str) -> str:
    """N-Triples text as N-Quads text in ``graph`` (an IRI term).

    Only a line's end can read ``" .\\n"``: a literal escapes its newlines.

    >>> in_graph('<a:s> <a:p> "a .\\\\n b" .\\n', "<a:g>")
    '<a:s> <a:p> "a .\\\\n b" <a:g> .\\n'
    """
    return ntriples.replace(" .\n", f" {graph} .\n")


def prefixed(blocks: Iterable[Piece]) -> Iterator[Piece]:
    """TriG or Turtle blocks (without prefix lines) as one document, part by part: the prefixes once, then each block.

    The same text as Oxigraph writes for all the blocks' triples at once, but that a subject
    described in two blocks is described twice (the same graph). Oxigraph writes the same
    prefix lines before Turtle as before TriG.
    """
    written = (block for block in blocks if not _empty(block))  # an empty graph has no block
    first = next(written, None)
    if first is not None:
        yield _PREFIX_LINES
        yield first
        yield from written


def jsonld_joined(runs: Iterable[Piece], after_items: bool = False) -> Iterator[Piece]:
    """Runs of JSON-LD node objects (see jsonld_items) as one run, part by part, led by a comma if ``after_items``
    and it has any.

    Put in an array's brackets, they make one expanded JSON-LD document. A node in two runs is
    two objects with the same ``@id``: JSON-LD merges them.

    >>> "".join(jsonld_joined(['{"@id":"a:s"}', "", '{"@id":"a:t"},{"@id":"a:u"}']))
    '{"@id":"a:s"},{"@id":"a:t"},{"@id":"a:u"}'
    """
    separator = "," if after_items else ""
    for run in runs:
        if not _empty(run):
            yield separator
            yield run
            separator = ","


def shared_triples(graphs: Iterable[Graph]) -> str:
    """The distinct lines the graphs may share (see NamedGraph), sorted: a subject's triples together.

    >>> first = named_graph("a:g1", shared="<a:s> <a:p> <a:o> .\\n")
    >>> second = named_graph("a:g2", shared="<a:s> <a:p> <a:o> .\\n<a:o> <a:p> <a:s> .\\n")
    >>> print(shared_triples([first, second]), end="")
    <a:o> <a:p> <a:s> .
    <a:s> <a:p> <a:o> .
    """
    lines = {line for graph in graphs for line in graph.shared.splitlines(keepends=True)}
    return "".join(sorted(lines))


def merged_triples(graphs: Iterable[Graph]) -> Iterator[tuple[Piece, str]]:
    """Each distinct triple of the named graphs as N-Triples text, one part per graph: its own lines, then its
    shared lines that no earlier graph stated.

    A graph's own lines are taken as they are, unsplit (no other graph has them: see
    NamedGraph); of its shared lines, those no earlier graph stated. Deterministic, and a
    source's triples stay together.

    >>> first = named_graph("a:g1", '<a:s> <a:p> "y" .\\n', shared="<a:s> <a:p> <a:o> .\\n")
    >>> second = named_graph("a:g2", '<a:t> <a:p> "x" .\\n', shared="<a:s> <a:p> <a:o> .\\n")
    >>> print("".join(own + fresh for own, fresh in merged_triples([first, second])), end="")
    <a:s> <a:p> "y" .
    <a:s> <a:p> <a:o> .
    <a:t> <a:p> "x" .
    """
    stated: set[str] = set()
    for graph in graphs:
        fresh = [line for line in graph.shared.splitlines(keepends=True) if line not in stated]
        stated.update(fresh)
        yield graph.own, "".join(fresh)


def _empty(piece: Piece) -> bool:
    return piece.length == 0 if isinstance(piece, FileSpan) else not piece


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
