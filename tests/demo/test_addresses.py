"""Tests of the demo's address points (analysis.demo.addresses): dwellings by households, none in parks or water."""

from __future__ import annotations

import pandas as pd
import shapely

from analysis.demo.addresses import DWELLINGS_PER_HOUSEHOLD, FRONT_SETBACK_M, FUNCTIONS
from analysis.demo.areas import build_areas
from analysis.demo.municipality import BUSINESS_PARK_WIJK, DEMO_DIR, GEMEENTE_CODE
from analysis.demo.water import canal_water

BUSINESS_PARK = f"WK{GEMEENTE_CODE[2:]}{BUSINESS_PARK_WIJK:02d}"


def _raw() -> pd.DataFrame:
    return pd.read_csv(DEMO_DIR / "adressen.csv", dtype={"id": str})


def test_address_file_has_the_bag_like_columns():
    raw = _raw()
    assert list(raw.columns) == ["id", "x", "y", "aantal_woningen", "functie"]
    assert raw["id"].is_unique and set(raw["functie"]) == set(FUNCTIONS)
    assert (raw.loc[raw["functie"] == "wonen", "aantal_woningen"] >= 1).all()
    assert (raw.loc[raw["functie"] != "wonen", "aantal_woningen"] == 0).all()
    assert raw["x"].between(180_000, 195_000).all() and raw["y"].between(515_000, 530_000).all()
    # houses and blocks of flats
    homes = raw[raw["functie"] == "wonen"]
    assert (homes["aantal_woningen"] == 1).mean() > 0.5 and homes["aantal_woningen"].max() >= 20


def test_dwellings_follow_the_households_of_each_buurt(ds):
    dwellings = ds.addresses.groupby("buurtcode")["aantal"].sum()
    buurten = ds.buurten.set_index("gebiedscode")
    households = buurten["huishoudens"].fillna(0)
    big = households[households >= 50].index
    ratio = dwellings.reindex(big) / households[big]
    assert ratio.between(DWELLINGS_PER_HOUSEHOLD - 0.01, DWELLINGS_PER_HOUSEHOLD + 0.01).all(), ratio.describe()
    # every inhabited buurt has dwellings; the empty part of the business park has none
    inhabited = buurten.index[buurten["inwoners"].fillna(0) > 0]
    assert set(inhabited) <= set(dwellings.index)
    empty = buurten.index[buurten["inwoners"].fillna(0) == 0]
    assert len(empty) >= 1 and dwellings.reindex(empty).fillna(0).eq(0).all()


def test_the_business_park_holds_firms_and_few_dwellings(ds):
    raw = _raw()
    points = shapely.points(raw[["x", "y"]].to_numpy())
    park = ds.wijken.set_index("gebiedscode").loc[BUSINESS_PARK].geometry
    on_park = raw[shapely.contains(park, points)]
    assert (on_park["functie"] == "bedrijf").sum() > (on_park["functie"] == "wonen").sum()
    assert on_park["aantal_woningen"].sum() < 0.01 * raw["aantal_woningen"].sum()


def test_no_address_in_a_park_or_the_canal_and_all_along_a_street(ds):
    points = ds.addresses.geometry.to_numpy()
    parks = ds.facilities[ds.facilities["soort"] == "park"].geometry.to_numpy()
    assert not shapely.intersects(shapely.union_all(parks), points).any()
    outline, _, _ = build_areas()
    assert not shapely.intersects(canal_water(outline), points).any()
    tree = shapely.STRtree(ds.roads.geometry.to_numpy())
    _, distance = tree.query_nearest(points, return_distance=True)
    assert distance.max() < FRONT_SETBACK_M + 5
