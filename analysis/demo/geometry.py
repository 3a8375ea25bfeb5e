"""Geometry helpers of the demo generator: the coordinate grid, random points in polygons and RD -> WGS84."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Point, Polygon

#: Coordinates are rounded to this grid (metres), so adjacent buurten share exact vertices.
GRID_M = 0.1


def snap(geometry: Any) -> Any:
    """Geometry on the :data:`GRID_M` grid (valid output)."""
    return shapely.set_precision(geometry, GRID_M)


def rd_to_wgs84(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Approximate RD New -> WGS84 (lon, lat) by the published polynomial (about 1 m accurate).

    Pure arithmetic, so the generated files do not depend on PROJ's transformation grids.
    """
    dx = (np.asarray(x, float) - 155_000.0) * 1e-5
    dy = (np.asarray(y, float) - 463_000.0) * 1e-5
    som_n = (3235.65389 * dy - 32.58297 * dx**2 - 0.2475 * dy**2 - 0.84978 * dx**2 * dy
             - 0.0655 * dy**3 - 0.01709 * dx**2 * dy**2 - 0.00738 * dx + 0.0053 * dx**4
             - 0.00039 * dx**2 * dy**3 + 0.00033 * dx**4 * dy - 0.00012 * dx * dy)
    som_e = (5260.52916 * dx + 105.94684 * dx * dy + 2.45656 * dx * dy**2 - 0.81885 * dx**3
             + 0.05594 * dx * dy**3 - 0.05607 * dx**3 * dy + 0.01199 * dy - 0.00256 * dx**3 * dy**2
             + 0.00128 * dx * dy**4 + 0.00022 * dy**2 - 0.00022 * dx**2 + 0.00026 * dx**5)
    return 5.387206 + som_e / 3600.0, 52.15517 + som_n / 3600.0


def point_in(polygon: Polygon, rng: np.random.Generator, margin_m: float = 40.0,
             near: tuple[float, float] | None = None, spread_m: float = 250.0) -> Point:
    """A random point inside ``polygon`` (at least ``margin_m`` from its edge when possible).

    With ``near``, points are drawn around that location (normal, ``spread_m``) first.
    """
    inner = polygon.buffer(-margin_m)
    target = inner if not inner.is_empty and inner.area > 0.05 * polygon.area else polygon
    minx, miny, maxx, maxy = target.bounds
    for attempt in range(400):
        if near is not None and attempt < 200:
            px, py = near[0] + rng.normal(0, spread_m), near[1] + rng.normal(0, spread_m)
        else:
            px, py = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        point = Point(round(px, 1), round(py, 1))
        if target.contains(point):
            return point
    return shapely.point_on_surface(target)

