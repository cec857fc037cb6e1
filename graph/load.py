"""Read the curated files under ``sources/`` and check them; the only module that reads them."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import import_module
from pathlib import Path

from .errors import Problem, SourcesInvalid, SourcesNotFound
from .gcpause import collector_paused
from .model import Actor, Corpus, Relation
from .named_graphs import Graph, named_graph
from .parse import ID_PATTERN, Located, parse_actors, parse_claims, parse_relations, parse_source
from .rdf import registry_ntriples, source_ntriples
from .units import RegistryUnit, SourceUnit, UnitCache, code_key, content_key
from .validate import Registry, check_claims, check_registry, duplicate_claims
from .vocab import GRAPH, REGISTRY_GRAPH
from .yamlrecords import parse_record, parse_record_list

RELATIONS_FILE = "relations.yaml"
ACTORS_FILE = "actors.yaml"
ARTICLE_FILE = "article.txt"
SOURCE_FILE = "source.yaml"
CLAIMS_FILE = "claims.yaml"


PARALLEL_FROM = 200
"""Compile sources in worker processes when at least this many need compiling (fewer: not worth starting them)."""

CHUNK_SOURCES = 1000
"""About how many sources a worker compiles at a time, at most (at least four chunks a worker): a worker holds its
chunk's texts, and their pickled copy, until the chunk is done (at a million claims, 8 chunks made each worker
hold 0.8-1.5 GB)."""

_CODE = (
    "model.py",
    "parse.py",
    "validate.py",
    "quotes.py",
    "yamlrecords.py",
    "rdf.py",
    "ntriples.py",
    "named_graphs.py",
    "units.py",
    "vocab.py",
)


@dataclass(frozen=True)
class Loaded:
    """Everything read from the sources: the corpus, every problem, and the registry's and each source's graph."""

    corpus: Corpus
    problems: list[Problem]
    graphs: tuple[Graph, ...]
    keys: tuple[str, ...]
    """Each graph's cache key: it changes when what the graph is made from changes (see UnitCache)."""


def load_corpus(root: Path | str) -> Corpus:
    """Read and check everything under ``root``; raise SourcesInvalid listing every problem."""
    corpus, problems = check_corpus(root)
    if problems:
        raise SourcesInvalid(problems)
    return corpus


def check_corpus(root: Path | str) -> tuple[Corpus, list[Problem]]:
    """Read everything under ``root``; return what could be read and every problem found."""
    loaded = read_sources(root)
    return loaded.corpus, loaded.problems


@collector_paused()
def read_sources(root: Path | str, cache: Path | str | None = None, workers: int | None = None) -> Loaded:
    """Read and check everything under ``root``, compiling each source folder to RDF.

    With a ``cache`` folder, sources whose files (and the actors, relations and code) are
    unchanged since the last run are taken from it. ``workers`` processes compile the rest
    when there are many (default: one per CPU).
    """
    root = Path(root)
    if not root.is_dir():
        raise SourcesNotFound(f"no sources folder at {root} — run from the project root or pass --sources DIR")
    problems: list[Problem] = []
    units_cache = UnitCache(cache) if cache is not None else None
    registry_files: list[bytes] = []
    texts = [_read(root / name, problems, registry_files) for name in (RELATIONS_FILE, ACTORS_FILE)]
    registry_key = content_key(_code_digest(), *registry_files)
    folders = sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))
    keys = {folder: _folder_key(folder, registry_key) for folder in folders}
    units = _cached_units(folders, keys, units_cache)
    missing = [folder for folder in folders if folder not in units]
    workers = workers or os.cpu_count() or 1
    with _compilers(len(missing), workers) as pool:  # the processes start while the registry is read
        cached = units_cache.get_registry(registry_key) if units_cache is not None and not problems else None
        if cached is None:
            relations, actors, found = _compile_registry(root, *texts)
            problems += found
        else:
            relations, actors = cached.relations, cached.actors
        chunks = max(workers * 4, len(missing) // CHUNK_SOURCES)
        compiling = _compiled(missing, Registry.of(relations, actors), keys, units_cache, pool, chunks)
        registry_unit = cached or _registry_unit(relations, actors, registry_key, units_cache, problems)
        units.update(compiling)  # the registry's graph was made (and cached) while the workers compiled
    if not folders:
        problems.append(
            Problem(str(root), 0, "", "no source folders", "add one folder per article; see sources/README.md")
        )
    if units_cache is not None:
        units_cache.keep_only({folder.name for folder in folders})
    units = [units[folder] for folder in folders]
    sources = tuple(unit.source for unit in units if unit.source is not None)
    claim_ids = [claim.id for unit in units for claim in unit.claims]
    if len(set(claim_ids)) < len(claim_ids):  # rare: locate every claim only then (100,000 claims take a second)
        problems += duplicate_claims(_located_claims(root, units))
    problems += (problem for unit in units for problem in unit.problems)
    corpus = Corpus(
        relations=registry_unit.relations,
        actors=registry_unit.actors,
        sources=sources,
        claims=tuple(claim for unit in units for claim in unit.claims),
    )
    registry_graph = registry_unit.graph if not problems else named_graph(REGISTRY_GRAPH)
    graphs = (registry_graph, *(unit.graph for unit in units))
    return Loaded(corpus, sorted(problems), graphs, (registry_key, *(keys[folder] for folder in folders)))


def _registry_unit(
    relations: tuple[Relation, ...],
    actors: tuple[Actor, ...],
    key: str,
    units_cache: UnitCache | None,
    problems: list[Problem],
) -> RegistryUnit:
    """The relation vocabulary and the actors with their named graph (empty if there are ``problems``), cached if
    there are none."""
    graph = named_graph(REGISTRY_GRAPH, registry_ntriples(relations, actors) if not problems else "")
    unit = RegistryUnit(relations, actors, graph)
    if units_cache is not None and not problems:
        return units_cache.put_registry(key, unit)  # its texts left in the cache (see UnitCache)
    return unit


def _compile_registry(
    root: Path, relations_text: str | None, actors_text: str | None
) -> tuple[tuple[Relation, ...], tuple[Actor, ...], list[Problem]]:
    """Parse and check the relation vocabulary and the actors; return them and the problems found."""
    file = str(root / RELATIONS_FILE)
    records, problems = parse_record_list(relations_text, file, "relation") if relations_text is not None else ([], [])
    relations, more = parse_relations(records, file)
    problems += more
    file = str(root / ACTORS_FILE)
    records, more = parse_record_list(actors_text, file, "actor") if actors_text is not None else ([], [])
    actors, found = parse_actors(records, file)
    problems += more + found
    problems += check_registry(relations, actors)[1]
    return tuple(entry.item for entry in relations), tuple(entry.item for entry in actors), problems


def _located_claims(root: Path, units: list[SourceUnit]) -> list[Located]:
    located: list[Located] = []
    for unit in units:
        file = str(root / unit.folder / CLAIMS_FILE)
        pairs = zip(unit.claims, unit.claim_lines, strict=True)
        located += (Located(claim, file, line, {"id": line}) for claim, line in pairs)
    return located


def _cached_units(folders: list[Path], keys: dict[Path, str], units_cache: UnitCache | None) -> dict[Path, SourceUnit]:
    """The units of the folders whose content is unchanged since they were cached."""
    if units_cache is None:
        return {}
    cached = ((folder, units_cache.get(folder.name, keys[folder])) for folder in folders)
    return {folder: unit for folder, unit in cached if unit is not None}


@contextmanager
def _compilers(folders: int, workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes to compile this many folders, started at once; None when too few to be worth it.

    If the block fails, the chunks not yet started are dropped: every chunk is sent at once.
    """
    if folders < PARALLEL_FROM or workers < 2:
        yield None
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for _ in range(workers):  # each start spawns a process, which imports this module before any work comes
            pool.submit(import_module, __name__)
        try:
            yield pool
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _compiled(
    folders: list[Path],
    registry: Registry,
    keys: dict[Path, str],
    units_cache: UnitCache | None,
    pool: ProcessPoolExecutor | None,
    chunks: int,
) -> Iterator[tuple[Path, SourceUnit]]:
    """Each folder and its unit, compiled (and cached): here, without a ``pool``; in its processes otherwise, in this
    many chunks, all sent at once (the units come as the iterator returned is read).

    The registry goes to the processes pickled once (each keeps the last it unpickled), and each chunk with its
    folders' keys only: at a million claims, pickling them whole for every chunk took 0.5 s a chunk.
    """
    keyed = [(folder, keys[folder]) for folder in folders]
    if pool is None:
        return zip(folders, _compile_folders(keyed, registry, units_cache), strict=True)
    parts = [keyed[start::chunks] for start in range(chunks)]
    compile_chunk = partial(_compile_pickled, registry=pickle.dumps(registry), units_cache=units_cache)
    results = pool.map(compile_chunk, parts)  # every chunk is sent now
    in_order = [folder for part in parts for folder, _ in part]
    return zip(in_order, itertools.chain.from_iterable(results), strict=True)


def _compile_pickled(
    folders: list[tuple[Path, str]], registry: bytes, units_cache: UnitCache | None
) -> list[SourceUnit]:
    """_compile_folders in a worker process, with the registry as pickled."""
    return _compile_folders(folders, _unpickled_registry(registry), units_cache)


@lru_cache(maxsize=1)
def _unpickled_registry(pickled: bytes) -> Registry:
    return pickle.loads(pickled)


def _compile_folders(
    folders: list[tuple[Path, str]], registry: Registry, units_cache: UnitCache | None
) -> list[SourceUnit]:
    """Compile the folders, each put in the cache (if any) under its key: in the worker process, not the parent. The
    units put there come back with their texts left there (see UnitCache): a worker sends the parent little."""
    units = [_compile_folder(folder, registry) for folder, _ in folders]
    if units_cache is None:
        return units
    return [units_cache.put(key, unit) for (_, key), unit in zip(folders, units, strict=True)]


def _compile_folder(folder: Path, registry: Registry) -> SourceUnit:
    """Read, check and turn into RDF one source folder."""
    problems: list[Problem] = []
    source, claims = _read_source(folder, problems)
    article = source.item.text if source is not None else None
    checked, more = check_claims(claims, article, registry)
    problems += more
    own, direct = (
        source_ntriples(source.item, checked, registry.relations) if source is not None and not problems else ("", "")
    )
    lines = tuple(entry.line_of("id") for entry in claims)
    graph = named_graph(GRAPH[folder.name], own, direct)
    return SourceUnit(folder.name, source.item if source else None, tuple(checked), lines, tuple(problems), graph)


def _read_source(folder: Path, problems: list[Problem]) -> tuple[Located | None, list[Located]]:
    if not ID_PATTERN.match(folder.name):
        problems.append(
            Problem(
                str(folder),
                0,
                "",
                f"'{folder.name}' is not a valid source id",
                "rename the folder with letters, digits and '-' only",
            )
        )
        return None, []
    article = _read(folder / ARTICLE_FILE, problems)
    if article is not None and not article.strip():
        problems.append(
            Problem(str(folder / ARTICLE_FILE), 0, "", "file is empty", "paste the article's text, unchanged")
        )
    source = None
    meta = _read(folder / SOURCE_FILE, problems)
    if meta is not None:
        record, found = parse_record(meta, str(folder / SOURCE_FILE), "source")
        problems += found
        if record is not None:
            source, found = parse_source(record, str(folder / SOURCE_FILE), folder.name, article or "")
            problems += found
    claims_text = _read(folder / CLAIMS_FILE, problems)
    if claims_text is None:
        return source, []
    records, found = parse_record_list(claims_text, str(folder / CLAIMS_FILE), "claim")
    claims, more = parse_claims(records, str(folder / CLAIMS_FILE), folder.name)
    problems += found + more
    return source, claims


def _folder_key(folder: Path, registry_key: str) -> str:
    """The cache key of a folder: its name and files, the actors and relations, and the code."""
    parts = [registry_key.encode(), folder.name.encode()]
    for name in (ARTICLE_FILE, SOURCE_FILE, CLAIMS_FILE):
        try:
            parts.append((folder / name).read_bytes())
        except OSError:
            parts.append(b"\0missing")
    return content_key(*parts)


@cache
def _code_digest() -> bytes:
    """A digest of the modules that compile a source, and of Oxigraph's version (it writes the
    cached TriG): a change to any of them invalidates the cache."""
    return code_key(_CODE, "pyoxigraph").encode()


def _read(path: Path, problems: list[Problem], contents: list[bytes] | None = None) -> str | None:
    try:
        data = path.read_bytes()
        if contents is not None:
            contents.append(data)
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, "", "file is missing", "create it; see sources/README.md for its format"))
        return None
    except OSError as error:
        problems.append(Problem(str(path), 0, "", f"cannot be read ({error.strerror})", "check the file's permissions"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(str(path), line, "", "not valid UTF-8 text", "save the file as UTF-8"))
        return None
