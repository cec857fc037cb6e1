"""``actorgraph render``: write the graph explorer page, exports/graph.html."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import EXIT_CANNOT_RUN, _checked, _fail, _summary, exports_option, sources_option
from .export import write_exports
from .render import generate_graph_html

PAGE = "graph.html"


@click.command()
@sources_option
@exports_option("Folder to write graph.html into.")
def render(sources: Path, exports: Path) -> None:
    """Check the sources, then write the graph explorer: one offline HTML page.

    Open exports/graph.html in a browser (no server or network needed): hover an
    edge for its evidence, click it for every citation, filter by relation,
    certainty, source and date. `actorgraph build` writes the same page.
    """
    built = _checked(sources)
    click.echo(_summary(sources, built))
    try:
        [path] = write_exports({PAGE: generate_graph_html(built.corpus)}, exports)
    except OSError as error:
        _fail(f"cannot write {exports / PAGE}: {error.strerror or error}", EXIT_CANNOT_RUN)
    click.echo(f"  wrote {path} ({path.stat().st_size:,} bytes)")
    click.echo(f"Open {path} in a browser.")
