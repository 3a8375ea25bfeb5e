"""Tests for analysis.load.files: Dutch spreadsheets, CBS missing codes, CRS recognition, row numbering."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import files as wio
from tests.paths import ZWOLLE

#: The RD New origin near Amersfoort: RD (155000, 463000) is WGS84 (5.38720621 E, 52.15517440 N).
AMERSFOORT_LON, AMERSFOORT_LAT = 5.38720621, 52.15517440
AMERSFOORT_X, AMERSFOORT_Y = 155_000.0, 463_000.0


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def geojson(path: Path, coords: list[tuple[float, float]], crs_name: str | None = None) -> Path:
    doc = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": {"naam": f"p{i}"},
                         "geometry": {"type": "Point", "coordinates": list(c)}} for i, c in enumerate(coords)]}
    if crs_name:
        doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs_name}},
               "features": doc["features"]}
    path.write_text(json.dumps(doc))
    return path


# ------------------------------------------------------------------------------------------
# tables
# ------------------------------------------------------------------------------------------

def test_semicolon_separator_and_decimal_commas(tmp_path):
    f = Findings()
    table = wio.read_table(write(tmp_path / "a.csv", "naam;waarde;code\nA;1,5;0193\nB;1.234,5;0012\nC;7;0001\n"), f)
    assert list(table.columns) == ["naam", "waarde", "code"]
    assert table["code"].tolist() == ["0193", "0012", "0001"]  # leading zeros kept: read as text
    values = wio.to_number(table["waarde"])
    assert values.tolist() == [1.5, 1234.5, 7.0]
    assert not f.has_errors


def test_comma_separator_and_english_decimals(tmp_path):
    table = wio.read_table(write(tmp_path / "b.csv", "naam,waarde\nA,2.5\nB,\"1,234.5\"\n"), Findings())
    assert table["naam"].tolist() == ["A", "B"]
    assert wio.to_number(table["waarde"]).tolist() == [2.5, 1234.5]


def test_tab_separator(tmp_path):
    table = wio.read_table(write(tmp_path / "c.txt", "naam\twaarde\nA\t3\n"), Findings())
    assert table.loc[0, "waarde"] == "3"


def test_utf8_bom_is_stripped_from_first_header(tmp_path):
    f = Findings()
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffnaam;plaats\nCafé;Zwolle\n".encode("utf-8"))
    table = wio.read_table(path, f)
    assert list(table.columns) == ["naam", "plaats"]
    assert table.loc[0, "naam"] == "Café"
    assert len(f) == 0  # UTF-8 needs no message


def test_cp1252_is_read_and_reported(tmp_path):
    f = Findings()
    table = wio.read_table(write(tmp_path / "win.csv", "naam;plaats\nCafé ’t Hoekje;Zwolle\n", "cp1252"), f)
    assert table.loc[0, "naam"] == "Café ’t Hoekje"
    assert len(f) == 1 and f.items[0].level == "info"
    assert "Windows-1252" in str(f.items[0]) and "win.csv" in str(f.items[0])


def test_xlsx_with_numbers_text_blank_rows_and_na_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["naam", "waarde", "code"])
    ws.append(["A", 12.5, "0193"])
    ws.append([None, None, None])  # blank spreadsheet row 3
    ws.append(["NA", "1,5", None])  # 'NA' is a name here, not a missing value
    ws.append(["C", "geen", 7])
    path = tmp_path / "tabel.xlsx"
    wb.save(path)
    f = Findings()
    table = wio.read_table(path, f)
    assert table["naam"].tolist() == ["A", "NA", "C"]
    assert table["code"].tolist()[0] == "0193"
    values = wio.to_number(table["waarde"], f, "tabel.xlsx", "waarde")
    assert values.tolist()[:2] == [12.5, 1.5] and math.isnan(values.tolist()[2])
    # 'geen' is on spreadsheet row 5 (header 1, A 2, blank 3, NA 4, C 5)
    assert [(x.row, x.column) for x in f.warnings] == [(5, "waarde")]
    assert "'geen' is geen getal" in str(f.warnings[0])


def test_cbs_missing_codes_become_nan():
    raw = pd.Series(["-99999999", "-99997", "12", "-5", "", "-99.999.999"])
    out = wio.to_number(raw)
    assert math.isnan(out[0]) and math.isnan(out[1]) and math.isnan(out[4]) and math.isnan(out[5])
    assert out[2] == 12.0 and out[3] == -5.0  # ordinary negatives stay
    numeric = wio.to_number(pd.Series([-99999999, -99997, 3]))
    assert numeric.isna().tolist() == [True, True, False]
    kept = wio.to_number(pd.Series(["-99999999"]), cbs_missing=False)
    assert kept[0] == -99999999.0


def test_cbs_missing_codes_in_real_zwolle_file():
    f = Findings()
    frame = wio.read_geo(ZWOLLE / "zwolle_buurten_2015.geojson", f)
    raw = frame["AUTO_HH"]
    assert (raw == -99999999).sum() == 15  # SOURCE.md: 15 buurten carry a CBS missing code
    parsed = wio.to_number(raw)
    assert parsed.isna().sum() == 15
    assert parsed.min() >= 0


def test_user_row_numbering_with_blank_lines(tmp_path):
    f = Findings()
    text = "naam;waarde\nA;1\n\nB;twee\n;\nC;3\n"
    table = wio.read_table(write(tmp_path / "rijen.csv", text), f)
    assert table["naam"].tolist() == ["A", "B", "C"]
    wio.to_number(table["waarde"], f, "rijen.csv", "waarde")
    # header = row 1, A = 2, blank = 3, B = 4, ';' = 5, C = 6
    assert [w.row for w in f.warnings] == [4]
    assert wio.user_row(table.index[table["naam"] == "C"][0]) == 6
    assert wio.user_row(0) == 2 and wio.user_row(0, "geo") == 1


def test_report_rows_summarises_after_the_limit():
    f = Findings()
    wio.report_rows(f, "waarschuwing", "x.csv", range(wio.MAX_FINDINGS_PER_KIND + 5), "k", "fout", "fix")
    assert len(f) == wio.MAX_FINDINGS_PER_KIND + 1
    assert f.items[0].row == 2
    assert "nog 5 rijen" in str(f.items[-1])


@pytest.mark.parametrize("content, words", [
    ("", "leeg"),
    ("naam;waarde\n", "geen rijen"),
    ("naam;naam\n1;2\n", "twee keer"),
])
def test_unusable_tables_raise_dutch_errors(tmp_path, content, words):
    path = tmp_path / "kapot.csv"
    path.write_text(content)
    with pytest.raises(DatasetError) as err:
        wio.read_table(path, Findings())
    assert words in str(err.value) and "kapot.csv" in str(err.value)


def test_missing_file_raises(tmp_path):
    with pytest.raises(DatasetError, match="bestaat niet"):
        wio.read_table(tmp_path / "weg.csv", Findings())


def test_find_column_matches_by_meaning():
    table = pd.DataFrame(columns=["Aant Inw", "BU-CODE", "Breedtegraad"])
    assert wio.find_column(table, ("AANT_INW",)) == "Aant Inw"
    assert wio.find_column(table, ("buurtcode", "BU_CODE")) == "BU-CODE"
    assert wio.match_columns(table, wio.COORDINATE_ALIASES) == {"lat": "Breedtegraad"}


# ------------------------------------------------------------------------------------------
# coordinates and CRS
# ------------------------------------------------------------------------------------------

def test_geojson_without_crs_in_rd_is_recognised(tmp_path):
    f = Findings()
    frame = wio.read_geo(geojson(tmp_path / "rd.geojson", [(203000.0, 503000.0), (204000.0, 504000.0)]), f)
    assert frame.crs.to_epsg() == 28992
    assert frame.geometry.iloc[0].x == pytest.approx(203000.0)
    assert frame.geometry.iloc[1].y == pytest.approx(504000.0)
    assert [x.level for x in f] == ["info"]
    assert "RD New (EPSG:28992)" in str(f.items[0]) and "geen coördinatenstelsel" in str(f.items[0])


def test_geojson_without_crs_in_wgs84_is_recognised_and_projected(tmp_path):
    f = Findings()
    frame = wio.read_geo(geojson(tmp_path / "wgs.geojson", [(AMERSFOORT_LON, AMERSFOORT_LAT)]), f)
    assert frame.crs.to_epsg() == 28992
    assert frame.geometry.iloc[0].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert frame.geometry.iloc[0].y == pytest.approx(AMERSFOORT_Y, abs=1.0)
    assert len(f) == 1 and "WGS84" in str(f.items[0]) and "herkend" in str(f.items[0])


def test_geojson_claiming_wgs84_with_rd_metres(tmp_path):
    f = Findings()
    path = geojson(tmp_path / "cbs.geojson", [(155000.0, 463000.0)], "urn:ogc:def:crs:OGC:1.3:CRS84")
    frame = wio.read_geo(path, f)
    assert frame.geometry.iloc[0].x == pytest.approx(155000.0)
    assert "RD New-meters" in str(f.items[0])


def test_geojson_outside_netherlands_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="niet herkend"):
        wio.read_geo(geojson(tmp_path / "parijs.geojson", [(2.35, 48.85)]), Findings())


def test_csv_lat_lon_with_decimal_commas(tmp_path):
    f = Findings()
    path = write(tmp_path / "p.csv", f'naam;lat;lon\nA;{str(AMERSFOORT_LAT).replace(".", ",")};'
                                     f'{str(AMERSFOORT_LON).replace(".", ",")}\n')
    frame = wio.read_geo(path, f)
    assert frame.geometry.iloc[0].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert frame.geometry.iloc[0].y == pytest.approx(AMERSFOORT_Y, abs=1.0)
    assert len(f) == 0


def test_csv_rd_x_y(tmp_path):
    frame = wio.read_geo(write(tmp_path / "rd.csv", "naam,x,y\nA,155000,463000\n"), Findings())
    assert (frame.geometry.iloc[0].x, frame.geometry.iloc[0].y) == (155000.0, 463000.0)


def test_swapped_lat_lon_is_detected(tmp_path):
    f = Findings()
    text = f"naam;lat;lon\nA;{AMERSFOORT_LON};{AMERSFOORT_LAT}\nB;6,09;52,51\n"
    frame = wio.read_geo(write(tmp_path / "swap.csv", text), f)
    assert frame.geometry.iloc[0].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert frame.geometry.iloc[0].y == pytest.approx(AMERSFOORT_Y, abs=1.0)
    assert len(f.warnings) == 1 and "verwisseld" in str(f.warnings[0])


def test_one_swapped_row_is_reported_with_its_row(tmp_path):
    f = Findings()
    text = f"naam;lat;lon\nA;{AMERSFOORT_LAT};{AMERSFOORT_LON}\nB;{AMERSFOORT_LON};{AMERSFOORT_LAT}\n"
    frame = wio.read_geo(write(tmp_path / "swap1.csv", text), f)
    assert frame.geometry.iloc[1].distance(frame.geometry.iloc[0]) < 0.01
    assert [(w.row, w.column) for w in f.warnings] == [(3, "lon")]
    assert "verwisseld" in str(f.warnings[0])


def test_rd_numbers_in_lat_lon_columns(tmp_path):
    f = Findings()
    frame = wio.read_geo(write(tmp_path / "rdll.csv", "naam;lat;lon\nA;463000;155000\n"), f)
    assert (frame.geometry.iloc[0].x, frame.geometry.iloc[0].y) == (155000.0, 463000.0)
    assert any("RD New-meters" in str(x) for x in f)


def test_bad_and_missing_coordinates_skip_only_their_rows(tmp_path):
    f = Findings()
    text = f"naam;lat;lon\nA;{AMERSFOORT_LAT};{AMERSFOORT_LON}\nB;0;0\nC;;\n"
    frame = wio.read_geo(write(tmp_path / "deels.csv", text), f)
    assert frame.geometry.iloc[0] is not None
    assert frame.geometry.iloc[1] is None and frame.geometry.iloc[2] is None
    rows = sorted(w.row for w in f.warnings)
    assert rows == [3, 4]
    assert any("niet in Nederland" in str(w) and w.row == 3 for w in f.warnings)
    assert any("ontbreken" in str(w) and w.row == 4 for w in f.warnings)


def test_no_coordinates_at_all_in_the_netherlands_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="niet in Nederland"):
        wio.read_geo(write(tmp_path / "ver.csv", "naam;lat;lon\nA;48,85;2,35\n"), Findings())


def test_table_without_location_columns_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="geen kolommen met een locatie"):
        wio.read_geo(write(tmp_path / "geen.csv", "naam;adres\nA;Straat 1\n"), Findings())


def test_real_zwolle_geojson_is_projected_to_rd():
    f = Findings()
    frame = wio.read_geo(ZWOLLE / "zwolle_scholen.geojson", f)
    assert frame.crs.to_epsg() == 28992
    minx, miny, maxx, maxy = frame.total_bounds
    # Zwolle lies around RD x 195-212 km, y 497-510 km
    assert 190_000 < minx < maxx < 215_000 and 495_000 < miny < maxy < 512_000
    assert wio.row_kind(frame) == "geo"
    assert np.isfinite(frame.total_bounds).all()


def test_one_misplaced_feature_does_not_sink_a_geojson(tmp_path):
    f = Findings()
    coords = [(AMERSFOORT_LON, AMERSFOORT_LAT), (6.09, 52.51), (0.0, 0.0)]
    frame = wio.read_geo(geojson(tmp_path / "uitschieter.geojson", coords), f)
    assert frame.geometry.iloc[0].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert [(w.row, w.level) for w in f.warnings] == [(3, "waarschuwing")]  # feature number 3
    assert "niet in Nederland" in f.warnings[0].problem
    assert any("WGS84" in x.problem for x in f if x.level == "info")


def test_geopackage_declared_rd_with_degrees_is_corrected(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "fout.gpkg"
    gpd.GeoDataFrame({"naam": ["a"]}, geometry=[Point(AMERSFOORT_LON, AMERSFOORT_LAT)],
                     crs="EPSG:28992").to_file(path, driver="GPKG")
    f = Findings()
    frame = wio.read_geo(path, f)
    assert frame.geometry.iloc[0].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert "lengte/breedte (EPSG:4326)" in f.items[0].problem


def test_zipped_shapefile_without_prj_is_recognised_as_rd(tmp_path):
    import zipfile

    import geopandas as gpd
    from shapely.geometry import Point

    shp = tmp_path / "shape" / "punten.shp"
    shp.parent.mkdir()
    gpd.GeoDataFrame({"naam": ["a"]}, geometry=[Point(155000, 463000)], crs="EPSG:28992").to_file(shp)
    archive = tmp_path / "punten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.iterdir():
            if part.suffix != ".prj":
                zf.write(part, part.name)
    f = Findings()
    frame = wio.read_geo(archive, f)
    assert (frame.geometry.iloc[0].x, frame.geometry.iloc[0].y) == (155000.0, 463000.0)
    assert frame.loc[0, "naam"] == "a"
    assert "RD New (EPSG:28992)" in f.items[0].problem


def test_zip_without_shapefile_is_refused(tmp_path):
    import zipfile

    archive = tmp_path / "leeg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("lees.txt", "niets")
    with pytest.raises(DatasetError, match="geen Shapefile"):
        wio.read_geo(archive, Findings())


def test_old_xls_or_broken_xlsx_gets_a_dutch_message(tmp_path):
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"geen excel")
    with pytest.raises(DatasetError) as err:
        wio.read_table(broken, Findings())
    assert "kapot.xlsx" in str(err.value) and "niet te lezen als tabel" in str(err.value)
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 geen echte inhoud")
    with pytest.raises(DatasetError) as err:
        wio.read_table(old, Findings())
    assert "oud.xls" in str(err.value) and "Traceback" not in str(err.value)


def test_mixed_systems_report_the_minority_rows(tmp_path):
    f = Findings()
    text = ("naam;x;y\n"
            "A;155000;463000\n"
            "B;156000;463000\n"
            f"C;{AMERSFOORT_LON};{AMERSFOORT_LAT}\n")
    frame = wio.read_geo(write(tmp_path / "mix.csv", text), f)
    assert frame.geometry.iloc[2].x == pytest.approx(AMERSFOORT_X, abs=1.0)
    assert [(w.row, w.column) for w in f.warnings] == [(4, "x")]
    assert "lengte/breedte" in f.warnings[0].problem


def test_nan_and_inf_are_never_numbers():
    f = Findings()
    text = wio.to_number(pd.Series(["12", "inf", "NaN", "-Infinity", "2,5"]), f, "x.csv", "inwoners")
    assert text.tolist()[0] == 12 and text.tolist()[4] == 2.5 and text.iloc[1:4].isna().all()
    assert [x.row for x in f.warnings] == [3, 4, 5]
    assert "'inf' is geen getal" in f.warnings[0].problem
    f = Findings()
    numeric = wio.to_number(pd.Series([1.0, float("inf"), float("-inf")]), f, "x.gpkg", "inwoners", "geo")
    assert numeric.tolist()[0] == 1.0 and numeric.iloc[1:].isna().all()
    assert [x.row for x in f.warnings] == [2, 3] and "geen eindig getal" in f.warnings[0].problem


def test_control_characters_in_a_geo_file_are_stripped(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"naam": "School\u0007 A"},
         "geometry": {"type": "Point", "coordinates": [AMERSFOORT_LON, AMERSFOORT_LAT]}}]}), encoding="utf-8")
    f = Findings()
    frame = wio.read_geo(path, f)
    assert frame["naam"].tolist() == ["School A"]
    assert [(x.row, x.column) for x in f.warnings] == [(1, "naam")]
