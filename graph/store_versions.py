"""The on-disk query store's versions: make the next one, switch ``exports/store`` to it, remove the old.

Each build makes a new store directory beside the current one and switches a link at once,
so readers see either the old graph or the new one. When few triples changed since the
current store, the new one is a copy of it (hard links, made in milliseconds) with only
those triples removed and added; otherwise it is loaded from scratch. The N-Triples kept
beside it is the build's graph.nt itself (a hard link too).

A build starts the next store as soon as the sources' triples are written, and adds the
analysis's measures (written last, once the store has its start) when they are: the two
parts are compared with the current store's apart, so that new measures do not make the
whole file look changed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .priority import in_background
from .spans import copy_bytes, identity

STORE_NAME = "store"
"""The query store's name inside the exports folder: a link to the current store directory."""

CHANGED_AT_MOST = 0.1
"""Update a copy of the current store when at most this share of the N-Triples (in bytes) changed; load from scratch
otherwise."""

_COMPARED = 1 << 20
"""Bytes compared at a time when looking for where two texts start to differ."""

_SCANNED = 1 << 16
"""Bytes read at a time when looking for a newline in a file."""


def write_store(ntriples: Path, sources_end: int, exports: Path | str) -> Path:
    """Put the merged graph (an N-Triples file: the sources' triples in its first ``sources_end`` bytes, then the
    measures) into the next store, then switch ``exports/store`` to it.

    Older store directories are removed.
    """
    with store_lock(exports):
        return switch_store(finish_next_store(start_next_store(ntriples, sources_end, exports), ntriples), exports)


@contextmanager
def store_lock(exports: Path | str) -> Iterator[None]:
    """Hold the exports folder's store lock: one build at a time may load and switch the store."""
    exports = Path(exports)
    exports.mkdir(parents=True, exist_ok=True)
    with open(exports / ".store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@dataclass(frozen=True)
class NextStore:
    """A store being made from an N-Triples file in two parts: its first ``sources_end`` bytes (the sources'
    triples), loaded while the rest (the analysis's measures) is not yet written, then the rest."""

    directory: Path
    store: ox.Store
    sources_end: int
    updated: Path | None
    """The store it is an updated copy of; None if loaded from scratch."""
    linked: bool = False
    """Whether the N-Triples beside it is the file itself (a hard link), which grows as the rest is written."""


def start_next_store(ntriples: Path, sources_end: int, exports: Path | str) -> NextStore:
    """A new store directory in ``exports`` holding the first ``sources_end`` bytes of an N-Triples file, which must
    not grow until this returns.

    The file is kept beside it (``serve`` loads in-memory copies from there, and the next build
    finds what changed by comparing with it): a hard link to the file itself (at a million
    claims, a copy takes 10 s here), or where that cannot be, a copy of its first part. If few
    of its triples changed since the current store's, the new store is a copy of it with only
    those changed; otherwise it is loaded from scratch, by a thread of lower priority if this
    is not the main thread (see graph/priority.py; a few changes are made at once). Removed if
    that fails; finish_next_store adds the rest.
    """
    fresh = Path(exports) / f".store-{uuid.uuid4().hex[:12]}"
    beside = triples_beside(fresh)
    try:
        current = current_store(exports)
        linked = ntriples.stat().st_size == sources_end and _linked(ntriples, beside)  # the whole file: its first part
        if not linked:
            _copy_start(ntriples, beside, sources_end)
        store = _updated_copy(current, beside, sources_end, fresh)
        if store is not None:
            return NextStore(fresh, store, sources_end, current, linked)
        return NextStore(fresh, in_background(_load, beside, fresh), sources_end, None, linked)
    except BaseException:
        remove_store(fresh)
        raise


def finish_next_store(next_store: NextStore, ntriples: Path) -> Path:
    """Add the rest of the N-Triples file (after its first ``sources_end`` bytes) to the store, and beside it.

    In an updated copy, only the rest's lines that changed since the current store's rest are
    removed and added. Returns the store's directory, not yet in use; removed if this fails.
    """
    fresh, store = next_store.directory, next_store.store
    try:
        with open(ntriples, "rb") as file:
            rest = FileText(file)[next_store.sources_end :]
        if next_store.updated is None:
            in_background(_load_rest, store, rest)
        else:
            with open(triples_beside(next_store.updated), "rb") as old_file:
                old, old_end = FileText(old_file), _recorded(next_store.updated)[0]
                _change(store, *changed_lines(old[len(old) if old_end is None else old_end :], rest))
            store.flush()
        if not next_store.linked:
            with open(triples_beside(fresh), "ab") as beside:
                beside.write(rest)
        written = " ".join(map(str, identity(triples_beside(fresh).stat())))
        record = f"{next_store.sources_end}\n{written}\n"
        _record_beside(fresh).write_text(record, encoding="ascii")
    except BaseException:
        remove_store(fresh)
        raise
    return fresh


def current_store(exports: Path | str) -> Path | None:
    """The store directory ``exports/store`` points at, if there is one."""
    directory = (Path(exports) / STORE_NAME).resolve()
    return directory if directory.is_dir() else None


def store_version(exports: Path | str) -> str:
    """Which store directory ``exports/store`` points at now (changes with every build)."""
    try:
        return os.readlink(Path(exports) / STORE_NAME)
    except OSError:
        return ""


def triples_beside(directory: Path) -> Path:
    """The N-Triples file written beside a store directory, with the same graph."""
    return directory.with_name(directory.name + ".nt")


def _record_beside(directory: Path) -> Path:
    """The file beside a store directory that says how many bytes of the N-Triples beside it are the sources'
    triples (the rest are the analysis's measures), and that file's identity once written (see spans.identity)."""
    return directory.with_name(directory.name + ".sources-end")


def _recorded(directory: Path) -> tuple[int | None, tuple[int, ...] | None]:
    """Where the measures start in the N-Triples beside a store directory, and that file's identity when it was
    written; each None if not recorded (older builds recorded only the first)."""
    try:
        lines = _record_beside(directory).read_text(encoding="ascii").splitlines()
        return int(lines[0]), tuple(map(int, lines[1].split())) if len(lines) > 1 else None
    except (OSError, ValueError, IndexError):
        return None, None


def _intact(directory: Path, written: tuple[int, ...] | None) -> bool:
    """Whether the N-Triples beside a store directory is as it was ``written`` (its identity: see spans.identity):
    it may be a link to an export, and one edited in place no longer says what is in the store."""
    if written is None:
        return True  # recorded before the file could be a link: a copy no one else writes
    try:
        return identity(triples_beside(directory).stat()) == written
    except OSError:
        return False


def remove_store(directory: Path) -> None:
    """Remove a store directory and the files beside it."""
    shutil.rmtree(directory, ignore_errors=True)
    triples_beside(directory).unlink(missing_ok=True)
    _record_beside(directory).unlink(missing_ok=True)


def switch_store(fresh: Path, exports: Path | str) -> Path:
    """Point ``exports/store`` at the ``fresh`` directory at once, and remove the older ones."""
    exports = Path(exports)
    try:
        link = exports / f".{STORE_NAME}-link-{uuid.uuid4().hex[:8]}"
        os.symlink(fresh.name, link)
        os.replace(link, exports / STORE_NAME)
    except BaseException:
        remove_store(fresh)
        raise
    for old in exports.glob(".store-*"):
        if old.is_dir() and old != fresh:
            remove_store(old)
    return exports / STORE_NAME


def changed_lines(old: Text, new: Text) -> tuple[list[bytes], list[bytes]]:
    """The lines only in ``old`` and the lines only in ``new`` (each text whole lines, each line once), sorted.

    Only the lines between the texts' shared beginning and shared end are compared one by one.

    >>> changed_lines(b"a\\nb\\nc\\nd\\n", b"a\\nc\\nb\\nx\\nd\\n")
    ([], [b'x\\n'])
    >>> changed_lines(b"ab\\nxc\\n", b"ab\\nc\\n")
    ([b'xc\\n'], [b'c\\n'])
    """
    shortest = min(len(old), len(new))
    start = old.rfind(b"\n", 0, _shared_length(old, new, shortest)) + 1  # that newline is in both texts
    shared_end = _shared_length(old, new, shortest - start, at_end=True)
    newline = new.find(b"\n", len(new) - shared_end)  # the first one inside the shared end, so in both texts
    end = len(new) - newline - 1 if shared_end and newline >= 0 else 0
    before = set(old[start : len(old) - end].splitlines(keepends=True))
    after = set(new[start : len(new) - end].splitlines(keepends=True))
    return sorted(before - after), sorted(after - before)


def _shared_length(old: Text, new: Text, limit: int, at_end: bool = False) -> int:
    """How many bytes the texts share at their start (or end), at most ``limit``: compared a chunk at a time."""
    size, step = 0, _COMPARED
    while size < limit:
        step = min(step, limit - size)
        if _part(old, size, step, at_end) == _part(new, size, step, at_end):
            size += step
        elif step == 1:
            break
        else:
            step //= 2
    return size


def _part(text: Text, skipped: int, length: int, at_end: bool) -> bytes:
    """``length`` bytes of ``text`` after its first ``skipped`` (or before its last ``skipped``)."""
    return text[len(text) - skipped - length : len(text) - skipped] if at_end else text[skipped : skipped + length]


def _load(ntriples: Path, directory: Path) -> ox.Store:
    store = ox.Store(str(directory))
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def _load_rest(store: ox.Store, rest: bytes) -> None:
    store.bulk_load(rest, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    store.optimize()


def _updated_copy(current: Path | None, ntriples: Path, sources_end: int, fresh: Path) -> ox.Store | None:
    """A copy of the current store in ``fresh``, changed where the sources' triples changed; None if not worth it.

    Not done: no current store, no N-Triples beside it as it was written to compare with, too
    many changes, or a current store that cannot be copied. The current store's sources'
    triples and the new ones (the first ``sources_end`` bytes of ``ntriples``) are compared a
    slice at a time, read from the files: only the part between their shared beginning and
    end is read as lines.
    """
    old_end, written = _recorded(current) if current is not None else (None, None)
    if current is None or not _intact(current, written):
        return None
    try:
        with open(triples_beside(current), "rb") as old_file, open(ntriples, "rb") as new_file:
            old, new = FileText(old_file, old_end), FileText(new_file, sources_end)
            removed, added = changed_lines(old, new)
    except OSError:
        return None
    if sum(map(len, removed)) + sum(map(len, added)) > CHANGED_AT_MOST * len(new):
        return None
    try:
        ox.Store.read_only(str(current)).backup(str(fresh))  # a checkpoint: hard links to the current files
        store = ox.Store(str(fresh))
        _change(store, removed, added)
    except OSError:  # a store this Oxigraph cannot open read-only, or damaged: load from scratch instead
        shutil.rmtree(fresh, ignore_errors=True)
        return None
    return store


def _change(store: ox.Store, removed: list[bytes], added: list[bytes]) -> None:
    """Remove and add N-Triples lines."""
    for quad in ox.parse(b"".join(removed), format=ox.RdfFormat.N_TRIPLES):
        store.remove(quad)
    store.extend(ox.parse(b"".join(added), format=ox.RdfFormat.N_TRIPLES))


def _linked(source: Path, target: Path) -> bool:
    """Whether ``target`` could be made a hard link to ``source`` (not on some file systems)."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _copy_start(source: Path, target: Path, length: int) -> None:
    """Copy the first ``length`` bytes of a file (see spans.copy_bytes)."""
    with open(source, "rb") as reading, open(target, "wb") as writing:
        copy_bytes(reading.fileno(), 0, writing.fileno(), length)


class FileText:
    """A file's bytes, read where they are asked for (``os.pread``), not held or mapped whole.

    Enough of ``bytes`` for changed_lines: its length, slices, and finding a newline.

    >>> import tempfile; path = Path(tempfile.mkdtemp()) / "t.nt"; _ = path.write_bytes(b"ab\\ncd\\n")
    >>> with open(path, "rb") as file:
    ...     text = FileText(file)
    ...     len(text), text[1:4], text.find(b"\\n", 3), text.rfind(b"\\n", 0, 5)
    (6, b'b\\nc', 5, 2)
    """

    def __init__(self, file: BinaryIO, size: int | None = None):
        """The file's first ``size`` bytes (by default, all)."""
        self.fd = file.fileno()
        self.size = os.fstat(self.fd).st_size if size is None else size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _ = part.indices(self.size)
        chunks = []
        while start < stop:  # one read returns at most 2 GiB on Linux
            chunk = os.pread(self.fd, stop - start, start)
            if not chunk:
                break  # the file was cut short meanwhile
            chunks.append(chunk)
            start += len(chunk)
        return b"".join(chunks)

    def find(self, sub: bytes, start: int) -> int:
        """Where ``sub`` (one byte) first is at or after ``start``; -1 if nowhere."""
        while start < self.size:
            found = self[start : start + _SCANNED].find(sub)
            if found >= 0:
                return start + found
            start += _SCANNED
        return -1

    def rfind(self, sub: bytes, start: int, end: int) -> int:
        """Where ``sub`` (one byte) last is from ``start`` to before ``end``; -1 if nowhere."""
        while end > start:
            begin = max(start, end - _SCANNED)
            found = self[begin:end].rfind(sub)
            if found >= 0:
                return begin + found
            end = begin
        return -1


Text = bytes | FileText
"""UTF-8 text: in memory, or read from a file as needed."""
