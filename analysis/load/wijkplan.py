"""The wijkplan: plan lines (targets per area and indicator) and measures (what was done where and when).

Two optional sources of the manifest's ``[bronnen]``:

- ``plan`` (``plan.csv``): per row ``gebiedscode, indicator, basisjaar, streefwaarde, streefjaar, reden``;
- ``maatregelen`` (``maatregelen.csv``): per row ``id, naam, component, gebiedscode`` (or a location
  ``x``/``y`` in RD or ``lat``/``lon``), ``startdatum``, optional ``einddatum``, ``budget``, ``omschrijving``.

Nothing is stored on the server: the app's plan page downloads these two files, and the download is the save.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.components import COMPONENT_KEYS
from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import find_column, read_table, report_rows, to_number
from analysis.model import MEASURE_COLUMNS, PLAN_COLUMNS

_PLAN_REQUIRED = ("gebiedscode", "indicator", "basisjaar", "streefwaarde")
_MEASURE_REQUIRED = ("id", "naam", "component", "gebiedscode", "startdatum")


def _columns(table: pd.DataFrame, wanted: Iterable[str], required: Iterable[str], file: str) -> dict[str, str]:
    """Map each wanted column to the file's column; a Dutch error naming the first missing required one."""
    found = {name: find_column(table, [name]) for name in wanted}
    missing = [name for name in required if found[name] is None]
    if missing:
        raise DatasetError(Finding("fout", file, f"de kolom '{missing[0]}' ontbreekt",
                                   f"voeg een kolom '{missing[0]}' toe (zie de sjabloon in data/templates)",
                                   row=1))
    return {name: col for name, col in found.items() if col is not None}


def _unquote(text: pd.Series) -> pd.Series:
    """Text without the quote prefix the exports put before a formula character (as :func:`analysis.load.facilities.clean_text`).

    The plan page downloads ``plan.csv`` and ``maatregelen.csv`` with :func:`analysis.render.tables.csv_bytes`, which
    writes a text starting with ``=``, ``+``, ``-`` or ``@`` as ``'=...``; read back, the text is the one written.
    """
    return text.str.replace(r"^'(?=[=+\-@])", "", regex=True)


def _drop(frame: pd.DataFrame, bad: pd.Series, findings: Findings, file: str, column: str,
          problem: str, fix: str) -> pd.DataFrame:
    """Report the rows in ``bad`` as warnings (file, row, column) and leave them out."""
    if bad.any():
        report_rows(findings, "waarschuwing", file, frame.index[bad.to_numpy(bool)], column, problem, fix)
    return frame[~bad.to_numpy(bool)]


def load_plan(path: Path | str, area_codes: Iterable[str], indicator_keys: Iterable[str], findings: Findings,
              file: str | None = None) -> pd.DataFrame:
    """Read ``plan.csv`` into :data:`PLAN_COLUMNS`; rows with an unknown area or indicator are skipped with a warning.

    Parameters
    ----------
    path : path-like
        The file (CSV or Excel).
    area_codes : iterable of str
        The codes of the dataset's buurten, wijken and gemeente.
    indicator_keys : iterable of str
        The keys of the dataset's registry.
    findings : Findings
        Receives the warnings (file, row, column, problem, fix).
    file : str, optional
        Name for messages.
    """
    file = file or Path(path).name
    table = read_table(path, findings, file)
    cols = _columns(table, PLAN_COLUMNS, _PLAN_REQUIRED, file)
    out = pd.DataFrame(index=table.index)
    out["gebiedscode"] = table[cols["gebiedscode"]].astype("string").str.strip().str.upper()
    out["indicator"] = table[cols["indicator"]].astype("string").str.strip()
    for name in ("basisjaar", "streefwaarde", "streefjaar"):
        out[name] = to_number(table[cols[name]], findings, file, cols[name]) if name in cols else float("nan")
    out["reden"] = _unquote(table[cols["reden"]].astype("string")).fillna("") if "reden" in cols else ""
    out = _drop(out, ~out["gebiedscode"].isin(set(area_codes)).fillna(False), findings, file, cols["gebiedscode"],
                "onbekende gebiedscode", "gebruik een buurt-, wijk- of gemeentecode uit de dataset")
    out = _drop(out, ~out["indicator"].isin(set(indicator_keys)).fillna(False), findings, file, cols["indicator"],
                "onbekende indicator", "gebruik een sleutel uit het indicatorenregister (pagina Verantwoording)")
    out = _drop(out, out["basisjaar"].isna() | out["streefwaarde"].isna(), findings, file, cols["basisjaar"],
                "basisjaar of streefwaarde ontbreekt of is geen getal", "vul beide in als getal (een plan zonder basisjaar is niet te evalueren)")
    out["streefjaar"] = out["streefjaar"].fillna(out["basisjaar"])
    for name in ("basisjaar", "streefjaar"):
        out[name] = out[name].round().astype("Int64")
    return out[list(PLAN_COLUMNS)].reset_index(drop=True)


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates written as ``2024-03-01`` (ISO) or the Dutch way (``1-3-2024``, ``01/03/2024``); others missing."""
    text = values.astype("string").str.strip()
    iso = pd.to_datetime(text.where(text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")), errors="coerce", format="%Y-%m-%d")
    dutch = pd.to_datetime(text.where(text.str.match(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")).str.replace(r"[/.]", "-", regex=True),
                           errors="coerce", format="%d-%m-%Y")
    return iso.fillna(dutch)


def load_measures(path: Path | str, area_codes: Iterable[str], findings: Findings,
                  file: str | None = None) -> pd.DataFrame:
    """Read ``maatregelen.csv`` into :data:`MEASURE_COLUMNS`; ``startjaar`` is the year of ``startdatum``.

    Rows with an unknown component, area or start date are skipped with a warning naming the row.
    """
    file = file or Path(path).name
    table = read_table(path, findings, file)
    cols = _columns(table, MEASURE_COLUMNS, _MEASURE_REQUIRED, file)
    out = pd.DataFrame(index=table.index)
    for name in ("id", "naam", "component", "gebiedscode", "omschrijving"):
        out[name] = _unquote(table[cols[name]].astype("string").str.strip()) if name in cols else pd.NA
    out["gebiedscode"] = out["gebiedscode"].str.upper()
    out["component"] = out["component"].str.lower()
    for name in ("startdatum", "einddatum"):
        raw = table[cols[name]] if name in cols else pd.Series(pd.NA, index=table.index)
        out[name] = parse_dates(raw)
    out["budget"] = to_number(table[cols["budget"]], findings, file, cols["budget"]) if "budget" in cols else float("nan")
    out = _drop(out, ~out["component"].isin(COMPONENT_KEYS).fillna(False), findings, file, cols["component"],
                "onbekende component", f"gebruik een van {', '.join(COMPONENT_KEYS)}")
    out = _drop(out, ~out["gebiedscode"].isin(set(area_codes)).fillna(False), findings, file, cols["gebiedscode"],
                "onbekende gebiedscode", "gebruik een buurt- of wijkcode uit de dataset")
    out = _drop(out, out["startdatum"].isna(), findings, file, cols["startdatum"],
                "de startdatum is geen datum", "schrijf de datum als 2024-03-01 of 1-3-2024")
    out["startjaar"] = out["startdatum"].dt.year.astype("Int64")
    return out[list(MEASURE_COLUMNS)].reset_index(drop=True)


def plan_csv(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan in the column order of ``plan.csv`` (what the plan page downloads)."""
    return pd.DataFrame(plan).reindex(columns=list(PLAN_COLUMNS))


def measures_csv(measures: pd.DataFrame) -> pd.DataFrame:
    """The measures in the column order of ``maatregelen.csv`` (dates as ``YYYY-MM-DD``)."""
    out = pd.DataFrame(measures).reindex(columns=[c for c in MEASURE_COLUMNS if c != "startjaar"])
    for name in ("startdatum", "einddatum"):
        out[name] = pd.to_datetime(out[name], errors="coerce").dt.strftime("%Y-%m-%d")
    return out
