"""Tests for analysis.load.facilities on the real Zwolle schools and care files and on small fixtures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box, shape

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import areas, facilities
from analysis.model import CRS_RD, FACILITY_COLUMNS
from tests.paths import ZWOLLE

#: RD New origin: RD (155000, 463000) is WGS84 (5.38720621 E, 52.15517440 N).
ORIGIN_LON, ORIGIN_LAT = 5.38720621, 52.15517440
ORIGIN_X, ORIGIN_Y = 155_000.0, 463_000.0


@pytest.fixture(scope="module")
def zwolle_buurten() -> gpd.GeoDataFrame:
    return areas.read_buurten(ZWOLLE / "zwolle_buurten_2015.geojson", Findings())


@pytest.fixture(scope="module")
def raw_zwolle_buurten() -> dict:
    """Buurt polygons straight from the file in WGS84, independent of the loader."""
    doc = json.loads((ZWOLLE / "zwolle_buurten_2015.geojson").read_text())
    return {feat["properties"]["BU_CODE"]: shape(feat["geometry"]) for feat in doc["features"]}


@pytest.fixture()
def buurten() -> gpd.GeoDataFrame:
    """Two 1 km buurten side by side; the RD origin lies in the first, 500 m from its edges."""
    return gpd.GeoDataFrame({
        "gebiedscode": ["BU09990101", "BU09990201"],
        "wijkcode": ["WK099901", "WK099902"],
    }, geometry=[box(154_500, 462_500, 155_500, 463_500), box(155_500, 462_500, 156_500, 463_500)], crs=CRS_RD)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def raw_points(name: str) -> list[dict]:
    doc = json.loads((ZWOLLE / name).read_text())
    return [feat for feat in doc["features"]]


# ------------------------------------------------------------------------------------------
# real Zwolle files
# ------------------------------------------------------------------------------------------

def test_zwolle_schools_load_as_onderwijs_in_the_right_buurten(zwolle_buurten, raw_zwolle_buurten):
    f = Findings()
    spec = {"bestand": "zwolle_scholen.geojson", "component": "onderwijs", "naamkolom": "VESTIGINGSNAAM",
            "soortkolom": "onderwijssoort"}
    schools = facilities.load_facilities(ZWOLLE / "zwolle_scholen.geojson", spec, zwolle_buurten, f, 2016)
    assert len(schools) == 73
    assert list(schools.columns) == [*FACILITY_COLUMNS, "geometry"]
    assert (schools["component"] == "onderwijs").all()
    assert (schools["jaar"] == 2016).all()
    assert schools["buurtcode"].notna().all()
    assert (schools["wijkcode"] == "WK" + schools["buurtcode"].str.slice(2, 8)).all()
    assert schools["soort"].notna().all()
    assert {"basisonderwijs", "voortgezet onderwijs"} <= set(schools["soort"])
    assert (schools["naam"] == "Basisschool Hilal").sum() == 1
    assert not f.warnings and not f.has_errors

    features = raw_points("zwolle_scholen.geojson")
    # every school agrees with the buurt code derived upstream
    assert schools["buurtcode"].tolist() == [feat["properties"]["bu_code_2015_afgeleid"] for feat in features]
    # and by hand for three schools: the raw WGS84 point lies in the raw buurt polygon
    by_name = schools.set_index("naam")
    for name, expected in (("Basisschool Hilal", "BU01933030"), ("De Wilgenburg", "BU01933110"),
                           ("Basisschool De Wingerd", "BU01935140")):
        feat = next(x for x in features if x["properties"]["VESTIGINGSNAAM"] == name)
        lon, lat = feat["geometry"]["coordinates"][:2]
        assert raw_zwolle_buurten[expected].contains(Point(lon, lat))
        assert by_name.loc[name, "buurtcode"] == expected


def test_zwolle_care_organisations_load_as_zorg(zwolle_buurten, raw_zwolle_buurten):
    f = Findings()
    care = facilities.load_facilities(ZWOLLE / "zwolle_zorginstellingen.geojson",
                                      {"component": "Zorg", "soortkolom": "zorgsoort"}, zwolle_buurten, f, 2014)
    assert len(care) == 22
    assert (care["component"] == "zorg").all()
    assert care.loc[0, "naam"] == "Woonzorg Combinatie Overijssel B,V,"  # the 'Naam' column, matched by meaning
    assert care.loc[0, "soort"] == "GGZ"
    features = raw_points("zwolle_zorginstellingen.geojson")
    assert care["buurtcode"].tolist() == [feat["properties"]["bu_code_2015_afgeleid"] for feat in features]
    lon, lat = features[0]["geometry"]["coordinates"][:2]
    assert raw_zwolle_buurten["BU01932200"].contains(Point(lon, lat))
    assert care.loc[0, "buurtcode"] == "BU01932200"
    assert care["id"].iloc[0] == "zwolle_zorginstellingen-1"  # no id column: file stem and feature number


# ------------------------------------------------------------------------------------------
# inputs: lat/lon, x/y, geometry
# ------------------------------------------------------------------------------------------

def test_lat_lon_table(tmp_path, buurten):
    text = f"naam;lat;lon\nBuurthuis;{str(ORIGIN_LAT).replace('.', ',')};{str(ORIGIN_LON).replace('.', ',')}\n"
    out = facilities.load_facilities(write(tmp_path / "o.csv", text), {"component": "ontmoeting"},
                                     buurten, Findings(), 2025)
    assert out.loc[0, "buurtcode"] == "BU09990101" and out.loc[0, "wijkcode"] == "WK099901"
    assert out.geometry.iloc[0].x == pytest.approx(ORIGIN_X, abs=1.0)
    assert out.loc[0, "id"] == "o-2"  # spreadsheet row 2


def test_rd_x_y_table(tmp_path, buurten):
    out = facilities.load_facilities(write(tmp_path / "s.csv", "naam,x,y\nSporthal,156000,463000\n"),
                                     {"component": "sport"}, buurten, Findings(), 2025)
    assert out.loc[0, "buurtcode"] == "BU09990201"
    assert (out.geometry.iloc[0].x, out.geometry.iloc[0].y) == (156000.0, 463000.0)


def test_laatst_gecontroleerd_is_kept_and_a_bad_date_is_named(tmp_path, buurten):
    text = ("naam,x,y,laatst_gecontroleerd\nSporthal,156000,463000,2024-11-03\nZwembad,156010,463000,15-1-2023\n"
            "Veld,156020,463000,gisteren\nBad,156030,463000,\n")
    f = Findings()
    out = facilities.load_facilities(write(tmp_path / "s.csv", text), {"component": "sport"}, buurten, f, 2025)
    dates = out["laatst_gecontroleerd"]
    assert [str(d.date()) for d in dates[:2]] == ["2024-11-03", "2023-01-15"] and dates[2:].isna().all()
    assert [(w.row, w.column) for w in f.warnings] == [(4, "laatst_gecontroleerd")]
    without = facilities.load_facilities(write(tmp_path / "t.csv", "naam,x,y\nSporthal,156000,463000\n"),
                                         {"component": "sport"}, buurten, Findings(), 2025)
    assert without["laatst_gecontroleerd"].isna().all() and list(without.columns) == [*FACILITY_COLUMNS, "geometry"]


def test_geometry_file_with_polygons_for_parks(tmp_path, buurten):
    park = box(155_600, 462_600, 156_400, 463_400)  # inside the second buurt
    square_in_both = box(155_000, 462_900, 155_600, 463_100)  # mostly in the first buurt
    frame = gpd.GeoDataFrame({"naam": ["Stadspark", "Plein"], "component": ["Openbare ruimte", "openbare_ruimte"]},
                             geometry=[park, square_in_both], crs=CRS_RD)
    path = tmp_path / "parken.gpkg"
    frame.to_file(path, driver="GPKG")
    out = facilities.load_facilities(path, {}, buurten, Findings(), 2025)
    assert out["component"].tolist() == ["openbare_ruimte", "openbare_ruimte"]
    assert out.geometry.iloc[0].geom_type == "Polygon"
    assert out.geometry.iloc[0].area == pytest.approx(800 * 800)
    assert out.loc[0, "buurtcode"] == "BU09990201"
    assert out.loc[1, "buurtcode"] in {"BU09990101", "BU09990201"}  # placed by a point inside it


# ------------------------------------------------------------------------------------------
# components
# ------------------------------------------------------------------------------------------

def test_componentkolom_with_unknown_key_names_file_row_column(tmp_path, buurten):
    text = ("naam;x;y;soort_voorziening\n"
            "Huisarts;155000;463000;zorg\n"
            "Kapper;155100;463000;kapsalon\n"
            "App;155200;463000;digitaal\n"
            "Leeg;155300;463000;\n"
            "Bieb;155400;463000;Cultuur\n")
    f = Findings()
    out = facilities.load_facilities(write(tmp_path / "mix.csv", text), {"componentkolom": "soort_voorziening"},
                                     buurten, f, 2025)
    assert out["naam"].tolist() == ["Huisarts", "Bieb"]
    assert out["component"].tolist() == ["zorg", "cultuur"]
    unknown = [x for x in f if "onbekende component" in x.problem]
    assert len(unknown) == 1
    assert (unknown[0].file, unknown[0].row, unknown[0].column) == ("mix.csv", 3, "soort_voorziening")
    assert "'kapsalon'" in unknown[0].problem and "ontmoeting" in unknown[0].fix
    text_line = str(unknown[0])
    assert text_line.startswith("[WAARSCHUWING] mix.csv, rij 3, kolom 'soort_voorziening': onbekende component")
    assert [x.row for x in f if "digitaal" in x.problem] == [4]
    assert [x.row for x in f if "leeg" in x.problem] == [5]


def test_missing_componentkolom_is_an_error(tmp_path, buurten):
    with pytest.raises(DatasetError) as err:
        facilities.load_facilities(write(tmp_path / "m.csv", "naam;x;y\nA;155000;463000\n"),
                                   {"componentkolom": "type"}, buurten, Findings(), 2025)
    finding = err.value.findings.items[0]
    assert finding.column == "type" and finding.file == "m.csv" and "componentkolom" in finding.problem


@pytest.mark.parametrize("component, words", [("kerk", "onbekende component 'kerk'"),
                                              ("digitaal", "geen plek")])
def test_manifest_component_must_be_a_place(tmp_path, buurten, component, words):
    with pytest.raises(DatasetError) as err:
        facilities.load_facilities(write(tmp_path / "k.csv", "naam;x;y\nA;155000;463000\n"),
                                   {"component": component}, buurten, Findings(), 2025)
    assert err.value.findings.items[0].file == "dataset.toml"
    assert words in str(err.value)


def test_no_component_at_all_is_an_error(tmp_path, buurten):
    with pytest.raises(DatasetError, match="geen component opgegeven"):
        facilities.load_facilities(write(tmp_path / "n.csv", "naam;x;y\nA;155000;463000\n"), {}, buurten,
                                   Findings(), 2025)


# ------------------------------------------------------------------------------------------
# outside the gemeente, years, numbers
# ------------------------------------------------------------------------------------------

def test_points_outside_the_gemeente(tmp_path, buurten):
    text = ("naam;x;y\n"
            "Binnen;155000;463000\n"
            "Net buiten;157500;463000\n"       # 1 km east of the last buurt
            "Ver weg;175000;463000\n")         # 18.5 km east
    f = Findings()
    out = facilities.load_facilities(write(tmp_path / "rand.csv", text), {"component": "zorg"}, buurten, f, 2025)
    assert len(out) == 3  # all kept: they count for residents near the border
    assert out["buurtcode"].isna().tolist() == [False, True, True]
    far = [x for x in f.warnings if "ver buiten de gemeente" in x.problem]
    assert [x.row for x in far] == [4]
    assert "18.5 km" in far[0].problem
    assert any(x.level == "info" and "1 voorziening ligt buiten de gemeente" in x.problem for x in f)


def test_jaar_column_is_parsed(tmp_path, buurten):
    text = ("naam;x;y;jaar\n"
            "A;155000;463000;2023\n"
            "B;155000;463000;\n"
            "C;155000;463000;twintig\n"
            "D;155000;463000;2024,0\n")
    f = Findings()
    out = facilities.load_facilities(write(tmp_path / "j.csv", text), {"component": "sport"}, buurten, f, 2025)
    assert out["jaar"].tolist() == [2023, 2025, 2025, 2024]
    assert str(out["jaar"].dtype) == "int64"
    bad = [x for x in f.warnings if x.column == "jaar"]
    assert [x.row for x in bad] == [4] and "'twintig' is geen geldig jaar" in bad[0].problem


def test_manifest_year_for_a_file_without_jaar(tmp_path, buurten):
    out = facilities.load_facilities(write(tmp_path / "oud.csv", "naam;x;y\nA;155000;463000\n"),
                                     {"component": "sport", "jaar": 2019}, buurten, Findings(), 2025)
    assert out["jaar"].tolist() == [2019]


def test_capacity_occupancy_and_duplicate_ids(tmp_path, buurten):
    text = ("id;naam;x;y;capaciteit;bezetting_pct\n"
            "1;A;155000;463000;120;85%\n"
            "1;B;155000;463000;-4;0,8\n"
            "3;C;155000;463000;;130\n")
    f = Findings()
    out = facilities.load_facilities(write(tmp_path / "c.csv", text), {"component": "ontmoeting"}, buurten, f, 2025)
    assert out["capaciteit"].iloc[0] == 120 and math.isnan(out["capaciteit"].iloc[1])
    assert out["bezetting_pct"].tolist() == [85.0, 0.8, 130.0]
    assert [x.row for x in f.warnings if x.column == "capaciteit"] == [3]
    assert [x.row for x in f.warnings if "meer dan 100%" in x.problem] == [4]
    assert sorted(x.row for x in f.warnings if "komt vaker voor" in x.problem) == [2, 3]


def test_without_areas_nothing_is_located(tmp_path):
    empty = gpd.GeoDataFrame({"gebiedscode": [], "wijkcode": []}, geometry=[], crs=CRS_RD)
    out = facilities.load_facilities(write(tmp_path / "z.csv", "naam;x;y\nA;155000;463000\n"),
                                     {"component": "zorg"}, empty, Findings(), 2025)
    assert len(out) == 1 and pd.isna(out.loc[0, "buurtcode"])


def test_component_counts():
    frame = pd.DataFrame({"component": ["zorg", "zorg", "sport"]})
    counts = facilities.component_counts(frame)
    assert counts["zorg"] == 2 and counts["sport"] == 1 and counts["cultuur"] == 0
    assert "digitaal" not in counts and len(counts) == 7


def test_numeric_ids_from_a_geo_file_are_plain_text(tmp_path, buurten):
    frame = gpd.GeoDataFrame({"id": [12.0, 13.0], "naam": ["A", "B"]},
                             geometry=[Point(155_000, 463_000), Point(155_100, 463_000)], crs=CRS_RD)
    path = tmp_path / "ids.gpkg"
    frame.to_file(path, driver="GPKG")
    out = facilities.load_facilities(path, {"component": "sport"}, buurten, Findings(), 2025)
    assert out["id"].tolist() == ["12", "13"]


# ----------------------------------------------------------------------------------------------
# names of 100,000 characters
# ----------------------------------------------------------------------------------------------

LONG = "Buurthuis " + "x" * 100_000


def test_shorten_names_cuts_and_names_each_row():
    from analysis.load.facilities import MAX_NAME_CHARS, shorten_names

    f = Findings()
    names = pd.Series(["Kort", LONG, None, "y" * MAX_NAME_CHARS], index=[0, 1, 2, 3], dtype="str")
    out = shorten_names(names, f, "v.csv", "naam")
    assert out[0] == "Kort" and pd.isna(out[2]) and out[3] == names[3]  # exactly the limit stays whole
    assert len(out[1]) == MAX_NAME_CHARS and out[1].endswith("…") and out[1].startswith("Buurthuis x")
    (warning,) = f.warnings
    assert (warning.file, warning.row, warning.column) == ("v.csv", 3, "naam")  # label 1 = spreadsheet row 3
    assert "100.010 tekens" in warning.problem and "ingekort" in warning.problem


def test_long_names_are_shortened_in_every_source_at_load(tmp_path):
    """Facilities, associations, buurten (via the dataset) and initiatives: each cut with a warning naming the row."""
    from analysis.load import informal
    from analysis.load.dataset import load_dataset
    from analysis.load.facilities import MAX_NAME_CHARS
    from tests.broken_cases import buurten_geojson

    geo = buurten_geojson()
    geo["features"][1]["properties"]["BU_NAAM"] = LONG
    (tmp_path / "buurten.geojson").write_text(json.dumps(geo), encoding="utf-8")
    (tmp_path / "plekken.csv").write_text(f"naam,x,y\nBuurthuis,180500,520500\n{LONG},181500,520500\n", encoding="utf-8")
    (tmp_path / "clubs.csv").write_text(f"id,naam,buurtcode\nV1,{LONG},BU99990101\nV2,Koor,BU99990102\n",
                                        encoding="utf-8")
    (tmp_path / "dataset.toml").write_text(
        '[dataset]\nnaam = "Lang"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\nverenigingen = "clubs.csv"\n'
        '[[voorzieningen]]\nbestand = "plekken.csv"\ncomponent = "ontmoeting"\n', encoding="utf-8")
    f = Findings()
    ds = load_dataset(tmp_path, f)
    assert not f.has_errors
    cut = {(w.file, w.row, w.column) for w in f.warnings if "ingekort" in w.problem}
    assert {("buurten.geojson", 2, "BU_NAAM"), ("plekken.csv", 3, "naam"), ("clubs.csv", 2, "naam")} <= cut
    longest = max(ds.buurten["gebiedsnaam"].str.len().max(), ds.facilities["naam"].str.len().max(),
                  ds.associations["naam"].str.len().max())
    assert longest == MAX_NAME_CHARS
    (tmp_path / "initiatieven.csv").write_text(f"naam,soort,buurtcode\n{LONG},buurtgroep,BU99990101\n", encoding="utf-8")
    g = Findings()
    found = informal.load_initiatives(tmp_path / "initiatieven.csv", ds.buurten, g, default_year=2025)
    assert found["naam"].str.len().max() == MAX_NAME_CHARS
    assert [(w.row, w.column) for w in g.warnings if "ingekort" in w.problem] == [(2, "naam")]
