"""Run queries in worker processes that can be stopped: a time limit that really ends a query.

Neither Oxigraph nor rdflib can cancel a query from inside the process that runs it, so
each query runs in a worker process; a worker that overruns its time is killed and
replaced, and the server keeps answering.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import ActorGraphError
from .results import QueryResult
from .sparql import QueryRefused, QuerySyntaxError, UpdateRefused
from .store import Binding, open_engine
from .store_versions import store_version

_CONTEXT = multiprocessing.get_context("spawn")
READY_TIMEOUT = 600.0
"""How long a worker may take to open its engine (rdflib parses the whole graph)."""


class QueryTimeout(ActorGraphError):
    """The query ran out of time and was stopped."""


class QueryFailed(ActorGraphError):
    """The query could not run; ``kind`` says why (syntax, refused, update, error)."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


IDLE_CHECK = 1.0
"""Seconds between an idle worker's looks for a newer build, which it opens before the next query."""


@dataclass(frozen=True)
class EngineSpec:
    """What a worker opens: an engine over the build in ``exports``, on disk or copied into memory."""

    engine: str
    exports: str
    in_memory: bool = False


class _Worker:
    def __init__(self, spec: EngineSpec):
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, spec), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until the worker has opened its engine, so that no query pays for the opening."""
        if self.connection.poll(timeout):
            self.connection.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A few worker processes; each query gets ``timeout`` seconds and at most ``max_rows`` rows."""

    def __init__(self, spec: EngineSpec, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000):
        self.spec, self.timeout, self.max_rows = spec, timeout, max_rows
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers = [_Worker(spec) for _ in range(workers)]
        for worker in self._workers:
            worker.wait_ready()
            self._idle.put(worker)

    def run(self, text: str, bindings: dict[str, Binding] | None = None) -> QueryResult:
        """Run one query in an idle worker; raise QueryTimeout or QueryFailed."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every worker is busy; try again (limit {self.timeout:g} s)") from None
        try:
            worker.connection.send((text, dict(bindings or {}), self.max_rows))
            if not worker.connection.poll(self.timeout):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise QueryFailed("error", "the query worker stopped unexpectedly") from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        raise QueryFailed(*payload)

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker; start another that joins the idle ones once its engine is open."""
        worker.stop()
        fresh = _Worker(self.spec)
        with self._lock:
            self._workers[self._workers.index(worker)] = fresh

        def join_when_ready() -> None:
            fresh.wait_ready()
            self._idle.put(fresh)

        threading.Thread(target=join_when_ready, daemon=True).start()


class _LatestEngine:
    """The worker's engine over the newest build: opened again whenever ``build`` switches the store."""

    def __init__(self, spec: EngineSpec):
        self.spec = spec
        self.engine, self.version = None, None

    def get(self):
        """The engine over the newest build; opening it may raise (reported to the query)."""
        current = store_version(self.spec.exports)
        if self.engine is None or current != self.version:
            self.engine, self.version = None, current  # an in-memory copy is let go before the next loads
            self.engine = open_engine(self.spec.engine, Path(self.spec.exports), in_memory=self.spec.in_memory)
        return self.engine

    def refresh(self) -> None:
        """Open a newer build now, while idle, so that no query waits for it; errors wait for a query."""
        if store_version(self.spec.exports) != self.version:
            with contextlib.suppress(Exception):  # the next query tries again and reports it
                self.get()


def _serve(connection, spec: EngineSpec) -> None:  # runs in the worker process
    latest = _LatestEngine(spec)
    latest.refresh()
    connection.send(("ready", None))
    while True:
        try:
            if not connection.poll(IDLE_CHECK):
                latest.refresh()
                continue
            text, bindings, max_rows = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", latest.get().query(text, bindings, max_rows)))
        except QuerySyntaxError as error:
            connection.send(("error", ("syntax", str(error))))
        except UpdateRefused as error:
            connection.send(("error", ("update", str(error))))
        except QueryRefused as error:
            connection.send(("error", ("refused", str(error))))
        except ActorGraphError as error:
            connection.send(("error", ("error", str(error))))
        except Exception as error:  # noqa: BLE001 - a worker reports, it never dies silently
            connection.send(("error", ("error", f"{type(error).__name__}: {error}")))
