"""Validate a built graph against the project's SHACL shapes (pySHACL)."""

from __future__ import annotations

from importlib import resources

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .vocab import PREFIXES


def shapes() -> Graph:
    """The SHACL shapes shipped with the package."""
    text = resources.files(__package__).joinpath("shapes.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def violations(graph: Graph) -> list[str]:
    """Return one line per SHACL violation in ``graph`` (empty when it conforms)."""
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes(), advanced=True, allow_warnings=True)
    if conforms:
        return []
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = _short(graph, report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        where = focus + (f" {_short(graph, path)}" if path is not None else "")
        where += f" {_short(graph, value)}" if value is not None and value != report.value(result, SH.focusNode) else ""
        lines.append(f"{where}: {message}")
    return sorted(lines)


def _short(graph: Graph, term: object) -> str:
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if term.startswith(namespace):
                return f"{prefix}:{term[len(namespace) :]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return str(term)
