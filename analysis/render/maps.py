"""Folium maps built from a layer specification (:mod:`analysis.render.layers`), needing nothing but a locally served Leaflet."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

import branca.colormap
import branca.element
import folium
import folium.elements
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.components import COMPONENTS, COMPONENTS_BY_KEY
from analysis.compute.pattern import PATTERN_TITLE
from analysis.formatting import format_number, format_numbers, format_value
from analysis.model import CRS_WGS84
from analysis.render.assets import leaflet_urls
from analysis.render.classes import class_index, classify, label_decimals, sequential_palette
from analysis.render.geometry import DISPLAY_DECIMALS, feature_collection, to_display
from analysis.render.informal_map import (
    add_initiatives,
    add_places,
    checked_text,
    informal_legend,
    stale_badge,
    stale_mask,
)
from analysis.render.layers import (
    BASEMAPS,
    LISA_CLUSTERS,
    AreaLayer,
    FacilityLayer,
    MapSpec,
    MapView,
    NetworkLayer,
    PatternLayer,
    WhiteSpotLayer,
)
from analysis.render.leaflet import (
    BIND_TOOLTIP,
    NO_DATA_FILL,
    NO_DATA_LABEL,
    OUTLINE,
    SUPPRESSED_FILL,
    SUPPRESSED_LABEL,
    WHITE_SPOT_RED,
    Legend,
    MapBehaviour,
    MapStyle,
    legend_html,
    marker_svg,
    text_column,
)

__all__ = ["build_map", "clicked_area_code", "map_links", "map_payload_bytes"]

_NETWORK_COLOUR = COMPONENTS_BY_KEY["verenigingen"].colour


# --------------------------------------------------------------------------------------------------
# The areas
# --------------------------------------------------------------------------------------------------

def _add_basemaps(m: folium.Map, basemap: str) -> None:
    """Add every basemap as a base layer, showing ``basemap``."""
    for spec in BASEMAPS.values():
        show = spec.name == basemap
        if spec.tiles_url is None:
            folium.FeatureGroup(name=spec.name, overlay=False, control=True, show=show).add_to(m)
        else:
            folium.TileLayer(
                tiles=spec.tiles_url, attr=spec.attribution, name=spec.name, max_zoom=spec.max_zoom,
                max_native_zoom=spec.max_zoom, overlay=False, control=True, show=show,
            ).add_to(m)


def _usable_areas(layer: AreaLayer) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The areas with a geometry, in EPSG:4326, and their suppression flags."""
    areas = layer.areas
    if areas.crs is not None and not areas.crs.equals(CRS_WGS84):
        areas = areas.to_crs(CRS_WGS84)
    areas = areas[~(areas.geometry.isna() | areas.geometry.is_empty)]
    mask = layer.suppressed_mask
    if mask is None:
        return areas, np.zeros(len(areas), dtype=bool)
    if isinstance(mask, pd.Series):
        return areas, mask.reindex(areas.index).fillna(False).to_numpy(dtype=bool)
    full = np.asarray(mask, dtype=bool)
    return areas, full[layer.areas.index.get_indexer(areas.index)]


class _Classes:
    """The choropleth of an area layer: class per area, palette, legend labels and tooltip texts."""

    def __init__(self, layer: AreaLayer, areas: gpd.GeoDataFrame, suppressed: np.ndarray) -> None:
        n = len(areas)
        self.colours: list[str] = []
        self.labels: list[str] = []
        self.index = np.full(n, -1, dtype=int)
        self.value_text: pd.Series | None = None
        if layer.value_column is None:
            return
        values = pd.to_numeric(areas[layer.value_column], errors="coerce").astype("float64")
        values = values.where(~suppressed)
        bins, self.labels = classify(values, k=int(layer.k), scheme=layer.scheme)
        self.colours = sequential_palette(len(bins), layer.higher_is_better)
        self.index = class_index(values, bins)
        self.value_text = _value_texts(values, suppressed, layer, np.asarray(bins))


def _value_texts(values: pd.Series, suppressed: np.ndarray, layer: AreaLayer, bins: np.ndarray) -> pd.Series:
    """Tooltip value per area through the one formatter; a missing value says why it is missing."""
    if layer.unit is not None:
        text = pd.Series([format_value(v, layer.unit, layer.decimals) for v in values], index=values.index,
                         dtype=object)
    else:
        decimals = layer.decimals
        if decimals is None:
            finite = values.dropna().to_numpy()
            decimals = label_decimals(finite, bins) if finite.size else 1
        text = format_numbers(values, decimals)
    text = text.where(~pd.Series(suppressed, index=values.index), format_number(None, reason=SUPPRESSED_LABEL))
    return text.where(values.notna() | suppressed, format_number(None, reason=NO_DATA_LABEL))


def _area_tooltips(areas: pd.DataFrame, value_text: pd.Series | None, layer: AreaLayer,
                   lisa_labels: pd.Series | None) -> pd.Series:
    """Escaped tooltip HTML per area."""
    tips = "<b>" + text_column(areas, "gebiedsnaam") + "</b>"
    if value_text is not None:
        tips = tips + "<br>" + html.escape(layer.value_label or "Waarde") + ": " + value_text
    for column, label in layer.tooltip_columns.items():
        if column not in areas.columns:
            continue
        if pd.api.types.is_numeric_dtype(areas[column]) and not pd.api.types.is_bool_dtype(areas[column]):
            text = format_numbers(areas[column])
        else:
            text = text_column(areas, column)
        tips = tips + "<br>" + html.escape(label) + ": " + text
    if lisa_labels is not None:
        tips = tips + lisa_labels.map(lambda v: f"<br>{PATTERN_TITLE}: {html.escape(v)}" if isinstance(v, str) else "")
    return tips


def _area_styles(classes: _Classes, suppressed: np.ndarray, choropleth: bool, focus: np.ndarray,
                 presentation: bool) -> list[dict[str, Any]]:
    """One Leaflet path style per area."""
    weight = 2.0 if presentation else 1.0
    base = {"color": OUTLINE, "weight": weight, "opacity": 0.9, "className": "ww-area"}
    styles: list[dict[str, Any]] = []
    for cls, sup, foc in zip(classes.index, suppressed, focus, strict=True):
        if not choropleth:
            style = {**base, "fillColor": "#ffffff", "fillOpacity": 0.2, "weight": weight + 0.5}
        elif sup:
            style = {**base, "fillColor": SUPPRESSED_FILL, "fillOpacity": 1.0, "dashArray": "4 3",
                     "color": "#6e6e6e", "className": "ww-area ww-suppressed"}
        elif cls < 0:
            style = {**base, "fillColor": NO_DATA_FILL, "fillOpacity": 0.85, "color": "#6e6e6e",
                     "className": "ww-area ww-nodata"}
        else:
            style = {**base, "fillColor": classes.colours[int(cls)], "fillOpacity": 0.75}
        if foc:
            style = {**style, "color": "#000000", "weight": 5.0 if presentation else 3.5, "opacity": 1.0}
        styles.append(style)
    return styles


def _lisa_clusters(areas: gpd.GeoDataFrame, patterns: PatternLayer | None) -> pd.Series | None:
    """The cluster code of every area (NaN when it has none), or None without patterns."""
    if patterns is None or not len(patterns.lisa):
        return None
    mapping = patterns.lisa.drop_duplicates("gebiedscode").set_index("gebiedscode")["cluster"]
    return areas["gebiedscode"].map(mapping)


def _add_areas(m: folium.Map, spec: MapSpec, areas: gpd.GeoDataFrame, suppressed: np.ndarray,
               lisa: pd.Series | None) -> tuple[_Classes, np.ndarray]:
    """The area layer (choropleth or outlines); returns its classes and which areas are in focus."""
    layer, view = spec.areas, spec.view
    classes = _Classes(layer, areas, suppressed)
    focus = (areas["gebiedscode"] == layer.focus_code).fillna(False).to_numpy(dtype=bool) if layer.focus_code \
        else np.zeros(len(areas), dtype=bool)
    styles = _area_styles(classes, suppressed, layer.choropleth, focus, view.presentation)
    lisa_labels = None if lisa is None else lisa.map({k: v[0] for k, v in LISA_CLUSTERS.items()})
    props = pd.DataFrame({
        "gebiedscode": areas["gebiedscode"].astype("string").to_numpy(),
        "gebiedsnaam": areas["gebiedsnaam"].astype("string").to_numpy(),
        "tooltip": _area_tooltips(areas, classes.value_text, layer, lisa_labels).to_numpy(),
    })
    highlight_weight = 4 if view.presentation else 3
    folium.GeoJson(
        feature_collection(areas.geometry, props),
        name=html.escape(layer.value_label) if (layer.choropleth and layer.value_label) else "Gebieden",
        style_function=lambda f: styles[f["id"]],
        highlight_function=lambda _f: {"weight": highlight_weight, "color": "#000000"},
        on_each_feature=BIND_TOOLTIP,
    ).add_to(m)
    return classes, focus


# --------------------------------------------------------------------------------------------------
# The other layers
# --------------------------------------------------------------------------------------------------

def _add_facilities(m: folium.Map, layer: FacilityLayer, presentation: bool) -> None:
    """One toggleable FeatureGroup per component: DivIcon SVG markers for points, polygons for areas."""
    facilities = layer.facilities
    if "component" not in facilities.columns or facilities.empty:
        return
    lonlat = to_display(facilities, tolerance_m=2.0)
    is_point = (lonlat.geom_type == "Point").to_numpy()
    marked = stale_mask(facilities, layer.reference_date)
    tips_base = "<b>" + text_column(facilities, "naam") + "</b>"
    soort = text_column(facilities, "soort") + checked_text(facilities, marked)
    size = 26 if presentation else 18
    for comp in COMPONENTS:
        rows = (facilities["component"] == comp.key).fillna(False).to_numpy(dtype=bool)
        if not rows.any():
            continue
        label = html.escape(comp.label)
        tips = tips_base[rows] + "<br>" + label + soort[rows].map(lambda s: f" · {s}" if s else "")
        group = folium.FeatureGroup(
            name=f"{marker_svg(comp.marker, comp.colour, 14)} {label}", overlay=True, control=True,
            show=layer.visible_components is None or comp.key in layer.visible_components,
        )
        points, shapes = rows & is_point, rows & ~is_point
        if shapes.any():
            props = pd.DataFrame({"tooltip": tips[shapes[rows]]})
            folium.GeoJson(
                feature_collection(lonlat[shapes], props),
                style_function=lambda _f, c=comp.colour: {
                    "color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.35, "className": "ww-facility-area"},
                on_each_feature=BIND_TOOLTIP, control=False,
            ).add_to(group)
        for old, subset in ((False, points & ~marked), (True, points & marked)):
            if not subset.any():
                continue
            props = pd.DataFrame({"tooltip": tips[subset[rows]]})
            svg = marker_svg(comp.marker, comp.colour, size)
            icon = folium.DivIcon(
                html=stale_badge(svg, size) if old else svg, icon_size=(size, size), icon_anchor=(size // 2, size // 2),
                class_name=f"ww-marker ww-marker-{comp.key}" + (" ww-stale-entry" if old else ""),
            )
            folium.GeoJson(
                feature_collection(lonlat[subset], props), marker=folium.Marker(icon=icon),
                on_each_feature=BIND_TOOLTIP, control=False,
            ).add_to(group)
        group.add_to(m)


def _network_degree(points: pd.DataFrame, ties: pd.DataFrame, group: folium.FeatureGroup) -> pd.Series:
    """Draw each distinct tie once as a thin line; returns the number of distinct partners per association."""
    degree = pd.Series(0, index=points.index, dtype="int64")
    if ties is None or not len(ties) or not {"van", "naar"} <= set(ties.columns):
        return degree
    pairs = pd.DataFrame({"a": ties["van"].astype("string"), "b": ties["naar"].astype("string")}).dropna()
    pairs = pairs[(pairs["a"] != pairs["b"]) & pairs["a"].isin(points.index) & pairs["b"].isin(points.index)]
    pairs = pd.DataFrame({"a": pairs.min(axis=1), "b": pairs.max(axis=1)}).drop_duplicates()
    if not len(pairs):
        return degree
    counts = pd.concat([pairs["a"], pairs["b"]]).value_counts()
    start = points.loc[pairs["a"], ["lat", "lon"]].to_numpy()
    end = points.loc[pairs["b"], ["lat", "lon"]].to_numpy()
    segments = np.stack([start, end], axis=1).round(DISPLAY_DECIMALS).tolist()
    folium.PolyLine(segments, color=_NETWORK_COLOUR, weight=1.5, opacity=0.55, interactive=False).add_to(group)
    return counts.reindex(points.index, fill_value=0).astype("int64")


def _add_network(m: folium.Map, layer: NetworkLayer) -> None:
    """Ties as thin lines and associations as circles sized by degree (distinct partners)."""
    associations = layer.associations
    if associations is None or associations.empty:
        return
    lonlat = to_display(associations)
    ids = associations["id"].astype("string") if "id" in associations.columns else \
        pd.Series(associations.index.astype(str), index=associations.index, dtype="string")
    points = pd.DataFrame({"id": ids.to_numpy(), "lon": lonlat.x.to_numpy(), "lat": lonlat.y.to_numpy()})
    points = points.drop_duplicates("id").set_index("id")
    group = folium.FeatureGroup(name="Netwerk van verenigingen", overlay=True, control=True, show=True)
    degree = _network_degree(points, layer.ties, group)

    radius = np.clip(np.round(3 + 2 * np.sqrt(degree.to_numpy())), 3, 16).astype(int)
    order = pd.Index(ids.to_numpy()).get_indexer(points.index)
    partners = degree.map(lambda d: f"{format_number(d, 0)} {'verbinding' if d == 1 else 'verbindingen'}")
    tips = ("<b>" + text_column(associations, "naam").iloc[order].to_numpy() + "</b>"
            + pd.Series(text_column(associations, "soort").iloc[order].to_numpy()).map(
                lambda s: f"<br>{s}" if s else "").to_numpy()
            + "<br>" + partners.to_numpy())
    props = pd.DataFrame({"tooltip": tips})
    geometry = gpd.GeoSeries(shapely.points(points["lon"].to_numpy(), points["lat"].to_numpy()), crs=CRS_WGS84)
    radius_by_id = dict(enumerate(radius.tolist()))
    folium.GeoJson(
        feature_collection(geometry, props),
        marker=folium.CircleMarker(radius=5),
        style_function=lambda f: {"radius": radius_by_id[f["id"]], "color": "#ffffff", "weight": 1,
                                  "fillColor": _NETWORK_COLOUR, "fillOpacity": 0.9,
                                  "className": "ww-association"},
        on_each_feature=BIND_TOOLTIP, control=False,
    ).add_to(group)
    group.add_to(m)


def _add_white_spots(m: folium.Map, layer: WhiteSpotLayer) -> bool:
    """Witte vlekken: red hatched polygons that let clicks through to the areas below; True when drawn."""
    if layer.empty:
        return False
    geometry = to_display(layer.spots, tolerance_m=5.0)
    geometry = geometry[~(geometry.is_empty | geometry.isna())]
    if geometry.empty:
        return False
    folium.GeoJson(
        feature_collection(geometry, pd.DataFrame(index=geometry.index)),
        name="Witte vlekken",
        style_function=lambda _f: {"color": WHITE_SPOT_RED, "weight": 2, "fillColor": WHITE_SPOT_RED,
                                   "fillOpacity": 0.25, "className": "ww-white-spot"},
        interactive=False,
    ).add_to(m)
    return True


def _add_lisa(m: folium.Map, areas: gpd.GeoDataFrame, clusters: pd.Series) -> bool:
    """LISA clusters as thick coloured outlines (no fill, so the choropleth stays readable); True when drawn."""
    significant = clusters.isin(list(LISA_CLUSTERS)).to_numpy()
    if not significant.any():
        return False
    geometry = areas.geometry[significant]
    styles = []
    for code in clusters[significant].tolist():
        _label, colour, dash = LISA_CLUSTERS[code]
        style: dict[str, Any] = {"color": colour, "weight": 4, "opacity": 1.0, "fill": False, "className": "ww-lisa"}
        if dash:
            style["dashArray"] = dash
        styles.append(style)
    folium.GeoJson(
        feature_collection(geometry, pd.DataFrame(index=geometry.index)),
        name=PATTERN_TITLE,
        style_function=lambda f: styles[f["id"]],
        interactive=False,
    ).add_to(m)
    return True


# --------------------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------------------

def _new_map(view: MapView) -> folium.Map:
    """An empty map that loads only the app's own Leaflet, with the style, behaviour and basemaps."""
    # zoom_snap 0.25: fit_bounds can fill the frame instead of jumping a whole zoom level out.
    m = folium.Map(location=None, tiles=None, control_scale=False, height=f"{int(view.height)}px", width="100%",
                   zoom_start=12, zoom_snap=0.25)
    js_url, css_url = leaflet_urls(view.asset_base_url)
    # Instance attributes replace folium's CDN lists (jQuery, Bootstrap, awesome-markers...): public API.
    m.default_js = [("leaflet", js_url)]
    m.default_css = [("leaflet_css", css_url)]
    MapStyle(view.presentation).add_to(m)
    MapBehaviour().add_to(m)
    _add_basemaps(m, view.basemap)
    return m


def _stale_marked(spec: MapSpec) -> bool:
    """Whether any drawn facility or initiative carries the stale badge (for the legend)."""
    layers = [(spec.facilities.facilities, spec.facilities.reference_date)] if spec.facilities is not None else []
    if spec.initiatives is not None:
        layers.append((spec.initiatives.initiatives, spec.initiatives.reference_date))
    return any(stale_mask(frame, reference).any() for frame, reference in layers if frame is not None)


def build_map(spec: MapSpec) -> folium.Map:
    """A folium map of a :class:`~analysis.render.layers.MapSpec`: areas, then patterns, witte vlekken,
    network, facilities, initiatives and places (:mod:`analysis.render.informal_map`), with a legend and a
    layer control.

    Only Leaflet is needed (served by the app, see :mod:`analysis.render.assets`); the only outside requests
    are basemap tiles, and without them every area still draws on a plain background. Every text from
    data is HTML-escaped before it reaches a tooltip, the layer control or the legend, and every figure
    goes through :mod:`analysis.formatting`.

    Parameters
    ----------
    spec : MapSpec
        What to draw and how (see :mod:`analysis.render.layers`).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> from analysis.render.layers import AreaLayer, MapSpec, MapView
    >>> m = build_map(MapSpec(AreaLayer(areas, value_column="waarde", value_label="Eenzaam (%)", unit="%"),
    ...                       view=MapView(height=400)))  # doctest: +SKIP
    """
    view = spec.view
    m = _new_map(view)
    areas, suppressed = _usable_areas(spec.areas)
    lisa = _lisa_clusters(areas, spec.patterns)
    classes, focus = _add_areas(m, spec, areas, suppressed, lisa)
    lisa_drawn = lisa is not None and _add_lisa(m, areas, lisa)
    spots_drawn = spec.white_spots is not None and _add_white_spots(m, spec.white_spots)
    if spec.network is not None:
        _add_network(m, spec.network)
    if spec.facilities is not None:
        _add_facilities(m, spec.facilities, view.presentation)
    initiatives_drawn = spec.initiatives is not None and add_initiatives(
        m, spec.initiatives.initiatives, spec.initiatives.reference_date, view.presentation)
    places_drawn = spec.places is not None and add_places(m, spec.places.places, view.presentation)

    legend = legend_html(spec.areas.value_label, classes.colours, classes.labels,
                         spec.areas.suppressed_mask is not None, spec.areas.choropleth, spots_drawn, lisa_drawn)
    legend += informal_legend(initiatives_drawn, places_drawn, _stale_marked(spec))
    if legend:
        Legend(legend, collapsed=view.collapsed and view.presentation).add_to(m)
    folium.LayerControl(collapsed=view.collapsed, position="topright").add_to(m)

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
    if not isinstance(root, branca.element.Figure):  # a map always sits in a Figure
        raise TypeError("De kaart hoort bij geen branca-figuur.")
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
