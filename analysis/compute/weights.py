"""Survey weights: raking of respondents to the CBS age and sex margins of their wijk or buurt, and the design.

The weights and the variance design belong together: :class:`Design` carries per respondent
the weight a figure uses, the calibration factor, the stratum (the group the weights were
formed in) and the calibration categories, so :mod:`analysis.compute.intervals` can compute
the linearised variance the way R's ``survey`` package does on the calibrated design.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import model

#: Raking (iterative proportional fitting) stops after this many rounds or this small a change.
RAKING_MAX_ITER = 200
RAKING_TOLERANCE = 1e-10
#: A buurt is weighted to its own margins only when every weighting cell has at least this many
#: respondents (after joining neighbouring age classes), else to its wijk's margins. The common rule
#: of thumb for weighting cells (collapse cells with fewer than about 20 respondents; Kalton &
#: Flores-Cervantes 2003, "Weighting methods", Journal of Official Statistics 19(2), 81-97).
MIN_CELL_RESPONDENTS = 20
#: Category of respondents outside a margin's classes (age unknown; sex ``anders`` or unknown).
OTHER = "?"

#: ``bron`` of a survey figure, by how its respondents were weighted.
SOURCE_BUURT = "enquête, gewogen naar buurt"
SOURCE_WIJK = "enquête, gewogen naar wijk"
SOURCE_GIVEN = "enquête, gewogen met het gewicht uit het bestand"
SOURCE_UNWEIGHTED = "enquête, ongewogen"
SOURCE_MIXED = "enquête, deels gewogen naar wijk"


@dataclass
class Design:
    """Weights and variance design of a set of respondents (one entry per respondent row).

    Attributes
    ----------
    weight : numpy.ndarray
        The weight each respondent has in the figures of this design.
    factor : numpy.ndarray
        The calibration factor ``g`` (weight / design weight); 1 where not calibrated.
    stratum : numpy.ndarray
        Integer stratum per respondent (the group the weights were formed in: wijk-year or
        buurt-year); -1 for respondents outside the design.
    calibrated : numpy.ndarray
        Per stratum (indexed by stratum number): True when raked to population margins.
    age_cat, sex_cat : numpy.ndarray
        Calibration category per respondent (object arrays; :data:`OTHER` outside the classes).
    source : numpy.ndarray
        Per stratum: the ``bron`` text (:data:`SOURCE_WIJK` and the like).
    """

    weight: np.ndarray
    factor: np.ndarray
    stratum: np.ndarray
    calibrated: np.ndarray
    age_cat: np.ndarray
    sex_cat: np.ndarray
    source: np.ndarray


# ---------------------------------------------------------------------------------------------
# Raking
# ---------------------------------------------------------------------------------------------

def rake(categories: list[np.ndarray], targets: list[dict[str, float]]) -> np.ndarray:
    """Raking weights (iterative proportional fitting) of one group to fixed margin totals.

    Parameters
    ----------
    categories : list of numpy.ndarray
        Per margin, the category of every respondent (strings; every category has a target).
    targets : list of dict
        Per margin, the total weight each category must reach; every margin sums to the
        same total.

    Returns
    -------
    numpy.ndarray
        Weights that meet every margin (to :data:`RAKING_TOLERANCE`). With fixed totals the
        result is the unique raking solution, whatever the order of the margins or rows
        (Deming & Stephan 1940; Ireland & Kullback 1968).
    """
    n = len(categories[0]) if categories else 0
    w = np.ones(n)
    codes = [pd.factorize(c, sort=True) for c in categories]
    wanted = [np.array([t[str(label)] for label in labels], dtype=float) for (_, labels), t in zip(codes, targets)]
    for _ in range(RAKING_MAX_ITER):
        before = w.copy()
        for (index, _labels), goal in zip(codes, wanted):
            current = np.bincount(index, weights=w, minlength=len(goal))
            ratio = np.divide(goal, current, out=np.ones_like(goal), where=current > 0)
            w *= ratio[index]
        if np.max(np.abs(w - before), initial=0.0) < RAKING_TOLERANCE:
            break
    return w


def _as_float(value: Any) -> float:
    """A number from an area cell; NaN when it is empty or no number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _age_shares(row: pd.Series, classes: Iterable[str]) -> dict[str, float] | None:
    """Population shares of the given age classes, renormalised to 1; None when unknown."""
    present = [c for c in model.AGE_CLASSES if c in set(classes)]
    if not present:
        return None
    raw = {c: _as_float(row.get(model.AGE_CLASS_COLUMNS[c])) for c in present}
    if any(math.isnan(v) or v < 0 for v in raw.values()):
        return None
    total = float(sum(raw.values()))
    if total <= 0:
        return None
    return {c: float(v) / total for c, v in raw.items()}


def _sex_shares(row: pd.Series) -> dict[str, float] | None:
    men, women = _as_float(row.get("mannen")), _as_float(row.get("vrouwen"))
    if not (men > 0 and women > 0):  # also False for NaN
        return None
    return {"man": men / (men + women), "vrouw": women / (men + women)}


def _margin(labels: np.ndarray, shares: dict[str, float] | None) -> tuple[np.ndarray, dict[str, float]]:
    """Categories and fixed totals of one margin for one group.

    Respondents whose label has a population share take part in the margin; the others
    (:data:`OTHER`: age unknown, sex ``anders`` or unknown) keep their unweighted share of
    the group as the total of their own category, and the known categories share the rest
    in the population's proportions.
    """
    n = len(labels)
    if not shares:
        return np.full(n, OTHER, dtype=object), {OTHER: float(n)}
    cats = np.array([lab if isinstance(lab, str) and lab in shares else OTHER for lab in labels], dtype=object)
    n_other = float(np.sum(cats == OTHER))
    totals = {label: share * (n - n_other) for label, share in shares.items()}
    totals[OTHER] = n_other
    return cats, totals


def _collapse_age(cats: np.ndarray, shares: dict[str, float], minimum: int) -> tuple[np.ndarray, dict[str, float]] | None:
    """Join neighbouring age classes (youngest first) until each holds ``minimum`` respondents.

    Returns the joined categories and shares, or None when fewer than two groups remain.
    """
    groups: list[list[str]] = []
    current: list[str] = []
    count = 0
    for label in shares:  # in model.AGE_CLASSES order
        current.append(label)
        count += int(np.sum(cats == label))
        if count >= minimum:
            groups.append(current)
            current, count = [], 0
    if current and groups:
        groups[-1] += current
    if len(groups) < 2:
        return None
    name_of = {label: "/".join(g) for g in groups for label in g}
    joined = np.array([name_of.get(c, OTHER) for c in cats], dtype=object)
    joined_shares = {"/".join(g): sum(shares[label] for label in g) for g in groups}
    return joined, joined_shares


# ---------------------------------------------------------------------------------------------
# Weights per group
# ---------------------------------------------------------------------------------------------

def _population(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    population = pd.DataFrame(areas).drop(columns="geometry", errors="ignore")
    return population.drop_duplicates("gebiedscode").set_index("gebiedscode")


def _sex_labels(respondents: pd.DataFrame) -> np.ndarray:
    # pandas NA would make comparisons ambiguous: missing sex becomes None
    values = respondents["geslacht"].astype(object) if "geslacht" in respondents.columns else \
        pd.Series(None, index=respondents.index, dtype=object)
    return values.where(values.notna(), None).to_numpy()


def _age_labels(respondents: pd.DataFrame) -> np.ndarray:
    values = respondents["leeftijdsklasse"].astype(object)
    return values.where(values.notna(), None).to_numpy()


def _given_weights(respondents: pd.DataFrame) -> pd.Series:
    """Weights from the file: positive finite numbers, else NaN."""
    if "gewicht" not in respondents.columns:
        return pd.Series(np.nan, index=respondents.index)
    given = pd.to_numeric(respondents["gewicht"], errors="coerce").astype(float)
    return given.where((given > 0) & np.isfinite(given))


def _group_keys(respondents: pd.DataFrame, column: str) -> pd.Series:
    code = respondents[column].astype(object).where(respondents[column].notna(), "").astype(str)
    return code + "|" + respondents["jaar"].astype(str)


@dataclass
class _Raked:
    """Raked weights of one group with its calibration categories."""

    weight: np.ndarray
    age_cat: np.ndarray
    sex_cat: np.ndarray


def _rake_group(age: np.ndarray, sex: np.ndarray, row: pd.Series, classes: Iterable[str],
                minimum: int | None) -> _Raked | None:
    """Rake one group to ``row``'s age and sex margins; None when they cannot be used.

    With ``minimum`` (buurten) every age group (neighbouring classes joined) and both man and
    vrouw need ``minimum`` respondents, else None. Without it (wijken) an empty class or sex
    is left out of its margin.
    """
    shares = _age_shares(row, classes)
    if shares is None:
        return None
    age_cat, age_totals = _margin(age, shares)
    if minimum is not None:
        joined = _collapse_age(age_cat, shares, minimum)
        if joined is None:
            return None
        age_cat, age_totals = _margin(joined[0], joined[1])
    sex_shares = _sex_shares(row)
    has_both = bool(np.any(sex == "man")) and bool(np.any(sex == "vrouw"))
    if minimum is not None and (sex_shares is None or min(np.sum(sex == "man"), np.sum(sex == "vrouw")) < minimum):
        return None
    sex_cat, sex_totals = _margin(sex, sex_shares if has_both else None)
    return _Raked(rake([age_cat, sex_cat], [age_totals, sex_totals]), age_cat, sex_cat)


def poststratification_weights(respondents: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.Series:
    """Survey weights per respondent, normalised to mean 1 within each wijk and year.

    Method
    ------
    - When the file gives weights (``gewicht`` not all NaN) they are used as they are;
      a respondent without one (or with a weight that is not a positive finite number)
      gets the mean given weight of the wijk-year (1 when the wijk-year has none).
    - Otherwise the respondents of each wijk and year are raked to that wijk's CBS
      population (``areas``: ``p_00_14`` .. ``p_65_eo``, ``mannen``, ``vrouwen``):
      iterative proportional fitting on the age margin and the man/vrouw margin to fixed
      totals (the CBS gives no age x sex table, so raking on the two margins replaces cell
      weighting). Only the age classes with respondents take part (children under 15
      usually do not respond); their population shares are renormalised to 1. Respondents
      without an age class, or with sex ``anders`` or unknown, form their own category in
      that margin whose total is their own number: they keep their unweighted share, and
      man and vrouw share the rest as in the population. The margins have fixed totals,
      so the weights are the unique raking solution and do not depend on the order of rows
      or margins. Without both men and women the sex margin is dropped.
    - A wijk-year whose population shares are unknown (CBS secret) for a class that has
      respondents, or a respondent outside the known wijken, gets weight 1.

    Returns
    -------
    pandas.Series
        float weights named ``gewicht``, indexed like ``respondents``; mean 1 per wijk-year.
    """
    if respondents.empty:
        return pd.Series(dtype=float, index=respondents.index, name="gewicht")
    design = wijk_design(respondents, areas)
    return pd.Series(design.weight, index=respondents.index, name="gewicht")


def _normalise(w: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``w`` divided by its mean within each group."""
    total = np.bincount(groups, weights=w)
    count = np.bincount(groups).astype(float)
    return w / (total / count)[groups]


def wijk_design(respondents: pd.DataFrame, wijken: gpd.GeoDataFrame) -> Design:
    """The design of wijk figures: every wijk-year is a stratum, raked to the wijk's margins.

    See :func:`poststratification_weights` for the weights. Strata are numbered in the
    order of ``wijkcode|jaar``.
    """
    n = len(respondents)
    keys = _group_keys(respondents, "wijkcode")
    stratum, labels = pd.factorize(keys, sort=True)
    stratum = stratum.astype(np.int64)
    weight = np.ones(n)
    age_cat = np.full(n, OTHER, dtype=object)
    sex_cat = np.full(n, OTHER, dtype=object)
    calibrated = np.zeros(len(labels), dtype=bool)
    source = np.full(len(labels), SOURCE_UNWEIGHTED, dtype=object)
    given = _given_weights(respondents)
    if given.notna().any():
        filled = given.fillna(given.groupby(keys).transform("mean")).fillna(1.0).to_numpy(float)
        return Design(_normalise(filled, stratum), np.ones(n), stratum, calibrated, age_cat, sex_cat,
                      np.full(len(labels), SOURCE_GIVEN, dtype=object))
    population = _population(wijken)
    age, sex = _age_labels(respondents), _sex_labels(respondents)
    wijk = respondents["wijkcode"].astype(object).to_numpy()
    for h, rows in enumerate(pd.Series(np.arange(n)).groupby(stratum).indices.values()):
        code = wijk[rows[0]]
        if code not in population.index:
            continue
        present = pd.unique(np.array([a for a in age[rows] if a is not None], dtype=object))
        raked = _rake_group(age[rows], sex[rows], population.loc[code], present, None)
        if raked is None:
            continue
        weight[rows], age_cat[rows], sex_cat[rows] = raked.weight, raked.age_cat, raked.sex_cat
        calibrated[h], source[h] = True, SOURCE_WIJK
    weight = _normalise(weight, stratum)
    return Design(weight, weight.copy(), stratum, calibrated, age_cat, sex_cat, source)


def buurt_design(respondents: pd.DataFrame, buurten: gpd.GeoDataFrame, wijk: Design,
                 minimum: int = MIN_CELL_RESPONDENTS) -> tuple[Design, np.ndarray]:
    """The design of buurt figures raked to the buurt's own margins, where that is possible.

    A buurt-year is raked to its own CBS age and sex margins (the kerncijfers on the buurt
    row) when the buurt has them for the age classes of its wijk's survey and, after
    joining neighbouring age classes youngest first, every age group and both man and vrouw
    hold at least ``minimum`` respondents (:data:`MIN_CELL_RESPONDENTS`). Not when the file
    gives weights: those are used everywhere.

    Returns
    -------
    design : Design
        Strata are the buurt-years raked to their own margins (``stratum`` -1 elsewhere);
        weights are normalised to mean 1 per buurt-year.
    own : numpy.ndarray
        Per respondent, True when its buurt figure uses these buurt weights; the other buurt
        figures are domains of the wijk design.
    """
    n = len(respondents)
    empty = Design(np.ones(n), np.ones(n), np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=bool),
                   np.full(n, OTHER, dtype=object), np.full(n, OTHER, dtype=object), np.zeros(0, dtype=object))
    if n == 0 or _given_weights(respondents).notna().any():
        return empty, np.zeros(n, dtype=bool)
    population = _population(buurten)
    age, sex = _age_labels(respondents), _sex_labels(respondents)
    buurt = respondents["buurtcode"].astype(object).to_numpy()
    groups = pd.Series(np.arange(n)).groupby(_group_keys(respondents, "buurtcode").to_numpy()).indices
    own = np.zeros(n, dtype=bool)
    design = empty
    strata = 0
    for key in sorted(groups, key=str):
        rows = groups[key]
        code = buurt[rows[0]]
        h = wijk.stratum[rows[0]]
        if code not in population.index or not wijk.calibrated[h]:
            continue
        wijk_rows = wijk.stratum == h
        present = pd.unique(np.array([a for a in age[wijk_rows] if a is not None], dtype=object))
        raked = _rake_group(age[rows], sex[rows], population.loc[code], present, minimum)
        if raked is None:
            continue
        design.weight[rows] = raked.weight / raked.weight.mean()
        design.age_cat[rows], design.sex_cat[rows] = raked.age_cat, raked.sex_cat
        design.stratum[rows] = strata
        own[rows] = True
        strata += 1
    design.factor = design.weight.copy()
    design.calibrated = np.ones(strata, dtype=bool)
    design.source = np.full(strata, SOURCE_BUURT, dtype=object)
    return design, own


def gemeente_design(respondents: pd.DataFrame, wijken: gpd.GeoDataFrame, wijk: Design) -> Design:
    """The design of gemeente figures: the wijk design with each wijk-year scaled to its population share.

    The factor ``inwoners_wijk / sum(weights in the wijk-year)`` (a design weight, constant
    within the stratum) makes a wijk count as its share of the inhabitants, so a wijk that
    responded well does not count for more. It is 1 for every respondent of a year in which
    a wijk with respondents has no known population.
    """
    inhabitants = pd.Series(dtype=float)
    if len(wijken) and "inwoners" in wijken.columns:
        inhabitants = pd.to_numeric(_population(wijken)["inwoners"], errors="coerce")
    code = respondents["wijkcode"].astype(object)
    pop = code.map(inhabitants).astype(float)
    pop = pop.where(pop > 0)
    usable = pop.notna().groupby(respondents["jaar"]).transform("all").to_numpy(bool)
    total = np.bincount(wijk.stratum, weights=wijk.weight)[wijk.stratum] if len(code) else np.zeros(0)
    factor = np.where(usable, pop.to_numpy(float) / np.where(total > 0, total, 1.0), 1.0)
    factor = np.where(np.isfinite(factor), factor, 1.0)
    return Design(wijk.weight * factor, wijk.factor.copy(), wijk.stratum.copy(), wijk.calibrated.copy(),
                  wijk.age_cat.copy(), wijk.sex_cat.copy(), wijk.source.copy())
