"""Shared fixtures: copies of the test corpus to break, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
PROJECT = Path(__file__).parent.parent


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

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file with ``new``; fail if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
