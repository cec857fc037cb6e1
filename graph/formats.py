"""Serialise the graph and the claims into the export formats, as bytes (no file I/O).

Every output is deterministic: the same corpus gives the same bytes, whatever the
order sets and dicts happen to iterate in.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from .model import Corpus
from .terms import to_oxigraph
from .vocab import PREFIXES

CLAIM_COLUMNS = (
    "claim_id",
    "subject_id",
    "subject",
    "relation",
    "object_id",
    "object",
    "certainty",
    "said_by",
    "quote",
    "quote_line",
    "source_id",
    "source_title",
    "publisher",
    "author",
    "date",
    "url",
    "note",
)

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def generate_turtle(quads: Iterable[ox.Quad]) -> bytes:
    """Every triple of the dataset's quads (all named graphs merged) as Turtle."""
    triples = sorted({quad.triple for quad in quads}, key=_triple_key)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def generate_ntriples(quads: Iterable[ox.Quad]) -> bytes:
    """Every triple of the dataset's quads as sorted N-Triples, one per line."""
    triples = sorted({quad.triple for quad in quads}, key=_triple_key)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def generate_trig(quads: Iterable[ox.Quad]) -> bytes:
    """The dataset's quads as TriG: the registry graph and one named graph per source."""
    quads = sorted(quads, key=lambda quad: (str(quad.graph_name), *_triple_key(quad.triple)))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)


def generate_jsonld(graph: Graph) -> bytes:
    """Every triple of ``graph`` as compact JSON-LD with the project's prefixes as its context."""
    context = dict(sorted(_PREFIXES.items()))
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    nodes = document.get("@graph", [document])
    document = {"@context": context, "@graph": sorted((_sorted_json(node) for node in nodes), key=_json_key)}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def generate_claims_csv(corpus: Corpus) -> bytes:
    """One row per claim with its quote and source, for a spreadsheet."""
    actors, sources = corpus.actors_by_id, corpus.sources_by_id
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CLAIM_COLUMNS)
    for claim in sorted(corpus.claims, key=lambda claim: claim.id):
        source = sources[claim.source]
        writer.writerow(
            (
                claim.id,
                claim.subject,
                actors[claim.subject].label,
                claim.relation,
                claim.object,
                actors[claim.object].label,
                claim.certainty,
                claim.said_by or "",
                claim.quote,
                claim.quote_line or "",
                source.id,
                source.title,
                source.publisher,
                source.author,
                source.date.isoformat(),
                source.url,
                claim.note,
            )
        )
    return buffer.getvalue().encode("utf-8")


def generate_graphml(corpus: Corpus) -> bytes:
    """Actors as nodes and claims as edges (one per claim), for Gephi and other graph tools."""
    relations, sources = corpus.relations_by_id, corpus.sources_by_id
    graph = nx.MultiDiGraph()
    for actor in sorted(corpus.actors, key=lambda actor: actor.id):
        graph.add_node(actor.id, label=actor.label, type=actor.type, role=actor.role, represents=actor.represents or "")
    for claim in sorted(corpus.claims, key=lambda claim: claim.id):
        relation, source = relations[claim.relation], sources[claim.source]
        graph.add_edge(
            claim.subject,
            claim.object,
            key=claim.id,
            label=relation.label,
            relation=relation.id,
            sign=relation.sign,
            symmetric=relation.symmetric,
            certainty=claim.certainty,
            said_by=claim.said_by or "",
            quote=claim.quote,
            source=source.id,
            source_title=source.title,
            date=source.date.isoformat(),
        )
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def oxigraph_quads(dataset: Dataset) -> Iterable[ox.Quad]:
    for subject, predicate, obj, graph in dataset.quads((None, None, None, None)):
        graph_name = graph.identifier if hasattr(graph, "identifier") else graph
        yield ox.Quad(to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj), to_oxigraph(graph_name))


def _triple_key(triple: ox.Triple) -> tuple[str, int, str, str]:
    """Subjects in order, rdf:type first within each, then predicates and objects."""
    predicate = str(triple.predicate)
    return str(triple.subject), 0 if predicate == f"<{RDF.type}>" else 1, predicate, str(triple.object)


def _sorted_json(value: object) -> object:
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_json(item) for item in value), key=_json_key)
    return value


def _json_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
