"""What the explorer page shows of a corpus: all of it, or for a very large one its busiest actors and the claims
between them.

A browser draws the page of 100,000 claims (about 10,000 actors, 52 MB) in ~5 s here; the page
of a million claims (100,000 actors, 505 MB) took headless Chromium 60 s and 4.9 GB, and the
build 85 CPU-seconds to make. So a corpus of more than PAGE_CLAIMS claims is drawn in part:
the actors in most claims, as many as keep the claims between them within PAGE_CLAIMS, with
every claim between them. The page says so (see Whole); every claim stays in the other exports.
In a heavy-tailed corpus that can be few actors: of a synthetic million claims, the 8 busiest
of 100,000 actors share 95,405.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Corpus

PAGE_CLAIMS = 100_000
"""The most claims the page shows."""


@dataclass(frozen=True)
class Whole:
    """How large the whole corpus is, when the page shows only part of it."""

    actors: int
    claims: int
    sources: int


def on_page(corpus: Corpus, limit: int | None = None) -> tuple[Corpus, Whole | None]:
    """The part of ``corpus`` the page shows (at most ``limit`` claims; by default PAGE_CLAIMS), and the whole's size
    if that is not all of it.

    Actors are taken in order of how many claims they are in (most first, then by id), each
    with its claims with those taken before, while the claims stay within ``limit``. Actors,
    sources and claims keep their order; only the sources of the claims shown are kept.

    >>> from graph.model import Actor, Claim
    >>> actors = tuple(Actor(name, name, "state") for name in ("a", "b", "c", "d"))
    >>> claims = tuple(Claim(f"c{i}", s, "supports", o) for i, (s, o) in enumerate(["ab", "ab", "ca", "cb", "da"]))
    >>> shown, whole = on_page(Corpus((), actors, (), claims), limit=4)
    >>> [actor.id for actor in shown.actors], [claim.id for claim in shown.claims], whole
    (['a', 'b', 'c'], ['c0', 'c1', 'c2', 'c3'], Whole(actors=4, claims=5, sources=0))
    """
    limit = PAGE_CLAIMS if limit is None else limit
    if len(corpus.claims) <= limit:
        return corpus, None
    ranked = busiest_first(corpus)
    rank = {actor: place for place, actor in enumerate(ranked)}
    joins = [max(rank[claim.subject], rank[claim.object]) for claim in corpus.claims]  # with the later of its actors
    joining = Counter(joins)
    taken = shown = 0
    while taken < len(ranked) and shown + joining[taken] <= limit:
        shown += joining[taken]
        taken += 1
    claims = tuple(claim for claim, joined in zip(corpus.claims, joins, strict=True) if joined < taken)
    cited = {claim.source for claim in claims}
    part = Corpus(
        corpus.relations,
        tuple(actor for actor in corpus.actors if rank[actor.id] < taken),
        tuple(source for source in corpus.sources if source.id in cited),
        claims,
    )
    return part, Whole(len(corpus.actors), len(corpus.claims), len(corpus.sources))


def busiest_first(corpus: Corpus) -> list[str]:
    """The ids of the corpus's actors in order of how many claims they are in (as subject or object), most first,
    then by id.

    >>> from graph.model import Actor, Claim
    >>> actors = tuple(Actor(name, name, "state") for name in ("a", "b", "c"))
    >>> busiest_first(Corpus((), actors, (), (Claim("c1", "c", "supports", "b"), Claim("c2", "b", "supports", "a"))))
    ['b', 'a', 'c']
    """
    involved = Counter(actor for claim in corpus.claims for actor in (claim.subject, claim.object))
    return sorted((actor.id for actor in corpus.actors), key=lambda actor: (-involved[actor], actor))
