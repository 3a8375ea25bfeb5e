"""Tests for analysis.load.survey: the respondents file read into the respondents frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import model
from analysis.findings import Findings
from analysis.load import survey
from tests.survey_cases import cohesion_codebook

BUURT_CODES = pd.Series({"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990201": "WK099902"})


def test_prepare_respondents_on_a_messy_table():
    table = pd.DataFrame({
        "Respondent": ["1", "2", "3", "4", "5", "2", "7", "8"],
        "BUURTCODE": ["BU09990101", "bu09990102", "BU99999999", "9990201", "BU09990101", "BU09990101",
                      "BU09990201", "BU09990201"],
        "Leeftijd": ["65+", "45 tot 65", "30", "34", "65 en ouder", "50", "oud", "15-24"],
        "Geslacht": ["V", "man", "x", "vrouw", "M", "v", "onbekend", "kat"],
        "S1": ["1", "7", "2", "9", "ja", "3", "", "5"],
        "s2": ["5", "4", "3", "2", "1", "2", "3", "4"],
        "s3": ["4", "4", "4", "4", "4", "4", "4", "4"],
        "opmerking": [""] * 8,
    })
    findings = Findings()
    out = survey.prepare_respondents(table, cohesion_codebook(), BUURT_CODES, findings, "enquete.csv", 2024)
    # row 4 (unknown buurt) and row 7 (respondent '2' again in 2024) are dropped
    assert out["respondent"].tolist() == ["1", "2", "4", "5", "7", "8"]
    assert out["buurtcode"].tolist() == ["BU09990101", "BU09990102", "BU09990201", "BU09990101",
                                         "BU09990201", "BU09990201"]
    assert out["wijkcode"].tolist() == ["WK099901", "WK099901", "WK099902", "WK099901", "WK099902", "WK099902"]
    assert out["leeftijdsklasse"].tolist()[:4] == ["65+", "45-64", "25-44", "65+"]
    assert pd.isna(out["leeftijdsklasse"].iloc[4])            # 'oud'
    assert out["leeftijdsklasse"].iloc[5] == "15-24"
    assert out["leeftijd"].iloc[2] == 34 and np.isnan(out["leeftijd"].iloc[0])
    assert out["geslacht"].tolist()[:4] == ["vrouw", "man", "vrouw", "man"]
    assert out["geslacht"].iloc[4:].isna().all()              # 'onbekend' silently, 'kat' with a warning
    assert out["jaar"].tolist() == [2024] * 6
    assert out["gewicht"].isna().all()
    # answer 7 is outside codes 1-5 -> empty; 9 is a missing code -> kept; 'ja' is no number -> empty
    assert np.isnan(out["s1"].iloc[1]) and out["s1"].iloc[2] == 9 and np.isnan(out["s1"].iloc[3])
    assert list(out.columns) == list(model.RESPONDENT_COLUMNS) + ["s1", "s2", "s3"]

    by_problem = {(f.row, f.column): f for f in findings}
    unknown = by_problem[(4, "BUURTCODE")]
    assert unknown.level == "waarschuwing" and "BU99999999" in unknown.problem
    dup = by_problem[(7, "Respondent")]
    assert "respondent '2' komt in 2024 al voor in rij 3" in dup.problem
    outside = by_problem[(3, "S1")]
    assert "antwoord 7 is geen code van schaal 'cohesie' (1, 2, 3, 4, 5, 9)" in outside.problem
    assert "geen getal" in by_problem[(6, "S1")].problem
    assert "'oud'" in by_problem[(8, "Leeftijd")].problem
    assert "'kat'" in by_problem[(9, "Geslacht")].problem
    assert not findings.has_errors
    assert any(f.level == "info" and "'opmerking'" in f.problem for f in findings)


def test_prepare_respondents_missing_required_column_and_item():
    table = pd.DataFrame({"respondent": ["1"], "leeftijd": ["40"], "s1": ["3"], "s2": ["3"]})
    findings = Findings()
    out = survey.prepare_respondents(table, cohesion_codebook(), BUURT_CODES, findings, "enquete.csv", 2024)
    assert out.empty
    assert list(out.columns) == list(model.RESPONDENT_COLUMNS) + ["s1", "s2", "s3"]
    problems = [(e.column, e.problem) for e in findings.errors]
    assert ("buurtcode", "de verplichte kolom 'buurtcode' ontbreekt") in problems
    assert any(c == "s3" and "item(s) 's3' van schaal 'cohesie' ontbreken" in p for c, p in problems)


def test_prepare_respondents_years_weights_and_caps_findings():
    n = 30
    table = pd.DataFrame({
        "respondent_id": [str(i) for i in range(n)],
        "bu_code": ["BU00000000"] * 25 + ["BU09990101"] * 5,
        "leeftijd": ["40"] * n,
        "jaar": ["2023"] * 27 + ["", "twintig", "2023"],
        "weging": ["1,5"] * 28 + ["-1", ""],
        "s1": ["3"] * n, "s2": ["3"] * n, "s3": ["3"] * n,
    })
    findings = Findings()
    out = survey.prepare_respondents(table, cohesion_codebook(), BUURT_CODES, findings, "enquete.csv", 2024)
    assert out["respondent"].tolist() == ["25", "26", "27", "29"]   # 28 has an unreadable year
    assert out["jaar"].tolist() == [2023, 2023, 2024, 2023]
    assert out["gewicht"].tolist()[:3] == [1.5, 1.5, 1.5] and np.isnan(out["gewicht"].iloc[3])
    buurt_findings = [f for f in findings if f.column == "bu_code" or "onbekende buurtcode" in f.problem]
    assert len(buurt_findings) == 21                                # 20 rows, then one summary
    assert buurt_findings[-1].problem == "... en nog 5 rijen met een onbekende buurtcode; die zijn overgeslagen"
    assert any(f.row == 30 and "'twintig'" in f.problem for f in findings)


@pytest.mark.parametrize("bad", ["inf", "-inf", "Infinity", "1e400", "-2", "0", "veel"])
def test_a_weight_that_is_no_positive_finite_number_is_named_and_read_as_empty(bad):
    """An ``inf`` weight once removed every survey figure of its wijk-year (they became NaN)."""
    table = pd.DataFrame({"respondent": ["1", "2", "3"], "buurtcode": ["BU09990101"] * 3, "leeftijd": ["40"] * 3,
                          "gewicht": ["1,2", bad, "0,8"], "s1": ["3"] * 3, "s2": ["3"] * 3, "s3": ["3"] * 3})
    findings = Findings()
    out = survey.prepare_respondents(table, cohesion_codebook(), BUURT_CODES, findings, "enquete.csv", 2024)
    assert out["respondent"].tolist() == ["1", "2", "3"]            # the respondent stays, without weight
    assert np.isnan(out["gewicht"].iloc[1]) and out["gewicht"].iloc[[0, 2]].tolist() == [1.2, 0.8]
    hit = [f for f in findings if f.row == 3]
    assert len(hit) == 1
    assert hit[0].file == "enquete.csv" and hit[0].column == "gewicht" and f"'{bad}'" in hit[0].problem
    assert hit[0].fix
    assert np.isfinite(out["gewicht"].dropna()).all()


def test_prepare_respondents_from_a_numeric_frame():
    """Another reader (SPSS) hands over numbers, not text: the same frame comes out."""
    table = pd.DataFrame({"respondent": [1.0, 2.0], "buurtcode": ["BU09990101", "BU09990201"],
                          "leeftijd": [47.0, 70.0], "geslacht": ["v", "m"], "gewicht": [1.5, np.inf],
                          "jaar": [2023.0, 2023.0], "s1": [1.0, 9.0], "s2": [5.0, 4.0], "s3": [np.nan, 3.0]})
    findings = Findings()
    out = survey.prepare_respondents(table, cohesion_codebook(), BUURT_CODES, findings, "enquete.sav", 2024)
    assert out["respondent"].tolist() == ["1", "2"]
    assert out["leeftijdsklasse"].tolist() == ["45-64", "65+"]
    assert out["jaar"].tolist() == [2023, 2023]
    assert out["gewicht"].iloc[0] == 1.5 and np.isnan(out["gewicht"].iloc[1])
    assert any(f.row == 3 and f.column == "gewicht" and "'inf'" in f.problem for f in findings)


@pytest.mark.parametrize("text, expected", [
    ("65+", "65+"), ("65 en ouder", "65+"), ("65 jaar of ouder", "65+"), ("75+", "65+"),
    ("45 tot 65", "45-64"), ("45-64", "45-64"), ("45 - 65", "45-64"), ("45 t/m 64", "45-64"),
    ("25 tot 45 jaar", "25-44"), ("18-24", "15-24"), ("jonger dan 15", "0-14"), ("0-14", "0-14"),
    ("35-54", None), ("veel", None),
])
def test_age_class_text(text, expected):
    assert survey.age_class(text) == expected
