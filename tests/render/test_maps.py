"""Tests for analysis.render.maps: display geometry, classes and palette, suppression, offline HTML, escaping, layers."""

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
from analysis.model import CRS_RD, CRS_WGS84
from analysis.render.maps import (
    BASEMAPS,
    DEFAULT_BASEMAP,
    SUPPRESSED_LABEL,
    TILE_HOSTS,
    WHITE_SPOT_LABEL,
    build_map,
    class_index,
    classify,
    clicked_area_code,
    display_geometry,
    fisher_jenks_bins,
    map_links,
    sequential_palette,
)

#: South-west corner of the fixtures (a spot in Zwolle, in RD metres).
X0, Y0 = 203_000.0, 502_000.0
URL_PATTERN = re.compile(r"https?://[^\s\"'<>\\)]+")
XSS_NAME = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------

def staircase_coverage(n_zones: int = 6, pixels: int = 120, pixel_m: float = 5.0, seed: int = 3) -> gpd.GeoDataFrame:
    """Areas that tile a square exactly, with 5 m staircase borders (many vertices, all shared).

    Every pixel goes to the nearest of ``n_zones`` random seeds; each area is the union of its pixels,
    so neighbours share their border vertex for vertex, like CBS buurten do.
    """
    rng = np.random.default_rng(seed)
    seeds = rng.uniform(0, pixels * pixel_m, size=(n_zones, 2))
    ix, iy = np.meshgrid(np.arange(pixels), np.arange(pixels))
    cx, cy = (ix.ravel() + 0.5) * pixel_m, (iy.ravel() + 0.5) * pixel_m
    zone = np.argmin((cx[:, None] - seeds[:, 0]) ** 2 + (cy[:, None] - seeds[:, 1]) ** 2, axis=1)
    boxes = shapely.box(X0 + ix.ravel() * pixel_m, Y0 + iy.ravel() * pixel_m,
                        X0 + (ix.ravel() + 1) * pixel_m, Y0 + (iy.ravel() + 1) * pixel_m)
    polygons = [shapely.coverage_union_all(boxes[zone == z]) for z in range(n_zones)]
    return gpd.GeoDataFrame(
        {"gebiedscode": [f"BU0000{z:04d}" for z in range(n_zones)],
         "gebiedsnaam": [f"Buurt {z}" for z in range(n_zones)],
         "waarde": np.arange(n_zones, dtype=float) * 10.0},
        geometry=polygons, crs=CRS_RD,
    )


def grid_areas(names: list[str], values: list[float] | None = None, size_m: float = 1000.0) -> gpd.GeoDataFrame:
    """A row of square areas in EPSG:28992, ``size_m`` wide, with the given names (codes A0, A1, ...)."""
    n = len(names)
    geometry = [shapely.box(X0 + i * size_m, Y0, X0 + (i + 1) * size_m, Y0 + size_m) for i in range(n)]
    data = {"gebiedscode": [f"A{i}" for i in range(n)], "gebiedsnaam": names}
    if values is not None:
        data["waarde"] = values
    return gpd.GeoDataFrame(data, geometry=geometry, crs=CRS_RD)


def facilities_frame(rows: list[tuple[str, str, float, float]]) -> gpd.GeoDataFrame:
    """Facilities (component, naam, x offset, y offset from the fixture corner) in EPSG:28992."""
    return gpd.GeoDataFrame(
        {"component": [r[0] for r in rows], "naam": [r[1] for r in rows], "soort": ["test"] * len(rows)},
        geometry=shapely.points([X0 + r[2] for r in rows], [Y0 + r[3] for r in rows]), crs=CRS_RD,
    )


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


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour."""
    channels = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


# --------------------------------------------------------------------------------------------------
# Display geometry
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# Classes, palette, legend
# --------------------------------------------------------------------------------------------------

def test_classify_quantiles_by_hand():
    values = pd.Series([float(v) for v in range(1, 11)] + [np.nan])
    bins, labels = classify(values, k=5, scheme="quantiles")
    # Percentiles 20, 40, 60, 80, 100 of 1..10 (linear interpolation).
    assert np.allclose(bins, [2.8, 4.6, 6.4, 8.2, 10.0])
    assert labels == ["1,0 – 2,8", "2,8 – 4,6", "4,6 – 6,4", "6,4 – 8,2", "8,2 – 10,0"]
    classes = class_index(values, bins)
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]


def test_classify_natural_breaks_by_hand():
    values = pd.Series([1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0, 31.0])
    bins, labels = classify(values, k=3, scheme="natural_breaks")
    assert bins.tolist() == [3.0, 12.0, 31.0]
    assert labels == ["1 – 3", "3 – 12", "12 – 31"]
    assert class_index(values, bins).tolist() == [0, 0, 0, 1, 1, 1, 2, 2]


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fisher_jenks_matches_mapclassify(seed):
    import mapclassify

    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(5, 1, 40), rng.normal(9, 0.5, 20)]).round(1)
    for k in (2, 4, 6):
        assert np.allclose(fisher_jenks_bins(values, k), mapclassify.FisherJenks(values, k=k).bins)


def test_fisher_jenks_on_many_distinct_values_is_fast_and_ends_at_the_maximum():
    values = np.random.default_rng(5).lognormal(1.0, 0.6, 20_000)
    bins = fisher_jenks_bins(values, 5)
    assert len(bins) == 5 and np.all(np.diff(bins) > 0)
    assert bins[-1] == values.max()


@pytest.mark.parametrize("k", [3, 5])
def test_quantiles_match_mapclassify(k):
    import mapclassify

    values = pd.Series(np.random.default_rng(k).lognormal(2.0, 0.5, 73))
    assert np.allclose(classify(values, k=k, scheme="quantiles")[0], mapclassify.Quantiles(values, k=k).bins)


def test_classify_fewer_distinct_values_than_classes():
    bins, labels = classify(pd.Series([5.0, 5.0, 7.0]), k=5)
    assert len(bins) == len(labels) <= 2
    bins, labels = classify(pd.Series([4.0, 4.0]), k=5)
    assert labels == ["4"]
    assert classify(pd.Series([np.nan, np.nan]), k=5)[1] == []
    with pytest.raises(ValueError):
        classify(pd.Series([1.0, 2.0, 3.0]), scheme="gelijke_intervallen")


@pytest.mark.parametrize("k", [3, 5, 7])
def test_palette_is_sequential_and_darkest_is_best(k):
    up = sequential_palette(k, higher_is_better=True)
    down = sequential_palette(k, higher_is_better=False)
    assert len(up) == len(set(up)) == k
    assert down == up[::-1]
    luminance = [relative_luminance(c) for c in up]
    # Monotone in lightness (readable without hue, so for colour-blind readers and in grey print):
    # lowest class lightest, highest (best) darkest, each step clearly different.
    assert all(a > b for a, b in zip(luminance, luminance[1:]))
    assert min(a - b for a, b in zip(luminance, luminance[1:])) > 0.02
    # Viridis ends: yellow (light) and dark purple.
    assert up[0] == "#fde725" and up[-1] == "#440154"


def test_legend_lists_every_class_with_its_colour():
    values = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    areas = display_geometry(grid_areas([f"Gebied {i}" for i in range(6)], values))
    m = build_map(areas, value_column="waarde", value_label="Cohesie (0-10)", k=3, scheme="quantiles",
                  basemap="Geen achtergrond")
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
    m = build_map(areas, value_column="waarde", value_label="Eenzaam (%)", suppressed_mask=suppressed, k=4)
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
    styles = feature_styles(area_layer(build_map(areas, value_column="waarde", suppressed_mask=mask)))
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
    return build_map(areas, value_column="waarde", value_label="Score", suppressed_mask=[False, True, False, False],
                     facilities=facilities, network=(associations, ties), white_spots=spots, lisa=lisa,
                     basemap=basemap)


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
    m = build_map(areas, value_column="waarde", value_label="<u>Score</u>", facilities=facilities,
                  network=(associations, pd.DataFrame({"van": [], "naar": []})),
                  tooltip_columns={"toelichting": "Toelichting <x>"})
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
    m = build_map(areas, facilities=facilities, visible_components=["zorg"])
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
    assert "Witte vlekken" in names and "LISA-clusters" in names
    lisa = next(c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "LISA-clusters")
    assert len(lisa.data["features"]) == 3  # HH, LL, LH; "ns" is not drawn
    page = m.get_root().render()
    assert WHITE_SPOT_LABEL in page and "hoog-hoog (hotspot)" in page


def test_clicked_area_code():
    feature = {"last_active_drawing": {"properties": {"gebiedscode": "WK019301", "gebiedsnaam": "x"}}}
    assert clicked_area_code(feature) == "WK019301"
    assert clicked_area_code({"last_active_drawing": None}) is None
    assert clicked_area_code({"last_active_drawing": {"properties": {"naam": "Buurthuis"}}}) is None
    assert clicked_area_code(None) is None


def test_area_features_carry_code_and_name():
    areas = display_geometry(grid_areas(["Noord", "Zuid"], [1.0, 2.0]))
    props = [f["properties"] for f in area_layer(build_map(areas, value_column="waarde")).data["features"]]
    assert [(p["gebiedscode"], p["gebiedsnaam"]) for p in props] == [("A0", "Noord"), ("A1", "Zuid")]
