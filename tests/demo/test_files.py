"""Tests of the demo's files (analysis.demo.files): byte-identical regeneration, the manifest, loading."""

from __future__ import annotations

import json
import tomllib

import numpy as np

from analysis.components import FACILITY_COMPONENT_KEYS
from analysis.demo import demo_files, write_demo
from analysis.demo.municipality import DEMO_DIR


def test_regenerating_the_demo_is_byte_identical(tmp_path, same_tree):
    same_tree(write_demo(tmp_path / "demo"), DEMO_DIR)


def test_another_seed_gives_another_municipality():
    other = demo_files(7)
    assert other["dataset.toml"].encode() == (DEMO_DIR / "dataset.toml").read_bytes()
    for name in ("buurten.geojson", "enquete.csv", "banden.csv"):
        assert other[name].encode() != (DEMO_DIR / name).read_bytes()


def test_manifest_marks_the_demo_fictional(ds):
    manifest = tomllib.loads((DEMO_DIR / "dataset.toml").read_text(encoding="utf-8"))
    assert manifest["dataset"]["fictief"] is True
    assert manifest["dataset"]["jaar"] == 2025
    assert manifest["dataset"]["gemeente"] == "GM9999"
    assert ds.is_demo and ds.name == "Voorbeeldstad (fictief)" and ds.gemeente_code == "GM9999"
    assert ds.years() == [2023, 2024, 2025]  # the survey has a middle year
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
    assert (ties_per_year >= 500).all() and sorted(ties_per_year.index) == [2023, 2024, 2025]  # a snapshot a year
    per_year = ds.respondents.groupby("jaar").size()
    assert sorted(per_year.index) == [2023, 2024, 2025]  # the survey has a middle year (issue 12)
    assert 3_500 <= per_year[2023] + per_year[2025] <= 4_500 and 1_500 <= per_year[2024] <= 2_250
    # all seven place components in the facilities, the eighth (digitaal) in platform usage
    assert set(FACILITY_COMPONENT_KEYS) <= set(ds.facilities["component"])
    assert "verenigingen" in set(ds.facilities["component"])
    assert len(ds.digital) > 0 and sorted(ds.digital["jaar"].unique()) == [2023, 2024, 2025]
    # the sociale kaart of every measurement year; the safety monitor is biennial (as the CBS's)
    for frame in (ds.facilities, ds.associations):
        assert sorted(frame["jaar"].unique()) == [2023, 2024, 2025]
    assert sorted(ds.area_survey["jaar"].unique()) == [2023, 2025]
    parks = ds.facilities[ds.facilities["soort"] == "park"]
    assert len(parks) >= 5 and set(parks.geom_type) == {"Polygon"}


def test_every_demo_file_loads_without_errors_or_warnings(ds):
    assert set(ds.sources) == {"buurten", "wijken", "verenigingen", "banden", "enquete", "codeboek", "digitaal",
                               "voorzieningen:voorzieningen.geojson", "voorzieningen:scholen.csv",
                               "voorzieningen:zorg.csv", "voorzieningen:parken.geojson", "enquete_gebied:monitor.csv",
                               "adressen", "wegen", "initiatieven", "notities", "plan", "maatregelen"}
    assert not ds.findings.errors, ds.findings.lines()
    assert not ds.findings.warnings, ds.findings.lines()
    assert len(ds.area_survey) > 0 and set(ds.area_survey["indicator"]) == {"veilig_pct"}
