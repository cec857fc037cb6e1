"""A seeded force-directed layout in pure Python: the same graph gives the same positions everywhere.

Fruchterman and Reingold's spring embedder ("Graph drawing by force-directed placement",
1991): connected nodes attract, all nodes repel, and a falling temperature caps each
step. Up to :data:`EXACT_LIMIT` nodes it runs here in plain Python, every pair repelling;
larger graphs run in numpy (spring_arrays.py), where only nearby nodes repel, and past a
few thousand nodes crowds push nodes out instead, so the time grows with the graph, not its
square. Float arithmetic in a fixed order gives identical positions on every machine — so
the page that shows them is byte-for-byte reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Sequence

from . import spring_arrays

EXACT_LIMIT = 100
"""Up to this many nodes every pair repels; above it, see spring_arrays.py."""


def spring_layout(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 0,
    iterations: int | None = None,
    edge_length: float = 150.0,
) -> dict[Hashable, tuple[float, float]]:
    """Place ``nodes`` so that ``edges`` are short and nodes keep apart; return each node's (x, y).

    Positions are centred on (0, 0), scaled so that an ideal edge is ``edge_length`` long,
    and rounded to a tenth. Repeated and reversed edges count once; self-loops not at all.
    Nodes without edges line up below the drawing rather than drift away from it.

    >>> positions = spring_layout(["a", "b", "c", "d"], [("a", "b"), ("b", "c")], seed=1)
    >>> positions == spring_layout(["a", "b", "c", "d"], [("b", "a"), ("c", "b")], seed=1)
    True
    >>> math.dist(positions["a"], positions["b"]) < math.dist(positions["a"], positions["c"])
    True
    >>> positions["d"][1] > max(positions[node][1] for node in "abc")
    True
    """
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a != b})
    linked = sorted({i for pair in pairs for i in pair})
    position_of = {i: p for p, i in enumerate(linked)}
    xs, ys = _spring(len(linked), [(position_of[i], position_of[j]) for i, j in pairs], seed, iterations)
    k = math.sqrt(1.0 / len(linked)) if linked else 1.0
    scale = edge_length / k
    cx, cy = (sum(xs) / len(xs), sum(ys) / len(ys)) if linked else (0.0, 0.0)
    positions = {nodes[i]: ((xs[p] - cx) * scale, (ys[p] - cy) * scale) for p, i in enumerate(linked)}
    loose = [node for i, node in enumerate(nodes) if i not in position_of]
    positions.update(_row_below(loose, list(positions.values()), 1.5 * edge_length))
    return {node: (_round(positions[node][0]), _round(positions[node][1])) for node in nodes}


def _spring(
    count: int, pairs: list[tuple[int, int]], seed: int, iterations: int | None
) -> tuple[list[float], list[float]]:
    """Fruchterman–Reingold in the unit square: positions of nodes ``0..count-1`` joined by ``pairs``."""
    rng = random.Random(seed)
    xs = [0.0] * count
    ys = [0.0] * count
    for i in range(count):
        xs[i], ys[i] = rng.random(), rng.random()
    if count < 2:
        return xs, ys
    k = math.sqrt(1.0 / count)
    if iterations is None:
        iterations = 300 if count <= 50 else 150 if count <= EXACT_LIMIT else 50
    if count > EXACT_LIMIT:
        return spring_arrays.spring(xs, ys, pairs, iterations)
    # Springs weaken as the graph gets denser, so that a well-connected graph does not
    # collapse into a ball (which is unreadable, and slow to lay out).
    strength = min(1.0, 2.0 * count / len(pairs))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    # Hubs push harder (as in ForceAtlas2), so that well-connected actors keep apart.
    degree = [0] * count
    for i, j in pairs:
        degree[i] += 1
        degree[j] += 1
    mass = [math.sqrt(1.0 + d) for d in degree]
    for _ in range(iterations):
        dx = [0.0] * count
        dy = [0.0] * count
        _repel_all(xs, ys, mass, k, dx, dy)
        _attract(xs, ys, k / strength, pairs, dx, dy)
        _gravity(xs, ys, k, dx, dy)
        for i in range(count):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0.0:
                step = min(length, temperature) / length
                xs[i] += dx[i] * step
                ys[i] += dy[i] * step
        temperature -= cooling
    return xs, ys


def _row_below(
    nodes: list[Hashable], taken: list[tuple[float, float]], spacing: float
) -> dict[Hashable, tuple[float, float]]:
    """Nodes in rows under the ``taken`` positions, centred, ``spacing`` apart."""
    if not nodes:
        return {}
    left = min((x for x, _ in taken), default=0.0)
    right = max((x for x, _ in taken), default=0.0)
    top = max((y for _, y in taken), default=-spacing) + spacing
    per_row = max(1, int((right - left) // spacing) + 1, math.ceil(math.sqrt(len(nodes))))
    positions = {}
    for n, node in enumerate(nodes):
        row, column = divmod(n, per_row)
        in_row = min(per_row, len(nodes) - row * per_row)
        x = (left + right) / 2 + (column - (in_row - 1) / 2) * spacing
        positions[node] = (x, top + row * spacing)
    return positions


def _repel_all(xs: list[float], ys: list[float], mass: list[float], k: float, dx: list[float], dy: list[float]) -> None:
    k2 = k * k
    count = len(xs)
    for i in range(count):
        xi, yi, mi = xs[i], ys[i], mass[i]
        for j in range(i + 1, count):
            ddx, ddy = xi - xs[j], yi - ys[j]
            d2 = ddx * ddx + ddy * ddy
            if d2 < 1e-12:
                ddx, ddy, d2 = 1e-6, 0.0, 1e-12
            force = k2 * mi * mass[j] / d2
            dx[i] += ddx * force
            dy[i] += ddy * force
            dx[j] -= ddx * force
            dy[j] -= ddy * force


def _attract(
    xs: list[float], ys: list[float], k: float, pairs: list[tuple[int, int]], dx: list[float], dy: list[float]
) -> None:
    for i, j in pairs:
        ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
        pull = math.sqrt(ddx * ddx + ddy * ddy) / k
        dx[i] -= ddx * pull
        dy[i] -= ddy * pull
        dx[j] += ddx * pull
        dy[j] += ddy * pull


def _gravity(xs: list[float], ys: list[float], k: float, dx: list[float], dy: list[float]) -> None:
    """A weak pull to the centre, so that unconnected actors stay in view."""
    count = len(xs)
    cx, cy = sum(xs) / count, sum(ys) / count
    for i in range(count):
        dx[i] -= (xs[i] - cx) * k
        dy[i] -= (ys[i] - cy) * k


def _round(value: float) -> float:
    rounded = round(value, 1)
    return 0.0 if rounded == 0 else rounded  # no "-0.0" in the page
