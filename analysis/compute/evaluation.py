"""Evaluation of a wijkplan: per plan line what changed and how sure we are; per measure a difference of differences.

Plan lines: the baseline value, every later measurement, the latest value, whether the target is met
(in the indicator's direction) and whether the change since the baseline is larger than its uncertainty
(the same z-test as :func:`analysis.compute.change.change`: for survey figures with intervals in both
years; other figures have no margin and the sentence says so).

Measures: the change in the indicators of the measure's component in its area, from the last measurement
before its start to the latest measurement, against the mean change over the same years in comparable
areas (same level and, when types are given, the same wijktype) without a measure of that component — a
difference of differences. It shows association, not proof: other things changed too, and the comparison
rests on the number of areas it names.

When a measurement counts as before a measure that starts in year ``startjaar``: a survey figure is taken
during its year (the demo's and most municipal surveys in spring), so the survey of the start year counts
as before; a registration figure (facilities, associations, initiatives, coverage) describes the sociale
kaart at the end of its year, so the snapshot of the start year already holds what the measure opened and
counts as after — "before" is the last snapshot of an earlier year.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import registry
from analysis.compute.intervals import Z_95
from analysis.formatting import format_difference, format_value

if TYPE_CHECKING:
    from analysis.model import Dataset

#: Columns of :func:`evaluate_plan`.
PLAN_EVALUATION_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "indicator", "basisjaar", "basiswaarde", "reeks", "laatste_jaar", "laatste_waarde",
    "streefwaarde", "streefjaar", "doel_gehaald", "groter_dan_marge", "tekst",
)
#: Columns of :func:`evaluate_measures`.
MEASURE_EVALUATION_COLUMNS: tuple[str, ...] = (
    "id", "naam", "component", "gebiedscode", "indicator", "van_jaar", "tot_jaar", "verandering",
    "verandering_vergelijking", "verschil_in_verschil", "vergelijkingsgebieden", "tekst",
)
#: The caveat every measure evaluation carries.
CAVEAT = "samenhang, geen bewijs: er veranderde meer dan deze maatregel"
#: Survey outcomes a measure of a component is evaluated on, besides that component's own figures.
COMPONENT_OUTCOMES: dict[str, tuple[str, ...]] = {
    "ontmoeting": ("gebruik_ontmoeting_pct", "cohesie_score", "eenzaam_pct"),
    "verenigingen": ("vrijwilliger_pct", "cohesie_score"),
    "digitaal": ("cohesie_score",),
    "onderwijs": (),
    "zorg": ("informele_hulp_pct", "mantelzorg_pct"),
    "cultuur": ("gebruik_ontmoeting_pct",),
    "sport": ("cohesie_score",),
    "openbare_ruimte": ("veilig_pct", "cohesie_score"),
}


def _series(table: pd.DataFrame, code: str, key: str) -> pd.DataFrame:
    """Year, value and interval of one area and indicator, by year (suppressed values left out)."""
    rows = table[(table["gebiedscode"].astype(str) == str(code)) & (table["indicator"].astype(str) == key)]
    if "onderdrukt" in rows.columns:
        rows = rows[pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0) != 1]
    rows = rows.assign(jaar=pd.to_numeric(rows["jaar"], errors="coerce")).dropna(subset=["jaar", "waarde"])
    keep = [c for c in ("jaar", "waarde", "ci_laag", "ci_hoog") if c in rows.columns]
    return rows[keep].drop_duplicates("jaar").sort_values("jaar").set_index("jaar")


def with_area_figures(table: pd.DataFrame, area_figures: pd.DataFrame | None,
                      reg: registry.Registry | None = None) -> pd.DataFrame:
    """The indicator table plus the kerncijfers of the years it lacks, for a plan line's series.

    A kerncijfers table with a ``jaar`` column (Zwolle's buurtcijfers 2015-2024) describes every year it has,
    while the indicator table holds the measurement years of the survey and the sociale kaart. A target on
    a kerncijfer (inwoners, aandeel 65+) is followed over all of the kerncijfers' years; a figure the table
    already has for an area and year is kept as it is. Kerncijfers have no margin.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    area_figures : pandas.DataFrame or None
        ``Dataset.area_figures`` (:data:`analysis.model.AREA_FIGURE_COLUMNS`).
    reg : Registry, optional
        Which columns are indicators; default the built-in registry.

    Returns
    -------
    pandas.DataFrame
        ``table`` with the extra tidy rows (``onderdrukt`` 0, no interval).
    """
    reg = reg or registry.REGISTRY
    if area_figures is None or len(area_figures) == 0:
        return table
    keys = [c for c in area_figures.columns if c in reg and c not in ("gebiedscode", "niveau", "jaar")]
    tidy = pd.DataFrame(area_figures).melt(id_vars=["gebiedscode", "niveau", "jaar"], value_vars=keys,
                                           var_name="indicator", value_name="waarde")
    tidy["waarde"] = pd.to_numeric(tidy["waarde"], errors="coerce")
    tidy = tidy.dropna(subset=["waarde", "jaar"])
    tidy["jaar"] = tidy["jaar"].astype(int)
    have = pd.MultiIndex.from_arrays([table["gebiedscode"].astype(str), pd.to_numeric(table["jaar"]).astype(int),
                                      table["indicator"].astype(str)])
    new = pd.MultiIndex.from_arrays([tidy["gebiedscode"].astype(str), tidy["jaar"], tidy["indicator"].astype(str)])
    extra = tidy[~new.isin(have)].assign(onderdrukt=0, ci_laag=np.nan, ci_hoog=np.nan)
    return pd.concat([table, extra], ignore_index=True) if len(extra) else table


def measurements(table: pd.DataFrame, code: str, key: str) -> pd.DataFrame:
    """Every measurement of one area and indicator: ``waarde`` (``ci_laag``, ``ci_hoog`` when given) by ``jaar``.

    The series :func:`evaluate_plan` reads (suppressed values left out), for a chart of a plan line.
    """
    return _series(table, code, key)


def _beyond_margin(a: pd.Series, b: pd.Series) -> bool | None:
    """Whether the change from ``a`` to ``b`` is larger than its uncertainty (None: no interval)."""
    try:
        se_a = (float(a["ci_hoog"]) - float(a["ci_laag"])) / (2 * Z_95)
        se_b = (float(b["ci_hoog"]) - float(b["ci_laag"])) / (2 * Z_95)
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(se_a) and math.isfinite(se_b)):
        return None
    se = math.sqrt(se_a ** 2 + se_b ** 2)
    diff = float(b["waarde"]) - float(a["waarde"])
    return bool(abs(diff) > Z_95 * se) if se > 0 else diff != 0


def _target_met(latest: float, target: float, baseline: float, higher: bool | None) -> bool:
    """Met when the latest value reached the target in the direction of the indicator (or of the plan)."""
    up = higher if higher is not None else target >= baseline
    return latest >= target if up else latest <= target


def _sentence(entry: registry.Indicator | None, base: float, latest: float, target: float,
              margin: bool | None, met: bool | None, same_year: bool) -> str:
    unit = entry.unit if entry else None
    if same_year:
        return f"nog geen meting na het basisjaar (basis {format_value(base, unit)}; doel {format_value(target, unit)})"
    was, now = format_value(base, unit), format_value(latest, unit)
    if was == now:  # a change smaller than the shown precision is no rise or fall to a reader
        parts = [f"gelijk gebleven op {now}"]
    else:
        parts = [f"{'gestegen' if latest > base else 'gedaald'} van {was} naar {now}"]
    parts.append({True: "groter dan de marge", False: "binnen de marge", None: "zonder bekende marge"}[margin])
    parts.append(f"doel {format_value(target, unit)} {'gehaald' if met else 'nog niet gehaald'}")
    return "; ".join(parts)


def evaluate_plan(plan: pd.DataFrame, table: pd.DataFrame, reg: registry.Registry | None = None) -> pd.DataFrame:
    """Evaluate every plan line against the indicator table.

    Parameters
    ----------
    plan : pandas.DataFrame
        :data:`analysis.load.wijkplan.PLAN_COLUMNS`.
    table : pandas.DataFrame
        The indicator table (every measured year).
    reg : Registry, optional
        The dataset's registry, for directions and units; default the built-in one.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_EVALUATION_COLUMNS`; ``reeks`` lists ``jaar: waarde`` of every measurement from the
        baseline on, ``tekst`` the plain Dutch sentence ("gestegen van 6,2 naar 6,6; groter dan de marge;
        doel 6,5 gehaald").
    """
    reg = reg or registry.REGISTRY
    rows = []
    for line in pd.DataFrame(plan).itertuples(index=False):
        key, code, base_year = str(line.indicator), str(line.gebiedscode), int(line.basisjaar)
        entry = reg.get(key)
        series = _series(table, code, key)
        later = series[series.index >= base_year]
        record = {"gebiedscode": code, "indicator": key, "basisjaar": base_year, "streefwaarde": float(line.streefwaarde),
                  "streefjaar": int(line.streefjaar), "basiswaarde": np.nan, "reeks": "", "laatste_jaar": pd.NA,
                  "laatste_waarde": np.nan, "doel_gehaald": pd.NA, "groter_dan_marge": pd.NA,
                  "tekst": "geen meting in het basisjaar"}
        if base_year in series.index:
            base, last = series.loc[base_year], later.iloc[-1]
            met = _target_met(float(last["waarde"]), float(line.streefwaarde), float(base["waarde"]),
                              entry.higher_is_better if entry else None)
            margin = _beyond_margin(base, last) if entry and entry.kind is registry.IndicatorKind.ENQUETE else None
            same = int(later.index[-1]) == base_year
            record.update(
                basiswaarde=float(base["waarde"]), laatste_jaar=int(later.index[-1]),
                laatste_waarde=float(last["waarde"]),
                reeks="; ".join(f"{int(y)}: {format_value(v, entry.unit if entry else None)}"
                                for y, v in later["waarde"].items()),
                doel_gehaald=pd.NA if same else met, groter_dan_marge=pd.NA if same or margin is None else margin,
                tekst=_sentence(entry, float(base["waarde"]), float(last["waarde"]), float(line.streefwaarde),
                                margin, met, same))
        rows.append(record)
    out = pd.DataFrame(rows, columns=list(PLAN_EVALUATION_COLUMNS))
    for name in ("doel_gehaald", "groter_dan_marge"):
        out[name] = out[name].astype("boolean")
    return out


def outcome_keys(component: str, table: pd.DataFrame) -> list[str]:
    """The indicators a measure of ``component`` is evaluated on: its coverage and supply, and its survey outcomes."""
    present = set(table["indicator"].astype(str))
    own = [f"{component}_dekking_pct", f"{component}_bereik_per_1000", f"{component}_per_1000_inw",
           f"{component}_afstand_m"]
    return [k for k in (*own, *COMPONENT_OUTCOMES.get(component, ())) if k in present]


def _measured_years(table: pd.DataFrame) -> dict[str, list[int]]:
    """Per indicator key: the years it has a (not suppressed) value in, sorted."""
    rows = table[table["waarde"].notna()]
    if "onderdrukt" in rows.columns:
        rows = rows[pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0) != 1]
    years = pd.to_numeric(rows["jaar"], errors="coerce")
    frame = pd.DataFrame({"key": rows["indicator"].astype(str).to_numpy(), "jaar": years.to_numpy()}).dropna()
    return {str(k): sorted(int(y) for y in g["jaar"].unique()) for k, g in frame.groupby("key")}


def _change_between(table: pd.DataFrame, key: str, start: int, end: int) -> pd.Series:
    """Per area: value in ``end`` minus value in ``start`` (areas measured in both years)."""
    rows = table[table["indicator"].astype(str) == key]
    if "onderdrukt" in rows.columns:
        rows = rows[pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0) != 1]
    years = pd.to_numeric(rows["jaar"], errors="coerce")
    a = rows[years == start].drop_duplicates("gebiedscode").set_index("gebiedscode")["waarde"].astype(float)
    b = rows[years == end].drop_duplicates("gebiedscode").set_index("gebiedscode")["waarde"].astype(float)
    return (b - a).dropna()


def _peers(code: str, component: str, measures: pd.DataFrame, level_of: dict[str, str], type_of: dict[str, str],
           any_type: bool) -> tuple[list[str], bool]:
    """Areas of the same level (and type) without a measure of the component; whether the type was kept."""
    treated = {str(c) for c in measures.loc[measures["component"] == component, "gebiedscode"]}
    same_level = [c for c, lv in level_of.items() if lv == level_of.get(code) and c not in treated]
    same_type = [c for c in same_level if not type_of or type_of.get(c) == type_of.get(code)]
    if same_type or not (type_of and any_type):
        return same_type, True
    return same_level, False


def _did_text(did: float, unit: str | None, n: int, years: tuple[int, int], typed: bool) -> str:
    which = "vergelijkbare gebieden" if typed else ("gebieden van hetzelfde niveau (geen gebied van hetzelfde "
                                                    "wijktype zonder zo'n maatregel)")
    return (f"{format_difference(did, unit)} ten opzichte van {n} {which} ({years[0]}–{years[1]}); {CAVEAT}")


def evaluate_measures(measures: pd.DataFrame, table: pd.DataFrame, types: pd.DataFrame | None = None,
                      level_of: dict[str, str] | None = None, reg: registry.Registry | None = None,
                      any_type: bool = False) -> pd.DataFrame:
    """A difference of differences per measure and outcome indicator.

    Parameters
    ----------
    measures : pandas.DataFrame
        :data:`analysis.load.wijkplan.MEASURE_COLUMNS`.
    table : pandas.DataFrame
        The indicator table (every measured year).
    types : pandas.DataFrame, optional
        :func:`analysis.compute.typology.area_types` of the areas: comparison areas must share the type.
    level_of : dict, optional
        Area code -> level; default read from the table.
    reg : Registry, optional
        The dataset's registry, for units; default the built-in one.
    any_type : bool
        When no area of the measure's type is left to compare with, compare with every area of its level
        instead (the sentence says so); default False: no comparison then.

    Returns
    -------
    pandas.DataFrame
        :data:`MEASURE_EVALUATION_COLUMNS`. ``verschil_in_verschil`` = the area's change minus the mean
        change of the comparison areas, from the indicator's last measurement in or before the start year
        to its latest measurement (each indicator by the years it was measured: facilities are snapshots of
        fewer years than a survey may have); empty (with the reason in ``tekst``) without a measurement
        before the start and after it, or without comparison areas.
    """
    reg = reg or registry.REGISTRY
    measured = _measured_years(table)
    level_of = level_of or dict(zip(table["gebiedscode"].astype(str), table["niveau"].astype(str), strict=False))
    type_of = dict(zip(types["gebiedscode"], types["wijktype"], strict=False)) if types is not None else {}
    frame = pd.DataFrame(measures)
    rows = []
    for m in frame.itertuples(index=False):
        code, start = str(m.gebiedscode), int(m.startjaar)
        peers, typed = _peers(code, m.component, frame, level_of, type_of, any_type)
        for key in outcome_keys(str(m.component), table):
            record = {"id": m.id, "naam": m.naam, "component": m.component, "gebiedscode": code, "indicator": key,
                      "van_jaar": pd.NA, "tot_jaar": pd.NA, "verandering": np.nan, "verandering_vergelijking": np.nan,
                      "verschil_in_verschil": np.nan, "vergelijkingsgebieden": 0}
            # survey: taken during the year; registration: a snapshot at the year's end (module docstring)
            last_before = start if reg.is_survey(key) else start - 1
            before = [y for y in measured.get(key, []) if y <= last_before]
            after = [y for y in measured.get(key, []) if y > last_before]
            if not before or not after:
                record["tekst"] = "geen meting van voor en na de start"
                rows.append(record)
                continue
            change = _change_between(table, key, before[-1], after[-1])
            reference = change.reindex([p for p in peers if p in change.index]).dropna()
            record.update(van_jaar=before[-1], tot_jaar=after[-1], vergelijkingsgebieden=int(len(reference)),
                          verandering=float(change.get(code, np.nan)))
            if len(reference) == 0 or math.isnan(record["verandering"]):
                record["tekst"] = "geen vergelijkbare gebieden zonder zo'n maatregel" if len(reference) == 0 \
                    else "geen cijfer voor dit gebied in beide jaren"
            else:
                did = record["verandering"] - float(reference.mean())
                record.update(verandering_vergelijking=float(reference.mean()), verschil_in_verschil=did,
                              tekst=_did_text(did, reg[key].unit if key in reg else None, len(reference),
                                              (before[-1], after[-1]), typed))
            rows.append(record)
    return pd.DataFrame(rows, columns=list(MEASURE_EVALUATION_COLUMNS))


def evaluate_dataset(ds: Dataset, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluation of a dataset's wijkplan: its plan lines and its measures, each with the indicator's unit.

    Measures are compared with areas of the same level and wijktype (:func:`analysis.compute.typology.area_types`
    of the buurten and wijken), or with every area of the level when no area of that type is left
    (``any_type``; the sentence says which).

    Parameters
    ----------
    ds : Dataset
        The dataset (``ds.plan``, ``ds.measures``; either may be empty).
    table : pandas.DataFrame
        Its indicator table of every measured year (:func:`analysis.compute.indicators.compute_indicators`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        :data:`PLAN_EVALUATION_COLUMNS` and :data:`MEASURE_EVALUATION_COLUMNS`, each followed by ``eenheid``.
    """
    from analysis.compute.typology import area_types

    reg = ds.registry
    types = pd.concat([area_types(ds.buurten, ds.addresses), area_types(ds.wijken, ds.addresses)], ignore_index=True)
    plan = evaluate_plan(ds.plan, with_area_figures(table, ds.area_figures, reg), reg)
    measures = evaluate_measures(ds.measures, table, types, reg=reg, any_type=True)
    for frame in (plan, measures):
        frame["eenheid"] = [reg[k].unit if k in reg else None for k in frame["indicator"].astype(str)]
    return plan, measures
