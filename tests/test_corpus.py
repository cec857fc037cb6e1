"""The curated corpus itself: all five articles, unchanged, with checked and honest claims."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph

from graph import ACTOR, REL, check
from graph.model import CERTAINTIES
from tests.conftest import PROJECT

SOURCES = PROJECT / "sources"
SHARED_ARTICLES = PROJECT.parent / "shared" / "articles"


@pytest.fixture(scope="module")
def built():
    return check(SOURCES)


def test_all_five_articles_are_sources_with_their_claims(built):
    assert len(built.corpus.sources) == 5
    per_source = Counter(claim.source for claim in built.corpus.claims)
    assert set(per_source) == {source.id for source in built.corpus.sources}
    assert len(built.corpus.claims) >= 80
    assert min(per_source.values()) >= 5


@pytest.mark.skipif(not SHARED_ARTICLES.is_dir(), reason="the shared articles are not beside this checkout")
def test_article_texts_are_the_shared_articles_byte_for_byte(built):
    for source in built.corpus.sources:
        original = SHARED_ARTICLES / source.original_file
        assert (SOURCES / source.id / "article.txt").read_bytes() == original.read_bytes(), source.id
    assert sorted(source.original_file for source in built.corpus.sources) == sorted(
        path.name for path in SHARED_ARTICLES.glob("*.txt")
    )


def test_metadata_takes_only_what_the_articles_show(built):
    by_file = {source.original_file[:3]: source for source in built.corpus.sources}
    assert all(source.url == "" for source in built.corpus.sources)  # no article gives one
    assert [key for key, source in sorted(by_file.items()) if not source.title_supplied] == ["004"]
    assert (by_file["000"].publisher, by_file["000"].author) == ("Suara.com", "Ayuni Sarah")
    assert (by_file["004"].publisher, by_file["004"].author) == ("The Think Tank Journal", "Saeed Minhas")
    assert all(by_file[key].publisher == by_file[key].author == "" for key in ("001", "002", "003"))
    assert by_file["004"].date.isoformat() == "2024-07-15"


def test_every_certainty_is_used_and_attributed_claims_name_their_speaker(built):
    assert {claim.certainty for claim in built.corpus.claims} == set(CERTAINTIES)
    for claim in built.corpus.claims:
        assert (claim.said_by is not None) == (
            claim.certainty in ("reported", "alleged")
        ) or claim.certainty == "denied"


def test_people_are_not_their_states(built):
    putin = built.corpus.actors_by_id["vladimir-putin"]
    assert (putin.type, putin.represents) == ("person", "russia")
    assert (ACTOR["vladimir-putin"], REL["leads"], ACTOR["russia"]) in built.graph


def test_medvedevs_allegation_is_not_a_fact(built):
    graph: Graph = built.graph
    arming = [
        c for c in built.corpus.claims if (c.subject, c.relation, c.object) == ("ukraine", "supplies-arms-to", "hamas")
    ]
    assert {claim.certainty for claim in arming} == {"alleged", "denied"}
    assert (ACTOR["ukraine"], REL["supplies-arms-to"], ACTOR["hamas"]) not in graph
    assert any(c.said_by == "dmitry-medvedev" for c in arming)


def test_denials_in_the_articles_are_curated_as_denied(built):
    denied = {(c.subject, c.relation, c.object) for c in built.corpus.claims if c.certainty == "denied"}
    assert ("north-korea", "recognises", "israel") in denied
    assert ("russia", "designates-as-terrorist", "hamas") in denied
    assert ("russia", "criticises", "hamas") in denied


def test_the_readme_query_gives_the_answer_the_readme_shows(built):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    query, after = re.search(r"```sparql\n(.*?)```(.*)", readme, re.S).groups()
    table = [line for line in after.strip().split("\n\n")[0].splitlines()[2:]]
    shown = [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in table]
    rows = [tuple(str(value) for value in row) for row in built.graph.query(query)]
    assert rows == shown
