"""Pause Python's cycle collector while building large results that hold no reference cycles.

Reading the sources, the analysis, the reports and the page make millions of small objects.
Each batch of new objects sets off a collection, and the oldest generation's collections
walk every object alive, the whole corpus included, again and again: at 100,000 claims
that was half the analysis's time. None of these objects form cycles, so nothing is lost
by collecting once afterwards, when the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Turn the cycle collector off for the ``with`` block (or decorated function), then back on if it was.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
