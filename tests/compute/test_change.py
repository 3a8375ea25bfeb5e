"""Tests for analysis.compute.change: the difference between two years and its significance for survey figures."""

from __future__ import annotations

import pandas as pd

from analysis.compute.change import CHANGE_COLUMNS, change


def test_change_significance_from_intervals():
    base = {"gebiedsnaam": "x", "niveau": "wijk", "onderdrukt": 0}
    rows = [
        {**base, "gebiedscode": "W", "jaar": 2023, "indicator": "cohesie_score", "waarde": 6.0, "ci_laag": 5.8, "ci_hoog": 6.2},
        {**base, "gebiedscode": "W", "jaar": 2025, "indicator": "cohesie_score", "waarde": 6.5, "ci_laag": 6.3, "ci_hoog": 6.7},
        {**base, "gebiedscode": "W", "jaar": 2023, "indicator": "eenzaam_pct", "waarde": 40.0, "ci_laag": 30.0, "ci_hoog": 50.0},
        {**base, "gebiedscode": "W", "jaar": 2025, "indicator": "eenzaam_pct", "waarde": 45.0, "ci_laag": 35.0, "ci_hoog": 55.0},
        {**base, "gebiedscode": "W", "jaar": 2023, "indicator": "ontmoeting_aantal", "waarde": 2.0},
        {**base, "gebiedscode": "W", "jaar": 2025, "indicator": "ontmoeting_aantal", "waarde": 3.0},
    ]
    result = change(pd.DataFrame(rows), 2023, 2025)
    assert list(result.columns) == list(CHANGE_COLUMNS)
    out = result.set_index("indicator")
    # se = 0.2/1.96 each: z = 0.5 / (sqrt(2) * 0.102) = 3.46 > 1.96
    assert bool(out.loc["cohesie_score", "significant"]) is True
    # se = 10/1.96 each: z = 5 / 7.2 = 0.69
    assert bool(out.loc["eenzaam_pct", "significant"]) is False
    assert out.loc["ontmoeting_aantal", "verschil"] == 1.0
    assert pd.isna(out.loc["ontmoeting_aantal", "significant"])


def test_change_without_common_pairs_is_empty():
    rows = pd.DataFrame([{"gebiedscode": "W", "niveau": "wijk", "jaar": 2023, "indicator": "inwoners", "waarde": 10.0,
                          "soort": "kerncijfer"}])
    assert change(rows, 2023, 2025).empty
