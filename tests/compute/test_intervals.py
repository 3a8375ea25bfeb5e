"""Tests for analysis.compute.intervals: linearised variances and intervals, checked against hand computations.

The variance is the one R's survey package gives for svymean(~y, design, na.rm = TRUE): per stratum
n/(n-1) * sum (e_i - mean e)^2 with e the calibration residuals of z_i = w_i (y_i - y_bar) / sum w.
For post-stratification on one margin the residual of respondent i in class h is w_i (y_i - y_bar_h) / sum w
(y_bar_h the class mean), which is what the hand computations below use.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.compute import intervals, survey, weights
from tests.survey_cases import figure, make_ds, respondents, simple_codebook

Z = 1.96
B2W = {"BU09990101": "WK099901", "BU09990102": "WK099901"}
#: The wijk is half 25-44 and half 65+ among the classes that respond.
HALF = {"WK099901": {"inwoners": 1000, "p_00_14": 0, "p_15_24": 0, "p_25_44": 30, "p_45_64": 0, "p_65_eo": 30}}


def wilson(p: float, n: float) -> tuple[float, float]:
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_interval_textbook_values():
    lo, hi = intervals.wilson_interval(0.8, 10)       # 8 of 10: Wilson (1927), Newcombe (1998): 0.4902-0.9433
    assert float(lo) == pytest.approx(0.4902, abs=1e-4) and float(hi) == pytest.approx(0.9433, abs=1e-4)
    lo, hi = intervals.wilson_interval(0.0, 10)       # 0 of 10: 0-0.2775
    assert float(lo) == pytest.approx(0.0, abs=1e-12) and float(hi) == pytest.approx(0.2775, abs=1e-4)


def _poststratified(y_young: list[int], y_old: list[int], buurt_of: list[str] | None = None,
                    times: int = 1) -> pd.DataFrame:
    rows = ([{"leeftijdsklasse": "25-44", "cijfer": y, "vrijwilliger": 1 if y >= 6 else 2} for y in y_young]
            + [{"leeftijdsklasse": "65+", "cijfer": y, "vrijwilliger": 1 if y >= 6 else 2} for y in y_old])
    buurt_of = buurt_of or ["BU09990101"] * len(rows)
    per: dict[str, list[dict]] = {}
    for _ in range(times):
        for b, r in zip(buurt_of, rows):
            per.setdefault(b, []).append(dict(r))
    return respondents(B2W, per)


def test_poststratified_mean_by_hand():
    # 25-44: y = 2, 4, 6, 8 (4 respondents), 65+: y = 5, 5, 7, 7, 9, 9 (6); population half and half.
    # g = 0.5 * 10 / 4 = 1.25 and 0.5 * 10 / 6 = 5/6; sum w = 10; y_bar = (1.25 * 20 + 5/6 * 42) / 10 = 6.
    # class means 5 and 7; e = w (y - class mean) / 10: -0.375, -0.125, 0.125, 0.375 and +-1/6 (four), 0 (two)
    # sum e^2 = 2 * (0.140625 + 0.015625) + 4 / 36 = 0.4236111; var = 10/9 * 0.4236111 = 0.4706790
    resp = _poststratified([2, 4, 6, 8], [5, 5, 7, 7, 9, 9])
    ds = make_ds(resp, simple_codebook(), B2W, HALF)
    design = weights.wijk_design(resp, ds.wijken)
    est = intervals.domain_estimates(design, np.zeros(len(resp), dtype=np.int64),
                                     resp[["cijfer"]].to_numpy(float), 1)
    assert est["mean"][0, 0] == pytest.approx(6.0)
    assert est["var"][0, 0] == pytest.approx(10 / 9 * (2 * (0.375**2 + 0.125**2) + 4 / 36), rel=1e-12)
    assert est["var"][0, 0] == pytest.approx(0.4706790, abs=1e-7)
    # the same respondents twice (20, so the figure is published at threshold 10): sum e^2 halves, n/(n-1) = 20/19
    table = survey.survey_indicators(make_ds(_poststratified([2, 4, 6, 8], [5, 5, 7, 7, 9, 9], times=2),
                                             simple_codebook(), B2W, HALF), threshold=10)
    mark = figure(table, "WK099901", "tevredenheid_voorzieningen")
    se = math.sqrt(20 / 19 * 0.4236111111 / 2)
    assert mark["waarde"] == pytest.approx(6.0)
    assert mark["ci_laag"] == pytest.approx(6 - Z * se, abs=1e-6) and mark["ci_hoog"] == pytest.approx(6 + Z * se, abs=1e-6)
    assert mark["bron"] == weights.SOURCE_WIJK


def test_buurt_figure_is_a_domain_of_the_wijk_design_by_hand():
    # buurt X holds 2, 4 (25-44) and 5, 7, 9 (65+); sum w = 2 * 1.25 + 3 * 5/6 = 5; y_bar = (7.5 + 17.5) / 5 = 5.
    # z = w (y - 5) / 5 in X, 0 elsewhere; z/g: 25-44: -0.6, -0.2, 0, 0 (mean -0.2); 65+: 0, 0.4, 0.8, 0, 0, 0 (0.2)
    # e = g * (z/g - class mean): 25-44: -0.5, 0, 0.25, 0.25; 65+: 5/6 * (-0.2, 0.2, 0.6, -0.2, -0.2, -0.2)
    # sum e^2 = 0.25 + 2 * 0.0625 + (25/36) * (5 * 0.04 + 0.36) = 0.7638889; var = 10/9 * that (all 10 of the wijk)
    x, y = "BU09990101", "BU09990102"
    resp = _poststratified([2, 4, 6, 8], [5, 7, 9, 5, 7, 9], buurt_of=[x, x, y, y, x, x, x, y, y, y])
    ds = make_ds(resp, simple_codebook(), B2W, HALF)
    design = weights.wijk_design(resp, ds.wijken)
    domain = np.where(resp["buurtcode"] == "BU09990101", 0, -1)
    est = intervals.domain_estimates(design, domain, resp[["cijfer"]].to_numpy(float), 1)
    assert est["mean"][0, 0] == pytest.approx(5.0)
    expected = 10 / 9 * (0.25 + 2 * 0.0625 + 25 / 36 * (5 * 0.04 + 0.36))
    assert est["var"][0, 0] == pytest.approx(expected, rel=1e-12)
    assert est["n"][0, 0] == 5


def test_poststratified_share_with_its_design_effective_n():
    # 25-44: yes 1 of 4, 65+: yes 3 of 6 (y = 1 for cijfer >= 6); p = (1.25 * 1 + 5/6 * 3) / 10 = 0.375
    # e = w (y - class share) / 10: 25-44: 0.125 * (0.75, -0.25 x3); 65+: (1/12) * (0.5 x3, -0.5 x3)
    # var = 10/9 * (0.09375^2 + 3 * 0.03125^2 + 6 * (1/24)^2) = 0.02459491; n_eff = 0.375 * 0.625 / var = 9.529
    resp = _poststratified([6, 1, 2, 3], [6, 7, 8, 1, 2, 3], times=1)
    ds = make_ds(resp, simple_codebook(), B2W, HALF)
    design = weights.wijk_design(resp, ds.wijken)
    est = intervals.domain_estimates(design, np.zeros(len(resp), dtype=np.int64),
                                     (resp[["cijfer"]] >= 6).astype(float).to_numpy(), 1)
    var = 10 / 9 * (0.09375**2 + 3 * 0.03125**2 + 6 * (1 / 24) ** 2)
    assert est["mean"][0, 0] == pytest.approx(0.375)
    assert est["var"][0, 0] == pytest.approx(var, rel=1e-12)
    lo, hi = intervals.share_interval(est["mean"], est["var"], est["n_kish"], est["n"])
    n_eff = 0.375 * 0.625 / var
    assert n_eff == pytest.approx(9.529, abs=1e-3)
    assert (float(lo[0, 0]), float(hi[0, 0])) == pytest.approx(wilson(0.375, n_eff))


def test_given_weights_mean_and_share_by_hand():
    heavy = [{"cijfer": 8, "vrijwilliger": 1, "gewicht": 2.0} for _ in range(5)]
    light = ([{"cijfer": 5, "vrijwilliger": 1, "gewicht": 1.0}]
             + [{"cijfer": 5, "vrijwilliger": 2, "gewicht": 1.0} for _ in range(4)])
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": heavy + light})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w), threshold=10)
    # mean: sum w = 15, y_bar = (5 * 2 * 8 + 5 * 5) / 15 = 7; z = 2 (8 - 7) / 15 = 2/15 (5x), (5 - 7) / 15 = -2/15 (5x)
    # var = 10/9 * 10 * (2/15)^2 = 0.1975309, se = 4/9; the Kish interval was 7 +- 0.98, this is 7 +- 0.8711
    mark = figure(table, "WK099901", "tevredenheid_voorzieningen")
    assert mark["waarde"] == pytest.approx(7.0) and mark["n"] == 10
    assert mark["ci_laag"] == pytest.approx(7 - Z * 4 / 9) and mark["ci_hoog"] == pytest.approx(7 + Z * 4 / 9)
    # share: p = 11/15; z = 2 (1 - p) / 15 = 8/225 (5x), (1 - p) / 15 = 4/225, -p / 15 = -11/225 (4x)
    # var = 10/9 * (5 * 64 + 16 + 4 * 121) / 225^2; p (1 - p) / var = 10.87 > n = 10, so n_eff = 10
    var = 10 / 9 * (5 * 64 + 16 + 4 * 121) / 225**2
    assert (11 / 15) * (4 / 15) / var == pytest.approx(10.866, abs=1e-3)
    share = figure(table, "WK099901", "vrijwilliger_pct")
    lo, hi = wilson(11 / 15, 10)
    assert share["waarde"] == pytest.approx(100 * 11 / 15)
    assert share["ci_laag"] == pytest.approx(100 * lo) and share["ci_hoog"] == pytest.approx(100 * hi)
    assert share["bron"] == weights.SOURCE_GIVEN


@pytest.mark.parametrize("value, low, high", [(8, 4.902, 9.433), (10, 7.225, 10.0), (0, 0.0, 2.775)])
def test_identical_scores_get_a_widened_interval_never_zero_width(value, low, high):
    # ten identical 0-10 scores, unweighted: var = 0, so the interval is 10 x Wilson(value / 10, n = 10)
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": [{"cijfer": value, "vrijwilliger": 1} for _ in range(10)]})
    mark = figure(survey.survey_indicators(make_ds(resp, simple_codebook(), b2w), threshold=10),
                  "WK099901", "tevredenheid_voorzieningen")
    assert mark["waarde"] == pytest.approx(value)
    assert mark["ci_laag"] == pytest.approx(low, abs=1e-3) and mark["ci_hoog"] == pytest.approx(high, abs=1e-3)
    assert mark["ci_hoog"] - mark["ci_laag"] > 2


@pytest.mark.parametrize("answer, low, high", [(2, 0.0, 27.75), (1, 72.25, 100.0)])
def test_shares_of_zero_and_hundred_percent_keep_a_positive_width(answer, low, high):
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": [{"cijfer": 5, "vrijwilliger": answer} for _ in range(10)]})
    share = figure(survey.survey_indicators(make_ds(resp, simple_codebook(), b2w), threshold=10),
                   "WK099901", "vrijwilliger_pct")
    assert share["ci_laag"] == pytest.approx(low, abs=1e-2) and share["ci_hoog"] == pytest.approx(high, abs=1e-2)


def test_stratified_gemeente_variance_adds_the_wijken():
    # two unweighted wijken, each a stratum; gemeente weights scale each wijk to its population (1:3)
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902"}
    resp = respondents(b2w, {"BU09990101": [{"cijfer": y, "vrijwilliger": 1} for y in [2, 4, 6, 8] * 3],
                             "BU09990201": [{"cijfer": y, "vrijwilliger": 1} for y in [5, 7] * 6]})
    pop = {"WK099901": {"inwoners": 1000}, "WK099902": {"inwoners": 3000}}
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w, pop), threshold=10)
    gm = figure(table, "GM0999", "tevredenheid_voorzieningen")
    # y_bar = 0.25 * 5 + 0.75 * 6 = 5.75; per wijk h: n_h/(n_h-1) * sum (s_h (y - y_bar_h))^2 with s_h = share / n_h
    v1 = 12 / 11 * sum((0.25 / 12 * (y - 5)) ** 2 for y in [2, 4, 6, 8] * 3)
    v2 = 12 / 11 * sum((0.75 / 12 * (y - 6)) ** 2 for y in [5, 7] * 6)
    assert gm["waarde"] == pytest.approx(5.75)
    assert gm["ci_hoog"] - gm["waarde"] == pytest.approx(Z * math.sqrt(v1 + v2))
