"""Tests of the demo's geometry helpers (analysis.demo.geometry)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.demo.geometry import rd_to_wgs84


def test_rd_to_wgs84_matches_proj_within_two_metres():
    pyproj = pytest.importorskip("pyproj")
    x = np.array([155_000.0, 187_500.0, 120_700.0, 233_900.0])
    y = np.array([463_000.0, 522_500.0, 487_500.0, 582_000.0])
    lon, lat = rd_to_wgs84(x, y)
    # Amersfoort, the RD origin: by definition 52.15517 N, 5.387206 E (to the polynomial's precision)
    assert abs(lat[0] - 52.15517) < 1e-5 and abs(lon[0] - 5.387206) < 1e-5
    back = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    bx, by = back.transform(lon, lat)
    assert np.hypot(bx - x, by - y).max() < 2.0
