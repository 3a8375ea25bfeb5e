"""Tests for analysis.compute.survey: codebook, respondents, scores, weights, intervals and suppression."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from analysis import model
from analysis.compute import survey
from analysis.errors import DatasetError
from analysis.findings import Findings
from tests.paths import ZWOLLE

GM = "GM0999"


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------

def cohesion_codebook(**extra) -> dict:
    scale = {"methode": "gemiddelde", "items": ["s1", "s2", "s3"], "codes": [1, 2, 3, 4, 5],
             "omgekeerd": ["s1"], "min_geldig": 2, "indicator": "cohesie_score"}
    scale.update(extra)
    return {"codeboek": {"naam": "Test", "ontbrekend": [9]}, "schalen": {"cohesie": scale}}


DJG_ITEMS = [f"eenzaam_{i}" for i in range(1, 7)]


def djg_codebook(min_geldig: int | None = None) -> dict:
    scale = {"methode": "telling", "items": DJG_ITEMS, "codes": [1, 2, 3],
             "omgekeerd": ["eenzaam_2", "eenzaam_3", "eenzaam_5"], "telt": [1, 2],
             "drempels": {"eenzaam_pct": 2, "zeer_eenzaam_pct": 5}}
    if min_geldig is not None:
        scale["min_geldig"] = min_geldig
    return {"codeboek": {"ontbrekend": [9]}, "schalen": {"eenzaamheid": scale}}


def simple_codebook() -> dict:
    """A 0-10 mark (score = code) and a yes/no share: easy to compute by hand."""
    return {
        "codeboek": {"ontbrekend": [99]},
        "schalen": {
            "cijfer": {"methode": "gemiddelde", "items": ["cijfer"], "codes": list(range(11)),
                       "indicator": "tevredenheid_voorzieningen"},
            "vrijwilliger": {"methode": "aandeel", "items": ["vrijwilliger"], "codes": [1, 2], "ja": [1],
                             "indicator": "vrijwilliger_pct"},
        },
    }


def area_frame(rows: list[dict], level: str) -> gpd.GeoDataFrame:
    frame = pd.DataFrame([{c: r.get(c, np.nan) for c in model.AREA_COLUMNS} for r in rows],
                         columns=list(model.AREA_COLUMNS))
    frame["niveau"] = level
    frame["gemeentecode"] = GM
    geoms = [box(i * 1000, 0, i * 1000 + 900, 900) for i in range(len(frame))]
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=model.CRS_RD)


def make_ds(respondents: pd.DataFrame, codebook: dict, buurt_to_wijk: dict[str, str],
            wijk_population: dict[str, dict] | None = None) -> model.Dataset:
    wijk_population = wijk_population or {}
    buurten = area_frame([{"gebiedscode": b, "gebiedsnaam": f"Buurt {b[-2:]}", "wijkcode": w}
                          for b, w in buurt_to_wijk.items()], "buurt")
    wijk_codes = sorted(set(buurt_to_wijk.values()))
    wijken = area_frame([{"gebiedscode": w, "gebiedsnaam": f"Wijk {w[-2:]}", "wijkcode": w,
                          **wijk_population.get(w, {})} for w in wijk_codes], "wijk")
    gemeente = area_frame([{"gebiedscode": GM, "gebiedsnaam": "Testgemeente"}], "gemeente")
    return model.Dataset(
        name="test", year=2024, gemeente_code=GM, buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=model.empty_frame(model.FACILITY_COLUMNS, geometry=True),
        associations=model.empty_frame(model.ASSOCIATION_COLUMNS, geometry=True),
        ties=model.empty_frame(model.TIE_COLUMNS), respondents=respondents, codebook=codebook,
        area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS), digital=model.empty_frame(model.DIGITAL_COLUMNS),
    )


def respondents(buurt_to_wijk: dict[str, str], per_buurt: dict[str, list[dict]], year: int = 2024) -> pd.DataFrame:
    """Clean respondents: ``per_buurt`` maps a buurt to a list of item-answer dicts."""
    rows = []
    for buurt, answers in per_buurt.items():
        for i, a in enumerate(answers):
            base = {"respondent": f"{buurt}-{i}", "buurtcode": buurt, "wijkcode": buurt_to_wijk[buurt],
                    "leeftijd": np.nan, "leeftijdsklasse": a.pop("leeftijdsklasse", "45-64"),
                    "geslacht": a.pop("geslacht", np.nan), "gewicht": a.pop("gewicht", np.nan),
                    "jaar": year}
            rows.append({**base, **a})
    frame = pd.DataFrame(rows)
    frame["gewicht"] = frame["gewicht"].astype(float)
    return frame


def figure(table: pd.DataFrame, code: str, indicator: str, year: int = 2024) -> pd.Series:
    hit = table[(table["gebiedscode"] == code) & (table["indicator"] == indicator) & (table["jaar"] == year)]
    assert len(hit) == 1, f"{code} {indicator}: {len(hit)} rows"
    return hit.iloc[0]


# ----------------------------------------------------------------------------------------------
# scores
# ----------------------------------------------------------------------------------------------

def test_reversed_items_and_rescaling_by_hand():
    frame = pd.DataFrame({"s1": [1, 5, 9, 3], "s2": [5, 9, np.nan, 3], "s3": [4, 2, 3, 3]})
    scores = survey.score_respondents(frame, cohesion_codebook())
    # r1: s1=1 reversed -> 5; mean (5+5+4)/3 = 14/3; (14/3 - 1) / 4 * 10
    assert scores["cohesie"][0] == pytest.approx((14 / 3 - 1) / 4 * 10)
    # r2: s1=5 -> 1, s2 = 9 is a missing code; valid 1 and 2: mean 1.5 -> 0.5/4*10
    assert scores["cohesie"][1] == pytest.approx(1.25)
    # r3: only s3 valid (9 missing, NaN empty): fewer than min_geldig = 2
    assert np.isnan(scores["cohesie"][2])
    # r4: all neutral (3 reversed stays 3): exactly the middle of the 0-10 scale
    assert scores["cohesie"][3] == pytest.approx(5.0)


def test_out_of_code_answers_are_not_valid_in_scores():
    frame = pd.DataFrame({"s1": [7], "s2": [5], "s3": [5]})  # 7 is not a code
    scores = survey.score_respondents(frame, cohesion_codebook())
    assert scores["cohesie"][0] == pytest.approx(10.0)  # only s2 and s3 count


def test_de_jong_gierveld_real_item_polarity():
    # 1 = ja, 2 = min of meer, 3 = nee. Items 1, 4, 6 are negative (emotional: "I miss people"),
    # items 2, 3, 5 positive (social: "there are enough people I can rely on") and reversed.
    all_nee = [3, 3, 3, 3, 3, 3]        # 'nee' on the positive items 2, 3, 5 is lonely -> 3
    all_mom = [2, 2, 2, 2, 2, 2]        # 'min of meer' scores 1 on every item -> 6
    all_ja = [1, 1, 1, 1, 1, 1]         # 'ja' on the negative items 1, 4, 6 -> 3
    not_lonely = [3, 1, 1, 3, 1, 3]     # nee on negative, ja on positive -> 0
    one = [1, 1, 1, 3, 1, 3]            # only item 1 'ja' -> 1
    very = [1, 3, 2, 2, 3, 1]           # every item lonely -> 6
    frame = pd.DataFrame([all_nee, all_mom, all_ja, not_lonely, one, very], columns=DJG_ITEMS)
    scores = survey.score_respondents(frame, djg_codebook())["eenzaamheid"].tolist()
    assert scores == [3, 6, 3, 0, 1, 6]

    values, kinds = survey.respondent_indicator_values(frame, djg_codebook())
    assert kinds == {"eenzaam_pct": "aandeel", "zeer_eenzaam_pct": "aandeel"}
    assert values["eenzaam_pct"].tolist() == [1, 1, 1, 0, 0, 1]        # score >= 2
    assert values["zeer_eenzaam_pct"].tolist() == [0, 1, 0, 0, 0, 1]   # score >= 5


def test_de_jong_gierveld_needs_all_items_by_default():
    frame = pd.DataFrame([[2, 2, 2, 2, 2, 9]], columns=DJG_ITEMS)
    assert np.isnan(survey.score_respondents(frame, djg_codebook())["eenzaamheid"][0])


def test_telling_prorates_and_rounds_half_up():
    rows = [
        [2, 2, 2, 2, 2, 9],            # 5 hits of 5 valid -> 5 * 6/5 = 6
        [1, 1, 1, 3, 3, 9],            # hits: item 1 (ja) and item 5 (nee, reversed) = 2 of 5 -> 2.4 -> 2
        [1, 3, 1, 1, 3, 9],            # hits: items 1, 2, 4, 5 = 4 of 5 -> 4.8 -> 5
        [1, 1, 9, 3, np.nan, 9],       # hits: item 1 only = 1 of 3 valid -> below min_geldig 4 -> NaN
        [1, 1, 1, 3, 9, 9],            # 1 of 4 valid -> 1.5 -> 2 (half up)
        [1, 3, 3, 3, 9, 9],            # items 1, 2, 3 hit, 4 not = 3 of 4 -> 4.5 -> 5 (half up, not to even)
    ]
    frame = pd.DataFrame(rows, columns=DJG_ITEMS)
    scores = survey.score_respondents(frame, djg_codebook(min_geldig=4))["eenzaamheid"]
    assert scores[:3].tolist() == [6, 2, 5]
    assert np.isnan(scores[3])
    assert scores[4:].tolist() == [2, 5]


def test_aandeel_scores_one_zero_and_missing():
    frame = pd.DataFrame({"vrijwilliger": [1, 2, 99, np.nan], "cijfer": [10, 0, 3, 99]})
    scores = survey.score_respondents(frame, simple_codebook())
    assert scores["vrijwilliger"].iloc[:2].tolist() == [1.0, 0.0]
    assert scores["vrijwilliger"].iloc[2:].isna().all()
    assert scores["cijfer"].iloc[:3].tolist() == [10.0, 0.0, 3.0]
    assert np.isnan(scores["cijfer"].iloc[3])


# ----------------------------------------------------------------------------------------------
# codebook
# ----------------------------------------------------------------------------------------------

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
    cb = survey.parse_codebook(raw, findings)
    assert not findings.has_errors, findings.lines()
    assert cb["codeboek"] == {"naam": "Enquête", "ontbrekend": [9]}
    assert cb["schalen"]["cohesie"]["min_geldig"] == 3            # ceil(5 / 2)
    assert cb["schalen"]["cohesie"]["ontbrekend"] == [9]           # from [codeboek]
    assert cb["schalen"]["cohesie"]["label"] == "cohesie"
    assert cb["schalen"]["eenzaamheid"]["min_geldig"] == 6        # all items
    assert cb["schalen"]["vrijwilliger"]["min_geldig"] == 1
    assert cb["schalen"]["vrijwilliger"]["ontbrekend"] == [8]      # the scale's own
    # idempotent
    again = survey.parse_codebook(cb, Findings())
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
    cb = survey.parse_codebook(raw, findings, file="codeboek.toml")
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
    survey.parse_codebook(raw, findings)
    text = "\n".join(findings.lines())
    assert "code(s) 4 in 'telt' zijn geen geldige codes van de schaal (1, 2, 3)" in text
    assert "drempel zeer_eenzaam_pct = 7 moet een geheel getal van 1 tot en met 6 zijn" in text
    assert "code(s) 3 in 'ja' zijn geen geldige codes" in text
    assert {e.column for e in findings.errors} == {"schalen.eenzaamheid.telt", "schalen.eenzaamheid.drempels",
                                                   "schalen.vrijwilliger.ja"}


def test_codebook_without_scales_and_duplicate_indicator():
    findings = Findings()
    survey.parse_codebook({"codeboek": {"naam": "x"}}, findings)
    assert findings.errors[0].problem == "het codeboek bevat geen schalen"

    raw = cohesion_codebook()
    raw["schalen"]["cohesie2"] = dict(raw["schalen"]["cohesie"])
    findings = Findings()
    cb = survey.parse_codebook(raw, findings)
    assert len(findings.errors) == 1
    assert "indicator 'cohesie_score' wordt ook al berekend door schaal 'cohesie'" in findings.errors[0].problem
    assert list(cb["schalen"]) == ["cohesie"]


def test_codebook_unknown_key_is_a_warning_and_errors_raise_in_scoring():
    raw = cohesion_codebook(omgekeerde=["s1"])
    findings = Findings()
    survey.parse_codebook(raw, findings)
    assert not findings.has_errors
    assert any("onbekende instelling 'omgekeerde'" in w.problem for w in findings.warnings)
    bad = cohesion_codebook(methode="som")
    with pytest.raises(DatasetError, match="onbekende methode"):
        survey.score_respondents(pd.DataFrame({"s1": [1]}), bad)


# ----------------------------------------------------------------------------------------------
# prepare_respondents
# ----------------------------------------------------------------------------------------------

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


@pytest.mark.parametrize("text, expected", [
    ("65+", "65+"), ("65 en ouder", "65+"), ("65 jaar of ouder", "65+"), ("75+", "65+"),
    ("45 tot 65", "45-64"), ("45-64", "45-64"), ("45 - 65", "45-64"), ("45 t/m 64", "45-64"),
    ("25 tot 45 jaar", "25-44"), ("18-24", "15-24"), ("jonger dan 15", "0-14"), ("0-14", "0-14"),
    ("35-54", None), ("veel", None),
])
def test_age_class_text(text, expected):
    assert survey.age_class(text) == expected


# ----------------------------------------------------------------------------------------------
# weights
# ----------------------------------------------------------------------------------------------

def test_age_weights_renormalise_over_present_classes():
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": [{"leeftijdsklasse": "45-64"} for _ in range(10)]
                             + [{"leeftijdsklasse": "65+"} for _ in range(10)]})
    pop = {"WK099901": {"inwoners": 1000, "p_00_14": 20, "p_15_24": 16, "p_25_44": 24, "p_45_64": 24,
                        "p_65_eo": 16}}
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    w = survey.poststratification_weights(resp, ds.wijken)
    # present classes 45-64 and 65+: shares 24/40 and 16/40; weight = share * 20 / 10
    assert w[resp["leeftijdsklasse"] == "45-64"].tolist() == pytest.approx([1.2] * 10)
    assert w[resp["leeftijdsklasse"] == "65+"].tolist() == pytest.approx([0.8] * 10)
    assert w.mean() == pytest.approx(1.0)


def test_raking_meets_both_margins():
    b2w = {"BU09990101": "WK099901"}
    answers = ([{"leeftijdsklasse": "25-44", "geslacht": "man"}] * 3 + [{"leeftijdsklasse": "25-44", "geslacht": "vrouw"}] * 9
               + [{"leeftijdsklasse": "65+", "geslacht": "man"}] * 6 + [{"leeftijdsklasse": "65+", "geslacht": "vrouw"}] * 2
               + [{"leeftijdsklasse": "65+", "geslacht": "anders"}])
    resp = respondents(b2w, {"BU09990101": [dict(a) for a in answers]})
    pop = {"WK099901": {"inwoners": 1000, "mannen": 400, "vrouwen": 600, "p_00_14": 10, "p_15_24": 10,
                        "p_25_44": 45, "p_45_64": 20, "p_65_eo": 15}}
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    w = survey.poststratification_weights(resp, ds.wijken)
    assert w.mean() == pytest.approx(1.0)
    age_share = w.groupby(resp["leeftijdsklasse"]).sum() / w.sum()
    assert age_share["25-44"] == pytest.approx(45 / 60, abs=1e-6)
    assert age_share["65+"] == pytest.approx(15 / 60, abs=1e-6)
    mv = resp["geslacht"].isin(["man", "vrouw"])
    men = w[resp["geslacht"] == "man"].sum() / w[mv].sum()
    assert men == pytest.approx(0.4, abs=1e-6)


def test_given_weights_are_used_and_normalised_per_wijk_year():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902"}
    resp = respondents(b2w, {"BU09990101": [{"gewicht": 2.0}, {"gewicht": 4.0}, {"gewicht": np.nan}],
                             "BU09990201": [{"gewicht": 5.0}, {"gewicht": 15.0}]})
    ds = make_ds(resp, simple_codebook(), b2w)
    w = survey.poststratification_weights(resp, ds.wijken)
    # the missing weight gets the wijk mean (3): 2, 4, 3 -> mean 3 -> 2/3, 4/3, 1
    assert w.tolist() == pytest.approx([2 / 3, 4 / 3, 1.0, 0.5, 1.5])


def test_weights_reproduce_real_zwolle_age_structure():
    wijken = gpd.read_file(ZWOLLE / "zwolle_wijken_2015.geojson")
    row = wijken[wijken["WK_CODE"] == "WK019331"].iloc[0]          # Aalanden
    pop = {"WK019331": {"inwoners": row["AANT_INW"], "mannen": row["AANT_MAN"], "vrouwen": row["AANT_VROUW"],
                        "p_00_14": row["P_00_14_JR"], "p_15_24": row["P_15_24_JR"], "p_25_44": row["P_25_44_JR"],
                        "p_45_64": row["P_45_64_JR"], "p_65_eo": row["P_65_EO_JR"]}}
    b2w = {"BU01933100": "WK019331"}
    rng = np.random.default_rng(4)
    classes = rng.choice(["15-24", "25-44", "45-64", "65+"], size=200, p=[0.05, 0.15, 0.3, 0.5])  # too old
    sexes = rng.choice(["man", "vrouw"], size=200, p=[0.3, 0.7])
    resp = respondents(b2w, {"BU01933100": [{"leeftijdsklasse": c, "geslacht": s} for c, s in zip(classes, sexes)]})
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    w = survey.poststratification_weights(resp, ds.wijken)
    adult = {c: float(row[col]) for c, col in (("15-24", "P_15_24_JR"), ("25-44", "P_25_44_JR"),
                                               ("45-64", "P_45_64_JR"), ("65+", "P_65_EO_JR"))}
    total = sum(adult.values())
    weighted = w.groupby(resp["leeftijdsklasse"]).sum() / w.sum()
    for c, p in adult.items():
        assert weighted[c] == pytest.approx(p / total, abs=1e-6)
    men = w[resp["geslacht"] == "man"].sum() / w.sum()
    assert men == pytest.approx(row["AANT_MAN"] / (row["AANT_MAN"] + row["AANT_VROUW"]), abs=1e-6)


# ----------------------------------------------------------------------------------------------
# intervals and area figures
# ----------------------------------------------------------------------------------------------

def test_wilson_interval_textbook_values():
    lo, hi = survey.wilson_interval(0.8, 10)       # 8 of 10: Wilson (1927), Newcombe (1998): 0.4902-0.9433
    assert float(lo) == pytest.approx(0.4902, abs=1e-4) and float(hi) == pytest.approx(0.9433, abs=1e-4)
    lo, hi = survey.wilson_interval(0.0, 10)       # 0 of 10: 0-0.2775
    assert float(lo) == pytest.approx(0.0, abs=1e-12) and float(hi) == pytest.approx(0.2775, abs=1e-4)


def test_weighted_mean_share_and_intervals_by_hand():
    b2w = {"BU09990101": "WK099901"}
    heavy = [{"cijfer": 8, "vrijwilliger": 1, "gewicht": 2.0} for _ in range(5)]
    light = ([{"cijfer": 5, "vrijwilliger": 1, "gewicht": 1.0}]
             + [{"cijfer": 5, "vrijwilliger": 2, "gewicht": 1.0} for _ in range(4)])
    resp = respondents(b2w, {"BU09990101": heavy + light})
    ds = make_ds(resp, simple_codebook(), b2w)
    table = survey.survey_indicators(ds, threshold=10)

    # by hand: sum w = 15, sum w x = 5*2*8 + 5*5 = 105 -> mean 7; sum w^2 = 5*4 + 5 = 25 -> n_eff = 225/25 = 9
    # variance: (sum w x^2 - sum w * mean^2) / (sum w - sum w^2 / sum w) = (640 + 125 - 735) / (15 - 5/3) = 2.25
    # sd 1.5, se 1.5 / 3 = 0.5, interval 7 +- 0.98
    mark = figure(table, "WK099901", "tevredenheid_voorzieningen")
    assert mark["waarde"] == pytest.approx(7.0)
    assert mark["n"] == 10
    assert mark["ci_laag"] == pytest.approx(6.02) and mark["ci_hoog"] == pytest.approx(7.98)
    assert mark["onderdrukt"] == 0

    # share: (5 * 2 + 1) / 15 = 11/15, Wilson with n_eff = 9 written out
    p, n, z = 11 / 15, 9.0, 1.96
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    share = figure(table, "WK099901", "vrijwilliger_pct")
    assert share["waarde"] == pytest.approx(100 * 11 / 15)
    assert share["ci_laag"] == pytest.approx(100 * (centre - half))
    assert share["ci_hoog"] == pytest.approx(100 * (centre + half))
    # buurt and gemeente have the same respondents here
    assert figure(table, "BU09990101", "vrijwilliger_pct")["waarde"] == pytest.approx(100 * 11 / 15)
    assert figure(table, GM, "tevredenheid_voorzieningen")["waarde"] == pytest.approx(7.0)
    count = figure(table, "BU09990101", "respondenten_aantal")
    assert count["waarde"] == 10 and count["n"] == 10 and count["onderdrukt"] == 0


def test_wijk_figure_comes_from_respondents_not_from_buurt_means():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901"}
    resp = respondents(b2w, {"BU09990101": [{"cijfer": 8, "vrijwilliger": 1} for _ in range(10)],
                             "BU09990102": [{"cijfer": 4, "vrijwilliger": 2} for _ in range(30)]})
    ds = make_ds(resp, simple_codebook(), b2w)
    table = survey.survey_indicators(ds, threshold=10)
    assert figure(table, "BU09990101", "tevredenheid_voorzieningen")["waarde"] == pytest.approx(8)
    assert figure(table, "BU09990102", "tevredenheid_voorzieningen")["waarde"] == pytest.approx(4)
    # (10 * 8 + 30 * 4) / 40 = 5, not the mean of buurt means (8 + 4) / 2 = 6
    assert figure(table, "WK099901", "tevredenheid_voorzieningen")["waarde"] == pytest.approx(5)
    assert figure(table, "WK099901", "vrijwilliger_pct")["waarde"] == pytest.approx(25)


def test_gemeente_weights_wijken_by_population():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902"}
    resp = respondents(b2w, {"BU09990101": [{"cijfer": 8, "vrijwilliger": 1} for _ in range(30)],
                             "BU09990201": [{"cijfer": 2, "vrijwilliger": 2} for _ in range(10)]})
    pop = {"WK099901": {"inwoners": 1000}, "WK099902": {"inwoners": 3000}}
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    table = survey.survey_indicators(ds, threshold=10)
    # population weighted: (1000 * 8 + 3000 * 2) / 4000 = 3.5 (respondent mean would be 6.5)
    assert figure(table, GM, "tevredenheid_voorzieningen")["waarde"] == pytest.approx(3.5)
    assert figure(table, GM, "respondenten_aantal")["waarde"] == 40


def test_threshold_below_ten_raises():
    b2w = {"BU09990101": "WK099901"}
    ds = make_ds(respondents(b2w, {"BU09990101": [{"cijfer": 5, "vrijwilliger": 1}]}), simple_codebook(), b2w)
    with pytest.raises(ValueError, match="mag niet lager zijn dan 10"):
        survey.survey_indicators(ds, threshold=9)
    with pytest.raises(ValueError, match="mag niet lager zijn dan 10"):
        survey.respondent_profile(ds, "wijk", 2024, threshold=5)


def _answers(n: int, value: int = 5) -> list[dict]:
    return [{"cijfer": value, "vrijwilliger": 1} for _ in range(n)]


def test_primary_suppression():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _answers(29), "BU09990102": _answers(30), "BU09990103": _answers(12)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))     # default threshold 30
    small = figure(table, "BU09990101", "vrijwilliger_pct")
    assert small["onderdrukt"] == 1 and small["n"] == 29
    assert np.isnan(small["waarde"]) and np.isnan(small["ci_laag"]) and np.isnan(small["ci_hoog"])
    big = figure(table, "BU09990102", "vrijwilliger_pct")
    assert big["onderdrukt"] == 0 and big["waarde"] == pytest.approx(100)
    # the count is never suppressed
    assert figure(table, "BU09990101", "respondenten_aantal")["waarde"] == 29
    # a buurt without respondents has no rows at all
    ds = make_ds(resp, simple_codebook(), {**b2w, "BU09990104": "WK099901"})
    assert "BU09990104" not in set(survey.survey_indicators(ds)["gebiedscode"])


def test_secondary_suppression_one_suppressed_sibling():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _answers(40), "BU09990102": _answers(35), "BU09990103": _answers(12)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    for ind in ("vrijwilliger_pct", "tevredenheid_voorzieningen"):
        assert figure(table, "BU09990103", ind)["onderdrukt"] == 1      # primary
        assert figure(table, "BU09990102", ind)["onderdrukt"] == 1      # smallest other: 35
        assert np.isnan(figure(table, "BU09990102", ind)["waarde"])
        assert figure(table, "BU09990101", ind)["onderdrukt"] == 0
        assert figure(table, "WK099901", ind)["onderdrukt"] == 0


def test_secondary_suppression_ties_by_code():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _answers(35), "BU09990102": _answers(35), "BU09990103": _answers(5)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 0


def test_two_suppressed_siblings_need_nothing_extra():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _answers(40), "BU09990102": _answers(12), "BU09990103": _answers(15)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 0
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990103", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "WK099901", "vrijwilliger_pct")["onderdrukt"] == 0


def test_sibling_without_valid_answers_does_not_count_as_suppressed():
    # buurt 03 has respondents, but none answered the question: it is no part of the wijk figure,
    # so buurt 02 (suppressed) would be recoverable from the wijk and buurt 01 unless 01 is suppressed too
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _answers(40), "BU09990102": _answers(12),
                             "BU09990103": [{"cijfer": 99, "vrijwilliger": 99} for _ in range(8)]})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    empty = figure(table, "BU09990103", "vrijwilliger_pct")
    assert empty["n"] == 0 and empty["onderdrukt"] == 1
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "WK099901", "vrijwilliger_pct")["onderdrukt"] == 0


def test_secondary_suppression_cascades_to_the_buurten_of_a_protecting_wijk():
    # wijk 02 (12 respondents) is suppressed; wijk 01 is suppressed to protect it within the gemeente.
    # Wijk 01 equals the combination of its buurten, which are all large: one of them must go too,
    # otherwise wijk 01 and then wijk 02 can be recovered.
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990201": "WK099902"}
    resp = respondents(b2w, {"BU09990101": _answers(50), "BU09990102": _answers(40), "BU09990201": _answers(12)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    ind = "vrijwilliger_pct"
    assert figure(table, GM, ind)["onderdrukt"] == 0
    assert figure(table, "WK099902", ind)["onderdrukt"] == 1
    assert figure(table, "WK099901", ind)["onderdrukt"] == 1
    assert figure(table, "BU09990102", ind)["onderdrukt"] == 1     # smaller buurt of wijk 01
    assert figure(table, "BU09990101", ind)["onderdrukt"] == 0


def test_a_wijk_with_one_buurt_with_respondents():
    # wijk 01 has two buurten but only buurt 01 has respondents: the wijk figure equals the buurt figure,
    # that is no leak. Wijk 02 is small, so wijk 01 is suppressed within the gemeente: then its only buurt
    # with respondents must be suppressed too, or it would reveal the wijk.
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990201": "WK099902",
           "BU09990301": "WK099903"}
    resp = respondents(b2w, {"BU09990101": _answers(40), "BU09990201": _answers(11), "BU09990301": _answers(60)})
    table = survey.survey_indicators(make_ds(resp, simple_codebook(), b2w))
    ind = "vrijwilliger_pct"
    assert "BU09990102" not in set(table["gebiedscode"])
    assert figure(table, "WK099902", ind)["onderdrukt"] == 1
    assert figure(table, "WK099901", ind)["onderdrukt"] == 1
    assert figure(table, "BU09990101", ind)["onderdrukt"] == 1
    assert figure(table, "WK099903", ind)["onderdrukt"] == 0
    assert figure(table, "BU09990301", ind)["onderdrukt"] == 0


def test_years_are_separate_and_selectable():
    b2w = {"BU09990101": "WK099901"}
    a = respondents(b2w, {"BU09990101": _answers(12, 4)}, year=2022)
    b = respondents(b2w, {"BU09990101": _answers(15, 9)}, year=2024)
    ds = make_ds(pd.concat([a, b], ignore_index=True), simple_codebook(), b2w)
    table = survey.survey_indicators(ds, threshold=10)
    assert figure(table, "WK099901", "tevredenheid_voorzieningen", 2022)["waarde"] == pytest.approx(4)
    assert figure(table, "WK099901", "tevredenheid_voorzieningen", 2024)["waarde"] == pytest.approx(9)
    only = survey.survey_indicators(ds, years=[2022], threshold=10)
    assert set(only["jaar"]) == {2022}
    assert list(only.columns) == list(survey.SURVEY_COLUMNS)


def test_de_jong_gierveld_area_shares():
    b2w = {"BU09990101": "WK099901"}
    lonely = [{f"eenzaam_{i}": 2 for i in range(1, 7)} for _ in range(4)]             # score 6
    fine = [dict(zip(DJG_ITEMS, [3, 1, 1, 3, 1, 3])) for _ in range(16)]              # score 0
    resp = respondents(b2w, {"BU09990101": lonely + fine})
    table = survey.survey_indicators(make_ds(resp, djg_codebook(), b2w), threshold=10)
    assert figure(table, "WK099901", "eenzaam_pct")["waarde"] == pytest.approx(20)
    assert figure(table, "WK099901", "zeer_eenzaam_pct")["waarde"] == pytest.approx(20)


# ----------------------------------------------------------------------------------------------
# respondent profile
# ----------------------------------------------------------------------------------------------

def test_respondent_profile_compares_with_population():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902"}
    old = [{"leeftijdsklasse": "65+", "geslacht": "vrouw"} for _ in range(20)]
    young = [{"leeftijdsklasse": "25-44", "geslacht": "man"} for _ in range(10)]
    resp = respondents(b2w, {"BU09990101": old + young, "BU09990201": [dict(a) for a in old[:5]]})
    pop = {"WK099901": {"mannen": 500, "vrouwen": 500, "p_00_14": 20, "p_15_24": 10, "p_25_44": 40,
                        "p_45_64": 20, "p_65_eo": 10},
           "WK099902": {"mannen": 500, "vrouwen": 500, "p_00_14": 20, "p_15_24": 10, "p_25_44": 40,
                        "p_45_64": 20, "p_65_eo": 10}}
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    prof = survey.respondent_profile(ds, "wijk", 2024)
    assert list(prof.columns) == list(survey.PROFILE_COLUMNS)
    w1 = prof[prof["gebiedscode"] == "WK099901"].set_index(["kenmerk", "categorie"])
    assert (w1["respondenten"] == 30).all()
    # the survey holds 25-44 and 65+ only: population shares 40 and 10 renormalised to 80% and 20%
    assert w1.loc[("leeftijdsklasse", "65+"), "respondenten_pct"] == pytest.approx(200 / 3)
    assert w1.loc[("leeftijdsklasse", "65+"), "bevolking_pct"] == pytest.approx(20)
    assert w1.loc[("leeftijdsklasse", "25-44"), "bevolking_pct"] == pytest.approx(80)
    assert w1.loc[("geslacht", "man"), "respondenten_pct"] == pytest.approx(100 / 3)
    assert w1.loc[("geslacht", "man"), "bevolking_pct"] == pytest.approx(50)
    assert w1["scheef"].all()
    assert set(w1.index.get_level_values("categorie")) == {"25-44", "65+", "man", "vrouw"}
    # wijk 02 has 5 respondents: its count is shown, its distribution is not
    w2 = prof[prof["gebiedscode"] == "WK099902"]
    assert (w2["respondenten"] == 5).all() and (w2["onderdrukt"] == 1).all()
    assert w2["respondenten_pct"].isna().all()
    assert not set(prof.columns) & {"respondent", "leeftijd", "cijfer"}


# ----------------------------------------------------------------------------------------------
# properties
# ----------------------------------------------------------------------------------------------

BUURTEN_PROP = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901",
                "BU09990201": "WK099902", "BU09990202": "WK099902", "BU09990301": "WK099903"}


@st.composite
def survey_cases(draw):
    per_buurt = {}
    for buurt in BUURTEN_PROP:
        n = draw(st.sampled_from([0, 0, 3, 9, 10, 12, 25, 30, 31, 45, 60]))
        per_buurt[buurt] = [
            {"cijfer": draw(st.sampled_from([0, 3, 7, 10, 99])), "vrijwilliger": draw(st.sampled_from([1, 2, 99])),
             **{item: draw(st.sampled_from([1, 2, 3, 9])) for item in DJG_ITEMS},
             "leeftijdsklasse": draw(st.sampled_from(["15-24", "25-44", "45-64", "65+", np.nan])),
             "geslacht": draw(st.sampled_from(["man", "vrouw", "anders", np.nan]))}
            for _ in range(n)
        ]
    threshold = draw(st.integers(min_value=10, max_value=40))
    return {b: a for b, a in per_buurt.items() if a}, threshold


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey_cases())
def test_property_shares_in_range_and_suppressed_never_shown(case):
    per_buurt, threshold = case
    if not per_buurt:
        return
    codebook = simple_codebook()
    codebook["schalen"]["eenzaamheid"] = djg_codebook(min_geldig=4)["schalen"]["eenzaamheid"]
    resp = respondents(BUURTEN_PROP, per_buurt)
    pop = {w: {"inwoners": 1000 * (i + 1), "mannen": 480, "vrouwen": 520, "p_00_14": 15, "p_15_24": 12,
               "p_25_44": 25, "p_45_64": 28, "p_65_eo": 20} for i, w in enumerate(sorted(set(BUURTEN_PROP.values())))}
    table = survey.survey_indicators(make_ds(resp, codebook, BUURTEN_PROP, pop), threshold=threshold)
    figures = table[table["indicator"] != "respondenten_aantal"]
    shares = figures[figures["indicator"] != "tevredenheid_voorzieningen"]
    shown = shares[shares["onderdrukt"] == 0]
    assert ((shown["waarde"] >= 0) & (shown["waarde"] <= 100)).all()
    assert ((shown["ci_laag"] >= 0) & (shown["ci_hoog"] <= 100)).all()
    marks = figures[(figures["indicator"] == "tevredenheid_voorzieningen") & (figures["onderdrukt"] == 0)]
    assert ((marks["waarde"] >= 0) & (marks["waarde"] <= 10)).all()
    ok = figures[figures["onderdrukt"] == 0]
    assert (ok["ci_laag"] <= ok["waarde"] + 1e-9).all() and (ok["waarde"] <= ok["ci_hoog"] + 1e-9).all()
    assert (ok["n"] >= threshold).all()
    hidden = table[table["onderdrukt"] == 1]
    assert hidden["waarde"].isna().all() and hidden["ci_laag"].isna().all() and hidden["ci_hoog"].isna().all()
    assert (figures.loc[figures["n"] < threshold, "onderdrukt"] == 1).all()
    assert (table.loc[table["indicator"] == "respondenten_aantal", "onderdrukt"] == 0).all()
    # no buurt without respondents appears
    assert set(table.loc[table["niveau"] == "buurt", "gebiedscode"]) == set(per_buurt)
    # no parent-children equation holds exactly one suppressed figure
    parent = {**BUURTEN_PROP, **{w: GM for w in BUURTEN_PROP.values()}}
    live = figures[figures["n"] > 0]
    for (year, ind), group in live.groupby(["jaar", "indicator"]):
        flag = dict(zip(group["gebiedscode"], group["onderdrukt"]))
        for p in set(group["gebiedscode"]):
            kids = [c for c in flag if parent.get(c) == p]
            if kids:
                assert flag[p] + sum(flag[k] for k in kids) != 1, (year, ind, p, flag)


def test_weights_accept_pandas_na_sex_from_string_columns():
    """An empty sex cell read as a pandas string column (pd.NA) must not break post-stratification."""
    per = {"BU09990101": [{"leeftijdsklasse": "25-44", "geslacht": "man"},
                          {"leeftijdsklasse": "65+", "geslacht": "vrouw"},
                          {"leeftijdsklasse": "65+", "geslacht": np.nan}]}
    resp = respondents({"BU09990101": "WK099901"}, per)
    resp["geslacht"] = resp["geslacht"].astype("string")  # empty cell -> pd.NA
    assert resp["geslacht"].isna().sum() == 1
    pop = {"inwoners": 1000, "mannen": 500, "vrouwen": 500, "p_00_14": 0, "p_15_24": 0,
           "p_25_44": 50, "p_45_64": 0, "p_65_eo": 50}
    ds = make_ds(resp, simple_codebook(), {"BU09990101": "WK099901"}, {"WK099901": pop})
    weights = survey.poststratification_weights(resp, ds.wijken)
    assert np.isfinite(weights.to_numpy(float)).all()
    assert weights.mean() == pytest.approx(1.0)
