"""Display geometry for web maps: coverage-simplified, in EPSG:4326, rounded to about 1 m, as compact GeoJSON."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.model import CRS_RD, CRS_WGS84

__all__ = ["DISPLAY_DECIMALS", "display_geometry", "feature_collection", "to_display"]

#: Decimals of lon/lat kept for display: 1e-5 degree is about 1.1 m north-south and 0.7 m east-west.
DISPLAY_DECIMALS = 5


def _round_coordinates(geometries: np.ndarray, decimals: int = DISPLAY_DECIMALS) -> np.ndarray:
    """Round every coordinate of ``geometries`` to ``decimals`` and drop repeated vertices."""
    rounded = shapely.transform(geometries, lambda coords: np.round(coords, decimals))
    return shapely.remove_repeated_points(rounded, 0.0)


def display_geometry(areas: gpd.GeoDataFrame, tolerance_m: float = 10.0) -> gpd.GeoDataFrame:
    """Areas ready for a web map: simplified as a coverage, in EPSG:4326, rounded to about 1 m.

    ``shapely.coverage_simplify`` simplifies each shared border once, so neighbours keep sharing
    it (no slivers or gaps). Coordinates are then converted to lon/lat and rounded to 5 decimals,
    which roughly halves the size of the GeoJSON the browser receives.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas (polygons) with a CRS, normally EPSG:28992; other columns are kept.
    tolerance_m : float
        Simplification tolerance in metres; 0 keeps every vertex.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``areas`` with display geometry in EPSG:4326.
    """
    if areas.crs is None:
        raise ValueError("De gebieden hebben geen coördinatenstelsel (CRS); verwacht EPSG:28992.")
    rd = areas.to_crs(CRS_RD)
    geometries = np.asarray(rd.geometry.array, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    simplified = geometries.copy()
    if tolerance_m > 0 and usable.any():
        simplified[usable] = shapely.coverage_simplify(geometries[usable], float(tolerance_m))
    lonlat = gpd.GeoSeries(simplified, index=areas.index, crs=CRS_RD).to_crs(CRS_WGS84)
    result = areas.copy()
    result = result.set_geometry(
        gpd.GeoSeries(_round_coordinates(np.asarray(lonlat.array, dtype=object)), index=areas.index,
                      crs=CRS_WGS84),
        crs=CRS_WGS84,
    )
    if result.geometry.name != areas.geometry.name:
        result = result.rename_geometry(areas.geometry.name)
    return result


def to_display(frame: gpd.GeoDataFrame, tolerance_m: float = 0.0) -> gpd.GeoSeries:
    """Geometry of ``frame`` (any CRS) in EPSG:4326, optionally simplified, rounded for display."""
    if frame.crs is None:
        raise ValueError("Een kaartlaag heeft geen coördinatenstelsel (CRS); verwacht EPSG:28992.")
    geometry = frame.geometry
    if tolerance_m > 0:
        geometry = geometry.to_crs(CRS_RD).simplify(tolerance_m, preserve_topology=True)
    lonlat = geometry.to_crs(CRS_WGS84)
    return gpd.GeoSeries(_round_coordinates(np.asarray(lonlat.array, dtype=object)), index=frame.index,
                         crs=CRS_WGS84)


def _polygon_geometries(geometries: np.ndarray) -> list[dict[str, Any]] | None:
    """GeoJSON geometry dicts built from flat coordinate arrays; ``None`` unless all are (Multi)Polygons.

    ``shapely.to_ragged_array`` gives all coordinates and the ring, part and geometry offsets at once,
    so the nested lists come from numpy's ``tolist`` instead of parsing one GeoJSON string per area.
    """
    kinds = shapely.get_type_id(geometries)
    if len(geometries) == 0 or not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        return None
    _kind, coords, offsets = shapely.to_ragged_array(geometries)
    ring_offsets = offsets[0]
    rings = np.split(coords, ring_offsets[1:-1]) if len(ring_offsets) > 2 else [coords]
    ring_lists = [ring.tolist() for ring in rings]
    polygons = [ring_lists[a:b] for a, b in zip(offsets[1][:-1], offsets[1][1:], strict=True)]
    if len(offsets) == 2:  # all Polygons
        return [{"type": "Polygon", "coordinates": rings_} for rings_ in polygons]
    return [{"type": "MultiPolygon", "coordinates": polygons[a:b]}
            for a, b in zip(offsets[2][:-1], offsets[2][1:], strict=True)]


def feature_collection(geometries: gpd.GeoSeries, properties: pd.DataFrame) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with integer feature ids 0..n-1 and only the given properties."""
    array = np.asarray(geometries.array, dtype=object)
    shapes = _polygon_geometries(array)
    if shapes is None:
        shapes = [json.loads(g) for g in shapely.to_geojson(array)]
    records = properties.astype(object).where(properties.notna(), None).to_dict("records")
    features = [
        {"type": "Feature", "id": i, "properties": props, "geometry": shape}
        for i, (shape, props) in enumerate(zip(shapes, records, strict=True))
    ]
    return {"type": "FeatureCollection", "features": features}
