"""The command line: exact output, help for every command, and the README that documents it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from graph import EXPORTS
from graph.cli import cli
from tests.conftest import DATA, PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_build_reports_what_it_checked_and_wrote(sources: Path, run):
    result = run("build")
    assert result.exit_code == 0, result.stderr
    triples = len((DATA / "golden" / "graph.nt").read_text(encoding="utf-8").splitlines())
    written = [
        f"  wrote exports/{name} ({(sources.parent / 'exports' / name).stat().st_size:,} bytes)" for name in EXPORTS
    ]
    assert result.stdout.splitlines() == [
        "Checked sources/: 2 sources, 5 claims, 6 actors, 6 relations.",
        *written,
        "  loaded the query store exports/store/ (for 'actorgraph query' and 'actorgraph serve')",
        f"The exports are in exports/ ({triples} triples).",
    ]


def test_build_writes_where_it_is_told(sources: Path, run, tmp_path: Path):
    result = run("build", "--sources", str(sources), "--exports", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    written = (path.name for path in (tmp_path / "out").iterdir() if path.is_file() and not path.name.startswith("."))
    assert sorted(written) == sorted(EXPORTS)


def test_build_refuses_sources_with_problems(sources: Path, run):
    (sources / "src-b/claims.yaml").write_text("", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "sources/src-b/claims.yaml: file is empty — add its content (see sources/README.md)",
        "Error: 1 problem in sources/ — fix them and run 'actorgraph check' again.",
    ]
    exports = sources.parent / "exports"  # nothing but the cache of the sources that checked clean
    assert [path.name for path in exports.iterdir()] == [".cache"]


def test_python_dash_m_graph_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert result.stdout.startswith("Usage: actorgraph [OPTIONS] COMMAND [ARGS]...")


def test_version(run):
    assert re.fullmatch(r"actorgraph, version \S+\n", run("--version").stdout)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name: str):
    command = cli.commands[name]
    assert command.help and command.get_short_help_str()
    assert f"actorgraph {name}" in README
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{name} {parameter.opts} has no help"
            assert parameter.opts[0] in README, f"README does not mention {name} {parameter.opts[0]}"


def test_readme_shows_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (PROJECT / ".ci/run").read_text(encoding="utf-8")
