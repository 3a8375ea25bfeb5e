"""The tidy indicator table: supply, proximity, network, digital, survey, monitor and kerncijfers per area and year."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import FACILITY_COMPONENT_KEYS
from analysis.compute.indexes import NEED_COLUMNS, derived_rows, drop_incomplete, incomplete_years
from analysis.compute.informal import has_initiatives, initiative_rows
from analysis.compute.network import network_indicators
from analysis.compute.priorities import priority_rows
from analysis.compute.proximity import proximity_indicators, resident_points
from analysis.compute.survey import survey_indicators
from analysis.compute.tables import per_1000, tidy, wide
from analysis.model import LEVELS
from analysis.params import IndicatorParams

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Columns of the indicator table (and of its CSV export), in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "niveau", "jaar", "indicator", "waarde", "eenheid",
    "n", "ci_laag", "ci_hoog", "onderdrukt", "bron", "soort",
)
_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def _area_info(ds: Dataset, year: int | None = None) -> dict[str, pd.DataFrame]:
    """Per level: ``gebiedsnaam, inwoners`` (+ need and kerncijfer columns) indexed by code; with ``year``, that
    year's kerncijfers (:meth:`Dataset.areas_in_year`: every year's rates use that year's population)."""
    out = {}
    for level in LEVELS:
        frame = ds.areas(level) if year is None else ds.areas_in_year(level, year)
        areas = pd.DataFrame(frame).drop(columns="geometry", errors="ignore")
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


# --------------------------------------------------------------------------------------
# Source blocks (one year)
# --------------------------------------------------------------------------------------

def _facility_counts(ds: Dataset, year: int) -> pd.DataFrame:
    """Per buurt: ``<c>_n`` and ``<c>_cap`` (summed known capacity) of the year's facilities."""
    fac = pd.DataFrame(ds.rows_of_year(ds.facilities, year)).drop(columns="geometry", errors="ignore")
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
    """Supply rows per level plus the facility counts of ``verenigingen`` (for the network block).

    Rates per 1,000 inhabitants for every area; :func:`_unpublished_rates` empties those of areas
    below the publication minimum afterwards.
    """
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
            values[f"{c}_per_1000_inw"] = per_1000(n, inw)
            if c in with_capacity:  # an area without facilities has capacity 0
                cap = frame[f"{c}_cap"].where(n > 0, 0.0)
                values[f"{c}_capaciteit_per_1000_inw"] = per_1000(cap, inw)
        if values:
            parts.append(tidy(pd.DataFrame(values), level, year))
    return parts, assoc_fac


def _association_block(network: pd.DataFrame, assoc_fac: dict[str, pd.Series], year: int,
                       info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """Network rows of the year, with facility rows tagged ``verenigingen`` added to the counts."""
    rows = network[network["jaar"] == year] if len(network) else network
    parts = []
    for level in info:
        values = wide(rows, level) if len(rows) else pd.DataFrame()
        extra = assoc_fac.get(level)
        if extra is None and values.empty:
            continue
        values = values.reindex(info[level].index)
        if extra is not None:
            base = values["verenigingen_aantal"].fillna(0.0) if "verenigingen_aantal" in values.columns \
                else pd.Series(0.0, index=values.index)
            values["verenigingen_aantal"] = base + extra.reindex(values.index).fillna(0.0)
            values["verenigingen_per_1000_inw"] = per_1000(values["verenigingen_aantal"], info[level]["inwoners"])
        parts.append(tidy(values, level, year))
    return parts


def _digital_block(ds: Dataset, year: int, info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """``digitaal_aantal`` and ``digitaal_actief_per_1000_inw`` per level.

    Figures given for an area are used as given; other wijken and the gemeente get the sum
    of their buurten (and of the wijken). Platforms are counted once per area.
    """
    dig = pd.DataFrame(ds.rows_of_year(ds.digital, year))
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
            "digitaal_actief_per_1000_inw": per_1000(users[level], info[level]["inwoners"]),
        })
        parts.append(tidy(values, level, year))
    return parts


def _initiative_block(ds: Dataset, year: int, info: dict[str, pd.DataFrame],
                      params: IndicatorParams) -> list[pd.DataFrame]:
    """``initiatieven_aantal`` and ``initiatieven_per_1000_inw`` per level; nothing without a list of initiatives.

    The rate follows the publication minimum like every rate of the table (``params.min_inhabitants_publish``);
    the cohesion index applies the comparison minimum (``params.min_inhabitants``) itself.
    """
    if not has_initiatives(ds):
        return []
    latest = max(ds.years())
    rows = initiative_rows(pd.DataFrame(ds.initiatives), info, year, latest, params.min_inhabitants_publish)
    return [rows] if len(rows) else []


def _kerncijfer_block(year: int, info: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    keys = registry.REGISTRY.keys_of(registry.IndicatorKind.KERNCIJFER)
    parts = []
    for level, areas in info.items():
        cols = [k for k in keys if k in areas.columns and pd.to_numeric(areas[k], errors="coerce").notna().any()]
        if cols:
            parts.append(tidy(areas[cols].apply(pd.to_numeric, errors="coerce"), level, year, registry.SOURCE_CBS))
    return parts


def _monitor_block(ds: Dataset, years: list[int], threshold: int) -> pd.DataFrame:
    """Monitor figures (``ds.area_survey``) of the years: n stays empty when unknown, bron = the file."""
    mon = pd.DataFrame(ds.area_survey)
    if len(mon) == 0:
        return pd.DataFrame()
    mon = mon.assign(jaar=pd.to_numeric(mon["jaar"], errors="coerce").fillna(int(ds.year)))  # the one year rule
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
    dtypes: dict[str, str | type] = {"gebiedscode": "string", "gebiedsnaam": "string", "niveau": "string", "jaar": "int64",
              "indicator": "string", "waarde": float, "eenheid": "string", "n": "Int64",
              "ci_laag": float, "ci_hoog": float, "onderdrukt": "int64", "bron": "string",
              "soort": "string"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in TABLE_COLUMNS})


def _unpublished_rates(base: pd.DataFrame, info: dict[str, pd.DataFrame], params: IndicatorParams) -> pd.DataFrame:
    """Empty every rate per 1,000 inhabitants of an area below ``params.min_inhabitants_publish`` (CBS: 50).

    The rows stay (the area is not silently dropped), their value becomes NaN.
    """
    if params.min_inhabitants_publish <= 0 or len(base) == 0:
        return base
    inw = pd.concat([a["inwoners"] for a in info.values()]) if info else pd.Series(dtype=float)
    inw = inw[~inw.index.duplicated()]
    small = set(inw.index[(inw < params.min_inhabitants_publish).fillna(False).to_numpy(bool)].astype(str))
    if not small:
        return base
    rate = base["indicator"].astype(str).str.endswith("_per_1000_inw").to_numpy(bool)
    hide = rate & base["gebiedscode"].astype(str).isin(small).to_numpy(bool)
    out = base.copy()
    out.loc[hide, "waarde"] = np.nan
    return out


def _sources(ds: Dataset, years: list[int], params: IndicatorParams) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Network, survey and monitor rows of all years (a respondent figure wins over a monitor figure)."""
    network = network_indicators(ds, years, params)
    survey = survey_indicators(ds, years, params.threshold)
    survey = survey.assign(bron=survey["bron"].fillna(registry.SOURCE_SURVEY)) if len(survey) else survey
    monitor = _monitor_block(ds, years, params.threshold)
    if len(monitor) and len(survey):
        have = pd.MultiIndex.from_frame(survey[["gebiedscode", "niveau", "jaar", "indicator"]].astype(str))
        mine = pd.MultiIndex.from_frame(monitor[["gebiedscode", "niveau", "jaar", "indicator"]].astype(str))
        monitor = monitor[~mine.isin(have)]
    return network, survey, monitor


def _year_base(ds: Dataset, year: int, info: dict[str, pd.DataFrame], sources: tuple[pd.DataFrame, ...],
               points: pd.DataFrame, params: IndicatorParams) -> pd.DataFrame:
    """Every measured (not derived) row of one year."""
    network, survey, monitor = sources
    supply, assoc_fac = _supply_block(ds, year, info)
    parts = supply + _association_block(network, assoc_fac, year, info) + _digital_block(ds, year, info)
    parts += _initiative_block(ds, year, info, params)
    parts.append(proximity_indicators(ds, year, params.norms_m, points=points))
    for frame in (survey, monitor):
        if len(frame):
            parts.append(frame[frame["jaar"] == year])
    parts += _kerncijfer_block(year, info)
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["gebiedscode", "niveau", "jaar", "indicator", "waarde"])
    base = pd.concat(parts, ignore_index=True)
    base["gebiedscode"] = base["gebiedscode"].astype("string")
    return _unpublished_rates(base, info, params)


def _year_tables(ds: Dataset, years: list[int], info: dict[str, pd.DataFrame], sources: tuple[pd.DataFrame, ...],
                 points: pd.DataFrame, params: IndicatorParams,
                 report: Callable[[float, str], None]) -> list[tuple[int, pd.DataFrame, pd.DataFrame, dict]]:
    """Per year with rows: ``(year, measured and suppressed rows, derived rows, that year's area info)``."""
    out = []
    for i, year in enumerate(years):
        share = 0.35 + 0.6 * i / len(years)
        report(share, f"Jaar {year}: aanbod en nabijheid")
        year_info = _area_info(ds, year) if len(ds.area_figures) else info
        base = _year_base(ds, year, year_info, sources, points, params)
        if len(base) == 0:
            continue
        report(share + 0.3 / len(years), f"Jaar {year}: cohesie-index, tekorten en prioriteiten")
        derived = pd.concat(derived_rows(base, year, year_info, params) or [pd.DataFrame()], ignore_index=True)
        hidden_parts = _suppressed_enquete_rows(base, derived)  # before ``derived``: its row wins
        out.append((year, pd.concat([base, hidden_parts], ignore_index=True), derived, year_info))
    return out


def _ranked(tables: list[tuple[int, pd.DataFrame, pd.DataFrame, dict]], params: IndicatorParams) -> list[pd.DataFrame]:
    """Every year's rows with its priorities; composites of incomplete years left out (:func:`incomplete_years`).

    A level-year whose cohesion index or gap summary would rest on fewer parts than the other years
    gets neither that composite nor a priority ranking (the ranking reads both).
    """
    every = [frame for _, measured, derived, _ in tables for frame in (measured, derived) if len(frame)]
    incomplete = incomplete_years(pd.concat(every, ignore_index=True)) if every else {}
    out = []
    for year, measured, derived, year_info in tables:
        year_table = pd.concat([measured, drop_incomplete(derived, incomplete)], ignore_index=True)
        levels = tuple(lv for lv in registry.AREA_LEVELS if lv in year_info
                       and not any((lv, year, kind) in incomplete for kind in ("cohesie_index", "gaten_score")))
        ranks = priority_rows(year_table, year, params, levels)
        out.append(pd.concat([year_table, ranks], ignore_index=True))
    return out


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
    - ``initiatieven_aantal``, ``initiatieven_per_1000_inw``: active initiatives, only with a list of them;
    - proximity (:func:`analysis.compute.proximity.proximity_indicators`);
    - survey figures from respondents (:func:`analysis.compute.survey.survey_indicators`, with n,
      interval and suppression) and monitor figures (``ds.area_survey``; n empty when the monitor gives
      none, ``bron`` = the monitor file; a respondent figure wins over a monitor figure for the same area,
      year and key; with a known n below the threshold it is suppressed);
    - kerncijfers (inwoners, huishoudens, p_65_eo, p_eenpersoons_hh, p_laag_inkomen where known);
    - derived (:func:`analysis.compute.indexes.derived_rows`): ``<c>_gat``, ``gaten_aantal``,
      ``gaten_score``, ``gaten_inwoners``; for buurten and wijken ``cohesie_index`` with
      ``cohesie_deel_*``, ``behoefte_index``, ``dubbele_achterstand``, ``prioriteit_score`` and
      ``prioriteit_rang`` (:func:`analysis.compute.priorities.priorities`). A year whose index or gap
      summary would rest on fewer parts than another year of the same level (a survey year without a
      facility snapshot) gets no index, gap summary or ranking on that level: its parts stay in the
      table and :func:`analysis.compute.indexes.incomplete_years` names what is missing (the reasons
      are in that function's docstring).

    Every rate per 1,000 inhabitants of an area below ``params.min_inhabitants_publish`` is empty.
    Every year follows the one year rule (:func:`analysis.model.belongs_to_year`).

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset (only buurten are required).
    years : iterable of int, optional
        Years to compute; default :meth:`Dataset.years`.
    params : IndicatorParams, optional
        The session's parameters; default :class:`IndicatorParams()`.
    levels : iterable of str
        Levels to return (everything is computed on all levels; the index needs them).
    progress : callable, optional
        ``progress(fraction, message)`` with a Dutch message, called as work proceeds.

    Returns
    -------
    pandas.DataFrame
        :data:`TABLE_COLUMNS`; every ``indicator`` is a key of the dataset's registry.
        ``onderdrukt`` = 1 rows have empty ``waarde`` and interval.
    """
    params = params or IndicatorParams()
    report = progress or (lambda fraction, message: None)
    levels = list(levels)
    for lv in levels:
        if lv not in LEVELS:
            raise ValueError(f"Onbekend niveau '{lv}'. Kies buurt, wijk of gemeente.")
    years = sorted({int(y) for y in (ds.years() if years is None else years)})
    info = _area_info(ds)
    if "buurt" not in info or not years:
        return empty_table()
    report(0.0, "Inwoners over het gebied verdelen")
    points = resident_points(ds)
    report(0.1, "Verenigingen, netwerk en bewonersenquête")
    sources = _sources(ds, years, params)
    out = _ranked(_year_tables(ds, years, info, sources, points, params, report), params)
    report(0.97, "Tabel afronden")
    table = _finish(pd.concat(out, ignore_index=True) if out else pd.DataFrame(), info, ds.registry)
    table = table[table["niveau"].isin(levels)].reset_index(drop=True)
    report(1.0, "Klaar")
    return table
