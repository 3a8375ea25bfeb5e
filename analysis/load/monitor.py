"""Survey results already aggregated per area (a municipal monitor): [[enquete_gebied]] -> tidy rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.digital import area_levels, check_area_codes, known_area_codes
from analysis.load.facilities import clean_text, parse_year
from analysis.load.files import GEO_SUFFIXES, find_column, read_geo, read_table, report_rows, row_kind, to_number
from analysis.model import AREA_SURVEY_COLUMNS
from analysis.registry import REGISTRY, SURVEY_KEYS, IndicatorKind

CODE_ALIASES: tuple[str, ...] = ("gebiedscode", "BU_CODE", "buurtcode", "WK_CODE", "wijkcode", "code")
#: Cell texts monitors use for suppressed or unknown values (read as missing without a warning).
INDICATOR_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MISSING_TEXTS: frozenset[str] = frozenset({".", "-", "x", "?", "na", "n.v.t.", "nvt", "onbekend", "geheim", "*"})


def _check_indicator_keys(mapping: dict[str, str], file: str, findings: Findings) -> dict[str, str]:
    """Drop keys of computed (non-survey) indicators with a warning; note the dataset's own keys."""
    bad_form = [key for key in mapping.values() if not INDICATOR_KEY_RE.match(key)]
    if bad_form:
        raise DatasetError(Finding("fout", "dataset.toml", f"[[enquete_gebied]] voor {file}: '{bad_form[0]}' is geen geldige indicatorsleutel",
                                   "gebruik kleine letters, cijfers en _, beginnend met een letter, zoals cohesie_score"))
    computed = sorted({key for key in mapping.values() if key in REGISTRY and REGISTRY[key].kind is not IndicatorKind.ENQUETE})
    if computed:
        findings.warning("dataset.toml", f"[[enquete_gebied]] voor {file}: {', '.join(repr(k) for k in computed)} is een berekende indicator, geen enquête-uitkomst; die kolommen worden overgeslagen",
                         f"kies een enquête-indicator ({', '.join(SURVEY_KEYS[:6])}, ...) of een eigen sleutel")
    own = sorted({key for key in mapping.values() if key not in REGISTRY})
    if own:
        findings.info("dataset.toml", f"[[enquete_gebied]] voor {file}: eigen indicatoren {', '.join(repr(k) for k in own)} "
                      "(niet in het standaardregister); ze worden getoond met de kolomnaam als label")
    return {source: key for source, key in mapping.items() if key not in computed}


def _mapping(spec: dict[str, Any], file: str) -> dict[str, str]:
    mapping = spec.get("indicatoren")
    if not isinstance(mapping, dict) or not mapping:
        raise DatasetError(Finding("fout", "dataset.toml", f"[[enquete_gebied]] voor {file} heeft geen indicatoren",
                                   "zet bijvoorbeeld indicatoren = { b_scoh = \"cohesie_score\" } (kolom in het bestand = indicator)"))
    bad = [k for k, v in mapping.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise DatasetError(Finding("fout", "dataset.toml", f"[[enquete_gebied]] voor {file}: indicator bij kolom '{bad[0]}' is geen tekst",
                                   "schrijf kolom = \"indicatorsleutel\", bijvoorbeeld b_scoh = \"cohesie_score\""))
    return {str(k): v.strip() for k, v in mapping.items()}


def load_area_survey(path: Path | str, spec: dict[str, Any], areas: tuple[gpd.GeoDataFrame, ...] | None,
                     findings: Findings, default_year: int, file: str | None = None) -> pd.DataFrame:
    """Read one aggregated survey file (``[[enquete_gebied]]``) into tidy rows.

    Parameters
    ----------
    path : path-like
        CSV/Excel (or a geo file, whose geometry is ignored) with one row per area.
    spec : dict
        The manifest entry: ``bestand``, ``codekolom`` (column with the BU/WK codes; found by
        meaning when omitted), ``indicatoren`` (file column -> indicator key), optional ``jaar``
        (year of the whole file; else the file's ``jaar`` column, else ``default_year``) and
        optional ``nkolom`` (column with the number of respondents per area).
    areas : tuple of geopandas.GeoDataFrame
        ``(buurten, wijken)``; codes not among them are skipped with a warning (None skips the check).
    findings : Findings
        Receives warnings and infos.
    default_year : int
        The manifest year.
    file : str, optional
        Name for messages.

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.AREA_SURVEY_COLUMNS`, one row per area, year and indicator.
        Monitor missing values (empty, CBS codes such as -99999999, ``.`` or ``x``) give NaN
        ``waarde``; ``n`` is NaN without ``nkolom``; ``bron`` is the file name.

    Raises
    ------
    DatasetError
        When the code column or a mapped column is missing.
    """
    path = Path(path)
    file = file or str(spec.get("bestand") or path.name)
    mapping = _mapping(spec, file)
    raw = _read_monitor(path, findings, file)
    kind = row_kind(raw)
    code_col = _column(raw, spec.get("codekolom"), CODE_ALIASES, file,
                       "een kolom met gebiedscodes (zoals BU_CODE of gebiedscode)",
                       "zet in dataset.toml codekolom = de kolom met de buurt- of wijkcodes")
    columns = {source: find_column(raw, (source,)) for source in mapping}
    missing = [source for source, col in columns.items() if col is None]
    if missing:
        raise DatasetError(Finding("fout", file, f"de kolommen {', '.join(repr(m) for m in missing)} uit indicatoren in dataset.toml ontbreken in het bestand",
                                   "controleer de kolomnamen links in indicatoren = { kolom = \"indicator\" }",
                                   _header_row(raw), missing[0]))
    mapping = _check_indicator_keys(mapping, file, findings)
    codes = clean_text(raw[code_col]).str.upper().str.replace(" ", "", regex=False)
    keep = check_area_codes(codes, known_area_codes(areas), findings, file, code_col, kind)
    if isinstance(spec.get("jaar"), int):
        years = pd.Series(int(spec["jaar"]), index=raw.index, dtype="int64")
    else:
        years = parse_year(raw, findings, file, default_year, kind)
    dup = keep & pd.DataFrame({"c": codes, "j": years}).where(keep).duplicated(keep="first")
    if dup.any():
        report_rows(findings, "waarschuwing", file, dup[dup].index, code_col,
                    lambda i: f"gebied {codes.loc[i]} komt vaker voor in jaar {years.loc[i]}; de eerste rij is gebruikt",
                    "zet per gebied en jaar één rij", kind)
        keep &= ~dup
    n = pd.Series(np.nan, index=raw.index)
    if spec.get("nkolom"):
        n_col = _column(raw, spec["nkolom"], (), file, "", "vul bij nkolom de kolom met het aantal respondenten in, "
                        "of laat nkolom weg", key="nkolom")
        n = _monitor_numbers(raw[n_col], findings, file, n_col, kind)
    levels = area_levels(codes)
    parts = []
    for source, key in mapping.items():
        col = str(columns[source])
        values = _monitor_numbers(raw[col], findings, file, col, kind)
        parts.append(pd.DataFrame({"gebiedscode": codes, "niveau": levels, "jaar": years,
                                   "indicator": key, "waarde": values.astype("float64"),
                                   "n": n.astype("float64"), "bron": file})[keep])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in AREA_SURVEY_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(AREA_SURVEY_COLUMNS)]


def _read_monitor(path: Path, findings: Findings, file: str) -> pd.DataFrame:
    """The monitor's rows as text columns (a geo file's geometry is dropped)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        raw = pd.DataFrame(read_geo(path, findings, file)).drop(columns="geometry", errors="ignore")
        raw.attrs["row_kind"] = "geo"
        return raw
    return read_table(path, findings, file)


def _header_row(raw: pd.DataFrame) -> int | None:
    return 1 if row_kind(raw) == "table" else None


def _column(raw: pd.DataFrame, named: Any, aliases: tuple[str, ...], file: str, what: str, fix: str,
            key: str = "codekolom") -> str:
    """The column the manifest names (``codekolom``, ``nkolom``) or the first alias found; an error naming
    the columns found when it is absent."""
    column = find_column(raw, (str(named),) if named else aliases)
    if column is None:
        shown = ", ".join(map(str, raw.columns))[:300]
        what = f"de kolom '{named}' ({key} in dataset.toml)" if named else what
        raise DatasetError(Finding("fout", file, f"{what} ontbreekt; gevonden kolommen: {shown}", fix,
                                   _header_row(raw), str(named) if named else None))
    return column


def _monitor_numbers(values: pd.Series, findings: Findings, file: str, column: str, kind: str) -> pd.Series:
    """Numbers of a monitor column: suppression marks and CBS codes become NaN silently."""
    text = clean_text(values)
    text = text.mask(text.str.lower().isin(MISSING_TEXTS))
    return to_number(text, findings, file, column, kind)
