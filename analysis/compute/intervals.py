"""Design-based estimates and 95% intervals of weighted survey means and shares (Taylor linearisation).

The variance is the one R's ``survey`` package reports for ``svymean(~y, design, na.rm = TRUE)``
(Lumley 2004, 2010) on the design of :mod:`analysis.compute.weights`:

- every stratum (a wijk-year, or a buurt-year raked to its own margins) is a with-replacement
  sample of its respondents; an area figure is a ratio estimator ``y_bar = sum w y / sum w``
  over the area's respondents with a valid answer (a domain of its stratum);
- its linearised values are ``z_i = w_i (y_i - y_bar) / sum w`` inside the domain and 0
  elsewhere in the stratum (also for respondents without a valid answer: R keeps them in a
  calibrated design with weight 0, so they count in the stratum's n);
- in a raked stratum ``z`` is replaced by the calibration residuals, as ``svyrecvar`` does for
  a design made by ``calibrate(..., calfun = "raking")``: ``e = g * resid(X, z / g)``, the
  least-squares residuals of ``z / g`` on the calibration model matrix ``X`` (intercept, age
  categories, sex categories) times the calibration factor ``g``;
- ``var = sum over strata h of n_h / (n_h - 1) * sum_i (e_i - mean_h(e))^2`` (``n_h`` all
  respondents of the stratum; no finite population correction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.compute.weights import Design

#: z value of a two-sided 95% interval.
Z_95 = 1.96
#: A variance at or below this share of the squared scale range counts as zero (identical answers).
ZERO_VARIANCE = 1e-12


def wilson_interval(p: np.ndarray | float, n: np.ndarray | float, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share ``p`` (0-1) from ``n`` (effective) observations.

    ``centre = (p + z^2/2n) / (1 + z^2/n)``,
    ``half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)`` (Wilson 1927; Newcombe 1998).
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def _sum_by(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Column sums of ``values`` (rows x k) per group (rows with group -1 are left out)."""
    out = np.zeros((n_groups, values.shape[1]))
    inside = groups >= 0
    np.add.at(out, groups[inside], values[inside])
    return out


def _model_matrix(age_cat: np.ndarray, sex_cat: np.ndarray) -> np.ndarray:
    """Intercept and the dummies of both calibration margins (rank-deficient; least squares copes)."""
    parts = [np.ones((len(age_cat), 1))]
    for cats in (age_cat, sex_cat):
        codes, labels = pd.factorize(cats)
        parts.append(np.eye(len(labels))[codes])
    return np.hstack(parts)


def linearised_variance(design: Design, domain: np.ndarray, z: np.ndarray, n_domains: int) -> np.ndarray:
    """Variance per domain and column of ``z`` (see the module docstring for the formula).

    Parameters
    ----------
    design : Design
        Weights, calibration factors, strata and calibration categories.
    domain : numpy.ndarray
        Domain number per respondent (-1: in no domain).
    z : numpy.ndarray
        Linearised values, rows x k (0 outside the respondent's domain or without a valid answer).
    n_domains : int
        Number of domains.

    Returns
    -------
    numpy.ndarray
        n_domains x k variances.
    """
    k = z.shape[1]
    var = np.zeros((n_domains, k))
    strata = pd.Series(np.arange(len(domain))).groupby(design.stratum).indices
    for key, rows in strata.items():
        h = int(key)
        if h < 0:
            continue
        doms = np.unique(domain[rows])
        doms = doms[doms >= 0]
        if len(doms) == 0 or len(rows) < 2:
            continue
        expanded = np.zeros((len(rows), len(doms) * k))
        for j, d in enumerate(doms):
            inside = domain[rows] == d
            expanded[inside, j * k:(j + 1) * k] = z[rows][inside]
        if design.calibrated[h]:
            g = design.factor[rows][:, None]
            x = _model_matrix(design.age_cat[rows], design.sex_cat[rows])
            b = expanded / g
            coef, *_ = np.linalg.lstsq(x, b, rcond=None)
            expanded = (b - x @ coef) * g
        centred = expanded - expanded.mean(axis=0)
        m = len(rows)
        var[doms] += (m / (m - 1) * (centred**2).sum(axis=0)).reshape(len(doms), k)
    return var


def domain_estimates(design: Design, domain: np.ndarray, values: np.ndarray, n_domains: int) -> dict[str, np.ndarray]:
    """Weighted means, their linearised variance, n and Kish's effective n per domain and column.

    Parameters
    ----------
    design : Design
    domain : numpy.ndarray
        Domain number per respondent (-1: in no domain of this design).
    values : numpy.ndarray
        Respondents x indicators; NaN = no valid answer.
    n_domains : int

    Returns
    -------
    dict
        ``mean``, ``var``, ``n`` (valid respondents), ``n_kish`` (``(sum w)^2 / sum w^2``),
        each n_domains x indicators.
    """
    valid = ~np.isnan(values) & (domain >= 0)[:, None]
    w = np.where(valid, design.weight[:, None], 0.0)
    y = np.where(valid, values, 0.0)
    total = _sum_by(domain, w, n_domains)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = _sum_by(domain, w * y, n_domains) / total
        n_kish = total**2 / _sum_by(domain, w**2, n_domains)
        rows = np.clip(domain, 0, None)
        z = np.where(valid, w * (y - mean[rows]) / total[rows], 0.0)
    var = linearised_variance(design, domain, np.nan_to_num(z), n_domains)
    n = _sum_by(domain, valid.astype(float), n_domains)
    return {"mean": mean, "var": var, "n": n, "n_kish": n_kish}


def mean_interval(mean: np.ndarray, var: np.ndarray, n_kish: np.ndarray, top: float = 10.0,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of a weighted mean of scores between 0 and ``top``.

    ``mean +- 1.96 * sqrt(var)``, clipped to 0 .. ``top``. When the variance is zero (every
    valid answer the same, or the answers fully explained by the weighting classes) that
    would be an interval of zero width presented as certainty; then the interval is the one
    of the largest variance a score between 0 and ``top`` with this mean can have (the scores
    all at 0 or ``top``: Bhatia & Davis 2000), written as ``top`` times the Wilson interval of
    ``mean / top`` with Kish's effective n: wide in the middle of the scale, and of positive
    width at 0 and ``top`` too.
    """
    mean = np.asarray(mean, dtype=float)
    var = np.asarray(var, dtype=float)
    zero = var <= ZERO_VARIANCE * top**2
    half = Z_95 * np.sqrt(np.clip(var, 0, None))
    wl, wh = wilson_interval(np.clip(mean / top, 0, 1), n_kish)
    low = np.where(zero, top * wl, mean - half)
    high = np.where(zero, top * wh, mean + half)
    return np.clip(low, 0, top), np.clip(high, 0, top)


def share_interval(p: np.ndarray, var: np.ndarray, n_kish: np.ndarray, n: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of a weighted share ``p`` (0-1): Wilson with the design's effective n.

    The effective n is ``p (1 - p) / var`` (the n of a simple random sample with the same
    variance; Korn & Graubard 1998, as R's ``svyciprop(method = "beta")`` uses it), and
    the Wilson score interval on it (the "modified Wilson" interval; recommended for
    survey proportions by Franco, Little, Louis & Slud 2019, J. Survey Stat. Methodol. 7(3)).
    At 0% and 100% the variance is zero and that n undefined: then Kish's effective n
    ``(sum w)^2 / sum w^2`` is used, so the interval keeps a positive width. Our rule: the
    effective n is never taken above the number of respondents ``n``, so weighting never
    makes an interval narrower than that of the same respondents unweighted.
    """
    p = np.asarray(p, dtype=float)
    var = np.asarray(var, dtype=float)
    inner = (p > 0) & (p < 1) & (var > ZERO_VARIANCE)
    with np.errstate(divide="ignore", invalid="ignore"):
        design_n = np.where(inner, p * (1 - p) / np.where(inner, var, 1.0), n_kish)
    n_eff = np.minimum(design_n, np.asarray(n, dtype=float))
    low, high = wilson_interval(p, n_eff)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)
