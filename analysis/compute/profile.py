"""The wijkprofiel: one model of a wijk's figures, comparisons and plain-Dutch findings, for the app and the PNG."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from analysis import registry
from analysis.components import COMPONENTS, MPL_MARKERS
from analysis.compute import network, proximity
from analysis.compute.change import change
from analysis.compute.reference import (
    GEMEENTE,
    MIN_SIMILAR_AREAS,
    SIMILAR,
    Reference,
    check_reference,
    resolve,
    similar_label,
)
from analysis.compute.tables import column, exclusion_reasons
from analysis.formatting import format_value
from analysis.model import Dataset
from analysis.params import IndicatorParams

#: Default minimum standardised difference for a strength or weakness (:attr:`IndicatorParams.min_difference`).
MIN_STANDARDISED_DIFFERENCE = IndicatorParams().min_difference
#: Default number of strengths and of weaknesses listed (:attr:`IndicatorParams.top_findings`).
TOP_FINDINGS = IndicatorParams().top_findings
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
        The finding in plain Dutch with the figure and the comparison: "Burenhulp 38% tegen 31%
        gemiddeld in de wijken van Voorbeeldstad".
    waarde, gemeente : float
        The wijk's figure and the reference it is compared with: the mean of the wijken (for an
        index 100, the gemeente's average by definition).
    standardised_difference : float
        ``(waarde - gemeente) / sd`` over the wijken, signed so that positive is better.
    short : str
        :attr:`text` without the name of the gemeente (for narrow layouts such as the PNG).
    reference : str
        What the wijk is compared with, in Dutch ("de wijken van Zwolle", "vergelijkbare wijken
        (stedelijk, veel alleenstaanden; 4 wijken)").
    """

    indicator: str
    text: str
    waarde: float
    gemeente: float
    standardised_difference: float
    short: str = ""
    reference: str = ""


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
        Generated from the registry's directions by comparing the wijk with the other wijken.
    comparison_note : str
        Why there are no strengths and weaknesses at all ("te weinig inwoners voor een vergelijking
        ..."), empty otherwise.
    reference, reference_label, reference_note : str
        The reference of the strengths and weaknesses (``"gemeente"`` or ``"vergelijkbaar"``,
        :mod:`analysis.compute.reference`), its Dutch name, and why it fell back to the gemeente (empty
        when it did not).
    method_note : str
        How the proximity figures were measured (:func:`analysis.compute.proximity.method_note`).
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
    comparison_note: str = ""
    reference: str = "gemeente"
    reference_label: str = ""
    reference_note: str = ""
    method_note: str = ""
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
    for name in ("waarde", "n", "ci_laag", "ci_hoog"):
        rows[name] = pd.to_numeric(rows[name], errors="coerce") if name in rows.columns else np.nan
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
    number = lambda name: float(pd.to_numeric(pd.Series([row.get(name)]), errors="coerce").iloc[0])  # noqa: E731
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


def network_for_year(ds: Dataset, year: int, params: IndicatorParams | None = None) -> tuple[nx.Graph, pd.DataFrame]:
    """The association network of one year and its metrics: :func:`network.year_network` (the one graph)."""
    return network.year_network(ds, year, params)


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


def _component_frame(wijk: pd.Series, gemeente: pd.Series, params: IndicatorParams) -> pd.DataFrame:
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
            "loopnorm_m": params.norm_m(c.key) if c.walk_norm_m is not None else math.nan,
            "doel_pct": params.target_pct(c.key) if c.walk_norm_m is not None else math.nan,
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


def _phrase(key: str, value: float, reference: float, gemeente: str | None) -> str:
    """``Burenhulp 38% tegen 31% gemiddeld in de wijken van Voorbeeldstad`` (an index: against 100)."""
    unit = _unit(key)
    where = f" van {gemeente}" if gemeente else ""
    if unit == registry.UNIT_INDEX:
        compared = f"tegen {format_value(reference, unit)}, het gemiddelde{where}"
    else:
        compared = f"tegen {format_value(reference, unit)} gemiddeld in de wijken{where}"
    return f"{_label(key)} {format_value(value, unit)} {compared}"


def _candidates(columns: Iterable[str]) -> list[str]:
    """Keys that can be a strength or weakness: a direction, not a count, flag, rank, key figure or part."""
    out = []
    for key in columns:
        entry = _entry(key)
        if (entry is None or entry.higher_is_better is None or entry.kind in _EXCLUDED_KINDS
                or entry.unit in _EXCLUDED_UNITS or key.startswith("cohesie_deel_")):
            continue
        out.append(key)
    return out


def _scores(wide: pd.DataFrame, own: pd.DataFrame, code: str, candidates: list[str],
            given: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Signed standardised differences of one wijk against the mean of the wijken (or ``given``), and that reference.

    The standard deviation is always that of the wijken, so the threshold means the same against every
    reference. A survey figure with an interval only counts when the reference lies outside the
    interval: a difference smaller than its own uncertainty is no finding. A missing reference
    gives no score.
    """
    values = wide.loc[code, candidates].astype(float)
    others = wide[candidates].astype(float)
    sd = others.std(ddof=0)
    reference = pd.Series([100.0 if _unit(k) == registry.UNIT_INDEX else float(others[k].mean()) for k in candidates],
                          index=candidates, dtype=float) if given is None else given.reindex(candidates).astype(float)
    sign = pd.Series([1.0 if registry.REGISTRY[k].higher_is_better else -1.0 for k in candidates],
                     index=candidates, dtype=float)
    score = pd.Series((values - reference) / sd.where(sd > 0) * sign).dropna()
    low = own["ci_laag"].reindex(score.index).astype(float)
    high = own["ci_hoog"].reindex(score.index).astype(float)
    has_ci = low.notna() & high.notna()
    outside = (reference.reindex(score.index) < low) | (reference.reindex(score.index) > high)
    return score[~has_ci | outside], reference


def comparison_note(table: pd.DataFrame, code: str, year: int, params: IndicatorParams | None = None) -> str:
    """Why a wijk gets no strengths and weaknesses: too few inhabitants (empty when it gets them)."""
    params = params or IndicatorParams()
    rows = _rows(table, "wijk", year, code)
    inw = pd.Series({str(code): float(_values(rows).get("inwoners", math.nan))})
    return str(exclusion_reasons(inw, params.min_inhabitants).iloc[0])


@dataclass(frozen=True)
class Comparison:
    """A wijk's strengths and weaknesses and the reference they were drawn against.

    Attributes
    ----------
    strengths, weaknesses : list of Statement
        Best first; worst first.
    reference : Reference
        What the wijk was compared with (:mod:`analysis.compute.reference`); its ``note`` says why it
        fell back to the gemeente.
    """

    strengths: list[Statement]
    weaknesses: list[Statement]
    reference: Reference


def _similar_means(wide: pd.DataFrame, ref: Reference, candidates: list[str]) -> tuple[pd.Series, pd.Series]:
    """Per key the mean of the similar wijken that have a value, and how many they are (too few: NaN)."""
    peers = wide.reindex(list(ref.codes))[candidates].astype(float)
    counts = peers.notna().sum()
    return peers.mean().where(counts >= MIN_SIMILAR_AREAS), counts


def _pick(selected: pd.Series, values: pd.Series, reference: pd.Series, texts: dict[str, tuple[str, str, str]],
          top: int) -> list[Statement]:
    """The largest per theme, at most ``top``: the statements of the selected keys."""
    out: list[Statement] = []
    themes: set[str] = set()
    for name, s in selected.items():
        key = str(name)
        theme = _theme(key)
        if theme in themes:
            continue
        themes.add(theme)
        text, short, label = texts[key]
        out.append(Statement(key, text, float(values.loc[key]), float(reference.loc[key]), float(s), short, label))
        if len(out) == top:
            break
    return out


def _texts(keys: pd.Index, values: pd.Series, ref_values: pd.Series, counts: pd.Series | None, wijktype: str,
           gemeente_name: str, own_label: str) -> dict[str, tuple[str, str, str]]:
    """Per key the sentence, its short form and the reference's name (``counts`` None: against the gemeente)."""
    texts: dict[str, tuple[str, str, str]] = {}
    for key in keys:
        value, ref_value = float(values.loc[key]), float(ref_values.loc[key])
        if counts is None:
            texts[key] = (_phrase(key, value, ref_value, gemeente_name), _phrase(key, value, ref_value, None), own_label)
        else:
            label = similar_label(wijktype, int(counts.loc[key]), "wijk")
            unit = _unit(key)
            line = f"{_label(key)} {format_value(value, unit)} tegen {format_value(ref_value, unit)} in {label}"
            texts[key] = (line, line, label)
    return texts


def compare_wijk(table: pd.DataFrame, code: str, year: int, gemeente_name: str,
                 params: IndicatorParams | None = None, reference: str = GEMEENTE,
                 types: pd.DataFrame | None = None) -> Comparison:
    """Strengths and weaknesses of a wijk: like with like, larger than their uncertainty, the largest first.

    For every indicator with a direction (``higher_is_better`` not None) that is not a count, flag,
    rank, key figure or priority figure, the wijk's value is compared with the reference:

    - ``"gemeente"``: the mean of the wijken (for an index: 100, its definition of average); a
      wijk's network figures are compared with other wijken, never with the whole gemeente graph;
    - ``"vergelijkbaar"``: the mean of the other wijken of the same wijktype (``types``,
      :func:`analysis.compute.typology.area_types`), per indicator over those with a value; an indicator
      that fewer than :data:`analysis.compute.reference.MIN_SIMILAR_AREAS` of them have is not compared,
      and with fewer similar wijken in all the comparison is with the gemeente and
      :attr:`Reference.note` says why.

    The difference is standardised by the standard deviation of the figure over the wijken that
    year (against either reference) and signed by the direction, so positive is better. A survey
    figure with an interval only counts when the reference lies outside the wijk's 95% interval. Per
    theme (a component, or one survey subject) only the largest counts. Only wijken with at least
    ``params.min_inhabitants`` inhabitants (where the table gives ``inwoners``) take part, as the wijk
    and in the reference: a smaller wijk gets none (see :func:`comparison_note`).

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy indicator table.
    code : str
        The wijk's code.
    year : int
        The year.
    gemeente_name : str
        Used in the sentences ("... gemiddeld in de wijken van <gemeente>").
    params : IndicatorParams, optional
        ``min_inhabitants``, ``min_difference`` (standard deviations, 0.5) and ``top_findings`` (3).
    reference : {"gemeente", "vergelijkbaar"}
        The reference.
    types : pandas.DataFrame, optional
        The wijktypen; required for ``"vergelijkbaar"``.

    Returns
    -------
    Comparison
    """
    params = params or IndicatorParams()
    check_reference(reference)
    if reference == SIMILAR and types is None:
        raise ValueError("Voor 'vergelijkbare wijken' zijn de wijktypen nodig (typology.area_types).")
    own_label = f"het gemiddelde van de wijken van {gemeente_name}" if gemeente_name else "het gemiddelde van de wijken"
    ref = Reference(GEMEENTE, GEMEENTE, own_label)
    wijken = _rows(table, "wijk", year)
    if wijken.empty:
        return Comparison([], [], ref)
    wide = wijken.drop_duplicates(["gebiedscode", "indicator"]).pivot(
        index="gebiedscode", columns="indicator", values="waarde")
    wide.index = wide.index.astype(str)
    wide = wide[exclusion_reasons(column(wide, "inwoners"), params.min_inhabitants) == ""]
    if reference == SIMILAR and types is not None:
        ref = resolve(types, str(code), SIMILAR, "wijk", wide.index, gemeente_name)
        if ref.fallback:
            ref = Reference(SIMILAR, GEMEENTE, own_label, (), ref.note, ref.wijktype)
    candidates = _candidates(wide.columns)
    if str(code) not in wide.index or not candidates:
        return Comparison([], [], ref)
    own = wijken[wijken["gebiedscode"].astype(str) == str(code)].drop_duplicates("indicator").set_index("indicator")
    given, counts = _similar_means(wide, ref, candidates) if ref.kind == SIMILAR else (None, None)
    score, ref_values = _scores(wide, own, str(code), candidates, given)
    values = pd.Series(wide.loc[str(code)], dtype=float)
    texts = _texts(score.index, values, ref_values, counts, ref.wijktype, gemeente_name, own_label)
    # Sort by score, then key, so ties are deterministic.
    ordered = pd.DataFrame({"s": score, "k": score.index}).sort_values(["s", "k"], ascending=[False, True])
    best = ordered.loc[ordered["s"] >= params.min_difference, "s"]
    worst = ordered.loc[ordered["s"] <= -params.min_difference].sort_values(["s", "k"], ascending=[True, True])["s"]
    return Comparison(_pick(best, values, ref_values, texts, params.top_findings),
                      _pick(worst, values, ref_values, texts, params.top_findings), ref)


def strengths_weaknesses(table: pd.DataFrame, code: str, year: int, gemeente_name: str,
                         params: IndicatorParams | None = None, reference: str = GEMEENTE,
                         types: pd.DataFrame | None = None) -> tuple[list[Statement], list[Statement]]:
    """Strengths (best first) and weaknesses (worst first) of a wijk: :func:`compare_wijk` without its reference."""
    found = compare_wijk(table, code, year, gemeente_name, params, reference, types)
    return found.strengths, found.weaknesses


def _change_frame(table: pd.DataFrame, code: str, year: int, baseline: int | None,
                  reg: registry.Registry) -> pd.DataFrame:
    """Change of every indicator since ``baseline``, with significance for survey figures."""
    if baseline is None:
        return _empty(CHANGE_COLUMNS)
    both = table[table["gebiedscode"].astype("string") == str(code)]
    changed = change(both, baseline, year)  # the engine owns the significance rule
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
    tags = sorted({entry.source for k in keys if (entry := _entry(k)) is not None})
    if tags:
        out.append("Indicatoren: " + ", ".join(tags) + " (definities: pagina Verantwoording)")
    return out


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------

def _years(ds: Dataset, table: pd.DataFrame, code: str, year: int | None,
           baseline_year: int | None) -> tuple[int, int | None]:
    """The year shown (default the dataset's, else the latest with figures) and the baseline before it."""
    own_years = pd.to_numeric(table.loc[table["gebiedscode"].astype("string") == code, "jaar"],
                              errors="coerce").dropna().astype(int)
    present = sorted(set(own_years.tolist()))
    if year is None:
        year = int(ds.year) if (int(ds.year) in present or not present) else present[-1]
    year = int(year)
    if baseline_year is None:
        earlier = [y for y in present if y < year]
        return year, (earlier[0] if earlier else None)
    return year, (int(baseline_year) if int(baseline_year) < year else None)


def _connectors(ds: Dataset, code: str, year: int, metrics: pd.DataFrame | None,
                params: IndicatorParams) -> pd.DataFrame:
    """The wijk's key connectors of ``year`` (empty without associations)."""
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in network.CONNECTOR_COLUMNS})
    if not len(ds.associations):
        return empty
    if metrics is None:
        _, metrics = network_for_year(ds, year, params)
    if not len(metrics):
        return empty
    return network.key_connectors(ds.rows_of_year(ds.associations, year), metrics, "wijk", code)


def build_profile(ds: Dataset, table: pd.DataFrame, wijkcode: str, year: int | None = None,
                  baseline_year: int | None = None, metrics: pd.DataFrame | None = None,
                  params: IndicatorParams | None = None, reference: str = GEMEENTE) -> WijkProfile:
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
    params : IndicatorParams, optional
        The session's parameters (comparison minimum, strengths and weaknesses, targets, seed);
        pass the ones the table was computed with. Default :class:`IndicatorParams()`.
    reference : {"gemeente", "vergelijkbaar"}
        The reference of the strengths and weaknesses (:func:`compare_wijk`); for ``"vergelijkbaar"`` the
        wijktypen are those of the dataset's wijken and addresses (:func:`analysis.compute.typology.area_types`).

    Returns
    -------
    WijkProfile

    Raises
    ------
    KeyError
        With a Dutch message when the wijk is not in the dataset.
    """
    params = params or IndicatorParams()
    code = str(wijkcode)
    area = _area_row(ds, "wijk", code)
    if area is None:
        raise KeyError(f"Wijk '{code}' bestaat niet in dataset '{ds.name}'. Kies een wijkcode uit de wijkenlijst.")
    year, baseline_year = _years(ds, table, code, year, baseline_year)
    gm_code = _gemeente_code(ds)
    wijk_rows = _rows(table, "wijk", year, code)
    wijk = _values(wijk_rows)
    gemeente = _values(_rows(table, "gemeente", year, gm_code))

    # Key figures: the table's figure where present, else the area frames.
    wijk_fig = pd.Series(_area_figures(ds, "wijk", code), dtype=float)
    gem_fig = pd.Series(_area_figures(ds, "gemeente", gm_code), dtype=float)
    wijk_fig = wijk.reindex(KEY_FIGURES).combine_first(wijk_fig.reindex(KEY_FIGURES))
    gem_fig = gemeente.reindex(KEY_FIGURES).combine_first(gem_fig.reindex(KEY_FIGURES))

    from analysis.compute.typology import area_types

    types = area_types(ds.wijken, ds.addresses) if reference == SIMILAR else None
    found = compare_wijk(table, code, year, ds.gemeente_name, params, reference, types)
    ranked = _rows(table, "wijk", year)
    return WijkProfile(
        code=code, name=str(area["gebiedsnaam"]), gemeente=ds.gemeente_name, gemeente_code=gm_code, year=year,
        baseline_year=baseline_year, is_demo=bool(ds.is_demo), dataset_name=str(ds.name),
        key_figures=_comparison(KEY_FIGURES, wijk_fig.dropna(), gem_fig),
        components=_component_frame(wijk, gemeente, params),
        cohesion=_comparison(COHESION_KEYS, wijk, gemeente),
        survey=_survey_frame(wijk_rows, gemeente, ds.registry),
        network=_comparison(NETWORK_KEYS, wijk, gemeente),
        connectors=_connectors(ds, code, year, metrics, params),
        strengths=found.strengths, weaknesses=found.weaknesses,
        comparison_note=comparison_note(table, code, year, params), reference=found.reference.kind,
        reference_label=found.reference.label, reference_note=found.reference.note,
        method_note=proximity.method_note(ds),
        change=_change_frame(table, code, year, baseline_year, ds.registry),
        priority_rank=float(wijk.get("prioriteit_rang", math.nan)),
        priority_score=float(wijk.get("prioriteit_score", math.nan)),
        priority_total=int(ranked.loc[ranked["indicator"] == "prioriteit_rang", "waarde"].notna().sum()),
        sources=_sources(ds, wijk.index),
    )
