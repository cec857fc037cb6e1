"""Write export files atomically: every file is either its old or its new version, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class StagedExports:
    """Export files written in full beside their targets as they come, and put in place together."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mode = 0o666 & ~_umask()
        self.pending: list[tuple[Path, Path]] = []

    def write(self, name: str, data: bytes) -> None:
        """Write ``data`` to a temporary file beside ``folder/name``, flushed to disk."""
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        self.pending.append((Path(temporary), self.folder / name))
        os.chmod(temporary, self.mode)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())

    @property
    def names(self) -> set[str]:
        """The names of the files written so far."""
        return {target.name for _, target in self.pending}

    def put_in_place(self) -> list[Path]:
        """Rename every file written into place; return their paths."""
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


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
