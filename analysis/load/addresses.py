"""Where residents live: address points (a BAG extract of dwellings) and CBS grid squares with their inhabitants."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import (
    TABLE_SUFFIXES,
    find_column,
    normalise_name,
    points_from_columns,
    read_geo,
    read_table,
    report_rows,
    row_kind,
    to_number,
)
from analysis.model import CRS_RD

#: Columns holding the number of dwellings (or persons) at an address, in order of preference.
COUNT_ALIASES: tuple[str, ...] = (
    "aantal_woningen", "woningen", "aantal_verblijfsobjecten", "aantal", "personen", "aantal_personen",
    "bewoners", "aantal_bewoners",
)
#: Columns holding the use of an address (BAG ``gebruiksdoel``: ``woonfunctie``, ``winkelfunctie`` ...).
FUNCTION_ALIASES: tuple[str, ...] = (
    "functie", "gebruiksdoel", "gebruiksdoelen", "gebruiksdoel_verblijfsobject", "verblijfsobjectgebruiksdoel",
    "doel",
)
#: A function value is a dwelling when its normalised text contains one of these (``woonfunctie``, ``wonen``,
#: ``woning``; BAG lists several uses as ``woonfunctie,winkelfunctie``).
DWELLING_MARKS: tuple[str, ...] = ("woon", "wonen", "woning")
#: Columns with the inhabitants of a grid square (CBS: ``aantal_inwoners``, older files ``INWONER``).
GRID_COUNT_ALIASES: tuple[str, ...] = (
    "aantal_inwoners", "inwoners", "inwoner", "aantal_inw", "inw", "bevolking", "totaal_inwoners",
)
#: Columns with the CBS square code (``E1234N5678``, or ``CRS28992RES100mE1234N5678``).
GRID_CODE_ALIASES: tuple[str, ...] = (
    "crs28992res100m", "crs28992res500m", "c28992r100", "c28992r500", "vierkant", "vierkantcode", "code",
    "celcode", "rastercode", "id",
)
#: The CBS square sizes in metres (CBS, "Statistische gegevens per vierkant", 3. Codering vierkant).
GRID_SIZES_M: tuple[float, ...] = (100.0, 500.0)
_RES = re.compile(r"RES(\d+)M")

ADDRESS_COLUMNS: tuple[str, ...] = ("aantal", "buurtcode")


def _point_geometry(frame: gpd.GeoDataFrame, findings: Findings, file: str, kind: str) -> gpd.GeoSeries:
    """Point geometry of every row: polygons (a building) give their representative point."""
    geometry = frame.geometry
    missing = geometry.isna() | geometry.is_empty
    if missing.any():
        report_rows(findings, "waarschuwing", file, missing[missing].index, None,
                    "dit adres heeft geen locatie en telt niet mee", "geef elk adres een punt of coördinaten", kind)
    types = geometry.geom_type
    areal = ~missing & types.isin(["Polygon", "MultiPolygon"])
    if areal.any():
        findings.info(file, f"{int(areal.sum())} adressen zijn vlakken (panden); hun binnenpunt is als adres gebruikt")
    values = np.asarray(geometry.values, dtype=object).copy()
    other = ~missing & ~types.isin(["Point"])
    if other.any():
        values[other.to_numpy()] = shapely.point_on_surface(values[other.to_numpy()])
    values[missing.to_numpy()] = None
    return gpd.GeoSeries(values, index=frame.index, crs=CRS_RD)


def _dwelling_mask(frame: pd.DataFrame, findings: Findings, file: str, kind: str) -> pd.Series:
    """True for the rows that are dwellings (every row when the file has no function column)."""
    column = find_column(frame, FUNCTION_ALIASES)
    if column is None:
        return pd.Series(True, index=frame.index)
    text = frame[column].astype("string").str.strip()
    empty = text.isna() | (text == "")
    by_value = {v: any(m in normalise_name(v) for m in DWELLING_MARKS) for v in text[~empty].unique()}
    dwelling = text.map(by_value).astype("boolean").fillna(True).astype(bool)
    if empty.any():
        report_rows(findings, "waarschuwing", file, empty[empty].index, column,
                    "de functie is leeg; het adres telt als woning",
                    "vul de functie in (BAG-gebruiksdoel, zoals woonfunctie of winkelfunctie)", kind)
    others = int((~dwelling).sum())
    if others:
        kinds = ", ".join(sorted({str(v) for v in text[~dwelling].unique()})[:5])
        findings.info(file, f"{others} adressen zijn geen woning (functie {kinds}) en tellen niet mee "
                            "voor waar de inwoners wonen")
    return dwelling


def _dwelling_counts(frame: pd.DataFrame, findings: Findings, file: str, kind: str) -> pd.Series:
    """Dwellings (or persons) per address: the count column, else 1 each."""
    column = find_column(frame, COUNT_ALIASES)
    if column is None:
        return pd.Series(1.0, index=frame.index)
    count = to_number(frame[column], findings, file, column, kind)
    blank = count.isna()
    if blank.any():
        report_rows(findings, "waarschuwing", file, blank[blank].index, column,
                    "het aantal woningen ontbreekt; het adres telt als 1 woning",
                    f"vul in {column} het aantal woningen op het adres in", kind)
    negative = count < 0
    if negative.any():
        report_rows(findings, "waarschuwing", file, negative[negative].index, column,
                    lambda i: f"het aantal woningen {count.loc[i]:g} is negatief; het adres telt niet mee",
                    "vul een aantal van 0 of meer in", kind)
    return count.fillna(1.0).where(~negative, 0.0)


def _in_buurten(points: gpd.GeoSeries, buurten: gpd.GeoDataFrame | None) -> pd.Series:
    """The buurt code of the buurt containing each point (missing outside every buurt)."""
    codes = pd.Series(pd.NA, index=points.index, dtype="string")
    ok = points.notna() & ~points.is_empty
    if buurten is None or len(buurten) == 0 or not ok.any():
        return codes
    tree = shapely.STRtree(np.asarray(buurten.geometry.values, dtype=object))
    hit_point, hit_buurt = tree.query(np.asarray(points[ok].values, dtype=object), predicate="intersects")
    first = np.r_[True, hit_point[1:] != hit_point[:-1]] if len(hit_point) else np.zeros(0, bool)
    where = points.index[ok][hit_point[first]]
    buurt_codes = pd.Series(buurten["gebiedscode"]).astype("string").to_numpy()
    codes.loc[where] = buurt_codes[hit_buurt[first]]
    return codes


def _report_coverage(buurten: gpd.GeoDataFrame | None, codes: pd.Series, findings: Findings, file: str) -> None:
    """Info on buurten with inhabitants but no dwelling address (they fall back to the grid or even spread)."""
    if buurten is None or len(buurten) == 0:
        return
    inwoners = pd.to_numeric(pd.Series(buurten["inwoners"]), errors="coerce").fillna(0).to_numpy()
    buurt_codes = pd.Series(buurten["gebiedscode"]).astype("string")
    without = buurt_codes[(inwoners > 0) & ~buurt_codes.isin(set(codes.dropna()))].tolist()
    if without:
        shown = ", ".join(without[:8]) + (f" en nog {len(without) - 8}" if len(without) > 8 else "")
        findings.info(file, f"{len(without)} buurten met inwoners hebben geen woonadres in dit bestand ({shown}); "
                            "daar worden de inwoners over de CBS-vierkanten of gelijkmatig over de buurt verdeeld",
                      "controleer of het adressenbestand de hele gemeente dekt")


def read_addresses(path: Path | str, buurten: gpd.GeoDataFrame | None, findings: Findings,
                   file: str | None = None) -> gpd.GeoDataFrame:
    """Read address points (dwellings) and place each in its buurt.

    Accepts a GeoPackage, GeoJSON or zipped Shapefile of points (or building polygons, which
    give their representative point), or a CSV/Excel table with ``x``/``y`` (RD) or
    ``lat``/``lon``. Optional columns, matched by meaning: the number of dwellings or persons
    (:data:`COUNT_ALIASES`; default 1 per address) and the function (:data:`FUNCTION_ALIASES`;
    only values such as ``woonfunctie``, ``wonen`` or ``woning`` count as dwellings, see
    :data:`DWELLING_MARKS`).

    Parameters
    ----------
    path : path-like
        The address file.
    buurten : geopandas.GeoDataFrame or None
        Standard buurt frame; addresses outside every buurt are left out (with an info). When
        None or empty, ``buurtcode`` stays missing.
    findings : Findings
        Receives warnings and infos.
    file : str, optional
        File name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``aantal`` (dwellings, > 0), ``buurtcode`` and point geometry (EPSG:28992), one row per
        dwelling address.

    Raises
    ------
    DatasetError
        When the file cannot be read or holds no dwelling with a location.
    """
    path = Path(path)
    file = file or path.name
    raw = read_geo(path, findings, file)
    kind = row_kind(raw)
    points = _point_geometry(raw, findings, file, kind)
    dwelling = _dwelling_mask(raw, findings, file, kind)
    count = _dwelling_counts(raw, findings, file, kind)
    keep = dwelling & (count > 0) & points.notna()
    codes = _in_buurten(points[keep], buurten)
    if buurten is not None and len(buurten):
        outside = int(codes.isna().sum())
        if outside:
            findings.info(file, f"{outside} adressen liggen buiten de buurten van de gemeente en tellen niet mee")
        codes = codes.dropna()
    if len(codes) == 0:
        raise DatasetError(Finding("fout", file, "er blijft geen woonadres met een locatie in de gemeente over",
                                   "geef adressen als punten binnen de buurten; alleen een functie als woonfunctie, "
                                   "wonen of woning telt als woning"))
    _report_coverage(buurten, codes, findings, file)
    frame = pd.DataFrame({"aantal": count.loc[codes.index].astype(float).to_numpy(),
                          "buurtcode": codes.to_numpy()})
    frame["buurtcode"] = frame["buurtcode"].astype("string")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points.loc[codes.index].values, crs=CRS_RD), crs=CRS_RD)


# ---------------------------------------------------------------------------------------------
# CBS grid squares
# ---------------------------------------------------------------------------------------------

def parse_grid_codes(codes: pd.Series) -> pd.DataFrame:
    """Lower-left corner (metres, EPSG:28992) and size of CBS grid square codes.

    CBS codes a square by its lower-left corner: ``E`` + x and ``N`` + y in whole hectometres,
    four digits each (``E1234N5678`` = x 123,400 m, y 567,800 m), optionally preceded by the
    projection and size (``CRS28992RES100mE1234N5678``). Numbers of five or more digits are
    read as metres (``N567800E123400``, the INSPIRE order, is accepted too). Source: CBS,
    "Statistische gegevens per vierkant en postcode", chapter 3 "Codering vierkant".

    Returns
    -------
    pandas.DataFrame
        ``x, y`` (NaN when the code is not recognised) and ``size_m`` (NaN when the code does
        not say), aligned with ``codes``.
    """
    text = codes.astype("string").str.upper().str.replace(r"\s", "", regex=True)
    east_first = text.str.extract(r"E(\d{3,7})N(\d{3,7})$")
    north_first = text.str.extract(r"N(\d{3,7})E(\d{3,7})$")
    e = east_first[0].fillna(north_first[1])
    n = east_first[1].fillna(north_first[0])

    def metres(digits: pd.Series) -> pd.Series:
        value = pd.to_numeric(digits, errors="coerce").astype(float)
        return value.where(digits.str.len() >= 5, value * 100.0)

    size = pd.to_numeric(text.str.extract(_RES.pattern)[0], errors="coerce").astype(float)
    return pd.DataFrame({"x": metres(e), "y": metres(n), "size_m": size}, index=codes.index)


def _size_from(column: str | None, corners: pd.DataFrame) -> float:
    """Square size: from the codes, the column name (``res500m``, ``r500``), else the corners' spacing."""
    given = corners["size_m"].dropna()
    if len(given):
        return float(given.mode().iloc[0])
    name = normalise_name(column or "")
    for size in GRID_SIZES_M:
        if f"res{size:.0f}m" in name or f"r{size:.0f}" in name:
            return size
    xy = corners[["x", "y"]].dropna().to_numpy()
    if len(xy) and np.all(np.mod(xy, 500.0) == 0.0):
        spacing = [np.diff(np.unique(xy[:, i])) for i in (0, 1)]
        steps = np.concatenate(spacing)
        if len(steps) and steps.min() >= 500.0:
            return 500.0
    return 100.0


def _grid_counts(frame: pd.DataFrame, findings: Findings, file: str, kind: str) -> pd.Series:
    column = find_column(frame, GRID_COUNT_ALIASES)
    if column is None:
        raise DatasetError(Finding("fout", file, "er is geen kolom met het aantal inwoners per vierkant",
                                   "noem de kolom aantal_inwoners (zoals in de CBS-vierkantstatistieken)", None,
                                   "aantal_inwoners"))
    counts = to_number(frame[column], findings, file, column, kind)
    secret = int(counts.isna().sum())
    if secret:
        findings.info(file, f"{secret} vierkanten hebben geen of een geheim aantal inwoners (CBS); die tellen als 0, "
                            "en een buurt zonder bekend aantal in haar vierkanten krijgt haar inwoners gelijkmatig "
                            "verdeeld", column=column)
    return counts


def _cells_from_codes(table: pd.DataFrame, findings: Findings, file: str, kind: str) -> gpd.GeoSeries | None:
    """Square polygons from a code column (None when the table has no code column)."""
    column = find_column(table, GRID_CODE_ALIASES)
    if column is None:
        return None
    corners = parse_grid_codes(table[column])
    bad = corners["x"].isna() | corners["y"].isna()
    if bad.all():
        return None
    if bad.any():
        report_rows(findings, "waarschuwing", file, bad[bad].index, column,
                    lambda i: f"'{table[column].loc[i]}' is geen CBS-vierkantcode; het vierkant telt niet mee",
                    "schrijf de code zoals het CBS: E gevolgd door 4 cijfers, N gevolgd door 4 cijfers (E1234N5678)",
                    kind)
    size = _size_from(column, corners)
    x, y = corners["x"].to_numpy(float), corners["y"].to_numpy(float)
    cells = np.asarray(shapely.box(x, y, x + size, y + size), dtype=object)
    cells[bad.to_numpy()] = None
    return gpd.GeoSeries(cells, index=table.index, crs=CRS_RD)


def _cells_from_geometry(geometry: gpd.GeoSeries, column: str | None, corners: pd.DataFrame | None) -> gpd.GeoSeries:
    """Polygons as they are; points (square centres or corners) become the square that contains them."""
    size = _size_from(column, corners) if corners is not None else GRID_SIZES_M[0]
    values = np.asarray(geometry.values, dtype=object).copy()
    ok = ~(pd.isna(values) | shapely.is_empty(values))
    is_point = np.zeros(len(values), bool)
    is_point[ok] = shapely.get_type_id(values[ok]) == 0
    if is_point.any():
        xy = shapely.get_coordinates(values[is_point])
        x0, y0 = np.floor(xy[:, 0] / size) * size, np.floor(xy[:, 1] / size) * size
        values[is_point] = shapely.box(x0, y0, x0 + size, y0 + size)
    return gpd.GeoSeries(values, index=geometry.index, crs=CRS_RD)


def read_grid(path: Path | str, findings: Findings, file: str | None = None) -> gpd.GeoDataFrame:
    """Read CBS grid statistics (100 m or 500 m squares) with their inhabitants.

    A geo file with the squares as polygons (the CBS GeoPackage), or as points, or a table with
    a square code column (:data:`GRID_CODE_ALIASES`, see :func:`parse_grid_codes`) or with
    coordinates. The inhabitants column is matched by meaning (:data:`GRID_COUNT_ALIASES`);
    CBS secret values (-99997) are missing and count as 0 when residents are placed.

    Returns
    -------
    geopandas.GeoDataFrame
        ``inwoners`` (NaN for secret) and square polygons (EPSG:28992).

    Raises
    ------
    DatasetError
        When the file cannot be read, has no inhabitants column, or no square can be placed.
    """
    path = Path(path)
    file = file or path.name
    if path.suffix.lower() in TABLE_SUFFIXES:
        table = read_table(path, findings, file)
        kind = row_kind(table)
        cells = _cells_from_codes(table, findings, file, kind)
        if cells is None:
            points = points_from_columns(table, findings, file, required=False)
            if points is None:
                raise DatasetError(Finding("fout", file, "er is geen kolom met een CBS-vierkantcode of coördinaten",
                                           "geef een kolom crs28992res100m met codes zoals E1234N5678, of x en y",
                                           None, "crs28992res100m"))
            cells = _cells_from_geometry(points, None, None)
        frame: pd.DataFrame = table
    else:
        frame = read_geo(path, findings, file)
        kind = row_kind(frame)
        column = find_column(frame, GRID_CODE_ALIASES)
        corners = parse_grid_codes(frame[column]) if column is not None else None
        cells = _cells_from_geometry(frame.geometry, column, corners)
    counts = _grid_counts(frame, findings, file, kind)
    located = cells.notna() & ~cells.is_empty
    if not located.any():
        raise DatasetError(Finding("fout", file, "geen enkel vierkant heeft een locatie",
                                   "geef de vierkanten als vlakken, of een kolom met CBS-vierkantcodes"))
    out = gpd.GeoDataFrame({"inwoners": counts[located].astype(float).to_numpy()},
                           geometry=gpd.GeoSeries(cells[located].values, crs=CRS_RD), crs=CRS_RD)
    return out


__all__ = ["COUNT_ALIASES", "FUNCTION_ALIASES", "GRID_CODE_ALIASES", "GRID_COUNT_ALIASES", "parse_grid_codes",
           "read_addresses", "read_grid"]
