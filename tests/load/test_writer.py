"""Tests for analysis.load.writer: the commented manifest is valid TOML, the ZIP is deterministic, manifest edits."""

from __future__ import annotations

import tomllib
import zipfile

import pytest

from analysis.load import writer
from analysis.load.dataset import DEMO_DIR, load_dataset
from analysis.load.detect import detect_file
from analysis.load.plan import propose_plan
from tests.paths import ZWOLLE

ZWOLLE_CORE = ("zwolle_buurten_2015.geojson", "zwolle_wijken_2015.geojson", "zwolle_wijken_2024.geojson",
               "zwolle_scholen.geojson", "zwolle_zorginstellingen.geojson", "zwolle_buurtmonitor_indicatoren.csv",
               "zwolle_buurtmonitor_variabelen.csv")


@pytest.fixture(scope="module")
def plan():
    return propose_plan([detect_file(ZWOLLE / name) for name in ZWOLLE_CORE])


def test_manifest_is_valid_toml_with_the_reasons_as_comments(plan):
    text = writer.manifest_text(plan)
    manifest = tomllib.loads(text)
    assert manifest["dataset"] == {"naam": "Zwolle", "jaar": 2015, "gemeente": "GM0193"}
    assert manifest["bronnen"] == {"buurten": "zwolle_buurten_2015.geojson", "wijken": "zwolle_wijken_2015.geojson"}
    assert "# herkend als buurten: vlakken met buurtcodes in kolom BU_CODE (78 rijen)" in text
    assert "# herkend als voorzieningen: punten met namen in kolom VESTIGINGSNAAM (73 rijen)" in text
    assert "# b_scoh (sociale cohesie (schaalscore), score 0-10) -> cohesie_score" in text
    assert "# zwolle_wijken_2024.geojson: niet gebruikt: wijken van 2024" in text
    assert all(line.startswith("#") or "#" not in line or "=" in line for line in text.splitlines())


def test_a_file_name_or_label_with_quotes_stays_valid_toml(plan):
    plan.name = 'Gemeente "Aa en Hunze"\\'
    manifest = tomllib.loads(writer.manifest_text(plan))
    assert manifest["dataset"]["naam"] == 'Gemeente "Aa en Hunze"\\'


def test_per_row_components_and_own_indicators_load(tmp_path):
    from analysis.load.plan import OwnIndicator

    plan = propose_plan([detect_file(ZWOLLE / n) for n in ("zwolle_buurten_2015.geojson", "zwolle_zorginstellingen.geojson",
                                                          "zwolle_buurtmonitor_indicatoren.csv",
                                                          "zwolle_buurtmonitor_variabelen.csv")])
    care = plan.file("zwolle_zorginstellingen.geojson")
    care.component, care.component_column = None, "zorgsoort"
    care.component_values = {"GGZ": "zorg", "GHZ (gehandicaptenzorg)": "zorg",
                             "VVT (verpleging, verzorging, thuiszorg)": "zorg", "ziekenhuis": "overslaan"}
    monitor = plan.file("zwolle_buurtmonitor_indicatoren.csv")
    monitor.indicators["b_vzhont"] = "b_vzhont"
    monitor.own["b_vzhont"] = OwnIndicator("b_vzhont", "ontmoetingsplekken (% voldoende aanwezig)", "%", "Percentage ...")
    folder = writer.write_folder(plan, tmp_path / "zwolle")
    text = (folder / "dataset.toml").read_text(encoding="utf-8")
    assert 'componenten = { GGZ = "zorg", "GHZ (gehandicaptenzorg)" = "zorg"' in text
    assert "[eigen_indicatoren.b_vzhont]" in text
    ds = load_dataset(folder)
    hospitals = (care.detection.frame["zorgsoort"] == "ziekenhuis").sum()
    assert hospitals > 0 and len(ds.facilities) == 22 - hospitals
    assert set(ds.facilities["component"]) == {"zorg"}
    assert ds.registry["b_vzhont"].label == "ontmoetingsplekken (% voldoende aanwezig)"
    assert ds.registry["b_vzhont"].unit == "%"
    own = ds.area_survey[ds.area_survey["indicator"] == "b_vzhont"]
    assert (own["niveau"] == "buurt").sum() == 78


def test_dataset_zip_is_the_same_bytes_for_the_same_folder_and_loads_the_same(plan, tmp_path):
    folder = writer.write_folder(plan, tmp_path / "a")
    first = writer.dataset_zip(folder, "Zwolle")
    assert writer.dataset_zip(writer.write_folder(plan, tmp_path / "b"), "Zwolle") == first
    archive = tmp_path / "zwolle.zip"
    archive.write_bytes(first)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    assert "Zwolle/dataset.toml" in names and "Zwolle/zwolle_scholen.geojson" in names
    assert "Zwolle/zwolle_wijken_2024.geojson" not in names  # not used, so not in the dataset
    assert load_dataset(archive).content_hash() == load_dataset(folder).content_hash()


def test_editable_folder_of_a_single_buurten_file_gets_a_manifest(tmp_path):
    single = load_dataset(ZWOLLE / "zwolle_buurten_2015.geojson")
    folder = writer.editable_folder(single, tmp_path / "werk")
    again = load_dataset(folder)
    assert again.content_hash() == single.content_hash()
    demo = writer.editable_folder(load_dataset(DEMO_DIR), tmp_path / "demo")
    assert (demo / "dataset.toml").read_text(encoding="utf-8") == (DEMO_DIR / "dataset.toml").read_text(encoding="utf-8")


def test_editable_folder_of_a_dataset_whose_files_are_gone_is_a_dutch_error(tmp_path):
    from dataclasses import replace

    from analysis.errors import DatasetError

    gone = replace(load_dataset(ZWOLLE / "zwolle_buurten_2015.geojson"), root=tmp_path / "weg.geojson")
    with pytest.raises(DatasetError, match="zijn er niet meer"):
        writer.editable_folder(gone, tmp_path / "werk")


def test_set_and_remove_sources_keep_the_rest_as_the_user_wrote_it():
    text = (DEMO_DIR / "dataset.toml").read_text(encoding="utf-8")
    replaced = writer.set_source(text, "verenigingen", "nieuw.csv")
    parsed = tomllib.loads(replaced)
    assert parsed["bronnen"]["verenigingen"] == "nieuw.csv"
    assert parsed["licenties"] == tomllib.loads(text)["licenties"]
    assert "# Voorbeeldstad is een fictieve gemeente" in replaced
    added = writer.set_source(text.replace('digitaal = "digitaal.csv"\n', ""), "digitaal", "d.csv")
    assert tomllib.loads(added)["bronnen"]["digitaal"] == "d.csv"
    entry = writer.set_source(text, "voorzieningen:zorg.csv", "zorg_2026.csv")
    assert [e["bestand"] for e in tomllib.loads(entry)["voorzieningen"]][2] == "zorg_2026.csv"
    new = tomllib.loads(writer.set_source(text, "voorzieningen", "bieb.csv", "ontmoeting"))["voorzieningen"][-1]
    assert new == {"bestand": "bieb.csv", "component": "ontmoeting"}
    removed = tomllib.loads(writer.remove_source(text, "voorzieningen:scholen.csv"))
    assert [e["bestand"] for e in removed["voorzieningen"]] == ["voorzieningen.geojson", "zorg.csv", "parken.geojson"]
    assert "digitaal" not in tomllib.loads(writer.remove_source(text, "digitaal"))["bronnen"]
    monitor = tomllib.loads(writer.remove_source(text, "enquete_gebied:monitor.csv"))
    assert "enquete_gebied" not in monitor and "licenties" in monitor


def test_quote_and_keys():
    value = 'x "y" \\ z'
    assert tomllib.loads("a = " + writer.quote(value))["a"] == value
    assert writer.toml_key("b_scoh") == "b_scoh"
    assert tomllib.loads(f"{writer.toml_key('GHZ (x)')} = 1") == {"GHZ (x)": 1}


def test_new_manifest_keeps_names_and_writes_a_draft_codebook_for_spss(tmp_path):
    from tests.load.test_spss import write_demo_sav

    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "buurten.geojson").write_bytes((DEMO_DIR / "buurten.geojson").read_bytes())
    write_demo_sav(folder / "enquete 2025.sav")
    target, plan = writer.new_manifest(folder)
    text = target.read_text(encoding="utf-8")
    assert tomllib.loads(text)["bronnen"] == {"buurten": "buurten.geojson", "enquete": "enquete 2025.sav"}
    assert '# codeboek = "codeboek_concept.toml"' in text
    draft = tomllib.loads((folder / "codeboek_concept.toml").read_text(encoding="utf-8"))
    assert draft["codeboek"]["ontbrekend"] == [9]
    ds = load_dataset(folder)
    assert len(ds.respondents) > 1000 and any("geen codeboek" in f.problem for f in ds.findings)


def test_a_workbook_of_several_sheets_becomes_one_source_per_sheet(tmp_path):
    import openpyxl

    from analysis.load.detect import detect_files
    from analysis.load.plan import check_plan

    workbook = openpyxl.Workbook()
    figures = workbook.active
    figures.title = "cijfers 2015"
    figures.append(["buurtcode", "jaar", "inwoners"])
    figures.append(["BU01931000", 2015, 2045])
    figures.append(["BU01931010", 2015, 1300])
    places = workbook.create_sheet("buurthuizen")
    places.append(["naam", "soort", "lat", "lon"])
    places.append(["De Schakel", "buurthuis", 52.5125, 6.0944])
    places.append(["Het Anker", "wijkcentrum", 52.5050, 6.1000])
    path = tmp_path / "gemeente.xlsx"
    workbook.save(path)
    found = detect_files([(ZWOLLE / "zwolle_buurten_2015.geojson", "zwolle_buurten_2015.geojson"), (path, path.name)],
                         tmp_path / "uit")
    assert [(d.shown_name, d.kind) for d in found[1:]] == [("gemeente.xlsx (blad cijfers 2015)", "kerncijfers"),
                                                           ("gemeente.xlsx (blad buurthuizen)", "voorzieningen")]
    plan = propose_plan(found)
    text = writer.manifest_text(plan)
    manifest = tomllib.loads(text)
    assert manifest["bronnen"]["kerncijfers"] == {"bestand": "gemeente.xlsx", "blad": "cijfers 2015"}
    assert manifest["voorzieningen"][0] == {"bestand": "gemeente.xlsx", "blad": "buurthuizen", "component": "ontmoeting",
                                            "naamkolom": "naam", "soortkolom": "soort"}
    check = check_plan(plan, tmp_path / "werk")
    assert check.usable, [str(f) for items in check.per_file.values() for f in items if f.level == "fout"]
    assert len(check.dataset.facilities) == 2 and set(check.dataset.facilities["component"]) == {"ontmoeting"}
