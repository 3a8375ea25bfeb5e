"""The plan page's draft wijkplan: what people type turned into valid plan and measure frames, with Dutch findings.

The plan page (``pages/wijkplan.py``) keeps a draft of the whole plan in the session and downloads it as
``plan.csv`` and ``maatregelen.csv`` (:func:`analysis.load.wijkplan.plan_csv`, :func:`~analysis.load.wijkplan.measures_csv`).
Every line that enters the draft passes :func:`check_plan` or :func:`check_measures` here, with the same rules
as the loaders (:func:`analysis.load.wijkplan.load_plan`, :func:`~analysis.load.wijkplan.load_measures`), so a
downloaded plan always loads back as it was written. Findings name the file the line will be in and its row there
(header = row 1), the column and what to do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.components import COMPONENT_KEYS, COMPONENTS_BY_KEY
from analysis.findings import Finding, Findings
from analysis.load.files import report_rows, to_number
from analysis.load.wijkplan import parse_dates
from analysis.model import MEASURE_COLUMNS, PLAN_COLUMNS
from analysis.registry import IndicatorKind, Registry

__all__ = ["MAX_REASON_CHARS", "MEASURES_FILE", "NOT_A_TARGET", "NOT_A_TARGET_KEYS", "PLAN_FILE", "TARGET_KINDS", "Baseline", "add_measure",
           "add_plan_line", "baseline", "check_measures", "check_plan", "measured_years", "next_measure_id", "same_measures",
           "same_plan", "target_indicators", "typed_numbers"]

#: The file names of the download (and of the manifest's ``[bronnen]`` entries ``plan`` and ``maatregelen``).
PLAN_FILE = "plan.csv"
MEASURES_FILE = "maatregelen.csv"
#: Kinds of indicator no target is set on: the priority figures (a rank among the wijken, not a state of the
#: wijk) and the context figures (inhabitants, age, households: described, never scored, see issue 12).
NOT_A_TARGET: frozenset[IndicatorKind] = frozenset({IndicatorKind.PRIORITEIT, IndicatorKind.KERNCIJFER})
#: Keys no target is set on although their kind allows it: the number of respondents describes the measurement
#: (how many answered), not the wijk.
NOT_A_TARGET_KEYS: frozenset[str] = frozenset({"respondenten_aantal"})
#: The kinds a target can be set on, in the order the plan page offers them: what residents say and the
#: cohesion index first (what a wijkplan usually aims at), then proximity, supply, networks, digital, gaps.
TARGET_KINDS: tuple[IndicatorKind, ...] = tuple(k for k in (
    IndicatorKind.ENQUETE, IndicatorKind.INDEX, IndicatorKind.INFORMEEL, IndicatorKind.NETWERK,
    IndicatorKind.NABIJHEID, IndicatorKind.AANBOD, IndicatorKind.DIGITAAL, IndicatorKind.GAT) if k not in NOT_A_TARGET)
#: A reason is one sentence; longer texts are kept, with a warning.
MAX_REASON_CHARS = 300
#: Years a plan may name (the range of the import assistant's year inputs).
FIRST_YEAR, LAST_YEAR = 1900, 2100
_BLANKS = re.compile(r"\s+")
_MEASURE_ID = re.compile(r"^M(\d+)$", re.IGNORECASE)
#: A number written with Dutch thousands dots only (``1.250``, ``12.500.000``): read as a whole number.
_THOUSANDS_DOTS = re.compile(r"^[-+\u2212]?\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True)
class Baseline:
    """The measurement a plan line starts from.

    Attributes
    ----------
    year : int
        The baseline year.
    value : float
        The value in that year.
    low, high : float
        Its 95% interval (NaN for figures without a margin: registrations, counts).
    """

    year: int
    value: float
    low: float = math.nan
    high: float = math.nan

    @property
    def has_margin(self) -> bool:
        """Whether the value carries an interval (survey figures)."""
        return math.isfinite(self.low) and math.isfinite(self.high)


def _measured(table: pd.DataFrame, code: str | None = None) -> pd.DataFrame:
    """Rows with a value that is not suppressed (optionally of one area)."""
    rows = table[table["waarde"].notna()]
    if "onderdrukt" in rows.columns:
        rows = rows[pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0) != 1]
    if code is not None:
        rows = rows[rows["gebiedscode"].astype(str) == str(code)]
    return rows


def target_indicators(reg: Registry, table: pd.DataFrame, code: str) -> list[str]:
    """The indicators a target can be set on for one area: measured there, not a priority or context figure.

    Parameters
    ----------
    reg : Registry
        The dataset's registry (``ds.registry``).
    table : pandas.DataFrame
        The indicator table of every measured year.
    code : str
        The area (buurt, wijk or gemeente).

    Returns
    -------
    list of str
        Keys by kind in the order of :data:`TARGET_KINDS` (what residents say first), then by label.
    """
    present = set(_measured(table, code)["indicator"].astype(str))
    keys = [k for k in present if k in reg and reg[k].kind in TARGET_KINDS and k not in NOT_A_TARGET_KEYS]
    return sorted(keys, key=lambda k: (TARGET_KINDS.index(reg[k].kind), reg[k].label.lower(), k))


def measured_years(table: pd.DataFrame, code: str, key: str) -> list[int]:
    """The years one area has a (not suppressed) value of one indicator, sorted."""
    rows = _measured(table, code)
    years = pd.to_numeric(rows.loc[rows["indicator"].astype(str) == key, "jaar"], errors="coerce").dropna()
    return sorted({int(y) for y in years})


def baseline(table: pd.DataFrame, code: str, key: str, year: int) -> Baseline | None:
    """The value (and interval) of one area and indicator in one year; None when it was not measured then."""
    rows = _measured(table, code)
    rows = rows[(rows["indicator"].astype(str) == key) & (pd.to_numeric(rows["jaar"], errors="coerce") == int(year))]
    if rows.empty:
        return None
    row = rows.iloc[0]
    bound = {name: float(pd.to_numeric(row.get(name), errors="coerce")) if name in rows.columns else math.nan
             for name in ("ci_laag", "ci_hoog")}
    return Baseline(int(year), float(row["waarde"]), bound["ci_laag"], bound["ci_hoog"])


# ---------------------------------------------------------------------------------------------
# Checking plan lines
# ---------------------------------------------------------------------------------------------

def _text(values: pd.Series) -> pd.Series:
    """Cells as one-line text: blanks collapsed, missing as empty."""
    text = pd.Series(values, dtype="object").map(lambda v: "" if _missing(v) else _BLANKS.sub(" ", str(v)).strip())
    return text.astype("string")


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _whole(values: pd.Series) -> pd.Series:
    """Whole numbers (years) from numbers or text; anything else NaN."""
    numbers = to_number(pd.Series(values, dtype="object").astype("string"), cbs_missing=False)
    return numbers.where(numbers == numbers.round())


def typed_numbers(values: pd.Series) -> pd.Series:
    """Numbers as a Dutch user types them: ``6,9`` and ``6.9`` are 6.9, ``1.250`` is 1250 (a thousands dot).

    One typed value has no column to tell a decimal point from a thousands dot (:func:`analysis.load.files.to_number`
    reads ``1.250`` alone as 1.25); in a Dutch form a dot followed by three digits is a thousands dot.
    Numbers pass unchanged; anything else is NaN.
    """
    raw = pd.Series(values, dtype="object")
    typed = raw.map(lambda v: isinstance(v, str)).astype(bool)
    numbers = pd.to_numeric(raw.where(~typed), errors="coerce").astype("float64")
    text = _text(raw.where(typed)).str.replace("\u2212", "-", regex=False)
    dots = text.str.fullmatch(_THOUSANDS_DOTS.pattern).fillna(False).astype(bool)
    text = text.where(~dots.to_numpy(bool), text.str.replace(".", "", regex=False))
    parsed = to_number(text, cbs_missing=False).astype("float64")
    return parsed.where(typed.to_numpy(bool), numbers).where(lambda x: x.abs() != float("inf"))


def _report(findings: Findings, level: str, file: str, bad: pd.Series, column: str, problem: Any, fix: str) -> None:
    if bad.any():
        report_rows(findings, level, file, bad.index[bad.to_numpy(bool)], column, problem, fix)  # type: ignore[arg-type]


def _plan_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as the six plan columns (absent columns empty), positions as index."""
    given = pd.DataFrame(rows).reset_index(drop=True)
    return given.reindex(columns=list(PLAN_COLUMNS))


def check_plan(rows: pd.DataFrame, area_codes: Iterable[str], indicator_keys: Iterable[str],
               require_reason: bool = False, file: str = PLAN_FILE) -> tuple[pd.DataFrame, Findings]:
    """The plan lines that are valid, as :data:`~analysis.model.PLAN_COLUMNS`, and a finding for every other.

    Parameters
    ----------
    rows : pandas.DataFrame
        Lines with (some of) the columns of ``plan.csv``; cells may be text, numbers or empty.
    area_codes : iterable of str
        The dataset's buurt, wijk and gemeente codes.
    indicator_keys : iterable of str
        The keys of its registry.
    require_reason : bool
        A line without a reason is an error (the plan page's form) instead of a warning (a loaded plan).
    file : str
        The file the lines will be in, for the findings (rows numbered as in that file: header = row 1).

    Returns
    -------
    (pandas.DataFrame, Findings)
        The valid lines (types as :func:`analysis.load.wijkplan.load_plan` gives them) and the findings: a
        ``fout`` leaves the line out, a ``waarschuwing`` keeps it. Two lines for the same area and indicator:
        the last is kept.
    """
    frame = _plan_frame(rows)
    findings = Findings()
    out = pd.DataFrame(index=frame.index)
    out["gebiedscode"] = _text(frame["gebiedscode"]).str.upper()
    out["indicator"] = _text(frame["indicator"])
    out["basisjaar"] = _whole(frame["basisjaar"])
    out["streefwaarde"] = typed_numbers(frame["streefwaarde"])
    target_year = _whole(frame["streefjaar"])
    out["streefjaar"] = target_year.fillna(out["basisjaar"])
    out["reden"] = _text(frame["reden"])
    bad = pd.Series(False, index=frame.index)
    checks = (
        (~out["gebiedscode"].isin(set(area_codes)), "gebiedscode", "onbekend gebied",
         "kies een buurt, de wijk of de gemeente uit de geladen dataset"),
        (~out["indicator"].isin(set(indicator_keys)), "indicator", "onbekende indicator",
         "kies een indicator uit de lijst (het indicatorenregister, pagina Verantwoording)"),
        (~out["basisjaar"].between(FIRST_YEAR, LAST_YEAR), "basisjaar", "het basisjaar ontbreekt of is geen jaartal",
         "kies het jaar van de meting waar het doel van uitgaat"),
        (out["streefwaarde"].isna(), "streefwaarde", "de streefwaarde ontbreekt of is geen getal",
         "vul als streefwaarde een getal in, in de eenheid van de indicator"),
        (~out["streefjaar"].between(FIRST_YEAR, LAST_YEAR) | (target_year.notna() & (target_year < out["basisjaar"])),
         "streefjaar", "het streefjaar ligt voor het basisjaar of is geen jaartal",
         "vul een streefjaar in dat gelijk is aan of later is dan het basisjaar"),
    )
    for mask, column, problem, fix in checks:
        mask = mask.fillna(True).astype(bool)
        _report(findings, "fout", file, mask, column, problem, fix)
        bad |= mask
    no_reason = (out["reden"] == "").fillna(True).astype(bool) & ~bad
    _report(findings, "fout" if require_reason else "waarschuwing", file, no_reason, "reden",
            "er staat geen reden bij het doel", "schrijf in één zin waarom dit doel gekozen is")
    if require_reason:
        bad |= no_reason
    long = (out["reden"].str.len() > MAX_REASON_CHARS).fillna(False).astype(bool) & ~bad
    _report(findings, "waarschuwing", file, long, "reden",
            lambda label: f"de reden is {len(out.loc[label, 'reden'])} tekens lang",
            f"houd het bij één zin (hooguit {MAX_REASON_CHARS} tekens); de tekst is bewaard zoals hij is")
    keep = out[~bad.to_numpy(bool)]
    double = keep.duplicated(["gebiedscode", "indicator"], keep="last")
    _report(findings, "waarschuwing", file, double, "indicator",
            "een tweede doel voor hetzelfde gebied en dezelfde indicator", "het laatste doel telt; verwijder het andere")
    return _plan_types(keep[~double.to_numpy(bool)]), findings


def _plan_types(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reindex(columns=list(PLAN_COLUMNS)).reset_index(drop=True)
    for name in ("gebiedscode", "indicator", "reden"):
        out[name] = out[name].astype("string")
    for name in ("basisjaar", "streefjaar"):
        out[name] = pd.to_numeric(out[name]).round().astype("Int64")
    out["streefwaarde"] = pd.to_numeric(out["streefwaarde"]).astype("float64")
    return out


def add_plan_line(plan: pd.DataFrame, line: Mapping[str, Any], area_codes: Iterable[str],
                  indicator_keys: Iterable[str]) -> tuple[pd.DataFrame, Findings]:
    """The plan with one line added (its reason required); a line for the same area and indicator is replaced.

    Returns the plan unchanged, with the findings, when the line is not valid.
    """
    candidate, findings = check_plan(pd.DataFrame([dict(line)]), area_codes, indicator_keys, require_reason=True,
                                     file=PLAN_FILE)
    findings = _unnumbered(findings)
    if findings.has_errors:
        return _plan_types(pd.DataFrame(plan)), findings
    current = _plan_types(pd.DataFrame(plan))
    new = candidate.iloc[0]
    same = (current["gebiedscode"] == new["gebiedscode"]) & (current["indicator"] == new["indicator"])
    if same.any():
        findings.info(PLAN_FILE, "dit doel vervangt het doel dat er al stond voor dit gebied en deze indicator")
    return _plan_types(pd.concat([current[~same.fillna(False).to_numpy(bool)], candidate], ignore_index=True)), findings


# ---------------------------------------------------------------------------------------------
# Checking measures
# ---------------------------------------------------------------------------------------------

def _unnumbered(findings: Findings) -> Findings:
    """The findings of a line not yet in a file: the file and column, no row."""
    out = Findings()
    out.extend(Finding(f.level, f.file, f.problem, f.fix, None, f.column) for f in findings)
    return out


def next_measure_id(ids: Iterable[Any]) -> str:
    """A new measure id: ``M`` and one more than the highest number of the ``M<number>`` ids (``M04`` after ``M03``)."""
    numbers = [int(m.group(1)) for m in (_MEASURE_ID.match(str(i).strip()) for i in ids if i is not None) if m]
    return f"M{(max(numbers) if numbers else 0) + 1:02d}"


def _fill_ids(ids: pd.Series) -> pd.Series:
    """Ids with every empty one generated (:func:`next_measure_id`), in row order."""
    out = list(ids)
    for i, value in enumerate(out):
        if not value:
            out[i] = next_measure_id(out)
    return pd.Series(out, index=ids.index, dtype="string")


def _dates(values: pd.Series) -> pd.Series:
    """Dates from date objects, timestamps or text written as ``2024-03-01`` or ``1-3-2024``."""
    as_date = pd.to_datetime(pd.Series(values, dtype="object").where(
        pd.Series(values, dtype="object").map(lambda v: hasattr(v, "year"))), errors="coerce")
    return as_date.fillna(parse_dates(_text(values).str.slice(0, 10)))


def check_measures(rows: pd.DataFrame, area_codes: Iterable[str],
                   file: str = MEASURES_FILE) -> tuple[pd.DataFrame, Findings]:
    """The measures that are valid, as :data:`~analysis.model.MEASURE_COLUMNS`, and a finding for every other.

    Parameters
    ----------
    rows : pandas.DataFrame
        Measures with (some of) the columns of ``maatregelen.csv``; dates as dates or as text (``2024-03-01``,
        ``1-3-2024``); an empty ``id`` gets a new one (:func:`next_measure_id`).
    area_codes : iterable of str
        The dataset's buurt, wijk and gemeente codes.
    file : str
        The file the measures will be in, for the findings (header = row 1).

    Returns
    -------
    (pandas.DataFrame, Findings)
        A ``fout`` (no name, unknown component or area, no start date, an end before the start, a negative
        budget) leaves the measure out; a second measure with the same id gets a new id, with a warning.
    """
    frame = pd.DataFrame(rows).reset_index(drop=True).reindex(columns=list(MEASURE_COLUMNS))
    findings = Findings()
    out = pd.DataFrame(index=frame.index)
    for name in ("id", "naam", "component", "gebiedscode", "omschrijving"):
        out[name] = _text(frame[name])
    out["gebiedscode"] = out["gebiedscode"].str.upper()
    out["component"] = out["component"].str.lower().map(lambda c: _component_key(str(c))).astype("string")
    out["startdatum"], out["einddatum"] = _dates(frame["startdatum"]), _dates(frame["einddatum"])
    out["budget"] = typed_numbers(frame["budget"])
    written_end = _text(frame["einddatum"]) != ""
    checks = (
        (out["naam"] == "", "naam", "de maatregel heeft geen naam", "geef de maatregel een korte naam"),
        (~out["component"].isin(COMPONENT_KEYS), "component", "onbekende component",
         f"kies een van {', '.join(COMPONENT_KEYS)}"),
        (~out["gebiedscode"].isin(set(area_codes)), "gebiedscode", "onbekend gebied",
         "kies een buurt, de wijk of de gemeente uit de geladen dataset"),
        (out["startdatum"].isna(), "startdatum", "de startdatum ontbreekt of is geen datum",
         "schrijf de datum als 1-9-2025 of 2025-09-01"),
        ((written_end & out["einddatum"].isna()) | (out["einddatum"] < out["startdatum"]), "einddatum",
         "de einddatum is geen datum of ligt voor de startdatum", "laat de einddatum leeg of kies een datum na de start"),
        (out["budget"] < 0, "budget", "het budget is negatief", "vul het budget in euro in (0 of meer), of laat het leeg"),
    )
    bad = pd.Series(False, index=frame.index)
    for mask, column, problem, fix in checks:
        mask = mask.fillna(False).astype(bool)
        _report(findings, "fout", file, mask, column, problem, fix)
        bad |= mask
    keep = out[~bad.to_numpy(bool)].copy()
    double = keep["id"].ne("") & keep["id"].duplicated(keep="first")
    _report(findings, "waarschuwing", file, double, "id", "dit id staat al bij een andere maatregel",
            "de maatregel kreeg een nieuw id")
    keep.loc[double.to_numpy(bool), "id"] = ""
    keep["id"] = _fill_ids(keep["id"])
    return _measure_types(keep), findings


def _component_key(text: str) -> str:
    """A component key from its key or its Dutch label (``Ontmoeting`` -> ``ontmoeting``)."""
    if text in COMPONENT_KEYS:
        return text
    by_label = {c.label.lower(): k for k, c in COMPONENTS_BY_KEY.items()}
    return by_label.get(text.lower(), text)


def _measure_types(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reindex(columns=list(MEASURE_COLUMNS)).reset_index(drop=True)
    for name in ("id", "naam", "component", "gebiedscode", "omschrijving"):
        out[name] = out[name].astype("string")
    for name in ("startdatum", "einddatum"):
        out[name] = pd.to_datetime(out[name], errors="coerce").dt.normalize()
    out["startjaar"] = out["startdatum"].dt.year.astype("Int64")
    out["budget"] = pd.to_numeric(out["budget"], errors="coerce").astype("float64")
    return out


def add_measure(measures: pd.DataFrame, measure: Mapping[str, Any],
                area_codes: Iterable[str]) -> tuple[pd.DataFrame, Findings]:
    """The measures with one added (id generated); unchanged, with the findings, when it is not valid."""
    current = _measure_types(pd.DataFrame(measures))
    row = {**dict(measure), "id": next_measure_id(current["id"].dropna())}
    candidate, findings = check_measures(pd.DataFrame([row]), area_codes)
    findings = _unnumbered(findings)
    if findings.has_errors:
        return current, findings
    return _measure_types(pd.concat([current, candidate], ignore_index=True)), findings


def same_plan(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two plans hold the same lines in the same order, whatever their dtypes."""
    return _plan_types(pd.DataFrame(a)).to_csv(index=False) == _plan_types(pd.DataFrame(b)).to_csv(index=False)


def same_measures(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two lists of measures hold the same measures in the same order, whatever their dtypes."""
    return _measure_types(pd.DataFrame(a)).to_csv(index=False) == _measure_types(pd.DataFrame(b)).to_csv(index=False)
