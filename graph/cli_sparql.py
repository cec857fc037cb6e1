"""The SPARQL commands: ``actorgraph query``, ``serve`` and ``push``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .cli import EXIT_CANNOT_RUN, _fail, exports_option
from .errors import ActorGraphError
from .queries import QueryError, QueryNotFound, bind_params, find_named_query, load_named_queries, parse_named_query
from .results import GRAPH_FORMATS, SELECT_FORMATS, write
from .sandbox import EngineSpec, QueryFailed, QueryPool, QueryTimeout
from .serve import Site, make_server
from .sparql import QueryRefused, QuerySyntaxError
from .store import (
    ENGINES,
    EndpointError,
    Engine,
    StoreNotFound,
    fits_in_memory,
    open_engine,
    open_store,
    push_graphs,
)
from .store_versions import store_version
from .validate import ActorNames

EXIT_ASK_FALSE = 1
EXIT_QUERY_ERROR = 2

read_exports_option = exports_option("Folder the build wrote (graph and query store).")
queries_option = click.option(
    "--queries",
    "queries_folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("queries"),
    show_default=True,
    help="Folder of named queries.",
)


@click.command()
@click.argument("query", required=False)
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter, e.g. target=hamas."
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries, their titles and parameters.")
@click.option(
    "--format",
    "form",
    type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS),
    help="table (default), csv, tsv, json or xml for SELECT and ASK; turtle (default) or ntriples for graphs.",
)
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True, help="Local engine.")
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL 1.1 endpoint instead of the local store.")
@click.option("--max-rows", type=click.IntRange(min=1), help="Stop after this many rows.")
@read_exports_option
@queries_option
def query(query, params, list_queries, form, engine, endpoint, max_rows, exports, queries_folder) -> None:
    """Run a named query, a .rq FILE, or - (standard input).

    Parameters are bound as RDF terms through the engine's binding mechanism, never
    pasted into the query text. Exit codes: 0 done (ASK: true), 1 ASK false, 2 error.
    """
    try:
        named = load_named_queries(queries_folder) if queries_folder.is_dir() else {}
        if list_queries:
            click.echo(_listing(named), nl=False)
            return
        if not query:
            raise QueryError("Name a query, a .rq file or - for standard input. Run 'actorgraph query --list'.")
        label, text, declared = _query_text(query, named)
        given = _given(params)
        engine_ = open_engine(engine, exports, endpoint)
        bindings = bind_params(declared, given, _actor_resolver(engine_)) if declared else _free_params(given)
        result = engine_.query(text, bindings, max_rows)
    except QuerySyntaxError as error:
        _syntax_error(label, text, error)
    except (StoreNotFound, EndpointError) as error:
        _fail(str(error), EXIT_CANNOT_RUN)
    except (QueryNotFound, QueryError, QueryRefused, ActorGraphError) as error:
        _fail(str(error), EXIT_QUERY_ERROR)
    default = "turtle" if result.is_graph else "table"
    form = form or default
    if (form in GRAPH_FORMATS) != result.is_graph:
        _fail(f"a {result.kind} result cannot be written as {form}; use --format {default}", EXIT_QUERY_ERROR)
    click.echo(write(result, form), nl=False)
    if result.truncated and form != "table":
        click.echo(f"Stopped at {max_rows} rows (--max-rows).", err=True)
    if result.kind == "ask" and not result.boolean:
        raise SystemExit(EXIT_ASK_FALSE)


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="The store's Graph Store Protocol URL.")
@read_exports_option
def push(endpoint: str, exports: Path) -> None:
    """Upload the built graph to a triple store, one named graph per source.

    Uses the SPARQL 1.1 Graph Store Protocol: each named graph of exports/graph.trig
    replaces the graph of the same name on the server (HTTP PUT).
    """
    trig = exports / "graph.trig"
    if not trig.exists():
        _fail(f"no {trig} — run 'actorgraph build' first", EXIT_CANNOT_RUN)
    try:
        sent = push_graphs(endpoint, ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    except EndpointError as error:
        _fail(str(error), EXIT_CANNOT_RUN)
    for name, count in sent.items():
        click.echo(f"  {name}: {count:,} triples")
    click.echo(f"Pushed {len(sent)} named graphs ({sum(sent.values()):,} triples) to {endpoint}.")


def _query_text(query: str, named: dict) -> tuple[str, str, tuple]:
    if query == "-":
        return "<stdin>", sys.stdin.read(), ()
    path = Path(query)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"No query file {path}.")
        text = path.read_text(encoding="utf-8")
        try:
            declared = parse_named_query(path.stem, text, str(path)).params
        except QueryError:
            declared = ()
        return str(path), text, declared
    found = find_named_query(named, query)
    return f"queries/{found.name}.rq", found.text, found.params


def _given(params: tuple[str, ...]) -> dict[str, str]:
    given = {}
    for item in params:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise QueryError(f"Write parameters as NAME=VALUE, not '{item}'.")
        given[name.strip().lstrip("?$")] = value.strip()
    return given


def _free_params(given: dict[str, str]) -> dict:
    if given:
        raise QueryError("This query declares no parameters; add '# param: NAME TYPE DEFAULT' lines to its header.")
    return {}


def _actor_resolver(engine: Engine):
    """Map an actor's id, label or alias (any case) to its id, with a did-you-mean when unknown."""
    names: list[ActorNames] = []

    def resolve(value: str) -> str:
        if not names:
            names.append(_actor_names(engine))
        return _resolve(names[0], value)

    return resolve


def _current_actor_resolver(exports: Path):
    """Like ``_actor_resolver``, for a server: the names follow each new build of the store."""
    cache: dict[str, object] = {"version": None, "names": ActorNames()}

    def resolve(value: str) -> str:
        version = store_version(exports)
        if version != cache["version"]:
            cache["names"], cache["version"] = _actor_names(open_store(exports)), version
        return _resolve(cache["names"], value)

    return resolve


def _resolve(names: ActorNames, value: str) -> str:
    found = names.find(value)
    if found:
        return found
    close = names.closest(value)
    hint = f" Did you mean '{close}'?" if close else ""
    raise QueryError(f"No actor named '{value}'.{hint} Run 'actorgraph query actors' for the list.")


_ACTOR_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ag: <https://w3id.org/actorgraph/ns#>
SELECT ?id ?name WHERE {
  ?class rdfs:subClassOf ag:Actor . ?actor a ?class ; dcterms:identifier ?id .
  { ?actor dcterms:identifier ?name } UNION { ?actor rdfs:label ?name } UNION { ?actor skos:altLabel ?name }
}"""


def _actor_names(engine: Engine) -> ActorNames:
    rows = engine.query(_ACTOR_NAMES).rows
    return ActorNames.from_pairs(sorted((ident.value, name.value) for ident, name in rows))


def _listing(named: dict) -> str:
    if not named:
        return "No named queries (queries/*.rq).\n"
    width = max(len(name) for name in named)
    lines = []
    for name, found in named.items():
        params = " ".join(f"{p.name}={p.default}" for p in found.params)
        lines.append(f"{name.ljust(width)}  {found.title}" + (f"  [{params}]" if params else ""))
    return "\n".join(lines) + "\n"


def _syntax_error(label: str, text: str, error: QuerySyntaxError) -> None:
    click.echo(f"Error: {label}:{error.line}:{error.column}: SPARQL syntax error: {error.message}", err=True)
    lines = text.splitlines()
    if 0 < error.line <= len(lines):
        click.echo(f"  {lines[error.line - 1]}", err=True)
        click.echo(f"  {' ' * (error.column - 1)}^", err=True)
    raise SystemExit(EXIT_QUERY_ERROR)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True, help="Query engine.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds per query.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per result.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Query worker processes.")
@click.option(
    "--store",
    "store_mode",
    type=click.Choice(["auto", "memory", "disk"]),
    default="auto",
    show_default=True,
    help="Where each worker reads the Oxigraph store: a copy in memory (faster), or on disk; "
    "auto copies it into memory when the workers' copies fit in half of this machine's memory.",
)
@click.option("--verbose", is_flag=True, help="Log every request.")
@read_exports_option
@queries_option
def serve(host, port, engine, timeout, max_rows, workers, store_mode, verbose, exports, queries_folder) -> None:
    """Serve the graph: a read-only SPARQL endpoint, a query page and the exports.

    /sparql speaks the SPARQL 1.1 Protocol (GET and POST; JSON, XML, CSV, TSV results;
    Turtle for graphs). Updates, SERVICE, LOAD and FROM are refused; each query gets
    --timeout seconds and --max-rows rows. / is the graph explorer, /query the query page.
    """
    try:
        open_store(exports)  # fails early, with a clear message, when nothing was built
        named = load_named_queries(queries_folder) if queries_folder.is_dir() else {}
    except StoreNotFound as error:
        _fail(str(error), EXIT_CANNOT_RUN)
    except QueryError as error:
        _fail(str(error), EXIT_QUERY_ERROR)
    in_memory = engine == "oxigraph" and (
        store_mode == "memory" or (store_mode == "auto" and fits_in_memory(exports, workers))
    )
    if in_memory:
        click.echo(f"Loading the graph into memory in {workers} query worker{'s' if workers > 1 else ''}…", err=True)
    pool = QueryPool(EngineSpec(engine, str(exports), in_memory), workers, timeout, max_rows)
    try:
        pool.run("ASK {}")  # a worker that cannot open the store says why now, not at the first query
    except (QueryFailed, QueryTimeout) as error:
        pool.close()
        _fail(str(error), EXIT_CANNOT_RUN)
    try:
        server = make_server(Site(pool, named, exports, _current_actor_resolver(exports)), host, port, verbose)
    except OSError as error:
        pool.close()
        _fail(f"cannot listen on {host}:{port}: {error.strerror or error}", EXIT_CANNOT_RUN)
    address = f"http://{host}:{server.server_address[1]}"
    click.echo(f"Serving {exports}/ at {address}/ — SPARQL endpoint {address}/sparql, query page {address}/query")
    click.echo("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
