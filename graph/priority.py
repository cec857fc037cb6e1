"""Run Oxigraph's work in a thread of lower priority, so that Python's thread keeps a core.

While the graph is validated and the query store loads, Oxigraph's threads (and the threads
they start, which inherit their priority) would share the two cores evenly with the one
thread running the analysis and the exports, which the build waits on most. On Linux each
thread has its own scheduling priority; elsewhere the priority is the whole process's, and
it is left alone. The forked children that write the corpus's exports run between the two
(see graph/forked.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

BACKGROUND_NICENESS = 10
"""How much lower (in nice levels) the background threads run."""

CHILD_NICENESS = 5
"""How much lower the forked children that write the corpus's exports run: below Python's thread, which a rebuild
after a claim edit waits on (the analysis; at 100,000 claims such a rebuild took 0.4 s less, 7.65 against 8.0 s in
four runs each), and above Oxigraph's threads."""


def in_background(work: Callable[..., T], *args: object) -> T:
    """``work(*args)``, with this thread (a worker's, not the main one) and those it starts at a lower priority."""
    if sys.platform == "linux" and threading.current_thread() is not threading.main_thread():
        with contextlib.suppress(OSError):  # a sandbox may forbid it: then the work runs as it is
            current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), current + BACKGROUND_NICENESS)
    return work(*args)
