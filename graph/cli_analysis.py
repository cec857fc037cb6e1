"""``actorgraph analyse``, ``explain`` and ``actor``: the analysis on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .analysis import Analysis
from .analysis import analyse as analyse_corpus
from .cli import EXIT_CANNOT_RUN, _checked, _count, _fail, _summary, exports_option, sources_option
from .errors import UnknownActor
from .explain import LIMIT, MAX_HOPS, format_paths, format_profile, paths, resolve
from .export import write_exports
from .report import generate_json, generate_markdown


@click.command()
@sources_option
@exports_option("Folder to write analysis.md and analysis.json into.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Analyse only the claims of sources dated up to this day (YYYY-MM-DD); "
    "writes analysis-as-of-DAY.md and .json.",
)
def analyse(sources: Path, exports: Path, as_of: dt.datetime | None) -> None:
    """Analyse the graph: camps and the ties against them, who matters, contested ties, change over time.

    Writes analysis.md (findings and tables, each citing its claims) and
    analysis.json (the same, for scripts); `actorgraph build` writes them too.
    """
    built = _checked(sources)
    click.echo(_summary(sources, built))
    day = as_of.date() if as_of else None
    analysis = built.analysis if day is None else analyse_corpus(built.corpus, as_of=day)
    if not analysis.corpus.claims:
        earliest = min(source.date for source in built.corpus.sources).isoformat()
        _fail(f"no source is dated on or before {day} — the earliest is {earliest}; pick a later day")
    stem = "analysis" if day is None else f"analysis-as-of-{day.isoformat()}"
    outputs = {f"{stem}.md": generate_markdown(analysis), f"{stem}.json": generate_json(analysis)}
    try:
        written = write_exports(outputs, exports)
    except OSError as error:
        _fail(f"cannot write the analysis into {exports}/: {error.strerror or error}", EXIT_CANNOT_RUN)
    click.echo(_headline(analysis))
    for path in written:
        click.echo(f"  wrote {path} ({path.stat().st_size:,} bytes)")


@click.command()
@sources_option
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@click.option(
    "--max-hops",
    type=click.IntRange(1, 6),
    default=MAX_HOPS,
    show_default=True,
    help="Longest path to look for, in ties between actors.",
)
@click.option("--limit", type=click.IntRange(1), default=LIMIT, show_default=True, help="How many paths to show.")
def explain(sources: Path, start: str, end: str, max_hops: int, limit: int) -> None:
    """Explain how actor A connects to actor B, hop by hop, with each claim's quote and source.

    A and B are actor ids, labels or aliases, in any case ("North Korea", "DPRK",
    north-korea). Paths are ranked: fewest hops, directed ones (every claim runs
    from A towards B) first, then the best sourced; the signs along a path
    multiply ("the enemy of an enemy" is +).
    """
    built = _checked(sources)
    analysis = built.analysis
    first, second = _actor(analysis, start), _actor(analysis, end)
    if first == second:
        _fail(f"'{start}' and '{end}' both name {analysis.label(first)} — name two different actors")
    found, capped = paths(analysis.ties, analysis.directed, first, second, max_hops=max_hops)
    lines = format_paths(analysis.corpus, first, second, found, max_hops=max_hops, limit=limit, capped=capped)
    click.echo("\n".join(lines))


@click.command()
@sources_option
@click.argument("name")
def actor(sources: Path, name: str) -> None:
    """Show one actor: its camp and centrality, then every claim about it, grouped by relation, with quotes.

    NAME is an actor id, label or alias, in any case. Denied claims are shown
    too, marked "denied".
    """
    built = _checked(sources)
    analysis = built.analysis
    click.echo("\n".join(format_profile(analysis, _actor(analysis, name))))


def _actor(analysis: Analysis, name: str) -> str:
    try:
        return resolve(analysis.corpus, name)
    except UnknownActor as error:
        _fail(str(error))
    raise AssertionError("unreachable")


def _headline(analysis: Analysis) -> str:
    claims = analysis.corpus.claims
    denied = sum(claim.certainty == "denied" for claim in claims)
    camps = analysis.camps
    unbalanced = sum(not triangle.balanced for triangle in analysis.triangles)
    as_of = f" dated up to {analysis.as_of.isoformat()}" if analysis.as_of else ""
    return (
        f"Analysed {_count(len(claims) - denied, 'claim')}{as_of} ({denied} denied left out) between "
        f"{_count(analysis.ties.number_of_nodes(), 'actor')}: {_count(len(camps.camps), 'camp')} ({camps.method}), "
        f"{_count(len(camps.frustrated), 'tie')} against them, {unbalanced} of "
        f"{_count(len(analysis.triangles), 'triangle')} unbalanced, {_count(len(analysis.contested), 'contested tie')}."
    )
