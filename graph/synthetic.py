"""A seeded synthetic corpus in the curated format, for benchmarks at any size.

Actors follow a heavy-tailed (Zipf-like) degree distribution; every relation and every
certainty occurs; dates spread over several years; and every quote is a sentence of its
article's text, so the whole pipeline, quote verification included, runs on it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from pathlib import Path

import yaml

from .model import ACTOR_TYPES, Actor, Claim, Corpus, Relation, Source

CLAIMS_PER_ARTICLE = 20
ACTORS_PER_CLAIM = 0.1
FIRST_DAY, DAYS = dt.date(2019, 1, 1), 6 * 365
_SYLLABLES = ("ka", "lo", "mir", "tan", "vel", "dra", "son", "nia", "bar", "eth", "qui", "rom", "sul", "zen", "ost")
_KINDS = {
    "state": "Republic of {}",
    "armed-group": "{} Front",
    "political-party": "{} Party",
    "person": "{} {}",
    "government-body": "{} Ministry",
    "media-outlet": "{} Daily",
    "organisation": "{} Council",
    "group-of-people": "{} protesters",
    "bloc": "{} bloc",
}
_FILLER = (
    "The situation on the ground remained tense throughout the week.",
    "Analysts said the coming months would test these positions.",
    "Officials declined to comment on the details.",
    "The talks are expected to continue next month.",
)


def synthetic_corpus(relations: tuple[Relation, ...], claims: int, seed: int = 1) -> Corpus:
    """A corpus of ``claims`` claims over ``relations``, the same for the same arguments."""
    rng = random.Random(seed)
    actors = _actors(max(20, int(claims * ACTORS_PER_CLAIM)), rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(actors))))
    sources, claim_list = [], []
    for article in range((claims + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE):
        count = min(CLAIMS_PER_ARTICLE, claims - article * CLAIMS_PER_ARTICLE)
        source_id = f"s{article:07d}"
        sentences, made = [], []
        for index in range(count):
            subject, obj = _pair(actors, cumulative, rng)
            relation = relations[(article * CLAIMS_PER_ARTICLE + index) % len(relations)]
            certainty = rng.choices(("asserted", "reported", "alleged", "denied"), (6, 2, 1, 1))[0]
            said_by, who = None, None
            if certainty in ("reported", "alleged"):
                speaker = rng.choice(actors) if rng.random() < 0.8 else None
                said_by, who = (speaker.id, speaker.label) if speaker else ("unnamed", "unnamed officials")
            sentence = _sentence(subject, relation, obj, certainty, who, rng)
            sentences.append(sentence)
            if rng.random() < 0.3:
                sentences.append(rng.choice(_FILLER))
            claim_id = f"{source_id}-{index + 1:02d}"
            made.append(Claim(claim_id, subject.id, relation.id, obj.id, source_id, certainty, sentence, said_by))
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        paragraphs = (" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
        text = f" date {date.isoformat()} " + "\n\n".join(paragraphs) + "\n"
        title = f"Synthetic report {article + 1}"
        sources.append(Source(source_id, title, date, publisher="Synthetic Wire", text=text))
        claim_list += made
    return Corpus(tuple(relations), tuple(actors), tuple(sources), tuple(claim_list))


def write_sources(corpus: Corpus, folder: Path | str) -> None:
    """Write the corpus as curated files (relations.yaml, actors.yaml, one folder per source)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder / "relations.yaml", [_relation(relation) for relation in corpus.relations])
    _dump(folder / "actors.yaml", [_actor(actor) for actor in corpus.actors])
    claims_by_source: dict[str, list[Claim]] = {source.id: [] for source in corpus.sources}
    for claim in corpus.claims:
        claims_by_source[claim.source].append(claim)
    for source in corpus.sources:
        place = folder / source.id
        place.mkdir(exist_ok=True)
        (place / "article.txt").write_text(source.text, encoding="utf-8")
        _dump(place / "source.yaml", _source(source))
        _dump(place / "claims.yaml", [_claim(claim) for claim in claims_by_source[source.id]])


def _actors(count: int, rng: random.Random) -> list[Actor]:
    actors, seen = [], set()
    while len(actors) < count:
        kind = ACTOR_TYPES[len(actors) % len(ACTOR_TYPES)]
        words = [_name(rng) for _ in range(2)]
        label, ident = _named(kind, words)
        if ident in seen and kind != "person":  # one-word names run out at a few thousand per kind
            words = [words[0] + words[1].lower(), words[1]]
            label, ident = _named(kind, words)
        alias = words[0] if kind != "person" and words[0].lower() not in seen else None
        if ident in seen:
            continue
        seen.update({ident, label.lower()} | ({alias.lower()} if alias else set()))
        actors.append(Actor(ident, label, kind, aliases=(alias,) if alias else ()))
    return actors


def _named(kind: str, words: list[str]) -> tuple[str, str]:
    """An actor's label of ``kind`` made of ``words``, and its id."""
    label = _KINDS[kind].format(*words)
    return label, "-".join(label.lower().split())


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _pair(actors: list[Actor], cumulative: list[float], rng: random.Random) -> tuple[Actor, Actor]:
    total = cumulative[-1]
    subject = actors[bisect.bisect_left(cumulative, rng.random() * total)]
    while True:
        obj = actors[bisect.bisect_left(cumulative, rng.random() * total)]
        if obj is not subject:
            return subject, obj


def _sentence(subject, relation, obj, certainty, who, rng) -> str:
    fact = f"{subject.label} {relation.label} {obj.label}"
    if certainty == "asserted":
        return f"{fact}, according to the record of {rng.randint(2, 28)} March."
    if certainty == "denied":
        return f"It is not true that {fact}, the report found."
    verb = "said" if certainty == "reported" else "alleged without evidence"
    return f"{who} {verb} that {fact}."


def _relation(relation: Relation) -> dict:
    return {
        "id": relation.id,
        "label": relation.label,
        "definition": relation.definition,
        "sign": relation.sign,
        "symmetric": relation.symmetric,
    }


def _actor(actor: Actor) -> dict:
    return {"id": actor.id, "label": actor.label, "type": actor.type, "aliases": list(actor.aliases)}


def _source(source: Source) -> dict:
    return {
        "title": source.title,
        "title_supplied": True,
        "publisher": source.publisher,
        "author": "",
        "date": source.date.isoformat(),
        "url": "",
        "language": "en",
    }


def _claim(claim: Claim) -> dict:
    fields = {"id": claim.id, "subject": claim.subject, "relation": claim.relation, "object": claim.object}
    fields["certainty"] = claim.certainty
    if claim.said_by:
        fields["said_by"] = claim.said_by
    fields["quote"] = claim.quote
    return fields


def _dump(path: Path, data: object) -> None:
    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text, encoding="utf-8")


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when PyYAML has it
