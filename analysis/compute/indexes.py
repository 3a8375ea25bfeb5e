"""Derived figures per area: the cohesion index, the need index, gaps against sourced norms, double disadvantage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import COMPONENTS, FACILITY_COMPONENT_KEYS, PLACE_COMPONENT_KEYS
from analysis.compute.tables import column, comparable, tidy, wide
from analysis.params import COHESION_PARTS, IndicatorParams, check_weights

#: Indicators behind each cohesion part (the part is the mean of their z-scores; ``toegang`` is the
#: mean coverage of the place components, standardised once).
COHESION_INPUTS: dict[str, tuple[str, ...]] = {
    "enquete": ("cohesie_score",),
    "participatie": ("vrijwilliger_pct", "informele_hulp_pct"),
    "netwerk": ("verenigingen_per_1000_inw", "overbruggende_banden_pct"),
    "toegang": tuple(f"{k}_dekking_pct" for k in PLACE_COMPONENT_KEYS),
}
#: Active initiatives per 1,000 inhabitants: a further input of ``participatie`` with its own weight
#: (:attr:`analysis.params.IndicatorParams.initiative_weight`), present only with a list of initiatives.
INITIATIVE_INPUT = "initiatieven_per_1000_inw"
#: Area columns that make up the need index (used when known for at least two areas).
NEED_COLUMNS: tuple[str, ...] = ("p_65_eo", "p_eenpersoons_hh", "p_laag_inkomen")
#: Supply per 1,000 inhabitants inside the area's boundary, per component (the gap rule without routing).
SUPPLY_RATE_KEYS: dict[str, str] = {
    **{k: f"{k}_per_1000_inw" for k in FACILITY_COMPONENT_KEYS},
    "verenigingen": "verenigingen_per_1000_inw",
    "digitaal": "digitaal_actief_per_1000_inw",
}
#: Suffix of the supply within reach (two-step floating catchment: facilities or capacity within reach per
#: 1,000 residents who can reach them), added by the routing step; used instead of the rate inside the boundary.
REACH_SUFFIX = "_bereik_per_1000"
#: z-scores in the indexes are clipped to +-Z_CAP (an index stays within 100 +- 10 * Z_CAP).
Z_CAP = 3.0
#: Gap rows per area besides the ``<c>_gat`` flags.
GAP_SUMMARY_KEYS: tuple[str, ...] = ("gaten_aantal", "gaten_score", "gaten_inwoners")


def weighted_z(values: pd.Series, weights: pd.Series, cap: float | None = None) -> pd.Series:
    """z-scores against the inhabitant-weighted mean and standard deviation of the areas.

    The reference is every area with a value and a positive weight (equal weights when no
    area has one). Areas without a value stay NaN; no spread gives z = 0. With ``cap`` the
    scores are clipped to ``[-cap, cap]`` (so one tiny area with an extreme rate cannot
    dominate an index).
    """
    x = values.to_numpy(dtype=float, na_value=np.nan)
    aligned = weights if weights.index.equals(values.index) else weights.reindex(values.index)
    w = aligned.to_numpy(dtype=float, na_value=np.nan)
    has_x = np.isfinite(x)
    ok = has_x & np.isfinite(w) & (w > 0)
    if not ok.any():
        w, ok = np.ones_like(x), has_x
    if ok.sum() < 2:
        return pd.Series(np.nan, index=values.index)
    wx, ww = x[ok], w[ok]
    mean = float((wx * ww).sum() / ww.sum())
    sd = math.sqrt(float((ww * (wx - mean) ** 2).sum() / ww.sum()))
    if sd <= 1e-12:
        return pd.Series(np.where(has_x, 0.0, np.nan), index=values.index)
    z = (x - mean) / sd
    if cap is not None:
        z = np.clip(z, -cap, cap)
    return pd.Series(z, index=values.index)


def _rate_keys(keys: tuple[str, ...]) -> list[str]:
    return [k for k in keys if k.endswith("_per_1000_inw")]


def _part_inputs(part: str, wide_values: pd.DataFrame, params: IndicatorParams) -> dict[str, float]:
    """The measured inputs of one part with their weight inside the part (1 each; initiatives their own)."""
    keys = COHESION_INPUTS[part]
    weights = {k: 1.0 for k in keys if k in wide_values.columns and wide_values[k].notna().any()}
    if (part == "participatie" and params.initiative_weight > 0 and INITIATIVE_INPUT in wide_values.columns
            and wide_values[INITIATIVE_INPUT].notna().any()):
        weights[INITIATIVE_INPUT] = float(params.initiative_weight)
    return weights


def _part_raw(values: pd.DataFrame, weights: dict[str, float], inwoners: pd.Series, z_cap: float) -> pd.Series:
    """The (weighted) mean z of a part's inputs per area, over the inputs the area has."""
    z = pd.concat([weighted_z(values[k], inwoners, z_cap) for k in weights], axis=1, keys=list(weights))
    if all(w == 1.0 for w in weights.values()):
        return z.mean(axis=1, skipna=True)  # the plain mean: a dataset without initiatives computes as before
    w = pd.Series(weights)
    total = z.notna().mul(w, axis=1).sum(axis=1)
    return z.fillna(0.0).mul(w, axis=1).sum(axis=1) / total.where(total > 0)


def cohesion_index(wide_values: pd.DataFrame, inwoners: pd.Series, params: IndicatorParams | None = None,
                   z_cap: float = Z_CAP) -> pd.DataFrame:
    """The cohesion index and its parts for the areas of one level.

    Each part is standardised against the areas of the level (inhabitant-weighted mean and
    standard deviation, see :func:`weighted_z`): ``enquete`` = ``cohesie_score``;
    ``participatie`` = mean z of ``vrijwilliger_pct`` and ``informele_hulp_pct`` and, with a list of
    initiatives, ``initiatieven_per_1000_inw`` weighted ``params.initiative_weight`` against 1 for each
    of the other two (:data:`INITIATIVE_INPUT`);
    ``netwerk`` = mean z of ``verenigingen_per_1000_inw`` and ``overbruggende_banden_pct``;
    ``toegang`` = mean of the measured ``<c>_dekking_pct``. ``cohesie_deel_<part>`` =
    100 + 10 z. The index is the weighted mean of the parts' z over the parts an area has
    (weights rescaled), standardised again: ``cohesie_index`` = 100 + 10 z. Every z is
    clipped to ``[-z_cap, z_cap]`` (default 3), so indexes stay within 70-130.

    A rate per 1,000 inhabitants of an area below ``params.min_inhabitants`` takes no part
    (neither for the area nor in the reference): one association more or less would move it more
    than the differences between areas. Suppressed survey figures arrive as NaN and are simply
    absent: the index of such an area comes from its remaining parts, and no suppressed value
    enters any reference mean, so the index reveals nothing about it.

    Parameters
    ----------
    wide_values : pandas.DataFrame
        ``code x indicator`` values of one level.
    inwoners : pandas.Series
        Inhabitants per code (the weights).
    params : IndicatorParams, optional
        ``cohesion_weights`` and ``min_inhabitants``; default :class:`IndicatorParams()`.
    z_cap : float
        Clip of every z-score.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``wide_values``: ``cohesie_index`` and ``cohesie_deel_<part>``.
    """
    params = params or IndicatorParams()
    weights = check_weights(params.cohesion_weights, COHESION_PARTS, "cohesie-index")
    small = ~comparable(inwoners.reindex(wide_values.index), params.min_inhabitants)
    out = pd.DataFrame(index=wide_values.index)
    zs = {}
    for part in COHESION_INPUTS:
        inputs = _part_inputs(part, wide_values, params)
        if not inputs:
            continue
        cols = list(inputs)
        values = wide_values[cols].astype(float)
        for rate in _rate_keys(tuple(cols)):
            values.loc[small.to_numpy(bool), rate] = np.nan
        if part == "toegang":
            raw = values.mean(axis=1, skipna=True)
        else:
            raw = _part_raw(values, inputs, inwoners, z_cap)
        z = weighted_z(raw, inwoners, z_cap)
        if z.notna().any():
            zs[part] = z
            out[f"cohesie_deel_{part}"] = 100.0 + 10.0 * z
    if not zs:
        return out
    z_frame = pd.DataFrame(zs)
    w = pd.Series({p: weights.get(p, 0.0) for p in z_frame.columns})
    have = z_frame.notna() & (w > 0)
    total_w = have.mul(w, axis=1).sum(axis=1)
    combined = z_frame.fillna(0.0).mul(w, axis=1).sum(axis=1) / total_w.where(total_w > 0)
    out["cohesie_index"] = 100.0 + 10.0 * weighted_z(combined, inwoners, z_cap)
    return out


def need_index(areas: pd.DataFrame, z_cap: float = Z_CAP) -> pd.Series:
    """``behoefte_index``: 100 + 10 z of the mean z of share 65+, single-person households and low income.

    Only the columns known for at least two areas take part; each is standardised against
    the areas (inhabitant-weighted, z clipped to ``[-z_cap, z_cap]``).
    """
    inw = column(areas, "inwoners")
    zs = [weighted_z(areas[c], inw, z_cap) for c in NEED_COLUMNS
          if c in areas.columns and areas[c].notna().sum() >= 2]
    if not zs:
        return pd.Series(np.nan, index=areas.index)
    raw = pd.concat(zs, axis=1).mean(axis=1, skipna=True)
    return 100.0 + 10.0 * weighted_z(raw, inw, z_cap)


def supply_key(component_key: str, columns: pd.Index | list[str]) -> str:
    """The supply figure the gap rule reads: within reach (``<c>_bereik_per_1000``) when present, else inside."""
    reach = f"{component_key}{REACH_SUFFIX}"
    return reach if reach in columns else SUPPLY_RATE_KEYS[component_key]


def _coverage_test(values: pd.DataFrame, key: str, target_pct: float) -> tuple[pd.Series, pd.Series] | None:
    """Coverage below the target: (flag, share of residents outside the norm where flagged)."""
    cover = f"{key}_dekking_pct"
    if cover not in values.columns or not values[cover].notna().any():
        return None
    share = values[cover].astype(float)
    flag = (share < target_pct).astype(float).where(share.notna())
    shortfall = ((100.0 - share) / 100.0).clip(0.0, 1.0).where(flag == 1, 0.0).where(share.notna())
    return flag, shortfall


def _supply_test(values: pd.DataFrame, key: str, reference: pd.Series, usable: pd.Series,
                 ratio: float) -> tuple[pd.Series, pd.Series] | None:
    """Supply below ``ratio`` of the reference: (flag, missing share of the reference supply where flagged)."""
    rate_key = supply_key(key, values.columns)
    ref = float(reference.get(rate_key, np.nan))
    if rate_key not in values.columns or not math.isfinite(ref) or ref <= 0:
        return None
    rate = values[rate_key].astype(float).where(usable)
    flag = (rate < ratio * ref).astype(float).where(rate.notna())
    shortfall = (1.0 - rate / ref).clip(0.0, 1.0).where(flag == 1, 0.0).where(rate.notna())
    return flag, shortfall


def gaps(wide_values: pd.DataFrame, reference: pd.Series, inwoners: pd.Series,
         params: IndicatorParams | None = None) -> pd.DataFrame:
    """Gaps per component and the summary of one level.

    A component has a gap (``<c>_gat`` = 1) in an area when

    - fewer residents than the target share (``params.target_pct``) live within its norm
      (``<c>_dekking_pct``), or
    - its supply is below ``params.gap_supply_ratio`` of the gemeente's: the supply within reach
      (``<c>_bereik_per_1000``, two-step floating catchment) when the table has it, else the
      facilities inside the boundary per 1,000 inhabitants. The supply test is not made for an
      area below ``params.min_inhabitants`` (a rate of a few hundred inhabitants says little).

    ``<NA>`` when neither test can be made. How much is missing per component (the shortfall) is
    the share of residents outside the norm for a coverage gap and ``1 - supply / reference`` for a
    supply gap (the larger of the two), 0 without a gap.

    Parameters
    ----------
    wide_values : pandas.DataFrame
        ``code x indicator`` values of one level.
    reference : pandas.Series
        The gemeente's figures by key (see :func:`reference_values`).
    inwoners : pandas.Series
        Inhabitants per code.
    params : IndicatorParams, optional
        Targets, ratio and minimum population.

    Returns
    -------
    pandas.DataFrame
        ``<c>_gat`` per measured component, ``gaten_aantal`` (number of gaps), ``gaten_score``
        (0 = geen tekort, 100 = bij elk gemeten onderdeel woont niemand binnen de norm of ontbreekt al
        het aanbod: 100 times the mean shortfall) and ``gaten_inwoners`` (inhabitants times shortfall,
        summed over the components: residents affected, one resident counted once per component).
    """
    params = params or IndicatorParams()
    inw = inwoners.reindex(wide_values.index).astype(float)
    usable = comparable(inw, params.min_inhabitants)
    out = pd.DataFrame(index=wide_values.index)
    shortfalls = {}
    for c in COMPONENTS:
        tests = [t for t in (_coverage_test(wide_values, c.key, params.target_pct(c.key)),
                             _supply_test(wide_values, c.key, reference, usable, params.gap_supply_ratio))
                 if t is not None]
        if not tests:
            continue
        out[f"{c.key}_gat"] = pd.concat([t[0] for t in tests], axis=1).max(axis=1, skipna=True)
        shortfalls[c.key] = pd.concat([t[1] for t in tests], axis=1).max(axis=1, skipna=True)
    if not shortfalls:
        return out
    gap_cols = [f"{k}_gat" for k in shortfalls]
    short = pd.DataFrame(shortfalls)
    out["gaten_aantal"] = out[gap_cols].sum(axis=1, min_count=1)
    out["gaten_score"] = 100.0 * short.mean(axis=1, skipna=True)
    out["gaten_inwoners"] = short.mul(inw, axis=0).sum(axis=1, min_count=1).where(inw.notna())
    return out


def reference_values(base: pd.DataFrame, info: dict[str, pd.DataFrame]) -> pd.Series:
    """The gemeente's figures: its own row, per key else the inhabitant-weighted mean of the buurten."""
    gm = wide(base, "gemeente")
    own = gm.iloc[0].dropna() if len(gm) else pd.Series(dtype=float)
    buurt = wide(base, "buurt")
    if len(buurt) == 0 or "buurt" not in info:
        return own
    inw = info["buurt"]["inwoners"].reindex(buurt.index).fillna(0)
    ok = buurt.notna().mul(inw > 0, axis=0).mul(inw, axis=0).sum()
    mean = buurt.fillna(0).mul(inw, axis=0).sum() / ok.where(ok > 0)
    return own.combine_first(mean)


def _worst(values: pd.Series, share: float, high_is_worse: bool) -> pd.Series:
    v = values.astype(float)
    if v.notna().sum() == 0:
        return pd.Series(False, index=v.index)
    if high_is_worse:
        return (v >= np.nanquantile(v, 1.0 - share)).fillna(False)
    return (v <= np.nanquantile(v, share)).fillna(False)


def derived_rows(base: pd.DataFrame, year: int, info: dict[str, pd.DataFrame],
                 params: IndicatorParams) -> list[pd.DataFrame]:
    """Gaps on every level; for buurten and wijken also the cohesion and need index and double disadvantage.

    Returns
    -------
    list of pandas.DataFrame
        Tidy rows (``bron`` = computed), one frame per level.
    """
    reference = reference_values(base, info)
    parts = []
    for level in info:
        values_wide = wide(base, level).reindex(info[level].index)
        inw = info[level]["inwoners"]
        values = gaps(values_wide, reference, inw, params)
        if level in registry.AREA_LEVELS:
            values = values.join(cohesion_index(values_wide, inw, params))
            values["behoefte_index"] = need_index(info[level])
            if "cohesie_index" in values.columns:
                both = values["behoefte_index"].notna() & values["cohesie_index"].notna()
                flag = (_worst(values["behoefte_index"], params.worst_share, True)
                        & _worst(values["cohesie_index"], params.worst_share, False))
                values["dubbele_achterstand"] = flag.astype(float).where(both)
        values = values.dropna(axis=1, how="all")
        if values.shape[1]:
            parts.append(tidy(values, level, year, registry.SOURCE_COMPUTED))
    return parts


#: Derived rows that rest on every cohesion part of their level (``dubbele_achterstand`` is read from the index).
COHESION_COMPOSITE_KEYS: tuple[str, ...] = ("cohesie_index", "dubbele_achterstand")
_PART_PREFIX = "cohesie_deel_"
_GAP_SUFFIX = "_gat"


def _measured_parts(rows: pd.DataFrame) -> pd.DataFrame:
    """``niveau, jaar, soort, onderdeel`` of every cohesion input and gap component with a value somewhere."""
    key = rows["indicator"].astype("string")
    inputs = [k for keys in COHESION_INPUTS.values() for k in keys] + [INITIATIVE_INPUT]
    is_input = key.isin(inputs).fillna(False)
    is_gap = key.isin([f"{c.key}{_GAP_SUFFIX}" for c in COMPONENTS]).fillna(False)
    keep = ((is_input | is_gap) & pd.to_numeric(rows["waarde"], errors="coerce").notna()).to_numpy(bool)
    sel = rows.loc[keep]
    kind = np.where(is_input.to_numpy(bool)[keep], "cohesie_index", "gaten_score")
    part = key[keep].str.removesuffix(_GAP_SUFFIX)
    return pd.DataFrame({"niveau": sel["niveau"].astype(str).to_numpy(), "jaar": sel["jaar"].astype(int).to_numpy(),
                         "soort": kind, "onderdeel": part.astype(str).to_numpy()}).drop_duplicates()


def incomplete_years(rows: pd.DataFrame) -> dict[tuple[str, int, str], list[str]]:
    """Which level-years' composites would rest on fewer parts than the other years of their level.

    The cohesion index of a year is the weighted mean of the parts measured that year, each the
    mean of its measured inputs (:data:`COHESION_INPUTS`), and the gap summary (``gaten_aantal``,
    ``gaten_score``, ``gaten_inwoners``) counts the components whose gap could be tested
    (``<c>_gat``). When a year lacks an input or component that another year of the same level
    has (typically: the survey has a year without a facility snapshot, so ``toegang`` rests on the
    associations alone and the place gaps cannot be tested), that year's
    index is a different measure under the same name: a series 2023-2024-2025 would jump for no
    reason in the neighbourhood and the priorities of that year would rest on the survey alone.
    Such a composite is therefore left out for that year (not marked and kept): the table keeps
    the parts that were measured, so a page can show them and say what is missing, and nothing
    reads a partial index as the index. Within a year, an area that lacks a part (a suppressed
    survey figure, too few inhabitants) still gets its index from its remaining parts, as
    :func:`cohesion_index` describes: that is a gap of the area, not of the year's data.

    Parameters
    ----------
    rows : pandas.DataFrame
        Tidy rows of one or more years (``gebiedscode, niveau, jaar, indicator, waarde``): the
        measured and derived rows, or the indicator table.

    Returns
    -------
    dict
        ``(niveau, jaar, composite) -> what is missing`` (sorted): for ``"cohesie_index"`` the input
        indicators, for ``"gaten_score"`` the component keys; only the incomplete level-years.
    """
    if len(rows) == 0:
        return {}
    parts = _measured_parts(rows)
    out: dict[tuple[str, int, str], list[str]] = {}
    years = sorted(int(y) for y in pd.unique(rows["jaar"]))
    for (level, kind), frame in parts.groupby(["niveau", "soort"]):
        every = set(frame["onderdeel"])
        for year in years:
            missing = sorted(every - set(frame.loc[frame["jaar"] == year, "onderdeel"]))
            if missing:
                out[(str(level), year, str(kind))] = missing
    return out


def drop_incomplete(rows: pd.DataFrame, incomplete: dict[tuple[str, int, str], list[str]]) -> pd.DataFrame:
    """Rows without the composites of the incomplete level-years (:func:`incomplete_years`); parts stay."""
    if not incomplete or len(rows) == 0:
        return rows
    drop = pd.Series(False, index=rows.index)
    keys = {"cohesie_index": COHESION_COMPOSITE_KEYS, "gaten_score": GAP_SUMMARY_KEYS}
    for (level, year, kind) in incomplete:
        drop |= ((rows["niveau"].astype(str) == level) & (rows["jaar"].astype(int) == year)
                 & rows["indicator"].astype(str).isin(keys[kind]))
    return rows.loc[~drop.to_numpy(bool)]
