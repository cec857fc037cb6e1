"""`actorgraph analyse`, `explain` and `actor`: exact output on the test corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA

GOLDEN = DATA / "golden"


def _wrote(folder: Path, *names: str) -> list[str]:
    return [f"  wrote {folder.name}/{name} ({(folder / name).stat().st_size:,} bytes)" for name in names]


def test_analyse_writes_the_report_and_the_json_and_says_what_it_found(sources: Path, run):
    result = run("analyse")
    assert result.exit_code == 0, result.stderr
    exports = sources.parent / "exports"
    assert result.stdout.splitlines() == [
        "Checked sources/: 2 sources, 5 claims, 6 actors, 6 relations.",
        "Analysed 4 claims (1 denied left out) between 5 actors: 1 camp (exact), 0 ties against them, "
        "0 of 0 triangles unbalanced, 0 contested ties.",
        *_wrote(exports, "analysis.md", "analysis.json"),
    ]
    assert (exports / "analysis.md").read_bytes() == (GOLDEN / "analysis.md").read_bytes()
    assert (exports / "analysis.json").read_bytes() == (GOLDEN / "analysis.json").read_bytes()


def test_analyse_as_of_a_day_analyses_the_claims_dated_up_to_it(sources: Path, run, tmp_path: Path):
    result = run("analyse", "--sources", str(sources), "--exports", "out", "--as-of", "2023-12-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "Analysed 3 claims dated up to 2023-12-01 (0 denied left out) between 4 actors: 1 camp (exact), "
        "0 ties against them, 0 of 0 triangles unbalanced, 0 contested ties.",
        *_wrote(tmp_path / "out", "analysis-as-of-2023-12-01.md", "analysis-as-of-2023-12-01.json"),
    ]
    document = json.loads((tmp_path / "out" / "analysis-as-of-2023-12-01.json").read_text(encoding="utf-8"))
    assert document["as_of"] == "2023-12-01"
    assert document["summary"]["claims"] == 3


def test_analyse_as_of_a_day_before_every_source_says_which_day_to_pick(sources: Path, run):
    result = run("analyse", "--as-of", "2020-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no source is dated on or before 2020-01-01 — the earliest is 2023-11-11; pick a later day\n"
    )
    assert not (sources.parent / "exports").exists()


def test_explain_shows_each_hop_with_its_sign_sources_and_quote(sources: Path, run):
    result = run("explain", "ukraine", "RUSSIA")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Ukraine → Russia: 1 path of at most 3 hops, 0 directed; all, fewest hops first, directed first, "
        "best sourced first.\n"
        "\n"
        "1. Ukraine — Hamas — Iran — Russia: 3 hops, undirected\n"
        "   signs + + + ⇒ +, cooperative all the way\n"
        "   Ukraine — Hamas: cooperative, 0.5 sources (alleged only)\n"
        "     a-02 alleged by Dmitry Medvedev: Ukraine supplies arms to Hamas — “Medvedev even alleged that Ukraine "
        "had provided Western-supplied weapons to Hamas, though no evidence was provided” (src-a, 2023-11-11)\n"
        "   Hamas — Iran: cooperative, 1 source\n"
        "     a-01 asserted: Iran supports Hamas — “The attack by Hamas, known to be supported by Iran” "
        "(src-a, 2023-11-11)\n"
        "   Iran — Russia: cooperative, 1 source\n"
        "     a-03 asserted: Russia allied with Iran — “Russia’s military alliance with Iran” (src-a, 2023-11-11)\n"
    )


def test_explain_follows_directed_claims_and_passes_signs_through_neutral_links(sources: Path, run):
    result = run("explain", "Putin", "iran", "--max-hops", "2", "--limit", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Vladimir Putin → Iran: 1 path of at most 2 hops, 1 directed; all, fewest hops first, directed first, "
        "best sourced first.",
        "",
        "1. Vladimir Putin → Russia → Iran: 2 hops, directed",
        "   signs 0 + ⇒ +, cooperative",
        "   Vladimir Putin → Russia: neutral, 1 source",
        "     b-02 reported by an unnamed source: Vladimir Putin leads Russia — “Putin first invited Hamas leaders "
        "to Moscow” (src-b, 2024-07-15)",
        "   Russia → Iran: cooperative, 1 source",
        "     a-03 asserted: Russia allied with Iran — “Russia’s military alliance with Iran” (src-a, 2023-11-11)",
    ]


def test_explain_says_when_two_actors_are_not_connected(sources: Path, run):
    result = run("explain", "Medvedev", "Hamas")
    assert (result.exit_code, result.stdout) == (0, "Dmitry Medvedev and Hamas are not connected within 3 hops.\n")


def test_actor_lists_measures_then_claims_out_and_in_by_relation(sources: Path, run):
    result = run("actor", "Moscow")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Russia (state): 3 claims, 2 as subject and 1 as object; tied to 2 actors.",
        "camp 1 of 1 (with Hamas, Iran, Ukraine); PageRank 0.271 (#3 of 5); betweenness 0.500 (#3); community 2.",
        "",
        "Russia → … (2 claims)",
        "  allied with",
        "    Iran: a-03 asserted — “Russia’s military alliance with Iran” (src-a, 2023-11-11)",
        "  designates as terrorist",
        "    Hamas: b-01 denied — “Russia has never officially designated Hamas as a terrorist organization” "
        "(src-b, 2024-07-15)",
        "",
        "… → Russia (1 claim)",
        "  leads",
        "    Vladimir Putin: b-02 reported by an unnamed source — “Putin first invited Hamas leaders to Moscow” "
        "(src-b, 2024-07-15)",
    ]


def test_actor_shows_what_an_actor_said_even_with_no_claim_about_it(sources: Path, run):
    result = run("actor", "dmitry-medvedev")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Dmitry Medvedev (person, Former President of Russia): 0 claims, 0 as subject and 0 as object; "
        "tied to 0 actors.",
        "in no camp (no cooperative or hostile tie).",
        "",
        "Said by Dmitry Medvedev (1 claim)",
        "  a-02 alleged by Dmitry Medvedev: Ukraine supplies arms to Hamas — “Medvedev even alleged that Ukraine "
        "had provided Western-supplied weapons to Hamas, though no evidence was provided” (src-a, 2023-11-11)",
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("actor", "Rusia"), "Error: no actor named 'Rusia' — did you mean 'russia'?\n"),
        (("explain", "Ukrane", "hamas"), "Error: no actor named 'Ukrane' — did you mean 'ukraine'?\n"),
        (
            ("explain", "ukraine", "Atlantis"),
            "Error: no actor named 'Atlantis' — add the actor to sources/actors.yaml, or use an id listed there\n",
        ),
        (
            ("explain", "Russia", "moscow"),
            "Error: 'Russia' and 'moscow' both name Russia — name two different actors\n",
        ),
    ],
)
def test_an_unknown_or_repeated_actor_is_one_line_with_a_suggestion(sources: Path, run, args, error):
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", error)


def test_the_verbs_report_problems_in_the_sources_like_check(sources: Path, run):
    (sources / "src-b/claims.yaml").write_text("", encoding="utf-8")
    result = run("actor", "russia")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: 1 problem in sources/ — fix them and run 'actorgraph check' again."
