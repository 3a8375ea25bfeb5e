"""Tests for analysis.compute.whatif: planned facilities in the table and the before/after comparison."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis import model
from analysis.compute.whatif import COMPARISON_COLUMNS, compare_what_if, what_if
from analysis.errors import DatasetError
from analysis.params import IndicatorParams
from tests.compute.test_indicators import B3, FACILITIES, YEAR, make_ds, toy_table, value  # noqa: F401


def _planned(component: str = "ontmoeting") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"component": [component], "naam": ["Nieuw buurthuis"]},
                            geometry=[Point(500, 1500)], crs=model.CRS_RD)


def test_what_if_adds_planned_facility(toy_table):  # noqa: F811
    t = what_if(make_ds(facilities=FACILITIES), _planned(), YEAR)
    assert value(t, B3, "ontmoeting_aantal") == 1
    assert value(t, B3, "ontmoeting_dekking_pct") > value(toy_table, B3, "ontmoeting_dekking_pct")
    with pytest.raises(DatasetError, match="onbekende component"):
        what_if(make_ds(), _planned("kroeg"), YEAR)


def test_compare_what_if_per_wijk(toy_table):  # noqa: F811
    params = IndicatorParams(norms_m={"zorg": 400.0})
    before = what_if(make_ds(facilities=FACILITIES), _planned("zorg").iloc[:0], YEAR, params)
    after = what_if(make_ds(facilities=FACILITIES), _planned("zorg"), YEAR, params)
    result = compare_what_if(before, after, "zorg", YEAR, params)
    assert list(result.areas.columns) == list(COMPARISON_COLUMNS)
    assert result.areas["gebiedscode"].tolist() == ["WK999901", "WK999902"]
    areas = result.areas.set_index("gebiedscode")
    # the planned care point sits in B3 on top of the existing one: nothing changes
    assert areas.loc["WK999902", "dekking_na"] == pytest.approx(areas.loc["WK999902", "dekking_voor"])
    assert result.coverage_after == pytest.approx(result.coverage_before)
    assert result.moved == 0 and not result.areas["verandert"].any()
    moved = what_if(make_ds(facilities=FACILITIES), _planned("zorg").set_geometry([Point(1500, 500)]), YEAR, params)
    changed = compare_what_if(before, moved, "zorg", YEAR, params)
    w1 = changed.areas.set_index("gebiedscode").loc["WK999901"]
    assert w1["dekking_na"] > w1["dekking_voor"] and bool(w1["verandert"])
    assert changed.coverage_after > changed.coverage_before
    assert changed.gaps_after <= changed.gaps_before
