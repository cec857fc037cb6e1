"""Validate a built dataset against the project's SHACL shapes: compiled to SPARQL, or with pySHACL.

:func:`violations` runs the shapes as SPARQL queries (graph/shapes_sparql.py) on a pyoxigraph
Store's default graph (the merged graph); :func:`pyshacl_violations` is the slow reference route.
Both return the same kind of line: ``focus [path] [value]: message``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .shapes_sparql import Check, compile_shapes, repeated_paths_query
from .terms import Term
from .vocab import PREFIXES

__all__ = ["checks", "pyshacl_violations", "run_checks", "shapes", "violations"]

PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def shapes() -> Graph:
    """The SHACL shapes shipped with the package."""
    text = resources.files(__package__).joinpath("shapes.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


@cache
def checks() -> tuple[Check, ...]:
    """The shipped shapes compiled to one SPARQL query per constraint (compiled once)."""
    return tuple(compile_shapes(shapes()))


def violations(store: ox.Store) -> list[str]:
    """One sorted line per violation of the shipped shapes in the store's default graph.

    Empty when the dataset conforms. Lines read ``focus [path] [value]: message``.
    """
    return run_checks(store, checks())


def run_checks(store: ox.Store, compiled: Sequence[Check]) -> list[str]:
    """One sorted line per violation found by the compiled checks (see graph/shapes_sparql.py).

    sh:maxCount checks run only for paths some node repeats; the rest run on a few threads,
    as pyoxigraph lets go of the GIL while it evaluates a query.
    """
    screened = {check.path for check in compiled if check.screened}
    repeated = {row["path"].value for row in _query(store, repeated_paths_query(screened))} if screened else set()
    needed = [check for check in compiled if not check.screened or check.path in repeated]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        found = pool.map(lambda check: _check_violations(store, check), needed)
        return sorted(set().union(*found))


def _check_violations(store: ox.Store, check: Check) -> set[str]:
    solutions = _query(store, check.query)
    names = [variable.value for variable in solutions.variables]
    return {_line(check, {name: row[name] for name in names if row[name] is not None}) for row in solutions}


def _query(store: ox.Store, query: str) -> ox.QuerySolutions:
    return store.query(query)


def _line(check: Check, bindings: dict[str, Term]) -> str:
    """``focus [path] [value]: message`` for one solution of a check's query."""
    focus, value = bindings["this"], bindings.get("value")
    path = bindings.get("path") or (ox.NamedNode(check.path) if check.path else None)
    where = _short(focus) + (f" {_short(path)}" if path is not None else "")
    where += f" {_short(value)}" if value is not None and value != focus else ""
    message = PLACEHOLDER.sub(lambda m: _short(bindings[m[1]]) if m[1] in bindings else m[0], check.message)
    return f"{where}: {message}"


def pyshacl_violations(graph: Graph, shacl_graph: Graph | None = None) -> list[str]:
    """The same lines from pySHACL, for a graph of all the dataset's triples: the slow reference.

    ``shacl_graph`` defaults to the shipped shapes.
    """
    shacl_graph = shapes() if shacl_graph is None else shacl_graph
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shacl_graph, advanced=True, allow_warnings=True)
    if conforms:
        return []
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = _short(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        where = focus + (f" {_short(path)}" if path is not None else "")
        where += f" {_short(value)}" if value is not None and value != report.value(result, SH.focusNode) else ""
        lines.append(f"{where}: {message}")
    return sorted(lines)


def _short(term: object) -> str:
    """An IRI as ``prefix:name`` (or ``<iri>``), a literal as its quoted text, a blank node as its id.

    >>> _short(ox.NamedNode("https://w3id.org/actorgraph/actor/hamas")), _short(Literal("x", lang="en"))
    ('actor:hamas', "'x'")
    """
    if isinstance(term, URIRef | ox.NamedNode):
        iri = str(term) if isinstance(term, URIRef) else term.value
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"
    if isinstance(term, Literal | ox.Literal):
        return repr(str(term) if isinstance(term, Literal) else term.value)
    if isinstance(term, ox.BlankNode):
        return term.value
    return str(term)
