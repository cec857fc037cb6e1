"""`actorgraph check` names the file, line and claim of every mistake, and how to fix it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import edit

FIX_YAML = "check indentation, and quote text containing ': ', '#' or starting with a quote mark"

# (file under sources/, text to replace, replacement, the exact line check prints)
MISTAKES = [
    pytest.param(
        "src-a/claims.yaml",
        "relation: supports",
        "relation: suports",
        "sources/src-a/claims.yaml:3: claim a-01: unknown relation 'suports' — did you mean 'supports'?",
        id="unknown-relation",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "subject: iran",
        "subject: Moscow",
        "sources/src-a/claims.yaml:2: claim a-01: unknown actor 'Moscow' as subject — did you mean 'russia'? ('Moscow' names it)",
        id="actor-alias-instead-of-id",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "object: hamas",
        "object: hamass",
        "sources/src-a/claims.yaml:4: claim a-01: unknown actor 'hamass' as object — did you mean 'hamas'?",
        id="unknown-actor",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "object: hamas",
        "object: hezbollah",
        "sources/src-a/claims.yaml:4: claim a-01: unknown actor 'hezbollah' as object — add the actor to sources/actors.yaml, or use an id listed there",
        id="unknown-actor-no-suggestion",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "known to be supported by Iran",
        "known to be funded by Iran",
        'sources/src-a/claims.yaml:6: claim a-01: quote not found in article.txt — copy the words exactly; closest passage at line 1: "The attack by Hamas, known to be supported by I…"',
        id="quote-not-in-article",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "quote: Russia’s military",
        "quote: Russia's military",
        "sources/src-a/claims.yaml:20: claim a-03: quote differs from article.txt line 5 in its quotation marks, apostrophes or dashes — copy them exactly as the article has them (e.g. ’ “ ”)",
        id="quote-with-straight-apostrophe",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "id: a-03",
        "id: a-01",
        "sources/src-a/claims.yaml:15: claim a-01: duplicate id, first used at sources/src-a/claims.yaml:1 — give this one a new id",
        id="duplicate-id",
    ),
    pytest.param(
        "src-b/claims.yaml",
        "id: b-01",
        "id: a-02",
        "sources/src-b/claims.yaml:1: claim a-02: duplicate id, first used at sources/src-a/claims.yaml:7 — give this one a new id",
        id="duplicate-id-across-sources",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  certainty: asserted\n",
        "",
        "sources/src-a/claims.yaml:1: claim a-01: missing field 'certainty' — add 'certainty: …' (asserted, reported, alleged or denied)",
        id="missing-field",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  quote: The attack by Hamas, known to be supported by Iran",
        '  quote: ""',
        "sources/src-a/claims.yaml:6: claim a-01: field 'quote' is empty — give it a value (the exact words from article.txt)",
        id="empty-quote",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  note:",
        "  notes:",
        "sources/src-a/claims.yaml:14: claim a-02: unknown field 'notes' — did you mean 'note'?",
        id="unknown-field",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "object: hamas",
        "object: iran",
        "sources/src-a/claims.yaml:4: claim a-01: subject and object are the same actor 'iran' — a claim links two different actors",
        id="claim-from-actor-to-itself",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "certainty: alleged",
        "certainty: aleged",
        "sources/src-a/claims.yaml:11: claim a-02: unknown certainty 'aleged' — did you mean 'alleged'?",
        id="unknown-certainty",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  said_by: dmitry-medvedev\n",
        "",
        "sources/src-a/claims.yaml:11: claim a-02: a alleged claim needs 'said_by' — add 'said_by: <actor id>', or 'said_by: unnamed' if the article names no one",
        id="alleged-without-speaker",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  certainty: asserted\n  quote: The attack",
        "  certainty: asserted\n  said_by: iran\n  quote: The attack",
        "sources/src-a/claims.yaml:6: claim a-01: an asserted claim is the article's own statement and has no 'said_by' — remove 'said_by', or make the certainty 'reported' or 'alleged'",
        id="asserted-with-speaker",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "said_by: dmitry-medvedev",
        "said_by: medvedev",
        "sources/src-a/claims.yaml:12: claim a-02: unknown actor 'medvedev' in 'said_by' — did you mean 'dmitry-medvedev'? ('medvedev' names it)",
        id="unknown-speaker",
    ),
    pytest.param(
        "src-a/source.yaml",
        "date: 2023-11-11",
        "date: 2023-02-30",
        "sources/src-a/source.yaml:5: date '2023-02-30' is not a valid date — write it as YYYY-MM-DD, e.g. 2023-10-21",
        id="impossible-date",
    ),
    pytest.param(
        "src-a/source.yaml",
        "date: 2023-11-11",
        "date: 11/11/2023",
        "sources/src-a/source.yaml:5: date '11/11/2023' is not a valid date — write it as YYYY-MM-DD, e.g. 2023-10-21",
        id="date-in-wrong-format",
    ),
    pytest.param(
        "src-a/source.yaml",
        "date: 2023-11-11",
        "date: 2203-11-11",
        "sources/src-a/source.yaml:5: date '2203-11-11' is in the future — check the year, month and day against the article",
        id="date-in-future",
    ),
    pytest.param(
        "src-a/source.yaml",
        "title_supplied: true",
        "title_supplied: yes",
        "sources/src-a/source.yaml:2: field 'title_supplied' is 'yes', not true or false — write 'title_supplied: true' or 'title_supplied: false'",
        id="not-a-boolean",
    ),
    pytest.param(
        "src-b/source.yaml",
        "url: https://example.org/articles/russia-hamas",
        "url: example.org/articles",
        "sources/src-b/source.yaml:7: url 'example.org/articles' is not an http(s) address — give the full address, or \"\" if unknown",
        id="url-without-scheme",
    ),
    pytest.param(
        "src-a/source.yaml",
        "title: Excerpt of source 002\n",
        "",
        "sources/src-a/source.yaml:1: missing field 'title' — add 'title: …' (its value)",
        id="source-without-title",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "  certainty: asserted\n  quote: Russia",
        "  certainty: [asserted\n  quote: Russia",
        f"sources/src-a/claims.yaml:20: malformed YAML: did not find expected ',' or ']' — {FIX_YAML}",
        id="malformed-yaml",
    ),
    pytest.param(
        "src-a/claims.yaml",
        "- id: a-01\n",
        "id: a-01\n",
        f"sources/src-a/claims.yaml:2: malformed YAML: mapping values are not allowed in this context — {FIX_YAML}",
        id="list-item-without-dash",
    ),
    pytest.param(
        "actors.yaml",
        "type: armed-group",
        "type: militia",
        "sources/actors.yaml:10: actor hamas: unknown type 'militia' — use one of: state, armed-group, political-party, person, government-body, media-outlet, organisation, group-of-people, bloc",
        id="unknown-actor-type",
    ),
    pytest.param(
        "actors.yaml",
        "represents: russia",
        "represents: rusia",
        "sources/actors.yaml:23: actor vladimir-putin: unknown actor 'rusia' in 'represents' — did you mean 'russia'?",
        id="unknown-represented-actor",
    ),
    pytest.param(
        "actors.yaml",
        "  aliases: [Medvedev]",
        "  aliases: [Medvedev, Moscow]",
        "sources/actors.yaml:17: actor dmitry-medvedev: alias 'Moscow' also names actor 'russia' — keep the alias on one actor only",
        id="alias-of-two-actors",
    ),
    pytest.param(
        "relations.yaml",
        "  sign: -1",
        "  sign: minus",
        "sources/relations.yaml:19: relation criticises: sign 'minus' is not 1, 0 or -1 — use 1 (cooperative), -1 (hostile) or 0 (neutral)",
        id="bad-sign",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISTAKES)
def test_check_reports_each_mistake_in_one_line(sources: Path, run, file, old, new, expected):
    edit(sources / file, old, new)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected
    assert result.stdout == ""


def test_check_lists_every_problem_then_one_summary(sources: Path, run):
    edit(sources / "src-a/claims.yaml", "relation: supports", "relation: suports")
    edit(sources / "src-b/claims.yaml", "certainty: denied", "certainty: denid")
    edit(sources / "src-a/source.yaml", "date: 2023-11-11", "date: 2023-13-01")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sources/src-a/claims.yaml:3: claim a-01: unknown relation 'suports' — did you mean 'supports'?",
        "sources/src-a/source.yaml:5: date '2023-13-01' is not a valid date — write it as YYYY-MM-DD, e.g. 2023-10-21",
        "sources/src-b/claims.yaml:5: claim b-01: unknown certainty 'denid' — did you mean 'denied'?",
        "Error: 3 problems in sources/ — fix them and run 'actorgraph check' again.",
    ]


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("src-b/claims.yaml", "sources/src-b/claims.yaml: file is empty — add its content (see sources/README.md)"),
        ("src-b/source.yaml", "sources/src-b/source.yaml: file is empty — add its content (see sources/README.md)"),
        ("actors.yaml", "sources/actors.yaml: file is empty — add its content (see sources/README.md)"),
        ("src-b/article.txt", "sources/src-b/article.txt: file is empty — paste the article's text, unchanged"),
    ],
)
def test_check_reports_empty_files(sources: Path, run, file, expected):
    (sources / file).write_text("# nothing curated yet\n" if file.endswith(".yaml") else "\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert expected in result.stderr.splitlines()


def test_check_reports_missing_files(sources: Path, run):
    (sources / "src-b/source.yaml").unlink()
    (sources / "relations.yaml").unlink()
    result = run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "sources/relations.yaml: file is missing — create it; see sources/README.md for its format" in lines
    assert "sources/src-b/source.yaml: file is missing — create it; see sources/README.md for its format" in lines


def test_check_reports_text_that_is_not_utf8(sources: Path, run):
    (sources / "src-b/article.txt").write_bytes(b"line one\nPutin \xe9t\xe9\n")
    result = run("check")
    assert result.exit_code == 1
    assert "sources/src-b/article.txt:2: not valid UTF-8 text — save the file as UTF-8" in result.stderr.splitlines()


def test_check_without_a_sources_folder_cannot_run(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr == "Error: no sources folder at sources — run from the project root or pass --sources DIR\n"


def test_check_of_a_clean_corpus_says_what_it_checked(sources: Path, run):
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Checked sources/: 2 sources, 5 claims, 6 actors, 6 relations.\n"
        "Every quote was found in its article, and the graph conforms to the SHACL shapes.\n"
    )
    assert result.stderr == ""


def test_quotes_may_differ_from_the_article_in_whitespace_only(sources: Path, run):
    edit(sources / "src-a/claims.yaml", "known to be supported by Iran", "known   to be\n    supported by Iran")
    assert run("check").exit_code == 0


def test_today_is_not_in_the_future(sources: Path, run):
    edit(sources / "src-a/source.yaml", "date: 2023-11-11", f"date: {dt.date.today().isoformat()}")
    assert run("check").exit_code == 0
