"""CBS wijk- en buurtkaart files into the gemeente > wijk > buurt hierarchy (EPSG:28992)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.formatting import format_number
from analysis.load.facilities import shorten_names
from analysis.load.files import (
    find_column,
    geo_fields,
    match_columns,
    normalise_name,
    read_geo,
    report_rows,
    row_kind,
    to_number,
)
from analysis.model import (
    AREA_COLUMNS,
    BUURT_CODE_PATTERN,
    CRS_RD,
    GEMEENTE_CODE_PATTERN,
    WIJK_CODE_PATTERN,
)

#: Anchored forms of the model's code patterns (Amsterdam's codes end in letters: ``BU0363AF09``).
BUURT_CODE_RE = f"^{BUURT_CODE_PATTERN}$"
WIJK_CODE_RE = f"^{WIJK_CODE_PATTERN}$"
GEMEENTE_CODE_RE = f"^{GEMEENTE_CODE_PATTERN}$"

#: Column spellings by meaning: the classic CBS names, the newer lowercase/camelCase names and StatLine names.
AREA_ALIASES: dict[str, tuple[str, ...]] = {
    "buurtcode": ("BU_CODE", "buurtcode", "bu_code", "buurt_code", "codering_buurt"),
    "buurtnaam": ("BU_NAAM", "buurtnaam", "bu_naam", "buurt_naam", "BU_NAAM_2015"),
    "wijkcode": ("WK_CODE", "wijkcode", "wk_code", "wijk_code"),
    "wijknaam": ("WK_NAAM", "wijknaam", "wk_naam", "wijk_naam"),
    "gemeentecode": ("GM_CODE", "gemeentecode", "gm_code", "gemeente_code"),
    "gemeentenaam": ("GM_NAAM", "gemeentenaam", "gm_naam", "gemeente_naam"),
    "water": ("WATER", "water", "ind_water"),
    "inwoners": ("AANT_INW", "aantal_inwoners", "aantalInwoners", "inwoners", "bevolking", "AantalInwoners_5"),
    "mannen": ("AANT_MAN", "mannen", "aantal_mannen", "Mannen_6"),
    "vrouwen": ("AANT_VROUW", "vrouwen", "aantal_vrouwen", "Vrouwen_7"),
    "p_00_14": ("P_00_14_JR", "0_15", "p_00_14", "percentage_personen_0_tot_15_jaar", "k_0Tot15Jaar_8", "aantal_personen_0_tot_15"),
    "p_15_24": ("P_15_24_JR", "15_25", "p_15_24", "percentage_personen_15_tot_25_jaar", "k_15Tot25Jaar_9", "aantal_personen_15_tot_25"),
    "p_25_44": ("P_25_44_JR", "25_45", "p_25_44", "percentage_personen_25_tot_45_jaar", "k_25Tot45Jaar_10", "aantal_personen_25_tot_45"),
    "p_45_64": ("P_45_64_JR", "45_65", "p_45_64", "percentage_personen_45_tot_65_jaar", "k_45Tot65Jaar_11", "aantal_personen_45_tot_65"),
    "p_65_eo": ("P_65_EO_JR", "65plus", "65_plus", "p_65_eo", "percentage_personen_65_jaar_en_ouder", "k_65JaarOfOuder_12", "aantal_personen_65_jaar_en_ouder",
                "inwoners_65plus", "inwoners_65_plus", "aantal_65plus", "personen_65_jaar_en_ouder"),
    "huishoudens": ("AANTAL_HH", "huishoudens", "aantal_huishoudens", "HuishoudensTotaal_28"),
    "p_eenpersoons_hh": ("P_EENP_HH", "percentage_eenpersoonshuishoudens", "p_eenpersoons_hh", "Eenpersoonshuishoudens_29", "eenpersoonshuishoudens"),
    "p_laag_inkomen": ("P_LAAGINKP", "P_LAAGINKH", "percentage_huishoudens_met_laag_inkomen", "p_laag_inkomen", "HuishoudensMetEenLaagInkomen_72"),
    "opp_land_ha": ("OPP_LAND", "oppervlakte_land_in_ha", "opp_land", "oppervlakte_land", "OppervlakteLand_114"),
}

AGE_COLUMNS: tuple[str, ...] = ("p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo")
COUNT_COLUMNS: tuple[str, ...] = ("inwoners", "mannen", "vrouwen", "huishoudens", "opp_land_ha")
#: Percentages and the count they are a share of (for weighted means when aggregating).
SHARE_BASES: dict[str, str] = {
    "p_00_14": "inwoners", "p_15_24": "inwoners", "p_25_44": "inwoners", "p_45_64": "inwoners",
    "p_65_eo": "inwoners", "p_eenpersoons_hh": "huishoudens", "p_laag_inkomen": "huishoudens",
}


#: The largest a gemeente can be: 1.5 times the largest Dutch gemeente in the CBS wijken 2024
#: (cbs_wijken_2024_nl.geojson, land and water: Súdwest-Fryslân 908 km², Het Hogeland 904 km², widest
#: Het Hogeland 49 km across). Beyond this an area or the whole file is in the wrong coordinate system, and
#: the 100 m resident grid over it would take gigabytes (:mod:`analysis.compute.placement`).
MAX_GEMEENTE_KM2 = 1_400.0
MAX_GEMEENTE_SPAN_M = 75_000.0
_CRS_FIX = ("controleer het coördinatenstelsel: staan de coördinaten van deze rij in een ander stelsel dan het bestand "
            "opgeeft (RD-meters in een bestand dat WGS84 noemt, of andersom)? Zet ze om in QGIS (Vector, Laag "
            "reprojecteren) of laat het gebied weg")


def implausible_extent(geoms: np.ndarray) -> tuple[np.ndarray, str | None]:
    """The areas that cannot lie in one Dutch gemeente, and what is wrong with the whole set.

    An area is implausible when it alone is larger than :data:`MAX_GEMEENTE_KM2` or wider than
    :data:`MAX_GEMEENTE_SPAN_M`, or when its centre lies further than that span from the median
    centre of all areas (one polygon in another coordinate system). The text is set when the set as a
    whole is too large or too wide.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Areas in EPSG:28992 (missing geometries are ignored).

    Returns
    -------
    (numpy.ndarray of bool, str or None)
        Per area whether it is implausible; a Dutch description of the whole set's problem, or None.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    bounds = shapely.bounds(geoms)  # NaN where missing
    width = np.fmax(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    area_km2 = shapely.area(geoms) / 1e6
    cx, cy = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    with np.errstate(invalid="ignore"):
        far = np.hypot(cx - np.nanmedian(cx[present]), cy - np.nanmedian(cy[present])) > MAX_GEMEENTE_SPAN_M             if present.any() else np.zeros(len(geoms), bool)
        alone = (area_km2 > MAX_GEMEENTE_KM2) | (width > MAX_GEMEENTE_SPAN_M) | ~np.isfinite(width)
    bad = present & (far | alone)
    whole = None
    if present.any() and not bad.any():
        total = shapely.total_bounds(geoms[present])
        span = max(total[2] - total[0], total[3] - total[1])
        km2 = float(np.nansum(area_km2[present]))
        if span > MAX_GEMEENTE_SPAN_M or km2 > MAX_GEMEENTE_KM2:
            whole = (f"de gebieden beslaan samen {format_number(km2, 0)} km² en {format_number(span / 1000, 0)} km van "
                     f"rand tot rand; een gemeente is hooguit {format_number(MAX_GEMEENTE_KM2, 0)} km² en "
                     f"{format_number(MAX_GEMEENTE_SPAN_M / 1000, 0)} km breed")
    return bad, whole


def check_extent(frame: gpd.GeoDataFrame, file: str, kind: str = "geo") -> Findings:
    """Errors naming every area (row) that cannot be part of one gemeente (:func:`implausible_extent`)."""
    found = Findings()
    geoms = frame.geometry.to_numpy()
    bad, whole = implausible_extent(geoms)
    if bad.any():
        centres = shapely.get_coordinates(shapely.centroid(geoms))
        middle = np.nanmedian(centres[~bad], axis=0) if (~bad).any() else np.nanmedian(centres, axis=0)
        away_km = np.hypot(*(centres - middle).T) / 1000
        area = shapely.area(geoms) / 1e6

        def problem(label: object) -> str:
            at = frame.index.get_loc(label)
            return (f"dit gebied ({format_number(area[at], 0)} km², {format_number(away_km[at], 0)} km van het midden "
                    f"van de andere) kan niet in één Nederlandse gemeente liggen (hooguit "
                    f"{format_number(MAX_GEMEENTE_KM2, 0)} km² en {format_number(MAX_GEMEENTE_SPAN_M / 1000, 0)} km breed)")

        report_rows(found, "fout", file, frame.index[bad], None, problem, _CRS_FIX, kind)
    elif whole is not None:
        found.error(file, whole, "laad de gebieden van één gemeente; " + _CRS_FIX)
    return found


#: A StatLine column name: a name and the column's number in that table (``AantalInwoners_5``, ``k_65JaarOfOuder_12``).
_STATLINE_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9_]*[A-Za-z])_\d+$")


def _statline_base(name: object) -> str | None:
    match = _STATLINE_NAME.match(str(name).strip())
    return normalise_name(match.group(1)) if match else None


def match_area_columns(frame: pd.DataFrame) -> dict[str, str]:
    """Standard area column -> the frame's column, matched by meaning (:data:`AREA_ALIASES`).

    StatLine numbers its columns per table (``HuishoudensTotaal_28`` in one year, ``_29`` in the next), so a
    StatLine name also matches the same name with another number.
    """
    cols = match_columns(frame, AREA_ALIASES)
    by_base = {base: c for c in frame.columns if (base := _statline_base(c)) is not None}
    for std, aliases in AREA_ALIASES.items():
        if std in cols:
            continue
        hit = next((by_base[b] for a in aliases if (b := _statline_base(a)) is not None and b in by_base), None)
        if hit is not None and hit not in cols.values():
            cols[std] = hit
    return cols


def _clean_code(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.upper()


def _ages_are_counts(out: pd.DataFrame, given: list[str]) -> bool:
    """Counts of persons or percentages? With all five age groups: whichever they add up to more closely, the
    population (counts) or 100 (percentages); with some of them: counts when any value is above 100."""
    ages = out[given]
    if not ages.notna().any().any():
        return False
    if len(given) < len(AGE_COLUMNS):
        return bool((ages > 100).any().any())
    sums = ages.sum(axis=1, min_count=1)
    known = sums.notna() & out["inwoners"].notna()
    if not known.any():
        return False
    return bool((sums - out["inwoners"]).abs()[known].median() < (sums - 100.0).abs()[known].median())


def _impossible_values(out: pd.DataFrame, frame: pd.DataFrame, cols: dict[str, str], file: str,
                       findings: Findings) -> pd.DataFrame:
    """Negative counts and percentages outside 0-100 become missing, each with a warning naming row,
    column and value: such a figure is never published as a number."""
    for std in (*COUNT_COLUMNS, *SHARE_BASES):
        if std not in cols:
            continue
        wrong = (out[std] < 0) if std in COUNT_COLUMNS else ((out[std] < 0) | (out[std] > 100.0 + 1e-9))
        if wrong.any():
            _report_impossible(frame[cols[std]], wrong, std in COUNT_COLUMNS, file, findings, row_kind(frame))
            out[std] = out[std].mask(wrong)
    return out


def _report_impossible(shown: pd.Series, wrong: pd.Series, count: bool, file: str, findings: Findings,
                       kind: str) -> None:
    what = "een aantal kan niet negatief zijn" if count else "een percentage ligt tussen 0 en 100"
    report_rows(findings, "waarschuwing", file, wrong[wrong].index, str(shown.name),
                lambda i: f"'{shown.loc[i]}': {what}; gelezen als ontbrekend",
                "corrigeer de waarde of laat de cel leeg (CBS: geheim of onbekend)", kind)


def parse_figures(frame: pd.DataFrame, cols: dict[str, str], file: str, findings: Findings) -> pd.DataFrame:
    """The kerncijfers of every row, by meaning, in the model's units.

    CBS missing codes become NaN; age and single-person household counts are turned into
    percentages when the file gives counts (StatLine's ``k_65JaarOfOuder`` are persons, the
    wijk- en buurtkaart's ``P_65_EO_JR`` percentages); negative counts, percentages outside 0-100,
    text and ``NaN``/``inf`` written as text are missing, each with a warning naming the row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows (text or numbers).
    cols : dict
        Standard name -> column of ``frame`` (see :data:`AREA_ALIASES`).
    file : str
        Name for messages.
    findings : Findings
        Receives warnings and infos.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS` and the percentages of :data:`SHARE_BASES`, aligned with ``frame``.
    """
    out = pd.DataFrame(index=frame.index)
    kind = row_kind(frame)
    for std in (*COUNT_COLUMNS, *SHARE_BASES):
        if std in cols:
            out[std] = to_number(frame[cols[std]], findings, file, cols[std], kind)
        else:
            out[std] = np.nan
    out = _impossible_values(out, frame, {k: v for k, v in cols.items() if k in COUNT_COLUMNS}, file, findings)
    given = [c for c in AGE_COLUMNS if c in cols]
    if given and out["inwoners"].notna().any() and _ages_are_counts(out, given):
        out[given] = out[given].div(out["inwoners"].where(out["inwoners"] > 0), axis=0) * 100
        findings.info(file, "de leeftijdskolommen zijn aantallen personen; omgerekend naar percentages")
    single = out["p_eenpersoons_hh"]
    if single.notna().any() and (single > 100).any():
        out["p_eenpersoons_hh"] = single / out["huishoudens"].where(out["huishoudens"] > 0) * 100
        findings.info(file, "de kolom eenpersoonshuishoudens bevat aantallen; omgerekend naar percentage van de huishoudens")
    out = _impossible_values(out, frame, {k: v for k, v in cols.items() if k in SHARE_BASES}, file, findings)
    secret = out[list(COUNT_COLUMNS[:1])].isna().any(axis=1)
    if secret.any():
        findings.info(file, f"{int(secret.sum())} gebieden hebben geen inwonertal (CBS: geheim of onbekend); "
                            "zij tellen niet mee in cijfers per inwoner")
    return out


def _repair_geometry(frame: gpd.GeoDataFrame, file: str, findings: Findings) -> gpd.GeoDataFrame:
    """Repair invalid polygons (with a warning per row) and reject rows without a polygon."""
    geom = frame.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        report_rows(findings, "fout", file, empty[empty].index, None, "dit gebied heeft geen geometrie",
                    "geef elk gebied een polygoon", row_kind(frame))
    kinds = geom.geom_type
    not_polygon = ~empty & ~kinds.isin(["Polygon", "MultiPolygon"])
    if not_polygon.any():
        report_rows(findings, "fout", file, not_polygon[not_polygon].index, None,
                    lambda i: f"de geometrie is een {kinds.loc[i]}, geen vlak",
                    "gebruik de vlakken (polygonen) van de CBS wijk- en buurtkaart", row_kind(frame))
    xy, owner_row = shapely.get_coordinates(geom.to_numpy(), return_index=True)
    infinite = pd.Series(np.isin(np.arange(len(geom)), owner_row[~np.isfinite(xy).all(axis=1)]), index=geom.index)
    if infinite.any():  # degrees read as metres or metres as degrees: the transformation gives inf
        report_rows(findings, "fout", file, infinite[infinite].index, None,
                    "de coördinaten van dit gebied passen niet bij het coördinatenstelsel dat het bestand opgeeft "
                    "(omgezet naar RD worden ze oneindig)", _CRS_FIX, row_kind(frame))
    invalid = ~empty & ~not_polygon & ~infinite & ~geom.is_valid
    if invalid.any():
        reasons = shapely.is_valid_reason(geom[invalid].to_numpy())
        reason_by_row = dict(zip(geom[invalid].index, reasons))
        report_rows(findings, "waarschuwing", file, invalid[invalid].index, None,
                    lambda i: f"de geometrie is ongeldig ({reason_by_row[i]}) en is hersteld",
                    "controleer de grens in een GIS-programma (bijvoorbeeld QGIS: Geometrie repareren)",
                    row_kind(frame))
        repaired = shapely.make_valid(geom[invalid].to_numpy())
        # make_valid may return collections with stray lines: keep only the areal parts.
        parts, owner = shapely.get_parts(repaired, return_index=True)
        areal = np.isin(shapely.get_type_id(parts), (3, 6))  # Polygon, MultiPolygon
        fixed = np.array([shapely.union_all(parts[areal & (owner == i)]) for i in range(len(repaired))],
                         dtype=object)
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = fixed
        lost = pd.Series(shapely.is_empty(fixed), index=geom[invalid].index)
        if lost.any():
            report_rows(findings, "fout", file, lost[lost].index, None,
                        "de geometrie is ongeldig en houdt na herstel geen oppervlak over",
                        "teken de grens opnieuw als polygoon", row_kind(frame))
    return frame


def _consistent_codes(codes: pd.Series, given: pd.Series | None, derived: pd.Series, name: str,
                      column: str | None, file: str, findings: Findings, kind: str) -> None:
    """Report rows whose given parent code does not match the code derived from the area code."""
    if given is None:
        return
    given = _clean_code(given)
    clash = given.notna() & (given != derived)
    if clash.any():
        own = "buurtcode" if str(codes[clash].iloc[0]).startswith("BU") else "wijkcode"
        report_rows(findings, "fout", file, clash[clash].index, column,
                    lambda i: f"{name} '{given.loc[i]}' past niet bij {own} '{codes.loc[i]}' (verwacht '{derived.loc[i]}')",
                    f"een {own} bevat de cijfers van zijn {name}: corrigeer de {own} of de {name}", kind)


def _shown_columns(raw: gpd.GeoDataFrame) -> str:
    return ", ".join(str(c) for c in raw.columns if c != raw.geometry.name)[:300]


def _gemeente_of(codes: pd.Series) -> pd.Series:
    """The GM code derived from buurt or wijk codes (their digits 3-6)."""
    return "GM" + codes.str.slice(2, 6)


def _only_gemeente(raw: gpd.GeoDataFrame, code_col: str, pattern: str, gemeente_code: str | None, file: str,
                   findings: Findings, what: str) -> gpd.GeoDataFrame:
    """The rows of one gemeente: the one asked for (an info says how many others were left out), or the
    only one in the file (an error when there are several and none was asked for)."""
    codes = _clean_code(raw[code_col])
    derived = _gemeente_of(codes)
    if gemeente_code:
        gemeente_code = gemeente_code.strip().upper()
        keep = (derived == gemeente_code).fillna(False)
        if not keep.any():
            found = ", ".join(sorted(derived.dropna().unique())[:10])
            raise DatasetError(Finding("fout", file, f"er staan geen {what} van gemeente {gemeente_code} in dit bestand (wel: {found})",
                                       f"controleer 'gemeente' in dataset.toml of kies het {what}bestand van die gemeente"))
        dropped = int((~keep).sum())
        if dropped:
            findings.info(file, f"{dropped} {what} van andere gemeenten zijn weggelaten (alleen {gemeente_code})")
        return raw[keep.to_numpy()]
    good = codes.str.match(pattern).fillna(False)
    gemeenten = sorted(derived[good].dropna().unique())
    if len(gemeenten) > 1:
        raise DatasetError(Finding("fout", file, f"het bestand bevat {what} van {len(gemeenten)} gemeenten ({', '.join(gemeenten[:5])}{' ...' if len(gemeenten) > 5 else ''})",
                                   f"zet in dataset.toml onder [dataset] bijvoorbeeld gemeente = \"{gemeenten[0]}\""))
    return raw


def _gemeente_filter(columns: list[str], gemeente_code: str, level: str) -> str | None:
    """An OGR SQL filter on the gemeente (or the area code's gemeente digits); None when no column fits."""
    if not re.fullmatch(GEMEENTE_CODE_PATTERN, gemeente_code):
        return None
    schema = pd.DataFrame(columns=columns)
    gemeente_col = find_column(schema, AREA_ALIASES["gemeentecode"])
    own_col = find_column(schema, AREA_ALIASES["buurtcode" if level == "buurt" else "wijkcode"])
    if gemeente_col is not None:
        column, prefix = gemeente_col, gemeente_code
    elif own_col is not None:
        column, prefix = own_col, ("BU" if level == "buurt" else "WK") + gemeente_code[2:]
    else:
        return None
    quoted = column.replace('"', '""')
    return f"\"{quoted}\" LIKE '{prefix}%'"  # OGR SQL: LIKE ignores case, so gm0193 matches as well


def _read_areas(path: Path, findings: Findings, file: str, gemeente_code: str | None, level: str) -> gpd.GeoDataFrame:
    """Read an areas file; with a gemeente code only that gemeente's rows are read from the file.

    A national file (the CBS wijk- en buurtkaart of all of the Netherlands) is filtered while it is
    read (an attribute filter on the gemeente code), never read whole and filtered afterwards; an
    ``info`` says how many rows were kept. Files that cannot be filtered that way are read whole.
    """
    what = "buurten" if level == "buurt" else "wijken"
    code = gemeente_code.strip().upper() if gemeente_code else None
    columns, total = geo_fields(path, file) if code else ([], -1)
    where = _gemeente_filter(columns, code, level) if code and total > 0 else None
    if where is None:
        return read_geo(path, findings, file)
    raw = read_geo(path, findings, file, where=where)
    if raw.empty:  # the codes are written differently: read everything, and say what is there
        return read_geo(path, findings, file)
    if total > len(raw):
        findings.info(file, f"alleen de {len(raw)} {what} van gemeente {code} zijn gelezen; "
                            f"de andere {format_number(total - len(raw), 0)} rijen van het bestand zijn overgeslagen")
    return raw


def _without_water(raw: gpd.GeoDataFrame, cols: dict[str, str], file: str, findings: Findings,
                   what: str) -> gpd.GeoDataFrame:
    """The rows that are not water only (CBS ``WATER = JA``), with an info on how many were left out."""
    if "water" not in cols:
        return raw
    water = raw[cols["water"]].astype("string").str.strip().str.upper().isin(["JA", "J", "1", "TRUE"])
    if water.any():
        count = int(water.sum())
        one = what.removesuffix("en")
        findings.info(file, f"1 {one} die alleen uit water bestaat is weggelaten" if count == 1 else
                      f"{count} {what} die alleen uit water bestaan zijn weggelaten")
    return raw[~water.to_numpy()]


def _check_codes(raw: gpd.GeoDataFrame, code_col: str, pattern: str, example: tuple[str, str], findings: Findings,
                 file: str, kind: str) -> pd.Series:
    """The cleaned codes; malformed and duplicate codes are errors naming the row."""
    codes = _clean_code(raw[code_col])
    bad = codes.isna() | ~codes.str.match(pattern).fillna(False)
    if bad.any():
        report_rows(findings, "fout", file, bad[bad].index, code_col,
                    lambda i: f"'{raw[code_col].loc[i]}' is geen geldige {example[0]}", example[1], kind)
    dup = codes.duplicated(keep=False) & codes.notna()
    if dup.any():
        report_rows(findings, "fout", file, dup[dup].index, code_col,
                    lambda i: f"{example[0]} '{codes.loc[i]}' komt vaker voor",
                    f"elke {'buurt' if example[0] == 'buurtcode' else 'wijk'} mag één keer voorkomen: voeg de delen samen "
                    "of verwijder de dubbele rij", kind)
    return codes


def _text(raw: pd.DataFrame, cols: dict[str, str], key: str, fallback: pd.Series) -> pd.Series:
    """A text column by meaning (stripped), the fallback where absent or empty."""
    if key not in cols:
        return fallback.astype(str)
    return raw[cols[key]].astype("string").str.strip().fillna(fallback).astype(str)


def _standard_frame(raw: gpd.GeoDataFrame, cols: dict[str, str], codes: pd.Series, level: str,
                    file: str, findings: Findings) -> gpd.GeoDataFrame:
    """The standard area frame (:data:`AREA_COLUMNS` + geometry) of checked rows, sorted by code."""
    numbers = parse_figures(raw, cols, file, findings)
    gemeente = _gemeente_of(codes)
    kind = row_kind(raw)

    def name(key: str, fallback: pd.Series) -> pd.Series:
        return shorten_names(_text(raw, cols, key, fallback), findings, file, cols.get(key), kind)

    wijk = "WK" + codes.str.slice(2, 8) if level == "buurt" else codes
    out = pd.DataFrame({
        "gebiedscode": codes.astype(str),
        "gebiedsnaam": name("buurtnaam" if level == "buurt" else "wijknaam", codes),
        "niveau": level, "wijkcode": wijk.astype(str), "gemeentecode": gemeente.astype(str),
        "gemeentenaam": name("gemeentenaam", gemeente),
        **{c: numbers[c] for c in numbers.columns},
    }, index=raw.index)
    frame = gpd.GeoDataFrame(out[list(AREA_COLUMNS)], geometry=raw.geometry.values, crs=CRS_RD)
    if level == "buurt":
        frame["wijknaam"] = (shorten_names(raw[cols["wijknaam"]].astype("string").str.strip().astype(str), findings,
                                           file, cols["wijknaam"], kind).values if "wijknaam" in cols else None)
    return frame.sort_values("gebiedscode").reset_index(drop=True)


def read_buurten(path: Path | str, findings: Findings, gemeente_code: str | None = None,
                 file: str | None = None) -> gpd.GeoDataFrame:
    """Read a CBS buurten file into the standard buurt frame.

    Columns are matched by meaning (classic ``BU_CODE``/``AANT_INW`` and newer
    ``buurtcode``/``aantal_inwoners`` spellings). Wijk and gemeente codes are derived
    from the buurt code and checked against the file's own columns. CBS missing codes
    become NaN. Water-only buurten (``WATER = JA``) are left out.

    Parameters
    ----------
    path : path-like
        GeoJSON, GeoPackage or zipped Shapefile of buurten.
    findings : Findings
        Receives warnings and infos.
    gemeente_code : str, optional
        Keep only this gemeente (``GM`` + 4 digits) from a larger file.
    file : str, optional
        Name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`analysis.model.AREA_COLUMNS` with ``niveau = 'buurt'``, EPSG:28992.

    Raises
    ------
    DatasetError
        When the file cannot be used (no buurt codes, duplicate codes, several gemeenten ...).
    """
    path = Path(path)
    file = file or path.name
    raw = _read_areas(path, findings, file, gemeente_code, "buurt")
    kind = row_kind(raw)
    cols = match_area_columns(raw)
    if "buurtcode" not in cols:
        if "wijkcode" in cols and "buurtnaam" not in cols:
            problem = "dit lijkt een wijkenbestand: er is geen kolom met buurtcodes (zoals BU_CODE of buurtcode)"
        else:
            problem = "er is geen kolom met buurtcodes (zoals BU_CODE of buurtcode)"
        raise DatasetError(Finding("fout", file, f"{problem}; gevonden kolommen: {_shown_columns(raw)}",
                                   "gebruik het buurtenbestand van de CBS wijk- en buurtkaart, met een kolom BU_CODE of buurtcode"))
    raw = _only_gemeente(raw, cols["buurtcode"], BUURT_CODE_RE, gemeente_code, file, findings, "buurten")
    raw = _without_water(raw, cols, file, findings, "buurten")
    local = Findings()
    codes = _check_codes(raw, cols["buurtcode"], BUURT_CODE_RE,
                         ("buurtcode", "een buurtcode is BU gevolgd door 8 tekens: de 6 van de wijkcode en 2 cijfers of hoofdletters, zoals BU03440101 of BU0363AF09"), local, file, kind)
    for parent, derived in (("wijkcode", "WK" + codes.str.slice(2, 8)), ("gemeentecode", _gemeente_of(codes))):
        _consistent_codes(codes, raw[cols[parent]] if parent in cols else None, derived, parent, cols.get(parent),
                          file, local, kind)
    raw = _repair_geometry(raw, file, local)
    if not local.has_errors:
        local.extend(check_extent(raw, file, kind))
    findings.extend(local)
    if local.has_errors:
        raise DatasetError(local.errors)
    return _standard_frame(raw, cols, codes, "buurt", file, findings)


def read_wijken(path: Path | str, findings: Findings, gemeente_code: str | None = None,
                file: str | None = None) -> gpd.GeoDataFrame:
    """Read a CBS wijken file into the standard wijk frame (classic and newer spellings).

    Parameters
    ----------
    path : path-like
        GeoJSON, GeoPackage or zipped Shapefile of wijken.
    findings : Findings
        Receives warnings and infos.
    gemeente_code : str, optional
        Keep only this gemeente from a larger file (such as the national wijkenkaart).
    file : str, optional
        Name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`analysis.model.AREA_COLUMNS` with ``niveau = 'wijk'``, EPSG:28992.

    Raises
    ------
    DatasetError
        When the file has no wijk codes, malformed or duplicate codes, or no wijken of the gemeente.
    """
    path = Path(path)
    file = file or path.name
    raw = _read_areas(path, findings, file, gemeente_code, "wijk")
    kind = row_kind(raw)
    cols = match_area_columns(raw)
    if "wijkcode" not in cols:
        raise DatasetError(Finding("fout", file, "er is geen kolom met wijkcodes (zoals WK_CODE of wijkcode)",
                                   "gebruik het wijkenbestand van de CBS wijk- en buurtkaart, met een kolom WK_CODE of wijkcode"))
    if gemeente_code:
        raw = _only_gemeente(raw, cols["wijkcode"], WIJK_CODE_RE, gemeente_code, file, findings, "wijken")
    raw = _without_water(raw, cols, file, findings, "wijken")
    local = Findings()
    codes = _check_codes(raw, cols["wijkcode"], WIJK_CODE_RE,
                         ("wijkcode", "een wijkcode is WK gevolgd door de 4 cijfers van de gemeente en 2 cijfers of hoofdletters, zoals WK034401 of WK0363AF"), local, file, kind)
    _consistent_codes(codes, raw[cols["gemeentecode"]] if "gemeentecode" in cols else None, _gemeente_of(codes),
                      "gemeentecode", cols.get("gemeentecode"), file, local, kind)
    raw = _repair_geometry(raw, file, local)
    findings.extend(local)
    if local.has_errors:
        raise DatasetError(local.errors)
    return _standard_frame(raw, cols, codes, "wijk", file, findings)


def _dissolve(polygons: np.ndarray) -> shapely.Geometry:
    """Union of polygons: the fast coverage union when they tile cleanly, else a full union.

    The coverage union does not always raise on overlapping input: it may return an invalid
    multipolygon of the overlapping parts, so its result is checked.
    """
    try:
        merged = shapely.coverage_union_all(polygons)
        if shapely.is_valid(merged):
            return merged
    except shapely.errors.GEOSException:
        pass
    return shapely.union_all(shapely.make_valid(polygons))


def aggregate(children: gpd.GeoDataFrame, key: str, level: str) -> gpd.GeoDataFrame:
    """Dissolve areas into their parents: counts summed, percentages weighted by their base.

    Parameters
    ----------
    children : geopandas.GeoDataFrame
        Standard area frame of the lower level.
    key : str
        Parent code column (``wijkcode`` or ``gemeentecode``).
    level : str
        The parent level name (``wijk`` or ``gemeente``).

    Returns
    -------
    geopandas.GeoDataFrame
        Standard area frame of the parent level.
    """
    data = pd.DataFrame(children.drop(columns=children.geometry.name))
    grouped = data.groupby(key, sort=True)
    out = pd.DataFrame(index=grouped.size().index)
    for col in COUNT_COLUMNS:
        out[col] = grouped[col].sum(min_count=1)
    for col, base in SHARE_BASES.items():
        known = data[col].notna() & data[base].notna()
        weighted = (data[col] * data[base]).where(known)
        out[col] = weighted.groupby(data[key]).sum(min_count=1) / data[base].where(known).groupby(data[key]).sum(min_count=1)
    first = grouped.first()
    out["gebiedscode"] = out.index.astype(str)
    if level == "gemeente":
        out["gebiedsnaam"] = first["gemeentenaam"]
    else:
        names = first["wijknaam"] if "wijknaam" in first else pd.Series(np.nan, index=out.index)
        out["gebiedsnaam"] = names.where(names.notna() & (names.astype(str) != "None"), out.index.to_series())
    out["niveau"] = level
    out["wijkcode"] = out.index.astype(str) if level == "wijk" else None
    out["gemeentecode"] = out.index.astype(str) if key == "gemeentecode" else first["gemeentecode"]
    out["gemeentenaam"] = first["gemeentenaam"]
    geometry = children.geometry.groupby(children[key].values).apply(lambda g: _dissolve(g.to_numpy()))
    frame = gpd.GeoDataFrame(out[list(AREA_COLUMNS)].reset_index(drop=True),
                             geometry=geometry.reindex(out.index).values, crs=CRS_RD)
    return frame


def build_hierarchy(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame | None, findings: Findings,
                    file_wijken: str = "wijken") -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Buurten, wijken and the gemeente as one consistent hierarchy.

    When a wijken file is given, its own figures and names are kept (CBS wijk totals are
    authoritative) and every buurt's wijk must be in it; otherwise wijken are dissolved
    from the buurten. The gemeente is dissolved from the wijken.

    Returns
    -------
    tuple of geopandas.GeoDataFrame
        ``(buurten, wijken, gemeente)`` in the standard area columns.
    """
    derived = aggregate(buurten, "wijkcode", "wijk")
    if wijken is None:
        wijken = derived
    else:
        missing = sorted(set(buurten["wijkcode"]) - set(wijken["gebiedscode"]))
        if missing:
            raise DatasetError(Finding("fout", file_wijken, f"de wijken {', '.join(missing[:8])} van de buurten ontbreken in het wijkenbestand",
                                       "gebruik het wijkenbestand van hetzelfde jaar als het buurtenbestand, of laat 'wijken' weg zodat de wijken uit de buurten worden afgeleid"))
        extra = sorted(set(wijken["gebiedscode"]) - set(buurten["wijkcode"]))
        if extra:
            findings.warning(file_wijken, f"de wijken {', '.join(extra[:8])} hebben geen buurten en zijn weggelaten",
                             "gebruik buurten- en wijkenbestand van hetzelfde jaar")
            wijken = wijken[~wijken["gebiedscode"].isin(extra)].reset_index(drop=True)
        wijken = wijken.copy()
        filled = derived.set_index("gebiedscode").reindex(wijken["gebiedscode"])
        for col in (*COUNT_COLUMNS, *SHARE_BASES):
            wijken[col] = wijken[col].fillna(pd.Series(filled[col].to_numpy(), index=wijken.index))
    names = wijken.set_index("gebiedscode")["gebiedsnaam"]
    buurten = buurten.copy()
    buurten["wijknaam"] = buurten["wijkcode"].map(names)
    gemeente = aggregate(wijken.assign(wijknaam=wijken["gebiedsnaam"]), "gemeentecode", "gemeente")
    gemeente["gebiedsnaam"] = buurten["gemeentenaam"].iloc[0] if len(buurten) else gemeente["gebiedscode"]
    return buurten, wijken, gemeente


def load_areas(buurten_path: Path | str, findings: Findings, wijken_path: Path | str | None = None,
               gemeente_code: str | None = None, buurten_file: str | None = None,
               wijken_file: str | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read buurten (and optionally wijken) into the consistent area hierarchy.

    Returns
    -------
    tuple of geopandas.GeoDataFrame
        ``(buurten, wijken, gemeente)``, EPSG:28992, standard area columns; buurten
        also carry ``wijknaam``.
    """
    buurten = read_buurten(buurten_path, findings, gemeente_code, buurten_file)
    wijken = None
    if wijken_path is not None:
        wijken = read_wijken(wijken_path, findings, gemeente_code or buurten["gemeentecode"].iloc[0], wijken_file)
    return build_hierarchy(buurten, wijken, findings, wijken_file or (Path(wijken_path).name if wijken_path else "wijken"))
