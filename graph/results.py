"""Query results, whatever the engine, and their SPARQL 1.1 result formats.

Writers are pure: a ``QueryResult`` in, text out. Formats: the SPARQL 1.1 Query
Results JSON, XML, CSV and TSV formats for SELECT and ASK; Turtle and N-Triples for
CONSTRUCT and DESCRIBE; and a plain-text table for people.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .terms import XSD_STRING, Term, compact
from .vocab import PREFIXES

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
}
_CELL = 80
_COMPACT = (",", ":")


class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    Oxigraph's rows come as SPARQL TSV written in Rust (``tsv``): they cross from a query
    worker to the server as bytes, become the JSON, XML, CSV or TSV answer in Rust too, and
    are read into Python terms (``rows``) only when asked for. Other engines give ``rows``.
    """

    def __init__(
        self,
        kind: str,
        variables: tuple[str, ...] = (),
        rows: tuple[tuple[Term | None, ...], ...] = (),
        boolean: bool | None = None,
        triples: tuple[ox.Triple, ...] = (),
        truncated: bool = False,
        *,
        tsv: bytes | None = None,
    ):
        self.kind = kind
        self.variables = variables
        self.boolean = boolean
        self.triples = triples
        self.truncated = truncated
        self.tsv = tsv
        if tsv is None:
            self.__dict__["rows"] = rows  # given: the cached property below is never asked

    @functools.cached_property
    def rows(self) -> tuple[tuple[Term | None, ...], ...]:
        return tuple(tuple(row) for row in ox.parse_query_results(self.tsv, format=ox.QueryResultsFormat.TSV))

    @property
    def is_graph(self) -> bool:
        return self.kind == "graph"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]

    def _compared(self) -> tuple:
        return self.kind, self.variables, self.rows, self.boolean, self.triples, self.truncated

    def __repr__(self) -> str:
        return f"QueryResult({self.kind!r}, {self.variables!r}, rows={len(self.rows)}, truncated={self.truncated})"

    def __reduce__(self):
        """Pickled (from a query worker to the server): TSV as its bytes; other rows with each
        distinct term once and rows of numbers.

        Answers repeat the same actors, relations and sources row after row; sent this way,
        10,000 rows cross between processes several times faster.
        """
        if self.tsv is not None:
            return _from_tsv, (self.variables, self.tsv, self.truncated)
        terms: dict = {}
        rows = tuple(tuple(terms.setdefault(term, len(terms)) for term in row) for row in self.rows)
        triples = tuple(tuple(terms.setdefault(term, len(terms)) for term in triple) for triple in self.triples)
        flat = tuple(map(_flat, terms))  # strings and tuples pickle in C; Oxigraph's terms one call each
        packed = (self.kind, self.variables, flat, rows, self.boolean, triples, self.truncated)
        return _unpacked, packed


def from_tsv(variables: tuple[str, ...], tsv: bytes, max_rows: int | None = None) -> QueryResult:
    """SELECT rows as Oxigraph writes them in SPARQL TSV (a header line, then a line per row),
    cut after ``max_rows`` rows: a TSV line ends only at a row's end (newlines in literals are
    escaped).

    >>> result = from_tsv(("x",), b'?x\\n"a"\\n"b"\\n"c"\\n', max_rows=2)
    >>> [row[0].value for row in result.rows], result.truncated
    (['a', 'b'], True)
    """
    if max_rows is None:
        return _from_tsv(variables, tsv, False)
    end = -1
    for _ in range(max_rows + 1):  # the header's end, then each kept row's
        end = tsv.find(b"\n", end + 1)
        if end < 0:
            return _from_tsv(variables, tsv, False)
    return _from_tsv(variables, tsv[: end + 1], end + 1 < len(tsv))


def _from_tsv(variables: tuple[str, ...], tsv: bytes, truncated: bool) -> QueryResult:
    return QueryResult("select", variables, truncated=truncated, tsv=tsv)


def _unpacked(kind, variables, flat, rows, boolean, triples, truncated) -> QueryResult:
    terms = tuple(map(_term, flat))
    return QueryResult(
        kind,
        variables,
        tuple(tuple(terms[i] for i in row) for row in rows),
        boolean,
        tuple(ox.Triple(*(terms[i] for i in triple)) for triple in triples),
        truncated,
    )


def _flat(term):
    """An IRI as its string, a literal as (value, datatype, language); other terms as they are."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value, term.datatype.value, term.language
    return term


def _term(flat):
    if isinstance(flat, str):
        return ox.NamedNode(flat)
    if isinstance(flat, tuple):
        value, datatype, language = flat
        return ox.Literal(value, language=language) if language else ox.Literal(value, datatype=ox.NamedNode(datatype))
    return flat


def write(result: QueryResult, form: str) -> str:
    """The result in ``form``, one of SELECT_FORMATS for rows and booleans, GRAPH_FORMATS for triples."""
    if result.is_graph:
        if form not in GRAPH_FORMATS:
            raise ValueError(f"a graph result is written as {' or '.join(GRAPH_FORMATS)}, not {form}")
        return write_graph(result, form)
    writers = {"table": write_table, "csv": write_csv, "tsv": write_tsv, "json": write_json, "xml": write_xml}
    if form not in writers:
        raise ValueError(f"rows are written as one of {', '.join(SELECT_FORMATS)}, not {form}")
    if result.tsv is not None and form in _WRITTEN_IN_RUST:
        return _rewritten(result.tsv, _WRITTEN_IN_RUST[form])
    return writers[form](result)


_WRITTEN_IN_RUST = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
"""The standard formats Oxigraph writes from TSV rows, ten times faster than the writers below."""


def _rewritten(tsv: bytes, form: ox.QueryResultsFormat) -> str:
    """The rows in ``form``, as the writers below write them (JSON and XML end with a newline)."""
    if form == ox.QueryResultsFormat.TSV:
        return tsv.decode("utf-8")
    text = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=form).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def write_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, separators=_COMPACT) + "\n"
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=_COMPACT) + "\n"


def parse_json(text: str) -> QueryResult:
    """Read a SPARQL 1.1 JSON result, as a remote endpoint sends it."""
    document = json.loads(text)
    if "boolean" in document:
        return QueryResult("ask", boolean=bool(document["boolean"]))
    variables = tuple(document["head"]["vars"])
    rows = tuple(
        tuple(_from_json_term(binding[name]) if name in binding else None for name in variables)
        for binding in document["results"]["bindings"]
    )
    return QueryResult("select", variables, rows)


def write_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(name)}/>" for name in result.variables]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for name, term in zip(result.variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "".join(out) + "\n"


def write_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if term is None else _plain_text(term) for term in row])
    return buffer.getvalue()


def write_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV Format: terms in Turtle syntax."""
    if result.kind == "ask":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join("" if term is None else _turtle(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def write_table(result: QueryResult) -> str:
    """A plain-text table for the terminal, with IRIs shortened by the project's prefixes."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    cells = [[_cell(compact(term)) for term in row] for row in result.rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(result.variables)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(result.variables, widths, strict=True)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(result.rows)
    more = " (stopped at the row limit)" if result.truncated else ""
    lines.append(f"({count} row{'' if count == 1 else 's'}{more})")
    return "\n".join(lines) + "\n"


def write_graph(result: QueryResult, form: str = "turtle") -> str:
    """Triples as Turtle (with the project's prefixes) or N-Triples, sorted."""
    triples = sorted(set(result.triples), key=str)
    if form == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def parse_graph(data: bytes, media_type: str) -> QueryResult:
    """Read triples a remote endpoint sent as Turtle or N-Triples."""
    rdf_format = ox.RdfFormat.N_TRIPLES if "n-triples" in media_type else ox.RdfFormat.TURTLE
    return QueryResult("graph", triples=tuple(ox.parse(data, format=rdf_format)))


def _turtle(term: Term) -> str:
    """A term as Oxigraph writes it in TSV: integers, decimals and booleans bare where Turtle allows."""
    bare = _BARE.get(term.datatype.value) if isinstance(term, ox.Literal) else None
    return term.value if bare and bare.fullmatch(term.value) else str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CELL else text[: _CELL - 1] + "…"


def _plain_text(term: Term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value: dict[str, str] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def _from_json_term(value: dict[str, str]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if value.get("xml:lang"):
        return ox.Literal(value["value"], language=value["xml:lang"])
    datatype = value.get("datatype")
    return ox.Literal(value["value"], datatype=ox.NamedNode(datatype) if datatype else None)


def _xml_text(text: str) -> str:
    return escape(text, {'"': "&quot;"})  # as Oxigraph writes it


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"
