"""layout.py's spring embedder for graphs of more than a hundred nodes, in numpy, array by array.

Up to :data:`GRID_LIMIT` nodes the forces are layout.py's: pairs closer than two ideal edge
lengths repel (Fruchterman and Reingold's grid). Crowded graphs make that quadratic, so
above it each node is instead pushed down the gradient of the nodes' density, spread on a
grid of the same cells (a particle–mesh method, as in OpenOrd): the same cost per node,
however crowded. Springs along the edges and the pull to the centre are the same in both.

Only elementwise arithmetic (correctly rounded under IEEE 754), sums in a fixed order
(numpy.bincount adds its weights one by one) and math.fsum are used, so the positions are
the same on every machine, as layout.py promises.
"""

from __future__ import annotations

import math

import numpy as np

GRID_LIMIT = 2_000
"""Up to this many nodes, nearby pairs repel; above, nodes are pushed out of crowded cells."""

PUSH = 1.0
"""How hard a node is pushed by a difference of one unit of mass between the cells on its two sides."""


def spring(
    xs: list[float], ys: list[float], pairs: list[tuple[int, int]], iterations: int
) -> tuple[list[float], list[float]]:
    """Fruchterman–Reingold from the start positions ``xs``, ``ys`` (in the unit square) for nodes joined by ``pairs``.

    >>> xs, ys = spring([0.1, 0.9, 0.5], [0.1, 0.9, 0.2], [(0, 1)], 20)
    >>> math.dist((xs[0], ys[0]), (xs[1], ys[1])) < math.dist((0.1, 0.1), (0.9, 0.9))
    True
    """
    count = len(xs)
    x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
    first = np.array([i for i, _ in pairs], dtype=np.int64)
    second = np.array([j for _, j in pairs], dtype=np.int64)
    k = math.sqrt(1.0 / count)
    # as in layout.py: weaker springs in denser graphs, and hubs that push harder
    spring_length = k / min(1.0, 2.0 * count / len(pairs))
    mass = np.sqrt(1.0 + np.bincount(np.concatenate([first, second]), minlength=count))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    repel = _repel_near if count <= GRID_LIMIT else _push_from_crowds
    for _ in range(iterations):
        dx, dy = repel(x, y, mass, k)
        ddx, ddy = x[first] - x[second], y[first] - y[second]
        pull = np.sqrt(ddx * ddx + ddy * ddy) / spring_length
        ddx, ddy = ddx * pull, ddy * pull
        dx -= np.bincount(first, ddx, count) - np.bincount(second, ddx, count)
        dy -= np.bincount(first, ddy, count) - np.bincount(second, ddy, count)
        cx, cy = math.fsum(x.tolist()) / count, math.fsum(y.tolist()) / count
        dx -= (x - cx) * k
        dy -= (y - cy) * k
        length = np.sqrt(dx * dx + dy * dy)
        step = np.minimum(length, temperature) / np.where(length > 0.0, length, 1.0)
        x += dx * step
        y += dy * step
        temperature -= cooling
    return x.tolist(), y.tolist()


def _repel_near(x: np.ndarray, y: np.ndarray, mass: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair closer than 2k pushes apart with k² m m / d, found through a grid of 2k cells."""
    reach = (2.0 * k) ** 2
    first, second = _near_pairs(x, y, 2.0 * k)
    ddx, ddy = x[first] - x[second], y[first] - y[second]
    d2 = ddx * ddx + ddy * ddy
    near = d2 < reach
    first, second, ddx, ddy, d2 = first[near], second[near], ddx[near], ddy[near], d2[near]
    together = d2 < 1e-12  # on top of each other: pushed apart along x, as layout.py does
    ddx, ddy, d2 = np.where(together, 1e-6, ddx), np.where(together, 0.0, ddy), np.where(together, 1e-12, d2)
    force = k * k * mass[first] * mass[second] / d2
    ddx, ddy = ddx * force, ddy * force
    count = len(x)
    return (
        np.bincount(first, ddx, count) - np.bincount(second, ddx, count),
        np.bincount(first, ddy, count) - np.bincount(second, ddy, count),
    )


def _near_pairs(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Each pair of nodes in the same cell or in neighbouring cells, once."""
    gx, gy = np.floor(x / cell).astype(np.int64), np.floor(y / cell).astype(np.int64)
    gx, gy = gx - gx.min() + 1, gy - gy.min() + 1
    height = int(gy.max()) + 2
    order = np.argsort(gx * height + gy, kind="stable")
    cells, starts, sizes = np.unique((gx * height + gy)[order], return_index=True, return_counts=True)
    found_first, found_second = [], []
    for ox, oy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # this cell and the four after it
        target = cells + ox * height + oy
        where = np.minimum(np.searchsorted(cells, target), len(cells) - 1)
        here = np.flatnonzero(cells[where] == target)
        there = where[here]
        products = sizes[here] * sizes[there]
        which = np.repeat(np.arange(len(here)), products)
        local = np.arange(int(products.sum())) - np.repeat(np.cumsum(products) - products, products)
        a, b = local // sizes[there][which], local % sizes[there][which]
        if ox == oy == 0:
            keep = a < b
            which, a, b = which[keep], a[keep], b[keep]
        found_first.append(order[starts[here][which] + a])
        found_second.append(order[starts[there][which] + b])
    return np.concatenate(found_first), np.concatenate(found_second)


def _push_from_crowds(x: np.ndarray, y: np.ndarray, mass: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Each node pushed down the gradient of the nodes' mass per cell of 2k (cloud-in-cell, bilinear)."""
    cell = 2.0 * k
    half = math.isqrt(len(x)) + 4  # cells each side of the centre; the drawing spans far fewer
    cx, cy = math.fsum(x.tolist()) / len(x), math.fsum(y.tolist()) / len(x)
    gx = np.clip((x - cx) / cell + half, 1.0, 2 * half - 1.0)
    gy = np.clip((y - cy) / cell + half, 1.0, 2 * half - 1.0)
    ix, iy = np.floor(gx).astype(np.int64), np.floor(gy).astype(np.int64)
    tx, ty = gx - ix, gy - iy
    corners = ((0, 0, (1 - tx) * (1 - ty)), (1, 0, tx * (1 - ty)), (0, 1, (1 - tx) * ty), (1, 1, tx * ty))
    side = 2 * half + 1
    density = np.zeros(side * side)
    for ox, oy, share in corners:
        density += np.bincount((ix + ox) * side + iy + oy, mass * share, side * side)
    density = density.reshape(side, side)
    slope_x, slope_y = np.zeros_like(density), np.zeros_like(density)
    slope_x[1:-1, :] = (density[2:, :] - density[:-2, :]) * 0.5
    slope_y[:, 1:-1] = (density[:, 2:] - density[:, :-2]) * 0.5
    dx, dy = np.zeros(len(x)), np.zeros(len(x))
    for ox, oy, share in corners:
        dx -= slope_x[ix + ox, iy + oy] * share
        dy -= slope_y[ix + ox, iy + oy] * share
    return PUSH * mass * dx, PUSH * mass * dy
