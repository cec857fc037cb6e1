"""The graph explorer's page, without a browser: its data, its aggregation, its escaping, its assets."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph import check, on_page, render
from graph.model import Actor, Claim, Corpus, Relation, Source
from graph.render import (
    CERTAINTY_STYLES,
    LARGE_GRAPH,
    TYPE_STYLES,
    aggregate,
    generate_graph_html,
    generate_html,
    page_data,
    write_graph_html,
)
from tests.conftest import MINI, PROJECT
from tests.explorer_corpora import HOSTILE_QUOTE, hostile_corpus, synthetic_corpus

STATIC = PROJECT / "graph" / "static"


@pytest.fixture(scope="module")
def mini() -> Corpus:
    return check(MINI).corpus


@pytest.fixture(scope="module")
def mini_data(mini: Corpus) -> dict:
    return page_data(mini)


def corpus_of(*claims: Claim) -> Corpus:
    """A corpus around ``claims``: their actors (states), two relations, one source."""
    relations = (
        Relation("supports", "supports", "Backs.", 1),
        Relation("allied-with", "allied with", "Allied.", 1, True),
    )
    names = sorted({actor for claim in claims for actor in (claim.subject, claim.object)})
    actors = tuple(Actor(name, name.title(), "state") for name in names)
    source = Source("s", "Title", dt.date(2024, 1, 1))
    return Corpus(relations, actors, (source,), tuple(claim for claim in claims))


def supports(claim_id: str, subject: str, obj: str, certainty: str = "asserted", relation: str = "supports") -> Claim:
    return Claim(claim_id, subject, relation, obj, source="s", certainty=certainty, quote=f"quote {claim_id}")


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of each <script>."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


# ---- the data: nodes, edges, aggregation ---------------------------------------------------


def test_one_node_per_actor_shaped_coloured_and_placed(mini: Corpus, mini_data: dict):
    nodes = {node["id"]: node for node in mini_data["nodes"]}
    assert list(nodes) == [actor.id for actor in mini.actors]
    for actor in mini.actors:
        _label, shape, colour = TYPE_STYLES[actor.type]
        node = nodes[actor.id]
        assert (node["label"], node["shape"], node["color"]["background"]) == (actor.label, shape, colour)
        assert isinstance(node["x"], float) and isinstance(node["y"], float)
    assert len({(node["x"], node["y"]) for node in nodes.values()}) == len(nodes)


def test_actors_in_more_claims_are_drawn_larger(mini_data: dict):
    nodes = {node["id"]: node for node in mini_data["nodes"]}
    assert nodes["hamas"]["claims"] == 3 and nodes["ukraine"]["claims"] == 1
    assert nodes["hamas"]["size"] > nodes["ukraine"]["size"]


def test_every_claim_is_on_exactly_one_edge(mini: Corpus, mini_data: dict):
    on_edges = sorted(i for edge in mini_data["edges"] for i in edge["claims"])
    assert on_edges == list(range(len(mini.claims)))
    assert [claim["id"] for claim in mini_data["claims"]] == [claim.id for claim in mini.claims]


def test_claims_of_one_relation_and_certainty_share_an_edge_with_a_count():
    corpus = corpus_of(
        supports("c1", "iran", "hamas"), supports("c2", "iran", "hamas"), supports("c3", "iran", "hamas")
    )
    [edge] = page_data(corpus)["edges"]
    assert (edge["from"], edge["to"], edge["claims"], edge["label"]) == ("iran", "hamas", [0, 1, 2], "×3")
    single = page_data(corpus_of(supports("c1", "iran", "hamas")))["edges"][0]
    assert "label" not in single
    assert edge["width"] > single["width"]


def test_different_certainties_and_directions_are_distinct_edges_drawn_apart():
    corpus = corpus_of(
        supports("c1", "iran", "hamas"),
        supports("c2", "iran", "hamas", certainty="alleged"),
        supports("c3", "hamas", "iran"),
    )
    edges = page_data(corpus)["edges"]
    assert [(edge["from"], edge["certainty"]) for edge in edges] == [
        ("hamas", "asserted"),
        ("iran", "asserted"),
        ("iran", "alleged"),
    ]
    # one straight, two curved: same curve type in opposite directions bends to opposite sides
    assert "smooth" not in edges[1]
    assert edges[0]["smooth"] == edges[2]["smooth"] and edges[0]["smooth"]["roundness"] > 0


def test_a_symmetric_relation_is_one_undirected_edge_whichever_way_it_was_stated():
    corpus = corpus_of(
        supports("c1", "russia", "iran", relation="allied-with"),
        supports("c2", "iran", "russia", relation="allied-with"),
    )
    [edge] = page_data(corpus)["edges"]
    assert (edge["from"], edge["to"], edge["arrows"], edge["claims"]) == ("iran", "russia", "", [0, 1])
    assert [e.directed for e in aggregate(corpus)] == [False]


def test_directed_relations_have_arrows(mini_data: dict):
    arrows = {edge["relation"]: edge["arrows"] for edge in mini_data["edges"]}
    assert arrows["supports"] == "to" and arrows["allied-with"] == ""


@pytest.mark.parametrize(
    ("certainty", "dashes", "hidden"),
    [
        ("asserted", False, False),
        ("reported", [3, 4], False),
        ("alleged", [10, 7], False),
        ("denied", [12, 4, 2, 4], True),
    ],
)
def test_certainty_sets_the_dashes_and_denied_claims_start_hidden(mini_data: dict, certainty, dashes, hidden):
    edges = [edge for edge in mini_data["edges"] if edge["certainty"] == certainty]
    assert edges
    for edge in edges:
        assert edge["dashes"] == dashes == CERTAINTY_STYLES[certainty][1]
        assert edge.get("hidden", False) is hidden
    [entry] = [entry for entry in mini_data["certainties"] if entry["id"] == certainty]
    assert entry["shown"] is not hidden


def test_relations_are_coloured_by_sign_and_the_legend_lists_only_what_is_used(mini_data: dict):
    relations = {relation["id"]: relation for relation in mini_data["relations"]}
    assert set(relations) == {"supports", "allied-with", "supplies-arms-to", "designates-as-terrorist", "leads"}
    assert relations["supports"]["sign"] == "cooperative" and relations["designates-as-terrorist"]["sign"] == "hostile"
    assert relations["supports"]["color"] != relations["allied-with"]["color"]
    assert [kind["id"] for kind in mini_data["types"]] == ["state", "armed-group", "person"]


def test_citations_carry_quote_source_and_speaker(mini_data: dict):
    claim = next(claim for claim in mini_data["claims"] if claim["id"] == "a-02")
    assert (claim["certainty"], claim["saidBy"], claim["date"]) == ("alleged", "dmitry-medvedev", "2023-11-11")
    assert claim["quote"].startswith("Medvedev even alleged")
    source = mini_data["sources"][claim["source"]]
    assert source["id"] == "src-a" and source["url"] == ""
    assert mini_data["sources"][1]["url"] == "https://example.org/articles/russia-hamas"


def test_large_graphs_find_hovered_items_without_redrawing():
    small = page_data(synthetic_corpus(30, 60))["options"]["interaction"]
    large = page_data(synthetic_corpus(300, LARGE_GRAPH + 500))
    assert len(large["edges"]) >= LARGE_GRAPH
    assert small["hover"] is True and "hideEdgesOnDrag" not in small
    assert large["options"]["interaction"]["hover"] is False
    assert large["options"]["interaction"]["hideEdgesOnDrag"] is True


def test_a_corpus_within_the_limit_is_drawn_whole(mini: Corpus, mini_data: dict):
    assert "whole" not in mini_data
    assert {node["id"] for node in mini_data["nodes"]} == {actor.id for actor in mini.actors}
    assert len(mini_data["claims"]) == len(mini.claims)


def test_a_larger_corpus_is_drawn_as_its_busiest_actors_and_every_claim_between_them(monkeypatch):
    corpus = synthetic_corpus(60, 400)
    monkeypatch.setattr(on_page, "PAGE_CLAIMS", 150)
    data = page_data(corpus)
    shown = {node["id"] for node in data["nodes"]}
    between = [claim.id for claim in corpus.claims if claim.subject in shown and claim.object in shown]
    assert [claim["id"] for claim in data["claims"]] == between and len(between) <= 150
    involved = Counter(actor for claim in corpus.claims for actor in (claim.subject, claim.object))
    ranked = sorted(involved, key=lambda actor: (-involved[actor], actor))
    assert ranked[: len(shown)] == sorted(shown, key=lambda actor: (-involved[actor], actor))
    following = ranked[len(shown)]  # its claims with those shown would take the page beyond the limit
    assert (
        len(between)
        + sum(
            1
            for c in corpus.claims
            if following in (c.subject, c.object) and {c.subject, c.object} <= shown | {following}
        )
        > 150
    )
    assert data["whole"] == {"actors": 60, "claims": 400, "sources": 20}
    cited = {claim.source for claim in corpus.claims if claim.id in set(between)}
    assert {source["id"] for source in data["sources"]} == cited
    assert sum(source["claims"] for source in data["sources"]) == len(between)


def test_an_empty_corpus_still_makes_a_page():
    html = generate_html(page_data(Corpus((), (), (), ())))
    assert '"nodes":[]' in html


# ---- the HTML: self-contained, escaped, reproducible ---------------------------------------


def test_the_same_corpus_gives_the_same_bytes(mini: Corpus):
    assert generate_graph_html(mini) == generate_graph_html(check(MINI).corpus)


def test_the_page_written_as_it_is_made_is_the_page_made_whole(mini: Corpus, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(render, "_JSON_BATCH", 2)  # the claims, sources and edges in several slices each
    write_graph_html(mini, tmp_path / "graph.html")
    written = (tmp_path / "graph.html").read_bytes()
    assert written == generate_graph_html(mini)
    data = Elements(written.decode("utf-8")).scripts[0]
    whole = json.dumps(page_data(mini), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert data == whole.replace("<", "\\u003c")


def test_the_layout_is_seeded(mini: Corpus):
    positions = [[(node["x"], node["y"]) for node in page_data(mini, seed=seed)["nodes"]] for seed in (1, 1, 2)]
    assert positions[0] == positions[1] != positions[2]


def test_the_page_loads_nothing_from_elsewhere(mini: Corpus):
    html = generate_graph_html(mini).decode("utf-8")
    elements = Elements(html)
    tags = [tag for tag, _ in elements.tags]
    assert "link" not in tags and "iframe" not in tags and "img" not in tags
    for tag, attrs in elements.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not re.search(r"@import|url\((?!\"?data:)", html)
    assert [attrs.get("type") for tag, attrs in elements.tags if tag == "script"] == ["application/json", None, None]


def test_the_content_security_policy_allows_only_the_pages_own_scripts(mini: Corpus):
    html = generate_graph_html(mini).decode("utf-8")
    elements = Elements(html)
    [policy] = [
        attrs["content"] for tag, attrs in elements.tags if attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    hashes = re.findall(r"'sha256-([^']+)'", policy)
    code = elements.scripts[1:]
    assert hashes == [base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() for script in code]
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in policy.split(";")[1]


def test_hostile_strings_stay_inside_the_json_and_come_back_intact():
    corpus = hostile_corpus()
    html = generate_graph_html(corpus).decode("utf-8")
    elements = Elements(html)
    assert [tag for tag, _ in elements.tags if tag in ("script", "img", "svg", "iframe", "a")] == ["script"] * 3
    data_text = elements.scripts[0]
    assert "</" not in data_text and "<!--" not in data_text and "<" not in data_text
    data = json.loads(data_text)
    assert data == json.loads(json.dumps(page_data(corpus)))
    assert data["claims"][0]["quote"] == HOSTILE_QUOTE


def test_the_vendored_vis_network_is_the_published_file():
    notes = (STATIC / "vis-network" / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((STATIC / "vis-network" / "vis-network.min.js").read_bytes()).hexdigest()
    assert f"`{digest}`" in notes
    for licence in ("LICENSE-MIT", "LICENSE-APACHE-2.0"):
        assert (STATIC / "vis-network" / licence).is_file()


def test_the_explorer_builds_the_page_from_text_never_markup():
    script = (STATIC / "explorer.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


# ---- the command ---------------------------------------------------------------------------


def test_render_writes_the_page_and_nothing_else(sources: Path, run):
    result = run("render")
    assert result.exit_code == 0, result.stderr
    page = sources.parent / "exports" / "graph.html"
    assert result.stdout.splitlines() == [
        "Checked sources/: 2 sources, 5 claims, 6 actors, 6 relations.",
        f"  wrote exports/graph.html ({page.stat().st_size:,} bytes)",
        "Open exports/graph.html in a browser.",
    ]
    assert [path.name for path in page.parent.iterdir()] == ["graph.html"]
    assert page.read_bytes() == (PROJECT / "tests/data/golden/graph.html").read_bytes()


def test_render_refuses_sources_with_problems(sources: Path, run):
    (sources / "src-b/claims.yaml").write_text("", encoding="utf-8")
    result = run("render", "--exports", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: 1 problem in sources/ — fix them and run 'actorgraph check' again."
    assert not (sources.parent / "out").exists()


def test_render_says_when_it_cannot_write(sources: Path, run):
    (sources.parent / "exports" / "graph.html").mkdir(parents=True)
    result = run("render")
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot write exports/graph.html: Is a directory\n"
