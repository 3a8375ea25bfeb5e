"""Tests for analysis.compute.proximity: resident grid, nearest distances, coverage and white spots."""

from __future__ import annotations

import math
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from analysis import model
from analysis.compute import proximity

GM = "GM9999"
W1, W2 = "WK999901", "WK999902"
P, Q, R, S = "BU99990101", "BU99990102", "BU99990201", "BU99990202"
SQRT2 = math.sqrt(2.0)


# ----------------------------------------------------------------------------------------------
# The hand-built fixture (metres, EPSG:28992)
#
#   y=300 +---------+
#         |    S    |  S: inhabitants unknown (CBS secret); facility F1 at (50, 250) lies in it
#   y=200 +---------+
#         |    P    |  P: 400 inhabitants, cells (50,50) (150,50) (50,150) (150,150): 100 each
#   y=100 |         +---------+
#         |         |    Q    |+ R   Q: 200 inhabitants, cells (250,50) (350,50); R: 30 inhabitants,
#   y=0   +---------+---------++     40 x 40 m at x=400..440: no cell centre inside
#         x=0      200       400
#
#   ontmoeting 2025: F1 (50, 250) and F2 (600, 20), outside the gemeente
#   ontmoeting 2023: F3 (150, 150);  zorg 2025: (250, 50)
# ----------------------------------------------------------------------------------------------

BUURT_SHAPES = {P: box(0, 0, 200, 200), Q: box(200, 0, 400, 100), R: box(400, 0, 440, 40),
                S: box(0, 200, 200, 300)}
BUURT_INWONERS = {P: 400, Q: 200, R: 30, S: np.nan}
WIJK_OF = {P: W1, Q: W1, R: W2, S: W2}
F1, F2, F3 = (50.0, 250.0), (600.0, 20.0), (150.0, 150.0)


def area_frame(rows: list[tuple[str, str | None, float, object]], level: str) -> gpd.GeoDataFrame:
    records = []
    for code, wijk, inwoners, _ in rows:
        record = dict.fromkeys(model.AREA_COLUMNS, np.nan)
        record.update(gebiedscode=code, gebiedsnaam=code, niveau=level, wijkcode=wijk,
                      gemeentecode=GM, inwoners=inwoners)
        records.append(record)
    return gpd.GeoDataFrame(pd.DataFrame(records), geometry=[r[3] for r in rows], crs=model.CRS_RD)


def facility_frame(rows: list[tuple[str, int, object]]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({
        "id": [f"f{i}" for i in range(len(rows))], "naam": [f"Voorziening {i}" for i in range(len(rows))],
        "component": [r[0] for r in rows], "soort": "", "capaciteit": np.nan, "bezetting_pct": np.nan,
        "jaar": np.array([r[1] for r in rows], dtype=np.int64), "buurtcode": np.nan, "wijkcode": np.nan,
        "bron": "test",
    })
    return gpd.GeoDataFrame(frame, geometry=[r[2] for r in rows], crs=model.CRS_RD)


def make_dataset(buurten: dict[str, object] | None = None, inwoners: dict[str, float] | None = None,
                 facilities: gpd.GeoDataFrame | None = None, grid: gpd.GeoDataFrame | None = None,
                 associations: gpd.GeoDataFrame | None = None) -> model.Dataset:
    shapes = BUURT_SHAPES if buurten is None else buurten
    inw = BUURT_INWONERS if inwoners is None else inwoners
    wijk_of = {code: WIJK_OF.get(code, W1) for code in shapes}
    wijk_rows = []
    for wijk in dict.fromkeys(wijk_of.values()):
        members = [c for c in shapes if wijk_of[c] == wijk]
        wijk_rows.append((wijk, wijk, float(np.nansum([inw[c] for c in members])),
                          shapely.union_all([shapes[c] for c in members])))
    if facilities is None:
        facilities = facility_frame([
            ("ontmoeting", 2025, Point(*F1)), ("ontmoeting", 2025, Point(*F2)),
            ("ontmoeting", 2023, Point(*F3)), ("zorg", 2025, Point(250, 50)),
        ])
    return model.Dataset(
        name="Test", year=2025, gemeente_code=GM,
        buurten=area_frame([(c, wijk_of[c], inw[c], g) for c, g in shapes.items()], "buurt"),
        wijken=area_frame(wijk_rows, "wijk"),
        gemeente=area_frame([(GM, None, float(np.nansum(list(inw.values()))),
                              shapely.union_all(list(shapes.values())))], "gemeente"),
        facilities=facilities,
        associations=(model.empty_frame(model.ASSOCIATION_COLUMNS, geometry=True)
                      if associations is None else associations),
        ties=model.empty_frame(model.TIE_COLUMNS),
        respondents=model.empty_frame(model.RESPONDENT_COLUMNS),
        codebook={}, area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS),
        digital=model.empty_frame(model.DIGITAL_COLUMNS), population_grid=grid,
    )


def value(table: pd.DataFrame, code: str, indicator: str) -> float:
    hit = table[(table["gebiedscode"] == code) & (table["indicator"] == indicator)]
    assert len(hit) == 1, (code, indicator, len(hit))
    return float(hit["waarde"].iloc[0])


def dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def r_point() -> tuple[float, float]:
    rep = BUURT_SHAPES[R].point_on_surface()
    return rep.x, rep.y


# ----------------------------------------------------------------------------------------------
# Resident points
# ----------------------------------------------------------------------------------------------

def test_grid_centres_at_multiples_of_100_plus_50():
    centres = proximity.grid_centres((-130.0, 20.0, 170.0, 180.0))
    assert sorted(set(centres[:, 0])) == [-150.0, -50.0, 50.0, 150.0]
    assert sorted(set(centres[:, 1])) == [50.0, 150.0]
    assert np.all(np.mod(centres, 100.0) == 50.0)


def test_population_spread_evenly_and_representative_point():
    points = proximity.resident_points(make_dataset())
    assert list(points.columns[:6]) == ["x", "y", "inwoners", "buurtcode", "wijkcode", "rasterpunt"]
    by_buurt = {code: frame for code, frame in points.groupby("buurtcode")}
    p = by_buurt[P].sort_values(["y", "x"])
    assert p[["x", "y"]].to_numpy().tolist() == [[50, 50], [150, 50], [50, 150], [150, 150]]
    assert p["inwoners"].tolist() == [100.0] * 4 and p["rasterpunt"].all()
    q = by_buurt[Q].sort_values("x")
    assert q[["x", "y"]].to_numpy().tolist() == [[250, 50], [350, 50]]
    assert q["inwoners"].tolist() == [100.0, 100.0]
    r = by_buurt[R]
    assert len(r) == 1 and not r["rasterpunt"].iloc[0]
    assert (r["x"].iloc[0], r["y"].iloc[0]) == pytest.approx(r_point())
    assert BUURT_SHAPES[R].contains(Point(r["x"].iloc[0], r["y"].iloc[0]))
    assert r["inwoners"].iloc[0] == 30.0
    # S has unknown inhabitants: its cells carry no one
    assert by_buurt[S]["inwoners"].sum() == 0.0
    assert set(points["wijkcode"]) == {W1, W2}
    assert points.crs == model.CRS_RD


def test_population_grid_used_when_present_with_fallback():
    def cell(x, y):
        return box(x - 50, y - 50, x + 50, y + 50)

    grid = gpd.GeoDataFrame({"inwoners": [10, np.nan, -99997, 30, 99]},
                            geometry=[cell(50, 50), cell(150, 50), cell(50, 150), cell(150, 150),
                                      cell(1050, 1050)], crs=model.CRS_RD)
    ds = make_dataset(grid=grid)
    points = proximity.resident_points(ds)
    p = points[points["buurtcode"] == P].sort_values(["y", "x"])
    # grid counts, secret and missing cells as 0
    assert p["inwoners"].tolist() == [10.0, 0.0, 0.0, 30.0]
    # the cell outside every buurt is left out
    assert not ((points["x"] == 1050) & (points["y"] == 1050)).any()
    # Q and R have inhabitants but no grid cells: the even spread is used for them
    assert points.loc[points["buurtcode"] == Q, "inwoners"].tolist() == [100.0, 100.0]
    assert points.loc[points["buurtcode"] == R, "inwoners"].tolist() == [30.0]
    assert not (points["buurtcode"] == S).any()
    table = proximity.proximity_table(ds, 2025, components=["ontmoeting"])
    expected_p = (10 * dist((50, 50), F1) + 30 * dist((150, 150), F1)) / 40
    assert value(table[table["niveau"] == "buurt"], P, "ontmoeting_afstand_m") == pytest.approx(expected_p)
    # a grid in another CRS is converted first
    again = proximity.resident_points(make_dataset(grid=grid.to_crs(model.CRS_WGS84)))
    assert again["inwoners"].sum() == pytest.approx(points["inwoners"].sum())
    assert np.allclose(np.sort(again["x"].to_numpy()), np.sort(points["x"].to_numpy()), atol=0.01)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.floats(5, 450), st.floats(5, 450), st.integers(0, 5000), st.floats(0, 99)),
                min_size=1, max_size=6))
def test_spreading_preserves_buurt_population(specs):
    shapes, inwoners, x = {}, {}, 0.0
    for i, (width, height, people, shift) in enumerate(specs):
        code = f"BU999901{i:02d}"
        shapes[code] = box(x + shift, shift, x + shift + width, shift + height)
        inwoners[code] = float(people)
        x += shift + width + 1.0
    points = proximity.resident_points(make_dataset(shapes, inwoners, facilities=facility_frame([])))
    totals = points.groupby("buurtcode")["inwoners"].sum()
    for code, people in inwoners.items():
        assert totals.get(code, 0.0) == pytest.approx(people)
        mine = points[points["buurtcode"] == code]
        assert len(mine) >= 1
        assert shapely.intersects(shapes[code], shapely.points(mine[["x", "y"]].to_numpy())).all()
        cells = mine[mine["rasterpunt"]]
        assert np.all(np.mod(cells[["x", "y"]].to_numpy(), 100.0) == 50.0)
        assert mine["rasterpunt"].all() or len(mine) == 1


# ----------------------------------------------------------------------------------------------
# Distances and coverage
# ----------------------------------------------------------------------------------------------

def test_mean_distance_and_coverage_by_hand():
    ds = make_dataset()
    table = proximity.proximity_table(ds, 2025, norms_m={"ontmoeting": 255})
    assert list(table.columns) == ["gebiedscode", "niveau", "jaar", "indicator", "waarde"]
    # only components with facilities in 2025 are measured: ontmoeting and zorg
    assert set(table["indicator"]) == {"ontmoeting_afstand_m", "ontmoeting_dekking_pct",
                                       "zorg_afstand_m", "zorg_dekking_pct"}
    buurt = table[table["niveau"] == "buurt"]
    d_p = [dist((50, 50), F1), dist((150, 50), F1), dist((50, 150), F1), dist((150, 150), F1)]
    assert d_p == pytest.approx([200, math.sqrt(100**2 + 200**2), 100, 100 * SQRT2])
    # Q: (250,50) is nearest to F1; (350,50) to F2, outside the gemeente
    d_q = [dist((250, 50), F1), dist((350, 50), F2)]
    assert d_q == pytest.approx([200 * SQRT2, math.sqrt(250**2 + 30**2)])
    d_r = min(dist(r_point(), F1), dist(r_point(), F2))
    assert value(buurt, P, "ontmoeting_afstand_m") == pytest.approx(sum(d_p) / 4)
    assert value(buurt, Q, "ontmoeting_afstand_m") == pytest.approx(sum(d_q) / 2)
    assert value(buurt, R, "ontmoeting_afstand_m") == pytest.approx(d_r)
    assert math.isnan(value(buurt, S, "ontmoeting_afstand_m"))      # no inhabitants: no figure
    assert value(buurt, P, "ontmoeting_dekking_pct") == pytest.approx(100.0)
    assert value(buurt, Q, "ontmoeting_dekking_pct") == pytest.approx(50.0)   # 251.8 <= 255 < 282.8
    wijk = table[table["niveau"] == "wijk"]
    assert value(wijk, W1, "ontmoeting_afstand_m") == pytest.approx((100 * sum(d_p) + 100 * sum(d_q)) / 600)
    assert value(wijk, W1, "ontmoeting_dekking_pct") == pytest.approx(100 * 500 / 600)
    gemeente = table[table["niveau"] == "gemeente"]
    assert value(gemeente, GM, "ontmoeting_afstand_m") == pytest.approx(
        (100 * sum(d_p) + 100 * sum(d_q) + 30 * d_r) / 630)
    covered_r = 30 if d_r <= 255 else 0
    assert value(gemeente, GM, "ontmoeting_dekking_pct") == pytest.approx(100 * (500 + covered_r) / 630)
    # zorg (250,50): Q's first cell is at distance 0
    assert value(buurt, Q, "zorg_afstand_m") == pytest.approx((0 + 100) / 2)
    assert (table["jaar"] == 2025).all()


def test_default_norm_and_overrides():
    ds = make_dataset()
    default = proximity.proximity_table(ds, 2025, components=["ontmoeting"])
    # default ontmoeting norm 500 m: everyone is within it
    dekking = default[default["indicator"] == "ontmoeting_dekking_pct"].dropna(subset=["waarde"])
    assert (dekking["waarde"] == 100.0).all()
    strict = proximity.proximity_table(ds, 2025, norms_m={"ontmoeting": 150}, components=["ontmoeting"])
    # within 150 m: P's (50,150) and (150,150) only
    assert value(strict[strict["niveau"] == "buurt"], P, "ontmoeting_dekking_pct") == pytest.approx(50.0)
    with pytest.raises(ValueError):
        proximity.proximity_table(ds, 2025, norms_m={"ontmoeting": 0})
    with pytest.raises(KeyError):
        proximity.proximity_table(ds, 2025, norms_m={"digitaal": 500})


def test_facility_of_another_year_does_not_count():
    ds = make_dataset()
    table = proximity.proximity_table(ds, 2023, components=["ontmoeting", "zorg"])
    # 2023 has only F3 at (150,150), in P; zorg has no 2023 facility: not measured
    assert set(table["indicator"]) == {"ontmoeting_afstand_m", "ontmoeting_dekking_pct"}
    d_p = [dist(c, F3) for c in [(50, 50), (150, 50), (50, 150), (150, 150)]]
    assert d_p == pytest.approx([100 * SQRT2, 100, 100, 0])
    assert value(table[table["niveau"] == "buurt"], P, "ontmoeting_afstand_m") == pytest.approx(sum(d_p) / 4)
    assert (table["jaar"] == 2023).all()
    assert len(proximity.proximity_table(ds, 2019)) == 0


def test_associations_count_for_verenigingen_when_active_and_located():
    assoc = gpd.GeoDataFrame({
        "id": ["a", "b", "c", "d"], "naam": list("abcd"), "soort": "sport", "leden": np.nan,
        "actief": [True, False, True, True], "jaar": [2025, 2025, 2024, 2025], "buurtcode": np.nan,
        "wijkcode": np.nan,
    }, geometry=[Point(50, 50), Point(150, 50), Point(150, 150), Point()], crs=model.CRS_RD)
    ds = make_dataset(associations=assoc)
    places = proximity.year_places(ds, "verenigingen", 2025)
    assert [(g.x, g.y) for g in places] == [(50.0, 50.0)]     # b inactive, c other year, d no location
    # an association without location (empty geometry) is no place: nothing to measure to
    only_unlocated = make_dataset(associations=assoc.iloc[[3]])
    assert len(proximity.proximity_table(only_unlocated, 2025, components=["verenigingen"])) == 0
    assert len(proximity.white_spots(only_unlocated, "verenigingen", 2025)) == 0


def test_polygon_facility_measured_to_its_edge():
    park = box(0, 1000, 1000, 2000)
    points = np.array([[500, 900], [500, 1500], [1200, 2100], [-30, 1500]])
    got = proximity.nearest_distance_m(points, gpd.GeoSeries([park], crs=model.CRS_RD))
    true = [100.0, 0.0, math.hypot(200, 100), 30.0]    # the centroid would give 600, 0, 762, 530
    step = proximity.DENSIFY_STEP_M
    for g, t in zip(got, true):
        assert t <= g + 1e-9 <= t + step / 2 + 1e-9
    # a hole is not part of the park: a point in it is measured to the hole's edge
    holed = shapely.Polygon(park.exterior.coords, [box(400, 1400, 600, 1600).exterior.coords])
    assert proximity.nearest_distance_m(np.array([[500, 1500]]), [holed])[0] == pytest.approx(100.0)
    assert proximity.nearest_distance_m(points, []).tolist() == [math.inf] * 4


@settings(max_examples=60, deadline=None)
@given(st.floats(-3000, 3000), st.floats(-3000, 3000), st.floats(1, 800), st.floats(1, 800),
       st.floats(0, 2 * math.pi))
def test_polygon_distance_error_bounded_by_half_step(px, py, width, height, angle):
    park = shapely.affinity.rotate(box(0, 0, width, height), angle, origin=(0, 0), use_radians=True)
    multi = shapely.MultiPolygon([park, shapely.affinity.translate(park, 5000, 0)])
    got = proximity.nearest_distance_m(np.array([[px, py]]), [multi])[0]
    true = shapely.distance(Point(px, py), multi)
    assert true - 1e-6 <= got <= true + proximity.DENSIFY_STEP_M / 2 + 1e-6


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(-400, 900), st.floats(-400, 700)), min_size=1, max_size=6),
       st.floats(10, 1000), st.floats(0, 1000))
def test_coverage_monotone_in_norm(sites, norm, extra):
    ds = make_dataset(facilities=facility_frame([("sport", 2025, Point(x, y)) for x, y in sites]))
    points = proximity.resident_points(ds)
    low = proximity.proximity_table(ds, 2025, {"sport": norm}, points=points, components=["sport"])
    high = proximity.proximity_table(ds, 2025, {"sport": norm + extra}, points=points, components=["sport"])
    low = low[low["indicator"] == "sport_dekking_pct"].set_index(["niveau", "gebiedscode"])["waarde"]
    high = high[high["indicator"] == "sport_dekking_pct"].set_index(["niveau", "gebiedscode"])["waarde"]
    both = low.notna()
    assert (low[both] <= high[both] + 1e-9).all()
    assert ((low[both] >= 0) & (high[both] <= 100)).all()


# ----------------------------------------------------------------------------------------------
# White spots
# ----------------------------------------------------------------------------------------------

def test_white_spots_by_hand():
    ds = make_dataset()
    spots = proximity.white_spots(ds, "ontmoeting", 2025, norm_m=150)
    assert list(spots.columns) == ["component", "norm_m", "jaar", "buurtcode", "wijkcode", "inwoners",
                                   "geometry"]
    assert spots.crs == model.CRS_RD
    spots = spots.set_index("buurtcode")
    # P: cells (50,50) at 200 m and (150,50) at 224 m are far, (50,150) and (150,150) are near;
    # Q: both cells far (283 m, 252 m); R: its representative point ~180 m; S: nobody lives there
    assert sorted(spots.index) == [P, Q, R]
    assert spots.loc[P, "geometry"].symmetric_difference(box(0, 0, 200, 100)).area < 1e-6
    assert spots.loc[Q, "geometry"].symmetric_difference(box(200, 0, 400, 100)).area < 1e-6
    assert spots.loc[R, "geometry"].symmetric_difference(BUURT_SHAPES[R]).area < 1e-6
    assert spots["inwoners"].to_dict() == {P: 200.0, Q: 200.0, R: 30.0}
    assert (spots["component"] == "ontmoeting").all() and (spots["norm_m"] == 150).all()
    assert (spots["jaar"] == 2025).all() and spots.loc[R, "wijkcode"] == W2
    # inside the inhabited land
    land = shapely.union_all([BUURT_SHAPES[c] for c in (P, Q, R)])
    assert all(land.buffer(1e-6).contains(g) for g in spots.geometry)
    # farther than the norm, cell by cell (documented: the cell centre decides)
    sites = shapely.MultiPoint([F1, F2])
    for g in spots.loc[[P, Q]].geometry:
        assert shapely.distance(g, sites) >= 150 - 50 * SQRT2
    # the inhabitants in white spots are exactly the ones outside the norm
    table = proximity.proximity_table(ds, 2025, norms_m={"ontmoeting": 150}, components=["ontmoeting"])
    covered = value(table[table["niveau"] == "gemeente"], GM, "ontmoeting_dekking_pct")
    assert spots["inwoners"].sum() == pytest.approx((1 - covered / 100) * 630)


def test_white_spots_far_centres_and_empty_cases():
    ds = make_dataset()
    spots = proximity.white_spots(ds, "ontmoeting", 2025, norm_m=150)
    points = proximity.resident_points(ds)
    inside = shapely.intersects(shapely.union_all(spots.geometry.values),
                                shapely.points(points[["x", "y"]].to_numpy()))
    inhabited = points["inwoners"].to_numpy() > 0
    d = np.minimum(np.hypot(points["x"] - F1[0], points["y"] - F1[1]),
                   np.hypot(points["x"] - F2[0], points["y"] - F2[1])).to_numpy()
    # every inhabited point in a white spot is far, every far inhabited point is in one
    assert np.array_equal(inside[inhabited], d[inhabited] > 150)
    # default norm (500 m): no white spots at all
    assert len(proximity.white_spots(ds, "ontmoeting", 2025)) == 0
    # a component without facilities that year is unknown, not everywhere white
    assert len(proximity.white_spots(ds, "sport", 2025)) == 0
    # F3 (2023) changes the picture: P's far cells are at 141 m and 100 m
    spots_2023 = proximity.white_spots(ds, "ontmoeting", 2023, norm_m=150)
    assert P not in set(spots_2023["buurtcode"])
    with pytest.raises(ValueError):
        proximity.white_spots(ds, "digitaal", 2025)


def test_white_spots_are_polygons_after_clipping():
    # a two-part buurt whose second part only touches the first cell along x = 100: clipping the
    # cell to the buurt gives a square plus a stray line, and only the square is a white spot
    shape = shapely.MultiPolygon([box(20, 20, 80, 80), box(100, 0, 120, 100)])
    ds = make_dataset({P: shape}, {P: 100.0},
                      facilities=facility_frame([("sport", 2025, Point(5000, 5000))]))
    spots = proximity.white_spots(ds, "sport", 2025)
    assert len(spots) == 1
    assert spots.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    assert spots.geometry.iloc[0].area == pytest.approx(60 * 60)
    assert spots["inwoners"].iloc[0] == 100.0


# ----------------------------------------------------------------------------------------------
# Performance sanity: k-d tree, no all-pairs distances
# ----------------------------------------------------------------------------------------------

def test_nearest_distance_uses_kdtree_and_is_fast(monkeypatch):
    rng = np.random.default_rng(5)
    points = rng.uniform(0, 20_000, size=(50_000, 2))
    facilities = gpd.GeoSeries(gpd.points_from_xy(*rng.uniform(-1000, 21_000, size=(2, 20_000))),
                               crs=model.CRS_RD)
    built = []
    real = proximity.cKDTree

    def spy(data, *args, **kwargs):
        built.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(proximity, "cKDTree", spy)
    start = time.perf_counter()
    got = proximity.nearest_distance_m(points, facilities)
    elapsed = time.perf_counter() - start
    assert built == [20_000]
    assert elapsed < 5.0, elapsed
    # spot check against brute force on a few points
    xy = shapely.get_coordinates(facilities.values)
    for i in rng.choice(len(points), 20, replace=False):
        assert got[i] == pytest.approx(np.hypot(*(xy - points[i]).T).min())


def test_proximity_table_at_city_scale():
    rng = np.random.default_rng(7)
    # 500 buurten of 1 km x 1 km (100 cells each): 50,000 resident points; 20,000 facilities
    shapes = {f"BU9999{i // 25:02d}{i % 25:02d}": box(1000 * (i % 25), 1000 * (i // 25),
                                                     1000 * (i % 25 + 1), 1000 * (i // 25 + 1))
              for i in range(500)}
    inwoners = {code: float(rng.integers(0, 3000)) for code in shapes}
    keys = ["ontmoeting", "onderwijs", "zorg", "cultuur", "sport", "openbare_ruimte"]
    xy = rng.uniform(-500, 25_500, size=(20_000, 2))
    kinds = rng.choice(keys, size=20_000)
    geoms = [Point(x, y) if k != "openbare_ruimte" else box(x, y, x + 80, y + 60)
             for (x, y), k in zip(xy, kinds)]
    ds = make_dataset(shapes, inwoners, facilities=facility_frame(list(zip(kinds, [2025] * 20_000, geoms))))
    start = time.perf_counter()
    points = proximity.resident_points(ds)
    table = proximity.proximity_table(ds, 2025, points=points)
    elapsed = time.perf_counter() - start
    assert len(points) == 50_000
    assert points["inwoners"].sum() == pytest.approx(sum(inwoners.values()))
    assert elapsed < 20.0, elapsed
    share = table[table["indicator"].str.endswith("_dekking_pct")]["waarde"].dropna()
    assert ((share >= 0) & (share <= 100)).all()


# ----------------------------------------------------------------------------------------------
# Residents at their addresses
# ----------------------------------------------------------------------------------------------

def address_frame(rows: list[tuple[str, float, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"aantal": [r[3] for r in rows], "buurtcode": pd.array([r[0] for r in rows], dtype="string")},
                            geometry=[Point(r[1], r[2]) for r in rows], crs=model.CRS_RD)


def test_residents_placed_at_addresses_then_grid_then_evenly():
    # P: two dwelling addresses (1 and 3 dwellings) carry P's 400 inhabitants as 100 and 300;
    # Q: no address, one grid square with 40 inhabitants; R: neither, evenly (its representative point)
    ds = make_dataset()
    ds.addresses = address_frame([(P, 20.0, 30.0, 1.0), (P, 180.0, 170.0, 3.0), (S, 60.0, 260.0, 5.0)])
    ds.population_grid = gpd.GeoDataFrame({"inwoners": [40.0]}, geometry=[box(200, 0, 300, 100)], crs=model.CRS_RD)
    points = proximity.resident_points(ds)
    by = {code: frame for code, frame in points.groupby("buurtcode")}
    p = by[P].sort_values("x")
    assert p[["x", "y"]].to_numpy().tolist() == [[20.0, 30.0], [180.0, 170.0]]
    assert p["inwoners"].tolist() == [100.0, 300.0] and (p["plaatsing"] == "adres").all()
    assert by[Q]["inwoners"].tolist() == [40.0] and (by[Q]["plaatsing"] == "vierkant").all()
    assert by[R]["inwoners"].tolist() == [30.0] and (by[R]["plaatsing"] == "gelijkmatig").all()
    assert S not in by  # S's inhabitants are unknown: its address carries no one (and with a grid, as before, no cells)
    assert proximity.placement_method(ds, points) == ("adressen (BAG) (deels CBS-vierkanten, "
                                                      "gelijkmatig over de buurt)")
    labels = proximity.placement_by_area(points, points["buurtcode"])
    assert labels[P] == "adressen (BAG)" and labels[Q] == "CBS-vierkanten" and labels[R] == "gelijkmatig over de buurt"
    # distances are measured from the addresses: P = (100 * |A1 F1| + 300 * |A2 F1|) / 400
    table = proximity.proximity_table(ds, 2025, components=["ontmoeting"], points=points)
    expected = (100 * dist((20, 30), F1) + 300 * dist((180, 170), F1)) / 400
    assert value(table[table["niveau"] == "buurt"], P, "ontmoeting_afstand_m") == pytest.approx(expected)
    assert proximity.placement_method(make_dataset()) == "gelijkmatig over de buurt"


def test_white_spot_of_an_address_is_its_100m_cell():
    ds = make_dataset({P: box(0, 0, 400, 400)}, {P: 10.0}, facilities=facility_frame([("sport", 2025, Point(5000, 5000))]))
    ds.addresses = address_frame([(P, 230.0, 120.0, 1.0)])
    spots = proximity.white_spots(ds, "sport", 2025)
    assert len(spots) == 1 and spots["inwoners"].iloc[0] == pytest.approx(10.0)
    assert spots.geometry.iloc[0].symmetric_difference(box(200, 100, 300, 200)).area < 1e-6


# ----------------------------------------------------------------------------------------------
# Distances over the street network
#
#   y=200  ------------------------------+--- north street; facility F at (100, 210), 10 m from it
#             canal (no crossing)        | bridge at x = 900
#   y=0    ------------------------------+--- south street
#   buurt A: x 0..1000, y 0..100 (ten 100 m cells at y = 50, 100 inhabitants each, 50 m from the street)
# ----------------------------------------------------------------------------------------------

A, B = "BU99990101", "BU99990102"
STREETS = [shapely.LineString([(0, 0), (900, 0), (1000, 0)]), shapely.LineString([(0, 200), (900, 200), (1000, 200)]),
           shapely.LineString([(900, 0), (900, 200)])]
FAC = (100.0, 210.0)


def canal_dataset(network: bool = True, island: bool = False) -> model.Dataset:
    shapes = {A: box(0, 0, 1000, 100)}
    inwoners = {A: 1000.0}
    roads = list(STREETS)
    if island:  # buurt B far east with its own street that joins nothing
        shapes[B] = box(5000, 0, 5100, 100)
        inwoners[B] = 70.0
        roads.append(shapely.LineString([(5000, 0), (5100, 0)]))
    ds = make_dataset(shapes, inwoners, facilities=facility_frame([("zorg", 2025, Point(*FAC))]))
    if network:
        ds.roads = gpd.GeoDataFrame({"id": [str(i) for i in range(len(roads))]}, geometry=roads, crs=model.CRS_RD)
        ds.sources["wegen"] = "wegen.geojson"
    return ds


def walk_from_cell(x: float) -> float:
    """50 m to the south street, along it to the bridge, over it, back west to x = 100, 10 m to F."""
    return 50 + abs(900 - x) + 200 + 800 + 10


def test_network_distances_and_coverage_by_hand():
    xs = np.arange(50.0, 1000.0, 100.0)
    walks = np.array([walk_from_cell(x) for x in xs])
    table = proximity.proximity_table(canal_dataset(), 2025, components=["zorg"])
    buurt = table[table["niveau"] == "buurt"]
    assert value(buurt, A, "zorg_afstand_m") == pytest.approx(walks.mean())
    # zorg norm 1,000 m: only ... none; with 1,500 m the cells x = 550 .. 950 (walk <= 1,500)
    assert value(buurt, A, "zorg_dekking_pct") == pytest.approx(100.0 * np.mean(walks <= 1000))
    wide = proximity.proximity_table(canal_dataset(), 2025, norms_m={"zorg": 1500}, components=["zorg"])
    assert value(wide[wide["niveau"] == "buurt"], A, "zorg_dekking_pct") == pytest.approx(50.0)
    # without the network: straight lines, everyone within 1,500 m
    straight = proximity.proximity_table(canal_dataset(network=False), 2025, norms_m={"zorg": 1500}, components=["zorg"])
    assert value(straight[straight["niveau"] == "buurt"], A, "zorg_dekking_pct") == pytest.approx(100.0)
    assert value(straight[straight["niveau"] == "buurt"], A, "zorg_afstand_m") == pytest.approx(
        np.mean([dist((x, 50), FAC) for x in xs]))
    assert proximity.distance_method(canal_dataset()) == "over het stratennet (lopen)"
    assert proximity.distance_method(canal_dataset(network=False)) == "hemelsbreed"


def test_network_white_spots_and_sources():
    ds = canal_dataset()
    spots = proximity.white_spots(ds, "zorg", 2025, norm_m=1500)
    # the five cells west of x = 500 are more than 1,500 m away over the streets
    assert spots["inwoners"].sum() == pytest.approx(500.0)
    assert spots.geometry.iloc[0].symmetric_difference(box(0, 0, 500, 100)).area < 1e-6
    assert len(proximity.white_spots(canal_dataset(network=False), "zorg", 2025, norm_m=1500)) == 0
    rows = proximity.proximity_indicators(ds, 2025, components=["zorg"])
    assert set(rows["bron"]) == {"registratie; inwoners: gelijkmatig over de buurt; afstand: over het stratennet (lopen)"}
    plain = proximity.proximity_indicators(canal_dataset(network=False), 2025, components=["zorg"])
    assert set(plain["bron"]) == {"registratie; inwoners: gelijkmatig over de buurt; afstand: hemelsbreed"}
    assert not plain["indicator"].str.endswith("_onbereikbaar_inw").any()


def test_unreachable_residents_are_reported_not_given_a_distance():
    ds = canal_dataset(island=True)
    rows = proximity.proximity_indicators(ds, 2025, components=["zorg"])
    buurt = rows[rows["niveau"] == "buurt"]
    assert value(buurt, B, "zorg_onbereikbaar_inw") == pytest.approx(70.0)
    assert value(buurt, A, "zorg_onbereikbaar_inw") == 0.0
    assert math.isnan(value(buurt, B, "zorg_afstand_m")) and math.isnan(value(buurt, B, "zorg_dekking_pct"))
    assert math.isnan(value(buurt, B, "zorg_bereik_per_1000"))
    gemeente = rows[rows["niveau"] == "gemeente"]
    # the gemeente's mean distance is A's: B's residents count in neither figure
    assert value(gemeente, GM, "zorg_afstand_m") == pytest.approx(np.mean([walk_from_cell(x) for x in range(50, 1000, 100)]))
    assert value(gemeente, GM, "zorg_onbereikbaar_inw") == pytest.approx(70.0)
    found = [f for f in proximity.network_findings(ds, [2025]) if "zorg" in f.problem.lower()]
    lost = [f for f in found if f.level == "waarschuwing"]
    assert len(lost) == 1 and "70 inwoners in 1 buurten (BU99990102)" in lost[0].problem
    assert lost[0].file == "wegen.geojson" and lost[0].fix
    assert len(proximity.white_spots(ds, "zorg", 2025, norm_m=100)[lambda f: f["buurtcode"] == B]) == 0
    assert len(proximity.network_findings(canal_dataset(network=False))) == 0


def test_snap_table():
    table = proximity.snap_table(canal_dataset(), 2025)
    res = table[(table["wat"] == "inwoners") & (table["niveau"] == "buurt")].set_index("gebiedscode")
    assert res.loc[A, "mediaan_m"] == pytest.approx(50.0) and res.loc[A, "max_m"] == pytest.approx(50.0)
    assert res.loc[A, "aantal"] == 10
    fac = table[table["wat"] == "zorg"]
    assert fac["aantal"].tolist() == [1] and fac["mediaan_m"].tolist() == pytest.approx([10.0])
    assert len(proximity.snap_table(canal_dataset(network=False))) == 0


def test_network_on_a_dense_street_grid_is_the_manhattan_distance():
    # streets every 10 m with a vertex at every crossing (lines only join at shared vertices)
    lines = [shapely.segmentize(shapely.LineString([(0, y), (1000, y)]), 10) for y in range(0, 1001, 10)]
    lines += [shapely.segmentize(shapely.LineString([(x, 0), (x, 1000)]), 10) for x in range(0, 1001, 10)]
    site = Point(505, 500)  # on a street, between two crossings
    ds = make_dataset({A: box(0, 0, 1000, 1000)}, {A: 1000.0}, facilities=facility_frame([("zorg", 2025, site)]))
    points = proximity.resident_points(ds)
    xy = points[["x", "y"]].to_numpy(float)
    straight = proximity.nearest_distance_m(xy, [site])
    ds.roads = gpd.GeoDataFrame({"id": [str(i) for i in range(len(lines))]}, geometry=lines, crs=model.CRS_RD)
    walk = proximity.distances_m(ds, xy, [site])
    assert (walk >= straight - 1e-9).all()
    # the cell centres (x + 50) lie on crossings: the walk is the Manhattan distance, snaps are 0
    assert walk == pytest.approx(np.abs(xy - [505, 500]).sum(axis=1))


def test_real_zwolle_residents_at_their_addresses():
    from analysis.findings import Findings
    from analysis.load import addresses, areas
    from tests.paths import ZWOLLE, shared_file

    path = shared_file("zwolle", "zwolle_adressen.gpkg")
    buurten = areas.read_buurten(ZWOLLE / "zwolle_buurten_2015.geojson", Findings())
    ds = make_dataset(facilities=facility_frame([]))
    ds.buurten = buurten
    ds.addresses = addresses.read_addresses(path, buurten, Findings())
    points = proximity.resident_points(ds)
    inwoners = pd.to_numeric(buurten.set_index("gebiedscode")["inwoners"], errors="coerce").fillna(0)
    placed = points.groupby("buurtcode")["inwoners"].sum()
    # every buurt keeps its CBS total, whatever the method; the addressed ones sit on their addresses
    assert placed.reindex(inwoners.index).fillna(0).to_numpy() == pytest.approx(inwoners.to_numpy())
    at_address = points[points["plaatsing"] == "adres"]
    assert at_address["inwoners"].sum() > 0.98 * inwoners.sum()
    xy = shapely.points(at_address[["x", "y"]].to_numpy())
    shapes = buurten.set_index("gebiedscode").geometry.reindex(at_address["buurtcode"].to_numpy()).to_numpy()
    assert shapely.intersects(shapes, xy).all()
    assert proximity.placement_method(ds, points).startswith("adressen (BAG)")
