"""Facility files -> one facilities frame tagged with component, buurt and wijk (EPSG:28992)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.components import COMPONENT_KEYS, COMPONENTS, COMPONENTS_BY_KEY
from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import find_column, normalise_name, read_geo, report_rows, row_kind, to_number, user_row
from analysis.model import CRS_RD, FACILITY_COLUMNS

#: Points further than this outside the gemeente are probably misplaced (metres).
FAR_OUTSIDE_M = 5_000.0
#: Accepted spellings of the year column in every file but the areas.
YEAR_ALIASES: tuple[str, ...] = ("jaar", "year", "peiljaar", "meetjaar", "peildatum")
#: Plausible measurement years.
YEAR_RANGE: tuple[int, int] = (1900, 2100)
#: Components a facility can have: every component but the digital platforms (not a place).
FACILITY_KEYS: tuple[str, ...] = tuple(k for k in COMPONENT_KEYS if k != "digitaal")

NAME_ALIASES: tuple[str, ...] = ("naam", "name", "omschrijving", "titel")
KIND_ALIASES: tuple[str, ...] = ("soort", "type", "categorie", "functie")
ID_ALIASES: tuple[str, ...] = ("id", "code", "nummer")
CAPACITY_ALIASES: tuple[str, ...] = ("capaciteit", "capacity", "plaatsen")
OCCUPANCY_ALIASES: tuple[str, ...] = ("bezetting_pct", "bezetting", "bezettingsgraad", "bezettingsgraad_pct")
#: Spellings of the date an entry of the sociale kaart was last checked.
CHECKED_ALIASES: tuple[str, ...] = ("laatst_gecontroleerd", "gecontroleerd", "controledatum", "laatste_controle")


def _component_lookup() -> dict[str, str]:
    """Normalised key, label and short label -> component key (``Openbare ruimte`` -> ``openbare_ruimte``)."""
    lookup: dict[str, str] = {}
    for comp in COMPONENTS:
        for name in (comp.key, comp.label, comp.short_label):
            lookup.setdefault(normalise_name(name), comp.key)
    return lookup


COMPONENT_LOOKUP: dict[str, str] = _component_lookup()


def clean_text(values: pd.Series) -> pd.Series:
    """Text with surrounding blanks removed; empty cells become missing (``str`` dtype).

    A leading ``'`` before a formula character (``=``, ``+``, ``-``, ``@``) is dropped: it is the quote prefix
    that the exports (:func:`analysis.render.tables.neutralise`) and spreadsheets put before such a text,
    not part of it, so a file written by Wijkweefsel reads back with the same texts.
    """
    out = values.astype("str").str.strip().str.replace(r"^'(?=[=+\-@])", "", regex=True)
    return out.mask(out == "")


#: Longest name kept (facilities, associations, areas, initiatives). The longest names in the CBS 2024 files are
#: 40 characters for a buurt and 56 for a wijk (cbs_kwb_2024_buurten.csv, cbs_wijken_2024_nl.geojson); 200 leaves
#: room for any real name. A longer one is cut with "…" and a warning naming the row: names of 100,000 characters
#: doubled the export time and fill every tooltip, table and file name they reach.
MAX_NAME_CHARS = 200


def shorten_names(names: pd.Series, findings: Findings, file: str, column: str | None,
                  kind: str = "table") -> pd.Series:
    """Names longer than :data:`MAX_NAME_CHARS` cut to that length (ending in "…"), with a warning per row.

    Parameters
    ----------
    names : pandas.Series
        Cleaned names (:func:`clean_text`); missing values stay missing.
    findings : Findings
        Receives the warnings (file, row as the user sees it, column).
    file, column : str
        For the messages.
    kind : str
        ``"table"`` or ``"geo"`` (how rows are numbered; see :func:`analysis.load.files.user_row`).
    """
    lengths = names.str.len()
    long = (lengths > MAX_NAME_CHARS).fillna(False).astype(bool)
    if not long.any():
        return names
    report_rows(findings, "waarschuwing", file, long[long].index, column,
                lambda label: f"de naam is {int(lengths.loc[label]):,} tekens lang; na {MAX_NAME_CHARS} tekens is hij "
                              "ingekort".replace(",", "."),
                f"geef een naam van hooguit {MAX_NAME_CHARS} tekens (een omschrijving hoort in een eigen kolom)", kind)
    out = names.copy()
    out[long] = names[long].str.slice(0, MAX_NAME_CHARS - 1) + "…"
    return out


def clean_id(values: pd.Series) -> pd.Series:
    """Identifiers as text: blanks removed, empty cells missing, ``12.0`` (a number from Excel or
    a geo file) written as ``12`` so that it matches the ``12`` of another file."""
    return clean_text(values).str.replace(r"^(\d+)\.0$", r"\1", regex=True)


def checked_dates(raw: pd.DataFrame, findings: Findings, file: str, kind: str = "table") -> pd.Series:
    """The optional ``laatst_gecontroleerd`` date of every row (NaT when the file has no such column).

    Dates are ISO (``2024-03-01``) or Dutch (``1-3-2024``, see :func:`analysis.load.wijkplan.parse_dates`);
    a cell that is filled but no date gets a warning naming the row and is left empty.
    """
    from analysis.load.wijkplan import parse_dates  # wijkplan reads dates for plans, measures and notes too

    col = find_column(raw, list(CHECKED_ALIASES))
    if col is None:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    dates = parse_dates(raw[col])
    text = raw[col].astype("string").str.strip()
    bad = dates.isna() & text.notna() & (text != "")
    if bad.any():
        report_rows(findings, "waarschuwing", file, bad[bad].index, col,
                    "dit is geen datum; de rij telt als niet gecontroleerd",
                    "schrijf de datum als 2024-03-01 of 1-3-2024, of laat de cel leeg", kind)
    return dates


def parse_year(table: pd.DataFrame, findings: Findings, file: str, default_year: int,
               kind: str | None = None, skip_bad: bool = False) -> pd.Series:
    """The measurement year of every row: the file's ``jaar`` column, else ``default_year``.

    Empty cells get ``default_year``; a date (``2024-01-01``, ``1-1-2024``, or an Excel date serial
    such as ``45292``) gives its year; a cell that is not a plausible year gets a warning naming
    the row and column, and ``default_year``.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw table with a 0-based index.
    findings : Findings
        Receives the warnings.
    file : str
        File name for messages.
    default_year : int
        The manifest year (peiljaar).
    kind : str, optional
        ``'table'`` or ``'geo'`` row numbering; read from ``table.attrs`` when omitted.
    skip_bad : bool
        Give rows whose year cannot be read no year (``<NA>``, to be left out by the caller) instead of
        ``default_year``: where a default year could make the row collide with another one (the same
        association id twice in one year is an error).

    Returns
    -------
    pandas.Series
        int64 years aligned with ``table.index`` (``Int64`` with ``<NA>`` for unreadable years when
        ``skip_bad``).
    """
    kind = kind or row_kind(table)
    column = find_column(table, YEAR_ALIASES)
    if column is None:
        return pd.Series(int(default_year), index=table.index, dtype="int64")
    text = clean_text(table[column])
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    good = numbers.notna() & (numbers % 1 == 0) & numbers.between(*YEAR_RANGE)
    dated = _year_of_date(text.where(~good))
    numbers, good = numbers.where(good, dated), good | dated.notna()
    bad = text.notna() & ~good
    if bad.any():
        outcome = "de rij wordt overgeslagen" if skip_bad else f"het jaar {default_year} uit dataset.toml is gebruikt"
        report_rows(findings, "waarschuwing", file, bad[bad].index, column,
                    lambda i: f"'{text.loc[i]}' is geen geldig jaar; {outcome}",
                    "schrijf een jaartal met vier cijfers, zoals 2024, of laat de cel leeg", kind)
    if skip_bad:
        return numbers.where(good | text.isna(), np.nan).fillna(default_year).where(~bad).astype("Int64")
    return numbers.where(good, default_year).astype("int64")


#: Excel stores a date as the number of days since 30 December 1899 (its "serial"); these are 1900-2100.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL_RANGE: tuple[int, int] = (1, 73_415)
_DATE_TEXT = re.compile(r"^(\d{4})-\d{1,2}-\d{1,2}(?:[ T].*)?$|^\d{1,2}[-/.]\d{1,2}[-/.](\d{4})(?: .*)?$")


def _year_of_date(text: pd.Series) -> pd.Series:
    """The year of a date written as text (``2024-01-01``, ``1-1-2024``, ``01/01/2024 00:00``) or as an Excel
    serial (``45292`` = 1 January 2024: a date cell whose date format was lost); NaN for anything else."""
    parts = text.str.extract(_DATE_TEXT)
    years = pd.to_numeric(parts[0].fillna(parts[1]), errors="coerce")
    serial = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    serial = serial.where((serial % 1 == 0) & serial.between(YEAR_RANGE[1] + 1, EXCEL_SERIAL_RANGE[1]))
    from_serial = (EXCEL_EPOCH + pd.to_timedelta(serial.fillna(0), unit="D")).dt.year.where(serial.notna())
    years = years.fillna(from_serial)
    return years.where(years.between(*YEAR_RANGE))


def locate_in_buurten(geometry: gpd.GeoSeries, buurten: gpd.GeoDataFrame, findings: Findings,
                      file: str, kind: str, what: str = "voorzieningen") -> pd.DataFrame:
    """Buurt and wijk code of every geometry, by a vectorised spatial join.

    Polygons and lines are placed by their representative point (a point surely
    inside them). Geometries outside the gemeente keep missing codes: they still
    count for the proximity of residents near the border. They are summarised in one
    ``info``; those more than :data:`FAR_OUTSIDE_M` outside get a warning per row.

    Parameters
    ----------
    geometry : geopandas.GeoSeries
        Geometries in EPSG:28992 (missing allowed), 0-based index of the file rows.
    buurten : geopandas.GeoDataFrame
        Standard buurt frame (``gebiedscode``, ``wijkcode``). When empty, nothing is located.
    findings : Findings
        Receives the info and warnings.
    file, kind : str
        File name and row numbering for messages.
    what : str
        Dutch plural noun for the message (``voorzieningen``, ``verenigingen``).

    Returns
    -------
    pandas.DataFrame
        ``buurtcode, wijkcode`` aligned with ``geometry.index`` (missing when outside).
    """
    out = pd.DataFrame({"buurtcode": pd.Series(np.nan, index=geometry.index, dtype="str"),
                        "wijkcode": pd.Series(np.nan, index=geometry.index, dtype="str")})
    has_geom = geometry.notna() & ~geometry.is_empty
    if buurten is None or len(buurten) == 0 or not has_geom.any():
        return out
    points = gpd.GeoDataFrame(
        geometry=gpd.GeoSeries(shapely.point_on_surface(geometry[has_geom].to_numpy()),
                               index=geometry.index[has_geom], crs=CRS_RD), crs=CRS_RD)
    areas = buurten[["gebiedscode", "wijkcode", buurten.geometry.name]].rename(
        columns={"gebiedscode": "_buurt", "wijkcode": "_wijk"})
    joined = gpd.sjoin(points, areas, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    out.loc[joined.index, "buurtcode"] = joined["_buurt"].astype("str")
    out.loc[joined.index, "wijkcode"] = joined["_wijk"].astype("str")
    outside = has_geom & out["buurtcode"].isna()
    if outside.any():
        boundary = shapely.union_all(buurten.geometry.to_numpy())
        distance_m = pd.Series(shapely.distance(points.geometry[outside[has_geom].to_numpy()].to_numpy(), boundary),
                               index=outside[outside].index)
        far = distance_m > FAR_OUTSIDE_M
        near = int((~far).sum())
        if near:
            counted = f"1 {what.removesuffix('en')} ligt" if near == 1 else f"{near} {what} liggen"
            findings.info(file, f"{counted} buiten de gemeente (binnen {FAR_OUTSIDE_M / 1000:.0f} km); "
                                f"{'die telt' if near == 1 else 'ze tellen'} mee voor de nabijheid van bewoners "
                                "aan de rand, niet in een buurt of wijk")
        if far.any():
            report_rows(findings, "waarschuwing", file, far[far].index, None,
                        lambda i: f"ligt ver buiten de gemeente ({distance_m.loc[i] / 1000:.1f} km van de grens); klopt de locatie?",
                        "controleer de coördinaten (verwisselde lat/lon of x/y?) of haal de rij weg", kind)
    return out


def _facility_components(raw: pd.DataFrame, spec: dict[str, Any], findings: Findings, file: str,
                         kind: str) -> pd.Series:
    """The component key of every row (missing for rows to skip, with their findings)."""
    if spec.get("component") is not None:
        given = str(spec["component"])
        key = COMPONENT_LOOKUP.get(normalise_name(given))
        if key is None:
            raise DatasetError(Finding("fout", "dataset.toml", f"onbekende component '{given}' bij bestand {file}",
                                       f"kies een van: {', '.join(FACILITY_KEYS)}"))
        if key == "digitaal":
            raise DatasetError(Finding("fout", "dataset.toml", f"component 'digitaal' bij bestand {file}: digitale platforms zijn geen plek",
                                       "zet het gebruik van platforms per gebied in digitaal.csv (gebiedscode, platform, actieve_gebruikers)"))
        return pd.Series(key, index=raw.index, dtype="str")
    column_name = spec.get("componentkolom")
    if column_name is not None:
        column = find_column(raw, (str(column_name),))
        if column is None:
            raise DatasetError(Finding("fout", file, f"de kolom '{column_name}' (componentkolom in dataset.toml) ontbreekt; gevonden kolommen: {_shown_columns(raw)}",
                                       "vul de juiste kolomnaam in bij componentkolom", None, str(column_name)))
    else:
        column = find_column(raw, ("component",))
        if column is None:
            raise DatasetError(Finding("fout", file, "er is geen component opgegeven en het bestand heeft geen kolom 'component'",
                                       f"zet in dataset.toml bij dit bestand component = \"...\" of componentkolom = \"...\"; kies uit {', '.join(FACILITY_KEYS)}",
                                       None, "component"))
    text = clean_text(raw[column])
    keys, skipped = _mapped_components(text, spec)
    if skipped.any():
        findings.info(file, f"{int(skipped.sum())} rijen met een soort die in dataset.toml op 'overslaan' staat, zijn weggelaten",
                      column=column)
    empty = text.isna()
    if empty.any():
        report_rows(findings, "waarschuwing", file, empty[empty].index, column,
                    "de component is leeg; de rij wordt overgeslagen",
                    f"vul een component in: {', '.join(FACILITY_KEYS)}", kind)
    unknown = text.notna() & keys.isna() & ~skipped
    if unknown.any():
        report_rows(findings, "waarschuwing", file, unknown[unknown].index, column,
                    lambda i: f"onbekende component '{text.loc[i]}'; de rij wordt overgeslagen",
                    f"kies een van: {', '.join(FACILITY_KEYS)}", kind)
    digital = keys == "digitaal"
    if digital.any():
        report_rows(findings, "waarschuwing", file, digital[digital].index, column,
                    "component 'digitaal' is geen plek; de rij wordt overgeslagen",
                    "zet het gebruik van digitale platforms per gebied in digitaal.csv", kind)
    return keys.mask(digital)


#: The value in a ``componenten`` table of dataset.toml for rows to leave out on purpose.
SKIP_COMPONENT = "overslaan"


def _mapped_components(text: pd.Series, spec: dict[str, Any]) -> tuple[pd.Series, pd.Series]:
    """Component key per row (missing when unknown) and the rows to skip, from the column's values.

    A value is a component key or label (``zorg``, ``Openbare ruimte``), or is translated first by the
    entry's ``componenten`` table (``componenten = { GGZ = "zorg", kerk = "overslaan" }``), written by
    the import assistant for files whose kind column holds their own words.
    """
    table = spec.get("componenten")
    own = {normalise_name(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}
    # Normalise each distinct spelling once, then map the whole column.
    translated = {v: own.get(normalise_name(v), v) for v in text.dropna().unique()}
    by_spelling = {v: COMPONENT_LOOKUP.get(normalise_name(t)) for v, t in translated.items()}
    skipped = text.map({v: t == SKIP_COMPONENT for v, t in translated.items()}).fillna(False).astype(bool)
    return text.map(by_spelling).astype("str"), skipped


def _shown_columns(raw: pd.DataFrame) -> str:
    geometry = raw.geometry.name if isinstance(raw, gpd.GeoDataFrame) else None
    return ", ".join(str(c) for c in raw.columns if c != geometry)[:300]


def _text_column(raw: pd.DataFrame, spec_key: str, spec: dict[str, Any], aliases: tuple[str, ...],
                 file: str) -> str | None:
    """The column named in the spec (error when absent) or the first alias found."""
    if spec.get(spec_key) is not None:
        name = str(spec[spec_key])
        column = find_column(raw, (name,))
        if column is None:
            raise DatasetError(Finding("fout", file, f"de kolom '{name}' ({spec_key} in dataset.toml) ontbreekt; gevonden kolommen: {_shown_columns(raw)}",
                                       f"vul bij {spec_key} de juiste kolomnaam in", None, name))
        return column
    return find_column(raw, aliases)


def _non_negative_column(raw: pd.DataFrame, aliases: tuple[str, ...], findings: Findings, file: str, kind: str,
                         shown: str, fix: str) -> pd.Series:
    """An optional numeric column (a trailing ``%`` allowed); negative values become NaN with a warning.

    Parameters
    ----------
    raw : pandas.DataFrame
        The raw table.
    aliases : tuple of str
        Column names that mean this column.
    findings : Findings
        Receives the warnings.
    file, kind : str
        File name and row kind for messages.
    shown : str
        How a value is named in the message, with ``{:g}`` for the number (``"capaciteit {:g}"``).
    fix : str
        What the user should fill in.

    Returns
    -------
    pandas.Series
        Float values aligned with ``raw.index``; NaN when the column is absent, empty or negative.
    """
    column = find_column(raw, aliases)
    if column is None:
        return pd.Series(np.nan, index=raw.index)
    values = to_number(raw[column].astype("str").str.replace("%", "", regex=False), findings, file, column, kind)
    negative = values < 0
    if negative.any():
        report_rows(findings, "waarschuwing", file, negative[negative].index, column,
                    lambda i: f"{shown.format(values.loc[i])} is negatief en wordt als ontbrekend gelezen", fix, kind)
    return values.mask(negative)


def load_facilities(path: Path | str, spec: dict[str, Any], buurten: gpd.GeoDataFrame, findings: Findings,
                    default_year: int, file: str | None = None) -> gpd.GeoDataFrame:
    """Read one facility file (one ``[[voorzieningen]]`` entry) into the standard facilities frame.

    Parameters
    ----------
    path : path-like
        GeoJSON, GeoPackage, zipped Shapefile, or a CSV/Excel table with ``lat``/``lon``
        or RD ``x``/``y``.
    spec : dict
        The manifest entry: ``bestand``; ``component`` (every row) or ``componentkolom``
        (a column with the key per row; without either the column ``component`` is used);
        optional ``naamkolom`` (default ``naam``), ``soortkolom`` (default ``soort``),
        ``idkolom`` (default ``id``) and ``jaar`` (year of rows without a ``jaar`` column).
    buurten : geopandas.GeoDataFrame
        Standard buurt frame, for the buurt and wijk of every facility (may be empty:
        then nothing is located).
    findings : Findings
        Receives warnings and infos.
    default_year : int
        The manifest year.
    file : str, optional
        Name for messages; defaults to ``spec['bestand']`` or the file name.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`analysis.model.FACILITY_COLUMNS` + geometry (points or polygons), EPSG:28992.
        Rows with an unknown component or no geometry are left out (with a warning).

    Raises
    ------
    DatasetError
        When the file or its manifest entry cannot be used.
    """
    path = Path(path)
    file = file or str(spec.get("bestand") or path.name)
    raw = read_geo(path, findings, file, sheet=spec.get("blad"))
    kind = row_kind(raw)
    components = _facility_components(raw, spec, findings, file, kind)
    ids, names, id_col = _ids_and_names(raw, spec, findings, file)
    kind_col = _text_column(raw, "soortkolom", spec, KIND_ALIASES, file)
    soort = clean_text(raw[kind_col]) if kind_col else pd.Series(np.nan, index=raw.index, dtype="str")
    capacity, occupancy = _capacity_and_occupancy(raw, findings, file)
    year_default = int(spec["jaar"]) if isinstance(spec.get("jaar"), int) else int(default_year)
    years = parse_year(raw, findings, file, year_default, kind)

    geometry = raw.geometry
    no_geometry = geometry.isna() | geometry.is_empty
    if kind == "geo" and no_geometry.any():  # tables: points_from_columns already reported the rows
        report_rows(findings, "waarschuwing", file, no_geometry[no_geometry].index, None,
                    "de voorziening heeft geen geometrie; de rij wordt overgeslagen",
                    "geef de voorziening een punt of vlak", kind)
    keep = components.notna() & ~no_geometry
    if not keep.any():
        findings.warning(file, "er is geen enkele bruikbare voorziening in dit bestand",
                         "controleer de component en de locatie van de rijen")
    located = locate_in_buurten(geometry[keep], buurten, findings, file, kind)
    frame = pd.DataFrame({
        "id": ids[keep].astype("str"), "naam": names[keep].astype("str"),
        "component": components[keep].astype("str"), "soort": soort[keep].astype("str"),
        "capaciteit": capacity[keep].astype("float64"), "bezetting_pct": occupancy[keep].astype("float64"),
        "jaar": years[keep].astype("int64"), "buurtcode": located["buurtcode"], "wijkcode": located["wijkcode"],
        "bron": file, "laatst_gecontroleerd": checked_dates(raw, findings, file, kind)[keep],
    }, index=raw.index[keep])
    dup = frame.duplicated(["id", "jaar"], keep=False)
    if id_col and dup.any():
        report_rows(findings, "waarschuwing", file, dup[dup].index, id_col,
                    lambda i: f"id '{frame.loc[i, 'id']}' komt vaker voor in hetzelfde jaar",
                    "geef elke voorziening een eigen id", kind)
    return gpd.GeoDataFrame(frame[list(FACILITY_COLUMNS)], geometry=geometry[keep].values,
                            crs=CRS_RD).reset_index(drop=True)


def _ids_and_names(raw: gpd.GeoDataFrame, spec: dict[str, Any], findings: Findings,
                   file: str) -> tuple[pd.Series, pd.Series, str | None]:
    """Ids and names of every row (a number from the row where absent) and the id column used."""
    kind = row_kind(raw)
    rows = pd.Series(raw.index.to_numpy() + user_row(0, kind), index=raw.index).astype("str")  # as the user sees it
    name_col = _text_column(raw, "naamkolom", spec, NAME_ALIASES, file)
    fallback_names = "voorziening " + rows
    if name_col is None:
        findings.warning(file, f"er is geen kolom 'naam'; de voorzieningen krijgen een nummer als naam; gevonden kolommen: {_shown_columns(raw)}",
                         "voeg een kolom naam toe of zet in dataset.toml naamkolom = \"...\"", None, "naam")
        names = fallback_names
    else:
        names = shorten_names(clean_text(raw[name_col]), findings, file, name_col, kind).fillna(fallback_names)
    id_col = _text_column(raw, "idkolom", spec, ID_ALIASES, file)
    fallback_ids = f"{Path(file).stem}-" + rows
    ids = clean_id(raw[id_col]).fillna(fallback_ids) if id_col else fallback_ids
    return ids, names, id_col


def _capacity_and_occupancy(raw: gpd.GeoDataFrame, findings: Findings, file: str) -> tuple[pd.Series, pd.Series]:
    """Capacity (places) and occupancy (%) where given; negative values missing, over 100% warned about."""
    kind = row_kind(raw)
    capacity = _non_negative_column(raw, CAPACITY_ALIASES, findings, file, kind, "capaciteit {:g}",
                                    "vul het aantal plaatsen in (0 of meer) of laat de cel leeg")
    occupancy = _non_negative_column(raw, OCCUPANCY_ALIASES, findings, file, kind, "bezetting {:g}%",
                                     "vul de bezetting in procent in (0-100) of laat de cel leeg")
    high = occupancy > 100
    if high.any():
        report_rows(findings, "waarschuwing", file, high[high].index, find_column(raw, OCCUPANCY_ALIASES),
                    lambda i: f"bezetting {occupancy.loc[i]:g}% is meer dan 100%; klopt dat?",
                    "vul de bezetting in procent in (0-100); een breuk als 0,8 betekent 0,8%, niet 80%", kind)
    return capacity, occupancy


def component_counts(facilities: pd.DataFrame) -> dict[str, int]:
    """Number of facilities per component key (all facility keys present, zero when none)."""
    counts = facilities["component"].value_counts() if len(facilities) else pd.Series(dtype="int64")
    return {key: int(counts.get(key, 0)) for key in FACILITY_KEYS if key in COMPONENTS_BY_KEY}


def dedupe_ids(facilities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make facility ids unique across files: the same id (and year) in two files gets its file as prefix."""
    if len(facilities) == 0:
        return facilities
    clash = facilities.duplicated(["id", "jaar"], keep=False) & (
        facilities.groupby(["id", "jaar"])["bron"].transform("nunique") > 1)
    if clash.any():
        facilities = facilities.copy()
        facilities.loc[clash, "id"] = facilities.loc[clash, "bron"].map(lambda b: Path(b).stem) + ":" + \
            facilities.loc[clash, "id"]
    return facilities
