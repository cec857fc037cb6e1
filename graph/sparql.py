"""Look at a query before it runs: its form, its syntax, and whether it may run here."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import ActorGraphError

MAX_QUERY_LENGTH = 100_000
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_PARSER_LOCK = threading.Lock()
_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
_FORBIDDEN = {
    "ServiceGraphPattern": "SERVICE is not allowed: queries run on this graph only",
    "DatasetClause": "FROM and FROM NAMED are not allowed: the dataset is fixed",
}


class QuerySyntaxError(ActorGraphError):
    """The query is not valid SPARQL 1.1; ``line`` and ``column`` are 1-based."""

    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message
        super().__init__(f"{line}:{column}: SPARQL syntax error: {message}")


class QueryRefused(ActorGraphError):
    """The query is valid but may not run here (SERVICE, FROM, LOAD and other updates)."""


class UpdateRefused(QueryRefused):
    """The request is a SPARQL update; the graph is read-only."""


@dataclass(frozen=True)
class Inspected:
    """A checked query: its form (select, ask, construct or describe)."""

    form: str
    text: str = ""
    """The query as the engines must run it (Unicode escapes expanded)."""
    names_graphs: bool = False
    """Whether the query has a ``GRAPH`` pattern (it reads the named graphs, not the merged graph)."""
    open_ended: bool = False
    """Whether a ``LIMIT`` may end the text: a SELECT without its own LIMIT, OFFSET or final VALUES."""

    @property
    def is_graph(self) -> bool:
        return self.form in ("construct", "describe")


@functools.lru_cache(maxsize=256)
def inspect_query(text: str) -> Inspected:
    """Parse ``text``; refuse updates, SERVICE and FROM; report syntax errors with line and column.

    >>> inspect_query("ASK { ?s ?p ?o }").form
    'ask'
    >>> inspect_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.sparql.QueryRefused: SERVICE is not allowed: queries run on this graph only
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryRefused(f"queries longer than {MAX_QUERY_LENGTH:,} characters are refused")
    # \uXXXX escapes are expanded before parsing, and the engines run exactly this text,
    # so no escape can make the text checked differ from the text run
    text = expandUnicodeEscapes(text)
    if _SERVICE.search(text):  # refused wherever it stands, even inside a string or a comment
        raise QueryRefused(_FORBIDDEN["ServiceGraphPattern"])
    try:
        with _PARSER_LOCK:  # rdflib's pyparsing grammar is shared state: one parse at a time
            tree = parseQuery(text)
    except ParseException as error:
        if _is_update(text):
            raise UpdateRefused("updates are not allowed: this graph is read-only") from None
        raise QuerySyntaxError(error.lineno, error.col, _reason(text, error.lineno, error.col)) from None
    except RecursionError:
        raise QueryRefused("the query nests too deeply to be read") from None
    names = list(_names(tree))
    for name in names:
        if name in _FORBIDDEN:
            raise QueryRefused(_FORBIDDEN[name])
    form = next((_FORMS[name] for name in names if name in _FORMS), "select")
    top = tree[1]
    open_ended = form == "select" and "limitoffset" not in top and "valuesClause" not in top
    return Inspected(form, text, "GraphGraphPattern" in names, open_ended)


def with_values(text: str, bindings: Mapping[str, URIRef | Literal]) -> str:
    """Bind variables for an engine without a binding API: a VALUES block opens the WHERE group.

    The values are RDF terms written in their escaped N-Triples form, never raw text.

    >>> from rdflib import Literal
    >>> with_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('say "hi"')})
    'SELECT ?x WHERE { VALUES (?o) { ("say \\\\"hi\\\\"") } ?x ?p ?o }'
    """
    if not bindings:
        return text
    position = _where_brace(text)
    if position is None:
        raise QueryRefused("this query has no WHERE group to bind parameters in")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_term(term) for term in bindings.values())
    return f"{text[: position + 1]} VALUES ({names}) {{ ({values}) }}{text[position + 1 :]}"


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<variable>[?$]\w+)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<brace>[{}])
      | (?P<other>.)""",
    re.X | re.S,
)


def with_constants(text: str, bindings: Mapping[str, URIRef | Literal]) -> str | None:
    """The query with each bound variable written as its value, for a planner that sees constants only.

    Oxigraph plans a query before it substitutes bound variables, so a FILTER on one waits
    until every pattern is joined; written as a constant, it filters first. In the outer
    SELECT clause a bound variable becomes ``(value AS ?name)``, so the answer still shows it.
    None where a bound variable may stand for more than a value: ``SELECT *``, a nested
    SELECT (its own scope), after AS, in a query with MINUS; and where a value cannot be
    written. The caller then binds the variables as before. A value used where SPARQL allows
    no constant (``VALUES ?x``, ``BOUND(?x)``) gives a query that does not parse: the caller
    falls back on that too.

    >>> from rdflib import Literal
    >>> since = {"since": Literal("2023")}
    >>> with_constants("SELECT ?since ?d WHERE { ?c ?p ?d FILTER (?d >= ?since) }", since)
    'SELECT ("2023" AS ?since) ?d WHERE { ?c ?p ?d FILTER (?d >= "2023") }'
    >>> with_constants("SELECT * WHERE { ?c ?p ?since }", since) is None
    True
    """
    if not bindings:
        return None  # nothing to write: the caller runs the query as it is
    try:
        values = {name: _term(term) for name, term in bindings.items()}
    except QueryRefused:
        return None
    parts, depth, parentheses, last = [], 0, 0, 0
    projecting = subquery_depth = None  # the outer SELECT clause; the depth of the innermost nested SELECT
    previous = ""
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word":
            upper = token.upper()
            if upper == "SELECT":
                if depth == 0:
                    projecting = True
                elif subquery_depth is None:
                    subquery_depth = depth
            elif upper == "WHERE" and depth == 0:
                projecting = False
            elif upper == "MINUS":  # a value in place of a shared variable changes what it removes
                return None
        elif kind == "brace":
            depth += 1 if token == "{" else -1
            projecting = False if depth else projecting
            if subquery_depth is not None and depth < subquery_depth:
                subquery_depth = None
        elif kind == "other" and token in "()":
            parentheses += 1 if token == "(" else -1
        elif kind == "other" and token == "*" and projecting and parentheses == 0:
            return None
        elif kind == "variable" and token[1:] in values:
            if subquery_depth is not None or previous == "AS":
                return None
            value = values[token[1:]]
            written = f"({value} AS ?{token[1:]})" if projecting and parentheses == 0 else value
            parts.append(text[last : match.start()] + written)
            last = match.end()
        if kind != "comment" and not token.isspace():
            previous = token.upper() if kind == "word" else token
    return "".join(parts) + text[last:]


def _where_brace(text: str) -> int | None:
    """Offset of the ``{`` opening the query's WHERE group (skipping strings, IRIs, comments)."""
    depth, seen_where, first_brace, construct = 0, False, None, False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and depth == 0:
            upper = value.upper()
            construct = construct or upper == "CONSTRUCT"
            seen_where = seen_where or upper == "WHERE"
        elif kind == "brace":
            if value == "{":
                if depth == 0 and (seen_where or (first_brace is None and not construct)):
                    return match.start()
                first_brace = match.start() if first_brace is None else first_brace
                depth += 1
            else:
                depth -= 1
    return None


def _term(term: URIRef | Literal) -> str:
    """A term in SPARQL syntax: short strings with every special character escaped."""
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise QueryRefused(f"not a usable IRI: {str(term)!r}")
        return f"<{term}>"
    if re.search(r"\\[uU]", str(term)):  # would be read as a Unicode escape before parsing
        raise QueryRefused("a value containing \\u or \\U cannot be bound for a remote endpoint")
    text = str(term).translate(_ESCAPES)
    if term.language:
        return f'"{text}"@{term.language}'
    return f'"{text}"^^<{term.datatype}>' if term.datatype else f'"{text}"'


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI = re.compile(r'[^\x00-\x20<>"{}|^`\\]+')


def _names(tree: object) -> Iterator[str]:
    if isinstance(tree, CompValue):
        yield tree.name
        for value in tree.values():
            yield from _names(value)
    elif isinstance(tree, (list, tuple, ParseResults)):
        for item in tree:
            yield from _names(item)


def _is_update(text: str) -> bool:
    try:
        with _PARSER_LOCK:
            parseUpdate(text)
    except ParseException:
        return False
    return True


def _reason(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    rest = lines[line - 1][column - 1 :].strip() if 0 < line <= len(lines) else ""
    return f"unexpected '{rest.split()[0]}'" if rest else "unexpected end of line"
