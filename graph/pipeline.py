"""The pipeline: checked corpus → validated RDF dataset → export files."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import astuple, dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import formats, render
from .analysis import Analysis, analyse, analysis_graph
from .errors import GraphInvalid, SourcesInvalid
from .export import StagedExports, staged_exports
from .forked import Child, in_child
from .graph_files import (
    GraphFiles,
    NTriplesParts,
    finish_ntriples,
    finish_other_formats,
    write_ntriples,
    write_other_formats,
)
from .load import read_sources
from .memory import release_freed_memory
from .memos import Memos, analysis_memo, structure_key
from .model import Corpus
from .named_graphs import NamedGraph
from .priority import CHILD_NICENESS, in_background
from .rdf import dataset_from_trig, union_graph
from .report import generate_json, generate_markdown
from .store_versions import NextStore, finish_next_store, remove_store, start_next_store, store_lock, switch_store
from .validation import put_validated, unvalidated, violations_in_parts

T = TypeVar("T")


@dataclass(frozen=True)
class Built:
    """A checked corpus, its analysis, and its RDF.

    The RDF is in files, written as soon as the sources are compiled (see graph/graph_files.py):
    every distinct triple in N-Triples, Turtle and JSON-LD (the sources', then the measures)
    and the named graphs in TriG (the registry, each source, the analysis).
    """

    corpus: Corpus
    analysis: Analysis
    files: GraphFiles
    triple_count: int
    """How many distinct triples the graph has."""

    @cached_property
    def store(self) -> ox.Store:
        """Every distinct triple in an in-memory Oxigraph store's default graph (loaded on first use)."""
        return memory_store(self.files.ntriples)

    @cached_property
    def ntriples(self) -> str:
        """Every distinct triple as one N-Triples text (read on first use)."""
        return self.files.ntriples.read_text(encoding="utf-8")

    @cached_property
    def dataset(self) -> Dataset:
        """The dataset in rdflib, named graphs and all (made on first use, from the TriG: slow for large corpora)."""
        return dataset_from_trig(self.files.trig.read_text(encoding="utf-8"))

    @cached_property
    def graph(self) -> Graph:
        """All named graphs merged into one rdflib Graph."""
        return union_graph(self.dataset)


FROM_THE_CORPUS: dict[str, Callable[..., object]] = {
    "graph.html": render.write_graph_html,
    "claims.csv": formats.write_claims_csv,
    "actors.graphml": formats.write_graphml,
}
"""Exports made from the checked corpus alone, each written into the file at a path (the page
with its network, if made: see render.write_graph_html): ``build`` makes them in forked child
processes (see graph/forked.py) while it analyses the corpus and validates the graph.
"""

CHILDREN = (("graph.html",), ("claims.csv", "actors.graphml"))
"""Which of FROM_THE_CORPUS each forked child writes, the page apart: it takes longest, and when the analysis comes
from its memo (see graph/memos.py), these exports are what a rebuild waits on."""

FROM_THE_ANALYSIS: dict[str, Callable[[Analysis, Path], object]] = {
    "analysis.json": lambda analysis, path: path.write_bytes(generate_json(analysis)),
    "analysis.md": lambda analysis, path: path.write_bytes(generate_markdown(analysis)),
}
"""Exports made from the analysis alone, each written into the file at a path: ``build`` makes them while
the graph is being validated."""


def _of_corpus(name: str) -> Callable[[Built, Path], object]:
    return lambda built, path: FROM_THE_CORPUS[name](built.corpus, path)


def _of_analysis(name: str) -> Callable[[Built, Path], object]:
    return lambda built, path: FROM_THE_ANALYSIS[name](built.analysis, path)


EXPORTS: dict[str, Callable[[Built, Path], object]] = {
    "graph.ttl": lambda built, path: shutil.copyfile(built.files.turtle, path),
    "graph.trig": lambda built, path: shutil.copyfile(built.files.trig, path),
    "graph.nt": lambda built, path: shutil.copyfile(built.files.ntriples, path),
    "graph.jsonld": lambda built, path: shutil.copyfile(built.files.jsonld, path),
    "claims.csv": _of_corpus("claims.csv"),
    "actors.graphml": _of_corpus("actors.graphml"),
    "analysis.md": _of_analysis("analysis.md"),
    "analysis.json": _of_analysis("analysis.json"),
    "graph.html": _of_corpus("graph.html"),
}
"""Every file ``actorgraph build`` writes, and how each is written into the file at a path.

``build`` writes the graph's files (graph.nt, graph.trig, graph.ttl, graph.jsonld) as it goes
(see GraphFiles); they are copied only when a Built is exported elsewhere.
"""


CACHE_FOLDER = ".cache"
"""Where ``build`` keeps compiled sources inside the exports folder, to rebuild only what changed."""


def check(
    sources: Path | str,
    cache: Path | str | None = None,
    meanwhile: Callable[[Corpus, Analysis], Iterator[str]] | None = None,
    files: GraphFiles | None = None,
    when_written: Callable[[Corpus, NTriplesParts, Memos | None], Future[object] | None] | None = None,
    when_measured: Callable[[], object] | None = None,
) -> Built:
    """Load and check the sources, build the dataset (with the analysis's measures) and validate it.

    With a ``cache`` folder, unchanged sources are not compiled again, nor validated again if
    they met the shapes in an earlier build (see graph/validation.py). The graph is written
    into ``files`` (by default, temporary ones): the N-Triples first; then, while the graph is
    analysed and validated, the other formats by a forked child process (see graph/forked.py:
    mostly copied in the kernel, a piece of a cached source at a time, each piece would wait
    for Python's interpreter lock in a thread), and the measures by a thread: in the N-Triples
    once they are made and nothing reads it as it was (see below), in the others once the
    child is done. ``when_written`` is called as soon as the sources' N-Triples are written,
    with the corpus, the N-Triples file's parts (the measures come after them) and the memos
    of the corpus's structure in the ``cache`` (see graph/memos.py; None without one), before
    any thread starts; it may return a future of work that reads the N-Triples file as it is
    then, which the measures wait for.
    ``when_measured`` is called by the measures' thread as soon as they are in the N-Triples.
    ``meanwhile`` gives work on the checked corpus and its analysis to do while the graph is
    validated (see analysed_and_validated). Raises SourcesInvalid or GraphInvalid listing
    every problem.
    """
    loaded = read_sources(sources, cache)
    if loaded.problems:
        raise SourcesInvalid(loaded.problems)
    files = files or GraphFiles.temporary()
    parts = write_ntriples(loaded.graphs, files.ntriples)
    corpus, keys, graphs = loaded.corpus, loaded.keys, loaded.graphs
    del loaded
    release_freed_memory()
    memos = Memos(Path(cache), structure_key(corpus)) if cache is not None else None
    formats = in_child(partial(write_other_formats, graphs, files))  # before any thread starts
    del graphs  # the child's now: their texts (those not in the cache) go from here
    try:
        reading = when_written(corpus, parts, memos) if when_written is not None else None  # it may fork
        wanted = unvalidated(keys, cache)
        with ThreadPoolExecutor(1) as writer:  # the measures

            def add_measures(measures: NamedGraph) -> Future[int]:
                return writer.submit(_measures_added, measures, files, when_measured, formats, reading)

            built = analysed_and_validated(corpus, files, parts, wanted, meanwhile, memos, add_measures)
    finally:
        formats.stop()  # waited for by the measures' thread; stopped here if something failed first
    put_validated(keys, cache)
    return built


def analysed_and_validated(
    corpus: Corpus,
    files: GraphFiles,
    parts: NTriplesParts,
    wanted: Sequence[int],
    meanwhile: Callable[[Corpus, Analysis], Iterator[str]] | None = None,
    memos: Memos | None = None,
    add_measures: Callable[[NamedGraph], Future[int]] | None = None,
) -> Built:
    """Analyse the corpus and validate the ``wanted`` graphs (by their ``parts`` of the N-Triples in ``files``).

    They are validated in a second thread (see graph/validation.py) while the analysis runs
    and its measures are added to the files (after the parts, which are all the validation
    reads; no shape speaks of the measures): Oxigraph works outside Python's interpreter lock.
    ``add_measures(measures)`` adds them (by default: now), and says how many triples they are.
    Until all that has ended, the steps of ``meanwhile(corpus, analysis)`` are taken one by one.
    With ``memos``, the analysis is taken from them if what it reads is unchanged, and kept
    there otherwise (see graph/memos.py), by a thread. Raises GraphInvalid.
    """
    with ThreadPoolExecutor(2) as pool:
        validating = pool.submit(in_background, violations_in_parts, files.ntriples, parts, wanted)
        analysis, measures, remembering = _analysed(corpus, memos, pool)
        measuring = add_measures(measures) if add_measures else _done(_measures_added(measures, files))
        steps = meanwhile(corpus, analysis) if meanwhile else iter(())
        while not all(work.done() for work in (validating, remembering, measuring)) and next(steps, None) is not None:
            pass  # a step was taken
        remembering.result()
        triples = parts.triples + measuring.result()
        problems = validating.result()
    if problems:
        raise GraphInvalid(problems)
    return Built(corpus, analysis, files, triples)


def _measures_added(
    measures: NamedGraph,
    files: GraphFiles,
    then: Callable[[], object] | None = None,
    formats: Child | None = None,
    reading: Future[object] | None = None,
) -> int:
    """Add the measures to the graph's N-Triples (see finish_ntriples), once what was ``reading`` it has ended, and
    call ``then()``; then to the other formats (see finish_other_formats), once they are written (by ``formats``, if
    given). Return their triple count."""
    if reading is not None:
        wait([reading])  # whether it failed is for its owner to find
    count = finish_ntriples(measures, files.ntriples)
    if then is not None:
        then()
    if formats is not None:
        formats.wait()
    finish_other_formats(measures, files)
    return count


def _analysed(
    corpus: Corpus, memos: Memos | None, pool: ThreadPoolExecutor
) -> tuple[Analysis, NamedGraph, Future[None]]:
    """The corpus's analysis and its measures' named graph, from the ``memos``; or made, and being kept there by a
    thread of the ``pool`` (the future returned; signing and writing the memo let go of the GIL)."""
    remembered = memos.analysis(corpus) if memos is not None else None
    if remembered is not None:
        return *remembered, _done(None)
    analysis = analyse(corpus)
    measures = analysis_graph(analysis)  # its lines are its own: no other graph states a measure
    if memos is None:
        return analysis, measures, _done(None)
    return analysis, measures, pool.submit(memos.keep_analysis, analysis_memo(analysis, measures))


def _done(value: T) -> Future[T]:
    done: Future[T] = Future()
    done.set_result(value)
    return done


def memory_store(ntriples: Path) -> ox.Store:
    """An N-Triples file in a new in-memory Oxigraph store's default graph."""
    store = ox.Store()
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def make_exports(built: Built, staged: StagedExports) -> None:
    """Write every export not yet ``staged``, each straight into its staged file."""
    for name in EXPORTS:
        if name not in staged.names:
            staged.write_with(name, partial(EXPORTS[name], built))


def build(sources: Path | str, exports: Path | str) -> tuple[Built, list[Path]]:
    """Check the sources, write every export into ``exports`` and refresh the query store.

    As soon as the sources' triples are written, forked child processes write the exports made
    from the corpus alone (see CHILDREN) and the next query store starts loading (Oxigraph loads outside
    Python's interpreter lock) from graph.nt itself, which gets the measures once the store has its
    start, and the store then; the exports made from the analysis are written, while the graph is
    still being validated. None is put in place unless the check passes. Raises SourcesInvalid or
    GraphInvalid, leaving the previous exports as they were. The Built returned reads its graph
    from the exports (graph.nt and the others).
    """
    exports = Path(exports)
    with staged_exports(exports) as staged, contextlib.ExitStack() as locked, ThreadPoolExecutor(1) as pool:
        names = GraphFiles.in_folder(exports)
        files = GraphFiles(*(staged.begin(path.name) for path in astuple(names)))
        store: list[Future[NextStore]] = []  # the next store, started; then finished (on the same thread)
        writing: list[Child] = []

        def when_written(corpus: Corpus, parts: NTriplesParts, memos: Memos | None) -> Future[NextStore]:
            for names in CHILDREN:  # forked before any thread starts
                targets = {name: staged.begin(name) for name in names}
                writing.append(in_child(partial(_write_from_corpus, corpus, targets, memos), CHILD_NICENESS))
                locked.callback(writing[-1].stop)  # if the build fails: once it has ended, it does nothing
            locked.enter_context(store_lock(exports))  # until the store is switched (or discarded)
            store.append(pool.submit(start_next_store, files.ntriples, parts.ends[-1], exports))
            return store[0]  # it reads the N-Triples as they are (see start_next_store)

        def when_measured() -> None:
            store.append(pool.submit(_finished, store[0], files.ntriples))

        made_meanwhile = partial(_made_meanwhile, staged=staged)
        try:
            built = check(sources, exports / CACHE_FOLDER, made_meanwhile, files, when_written, when_measured)
        except BaseException:
            if store:
                _discard(store[-1])
            raise
        written = _publish(built, exports, staged, store[-1], writing)
    return replace(built, files=names), written


def _write_from_corpus(corpus: Corpus, targets: dict[str, Path], memos: Memos | None) -> None:
    """Write each export of FROM_THE_CORPUS into its file in ``targets``: the page with its network from the
    ``memos``, if any."""
    for name, path in targets.items():
        if name == "graph.html" and memos is not None:
            FROM_THE_CORPUS[name](corpus, path, network=memos.page_network)
        else:
            FROM_THE_CORPUS[name](corpus, path)


def _finished(started: Future[NextStore], ntriples: Path) -> NextStore:
    """The next store, once ``started``, with the rest of the N-Triples file added (see finish_next_store)."""
    next_store = started.result()
    finish_next_store(next_store, ntriples)
    return next_store


def _made_meanwhile(corpus: Corpus, analysis: Analysis, staged: StagedExports) -> Iterator[str]:
    """Write the exports made from the analysis alone, one per step (nothing before the first); yield each name."""
    for name, write in FROM_THE_ANALYSIS.items():
        staged.write_with(name, partial(write, analysis))
        yield name


def _publish(
    built: Built, exports: Path, staged: StagedExports, finishing: Future[NextStore], writing: list[Child]
) -> list[Path]:
    """Write the exports not yet ``staged``, wait for the next store to be finished, switch to it, then put every
    export in place.

    Each export is written to a temporary file as soon as it is made.
    """
    try:
        for child in writing:
            child.wait()  # the exports of the corpus, written by child processes
        make_exports(built, staged)
        staged.flush()  # the graph's files, written as the build went
        fresh = finishing.result().directory
    except BaseException:
        _discard(finishing)
        raise
    store = switch_store(fresh, exports)  # before the files: a failure leaves them as they were
    staged.put_in_place()
    return [*(exports / name for name in EXPORTS), store]


def _discard(making: Future[NextStore]) -> None:
    """Remove the next store once the last step of making it has ended (if it failed, it cleaned up after itself)."""
    with contextlib.suppress(Exception):
        remove_store(making.result().directory)
