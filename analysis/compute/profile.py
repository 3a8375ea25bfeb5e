"""The wijkprofiel: one model of a wijk's figures, comparisons and plain-Dutch findings, for the app and the PNG."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import COMPONENTS, MPL_MARKERS
from analysis.compute import network
from analysis.model import Dataset
from analysis.formatting import format_value

#: Minimum standardised difference (in standard deviations of the wijk figures) for a strength or weakness.
MIN_STANDARDISED_DIFFERENCE = 0.5
#: Number of strengths and of weaknesses listed.
TOP_FINDINGS = 3
#: Registry groups that never yield a strength or weakness (context, flags, rankings, composite parts).
_EXCLUDED_KINDS = frozenset({registry.IndicatorKind.KERNCIJFER, registry.IndicatorKind.GAT,
                             registry.IndicatorKind.PRIORITEIT})
#: Units that never yield a strength or weakness: absolute counts depend on the wijk's size.
_EXCLUDED_UNITS = frozenset({registry.UNIT_COUNT, registry.UNIT_FLAG, registry.UNIT_RANK})
#: Cohesion index keys (the index first, then its parts).
COHESION_KEYS: tuple[str, ...] = (
    "cohesie_index", "cohesie_deel_enquete", "cohesie_deel_participatie", "cohesie_deel_netwerk",
    "cohesie_deel_toegang",
)
#: Network summary keys, in display order.
NETWORK_KEYS: tuple[str, ...] = network.NETWORK_INDICATORS
#: Key figures (area columns of the model), in display order, with Dutch labels for the
#: ones the registry does not hold.
KEY_FIGURES: tuple[str, ...] = (
    "inwoners", "huishoudens", "dichtheid_km2", "p_00_14", "p_65_eo", "p_eenpersoons_hh",
    "p_laag_inkomen", "buurten_aantal", "respondenten_aantal",
)
_KEY_FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "dichtheid_km2": ("Inwoners per km² land", "per km²"),
    "p_00_14": ("0 tot 15 jaar", registry.UNIT_PCT),
    "buurten_aantal": ("Buurten", registry.UNIT_COUNT),
}

#: Columns of :attr:`WijkProfile.components`.
COMPONENT_COLUMNS: tuple[str, ...] = (
    "component", "label", "kleur", "marker", "mpl_marker", "aantal", "aantal_gemeente",
    "per_1000_inw", "per_1000_inw_gemeente", "afstand_m", "afstand_m_gemeente", "dekking_pct",
    "dekking_pct_gemeente", "loopnorm_m", "doel_pct", "gat", "tekort",
)
#: Columns of the comparison frames (key figures, cohesion, network).
FIGURE_COLUMNS: tuple[str, ...] = ("indicator", "label", "eenheid", "waarde", "gemeente")
#: Columns of :attr:`WijkProfile.survey`.
SURVEY_COLUMNS: tuple[str, ...] = (
    "indicator", "label", "eenheid", "waarde", "ci_laag", "ci_hoog", "n", "onderdrukt", "gemeente",
)
#: Columns of :attr:`WijkProfile.change`.
CHANGE_COLUMNS: tuple[str, ...] = (
    "indicator", "label", "eenheid", "basis", "waarde", "verschil", "enquete", "significant",
)


@dataclass(frozen=True)
class Statement:
    """One generated strength or weakness.

    Attributes
    ----------
    indicator : str
        Registry key.
    text : str
        The sentence in plain Dutch.
    waarde, gemeente : float
        The wijk's figure and the gemeente's.
    standardised_difference : float
        ``(waarde - gemeente) / sd`` over the wijken, signed so that positive is better.
    """

    indicator: str
    text: str
    waarde: float
    gemeente: float
    standardised_difference: float


@dataclass
class WijkProfile:
    """Everything the Wijkprofiel page and the PNG show about one wijk in one year.

    Attributes
    ----------
    code, name : str
        ``gebiedscode`` and ``gebiedsnaam`` of the wijk.
    gemeente, gemeente_code : str
        Name and GM code of the municipality.
    year : int
        Measurement year shown.
    baseline_year : int or None
        Year the change is measured from (None when there is no earlier year).
    is_demo : bool
        True for the fictional demo municipality.
    dataset_name : str
        Name of the dataset.
    key_figures : pandas.DataFrame
        :data:`FIGURE_COLUMNS`: inhabitants, households, age and household shares.
    components : pandas.DataFrame
        :data:`COMPONENT_COLUMNS`, one row per component (the order of ``analysis.components``).
    cohesion : pandas.DataFrame
        :data:`FIGURE_COLUMNS`: the cohesion index first, then its parts (only those present).
    survey : pandas.DataFrame
        :data:`SURVEY_COLUMNS`: survey figures with interval and n. A suppressed figure has
        ``onderdrukt`` True and no value or interval.
    network : pandas.DataFrame
        :data:`FIGURE_COLUMNS`: the network summary of the wijk.
    connectors : pandas.DataFrame
        The wijk's key connectors (``network.CONNECTOR_COLUMNS``).
    strengths, weaknesses : list of Statement
        Generated from the registry's directions by comparing the wijk with the gemeente.
    change : pandas.DataFrame
        :data:`CHANGE_COLUMNS`: the change since :attr:`baseline_year`; ``significant`` is
        True/False for survey figures with intervals in both years, NA otherwise.
    priority_rank, priority_score : float
        From the indicator table (NaN when absent); ``priority_total`` = ranked wijken.
    sources : list of str
        Sources and licences of the data behind the profile, in Dutch.
    """

    code: str
    name: str
    gemeente: str
    gemeente_code: str
    year: int
    baseline_year: int | None
    is_demo: bool
    dataset_name: str
    key_figures: pd.DataFrame
    components: pd.DataFrame
    cohesion: pd.DataFrame
    survey: pd.DataFrame
    network: pd.DataFrame
    connectors: pd.DataFrame
    strengths: list[Statement] = field(default_factory=list)
    weaknesses: list[Statement] = field(default_factory=list)
    change: pd.DataFrame = field(default_factory=lambda: _empty(CHANGE_COLUMNS))
    priority_rank: float = math.nan
    priority_score: float = math.nan
    priority_total: int = 0
    sources: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """``Naam (WK000000)``."""
        return f"{self.name} ({self.code})"


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _entry(key: str, reg: registry.Registry = registry.REGISTRY) -> registry.Indicator | None:
    return reg.get(str(key))


def _label(key: str, reg: registry.Registry = registry.REGISTRY) -> str:
    entry = _entry(key, reg)
    if entry is not None:
        return entry.label
    return _KEY_FIGURE_LABELS.get(key, (key, ""))[0]


def _unit(key: str, reg: registry.Registry = registry.REGISTRY) -> str:
    entry = _entry(key, reg)
    if entry is not None:
        return entry.unit
    return _KEY_FIGURE_LABELS.get(key, ("", registry.UNIT_VALUE))[1]


def _is_survey(rows: pd.DataFrame) -> pd.Series:
    """Which rows of an indicator table are survey figures (by the table's ``soort``)."""
    return registry.kinds(rows) == registry.IndicatorKind.ENQUETE


def _rows(table: pd.DataFrame, level: str, year: int, code: str | None = None) -> pd.DataFrame:
    """Rows of one level and year (and one area), with numeric value columns."""
    mask = (table["niveau"].astype("string") == level) & (pd.to_numeric(table["jaar"], errors="coerce") == year)
    if code is not None:
        mask &= table["gebiedscode"].astype("string") == str(code)
    rows = table[mask.fillna(False).to_numpy(bool)].copy()
    for column in ("waarde", "n", "ci_laag", "ci_hoog"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce") if column in rows.columns else np.nan
    rows["onderdrukt"] = (pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0).astype(int) == 1) \
        if "onderdrukt" in rows.columns else False
    rows["indicator"] = rows["indicator"].astype(str)
    rows.loc[rows["onderdrukt"], ["waarde", "ci_laag", "ci_hoog"]] = np.nan
    return rows


def _values(rows: pd.DataFrame) -> pd.Series:
    """``indicator -> waarde`` of one area's rows (first row per key)."""
    return rows.drop_duplicates("indicator").set_index("indicator")["waarde"]


def _area_row(ds: Dataset, level: str, code: str) -> pd.Series | None:
    areas = ds.areas(level)
    match = areas[areas["gebiedscode"].astype("string") == str(code)]
    return None if match.empty else match.iloc[0]


def _gemeente_code(ds: Dataset) -> str:
    if len(ds.gemeente):
        return str(ds.gemeente["gebiedscode"].iloc[0])
    return str(ds.gemeente_code)


def _area_figures(ds: Dataset, level: str, code: str) -> dict[str, float]:
    """Key figures of one area from the area frames."""
    row = _area_row(ds, level, code)
    if row is None:
        return {}
    number = lambda column: float(pd.to_numeric(row.get(column), errors="coerce"))  # noqa: E731
    out = {c: number(c) for c in ("inwoners", "huishoudens", "p_00_14", "p_65_eo", "p_eenpersoons_hh",
                                  "p_laag_inkomen")}
    area_ha = number("opp_land_ha")
    out["dichtheid_km2"] = out["inwoners"] / (area_ha / 100.0) if area_ha > 0 else math.nan
    if level == "wijk":
        out["buurten_aantal"] = float((ds.buurten["wijkcode"].astype("string") == str(code)).sum())
    else:
        out["buurten_aantal"] = float(len(ds.buurten))
    return out


def latest_year(table: pd.DataFrame, code: str) -> int | None:
    """The latest year with rows for area ``code`` in the indicator table."""
    years = pd.to_numeric(table.loc[table["gebiedscode"].astype("string") == str(code), "jaar"],
                          errors="coerce").dropna()
    return int(years.max()) if len(years) else None


def network_for_year(ds: Dataset, year: int) -> tuple[nx.Graph, pd.DataFrame]:
    """The association network of one year and its metrics.

    Uses the associations and ties whose ``jaar`` equals ``year`` (as the network
    indicators do).

    Returns
    -------
    (networkx.Graph, pandas.DataFrame)
        The graph from :func:`network.build_graph` and :func:`network.association_metrics`.
    """
    assoc = ds.associations
    ties = ds.ties
    a_year = pd.to_numeric(assoc["jaar"], errors="coerce") == year if len(assoc) else pd.Series(dtype=bool)
    t_year = pd.to_numeric(ties["jaar"], errors="coerce") == year if len(ties) else pd.Series(dtype=bool)
    graph = network.build_graph(assoc[a_year.to_numpy(bool)], ties[t_year.to_numpy(bool)])
    if graph.number_of_nodes() == 0:
        return graph, pd.DataFrame({c: pd.Series(dtype="object") for c in network.METRIC_COLUMNS})
    return graph, network.association_metrics(graph, seed=42)


# --------------------------------------------------------------------------------------
# Parts of the profile
# --------------------------------------------------------------------------------------

def _comparison(keys: Iterable[str], wijk: pd.Series, gemeente: pd.Series,
                keep_missing: bool = False) -> pd.DataFrame:
    rows = []
    for key in keys:
        value = float(wijk.get(key, math.nan))
        if not keep_missing and key not in wijk.index:
            continue
        reference = float(gemeente.get(key, math.nan))
        if math.isnan(reference) and _unit(key) == registry.UNIT_INDEX:
            reference = 100.0  # an index is 100 for the gemeente by definition
        rows.append({"indicator": key, "label": _label(key), "eenheid": _unit(key), "waarde": value,
                     "gemeente": reference})
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS)).astype(
        {"waarde": float, "gemeente": float})


def _component_frame(wijk: pd.Series, gemeente: pd.Series) -> pd.DataFrame:
    rows = []
    for c in COMPONENTS:
        per_1000 = "digitaal_actief_per_1000_inw" if c.key == "digitaal" else f"{c.key}_per_1000_inw"
        get = lambda s, k: float(s.get(k, math.nan))  # noqa: E731
        rows.append({
            "component": c.key, "label": c.label, "kleur": c.colour, "marker": c.marker,
            "mpl_marker": MPL_MARKERS[c.marker],
            "aantal": get(wijk, f"{c.key}_aantal"), "aantal_gemeente": get(gemeente, f"{c.key}_aantal"),
            "per_1000_inw": get(wijk, per_1000), "per_1000_inw_gemeente": get(gemeente, per_1000),
            "afstand_m": get(wijk, f"{c.key}_afstand_m"), "afstand_m_gemeente": get(gemeente, f"{c.key}_afstand_m"),
            "dekking_pct": get(wijk, f"{c.key}_dekking_pct"),
            "dekking_pct_gemeente": get(gemeente, f"{c.key}_dekking_pct"),
            "loopnorm_m": float(c.walk_norm_m) if c.walk_norm_m is not None else math.nan,
            "doel_pct": float(c.target_pct) if c.walk_norm_m is not None else math.nan,
            "gat": get(wijk, f"{c.key}_gat"),
        })
    frame = pd.DataFrame(rows, columns=list(COMPONENT_COLUMNS))
    frame["tekort"] = gap_text(frame)
    return frame


def gap_text(components: pd.DataFrame) -> pd.Series:
    """Why a component has a gap, in words: ``tekort: bereik`` or ``tekort: aanbod``.

    A gap is either too few residents within the walking norm (coverage below the target share)
    or too little supply per 1,000 inhabitants against the gemeente; saying which keeps a
    coverage of 100% next to "tekort" from looking like a contradiction.

    Parameters
    ----------
    components : pandas.DataFrame
        Columns ``gat``, ``dekking_pct`` and ``doel_pct`` (:data:`COMPONENT_COLUMNS`).

    Returns
    -------
    pandas.Series
        ``"tekort: bereik"``, ``"tekort: aanbod"``, ``""`` (no gap) or ``"–"`` (unknown).
    """
    gap = pd.to_numeric(components["gat"], errors="coerce")
    short_reach = pd.to_numeric(components["dekking_pct"], errors="coerce") < pd.to_numeric(
        components["doel_pct"], errors="coerce")
    text = np.where(gap == 1, np.where(short_reach, "tekort: bereik", "tekort: aanbod"),
                    np.where(gap == 0, "", "–"))
    return pd.Series(text, index=components.index, dtype=object)


def _survey_frame(rows: pd.DataFrame, gemeente: pd.Series, reg: registry.Registry) -> pd.DataFrame:
    survey = rows[_is_survey(rows) & (rows["indicator"] != "respondenten_aantal")]
    survey = survey.drop_duplicates("indicator")
    order = {k: i for i, k in enumerate(reg)}
    survey = survey.assign(_order=survey["indicator"].map(order)).sort_values("_order", kind="stable")
    frame = pd.DataFrame({
        "indicator": survey["indicator"].to_numpy(),
        "label": survey["indicator"].map(lambda k: _label(k, reg)).to_numpy(),
        "eenheid": survey["indicator"].map(lambda k: _unit(k, reg)).to_numpy(),
        "waarde": survey["waarde"].to_numpy(float),
        "ci_laag": survey["ci_laag"].to_numpy(float),
        "ci_hoog": survey["ci_hoog"].to_numpy(float),
        "n": survey["n"].to_numpy(float),
        "onderdrukt": survey["onderdrukt"].to_numpy(bool),
        "gemeente": survey["indicator"].map(lambda k: float(gemeente.get(k, math.nan))).to_numpy(float),
    }, columns=list(SURVEY_COLUMNS))
    return frame.reset_index(drop=True)


def _theme(key: str) -> str:
    """Indicators of one theme yield at most one strength or weakness."""
    for c in COMPONENTS:
        if key.startswith(c.key + "_"):
            return c.key
    if key == "leden_per_1000_inw":
        return "verenigingen"
    return key.removeprefix("zeer_")


def _phrase(key: str, higher: bool, value: float, reference: float, gemeente: str) -> str:
    unit = _unit(key)
    if unit == registry.UNIT_METRE:
        word = "langer" if higher else "korter"
    else:
        word = "hoger" if higher else "lager"
    return (f"{_label(key)} — {word} dan gemiddeld in {gemeente} "
            f"({format_value(value, unit)} tegen {format_value(reference, unit)})")


def strengths_weaknesses(table: pd.DataFrame, code: str, year: int, gemeente_name: str,
                         gemeente_code: str | None = None, top: int = TOP_FINDINGS,
                         min_difference: float = MIN_STANDARDISED_DIFFERENCE,
                         ) -> tuple[list[Statement], list[Statement]]:
    """Strengths and weaknesses of a wijk, generated from the registry's directions.

    For every indicator with a direction (``higher_is_better`` not None) that is not a
    count, flag, rank, key figure or priority figure, the wijk's value is compared with
    the gemeente's figure (for an index: 100, its definition of average). The
    difference is standardised by the standard deviation of the figure over all wijken
    that year and signed by the direction, so positive is better. A survey figure with
    an interval only counts when the gemeente figure lies outside the wijk's 95%
    interval. Per theme (a component, or one survey subject) only the largest counts.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy indicator table.
    code : str
        The wijk's code.
    year : int
        The year.
    gemeente_name : str
        Used in the sentences ("... dan gemiddeld in <gemeente>").
    gemeente_code : str, optional
        The gemeente's code in the table; default the one gemeente row of that year.
    top : int
        At most this many strengths and this many weaknesses.
    min_difference : float
        Minimum standardised difference.

    Returns
    -------
    (list of Statement, list of Statement)
        Strengths (best first) and weaknesses (worst first).
    """
    wijken = _rows(table, "wijk", year)
    if wijken.empty:
        return [], []
    wide = wijken.drop_duplicates(["gebiedscode", "indicator"]).pivot(
        index="gebiedscode", columns="indicator", values="waarde")
    wide.index = wide.index.astype(str)
    if str(code) not in wide.index:
        return [], []
    gem_rows = _rows(table, "gemeente", year, gemeente_code)
    gem_values = _values(gem_rows)
    own = wijken[wijken["gebiedscode"].astype(str) == str(code)].drop_duplicates("indicator").set_index("indicator")

    candidates = []
    for key in wide.columns:
        entry = _entry(key)
        if (entry is None or entry.higher_is_better is None or entry.kind in _EXCLUDED_KINDS
                or entry.unit in _EXCLUDED_UNITS or key.startswith("cohesie_deel_")):
            continue
        candidates.append(key)
    if not candidates:
        return [], []
    values = wide.loc[str(code), candidates].astype(float)
    sd = wide[candidates].astype(float).std(ddof=0)
    reference = pd.Series({k: 100.0 if _unit(k) == registry.UNIT_INDEX else float(gem_values.get(k, math.nan))
                           for k in candidates})
    sign = pd.Series({k: 1.0 if _entry(k).higher_is_better else -1.0 for k in candidates})
    z = (values - reference) / sd.where(sd > 0)
    score = (z * sign).dropna()
    # Survey figures with an interval: only when the gemeente lies outside it.
    low = own["ci_laag"].reindex(score.index).astype(float)
    high = own["ci_hoog"].reindex(score.index).astype(float)
    has_ci = low.notna() & high.notna()
    outside = (reference.reindex(score.index) < low) | (reference.reindex(score.index) > high)
    score = score[~has_ci | outside]

    def pick(selected: pd.Series) -> list[Statement]:
        out, themes = [], set()
        for key, s in selected.items():
            theme = _theme(key)
            if theme in themes:
                continue
            themes.add(theme)
            value, ref = float(values[key]), float(reference[key])
            out.append(Statement(key, _phrase(key, value > ref, value, ref, gemeente_name), value, ref, float(s)))
            if len(out) == top:
                break
        return out

    # Sort by score, then key, so ties are deterministic.
    ordered = pd.DataFrame({"s": score, "k": score.index}).sort_values(["s", "k"], ascending=[False, True])
    best = ordered.loc[ordered["s"] >= min_difference, "s"]
    worst = ordered.loc[ordered["s"] <= -min_difference].sort_values(["s", "k"], ascending=[True, True])["s"]
    return pick(best), pick(worst)


def _change_frame(table: pd.DataFrame, code: str, year: int, baseline: int | None,
                  reg: registry.Registry) -> pd.DataFrame:
    """Change of every indicator since ``baseline``, with significance for survey figures."""
    if baseline is None:
        return _empty(CHANGE_COLUMNS)
    from analysis.compute import indicators  # the engine owns the significance rule

    both = table[table["gebiedscode"].astype("string") == str(code)]
    changed = indicators.change(both, baseline, year)
    return _normalise_change(changed, code, reg)


def _normalise_change(changed: pd.DataFrame, code: str, reg: registry.Registry) -> pd.DataFrame:
    """Map the engine's change table to :data:`CHANGE_COLUMNS` for one area."""
    changed = changed[changed["gebiedscode"].astype("string") == str(code)]
    base_col = next(c for c in ("waarde_van", "waarde_basis", "basis", "van") if c in changed.columns)
    now_col = next(c for c in ("waarde_tot", "waarde_nu", "waarde", "tot") if c in changed.columns)
    diff_col = next(c for c in ("verschil", "verandering") if c in changed.columns)
    keys = changed["indicator"].astype(str)
    survey = _is_survey(changed).to_numpy(bool)
    significant = changed["significant"] if "significant" in changed.columns else pd.Series(pd.NA, index=changed.index)
    significant = significant.astype("boolean").where(survey)
    frame = pd.DataFrame({
        "indicator": keys.to_numpy(), "label": keys.map(lambda k: _label(k, reg)).to_numpy(),
        "eenheid": keys.map(lambda k: _unit(k, reg)).to_numpy(),
        "basis": pd.to_numeric(changed[base_col], errors="coerce").to_numpy(float),
        "waarde": pd.to_numeric(changed[now_col], errors="coerce").to_numpy(float),
        "verschil": pd.to_numeric(changed[diff_col], errors="coerce").to_numpy(float),
        "enquete": survey,
        "significant": significant.to_numpy(),
    }, columns=list(CHANGE_COLUMNS))
    frame["significant"] = frame["significant"].astype("boolean")
    return frame.reset_index(drop=True)


def _sources(ds: Dataset, keys: Iterable[str]) -> list[str]:
    """Sources with their licence, sources that share a licence text named together."""
    by_text: dict[str, list[str]] = {}
    for name, text in sorted(ds.licences.items()):
        by_text.setdefault(str(text), []).append(str(name))
    out = [f"{', '.join(names)}: {text}" for text, names in by_text.items()]
    tags = sorted({_entry(k).source for k in keys if _entry(k) is not None})
    if tags:
        out.append("Indicatoren: " + ", ".join(tags) + " (definities: pagina Verantwoording)")
    return out


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------

def build_profile(ds: Dataset, table: pd.DataFrame, wijkcode: str, year: int | None = None,
                  baseline_year: int | None = None, metrics: pd.DataFrame | None = None) -> WijkProfile:
    """Build the profile of one wijk.

    Parameters
    ----------
    ds : Dataset
        The dataset (areas, associations, licences).
    table : pandas.DataFrame
        The tidy indicator table of :func:`analysis.compute.indicators.compute_indicators`.
    wijkcode : str
        The wijk's ``gebiedscode``.
    year : int, optional
        Year to show; default the dataset's year when the wijk has figures for it, else
        the latest year with figures.
    baseline_year : int, optional
        Year to measure change from; default the earliest earlier year with figures.
        Ignored (None) when it is not before ``year``.
    metrics : pandas.DataFrame, optional
        :func:`network.association_metrics` of ``year`` (computed when not given; pass it
        when building many profiles).

    Returns
    -------
    WijkProfile

    Raises
    ------
    KeyError
        With a Dutch message when the wijk is not in the dataset.
    """
    code = str(wijkcode)
    area = _area_row(ds, "wijk", code)
    if area is None:
        raise KeyError(f"Wijk '{code}' bestaat niet in dataset '{ds.name}'. Kies een wijkcode uit de wijkenlijst.")
    own_years = pd.to_numeric(table.loc[table["gebiedscode"].astype("string") == code, "jaar"],
                              errors="coerce").dropna().astype(int)
    present = sorted(set(own_years.tolist()))
    if year is None:
        year = int(ds.year) if (int(ds.year) in present or not present) else present[-1]
    year = int(year)
    if baseline_year is None:
        earlier = [y for y in present if y < year]
        baseline_year = earlier[0] if earlier else None
    elif int(baseline_year) >= year:
        baseline_year = None
    gm_code = _gemeente_code(ds)
    gm_name = ds.gemeente_name

    wijk_rows = _rows(table, "wijk", year, code)
    gem_rows = _rows(table, "gemeente", year, gm_code)
    wijk = _values(wijk_rows)
    gemeente = _values(gem_rows)

    # Key figures: the table's figure where present, else the area frames.
    wijk_fig = pd.Series(_area_figures(ds, "wijk", code), dtype=float)
    gem_fig = pd.Series(_area_figures(ds, "gemeente", gm_code), dtype=float)
    wijk_fig = wijk.reindex(KEY_FIGURES).combine_first(wijk_fig.reindex(KEY_FIGURES))
    gem_fig = gemeente.reindex(KEY_FIGURES).combine_first(gem_fig.reindex(KEY_FIGURES))
    key_figures = _comparison(KEY_FIGURES, wijk_fig.dropna(), gem_fig)

    connectors = pd.DataFrame({c: pd.Series(dtype="object") for c in network.CONNECTOR_COLUMNS})
    if len(ds.associations):
        if metrics is None:
            _, metrics = network_for_year(ds, year)
        if len(metrics):
            a_year = pd.to_numeric(ds.associations["jaar"], errors="coerce") == year
            connectors = network.key_connectors(ds.associations[a_year.to_numpy(bool)], metrics, "wijk", code)

    strengths, weaknesses = strengths_weaknesses(table, code, year, gm_name, gm_code)
    rank = float(wijk.get("prioriteit_rang", math.nan))
    ranked = _rows(table, "wijk", year)
    total = int(ranked.loc[ranked["indicator"] == "prioriteit_rang", "waarde"].notna().sum())

    return WijkProfile(
        code=code, name=str(area["gebiedsnaam"]), gemeente=gm_name, gemeente_code=gm_code, year=year,
        baseline_year=baseline_year, is_demo=bool(ds.is_demo), dataset_name=str(ds.name),
        key_figures=key_figures,
        components=_component_frame(wijk, gemeente),
        cohesion=_comparison(COHESION_KEYS, wijk, gemeente),
        survey=_survey_frame(wijk_rows, gemeente, ds.registry),
        network=_comparison(NETWORK_KEYS, wijk, gemeente),
        connectors=connectors,
        strengths=strengths, weaknesses=weaknesses,
        change=_change_frame(table, code, year, baseline_year, ds.registry),
        priority_rank=rank, priority_score=float(wijk.get("prioriteit_score", math.nan)),
        priority_total=total,
        sources=_sources(ds, wijk.index),
    )
