"""The last build's analysis, kept in the unit cache and used again while what it reads is unchanged.

The analysis reads who claims what of whom — each claim's id, actors, relation, source,
certainty and speaker — the sources' dates, and the actors and relations; not the quotes,
notes, titles or article texts. So after an edit of those (a quote mended, a title
corrected), a rebuild takes the measures from here instead of working them out again: at
100,000 claims that is 3.5 s of analysis and measures' RDF.

A memo is a pickle, and unpickling runs code: it is signed with a key kept outside the
exports folder, in the user's cache folder, so a memo the user's builds did not write (in an
exports folder copied from elsewhere, say) is ignored, never unpickled. Its first line names
the key it was kept under, so a memo of other claims costs a line's read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import importlib.metadata
import operator
import os
import pickle
import sys
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from .analysis import Analysis
from .balance import Triangle
from .gcpause import collector_paused
from .model import Corpus
from .named_graphs import NamedGraph

MEMO_FILE = "_analysis.memo"
"""The memo's file in the cache folder (a name no source folder has: those starting with '_' are not read)."""

_READ = operator.attrgetter("id", "subject", "relation", "object", "source", "certainty", "said_by")
"""The fields of a claim the analysis reads."""

_LIBRARIES = ("networkx", "numpy", "scipy", "pyoxigraph")


@collector_paused()
def analysis_key(corpus: Corpus) -> str:
    """A digest of what the analysis of ``corpus`` reads, and of the code that analyses it.

    >>> from graph.model import Claim, Source
    >>> import datetime as dt
    >>> claim = Claim("a-1", "x", "supports", "y", source="a", quote="as said")
    >>> corpus = Corpus((), (), (Source("a", "A", dt.date(2024, 1, 1)),), (claim,))
    >>> mended = Corpus((), (), (Source("a", "B", dt.date(2024, 1, 1)),), (dataclasses.replace(claim, quote="so"),))
    >>> denied = Corpus((), (), corpus.sources, (dataclasses.replace(claim, certainty="denied"),))
    >>> analysis_key(corpus) == analysis_key(mended), analysis_key(corpus) == analysis_key(denied)
    (True, False)
    """
    digest = hashlib.sha256(_code_digest())
    digest.update(repr((corpus.relations, corpus.actors)).encode())
    digest.update(repr([(source.id, source.date) for source in corpus.sources]).encode())
    claims = corpus.claims
    for start in range(0, len(claims), 10_000):  # a slice at a time: a million claims' repr is 100 MB
        digest.update(repr([*map(_READ, claims[start : start + 10_000])]).encode())
    return digest.hexdigest()


@collector_paused()
def recalled(folder: Path, key: str, corpus: Corpus) -> tuple[Analysis, NamedGraph] | None:
    """The analysis remembered in ``folder`` under ``key`` (see analysis_key), of ``corpus``, and its measures'
    named graph; None if there is none, it is of another key, or it is not signed with this user's key.

    A memo of another key is not read past its first line.
    """
    signing = _signing_key()
    try:
        with open(folder / MEMO_FILE, "rb") as file:
            if signing is None or file.readline() != _first_line(key):
                return None
            signature, body = file.read(32), file.read()
    except OSError:
        return None
    if not hmac.compare_digest(signature, _sign(signing, body)):
        return None
    try:
        fields, measures = pickle.loads(body)
    except (pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, ImportError):
        return None  # signed by this user, but written by code that no longer reads the same
    fields["triangles"] = [*map(Triangle._make, fields["triangles"])]
    return Analysis(corpus=corpus, **fields), measures


@collector_paused()
def memo_of(analysis: Analysis, measures: NamedGraph) -> bytes:
    """``analysis`` and its measures' named graph, pickled for remember (not while another thread reads them:
    pickling a networkx graph reads caches that reading it fills)."""
    fields = {field.name: getattr(analysis, field.name) for field in dataclasses.fields(analysis)}
    del fields["corpus"]  # the next build's, with its quotes and titles
    fields["triangles"] = [tuple(triangle) for triangle in analysis.triangles]  # plain tuples pickle 5× faster
    return pickle.dumps((fields, measures), protocol=pickle.HIGHEST_PROTOCOL)


def remember(folder: Path, key: str, memo: bytes) -> None:
    """Keep a ``memo`` (see memo_of) in ``folder`` under ``key``, signed; nothing if no signing key can be had
    (an unwritable home, say): the next build analyses again."""
    signing = _signing_key()
    if signing is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{MEMO_FILE}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.writelines([_first_line(key), _sign(signing, memo), memo])
        os.replace(temporary, folder / MEMO_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _first_line(key: str) -> bytes:
    return f"actorgraph analysis memo 1 {key}\n".encode("ascii")


def _sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


def signing_key_file() -> Path:
    """Where this user's key for signing memos is kept: ``$XDG_CACHE_HOME/actorgraph/`` or ``~/.cache/actorgraph/``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "actorgraph" / "memo.key"


def _signing_key() -> bytes | None:
    """This user's key for signing memos, made on first use (readable by the user alone); None if it cannot be."""
    path = signing_key_file()
    try:
        if not path.exists():
            _make_key(path)
        key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return key if len(key) == 32 else None


def _make_key(path: Path) -> None:
    """Write a new random key at ``path`` whole, unless another process just did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".memo.key-")  # readable by the user alone
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(32))
        os.link(temporary, path)  # fails if the key exists: the first key made stays
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


@cache
def _code_digest() -> bytes:
    """A digest of the package's modules, the libraries' versions and Python's: a change to any makes the memo
    stale."""
    package = resources.files(__package__)
    modules = sorted(item.name for item in package.iterdir() if item.name.endswith(".py"))
    digest = hashlib.sha256(sys.version.encode())
    for name in modules:
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    for library in _LIBRARIES:
        digest.update(importlib.metadata.version(library).encode() + b"\0")
    return digest.digest()
