"""What a rebuild takes back from the last build while what it reads is unchanged: the analysis, the page's network.

Both read who claims what of whom — each claim's id, actors, relation, source, certainty and
speaker — the sources' dates, and the actors and relations; not the quotes, notes, titles or
article texts. So after an edit of those (a quote mended, a title corrected), a rebuild takes
them from signed memos in the cache folder (see graph/memo.py) instead of working them out
again: at 100,000 claims, 3.5 s of analysis and measures' RDF and 0.9 s of the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import pickle
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from . import render
from .analysis import Analysis
from .balance import Triangle
from .gcpause import collector_paused
from .memo import keep, recall
from .model import Corpus
from .named_graphs import NamedGraph
from .units import code_key, content_key

ANALYSIS_MEMO = "_analysis.memo"
PAGE_MEMO = "_page.memo"
"""The memos' files in the cache folder (names no source folder has: those starting with '_' are not read)."""

_READ = operator.attrgetter("id", "subject", "relation", "object", "source", "certainty", "said_by")
"""The fields of a claim the analysis and the page's network read."""

_LIBRARIES = ("networkx", "numpy", "scipy", "pyoxigraph")


@dataclass(frozen=True)
class Memos:
    """The memos in a cache ``folder`` that are of a corpus's structure, by its ``key`` (see structure_key)."""

    folder: Path
    key: str

    @collector_paused()
    def analysis(self, corpus: Corpus) -> tuple[Analysis, NamedGraph] | None:
        """The analysis kept under this key, of ``corpus`` (whose structure it is), and its measures' named graph;
        None if there is none."""
        body = recall(self.folder, ANALYSIS_MEMO, self.key)
        if body is None:
            return None
        try:
            fields, measures = pickle.loads(body)
        except (pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, ImportError):
            return None  # signed by this user, but written by code that no longer reads the same
        fields["triangles"] = [*map(Triangle._make, fields["triangles"])]
        return Analysis(corpus=corpus, **fields), measures

    def keep_analysis(self, memo: bytes) -> None:
        """Keep an analysis's memo (see analysis_memo) under this key."""
        keep(self.folder, ANALYSIS_MEMO, self.key, memo)

    def page_network(self, corpus: Corpus) -> dict[str, str]:
        """The network of the page showing ``corpus`` (see render.network_json): kept under this key, or made and
        kept."""
        body = recall(self.folder, PAGE_MEMO, self.key)
        if body is not None:
            texts = body.decode("utf-8").split("\0")
            return dict(zip(texts[::2], texts[1::2], strict=True))
        network = render.network_json(corpus)
        keep(self.folder, PAGE_MEMO, self.key, "\0".join(f"{name}\0{text}" for name, text in network.items()).encode())
        return network


@collector_paused()
def analysis_memo(analysis: Analysis, measures: NamedGraph) -> bytes:
    """``analysis`` and its measures' named graph, pickled for Memos.keep_analysis (not while another thread reads
    them: pickling a networkx graph reads caches that reading it fills)."""
    fields = {field.name: getattr(analysis, field.name) for field in dataclasses.fields(analysis)}
    del fields["corpus"]  # the next build's, with its quotes and titles
    fields["triangles"] = [tuple(triangle) for triangle in analysis.triangles]  # plain tuples pickle 5× faster
    return pickle.dumps((fields, measures), protocol=pickle.HIGHEST_PROTOCOL)


@collector_paused()
def structure_key(corpus: Corpus) -> str:
    """A digest of what the analysis of ``corpus`` and its page's network read, and of the code.

    >>> from graph.model import Claim, Source
    >>> import datetime as dt
    >>> claim = Claim("a-1", "x", "supports", "y", source="a", quote="as said")
    >>> corpus = Corpus((), (), (Source("a", "A", dt.date(2024, 1, 1)),), (claim,))
    >>> mended = Corpus((), (), (Source("a", "B", dt.date(2024, 1, 1)),), (dataclasses.replace(claim, quote="so"),))
    >>> denied = Corpus((), (), corpus.sources, (dataclasses.replace(claim, certainty="denied"),))
    >>> structure_key(corpus) == structure_key(mended), structure_key(corpus) == structure_key(denied)
    (True, False)
    """
    digest = hashlib.sha256(_code_digest())
    digest.update(repr((corpus.relations, corpus.actors)).encode())
    digest.update(repr([(source.id, source.date) for source in corpus.sources]).encode())
    claims = corpus.claims
    for start in range(0, len(claims), 10_000):  # a slice at a time: a million claims' repr is 100 MB
        digest.update(repr([*map(_READ, claims[start : start + 10_000])]).encode())
    return digest.hexdigest()


@cache
def _code_digest() -> bytes:
    """A digest of every module of the package, the libraries' versions and Python's: a change to any makes the
    memos stale."""
    modules = sorted(item.name for item in resources.files(__package__).iterdir() if item.name.endswith(".py"))
    return content_key(sys.version.encode(), code_key(modules, *_LIBRARIES).encode()).encode()
