"""Tests for analysis.render.maps: the map of a layer specification: suppression, offline HTML, escaping, layers, controls."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.components import COMPONENTS_BY_KEY
from analysis.compute.pattern import CLUSTER_LABELS, PATTERN_TITLE
from analysis.model import CRS_RD
from analysis.render.classes import sequential_palette
from analysis.render.geometry import display_geometry
from analysis.render.layers import (
    BASEMAPS,
    DEFAULT_BASEMAP,
    TILE_HOSTS,
    AreaLayer,
    FacilityLayer,
    MapSpec,
    MapView,
    NetworkLayer,
    PatternLayer,
    WhiteSpotLayer,
)
from analysis.render.leaflet import SUPPRESSED_LABEL, WHITE_SPOT_LABEL
from analysis.render.maps import build_map, clicked_area_code, map_links
from tests.render.mapdata import X0, Y0, facilities_frame, grid_areas

URL_PATTERN = re.compile(r"https?://[^\s\"'<>\\)]+")
XSS_NAME = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------

def area_layer(m: folium.Map) -> folium.GeoJson:
    """The GeoJson layer of the areas (the first GeoJson directly on the map)."""
    return next(child for child in m._children.values() if isinstance(child, folium.GeoJson))


def feature_styles(layer: folium.GeoJson) -> list[dict]:
    """The style the layer gives each of its features, in feature order."""
    return [layer.style_function(feature) for feature in layer.data["features"]]


def tooltips(layer: folium.GeoJson) -> list[str]:
    """The tooltip HTML of each feature of a GeoJson layer."""
    return [feature["properties"]["tooltip"] for feature in layer.data["features"]]


def all_geojson(element) -> list[folium.GeoJson]:
    """Every GeoJson below ``element``."""
    found = [element] if isinstance(element, folium.GeoJson) else []
    for child in getattr(element, "_children", {}).values():
        found.extend(all_geojson(child))
    return found


def legend_html(page: str) -> str:
    """The legend's HTML from a rendered map page."""
    return json.loads(re.search(r"div\.innerHTML = (\".*?\");", page).group(1))


# --------------------------------------------------------------------------------------------------
# Legend
# --------------------------------------------------------------------------------------------------

def test_legend_lists_every_class_with_its_colour():
    values = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    areas = display_geometry(grid_areas([f"Gebied {i}" for i in range(6)], values))
    m = build_map(MapSpec(AreaLayer(areas, value_column="waarde", value_label="Cohesie (0-10)", k=3,
                                    scheme="quantiles"), view=MapView(basemap="Geen achtergrond")))
    page = m.get_root().render()
    colours = sequential_palette(3)
    # Terciles of 10..60 are 26.67 and 43.33; with a spread of 50 the labels show whole numbers.
    labels = ["10 – 27", "27 – 43", "43 – 60"]
    legend = legend_html(page)
    assert "Cohesie (0-10)" in legend
    for colour, label in zip(colours, labels):
        assert f"background:{colour}" in legend and label in legend
    # Highest class first in the legend.
    assert legend.index(labels[2]) < legend.index(labels[1]) < legend.index(labels[0])
    styles = feature_styles(area_layer(m))
    assert [s["fillColor"] for s in styles] == [colours[0]] * 2 + [colours[1]] * 2 + [colours[2]] * 2


# --------------------------------------------------------------------------------------------------
# Suppressed areas
# --------------------------------------------------------------------------------------------------

def test_suppressed_area_is_grey_hatched_and_labelled_never_a_class_colour():
    values = [10.0, 20.0, 30.0, 40.0, 1000.0]
    areas = display_geometry(grid_areas(["a", "b", "c", "d", "Klein"], values))
    suppressed = np.array([False, False, False, False, True])
    m = build_map(MapSpec(AreaLayer(areas, value_column="waarde", value_label="Eenzaam (%)",
                                    suppressed_mask=suppressed, k=4)))
    layer = area_layer(m)
    styles = feature_styles(layer)
    palette = set(sequential_palette(4))
    assert styles[4]["fillColor"] not in palette
    assert "ww-suppressed" in styles[4]["className"]
    assert styles[4].get("dashArray")
    assert all(s["fillColor"] in palette for s in styles[:4])
    tips = tooltips(layer)
    assert SUPPRESSED_LABEL in tips[4] and "1.000" not in tips[4]
    assert all(SUPPRESSED_LABEL not in t for t in tips[:4])
    page = m.get_root().render()
    legend = legend_html(page)
    # The suppressed value takes no part in the classes: quartiles of 10..40 end at 40, not 1.000.
    assert "– 40</span>" in legend and "1.000" not in legend
    assert f"<span>{SUPPRESSED_LABEL}</span>" in legend
    assert "ww-hatch-grey" in page


def test_suppressed_mask_as_series_aligns_by_index():
    areas = display_geometry(grid_areas(["a", "b", "c"], [1.0, 2.0, 3.0]))
    mask = pd.Series([True, False, False], index=areas.index[::-1])  # last area suppressed
    styles = feature_styles(area_layer(build_map(MapSpec(AreaLayer(areas, value_column="waarde",
                                                                   suppressed_mask=mask)))))
    assert ["ww-suppressed" in s["className"] for s in styles] == [False, False, True]


# --------------------------------------------------------------------------------------------------
# Offline: no outside host but the basemap tiles
# --------------------------------------------------------------------------------------------------

def full_map(basemap: str = DEFAULT_BASEMAP, names: list[str] | None = None) -> folium.Map:
    """A map with every kind of layer: choropleth, suppression, facilities, network, witte vlekken, LISA."""
    names = names or ["Noord", "Oost", "Zuid", "West"]
    areas = display_geometry(grid_areas(names, [1.0, 2.0, 3.0, 4.0]))
    facilities = facilities_frame([
        ("ontmoeting", "Buurthuis", 500, 500), ("ontmoeting", "Wijkcentrum", 1500, 500),
        ("zorg", "Huisarts", 2500, 500), ("sport", "Sporthal", 3500, 500),
    ])
    associations = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "naam": ["Voetbal", "Koor", "Schaakclub"], "soort": ["sport", "cultuur", "hobby"]},
        geometry=shapely.points([X0 + 300, X0 + 1300, X0 + 2300], [Y0 + 700] * 3), crs=CRS_RD,
    )
    ties = pd.DataFrame({"van": ["a", "b", "b", "a", "a"], "naar": ["b", "a", "c", "a", "z"]})
    spots = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 3000, Y0, X0 + 3400, Y0 + 400)], crs=CRS_RD)
    lisa = pd.DataFrame({"gebiedscode": ["A0", "A1", "A2", "A3"], "cluster": ["HH", "ns", "LL", "LH"]})
    return build_map(MapSpec(
        AreaLayer(areas, value_column="waarde", value_label="Score", suppressed_mask=[False, True, False, False]),
        facilities=FacilityLayer(facilities), network=NetworkLayer(associations, ties),
        white_spots=WhiteSpotLayer(spots), patterns=PatternLayer(lisa), view=MapView(basemap=basemap),
    ))


@pytest.mark.parametrize("basemap", list(BASEMAPS))
def test_map_html_names_no_host_but_the_tile_servers(basemap):
    page = full_map(basemap).get_root().render()
    hosts = {urlsplit(url).hostname for url in URL_PATTERN.findall(page)}
    assert hosts <= set(TILE_HOSTS), hosts - set(TILE_HOSTS)
    assert "cdn" not in page.lower()
    js, css = map_links(full_map(basemap))
    assert js and css
    assert all(not urlsplit(url).scheme and not urlsplit(url).netloc for url in js + css)


def test_streamlit_folium_loads_only_local_assets(tmp_path):
    # What the real component receives (its own walk over the map), not our copy of that walk.
    from streamlit.testing.v1 import AppTest

    script = f"""
import sys
sys.path.insert(0, {str(__import__('pathlib').Path(__file__).resolve().parents[2])!r})
from streamlit_folium import st_folium
from tests.render.test_maps import full_map
st_folium(full_map(), key="kaart", height=400, returned_objects=[])
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    assert not at.exception
    components = [el for el in at.get("component_instance")
                  if el.proto.component_name == "streamlit_folium.st_folium"]
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert any(link.endswith("/leaflet/leaflet.js") for link in args["js_links"])
    assert all(not urlsplit(link).netloc for link in links), links
    hosts = {urlsplit(url).hostname for url in URL_PATTERN.findall(args["script"] + args["header"] + args["html"])}
    assert hosts <= set(TILE_HOSTS)


def test_no_background_adds_no_tile_layer():
    m = full_map("Geen achtergrond")
    page = m.get_root().render()
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles  # the others can still be chosen in the layer control ...
    for tile in tiles:  # ... but none is on the map when it opens
        assert f"{tile.get_name()}.addTo(" not in page
    default = full_map(DEFAULT_BASEMAP)
    default_page = default.get_root().render()
    shown = [c for c in default._children.values()
             if isinstance(c, folium.TileLayer) and f"{c.get_name()}.addTo(" in default_page]
    assert [c.layer_name for c in shown] == [DEFAULT_BASEMAP]
    assert BASEMAPS["Geen achtergrond"].tiles_url is None


# --------------------------------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------------------------------

def test_names_are_escaped_in_tooltips_and_legend():
    areas = display_geometry(grid_areas([XSS_NAME, "Oost & West"], [1.0, 2.0]))
    areas["toelichting"] = ["<b>vet</b>", "gewoon"]
    facilities = facilities_frame([("zorg", "<img src=x onerror=alert(2)>", 500, 500)])
    associations = gpd.GeoDataFrame({"id": ["a"], "naam": ['"><svg onload=alert(3)>'], "soort": ["<i>sport</i>"]},
                                    geometry=shapely.points([X0 + 100], [Y0 + 100]), crs=CRS_RD)
    m = build_map(MapSpec(
        AreaLayer(areas, value_column="waarde", value_label="<u>Score</u>",
                  tooltip_columns={"toelichting": "Toelichting <x>"}),
        facilities=FacilityLayer(facilities),
        network=NetworkLayer(associations, pd.DataFrame({"van": [], "naar": []})),
    ))
    tips = tooltips(area_layer(m))
    assert tips[0].startswith(f"<b>{XSS_ESCAPED}</b>")
    assert "Oost &amp; West" in tips[1]
    assert "&lt;b&gt;vet&lt;/b&gt;" in tips[0] and "Toelichting &lt;x&gt;" in tips[0]
    assert "&lt;u&gt;Score&lt;/u&gt;" in tips[0]
    every_tip = [t for layer in all_geojson(m) for t in tooltips(layer) if layer.data["features"]
                 and "tooltip" in layer.data["features"][0]["properties"]]
    joined = " ".join(every_tip)
    assert "&lt;img src=x onerror=alert(2)&gt;" in joined
    assert "&quot;&gt;&lt;svg onload=alert(3)&gt;" in joined and "&lt;i&gt;sport&lt;/i&gt;" in joined
    for raw in ("<img", "<svg onload", "<i>", "<script", "<u>", "<x>"):
        assert raw not in joined
    page = m.get_root().render()
    for raw in ("<script>alert", "<img src=x", "<u>Score", "<svg onload"):
        assert raw not in page


# --------------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------------

def test_each_component_is_its_own_toggleable_layer():
    areas = display_geometry(grid_areas(["a", "b"]))
    facilities = facilities_frame([
        ("ontmoeting", "Buurthuis", 100, 100), ("ontmoeting", "Wijkcentrum", 900, 100),
        ("zorg", "Huisarts", 1200, 300), ("openbare_ruimte", "Park", 1500, 800),
    ])
    m = build_map(MapSpec(AreaLayer(areas), facilities=FacilityLayer(facilities, frozenset({"zorg"}))))
    groups = {c.layer_name: c for c in m._children.values()
              if isinstance(c, folium.FeatureGroup) and c.overlay}
    expected = {key: COMPONENTS_BY_KEY[key].label for key in ("ontmoeting", "zorg", "openbare_ruimte")}
    for label in expected.values():
        matches = [g for name, g in groups.items() if name.endswith(label)]
        assert len(matches) == 1, label
        assert matches[0].control
    # Components without facilities get no layer.
    assert not any(name.endswith(COMPONENTS_BY_KEY["sport"].label) for name in groups)
    shown = {name for name, g in groups.items() if g.show}
    assert shown == {n for n in groups if n.endswith(expected["zorg"])}
    # Two markers in the ontmoeting layer.
    ontmoeting = next(g for n, g in groups.items() if n.endswith(expected["ontmoeting"]))
    assert sum(len(layer.data["features"]) for layer in all_geojson(ontmoeting)) == 2
    page = m.get_root().render()
    assert "L.control.layers(" in page


def test_network_layer_lines_and_sizes_by_hand():
    m = full_map()
    network = next(c for c in m._children.values()
                   if isinstance(c, folium.FeatureGroup) and c.layer_name == "Netwerk van verenigingen")
    lines = [c for c in network._children.values() if isinstance(c, folium.PolyLine)]
    # Ties a-b, b-a (same pair), b-c, a-a (self) and a-z (unknown): two lines.
    assert len(lines) == 1 and len(lines[0].locations) == 2
    points = all_geojson(network)[0]
    radii = [points.style_function(f)["radius"] for f in points.data["features"]]
    # Degree a=1, b=2, c=1: radius round(3 + 2 * sqrt(degree)).
    assert radii == [5, 6, 5]
    assert "2 verbindingen" in tooltips(points)[1]


def test_white_spot_and_lisa_layers_with_legend():
    m = full_map()
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert "Witte vlekken" in names and PATTERN_TITLE in names   # plain Dutch, not "LISA-clusters"
    lisa = next(c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == PATTERN_TITLE)
    assert len(lisa.data["features"]) == 3  # HH, LL, LH; "ns" is not drawn
    page = m.get_root().render()
    assert WHITE_SPOT_LABEL in page and CLUSTER_LABELS["HH"] in page and "LISA" not in page


def test_clicked_area_code():
    feature = {"last_active_drawing": {"properties": {"gebiedscode": "WK019301", "gebiedsnaam": "x"}}}
    assert clicked_area_code(feature) == "WK019301"
    assert clicked_area_code({"last_active_drawing": None}) is None
    assert clicked_area_code({"last_active_drawing": {"properties": {"naam": "Buurthuis"}}}) is None
    assert clicked_area_code(None) is None


def test_area_features_carry_code_and_name():
    areas = display_geometry(grid_areas(["Noord", "Zuid"], [1.0, 2.0]))
    props = [f["properties"] for f in area_layer(build_map(MapSpec(AreaLayer(areas, value_column="waarde"))))
             .data["features"]]
    assert [(p["gebiedscode"], p["gebiedsnaam"]) for p in props] == [("A0", "Noord"), ("A1", "Zuid")]
