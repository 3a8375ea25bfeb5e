"""Tests for analysis.load.detect: every kind recognised on real files, and why; bad files get a Dutch finding."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from analysis.load.detect import KIND_LABELS, area_code_column, detect_file, detect_files, year_from_name
from tests.paths import ZWOLLE, shared_file

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.mark.parametrize(("name", "kind", "rows", "why"), [
    ("zwolle_buurten_2015.geojson", "buurten", 78, "BU_CODE"),
    ("zwolle_wijken_2015.geojson", "wijken", 16, "WK_CODE"),
    ("zwolle_wijken_2024.geojson", "wijken", 16, "wijkcode"),
    ("zwolle_scholen.geojson", "voorzieningen", 73, "VESTIGINGSNAAM"),
    ("zwolle_zorginstellingen.geojson", "voorzieningen", 22, "Naam"),
    ("zwolle_buurtmonitor_indicatoren.csv", "enquete_gebied", 78, "BU_CODE"),
    ("zwolle_buurtmonitor_variabelen.csv", "woordenboek", 236, "Onderwerpcode"),
    ("zwolle_buurtcijfers_2015_2024.csv", "kerncijfers", 702, "inwoners"),
    ("zwolle_bvb_ondersteuningsindex.csv", "enquete_gebied", 57, "BU_CODE"),
])
def test_zwolle_files_are_recognised_with_the_columns_that_say_so(name, kind, rows, why):
    found = detect_file(ZWOLLE / name)
    assert (found.kind, found.rows) == (kind, rows), found.why
    assert why in found.why and found.why.startswith(f"herkend als {kind}: ")
    assert not found.findings.has_errors


def test_geometry_and_year_of_areas():
    buurten = detect_file(ZWOLLE / "zwolle_buurten_2015.geojson")
    assert (buurten.geometry, buurten.year) == ("vlakken", 2015)
    assert detect_file(ZWOLLE / "zwolle_wijken_2024.geojson").year == 2024
    schools = detect_file(ZWOLLE / "zwolle_scholen.geojson")
    assert schools.geometry == "punten" and schools.year is None
    series = detect_file(ZWOLLE / "zwolle_buurtcijfers_2015_2024.csv")
    assert series.years_in_file == [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2023, 2024]


def test_national_kerncijfers_table_in_statline_spelling():
    found = detect_file(shared_file("nl", "cbs_kwb_2024_buurten.csv"))
    assert found.kind == "kerncijfers" and found.rows == 13_750
    assert "Codering_3" in found.why and "AantalInwoners_5" in found.why


def test_street_network_and_addresses():
    roads = detect_file(shared_file("eindhoven", "eindhoven_osm_wegen.gpkg"))
    assert (roads.kind, roads.geometry) == ("wegen", "lijnen") and roads.rows > 10_000
    addresses = detect_file(shared_file("zwolle", "zwolle_adressen.gpkg"))
    assert (addresses.kind, addresses.geometry, addresses.rows) == ("adressen", "punten", 71_888)


@pytest.mark.parametrize(("name", "kind"), [
    ("verenigingen.csv", "verenigingen"), ("banden.csv", "banden"), ("enquete.csv", "enquete"),
    ("codeboek.toml", "codeboek"), ("digitaal.csv", "digitaal"), ("monitor.csv", "enquete_gebied"),
    ("scholen.csv", "voorzieningen"), ("parken.geojson", "voorzieningen"), ("dataset.toml", "dataset"),
])
def test_demo_files_each_kind(name, kind):
    assert detect_file(DEMO / name).kind == kind


def test_area_code_column_by_content_not_only_by_name():
    import pandas as pd

    table = pd.DataFrame({"gebied": ["BU01931000", "BU01931010", " bu01931020 "], "x": ["1", "2", "3"]})
    assert area_code_column(table) == "gebied"
    assert area_code_column(table, "WK") is None


def test_year_from_name():
    assert year_from_name("zwolle_buurten_2015.geojson") == 2015
    assert year_from_name("cijfers_2015_2024.csv") == 2024
    assert year_from_name("buurten.geojson") is None
    assert year_from_name("nummer_123456.csv") is None


# ---------------------------------------------------------------------------------------------
# Folders as ZIP, zipped Shapefiles, bad input
# ---------------------------------------------------------------------------------------------

def test_zip_of_a_folder_without_manifest_is_unpacked_and_each_file_detected(tmp_path):
    archive = tmp_path / "zwolle.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("zwolle_buurten_2015.geojson", "zwolle_scholen.geojson", "SOURCE.md"):
            out.write(ZWOLLE / name, f"zwolle/{name}")
    found = detect_files([(archive, archive.name)], tmp_path / "work")
    kinds = {d.name: d.kind for d in found}
    assert kinds == {"zwolle_buurten_2015.geojson": "buurten", "zwolle_scholen.geojson": "voorzieningen",
                     "SOURCE.md": "onbekend"}
    assert not any(d.findings.has_errors for d in found)


def test_zip_with_manifest_is_a_complete_dataset(tmp_path):
    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in DEMO.iterdir():
            out.write(path, f"demo/{path.name}")
    assert detect_file(archive).kind == "dataset"


def test_zipped_shapefile_is_read_as_geodata(tmp_path):
    import geopandas as gpd

    frame = gpd.read_file(ZWOLLE / "zwolle_buurten_2015.geojson").to_crs("EPSG:28992")
    frame[["BU_CODE", "BU_NAAM", "WK_CODE", "geometry"]].to_file(tmp_path / "buurten.shp")
    archive = tmp_path / "buurten_shp.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for part in tmp_path.glob("buurten.*"):
            out.write(part, part.name)
    found = detect_file(archive)
    assert (found.kind, found.rows) == ("buurten", 78)


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("kaart.pdf", b"%PDF-1.4", "bestandstype '.pdf' wordt niet gelezen"),
    ("leeg.csv", b"", "leeg"),
    ("kapot.zip", b"PK\x03\x04 niet echt", "beschadigd"),
    ("kapot.geojson", b"{niet: json", "niet te lezen"),
    ("alleen_kop.csv", b"naam;lat;lon\n", "geen rijen"),
])
def test_bad_files_get_a_dutch_error_naming_the_file_and_the_fix(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    found = detect_file(path)
    assert found.kind == "onbekend"
    errors = found.findings.errors
    assert errors and errors[0].file == name and problem in errors[0].problem, [str(e) for e in errors]
    assert errors[0].fix
    assert "Traceback" not in str(errors[0])


def test_every_kind_has_a_dutch_label():
    assert {"buurten", "wijken", "kerncijfers", "voorzieningen", "verenigingen", "banden", "enquete", "codeboek",
            "enquete_gebied", "woordenboek", "digitaal", "adressen", "wegen"} <= set(KIND_LABELS)


@pytest.mark.parametrize("header, kind", [
    ("gebiedscode,indicator,basisjaar,streefwaarde,streefjaar,reden", "plan"),
    ("id,naam,component,gebiedscode,x,y,startdatum,einddatum,budget,omschrijving", "maatregelen"),
    ("id,naam,soort,buurtcode,x,y,startjaar,eindjaar,actief,betrokkenen", "initiatieven"),
    ("datum,gebiedscode,component,soort_bron,tekst,citaat", "notities"),
])
def test_wijkplan_and_informal_files_are_recognised_by_their_columns(tmp_path, header, kind):
    path = tmp_path / f"bestand_{kind}.csv"
    path.write_text(header + "\n" + ",".join("1" for _ in header.split(",")) + "\n", encoding="utf-8")
    found = detect_file(path)
    assert found.kind == kind and kind in KIND_LABELS
