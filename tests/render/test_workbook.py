"""Tests for analysis.render.workbook: sheets, labelled headers, numbers as numbers, suppressed notes, definitions, demo."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.compute import indicators
from analysis.render import workbook
from analysis.render.tables import is_formula_risk
from tests.render.exportdata import FORMULA, WIJKEN, YEAR, make_dataset


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)


@pytest.fixture(scope="module")
def book(ds, table) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook.indicators_workbook(ds, table)))


def header_row(ws) -> int:
    return next(row[0].row for row in ws.iter_rows() if row[0].value == "Code")


def sheet_frame(ws) -> tuple[list[str], list[list[openpyxl.cell.Cell]]]:
    top = header_row(ws)
    headers = [c.value for c in ws[top]]
    return headers, [list(row) for row in ws.iter_rows(min_row=top + 1)]


def test_sheets_and_file_properties(book):
    assert book.sheetnames == ["Wijken", "Buurten", "Gemeente", "Definities", "Bronnen"]
    assert book.properties.title.startswith("FICTIEVE GEGEVENS")
    assert "FICTIEVE GEGEVENS" in book.properties.keywords and book.properties.creator == "Wijkweefsel"


def test_every_sheet_starts_with_the_fictional_banner(book):
    for ws in book.worksheets:
        assert ws["A1"].value == workbook.FICTIONAL_BANNER, ws.title
        assert ws["A1"].fill.fgColor.rgb.endswith("CC3311")


def test_real_data_have_no_banner(table):
    real = openpyxl.load_workbook(io.BytesIO(workbook.indicators_workbook(make_dataset(is_demo=False), table)))
    for ws in real.worksheets:
        assert "FICTIEF" not in str(ws["A1"].value)
    assert "FICTIEF" not in str(real.properties.title)


def test_one_row_per_area_one_labelled_column_per_indicator(book, ds, table):
    ws = book["Wijken"]
    headers, rows = sheet_frame(ws)
    assert headers[:2] == ["Code", "Naam"]
    assert [r[0].value for r in rows] == list(WIJKEN)
    shown = table[(table["niveau"] == "wijk") & (table["jaar"] == YEAR)]["indicator"].unique()
    assert len(headers) - 2 == len(shown)
    for key, header in zip([k for k in ds.registry if k in set(shown)], headers[2:], strict=True):
        entry = ds.registry[key]
        assert header.startswith(entry.label) and entry.unit.lower() in header.lower(), (key, header)
    assert "Eenzaam\n(%)" in headers or "Vrijwilligerswerk\n(%)" in headers


def test_numbers_are_numbers_with_dutch_display_formats(book, ds, table):
    ws = book["Wijken"]
    headers, rows = sheet_frame(ws)
    keys = [k for k in ds.registry if k in set(table.loc[(table["niveau"] == "wijk") & (table["jaar"] == YEAR),
                                                          "indicator"])]
    column = {k: 2 + i for i, k in enumerate(keys)}
    rows_by_code = {r[0].value: r for r in rows}
    checked = 0
    for row in table[(table["niveau"] == "wijk") & (table["jaar"] == YEAR) & (table["onderdrukt"] == 0)
                     & table["waarde"].notna()].itertuples():
        cell = rows_by_code[row.gebiedscode][column[row.indicator]]
        assert isinstance(cell.value, int | float) and cell.data_type == "n"
        assert cell.value == pytest.approx(row.waarde, rel=1e-13, abs=1e-12)  # Excel keeps 15 digits
        assert cell.number_format == workbook.number_format(row.eenheid)
        checked += 1
    assert checked > 50
    assert workbook.number_format("%") == "#,##0" and workbook.number_format("score 0-10") == "#,##0.0"
    assert workbook.number_format("verhouding 0-1") == "#,##0.00" and workbook.number_format("waarde") == "General"


def test_suppressed_cells_are_empty_with_a_note(book, table):
    ws = book["Wijken"]
    headers, rows = sheet_frame(ws)
    rows_by_code = {r[0].value: r for r in rows}
    hidden = table[(table["niveau"] == "wijk") & (table["jaar"] == YEAR) & (table["onderdrukt"] == 1)]
    assert len(hidden)
    noted = [c for r in rows for c in r if c.comment is not None]
    assert len(noted) == len(hidden)
    for cell in noted:
        assert cell.value is None and "te weinig respons" in cell.comment.text
    assert all(rows_by_code[code][2].comment is None for code in rows_by_code)


def test_definitions_hold_every_indicator_shown_and_nothing_else(book, ds, table):
    ws = book["Definities"]
    top = next(row[0].row for row in ws.iter_rows() if row[0].value == "Indicator (sleutel)")
    keys = [row[0].value for row in ws.iter_rows(min_row=top + 1) if row[0].value]
    shown = set(table.loc[table["jaar"] == YEAR, "indicator"]) & set(ds.registry)
    assert sorted(keys) == sorted(shown) and len(keys) == len(set(keys))
    definitions = {row[0].value: row[3].value for row in ws.iter_rows(min_row=top + 1) if row[0].value}
    assert definitions["vrijwilliger_pct"] == ds.registry["vrijwilliger_pct"].definition


def test_sources_sheet_lists_the_licences(book, ds):
    ws = book["Bronnen"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    for name, licence in ds.licences.items():
        assert name in values and licence in values


def test_names_from_data_never_become_formulas(book):
    ws = book["Wijken"]
    _, rows = sheet_frame(ws)
    names = [r[1] for r in rows]
    assert names[1].value == "'" + FORMULA and names[1].data_type == "s"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not is_formula_risk(cell.value), (sheet.title, cell.coordinate)


def test_same_data_same_bytes(ds, table):
    assert workbook.indicators_workbook(ds, table) == workbook.indicators_workbook(ds, table)


def test_demo_workbook_opens_with_every_level(demo_dataset, demo_table):
    book = openpyxl.load_workbook(io.BytesIO(workbook.indicators_workbook(demo_dataset, demo_table)))
    for sheet, level in (("Wijken", demo_dataset.wijken), ("Buurten", demo_dataset.buurten)):
        _, rows = sheet_frame(book[sheet])
        assert len(rows) == len(level)


def test_no_evaluation_sheet_without_a_plan(book):
    assert workbook.EVALUATION_SHEET not in book.sheetnames


def test_evaluation_sheet_when_the_dataset_has_a_plan(ds, table):
    import dataclasses

    code = next(iter(WIJKEN))
    plan = pd.DataFrame([{"gebiedscode": code, "indicator": "ontmoeting_per_1000_inw", "basisjaar": 2023,
                          "streefwaarde": 0.1, "streefjaar": YEAR, "reden": "meer plekken"}])
    measures = pd.DataFrame([{"id": "M1", "naam": '=HYPERLINK("http://x")', "component": "ontmoeting",
                              "gebiedscode": code, "startdatum": pd.Timestamp("2024-03-01"), "einddatum": pd.NaT,
                              "startjaar": 2024, "budget": 1000.0, "omschrijving": ""}])
    planned = dataclasses.replace(ds, plan=plan, measures=measures)
    book = openpyxl.load_workbook(io.BytesIO(workbook.indicators_workbook(planned, table)))
    assert book.sheetnames == ["Wijken", "Buurten", "Gemeente", "Definities", workbook.EVALUATION_SHEET, "Bronnen"]
    ws = book[workbook.EVALUATION_SHEET]
    assert ws["A1"].value == workbook.FICTIONAL_BANNER
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    plan_header = next(i for i, r in enumerate(rows) if r[0] == "Gebied")
    line = rows[plan_header + 1]
    expected = table[(table["gebiedscode"] == code) & (table["indicator"] == "ontmoeting_per_1000_inw")]
    base = expected.loc[expected["jaar"] == 2023, "waarde"].iloc[0]
    assert line[0] == code and line[1] == ds.registry["ontmoeting_per_1000_inw"].label
    assert line[2] == 2023 and line[3] == pytest.approx(base) and line[9] in ("ja", "nee")
    measure_header = next(i for i, r in enumerate(rows) if r[0] == "Id")
    measure_rows = [r for r in rows[measure_header + 1:] if r[0] == "M1"]
    assert measure_rows and all(r[1] == "'" + FORMULA for r in measure_rows)  # neutralised
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_demo_workbook_evaluates_its_plan(demo_dataset, demo_table):
    book = openpyxl.load_workbook(io.BytesIO(workbook.indicators_workbook(demo_dataset, demo_table)))
    rows = [[c.value for c in row] for row in book[workbook.EVALUATION_SHEET].iter_rows()]
    plan_header = next(i for i, r in enumerate(rows) if r[0] == "Gebied")
    measure_header = next(i for i, r in enumerate(rows) if r[0] == "Id")
    lines = [r for r in rows[plan_header + 1:measure_header] if isinstance(r[2], int)]  # a row per plan line
    assert [r[0] for r in lines] == demo_dataset.plan["gebiedscode"].tolist()
    assert sum(r[9] == "ja" for r in lines) >= 2 and sum(r[9] == "nee" for r in lines) >= 2
    assert {r[0] for r in rows[measure_header + 1:] if r[0]} == set(demo_dataset.measures["id"])
