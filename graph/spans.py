"""Text kept in files: spans of a file's bytes, written into another file by the kernel.

A source's named graph is made once and kept in its cache entry (see graph/units.py); the
build's graph files are those texts put together. So a cached graph's texts are not read
into memory at all: each is a span of its entry, copied where it goes with
``os.copy_file_range`` (through memory where the file system cannot), and the build holds
only the few lines it must compare (at a million claims, 5 GB of text it no longer reads,
decodes, holds and writes out again).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

COPIED = 1 << 26
"""Bytes copied at a time."""

_NOT_IN_KERNEL = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
"""Why os.copy_file_range may refuse a copy the file system cannot make in the kernel."""


class FileChanged(OSError):
    """A file whose bytes a span names was replaced or changed since the span was taken."""


@dataclass(frozen=True)
class FileSpan:
    """``length`` bytes of the file at ``path`` from ``start``, while it is the file ``seen`` (see identity)."""

    path: Path
    start: int
    length: int
    seen: tuple[int, ...]

    def read(self) -> bytes:
        """The span's bytes; FileChanged if the file is no longer the one seen."""
        with open(self.path, "rb") as file:
            _check(self, file.fileno())
            return os.pread(file.fileno(), self.length, self.start) if self.length else b""


Piece = str | FileSpan
"""Text to write: in memory, or a span of a file (UTF-8)."""


def identity(status: os.stat_result) -> tuple[int, ...]:
    """What tells a file (by its status) from the one that replaces it at its path, or from itself changed: its
    device, inode, size and time of change."""
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def write_pieces(path: Path, pieces: Iterable[Piece], append: bool = False) -> int:
    """Write the pieces into the file at ``path`` (after what it holds, if ``append``): text as UTF-8, a slice at a
    time; spans copied from their files. Returns how many bytes were written; FileChanged if a span's file changed.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); _ = (folder / "a").write_bytes(b"xyz")
    >>> span = FileSpan(folder / "a", 1, 2, identity((folder / "a").stat()))
    >>> write_pieces(folder / "b", ["ab", span, "c’"]), (folder / "b").read_text("utf-8")
    (8, 'abyzc’')
    """
    with piece_writer(path, append) as write:
        return sum(map(write, pieces))


@contextmanager
def piece_writer(path: Path, append: bool = False, chunk: int = 1 << 24) -> Iterator[Callable[[Piece], int]]:
    """A function that writes a piece into the file at ``path`` (see write_pieces) and says how many bytes it took."""
    with open(path, "r+b" if append else "wb", buffering=0) as file:  # not "ab": no kernel copy to O_APPEND files
        file.seek(0, os.SEEK_END)

        def write(piece: Piece) -> int:
            if isinstance(piece, FileSpan):
                return _copy(piece, file.fileno())
            slices = (piece[at : at + chunk].encode("utf-8") for at in range(0, len(piece), chunk))
            return sum(_write(file.fileno(), data) for data in slices)

        yield write


def copy_bytes(reading: int, start: int, writing: int, length: int) -> None:
    """Copy ``length`` bytes of the file open as ``reading`` from ``start`` to where ``writing`` is at: in the kernel
    where it can (Linux, most file systems), through memory otherwise."""
    copied = _copied_in_kernel(reading, start, writing, length)
    while copied < length:
        chunk = os.pread(reading, min(length - copied, COPIED), start + copied)
        if not chunk:
            raise OSError(f"the file ended {copied} bytes into a copy of {length}")
        copied += _write(writing, chunk)


def _write(fd: int, data: bytes) -> int:
    """Write all of ``data`` where the file open as ``fd`` is at."""
    done = 0
    while done < len(data):
        done += os.write(fd, data[done:])
    return done


def _copy(span: FileSpan, writing: int) -> int:
    reading = os.open(span.path, os.O_RDONLY)  # not open(): a file object costs more than the copy of a small span
    try:
        _check(span, reading)
        copy_bytes(reading, span.start, writing, span.length)
    finally:
        os.close(reading)
    return span.length


def _check(span: FileSpan, fd: int) -> None:
    if identity(os.fstat(fd)) != span.seen:
        raise FileChanged(
            errno.ESTALE,
            f"{span.path} changed while this build read it (is another build writing the same exports?): run it again",
        )


def _copied_in_kernel(reading: int, start: int, writing: int, length: int) -> int:
    """How many of the ``length`` bytes ``os.copy_file_range`` copied: all, unless the system cannot."""
    copy, copied = getattr(os, "copy_file_range", None), 0
    while copy is not None and copied < length:
        try:
            done = copy(reading, writing, min(length - copied, COPIED), start + copied)
        except OSError as error:
            if error.errno not in _NOT_IN_KERNEL:
                raise
            break
        if not done:
            break  # the file ended: reading it says so
        copied += done
    return copied
