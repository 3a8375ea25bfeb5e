"""Tests for analysis.compute.indexes: the cohesion index, the gap rule (with and without supply within reach)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.compute.indexes import cohesion_index, gaps, reference_values, supply_key
from analysis.params import IndicatorParams


def test_cohesion_index_three_areas_one_part():
    wide = pd.DataFrame({"cohesie_score": [6.0, 7.0, 8.0]}, index=["a", "b", "c"])
    inw = pd.Series([1000.0, 1000.0, 2000.0], index=["a", "b", "c"])
    out = cohesion_index(wide, inw)
    mean = (6 * 1 + 7 * 1 + 8 * 2) / 4  # 7.25
    sd = math.sqrt((1 * (6 - mean) ** 2 + 1 * (7 - mean) ** 2 + 2 * (8 - mean) ** 2) / 4)
    expected = [100 + 10 * (x - mean) / sd for x in (6, 7, 8)]
    assert out["cohesie_deel_enquete"].tolist() == pytest.approx(expected)
    assert out["cohesie_index"].tolist() == pytest.approx(expected)


def test_cohesion_index_weights_two_parts():
    wide = pd.DataFrame({"cohesie_score": [6.0, 7.0, 8.0], "ontmoeting_dekking_pct": [100.0, 50.0, 50.0]},
                        index=["a", "b", "c"])
    inw = pd.Series([1.0, 1.0, 1.0], index=wide.index)
    weights = {"enquete": 0.4, "participatie": 0.2, "netwerk": 0.2, "toegang": 0.2}
    out = cohesion_index(wide, inw, IndicatorParams(cohesion_weights=weights))
    z_survey = [-math.sqrt(1.5), 0.0, math.sqrt(1.5)]           # sd of 6,7,8 = sqrt(2/3)
    z_access = [math.sqrt(2), -1 / math.sqrt(2), -1 / math.sqrt(2)]  # mean 66.7, sd 23.57
    combined = [(0.4 * a + 0.2 * b) / 0.6 for a, b in zip(z_survey, z_access)]
    m = sum(combined) / 3
    s = math.sqrt(sum((c - m) ** 2 for c in combined) / 3)
    assert out["cohesie_deel_toegang"].tolist() == pytest.approx([100 + 10 * z for z in z_access])
    assert out["cohesie_index"].tolist() == pytest.approx([100 + 10 * (c - m) / s for c in combined])
    # an area without the survey part: index from access alone
    wide.loc["c", "cohesie_score"] = np.nan
    out2 = cohesion_index(wide, inw)
    assert not math.isnan(out2.loc["c", "cohesie_index"])
    assert math.isnan(out2.loc["c", "cohesie_deel_enquete"])


def test_cohesion_index_clips_outliers_at_three_sd():
    wide = pd.DataFrame({"verenigingen_per_1000_inw": [0.0] * 10 + [100.0]}, index=[f"a{i}" for i in range(11)])
    out = cohesion_index(wide, pd.Series(1000.0, index=wide.index))  # equal weights, every area comparable
    # mean 100/11, sd 100*sqrt(10)/11: the outlier's z is 3.16, clipped to 3
    assert out.loc["a10", "cohesie_deel_netwerk"] == pytest.approx(130.0)
    assert out.loc["a0", "cohesie_deel_netwerk"] == pytest.approx(100 - 10 * (100 / 11) / (100 * math.sqrt(10) / 11))


def test_rates_of_small_areas_take_no_part_in_the_index():
    """Issue 'figures that hold': a business park of 250 inhabitants with 12 associations per 1,000."""
    wide = pd.DataFrame({"verenigingen_per_1000_inw": [3.0, 3.2, 2.8, 12.0]}, index=["a", "b", "c", "park"])
    inw = pd.Series([5000.0, 6000.0, 7000.0, 250.0], index=wide.index)
    out = cohesion_index(wide, inw)
    assert math.isnan(out.loc["park", "cohesie_deel_netwerk"]) and math.isnan(out.loc["park", "cohesie_index"])
    # the reference is the three comparable areas only: same result as without the park
    alone = cohesion_index(wide.drop(index="park"), inw.drop(index="park"))
    pd.testing.assert_series_equal(out["cohesie_index"].drop(index="park"), alone["cohesie_index"])
    # below the minimum the area keeps the parts that are no rate per 1,000
    wide["cohesie_score"] = [6.0, 6.5, 7.0, 8.0]
    assert not math.isnan(cohesion_index(wide, inw).loc["park", "cohesie_index"])


# ----------------------------------------------------------------------------------------------
# Gap rule: coverage against the target, supply against the gemeente, within reach when known
# ----------------------------------------------------------------------------------------------

def _wide(reach: list[float] | None = None) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Three areas with good coverage; A has no meeting place inside its own boundary."""
    wide = pd.DataFrame({"ontmoeting_dekking_pct": [95.0, 90.0, 60.0],
                         "ontmoeting_per_1000_inw": [0.0, 1.0, 1.0]}, index=["A", "B", "C"])
    reference = pd.Series({"ontmoeting_per_1000_inw": 0.8})
    if reach is not None:
        wide["ontmoeting_bereik_per_1000"] = reach
        reference["ontmoeting_bereik_per_1000"] = 0.8
    return wide, reference, pd.Series([2000.0, 3000.0, 1000.0], index=wide.index)


def test_gap_rule_without_reach_uses_supply_inside_the_boundary():
    wide, reference, inw = _wide()
    assert supply_key("ontmoeting", wide.columns) == "ontmoeting_per_1000_inw"
    out = gaps(wide, reference, inw)
    assert out["ontmoeting_gat"].tolist() == [1.0, 0.0, 1.0]   # A: 0 < 0.5 * 0.8; C: 60% < 80%
    assert out["gaten_aantal"].tolist() == [1.0, 0.0, 1.0]
    # shortfall: A misses all supply (1 - 0 / 0.8), C has 40% of its residents outside the norm
    assert out["gaten_score"].tolist() == pytest.approx([100.0, 0.0, 40.0])
    assert out["gaten_inwoners"].tolist() == pytest.approx([2000.0, 0.0, 400.0])


def test_gap_rule_with_reach_rows_uses_supply_within_reach():
    wide, reference, inw = _wide(reach=[0.7, 0.9, 0.3])
    assert supply_key("ontmoeting", wide.columns) == "ontmoeting_bereik_per_1000"
    out = gaps(wide, reference, inw)
    # A reaches 0.7 per 1,000 across its border (>= 0.4): no gap; C reaches only 0.3: gap on both tests
    assert out["ontmoeting_gat"].tolist() == [0.0, 0.0, 1.0]
    assert out.loc["C", "gaten_score"] == pytest.approx(100 * max(0.4, 1 - 0.3 / 0.8))
    assert out.loc["A", "gaten_score"] == 0.0


def test_no_supply_gap_for_an_area_below_the_minimum_population():
    wide, reference, _ = _wide()
    inw = pd.Series([250.0, 3000.0, 1000.0], index=wide.index)
    out = gaps(wide, reference, inw)
    assert out.loc["A", "ontmoeting_gat"] == 0.0          # coverage 95% is measured; supply not compared
    only_supply = wide.drop(columns="ontmoeting_dekking_pct")
    assert math.isnan(gaps(only_supply, reference, inw).loc["A", "ontmoeting_gat"])
    assert gaps(wide, reference, inw, IndicatorParams(min_inhabitants=200)).loc["A", "ontmoeting_gat"] == 1.0


def test_targets_and_ratio_come_from_the_params():
    wide, reference, inw = _wide()
    strict = gaps(wide, reference, inw, IndicatorParams(gap_target_pct={"ontmoeting": 92.0}))
    assert strict["ontmoeting_gat"].tolist() == [1.0, 1.0, 1.0]
    lenient = gaps(wide, reference, inw, IndicatorParams(gap_target_pct={"ontmoeting": 50.0}, gap_supply_ratio=0.01))
    assert lenient["ontmoeting_gat"].tolist() == [1.0, 0.0, 0.0]   # A: 0 is still below 1% of 0.8


def test_reference_falls_back_to_the_buurten_per_key():
    base = pd.DataFrame([
        {"gebiedscode": "GM1", "niveau": "gemeente", "indicator": "ontmoeting_per_1000_inw", "waarde": 0.8},
        {"gebiedscode": "B1", "niveau": "buurt", "indicator": "ontmoeting_bereik_per_1000", "waarde": 1.0},
        {"gebiedscode": "B2", "niveau": "buurt", "indicator": "ontmoeting_bereik_per_1000", "waarde": 0.4},
    ])
    info = {"buurt": pd.DataFrame({"inwoners": [1000.0, 3000.0]}, index=["B1", "B2"])}
    ref = reference_values(base, info)
    assert ref["ontmoeting_per_1000_inw"] == 0.8
    assert ref["ontmoeting_bereik_per_1000"] == pytest.approx((1.0 * 1000 + 0.4 * 3000) / 4000)
    assert np.isfinite(ref).all()


# ----------------------------------------------------------------------------------------------
# Initiatives in the participation part (issue 13)
# ----------------------------------------------------------------------------------------------

def _participation() -> tuple[pd.DataFrame, pd.Series]:
    wide = pd.DataFrame({"cohesie_score": [6.0, 7.0, 8.0, 6.5], "vrijwilliger_pct": [20.0, 30.0, 25.0, 35.0],
                         "informele_hulp_pct": [40.0, 30.0, 50.0, 35.0]}, index=["a", "b", "c", "d"])
    return wide, pd.Series(1000.0, index=wide.index)


def test_initiatives_take_their_weight_in_the_participation_part():
    wide, inw = _participation()
    wide["initiatieven_per_1000_inw"] = [0.0, 1.0, 4.0, 1.0]
    out = cohesion_index(wide, inw, IndicatorParams(initiative_weight=0.5))

    def z(values):
        v = np.asarray(values, float)
        return (v - v.mean()) / v.std()  # equal inhabitants: the plain population sd
    raw = (z(wide["vrijwilliger_pct"]) + z(wide["informele_hulp_pct"]) + 0.5 * z(wide["initiatieven_per_1000_inw"])) / 2.5
    assert out["cohesie_deel_participatie"].tolist() == pytest.approx(list(100 + 10 * z(raw)))


def test_the_initiative_weight_moves_the_index_only_when_initiatives_exist():
    wide, inw = _participation()
    without = [cohesion_index(wide, inw, IndicatorParams(initiative_weight=w)) for w in (0.0, 0.5, 3.0)]
    for other in without[1:]:  # no initiatives: the weight changes nothing, bit for bit
        pd.testing.assert_frame_equal(other, without[0], check_exact=True)
    # and the result is the plain mean of the two survey inputs, as before initiatives existed
    plain = cohesion_index(wide, inw)
    pd.testing.assert_frame_equal(plain, without[0], check_exact=True)
    wide["initiatieven_per_1000_inw"] = [0.0, 1.0, 4.0, 1.0]
    light, heavy = (cohesion_index(wide, inw, IndicatorParams(initiative_weight=w)) for w in (0.5, 3.0))
    assert not np.allclose(light["cohesie_index"], heavy["cohesie_index"])
    assert light.loc["c", "cohesie_deel_participatie"] < heavy.loc["c", "cohesie_deel_participatie"]  # c has most
    # weight 0 leaves them out: the same as without initiatives
    pd.testing.assert_frame_equal(cohesion_index(wide, inw, IndicatorParams(initiative_weight=0.0)), without[0],
                                  check_exact=True)


def test_initiative_rates_of_small_areas_take_no_part():
    wide, inw = _participation()
    wide["initiatieven_per_1000_inw"] = [0.0, 1.0, 1.0, 40.0]
    inw["d"] = 100.0  # 4 initiatives among 100 inhabitants: below the comparison minimum
    with_d = cohesion_index(wide, inw)
    wide.loc["d", "initiatieven_per_1000_inw"] = 0.0
    assert cohesion_index(wide, inw)["cohesie_index"].tolist() == pytest.approx(with_d["cohesie_index"].tolist())


def test_initiative_weight_is_validated():
    with pytest.raises(ValueError, match="initiative_weight"):
        IndicatorParams(initiative_weight=-1)


def _parts_per_year(table: pd.DataFrame, level: str) -> dict[int, set[str]]:
    rows = table[(table["niveau"] == level) & table["indicator"].str.startswith("cohesie_deel_") & table["waarde"].notna()]
    return {int(y): set(g["indicator"]) for y, g in rows.groupby("jaar")}


def test_every_demo_year_has_the_whole_index_and_a_ranking(demo_dataset, demo_table):
    from analysis.compute.indexes import incomplete_years

    years = demo_dataset.years()
    assert years == [2023, 2024, 2025]
    for level in ("buurt", "wijk"):
        parts = _parts_per_year(demo_table, level)
        assert sorted(parts) == years
        assert all(p == parts[years[0]] for p in parts.values()), parts  # no year rests on fewer parts
        assert len(parts[years[0]]) == 4
        for year in years:
            rows = demo_table[(demo_table["niveau"] == level) & (demo_table["jaar"] == year)]
            for key in ("cohesie_index", "gaten_score", "prioriteit_rang"):
                assert rows.loc[rows["indicator"] == key, "waarde"].notna().sum() >= 5, (level, year, key)
    assert incomplete_years(demo_table) == {}


def test_a_year_without_facility_snapshot_gets_no_index_gap_summary_or_ranking(demo_dataset):
    import dataclasses

    from analysis.compute.indexes import incomplete_years
    from analysis.compute.indicators import compute_indicators

    ds = dataclasses.replace(demo_dataset, facilities=demo_dataset.facilities[demo_dataset.facilities["jaar"] != 2024])
    table = compute_indicators(ds, years=[2024, 2025])
    missing = incomplete_years(table)
    # the associations still give a toegang part in 2024: the index would rest on them alone
    assert "ontmoeting_dekking_pct" in missing[("wijk", 2024, "cohesie_index")]
    assert "ontmoeting" in missing[("wijk", 2024, "gaten_score")]
    wijk = table[table["niveau"] == "wijk"]
    y24, y25 = wijk[wijk["jaar"] == 2024], wijk[wijk["jaar"] == 2025]
    for key in ("cohesie_index", "dubbele_achterstand", "gaten_score", "gaten_aantal", "prioriteit_rang"):
        assert not (y24["indicator"] == key).any(), key  # left out, not computed from fewer parts
        assert (y25["indicator"] == key).any(), key
    # the parts that were measured stay, so a page can show them and say what is missing
    assert {"cohesie_deel_enquete", "cohesie_deel_participatie", "cohesie_score"} <= set(y24["indicator"])
