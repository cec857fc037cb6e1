"""The pipeline: checked corpus → validated RDF dataset → export files."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import formats, render
from .analysis import Analysis, analyse, analysis_nquads
from .errors import GraphInvalid, SourcesInvalid
from .export import staged_exports
from .load import Loaded, read_sources
from .model import Corpus
from .named_graphs import NamedGraph, distinct_triples, named_graph, trig_document
from .rdf import dataset_from_nquads, union_graph
from .report import generate_json, generate_markdown
from .shacl import violations
from .store_versions import load_next_store, remove_store, store_lock, switch_store


@dataclass(frozen=True)
class Built:
    """A checked corpus, its analysis, and its RDF.

    The RDF is kept as named graphs (the registry, each source, the analysis), as every
    distinct triple merged into N-Triples (graph by graph), and as those triples in an in-memory
    Oxigraph store's default graph, for validation and the exports Oxigraph writes.
    """

    corpus: Corpus
    analysis: Analysis
    graphs: tuple[NamedGraph, ...]
    ntriples: str
    store: ox.Store

    @cached_property
    def nquads(self) -> str:
        """The whole dataset as N-Quads (made on first use: the exports do not need it)."""
        return "".join(graph.nquads for graph in self.graphs)

    @cached_property
    def triple_count(self) -> int:
        return self.ntriples.count("\n")

    @cached_property
    def dataset(self) -> Dataset:
        """The dataset in rdflib, for working with it in Python (made on first use: slow for large corpora)."""
        return dataset_from_nquads(self.nquads)

    @cached_property
    def graph(self) -> Graph:
        """All named graphs merged into one rdflib Graph."""
        return union_graph(self.dataset)


EXPORTS: dict[str, Callable[[Built], bytes]] = {
    "graph.ttl": lambda built: formats.generate_turtle(built.store),
    "graph.trig": lambda built: trig_document(built.graphs),
    "graph.nt": lambda built: built.ntriples.encode("utf-8"),
    "graph.jsonld": lambda built: formats.generate_jsonld(built.store),
    "claims.csv": lambda built: formats.generate_claims_csv(built.corpus),
    "actors.graphml": lambda built: formats.generate_graphml(built.corpus),
    "analysis.md": lambda built: generate_markdown(built.analysis),
    "analysis.json": lambda built: generate_json(built.analysis),
    "graph.html": lambda built: render.generate_graph_html(built.corpus),
}
"""Every file ``actorgraph build`` writes, and how each is made."""

FROM_THE_STORE = ("graph.ttl", "graph.jsonld")
"""Exports Oxigraph writes from its index without Python's interpreter lock: made beside the others."""


CACHE_FOLDER = ".cache"
"""Where ``build`` keeps compiled sources inside the exports folder, to rebuild only what changed."""


def check(sources: Path | str, cache: Path | str | None = None) -> Built:
    """Load and check the sources, build the dataset (with the analysis's measures) and validate it.

    With a ``cache`` folder, unchanged sources are not compiled again. Raises SourcesInvalid
    or GraphInvalid listing every problem.
    """
    loaded = read_sources(sources, cache)
    if loaded.problems:
        raise SourcesInvalid(loaded.problems)
    return analysed_and_validated(loaded)


def analysed_and_validated(loaded: Loaded) -> Built:
    """Analyse the loaded sources and validate their graph, the two at once.

    The sources' triples are loaded into the store and validated in a second thread while
    the analysis runs: Oxigraph works outside Python's interpreter lock. The analysis's
    measures are added after; no shape speaks of them. Raises GraphInvalid.
    """
    triples = "".join(distinct_triples(graph.nquads for graph in loaded.graphs))
    with ThreadPoolExecutor(1) as pool:
        validating = pool.submit(_validated_store, triples)
        analysis = analyse(loaded.corpus)
        store, problems = validating.result()
    if problems:
        raise GraphInvalid(problems)
    measures = named_graph(analysis_nquads(analysis))
    more = _not_in(store, list(distinct_triples([measures.nquads])))
    store.load(more, format=ox.RdfFormat.N_TRIPLES)
    return Built(loaded.corpus, analysis, (*loaded.graphs, measures), triples + more, store)


def memory_store(ntriples: str) -> ox.Store:
    """N-Triples text in a new in-memory Oxigraph store's default graph."""
    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def _not_in(store: ox.Store, lines: list[str]) -> str:
    """The N-Triples lines whose triple the store does not hold yet (asked of the store: no set of every line).

    >>> store = ox.Store()
    >>> store.load("<a:s> <a:p> <a:o> .\\n", format=ox.RdfFormat.N_TRIPLES)
    >>> _not_in(store, ["<a:s> <a:p> <a:o> .\\n", "<a:s> <a:p> <a:x> .\\n"])
    '<a:s> <a:p> <a:x> .\\n'
    """
    triples = ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return "".join(line for line, triple in zip(lines, triples, strict=True) if triple not in store)


def _validated_store(ntriples: str) -> tuple[ox.Store, list[str]]:
    store = memory_store(ntriples)
    return store, violations(store)


def make_exports(built: Built, keep: Callable[[str, bytes], None]) -> None:
    """Make every export and hand each to ``keep`` as soon as it is made, so that few are in memory at once.

    The exports Oxigraph writes from the store are made in other threads meanwhile.
    """
    with ThreadPoolExecutor(len(FROM_THE_STORE)) as pool:
        dumping = {name: pool.submit(EXPORTS[name], built) for name in FROM_THE_STORE}
        for name, make in EXPORTS.items():
            if name not in FROM_THE_STORE:
                keep(name, make(built))
            for dumped in [dumped for dumped, future in dumping.items() if future.done()]:
                keep(dumped, dumping.pop(dumped).result())
        for dumped, future in dumping.items():
            keep(dumped, future.result())


def publish(built: Built, exports: Path | str) -> list[Path]:
    """Write every export and refresh the query store; a failure leaves the previous ones as they were.

    Each export is written to a temporary file as soon as it is made, and all are put in
    place once every one is written and the store is ready. The store loads in a second
    thread meanwhile: Oxigraph loads outside Python's interpreter lock, so the two overlap.
    """
    with store_lock(exports), ThreadPoolExecutor(1) as pool, staged_exports(exports) as staged:
        loading = pool.submit(load_next_store, built.ntriples, exports)
        try:
            make_exports(built, staged.write)
        except BaseException:
            _discard(loading)
            raise
        store = switch_store(loading.result(), exports)  # before the files: a failure leaves them as they were
        staged.put_in_place()
    return [*(Path(exports) / name for name in EXPORTS), store]


def build(sources: Path | str, exports: Path | str) -> tuple[Built, list[Path]]:
    """Check the sources, write every export into ``exports`` and refresh the query store."""
    built = check(sources, Path(exports) / CACHE_FOLDER)
    return built, publish(built, exports)


def _discard(loading: Future[Path]) -> None:
    with contextlib.suppress(Exception):  # if the load failed too, it cleaned up after itself
        remove_store(loading.result())
