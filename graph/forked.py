"""Work done on the second core by a forked copy of this process, which reads what the parent holds without
copying or pickling it."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass

_CAN_FORK = sys.platform == "linux"
"""Where a forked child is safe: macOS's system libraries may not survive a fork; Windows has none."""


class ChildFailed(RuntimeError):
    """The child ended without saying why (killed, or its error could not be sent back)."""


@dataclass
class Child:
    """Work under way in a forked child: ``wait`` returns when it is done, raising what it raised."""

    pid: int | None
    errors: int | None
    """The pipe's end the child's error comes through, pickled; None when the work was done in this process."""

    def wait(self) -> None:
        """Wait for the work to end; raise its exception if it failed."""
        if self.pid is None:
            return
        try:
            sent = _read_all(self.errors)
        except BaseException:  # interrupted while waiting: the work is not wanted any more
            self.stop()
            raise
        self._close()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if sent:
            raise pickle.loads(sent)
        code = os.waitstatus_to_exitcode(status)
        if code:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
            raise ChildFailed(f"a child process of the build {how} without saying why")

    def stop(self) -> None:
        """End the work now (something else failed), and reap the child."""
        if self.pid is None:
            return
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.pid = None
        self._close()

    def _close(self) -> None:
        if self.errors is not None:
            os.close(self.errors)
            self.errors = None


def in_child(work: Callable[[], object], lower_by: int = 0) -> Child:
    """Start ``work`` in a forked child of this process; or do it here, on a platform without fork, or where
    this process runs other Python threads (the child could find a lock one of them held, held forever).

    Native worker threads (numpy's OpenBLAS starts some) wait idle, and OpenBLAS prepares for a
    fork; the child calls no Oxigraph code. The child runs with the cycle collector off: it
    would touch every object the two processes share, and so copy their memory; and at a
    priority ``lower_by`` nice levels below this process's (not where the work is done here).
    """
    if not _CAN_FORK or threading.active_count() > 1:
        work()
        return Child(None, None)
    errors, sending = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns of any thread, OpenBLAS's idle ones too
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        status = 0
        try:
            os.close(errors)
            gc.disable()
            if lower_by:
                with contextlib.suppress(OSError):  # a sandbox may forbid it: then the work runs as it is
                    os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0) + lower_by)
            work()
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            status = 1
            _write_all(sending, _pickled(error))
        finally:
            os._exit(status)
    os.close(sending)
    return Child(pid, errors)


def _pickled(error: BaseException) -> bytes:
    try:
        return pickle.dumps(error)
    except Exception:  # noqa: BLE001 - an exception that does not pickle is sent as its text
        return pickle.dumps(ChildFailed(f"{type(error).__name__}: {error}"))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)
