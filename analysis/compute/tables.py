"""Shaping the tidy indicator table: wide per level, tidy rows, one level and year, areas below a population."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.formatting import format_number

#: Reason shown for an area left out of a comparison because it has too few inhabitants.
TOO_FEW_INHABITANTS = "te weinig inwoners voor een vergelijking"


def tidy(values: pd.DataFrame, level: str, year: int, bron: str | None = None) -> pd.DataFrame:
    """Wide ``code x indicator`` values to tidy rows (column-major, like ``melt``).

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, indicator, waarde, niveau, jaar`` (and ``bron`` when given); empty when
        ``values`` is.
    """
    if values.shape[1] == 0 or len(values) == 0:
        return pd.DataFrame()
    n, k = values.shape
    long = pd.DataFrame({
        "gebiedscode": np.tile(np.asarray(values.index, dtype=object), k),
        "indicator": np.repeat(np.asarray(values.columns, dtype=object), n),
        "waarde": values.to_numpy(dtype=float, na_value=np.nan).T.ravel(),
    })
    long["niveau"] = level
    long["jaar"] = int(year)
    if bron is not None:
        long["bron"] = bron
    return long


def wide(base: pd.DataFrame, level: str) -> pd.DataFrame:
    """One level's rows as a ``code x indicator`` frame of ``waarde`` (first row wins)."""
    rows = base[(base["niveau"].astype("string") == level).fillna(False).to_numpy(bool)]
    if len(rows) == 0:
        return pd.DataFrame()
    rows = rows.drop_duplicates(["gebiedscode", "indicator"])
    return rows.set_index(["gebiedscode", "indicator"])["waarde"].astype(float).unstack("indicator")


def level_year(table: pd.DataFrame, year: int, level: str) -> pd.DataFrame:
    """The rows of one year and one level of an indicator table."""
    mask = (pd.to_numeric(table["jaar"], errors="coerce") == int(year)) & (table["niveau"].astype("string") == level)
    return table[mask.fillna(False).to_numpy(bool)]


def column(frame: pd.DataFrame, key: str) -> pd.Series:
    """``frame[key]`` as floats, or all NaN when the column is absent."""
    if key in frame.columns:
        return frame[key].astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def per_1000(count: pd.Series, inwoners: pd.Series, min_inhabitants: int = 0) -> pd.Series:
    """``count`` per 1,000 inhabitants; NaN without inhabitants or below ``min_inhabitants``."""
    inw = inwoners.reindex(count.index)
    usable = (inw > 0) & (inw >= min_inhabitants)
    return (count.astype(float) / inw.where(usable) * 1000.0).astype(float)


def comparable(inwoners: pd.Series, min_inhabitants: int) -> pd.Series:
    """Which areas have enough inhabitants for a comparison (unknown counts as comparable).

    An unknown number of inhabitants (NaN) does not exclude an area here: the indicator table then
    has no ``inwoners`` to judge by. :func:`exclusion_reasons` names it.
    """
    return ~(inwoners.astype(float) < float(min_inhabitants)).fillna(False)


def exclusion_reasons(inwoners: pd.Series, min_inhabitants: int) -> pd.Series:
    """Why an area is left out of comparisons: ``""`` when it is not.

    Parameters
    ----------
    inwoners : pandas.Series
        Inhabitants per area code (NaN: unknown).
    min_inhabitants : int
        The minimum (:attr:`analysis.params.IndicatorParams.min_inhabitants`).

    Returns
    -------
    pandas.Series of str
        :data:`TOO_FEW_INHABITANTS` with the number, or ``""``.
    """
    values = inwoners.astype(float)
    out = pd.Series("", index=inwoners.index, dtype=object)
    small = (values < float(min_inhabitants)).fillna(False)
    minimum = format_number(min_inhabitants, 0)
    for code in values.index[small.to_numpy(bool)]:
        out[code] = f"{TOO_FEW_INHABITANTS} ({format_number(values[code], 0)} inwoners, minimaal {minimum})"
    return out
