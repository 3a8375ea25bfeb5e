"""Tests for analysis.compute.stability: reproducible with its seed, exact without noise, wider with wider intervals."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.compute import stability
from analysis.compute.priorities import priorities
from analysis.params import IndicatorParams


def test_reproducible_with_its_seed(demo_table, demo_dataset):
    year = demo_dataset.year
    a = stability.rank_stability(demo_table, year, draws=60)
    b = stability.rank_stability(demo_table, year, draws=60)
    pd.testing.assert_frame_equal(a, b)
    c = stability.rank_stability(demo_table, year, IndicatorParams(seed=7), draws=60)
    assert not a["top_aandeel_pct"].equals(c["top_aandeel_pct"]) or a["top_aandeel_pct"].isin([0.0, 100.0]).all()
    assert a["tekst"].str.contains("van de trekkingen bij de eerste drie").all()


def test_without_noise_and_weight_range_each_draw_is_the_ranking(demo_table, demo_dataset):
    year = demo_dataset.year
    silent = demo_table.assign(ci_laag=demo_table["waarde"], ci_hoog=demo_table["waarde"])
    out = stability.rank_stability(silent, year, draws=5, weight_range=0.0)
    ranked = priorities(silent, year)
    ranked = ranked[ranked["prioriteit_score"].notna()]
    top3 = set(ranked.nsmallest(3, "prioriteit_rang")["gebiedscode"].astype(str))
    assert set(out.loc[out["top_aandeel_pct"] == 100.0, "gebiedscode"]) == top3
    assert set(out["top_aandeel_pct"]) <= {0.0, 100.0}
    assert (out["rang_laag"] == out["prioriteit_rang"]).all() and (out["rang_hoog"] == out["prioriteit_rang"]).all()


def test_rank_spread_widens_when_intervals_widen(demo_table, demo_dataset):
    year = demo_dataset.year
    survey = demo_table["soort"].astype(str) == "enquete"
    half = (demo_table["ci_hoog"] - demo_table["ci_laag"]) / 2
    wide_t = demo_table.copy()
    wide_t.loc[survey, "ci_laag"] = demo_table.loc[survey, "waarde"] - 4 * half[survey]
    wide_t.loc[survey, "ci_hoog"] = demo_table.loc[survey, "waarde"] + 4 * half[survey]
    narrow = stability.rank_stability(demo_table, year, draws=120, weight_range=0.0)
    wider = stability.rank_stability(wide_t, year, draws=120, weight_range=0.0)
    spread = lambda f: float((f["rang_hoog"] - f["rang_laag"]).sum())  # noqa: E731
    assert spread(wider) > spread(narrow)


def test_areas_left_out_of_the_ranking_are_left_out_of_the_draws(demo_table, demo_dataset):
    year = demo_dataset.year
    out = stability.rank_stability(demo_table, year, draws=20)
    ranked = priorities(demo_table, year)
    assert set(out["gebiedscode"]) == set(ranked.loc[ranked["prioriteit_score"].notna(), "gebiedscode"].astype(str))
    big = dataclasses.replace(IndicatorParams(), min_inhabitants=10 ** 9)
    assert stability.rank_stability(demo_table, year, big, draws=5).empty
    assert np.isfinite(out["top_aandeel_pct"]).all() and out["top_aandeel_pct"].between(0, 100).all()
    assert out["top_aandeel_pct"].sum() == pytest.approx(100.0 * 3, abs=1e-6)
