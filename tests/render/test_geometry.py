"""Tests for analysis.render.geometry: coverage simplification keeps shared borders, rounding, CRS."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from analysis.model import CRS_RD, CRS_WGS84
from analysis.render.geometry import display_geometry
from tests.render.mapdata import grid_areas, staircase_coverage


def test_display_geometry_keeps_shared_borders_shared():
    areas = staircase_coverage()
    assert shapely.coverage_is_valid(areas.geometry.to_numpy())  # the fixture is a clean coverage

    shown = display_geometry(areas, tolerance_m=10.0)

    assert shown.crs.equals(CRS_WGS84)
    assert list(shown.columns) == list(areas.columns)
    assert shown["gebiedscode"].tolist() == areas["gebiedscode"].tolist()
    geometries = shown.geometry.to_numpy()
    # Neighbours still share every border vertex: no gaps, no overlaps, no slivers.
    assert shapely.coverage_is_valid(geometries)
    back = shown.to_crs(CRS_RD)
    union_area = shapely.union_all(back.geometry.to_numpy()).area
    assert back.geometry.area.sum() == pytest.approx(union_area, rel=1e-6)
    assert union_area == pytest.approx(600.0 * 600.0, rel=0.01)
    # And the staircase borders really were simplified.
    before = shapely.get_num_coordinates(areas.geometry.to_numpy()).sum()
    after = shapely.get_num_coordinates(geometries).sum()
    assert after < before / 3


def test_naive_simplification_would_break_the_fixture():
    # Guard: the coverage test above can fail; simplifying each area on its own opens gaps.
    areas = staircase_coverage()
    naive = areas.geometry.simplify(10.0, preserve_topology=True).to_numpy()
    assert not shapely.coverage_is_valid(naive)


def test_display_geometry_rounds_to_5_decimals_within_a_metre():
    areas = staircase_coverage()
    shown = display_geometry(areas, tolerance_m=0.0)
    coords = shapely.get_coordinates(shown.geometry.to_numpy())
    assert np.allclose(coords * 1e5, np.round(coords * 1e5), atol=1e-6)
    # 5 decimals of a degree move a vertex by at most about 1 m.
    back = shown.to_crs(CRS_RD).geometry.to_numpy()
    distances = shapely.hausdorff_distance(back, areas.geometry.to_numpy())
    assert distances.max() < 1.0
    assert shapely.coverage_is_valid(shown.geometry.to_numpy())


def test_display_geometry_needs_a_crs():
    areas = grid_areas(["a"]).set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="coördinatenstelsel"):
        display_geometry(areas)
