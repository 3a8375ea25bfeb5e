"""Change between two measurement years per area and indicator, with a significance test for survey figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import registry
from analysis.compute.intervals import Z_95

#: Columns of :func:`change`.
CHANGE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "niveau", "indicator", "soort", "waarde_van", "waarde_tot", "verschil", "significant",
)


def change(table: pd.DataFrame, baseline: int, year: int) -> pd.DataFrame:
    """Difference per area and indicator between ``baseline`` and ``year``.

    Only area-indicator pairs present in both years, kerncijfers excluded (they are the same
    figure for every year). ``significant`` is only filled for survey figures (kind
    :attr:`analysis.registry.IndicatorKind.ENQUETE`) with an interval in both years: the standard
    errors are derived from the 95% intervals (``(ci_hoog - ci_laag) / (2 * 1.96)``) and the change is
    significant when ``|verschil| / sqrt(se_van^2 + se_tot^2) > 1.96`` (a two-sided z-test at 5%; for
    shares the Wilson interval is treated as symmetric). A suppressed figure in either year gives an
    empty difference.

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS` (``significant`` is a nullable boolean).
    """
    t = table.copy()
    t["jaar"] = pd.to_numeric(t["jaar"], errors="coerce")
    keys = ["gebiedscode", "niveau", "indicator"]
    t["soort"] = registry.kinds(t)
    t = t[t["soort"] != registry.IndicatorKind.KERNCIJFER]
    for col in ("ci_laag", "ci_hoog"):
        if col not in t.columns:
            t[col] = np.nan
    a = t[t["jaar"] == int(baseline)][keys + ["soort", "waarde", "ci_laag", "ci_hoog"]]
    b = t[t["jaar"] == int(year)][keys + ["waarde", "ci_laag", "ci_hoog"]]
    merged = a.merge(b, on=keys, suffixes=("_van", "_tot"))
    if len(merged) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CHANGE_COLUMNS})
    merged["verschil"] = merged["waarde_tot"] - merged["waarde_van"]
    se_a = (merged["ci_hoog_van"] - merged["ci_laag_van"]) / (2 * Z_95)
    se_b = (merged["ci_hoog_tot"] - merged["ci_laag_tot"]) / (2 * Z_95)
    se = pd.Series(np.sqrt(se_a ** 2 + se_b ** 2), index=merged.index)
    survey = merged["soort"].astype(str) == registry.IndicatorKind.ENQUETE
    usable = survey & se.notna() & merged["verschil"].notna()
    z = merged["verschil"].abs() / se.where(se > 0)
    sig = pd.array([pd.NA] * len(merged), dtype="boolean")
    flags = ((z > Z_95) | ((se == 0) & (merged["verschil"] != 0))).to_numpy(bool)
    sig[usable.to_numpy(bool)] = flags[usable.to_numpy(bool)]
    merged["significant"] = sig
    return merged[list(CHANGE_COLUMNS)].reset_index(drop=True)
