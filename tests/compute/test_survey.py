"""Tests for analysis.compute.survey: scale scores, area figures from respondents, the respondent profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.compute import survey
from tests.survey_cases import (
    DJG_ITEMS,
    GM,
    answers,
    cohesion_codebook,
    djg_codebook,
    figure,
    make_ds,
    recoverable_by_membership,
    respondents,
    simple_codebook,
)

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
# area figures
# ----------------------------------------------------------------------------------------------

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
    count = figure(table, "BU09990101", "respondenten_aantal")
    assert count["waarde"] == 10 and count["n"] == 10 and count["onderdrukt"] == 0


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


def test_years_are_separate_and_selectable():
    b2w = {"BU09990101": "WK099901"}
    a = respondents(b2w, {"BU09990101": answers(12, 4)}, year=2022)
    b = respondents(b2w, {"BU09990101": answers(15, 9)}, year=2024)
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


def test_no_respondents_and_no_codebook():
    b2w = {"BU09990101": "WK099901"}
    empty = survey.survey_indicators(make_ds(pd.DataFrame(), {}, b2w))
    assert empty.empty and list(empty.columns) == list(survey.SURVEY_COLUMNS)
    resp = respondents(b2w, {"BU09990101": [{} for _ in range(31)]})
    counts = survey.survey_indicators(make_ds(resp, {}, b2w))
    assert set(counts["indicator"]) == {survey.RESPONSE_COUNT_KEY}
    assert figure(counts, "BU09990101", survey.RESPONSE_COUNT_KEY)["waarde"] == 31


# ----------------------------------------------------------------------------------------------
# respondent profile
# ----------------------------------------------------------------------------------------------

def test_respondent_profile_compares_with_population():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902", "BU09990301": "WK099903"}
    old = [{"leeftijdsklasse": "65+", "geslacht": "vrouw"} for _ in range(20)]
    young = [{"leeftijdsklasse": "25-44", "geslacht": "man"} for _ in range(10)]
    resp = respondents(b2w, {"BU09990101": old + young, "BU09990201": old[:5], "BU09990301": young + old[:15]})
    pop = {w: {"mannen": 500, "vrouwen": 500, "p_00_14": 20, "p_15_24": 10, "p_25_44": 40, "p_45_64": 20,
               "p_65_eo": 10} for w in ("WK099901", "WK099902", "WK099903")}
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
    # wijk 02 has 5 respondents and wijk 03 25: neither count nor distribution is shown (changed: the count
    # of 5 was shown); together they are 30, so wijk 01 need not be hidden to protect them
    for code in ("WK099902", "WK099903"):
        rows = prof[prof["gebiedscode"] == code]
        assert rows["respondenten"].isna().all() and (rows["onderdrukt"] == 1).all()
        assert rows["respondenten_pct"].isna().all()
    assert not set(prof.columns) & {"respondent", "leeftijd", "cijfer"}


def test_respondent_profile_counts_are_protected_like_the_figures():
    b2w = {"BU09990101": "WK099901", "BU09990201": "WK099902", "BU09990301": "WK099903"}
    resp = respondents(b2w, {"BU09990101": answers(40), "BU09990201": answers(5), "BU09990301": answers(35)})
    prof = survey.respondent_profile(make_ds(resp, simple_codebook(), b2w), "wijk", 2024)
    shown = prof.drop_duplicates("gebiedscode").set_index("gebiedscode")["respondenten"]
    # wijk 02 (5) alone would follow from the gemeente (80) minus wijken 01 and 03: wijk 03 (35) is hidden too
    assert pd.isna(shown["WK099902"]) and pd.isna(shown["WK099903"]) and shown["WK099901"] == 40


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


def _true_n(resp: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    values, _ = survey.respondent_indicator_values(resp, codebook)
    values[survey.RESPONSE_COUNT_KEY] = 1.0
    parts = []
    for column in ("buurtcode", "wijkcode"):
        n = values.notna().groupby(resp[column].astype(str)).sum()
        parts.append(n.stack().rename("n").rename_axis(["gebiedscode", "indicator"]).reset_index())
    parts.append(values.notna().sum().rename("n").rename_axis("indicator").reset_index().assign(gebiedscode=GM))
    return pd.concat(parts, ignore_index=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey_cases())
def test_property_figures_in_range_and_nothing_small_recoverable(case):
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
    ok = table[table["onderdrukt"] == 0]
    published = ok[ok["indicator"] != "respondenten_aantal"]
    assert (published["ci_laag"] < published["ci_hoog"]).all()                 # never a zero-width interval
    assert (published["ci_laag"] <= published["waarde"] + 1e-9).all()
    assert (published["waarde"] <= published["ci_hoog"] + 1e-9).all()
    assert (ok["n"] >= threshold).all()
    hidden = table[table["onderdrukt"] == 1]
    assert hidden["waarde"].isna().all() and hidden["ci_laag"].isna().all() and hidden["ci_hoog"].isna().all()
    assert hidden["n"].isna().all()                                   # no n below the threshold is published
    # no buurt without respondents appears
    assert set(table.loc[table["niveau"] == "buurt", "gebiedscode"]) == set(per_buurt)
    # nothing an outsider can recover by adding and subtracting published figures holds fewer than threshold
    truth = table[["gebiedscode", "jaar", "indicator", "onderdrukt"]].merge(
        _true_n(resp, codebook), on=["gebiedscode", "indicator"], how="left")
    for year, ind, label, n in recoverable_by_membership(truth, BUURTEN_PROP):
        assert n >= threshold, (year, ind, sorted(label), n)
