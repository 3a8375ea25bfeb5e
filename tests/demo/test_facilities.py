"""Tests of the demo's facilities (analysis.demo.facilities): the designed gaps, openings and closures."""

from __future__ import annotations

import numpy as np
import shapely

from analysis.demo.municipality import GAP_WIJK_NO_GP, GAP_WIJK_NO_MEETING


def _points_in_wijk(points: np.ndarray, wijk: shapely.Geometry) -> int:
    return int(shapely.contains(wijk, points).sum())


def test_a_residential_wijk_has_no_meeting_place(ds):
    fac = ds.facilities
    wijken = ds.wijken.set_index("gebiedscode")

    def meeting_points(year):
        rows = fac[(fac["component"] == "ontmoeting") & (fac["jaar"] == year)]
        return shapely.point_on_surface(rows.geometry.to_numpy())

    empty_2025 = [code for code, row in wijken.iterrows()
                  if row["inwoners"] > 1000 and _points_in_wijk(meeting_points(2025), row.geometry) == 0]
    assert empty_2025 == [GAP_WIJK_NO_MEETING]
    # it had one in the baseline: the buurthuis closed in between
    assert _points_in_wijk(meeting_points(2023), wijken.loc[GAP_WIJK_NO_MEETING].geometry) >= 1


def test_a_buurt_lies_far_from_every_gp(ds):
    fac = ds.facilities
    gps = fac[(fac["soort"] == "huisarts") & (fac["jaar"] == 2025)].geometry.to_numpy()
    assert len(gps) >= 8
    inhabited = ds.buurten[ds.buurten["inwoners"] >= 100]
    centroids = shapely.centroid(inhabited.geometry.to_numpy())
    nearest_m = np.array([shapely.distance(c, gps).min() for c in centroids])
    far = inhabited.loc[nearest_m > 1500, "wijkcode"]
    assert len(far) >= 1 and set(far) == {GAP_WIJK_NO_GP}
    # in the baseline the village still had its GP
    gps_2023 = fac[(fac["soort"] == "huisarts") & (fac["jaar"] == 2023)].geometry.to_numpy()
    village = ds.buurten[ds.buurten["gebiedsnaam"] == "Dorpskern Oosterdorp"].geometry.iloc[0]
    assert shapely.distance(shapely.centroid(village), gps_2023).min() < 1000


def test_facilities_open_and_close_between_the_years(ds):
    fac = ds.facilities
    ids = {year: set(fac.loc[fac["jaar"] == year, "id"]) for year in (2023, 2025)}
    assert len(ids[2023] - ids[2025]) >= 3  # closed
    assert len(ids[2025] - ids[2023]) >= 3  # opened
    assert len(ids[2023] & ids[2025]) >= 100


def test_the_2024_snapshot_is_2023_plus_openings_minus_closures(ds):
    fac = ds.facilities
    ids = {year: set(fac.loc[fac["jaar"] == year, "id"]) for year in (2023, 2024, 2025)}
    opened, closed = ids[2025] - ids[2023], ids[2023] - ids[2025]
    assert opened and closed
    # everything opened and closed in 2024 (the snapshot of a year is its sociale kaart at the end of it)
    assert ids[2024] == (ids[2023] | opened) - closed
    names = set(fac.loc[fac["jaar"] == 2024, "naam"])
    assert {"Wijkcentrum De Kreek", "Cruyff Court Hagepoort", "Cultuurhuis Zuiderhage"} <= names
    assert not {"Buurthuis De Klaproos", "Huisartsenpraktijk Oosterdorp"} & names


def test_occupancy_of_2024_lies_between_the_endpoints_or_below_the_opening_years_next(ds):
    occ = ds.facilities.pivot_table(index="id", columns="jaar", values="bezetting_pct")
    both = occ.dropna(subset=[2023, 2025])
    assert len(both) >= 10 and both[2024].notna().all()
    low, high = both[[2023, 2025]].min(axis=1), both[[2023, 2025]].max(axis=1)
    assert ((both[2024] >= low - 10) & (both[2024] <= high + 10)).all()
    new = occ[occ[2023].isna() & occ[2025].notna()]
    assert len(new) >= 1 and (new[2024] < new[2025]).all()
