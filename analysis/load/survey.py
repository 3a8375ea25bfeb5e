"""The respondents file (``enquete.csv``, or any table of answers) read into the clean respondents frame."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import model
from analysis.findings import Findings, Level
from analysis.load import files as wio
from analysis.load.codebook import codebook_items, format_code, format_codes, normalised

#: At most this many findings of one kind, then one summary finding.
MAX_FINDINGS_PER_KIND = 20
#: Accepted spellings of the respondents file's fixed columns (matched by meaning, see ``files.find_column``).
RESPONDENT_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent": ("respondent", "respondent_id", "respondentnummer", "respondentnr", "resp_id", "id"),
    "buurtcode": ("buurtcode", "buurt_code", "bu_code", "cbs_buurtcode", "buurt"),
    "leeftijd": ("leeftijd", "leeftijdsklasse", "leeftijdscategorie", "leeftijdsgroep", "age"),
    "geslacht": ("geslacht", "sekse", "gender"),
    "gewicht": ("gewicht", "weging", "weegfactor", "weight"),
    "jaar": ("jaar", "peiljaar", "meetjaar", "year"),
}
_REQUIRED = ("respondent", "buurtcode", "leeftijd")
_AGE_BOUNDS: tuple[tuple[str, float, float], ...] = (
    ("0-14", 0, 14), ("15-24", 15, 24), ("25-44", 25, 44), ("45-64", 45, 64), ("65+", 65, math.inf),
)
_MAX_AGE_YEARS = 120
_SEX_MAP: dict[str, Any] = {
    **dict.fromkeys(("m", "man", "mannelijk", "male", "jongen", "heer", "dhr", "mnl"), "man"),
    **dict.fromkeys(("v", "vrouw", "vrouwelijk", "female", "f", "meisje", "mevrouw", "mevr", "vr"), "vrouw"),
    **dict.fromkeys(("x", "anders", "overig", "overige", "divers", "non-binair", "nonbinair", "non binair",
                     "genderneutraal", "other", "anders, namelijk"), "anders"),
    **dict.fromkeys(("onbekend", "wil ik niet zeggen", "zeg ik liever niet", "geen antwoord", "weet niet",
                     "-", "?", "n.v.t.", "nvt"), np.nan),
}


# ---------------------------------------------------------------------------------------------
# Cell readers
# ---------------------------------------------------------------------------------------------

def _text(values: pd.Series) -> pd.Series:
    """Stripped text, NA for empty cells; integral floats lose their ``.0``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        as_float = values.astype("float64")
        finite = as_float.dropna()
        if len(finite) and bool((finite % 1 == 0).all()):
            values = as_float.astype("Int64")
    text = values.astype("string").str.strip()
    return text.mask(text == "", pd.NA)


def _number(text: pd.Series) -> pd.Series:
    """Numbers (Dutch or English decimals) as float64; NaN where the text is no number."""
    return wio.to_number(text, cbs_missing=False)


def _age_range(text: str) -> tuple[float, float] | None:
    """Inclusive (low, high) years of an age class written in words or symbols, or None."""
    t = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2265", ">=").replace("\u2264", "<=")
    t = re.sub(r"\b(jaar|jr\.?|j\.)(?=\s|$)", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    num = r"(\d{1,3})"
    patterns: tuple[tuple[str, Callable[[re.Match], tuple[float, float]]], ...] = (
        (rf"^{num}\s*\+$", lambda m: (int(m[1]), math.inf)),
        (rf"^{num} ?(en|of) (ouder|meer|hoger|daarboven)$", lambda m: (int(m[1]), math.inf)),
        (rf"^(vanaf|>=) ?{num}$", lambda m: (int(m[2]), math.inf)),
        (rf"^(ouder dan|>) ?{num}$", lambda m: (int(m[2]) + 1, math.inf)),
        (rf"^{num} ?(t/m|tm|tot en met) ?{num}$", lambda m: (int(m[1]), int(m[3]))),
        (rf"^{num} ?tot ?{num}$", lambda m: (int(m[1]), int(m[2]) - 1)),
        (rf"^{num} ?(-|to) ?{num}$", lambda m: (int(m[1]), int(m[3]))),
        (rf"^(jonger dan|onder|tot|<) ?{num}$", lambda m: (0, int(m[2]) - 1)),
        (rf"^(<=|t/m|tot en met) ?{num}$", lambda m: (0, int(m[2]))),
    )
    for pattern, bounds in patterns:
        match = re.match(pattern, t)
        if match:
            return bounds(match)
    return None


def _age_class_of_range(low: float, high: float, dash: bool = False) -> str | None:
    """The class of :data:`model.AGE_CLASSES` containing [low, high]; ``45-65`` is read as 45 tot 65."""
    for name, lo, hi in _AGE_BOUNDS:
        if lo <= low and high <= hi:
            return name
    if dash and math.isfinite(high):
        return _age_class_of_range(low, high - 1)
    return None


def age_class(text: str) -> str | None:
    """The :data:`model.AGE_CLASSES` class of an age class written as text, or None.

    Accepts ``"45-64"``, ``"65+"``, ``"65 en ouder"``, ``"45 tot 65"`` (65 not included),
    ``"15 t/m 24"``, ``"jonger dan 15"``, ``"75+"`` (inside 65+) and ``"45-65"`` (read as
    45 tot 65). A class that spans two classes (``"35-54"``) gives None.
    """
    bounds = _age_range(str(text))
    if bounds is None:
        return None
    dash = bool(re.search(r"\d\s*(-|\u2013|to)\s*\d", str(text)))
    return _age_class_of_range(bounds[0], bounds[1], dash)


def _age_class_of_years(years: np.ndarray) -> np.ndarray:
    """Age class per age in years (object array, NaN for NaN)."""
    edges = np.array([15, 25, 45, 65])
    labels = np.array(model.AGE_CLASSES, dtype=object)
    out = labels[np.searchsorted(edges, np.nan_to_num(years, nan=0.0), side="right")]
    return np.where(np.isnan(years), np.nan, out)


def _normalise_buurtcode(text: pd.Series) -> pd.Series:
    """``BU`` + 8 digits; digits-only codes get the ``BU`` prefix and leading zeros."""
    code = text.str.upper().str.replace(" ", "", regex=False)
    digits = code.str.fullmatch(r"\d{1,8}").fillna(False)
    return code.mask(digits, "BU" + code.str.zfill(8))


# ---------------------------------------------------------------------------------------------
# Findings, at most MAX_FINDINGS_PER_KIND of a kind
# ---------------------------------------------------------------------------------------------

class _Reporter:
    """Collects findings of one kind and reports at most :data:`MAX_FINDINGS_PER_KIND`, then a summary."""

    def __init__(self, findings: Findings, file: str, level: Level, fix: str, summary: str):
        self.findings, self.file, self.level, self.fix, self.summary = findings, file, level, fix, summary
        self.entries: list[tuple[int, str | None, str]] = []

    def add(self, rows: Iterable[int], column: str | None, problems: Iterable[str]) -> None:
        self.entries.extend((int(r), column, p) for r, p in zip(rows, problems))

    def flush(self) -> None:
        entries = sorted(self.entries, key=lambda e: e[0])
        for row, column, problem in entries[:MAX_FINDINGS_PER_KIND]:
            self.findings.add(self.level, self.file, problem, self.fix, row=row, column=column)
        if len(entries) > MAX_FINDINGS_PER_KIND:
            rest = len({e[0] for e in entries[MAX_FINDINGS_PER_KIND:]})
            self.findings.add(self.level, self.file, f"... en nog {rest} rijen {self.summary}", self.fix)
        self.entries = []


@dataclass
class _Sheet:
    """The raw table with its spreadsheet row numbers, the rows still kept, and where findings go."""

    table: pd.DataFrame
    rows: pd.Series
    keep: pd.Series
    findings: Findings
    file: str

    def report(self, fix: str, summary: str, column: str, mask: pd.Series, problems: Iterable[str]) -> None:
        reporter = _Reporter(self.findings, self.file, "waarschuwing", fix, summary)
        reporter.add(self.rows[mask], column, problems)
        reporter.flush()


def _spreadsheet_rows(table: pd.DataFrame) -> pd.Series:
    """Spreadsheet row per table row: a 0-based integer index ``i`` is row ``i + 2`` (header = row 1)."""
    if pd.api.types.is_integer_dtype(table.index):
        return pd.Series(np.asarray(table.index, dtype=np.int64) + 2, index=table.index)
    return pd.Series(np.arange(len(table), dtype=np.int64) + 2, index=table.index)


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------

def _match_columns(table: pd.DataFrame, cb: dict, findings: Findings, file: str,
                   ) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Fixed columns and item columns of the table; reports missing required columns and items."""
    item_cols: dict[str, str] = {}
    for item in codebook_items(cb):
        col = wio.find_column(table, (item,))
        if col is not None:
            item_cols[item] = col
    rest = table[[c for c in table.columns if c not in set(item_cols.values())]]
    cols = dict(wio.match_columns(rest, RESPONDENT_ALIASES).items())
    missing_required = [c for c in _REQUIRED if c not in cols]
    for std in missing_required:
        spellings = ", ".join(RESPONDENT_ALIASES[std][:3])
        findings.error(file, f"de verplichte kolom '{std}' ontbreekt",
                       f"voeg een kolom '{std}' toe (ook goed: {spellings})", row=1, column=std)
    for name, scale in cb["schalen"].items():
        absent = [i for i in scale["items"] if i not in item_cols]
        if absent:
            listed = ", ".join(f"'{a}'" for a in absent)
            findings.error(file, f"item(s) {listed} van schaal '{name}' ontbreken in het bestand; de schaal kan "
                           "niet worden berekend",
                           "voeg de kolommen toe aan het enquêtebestand of pas 'items' van de schaal aan in "
                           "codeboek.toml", row=1, column=absent[0] if len(absent) == 1 else None)
    used = set(cols.values()) | set(item_cols.values())
    unused = [str(c) for c in table.columns if c not in used]
    if unused:
        findings.info(file, "kolom(men) " + ", ".join(f"'{c}'" for c in unused) + " worden niet gebruikt",
                      "noem ze in codeboek.toml als ze bij een schaal horen, of laat ze weg", row=1)
    return cols, item_cols, missing_required


def _read_ids(sheet: _Sheet, column: str) -> pd.Series:
    respondent = _text(sheet.table[column])
    no_id = respondent.isna()
    sheet.report("geef elke respondent een eigen nummer", "zonder respondentnummer; die zijn overgeslagen", column,
                 no_id, ["de respondent heeft geen nummer; de rij is overgeslagen"] * int(no_id.sum()))
    sheet.keep &= ~no_id
    return respondent


def _read_year(sheet: _Sheet, column: str | None, default_year: int) -> pd.Series:
    if column is None:
        return pd.Series(float(default_year), index=sheet.table.index)
    year_text = _text(sheet.table[column])
    year_num = _number(year_text)
    bad = year_text.notna() & (year_num.isna() | (year_num % 1 != 0) | (year_num < 1900) | (year_num > 2100))
    sheet.report("schrijf het jaar als vier cijfers, zoals 2024", "met een onleesbaar jaar; die zijn overgeslagen",
                 column, bad, [f"jaar '{v}' is geen jaartal; de rij is overgeslagen" for v in year_text[bad]])
    sheet.keep &= ~bad
    return year_num.where(~bad).fillna(default_year)


def _read_buurt(sheet: _Sheet, column: str, buurt_codes: pd.Series) -> pd.Series:
    buurt_raw = _text(sheet.table[column])
    buurt = _normalise_buurtcode(buurt_raw)
    known = buurt.isin(buurt_codes.index).fillna(False).astype(bool)
    unknown = sheet.keep & ~known
    sheet.report("gebruik de CBS-buurtcode (BU + 8 cijfers) van een buurt van de gemeente",
                 "met een onbekende buurtcode; die zijn overgeslagen", column, unknown,
                 [("de buurtcode ontbreekt" if pd.isna(v) else f"buurtcode '{v}' hoort bij geen buurt van de gemeente")
                  + "; de respondent is overgeslagen" for v in buurt_raw[unknown]])
    sheet.keep &= known
    return buurt


def _drop_duplicates(sheet: _Sheet, column: str, respondent: pd.Series, year: pd.Series) -> None:
    key = pd.DataFrame({"respondent": respondent, "jaar": year})
    keep = sheet.keep
    dup = keep & key.where(keep).duplicated(keep="first")
    if not dup.any():
        return
    first_row = (key[keep & ~dup].assign(row=sheet.rows).drop_duplicates(["respondent", "jaar"])
                 .set_index(["respondent", "jaar"])["row"])
    sheet.report("geef elke respondent een eigen nummer of haal de dubbele rij weg",
                 "met een dubbel respondentnummer; die zijn overgeslagen", column, dup,
                 [f"respondent '{r}' komt in {int(y)} al voor in rij {int(first_row.get((r, y), 0))}; "
                  "deze rij is overgeslagen" for r, y in zip(respondent[dup], year[dup])])
    sheet.keep &= ~dup


def _read_age(sheet: _Sheet, column: str) -> tuple[pd.Series, pd.Series]:
    """Age in years (NaN when given as a class) and age class; unreadable ages are reported and unknown."""
    age_text = _text(sheet.table[column])
    raw_years = _number(age_text)
    bad_years = raw_years.notna() & ((raw_years < 0) | (raw_years > _MAX_AGE_YEARS))
    age_years = raw_years.mask(bad_years).apply(np.floor)
    klass = pd.Series(_age_class_of_years(age_years.to_numpy(float)), index=sheet.table.index, dtype=object)
    as_class = age_text.notna() & age_years.isna() & ~bad_years
    class_map = {u: age_class(u) for u in pd.unique(age_text[as_class].astype(str))}
    klass = klass.mask(as_class, age_text[as_class].astype(str).map(class_map))
    bad_class = sheet.keep & as_class & klass.isna()
    reporter = _Reporter(sheet.findings, sheet.file, "waarschuwing",
                         "schrijf de leeftijd in jaren (bijvoorbeeld 47) of als klasse 15-24, 25-44, 45-64 of 65+",
                         "met een onleesbare leeftijd")
    impossible = sheet.keep & bad_years
    reporter.add(sheet.rows[impossible], column,
                 [f"leeftijd {format_code(v)} is onmogelijk; de leeftijd wordt als onbekend gelezen"
                  for v in raw_years[impossible]])
    reporter.add(sheet.rows[bad_class], column,
                 [f"leeftijd '{v}' is geen leeftijd of klasse die past in 0-14, 15-24, 25-44, 45-64 of 65+; de "
                  "leeftijd wordt als onbekend gelezen" for v in age_text[bad_class]])
    reporter.flush()
    return age_years, klass


def _read_sex(sheet: _Sheet, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=sheet.table.index, dtype=object)
    sex_text = _text(sheet.table[column])
    lowered = sex_text.str.lower().str.rstrip(".")
    sex = lowered.map(lambda v: _SEX_MAP.get(v, "?") if isinstance(v, str) else np.nan).astype(object)
    sex = sex.where(sex.notna(), np.nan)
    bad = sheet.keep & (sex == "?")
    sheet.report("schrijf man, vrouw of anders (of m, v, x), of laat de cel leeg", "met een onbekend geslacht",
                 column, bad, [f"geslacht '{v}' is onbekend en wordt als leeg gelezen" for v in sex_text[bad]])
    return sex.mask(sex == "?", np.nan)


def _read_weight(sheet: _Sheet, column: str | None) -> pd.Series:
    """Given weights: positive finite numbers; anything else is reported (with its value) and read as empty."""
    if column is None:
        return pd.Series(np.nan, index=sheet.table.index)
    weight_text = _text(sheet.table[column])
    weight = _number(weight_text)
    infinite = sheet.keep & weight_text.notna() & np.isinf(weight)
    not_positive = sheet.keep & weight_text.notna() & ~infinite & (weight.isna() | (weight <= 0))
    reporter = _Reporter(sheet.findings, sheet.file, "waarschuwing",
                         "schrijf een positief getal, zoals 1,25", "met een onbruikbaar gewicht")
    reporter.add(sheet.rows[not_positive], column,
                 [f"gewicht '{v}' is geen positief getal en wordt als leeg gelezen" for v in weight_text[not_positive]])
    reporter.add(sheet.rows[infinite], column,
                 [f"gewicht '{v}' is oneindig (geen eindig getal) en wordt als leeg gelezen"
                  for v in weight_text[infinite]])
    reporter.flush()
    weight = weight.mask((weight <= 0) | ~np.isfinite(weight))
    no_weight = sheet.keep & weight.isna()
    if weight[sheet.keep].notna().any() and no_weight.any():
        sheet.findings.warning(sheet.file, f"{int(no_weight.sum())} respondent(en) hebben geen gewicht; zij krijgen "
                               "het gemiddelde gewicht van hun wijk", "vul het gewicht voor alle respondenten in",
                               column=column)
    return weight


def _read_items(sheet: _Sheet, cb: dict, item_cols: dict[str, str]) -> dict[str, pd.Series]:
    """Answer codes per item; no number or no code of the item's scales is reported and read as empty."""
    allowed: dict[str, set[float]] = {}
    scale_of: dict[str, list[str]] = {}
    for name, scale in cb["schalen"].items():
        for item in scale["items"]:
            allowed.setdefault(item, set()).update(scale["codes"], scale["ontbrekend"])
            scale_of.setdefault(item, []).append(name)
    not_number = _Reporter(sheet.findings, sheet.file, "waarschuwing", "schrijf het antwoord als code uit codeboek.toml",
                           "met een antwoord dat geen getal is")
    outside = _Reporter(sheet.findings, sheet.file, "waarschuwing",
                        "corrigeer het antwoord of voeg de code toe aan 'codes' of 'ontbrekend' in codeboek.toml",
                        "met een antwoord buiten de codes van het codeboek")
    out: dict[str, pd.Series] = {}
    for item in codebook_items(cb):
        if item not in item_cols:
            out[item] = pd.Series(np.nan, index=sheet.table.index)
            continue
        col = item_cols[item]
        text = _text(sheet.table[col])
        values = _number(text)
        nan_text = sheet.keep & text.notna() & values.isna()
        not_number.add(sheet.rows[nan_text], col,
                       [f"antwoord '{v}' is geen getal en wordt als leeg gelezen" for v in text[nan_text]])
        valid_codes = sorted(allowed[item])
        out_of_codes = sheet.keep & values.notna() & ~values.isin(valid_codes)
        scales_text = ", ".join(f"'{s}'" for s in scale_of[item])
        outside.add(sheet.rows[out_of_codes], col,
                    [f"antwoord {format_code(v)} is geen code van schaal {scales_text} ({format_codes(valid_codes)}) "
                     "en wordt als leeg gelezen" for v in values[out_of_codes]])
        out[item] = values.mask(out_of_codes)
    not_number.flush()
    outside.flush()
    return out


# ---------------------------------------------------------------------------------------------
# The respondents frame
# ---------------------------------------------------------------------------------------------

def prepare_respondents(table: pd.DataFrame, codebook: dict, buurt_codes: pd.Series, findings: Findings,
                        file: str, default_year: int) -> pd.DataFrame:
    """Turn a raw table of answers (``enquete.csv``, an SPSS file read as text) into the respondents frame.

    Columns are matched by meaning (case, spaces and underscores do not matter;
    ``respondent_id``, ``bu_code``, ``sekse``, ``weging`` and similar are accepted).
    Required: ``respondent``, ``buurtcode``, ``leeftijd``; optional: ``geslacht``,
    ``gewicht``, ``jaar``; item columns are the codebook's items.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as read (text or numbers), one row per respondent; row ``i`` of a
        0-based index is spreadsheet row ``i + 2``.
    codebook : dict
        The codebook (raw or normalised by :func:`analysis.load.codebook.parse_codebook`).
    buurt_codes : pandas.Series
        Wijk code indexed by buurt code, for every buurt of the gemeente.
    findings : Findings
        Receives Dutch findings with spreadsheet rows and column names: missing required
        columns and items (``fout``), unknown buurten (row dropped), answers that are
        no number or no valid code (set missing), empty or duplicate respondent ids
        within a year (row dropped), unreadable ages, sexes and years, and weights that
        are not a positive finite number (``0``, ``-1``, ``inf``: named with their value
        and read as empty). At most :data:`MAX_FINDINGS_PER_KIND` per kind, then
        ``... en nog N rijen``.
    file : str
        File name for the messages.
    default_year : int
        Year of rows without ``jaar``.

    Returns
    -------
    pandas.DataFrame
        :data:`model.RESPONDENT_COLUMNS` and one float column per codebook item (all
        items, NaN when the file lacks the column). ``leeftijd`` is years (NaN when the
        file gives classes); ``leeftijdsklasse`` is one of :data:`model.AGE_CLASSES`;
        ``geslacht`` is ``man``, ``vrouw``, ``anders`` or NaN; ``gewicht`` a positive
        finite float or NaN; ``jaar`` int. Missing answer codes (``ontbrekend``) are kept
        as their code. Empty (with the columns) when a required column is missing.
    """
    cb = normalised(codebook)
    items = codebook_items(cb)
    cols, item_cols, missing_required = _match_columns(table, cb, findings, file)
    if missing_required:
        return model.empty_frame(model.RESPONDENT_COLUMNS + tuple(items))
    sheet = _Sheet(table, _spreadsheet_rows(table), pd.Series(True, index=table.index), findings, file)
    respondent = _read_ids(sheet, cols["respondent"])
    year = _read_year(sheet, cols.get("jaar"), default_year)
    buurt = _read_buurt(sheet, cols["buurtcode"], buurt_codes)
    _drop_duplicates(sheet, cols["respondent"], respondent, year)
    age_years, klass = _read_age(sheet, cols["leeftijd"])
    sex = _read_sex(sheet, cols.get("geslacht"))
    weight = _read_weight(sheet, cols.get("gewicht"))
    item_values = _read_items(sheet, cb, item_cols)

    out = pd.DataFrame({
        "respondent": respondent.astype(object).where(respondent.notna(), np.nan),
        "buurtcode": buurt.astype(object),
        "wijkcode": buurt.map(buurt_codes).astype(object),
        "leeftijd": age_years.astype(float),
        "leeftijdsklasse": klass.astype(object),
        "geslacht": sex.astype(object),
        "gewicht": weight.astype(float),
        "jaar": year.astype(float),
    })
    for item in items:
        out[item] = item_values[item].astype(float)
    out = out[sheet.keep].reset_index(drop=True)
    out["respondent"] = out["respondent"].astype(str)
    out["buurtcode"] = out["buurtcode"].astype(str)
    out["wijkcode"] = out["wijkcode"].astype(str)
    out["jaar"] = out["jaar"].astype("int64")
    return out
