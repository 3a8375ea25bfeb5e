"""Tests of the demo's street network (analysis.demo.streets): one connected piece, every buurt, two bridges."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import shapely

from analysis.compute import routing
from analysis.demo.areas import build_areas
from analysis.demo.municipality import DEMO_DIR
from analysis.demo.streets import STREET_KINDS
from analysis.demo.water import BRIDGES, bridge_lines, canal_centreline, canal_water


def _water():
    outline, _, _ = build_areas()
    return canal_water(outline)


def test_street_file_is_rd_lines_with_ids_and_kinds():
    raw = json.loads((DEMO_DIR / "wegen.geojson").read_text(encoding="utf-8"))
    assert raw["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    assert {f["geometry"]["type"] for f in raw["features"]} == {"LineString"}
    ids = [f["properties"]["id"] for f in raw["features"]]
    assert len(ids) == len(set(ids)) and len(ids) > 1000
    kinds = pd.Series([f["properties"]["soort"] for f in raw["features"]]).value_counts()
    assert set(kinds.index) == set(STREET_KINDS)
    assert kinds["brug"] == len(BRIDGES) == 2


def test_network_is_one_piece_and_covers_every_buurt(ds):
    graph = routing.build_graph(ds.roads.geometry.to_numpy())
    assert graph.n_pieces == 1
    # a town of about 60,000 people has a few hundred km of streets (NL: about 8 m of road per inhabitant)
    assert 250_000 < graph.total_length_m < 600_000
    lines = shapely.union_all(ds.roads.geometry.to_numpy())
    for _, buurt in ds.buurten.iterrows():
        inside_m = shapely.intersection(lines, buurt.geometry).length
        # at least 40 m of street per hectare in town, a few country roads outside it
        per_ha = inside_m / (buurt.geometry.area / 10_000)
        assert per_ha > (8 if buurt["gebiedsnaam"].startswith("Buitengebied") else 40), buurt["gebiedsnaam"]


def test_only_the_bridges_cross_the_canal(ds):
    water = _water()
    assert water.area > 4_000 * 24  # a strip of kilometres long, 24 m wide
    crossing = ds.roads[shapely.intersects(ds.roads.geometry.to_numpy(), water)]
    assert len(crossing) == len(BRIDGES)
    raw = pd.DataFrame([f["properties"] for f in json.loads(
        (DEMO_DIR / "wegen.geojson").read_text(encoding="utf-8"))["features"]])
    assert set(raw.set_index("id").loc[crossing["id"], "soort"]) == {"brug"}
    # the canal splits the gemeente in two
    outline, _, _ = build_areas()
    assert len(shapely.get_parts(shapely.difference(outline, water))) == 2


def test_across_the_canal_the_straight_line_misleads(ds):
    graph = routing.build_graph(ds.roads.geometry.to_numpy())
    water = _water()
    homes = ds.addresses.geometry.to_numpy()
    near = homes[shapely.distance(water, homes) < 40]
    xy = shapely.get_coordinates(near)
    # the two banks: the points left of the canal's course (a one-sided buffer) and those right of it
    left = shapely.buffer(canal_centreline(), 200, single_sided=True)
    side = np.where(shapely.contains(left, near), 0, 1)
    assert (side == 0).sum() > 50 and (side == 1).sum() > 50
    ratios = []
    for i in np.flatnonzero(side == 0)[::10]:
        other = np.flatnonzero(side == 1)
        straight = np.hypot(*(xy[other] - xy[i]).T)
        k = other[np.argmin(straight)]
        ratios.append((straight.min(), routing.route_m(graph, tuple(xy[i]), tuple(xy[k]))))
    straight_m, walk_m = np.array(ratios).T
    # some neighbours across the water are under 100 m away as the crow flies and over 1.5 km on foot ...
    assert ((straight_m < 100) & (walk_m > 1_500)).sum() >= 3
    # ... while next to a bridge the walk is not much longer than the straight line
    for _, bridge in bridge_lines():
        mid = shapely.get_coordinates(bridge.centroid)[0]
        gap = np.hypot(*(xy - mid).T)
        a, b = (np.flatnonzero(side == s)[np.argmin(gap[side == s])] for s in (0, 1))
        straight = float(np.hypot(*(xy[a] - xy[b])))
        assert routing.route_m(graph, tuple(xy[a]), tuple(xy[b])) < 2 * straight
