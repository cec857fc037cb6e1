"""Semi-synchronous label propagation (Cordasco and Gargano, 2010), as networkx computes it, in numpy.

networkx.community.label_propagation_communities colours the graph greedily (largest
degree first), then, colour by colour, gives each actor the label most frequent among its
neighbours (keeping its own label when that is among the most frequent, else taking the
largest), until every actor has a most frequent label. Actors of one colour are never
neighbours, so each colour's actors are updated at once here, with array operations; the
communities are the same as networkx's.
"""

from __future__ import annotations

import networkx as nx
import numpy as np


def label_propagation(graph: nx.Graph) -> list[set[str]]:
    """The communities of networkx.community.label_propagation_communities, in the order of their labels.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> sorted(sorted(group) for group in label_propagation(g))
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [[index[other] for other in graph.adj[node] if other != node] for node in nodes]
    degree = np.array([len(near) for near in adjacency], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(degree)]).astype(np.int64)
    neighbours = np.fromiter((j for near in adjacency for j in near), dtype=np.int64, count=int(starts[-1]))
    classes = [np.array(members, dtype=np.int64) for members in _greedy_colours(adjacency, degree)]
    everyone = np.flatnonzero(degree > 0)
    labels = np.arange(len(nodes))
    while True:
        keep, _ = _most_frequent(everyone, labels, starts, neighbours)
        if keep.all():
            break
        for members in classes:
            members = members[degree[members] > 0]
            if len(members):
                keep, largest = _most_frequent(members, labels, starts, neighbours)
                labels[members] = np.where(keep, labels[members], largest)
    groups: dict[int, set[str]] = {}
    for node, label in zip(nodes, labels.tolist(), strict=True):
        groups.setdefault(label, set()).add(node)
    return [groups[label] for label in sorted(groups)]


def _greedy_colours(adjacency: list[list[int]], degree: np.ndarray) -> list[list[int]]:
    """networkx.coloring.greedy_color's largest-first colouring: the actors of each colour, colour by colour."""
    colour = [-1] * len(adjacency)
    classes: list[list[int]] = []
    for node in sorted(range(len(adjacency)), key=lambda i: int(degree[i]), reverse=True):
        used = {colour[other] for other in adjacency[node]}
        chosen = 0
        while chosen in used:
            chosen += 1
        colour[node] = chosen
        if chosen == len(classes):
            classes.append([])
        classes[chosen].append(node)
    return classes


def _most_frequent(
    members: np.ndarray, labels: np.ndarray, starts: np.ndarray, neighbours: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each member (all with neighbours): whether its label is among its neighbours' most frequent, and the
    largest of those."""
    counts = starts[members + 1] - starts[members]
    owner = np.repeat(np.arange(len(members)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    around = labels[neighbours[np.repeat(starts[members], counts) + offsets]]
    keys, frequency = np.unique(owner * len(labels) + around, return_counts=True)
    owner, label = keys // len(labels), keys % len(labels)
    first = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
    top = np.maximum.reduceat(frequency, first)
    best = frequency == np.repeat(top, np.diff(np.append(first, len(owner))))
    keep = np.zeros(len(members), dtype=bool)
    keep[owner[best & (label == labels[members][owner])]] = True
    largest = np.maximum.reduceat(np.where(best, label, -1), first)
    return keep, largest
