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


def prefixed(blocks: Iterable[str]) -> Iterator[str]:
    """TriG or Turtle blocks (without prefix lines) as one document, part by part: the prefixes once, then each block.

    The same text as Oxigraph writes for all the blocks' triples at once, but that a subject
    described in two blocks is described twice (the same graph). Oxigraph writes the same
    prefix lines before Turtle as before TriG.
    """
    written = (block for block in blocks if block)  # an empty graph has no block
    first = next(written, None)
    if first is not None:
        yield _PREFIX_LINES
        yield first
        yield from written


def jsonld_joined(runs: Iterable[str], after_items: bool = False) -> Iterator[str]:
    """Runs of JSON-LD node objects (see jsonld_items) as one run, part by part, led by a comma if ``after_items``
    and it has any.

    Put in an array's brackets, they make one expanded JSON-LD document. A node in two runs is
    two objects with the same ``@id``: JSON-LD merges them.

    >>> "".join(jsonld_joined(['{"@id":"a:s"}', "", '{"@id":"a:t"},{"@id":"a:u"}']))
    '{"@id":"a:s"},{"@id":"a:t"},{"@id":"a:u"}'
    """
    separator = "," if after_items else ""
    for run in runs:
        if run:
            yield separator
            yield run
            separator = ","


def shared_triples(graphs: Iterable[NamedGraph]) -> str:
    """The distinct lines the graphs may share (see NamedGraph), sorted: a subject's triples together.

    >>> first = named_graph("a:g1", shared="<a:s> <a:p> <a:o> .\\n")
    >>> second = named_graph("a:g2", shared="<a:s> <a:p> <a:o> .\\n<a:o> <a:p> <a:s> .\\n")
    >>> print(shared_triples([first, second]), end="")
    <a:o> <a:p> <a:s> .
    <a:s> <a:p> <a:o> .
    """
    lines = {line for graph in graphs for line in graph.ntriples[graph.shared_from :].splitlines(keepends=True)}
    return "".join(sorted(lines))


def merged_triples(graphs: Iterable[NamedGraph]) -> Iterator[str]:
    """Each distinct triple of the named graphs as N-Triples text, one part per graph.

    A graph's own lines are taken as they are, unsplit (no other graph has them: see
    NamedGraph); of its shared lines, those no earlier graph stated. Deterministic, and a
    source's triples stay together.

    >>> first = named_graph("a:g1", '<a:s> <a:p> "y" .\\n', shared="<a:s> <a:p> <a:o> .\\n")
    >>> second = named_graph("a:g2", '<a:t> <a:p> "x" .\\n', shared="<a:s> <a:p> <a:o> .\\n")
    >>> print("".join(merged_triples([first, second])), end="")
    <a:s> <a:p> "y" .
    <a:s> <a:p> <a:o> .
    <a:t> <a:p> "x" .
    """
    stated: set[str] = set()
    for graph in graphs:
        fresh = [line for line in graph.ntriples[graph.shared_from :].splitlines(keepends=True) if line not in stated]
        stated.update(fresh)
        yield graph.ntriples[: graph.shared_from] + "".join(fresh)


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
