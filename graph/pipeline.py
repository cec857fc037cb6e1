"""The pipeline: checked corpus → validated RDF dataset → export files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import formats, render
from .analysis import Analysis, analyse, analysis_triples
from .errors import GraphInvalid
from .export import write_exports
from .load import load_corpus
from .model import Corpus
from .rdf import build_dataset, union_graph
from .report import generate_json, generate_markdown
from .shacl import violations
from .store import write_store
from .vocab import ANALYSIS_GRAPH


@dataclass(frozen=True)
class Built:
    """A checked corpus and its RDF dataset (one named graph per source)."""

    corpus: Corpus
    dataset: Dataset

    @cached_property
    def graph(self) -> Graph:
        """All named graphs merged into one."""
        return union_graph(self.dataset)

    @cached_property
    def quads(self) -> tuple[ox.Quad, ...]:
        """The dataset as pyoxigraph quads, made once for every serialiser and the query store."""
        return tuple(formats.oxigraph_quads(self.dataset))

    @cached_property
    def analysis(self) -> Analysis:
        """Every measure of the corpus: camps, centrality, communities, contested ties (graph/analysis.py)."""
        return analyse(self.corpus)


EXPORTS: dict[str, Callable[[Built], bytes]] = {
    "graph.ttl": lambda built: formats.generate_turtle(built.quads),
    "graph.trig": lambda built: formats.generate_trig(built.quads),
    "graph.nt": lambda built: formats.generate_ntriples(built.quads),
    "graph.jsonld": lambda built: formats.generate_jsonld(built.graph),
    "claims.csv": lambda built: formats.generate_claims_csv(built.corpus),
    "actors.graphml": lambda built: formats.generate_graphml(built.corpus),
    "analysis.md": lambda built: generate_markdown(built.analysis),
    "analysis.json": lambda built: generate_json(built.analysis),
    "graph.html": lambda built: render.generate_graph_html(built.corpus),
}
"""Every file ``actorgraph build`` writes, and how each is made."""


def check(sources: Path | str) -> Built:
    """Load and check the sources, build the dataset (with the analysis's measures) and validate it.

    Raises SourcesInvalid or GraphInvalid listing every problem.
    """
    corpus = load_corpus(sources)
    built = Built(corpus, build_dataset(corpus))
    built.dataset.addN((*triple, ANALYSIS_GRAPH) for triple in analysis_triples(built.analysis))
    problems = violations(built.graph)
    if problems:
        raise GraphInvalid(problems)
    return built


def render_exports(built: Built) -> dict[str, bytes]:
    """Every export's bytes, made in memory before anything is written."""
    return {name: make(built) for name, make in EXPORTS.items()}


def write_query_store(built: Built, exports: Path | str) -> Path:
    """Load the graph into the on-disk store that ``actorgraph query`` and ``serve`` read."""
    return write_store(built.quads, exports)


def build(sources: Path | str, exports: Path | str) -> tuple[Built, list[Path]]:
    """Check the sources, write every export into ``exports`` and refresh the query store."""
    built = check(sources)
    outputs = render_exports(built)
    store = write_query_store(built, exports)  # before the files: a failure leaves them as they were
    return built, [*write_exports(outputs, exports), store]
