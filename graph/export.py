"""Write export files atomically: every file is either its old or its new version, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_exports(outputs: Mapping[str, bytes], folder: Path | str) -> list[Path]:
    """Write each ``name -> bytes`` into ``folder``; return the paths written.

    Every file is first written in full to a temporary file beside its target; only
    when all are written are they renamed into place. If anything fails, the
    temporary files are removed and the existing exports stay untouched.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()
    pending: list[tuple[Path, Path]] = []
    try:
        for name, data in outputs.items():
            target = folder / name
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            pending.append((Path(temporary), target))
            os.chmod(temporary, mode)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        for temporary, target in pending:
            os.replace(temporary, target)
    finally:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
    return [target for _, target in pending]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
