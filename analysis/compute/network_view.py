"""What the Netwerk page shows of the association network: associations with metrics and positions, ties, bridging."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from analysis.compute.layout import graph_layout
from analysis.compute.network import bridging_bonding, graph_tables, inactive_count, year_network
from analysis.params import IndicatorParams

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Columns of :attr:`NetworkView.associations`.
VIEW_COLUMNS: tuple[str, ...] = (
    "id", "naam", "soort", "wijkcode", "wijk", "leden", "graad", "gewogen_graad", "betweenness",
    "gemeenschap", "x", "y",
)
#: What :attr:`NetworkView.associations` says for an association without a (known) wijk.
NO_WIJK = "zonder wijk"



@dataclass(frozen=True)
class NetworkView:
    """Everything the Netwerk page shows for one year, computed from :func:`year_network`.

    Attributes
    ----------
    year : int
        Measurement year.
    associations : pandas.DataFrame
        :data:`VIEW_COLUMNS`: the active associations with their metrics, wijk name (``wijk``,
        :data:`NO_WIJK` when unknown) and drawing position (``x, y``), sorted by betweenness
        (descending), degree (descending), name.
    edges : pandas.DataFrame
        ``u, v, weight, banden``: the ties between active associations.
    bridging : pandas.DataFrame
        :func:`bridging_bonding` per wijk plus its name (``wijk``), lowest bridging share first.
    inactive : int
        Associations of the year that are not active; they are in no figure.
    density : float
        Density of the whole graph (NaN below two associations). Not comparable with a wijk's.
    betweenness_method : str
        ``"exact"`` or ``"steekproef (k=..., seed=...)"``.
    """

    year: int
    associations: pd.DataFrame
    edges: pd.DataFrame
    bridging: pd.DataFrame
    inactive: int
    density: float
    betweenness_method: str


def _wijk_names(ds: Dataset) -> pd.Series:
    wijken = pd.DataFrame(ds.wijken)
    if len(wijken) == 0:
        return pd.Series(dtype="string")
    names = pd.Series(wijken["gebiedsnaam"].astype("string").to_numpy(),
                      index=pd.Index(wijken["gebiedscode"].astype("string").to_numpy()))
    return names[~names.index.duplicated()]


def network_view(ds: Dataset, year: int, params: IndicatorParams | None = None) -> NetworkView:
    """The Netwerk page's figures of one year: associations, ties, positions, bridging per wijk.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    year : int
        Measurement year.
    params : IndicatorParams, optional
        ``seed`` of the communities and the layout, betweenness sampling (see :func:`year_network`).

    Returns
    -------
    NetworkView
    """
    params = params or IndicatorParams()
    graph, metrics = year_network(ds, year, params)
    nodes, edges = graph_tables(graph)
    names = _wijk_names(ds)
    table = nodes.merge(metrics, on="id", how="left").merge(
        graph_layout(graph, seed=int(params.seed)), on="id", how="left")
    table["wijk"] = table["wijkcode"].map(names).fillna(NO_WIJK).astype("string")
    table = table.sort_values(["betweenness", "graad", "naam", "id"], ascending=[False, False, True, True],
                              kind="stable", na_position="last")
    bridging = bridging_bonding(graph, "wijk")
    bridging.insert(1, "wijk", bridging["gebiedscode"].map(names).fillna(bridging["gebiedscode"]).astype("string"))
    bridging = bridging.sort_values(["overbruggend_pct", "gebiedscode"], na_position="first", kind="stable")
    n = graph.number_of_nodes()
    return NetworkView(
        year=int(year), associations=table[list(VIEW_COLUMNS)].reset_index(drop=True), edges=edges,
        bridging=bridging.reset_index(drop=True), inactive=inactive_count(ds, year),
        density=float(nx.density(graph)) if n >= 2 else math.nan,
        betweenness_method=str(metrics.attrs.get("betweenness_methode", "exact")))


def select_associations(associations: pd.DataFrame, wijken: Iterable[str] = (),
                        soorten: Iterable[str] = ()) -> pd.DataFrame:
    """The associations in the chosen wijken and of the chosen kinds (an empty choice is all).

    Parameters
    ----------
    associations : pandas.DataFrame
        :attr:`NetworkView.associations`.
    wijken, soorten : iterable of str
        Wijk codes and kinds to keep.
    """
    keep = np.ones(len(associations), dtype=bool)
    wijken, soorten = [str(w) for w in wijken], [str(s) for s in soorten]
    if wijken:
        keep &= associations["wijkcode"].astype("string").isin(wijken).fillna(False).to_numpy(bool)
    if soorten:
        keep &= associations["soort"].astype("string").isin(soorten).fillna(False).to_numpy(bool)
    return associations[keep]


def network_summary(associations: pd.DataFrame) -> dict[str, int]:
    """Counts of a selection of :attr:`NetworkView.associations`.

    Returns
    -------
    dict
        ``verenigingen``; ``met_band`` (at least one tie, possibly to an association outside the
        selection); ``zonder_band`` (isolated); ``gemeenschappen`` (distinct communities).
    """
    degree = pd.to_numeric(associations["graad"], errors="coerce").fillna(0)
    return {
        "verenigingen": len(associations),
        "met_band": int((degree > 0).sum()),
        "zonder_band": int((degree == 0).sum()),
        "gemeenschappen": int(associations["gemeenschap"].nunique()),
    }
