"""Tests of the demo's canal (analysis.demo.water): it crosses the town clear of every place, with two bridges."""

from __future__ import annotations

import shapely

from analysis.demo.areas import build_areas
from analysis.demo.associations import build_associations
from analysis.demo.facilities import build_facilities
from analysis.demo.water import BRIDGES, CANAL_WIDTH_M, QUAY_SETBACK_M, bridge_lines, canal_centreline, canal_water


def test_the_canal_crosses_the_gemeente_from_edge_to_edge():
    outline, _, buurten = build_areas()
    centre = canal_centreline()
    assert len(shapely.get_parts(shapely.intersection(centre, outline.boundary))) == 2
    water = canal_water(outline)
    assert abs(water.area - CANAL_WIDTH_M * shapely.intersection(centre, outline).length) < 0.02 * water.area
    # it runs through several wijken, the old centre among them
    crossed = {b.wijk.name for b in buurten if shapely.intersects(b.geometry, water)}
    assert {"Centrum", "Stationskwartier", "Bloemenwijk"} <= crossed


def test_no_facility_or_association_lies_in_the_water_or_on_the_quay():
    outline, _, buurten = build_areas()
    water = canal_water(outline)
    places = [f.geometry for f in build_facilities(buurten)]
    places += [a.point for a in build_associations(buurten) if a.point is not None]
    clearance_m = CANAL_WIDTH_M / 2 + QUAY_SETBACK_M
    assert min(shapely.distance(canal_centreline(), g) for g in places) > clearance_m
    assert not any(shapely.intersects(water, g) for g in places)


def test_each_bridge_spans_the_water():
    outline, _, _ = build_areas()
    water = canal_water(outline)
    lines = bridge_lines()
    assert [name for name, _ in lines] == [name for name, _ in BRIDGES]
    for _, line in lines:
        assert shapely.intersects(line, water)
        assert not water.contains(shapely.Point(line.coords[0])) and not water.contains(shapely.Point(line.coords[-1]))
        assert line.length < 2 * (CANAL_WIDTH_M + 2 * QUAY_SETBACK_M)
