"""SPSS survey files (.sav, .zsav): answers as a text table, value labels and user-missing codes, a draft codebook."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings

#: The SPSS file extensions read (.zsav is the compressed variant).
SPSS_SUFFIXES: tuple[str, ...] = (".sav", ".zsav")
#: Row numbering of SPSS files: the case number (first case = 1), as SPSS's Data View shows it.
ROW_KIND_CASES = "spss"
#: Scoring methods a codebook scale can have (see analysis.compute.survey.parse_codebook).
METHODS: tuple[str, ...] = ("gemiddelde", "telling", "aandeel")
_KEY = re.compile(r"[^a-z0-9_]+")


@dataclass
class SpssTable:
    """A survey read from SPSS.

    Attributes
    ----------
    table : pandas.DataFrame
        One text column per variable (as :func:`analysis.load.files.read_table` gives them: codes
        as ``'3'``, empty cells missing), 0-based index; ``attrs['row_kind']`` is :data:`ROW_KIND_CASES`.
    variable_labels : dict
        Variable -> its label (the question), for the variables that have one.
    value_labels : dict
        Variable -> {code: label}: the answer codes.
    missing : dict
        Variable -> the user-missing codes (``weet niet``, ``geen antwoord``).
    """

    table: pd.DataFrame
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    missing: dict[str, list[float]] = field(default_factory=dict)

    def items(self) -> list[str]:
        """The variables with answer codes (value labels): the candidate items of the codebook."""
        return [v for v in self.table.columns if v in self.value_labels]


def _as_text(values: pd.Series) -> pd.Series:
    """A column as text the way a CSV gives it: whole numbers without ``.0``, empty cells missing."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        whole = numbers.notna() & np.isfinite(numbers) & (numbers % 1 == 0)
        text = pd.Series(pd.NA, index=values.index, dtype="string")
        text[whole] = numbers[whole].astype("int64").astype(str)
        other = numbers.notna() & ~whole
        text[other] = numbers[other].map(repr)
        return text
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype("string")
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _missing_codes(ranges: Mapping[str, list], user_values: Mapping[str, list]) -> dict[str, list[float]]:
    """User-missing codes per variable from pyreadstat's ranges (``lo``..``hi``, whole codes) and discrete values."""
    out: dict[str, list[float]] = {}
    for variable, spans in ranges.items():
        codes: set[float] = set()
        for span in spans:
            lo, hi = span.get("lo"), span.get("hi")
            if isinstance(lo, int | float) and isinstance(hi, int | float) and math.isfinite(lo) and math.isfinite(hi):
                if hi - lo <= 100:
                    codes.update(float(c) for c in range(math.ceil(lo), math.floor(hi) + 1))
                else:  # an open range such as 'LOWEST THRU -1': only its ends are real codes
                    codes.update((float(lo), float(hi)))
        if codes:
            out[str(variable)] = sorted(codes)
    for variable, values in user_values.items():
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        if numbers:
            out[str(variable)] = sorted(set(out.get(str(variable), [])) | set(numbers))
    return out


def read_spss(path: Path | str, file: str | None = None) -> SpssTable:
    """Read an SPSS ``.sav`` or ``.zsav`` survey file with its value labels and user-missing codes.

    User-missing codes are kept as their codes (as a CSV export would give them), so that the
    codebook's ``ontbrekend`` treats them the same way for both formats.

    Parameters
    ----------
    path : path-like
        The file.
    file : str, optional
        The name for messages.

    Returns
    -------
    SpssTable

    Raises
    ------
    DatasetError
        When the file is missing, empty or not an SPSS file.
    """
    import pyreadstat

    path = Path(path)
    file = file or path.name
    if not path.is_file():
        raise DatasetError(Finding("fout", file, "het bestand bestaat niet", "zet het bestand in de datasetmap"))
    if path.stat().st_size == 0:
        raise DatasetError(Finding("fout", file, "het bestand is leeg", "sla de enquête opnieuw op vanuit SPSS"))
    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True, disable_datetime_conversion=False)
    except Exception as exc:  # pyreadstat raises its own types; the user gets Dutch text
        raise DatasetError(Finding("fout", file, f"het bestand is niet te lezen als SPSS-bestand ({type(exc).__name__}: {str(exc)[:160]})",
                                   "sla het in SPSS opnieuw op als .sav (Bestand, Opslaan als), of exporteer het als CSV")) from None
    if frame.empty:
        raise DatasetError(Finding("fout", file, "het SPSS-bestand heeft geen respondenten (geen rijen)",
                                   "controleer of het juiste bestand is opgeslagen"))
    table = pd.DataFrame({str(c): _as_text(frame[c]) for c in frame.columns}, index=pd.RangeIndex(len(frame)))
    table.attrs["row_kind"] = ROW_KIND_CASES
    labels = {str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v}
    values = {str(k): {float(code): str(text) for code, text in v.items() if isinstance(code, int | float)}
              for k, v in (meta.variable_value_labels or {}).items()}
    missing = _missing_codes(meta.missing_ranges or {}, getattr(meta, "missing_user_values", None) or {})
    return SpssTable(table, labels, {k: v for k, v in values.items() if v}, missing)


def read_answers(path: Path | str, findings: Findings, file: str | None = None) -> pd.DataFrame:
    """The survey answers as a text table, from SPSS (``.sav``, ``.zsav``) or a CSV/Excel table.

    The one reader of the respondents file, so that the same answers give the same figures in
    either format.
    """
    from analysis.load.files import read_table

    if Path(path).suffix.lower() in SPSS_SUFFIXES:
        return read_spss(path, file).table
    return read_table(path, findings, file)


# ---------------------------------------------------------------------------------------------
# Draft codebook
# ---------------------------------------------------------------------------------------------

def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _toml_text(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def scale_key(name: str) -> str:
    """A TOML-safe scale key from a name the user typed (``Sociale samenhang`` -> ``sociale_samenhang``)."""
    key = _KEY.sub("_", str(name).strip().lower()).strip("_")
    return key if key and key[0].isalpha() else f"schaal_{key}".strip("_")


@dataclass(frozen=True)
class ScaleChoice:
    """Which items form one scale, as the user said, and how it is scored.

    Attributes
    ----------
    name : str
        The scale's name (becomes ``[schalen.<key>]`` and its label).
    items : tuple of str
        The variables of the scale.
    method : {"gemiddelde", "telling", "aandeel"}
        How the scale is scored.
    reversed_items : tuple of str
        Items asked the other way round.
    indicator : str, optional
        The indicator key (``cohesie_score``); default the scale key.
    """

    name: str
    items: tuple[str, ...]
    method: str = "gemiddelde"
    reversed_items: tuple[str, ...] = ()
    indicator: str | None = None


def _scale_codes(survey: SpssTable, items: tuple[str, ...]) -> tuple[list[float], list[float]]:
    """Valid and missing codes of a group of items (the union over the items)."""
    missing = sorted({c for item in items for c in survey.missing.get(item, [])})
    codes = sorted({c for item in items for c in survey.value_labels.get(item, {})} - set(missing))
    return codes, missing


def _scale_block(survey: SpssTable, choice: ScaleChoice) -> list[str]:
    key = scale_key(choice.name)
    codes, missing = _scale_codes(survey, choice.items)
    method = choice.method if choice.method in METHODS else "gemiddelde"
    lines = [f"[schalen.{key}]", f"label = {_toml_text(choice.name)}", f'methode = "{method}"',
             "items = [" + ", ".join(_toml_text(i) for i in choice.items) + "]",
             "codes = [" + ", ".join(_number(c) for c in codes) + "]"]
    if missing:
        lines.append("ontbrekend = [" + ", ".join(_number(c) for c in missing) + "]   # uit SPSS: user-missing")
    if choice.reversed_items:
        lines.append("omgekeerd = [" + ", ".join(_toml_text(i) for i in choice.reversed_items) + "]")
    indicator = choice.indicator or (f"{key}_score" if method == "gemiddelde" else f"{key}_pct")
    if method == "telling":
        lines.append(f"telt = [{_number(codes[0]) if codes else 1}]   # welke antwoorden tellen (controleer dit)")
        lines.append(f"drempels = {{ {indicator} = {max(1, len(choice.items) // 2)} }}   # controleer de drempel")
    elif method == "aandeel":
        lines.append(f"ja = [{_number(codes[0]) if codes else 1}]   # welke antwoorden 'ja' zijn (controleer dit)")
        lines.append(f'indicator = "{indicator}"')
    else:
        lines.append(f'indicator = "{indicator}"')
    return lines


def draft_codebook(survey: SpssTable, name: str, scales: tuple[ScaleChoice, ...] = ()) -> str:
    """A codebook (``codeboek.toml``) drafted from an SPSS file's value labels and user-missing codes.

    Every scale the user named becomes a ``[schalen.<naam>]`` block with its codes and missing
    codes from SPSS. The items not in a scale are listed as comments with their question and
    answer codes, so the user can complete the codebook by naming which items form which scale.

    Parameters
    ----------
    survey : SpssTable
        The survey as read by :func:`read_spss`.
    name : str
        The survey's name (``[codeboek] naam``).
    scales : tuple of ScaleChoice
        The scales the user named (may be empty: then the file is only a draft).

    Returns
    -------
    str
        TOML text with Dutch comments; without scales it has no ``[schalen]`` yet and is not usable.
    """
    all_missing = sorted({c for codes in survey.missing.values() for c in codes})
    lines = [f"# Codeboek van {name}, opgesteld uit de waardelabels en ontbrekende waarden van het SPSS-bestand.",
             "# Vul aan: zet per schaal de vragen die erbij horen onder [schalen.<naam>], kies de methode",
             "# (gemiddelde: score 0-10, telling: aantal antwoorden boven een drempel, aandeel: % 'ja') en",
             "# geef de omgekeerd gestelde vragen op in omgekeerd. Zie data/templates/codeboek.toml.",
             "[codeboek]", f"naam = {_toml_text(name)}",
             "ontbrekend = [" + ", ".join(_number(c) for c in all_missing) + "]   # user-missing in SPSS", ""]
    used: set[str] = set()
    for choice in scales:
        if choice.items:
            lines += _scale_block(survey, choice) + [""]
            used.update(choice.items)
    rest = [item for item in survey.items() if item not in used]
    if rest:
        lines.append("# Vragen met antwoordcodes die nog in geen schaal staan:")
        for item in rest:
            question = survey.variable_labels.get(item, "")
            codes = "; ".join(f"{_number(c)} = {t}" for c, t in sorted(survey.value_labels[item].items()))
            missing = survey.missing.get(item)
            extra = f" (ontbrekend: {', '.join(_number(c) for c in missing)})" if missing else ""
            lines.append(f"#   {item}: {question} [{codes}]{extra}".replace("\n", " "))
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["METHODS", "ROW_KIND_CASES", "SPSS_SUFFIXES", "ScaleChoice", "SpssTable", "draft_codebook", "read_answers",
           "read_spss", "scale_key"]
