"""Tests of the demo municipality generator and the input templates (analysis.demo.generator)."""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
import shapely

from analysis.components import FACILITY_COMPONENT_KEYS
from analysis.compute import survey
from analysis.demo import generator as demo
from analysis.findings import Findings
from analysis.load import dataset

DEMO_DIR = demo.DEMO_DIR
TEMPLATES_DIR = demo.TEMPLATES_DIR


@pytest.fixture(scope="module")
def ds():
    """The committed demo, loaded the way the app loads it."""
    return dataset.load_dataset(DEMO_DIR, Findings())


def _same_tree(generated: list[Path], committed_dir: Path) -> None:
    names = sorted(p.name for p in generated)
    assert names == sorted(p.name for p in committed_dir.iterdir() if p.is_file())
    for path in generated:
        assert path.read_bytes() == (committed_dir / path.name).read_bytes(), f"{path.name} differs"


def test_regenerating_the_demo_is_byte_identical(tmp_path):
    _same_tree(demo.write_demo(tmp_path / "demo"), DEMO_DIR)


def test_regenerating_the_templates_is_byte_identical(tmp_path):
    _same_tree(demo.write_templates(tmp_path / "templates"), TEMPLATES_DIR)


def test_another_seed_gives_another_municipality():
    other = demo.demo_files(7)
    assert other["dataset.toml"].encode() == (DEMO_DIR / "dataset.toml").read_bytes()
    for name in ("buurten.geojson", "enquete.csv", "banden.csv"):
        assert other[name].encode() != (DEMO_DIR / name).read_bytes()


def test_manifest_marks_the_demo_fictional(ds):
    manifest = tomllib.loads((DEMO_DIR / "dataset.toml").read_text(encoding="utf-8"))
    assert manifest["dataset"]["fictief"] is True
    assert manifest["dataset"]["jaar"] == 2025
    assert manifest["dataset"]["gemeente"] == "GM9999"
    assert ds.is_demo and ds.name == "Voorbeeldstad (fictief)" and ds.gemeente_code == "GM9999"
    assert ds.years() == [2023, 2025]
    assert set(ds.licences) >= {"buurten", "enquete", "voorzieningen:parken.geojson"}


def test_geojson_declares_rd_and_rounds_coordinates():
    raw = json.loads((DEMO_DIR / "buurten.geojson").read_text(encoding="utf-8"))
    assert raw["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    ring = np.array(raw["features"][0]["geometry"]["coordinates"][0])
    assert np.allclose(ring, np.round(ring, 1))
    # on land in the Noordoostpolder area, as the issue asks
    xs = np.concatenate([np.array(f["geometry"]["coordinates"][0])[:, 0] for f in raw["features"]])
    ys = np.concatenate([np.array(f["geometry"]["coordinates"][0])[:, 1] for f in raw["features"]])
    assert xs.min() >= 180_000 and xs.max() <= 195_000
    assert ys.min() >= 515_000 and ys.max() <= 530_000


def test_counts_are_within_the_ranges_of_the_issue(ds):
    assert 8 <= len(ds.wijken) <= 12
    assert 45 <= len(ds.buurten) <= 60
    assert ds.buurten["gebiedscode"].str.fullmatch(r"BU9999\d{4}").all()
    assert ds.wijken["gebiedscode"].str.fullmatch(r"WK9999\d{2}").all()
    assert 180 <= ds.associations["id"].nunique() <= 230
    ties_per_year = ds.ties.groupby("jaar").size()
    assert (ties_per_year >= 500).all() and sorted(ties_per_year.index) == [2023, 2025]
    assert 3_500 <= len(ds.respondents) <= 4_500
    assert sorted(ds.respondents["jaar"].unique()) == [2023, 2025]
    # all seven place components in the facilities, the eighth (digitaal) in platform usage
    assert set(FACILITY_COMPONENT_KEYS) <= set(ds.facilities["component"])
    assert "verenigingen" in set(ds.facilities["component"])
    assert len(ds.digital) > 0 and sorted(ds.digital["jaar"].unique()) == [2023, 2025]
    parks = ds.facilities[ds.facilities["soort"] == "park"]
    assert len(parks) >= 5 and set(parks.geom_type) == {"Polygon"}


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
    assert empty_2025 == [demo.GAP_WIJK_NO_MEETING]
    # it had one in the baseline: the buurthuis closed in between
    assert _points_in_wijk(meeting_points(2023), wijken.loc[demo.GAP_WIJK_NO_MEETING].geometry) >= 1


def test_a_buurt_lies_far_from_every_gp(ds):
    fac = ds.facilities
    gps = fac[(fac["soort"] == "huisarts") & (fac["jaar"] == 2025)].geometry.to_numpy()
    assert len(gps) >= 8
    inhabited = ds.buurten[ds.buurten["inwoners"] >= 100]
    centroids = shapely.centroid(inhabited.geometry.to_numpy())
    nearest_m = np.array([shapely.distance(c, gps).min() for c in centroids])
    far = inhabited.loc[nearest_m > 1500, "wijkcode"]
    assert len(far) >= 1 and set(far) == {demo.GAP_WIJK_NO_GP}
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


def test_association_network_has_clusters_bridges_and_isolates(ds):
    assoc = ds.associations[ds.associations["jaar"] == 2025].set_index("id")
    ties = ds.ties[ds.ties["jaar"] == 2025]
    assert set(ties["soort"]) == {"gedeelde_leden", "gedeeld_bestuur", "samenwerking", "gedeelde_locatie"}
    wijk_van = assoc["wijkcode"].reindex(ties["van"]).to_numpy()
    wijk_naar = assoc["wijkcode"].reindex(ties["naar"]).to_numpy()
    bridges = int((wijk_van != wijk_naar).sum())
    assert 5 <= bridges <= 0.15 * len(ties)
    tied = set(ties["van"]) | set(ties["naar"])
    isolated = set(assoc.index) - tied
    assert 5 <= len(isolated) <= 25
    assert (~assoc["actief"]).sum() >= 1
    assert assoc.geometry.notna().all()


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
    counts = table[(table["niveau"] == "buurt") & (table["indicator"] == survey.RESPONSE_COUNT_KEY)]
    assert (counts["waarde"] < 30).sum() >= 4
    # the designed change: cohesion fell in the wijk that lost its buurthuis and rose in the new-build wijk
    wijk = table[(table["niveau"] == "wijk") & (table["indicator"] == "cohesie_score")].pivot_table(
        index="gebiedscode", columns="jaar", values="waarde")
    assert wijk.loc[demo.GAP_WIJK_NO_MEETING, 2025] < wijk.loc[demo.GAP_WIJK_NO_MEETING, 2023] - 0.3
    assert wijk.loc["WK999906", 2025] > wijk.loc["WK999906", 2023] + 0.3
    # and the village is the most cohesive wijk
    assert wijk[2025].idxmax() == "WK999909"


def test_every_demo_file_loads_without_errors_or_warnings(ds):
    assert set(ds.sources) == {"buurten", "wijken", "verenigingen", "banden", "enquete", "codeboek", "digitaal",
                               "voorzieningen:voorzieningen.geojson", "voorzieningen:scholen.csv",
                               "voorzieningen:zorg.csv", "voorzieningen:parken.geojson", "enquete_gebied:monitor.csv"}
    assert not ds.findings.has_errors(), ds.findings.lines()
    assert not ds.findings.warnings, ds.findings.lines()
    assert len(ds.area_survey) > 0 and set(ds.area_survey["indicator"]) == {"veilig_pct"}


def test_templates_load_and_explain_every_file():
    findings = Findings()
    loaded = dataset.load_dataset(TEMPLATES_DIR, findings)
    assert not findings.has_errors() and not findings.warnings, findings.lines()
    assert len(loaded.buurten) == 2 and len(loaded.associations) == 3 and len(loaded.ties) == 3
    assert set(loaded.facilities["component"]) == {"ontmoeting", "zorg", "sport", "openbare_ruimte"}
    readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    for path in TEMPLATES_DIR.iterdir():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8")
            rows = list(csv.reader(text.splitlines(), delimiter=";" if ";" in text.splitlines()[0] else ","))
            assert 2 <= len(rows) - 1 <= 3, path.name
        if path.name != "README.md":
            assert path.name in readme, f"README.md explains {path.name}"


def test_rd_to_wgs84_matches_proj_within_two_metres():
    pyproj = pytest.importorskip("pyproj")
    x = np.array([155_000.0, 187_500.0, 120_700.0, 233_900.0])
    y = np.array([463_000.0, 522_500.0, 487_500.0, 582_000.0])
    lon, lat = demo.rd_to_wgs84(x, y)
    # Amersfoort, the RD origin: by definition 52.15517 N, 5.387206 E (to the polynomial's precision)
    assert abs(lat[0] - 52.15517) < 1e-5 and abs(lon[0] - 5.387206) < 1e-5
    back = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    bx, by = back.transform(lon, lat)
    assert np.hypot(bx - x, by - y).max() < 2.0
