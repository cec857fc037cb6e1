"""What the analysis finds in the five curated articles, and how its measures reach the RDF graph."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex

import pytest
from rdflib import RDF, Literal

from graph import ACTOR, AG, CLAIM, check
from graph.analysis import analyse
from graph.explain import paths
from graph.report import generate_json, generate_markdown
from graph.vocab import ANALYSIS_GRAPH, REL
from tests.conftest import PROJECT

AXIS = (
    "dmitry-medvedev",
    "gaza-militant-groups",
    "hamas",
    "international-community",
    "iran",
    "kim-jong-un",
    "north-korea",
    "north-korean-state-media",
    "palestine",
    "palestinian-authorities",
    "palestinian-protesters",
    "russia",
    "russian-un-ambassador",
    "vladimir-putin",
    "wagner",
)


@pytest.fixture(scope="module")
def built():
    return check(PROJECT / "sources")


@pytest.fixture(scope="module")
def analysis(built):
    return built.analysis


def test_the_claims_split_into_two_camps_exactly_and_the_split_is_the_only_best_one(analysis):
    assert analysis.camps.camps == (AXIS, ("israel", "the-west", "ukraine", "united-states"))
    assert (analysis.camps.method, analysis.camps.optimal, analysis.camps.frustration) == ("exact", 1, 2.5)


def test_russias_ties_with_israel_go_against_the_camps_because_of_hamas_palestine_and_the_us(analysis):
    [arming, russia_israel] = analysis.frustrated
    assert russia_israel.actors == ("israel", "russia")
    assert russia_israel.tie.claims == ("002-05", "004-21", "004-23")
    assert (russia_israel.tie.sign, russia_israel.tie.margin) == (1, 2.0)
    assert russia_israel.via == ("hamas", "palestine", "united-states")
    assert analysis.statement(analysis.strongest(russia_israel.tie.claims, 1)) == "Russia cooperates with Israel"


def test_the_only_other_tie_against_the_camps_is_medvedevs_allegation_that_ukraine_arms_hamas(analysis):
    arming = analysis.frustrated[0]
    assert arming.actors == ("hamas", "ukraine")
    assert (arming.tie.claims, arming.tie.alleged, arming.tie.margin) == (("002-14",), ("002-14",), 0.5)
    assert arming.via == ("russia",)  # Russia backs Hamas and fights Ukraine


def test_without_the_alleged_claims_the_camps_hold_and_only_russia_israel_is_frustrated(analysis):
    assert analysis.established.frustrated == (("israel", "russia"),)
    assert analysis.established.camps[0] == tuple(a for a in AXIS if a != "wagner")  # Wagner's only tie is alleged


def test_four_of_seventeen_triangles_are_unbalanced_all_through_a_frustrated_tie(analysis):
    unbalanced = [t.actors for t in analysis.triangles if not t.balanced]
    assert len(analysis.triangles) == 17
    assert unbalanced == [
        ("hamas", "israel", "russia"),
        ("hamas", "russia", "ukraine"),
        ("israel", "palestine", "russia"),
        ("israel", "russia", "united-states"),
    ]


def test_russia_holds_the_network_together_and_is_the_most_pointed_at(analysis):
    by_betweenness = sorted(analysis.betweenness, key=lambda a: -analysis.betweenness[a])
    by_pagerank = sorted(analysis.pagerank, key=lambda a: -analysis.pagerank[a])
    assert by_betweenness[:3] == ["russia", "north-korea", "israel"]
    assert by_pagerank[:3] == ["russia", "israel", "hamas"]
    assert analysis.degrees["russia"].out[0] == ("supports", 8)


def test_plain_communities_put_enemies_together_where_the_camps_separate_them(analysis):
    community = analysis.community_of
    assert community["hamas"] == community["israel"]
    assert community["russia"] == community["ukraine"]
    assert analysis.camp_of["hamas"] != analysis.camp_of["israel"]


def test_contested_ties_ukraine_arming_hamas_and_putin_against_russias_ties_with_israel(analysis):
    assert [(c.kind, c.actors, c.affirming, c.opposing, c.relation) for c in analysis.contested] == [
        ("affirmed and denied", ("ukraine", "hamas"), ("002-14",), ("004-15",), "supplies-arms-to"),
        ("representative", ("russia", "israel"), ("002-05", "004-21", "004-23"), ("004-29",), "russian-un-ambassador"),
        (
            "representative",
            ("russia", "israel"),
            ("002-05", "004-21", "004-23"),
            ("000-15", "000-17"),
            "vladimir-putin",
        ),
    ]


def test_the_frustration_appears_with_the_article_of_2023_11_11(analysis):
    assert [(m.date.isoformat(), m.frustrated) for m in analysis.timeline] == [
        ("2023-10-10", ()),
        ("2023-10-21", ()),
        ("2023-11-10", ()),
        ("2023-11-11", (("hamas", "ukraine"), ("israel", "russia"))),
        ("2024-07-15", (("hamas", "ukraine"), ("israel", "russia"))),
    ]
    before = analyse(analysis.corpus, as_of=dt.date(2023, 11, 10))
    assert before.camps.frustrated == () and len(before.corpus.claims) == 43


def test_north_korea_reaches_ukraine_through_its_ally_russia(analysis):
    found, _ = paths(analysis.ties, analysis.directed, "north-korea", "ukraine")
    best = found[0]
    assert (best.actors, best.directed, best.sign) == (("north-korea", "russia", "ukraine"), True, -1)
    assert [hop.tie.claims for hop in best.hops] == [
        ("002-23",),
        ("002-01", "002-08", "002-11", "004-03", "004-04"),
    ]


def test_every_finding_cites_claims_that_exist(analysis):
    markdown = generate_markdown(analysis).decode("utf-8")
    document = json.loads(generate_json(analysis))
    assert "**Against the camps:** Russia cooperates with Israel (`002-05`, `004-21`, `004-23`; 2 sources)" in markdown
    assert set(document["claims"]) >= {"002-05", "002-14", "004-15", "004-29"}
    assert all(claim_id in analysis.claims_by_id for claim_id in document["claims"])
    assert document["camps"]["camps"][1] == ["israel", "the-west", "ukraine", "united-states"]


def test_the_measures_are_in_their_own_named_graph(built):
    analysis_graph = built.dataset.graph(ANALYSIS_GRAPH)
    assert analysis_graph.value(ACTOR["russia"], AG.camp).toPython() == 1
    assert analysis_graph.value(ACTOR["israel"], AG.camp).toPython() == 2
    assert str(analysis_graph.value(ACTOR["russia"], AG.pageRank)) == f"{built.analysis.pagerank['russia']:.6f}"
    assert sorted(str(c)[len(str(CLAIM)) :] for c in analysis_graph.subjects(AG.frustrated, Literal(True))) == [
        "002-05",
        "002-14",
        "004-21",
        "004-23",
    ]
    corroborated = {str(c)[len(str(CLAIM)) :] for c in analysis_graph.subjects(AG.corroborated, Literal(True))}
    assert {"002-05", "004-21", "004-23"} <= corroborated  # Russia and Israel cooperate, either way round
    assert "004-29" not in corroborated  # the Russian U.N. ambassador criticises Israel in one source only
    contests = sorted(analysis_graph.subjects(RDF.type, AG.Contest))
    assert len(contests) == len(built.analysis.contested) == 3
    arms = next(c for c in contests if analysis_graph.value(c, AG.contestKind) == Literal("affirmed and denied"))
    assert (analysis_graph.value(arms, AG.firstActor), analysis_graph.value(arms, AG.secondActor)) == (
        ACTOR["ukraine"],
        ACTOR["hamas"],
    )
    assert analysis_graph.value(arms, AG.contestedRelation) == REL["supplies-arms-to"]
    assert [analysis_graph.value(arms, p).toPython() for p in (AG.affirmingClaims, AG.opposingClaims)] == [1, 1]


def test_sparql_can_ask_who_shares_russias_camp(built):
    rows = built.graph.query(
        "SELECT ?label WHERE { actor:russia ag:camp ?camp . ?other ag:camp ?camp ; rdfs:label ?label . "
        "FILTER (?other != actor:russia) } ORDER BY ?label"
    )
    assert "Hamas" in [str(row.label) for row in rows]
    assert "Israel" not in [str(row.label) for row in rows]


README = (PROJECT / "README.md").read_text(encoding="utf-8")
ANALYSIS_SECTION = README.split("\n## Analysis\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_query_on_the_measures_gives_the_answer_it_shows(built):
    query, after = re.search(r"```sparql\n(.*?)```(.*)", ANALYSIS_SECTION, re.S).groups()
    table = after.strip().split("\n\n")[0].splitlines()[2:]
    shown = [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in table]
    assert [tuple(str(value) for value in row) for row in built.graph.query(query)] == shown


def test_the_readme_shows_what_explain_really_prints(run):
    command, shown = re.search(r"```\n\$ (actorgraph explain .*?)\n(.*?)```", ANALYSIS_SECTION, re.S).groups()
    args = shlex.split(command)[1:]
    result = run(*args, "--sources", str(PROJECT / "sources"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == shown
