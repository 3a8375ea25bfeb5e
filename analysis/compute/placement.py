"""Where residents live: points weighted by inhabitants at dwelling addresses, CBS grid squares, or spread evenly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.model import CRS_RD

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Size of a grid cell in metres (the CBS "vierkantstatistieken" grid of EPSG:28992).
GRID_SIZE_M = 100.0
#: How residents were placed (the ``plaatsing`` of a resident point) and the Dutch label shown with every figure.
PLACEMENT_LABELS: dict[str, str] = {
    "adres": "adressen (BAG)",
    "vierkant": "CBS-vierkanten",
    "gelijkmatig": "gelijkmatig over de buurt",
}
_POINT_COLUMNS: tuple[str, ...] = ("x", "y", "inwoners", "buurtcode", "wijkcode", "rasterpunt", "plaatsing")


def _empty_points() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({
        "x": pd.Series(dtype=float), "y": pd.Series(dtype=float), "inwoners": pd.Series(dtype=float),
        "buurtcode": pd.Series(dtype="string"), "wijkcode": pd.Series(dtype="string"),
        "rasterpunt": pd.Series(dtype=bool), "plaatsing": pd.Series(dtype="string"),
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


_Placed = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _at_addresses(addresses: gpd.GeoDataFrame, codes: np.ndarray, inwoners: np.ndarray) -> tuple[_Placed, np.ndarray]:
    """Each buurt's inhabitants spread over its dwelling addresses in proportion to their ``aantal``.

    Returns the placed points (``xy, owner, inwoners, rasterpunt``) and which buurten were placed
    (those with inhabitants and at least one dwelling).
    """
    frame = addresses[_valid_geometry(addresses.geometry.values)]
    owner = pd.Index(codes).get_indexer(pd.Series(frame["buurtcode"]).astype("string"))
    count = pd.to_numeric(pd.Series(frame["aantal"]), errors="coerce").fillna(0).to_numpy(float)
    keep = (owner >= 0) & (count > 0)
    owner, count = owner[keep], count[keep]
    xy = shapely.get_coordinates(frame.geometry.values[keep])
    total = np.bincount(owner, weights=count, minlength=len(codes))
    placed = (total > 0) & (inwoners > 0)
    use = placed[owner]
    owner, count, xy = owner[use], count[use], xy[use]
    return (xy, owner, inwoners[owner] * count / total[owner], np.zeros(len(owner), bool)), placed


def _on_grid(grid: gpd.GeoDataFrame, polygons: np.ndarray, inwoners: np.ndarray,
             which: np.ndarray) -> tuple[_Placed, np.ndarray]:
    """Grid squares' inhabitants at their centres, for the buurten ``which`` that contain a centre.

    Returns the placed points and which buurten were placed: those among ``which`` with grid
    inhabitants, plus those without any inhabitants (they keep their cells, if any).
    """
    cells = grid.to_crs(CRS_RD) if grid.crs is not None and grid.crs != CRS_RD else grid
    cells = cells[_valid_geometry(cells.geometry.values)]
    centres = shapely.get_coordinates(cells.geometry.centroid.values)
    counts = pd.to_numeric(pd.Series(cells["inwoners"]), errors="coerce").to_numpy(float)
    counts = np.where(np.isfinite(counts) & (counts > 0), counts, 0.0)
    owner = _first_containing(centres, polygons)
    allowed = np.zeros(len(polygons), bool)
    allowed[which] = True
    keep = (owner >= 0) & allowed[np.maximum(owner, 0)]
    xy, owner, inw = centres[keep], owner[keep], counts[keep]
    grid_total = np.bincount(owner, weights=inw, minlength=len(polygons))
    placed = allowed & ((grid_total > 0) | ~(inwoners > 0))
    use = placed[owner]
    return (xy[use], owner[use], inw[use], np.ones(int(use.sum()), bool)), placed


def _check_extent(ds: Dataset, polygons: np.ndarray, codes: np.ndarray) -> None:
    """Refuse, before any grid is made, buurten that cannot lie in one gemeente (the grid would take gigabytes)."""
    from analysis.load.areas import implausible_extent

    bad, whole = implausible_extent(polygons)
    if not bad.any() and whole is None:
        return
    file = str(ds.sources.get("buurten", "buurten"))
    what = (f"buurt {', '.join(str(c) for c in codes[bad][:5])} ligt niet bij de andere buurten of is groter dan een "
            "gemeente" if bad.any() else str(whole))
    raise DatasetError(Finding("fout", file, f"{what}; de inwoners worden niet over een raster verdeeld",
                               "controleer het coördinatenstelsel van het buurtenbestand (RD-meters of WGS84-graden) "
                               "en laad het opnieuw"))


def resident_points(ds: Dataset) -> gpd.GeoDataFrame:
    """Where the residents live: points weighted by inhabitants, at addresses, grid squares or spread evenly.

    Per buurt, the first method that has data for it (its ``plaatsing``):

    1. ``adres``: with ``ds.addresses``, the buurt's CBS ``inwoners`` are spread over its dwelling
       addresses in proportion to each address's ``aantal`` (dwellings or persons);
    2. ``vierkant``: with ``ds.population_grid`` (CBS 100 m or 500 m squares with ``inwoners``),
       each square's inhabitants sit at its centre in the buurt containing the centre (squares
       outside every buurt are left out; missing, negative or secret counts are 0); a buurt with
       inhabitants but no grid inhabitants at all falls through to 3;
    3. ``gelijkmatig``: the buurt's inhabitants spread evenly over the centres of the 100 m cells
       of EPSG:28992 (multiples of 100 m plus 50) inside it; a buurt without any cell centre inside
       (very small or thin) puts them on its representative point (``rasterpunt`` False).

    A buurt with unknown inhabitants (CBS secret) gets no inhabitants from 1 and 3. The label
    of the method used is :data:`PLACEMENT_LABELS` (see :func:`placement_method`).

    Parameters
    ----------
    ds : analysis.model.Dataset
        Dataset with ``buurten`` (``gebiedscode``, ``wijkcode``, ``inwoners``, geometry).

    Returns
    -------
    geopandas.GeoDataFrame
        ``x, y, inwoners, buurtcode, wijkcode, rasterpunt, plaatsing`` and point geometry
        (EPSG:28992); ``rasterpunt`` is True for grid-cell centres.

    Raises
    ------
    DatasetError
        When a buurt cannot lie in one Dutch gemeente (:func:`analysis.load.areas.implausible_extent`),
        before the grid over it is made.
    """
    buurten = ds.buurten
    if len(buurten) == 0:
        return _empty_points()
    polygons = np.asarray(buurten.geometry.values, dtype=object)
    codes = pd.Series(buurten["gebiedscode"]).astype("string").to_numpy()
    wijk = pd.Series(buurten["wijkcode"]).astype("string").to_numpy()
    _check_extent(ds, polygons, codes)
    inwoners = pd.to_numeric(pd.Series(buurten["inwoners"]), errors="coerce").to_numpy(float)
    inwoners = np.where(np.isfinite(inwoners) & (inwoners > 0), inwoners, 0.0)
    placed = np.zeros(len(buurten), bool)
    parts: list[tuple[str, _Placed]] = []
    if ds.addresses is not None and len(ds.addresses):
        part, placed = _at_addresses(ds.addresses, codes, inwoners)
        parts.append(("adres", part))
    grid = ds.population_grid
    if grid is not None and len(grid):
        part, on_grid = _on_grid(grid, polygons, inwoners, np.flatnonzero(~placed))
        parts.append(("vierkant", part))
        placed |= on_grid
    parts.append(("gelijkmatig", _spread_evenly(polygons, inwoners, np.flatnonzero(~placed))))
    xy = np.vstack([p[0] for _, p in parts])
    owner = np.concatenate([p[1] for _, p in parts]).astype(np.int64)
    frame = pd.DataFrame({
        "x": xy[:, 0], "y": xy[:, 1], "inwoners": np.concatenate([p[2] for _, p in parts]),
        "buurtcode": pd.array(codes[owner], dtype="string"),
        "wijkcode": pd.array(wijk[owner], dtype="string"),
        "rasterpunt": np.concatenate([p[3] for _, p in parts]).astype(bool),
        "plaatsing": pd.array(np.concatenate([[name] * len(p[1]) for name, p in parts]), dtype="string"),
    })
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["x"], frame["y"], crs=CRS_RD),
                            crs=CRS_RD)


def placement_by_area(points: gpd.GeoDataFrame, level_codes: pd.Series) -> pd.Series:
    """Dutch placement label per area: the method of most of its inhabitants, plus any other ones ("deels ...").

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        :func:`resident_points`.
    level_codes : pandas.Series
        The area code of each point (``buurtcode``, ``wijkcode``, or one gemeente code).
    """
    code = pd.Series(level_codes).astype("string")
    keep = (code.notna() & (points["inwoners"] > 0)).to_numpy(bool)
    if not keep.any():
        return pd.Series(dtype="string")
    frame = pd.DataFrame({"code": code[keep].astype(str).to_numpy(dtype=object),
                          "how": points["plaatsing"][keep].astype(str).to_numpy(dtype=object),
                          "w": points["inwoners"][keep].to_numpy(float)})
    weights = frame.groupby(["code", "how"])["w"].sum().reset_index()
    weights = weights.sort_values(["code", "w"], ascending=[True, False], kind="stable")
    labels = {}
    for area, methods in weights.groupby("code", sort=False):
        names = [PLACEMENT_LABELS[str(h)] for h in methods["how"]]
        labels[area] = names[0] + (f" (deels {', '.join(names[1:])})" if len(names) > 1 else "")
    return pd.Series(labels, dtype="string")


def placement_method(ds: Dataset, points: gpd.GeoDataFrame | None = None) -> str:
    """Dutch label of how the residents were placed, for pages, PNG and Verantwoording.

    ``"adressen (BAG)"``, ``"CBS-vierkanten"`` or ``"gelijkmatig over de buurt"`` (see
    :func:`resident_points`); when buurten differ, the method of most inhabitants followed by
    ``(deels ...)`` with the others.
    """
    points = resident_points(ds) if points is None else points
    label = placement_by_area(points, pd.Series("gemeente", index=points.index))
    return str(label.iloc[0]) if len(label) else PLACEMENT_LABELS["gelijkmatig"]


__all__ = ["GRID_SIZE_M", "PLACEMENT_LABELS", "grid_centres", "placement_by_area", "placement_method",
           "resident_points"]
