"""Tests for analysis.load.codebook: parsing and checking codeboek.toml."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.compute import survey
from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import codebook
from tests.survey_cases import cohesion_codebook, djg_codebook


def test_parse_codebook_fills_defaults():
    raw = {
        "codeboek": {"naam": "Enquête", "ontbrekend": [9]},
        "schalen": {
            "cohesie": {"methode": "gemiddelde", "items": ["a", "b", "c", "d", "e"], "codes": [1, 2, 3, 4, 5],
                        "indicator": "cohesie_score"},
            "eenzaamheid": djg_codebook()["schalen"]["eenzaamheid"],
            "vrijwilliger": {"methode": "aandeel", "items": ["v"], "codes": [1, 2], "ja": [1],
                             "indicator": "vrijwilliger_pct", "ontbrekend": [8]},
        },
    }
    findings = Findings()
    cb = codebook.parse_codebook(raw, findings)
    assert not findings.has_errors, findings.lines()
    assert cb["codeboek"] == {"naam": "Enquête", "ontbrekend": [9]}
    assert cb["schalen"]["cohesie"]["min_geldig"] == 3            # ceil(5 / 2)
    assert cb["schalen"]["cohesie"]["ontbrekend"] == [9]           # from [codeboek]
    assert cb["schalen"]["cohesie"]["label"] == "cohesie"
    assert cb["schalen"]["eenzaamheid"]["min_geldig"] == 6        # all items
    assert cb["schalen"]["eenzaamheid"]["indicator"] is None
    assert cb["schalen"]["vrijwilliger"]["min_geldig"] == 1
    assert cb["schalen"]["vrijwilliger"]["ontbrekend"] == [8]      # the scale's own
    # idempotent
    again = codebook.parse_codebook(cb, Findings())
    assert again == cb


@pytest.mark.parametrize("change, column, words", [
    ({"methode": "som"}, "schalen.cohesie.methode", ["onbekende methode 'som'", "gemiddelde"]),
    ({"omgekeerd": ["s9"]}, "schalen.cohesie.omgekeerd", ["'s9'", "niet in 'items'"]),
    ({"min_geldig": 0}, "schalen.cohesie.min_geldig", ["min_geldig = 0", "1 tot en met 3"]),
    ({"min_geldig": 4}, "schalen.cohesie.min_geldig", ["min_geldig = 4"]),
    ({"codes": [1, 2, 3, 4, 5, 9]}, "schalen.cohesie.ontbrekend", ["9", "zowel in 'codes' als in 'ontbrekend'"]),
    ({"items": []}, "schalen.cohesie.items", ["'items' ontbreekt"]),
    ({"codes": "1-5"}, "schalen.cohesie.codes", ["'codes' ontbreekt of is geen lijst"]),
    ({"indicator": None}, "schalen.cohesie.indicator", ["'indicator' ontbreekt"]),
])
def test_codebook_validation_errors(change, column, words):
    raw = cohesion_codebook()
    raw["schalen"]["cohesie"].update(change)
    raw["schalen"]["cohesie"] = {k: v for k, v in raw["schalen"]["cohesie"].items() if v is not None}
    findings = Findings()
    cb = codebook.parse_codebook(raw, findings, file="codeboek.toml")
    errors = findings.errors
    assert len(errors) == 1, findings.lines()
    err = errors[0]
    assert err.file == "codeboek.toml"
    assert err.column == column
    assert "schaal 'cohesie'" in err.problem
    assert words[0] in err.problem
    for word in words[1:]:
        assert word in str(err)   # in the problem or in the fix
    assert err.fix  # always says how to fix it
    assert "cohesie" not in cb["schalen"]


def test_codebook_telling_and_aandeel_code_errors():
    raw = djg_codebook()
    raw["schalen"]["eenzaamheid"]["telt"] = [1, 4]
    raw["schalen"]["eenzaamheid"]["drempels"] = {"eenzaam_pct": 2, "zeer_eenzaam_pct": 7}
    raw["schalen"]["vrijwilliger"] = {"methode": "aandeel", "items": ["v"], "codes": [1, 2], "ja": [3],
                                      "indicator": "vrijwilliger_pct"}
    findings = Findings()
    codebook.parse_codebook(raw, findings)
    text = "\n".join(findings.lines())
    assert "code(s) 4 in 'telt' zijn geen geldige codes van de schaal (1, 2, 3)" in text
    assert "drempel zeer_eenzaam_pct = 7 moet een geheel getal van 1 tot en met 6 zijn" in text
    assert "code(s) 3 in 'ja' zijn geen geldige codes" in text
    assert {e.column for e in findings.errors} == {"schalen.eenzaamheid.telt", "schalen.eenzaamheid.drempels",
                                                   "schalen.vrijwilliger.ja"}


def test_codebook_without_scales_and_duplicate_indicator():
    findings = Findings()
    codebook.parse_codebook({"codeboek": {"naam": "x"}}, findings)
    assert findings.errors[0].problem == "het codeboek bevat geen schalen"

    raw = cohesion_codebook()
    raw["schalen"]["cohesie2"] = dict(raw["schalen"]["cohesie"])
    findings = Findings()
    cb = codebook.parse_codebook(raw, findings)
    assert len(findings.errors) == 1
    assert "indicator 'cohesie_score' wordt ook al berekend door schaal 'cohesie'" in findings.errors[0].problem
    assert list(cb["schalen"]) == ["cohesie"]


def test_codebook_unknown_key_is_a_warning_and_errors_raise_in_scoring():
    raw = cohesion_codebook(omgekeerde=["s1"])
    findings = Findings()
    codebook.parse_codebook(raw, findings)
    assert not findings.has_errors
    assert any("onbekende instelling 'omgekeerde'" in w.problem for w in findings.warnings)
    bad = cohesion_codebook(methode="som")
    with pytest.raises(DatasetError, match="onbekende methode"):
        survey.score_respondents(pd.DataFrame({"s1": [1]}), bad)


def test_a_scale_that_is_no_table_and_method_only_settings():
    findings = Findings()
    codebook.parse_codebook({"schalen": {"x": 3}}, findings)
    assert findings.errors[0].column == "schalen.x" and "geen tabel" in findings.errors[0].problem
    raw = cohesion_codebook(ja=[1], drempels={"a": 1})
    findings = Findings()
    cb = codebook.parse_codebook(raw, findings)
    assert not findings.has_errors and "cohesie" in cb["schalen"]
    assert {w.column for w in findings.warnings} == {"schalen.cohesie.ja", "schalen.cohesie.drempels"}


def test_codebook_indicators_table():
    raw = djg_codebook()
    raw["schalen"].update(cohesion_codebook()["schalen"])
    table = codebook.codebook_indicators(raw)
    assert table["indicator"].tolist() == ["eenzaam_pct", "zeer_eenzaam_pct", "cohesie_score"]
    assert table["soort"].tolist() == ["aandeel", "aandeel", "gemiddelde"]
    assert table["drempel"].tolist()[:2] == [2.0, 5.0] and pd.isna(table["drempel"].iloc[2])
    assert codebook.codebook_items(codebook.normalised(raw))[:2] == ["eenzaam_1", "eenzaam_2"]
