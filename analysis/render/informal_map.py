"""Map layers for what the registers miss: initiatives (hollow dashed rings), places pointed out in a meeting, stale entries.

Initiatives look unlike any formal facility: a hollow, dashed orange ring, where every facility is a filled
shape in a component colour. An entry of the sociale kaart not checked within
:data:`analysis.compute.informal.FRESH_MONTHS` months carries an amber badge with an exclamation mark
(:func:`analysis.compute.informal.stale`). The four kinds of place differ in shape, colour and symbol, and are
big: they are added with a mouse on a projector.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from types import MappingProxyType

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.utilities import JsCode

from analysis.compute.informal import FRESH_MONTHS, stale
from analysis.formatting import format_number
from analysis.render.geometry import feature_collection, to_display
from analysis.render.leaflet import text_column

__all__ = ["INITIATIVE_COLOUR", "PLACE_STYLES", "STALE_LABEL", "add_initiatives", "add_places", "checked_text",
           "informal_legend",
           "initiative_svg", "place_svg", "stale_badge", "stale_mask"]

#: Stroke of the initiative ring: an orange no component uses.
INITIATIVE_COLOUR = "#E66100"
INITIATIVE_LABEL = "Initiatieven van bewoners (informeel)"
STALE_COLOUR = "#FFB000"
STALE_LABEL = f"niet gecontroleerd in de laatste {FRESH_MONTHS} maanden"
#: Kind of place -> (Dutch label, colour, shape, symbol).
PLACE_STYLES: Mapping[str, tuple[str, str, str, str]] = MappingProxyType({
    "waardevol": ("Waardevol", "#1A9850", "circle", "check"),
    "ontbreekt": ("Ontbreekt", "#5E3C99", "square", "plus"),
    "onveilig": ("Onveilig", "#D7191C", "triangle", "exclamation"),
    "kan beter": ("Kan beter", "#2C7BB6", "diamond", "arrow"),
})
_SHAPES = {
    "circle": '<circle cx="20" cy="20" r="17"/>',
    "square": '<rect x="3.5" y="3.5" width="33" height="33" rx="3"/>',
    "triangle": '<polygon points="20,2 38.5,36 1.5,36"/>',
    "diamond": '<polygon points="20,1 39,20 20,39 1,20"/>',
}
_SYMBOLS = {
    "check": '<polyline points="11,21 17.5,27.5 29,14" fill="none"/>',
    "plus": '<path d="M20 11 V29 M11 20 H29" fill="none"/>',
    "exclamation": '<path d="M20 13 V25" fill="none"/><circle cx="20" cy="30.5" r="1.6" fill="#ffffff"/>',
    "arrow": '<path d="M20 29 V12 M13 19 L20 12 L27 19" fill="none"/>',
}
BIND_TOOLTIP_POPUP = JsCode(
    """function (feature, layer) {
        if (feature.properties && feature.properties.tooltip) {
            layer.bindTooltip(feature.properties.tooltip, {sticky: true});
            layer.bindPopup(feature.properties.tooltip, {maxWidth: 420});
        }
    }"""
)


def initiative_svg(size_px: int = 20) -> str:
    """The initiative marker: a hollow, dashed orange ring on a white halo (no fill, unlike every facility)."""
    return (f'<svg width="{size_px}" height="{size_px}" viewBox="0 0 20 20" fill="none" aria-hidden="true">'
            '<circle cx="10" cy="10" r="7" stroke="#ffffff" stroke-width="5"/>'
            f'<circle cx="10" cy="10" r="7" stroke="{INITIATIVE_COLOUR}" stroke-width="3" stroke-dasharray="4.4 2.2"/>'
            "</svg>")


def place_svg(kind: str, size_px: int = 44) -> str:
    """The marker of a kind of place (:data:`PLACE_STYLES`): a big filled shape with a white symbol."""
    try:
        _label, colour, shape, symbol = PLACE_STYLES[kind]
    except KeyError:
        raise ValueError(f"Onbekend soort plek '{kind}'. Kies uit: {', '.join(PLACE_STYLES)}.") from None
    return (f'<svg width="{size_px}" height="{size_px}" viewBox="0 0 40 40" aria-hidden="true">'
            f'<g fill="{colour}" stroke="#ffffff" stroke-width="2.5">{_SHAPES[shape]}</g>'
            f'<g stroke="#ffffff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">{_SYMBOLS[symbol]}</g>'
            "</svg>")


def stale_badge(marker_html: str, size_px: int) -> str:
    """``marker_html`` with an amber exclamation badge at its top right (an entry that may be out of date)."""
    badge = max(10, size_px // 2)
    return (f'<div class="ww-stale" style="position:relative;width:{size_px}px;height:{size_px}px">{marker_html}'
            f'<svg width="{badge}" height="{badge}" viewBox="0 0 20 20" aria-hidden="true" '
            f'style="position:absolute;right:-{badge // 3}px;top:-{badge // 3}px">'
            f'<circle cx="10" cy="10" r="8.5" fill="{STALE_COLOUR}" stroke="#000000" stroke-width="1.5"/>'
            '<path d="M10 5 V11.5" stroke="#000000" stroke-width="2.6" stroke-linecap="round"/>'
            '<circle cx="10" cy="15" r="1.4" fill="#000000"/></svg></div>')


def stale_mask(entries: pd.DataFrame, reference: pd.Timestamp | None) -> np.ndarray:
    """Which entries to mark as stale: only with a reference date and when the list carries check dates at all.

    A list without any ``laatst_gecontroleerd`` says nothing about its age, so nothing is marked.
    """
    if reference is None or "laatst_gecontroleerd" not in entries.columns or not len(entries):
        return np.zeros(len(entries), dtype=bool)
    if pd.to_datetime(entries["laatst_gecontroleerd"], errors="coerce").isna().all():
        return np.zeros(len(entries), dtype=bool)
    return stale(entries, reference).to_numpy(bool)


def checked_text(entries: pd.DataFrame, marked: np.ndarray) -> pd.Series:
    """Tooltip line of a stale entry: not checked recently, and when it was (escaped, fixed text)."""
    dates = pd.to_datetime(entries["laatst_gecontroleerd"], errors="coerce") if "laatst_gecontroleerd" in \
        entries.columns else pd.Series(pd.NaT, index=entries.index)
    when = dates.map(lambda d: f"laatst gecontroleerd {d.day}-{d.month}-{d.year}" if pd.notna(d) else "nooit gecontroleerd")
    return pd.Series(np.where(marked, "<br><i>" + html.escape(STALE_LABEL) + " (" + when + ")</i>", ""),
                     index=entries.index, dtype=object)


def _point_group(group: folium.FeatureGroup, geometry: gpd.GeoSeries, tips: pd.Series, icon_html: str,
                 size_px: int, css_class: str) -> None:
    """Point markers with one DivIcon, escaped tooltips and popups."""
    if not len(geometry):
        return
    icon = folium.DivIcon(html=icon_html, icon_size=(size_px, size_px), icon_anchor=(size_px // 2, size_px // 2),
                          class_name=f"ww-marker {css_class}")
    folium.GeoJson(feature_collection(geometry, pd.DataFrame({"tooltip": tips.to_numpy()})),
                   marker=folium.Marker(icon=icon), on_each_feature=BIND_TOOLTIP_POPUP, control=False).add_to(group)


def add_initiatives(m: folium.Map, initiatives: gpd.GeoDataFrame, reference: pd.Timestamp | None,
                    presentation: bool) -> bool:
    """The initiatives as one toggleable layer of hollow dashed rings, stale ones badged; True when drawn."""
    if initiatives is None or initiatives.empty:
        return False
    usable = initiatives[~(initiatives.geometry.isna() | initiatives.geometry.is_empty)]
    if usable.empty:
        return False
    lonlat = to_display(usable)
    soort = text_column(usable, "soort")
    people = pd.to_numeric(usable["betrokkenen"], errors="coerce") if "betrokkenen" in usable.columns \
        else pd.Series(np.nan, index=usable.index)
    tips = ("<b>" + text_column(usable, "naam") + "</b><br>Initiatief" + soort.map(lambda s: f" · {s}" if s else "")
            + people.map(lambda n: f"<br>{format_number(n, 0)} betrokkenen" if pd.notna(n) else "").astype(object))
    marked = stale_mask(usable, reference)
    tips = tips + checked_text(usable, marked)
    size = 30 if presentation else 20
    group = folium.FeatureGroup(name=f"{initiative_svg(14)} {html.escape(INITIATIVE_LABEL)}", overlay=True,
                                control=True, show=True)
    _point_group(group, lonlat[~marked], tips[~marked], initiative_svg(size), size, "ww-initiative")
    _point_group(group, lonlat[marked], tips[marked], stale_badge(initiative_svg(size), size), size,
                 "ww-initiative ww-stale-entry")
    group.add_to(m)
    return True


def add_places(m: folium.Map, places: gpd.GeoDataFrame, presentation: bool) -> bool:
    """Places pointed out in a meeting: one layer, four big markers by kind; True when drawn."""
    if places is None or places.empty:
        return False
    lonlat = to_display(places)
    size = 60 if presentation else 44
    group = folium.FeatureGroup(name="Plekken uit de bijeenkomst", overlay=True, control=True, show=True)
    kinds = places["soort"].astype(str)
    for kind, (label, _colour, _shape, _symbol) in PLACE_STYLES.items():
        rows = (kinds == kind).to_numpy(bool)
        if not rows.any():
            continue
        tips = f"<b>{html.escape(label)}</b><br>" + text_column(places[rows], "reden")
        _point_group(group, lonlat[rows], tips, place_svg(kind, size), size,
                     f"ww-place ww-place-{kind.replace(' ', '-')}")
    group.add_to(m)
    return True


def informal_legend(initiatives: bool, places: bool, stale_marked: bool) -> str:
    """Legend rows for the layers of this module (fixed texts only)."""
    parts: list[str] = []
    row = '<div class="ww-row">{}<span>{}</span></div>'
    if initiatives:
        parts.append(row.format(initiative_svg(16), html.escape(INITIATIVE_LABEL)))
    if stale_marked:
        parts.append(row.format(stale_badge('<svg width="16" height="16"></svg>', 16), html.escape(STALE_LABEL)))
    if places:
        parts.append("<h4>Plekken uit de bijeenkomst</h4>")
        parts += [row.format(place_svg(kind, 22), html.escape(label)) for kind, (label, *_r) in PLACE_STYLES.items()]
    return "".join(parts)
