"""Tests for analysis.compute.placement: the guard before the resident grid is made."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from shapely.geometry import box

from analysis.compute import placement
from analysis.errors import DatasetError
from tests.compute.test_proximity import BUURT_INWONERS, BUURT_SHAPES, R, make_dataset


def test_a_buurt_in_degrees_among_metres_is_refused_before_the_grid():
    """One buurt at (5.4, 52.1) in metres (WGS84 numbers in an RD file): the grid would span 500 km."""
    shapes = {code: box(*(np.array(g.bounds) + [155_000, 463_000, 155_000, 463_000]))
              for code, g in BUURT_SHAPES.items()}
    shapes[R] = box(5.38, 52.15, 5.39, 52.16)
    ds = make_dataset(buurten=shapes, inwoners=BUURT_INWONERS)
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError) as caught:
            placement.resident_points(ds)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    finding = list(caught.value.findings)[0]
    assert R in finding.problem and "coördinatenstelsel" in finding.fix
    assert peak < 20 * 2**20  # no grid of millions of cells was made (a 155 x 463 km grid is 7 million cells)


def test_a_normal_gemeente_is_placed():
    points = placement.resident_points(make_dataset())
    assert points["inwoners"].sum() == pytest.approx(np.nansum(list(BUURT_INWONERS.values())))
