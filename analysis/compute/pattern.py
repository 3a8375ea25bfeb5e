"""Hot and cold spots: Moran's I and local Moran (LISA) with tie-aware pseudo p-values and a false discovery rate."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import registry
from analysis.formatting import format_number
from analysis.params import IndicatorParams

#: What the map and pages call the spatial pattern (never "LISA" or "Moran's I" in the interface).
PATTERN_TITLE = "Samenhang in de ruimte"
#: Plain-Dutch name of each cluster code; the map layer reads its legend and tooltips from here.
CLUSTER_LABELS: Mapping[str, str] = MappingProxyType({
    "HH": "hoge waarden bij elkaar",
    "LL": "lage waarden bij elkaar",
    "HL": "hoge waarde tussen lage",
    "LH": "lage waarde tussen hoge",
    "ns": "geen duidelijk patroon",
})
#: Cluster codes that are a pattern (shown on the map), in legend order.
PATTERN_CLUSTERS: tuple[str, ...] = ("HH", "LL", "HL", "LH")
#: Relative tolerance for ties between a permuted and the observed statistic (see :func:`pseudo_p_values`).
TIE_TOLERANCE = 1e-12
#: esda's quadrant codes to cluster codes.
_QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass
class SpatialPattern:
    """Moran's I and the local clusters of one indicator on one level.

    Attributes
    ----------
    moran_i, p_value : float
        Global Moran's I and its pseudo p-value.
    lisa : pandas.DataFrame
        ``gebiedscode, waarde, cluster`` (``HH``, ``LL``, ``HL``, ``LH`` or ``ns``), ``p`` (pseudo
        p-value, NaN for areas without neighbours), ``significant`` (after the false discovery rate
        correction when ``fdr``) and ``uitleg`` (:data:`CLUSTER_LABELS`); ``attrs`` holds ``moran_i``
        and ``moran_p``.
    key, level : str
        Indicator and level.
    year, permutations, seed : int
        Year, permutations and seed used.
    islands : list of str
        Areas without neighbours (left out of the statistics, cluster ``ns``).
    alpha : float
        Significance level.
    fdr : bool
        Whether the false discovery rate (Benjamini-Hochberg) was controlled.
    p_threshold : float
        The p-value at or below which an area counts as significant (``alpha`` without correction).
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
    alpha: float = 0.05
    fdr: bool = True
    p_threshold: float = 0.05

    @property
    def test(self) -> str:
        """The test, in plain Dutch (for the methodology note under the map)."""
        correction = (" Omdat elk gebied apart getoetst wordt, is gecorrigeerd voor het aantal toetsen (false "
                      "discovery rate, Benjamini en Hochberg)." if self.fdr else "")
        return (f"Eenzijdige permutatietoets in de richting van de gemeten waarde, met {self.permutations} "
                f"permutaties (vaste startwaarde {self.seed}); een gebied telt bij een p-waarde van hoogstens "
                f"{format_number(self.p_threshold, 4)}.{correction}")

    def summary(self) -> str:
        """Moran's I in one plain-Dutch sentence."""
        return (f"{PATTERN_TITLE}: {format_number(self.moran_i, 2)} (p = {format_number(self.p_value, 3)}). "
                "Boven 0 lijken gebieden op hun buren (hoge waarden liggen bij hoge, lage bij lage); rond 0 is "
                "er geen samenhang; onder 0 wisselen hoog en laag elkaar af.")


def pseudo_p_values(observed: np.ndarray, simulated: np.ndarray, tolerance: float = TIE_TOLERANCE) -> np.ndarray:
    """One-sided permutation p-values in the direction of the observed statistic, counting ties.

    ``p = (min(#{sim >= obs - tol}, #{sim <= obs + tol}) + 1) / (permutations + 1)`` with
    ``tol = tolerance * max(1, |obs|, max |sim|)``. esda compares strictly, so a permuted statistic
    that equals the observed one up to floating-point rounding is not counted; for an area with a
    single neighbour that tie is the neighbour itself, and the p-value collapses to
    ``1 / (permutations + 1)`` (0.001 where R's spdep gives about 1 / (n - 1)).

    Parameters
    ----------
    observed : numpy.ndarray
        ``(n,)`` observed statistics.
    simulated : numpy.ndarray
        ``(permutations, n)`` statistics under the null.
    tolerance : float
        Relative tolerance of a tie.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` pseudo p-values in ``(0, 1]``.
    """
    obs = np.asarray(observed, dtype=float)
    sim = np.asarray(simulated, dtype=float).reshape(-1, obs.size)
    scale = np.maximum(1.0, np.maximum(np.abs(obs), np.abs(sim).max(axis=0, initial=0.0)))
    tol = tolerance * scale
    larger = (sim >= obs - tol).sum(axis=0)
    smaller = (sim <= obs + tol).sum(axis=0)
    return (np.minimum(larger, smaller) + 1.0) / (sim.shape[0] + 1.0)


def fdr_threshold(p_values: np.ndarray, alpha: float) -> float:
    """The Benjamini-Hochberg cut-off: the largest ``p_(k)`` with ``p_(k) <= k * alpha / m`` (0 when none).

    NaN p-values (areas without neighbours) are not tested and do not count in ``m``.
    """
    p = np.sort(np.asarray(p_values, dtype=float)[np.isfinite(p_values)])
    if p.size == 0:
        return 0.0
    below = p <= alpha * np.arange(1, p.size + 1) / p.size
    return float(p[np.flatnonzero(below)[-1]]) if below.any() else 0.0


def _values(table: pd.DataFrame, areas: gpd.GeoDataFrame, key: str, year: int, level: str) -> gpd.GeoDataFrame:
    rows = table[(pd.to_numeric(table["jaar"], errors="coerce") == int(year))
                 & (table["indicator"].astype(str) == key) & (table["niveau"].astype(str) == level)]
    values = rows.drop_duplicates("gebiedscode").set_index(rows["gebiedscode"].astype(str).drop_duplicates())["waarde"]
    gdf = areas[["gebiedscode", "geometry"]].copy()
    gdf["gebiedscode"] = gdf["gebiedscode"].astype(str)
    gdf["waarde"] = gdf["gebiedscode"].map(values).astype(float)
    return gdf


def _weights(used: gpd.GeoDataFrame) -> tuple[object, gpd.GeoDataFrame, list[str]]:
    """Queen contiguity of the areas with a value, without islands (returned by code)."""
    from libpysal.weights import Queen

    islands: list[str] = []
    w = None
    if len(used) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = Queen.from_dataframe(used, use_index=False)
            if w.islands:
                islands = [str(used["gebiedscode"].iloc[i]) for i in w.islands]
                used = used.drop(index=w.islands).reset_index(drop=True)
                w = Queen.from_dataframe(used, use_index=False) if len(used) >= 2 else w
    return w, used, islands


def _statistics(y: np.ndarray, w: object, params: IndicatorParams) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Moran's I, its p-value, and the local quadrants and p-values (tie-aware), with the params' seed."""
    from esda.moran import Moran, Moran_Local

    state = np.random.get_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda's notices about future defaults and constant lags
        try:
            np.random.seed(params.seed)
            moran = Moran(y, w, permutations=params.permutations)
            local = Moran_Local(y, w, permutations=params.permutations, seed=params.seed, keep_simulations=True)
        finally:
            np.random.set_state(state)
    p_global = float(pseudo_p_values(np.array([moran.I]), np.asarray(moran.sim).reshape(-1, 1))[0])
    p_local = pseudo_p_values(np.asarray(local.Is), np.asarray(local.sim))
    return float(moran.I), p_global, np.asarray(local.q), p_local


def spatial_pattern(table: pd.DataFrame, areas: gpd.GeoDataFrame, key: str, year: int,
                    params: IndicatorParams | None = None) -> SpatialPattern:
    """Global Moran's I and local clusters with PySAL (esda, libpysal Queen contiguity).

    Areas without a value (missing or suppressed) are left out; areas without any neighbour
    among the rest (islands) are left out of the statistics and reported as ``ns``. Weights
    are row-standardised; p-values come from ``params.permutations`` conditional permutations with
    ``params.seed``, one-sided in the direction of the observed statistic, ties counted
    (:func:`pseudo_p_values`). A cluster is reported when its p-value is at or below the
    Benjamini-Hochberg cut-off at ``params.pattern_alpha`` (or below alpha itself without
    ``params.pattern_fdr``).

    Raises
    ------
    ValueError
        With a Dutch message when fewer than 4 areas with a value and a neighbour remain.
    """
    params = params or IndicatorParams()
    level = str(areas["niveau"].iloc[0]) if len(areas) and "niveau" in areas.columns else "wijk"
    gdf = _values(table, areas, key, year, level)
    label = registry.REGISTRY[key].label if key in registry.REGISTRY else key
    w, used, islands = _weights(gdf[gdf["waarde"].notna()].reset_index(drop=True))
    if len(used) < 4 or w is None or getattr(w, "islands", None):
        raise ValueError(f"Voor een ruimtelijk patroon van '{label}' zijn minstens 4 aangrenzende gebieden met een "
                         f"waarde nodig; op {level}niveau in {year} zijn er {len(used)}. Kies een ander niveau, jaar "
                         "of indicator.")
    w.transform = "r"  # type: ignore[attr-defined]
    y = used["waarde"].to_numpy(float)
    moran_i, moran_p, quadrant, p = _statistics(y, w, params)
    cut = fdr_threshold(p, params.pattern_alpha) if params.pattern_fdr else params.pattern_alpha
    significant = (p <= cut) if params.pattern_fdr else (p < cut)
    cluster = np.where(significant, pd.Series(quadrant).map(_QUADRANTS).to_numpy(), "ns")
    lisa = pd.DataFrame({"gebiedscode": used["gebiedscode"].to_numpy(), "waarde": y, "cluster": cluster,
                         "p": p.astype(float), "significant": significant})
    if islands:
        extra = gdf[gdf["gebiedscode"].isin(islands)]
        lisa = pd.concat([lisa, pd.DataFrame({"gebiedscode": extra["gebiedscode"].to_numpy(),
                                              "waarde": extra["waarde"].to_numpy(float), "cluster": "ns",
                                              "p": np.nan, "significant": False})], ignore_index=True)
    lisa["gebiedscode"] = lisa["gebiedscode"].astype("string")
    lisa["uitleg"] = lisa["cluster"].map(dict(CLUSTER_LABELS))
    lisa.attrs["moran_i"] = moran_i
    lisa.attrs["moran_p"] = moran_p
    return SpatialPattern(moran_i, moran_p, lisa, key, level, int(year), int(params.permutations), int(params.seed),
                          islands, float(params.pattern_alpha), bool(params.pattern_fdr), float(cut))
