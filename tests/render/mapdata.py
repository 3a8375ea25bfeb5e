"""Small map fixtures in EPSG:28992 shared by the render tests: a staircase coverage, a row of squares, facilities."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from analysis.model import CRS_RD

#: South-west corner of the fixtures (a spot in Zwolle, in RD metres).
X0, Y0 = 203_000.0, 502_000.0


def staircase_coverage(n_zones: int = 6, pixels: int = 120, pixel_m: float = 5.0, seed: int = 3) -> gpd.GeoDataFrame:
    """Areas that tile a square exactly, with 5 m staircase borders (many vertices, all shared).

    Every pixel goes to the nearest of ``n_zones`` random seeds; each area is the union of its pixels,
    so neighbours share their border vertex for vertex, like CBS buurten do.
    """
    rng = np.random.default_rng(seed)
    seeds = rng.uniform(0, pixels * pixel_m, size=(n_zones, 2))
    ix, iy = np.meshgrid(np.arange(pixels), np.arange(pixels))
    cx, cy = (ix.ravel() + 0.5) * pixel_m, (iy.ravel() + 0.5) * pixel_m
    zone = np.argmin((cx[:, None] - seeds[:, 0]) ** 2 + (cy[:, None] - seeds[:, 1]) ** 2, axis=1)
    boxes = shapely.box(X0 + ix.ravel() * pixel_m, Y0 + iy.ravel() * pixel_m,
                        X0 + (ix.ravel() + 1) * pixel_m, Y0 + (iy.ravel() + 1) * pixel_m)
    polygons = [shapely.coverage_union_all(boxes[zone == z]) for z in range(n_zones)]
    return gpd.GeoDataFrame(
        {"gebiedscode": [f"BU0000{z:04d}" for z in range(n_zones)],
         "gebiedsnaam": [f"Buurt {z}" for z in range(n_zones)],
         "waarde": np.arange(n_zones, dtype=float) * 10.0},
        geometry=polygons, crs=CRS_RD,
    )


def grid_areas(names: list[str], values: list[float] | None = None, size_m: float = 1000.0) -> gpd.GeoDataFrame:
    """A row of square areas in EPSG:28992, ``size_m`` wide, with the given names (codes A0, A1, ...)."""
    n = len(names)
    geometry = [shapely.box(X0 + i * size_m, Y0, X0 + (i + 1) * size_m, Y0 + size_m) for i in range(n)]
    data = {"gebiedscode": [f"A{i}" for i in range(n)], "gebiedsnaam": names}
    if values is not None:
        data["waarde"] = values
    return gpd.GeoDataFrame(data, geometry=geometry, crs=CRS_RD)


def facilities_frame(rows: list[tuple[str, str, float, float]]) -> gpd.GeoDataFrame:
    """Facilities (component, naam, x offset, y offset from the fixture corner) in EPSG:28992."""
    return gpd.GeoDataFrame(
        {"component": [r[0] for r in rows], "naam": [r[1] for r in rows], "soort": ["test"] * len(rows)},
        geometry=shapely.points([X0 + r[2] for r in rows], [Y0 + r[3] for r in rows]), crs=CRS_RD,
    )
