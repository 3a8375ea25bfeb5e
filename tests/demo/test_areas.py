"""Tests of the demo's areas (analysis.demo.areas): kerncijfers, CBS secrecy and the tiling."""

from __future__ import annotations

import json

import numpy as np
import shapely

from analysis.demo.municipality import DEMO_DIR


def test_realistic_kerncijfers(ds):
    inhabitants = ds.gemeente["inwoners"].iloc[0]
    assert 40_000 <= inhabitants <= 80_000
    wijken = ds.wijken.set_index("gebiedsnaam")
    # the town centre is young and lives alone, the post-war wijk is old, the new-build wijk has families
    assert wijken.loc["Centrum", "p_25_44"] > 35 and wijken.loc["Centrum", "p_eenpersoons_hh"] > 55
    assert wijken.loc["Bloemenwijk", "p_65_eo"] > 25
    assert wijken.loc["Waterrijk", "p_00_14"] > 22 and wijken.loc["Waterrijk", "p_eenpersoons_hh"] < 25
    # the wijk file's totals are the sums of all buurten (CBS publishes secret buurten inside them)
    by_wijk = ds.buurten.groupby("wijkcode")["inwoners"].sum()
    assert np.allclose(ds.wijken.set_index("gebiedscode")["inwoners"], by_wijk.reindex(ds.wijken["gebiedscode"]))


def test_secret_cbs_values_are_missing_not_numbers(ds):
    raw = json.loads((DEMO_DIR / "buurten.geojson").read_text(encoding="utf-8"))
    secret = [f["properties"]["BU_CODE"] for f in raw["features"] if f["properties"]["P_65_EO_JR"] == -99999999]
    assert 1 <= len(secret) <= 3
    loaded = ds.buurten.set_index("gebiedscode")
    assert loaded.loc[secret, "p_65_eo"].isna().all()
    assert (loaded.loc[secret, "inwoners"] < 50).all()


def test_buurten_tile_the_wijken(ds):
    buurten = ds.buurten.geometry.to_numpy()
    assert shapely.coverage_is_valid(buurten)
    assert ds.buurten.geometry.is_valid.all() and ds.wijken.geometry.is_valid.all()
    assert abs(shapely.union_all(buurten).area - ds.wijken.area.sum()) < 1.0
