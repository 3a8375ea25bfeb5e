"""Tests for analysis.compute.typology: wijktypen on a hand-made set where the answer is obvious."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.compute import typology


def _areas() -> pd.DataFrame:
    # land in ha; households per km² decide the urbanity without addresses
    return pd.DataFrame({
        "gebiedscode": ["WK1", "WK2", "WK3", "WK4"], "niveau": "wijk",
        "opp_land_ha": [100.0, 100.0, 1000.0, 100.0],          # 1, 1, 10, 1 km²
        "huishoudens": [3000.0, 1200.0, 2000.0, 600.0],        # 3000, 1200, 200, 600 per km²
        "p_65_eo": [10.0, 35.0, 18.0, 20.0],
        "p_00_14": [8.0, 10.0, 27.0, 15.0],
        "p_eenpersoons_hh": [70.0, 40.0, 20.0, 39.0],
        "p_laag_inkomen": [9.0, 7.0, 4.0, 8.0],
    })


def test_the_obvious_types():
    t = typology.area_types(_areas()).set_index("gebiedscode")
    assert t.loc["WK1", "wijktype"] == "stedelijk, veel alleenstaanden"   # 3000 hh/km² -> class 1; 70/39 = 1.79
    assert t.loc["WK2", "wijktype"] == "stad en dorp, veel ouderen"      # 1200 -> class 3; 35/20 = 1.75
    assert t.loc["WK3", "wijktype"] == "dorps, gezinnen"                  # 200 -> class 5; 27/15 = 1.8
    assert t.loc["WK4", "wijktype"] == "dorps, gemengd"                   # 600 -> class 4; every ratio 1.0
    assert list(t["stedelijkheid"]) == [1, 3, 5, 4]
    assert set(t["stedelijkheid_bron"]) == {"huishoudens per km² land"}
    assert t.loc["WK1", "score_p_eenpersoons_hh"] == pytest.approx(70 / 39, abs=0.01)


def test_cbs_class_and_addresses_come_before_households():
    areas = _areas().assign(stedelijkheid=[5, None, None, None])
    addresses = pd.DataFrame({"buurtcode": ["B"] * 2600, "wijkcode": ["WK2"] * 2600})
    t = typology.area_types(areas, addresses).set_index("gebiedscode")
    assert t.loc["WK1", "stedelijkheid"] == 5 and t.loc["WK1", "stedelijkheid_bron"] == "CBS mate van stedelijkheid"
    assert t.loc["WK2", "stedelijkheid"] == 1 and t.loc["WK2", "stedelijkheid_bron"] == "adressen per km² land"
    assert t.loc["WK3", "stedelijkheid_bron"] == "adressen per km² land"  # 0 addresses: niet stedelijk
    assert t.loc["WK3", "stedelijkheid"] == 5


def test_urbanity_class_bounds_follow_cbs():
    s = typology.urbanity_class(pd.Series([2500, 2499, 1500, 1000, 999, 500, 499, None]))
    assert list(s.astype(object).where(s.notna(), None)) == [1, 2, 2, 3, 4, 4, 5, None]


def test_types_are_deterministic_and_similar_areas_share_one():
    areas = pd.concat([_areas(), _areas().assign(gebiedscode=lambda f: f["gebiedscode"] + "b")], ignore_index=True)
    first, second = typology.area_types(areas), typology.area_types(areas.sample(frac=1, random_state=3))
    merged = first.merge(second, on="gebiedscode")
    assert (merged["wijktype_x"] == merged["wijktype_y"]).all()
    assert typology.similar_areas(first, "WK1") == ["WK1b"]
    assert typology.similar_areas(first, "onbekend") == []


def test_addresses_count_their_aantal_and_find_their_wijk_from_the_buurt_code():
    # no wijkcode column: the wijk is WK + the six characters after BU; a point with aantal=10 is ten addresses
    areas = _areas().assign(gebiedscode=["WK099901", "WK099902", "WK099903", "WK099904"])
    addresses = pd.DataFrame({"buurtcode": ["BU09990101"] * 260 + ["BU09990201"] * 60, "aantal": [10] * 260 + [1] * 60})
    t = typology.area_types(areas, addresses).set_index("gebiedscode")
    assert t.loc["WK099901", "stedelijkheid"] == 1      # 2,600 addresses on 1 km²
    assert t.loc["WK099902", "stedelijkheid"] == 5      # 60 addresses on 1 km²
    assert t.loc["WK099901", "stedelijkheid_bron"] == "adressen per km² land"
