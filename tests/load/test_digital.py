"""Tests for analysis.load.digital: platform usage per area."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import digital
from analysis.model import CRS_RD, DIGITAL_COLUMNS


@pytest.fixture()
def small_areas():
    buurten = gpd.GeoDataFrame({"gebiedscode": ["BU09990101", "BU09990102"]},
                               geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=CRS_RD)
    wijken = gpd.GeoDataFrame({"gebiedscode": ["WK099901"]}, geometry=[box(0, 0, 2, 1)], crs=CRS_RD)
    gemeente = gpd.GeoDataFrame({"gebiedscode": ["GM0999"]}, geometry=[box(0, 0, 2, 1)], crs=CRS_RD)
    return buurten, wijken, gemeente


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_digital_usage_per_area(tmp_path, small_areas):
    text = ("gebiedscode;platform;actieve_gebruikers;jaar\n"
            "BU09990101;Buurt-app;120;2025\n"
            "bu09990102;Buurt-app;1.250,0;\n"
            "WK099901;Participatieplatform;300;2023\n"
            "GM0999;Participatieplatform;2000;2023\n")
    f = Findings()
    out = digital.load_digital(write(tmp_path / "digitaal.csv", text), small_areas, f, 2025)
    assert list(out.columns) == list(DIGITAL_COLUMNS)
    assert out["gebiedscode"].tolist() == ["BU09990101", "BU09990102", "WK099901", "GM0999"]
    assert out["niveau"].tolist() == ["buurt", "buurt", "wijk", "gemeente"]
    assert out["actieve_gebruikers"].tolist() == [120.0, 1250.0, 300.0, 2000.0]
    assert out["jaar"].tolist() == [2025, 2025, 2023, 2023]
    assert out["platform"].tolist()[0] == "Buurt-app"
    assert len(f) == 0


def test_unknown_area_codes_are_reported_with_rows(tmp_path, small_areas):
    text = ("gebiedscode,platform,actieve_gebruikers\n"
            "BU09990101,app,10\n"
            "BU01930000,app,10\n"
            "Centrum,app,10\n"
            ",app,10\n"
            "BU09990102,app,-5\n"
            "BU09990102,app,veel\n"
            "BU09990101,app,12\n")
    f = Findings()
    out = digital.load_digital(write(tmp_path / "d.csv", text), small_areas, f, 2025)
    assert out[["gebiedscode", "actieve_gebruikers"]].values.tolist() == [["BU09990101", 10.0]]
    by_row = {x.row: (x.column, x.problem) for x in f.warnings}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert by_row[3] == ("gebiedscode", "gebiedscode 'BU01930000' staat niet in de buurten of wijken van deze "
                                        "dataset; de rij wordt overgeslagen")
    assert "geen buurt-, wijk- of gemeentecode" in by_row[4][1]
    assert "leeg" in by_row[5][1]
    assert by_row[6][0] == "actieve_gebruikers" and "negatief" in by_row[6][1]
    assert "'veel' is geen getal" in by_row[7][1]
    assert "komt vaker voor" in by_row[8][1]


def test_without_platform_column_one_platform(tmp_path, small_areas):
    f = Findings()
    out = digital.load_digital(write(tmp_path / "p.csv", "gebiedscode;gebruikers\nBU09990101;3\n"), small_areas,
                               f, 2025)
    assert out["platform"].tolist() == ["onbekend"]
    assert [x.column for x in f.warnings] == ["platform"]


@pytest.mark.parametrize("header, column", [("platform;actieve_gebruikers", "gebiedscode"),
                                            ("gebiedscode;platform", "actieve_gebruikers")])
def test_required_columns(tmp_path, small_areas, header, column):
    with pytest.raises(DatasetError) as err:
        digital.load_digital(write(tmp_path / "r.csv", f"{header}\nx;y\n"), small_areas, Findings(), 2025)
    finding = err.value.findings.items[0]
    assert (finding.file, finding.row, finding.column) == ("r.csv", 1, column)


def test_helpers():
    codes = pd.Series(["BU09990101", "WK099901", "GM0999", "XX1", None], dtype="str")
    levels = digital.area_levels(codes)
    assert levels.tolist()[:3] == ["buurt", "wijk", "gemeente"]
    assert levels.isna().tolist()[3:] == [True, True]
    assert digital.known_area_codes(None) is None
    empty = gpd.GeoDataFrame({"gebiedscode": []}, geometry=[], crs=CRS_RD)
    assert digital.known_area_codes((empty,)) is None


def test_parent_codes_of_the_buurten_are_known():
    buurten = gpd.GeoDataFrame({"gebiedscode": ["BU09990101"], "wijkcode": ["WK099901"], "gemeentecode": ["GM0999"]},
                               geometry=[box(0, 0, 1, 1)], crs=CRS_RD)
    known = digital.known_area_codes((buurten,))
    assert sorted(known) == ["BU09990101", "GM0999", "WK099901"]
