"""Reading the files municipalities really have: Dutch spreadsheets, GeoJSON, GeoPackage, zipped Shapefiles."""

from __future__ import annotations

import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings, Level
from analysis.formatting import format_number
from analysis.load import tables
from analysis.model import CRS_RD, CRS_WGS84

#: CBS codes suppressed or unknown values as large negative numbers (-99999999, -99997, ...).
CBS_MISSING_BELOW = -99990.0

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")

#: Largest geo file read whole, and most objects read from one file (a national file read filtered on one
#: gemeente may be larger: only its rows are read).
MAX_GEO_BYTES = 2 * 2**30
MAX_GEO_FEATURES = 2_000_000

#: Bounds of RD New coordinates on Dutch land and sea (metres).
RD_X_RANGE_M = (-10_000.0, 300_000.0)
RD_Y_RANGE_M = (280_000.0, 650_000.0)
#: Bounds of WGS84 lon/lat around the Netherlands (degrees).
LON_RANGE = (2.5, 7.5)
LAT_RANGE = (50.5, 54.0)

#: How many findings of one kind a check reports before it summarises the rest.
MAX_FINDINGS_PER_KIND = 20

COORDINATE_ALIASES: dict[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "breedtegraad", "breedte", "wgs84lat", "ycoordinaatwgs84"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "lengte", "wgs84lon", "xcoordinaatwgs84"),
    "x": ("x", "xrd", "rdx", "xcoord", "xcoordinaat", "coordx", "x_rd"),
    "y": ("y", "yrd", "rdy", "ycoord", "ycoordinaat", "coordy", "y_rd"),
}


def normalise_name(name: object) -> str:
    """Normalise a column name for matching by meaning: lower case, no accents, only letters and digits."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", text.lower())


def find_column(table: pd.DataFrame, aliases: Iterable[str]) -> str | None:
    """The first column of ``table`` whose normalised name equals a normalised alias.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to search.
    aliases : iterable of str
        Accepted spellings, in order of preference.

    Returns
    -------
    str or None
        The column name as it appears in the table.
    """
    by_norm: dict[str, str] = {}
    for col in table.columns:
        by_norm.setdefault(normalise_name(col), col)
    for alias in aliases:
        hit = by_norm.get(normalise_name(alias))
        if hit is not None:
            return hit
    return None


def match_columns(table: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map standard names to the table's columns, matched by meaning.

    Returns
    -------
    dict
        Standard name to actual column, only for the names found.
    """
    found = {}
    for std, names in aliases.items():
        col = find_column(table, (std, *names))
        if col is not None:
            found[std] = col
    return found


def user_row(index: int, kind: str = "table") -> int:
    """The row number a user sees for a 0-based position: spreadsheet row (header = 1) or feature number."""
    return int(index) + (2 if kind == "table" else 1)


def row_kind(frame: pd.DataFrame) -> str:
    """``'geo'`` for frames read from geo files (feature numbers), else ``'table'`` (spreadsheet rows)."""
    return frame.attrs.get("row_kind", "table")


def to_number(values: pd.Series, findings: Findings | None = None, file: str = "",
              column: str | None = None, kind: str = "table", cbs_missing: bool = True) -> pd.Series:
    """Parse numbers written the Dutch or the English way; CBS missing codes become NaN.

    Accepts ``1234``, ``1234.5``, ``1234,5``, ``1.234,5`` and ``1,234.5``; empty cells are NaN.
    In a column that uses decimal commas, ``1.200`` is read as 1200 (a Dutch thousands dot).
    Values of -99990 or lower (CBS: secret or unknown) become NaN, never numbers. ``NaN``, ``inf`` and
    ``Infinity`` written as text are not numbers either: they are reported like any other text.

    Parameters
    ----------
    values : pandas.Series
        Raw values (strings or numbers), indexed by 0-based row position.
    findings : Findings, optional
        Where to report cells that are not numbers (as warnings, at most
        :data:`MAX_FINDINGS_PER_KIND`, then a summary).
    file, column, kind : str
        For the message: file name, column name, ``'table'`` or ``'geo'`` row numbering.
    cbs_missing : bool
        Treat values <= :data:`CBS_MISSING_BELOW` as missing.

    Returns
    -------
    pandas.Series
        float64 values.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("float64")
        infinite = pd.Series(np.isinf(out.to_numpy()), index=out.index)
        if findings is not None and infinite.any():
            report_rows(findings, "waarschuwing", file, infinite[infinite].index, column,
                        lambda i: f"'{values.loc[i]}' is geen eindig getal en wordt als ontbrekend gelezen",
                        "schrijf een getal, zoals 12 of 12,5, of laat de cel leeg", kind)
        out = out.mask(infinite)
    else:
        text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
        text = text.str.replace(" ", "", regex=False)
        has_comma = text.str.contains(",", regex=False).fillna(False)
        has_dot = text.str.contains(".", regex=False).fillna(False)
        dutch = has_comma & (~has_dot | (text.str.rfind(",") > text.str.rfind(".")))
        english_thousands = has_comma & ~dutch
        if dutch.any():
            # In a column written the Dutch way, '1.200' is twelve hundred, not 1.2.
            dutch |= text.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+").fillna(False)
        text = text.mask(dutch, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        text = text.mask(english_thousands, text.str.replace(",", "", regex=False))
        out = pd.to_numeric(text, errors="coerce").astype("float64")
        out = out.mask(np.isinf(out.to_numpy()))  # 'inf' and 'Infinity' are text, not numbers
        bad = out.isna() & text.notna() & (text != "")
        if findings is not None and bad.any():
            report_rows(findings, "waarschuwing", file, bad[bad].index, column,
                        lambda i: f"'{values.loc[i]}' is geen getal en wordt als ontbrekend gelezen",
                        "schrijf een getal, zoals 12 of 12,5, of laat de cel leeg", kind)
    if cbs_missing:
        out = out.mask(out <= CBS_MISSING_BELOW)
    return out


def report_rows(findings: Findings, level: Level, file: str, index: Iterable, column: str | None,
                problem: str | Callable[[Any], str], fix: str, kind: str = "table") -> None:
    """Report one finding per row (at most :data:`MAX_FINDINGS_PER_KIND`), then one summary line.

    ``problem`` is a string or a callable taking the row label and returning the string.
    """
    rows = list(index)
    for label in rows[:MAX_FINDINGS_PER_KIND]:
        text = problem(label) if callable(problem) else problem
        findings.add(level, file, text, fix, user_row(label, kind), column)
    if len(rows) > MAX_FINDINGS_PER_KIND:
        rest = len(rows) - MAX_FINDINGS_PER_KIND
        findings.add(level, file, f"hetzelfde probleem in nog {rest} rijen", fix, None, column)


def _read_grid(path: Path, file: str, findings: Findings, sheet: str | None) -> tables.Grid:
    """Every cell of a CSV or Excel file as text, rows numbered as the user sees them."""
    suffix = path.suffix.lower()
    if suffix in tables.EXCEL_SUFFIXES:
        return tables.read_excel_grid(path, file, findings, sheet)
    if suffix == ".xls":
        try:
            import xlrd  # noqa: F401  (optional: only the old Excel 97-2003 format needs it)
        except ImportError as exc:
            raise DatasetError(Finding("fout", file, "het oude Excel-formaat (.xls, Excel 97-2003) wordt niet gelezen",
                                       "open het bestand in Excel en sla het op als .xlsx of als CSV")) from exc
        try:
            cells = pd.read_excel(path, dtype=str, sheet_name=sheet or 0, header=None, keep_default_na=False)
        except Exception as exc:
            raise DatasetError(Finding("fout", file, f"het bestand is niet te lezen als tabel ({type(exc).__name__}: {exc})",
                                       "open het bestand in Excel en sla het op als .xlsx of als CSV")) from exc
        return tables.Grid([[c.strip() or None for c in row] for row in cells.to_numpy().tolist()])
    return tables.read_csv_grid(path.read_bytes(), file, findings)


def _column_names(names: list[str], frame: pd.DataFrame, file: str, header_row: int) -> pd.DataFrame:
    """Name the columns: unnamed empty columns dropped, other unnamed ones ``kolom N``; a name used twice is an error."""
    keep = [i for i, name in enumerate(names) if name or frame.iloc[:, i].notna().any()]
    frame = frame.iloc[:, keep]
    frame.columns = pd.Index([names[i] or f"kolom {i + 1}" for i in keep], dtype=object)
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise DatasetError(Finding("fout", file, f"de kolomnaam '{dup}' komt twee keer voor",
                                   "geef elke kolom een eigen naam", header_row, dup))
    return frame


def _strip_control_characters(frame: pd.DataFrame, file: str, findings: Findings, kind: str = "table") -> pd.DataFrame:
    """Remove control characters from every text cell (they break names on screen and in exports), naming the rows."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in frame.columns:
        if column == geometry or not (pd.api.types.is_object_dtype(frame[column])
                                      or pd.api.types.is_string_dtype(frame[column])):
            continue
        values = frame[column].astype("string")
        hit = values.str.contains(tables.CONTROL_PATTERN, regex=True, na=False)
        if hit.any():
            report_rows(findings, "waarschuwing", file, hit[hit].index, str(column),
                        "de cel bevat onzichtbare stuurtekens; die zijn weggehaald",
                        "haal de stuurtekens weg in het oorspronkelijke bestand (ze komen vaak mee bij kopiëren uit "
                        "een ander programma)", kind)
            cleaned = values.str.replace(tables.CONTROL_PATTERN, "", regex=True).str.strip()
            cleaned = cleaned.mask(cleaned == "")
            frame[column] = cleaned.astype(object).where(cleaned.notna(), np.nan) if geometry else cleaned.astype(str)
    return frame


def _table_from_grid(grid: tables.Grid, file: str, findings: Findings) -> pd.DataFrame:
    """The grid as a table: the header found (titles above it skipped), notes below it and malformed rows left out."""
    header = tables.find_header(grid)
    names, first = tables.header_names(grid, header)
    if grid.ragged:  # delimited text: a record wider than the header is a malformed row
        tables.too_wide_rows(grid, first, len(grid.rows), len(grid.rows[header]), file, findings)
    end = tables.trailing_notes(grid, first, sum(1 for n in names if n))
    notes = [i + 1 for i in range(end, len(grid.rows)) if any(grid.rows[i])]
    if notes:
        findings.info(file, f"{len(notes)} {'regel' if len(notes) == 1 else 'regels'} onder de tabel (zoals "
                            f"'{next(c for c in grid.rows[notes[0] - 1] if c)[:60]}') {'is' if len(notes) == 1 else 'zijn'} "
                            "als opmerking overgeslagen", "", notes[0])
    if header > 0:
        findings.info(file, f"de kopregel staat op rij {header + 1}; de rijen erboven (titel, toelichting) zijn overgeslagen",
                      "", header + 1)
    width = len(names)
    body = [i for i in range(first, end) if i not in grid.skipped]
    cells = [(grid.rows[i] + [None] * width)[:width] for i in body]
    # The index is the spreadsheet row minus 2 (row i + 1), so that user_row(label) is the row the user sees.
    table = pd.DataFrame(cells, index=pd.Index([i - 1 for i in body]), columns=range(width), dtype=object)
    table = _column_names(names, table, file, header + 1)
    table = table.dropna(how="all").astype(str)  # pandas' text dtype, missing cells NaN
    if table.empty:
        raise DatasetError(Finding("fout", file, "het bestand heeft een kopregel maar geen rijen met gegevens",
                                   "vul rijen in onder de kopregel", header + 1))
    table = _strip_control_characters(table, file, findings)
    table.attrs["row_kind"] = "table"
    table.attrs["header_row"] = header + 1
    if grid.sheet is not None:
        table.attrs["sheet"] = grid.sheet
    return table


def header_row(frame: pd.DataFrame) -> int | None:
    """The row of a table's header as the user sees it (1 unless titles stand above it); None for geo files."""
    if row_kind(frame) != "table":
        return None
    return int(frame.attrs.get("header_row", 1))


def list_sheets(path: Path | str) -> list[str]:
    """The sheets of an Excel workbook, in order (empty for other files); choose one with ``blad`` in dataset.toml."""
    return tables.list_sheets(path)


def read_table(path: Path | str, findings: Findings, file: str | None = None,
               sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV or Excel table as text columns, as people make them.

    Handles ``;``, ``,``, tab or ``|`` separators; UTF-8 with or without BOM, Windows-1252 and
    Latin-1, also mixed within one file (each row read in its own encoding, with a warning naming
    the rows in the minority encoding); quoted cells with line breaks (the row numbers stay those
    Excel shows); rows with a NUL byte (left out, named); rows with more fields than the header
    (left out, named). Excel (``.xlsx``): the first sheet or ``sheet``; title rows above the header,
    notes below the table and merged header cells; dates become ``YYYY-MM-DD``, numbers keep their
    value. Control characters are removed from every cell (with a warning per row). All cells are
    text so codes keep their leading zeros; parse numbers with :func:`to_number`.

    Parameters
    ----------
    path : path-like
        The file.
    findings : Findings
        Receives warnings and infos.
    file : str, optional
        Name for messages; defaults to the file name.
    sheet : str, optional
        The Excel sheet to read (``blad`` in dataset.toml); see :func:`list_sheets`.

    Returns
    -------
    pandas.DataFrame
        String columns (missing cells NaN) with stripped names; ``attrs['row_kind'] = 'table'`` and
        ``attrs['header_row']`` (the header's row as the user sees it). The index is the row as the
        user sees it minus 2, so :func:`user_row` of a label is that row (header on row 3: the first
        data row is row 4). Empty rows are left out.

    Raises
    ------
    DatasetError
        When the file is missing, empty, unreadable, over the size or row limit
        (:data:`analysis.load.tables.MAX_TABLE_BYTES`, :data:`~analysis.load.tables.MAX_TABLE_ROWS`),
        or has no data rows.
    """
    path = Path(path)
    file = file or path.name
    if not path.exists():
        raise DatasetError(Finding("fout", file, "het bestand bestaat niet",
                                   "controleer de bestandsnaam in dataset.toml en of het bestand in de map staat"))
    if path.stat().st_size == 0:
        raise DatasetError(Finding("fout", file, "het bestand is leeg", "vul het bestand of haal het uit dataset.toml"))
    tables.check_size(path, file)
    return _table_from_grid(_read_grid(path, file, findings, sheet), file, findings)


def _fits_netherlands(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of an ``(n, 4)`` bounds array (minx, miny, maxx, maxy) lie in the Netherlands
    as WGS84 lon/lat and which as RD New metres (missing coordinates fit neither)."""
    minx, miny, maxx, maxy = np.asarray(bounds, dtype="float64").reshape(-1, 4).T
    wgs = (minx >= LON_RANGE[0]) & (maxx <= LON_RANGE[1]) & (miny >= LAT_RANGE[0]) & (maxy <= LAT_RANGE[1])
    rd = ((minx >= RD_X_RANGE_M[0]) & (maxx <= RD_X_RANGE_M[1])
          & (miny >= RD_Y_RANGE_M[0]) & (maxy <= RD_Y_RANGE_M[1]))
    return wgs, rd


def _bounds_look_like(bounds: np.ndarray) -> str | None:
    """'rd', 'wgs84' or None for one bounds array (minx, miny, maxx, maxy)."""
    wgs, rd = _fits_netherlands(bounds)
    return "wgs84" if wgs[0] else "rd" if rd[0] else None


def _to_rd(frame: gpd.GeoDataFrame, file: str, findings: Findings, declared: bool,
           quiet_if: str | None = None) -> gpd.GeoDataFrame:
    """Set or check the CRS by the coordinate ranges and project to EPSG:28992.

    Every geometry votes by its own bounds, so that one misplaced object does not make the
    whole file unreadable. A frame without a declared CRS gets the system most geometries fit
    (with an ``info`` saying so, and a warning per object that fits neither); a declared RD or
    WGS84 CRS whose coordinates plainly are the other system is corrected (with an ``info``).
    ``quiet_if`` names a recognised system that needs no message (kept for callers; the
    loaders always report).
    """
    valid = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if valid.empty:
        raise DatasetError(Finding("fout", file, "geen enkele rij heeft een geometrie of geldige coördinaten",
                                   "geef elke rij een geometrie, lat/lon of RD x/y"))
    wgs, rd = _fits_netherlands(shapely.bounds(valid.to_numpy()))
    looks = None if not (wgs.any() or rd.any()) else "wgs84" if wgs.sum() >= rd.sum() else "rd"
    undeclared = not declared or frame.crs is None
    if looks is not None and undeclared:
        misfit = ~(wgs if looks == "wgs84" else rd)
        label = "lengte/breedte" if looks == "wgs84" else "RD New-meters"
        report_rows(findings, "waarschuwing", file, valid.index[misfit], None,
                    f"de coördinaten van dit object liggen niet in Nederland, terwijl de andere objecten {label} zijn",
                    "controleer de geometrie van dit object in een GIS-programma", "geo")
    epsg = frame.crs.to_epsg() if frame.crs is not None else None
    if undeclared:
        if looks == "rd":
            frame = frame.set_crs(CRS_RD, allow_override=True)
            if quiet_if != "rd":
                findings.info(file, "geen coördinatenstelsel opgegeven; herkend als RD New (EPSG:28992) aan de coördinaten")
        elif looks == "wgs84":
            frame = frame.set_crs(CRS_WGS84, allow_override=True)
            if quiet_if != "wgs84":
                findings.info(file, "geen coördinatenstelsel opgegeven; herkend als WGS84 lengte/breedte (EPSG:4326) aan de coördinaten")
        else:
            raise DatasetError(Finding("fout", file, "het coördinatenstelsel is niet herkend: de coördinaten liggen niet in Nederland in RD (EPSG:28992) of in lengte/breedte (EPSG:4326)",
                                       "exporteer het bestand in EPSG:28992 of EPSG:4326"))
    elif epsg == 4326 and looks == "rd":
        # CBS files often carry RD metres while claiming (or defaulting to) WGS84.
        frame = frame.set_crs(CRS_RD, allow_override=True)
        findings.info(file, "de coördinaten zijn RD New-meters (EPSG:28992), niet lengte/breedte; zo gelezen")
    elif epsg == 28992 and looks == "wgs84":
        frame = frame.set_crs(CRS_WGS84, allow_override=True)
        findings.info(file, "de coördinaten zijn lengte/breedte (EPSG:4326), niet RD New-meters zoals het bestand opgeeft; zo gelezen")
    return frame.to_crs(CRS_RD)


def _geo_source(path: Path, file: str) -> str:
    """What GDAL opens for a geo file: the path, or ``zip://...!x.shp`` for a zipped Shapefile."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise DatasetError(Finding("fout", file, "het bestand bestaat niet",
                                   "controleer de bestandsnaam in dataset.toml en of het bestand in de map staat"))
    if path.stat().st_size == 0:
        raise DatasetError(Finding("fout", file, "het bestand is leeg", "vul het bestand of haal het uit dataset.toml"))
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                shapefiles = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        except zipfile.BadZipFile as exc:
            raise DatasetError(Finding("fout", file, "het ZIP-bestand is beschadigd of geen ZIP",
                                       "pak de Shapefile opnieuw in (.shp, .shx, .dbf en .prj samen)")) from exc
        if not shapefiles:
            raise DatasetError(Finding("fout", file, "het ZIP-bestand bevat geen Shapefile (.shp)",
                                       "zet de .shp met .shx, .dbf en .prj in het ZIP-bestand"))
        return f"zip://{path}!{shapefiles[0]}"
    if suffix not in GEO_SUFFIXES:
        raise DatasetError(Finding("fout", file, f"bestandstype '{suffix}' wordt niet ondersteund",
                                   "gebruik GeoJSON, GeoPackage, een gezipte Shapefile, CSV of Excel"))
    return str(path)


def geo_fields(path: Path | str, file: str | None = None) -> tuple[list[str], int]:
    """The attribute columns and the number of features of a geo file, without reading its features.

    Returns
    -------
    tuple
        ``(columns, count)``; ``([], -1)`` when the file cannot be inspected (a table, a broken file).
    """
    path = Path(path)
    if path.suffix.lower() in TABLE_SUFFIXES:
        return [], -1
    try:
        info = pyogrio.read_info(_geo_source(path, file or path.name))
    except Exception:  # inspecting is an optimisation: the full read reports what is wrong
        return [], -1
    return [str(c) for c in info["fields"]], int(info["features"])


#: A GeoJSON feature with a numeric ``id`` member: GDAL then uses it as the feature id.
_GEOJSON_NUMERIC_ID = re.compile(rb'"type"\s*:\s*"Feature"\s*,\s*"id"\s*:\s*\d')


def _feature_positions(source: str, path: Path, fids: pd.Index) -> pd.Index:
    """0-based feature positions of the FIDs a filtered read returned, so that row numbers stay the file's.

    A Shapefile's FIDs are its record numbers and a GeoJSON's the feature positions (unless its
    features carry numeric ``id`` members); other formats (a GeoPackage's ``fid``) are looked up.
    """
    suffix = path.suffix.lower()
    if suffix == ".zip" or suffix == ".shp":
        return fids
    if suffix in (".geojson", ".json"):
        with open(path, "rb") as handle:
            if not _GEOJSON_NUMERIC_ID.search(handle.read(65536)):
                return fids
    _, all_fids, _, _ = pyogrio.raw.read(source, columns=[], read_geometry=False, return_fids=True)
    order = np.argsort(all_fids, kind="stable")
    return pd.Index(order[np.searchsorted(all_fids, fids.to_numpy(), sorter=order)])


def _geo_limit(file: str, problem: str) -> DatasetError:
    return DatasetError(Finding("fout", file, f"{problem}; meer dan {format_number(MAX_GEO_FEATURES, 0)} objecten of "
                                f"{format_number(MAX_GEO_BYTES / 2**30, 0)} GB wordt niet gelezen",
                                "zet in dataset.toml gemeente = \"GM....\" zodat alleen die gemeente wordt gelezen, of knip "
                                "het bestand in een GIS-programma (QGIS) bij tot de gemeente"))


def _check_geo_size(path: Path, source: str, file: str, where: str | None) -> None:
    """Refuse a geo file over :data:`MAX_GEO_BYTES` or :data:`MAX_GEO_FEATURES` before reading it whole."""
    if where is not None:
        return  # filtered while reading: the rows read are counted afterwards
    if path.stat().st_size > MAX_GEO_BYTES:
        raise _geo_limit(file, f"het bestand is {format_number(path.stat().st_size / 2**30, 1)} GB")
    try:
        count = int(pyogrio.read_info(source)["features"])
    except Exception:  # the read itself reports a broken file
        return
    if count > MAX_GEO_FEATURES:
        raise _geo_limit(file, f"het bestand heeft {format_number(count, 0)} objecten")


def read_geo(path: Path | str, findings: Findings, file: str | None = None,
             where: str | None = None, sheet: str | None = None) -> gpd.GeoDataFrame:
    """Read a geo file (GeoJSON, GeoPackage, (zipped) Shapefile) or a table with coordinates into EPSG:28992.

    Tables (CSV, Excel) need ``lat``/``lon`` or RD ``x``/``y`` columns (see :func:`points_from_columns`).
    A file that declares no CRS is recognised from its coordinate ranges, with an ``info`` finding.

    Parameters
    ----------
    path : path-like
        The file.
    findings : Findings
        Receives the CRS infos and warnings.
    file : str, optional
        Name for messages.
    where : str, optional
        An OGR SQL attribute filter (``"GM_CODE" = 'GM0193'``): only the features that match are
        read, so one gemeente can be taken from a national file without holding all of it.
        Ignored for tables.
    sheet : str, optional
        The Excel sheet of a table with coordinates (see :func:`read_table`).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:28992; ``attrs['row_kind']`` is ``'geo'`` for geo files and ``'table'`` for tables.
        The index is the 0-based feature position in the file (also after a ``where`` filter),
        so :func:`user_row` gives the feature number.

    Raises
    ------
    DatasetError
        When the file is missing, empty or unreadable, or its CRS cannot be recognised.
    """
    path = Path(path)
    file = file or path.name
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        table = read_table(path, findings, file, sheet)
        geometry = points_from_columns(table, findings, file, required=True)
        frame = gpd.GeoDataFrame(table, geometry=geometry, crs=CRS_RD)
        frame.attrs["row_kind"] = "table"
        return frame
    source = _geo_source(path, file)
    _check_geo_size(path, source, file, where)
    try:
        frame = gpd.read_file(source, where=where, fid_as_index=where is not None)
        if where is not None:
            frame.index = _feature_positions(source, path, frame.index)
    except Exception as exc:
        raise DatasetError(Finding("fout", file, f"het bestand is niet te lezen als kaartbestand ({type(exc).__name__}: {str(exc)[:200]})",
                                   "controleer of het een geldig GeoJSON-, GeoPackage- of gezipt Shapefile-bestand is")) from exc
    if frame.empty:
        if where is not None:
            return frame
        raise DatasetError(Finding("fout", file, "het bestand bevat geen objecten", "vul het bestand of haal het uit dataset.toml"))
    if len(frame) > MAX_GEO_FEATURES:
        raise _geo_limit(file, f"er zijn {format_number(len(frame), 0)} objecten gelezen")
    if where is None:
        frame = frame.reset_index(drop=True)
    frame.columns = [c if c == frame.geometry.name else str(c).strip() for c in frame.columns]
    frame = _strip_control_characters(frame, file, findings, "geo")
    if suffix in (".geojson", ".json") and not _geojson_declares_crs(path):
        # RFC 7946: GeoJSON is WGS84 by definition, but CBS exports often carry RD metres without saying so.
        frame = _to_rd(frame, file, findings, declared=False)
    else:
        frame = _to_rd(frame, file, findings, declared=frame.crs is not None)
    frame.attrs["row_kind"] = "geo"
    return frame


def _geojson_declares_crs(path: Path) -> bool:
    """True when a GeoJSON file has a (legacy) ``crs`` member; RFC 7946 files are WGS84 by definition."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return b'"crs"' in head


def _report_systems(systems: pd.DataFrame, cols: dict[str, str], names: tuple[str, str], kind: str,
                    findings: Findings, file: str, rows: str) -> None:
    """Say how the coordinates were read: swapped columns, a mix of RD and degrees, or the other system throughout.

    ``systems`` holds per row the booleans ``wgs``, ``rd`` and ``swapped``; ``kind`` is the system the
    column names promise (``wgs84`` for lat/lon, ``rd`` for x/y).
    """
    first, second = names
    is_wgs, is_rd, is_swapped = systems["wgs"], systems["rd"], systems["swapped"]
    lat_name, lon_name = cols.get("lat", "lat"), cols.get("lon", "lon")
    if is_swapped.any():
        if is_swapped.sum() == (is_wgs | is_swapped | is_rd).sum():
            findings.warning(file, f"de kolommen {first} en {second} lijken verwisseld (breedte en lengte); zo gelezen",
                             f"zet de breedtegraad (rond 52) in {lat_name} en de lengtegraad (rond 5) in {lon_name}")
        else:
            report_rows(findings, "waarschuwing", file, is_swapped[is_swapped].index, first,
                        "lengte en breedte lijken verwisseld in deze rij; zo gelezen",
                        f"zet de breedtegraad (rond 52) in {lat_name} en de lengtegraad (rond 5) in {lon_name}", rows)
    degrees = is_wgs | is_swapped
    if is_rd.any() and degrees.any():  # a mix: the rows of the smaller system are reported
        minority, label = ((is_rd, "RD New-meters (EPSG:28992)") if is_rd.sum() < degrees.sum()
                           else (degrees, "lengte/breedte (EPSG:4326)"))
        report_rows(findings, "waarschuwing", file, minority[minority].index, first,
                    f"de coördinaten in deze rij zijn {label}, anders dan in de andere rijen; zo gelezen",
                    "gebruik in het hele bestand één stelsel: lat/lon in graden of x/y in meters", rows)
    elif (is_rd if kind == "wgs84" else degrees).any():  # the whole file is in the other system
        label = "RD New-meters (EPSG:28992)" if kind == "wgs84" else "lengte/breedte (EPSG:4326)"
        findings.info(file, f"de coördinaten in {first}/{second} zijn {label}; zo gelezen")


def points_from_columns(table: pd.DataFrame, findings: Findings, file: str,
                        required: bool = True) -> gpd.GeoSeries | None:
    """Point geometry from ``lat``/``lon`` or RD ``x``/``y`` columns, in EPSG:28992.

    Decimal commas are accepted. Every row is recognised from its coordinate ranges:
    WGS84 lon/lat, RD metres, or lat/lon swapped. RD numbers in ``lat``/``lon`` columns (or
    degrees in ``x``/``y``) and swapped columns are read as such and reported: once when the
    whole file is so, per row otherwise. Rows whose coordinates are missing, not numbers or
    outside the Netherlands get no geometry and a warning naming the row and column; when no
    row at all lies in the Netherlands the file is refused.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw table with a 0-based index.
    findings : Findings
        Receives warnings and infos.
    file : str
        File name for messages.
    required : bool
        When True, raise if there are no coordinate columns at all.

    Returns
    -------
    geopandas.GeoSeries or None
        Aligned with ``table.index``; None when no coordinate columns and not required.
    """
    cols = match_columns(table, COORDINATE_ALIASES)
    if "lat" in cols and "lon" in cols:
        first, second, kind = cols["lon"], cols["lat"], "wgs84"
    elif "x" in cols and "y" in cols:
        first, second, kind = cols["x"], cols["y"], "rd"
    else:
        if required:
            raise DatasetError(Finding("fout", file, "er zijn geen kolommen met een locatie gevonden",
                                       "voeg kolommen lat en lon (WGS84) of x en y (RD New, meters) toe"))
        return None
    rows = row_kind(table)
    xs = to_number(table[first], findings, file, first, rows, cbs_missing=False)
    ys = to_number(table[second], findings, file, second, rows, cbs_missing=False)
    ok = xs.notna() & ys.notna()
    missing = ~ok
    if missing.any():
        report_rows(findings, "waarschuwing", file, missing[missing].index, first,
                    "de coördinaten ontbreken; deze rij krijgt geen locatie",
                    f"vul {first} en {second} in", rows)
    # Every row is recognised on its own, so one bad row does not make the whole file unreadable.
    wgs, rd = _fits_netherlands(np.column_stack([xs, ys, xs, ys]))
    swapped, _ = _fits_netherlands(np.column_stack([ys, xs, ys, xs]))
    is_wgs = pd.Series(wgs, index=table.index)
    is_rd = pd.Series(rd, index=table.index)
    is_swapped = pd.Series(swapped & ~wgs, index=table.index)
    unknown = ok & ~is_wgs & ~is_rd & ~is_swapped
    if ok.any() and not (is_wgs | is_rd | is_swapped).any():
        raise DatasetError(Finding("fout", file, f"de coördinaten in {first}/{second} liggen niet in Nederland (niet als RD New en niet als lengte/breedte te lezen)",
                                   "gebruik lat/lon in graden (WGS84) of x/y in meters (RD New, EPSG:28992)", None, first))
    systems = pd.DataFrame({"wgs": is_wgs, "rd": is_rd, "swapped": is_swapped})
    _report_systems(systems, cols, (first, second), kind, findings, file, rows)
    if unknown.any():
        report_rows(findings, "waarschuwing", file, unknown[unknown].index, first,
                    lambda i: f"de coördinaten ({table[first].loc[i]}, {table[second].loc[i]}) liggen niet in Nederland; deze rij krijgt geen locatie",
                    "controleer de coördinaten: lat/lon in graden (WGS84) of x/y in meters (RD New)", rows)
    lon = xs.where(~is_swapped, ys)
    lat = ys.where(~is_swapped, xs)
    from_wgs = gpd.GeoSeries(shapely.points(lon.to_numpy(), lat.to_numpy()), index=table.index,
                             crs=CRS_WGS84).to_crs(CRS_RD)
    from_rd = gpd.GeoSeries(shapely.points(xs.to_numpy(), ys.to_numpy()), index=table.index, crs=CRS_RD)
    geometry = np.where(is_rd.to_numpy(), from_rd.to_numpy(),
                        np.where((is_wgs | is_swapped).to_numpy(), from_wgs.to_numpy(), None))
    return gpd.GeoSeries(geometry, index=table.index, crs=CRS_RD)


def read_any(path: Path | str, findings: Findings, file: str | None = None,
             sheet: str | None = None) -> pd.DataFrame:
    """Read a table or geo file, whichever the suffix says (geo files keep their geometry)."""
    suffix = Path(path).suffix.lower()
    if suffix in GEO_SUFFIXES:
        return read_geo(path, findings, file)
    return read_table(path, findings, file, sheet)


# ---------------------------------------------------------------------------------------------
# Checks before reading, and TOML files (the manifest, the codebook)
# ---------------------------------------------------------------------------------------------

_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_TOML_LINE = re.compile(r"at line (\d+)(?:, column (\d+))?")
#: tomllib's most common messages in Dutch (prefix match); others are shown as the parser wrote them.
_TOML_DUTCH: tuple[tuple[str, str], ...] = (
    ("Invalid value", "ongeldige waarde: zet tekst tussen aanhalingstekens"),
    ("Expected '=' after a key", "na een naam hoort een ="),
    ("Invalid statement", "deze regel is geen naam = waarde en geen [kop]"),
    ("Cannot overwrite a value", "een naam komt twee keer voor"),
    ("Cannot declare", "een [kop] komt twee keer voor"),
    ("Unterminated string", "aanhalingsteken niet gesloten"),
    ("Unclosed array", "lijst niet gesloten met ]"),
    ("Unclosed inline table", "tabel niet gesloten met }"),
    ("Expected newline or end of document", "na de waarde staat nog iets op dezelfde regel"),
)


#: Text with more control bytes than this share (NUL and the like, not tabs or line breaks) is binary; a
#: few NUL bytes in an otherwise readable file only cost their rows (see :func:`analysis.load.tables.read_csv_grid`).
BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def _control_share(head: bytes) -> float:
    return sum(head.count(bytes([b])) for b in _CONTROL_BYTES) / len(head)


def preflight(path: Path, file: str) -> None:
    """Reject files that cannot be what their name says: binary content in a text table, wrong suffix.

    Raises
    ------
    DatasetError
        For a ZIP or Excel file named ``.csv``, UTF-16 text, or binary content.
    """
    if not path.is_file():
        return  # the readers report missing files
    with open(path, "rb") as handle:
        head = handle.read(8192)
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES and head:
        if head.startswith(b"PK\x03\x04"):
            raise DatasetError(Finding("fout", file, "dit is geen tekstbestand maar een Excel- of ZIP-bestand met de extensie "
                                       f"{suffix}", "geef het bestand de juiste extensie (.xlsx) of sla het op als CSV"))
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DatasetError(Finding("fout", file, "het bestand is opgeslagen als UTF-16 (Unicode-tekst), dat wordt niet gelezen",
                                       "sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'"))
        if b"\x00" in head and _control_share(head) > BINARY_CONTROL_SHARE:
            raise DatasetError(Finding("fout", file, "het bestand is niet te lezen: het bevat binaire gegevens, geen tekst",
                                       "sla het op als CSV (met ; of , als scheidingsteken) of als .xlsx"))


def _toml_error(file: str, exc: tomllib.TOMLDecodeError, fix: str) -> DatasetError:
    """A Dutch finding for a TOML syntax error, with the line the parser names as the row."""
    message = str(exc)
    match = _TOML_LINE.search(message)
    line = int(match.group(1)) if match else None
    where = f"regel {line}" if line else "het bestand"
    reason = _TOML_LINE.sub("", message).strip(" ()")
    reason = next((dutch for english, dutch in _TOML_DUTCH if reason.startswith(english)), reason)
    return DatasetError(Finding("fout", file, f"het bestand is geen geldige TOML ({reason})", f"controleer {where}: {fix}",
                                line))


def read_toml(path: Path, file: str, fix: str) -> dict[str, Any]:
    """Parse a TOML file (the manifest, a codebook).

    Parameters
    ----------
    path : Path
        The file.
    file : str
        Name for messages.
    fix : str
        What to check when the TOML is malformed (Dutch), appended to the line the parser names.

    Returns
    -------
    dict
        The parsed document.

    Raises
    ------
    DatasetError
        For missing, empty, undecodable or malformed files (the row is the line the parser names).
    """
    if not path.is_file():
        raise DatasetError(Finding("fout", file, "het bestand bestaat niet", "zet het bestand in de datasetmap"))
    raw = path.read_bytes()
    if not raw.strip():
        raise DatasetError(Finding("fout", file, "het bestand is leeg", fix))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(Finding("fout", file, "het bestand is geen UTF-8-tekst",
                                   "sla het op als UTF-8 (Kladblok: Opslaan als, codering UTF-8)")) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(file, exc, fix) from exc
