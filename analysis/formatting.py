"""The one Dutch number formatter for every figure a person reads: pages, map tooltips, the PNG, readable exports."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

#: What a missing figure reads as; a reason may follow in brackets ("– (te weinig respons)").
MISSING = "–"
#: The minus sign (U+2212), not a hyphen, as Dutch typesetting and the CBS use.
MINUS = "\u2212"

#: Decimals per unit of the indicator registry (its Dutch unit strings): the precision a figure of that unit
#: can carry. Units not listed use the automatic rule of :func:`format_number`.
UNIT_DECIMALS: dict[str, int] = {
    "aantal": 0,
    "%": 0,
    "meter": 0,
    "score 0-10": 1,
    "index (100 = gemiddelde)": 0,
    "per 1.000 inwoners": 1,
    "capaciteit per 1.000 inwoners": 0,
    "ja (1) / nee (0)": 0,
    "rang (1 = hoogste prioriteit)": 0,
    "score 0-100": 0,
    "verhouding 0-1": 2,
}
#: Swaps the English separators for the Dutch ones (``1,234.5`` -> ``1.234,5``).
_DUTCH_SEPARATORS = str.maketrans(",.", ".,")
#: Short suffixes shown after a value of these units (other units are named in the column or axis title).
UNIT_SUFFIX: dict[str, str] = {"%": "%", "meter": " m", "per km²": " per km²"}
#: The words a difference in these units reads with.
DIFFERENCE_SUFFIX: dict[str, str] = {"%": " procentpunt", "meter": " m"}


def _as_float(value: Any) -> float | None:
    """``value`` as a finite float, or None for missing, infinite and non-numeric values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _auto_decimals(number: float) -> int:
    if number.is_integer() or abs(number) >= 100:
        return 0
    if abs(number) < 1:
        return 2
    return 1


def _round_half_away(number: float, places: int) -> float:
    """Round half away from zero (as Excel and the CBS do), not to even: 12,5 -> 13."""
    factor = 10.0 ** places
    return math.copysign(math.floor(abs(number) * factor + 0.5) / factor, number)


def missing(reason: str | None = None) -> str:
    """The text of a missing figure, with its reason when there is one: ``– (te weinig respons)``."""
    return f"{MISSING} ({reason})" if reason else MISSING


def decimals_for(unit: str | None) -> int | None:
    """The number of decimals a figure of ``unit`` is shown with (None: automatic)."""
    return UNIT_DECIMALS.get(str(unit)) if unit is not None else None


def format_number(value: Any, decimals: int | None = None, reason: str | None = None) -> str:
    """A number in Dutch notation: decimal comma, thousands dot, minus sign; ``–`` when missing.

    Parameters
    ----------
    value : float or None
        The number; None, NaN, infinite and non-numeric values are missing.
    decimals : int, optional
        Fixed number of decimals; by default 0 for whole numbers and numbers of 100 or more,
        2 below 1, else 1.
    reason : str, optional
        Why a missing value is missing, shown in brackets after the dash.

    Returns
    -------
    str
        For example ``1.234,5``, ``−0,25``, ``–`` or ``– (te weinig respons)``.

    Examples
    --------
    >>> format_number(1234.5)
    '1.234,5'
    >>> format_number(float("nan"), reason="geheim")
    '– (geheim)'
    """
    number = _as_float(value)
    if number is None:
        return missing(reason)
    places = _auto_decimals(number) if decimals is None else int(decimals)
    text = f"{_round_half_away(number, places):,.{places}f}".translate(_DUTCH_SEPARATORS)
    if text.lstrip("-").strip("0,") == "":  # -0, -0,0: no sign on zero
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def format_value(value: Any, unit: str | None = None, decimals: int | None = None,
                 reason: str | None = None) -> str:
    """A number with its unit's precision and short suffix: ``12%``, ``850 m``, ``6,8``.

    Parameters
    ----------
    value : float or None
        The number.
    unit : str, optional
        A Dutch unit of the registry (``%``, ``meter``, ``score 0-10`` ...); sets the decimals
        (:data:`UNIT_DECIMALS`) and the suffix (:data:`UNIT_SUFFIX`).
    decimals : int, optional
        Overrides the unit's decimals.
    reason : str, optional
        Why a missing value is missing.
    """
    places = decimals if decimals is not None else decimals_for(unit)
    text = format_number(value, places, reason)
    if _as_float(value) is None:
        return text
    return text + UNIT_SUFFIX.get(str(unit), "")


def format_difference(value: Any, unit: str | None = None, decimals: int | None = None) -> str:
    """A signed difference: ``+1,2``, ``−3 procentpunt``, ``+40 m``; ``–`` when missing."""
    number = _as_float(value)
    places = decimals if decimals is not None else decimals_for(unit)
    text = format_number(number, places)
    if number is None:
        return text
    sign = "+" if number > 0 and text.strip("0,") != "" else ""
    return f"{sign}{text}{DIFFERENCE_SUFFIX.get(str(unit), '')}"


def format_numbers(values: Iterable[Any], decimals: int | None = None, unit: str | None = None) -> pd.Series:
    """Many numbers as Dutch strings (see :func:`format_value`); missing as ``–``.

    Parameters
    ----------
    values : pandas.Series or iterable
        The numbers.
    decimals : int, optional
        Fixed decimals; default the unit's, else 0 when every value is whole and 1 otherwise.
    unit : str, optional
        The values' unit.

    Returns
    -------
    pandas.Series
        Strings, with the index of ``values`` when it is a Series.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    numeric = pd.to_numeric(series, errors="coerce").astype("float64")
    places = decimals if decimals is not None else decimals_for(unit)
    if places is None:
        finite = numeric[np.isfinite(numeric)]
        places = 0 if len(finite) == 0 or bool((finite == finite.round()).all()) else 1
    return pd.Series([format_value(v, unit, places) for v in numeric], index=series.index, dtype=object)


def round_for_unit(values: pd.Series, unit: str | None) -> pd.Series:
    """Numbers rounded to their unit's precision (for readable exports); infinite values become missing."""
    numeric = pd.to_numeric(values, errors="coerce").astype("float64").replace([np.inf, -np.inf], np.nan)
    places = decimals_for(unit)
    return numeric if places is None else numeric.round(places)
