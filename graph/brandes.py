"""Brandes's betweenness, vectorised: breadth-first searches from many sources at once, as sparse-matrix products.

The same sums as networkx.betweenness_centrality on unweighted ties (to rounding), in
numpy rather than Python loops: a search from each source counts the shortest paths level
by level, then hands the dependencies back level by level (Brandes, "A faster algorithm
for betweenness centrality", 2001).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_array

BATCH_CELLS = 2_000_000
"""Searches run in batches of at most this many actor × source cells, to bound memory (16 MB an array)."""


def dependencies(count: int, edges: list[tuple[int, int]], sources: list[int]) -> np.ndarray:
    """For each of ``count`` actors, its dependency summed over ``sources``: unnormalised betweenness.

    ``edges`` are undirected ties between actor numbers. With every actor as a source this is
    twice the betweenness of each actor over unordered pairs.

    >>> dependencies(3, [(0, 1), (1, 2)], [0, 1, 2]).tolist()
    [0.0, 2.0, 0.0]
    """
    total = np.zeros(count)
    if not edges or not sources:
        return total
    u, v = np.array(edges, dtype=np.int64).T
    ones = np.ones(2 * len(edges))
    adjacency = csr_array((ones, (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(count, count))
    batch = max(1, BATCH_CELLS // count)
    for first in range(0, len(sources), batch):
        total += _batch(adjacency, np.asarray(sources[first : first + batch]))
    return total


def _batch(adjacency: csr_array, sources: np.ndarray) -> np.ndarray:
    count, columns = adjacency.shape[0], np.arange(len(sources))
    sigma = np.zeros((count, len(sources)))
    sigma[sources, columns] = 1.0
    depth = np.full((count, len(sources)), -1, dtype=np.int32)
    depth[sources, columns] = 0
    frontier, level = sigma.copy(), 0
    while True:  # forward: shortest-path counts, one level at a time
        reach = adjacency @ frontier
        new = (reach > 0) & (depth < 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        frontier = np.where(new, reach, 0.0)
        sigma += frontier
    delta = np.zeros_like(sigma)
    safe = np.where(sigma > 0, sigma, 1.0)
    for deepest in range(level, 1, -1):  # backward: each level hands its dependency to the one before
        share = np.where(depth == deepest, (1.0 + delta) / safe, 0.0)
        delta += np.where(depth == deepest - 1, sigma * (adjacency @ share), 0.0)
    return delta.sum(axis=1)
