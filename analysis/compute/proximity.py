"""Proximity: where residents live, their distance to the nearest facility (over the streets or straight), coverage, white spots."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from analysis.components import PLACE_COMPONENT_KEYS, component, walk_norms_m
from analysis.compute import routing
from analysis.compute.placement import (  # re-exported: placement used to live here
    GRID_SIZE_M,
    PLACEMENT_LABELS,
    _valid_geometry,
    grid_centres,
    placement_by_area,
    placement_method,
    resident_points,
)
from analysis.findings import Findings
from analysis.model import CRS_RD, belongs_to_year

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Spacing in metres of the points placed on polygon and line boundaries of facilities.
#: Measuring to these points instead of to the boundary itself overestimates a distance by at
#: most half the spacing (12.5 m): for a point at distance d from a boundary segment, the
#: nearest boundary point lies within sqrt(d^2 + (s/2)^2) <= d + s/2.
DENSIFY_STEP_M = 25.0

#: Dutch labels of the two ways a distance is measured.
DISTANCE_NETWORK = "over het stratennet (lopen)"
DISTANCE_STRAIGHT = "hemelsbreed"

_TIDY_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "jaar", "indicator", "waarde")


def has_network(ds: Dataset) -> bool:
    """True when the dataset has a street network (distances are then walks over it)."""
    return ds.roads is not None and len(ds.roads) > 0


def distance_method(ds: Dataset) -> str:
    """Dutch label of how distances are measured: ``"over het stratennet (lopen)"`` or ``"hemelsbreed"``."""
    return DISTANCE_NETWORK if has_network(ds) else DISTANCE_STRAIGHT


def method_note(ds: Dataset) -> str:
    """One Dutch sentence on how every proximity figure was measured, for pages, the PNG and Verantwoording.

    For example "Inwoners op hun adres (adressen (BAG)); afstanden over het stratennet (lopen)" or
    "Inwoners gelijkmatig over de buurt verdeeld; afstanden hemelsbreed (in rechte lijn)".
    """
    from analysis.compute.placement import placement_method

    placement = placement_method(ds)
    where = (f"Inwoners op hun adres ({placement})" if placement.startswith("adressen")
             else f"Inwoners volgens {placement}" if placement.startswith("CBS")
             else "Inwoners gelijkmatig over de buurt verdeeld")
    distance = distance_method(ds)
    how = "afstanden over het stratennet (lopen)" if distance == DISTANCE_NETWORK else "afstanden hemelsbreed (in rechte lijn)"
    return f"{where}; {how}"


def source_label(ds: Dataset, placement: str) -> str:
    """The ``bron`` of a figure that depends on placement and distance."""
    return f"registratie; inwoners: {placement}; afstand: {distance_method(ds)}"


def _geometry_array(facilities: object) -> np.ndarray:
    if isinstance(facilities, gpd.GeoDataFrame):
        values = facilities.geometry.values
    elif isinstance(facilities, gpd.GeoSeries):
        values = facilities.values
    else:
        values = facilities
    geoms = np.asarray(values, dtype=object).ravel()
    if len(geoms) == 0:
        return geoms
    geoms = geoms[~(pd.isna(geoms) | shapely.is_empty(geoms))]
    return shapely.get_parts(geoms) if len(geoms) else geoms


def facility_targets(facilities: object, step_m: float = DENSIFY_STEP_M) -> tuple[np.ndarray, np.ndarray]:
    """Points to measure distances to, and the polygons that count as distance 0.

    Parameters
    ----------
    facilities : GeoDataFrame, GeoSeries or array of shapely geometries
        Points, lines and polygons (multi-parts and collections are split).
    step_m : float, default :data:`DENSIFY_STEP_M`
        Spacing of the points placed on lines and polygon boundaries.

    Returns
    -------
    coords : numpy.ndarray
        ``(n, 2)`` target coordinates: facility points, plus boundary points of polygons
        and lines every ``step_m`` metres.
    polygons : numpy.ndarray
        Polygon parts; a resident inside one is at distance 0.
    """
    geoms = _geometry_array(facilities)
    if len(geoms) == 0:
        return np.empty((0, 2)), np.empty(0, dtype=object)
    kind = shapely.get_type_id(geoms)
    polygons = geoms[kind == 3]
    lines = np.concatenate([shapely.boundary(polygons), geoms[(kind == 1) | (kind == 2)]])
    parts = [shapely.get_coordinates(geoms[kind == 0])]
    if len(lines):
        parts.append(shapely.get_coordinates(shapely.segmentize(lines, step_m)))
    coords = np.vstack(parts)
    return coords[np.isfinite(coords).all(axis=1)], polygons


def nearest_distance_m(points_xy: np.ndarray, facilities: object,
                       step_m: float = DENSIFY_STEP_M) -> np.ndarray:
    """Straight-line distance in metres from each point to the nearest facility.

    Points are measured with a k-d tree (``scipy.spatial.cKDTree``). Polygons (parks,
    squares) count from their boundary, and as 0 for a point inside; the boundary is
    approximated by points every ``step_m`` metres (error at most ``step_m / 2``).

    Parameters
    ----------
    points_xy : numpy.ndarray
        ``(n, 2)`` coordinates in EPSG:28992.
    facilities : GeoDataFrame, GeoSeries or array of shapely geometries
        Facilities in EPSG:28992, anywhere (also outside the gemeente).
    step_m : float, default :data:`DENSIFY_STEP_M`
        Boundary point spacing.

    Returns
    -------
    numpy.ndarray
        Distances in metres; ``inf`` everywhere when there are no facilities.
    """
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    coords, polygons = facility_targets(facilities, step_m)
    if len(points_xy) == 0:
        return np.empty(0)
    if len(coords) == 0:
        return np.full(len(points_xy), np.inf)
    distance, _ = cKDTree(coords).query(points_xy, k=1)
    distance = np.asarray(distance, dtype=float)
    if len(polygons):
        inside, _ = shapely.STRtree(polygons).query(shapely.points(points_xy), predicate="intersects")
        distance[np.unique(inside)] = 0.0
    return distance


def network_distance_m(graph: routing.StreetGraph, points_xy: np.ndarray, facilities: object,
                       step_m: float = DENSIFY_STEP_M) -> np.ndarray:
    """Walking distance in metres over the street network from each point to the nearest facility.

    Points and facility access points (facility points; boundary points of parks and lines every
    ``step_m`` metres, see :func:`facility_targets`) are snapped onto the nearest segment and
    the walk includes both snap distances (:mod:`analysis.compute.routing`). A point inside a
    polygon facility is at 0. The residents' snaps are cached, so every component and year
    reuses them.

    Returns
    -------
    numpy.ndarray
        Metres; ``inf`` for a point that cannot reach any facility over the network (another
        connected piece), and everywhere when there are no facilities.
    """
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    coords, polygons = facility_targets(facilities, step_m)
    if len(points_xy) == 0:
        return np.empty(0)
    if len(coords) == 0:
        return np.full(len(points_xy), np.inf)
    origins = routing.cached_snap(graph, points_xy)
    distance = routing.nearest_m(graph, origins, routing.cached_snap(graph, coords))
    if len(polygons):
        inside, _ = shapely.STRtree(polygons).query(shapely.points(points_xy), predicate="intersects")
        distance[np.unique(inside)] = 0.0
    return distance


def distances_m(ds: Dataset, points_xy: np.ndarray, facilities: object) -> np.ndarray:
    """Distance from each point to the nearest facility, as :func:`distance_method` says.

    Over ``ds.roads`` (:func:`network_distance_m`) when the dataset has a street network,
    else the straight line (:func:`nearest_distance_m`).
    """
    if has_network(ds):
        return network_distance_m(routing.prepared_graph(ds.roads), points_xy, facilities)
    return nearest_distance_m(points_xy, facilities)


def year_place_frame(ds: Dataset, component_key: str, year: int) -> gpd.GeoDataFrame:
    """The places of one component in one year with their ``capaciteit`` (NaN when unknown).

    Facilities tagged with the component that belong to ``year`` (:func:`analysis.model.belongs_to_year`);
    for ``verenigingen`` also the active associations of that year (capacity unknown). Places
    without a location are left out.
    """
    geoms: list[np.ndarray] = []
    capacity: list[np.ndarray] = []
    fac = ds.facilities
    if len(fac):
        mask = (pd.Series(fac["component"]).astype("string") == component_key).fillna(False).to_numpy(bool)
        mask &= belongs_to_year(fac, year, ds.year).to_numpy(bool)
        geoms.append(np.asarray(fac.geometry.values, dtype=object)[mask])
        capacity.append(pd.to_numeric(pd.Series(fac["capaciteit"]), errors="coerce").to_numpy(float)[mask]
                        if "capaciteit" in fac.columns else np.full(int(mask.sum()), np.nan))
    if component_key == "verenigingen" and len(ds.associations):
        assoc = ds.associations
        active = (pd.Series(assoc["actief"]).astype("boolean").fillna(False).to_numpy(bool)
                  if "actief" in assoc.columns else np.ones(len(assoc), bool))
        active = active & belongs_to_year(assoc, year, ds.year).to_numpy(bool)  # not in place: a view of ds
        geoms.append(np.asarray(assoc.geometry.values, dtype=object)[active])
        capacity.append(np.full(int(active.sum()), np.nan))
    values = np.concatenate(geoms) if geoms else np.empty(0, object)
    cap = np.concatenate(capacity) if capacity else np.empty(0)
    ok = _valid_geometry(values)
    return gpd.GeoDataFrame({"capaciteit": cap[ok]}, geometry=gpd.GeoSeries(values[ok], crs=CRS_RD), crs=CRS_RD)


def year_places(ds: Dataset, component_key: str, year: int) -> gpd.GeoSeries:
    """Geometries of one place component in one year (see :func:`year_place_frame`)."""
    return gpd.GeoSeries(year_place_frame(ds, component_key, year).geometry.values, crs=CRS_RD)


def _group_codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 when absent)."""
    return index.get_indexer(pd.Index(pd.Series(values).astype("string")))


def _weighted_by_area(group: np.ndarray, n_groups: int, weight: np.ndarray,
                      columns: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    ok = group >= 0
    total = np.bincount(group[ok], weights=weight[ok], minlength=n_groups)
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, values in columns.items():
            s = np.bincount(group[ok], weights=(weight * values)[ok], minlength=n_groups)
            out[name] = np.where(total > 0, s / total, np.nan)
    return total, out


def _measured(ds: Dataset, year: int, points: gpd.GeoDataFrame,
              components: Iterable[str] | None) -> Iterator[tuple[str, np.ndarray]]:
    """``(component, distance per resident point)`` for every place component with places in ``year``."""
    xy = points[["x", "y"]].to_numpy(float)
    for key in (components or PLACE_COMPONENT_KEYS):
        places = year_places(ds, key, year)
        if len(places):
            yield key, distances_m(ds, xy, places)


def _tidy(codes: pd.Index, level: str, year: int, key: str, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"gebiedscode": codes, "niveau": level, "jaar": int(year), "indicator": key, "waarde": values})


def _distance_rows(key: str, distance: np.ndarray, norm_m: float, weight: np.ndarray, year: int,
                   levels: dict[str, tuple[pd.Index, np.ndarray]]) -> list[pd.DataFrame]:
    """``<c>_afstand_m`` and ``<c>_dekking_pct`` per area; residents who cannot reach a place do not count."""
    reached = np.isfinite(distance)
    w = np.where(reached, weight, 0.0)
    d = np.where(reached, distance, 0.0)
    within = (reached & (distance <= norm_m)).astype(float)
    rows = []
    for level, (codes, group) in levels.items():
        _, means = _weighted_by_area(group, len(codes), w, {"d": d, "w": within})
        rows.append(_tidy(codes, level, year, f"{key}_afstand_m", means["d"]))
        rows.append(_tidy(codes, level, year, f"{key}_dekking_pct", 100.0 * means["w"]))
    return rows


def _finish_tidy(rows: list[pd.DataFrame], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    columns = list(_TIDY_COLUMNS) + list(extra)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            columns, ("string", "string", "int64", "string", "float64", "string"))})
    out = pd.concat(rows, ignore_index=True)
    for col in ("gebiedscode", "niveau", "indicator", *extra):
        out[col] = out[col].astype("string")
    out["jaar"] = out["jaar"].astype("int64")
    out["waarde"] = out["waarde"].astype(float)
    return out[columns]


def proximity_table(ds: Dataset, year: int, norms_m: dict[str, float] | None = None,
                    points: gpd.GeoDataFrame | None = None,
                    components: Iterable[str] | None = None) -> pd.DataFrame:
    """Mean distance and coverage per buurt, wijk and gemeente for one year.

    For every place component with at least one facility in ``year`` (otherwise the
    component is not measured that year: no rows, rather than a false 0):

    - ``<c>_afstand_m``: inhabitant-weighted mean distance from the resident points
      (:func:`resident_points`) to the nearest facility of the component, wherever it lies
      (also outside the area or the gemeente): the walk over the street network when the
      dataset has one, else the straight line (:func:`distances_m`, :func:`distance_method`);
    - ``<c>_dekking_pct``: % of the inhabitants within the component's walking norm.

    Over the network, residents who cannot reach any facility of the component (they live
    on a piece of the network not connected to one) count in neither figure; see
    :func:`network_findings` and the ``<c>_onbereikbaar_inw`` rows of :func:`proximity_indicators`.
    ``verenigingen`` is measured from the active associations of the year plus the
    facility rows tagged ``verenigingen``.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    year : int
        Measurement year (facilities with ``jaar == year``).
    norms_m : dict, optional
        Overrides of the walking norms (see :func:`analysis.components.walk_norms_m`).
    points : geopandas.GeoDataFrame, optional
        Precomputed :func:`resident_points` (to reuse across years).
    components : iterable of str, optional
        Components to measure; default all place components.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, jaar, indicator, waarde``; areas without inhabitants get NaN.
    """
    norms = walk_norms_m(norms_m)
    if points is None:
        points = resident_points(ds)
    weight = points["inwoners"].to_numpy(float)
    levels = _level_groups(ds, points)
    rows = []
    for key, distance in _measured(ds, year, points, components):
        rows += _distance_rows(key, distance, norms[key], weight, year, levels)
    return _finish_tidy(rows)


def _level_sources(ds: Dataset, points: gpd.GeoDataFrame) -> dict[str, pd.Series]:
    """Per level: area code -> the ``bron`` of its placement-dependent figures."""
    default = source_label(ds, placement_method(ds, points))
    by_level = {"buurt": points["buurtcode"], "wijk": points["wijkcode"],
                "gemeente": pd.Series("gemeente", index=points.index)}
    out = {}
    for level, codes in by_level.items():
        labels = placement_by_area(points, codes)
        out[level] = labels.map(lambda label: source_label(ds, label)).astype("string")
    out["_default"] = pd.Series([default], dtype="string")
    return out


def proximity_indicators(ds: Dataset, year: int, norms_m: dict[str, float] | None = None,
                         points: gpd.GeoDataFrame | None = None,
                         components: Iterable[str] | None = None) -> pd.DataFrame:
    """Every figure that depends on where residents live, for the indicator table, with its ``bron``.

    - ``<c>_afstand_m`` and ``<c>_dekking_pct`` (:func:`proximity_table`);
    - with a street network, ``<c>_onbereikbaar_inw``: inhabitants who cannot reach any place
      of the component over the network (they are left out of the two figures above);
    - ``<c>_bereik_per_1000`` (and ``<c>_bereik_capaciteit_per_1000`` where every place has a
      capacity): supply within reach by the two-step floating catchment method
      (:func:`analysis.compute.catchment.catchment_table`).

    ``bron`` says how residents were placed and distances measured, per area, such as
    ``registratie; inwoners: adressen (BAG); afstand: over het stratennet (lopen)``.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, jaar, indicator, waarde, bron``.
    """
    from analysis.compute.catchment import catchment_table  # catchment builds on this module

    norms = walk_norms_m(norms_m)
    points = resident_points(ds) if points is None else points
    weight = points["inwoners"].to_numpy(float)
    levels = _level_groups(ds, points)
    rows = []
    for key, distance in _measured(ds, year, points, components):
        rows += _distance_rows(key, distance, norms[key], weight, year, levels)
        if has_network(ds):
            lost = np.where(np.isfinite(distance), 0.0, weight)
            for level, (codes, group) in levels.items():
                ok = group >= 0
                total = np.bincount(group[ok], weights=lost[ok], minlength=len(codes))
                rows.append(_tidy(codes, level, year, f"{key}_onbereikbaar_inw", total))
    table = _finish_tidy(rows)
    reach = catchment_table(ds, year, norms, points, components)
    table = pd.concat([table, reach], ignore_index=True) if len(reach) else table
    sources = _level_sources(ds, points)
    default = str(sources["_default"].iloc[0])
    lookup = {level: {str(k): str(v) for k, v in labels.items()} for level, labels in sources.items()}
    table["bron"] = pd.array([lookup.get(str(level), {}).get(str(code), default) for level, code in
                              zip(table["niveau"], table["gebiedscode"])], dtype="string")
    return table


def _level_groups(ds: Dataset, points: gpd.GeoDataFrame) -> dict[str, tuple[pd.Index, np.ndarray]]:
    """Per level: the area codes and each point's position among them."""
    out: dict[str, tuple[pd.Index, np.ndarray]] = {}
    buurt_codes = pd.Index(pd.Series(ds.buurten["gebiedscode"]).astype("string"))
    out["buurt"] = (buurt_codes, _group_codes(points["buurtcode"], buurt_codes))
    if len(ds.wijken):
        wijk_codes = pd.Index(pd.Series(ds.wijken["gebiedscode"]).astype("string"))
        out["wijk"] = (wijk_codes, _group_codes(points["wijkcode"], wijk_codes))
    if len(ds.gemeente):
        gm_codes = pd.Index(pd.Series(ds.gemeente["gebiedscode"]).astype("string")[:1])
        out["gemeente"] = (gm_codes, np.zeros(len(points), dtype=np.int64))
    return out


def _polygonal(geoms: object) -> np.ndarray:
    """Keep only the polygon parts (clipping can leave stray lines and points where shapes touch)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    if len(geoms) == 0:
        return geoms
    polygonal = (3, 6)  # Polygon, MultiPolygon
    for i in np.flatnonzero(shapely.get_type_id(geoms) == 7):  # rare: collections, one per buurt at most
        parts = shapely.get_parts(geoms[i])
        parts = shapely.get_parts(parts[np.isin(shapely.get_type_id(parts), polygonal)])
        geoms[i] = shapely.multipolygons(parts)
    geoms[~np.isin(shapely.get_type_id(geoms), polygonal)] = shapely.Polygon()
    return geoms


def _spot_cells(ds: Dataset, far: gpd.GeoDataFrame, buurt_geom: pd.Series) -> np.ndarray:
    """The cell each far resident point stands for (see :func:`white_spots`)."""
    x, y = far["x"].to_numpy(float), far["y"].to_numpy(float)
    how = far["plaatsing"].astype("string").to_numpy() if "plaatsing" in far.columns else np.full(len(far), "")
    half = np.full(len(far), GRID_SIZE_M / 2.0)
    grid = ds.population_grid
    if grid is not None and len(grid) and (how == "vierkant").any():
        side = float(np.sqrt(np.median(grid.to_crs(CRS_RD).geometry.area)))
        half[how == "vierkant"] = side / 2.0
    at_address = how == "adres"
    x = np.where(at_address, np.floor(x / GRID_SIZE_M) * GRID_SIZE_M + GRID_SIZE_M / 2.0, x)
    y = np.where(at_address, np.floor(y / GRID_SIZE_M) * GRID_SIZE_M + GRID_SIZE_M / 2.0, y)
    cells = np.asarray(shapely.box(x - half, y - half, x + half, y + half), dtype=object)
    whole = ~far["rasterpunt"].to_numpy(bool) & ~at_address
    if whole.any():
        cells[whole] = buurt_geom.reindex(far["buurtcode"][whole].to_numpy()).to_numpy()
    return cells


def white_spots(ds: Dataset, component_key: str, year: int | None = None,
                norm_m: float | None = None, points: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Witte vlekken: inhabited land farther than the walking norm from any facility.

    The inhabited land is made of cells around the resident points with inhabitants: the
    100 m cell of EPSG:28992 around an evenly spread point or containing a dwelling address,
    the CBS square of a grid point, and the whole buurt for a buurt measured at its
    representative point. A cell is a white spot when its point is farther than the norm
    from the nearest facility of the component (facilities outside the gemeente count too),
    measured as :func:`distances_m` does (over the street network when there is one).
    Residents who cannot reach any facility over the network are unknown, not white spots
    (see :func:`network_findings`). Cells are dissolved per buurt and clipped to the buurt.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    component_key : str
        A place component (not ``digitaal``).
    year : int, optional
        Measurement year; default ``ds.year``.
    norm_m : float, optional
        Walking norm in metres; default the component's norm.
    points : geopandas.GeoDataFrame, optional
        Precomputed :func:`resident_points`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per buurt with a white spot: ``component, norm_m, jaar, buurtcode, wijkcode,
        inwoners`` (inhabitants living in it) and polygon geometry (EPSG:28992). Empty when
        the component has no facilities in that year (then it is not measured, so the
        white spots are unknown rather than everywhere).
    """
    c = component(component_key)
    if c.walk_norm_m is None:
        raise ValueError(f"Component '{component_key}' is geen plek en heeft dus geen witte vlekken.")
    year = int(ds.year if year is None else year)
    norm = float(norm_m) if norm_m is not None else walk_norms_m()[component_key]
    columns = ["component", "norm_m", "jaar", "buurtcode", "wijkcode", "inwoners"]
    empty = gpd.GeoDataFrame({c_: pd.Series(dtype="object") for c_ in columns},
                             geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)
    places = year_places(ds, component_key, year)
    if len(places) == 0:
        return empty
    if points is None:
        points = resident_points(ds)
    points = points[points["inwoners"].to_numpy(float) > 0]
    distance = distances_m(ds, points[["x", "y"]].to_numpy(float), places)
    far = points[np.isfinite(distance) & (distance > norm)]
    if len(far) == 0:
        return empty
    buurt_geom = pd.Series(ds.buurten.geometry.values,
                           index=pd.Index(pd.Series(ds.buurten["gebiedscode"]).astype("string")))
    frame = gpd.GeoDataFrame({"buurtcode": far["buurtcode"].to_numpy(),
                              "wijkcode": far["wijkcode"].to_numpy(),
                              "inwoners": far["inwoners"].to_numpy(float)},
                             geometry=gpd.GeoSeries(_spot_cells(ds, far, buurt_geom), crs=CRS_RD), crs=CRS_RD)
    dissolved = frame.dissolve(by="buurtcode", aggfunc={"wijkcode": "first", "inwoners": "sum"})
    clip = gpd.GeoSeries(buurt_geom.reindex(dissolved.index).to_numpy(), crs=CRS_RD, index=dissolved.index)
    dissolved = dissolved.set_geometry(gpd.GeoSeries(
        _polygonal(dissolved.geometry.intersection(clip).values), index=dissolved.index, crs=CRS_RD))
    dissolved = dissolved[~shapely.is_empty(dissolved.geometry.values)].reset_index()
    dissolved.insert(0, "component", component_key)
    dissolved.insert(1, "norm_m", norm)
    dissolved.insert(2, "jaar", year)
    return dissolved[columns + ["geometry"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# The street network: snap distances and what it does not connect
# --------------------------------------------------------------------------------------

def facility_access_points(facilities: object, step_m: float = DENSIFY_STEP_M
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The points where each facility is entered, and which facility each belongs to.

    Like :func:`facility_targets` (a point facility is its point; parks and lines are entered
    at boundary points every ``step_m`` metres), but every point keeps the position of its
    facility in ``facilities``.

    Returns
    -------
    coords : numpy.ndarray
        ``(n, 2)`` access points.
    owner : numpy.ndarray
        Facility position of each access point.
    polygons, polygon_owner : numpy.ndarray
        Polygon parts (a resident inside is at distance 0) and their facility positions.
    """
    values = getattr(facilities, "geometry", facilities)
    geoms = np.asarray(getattr(values, "values", values), dtype=object).ravel()
    ok = np.flatnonzero(_valid_geometry(geoms)) if len(geoms) else np.empty(0, np.int64)
    if len(ok) == 0:
        return np.empty((0, 2)), np.empty(0, np.int64), np.empty(0, object), np.empty(0, np.int64)
    parts, index = shapely.get_parts(geoms[ok], return_index=True)
    owner = ok[index]
    kind = shapely.get_type_id(parts)
    polygon = kind == 3
    lines = np.concatenate([shapely.boundary(parts[polygon]), parts[(kind == 1) | (kind == 2)]])
    line_owner = np.concatenate([owner[polygon], owner[(kind == 1) | (kind == 2)]])
    coords, where = shapely.get_coordinates(shapely.segmentize(lines, step_m), return_index=True)
    all_xy = np.vstack([shapely.get_coordinates(parts[kind == 0]), coords])
    all_owner = np.concatenate([owner[kind == 0], line_owner[where]]).astype(np.int64)
    finite = np.isfinite(all_xy).all(axis=1)
    return all_xy[finite], all_owner[finite], parts[polygon], owner[polygon].astype(np.int64)


def _weighted_median(group: np.ndarray, values: np.ndarray, weight: np.ndarray, n_groups: int) -> np.ndarray:
    """Weighted median of ``values`` per group (NaN for a group without weight)."""
    out = np.full(n_groups, np.nan)
    ok = (group >= 0) & (weight > 0) & np.isfinite(values)
    if not ok.any():
        return out
    g, v, w = group[ok], values[ok], weight[ok]
    order = np.lexsort((v, g))
    g, v, w = g[order], v[order], w[order]
    total = np.bincount(g, weights=w, minlength=n_groups)
    start = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    cumulative = np.cumsum(w)
    within = cumulative - np.repeat(cumulative[start] - w[start], np.diff(np.r_[start, len(g)]))
    reached = np.flatnonzero(within >= total[g] / 2.0)
    pick = reached[np.r_[True, g[reached][1:] != g[reached][:-1]]]
    out[g[pick]] = v[pick]
    return out


def snap_table(ds: Dataset, year: int | None = None, points: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """How far residents and facilities are from the street network (the snap distances in every walk).

    Rows ``wat = "inwoners"`` per buurt, wijk and gemeente: the inhabitant-weighted median and
    the maximum straight distance from a resident point to its nearest street segment. Rows
    ``wat = <component>`` at gemeente level: over the component's places of ``year`` (default
    ``ds.year``), the median and maximum distance from a place to the network (for a park:
    from its nearest boundary point).

    Returns
    -------
    pandas.DataFrame
        ``wat, gebiedscode, niveau, aantal, mediaan_m, max_m``; empty without a network.
    """
    columns = ["wat", "gebiedscode", "niveau", "aantal", "mediaan_m", "max_m"]
    if not has_network(ds):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    graph = routing.prepared_graph(ds.roads)
    points = resident_points(ds) if points is None else points
    weight = points["inwoners"].to_numpy(float)
    snap = routing.cached_snap(graph, points[["x", "y"]].to_numpy(float)).snap_m
    rows = []
    for level, (codes, group) in _level_groups(ds, points).items():
        ok = (group >= 0) & (weight > 0)
        peak = np.full(len(codes), np.nan)
        if ok.any():
            peak_ok = pd.Series(snap[ok]).groupby(group[ok]).max()
            peak[peak_ok.index.to_numpy()] = peak_ok.to_numpy()
        rows.append(pd.DataFrame({"wat": "inwoners", "gebiedscode": codes, "niveau": level,
                                  "aantal": np.bincount(group[ok], minlength=len(codes)),
                                  "mediaan_m": _weighted_median(group, snap, weight, len(codes)), "max_m": peak}))
    gm = str(ds.gemeente["gebiedscode"].iloc[0]) if len(ds.gemeente) else ds.gemeente_code
    for key in PLACE_COMPONENT_KEYS:
        places = year_places(ds, key, int(ds.year if year is None else year))
        coords, owner, _, _ = facility_access_points(places)
        if len(coords) == 0:
            continue
        nearest = pd.Series(routing.cached_snap(graph, coords).snap_m).groupby(owner).min()
        rows.append(pd.DataFrame({"wat": [key], "gebiedscode": [gm], "niveau": ["gemeente"], "aantal": [len(nearest)],
                                  "mediaan_m": [float(nearest.median())], "max_m": [float(nearest.max())]}))
    return pd.concat(rows, ignore_index=True)[columns]


def network_findings(ds: Dataset, years: Iterable[int] | None = None,
                     points: gpd.GeoDataFrame | None = None) -> Findings:
    """Dutch findings on what the street network does not connect: residents and places it cannot join.

    Per year and component: how many inhabitants, in which buurten, cannot reach any place of the
    component over the network (they live on a piece of the network that no such place is on;
    they count in neither distance nor coverage), and how many places lie on a piece where no
    resident lives. Empty without a network.
    """
    out = Findings()
    if not has_network(ds):
        return out
    graph = routing.prepared_graph(ds.roads)
    points = resident_points(ds) if points is None else points
    weight = points["inwoners"].to_numpy(float)
    inhabited = np.unique(routing.reachable_pieces(graph, routing.cached_snap(
        graph, points[["x", "y"]].to_numpy(float)))[weight > 0])
    file = ds.sources.get("wegen", "stratennet")
    for year in sorted(ds.years() if years is None else years):
        for key, distance in _measured(ds, year, points, None):
            what = f"plek van de component '{component(key).label.lower()}'"
            lost = ~np.isfinite(distance) & (weight > 0)
            if lost.any():
                codes = sorted(pd.unique(points["buurtcode"][lost].astype(str)))
                shown = ", ".join(codes[:6]) + (f" en nog {len(codes) - 6}" if len(codes) > 6 else "")
                out.warning(file, f"{year}: {weight[lost].sum():.0f} inwoners in {len(codes)} buurten ({shown}) kunnen over "
                                  f"het stratennet geen {what} bereiken: hun stuk van het net sluit niet aan op zo'n plek; "
                                  "ze tellen niet mee in de afstand en de dekking",
                            "verbind dat stuk met de rest van het stratennet (ontbreekt een straat, pad of brug?) of "
                            "controleer de ligging van de adressen")
            coords, owner, _, _ = facility_access_points(year_places(ds, key, year))
            pieces = routing.reachable_pieces(graph, routing.cached_snap(graph, coords))
            joined = np.zeros(int(owner.max()) + 1 if len(owner) else 0, bool)
            np.logical_or.at(joined, owner, np.isin(pieces, inhabited))
            if (~joined).any():
                out.info(file, f"{year}: {int((~joined).sum())} plekken van de component '{component(key).label.lower()}' "
                               "liggen op een stuk van het stratennet waar geen inwoner woont; ze zijn te voet voor niemand "
                               "bereikbaar", "controleer of het stratennet bij die plekken aansluit")
    return out


__all__ = ["DENSIFY_STEP_M", "DISTANCE_NETWORK", "DISTANCE_STRAIGHT", "GRID_SIZE_M", "PLACEMENT_LABELS",
           "distance_method", "distances_m", "facility_access_points", "facility_targets", "grid_centres",
           "has_network", "nearest_distance_m", "network_distance_m", "network_findings", "placement_by_area",
           "placement_method", "proximity_indicators", "proximity_table", "resident_points", "snap_table",
           "source_label", "white_spots", "year_place_frame", "year_places"]
