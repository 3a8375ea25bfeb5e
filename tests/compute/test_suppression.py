"""Tests for analysis.compute.suppression: primary and secondary suppression, no n below the threshold, n_text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compute import survey
from analysis.compute.suppression import n_text, recoverable_groups, suppress
from tests.survey_cases import GM, answers, figure, make_ds, recoverable_by_membership, respondents, simple_codebook

THREE = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990103": "WK099901"}


def _table(per_buurt: dict[str, list[dict]], b2w: dict[str, str] = THREE, threshold: int = 30) -> pd.DataFrame:
    return survey.survey_indicators(make_ds(respondents(b2w, per_buurt), simple_codebook(), b2w), threshold=threshold)


def test_threshold_below_ten_raises():
    b2w = {"BU09990101": "WK099901"}
    ds = make_ds(respondents(b2w, {"BU09990101": answers(1)}), simple_codebook(), b2w)
    with pytest.raises(ValueError, match="mag niet lager zijn dan 10"):
        survey.survey_indicators(ds, threshold=9)
    with pytest.raises(ValueError, match="mag niet lager zijn dan 10"):
        survey.respondent_profile(ds, "wijk", 2024, threshold=5)


def test_primary_suppression_publishes_no_n_below_the_threshold():
    table = _table({"BU09990101": answers(29), "BU09990102": answers(30), "BU09990103": answers(12)})
    small = figure(table, "BU09990101", "vrijwilliger_pct")
    assert small["onderdrukt"] == 1 and pd.isna(small["n"])
    assert np.isnan(small["waarde"]) and np.isnan(small["ci_laag"]) and np.isnan(small["ci_hoog"])
    big = figure(table, "BU09990102", "vrijwilliger_pct")
    assert big["onderdrukt"] == 0 and big["waarde"] == pytest.approx(100) and big["n"] == 30
    # the respondent count below the threshold is suppressed too (29 and 12 pooled are 41: safe)
    count = figure(table, "BU09990101", "respondenten_aantal")
    assert count["onderdrukt"] == 1 and pd.isna(count["waarde"]) and pd.isna(count["n"])
    assert figure(table, "BU09990102", "respondenten_aantal")["waarde"] == 30
    assert figure(table, "WK099901", "respondenten_aantal")["waarde"] == 71
    # no suppressed row anywhere carries an n
    assert table.loc[table["onderdrukt"] == 1, "n"].isna().all()
    # a buurt without respondents has no rows at all
    ds = make_ds(respondents(THREE, {"BU09990101": answers(29)}), simple_codebook(), {**THREE, "BU09990104": "WK099901"})
    assert "BU09990104" not in set(survey.survey_indicators(ds)["gebiedscode"])


def test_secondary_suppression_one_suppressed_sibling():
    table = _table({"BU09990101": answers(40), "BU09990102": answers(35), "BU09990103": answers(12)})
    for ind in ("vrijwilliger_pct", "tevredenheid_voorzieningen", "respondenten_aantal"):
        assert figure(table, "BU09990103", ind)["onderdrukt"] == 1      # primary
        assert figure(table, "BU09990102", ind)["onderdrukt"] == 1      # smallest other: 35
        assert np.isnan(figure(table, "BU09990102", ind)["waarde"])
        assert figure(table, "BU09990101", ind)["onderdrukt"] == 0
        assert figure(table, "WK099901", ind)["onderdrukt"] == 0


def test_secondary_suppression_ties_by_code():
    table = _table({"BU09990101": answers(35), "BU09990102": answers(35), "BU09990103": answers(5)})
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 0


def test_two_suppressed_siblings_that_pool_to_the_threshold_need_nothing_extra():
    table = _table({"BU09990101": answers(40), "BU09990102": answers(12), "BU09990103": answers(20)})
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 0
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990103", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "WK099901", "vrijwilliger_pct")["onderdrukt"] == 0


def test_two_suppressed_siblings_below_the_threshold_together_protect_with_a_third():
    # 12 + 15 = 27 respondents: wijk minus buurt 01 would give their pooled figure (changed: it was published)
    table = _table({"BU09990101": answers(40), "BU09990102": answers(12), "BU09990103": answers(15)})
    for code in ("BU09990101", "BU09990102", "BU09990103"):
        assert figure(table, code, "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "WK099901", "vrijwilliger_pct")["onderdrukt"] == 0


def test_sibling_without_valid_answers_does_not_count_as_suppressed():
    # buurt 03 has respondents, but none answered the question: it is no part of the wijk figure,
    # so buurt 02 (suppressed) would be recoverable from the wijk and buurt 01 unless 01 is suppressed too
    table = _table({"BU09990101": answers(40), "BU09990102": answers(12),
                    "BU09990103": [{"cijfer": 99, "vrijwilliger": 99} for _ in range(8)]})
    empty = figure(table, "BU09990103", "vrijwilliger_pct")
    assert pd.isna(empty["n"]) and empty["onderdrukt"] == 1
    assert figure(table, "BU09990102", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "BU09990101", "vrijwilliger_pct")["onderdrukt"] == 1
    assert figure(table, "WK099901", "vrijwilliger_pct")["onderdrukt"] == 0


def test_secondary_suppression_cascades_to_the_buurten_of_a_protecting_wijk():
    # wijk 02 (12 respondents) is suppressed; wijk 01 is suppressed to protect it within the gemeente.
    # Wijk 01 equals the combination of its buurten, which are all large: one of them must go too,
    # otherwise wijk 01 and then wijk 02 can be recovered.
    b2w = {"BU09990101": "WK099901", "BU09990102": "WK099901", "BU09990201": "WK099902"}
    table = _table({"BU09990101": answers(50), "BU09990102": answers(40), "BU09990201": answers(12)}, b2w)
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
    table = _table({"BU09990101": answers(40), "BU09990201": answers(11), "BU09990301": answers(60)}, b2w)
    ind = "vrijwilliger_pct"
    assert "BU09990102" not in set(table["gebiedscode"])
    assert figure(table, "WK099902", ind)["onderdrukt"] == 1
    assert figure(table, "WK099901", ind)["onderdrukt"] == 1
    assert figure(table, "BU09990101", ind)["onderdrukt"] == 1
    assert figure(table, "WK099903", ind)["onderdrukt"] == 0
    assert figure(table, "BU09990301", ind)["onderdrukt"] == 0


def test_suppress_directly_and_the_groups_left():
    parent = pd.Series({"b1": "w1", "b2": "w1", "b3": "w1", "b4": "w2", "b5": "w2", "w1": "g", "w2": "g"})
    n = {"b1": 50, "b2": 14, "b3": 9, "b4": 31, "b5": 33, "w1": 73, "w2": 64, "g": 137}
    figures = pd.DataFrame({"gebiedscode": list(n), "jaar": 2024, "indicator": "x", "n": list(n.values())})
    figures["onderdrukt"] = suppress(figures, parent, 30)
    hidden = set(figures.loc[figures["onderdrukt"] == 1, "gebiedscode"])
    assert hidden == {"b1", "b2", "b3"}                  # 14 + 9 = 23 < 30: b1 (the only one left) goes too
    groups = recoverable_groups(figures, parent, 30)
    assert (groups["n"] >= 30).all()
    assert groups.set_index("gebiedscode").loc["w1", "n"] == 73


@pytest.mark.parametrize("n, hidden, text", [
    (1234, 0, "1.234"), (30, 0, "30"), (np.nan, 0, "onbekend"), (None, 0, "onbekend"),
    (12, 1, "minder dan 30"), (pd.NA, 1, "minder dan 30 of afgeschermd"), (np.nan, 1, "minder dan 30 of afgeschermd"),
    (45, 1, "minder dan 30 of afgeschermd"),
])
def test_n_text(n, hidden, text):
    assert n_text(n, hidden, 30) == text


def test_n_text_uses_the_threshold():
    assert n_text(np.nan, 1, 50) == "minder dan 50 of afgeschermd"


# ----------------------------------------------------------------------------------------------
# the demo: can a suppressed group be recovered from the published table?
# ----------------------------------------------------------------------------------------------

def _true_n(ds) -> pd.DataFrame:
    """Valid respondents per area, year and survey indicator, from the respondents (n is no longer published)."""
    resp = ds.respondents
    values, kinds = survey.respondent_indicator_values(resp, ds.codebook)
    parts = []
    for column in ("buurtcode", "wijkcode"):
        n = values.notna().groupby([resp[column].astype(str), resp["jaar"]]).sum()
        parts.append(n.stack().rename("n_true").rename_axis(["gebiedscode", "jaar", "indicator"]).reset_index())
    gm = values.notna().groupby(resp["jaar"]).sum().stack().rename("n_true").rename_axis(["jaar", "indicator"])
    parts.append(gm.reset_index().assign(gebiedscode=ds.gemeente_code))
    return pd.concat(parts, ignore_index=True), values, kinds


@pytest.mark.slow
def test_no_small_group_can_be_recovered_from_the_demo_table(demo_dataset, demo_table):
    ds = demo_dataset
    true_n, values, kinds = _true_n(ds)
    table = demo_table[demo_table["indicator"].isin(list(kinds))]
    assert table.loc[table["onderdrukt"] == 1, "n"].isna().all()           # no n is published for them
    t = table.merge(true_n, on=["gebiedscode", "jaar", "indicator"], how="left")
    wijk_of = dict(zip(ds.buurten["gebiedscode"], ds.buurten["wijkcode"]))
    resp = ds.respondents
    checked = recovered = 0
    for (wijk, year, ind), buurten in t[t["niveau"] == "buurt"].groupby(
            [t["gebiedscode"].map(wijk_of), "jaar", "indicator"]):
        parent = t[(t["gebiedscode"] == wijk) & (t["jaar"] == year) & (t["indicator"] == ind)].iloc[0]
        hidden = buurten[(buurten["onderdrukt"] == 1) & (buurten["n_true"] > 0)]
        shown = buurten[buurten["onderdrukt"] == 0]
        pooled_n = parent["n_true"] - shown["n_true"].sum()
        if parent["onderdrukt"] == 1 or hidden.empty or pooled_n <= 0:
            continue
        estimate = (parent["n_true"] * parent["waarde"] - (shown["n_true"] * shown["waarde"]).sum()) / pooled_n
        members = resp["buurtcode"].isin(hidden["gebiedscode"]) & (resp["jaar"] == year) & values[ind].notna()
        scale = 100.0 if kinds[ind] == "aandeel" else 10.0
        truth = values.loc[members, ind].mean() * (100.0 if kinds[ind] == "aandeel" else 1.0)
        checked += 1
        if pooled_n < 30 and abs(estimate - truth) <= 0.01 * scale:
            recovered += 1
    assert checked > 50                       # the demo has many wijken with suppressed buurten
    assert recovered == 0
    # and independently of any estimate: every recoverable group holds at least 30 respondents
    with_n = t.assign(n=t["n_true"].fillna(0))
    groups = recoverable_by_membership(with_n, wijk_of, ds.gemeente_code)
    assert groups and min(n for *_, n in groups) >= 30
