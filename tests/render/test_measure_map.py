"""Tests for analysis.render.measure_map: measures at their area, spread when they share it, escaped tooltips."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from analysis.model import CRS_RD
from analysis.render import measure_map


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"gebiedscode": ["BU1", "WK1"], "gebiedsnaam": ["Noord <i>", "Wijk"]},
                            geometry=[box(0, 0, 1000, 1000), box(0, 0, 3000, 3000)], crs=CRS_RD)


def _measures() -> pd.DataFrame:
    return pd.DataFrame({"id": ["M1", "M2", "M3", "M4"], "naam": ["<script>x</script>", "Twee", "Wijkbreed", "Weg"],
                         "component": ["ontmoeting", "sport", "zorg", "zorg"],
                         "gebiedscode": ["BU1", "BU1", "WK1", "XX"],
                         "startdatum": pd.to_datetime(["2024-03-01", "2024-05-01", "2025-01-01", "2025-01-01"]),
                         "einddatum": pd.to_datetime([None, "2025-12-31", None, None]),
                         "budget": [420000.0, None, 1250.5, None]})


def test_points_stand_in_their_area_and_spread_when_they_share_it():
    points = measure_map.measure_points(_measures(), _areas())
    assert list(points["id"]) == ["M1", "M2", "M3"]  # an unknown area has no place on the map
    assert points.crs == CRS_RD
    shapes = _areas().set_index("gebiedscode").loc[points["gebiedscode"]].geometry
    inside = points.geometry.within(gpd.GeoSeries(shapes.to_numpy(), index=points.index, crs=CRS_RD))
    assert inside.all()
    a, b = points.geometry.iloc[0], points.geometry.iloc[1]
    assert abs(a.distance(b) - 2 * measure_map.SPREAD_M) < 1e-6  # two on one circle, opposite each other
    centre = _areas().geometry.iloc[1].representative_point()
    assert points.geometry.iloc[2].equals(centre)


def test_tooltips_are_escaped_and_use_the_formatter():
    points = measure_map.measure_points(_measures(), _areas())
    tips = measure_map.measure_tooltips(points).tolist()
    assert tips[0] == ("<b>&lt;script&gt;x&lt;/script&gt;</b><br>Maatregel · Fysieke ontmoetingsplekken · "
                       "Noord &lt;i&gt;<br>vanaf 1-3-2024<br>budget € 420.000")
    assert "vanaf 1-5-2024 tot 31-12-2025" in tips[1] and "budget" not in tips[1]
    assert "budget € 1.251" in tips[2]


def test_the_layer_is_one_toggleable_group_in_the_layer_control():
    m = folium.Map(tiles=None)
    folium.LayerControl().add_to(m)  # as build_map leaves it: the control is there before the flags are added
    assert not measure_map.add_measures(m, measure_map.measure_points(_measures().iloc[:0], _areas()))
    assert measure_map.add_measures(m, measure_map.measure_points(_measures(), _areas()))
    measure_map.measure_legend(m)
    page = m.get_root().render()
    assert measure_map.MEASURE_LABEL in page and page.count("ww-measure") >= 1
    assert "<script>x</script>" not in page
    group = next(c for c in m._children.values() if isinstance(c, folium.FeatureGroup)).get_name()
    # The control's script names the group: the group must be defined first, or Leaflet stops with an error.
    assert page.index(f"var {group} = L.featureGroup(") < page.index("L.control.layers(")
