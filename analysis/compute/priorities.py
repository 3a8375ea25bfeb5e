"""Which area first: the priority ranking on stated scales, the gap matrix, excluded areas and 'Waarom hier?'."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import COMPONENT_KEYS, COMPONENTS
from analysis.compute.indexes import NEED_COLUMNS, Z_CAP, supply_key
from analysis.compute.tables import column, exclusion_reasons, level_year, tidy, wide
from analysis.formatting import format_value
from analysis.params import PRIORITY_CRITERIA, IndicatorParams, check_weights

#: Dutch name of each criterion.
CRITERION_LABELS: Mapping[str, str] = MappingProxyType({
    "behoefte": "Behoefte",
    "gaten": "Tekorten aan voorzieningen",
    "cohesietekort": "Tekort aan samenhang",
})
#: The indicator each criterion is read from.
CRITERION_KEYS: Mapping[str, str] = MappingProxyType({
    "behoefte": "behoefte_index", "gaten": "gaten_score", "cohesietekort": "cohesie_index",
})
#: Index points from the average (100) to the end of the index scale: z is clipped at Z_CAP.
INDEX_SPAN = 10.0 * Z_CAP
#: The scale of each criterion's points, in plain Dutch (the registry's, repeated in the priorities output).
CRITERION_SCALES: Mapping[str, str] = registry.PRIORITY_SCALES
#: Columns of :func:`priorities`.
PRIORITY_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "prioriteit_rang", "prioriteit_score",
    *[f"bijdrage_{c}" for c in PRIORITY_CRITERIA], *PRIORITY_CRITERIA,
    "behoefte_index", "cohesie_index", "gaten_aantal", "gaten_inwoners", "inwoners", "reden",
)
#: Reason of an area that has none of the three criteria.
NO_FIGURES = "geen cijfers over behoefte, tekorten of samenhang"


def criterion_points(values: pd.DataFrame) -> pd.DataFrame:
    """Each criterion's points (0-100) on its stated scale (:data:`CRITERION_SCALES`).

    ``behoefte`` = how far the need index lies above 100, as a share of the index's span (30
    points); ``cohesietekort`` = how far the cohesion index lies below 100, likewise (an index
    above 100 gives 0: above-average cohesion is no deficit); ``gaten`` = ``gaten_score`` as it is.
    The scales are absolute, so the points of an area never depend on which other areas are in the
    list (no best area at 0 and worst at 100).

    Parameters
    ----------
    values : pandas.DataFrame
        ``code x indicator`` with ``behoefte_index``, ``gaten_score`` and ``cohesie_index`` (missing
        columns give NaN).

    Returns
    -------
    pandas.DataFrame
        ``behoefte, gaten, cohesietekort``, indexed like ``values``.
    """
    need = column(values, "behoefte_index")
    cohesion = column(values, "cohesie_index")
    return pd.DataFrame({
        "behoefte": 100.0 * ((need - 100.0) / INDEX_SPAN).clip(0.0, 1.0),
        "gaten": column(values, "gaten_score").clip(0.0, 100.0),
        "cohesietekort": 100.0 * ((100.0 - cohesion) / INDEX_SPAN).clip(0.0, 1.0),
    }, index=values.index)


def _names(rows: pd.DataFrame) -> pd.Series:
    if "gebiedsnaam" not in rows.columns or len(rows) == 0:
        return pd.Series(dtype="string")
    first = rows.drop_duplicates("gebiedscode")
    return pd.Series(first["gebiedsnaam"].astype("string").to_numpy(), index=first["gebiedscode"].astype(str))


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in PRIORITY_COLUMNS})
    for c in ("gebiedscode", "gebiedsnaam", "reden"):
        frame[c] = frame[c].astype("string")
    return frame


def priorities(table: pd.DataFrame, year: int, params: IndicatorParams | None = None,
               level: str = "wijk") -> pd.DataFrame:
    """Rank the areas of one level by need, gaps and cohesion deficit.

    Each criterion gets 0-100 points on its stated scale (:func:`criterion_points`,
    :data:`CRITERION_SCALES`). ``bijdrage_<c>`` = w_c * points_c / the sum of the weights of the
    criteria the area has; ``prioriteit_score`` is their sum (0-100: 100 is the worst possible on
    every criterion) and ``prioriteit_rang`` 1 = highest score (ties: lower code first).

    An area below ``params.min_inhabitants`` gets no score and no rank: its ``reden`` says why
    ("te weinig inwoners voor een vergelijking"). Areas are never dropped silently: every area of the
    level is in the output, the ranked ones first.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table (``inwoners`` is read from its kerncijfer rows; without them no area is
        excluded for its size).
    year : int
        Year.
    params : IndicatorParams, optional
        ``priority_weights`` and ``min_inhabitants``; default :class:`IndicatorParams()`.
    level : {"wijk", "buurt"}
        Level.

    Returns
    -------
    pandas.DataFrame
        :data:`PRIORITY_COLUMNS`, sorted by rank (unranked areas last, by code); ``attrs["schalen"]``
        holds :data:`CRITERION_SCALES`.
    """
    if level not in registry.AREA_LEVELS:
        raise ValueError(f"Prioriteiten bestaan voor wijken en buurten, niet voor niveau '{level}'.")
    params = params or IndicatorParams()
    w = pd.Series(check_weights(params.priority_weights, PRIORITY_CRITERIA, "prioriteiten"))
    w = w.reindex(list(PRIORITY_CRITERIA)).fillna(0.0)
    rows = level_year(table, year, level)
    values = wide(rows.assign(niveau=level), level) if len(rows) else pd.DataFrame()
    if len(values) == 0:
        return _empty()
    values.index = values.index.astype(str)
    points = criterion_points(values)
    inw = column(values, "inwoners")
    reason = exclusion_reasons(inw, params.min_inhabitants)
    lacking = _lacking_composites(table, values, level)
    if lacking:
        # the year lacks a composite the other years have: a ranking on what is left would not be comparable
        reason = reason.where(reason != "", f"geen rangorde in {int(year)}: {' en '.join(lacking)} "
                                            f"{'ontbreken' if len(lacking) > 1 else 'ontbreekt'} dit jaar "
                                            "(niet alle bronnen van de andere jaren zijn gemeten)")
    total_w = points.notna().mul(w, axis=1).sum(axis=1)
    reason = reason.where((reason != "") | (total_w > 0), NO_FIGURES)
    scored = (reason == "").to_numpy(bool)
    contrib = points.mul(w, axis=1).div(total_w.where(total_w > 0), axis=0)
    out = pd.DataFrame(index=values.index)
    out["prioriteit_score"] = contrib.sum(axis=1, min_count=1).where(scored)
    for c in PRIORITY_CRITERIA:
        out[f"bijdrage_{c}"] = contrib[c].where(scored)
    out = out.join(points)
    for key in ("behoefte_index", "cohesie_index", "gaten_aantal", "gaten_inwoners", "inwoners"):
        out[key] = column(values, key)
    out["reden"] = reason.astype("string")
    out = out.rename_axis("gebiedscode").reset_index()
    out["gebiedscode"] = out["gebiedscode"].astype("string")
    out["gebiedsnaam"] = out["gebiedscode"].astype(str).map(_names(rows)).astype("string")
    out = out.sort_values(["prioriteit_score", "gebiedscode"], ascending=[False, True], na_position="last",
                          kind="stable")
    has = out["prioriteit_score"].notna().to_numpy()
    out["prioriteit_rang"] = np.where(has, np.cumsum(has), np.nan)
    result = out[list(PRIORITY_COLUMNS)].reset_index(drop=True)
    result.attrs["schalen"] = dict(CRITERION_SCALES)
    return result


#: The composites a ranking needs, with the Dutch name a page shows when a year lacks one.
_COMPOSITES: dict[str, str] = {"cohesie_index": "de cohesie-index", "gaten_aantal": "de tekorten"}


def _lacking_composites(table: pd.DataFrame, values: pd.DataFrame, level: str) -> list[str]:
    """Composites absent for every area of this level-year while another year of the level has them.

    :func:`analysis.compute.indexes.drop_incomplete` leaves a year's cohesion index and gap summary out when the
    year lacks inputs the other years have; the ranking of that year then says so instead of ranking on need
    alone.
    """
    out = []
    for key, name in _COMPOSITES.items():
        here = key in values.columns and pd.to_numeric(values[key], errors="coerce").notna().any()
        elsewhere = bool(((table["niveau"] == level) & (table["indicator"] == key)).any())
        if elsewhere and not here:
            out.append(name)
    return out


def priority_rows(year_table: pd.DataFrame, year: int, params: IndicatorParams,
                  levels: tuple[str, ...]) -> pd.DataFrame:
    """``prioriteit_score`` and ``prioriteit_rang`` rows of the ranked areas, for the indicator table."""
    parts = []
    for level in levels:
        ranked = priorities(year_table, year, params, level)
        ranked = ranked[ranked["prioriteit_score"].notna()]
        if len(ranked) == 0:
            continue
        values = ranked.set_index("gebiedscode")[["prioriteit_score", "prioriteit_rang"]]
        parts.append(tidy(values.astype(float), level, year, registry.SOURCE_COMPUTED))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def excluded_areas(table: pd.DataFrame, year: int, params: IndicatorParams | None = None,
                   level: str = "wijk") -> pd.DataFrame:
    """The areas left out of the ranking, with the reason, for the pages to list.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, gebiedsnaam, inwoners, reden`` (empty when every area is ranked).
    """
    ranking = priorities(table, year, params, level)
    left = ranking[ranking["prioriteit_rang"].isna()]
    return left[["gebiedscode", "gebiedsnaam", "inwoners", "reden"]].reset_index(drop=True)


def gap_matrix(table: pd.DataFrame, year: int, level: str = "wijk") -> pd.DataFrame:
    """One row per area, one 0/1 column per component key (``<NA>`` when not measured).

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, gebiedsnaam`` and one nullable-integer column per component of
        :data:`analysis.components.COMPONENT_KEYS`, sorted by code.
    """
    all_rows = level_year(table, year, level)
    rows = all_rows[all_rows["indicator"].astype(str).str.endswith("_gat")]
    out = all_rows[["gebiedscode", "gebiedsnaam"]].drop_duplicates("gebiedscode")
    out = out.sort_values("gebiedscode").reset_index(drop=True)
    flags = rows.pivot_table(index="gebiedscode", columns="indicator", values="waarde", aggfunc="first") \
        if len(rows) else pd.DataFrame()
    for key in COMPONENT_KEYS:
        col = f"{key}_gat"
        found = flags[col] if col in flags.columns else pd.Series(dtype=float)
        out[key] = out["gebiedscode"].map(found).round().astype("Int64")
    return out


# --------------------------------------------------------------------------------------
# Waarom hier?
# --------------------------------------------------------------------------------------

def _gap_reasons(values: pd.Series, reference: pd.Series, params: IndicatorParams) -> list[str]:
    """Per component with a gap: why, with the figure and the comparison."""
    parts = []
    inw = float(values.get("inwoners", np.nan))
    for c in COMPONENTS:
        if values.get(f"{c.key}_gat") != 1:
            continue
        cover = float(values.get(f"{c.key}_dekking_pct", np.nan))
        if c.walk_norm_m is not None and cover < params.target_pct(c.key):
            outside = (100.0 - cover) / 100.0 * inw
            parts.append(f"{c.label.lower()} ({format_value(outside, registry.UNIT_COUNT)} inwoners, "
                         f"{format_value(100.0 - cover, registry.UNIT_PCT)}, wonen verder dan "
                         f"{format_value(params.norm_m(c.key), registry.UNIT_METRE)}; doel: hoogstens "
                         f"{format_value(100.0 - params.target_pct(c.key), registry.UNIT_PCT)})")
            continue
        key = supply_key(c.key, list(values.index))
        parts.append(f"{c.label.lower()} (aanbod {format_value(values.get(key), registry.UNIT_PER_1000, 2)} tegen "
                     f"{format_value(reference.get(key), registry.UNIT_PER_1000, 2)} per 1.000 inwoners in de "
                     "gemeente)")
    return parts


def _need_reason(values: pd.Series, reference: pd.Series, reg: registry.Registry) -> str:
    parts = [f"{reg.label(k).lower()} {format_value(values.get(k), registry.UNIT_PCT)} (gemeente "
             f"{format_value(reference.get(k), registry.UNIT_PCT)})"
             for k in NEED_COLUMNS if pd.notna(values.get(k))]
    head = f"Behoefte-index {format_value(values.get('behoefte_index'), registry.UNIT_INDEX)} (100 = gemiddelde)"
    return head + (": " + "; ".join(parts) if parts else "") + "."


def why_here(table: pd.DataFrame, code: str, year: int, params: IndicatorParams | None = None,
             level: str = "wijk", reg: registry.Registry = registry.REGISTRY) -> list[str]:
    """Plain-Dutch reasons behind one area's place in the ranking, each with the figure and its scale.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    code : str
        The area's code.
    year : int
        Year.
    params : IndicatorParams, optional
        The session's parameters (weights, norms, targets, minimum population).
    level : {"wijk", "buurt"}
        Level.
    reg : Registry
        The dataset's registry (labels).

    Returns
    -------
    list of str
        The first line is the place ("Plaats 3 van 9, score 45 van 100.") or why there is none; then
        one line per criterion, the heaviest first.
    """
    params = params or IndicatorParams()
    ranking = priorities(table, year, params, level)
    row = ranking[ranking["gebiedscode"].astype(str) == str(code)]
    if row.empty:
        return ["Voor dit gebied zijn er geen cijfers in dit jaar."]
    r = row.iloc[0]
    if pd.isna(r["prioriteit_rang"]):
        return [f"Dit gebied krijgt geen plaats in de rangorde: {r['reden']}."]
    values = wide(level_year(table, year, level), level).reindex([str(code)]).iloc[0]
    gm = wide(level_year(table, year, "gemeente"), "gemeente")
    reference = gm.iloc[0] if len(gm) else pd.Series(dtype=float)
    lines = [f"Plaats {int(r['prioriteit_rang'])} van {int(ranking['prioriteit_rang'].notna().sum())}, "
             f"score {format_value(r['prioriteit_score'], registry.UNIT_SCORE_100)} van 100."]
    order = sorted(PRIORITY_CRITERIA, key=lambda c: -(r[f"bijdrage_{c}"] if pd.notna(r[f"bijdrage_{c}"]) else -1))
    for key in order:
        head = (f"{CRITERION_LABELS[key]}: {format_value(r[f'bijdrage_{key}'], registry.UNIT_SCORE_100)} punten "
                f"in de score ({format_value(r[key], registry.UNIT_SCORE_100)} op de schaal {CRITERION_SCALES[key]})")
        if pd.isna(r[key]):
            lines.append(f"{CRITERION_LABELS[key]}: geen gegevens.")
        elif key == "behoefte":
            lines.append(f"{head}. {_need_reason(values, reference, reg)}")
        elif key == "gaten":
            missing = _gap_reasons(values, reference, params)
            lines.append(f"{head}. " + ("Tekort aan: " + "; ".join(missing) + "." if missing else "Geen tekorten."))
        else:
            lines.append(f"{head}. Cohesie-index {format_value(r['cohesie_index'], registry.UNIT_INDEX)} (100 = "
                         "gemiddelde van de gemeente; alleen een index onder 100 telt als tekort).")
    return lines

