"""The tidy indicator table: supply, proximity, network, survey, cohesion index, gaps, priorities, change, pattern."""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import (
    COMPONENT_KEYS,
    COMPONENTS,
    COMPONENTS_BY_KEY,
    FACILITY_COMPONENT_KEYS,
    PLACE_COMPONENT_KEYS,
    walk_norms_m,
)
from analysis.compute.network import network_indicators
from analysis.compute.proximity import proximity_table, resident_points
from analysis.compute.survey import DEFAULT_THRESHOLD, MIN_THRESHOLD, survey_indicators
from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.model import CRS_RD, LEVELS

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Columns of the indicator table (and of its CSV export), in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "niveau", "jaar", "indicator", "waarde", "eenheid",
    "n", "ci_laag", "ci_hoog", "onderdrukt", "bron", "soort",
)
#: The parts of the cohesion index, in display order (``cohesie_deel_<part>``).
COHESION_PARTS: tuple[str, ...] = ("enquete", "participatie", "netwerk", "toegang")
#: Indicators behind each cohesion part (the part is the mean of their z-scores; ``toegang`` is the
#: mean coverage of the place components, standardised once).
COHESION_INPUTS: dict[str, tuple[str, ...]] = {
    "enquete": ("cohesie_score",),
    "participatie": ("vrijwilliger_pct", "informele_hulp_pct"),
    "netwerk": ("verenigingen_per_1000_inw", "overbruggende_banden_pct"),
    "toegang": tuple(f"{k}_dekking_pct" for k in PLACE_COMPONENT_KEYS),
}
#: Priority criteria (``bijdrage_<criterion>`` in :func:`priorities`).
PRIORITY_CRITERIA: tuple[str, ...] = ("behoefte", "gaten", "cohesietekort")
#: Area columns that make up the need index (used when known for at least two areas).
NEED_COLUMNS: tuple[str, ...] = ("p_65_eo", "p_eenpersoons_hh", "p_laag_inkomen")
#: Per-1,000 indicator compared with the gemeente in the supply gap rule, per component.
SUPPLY_RATE_KEYS: dict[str, str] = {
    **{k: f"{k}_per_1000_inw" for k in FACILITY_COMPONENT_KEYS},
    "verenigingen": "verenigingen_per_1000_inw",
    "digitaal": "digitaal_actief_per_1000_inw",
}
#: ``bron`` of facilities added by :func:`what_if`.
PLANNED_SOURCE = "gepland"
#: z-scores in the indexes are clipped to +-Z_CAP (an index stays within 100 +- 10 * Z_CAP).
Z_CAP = 3.0
_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}
_Z_95 = 1.96


def _default_cohesion_weights() -> dict[str, float]:
    return {"enquete": 0.4, "participatie": 0.2, "netwerk": 0.2, "toegang": 0.2}


def _default_priority_weights() -> dict[str, float]:
    return {"behoefte": 1.0, "gaten": 1.0, "cohesietekort": 1.0}


@dataclass(frozen=True)
class IndicatorParams:
    """Settings of the indicator computation (the methodology page lists them).

    Attributes
    ----------
    norms_m : dict
        Walking-norm overrides in metres per place component (defaults in
        :mod:`analysis.components`: 500 m meeting places, schools, public space; 1,000 m
        associations and care; 1,500 m culture and sport).
    threshold : int
        Minimum number of respondents behind a published survey figure (default 30, at least 10).
        Also applied to monitor figures whose file gives an n.
    cohesion_weights : dict
        Weights of the cohesion-index parts ``enquete`` (survey cohesion score, 0.4),
        ``participatie`` (volunteering and informal help, 0.2), ``netwerk`` (associations per
        1,000 and bridging ties, 0.2) and ``toegang`` (mean coverage, 0.2). An area without a
        (published) part gets its index from the remaining parts, their weights rescaled.
    priority_weights : dict
        Weights of the priority criteria ``behoefte``, ``gaten`` and ``cohesietekort`` (equal).
    gap_target_pct : dict
        Overrides of the components' target coverage (``Component.target_pct``, 80%).
    gap_supply_ratio : float
        Supply gap when the area's rate per 1,000 is below this fraction of the gemeente's (0.5).
    worst_share : float
        Share of areas counted as "worst" for the double-disadvantage flag (0.2: a fifth).
    seed : int
        Seed for every random step (permutations of the spatial pattern).
    permutations : int
        Permutations for Moran's I and LISA p-values.
    """

    norms_m: dict[str, float] = field(default_factory=dict)
    threshold: int = DEFAULT_THRESHOLD
    cohesion_weights: dict[str, float] = field(default_factory=_default_cohesion_weights)
    priority_weights: dict[str, float] = field(default_factory=_default_priority_weights)
    gap_target_pct: dict[str, float] = field(default_factory=dict)
    gap_supply_ratio: float = 0.5
    worst_share: float = 0.2
    seed: int = 42
    permutations: int = 999

    def __post_init__(self) -> None:
        walk_norms_m(self.norms_m)
        if int(self.threshold) < MIN_THRESHOLD:
            raise ValueError(f"De drempel voor enquêtecijfers is {self.threshold}; die mag niet lager dan "
                             f"{MIN_THRESHOLD} respondenten zijn.")
        _check_weights(self.cohesion_weights, COHESION_PARTS, "cohesie-index")
        _check_weights(self.priority_weights, PRIORITY_CRITERIA, "prioriteiten")
        for key in self.gap_target_pct:
            if key not in COMPONENTS_BY_KEY:
                raise ValueError(f"Onbekende component '{key}' in gap_target_pct. Kies uit: {', '.join(COMPONENT_KEYS)}.")
        if not 0 < self.gap_supply_ratio <= 1:
            raise ValueError("gap_supply_ratio moet tussen 0 en 1 liggen (standaard 0,5).")
        if not 0 < self.worst_share < 1:
            raise ValueError("worst_share moet tussen 0 en 1 liggen (standaard 0,2: een vijfde).")

    def target_pct(self, key: str) -> float:
        """Target coverage in % of component ``key``."""
        return float(self.gap_target_pct.get(key, COMPONENTS_BY_KEY[key].target_pct))


def _check_weights(weights: dict[str, float], allowed: tuple[str, ...], what: str) -> dict[str, float]:
    unknown = sorted(set(weights) - set(allowed))
    if unknown:
        raise ValueError(f"Onbekend gewicht {', '.join(unknown)} voor de {what}. Kies uit: {', '.join(allowed)}.")
    values = {k: float(v) for k, v in weights.items()}
    if any(not math.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError(f"De gewichten voor de {what} moeten 0 of groter zijn.")
    if sum(values.values()) <= 0:
        raise ValueError(f"Minstens één gewicht voor de {what} moet groter dan 0 zijn.")
    return values


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def _area_info(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Per level: ``gebiedsnaam, inwoners`` (+ need and kerncijfer columns) indexed by code."""
    out = {}
    for level in LEVELS:
        areas = pd.DataFrame(ds.areas(level)).drop(columns="geometry", errors="ignore")
        if len(areas) == 0:
            continue
        areas = areas.drop_duplicates("gebiedscode")
        areas.index = pd.Index(areas["gebiedscode"].astype("string"))
        for col in ("inwoners", "huishoudens", *NEED_COLUMNS):
            if col in areas.columns:
                areas[col] = pd.to_numeric(areas[col], errors="coerce").astype(float)
        out[level] = areas
    return out


def _buurt_parents(ds: Dataset) -> pd.DataFrame:
    """``wijk`` and ``gemeente`` code per buurt code (NaN when that level is absent)."""
    b = pd.DataFrame(ds.buurten).drop(columns="geometry", errors="ignore")
    codes = pd.Index(b["gebiedscode"].astype("string"))
    wijk_codes = set(pd.Series(ds.wijken["gebiedscode"], dtype="string")) if len(ds.wijken) else set()
    wijk = pd.Series(b["wijkcode"].astype("string").to_numpy(), index=codes)
    wijk = wijk.where(wijk.isin(wijk_codes))
    gm = str(ds.gemeente["gebiedscode"].iloc[0]) if len(ds.gemeente) else None
    return pd.DataFrame({"wijk": wijk, "gemeente": pd.Series(gm, index=codes, dtype="string")})


def _roll_up(per_buurt: pd.DataFrame, ds: Dataset, info: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Sum buurt-level counts to the wijken and the gemeente (reindexed to every area; NaN where none)."""
    parents = _buurt_parents(ds)
    per_buurt = per_buurt[per_buurt.index.isin(parents.index)]
    out = {}
    for level in LEVELS:
        if level not in info:
            continue
        if level == "buurt":
            grouped = per_buurt
        else:
            key = parents[level].reindex(per_buurt.index)
            grouped = per_buurt.groupby(key.to_numpy(), dropna=True).sum(min_count=1) if len(per_buurt) \
                else per_buurt
        out[level] = grouped.reindex(info[level].index)
    return out


def _per_1000(count: pd.Series, inwoners: pd.Series) -> pd.Series:
    inw = inwoners.reindex(count.index)
    return (count.astype(float) / inw.where(inw > 0) * 1000.0).astype(float)


def _tidy(values: pd.DataFrame, level: str, year: int, bron: str | None = None) -> pd.DataFrame:
    """Wide ``code x indicator`` values to tidy rows (column-major, like ``melt``)."""
    if values.shape[1] == 0 or len(values) == 0:
        return pd.DataFrame()
    n, k = values.shape
    long = pd.DataFrame({
        "gebiedscode": np.tile(np.asarray(values.index, dtype=object), k),
        "indicator": np.repeat(np.asarray(values.columns, dtype=object), n),
        "waarde": values.to_numpy(dtype=float, na_value=np.nan).T.ravel(),
    })
    long["niveau"] = level
    long["jaar"] = int(year)
    if bron is not None:
        long["bron"] = bron
    return long


def _weighted_z(values: pd.Series, weights: pd.Series, cap: float | None = None) -> pd.Series:
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


# --------------------------------------------------------------------------------------
# Source blocks (one year)
# --------------------------------------------------------------------------------------

def _year_mask(frame: pd.DataFrame, year: int) -> np.ndarray:
    if "jaar" not in frame.columns or len(frame) == 0:
        return np.zeros(len(frame), bool)
    return (pd.to_numeric(frame["jaar"], errors="coerce") == year).fillna(False).to_numpy(bool)


def _facility_counts(ds: Dataset, year: int) -> pd.DataFrame:
    """Per buurt: ``<c>_n`` and ``<c>_cap`` (summed known capacity) of the year's facilities."""
    fac = pd.DataFrame(ds.facilities).drop(columns="geometry", errors="ignore")
    fac = fac[_year_mask(fac, year)]
    if len(fac) == 0:
        return pd.DataFrame(index=pd.Index([], dtype="string"))
    comp = fac["component"].astype("string")
    buurt = fac["buurtcode"].astype("string")
    cap = pd.to_numeric(fac["capaciteit"], errors="coerce") if "capaciteit" in fac.columns \
        else pd.Series(np.nan, index=fac.index)
    frame = pd.DataFrame({"b": buurt.to_numpy(), "c": comp.to_numpy(), "cap": cap.to_numpy(float)})
    frame = frame[frame["b"].notna() & frame["c"].notna()]
    present = sorted(str(c) for c in comp.dropna().unique())
    n = frame.groupby(["b", "c"]).size().unstack("c").reindex(columns=present).fillna(0)
    capacity = frame.groupby(["b", "c"])["cap"].sum(min_count=1).unstack("c").reindex(columns=present)
    out = pd.concat([n.add_suffix("_n"), capacity.add_suffix("_cap")], axis=1)
    out.index = pd.Index(out.index.astype("string"))
    # components that have facilities this year but none located in a buurt still count as measured
    for c in present:
        if f"{c}_n" not in out.columns:
            out[f"{c}_n"] = 0.0
    out.attrs["present"] = present
    out.attrs["with_capacity"] = sorted(str(c) for c in frame.loc[frame["cap"].notna(), "c"].unique())
    return out


def _supply_block(ds: Dataset, year: int, info: dict[str, pd.DataFrame]) -> tuple[list[pd.DataFrame], dict]:
    """Supply rows per level plus the facility counts of ``verenigingen`` (for the network block)."""
    counts = _facility_counts(ds, year)
    present = counts.attrs.get("present", [])
    with_capacity = counts.attrs.get("with_capacity", [])
    rolled = _roll_up(counts.fillna({c: 0.0 for c in counts.columns if c.endswith("_n")}), ds, info)
    parts, assoc_fac = [], {}
    for level, frame in rolled.items():
        inw = info[level]["inwoners"]
        values = {}
        for c in present:
            n = frame[f"{c}_n"].fillna(0.0)
            if c == "verenigingen":
                assoc_fac[level] = n
                continue
            if c not in FACILITY_COMPONENT_KEYS:
                continue
            values[f"{c}_aantal"] = n
            values[f"{c}_per_1000_inw"] = _per_1000(n, inw)
            if c in with_capacity:  # an area without facilities has capacity 0
                cap = frame[f"{c}_cap"].where(n > 0, 0.0)
                values[f"{c}_capaciteit_per_1000_inw"] = _per_1000(cap, inw)
        if values:
            parts.append(_tidy(pd.DataFrame(values), level, year))
    return parts, assoc_fac


def _association_block(network: pd.DataFrame, assoc_fac: dict[str, pd.Series], year: int,
                       info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """Network rows of the year, with facility rows tagged ``verenigingen`` added to the counts."""
    rows = network[network["jaar"] == year] if len(network) else network
    parts = []
    for level in info:
        wide = _wide(rows, level) if len(rows) else pd.DataFrame()
        extra = assoc_fac.get(level)
        if extra is None and wide.empty:
            continue
        wide = wide.reindex(info[level].index)
        if extra is not None:
            base = wide["verenigingen_aantal"].fillna(0.0) if "verenigingen_aantal" in wide.columns \
                else pd.Series(0.0, index=wide.index)
            wide["verenigingen_aantal"] = base + extra.reindex(wide.index).fillna(0.0)
            wide["verenigingen_per_1000_inw"] = _per_1000(wide["verenigingen_aantal"], info[level]["inwoners"])
        parts.append(_tidy(wide, level, year))
    return parts


def _digital_block(ds: Dataset, year: int, info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """``digitaal_aantal`` and ``digitaal_actief_per_1000_inw`` per level.

    Figures given for an area are used as given; other wijken and the gemeente get the sum
    of their buurten (and of the wijken). Platforms are counted once per area.
    """
    dig = pd.DataFrame(ds.digital)
    dig = dig[_year_mask(dig, year)]
    if len(dig) == 0:
        return []
    dig = dig.assign(gebiedscode=dig["gebiedscode"].astype("string"),
                     actieve_gebruikers=pd.to_numeric(dig["actieve_gebruikers"], errors="coerce"))
    parents = _buurt_parents(ds)
    wijk_of = pd.concat([parents["wijk"], pd.Series(info["wijk"].index, index=info["wijk"].index)
                         if "wijk" in info else pd.Series(dtype="string")])
    gm = parents["gemeente"].iloc[0] if len(parents) else None
    users: dict[str, pd.Series] = {}
    platforms: dict[str, pd.Series] = {}
    given = {level: dig[dig["gebiedscode"].isin(info[level].index)] for level in info}
    for level in ("buurt", "wijk", "gemeente"):
        if level not in info:
            continue
        rows = given[level]
        if level == "buurt":
            src = rows
        else:
            lower = given["buurt"] if level == "wijk" else pd.concat([given.get("buurt", rows.iloc[:0]),
                                                                      given.get("wijk", rows.iloc[:0])])
            if level == "wijk":
                code = lower["gebiedscode"].map(parents["wijk"])
            else:
                # the gemeente: wijk rows where given, else the buurt rows of wijken without own rows
                wijk_given = set(given.get("wijk", rows.iloc[:0])["gebiedscode"])
                buurt_rows = given.get("buurt", rows.iloc[:0])
                buurt_rows = buurt_rows[~buurt_rows["gebiedscode"].map(wijk_of).isin(wijk_given)]
                lower = pd.concat([buurt_rows, given.get("wijk", rows.iloc[:0])])
                code = pd.Series(gm, index=lower.index, dtype="string")
            derived = lower.assign(gebiedscode=code.to_numpy())
            derived = derived[~derived["gebiedscode"].isin(set(rows["gebiedscode"]))]
            src = pd.concat([rows, derived])
        src = src[src["gebiedscode"].notna()]
        users[level] = src.groupby("gebiedscode")["actieve_gebruikers"].sum().reindex(info[level].index)
        active = src[src["actieve_gebruikers"] > 0]
        platforms[level] = active.groupby("gebiedscode")["platform"].nunique().reindex(info[level].index)
    parts = []
    for level in users:
        measured = users[level].notna()
        values = pd.DataFrame({
            "digitaal_aantal": platforms[level].where(measured, np.nan).fillna(0.0).where(measured),
            "digitaal_actief_per_1000_inw": _per_1000(users[level], info[level]["inwoners"]),
        })
        parts.append(_tidy(values, level, year))
    return parts


def _kerncijfer_block(year: int, info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    keys = registry.REGISTRY.keys_of(registry.IndicatorKind.KERNCIJFER)
    parts = []
    for level, areas in info.items():
        cols = [k for k in keys if k in areas.columns and pd.to_numeric(areas[k], errors="coerce").notna().any()]
        if cols:
            parts.append(_tidy(areas[cols].apply(pd.to_numeric, errors="coerce"), level, year, registry.SOURCE_CBS))
    return parts


def _monitor_block(ds: Dataset, years: list[int], threshold: int) -> pd.DataFrame:
    """Monitor figures (``ds.area_survey``) of the years: n stays empty when unknown, bron = the file."""
    mon = pd.DataFrame(ds.area_survey)
    if len(mon) == 0:
        return pd.DataFrame()
    mon = mon.assign(jaar=pd.to_numeric(mon["jaar"], errors="coerce"))
    mon = mon[mon["jaar"].isin(years)].copy()
    if len(mon) == 0:
        return pd.DataFrame()
    n = pd.to_numeric(mon["n"], errors="coerce")
    hidden = (n < threshold).fillna(False)
    mon["waarde"] = pd.to_numeric(mon["waarde"], errors="coerce").where(~hidden)
    mon["onderdrukt"] = hidden.astype(int)
    mon["n"] = n.where(~hidden)  # no n below the threshold is published
    mon["ci_laag"] = np.nan
    mon["ci_hoog"] = np.nan
    mon["jaar"] = mon["jaar"].astype(int)
    return mon[["gebiedscode", "niveau", "jaar", "indicator", "waarde", "n", "ci_laag", "ci_hoog",
                "onderdrukt", "bron"]]


# --------------------------------------------------------------------------------------
# Derived indicators (one year, one level, on the wide table)
# --------------------------------------------------------------------------------------

def _wide(base: pd.DataFrame, level: str) -> pd.DataFrame:
    """One level's rows as a ``code x indicator`` frame of ``waarde`` (first row wins)."""
    rows = base[(base["niveau"] == level).to_numpy(bool)]
    if len(rows) == 0:
        return pd.DataFrame()
    rows = rows.drop_duplicates(["gebiedscode", "indicator"])
    return rows.set_index(["gebiedscode", "indicator"])["waarde"].astype(float).unstack("indicator")


def cohesion_index(wide: pd.DataFrame, inwoners: pd.Series,
                   weights: dict[str, float] | None = None, z_cap: float = Z_CAP) -> pd.DataFrame:
    """The cohesion index and its parts for the areas of one level.

    Each part is standardised against the areas of the level (inhabitant-weighted mean and
    standard deviation, see :func:`_weighted_z`): ``enquete`` = ``cohesie_score``;
    ``participatie`` = mean z of ``vrijwilliger_pct`` and ``informele_hulp_pct``;
    ``netwerk`` = mean z of ``verenigingen_per_1000_inw`` and ``overbruggende_banden_pct``;
    ``toegang`` = mean of the measured ``<c>_dekking_pct``. ``cohesie_deel_<part>`` =
    100 + 10 z. The index is the weighted mean of the parts' z over the parts an area has
    (weights rescaled), standardised again: ``cohesie_index`` = 100 + 10 z. Every z is
    clipped to ``[-z_cap, z_cap]`` (default 3), so indexes stay within 70-130.

    Suppressed survey figures arrive as NaN and are simply absent: the index of such an area
    comes from its remaining parts, and no suppressed value enters any reference mean, so
    the index reveals nothing about it.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``wide``: ``cohesie_index`` and ``cohesie_deel_<part>``.
    """
    weights = _check_weights(weights or _default_cohesion_weights(), COHESION_PARTS, "cohesie-index")
    out = pd.DataFrame(index=wide.index)
    zs = {}
    for part, keys in COHESION_INPUTS.items():
        cols = [k for k in keys if k in wide.columns and wide[k].notna().any()]
        if not cols:
            continue
        if part == "toegang":
            raw = wide[cols].mean(axis=1, skipna=True)
        else:
            raw = pd.concat([_weighted_z(wide[k], inwoners, z_cap) for k in cols], axis=1).mean(axis=1, skipna=True)
        z = _weighted_z(raw, inwoners, z_cap)
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
    out["cohesie_index"] = 100.0 + 10.0 * _weighted_z(combined, inwoners, z_cap)
    return out


def need_index(areas: pd.DataFrame, z_cap: float = Z_CAP) -> pd.Series:
    """``behoefte_index``: 100 + 10 z of the mean z of share 65+, single-person households and low income.

    Only the columns known for at least two areas take part; each is standardised against
    the areas (inhabitant-weighted, z clipped to ``[-z_cap, z_cap]``).
    """
    inw = areas["inwoners"] if "inwoners" in areas.columns else pd.Series(np.nan, index=areas.index)
    zs = [_weighted_z(areas[c], inw, z_cap) for c in NEED_COLUMNS
          if c in areas.columns and areas[c].notna().sum() >= 2]
    if not zs:
        return pd.Series(np.nan, index=areas.index)
    raw = pd.concat(zs, axis=1).mean(axis=1, skipna=True)
    return 100.0 + 10.0 * _weighted_z(raw, inw, z_cap)


def _gaps(wide: pd.DataFrame, reference: pd.Series, params: IndicatorParams) -> pd.DataFrame:
    """``<c>_gat`` (1/0, NaN when not measurable) and ``gaten_aantal`` for one level."""
    out = pd.DataFrame(index=wide.index)
    for c in COMPONENTS:
        tests = []
        cover = f"{c.key}_dekking_pct"
        if cover in wide.columns and wide[cover].notna().any():
            tests.append((wide[cover] < params.target_pct(c.key)).where(wide[cover].notna()))
        rate = SUPPLY_RATE_KEYS[c.key]
        ref = reference.get(rate, np.nan)
        if rate in wide.columns and pd.notna(ref) and ref > 0:
            tests.append((wide[rate] < params.gap_supply_ratio * ref).where(wide[rate].notna()))
        if not tests:
            continue
        frame = pd.concat(tests, axis=1).astype(float)
        out[f"{c.key}_gat"] = frame.max(axis=1, skipna=True)
    gap_cols = [c for c in out.columns if c.endswith("_gat")]
    if gap_cols:
        out["gaten_aantal"] = out[gap_cols].sum(axis=1, min_count=1)
    return out


def _reference_rates(base: pd.DataFrame, info: dict[str, pd.DataFrame]) -> pd.Series:
    """The gemeente's rates per 1,000 (its own row, else the inhabitant-weighted buurt mean)."""
    gm = _wide(base, "gemeente")
    if len(gm):
        return gm.iloc[0]
    buurt = _wide(base, "buurt")
    if len(buurt) == 0 or "buurt" not in info:
        return pd.Series(dtype=float)
    inw = info["buurt"]["inwoners"].reindex(buurt.index)
    rates = [k for k in SUPPLY_RATE_KEYS.values() if k in buurt.columns]
    ok = buurt[rates].notna().mul(inw > 0, axis=0)
    return (buurt[rates].fillna(0).mul(inw.fillna(0), axis=0).sum() / ok.mul(inw.fillna(0), axis=0).sum())


def _worst(values: pd.Series, share: float, high_is_worse: bool) -> pd.Series:
    v = values.astype(float)
    if v.notna().sum() == 0:
        return pd.Series(False, index=v.index)
    if high_is_worse:
        return (v >= np.nanquantile(v, 1.0 - share)).fillna(False)
    return (v <= np.nanquantile(v, share)).fillna(False)


def _derived_block(base: pd.DataFrame, year: int, info: dict[str, pd.DataFrame],
                   params: IndicatorParams) -> list[pd.DataFrame]:
    reference = _reference_rates(base, info)
    parts = []
    for level in info:
        wide = _wide(base, level).reindex(info[level].index)
        values = _gaps(wide, reference, params)
        if level in registry.AREA_LEVELS:
            inw = info[level]["inwoners"]
            values = values.join(cohesion_index(wide, inw, params.cohesion_weights))
            values["behoefte_index"] = need_index(info[level])
            if "cohesie_index" in values.columns:
                both = values["behoefte_index"].notna() & values["cohesie_index"].notna()
                flag = (_worst(values["behoefte_index"], params.worst_share, True)
                        & _worst(values["cohesie_index"], params.worst_share, False))
                values["dubbele_achterstand"] = flag.astype(float).where(both)
        values = values.dropna(axis=1, how="all")
        if values.shape[1]:
            parts.append(_tidy(values, level, year, registry.SOURCE_COMPUTED))
    return parts


def _suppressed_enquete_rows(survey: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """A ``cohesie_deel_enquete`` row marked suppressed where the area's cohesion score is suppressed."""
    if len(survey) == 0 or len(derived) == 0 or "onderdrukt" not in survey.columns:
        return pd.DataFrame()
    hidden = survey[(survey["indicator"] == "cohesie_score") & (survey["onderdrukt"] == 1)
                    & survey["niveau"].isin(registry.AREA_LEVELS)]
    if len(hidden) == 0:
        return pd.DataFrame()
    return pd.DataFrame({"gebiedscode": hidden["gebiedscode"].to_numpy(), "niveau": hidden["niveau"].to_numpy(),
                         "jaar": hidden["jaar"].to_numpy(), "indicator": "cohesie_deel_enquete",
                         "waarde": np.nan, "onderdrukt": 1, "bron": registry.SOURCE_COMPUTED})


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------

def _finish(table: pd.DataFrame, info: dict[str, pd.DataFrame], reg: registry.Registry) -> pd.DataFrame:
    """Names, units, sources, dtypes, order; suppressed values are emptied."""
    if len(table) == 0:
        return empty_table()
    t = table.copy()
    t["gebiedscode"] = t["gebiedscode"].astype("string")
    t["niveau"] = t["niveau"].astype("string")
    t["indicator"] = t["indicator"].astype("string")
    names = pd.concat([a["gebiedsnaam"].astype("string") for a in info.values()]) if info else pd.Series(dtype="string")
    names = names[~names.index.duplicated()]
    t["gebiedsnaam"] = t["gebiedscode"].map(names).astype("string")
    keys = pd.unique(t["indicator"].astype(str))
    reg = reg.with_keys(keys)
    t["eenheid"] = t["indicator"].map({k: reg[k].unit for k in keys}).astype("string")
    t["soort"] = t["indicator"].map({k: str(reg[k].kind) for k in keys}).astype("string")
    source = t["indicator"].map({k: reg[k].source for k in keys}).astype("string")
    t["bron"] = (t["bron"].astype("string") if "bron" in t.columns else source).fillna(source)
    for col in ("n", "ci_laag", "ci_hoog"):
        t[col] = pd.to_numeric(t[col], errors="coerce") if col in t.columns else np.nan
    t["onderdrukt"] = (pd.to_numeric(t["onderdrukt"], errors="coerce").fillna(0).astype("int64")
                       if "onderdrukt" in t.columns else 0)
    t["waarde"] = pd.to_numeric(t["waarde"], errors="coerce").astype(float)
    hidden = t["onderdrukt"] == 1
    t.loc[hidden, ["waarde", "ci_laag", "ci_hoog"]] = np.nan
    t["n"] = t["n"].round().astype("Int64")
    t["jaar"] = t["jaar"].astype("int64")
    # one row per key (the first wins), ordered by level, code, year, indicator: on integer codes (fast)
    level = t["niveau"].map(_LEVEL_ORDER).to_numpy(dtype=np.int64)
    area = pd.factorize(t["gebiedscode"], sort=True)[0].astype(np.int64)
    year = pd.factorize(t["jaar"], sort=True)[0].astype(np.int64)
    key = pd.factorize(t["indicator"], sort=True)[0].astype(np.int64)
    combined = ((level * (area.max() + 1) + area) * (year.max() + 1) + year) * (key.max() + 1) + key
    first = ~pd.Series(combined).duplicated(keep="first").to_numpy(bool)
    order = np.flatnonzero(first)[np.argsort(combined[first], kind="stable")]
    return t.iloc[order][list(TABLE_COLUMNS)].reset_index(drop=True)


def empty_table() -> pd.DataFrame:
    """An empty indicator table with :data:`TABLE_COLUMNS` and their dtypes."""
    dtypes = {"gebiedscode": "string", "gebiedsnaam": "string", "niveau": "string", "jaar": "int64",
              "indicator": "string", "waarde": float, "eenheid": "string", "n": "Int64",
              "ci_laag": float, "ci_hoog": float, "onderdrukt": "int64", "bron": "string",
              "soort": "string"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in TABLE_COLUMNS})


def compute_indicators(ds: Dataset, years: Iterable[int] | None = None, params: IndicatorParams | None = None,
                       levels: Iterable[str] = LEVELS,
                       progress: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    """Compute every indicator per area and year into one tidy table.

    Sources, per year (a source without data that year gives no rows, never false zeros):

    - supply ``<c>_aantal``, ``<c>_per_1000_inw``, ``<c>_capaciteit_per_1000_inw`` for the six
      facility components with at least one facility that year (facilities outside every
      buurt count nowhere; wijk and gemeente counts are sums of their buurten);
    - associations and their network (:func:`analysis.compute.network.network_indicators`); facility
      rows tagged ``verenigingen`` are added to ``verenigingen_aantal`` and its rate;
    - ``digitaal_aantal`` and ``digitaal_actief_per_1000_inw`` from platform usage;
    - proximity ``<c>_afstand_m`` and ``<c>_dekking_pct`` (:func:`analysis.compute.proximity.proximity_table`);
    - survey figures from respondents (:func:`analysis.compute.survey.survey_indicators`, with n,
      interval and suppression) and monitor figures (``ds.area_survey``; n empty when the
      monitor gives none, ``bron`` = the monitor file; a respondent figure wins over a monitor
      figure for the same area, year and key; with a known n below the threshold it is
      suppressed);
    - kerncijfers (inwoners, huishoudens, p_65_eo, p_eenpersoons_hh, p_laag_inkomen where known);
    - derived: ``<c>_gat`` and ``gaten_aantal``; for buurten and wijken ``cohesie_index`` with
      ``cohesie_deel_*`` (:func:`cohesion_index`), ``behoefte_index``, ``dubbele_achterstand``,
      ``prioriteit_score`` and ``prioriteit_rang`` (:func:`priorities`).

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset (only buurten are required).
    years : iterable of int, optional
        Years to compute; default :meth:`Dataset.years`.
    params : IndicatorParams, optional
        Norms, threshold, weights; default :class:`IndicatorParams()`.
    levels : iterable of str
        Levels to return (everything is computed on all levels; the index needs them).
    progress : callable, optional
        ``progress(fraction, message)`` with a Dutch message, called as work proceeds.

    Returns
    -------
    pandas.DataFrame
        :data:`TABLE_COLUMNS`; every ``indicator`` is a key of :data:`analysis.registry.REGISTRY`.
        ``onderdrukt`` = 1 rows have empty ``waarde`` and interval.
    """
    params = params or IndicatorParams()
    report = progress or (lambda fraction, message: None)
    levels = [lv for lv in levels]
    for lv in levels:
        if lv not in LEVELS:
            raise ValueError(f"Onbekend niveau '{lv}'. Kies buurt, wijk of gemeente.")
    years = sorted({int(y) for y in (ds.years() if years is None else years)})
    info = _area_info(ds)
    if "buurt" not in info or not years:
        return empty_table()
    report(0.0, "Inwoners over het 100 m-raster verdelen")
    points = resident_points(ds)
    report(0.1, "Verenigingen en hun netwerk")
    network = network_indicators(ds, years)
    report(0.25, "Bewonersenquête")
    survey = survey_indicators(ds, years, params.threshold)
    survey = survey.assign(bron=survey["bron"].fillna(registry.SOURCE_SURVEY)) if len(survey) else survey
    monitor = _monitor_block(ds, years, params.threshold)
    if len(monitor) and len(survey):
        have = pd.MultiIndex.from_frame(survey[["gebiedscode", "niveau", "jaar", "indicator"]].astype(str))
        mine = pd.MultiIndex.from_frame(monitor[["gebiedscode", "niveau", "jaar", "indicator"]].astype(str))
        monitor = monitor[~mine.isin(have)]
    out = []
    for i, year in enumerate(years):
        share = 0.35 + 0.6 * i / len(years)
        report(share, f"Jaar {year}: aanbod en nabijheid")
        supply, assoc_fac = _supply_block(ds, year, info)
        parts = supply + _association_block(network, assoc_fac, year, info) + _digital_block(ds, year, info)
        parts.append(proximity_table(ds, year, params.norms_m, points=points))
        for frame in (survey, monitor):
            if len(frame):
                parts.append(frame[frame["jaar"] == year])
        parts += _kerncijfer_block(year, info)
        base = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
            else pd.DataFrame(columns=["gebiedscode", "niveau", "jaar", "indicator", "waarde"])
        if len(base) == 0:
            continue
        base["gebiedscode"] = base["gebiedscode"].astype("string")
        report(share + 0.3 / len(years), f"Jaar {year}: cohesie-index, tekorten en prioriteiten")
        derived = pd.concat(_derived_block(base, year, info, params) or [pd.DataFrame()], ignore_index=True)
        hidden_parts = _suppressed_enquete_rows(base, derived)  # before ``derived``: its row wins
        year_table = pd.concat([base, hidden_parts, derived], ignore_index=True)
        ranks = _priority_rows(year_table, year, params, info)
        out.append(pd.concat([year_table, ranks], ignore_index=True))
    report(0.97, "Tabel afronden")
    table = _finish(pd.concat(out, ignore_index=True) if out else pd.DataFrame(), info, ds.registry)
    table = table[table["niveau"].isin(levels)].reset_index(drop=True)
    report(1.0, "Klaar")
    return table


def _priority_rows(year_table: pd.DataFrame, year: int, params: IndicatorParams,
                   info: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for level in registry.AREA_LEVELS:
        if level not in info:
            continue
        ranked = priorities(year_table, year, params.priority_weights, level)
        if len(ranked) == 0:
            continue
        ranked = ranked[ranked["prioriteit_score"].notna()]
        if len(ranked) == 0:
            continue
        values = ranked.set_index("gebiedscode")[["prioriteit_score", "prioriteit_rang"]]
        parts.append(_tidy(values.astype(float), level, year, registry.SOURCE_COMPUTED))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# --------------------------------------------------------------------------------------
# Reading the table
# --------------------------------------------------------------------------------------

def _slice(table: pd.DataFrame, year: int, level: str) -> pd.DataFrame:
    t = table[(pd.to_numeric(table["jaar"], errors="coerce") == int(year))
              & (table["niveau"].astype("string") == level)]
    return t


def priorities(table: pd.DataFrame, year: int, weights: dict[str, float] | None = None,
               level: str = "wijk") -> pd.DataFrame:
    """Rank the areas of one level by need, gaps and cohesion deficit.

    Each criterion is rescaled over the areas to 0 (best area) .. 1 (worst area):
    ``behoefte`` = ``behoefte_index`` (higher is worse), ``gaten`` = ``gaten_aantal``
    (higher is worse), ``cohesietekort`` = 100 - ``cohesie_index`` (higher is worse). All
    areas equal on a criterion get 0. ``bijdrage_<c>`` = 100 * w_c * scaled_c / sum of the
    weights of the criteria the area has; ``prioriteit_score`` is their sum (0-100) and
    ``prioriteit_rang`` 1 = highest score (ties: lower code first).

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    year : int
        Year.
    weights : dict, optional
        ``{"behoefte": w, "gaten": w, "cohesietekort": w}`` (missing keys count 0 when a dict is
        given; default equal weights).
    level : {"wijk", "buurt"}
        Level.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, gebiedsnaam, prioriteit_rang, prioriteit_score, bijdrage_behoefte,
        bijdrage_gaten, bijdrage_cohesietekort, behoefte, gaten, cohesietekort``, sorted by rank.
    """
    if level not in registry.AREA_LEVELS:
        raise ValueError(f"Prioriteiten bestaan voor wijken en buurten, niet voor niveau '{level}'.")
    w = _check_weights(_default_priority_weights() if weights is None else dict(weights),
                       PRIORITY_CRITERIA, "prioriteiten")
    columns = ["gebiedscode", "gebiedsnaam", "prioriteit_rang", "prioriteit_score",
               *[f"bijdrage_{c}" for c in PRIORITY_CRITERIA], *PRIORITY_CRITERIA]
    rows = _slice(table, year, level)
    wide = _wide(rows.assign(niveau=level), level) if len(rows) else pd.DataFrame()
    if len(wide) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
    get = lambda key: wide[key] if key in wide.columns else pd.Series(np.nan, index=wide.index)  # noqa: E731
    crit = pd.DataFrame({"behoefte": get("behoefte_index"), "gaten": get("gaten_aantal"),
                         "cohesietekort": 100.0 - get("cohesie_index")})
    span = crit.max() - crit.min()
    scaled = (crit - crit.min()).div(span.where(span > 0), axis=1)
    scaled = scaled.where(crit.isna() | (span > 0).to_numpy()[None, :], 0.0).where(crit.notna())
    wv = pd.Series(w).reindex(PRIORITY_CRITERIA).fillna(0.0)
    total_w = scaled.notna().mul(wv, axis=1).sum(axis=1)
    contrib = 100.0 * scaled.mul(wv, axis=1).div(total_w.where(total_w > 0), axis=0)
    out = pd.DataFrame(index=wide.index)
    out["prioriteit_score"] = contrib.sum(axis=1, min_count=1).where(total_w > 0)
    for c in PRIORITY_CRITERIA:
        out[f"bijdrage_{c}"] = contrib[c].where(total_w > 0)
    out = out.join(crit)
    out = out.rename_axis("gebiedscode").reset_index()
    out["gebiedscode"] = out["gebiedscode"].astype("string")
    names = rows.drop_duplicates("gebiedscode").set_index("gebiedscode")["gebiedsnaam"] \
        if "gebiedsnaam" in rows.columns else pd.Series(dtype="string")
    out["gebiedsnaam"] = out["gebiedscode"].map(names).astype("string")
    out = out.sort_values(["prioriteit_score", "gebiedscode"], ascending=[False, True], na_position="last",
                          kind="stable")
    scored = out["prioriteit_score"].notna().to_numpy()
    out["prioriteit_rang"] = np.where(scored, np.cumsum(scored), np.nan)
    return out[columns].reset_index(drop=True)


def gap_matrix(table: pd.DataFrame, year: int, level: str = "wijk") -> pd.DataFrame:
    """One row per area, one 0/1 column per component key (``<NA>`` when not measured).

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, gebiedsnaam`` and one nullable-integer column per component of
        :data:`analysis.components.COMPONENT_KEYS`, sorted by code.
    """
    rows = _slice(table, year, level)
    rows = rows[rows["indicator"].astype(str).str.endswith("_gat")]
    codes = _slice(table, year, level)[["gebiedscode", "gebiedsnaam"]].drop_duplicates("gebiedscode")
    out = codes.sort_values("gebiedscode").reset_index(drop=True)
    wide = rows.pivot_table(index="gebiedscode", columns="indicator", values="waarde", aggfunc="first") \
        if len(rows) else pd.DataFrame()
    for key in COMPONENT_KEYS:
        col = f"{key}_gat"
        values = wide[col] if col in wide.columns else pd.Series(dtype=float)
        out[key] = out["gebiedscode"].map(values).round().astype("Int64")
    return out


def change(table: pd.DataFrame, baseline: int, year: int) -> pd.DataFrame:
    """Difference per area and indicator between ``baseline`` and ``year``.

    Only area-indicator pairs present in both years, kerncijfers excluded (they are the same
    figure for every year). ``significant`` is only filled for survey figures with an interval
    in both years: the standard errors are derived from the 95% intervals
    (``(ci_hoog - ci_laag) / (2 * 1.96)``) and the change is significant when
    ``|verschil| / sqrt(se_van^2 + se_tot^2) > 1.96`` (a two-sided z-test at 5%; for shares the
    Wilson interval is treated as symmetric). A suppressed figure in either year gives an empty
    difference.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, indicator, waarde_van, waarde_tot, verschil, significant``
        (``significant`` is a nullable boolean).
    """
    columns = ["gebiedscode", "niveau", "indicator", "soort", "waarde_van", "waarde_tot", "verschil", "significant"]
    t = table.copy()
    t["jaar"] = pd.to_numeric(t["jaar"], errors="coerce")
    keys = ["gebiedscode", "niveau", "indicator"]
    t["soort"] = registry.kinds(t)
    t = t[t["soort"] != registry.IndicatorKind.KERNCIJFER]
    for col in ("ci_laag", "ci_hoog"):
        if col not in t.columns:
            t[col] = np.nan
    a = t[t["jaar"] == int(baseline)][keys + ["soort", "waarde", "ci_laag", "ci_hoog"]]
    b = t[t["jaar"] == int(year)][keys + ["waarde", "ci_laag", "ci_hoog"]]
    merged = a.merge(b, on=keys, suffixes=("_van", "_tot"))
    if len(merged) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    merged["verschil"] = merged["waarde_tot"] - merged["waarde_van"]
    se_a = (merged["ci_hoog_van"] - merged["ci_laag_van"]) / (2 * _Z_95)
    se_b = (merged["ci_hoog_tot"] - merged["ci_laag_tot"]) / (2 * _Z_95)
    se = np.sqrt(se_a ** 2 + se_b ** 2)
    survey = (merged["soort"].astype(str) == registry.IndicatorKind.ENQUETE).to_numpy(bool)
    usable = survey & se.notna() & merged["verschil"].notna()
    z = merged["verschil"].abs() / se.where(se > 0)
    sig = pd.array([pd.NA] * len(merged), dtype="boolean")
    flags = ((z > _Z_95) | ((se == 0) & (merged["verschil"] != 0))).to_numpy(bool)
    sig[usable.to_numpy(bool)] = flags[usable.to_numpy(bool)]
    merged["significant"] = sig
    return merged[columns].reset_index(drop=True)


@dataclass
class SpatialPattern:
    """Moran's I and LISA clusters of one indicator on one level.

    Attributes
    ----------
    moran_i, p_value : float
        Global Moran's I and its permutation p-value.
    lisa : pandas.DataFrame
        ``gebiedscode, waarde, cluster`` (``HH``, ``LL``, ``HL``, ``LH`` or ``ns``) and ``p``
        (permutation p-value, NaN for areas without neighbours); ``attrs`` holds
        ``moran_i`` and ``moran_p``.
    key, level : str
        Indicator and level.
    year, permutations, seed : int
        Year, permutations and seed used.
    islands : list of str
        Areas without neighbours (left out of the statistics, cluster ``ns``).
    """

    moran_i: float
    p_value: float
    lisa: pd.DataFrame
    key: str
    level: str
    year: int
    permutations: int
    seed: int
    islands: list[str] = field(default_factory=list)


def spatial_pattern(table: pd.DataFrame, areas: gpd.GeoDataFrame, key: str, year: int,
                    permutations: int = 999, seed: int = 42, alpha: float = 0.05) -> SpatialPattern:
    """Global Moran's I and LISA clusters with PySAL (esda, libpysal Queen contiguity).

    Areas without a value (missing or suppressed) are left out; areas without any neighbour
    among the rest (islands) are left out of the statistics and reported as ``ns``. Weights
    are row-standardised; p-values come from ``permutations`` conditional permutations with
    a fixed ``seed``. A LISA cluster is reported when its p-value is below ``alpha``.

    Raises
    ------
    ValueError
        With a Dutch message when fewer than 4 areas with a value and a neighbour remain.
    """
    from esda.moran import Moran, Moran_Local
    from libpysal.weights import Queen

    level = str(areas["niveau"].iloc[0]) if len(areas) and "niveau" in areas.columns else "wijk"
    rows = table[(pd.to_numeric(table["jaar"], errors="coerce") == int(year))
                 & (table["indicator"].astype(str) == key) & (table["niveau"].astype(str) == level)]
    values = rows.drop_duplicates("gebiedscode").set_index(rows["gebiedscode"].astype(str).drop_duplicates())["waarde"]
    gdf = areas[["gebiedscode", "geometry"]].copy()
    gdf["gebiedscode"] = gdf["gebiedscode"].astype(str)
    gdf["waarde"] = gdf["gebiedscode"].map(values).astype(float)
    label = registry.REGISTRY[key].label if key in registry.REGISTRY else key
    used = gdf[gdf["waarde"].notna()].reset_index(drop=True)
    islands: list[str] = []
    if len(used) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = Queen.from_dataframe(used, use_index=False)
            if w.islands:
                islands = [str(used["gebiedscode"].iloc[i]) for i in w.islands]
                used = used.drop(index=w.islands).reset_index(drop=True)
                w = Queen.from_dataframe(used, use_index=False) if len(used) >= 2 else w
    if len(used) < 4 or (len(used) and getattr(w, "islands", None)):
        raise ValueError(f"Voor een ruimtelijk patroon van '{label}' zijn minstens 4 aangrenzende gebieden met een "
                         f"waarde nodig; op {level}niveau in {year} zijn er {len(used)}. Kies een ander niveau, jaar "
                         "of indicator.")
    w.transform = "r"
    y = used["waarde"].to_numpy(float)
    state = np.random.get_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda's notices about future defaults and constant lags
        try:
            np.random.seed(seed)
            moran = Moran(y, w, permutations=permutations)
            local = Moran_Local(y, w, permutations=permutations, seed=seed)
        finally:
            np.random.set_state(state)
    quad = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    cluster = np.where(local.p_sim < alpha, pd.Series(local.q).map(quad).to_numpy(), "ns")
    lisa = pd.DataFrame({"gebiedscode": used["gebiedscode"].to_numpy(), "waarde": y,
                         "cluster": cluster, "p": local.p_sim.astype(float)})
    if islands:
        extra = gdf[gdf["gebiedscode"].isin(islands)]
        lisa = pd.concat([lisa, pd.DataFrame({"gebiedscode": extra["gebiedscode"].to_numpy(),
                                              "waarde": extra["waarde"].to_numpy(float), "cluster": "ns",
                                              "p": np.nan})], ignore_index=True)
    lisa["gebiedscode"] = lisa["gebiedscode"].astype("string")
    lisa.attrs["moran_i"] = float(moran.I)
    lisa.attrs["moran_p"] = float(moran.p_sim)
    return SpatialPattern(float(moran.I), float(moran.p_sim), lisa, key, level, int(year), int(permutations),
                          int(seed), islands)


def what_if(ds: Dataset, planned: gpd.GeoDataFrame, year: int, params: IndicatorParams | None = None,
            ) -> pd.DataFrame:
    """The indicator table of ``year`` recomputed with planned facilities added.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset (not changed).
    planned : geopandas.GeoDataFrame
        ``component, naam`` and geometry (EPSG:28992; another CRS is converted). ``component``
        is a place component (``verenigingen`` counts as an association location).
    year : int
        Year to recompute.
    params : IndicatorParams, optional
        As in :func:`compute_indicators`.

    Raises
    ------
    DatasetError
        When a planned row has an unknown component, or no geometry.
    """
    name = "geplande voorzieningen"
    if "component" not in planned.columns:
        raise DatasetError(Finding("fout", name, "de kolom 'component' ontbreekt",
                                   f"geef elke geplande voorziening een component ({', '.join(PLACE_COMPONENT_KEYS)})",
                                   None, "component"))
    plan = planned.to_crs(CRS_RD) if planned.crs is not None and str(planned.crs) != CRS_RD else planned
    plan = plan.set_crs(CRS_RD, allow_override=True) if plan.crs is None else plan
    comp = plan["component"].astype("string").str.strip()
    bad = ~comp.isin(PLACE_COMPONENT_KEYS).fillna(False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DatasetError(Finding("fout", name, f"onbekende component '{comp.iloc[i]}'",
                                   f"kies een van: {', '.join(PLACE_COMPONENT_KEYS)}", i + 1, "component"))
    empty = plan.geometry.isna() | plan.geometry.is_empty
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise DatasetError(Finding("fout", name, "deze geplande voorziening heeft geen locatie",
                                   "teken de voorziening op de kaart of vul coördinaten in", i + 1, "geometry"))
    buurten = ds.buurten[["gebiedscode", "wijkcode", "geometry"]]
    reps = gpd.GeoDataFrame({"i": np.arange(len(plan))}, geometry=plan.geometry.representative_point().values,
                            crs=CRS_RD)
    hit = gpd.sjoin(reps, buurten, how="left", predicate="intersects").drop_duplicates("i").sort_values("i")
    names = plan["naam"].astype("string") if "naam" in plan.columns else pd.Series(
        [f"gepland {i + 1}" for i in range(len(plan))], dtype="string")
    new = gpd.GeoDataFrame({
        "id": [f"gepland-{i + 1}" for i in range(len(plan))], "naam": names.to_numpy(), "component": comp.to_numpy(),
        "soort": "gepland", "capaciteit": np.nan, "bezetting_pct": np.nan, "jaar": int(year),
        "buurtcode": hit["gebiedscode"].to_numpy(), "wijkcode": hit["wijkcode"].to_numpy(), "bron": PLANNED_SOURCE,
    }, geometry=plan.geometry.values, crs=CRS_RD)
    facilities = pd.concat([ds.facilities, new], ignore_index=True) if len(ds.facilities) else new
    changed = dataclasses.replace(ds, facilities=gpd.GeoDataFrame(facilities, geometry="geometry", crs=CRS_RD))
    return compute_indicators(changed, years=[int(year)], params=params)
