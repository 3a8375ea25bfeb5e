"""Folium maps of areas, facilities, networks and spatial patterns that need nothing but a locally served Leaflet."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import branca.colormap
import folium
import folium.elements
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template
from folium.utilities import JsCode

from analysis.components import COMPONENTS, COMPONENTS_BY_KEY
from analysis.formatting import format_number, format_numbers
from analysis.model import CRS_RD, CRS_WGS84
from analysis.render.assets import COMPONENT_ASSET_BASE_URL, leaflet_urls

__all__ = [
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "NO_DATA_LABEL",
    "SUPPRESSED_LABEL",
    "LISA_CLUSTERS",
    "Basemap",
    "build_map",
    "class_index",
    "classify",
    "clicked_area_code",
    "display_geometry",
    "map_links",
    "map_payload_bytes",
    "marker_svg",
    "sequential_palette",
]

#: Decimals of lon/lat kept for display: 1e-5 degree is about 1.1 m north-south and 0.7 m east-west.
DISPLAY_DECIMALS = 5

SUPPRESSED_LABEL = "te weinig respons"
NO_DATA_LABEL = "geen gegevens"
WHITE_SPOT_LABEL = "witte vlek (buiten de loopnorm)"

#: LISA cluster codes -> (Dutch label, outline colour, dash pattern). GeoDa's colours; outliers dashed
#: so that they differ by more than colour alone.
LISA_CLUSTERS: dict[str, tuple[str, str, str | None]] = {
    "HH": ("hoog-hoog (hotspot)", "#d7191c", None),
    "LL": ("laag-laag (coldspot)", "#2c7bb6", None),
    "HL": ("hoog-laag (uitschieter)", "#fdae61", "7 5"),
    "LH": ("laag-hoog (uitschieter)", "#abd9e9", "7 5"),
}

_SUPPRESSED_FILL = "#f0f0f0"
_NO_DATA_FILL = "#d9d9d9"
_OUTLINE = "#3d3d3d"
_WHITE_SPOT_RED = "#d62728"
_NETWORK_COLOUR = COMPONENTS_BY_KEY["verenigingen"].colour

#: Viridis sampled at 0, 0.1, ..., 1 (dark purple to yellow); colour-blind safe and monotone in lightness.
_VIRIDIS_ANCHORS: tuple[str, ...] = (
    "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
    "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725",
)


@dataclass(frozen=True)
class Basemap:
    """A background map choice.

    Attributes
    ----------
    name : str
        Dutch name shown in the layer control and the page's select box.
    tiles_url : str or None
        XYZ tile URL template; ``None`` for a plain background without tiles.
    attribution : str
        Attribution (publisher and licence) as plain text: no links, so the map's HTML names no
        host but the tile servers.
    max_zoom : int
        Highest zoom level the tiles exist for.
    """

    name: str
    tiles_url: str | None
    attribution: str
    max_zoom: int = 19


DEFAULT_BASEMAP = "PDOK BRT-Achtergrondkaart"

#: The basemaps, the default first. Tiles are the only requests a map makes to another host.
BASEMAPS: dict[str, Basemap] = {
    b.name: b
    for b in (
        Basemap(
            DEFAULT_BASEMAP,
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
            "Achtergrond: &copy; Kadaster / PDOK, CC BY 4.0",
            19,
        ),
        Basemap(
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Achtergrond: &copy; OpenStreetMap-bijdragers, ODbL",
            19,
        ),
        Basemap("Geen achtergrond", None, "", 19),
    )
}

#: Hosts the basemaps load tiles from (the only outside hosts a map may contact).
TILE_HOSTS: tuple[str, ...] = ("service.pdok.nl", "tile.openstreetmap.org")


# --------------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------------

def _round_coordinates(geometries: np.ndarray, decimals: int = DISPLAY_DECIMALS) -> np.ndarray:
    """Round every coordinate of ``geometries`` to ``decimals`` and drop repeated vertices."""
    rounded = shapely.transform(geometries, lambda coords: np.round(coords, decimals))
    return shapely.remove_repeated_points(rounded, 0.0)


def display_geometry(areas: gpd.GeoDataFrame, tolerance_m: float = 10.0) -> gpd.GeoDataFrame:
    """Areas ready for a web map: simplified as a coverage, in EPSG:4326, rounded to about 1 m.

    ``shapely.coverage_simplify`` simplifies each shared border once, so neighbours keep sharing
    it (no slivers or gaps). Coordinates are then converted to lon/lat and rounded to 5 decimals,
    which roughly halves the size of the GeoJSON the browser receives.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas (polygons) with a CRS, normally EPSG:28992; other columns are kept.
    tolerance_m : float
        Simplification tolerance in metres; 0 keeps every vertex.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``areas`` with display geometry in EPSG:4326.
    """
    if areas.crs is None:
        raise ValueError("De gebieden hebben geen coördinatenstelsel (CRS); verwacht EPSG:28992.")
    rd = areas.to_crs(CRS_RD)
    geometries = np.asarray(rd.geometry.array, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    simplified = geometries.copy()
    if tolerance_m > 0 and usable.any():
        simplified[usable] = shapely.coverage_simplify(geometries[usable], float(tolerance_m))
    lonlat = gpd.GeoSeries(simplified, index=areas.index, crs=CRS_RD).to_crs(CRS_WGS84)
    result = areas.copy()
    result = result.set_geometry(
        gpd.GeoSeries(_round_coordinates(np.asarray(lonlat.array, dtype=object)), index=areas.index,
                      crs=CRS_WGS84),
        crs=CRS_WGS84,
    )
    if result.geometry.name != areas.geometry.name:
        result = result.rename_geometry(areas.geometry.name)
    return result


def _to_display(frame: gpd.GeoDataFrame, tolerance_m: float = 0.0) -> gpd.GeoSeries:
    """Geometry of ``frame`` (any CRS) in EPSG:4326, optionally simplified, rounded for display."""
    if frame.crs is None:
        raise ValueError("Een kaartlaag heeft geen coördinatenstelsel (CRS); verwacht EPSG:28992.")
    geometry = frame.geometry
    if tolerance_m > 0:
        geometry = geometry.to_crs(CRS_RD).simplify(tolerance_m, preserve_topology=True)
    lonlat = geometry.to_crs(CRS_WGS84)
    return gpd.GeoSeries(_round_coordinates(np.asarray(lonlat.array, dtype=object)), index=frame.index,
                         crs=CRS_WGS84)


def _polygon_geometries(geometries: np.ndarray) -> list[dict[str, Any]] | None:
    """GeoJSON geometry dicts built from flat coordinate arrays; ``None`` unless all are (Multi)Polygons.

    ``shapely.to_ragged_array`` gives all coordinates and the ring, part and geometry offsets at once,
    so the nested lists come from numpy's ``tolist`` instead of parsing one GeoJSON string per area.
    """
    kinds = shapely.get_type_id(geometries)
    if len(geometries) == 0 or not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        return None
    _kind, coords, offsets = shapely.to_ragged_array(geometries)
    ring_offsets = offsets[0]
    rings = np.split(coords, ring_offsets[1:-1]) if len(ring_offsets) > 2 else [coords]
    ring_lists = [ring.tolist() for ring in rings]
    polygons = [ring_lists[a:b] for a, b in zip(offsets[1][:-1], offsets[1][1:], strict=True)]
    if len(offsets) == 2:  # all Polygons
        return [{"type": "Polygon", "coordinates": rings_} for rings_ in polygons]
    return [{"type": "MultiPolygon", "coordinates": polygons[a:b]}
            for a, b in zip(offsets[2][:-1], offsets[2][1:], strict=True)]


def _feature_collection(geometries: gpd.GeoSeries, properties: pd.DataFrame) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with integer feature ids 0..n-1 and only the given properties."""
    array = np.asarray(geometries.array, dtype=object)
    shapes = _polygon_geometries(array)
    if shapes is None:
        shapes = [json.loads(g) for g in shapely.to_geojson(array)]
    records = properties.astype(object).where(properties.notna(), None).to_dict("records")
    features = [
        {"type": "Feature", "id": i, "properties": props, "geometry": shape}
        for i, (shape, props) in enumerate(zip(shapes, records, strict=True))
    ]
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------------------------------
# Numbers, classes and colours
# --------------------------------------------------------------------------------------------------

def _interpolate_hex(anchors: tuple[str, ...], positions: np.ndarray) -> list[str]:
    """Colours at ``positions`` (0..1) along the piecewise linear ramp through ``anchors``."""
    rgb = np.array([[int(a[i:i + 2], 16) for i in (1, 3, 5)] for a in anchors], dtype=float)
    grid = np.linspace(0.0, 1.0, len(anchors))
    channels = [np.interp(positions, grid, rgb[:, c]) for c in range(3)]
    out = np.rint(np.column_stack(channels)).astype(int)
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in out]


def sequential_palette(k: int, higher_is_better: bool = True) -> list[str]:
    """A colour-blind-safe sequential palette (viridis) of ``k`` colours, lowest class first.

    Darker always means better: when higher is better the ramp runs from light (low) to dark (high);
    when lower is better it is reversed, so a reader never has to relearn the colours.

    Parameters
    ----------
    k : int
        Number of classes (at least 1).
    higher_is_better : bool
        Direction of the indicator.

    Returns
    -------
    list of str
        Hex colours for classes 0..k-1 (class 0 holds the lowest values).
    """
    if k < 1:
        return []
    positions = np.array([0.5]) if k == 1 else np.linspace(0.0, 1.0, k)
    dark_to_light = _interpolate_hex(_VIRIDIS_ANCHORS, positions)
    return dark_to_light[::-1] if higher_is_better else dark_to_light


def _label_decimals(values: np.ndarray, edges: np.ndarray) -> int:
    """Fewest decimals (0-4) that show the class edges as distinct numbers."""
    if np.allclose(values, np.round(values)) and np.allclose(edges, np.round(edges)):
        return 0
    spread = float(np.nanmax(values) - np.nanmin(values))
    decimals = 1 if spread <= 0 else int(np.clip(1 - math.floor(math.log10(spread)), 0, 3))
    while decimals < 4 and len({round(float(e), decimals) for e in edges}) < len(edges):
        decimals += 1
    return decimals


#: Above this many distinct values natural breaks are computed on evenly spaced quantiles (time and
#: memory grow with the square of the number of distinct values).
_JENKS_MAX_DISTINCT = 1000


def fisher_jenks_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Exact Fisher-Jenks natural breaks: class upper bounds minimising the within-class sum of squares.

    The same optimum as ``mapclassify.FisherJenks``, but vectorised with numpy (milliseconds for a few
    hundred areas, where mapclassify's pure-Python fallback needs about 0.4 s for 500 without numba).
    Works on the distinct values weighted by their counts, so equal values always share a class. With
    more than 1,000 distinct values it runs on 1,000 evenly spaced quantiles (deterministic) and the
    last bound is the maximum.

    Parameters
    ----------
    values : numpy.ndarray
        Finite values.
    k : int
        Number of classes (at most the number of distinct values).

    Returns
    -------
    numpy.ndarray
        Upper bound of each class, ascending (the last is the maximum).
    """
    values = np.asarray(values, dtype=float)
    distinct, counts = np.unique(values, return_counts=True)
    if distinct.size > _JENKS_MAX_DISTINCT:
        distinct = np.quantile(values, np.linspace(0.0, 1.0, _JENKS_MAX_DISTINCT))
        counts = np.ones(distinct.size)
    n = distinct.size
    k = int(min(max(k, 1), n))
    weights = np.concatenate([[0.0], np.cumsum(counts)])
    sums = np.concatenate([[0.0], np.cumsum(distinct * counts)])
    squares = np.concatenate([[0.0], np.cumsum(distinct ** 2 * counts)])
    start, end = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")  # class = distinct[start..end]
    valid = start <= end
    w = np.where(valid, weights[end + 1] - weights[start], 1.0)
    s1 = sums[end + 1] - sums[start]
    cost = np.where(valid, squares[end + 1] - squares[start] - s1 * s1 / w, np.inf)
    best = cost[0].copy()  # best[j]: one class holding distinct[0..j]
    first_of_last: list[np.ndarray] = []
    for _ in range(1, k):
        previous = np.concatenate([[np.inf], best[:-1]])  # classes so far end at start - 1
        total = previous[:, None] + cost
        choice = np.argmin(total, axis=0)
        best = total[choice, np.arange(n)]
        first_of_last.append(choice)
    uppers = [n - 1]
    for choice in reversed(first_of_last):
        uppers.append(int(choice[uppers[-1]]) - 1)
    return distinct[np.array(uppers[::-1], dtype=int)]


def classify(
    values: pd.Series,
    k: int = 5,
    scheme: Literal["quantiles", "natural_breaks"] = "quantiles",
) -> tuple[np.ndarray, list[str]]:
    """Class breaks and Dutch labels for a choropleth (quantiles or Fisher-Jenks natural breaks).

    Missing values are ignored. With fewer distinct values than ``k`` there are fewer classes.

    Parameters
    ----------
    values : pandas.Series
        The indicator values.
    k : int
        Wanted number of classes.
    scheme : {"quantiles", "natural_breaks"}
        Quantiles (equal counts) or natural breaks (Fisher-Jenks, exact and deterministic, see
        :func:`fisher_jenks_bins`).

    Returns
    -------
    bins : numpy.ndarray
        Upper bound of each class (the last is the maximum); class ``i`` holds
        ``bins[i-1] < v <= bins[i]``.
    labels : list of str
        ``"min – b0"``, ``"b0 – b1"``, ... in Dutch notation (decimal comma).
    """
    finite = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.array([], dtype=float), []
    distinct = np.unique(finite)
    if distinct.size == 1:
        return distinct.astype(float), [format_number(distinct[0], _label_decimals(distinct, distinct))]
    k_eff = int(max(1, min(k, distinct.size)))
    if scheme == "quantiles":
        # As mapclassify.Quantiles (linear interpolation), without importing it (about 1.5 s).
        bins = np.quantile(finite, np.arange(1, k_eff + 1) / k_eff)
    elif scheme == "natural_breaks":
        bins = fisher_jenks_bins(finite, k_eff)
    else:
        raise ValueError(f"Onbekende klasse-indeling '{scheme}'. Kies quantiles of natural_breaks.")
    bins = np.unique(np.asarray(bins, dtype=float))
    lowest = float(finite.min())
    edges = np.concatenate([[lowest], bins])
    decimals = _label_decimals(finite, edges)
    labels = [
        f"{format_number(lo, decimals)} – {format_number(hi, decimals)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    return bins, labels


def class_index(values: pd.Series | np.ndarray, bins: np.ndarray) -> np.ndarray:
    """Class of each value for ``bins`` from :func:`classify` (-1 for missing values).

    Class ``i`` holds ``bins[i-1] < v <= bins[i]``; values above the last bin go to the last class.
    """
    numeric = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()
    if len(bins) == 0:
        return np.full(numeric.shape, -1, dtype=int)
    index = np.searchsorted(np.asarray(bins, dtype=float), numeric, side="left")
    index = np.minimum(index, len(bins) - 1)
    return np.where(np.isfinite(numeric), index, -1).astype(int)


# --------------------------------------------------------------------------------------------------
# Markers and small HTML pieces
# --------------------------------------------------------------------------------------------------

def _regular_polygon(n: int, radius: float, centre: tuple[float, float], rotation_deg: float = -90.0,
                     inner_radius: float | None = None) -> str:
    """SVG ``points`` of a regular polygon (or a star when ``inner_radius`` is given)."""
    count = 2 * n if inner_radius is not None else n
    angles = np.deg2rad(rotation_deg + np.arange(count) * 360.0 / count)
    radii = np.full(count, radius)
    if inner_radius is not None:
        radii[1::2] = inner_radius
    xs = centre[0] + radii * np.cos(angles)
    ys = centre[1] + radii * np.sin(angles)
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def marker_svg(shape: str, colour: str, size_px: int = 18) -> str:
    """An inline SVG marker of ``shape`` (the component table's marker names) filled with ``colour``.

    Parameters
    ----------
    shape : str
        One of circle, diamond, hexagon, square, plus, star, triangle, pentagon.
    colour : str
        Hex fill colour.
    size_px : int
        Width and height in pixels.

    Returns
    -------
    str
        An ``<svg>`` element with a white outline, safe to put in HTML.
    """
    colour = html.escape(colour, quote=True)
    if shape == "circle":
        body = '<circle cx="10" cy="10" r="7.5"/>'
    elif shape == "square":
        body = '<rect x="3" y="3" width="14" height="14"/>'
    elif shape == "diamond":
        body = '<polygon points="10,1 19,10 10,19 1,10"/>'
    elif shape == "triangle":
        body = f'<polygon points="{_regular_polygon(3, 9.5, (10, 11.5))}"/>'
    elif shape == "pentagon":
        body = f'<polygon points="{_regular_polygon(5, 8.8, (10, 10.6))}"/>'
    elif shape == "hexagon":
        body = f'<polygon points="{_regular_polygon(6, 8.8, (10, 10), rotation_deg=0)}"/>'
    elif shape == "star":
        body = f'<polygon points="{_regular_polygon(5, 9.6, (10, 10.8), inner_radius=4.2)}"/>'
    elif shape == "plus":
        body = '<polygon points="7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7"/>'
    else:
        raise ValueError(f"Onbekende markervorm '{shape}'.")
    return (
        f'<svg width="{size_px}" height="{size_px}" viewBox="0 0 20 20" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="1.6" aria-hidden="true">{body}</svg>'
    )


def _swatch(css_class: str, style: str = "") -> str:
    """A small legend square."""
    return f'<span class="ww-swatch {css_class}" style="{html.escape(style, quote=True)}"></span>'


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` as escaped HTML text (missing -> empty)."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    text = frame[column].astype("string").fillna("")
    return text.map(html.escape).astype(object)


# --------------------------------------------------------------------------------------------------
# Small Leaflet elements (no external script needed)
# --------------------------------------------------------------------------------------------------

class _MapStyle(folium.MacroElement):
    """CSS for legend, markers and tooltips (in the header) and the SVG hatch patterns (created by script)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            if (document.getElementById("ww-patterns")) { return; }
            // The HTML parser puts an inline <svg> in the SVG namespace by itself.
            var holder = document.createElement("div");
            holder.innerHTML = '<svg id="ww-patterns" width="0" height="0" aria-hidden="true" '
                + 'style="position:absolute">' + {{ this.patterns|tojson }} + '</svg>';
            document.body.appendChild(holder.firstChild);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, presentation: bool = False):
        super().__init__()
        self._name = "MapStyle"
        font = 20 if presentation else 13
        swatch = 22 if presentation else 14
        self.css = (
            ".leaflet-container{background:#f4f4f1;font-family:'Source Sans Pro','Segoe UI',Arial,sans-serif}"
            f".leaflet-container .leaflet-control-layers,.leaflet-tooltip{{font-size:{font}px}}"
            f".ww-legend{{background:rgba(255,255,255,.93);padding:8px 10px;border-radius:5px;"
            f"box-shadow:0 1px 5px rgba(0,0,0,.4);font-size:{font}px;line-height:1.35;color:#222;max-width:320px}}"
            ".ww-legend h4{margin:0 0 4px;font-size:1.05em}"
            ".ww-legend .ww-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            f".ww-swatch{{display:inline-block;width:{swatch}px;height:{swatch}px;flex:none;"
            "border:1px solid #3d3d3d;box-sizing:border-box}"
            ".ww-swatch.ww-suppressed{background:repeating-linear-gradient(45deg,#8c8c8c 0 2px,#f0f0f0 2px 6px);"
            "border-style:dashed}"
            f".ww-swatch.ww-nodata{{background:{_NO_DATA_FILL}}}"
            f".ww-swatch.ww-white-spot{{border:2px solid {_WHITE_SPOT_RED};background:repeating-linear-gradient("
            f"45deg,{_WHITE_SPOT_RED} 0 2px,transparent 2px 6px)}}"
            ".ww-swatch.ww-lisa{background:transparent;border-width:3px}"
            f"path.ww-suppressed{{fill:url(#ww-hatch-grey);fill-opacity:1}}"
            f"path.ww-white-spot{{fill:url(#ww-hatch-red);fill-opacity:1}}"
            ".ww-marker svg{filter:drop-shadow(0 0 1px rgba(0,0,0,.85));display:block}"
            ".leaflet-control-layers label svg{vertical-align:middle}"
        )
        self.patterns = (
            "<defs>"
            '<pattern id="ww-hatch-grey" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)">'
            f'<rect width="8" height="8" fill="{_SUPPRESSED_FILL}"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#8c8c8c" stroke-width="3"/></pattern>'
            '<pattern id="ww-hatch-red" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{_WHITE_SPOT_RED}" stroke-width="2" '
            'stroke-opacity="0.75"/></pattern>'
            "</defs>"
        )


class _MapBehaviour(folium.MacroElement):
    """A metric-only scale bar, and focus on click without scrolling the page.

    Leaflet's keyboard handler calls ``container.focus()`` on mousedown. When the map is only partly in
    view, the browser then scrolls the Streamlit page to show the whole iframe, between mousedown and
    mouseup, so the click lands on another spot and no area is clicked (its wijkprofiel never opens).
    The handler is re-bound with ``focus({preventScroll: true})``; arrow-key panning keeps working.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            L.control.scale({imperial: false}).addTo(map);
            var Keyboard = L.Map.Keyboard;
            if (!Keyboard || !map.keyboard) { return; }
            if (!Keyboard.prototype._wwNoScroll) {
                map.keyboard.disable();  // unbinds the original mousedown listener
                Keyboard.prototype._onMouseDown = function () {
                    if (this._focused) { return; }
                    this._map._container.focus({preventScroll: true});
                };
                Keyboard.prototype._wwNoScroll = true;
                map.keyboard.enable();
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MapBehaviour"


class _Legend(folium.MacroElement):
    """A Leaflet control holding prebuilt (escaped) legend HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "ww-legend leaflet-control");
            div.innerHTML = {{ this.content|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.content = content
        self.position = position


_BIND_TOOLTIP = JsCode(
    """function (feature, layer) {
        if (feature.properties && feature.properties.tooltip) {
            layer.bindTooltip(feature.properties.tooltip, {sticky: true});
        }
    }"""
)


# --------------------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------------------

def _legend_html(value_label: str, colours: list[str], labels: list[str], suppressed: bool, choropleth: bool,
                 white_spots: bool, lisa: bool) -> str:
    """The legend's HTML; every text from data or callers is escaped."""
    parts: list[str] = []
    if choropleth:
        parts.append(f"<h4>{html.escape(value_label or 'Waarde')}</h4>")
        for colour, label in zip(colours[::-1], labels[::-1], strict=True):
            parts.append(f'<div class="ww-row">{_swatch("ww-class", f"background:{colour}")}'
                         f"<span>{html.escape(label)}</span></div>")
        if suppressed:
            parts.append(f'<div class="ww-row">{_swatch("ww-suppressed")}<span>{SUPPRESSED_LABEL}</span></div>')
        parts.append(f'<div class="ww-row">{_swatch("ww-nodata")}<span>{NO_DATA_LABEL}</span></div>')
    if white_spots:
        parts.append(f'<div class="ww-row">{_swatch("ww-white-spot")}<span>{WHITE_SPOT_LABEL}</span></div>')
    if lisa:
        parts.append("<h4>Ruimtelijke clusters (LISA)</h4>")
        for label, colour, dash in LISA_CLUSTERS.values():
            style = f"border-color:{colour};border-style:{'dashed' if dash else 'solid'}"
            parts.append(f'<div class="ww-row">{_swatch("ww-lisa", style)}<span>{label}</span></div>')
    return "".join(parts)


def _add_basemaps(m: folium.Map, basemap: str) -> None:
    """Add every basemap as a base layer, showing ``basemap``."""
    if basemap not in BASEMAPS:
        raise ValueError(f"Onbekende achtergrondkaart '{basemap}'. Kies een van: {', '.join(BASEMAPS)}.")
    for spec in BASEMAPS.values():
        show = spec.name == basemap
        if spec.tiles_url is None:
            folium.FeatureGroup(name=spec.name, overlay=False, control=True, show=show).add_to(m)
        else:
            folium.TileLayer(
                tiles=spec.tiles_url, attr=spec.attribution, name=spec.name, max_zoom=spec.max_zoom,
                max_native_zoom=spec.max_zoom, overlay=False, control=True, show=show,
            ).add_to(m)


def _area_tooltips(areas: pd.DataFrame, value_text: pd.Series | None, value_label: str,
                   tooltip_columns: Mapping[str, str], lisa_labels: pd.Series | None) -> pd.Series:
    """Escaped tooltip HTML per area."""
    tips = "<b>" + _text_column(areas, "gebiedsnaam") + "</b>"
    if value_text is not None:
        tips = tips + "<br>" + html.escape(value_label or "Waarde") + ": " + value_text
    for column, label in tooltip_columns.items():
        if column not in areas.columns:
            continue
        if pd.api.types.is_numeric_dtype(areas[column]) and not pd.api.types.is_bool_dtype(areas[column]):
            text = format_numbers(areas[column])
        else:
            text = _text_column(areas, column)
        tips = tips + "<br>" + html.escape(label) + ": " + text
    if lisa_labels is not None:
        tips = tips + lisa_labels.map(lambda v: f"<br>Cluster: {v}" if isinstance(v, str) else "")
    return tips


def _area_styles(classes: np.ndarray, suppressed: np.ndarray, colours: list[str], choropleth: bool,
                 focus: np.ndarray, presentation: bool) -> list[dict[str, Any]]:
    """One Leaflet path style per area."""
    weight = 2.0 if presentation else 1.0
    base = {"color": _OUTLINE, "weight": weight, "opacity": 0.9, "className": "ww-area"}
    styles: list[dict[str, Any]] = []
    for cls, sup, foc in zip(classes, suppressed, focus, strict=True):
        if not choropleth:
            style = {**base, "fillColor": "#ffffff", "fillOpacity": 0.2, "weight": weight + 0.5}
        elif sup:
            style = {**base, "fillColor": _SUPPRESSED_FILL, "fillOpacity": 1.0, "dashArray": "4 3",
                     "color": "#6e6e6e", "className": "ww-area ww-suppressed"}
        elif cls < 0:
            style = {**base, "fillColor": _NO_DATA_FILL, "fillOpacity": 0.85, "color": "#6e6e6e",
                     "className": "ww-area ww-nodata"}
        else:
            style = {**base, "fillColor": colours[int(cls)], "fillOpacity": 0.75}
        if foc:
            style = {**style, "color": "#000000", "weight": 5.0 if presentation else 3.5, "opacity": 1.0}
        styles.append(style)
    return styles


def _add_facilities(m: folium.Map, facilities: gpd.GeoDataFrame, visible: set[str] | None,
                    presentation: bool) -> None:
    """One toggleable FeatureGroup per component: DivIcon SVG markers for points, polygons for areas."""
    if "component" not in facilities.columns or facilities.empty:
        return
    lonlat = _to_display(facilities, tolerance_m=2.0)
    is_point = (lonlat.geom_type == "Point").to_numpy()
    tips_base = "<b>" + _text_column(facilities, "naam") + "</b>"
    soort = _text_column(facilities, "soort")
    size = 26 if presentation else 18
    for comp in COMPONENTS:
        rows = (facilities["component"] == comp.key).fillna(False).to_numpy(dtype=bool)
        if not rows.any():
            continue
        label = html.escape(comp.label)
        tips = tips_base[rows] + "<br>" + label + soort[rows].map(lambda s: f" · {s}" if s else "")
        group = folium.FeatureGroup(
            name=f"{marker_svg(comp.marker, comp.colour, 14)} {label}", overlay=True, control=True,
            show=visible is None or comp.key in visible,
        )
        points, shapes = rows & is_point, rows & ~is_point
        if shapes.any():
            props = pd.DataFrame({"tooltip": tips[shapes[rows]]})
            folium.GeoJson(
                _feature_collection(lonlat[shapes], props),
                style_function=lambda _f, c=comp.colour: {
                    "color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.35, "className": "ww-facility-area"},
                on_each_feature=_BIND_TOOLTIP, control=False,
            ).add_to(group)
        if points.any():
            props = pd.DataFrame({"tooltip": tips[points[rows]]})
            icon = folium.DivIcon(
                html=marker_svg(comp.marker, comp.colour, size), icon_size=(size, size),
                icon_anchor=(size // 2, size // 2), class_name=f"ww-marker ww-marker-{comp.key}",
            )
            folium.GeoJson(
                _feature_collection(lonlat[points], props), marker=folium.Marker(icon=icon),
                on_each_feature=_BIND_TOOLTIP, control=False,
            ).add_to(group)
        group.add_to(m)


def _add_network(m: folium.Map, associations: gpd.GeoDataFrame, ties: pd.DataFrame) -> None:
    """Ties as thin lines and associations as circles sized by degree (distinct partners)."""
    if associations is None or associations.empty:
        return
    lonlat = _to_display(associations)
    ids = associations["id"].astype("string") if "id" in associations.columns else \
        pd.Series(associations.index.astype(str), index=associations.index, dtype="string")
    points = pd.DataFrame({"id": ids.to_numpy(), "lon": lonlat.x.to_numpy(), "lat": lonlat.y.to_numpy()})
    points = points.drop_duplicates("id").set_index("id")
    group = folium.FeatureGroup(name="Netwerk van verenigingen", overlay=True, control=True, show=True)

    degree = pd.Series(0, index=points.index, dtype="int64")
    if ties is not None and len(ties) and {"van", "naar"} <= set(ties.columns):
        pairs = pd.DataFrame({"a": ties["van"].astype("string"), "b": ties["naar"].astype("string")}).dropna()
        pairs = pairs[(pairs["a"] != pairs["b"]) & pairs["a"].isin(points.index) & pairs["b"].isin(points.index)]
        low = pairs.min(axis=1)
        high = pairs.max(axis=1)
        pairs = pd.DataFrame({"a": low, "b": high}).drop_duplicates()
        if len(pairs):
            counts = pd.concat([pairs["a"], pairs["b"]]).value_counts()
            degree = counts.reindex(points.index, fill_value=0).astype("int64")
            start = points.loc[pairs["a"], ["lat", "lon"]].to_numpy()
            end = points.loc[pairs["b"], ["lat", "lon"]].to_numpy()
            segments = np.stack([start, end], axis=1).round(DISPLAY_DECIMALS).tolist()
            folium.PolyLine(segments, color=_NETWORK_COLOUR, weight=1.5, opacity=0.55,
                            interactive=False).add_to(group)

    radius = np.clip(np.round(3 + 2 * np.sqrt(degree.to_numpy())), 3, 16).astype(int)
    order = pd.Index(ids.to_numpy()).get_indexer(points.index)
    tips = ("<b>" + _text_column(associations, "naam").iloc[order].to_numpy() + "</b>"
            + pd.Series(_text_column(associations, "soort").iloc[order].to_numpy()).map(
                lambda s: f"<br>{s}" if s else "").to_numpy()
            + "<br>" + degree.map(lambda d: f"{d} {'verbinding' if d == 1 else 'verbindingen'}").to_numpy())
    props = pd.DataFrame({"tooltip": tips})
    geometry = gpd.GeoSeries(shapely.points(points["lon"].to_numpy(), points["lat"].to_numpy()), crs=CRS_WGS84)
    radius_by_id = dict(enumerate(radius.tolist()))
    folium.GeoJson(
        _feature_collection(geometry, props),
        marker=folium.CircleMarker(radius=5),
        style_function=lambda f: {"radius": radius_by_id[f["id"]], "color": "#ffffff", "weight": 1,
                                  "fillColor": _NETWORK_COLOUR, "fillOpacity": 0.9,
                                  "className": "ww-association"},
        on_each_feature=_BIND_TOOLTIP, control=False,
    ).add_to(group)
    group.add_to(m)


def _add_white_spots(m: folium.Map, white_spots: gpd.GeoDataFrame) -> None:
    """Witte vlekken: red hatched polygons that let clicks through to the areas below."""
    if white_spots is None or white_spots.empty:
        return
    geometry = _to_display(white_spots, tolerance_m=5.0)
    keep = ~(geometry.is_empty | geometry.isna())
    geometry = geometry[keep]
    if geometry.empty:
        return
    folium.GeoJson(
        _feature_collection(geometry, pd.DataFrame(index=geometry.index)),
        name="Witte vlekken",
        style_function=lambda _f: {"color": _WHITE_SPOT_RED, "weight": 2, "fillColor": _WHITE_SPOT_RED,
                                   "fillOpacity": 0.25, "className": "ww-white-spot"},
        interactive=False,
    ).add_to(m)


def _add_lisa(m: folium.Map, areas: gpd.GeoDataFrame, clusters: pd.Series) -> None:
    """LISA clusters as thick coloured outlines (no fill, so the choropleth stays readable)."""
    significant = clusters.isin(list(LISA_CLUSTERS)).to_numpy()
    if not significant.any():
        return
    geometry = areas.geometry[significant]
    codes = clusters[significant].tolist()
    styles = []
    for code in codes:
        _label, colour, dash = LISA_CLUSTERS[code]
        style = {"color": colour, "weight": 4, "opacity": 1.0, "fill": False, "className": "ww-lisa"}
        if dash:
            style["dashArray"] = dash
        styles.append(style)
    folium.GeoJson(
        _feature_collection(geometry, pd.DataFrame(index=geometry.index)),
        name="LISA-clusters",
        style_function=lambda f: styles[f["id"]],
        interactive=False,
    ).add_to(m)


def build_map(
    areas_display: gpd.GeoDataFrame,
    *,
    value_column: str | None = None,
    value_label: str = "",
    higher_is_better: bool = True,
    suppressed_mask: pd.Series | np.ndarray | None = None,
    k: int = 5,
    scheme: Literal["quantiles", "natural_breaks"] = "quantiles",
    decimals: int | None = None,
    facilities: gpd.GeoDataFrame | None = None,
    visible_components: Iterable[str] | None = None,
    network: tuple[gpd.GeoDataFrame, pd.DataFrame] | None = None,
    white_spots: gpd.GeoDataFrame | None = None,
    lisa: pd.DataFrame | None = None,
    basemap: str = DEFAULT_BASEMAP,
    tooltip_columns: Mapping[str, str] | None = None,
    focus_code: str | None = None,
    height: int = 600,
    presentation: bool = False,
    asset_base_url: str = COMPONENT_ASSET_BASE_URL,
) -> folium.Map:
    """A folium map of areas with a choropleth, facility layers, network, witte vlekken and LISA clusters.

    Only Leaflet is needed (served by the app, see :mod:`analysis.render.assets`); the only outside requests
    are basemap tiles, and without them every area still draws on a plain background. Every text from
    data is HTML-escaped before it reaches a tooltip or the legend.

    Parameters
    ----------
    areas_display : geopandas.GeoDataFrame
        Areas from :func:`display_geometry` (EPSG:4326) with ``gebiedscode`` and ``gebiedsnaam``; each
        GeoJSON feature carries both in its properties (see :func:`clicked_area_code`).
    value_column : str, optional
        Column with the indicator to colour by; ``None`` draws outlines only.
    value_label : str
        Dutch name (and unit) of the indicator, for legend and tooltips.
    higher_is_better : bool
        Direction of the indicator; the darkest colour is always the best class.
    suppressed_mask : array of bool, optional
        Areas whose figure is suppressed (too few respondents): hatched grey, "te weinig respons",
        never a colour of the scale. Aligned with ``areas_display`` (by index when a Series).
    k, scheme : int, {"quantiles", "natural_breaks"}
        Classification, see :func:`classify`.
    decimals : int, optional
        Decimals of values in tooltips (default: as in the class labels).
    facilities : geopandas.GeoDataFrame, optional
        Facilities (EPSG:28992) with ``component``, ``naam``, ``soort``; one layer per component.
    visible_components : iterable of str, optional
        Component keys whose layer is switched on at first (default: all).
    network : (associations, ties), optional
        Associations (points, ``id``, ``naam``, ``soort``) and ties (``van``, ``naar``).
    white_spots : geopandas.GeoDataFrame, optional
        Witte vlekken polygons (EPSG:28992).
    lisa : pandas.DataFrame, optional
        ``gebiedscode`` and ``cluster`` (HH, LL, HL or LH; anything else is not significant).
    basemap : str
        A key of :data:`BASEMAPS`; the others can be chosen in the layer control.
    tooltip_columns : mapping, optional
        Extra columns of ``areas_display`` for the tooltip, column -> Dutch label.
    focus_code : str, optional
        Area to outline heavily and zoom to (wijkprofiel, presentation mode).
    height : int
        Map height in pixels (pass the same height to ``st_folium``).
    presentation : bool
        Large type and heavier lines for a projected screen.
    asset_base_url : str
        Where Leaflet is served; the default works inside the streamlit-folium iframe.

    Returns
    -------
    folium.Map
    """
    for column in ("gebiedscode", "gebiedsnaam"):
        if column not in areas_display.columns:
            raise ValueError(f"De gebieden missen de kolom '{column}'.")
    areas = areas_display
    if areas.crs is not None and not areas.crs.equals(CRS_WGS84):
        areas = areas.to_crs(CRS_WGS84)
    areas = areas[~(areas.geometry.isna() | areas.geometry.is_empty)]

    # zoom_snap 0.25: fit_bounds can fill the frame instead of jumping a whole zoom level out.
    m = folium.Map(location=None, tiles=None, control_scale=False, height=f"{int(height)}px", width="100%",
                   zoom_start=12, zoom_snap=0.25)
    js_url, css_url = leaflet_urls(asset_base_url)
    # Instance attributes replace folium's CDN lists (jQuery, Bootstrap, awesome-markers...): public API.
    m.default_js = [("leaflet", js_url)]
    m.default_css = [("leaflet_css", css_url)]
    _MapStyle(presentation).add_to(m)
    _MapBehaviour().add_to(m)
    _add_basemaps(m, basemap)

    n = len(areas)
    choropleth = value_column is not None
    suppressed = np.zeros(n, dtype=bool)
    if suppressed_mask is not None:
        if isinstance(suppressed_mask, pd.Series):
            suppressed = suppressed_mask.reindex(areas.index).fillna(False).to_numpy(dtype=bool)
        else:
            full = np.asarray(suppressed_mask, dtype=bool)
            suppressed = full[areas_display.index.get_indexer(areas.index)]
    colours: list[str] = []
    labels: list[str] = []
    classes = np.full(n, -1, dtype=int)
    value_text = None
    if choropleth:
        if value_column not in areas.columns:
            raise ValueError(f"De gebieden missen de kolom '{value_column}'.")
        values = pd.to_numeric(areas[value_column], errors="coerce").astype("float64")
        values = values.where(~suppressed)
        bins, labels = classify(values, k=k, scheme=scheme)
        colours = sequential_palette(len(bins), higher_is_better)
        classes = class_index(values, bins)
        if decimals is None:
            finite = values.dropna().to_numpy()
            decimals = _label_decimals(finite, np.asarray(bins)) if finite.size else 1
        value_text = format_numbers(values, decimals)
        value_text = value_text.where(~pd.Series(suppressed, index=areas.index), SUPPRESSED_LABEL)
        value_text = value_text.where(values.notna() | suppressed, NO_DATA_LABEL)

    lisa_labels = None
    lisa_clusters = None
    if lisa is not None and len(lisa):
        mapping = lisa.drop_duplicates("gebiedscode").set_index("gebiedscode")["cluster"]
        lisa_clusters = areas["gebiedscode"].map(mapping)
        lisa_labels = lisa_clusters.map({k_: v[0] for k_, v in LISA_CLUSTERS.items()})

    focus = (areas["gebiedscode"] == focus_code).fillna(False).to_numpy(dtype=bool) if focus_code \
        else np.zeros(n, dtype=bool)
    styles = _area_styles(classes, suppressed, colours, choropleth, focus, presentation)
    tips = _area_tooltips(areas, value_text, value_label, dict(tooltip_columns or {}), lisa_labels)
    props = pd.DataFrame({
        "gebiedscode": areas["gebiedscode"].astype("string").to_numpy(),
        "gebiedsnaam": areas["gebiedsnaam"].astype("string").to_numpy(),
        "tooltip": tips.to_numpy(),
    })
    highlight_weight = 4 if presentation else 3
    folium.GeoJson(
        _feature_collection(areas.geometry, props),
        name=html.escape(value_label) if (choropleth and value_label) else "Gebieden",
        style_function=lambda f: styles[f["id"]],
        highlight_function=lambda _f: {"weight": highlight_weight, "color": "#000000"},
        on_each_feature=_BIND_TOOLTIP,
    ).add_to(m)

    if lisa_clusters is not None:
        _add_lisa(m, areas, lisa_clusters)
    if white_spots is not None:
        _add_white_spots(m, white_spots)
    if network is not None:
        _add_network(m, network[0], network[1])
    if facilities is not None:
        visible = None if visible_components is None else set(visible_components)
        _add_facilities(m, facilities, visible, presentation)

    legend = _legend_html(value_label, colours, labels, suppressed_mask is not None, choropleth,
                          white_spots is not None and not white_spots.empty,
                          lisa_clusters is not None and lisa_clusters.isin(list(LISA_CLUSTERS)).any())
    if legend:
        _Legend(legend).add_to(m)
    folium.LayerControl(collapsed=presentation, position="topright").add_to(m)

    bounds_geometry = areas.geometry[focus] if focus.any() else areas.geometry
    if len(bounds_geometry):
        west, south, east, north = bounds_geometry.total_bounds
        m.fit_bounds([[float(south), float(west)], [float(north), float(east)]], padding=(10, 10))
    return m


# --------------------------------------------------------------------------------------------------
# What the browser receives, and what comes back
# --------------------------------------------------------------------------------------------------

def _walk(element: Any) -> Iterable[Any]:
    """Every element below ``element`` (depth first), as streamlit-folium walks it."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def map_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """The JS and CSS URLs the browser must load for ``m``, collected as streamlit-folium 0.27 does.

    Every ``JSCSSMixin`` element contributes its ``default_js`` / ``default_css``, and any branca
    ColorMap makes the component load d3 from a CDN.

    Returns
    -------
    tuple of list of str
        ``(js_links, css_links)`` without duplicates, in load order.
    """
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            js[:0] = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]
        if isinstance(element, folium.elements.JSCSSMixin):
            js.extend(url for _, url in element.default_js)
            css.extend(url for _, url in element.default_css)
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def map_payload_bytes(m: folium.Map) -> int:
    """Size in bytes of what the browser receives for ``m`` (script, header and HTML, JSON-encoded).

    Renders the map as ``st_folium`` does (the figure's header, body HTML and the Leaflet script of
    every element) and measures the JSON the component sends. Variable names differ a little from
    streamlit-folium's renamed ones, so this is within a few percent of the real payload.
    """
    root = m.get_root()
    root.render()
    script = root.script.render()
    header = root.header.render()
    body = root.html.render()
    js, css = map_links(m)
    payload = json.dumps({"script": script, "header": header, "html": body, "js_links": js, "css_links": css})
    return len(payload.encode("utf-8"))


def clicked_area_code(st_folium_return: Mapping[str, Any] | None) -> str | None:
    """The ``gebiedscode`` of the area last clicked, from ``st_folium``'s return value.

    Needs ``st_folium(..., returned_objects=["last_active_drawing"])``: on a click, streamlit-folium
    returns the clicked GeoJSON feature, whose properties carry ``gebiedscode``. Clicks on other
    layers (facility markers, associations) return ``None``.

    Parameters
    ----------
    st_folium_return : dict or None
        What ``st_folium`` returned.

    Returns
    -------
    str or None
    """
    if not isinstance(st_folium_return, Mapping):
        return None
    drawing = st_folium_return.get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    properties = drawing.get("properties")
    if not isinstance(properties, Mapping):
        return None
    code = properties.get("gebiedscode")
    return code if isinstance(code, str) and code.strip() else None
