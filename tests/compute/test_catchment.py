"""Tests for analysis.compute.catchment: the two-step floating catchment method by hand, over streets and straight."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from analysis import model
from analysis.compute import catchment, proximity, routing
from tests.compute.test_proximity import FAC, STREETS, A, canal_dataset, facility_frame, make_dataset, value


def test_two_step_fca_by_hand():
    # residents r0 (100) reach f0; r1 (300) reach f0 and f1; r2 (600) reach f1
    origin = np.array([0, 1, 1, 2])
    place = np.array([0, 0, 1, 1])
    demand = np.array([100.0, 300.0, 600.0])
    got = catchment.two_step_fca(origin, place, demand, np.ones(2))
    r0, r1 = 1 / 400, 1 / 900       # step 1: supply per resident within each place's catchment
    assert got == pytest.approx([r0, r0 + r1, r1])
    # with capacities 40 and 90: 0.1 places per resident everywhere
    assert catchment.two_step_fca(origin, place, demand, np.array([40.0, 90.0])) == pytest.approx([0.1, 0.1 + 0.1, 0.1])
    # a resident with nothing in reach scores 0; a place nobody reaches serves nobody
    lonely = catchment.two_step_fca(np.array([0]), np.array([0]), np.array([10.0, 5.0]), np.array([1.0, 1.0]))
    assert lonely == pytest.approx([0.1, 0.0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 4)), min_size=1, max_size=30, unique=True),
       st.lists(st.floats(1, 1000), min_size=8, max_size=8), st.lists(st.floats(0.5, 50), min_size=5, max_size=5))
def test_supply_is_conserved(pairs, demand, supply):
    # sum_i P_i A_i = total supply of the places that someone reaches (a known 2SFCA identity)
    origin = np.array([p[0] for p in pairs])
    place = np.array([p[1] for p in pairs])
    demand, supply = np.array(demand), np.array(supply)
    score = catchment.two_step_fca(origin, place, demand, supply)
    reached = np.unique(place)
    assert float(demand @ score) == pytest.approx(float(supply[reached].sum()))


def test_catchment_table_straight_line_by_hand():
    # buurt A (x 0..1000, y 0..100): ten cells of 100 inhabitants at (x, 50); one place at (100, 210)
    ds = canal_dataset(network=False)
    table = catchment.catchment_table(ds, 2025, components=["zorg"])
    xs = np.arange(50.0, 1000.0, 100.0)
    near = np.hypot(xs - FAC[0], 50 - FAC[1]) <= 1000       # zorg norm 1,000 m
    expected = 1000 * near.sum() * (1 / (100 * near.sum())) / 10   # mean over the ten cells
    assert value(table[table["niveau"] == "buurt"], A, "zorg_bereik_per_1000") == pytest.approx(expected)
    assert set(table["indicator"]) == {"zorg_bereik_per_1000"}   # capacity unknown: no capacity figure


def test_catchment_over_the_network_uses_the_walk():
    ds = canal_dataset()
    table = catchment.catchment_table(ds, 2025, norms_m={"zorg": 1500}, components=["zorg"])
    # the walk from cell x is 1,060 + |900 - x|: within 1,500 m for x = 550 .. 950 (5 cells, 500 inhabitants)
    assert value(table[table["niveau"] == "buurt"], A, "zorg_bereik_per_1000") == pytest.approx(1000 * 5 * (1 / 500) / 10)
    # against single routes, pair by pair
    points = proximity.resident_points(ds)
    xy = points[["x", "y"]].to_numpy(float)
    places = proximity.year_place_frame(ds, "zorg", 2025)
    origin, place, walk = catchment.reach_pairs(ds, xy, places, 1500.0)
    graph = routing.build_graph(STREETS)
    want = {i: routing.route_m(graph, tuple(xy[i]), FAC) for i in range(len(xy))}
    assert {int(i): float(d) for i, d in zip(origin, walk)} == pytest.approx(
        {i: d for i, d in want.items() if d <= 1500.0})


def test_capacity_variant_parks_and_proximity_rows():
    facilities = facility_frame([("sport", 2025, Point(100, 60)), ("sport", 2025, Point(900, 60)),
                                 ("openbare_ruimte", 2025, box(0, 0, 100, 100))])
    facilities["capaciteit"] = [200.0, 50.0, np.nan]
    ds = make_dataset({A: box(0, 0, 1000, 100)}, {A: 1000.0}, facilities=facilities)
    table = catchment.catchment_table(ds, 2025, components=["sport", "openbare_ruimte"])
    keys = set(table["indicator"])
    assert {"sport_bereik_per_1000", "sport_bereik_capaciteit_per_1000", "openbare_ruimte_bereik_per_1000"} == keys
    buurt = table[table["niveau"] == "buurt"]
    # sport norm 1,500 m: everyone reaches both halls: 2 places and 250 capacity for 1,000 residents
    assert value(buurt, A, "sport_bereik_per_1000") == pytest.approx(2.0)
    assert value(buurt, A, "sport_bereik_capaciteit_per_1000") == pytest.approx(250.0)
    # the park (norm 500 m, measured to its edge): cells x = 50 (inside, 0 m) .. 550 (450 m) reach it
    assert value(buurt, A, "openbare_ruimte_bereik_per_1000") == pytest.approx(1000 * 6 * (1 / 600) / 10)
    rows = proximity.proximity_indicators(ds, 2025, components=["sport"])
    assert {"sport_afstand_m", "sport_dekking_pct", "sport_bereik_per_1000",
            "sport_bereik_capaciteit_per_1000"} == set(rows["indicator"])
    assert rows["bron"].notna().all()


def test_network_parks_enter_at_their_boundary():
    # a park east of the bridge, north of the canal; residents walk over the bridge to its nearest boundary point
    ds = canal_dataset()
    ds.facilities = facility_frame([("openbare_ruimte", 2025, box(950, 210, 1000, 300))])
    points = proximity.resident_points(ds)
    xy = points[["x", "y"]].to_numpy(float)
    places = proximity.year_place_frame(ds, "openbare_ruimte", 2025)
    _, _, walk = catchment.reach_pairs(ds, xy, places, 500.0)
    graph = routing.prepared_graph(ds.roads)
    coords, _, _, _ = proximity.facility_access_points(places)
    nearest = routing.nearest_m(graph, routing.snap_points(graph, xy), routing.snap_points(graph, coords))
    assert np.sort(walk) == pytest.approx(np.sort(nearest[nearest <= 500.0]))
    assert len(walk) >= 1


def test_nothing_to_reach_gives_no_rows():
    ds = make_dataset({A: box(0, 0, 100, 100)}, {A: 10.0}, facilities=facility_frame([]))
    assert len(catchment.catchment_table(ds, 2025)) == 0
    empty = gpd.GeoDataFrame({"capaciteit": []}, geometry=gpd.GeoSeries([], crs=model.CRS_RD), crs=model.CRS_RD)
    got = catchment.reach_pairs(ds, np.array([[1.0, 1.0]]), empty, 100.0)
    assert all(len(a) == 0 for a in got)
