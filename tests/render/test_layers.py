"""Tests for analysis.render.layers: the map specification checks its input and decides when controls start folded."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.render.geometry import display_geometry
from analysis.render.layers import (
    SMALL_MAP_HEIGHT_PX,
    AreaLayer,
    FacilityLayer,
    MapSpec,
    MapView,
    PatternLayer,
)
from analysis.render.leaflet import SCALE_MAX_WIDTH_PX
from analysis.render.maps import build_map
from tests.render.mapdata import facilities_frame, grid_areas


@pytest.fixture(scope="module")
def areas():
    return display_geometry(grid_areas(["Noord", "Zuid", "Oost"], [1.0, 2.0, 3.0]))


def layer_control(m: folium.Map) -> folium.LayerControl:
    return next(c for c in m._children.values() if isinstance(c, folium.LayerControl))


@pytest.mark.parametrize("kwargs, message", [
    ({"value_column": "bestaat_niet"}, "bestaat_niet"),
    ({"scheme": "gelijke_intervallen"}, "quantiles of natural_breaks"),
    ({"k": 0}, "minstens 1"),
    ({"suppressed_mask": [True, False]}, "2 waarden voor 3 gebieden"),
])
def test_area_layer_refuses_bad_input_in_dutch(areas, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        AreaLayer(areas, **kwargs)


def test_area_layer_needs_code_and_name(areas):
    with pytest.raises(ParameterError, match="gebiedsnaam"):
        AreaLayer(areas.drop(columns="gebiedsnaam"))
    with pytest.raises(ParameterError, match="cluster"):
        PatternLayer(pd.DataFrame({"gebiedscode": ["A0"]}))


def test_map_view_refuses_an_unknown_basemap_and_a_tiny_map():
    with pytest.raises(ParameterError, match="Kies een van: PDOK"):
        MapView(basemap="Google")
    with pytest.raises(ParameterError, match="100 pixels"):
        MapView(height=20)


def test_visible_components_become_a_frozenset():
    layer = FacilityLayer(facilities_frame([("zorg", "Huisarts", 10, 10)]), ["zorg"])  # type: ignore[arg-type]
    assert layer.visible_components == frozenset({"zorg"})


@pytest.mark.parametrize("view, collapsed", [
    (MapView(height=600), False),
    (MapView(height=SMALL_MAP_HEIGHT_PX - 1), True),
    (MapView(height=600, presentation=True), True),
    (MapView(height=300, controls_collapsed=False), False),
    (MapView(height=900, controls_collapsed=True), True),
])
def test_controls_start_collapsed_on_small_maps(areas, view, collapsed):
    assert view.collapsed is collapsed
    control = layer_control(build_map(MapSpec(AreaLayer(areas), view=view)))
    assert control.options["collapsed"] is collapsed


def test_attribution_wraps_clear_of_the_scale_bar(areas):
    page = build_map(MapSpec(AreaLayer(areas), view=MapView(height=300))).get_root().render()
    assert f"maxWidth: {SCALE_MAX_WIDTH_PX}" in page
    assert f".leaflet-control-attribution{{max-width:calc(100% - {SCALE_MAX_WIDTH_PX + 40}px)" in page


def test_tooltips_use_the_unit_and_say_why_a_value_is_missing(areas):
    frame = areas.assign(waarde=[12.345, np.nan, 80.0])
    spec = MapSpec(AreaLayer(frame, value_column="waarde", value_label="Eenzaam", unit="%",
                             suppressed_mask=np.array([False, False, True])))
    layer = next(c for c in build_map(spec)._children.values() if isinstance(c, folium.GeoJson))
    tips = [f["properties"]["tooltip"] for f in layer.data["features"]]
    assert tips[0].endswith("Eenzaam: 12%")
    assert tips[1].endswith("Eenzaam: – (geen gegevens)")
    assert tips[2].endswith("Eenzaam: – (te weinig respons)") and "80" not in tips[2]
