"""What one source folder compiles to, and a cache of it keyed by the folder's content.

A source's claims are checked and turned into RDF on their own (against the actors and
relations), so a large corpus compiles in parallel, and a rebuild after editing one
source re-compiles only that one: the others come from the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import itertools
import json
import operator
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

from .errors import Problem
from .export import replace_whole
from .model import Actor, Claim, Relation, Source, shared
from .named_graphs import Graph, NamedGraph, StoredGraph
from .spans import FileSpan, identity

T = TypeVar("T")


@dataclass(frozen=True)
class SourceUnit:
    """A compiled source folder: its article, checked claims, problems, and named graph."""

    folder: str
    source: Source | None
    claims: tuple[Claim, ...]
    claim_lines: tuple[int, ...]
    """The line of each claim's ``id`` in claims.yaml, for the corpus-wide duplicate check."""
    problems: tuple[Problem, ...]
    graph: Graph


def content_key(*parts: bytes) -> str:
    """A digest of ``parts`` that changes when any part (or where one ends) changes.

    >>> content_key(b"ab", b"c") == content_key(b"a", b"bc")
    False
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def code_key(modules: Iterable[str], *libraries: str) -> str:
    """A content_key of the package's ``modules`` (file names) and of the installed versions of ``libraries``: what
    was made by other code is made again."""
    package = resources.files(__package__)
    texts = [package.joinpath(name).read_bytes() for name in modules]
    return content_key(*texts, *(importlib.metadata.version(library).encode() for library in libraries))


@dataclass(frozen=True)
class RegistryUnit:
    """The checked relation vocabulary and actors, and their named graph."""

    relations: tuple[Relation, ...]
    actors: tuple[Actor, ...]
    graph: Graph


REGISTRY_ENTRY = "_registry"
"""The registry's entry in the cache: a name no source folder has (folders starting with '_' are not read)."""


VALIDATED_ENTRY = "_validated.keys"
"""The cache's record of the units whose graphs met the shapes: the shapes' version, then one key a line."""


class UnitCache:
    """Compiled units on disk, one file per source folder and one for the registry, each valid for one key.

    A file is a line of JSON (the key, the unit's fields, its graph's name, the lengths in bytes
    of its texts and how many lines it states alone), then the graph's own N-Triples lines, its
    shared ones, its TriG, Turtle and JSON-LD as they are: the bulk of an entry is neither
    escaped when written nor parsed when read. A unit taken from the cache has its texts left
    there (a StoredGraph: the graph files copy them; only the shared lines are read). Only
    units without problems are kept: a source with problems is re-checked every time, so its
    messages always name the files as they are now. A damaged or outdated entry is treated as
    missing. Beside them, the keys of the units whose graphs met the shapes (see
    graph/validation.py).
    """

    SUFFIX = ".unit"

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def get(self, name: str, key: str) -> SourceUnit | None:
        return self._read(name, key, _unit)

    def put(self, key: str, unit: SourceUnit) -> SourceUnit:
        """Keep ``unit`` under ``key`` if it has no problems; return it with its graph as kept (or as it was)."""
        if unit.problems or unit.source is None or not isinstance(unit.graph, NamedGraph):
            return unit
        return dataclasses.replace(unit, graph=self._write(unit.folder, key, _entry(unit), unit.graph))

    def get_registry(self, key: str) -> RegistryUnit | None:
        return self._read(REGISTRY_ENTRY, key, _registry)

    def put_registry(self, key: str, unit: RegistryUnit) -> RegistryUnit:
        """Keep ``unit`` under ``key``; return it with its graph as kept."""
        if not isinstance(unit.graph, NamedGraph):
            return unit
        return dataclasses.replace(unit, graph=self._write(REGISTRY_ENTRY, key, _registry_entry(unit), unit.graph))

    def validated(self, version: str) -> set[str]:
        """The keys of the units whose graphs met the shapes in an earlier build (validated by this ``version``)."""
        try:
            recorded, *keys = (self.folder / VALIDATED_ENTRY).read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return set()
        return set(keys) if recorded == version else set()

    def put_validated(self, version: str, keys: Iterable[str]) -> None:
        """Record the keys of the units whose graphs met the shapes (validated by this ``version``), and only those."""
        replace_whole(self.folder / VALIDATED_ENTRY, [f"{text}\n".encode() for text in (version, *keys)])

    def keep_only(self, names: set[str]) -> None:
        """Forget the entries of source folders that no longer exist (and files of other formats).

        Files whose names start with '.' are left alone (another build's entries being written),
        and so are those starting with '_': the entries of no source folder (the registry's, the
        validated keys, the memos).
        """
        if not self.folder.is_dir():
            return
        kept = {f"{name}{self.SUFFIX}" for name in names}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.is_file() and entry.name not in kept and not entry.name.startswith((".", "_")):
                    Path(entry.path).unlink(missing_ok=True)

    def _read(self, name: str, key: str, unit: Callable[[dict, StoredGraph], T]) -> T | None:
        path = self.folder / f"{name}{self.SUFFIX}"
        try:
            with open(path, "rb") as file:
                head = file.readline()
                entry = json.loads(head)
                if entry.get("key") != key:
                    return None
                graph_name, own_lines, *lengths = entry["graph"]
                seen = identity(os.fstat(file.fileno()))
                if len(lengths) != len(_TEXTS) or seen[2] != len(head) + sum(lengths):
                    return None
                shared = os.pread(file.fileno(), lengths[1], len(head) + lengths[0]).decode("utf-8")
            return unit(entry["unit"], _stored(path, seen, len(head), lengths, graph_name, shared, own_lines))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def _write(self, name: str, key: str, unit: dict, graph: NamedGraph) -> StoredGraph:
        """Keep the entry; return its graph as kept."""
        texts = [getattr(graph, text).encode("utf-8") for text in _TEXTS]
        about_graph = [graph.name, graph.own_lines, *map(len, texts)]
        head = json.dumps({"key": key, "unit": unit, "graph": about_graph}, ensure_ascii=False).encode("utf-8") + b"\n"
        path = self.folder / f"{name}{self.SUFFIX}"
        seen = identity(replace_whole(path, [head, *texts]))
        return _stored(path, seen, len(head), [*map(len, texts)], graph.name, graph.shared, graph.own_lines)


_TEXTS = ("own", "shared", "trig", "turtle", "jsonld")
"""The named graph's texts, in the order a cache file holds them after its first line."""


def _stored(
    path: Path, seen: tuple[int, ...], start: int, lengths: list[int], name: str, shared: str, own_lines: int
) -> StoredGraph:
    """The graph whose texts (_TEXTS, of these ``lengths`` in bytes) follow one another in the file from ``start``."""
    own, _, trig, turtle, jsonld = (
        FileSpan(path, at, length, seen)
        for at, length in zip(itertools.accumulate(lengths, initial=start), lengths, strict=False)
    )
    return StoredGraph(name, own, shared, trig, turtle, jsonld, own_lines)


def _entry(unit: SourceUnit) -> dict:
    source = {**_fields(unit.source), "date": unit.source.date.isoformat()}
    claims = [_claim_fields(claim) for claim in unit.claims]
    return {
        "folder": unit.folder,
        "source": source,
        "claims": claims,
        "lines": unit.claim_lines,
    }


_claim_fields = operator.attrgetter(*(field.name for field in dataclasses.fields(Claim)))
"""A claim's fields as a tuple (dataclasses.astuple deep-copies each: ten times slower)."""


def _unit(entry: dict, graph: Graph) -> SourceUnit:
    source = Source(**{**entry["source"], "date": dt.date.fromisoformat(entry["source"]["date"])})
    claims = tuple(map(_claim, entry["claims"]))
    return SourceUnit(entry["folder"], source, claims, tuple(entry["lines"]), (), graph)


def _claim(fields: list) -> Claim:
    """A claim from its fields as cached (see _claim_fields), the names many claims share kept once (model.shared)."""
    ident, subject, relation, obj, source, certainty, quote, said_by, note, line = fields
    said_by = shared(said_by) if said_by else said_by
    return Claim(
        ident,
        shared(subject),
        shared(relation),
        shared(obj),
        shared(source),
        shared(certainty),
        quote,
        said_by,
        note,
        line,
    )


def _registry_entry(unit: RegistryUnit) -> dict:
    return {"relations": [*map(_fields, unit.relations)], "actors": [*map(_fields, unit.actors)]}


def _fields(item: Source | Relation | Actor) -> dict:
    """A dataclass's fields by name (dataclasses.asdict deep-copies each value: five times slower)."""
    return {field.name: getattr(item, field.name) for field in dataclasses.fields(item)}


def _registry(entry: dict, graph: Graph) -> RegistryUnit:
    relations = tuple(Relation(**fields) for fields in entry["relations"])
    actors = tuple(Actor(**{**fields, "aliases": tuple(fields["aliases"])}) for fields in entry["actors"])
    return RegistryUnit(relations, actors, graph)
