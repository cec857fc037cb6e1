"""The graph explorer in a real headless Chromium (Debian's ``chromium``), with no network.

Every request but the page's own is blocked and recorded; console errors and uncaught
exceptions fail the test. Without Chromium these tests skip, or fail when CI=true.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph import check, on_page
from graph.model import Corpus
from graph.render import generate_graph_html, page_data
from tests.conftest import MINI, PROJECT
from tests.explorer_corpora import (
    HOSTILE_LABEL,
    HOSTILE_QUOTE,
    HOSTILE_RELATION,
    HOSTILE_TITLE,
    hostile_corpus,
    synthetic_corpus,
)

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT = PROJECT / "docs" / "screenshot.png"


@dataclass
class Opened:
    """A page opened in its own browser context, with what it logged and asked for."""

    page: object
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def evaluate(self, expression: str, argument: object = None):
        return self.page.evaluate(expression, argument)

    def rendered(self) -> dict[str, int]:
        return self.evaluate("actorgraph.rendered()")

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)


@pytest.fixture
def open_page(browser, tmp_path: Path) -> Iterator:
    contexts = []

    def open_(html: bytes, *, url: str | None = None, viewport: dict[str, int] = VIEWPORT) -> Opened:
        if url is None:
            path = tmp_path / "graph.html"
            path.write_bytes(html)
            url = path.as_uri()
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        opened = Opened(context.new_page(), url)

        def route(route):
            opened.requests.append(route.request.url)
            if route.request.url == url:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", route)
        opened.page.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
        opened.page.on("pageerror", lambda error: opened.errors.append(f"uncaught: {error}"))
        opened.page.goto(url)
        opened.page.wait_for_function("window.actorgraph && window.actorgraph.ready", timeout=30_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def mini() -> Corpus:
    return check(MINI).corpus


@pytest.fixture(scope="module")
def mini_html(mini: Corpus) -> bytes:
    return generate_graph_html(mini)


def expected_counts(data: dict, *, denied: bool = False) -> dict[str, int]:
    """What should be drawn: edges the certainty filter lets through, and the actors they touch (or none)."""
    edges = [edge for edge in data["edges"] if denied or edge["certainty"] != "denied"]
    touched = {end for edge in edges for end in (edge["from"], edge["to"])}
    lone = {node["id"] for node in data["nodes"]} - {
        end for edge in data["edges"] for end in (edge["from"], edge["to"])
    }
    return {"nodes": len(touched | lone), "edges": len(edges)}


def click_filter(opened: Opened, group: str, value: str) -> None:
    opened.page.click(f"#filter-{group} input[value='{value}']")


def point_on(opened: Opened, edge_id: str) -> dict[str, float]:
    """A whole-pixel point of the page on the edge and on nothing else, a pixel either way included.

    Mouse events come in whole pixels, and curved edges between one pair of actors run
    close together, so the point must hit only this edge even a pixel off.
    """
    point = opened.evaluate(
        """(id) => {
          const network = actorgraph.network;
          const box = document.getElementById("network").getBoundingClientRect();
          const drawn = network.body.edges[id].edgeType;  // vis-network's own curve, straight or not
          const only = (x, y) => {
            const dom = {x: x - box.left, y: y - box.top};
            return network.getEdgeAt(dom) === id && network.getNodeAt(dom) === undefined;
          };
          for (let t = 0.5; t > 0.1; t -= 0.05) {
            for (const u of [t, 1 - t]) {
              const dom = network.canvasToDOM(drawn.getPoint(u));
              const x = Math.round(box.left + dom.x), y = Math.round(box.top + dom.y);
              if ([-1, 0, 1].every((dx) => [-1, 0, 1].every((dy) => only(x + dx, y + dy)))) return {x, y};
            }
          }
          return null;
        }""",
        edge_id,
    )
    assert point is not None, f"no clear point on edge {edge_id}"
    return point


def point_of_node(opened: Opened, node_id: str) -> dict[str, float]:
    return opened.evaluate(
        """(id) => {
          const box = document.getElementById("network").getBoundingClientRect();
          const dom = actorgraph.network.canvasToDOM(actorgraph.network.getPositions([id])[id]);
          return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )


def hover(opened: Opened, point: dict[str, float]) -> str:
    opened.page.mouse.move(1, 1)  # off the graph, over the page's header
    opened.page.wait_for_selector("#tooltip[hidden]", state="attached", timeout=5_000)
    opened.page.mouse.move(point["x"], point["y"])  # straight there, crossing nothing on the way
    opened.page.wait_for_selector("#tooltip:not([hidden])", timeout=5_000)
    return opened.text("#tooltip")


def edge_id(data: dict, claim_id: str) -> str:
    index = next(i for i, claim in enumerate(data["claims"]) if claim["id"] == claim_id)
    return next(edge["id"] for edge in data["edges"] if index in edge["claims"])


# ---- loading -------------------------------------------------------------------------------


def test_the_page_loads_from_a_file_offline_without_errors(open_page, mini, mini_html):
    opened = open_page(mini_html)
    assert opened.errors == []
    assert opened.requests == [opened.url]
    assert opened.rendered() == expected_counts(page_data(mini))
    assert opened.text("#summary") == "6 actors · 5 claims from 2 source articles"


def test_a_page_of_part_of_a_larger_corpus_says_so(open_page, monkeypatch):
    monkeypatch.setattr(on_page, "PAGE_CLAIMS", 150)
    corpus = synthetic_corpus(60, 400)
    data = page_data(corpus)
    opened = open_page(generate_graph_html(corpus))
    assert opened.errors == []
    actors, sources = len(data["nodes"]), len(data["sources"])
    assert opened.text("#summary") == (
        f"{actors} of 60 actors (those in most claims) · {len(data['claims'])} of 400 claims (those between them)"
        f" from {sources} of 20 source articles. Every claim is in claims.csv and graph.ttl."
    )
    labels = [node["label"] for node in data["nodes"]]
    missing = next(a.label for a in corpus.actors if not any(a.label in label for label in labels))  # nor part of one
    opened.page.fill("#search", missing)
    opened.page.press("#search", "Enter")
    assert opened.text("#search-message") == f"No actor on this page is called “{missing}”."


def test_the_page_works_over_http_too(open_page, mini, mini_html, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "graph.html").write_bytes(mini_html)
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        opened = open_page(b"", url=f"http://127.0.0.1:{server.server_port}/graph.html")
        assert opened.errors == []
        assert opened.requests == [opened.url]
        assert opened.rendered() == expected_counts(page_data(mini))
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the name the base class uses)
        pass


def test_drawn_nodes_and_edges_match_the_graph(open_page, mini, mini_html):
    opened = open_page(mini_html)
    data = page_data(mini)
    assert opened.rendered() == expected_counts(data)
    click_filter(opened, "certainties", "denied")  # show denied claims too: everything
    assert opened.rendered() == {"nodes": len(mini.actors), "edges": len(data["edges"])}
    assert opened.text("#status") == "Showing 6 of 6 actors, 5 edges (5 of 5 claims)"


def test_the_real_corpus_draws_every_actor_and_edge(open_page):
    corpus = check(PROJECT / "sources").corpus
    data = page_data(corpus)
    opened = open_page(generate_graph_html(corpus))
    assert opened.errors == [] and opened.requests == [opened.url]
    assert opened.rendered() == expected_counts(data)
    click_filter(opened, "certainties", "denied")
    assert opened.rendered() == {"nodes": len(corpus.actors), "edges": len(data["edges"])}


def test_a_large_graph_opens_and_shows_evidence_on_hover(open_page):
    corpus = synthetic_corpus(300, 3000)
    data = page_data(corpus)
    opened = open_page(generate_graph_html(corpus))
    assert opened.errors == []
    assert opened.rendered() == expected_counts(data)
    busiest = max(data["nodes"], key=lambda node: node["claims"])
    assert hover(opened, point_of_node(opened, busiest["id"])).startswith(busiest["label"])


# ---- filters -------------------------------------------------------------------------------


def test_filters_change_what_is_visible_combine_and_reset(open_page, mini_html):
    opened = open_page(mini_html)
    before = opened.rendered()
    assert before == {"nodes": 6, "edges": 4}

    click_filter(opened, "relations", "supports")  # Iran supports Hamas: gone, Iran stays (ally of Russia)
    assert opened.rendered() == {"nodes": 6, "edges": 3}

    opened.page.fill("#date-to", "2024-01-01")  # only src-a (2023-11-11): Putin's claim goes
    opened.page.dispatch_event("#date-to", "change")
    assert opened.rendered() == {"nodes": 5, "edges": 2}
    assert opened.text("#status") == "Showing 5 of 6 actors, 2 edges (2 of 5 claims)"

    opened.page.click(".toggles[data-for='filter-sources'] button:text('none')")
    assert opened.rendered() == {"nodes": 1, "edges": 0}  # Medvedev, who is in no edge, stays
    assert opened.page.is_visible("#empty")
    assert opened.text("#empty").startswith("No claims match these filters.")

    opened.page.click("#empty-reset")
    assert opened.rendered() == before
    assert not opened.page.is_visible("#empty")
    assert opened.errors == []


def test_search_focuses_an_actors_neighbourhood(open_page, mini_html):
    opened = open_page(mini_html)
    opened.page.fill("#search", "moscow")  # an alias of Russia
    opened.page.press("#search", "Enter")
    assert opened.rendered() == {
        "nodes": 3,
        "edges": 2,
    }  # Russia, its ally Iran, Putin; Iran supports nothing of theirs
    assert opened.text("#panel h2") == "Russia"

    opened.page.fill("#search", "nobody")
    opened.page.press("#search", "Enter")
    assert opened.text("#search-message") == "No actor is called “nobody”."

    opened.page.click("#reset")
    assert opened.rendered() == {"nodes": 6, "edges": 4}
    assert not opened.page.is_visible("#panel")


# ---- evidence ------------------------------------------------------------------------------


def test_hovering_an_edge_shows_relation_certainty_quote_and_source(open_page, mini, mini_html):
    opened = open_page(mini_html)
    data = page_data(mini)
    text = hover(opened, point_on(opened, edge_id(data, "a-02")))
    assert text.splitlines() == [
        "Ukraine → Hamas",
        "supplies arms to · alleged · 1 claim",
        "“Medvedev even alleged that Ukraine had provided Western-supplied weapons to Hamas, though no evidence was provided”",
        "— Excerpt of source 002, 2023-11-11",
        "Click the edge for the full citation",
    ]


def test_clicking_an_edge_opens_every_citation_in_full(open_page, mini, mini_html):
    opened = open_page(mini_html)
    data = page_data(mini)
    point = point_on(opened, edge_id(data, "b-02"))
    opened.page.mouse.click(point["x"], point["y"])
    opened.page.wait_for_selector("#panel:not([hidden])")
    citation = opened.page.locator("#panel .citation")
    assert citation.count() == 1
    assert citation.locator("blockquote").inner_text() == "Putin first invited Hamas leaders to Moscow"
    assert "said by a source the article does not name" in citation.inner_text()
    assert citation.locator("cite").inner_text() == "Excerpt of source 004: <script>alert('title')</script> & more"
    assert "The Think Tank Journal, Saeed Minhas, 2024-07-15" in citation.inner_text()
    assert citation.locator("a").get_attribute("href") == "https://example.org/articles/russia-hamas"
    assert "claim b-02, line" in citation.inner_text()


def test_clicking_an_actor_lists_its_claims_and_statements(open_page, mini, mini_html):
    opened = open_page(mini_html)
    point = point_of_node(opened, "dmitry-medvedev")
    opened.page.mouse.click(point["x"], point["y"])
    opened.page.wait_for_selector("#panel:not([hidden])")
    assert opened.text("#panel h2") == "Dmitry Medvedev"
    headings = opened.page.locator("#panel h3").all_text_contents()
    assert headings == ["Claims (0)", "Statements it makes (1)"]
    assert opened.page.locator("#panel .citation").get_attribute("data-claim") == "a-02"
    assert opened.page.locator("#panel .citation a").count() == 0  # src-a has no URL


# ---- safety --------------------------------------------------------------------------------


def test_hostile_names_quotes_and_titles_are_shown_as_text_and_never_run(open_page):
    corpus = hostile_corpus()
    opened = open_page(generate_graph_html(corpus))
    data = page_data(corpus)
    text = hover(opened, point_on(opened, edge_id(data, "c1")))
    assert text.splitlines()[0] == f"Iran → {HOSTILE_LABEL}"
    assert text.splitlines()[1] == f"{HOSTILE_RELATION} · asserted · 1 claim"
    assert HOSTILE_TITLE in text

    point = point_on(opened, edge_id(data, "c1"))
    opened.page.mouse.click(point["x"], point["y"])
    opened.page.wait_for_selector("#panel:not([hidden])")
    assert opened.page.locator("#panel blockquote").inner_text() == HOSTILE_QUOTE
    assert opened.page.locator("#panel cite").inner_text() == HOSTILE_TITLE
    assert opened.page.locator("#panel .citation a").count() == 0  # a javascript: URL is never a link

    node = point_of_node(opened, "hamas")
    opened.page.mouse.click(node["x"], node["y"])
    opened.page.wait_for_selector("#panel .citation >> nth=1")
    assert opened.text("#panel h2") == HOSTILE_LABEL
    links = opened.page.locator("#panel .citation a")
    assert links.count() == 1 and links.get_attribute("href") == 'https://example.org/a?b="onmouseover=alert(1)'

    opened.page.fill("#search", "<svg")  # a hostile alias, typed by the user too
    opened.page.press("#search", "Enter")
    opened.page.fill("#search", "<img src=z onerror=window.__pwned='search'>")
    opened.page.press("#search", "Enter")
    assert opened.text("#search-message") == "No actor is called “<img src=z onerror=window.__pwned='search'>”."

    assert opened.evaluate("window.__pwned") is None
    assert opened.evaluate("document.title") == "ActorGraph — who stands with whom"
    assert opened.evaluate("document.querySelectorAll('script').length") == 3
    assert opened.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    handlers = "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
    assert opened.evaluate(handlers) == []
    assert opened.errors == []
    assert opened.requests == [opened.url]  # <img src=x> was never parsed, so "x" was never fetched


# ---- the README's screenshot ---------------------------------------------------------------


def test_screenshot_of_the_real_corpus(open_page, tmp_path):
    """Hover and click an edge of the real corpus and take the picture the README shows.

    ``UPDATE_GOLDEN=1`` also writes it to docs/screenshot.png.
    """
    corpus = check(PROJECT / "sources").corpus
    data = page_data(corpus)
    opened = open_page(generate_graph_html(corpus), viewport={"width": 1600, "height": 900})
    russia_hamas = next(
        edge
        for edge in data["edges"]
        if (edge["from"], edge["to"], edge["relation"]) == ("russia", "hamas", "supports")
    )
    point = point_on(opened, russia_hamas["id"])
    opened.page.mouse.click(point["x"], point["y"])
    opened.page.wait_for_selector("#panel:not([hidden])")
    point = point_on(opened, russia_hamas["id"])
    assert "Russia → Hamas" in hover(opened, point)
    picture = opened.page.screenshot(type="png")
    assert picture.startswith(b"\x89PNG") and len(picture) > 50_000
    (tmp_path / "screenshot.png").write_bytes(picture)
    if os.environ.get("UPDATE_GOLDEN"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(picture)
    assert opened.errors == []
