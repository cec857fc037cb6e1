"""The named SPARQL queries in ``queries/``: their headers, parameters and lookup."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import ActorGraphError
from .vocab import ACTOR, PREFIXES, REL, SOURCE

PARAM_TYPES = ("actor", "relation", "source", "date", "integer", "text", "iri")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)\s+(?P<default>\S+)\s*(?:—|--|-)?\s*(?P<help>.*)$")
_IRI_SAFE = re.compile(r'^[^\s<>"{}|^`\\]+$')


class QueryNotFound(ActorGraphError):
    """No named query has that name."""


class QueryError(ActorGraphError):
    """A query or its parameters are wrong: a message for the user."""


@dataclass(frozen=True)
class Param:
    """A query parameter: a variable bound to an RDF term before the query runs."""

    name: str
    type: str
    default: str
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file of ``queries/`` with its comment header."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


def parse_named_query(name: str, text: str, file: str = "") -> NamedQuery:
    """Read a query's header comments: ``# title:``, ``# description:`` and ``# param:`` lines.

    >>> q = parse_named_query("who", "# title: Who\\n# param: target actor hamas — the actor\\nSELECT ?target {}")
    >>> q.title, q.params[0]
    ('Who', Param(name='target', type='actor', default='hamas', help='the actor'))
    """
    fields: dict[str, str] = {}
    params = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key != "param":
            fields[key] = value
            continue
        param = _PARAM.match(value)
        if not param or param["type"] not in PARAM_TYPES:
            raise QueryError(
                f"{file or name}:{number}: bad parameter line — write '# param: NAME TYPE DEFAULT — help' "
                f"with TYPE one of {', '.join(PARAM_TYPES)}"
            )
        params.append(Param(param["name"], param["type"], param["default"], param["help"].strip()))
    if "title" not in fields:
        raise QueryError(f"{file or name}:1: no '# title: …' header — start the file with its title")
    return NamedQuery(name, fields["title"], fields.get("description", ""), tuple(params), text)


def load_named_queries(folder: Path | str) -> dict[str, NamedQuery]:
    """Every ``NAME.rq`` in ``folder``, by name."""
    folder = Path(folder)
    return {
        path.stem: parse_named_query(path.stem, path.read_text(encoding="utf-8"), str(path))
        for path in sorted(folder.glob("*.rq"))
    }


def find_named_query(queries: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """The query called ``name``, or QueryNotFound with the closest name."""
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise QueryNotFound(f"No query named '{name}'.{hint} Run 'actorgraph query --list'.")


def bind_params(params: Iterable[Param], given: Mapping[str, str], resolve_actor=None) -> dict[str, URIRef | Literal]:
    """Turn the parameters' defaults, overridden by ``given`` (name → text), into RDF terms.

    ``resolve_actor`` maps an actor's name (id, label or alias) to its id, or raises
    QueryError with a suggestion; without it, actor values must be ids.

    >>> bind_params([Param("target", "actor", "hamas")], {})
    {'target': rdflib.term.URIRef('https://w3id.org/actorgraph/actor/hamas')}
    >>> bind_params([Param("since", "date", "2023-01-01")], {"since": "2024-02-29"})["since"].toPython()
    datetime.date(2024, 2, 29)
    """
    params = list(params)
    known = {param.name for param in params}
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            listed = ", ".join(sorted(known)) or "none"
            raise QueryError(f"This query has no parameter '{name}'.{hint} Its parameters: {listed}.")
    return {param.name: to_term(param, given.get(param.name, param.default), resolve_actor) for param in params}


def to_term(param: Param, value: str, resolve_actor=None) -> URIRef | Literal:
    """One parameter value as an RDF term of the parameter's type."""
    if param.type == "actor":
        return ACTOR[resolve_actor(value) if resolve_actor else _slug(param, value)]
    if param.type == "relation":
        return REL[_slug(param, value)]
    if param.type == "source":
        return SOURCE[_slug(param, value)]
    if param.type == "date":
        try:
            return Literal(dt.date.fromisoformat(value), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"Parameter '{param.name}' must be a date YYYY-MM-DD, not '{value}'.") from None
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"Parameter '{param.name}' must be a whole number, not '{value}'.")
        return Literal(int(value))
    if param.type == "iri":
        return expand_iri(param, value)
    return Literal(value)


def expand_iri(param: Param, value: str) -> URIRef:
    """An IRI written ``<…>``, ``prefix:local`` (the project's prefixes) or in full."""
    text = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not text.startswith(("http:", "https:", "urn:")):
        text = str(PREFIXES[prefix]) + local
    if ":" not in text or not _IRI_SAFE.fullmatch(text):
        raise QueryError(f"Parameter '{param.name}' must be an IRI such as actor:hamas or <https://…>, not '{value}'.")
    return URIRef(text)


def _slug(param: Param, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        example = f"such as '{param.default}'"
        raise QueryError(f"Parameter '{param.name}' must be a {param.type} id {example}, not '{value}'.")
    return value
