"""Signed memos: bytes a build keeps in the cache folder under a key, for a later build to take back.

A memo may hold a pickle, and unpickling runs code; it may hold text that goes into a page.
So each is signed with a key kept outside the exports folder, in the user's cache folder,
and one the user's builds did not write (in an exports folder copied from elsewhere, say)
is ignored, never read further. Its first line names the key it was kept under, so a memo
of other inputs costs a line's read.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from .export import replace_whole


def recall(folder: Path, name: str, key: str) -> bytes | None:
    """The memo ``name`` kept in ``folder`` under ``key``; None if there is none, it is of another key, or it is not
    signed with this user's key."""
    signing = _signing_key()
    try:
        with open(folder / name, "rb") as file:
            if signing is None or file.readline() != _first_line(key):
                return None
            signature, body = file.read(32), file.read()
    except OSError:
        return None
    return body if hmac.compare_digest(signature, _sign(signing, body)) else None


def keep(folder: Path, name: str, key: str, body: bytes) -> None:
    """Keep ``body`` as the memo ``name`` in ``folder`` under ``key``, signed, in place of any other; nothing if no
    signing key can be had (an unwritable home, say): the next build does the work again."""
    signing = _signing_key()
    if signing is None:
        return
    replace_whole(folder / name, [_first_line(key), _sign(signing, body), body])


def signing_key_file() -> Path:
    """Where this user's key for signing memos is kept: ``$XDG_CACHE_HOME/actorgraph/`` or ``~/.cache/actorgraph/``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "actorgraph" / "memo.key"


def _first_line(key: str) -> bytes:
    return f"actorgraph memo 1 {key}\n".encode("ascii")


def _sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


def _signing_key() -> bytes | None:
    """This user's key for signing memos, made on first use (readable by the user alone); None if it cannot be."""
    path = signing_key_file()
    try:
        if not path.exists():
            _make_key(path)
        key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return key if len(key) == 32 else None


def _make_key(path: Path) -> None:
    """Write a new random key at ``path`` whole, unless another process just did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".memo.key-")  # readable by the user alone
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(32))
        os.link(temporary, path)  # fails if the key exists: the first key made stays
    except FileExistsError:
        pass
    except OSError:  # no hard links on this file system: moved into place (if two first builds race, the
        os.replace(temporary, path)  # memos of the one whose key is replaced are just made again)
    finally:
        Path(temporary).unlink(missing_ok=True)
