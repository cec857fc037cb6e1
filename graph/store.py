"""SPARQL engines behind one interface: the embedded Oxigraph store (default), rdflib's own
evaluator (the baseline), and any remote SPARQL 1.1 Protocol endpoint."""

from __future__ import annotations

import itertools
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from .errors import ActorGraphError
from .results import QueryResult, from_tsv, parse_graph, parse_json
from .sparql import Inspected, QueryRefused, inspect_query, with_constants, with_values
from .store_versions import current_store, triples_beside
from .terms import to_oxigraph
from .vocab import PREFIX_IRIS, PREFIXES

ENGINES = ("oxigraph", "rdflib")
NO_NAMED_GRAPHS = (
    "the query store holds the merged graph, not one named graph per source: instead of GRAPH, "
    "match the claims' prov:wasDerivedFrom source (or run with --engine rdflib, which reads graph.trig)"
)
MEMORY_PER_BYTE = 3
"""An in-memory store takes about this many bytes per byte of its N-Triples (2.5 measured at 100k claims)."""
Binding = URIRef | Literal


class StoreNotFound(ActorGraphError):
    """There is no query store yet."""


class EndpointError(ActorGraphError):
    """A remote endpoint could not be reached or refused the request."""


class Engine:
    """Runs checked SPARQL queries whose default graph holds every named graph's triples."""

    merged_only = False
    """True when the engine holds the merged graph alone, without the named graphs."""

    def query(
        self, text: str, bindings: Mapping[str, Binding] | None = None, max_rows: int | None = None
    ) -> QueryResult:
        """Run a query (refusing updates, SERVICE and FROM) with variables bound to RDF terms."""
        inspected = inspect_query(text)
        if inspected.names_graphs and self.merged_only:
            raise QueryRefused(NO_NAMED_GRAPHS)
        return self._run(inspected, dict(bindings or {}), max_rows)

    def _run(self, inspected: Inspected, bindings: dict[str, Binding], max_rows: int | None) -> QueryResult:
        raise NotImplementedError


class OxigraphEngine(Engine):
    """The embedded Oxigraph store, in memory or on disk, holding the merged graph as its default graph.

    The store keeps no named graphs: queries on the default graph run several times faster
    than on the union of thousands of named graphs, and the store loads in half the time.
    """

    merged_only = True

    def __init__(self, store: ox.Store):
        self.store = store

    def _run(self, inspected, bindings, max_rows):
        # an open-ended SELECT stops one row past the limit, and its rows are written in Rust
        ending = f"\nLIMIT {max_rows + 1}" if max_rows is not None and inspected.open_ended else ""
        written = inspected.form == "select" and (inspected.open_ended or max_rows is None)
        try:
            answer = self._with_constants(inspected.text, bindings, ending)
            if answer is None:
                substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
                answer = self.store.query(inspected.text + ending, substitutions=substitutions, prefixes=PREFIX_IRIS)
            if written:
                variables = tuple(variable.value for variable in answer.variables)
                return from_tsv(variables, answer.serialize(format=ox.QueryResultsFormat.TSV), max_rows)
        except (SyntaxError, RuntimeError) as error:
            missing = re.search(r"variable \?(\w+) in its SELECT projection", str(error))
            if missing:
                raise QueryRefused(
                    f"add ?{missing[1]} to the SELECT clause: parameters are bound in the projection"
                ) from None
            raise ActorGraphError(f"the query cannot run: {error}") from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            triples, truncated = _limited(answer, max_rows)
            return QueryResult("graph", triples=tuple(triples), truncated=truncated)
        variables = tuple(variable.value for variable in answer.variables)
        solutions, truncated = _limited(answer, max_rows)
        return QueryResult("select", variables, tuple(tuple(row) for row in solutions), truncated=truncated)

    def _with_constants(self, text, bindings, ending):
        """The answer with the bound values written into the query (see sparql.with_constants); None
        where they cannot be, or where the query so written does not parse."""
        constant = with_constants(text, bindings)
        if constant is None:
            return None
        try:
            return self.store.query(constant + ending, prefixes=PREFIX_IRIS)
        except SyntaxError:
            return None


class RdflibEngine(Engine):
    """rdflib's own SPARQL evaluator over an in-memory dataset: the baseline."""

    def __init__(self, dataset: Dataset):
        self.dataset = Dataset(store=dataset.store, default_union=True)

    def _run(self, inspected, bindings, max_rows):
        answer = self.dataset.query(inspected.text, initBindings=bindings, initNs=PREFIXES)
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            triples, truncated = _limited(answer.graph, max_rows)
            converted = tuple(ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in triples)
            return QueryResult("graph", triples=converted, truncated=truncated)
        variables = tuple(str(variable) for variable in answer.vars)
        solutions, truncated = _limited(answer, max_rows)
        rows = tuple(tuple(_converted(row[i]) for i in range(len(variables))) for row in solutions)
        return QueryResult("select", variables, rows, truncated=truncated)


class RemoteEngine(Engine):
    """A SPARQL 1.1 Protocol endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune…).

    The protocol has no way to bind variables, so bindings become a VALUES block of
    escaped RDF terms at the start of the WHERE group.
    """

    def __init__(self, url: str, timeout: float = 60.0):
        self.url, self.timeout = url, timeout

    def _run(self, inspected, bindings, max_rows):
        accept = "text/turtle" if inspected.is_graph else "application/sparql-results+json"
        sent = inspect_query(with_values(inspected.text, bindings))  # checked again, values and all
        data = sent.text.encode("utf-8")
        request = urllib.request.Request(
            self.url, data=data, method="POST", headers={"Content-Type": "application/sparql-query", "Accept": accept}
        )
        body, media_type = _send(request, self.timeout)
        if inspected.is_graph:
            result = parse_graph(body, media_type)
            triples, truncated = _limited(result.triples, max_rows)
            return QueryResult("graph", triples=tuple(triples), truncated=truncated)
        result = parse_json(body.decode("utf-8"))
        rows, truncated = _limited(result.rows, max_rows)
        return QueryResult(result.kind, result.variables, tuple(rows), result.boolean, truncated=truncated)


def push_graphs(endpoint: str, quads: Iterable[ox.Quad], timeout: float = 300.0) -> dict[str, int]:
    """Upload each named graph with the SPARQL 1.1 Graph Store Protocol (HTTP PUT, replacing it).

    Returns the number of triples sent per graph name.
    """
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    sent = {}
    for name, triples in sorted(graphs.items()):
        url = f"{endpoint}{'&' if '?' in endpoint else '?'}graph={urllib.parse.quote(name, safe='')}"
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        _send(request, timeout)
        sent[name] = len(triples)
    return sent


def open_store(exports: Path | str, in_memory: bool = False) -> OxigraphEngine:
    """Open the store ``actorgraph build`` wrote, read-only; or load a copy of it into memory.

    Queries run several times faster on the in-memory copy, which takes about
    ``MEMORY_PER_BYTE`` times the size of the graph's N-Triples.
    """
    directory = current_store(exports)
    if directory is None:
        raise StoreNotFound(f"no query store in {exports}/ — run 'actorgraph build' first")
    if not in_memory:
        return OxigraphEngine(ox.Store.read_only(str(directory)))
    triples = triples_beside(directory)
    if not triples.exists():
        raise StoreNotFound(
            f"the store in {exports}/ has no N-Triples beside it to load into memory — "
            "run 'actorgraph build' again, or serve with --store disk"
        )
    store = ox.Store()
    store.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES, lenient=True)  # written by build, checked
    return OxigraphEngine(store)


def fits_in_memory(exports: Path | str, copies: int) -> bool:
    """Whether ``copies`` in-memory copies of the store take at most half of this machine's memory."""
    directory = current_store(exports)
    if directory is None:
        return False
    try:
        size = triples_beside(directory).stat().st_size
    except OSError:
        return False
    return copies * size * MEMORY_PER_BYTE <= _physical_memory() / 2


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def open_engine(name: str, exports: Path | str, endpoint: str | None = None, in_memory: bool = False) -> Engine:
    """The engine called ``name`` over the graph in ``exports/``, or a remote endpoint.

    ``in_memory`` loads a copy of the Oxigraph store into memory instead of reading it on disk.
    """
    if endpoint:
        return RemoteEngine(endpoint)
    if name == "rdflib":
        trig = Path(exports) / "graph.trig"
        if not trig.exists():
            raise StoreNotFound(f"no {trig} — run 'actorgraph build' first")
        dataset = Dataset()
        dataset.parse(data=trig.read_text(encoding="utf-8"), format="trig")
        return RdflibEngine(dataset)
    return open_store(exports, in_memory)


def _converted(term):
    return None if term is None else to_oxigraph(term)


def _limited(items: Iterable, max_rows: int | None) -> tuple[list, bool]:
    if max_rows is None:
        return list(items), False
    taken = list(itertools.islice(iter(items), max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def _send(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(
            f"{request.full_url} answered {error.code} {error.reason}: {' '.join(detail)[:300]}"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise EndpointError(f"cannot reach {request.full_url}: {reason}") from None
