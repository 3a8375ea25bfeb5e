"""Spreadsheet cells as people make them: CSV in Dutch encodings, Excel sheets with titles, notes and merged headers."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings, Level
from analysis.formatting import format_number

#: Largest table file read (bytes) and most data rows (each with a message saying how to split or reduce).
MAX_TABLE_BYTES = 200 * 2**20
MAX_TABLE_ROWS = 1_000_000
#: The header is looked for in this many rows from the top (titles and blank rows above it).
HEADER_SEARCH_ROWS = 30
#: A record that spans more physical lines than this probably hides a quote that is never closed.
MAX_LINES_PER_RECORD = 20
#: How many rows one finding of a kind names before it summarises.
MAX_NAMED_ROWS = 20
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: Excel files above this size are read without the merged-cell information (openpyxl's streaming mode).
_STREAM_EXCEL_BYTES = 20 * 2**20
#: Control characters (tab and line breaks excepted): never part of a name or a number.
CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL = re.compile(CONTROL_PATTERN)
_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d+)*|[.,]\d+)([eE][-+]?\d+)?%?$")


@dataclass
class Grid:
    """Every cell of one sheet or CSV file as text, row ``i`` being the row the user sees as ``i + 1``.

    Attributes
    ----------
    rows : list of list
        Cells as text or None, ragged (rows keep their own length).
    skipped : set of int
        0-based rows left out on purpose (their findings are given already).
    merged : list of tuple
        Merged ranges of an Excel sheet as ``(first_row, first_col, last_row, last_col)``, 0-based.
    sheet : str or None
        The Excel sheet read.
    ragged : bool
        Delimited text, whose records may be wider than the header (a malformed row).
    """

    rows: list[list[str | None]]
    skipped: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str | None = None
    ragged: bool = False


def _limit_error(file: str, problem: str) -> DatasetError:
    return DatasetError(Finding("fout", file, problem,
                                "splits het bestand (bijvoorbeeld per jaar of per wijk) en noem elk deel in dataset.toml, "
                                "of laat rijen en kolommen weg die u niet nodig hebt"))


def check_size(path: Path, file: str) -> None:
    """Refuse a table file larger than :data:`MAX_TABLE_BYTES`."""
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise _limit_error(file, f"het bestand is {format_number(size / 2**20, 0)} MB; meer dan "
                                 f"{format_number(MAX_TABLE_BYTES / 2**20, 0)} MB wordt niet gelezen")


def _check_rows(count: int, file: str) -> None:
    if count > MAX_TABLE_ROWS + HEADER_SEARCH_ROWS:
        raise _limit_error(file, f"het bestand heeft meer dan {format_number(MAX_TABLE_ROWS, 0)} rijen")


def report_at(findings: Findings, level: Level, file: str, rows: list[int], column: str | None,
              problem: str, fix: str) -> None:
    """One finding per row (rows as the user sees them), at most :data:`MAX_NAMED_ROWS`, then a summary."""
    for row in rows[:MAX_NAMED_ROWS]:
        findings.add(level, file, problem, fix, row, column)
    if len(rows) > MAX_NAMED_ROWS:
        findings.add(level, file, f"hetzelfde probleem in nog {len(rows) - MAX_NAMED_ROWS} rijen", fix, None, column)


# ---------------------------------------------------------------------------------------------
# CSV and other delimited text
# ---------------------------------------------------------------------------------------------

@dataclass
class _Decoded:
    """Decoded text and which physical lines (1-based) were not in the file's main encoding."""

    text: str
    odd_lines: list[int]
    odd_encoding: str
    main_encoding: str


def _decode_line(line: bytes) -> tuple[str, bool]:
    """One line as text and whether it was UTF-8 (else Windows-1252, else Latin-1)."""
    try:
        return line.decode("utf-8"), True
    except UnicodeDecodeError:
        try:
            return line.decode("cp1252"), False
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            return line.decode("latin-1"), False


def decode(raw: bytes) -> _Decoded:
    """The text of a file in UTF-8 (with or without BOM), Windows-1252 or Latin-1, or a mix of them.

    A file that is not UTF-8 as a whole is decoded line by line, each line in the encoding it is
    valid in; lines with non-ASCII text in the minority encoding are reported (``odd_lines``).
    """
    try:
        return _Decoded(raw.decode("utf-8-sig"), [], "", "utf-8")
    except UnicodeDecodeError:
        pass
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    texts: list[str] = []
    utf8: list[int] = []
    legacy: list[int] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        text, is_utf8 = _decode_line(line)
        texts.append(text)
        if not line.isascii():
            (utf8 if is_utf8 else legacy).append(number)
    if len(utf8) <= len(legacy):
        return _Decoded("\n".join(texts), utf8, "UTF-8", "Windows-1252")
    return _Decoded("\n".join(texts), legacy, "Windows-1252", "UTF-8")


def sniff_separator(text: str) -> str:
    """The separator of delimited text: ``;``, ``,``, tab or ``|``."""
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {sep: max((line.count(sep) for line in lines), default=0) for sep in (";", ",", "\t", "|")}
        return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _records(text: str, sep: str, file: str) -> Iterator[tuple[list[str], int, int]]:
    """Records with the first and last physical line (1-based) each spans (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    last = 0
    try:
        for record in reader:
            yield record, last + 1, reader.line_num
            last = reader.line_num
    except csv.Error as exc:
        raise DatasetError(Finding("fout", file, f"de tekst na regel {last} is niet te lezen als tabel ({exc})",
                                   "controleer de aanhalingstekens in die regel, of sla het bestand opnieuw op als CSV",
                                   None)) from exc


def _report_mixed(decoded: _Decoded, line_rows: dict[int, int], file: str, findings: Findings) -> None:
    """The warning or info about the encoding, naming the rows in the minority encoding."""
    if decoded.main_encoding == "utf-8":
        return
    rows = sorted({line_rows[line] for line in decoded.odd_lines if line in line_rows})
    if not rows:
        if decoded.main_encoding == "Windows-1252":
            findings.info(file, "het bestand is geen UTF-8 en is gelezen als Windows-1252 (Excel)")
        return
    report_at(findings, "waarschuwing", file, rows, None,
              f"het bestand is gemengd opgeslagen: het meeste is {decoded.main_encoding}, maar deze rij is "
              f"{decoded.odd_encoding}; de rij is in haar eigen codering gelezen",
              "sla het hele bestand op als 'CSV UTF-8' en controleer de letters met accenten in deze rij")


def read_csv_grid(raw: bytes, file: str, findings: Findings) -> Grid:
    """The cells of delimited text, one row per record (a quoted line break keeps the row numbers right).

    Rows holding a NUL byte are left out with a warning naming them; a record that runs over many
    lines (a quote never closed) is warned about.
    """
    decoded = decode(raw)
    if not decoded.text.strip():
        raise DatasetError(Finding("fout", file, "het bestand is leeg", "vul het bestand of haal het uit dataset.toml"))
    nul_lines = {n for n, line in enumerate(decoded.text.split("\n"), start=1) if "\x00" in line}
    text = decoded.text.replace("\x00", "") if nul_lines else decoded.text
    sep = sniff_separator(text)
    rows: list[list[str | None]] = []
    line_rows: dict[int, int] = {}
    grid = Grid(rows, ragged=True)
    for record, first, last in _records(text, sep, file):
        number = len(rows) + 1
        rows.append([cell.strip() or None for cell in record])
        for line in range(first, last + 1):
            line_rows[line] = number
        if nul_lines & set(range(first, last + 1)):
            grid.skipped.add(number - 1)
        if last - first + 1 > MAX_LINES_PER_RECORD:
            findings.warning(file, f"rij {number} loopt over {last - first + 1} regels: waarschijnlijk wordt een "
                                   "aanhalingsteken niet gesloten", "sluit het aanhalingsteken in die rij of haal het weg",
                             number)
        _check_rows(number, file)
    _report_mixed(decoded, line_rows, file, findings)
    report_at(findings, "waarschuwing", file, sorted(i + 1 for i in grid.skipped), None,
              "deze rij bevat een NUL-teken (binaire gegevens) en wordt overgeslagen",
              "controleer die rij in het oorspronkelijke bestand en sla het opnieuw op als CSV")
    return grid


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------

def _open_workbook(path: Path, file: str) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=path.stat().st_size > _STREAM_EXCEL_BYTES, data_only=True)
    except Exception as exc:  # not a workbook at all, or damaged
        raise DatasetError(Finding("fout", file, f"het bestand is niet te lezen als tabel ({type(exc).__name__}: {str(exc)[:200]})",
                                   "sla het op als CSV (met ; of , als scheidingsteken) of als .xlsx")) from exc


def list_sheets(path: Path | str) -> list[str]:
    """The names of the sheets of an Excel workbook, in order (empty for other files).

    Raises
    ------
    DatasetError
        When the workbook cannot be opened.
    """
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    workbook = _open_workbook(path, path.name)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def cell_text(value: Any) -> str | None:
    """An Excel cell as text: integral numbers without ``.0``, other numbers with a decimal comma (so that
    :func:`analysis.load.files.to_number` reads them back exactly), dates as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value).replace(".", ",")
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _choose_sheet(workbook: Any, sheet: str | None, file: str, findings: Findings) -> Any:
    names = list(workbook.sheetnames)
    if sheet is None:
        if len(names) > 1:
            findings.info(file, f"het bestand heeft {len(names)} bladen ({', '.join(names[:8])}); blad '{names[0]}' is gelezen",
                          "kies een ander blad met blad = \"...\" bij dit bestand in dataset.toml")
        return workbook[names[0]]
    by_name = {name.strip().lower(): name for name in names}
    chosen = by_name.get(str(sheet).strip().lower())
    if chosen is None:
        raise DatasetError(Finding("fout", file, f"het blad '{sheet}' bestaat niet; het bestand heeft: {', '.join(names)}",
                                   "schrijf bij blad = \"...\" in dataset.toml de naam van een van deze bladen", None, "blad"))
    return workbook[chosen]


def read_excel_grid(path: Path, file: str, findings: Findings, sheet: str | None = None) -> Grid:
    """The cells of one Excel sheet (the first, or ``sheet``), with its merged ranges; dates as ``YYYY-MM-DD``."""
    workbook = _open_workbook(path, file)
    try:
        worksheet = _choose_sheet(workbook, sheet, file, findings)
        declared = worksheet.max_row or 0
        _check_rows(declared, file)
        rows: list[list[str | None]] = []
        for values in worksheet.iter_rows(min_row=1, max_row=max(declared, 1), values_only=True):
            rows.append([cell_text(v) for v in values])
            _check_rows(len(rows), file)  # counted while reading: the declared size may lie
        ranges = worksheet.merged_cells.ranges if hasattr(worksheet, "merged_cells") else ()  # not when streaming
        merged = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ranges]
        return Grid(rows, merged=merged, sheet=worksheet.title)
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# From cells to a table: the header, the notes below it, rows wider than the header
# ---------------------------------------------------------------------------------------------

def _filled(row: list[str | None]) -> list[str]:
    return [c for c in row if c is not None and c != ""]


def _numeric_share(cells: list[str]) -> float:
    return sum(bool(_NUMBER.match(c.replace(" ", ""))) for c in cells) / len(cells) if cells else 0.0


def find_header(grid: Grid) -> int:
    """The 0-based row of the header: the first row (among the top :data:`HEADER_SEARCH_ROWS`) with at least two
    different names, mostly text, filling at least half of the width of the rows below it.

    Title rows (one cell, or one merged cell), blank rows and short notes above the table are passed over.
    Without such a row the first non-empty row is the header.
    """
    rows = grid.rows
    top = min(len(rows), HEADER_SEARCH_ROWS)
    for i in range(top):
        if i in grid.skipped:
            continue
        cells = _filled(rows[i])
        if len(set(cells)) < 2 or _numeric_share(cells) >= 0.5:
            continue
        below = [len(_filled(r)) for r in rows[i + 1:i + 11]]
        if not below or len(cells) >= 0.5 * max(below):
            return i
    return next((i for i in range(len(rows)) if _filled(rows[i]) and i not in grid.skipped), 0)


def _merges_on(grid: Grid, row: int) -> list[tuple[int, int, int, int]]:
    return [m for m in grid.merged if m[0] <= row <= m[2]]


def _sub_names(grid: Grid, header: int, spans: list[tuple[int, int, int, int]], width: int) -> list[str | None] | None:
    """The row of sub-names under header cells merged over several columns, or None when the row below is data.

    Sub-names are text, stand only under those merged cells, and fill at least one of them.
    """
    if not spans or header + 1 >= len(grid.rows):
        return None
    sub = (grid.rows[header + 1] + [None] * width)[:width]
    under = {c for _, c0, _, c1 in spans for c in range(c0, c1 + 1)}
    filled = [c for c in range(width) if sub[c]]
    if not filled or not set(filled) <= under or _numeric_share([str(sub[c]) for c in filled]) >= 0.5:
        return None
    return sub


def header_names(grid: Grid, header: int) -> tuple[list[str], int]:
    """The column names and the first 0-based data row.

    A header cell merged over several columns with a row of sub-names under it (``Leeftijd`` over
    ``0-14 | 15-64 | 65+``) gives ``Leeftijd 0-14`` ...; a header cell merged over several rows moves
    the first data row below the merge.
    """
    width = max((len(r) for r in grid.rows), default=0)
    names = [(grid.rows[header] + [None] * width)[c] or "" for c in range(width)]
    first_data = header + 1
    merges = _merges_on(grid, header)
    for _, c0, r1, c1 in merges:
        first_data = max(first_data, r1 + 1)
        for c in range(c0 + 1, min(c1 + 1, width)):
            names[c] = ""  # only the first column of a merged header keeps the name, unless sub-names follow
    spans = [m for m in merges if m[3] > m[1] and m[0] == header]
    sub = _sub_names(grid, header, spans, width)
    if sub is not None:
        for _, c0, _, c1 in spans:
            top = names[c0]
            for c in range(c0, min(c1 + 1, width)):
                names[c] = f"{top} {sub[c]}".strip() if sub[c] else top
        first_data = max(first_data, header + 2)
    return [n.strip().lstrip("\ufeff").strip() for n in names], first_data


#: How a note below a table usually begins (a note right under the last row, without a blank row between).
NOTE_MARKS: tuple[str, ...] = ("bron", "noot", "opmerking", "toelichting", "verklaring", "*", "(", "©", "bewerking",
                               "peildatum", "gegevens", "let op")


def trailing_notes(grid: Grid, first_data: int, width: int) -> int:
    """The 0-based row where notes below the table begin (``len(rows)`` when there are none).

    Notes are rows of at most one filled cell after the last row with two or more (``Bron: CBS``,
    ``* geheim``), when a blank row separates them from the table or the first one begins like a note
    (:data:`NOTE_MARKS`); only for tables of three or more named columns. A row with one filled cell
    straight under the table is data (a row with only a name).
    """
    rows = grid.rows
    if width < 3:
        return len(rows)
    last_full = max((i for i in range(first_data, len(rows)) if len(_filled(rows[i])) >= 2), default=first_data - 1)
    after = [i for i in range(last_full + 1, len(rows)) if _filled(rows[i])]
    if not after:
        return len(rows)
    first_note = _filled(rows[after[0]])[0].strip().lower()
    if after[0] > last_full + 1 or first_note.startswith(NOTE_MARKS):
        return last_full + 1
    return len(rows)


def too_wide_rows(grid: Grid, first_data: int, end: int, width: int, file: str, findings: Findings) -> None:
    """Rows with filled cells beyond the header's last column are left out with a warning naming them.

    Empty extra fields (a trailing separator) are ignored silently.
    """
    for i in range(first_data, end):
        row = grid.rows[i]
        if i in grid.skipped or len(row) <= width or not _filled(row[width:]):
            continue
        grid.skipped.add(i)
        if sum(1 for j in grid.skipped if j >= first_data) <= MAX_NAMED_ROWS:
            findings.warning(file, f"deze rij heeft {len(row)} velden, de kopregel {width}; de rij wordt overgeslagen "
                                   f"(extra: '{_filled(row[width:])[0][:40]}')",
                             "staat er een scheidingsteken in een tekst? Zet die tekst tussen aanhalingstekens, of haal het "
                             "teken weg", i + 1)


def strip_controls(values: list[str | None]) -> tuple[list[str | None], list[int]]:
    """Cells without control characters (tab and line breaks stay), and the positions that had any."""
    cleaned, hit = [], []
    for i, value in enumerate(values):
        if value is not None and _CONTROL.search(value):
            hit.append(i)
            value = _CONTROL.sub("", value).strip() or None
        cleaned.append(value)
    return cleaned, hit
