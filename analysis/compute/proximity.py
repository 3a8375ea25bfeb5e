"""Proximity: residents on the 100 m grid, nearest-facility distances, coverage and white spots."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from analysis.components import PLACE_COMPONENT_KEYS, component, walk_norms_m
from analysis.model import CRS_RD

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Size of a grid cell in metres (the CBS "vierkantstatistieken" grid of EPSG:28992).
GRID_SIZE_M = 100.0
#: Spacing in metres of the points placed on polygon and line boundaries of facilities.
#: Measuring to these points instead of to the boundary itself overestimates a distance by at
#: most half the spacing (12.5 m): for a point at distance d from a boundary segment, the
#: nearest boundary point lies within sqrt(d^2 + (s/2)^2) <= d + s/2.
DENSIFY_STEP_M = 25.0

_TIDY_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "jaar", "indicator", "waarde")
_POINT_COLUMNS: tuple[str, ...] = ("x", "y", "inwoners", "buurtcode", "wijkcode", "rasterpunt")


def _empty_points() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({
        "x": pd.Series(dtype=float), "y": pd.Series(dtype=float), "inwoners": pd.Series(dtype=float),
        "buurtcode": pd.Series(dtype="string"), "wijkcode": pd.Series(dtype="string"),
        "rasterpunt": pd.Series(dtype=bool),
    })
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)


def grid_centres(bounds: Iterable[float], size_m: float = GRID_SIZE_M) -> np.ndarray:
    """Centres of the EPSG:28992 grid cells that overlap a bounding box.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Bounding box in metres.
    size_m : float, default 100
        Cell size; centres lie at multiples of ``size_m`` plus ``size_m / 2``.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` array of x, y centres.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    half = size_m / 2.0
    xs = np.arange(np.floor(minx / size_m) * size_m + half, maxx + half, size_m)
    ys = np.arange(np.floor(miny / size_m) * size_m + half, maxy + half, size_m)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def _first_containing(points: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the first polygon containing (or touching) each point, -1 when none."""
    owner = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(polygons) == 0:
        return owner
    tree = shapely.STRtree(polygons)
    point_idx, poly_idx = tree.query(shapely.points(points), predicate="intersects")
    if len(point_idx):
        order = np.lexsort((poly_idx, point_idx))
        point_idx, poly_idx = point_idx[order], poly_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        owner[point_idx[first]] = poly_idx[first]
    return owner


def _valid_geometry(geoms: np.ndarray) -> np.ndarray:
    """Mask of geometries that are present and not empty."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0, dtype=bool)
    return ~(pd.isna(geoms) | shapely.is_empty(geoms))


def _spread_evenly(polygons: np.ndarray, inwoners: np.ndarray,
                   which: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Spread the inhabitants of the buurten ``which`` evenly over their 100 m cell centres.

    Returns ``xy, owner, inwoners, rasterpunt`` (owner = position in ``polygons``). A buurt
    without a cell centre inside gets its representative point; a buurt without geometry
    gets no point.
    """
    which = np.asarray(which, dtype=np.int64)
    which = which[_valid_geometry(polygons[which])]
    if len(which) == 0:
        return np.empty((0, 2)), np.empty(0, np.int64), np.empty(0), np.empty(0, bool)
    subset = polygons[which]
    centres = grid_centres(shapely.total_bounds(subset))
    local = _first_containing(centres, subset)
    keep = local >= 0
    xy, local = centres[keep], local[keep]
    missing = np.flatnonzero(np.bincount(local, minlength=len(subset)) == 0)
    reps = shapely.point_on_surface(subset[missing])
    missing = missing[_valid_geometry(reps)]
    xy = np.vstack([xy, shapely.get_coordinates(reps[_valid_geometry(reps)])])
    local = np.concatenate([local, missing])
    raster = np.r_[np.ones(int(keep.sum()), bool), np.zeros(len(missing), bool)]
    cells_per_buurt = np.bincount(local, minlength=len(subset))
    owner = which[local]
    return xy, owner, inwoners[owner] / cells_per_buurt[local], raster


def resident_points(ds: Dataset) -> gpd.GeoDataFrame:
    """Where the residents live: points on the 100 m grid, weighted by inhabitants.

    Each buurt's ``inwoners`` are spread evenly over the centres of the 100 m grid cells
    of EPSG:28992 (multiples of 100 m plus 50) that lie inside it. A buurt without any cell
    centre inside (a very small or thin buurt) puts all its inhabitants on its
    representative point. A buurt with unknown inhabitants (CBS secret) gets none. When
    ``ds.population_grid`` is given (a CBS 100 m grid with ``inwoners`` per cell), its counts
    are used instead: each cell's centre is placed in the buurt that contains it (cells
    outside every buurt are left out; missing or negative counts, CBS secret codes, count
    as 0). A buurt with inhabitants that gets no grid inhabitants at all (every cell
    secret, or the grid does not cover it) falls back to the even spread, so that it is
    still measured.

    Parameters
    ----------
    ds : analysis.model.Dataset
        Dataset with ``buurten`` (``gebiedscode``, ``wijkcode``, ``inwoners``, geometry).

    Returns
    -------
    geopandas.GeoDataFrame
        ``x, y, inwoners, buurtcode, wijkcode, rasterpunt`` and point geometry (EPSG:28992);
        ``rasterpunt`` is False for a representative point.
    """
    buurten = ds.buurten
    if len(buurten) == 0:
        return _empty_points()
    polygons = np.asarray(buurten.geometry.values, dtype=object)
    codes = pd.Series(buurten["gebiedscode"]).astype("string").to_numpy()
    wijk = pd.Series(buurten["wijkcode"]).astype("string").to_numpy()
    inwoners = pd.to_numeric(pd.Series(buurten["inwoners"]), errors="coerce").to_numpy(float)
    inwoners = np.where(np.isfinite(inwoners) & (inwoners > 0), inwoners, 0.0)
    grid = ds.population_grid
    if grid is not None and len(grid):
        cells = grid.to_crs(CRS_RD) if grid.crs is not None and grid.crs != CRS_RD else grid
        cells = cells[_valid_geometry(cells.geometry.values)]
        centres = shapely.get_coordinates(cells.geometry.centroid.values)
        counts = pd.to_numeric(pd.Series(cells["inwoners"]), errors="coerce").to_numpy(float)
        counts = np.where(np.isfinite(counts) & (counts > 0), counts, 0.0)
        owner = _first_containing(centres, polygons)
        keep = owner >= 0
        xy, owner, inw = centres[keep], owner[keep], counts[keep]
        raster = np.ones(len(owner), bool)
        grid_total = np.bincount(owner, weights=inw, minlength=len(buurten))
        fallback = np.flatnonzero((grid_total <= 0) & (inwoners > 0))
        if len(fallback):
            keep_buurt = ~np.isin(owner, fallback)
            f_xy, f_owner, f_inw, f_raster = _spread_evenly(polygons, inwoners, fallback)
            xy = np.vstack([xy[keep_buurt], f_xy])
            owner = np.concatenate([owner[keep_buurt], f_owner])
            inw = np.concatenate([inw[keep_buurt], f_inw])
            raster = np.concatenate([raster[keep_buurt], f_raster])
    else:
        xy, owner, inw, raster = _spread_evenly(polygons, inwoners, np.arange(len(buurten)))
    frame = pd.DataFrame({
        "x": xy[:, 0], "y": xy[:, 1], "inwoners": inw,
        "buurtcode": pd.array(codes[owner], dtype="string"),
        "wijkcode": pd.array(wijk[owner], dtype="string"),
        "rasterpunt": raster,
    })
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["x"], frame["y"], crs=CRS_RD),
                            crs=CRS_RD)


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


def year_places(ds: Dataset, component_key: str, year: int) -> gpd.GeoSeries:
    """Geometries of one place component in one year.

    Facilities tagged with the component and ``jaar == year``; for ``verenigingen`` also
    the active associations of that year.
    """
    parts = []
    fac = ds.facilities
    if len(fac):
        jaar = pd.to_numeric(pd.Series(fac["jaar"]), errors="coerce").to_numpy()
        mask = (pd.Series(fac["component"]).astype("string") == component_key).fillna(False).to_numpy(bool)
        parts.append(fac.geometry.values[mask & (jaar == year)])
    if component_key == "verenigingen" and len(ds.associations):
        assoc = ds.associations
        jaar = pd.to_numeric(pd.Series(assoc["jaar"]), errors="coerce").to_numpy()
        active = (pd.Series(assoc["actief"]).astype("boolean").fillna(False).to_numpy(bool)
                  if "actief" in assoc.columns else np.ones(len(assoc), bool))
        parts.append(assoc.geometry.values[active & (jaar == year)])
    values = np.concatenate([np.asarray(p, dtype=object) for p in parts]) if parts else np.empty(0, object)
    values = values[_valid_geometry(values)]
    return gpd.GeoSeries(values, crs=CRS_RD)


def _group_codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 when absent)."""
    return index.get_indexer(pd.Series(values).astype("string"))


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


def proximity_table(ds: Dataset, year: int, norms_m: dict[str, float] | None = None,
                    points: gpd.GeoDataFrame | None = None,
                    components: Iterable[str] | None = None) -> pd.DataFrame:
    """Mean distance and coverage per buurt, wijk and gemeente for one year.

    For every place component with at least one facility in ``year`` (otherwise the
    component is not measured that year: no rows, rather than a false 0):

    - ``<c>_afstand_m``: inhabitant-weighted mean straight-line distance from the resident
      points (:func:`resident_points`) to the nearest facility of the component, wherever
      it lies (also outside the area or the gemeente);
    - ``<c>_dekking_pct``: % of the inhabitants within the component's walking norm.

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
    xy = points[["x", "y"]].to_numpy(float)
    weight = points["inwoners"].to_numpy(float)
    levels = _level_groups(ds, points)
    rows = []
    for key in (components or PLACE_COMPONENT_KEYS):
        places = year_places(ds, key, year)
        if len(places) == 0:
            continue
        distance = nearest_distance_m(xy, places)
        within = (distance <= norms[key]).astype(float)
        for level, (codes, group) in levels.items():
            _, means = _weighted_by_area(group, len(codes), weight, {"d": distance, "w": within})
            rows.append(pd.DataFrame({
                "gebiedscode": codes, "niveau": level, "jaar": int(year),
                "indicator": f"{key}_afstand_m", "waarde": means["d"]}))
            rows.append(pd.DataFrame({
                "gebiedscode": codes, "niveau": level, "jaar": int(year),
                "indicator": f"{key}_dekking_pct", "waarde": 100.0 * means["w"]}))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            _TIDY_COLUMNS, ("string", "string", "int64", "string", "float64"))})
    out = pd.concat(rows, ignore_index=True)
    for col in ("gebiedscode", "niveau", "indicator"):
        out[col] = out[col].astype("string")
    out["jaar"] = out["jaar"].astype("int64")
    out["waarde"] = out["waarde"].astype(float)
    return out[list(_TIDY_COLUMNS)]


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


def white_spots(ds: Dataset, component_key: str, year: int | None = None,
                norm_m: float | None = None, points: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Witte vlekken: inhabited land farther than the walking norm from any facility.

    The inhabited land is made of the 100 m grid cells around the resident points with
    inhabitants (the CBS grid cells when ``ds.population_grid`` is given; the whole buurt
    for a buurt measured at its representative point). A cell is a white spot when its
    centre is farther than the norm from the nearest facility of the component (facilities
    outside the gemeente count too). Cells are dissolved per buurt and clipped to the buurt.

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
    distance = nearest_distance_m(points[["x", "y"]].to_numpy(float), places)
    far = points[distance > norm]
    if len(far) == 0:
        return empty
    buurt_geom = pd.Series(ds.buurten.geometry.values,
                           index=pd.Index(pd.Series(ds.buurten["gebiedscode"]).astype("string")))
    x, y = far["x"].to_numpy(float), far["y"].to_numpy(float)
    half = GRID_SIZE_M / 2.0
    cells = shapely.box(x - half, y - half, x + half, y + half)
    rep = ~far["rasterpunt"].to_numpy(bool)
    if rep.any():
        cells = np.asarray(cells, dtype=object)
        cells[rep] = buurt_geom.reindex(far["buurtcode"][rep].to_numpy()).to_numpy()
    frame = gpd.GeoDataFrame({"buurtcode": far["buurtcode"].to_numpy(),
                              "wijkcode": far["wijkcode"].to_numpy(),
                              "inwoners": far["inwoners"].to_numpy(float)},
                             geometry=gpd.GeoSeries(cells, crs=CRS_RD), crs=CRS_RD)
    dissolved = frame.dissolve(by="buurtcode", aggfunc={"wijkcode": "first", "inwoners": "sum"})
    clip = gpd.GeoSeries(buurt_geom.reindex(dissolved.index).to_numpy(), crs=CRS_RD, index=dissolved.index)
    dissolved = dissolved.set_geometry(gpd.GeoSeries(
        _polygonal(dissolved.geometry.intersection(clip).values), index=dissolved.index, crs=CRS_RD))
    dissolved = dissolved[~shapely.is_empty(dissolved.geometry.values)].reset_index()
    dissolved.insert(0, "component", component_key)
    dissolved.insert(1, "norm_m", norm)
    dissolved.insert(2, "jaar", year)
    return dissolved[columns + ["geometry"]].reset_index(drop=True)
