"""Tests for analysis.compute.pattern: tie-aware pseudo p-values, the false discovery rate, params and labels."""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from analysis import model
from analysis.compute.pattern import (
    CLUSTER_LABELS,
    PATTERN_TITLE,
    fdr_threshold,
    pseudo_p_values,
    spatial_pattern,
)
from analysis.params import IndicatorParams
from tests.compute.test_indicators import YEAR, make_ds

#: A 6 x 7 grid of 1 km squares plus one square that touches the grid only at the corner of cell (5, 6).
_COLS, _ROWS = 6, 7
_NEIGHBOUR = (_COLS - 1) * _ROWS + (_ROWS - 1)


def _single_neighbour_fixture() -> tuple[pd.DataFrame, gpd.GeoDataFrame, str]:
    """Values on the grid (seeded, one decimal) with the maximum next to the single-neighbour area.

    The single-neighbour area's only neighbour holds the largest value, so under conditional
    permutation its local statistic is at least the observed one exactly when the neighbour itself
    is drawn: the exact p-value is 1 / (n - 1) = 1/42. The observed and that permuted statistic are
    the same number computed in a different order, and differ by rounding.
    """
    geoms = [box(i * 1000, j * 1000, i * 1000 + 1000, j * 1000 + 1000) for i in range(_COLS) for j in range(_ROWS)]
    geoms.append(box(_COLS * 1000, _ROWS * 1000, _COLS * 1000 + 1000, _ROWS * 1000 + 1000))
    codes = [f"BU9999{k:04d}" for k in range(len(geoms))]
    areas = gpd.GeoDataFrame({"gebiedscode": codes, "niveau": "buurt"}, geometry=geoms, crs=model.CRS_RD)
    y = np.round(np.random.default_rng(1).normal(0, 1, len(geoms)), 1)
    y[_NEIGHBOUR], y[-1] = 3.7, 2.9
    rows = pd.DataFrame({"gebiedscode": codes, "niveau": "buurt", "jaar": YEAR, "indicator": "cohesie_score",
                         "waarde": y})
    return rows, areas, codes[-1]


def test_single_neighbour_gets_the_permutation_p_value_with_ties_counted():
    """Issue 'figures that hold': esda compared strictly and gave 0.001 where the exact p-value is 1/42."""
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    rows, areas, lone = _single_neighbour_fixture()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(areas, use_index=False)
    assert w.neighbors[len(areas) - 1] == [_NEIGHBOUR]
    pattern = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=999, seed=42))
    p = float(pattern.lisa.set_index("gebiedscode").loc[lone, "p"])
    exact = 1 / 42
    # binomial spread of 999 draws around 1/42: sd about 0.005
    assert abs(p - exact) < 0.015 and p > 0.01
    # the fixture really has the rounding tie: esda's own comparison misses it
    w.transform = "r"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = Moran_Local(rows["waarde"].to_numpy(float), w, permutations=999, seed=42, keep_simulations=True)
    assert raw.p_sim[-1] == pytest.approx(1 / 1000), "fixture no longer reproduces esda's strict comparison"


def test_pseudo_p_values_count_ties_within_the_tolerance():
    observed = np.array([0.1 + 0.2])           # 0.30000000000000004
    simulated = np.array([[0.3], [0.1], [0.2], [0.0]])
    # strictly only 0 of 4 are >= observed; with the tie 1: (1 + 1) / 5
    assert pseudo_p_values(observed, simulated)[0] == pytest.approx(2 / 5)
    # a clearly smaller observed value is folded to the lower tail: #{sim <= 0.05} = 1 -> 2 / 5
    assert pseudo_p_values(np.array([0.05]), simulated)[0] == pytest.approx(2 / 5)
    # no tolerance: the old strict count
    assert pseudo_p_values(observed, simulated, tolerance=0.0)[0] == pytest.approx(1 / 5)


def test_fdr_threshold_is_benjamini_hochberg():
    from esda import fdr

    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, 0.212, 0.216])
    cut = fdr_threshold(p, 0.05)
    assert cut == pytest.approx(0.008)       # k = 2: 0.008 <= 2 * 0.05 / 10, 0.039 > 3 * 0.005
    assert set(np.flatnonzero(p <= cut)) == set(np.flatnonzero(p < fdr(p, 0.05)))
    assert fdr_threshold(np.array([0.2, 0.5, np.nan]), 0.05) == 0.0
    assert fdr_threshold(np.array([0.01, np.nan]), 0.05) == pytest.approx(0.01)  # NaN is not a test


def _grid() -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    cells = {f"BU9999{i:02d}{j:02d}": ("W1", (i * 1000, j * 1000), 100) for i in range(5) for j in range(5)}
    ds = make_ds(buurten=cells)
    rows = pd.DataFrame({"gebiedscode": list(cells), "niveau": "buurt", "jaar": YEAR, "indicator": "cohesie_score",
                         "waarde": [float(int(c[6:8])) + 0.1 * int(c[8:10]) for c in cells]})
    return rows, ds.buurten


def test_fdr_is_the_default_and_can_be_switched_off():
    rows, areas = _grid()
    corrected = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=199, seed=3))
    plain = spatial_pattern(rows, areas, "cohesie_score", YEAR,
                            IndicatorParams(permutations=199, seed=3, pattern_fdr=False))
    assert corrected.fdr and not plain.fdr and plain.p_threshold == 0.05
    assert corrected.p_threshold <= 0.05
    sig_corrected = set(corrected.lisa.loc[corrected.lisa["significant"], "gebiedscode"])
    sig_plain = set(plain.lisa.loc[plain.lisa["significant"], "gebiedscode"])
    assert sig_corrected <= sig_plain and len(sig_plain) > 0
    assert (corrected.lisa.loc[~corrected.lisa["significant"], "cluster"] == "ns").all()
    assert "Benjamini" in corrected.test and "Eenzijdige permutatietoets" in corrected.test


def test_seed_and_permutations_come_from_the_params():
    rows, areas = _grid()
    a = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=199, seed=1))
    b = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=199, seed=2))
    c = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=499, seed=1))
    assert (a.seed, a.permutations, b.seed, c.permutations) == (1, 199, 2, 499)
    assert not a.lisa["p"].equals(b.lisa["p"])
    assert a.lisa["p"].min() >= 1 / 200 and c.lisa["p"].min() >= 1 / 500
    again = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=199, seed=1))
    assert a.lisa.equals(again.lisa) and a.p_value == again.p_value


def test_labels_are_plain_dutch():
    rows, areas = _grid()
    pattern = spatial_pattern(rows, areas, "cohesie_score", YEAR, IndicatorParams(permutations=199))
    assert set(pattern.lisa["uitleg"]) <= set(CLUSTER_LABELS.values())
    words = " ".join([PATTERN_TITLE, *CLUSTER_LABELS.values(), pattern.summary()]).lower()
    for jargon in ("lisa", "moran", "uitschieter", "hotspot", "hoog-laag"):
        assert jargon not in words
    assert pattern.summary().startswith("Samenhang in de ruimte: ")
    assert math.isfinite(pattern.moran_i) and 0 < pattern.p_value <= 1
