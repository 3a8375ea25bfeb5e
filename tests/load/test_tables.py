"""Tests for analysis.load.tables through files.read_table: spreadsheets as people make them (generated files)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import associations, facilities, tables
from analysis.load import files as wio


def workbook(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """An .xlsx with the given rows per sheet (first sheet first) and merged ranges such as ``A1:D1``."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# ------------------------------------------------------------------------------------------
# Excel
# ------------------------------------------------------------------------------------------

def test_title_rows_above_the_header_and_notes_below(tmp_path):
    path = workbook(tmp_path / "verenigingen.xlsx", {"Blad1": [
        ["Verenigingen in Kapotstad, peildatum 1 januari 2025"],   # row 1: a title merged over the width
        [None],                                                    # row 2: blank
        ["id", "naam", "leden", "buurtcode"],                      # row 3: the header
        ["V1", "Voetbalclub", 200, "BU99990101"],                  # row 4
        ["V2", "Breiclub", "vijftien", "BU99990202"],              # row 5: not a number
        ["V3", "Schaakclub", "12,5", "BU99990202"],                # row 6: a number as text, decimal comma
        [None],
        ["Bron: eigen registratie gemeente"],                      # row 8: a note
        ["* leden volgens de vereniging"],                         # row 9: a note
    ]}, {"Blad1": ["A1:D1"]})
    f = Findings()
    table = wio.read_table(path, f)
    assert list(table.columns) == ["id", "naam", "leden", "buurtcode"]
    assert table["id"].tolist() == ["V1", "V2", "V3"]
    assert table.attrs["header_row"] == 3
    assert [wio.user_row(i) for i in table.index] == [4, 5, 6]        # the rows Excel shows
    members = wio.to_number(table["leden"], f, "verenigingen.xlsx", "leden")
    assert members.tolist()[0] == 200 and math.isnan(members.tolist()[1]) and members.tolist()[2] == 12.5
    [bad] = f.warnings
    assert (bad.row, bad.column) == (5, "leden") and "'vijftien' is geen getal" in bad.problem
    infos = [x for x in f if x.level == "info"]
    assert any("kopregel staat op rij 3" in x.problem for x in infos)
    assert any("2 regels onder de tabel" in x.problem and x.row == 8 for x in infos)


def test_header_on_row_3_is_found_by_the_loader_not_told_to_add_an_id_column(tmp_path):
    path = workbook(tmp_path / "verenigingen.xlsx", {"Verenigingen": [
        ["Overzicht verenigingen"], ["bijgewerkt door afdeling Samenleving"],
        ["id", "naam", "soort", "buurtcode"],
        ["V1", "Voetbalclub", "sport", "BU99990101"],
        ["V2", "Breiclub", "hobby", "BU99990909"],              # row 5: a buurt that does not exist
    ]})
    buurten = pd.DataFrame({"gebiedscode": ["BU99990101"], "wijkcode": ["WK999901"]})
    import geopandas as gpd
    from shapely.geometry import box
    buurten = gpd.GeoDataFrame(buurten, geometry=[box(180000, 520000, 181000, 521000)], crs="EPSG:28992")
    f = Findings()
    out = associations.load_associations(path, buurten, f, 2025)
    assert out["id"].tolist() == ["V1", "V2"]
    assert not any("voeg een kolom id toe" in x.fix for x in f)
    [warning] = [x for x in f.warnings if x.column == "buurtcode"]
    assert warning.row == 5 and "BU99990909" in warning.problem


def test_merged_header_with_sub_names_below(tmp_path):
    path = workbook(tmp_path / "leeftijd.xlsx", {"Blad1": [
        ["buurtcode", "Leeftijd", None, None, "totaal"],
        [None, "0-14", "15-64", "65+", None],
        ["BU99990101", 100, 600, 300, 1000],
        ["BU99990102", 50, 400, 150, 600],
    ]}, {"Blad1": ["A1:A2", "B1:D1", "E1:E2"]})
    f = Findings()
    table = wio.read_table(path, f)
    assert list(table.columns) == ["buurtcode", "Leeftijd 0-14", "Leeftijd 15-64", "Leeftijd 65+", "totaal"]
    assert table["buurtcode"].tolist() == ["BU99990101", "BU99990102"]
    assert [wio.user_row(i) for i in table.index] == [3, 4]


def test_a_wide_merged_header_cell_without_sub_names_names_one_column(tmp_path):
    path = workbook(tmp_path / "breed.xlsx", {"Blad1": [
        ["code", "naam", None, "inwoners"],
        ["BU99990101", "Centrum", None, 1200],
    ]}, {"Blad1": ["B1:C1"]})
    table = wio.read_table(path, Findings())
    assert list(table.columns) == ["code", "naam", "inwoners"]   # the empty column under the merge is dropped


def test_several_sheets_the_user_picks_one(tmp_path):
    path = workbook(tmp_path / "cijfers.xlsx", {
        "Toelichting": [["Dit bestand bevat de kerncijfers"], ["zie blad Data 2024"]],
        "Data 2023": [["buurtcode", "inwoners"], ["BU99990101", 1100]],
        "Data 2024": [["buurtcode", "inwoners"], ["BU99990101", 1200]],
    })
    assert wio.list_sheets(path) == ["Toelichting", "Data 2023", "Data 2024"]
    f = Findings()
    table = wio.read_table(path, f, sheet="data 2024")           # case does not matter
    assert table["inwoners"].tolist() == ["1200"] and table.attrs["sheet"] == "Data 2024"
    assert wio.read_table(path, Findings(), sheet="Data 2023")["inwoners"].tolist() == ["1100"]
    with pytest.raises(DatasetError) as err:
        wio.read_table(path, Findings(), sheet="Data 2025")
    assert "Toelichting, Data 2023, Data 2024" in err.value.findings.items[0].problem
    assert err.value.findings.items[0].column == "blad"
    f = Findings()
    first = wio.read_table(path, f)                                # without a choice: the first sheet, said so
    assert list(first.columns) == ["Dit bestand bevat de kerncijfers"]
    assert any("3 bladen" in x.problem and "'Toelichting' is gelezen" in x.problem and "blad = " in x.fix for x in f)
    assert wio.list_sheets(tmp_path / "geen.csv") == []


def test_numbers_as_text_dates_and_excel_serials(tmp_path):
    path = workbook(tmp_path / "voorzieningen.xlsx", {"Blad1": [
        ["naam", "capaciteit", "bezetting", "jaar"],
        ["Buurthuis", "1.234", "12,5", dt.datetime(2024, 1, 1)],   # text with a Dutch thousands dot; a real date
        ["Sporthal", 0.1, "80", 45292],                            # a float; a date serial whose format was lost
        ["Bibliotheek", "1.234,5", "", "2023"],
    ]})
    f = Findings()
    table = wio.read_table(path, f)
    assert table["jaar"].tolist()[0] == "2024-01-01"
    capacity = wio.to_number(table["capaciteit"], f, "v.xlsx", "capaciteit")
    assert capacity.tolist() == [1234.0, 0.1, 1234.5]          # 0.1 stays 0.1 (not read as 1 with a Dutch dot)
    occupancy = wio.to_number(table["bezetting"], f, "v.xlsx", "bezetting")
    assert occupancy.tolist()[:2] == [12.5, 80.0]
    years = facilities.parse_year(table, f, "v.xlsx", 2025)
    assert years.tolist() == [2024, 2024, 2023]
    assert not f.warnings


def test_cell_text_keeps_values_readable():
    assert tables.cell_text(12.0) == "12" and tables.cell_text(12.5) == "12,5" and tables.cell_text(7) == "7"
    assert tables.cell_text(dt.datetime(2024, 3, 1, 12, 30)) == "2024-03-01 12:30:00"
    assert tables.cell_text(True) == "ja" and tables.cell_text("  ") is None


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------

def test_quoted_line_breaks_keep_row_numbers_right(tmp_path):
    text = ('id;naam;leden\n'
            'V1;"Buurthuis\nDe Linde";20\n'          # row 2 spans two lines
            'V2;"Club ""De Ster""\nafdeling\nnoord";30\n'   # row 3 spans three lines
            'V3;Schaakclub;veel\n')                   # row 4 (line 7): not a number
    f = Findings()
    table = wio.read_table(write(tmp_path / "v.csv", text), f)
    assert table["naam"].tolist() == ["Buurthuis\nDe Linde", 'Club "De Ster"\nafdeling\nnoord', "Schaakclub"]
    wio.to_number(table["leden"], f, "v.csv", "leden")
    [bad] = f.warnings
    assert bad.row == 4


def test_a_latin1_file_with_a_few_utf8_rows_is_read_and_the_rows_named(tmp_path):
    lines = ["naam;plaats", "Café Één;Zwolle", "Brasserie ’t Hoekje;Zwolle", "Crèche;Zwolle"]
    raw = "\n".join(lines[:2]).encode("cp1252") + b"\n" + lines[2].encode("utf-8") + b"\n" + \
        lines[3].encode("cp1252") + b"\n"
    f = Findings()
    table = wio.read_table(write(tmp_path / "gemengd.csv", raw), f)
    assert table["naam"].tolist() == ["Café Één", "Brasserie ’t Hoekje", "Crèche"]
    [warning] = f.warnings
    assert warning.row == 3 and "gemengd" in warning.problem and "UTF-8" in warning.problem


def test_a_nul_byte_costs_only_its_row(tmp_path):
    text = "id;naam\nV1;Voetbal\nV2;Brei\x00club\nV3;Schaak\n"
    path = write(tmp_path / "v.csv", text)
    wio.preflight(path, "v.csv")  # not refused as binary
    f = Findings()
    table = wio.read_table(path, f)
    assert table["id"].tolist() == ["V1", "V3"]
    [warning] = f.warnings
    assert warning.row == 3 and "NUL" in warning.problem


def test_binary_content_is_still_refused(tmp_path):
    path = write(tmp_path / "v.csv", bytes(range(256)) * 8)
    with pytest.raises(DatasetError, match="binaire gegevens"):
        wio.preflight(path, "v.csv")


def test_a_row_with_more_fields_than_the_header_is_named_and_skipped(tmp_path):
    text = "id;naam;leden\nV1;Voetbal;20;\nV2;Sport; Spel;30\nV3;Schaak;12\n"   # row 2: a trailing ';' only
    f = Findings()
    table = wio.read_table(write(tmp_path / "v.csv", text), f)
    assert table["id"].tolist() == ["V1", "V3"]
    [warning] = f.warnings
    assert (warning.file, warning.row) == ("v.csv", 3)
    assert "4 velden, de kopregel 3" in warning.problem and "aanhalingstekens" in warning.fix


def test_control_characters_are_stripped_from_names(tmp_path):
    f = Findings()
    table = wio.read_table(write(tmp_path / "v.csv", "id;naam\nV1;Voetbal\x07club\nV2;Brei\x1bclub\n"), f)
    assert table["naam"].tolist() == ["Voetbalclub", "Breiclub"]
    assert [(x.row, x.column) for x in f.warnings] == [(2, "naam"), (3, "naam")]


def test_statline_csv_with_title_lines_above_the_header(tmp_path):
    text = ('"Kerncijfers wijken en buurten 2024"\n"Bron: CBS"\n'
            'WijkenEnBuurten;Gemeentenaam_1;AantalInwoners_5\n'
            '"BU01630408  ";"Hellendoorn                   ";815\n')
    table = wio.read_table(write(tmp_path / "kwb.csv", text), Findings())
    assert list(table.columns) == ["WijkenEnBuurten", "Gemeentenaam_1", "AantalInwoners_5"]
    assert table["Gemeentenaam_1"].tolist() == ["Hellendoorn"] and wio.user_row(table.index[0]) == 4


def test_size_and_row_limits_say_how_to_split(tmp_path, monkeypatch):
    path = write(tmp_path / "groot.csv", "id;naam\n" + "".join(f"V{i};naam {i}\n" for i in range(200)))
    monkeypatch.setattr(tables, "MAX_TABLE_BYTES", 1000)
    with pytest.raises(DatasetError) as err:
        wio.read_table(path, Findings())
    assert "MB" in err.value.findings.items[0].problem and "splits het bestand" in err.value.findings.items[0].fix
    monkeypatch.setattr(tables, "MAX_TABLE_BYTES", 10**9)
    monkeypatch.setattr(tables, "MAX_TABLE_ROWS", 100)
    with pytest.raises(DatasetError) as err:
        wio.read_table(path, Findings())
    assert "meer dan 100 rijen" in err.value.findings.items[0].problem
    assert "splits het bestand" in err.value.findings.items[0].fix
