"""The wijkprofiel PNG's extra band: initiatives, the most recent notes, and the evaluation of the wijkplan.

Drawn below the A4 profile only when the wijk has any of them, so the profile of a dataset without
initiatives, notes or plan stays byte for byte what it was. Texts from data are drawn as plain text
(``parse_math=False``: a ``$`` is a dollar, not mathematics), shortened, and wrapped to their column.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis.compute.evaluation import evaluate_plan, with_area_figures
from analysis.compute.informal import active_in_year, has_initiatives
from analysis.compute.profile import WijkProfile
from analysis.formatting import format_number
from analysis.model import Dataset

__all__ = ["EXTRA_HEIGHT_IN", "extras_figure", "initiative_lines", "note_lines", "plan_lines"]

#: Height of the band (inches); its width is the profile's.
EXTRA_HEIGHT_IN = 2.5
#: At most this many notes, initiatives and plan lines, and this many characters of a note.
MAX_NOTES, MAX_INITIATIVES, MAX_PLAN_LINES = 3, 3, 4
NOTE_CHARS = 170
_INK, _MUTED, _GRID = "#222222", "#666666", "#DDDDDD"
#: Left edges and width (figure fractions) of the three columns, as on the profile above.
_COLUMNS: tuple[float, ...] = (0.02, 0.35, 0.69)
_COLUMN_W = 0.29
_LINE_EM = 1.17


def _short(text: object, length: int) -> str:
    clean = " ".join(str(text).split())
    return clean if len(clean) <= length else clean[: length - 1].rstrip() + "…"


def _wijk_codes(ds: Dataset, code: str) -> set[str]:
    """The wijk and its buurten."""
    buurten = ds.buurten[ds.buurten["wijkcode"].astype(str) == code]["gebiedscode"].astype(str)
    return {code, *buurten}


def initiative_lines(ds: Dataset, table: pd.DataFrame, code: str, year: int) -> list[str]:
    """Count and rate of the wijk's active initiatives, then the largest by people involved (empty without a list)."""
    if not has_initiatives(ds):
        return []
    rows = table[(table["gebiedscode"].astype(str) == code) & (pd.to_numeric(table["jaar"]) == int(year))]
    value = rows.set_index(rows["indicator"].astype(str))["waarde"]
    count, rate = value.get("initiatieven_aantal", np.nan), value.get("initiatieven_per_1000_inw", np.nan)
    if pd.isna(count):
        return []
    lines = [f"{format_number(count, 0)} {'actief initiatief' if count == 1 else 'actieve initiatieven'}"
             + (f", {format_number(rate, 1)} per 1.000 inwoners" if pd.notna(rate) else "")]
    own = ds.initiatives[ds.initiatives["wijkcode"].astype(str) == code]
    own = own[active_in_year(own, int(year), max(ds.years()))] if len(own) else own
    people = pd.to_numeric(own["betrokkenen"], errors="coerce")
    largest = own.assign(n_people=people).sort_values(["n_people", "naam"], ascending=[False, True], na_position="last")
    for row in largest.head(MAX_INITIATIVES).itertuples():
        n = f" ({format_number(row.n_people, 0)} betrokkenen)" if pd.notna(row.n_people) else ""
        lines.append(f"• {_short(row.naam, 60)}{n}")
    return lines


def note_lines(ds: Dataset, code: str) -> list[str]:
    """The wijk's most recent notes (and its buurten'), shortened, with date and kind of source."""
    notes = ds.notes[ds.notes["gebiedscode"].astype(str).isin(_wijk_codes(ds, code))]
    if not len(notes):
        return []
    dated = notes.assign(d_date=pd.to_datetime(notes["datum"], errors="coerce")).sort_values("d_date", ascending=False,
                                                                                        na_position="last")
    lines = []
    for row in dated.head(MAX_NOTES).itertuples():
        when = f"{row.d_date.day}-{row.d_date.month}-{row.d_date.year}" if pd.notna(row.d_date) else "zonder datum"
        source = f", {_short(row.soort_bron, 20)}" if pd.notna(row.soort_bron) else ""
        text = _short(row.tekst, NOTE_CHARS)
        lines.append(f"• {when}{source}: {'“' + text + '”' if row.citaat is True else text}")
    return lines


def plan_lines(ds: Dataset, table: pd.DataFrame, code: str) -> list[str]:
    """The evaluation of the wijk's plan lines in plain Dutch (empty without a plan for it)."""
    plan = ds.plan[ds.plan["gebiedscode"].astype(str).isin(_wijk_codes(ds, code))]
    if not len(plan):
        return []
    result = evaluate_plan(plan, with_area_figures(table, ds.area_figures, ds.registry), ds.registry)
    reg = ds.registry
    lines = [f"• {_short(reg[k].label if k in reg else k, 40)}: {t}"
             for k, t in zip(result["indicator"].astype(str), result["tekst"].astype(str), strict=True)]
    if len(lines) > MAX_PLAN_LINES:
        lines = [*lines[: MAX_PLAN_LINES - 1], f"… en nog {len(lines) - MAX_PLAN_LINES + 1} (zie de evaluatie-export)"]
    return lines


def _column(fig: Figure, x: float, title: str, subtitle: str, lines: list[str]) -> None:
    """A heading and wrapped lines, cut off (with …) where the band ends, so no text leaves it or overlaps."""
    height = EXTRA_HEIGHT_IN
    em = 1.0 / 72.0 / height
    top = 0.90
    fig.text(x, top, title, fontsize=12.5, fontweight="bold", ha="left", va="top", color=_INK, parse_math=False)
    top -= 12.5 * em * _LINE_EM * 1.1
    fig.text(x, top, subtitle, fontsize=8.5, color=_MUTED, ha="left", va="top", parse_math=False)
    top -= 8.5 * em * _LINE_EM * 1.3
    chars = max(int(_COLUMN_W * fig.get_figwidth() * 72.0 / (0.56 * 9.0)), 10)
    pitch = 9.0 * em * _LINE_EM * 1.05
    room = int((top - 0.04) / pitch)
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(line, chars, break_long_words=True) or [""]
    if len(wrapped) > room:
        wrapped = [*wrapped[: room - 1], _short(wrapped[room - 1], chars - 2) + " …"]
    if wrapped:
        fig.text(x, top, "\n".join(wrapped), fontsize=9, color=_INK, ha="left", va="top", linespacing=1.05 * _LINE_EM / 1.2,
                 parse_math=False)


def extras_figure(ds: Dataset, table: pd.DataFrame, p: WijkProfile, width_in: float, dpi: int) -> Figure | None:
    """The band below the profile, or None when the wijk has no initiatives list, notes or plan lines."""
    sections = [
        ("Initiatieven van bewoners", f"informele netwerken, actief in {p.year}", initiative_lines(ds, table, p.code,
                                                                                                   p.year)),
        ("Wat bewoners en professionals zeggen", "de meest recente notities, ingekort", note_lines(ds, p.code)),
        ("Wijkplan: wat is er veranderd", "per doel sinds het basisjaar", plan_lines(ds, table, p.code)),
    ]
    shown = [s for s in sections if s[2]]
    if not shown:
        return None
    fig = Figure(figsize=(width_in, EXTRA_HEIGHT_IN), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    fig.add_artist(Line2D([0.02, 0.98], [0.97, 0.97], color=_GRID, linewidth=1.0, transform=fig.transFigure))
    for x, (title, subtitle, lines) in zip(_COLUMNS, shown, strict=False):
        _column(fig, x, title, subtitle, lines)
    return fig
