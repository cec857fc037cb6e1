"""Structural balance of the signed actor graph: triangles, camps, and the ties the camps leave frustrated."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

import networkx as nx

EXACT_MAX_ACTORS = 20
"""Blocks (biconnected components) of at most this many actors are split exactly, by trying every split."""

SEED = 4
"""Seed of the heuristic's random start vector, so that every run finds the same camps."""

POWER_ITERATIONS = 100

KICKS_PER_ACTOR, MAX_KICKS = 20, 20_000
"""The heuristic's iterated local search tries this many kicks per actor of a block, at most MAX_KICKS."""

KICK_NEIGHBOURS, KICK_WORK = 8, 1_000_000
"""A kick moves at most this many neighbours along, and the kicks stop after this many tie visits
in all, so that hubs with hundreds of ties keep the search linear in the size of the graph."""


@dataclass(frozen=True)
class Triangle:
    """Three actors tied pairwise; balanced when the product of the three signs is positive."""

    actors: tuple[str, str, str]
    signs: tuple[int, int, int]
    """The signs of the ties (a, b), (a, c), (b, c)."""

    @property
    def balanced(self) -> bool:
        return self.signs[0] * self.signs[1] * self.signs[2] > 0


@dataclass(frozen=True)
class Camps:
    """A split of the actors into camps that leaves the least evidence frustrated.

    A tie is frustrated when it is cooperative across two camps, or hostile within one; its
    cost is its ``margin`` (independent sources for its sign, less those against it).
    """

    camps: tuple[tuple[str, ...], ...]
    """Each camp's actors, largest camp first; camp n is ``camps[n - 1]``."""
    frustrated: tuple[tuple[str, str], ...]
    """The frustrated ties, each as a sorted pair of actors, in order."""
    frustration: float
    """The total margin of the frustrated ties: the least any split can leave."""
    method: str
    """``exact`` when every block was small enough to try every split, else ``heuristic``."""
    optimal: int
    """How many different splits are as good (0 when a heuristic was used, so unknown)."""

    def camp_of(self, actor: str) -> int | None:
        """The camp number (from 1) of an actor, or None for an actor without cooperative or hostile ties."""
        for number, members in enumerate(self.camps, 1):
            if actor in members:
                return number
        return None


def triangles(graph: nx.Graph) -> list[Triangle]:
    """Every triangle of cooperative and hostile ties, in order.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"sign": 1}), ("a", "c", {"sign": -1}), ("b", "c", {"sign": -1})])
    >>> [(t.actors, t.balanced) for t in triangles(g)]
    [(('a', 'b', 'c'), True)]
    """
    found = []
    signs = {frozenset((u, v)): data["sign"] for u, v, data in graph.edges(data=True) if data["sign"]}
    neighbours: dict[str, set[str]] = {node: set() for node in graph}
    for pair in signs:
        u, v = tuple(pair)
        neighbours[u].add(v)
        neighbours[v].add(u)
    for a in sorted(neighbours):
        later = {n for n in neighbours[a] if n > a}
        for b in sorted(later):
            for c in sorted(later & neighbours[b]):
                if c > b:
                    found.append(
                        Triangle(
                            (a, b, c),
                            (signs[frozenset((a, b))], signs[frozenset((a, c))], signs[frozenset((b, c))]),
                        )
                    )
    return found


def camps(graph: nx.Graph, *, exact_max: int = EXACT_MAX_ACTORS) -> Camps:
    """Split the actors into camps so that the least evidence is frustrated.

    Frustration adds up over the blocks (biconnected components) of the graph, since each
    block can be flipped on its own; so each block is split on its own: exactly, by trying
    every split, when it has at most ``exact_max`` actors, and otherwise by a deterministic
    heuristic (a spectral start and a spanning-tree start, each improved by moving one actor
    at a time while that lowers the frustration; the better is kept and then kicked, an
    iterated local search with a fixed seed). Ties need ``sign`` and ``margin``; neutral
    ties (sign 0) are ignored. Camps are numbered from the largest.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"sign": 1, "margin": 1}), ("b", "c", {"sign": -1, "margin": 1}),
    ...                   ("a", "c", {"sign": 1, "margin": 1})])
    >>> result = camps(g)
    >>> result.camps, result.frustrated, result.frustration, result.optimal
    ((('a', 'b', 'c'),), (('b', 'c'),), 1.0, 3)
    """
    signed = nx.Graph()
    signed.add_nodes_from(sorted(node for node in graph if any(data["sign"] for data in graph[node].values())))
    signed.add_edges_from(sorted((*_ordered(u, v), data) for u, v, data in graph.edges(data=True) if data["sign"]))
    side: dict[str, int] = {}
    method, optimal = "exact", 1
    components = sorted((sorted(c) for c in nx.connected_components(signed)), key=lambda c: c[0])
    for component in components:
        for block in _blocks_in_order(signed, component):
            cut = [node for node in block if node in side]
            if len(block) <= exact_max:
                colouring, count = _exact(signed, block)
                optimal *= count
            else:
                colouring, count = _heuristic(signed, block), 0
                method, optimal = "heuristic", 0
            flip = colouring[cut[0]] != side[cut[0]] if cut else False
            for node, colour in colouring.items():
                side.setdefault(node, colour ^ flip)
    groups: dict[tuple[str, int], list[str]] = {}
    for component in components:
        for node in component:
            groups.setdefault((component[0], side[node]), []).append(node)
    ordered = sorted((tuple(sorted(members)) for members in groups.values()), key=lambda m: (-len(m), m[0]))
    frustrated = tuple(
        sorted(
            (u, v)
            for u, v, data in signed.edges(data=True)
            for u, v in [_ordered(u, v)]
            if (side[u] == side[v]) != (data["sign"] > 0)
        )
    )
    total = float(sum(signed.edges[u, v]["margin"] for u, v in frustrated))
    return Camps(tuple(ordered), frustrated, total, method, optimal)


def unbalanced_through(graph: nx.Graph, u: str, v: str) -> list[str]:
    """The actors that close an unbalanced triangle with the tie u–v: why the tie is frustrated.

    The strongest first: by the evidence of the two other ties, then by id.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("russia", "israel", {"sign": 1, "margin": 2}), ("russia", "hamas", {"sign": 1, "margin": 2}),
    ...                   ("hamas", "israel", {"sign": -1, "margin": 4})])
    >>> unbalanced_through(g, "russia", "israel")
    ['hamas']
    """
    sign = graph.edges[u, v]["sign"]
    found = []
    for w in set(graph[u]) & set(graph[v]):
        a, b = graph.edges[u, w], graph.edges[v, w]
        if a["sign"] and b["sign"] and sign * a["sign"] * b["sign"] < 0:
            found.append((-(min(a["margin"], b["margin"])), -(a["margin"] + b["margin"]), w))
    return [w for *_, w in sorted(found)]


def _ordered(u: str, v: str) -> tuple[str, str]:
    return (u, v) if u <= v else (v, u)


def _blocks_in_order(graph: nx.Graph, component: list[str]) -> list[list[str]]:
    """The component's blocks, each sharing one actor with the blocks before it (a walk of the block-cut tree)."""
    sub = graph.subgraph(component)
    blocks = sorted((sorted(block) for block in nx.biconnected_components(sub)), key=lambda block: block)
    if not blocks:
        return []
    by_node: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        for node in block:
            by_node.setdefault(node, []).append(index)
    start = min(by_node[component[0]])
    order, seen, queue = [], {start}, deque([start])
    while queue:
        index = queue.popleft()
        order.append(blocks[index])
        for node in blocks[index]:
            for other in by_node[node]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return order


def _weights(graph: nx.Graph, block: list[str]) -> tuple[list[list[tuple[int, int]]], dict[str, int]]:
    """Adjacency of the block with signed weights in half-sources (exact integer arithmetic)."""
    index = {node: i for i, node in enumerate(block)}
    adjacency: list[list[tuple[int, int]]] = [[] for _ in block]
    for node in block:
        for other, data in sorted(graph[node].items()):
            if other in index:
                adjacency[index[node]].append((index[other], data["sign"] * max(1, round(2 * data["margin"]))))
    return adjacency, index


def _cost(adjacency: list[list[tuple[int, int]]], colour: list[int]) -> int:
    return sum(abs(w) for i, edges in enumerate(adjacency) for j, w in edges if i < j and _frustrated(colour, i, j, w))


def _frustrated(colour: list[int], i: int, j: int, w: int) -> bool:
    return (colour[i] == colour[j]) != (w > 0)


def _exact(graph: nx.Graph, block: list[str]) -> tuple[dict[str, int], int]:
    """Try every split of the block (the first actor's side fixed), visiting them in Gray-code order."""
    adjacency, _ = _weights(graph, block)
    colour = [0] * len(block)
    cost = best = _cost(adjacency, colour)
    best_colour, count = list(colour), 1
    for step in range(1, 2 ** (len(block) - 1)):
        i = (step & -step).bit_length()  # actors 1..n-1 flip; actor 0 stays on side 0
        change = sum(abs(w) if not _frustrated(colour, i, j, w) else -abs(w) for j, w in adjacency[i])
        colour[i] ^= 1
        cost += change
        if cost < best:
            best, best_colour, count = cost, list(colour), 1
        elif cost == best:
            count += 1
    return dict(zip(block, best_colour, strict=True)), count


def _heuristic(graph: nx.Graph, block: list[str]) -> dict[str, int]:
    """A spectral start and a spanning-tree start, each improved by single moves; the better one, then kicked.

    The kicks (an iterated local search, seeded): move an actor and a random half of its
    neighbours to the other side, improve around them, and keep the result unless it is worse.
    """
    adjacency, _ = _weights(graph, block)
    candidates = [_improve(adjacency, _spectral(adjacency)), _improve(adjacency, _tree(adjacency))]
    colour = min(candidates, key=lambda colouring: _cost(adjacency, colouring))
    rng = random.Random(SEED)
    work = 0
    for _ in range(min(KICKS_PER_ACTOR * len(block), MAX_KICKS)):
        if work > KICK_WORK:
            break
        i = rng.randrange(len(block))
        neighbours = [j for j, _ in adjacency[i] if rng.random() < 0.5]
        moved = [i, *rng.sample(neighbours, min(len(neighbours), KICK_NEIGHBOURS))]
        change = 0
        for j in moved:
            change += _flip(adjacency, colour, j)
        touched = _descend(adjacency, colour, moved)
        change += touched[0]
        work += sum(len(adjacency[j]) for j in moved) + touched[2]
        if change > 0:
            for j in reversed(moved + touched[1]):
                colour[j] ^= 1
    return dict(zip(block, colour, strict=True))


def _flip(adjacency: list[list[tuple[int, int]]], colour: list[int], i: int) -> int:
    """Move actor i to the other side; return how much the frustration changes."""
    change = sum(-abs(w) if _frustrated(colour, i, j, w) else abs(w) for j, w in adjacency[i])
    colour[i] ^= 1
    return change


def _descend(adjacency: list[list[tuple[int, int]]], colour: list[int], start: list[int]) -> tuple[int, list[int], int]:
    """Single moves that lower the frustration, from the neighbourhood of ``start``.

    Returns the change, the moves, and the number of ties looked at (the work done).
    """
    queue = deque(dict.fromkeys(j for i in start for j in (i, *(k for k, _ in adjacency[i]))))
    queued = set(queue)
    change, moves, work = 0, [], 0
    while queue:
        i = queue.popleft()
        queued.discard(i)
        work += len(adjacency[i])
        gain = sum(abs(w) if _frustrated(colour, i, j, w) else -abs(w) for j, w in adjacency[i])
        if gain > 0:
            change += _flip(adjacency, colour, i)
            moves.append(i)
            for j, _ in adjacency[i]:
                if j not in queued:
                    queued.add(j)
                    queue.append(j)
    return change, moves, work


def _spectral(adjacency: list[list[tuple[int, int]]]) -> list[int]:
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


def _tree(adjacency: list[list[tuple[int, int]]]) -> list[int]:
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


def _improve(adjacency: list[list[tuple[int, int]]], colour: list[int]) -> list[int]:
    """Move single actors to the other side while that lowers the frustration (each move lowers it by ≥ 1)."""
    colour = list(colour)
    _descend(adjacency, colour, list(range(len(colour))))
    return colour
