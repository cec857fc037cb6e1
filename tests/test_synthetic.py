"""The synthetic corpus: written in the curated format, it passes the whole check, quotes included."""

from __future__ import annotations

from pathlib import Path

from graph import check, load_corpus
from graph.synthetic import synthetic_corpus, write_sources
from tests.conftest import PROJECT


def test_a_written_synthetic_corpus_checks_clean_and_is_the_same_every_time(tmp_path: Path):
    relations = load_corpus(PROJECT / "sources").relations
    corpus = synthetic_corpus(relations, 300, seed=3)
    assert corpus == synthetic_corpus(relations, 300, seed=3)
    write_sources(corpus, tmp_path / "sources")
    built = check(tmp_path / "sources")
    assert len(built.corpus.claims) == 300
    assert {claim.certainty for claim in built.corpus.claims} == {"asserted", "reported", "alleged", "denied"}
    assert {claim.relation for claim in built.corpus.claims} == {relation.id for relation in relations}
