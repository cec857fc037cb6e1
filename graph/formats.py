"""Serialise the graph and the claims into the export formats: as bytes, or straight into a file.

Every output is deterministic: the same corpus gives the same bytes, whatever the
order sets and dicts happen to iterate in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from .export import write_text
from .model import Corpus

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


def generate_claims_csv(corpus: Corpus) -> bytes:
    """One row per claim with its quote and source, for a spreadsheet."""
    buffer = io.StringIO()
    _write_claims_csv(corpus, buffer)
    return buffer.getvalue().encode("utf-8")


def write_claims_csv(corpus: Corpus, path: Path) -> None:
    """claims.csv written into the file at ``path`` row by row (see generate_claims_csv)."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        _write_claims_csv(corpus, file)


def _write_claims_csv(corpus: Corpus, file: TextIO) -> None:
    actors, sources = corpus.actors_by_id, corpus.sources_by_id
    writer = csv.writer(file, lineterminator="\r\n")
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


GRAPHML_NODE_KEYS = (("label", "string"), ("type", "string"), ("role", "string"), ("represents", "string"))
GRAPHML_EDGE_KEYS = (
    ("label", "string"),
    ("relation", "string"),
    ("sign", "long"),
    ("symmetric", "boolean"),
    ("certainty", "string"),
    ("said_by", "string"),
    ("quote", "string"),
    ("source", "string"),
    ("source_title", "string"),
    ("date", "string"),
)


def generate_graphml(corpus: Corpus) -> bytes:
    """Actors as nodes and claims as edges (one per claim), for Gephi, yEd and NetworkX."""
    return "".join(graphml_parts(corpus)).encode("utf-8")


def write_graphml(corpus: Corpus, path: Path) -> None:
    """actors.graphml written into the file at ``path`` part by part (see generate_graphml)."""
    write_text(path, graphml_parts(corpus))


def graphml_parts(corpus: Corpus) -> Iterator[str]:
    """The GraphML document, a node or an edge at a time.

    Written as a stream: NetworkX's writer builds an XML tree, ~10x slower at 10,000 claims.
    """
    relations, sources = corpus.relations_by_id, corpus.sources_by_id
    node_ids = {name: f"d{index}" for index, (name, _) in enumerate(GRAPHML_NODE_KEYS)}
    edge_ids = {name: f"d{index + len(node_ids)}" for index, (name, _) in enumerate(GRAPHML_EDGE_KEYS)}
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for kind, keys, ids in (("node", GRAPHML_NODE_KEYS, node_ids), ("edge", GRAPHML_EDGE_KEYS, edge_ids)):
        for name, value_type in keys:
            yield f'  <key id="{ids[name]}" for="{kind}" attr.name="{name}" attr.type="{value_type}" />\n'
    yield '  <graph edgedefault="directed">\n'
    attribute = {actor.id: quoteattr(actor.id) for actor in corpus.actors}
    for actor in sorted(corpus.actors, key=lambda actor: actor.id):
        values = (actor.label, actor.type, actor.role, actor.represents or "")
        yield f"    <node id={attribute[actor.id]}>\n{_graphml_data(node_ids.values(), values)}    </node>\n"
    # a relation's data and a source's are the same on each of their claims' edges: escaped
    # once, not once per claim
    of_relation = [edge_ids[name] for name in ("label", "relation", "sign", "symmetric")]
    of_claim = [edge_ids[name] for name in ("certainty", "said_by", "quote")]
    of_source = [edge_ids[name] for name in ("source", "source_title", "date")]
    about_relation = {
        relation.id: _graphml_data(
            of_relation, (relation.label, relation.id, str(relation.sign), "true" if relation.symmetric else "false")
        )
        for relation in relations.values()
    }
    about_source = {
        source.id: _graphml_data(of_source, (source.id, source.title, source.date.isoformat()))
        for source in sources.values()
    }
    for claim in sorted(corpus.claims, key=lambda claim: claim.id):
        said = _graphml_data(of_claim, (claim.certainty, claim.said_by or "", claim.quote))
        ends = f"source={attribute[claim.subject]} target={attribute[claim.object]} id={quoteattr(claim.id)}"
        yield f"    <edge {ends}>\n{about_relation[claim.relation]}{said}{about_source[claim.source]}    </edge>\n"
    yield "  </graph>\n</graphml>\n"


def _graphml_data(keys: Iterable[str], values: Iterable[str]) -> str:
    return "".join(
        f'      <data key="{key}">{escape(value)}</data>\n' if value else f'      <data key="{key}" />\n'
        for key, value in zip(keys, values, strict=True)
    )
