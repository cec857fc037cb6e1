"""``actorgraph serve``: a read-only SPARQL 1.1 Protocol endpoint, the query page and the exports."""

from __future__ import annotations

import json
import mimetypes
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .pipeline import EXPORTS
from .queries import NamedQuery, QueryError, QueryNotFound, bind_params, find_named_query
from .results import GRAPH_FORMATS, MEDIA_TYPES, QueryResult, write
from .sandbox import QueryFailed, QueryPool, QueryTimeout

MAX_BODY = 1_000_000
_ROW_TYPES = ("json", "xml", "csv", "tsv")
_ALIASES = {"application/json": "json", "text/plain": "tsv", "application/xml": "xml", "text/xml": "xml"}
_STATUS = {"syntax": HTTPStatus.BAD_REQUEST, "refused": HTTPStatus.FORBIDDEN, "update": HTTPStatus.FORBIDDEN}
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class Site:
    """What the server serves: the query pool, the named queries and the exports folder."""

    pool: QueryPool
    queries: dict[str, NamedQuery]
    exports: Path
    resolve_actor: Callable[[str], str] | None = None


def negotiate(accept: str, is_graph: bool, requested: str | None = None) -> str | None:
    """Pick a result format from an Accept header (or an explicit ``format``); None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", False)
    'xml'
    >>> negotiate("*/*", True), negotiate("text/html", False)
    ('turtle', None)
    """
    allowed = GRAPH_FORMATS if is_graph else _ROW_TYPES
    if requested:
        return requested if requested in allowed else None
    choices = []
    for position, part in enumerate((accept or "*/*").split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, media.strip().lower()))
    for _, _, media in sorted(choices):
        if media in ("*/*", "application/*", "text/*"):
            return allowed[0]
        form = _ALIASES.get(media) or next((f for f, t in MEDIA_TYPES.items() if t == media), None)
        if form in allowed:
            return form
    return None


class Handler(BaseHTTPRequestHandler):
    """Routes: /sparql, /api/queries[/NAME], /query (the page), /static/…, /exports/…, /."""

    site: Site
    server_version = "ActorGraph"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            self._protocol(fields)
        elif url.path == "/":
            self._home()
        elif url.path == "/query":
            self._static("query.html")
        elif url.path.startswith("/static/"):
            self._static(url.path.removeprefix("/static/"))
        elif url.path == "/api/queries":
            self._send_json([_describe(query) for query in self.site.queries.values()])
        elif url.path.startswith("/api/queries/"):
            self._named(urllib.parse.unquote(url.path.removeprefix("/api/queries/")), fields)
        elif url.path.startswith("/exports/"):
            self._export(urllib.parse.unquote(url.path.removeprefix("/exports/")))
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", {})
        else:
            self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}")

    do_HEAD = do_GET  # noqa: N815 - same answer without the body

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, f"nothing to post to at {url.path}")
            return
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self._error(HTTPStatus.BAD_REQUEST, "send a Content-Length with the body")
            return
        if int(length) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"bodies over {MAX_BODY:,} bytes are refused")
            return
        body = self.rfile.read(int(length)).decode("utf-8", "replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "updates are not allowed: this graph is read-only")
        elif media == "application/sparql-query":
            fields["query"] = [body]
            self._protocol(fields)
        elif media == "application/x-www-form-urlencoded":
            fields.update(urllib.parse.parse_qs(body, keep_blank_values=True))
            self._protocol(fields)
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form with query=…")

    def _protocol(self, fields: dict[str, list[str]]) -> None:
        if "update" in fields:
            self._error(HTTPStatus.FORBIDDEN, "updates are not allowed: this graph is read-only")
            return
        if "default-graph-uri" in fields or "named-graph-uri" in fields:
            self._error(
                HTTPStatus.FORBIDDEN, "default-graph-uri and named-graph-uri are not allowed: the dataset is fixed"
            )
            return
        queries = fields.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one 'query' (SPARQL 1.1 Protocol); the page is at /query")
            return
        self._run(queries[0], {}, (fields.get("format") or [None])[0])

    def _named(self, name: str, fields: dict[str, list[str]]) -> None:
        try:
            found = find_named_query(self.site.queries, name)
            given = {key: values[0] for key, values in fields.items() if key != "format"}
            bindings = bind_params(found.params, given, self.site.resolve_actor)
        except (QueryNotFound, QueryError) as error:
            status = HTTPStatus.NOT_FOUND if isinstance(error, QueryNotFound) else HTTPStatus.BAD_REQUEST
            self._error(status, str(error))
            return
        self._run(found.text, bindings, (fields.get("format") or [None])[0], filename=found.name)

    def _run(self, text: str, bindings: dict, requested: str | None, filename: str = "results") -> None:
        # the query is read and checked in the worker, inside the time limit, not here
        accept = self.headers.get("Accept", "*/*")
        if negotiate(accept, False, requested) is None and negotiate(accept, True, requested) is None:
            self._error(HTTPStatus.NOT_ACCEPTABLE, "ask for SPARQL JSON, XML, CSV or TSV results, or Turtle for graphs")
            return
        try:
            result = self.site.pool.run(text, bindings)
        except QueryTimeout as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
            return
        except QueryFailed as error:
            status = _STATUS.get(error.kind, HTTPStatus.INTERNAL_SERVER_ERROR)
            message = str(error) if status != HTTPStatus.INTERNAL_SERVER_ERROR else "the query failed to run"
            self._error(status, message)
            return
        form = negotiate(accept, result.is_graph, requested)
        if form is None:
            self._error(HTTPStatus.NOT_ACCEPTABLE, "ask for SPARQL JSON, XML, CSV or TSV results, or Turtle for graphs")
            return
        self._send_result(result, form, download=f"{filename}.{form}" if requested else None)

    def _send_result(self, result: QueryResult, form: str, download: str | None) -> None:
        body = write(result, form).encode("utf-8")
        headers = {"X-Row-Limit-Reached": "true"} if result.truncated else {}
        if download:
            headers["Content-Disposition"] = f'attachment; filename="{download}"'
        self._send(HTTPStatus.OK, body, f"{MEDIA_TYPES[form]}; charset=utf-8", headers)

    def _home(self) -> None:
        page = self.site.exports / "graph.html"
        if page.is_file():
            self._send(
                HTTPStatus.OK, page.read_bytes(), "text/html; charset=utf-8", {"X-Content-Type-Options": "nosniff"}
            )
        else:
            self._send(HTTPStatus.FOUND, b"", "text/plain", {"Location": "/query"})

    def _static(self, name: str) -> None:
        folder = resources.files(__package__).joinpath("web")
        if "/" in name or name.startswith(".") or not folder.joinpath(name).is_file():
            self._error(HTTPStatus.NOT_FOUND, f"no file {name}")
            return
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith("javascript") else ""
        self._send(HTTPStatus.OK, folder.joinpath(name).read_bytes(), media + charset, _PAGE_HEADERS)

    def _export(self, name: str) -> None:
        path = self.site.exports / name
        if name not in EXPORTS or not path.is_file():
            self._error(HTTPStatus.NOT_FOUND, f"no export {name}; run 'actorgraph build'")
            return
        media = {".ttl": "text/turtle", ".trig": "application/trig", ".nt": "application/n-triples"}.get(
            path.suffix
        ) or (mimetypes.guess_type(name)[0] or "application/octet-stream")
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'} if path.suffix != ".html" else {}
        self._send(HTTPStatus.OK, path.read_bytes(), media, disposition)

    def _send_json(self, value: object) -> None:
        self._send(HTTPStatus.OK, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json", {})

    def _error(self, status: HTTPStatus, message: str) -> None:
        headers = {"X-Content-Type-Options": "nosniff"}
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _send(self, status: HTTPStatus, body: bytes, media: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(site: Site, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``site``; call ``serve_forever()`` on it."""
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose
    return server


def _describe(query: NamedQuery) -> dict:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [{"name": p.name, "type": p.type, "default": p.default, "help": p.help} for p in query.params],
        "text": query.text,
    }
