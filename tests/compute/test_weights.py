"""Tests for analysis.compute.weights: raking to wijk and buurt margins, the rule for anders/unknown, the design."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from analysis.compute import survey, weights
from tests.paths import ZWOLLE
from tests.survey_cases import figure, make_ds, respondents, simple_codebook

POP = {"inwoners": 1000, "mannen": 400, "vrouwen": 600, "p_00_14": 10, "p_15_24": 10,
       "p_25_44": 45, "p_45_64": 20, "p_65_eo": 15}


def test_age_weights_renormalise_over_present_classes():
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": [{"leeftijdsklasse": "45-64"} for _ in range(10)]
                             + [{"leeftijdsklasse": "65+"} for _ in range(10)]})
    pop = {"WK099901": {"inwoners": 1000, "p_00_14": 20, "p_15_24": 16, "p_25_44": 24, "p_45_64": 24,
                        "p_65_eo": 16}}
    ds = make_ds(resp, simple_codebook(), b2w, pop)
    w = weights.poststratification_weights(resp, ds.wijken)
    # present classes 45-64 and 65+: shares 24/40 and 16/40; weight = share * 20 / 10
    assert w[resp["leeftijdsklasse"] == "45-64"].tolist() == pytest.approx([1.2] * 10)
    assert w[resp["leeftijdsklasse"] == "65+"].tolist() == pytest.approx([0.8] * 10)
    assert w.mean() == pytest.approx(1.0)


def _mixed_answers() -> list[dict]:
    return ([{"leeftijdsklasse": "25-44", "geslacht": "man"}] * 3 + [{"leeftijdsklasse": "25-44", "geslacht": "vrouw"}] * 9
            + [{"leeftijdsklasse": "65+", "geslacht": "man"}] * 6 + [{"leeftijdsklasse": "65+", "geslacht": "vrouw"}] * 2
            + [{"leeftijdsklasse": "65+", "geslacht": "anders"}, {"leeftijdsklasse": "25-44", "geslacht": np.nan},
               {"leeftijdsklasse": np.nan, "geslacht": "vrouw"}])


def test_raking_meets_both_margins_and_anders_keeps_its_share():
    b2w = {"BU09990101": "WK099901"}
    resp = respondents(b2w, {"BU09990101": _mixed_answers()})
    ds = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP})
    w = weights.poststratification_weights(resp, ds.wijken)
    assert w.mean() == pytest.approx(1.0)
    known_age = resp["leeftijdsklasse"].notna()
    age_share = w[known_age].groupby(resp["leeftijdsklasse"]).sum() / w[known_age].sum()
    assert age_share["25-44"] == pytest.approx(45 / 60, abs=1e-8)
    assert age_share["65+"] == pytest.approx(15 / 60, abs=1e-8)
    mv = resp["geslacht"].isin(["man", "vrouw"])
    assert w[resp["geslacht"] == "man"].sum() / w[mv].sum() == pytest.approx(0.4, abs=1e-8)
    # the rule for anders / unknown sex and unknown age: they keep their unweighted share of the wijk
    n = len(resp)
    assert w[~mv].sum() / w.sum() == pytest.approx(2 / n, abs=1e-8)
    assert w[~known_age].sum() / w.sum() == pytest.approx(1 / n, abs=1e-8)


def test_raking_does_not_depend_on_row_or_margin_order():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901"}
    rng = np.random.default_rng(7)
    ages = rng.choice(["15-24", "25-44", "45-64", "65+", np.nan], size=90, p=[0.1, 0.2, 0.3, 0.35, 0.05])
    sexes = rng.choice(["man", "vrouw", "anders", np.nan], size=90, p=[0.4, 0.5, 0.05, 0.05])
    answers = [{"leeftijdsklasse": a, "geslacht": s} for a, s in zip(ages, sexes)]
    resp = respondents(b2w, {"BU09990101": answers[:50], "BU09990102": answers[50:]})
    ds = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP})
    w = weights.poststratification_weights(resp, ds.wijken)
    for seed in (1, 2, 3):
        order = np.random.default_rng(seed).permutation(len(resp))
        shuffled = resp.iloc[order].reset_index(drop=True)
        again = weights.poststratification_weights(shuffled, ds.wijken)
        assert again.to_numpy() == pytest.approx(w.to_numpy()[order], abs=1e-9)
    # the raking itself: margins in the other order give the same weights
    age = np.array(["a", "a", "b", "b", "b", "c"], dtype=object)
    sex = np.array(["m", "v", "m", "v", "v", "?"], dtype=object)
    targets_age = {"a": 3.0, "b": 2.0, "c": 1.0}
    targets_sex = {"m": 2.5, "v": 2.5, "?": 1.0}
    first = weights.rake([age, sex], [targets_age, targets_sex])
    second = weights.rake([sex, age], [targets_sex, targets_age])
    assert first == pytest.approx(second, abs=1e-9)
    assert first[age == "a"].sum() == pytest.approx(3.0) and first[sex == "m"].sum() == pytest.approx(2.5)


def test_given_weights_are_used_and_normalised_per_wijk_year():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902"}
    resp = respondents(b2w, {"BU09990101": [{"gewicht": 2.0}, {"gewicht": 4.0}, {"gewicht": np.nan}],
                             "BU09990201": [{"gewicht": 5.0}, {"gewicht": 15.0}, {"gewicht": np.inf}]})
    ds = make_ds(resp, simple_codebook(), b2w)
    w = weights.poststratification_weights(resp, ds.wijken)
    # the missing weight gets the wijk mean (3): 2, 4, 3 -> mean 3 -> 2/3, 4/3, 1; inf is no weight either
    assert w.tolist() == pytest.approx([2 / 3, 4 / 3, 1.0, 0.5, 1.5, 1.0])
    table = survey.survey_indicators(make_ds(resp.assign(cijfer=5, vrijwilliger=1), simple_codebook(), b2w),
                                     threshold=10)
    assert table["bron"].dropna().eq(weights.SOURCE_GIVEN).all()


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
    w = weights.poststratification_weights(resp, ds.wijken)
    adult = {c: float(row[col]) for c, col in (("15-24", "P_15_24_JR"), ("25-44", "P_25_44_JR"),
                                               ("45-64", "P_45_64_JR"), ("65+", "P_65_EO_JR"))}
    total = sum(adult.values())
    weighted = w.groupby(resp["leeftijdsklasse"]).sum() / w.sum()
    for c, p in adult.items():
        assert weighted[c] == pytest.approx(p / total, abs=1e-6)
    men = w[resp["geslacht"] == "man"].sum() / w.sum()
    assert men == pytest.approx(row["AANT_MAN"] / (row["AANT_MAN"] + row["AANT_VROUW"]), abs=1e-6)


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
    w = weights.poststratification_weights(resp, ds.wijken)
    assert np.isfinite(w.to_numpy(float)).all()
    assert w.mean() == pytest.approx(1.0)


# ----------------------------------------------------------------------------------------------
# buurt margins or wijk margins
# ----------------------------------------------------------------------------------------------

def _cells(counts: dict[tuple[str, str], int], value: int = 6) -> list[dict]:
    return [{"leeftijdsklasse": a, "geslacht": s, "cijfer": value, "vrijwilliger": 1}
            for (a, s), k in counts.items() for _ in range(k)]


BUURT_POP = {"BU09990101": {"mannen": 300, "vrouwen": 200, "p_00_14": 0, "p_15_24": 20, "p_25_44": 30,
                            "p_45_64": 30, "p_65_eo": 20},
             "BU09990102": {"mannen": 100, "vrouwen": 400, "p_00_14": 0, "p_15_24": 10, "p_25_44": 40,
                            "p_45_64": 30, "p_65_eo": 20}}


def test_buurt_with_enough_respondents_per_cell_is_weighted_to_its_own_margins():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901"}
    # buurt 01: 60 respondents; 15-24 has only 4, so it is joined with 25-44 (24); 45-64 and 65+ have 20 and 16:
    # 65+ (16) is joined into 45-64 -> two age groups of 24 and 36, and 30 men, 30 women: all >= 20
    big = _cells({("15-24", "man"): 2, ("15-24", "vrouw"): 2, ("25-44", "man"): 10, ("25-44", "vrouw"): 10,
                  ("45-64", "man"): 10, ("45-64", "vrouw"): 10, ("65+", "man"): 8, ("65+", "vrouw"): 8})
    # buurt 02: 40 respondents, only 12 men: not enough for its own sex margin -> wijk margins
    small = _cells({("25-44", "man"): 6, ("25-44", "vrouw"): 14, ("65+", "man"): 6, ("65+", "vrouw"): 14})
    resp = respondents(b2w, {"BU09990101": big, "BU09990102": small})
    ds = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP}, BUURT_POP)
    wijk = weights.wijk_design(resp, ds.wijken)
    buurt, own = weights.buurt_design(resp, ds.buurten, wijk)
    first = (resp["buurtcode"] == "BU09990101").to_numpy()
    assert own[first].all() and not own[~first].any()
    w = buurt.weight[first]
    ages = resp.loc[first, "leeftijdsklasse"].to_numpy()
    sexes = resp.loc[first, "geslacht"].to_numpy()
    young = np.isin(ages, ["15-24", "25-44"])
    assert w[young].sum() / w.sum() == pytest.approx(0.5, abs=1e-8)       # (20 + 30) / 100
    assert w[sexes == "man"].sum() / w.sum() == pytest.approx(0.6, abs=1e-8)
    assert w.mean() == pytest.approx(1.0)
    table = survey.survey_indicators(ds, threshold=10)
    assert figure(table, "BU09990101", "vrijwilliger_pct")["bron"] == weights.SOURCE_BUURT
    assert figure(table, "BU09990102", "vrijwilliger_pct")["bron"] == weights.SOURCE_WIJK
    assert figure(table, "WK099901", "vrijwilliger_pct")["bron"] == weights.SOURCE_WIJK
    assert figure(table, "GM0999", "vrijwilliger_pct")["bron"] == weights.SOURCE_WIJK


def test_buurt_without_kerncijfers_or_cells_falls_back_to_the_wijk():
    b2w = {"BU09990101": "WK099901"}
    big = _cells({("25-44", "man"): 25, ("25-44", "vrouw"): 25, ("65+", "man"): 25, ("65+", "vrouw"): 25})
    resp = respondents(b2w, {"BU09990101": big})
    no_margins = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP})          # the buurt row has no figures
    assert figure(survey.survey_indicators(no_margins, threshold=10), "BU09990101",
                  "vrijwilliger_pct")["bron"] == weights.SOURCE_WIJK
    with_margins = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP}, {"BU09990101": BUURT_POP["BU09990101"]})
    assert figure(survey.survey_indicators(with_margins, threshold=10), "BU09990101",
                  "vrijwilliger_pct")["bron"] == weights.SOURCE_BUURT
    unweighted = make_ds(resp, simple_codebook(), b2w)                             # no population at all
    table = survey.survey_indicators(unweighted, threshold=10)
    assert set(table["bron"].dropna()) == {weights.SOURCE_UNWEIGHTED}


def test_buurt_weights_change_the_buurt_figure_not_the_wijk_figure():
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901"}
    # in buurt 01 men answer 10 and women 0; the buurt has 60% men, the wijk 40%
    men = [{"leeftijdsklasse": a, "geslacht": "man", "cijfer": 10, "vrijwilliger": 1} for a in ["25-44", "65+"] * 15]
    women = [{"leeftijdsklasse": a, "geslacht": "vrouw", "cijfer": 0, "vrijwilliger": 2} for a in ["25-44", "65+"] * 15]
    other = _cells({("25-44", "man"): 10, ("25-44", "vrouw"): 10, ("65+", "man"): 10, ("65+", "vrouw"): 10}, 5)
    resp = respondents(b2w, {"BU09990101": men + women, "BU09990102": other})
    ds = make_ds(resp, simple_codebook(), b2w, {"WK099901": POP}, BUURT_POP)
    table = survey.survey_indicators(ds, threshold=10)
    assert figure(table, "BU09990101", "tevredenheid_voorzieningen")["waarde"] == pytest.approx(6.0, abs=1e-6)
    assert figure(table, "BU09990101", "vrijwilliger_pct")["waarde"] == pytest.approx(60.0, abs=1e-6)
    # the wijk figure is raked to the wijk's 40% men over all 100 respondents, never an average of buurten
    wijk = figure(table, "WK099901", "tevredenheid_voorzieningen")["waarde"]
    w = weights.poststratification_weights(resp, ds.wijken)
    assert wijk == pytest.approx(float(np.average(resp["cijfer"], weights=w)))
