"""CBS wijk- en buurtkaart files into the gemeente > wijk > buurt hierarchy (EPSG:28992)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import match_columns, read_geo, report_rows, row_kind, to_number
from analysis.model import AREA_COLUMNS, CRS_RD

BUURT_CODE_RE = r"^BU\d{8}$"
WIJK_CODE_RE = r"^WK\d{6}$"
GEMEENTE_CODE_RE = r"^GM\d{4}$"

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
    "p_65_eo": ("P_65_EO_JR", "65plus", "65_plus", "p_65_eo", "percentage_personen_65_jaar_en_ouder", "k_65JaarOfOuder_12", "aantal_personen_65_jaar_en_ouder"),
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


def _clean_code(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.upper()


def _numeric_kerncijfers(frame: pd.DataFrame, cols: dict[str, str], file: str,
                         findings: Findings) -> pd.DataFrame:
    """Parse the kerncijfers by meaning; CBS missing codes become NaN; age and single-person
    household counts are turned into percentages when the file gives counts."""
    out = pd.DataFrame(index=frame.index)
    kind = row_kind(frame)
    for std in (*COUNT_COLUMNS, *SHARE_BASES):
        if std in cols:
            out[std] = to_number(frame[cols[std]], findings, file, cols[std], kind)
        else:
            out[std] = np.nan
    ages = out[list(AGE_COLUMNS)]
    if ages.notna().any().any() and out["inwoners"].notna().any():
        # Counts or percentages? Whichever the age groups add up to more closely: the population (counts) or 100 (percentages).
        sums = ages.sum(axis=1, min_count=1)
        known = sums.notna() & out["inwoners"].notna()
        off_counts = (sums - out["inwoners"]).abs()[known].median()
        off_percent = (sums - 100.0).abs()[known].median()
        if known.any() and off_counts < off_percent:
            out[list(AGE_COLUMNS)] = ages.div(out["inwoners"], axis=0) * 100
            findings.info(file, "de leeftijdskolommen zijn aantallen personen; omgerekend naar percentages")
    single = out["p_eenpersoons_hh"]
    if single.notna().any() and (single > 100).any():
        out["p_eenpersoons_hh"] = single / out["huishoudens"] * 100
        findings.info(file, "de kolom eenpersoonshuishoudens bevat aantallen; omgerekend naar percentage van de huishoudens")
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
    invalid = ~empty & ~not_polygon & ~geom.is_valid
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


def _without_water(raw: gpd.GeoDataFrame, cols: dict[str, str], file: str, findings: Findings,
                   what: str) -> gpd.GeoDataFrame:
    """The rows that are not water only (CBS ``WATER = JA``), with an info on how many were left out."""
    if "water" not in cols:
        return raw
    water = raw[cols["water"]].astype("string").str.strip().str.upper().isin(["JA", "J", "1", "TRUE"])
    if water.any():
        findings.info(file, f"{int(water.sum())} {what} die alleen uit water bestaan zijn weggelaten")
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
    numbers = _numeric_kerncijfers(raw, cols, file, findings)
    gemeente = _gemeente_of(codes)
    wijk = "WK" + codes.str.slice(2, 8) if level == "buurt" else codes
    out = pd.DataFrame({
        "gebiedscode": codes.astype(str),
        "gebiedsnaam": _text(raw, cols, "buurtnaam" if level == "buurt" else "wijknaam", codes),
        "niveau": level, "wijkcode": wijk.astype(str), "gemeentecode": gemeente.astype(str),
        "gemeentenaam": _text(raw, cols, "gemeentenaam", gemeente),
        **{c: numbers[c] for c in numbers.columns},
    }, index=raw.index)
    frame = gpd.GeoDataFrame(out[list(AREA_COLUMNS)], geometry=raw.geometry.values, crs=CRS_RD)
    if level == "buurt":
        frame["wijknaam"] = (raw[cols["wijknaam"]].astype("string").str.strip().astype(str).values
                             if "wijknaam" in cols else None)
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
    raw = read_geo(path, findings, file)
    kind = row_kind(raw)
    cols = match_columns(raw, AREA_ALIASES)
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
                         ("buurtcode", "een buurtcode is BU gevolgd door 8 cijfers, zoals BU03440101"), local, file, kind)
    for parent, derived in (("wijkcode", "WK" + codes.str.slice(2, 8)), ("gemeentecode", _gemeente_of(codes))):
        _consistent_codes(codes, raw[cols[parent]] if parent in cols else None, derived, parent, cols.get(parent),
                          file, local, kind)
    raw = _repair_geometry(raw, file, local)
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
    raw = read_geo(path, findings, file)
    kind = row_kind(raw)
    cols = match_columns(raw, AREA_ALIASES)
    if "wijkcode" not in cols:
        raise DatasetError(Finding("fout", file, "er is geen kolom met wijkcodes (zoals WK_CODE of wijkcode)",
                                   "gebruik het wijkenbestand van de CBS wijk- en buurtkaart, met een kolom WK_CODE of wijkcode"))
    if gemeente_code:
        raw = _only_gemeente(raw, cols["wijkcode"], WIJK_CODE_RE, gemeente_code, file, Findings(), "wijken")
    raw = _without_water(raw, cols, file, findings, "wijken")
    local = Findings()
    codes = _check_codes(raw, cols["wijkcode"], WIJK_CODE_RE,
                         ("wijkcode", "een wijkcode is WK gevolgd door 6 cijfers, zoals WK034401"), local, file, kind)
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
