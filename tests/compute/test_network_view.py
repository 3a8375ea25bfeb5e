"""Tests for analysis.compute.network_view: the Netwerk page's data, and one graph for page, export and per-area figures."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from analysis.compute import network, network_view
from analysis.params import IndicatorParams
from analysis.render import interchange
from tests.compute.test_network import W1, W2, dataset, graph_2025, undated_dataset


def _edge_set(edges) -> set[frozenset[str]]:
    return {frozenset((str(u), str(v))) for u, v in edges}


def _per_area(ds, year: int) -> pd.Series:
    table = network.network_indicators(ds, [year])
    rows = table[(table["niveau"] == "gemeente") & (table["jaar"] == year)]
    return rows.set_index("indicator")["waarde"]


@pytest.mark.parametrize("make", [dataset, undated_dataset], ids=["met jaar", "deels zonder jaar"])
def test_page_export_and_per_area_figures_use_the_same_graph(make):
    ds = make()
    view = network_view.network_view(ds, 2025)
    exported = interchange.network_graph(ds, 2025)
    active = [n for n, d in exported.nodes(data=True) if d["actief"]]
    # the same active associations on the page, in the export and in the per-area figures
    assert sorted(view.associations["id"]) == sorted(active) == list("ABCDEFGH")
    figures = _per_area(ds, 2025)
    assert figures["verenigingen_aantal"] == len(view.associations)
    assert figures["geisoleerde_verenigingen"] == network_view.network_summary(view.associations)["zonder_band"] == 1
    # the same ties
    assert _edge_set(zip(view.edges["u"], view.edges["v"])) == _edge_set(exported.edges) == _edge_set(graph_2025().edges)
    # the inactive association is in the export only, flagged, without ties or metrics
    assert exported.nodes["I"]["actief"] is False and exported.degree("I") == 0
    assert "graad" not in exported.nodes["I"] and view.inactive == 1
    # the same metrics
    metrics = view.associations.set_index("id")
    for node in active:
        assert exported.nodes[node]["betweenness"] == pytest.approx(metrics.loc[node, "betweenness"])
        assert exported.nodes[node]["gemeenschap"] == metrics.loc[node, "gemeenschap"]


def test_view_of_the_fixture_by_hand():
    view = network_view.network_view(dataset(), 2025)
    table = view.associations
    assert list(table.columns) == list(network_view.VIEW_COLUMNS)
    # sorted by betweenness: D (9/21), then C and E (8/21, degree 3, by name: Cultuurhuis, Eetclub)
    assert table["id"].tolist()[:3] == ["D", "C", "E"]
    assert table.set_index("id").loc["A", "wijk"] == W1     # wijken are named by their code in the fixture
    assert table[["x", "y"]].notna().all().all()
    assert view.density == pytest.approx(8 / 28)
    assert view.betweenness_method == "exact"
    # bridging per wijk: lowest share first (W1 20% before W2 25%), with the wijk's name
    assert view.bridging["gebiedscode"].tolist() == [W1, W2]
    assert view.bridging["wijk"].tolist() == [W1, W2]
    # the seed of the parameters drives the layout
    moved = network_view.network_view(dataset(), 2025, IndicatorParams(seed=1)).associations.set_index("id")
    assert not (moved.loc[table["id"], ["x", "y"]].to_numpy() == table[["x", "y"]].to_numpy()).all()
    empty = network_view.network_view(dataset(), 2024)
    assert empty.associations.empty and math.isnan(empty.density) and empty.bridging.empty


def test_selection_and_summary():
    table = network_view.network_view(dataset(), 2025).associations
    w1 = network_view.select_associations(table, wijken=[W1])
    assert sorted(w1["id"]) == list("ABCDH")
    sport = network_view.select_associations(table, wijken=[W1], soorten=["sport"])
    assert sorted(sport["id"]) == ["A", "B", "D", "H"]
    assert len(network_view.select_associations(table)) == 8          # no choice: all
    summary = network_view.network_summary(w1)
    assert summary == {"verenigingen": 5, "met_band": 4, "zonder_band": 1,
                       "gemeenschappen": w1["gemeenschap"].nunique()}


def test_demo_page_export_and_per_area_agree(demo_dataset):
    ds = demo_dataset
    for year in network.network_years(ds):
        view = network_view.network_view(ds, year)
        exported = interchange.network_graph(ds, year)
        active = {n for n, d in exported.nodes(data=True) if d["actief"]}
        inactive = {n for n, d in exported.nodes(data=True) if not d["actief"]}
        assert set(view.associations["id"]) == active
        assert len(inactive) == view.inactive
        assert _edge_set(zip(view.edges["u"], view.edges["v"])) == _edge_set(exported.edges)
        assert all(exported.degree(n) == 0 for n in inactive)
        figures = _per_area(ds, year)
        assert figures["verenigingen_aantal"] == len(active)
        assert figures["geisoleerde_verenigingen"] == sum(1 for n in active if exported.degree(n) == 0)
        assert nx.density(exported.subgraph(active)) == pytest.approx(view.density)
