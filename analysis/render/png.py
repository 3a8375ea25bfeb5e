"""The wijkprofiel as a print-quality PNG (A4 landscape), drawn by matplotlib alone: no browser, no internet."""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import TextPath
from matplotlib.typing import RcKeyType
from PIL import Image

from analysis import registry
from analysis.components import (
    COMPONENTS,
    COMPONENTS_BY_KEY,
    MPL_MARKERS,
    PLACE_COMPONENT_KEYS,
)
from analysis.compute import network
from analysis.compute.profile import MIN_STANDARDISED_DIFFERENCE, WijkProfile, build_profile, network_for_year
from analysis.compute.suppression import DEFAULT_THRESHOLD, n_text
from analysis.formatting import format_difference, format_number, format_value, missing
from analysis.model import CRS_RD, Dataset
from analysis.render.png_change import better as _better
from analysis.render.png_change import change_rows as _change_rows
from analysis.render.png_change import change_sentences
from analysis.render.png_sections import extras_figure
from analysis.render.tables import check_wijk

__all__ = ["PNG_DPI", "PNG_SIZE_IN", "WATERMARK_GID", "MapContext", "change_sentences", "map_context",
           "profile_figure", "profile_png", "wijk_points"]

#: Image size: A4 landscape (297 x 210 mm) at 205 dpi = 2400 x 1697 px, so both "A4 at 200 dpi"
#: and "at least 2400 x 1600 px" hold.
PNG_DPI = 200
PNG_SIZE_IN: tuple[float, float] = (12.0, 12.0 * 210.0 / 297.0)
#: ``gid`` of the faint diagonal "FICTIEF" behind the demo profile: the one text meant to lie under others.
WATERMARK_GID = "watermark"

# Colours of the PNG (colour-blind safe: Paul Tol's palette; text in near-black for print).
_INK = "#222222"
_MUTED = "#666666"
_GRID = "#DDDDDD"
_ABOVE = "#4477AA"
_BELOW = "#EE7733"
_STRONG = "#228833"
_WEAK = "#CC3311"
_FOCUS = "#222222"
_DEMO_RED = "#CC3311"
#: Line box of DejaVu Sans (ascent + descent) in ems, for placing lines that must not touch.
_LINE_EM = 1.17

#: rcParams set on top of matplotlib's defaults for every PNG, so a user's matplotlibrc or style
#: cannot change the bytes.
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": _MUTED,
    "axes.labelcolor": _INK,
    "text.color": _INK,
    "xtick.color": _MUTED,
    "ytick.color": _INK,
    "svg.hashsalt": "wijkweefsel",
    "path.simplify": True,
    "agg.path.chunksize": 0,
    "text.usetex": False,
    "figure.dpi": PNG_DPI,
    "savefig.dpi": PNG_DPI,
}

Rect = tuple[float, float, float, float]
#: Left edge of the middle column (headings, the change block).
_COLUMN_2 = 0.35


@dataclass
class MapContext:
    """Geometry and network metrics shared by all profiles of one export."""

    wijken: gpd.GeoDataFrame
    metrics: dict[int, pd.DataFrame] = field(default_factory=dict)

    def year_metrics(self, ds: Dataset, year: int) -> pd.DataFrame | None:
        """Network metrics of ``year`` (computed once per year), None without associations."""
        if len(ds.associations) == 0:
            return None
        if year not in self.metrics:
            self.metrics[year] = network_for_year(ds, year)[1]
        return self.metrics[year]


def map_context(ds: Dataset) -> MapContext:
    """The wijken simplified once (10 m, as a coverage so borders stay shared) for every locator map."""
    wijken = ds.wijken[["gebiedscode", "geometry"]].copy()
    wijken["gebiedscode"] = wijken["gebiedscode"].astype(str)
    geoms = np.asarray(wijken.geometry.values, dtype=object)
    usable = ~(pd.isna(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    if usable.any():
        with contextlib.suppress(shapely.errors.ShapelyError):  # not a clean coverage: keep it as it is
            geoms[usable] = shapely.coverage_simplify(geoms[usable], 10.0)
    return MapContext(wijken=wijken.set_geometry(gpd.GeoSeries(geoms, index=wijken.index, crs=CRS_RD)))


# --------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------

def _wrap(text: str, width_in: float, size_pt: float) -> str:
    """Wrap ``text`` to a width in inches for DejaVu Sans at ``size_pt``."""
    chars = max(int(width_in * 72.0 / (0.56 * size_pt)), 10)
    return "\n".join(textwrap.wrap(str(text), chars, break_long_words=True)) or ""


def _ellipsis(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _em(size_pt: float) -> float:
    """One em of ``size_pt`` in figure heights."""
    return size_pt / 72.0 / PNG_SIZE_IN[1]


def _short_value(value: object, unit: str) -> str:
    """A value for a table cell whose label already names the unit (``per km²``)."""
    return format_number(value) if unit == "per km²" else format_value(value, unit)


def _heading(fig: Figure, x: float, top: float, title: str, subtitle: str = "") -> float:
    """A panel title (12.5 pt bold) with its top at ``top``, and a muted subtitle below it.

    Returns the figure height just below the heading, where the panel can start.
    """
    fig.text(x, top, title, fontsize=12.5, fontweight="bold", ha="left", va="top", color=_INK)
    below = top - _em(12.5) * _LINE_EM * 1.05
    if subtitle:
        fig.text(x, below, subtitle, fontsize=9, color=_MUTED, ha="left", va="top")
        below -= _em(9) * _LINE_EM * 1.05
    return below


def _plain_axes(ax: Axes) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


# --------------------------------------------------------------------------------------
# Header and locator map
# --------------------------------------------------------------------------------------

def _width_in(text: str, size_pt: float, bold: bool = True) -> float:
    """Width of ``text`` in inches, measured on the glyph outlines of DejaVu Sans (the PNG's only font)."""
    font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    return float(TextPath((0, 0), text, size=size_pt, prop=font).get_extents().width) / 72.0


def _fit(text: str, width_in: float, size_pt: float, smallest_pt: float) -> tuple[str, float]:
    """``text`` and the largest bold size up to ``size_pt`` at which it is at most ``width_in`` wide.

    Below ``smallest_pt`` the text is cut instead, with an ellipsis.
    """
    width = _width_in(text, size_pt)
    if width <= width_in:
        return text, size_pt
    size = math.floor(size_pt * width_in / width * 4) / 4
    if size >= smallest_pt:
        return text, size
    keep = int(len(text) * width_in / _width_in(text, smallest_pt)) - 1
    return _ellipsis(text, max(keep, 8)), smallest_pt


def _draw_header(fig: Figure, p: WijkProfile) -> None:
    room_in = ((0.80 if p.is_demo else 0.98) - 0.02) * PNG_SIZE_IN[0]
    title, size = _fit(f"Wijkprofiel {p.name}", room_in, 24.0, 13.0)
    fig.text(0.02, 0.955, title, fontsize=size, fontweight="bold", va="baseline")
    parts = [f"wijk {p.code}", f"gemeente {p.gemeente} ({p.gemeente_code})", f"meetjaar {p.year}"]
    if not math.isnan(p.priority_rank) and p.priority_total:
        parts.append(f"prioriteit {format_number(p.priority_rank, 0)} van {format_number(p.priority_total, 0)} "
                     "wijken")
    fig.text(0.02, 0.925, _ellipsis("  ·  ".join(parts), 118), fontsize=11.5, color=_MUTED, va="baseline")
    fig.add_artist(Line2D([0.02, 0.98], [0.912, 0.912], color=_GRID, linewidth=1.5, transform=fig.transFigure))
    if p.is_demo:
        fig.text(0.98, 0.95, "FICTIEF", fontsize=26, fontweight="bold", color="white", ha="right",
                 va="center", bbox={"boxstyle": "round,pad=0.35", "facecolor": _DEMO_RED, "edgecolor": "none"})
        fig.text(0.5, 0.45, "FICTIEF", fontsize=150, fontweight="bold", color=_DEMO_RED, alpha=0.06,
                 ha="center", va="center", rotation=28, zorder=-10, gid=WATERMARK_GID)


def _polygon_coords(geoms: Iterable[Any]) -> list[np.ndarray]:
    """Exterior and interior rings of (multi)polygons as coordinate arrays."""
    rings = []
    for part in shapely.get_parts(np.asarray(list(geoms), dtype=object)):
        if part is None or part.is_empty or part.geom_type != "Polygon":
            continue
        rings.append(np.asarray(part.exterior.coords))
        rings.extend(np.asarray(r.coords) for r in part.interiors)
    return rings


def _draw_rings(ax: Axes, geoms: Iterable[Any], **style: Any) -> None:
    rings = _polygon_coords(geoms)
    if rings:
        ax.add_collection(PolyCollection(rings, **style))


def wijk_points(ds: Dataset, code: str, year: int) -> pd.DataFrame:
    """The facilities and associations the locator map shows: ``component`` and ``geometry`` (point or None).

    The same sets as the indicator table counts (``<component>_aantal``, ``verenigingen_aantal``): the
    facilities of ``year`` (the one year rule) in the buurten of the wijk, and its active associations
    of ``year`` (associations listed as facilities included).
    """
    parents = pd.Series(ds.buurten["wijkcode"].astype("string").to_numpy(),
                        index=pd.Index(ds.buurten["gebiedscode"].astype("string")))
    parents = parents[~parents.index.duplicated()]
    facilities = ds.rows_of_year(ds.facilities, year)
    in_wijk = (facilities["buurtcode"].astype("string").map(parents) == str(code)).fillna(False).to_numpy(bool)
    facilities = facilities[in_wijk & facilities["component"].notna().to_numpy(bool)]
    associations = ds.rows_of_year(ds.associations, year)
    if len(associations):
        active = associations["actief"].astype("boolean").fillna(False).to_numpy(bool) \
            if "actief" in associations.columns else np.ones(len(associations), dtype=bool)
        here = (network.association_area_codes(associations, "wijk") == str(code)).fillna(False).to_numpy(bool)
        associations = associations[active & here].drop_duplicates("id") if "id" in associations.columns \
            else associations[active & here]
    frames = [pd.DataFrame({"component": facilities["component"].astype(str).to_numpy(),
                            "geometry": facilities.geometry.to_numpy()}),
              pd.DataFrame({"component": "verenigingen", "geometry": associations.geometry.to_numpy()})]
    points = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame({"component": pd.Series(dtype=str), "geometry": pd.Series(dtype=object)})
    geometry = np.asarray(points["geometry"], dtype=object)
    usable = ~(pd.isna(geometry) | shapely.is_empty(geometry)) if len(geometry) else np.zeros(0, bool)
    centres = np.full(len(geometry), None, dtype=object)
    if usable.any():
        centres[usable] = shapely.point_on_surface(geometry[usable])
    points["geometry"] = centres
    return points


def _map_window(ax: Axes, own: gpd.GeoDataFrame, rect: Rect) -> tuple[float, float, float]:
    """Limits that show the wijk with a margin and fill the axes' aspect; returns (x0, y0, half width)."""
    minx, miny, maxx, maxy = own.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.08 + 100.0
    width_in, height_in = rect[2] * PNG_SIZE_IN[0], rect[3] * PNG_SIZE_IN[1]
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = (maxx - minx) / 2 + pad, (maxy - miny) / 2 + pad
    if half_w / half_h < width_in / height_in:
        half_w = half_h * width_in / height_in
    else:
        half_h = half_w * height_in / width_in
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    return cx - half_w, cy - half_h, half_w


def _draw_points(ax: Axes, points: pd.DataFrame, measured: set[str]) -> list[Line2D]:
    """Markers per component (the component table's colours and shapes); legend handles with counts.

    Components the dataset does not measure get no legend entry: a count of 0 would say there are none.
    """
    handles = []
    for c in COMPONENTS:
        if c.walk_norm_m is None or c.key not in measured:
            continue
        sel = points[points["component"] == c.key]
        located = sel["geometry"].dropna()
        if len(located):
            xy = shapely.get_coordinates(np.asarray(located, dtype=object))
            ax.scatter(xy[:, 0], xy[:, 1], s=70 if c.marker != "star" else 110, marker=MPL_MARKERS[c.marker],
                       color=c.colour, edgecolors="white", linewidths=0.8, zorder=4)
        handles.append(Line2D([], [], linestyle="none", marker=MPL_MARKERS[c.marker], markersize=8,
                              markerfacecolor=c.colour, markeredgecolor="white",
                              label=f"{c.short_label} ({format_number(len(sel), 0)})"))
    return handles


def _draw_inset(fig: Figure, rect: Rect, wijken: gpd.GeoDataFrame, code: str) -> None:
    """The whole gemeente with the wijk in black, below the map, right of the legend."""
    inset = fig.add_axes((rect[0] + rect[2] * 0.81, rect[1] - 0.125, rect[2] * 0.19, 0.105))
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_color(_MUTED)
    own = wijken["gebiedscode"] == code
    _draw_rings(inset, wijken.geometry[~own].dropna(), facecolor="#E6E6E6", edgecolor="white", linewidths=0.3)
    _draw_rings(inset, wijken.geometry[own].dropna(), facecolor=_FOCUS, edgecolor=_FOCUS, linewidths=0.5)
    gx0, gy0, gx1, gy1 = wijken.total_bounds
    gpad = max(gx1 - gx0, gy1 - gy0) * 0.04
    inset.set_xlim(gx0 - gpad, gx1 + gpad)
    inset.set_ylim(gy0 - gpad, gy1 + gpad)
    inset.text(0.5, -0.04, "ligging in de gemeente", transform=inset.transAxes, ha="center", va="top",
               fontsize=7.5, color=_MUTED)


def _scale_bar(ax: Axes, x0: float, y0: float, half_w: float) -> None:
    """A round-numbered scale bar in the lower left corner (map units are metres)."""
    target = half_w * 2 / 5
    length = max((v for v in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000) if v <= target), default=100)
    x, y = x0 + half_w * 0.05, y0 + half_w * 0.04
    ax.plot([x, x + length], [y, y], color=_INK, linewidth=3, solid_capstyle="butt", zorder=5)
    label = f"{format_number(length / 1000)} km" if length >= 1000 else f"{format_number(length, 0)} m"
    ax.text(x + length / 2, y, label, ha="center", va="bottom", fontsize=8, color=_INK, zorder=5)


def _draw_map(fig: Figure, ds: Dataset, p: WijkProfile, context: MapContext, rect: Rect) -> None:
    _heading(fig, rect[0], rect[1] + rect[3] + 0.035, "Ligging en voorzieningen")
    ax = fig.add_axes(rect)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(_GRID)
    wijken = context.wijken
    own = wijken[wijken["gebiedscode"] == p.code]
    if own.empty or own.geometry.isna().all():
        ax.text(0.5, 0.5, "geen kaart: de wijk heeft geen geometrie", ha="center", va="center",
                transform=ax.transAxes, color=_MUTED)
        return
    _draw_rings(ax, wijken.geometry[wijken["gebiedscode"] != p.code].dropna(), facecolor="#F2F2F2",
                edgecolor="#BBBBBB", linewidths=0.6)
    _draw_rings(ax, own.geometry.dropna(), facecolor="#FFF3CC", edgecolor=_FOCUS, linewidths=2.0, zorder=2)
    x0, y0, half_w = _map_window(ax, own, rect)
    measured = set(p.components.loc[p.components["aantal"].notna(), "component"].astype(str))
    handles = _draw_points(ax, wijk_points(ds, p.code, p.year), measured)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, frameon=False,
              fontsize=8.5, handletextpad=0.2, columnspacing=0.5, borderaxespad=0.0, handlelength=1.2)
    _scale_bar(ax, x0, y0, half_w)
    _draw_inset(fig, rect, wijken, p.code)


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------

def _rows_of_text(fig: Figure, top: float, pitch_in: float, columns: list[tuple[float, str, list[str], dict]],
                  size: float) -> None:
    """A table drawn one text per cell: row ``i`` has its top at ``top - i * pitch``; empty cells are skipped.

    ``columns`` holds ``(x, ha, cells, style)``; ``style`` may map ``"colours"`` to one colour per cell.
    """
    pitch = pitch_in / PNG_SIZE_IN[1]
    for x, ha, cells, style in columns:
        colours = style.get("colours")
        base = {k: v for k, v in style.items() if k != "colours"}
        for i, cell in enumerate(cells):
            if not cell:
                continue
            kwargs = dict(base) if colours is None else {**base, "color": colours[i]}
            fig.text(x, top - i * pitch, cell, ha=ha, va="top", fontsize=size, **kwargs)


def _draw_key_figures(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    top = _heading(fig, rect[0], rect[1] + rect[3], "Kerncijfers")
    rows = p.key_figures.dropna(subset=["waarde"])
    extra = p.network[p.network["indicator"].isin(["verenigingen_aantal", "overbruggende_banden_pct"])]
    rows = pd.concat([rows, extra.dropna(subset=["waarde"])], ignore_index=True).head(11)
    if rows.empty:
        fig.text(rect[0], top, "geen kerncijfers bekend", color=_MUTED, va="top", fontsize=10)
        return
    x_wijk, x_gem = rect[0] + rect[2] * 0.76, rect[0] + rect[2] * 0.99
    header: dict[str, Any] = {"color": _MUTED, "fontweight": "bold"}
    fig.text(x_wijk, top, "wijk", ha="right", va="top", fontsize=9, **header)
    fig.text(x_gem, top, "gemeente", ha="right", va="top", fontsize=9, **header)
    pitch_in = min((top - rect[1]) * PNG_SIZE_IN[1] / (len(rows) + 1), 0.25)
    # The gemeente has no share of bridging ties by construction (every tie lies inside it).
    gemeente = [_short_value(v, u) if not (k == "overbruggende_banden_pct" and pd.isna(v)) else "n.v.t."
                for k, v, u in zip(rows["indicator"], rows["gemeente"], rows["eenheid"], strict=True)]
    _rows_of_text(fig, top - pitch_in / PNG_SIZE_IN[1], pitch_in, [
        (rect[0], "left", [_ellipsis(str(label), 29) for label in rows["label"]], {}),
        (x_wijk, "right", [_short_value(v, u) for v, u in zip(rows["waarde"], rows["eenheid"], strict=True)],
         {"fontweight": "bold"}),
        (x_gem, "right", gemeente, {"color": _MUTED}),
    ], 10)


def _draw_coverage(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    _heading(fig, _COLUMN_2, rect[1] + rect[3] + 0.05, "Bereik per onderdeel",
             "inwoners binnen loopafstand · | = gemeente · stippellijn = doel")
    ax = fig.add_axes(rect)
    comp = p.components[p.components["component"].isin(PLACE_COMPONENT_KEYS)].reset_index(drop=True)
    n = max(len(comp), 1)
    y = np.arange(len(comp))[::-1]
    values = comp["dekking_pct"].astype(float).to_numpy()
    ax.barh(y, np.nan_to_num(values), color=comp["kleur"].tolist(), height=0.62, zorder=2)
    ax.scatter(comp["dekking_pct_gemeente"].astype(float), y, marker="|", s=420, color=_INK, linewidths=2.2, zorder=3)
    targets = comp["doel_pct"].astype(float).to_numpy()
    ax.plot(np.column_stack([targets, targets, np.full(len(y), np.nan)]).ravel(),
            np.column_stack([y - 0.42, y + 0.42, np.full(len(y), np.nan)]).ravel(),
            color=_MUTED, linestyle=(0, (2, 2)), linewidth=1.0, zorder=3)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(comp) - 0.4)
    ax.set_yticks([])
    for yi, row, value in zip(y, comp.to_dict("records"), values, strict=True):
        centre = (yi + 0.6) / n
        ax.text(-0.025, centre, f"{COMPONENTS_BY_KEY[str(row['component'])].short_label}\n"
                f"binnen {format_number(row['loopnorm_m'], 0)} m", transform=ax.transAxes, ha="right", va="center",
                multialignment="right", fontsize=9, linespacing=1.15)
        gap = str(row["tekort"]) if str(row["tekort"]).startswith("tekort") else ""
        if math.isnan(value):  # written in the empty bar, so the column to the right stays free
            ax.text(0.02, centre, missing("geen gegevens"), transform=ax.transAxes, ha="left", va="center",
                    fontsize=8.5, color=_MUTED, style="italic", zorder=4)
            continue
        ax.text(1.02, centre + (0.012 if gap else 0.0), format_value(value, registry.UNIT_PCT, 0),
                transform=ax.transAxes, ha="left", va="bottom" if gap else "center", fontsize=10, fontweight="bold")
        if gap:
            ax.text(1.02, centre - 0.012, gap, transform=ax.transAxes, ha="left", va="top", fontsize=8,
                    fontweight="bold", color=_WEAK)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _draw_digital(fig, p, rect)


def _draw_digital(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    digital = p.components[p.components["component"] == "digitaal"]
    if not len(digital):
        return
    d = digital.iloc[0]
    if pd.isna(d["per_1000_inw"]):
        text = "Digitaal: geen gegevens over het gebruik van digitale platforms"
    else:
        text = (f"Digitaal: {format_number(d['per_1000_inw'])} actieve gebruikers per 1.000 inwoners "
                f"(gemeente {format_number(d['per_1000_inw_gemeente'])})"
                + (f" — {d['tekort']}" if d["gat"] == 1 else ""))
    fig.text(_COLUMN_2, rect[1] - 0.034, _wrap(text, (rect[2] + 0.1) * PNG_SIZE_IN[0], 8.5), fontsize=8.5,
             va="top", linespacing=1.1)


def _draw_cohesion(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    _heading(fig, _COLUMN_2, rect[1] + rect[3] + 0.05, "Cohesie-index en delen",
             "100 = gemiddelde van de gemeente")
    ax = fig.add_axes(rect)
    rows = p.cohesion.reset_index(drop=True)
    if rows.empty or rows["waarde"].isna().all():
        _plain_axes(ax)
        ax.text(0.0, 0.5, "geen cohesie-index: te weinig gegevens", color=_MUTED, fontsize=10)
        return
    y = np.arange(len(rows))[::-1]
    values = rows["waarde"].astype(float).to_numpy()
    delta = np.nan_to_num(values - 100.0)
    colours = [_ABOVE if d >= 0 else _BELOW for d in delta]
    heights = [0.7 if k == "cohesie_index" else 0.5 for k in rows["indicator"]]
    ax.barh(y, delta, left=100.0, color=colours, height=heights, zorder=2)
    span = max(30.0, float(np.nanmax(np.abs(delta))) * 1.25 if len(delta) else 30.0)
    for yi, v, d in zip(y, values, delta, strict=True):
        if math.isnan(v):
            ax.text(100 + 1.5 * span / 30, yi, missing("geen cijfer"), va="center", ha="left", fontsize=8.5,
                    color=_MUTED, style="italic")
            continue
        ax.text(100 + d + (1.5 if d >= 0 else -1.5) * span / 30, yi, format_number(v, 0), va="center",
                ha="left" if d >= 0 else "right", fontsize=10, fontweight="bold")
    labels = [("Cohesie-index" if k == "cohesie_index" else str(lab).replace("Cohesie-index: ", ""))
              for k, lab in zip(rows["indicator"], rows["label"], strict=True)]
    ax.set_yticks(y, labels, fontsize=9)
    for tick, key in zip(ax.get_yticklabels(), rows["indicator"], strict=True):
        if key == "cohesie_index":
            tick.set_fontweight("bold")
    ax.axvline(100, color=_INK, linewidth=1.0, zorder=3)
    ax.set_xlim(100 - span, 100 + span)
    step = 10 if span <= 35 else 20
    ticks = np.arange(100 - step * math.floor(span / step), 100 + span + 1e-9, step)
    ax.set_xticks(ticks, [format_number(t, 0) for t in ticks], fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_survey(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    _heading(fig, rect[0], rect[1] + rect[3] + 0.05, "Bewonersenquête", "● wijk, lijn = 95%-interval, | = gemeente")
    ax = fig.add_axes(rect)
    _plain_axes(ax)
    rows = p.survey.head(10).reset_index(drop=True)
    if rows.empty:
        ax.text(0.0, 0.95, "geen enquêtecijfers voor deze wijk", color=_MUTED, va="top", fontsize=10)
        return
    step = 1.0 / max(len(rows), 6)
    track_left, track_right = 0.46, 0.68
    for i, row in enumerate(rows.to_dict("records")):
        y = 1.0 - (i + 0.5) * step
        count = f"n = {format_number(row['n'], 0)}" if not pd.isna(row["n"]) else ""
        label = f"{row['label']} (0-10)" if row["eenheid"] == registry.UNIT_SCORE else str(row["label"])
        ax.text(0.0, y, _wrap(label, 1.5, 9), va="center", fontsize=9, linespacing=1.0)
        top = 10.0 if row["eenheid"] == registry.UNIT_SCORE else 100.0

        def scale(v: float, top: float = top) -> float:
            return track_left + (track_right - track_left) * min(max(v / top, 0.0), 1.0)

        if row["onderdrukt"] or pd.isna(row["waarde"]):
            # Never the n of a suppressed figure: "minder dan 30 (of afgeschermd)" (analysis.compute.suppression).
            text = (f"{missing('te weinig respons')}: n {n_text(row['n'], 1, DEFAULT_THRESHOLD)}" if row["onderdrukt"]
                    else missing("geen cijfer"))
            ax.text(track_left, y, _wrap(text, (1 - track_left) * rect[2] * PNG_SIZE_IN[0], 8.5), ha="left",
                    va="center", fontsize=8.5, color=_MUTED, style="italic", linespacing=1.0)
            continue
        ax.plot([track_left, track_right], [y, y], color=_GRID, linewidth=5, solid_capstyle="round", zorder=1)
        if not (pd.isna(row["ci_laag"]) or pd.isna(row["ci_hoog"])):
            ax.plot([scale(row["ci_laag"]), scale(row["ci_hoog"])], [y, y], color=_ABOVE, linewidth=2.5, zorder=2)
        if not pd.isna(row["gemeente"]):
            ax.plot([scale(row["gemeente"])] * 2, [y - step * 0.28, y + step * 0.28], color=_INK, linewidth=2,
                    zorder=3)
        ax.scatter([scale(row["waarde"])], [y], s=60, color=_ABOVE, edgecolors="white", zorder=4)
        ax.text(track_right + 0.03, y, format_value(row["waarde"], row["eenheid"]), va="center", fontsize=10,
                fontweight="bold")
        if count:
            ax.text(1.0, y, count, va="center", ha="right", fontsize=8, color=_MUTED)


def _draw_findings(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    ax = fig.add_axes(rect)
    _plain_axes(ax)
    width_in = rect[2] * PNG_SIZE_IN[0]
    line_h = (9.5 * 1.15 / 72.0) / (rect[3] * PNG_SIZE_IN[1])  # one 9.5 pt text line in axes units
    y = 1.0
    for title, items, colour, bullet in (("Sterke punten", p.strengths, _STRONG, "+"),
                                         ("Aandachtspunten", p.weaknesses, _WEAK, "−")):
        ax.text(0.0, y, title, fontsize=12.5, fontweight="bold", color=colour, va="top")
        y -= line_h * 1.7
        texts: list[str]
        if not items:
            texts = [getattr(p, "comparison_note", "") or "geen duidelijke verschillen met de andere wijken"]
            style: dict[str, Any] = {"color": _MUTED, "style": "italic"}
        else:
            texts = [getattr(s, "short", "") or s.text for s in items]
            style = {}
        for text in texts:
            if y < line_h * 2:  # never run into the footer
                break
            text = _wrap(text, width_in - 0.3, 9.5)
            if items:
                ax.text(0.0, y, bullet, fontsize=11, fontweight="bold", color=colour, va="top")
            ax.text(0.05 if items else 0.0, y, text, fontsize=9.5, va="top", linespacing=1.15, **style)
            y -= line_h * (text.count("\n") + 1.5)
        y -= line_h * 0.8
    if y > line_h * 3:
        note = (f"Vergeleken met de andere wijken van {p.gemeente}: alleen verschillen van minstens "
                f"{format_number(MIN_STANDARDISED_DIFFERENCE, 1)} standaardafwijking tussen de wijken.")
        ax.text(0.0, y, _wrap(note, width_in, 7.5), fontsize=7.5, color=_MUTED, va="top")


# --------------------------------------------------------------------------------------
# Change since the baseline
# --------------------------------------------------------------------------------------

def _draw_change(fig: Figure, p: WijkProfile, rect: Rect) -> None:
    top = rect[1] + rect[3]
    if p.baseline_year is None or p.change.dropna(subset=["verschil"]).empty:
        below = _heading(fig, rect[0], top, "Verandering")
        text = ("geen eerder meetjaar om mee te vergelijken" if p.baseline_year is None else
                f"geen cijfers die zowel in {p.baseline_year} als in {p.year} gemeten zijn")
        fig.text(rect[0], below, text, color=_MUTED, va="top", fontsize=9.5, style="italic")
        return
    y = _heading(fig, rect[0], top, f"Verandering sinds {p.baseline_year}")
    width_in = rect[2] * PNG_SIZE_IN[0]
    sentences = change_sentences(p)
    if not sentences:
        quiet = _wrap("Geen verandering groter dan de foutmarge, geen voorziening erbij of weg.", width_in, 9)
        fig.text(rect[0], y, quiet, va="top", fontsize=9, color=_MUTED, style="italic", linespacing=1.1)
        y -= _em(9) * (1.1 * (quiet.count("\n") + 1) + 0.3)
    for text, better in sentences:
        colour = _INK if better is None else (_STRONG if better else _WEAK)
        wrapped = _wrap(text, width_in - 0.2, 9)
        fig.text(rect[0], y, "▲" if better else ("▼" if better is False else "•"), va="top", fontsize=8,
                 color=colour)
        fig.text(rect[0] + 0.012, y, wrapped, va="top", fontsize=9, linespacing=1.1)
        y -= _em(9) * (1.1 * (wrapped.count("\n") + 1) + 0.3)
    _change_table(fig, p, rect, y - _em(9) * 0.4)


def _change_table(fig: Figure, p: WijkProfile, rect: Rect, top: float) -> None:
    """Below the sentences: the cohesion index and the survey changes within their margins, as a table."""
    pitch_in = 0.17
    room = int((top - rect[1]) * PNG_SIZE_IN[1] / pitch_in) - 2
    rows = _change_rows(p, max(room, 0))
    if rows.empty:
        return
    x = [rect[0] + rect[2] * f for f in (0.0, 0.62, 0.78, 1.0)]
    header: dict[str, Any] = {"color": _MUTED, "fontweight": "bold"}
    for xi, text in zip(x[1:], (str(p.baseline_year), str(p.year), "verschil"), strict=True):
        fig.text(xi, top, text, ha="right", va="top", fontsize=8.5, **header)
    diffs = [format_difference(d, u).replace(" procentpunt", " pp") for d, u in zip(rows["verschil"], rows["eenheid"],
                                                                                 strict=True)]
    colours = [_MUTED if bool(e) else (_INK if (b := _better(str(k), float(d), s)) is None else
                                       (_STRONG if b else _WEAK))
               for k, d, s, e in zip(rows["indicator"], rows["verschil"], diffs, rows["enquete"], strict=True)]
    first = top - pitch_in / PNG_SIZE_IN[1]
    _rows_of_text(fig, first, pitch_in, [
        (x[0], "left", [_ellipsis(str(label), 26) for label in rows["label"]], {}),
        (x[1], "right", [format_value(v, u) for v, u in zip(rows["basis"], rows["eenheid"], strict=True)],
         {"color": _MUTED}),
        (x[2], "right", [format_value(v, u) for v, u in zip(rows["waarde"], rows["eenheid"], strict=True)], {}),
        (x[3], "right", diffs, {"colours": colours, "fontweight": "bold"}),
    ], 8.5)
    fig.text(x[0], first - len(rows) * pitch_in / PNG_SIZE_IN[1] - _em(8.5) * 0.3,
             "grijs = enquêtecijfer binnen de foutmarge; groen = beter, rood = slechter", fontsize=7.5,
             color=_MUTED, va="top")


# --------------------------------------------------------------------------------------
# Footer, figure, PNG
# --------------------------------------------------------------------------------------

def _draw_footer(fig: Figure, p: WijkProfile) -> None:
    fig.add_artist(Line2D([0.02, 0.98], [0.062, 0.062], color=_GRID, linewidth=1.0, transform=fig.transFigure))
    sources = "; ".join(p.sources) if p.sources else "bronnen: zie de pagina Verantwoording"
    method = f"Nabijheid: {p.method_note}. " if p.method_note else ""
    lines = _wrap(method + "Bronnen en licenties: " + sources, PNG_SIZE_IN[0] * 0.66, 7.5).split("\n")
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = _ellipsis(lines[-1], max(len(lines[-1]) - 2, 1)).rstrip("…") + " … (zie de CSV)"
    fig.text(0.02, 0.052, "\n".join(lines), fontsize=7.5, color=_MUTED, va="top", linespacing=1.25)
    fig.text(0.98, 0.052, f"Wijkweefsel · dataset {_ellipsis(p.dataset_name, 40)}", fontsize=7.5, color=_MUTED,
             ha="right", va="top")
    if p.is_demo:
        fig.text(0.98, 0.032, "FICTIEF: demogegevens", fontsize=9, color=_DEMO_RED, fontweight="bold",
                 ha="right", va="top")


def profile_figure(ds: Dataset, p: WijkProfile, context: MapContext | None = None) -> Figure:
    """The wijkprofiel of ``p`` as a matplotlib figure (A4 landscape), not yet saved.

    Draw it with the fixed settings of :func:`profile_png` (``matplotlib.rc_context``) when the bytes
    matter; the tests use it to measure where every text lands.
    """
    context = context or map_context(ds)
    fig = Figure(figsize=PNG_SIZE_IN, dpi=PNG_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    _draw_header(fig, p)
    # Column 1: map (with legend below) and key figures.
    _draw_map(fig, ds, p, context, (0.02, 0.565, 0.30, 0.30))
    _draw_key_figures(fig, p, (0.02, 0.08, 0.29, 0.32))
    # Column 2: coverage, cohesion, change.
    _draw_coverage(fig, p, (0.44, 0.555, 0.155, 0.285))
    _draw_cohesion(fig, p, (0.44, 0.30, 0.155, 0.12))
    _draw_change(fig, p, (_COLUMN_2, 0.08, 0.29, 0.17))
    # Column 3: survey, strengths and weaknesses.
    _draw_survey(fig, p, (0.69, 0.53, 0.29, 0.31))
    _draw_findings(fig, p, (0.69, 0.08, 0.29, 0.40))
    _draw_footer(fig, p)
    return fig


def profile_png(ds: Dataset, table: pd.DataFrame, code: str, year: int | None = None, *,
                profile: WijkProfile | None = None, context: MapContext | None = None) -> bytes:
    """The wijkprofiel of one wijk as a print-quality PNG (A4 landscape, 2400 x 1697 px).

    Drawn with matplotlib's Agg renderer only (no browser, no internet) with fixed settings
    and fonts (DejaVu Sans, shipped with matplotlib) and no timestamp: the same data give
    the same bytes. The image shows the wijk's name and code, the gemeente and the year;
    a locator map with the wijk's facilities by component (the component table's colours
    and markers; the counts are the indicator table's) and the gemeente as an inset; the key
    figures; each component's coverage against the gemeente; the cohesion index and its parts;
    the survey scores with 95% intervals and n ("te weinig respons" when suppressed); strengths
    and weaknesses; what changed since the baseline, significant changes first, in sentences;
    sources and licences; and "FICTIEF" on demo data. Every number goes through
    :mod:`analysis.formatting`. When the wijk has a list of initiatives, notes or plan lines, a band below
    the A4 page shows them (:mod:`analysis.render.png_sections`); without them the image is unchanged.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table.
    code : str
        The wijk's code.
    year : int, optional
        Year; default as :func:`analysis.compute.profile.build_profile`.
    profile : WijkProfile, optional
        A profile already built for this wijk and year (saves the work).
    context : MapContext, optional
        Geometry and metrics shared across a batch (:func:`map_context`).

    Returns
    -------
    bytes
        The PNG.

    Raises
    ------
    DatasetError
        When the wijk is not in the dataset.
    """
    check_wijk(ds, code)
    context = context or map_context(ds)
    if profile is None:
        metrics = context.year_metrics(ds, int(year)) if year is not None else None  # else computed for its year
        profile = build_profile(ds, table, code, year=year, metrics=metrics)
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(cast(dict[RcKeyType, Any], _RC))
        fig = profile_figure(ds, profile, context)
        extras = extras_figure(ds, table, profile, PNG_SIZE_IN[0], PNG_DPI)
        buffer = io.BytesIO()
        if extras is None:
            # Fast zlib level: about 0.1 s less per image for about 6% more bytes.
            fig.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white",
                        metadata={"Software": None, "Creation Time": None}, pil_kwargs={"compress_level": 1})
            return buffer.getvalue()
        pixels = []
        for part in (fig, extras):
            part.canvas.draw()
            pixels.append(np.asarray(cast(FigureCanvasAgg, part.canvas).buffer_rgba())[..., :3])
        Image.fromarray(np.vstack(pixels)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
