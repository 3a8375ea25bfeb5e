"""Resident survey: codebook, respondents, scale scores, weights, intervals and privacy-safe area figures."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import model
from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import files as wio

#: Scoring methods a codebook scale may use.
METHODS: tuple[str, ...] = ("gemiddelde", "telling", "aandeel")
#: Default and lowest allowed number of valid respondents behind a published survey figure.
DEFAULT_THRESHOLD = 30
MIN_THRESHOLD = 10
#: z value of a two-sided 95% interval.
Z_95 = 1.96
#: Indicator key of the per-area response count row (a count, never suppressed).
RESPONSE_COUNT_KEY = "respondenten_aantal"
#: Age-class difference (percentage points) between respondents and population that marks a skewed response.
SKEW_THRESHOLD_PP = 10.0
#: At most this many findings of one kind, then one summary finding.
MAX_FINDINGS_PER_KIND = 20
#: Columns of :func:`survey_indicators`.
SURVEY_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "niveau", "jaar", "indicator", "waarde", "n", "ci_laag", "ci_hoog", "onderdrukt",
)
#: Columns of :func:`respondent_profile`.
PROFILE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "niveau", "jaar", "respondenten", "kenmerk", "categorie",
    "respondenten_pct", "bevolking_pct", "verschil_pp", "scheef", "onderdrukt",
)
#: Raking (iterative proportional fitting) stops after this many rounds or this small a change.
RAKING_MAX_ITER = 100
RAKING_TOLERANCE = 1e-10

_SCALE_KEYS = frozenset({
    "label", "methode", "items", "codes", "omgekeerd", "min_geldig", "indicator", "drempels", "ja",
    "telt", "ontbrekend", "beschrijving", "toelichting", "bron",
})
_TOP_KEYS = frozenset({"codeboek", "schalen"})
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_AGE_BOUNDS: tuple[tuple[str, float, float], ...] = (
    ("0-14", 0, 14), ("15-24", 15, 24), ("25-44", 25, 44), ("45-64", 45, 64), ("65+", 65, math.inf),
)
_MAX_AGE_YEARS = 120

#: Accepted spellings of the respondents file's fixed columns (matched by meaning, see ``io.find_column``).
RESPONDENT_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent": ("respondent", "respondent_id", "respondentnummer", "respondentnr", "resp_id", "id"),
    "buurtcode": ("buurtcode", "buurt_code", "bu_code", "cbs_buurtcode", "buurt"),
    "leeftijd": ("leeftijd", "leeftijdsklasse", "leeftijdscategorie", "leeftijdsgroep", "age"),
    "geslacht": ("geslacht", "sekse", "gender"),
    "gewicht": ("gewicht", "weging", "weegfactor", "weight"),
    "jaar": ("jaar", "peiljaar", "meetjaar", "year"),
}
_REQUIRED = ("respondent", "buurtcode", "leeftijd")

_SEX_MAP: dict[str, Any] = {
    **dict.fromkeys(("m", "man", "mannelijk", "male", "jongen", "heer", "dhr", "mnl"), "man"),
    **dict.fromkeys(("v", "vrouw", "vrouwelijk", "female", "f", "meisje", "mevrouw", "mevr", "vr"), "vrouw"),
    **dict.fromkeys(("x", "anders", "overig", "overige", "divers", "non-binair", "nonbinair", "non binair",
                     "genderneutraal", "other", "anders, namelijk"), "anders"),
    **dict.fromkeys(("onbekend", "wil ik niet zeggen", "zeg ik liever niet", "geen antwoord", "weet niet",
                     "-", "?", "n.v.t.", "nvt"), np.nan),
}


# ---------------------------------------------------------------------------------------------
# Codebook
# ---------------------------------------------------------------------------------------------

def _fmt(value: float) -> str:
    """A code as the user wrote it: ``3`` rather than ``3.0``, ``2,5`` with a Dutch decimal comma."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def _fmt_codes(codes: Iterable[float]) -> str:
    return ", ".join(_fmt(c) for c in codes)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number_list(value: Any) -> list[float] | None:
    """A list of finite numbers (ints stay ints), or None when ``value`` is not one."""
    if not isinstance(value, (list, tuple)) or not all(_is_number(v) for v in value):
        return None
    return [int(v) if float(v).is_integer() else float(v) for v in value]


def _string_list(value: Any) -> list[str] | None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return [v.strip() for v in value]


def _default_min_valid(method: str, n_items: int) -> int:
    if method == "telling":
        return n_items
    if method == "gemiddelde":
        return math.ceil(n_items / 2)
    return 1


def _parse_scale(name: str, spec: Any, default_missing: list[float], findings: Findings,
                 file: str) -> dict[str, Any] | None:
    """Validate one ``[schalen.<name>]`` table; None (with errors reported) when unusable."""
    where = f"schalen.{name}"
    n_errors = len(findings.errors)

    def error(problem: str, fix: str, column: str = where) -> None:
        findings.error(file, f"schaal '{name}': {problem}", fix, column=column)

    if not isinstance(spec, dict):
        error("is geen tabel met instellingen",
              f"schrijf de schaal als [schalen.{name}] met daaronder methode, items en codes")
        return None
    for key in sorted(set(spec) - _SCALE_KEYS):
        findings.warning(file, f"schaal '{name}': onbekende instelling '{key}' wordt genegeerd",
                         "controleer de spelling; bekende instellingen zijn " + ", ".join(sorted(_SCALE_KEYS)),
                         column=f"{where}.{key}")

    method = spec.get("methode")
    if method is None:
        error("er staat geen methode", "zet methode = \"gemiddelde\", \"telling\" of \"aandeel\"",
              f"{where}.methode")
    elif method not in METHODS:
        error(f"onbekende methode '{method}'", "kies methode = \"gemiddelde\", \"telling\" of \"aandeel\"",
              f"{where}.methode")
        method = None

    items = _string_list(spec.get("items"))
    if not items:
        error("'items' ontbreekt of is geen lijst met kolomnamen",
              "zet items = [\"kolom_1\", \"kolom_2\"] met de kolomnamen uit enquete.csv", f"{where}.items")
        items = None
    elif len(set(items)) != len(items):
        dups = sorted({i for i in items if items.count(i) > 1})
        error(f"item(s) {', '.join(repr(d) for d in dups)} staan meer dan één keer in 'items'",
              "noem elk item één keer", f"{where}.items")
        items = None

    codes = _number_list(spec.get("codes"))
    if not codes:
        error("'codes' ontbreekt of is geen lijst met getallen",
              "zet codes = [1, 2, 3, 4, 5] met alle geldige antwoordcodes", f"{where}.codes")
        codes = None
    elif len(set(codes)) != len(codes):
        error("'codes' bevat dubbele codes", "noem elke geldige antwoordcode één keer", f"{where}.codes")
        codes = None
    elif method == "gemiddelde" and len(codes) < 2:
        error("een gemiddelde vraagt minstens twee verschillende codes",
              "zet alle antwoordcodes van de schaal in 'codes', bijvoorbeeld [1, 2, 3, 4, 5]", f"{where}.codes")
        codes = None

    if "ontbrekend" in spec:
        missing = _number_list(spec["ontbrekend"])
        if missing is None:
            error("'ontbrekend' is geen lijst met getallen", "zet bijvoorbeeld ontbrekend = [9, 99]",
                  f"{where}.ontbrekend")
            missing = []
    else:
        missing = list(default_missing)
    if codes and missing:
        overlap = sorted(set(codes) & set(missing))
        if overlap:
            error(f"code(s) {_fmt_codes(overlap)} staan zowel in 'codes' als in 'ontbrekend'",
                  f"geef de schaal eigen ontbrekende codes die geen geldig antwoord zijn, bijvoorbeeld "
                  f"ontbrekend = [99] onder [schalen.{name}]", f"{where}.ontbrekend")

    reversed_items = _string_list(spec.get("omgekeerd", [])) if spec.get("omgekeerd", []) != [] else []
    if reversed_items is None:
        error("'omgekeerd' is geen lijst met itemnamen", "zet omgekeerd = [\"kolom_1\"] of laat het weg",
              f"{where}.omgekeerd")
        reversed_items = []
    elif items:
        unknown = [i for i in reversed_items if i not in items]
        if unknown:
            error(f"omgekeerd item(s) {', '.join(repr(u) for u in unknown)} staan niet in 'items'",
                  "noem in 'omgekeerd' alleen items die ook in 'items' staan", f"{where}.omgekeerd")

    min_valid = spec.get("min_geldig")
    if items and method:
        if min_valid is None:
            min_valid = _default_min_valid(method, len(items))
        elif not (isinstance(min_valid, int) and not isinstance(min_valid, bool)) or not 1 <= min_valid <= len(items):
            error(f"min_geldig = {min_valid!r} moet een geheel getal van 1 tot en met {len(items)} "
                  f"(het aantal items) zijn", f"zet min_geldig tussen 1 en {len(items)} of laat het weg",
                  f"{where}.min_geldig")

    indicator = spec.get("indicator")
    thresholds: dict[str, int] = {}
    yes_codes: list[float] = []
    count_codes: list[float] = []
    if method in ("gemiddelde", "aandeel"):
        if not isinstance(indicator, str) or not _KEY_RE.match(indicator):
            error("'indicator' ontbreekt of is geen geldige sleutel",
                  "zet indicator = \"cohesie_score\" (kleine letters, cijfers en _)", f"{where}.indicator")
    elif method == "telling":
        if indicator is not None:
            findings.warning(file, f"schaal '{name}': 'indicator' wordt bij methode telling niet gebruikt",
                             "geef de indicatoren van een telling op met drempels = { sleutel = minimumscore }",
                             column=f"{where}.indicator")
        indicator = None
    for key, wanted in (("drempels", "telling"), ("telt", "telling"), ("ja", "aandeel")):
        if key in spec and method and method != wanted:
            findings.warning(file, f"schaal '{name}': '{key}' wordt bij methode {method} niet gebruikt",
                             f"haal '{key}' weg of kies methode = \"{wanted}\"", column=f"{where}.{key}")

    def code_subset(key: str, example: str) -> list[float]:
        values = _number_list(spec.get(key))
        if not values:
            error(f"'{key}' ontbreekt of is geen lijst met codes", f"zet bijvoorbeeld {key} = {example}",
                  f"{where}.{key}")
            return []
        if codes:
            bad = [v for v in values if v not in codes]
            if bad:
                error(f"code(s) {_fmt_codes(bad)} in '{key}' zijn geen geldige codes van de schaal "
                      f"({_fmt_codes(codes)})", f"gebruik in '{key}' alleen codes uit 'codes'", f"{where}.{key}")
        return values

    if method == "telling":
        count_codes = code_subset("telt", "[1, 2]")
        raw_thresholds = spec.get("drempels")
        if not isinstance(raw_thresholds, dict) or not raw_thresholds:
            error("een telling vraagt 'drempels' met minstens één indicator",
                  "zet bijvoorbeeld drempels = { eenzaam_pct = 2, zeer_eenzaam_pct = 5 }", f"{where}.drempels")
        else:
            for key, value in raw_thresholds.items():
                if not _KEY_RE.match(str(key)):
                    error(f"drempel '{key}' is geen geldige indicatorsleutel",
                          "gebruik kleine letters, cijfers en _, zoals eenzaam_pct", f"{where}.drempels")
                elif not (isinstance(value, int) and not isinstance(value, bool)) or (
                        items and not 1 <= value <= len(items)):
                    top = len(items) if items else "het aantal items"
                    error(f"drempel {key} = {value!r} moet een geheel getal van 1 tot en met {top} zijn",
                          "geef de minimale score waarvanaf een respondent meetelt", f"{where}.drempels")
                else:
                    thresholds[str(key)] = int(value)
    elif method == "aandeel":
        yes_codes = code_subset("ja", "[1]")

    label = spec.get("label", name)
    if len(findings.errors) > n_errors:
        return None
    return {
        "label": str(label), "methode": method, "items": items, "codes": sorted(codes),
        "omgekeerd": [i for i in items if i in reversed_items], "ontbrekend": sorted(missing),
        "min_geldig": int(min_valid), "indicator": indicator, "drempels": thresholds,
        "ja": sorted(yes_codes), "telt": sorted(count_codes),
    }


def _scale_indicator_keys(scale: dict[str, Any]) -> list[str]:
    if scale["methode"] == "telling":
        return list(scale["drempels"])
    return [scale["indicator"]]


def parse_codebook(raw: dict, findings: Findings, file: str = "codeboek.toml") -> dict:
    """Validate a parsed ``codeboek.toml`` and fill in its defaults.

    Checks every scale: a known ``methode`` (gemiddelde, telling, aandeel), ``items``
    (column names, no duplicates), ``codes`` (numbers), ``omgekeerd`` only naming items,
    ``telt`` / ``ja`` only naming valid codes, ``drempels`` between 1 and the number of
    items, ``min_geldig`` between 1 and the number of items, missing codes that are not
    also valid codes, and indicator keys that are unique across scales.

    Parameters
    ----------
    raw : dict
        The TOML as parsed by ``tomllib`` (a normalised codebook is accepted too, so
        the function is idempotent).
    findings : Findings
        Receives Dutch errors (``fout``) and warnings naming the file and the scale
        (``column`` is ``schalen.<naam>`` or ``schalen.<naam>.<sleutel>``).
    file : str
        File name for the messages.

    Returns
    -------
    dict
        ``{"codeboek": {"naam", "ontbrekend"}, "schalen": {naam: scale}}`` where every
        scale has ``label, methode, items, codes, omgekeerd, ontbrekend, min_geldig,
        indicator, drempels, ja, telt``. ``ontbrekend`` falls back to ``[codeboek]
        ontbrekend``; ``min_geldig`` defaults to all items (telling), half the items
        rounded up (gemiddelde) or 1 (aandeel). Scales with errors are left out.
    """
    out: dict[str, Any] = {"codeboek": {"naam": "", "ontbrekend": []}, "schalen": {}}
    if not isinstance(raw, dict):
        findings.error(file, "het codeboek is geen TOML-tabel", "begin het bestand met [codeboek] en [schalen.<naam>]")
        return out
    for key in sorted(set(raw) - _TOP_KEYS):
        findings.warning(file, f"onbekend onderdeel '{key}' wordt genegeerd",
                         "gebruik alleen [codeboek] en [schalen.<naam>]", column=str(key))
    head = raw.get("codeboek", {})
    if not isinstance(head, dict):
        findings.error(file, "[codeboek] is geen tabel", "schrijf [codeboek] met daaronder naam en ontbrekend",
                       column="codeboek")
        head = {}
    default_missing = _number_list(head.get("ontbrekend", []))
    if default_missing is None:
        findings.error(file, "'ontbrekend' in [codeboek] is geen lijst met getallen",
                       "zet bijvoorbeeld ontbrekend = [9] (codes voor 'weet niet' en 'geen antwoord')",
                       column="codeboek.ontbrekend")
        default_missing = []
    out["codeboek"] = {"naam": str(head.get("naam", "")), "ontbrekend": sorted(default_missing)}

    scales = raw.get("schalen")
    if not isinstance(scales, dict) or not scales:
        findings.error(file, "het codeboek bevat geen schalen",
                       "voeg minstens één [schalen.<naam>] toe met methode, items en codes", column="schalen")
        return out
    owner: dict[str, str] = {}
    for name, spec in scales.items():
        scale = _parse_scale(str(name), spec, default_missing, findings, file)
        if scale is None:
            continue
        clash = False
        for key in _scale_indicator_keys(scale):
            if key in owner:
                findings.error(file, f"schaal '{name}': indicator '{key}' wordt ook al berekend door schaal "
                               f"'{owner[key]}'", "geef elke indicator één schaal", column=f"schalen.{name}")
                clash = True
        if clash:
            continue
        owner.update(dict.fromkeys(_scale_indicator_keys(scale), str(name)))
        out["schalen"][str(name)] = scale
    return out


def _normalised(codebook: dict) -> dict:
    """The normalised codebook; raises :class:`DatasetError` when it has errors."""
    if not codebook:
        return {"codeboek": {"naam": "", "ontbrekend": []}, "schalen": {}}
    findings = Findings()
    parsed = parse_codebook(codebook, findings)
    if findings.has_errors:
        raise DatasetError(Findings(findings.errors))
    return parsed


def codebook_indicators(codebook: dict) -> pd.DataFrame:
    """The indicators a codebook produces: ``indicator, schaal, methode, soort, drempel``.

    ``soort`` is ``gemiddelde`` (0-10 scale score) or ``aandeel`` (percentage).
    """
    rows = []
    for name, scale in _normalised(codebook)["schalen"].items():
        if scale["methode"] == "gemiddelde":
            rows.append((scale["indicator"], name, "gemiddelde", "gemiddelde", np.nan))
        elif scale["methode"] == "aandeel":
            rows.append((scale["indicator"], name, "aandeel", "aandeel", np.nan))
        else:
            rows.extend((key, name, "telling", "aandeel", float(v)) for key, v in scale["drempels"].items())
    return pd.DataFrame(rows, columns=["indicator", "schaal", "methode", "soort", "drempel"])


# ---------------------------------------------------------------------------------------------
# Respondents
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


class _Reporter:
    """Collects findings of one kind and reports at most :data:`MAX_FINDINGS_PER_KIND`, then a summary."""

    def __init__(self, findings: Findings, file: str, level: str, fix: str, summary: str):
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


def _codebook_items(codebook: dict) -> list[str]:
    seen: dict[str, None] = {}
    for scale in codebook["schalen"].values():
        seen.update(dict.fromkeys(scale["items"]))
    return list(seen)


def prepare_respondents(table: pd.DataFrame, codebook: dict, buurt_codes: pd.Series, findings: Findings,
                        file: str, default_year: int) -> pd.DataFrame:
    """Turn the raw survey table (``enquete.csv``) into the clean respondents frame.

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
        The codebook (raw or normalised by :func:`parse_codebook`).
    buurt_codes : pandas.Series
        Wijk code indexed by buurt code, for every buurt of the gemeente.
    findings : Findings
        Receives Dutch findings with spreadsheet rows and column names: missing required
        columns and items (``fout``), unknown buurten (row dropped), answers that are
        no number or no valid code (set missing), empty or duplicate respondent ids
        within a year (row dropped), unreadable ages, sexes, weights and years. At most
        :data:`MAX_FINDINGS_PER_KIND` per kind, then ``... en nog N rijen``.
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
        ``geslacht`` is ``man``, ``vrouw``, ``anders`` or NaN; ``gewicht`` float; ``jaar``
        int. Missing answer codes (``ontbrekend``) are kept as their code. Empty (with
        the columns) when a required column is missing.
    """
    cb = _normalised(codebook)
    items = _codebook_items(cb)
    empty = model.empty_frame(model.RESPONDENT_COLUMNS + tuple(items))

    item_cols: dict[str, str] = {}
    for item in items:
        col = wio.find_column(table, (item,))
        if col is not None:
            item_cols[item] = col
    rest = table[[c for c in table.columns if c not in set(item_cols.values())]]
    cols = {std: col for std, col in wio.match_columns(rest, RESPONDENT_ALIASES).items()}
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
    if missing_required:
        return empty

    if pd.api.types.is_integer_dtype(table.index):
        rows = pd.Series(np.asarray(table.index, dtype=np.int64) + 2, index=table.index)
    else:
        rows = pd.Series(np.arange(len(table), dtype=np.int64) + 2, index=table.index)
    keep = pd.Series(True, index=table.index)

    # respondent ids
    respondent = _text(table[cols["respondent"]])
    no_id = respondent.isna()
    rep = _Reporter(findings, file, "waarschuwing", "geef elke respondent een eigen nummer",
                    "zonder respondentnummer; die zijn overgeslagen")
    rep.add(rows[no_id], cols["respondent"], ["de respondent heeft geen nummer; de rij is overgeslagen"] * no_id.sum())
    rep.flush()
    keep &= ~no_id

    # year
    if "jaar" in cols:
        year_text = _text(table[cols["jaar"]])
        year_num = _number(year_text)
        bad_year = year_text.notna() & (year_num.isna() | (year_num % 1 != 0) | (year_num < 1900)
                                        | (year_num > 2100))
        rep = _Reporter(findings, file, "waarschuwing", "schrijf het jaar als vier cijfers, zoals 2024",
                        "met een onleesbaar jaar; die zijn overgeslagen")
        rep.add(rows[bad_year], cols["jaar"],
                [f"jaar '{v}' is geen jaartal; de rij is overgeslagen" for v in year_text[bad_year]])
        rep.flush()
        keep &= ~bad_year
        year = year_num.where(~bad_year).fillna(default_year)
    else:
        year = pd.Series(float(default_year), index=table.index)

    # buurt
    buurt_raw = _text(table[cols["buurtcode"]])
    buurt = _normalise_buurtcode(buurt_raw)
    known = buurt.isin(buurt_codes.index).fillna(False).astype(bool)
    unknown = keep & ~known
    rep = _Reporter(findings, file, "waarschuwing",
                    "gebruik de CBS-buurtcode (BU + 8 cijfers) van een buurt van de gemeente",
                    "met een onbekende buurtcode; die zijn overgeslagen")
    rep.add(rows[unknown], cols["buurtcode"],
            [("de buurtcode ontbreekt" if pd.isna(v) else f"buurtcode '{v}' hoort bij geen buurt van de gemeente")
             + "; de respondent is overgeslagen" for v in buurt_raw[unknown]])
    rep.flush()
    keep &= known

    # duplicate ids within a year
    key = pd.DataFrame({"respondent": respondent, "jaar": year})
    dup = keep & key.where(keep).duplicated(keep="first") & keep
    if dup.any():
        first_row = (key[keep & ~dup].assign(row=rows).drop_duplicates(["respondent", "jaar"])
                     .set_index(["respondent", "jaar"])["row"])
        rep = _Reporter(findings, file, "waarschuwing",
                        "geef elke respondent een eigen nummer of haal de dubbele rij weg",
                        "met een dubbel respondentnummer; die zijn overgeslagen")
        dup_keys = list(zip(respondent[dup], year[dup]))
        rep.add(rows[dup], cols["respondent"],
                [f"respondent '{r}' komt in {int(y)} al voor in rij {int(first_row.get((r, y), 0))}; "
                 "deze rij is overgeslagen" for r, y in dup_keys])
        rep.flush()
        keep &= ~dup

    # age: years or classes
    age_text = _text(table[cols["leeftijd"]])
    age_years = _number(age_text)
    bad_years = age_years.notna() & ((age_years < 0) | (age_years > _MAX_AGE_YEARS))
    age_years = age_years.mask(bad_years).apply(np.floor)
    klass = pd.Series(_age_class_of_years(age_years.to_numpy(float)), index=table.index, dtype=object)
    as_class = age_text.notna() & age_years.isna() & ~bad_years
    uniques = pd.unique(age_text[as_class].astype(str))
    class_map = {u: age_class(u) for u in uniques}
    klass = klass.mask(as_class, age_text[as_class].astype(str).map(class_map))
    bad_class = keep & as_class & klass.isna()
    rep = _Reporter(findings, file, "waarschuwing",
                    "schrijf de leeftijd in jaren (bijvoorbeeld 47) of als klasse 15-24, 25-44, 45-64 of 65+",
                    "met een onleesbare leeftijd")
    rep.add(rows[keep & bad_years], cols["leeftijd"],
            [f"leeftijd {_fmt(v)} is onmogelijk; de leeftijd wordt als onbekend gelezen"
             for v in _number(age_text)[keep & bad_years]])
    rep.add(rows[bad_class], cols["leeftijd"],
            [f"leeftijd '{v}' is geen leeftijd of klasse die past in 0-14, 15-24, 25-44, 45-64 of 65+; de leeftijd "
             "wordt als onbekend gelezen" for v in age_text[bad_class]])
    rep.flush()

    # sex
    if "geslacht" in cols:
        sex_text = _text(table[cols["geslacht"]])
        lowered = sex_text.str.lower().str.rstrip(".")
        sex = lowered.map(lambda v: _SEX_MAP.get(v, "?") if isinstance(v, str) else np.nan).astype(object)
        sex = sex.where(sex.notna(), np.nan)
        bad_sex = keep & (sex == "?")
        rep = _Reporter(findings, file, "waarschuwing", "schrijf man, vrouw of anders (of m, v, x), of laat de cel leeg",
                        "met een onbekend geslacht")
        rep.add(rows[bad_sex], cols["geslacht"],
                [f"geslacht '{v}' is onbekend en wordt als leeg gelezen" for v in sex_text[bad_sex]])
        rep.flush()
        sex = sex.mask(sex == "?", np.nan)
    else:
        sex = pd.Series(np.nan, index=table.index, dtype=object)

    # weight
    if "gewicht" in cols:
        weight_text = _text(table[cols["gewicht"]])
        weight = _number(weight_text)
        bad_weight = keep & weight_text.notna() & (weight.isna() | (weight <= 0))
        rep = _Reporter(findings, file, "waarschuwing", "schrijf een positief getal, zoals 1,25",
                        "met een onbruikbaar gewicht")
        rep.add(rows[bad_weight], cols["gewicht"],
                [f"gewicht '{v}' is geen positief getal en wordt als leeg gelezen" for v in weight_text[bad_weight]])
        rep.flush()
        weight = weight.mask(weight <= 0)
        no_weight = keep & weight.isna()
        if weight[keep].notna().any() and no_weight.any():
            findings.warning(file, f"{int(no_weight.sum())} respondent(en) hebben geen gewicht; zij krijgen het "
                             "gemiddelde gewicht van hun wijk", "vul het gewicht voor alle respondenten in",
                             column=cols["gewicht"])
    else:
        weight = pd.Series(np.nan, index=table.index)

    # items
    item_values: dict[str, pd.Series] = {}
    allowed: dict[str, set[float]] = {}
    scale_of: dict[str, list[str]] = {}
    for name, scale in cb["schalen"].items():
        for item in scale["items"]:
            allowed.setdefault(item, set()).update(scale["codes"], scale["ontbrekend"])
            scale_of.setdefault(item, []).append(name)
    not_number = _Reporter(findings, file, "waarschuwing", "schrijf het antwoord als code uit codeboek.toml",
                           "met een antwoord dat geen getal is")
    outside = _Reporter(findings, file, "waarschuwing",
                        "corrigeer het antwoord of voeg de code toe aan 'codes' of 'ontbrekend' in codeboek.toml",
                        "met een antwoord buiten de codes van het codeboek")
    for item in items:
        if item not in item_cols:
            item_values[item] = pd.Series(np.nan, index=table.index)
            continue
        col = item_cols[item]
        text = _text(table[col])
        values = _number(text)
        nan_text = keep & text.notna() & values.isna()
        not_number.add(rows[nan_text], col, [f"antwoord '{v}' is geen getal en wordt als leeg gelezen"
                                             for v in text[nan_text]])
        valid_codes = sorted(allowed[item])
        out_of_codes = keep & values.notna() & ~values.isin(valid_codes)
        scales_text = ", ".join(f"'{s}'" for s in scale_of[item])
        outside.add(rows[out_of_codes], col,
                    [f"antwoord {_fmt(v)} is geen code van schaal {scales_text} ({_fmt_codes(valid_codes)}) en "
                     "wordt als leeg gelezen" for v in values[out_of_codes]])
        item_values[item] = values.mask(out_of_codes)
    not_number.flush()
    outside.flush()

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
    out = out[keep].reset_index(drop=True)
    out["respondent"] = out["respondent"].astype(str)
    out["buurtcode"] = out["buurtcode"].astype(str)
    out["wijkcode"] = out["wijkcode"].astype(str)
    out["jaar"] = out["jaar"].astype("int64")
    return out


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------

def _item_matrix(respondents: pd.DataFrame, items: list[str]) -> np.ndarray:
    n = len(respondents)
    columns = [
        pd.to_numeric(respondents[i], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if i in respondents.columns else np.full(n, np.nan)
        for i in items
    ]
    return np.column_stack(columns) if columns else np.empty((n, 0))


def _score_scale(respondents: pd.DataFrame, scale: dict[str, Any]) -> np.ndarray:
    items = scale["items"]
    k = len(items)
    answers = _item_matrix(respondents, items)
    codes = np.asarray(scale["codes"], dtype=float)
    low, high = codes.min(), codes.max()
    valid = np.isin(answers, codes)  # NaN and missing codes are not valid
    reverse = np.array([i in scale["omgekeerd"] for i in items], dtype=bool)
    values = np.where(reverse[None, :], low + high - answers, answers)
    n_valid = valid.sum(axis=1)
    enough = n_valid >= scale["min_geldig"]
    safe_n = np.maximum(n_valid, 1)
    if scale["methode"] == "gemiddelde":
        mean = np.where(valid, values, 0.0).sum(axis=1) / safe_n
        score = (mean - low) / (high - low) * 10.0
    elif scale["methode"] == "telling":
        hits = (valid & np.isin(values, scale["telt"])).sum(axis=1).astype(float)
        prorated = np.floor(hits * k / safe_n + 0.5)
        score = np.where(n_valid < k, prorated, hits)
    else:
        score = (valid & np.isin(values, scale["ja"])).any(axis=1).astype(float)
    return np.where(enough, score, np.nan)


def score_respondents(respondents: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Score every respondent on every codebook scale.

    Only answers in the scale's ``codes`` are valid (missing codes and NaN are not).
    Reversed items are recoded first: ``code -> min(codes) + max(codes) - code``.

    - ``gemiddelde``: the mean of the valid (recoded) items rescaled to 0-10,
      ``(mean - min) / (max - min) * 10``.
    - ``telling``: the number of valid (recoded) items whose code is in ``telt``,
      0 .. number of items. With fewer valid items than items (but at least
      ``min_geldig``) the count is prorated, ``count * n_items / n_valid``, and rounded
      half up.
    - ``aandeel``: 1 when a valid (recoded) item is in ``ja``, else 0.

    A respondent with fewer than ``min_geldig`` valid items gets NaN.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The respondents frame with the item columns (missing item columns count as
        unanswered).
    codebook : dict
        The codebook (raw or normalised).

    Returns
    -------
    pandas.DataFrame
        One float column per scale (named after the scale), indexed like ``respondents``.
    """
    cb = _normalised(codebook)
    return pd.DataFrame({name: _score_scale(respondents, scale) for name, scale in cb["schalen"].items()},
                        index=respondents.index, dtype=float)


def respondent_indicator_values(respondents: pd.DataFrame, codebook: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per respondent and codebook indicator, the value that is averaged into the area figure.

    Returns
    -------
    values : pandas.DataFrame
        One column per indicator, indexed like ``respondents``: the 0-10 score
        (gemiddelde) or 0/1 (aandeel, and score >= drempel for a telling); NaN without
        a score.
    kinds : dict
        Indicator to ``"gemiddelde"`` or ``"aandeel"``.
    """
    cb = _normalised(codebook)
    scores = score_respondents(respondents, cb)
    values: dict[str, pd.Series] = {}
    kinds: dict[str, str] = {}
    for name, scale in cb["schalen"].items():
        score = scores[name]
        if scale["methode"] == "telling":
            for key, minimum in scale["drempels"].items():
                values[key] = (score >= minimum).astype(float).where(score.notna())
                kinds[key] = "aandeel"
        else:
            values[scale["indicator"]] = score
            kinds[scale["indicator"]] = scale["methode"]
    return pd.DataFrame(values, index=respondents.index, dtype=float), kinds


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------

def _rake(age: np.ndarray, sex: np.ndarray, age_targets: dict[str, float],
          sex_targets: dict[str, float] | None) -> np.ndarray:
    """Raking weights (before normalisation) for one wijk-year.

    ``age`` and ``sex`` hold the class per respondent (object arrays, NaN when
    unknown). Targets are population shares over the classes present; respondents
    without a class keep weight 1 in that dimension's step.
    """
    w = np.ones(len(age))
    age_known = pd.notna(age)
    sex_known = np.isin(sex, list(sex_targets)) if sex_targets else np.zeros(len(sex), dtype=bool)
    for _ in range(RAKING_MAX_ITER):
        before = w.copy()
        for known, labels, targets in ((age_known, age, age_targets), (sex_known, sex, sex_targets)):
            if not targets or not known.any():
                continue
            total = w[known].sum()
            for label, share in targets.items():
                members = known & (labels == label)
                current = w[members].sum()
                if current > 0:
                    w[members] *= share * total / current
        if not sex_targets or np.max(np.abs(w - before)) < RAKING_TOLERANCE:
            break
    return w


def _population_shares(row: pd.Series, present: Iterable[str]) -> dict[str, float] | None:
    """Population shares of the present age classes, renormalised to 1; None when unknown."""
    present = [c for c in model.AGE_CLASSES if c in set(present)]
    if not present:
        return None
    raw = {c: pd.to_numeric(row.get(model.AGE_CLASS_COLUMNS[c]), errors="coerce") for c in present}
    if any(pd.isna(v) or v < 0 for v in raw.values()):
        return None
    total = float(sum(raw.values()))
    if total <= 0:
        return None
    return {c: float(v) / total for c, v in raw.items()}


def _sex_shares(row: pd.Series, sex: np.ndarray) -> dict[str, float] | None:
    men = pd.to_numeric(row.get("mannen"), errors="coerce")
    women = pd.to_numeric(row.get("vrouwen"), errors="coerce")
    if pd.isna(men) or pd.isna(women) or men <= 0 or women <= 0:
        return None
    if not ((sex == "man").any() and (sex == "vrouw").any()):
        return None  # an empty sex cell: collapse the sex dimension
    return {"man": float(men) / float(men + women), "vrouw": float(women) / float(men + women)}


def poststratification_weights(respondents: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.Series:
    """Survey weights per respondent, normalised to mean 1 within each wijk and year.

    Method
    ------
    - When the file gives weights (``gewicht`` not all NaN) they are used as they are;
      a respondent without one gets the mean given weight of the wijk-year (1 when the
      wijk-year has none). Then the weights are normalised to mean 1 per wijk-year.
    - Otherwise the respondents of each wijk and year are weighted to that wijk's CBS
      population (``areas``: the wijken with ``p_00_14`` .. ``p_65_eo``, ``mannen``,
      ``vrouwen``):

      1. Age: only the classes with at least one respondent take part (children
         under 15 usually do not respond); the population shares of those classes are
         renormalised to sum to 1. Each class gets weight
         ``share_pop * n_known / n_class`` so that the weighted age distribution equals
         the population's. Respondents without an age class keep weight 1.
      2. Sex, when ``mannen`` and ``vrouwen`` are known and both men and women
         responded: raking (iterative proportional fitting) on the age margin and the
         man/vrouw margin, alternating until the weights change less than
         :data:`RAKING_TOLERANCE`. Respondents with ``anders`` or no sex take part in
         the age margin only. The CBS gives no age x sex table, so raking on the two
         margins replaces cell weighting; an empty sex category drops the sex margin
         (collapsing the cells), an empty age class drops that class.
      3. A wijk-year whose population shares are unknown (CBS secret) for a class that
         has respondents, or a respondent outside the known wijken, gets weight 1.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The respondents frame (``wijkcode``, ``jaar``, ``leeftijdsklasse``,
        ``geslacht``, ``gewicht``).
    areas : geopandas.GeoDataFrame
        The wijken (``gebiedscode`` and the population columns).

    Returns
    -------
    pandas.Series
        float weights named ``gewicht``, indexed like ``respondents``; mean 1 per wijk-year.
    """
    index = respondents.index
    if respondents.empty:
        return pd.Series(dtype=float, index=index, name="gewicht")
    wijk = respondents["wijkcode"].astype(object).where(respondents["wijkcode"].notna(), "").astype(str)
    year = respondents["jaar"]
    groups = [wijk, year]
    given = (pd.to_numeric(respondents["gewicht"], errors="coerce") if "gewicht" in respondents.columns
             else pd.Series(np.nan, index=index))
    given = given.where(given > 0)
    if given.notna().any():
        w = given.fillna(given.groupby(groups).transform("mean")).fillna(1.0)
    else:
        w = pd.Series(1.0, index=index)
        population = pd.DataFrame(areas).drop(columns="geometry", errors="ignore")
        population = population.drop_duplicates("gebiedscode").set_index("gebiedscode")
        age = respondents["leeftijdsklasse"].astype(object).to_numpy()
        # pandas NA would make `sex == "man"` ambiguous: missing sex becomes None (compares False)
        sex_values = respondents["geslacht"].astype(object)
        sex = sex_values.where(sex_values.notna(), None).to_numpy()
        for (code, _), positions in pd.DataFrame({"w": wijk, "j": year}).groupby(["w", "j"]).indices.items():
            if code not in population.index:
                continue
            row = population.loc[code]
            group_age, group_sex = age[positions], sex[positions]
            age_targets = _population_shares(row, pd.unique(group_age[pd.notna(group_age)]))
            if age_targets is None:
                continue
            w.iloc[positions] = _rake(group_age, group_sex, age_targets, _sex_shares(row, group_sex))
    w = w / w.groupby(groups).transform("mean")
    return w.astype(float).rename("gewicht")


# ---------------------------------------------------------------------------------------------
# Area figures
# ---------------------------------------------------------------------------------------------

def wilson_interval(p: np.ndarray | float, n: np.ndarray | float, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share ``p`` (0-1) from ``n`` (effective) observations.

    ``centre = (p + z^2/2n) / (1 + z^2/n)``,
    ``half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)``.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer, float)) or threshold != int(threshold):
        raise ValueError(f"De drempel voor onderdrukking moet een geheel aantal respondenten zijn, niet {threshold!r}.")
    if threshold < MIN_THRESHOLD:
        raise ValueError(
            f"De drempel voor onderdrukking is {threshold}, maar mag niet lager zijn dan {MIN_THRESHOLD} "
            f"respondenten: met minder zijn antwoorden tot personen te herleiden. Kies {MIN_THRESHOLD} of hoger "
            f"(standaard {DEFAULT_THRESHOLD})."
        )
    return int(threshold)


def _aggregate(long: pd.DataFrame, keys: list[str], kinds: dict[str, str]) -> pd.DataFrame:
    """Weighted figure, n and 95% interval per group of the long respondent-indicator frame."""
    valid = long["x"].notna()
    data = long.assign(
        n=valid.astype(int),
        sw=long["w"].where(valid, 0.0),
        sw2=(long["w"] ** 2).where(valid, 0.0),
        swx=(long["w"] * long["x"]).where(valid, 0.0),
        swx2=(long["w"] * long["x"] ** 2).where(valid, 0.0),
    )
    agg = data.groupby(keys, sort=False)[["n", "sw", "sw2", "swx", "swx2"]].sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = agg["swx"] / agg["sw"]
        n_eff = agg["sw"] ** 2 / agg["sw2"]
        # weighted variance with the reliability-weights correction (equals the sample variance when w = 1)
        var = ((agg["swx2"] - agg["sw"] * mean**2) / (agg["sw"] - agg["sw2"] / agg["sw"])).clip(lower=0)
        half = Z_95 * np.sqrt(var) / np.sqrt(n_eff)
    is_share = agg["indicator"].map(kinds).eq("aandeel").to_numpy()
    p = mean.clip(0, 1)
    wl, wh = wilson_interval(p.to_numpy(), n_eff.to_numpy())
    agg["waarde"] = np.where(is_share, 100 * p, mean.clip(0, 10))
    agg["ci_laag"] = np.where(is_share, np.clip(100 * wl, 0, 100), np.clip(mean - half, 0, 10))
    agg["ci_hoog"] = np.where(is_share, np.clip(100 * wh, 0, 100), np.clip(mean + half, 0, 10))
    return agg


def _secondary_suppression(result: pd.DataFrame, parent_of: pd.Series) -> pd.DataFrame:
    """Suppress extra figures until no parent-children equation has exactly one suppressed figure.

    Every parent figure (wijk, gemeente) is computed from the same respondents as its
    children (buurten of the wijk, wijken of the gemeente) taken together, so
    ``parent ~ combination of children``. An equation is the parent plus its children
    that have valid respondents (``n > 0``; children without any do not enter the
    parent). When exactly one figure of an equation is suppressed it can be recovered
    from the others, so another one is suppressed: the unsuppressed child with the
    smallest ``n`` (ties: lowest code), or the parent when no child is left. This is
    repeated across both levels until nothing changes, so a wijk suppressed within
    the gemeente also gets a suppressed buurt, and so on.
    """
    res = result.copy()
    res["_parent"] = res["gebiedscode"].map(parent_of)
    figure = res["indicator"] != RESPONSE_COUNT_KEY
    keys = ["_parent", "jaar", "indicator"]
    while True:
        changed = False
        for child_level in ("buurt", "wijk"):
            kids = res[figure & (res["niveau"] == child_level) & (res["n"] > 0) & res["_parent"].notna()]
            if kids.empty:
                continue
            parents = res[figure & res["gebiedscode"].isin(kids["_parent"])]
            parent_flag = parents.set_index(["gebiedscode", "jaar", "indicator"])["onderdrukt"]
            parent_flag.index = parent_flag.index.set_names(keys)
            count = kids.groupby(keys)["onderdrukt"].sum()
            total = count.add(parent_flag.reindex(count.index).fillna(0))
            lonely = total[total == 1].index
            if not len(lonely):
                continue
            open_kids = kids[kids["onderdrukt"] == 0].set_index(keys)
            open_kids = open_kids[open_kids.index.isin(lonely)].reset_index()
            pick = open_kids.sort_values(["n", "gebiedscode"]).drop_duplicates(keys)
            if len(pick):
                target = res.set_index(["gebiedscode", "jaar", "indicator"]).index.isin(
                    pd.MultiIndex.from_frame(pick[["gebiedscode", "jaar", "indicator"]]))
                res.loc[target, "onderdrukt"] = 1
                changed = True
            no_kid = lonely.difference(pd.MultiIndex.from_frame(pick[keys])) if len(pick) else lonely
            if len(no_kid):
                target = res.set_index(["gebiedscode", "jaar", "indicator"]).index.isin(no_kid)
                res.loc[target & (res["onderdrukt"] == 0), "onderdrukt"] = 1
                changed = True
        if not changed:
            break
    return res.drop(columns="_parent")


def _empty_survey() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("waarde", "ci_laag", "ci_hoog") else object)
                         for c in SURVEY_COLUMNS})


def _gemeente_codes(ds: model.Dataset, buurtcode: pd.Series) -> pd.Series:
    lookup = pd.Series(dtype=object)
    if len(ds.buurten) and "gemeentecode" in ds.buurten.columns:
        lookup = ds.buurten.drop_duplicates("gebiedscode").set_index("gebiedscode")["gemeentecode"]
    fallback = ds.gemeente_code or (str(ds.gemeente["gebiedscode"].iloc[0]) if len(ds.gemeente) else "GM")
    return buurtcode.map(lookup).astype(object).where(lambda s: s.notna(), fallback).astype(str)


def _gemeente_factor(ds: model.Dataset, wijk: pd.Series, year: pd.Series, w: pd.Series) -> pd.Series:
    """Factor bringing each wijk-year's weights to the wijk's share of the population.

    ``inwoners_wijk / sum(w in the wijk-year)``; 1 for every respondent of a year in
    which a wijk with respondents has no known population.
    """
    inhabitants = pd.Series(dtype=float)
    if len(ds.wijken) and "inwoners" in ds.wijken.columns:
        inhabitants = pd.to_numeric(ds.wijken.drop_duplicates("gebiedscode").set_index("gebiedscode")["inwoners"],
                                    errors="coerce")
    pop = wijk.map(inhabitants).astype(float)
    pop = pop.where(pop > 0)
    usable = pop.notna().groupby(year).transform("all")
    factor = pop / w.groupby([wijk, year]).transform("sum")
    return factor.where(usable, 1.0).fillna(1.0)


def survey_indicators(ds: model.Dataset, years: list[int] | None = None, threshold: int = DEFAULT_THRESHOLD,
                      ) -> pd.DataFrame:
    """Privacy-safe survey figures per buurt, wijk and gemeente.

    For every codebook indicator and year: the weighted mean of the 0-10 scale scores
    (``gemiddelde``) or the weighted share in % (``aandeel``, and every ``drempel`` of
    a ``telling``), with ``n`` (unweighted respondents with a valid score) and a 95%
    interval from the effective sample size ``n_eff = (sum w)^2 / sum w^2``:
    a mean gets ``mean +- 1.96 * sd_w / sqrt(n_eff)`` (``sd_w`` the weighted standard
    deviation with the reliability-weights correction ``sum w (x - mean)^2 /
    (sum w - sum w^2 / sum w)``, which is the sample standard deviation when all
    weights are 1), clipped to 0-10; a share gets the Wilson interval with ``n_eff``,
    clipped to 0-100. Weights come from :func:`poststratification_weights`.

    A wijk or gemeente figure is computed from its respondents directly, never by
    averaging buurt figures. For the gemeente each wijk-year's weights are scaled to
    the wijk's share of the inhabitants, so a wijk that responded well does not count
    for more than its population (skipped for a year in which a wijk with
    respondents has no known population).

    Privacy:

    - ``threshold`` (default 30, never below 10): a figure with ``n < threshold`` is
      suppressed (``waarde``, ``ci_laag``, ``ci_hoog`` NaN, ``onderdrukt = 1``).
    - Secondary suppression: within each parent (the buurten of a wijk, the wijken of
      the gemeente) per indicator and year, the parent and its children with
      respondents form one equation. When exactly one figure in it is suppressed, the
      unsuppressed child with the smallest ``n`` (ties: lowest code) is suppressed too
      (or, without one, the parent); this is repeated over both levels until no
      equation has exactly one suppressed figure. Children without valid answers
      (``n = 0``) and buurten without respondents are not part of the parent, so they
      do not count as a suppressed sibling. So a buurt whose siblings are all
      published and whose wijk is published is never alone in being suppressed, and a
      wijk suppressed only to protect a sibling wijk gets a suppressed buurt as well.
    - Every area-year with respondents gets a ``respondenten_aantal`` row (waarde = n
      = number of respondents): a count that reveals no answers, never suppressed.
      Buurten without respondents get no rows at all.

    Parameters
    ----------
    ds : Dataset
        With ``respondents`` (clean), ``codebook``, ``buurten``, ``wijken``.
    years : list of int, optional
        Years to compute; all years with respondents when None.
    threshold : int
        Minimum number of valid respondents behind a published figure (>= 10).

    Returns
    -------
    pandas.DataFrame
        :data:`SURVEY_COLUMNS`; ``onderdrukt`` is 0/1, ``n`` and ``jaar`` are ints.

    Raises
    ------
    ValueError
        When ``threshold`` is below 10 (Dutch message).
    """
    threshold = _check_threshold(threshold)
    resp = ds.respondents
    if resp is None or resp.empty:
        return _empty_survey()
    resp = resp[resp["buurtcode"].notna()].copy()
    resp["jaar"] = pd.to_numeric(resp["jaar"], errors="coerce").fillna(ds.year).astype("int64")
    if years is not None:
        resp = resp[resp["jaar"].isin([int(y) for y in years])]
    if resp.empty:
        return _empty_survey()
    resp = resp.reset_index(drop=True)
    values, kinds = respondent_indicator_values(resp, ds.codebook)
    w = poststratification_weights(resp, ds.wijken)
    wijk = resp["wijkcode"].astype(str)
    codes = {
        "buurt": resp["buurtcode"].astype(str),
        "wijk": wijk,
        "gemeente": _gemeente_codes(ds, resp["buurtcode"]),
    }
    weights = {"buurt": w, "wijk": w, "gemeente": w * _gemeente_factor(ds, wijk, resp["jaar"], w)}

    parts = []
    for level in model.LEVELS:
        base = pd.DataFrame({"gebiedscode": codes[level], "jaar": resp["jaar"]})
        counts = base.groupby(["gebiedscode", "jaar"], sort=False).size().rename("n").reset_index()
        parts.append(counts.assign(niveau=level, indicator=RESPONSE_COUNT_KEY, waarde=counts["n"].astype(float),
                                   ci_laag=np.nan, ci_hoog=np.nan, onderdrukt=0))
        if values.shape[1] == 0:
            continue
        frame = values.set_axis([f"i_{k}" for k in values.columns], axis=1)
        frame = frame.assign(gebiedscode=codes[level].to_numpy(), jaar=resp["jaar"].to_numpy(),
                             w=weights[level].to_numpy())
        long = frame.melt(id_vars=["gebiedscode", "jaar", "w"], var_name="indicator", value_name="x")
        long["indicator"] = long["indicator"].str.slice(2)
        agg = _aggregate(long, ["gebiedscode", "jaar", "indicator"], kinds)
        agg["niveau"] = level
        agg["onderdrukt"] = (agg["n"] < threshold).astype(int)
        parts.append(agg)
    result = pd.concat(parts, ignore_index=True)

    parent_of = pd.concat([
        pd.Series(resp["wijkcode"].astype(str).to_numpy(), index=codes["buurt"].to_numpy()),
        pd.Series(codes["gemeente"].to_numpy(), index=wijk.to_numpy()),
    ])
    parent_of = parent_of[~parent_of.index.duplicated()]
    result = _secondary_suppression(result, parent_of)
    hidden = result["onderdrukt"] == 1
    result.loc[hidden, ["waarde", "ci_laag", "ci_hoog"]] = np.nan
    result["n"] = result["n"].astype("int64")
    result["jaar"] = result["jaar"].astype("int64")
    result["onderdrukt"] = result["onderdrukt"].astype("int64")
    order = {level: i for i, level in enumerate(model.LEVELS)}
    result = (result.assign(_o=result["niveau"].map(order))
              .sort_values(["_o", "gebiedscode", "jaar", "indicator"]).drop(columns="_o"))
    return result[list(SURVEY_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Respondent profile
# ---------------------------------------------------------------------------------------------

def respondent_profile(ds: model.Dataset, level: str, year: int, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Who responded, per area, next to the CBS population (for the Enquête page).

    Per area of ``level`` with respondents in ``year``: the number of respondents and,
    per age class and per sex, the share of respondents next to the population share.
    Age shares are taken over respondents with a known age class and compared with the
    population shares of the age classes that occur in the survey that year (gemeente
    wide; usually 15+), renormalised to 100. Sex shares are taken over respondents
    who answered man or vrouw and compared with ``mannen`` / ``vrouwen``; ``anders``
    is not shown per area (too few to show safely). ``scheef`` is True when any age
    class differs by more than :data:`SKEW_THRESHOLD_PP` percentage points.

    Only aggregates are returned, never a respondent. An area with fewer than
    ``threshold`` respondents shows its count but no distribution (``onderdrukt = 1``).

    Parameters
    ----------
    ds : Dataset
    level : {"buurt", "wijk", "gemeente"}
    year : int
    threshold : int
        Minimum respondents before a distribution is shown (>= 10, default 30).

    Returns
    -------
    pandas.DataFrame
        Long, :data:`PROFILE_COLUMNS`: ``kenmerk`` is ``leeftijdsklasse`` or ``geslacht``,
        ``categorie`` the class, ``respondenten_pct`` / ``bevolking_pct`` 0-100,
        ``verschil_pp`` their difference, ``scheef`` per area.
    """
    threshold = _check_threshold(threshold)
    areas = ds.areas(level)
    resp = ds.respondents
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PROFILE_COLUMNS})
    if resp is None or resp.empty:
        return empty
    resp = resp[pd.to_numeric(resp["jaar"], errors="coerce") == int(year)]
    if resp.empty:
        return empty
    if level == "buurt":
        code = resp["buurtcode"].astype(str)
    elif level == "wijk":
        code = resp["wijkcode"].astype(str)
    else:
        code = _gemeente_codes(ds, resp["buurtcode"])
    classes = [c for c in model.AGE_CLASSES if (resp["leeftijdsklasse"] == c).any()]
    counts = code.value_counts()
    info = pd.DataFrame(areas).drop(columns="geometry", errors="ignore").drop_duplicates("gebiedscode")
    info = info.set_index("gebiedscode").reindex(counts.index)

    age = pd.crosstab(code, resp["leeftijdsklasse"]).reindex(index=counts.index, columns=classes, fill_value=0)
    age_pct = age.div(age.sum(axis=1).replace(0, np.nan), axis=0) * 100
    pop_age = info.reindex(columns=[model.AGE_CLASS_COLUMNS[c] for c in classes]).apply(pd.to_numeric,
                                                                                         errors="coerce")
    pop_age.columns = classes
    pop_age = pop_age.div(pop_age.sum(axis=1, min_count=len(classes)), axis=0) * 100

    sexes = resp["geslacht"].where(resp["geslacht"].isin(["man", "vrouw"]))
    sex = pd.crosstab(code, sexes).reindex(index=counts.index, columns=["man", "vrouw"], fill_value=0)
    sex_pct = sex.div(sex.sum(axis=1).replace(0, np.nan), axis=0) * 100
    pop_sex = info.reindex(columns=["mannen", "vrouwen"]).apply(pd.to_numeric, errors="coerce")
    pop_sex.columns = ["man", "vrouw"]
    pop_sex = pop_sex.div(pop_sex.sum(axis=1, min_count=2).replace(0, np.nan), axis=0) * 100

    def long(resp_pct: pd.DataFrame, pop_pct: pd.DataFrame, feature: str) -> pd.DataFrame:
        left = resp_pct.rename_axis(index="gebiedscode", columns="categorie").stack()
        right = pop_pct.rename_axis(index="gebiedscode", columns="categorie").stack()
        return pd.DataFrame({"respondenten_pct": left, "bevolking_pct": right.reindex(left.index)}) \
            .reset_index().assign(kenmerk=feature)

    out = pd.concat([long(age_pct, pop_age, "leeftijdsklasse"), long(sex_pct, pop_sex, "geslacht")],
                    ignore_index=True)
    out["respondenten_pct"] = out["respondenten_pct"].astype(float)
    out["bevolking_pct"] = out["bevolking_pct"].astype(float)
    out["verschil_pp"] = out["respondenten_pct"] - out["bevolking_pct"]
    out["respondenten"] = out["gebiedscode"].map(counts).astype("int64")
    out["onderdrukt"] = (out["respondenten"] < threshold).astype("int64")
    out.loc[out["onderdrukt"] == 1, ["respondenten_pct", "verschil_pp"]] = np.nan
    off = (out["kenmerk"] == "leeftijdsklasse") & (out["verschil_pp"].abs() > SKEW_THRESHOLD_PP)
    skewed = off.groupby(out["gebiedscode"]).any()
    out["scheef"] = out["gebiedscode"].map(skewed).astype(bool)
    out["gebiedsnaam"] = out["gebiedscode"].map(info.get("gebiedsnaam", pd.Series(dtype=object)))
    out["niveau"] = level
    out["jaar"] = int(year)
    out = out.sort_values(["gebiedscode", "kenmerk", "categorie"], key=None).reset_index(drop=True)
    return out[list(PROFILE_COLUMNS)]
