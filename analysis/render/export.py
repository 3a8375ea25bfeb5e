"""Exports: wijkprofiel PNG and CSV, the batch export with index page, GEXF/GraphML and the GeoPackage."""

from __future__ import annotations

import html
import io
import math
import re
import tempfile
import textwrap
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import geopandas as gpd
import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import registry
from analysis.compute.indicators import TABLE_COLUMNS
from analysis.components import COMPONENTS, COMPONENTS_BY_KEY, MPL_MARKERS, PLACE_COMPONENT_KEYS
from analysis.compute import network
from analysis.compute.suppression import DEFAULT_THRESHOLD, n_text
from analysis.compute.profile import (
    MIN_STANDARDISED_DIFFERENCE,
    WijkProfile,
    build_profile,
    network_for_year,
)
from analysis.errors import DatasetError
from analysis.formatting import format_difference, format_number, format_value
from analysis.findings import Finding
from analysis.model import AREA_COLUMNS, CRS_RD, Dataset
from analysis.params import IndicatorParams

Dialect = Literal["standaard", "excel-nl"]
Progress = Callable[[float, str], None]

#: CSV dialects: separator, decimal mark, encoding and line end. Both end lines with CRLF (RFC 4180), which
#: also makes the writer quote any text holding a line break or a lone carriage return.
DIALECTS: dict[str, dict[str, str]] = {
    "standaard": {"sep": ",", "decimal": ".", "encoding": "utf-8", "lineterminator": "\r\n"},
    "excel-nl": {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "lineterminator": "\r\n"},
}
#: File-name suffix of the Dutch Excel flavour of every CSV in the batch export.
EXCEL_SUFFIX = "_excel"
#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Image size: A4 landscape (297 x 210 mm) at 205 dpi = 2400 x 1697 px, so both "A4 at 200 dpi"
#: and "at least 2400 x 1600 px" hold.
PNG_DPI = 200
PNG_SIZE_IN: tuple[float, float] = (12.0, 12.0 * 210.0 / 297.0)
#: Windows device names that cannot be used as a file name (with any extension).
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})
#: Longest file-name stem :func:`safe_filename` returns (Windows allows 255 for a whole name; zip
#: tools and deep folders leave less).
MAX_FILENAME_LENGTH = 80
#: Gebiedsindeling layers of :func:`areas_gpkg`.
GPKG_LAYERS: dict[str, str] = {"buurt": "buurten", "wijk": "wijken", "gemeente": "gemeente"}
#: Folder of the per-wijk files inside the batch export.
PROFILE_DIR = "wijkprofielen"
#: Fixed timestamp of every ZIP entry, so the same export gives the same ZIP.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

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

#: rcParams set on top of matplotlib's defaults for every PNG, so a user's matplotlibrc or style
#: cannot change the bytes.
_RC: dict[str, object] = {
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


# --------------------------------------------------------------------------------------
# File names and CSV
# --------------------------------------------------------------------------------------

def safe_filename(name: str, max_length: int = MAX_FILENAME_LENGTH) -> str:
    """A file-name stem that is safe on Windows, macOS and Linux, in ZIP files and in URLs.

    Accents are folded to ASCII (``Één`` -> ``Een``); characters Windows forbids
    (``<>:"/\\|?*`` and control characters), whitespace and every other character except
    letters, digits and ``. _ - ( )`` become ``_``; runs of ``_`` are
    collapsed, leading and trailing dots, spaces and underscores are removed, a Windows
    device name (``CON``, ``NUL``, ``COM1`` ...; also with an extension) gets a leading
    ``_``, and the result is cut to ``max_length`` characters. An empty result is ``_``.

    Parameters
    ----------
    name : str
        Any text (an area code and name, for example).
    max_length : int
        Maximum length of the result.

    Returns
    -------
    str
        The safe stem (add the extension yourself).
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f\s]+', "_", text)
    text = re.sub(r"[^A-Za-z0-9._()-]", "_", text)
    text = re.sub(r"_+", "_", text).strip(" ._")
    if text.split(".")[0].upper() in _RESERVED_NAMES:
        text = "_" + text
    text = text[:max(int(max_length), 1)].rstrip(" .")
    return text or "_"


def _is_number_text(value: str) -> bool:
    try:
        return math.isfinite(float(value.replace(",", ".")))
    except ValueError:
        return False


def neutralise(value: object) -> object:
    """Make a text cell safe for spreadsheets: prefix ``'`` when it could start a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe, unless the whole text is a number (``-3``, ``+1,5``). Numbers and
    missing values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_number_text(value):
        return "'" + value
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text column neutralised (numeric columns untouched)."""
    out = pd.DataFrame(frame).copy()
    if "geometry" in out.columns:
        out = out.drop(columns="geometry")
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        text = series.astype("string")
        risky = text.str.match(r"^[=+\-@\t\r]", na=False)
        if risky.any():
            numeric = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").notna()
            fix = risky & ~numeric
            if fix.any():
                out[column] = series.astype(object).where(~fix.to_numpy(bool), "'" + text.astype(object))
    return out


def csv_bytes(frame: pd.DataFrame, dialect: Dialect = "standaard") -> bytes:
    """A frame as CSV bytes in one of two dialects, with formula injection neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame (a ``geometry`` column is dropped).
    dialect : {"standaard", "excel-nl"}
        ``standaard``: comma, decimal point, UTF-8 (RFC 4180).
        ``excel-nl``: semicolon, decimal comma, UTF-8 with BOM: opens correctly in Dutch Excel
        with a double click.
        Both end lines with ``\\r\\n``.

    Returns
    -------
    bytes
        The encoded CSV. Text cells that could be read as a formula start with ``'``
        (see :func:`neutralise`); numbers, including negative numbers, stay numbers.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"Onbekend CSV-formaat '{dialect}'. Kies 'standaard' of 'excel-nl'.")
    spec = DIALECTS[dialect]
    text = _safe_frame(frame).to_csv(index=False, sep=spec["sep"], decimal=spec["decimal"],
                                     lineterminator=spec["lineterminator"])
    return text.encode(spec["encoding"])


def _check_wijk(ds: Dataset, code: str) -> None:
    known = set(ds.wijken["gebiedscode"].astype(str))
    if str(code) not in known:
        examples = ", ".join(sorted(known)[:5]) or "(geen wijken)"
        raise DatasetError(Finding(
            "fout", "(export)", f"wijk '{code}' bestaat niet in dataset '{ds.name}'",
            f"kies een wijkcode uit de wijkenlijst, bijvoorbeeld {examples}"))


def _table_rows(table: pd.DataFrame, code: str | None = None, level: str | None = None) -> pd.DataFrame:
    """Rows of the indicator table (one area and/or level), in table column order."""
    mask = np.ones(len(table), dtype=bool)
    if code is not None:
        mask &= (table["gebiedscode"].astype("string") == str(code)).fillna(False).to_numpy(bool)
    if level is not None:
        mask &= (table["niveau"].astype("string") == level).fillna(False).to_numpy(bool)
    rows = table[mask]
    columns = [c for c in TABLE_COLUMNS if c in rows.columns] + \
              [c for c in rows.columns if c not in TABLE_COLUMNS]
    return rows[columns].sort_values(["jaar"], kind="stable").reset_index(drop=True)


def profile_csv(ds: Dataset, table: pd.DataFrame, code: str, dialect: Dialect = "standaard") -> bytes:
    """All indicators of one wijk (every year) in the tidy format of the indicator engine.

    Parameters
    ----------
    ds : Dataset
        The dataset (to check the wijk exists).
    table : pandas.DataFrame
        The indicator table of :func:`analysis.compute.indicators.compute_indicators`.
    code : str
        The wijk's code.
    dialect : {"standaard", "excel-nl"}
        See :func:`csv_bytes`.

    Raises
    ------
    DatasetError
        When the wijk is not in the dataset.
    """
    _check_wijk(ds, code)
    return csv_bytes(_table_rows(table, code, "wijk"), dialect)


# --------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------

@dataclass
class _MapContext:
    """Geometry and network data shared by all profiles of one export."""

    wijken: gpd.GeoDataFrame
    gemeente: object
    metrics: dict[int, pd.DataFrame]


def _map_context(ds: Dataset) -> _MapContext:
    wijken = ds.wijken[["gebiedscode", "geometry"]].copy()
    wijken["gebiedscode"] = wijken["gebiedscode"].astype(str)
    geoms = np.asarray(wijken.geometry.values, dtype=object)
    usable = ~(pd.isna(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    if usable.any():
        try:
            geoms[usable] = shapely.coverage_simplify(geoms[usable], 10.0)
        except Exception:  # a non-coverage (overlaps) cannot be simplified as one: keep it as it is
            pass
    wijken = wijken.set_geometry(gpd.GeoSeries(geoms, index=wijken.index, crs=CRS_RD))
    outline = shapely.union_all(geoms[usable]) if usable.any() else None
    return _MapContext(wijken=wijken, gemeente=outline, metrics={})


def _metrics(ds: Dataset, context: _MapContext, year: int) -> pd.DataFrame | None:
    if len(ds.associations) == 0:
        return None
    if year not in context.metrics:
        context.metrics[year] = network_for_year(ds, year)[1]
    return context.metrics[year]


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of ``year``; rows without a year belong to every year."""
    if "jaar" not in frame.columns or len(frame) == 0:
        return frame
    jaar = pd.to_numeric(frame["jaar"], errors="coerce")
    return frame[((jaar == int(year)) | jaar.isna()).to_numpy(bool)]


def _wrap(text: str, width_in: float, size_pt: float) -> str:
    """Wrap ``text`` to a width in inches for DejaVu Sans at ``size_pt``."""
    chars = max(int(width_in * 72.0 / (0.56 * size_pt)), 10)
    return "\n".join(textwrap.wrap(str(text), chars, break_long_words=True)) or ""


def _ellipsis(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _short_value(value: object, unit: str) -> str:
    """A value for a table cell whose label already names the unit (``per km²``)."""
    return format_number(value) if unit == "per km²" else format_value(value, unit)


def _panel_title(fig: Figure, x: float, y: float, text: str, size: float = 12.5) -> None:
    fig.text(x, y, text, fontsize=size, fontweight="bold", ha="left", va="baseline", color=_INK)


def _plain_axes(ax) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _draw_header(fig: Figure, p: WijkProfile) -> None:
    fig.text(0.02, 0.955, f"Wijkprofiel {p.name}", fontsize=24, fontweight="bold", va="baseline")
    parts = [f"wijk {p.code}", f"gemeente {p.gemeente} ({p.gemeente_code})", f"meetjaar {p.year}"]
    if not math.isnan(p.priority_rank) and p.priority_total:
        parts.append(f"prioriteit {int(p.priority_rank)} van {p.priority_total} wijken")
    fig.text(0.02, 0.925, _ellipsis("  ·  ".join(parts), 118), fontsize=11.5, color=_MUTED, va="baseline")
    fig.add_artist(matplotlib.lines.Line2D([0.02, 0.98], [0.912, 0.912], color=_GRID, linewidth=1.5,
                                           transform=fig.transFigure))
    if p.is_demo:
        fig.text(0.98, 0.95, "FICTIEF", fontsize=26, fontweight="bold", color="white", ha="right",
                 va="center", bbox={"boxstyle": "round,pad=0.35", "facecolor": _DEMO_RED, "edgecolor": "none"})
        fig.text(0.5, 0.45, "FICTIEF", fontsize=150, fontweight="bold", color=_DEMO_RED, alpha=0.06,
                 ha="center", va="center", rotation=28, zorder=-10)


def _polygon_coords(geoms: Iterable) -> list[np.ndarray]:
    """Exterior and interior rings of (multi)polygons as coordinate arrays."""
    rings = []
    for part in shapely.get_parts(np.asarray(list(geoms), dtype=object)):
        if part is None or part.is_empty or part.geom_type != "Polygon":
            continue
        rings.append(np.asarray(part.exterior.coords))
        rings.extend(np.asarray(r.coords) for r in part.interiors)
    return rings


def _draw_rings(ax, geoms: Iterable, **style) -> None:
    from matplotlib.collections import PolyCollection

    rings = _polygon_coords(geoms)
    if rings:
        ax.add_collection(PolyCollection(rings, **style))


def _draw_map(fig: Figure, ds: Dataset, p: WijkProfile, context: _MapContext, rect: list[float]) -> None:
    ax = fig.add_axes(rect)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(_GRID)
    _panel_title(fig, rect[0], rect[1] + rect[3] + 0.012, "Ligging en voorzieningen")
    wijken = context.wijken
    own = wijken[wijken["gebiedscode"] == p.code]
    others = wijken[wijken["gebiedscode"] != p.code]
    if own.empty or own.geometry.isna().all():
        ax.text(0.5, 0.5, "geen kaart: de wijk heeft geen geometrie", ha="center", va="center",
                transform=ax.transAxes, color=_MUTED)
        return
    _draw_rings(ax, others.geometry.dropna(), facecolor="#F2F2F2", edgecolor="#BBBBBB", linewidths=0.6)
    _draw_rings(ax, own.geometry.dropna(), facecolor="#FFF3CC", edgecolor=_FOCUS, linewidths=2.0, zorder=2)
    minx, miny, maxx, maxy = own.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.08 + 100.0
    # Fill the axes' aspect so the map uses its whole box.
    width_in, height_in = rect[2] * PNG_SIZE_IN[0], rect[3] * PNG_SIZE_IN[1]
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = (maxx - minx) / 2 + pad, (maxy - miny) / 2 + pad
    if half_w / half_h < width_in / height_in:
        half_w = half_h * width_in / height_in
    else:
        half_h = half_w * height_in / width_in
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)

    # Facilities of the wijk by component (associations as the component 'verenigingen').
    facilities = _year_rows(ds.facilities, p.year)
    facilities = facilities[(facilities["wijkcode"].astype("string") == p.code).fillna(False).to_numpy(bool)]
    associations = _year_rows(ds.associations, p.year)
    associations = associations[(associations["wijkcode"].astype("string") == p.code).fillna(False).to_numpy(bool)]
    points = []
    if len(facilities):
        points.append(pd.DataFrame({"component": facilities["component"].astype(str).to_numpy(),
                                    "geometry": facilities.geometry.representative_point().to_numpy()}))
    if len(associations):
        points.append(pd.DataFrame({"component": "verenigingen",
                                    "geometry": associations.geometry.representative_point().to_numpy()}))
    handles = []
    placed = pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=["component", "geometry"])
    for c in COMPONENTS:
        sel = placed[placed["component"] == c.key]
        count = len(sel)
        if c.walk_norm_m is None:
            continue
        if count:
            xy = shapely.get_coordinates(np.asarray(sel["geometry"], dtype=object))
            ax.scatter(xy[:, 0], xy[:, 1], s=70 if c.marker != "star" else 110, marker=MPL_MARKERS[c.marker],
                       color=c.colour, edgecolors="white", linewidths=0.8, zorder=4)
        handles.append(matplotlib.lines.Line2D([], [], linestyle="none", marker=MPL_MARKERS[c.marker],
                                               markersize=8, markerfacecolor=c.colour, markeredgecolor="white",
                                               label=f"{c.short_label} ({count})"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, frameon=False,
              fontsize=8.5, handletextpad=0.2, columnspacing=0.5, borderaxespad=0.0, handlelength=1.2)
    _scale_bar(ax, cx - half_w, cy - half_h, half_w)

    # Inset below the map, right of the legend: the whole gemeente with the wijk highlighted.
    inset = fig.add_axes([rect[0] + rect[2] * 0.81, rect[1] - 0.125, rect[2] * 0.19, 0.115])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_color(_MUTED)
    _draw_rings(inset, others.geometry.dropna(), facecolor="#E6E6E6", edgecolor="white", linewidths=0.3)
    _draw_rings(inset, own.geometry.dropna(), facecolor=_FOCUS, edgecolor=_FOCUS, linewidths=0.5)
    gx0, gy0, gx1, gy1 = wijken.total_bounds
    gpad = max(gx1 - gx0, gy1 - gy0) * 0.04
    inset.set_xlim(gx0 - gpad, gx1 + gpad)
    inset.set_ylim(gy0 - gpad, gy1 + gpad)
    inset.text(0.5, -0.03, "ligging in de gemeente", transform=inset.transAxes, ha="center", va="top",
               fontsize=7.5, color=_MUTED)


def _scale_bar(ax, x0: float, y0: float, half_w: float) -> None:
    """A round-numbered scale bar in the lower left corner (map units are metres)."""
    target = half_w * 2 / 5
    length = max((v for v in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000) if v <= target), default=100)
    x, y = x0 + half_w * 0.05, y0 + half_w * 0.04
    ax.plot([x, x + length], [y, y], color=_INK, linewidth=3, solid_capstyle="butt", zorder=5)
    label = f"{length // 1000:g} km" if length >= 1000 else f"{length} m"
    ax.text(x + length / 2, y, label, ha="center", va="bottom", fontsize=8, color=_INK, zorder=5)


def _text_columns(fig: Figure, top: float, columns: list[tuple[float, str, list[str], dict]], size: float,
                  pitch_in: float) -> None:
    """Draw aligned table columns, each as one multi-line text (far cheaper than a text per cell).

    ``columns`` holds ``(x, ha, lines, style)``; a line may be ``None`` to leave that row empty,
    so one column can be drawn in several colours (one text per colour) and stay aligned.
    """
    spacing = pitch_in * 72.0 / size  # line pitch = linespacing x font size (DejaVu Sans)
    for x, ha, lines, style in columns:
        text = "\n".join("" if line is None else line for line in lines)
        fig.text(x, top, text, ha=ha, va="top", fontsize=size, linespacing=spacing, multialignment=ha, **style)


def _draw_key_figures(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    _panel_title(fig, rect[0], rect[1] + rect[3] + 0.008, "Kerncijfers")
    rows = p.key_figures.dropna(subset=["waarde"])
    extra = p.network[p.network["indicator"].isin(["verenigingen_aantal", "overbruggende_banden_pct"])]
    rows = pd.concat([rows, extra.dropna(subset=["waarde"])], ignore_index=True).head(11)
    top = rect[1] + rect[3]
    if rows.empty:
        fig.text(rect[0], top - 0.01, "geen kerncijfers bekend", color=_MUTED, va="top", fontsize=10)
        return
    x_wijk, x_gem = rect[0] + rect[2] * 0.76, rect[0] + rect[2] * 0.99
    header = {"color": _MUTED, "fontweight": "bold"}
    fig.text(x_wijk, top, "wijk", ha="right", va="top", fontsize=9, **header)
    fig.text(x_gem, top, "gemeente", ha="right", va="top", fontsize=9, **header)
    pitch_in = min(rect[3] * PNG_SIZE_IN[1] / (len(rows) + 1), 0.25)
    _text_columns(fig, top - pitch_in / PNG_SIZE_IN[1], [
        (rect[0], "left", [_ellipsis(str(label), 29) for label in rows["label"]], {}),
        (x_wijk, "right", [_short_value(v, u) for v, u in zip(rows["waarde"], rows["eenheid"])],
         {"fontweight": "bold"}),
        (x_gem, "right", [_short_value(v, u) for v, u in zip(rows["gemeente"], rows["eenheid"])],
         {"color": _MUTED}),
    ], 10, pitch_in)


def _draw_coverage(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    ax = fig.add_axes(rect)
    _panel_title(fig, rect[0] - 0.1, rect[1] + rect[3] + 0.027, "Bereik per onderdeel")
    fig.text(rect[0] - 0.1, rect[1] + rect[3] + 0.015, "inwoners binnen loopafstand · | = gemeente · "
             "stippellijn = doel", fontsize=9, color=_MUTED, va="baseline")
    comp = p.components[p.components["component"].isin(PLACE_COMPONENT_KEYS)].reset_index(drop=True)
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
    # Labels, values and gap flags as multi-line texts whose line pitch is the bar pitch.
    pitch_in = rect[3] * PNG_SIZE_IN[1] / max(len(comp), 1)
    # Baseline-anchored (a multi-line text's box grows with its line spacing, so centring drifts):
    # matplotlib anchors a multi-line text at its last line's baseline: the last row's bar centre,
    # less a third of an em so the letters sit on the bar's middle.
    last = rect[1] + rect[3] * 0.6 / max(len(comp), 1)
    em = lambda size: size / 72.0 / PNG_SIZE_IN[1]  # noqa: E731
    half = pitch_in / 2 / PNG_SIZE_IN[1]
    for yi, row in zip(y, comp.itertuples(index=False)):
        ax.text(-0.025, (yi + 0.6) / len(comp), f"{COMPONENTS_BY_KEY[row.component].short_label}\n"
                f"binnen {format_number(row.loopnorm_m)} m", transform=ax.transAxes, ha="right", va="center",
                multialignment="right", fontsize=9, linespacing=1.15)
    values = [format_value(v, registry.UNIT_PCT, 0) if not math.isnan(v) else "onbekend" for v in values]
    value_x = rect[0] + rect[2] * 1.01
    fig.text(value_x, last + half * 0.3 - em(10) * 0.36, "\n".join(values), ha="left", va="baseline", fontsize=10,
             fontweight="bold", linespacing=pitch_in * 72.0 / 10)
    gaps = [t if t.startswith("tekort") else "" for t in comp["tekort"]]
    if any(gaps):
        fig.text(value_x, last - half * 0.55 - em(8) * 0.36, "\n".join(gaps), ha="left", va="baseline",
                 fontsize=8, fontweight="bold", color=_WEAK, linespacing=pitch_in * 72.0 / 8)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    digital = p.components[p.components["component"] == "digitaal"]
    if len(digital):
        d = digital.iloc[0]
        if pd.isna(d["per_1000_inw"]):
            text = "Digitaal: geen gegevens over het gebruik van digitale platforms"
        else:
            text = (f"Digitaal: {format_number(d['per_1000_inw'])} actieve gebruikers per 1.000 inwoners "
                    f"(gemeente {format_number(d['per_1000_inw_gemeente'])})"
                    + (f" — {d['tekort']}" if d["gat"] == 1 else ""))
        fig.text(rect[0] - 0.1, rect[1] - 0.038, text, fontsize=9, va="baseline")


def _draw_cohesion(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    ax = fig.add_axes(rect)
    _panel_title(fig, rect[0] - 0.1, rect[1] + rect[3] + 0.012, "Cohesie-index en delen")
    fig.text(rect[0] - 0.1, rect[1] + rect[3] + 0.0, "100 = gemiddelde van de gemeente", fontsize=9, color=_MUTED, va="baseline")
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
    for yi, v, d in zip(y, values, delta):
        text = format_number(v, 0) if not math.isnan(v) else "geen cijfer"
        ax.text(100 + d + (1.5 if d >= 0 else -1.5) * span / 30, yi, text, va="center",
                ha="left" if d >= 0 else "right", fontsize=10, fontweight="bold")
    labels = [("Cohesie-index" if k == "cohesie_index" else str(lab).replace("Cohesie-index: ", ""))
              for k, lab in zip(rows["indicator"], rows["label"])]
    ax.set_yticks(y, labels, fontsize=9)
    for tick, key in zip(ax.get_yticklabels(), rows["indicator"]):
        if key == "cohesie_index":
            tick.set_fontweight("bold")
    ax.axvline(100, color=_INK, linewidth=1.0, zorder=3)
    ax.set_xlim(100 - span, 100 + span)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_survey(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    ax = fig.add_axes(rect)
    _plain_axes(ax)
    _panel_title(fig, rect[0], rect[1] + rect[3] + 0.027, "Bewonersenquête")
    fig.text(rect[0], rect[1] + rect[3] + 0.015, "● wijk, lijn = 95%-interval, | = gemeente",
             fontsize=9, color=_MUTED, va="baseline")
    rows = p.survey.head(10).reset_index(drop=True)
    if rows.empty:
        ax.text(0.0, 0.95, "geen enquêtecijfers voor deze wijk", color=_MUTED, va="top", fontsize=10)
        return
    step = 1.0 / max(len(rows), 6)
    track_left, track_right = 0.44, 0.66
    for i, row in enumerate(rows.itertuples(index=False)):
        y = 1.0 - (i + 0.5) * step
        count_text = f"n = {format_number(row.n, 0)}" if not math.isnan(row.n) else "n onbekend"
        label = f"{row.label} (0-10)" if row.eenheid == registry.UNIT_SCORE else str(row.label)
        ax.text(0.0, y, _wrap(label, 1.45, 9), va="center", fontsize=9, linespacing=1.05)
        top = 10.0 if row.eenheid == registry.UNIT_SCORE else 100.0
        scale = lambda v: track_left + (track_right - track_left) * min(max(v / top, 0.0), 1.0)  # noqa: E731
        if row.onderdrukt or math.isnan(row.waarde):
            suffix = f" ({n_text(row.n, 1, DEFAULT_THRESHOLD)})"  # never the n of a suppressed figure
            ax.text(track_left, y, "te weinig respons" + suffix, ha="left", va="center", fontsize=9,
                    color=_MUTED, style="italic")
            continue
        ax.plot([track_left, track_right], [y, y], color=_GRID, linewidth=5, solid_capstyle="round", zorder=1)
        if not (math.isnan(row.ci_laag) or math.isnan(row.ci_hoog)):
            ax.plot([scale(row.ci_laag), scale(row.ci_hoog)], [y, y], color=_ABOVE, linewidth=2.5, zorder=2)
        if not math.isnan(row.gemeente):
            ax.plot([scale(row.gemeente)] * 2, [y - step * 0.28, y + step * 0.28], color=_INK, linewidth=2, zorder=3)
        ax.scatter([scale(row.waarde)], [y], s=60, color=_ABOVE, edgecolors="white", zorder=4)
        value = format_value(row.waarde, row.eenheid)
        ax.text(track_right + 0.025, y, value, va="center", fontsize=10, fontweight="bold")
        ax.text(1.0, y, count_text, va="center", ha="right", fontsize=8, color=_MUTED)


def _draw_findings(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    ax = fig.add_axes(rect)
    _plain_axes(ax)
    width_in = rect[2] * PNG_SIZE_IN[0]
    line_h = (9.5 * 1.15 / 72.0) / (rect[3] * PNG_SIZE_IN[1])  # one 9.5 pt text line in axes units
    y = 1.0
    for title, items, colour, bullet in (("Sterke punten", p.strengths, _STRONG, "+"),
                                         ("Aandachtspunten", p.weaknesses, _WEAK, "−")):
        ax.text(0.0, y, title, fontsize=12.5, fontweight="bold", color=colour, va="top")
        y -= line_h * 1.6
        if not items:
            texts, style = ["geen duidelijke verschillen met het gemiddelde van de gemeente"], {"color": _MUTED,
                                                                                              "style": "italic"}
        else:
            # The gemeente's name is in the header; "gemiddeld" is the gemeente's average.
            texts, style = [s.text.replace(f" dan gemiddeld in {p.gemeente}", " dan gemiddeld") for s in items], {}
        for text in texts:
            if y < line_h:  # never run into the footer
                break
            text = _wrap(text, width_in - 0.25, 9.5)
            if items:
                ax.text(0.0, y, bullet, fontsize=11, fontweight="bold", color=colour, va="top")
            ax.text(0.035, y, text, fontsize=9.5, va="top", linespacing=1.15, **style)
            y -= line_h * (text.count("\n") + 1.5)
        y -= line_h * 0.8
    if y > line_h * 2:
        note = (f"Vergeleken met het gemiddelde van {p.gemeente}: alleen verschillen van minstens "
                f"{format_number(MIN_STANDARDISED_DIFFERENCE, 1)} standaardafwijking tussen de wijken.")
        ax.text(0.0, y, _wrap(note, width_in, 7.5), fontsize=7.5, color=_MUTED, va="top")


def _change_rows(p: WijkProfile, limit: int = 6) -> pd.DataFrame:
    """The changes worth showing: cohesion index, survey figures, then coverage and supply that moved."""
    change = p.change.dropna(subset=["verschil"])
    change = change[change["indicator"].astype(str) != "respondenten_aantal"]
    if change.empty:
        return change
    keys = change["indicator"].astype(str)
    order = np.select(
        [keys == "cohesie_index", change["enquete"].to_numpy(bool), keys.str.endswith("_dekking_pct"),
         keys.str.endswith("_per_1000_inw")],
        [0, 1, 2, 3], 9)
    moved = change["verschil"].abs().to_numpy() > 1e-9
    keep = (order <= 1) | ((order <= 3) & moved)
    chosen = change.assign(_order=order, _size=-change["verschil"].abs())[keep]
    return chosen.sort_values(["_order", "_size", "indicator"], kind="stable").head(limit)


def _draw_change(fig: Figure, p: WijkProfile, rect: list[float]) -> None:
    rows = _change_rows(p)
    top = rect[1] + rect[3]
    if p.baseline_year is None or rows.empty:
        _panel_title(fig, rect[0], top + 0.012, "Verandering")
        text = ("geen eerder meetjaar om mee te vergelijken" if p.baseline_year is None else
                f"geen cijfers die zowel in {p.baseline_year} als in {p.year} gemeten zijn")
        fig.text(rect[0], top - 0.005, text, color=_MUTED, va="top", fontsize=9.5, style="italic")
        return
    _panel_title(fig, rect[0], top + 0.012, f"Verandering sinds {p.baseline_year}")
    pitch_in = min(rect[3] * PNG_SIZE_IN[1] / (len(rows) + 2), 0.2)
    x = [rect[0] + rect[2] * f for f in (0.0, 0.585, 0.735, 1.0)]
    header = {"color": _MUTED, "fontweight": "bold"}
    for xi, text in zip(x[1:], (str(p.baseline_year), str(p.year), "verschil")):
        fig.text(xi, top, text, ha="right", va="top", fontsize=9, **header)
    colours, diffs = [], []
    for row in rows.itertuples(index=False):
        entry = registry.REGISTRY.get(str(row.indicator))
        better = None
        if entry is not None and entry.higher_is_better is not None and row.verschil != 0:
            better = (row.verschil > 0) == entry.higher_is_better
        mark = ""
        if row.enquete and not pd.isna(row.significant):
            if bool(row.significant):
                mark = " *"
            else:
                better = None  # within the margin of error: no colour
        colours.append((_INK if not row.enquete else _MUTED) if better is None else (_STRONG if better else _WEAK))
        diffs.append(format_difference(row.verschil, row.eenheid).replace(" procentpunt", " pp") + mark)
    columns = [
        (x[0], "left", [_ellipsis(str(label), 22) for label in rows["label"]], {}),
        (x[1], "right", [format_value(v, u) for v, u in zip(rows["basis"], rows["eenheid"])], {"color": _MUTED}),
        (x[2], "right", [format_value(v, u) for v, u in zip(rows["waarde"], rows["eenheid"])], {}),
    ]
    for colour in dict.fromkeys(colours):
        columns.append((x[3], "right", [d if c == colour else None for d, c in zip(diffs, colours)],
                        {"color": colour, "fontweight": "bold"}))
    first = top - pitch_in / PNG_SIZE_IN[1]
    _text_columns(fig, first, columns, 9, pitch_in)
    fig.text(x[0], first - (len(rows) + 0.3) * pitch_in / PNG_SIZE_IN[1], "groen = beter, rood = slechter, "
             "* = significant; grijs = binnen de foutmarge", fontsize=7.5, color=_MUTED,
             va="top")


def _draw_footer(fig: Figure, p: WijkProfile) -> None:
    fig.add_artist(matplotlib.lines.Line2D([0.02, 0.98], [0.062, 0.062], color=_GRID, linewidth=1.0,
                                           transform=fig.transFigure))
    sources = "; ".join(p.sources) if p.sources else "bronnen: zie de pagina Verantwoording"
    text = _wrap("Bronnen en licenties: " + sources, PNG_SIZE_IN[0] * 0.68, 7.5)
    lines = text.split("\n")
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][: max(len(lines[-1]) - 3, 0)] + "..."
    fig.text(0.02, 0.052, "\n".join(lines), fontsize=7.5, color=_MUTED, va="top", linespacing=1.25)
    fig.text(0.98, 0.052, f"Wijkweefsel · dataset {p.dataset_name}", fontsize=7.5, color=_MUTED, ha="right",
             va="top")
    if p.is_demo:
        fig.text(0.98, 0.034, "FICTIEF: demogegevens", fontsize=9, color=_DEMO_RED, fontweight="bold",
                 ha="right", va="top")


def _render(ds: Dataset, p: WijkProfile, context: _MapContext) -> bytes:
    fig = Figure(figsize=PNG_SIZE_IN, dpi=PNG_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    _draw_header(fig, p)
    # Column 1: map (with legend below) and key figures.
    _draw_map(fig, ds, p, context, [0.02, 0.565, 0.30, 0.30])
    _draw_key_figures(fig, p, [0.02, 0.08, 0.29, 0.30])
    # Column 2: coverage, cohesion, change.
    _draw_coverage(fig, p, [0.45, 0.555, 0.17, 0.295])
    _draw_cohesion(fig, p, [0.45, 0.31, 0.17, 0.15])
    _draw_change(fig, p, [0.35, 0.08, 0.29, 0.155])
    # Column 3: survey, strengths and weaknesses.
    _draw_survey(fig, p, [0.69, 0.53, 0.29, 0.32])
    _draw_findings(fig, p, [0.69, 0.08, 0.29, 0.40])
    _draw_footer(fig, p)
    buffer = io.BytesIO()
    # Fast zlib level: about 0.1 s less per image for about 6% more bytes.
    fig.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white",
                metadata={"Software": None, "Creation Time": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def profile_png(ds: Dataset, table: pd.DataFrame, code: str, year: int | None = None, *,
                profile: WijkProfile | None = None, context: _MapContext | None = None) -> bytes:
    """The wijkprofiel of one wijk as a print-quality PNG (A4 landscape, 2400 x 1697 px).

    Drawn with matplotlib's Agg renderer only (no browser, no internet) with fixed settings
    and fonts (DejaVu Sans, shipped with matplotlib) and no timestamp: the same data give
    the same bytes. The image shows the wijk's name and code, the gemeente and the year;
    a locator map with the wijk's facilities by component (the component table's colours
    and markers) and the gemeente as an inset; the key figures; each component's coverage
    against the gemeente; the cohesion index and its parts; the survey scores with 95%
    intervals and n ("te weinig respons" when suppressed); strengths and weaknesses; the
    change since the baseline; sources and licences; and "FICTIEF" on demo data.

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
    context : optional
        Internal: geometry and metrics shared across a batch.

    Returns
    -------
    bytes
        The PNG.

    Raises
    ------
    DatasetError
        When the wijk is not in the dataset.
    """
    _check_wijk(ds, code)
    context = context or _map_context(ds)
    if profile is None:
        metrics = _metrics(ds, context, int(year)) if year is not None else None  # else computed for its year
        profile = build_profile(ds, table, code, year=year, metrics=metrics)
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_RC)
        return _render(ds, profile, context)


# --------------------------------------------------------------------------------------
# Network and areas for other tools
# --------------------------------------------------------------------------------------

def network_graph(ds: Dataset, year: int | None = None, params: IndicatorParams | None = None) -> nx.Graph:
    """The association network of ``year`` with metrics as typed node attributes.

    The graph of :func:`analysis.compute.network.year_network`, the one the Netwerk page and the
    per-area figures use, plus the year's inactive associations as nodes with ``actief`` false,
    without ties and without metrics (they take part in no figure; filter on ``actief`` in Gephi).
    Every node has ``label`` (the name, for Gephi), ``naam``, ``soort``, ``buurtcode``,
    ``wijkcode`` (text, ``""`` when unknown), ``actief`` (bool) and ``leden`` (float, only when
    known); every active node also ``graad`` (int), ``gewogen_graad`` and ``betweenness`` (float)
    and ``gemeenschap`` (int). Every edge has ``weight`` (float), ``banden`` (int) and
    ``soorten`` (text, kinds joined by ``"; "``). No attribute is ``None``, so GEXF and
    GraphML can type every column.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    year : int, optional
        Year of the associations and ties (the one year rule); default ``ds.year``.
    params : IndicatorParams, optional
        Seed and betweenness sampling of the metrics; default :class:`IndicatorParams()`.
    """
    year = int(ds.year if year is None else year)
    graph, metrics = network.year_network(ds, year, params, include_inactive=True)
    out = nx.Graph()
    out.graph.update({"naam": f"Verenigingsnetwerk {ds.gemeente_name} {year}", "jaar": year})
    by_id = metrics.set_index(metrics["id"].astype(str)) if len(metrics) else pd.DataFrame()
    for node, data in graph.nodes(data=True):
        attrs: dict[str, object] = {
            "label": str(data.get("naam", node)),
            "naam": str(data.get("naam", "")),
            "soort": str(data.get("soort", "")),
            "buurtcode": str(data.get("buurtcode", "")),
            "wijkcode": str(data.get("wijkcode", "")),
            "actief": bool(data.get("actief", True)),
        }
        leden = data.get("leden")
        if leden is not None and not (isinstance(leden, float) and math.isnan(leden)):
            attrs["leden"] = float(leden)
        if str(node) in by_id.index:
            m = by_id.loc[str(node)]
            attrs.update(graad=int(m["graad"]), gewogen_graad=float(m["gewogen_graad"]),
                         betweenness=float(m["betweenness"]), gemeenschap=int(m["gemeenschap"]))
        out.add_node(str(node), **attrs)
    for u, v, data in graph.edges(data=True):
        out.add_edge(str(u), str(v), weight=float(data.get("weight", 1.0)), banden=int(data.get("banden", 1)),
                     soorten="; ".join(str(s) for s in data.get("soorten", [])))
    return out


def network_gexf(ds: Dataset, year: int | None = None) -> bytes:
    """The association network as GEXF 1.2 (for Gephi); see :func:`network_graph`."""
    buffer = io.BytesIO()
    nx.write_gexf(network_graph(ds, year), buffer, encoding="utf-8")
    return buffer.getvalue()


def network_graphml(ds: Dataset, year: int | None = None) -> bytes:
    """The association network as GraphML (for Cytoscape and Gephi); see :func:`network_graph`."""
    buffer = io.BytesIO()
    nx.write_graphml(network_graph(ds, year), buffer, encoding="utf-8")
    return buffer.getvalue()


def wide_indicators(table: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    """One row per area of ``level``, one float column per indicator key (``year`` only).

    Suppressed figures are empty. The index is ``gebiedscode``.
    """
    rows = table[(table["niveau"].astype("string") == level).fillna(False).to_numpy(bool)
                 & (pd.to_numeric(table["jaar"], errors="coerce") == int(year)).to_numpy(bool)]
    if rows.empty:
        return pd.DataFrame(index=pd.Index([], name="gebiedscode", dtype="string"))
    values = pd.to_numeric(rows["waarde"], errors="coerce")
    if "onderdrukt" in rows.columns:
        values = values.where(pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0).to_numpy() != 1)
    wide = (rows.assign(waarde=values, gebiedscode=rows["gebiedscode"].astype(str),
                        indicator=rows["indicator"].astype(str))
            .pivot_table(index="gebiedscode", columns="indicator", values="waarde", aggfunc="first", dropna=False))
    order = [k for k in registry.REGISTRY if k in wide.columns] + sorted(c for c in wide.columns
                                                                       if c not in registry.REGISTRY)
    wide = wide.reindex(columns=order).astype(float)
    wide.columns.name = None
    return wide


def areas_gpkg(ds: Dataset, table: pd.DataFrame, path: str | Path, year: int | None = None) -> Path:
    """Write the areas with their indicators (wide) as a GeoPackage in EPSG:28992, for QGIS.

    Layers ``buurten``, ``wijken`` and ``gemeente`` (those with areas): the standard area
    columns plus one column per indicator key of ``year`` (suppressed figures empty).

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table.
    path : str or Path
        The ``.gpkg`` file to write (replaced when it exists).
    year : int, optional
        Year of the indicator columns; default ``ds.year``.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    if path.exists():
        path.unlink()
    year = int(ds.year if year is None else year)
    for level, layer in GPKG_LAYERS.items():
        areas = ds.areas(level)
        if len(areas) == 0:
            continue
        base = [c for c in AREA_COLUMNS if c in areas.columns]
        frame = pd.DataFrame(areas[base]).copy()
        frame["gebiedscode"] = frame["gebiedscode"].astype(str)
        for column in ("gebiedsnaam", "niveau", "wijkcode", "gemeentecode", "gemeentenaam"):
            if column in frame.columns:
                frame[column] = frame[column].astype("string")
        wide = wide_indicators(table, level, year)
        wide = wide[[c for c in wide.columns if c not in frame.columns]]
        frame = frame.join(wide, on="gebiedscode")
        frame["jaar"] = year
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(areas.geometry.to_numpy(), crs=CRS_RD), crs=CRS_RD)
        gdf.to_file(path, layer=layer, driver="GPKG")
    return path


# --------------------------------------------------------------------------------------
# Batch export
# --------------------------------------------------------------------------------------

def _facility_table(ds: Dataset) -> pd.DataFrame:
    frame = pd.DataFrame(ds.facilities.drop(columns="geometry", errors="ignore")).copy()
    if len(ds.facilities):
        xy = shapely.get_coordinates(ds.facilities.geometry.representative_point().to_numpy())
        frame["x_rd"], frame["y_rd"] = np.round(xy[:, 0], 1), np.round(xy[:, 1], 1)
    frame["component_naam"] = frame["component"].map(lambda k: getattr(COMPONENTS_BY_KEY.get(str(k)), "label", ""))
    return frame


def _association_table(ds: Dataset, year: int, metrics: pd.DataFrame | None) -> pd.DataFrame:
    frame = pd.DataFrame(ds.associations.drop(columns="geometry", errors="ignore")).copy()
    if metrics is not None and len(metrics) and len(frame):
        m = metrics.assign(id=metrics["id"].astype(str)).set_index("id")
        this_year = (pd.to_numeric(frame["jaar"], errors="coerce") == year).to_numpy(bool)
        for column in network.METRIC_COLUMNS[1:]:
            values = frame["id"].astype(str).map(m[column])
            frame[column] = values.where(this_year)
    return frame


def _index_html(ds: Dataset, year: int, profiles: list[dict], ranking: pd.DataFrame, files: list[str]) -> str:
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    href = lambda path: esc(quote(path))  # noqa: E731
    title = f"Wijkprofielen {ds.gemeente_name} {year}"
    demo = ("<p class='demo'>FICTIEF: dit zijn demogegevens van een verzonnen gemeente, geen echte wijken.</p>"
            if ds.is_demo else "")
    rank = {} if ranking.empty else dict(zip(ranking["gebiedscode"].astype(str), ranking["prioriteit_rang"]))
    cards = []
    for item in profiles:
        r = rank.get(item["code"])
        rank_text = f" · prioriteit {int(r)}" if r is not None and not pd.isna(r) else ""
        cards.append(
            f"<section class='wijk' id='{esc(item['code'])}'>"
            f"<h2>{esc(item['name'])} <span class='code'>({esc(item['code'])}{esc(rank_text)})</span></h2>"
            f"<p><a href='{href(item['png'])}'>afbeelding (PNG)</a> · <a href='{href(item['csv'])}'>cijfers (CSV)</a>"
            f" · <a href='{href(item['csv_excel'])}'>cijfers voor Excel</a></p>"
            f"<a href='{href(item['png'])}'><img src='{href(item['png'])}' loading='lazy' "
            f"alt='Wijkprofiel {esc(item['name'])}'></a></section>")
    toc = "".join(f"<li><a href='#{esc(quote(i['code']))}'>{esc(i['name'])} ({esc(i['code'])})</a></li>"
                  for i in profiles)
    file_list = "".join(f"<li><a href='{href(f)}'>{esc(f)}</a></li>" for f in files)
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1280px; color: #222;
       padding: 0 1rem; line-height: 1.45; }}
h1 {{ font-size: 1.9rem; margin-bottom: 0.2rem; }}
.code {{ color: #666; font-weight: normal; font-size: 1rem; }}
.demo {{ background: #CC3311; color: white; padding: 0.6rem 1rem; font-weight: bold; border-radius: 4px; }}
.wijk {{ border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1.5rem; }}
.wijk img {{ width: 100%; height: auto; border: 1px solid #ddd; }}
ul.toc {{ columns: 3; }}
a {{ color: #1f4e8c; }}
</style>
</head>
<body>
<h1>{esc(title)}</h1>
<p>Dataset: {esc(ds.name)} · {len(profiles)} wijkprofielen · meetjaar {year}. Deze pagina werkt zonder
internet: alle bestanden staan in deze map.</p>
{demo}
<h2>Wijken</h2>
<ul class="toc">{toc}</ul>
<h2>Bestanden</h2>
<p>Bestanden die eindigen op <code>_excel.csv</code> openen met een dubbelklik goed in Nederlandse Excel
(puntkomma, decimale komma). De andere CSV-bestanden gebruiken komma en decimale punt.
<code>netwerk.gexf</code> is voor Gephi, <code>netwerk.graphml</code> voor Cytoscape,
<code>gebieden.gpkg</code> voor QGIS (EPSG:28992).</p>
<ul>{file_list}</ul>
{''.join(cards)}
</body>
</html>
"""


def _write(path: Path, data: bytes | str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)
    written.append(path)


def _write_csv(folder: Path, stem: str, frame: pd.DataFrame, written: list[Path]) -> None:
    _write(folder / f"{stem}.csv", csv_bytes(frame, "standaard"), written)
    _write(folder / f"{stem}{EXCEL_SUFFIX}.csv", csv_bytes(frame, "excel-nl"), written)


def export_all(ds: Dataset, table: pd.DataFrame, out_dir: str | Path, wijken: Iterable[str] | None = None,
               progress: Progress | None = None, year: int | None = None) -> list[Path]:
    """Write every export of a dataset into one folder.

    Files (every CSV in two flavours: ``<name>.csv`` standard and ``<name>_excel.csv`` for
    Dutch Excel):

    - ``wijkprofielen/<code>_<name>.png`` and ``.csv`` / ``_excel.csv`` per wijk;
    - ``indicatoren_buurt``, ``indicatoren_wijk``, ``indicatoren_gemeente``: the full tidy
      indicator table per level (all years);
    - ``prioriteiten``: the wijk ranking of ``year`` with each criterion's contribution;
    - ``voorzieningen`` and ``verenigingen`` (with network metrics of ``year``);
    - ``netwerk.gexf`` and ``netwerk.graphml`` (``year``);
    - ``gebieden.gpkg`` (EPSG:28992, layers buurten, wijken, gemeente);
    - ``index.html``: an offline page showing the profiles.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table.
    out_dir : str or Path
        Folder to write into (created when missing; existing files with the same names are
        replaced).
    wijken : iterable of str, optional
        Wijk codes to make profiles for; default every wijk.
    progress : callable, optional
        ``progress(fraction, message)`` with a Dutch message, as the work proceeds.
    year : int, optional
        Year of the profiles, priorities, network and GeoPackage; default ``ds.year``.

    Returns
    -------
    list of Path
        The files written, in writing order.

    Raises
    ------
    DatasetError
        When a requested wijk is not in the dataset.
    """
    from analysis.compute.priorities import priorities  # the engine is only needed for the ranking

    report = progress or (lambda fraction, message: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    year = int(ds.year if year is None else year)
    all_codes = ds.wijken["gebiedscode"].astype(str).tolist()
    codes = list(dict.fromkeys(str(c) for c in wijken)) if wijken is not None else sorted(all_codes)
    for code in codes:
        _check_wijk(ds, code)
    names = dict(zip(all_codes, ds.wijken["gebiedsnaam"].astype(str)))
    written: list[Path] = []
    context = _map_context(ds)
    metrics = _metrics(ds, context, year)
    total = len(codes) + 3
    profiles = []
    for i, code in enumerate(codes):
        report(i / total, f"Wijkprofiel {i + 1} van {len(codes)}: {names[code]}")
        stem = safe_filename(f"{code}_{names[code]}")
        profile = build_profile(ds, table, code, year=year, metrics=metrics)
        png = f"{PROFILE_DIR}/{stem}.png"
        _write(out / png, profile_png(ds, table, code, year, profile=profile, context=context), written)
        rows = _table_rows(table, code, "wijk")
        _write_csv(out / PROFILE_DIR, stem, rows, written)
        profiles.append({"code": code, "name": names[code], "png": png, "csv": f"{PROFILE_DIR}/{stem}.csv",
                         "csv_excel": f"{PROFILE_DIR}/{stem}{EXCEL_SUFFIX}.csv"})

    report(len(codes) / total, "Indicatorentabellen en prioriteiten")
    for level in ("buurt", "wijk", "gemeente"):
        _write_csv(out, f"indicatoren_{level}", _table_rows(table, level=level), written)
    ranking = priorities(table, year) if len(table) else pd.DataFrame()
    _write_csv(out, "prioriteiten", ranking, written)
    _write_csv(out, "voorzieningen", _facility_table(ds), written)
    _write_csv(out, "verenigingen", _association_table(ds, year, metrics), written)

    report((len(codes) + 1) / total, "Netwerk voor Gephi en Cytoscape")
    _write(out / "netwerk.gexf", network_gexf(ds, year), written)
    _write(out / "netwerk.graphml", network_graphml(ds, year), written)

    report((len(codes) + 2) / total, "Gebieden voor QGIS")
    written.append(areas_gpkg(ds, table, out / "gebieden.gpkg", year))

    others = sorted(p.relative_to(out).as_posix() for p in written if p.parent == out)
    _write(out / "index.html", _index_html(ds, year, profiles, ranking, others), written)
    report(1.0, "Klaar")
    return written


def export_zip(ds: Dataset, table: pd.DataFrame, wijken: Iterable[str] | None = None,
               progress: Progress | None = None, year: int | None = None) -> bytes:
    """:func:`export_all` as one ZIP file (entries sorted, fixed timestamps).

    Parameters and errors as :func:`export_all`.

    Returns
    -------
    bytes
        The ZIP archive.
    """
    with tempfile.TemporaryDirectory(prefix="wijkweefsel_export_") as tmp:
        root = Path(tmp)
        files = export_all(ds, table, root, wijken=wijken, progress=progress, year=year)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(set(files), key=lambda p: p.relative_to(root).as_posix()):
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        return buffer.getvalue()
