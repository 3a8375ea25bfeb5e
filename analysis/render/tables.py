"""Tables for tools and for people: CSV dialects, cells neutralised by what a spreadsheet does, rounding, the fictional marker."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from analysis.compute.indicators import TABLE_COLUMNS
from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.formatting import round_for_unit
from analysis.model import Dataset
from analysis.registry import REGISTRY, Indicator

__all__ = [
    "DIALECTS",
    "FICTIONAL_COLUMN",
    "FICTIONAL_VALUE",
    "FORMULA_PREFIXES",
    "Dialect",
    "check_wijk",
    "csv_bytes",
    "is_formula_risk",
    "mark_fictional",
    "neutralise",
    "neutralise_frame",
    "profile_csv",
    "readable_frame",
    "table_rows",
    "wide_indicators",
]

Dialect = Literal["standaard", "excel-nl"]

#: CSV dialects: separator, decimal mark, encoding and line end. Both end lines with CRLF (RFC 4180), which
#: also makes the writer quote any text holding a line break or a lone carriage return.
DIALECTS: Mapping[str, Mapping[str, str]] = {
    "standaard": {"sep": ",", "decimal": ".", "encoding": "utf-8", "lineterminator": "\r\n"},
    "excel-nl": {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "lineterminator": "\r\n"},
}
#: First characters with which a spreadsheet reads a cell as a formula (OWASP, "CSV injection"): Excel,
#: LibreOffice and Google Sheets evaluate ``=``, ``+``, ``-`` and ``@``; a leading tab or carriage return
#: is dropped on import, exposing what follows.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: A text a spreadsheet reads as a plain number, never as a formula: an optional sign, ASCII digits with at
#: most one decimal mark (point or comma) and an optional exponent (``-12``, ``+1,5``, ``-1e5``). Python's
#: ``float`` and pandas accept far more (``-inf``, ``nan``, ``-1_000``, other scripts' digits), which Excel
#: reads as a formula; that difference decides, so the rule follows Excel, not Python.
_SPREADSHEET_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
#: Column of the fictional marker in every CSV of demo data, and its value.
FICTIONAL_COLUMN = "fictief"
FICTIONAL_VALUE = "ja"
#: Value columns of the tidy indicator table that :func:`readable_frame` rounds by the row's unit.
_VALUE_COLUMNS: tuple[str, ...] = ("waarde", "ci_laag", "ci_hoog")


# --------------------------------------------------------------------------------------
# Neutralising cells
# --------------------------------------------------------------------------------------

def is_formula_risk(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula.

    True when the text starts with one of :data:`FORMULA_PREFIXES` and is not a plain number a
    spreadsheet keeps as a number (``-12``, ``+1,5``, ``-1e5``). ``-inf``, ``+31 6 1234``, ``=1``,
    ``@x`` and ``"\\t=1"`` are risks; ``nan``, ``1e5`` and ``Normaal`` are not.
    """
    return text.startswith(FORMULA_PREFIXES) and _SPREADSHEET_NUMBER.fullmatch(text) is None


def neutralise(value: object) -> object:
    """Make one cell safe for spreadsheets: a text a spreadsheet would read as a formula gets a leading ``'``.

    Numbers, missing values and safe texts are returned unchanged; see :func:`is_formula_risk`.
    """
    if isinstance(value, str) and is_formula_risk(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without geometry, with every text cell and column name neutralised (:func:`neutralise`).

    Numeric columns keep their values, except infinite numbers, which become missing: a spreadsheet
    reads the text ``-inf`` as a formula, and no figure of Wijkweefsel is infinite.
    """
    out = pd.DataFrame(frame).copy()
    if "geometry" in out.columns:
        out = out.drop(columns="geometry")
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            if pd.api.types.is_float_dtype(series):
                out[column] = series.where(~np.isinf(series.to_numpy(dtype=float, na_value=np.nan)))
            continue
        text = series.astype("string")
        risky = text.str.match(r"[=+\-@\t\r]", na=False) & ~text.str.fullmatch(_SPREADSHEET_NUMBER, na=False)
        if risky.any():
            out[column] = series.astype(object).where(~risky.to_numpy(bool), "'" + text.astype(object))
    out.columns = pd.Index([neutralise(c) for c in out.columns])
    return out


def csv_bytes(frame: pd.DataFrame, dialect: Dialect = "standaard") -> bytes:
    """A frame as CSV bytes in one of two dialects, with formula injection neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame (a ``geometry`` column is dropped).
    dialect : {"standaard", "excel-nl"}
        ``standaard``: comma, decimal point, UTF-8 (RFC 4180).
        ``excel-nl``: semicolon, decimal comma, UTF-8 with BOM: opens correctly in Dutch Excel
        with a double click.
        Both end lines with ``\\r\\n``.

    Returns
    -------
    bytes
        The encoded CSV. Text cells a spreadsheet would read as a formula start with ``'``
        (see :func:`neutralise_frame`); numbers, including negative numbers, stay numbers.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"Onbekend CSV-formaat '{dialect}'. Kies 'standaard' of 'excel-nl'.")
    spec = DIALECTS[dialect]
    text = neutralise_frame(frame).to_csv(index=False, sep=spec["sep"], decimal=spec["decimal"],
                                          lineterminator=spec["lineterminator"])
    return text.encode(spec["encoding"])


# --------------------------------------------------------------------------------------
# Readable tables
# --------------------------------------------------------------------------------------

def readable_frame(frame: pd.DataFrame, registry: Mapping[str, Indicator] | None = None,
                   value_columns: tuple[str, ...] = _VALUE_COLUMNS) -> pd.DataFrame:
    """A copy of ``frame`` rounded for people: every figure to the precision of its unit.

    In a tidy indicator table (with ``eenheid``) ``waarde``, ``ci_laag`` and ``ci_hoog`` are rounded
    by each row's unit; in a wide table every column that is a key of ``registry`` is rounded by that
    indicator's unit (:func:`analysis.formatting.round_for_unit`). Other columns are left as they are.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy or wide table.
    registry : mapping, optional
        Indicator entries by key (a dataset's registry), for wide tables.
    value_columns : tuple of str
        The columns of a tidy table rounded by each row's ``eenheid`` (default ``waarde``, ``ci_laag``,
        ``ci_hoog``; an evaluation names its own).

    Returns
    -------
    pandas.DataFrame
    """
    out = pd.DataFrame(frame).copy()
    if "eenheid" in out.columns and len(out):
        units = out["eenheid"].astype("string").fillna("")
        for unit in pd.unique(units):
            rows = (units == unit).to_numpy(bool)
            for column in (c for c in value_columns if c in out.columns):
                out.loc[rows, column] = round_for_unit(out.loc[rows, column], str(unit) or None)
    for column in out.columns:
        entry = registry.get(str(column)) if registry is not None else None
        if entry is not None and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = round_for_unit(out[column], entry.unit)
    return out


def mark_fictional(frame: pd.DataFrame, is_demo: bool) -> pd.DataFrame:
    """``frame`` with a first column ``fictief`` = ``"ja"`` when its data are the fictional demo; else as it is."""
    if not is_demo:
        return frame
    out = pd.DataFrame(frame).copy()
    if FICTIONAL_COLUMN in out.columns:
        out = out.drop(columns=FICTIONAL_COLUMN)
    out.insert(0, FICTIONAL_COLUMN, FICTIONAL_VALUE)
    return out


# --------------------------------------------------------------------------------------
# The indicator table of one wijk
# --------------------------------------------------------------------------------------

def check_wijk(ds: Dataset, code: str) -> None:
    """Raise a Dutch :class:`DatasetError` when ``code`` is not a wijk of ``ds``."""
    known = set(ds.wijken["gebiedscode"].astype(str))
    if str(code) not in known:
        examples = ", ".join(sorted(known)[:5]) or "(geen wijken)"
        raise DatasetError(Finding(
            "fout", "(export)", f"wijk '{code}' bestaat niet in dataset '{ds.name}'",
            f"kies een wijkcode uit de wijkenlijst, bijvoorbeeld {examples}"))


def table_rows(table: pd.DataFrame, code: str | None = None, level: str | None = None) -> pd.DataFrame:
    """Rows of the indicator table (one area and/or level), in table column order, sorted by year."""
    mask = np.ones(len(table), dtype=bool)
    if code is not None:
        mask &= (table["gebiedscode"].astype("string") == str(code)).fillna(False).to_numpy(bool)
    if level is not None:
        mask &= (table["niveau"].astype("string") == level).fillna(False).to_numpy(bool)
    rows = table[mask]
    columns = [c for c in TABLE_COLUMNS if c in rows.columns] + \
              [c for c in rows.columns if c not in TABLE_COLUMNS]
    return rows[columns].sort_values(["jaar"], kind="stable").reset_index(drop=True)


def profile_csv(ds: Dataset, table: pd.DataFrame, code: str, dialect: Dialect = "standaard") -> bytes:
    """All indicators of one wijk (every year) in the tidy format of the indicator engine.

    ``standaard`` is the tidy table for tools, at full precision; ``excel-nl`` is for people
    (Dutch Excel) and rounds every figure to its unit's precision (:func:`readable_frame`). Demo
    data carry the column ``fictief`` = ``ja`` (:func:`mark_fictional`).

    Parameters
    ----------
    ds : Dataset
        The dataset (to check the wijk exists).
    table : pandas.DataFrame
        The indicator table of :func:`analysis.compute.indicators.compute_indicators`.
    code : str
        The wijk's code.
    dialect : {"standaard", "excel-nl"}
        See :func:`csv_bytes`.

    Raises
    ------
    DatasetError
        When the wijk is not in the dataset.
    """
    check_wijk(ds, code)
    rows = table_rows(table, code, "wijk")
    if dialect == "excel-nl":
        rows = readable_frame(rows)
    return csv_bytes(mark_fictional(rows, ds.is_demo), dialect)


# --------------------------------------------------------------------------------------
# Wide tables: one row per area, one column per indicator
# --------------------------------------------------------------------------------------

def wide_indicators(table: pd.DataFrame, level: str, year: int,
                    registry: Mapping[str, Indicator] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per area of ``level``, one float column per indicator key (``year`` only).

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy indicator table.
    level : {"buurt", "wijk", "gemeente"}
        The level.
    year : int
        The year.
    registry : mapping, optional
        Column order: this registry's order first (default the built-in one), then other keys sorted.

    Returns
    -------
    values : pandas.DataFrame
        Index ``gebiedscode``; suppressed figures are empty.
    suppressed : pandas.DataFrame of bool
        Same shape: True where the figure is suppressed (too few respondents).
    """
    rows = table[(table["niveau"].astype("string") == level).fillna(False).to_numpy(bool)
                 & (pd.to_numeric(table["jaar"], errors="coerce") == int(year)).to_numpy(bool)]
    if rows.empty:
        empty = pd.DataFrame(index=pd.Index([], name="gebiedscode", dtype="string"))
        return empty, empty.astype(bool)
    hidden = pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0).to_numpy() == 1 \
        if "onderdrukt" in rows.columns else np.zeros(len(rows), dtype=bool)
    values = pd.to_numeric(rows["waarde"], errors="coerce").where(~hidden)
    keyed = rows.assign(waarde=values, verborgen=hidden.astype(float), gebiedscode=rows["gebiedscode"].astype(str),
                        indicator=rows["indicator"].astype(str))
    def spread(column: str) -> pd.DataFrame:
        return keyed.pivot_table(index="gebiedscode", columns="indicator", values=column, aggfunc="first",
                                 dropna=False)

    wide, hidden_wide = spread("waarde"), spread("verborgen")
    reference = registry if registry is not None else REGISTRY
    present = [str(c) for c in hidden_wide.columns]
    order = [k for k in reference if k in present] + sorted(c for c in present if c not in reference)
    out = wide.reindex(index=hidden_wide.index, columns=order).astype(float)
    suppressed = hidden_wide.reindex(columns=order).fillna(0.0).astype(float) == 1.0
    out.columns.name = None
    suppressed.columns.name = None
    return out, suppressed
