"""Tests for analysis.load.dataset: the manifest, loading folders, zips and single files (real Zwolle data), validate."""

from __future__ import annotations

import json
import math
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import dataset, facilities
from analysis.load import files as wio
from tests.broken_cases import BUURTEN, CASES, prepare, write_buurten
from tests.paths import ZWOLLE

ZWOLLE_MANIFEST = """[dataset]
naam = "Zwolle (test)"
jaar = 2015
gemeente = "GM0193"

[bronnen]
buurten = "zwolle_buurten_2015.geojson"
wijken = "zwolle_wijken_2015.geojson"

[[voorzieningen]]
bestand = "zwolle_scholen.geojson"
component = "onderwijs"
naamkolom = "VESTIGINGSNAAM"

[[voorzieningen]]
bestand = "zwolle_zorginstellingen.geojson"
component = "zorg"
naamkolom = "Naam"
licentie = "Ministerie van VWS, Zorg op de kaart"

[[enquete_gebied]]
bestand = "zwolle_buurtmonitor_indicatoren.csv"
codekolom = "BU_CODE"
jaar = 2014
indicatoren = { b_scoh = "cohesie_score", b_sceenz = "eenzaam_pct" }

[licenties]
buurten = "CBS/Kadaster, CC BY 4.0"
"""
ZWOLLE_FILES = ("zwolle_buurten_2015.geojson", "zwolle_wijken_2015.geojson",
                "zwolle_scholen.geojson", "zwolle_zorginstellingen.geojson", "zwolle_buurtmonitor_indicatoren.csv")


def _raw(name: str) -> dict:
    return json.loads((ZWOLLE / name).read_text(encoding="utf-8"))


def make_zwolle(folder: Path) -> Path:
    """A Zwolle dataset folder: the real files copied, with a dataset.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ZWOLLE_FILES:
        shutil.copyfile(ZWOLLE / name, folder / name)
    (folder / "dataset.toml").write_text(ZWOLLE_MANIFEST, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def zwolle_dir(tmp_path_factory) -> Path:
    return make_zwolle(tmp_path_factory.mktemp("zwolle") / "zwolle")


@pytest.fixture(scope="module")
def zwolle(zwolle_dir):
    return dataset.load_dataset(zwolle_dir)


# ----------------------------------------------------------------------------------------------
# Zwolle: areas
# ----------------------------------------------------------------------------------------------

def test_zwolle_areas_counts_and_codes(zwolle):
    raw_buurten = _raw("zwolle_buurten_2015.geojson")["features"]
    raw_wijken = _raw("zwolle_wijken_2015.geojson")["features"]
    assert len(zwolle.buurten) == 78
    assert len(zwolle.wijken) == 16
    assert len(zwolle.gemeente) == 1
    assert set(zwolle.buurten["gebiedscode"]) == {f["properties"]["BU_CODE"] for f in raw_buurten}
    assert set(zwolle.wijken["gebiedscode"]) == {f["properties"]["WK_CODE"] for f in raw_wijken}
    assert zwolle.gemeente["gebiedscode"].tolist() == ["GM0193"]
    assert zwolle.gemeente_code == "GM0193"
    # every buurt's parent is derived from its code: BU0193 10 00 -> WK0193 10
    parents = dict(zip(zwolle.buurten["gebiedscode"], zwolle.buurten["wijkcode"]))
    assert parents["BU01931000"] == "WK019310"
    assert parents["BU01933030"] == "WK019330"
    assert zwolle.buurten.crs.to_epsg() == 28992
    assert zwolle.name == "Zwolle (test)" and zwolle.year == 2015 and not zwolle.is_demo


def test_zwolle_wijk_population_matches_cbs_totals(zwolle):
    summed = zwolle.buurten.groupby("wijkcode")["inwoners"].sum()
    cbs = zwolle.wijken.set_index("gebiedscode")["inwoners"]
    # the wijken file's own figures are kept (CBS wijk totals): Binnenstad 3,400 in the raw file
    assert cbs["WK019310"] == 3400
    for code, total in cbs.items():
        assert abs(summed[code] - total) <= 0.01 * total, code
    # SOURCE.md: 123,790 over buurten, 123,850 over wijken
    assert summed.sum() == 123_790
    assert cbs.sum() == 123_850
    assert zwolle.gemeente["inwoners"].iloc[0] == 123_850


def test_zwolle_cbs_missing_codes_are_nan(zwolle):
    raw = wio.read_geo(ZWOLLE / "zwolle_buurten_2015.geojson", Findings())
    density = wio.to_number(raw["BEV_DICHTH"])
    missing = set(raw.loc[density.isna(), "BU_CODE"])
    assert missing == {"BU01932010", "BU01932130", "BU01932140", "BU01932250", "BU01934010"}
    assert density.min() >= 0
    # buurten with 0 inhabitants stay 0, not missing
    inhabitants = zwolle.buurten.set_index("gebiedscode")["inwoners"]
    assert inhabitants["BU01932010"] == 0 and inhabitants["BU01932250"] == 0


def test_zwolle_secret_population_in_the_dataset_is_nan(tmp_path):
    folder = tmp_path / "geheim"
    folder.mkdir()
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "Geheim"\njaar = 2015\n[bronnen]\n'
                                         'buurten = "zwolle_buurten_2015.geojson"\n', encoding="utf-8")
    data = _raw("zwolle_buurten_2015.geojson")
    for feature in data["features"]:
        if feature["properties"]["BU_CODE"] == "BU01931000":
            feature["properties"]["AANT_INW"] = -99999999
            feature["properties"]["P_65_EO_JR"] = -99997
    (folder / "zwolle_buurten_2015.geojson").write_text(json.dumps(data), encoding="utf-8")
    ds = dataset.load_dataset(folder)
    row = ds.buurten.set_index("gebiedscode").loc["BU01931000"]
    assert math.isnan(row["inwoners"]) and math.isnan(row["p_65_eo"])
    assert ds.buurten["inwoners"].sum() == 123_790 - 2045  # Binnenstad-Zuid had 2,045


def test_zwolle_2024_wijken_spelling(tmp_path):
    folder = tmp_path / "z2024"
    folder.mkdir()
    for name in ("zwolle_buurten_2015.geojson", "zwolle_wijken_2024.geojson"):
        shutil.copyfile(ZWOLLE / name, folder / name)
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "Zwolle 2024"\njaar = 2024\n[bronnen]\n'
                                         'buurten = "zwolle_buurten_2015.geojson"\n'
                                         'wijken = "zwolle_wijken_2024.geojson"\n', encoding="utf-8")
    ds = dataset.load_dataset(folder)
    wijken = ds.wijken.set_index("gebiedscode")
    assert len(wijken) == 16
    assert wijken["inwoners"].sum() == 133_135
    assert wijken.loc["WK019331", "gebiedsnaam"] == "Wijk 31 Aa-landen"  # 2015: "Wijk 31 Aalanden"
    # raw 2024 Binnenstad: 4,225 inhabitants, 65plus 14%, 0_15 4%, huishoudens 2,910
    assert wijken.loc["WK019310", "inwoners"] == 4225
    assert wijken.loc["WK019310", "p_65_eo"] == 14
    assert wijken.loc["WK019310", "p_00_14"] == 4
    assert wijken.loc["WK019310", "huishoudens"] == 2910


# ----------------------------------------------------------------------------------------------
# Zwolle: facilities and monitor
# ----------------------------------------------------------------------------------------------

def test_zwolle_schools_in_the_right_buurten(zwolle):
    schools = zwolle.facilities[zwolle.facilities["component"] == "onderwijs"]
    assert len(schools) == 73
    raw = _raw("zwolle_scholen.geojson")["features"]
    by_name = schools.set_index("naam")["buurtcode"]
    # the file's own derived codes agree for every school
    derived = {f["properties"]["VESTIGINGSNAAM"]: f["properties"]["bu_code_2015_afgeleid"] for f in raw}
    placed = schools.set_index("naam")["buurtcode"].to_dict()
    agree = sum(placed.get(n) == code for n, code in derived.items())
    assert agree == len(derived)
    # hand check a few with shapely in lon/lat, independent of the loader's projection
    buurt_shapes = {f["properties"]["BU_CODE"]: shape(f["geometry"]) for f in _raw("zwolle_buurten_2015.geojson")["features"]}
    for feature in raw[:5]:
        lon, lat = feature["geometry"]["coordinates"]
        containing = [code for code, geom in buurt_shapes.items() if geom.contains(Point(lon, lat))]
        assert containing == [by_name[feature["properties"]["VESTIGINGSNAAM"]]]
    assert by_name["Basisschool Hilal"] == "BU01933030"


def test_zwolle_care_and_sources(zwolle):
    care = zwolle.facilities[zwolle.facilities["component"] == "zorg"]
    assert len(care) == 22
    assert set(care["bron"]) == {"zwolle_zorginstellingen.geojson"}
    assert zwolle.sources["buurten"] == "zwolle_buurten_2015.geojson"
    assert zwolle.sources["voorzieningen:zwolle_scholen.geojson"] == "zwolle_scholen.geojson"
    assert zwolle.sources["enquete_gebied:zwolle_buurtmonitor_indicatoren.csv"] == "zwolle_buurtmonitor_indicatoren.csv"
    assert zwolle.licences["buurten"] == "CBS/Kadaster, CC BY 4.0"
    assert zwolle.licences["voorzieningen:zwolle_zorginstellingen.geojson"] == "Ministerie van VWS, Zorg op de kaart"
    assert (zwolle.facilities["jaar"] == 2015).all()


def test_zwolle_monitor_as_area_survey(zwolle):
    everything = zwolle.area_survey
    assert list(everything.columns) == ["gebiedscode", "niveau", "jaar", "indicator", "waarde", "n", "bron"]
    survey = everything[everything["niveau"] == "buurt"]
    assert len(survey) == 78 * 2
    assert set(survey["indicator"]) == {"cohesie_score", "eenzaam_pct"}
    assert set(everything["jaar"]) == {2014}
    # the monitor gives buurten only: 16 wijken and the gemeente are derived for each indicator
    assert (everything["niveau"] == "wijk").sum() == 16 * 2 and (everything["niveau"] == "gemeente").sum() == 2
    cohesion = survey[survey["indicator"] == "cohesie_score"].set_index("gebiedscode")["waarde"]
    assert cohesion["BU01931000"] == pytest.approx(4.9827)   # first row of the file
    assert cohesion["BU01931020"] == pytest.approx(5.7035)
    assert int(cohesion.isna().sum()) == 4                     # four 'NA' cells in b_scoh
    assert survey["n"].isna().all()
    assert 2014 in zwolle.years() and 2015 in zwolle.years()


def test_zwolle_missing_sources_are_infos(zwolle):
    infos = [str(f) for f in zwolle.findings if f.level == "info" and f.file == "dataset.toml"]
    for key in ("verenigingen", "enquete", "digitaal"):
        assert any(f"bron '{key}' ontbreekt" in line for line in infos), key
    assert not any("bron 'wijken'" in line for line in infos)
    assert len(zwolle.associations) == 0 and list(zwolle.ties.columns) == ["van", "naar", "soort", "gewicht", "jaar"]


# ----------------------------------------------------------------------------------------------
# Zip and single files
# ----------------------------------------------------------------------------------------------

def _zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, prefix + path.name)
    return target


def test_zip_of_the_folder_in_a_subfolder(zwolle_dir, tmp_path):
    ds = dataset.load_dataset(_zip_folder(zwolle_dir, tmp_path / "zwolle.zip", "zwolle/"))
    assert len(ds.buurten) == 78 and len(ds.wijken) == 16
    assert len(ds.facilities) == 95 and (ds.area_survey["niveau"] == "buurt").sum() == 156
    assert ds.root == tmp_path / "zwolle.zip"


def test_zip_with_manifest_at_the_root(tmp_path):
    case = next(c for c in CASES if c.name == "band_onbekende_vereniging")
    ds = dataset.load_dataset(_zip_folder(prepare(case, tmp_path), tmp_path / "banden.zip"))
    assert len(ds.buurten) == 4 and len(ds.associations) == 2 and len(ds.ties) == 1
    assert any(f.file == "banden.csv" and f.row == 3 for f in ds.findings.warnings)


def test_zip_with_path_traversal_is_refused(tmp_path):
    target = tmp_path / "kwaad.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("dataset.toml", '[dataset]\nnaam = "x"\njaar = 2025\n[bronnen]\nbuurten = "b.geojson"\n')
        archive.writestr("../buiten.txt", "mag niet")
    with pytest.raises(DatasetError) as error:
        dataset.load_dataset(target)
    assert "onveilig pad '../buiten.txt'" in str(error.value)
    assert not (tmp_path.parent / "buiten.txt").exists()


def test_zip_with_two_datasets_is_refused(tmp_path):
    target = tmp_path / "twee.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("a/dataset.toml", "")
        archive.writestr("b/dataset.toml", "")
    with pytest.raises(DatasetError, match="meer dan één dataset"):
        dataset.load_dataset(target)


def test_zip_manifest_may_not_point_outside(tmp_path):
    target = tmp_path / "buiten.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("dataset.toml", '[dataset]\nnaam = "x"\njaar = 2025\n[bronnen]\nbuurten = "../../etc/b.geojson"\n')
    with pytest.raises(DatasetError, match="buiten de datasetmap"):
        dataset.load_dataset(target)


def test_single_buurten_file():
    ds = dataset.load_dataset(ZWOLLE / "zwolle_buurten_2015.geojson")
    assert len(ds.buurten) == 78
    assert len(ds.wijken) == 16                       # derived from the buurt codes
    assert ds.year == 2015                            # from the file name
    assert ds.wijken["inwoners"].sum() == 123_790     # sums of the buurten
    assert len(ds.facilities) == 0 and len(ds.respondents) == 0
    assert ds.sources == {"buurten": "zwolle_buurten_2015.geojson"}
    assert ds.root == ZWOLLE / "zwolle_buurten_2015.geojson"


def test_single_table_is_no_dataset_but_validates():
    with pytest.raises(DatasetError, match="los tabelbestand is geen dataset"):
        dataset.load_dataset(ZWOLLE / "zwolle_buurtmonitor_indicatoren.csv")
    findings = dataset.validate(ZWOLLE / "zwolle_bvb_ondersteuningsindex.csv")
    assert not findings.has_errors
    assert any("niet herkend welk soort bestand" in str(f) for f in findings)


# ----------------------------------------------------------------------------------------------
# Manifest
# ----------------------------------------------------------------------------------------------

def test_read_manifest_normalises(tmp_path):
    (tmp_path / "dataset.toml").write_text(
        '[dataset]\nnaam = "Test"\njaar = 2024\ngemeente = "gm9999"\nfictief = true\nkleur = "rood"\n'
        '[bronnen]\nbuurten = "b.geojson"\nbuurt = "x.csv"\n'
        '[[voorzieningen]]\nbestand = "v.csv"\ncomponent = "sport"\n', encoding="utf-8")
    findings = Findings()
    manifest = dataset.read_manifest(tmp_path, findings)
    assert manifest["dataset"] == {"naam": "Test", "jaar": 2024, "gemeente": "GM9999", "fictief": True}
    assert manifest["bronnen"] == {"buurten": "b.geojson"}
    assert manifest["voorzieningen"] == [{"bestand": "v.csv", "component": "sport"}]
    assert manifest["enquete_gebied"] == []
    lines = findings.lines()
    assert any("onbekende sleutel 'kleur'" in line for line in lines)
    assert any("onbekende bron 'buurt'" in line and "bedoelt u 'buurten'" in line for line in lines)


@pytest.mark.parametrize("text, message", [
    ('[dataset]\nnaam = "x"\n[bronnen]\nbuurten = "b.geojson"\n', "heeft geen jaar"),
    ('[dataset]\nnaam = "x"\njaar = "2025"\n[bronnen]\nbuurten = "b.geojson"\n', "is geen jaartal"),
    ('[dataset]\nnaam = "x"\njaar = 2025\ngemeente = "Zwolle"\n[bronnen]\nbuurten = "b.geojson"\n', "is geen gemeentecode"),
    ('[bronnen]\nbuurten = "b.geojson"\n', "[dataset] ontbreekt"),
    ('[dataset]\nnaam = "x"\njaar = 2025\n[bronnen]\nbuurten = "b.geojson"\n[[voorzieningen]]\ncomponent = "sport"\n',
     "blok 1 van [[voorzieningen]] heeft geen bestand"),
    ('[dataset]\nnaam = "x"\njaar = 2025\n[bronnen]\nbuurten = "b.geojson"\nvoorzieningen = "v.csv"\n',
     "'voorzieningen' hoort niet onder [bronnen]"),
    ("", "het bestand is leeg"),
])
def test_read_manifest_errors(tmp_path, text, message):
    (tmp_path / "dataset.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as error:
        dataset.read_manifest(tmp_path / "dataset.toml")
    assert message in str(error.value)
    assert all(f.file == "dataset.toml" for f in error.value.findings)


def test_folder_without_manifest(tmp_path):
    (tmp_path / "manifest.toml").write_text("", encoding="utf-8")
    with pytest.raises(DatasetError, match="bevat geen dataset.toml \\(wel: manifest.toml\\)"):
        dataset.load_dataset(tmp_path)


# ----------------------------------------------------------------------------------------------
# The broken corpus, loaded directly (the CLI test checks the printed lines)
# ----------------------------------------------------------------------------------------------

def test_dutch_spreadsheet_loads_correctly(tmp_path):
    case = next(c for c in CASES if c.name == "nederlandse_spreadsheet")
    ds = dataset.load_dataset(prepare(case, tmp_path))
    assert ds.is_demo  # the corpus manifests say fictief = true
    clubs = ds.associations.set_index("id")
    assert clubs.loc["V1", "naam"] == "Café Ons Huis"            # Windows-1252 é
    assert clubs.loc["V1", "geometry"].x == pytest.approx(180500.25)  # decimal comma
    assert clubs.loc["V1", "geometry"].y == pytest.approx(520500.75)
    assert clubs.loc["V1", "buurtcode"] == "BU99990101"           # the square (180000-181000, 520000-521000)
    assert clubs.loc["V2", "buurtcode"] == "BU99990202"           # (181250.5, 521750.5)
    assert clubs.loc["V1", "leden"] == 85 and bool(clubs.loc["V2", "actief"]) is False


def test_broken_ties_skip_only_the_bad_tie(tmp_path):
    case = next(c for c in CASES if c.name == "band_onbekende_vereniging")
    ds = dataset.load_dataset(prepare(case, tmp_path))
    assert ds.ties[["van", "naar"]].values.tolist() == [["V1", "V2"]]


def test_error_cases_raise_with_all_findings(tmp_path):
    case = next(c for c in CASES if c.name == "ontbrekende_kolom")
    with pytest.raises(DatasetError) as error:
        dataset.load_dataset(prepare(case, tmp_path))
    errors = error.value.findings.errors
    assert len(errors) == 1
    assert (errors[0].file, errors[0].row, errors[0].column) == ("verenigingen.csv", 1, "naam")


def test_unexpected_loader_exception_becomes_a_finding(tmp_path, monkeypatch):
    case = next(c for c in CASES if c.name == "punt_buiten_gemeente")
    folder = prepare(case, tmp_path)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("kapot")

    monkeypatch.setattr(facilities, "load_facilities", broken)
    findings = dataset.validate(folder)
    errors = findings.errors
    assert len(errors) == 1
    assert errors[0].file == "voorzieningen.csv"
    assert "onverwachte fout (ZeroDivisionError: kapot)" in errors[0].problem


def test_synthetic_buurten_are_what_the_helper_says(tmp_path):
    ds = dataset.load_dataset(_minimal(tmp_path))
    assert sorted(ds.buurten["gebiedscode"]) == [b[0] for b in BUURTEN]
    assert ds.wijken["gebiedscode"].tolist() == ["WK999901", "WK999902"]
    assert ds.wijken.set_index("gebiedscode")["inwoners"].to_dict() == {"WK999901": 2000, "WK999902": 2000}
    assert ds.buurten.geometry.area.round().tolist() == [1_000_000.0] * 4


def _minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "klein"
    folder.mkdir()
    write_buurten(folder)
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "Klein"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\n',
                                         encoding="utf-8")
    return folder


def test_wijken_file_error_still_reports_other_sources(tmp_path):
    folder = _minimal(tmp_path)
    (folder / "wijken.geojson").write_text("{niet: json", encoding="utf-8")
    (folder / "digitaal.csv").write_text("gebiedscode,platform,actieve_gebruikers\nBU99990101,app,-3\n", encoding="utf-8")
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "Klein"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\n'
                                         'wijken = "wijken.geojson"\ndigitaal = "digitaal.csv"\n', encoding="utf-8")
    findings = dataset.validate(folder)
    assert [f.file for f in findings.errors] == ["wijken.geojson"]
    assert any(f.file == "digitaal.csv" and f.row == 2 and "negatief" in f.problem for f in findings.warnings)


def test_load_demo_when_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(dataset, "DEMO_DIR", tmp_path / "geen_demo")
    with pytest.raises(DatasetError, match="de demogemeente ontbreekt"):
        dataset.load_demo()


def test_load_demo():
    ds = dataset.load_demo()
    assert ds.is_demo and "fictief" in ds.name
    assert ds.gemeente_code == "GM9999"
    assert 45 <= len(ds.buurten) <= 60 and 8 <= len(ds.wijken) <= 12   # issue 2: about 10 wijken, 45-60 buurten
    assert not ds.findings.has_errors
    assert len(ds.years()) >= 2                                        # a baseline and a follow-up
    assert ds.root == dataset.DEMO_DIR


def test_demo_dir_is_next_to_the_package():
    assert Path(dataset.__file__).resolve().parents[2] / "data" / "demo" == dataset.DEMO_DIR


def test_empty_frames_have_standard_columns(tmp_path):
    ds = dataset.load_dataset(_minimal(tmp_path))
    assert list(ds.facilities.columns)[:10] == ["id", "naam", "component", "soort", "capaciteit", "bezetting_pct",
                                                "jaar", "buurtcode", "wijkcode", "bron"]
    assert ds.codebook == {} and len(ds.area_survey) == 0 and len(ds.digital) == 0
    assert isinstance(ds.respondents, pd.DataFrame) and np.all(ds.buurten.geometry.is_valid)


def test_zipped_shapefile_of_buurten(tmp_path):
    import geopandas as gpd

    frame = gpd.read_file(write_buurten(tmp_path))
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "buurt_2023.shp")
    target = tmp_path / "buurt_2023.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for part in sorted(shp_dir.iterdir()):
            archive.write(part, part.name)
    ds = dataset.load_dataset(target)
    assert sorted(ds.buurten["gebiedscode"]) == [b[0] for b in BUURTEN]
    assert ds.year == 2023 and ds.buurten.crs.to_epsg() == 28992
    assert ds.buurten.set_index("gebiedscode").loc["BU99990201", "inwoners"] == 1500


def test_validate_a_single_wijken_file():
    findings = dataset.validate(ZWOLLE / "zwolle_wijken_2024.geojson")
    assert not findings.has_errors
    assert any("gecontroleerd als wijkenbestand" in str(f) for f in findings)


# ----------------------------------------------------------------------------------------------
# Hostile input: one bad row never makes the whole dataset unusable
# ----------------------------------------------------------------------------------------------

def test_text_years_nul_bytes_and_control_characters_do_not_make_validate_fail(tmp_path):
    write_buurten(tmp_path)
    (tmp_path / "dataset.toml").write_text(
        '[dataset]\nnaam = "x"\njaar = 2025\ngemeente = "GM9999"\n\n[bronnen]\nbuurten = "buurten.geojson"\n'
        'verenigingen = "verenigingen.csv"\nbanden = "banden.csv"\ndigitaal = "digitaal.csv"\n\n'
        '[[voorzieningen]]\nbestand = "sport.csv"\ncomponent = "sport"\n', encoding="utf-8")
    (tmp_path / "verenigingen.csv").write_bytes(
        b"id,naam,buurtcode,jaar\n"
        b"V1,Voetbal\x07club,BU99990101,2025\n"     # row 2: a control character in the name
        b"V1,Voetbalclub,BU99990101,twintig\n"      # row 3: a text year (would clash with row 2 under 2025)
        b"V2,Brei\x00club,BU99990202,\n"            # row 4: a NUL byte
        b"V3,Schaakclub,BU99990202,\n")
    (tmp_path / "banden.csv").write_text("van,naar,gewicht\nV1,V3,2\nV3,V1,2\n", encoding="utf-8")
    (tmp_path / "digitaal.csv").write_text("gebiedscode,platform,actieve_gebruikers,jaar\n"
                                           "BU99990101,buurt\x1bapp,12,twintig\n", encoding="utf-8")
    (tmp_path / "sport.csv").write_text("naam;x;y\nHal\x02 A;180500;520500\n", encoding="utf-8")
    findings = dataset.validate(tmp_path)
    assert not findings.has_errors, findings.lines()
    named = {(x.file, x.row) for x in findings.warnings}
    assert {("verenigingen.csv", 2), ("verenigingen.csv", 3), ("verenigingen.csv", 4), ("banden.csv", 3),
            ("digitaal.csv", 2), ("sport.csv", 2)} <= named
    ds = dataset.load_dataset(tmp_path)
    assert ds.associations["naam"].tolist() == ["Voetbalclub", "Schaakclub"]
    assert ds.facilities["naam"].tolist() == ["Hal A"] and ds.digital["platform"].tolist() == ["buurtapp"]
    assert len(ds.ties) == 1
