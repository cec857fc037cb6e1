"""The findings of an analysis as short sentences, each citing the claims behind it (Markdown)."""

from __future__ import annotations

from collections.abc import Iterable

from .analysis import Analysis, Frustration
from .balance import Camps
from .explain import number
from .measures import Contest, ranked
from .model import UNNAMED_SPEAKER, Claim

TOP = 20
"""At most this many findings of one kind, and rows of one table."""

CITED_IN_SENTENCE = 3
"""A finding cites at most this many claims per tie."""

NAMED_IN_SENTENCE = 10
"""A finding names at most this many actors or ties of one kind, then says how many more."""

CITED_IN_TABLE = 10
"""A table cell or a contested tie cites at most this many claims (the JSON cites all)."""


def findings(analysis: Analysis) -> list[str]:
    """The few things an analyst should know first, as sentences citing claim ids (Markdown)."""
    label, found = analysis.label, []
    camps = analysis.camps
    if camps.camps:
        how = {
            "exact": "the only best split" if camps.optimal == 1 else f"one of {camps.optimal} equally good splits",
            "heuristic": "found by a heuristic",
        }[camps.method]
        described = "; ".join(
            f"camp {n}: {names(analysis, _by_rank(analysis, members), 6)}" for n, members in enumerate(camps.camps, 1)
        )
        against = (
            f"{count(len(camps.frustrated), 'tie')} of {count(signed_ties(analysis), 'cooperative or hostile tie')} "
            f"{'goes' if len(camps.frustrated) == 1 else 'go'} against them."
            if camps.frustrated
            else f"None of the {count(signed_ties(analysis), 'cooperative or hostile tie')} goes against them."
        )
        found.append(f"**{count(len(camps.camps), 'camp')}** ({how}) — {described}. {against}")
    if analysis.betweenness:
        brokers = [a for a in ranked(analysis.betweenness) if analysis.betweenness[a] > 0][:3]
        pointed = ranked(analysis.pagerank)[:3]
        if brokers:
            found.append(
                "**Who holds the network together:** "
                + ", ".join(f"{label(a)} (betweenness {analysis.betweenness[a]:.3f})" for a in brokers)
                + " lie on the most shortest paths between other actors; the most pointed at (PageRank) are "
                + ", ".join(label(a) for a in pointed)
                + "."
            )
    for frustration in most_evident(analysis.frustrated, TOP):
        found.append(frustration_sentence(analysis, frustration))
    hostile_inside = hostile_within_communities(analysis)
    if hostile_inside:
        pairs = ", ".join(f"{label(u)}–{label(v)}" for u, v in hostile_inside[:3])
        found.append(
            f"**Communities are not camps:** plain community detection ({analysis.communities_method}) ignores "
            f"signs and keeps {count(len(hostile_inside), 'hostile tie')} inside its communities, such as {pairs}."
        )
    for contest in analysis.contested[:TOP]:
        found.append(contest_sentence(analysis, contest))
    found.append(established_sentence(analysis))
    for moment, new in _new_frustrations(analysis):
        found.append(
            f"**Since {moment.date.isoformat()}** ({', '.join(moment.sources)}): "
            + _some([f"{label(u)}–{label(v)}" for u, v in new])
            + f" {'goes' if len(new) == 1 else 'go'} against the camps."
        )
    return found


def most_evident(frustrated: list[Frustration], most: int) -> list[Frustration]:
    """At most ``most`` of the frustrated ties, in their order: those with the most sources against the camps."""
    if len(frustrated) <= most:
        return list(frustrated)
    ranked = sorted(range(len(frustrated)), key=lambda i: (-frustrated[i].tie.margin, frustrated[i].actors))
    kept = set(ranked[:most])
    return [frustration for i, frustration in enumerate(frustrated) if i in kept]


def frustration_sentence(analysis: Analysis, frustration: Frustration) -> str:
    """A tie against the camps, its claims, and the unbalanced triangle that explains it."""
    label = analysis.label
    u, v = frustration.actors
    tie = frustration.tie
    shown = analysis.strongest(tie.claims, tie.sign)
    where = (
        f"although {label(u)} is in camp {analysis.camp_of[u]} and {label(v)} in camp {analysis.camp_of[v]}"
        if tie.sign > 0
        else f"although both are in camp {analysis.camp_of[u]}"
    )
    sentence = (
        f"**Against the camps:** {analysis.statement(shown)} ({cite(analysis, tie.claims, first=shown.id)}; "
        f"{number(tie.margin)} source{'' if tie.margin == 1 else 's'}"
        f"{', alleged only' if tie.alleged_only else ''}), {where}"
    )
    if frustration.via:
        w = frustration.via[0]
        first, second = analysis.tie(*_pair(u, w)), analysis.tie(*_pair(w, v))
        a = analysis.strongest(first.claims, first.sign)
        b = analysis.strongest(second.claims, second.sign)
        sentence += (
            f": {analysis.statement(a)} ({cite(analysis, first.claims, first=a.id)}) and "
            f"{analysis.statement(b)} ({cite(analysis, second.claims, first=b.id)})"
        )
    return sentence + "."


def contest_sentence(analysis: Analysis, contest: Contest, *, bare: bool = False) -> str:
    """A contested tie and the claims on both sides; ``bare``: the text alone, for a table cell."""
    label, claims = analysis.label, analysis.claims_by_id
    one = analysis.strongest(contest.affirming)
    other = analysis.strongest(contest.opposing)
    if contest.kind == "affirmed and denied":
        said = ", ".join(sorted({certainty(analysis, claims[i]) for i in contest.affirming}))
        text = f"{analysis.statement(one)}: {said}, but denied"
    elif contest.kind == "representative":
        text = (
            f"{analysis.statement(other)}, while {analysis.statement(one)} "
            f"({label(contest.relation)} represents {label(contest.actors[0])})"
        )
    else:
        text = f"{analysis.statement(one)}, yet {analysis.statement(other)}"
    if bare:
        return cell(text)
    return f"**Contested:** {text} ({cite(analysis, contest.affirming)} against {cite(analysis, contest.opposing)})."


def established_sentence(analysis: Analysis) -> str:
    """What changes without the alleged claims: the camps, who drops out, which ties no longer go against them."""
    label = analysis.label
    main, established = analysis.camps, analysis.established
    alleged = sum(claim.certainty == "alleged" for claim in analysis.corpus.claims)
    if not alleged:
        return "No claim is alleged, so the established view is the same."
    before = {a for camp in main.camps for a in camp}
    after = {a for camp in established.camps for a in camp}
    same = _split(main, after) == _split(established, before)
    parts = [
        f"Without the {count(alleged, 'alleged claim')}, the camps are "
        + (
            "the same"
            if same
            else "split differently: "
            + "; ".join(f"camp {n}: {names(analysis, members, 8)}" for n, members in enumerate(established.camps, 1))
        )
    ]
    dropped = sorted(before - after)
    if dropped:
        parts.append(f"{_some([label(a) for a in dropped])} {'drops' if len(dropped) == 1 else 'drop'} out")
    gone = sorted(set(main.frustrated) - set(established.frustrated))
    if gone:
        parts.append("no longer against the camps: " + _some([f"{label(u)}–{label(v)}" for u, v in gone]))
    return "**Established view:** " + "; ".join(parts) + "."


def _some(items: list[str]) -> str:
    """At most :data:`NAMED_IN_SENTENCE` items, then how many more.

    >>> _some(["a", "b"])
    'a, b'
    """
    shown = ", ".join(items[:NAMED_IN_SENTENCE])
    return shown + (f" and {len(items) - NAMED_IN_SENTENCE:,} more" if len(items) > NAMED_IN_SENTENCE else "")


def _split(camps: Camps, keep: set[str]) -> set[frozenset[str]]:
    return {frozenset(a for a in camp if a in keep) for camp in camps.camps} - {frozenset()}


def _new_frustrations(analysis: Analysis) -> list[tuple[object, list[tuple[str, str]]]]:
    found, seen = [], set()
    for index, moment in enumerate(analysis.timeline):
        new = [pair for pair in moment.frustrated if pair not in seen]
        seen |= set(moment.frustrated)
        if new and index > 0:
            found.append((moment, new))
    return found[:TOP]


def hostile_within_communities(analysis: Analysis) -> list[tuple[str, str]]:
    """Hostile ties inside one community (which plain community detection ignores), strongest first."""
    community = analysis.community_of
    hostile = [
        (margin, u, v)
        for (u, v), (sign, margin) in analysis.signed.items()
        if sign < 0 and community.get(u) == community.get(v)
    ]
    return [(u, v) for _, u, v in sorted(hostile, key=lambda h: (-h[0], h[1], h[2]))]


def signed_ties(analysis: Analysis) -> int:
    """How many ties are cooperative or hostile."""
    return len(analysis.signed)


def cite(analysis: Analysis, ids: Iterable[str], *, first: str | None = None) -> str:
    """Claim ids in backticks, non-asserted ones marked: given ``first``, it and at most two more; else at most
    :data:`CITED_IN_TABLE`."""
    ids = list(ids)
    if first is not None:
        ids = [first, *(claim_id for claim_id in ids if claim_id != first)]
    most = CITED_IN_SENTENCE if first is not None else CITED_IN_TABLE
    shown = []
    for claim_id in ids[:most]:
        claim = analysis.claims_by_id[claim_id]
        mark = "" if claim.certainty == "asserted" else f" *{claim.certainty}*"
        shown.append(f"`{claim_id}`{mark}")
    return ", ".join(shown) + (f" and {len(ids) - most:,} more" if len(ids) > most else "")


def certainty(analysis: Analysis, claim: Claim) -> str:
    """A claim's certainty and, for reported and alleged claims, who says it."""
    if not claim.said_by:
        return claim.certainty
    who = "an unnamed source" if claim.said_by == UNNAMED_SPEAKER else analysis.label(claim.said_by)
    return f"{claim.certainty} by {who}"


def names(analysis: Analysis, actors: Iterable[str], most: int) -> str:
    """Actors' labels, at most ``most`` of them, then how many more."""
    actors = list(actors)
    names = ", ".join(analysis.label(a) for a in actors[:most])
    return names + (f" and {len(actors) - most:,} more" if len(actors) > most else "")


def _by_rank(analysis: Analysis, actors: Iterable[str]) -> list[str]:
    return sorted(actors, key=lambda a: (-analysis.pagerank.get(a, 0.0), a))


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell.

    >>> print(cell("<b>a|b</b> & c"))
    &lt;b&gt;a\\|b&lt;/b&gt; &amp; c
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def count(n: int, noun: str) -> str:
    """A number and its noun.

    >>> count(1, "camp"), count(1200, "tie")
    ('1 camp', '1,200 ties')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
