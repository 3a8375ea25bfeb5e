"""Kerncijfers as a table (CBS StatLine 'Kerncijfers wijken en buurten', a municipality's yearly figures) per area and year."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.formatting import format_number
from analysis.load.areas import COUNT_COLUMNS, SHARE_BASES, match_area_columns, parse_figures
from analysis.load.digital import area_levels
from analysis.load.facilities import YEAR_ALIASES, clean_text, parse_year
from analysis.load.files import (
    GEO_SUFFIXES,
    find_column,
    header_row,
    normalise_name,
    read_geo,
    read_table,
    report_rows,
    row_kind,
    to_number,
)
from analysis.model import AREA_FIGURE_COLUMNS, AREA_FIGURES, empty_frame

#: The column with the area code: StatLine's ``WijkenEnBuurten`` and ``Codering_3`` (codes padded with
#: spaces), the wijk- en buurtkaart's names, or any table keyed by buurt or wijk code.
CODE_ALIASES: tuple[str, ...] = (
    "WijkenEnBuurten", "Codering_3", "Codering", "gebiedscode", "BU_CODE", "buurtcode", "buurt_code",
    "WK_CODE", "wijkcode", "wijk_code", "regiocode", "code",
)
#: Dwellings (not an area column of the model, kept in the yearly figures).
DWELLING_ALIASES: tuple[str, ...] = ("woningen", "woonruimten", "aantal_woningen", "woningvoorraad", "Woningvoorraad_35",
                                     "Woningvoorraad")
#: What a figure in :data:`analysis.model.AREA_FIGURE_COLUMNS` ``bron`` says for summed buurt figures.
DERIVED = "afgeleid uit buurtcijfers"


def _codes(raw: pd.DataFrame, file: str) -> tuple[str, pd.Series]:
    """The code column and its cleaned codes (StatLine pads them with spaces)."""
    column = find_column(raw, CODE_ALIASES)
    if column is None:
        shown = ", ".join(map(str, raw.columns))[:300]
        raise DatasetError(Finding("fout", file, f"er is geen kolom met buurt- of wijkcodes; gevonden kolommen: {shown}",
                                   "geef de tabel een kolom buurtcode of gebiedscode (BU... of WK...), zoals de kolom "
                                   "WijkenEnBuurten van CBS StatLine", header_row(raw)))
    return column, clean_text(raw[column]).str.upper().str.replace(" ", "", regex=False)


def _keep_rows(codes: pd.Series, levels: pd.Series, gemeente: str | None, known: pd.Index | None,
               column: str, findings: Findings, file: str, kind: str) -> pd.Series:
    """Rows of this gemeente's buurten and wijken; other gemeenten's rows are passed over with one info,
    codes that are not areas of the dataset with a warning per row."""
    area = levels.isin(["buurt", "wijk", "gemeente"])
    other = pd.Series(False, index=codes.index)
    if gemeente is not None:
        other = area & (("GM" + codes.str.slice(2, 6)) != gemeente)
        if other.any():
            count = int(other.sum())
            findings.info(file, f"{format_number(count, 0)} {'rij' if count == 1 else 'rijen'} van andere gemeenten dan "
                                f"{gemeente} {'is' if count == 1 else 'zijn'} overgeslagen")
    not_code = ~area & codes.notna()
    if not_code.any():
        report_rows(findings, "waarschuwing", file, not_code[not_code].index, column,
                    lambda i: f"'{codes.loc[i]}' is geen buurt-, wijk- of gemeentecode; de rij wordt overgeslagen",
                    "gebruik CBS-codes: BU + 8 tekens of WK + 6 tekens", kind)
    keep = area & ~other
    if known is not None:
        unknown = keep & ~codes.isin(known)
        if unknown.any():
            report_rows(findings, "waarschuwing", file, unknown[unknown].index, column,
                        lambda i: f"gebied {codes.loc[i]} staat niet in de buurten of wijken van deze dataset; de rij "
                                  "wordt overgeslagen",
                        "gebruik kerncijfers van dezelfde gebiedsindeling (hetzelfde CBS-jaar) als de buurtenkaart", kind)
            keep &= ~unknown
    return keep


def _unused_columns(raw: pd.DataFrame, used: set[str], findings: Findings, file: str) -> None:
    """One info naming the columns that are not read (so that a figure under an unknown name is not lost silently)."""
    codes_and_names = {normalise_name(a) for a in CODE_ALIASES} | {"gemeentenaam", "soortregio", "buurtnaam", "wijknaam",
                                                                 "naam", "regionaam"}
    unused = [str(c) for c in raw.columns
              if c not in used and normalise_name(re.sub(r"_\d+$", "", str(c))) not in codes_and_names]
    if unused:
        findings.info(file, f"kolommen die niet als kerncijfer herkend zijn en niet gebruikt worden: {', '.join(unused[:12])}"
                            + (" ..." if len(unused) > 12 else ""),
                      "noem een kolom zoals het CBS (bijvoorbeeld aantal_inwoners, 65plus of k_65JaarOfOuder) als u haar wilt gebruiken")


def read_kerncijfers(path: Path | str, findings: Findings, file: str | None = None,
                     areas: tuple[gpd.GeoDataFrame, ...] | None = None, gemeente: str | None = None,
                     default_year: int | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a table of kerncijfers per area (and per year) into the yearly area figures.

    The table is keyed by buurt or wijk code (:data:`CODE_ALIASES`); its columns are matched by
    meaning like the wijk- en buurtkaart's (``AantalInwoners_5``, ``k_65JaarOfOuder_12``,
    ``HuishoudensTotaal_29``, ``aantal_inwoners``, ``inwoners_65plus`` ...). Counts of age groups
    become the model's percentages. A ``jaar`` column gives figures for several years; without
    one every row is of ``default_year``.

    Parameters
    ----------
    path : path-like
        CSV/Excel (or a geo file, whose geometry is ignored).
    findings : Findings
        Receives warnings and infos.
    file : str, optional
        Name for messages.
    areas : tuple of GeoDataFrame, optional
        ``(buurten, wijken, ...)`` of the dataset: codes not among them are left out with a warning.
    gemeente : str, optional
        Keep only this gemeente's rows (a national table), with one info on how many were passed over.
    default_year : int, optional
        The year of rows without a ``jaar`` (the manifest's); required when the table has no ``jaar``.
    sheet : str, optional
        The Excel sheet (``blad`` in dataset.toml).

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.AREA_FIGURE_COLUMNS` (``bron`` = the file name), one row per area and
        year; wijk and gemeente rows only where the table has them (see :func:`complete_figures`).

    Raises
    ------
    DatasetError
        Without a code column, or without any usable row.
    """
    path = Path(path)
    file = file or path.name
    if path.suffix.lower() in GEO_SUFFIXES:
        raw = pd.DataFrame(read_geo(path, findings, file)).drop(columns="geometry", errors="ignore")
        raw.attrs["row_kind"] = "geo"
    else:
        raw = read_table(path, findings, file, sheet)
    kind = row_kind(raw)
    code_col, codes = _codes(raw, file)
    known = None
    if areas:
        known = pd.Index(pd.concat([pd.Series(a[c], dtype="str") for a in areas if a is not None and len(a)
                                    for c in ("gebiedscode", "wijkcode", "gemeentecode") if c in a.columns]).unique())
    levels = area_levels(codes)
    keep = _keep_rows(codes, levels, gemeente, known, code_col, findings, file, kind)
    if not keep.any():
        raise DatasetError(Finding("fout", file, "geen enkele rij heeft een code van een buurt of wijk van deze dataset",
                                   "controleer de kolom met codes en 'gemeente' in dataset.toml"))
    raw, codes, levels = raw[keep], codes[keep], levels[keep]
    cols = match_area_columns(raw)
    figures = parse_figures(raw, cols, file, findings)
    dwellings_col = find_column(raw, DWELLING_ALIASES)
    year_col = find_column(raw, YEAR_ALIASES)
    if year_col is None and default_year is None:
        raise DatasetError(Finding("fout", file, "de tabel heeft geen kolom jaar en er is geen peiljaar bekend",
                                   "voeg een kolom jaar toe, of zet de tabel in een datasetmap met jaar = ... in dataset.toml"))
    years = parse_year(raw, findings, file, int(default_year or 0), kind)
    _unused_columns(raw, {code_col, *cols.values(), *(c for c in (dwellings_col, year_col) if c)}, findings, file)
    out = pd.DataFrame({"gebiedscode": codes, "niveau": levels, "jaar": years, **{c: figures[c] for c in AREA_FIGURES}})
    out["woningen"] = _dwellings(raw, dwellings_col, findings, file) if dwellings_col else np.nan
    out["bron"] = file
    dup = out.duplicated(["gebiedscode", "jaar"], keep="first")
    if dup.any():
        report_rows(findings, "waarschuwing", file, dup[dup].index, code_col,
                    lambda i: f"gebied {codes.loc[i]} komt vaker voor in jaar {years.loc[i]}; de eerste rij is gebruikt",
                    "zet per gebied en jaar één rij", kind)
    return out[~dup][list(AREA_FIGURE_COLUMNS)].reset_index(drop=True)


def _dwellings(raw: pd.DataFrame, column: str, findings: Findings, file: str) -> pd.Series:
    """The number of dwellings: 0 or more; negative values missing with a warning naming the row."""
    kind = row_kind(raw)
    values = to_number(raw[column], findings, file, column, kind)
    negative = values < 0
    if negative.any():
        report_rows(findings, "waarschuwing", file, negative[negative].index, column,
                    lambda i: f"'{raw[column].loc[i]}': een aantal woningen kan niet negatief zijn; gelezen als ontbrekend",
                    "corrigeer de waarde of laat de cel leeg", kind)
    return values.mask(negative)


def complete_figures(figures: pd.DataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Add wijk and gemeente figures summed from the buurten, per year, where the table has none of its own.

    Counts are summed and percentages weighted by their base (as :func:`analysis.load.areas.aggregate`
    does for the areas); ``bron`` says :data:`DERIVED`.
    """
    if len(figures) == 0 or len(buurten) == 0:
        return figures
    parents = buurten.set_index("gebiedscode")[["wijkcode", "gemeentecode"]]
    rows = figures[figures["niveau"] == "buurt"].join(parents, on="gebiedscode")
    derived = []
    for level, key in (("wijk", "wijkcode"), ("gemeente", "gemeentecode")):
        have = set(zip(figures.loc[figures["niveau"] == level, "gebiedscode"], figures.loc[figures["niveau"] == level, "jaar"]))
        grouped = rows.dropna(subset=[key]).groupby([key, "jaar"])
        summed = pd.DataFrame({c: grouped[c].sum(min_count=1) for c in (*COUNT_COLUMNS, "woningen")})
        for share, base in SHARE_BASES.items():
            known = rows[share].notna() & rows[base].notna()
            weighted = (rows[share] * rows[base]).where(known).groupby([rows[key], rows["jaar"]]).sum(min_count=1)
            summed[share] = weighted / rows[base].where(known).groupby([rows[key], rows["jaar"]]).sum(min_count=1)
        summed = summed.reset_index().rename(columns={key: "gebiedscode"})
        summed = summed[[(c, y) not in have for c, y in zip(summed["gebiedscode"], summed["jaar"])]]
        derived.append(summed.assign(niveau=level, bron=DERIVED))
    out = pd.concat([figures, *derived], ignore_index=True)
    return out[list(AREA_FIGURE_COLUMNS)]


def join_figures(areas: gpd.GeoDataFrame, figures: pd.DataFrame, level: str, year: int, findings: Findings,
                 file: str) -> gpd.GeoDataFrame:
    """The areas with the table's figures of ``year`` (or the latest earlier year) where the table has them.

    The table wins over the areas file's own figures (it is the yearly source the user added, so the
    years of a series come from one source); an area without a figure in the table keeps its own.
    """
    from analysis.model import figures_year

    used = figures_year(figures, level, year)
    if used is None or len(areas) == 0:
        return areas
    rows = figures[(figures["niveau"] == level) & (figures["jaar"] == used)].set_index("gebiedscode")
    out = areas.copy()
    replaced = []
    for column in AREA_FIGURES:
        values = pd.to_numeric(rows[column], errors="coerce").reindex(out["gebiedscode"].astype(str)).to_numpy()
        given = ~np.isnan(values)
        if given.any():
            if out[column].notna().to_numpy()[given].any():
                replaced.append(column)
            out.loc[given, column] = values[given]
    if level != "gemeente":
        note = f"de kerncijfers van de {level}en komen uit {file} (jaar {used})"
        findings.info(file, note + (f"; ze vervangen die van het {level}enbestand ({', '.join(replaced)})" if replaced else ""))
    return out


def join_parents(areas: tuple[gpd.GeoDataFrame, ...], figures: pd.DataFrame, year: int, findings: Findings,
                 file: str) -> tuple[gpd.GeoDataFrame, ...]:
    """``(buurten, wijken, gemeente)`` with the table's wijk and gemeente figures of ``year`` (or the latest
    earlier year) where it has them: its own rows, else the sums of its buurten (:func:`complete_figures`).

    So every level of every year comes from the same table, also where a wijken file has figures of its
    own (an info says so).
    """
    if len(figures) == 0:
        return areas
    buurten, wijken, gemeente = areas
    wijken = join_figures(wijken, figures, "wijk", year, findings, file)
    gemeente = join_figures(gemeente, figures, "gemeente", year, Findings(), file)
    return buurten, wijken, gemeente


def empty_figures() -> pd.DataFrame:
    """The empty yearly area figures frame."""
    return empty_frame(AREA_FIGURE_COLUMNS)
