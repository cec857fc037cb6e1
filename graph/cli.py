"""The ``actorgraph`` command: a thin layer that calls the library and reports its errors."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

import click

from . import pipeline
from .errors import GraphInvalid, SourcesInvalid, SourcesNotFound

T = TypeVar("T")

EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 2

sources_option = click.option(
    "--sources",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("sources"),
    show_default=True,
    help="Folder of curated sources.",
)


def exports_option(help: str):
    """The ``--exports`` option (default ``exports/``), with what the command does there."""
    return click.option(
        "--exports",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("exports"),
        show_default=True,
        help=help,
    )


def _version() -> str:
    try:
        return version("actorgraph")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "unknown"


@click.group()
@click.version_option(_version(), prog_name="actorgraph")
def cli() -> None:
    """ActorGraph: who stands with whom, every edge with its evidence."""


@cli.command()
@sources_option
def check(sources: Path) -> None:
    """Check the sources and the graph built from them; list every problem.

    Exits 0 when everything is clean, 1 when there are problems to fix, 2 when
    the check could not run.
    """
    built = _checked(sources)
    click.echo(_summary(sources, built))
    click.echo("Every quote was found in its article, and the graph conforms to the SHACL shapes.")


@cli.command()
@sources_option
@exports_option("Folder to write the exports into.")
def build(sources: Path, exports: Path) -> None:
    """Check the sources, then write the graph and the claims into the exports folder.

    Nothing is written unless the check passes, and each file is replaced
    atomically, so a failed build leaves the previous exports as they were.
    """
    try:
        built, (*paths, store) = _checked(sources, lambda: pipeline.build(sources, exports))
    except OSError as error:
        _fail(f"cannot write the exports into {exports}/: {error.strerror or error}", EXIT_CANNOT_RUN)
    click.echo(_summary(sources, built))
    for path in paths:
        click.echo(f"  wrote {path} ({path.stat().st_size:,} bytes)")
    click.echo(f"  loaded the query store {store}/ (for 'actorgraph query' and 'actorgraph serve')")
    click.echo(f"The exports are in {exports}/ ({built.triple_count:,} triples).")


def _checked(sources: Path, run: Callable[[], T] | None = None) -> T:
    """``run()`` (by default, checking ``sources``) with the problems it finds reported and turned into an exit."""
    try:
        return run() if run else pipeline.check(sources)
    except SourcesNotFound as error:
        _fail(str(error), EXIT_CANNOT_RUN)
    except SourcesInvalid as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        _fail(f"{_count(len(error.problems), 'problem')} in {sources}/ — fix them and run 'actorgraph check' again.")
    except GraphInvalid as error:
        for problem in error.problems:
            click.echo(f"graph: {problem}", err=True)
        _fail(
            f"{_count(len(error.problems), 'SHACL violation')} in the built graph — fix the sources, or report a bug."
        )


def _summary(sources: Path, built: pipeline.Built) -> str:
    corpus = built.corpus
    counts = ", ".join(
        _count(n, noun)
        for n, noun in (
            (len(corpus.sources), "source"),
            (len(corpus.claims), "claim"),
            (len(corpus.actors), "actor"),
            (len(corpus.relations), "relation"),
        )
    )
    return f"Checked {sources}/: {counts}."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _fail(message: str, code: int = EXIT_PROBLEMS) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(code)


from .cli_render import render  # noqa: E402  (it imports the helpers above)

cli.add_command(render)

from .cli_sparql import push, query, serve  # noqa: E402  (it imports the helpers above)

cli.add_command(query)
cli.add_command(serve)
cli.add_command(push)

from .cli_analysis import actor, analyse, explain  # noqa: E402  (it imports the helpers above)

cli.add_command(analyse)
cli.add_command(explain)
cli.add_command(actor)


def main() -> None:
    cli(prog_name="actorgraph")
