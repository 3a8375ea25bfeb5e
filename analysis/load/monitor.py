"""Survey results already aggregated per area (a municipal monitor): [[enquete_gebied]] -> tidy rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.compute.suppression import DEFAULT_THRESHOLD
from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.digital import area_levels, check_area_codes, known_area_codes
from analysis.load.facilities import clean_text, parse_year
from analysis.load.files import (
    GEO_SUFFIXES,
    find_column,
    header_row,
    read_geo,
    read_table,
    report_rows,
    row_kind,
    to_number,
)
from analysis.model import AREA_SURVEY_COLUMNS, areas_in_year
from analysis.registry import REGISTRY, SURVEY_KEYS, IndicatorKind

CODE_ALIASES: tuple[str, ...] = ("gebiedscode", "BU_CODE", "buurtcode", "WK_CODE", "wijkcode", "code")
#: Cell texts monitors use for suppressed or unknown values (read as missing without a warning).
INDICATOR_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: What ``bron`` says of a wijk or gemeente figure derived from the monitor's buurt figures.
DERIVED_MARK = "afgeleid uit buurtcijfers"
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
                     findings: Findings, default_year: int, file: str | None = None,
                     figures: pd.DataFrame | None = None) -> pd.DataFrame:
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
    figures : pandas.DataFrame, optional
        The dataset's yearly area figures (:data:`analysis.model.AREA_FIGURE_COLUMNS`), so that a
        roll-up weighs by the population of the monitor's year.

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.AREA_SURVEY_COLUMNS`, one row per area, year and indicator.
        Monitor missing values (empty, CBS codes such as -99999999, ``.`` or ``x``) give NaN
        ``waarde``; ``n`` is NaN without ``nkolom``; ``bron`` is the file name. When the monitor
        gives buurt figures only, the wijk and gemeente rows derived from them follow
        (:func:`roll_up`).

    Raises
    ------
    DatasetError
        When the code column or a mapped column is missing.
    """
    path = Path(path)
    file = file or str(spec.get("bestand") or path.name)
    mapping = _mapping(spec, file)
    raw = _read_monitor(path, findings, file, spec.get("blad"))
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
    years = _years(raw, spec, findings, file, default_year)
    dup = keep & pd.DataFrame({"c": codes, "j": years}).where(keep).duplicated(keep="first")
    if dup.any():
        report_rows(findings, "waarschuwing", file, dup[dup].index, code_col,
                    lambda i: f"gebied {codes.loc[i]} komt vaker voor in jaar {years.loc[i]}; de eerste rij is gebruikt",
                    "zet per gebied en jaar één rij", kind)
        keep &= ~dup
    n = _respondents(raw, spec, findings, file)
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
    rows = pd.concat(parts, ignore_index=True)[list(AREA_SURVEY_COLUMNS)]
    if areas:
        rows = pd.concat([rows, roll_up(rows, areas[0], figures, default_year, findings, file)], ignore_index=True)
    return rows


def _years(raw: pd.DataFrame, spec: dict[str, Any], findings: Findings, file: str, default_year: int) -> pd.Series:
    """The year of every row: the manifest entry's ``jaar``, else the file's ``jaar`` column, else the default."""
    if isinstance(spec.get("jaar"), int):
        return pd.Series(int(spec["jaar"]), index=raw.index, dtype="int64")
    return parse_year(raw, findings, file, default_year, row_kind(raw))


def _respondents(raw: pd.DataFrame, spec: dict[str, Any], findings: Findings, file: str) -> pd.Series:
    """The number of respondents per row (``nkolom``), NaN without one."""
    if not spec.get("nkolom"):
        return pd.Series(np.nan, index=raw.index)
    n_col = _column(raw, spec["nkolom"], (), file, "", "vul bij nkolom de kolom met het aantal respondenten in, "
                    "of laat nkolom weg", key="nkolom")
    return _monitor_numbers(raw[n_col], findings, file, n_col, row_kind(raw))


def _read_monitor(path: Path, findings: Findings, file: str, sheet: str | None) -> pd.DataFrame:
    """The monitor's rows as text columns (a geo file's geometry is dropped)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        raw = pd.DataFrame(read_geo(path, findings, file)).drop(columns="geometry", errors="ignore")
        raw.attrs["row_kind"] = "geo"
        return raw
    return read_table(path, findings, file, sheet)


def _header_row(raw: pd.DataFrame) -> int | None:
    return header_row(raw)


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


# ---------------------------------------------------------------------------------------------
# Roll-up: wijk and gemeente figures from a monitor's buurt figures
# ---------------------------------------------------------------------------------------------

def _buurten_text(codes: pd.Index, singular: str, plural: str) -> str:
    """``buurt X heeft`` or ``buurten X, Y en nog 2 hebben``."""
    shown = [str(c) for c in codes[:3]]
    if len(codes) == 1:
        return f"buurt {shown[0]} {singular}"
    listed = ", ".join(shown[:-1]) + " en " + shown[-1] if len(codes) <= 3 else ", ".join(shown) + f" en nog {len(codes) - 3}"
    return f"buurten {listed} {plural}"


def _combine(parts: pd.DataFrame, min_n: int) -> tuple[float, float, str, str | None]:
    """One parent's figure from its buurten (``waarde``, ``n``, ``inwoners``): value, n, weighting, reason empty.

    Every buurt with inhabitants (or an unknown number) must have a value, else the parent stays empty: an
    average of the buurten that happen to have one would not be the parent's figure. Figures with their own
    n are combined by n (the pooled estimate); then every part needs at least ``min_n`` respondents, because
    the parent's figure and n with the other parts' would give away a hidden part by subtraction.
    """
    populated = parts[~(parts["inwoners"] <= 0)]
    if populated.empty:
        return np.nan, np.nan, "", "geen van de buurten heeft inwoners"
    missing = populated.index[populated["waarde"].isna()]
    if len(missing):
        return np.nan, np.nan, "", _buurten_text(missing, "heeft geen waarde", "hebben geen waarde")
    has_n = populated["n"].notna()
    if has_n.all():
        small = populated.index[populated["n"] < min_n]
        if len(small):
            return np.nan, np.nan, "", (_buurten_text(small, f"heeft minder dan {min_n} respondenten",
                                                      f"hebben minder dan {min_n} respondenten")
                                        + "; het afgeleide cijfer zou een verborgen buurtcijfer verraden")
        total = float(populated["n"].sum())
        return float((populated["waarde"] * populated["n"]).sum() / total), total, "aantal respondenten", None
    if has_n.any():
        return np.nan, np.nan, "", "niet elke buurt heeft een aantal respondenten"
    unknown = populated.index[populated["inwoners"].isna()]
    if len(unknown):
        return np.nan, np.nan, "", _buurten_text(unknown, "heeft geen bekend inwonertal", "hebben geen bekend inwonertal")
    weight = float(populated["inwoners"].sum())
    return float((populated["waarde"] * populated["inwoners"]).sum() / weight), np.nan, "inwoners", None


def _parents(parts: pd.DataFrame, level: str, min_n: int) -> pd.DataFrame:
    """The combined figure (or the reason it stays empty) of every wijk or the gemeente."""
    key = "wijkcode" if level == "wijk" else "gemeentecode"
    out = []
    for code, members in parts.groupby(key, sort=True):
        value, n, weighting, reason = _combine(members, min_n)
        out.append({"gebiedscode": str(code), "waarde": value, "n": n, "gewogen": weighting, "reden": reason})
    return pd.DataFrame(out)


def roll_up(rows: pd.DataFrame, buurten: gpd.GeoDataFrame, figures: pd.DataFrame | None, base_year: int,
            findings: Findings, file: str) -> pd.DataFrame:
    """Wijk and gemeente figures derived from a monitor's buurt figures, where the monitor gives none itself.

    Per indicator and year with only buurt rows: the inhabitant-weighted mean of the buurt figures (the
    population of that year, :func:`analysis.model.areas_in_year`), or the n-weighted mean when the
    monitor gives every buurt's n, only where every buurt with inhabitants has a value (and, with n, at
    least :data:`analysis.compute.suppression.DEFAULT_THRESHOLD` respondents); otherwise the parent gets
    an empty figure whose ``bron`` says why. Done while loading, so that every page, profile and export
    reads the same figures, and ``bron`` keeps saying they are derived (``afgeleid uit buurtcijfers``).

    Returns
    -------
    pandas.DataFrame
        :data:`analysis.model.AREA_SURVEY_COLUMNS` rows of niveau ``wijk`` and ``gemeente``; an info per
        indicator and year says how many wijken got a figure and why the others stay empty.
    """
    if rows.empty or buurten is None or len(buurten) == 0 or not {"wijkcode", "gemeentecode"} <= set(buurten.columns):
        return rows.iloc[0:0]
    figures = figures if figures is not None else pd.DataFrame(columns=["gebiedscode", "niveau", "jaar"])
    derived = []
    for (indicator, year), group in rows.groupby(["indicator", "jaar"], sort=True):
        if set(group["niveau"].dropna()) != {"buurt"}:
            continue  # the monitor gives wijk or gemeente figures itself
        areas = areas_in_year(buurten, figures, "buurt", int(year), base_year)
        parts = pd.DataFrame({"wijkcode": areas["wijkcode"].to_numpy(), "gemeentecode": areas["gemeentecode"].to_numpy(),
                              "inwoners": pd.to_numeric(areas["inwoners"], errors="coerce").to_numpy()},
                             index=pd.Index(areas["gebiedscode"].astype(str)))
        parts = parts.join(group.drop_duplicates("gebiedscode").set_index("gebiedscode")[["waarde", "n"]])
        for level in ("wijk", "gemeente"):
            parents = _parents(parts, level, DEFAULT_THRESHOLD)
            weighted = parents["gewogen"].replace({"inwoners": f"inwoners {areas.attrs.get('cijferjaar', base_year)}"})
            bron = (f"{file}, {DERIVED_MARK} (gewogen naar " + weighted + ")").where(
                parents["reden"].isna(), f"{file}, niet afgeleid: " + parents["reden"].fillna(""))
            derived.append(pd.DataFrame({"gebiedscode": parents["gebiedscode"], "niveau": level, "jaar": int(year),
                                         "indicator": indicator, "waarde": parents["waarde"], "n": parents["n"],
                                         "bron": bron}))
            if level == "wijk":
                _report_roll_up(parents, str(indicator), int(year), findings, file)
    if not derived:
        return rows.iloc[0:0]
    return pd.concat(derived, ignore_index=True)[list(AREA_SURVEY_COLUMNS)]


def _report_roll_up(parents: pd.DataFrame, indicator: str, year: int, findings: Findings, file: str) -> None:
    """One info: how many wijken got a figure derived from the buurten, and why the others stay empty."""
    empty = parents[parents["reden"].notna()]
    text = (f"{indicator} {year}: de wijkcijfers en het gemeentecijfer zijn {DERIVED_MARK} (de monitor geeft alleen "
            f"buurten); {len(parents) - len(empty)} van de {len(parents)} wijken hebben een cijfer")
    if len(empty):
        reasons = "; ".join(f"{code}: {reason}" for code, reason in zip(empty["gebiedscode"][:5], empty["reden"][:5]))
        text += f", {len(empty)} {'blijft' if len(empty) == 1 else 'blijven'} leeg ({reasons}{'; ...' if len(empty) > 5 else ''})"
    findings.info(file, text, "een wijkcijfer ontstaat alleen als elke buurt met inwoners een waarde heeft" if len(empty) else "")
