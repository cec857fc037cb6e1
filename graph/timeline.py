"""The balance over time: camps and triangles of the claims dated up to each of the latest source dates.

The days are walked back from the last: each day's ties are the next day's, with only the
ties that claims of the next day touch weighed again, and the triangles through those ties
counted again. So the timeline costs about what that day's new claims cost, not a whole
analysis per day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from . import balance
from .balance import Camps, Signed
from .model import Claim, Corpus
from .projection import CERTAINTY_WEIGHT

TIMELINE_DATES = 12
"""The timeline covers at most this many of the latest source dates."""

Pair = tuple[str, str]


@dataclass(frozen=True)
class Moment:
    """The balance of the claims dated up to one day."""

    date: dt.date
    sources: tuple[str, ...]
    """The sources of that day."""
    claims: int
    actors: int
    """Actors with a cooperative or hostile tie."""
    camps: int
    frustrated: tuple[tuple[str, str], ...]
    balanced: int
    unbalanced: int


def timeline(corpus: Corpus, ties: nx.Graph, signed: Signed, final: Camps, triangles: tuple[int, int]) -> list[Moment]:
    """The balance of the claims dated up to each of the latest :data:`TIMELINE_DATES` source dates.

    ``ties``, ``signed``, ``final`` and ``triangles`` are the whole corpus's ties (see
    projection.signed_graph), the cooperative and hostile ones (balance.signed_ties), the
    camps, and the balanced and unbalanced triangles. Ties and triangles are exact on every
    day. The camps are split again as balance.split does when the final camps were split
    exactly; when they needed the heuristic, each day instead keeps the next day's camps,
    adjusted one actor at a time to its ties (see :class:`_Carried`): cheap, and comparable
    from day to day.
    """
    dates = {source.id: source.date for source in corpus.sources}
    days = sorted(set(dates.values()))[-TIMELINE_DATES:]
    if not days:
        return []
    per_day = Counter(dates[claim.source] for claim in corpus.claims)
    later: dict[dt.date, list[Claim]] = defaultdict(list)
    for claim in corpus.claims:
        if claim.certainty != "denied" and dates[claim.source] > days[0]:
            later[dates[claim.source]].append(claim)
    by_day = defaultdict(list)
    for source in corpus.sources:
        by_day[source.date].append(source.id)
    signs = {relation.id: relation.sign for relation in corpus.relations}
    evidence: dict[Pair, list[float]] = {}
    then, (balanced, unbalanced) = dict(signed), triangles
    carried = None if final.method == "exact" else _Carried(ties, signed, final)
    neighbours = _Neighbours(ties)
    claims, moments = len(corpus.claims), []
    for position in range(len(days) - 1, -1, -1):
        day = days[position]
        if position < len(days) - 1:
            claims -= per_day[days[position + 1]]
            changes = _without_day(later[days[position + 1]], signs, ties, evidence, then)
            previous = dict(then)
            for pair, new in changes.items():
                if new:
                    then[pair] = new
                else:
                    then.pop(pair, None)
            turned = [pair for pair, new in changes.items() if _sign(new) != _sign(previous.get(pair))]
            more_balanced, more_unbalanced = _triangle_change(previous, then, neighbours, turned)
            balanced += more_balanced
            unbalanced += more_unbalanced
            if carried:
                carried.change(then, changes)
        if carried:
            actors, camps, frustrated = carried.summary()
        else:
            found = final if position == len(days) - 1 else balance.split(then)
            actors, camps, frustrated = sum(map(len, found.camps)), len(found.camps), found.frustrated
        moments.append(Moment(day, tuple(sorted(by_day[day])), claims, actors, camps, frustrated, balanced, unbalanced))
    return moments[::-1]


def _without_day(
    claims: list[Claim], signs: dict[str, int], ties: nx.Graph, evidence: dict[Pair, list[float]], signed: Signed
) -> dict[Pair, tuple[int, float] | None]:
    """The ties that change when the day of ``claims`` is taken away: their new (sign, margin), None if unsigned.

    ``evidence`` keeps each touched tie's cooperative and hostile sources, updated here. A
    source is dated one day, so taking a day away takes its sources' whole weight off each
    side (see projection.tie); the weights are halves and wholes, so the sums stay exact.
    """
    best: dict[tuple[Pair, int, str], float] = {}
    for claim in claims:
        sign = signs[claim.relation]
        if sign:
            key = (_pair(claim.subject, claim.object), sign, claim.source)
            best[key] = max(best.get(key, 0.0), CERTAINTY_WEIGHT[claim.certainty])
    for (pair, sign, _), weight in best.items():
        if pair not in evidence:
            data = ties.adj[pair[0]][pair[1]]
            evidence[pair] = [data["cooperative"], data["hostile"]]
        evidence[pair][0 if sign > 0 else 1] -= weight
    changes = {}
    for pair in sorted({pair for pair, _, _ in best}):
        net = evidence[pair][0] - evidence[pair][1]
        new = ((net > 0) - (net < 0), abs(net)) if net else None
        if signed.get(pair) != new:
            changes[pair] = new
    return changes


def _sign(weighed: tuple[int, float] | None) -> int:
    return weighed[0] if weighed else 0


def _triangle_change(old: Signed, new: Signed, neighbours: _Neighbours, changed: Iterable[Pair]) -> tuple[int, int]:
    """How many more balanced and unbalanced triangles ``new`` has than ``old``, which differ in ``changed`` ties.

    Only triangles through a changed tie can differ; each is counted once, at its first changed tie.
    """
    changed = sorted(changed)
    first = {pair: number for number, pair in enumerate(changed)}
    balanced = unbalanced = 0
    for number, (u, v) in enumerate(changed):
        before, after = old.get((u, v)), new.get((u, v))
        for w in neighbours[u] & neighbours[v]:
            uw, vw = _pair(u, w), _pair(v, w)
            if first.get(uw, number) < number or first.get(vw, number) < number:
                continue
            for signed, side, step in ((old, before, -1), (new, after, 1)):
                a, b = signed.get(uw), signed.get(vw)
                if side and a and b:
                    if side[0] * a[0] * b[0] > 0:
                        balanced += step
                    else:
                        unbalanced += step
    return balanced, unbalanced


class _Neighbours(dict):
    """Each actor's set of neighbours in the ties graph, made when first asked for."""

    def __init__(self, ties: nx.Graph) -> None:
        super().__init__()
        self.ties = ties

    def __missing__(self, actor: str) -> set[str]:
        self[actor] = found = set(self.ties.adj[actor])
        return found


class _Carried:
    """Camps carried back one day at a time: each actor's side, the frustrated ties, and the components.

    A day's changed ties move only the actors whose moving then lowers the frustration,
    starting from the actors of those ties (single moves, as balance.split's heuristic ends).
    Each actor keeps its *field*, the signed sum of its neighbours' sides, so a move's gain
    is known at once.
    """

    def __init__(self, ties: nx.Graph, signed: Signed, final: Camps) -> None:
        self.signed = signed
        self.nodes = list(ties)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        pairs = [_pair(u, v) for u, v in ties.edges()]
        self.position = {pair: i for i, pair in enumerate(pairs)}
        self.u = np.array([self.index[u] for u, _ in pairs], dtype=np.int64)
        self.v = np.array([self.index[v] for _, v in pairs], dtype=np.int64)
        self.active = np.array([pair in signed for pair in pairs], dtype=bool)
        self.degree = np.bincount(np.concatenate([self.u[self.active], self.v[self.active]]), minlength=len(self.nodes))
        camp = np.full(len(self.nodes), -1)
        for number, members in enumerate(final.camps):
            camp[[self.index[a] for a in members]] = number
        labels = self._components()
        _, first = np.unique(labels, return_index=True)
        self.side = (camp != camp[first][labels]).astype(np.int8)
        self.spin = dict(zip(self.nodes, (1 - 2 * self.side).tolist(), strict=True))
        self.weights: dict[str, dict[str, int]] = defaultdict(dict)
        for (a, b), (sign, margin) in signed.items():
            self.weights[a][b] = self.weights[b][a] = _weight(sign, margin)
        spin = self.spin
        self.field = {a: sum(w * spin[b] for b, w in near.items()) for a, near in self.weights.items()}
        self.frustrated = set(final.frustrated)

    def change(self, signed: Signed, changes: dict[Pair, tuple[int, float] | None]) -> None:
        """Take the day's ties (``changes`` made to the ones before), then settle the actors they touch."""
        spin, field, weights = self.spin, self.field, self.weights
        for (a, b), new in changes.items():
            i = self.position[a, b]
            if self.active[i] != bool(new):
                step = 1 if new else -1
                self.degree[self.u[i]] += step
                self.degree[self.v[i]] += step
                self.active[i] = bool(new)
            old = weights[a].get(b, 0)
            w = _weight(*new) if new else 0
            if w:
                weights[a][b] = weights[b][a] = w
            else:
                weights[a].pop(b, None)
                weights[b].pop(a, None)
            field[a] = field.get(a, 0) + (w - old) * spin[b]
            field[b] = field.get(b, 0) + (w - old) * spin[a]
        self.signed = signed
        moved = self._settle(sorted({actor for pair in changes for actor in pair}))
        for pair in set(changes) | {_pair(a, b) for a in moved for b in weights[a]}:
            if self._against(pair):
                self.frustrated.add(pair)
            else:
                self.frustrated.discard(pair)

    def summary(self) -> tuple[int, int, tuple[Pair, ...]]:
        """Actors in camps, camps, and the frustrated ties, in order."""
        present = self.degree > 0
        groups = np.unique(self._components()[present] * 2 + self.side[present]).size
        return int(present.sum()), groups, tuple(sorted(self.frustrated))

    def _components(self) -> np.ndarray:
        count, u, v = len(self.nodes), self.u[self.active], self.v[self.active]
        graph = coo_array((np.ones(len(u)), (u, v)), shape=(count, count)).tocsr()
        return connected_components(graph, directed=False)[1]

    def _against(self, pair: Pair) -> bool:
        tie_sign = self.signed.get(pair)
        return bool(tie_sign) and (self.spin[pair[0]] == self.spin[pair[1]]) != (tie_sign[0] > 0)

    def _settle(self, start: list[str]) -> set[str]:
        """Move actors, from ``start`` on, while a move lowers the frustration; the actors moved."""
        spin, field, weights = self.spin, self.field, self.weights
        queue, queued, moved = deque(start), set(start), set()
        while queue:
            actor = queue.popleft()
            queued.discard(actor)
            if spin[actor] * field.get(actor, 0) < 0:
                twice = 2 * spin[actor]
                for other, w in weights[actor].items():
                    field[other] -= twice * w
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
                spin[actor] = -spin[actor]
                self.side[self.index[actor]] ^= 1
                moved.add(actor)
        return moved


def _weight(sign: int, margin: float) -> int:
    """A tie's signed weight in half-sources, as balance.split counts it."""
    return sign * max(1, round(2 * margin))


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)
