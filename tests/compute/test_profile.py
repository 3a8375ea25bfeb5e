"""Tests for analysis.compute.profile: the wijkprofiel model, strengths and weaknesses, change and formatting."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from analysis import model
from analysis.compute import profile
from analysis.params import IndicatorParams

GM = "GM0999"
WIJKEN = ("WK099901", "WK099902", "WK099903")


def _areas(level: str, codes: list[str], **values) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: [np.nan] * len(codes) for c in model.AREA_COLUMNS})
    frame["gebiedscode"] = codes
    frame["gebiedsnaam"] = [f"Gebied {c[-2:]}" for c in codes]
    frame["niveau"] = level
    frame["gemeentecode"] = GM
    for column, value in values.items():
        frame[column] = value
    return gpd.GeoDataFrame(frame, geometry=[box(i * 1000, 0, i * 1000 + 1000, 1000) for i in range(len(codes))],
                            crs=model.CRS_RD)


def make_ds() -> model.Dataset:
    buurten = _areas("buurt", [f"BU{w[2:]}01" for w in WIJKEN], wijkcode=list(WIJKEN))
    wijken = _areas("wijk", list(WIJKEN), wijkcode=list(WIJKEN), inwoners=[2000.0, 1000.0, 3000.0],
                    opp_land_ha=[50.0, 100.0, 200.0], p_65_eo=[10.0, 20.0, 30.0])
    gemeente = _areas("gemeente", [GM], inwoners=6000.0, opp_land_ha=350.0)
    gemeente["gebiedsnaam"] = "Testdorp"
    empty = model.empty_frame
    return model.Dataset(
        name="test", year=2025, gemeente_code=GM, buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=empty(model.FACILITY_COLUMNS, geometry=True),
        associations=empty(model.ASSOCIATION_COLUMNS, geometry=True), ties=empty(model.TIE_COLUMNS),
        respondents=empty(model.RESPONDENT_COLUMNS), codebook={}, area_survey=empty(model.AREA_SURVEY_COLUMNS),
        digital=empty(model.DIGITAL_COLUMNS), licences={"buurten": "CBS, CC BY 4.0", "scholen": "CBS, CC BY 4.0",
                                                        "enquete": "eigen enquête"})


def row(code, level, year, key, value, n=np.nan, lo=np.nan, hi=np.nan, suppressed=0):
    return {"gebiedscode": code, "gebiedsnaam": f"Gebied {code[-2:]}", "niveau": level, "jaar": year,
            "indicator": key, "waarde": value, "eenheid": "", "n": n, "ci_laag": lo, "ci_hoog": hi,
            "onderdrukt": suppressed, "bron": "test"}


def make_table() -> pd.DataFrame:
    rows = []
    # Volunteering (higher is better): 10, 20, 30 against 20. sd (ddof=0) = 8.165, so z = -1.22, 0, +1.22.
    # Intervals exclude 20 for wijk 1 and 3.
    for code, v in zip(WIJKEN, (10.0, 20.0, 30.0)):
        rows.append(row(code, "wijk", 2025, "vrijwilliger_pct", v, n=100, lo=v - 5, hi=v + 5))
    rows.append(row(GM, "gemeente", 2025, "vrijwilliger_pct", 20.0, n=300, lo=18, hi=22))
    # Trust score: wijk 1 much lower, but its interval contains the gemeente: not a weakness.
    for code, v in zip(WIJKEN, (5.0, 7.0, 7.5)):
        rows.append(row(code, "wijk", 2025, "vertrouwen_score", v, n=40, lo=v - 2.5, hi=v + 2.5))
    rows.append(row(GM, "gemeente", 2025, "vertrouwen_score", 6.8, n=300, lo=6.6, hi=7.0))
    # Distance to care (lower is better): 400, 800, 1200 m against 800 m -> wijk 3 "langer".
    # Coverage of care: 90, 70, 50 (same theme 'zorg': only the larger one counts).
    for code, d, c in zip(WIJKEN, (400.0, 800.0, 1200.0), (90.0, 70.0, 50.0)):
        rows.append(row(code, "wijk", 2025, "zorg_afstand_m", d))
        rows.append(row(code, "wijk", 2025, "zorg_dekking_pct", c))
    rows.append(row(GM, "gemeente", 2025, "zorg_afstand_m", 800.0))
    rows.append(row(GM, "gemeente", 2025, "zorg_dekking_pct", 70.0))
    # Counts never make a strength.
    for code, v in zip(WIJKEN, (1.0, 5.0, 30.0)):
        rows.append(row(code, "wijk", 2025, "zorg_aantal", v))
    # Cohesion index (gemeente reference 100 by definition) and parts.
    for code, v in zip(WIJKEN, (90.0, 100.0, 110.0)):
        rows.append(row(code, "wijk", 2025, "cohesie_index", v))
        rows.append(row(code, "wijk", 2025, "cohesie_deel_netwerk", v + 5))
    # A suppressed survey figure in wijk 2.
    rows.append(row("WK099902", "wijk", 2025, "eenzaam_pct", np.nan, n=12, suppressed=1))
    # Baseline year.
    rows.append(row("WK099901", "wijk", 2023, "vrijwilliger_pct", 16.0, n=100, lo=11.0, hi=21.0))
    rows.append(row("WK099901", "wijk", 2023, "cohesie_index", 95.0))
    rows.append(row("WK099901", "wijk", 2023, "zorg_dekking_pct", 90.0))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def ds():
    return make_ds()


@pytest.fixture(scope="module")
def table():
    return make_table()


def test_strengths_and_weaknesses_follow_the_registry_direction(table):
    strengths, weaknesses = profile.strengths_weaknesses(table, "WK099903", 2025, "Testdorp")
    keys = [s.indicator for s in strengths]
    assert "vrijwilliger_pct" in keys and "cohesie_index" in keys
    assert [s.indicator for s in weaknesses] == ["zorg_afstand_m"]   # the care theme appears once
    weak = weaknesses[0]
    assert weak.standardised_difference == pytest.approx(-(1200 - 800) / np.std([400, 800, 1200]))
    assert weak.text == "Zorg: gemiddelde afstand 1.200 m tegen 800 m gemiddeld in de wijken van Testdorp"
    assert weak.short == "Zorg: gemiddelde afstand 1.200 m tegen 800 m gemiddeld in de wijken"
    vol = strengths[keys.index("vrijwilliger_pct")]
    assert vol.standardised_difference == pytest.approx(10 / np.std([10, 20, 30]))
    assert "zorg_aantal" not in keys


def test_survey_figure_whose_interval_holds_the_gemeente_is_no_weakness(table):
    _, weaknesses = profile.strengths_weaknesses(table, "WK099901", 2025, "Testdorp")
    keys = [s.indicator for s in weaknesses]
    assert "vrijwilliger_pct" in keys        # 10 (5-15) against 20
    assert "vertrouwen_score" not in keys    # 5 (2.5-7.5) against 6.8: inside the interval


def test_build_profile_parts(ds, table):
    p = profile.build_profile(ds, table, "WK099901")
    assert (p.code, p.name, p.gemeente, p.year, p.baseline_year) == ("WK099901", "Gebied 01", "Testdorp", 2025, 2023)
    figures = p.key_figures.set_index("indicator")
    assert figures.loc["dichtheid_km2", "waarde"] == pytest.approx(2000 / 0.5)      # 50 ha = 0.5 km²
    assert figures.loc["dichtheid_km2", "gemeente"] == pytest.approx(6000 / 3.5)
    assert figures.loc["buurten_aantal", "waarde"] == 1
    cohesion = p.cohesion.set_index("indicator")
    assert list(cohesion.index) == ["cohesie_index", "cohesie_deel_netwerk"]
    assert cohesion.loc["cohesie_index", "gemeente"] == 100.0
    comp = p.components.set_index("component")
    assert comp.loc["zorg", "dekking_pct"] == 90.0 and comp.loc["zorg", "dekking_pct_gemeente"] == 70.0
    assert comp.loc["zorg", "kleur"] == "#882255" and comp.loc["zorg", "mpl_marker"] == "P"
    assert p.sources[0] == "buurten, scholen: CBS, CC BY 4.0" and p.sources[1] == "enquete: eigen enquête"


def test_build_profile_suppressed_survey_figure(ds, table):
    p = profile.build_profile(ds, table, "WK099902")
    eenzaam = p.survey.set_index("indicator").loc["eenzaam_pct"]
    assert bool(eenzaam["onderdrukt"]) and math.isnan(eenzaam["waarde"]) and eenzaam["n"] == 12
    assert p.baseline_year is None and p.change.empty


def test_build_profile_change_since_baseline(ds, table):
    change = profile.build_profile(ds, table, "WK099901").change.set_index("indicator")
    assert change.loc["cohesie_index", "verschil"] == pytest.approx(90.0 - 95.0)
    assert change.loc["zorg_dekking_pct", "verschil"] == 0.0
    vol = change.loc["vrijwilliger_pct"]
    assert vol["basis"] == 16.0 and vol["waarde"] == 10.0 and bool(vol["enquete"])
    # se = 10 / 3.92 in both years: |-6| / sqrt(2 * se^2) = 1.66 < 1.96 -> not significant.
    assert vol["significant"] == False  # noqa: E712
    assert pd.isna(change.loc["cohesie_index", "significant"])


def test_unknown_wijk_raises_a_dutch_key_error(ds, table):
    with pytest.raises(KeyError, match="bestaat niet"):
        profile.build_profile(ds, table, "WK000000")


def test_gap_text_says_whether_reach_or_supply_falls_short():
    from analysis.compute.profile import gap_text

    frame = pd.DataFrame({"gat": [1.0, 1.0, 0.0, float("nan")],
                          "dekking_pct": [55.0, 100.0, 90.0, float("nan")],
                          "doel_pct": [80.0, 80.0, 80.0, 80.0]})
    assert gap_text(frame).tolist() == ["tekort: bereik", "tekort: aanbod", "", "–"]


# ----------------------------------------------------------------------------------------------
# Like with like (issue 'figures that hold on a real municipality')
# ----------------------------------------------------------------------------------------------

def _network_table(inwoners: tuple[float, float, float] = (2000.0, 1000.0, 3000.0)) -> pd.DataFrame:
    rows = []
    for code, density, inw in zip(WIJKEN, (0.25, 0.27, 0.29), inwoners):
        rows.append(row(code, "wijk", 2025, "netwerk_dichtheid", density))
        rows.append(row(code, "wijk", 2025, "inwoners", inw))
    rows.append(row(GM, "gemeente", 2025, "netwerk_dichtheid", 0.03))   # the whole graph: not comparable
    return pd.DataFrame(rows)


def test_network_density_is_compared_with_the_other_wijken_not_the_whole_graph():
    table = _network_table()
    found = {code: profile.strengths_weaknesses(table, code, 2025, "Testdorp") for code in WIJKEN}
    # against the gemeente's 0.03 every wijk was "strong"; against the mean of the wijken (0.27) only one is
    assert [s.indicator for s in found["WK099903"][0]] == ["netwerk_dichtheid"]
    assert found["WK099903"][0][0].text == "Netwerkdichtheid 0,29 tegen 0,27 gemiddeld in de wijken van Testdorp"
    assert found["WK099902"] == ([], [])
    assert [s.indicator for s in found["WK099901"][1]] == ["netwerk_dichtheid"]


def test_a_wijk_below_the_minimum_population_gets_no_findings_and_is_no_reference():
    table = _network_table(inwoners=(2000.0, 250.0, 3000.0))
    strengths, weaknesses = profile.strengths_weaknesses(table, "WK099902", 2025, "Testdorp")
    assert strengths == [] and weaknesses == []
    assert profile.comparison_note(table, "WK099902", 2025) == (
        "te weinig inwoners voor een vergelijking (250 inwoners, minimaal 500)")
    assert profile.comparison_note(table, "WK099903", 2025) == ""
    # the reference is the mean of the two comparable wijken: (0.25 + 0.29) / 2
    strong = profile.strengths_weaknesses(table, "WK099903", 2025, "Testdorp")[0][0]
    assert strong.gemeente == pytest.approx(0.27)
    relaxed = IndicatorParams(min_inhabitants=200)
    assert profile.comparison_note(table, "WK099902", 2025, relaxed) == ""


def test_findings_are_at_most_top_n_and_ordered_by_size():
    rows = []
    keys = ("vrijwilliger_pct", "informele_hulp_pct", "veilig_pct", "gebruik_ontmoeting_pct", "eenzaam_pct")
    for i, key in enumerate(keys):
        for code, v in zip(WIJKEN, (10.0, 20.0, 30.0 + 5 * i)):
            rows.append(row(code, "wijk", 2025, key, v))
    table = pd.DataFrame(rows)
    strengths, weaknesses = profile.strengths_weaknesses(table, "WK099903", 2025, "Testdorp",
                                                         IndicatorParams(top_findings=2))
    assert len(strengths) == 2
    assert strengths[0].standardised_difference >= strengths[1].standardised_difference
    assert [s.indicator for s in weaknesses] == ["eenzaam_pct"]   # higher loneliness is worse


def test_build_profile_takes_the_params(ds, table):
    params = IndicatorParams(norms_m={"zorg": 750.0}, gap_target_pct={"zorg": 60.0})
    p = profile.build_profile(ds, table, "WK099901", params=params)
    comp = p.components.set_index("component")
    assert comp.loc["zorg", "loopnorm_m"] == 750.0 and comp.loc["zorg", "doel_pct"] == 60.0
    assert p.comparison_note == ""


def test_demo_density_is_no_strength_in_most_wijken(demo_dataset, demo_table):
    year = demo_dataset.year
    codes = demo_dataset.wijken["gebiedscode"].astype(str).tolist()
    found = {c: profile.strengths_weaknesses(demo_table, c, year, demo_dataset.gemeente_name) for c in codes}
    density = [c for c, (strong, _) in found.items() if any(s.indicator == "netwerk_dichtheid" for s in strong)]
    assert len(density) <= len(codes) // 3, density        # was 8 of 10 against the whole graph
    assert found["WK999908"] == ([], [])                    # the business park: too few inhabitants
    for strong, weak in found.values():
        assert len(strong) <= 3 and len(weak) <= 3
        for s in strong + weak:
            assert " tegen " in s.text and demo_dataset.gemeente_name in s.text
    members = [s for strong, _ in found.values() for s in strong if s.indicator == "leden_per_1000_inw"]
    assert all(s.waarde < 1000 for s in members)            # the 2,156 per 1,000 of 250 inhabitants is gone
