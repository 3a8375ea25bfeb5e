"""Tests for analysis.compute.network: the graph of a year, association metrics and per-area network indicators."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis import model
from analysis.compute import network
from analysis.params import IndicatorParams

GM = "GM9999"
W1, W2 = "WK999901", "WK999902"
B1, B2, B3 = "BU99990101", "BU99990102", "BU99990201"
WIJK_OF = {B1: W1, B2: W1, B3: W2}


# ----------------------------------------------------------------------------------------------
# The hand-built fixture
#
#   B1 (W1): A, B, C        B2 (W1): D, H        B3 (W2): E, F, G, I (inactive)
#
#        A           F
#       / \         / \          ties 2025: A-B (twice: gewicht 2 and 3, once written B-A),
#      B - C - D - E - G                    A-C, B-C, C-D, D-E, E-F, E-G, F-G (gewicht empty -> 1),
#                                          H-I (H's only tie is to the inactive I)
#   H - I
#
#   ignored everywhere: A-X (unknown id), A-A (self-loop), A-H in 2023 (other year),
#                       C-J in 2025 (J only exists in 2023), H-I (I is not active), so H is isolated
# ----------------------------------------------------------------------------------------------

ASSOC_ROWS = [
    # id, naam, soort, leden, actief, jaar, buurtcode
    ("A", "Zangkoor", "sport", 10, True, 2025, B1),
    ("B", "Atletiek", "sport", 20, True, 2025, B1),
    ("C", "Cultuurhuis", "cultuur", np.nan, True, 2025, B1),
    ("D", "Dansclub", "sport", 5, True, 2025, B2),
    ("H", "Hobbyclub", "sport", 15, True, 2025, B2),
    ("E", "Eetclub", "cultuur", 30, True, 2025, B3),
    ("F", "Fanfare", "cultuur", np.nan, True, 2025, B3),
    ("G", "Golfclub", "sport", 10, True, 2025, B3),
    ("I", "Inactief", None, 100, False, 2025, B3),
    ("A", "Zangkoor", "sport", 8, True, 2023, B1),
    ("J", "Jeugdclub", "sport", 12, True, 2023, B2),
]

TIE_ROWS = [
    # van, naar, soort, gewicht, jaar
    ("A", "B", "gedeelde_leden", 2.0, 2025),
    ("B", "A", "samenwerking", 3.0, 2025),
    ("A", "C", "samenwerking", 1.0, 2025),
    ("B", "C", "samenwerking", 1.0, 2025),
    ("C", "D", "gedeeld_bestuur", 1.0, 2025),
    ("D", "E", "samenwerking", 1.0, 2025),
    ("E", "F", "samenwerking", 1.0, 2025),
    ("E", "G", "samenwerking", np.nan, 2025),
    ("F", "G", "samenwerking", 1.0, 2025),
    ("H", "I", "gedeelde_locatie", 1.0, 2025),
    ("A", "X", "samenwerking", 1.0, 2025),
    ("A", "A", "samenwerking", 1.0, 2025),
    ("A", "H", "samenwerking", 1.0, 2023),
    ("C", "J", "samenwerking", 1.0, 2025),
]


def associations() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(ASSOC_ROWS, columns=["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode"])
    frame["id"] = frame["id"].astype("string")
    frame["wijkcode"] = frame["buurtcode"].map(WIJK_OF)
    frame["jaar"] = frame["jaar"].astype(int)
    frame["actief"] = frame["actief"].astype(bool)
    frame["leden"] = frame["leden"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=[Point(i, 0) for i in range(len(frame))], crs=model.CRS_RD)


def ties() -> pd.DataFrame:
    frame = pd.DataFrame(TIE_ROWS, columns=list(model.TIE_COLUMNS))
    frame["van"] = frame["van"].astype("string")
    frame["naar"] = frame["naar"].astype("string")
    return frame


def year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["jaar"] == year]


def graph_2025() -> nx.Graph:
    return network.build_graph(year_rows(associations(), 2025), year_rows(ties(), 2025))


def area_frame(rows: list[tuple[str, str, float]], level: str) -> gpd.GeoDataFrame:
    """Areas with code, parent wijk and inhabitants (geometry is irrelevant for the network)."""
    records = []
    for code, wijk, inwoners in rows:
        record = dict.fromkeys(model.AREA_COLUMNS, np.nan)
        record.update(gebiedscode=code, gebiedsnaam=code, niveau=level, wijkcode=wijk,
                      gemeentecode=GM, inwoners=inwoners)
        records.append(record)
    frame = pd.DataFrame(records)
    return gpd.GeoDataFrame(frame, geometry=[box(i, 0, i + 1, 1) for i in range(len(frame))],
                            crs=model.CRS_RD)


def dataset(assoc: pd.DataFrame | None = None, tie_frame: pd.DataFrame | None = None,
            buurten: gpd.GeoDataFrame | None = None) -> model.Dataset:
    return model.Dataset(
        name="Test", year=2025, gemeente_code=GM,
        buurten=area_frame([(B1, W1, 1000), (B2, W1, 2000), (B3, W2, 4000)], "buurt") if buurten is None
        else buurten,
        wijken=area_frame([(W1, W1, 3000), (W2, W2, 4000)], "wijk"),
        gemeente=area_frame([(GM, None, 7000)], "gemeente"),
        facilities=model.empty_frame(model.FACILITY_COLUMNS, geometry=True),
        associations=associations() if assoc is None else assoc,
        ties=ties() if tie_frame is None else tie_frame,
        respondents=model.empty_frame(model.RESPONDENT_COLUMNS),
        codebook={},
        area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS),
        digital=model.empty_frame(model.DIGITAL_COLUMNS),
    )


def value(table: pd.DataFrame, code: str, indicator: str, year: int = 2025) -> float:
    hit = table[(table["gebiedscode"] == code) & (table["indicator"] == indicator) & (table["jaar"] == year)]
    assert len(hit) == 1, (code, indicator, year, len(hit))
    return float(hit["waarde"].iloc[0])


def buurt_table(ds: model.Dataset | None = None, year: int = 2025, level: str = "buurt") -> pd.DataFrame:
    ds = ds or dataset()
    return network.area_network_table(network.year_graph(ds, year), ds.areas(level), level, year)


# ----------------------------------------------------------------------------------------------
# Graph
# ----------------------------------------------------------------------------------------------

def test_graph_nodes_edges_and_ignored_ties():
    graph = graph_2025()
    assert sorted(graph.nodes) == list("ABCDEFGH")
    expected = {("A", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "F"), ("E", "G"), ("F", "G")}
    assert {tuple(sorted(e)) for e in graph.edges} == expected
    # unknown id X, self-loop, the 2023 tie, the tie to J (only in 2023) and the tie to the inactive I are gone
    assert "X" not in graph and "J" not in graph and "I" not in graph
    assert not graph.has_edge("A", "H")
    assert nx.number_of_selfloops(graph) == 0
    assert graph.degree("H") == 0


def test_inactive_associations_only_as_flagged_nodes_without_ties():
    full = network.build_graph(year_rows(associations(), 2025), year_rows(ties(), 2025), include_inactive=True)
    assert sorted(full.nodes) == list("ABCDEFGHI")
    assert full.nodes["I"]["actief"] is False and full.degree("I") == 0
    assert all(full.nodes[n]["actief"] is True for n in "ABCDEFGH")
    # the active part is exactly the graph without them, in the same node and edge order
    active = network.active_graph(full)
    assert list(active.nodes) == list(graph_2025().nodes)
    assert list(active.edges) == list(graph_2025().edges)


def test_duplicate_ties_merged_weights_summed():
    graph = graph_2025()
    data = graph.edges["A", "B"]
    assert data["weight"] == 5.0          # 2 + 3, written once as A-B and once as B-A
    assert data["banden"] == 2
    assert data["soorten"] == ["gedeelde_leden", "samenwerking"]
    assert graph.edges["E", "G"]["weight"] == 1.0   # missing gewicht counts as 1


def test_node_attributes_from_latest_year_when_several_given():
    graph = network.build_graph(associations(), ties(), include_inactive=True)
    # A occurs in 2023 (8 leden) and 2025 (10 leden): the 2025 row gives the attributes
    assert graph.nodes["A"]["leden"] == 10
    assert graph.nodes["I"]["actief"] is False
    assert "soort" not in graph.nodes["I"]


def test_merged_edges_unknown_and_reversed():
    frame = pd.DataFrame({"van": ["b", "a", "a", "c", " "], "naar": ["a", "b", "z", "c", "a"],
                          "gewicht": [1.5, np.nan, 1.0, 1.0, 1.0]})
    edges = network.merged_edges(frame, ["a", "b", "c"])
    assert list(edges["u"]) == ["a"] and list(edges["v"]) == ["b"]
    assert edges["weight"].tolist() == [2.5] and edges["banden"].tolist() == [2]
    empty = network.merged_edges(frame.iloc[:0], ["a"])
    assert list(empty.columns) == ["u", "v", "weight", "soorten", "banden"] and len(empty) == 0


# ----------------------------------------------------------------------------------------------
# The one year rule
# ----------------------------------------------------------------------------------------------

def undated_dataset() -> model.Dataset:
    """The fixture with D, E and the ties D-E, E-F without a jaar: they belong to 2025 (the dataset's year) only."""
    assoc = associations()
    assoc["jaar"] = assoc["jaar"].astype(float)
    assoc.loc[assoc["id"].isin(["D", "E"]) & (assoc["jaar"] == 2025), "jaar"] = np.nan
    tie_frame = ties()
    tie_frame["jaar"] = tie_frame["jaar"].astype(float)
    tie_frame.loc[tie_frame["van"].isin(["D", "E"]) & tie_frame["naar"].isin(["E", "F"]), "jaar"] = np.nan
    return dataset(assoc=assoc, tie_frame=tie_frame)


def test_year_graph_follows_the_one_year_rule():
    ds = undated_dataset()
    now = network.year_graph(ds, 2025)
    assert sorted(now.nodes) == list("ABCDEFGH")
    assert now.has_edge("D", "E") and now.has_edge("E", "F")
    assert {tuple(sorted(e)) for e in now.edges} == {tuple(sorted(e)) for e in graph_2025().edges}
    assert now.graph == {"jaar": 2025, "gemeentecode": GM}
    # in 2023 an undated row is not there (it belongs to the dataset's own year only)
    before = network.year_graph(ds, 2023)
    assert sorted(before.nodes) == ["A", "J"] and before.number_of_edges() == 0
    assert network.network_years(ds) == [2023, 2025]
    # no jaar column at all: everything belongs to the dataset's year
    plain = dataset(assoc=associations().drop(columns="jaar").iloc[:9], tie_frame=ties().drop(columns="jaar"))
    assert network.network_years(plain) == [2025]
    assert sorted(network.year_graph(plain, 2025).nodes) == list("ABCDEFGH")
    assert network.year_graph(plain, 2023).number_of_nodes() == 0


def test_undated_rows_count_in_the_per_area_figures_of_their_year_only():
    table = network.network_indicators(undated_dataset())
    dated = network.network_indicators(dataset())
    pd.testing.assert_frame_equal(table, dated)


# ----------------------------------------------------------------------------------------------
# Association metrics
# ----------------------------------------------------------------------------------------------

def test_degree_weighted_degree_betweenness_by_hand():
    metrics = network.association_metrics(graph_2025()).set_index("id")
    assert list(metrics.columns) == list(network.METRIC_COLUMNS[1:])
    degree = {"A": 2, "B": 2, "C": 3, "D": 2, "E": 3, "F": 2, "G": 2, "H": 0}
    assert metrics["graad"].to_dict() == degree
    weighted = {"A": 6.0, "B": 6.0, "C": 3.0, "D": 2.0, "E": 3.0, "F": 2.0, "G": 2.0, "H": 0.0}
    assert metrics["gewogen_graad"].to_dict() == weighted
    # n = 8 nodes -> (n-1)(n-2)/2 = 21 unordered pairs of other nodes.
    # C lies on the only shortest paths between {A,B} and {D,E,F,G}: 8 pairs;
    # D between {A,B,C} and {E,F,G}: 9; E between {A,B,C,D} and {F,G}: 8; the others on none.
    pairs = 7 * 6 / 2
    expected = {"A": 0, "B": 0, "C": 8 / pairs, "D": 9 / pairs, "E": 8 / pairs, "F": 0, "G": 0, "H": 0}
    for node, bc in expected.items():
        assert metrics.loc[node, "betweenness"] == pytest.approx(bc, abs=1e-12), node
    assert metrics.attrs["betweenness_methode"] == "exact"


def test_betweenness_with_two_shortest_paths():
    # a square a-b-c-d-a plus a tail d-e: between b and d there are two shortest paths (via a, via c)
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("d", "e")])
    metrics = network.association_metrics(graph).set_index("id")
    # pairs of other nodes (n=5): 6.  a: half of b-d (0.5) + half of b-e (0.5) = 1.  c: the same = 1.
    # d: a-c (0.5), a-e (1), c-e (1), b-e (1) = 3.5.  b: a-c (0.5) = 0.5.  e: 0.
    expected = {"a": 1 / 6, "b": 0.5 / 6, "c": 1 / 6, "d": 3.5 / 6, "e": 0.0}
    for node, bc in expected.items():
        assert metrics.loc[node, "betweenness"] == pytest.approx(bc, abs=1e-12), node


def test_louvain_communities_reproducible_and_numbered_by_size():
    # two 4-cliques joined by one tie, a separate triangle and an isolated association
    graph = nx.Graph()
    graph.add_nodes_from(["z", "c3", "b4", "a2"])   # insertion order must not matter
    for group in ("a", "b"):
        members = [f"{group}{i}" for i in range(1, 5)]
        graph.add_edges_from((u, v, {"weight": 1.0}) for i, u in enumerate(members) for v in members[i + 1:])
    graph.add_edge("a1", "b1", weight=1.0)
    graph.add_edges_from([("c1", "c2"), ("c2", "c3"), ("c1", "c3")], weight=1.0)
    params = IndicatorParams(seed=7)
    first = network.association_metrics(graph, params)
    pd.testing.assert_frame_equal(first, network.association_metrics(graph, params))
    community = first.set_index("id")["gemeenschap"]
    # numbered by descending size, equal sizes by their smallest id: a=1, b=2, c=3, z=4
    expected = {f"a{i}": 1 for i in range(1, 5)} | {f"b{i}": 2 for i in range(1, 5)}
    expected |= {"c1": 3, "c2": 3, "c3": 3, "z": 4}
    assert community.to_dict() == expected
    # the fixture network: the isolated H is a community of its own
    fixture = network.association_metrics(graph_2025(), params).set_index("id")["gemeenschap"]
    assert (fixture == fixture["H"]).sum() == 1
    assert fixture["E"] == fixture["F"] == fixture["G"]
    sizes = fixture.value_counts().sort_index()
    assert list(sizes.index) == list(range(1, len(sizes) + 1)) and sizes.is_monotonic_decreasing


def test_sampling_above_exact_limit_records_method_and_matches_networkx():
    graph = graph_2025()
    params = IndicatorParams(seed=3, betweenness_exact_limit=5, betweenness_sample_k=4)
    metrics = network.association_metrics(graph, params)
    assert metrics.attrs["betweenness_methode"] == "steekproef (k=4, seed=3)"
    reference = nx.betweenness_centrality(graph, k=4, normalized=True, seed=3)
    got = metrics.set_index("id")["betweenness"]
    for node, bc in reference.items():
        if math.isnan(bc):
            assert math.isnan(got[node])
        else:
            assert got[node] == pytest.approx(bc, abs=1e-12)
    # reproducible with the same seed, and the seed is the parameters' seed
    pd.testing.assert_frame_equal(metrics, network.association_metrics(graph, params))
    other = network.association_metrics(graph, IndicatorParams(seed=4, betweenness_exact_limit=5,
                                                                betweenness_sample_k=4))
    assert other.attrs["betweenness_methode"] == "steekproef (k=4, seed=4)"
    # one source would leave its own score undefined: the parameters refuse it
    with pytest.raises(ValueError, match="betweenness_sample_k"):
        IndicatorParams(betweenness_sample_k=1)
    # a sample as large as the graph is exact
    exact = network.association_metrics(graph, IndicatorParams(betweenness_exact_limit=5, betweenness_sample_k=100))
    assert exact.attrs["betweenness_methode"] == "exact"


def test_metrics_of_empty_and_edgeless_graphs():
    empty = network.association_metrics(nx.Graph())
    assert list(empty.columns) == list(network.METRIC_COLUMNS) and len(empty) == 0
    lonely = nx.Graph()
    lonely.add_nodes_from(["x", "y", "z"])
    metrics = network.association_metrics(lonely)
    assert metrics["betweenness"].tolist() == [0.0, 0.0, 0.0]
    assert sorted(metrics["gemeenschap"]) == [1, 2, 3]


def test_year_network_metrics_only_for_active_associations():
    ds = dataset()
    graph, metrics = network.year_network(ds, 2025, include_inactive=True)
    assert "I" in graph and graph.nodes["I"]["actief"] is False
    assert sorted(metrics["id"]) == list("ABCDEFGH")
    pd.testing.assert_frame_equal(metrics, network.association_metrics(graph_2025()))
    _, none = network.year_network(ds, 2024)
    assert list(none.columns) == list(network.METRIC_COLUMNS) and len(none) == 0


# ----------------------------------------------------------------------------------------------
# Per-area indicators
# ----------------------------------------------------------------------------------------------

def test_area_network_table_buurt_by_hand():
    table = buurt_table()
    assert list(table.columns) == ["gebiedscode", "niveau", "jaar", "indicator", "waarde"]
    assert set(table["indicator"]) == set(network.NETWORK_INDICATORS)
    assert len(table) == 3 * len(network.NETWORK_INDICATORS)
    # active associations: B1 A,B,C; B2 D,H; B3 E,F,G (I inactive)
    assert value(table, B1, "verenigingen_aantal") == 3
    assert value(table, B2, "verenigingen_aantal") == 2
    assert value(table, B3, "verenigingen_aantal") == 3
    assert value(table, B1, "verenigingen_per_1000_inw") == pytest.approx(3 / 1000 * 1000)
    assert value(table, B2, "verenigingen_per_1000_inw") == pytest.approx(2 / 2000 * 1000)
    assert value(table, B3, "verenigingen_per_1000_inw") == pytest.approx(3 / 4000 * 1000)
    # leden of active associations with a known count: B1 10+20, B2 5+15, B3 30+10 (I is inactive)
    assert value(table, B1, "leden_per_1000_inw") == pytest.approx(30 / 1000 * 1000)
    assert value(table, B2, "leden_per_1000_inw") == pytest.approx(20 / 2000 * 1000)
    assert value(table, B3, "leden_per_1000_inw") == pytest.approx(40 / 4000 * 1000)
    # density: ties inside / possible pairs among the area's associations of the year
    assert value(table, B1, "netwerk_dichtheid") == pytest.approx(3 / 3)   # A-B, A-C, B-C of 3 pairs
    assert value(table, B2, "netwerk_dichtheid") == pytest.approx(0 / 1)   # D, H: no tie
    assert value(table, B3, "netwerk_dichtheid") == pytest.approx(3 / 3)   # E-F, E-G, F-G (I is inactive)
    # bridging: ties with exactly one end in the area / all ties touching it
    assert value(table, B1, "overbruggende_banden_pct") == pytest.approx(100 * 1 / 4)   # C-D of 4
    assert value(table, B2, "overbruggende_banden_pct") == pytest.approx(100 * 2 / 2)   # C-D, D-E
    assert value(table, B3, "overbruggende_banden_pct") == pytest.approx(100 * 1 / 4)   # D-E of 4
    # isolated active associations: H in B2 (its tie to the inactive I does not count)
    assert value(table, B1, "geisoleerde_verenigingen") == 0
    assert value(table, B2, "geisoleerde_verenigingen") == 1
    assert value(table, B3, "geisoleerde_verenigingen") == 0


def test_area_network_table_wijk_and_gemeente_by_hand():
    ds = dataset()
    wijk = buurt_table(ds, level="wijk")
    assert value(wijk, W1, "verenigingen_aantal") == 5
    assert value(wijk, W1, "verenigingen_per_1000_inw") == pytest.approx(5 / 3000 * 1000)
    assert value(wijk, W1, "leden_per_1000_inw") == pytest.approx(50 / 3000 * 1000)
    assert value(wijk, W1, "netwerk_dichtheid") == pytest.approx(4 / 10)     # A-B, A-C, B-C, C-D of 5*4/2
    assert value(wijk, W2, "netwerk_dichtheid") == pytest.approx(3 / 3)
    assert value(wijk, W1, "overbruggende_banden_pct") == pytest.approx(100 * 1 / 5)   # D-E of 5
    assert value(wijk, W2, "overbruggende_banden_pct") == pytest.approx(100 * 1 / 4)
    gemeente = buurt_table(ds, level="gemeente")
    assert value(gemeente, GM, "verenigingen_aantal") == 8
    assert value(gemeente, GM, "geisoleerde_verenigingen") == 1
    # the whole graph (8 of 28 pairs) is not comparable with a wijk: no density or bridging share here
    assert not set(network.WIJK_MEDIAN_KEYS) & set(gemeente["indicator"])


def test_gemeente_reference_is_the_median_of_the_wijken():
    table = network.network_indicators(dataset())
    # wijk densities 0.4 and 1.0: the gemeente row is their median, not the whole graph's 8/28
    assert value(table, GM, "netwerk_dichtheid") == pytest.approx((0.4 + 1.0) / 2)
    assert value(table, GM, "netwerk_dichtheid") != pytest.approx(8 / 28)
    # bridging shares 20% and 25%; the whole gemeente's own share would be 0 by construction
    assert value(table, GM, "overbruggende_banden_pct") == pytest.approx(22.5)
    # counts stay the gemeente's totals
    assert value(table, GM, "verenigingen_aantal") == 8
    assert value(table, GM, "geisoleerde_verenigingen") == 1


def comparable_dataset() -> model.Dataset:
    """Three wijken of one buurt each: triangles in W1 and W3, a path in W2, one tie across W1-W2."""
    codes = [("BU99990101", "WK999901"), ("BU99990201", "WK999902"), ("BU99990301", "WK999903")]
    rows, tie_rows = [], []
    for buurt, wijk in codes:
        ids = [f"{wijk[-1]}{i}" for i in range(3)]
        rows += [(i, f"Club {i}", "sport", 10, True, 2025, buurt, wijk) for i in ids]
        pairs = [(ids[0], ids[1]), (ids[1], ids[2])] + ([] if wijk.endswith("2") else [(ids[0], ids[2])])
        tie_rows += [(u, v, "samenwerking", 1.0, 2025) for u, v in pairs]
    tie_rows.append(("10", "20", "samenwerking", 1.0, 2025))
    frame = pd.DataFrame(rows, columns=["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "wijkcode"])
    assoc = gpd.GeoDataFrame(frame, geometry=[Point(i, 0) for i in range(len(frame))], crs=model.CRS_RD)
    ds = dataset(assoc=assoc, tie_frame=pd.DataFrame(tie_rows, columns=list(model.TIE_COLUMNS)),
                 buurten=area_frame([(b, w, 1000) for b, w in codes], "buurt"))
    ds.wijken = area_frame([(w, w, 1000) for _, w in codes], "wijk")
    ds.gemeente = area_frame([(GM, None, 3000)], "gemeente")
    return ds


def test_wijk_density_is_compared_with_the_other_wijken():
    from analysis.compute.profile import strengths_weaknesses

    table = network.network_indicators(comparable_dataset())
    # wijk densities 1, 2/3, 1; the whole graph has 9 ties of 36 pairs (0.25), lower than every wijk
    assert value(table, "WK999901", "netwerk_dichtheid") == 1.0
    assert value(table, "WK999902", "netwerk_dichtheid") == pytest.approx(2 / 3)
    assert value(table, GM, "netwerk_dichtheid") == 1.0
    table = table.assign(ci_laag=np.nan, ci_hoog=np.nan)
    strengths, weaknesses = strengths_weaknesses(table, "WK999902", 2025, "Test")
    # against the whole graph (0.25) W2's 2/3 would be a strength; against the other wijken it is a weakness
    assert "netwerk_dichtheid" in {w.indicator for w in weaknesses}
    assert "netwerk_dichtheid" not in {s.indicator for s in strengths}


def test_area_network_table_undefined_values_are_nan():
    buurten = dataset().buurten.copy()
    buurten.loc[buurten["gebiedscode"] == B1, "inwoners"] = 0
    buurten.loc[buurten["gebiedscode"] == B2, "inwoners"] = np.nan
    assoc = associations()
    assoc = assoc[~assoc["id"].isin(["H"])]          # B2 keeps only D: density undefined
    table = buurt_table(dataset(assoc=assoc, buurten=buurten))
    assert math.isnan(value(table, B1, "verenigingen_per_1000_inw"))
    assert math.isnan(value(table, B2, "leden_per_1000_inw"))
    assert math.isnan(value(table, B2, "netwerk_dichtheid"))
    # a year with no ties at all: no tie touches any area
    quiet = buurt_table(dataset(assoc=assoc, tie_frame=ties().iloc[:0], buurten=buurten))
    assert math.isnan(value(quiet, B3, "overbruggende_banden_pct"))
    assert value(quiet, B3, "geisoleerde_verenigingen") == 3
    assert value(quiet, B3, "netwerk_dichtheid") == 0.0      # E, F, G: 0 of 3 pairs


def test_rates_only_for_areas_with_enough_inhabitants():
    # B1 has 1,000 inhabitants, B2 2,000, B3 4,000
    params = IndicatorParams(min_inhabitants=2000, min_inhabitants_publish=2000)
    table = network.network_indicators(dataset(), params=params)
    assert math.isnan(value(table, B1, "verenigingen_per_1000_inw"))
    assert math.isnan(value(table, B1, "leden_per_1000_inw"))
    assert value(table, B2, "verenigingen_per_1000_inw") == pytest.approx(1.0)
    assert value(table, B3, "leden_per_1000_inw") == pytest.approx(10.0)
    assert value(table, B1, "verenigingen_aantal") == 3        # counts and structure are still given
    assert value(table, B1, "netwerk_dichtheid") == 1.0
    # the default (the CBS's 50 inhabitants) keeps every rate of this fixture
    assert value(network.network_indicators(dataset()), B1, "verenigingen_per_1000_inw") == pytest.approx(3.0)


def test_network_indicators_years_and_levels():
    ds = dataset()
    table = network.network_indicators(ds, [2023, 2024, 2025])
    # 2024 has no associations: skipped, rather than zeros
    assert sorted(table["jaar"].unique()) == [2023, 2025]
    assert set(table["niveau"]) == {"buurt", "wijk", "gemeente"}
    per_year_level = table.groupby(["jaar", "niveau"]).size()
    n = len(network.NETWORK_INDICATORS)
    assert per_year_level[(2025, "buurt")] == 3 * n
    assert per_year_level[(2025, "wijk")] == 2 * n
    assert per_year_level[(2025, "gemeente")] == n   # density and bridging as the median of the wijken
    # 2023: A (B1) and J (B2); the 2023 tie A-H has no H in 2023, so both are isolated
    assert value(table, B1, "verenigingen_aantal", 2023) == 1
    assert value(table, B2, "geisoleerde_verenigingen", 2023) == 1
    assert value(table, GM, "geisoleerde_verenigingen", 2023) == 2
    assert value(table, W1, "leden_per_1000_inw", 2023) == pytest.approx(20 / 3000 * 1000)
    assert value(table, GM, "netwerk_dichtheid", 2023) == 0.0    # only W1 has two associations: 0 of 1 pair
    # default years: every year with associations
    assert sorted(network.network_indicators(ds)["jaar"].unique()) == [2023, 2025]
    empty = network.network_indicators(dataset(assoc=associations().iloc[:0]))
    assert list(empty.columns) == ["gebiedscode", "niveau", "jaar", "indicator", "waarde"] and len(empty) == 0


def test_tie_to_association_without_area_is_bridging():
    assoc = associations()
    extra = assoc.iloc[[0]].copy()
    extra["id"] = pd.array(["K"], dtype="string")
    extra["buurtcode"] = np.nan
    extra["wijkcode"] = np.nan
    assoc = pd.concat([assoc, extra], ignore_index=True)
    tie_frame = pd.concat([ties(), pd.DataFrame([("G", "K", "samenwerking", 1.0, 2025)],
                                                columns=list(model.TIE_COLUMNS))], ignore_index=True)
    table = buurt_table(dataset(assoc=assoc, tie_frame=tie_frame))
    # B3 now touches D-E and G-K across its border and 3 ties inside: 2 of 5
    assert value(table, B3, "overbruggende_banden_pct") == pytest.approx(100 * 2 / 5)


# ----------------------------------------------------------------------------------------------
# Key connectors and bridging versus bonding
# ----------------------------------------------------------------------------------------------

def test_key_connectors_ordering():
    assoc = year_rows(associations(), 2025)
    metrics = network.association_metrics(graph_2025())
    top = network.key_connectors(assoc, metrics, "wijk", W1, top=10)
    assert list(top.columns) == list(network.CONNECTOR_COLUMNS)
    # D (9/21) before C (8/21); A and B tie on betweenness 0 and degree 2, so by name:
    # "Atletiek" (B) before "Zangkoor" (A); H (degree 0) last
    assert top["id"].tolist() == ["D", "C", "B", "A", "H"]
    assert network.key_connectors(assoc, metrics, "wijk", W1, top=2)["id"].tolist() == ["D", "C"]
    whole = network.key_connectors(assoc, metrics, "gemeente", GM, top=3)
    assert whole["id"].tolist() == ["D", "C", "E"]   # C and E tie at 8/21 and degree 3: Cultuurhuis < Eetclub
    assert len(network.key_connectors(assoc, metrics, "buurt", "BU00000000")) == 0
    # the inactive I is nobody's connector
    assert network.key_connectors(assoc, metrics, "wijk", W2, top=10)["id"].tolist() == ["E", "F", "G"]


def test_bridging_bonding_per_wijk_by_hand():
    table = network.bridging_bonding(network.year_graph(dataset(), 2025), "wijk").set_index("gebiedscode")
    assert list(table.reset_index().columns) == list(network.BRIDGING_COLUMNS)
    assert list(table.index) == [W1, W2]
    w1, w2 = table.loc[W1], table.loc[W2]
    assert (w1["verenigingen"], w1["banden"], w1["bindend"], w1["overbruggend"]) == (5, 5, 4, 1)
    assert (w2["verenigingen"], w2["banden"], w2["bindend"], w2["overbruggend"]) == (3, 4, 3, 1)   # I inactive
    assert w1["overbruggend_pct"] == pytest.approx(20.0)
    assert w2["overbruggend_pct"] == pytest.approx(25.0)
    # kinds: W1 inside A-B sport-sport; A-C, B-C, C-D sport-cultuur; across D-E sport-cultuur
    assert (w1["bindend_zelfde_soort"], w1["bindend_ander_soort"]) == (1, 3)
    assert (w1["overbruggend_zelfde_soort"], w1["overbruggend_ander_soort"]) == (0, 1)
    assert w1["ander_soort_pct"] == pytest.approx(100 * 4 / 5)
    # W2 inside E-F cultuur-cultuur; E-G, F-G cultuur-sport; across D-E
    assert (w2["bindend_zelfde_soort"], w2["bindend_ander_soort"]) == (1, 2)
    assert w2["ander_soort_pct"] == pytest.approx(100 * 3 / 4)
    assert (table["jaar"] == 2025).all() and (table["niveau"] == "wijk").all()


def test_bridging_bonding_gemeente_and_bad_level():
    graph = network.year_graph(dataset(), 2025)
    gemeente = network.bridging_bonding(graph, "gemeente")
    assert gemeente["gebiedscode"].tolist() == [GM]
    assert (gemeente["bindend"].iloc[0], gemeente["overbruggend"].iloc[0]) == (8, 0)
    with pytest.raises(ValueError, match="Onbekend niveau"):
        network.bridging_bonding(graph, "provincie")
