"""Associations and the ties between them: verenigingen.csv and banden.csv -> clean frames."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.facilities import (
    checked_dates,
    clean_id,
    clean_text,
    locate_in_buurten,
    parse_year,
    shorten_names,
)
from analysis.load.files import (
    COORDINATE_ALIASES,
    GEO_SUFFIXES,
    find_column,
    header_row,
    match_columns,
    points_from_columns,
    read_geo,
    read_table,
    report_rows,
    row_kind,
    to_number,
    user_row,
)
from analysis.model import ASSOCIATION_COLUMNS, CRS_RD, TIE_COLUMNS

#: Dutch and English spellings of yes and no in the ``actief`` column.
TRUE_WORDS: frozenset[str] = frozenset({"ja", "j", "1", "true", "waar", "yes", "y", "actief", "x"})
FALSE_WORDS: frozenset[str] = frozenset({"nee", "n", "0", "false", "onwaar", "no", "inactief", "niet actief"})
#: Tie kinds named in the dataset format; other kinds are accepted with an info.
TIE_KINDS: tuple[str, ...] = ("gedeelde_leden", "gedeeld_bestuur", "samenwerking", "gedeelde_locatie")

ID_ALIASES: tuple[str, ...] = ("id", "verenigingid", "vereniging_id", "code")
NAME_ALIASES: tuple[str, ...] = ("naam", "name", "verenigingsnaam")
KIND_ALIASES: tuple[str, ...] = ("soort", "type", "categorie")
MEMBER_ALIASES: tuple[str, ...] = ("leden", "aantal_leden", "ledental")
ACTIVE_ALIASES: tuple[str, ...] = ("actief", "active")
BUURT_ALIASES: tuple[str, ...] = ("buurtcode", "BU_CODE", "buurt_code")
FROM_ALIASES: tuple[str, ...] = ("van", "from", "bron", "source")
TO_ALIASES: tuple[str, ...] = ("naar", "to", "doel", "target")
WEIGHT_ALIASES: tuple[str, ...] = ("gewicht", "weight", "sterkte")


def _missing_column(file: str, column: str, table: pd.DataFrame, fix: str) -> DatasetError:
    shown = ", ".join(str(c) for c in table.columns if c != "geometry")[:300]
    return DatasetError(Finding("fout", file, f"de verplichte kolom '{column}' ontbreekt; gevonden kolommen: {shown}",
                                fix, header_row(table), column))


def parse_bool(values: pd.Series, findings: Findings, file: str, column: str, kind: str,
               default: bool = True) -> pd.Series:
    """Read ja/nee, 1/0, true/false, waar/onwaar (any case) as bool; empty cells get ``default``.

    Unrecognised values get a warning naming row and column, and ``default``.
    """
    text = clean_text(values).str.lower()
    truthy = text.isin(TRUE_WORDS)
    falsy = text.isin(FALSE_WORDS)
    unknown = text.notna() & ~truthy & ~falsy
    if unknown.any():
        report_rows(findings, "waarschuwing", file, unknown[unknown].index, column,
                    lambda i: f"'{values.loc[i]}' is geen ja of nee; gelezen als {'ja' if default else 'nee'}",
                    "schrijf ja of nee (of 1 of 0)", kind)
    return pd.Series(np.where(truthy, True, np.where(falsy, False, default)), index=values.index, dtype=bool)


def _coordinates_or_buurt(raw: pd.DataFrame, findings: Findings, file: str) -> gpd.GeoSeries | None:
    """Points from lat/lon or x/y; rows with empty coordinates but a buurtcode are located later, silently."""
    buurt_col = find_column(raw, BUURT_ALIASES)
    if buurt_col is None:
        return points_from_columns(raw, findings, file, required=False)
    coordinate_cols = list(match_columns(raw, COORDINATE_ALIASES).values())
    empty = raw[coordinate_cols].isna().all(axis=1) if coordinate_cols else pd.Series(True, index=raw.index)
    by_code = empty & raw[buurt_col].notna()
    if not by_code.any():
        return points_from_columns(raw, findings, file, required=False)
    if by_code.all():
        return gpd.GeoSeries([None] * len(raw), index=raw.index, crs=CRS_RD)
    located = points_from_columns(raw.loc[~by_code], findings, file, required=False)
    if located is None:
        return None
    return located.reindex(raw.index)


def _read_associations(path: Path, findings: Findings, file: str,
                       sheet: str | None) -> tuple[pd.DataFrame, gpd.GeoSeries | None]:
    """The raw rows and their point geometry (None when the table has no coordinate columns)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        raw = read_geo(path, findings, file)
        return raw, raw.geometry.where(~raw.geometry.is_empty)
    raw = read_table(path, findings, file, sheet)
    return raw, _coordinates_or_buurt(raw, findings, file)


def _ids_and_years(raw: pd.DataFrame, id_col: str, findings: Findings, local: Findings, file: str,
                   default_year: int) -> tuple[pd.Series, pd.Series]:
    """Ids (missing ones warned about) and years; an id twice in one year is an error in ``local``."""
    kind = row_kind(raw)
    ids = clean_id(raw[id_col])  # 12 and 12.0 (Excel) mean the same association
    no_id = ids.isna()
    if no_id.any():
        report_rows(findings, "waarschuwing", file, no_id[no_id].index, id_col,
                    "de vereniging heeft geen id; de rij wordt overgeslagen",
                    "geef elke vereniging een eigen id", kind)
    # A row whose year cannot be read is left out: under the default year it could clash with another row.
    read = parse_year(raw, findings, file, default_year, kind, skip_bad=True)
    ids = ids.mask(read.isna())
    years = read.fillna(default_year).astype("int64")
    dup = pd.DataFrame({"id": ids, "jaar": years}).duplicated(keep=False) & ids.notna()
    if dup.any():
        report_rows(local, "fout", file, dup[dup].index, id_col,
                    lambda i: f"id '{ids.loc[i]}' komt vaker voor in jaar {years.loc[i]}",
                    "geef elke vereniging een eigen id; dezelfde vereniging in een ander jaar mag hetzelfde id houden met een kolom jaar", kind)
    return ids, years


def _members(raw: pd.DataFrame, findings: Findings, file: str) -> pd.Series:
    """Whole numbers of members (0 or more); other values are warned about and missing."""
    member_col = find_column(raw, MEMBER_ALIASES)
    if not member_col:
        return pd.Series(np.nan, index=raw.index)
    kind = row_kind(raw)
    members = to_number(raw[member_col], findings, file, member_col, kind)
    bad = members.notna() & ((members < 0) | (members % 1 != 0))
    if bad.any():
        report_rows(findings, "waarschuwing", file, bad[bad].index, member_col,
                    lambda i: f"{members.loc[i]:g} is geen geldig aantal leden en wordt als ontbrekend gelezen",
                    "vul een heel aantal leden in (0 of meer) of laat de cel leeg", kind)
    return members.mask(bad).astype("float64")


def _active(raw: pd.DataFrame, findings: Findings, file: str) -> pd.Series:
    """The ``actief`` column as bool (every association active when there is none, with an info)."""
    active_col = find_column(raw, ACTIVE_ALIASES)
    if active_col:
        return parse_bool(raw[active_col], findings, file, active_col, row_kind(raw), default=True)
    findings.info(file, "er is geen kolom 'actief'; alle verenigingen gelden als actief", "", None, "actief")
    return pd.Series(True, index=raw.index, dtype=bool)


def _given_buurt(raw: pd.DataFrame, known: pd.Index | None, skip: pd.Series, findings: Findings,
                 file: str) -> pd.Series:
    """The ``buurtcode`` column (upper case); codes not among the dataset's buurten are warned about and dropped."""
    buurt_col = find_column(raw, BUURT_ALIASES)
    if not buurt_col:
        return pd.Series(np.nan, index=raw.index, dtype="str")
    given = clean_text(raw[buurt_col]).str.upper()
    if known is not None:
        unknown = given.notna() & ~given.isin(known) & ~skip
        if unknown.any():
            report_rows(findings, "waarschuwing", file, unknown[unknown].index, buurt_col,
                        lambda i: f"buurtcode '{given.loc[i]}' staat niet in de buurten van deze dataset",
                        "gebruik een buurtcode uit het buurtenbestand (BU + 8 tekens) of geef lat/lon of x/y",
                        row_kind(raw))
            given = given.mask(unknown)
    return given


def _place(raw: pd.DataFrame, geometry: gpd.GeoSeries, given_buurt: pd.Series, buurten: gpd.GeoDataFrame,
           keep: pd.Series, findings: Findings, file: str) -> tuple[gpd.GeoSeries, pd.Series]:
    """Geometry and buurt of every association: the buurt its point lies in, else the buurt code given
    (with the buurt's representative point); a point and a code that disagree are warned about."""
    kind = row_kind(raw)
    has_point = geometry.notna() & ~geometry.is_empty
    known = buurten is not None and len(buurten) > 0
    located = locate_in_buurten(geometry[keep & has_point], buurten, findings, file, kind, "verenigingen")
    buurtcode = pd.Series(np.nan, index=raw.index, dtype="str")
    buurtcode.loc[located.index] = located["buurtcode"]
    buurt_col = find_column(raw, BUURT_ALIASES)
    if buurt_col and known:
        differs = (has_point & given_buurt.notna() & buurtcode.notna() & (given_buurt != buurtcode)).fillna(False)
        if differs.any():
            report_rows(findings, "waarschuwing", file, differs[differs].index, buurt_col,
                        lambda i: f"de coördinaten liggen in buurt {buurtcode.loc[i]}, niet in {given_buurt.loc[i]}; de coördinaten zijn gebruikt",
                        "controleer de coördinaten of de buurtcode", kind)
    by_code = ~has_point & given_buurt.notna()
    if by_code.any() and known:
        areas = buurten.set_index("gebiedscode").geometry
        representative = gpd.GeoSeries(shapely.point_on_surface(areas.to_numpy()), index=areas.index, crs=CRS_RD)
        geometry = geometry.copy()
        geometry.loc[by_code] = representative.reindex(given_buurt[by_code]).to_numpy()
    # without areas to check against (single-file validation) the code is kept as given
    return geometry, buurtcode.mask(by_code, given_buurt)


def load_associations(path: Path | str, buurten: gpd.GeoDataFrame, findings: Findings, default_year: int,
                      file: str | None = None, sheet: str | None = None) -> gpd.GeoDataFrame:
    """Read ``verenigingen.csv`` (or a geo file of associations) into the standard associations frame.

    Parameters
    ----------
    path : path-like
        CSV/Excel with ``id, naam, soort, leden, actief`` and a location (``lat``/``lon``,
        RD ``x``/``y`` or ``buurtcode``), or a geo file with the same columns.
    buurten : geopandas.GeoDataFrame
        Standard buurt frame (may be empty: then codes are not checked and nothing is located).
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
    geopandas.GeoDataFrame
        :data:`analysis.model.ASSOCIATION_COLUMNS` + point geometry in EPSG:28992. ``id`` is a
        string, ``leden`` float (whole numbers or NaN), ``actief`` bool. Associations located only
        by ``buurtcode`` get the buurt's representative point; associations without any location
        are kept (they count in the network) with an empty geometry and no buurt.

    Raises
    ------
    DatasetError
        When required columns are missing or an id occurs twice in one year.
    """
    path = Path(path)
    file = file or path.name
    raw, coordinates = _read_associations(path, findings, file, sheet)
    kind = row_kind(raw)
    id_col = find_column(raw, ID_ALIASES)
    if id_col is None:
        raise _missing_column(file, "id", raw, "voeg een kolom id toe met een eigen code per vereniging (die gebruikt banden.csv)")
    name_col = find_column(raw, NAME_ALIASES)
    if name_col is None:
        raise _missing_column(file, "naam", raw, "voeg een kolom naam toe met de naam van de vereniging")
    if coordinates is None and find_column(raw, BUURT_ALIASES) is None:
        raise DatasetError(Finding("fout", file, "er is geen locatie: geen kolommen lat/lon, x/y of buurtcode",
                                   "voeg per vereniging lat en lon, x en y (RD) of een buurtcode toe", header_row(raw)))
    local = Findings()
    ids, years = _ids_and_years(raw, id_col, findings, local, file, default_year)
    keep = ids.notna()
    names = shorten_names(clean_text(raw[name_col]), findings, file, name_col, kind)
    no_name = names.isna() & keep
    if no_name.any():
        report_rows(findings, "waarschuwing", file, no_name[no_name].index, name_col,
                    "de naam ontbreekt; het id wordt als naam gebruikt", "vul de naam van de vereniging in", kind)
    kind_col = find_column(raw, KIND_ALIASES)
    soort = clean_text(raw[kind_col]) if kind_col else pd.Series(np.nan, index=raw.index, dtype="str")
    members = _members(raw, findings, file)
    active = _active(raw, findings, file)
    geometry = gpd.GeoSeries(coordinates if coordinates is not None else None, index=raw.index, crs=CRS_RD)
    has_point = geometry.notna() & ~geometry.is_empty
    known = pd.Index(buurten["gebiedscode"]) if buurten is not None and len(buurten) else None
    given_buurt = _given_buurt(raw, known, ~keep, findings, file)
    no_location = ~has_point & given_buurt.isna() & keep
    if no_location.any():
        report_rows(findings, "waarschuwing", file, no_location[no_location].index, None,
                    "de vereniging heeft geen locatie; ze telt mee in het netwerk, maar niet in een buurt of wijk",
                    "vul lat/lon, x/y of een buurtcode in", kind)
    findings.extend(local)
    if local.has_errors:
        raise DatasetError(local.errors)
    geometry, buurtcode = _place(raw, geometry.where(has_point), given_buurt, buurten, keep, findings, file)
    frame = pd.DataFrame({
        "id": ids, "naam": names.fillna(ids), "soort": soort, "leden": members, "actief": active, "jaar": years,
        "buurtcode": buurtcode, "wijkcode": ("WK" + buurtcode.str.slice(2, 8)).where(buurtcode.notna()),
        "laatst_gecontroleerd": checked_dates(raw, findings, file, kind),
    }, index=raw.index)[keep]
    return gpd.GeoDataFrame(frame[list(ASSOCIATION_COLUMNS)], geometry=geometry[keep].values,
                            crs=CRS_RD).reset_index(drop=True)


def _tie_ends(raw: pd.DataFrame, from_col: str, to_col: str, findings: Findings, file: str) -> tuple[pd.Series, pd.Series]:
    """The ``van`` and ``naar`` ids; a tie with an empty end is warned about (once, on the first empty end)."""
    kind = row_kind(raw)
    van = clean_id(raw[from_col])
    naar = clean_id(raw[to_col])
    for col, ids, other in ((from_col, van, None), (to_col, naar, van)):
        blank = ids.isna() if other is None else ids.isna() & other.notna()
        if blank.any():
            report_rows(findings, "waarschuwing", file, blank[blank].index, col,
                        f"{'van' if other is None else 'naar'} is leeg; de band wordt overgeslagen",
                        "vul de id's van beide verenigingen in", kind)
    return van, naar


def _known_ends(van: pd.Series, naar: pd.Series, cols: tuple[str, str], associations: pd.DataFrame | None,
                findings: Findings, file: str, kind: str) -> pd.Series:
    """True for ties whose two ends are associations of the dataset; the others are warned about."""
    keep = pd.Series(True, index=van.index)
    known = pd.Index(clean_id(pd.Series(associations["id"], dtype="str")).dropna().unique()) \
        if associations is not None and len(associations) else pd.Index([], dtype="str")
    for col, ids in zip(cols, (van, naar)):
        unknown = van.notna() & naar.notna() & keep & ~ids.isin(known)
        _report_unknown_ends(ids[unknown], col, findings, file, kind)
        keep &= ~unknown
    return keep


def _report_unknown_ends(ids: pd.Series, column: str, findings: Findings, file: str, kind: str) -> None:
    """One warning per tie whose end (``ids``, indexed by row) is not an association of the dataset."""
    report_rows(findings, "waarschuwing", file, ids.index, column,
                lambda i: f"vereniging '{ids.loc[i]}' bestaat niet in verenigingen; de band wordt overgeslagen",
                "gebruik een id uit de kolom id van verenigingen.csv, of voeg de vereniging toe", kind)


def _weights(raw: pd.DataFrame, keep: pd.Series, findings: Findings, file: str) -> tuple[pd.Series, pd.Series]:
    """Tie weights (1 when the cell is empty) and the ties still kept.

    A weight that is not a finite number (text, ``inf``, ``NaN``) or not above 0 is warned about
    and its tie skipped: guessing a weight would change the network silently.
    """
    weight_col = find_column(raw, WEIGHT_ALIASES)
    if not weight_col:
        return pd.Series(1.0, index=raw.index), keep
    kind = row_kind(raw)
    parsed = to_number(raw[weight_col], None, file, weight_col, kind)
    written = clean_text(raw[weight_col])
    unreadable = keep & written.notna() & parsed.isna()
    if unreadable.any():
        report_rows(findings, "waarschuwing", file, unreadable[unreadable].index, weight_col,
                    lambda i: f"gewicht '{written.loc[i]}' is geen eindig getal; de band wordt overgeslagen",
                    "geef een gewicht groter dan 0, zoals 1 of 2,5, of laat de cel leeg (gewicht 1)", kind)
    not_positive = keep & parsed.notna() & (parsed <= 0)
    if not_positive.any():
        report_rows(findings, "waarschuwing", file, not_positive[not_positive].index, weight_col,
                    lambda i: f"gewicht {parsed.loc[i]:g} is niet groter dan 0; de band wordt overgeslagen",
                    "geef een gewicht groter dan 0, of laat de cel leeg (gewicht 1)", kind)
    return parsed.fillna(1.0), keep & ~not_positive & ~unreadable


def _duplicate_ties(frame: pd.DataFrame, keep: pd.Series, findings: Findings, file: str, column: str,
                    kind: str) -> pd.Series:
    """The ties kept after leaving out repeats: the same pair (either direction), kind and year twice.

    The network is undirected and sums parallel ties, so a repeated row would double the tie; each
    repeat gets a warning naming its own row and the row it repeats.
    """
    low = frame[["van", "naar"]].min(axis=1)
    high = frame[["van", "naar"]].max(axis=1)
    key = pd.DataFrame({"a": low, "b": high, "soort": frame["soort"].fillna(""), "jaar": frame["jaar"]})[keep]
    repeat = key.duplicated(keep="first")
    if not repeat.any():
        return keep
    first_row = {tuple(k): user_row(i, kind) for i, k in zip(key.index[::-1], key.to_numpy()[::-1].tolist())}
    repeats = repeat[repeat].index
    report_rows(findings, "waarschuwing", file, repeats, column,
                lambda i: f"dezelfde band als in rij {first_row[tuple(key.loc[i].tolist())]} "
                          f"({frame.loc[i, 'van']} - {frame.loc[i, 'naar']}"
                          f"{', ' + str(frame.loc[i, 'soort']) if pd.notna(frame.loc[i, 'soort']) else ''}, "
                          f"{frame.loc[i, 'jaar']}); deze rij wordt overgeslagen",
                "zet elke band één keer in het bestand; een band telt in beide richtingen", kind)
    return keep & ~pd.Series(keep.index.isin(repeats), index=keep.index)


def load_ties(path: Path | str, associations: pd.DataFrame | None, findings: Findings, default_year: int,
              file: str | None = None, check_ids: bool = True, sheet: str | None = None) -> pd.DataFrame:
    """Read ``banden.csv`` into the standard ties frame.

    Parameters
    ----------
    path : path-like
        CSV/Excel with ``van, naar`` (association ids), optional ``soort``, ``gewicht`` and ``jaar``.
    associations : pandas.DataFrame or None
        The loaded associations (``id``); ties to ids not in it are skipped with a warning.
    findings : Findings
        Receives warnings and infos.
    default_year : int
        Year of rows without a ``jaar``.
    file : str, optional
        Name for messages.
    check_ids : bool
        Check the ids against ``associations`` (off for single-file validation).
    sheet : str, optional
        The Excel sheet (``blad`` in dataset.toml).

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.TIE_COLUMNS`: ``van``/``naar`` strings, ``gewicht`` float
        (default 1), ``jaar`` int.

    Raises
    ------
    DatasetError
        When ``van`` or ``naar`` is missing.
    """
    path = Path(path)
    file = file or path.name
    raw = read_table(path, findings, file, sheet)
    kind = row_kind(raw)
    from_col = find_column(raw, FROM_ALIASES)
    to_col = find_column(raw, TO_ALIASES)
    if from_col is None or to_col is None:
        raise _missing_column(file, "van" if from_col is None else "naar", raw,
                              "een band heeft de kolommen van en naar met de id's van twee verenigingen")
    van, naar = _tie_ends(raw, from_col, to_col, findings, file)
    keep = van.notna() & naar.notna()
    if check_ids:
        keep &= _known_ends(van, naar, (from_col, to_col), associations, findings, file, kind)
    self_tie = keep & (van == naar)
    if self_tie.any():
        report_rows(findings, "waarschuwing", file, self_tie[self_tie].index, to_col,
                    lambda i: f"de band gaat van '{van.loc[i]}' naar zichzelf; de band wordt overgeslagen",
                    "een band verbindt twee verschillende verenigingen", kind)
        keep &= ~self_tie
    weight, keep = _weights(raw, keep, findings, file)
    kind_col = find_column(raw, KIND_ALIASES)
    soort = clean_text(raw[kind_col]).str.lower() if kind_col else pd.Series(np.nan, index=raw.index, dtype="str")
    other = sorted(str(s) for s in set(soort[keep].dropna()) - set(TIE_KINDS))
    if other:
        findings.info(file, f"andere soorten banden dan de standaard ({', '.join(TIE_KINDS)}): {', '.join(other[:8])}",
                      "", None, kind_col)
    years = parse_year(raw, findings, file, default_year, kind)
    frame = pd.DataFrame({"van": van, "naar": naar, "soort": soort, "gewicht": weight.astype("float64"),
                          "jaar": years})
    keep = _duplicate_ties(frame, keep, findings, file, to_col, kind)
    return frame[keep][list(TIE_COLUMNS)].reset_index(drop=True)
