"""Shared fixtures: copies of the test corpus to break, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
PROJECT = Path(__file__).parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own user cache folder (where builds keep the key that signs analysis memos), not the user's."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the mini corpus at ./sources, with the working directory at its parent."""
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture
def run():
    """Run the actorgraph CLI in-process; returns click's Result (stdout and stderr apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002 - click's name
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file with ``new``; fail if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run installs Debian's chromium and `make test` installs playwright")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright; skipped without it, but failing in CI."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _unavailable("headless Chromium (Debian's chromium package) is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, temporary profile (its own --user-data-dir)
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
