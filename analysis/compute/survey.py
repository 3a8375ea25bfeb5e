"""Resident survey figures: scale scores per respondent, weighted figures per area with intervals, suppressed safely."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import model
from analysis.compute.intervals import domain_estimates, mean_interval, share_interval
from analysis.compute.suppression import DEFAULT_THRESHOLD, MIN_THRESHOLD, check_threshold, suppress
from analysis.compute.weights import (
    SOURCE_MIXED,
    Design,
    buurt_design,
    gemeente_design,
    wijk_design,
)
from analysis.load.codebook import normalised

__all__ = [
    "DEFAULT_THRESHOLD", "MIN_THRESHOLD", "PROFILE_COLUMNS", "RESPONSE_COUNT_KEY", "SURVEY_COLUMNS",
    "respondent_indicator_values", "respondent_profile", "score_respondents", "survey_indicators",
]

#: Indicator key of the per-area response count row.
RESPONSE_COUNT_KEY = "respondenten_aantal"
#: Age-class difference (percentage points) between respondents and population that marks a skewed response.
SKEW_THRESHOLD_PP = 10.0
#: Columns of :func:`survey_indicators`.
SURVEY_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "niveau", "jaar", "indicator", "waarde", "n", "ci_laag", "ci_hoog", "onderdrukt", "bron",
)
#: Columns of :func:`respondent_profile`.
PROFILE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "niveau", "jaar", "respondenten", "kenmerk", "categorie",
    "respondenten_pct", "bevolking_pct", "verschil_pp", "scheef", "onderdrukt",
)
#: Top of the scale of a ``gemiddelde`` (scores are rescaled to 0-10).
SCORE_TOP = 10.0


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------

def _item_matrix(respondents: pd.DataFrame, items: list[str]) -> np.ndarray:
    n = len(respondents)
    columns = [
        pd.to_numeric(respondents[i], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if i in respondents.columns else np.full(n, np.nan)
        for i in items
    ]
    return np.column_stack(columns) if columns else np.empty((n, 0))


def _score_scale(respondents: pd.DataFrame, scale: dict[str, Any]) -> np.ndarray:
    items = scale["items"]
    k = len(items)
    answers = _item_matrix(respondents, items)
    codes = np.asarray(scale["codes"], dtype=float)
    low, high = codes.min(), codes.max()
    valid = np.isin(answers, codes)  # NaN and missing codes are not valid
    reverse = np.array([i in scale["omgekeerd"] for i in items], dtype=bool)
    values = np.where(reverse[None, :], low + high - answers, answers)
    n_valid = valid.sum(axis=1)
    enough = n_valid >= scale["min_geldig"]
    safe_n = np.maximum(n_valid, 1)
    if scale["methode"] == "gemiddelde":
        mean = np.where(valid, values, 0.0).sum(axis=1) / safe_n
        score = (mean - low) / (high - low) * SCORE_TOP
    elif scale["methode"] == "telling":
        hits = (valid & np.isin(values, scale["telt"])).sum(axis=1).astype(float)
        prorated = np.floor(hits * k / safe_n + 0.5)
        score = np.where(n_valid < k, prorated, hits)
    else:
        score = (valid & np.isin(values, scale["ja"])).any(axis=1).astype(float)
    return np.where(enough, score, np.nan)


def score_respondents(respondents: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Score every respondent on every codebook scale.

    Only answers in the scale's ``codes`` are valid (missing codes and NaN are not).
    Reversed items are recoded first: ``code -> min(codes) + max(codes) - code``.

    - ``gemiddelde``: the mean of the valid (recoded) items rescaled to 0-10,
      ``(mean - min) / (max - min) * 10``.
    - ``telling``: the number of valid (recoded) items whose code is in ``telt``,
      0 .. number of items. With fewer valid items than items (but at least
      ``min_geldig``) the count is prorated, ``count * n_items / n_valid``, and rounded
      half up.
    - ``aandeel``: 1 when a valid (recoded) item is in ``ja``, else 0.

    A respondent with fewer than ``min_geldig`` valid items gets NaN.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The respondents frame with the item columns (missing item columns count as
        unanswered).
    codebook : dict
        The codebook (raw or normalised).

    Returns
    -------
    pandas.DataFrame
        One float column per scale (named after the scale), indexed like ``respondents``.
    """
    cb = normalised(codebook)
    return pd.DataFrame({name: _score_scale(respondents, scale) for name, scale in cb["schalen"].items()},
                        index=respondents.index, dtype=float)


def respondent_indicator_values(respondents: pd.DataFrame, codebook: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per respondent and codebook indicator, the value that is averaged into the area figure.

    Returns
    -------
    values : pandas.DataFrame
        One column per indicator, indexed like ``respondents``: the 0-10 score
        (gemiddelde) or 0/1 (aandeel, and score >= drempel for a telling); NaN without
        a score.
    kinds : dict
        Indicator to ``"gemiddelde"`` or ``"aandeel"``.
    """
    cb = normalised(codebook)
    scores = score_respondents(respondents, cb)
    values: dict[str, pd.Series] = {}
    kinds: dict[str, str] = {}
    for name, scale in cb["schalen"].items():
        score = scores[name]
        if scale["methode"] == "telling":
            for key, minimum in scale["drempels"].items():
                values[key] = (score >= minimum).astype(float).where(score.notna())
                kinds[key] = "aandeel"
        else:
            values[scale["indicator"]] = score
            kinds[scale["indicator"]] = scale["methode"]
    return pd.DataFrame(values, index=respondents.index, dtype=float), kinds


# ---------------------------------------------------------------------------------------------
# Area figures
# ---------------------------------------------------------------------------------------------

def _empty_survey() -> pd.DataFrame:
    dtypes: dict[str, Any] = {"waarde": float, "ci_laag": float, "ci_hoog": float, "n": "Int64", "jaar": "int64",
                              "onderdrukt": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in SURVEY_COLUMNS})


def _gemeente_codes(ds: model.Dataset, buurtcode: pd.Series) -> pd.Series:
    lookup = pd.Series(dtype=object)
    if len(ds.buurten) and "gemeentecode" in ds.buurten.columns:
        lookup = ds.buurten.drop_duplicates("gebiedscode").set_index("gebiedscode")["gemeentecode"]
    fallback = ds.gemeente_code or (str(ds.gemeente["gebiedscode"].iloc[0]) if len(ds.gemeente) else "GM")
    return buurtcode.map(lookup).astype(object).where(lambda s: s.notna(), fallback).astype(str)


def _domain_sources(design: Design, domain: np.ndarray, n_domains: int) -> np.ndarray:
    """The ``bron`` text of each domain: its strata's, or :data:`SOURCE_MIXED` when they differ."""
    inside = (domain >= 0) & (design.stratum >= 0)
    frame = pd.DataFrame({"d": domain[inside], "bron": design.source[design.stratum[inside]]})
    per = frame.groupby("d")["bron"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else SOURCE_MIXED)
    return per.reindex(range(n_domains)).to_numpy(object)


def _level_figures(parts: list[tuple[Design, np.ndarray]], domain: np.ndarray, labels: pd.Index,
                   values: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Figures of one level: per domain (area-year) and indicator the weighted figure, n, interval and bron.

    ``parts`` pairs a design with the mask of respondents whose area figure it gives (a
    buurt figure comes from the buurt's own design or from its wijk's).
    """
    d = len(labels)
    x = values.to_numpy(float)
    est = {key: np.zeros((d, x.shape[1])) for key in ("mean", "var", "n", "n_kish")}
    source = np.full(d, None, dtype=object)
    for design, mask in parts:
        dom = np.where(mask, domain, -1)
        if not (dom >= 0).any():
            continue
        mine = np.isin(np.arange(d), np.unique(dom[dom >= 0]))
        part = domain_estimates(design, dom, x, d)
        for key in est:
            est[key][mine] = part[key][mine]
        source[mine] = _domain_sources(design, dom, d)[mine]
    is_share = np.array([kinds[k] == "aandeel" for k in values.columns], dtype=bool)[None, :]
    p = np.clip(est["mean"], 0, 1)
    share_lo, share_hi = share_interval(p, est["var"], est["n_kish"], est["n"])
    mean_lo, mean_hi = mean_interval(np.clip(est["mean"], 0, SCORE_TOP), est["var"], est["n_kish"], SCORE_TOP)
    waarde = np.where(is_share, 100 * p, np.clip(est["mean"], 0, SCORE_TOP))
    lo = np.where(is_share, 100 * share_lo, mean_lo)
    hi = np.where(is_share, 100 * share_hi, mean_hi)
    codes = labels.get_level_values(0).to_numpy(object)
    years = labels.get_level_values(1).to_numpy(np.int64)
    k = len(values.columns)
    no_answer = est["n"] == 0
    return pd.DataFrame({
        "gebiedscode": np.repeat(codes, k), "jaar": np.repeat(years, k),
        "indicator": np.tile(np.asarray(values.columns, dtype=object), d),
        "waarde": np.where(no_answer, np.nan, waarde).ravel(), "n": est["n"].ravel().astype(np.int64),
        "ci_laag": np.where(no_answer, np.nan, lo).ravel(), "ci_hoog": np.where(no_answer, np.nan, hi).ravel(),
        "bron": np.repeat(source, k),
    })


def _respondent_frame(ds: model.Dataset, years: list[int] | None) -> pd.DataFrame:
    resp = ds.respondents
    if resp is None or resp.empty:
        return pd.DataFrame()
    resp = resp[resp["buurtcode"].notna()].copy()
    resp["jaar"] = pd.to_numeric(resp["jaar"], errors="coerce").fillna(ds.year).astype("int64")
    if years is not None:
        resp = resp[resp["jaar"].isin([int(y) for y in years])]
    return resp.reset_index(drop=True)


def _area_codes(ds: model.Dataset, resp: pd.DataFrame) -> dict[str, pd.Series]:
    return {"buurt": resp["buurtcode"].astype(str), "wijk": resp["wijkcode"].astype(str),
            "gemeente": _gemeente_codes(ds, resp["buurtcode"])}


def _parents(codes: dict[str, pd.Series]) -> pd.Series:
    parent_of = pd.concat([
        pd.Series(codes["wijk"].to_numpy(), index=codes["buurt"].to_numpy()),
        pd.Series(codes["gemeente"].to_numpy(), index=codes["wijk"].to_numpy()),
    ])
    return parent_of[~parent_of.index.duplicated()]


def _count_rows(codes: dict[str, pd.Series], year: pd.Series) -> pd.DataFrame:
    """The ``respondenten_aantal`` rows: respondents per area and year (waarde = n)."""
    parts = []
    for level in model.LEVELS:
        base = pd.DataFrame({"gebiedscode": codes[level], "jaar": year})
        counts = base.groupby(["gebiedscode", "jaar"], sort=False).size().rename("n").reset_index()
        parts.append(counts.assign(niveau=level, indicator=RESPONSE_COUNT_KEY, waarde=counts["n"].astype(float),
                                   ci_laag=np.nan, ci_hoog=np.nan))
    return pd.concat(parts, ignore_index=True)


def survey_indicators(ds: model.Dataset, years: list[int] | None = None, threshold: int = DEFAULT_THRESHOLD,
                      ) -> pd.DataFrame:
    """Privacy-safe, design-weighted survey figures per buurt, wijk and gemeente.

    For every codebook indicator and year: the weighted mean of the 0-10 scale scores
    (``gemiddelde``) or the weighted share in % (``aandeel``, and every ``drempel`` of a
    ``telling``), with its 95% interval (:mod:`analysis.compute.intervals`: design-based,
    Taylor linearisation of the ratio estimator with calibration residuals as R's
    ``survey`` computes ``svymean``; shares get the Wilson interval on the design's
    effective n; a mean of identical answers gets a widened interval, never zero width).

    Weights (:mod:`analysis.compute.weights`): a wijk figure comes from the wijk's
    respondents raked to the wijk's CBS age and sex margins; a buurt figure from the
    buurt's respondents raked to the buurt's own margins when every weighting cell holds
    :data:`analysis.compute.weights.MIN_CELL_RESPONDENTS` respondents, else with the wijk
    weights; the gemeente figure from all respondents with the wijk weights, each wijk
    scaled to its share of the inhabitants. A wijk or gemeente figure is never an average
    of buurt figures. ``bron`` says which weighting a figure has
    (``"enquête, gewogen naar buurt"``, ``"... naar wijk"``, ``"... met het gewicht uit het
    bestand"``, ``"enquête, ongewogen"``).

    Privacy (:func:`analysis.compute.suppression.suppress`): a figure with fewer than
    ``threshold`` valid respondents is suppressed, and further figures are suppressed
    until no group an outsider can recover by subtraction (a parent minus its published
    children, on every level) has fewer than ``threshold`` respondents. That holds for
    the ``respondenten_aantal`` rows (waarde = n = respondents per area-year) too. A
    suppressed row has empty ``waarde``, ``ci_laag``, ``ci_hoog`` and ``n``. Buurten
    without respondents get no rows.

    Parameters
    ----------
    ds : Dataset
        With ``respondents`` (clean), ``codebook``, ``buurten``, ``wijken``.
    years : list of int, optional
        Years to compute; all years with respondents when None.
    threshold : int
        Minimum number of valid respondents behind a published figure (>= 10).

    Returns
    -------
    pandas.DataFrame
        :data:`SURVEY_COLUMNS`; ``onderdrukt`` 0/1 and ``jaar`` int64, ``n`` Int64 (NA when
        suppressed).

    Raises
    ------
    ValueError
        When ``threshold`` is below 10 (Dutch message).
    """
    threshold = check_threshold(threshold)
    resp = _respondent_frame(ds, years)
    if resp.empty:
        return _empty_survey()
    values, kinds = respondent_indicator_values(resp, ds.codebook)
    codes = _area_codes(ds, resp)
    parts = []
    if values.shape[1]:
        wijk = wijk_design(resp, ds.wijken)
        buurt, own = buurt_design(resp, ds.buurten, wijk)
        designs = {"buurt": [(wijk, ~own), (buurt, own)], "wijk": [(wijk, np.ones(len(resp), bool))],
                   "gemeente": [(gemeente_design(resp, ds.wijken, wijk), np.ones(len(resp), bool))]}
        for level in model.LEVELS:
            domain, labels = pd.factorize(pd.MultiIndex.from_arrays([codes[level], resp["jaar"]]), sort=True)
            parts.append(_level_figures(designs[level], domain, pd.MultiIndex.from_tuples(labels), values, kinds)
                         .assign(niveau=level))
    figures = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    result = pd.concat([_count_rows(codes, resp["jaar"]), figures], ignore_index=True)
    result["onderdrukt"] = suppress(result, _parents(codes), threshold)
    hidden = result["onderdrukt"] == 1
    result.loc[hidden, ["waarde", "ci_laag", "ci_hoog"]] = np.nan
    result["n"] = result["n"].astype("Int64").mask(hidden)
    result["jaar"] = result["jaar"].astype("int64")
    if "bron" not in result.columns:
        result["bron"] = None
    order = {level: i for i, level in enumerate(model.LEVELS)}
    result = (result.assign(_o=result["niveau"].map(order))
              .sort_values(["_o", "gebiedscode", "jaar", "indicator"]).drop(columns="_o"))
    return result[list(SURVEY_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Respondent profile
# ---------------------------------------------------------------------------------------------

def _profile_long(resp_pct: pd.DataFrame, pop_pct: pd.DataFrame, feature: str) -> pd.DataFrame:
    left = resp_pct.rename_axis(index="gebiedscode", columns="categorie").stack()
    right = pop_pct.rename_axis(index="gebiedscode", columns="categorie").stack()
    return pd.DataFrame({"respondenten_pct": left, "bevolking_pct": right.reindex(left.index)}) \
        .reset_index().assign(kenmerk=feature)


def _age_profile(code: pd.Series, resp: pd.DataFrame, info: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    classes = [c for c in model.AGE_CLASSES if (resp["leeftijdsklasse"] == c).any()]
    age = pd.crosstab(code, resp["leeftijdsklasse"]).reindex(index=index, columns=classes, fill_value=0)
    age_pct = age.div(age.sum(axis=1).replace(0, np.nan), axis=0) * 100
    pop_age = info.reindex(columns=[model.AGE_CLASS_COLUMNS[c] for c in classes]).apply(pd.to_numeric,
                                                                                         errors="coerce")
    pop_age.columns = classes
    pop_age = pop_age.div(pop_age.sum(axis=1, min_count=len(classes)), axis=0) * 100
    return _profile_long(age_pct, pop_age, "leeftijdsklasse")


def _sex_profile(code: pd.Series, resp: pd.DataFrame, info: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    sexes = resp["geslacht"].where(resp["geslacht"].isin(["man", "vrouw"]))
    sex = pd.crosstab(code, sexes).reindex(index=index, columns=["man", "vrouw"], fill_value=0)
    sex_pct = sex.div(sex.sum(axis=1).replace(0, np.nan), axis=0) * 100
    pop_sex = info.reindex(columns=["mannen", "vrouwen"]).apply(pd.to_numeric, errors="coerce")
    pop_sex.columns = ["man", "vrouw"]
    pop_sex = pop_sex.div(pop_sex.sum(axis=1, min_count=2).replace(0, np.nan), axis=0) * 100
    return _profile_long(sex_pct, pop_sex, "geslacht")


def _count_suppression(ds: model.Dataset, resp: pd.DataFrame, threshold: int) -> pd.Series:
    """Suppression (primary and secondary) of the respondent counts of one year, by area code."""
    codes = _area_codes(ds, resp)
    counts = _count_rows(codes, resp["jaar"])
    flags = suppress(counts, _parents(codes), threshold)
    return pd.Series(flags.to_numpy(), index=counts["gebiedscode"].to_numpy())


def respondent_profile(ds: model.Dataset, level: str, year: int, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Who responded, per area, next to the CBS population (for the Enquête page).

    Per area of ``level`` with respondents in ``year``: the number of respondents and,
    per age class and per sex, the share of respondents next to the population share.
    Age shares are taken over respondents with a known age class and compared with the
    population shares of the age classes that occur in the survey that year (gemeente
    wide; usually 15+), renormalised to 100. Sex shares are taken over respondents
    who answered man or vrouw and compared with ``mannen`` / ``vrouwen``; ``anders``
    is not shown per area (too few to show safely). ``scheef`` is True when any age
    class differs by more than :data:`SKEW_THRESHOLD_PP` percentage points.

    Only aggregates are returned, never a respondent. An area whose respondent count is
    suppressed (fewer than ``threshold``, or recoverable by subtraction: the suppression of
    the ``respondenten_aantal`` rows of :func:`survey_indicators`) shows neither its count
    (``respondenten`` NA) nor its distribution (``onderdrukt = 1``).

    Parameters
    ----------
    ds : Dataset
    level : {"buurt", "wijk", "gemeente"}
    year : int
    threshold : int
        Minimum respondents before a count and distribution are shown (>= 10, default 30).

    Returns
    -------
    pandas.DataFrame
        Long, :data:`PROFILE_COLUMNS`: ``kenmerk`` is ``leeftijdsklasse`` or ``geslacht``,
        ``categorie`` the class, ``respondenten_pct`` / ``bevolking_pct`` 0-100,
        ``verschil_pp`` their difference, ``scheef`` per area.
    """
    threshold = check_threshold(threshold)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PROFILE_COLUMNS})
    resp = _respondent_frame(ds, [int(year)])
    if resp.empty:
        return empty
    code = _area_codes(ds, resp)[level]
    counts = code.value_counts()
    info = pd.DataFrame(ds.areas(level)).drop(columns="geometry", errors="ignore").drop_duplicates("gebiedscode")
    info = info.set_index("gebiedscode").reindex(counts.index)
    out = pd.concat([_age_profile(code, resp, info, counts.index), _sex_profile(code, resp, info, counts.index)],
                    ignore_index=True)
    out["respondenten_pct"] = out["respondenten_pct"].astype(float)
    out["bevolking_pct"] = out["bevolking_pct"].astype(float)
    out["verschil_pp"] = out["respondenten_pct"] - out["bevolking_pct"]
    hidden = _count_suppression(ds, resp, threshold)
    out["onderdrukt"] = out["gebiedscode"].map(hidden[~hidden.index.duplicated()]).fillna(1).astype("int64")
    out["respondenten"] = out["gebiedscode"].map(counts).astype("Int64").mask(out["onderdrukt"] == 1)
    out.loc[out["onderdrukt"] == 1, ["respondenten_pct", "verschil_pp"]] = np.nan
    off = (out["kenmerk"] == "leeftijdsklasse") & (out["verschil_pp"].abs() > SKEW_THRESHOLD_PP)
    out["scheef"] = out["gebiedscode"].map(off.groupby(out["gebiedscode"]).any()).astype(bool)
    out["gebiedsnaam"] = out["gebiedscode"].map(info.get("gebiedsnaam", pd.Series(dtype=object)))
    out["niveau"] = level
    out["jaar"] = int(year)
    out = out.sort_values(["gebiedscode", "kenmerk", "categorie"]).reset_index(drop=True)
    return out[list(PROFILE_COLUMNS)]
