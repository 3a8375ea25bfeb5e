"""Tests for analysis.render.interchange: GEXF and GraphML read back typed, the GeoPackage in RD New, the demo marker."""

from __future__ import annotations

import io
import math

import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest

from analysis.compute import indicators
from analysis.render import interchange
from tests.render.exportdata import FORMULA, WIJKEN, YEAR, make_dataset


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)



def _node_attrs(graph: nx.Graph) -> dict:
    return {str(n): {k: v for k, v in d.items() if k != "id"} for n, d in graph.nodes(data=True)}


def test_network_graph_attributes_are_typed_and_complete(ds):
    graph = interchange.network_graph(ds, YEAR)
    assert set(graph.nodes) == {"a1", "a2", "a3", "a4"}
    assert {frozenset(e) for e in graph.edges} == {frozenset({"a1", "a2"}), frozenset({"a1", "a3"}),
                                                   frozenset({"a2", "a3"})}
    a1 = graph.nodes["a1"]
    assert a1["naam"] == "Voetbalclub" and a1["graad"] == 2 and a1["leden"] == 120.0
    assert a1["gewogen_graad"] == 3.0                      # ties of weight 2 and 1
    assert graph.nodes["a4"]["graad"] == 0 and graph.nodes["a4"]["betweenness"] == 0.0
    assert "leden" not in graph.nodes["a3"]                # unknown: left out, never None
    assert graph.edges["a1", "a2"]["soorten"] == "leden" and graph.edges["a1", "a2"]["weight"] == 2.0
    for _, data in graph.nodes(data=True):
        assert all(v is not None for v in data.values())


def test_gexf_and_graphml_read_back_with_the_same_graph(ds):
    graph = interchange.network_graph(ds, YEAR)
    gexf = nx.read_gexf(io.BytesIO(interchange.network_gexf(ds, YEAR)))
    graphml = nx.read_graphml(io.BytesIO(interchange.network_graphml(ds, YEAR)))
    for back in (gexf, graphml):
        assert set(back.nodes) == set(graph.nodes)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
        for node, data in graph.nodes(data=True):
            got = back.nodes[node]
            for key, value in data.items():
                if key == "label" and back is gexf:
                    assert got["label"] == value
                    continue
                assert got[key] == value, (node, key)
                assert type(got[key]) is type(value), (node, key)
        for u, v, data in graph.edges(data=True):
            got = back.edges[u, v]
            assert got["weight"] == data["weight"] and got["soorten"] == data["soorten"]
            assert int(got["banden"]) == data["banden"]
    assert gexf.nodes["a2"]["naam"] == graphml.nodes["a2"]["naam"] == FORMULA


def test_geopackage_reads_back_in_rd_new(ds, table, tmp_path):
    path = interchange.areas_gpkg(ds, table, tmp_path / "gebieden.gpkg")
    import pyogrio

    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert set(layers) == {"buurten", "wijken", "gemeente"}
    wijken = gpd.read_file(path, layer="wijken")
    assert wijken.crs.to_epsg() == 28992
    assert sorted(wijken["gebiedscode"]) == sorted(WIJKEN)
    expected = table[(table["gebiedscode"] == "WK099901") & (table["jaar"] == YEAR)
                     & (table["indicator"] == "ontmoeting_dekking_pct")]["waarde"].iloc[0]
    got = wijken.set_index("gebiedscode").loc["WK099901", "ontmoeting_dekking_pct"]
    assert got == pytest.approx(expected, abs=1e-12)
    # A suppressed survey figure is empty in the wide layer.
    suppressed = table[(table["gebiedscode"] == "WK099903") & (table["jaar"] == YEAR)
                       & (table["indicator"] == "vrijwilliger_pct")]
    assert suppressed["onderdrukt"].iloc[0] == 1
    assert math.isnan(wijken.set_index("gebiedscode").loc["WK099903", "vrijwilliger_pct"])
    buurten = gpd.read_file(path, layer="buurten")
    assert len(buurten) == 6 and buurten.crs.to_epsg() == 28992
    assert buurten.geometry.area.sum() == pytest.approx(6 * 1_000_000)


# ----------------------------------------------------------------------------------------------


def test_demo_exports_say_they_are_fictional(ds, table, tmp_path):
    graph = interchange.network_graph(ds, YEAR)
    assert graph.graph["fictief"] == "ja" and graph.graph["naam"].startswith("FICTIEF")
    graphml = nx.read_graphml(io.BytesIO(interchange.network_graphml(ds, YEAR)))
    assert graphml.graph["fictief"] == "ja"
    assert b"FICTIEF" in interchange.network_gexf(ds, YEAR)
    wijken = gpd.read_file(interchange.areas_gpkg(ds, table, tmp_path / "demo.gpkg"), layer="wijken")
    assert set(wijken["fictief"]) == {"ja"}
    real = make_dataset(is_demo=False)
    assert "fictief" not in interchange.network_graph(real, YEAR).graph
    assert "fictief" not in gpd.read_file(interchange.areas_gpkg(real, table, tmp_path / "echt.gpkg"),
                                          layer="wijken").columns
