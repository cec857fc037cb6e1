"""RDF terms in query results (pyoxigraph's), converted from rdflib's and written compactly."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(term: URIRef | Literal | BNode) -> Term:
    """An rdflib term as a pyoxigraph term.

    >>> to_oxigraph(Literal("x", lang="en"))
    <Literal value=x language=en>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise TypeError(f"not an RDF term: {term!r}")


def compact(term: Term | None) -> str:
    """A short human form: ``actor:hamas`` for IRIs under a known prefix, the text of literals.

    >>> compact(ox.NamedNode("https://w3id.org/actorgraph/actor/hamas")), compact(ox.Literal("Hamas", language="en"))
    ('actor:hamas', 'Hamas')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and term.value != str(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
