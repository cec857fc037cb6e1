"""The graph explorer: a corpus → the data of a vis-network page → one self-contained HTML file.

The vis-network nodes, edges and options are plain dicts, as pyvis would make them (pyvis
itself looks every new node and edge up in lists, which takes minutes for large graphs), and
the page around them is our own, because pyvis's template loads vis-network and Bootstrap
from CDNs and writes titles, headings and node ids into the HTML unescaped. Here the page is
built like this:

- ``page_data`` turns the corpus into plain data: one node per actor (laid out ahead of
  time with a seeded spring layout, so the page needs no physics), one edge per
  subject–relation–object–certainty with the claims behind it, and everything the legend,
  the filters and the evidence panel show. A corpus of more than 100,000 claims is drawn
  in part, its busiest actors and the claims between them (see graph/on_page.py).
- ``generate_html`` (and ``write_graph_html``, which writes the page as it is made) puts
  that data into the page as JSON inside ``<script type="application/json">`` (every ``<``
  escaped, so no quote can close the element), beside the vendored vis-network and
  ``static/explorer.js``, which builds every popup and panel with ``textContent``. A
  Content-Security-Policy allows only those two scripts, by hash, and no network access at all.

The same corpus gives byte-identical HTML.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import math
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .export import write_text
from .gcpause import collector_paused
from .layout import spring_layout
from .model import CERTAINTIES, Claim, Corpus
from .on_page import Whole, on_page

SEED = 1
"""Seed of the layout: the same corpus is always drawn the same way."""

TYPE_STYLES = {
    # actor type: (legend label, vis-network shape, colour)
    "state": ("state", "dot", "#4e79a7"),
    "bloc": ("bloc", "dot", "#2f4b7c"),
    "government-body": ("government body", "square", "#76b7b2"),
    "organisation": ("organisation", "square", "#9c755f"),
    "armed-group": ("armed group", "triangle", "#f28e2b"),
    "group-of-people": ("group of people", "triangleDown", "#bab0ac"),
    "media-outlet": ("media outlet", "hexagon", "#ff9da7"),
    "political-party": ("political party", "star", "#b07aa1"),
    "person": ("person", "diamond", "#edc948"),
}

CERTAINTY_STYLES = {
    # certainty: (what the legend says, vis-network dashes, shown when the page opens)
    "asserted": ("the source states it as fact", False, True),
    "reported": ("attributed to someone", [3, 4], True),
    "alleged": ("claimed without evidence", [10, 7], True),
    "denied": ("the source says it is not so", [12, 4, 2, 4], False),
}

SIGN_NAMES = {1: "cooperative", -1: "hostile", 0: "neutral"}
SIGN_PALETTES = {
    1: ("#1a9850", "#2171b5", "#66bd63", "#08519c", "#41ab5d", "#4292c6", "#006837", "#6baed6", "#238b45", "#084594"),
    -1: ("#d73027", "#e66101", "#b2182b", "#f46d43", "#c51b7d", "#a50026", "#8e0152", "#d6604d"),
    0: ("#6a51a3", "#737373", "#9e9ac8", "#525252"),
}
DENIED_COLOUR = "#9e9e9e"

LARGE_GRAPH = 2000
"""From this many edges, edges are hidden while the view is dragged or zoomed, to keep it fluid."""

OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "randomSeed": SEED},
    "interaction": {"hover": True, "tooltipDelay": 3600000, "multiselect": False, "navigationButtons": False},
    "nodes": {
        "borderWidth": 1.5,
        "font": {"size": 18, "face": "system-ui, sans-serif", "color": "#1f2328", "strokeWidth": 4},
    },
    "edges": {
        "arrows": {"to": {"scaleFactor": 0.6}},
        "color": {"inherit": False},
        "smooth": {"enabled": False},
        "font": {"size": 13, "face": "system-ui, sans-serif", "align": "top", "strokeWidth": 3},
        "hoverWidth": 1.5,
        "selectionWidth": 2,
    },
}


@dataclass(frozen=True)
class Edge:
    """The claims that link two actors by one relation with one certainty, drawn as one edge.

    A symmetric relation has its actors in id order and no arrow.
    """

    source: str
    target: str
    relation: str
    certainty: str
    directed: bool
    claims: tuple[str, ...]


def aggregate(corpus: Corpus) -> list[Edge]:
    """Group claims into edges: one per subject, relation, object and certainty.

    >>> from graph.model import Relation
    >>> corpus = Corpus(
    ...     relations=(Relation("supports", "supports", "", 1), Relation("allied-with", "allied with", "", 1, True)),
    ...     actors=(),
    ...     sources=(),
    ...     claims=(
    ...         Claim("c1", "iran", "supports", "hamas"),
    ...         Claim("c2", "iran", "supports", "hamas"),
    ...         Claim("c3", "iran", "supports", "hamas", certainty="alleged"),
    ...         Claim("c4", "russia", "allied-with", "iran"),
    ...     ),
    ... )
    >>> for edge in aggregate(corpus):
    ...     print(edge.source, edge.relation, edge.target, edge.certainty, edge.claims)
    iran supports hamas asserted ('c1', 'c2')
    iran supports hamas alleged ('c3',)
    iran allied-with russia asserted ('c4',)
    """
    relations = corpus.relations_by_id
    relation_order = {relation.id: i for i, relation in enumerate(corpus.relations)}
    certainty_order = {certainty: i for i, certainty in enumerate(CERTAINTIES)}
    groups: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for claim in corpus.claims:
        source, target = claim.subject, claim.object
        if relations[claim.relation].symmetric and target < source:
            source, target = target, source
        groups[source, target, claim.relation, claim.certainty].append(claim.id)

    def order(key: tuple[str, str, str, str]) -> tuple[str, str, int, int, str]:
        source, target, relation, certainty = key
        return min(source, target), max(source, target), relation_order[relation], certainty_order[certainty], source

    return [
        Edge(key[0], key[1], key[2], key[3], not relations[key[2]].symmetric, tuple(groups[key]))
        for key in sorted(groups, key=order)
    ]


def page_data(corpus: Corpus, *, seed: int = SEED) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data: vis-network nodes, edges and options, claims, legend (of the
    part of ``corpus`` on the page: see graph/on_page.py)."""
    shown, whole = on_page(corpus)
    data = _page_data(shown, _drawn(shown, seed), whole)
    return {**data, "claims": list(data["claims"])}


def network_json(corpus: Corpus, seed: int = SEED) -> dict[str, str]:
    """The page's vis-network nodes, edges and options, each as JSON safe in a ``<script>`` (see script_json).

    Made from the actors, relations and claims' ends, relations and certainties alone (the
    quotes and sources are in the page's other parts), so a rebuild after other edits can
    take it from the last build (see graph/memos.py).
    """
    return {name: script_json(value) for name, value in _drawn(on_page(corpus)[0], seed).items()}


def _drawn(corpus: Corpus, seed: int) -> dict[str, Any]:
    """The vis-network nodes, edges and options."""
    network = _network(corpus, aggregate(corpus), _relation_colours(corpus), seed)
    return {"nodes": network.nodes, "edges": network.edges, "options": network.options}


def _page_data(corpus: Corpus, drawn: dict[str, Any], whole: Whole | None) -> dict[str, Any]:
    """page_data of the ``corpus`` on the page, with the network ``drawn`` (as data, or as _Encoded JSON), the claims
    given one by one as they are written (see write_graph_html), and the ``whole`` corpus's size if it is larger."""
    source_index = {source.id: i for i, source in enumerate(corpus.sources)}
    dates = {source.id: source.date.isoformat() for source in corpus.sources}
    return {
        **drawn,
        "claims": (_claim(claim, source_index, dates) for claim in corpus.claims),
        **_legend(corpus, _relation_colours(corpus)),
        **({"whole": asdict(whole)} if whole else {}),
    }


class _Encoded(str):
    """JSON already safe in a ``<script>`` (see script_json): put into the page as it is."""


def _network(corpus: Corpus, edges: list[Edge], colours: dict[str, str], seed: int) -> Network:
    """The vis-network data: an actor's node, laid out; an edge per group of claims, styled."""
    involved = Counter(actor for claim in corpus.claims for actor in (claim.subject, claim.object))
    positions = spring_layout([actor.id for actor in corpus.actors], ((e.source, e.target) for e in edges), seed=seed)
    nodes: dict[str, dict[str, Any]] = {}
    for actor in corpus.actors:
        if actor.id in nodes:
            continue
        _label, shape, colour = TYPE_STYLES[actor.type]
        x, y = positions[actor.id]
        nodes[actor.id] = {
            "id": actor.id,
            "label": actor.label or actor.id,
            "shape": shape,
            "color": _node_colour(colour),
            "size": node_size(involved[actor.id]),
            "x": x,
            "y": y,
            "type": actor.type,
            "claims": involved[actor.id],
            "aliases": list(actor.aliases),
            "role": actor.role,
            "represents": actor.represents or "",
        }
    claim_index = {claim.id: i for i, claim in enumerate(corpus.claims)}
    widths = {size: edge_width(size) for size in {len(edge.claims) for edge in edges}}
    drawn = []
    for number, (edge, smooth) in enumerate(zip(edges, _spread(edges), strict=True)):
        for end in (edge.source, edge.target):
            if end not in nodes:
                raise ValueError(f"claim {edge.claims[0]} links {end!r}, which is not among the actors")
        _meaning, dashes, shown = CERTAINTY_STYLES[edge.certainty]
        drawn_edge = {
            "from": edge.source,
            "to": edge.target,
            "id": f"e{number}",
            "relation": edge.relation,
            "certainty": edge.certainty,
            "claims": list(map(claim_index.__getitem__, edge.claims)),
            "arrows": "to" if edge.directed else "",
            "color": DENIED_COLOUR if edge.certainty == "denied" else colours[edge.relation],
            "dashes": dashes,
            "width": widths[len(edge.claims)],
        }
        if smooth:
            drawn_edge["smooth"] = smooth
        if len(edge.claims) > 1:
            drawn_edge["label"] = edge_label(len(edge.claims))
        if not shown:
            drawn_edge["hidden"] = True
        drawn.append(drawn_edge)
    options = copy.deepcopy(OPTIONS)
    if len(edges) >= LARGE_GRAPH:
        # no hover effect: it redraws every edge each time the pointer crosses one
        options["interaction"].update(hover=False, hideEdgesOnDrag=True, hideEdgesOnZoom=True)
    return Network(list(nodes.values()), drawn, options)


@dataclass(frozen=True)
class Network:
    """What vis-network draws: nodes, edges and options, as pyvis's Network would hold them."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]


def _legend(corpus: Corpus, colours: dict[str, str]) -> dict[str, Any]:
    """Sources, relations, certainties and actor types, with their claim counts, for the legend and filters."""
    per_source = Counter(claim.source for claim in corpus.claims)
    per_relation = Counter(claim.relation for claim in corpus.claims)
    per_certainty = Counter(claim.certainty for claim in corpus.claims)
    per_type = Counter(actor.type for actor in corpus.actors)
    return {
        "sources": [
            {
                "id": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "author": source.author,
                "date": source.date.isoformat(),
                "url": source.url,
                "claims": per_source[source.id],
            }
            for source in corpus.sources
        ],
        "relations": [
            {
                "id": relation.id,
                "label": relation.label,
                "definition": relation.definition,
                "sign": SIGN_NAMES[relation.sign],
                "symmetric": relation.symmetric,
                "color": colours[relation.id],
                "claims": per_relation[relation.id],
            }
            for relation in corpus.relations
            if per_relation[relation.id]
        ],
        "certainties": [
            {"id": certainty, "meaning": meaning, "dashes": dashes, "shown": shown, "claims": per_certainty[certainty]}
            for certainty, (meaning, dashes, shown) in CERTAINTY_STYLES.items()
        ],
        "types": [
            {"id": kind, "label": label, "shape": shape, "color": colour, "actors": per_type[kind]}
            for kind, (label, shape, colour) in TYPE_STYLES.items()
            if per_type[kind]
        ],
        "denied": DENIED_COLOUR,
    }


def node_size(claims: int) -> float:
    """An actor's radius grows with the number of claims it is part of.

    >>> node_size(0), node_size(1), node_size(16)
    (8.0, 12.0, 24.0)
    """
    return round(min(8.0 + 4.0 * math.sqrt(claims), 48.0), 1)


def edge_width(claims: int) -> float:
    """An edge thickens with the claims behind it (explorer.js recomputes it when filters hide some).

    >>> edge_width(1), edge_width(2), edge_width(8)
    (1.5, 3.0, 6.0)
    """
    return round(1.5 + 1.5 * math.log2(max(claims, 1)), 2)


def edge_label(claims: int) -> str:
    """``×N`` on an edge that stands for several claims.

    >>> edge_label(1), edge_label(3)
    ('', '×3')
    """
    return f"×{claims}" if claims > 1 else ""


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: every ``<`` is escaped.

    >>> script_json({"quote": "</script><!-- x"})
    '{"quote":"\\\\u003c/script>\\\\u003c!-- x"}'
    >>> json.loads(script_json({"quote": "</script>"}))["quote"]
    '</script>'
    """
    return "".join(_script_json_parts(value))


def _script_json_parts(value: object) -> Iterator[str]:
    """script_json's text in parts: a dict's values one by one, a list's (or iterator's) items a slice at a time.

    >>> list(_script_json_parts({"b": iter([1, 2]), "a": "<"}))
    ['{', '"a":', '"\\\\u003c"', ',"b":', '[', '1,2', ']', '}']
    """
    if isinstance(value, _Encoded):
        yield value
    elif isinstance(value, dict):
        yield "{"
        for index, key in enumerate(sorted(value)):
            yield f"{',' if index else ''}{_json(key)}:"
            yield from _script_json_parts(value[key])
        yield "}"
    elif isinstance(value, list | Iterator):
        yield "["
        items = iter(value)
        for index, batch in enumerate(iter(lambda: list(itertools.islice(items, _JSON_BATCH)), [])):
            yield ("," if index else "") + _json(batch)[1:-1]
        yield "]"
    else:
        yield _json(value)


_JSON_BATCH = 10_000
"""List items turned into JSON at a time: few enough to hold, many enough to be fast."""


def _json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def generate_html(data: dict[str, Any]) -> str:
    """The page: the data as JSON, the vendored vis-network and the explorer, all inline."""
    return "".join(_html_parts(data))


def _html_parts(data: dict[str, Any]) -> Iterator[str]:
    """The page in parts: the text before the data, the data's JSON part by part, the text after it."""
    before, after = _page_around_data()
    yield before
    yield from _script_json_parts(data)
    yield after


@cache
def _page_around_data() -> tuple[str, str]:
    """The page's text before and after its data: the template with the styles and the scripts in place."""
    scripts = {
        "vis": _asset("vis-network/vis-network.min.js", strip_source_map=True),
        "explorer": _asset("explorer.js"),
    }
    for name, script in scripts.items():
        if "</script" in script.lower() or "<!--" in script:
            raise ValueError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    hashes = " ".join(f"'sha256-{_sha256(script)}'" for script in scripts.values())
    policy = f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:"
    marker = "\0data\0"  # in no asset: each is text
    page = string.Template(_asset("explorer.html")).substitute(
        csp=policy, css=_asset("explorer.css"), data=marker, **scripts
    )
    before, after = page.split(marker)
    return before, after


def generate_graph_html(corpus: Corpus) -> bytes:
    """``graph.html``: the explorer page for ``corpus``, as UTF-8 bytes."""
    with collector_paused():
        shown, whole = on_page(corpus)
        return generate_html(_page_data(shown, _drawn(shown, SEED), whole)).encode("utf-8")


def write_graph_html(corpus: Corpus, path: Path, network: Callable[[Corpus], dict[str, str]] | None = None) -> None:
    """Write ``graph.html`` for ``corpus`` into the file at ``path`` as it is made: a large corpus's page, its
    claims and their JSON are never all in memory at once. ``network(part)``, if given, makes or recalls the
    network_json of the part of the corpus on the page (see graph/on_page.py)."""
    with collector_paused():
        shown, whole = on_page(corpus)
        drawn = {name: _Encoded(text) for name, text in network(shown).items()} if network else _drawn(shown, SEED)
        write_text(path, _html_parts(_page_data(shown, drawn, whole)))


def _claim(claim: Claim, source_index: dict[str, int], dates: dict[str, str]) -> dict[str, Any]:
    return {
        "id": claim.id,
        "subject": claim.subject,
        "relation": claim.relation,
        "object": claim.object,
        "certainty": claim.certainty,
        "saidBy": claim.said_by or "",
        "quote": claim.quote,
        "line": claim.quote_line,
        "note": claim.note,
        "source": source_index[claim.source],
        "date": dates[claim.source],
    }


def _relation_colours(corpus: Corpus) -> dict[str, str]:
    """Each relation a colour from its sign's family: greens and blues cooperative, reds hostile, greys neutral."""
    seen: Counter[int] = Counter()
    colours = {}
    for relation in corpus.relations:
        palette = SIGN_PALETTES[relation.sign]
        colours[relation.id] = palette[seen[relation.sign] % len(palette)]
        seen[relation.sign] += 1
    return colours


def _spread(edges: Iterable[Edge]) -> list[dict[str, Any] | None]:
    """vis-network ``smooth`` settings that draw the edges between one pair of actors apart.

    A lone edge is straight (``None``: the default); several fan out as curves on both
    sides of the straight line, whichever way each points.

    >>> _spread([Edge("a", "b", "r", "asserted", True, ())])
    [None]
    >>> for smooth in _spread([Edge("a", "b", "r", c, True, ()) for c in ("asserted", "alleged")]
    ...                       + [Edge("b", "a", "r", "asserted", True, ())]):
    ...     print(smooth)
    {'enabled': True, 'type': 'curvedCCW', 'roundness': 0.3}
    None
    {'enabled': True, 'type': 'curvedCCW', 'roundness': 0.3}
    """
    edges = list(edges)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, edge in enumerate(edges):
        pairs[min(edge.source, edge.target), max(edge.source, edge.target)].append(i)
    smooth: list[dict[str, Any] | None] = [None] * len(edges)
    for (low, _high), members in pairs.items():
        if len(members) == 1:
            continue  # a lone edge is straight
        step = min(0.3, 1.6 / max(len(members) - 1, 1))
        for slot, i in enumerate(members):
            offset = round((slot - (len(members) - 1) / 2) * step, 3)
            if edges[i].source != low:
                offset = -offset
            if offset:
                smooth[i] = {
                    "enabled": True,
                    "type": "curvedCW" if offset > 0 else "curvedCCW",
                    "roundness": abs(offset),
                }
    return smooth


def _node_colour(colour: str) -> dict[str, Any]:
    border = _darker(colour)
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#1f2328"},
        "hover": {"background": colour, "border": "#1f2328"},
    }


def _darker(colour: str, factor: float = 0.7) -> str:
    """The colour, darker.

    >>> _darker("#ffffff")
    '#b2b2b2'
    """
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(channel * factor):02x}" for channel in (red, green, blue))


@cache
def _asset(name: str, *, strip_source_map: bool = False) -> str:
    text = (files("graph") / "static" / name).read_text(encoding="utf-8")
    if strip_source_map:
        body, _, last = text.rstrip("\n").rpartition("\n")
        if last.startswith("//# sourceMappingURL="):
            text = body + "\n"
    return text


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
