"""Tests for analysis.render.informal_map: initiatives unlike facilities, stale badges, the four kinds of place, escaping."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from analysis.model import CRS_RD
from analysis.render import informal_map as im
from analysis.render.geometry import display_geometry
from analysis.render.layers import AreaLayer, FacilityLayer, InitiativeLayer, MapSpec, MapView, PlaceLayer
from analysis.render.maps import build_map
from tests.render.mapdata import X0, Y0, facilities_frame, grid_areas

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("x")'
TODAY = pd.Timestamp("2025-09-01")


def _initiatives(checked: list[str | None]) -> gpd.GeoDataFrame:
    n = len(checked)
    return gpd.GeoDataFrame({"naam": [XSS, FORMULA, "Koffieochtend"][:n], "soort": ["buurtgroep"] * n,
                             "betrokkenen": [12.0] * n, "laatst_gecontroleerd": pd.to_datetime(checked)},
                            geometry=shapely.points([X0 + 100 * (i + 1) for i in range(n)], [Y0 + 100] * n), crs=CRS_RD)


def _layers(m: folium.Map, name_part: str) -> list[folium.GeoJson]:
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup) and name_part in c.layer_name]
    return [g for group in groups for g in group._children.values() if isinstance(g, folium.GeoJson)]


def _tips(layers: list[folium.GeoJson]) -> list[str]:
    return [f["properties"]["tooltip"] for layer in layers for f in layer.data["features"]]


def test_initiatives_look_unlike_any_facility_and_are_escaped():
    areas = display_geometry(grid_areas(["A", "B"]))
    facilities = facilities_frame([("ontmoeting", "Buurthuis", 200, 200), ("verenigingen", "Club", 300, 300)])
    m = build_map(MapSpec(AreaLayer(areas), facilities=FacilityLayer(facilities),
                          initiatives=InitiativeLayer(_initiatives(["2025-06-01", "2025-05-01"]), TODAY)))
    page = m.get_root().render()
    ring = im.initiative_svg(20)
    assert 'fill="none"' in ring and "stroke-dasharray" in ring
    assert [layer.marker.icon.options["html"] for layer in _layers(m, im.INITIATIVE_LABEL)] == [ring]
    # every facility marker is a filled shape without a dash: the ring is unlike all of them
    for layer in _layers(m, "Buurthuis") + _layers(m, "Ontmoeting") + _layers(m, "Verenigingen"):
        assert "stroke-dasharray" not in str(layer.marker.icon.options)
    tips = _tips(_layers(m, im.INITIATIVE_LABEL))
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in tips)
    assert XSS not in page and any(FORMULA.replace('"', "&quot;") in t for t in tips)
    assert "bindPopup" in page  # the same escaped text as popup on a click
    assert im.INITIATIVE_LABEL in page and "ww-stale" not in page  # nothing stale: no badge, no legend row


def test_stale_initiatives_and_facilities_are_badged():
    areas = display_geometry(grid_areas(["A"]))
    facilities = facilities_frame([("ontmoeting", "Oud buurthuis", 200, 200), ("ontmoeting", "Nieuw", 300, 300)])
    facilities["laatst_gecontroleerd"] = pd.to_datetime(["2023-01-10", "2025-08-01"])
    m = build_map(MapSpec(AreaLayer(areas), facilities=FacilityLayer(facilities, reference_date=TODAY),
                          initiatives=InitiativeLayer(_initiatives(["2025-06-01", None, "2024-02-01"]), TODAY)))
    initiative_layers = _layers(m, im.INITIATIVE_LABEL)
    stale_tips = [t for layer in initiative_layers if "ww-stale" in str(layer.marker.icon.options)
                  for t in _tips([layer])]
    assert len(stale_tips) == 2 and all(im.STALE_LABEL in t for t in stale_tips)  # never checked, and 19 months
    assert any("nooit gecontroleerd" in t for t in stale_tips) and any("1-2-2024" in t for t in stale_tips)
    facility_layers = [g for c in m._children.values() if isinstance(c, folium.FeatureGroup)
                       for g in c._children.values() if isinstance(g, folium.GeoJson)]
    badged = [t for layer in facility_layers if "ww-stale-entry" in str(layer.marker.icon.options)
              and "Oud buurthuis" in " ".join(_tips([layer])) for t in _tips([layer])]
    assert len(badged) == 1 and "laatst gecontroleerd 10-1-2023" in badged[0]
    assert im.STALE_LABEL in m.get_root().render()  # legend row


def test_facilities_without_check_dates_are_not_marked():
    areas = display_geometry(grid_areas(["A"]))
    facilities = facilities_frame([("ontmoeting", "Buurthuis", 200, 200)])
    facilities["laatst_gecontroleerd"] = pd.NaT
    m = build_map(MapSpec(AreaLayer(areas), facilities=FacilityLayer(facilities, reference_date=TODAY)))
    assert "ww-stale" not in m.get_root().render()


def test_four_kinds_of_place_differ_and_are_big():
    svgs = {kind: im.place_svg(kind, 44) for kind in im.PLACE_STYLES}
    assert len(set(svgs.values())) == 4
    assert len({style[1] for style in im.PLACE_STYLES.values()}) == 4  # four colours
    assert len({style[2] for style in im.PLACE_STYLES.values()}) == 4  # four shapes
    long = "x" * 5000
    places = gpd.GeoDataFrame({"soort": list(im.PLACE_STYLES), "reden": [XSS, FORMULA, long, "Donker pad"]},
                              geometry=shapely.points([X0 + 100 * i for i in range(1, 5)], [Y0 + 200] * 4), crs=CRS_RD)
    m = build_map(MapSpec(AreaLayer(display_geometry(grid_areas(["A"]))), places=PlaceLayer(places)))
    layers = _layers(m, "Plekken")
    assert len(layers) == 4
    assert {layer.marker.icon.options["icon_size"][0] for layer in layers} == {44}
    tips = _tips(layers)
    assert "&lt;script&gt;" in tips[0] and XSS not in m.get_root().render() and long in tips[2]
    presented = build_map(MapSpec(AreaLayer(display_geometry(grid_areas(["A"]))), places=PlaceLayer(places),
                                  view=MapView(presentation=True)))
    assert {layer.marker.icon.options["icon_size"][0] for layer in _layers(presented, "Plekken")} == {60}
    with pytest.raises(ValueError, match="Kies uit"):
        im.place_svg("mooi")
