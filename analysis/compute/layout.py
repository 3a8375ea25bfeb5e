"""Drawing positions of the association network: a seeded spring layout with isolated associations on a ring."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

#: Radius of the ring of isolated associations, just outside the connected part (scaled to [-1, 1]).
ISOLATED_RING_RADIUS = 1.25
#: Spring-layout iterations; a large graph gets fewer (the layout is for the eye, not a measure).
SPRING_ITERATIONS = 60
SPRING_ITERATIONS_LARGE = 40
#: Above this many connected associations the layout uses :data:`SPRING_ITERATIONS_LARGE`.
LARGE_GRAPH_NODES = 1500

#: Columns of :func:`edge_segments`.
SEGMENT_COLUMNS: tuple[str, ...] = ("u", "v", "x0", "y0", "x1", "y1")


def graph_layout(graph: nx.Graph, seed: int = 42) -> pd.DataFrame:
    """Node positions for drawing: a seeded spring layout, with isolated associations on a ring.

    A spring layout pushes nodes without ties far away, which squeezes the connected part into
    the middle of the picture. Isolated associations are therefore placed evenly on a circle
    just outside the connected part.

    Parameters
    ----------
    graph : networkx.Graph
        The association graph (:func:`analysis.compute.network.year_graph`).
    seed : int
        Seed of the spring layout (the same graph and seed give the same positions).

    Returns
    -------
    pandas.DataFrame
        ``id`` (string), ``x``, ``y`` (unitless, about -1.3 to 1.3), one row per node.
    """
    isolated = [n for n in graph.nodes if graph.degree(n) == 0]
    connected = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    ids: list = []
    parts: list[np.ndarray] = []
    if connected.number_of_nodes():
        n = connected.number_of_nodes()
        iterations = SPRING_ITERATIONS_LARGE if n > LARGE_GRAPH_NODES else SPRING_ITERATIONS
        pos = nx.spring_layout(connected, seed=seed, k=1.5 / np.sqrt(n), iterations=iterations)
        ids += list(pos)
        xy = np.array([pos[i] for i in pos], dtype=float)
        xy -= xy.mean(axis=0)
        scale = np.abs(xy).max() if len(xy) > 1 else 1.0
        parts.append(xy / (scale if scale > 0 else 1.0))
    if isolated:
        angle = 2.0 * np.pi * np.arange(len(isolated)) / len(isolated)
        radius = ISOLATED_RING_RADIUS if connected.number_of_nodes() else 1.0
        ids += isolated
        parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    xy = np.vstack(parts) if parts else np.empty((0, 2))
    return pd.DataFrame({"id": pd.array([str(i) for i in ids], dtype="string"), "x": xy[:, 0], "y": xy[:, 1]})


def edge_segments(positions: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """The line segments of the edges whose two ends are both drawn.

    Parameters
    ----------
    positions : pandas.DataFrame
        ``id, x, y`` of the drawn nodes (a selection of :func:`graph_layout`).
    edges : pandas.DataFrame
        Edges with ``u, v`` (node ids).

    Returns
    -------
    pandas.DataFrame
        :data:`SEGMENT_COLUMNS`, one row per edge with both ends in ``positions``.
    """
    pos = positions.assign(id=positions["id"].astype("string")).drop_duplicates("id").set_index("id")
    u = edges["u"].astype("string")
    v = edges["v"].astype("string")
    keep = (u.isin(pos.index) & v.isin(pos.index)).to_numpy(bool)
    u, v = u[keep], v[keep]
    return pd.DataFrame({
        "u": u.to_numpy(), "v": v.to_numpy(),
        "x0": pos["x"].reindex(u).to_numpy(float), "y0": pos["y"].reindex(u).to_numpy(float),
        "x1": pos["x"].reindex(v).to_numpy(float), "y1": pos["y"].reindex(v).to_numpy(float),
    }, columns=list(SEGMENT_COLUMNS))
