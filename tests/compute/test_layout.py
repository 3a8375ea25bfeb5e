"""Tests for analysis.compute.layout: seeded positions, isolated associations on a ring, drawable edge segments."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analysis.compute import layout


def test_graph_layout_puts_isolated_associations_on_a_ring_and_is_seeded():
    graph = nx.Graph([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")])
    graph.add_nodes_from(["X", "Y"])
    first = layout.graph_layout(graph, seed=7)
    second = layout.graph_layout(graph, seed=7)
    pd.testing.assert_frame_equal(first, second)
    assert sorted(first["id"]) == ["A", "B", "C", "D", "X", "Y"]
    pos = first.set_index("id")
    radius = (pos["x"] ** 2 + pos["y"] ** 2) ** 0.5
    # the connected part is scaled to [-1, 1] around its centre; isolates sit on a ring of 1.25 outside it
    assert radius[["X", "Y"]].to_numpy() == pytest.approx([layout.ISOLATED_RING_RADIUS] * 2)
    assert (pos.loc[["A", "B", "C", "D"], ["x", "y"]].abs().to_numpy() <= 1.0 + 1e-9).all()
    # another seed gives other positions for the connected part
    other = layout.graph_layout(graph, seed=8).set_index("id")
    assert not (other.loc[["A", "B", "C", "D"]].to_numpy() == pos.loc[["A", "B", "C", "D"]].to_numpy()).all()
    assert layout.graph_layout(nx.Graph()).empty


def test_edge_segments_only_between_drawn_nodes():
    positions = pd.DataFrame({"id": ["a", "b", "c"], "x": [0.0, 1.0, 2.0], "y": [0.0, 0.5, 1.0]})
    edges = pd.DataFrame({"u": ["a", "b", "c"], "v": ["b", "c", "z"]})
    segments = layout.edge_segments(positions, edges)
    assert list(segments.columns) == list(layout.SEGMENT_COLUMNS)
    assert segments[["u", "v"]].values.tolist() == [["a", "b"], ["b", "c"]]   # c-z: z is not drawn
    assert segments[["x0", "y0", "x1", "y1"]].values.tolist() == [[0.0, 0.0, 1.0, 0.5], [1.0, 0.5, 2.0, 1.0]]
    assert layout.edge_segments(positions.iloc[:1], edges).empty
