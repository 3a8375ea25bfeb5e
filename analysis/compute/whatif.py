"""What if: the indicator table with planned facilities added, and what changes per wijk."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.components import PLACE_COMPONENT_KEYS
from analysis.compute.indicators import compute_indicators
from analysis.compute.priorities import priorities
from analysis.compute.tables import level_year, wide
from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.model import CRS_RD
from analysis.params import IndicatorParams

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: ``bron`` of facilities added by :func:`what_if`.
PLANNED_SOURCE = "gepland"
#: Columns of :attr:`WhatIfComparison.areas`.
COMPARISON_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "dekking_voor", "dekking_na", "tekort_voor", "tekort_na", "rang_voor", "rang_na",
    "verandert",
)


def _check_planned(planned: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """The planned facilities in EPSG:28992 and their component; a Dutch finding for a bad row."""
    name = "geplande voorzieningen"
    if "component" not in planned.columns:
        raise DatasetError(Finding("fout", name, "de kolom 'component' ontbreekt",
                                   f"geef elke geplande voorziening een component ({', '.join(PLACE_COMPONENT_KEYS)})",
                                   None, "component"))
    plan = planned.to_crs(CRS_RD) if planned.crs is not None and str(planned.crs) != CRS_RD else planned
    plan = plan.set_crs(CRS_RD, allow_override=True) if plan.crs is None else plan
    comp = plan["component"].astype("string").str.strip()
    bad = ~comp.isin(PLACE_COMPONENT_KEYS).fillna(False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DatasetError(Finding("fout", name, f"onbekende component '{comp.iloc[i]}'",
                                   f"kies een van: {', '.join(PLACE_COMPONENT_KEYS)}", i + 1, "component"))
    empty = plan.geometry.isna() | plan.geometry.is_empty
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise DatasetError(Finding("fout", name, "deze geplande voorziening heeft geen locatie",
                                   "teken de voorziening op de kaart of vul coördinaten in", i + 1, "geometry"))
    return plan, comp


def what_if(ds: Dataset, planned: gpd.GeoDataFrame, year: int, params: IndicatorParams | None = None,
            ) -> pd.DataFrame:
    """The indicator table of ``year`` recomputed with planned facilities added.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset (not changed).
    planned : geopandas.GeoDataFrame
        ``component, naam`` and geometry (EPSG:28992; another CRS is converted). ``component``
        is a place component (``verenigingen`` counts as an association location).
    year : int
        Year to recompute.
    params : IndicatorParams, optional
        The session's parameters, as in :func:`analysis.compute.indicators.compute_indicators`.

    Raises
    ------
    DatasetError
        When a planned row has an unknown component, or no geometry.
    """
    plan, comp = _check_planned(planned)
    buurten = ds.buurten[["gebiedscode", "wijkcode", "geometry"]]
    reps = gpd.GeoDataFrame({"i": np.arange(len(plan))}, geometry=plan.geometry.representative_point().values,
                            crs=CRS_RD)
    hit = gpd.sjoin(reps, buurten, how="left", predicate="intersects").drop_duplicates("i").sort_values("i")
    names = plan["naam"].astype("string") if "naam" in plan.columns else pd.Series(
        [f"gepland {i + 1}" for i in range(len(plan))], dtype="string")
    new = gpd.GeoDataFrame({
        "id": [f"gepland-{i + 1}" for i in range(len(plan))], "naam": names.to_numpy(), "component": comp.to_numpy(),
        "soort": "gepland", "capaciteit": np.nan, "bezetting_pct": np.nan, "jaar": int(year),
        "buurtcode": hit["gebiedscode"].to_numpy(), "wijkcode": hit["wijkcode"].to_numpy(), "bron": PLANNED_SOURCE,
    }, geometry=plan.geometry.values, crs=CRS_RD)
    facilities = pd.concat([ds.facilities, new], ignore_index=True) if len(ds.facilities) else new
    changed = dataclasses.replace(ds, facilities=gpd.GeoDataFrame(facilities, geometry="geometry", crs=CRS_RD))
    return compute_indicators(changed, years=[int(year)], params=params)


@dataclass
class WhatIfComparison:
    """What a plan changes, per wijk and for the gemeente.

    Attributes
    ----------
    component : str
        The component looked at.
    coverage_before, coverage_after : float
        The gemeente's share of residents within the component's norm (%).
    gaps_before, gaps_after : int
        Wijken with a gap in the component.
    moved : int
        Wijken whose priority rank changes.
    areas : pandas.DataFrame
        :data:`COMPARISON_COLUMNS`, one row per wijk; ``verandert`` is True where coverage (to 0.1),
        the gap or the rank changes.
    """

    component: str
    coverage_before: float
    coverage_after: float
    gaps_before: int
    gaps_after: int
    moved: int
    areas: pd.DataFrame


def _gemeente_value(table: pd.DataFrame, year: int, key: str) -> float:
    values = wide(level_year(table, year, "gemeente"), "gemeente")
    return float(values[key].iloc[0]) if key in values.columns and len(values) else float("nan")


def compare_what_if(before: pd.DataFrame, after: pd.DataFrame, component: str, year: int,
                    params: IndicatorParams | None = None, level: str = "wijk") -> WhatIfComparison:
    """Compare the indicator table before and after a plan for one component.

    Parameters
    ----------
    before, after : pandas.DataFrame
        The indicator table without and with the planned facilities (:func:`what_if`).
    component : str
        Place component of the plan.
    year : int
        Year.
    params : IndicatorParams, optional
        The session's parameters (the ranks use its weights).
    level : {"wijk", "buurt"}
        Level of the comparison.

    Returns
    -------
    WhatIfComparison
    """
    params = params or IndicatorParams()
    cover, gap = f"{component}_dekking_pct", f"{component}_gat"
    b = wide(level_year(before, year, level), level)
    a = wide(level_year(after, year, level), level).reindex(b.index)
    get = lambda frame, key: frame[key] if key in frame.columns else pd.Series(np.nan, index=frame.index)  # noqa: E731
    rank_b = priorities(before, year, params, level).set_index("gebiedscode")["prioriteit_rang"]
    rank_a = priorities(after, year, params, level).set_index("gebiedscode")["prioriteit_rang"]
    names = level_year(before, year, level).drop_duplicates("gebiedscode").set_index("gebiedscode")["gebiedsnaam"]
    frame = pd.DataFrame({
        "gebiedscode": b.index.astype("string"), "gebiedsnaam": names.reindex(b.index).to_numpy(),
        "dekking_voor": get(b, cover).to_numpy(float), "dekking_na": get(a, cover).to_numpy(float),
        "tekort_voor": (get(b, gap) == 1).to_numpy(bool), "tekort_na": (get(a, gap) == 1).to_numpy(bool),
        "rang_voor": rank_b.reindex(b.index).to_numpy(float), "rang_na": rank_a.reindex(b.index).to_numpy(float),
    })
    same_rank = (frame["rang_voor"] == frame["rang_na"]) | (frame["rang_voor"].isna() & frame["rang_na"].isna())
    before_cover, after_cover = frame["dekking_voor"].round(1), frame["dekking_na"].round(1)
    cover_moved = (before_cover != after_cover) & ~(before_cover.isna() & after_cover.isna())
    frame["verandert"] = cover_moved | (frame["tekort_voor"] != frame["tekort_na"]) | ~same_rank
    return WhatIfComparison(
        component, _gemeente_value(before, year, cover), _gemeente_value(after, year, cover),
        int(frame["tekort_voor"].sum()), int(frame["tekort_na"].sum()), int((~same_rank).sum()),
        frame[list(COMPARISON_COLUMNS)].reset_index(drop=True))
