"""Supply within reach: the two-step floating catchment area method (2SFCA), over the streets or in a straight line.

Residents use facilities across area borders, so supply is also measured as what lies within
reach: Luo, W. & Wang, F. (2003), "Measures of spatial accessibility to health care in a GIS
environment", Environment and Planning B 30(6), 865-884; the same computation as
``access.Access.two_stage_fca`` of PySAL's ``access`` package. With catchment ``d0`` (the
component's walking norm):

1. for every place ``j``: ``R_j = S_j / sum(P_i for residents i with d_ij <= d0)`` (its supply
   per resident who can reach it; ``S_j`` = 1 per place, or its capacity);
2. for every resident ``i``: ``A_i = sum(R_j for places j with d_ij <= d0)``.

The figure per area is the inhabitant-weighted mean of ``1000 * A_i``: places (or capacity)
within reach per 1,000 residents who can reach them. Distances are walks over the street network
when the dataset has one (:mod:`analysis.compute.routing`), else straight lines, measured to the
place itself (to the edge of a park; 0 inside it). Only residents of the gemeente count as
demand, so places just across the border look less crowded than they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from analysis.components import PLACE_COMPONENT_KEYS, walk_norms_m
from analysis.compute import routing
from analysis.compute.placement import resident_points
from analysis.compute.proximity import (
    _finish_tidy,
    _level_groups,
    _tidy,
    _weighted_by_area,
    facility_access_points,
    has_network,
    year_place_frame,
)

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Residents per which the accessibility score is expressed.
PER_RESIDENTS = 1000.0


def two_step_fca(origin: np.ndarray, place: np.ndarray, demand: np.ndarray, supply: np.ndarray) -> np.ndarray:
    """The 2SFCA accessibility of every origin from its (origin, place) pairs within the catchment.

    Parameters
    ----------
    origin, place : numpy.ndarray
        One row per pair within the catchment (each pair once).
    demand : numpy.ndarray
        Residents at each origin (``P_i``).
    supply : numpy.ndarray
        Supply of each place (``S_j``: 1 per place, or its capacity).

    Returns
    -------
    numpy.ndarray
        ``A_i`` per origin: the sum over the places within reach of their supply per resident
        within their own catchment. 0 for an origin with no place within reach; a place with
        no demand within reach serves nobody.
    """
    demand = np.asarray(demand, dtype=float)
    supply = np.asarray(supply, dtype=float)
    reached = np.bincount(place, weights=demand[origin], minlength=len(supply))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(reached > 0, supply / reached, 0.0)
    return np.bincount(origin, weights=ratio[place], minlength=len(demand))


#: Places per block of straight-line pairs (memory: one block of pairs at a time).
STRAIGHT_BLOCK = 256

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


def _straight_blocks(points_xy: np.ndarray, places: gpd.GeoDataFrame, limit_m: float) -> Iterator[Pairs]:
    """(resident, place, metres) within ``limit_m`` in a straight line, to the place's exact geometry, per block of places.

    Point places through k-d trees (``cKDTree.sparse_distance_matrix``), parks and lines through a
    spatial index and their exact distance (0 inside a park). Every place's pairs come in one block.
    """
    geoms = np.asarray(places.geometry.values, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    residents = cKDTree(points_xy)
    point_part = shapely.get_type_id(parts) == 0
    point_geoms = shapely.points(points_xy)
    for first in range(0, len(geoms), STRAIGHT_BLOCK):
        mine = (owner >= first) & (owner < first + STRAIGHT_BLOCK)
        is_point = mine & point_part
        shaped = mine & ~is_point
        found = []
        if is_point.any():
            near = residents.sparse_distance_matrix(cKDTree(shapely.get_coordinates(parts[is_point])), float(limit_m),
                                                    output_type="ndarray")
            found.append((near["i"], owner[is_point][near["j"]], near["v"]))
        if shaped.any():
            i, k = shapely.STRtree(parts[shaped]).query(point_geoms, predicate="dwithin", distance=float(limit_m))
            found.append((i, owner[shaped][k], shapely.distance(point_geoms[i], parts[shaped][k])))
        yield routing.merge_pairs(found)


def _network_blocks(graph: routing.StreetGraph, points_xy: np.ndarray, places: gpd.GeoDataFrame,
                    limit_m: float) -> Iterator[Pairs]:
    """(resident, place, metres) within ``limit_m`` walking over the network (0 inside a park), per block of places."""
    coords, owner, polygons, polygon_owner = facility_access_points(places)
    origins = routing.cached_snap(graph, points_xy)
    inside = np.empty(0, np.int64), np.empty(0, np.int64)
    if len(polygons):
        at, poly = shapely.STRtree(polygons).query(shapely.points(points_xy), predicate="intersects")
        inside = at, polygon_owner[poly]
    targets = routing.cached_snap(graph, coords)
    done = np.zeros(len(places), bool)
    for o, g, d in routing.iter_pairs_within_m(graph, origins, targets, owner, len(places), limit_m):
        block = np.zeros(len(places), bool)
        block[g] = True
        done |= block
        mine = block[inside[1]]
        yield routing.combine_pairs(o, g, d, (inside[0][mine], inside[1][mine], np.zeros(int(mine.sum()))))
    rest = ~done[inside[1]]  # parks with residents inside but no access point on the network
    if rest.any():
        yield routing.merge_pairs([(inside[0][rest], inside[1][rest], np.zeros(int(rest.sum())))])


def reach_blocks(ds: Dataset, points_xy: np.ndarray, places: gpd.GeoDataFrame, limit_m: float) -> Iterator[Pairs]:
    """The (resident point, place, metres) pairs within ``limit_m``, block by block of places.

    Over the network when the dataset has one, else in a straight line. Every place's pairs come
    in one block, each pair once.
    """
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    if len(points_xy) == 0 or len(places) == 0:
        return iter(())
    if has_network(ds):
        return _network_blocks(routing.prepared_graph(ds.roads), points_xy, places, limit_m)
    return _straight_blocks(points_xy, places, limit_m)


def reach_pairs(ds: Dataset, points_xy: np.ndarray, places: gpd.GeoDataFrame, limit_m: float) -> Pairs:
    """Every (resident point, place) pair within ``limit_m`` (all blocks of :func:`reach_blocks`).

    Returns
    -------
    origin, place, distance_m : numpy.ndarray
        Positions in ``points_xy`` and ``places``; each pair once.
    """
    return routing.merge_pairs(list(reach_blocks(ds, points_xy, places, limit_m)))


def streamed_fca(blocks: Iterable[Pairs], demand: np.ndarray, supplies: list[np.ndarray]) -> list[np.ndarray]:
    """:func:`two_step_fca` for several supplies at once, one block of places at a time.

    Step 1 needs all pairs of a place, which one block holds; step 2 adds each block's ratios to
    the residents' sums, so no block is kept.
    """
    demand = np.asarray(demand, dtype=float)
    scores = [np.zeros(len(demand)) for _ in supplies]
    for origin, place, _ in blocks:
        for score, supply in zip(scores, supplies):
            score += two_step_fca(origin, place, demand, supply)
    return scores


def _unreachable(ds: Dataset, points_xy: np.ndarray, places: gpd.GeoDataFrame) -> np.ndarray:
    """Resident points on a piece of the network that no place of the component is on (their score is unknown)."""
    if not has_network(ds):
        return np.zeros(len(points_xy), bool)
    graph = routing.prepared_graph(ds.roads)
    coords, _, _, _ = facility_access_points(places)
    served = np.unique(routing.reachable_pieces(graph, routing.cached_snap(graph, coords)))
    pieces = routing.reachable_pieces(graph, routing.cached_snap(graph, points_xy))
    return ~np.isin(pieces, served[served >= 0])


def catchment_table(ds: Dataset, year: int, norms_m: dict[str, float] | None = None,
                    points: gpd.GeoDataFrame | None = None,
                    components: Iterable[str] | None = None) -> pd.DataFrame:
    """Supply within reach per 1,000 residents (2SFCA) per buurt, wijk and gemeente for one year.

    For every place component with places in ``year``:

    - ``<c>_bereik_per_1000``: places within the walking norm per 1,000 residents who can reach
      them (every place counts 1);
    - ``<c>_bereik_capaciteit_per_1000``: the same with each place's capacity as its supply,
      only when every place of the component that year has a capacity above 0.

    The area value is the inhabitant-weighted mean of its residents' scores; residents with
    nothing within reach score 0. Over the network, residents who cannot reach any place of the
    component at all (another connected piece) are left out, as in the distance figures.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    year : int
        Measurement year.
    norms_m : dict, optional
        Catchment per component (default the walking norms, :func:`analysis.components.walk_norms_m`).
    points : geopandas.GeoDataFrame, optional
        Precomputed :func:`analysis.compute.placement.resident_points`.
    components : iterable of str, optional
        Components to measure; default all place components.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, jaar, indicator, waarde``.
    """
    norms = walk_norms_m(norms_m)
    points = resident_points(ds) if points is None else points
    xy = points[["x", "y"]].to_numpy(float)
    weight = points["inwoners"].to_numpy(float)
    levels = _level_groups(ds, points)
    rows = []
    for key in (components or PLACE_COMPONENT_KEYS):
        places = year_place_frame(ds, key, year)
        if len(places) == 0:
            continue
        counted = np.where(_unreachable(ds, xy, places), 0.0, weight)
        capacity = places["capaciteit"].to_numpy(float)
        supplies = {f"{key}_bereik_per_1000": np.ones(len(places))}
        if key != "verenigingen" and np.all(np.isfinite(capacity) & (capacity > 0)):
            supplies[f"{key}_bereik_capaciteit_per_1000"] = capacity
        scores = streamed_fca(reach_blocks(ds, xy, places, norms[key]), weight, list(supplies.values()))
        for indicator, score in zip(supplies, scores):
            for level, (codes, group) in levels.items():
                _, means = _weighted_by_area(group, len(codes), counted, {"a": PER_RESIDENTS * score})
                rows.append(_tidy(codes, level, year, indicator, means["a"]))
    return _finish_tidy(rows)


__all__ = ["PER_RESIDENTS", "catchment_table", "reach_blocks", "reach_pairs", "streamed_fca", "two_step_fca"]
