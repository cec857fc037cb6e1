"""The on-disk query store's versions: make the next one, switch ``exports/store`` to it, remove the old.

Each build makes a new store directory beside the current one and switches a link at once,
so readers see either the old graph or the new one. When few triples changed since the
current store, the new one is a copy of it (hard links, made in milliseconds) with only
those triples removed and added; otherwise it is loaded from scratch.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

STORE_NAME = "store"
"""The query store's name inside the exports folder: a link to the current store directory."""

CHANGED_AT_MOST = 0.1
"""Update a copy of the current store when at most this share of the N-Triples (in bytes) changed; load from scratch
otherwise."""

_COMPARED = 1 << 20
"""Bytes compared at a time when looking for where two texts start to differ."""

_SCANNED = 1 << 16
"""Bytes read at a time when looking for a newline in a file."""


def write_store(ntriples: Path, exports: Path | str) -> Path:
    """Put the merged graph (an N-Triples file) into the next store, then switch ``exports/store`` to it.

    Older store directories are removed.
    """
    with store_lock(exports):
        return switch_store(load_next_store(ntriples, exports), exports)


@contextmanager
def store_lock(exports: Path | str) -> Iterator[None]:
    """Hold the exports folder's store lock: one build at a time may load and switch the store."""
    exports = Path(exports)
    exports.mkdir(parents=True, exist_ok=True)
    with open(exports / ".store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def load_next_store(ntriples: Path, exports: Path | str) -> Path:
    """A new store directory in ``exports`` holding the merged graph (an N-Triples file) as its default graph.

    Beside it, a copy of the N-Triples, made while the store loads: ``serve`` loads in-memory
    copies from it, and the next build finds what changed by comparing with it. Not yet in
    use; removed if loading fails.
    """
    fresh = Path(exports) / f".store-{uuid.uuid4().hex[:12]}"
    try:
        with ThreadPoolExecutor(1) as pool:
            copying = pool.submit(shutil.copyfile, ntriples, triples_beside(fresh))
            if not _updated_copy(current_store(exports), ntriples, fresh):
                _load(ntriples, fresh)
            copying.result()
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


def remove_store(directory: Path) -> None:
    """Remove a store directory and the N-Triples beside it."""
    shutil.rmtree(directory, ignore_errors=True)
    triples_beside(directory).unlink(missing_ok=True)


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


def _load(ntriples: Path, directory: Path) -> None:
    store = ox.Store(str(directory))
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    store.optimize()


def _updated_copy(current: Path | None, ntriples: Path, fresh: Path) -> bool:
    """Copy the current store into ``fresh`` and change only the triples that changed; False if not worth it.

    Not done: no current store, no N-Triples beside it to compare with, too many changes, or
    a current store that cannot be copied. The two N-Triples files are compared a slice at a
    time, read from the files: only the part between their shared beginning and end is read
    as lines.
    """
    if current is None:
        return False
    try:
        with open(triples_beside(current), "rb") as old_file, open(ntriples, "rb") as new_file:
            old, new = FileText(old_file), FileText(new_file)
            removed, added = changed_lines(old, new)
    except OSError:
        return False
    if sum(map(len, removed)) + sum(map(len, added)) > CHANGED_AT_MOST * len(new):
        return False
    try:
        ox.Store.read_only(str(current)).backup(str(fresh))  # a checkpoint: hard links to the current files
        store = ox.Store(str(fresh))
        for quad in ox.parse(b"".join(removed), format=ox.RdfFormat.N_TRIPLES):
            store.remove(quad)
        store.extend(ox.parse(b"".join(added), format=ox.RdfFormat.N_TRIPLES))
        store.flush()
    except OSError:  # a store this Oxigraph cannot open read-only, or damaged: load from scratch instead
        shutil.rmtree(fresh, ignore_errors=True)
        return False
    return True


class FileText:
    """A file's bytes, read where they are asked for (``os.pread``), not held or mapped whole.

    Enough of ``bytes`` for changed_lines: its length, slices, and finding a newline.

    >>> import tempfile; path = Path(tempfile.mkdtemp()) / "t.nt"; _ = path.write_bytes(b"ab\\ncd\\n")
    >>> with open(path, "rb") as file:
    ...     text = FileText(file)
    ...     len(text), text[1:4], text.find(b"\\n", 3), text.rfind(b"\\n", 0, 5)
    (6, b'b\\nc', 5, 2)
    """

    def __init__(self, file: BinaryIO):
        self.fd = file.fileno()
        self.size = os.fstat(self.fd).st_size

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
