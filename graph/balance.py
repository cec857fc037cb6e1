"""Structural balance of the signed actor graph: triangles, camps, and the ties the camps leave frustrated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx

from .camp_search import heuristic, improve

EXACT_MAX_ACTORS = 20
"""Blocks (biconnected components) of at most this many actors are split exactly, by trying every split."""

Signed = dict[tuple[str, str], tuple[int, float]]
"""The cooperative and hostile ties: each pair of actors, in order, and its ``(sign, margin)``."""


class Triangle(NamedTuple):
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


def signed_ties(graph: nx.Graph) -> Signed:
    """The cooperative and hostile ties of a projected graph (see projection.signed_graph); neutral ones left out.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("b", "a", {"sign": 1, "margin": 2.0}), ("b", "c", {"sign": 0, "margin": 0.0})])
    >>> signed_ties(g)
    {('a', 'b'): (1, 2.0)}
    """
    return {_ordered(u, v): (sign, margin) for u, v, sign, margin in _signed_edges(graph)}


def triangles(graph: nx.Graph) -> list[Triangle]:
    """Every triangle of cooperative and hostile ties, in order.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"sign": 1}), ("a", "c", {"sign": -1}), ("b", "c", {"sign": -1})])
    >>> [(t.actors, t.balanced) for t in triangles(g)]
    [(('a', 'b', 'c'), True)]
    """
    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    signs = {}
    for u, v, sign in graph.edges(data="sign"):
        if sign:
            i, j = index[u], index[v]
            signs[(i, j) if i < j else (j, i)] = sign
    neighbours: dict[int, set[int]] = defaultdict(set)
    for i, j in signs:
        neighbours[i].add(j)
        neighbours[j].add(i)
    # Each triangle is found once, from its actor of fewest ties, so that hubs cost little.
    rank = {node: r for r, node in enumerate(sorted(neighbours, key=lambda node: (len(neighbours[node]), node)))}
    later = {node: {m for m in near if rank[m] > rank[node]} for node, near in neighbours.items()}
    found = []
    for a, after in later.items():
        for b in after:
            for c in after & later[b]:
                x, y, z = sorted((a, b, c))
                found.append(Triangle((nodes[x], nodes[y], nodes[z]), (signs[x, y], signs[x, z], signs[y, z])))
    found.sort()
    return found


def camps(graph: nx.Graph, *, exact_max: int = EXACT_MAX_ACTORS) -> Camps:
    """Split the actors into camps so that the least evidence is frustrated.

    Frustration adds up over the blocks (biconnected components) of the graph, since each
    block can be flipped on its own; so each block is split on its own: exactly, by trying
    every split, when it has at most ``exact_max`` actors, and otherwise by a deterministic
    heuristic (see camp_search.heuristic: a spectral and a spanning-tree start improved one
    move at a time, then an iterated local search with a fixed seed). Ties need ``sign`` and
    ``margin``; neutral ties (sign 0) are ignored. Camps are numbered from the largest.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"sign": 1, "margin": 1}), ("b", "c", {"sign": -1, "margin": 1}),
    ...                   ("a", "c", {"sign": 1, "margin": 1})])
    >>> result = camps(g)
    >>> result.camps, result.frustrated, result.frustration, result.optimal
    ((('a', 'b', 'c'),), (('b', 'c'),), 1.0, 3)
    """
    return split(signed_ties(graph), exact_max=exact_max)


def split(signed: Signed, *, exact_max: int = EXACT_MAX_ACTORS, start: Camps | None = None) -> Camps:
    """:func:`camps` of the signed ties; given ``start``, large blocks begin from its camps instead of a search.

    With ``start`` (the camps of nearly the same ties), a block too large to split exactly
    keeps the sides the start gives it, improved one move at a time while that lowers the
    frustration: cheap, and the camps stay comparable with the start's. Small blocks are
    split exactly either way.

    >>> split({("a", "b"): (-1, 1.0), ("b", "c"): (-1, 1.0)}).camps
    (('a', 'c'), ('b',))
    """
    nodes = sorted({node for pair in signed for node in pair})
    index = {node: i for i, node in enumerate(nodes)}
    weight = {(index[u], index[v]): sign * max(1, round(2 * margin)) for (u, v), (sign, margin) in signed.items()}
    adjacency: list[list[int]] = [[] for _ in nodes]
    for i, j in sorted(weight):
        adjacency[i].append(j)
        adjacency[j].append(i)
    start_camp = {} if start is None else {a: n for n, members in enumerate(start.camps) for a in members}
    side = [-1] * len(nodes)
    method, optimal = "exact", 1
    groups: dict[tuple[int, int], list[str]] = {}
    for root, blocks in _blocks(adjacency):
        for block, edges in _in_order(root, blocks):
            block_adjacency = _block_adjacency(block, edges, weight)
            if len(block) <= exact_max:
                colouring, count = _exact(block_adjacency)
                optimal *= count
            else:
                if start is None:
                    colouring = heuristic(block_adjacency)
                else:
                    first = start_camp.get(nodes[block[0]])
                    colouring = improve(block_adjacency, [int(start_camp.get(nodes[i]) != first) for i in block])
                method, optimal = "heuristic", 0
            cut = next((n for n, i in enumerate(block) if side[i] >= 0), None)
            flip = colouring[cut] != side[block[cut]] if cut is not None else False
            for node, colour in zip(block, colouring, strict=True):
                if side[node] < 0:
                    side[node] = colour ^ flip
                    groups.setdefault((root, side[node]), []).append(nodes[node])
    ordered = sorted((tuple(sorted(members)) for members in groups.values()), key=lambda m: (-len(m), m[0]))
    frustrated = tuple(
        (u, v) for (u, v), (sign, _) in sorted(signed.items()) if (side[index[u]] == side[index[v]]) != (sign > 0)
    )
    total = float(sum(signed[pair][1] for pair in frustrated))
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
    signed = {_ordered(x, w): (data["sign"], data["margin"]) for x in (u, v) for w, data in graph.adj[x].items()}
    return unbalanced_through_each({key: value for key, value in signed.items() if value[0]}, [(u, v)])[0]


def unbalanced_through_each(signed: Signed, pairs: list[tuple[str, str]]) -> list[list[str]]:
    """:func:`unbalanced_through` of each of the ``pairs`` (cooperative or hostile ties of ``signed``)."""
    near: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    for (a, b), sign_margin in signed.items():
        near[a][b] = near[b][a] = sign_margin
    reasons = []
    for u, v in pairs:
        sign = signed[_ordered(u, v)][0]
        first, second = near[u], near[v]
        if len(second) < len(first):
            first, second = second, first
        found = []
        for w in first.keys() & second.keys():
            (a, first_margin), (b, second_margin) = first[w], second[w]
            if sign * a * b < 0:
                found.append((-min(first_margin, second_margin), -(first_margin + second_margin), w))
        reasons.append([w for *_, w in sorted(found)])
    return reasons


def _signed_edges(graph: nx.Graph) -> Iterable[tuple[str, str, int, float]]:
    for u, v, data in graph.edges(data=True):
        if data["sign"]:
            yield u, v, data["sign"], data["margin"]


def _ordered(u: str, v: str) -> tuple[str, str]:
    return (u, v) if u <= v else (v, u)


def _blocks(adjacency: list[list[int]]) -> list[tuple[int, list[list[tuple[int, int]]]]]:
    """Each connected component's first actor and its blocks, each as its ties (iterative Hopcroft–Tarjan)."""
    depth = [-1] * len(adjacency)
    low = [0] * len(adjacency)
    found = []
    for root in range(len(adjacency)):
        if depth[root] >= 0:
            continue
        depth[root] = 0
        blocks: list[list[tuple[int, int]]] = []
        edges: list[tuple[int, int]] = []
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            v, parent, children = stack[-1]
            for w in children:
                if depth[w] < 0:
                    depth[w] = low[w] = depth[v] + 1
                    edges.append((v, w))
                    stack.append((w, v, iter(adjacency[w])))
                    break
                if w != parent and depth[w] < depth[v]:
                    edges.append((v, w))
                    low[v] = min(low[v], depth[w])
            else:
                stack.pop()
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                    if low[v] >= depth[u]:
                        block = []
                        while True:
                            edge = edges.pop()
                            block.append(edge)
                            if edge == (u, v):
                                break
                        blocks.append(block)
        found.append((root, blocks))
    return found


def _in_order(root: int, blocks: list[list[tuple[int, int]]]) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """The blocks (actors in order, ties), each sharing one actor with those before it: a walk of the block-cut tree."""
    with_nodes = sorted((sorted({node for edge in edges for node in edge}), edges) for edges in blocks)
    by_node: dict[int, list[int]] = defaultdict(list)
    for number, (block, _) in enumerate(with_nodes):
        for node in block:
            by_node[node].append(number)
    if not with_nodes:
        return []
    first = min(by_node[root])
    order, seen, expanded = [first], {first}, set()
    for number in order:
        for node in with_nodes[number][0]:
            if node not in expanded:
                expanded.add(node)
                for other in by_node[node]:
                    if other not in seen:
                        seen.add(other)
                        order.append(other)
    return [with_nodes[number] for number in order]


def _block_adjacency(
    block: list[int], edges: list[tuple[int, int]], weight: dict[tuple[int, int], int]
) -> list[list[tuple[int, int]]]:
    """The block's ties as adjacency lists of (position in the block, signed weight), in order."""
    local = {node: i for i, node in enumerate(block)}
    adjacency: list[list[tuple[int, int]]] = [[] for _ in block]
    for i, j in edges:
        w = weight[(i, j) if i < j else (j, i)]
        adjacency[local[i]].append((local[j], w))
        adjacency[local[j]].append((local[i], w))
    for ties in adjacency:
        ties.sort()
    return adjacency


def _exact(adjacency: list[list[tuple[int, int]]]) -> tuple[list[int], int]:
    """Try every split of the block (the first actor's side fixed), visiting them in Gray-code order."""
    colour = [0] * len(adjacency)
    cost = best = sum(abs(w) for i, edges in enumerate(adjacency) for j, w in edges if i < j and w < 0)
    best_colour, count = list(colour), 1
    for step in range(1, 2 ** (len(adjacency) - 1)):
        i = (step & -step).bit_length()  # actors 1..n-1 flip; actor 0 stays on side 0
        ci = colour[i]
        change = 0
        for j, w in adjacency[i]:
            # a tie is frustrated when cooperative across or hostile within; moving i toggles that
            change += -abs(w) if (ci == colour[j]) != (w > 0) else abs(w)
        colour[i] = ci ^ 1
        cost += change
        if cost < best:
            best, best_colour, count = cost, list(colour), 1
        elif cost == best:
            count += 1
    return best_colour, count
