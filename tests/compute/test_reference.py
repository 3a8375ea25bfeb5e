"""Tests for analysis.compute.reference: against the gemeente or similar wijken, named, never from too small a base."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.compute import profile, reference, typology

GM = "GM0999"
# Four urban single-person wijken (S1-S4, and S5 too small to compare), four rural family wijken (D1-D4),
# two urban elderly wijken (O1, O2).
CODES = ["WK0999S1", "WK0999S2", "WK0999S3", "WK0999S4", "WK0999S5",
         "WK0999D1", "WK0999D2", "WK0999D3", "WK0999D4", "WK0999O1", "WK0999O2"]
VOLUNTEERS = [10.0, 12.0, 14.0, 22.0, 90.0, 30.0, 32.0, 34.0, 36.0, 20.0, 24.0]
INHABITANTS = [2000.0] * 4 + [100.0] + [2000.0] * 6


def _areas() -> pd.DataFrame:
    urban = {"opp_land_ha": 100.0, "huishoudens": 3000.0, "p_65_eo": 10.0, "p_00_14": 8.0, "p_eenpersoons_hh": 70.0}
    rural = {"opp_land_ha": 1000.0, "huishoudens": 2000.0, "p_65_eo": 18.0, "p_00_14": 27.0, "p_eenpersoons_hh": 20.0}
    old = {"opp_land_ha": 100.0, "huishoudens": 3000.0, "p_65_eo": 35.0, "p_00_14": 8.0, "p_eenpersoons_hh": 40.0}
    rows = [urban] * 5 + [rural] * 4 + [old] * 2
    return pd.DataFrame(rows).assign(gebiedscode=CODES, niveau="wijk", p_laag_inkomen=8.0)


def _row(code, level, key, value):
    return {"gebiedscode": code, "gebiedsnaam": "Testdorp" if level == "gemeente" else code, "niveau": level,
            "jaar": 2025, "indicator": key, "waarde": value, "n": np.nan, "ci_laag": np.nan, "ci_hoog": np.nan,
            "onderdrukt": 0}


def _table() -> pd.DataFrame:
    rows = [_row(c, "wijk", "vrijwilliger_pct", v) for c, v in zip(CODES, VOLUNTEERS)]
    rows += [_row(c, "wijk", "inwoners", n) for c, n in zip(CODES, INHABITANTS)]
    rows += [_row(GM, "gemeente", "vrijwilliger_pct", 23.0), _row(GM, "gemeente", "inwoners", sum(INHABITANTS))]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def types() -> pd.DataFrame:
    t = typology.area_types(_areas())
    assert t.set_index("gebiedscode").loc["WK0999S1", "wijktype"] == "stedelijk, veel alleenstaanden"
    assert t.set_index("gebiedscode").loc["WK0999D1", "wijktype"] == "dorps, gezinnen"
    assert t.set_index("gebiedscode").loc["WK0999O1", "wijktype"] == "stedelijk, veel ouderen"
    return t


def test_the_similar_mean_leaves_out_the_area_itself_and_areas_too_small(types):
    out = reference.map_reference(_table(), 2025, "vrijwilliger_pct", "wijk", "vergelijkbaar", types).set_index(
        "gebiedscode")
    # S1: the mean of S2, S3, S4 (S5 has 100 inhabitants, below the comparison minimum of 500)
    assert out.loc["WK0999S1", "referentie"] == pytest.approx((12 + 14 + 22) / 3)
    assert out.loc["WK0999S1", "vergelijkingsgebieden"] == 3
    assert out.loc["WK0999S1", "referentie_tekst"] == "vergelijkbare wijken (stedelijk, veel alleenstaanden; 3 wijken)"
    assert out.loc["WK0999S1", "tekst"] == ("lager dan in vergelijkbare wijken (stedelijk, veel alleenstaanden; "
                                            "3 wijken): 10% tegen 16%")
    assert out.loc["WK0999D4", "referentie"] == pytest.approx(32.0) and out.loc["WK0999D4", "opmerking"] == ""
    against_gemeente = reference.map_reference(_table(), 2025, "vrijwilliger_pct").set_index("gebiedscode")
    assert (against_gemeente["referentie"] == 23.0).all()
    assert against_gemeente.loc["WK0999S1", "tekst"] == "lager dan in de gemeente Testdorp: 10% tegen 23%"


def test_too_small_a_base_is_said_and_widened_or_left_for_the_gemeente(types):
    out = reference.map_reference(_table(), 2025, "vrijwilliger_pct", "wijk", "vergelijkbaar", types).set_index(
        "gebiedscode")
    # O1 has one other elderly wijk: the urban wijken (S1-S4 and O2; S5 too small) are taken, and it says so
    assert out.loc["WK0999O1", "vergelijkingsgebieden"] == 5
    assert out.loc["WK0999O1", "referentie"] == pytest.approx((10 + 12 + 14 + 22 + 24) / 5)
    assert "te weinig wijken van het type stedelijk, veel ouderen (1, minimaal 3)" in out.loc["WK0999O1", "opmerking"]
    assert out.loc["WK0999O1", "referentie_tekst"] == "vergelijkbare wijken (stedelijk; 5 wijken)"
    # with only the two elderly wijken eligible besides one urban one, nothing is wide enough: the gemeente, said
    few = types[types["gebiedscode"].isin(["WK0999O1", "WK0999O2", "WK0999S1"])]
    ref = reference.resolve(few, "WK0999O1", "vergelijkbaar", "wijk", gemeente_name="Testdorp")
    assert ref.fallback and ref.kind == "gemeente" and ref.label == "de gemeente Testdorp"
    assert ref.note.endswith("vergeleken met de gemeente Testdorp") and "(2)" in ref.note
    with pytest.raises(ValueError, match="Onbekende vergelijking"):
        reference.resolve(types, "WK0999S1", "landelijk")


def test_strengths_and_weaknesses_name_their_reference(types):
    table = _table()
    against_gemeente = profile.compare_wijk(table, "WK0999S1", 2025, "Testdorp")
    assert [s.indicator for s in against_gemeente.weaknesses] == ["vrijwilliger_pct"]
    assert "gemiddeld in de wijken van Testdorp" in against_gemeente.weaknesses[0].text
    # against the other urban single-person wijken (12, 14, 22: mean 16) S1 at 10 is still a weakness, smaller
    similar = profile.compare_wijk(table, "WK0999S1", 2025, "Testdorp", reference="vergelijkbaar", types=types)
    assert similar.reference.kind == "vergelijkbaar" and similar.reference.note == ""
    assert similar.weaknesses[0].text.endswith("10% tegen 16% in vergelijkbare wijken (stedelijk, veel alleenstaanden; "
                                               "3 wijken)")
    assert 0 > similar.weaknesses[0].standardised_difference > against_gemeente.weaknesses[0].standardised_difference
    # S4 at 22 is below the gemeente's wijken but well above its similar wijken (mean 12)
    s4 = profile.compare_wijk(table, "WK0999S4", 2025, "Testdorp", reference="vergelijkbaar", types=types)
    assert [s.indicator for s in s4.strengths] == ["vrijwilliger_pct"]
    assert s4.strengths[0].text == ("Vrijwilligerswerk 22% tegen 12% in vergelijkbare wijken "
                                    "(stedelijk, veel alleenstaanden; 3 wijken)")
    assert s4.strengths[0].gemeente == pytest.approx(12.0)
    assert profile.compare_wijk(table, "WK0999S4", 2025, "Testdorp").strengths == []
    with pytest.raises(ValueError, match="wijktypen"):
        profile.compare_wijk(table, "WK0999S4", 2025, "Testdorp", reference="vergelijkbaar")


def test_a_fallback_in_the_strengths_is_not_silent(types):
    only_two = types[~types["gebiedscode"].str.startswith("WK0999S")]
    found = profile.compare_wijk(_table(), "WK0999O1", 2025, "Testdorp", reference="vergelijkbaar", types=only_two)
    assert found.reference.fallback and "vergeleken met" in found.reference.note
    assert found.reference.label == "het gemiddelde van de wijken van Testdorp"


def test_context_figures_never_move_the_cohesion_index_or_the_ranking(demo_dataset, demo_table):
    """Change the context figures (urbanity: land area and a CBS class; age structure: children): the wijktypen
    change, the cohesion index and the priority ranking do not."""
    from analysis.compute.indicators import compute_indicators

    ds = demo_dataset
    changed = {"opp_land_ha": lambda s: s * 20.0, "p_00_14": lambda s: s + 10.0}
    buurten = ds.buurten.assign(**{k: f(ds.buurten[k]) for k, f in changed.items()}, stedelijkheid=5)
    wijken = ds.wijken.assign(**{k: f(ds.wijken[k]) for k, f in changed.items()}, stedelijkheid=5)
    other = dataclasses.replace(ds, buurten=buurten, wijken=wijken)
    before, after = typology.area_types(ds.wijken, ds.addresses), typology.area_types(other.wijken, other.addresses)
    assert (before["wijktype"] != after["wijktype"]).any()          # the change is real: the types move
    table = compute_indicators(other)
    keys = ["cohesie_index", "cohesie_deel_enquete", "prioriteit_rang", "prioriteit_score"]

    def pick(t: pd.DataFrame) -> pd.Series:
        rows = t[t["indicator"].isin(keys) & t["niveau"].isin(["wijk", "buurt"])]
        return rows.set_index(["gebiedscode", "jaar", "indicator"])["waarde"].sort_index()

    assert len(pick(demo_table)) > 0
    pd.testing.assert_series_equal(pick(demo_table), pick(table))


def test_zwolle_buurten_against_similar_buurten_in_nederland():
    from analysis.load.dataset import load_dataset
    from tests.paths import ZWOLLE, shared_file

    national = reference.read_national(shared_file("nl", "cbs_kwb_2024_buurten.csv"))
    assert len(national) == 13_750                                     # SOURCE.md: 13,750 buurten
    ds = load_dataset(ZWOLLE / "zwolle_buurten_2015.geojson")
    out = reference.national_reference(ds.buurten, national, typology.area_types(ds.buurten))
    assert set(out["indicator"]) == set(reference.NATIONAL_FIGURES)
    # Zwolle's 2015 buurt codes are in the 2024 table (75 of 78): their own CBS class is used
    assert (out.drop_duplicates("gebiedscode")["stedelijkheid_bron"] == "CBS mate van stedelijkheid").sum() >= 70
    row = out[(out["indicator"] == "p_65_eo")].iloc[0]
    peers = national[(national["stedelijkheid"] == row["stedelijkheid"]) & (national["inwoners"] >= 500)
                     & (national["gebiedscode"] != row["gebiedscode"])]["p_65_eo"].dropna()
    assert row["referentie"] == pytest.approx(float(peers.median()))
    assert row["percentiel"] == pytest.approx(100.0 * float((peers < row["waarde"]).mean()))
    assert row["vergelijkingsgebieden"] == len(peers)
    assert "vergelijkbare buurten in Nederland (" in row["tekst"] and "buurten)" in row["tekst"]
    with pytest.raises(ValueError, match="mist de kolommen"):
        reference.read_national(ZWOLLE / "zwolle_buurtcijfers_2015_2024.csv")
