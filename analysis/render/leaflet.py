"""Small Leaflet pieces of the maps, needing no outside script: markers, styles, behaviour, legend and tooltips."""

from __future__ import annotations

import html

import folium
import numpy as np
import pandas as pd
from folium.template import Template
from folium.utilities import JsCode

from analysis.compute.pattern import PATTERN_TITLE
from analysis.render.layers import LISA_CLUSTERS

__all__ = [
    "BIND_TOOLTIP", "NO_DATA_LABEL", "SUPPRESSED_LABEL", "WHITE_SPOT_LABEL", "Legend", "MapBehaviour", "MapStyle",
    "legend_html", "marker_svg", "text_column",
]

SUPPRESSED_LABEL = "te weinig respons"
NO_DATA_LABEL = "geen gegevens"
WHITE_SPOT_LABEL = "witte vlek (buiten de loopnorm)"

SUPPRESSED_FILL = "#f0f0f0"
NO_DATA_FILL = "#d9d9d9"
OUTLINE = "#3d3d3d"
WHITE_SPOT_RED = "#d62728"
#: Widest the scale bar grows (Leaflet's default ``maxWidth``).
SCALE_MAX_WIDTH_PX = 100


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


def text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` as escaped HTML text (missing -> empty)."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    text = frame[column].astype("string").fillna("")
    return text.map(html.escape).astype(object)


# --------------------------------------------------------------------------------------------------
# Small Leaflet elements (no external script needed)
# --------------------------------------------------------------------------------------------------

class MapStyle(folium.MacroElement):
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

    def __init__(self, presentation: bool = False) -> None:
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
            f".ww-swatch.ww-nodata{{background:{NO_DATA_FILL}}}"
            f".ww-swatch.ww-white-spot{{border:2px solid {WHITE_SPOT_RED};background:repeating-linear-gradient("
            f"45deg,{WHITE_SPOT_RED} 0 2px,transparent 2px 6px)}}"
            ".ww-swatch.ww-lisa{background:transparent;border-width:3px}"
            f"path.ww-suppressed{{fill:url(#ww-hatch-grey);fill-opacity:1}}"
            f"path.ww-white-spot{{fill:url(#ww-hatch-red);fill-opacity:1}}"
            ".ww-marker svg{filter:drop-shadow(0 0 1px rgba(0,0,0,.85));display:block}"
            ".leaflet-control-layers label svg{vertical-align:middle}"
            # The attribution wraps instead of running under the scale bar (bottom left, at most
            # SCALE_MAX_WIDTH_PX wide) on a narrow map.
            f".leaflet-control-attribution{{max-width:calc(100% - {SCALE_MAX_WIDTH_PX + 40}px);"
            "white-space:normal;line-height:1.3}"
        )
        self.patterns = (
            "<defs>"
            '<pattern id="ww-hatch-grey" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)">'
            f'<rect width="8" height="8" fill="{SUPPRESSED_FILL}"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="#8c8c8c" stroke-width="3"/></pattern>'
            '<pattern id="ww-hatch-red" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{WHITE_SPOT_RED}" stroke-width="2" '
            'stroke-opacity="0.75"/></pattern>'
            "</defs>"
        )


class MapBehaviour(folium.MacroElement):
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
            L.control.scale({imperial: false, maxWidth: {{ this.scale_max_width }}}).addTo(map);
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

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapBehaviour"
        self.scale_max_width = SCALE_MAX_WIDTH_PX


class Legend(folium.MacroElement):
    """A Leaflet control holding prebuilt (escaped) legend HTML, foldable ("Legenda"); folded when ``collapsed``."""

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

    def __init__(self, content: str, position: str = "bottomright", collapsed: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        # a <details> element: one click on "Legenda" folds it away from the map (a fixed text, no data in it)
        self.content = (f"<details{'' if collapsed else ' open'}><summary style=\"cursor:pointer;font-weight:600\">"
                        f"Legenda</summary>{content}</details>")
        self.position = position


BIND_TOOLTIP = JsCode(
    """function (feature, layer) {
        if (feature.properties && feature.properties.tooltip) {
            layer.bindTooltip(feature.properties.tooltip, {sticky: true});
        }
    }"""
)


def legend_html(value_label: str, colours: list[str], labels: list[str], suppressed: bool, choropleth: bool,
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
        parts.append(f"<h4>{html.escape(PATTERN_TITLE)}</h4>")
        for label, colour, dash in LISA_CLUSTERS.values():
            style = f"border-color:{colour};border-style:{'dashed' if dash else 'solid'}"
            parts.append(f'<div class="ww-row">{_swatch("ww-lisa", style)}<span>{label}</span></div>')
    return "".join(parts)
