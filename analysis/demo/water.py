"""The canal De Vaart that crosses the demo town: its centre line, its water and the two bridges over it."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon

from analysis.demo.geometry import snap

#: The canal's course (RD New metres), west to south-east: from the west edge along the south of the
#: Bloemenwijk, through the north of the old centre (Havenkwartier, Marktkwartier, Kerkbuurt), past the
#: station (Emplacement, Remise) and along the quays of the business park (Vaartkade) out of town. The
#: course keeps at least 24 m from every facility and association of the default seed.
CANAL_WAYPOINTS_RD_M: tuple[tuple[float, float], ...] = (
    (184_900.0, 522_800.0), (185_800.0, 522_700.0), (186_700.0, 522_730.0), (187_250.0, 522_690.0),
    (187_470.0, 522_680.0), (187_700.0, 522_610.0), (188_050.0, 522_500.0), (188_450.0, 522_380.0),
    (188_660.0, 521_950.0), (188_700.0, 521_560.0), (188_950.0, 521_200.0), (189_400.0, 520_750.0),
    (189_900.0, 520_300.0),
)
#: Rounds of corner cutting (Chaikin) that turn the waypoints into a smooth course.
CANAL_SMOOTHING_ROUNDS = 4
#: Width of the water (a small barge canal) in metres.
CANAL_WIDTH_M = 24.0
#: Streets stop this far from the water; the quay streets (kades) run along both banks at this distance.
QUAY_SETBACK_M = 6.0
#: The only crossings: a bridge by the harbour of the old centre and one by the station (name, a point near it).
BRIDGES: tuple[tuple[str, tuple[float, float]], ...] = (
    ("Havenbrug", (187_450.0, 522_680.0)),
    ("Stationsbrug", (188_610.0, 522_150.0)),
)


def _chaikin(points: np.ndarray, rounds: int) -> np.ndarray:
    """Chaikin's corner cutting: each round replaces every segment by its points at 1/4 and 3/4."""
    for _ in range(rounds):
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], np.column_stack([q, r]).reshape(-1, 2), points[-1:]])
    return points


def canal_centreline() -> LineString:
    """The canal's centre line on the coordinate grid (it runs past the gemeente's edge at both ends)."""
    return snap(LineString(_chaikin(np.array(CANAL_WAYPOINTS_RD_M), CANAL_SMOOTHING_ROUNDS)))


def canal_water(outline: Polygon) -> Polygon:
    """The canal's water inside the gemeente ``outline`` (a strip of :data:`CANAL_WIDTH_M`)."""
    strip = canal_centreline().buffer(CANAL_WIDTH_M / 2, cap_style="flat", quad_segs=4)
    return snap(shapely.intersection(strip, outline))


def quay_zone(outline: Polygon) -> Polygon:
    """The water and its setback: no street crosses it except a bridge, no address lies in it."""
    strip = canal_centreline().buffer(CANAL_WIDTH_M / 2 + QUAY_SETBACK_M, cap_style="flat", quad_segs=4)
    return snap(shapely.intersection(strip, outline))


def bridge_lines() -> list[tuple[str, LineString]]:
    """Each bridge as a straight line across the quay zone, square to the canal, with its name.

    The ends lie on the quay lines (the edges of :func:`quay_zone`), where the noding of the
    street network joins them to the quays.
    """
    centre = canal_centreline()
    half = CANAL_WIDTH_M / 2 + QUAY_SETBACK_M
    out = []
    for name, near in BRIDGES:
        at = float(centre.project(Point(near)))
        a = np.array(centre.interpolate(at - 5.0).coords[0])
        b = np.array(centre.interpolate(at + 5.0).coords[0])
        mid = np.array(centre.interpolate(at).coords[0])
        along = (b - a) / np.hypot(*(b - a))
        across = np.array([-along[1], along[0]])
        out.append((name, snap(LineString([mid - half * across, mid + half * across]))))
    return out
