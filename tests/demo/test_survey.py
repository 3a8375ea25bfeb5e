"""Tests of the demo's survey (analysis.demo.survey): response bias, figures and the designed changes."""

from __future__ import annotations

from analysis.compute import survey
from analysis.demo.municipality import GAP_WIJK_NO_MEETING


def test_survey_response_and_figures_are_plausible(ds):
    resp = ds.respondents
    # older residents are over-represented: 65+ among respondents vs among inhabitants of 15+
    old_share = (resp["leeftijdsklasse"] == "65+").mean()
    pop = ds.gemeente.iloc[0]
    assert old_share > 1.5 * pop["p_65_eo"] / (100 - pop["p_00_14"])
    # ages come both as years and as classes; answers include the missing code 9
    assert resp["leeftijd"].notna().mean() > 0.5 and resp["leeftijd"].isna().sum() > 500
    assert (resp["samenhang_2"] == 9).sum() > 20

    table = survey.survey_indicators(ds)
    gm = table[table["niveau"] == "gemeente"].pivot_table(index="indicator", columns="jaar", values="waarde")
    assert gm.loc["cohesie_score"].between(5.5, 7.5).all()
    assert gm.loc["eenzaam_pct"].between(35, 60).all()
    assert gm.loc["zeer_eenzaam_pct"].between(5, 18).all()
    assert gm.loc["vrijwilliger_pct"].between(20, 50).all()
    buurt = table[(table["niveau"] == "buurt") & (table["indicator"] == "cohesie_score")]
    for _, year in buurt.groupby("jaar"):
        assert 2 <= year["onderdrukt"].sum() <= 0.5 * len(year)
    # small buurten get fewer than 30 respondents (their figures are suppressed)
    per_buurt = resp.groupby(["jaar", "buurtcode"]).size()
    assert (per_buurt < 30).sum() >= 4
    # the designed change: cohesion fell in the wijk that lost its buurthuis and rose in the new-build wijk
    wijk = table[(table["niveau"] == "wijk") & (table["indicator"] == "cohesie_score")].pivot_table(
        index="gebiedscode", columns="jaar", values="waarde")
    assert wijk.loc[GAP_WIJK_NO_MEETING, 2025] < wijk.loc[GAP_WIJK_NO_MEETING, 2023] - 0.3
    assert wijk.loc["WK999906", 2025] > wijk.loc["WK999906", 2023] + 0.3
    # and the village is the most cohesive wijk
    assert wijk[2025].idxmax() == "WK999909"
