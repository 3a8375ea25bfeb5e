"""Tests for analysis.compute.betweenness: both computation paths reproduce networkx, exact and sampled."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.compute import betweenness


@pytest.mark.parametrize("python_cost", [0.0, 1e12])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(3, 30), p=st.floats(0.05, 0.5), graph_seed=st.integers(0, 10_000),
       k=st.one_of(st.none(), st.integers(2, 10)))
def test_betweenness_paths_equal_networkx(monkeypatch, python_cost, n, p, graph_seed, k):
    """Both the compiled block method and the networkx fall-back reproduce networkx exactly."""
    monkeypatch.setattr(betweenness, "_PYTHON_COST_FACTOR", python_cost)
    graph = nx.relabel_nodes(nx.gnp_random_graph(n, p, seed=graph_seed), lambda i: f"v{i:02d}")
    got = betweenness.betweenness_centrality(graph, k, seed=11)
    reference = nx.betweenness_centrality(graph, k=None if k is None or k >= n else k, seed=11)
    assert set(got) == set(reference)
    for node in reference:
        if math.isnan(reference[node]):
            assert math.isnan(got[node])
        else:
            assert got[node] == pytest.approx(reference[node], abs=1e-9)


def test_star_and_tiny_graphs_by_hand():
    # a star: the centre lies on the only path between each of the 3 pairs of leaves
    star = nx.star_graph(3)
    assert betweenness.betweenness_centrality(star, None, seed=1) == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}
    pair = nx.Graph([("a", "b")])
    assert betweenness.betweenness_centrality(pair, None, seed=1) == {"a": 0.0, "b": 0.0}
    empty = nx.empty_graph(["x", "y", "z"])
    assert betweenness.betweenness_centrality(empty, 2, seed=1) == {"x": 0.0, "y": 0.0, "z": 0.0}
