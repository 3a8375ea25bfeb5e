"""What the registers miss: informal networks and resident initiatives (``initiatieven``) and qualitative notes (``notities``).

``initiatieven.csv``: per row ``id, naam, soort`` (bewonersinitiatief, buurtgroep, app-groep, activiteit,
informeel netwerk, ...), a location (``buurtcode``, or ``x``/``y`` in RD, or ``lat``/``lon``), ``startjaar``
and optional ``eindjaar`` (or a ``jaar`` column), ``actief``, optional ``betrokkenen``, ``vereniging_id``
and ``laatst_gecontroleerd``.

``notities.csv``: per row ``datum, gebiedscode``, optional ``component``, ``soort_bron`` (bewoner,
professional, observatie, bijeenkomst), ``tekst`` and optionally ``citaat`` (ja/nee).

No personal data: a column whose name or values look like a person's name or contact details (e-mail,
phone number) gets a warning and is not loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.components import COMPONENT_KEYS
from analysis.findings import Findings
from analysis.load.associations import parse_bool
from analysis.load.facilities import clean_id, clean_text, locate_in_buurten, shorten_names
from analysis.load.files import find_column, points_from_columns, read_table, report_rows, row_kind, to_number
from analysis.load.wijkplan import parse_dates
from analysis.model import CRS_RD, INITIATIVE_COLUMNS, NOTE_COLUMNS

NOTE_SOURCES: tuple[str, ...] = ("bewoner", "professional", "observatie", "bijeenkomst")
#: Longest note text kept (longer texts are shortened with an ellipsis and a warning).
MAX_NOTE_CHARS = 1000
#: Column names that hold personal data (normalised: lower case, no separators).
PERSONAL_NAMES = re.compile(r"(contact|telefoon|tel$|mobiel|email|e?mail|adres|voornaam|achternaam|persoon|"
                            r"initiatiefnemer|trekker|naamcontact|geboorte|bsn)")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"(?:\+31|0031|\b0)[\s-]?(?:6|[1-9]\d)[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
#: Share of non-empty cells that must look like contact details before a column counts as personal data.
PERSONAL_SHARE = 0.3


def personal_columns(table: pd.DataFrame, allowed: tuple[str, ...] = ()) -> list[str]:
    """Columns that look like personal names or contact details (by name or by their values)."""
    found = []
    for col in table.columns:
        key = re.sub(r"[^a-z]", "", str(col).lower())
        if col in allowed:
            continue
        values = table[col].dropna().astype(str)
        values = values[values.str.strip() != ""]
        looks = (values.str.contains(EMAIL) | values.str.contains(PHONE)).mean() if len(values) else 0.0
        if PERSONAL_NAMES.search(key) or looks >= PERSONAL_SHARE:
            found.append(str(col))
    return found


def _drop_personal(table: pd.DataFrame, findings: Findings, file: str, allowed: tuple[str, ...]) -> pd.DataFrame:
    personal = personal_columns(table, allowed)
    for col in personal:
        findings.warning(file, "deze kolom lijkt namen of contactgegevens van personen te bevatten; hij wordt niet "
                               "geladen en nergens getoond", "laat persoonsgegevens weg uit het bestand (AVG)",
                         row=1, column=col)
    return table.drop(columns=personal)


def _years(raw: pd.DataFrame, findings: Findings, file: str, default_year: int) -> tuple[pd.Series, pd.Series]:
    """Start and end year: ``startjaar``/``eindjaar``, else a ``jaar`` column as both, else the manifest year."""
    kind = row_kind(raw)
    start_col, end_col, year_col = (find_column(raw, [c]) for c in ("startjaar", "eindjaar", "jaar"))
    if start_col is None and year_col is not None:
        start_col = end_col = year_col
    start = (to_number(raw[start_col], findings, file, start_col, kind) if start_col
             else pd.Series(float(default_year), index=raw.index))
    end = to_number(raw[end_col], findings, file, end_col, kind) if end_col else pd.Series(np.nan, index=raw.index)
    bad = start.notna() & ~start.between(1900, 2100)
    if bad.any():
        report_rows(findings, "waarschuwing", file, bad[bad].index, start_col, "geen geldig jaar; het peiljaar is gebruikt",
                    "schrijf een jaartal zoals 2023", kind)
    start = start.where(~bad).fillna(float(default_year))
    return start.round().astype("Int64"), end.round().astype("Int64")


def load_initiatives(path: Path | str, buurten: gpd.GeoDataFrame, findings: Findings, default_year: int,
                     file: str | None = None) -> gpd.GeoDataFrame:
    """Read ``initiatieven.csv`` into :data:`INITIATIVE_COLUMNS` with point geometry (EPSG:28992).

    Rows without a name, or without a location and a known buurtcode, are skipped with a warning that
    names the row; an initiative located by buurtcode only gets the buurt's representative point.
    """
    file = file or Path(path).name
    raw = _drop_personal(read_table(path, findings, file), findings, file, allowed=("naam",))
    kind = row_kind(raw)
    out = pd.DataFrame(index=raw.index)
    for name in ("id", "naam", "soort", "vereniging_id"):
        col = find_column(raw, [name])
        out[name] = clean_id(raw[col]) if col and name.endswith("id") else clean_text(raw[col]) if col else pd.NA
    out["id"] = out["id"].fillna(pd.Series([f"I{i + 1}" for i in range(len(out))], index=out.index))
    if (name_col := find_column(raw, ["naam"])) is not None:
        out["naam"] = shorten_names(out["naam"], findings, file, name_col, kind)
    out["startjaar"], out["eindjaar"] = _years(raw, findings, file, default_year)
    active = find_column(raw, ["actief"])
    out["actief"] = (parse_bool(raw[active], findings, file, active, kind) if active
                     else out["eindjaar"].isna().to_numpy(bool))
    people = find_column(raw, ["betrokkenen", "deelnemers", "aantal_betrokkenen"])
    out["betrokkenen"] = to_number(raw[people], findings, file, people, kind) if people else np.nan
    checked = find_column(raw, ["laatst_gecontroleerd", "gecontroleerd", "controle"])
    out["laatst_gecontroleerd"] = parse_dates(raw[checked]) if checked else pd.NaT
    points = points_from_columns(raw, Findings(), file, required=False)
    geometry = points if points is not None else gpd.GeoSeries([None] * len(raw), index=raw.index, crs=CRS_RD)
    located = locate_in_buurten(geometry, buurten, findings, file, kind, what="initiatieven")
    out["buurtcode"], out["wijkcode"] = located["buurtcode"], located["wijkcode"]
    code_col = find_column(raw, ["buurtcode", "bu_code", "gebiedscode"])
    if code_col:
        codes = clean_text(raw[code_col]).str.upper()
        known = buurten.set_index(buurten["gebiedscode"].astype(str))
        by_code = out["buurtcode"].isna() & codes.isin(known.index)
        out.loc[by_code, "buurtcode"] = codes[by_code]
        out.loc[by_code, "wijkcode"] = codes[by_code].map(known["wijkcode"])
        reps = known.geometry.representative_point()
        geometry = geometry.where(~by_code, codes.map(reps))
    skip = out["naam"].isna() | out["buurtcode"].isna()
    if skip.any():
        report_rows(findings, "waarschuwing", file, skip[skip].index, None,
                    "dit initiatief heeft geen naam of geen plek in de gemeente en wordt overgeslagen",
                    "vul een naam in en een buurtcode of coördinaten", kind)
    keep = ~skip.to_numpy(bool)
    return gpd.GeoDataFrame(out[keep][list(INITIATIVE_COLUMNS)].reset_index(drop=True),
                            geometry=gpd.GeoSeries(geometry[keep].to_numpy(), crs=CRS_RD), crs=CRS_RD)


def load_notes(path: Path | str, area_codes: set[str], findings: Findings, file: str | None = None) -> pd.DataFrame:
    """Read ``notities.csv`` into :data:`NOTE_COLUMNS`; texts are cleaned of control characters and shortened."""
    file = file or Path(path).name
    raw = _drop_personal(read_table(path, findings, file), findings, file, allowed=("tekst",))
    kind = row_kind(raw)
    out = pd.DataFrame(index=raw.index)
    for name in ("gebiedscode", "component", "soort_bron", "tekst"):
        col = find_column(raw, [name])
        out[name] = clean_text(raw[col]) if col else pd.NA
    date_col = find_column(raw, ["datum"])
    out["datum"] = parse_dates(raw[date_col]) if date_col else pd.NaT
    quote = find_column(raw, ["citaat"])
    out["citaat"] = parse_bool(raw[quote], findings, file, quote, kind, default=False) if quote else False
    out["gebiedscode"] = out["gebiedscode"].str.upper()
    out["component"] = out["component"].str.lower().where(out["component"].str.lower().isin(COMPONENT_KEYS))
    out["tekst"] = out["tekst"].str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", regex=True)
    long = out["tekst"].str.len() > MAX_NOTE_CHARS
    if long.any():
        report_rows(findings, "waarschuwing", file, long[long].index, "tekst",
                    f"de tekst is langer dan {MAX_NOTE_CHARS} tekens en is ingekort", "houd notities kort", kind)
        out.loc[long, "tekst"] = out.loc[long, "tekst"].str.slice(0, MAX_NOTE_CHARS - 1) + "…"
    skip = out["tekst"].isna() | ~out["gebiedscode"].isin(area_codes).fillna(False)
    if skip.any():
        report_rows(findings, "waarschuwing", file, skip[skip].index, "gebiedscode",
                    "geen tekst of een onbekende gebiedscode; de notitie wordt overgeslagen",
                    "gebruik een buurt- of wijkcode uit de dataset", kind)
    return out[~skip.to_numpy(bool)][list(NOTE_COLUMNS)].reset_index(drop=True)
