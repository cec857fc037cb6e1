"""The plain way of each step, measured in child processes that can be stopped.

Each baseline runs in a fresh process that reads what it needs from files and reports its
steps as it goes (see :func:`limited`). rdflib's slow steps run one by one in processes
forked from the one that parsed the graph (see :func:`forked`): each step gets the whole
limit and a stopped step does not stop the next, so every export has its own figure even
when rdflib takes minutes over some.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

GRACE = 60.0
"""Seconds the parent waits beyond a child's own limit for a step before it stops the child."""

CLAIMS_CSV_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX ag: <https://w3id.org/actorgraph/ns#>
SELECT ?claim_id ?subject_id ?subject ?relation ?object_id ?object ?certainty ?said_by ?quote ?quote_line
       ?source_id ?source_title ?publisher ?author ?date ?url ?note
WHERE {
  ?claim a ag:Claim ; dcterms:identifier ?claim_id ; rdf:subject ?s ; rdf:predicate ?r ; rdf:object ?o ;
         ag:certainty ?level ; ag:citation ?citation ; prov:wasDerivedFrom ?article .
  ?s dcterms:identifier ?subject_id ; rdfs:label ?subject .
  ?o dcterms:identifier ?object_id ; rdfs:label ?object .
  ?r dcterms:identifier ?relation .
  BIND (STRAFTER(STR(?level), STR(ag:)) AS ?certainty)
  ?citation ag:quote ?quote .
  OPTIONAL { ?citation ag:quoteLine ?quote_line }
  OPTIONAL { ?claim ag:saidBy ?speaker . OPTIONAL { ?speaker dcterms:identifier ?speaker_id } }
  BIND (IF(?speaker = ag:unnamedSource, "unnamed", ?speaker_id) AS ?said_by)
  ?article dcterms:identifier ?source_id ; dcterms:title ?source_title ; dcterms:date ?date .
  OPTIONAL { ?article dcterms:publisher ?publisher }
  OPTIONAL { ?article dcterms:creator ?author }
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?claim rdfs:comment ?note }
}
ORDER BY ?claim_id
"""
"""claims.csv as someone with rdflib alone would make it: a SELECT over the merged graph, its results as CSV (the
same rows and columns: tests/test_baselines.py)."""


@dataclass
class Timings:
    """What a baseline measured: the steps it finished, those stopped at their limit or failed, and where it was if
    stopped."""

    done: dict[str, float]
    stopped: dict[str, float] = field(default_factory=dict)
    """Steps stopped at their limit (by the child itself), with how long they had run: lower bounds."""
    failed: dict[str, str] = field(default_factory=dict)
    """Steps that failed, and how."""
    running: str | None = None
    """The step it was in when the parent stopped it (None: stopped before it reported any step)."""
    ran: float = 0.0
    """How long that step had run when stopped: a lower bound for it."""

    def result(self, key: str, limit: float) -> tuple[float | None, bool]:
        """``key``'s seconds and whether that is a lower bound; None if it was never reached (or failed)."""
        if key in self.done:
            return self.done[key], False
        if key in self.stopped:
            return self.stopped[key], True
        if key == self.running:
            return self.ran, True
        if self.failed:
            return None, True
        return (limit, True) if self.running is None else (None, True)

    def total(self, keys: tuple[str, ...], limit: float) -> tuple[float | None, bool]:
        """The seconds of the ``keys``' steps together and whether that is a lower bound; None if none was reached."""
        total, bound = None, False
        for key in keys:
            seconds, stopped = self.result(key, limit)
            if seconds is None:
                return total, True
            total, bound = (total or 0.0) + seconds, bound or stopped
        return total, bound

    def failure(self, keys: tuple[str, ...]) -> str | None:
        """How the first of the ``keys``' steps that failed failed; None if none did."""
        return next((self.failed[key] for key in keys if key in self.failed), None)


def limited(function: Callable, *args: object, limit: float) -> Timings:
    """Run ``function(*args)`` in a fresh process, stopped once it has gone ``limit`` seconds without news; what it
    measured by then.

    Functions that call :func:`_started` and :func:`_finished` (or :func:`forked`) report step
    by step, so each step has ``limit`` seconds and a stop keeps the steps already done; the
    others report only their result, and have ``limit`` seconds in all. The process and those
    it forked are stopped together (it leads a process group of its own).
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args))
    process.start()
    sender.close()
    timings, running, since = Timings({}), None, 0.0
    try:
        while True:
            if not receiver.poll(limit):
                timings.running = running
                timings.ran = time.monotonic() - since if running else 0.0
                break
            try:
                kind, *event = receiver.recv()
            except EOFError:  # it ended without its result
                process.join(5)
                timings.failed[running or function.__name__] = f"its process ended with status {process.exitcode}"
                break
            if kind == "started":
                running, since = event[0], time.monotonic()
            elif kind == "finished":
                timings.done[event[0]], running = event[1], None
            elif kind == "stopped":
                timings.stopped[event[0]], running = event[1], None
            elif kind == "failed":
                timings.failed[event[0]], running = event[1], None
            else:
                timings.done.update(event[0])
                break
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.join()
        receiver.close()
    return timings


_PROGRESS = None


def _child(sender, function: Callable, args: tuple) -> None:
    global _PROGRESS
    os.setsid()  # a process group of its own, which limited() stops with what it forked
    _PROGRESS = sender
    sender.send(("result", function(*args)))


def _started(key: str) -> None:
    _PROGRESS.send(("started", key))


def _finished(key: str, seconds: float) -> None:
    _PROGRESS.send(("finished", key, seconds))


def _stopped(key: str, seconds: float) -> None:
    _PROGRESS.send(("stopped", key, seconds))


def _failed(key: str, how: str) -> None:
    _PROGRESS.send(("failed", key, how))


def timed(key: str, step: Callable[[], object]) -> object:
    """Run ``step`` here, reported as the step ``key``; its result."""
    _started(key)
    started = time.perf_counter()
    result = step()
    _finished(key, time.perf_counter() - started)
    return result


def forked(key: str, step: Callable[[], object], limit: float, runs: int = 1, enough: float = math.inf) -> None:
    """Run ``step`` in a process forked from this one (it shares what this one has loaded): ``runs`` times, or fewer
    once the runs have taken ``enough`` seconds, each stopped after ``limit`` seconds. Each run is reported as a
    step (see _started): ``key``, or ``key #n`` when there are several; a run stopped or failed ends them.

    The fork itself is not timed; the pages of this process's objects that a run touches are
    copied within it (the objects that exist now are frozen, so that the collector leaves them).
    """
    reading, writing = os.pipe()
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        raise
    if pid == 0:  # the forked process: run the step, write how long each run took as a line
        os.close(reading)
        os._exit(_timed_runs(step, runs, writing))
    os.close(writing)
    said, spent = b"", 0.0
    try:
        for run in range(runs):
            if spent >= enough:
                break
            name = key if runs == 1 else f"{key} #{run}"
            _started(name)
            line, said = _line(reading, said, limit)
            if line is None and said is None:  # the process ended before the run did
                _failed(name, _ending(pid))
                return
            if line is None:
                _stopped(name, limit)
                return
            spent += float(line)
            _finished(name, float(line))
    finally:
        os.close(reading)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _line(reading: int, said: bytes, limit: float) -> tuple[bytes | None, bytes | None]:
    """The next line from the pipe (after what was ``said`` already) and what follows it; (None, what was said) if
    none came within ``limit`` seconds; (None, None) if the pipe ended without one."""
    deadline = time.monotonic() + limit
    while b"\n" not in said:
        ready, _, _ = select.select([reading], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None, said
        more = os.read(reading, 4096)
        if not more:
            return None, None
        said += more
    line, rest = said.split(b"\n", 1)
    return line, rest


def _ending(pid: int) -> str:
    """How the forked process ``pid`` ended (it has, or is about to)."""
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"ended with status {code} (see its error above)"


def _timed_runs(step: Callable[[], object], runs: int, writing: int) -> int:
    """Run ``step`` as forked asks, writing each run's seconds as a line; the process's exit status."""
    try:
        for _ in range(runs):
            started = time.perf_counter()
            step()
            os.write(writing, f"{time.perf_counter() - started!r}\n".encode())
        return 0
    except BaseException:
        traceback.print_exc()
        return 1


def rdflib_pipeline(nquads_path: str, wanted: tuple[str, ...], limit: float) -> dict[str, float]:
    """rdflib alone: parse the N-Quads, merge them, then each of the ``wanted`` steps in a forked process of its own,
    for at most ``limit`` seconds each: the four RDF exports with its serialisers, "shacl" (pySHACL), "claims.csv"
    (its SPARQL evaluator and CSV results writer)."""
    from rdflib import Dataset

    from graph.rdf import union_graph
    from graph.shacl import pyshacl_violations

    dataset = Dataset()
    timed("parse", lambda: dataset.parse(nquads_path, format="nquads"))
    graph = timed("merge", lambda: union_graph(dataset))
    steps = {
        "graph.ttl": lambda: graph.serialize(format="turtle"),
        "graph.trig": lambda: dataset.serialize(format="trig"),
        "graph.nt": lambda: graph.serialize(format="nt"),
        "graph.jsonld": lambda: graph.serialize(format="json-ld"),
        "shacl": lambda: pyshacl_violations(graph),
        "claims.csv": lambda: graph.query(CLAIMS_CSV_QUERY).serialize(format="csv"),
    }
    for name in wanted:
        forked(name, steps[name], limit)
    return {}


def rdflib_queries(
    exports: str, queries: list[tuple[str, str, dict]], runs: int, timeout: float, enough: float
) -> dict[str, float]:
    """rdflib's evaluator as a worker of ``serve --engine rdflib`` runs it: graph.trig parsed once (the step "load"),
    then each query (at most 10,000 rows, pickled as a worker sends them) in a forked process of its own, each run
    stopped after ``timeout`` seconds; ``runs`` times, or fewer once its runs have taken ``enough`` seconds. The runs
    are the steps "query:<name> #<n>" ("query:<name>" if one run is asked for; see forked)."""
    from graph.store import open_engine

    engine = timed("load", lambda: open_engine("rdflib", exports))
    engine.query("ASK { ?s ?p ?o }")  # rdflib's SPARQL parser and evaluator made ready, as a worker's are
    for name, text, bindings in queries:
        answered = partial(_pickled_answer, engine, text, bindings)
        forked(f"query:{name}", answered, timeout, runs, enough)
    return {}


def _pickled_answer(engine, text: str, bindings: dict) -> bytes:
    return pickle.dumps(engine.query(text, bindings, 10_000))


def rdflib_parse(path: str, rdf_format: str) -> dict[str, float]:
    from rdflib import Dataset

    started = time.perf_counter()
    Dataset().parse(path, format=rdf_format)
    return {"parse": time.perf_counter() - started}


def networkx_graphml(sources: str) -> dict[str, float]:
    import io

    import networkx as nx

    from graph.load import load_corpus
    from graph.projection import claim_multigraph

    graph = claim_multigraph(load_corpus(sources))
    started = time.perf_counter()
    nx.write_graphml(graph, io.BytesIO())
    return {"graphml": time.perf_counter() - started}


def exact_betweenness(sources: str) -> dict[str, float]:
    import networkx as nx

    from graph.load import load_corpus
    from graph.projection import actor_digraph

    graph = actor_digraph(load_corpus(sources))
    started = time.perf_counter()
    nx.betweenness_centrality(graph)
    return {"betweenness": time.perf_counter() - started}


def pyvis_page(sources: str) -> dict[str, float]:
    from benchmarks.bench_render import render_pyvis_default
    from graph.load import load_corpus

    corpus = load_corpus(sources)
    started = time.perf_counter()
    render_pyvis_default(corpus)
    return {"page": time.perf_counter() - started}


def pyvis_settle(sources: str) -> dict[str, float]:
    """Seconds until pyvis's default physics comes to rest, for the 100 busiest actors of the corpus."""
    import dataclasses

    from playwright.sync_api import sync_playwright

    from benchmarks.bench_render import CHROMIUM_ARGS, render_pyvis_default, timings
    from graph.load import load_corpus
    from graph.on_page import busiest_first

    corpus = load_corpus(sources)
    top = set(busiest_first(corpus)[:100])
    claims = tuple(claim for claim in corpus.claims if claim.subject in top and claim.object in top)
    actors = tuple(actor for actor in corpus.actors if actor.id in top)
    small = dataclasses.replace(corpus, actors=actors, claims=claims)
    path = Path(tempfile.mkdtemp(prefix="actorgraph-pyvis-")) / "pyvis.html"
    path.write_text(render_pyvis_default(small), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        stamps = {"drawn": "__bench.drawn"}
        run = timings(browser, path, "window.__bench && __bench.drawn", stamps, timeout=600, settle="__bench.stable")
        browser.close()
    shutil.rmtree(path.parent)
    settled = run["settled"] / 1000 if run["settled"] is not None else None
    return {"settled": settled, "watched": run["drawn"] / 1000 + 20}


def load_in_one_process(sources: str) -> dict[str, float]:
    from graph.load import read_sources

    started = time.perf_counter()
    read_sources(sources, workers=1)
    return {"load": time.perf_counter() - started}
