"""Query results, whatever the engine, and their SPARQL 1.1 result formats.

Writers are pure: a ``QueryResult`` in, text out. Formats: the SPARQL 1.1 Query
Results JSON, XML, CSV and TSV formats for SELECT and ASK; Turtle and N-Triples for
CONSTRUCT and DESCRIBE; and a plain-text table for people.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False

    @property
    def is_graph(self) -> bool:
        return self.kind == "graph"

    def __reduce__(self):
        """Pickled (from a query worker to the server) with each distinct term once and rows of numbers.

        Answers repeat the same actors, relations and sources row after row; sent this way,
        10,000 rows cross between processes several times faster.
        """
        terms: dict = {}
        rows = tuple(tuple(terms.setdefault(term, len(terms)) for term in row) for row in self.rows)
        triples = tuple(tuple(terms.setdefault(term, len(terms)) for term in triple) for triple in self.triples)
        flat = tuple(map(_flat, terms))  # strings and tuples pickle in C; Oxigraph's terms one call each
        packed = (self.kind, self.variables, flat, rows, self.boolean, triples, self.truncated)
        return _unpacked, packed


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
    return writers[form](result)


def write_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


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
    return "\n".join(out) + "\n"


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
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in result.rows]
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


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
