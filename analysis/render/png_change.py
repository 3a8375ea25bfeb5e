"""The wijkprofiel's changes since the baseline: plain Dutch sentences (most telling first) and the rows of its table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import COMPONENTS_BY_KEY, FACILITY_COMPONENT_KEYS
from analysis.compute.profile import WijkProfile
from analysis.formatting import format_difference, format_number, format_value

__all__ = ["better", "change_rows", "change_sentences"]


def better(key: str, difference: float, shown: str) -> bool | None:
    """Whether a change is for the better (None: no direction, or it rounds to nothing)."""
    entry = registry.REGISTRY.get(key)
    if entry is None or entry.higher_is_better is None or not any(ch in shown for ch in "123456789"):
        return None
    return (difference > 0) == entry.higher_is_better


#: Components whose ``<key>_aantal`` counts places that open and close (digital platforms are not places).
_COUNTED = frozenset({*FACILITY_COMPONENT_KEYS, "verenigingen"})


def change_sentences(p: WijkProfile, limit: int = 4) -> list[tuple[str, bool | None]]:
    """What changed significantly since the baseline, in plain Dutch, most telling first.

    Survey figures whose change is larger than their margins (``significant``), facilities and
    associations that opened or closed (a change in ``<component>_aantal``), and coverage that moved by
    at least one percentage point, as rounded for display.

    Returns
    -------
    list of (str, bool or None)
        The sentence and whether the change is for the better (None: no direction).
    """
    change = p.change.dropna(subset=["verschil"])
    if p.baseline_year is None or change.empty:
        return []
    keys = change["indicator"].astype(str)
    out: list[tuple[float, str, bool | None]] = []
    norms = dict(zip(p.components["component"], p.components["loopnorm_m"], strict=False))
    for row, key in zip(change.to_dict("records"), keys, strict=True):
        unit = str(row["eenheid"])
        d, was, now = float(row["verschil"]), format_value(row["basis"], unit), format_value(row["waarde"], unit)
        shown = format_difference(d, unit)
        if bool(row["enquete"]) and not pd.isna(row["significant"]) and bool(row["significant"]):
            verb = "steeg" if d > 0 else "daalde"
            out.append((0.0, f"{row['label']} {verb} van {was} naar {now}, meer dan de foutmarge.",
                        better(key, d, shown)))
        elif key.removesuffix("_aantal") in _COUNTED and key.endswith("_aantal") and round(abs(d)) >= 1:
            comp = COMPONENTS_BY_KEY[key.removesuffix("_aantal")]
            count = int(round(abs(d)))
            noun = "" if comp.key == "verenigingen" else (" voorziening" if count == 1 else " voorzieningen")
            text = f"{comp.short_label}: {format_number(count, 0)}{noun} {'erbij' if d > 0 else 'minder'} ({was} → {now})."
            out.append((1.0, text, d > 0))
        elif key.endswith("_dekking_pct") and any(ch in shown for ch in "123456789"):
            comp = COMPONENTS_BY_KEY[key.removesuffix("_dekking_pct")]
            norm = format_number(norms.get(comp.key, comp.walk_norm_m), 0)
            out.append((2.0, f"{comp.short_label}: nu {now} van de inwoners binnen {norm} m (was {was}).", d > 0))
    out.sort(key=lambda item: item[0])
    return [(text, better) for _, text, better in out[:limit]]


def change_rows(p: WijkProfile, limit: int) -> pd.DataFrame:
    """The other changes worth a table row: the cohesion index, then survey figures within their margins."""
    change = p.change.dropna(subset=["verschil"])
    keys = change["indicator"].astype(str)
    survey = change["enquete"].to_numpy(bool) & (keys != "respondenten_aantal").to_numpy(bool)
    within = survey & ~change["significant"].fillna(False).to_numpy(bool)
    order = np.select([(keys == "cohesie_index").to_numpy(bool), within], [0, 1], 9)
    chosen = change.assign(_order=order, _size=-change["verschil"].abs())[order <= 1]
    return chosen.sort_values(["_order", "_size", "indicator"], kind="stable").head(limit)
