"""Validate the graph against the shapes a few sources at a time, and only the sources not validated before.

No shape relates two sources' triples: a claim, its citation and its article are one
source's, and a direct tie between actors is in the part of graph.nt of the first source
that states it, whose claims establish it. So the violations found a chunk of sources at a
time, each chunk loaded with the registry, are those of the whole graph: a small in-memory
store holds a chunk (not the whole graph: 4.7 GB at a million claims), and a rebuild
validates only the sources that changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .graph_files import NTriplesParts
from .shacl import violations
from .units import UnitCache, code_key

CHUNK_BYTES = 1 << 26
"""About how many bytes of sources' N-Triples are validated together, in one store (with the registry's)..."""

REGISTRY_SHARE = 4
"""... or this many times the registry's, if more: every chunk loads the registry and checks every actor again. (At a
million claims, 100,000 actors: 4 took as long as 8, 127 CPU-seconds, with chunk stores of 1.8 GB instead of 2.7.)"""

_CODE = ("shapes.ttl", "shapes_sparql.py", "shacl.py", "validation.py")


def violations_in_parts(
    ntriples: Path, parts: NTriplesParts, wanted: Sequence[int], chunk_bytes: int = CHUNK_BYTES
) -> list[str]:
    """One sorted line per violation of the shapes (see shacl.violations) by the ``wanted`` parts of an N-Triples file.

    Part 0 is the registry's: it is loaded with every chunk of the others, and validated on its
    own if no other part is wanted.
    """
    found: set[str] = set()
    with open(ntriples, "rb") as file:
        registry = _read(file, *parts.span(0))
        chunks = list(_chunks(parts, wanted, max(chunk_bytes, REGISTRY_SHARE * len(registry))))
        for spans in chunks or ([[]] if 0 in wanted else []):  # the registry alone, if only it is wanted
            store = ox.Store()
            store.bulk_load(registry, format=ox.RdfFormat.N_TRIPLES)
            for start, end in spans:
                store.bulk_load(_read(file, start, end), format=ox.RdfFormat.N_TRIPLES)
            found.update(violations(store))
    return sorted(found)


def _chunks(parts: NTriplesParts, wanted: Sequence[int], chunk_bytes: int) -> Iterator[list[tuple[int, int]]]:
    """The spans of the file to load together: the wanted parts after the registry's, neighbours joined, about
    ``chunk_bytes`` at a time.

    >>> parts = NTriplesParts(0, (10, 20, 30, 40, 50))
    >>> list(_chunks(parts, [0, 1, 2, 4], chunk_bytes=15)), list(_chunks(parts, [0], 15))
    ([[(10, 30)], [(40, 50)]], [])
    """
    spans: list[tuple[int, int]] = []
    size = 0
    for index in wanted:
        if index == 0:
            continue
        start, end = parts.span(index)
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        size += end - start
        if size >= chunk_bytes:
            yield spans
            spans, size = [], 0
    if spans:
        yield spans


def _read(file: BinaryIO, start: int, end: int) -> bytes:
    file.seek(start)
    return file.read(end - start)


def unvalidated(keys: Sequence[str], cache: Path | str | None) -> list[int]:
    """Which graphs (by index) to validate: those whose keys (see load.Loaded) did not meet the shapes in an earlier
    build, as recorded in the ``cache`` folder; all without one."""
    validated = UnitCache(cache).validated(shapes_version()) if cache is not None else set()
    return [index for index, key in enumerate(keys) if key not in validated]


def put_validated(keys: Sequence[str], cache: Path | str | None) -> None:
    """Record in the ``cache`` folder (if any) that the graphs of these keys, all there are, met the shapes."""
    if cache is not None:
        UnitCache(cache).put_validated(shapes_version(), keys)


@cache
def shapes_version() -> str:
    """A digest of the shapes and of the code that checks them: a source validated by another version is again."""
    return code_key(_CODE, "pyoxigraph")
