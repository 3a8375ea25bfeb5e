"""Rank stability: how often each area lands in the top of the priority ranking when noise and weights vary.

A ranking that hinges on noise should be visible. In each of a few hundred draws (fixed seed):

- every survey figure that enters the cohesion index is drawn from a normal distribution around its
  value with the standard error of its own 95 % interval (``(ci_hoog - ci_laag) / (2 * 1.96)``), kept
  within its scale (0-100 % or 0-10), and the cohesion index is recomputed exactly as the engine does
  (:func:`analysis.compute.indexes.cohesion_index`);
- every criterion weight is drawn uniformly within ``[w * (1 - r), w * (1 + r)]`` around the chosen weight
  (:data:`WEIGHT_RANGE` = 0.5 by default: half to one and a half times the chosen weight);
- the areas are scored on the stated criterion scales (:func:`analysis.compute.priorities.criterion_points`)
  and ranked.

Need and gap figures come from registrations and CBS counts and are not drawn. Areas left out of the
ranking (too few inhabitants, no figures) are left out of every draw too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.compute.indexes import COHESION_INPUTS, cohesion_index
from analysis.compute.intervals import Z_95
from analysis.compute.priorities import criterion_points, priorities
from analysis.compute.tables import column, level_year, wide
from analysis.params import PRIORITY_CRITERIA, IndicatorParams, check_weights

#: Default number of draws.
DRAWS = 300
#: Default relative range of the weights: each is drawn within [w (1 - r), w (1 + r)].
WEIGHT_RANGE = 0.5
#: The top of the ranking that is counted.
TOP = 3
#: Columns of :func:`rank_stability`.
STABILITY_COLUMNS: tuple[str, ...] = ("gebiedscode", "gebiedsnaam", "prioriteit_rang", "top_aandeel_pct",
                                      "rang_laag", "rang_hoog", "trekkingen", "tekst")
_SURVEY_KEYS: tuple[str, ...] = (*COHESION_INPUTS["enquete"], *COHESION_INPUTS["participatie"])


def _standard_errors(rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """``code x key`` standard errors from the 95 % intervals of the survey inputs (NaN when unknown)."""
    survey = rows[rows["indicator"].astype(str).isin(_SURVEY_KEYS)]
    if len(survey) == 0:
        return pd.DataFrame()
    se = (pd.to_numeric(survey["ci_hoog"], errors="coerce") - pd.to_numeric(survey["ci_laag"], errors="coerce")) / (2 * Z_95)
    return wide(survey.assign(waarde=se, niveau=level), level)


def _draw_scores(values: pd.DataFrame, se: pd.DataFrame, inwoners: pd.Series, params: IndicatorParams,
                 rng: np.random.Generator, weight_range: float) -> pd.Series:
    """One draw: noisy survey inputs, the recomputed cohesion index, drawn weights, the scores."""
    drawn = values.copy()
    for key in _SURVEY_KEYS:
        if key not in drawn.columns or key not in se.columns:
            continue
        spread = column(se, key).reindex(drawn.index).fillna(0.0).to_numpy(float)
        top = 10.0 if key.endswith("_score") else 100.0
        noisy = drawn[key].to_numpy(float) + rng.normal(0.0, 1.0, len(drawn)) * spread
        drawn[key] = np.clip(noisy, 0.0, top)
    if any(key in drawn.columns for key in _SURVEY_KEYS):
        drawn["cohesie_index"] = cohesion_index(drawn, inwoners, params)["cohesie_index"]
    points = criterion_points(drawn)
    base = pd.Series(check_weights(params.priority_weights, PRIORITY_CRITERIA, "prioriteiten"))
    w = base.reindex(list(PRIORITY_CRITERIA)).fillna(0.0) * rng.uniform(1 - weight_range, 1 + weight_range, 3)
    total = points.notna().mul(w, axis=1).sum(axis=1)
    return points.mul(w, axis=1).sum(axis=1, min_count=1) / total.where(total > 0)


def rank_stability(table: pd.DataFrame, year: int, params: IndicatorParams | None = None, level: str = "wijk",
                   draws: int = DRAWS, weight_range: float = WEIGHT_RANGE, top: int = TOP) -> pd.DataFrame:
    """How often each ranked area lands in the top ``top`` over ``draws`` draws (see the module's rule).

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table (with ``ci_laag``/``ci_hoog`` for survey figures).
    year : int
        Year.
    params : IndicatorParams, optional
        Weights, minimum population and ``seed`` (the draws are reproducible with it).
    level : {"wijk", "buurt"}
        Level.
    draws : int
        Number of draws.
    weight_range : float
        Relative range of the drawn weights (0 = the chosen weights only).
    top : int
        Size of the top that is counted.

    Returns
    -------
    pandas.DataFrame
        :data:`STABILITY_COLUMNS`, in the order of the ranking; ``top_aandeel_pct`` is the share of draws
        with the area in the top, ``rang_laag``/``rang_hoog`` the 5th and 95th percentile of its rank, and
        ``tekst`` the plain Dutch sentence ("in 92% van de trekkingen bij de eerste drie").
    """
    params = params or IndicatorParams()
    ranked = priorities(table, year, params, level)
    ranked = ranked[ranked["prioriteit_score"].notna()].reset_index(drop=True)
    if len(ranked) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in STABILITY_COLUMNS})
    rows = level_year(table, year, level)
    values = wide(rows.assign(niveau=level), level)  # every area of the level: the index's reference
    values.index = values.index.astype(str)
    inwoners = column(values, "inwoners")
    se = _standard_errors(rows, level)
    if len(se):
        se.index = se.index.astype(str)
    codes = ranked["gebiedscode"].astype(str).to_numpy()
    rng = np.random.default_rng(params.seed)
    ranks = np.empty((draws, len(codes)), dtype=np.int64)
    for d in range(draws):
        scores = _draw_scores(values, se, inwoners, params, rng, weight_range).reindex(codes).to_numpy(float)
        order = np.lexsort((np.arange(len(scores)), -np.nan_to_num(scores, nan=-np.inf)))
        ranks[d, order] = np.arange(1, len(scores) + 1)
    share = 100.0 * (ranks <= top).mean(axis=0)
    words = {1: "als eerste", 2: "bij de eerste twee", 3: "bij de eerste drie"}.get(top, f"bij de eerste {top}")
    return pd.DataFrame({
        "gebiedscode": ranked["gebiedscode"].astype(str), "gebiedsnaam": ranked["gebiedsnaam"],
        "prioriteit_rang": ranked["prioriteit_rang"].astype(int), "top_aandeel_pct": share.round(1),
        "rang_laag": np.percentile(ranks, 5, axis=0).round().astype(int),
        "rang_hoog": np.percentile(ranks, 95, axis=0).round().astype(int),
        "trekkingen": draws,
        "tekst": [f"in {s:.0f}% van de trekkingen {words}" for s in share],
    })[list(STABILITY_COLUMNS)]
