"""Map layer of a wijkplan's measures: a flag per measure at its area, with name, component, period and budget.

A measure names an area (a buurt, the wijk or the gemeente), not a place: its flag stands at the area's
representative point (inside the area, unlike a centroid of a crescent). Several measures in one area stand on a
small circle around that point (:data:`SPREAD_M`) so that none hides another. The layer is added to a map of
:func:`analysis.render.maps.build_map` after it is built; the map's layer control lists it like any other layer.
"""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.components import COMPONENTS_BY_KEY
from analysis.formatting import format_number
from analysis.model import CRS_RD
from analysis.render.geometry import feature_collection, to_display
from analysis.render.informal_map import BIND_TOOLTIP_POPUP
from analysis.render.leaflet import Legend, text_column

__all__ = ["MEASURE_COLOUR", "MEASURE_LABEL", "SPREAD_M", "add_measures", "measure_legend", "measure_points",
           "measure_svg", "measure_tooltips"]

#: Fill of the measure flag: Paul Tol's wine, which no component, initiative or place uses.
MEASURE_COLOUR = "#882255"
MEASURE_LABEL = "Maatregelen van het wijkplan"
#: Radius (metres) of the circle on which several measures of one area stand.
SPREAD_M = 120.0


def measure_svg(size_px: int = 26) -> str:
    """The measure marker: a wine-red flag on a pole, with a white halo (unlike every other marker)."""
    return (f'<svg width="{size_px}" height="{size_px}" viewBox="0 0 26 26" aria-hidden="true">'
            '<path d="M6 24 V3" stroke="#ffffff" stroke-width="5" stroke-linecap="round"/>'
            '<path d="M6 3 H22 L18 8.5 L22 14 H6 Z" fill="#ffffff" stroke="#ffffff" stroke-width="4" '
            'stroke-linejoin="round"/>'
            f'<path d="M6 24 V3" stroke="{MEASURE_COLOUR}" stroke-width="2.5" stroke-linecap="round"/>'
            f'<path d="M6 3 H22 L18 8.5 L22 14 H6 Z" fill="{MEASURE_COLOUR}"/></svg>')


def measure_points(measures: pd.DataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The measures as points (EPSG:28992) at their area's representative point, spread when they share it.

    Parameters
    ----------
    measures : pandas.DataFrame
        :data:`analysis.model.MEASURE_COLUMNS`.
    areas : geopandas.GeoDataFrame
        Areas with ``gebiedscode`` and ``gebiedsnaam`` (any CRS; buurten, wijken and gemeente together).

    Returns
    -------
    geopandas.GeoDataFrame
        The measures whose area is in ``areas``, with ``gebiedsnaam`` and a point geometry.
    """
    frame = pd.DataFrame(measures).reset_index(drop=True)
    rd = areas.to_crs(CRS_RD)
    rd = rd[~rd["gebiedscode"].astype(str).duplicated().to_numpy(bool)]
    index = pd.Index(rd["gebiedscode"].astype(str).to_numpy())
    anchors = gpd.GeoSeries(rd.geometry.representative_point().to_numpy(), index=index, crs=CRS_RD)
    area_names = pd.Series(rd["gebiedsnaam"].astype(str).to_numpy(), index=index)
    codes = frame["gebiedscode"].astype(str) if len(frame) else pd.Series([], dtype=str)
    known = codes.isin(index).to_numpy(bool)
    frame, codes = frame[known].reset_index(drop=True), codes[known].reset_index(drop=True)
    anchor = anchors.reindex(codes.to_numpy())
    rank = codes.groupby(codes).cumcount().to_numpy()
    count = codes.map(codes.value_counts()).to_numpy()
    angle = 2 * math.pi * rank / np.maximum(count, 1)
    radius = np.where(count > 1, SPREAD_M, 0.0)
    x = anchor.x.to_numpy() + radius * np.sin(angle)
    y = anchor.y.to_numpy() + radius * np.cos(angle)
    names = area_names.reindex(codes.to_numpy()).to_numpy()
    return gpd.GeoDataFrame(frame.assign(gebiedsnaam=names), geometry=gpd.points_from_xy(x, y), crs=CRS_RD)


def _date(value: object) -> str:
    stamp = pd.to_datetime(value, errors="coerce")
    return f"{stamp.day}-{stamp.month}-{stamp.year}" if pd.notna(stamp) else ""


def measure_tooltips(points: pd.DataFrame) -> pd.Series:
    """Escaped tooltip HTML per measure: name, component and area, period, budget (through the formatter)."""
    component = points["component"].astype(str).map(
        lambda k: COMPONENTS_BY_KEY[k].label if k in COMPONENTS_BY_KEY else k).map(html.escape)
    start = points["startdatum"].map(_date)
    end = points["einddatum"].map(_date) if "einddatum" in points.columns else pd.Series("", index=points.index)
    period = ("vanaf " + start + end.map(lambda e: f" tot {e}" if e else "")).astype(object)
    budget = pd.to_numeric(points["budget"], errors="coerce") if "budget" in points.columns \
        else pd.Series(np.nan, index=points.index)
    money = budget.map(lambda b: f"<br>budget € {format_number(b, 0)}" if pd.notna(b) else "").astype(object)
    return ("<b>" + text_column(points, "naam") + "</b><br>Maatregel · " + component + " · "
            + text_column(points, "gebiedsnaam") + "<br>" + period + money).astype(object)


def add_measures(m: folium.Map, points: gpd.GeoDataFrame, presentation: bool = False) -> bool:
    """The measures as one toggleable layer of flags with escaped tooltips and popups; True when drawn."""
    if points is None or points.empty:
        return False
    size = 36 if presentation else 26
    group = folium.FeatureGroup(name=f"{measure_svg(14)} {html.escape(MEASURE_LABEL)}", overlay=True,
                                control=True, show=True)
    icon = folium.DivIcon(html=measure_svg(size), icon_size=(size, size), icon_anchor=(6 * size // 26, size - 2),
                          class_name="ww-marker ww-measure")
    tips = measure_tooltips(points)
    folium.GeoJson(feature_collection(to_display(points), pd.DataFrame({"tooltip": tips.to_numpy()})),
                   marker=folium.Marker(icon=icon), on_each_feature=BIND_TOOLTIP_POPUP, control=False).add_to(group)
    group.add_to(m)
    _control_last(m)
    return True


def _control_last(m: folium.Map) -> None:
    """Move the layer control behind the layers: its script names every layer, so it must come after them."""
    for name, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            m._children.move_to_end(name)


def measure_legend(m: folium.Map) -> None:
    """A legend row for the flags (a fixed text), top left so that it never covers the map's own legend."""
    Legend(f'<div class="ww-row">{measure_svg(18)}<span>{html.escape(MEASURE_LABEL)}</span></div>',
           position="topleft").add_to(m)
