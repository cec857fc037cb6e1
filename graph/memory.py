"""Give the memory Python has freed back to the system, so a large build's peak is what it holds, not what it held.

CPython frees a large text to the C library, and glibc keeps the pages for later requests
from the same thread. The build drops the sources' compiled texts (gigabytes at a million
claims) once they are written, but the store that loads next allocates from its own thread:
without this, both would count in the build's peak.
"""

from __future__ import annotations

import ctypes


def release_freed_memory() -> None:
    """Return the C library's free heap pages to the system (glibc's malloc_trim); nothing elsewhere."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
