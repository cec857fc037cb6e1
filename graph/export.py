"""Write export files atomically: every file is either its old or its new version, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class StagedExports:
    """Export files written in full beside their targets as they come, and put in place together."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mode = 0o666 & ~_umask()
        self.pending: list[tuple[Path, Path]] = []
        self.unflushed: set[Path] = set()

    def write(self, name: str, data: bytes) -> None:
        """Write ``data`` to a temporary file beside ``folder/name``, flushed to disk."""
        self.write_with(name, lambda path: path.write_bytes(data))

    def write_with(self, name: str, write: Callable[[Path], object]) -> None:
        """Have ``write`` make the file at a temporary path beside ``folder/name``, then flush it to disk.

        A large export is written as it is made, not held in memory whole first.
        """
        temporary = self.begin(name)
        write(temporary)
        _flush(temporary)
        self.unflushed.remove(temporary)

    def begin(self, name: str) -> Path:
        """An empty temporary file beside ``folder/name``, to be written in one go or in several, and flushed to
        disk and put in place with the others."""
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        os.close(handle)
        self.pending.append((Path(temporary), self.folder / name))
        self.unflushed.add(Path(temporary))
        os.chmod(temporary, self.mode)
        return Path(temporary)

    @property
    def names(self) -> set[str]:
        """The names of the files written so far."""
        return {target.name for _, target in self.pending}

    def flush(self) -> None:
        """Flush to disk the files begun but not flushed yet."""
        for temporary in sorted(self.unflushed):
            _flush(temporary)
            self.unflushed.remove(temporary)

    def put_in_place(self) -> list[Path]:
        """Flush what is not yet flushed, then rename every file written into place; return their paths."""
        self.flush()
        for temporary, target in self.pending:
            os.replace(temporary, target)
        return [target for _, target in self.pending]


@contextmanager
def staged_exports(folder: Path | str) -> Iterator[StagedExports]:
    """Exports written into ``folder`` one by one and put in place by ``put_in_place``.

    Temporary files left when the block ends — because something failed before the
    files were put in place — are removed, and the existing exports stay untouched.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged = StagedExports(folder)
    try:
        yield staged
    finally:
        for temporary, _ in staged.pending:
            temporary.unlink(missing_ok=True)


def write_exports(outputs: Mapping[str, bytes], folder: Path | str) -> list[Path]:
    """Write each ``name -> bytes`` into ``folder`` at once, all or nothing; return the paths written."""
    with staged_exports(folder) as staged:
        for name, data in outputs.items():
            staged.write(name, data)
        return staged.put_in_place()


def replace_whole(path: Path, parts: Iterable[bytes]) -> os.stat_result:
    """Write a file anew at once, through a temporary file beside it (a reader finds it whole or not at all), making
    its folder if need be; return its status as written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.writelines(parts)
            file.flush()
            status = os.fstat(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return status


def write_text(path: Path, parts: Iterable[str], chunk: int = 1 << 24, append: bool = False) -> None:
    """Write text as UTF-8 a slice at a time (after what the file holds, if ``append``): no encoded copy of a whole
    large text in memory.

    >>> import tempfile; path = Path(tempfile.mkdtemp()) / "t.txt"
    >>> write_text(path, ["ab", "c’d"], chunk=2); path.read_text("utf-8")
    'abc’d'
    """
    with open(path, "a" if append else "w", encoding="utf-8", newline="") as file:
        for text in parts:
            for start in range(0, len(text), chunk):
                file.write(text[start : start + chunk])


def _flush(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
