"""Explain how two actors connect, and what is said of one actor, hop by hop with the claims' quotes."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .analysis import Analysis
from .errors import UnknownActor
from .model import UNNAMED_SPEAKER, Claim, Corpus
from .projection import Tie, firmest, tie_of
from .validate import ActorNames

MAX_HOPS = 3
LIMIT = 5
MAX_PATHS = 10_000
"""Paths examined at most; shorter paths are examined first, so the best are never missed."""

ALLIES_SHOWN = 6
"""An actor's profile names at most this many others of its camp."""

MINUS = "−"


def resolve(corpus: Corpus, name: str) -> str:
    """The id of the actor a name means: its id, label or an alias, in any case.

    >>> from graph.model import Actor
    >>> corpus = Corpus((), (Actor("north-korea", "North Korea", "state", ("DPRK",)),), (), ())
    >>> [resolve(corpus, name) for name in ("north-korea", "North korea", "dprk")]
    ['north-korea', 'north-korea', 'north-korea']
    >>> resolve(corpus, "North Koria")
    Traceback (most recent call last):
    graph.errors.UnknownActor: no actor named 'North Koria' — did you mean 'north-korea'?
    """
    names = ActorNames(corpus.actors)
    found = names.find(name)
    if found is None:
        raise UnknownActor(f"no actor named '{name}' — {names.suggest(name.strip())}")
    return found


@dataclass(frozen=True)
class Hop:
    """One step of a path, and the claims that make it."""

    start: str
    end: str
    tie: Tie


@dataclass(frozen=True)
class Path:
    """A simple path between two actors; directed when every hop has a claim running that way."""

    hops: tuple[Hop, ...]
    directed: bool

    @property
    def actors(self) -> tuple[str, ...]:
        return (self.hops[0].start, *(hop.end for hop in self.hops))

    @property
    def sign(self) -> int | None:
        """The product of the signs, neutral links passing the sign on; None when a hop is evenly contested."""
        product = 1
        for hop in self.hops:
            if hop.tie.sign:
                product *= hop.tie.sign
            elif hop.tie.contested:
                return None
        return product

    def rank(self) -> tuple[object, ...]:
        """Fewest hops, directed first, best-sourced weakest hop, fewest alleged-only hops, then by ids."""
        weakest = min(hop.tie.weight for hop in self.hops)
        alleged = sum(hop.tie.alleged_only for hop in self.hops)
        return (len(self.hops), not self.directed, -weakest, alleged, self.actors)


def paths(
    ties: nx.Graph, directed: nx.DiGraph, start: str, end: str, *, max_hops: int = MAX_HOPS
) -> tuple[list[Path], bool]:
    """Every simple path of at most ``max_hops`` ties from ``start`` to ``end``, best first; and whether capped.

    ``ties`` and ``directed`` are projection.signed_graph and projection.actor_digraph of the same claims.

    >>> from graph.model import Claim, Relation
    >>> from graph.projection import signed_graph, actor_digraph
    >>> corpus = Corpus((Relation("supports", "supports", "", 1), Relation("attacks", "attacks", "", -1)), (), (),
    ...                 (Claim("c1", "a", "supports", "b", source="s"), Claim("c2", "b", "attacks", "c", source="s")))
    >>> found, _ = paths(signed_graph(corpus), actor_digraph(corpus), "a", "c")
    >>> [(p.actors, p.directed, p.sign) for p in found]
    [(('a', 'b', 'c'), True, -1)]
    """
    if start not in ties or end not in ties or start == end:
        return [], False
    found: list[Path] = []
    capped = False
    for length in range(1, max_hops + 1):
        for route in nx.all_simple_paths(ties, start, end, cutoff=length):
            if len(route) != length + 1:
                continue
            if len(found) >= MAX_PATHS:
                capped = True
                break
            is_directed = all(directed.has_edge(u, v) for u, v in zip(route, route[1:], strict=False))
            graph = directed if is_directed else ties
            hops = tuple(Hop(u, v, tie_of(graph, u, v)) for u, v in zip(route, route[1:], strict=False))
            found.append(Path(hops, is_directed))
        if capped:
            break
    return sorted(found, key=Path.rank), capped


def format_paths(
    corpus: Corpus, start: str, end: str, found: list[Path], *, max_hops: int, limit: int, capped: bool
) -> list[str]:
    """The paths as text: each hop with its sign, sources and firmest claim (quote, source, date)."""
    label = _labeller(corpus)
    if not found:
        return [f"{label(start)} and {label(end)} are not connected within {_count(max_hops, 'hop')}."]
    directed = sum(path.directed for path in found)
    shown = found[:limit]
    more = f"the {len(shown)} best" if len(shown) < len(found) else "all"
    head = (
        f"{label(start)} → {label(end)}: {_count(len(found), 'path')} of at most {_count(max_hops, 'hop')}"
        f"{' (the first ' + format(len(found), ',') + ' examined)' if capped else ''}, {directed} directed; "
        f"{more}, fewest hops first, directed first, best sourced first."
    )
    lines = [head]
    for number, path in enumerate(shown, 1):
        arrow = " → " if path.directed else " — "
        kind = "directed" if path.directed else "undirected"
        lines += ["", f"{number}. {arrow.join(label(a) for a in path.actors)}: {_count(len(path.hops), 'hop')}, {kind}"]
        lines.append(f"   signs {' '.join(_sign(hop.tie) for hop in path.hops)} ⇒ {reading(path)}")
        for hop in path.hops:
            tie = hop.tie
            lines.append(f"   {label(hop.start)}{arrow}{label(hop.end)}: {_kind(tie)}, {_sources(tie)}")
            best = _firmest(corpus, tie.claims, tie.sign)
            lines.append(f"     {citation(corpus, best)}")
            rest = [claim for claim in tie.claims if claim != best.id]
            if rest:
                lines.append(f"     and {len(rest)} more: {', '.join(rest)}")
    return lines


def reading(path: Path) -> str:
    """What the signs along a path add up to: "−, an enemy of a friend"."""
    signs = [hop.tie.sign for hop in path.hops if hop.tie.sign]
    sign = path.sign
    if sign is None:
        return "?, a contested link"
    if not signs:
        return "0, neutral links only"
    symbol = "+" if sign > 0 else MINUS
    if len(signs) == 1:
        return f"{symbol}, {'cooperative' if sign > 0 else 'hostile'}"
    if len(signs) == 2:
        names = {
            (1, 1): "a friend of a friend",
            (1, -1): "an enemy of a friend",
            (-1, 1): "a friend of an enemy",
            (-1, -1): "the enemy of an enemy",
        }
        return f"{symbol}, {names[signs[0], signs[1]]}"
    hostile = signs.count(-1)
    if not hostile:
        return "+, cooperative all the way"
    return f"{symbol}, {'aligned' if sign > 0 else 'opposed'} through {_count(hostile, 'hostile link')}"


@dataclass(frozen=True)
class Profile:
    """An actor's claims, as subject and as object, grouped by relation in vocabulary order."""

    actor: str
    out: tuple[tuple[str, tuple[Claim, ...]], ...]
    into: tuple[tuple[str, tuple[Claim, ...]], ...]
    said: tuple[Claim, ...] = ()
    """Claims the actor is reported to have made (``said_by``)."""


def profile(corpus: Corpus, actor: str) -> Profile:
    """Everything claimed of an actor, denied claims included (they are marked when shown).

    >>> from graph.model import Claim, Relation
    >>> corpus = Corpus((Relation("supports", "supports", "", 1),), (), (),
    ...                 (Claim("c1", "iran", "supports", "hamas"), Claim("c2", "russia", "supports", "iran")))
    >>> p = profile(corpus, "iran")
    >>> [(relation, [c.id for c in claims]) for relation, claims in p.out], [r for r, _ in p.into]
    ([('supports', ['c1'])], ['supports'])
    """
    order = {relation.id: index for index, relation in enumerate(corpus.relations)}

    def grouped(claims: list[Claim]) -> tuple[tuple[str, tuple[Claim, ...]], ...]:
        groups: dict[str, list[Claim]] = {}
        for claim in claims:
            groups.setdefault(claim.relation, []).append(claim)
        return tuple(
            (relation, tuple(sorted(items, key=lambda c: (c.object if c.subject == actor else c.subject, c.id))))
            for relation, items in sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        )

    return Profile(
        actor,
        grouped([claim for claim in corpus.claims if claim.subject == actor]),
        grouped([claim for claim in corpus.claims if claim.object == actor]),
        tuple(sorted((claim for claim in corpus.claims if claim.said_by == actor), key=lambda claim: claim.id)),
    )


def format_profile(analysis: Analysis, actor: str) -> list[str]:
    """An actor's measures, then its claims out and in, grouped by relation, each with its citation."""
    corpus = analysis.corpus
    label = _labeller(corpus)
    known = corpus.actors_by_id[actor]
    found = profile(corpus, actor)
    out = sum(len(claims) for _, claims in found.out)
    into = sum(len(claims) for _, claims in found.into)
    degree = analysis.degrees.get(actor)
    partners = degree.partners if degree else 0
    described = known.type.replace("-", " ") + (f", {known.role}" if known.role else "")
    lines = [
        f"{known.label} ({described}): {_count(out + into, 'claim')}, {out} as subject and {into} as object; "
        f"tied to {_count(partners, 'actor')}."
    ]
    facts = []
    camp = analysis.camp_of.get(actor)
    if camp is not None:
        allies = [label(a) for a in analysis.camps.camps[camp - 1] if a != actor]
        listed = ", ".join(allies[:ALLIES_SHOWN])
        if len(allies) > ALLIES_SHOWN:
            listed += f" and {len(allies) - ALLIES_SHOWN} more"
        facts.append(f"camp {camp} of {len(analysis.camps.camps)}" + (f" (with {listed})" if allies else ""))
    else:
        facts.append("in no camp (no cooperative or hostile tie)")
    if actor in analysis.pagerank:
        order = sorted(analysis.pagerank, key=lambda a: (-analysis.pagerank[a], a))
        facts.append(f"PageRank {analysis.pagerank[actor]:.3f} (#{order.index(actor) + 1} of {len(order)})")
        order = sorted(analysis.betweenness, key=lambda a: (-analysis.betweenness[a], a))
        facts.append(f"betweenness {analysis.betweenness[actor]:.3f} (#{order.index(actor) + 1})")
    if actor in analysis.community_of:
        facts.append(f"community {analysis.community_of[actor]}")
    lines.append("; ".join(facts) + ".")
    for title, groups, other in (
        (f"{known.label} → …", found.out, "object"),
        (f"… → {known.label}", found.into, "subject"),
    ):
        if not groups:
            continue
        lines += ["", f"{title} ({_count(sum(len(c) for _, c in groups), 'claim')})"]
        for relation, claims in groups:
            lines.append(f"  {corpus.relations_by_id[relation].label}")
            for claim in claims:
                lines.append(f"    {label(getattr(claim, other))}: {citation(corpus, claim, statement=False)}")
    if found.said:
        lines += ["", f"Said by {known.label} ({_count(len(found.said), 'claim')})"]
        lines += [f"  {citation(corpus, claim)}" for claim in found.said]
    return lines


def citation(corpus: Corpus, claim: Claim, *, statement: bool = True) -> str:
    """A claim as one line: id, certainty and speaker, the statement, the quote, the source and its date."""
    label = _labeller(corpus)
    source = corpus.sources_by_id.get(claim.source)
    how = claim.certainty
    if claim.said_by:
        how += " by an unnamed source" if claim.said_by == UNNAMED_SPEAKER else f" by {label(claim.said_by)}"
    relation = corpus.relations_by_id[claim.relation].label
    said = f": {label(claim.subject)} {relation} {label(claim.object)}" if statement else ""
    where = f"{claim.source}, {source.date.isoformat()}" if source else claim.source
    return f"{claim.id} {how}{said} — “{claim.quote}” ({where})"


def _firmest(corpus: Corpus, ids: tuple[str, ...], sign: int) -> Claim:
    wanted = set(ids)
    return firmest((claim for claim in corpus.claims if claim.id in wanted), corpus.relations_by_id, sign or None)


def _labeller(corpus: Corpus):
    actors = corpus.actors_by_id

    def label(actor: str) -> str:
        return actors[actor].label if actor in actors else actor

    return label


def _sign(tie: Tie) -> str:
    return {1: "+", -1: MINUS, 0: "?" if tie.contested else "0"}[tie.sign]


def _kind(tie: Tie) -> str:
    kind = {1: "cooperative", -1: "hostile", 0: "evenly contested" if tie.contested else "neutral"}[tie.sign]
    if tie.contested and tie.sign:
        kind += " (contested)"
    return kind


def _sources(tie: Tie) -> str:
    text = f"{number(tie.weight)} source{'' if tie.weight == 1 else 's'}"
    return text + (" (alleged only)" if tie.alleged_only else "")


def number(value: float) -> str:
    """A count of sources: whole when it is whole.

    >>> number(2.0), number(1.5)
    ('2', '1.5')
    """
    return str(int(value)) if value == int(value) else f"{value:g}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
