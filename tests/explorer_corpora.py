"""Corpora built in code for the graph explorer's tests: a hostile one, and a large synthetic one."""

from __future__ import annotations

import datetime as dt
import random

from graph.model import ACTOR_TYPES, Actor, Claim, Corpus, Relation, Source

# Every payload, if it ever ran, would set window.__pwned (or change document.title) —
# and <img src=x> would also request a file called "x".
HOSTILE_LABEL = "<img src=x onerror=\"window.__pwned='label'\">Hamas & co"
HOSTILE_ALIAS = "<svg onload=\"window.__pwned='alias'\">"
HOSTILE_ROLE = "\"><script>window.__pwned='role'</script>"
HOSTILE_QUOTE = "</script><script>window.__pwned='quote'</script><!-- <b>bold</b> & <i>more</i>"
HOSTILE_NOTE = "</textarea><script>window.__pwned='note'</script>"
HOSTILE_TITLE = "<script>document.title='pwned'</script>Title & <em>more</em>"
HOSTILE_PUBLISHER = "<a href=\"javascript:window.__pwned='publisher'\">click</a>"
HOSTILE_RELATION = "<iframe src=\"javascript:window.__pwned='relation'\"></iframe>backs"
HOSTILE_URL = "javascript:window.__pwned='url'"
HOSTILE_ID = 'x"><img src=y onerror="window.__pwned=\'id\'">'


def hostile_corpus() -> Corpus:
    """Names, quotes, titles, notes and a URL that would run script if the page treated them as HTML."""
    relations = (
        Relation("supports", HOSTILE_RELATION, "<b>definition</b></script>", 1),
        Relation("criticises", "criticises", "Publicly disapproves of the object.", -1),
    )
    actors = (
        Actor("hamas", HOSTILE_LABEL, "armed-group", aliases=(HOSTILE_ALIAS,), role=HOSTILE_ROLE),
        Actor("iran", "Iran", "state"),
        Actor(HOSTILE_ID, "</script><script>window.__pwned='person'</script>", "person"),
    )
    sources = (
        Source("s1", HOSTILE_TITLE, dt.date(2024, 1, 2), publisher=HOSTILE_PUBLISHER, url=HOSTILE_URL),
        Source("s2", "Plain title", dt.date(2024, 2, 3), url='https://example.org/a?b="onmouseover=alert(1)'),
    )
    claims = (
        Claim("c1", "iran", "supports", "hamas", source="s1", quote=HOSTILE_QUOTE, note=HOSTILE_NOTE, quote_line=3),
        Claim("c2", HOSTILE_ID, "criticises", "iran", source="s2", certainty="reported", said_by="hamas", quote="<p>"),
    )
    return Corpus(relations, actors, sources, claims)


def synthetic_corpus(actors: int, claims: int, *, seed: int = 7) -> Corpus:
    """A seeded random corpus of the given size (benchmarks/bench_render.py has a fuller one)."""
    rng = random.Random(seed)
    relations = (
        Relation("supports", "supports", "Backs the object.", 1),
        Relation("criticises", "criticises", "Disapproves of the object.", -1),
        Relation("allied-with", "allied with", "Is allied with the object.", 1, True),
        Relation("leads", "leads", "Heads the object.", 0),
    )
    actor_list = tuple(Actor(f"a{i:04d}", f"Actor {i}", ACTOR_TYPES[i % len(ACTOR_TYPES)]) for i in range(actors))
    sources = tuple(Source(f"s{i:02d}", f"Article {i}", dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(20))
    claim_list = []
    for n in range(claims):
        subject, obj = rng.sample(actor_list, 2)
        certainty = rng.choice(("asserted", "asserted", "reported", "alleged", "denied"))
        claim_list.append(
            Claim(
                f"c{n:05d}",
                subject.id,
                rng.choice(relations).id,
                obj.id,
                source=rng.choice(sources).id,
                certainty=certainty,
                quote=f"Quote number {n}.",
                said_by="unnamed" if certainty in ("reported", "alleged") else None,
            )
        )
    return Corpus(relations, actor_list, sources, tuple(claim_list))
