"""Tests for analysis.render.classes: quantiles and natural breaks by hand and against mapclassify, the palette."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.render.classes import class_index, classify, fisher_jenks_bins, sequential_palette


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour."""
    channels = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))




def test_classify_quantiles_by_hand():
    values = pd.Series([float(v) for v in range(1, 11)] + [np.nan])
    bins, labels = classify(values, k=5, scheme="quantiles")
    # Percentiles 20, 40, 60, 80, 100 of 1..10 (linear interpolation).
    assert np.allclose(bins, [2.8, 4.6, 6.4, 8.2, 10.0])
    assert labels == ["1,0 – 2,8", "2,8 – 4,6", "4,6 – 6,4", "6,4 – 8,2", "8,2 – 10,0"]
    classes = class_index(values, bins)
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]


def test_classify_natural_breaks_by_hand():
    values = pd.Series([1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0, 31.0])
    bins, labels = classify(values, k=3, scheme="natural_breaks")
    assert bins.tolist() == [3.0, 12.0, 31.0]
    assert labels == ["1 – 3", "3 – 12", "12 – 31"]
    assert class_index(values, bins).tolist() == [0, 0, 0, 1, 1, 1, 2, 2]


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fisher_jenks_matches_mapclassify(seed):
    import mapclassify

    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(5, 1, 40), rng.normal(9, 0.5, 20)]).round(1)
    for k in (2, 4, 6):
        assert np.allclose(fisher_jenks_bins(values, k), mapclassify.FisherJenks(values, k=k).bins)


def test_fisher_jenks_on_many_distinct_values_is_fast_and_ends_at_the_maximum():
    values = np.random.default_rng(5).lognormal(1.0, 0.6, 20_000)
    bins = fisher_jenks_bins(values, 5)
    assert len(bins) == 5 and np.all(np.diff(bins) > 0)
    assert bins[-1] == values.max()


@pytest.mark.parametrize("k", [3, 5])
def test_quantiles_match_mapclassify(k):
    import mapclassify

    values = pd.Series(np.random.default_rng(k).lognormal(2.0, 0.5, 73))
    assert np.allclose(classify(values, k=k, scheme="quantiles")[0], mapclassify.Quantiles(values, k=k).bins)


def test_classify_fewer_distinct_values_than_classes():
    bins, labels = classify(pd.Series([5.0, 5.0, 7.0]), k=5)
    assert len(bins) == len(labels) <= 2
    bins, labels = classify(pd.Series([4.0, 4.0]), k=5)
    assert labels == ["4"]
    assert classify(pd.Series([np.nan, np.nan]), k=5)[1] == []
    with pytest.raises(ValueError):
        classify(pd.Series([1.0, 2.0, 3.0]), scheme="gelijke_intervallen")


@pytest.mark.parametrize("k", [3, 5, 7])
def test_palette_is_sequential_and_darkest_is_best(k):
    up = sequential_palette(k, higher_is_better=True)
    down = sequential_palette(k, higher_is_better=False)
    assert len(up) == len(set(up)) == k
    assert down == up[::-1]
    luminance = [relative_luminance(c) for c in up]
    # Monotone in lightness (readable without hue, so for colour-blind readers and in grey print):
    # lowest class lightest, highest (best) darkest, each step clearly different.
    assert all(a > b for a, b in zip(luminance, luminance[1:]))
    assert min(a - b for a, b in zip(luminance, luminance[1:])) > 0.02
    # Viridis ends: yellow (light) and dark purple.
    assert up[0] == "#fde725" and up[-1] == "#440154"
