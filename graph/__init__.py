"""ActorGraph: an actor-relationship knowledge graph in which every edge cites its evidence.

Read the curated sources with :func:`load_corpus`, turn them into RDF with
:func:`build_dataset`, or run the whole pipeline with :func:`check` and :func:`build`;
:func:`analyse` a corpus for its camps, centrality and contested ties.
"""

from .analysis import Analysis, analyse
from .errors import ActorGraphError, GraphInvalid, Problem, SourcesInvalid, SourcesNotFound, UnknownActor
from .load import check_corpus, load_corpus
from .model import CERTAINTIES, Actor, Claim, Corpus, Relation, Source
from .pipeline import EXPORTS, Built, build, check
from .rdf import build_dataset, union_graph
from .vocab import ACTOR, AG, CITATION, CLAIM, GRAPH, REL, SOURCE

__all__ = [
    "ACTOR",
    "AG",
    "CERTAINTIES",
    "CITATION",
    "CLAIM",
    "EXPORTS",
    "GRAPH",
    "REL",
    "SOURCE",
    "Actor",
    "Analysis",
    "ActorGraphError",
    "Built",
    "Claim",
    "Corpus",
    "GraphInvalid",
    "Problem",
    "Relation",
    "Source",
    "SourcesInvalid",
    "SourcesNotFound",
    "UnknownActor",
    "analyse",
    "build",
    "build_dataset",
    "check",
    "check_corpus",
    "load_corpus",
    "union_graph",
]
