"""Tests for analysis.compute.evaluation: a plan line computed by hand, and a difference of differences by hand."""

from __future__ import annotations

import math

import pandas as pd

from analysis.compute import evaluation


def _row(code, year, key, value, lo=None, hi=None, level="wijk"):
    return {"gebiedscode": code, "niveau": level, "jaar": year, "indicator": key, "waarde": value,
            "ci_laag": lo, "ci_hoog": hi, "onderdrukt": 0}


def _plan(code, key, base, target, target_year=2025):
    return pd.DataFrame([{"gebiedscode": code, "indicator": key, "basisjaar": base, "streefwaarde": target,
                          "streefjaar": target_year, "reden": "omdat"}])


def test_a_plan_line_by_hand():
    table = pd.DataFrame([
        _row("W1", 2023, "cohesie_score", 6.2, 6.0, 6.4),
        _row("W1", 2024, "cohesie_score", 6.4, 6.2, 6.6),
        _row("W1", 2025, "cohesie_score", 6.6, 6.4, 6.8),
    ])
    out = evaluation.evaluate_plan(_plan("W1", "cohesie_score", 2023, 6.5), table).iloc[0]
    # se = 0.2 / 1.96 in both years; z = 0.4 / (sqrt(2) * 0.102) = 2.77 > 1.96
    assert out["tekst"] == "gestegen van 6,2 naar 6,6; groter dan de marge; doel 6,5 gehaald"
    assert bool(out["doel_gehaald"]) and bool(out["groter_dan_marge"])
    assert out["reeks"] == "2023: 6,2; 2024: 6,4; 2025: 6,6"
    assert out["laatste_jaar"] == 2025 and out["basiswaarde"] == 6.2


def test_lower_is_better_and_a_change_within_the_margin():
    table = pd.DataFrame([_row("W1", 2023, "eenzaam_pct", 40.0, 30.0, 50.0),
                          _row("W1", 2025, "eenzaam_pct", 37.0, 27.0, 47.0)])
    out = evaluation.evaluate_plan(_plan("W1", "eenzaam_pct", 2023, 35.0), table).iloc[0]
    # se = 10 / 1.96; z = 3 / 7.2 = 0.42: within the margin; 37 > 35: not met (lower is better)
    assert out["tekst"] == "gedaald van 40% naar 37%; binnen de marge; doel 35% nog niet gehaald"
    assert not bool(out["doel_gehaald"]) and not bool(out["groter_dan_marge"])


def test_a_registration_figure_has_no_margin_and_no_baseline_is_said():
    table = pd.DataFrame([_row("W1", 2023, "ontmoeting_dekking_pct", 60.0), _row("W1", 2025, "ontmoeting_dekking_pct", 80.0)])
    out = evaluation.evaluate_plan(_plan("W1", "ontmoeting_dekking_pct", 2023, 75.0), table).iloc[0]
    assert out["tekst"] == "gestegen van 60% naar 80%; zonder bekende marge; doel 75% gehaald"
    assert pd.isna(out["groter_dan_marge"])
    missing = evaluation.evaluate_plan(_plan("W1", "ontmoeting_dekking_pct", 2020, 75.0), table).iloc[0]
    assert missing["tekst"] == "geen meting in het basisjaar" and pd.isna(missing["doel_gehaald"])


def test_difference_of_differences_by_hand():
    rows = []
    for code, before, after in (("W1", 50.0, 80.0), ("W2", 50.0, 55.0), ("W3", 60.0, 70.0), ("W4", 40.0, 40.0)):
        rows += [_row(code, 2023, "ontmoeting_dekking_pct", before), _row(code, 2025, "ontmoeting_dekking_pct", after)]
    table = pd.DataFrame(rows)
    measures = pd.DataFrame([{"id": "M1", "naam": "Buurtkamer", "component": "ontmoeting", "gebiedscode": "W1",
                              "startjaar": 2024},
                             {"id": "M2", "naam": "Andere buurtkamer", "component": "ontmoeting", "gebiedscode": "W4",
                              "startjaar": 2024}])
    types = pd.DataFrame({"gebiedscode": ["W1", "W2", "W3", "W4"], "wijktype": ["a", "a", "a", "a"]})
    out = evaluation.evaluate_measures(measures, table, types).set_index("id")
    m1 = out.loc["M1"]
    # W1 +30; comparison areas without a meeting-place measure: W2 (+5) and W3 (+10): mean +7.5 -> 22.5
    assert m1["verandering"] == 30.0 and m1["verandering_vergelijking"] == 7.5
    assert math.isclose(m1["verschil_in_verschil"], 22.5) and m1["vergelijkingsgebieden"] == 2
    assert "ten opzichte van 2 vergelijkbare gebieden (2023–2025)" in m1["tekst"] and evaluation.CAVEAT in m1["tekst"]
    # another type: no comparison areas
    other = evaluation.evaluate_measures(measures, table, types.assign(wijktype=["a", "b", "b", "c"])).set_index("id")
    assert other.loc["M1", "vergelijkingsgebieden"] == 0 and math.isnan(other.loc["M1", "verschil_in_verschil"])


def test_each_indicator_by_its_own_years_and_every_area_when_no_type_is_left():
    rows = []
    # the survey has a middle year, the facilities only the baseline and the follow-up
    for code, (a, b, c), (d, e) in (("W1", (6.0, 6.1, 6.6), (50.0, 80.0)), ("W2", (6.0, 6.0, 6.1), (50.0, 55.0)),
                                    ("W3", (6.2, 6.3, 6.3), (60.0, 70.0))):
        rows += [_row(code, 2023, "cohesie_score", a), _row(code, 2024, "cohesie_score", b),
                 _row(code, 2025, "cohesie_score", c),
                 _row(code, 2023, "ontmoeting_dekking_pct", d), _row(code, 2025, "ontmoeting_dekking_pct", e)]
    table = pd.DataFrame(rows)
    measures = pd.DataFrame([{"id": "M1", "naam": "Buurtkamer", "component": "ontmoeting", "gebiedscode": "W1",
                              "startjaar": 2024}])
    out = evaluation.evaluate_measures(measures, table).set_index("indicator")
    # coverage: 2023 -> 2025 (not measured in 2024): W1 +30, others +5 and +10 -> 22.5
    assert (out.loc["ontmoeting_dekking_pct", "van_jaar"], out.loc["ontmoeting_dekking_pct", "tot_jaar"]) == (2023, 2025)
    assert math.isclose(out.loc["ontmoeting_dekking_pct", "verschil_in_verschil"], 22.5)
    # cohesion: 2024 (the start year) -> 2025: W1 +0.5, others +0.1 and 0.0 -> 0.45
    assert (out.loc["cohesie_score", "van_jaar"], out.loc["cohesie_score", "tot_jaar"]) == (2024, 2025)
    assert math.isclose(out.loc["cohesie_score", "verschil_in_verschil"], 0.45)
    types = pd.DataFrame({"gebiedscode": ["W1", "W2", "W3"], "wijktype": ["a", "b", "b"]})
    strict = evaluation.evaluate_measures(measures, table, types).set_index("indicator")
    assert (strict["vergelijkingsgebieden"] == 0).all() and strict["verschil_in_verschil"].isna().all()
    wide = evaluation.evaluate_measures(measures, table, types, any_type=True).set_index("indicator")
    assert math.isclose(wide.loc["ontmoeting_dekking_pct", "verschil_in_verschil"], 22.5)
    assert "2 gebieden van hetzelfde niveau (geen gebied van hetzelfde wijktype" in wide.loc["cohesie_score", "tekst"]


def test_a_snapshot_of_the_start_year_is_after_the_start_a_survey_of_that_year_before():
    """Facilities are counted at the end of a year (a place opened in the start year is in its snapshot);
    the survey is taken during the year (before a measure that starts in September)."""
    rows = []
    for code, cover, score in (("W1", (50.0, 80.0, 80.0), (6.0, 6.0, 6.5)), ("W2", (50.0, 50.0, 55.0), (6.0, 6.0, 6.1))):
        for year, c, sc in zip((2023, 2024, 2025), cover, score, strict=True):
            rows += [_row(code, year, "ontmoeting_dekking_pct", c), _row(code, year, "cohesie_score", sc)]
    measures = pd.DataFrame([{"id": "M1", "naam": "Buurtkamer", "component": "ontmoeting", "gebiedscode": "W1",
                              "startjaar": 2024}])
    out = evaluation.evaluate_measures(measures, pd.DataFrame(rows)).set_index("indicator")
    # coverage: 2023 (before) -> 2025: W1 +30, W2 +5 -> 25 (with the start-year snapshot as "before" it was 0 - 5)
    assert (out.loc["ontmoeting_dekking_pct", "van_jaar"], out.loc["ontmoeting_dekking_pct", "tot_jaar"]) == (2023, 2025)
    assert math.isclose(out.loc["ontmoeting_dekking_pct", "verschil_in_verschil"], 25.0)
    # survey: 2024 (before) -> 2025: W1 +0.5, W2 +0.1 -> 0.4
    assert (out.loc["cohesie_score", "van_jaar"], out.loc["cohesie_score", "tot_jaar"]) == (2024, 2025)
    assert math.isclose(out.loc["cohesie_score", "verschil_in_verschil"], 0.4)


def test_kerncijfers_of_every_year_make_the_series_and_an_unchanged_figure_reads_so():
    """Zwolle-like: the survey and facilities are of one year, the kerncijfers of many."""
    table = pd.DataFrame([_row("W1", 2015, "p_65_eo", 28.2), _row("W1", 2015, "inwoners", 3403.0)])
    figures = pd.DataFrame({"gebiedscode": ["W1"] * 3, "niveau": ["wijk"] * 3, "jaar": [2015, 2020, 2024],
                            "inwoners": [3400.0, 3962.0, 4225.0], "p_65_eo": [28.0, 27.1, 27.9], "bron": "cbs"})
    full = evaluation.with_area_figures(table, figures)
    # the table's own 2015 figures stay; 2020 and 2024 come from the kerncijfers
    assert len(full) == 2 + 4 and full.loc[full["jaar"] == 2015, "waarde"].tolist() == [28.2, 3403.0]
    plan = pd.concat([_plan("W1", "inwoners", 2015, 9000.0, 2024), _plan("W1", "p_65_eo", 2015, 25.0, 2024)])
    out = evaluation.evaluate_plan(plan, full).set_index("indicator")
    assert out.loc["inwoners", "reeks"] == "2015: 3.403; 2020: 3.962; 2024: 4.225"
    assert out.loc["inwoners", "tekst"] == "gestegen van 3.403 naar 4.225; zonder bekende marge; doel 9.000 nog niet gehaald"
    assert out.loc["p_65_eo", "tekst"].startswith("gelijk gebleven op 28%")
