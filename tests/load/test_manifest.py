"""Tests for analysis.load.manifest: dataset.toml read and checked; file options such as the Excel sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import dataset, manifest
from tests.broken_cases import write_buurten


def _write(folder: Path, text: str) -> Path:
    (folder / "dataset.toml").write_text(text, encoding="utf-8")
    return folder


def test_sources_as_inline_tables_carry_their_sheet(tmp_path):
    folder = _write(tmp_path, '[dataset]\nnaam = "x"\njaar = 2025\n\n[bronnen]\nbuurten = "b.geojson"\n'
                              'verenigingen = { bestand = "v.xlsx", blad = "2025", kleur = "rood" }\n'
                              'kerncijfers = { bestand = "k.csv", licentie = "CBS, CC BY 4.0" }\n\n'
                              '[[voorzieningen]]\nbestand = "s.xlsx"\nblad = "Scholen"\ncomponent = "onderwijs"\n')
    f = Findings()
    read = manifest.read_manifest(folder, f)
    assert read["bronnen"] == {"buurten": "b.geojson", "verenigingen": "v.xlsx", "kerncijfers": "k.csv"}
    assert read["opties"] == {"verenigingen": {"blad": "2025"}, "kerncijfers": {"licentie": "CBS, CC BY 4.0"}}
    assert read["voorzieningen"][0]["blad"] == "Scholen"
    [unknown] = f.warnings
    assert unknown.column == "bronnen.verenigingen.kleur" and "onbekende sleutel 'kleur'" in unknown.problem


def test_an_inline_table_without_a_file_is_an_error(tmp_path):
    folder = _write(tmp_path, '[dataset]\nnaam = "x"\njaar = 2025\n\n[bronnen]\nbuurten = "b.geojson"\n'
                              'verenigingen = { blad = "2025" }\n')
    with pytest.raises(DatasetError) as err:
        manifest.read_manifest(folder)
    assert err.value.findings.items[0].column == "bronnen.verenigingen"


def test_the_sheet_option_reaches_the_loader(tmp_path):
    write_buurten(tmp_path)
    wb = openpyxl.Workbook()
    wb.active.title = "Uitleg"
    wb.active.append(["Dit werkboek heeft de verenigingen op blad 2025"])
    sheet = wb.create_sheet("2025")
    for row in (["Verenigingen 2025"], [], ["id", "naam", "buurtcode"], ["V1", "Voetbalclub", "BU99990101"],
                ["V2", "Breiclub", "BU99990202"]):
        sheet.append(row)
    wb.save(tmp_path / "verenigingen.xlsx")
    _write(tmp_path, '[dataset]\nnaam = "x"\njaar = 2025\ngemeente = "GM9999"\n\n[bronnen]\nbuurten = "buurten.geojson"\n'
                     'verenigingen = { bestand = "verenigingen.xlsx", blad = "2025" }\n')
    ds = dataset.load_dataset(tmp_path)
    assert ds.associations["id"].tolist() == ["V1", "V2"]
    assert ds.sources["verenigingen"] == "verenigingen.xlsx"
    assert ds.associations["buurtcode"].tolist() == ["BU99990101", "BU99990202"]


def test_resolve_names_the_file_that_is_there(tmp_path):
    (tmp_path / "vereniging.csv").write_text("id\n1\n")
    f = Findings()
    assert manifest.resolve(tmp_path, "verenigingen.csv", "bronnen.verenigingen", f, inside_only=True) is None
    assert "er staat wel 'vereniging.csv'" in f.errors[0].problem
    assert manifest.resolve(tmp_path, "../elders.csv", "bronnen.x", Findings(), inside_only=True) is None
