"""The Excel workbook for people: one sheet per level with labelled figures, the definitions, the sources, the demo marker."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.formatting import decimals_for
from analysis.model import Dataset
from analysis.registry import Indicator, Registry
from analysis.render.tables import neutralise, wide_indicators

__all__ = [
    "DEFINITIONS_SHEET",
    "EVALUATION_SHEET",
    "FICTIONAL_BANNER",
    "LEVEL_SHEETS",
    "SOURCES_SHEET",
    "SUPPRESSED_NOTE",
    "WORKBOOK_NAME",
    "indicators_workbook",
    "number_format",
]

#: File name of the workbook in the batch export and the download.
WORKBOOK_NAME = "indicatoren.xlsx"
#: Sheet per level, in order.
LEVEL_SHEETS: Mapping[str, str] = {"wijk": "Wijken", "buurt": "Buurten", "gemeente": "Gemeente"}
DEFINITIONS_SHEET = "Definities"
#: The sheet of the wijkplan's evaluation (only when the dataset has a plan or measures).
EVALUATION_SHEET = "Evaluatie"
SOURCES_SHEET = "Bronnen"
#: First row of every sheet of a workbook of demo data.
FICTIONAL_BANNER = "FICTIEVE GEGEVENS: een verzonnen demogemeente, geen echte wijken of inwoners"
#: Note on a cell whose figure is suppressed.
SUPPRESSED_NOTE = ("te weinig respons: minder respondenten dan de privacydrempel, daarom geen cijfer "
                   "(zie het blad Definities, 'Aantal ingevulde enquêtes')")
_LEGEND = ("Lege cel: geen cijfer. Een lege cel met een opmerking (rood hoekje) is onderdrukt: te weinig respons. "
           "Betekenis van elke kolom: blad Definities; bronnen en licenties: blad Bronnen.")
_AREA_HEADERS: Mapping[str, str] = {"gebiedscode": "Code", "gebiedsnaam": "Naam", "wijkcode": "Wijkcode"}
_DEFINITION_HEADERS: Mapping[str, str] = {
    "indicator": "Indicator (sleutel)", "naam": "Naam", "eenheid": "Eenheid", "definitie": "Definitie",
    "hoger_is_beter": "Hoger is beter", "bron": "Bron", "niveaus": "Niveaus", "groep": "Groep",
    "toelichting_jaar": "Toelichting jaar",
}
_RED = "CC3311"
_BOLD = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def number_format(unit: str | None) -> str:
    """The Excel display format of a figure of ``unit``: ``#,##0``, ``#,##0.0`` ... (Excel shows the locale's marks).

    The unit's decimals come from :data:`analysis.formatting.UNIT_DECIMALS`; units without a fixed
    precision show as ``General``.
    """
    places = decimals_for(unit)
    if places is None:
        return "General"
    return "#,##0" + ("." + "0" * places if places > 0 else "")


def _header(entry: Indicator | None, key: str) -> str:
    """``Label`` and ``(unit)`` on two lines; the unit only once when the label already names it."""
    if entry is None:
        return key
    if entry.unit.lower() in entry.label.lower():
        return entry.label
    return f"{entry.label}\n({entry.unit})"


def _text(value: object) -> object:
    """A cell value: texts neutralised (:func:`analysis.render.tables.neutralise`), missing as empty."""
    if value is None or (isinstance(value, float | int) and pd.isna(value)) or value is pd.NA:
        return None
    return neutralise(str(value))


def _set_text(ws: Worksheet, row: int, column: int, value: object) -> None:
    """Write a text cell that can never become a formula (type ``s``, neutralised)."""
    text = _text(value)
    cell = ws.cell(row=row, column=column, value=text)
    if text is not None:
        cell.data_type = "s"


@dataclass
class _Sheet:
    """The rows above a sheet's table: banner, title and legend."""

    ws: Worksheet
    next_row: int = 1

    def line(self, text: str, *, font: Font | None = None, fill: PatternFill | None = None) -> None:
        _set_text(self.ws, self.next_row, 1, text)
        cell = self.ws.cell(row=self.next_row, column=1)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        self.next_row += 1


def _start(ws: Worksheet, title: str, is_demo: bool) -> _Sheet:
    sheet = _Sheet(ws)
    if is_demo:
        sheet.line(FICTIONAL_BANNER, font=Font(bold=True, color="FFFFFF", size=12),
                   fill=PatternFill("solid", fgColor=_RED))
        for column in range(2, 9):  # the red band runs across the first columns
            ws.cell(row=1, column=column).fill = PatternFill("solid", fgColor=_RED)
    sheet.line(title, font=Font(bold=True, size=13))
    return sheet


def _header_row(sheet: _Sheet, headers: Iterable[str]) -> int:
    row = sheet.next_row
    for column, text in enumerate(headers, start=1):
        _set_text(sheet.ws, row, column, text)
        cell = sheet.ws.cell(row=row, column=column)
        cell.font = _BOLD
        cell.alignment = _WRAP_TOP
    sheet.next_row += 1
    return row


def _area_columns(areas: pd.DataFrame, level: str) -> list[str]:
    columns = ["gebiedscode", "gebiedsnaam"] + (["wijkcode"] if level == "buurt" else [])
    return [c for c in columns if c in areas.columns]


def _level_sheet(wb: Workbook, ds: Dataset, table: pd.DataFrame, level: str, year: int) -> list[str]:
    """One sheet of ``level``: a row per area, a column per indicator; returns the indicator keys shown."""
    registry = ds.registry
    areas = pd.DataFrame(ds.areas(level)).drop(columns="geometry", errors="ignore")
    values, suppressed = wide_indicators(table, level, year, registry)
    if values.empty and areas.empty:
        return []
    ws = wb.create_sheet(LEVEL_SHEETS[level])
    noun = {"wijk": "wijk", "buurt": "buurt", "gemeente": "gemeente"}[level]
    sheet = _start(ws, f"Indicatoren per {noun} · {ds.gemeente_name} · meetjaar {year}", ds.is_demo)
    sheet.line(_LEGEND, font=Font(italic=True, color="555555"))
    base = _area_columns(areas, level)
    keys = list(values.columns)
    header = _header_row(sheet, [_AREA_HEADERS[c] for c in base] + [_header(registry.get(k), k) for k in keys])
    ws.row_dimensions[header].height = 45
    codes = areas["gebiedscode"].astype(str).tolist() if len(areas) else list(values.index)
    codes += [c for c in values.index if c not in set(codes)]
    by_code = areas.assign(gebiedscode=areas["gebiedscode"].astype(str)).drop_duplicates("gebiedscode") \
        .set_index("gebiedscode") if len(areas) else pd.DataFrame()
    formats = [number_format(registry[k].unit if k in registry else None) for k in keys]
    for offset, code in enumerate(codes):
        row = header + 1 + offset
        for column, name in enumerate(base, start=1):
            _set_text(ws, row, column, code if name == "gebiedscode" else by_code[name].get(code))
        _figures(ws, row, len(base), values, suppressed, code, formats)
    _finish(ws, header, len(base), [14, 28, 12][:len(base)], 15)
    return keys


def _figures(ws: Worksheet, row: int, before: int, values: pd.DataFrame, suppressed: pd.DataFrame, code: str,
             formats: list[str]) -> None:
    """The figures of one area: numbers with a display format; a suppressed figure empty with a note."""
    if code not in values.index:
        return
    numbers, hidden = values.loc[code], suppressed.loc[code]
    for i, (value, is_hidden, fmt) in enumerate(zip(numbers.to_numpy(), hidden.to_numpy(), formats, strict=True)):
        cell = ws.cell(row=row, column=before + 1 + i)
        if bool(is_hidden):
            cell.comment = Comment(SUPPRESSED_NOTE, "Wijkweefsel", width=260, height=80)
        elif pd.notna(value):
            cell.value = float(value)
            cell.number_format = fmt


def _finish(ws: Worksheet, header: int, frozen: int, widths: list[int], default_width: int) -> None:
    """Freeze the header and the first columns, add a filter, set widths."""
    ws.freeze_panes = ws.cell(row=header + 1, column=frozen + 1)
    if ws.max_row > header:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(ws.max_column)}{ws.max_row}"
    for column in range(1, ws.max_column + 1):
        width = widths[column - 1] if column <= len(widths) else default_width
        ws.column_dimensions[get_column_letter(column)].width = width


def _definitions_sheet(wb: Workbook, ds: Dataset, registry: Registry, keys: Iterable[str]) -> None:
    """One row per indicator shown, with its definition from the dataset's registry."""
    shown = set(keys)
    frame = registry.table()
    frame = frame[frame["indicator"].isin(shown)]
    ws = wb.create_sheet(DEFINITIONS_SHEET)
    sheet = _start(ws, f"Definities van de indicatoren · {ds.gemeente_name}", ds.is_demo)
    header = _header_row(sheet, list(_DEFINITION_HEADERS.values()))
    for offset, record in enumerate(frame[list(_DEFINITION_HEADERS)].itertuples(index=False)):
        for column, value in enumerate(record, start=1):
            _set_text(ws, header + 1 + offset, column, value)
            ws.cell(row=header + 1 + offset, column=column).alignment = _WRAP_TOP
    _finish(ws, header, 1, [30, 34, 22, 90, 12, 16, 22, 22, 30], 20)


#: The columns of the evaluation sheet: plan lines, then measures (evaluation column -> Dutch header).
_PLAN_HEADERS: Mapping[str, str] = {
    "gebiedscode": "Gebied", "indicator": "Indicator", "basisjaar": "Basisjaar", "basiswaarde": "Basiswaarde",
    "reeks": "Metingen", "laatste_jaar": "Laatste jaar", "laatste_waarde": "Laatste waarde",
    "streefwaarde": "Streefwaarde", "streefjaar": "Streefjaar", "doel_gehaald": "Doel gehaald",
    "groter_dan_marge": "Groter dan de marge", "tekst": "Uitkomst",
}
_MEASURE_HEADERS: Mapping[str, str] = {
    "id": "Id", "naam": "Maatregel", "component": "Component", "gebiedscode": "Gebied", "indicator": "Indicator",
    "van_jaar": "Van", "tot_jaar": "Tot", "verandering": "Verandering in het gebied",
    "verandering_vergelijking": "Verandering elders (gemiddeld)", "verschil_in_verschil": "Verschil in verschil",
    "vergelijkingsgebieden": "Vergelijkingsgebieden", "tekst": "Uitkomst",
}
#: Columns of the evaluation holding a figure in the indicator's unit.
_UNIT_FIGURES = frozenset({"basiswaarde", "laatste_waarde", "streefwaarde", "verandering",
                           "verandering_vergelijking", "verschil_in_verschil"})


def _cell_value(column: str, value: Any) -> object:
    """An evaluation cell: yes/no in Dutch, years and counts as whole numbers, figures as floats."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "ja" if value else "nee"
    if column in _UNIT_FIGURES:
        return float(value)
    if column in ("basisjaar", "laatste_jaar", "streefjaar", "van_jaar", "tot_jaar", "vergelijkingsgebieden"):
        return int(value)
    return value


def _evaluation_block(sheet: _Sheet, frame: pd.DataFrame, headers: Mapping[str, str], registry: Registry) -> int:
    """One table of the evaluation sheet (plan lines or measures); returns its header row."""
    header = _header_row(sheet, list(headers.values()))
    ws = sheet.ws
    for record in frame.to_dict("records"):
        row = sheet.next_row
        unit = registry[str(record["indicator"])].unit if str(record["indicator"]) in registry else None
        for column, key in enumerate(headers, start=1):
            value = _cell_value(key, record.get(key))
            if key == "indicator" and str(value) in registry:
                value = registry[str(value)].label
            if isinstance(value, float | int) and not isinstance(value, bool):
                cell = ws.cell(row=row, column=column, value=value)
                cell.number_format = number_format(unit) if key in _UNIT_FIGURES else "0"
            else:
                _set_text(ws, row, column, value)
            ws.cell(row=row, column=column).alignment = _WRAP_TOP
        sheet.next_row += 1
    return header


def _evaluation_sheet(wb: Workbook, ds: Dataset, table: pd.DataFrame) -> None:
    """The wijkplan's evaluation: per plan line what changed, per measure the difference of differences."""
    from analysis.compute.evaluation import CAVEAT, evaluate_dataset

    plan, measures = evaluate_dataset(ds, table)
    ws = wb.create_sheet(EVALUATION_SHEET)
    sheet = _start(ws, f"Evaluatie van het wijkplan · {ds.gemeente_name}", ds.is_demo)
    sheet.line("Doelen: de basiswaarde, elke latere meting, of het doel gehaald is en of de verandering groter is "
               "dan de marge (alleen enquêtecijfers hebben een marge).", font=Font(italic=True, color="555555"))
    header = _evaluation_block(sheet, plan, _PLAN_HEADERS, ds.registry)
    sheet.next_row += 1
    sheet.line("Maatregelen: de verandering in het gebied sinds de start tegenover vergelijkbare gebieden zonder "
               f"zo'n maatregel (een verschil van verschillen); {CAVEAT}.", font=Font(italic=True, color="555555"))
    _evaluation_block(sheet, measures, _MEASURE_HEADERS, ds.registry)
    ws.freeze_panes = ws.cell(row=header + 1, column=2)
    for column, width in enumerate([14, 34, 10, 12, 30, 12, 14, 14, 14, 12, 14, 70], start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _sources_sheet(wb: Workbook, ds: Dataset) -> None:
    """Every source of the dataset with its file and licence."""
    ws = wb.create_sheet(SOURCES_SHEET)
    sheet = _start(ws, f"Bronnen en licenties · {ds.name}", ds.is_demo)
    header = _header_row(sheet, ["Bron", "Bestand", "Uitgever en licentie"])
    names = list(dict.fromkeys([*ds.sources, *ds.licences]))
    for offset, name in enumerate(names):
        for column, value in enumerate((name, ds.sources.get(name, ""), ds.licences.get(name, "")), start=1):
            _set_text(ws, header + 1 + offset, column, value)
            ws.cell(row=header + 1 + offset, column=column).alignment = _WRAP_TOP
    sheet.next_row = header + 2 + len(names)
    sheet.line("De indicatoren zijn berekend met Wijkweefsel; hoe, staat op de pagina Verantwoording van de app.",
               font=Font(italic=True, color="555555"))
    _finish(ws, header, 1, [28, 40, 90], 20)


def _properties(wb: Workbook, ds: Dataset, year: int) -> None:
    props = wb.properties
    title = f"Indicatoren {ds.gemeente_name} {year}"
    props.title = f"FICTIEVE GEGEVENS – {title}" if ds.is_demo else title
    props.subject = "Sociale infrastructuur per wijk en buurt"
    props.creator = "Wijkweefsel"
    props.keywords = "FICTIEVE GEGEVENS; demo" if ds.is_demo else "indicatoren"
    props.description = FICTIONAL_BANNER if ds.is_demo else f"Dataset {ds.name}"


#: Timestamps openpyxl writes into the file (the moment of saving); removed so the same data give the same bytes.
_CORE_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _repack(data: bytes) -> bytes:
    """The workbook's ZIP with fixed entry times and without the save-time stamps: reproducible bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def indicators_workbook(ds: Dataset, table: pd.DataFrame, year: int | None = None) -> bytes:
    """The indicators as an Excel workbook (``indicatoren.xlsx``) for people.

    Sheets ``Wijken``, ``Buurten`` and ``Gemeente`` (levels with areas or figures): one row per area,
    one column per indicator with its Dutch label and unit in the header; figures are numbers with
    the unit's display format (``#,##0``, ``#,##0.0``: Excel shows the reader's own separators); a
    suppressed figure is an empty cell with the note "te weinig respons". ``Definities`` holds the
    registry entry of every indicator shown, ``Evaluatie`` (only with a wijkplan) the evaluation of its
    targets and measures (:func:`analysis.compute.evaluation.evaluate_dataset`; ``table`` should then hold
    every measured year), ``Bronnen`` the sources and licences. Every text cell
    is a string cell, neutralised like the CSVs, so no name from data becomes a formula. On demo data
    every sheet starts with :data:`FICTIONAL_BANNER` and the file properties say so too.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The tidy indicator table.
    year : int, optional
        The year shown; default ``ds.year``.

    Returns
    -------
    bytes
        The ``.xlsx`` file (the same data give the same bytes).
    """
    year = int(ds.year if year is None else year)
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    shown: list[str] = []
    for level in LEVEL_SHEETS:
        shown += _level_sheet(wb, ds, table, level, year)
    _definitions_sheet(wb, ds, ds.registry, shown)
    if len(ds.plan) or len(ds.measures):
        _evaluation_sheet(wb, ds, table)
    _sources_sheet(wb, ds)
    _properties(wb, ds, year)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _repack(buffer.getvalue())
