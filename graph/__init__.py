"""ActorGraph: an actor-relationship knowledge graph in which every edge cites its evidence.

Read the curated sources with :func:`load_corpus`, turn them into RDF with
:func:`build_dataset`, or run the whole pipeline with :func:`check` and :func:`build`;
:func:`analyse` a corpus for its camps, centrality and contested ties.

Each name is imported from its module on first use, so that a process needing one module
(a worker compiling sources, say) does not import NetworkX, SciPy and pySHACL.
"""

from importlib import import_module

_MODULES = {
    ".analysis": ("Analysis", "analyse"),
    ".errors": ("ActorGraphError", "GraphInvalid", "Problem", "SourcesInvalid", "SourcesNotFound", "UnknownActor"),
    ".load": ("check_corpus", "load_corpus"),
    ".model": ("CERTAINTIES", "Actor", "Claim", "Corpus", "Relation", "Source"),
    ".pipeline": ("EXPORTS", "Built", "build", "check"),
    ".rdf": ("build_dataset", "union_graph"),
    ".vocab": ("ACTOR", "AG", "CITATION", "CLAIM", "GRAPH", "REL", "SOURCE"),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_MODULE_OF[name], __name__), name)
    globals()[name] = value  # the next use finds it at once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
