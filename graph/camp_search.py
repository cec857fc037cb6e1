"""The heuristic behind balance.camps for large blocks: two starts, single moves, and seeded kicks.

A block is given as integer adjacency lists ``[(j, w), ...]`` (w: the signed weight of the
tie, in half-sources); a split as a list of sides, 0 or 1. Internally each actor keeps a
*field*, the signed sum of its neighbours' sides, so that the gain of moving an actor is
known at once and a move costs only the actor's own ties.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable

SEED = 4
"""Seed of the random start vector and of the kicks, so that every run finds the same camps."""

POWER_ITERATIONS = 100

KICKS_PER_ACTOR, MAX_KICKS = 20, 20_000
"""The iterated local search tries this many kicks per actor of a block, at most MAX_KICKS."""

KICK_NEIGHBOURS, KICK_WORK = 8, 300_000
"""A kick moves at most this many neighbours along, and the kicks stop after this many tie visits
in all, so that hubs with hundreds of ties keep the search linear in the size of the graph."""

Adjacency = list[list[tuple[int, int]]]


def heuristic(adjacency: Adjacency) -> list[int]:
    """A spectral start and a spanning-tree start, each improved by single moves; the better one, then kicked.

    The kicks (an iterated local search, seeded): move an actor and a random half of its
    neighbours to the other side, improve around them, and keep the result unless it is worse.

    >>> heuristic([[(1, 2), (2, -2)], [(0, 2), (2, -2)], [(0, -2), (1, -2)]])
    [0, 0, 1]
    """
    candidates = [improve(adjacency, spectral(adjacency)), improve(adjacency, tree(adjacency))]
    search = _Search(adjacency, min(candidates, key=lambda colour: cost(adjacency, colour)))
    rng = random.Random(SEED)
    for _ in range(min(KICKS_PER_ACTOR * len(adjacency), MAX_KICKS)):
        if search.work > KICK_WORK:
            break
        i = rng.randrange(len(adjacency))
        search.work += len(adjacency[i])
        neighbours = [j for j, _ in adjacency[i] if rng.random() < 0.5]
        moved = [i, *rng.sample(neighbours, min(len(neighbours), KICK_NEIGHBOURS))]
        change = sum(search.flip(j) for j in moved)
        descent, moves = search.descend(moved)
        if change + descent > 0:
            for j in reversed(moved + moves):
                search.flip(j)
    return search.colour()


def improve(adjacency: Adjacency, colour: list[int]) -> list[int]:
    """Move single actors to the other side while that lowers the frustration (each move lowers it by ≥ 1).

    >>> improve([[(1, 2)], [(0, 2)]], [0, 1])
    [1, 1]
    """
    search = _Search(adjacency, colour)
    search.descend(range(len(adjacency)))
    return search.colour()


def cost(adjacency: Adjacency, colour: list[int]) -> int:
    """The frustration of a split, in half-sources.

    >>> cost([[(1, 2)], [(0, 2)]], [0, 1])
    2
    """
    return sum(abs(w) for i, edges in enumerate(adjacency) for j, w in edges if i < j and frustrated(colour, i, j, w))


def frustrated(colour: list[int], i: int, j: int, w: int) -> bool:
    """Whether the tie i–j of weight w goes against the split: cooperative across, or hostile within."""
    return (colour[i] == colour[j]) != (w > 0)


def spectral(adjacency: Adjacency) -> list[int]:
    """Signs of the leading eigenvector of the signed adjacency matrix (power iteration, shifted to be positive)."""
    import numpy as np
    from scipy.sparse import csr_array

    n = len(adjacency)
    rows = [i for i, edges in enumerate(adjacency) for _ in edges]
    cols = [j for edges in adjacency for j, _ in edges]
    data = [float(w) for edges in adjacency for _, w in edges]
    matrix = csr_array((data, (rows, cols)), shape=(n, n))
    shift = max((sum(abs(w) for _, w in edges) for edges in adjacency), default=1)
    vector = np.random.default_rng(SEED).standard_normal(n)
    for _ in range(POWER_ITERATIONS):
        vector = matrix @ vector + shift * vector
        vector /= np.linalg.norm(vector) or 1.0
    return [int(x < 0) for x in vector]


def tree(adjacency: Adjacency) -> list[int]:
    """Colour along a breadth-first spanning tree, strongest ties first, so that every tree tie is satisfied."""
    colour = [-1] * len(adjacency)
    colour[0] = 0
    queue = deque([0])
    while queue:
        i = queue.popleft()
        for j, w in sorted(adjacency[i], key=lambda edge: (-abs(edge[1]), edge[0])):
            if colour[j] < 0:
                colour[j] = colour[i] if w > 0 else 1 - colour[i]
                queue.append(j)
    return [max(c, 0) for c in colour]


class _Search:
    """A split under local search: each actor's side as a spin (+1 for side 0, -1 for side 1) and its field."""

    def __init__(self, adjacency: Adjacency, colour: list[int]) -> None:
        self.adjacency = adjacency
        self.spin = [1 - 2 * c for c in colour]
        spin = self.spin
        self.field = [sum(w * spin[j] for j, w in edges) for edges in adjacency]
        self.work = 0
        """Ties visited by moves and actors looked at: the kicks' budget."""

    def colour(self) -> list[int]:
        return [(1 - s) // 2 for s in self.spin]

    def flip(self, i: int) -> int:
        """Move actor i to the other side; return how much the frustration changes."""
        spin, field = self.spin, self.field
        change = spin[i] * field[i]
        twice = 2 * spin[i]
        for j, w in self.adjacency[i]:
            field[j] -= twice * w
        spin[i] = -spin[i]
        self.work += len(self.adjacency[i])
        return change

    def descend(self, start: Iterable[int]) -> tuple[int, list[int]]:
        """Single moves that lower the frustration, from ``start`` and its neighbours; the change and the moves."""
        adjacency, spin, field = self.adjacency, self.spin, self.field
        queue = deque(dict.fromkeys(j for i in start for j in (i, *(k for k, _ in adjacency[i]))))
        queued = set(queue)
        change, moves = 0, []
        while queue:
            i = queue.popleft()
            queued.discard(i)
            self.work += 1
            if spin[i] * field[i] < 0:
                change += self.flip(i)
                moves.append(i)
                for j, _ in adjacency[i]:
                    if j not in queued:
                        queued.add(j)
                        queue.append(j)
        return change, moves
