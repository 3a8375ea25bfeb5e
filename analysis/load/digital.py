"""Usage of digital platforms per area: digitaal.csv -> the standard digital frame."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings, Level
from analysis.load.facilities import clean_text, parse_year
from analysis.load.files import find_column, header_row, read_table, report_rows, row_kind, to_number
from analysis.model import AREA_CODE_PATTERN, DIGITAL_COLUMNS

CODE_ALIASES: tuple[str, ...] = ("gebiedscode", "code", "buurtcode", "wijkcode", "BU_CODE", "WK_CODE")
PLATFORM_ALIASES: tuple[str, ...] = ("platform", "naam", "kanaal")
USERS_ALIASES: tuple[str, ...] = ("actieve_gebruikers", "gebruikers", "aantal_gebruikers", "actief")

#: Code prefix -> area level.
LEVEL_BY_PREFIX: dict[str, str] = {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}
#: Any CBS area code (Amsterdam's end in letters), anchored.
AREA_CODE_RE = f"^{AREA_CODE_PATTERN}$"


def known_area_codes(areas: tuple[gpd.GeoDataFrame, ...] | None) -> pd.Index | None:
    """All area codes of the dataset; None when no areas are known.

    Besides each frame's own ``gebiedscode``, the parent codes it carries (``wijkcode``,
    ``gemeentecode``) count as known, so that passing only the buurten still accepts the
    codes of their wijken and gemeente.
    """
    if not areas:
        return None
    codes = [pd.Series(frame[col], dtype="str").dropna()
             for frame in areas if frame is not None and len(frame)
             for col in ("gebiedscode", "wijkcode", "gemeentecode") if col in frame.columns]
    if not codes:
        return None
    return pd.Index(pd.concat(codes).unique())


def area_levels(codes: pd.Series) -> pd.Series:
    """Area level (``buurt``, ``wijk``, ``gemeente``) from the code prefix; missing for other codes."""
    return codes.str.slice(0, 2).map(LEVEL_BY_PREFIX).astype("str").where(codes.str.match(AREA_CODE_RE).fillna(False))


def check_area_codes(codes: pd.Series, known: pd.Index | None, findings: Findings, file: str, column: str,
                     kind: str, level: Level = "waarschuwing") -> pd.Series:
    """Report codes that are not area codes, or not areas of this dataset; return the mask of good rows.

    Parameters
    ----------
    codes : pandas.Series
        Upper-cased codes (missing allowed).
    known : pandas.Index or None
        The dataset's area codes; None skips the membership check.
    findings : Findings
        Receives one finding per bad row (then a summary).
    file, column, kind : str
        For the messages.
    level : str
        Level of the findings.

    Returns
    -------
    pandas.Series
        True for rows whose code is usable.
    """
    empty = codes.isna()
    if empty.any():
        report_rows(findings, level, file, empty[empty].index, column,
                    "de gebiedscode is leeg; de rij wordt overgeslagen",
                    "vul een buurtcode (BU + 8 tekens) of wijkcode (WK + 6 tekens) in", kind)
    malformed = ~empty & ~codes.str.match(AREA_CODE_RE).fillna(False)
    if malformed.any():
        report_rows(findings, level, file, malformed[malformed].index, column,
                    lambda i: f"'{codes.loc[i]}' is geen buurt-, wijk- of gemeentecode; de rij wordt overgeslagen",
                    "gebruik CBS-codes: BU + 8 tekens, WK + 6 tekens of GM + 4 cijfers (zoals BU03440101, WK034401, GM0344)", kind)
    good = ~empty & ~malformed
    if known is not None:
        unknown = good & ~codes.isin(known)
        if unknown.any():
            report_rows(findings, level, file, unknown[unknown].index, column,
                        lambda i: f"gebiedscode '{codes.loc[i]}' staat niet in de buurten of wijken van deze dataset; de rij wordt overgeslagen",
                        "gebruik de codes uit het buurten- en wijkenbestand (van hetzelfde CBS-jaar)", kind)
            good &= ~unknown
    return good


def load_digital(path: Path | str, areas: tuple[gpd.GeoDataFrame, ...] | None, findings: Findings,
                 default_year: int, file: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read ``digitaal.csv`` (active users of digital platforms per area) into the standard frame.

    Parameters
    ----------
    path : path-like
        CSV/Excel with ``gebiedscode, platform, actieve_gebruikers`` and optional ``jaar``.
    areas : tuple of geopandas.GeoDataFrame
        ``(buurten, wijken)`` (or with the gemeente); codes not among them are skipped with a
        warning. None or empty frames skip that check.
    findings : Findings
        Receives warnings and infos.
    default_year : int
        Year of rows without a ``jaar``.
    file : str, optional
        Name for messages.
    sheet : str, optional
        The Excel sheet (``blad`` in dataset.toml).

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.DIGITAL_COLUMNS`, ``actieve_gebruikers`` float (>= 0), ``jaar`` int.

    Raises
    ------
    DatasetError
        When the code or user column is missing.
    """
    path = Path(path)
    file = file or path.name
    raw = read_table(path, findings, file, sheet)
    head = header_row(raw)
    kind = row_kind(raw)
    code_col = find_column(raw, CODE_ALIASES)
    users_col = find_column(raw, USERS_ALIASES)
    shown = ", ".join(map(str, raw.columns))[:300]
    if code_col is None:
        raise DatasetError(Finding("fout", file, f"de verplichte kolom 'gebiedscode' ontbreekt; gevonden kolommen: {shown}",
                                   "voeg een kolom gebiedscode toe met de buurt- of wijkcode", head, "gebiedscode"))
    if users_col is None:
        raise DatasetError(Finding("fout", file, f"de verplichte kolom 'actieve_gebruikers' ontbreekt; gevonden kolommen: {shown}",
                                   "voeg een kolom actieve_gebruikers toe met het aantal actieve gebruikers", head, "actieve_gebruikers"))
    platform_col = find_column(raw, PLATFORM_ALIASES)
    if platform_col is None:
        findings.warning(file, "er is geen kolom 'platform'; alle rijen gelden als één platform",
                         "voeg een kolom platform toe (bijvoorbeeld buurt-app of participatieplatform)", head, "platform")
        platform = pd.Series("onbekend", index=raw.index, dtype="str")
    else:
        platform = clean_text(raw[platform_col]).fillna("onbekend")
    codes = clean_text(raw[code_col]).str.upper().str.replace(" ", "", regex=False)
    keep = check_area_codes(codes, known_area_codes(areas), findings, file, code_col, kind)
    users = to_number(raw[users_col], findings, file, users_col, kind)
    negative = users < 0
    if negative.any():
        report_rows(findings, "waarschuwing", file, negative[negative].index, users_col,
                    lambda i: f"{users.loc[i]:g} actieve gebruikers is negatief; de rij wordt overgeslagen",
                    "vul een aantal van 0 of meer in", kind)
    keep &= ~negative & users.notna()  # non-numbers were reported by to_number
    years = parse_year(raw, findings, file, default_year, kind)
    frame = pd.DataFrame({"gebiedscode": codes, "niveau": area_levels(codes), "platform": platform,
                          "actieve_gebruikers": users.astype("float64"), "jaar": years})
    dup = keep & frame.where(keep).duplicated(["gebiedscode", "platform", "jaar"], keep="first")
    if dup.any():
        report_rows(findings, "waarschuwing", file, dup[dup].index, code_col,
                    lambda i: f"{codes.loc[i]}, platform '{platform.loc[i]}', jaar {years.loc[i]} komt vaker voor; de eerste rij is gebruikt",
                    "zet per gebied, platform en jaar één rij", kind)
        keep &= ~dup
    return frame[keep][list(DIGITAL_COLUMNS)].reset_index(drop=True)
