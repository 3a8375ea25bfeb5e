"""The areas of the demo: gemeente outline, wijken, buurten (organic Voronoi tilings) and their CBS kerncijfers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon

from analysis.demo.geometry import GRID_M, snap
from analysis.demo.municipality import (
    AREA_TYPES,
    CENTRE_RD_M,
    DEFAULT_SEED,
    GEMEENTE_CODE,
    GEMEENTE_NAME,
    VILLAGE_WIJK,
    WIJKEN,
    WijkSpec,
    random_stream,
)

#: Amplitudes and wave lengths (metres) of the smooth field that bends the straight Voronoi edges.
WARP_M: tuple[float, float] = (85.0, 22.0)
WARP_WAVE_M: tuple[float, float] = (1400.0, 550.0)
WARP_STEP_M = 40.0
#: Radius of the town and of the village lobe at its eastern edge (metres).
TOWN_RADIUS_M = 2500.0
VILLAGE_RADIUS_M = 1250.0
#: CBS code for a secret (suppressed) value.
CBS_SECRET = -99999999

AGE_KEYS: tuple[str, ...] = ("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR")


@dataclass
class Buurt:
    """One generated buurt with its true kerncijfers (secret values are masked only when written)."""

    code: str
    name: str
    wijk: WijkSpec
    kind: str
    geometry: Polygon
    inhabitants: int
    men: int
    women: int
    ages_pct: list[int]
    households: int
    single_pct: int
    low_income_pct: int
    secret: tuple[str, ...] = ()



def round5(value: float) -> int:
    """Round to a multiple of 5, as CBS does for counts."""
    return int(5 * round(value / 5))



def _outline(rng: np.random.Generator) -> Polygon:
    """The gemeente: an irregular town blob with a lobe for the village at the eastern edge."""
    cx, cy = CENTRE_RD_M
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    radius = np.full_like(angles, TOWN_RADIUS_M)
    for k in range(2, 6):
        radius *= 1 + rng.uniform(0.04, 0.10) / (k - 1) ** 0.5 * np.cos(k * angles + rng.uniform(0, 2 * np.pi))
    town = Polygon(np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]))
    village = next(w for w in WIJKEN if w.number == VILLAGE_WIJK)
    lobe_angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    lobe_r = VILLAGE_RADIUS_M * (1 + 0.08 * np.cos(3 * lobe_angles + rng.uniform(0, 2 * np.pi)))
    vx, vy = cx + village.offset_m[0] + 150, cy + village.offset_m[1] + 100
    lobe = Polygon(np.column_stack([vx + lobe_r * np.cos(lobe_angles), vy + lobe_r * np.sin(lobe_angles)]))
    outline = shapely.union(town, lobe).buffer(250).buffer(-250)
    return snap(outline.simplify(2.0))


def _voronoi_cells(points: np.ndarray, within: Polygon) -> list[Polygon]:
    """Voronoi cells of ``points`` (in input order) clipped to ``within`` and snapped to the grid."""
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=within, ordered=True)
    out = []
    for cell in shapely.get_parts(cells):
        clipped = snap(shapely.intersection(cell, within))
        if clipped.geom_type == "MultiPolygon":  # keep the part holding the seed's area
            clipped = max(shapely.get_parts(clipped), key=lambda g: g.area)
        out.append(clipped)
    return out


def _displacement(phases: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A smooth displacement field (slope below 1, so nothing folds over) as a coordinate function."""
    def displace(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0] - CENTRE_RD_M[0], xy[:, 1] - CENTRE_RD_M[1]
        dx = (WARP_M[0] * np.sin(2 * np.pi * y / WARP_WAVE_M[0] + phases[0])
              + WARP_M[1] * np.sin(2 * np.pi * (x + y) / WARP_WAVE_M[1] + phases[1]))
        dy = (WARP_M[0] * np.sin(2 * np.pi * x / WARP_WAVE_M[0] + phases[2])
              + WARP_M[1] * np.cos(2 * np.pi * (x - y) / WARP_WAVE_M[1] + phases[3]))
        return xy + np.column_stack([dx, dy])
    return displace


def _warp_coverage(polygons: list[Polygon], phases: np.ndarray) -> list[Polygon]:
    """Bend the straight Voronoi edges of a tiling into organic boundaries, keeping it a tiling.

    The boundaries of all polygons are noded together on the grid, densified, moved by one
    smooth displacement field and polygonised again, so neighbours share every vertex; each
    new polygon is matched to its original by a moved interior point.
    """
    displace = _displacement(phases)
    lines = shapely.union_all([p.boundary for p in polygons], grid_size=GRID_M)
    moved = shapely.transform(shapely.segmentize(lines, WARP_STEP_M), displace)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(moved))))
    inside = shapely.transform(shapely.points([shapely.point_on_surface(p).coords[0] for p in polygons]), displace)
    out = []
    for point in inside:
        hits = [f for f in faces if f.contains(point)]
        if len(hits) != 1:
            raise RuntimeError("the warped tiling lost a polygon")  # a bug in the generator, never user data
        out.append(snap(hits[0]))
    return out


def _buurt_seeds(wijk: WijkSpec, polygon: Polygon, rng: np.random.Generator) -> np.ndarray:
    """Seeds of the buurten of a wijk: clustered around its centre, spaced apart, inside the wijk."""
    cx, cy = CENTRE_RD_M[0] + wijk.offset_m[0], CENTRE_RD_M[1] + wijk.offset_m[1]
    n = len(wijk.buurten)
    min_gap = 0.55 * wijk.spread_m * 2 / math.sqrt(n)
    seeds: list[tuple[float, float]] = []
    spread = wijk.spread_m
    while len(seeds) < n:
        for _ in range(300):
            px, py = cx + rng.normal(0, spread), cy + rng.normal(0, spread)
            if polygon.buffer(-60).contains(Point(px, py)) and all(
                    math.hypot(px - sx, py - sy) >= min_gap for sx, sy in seeds):
                seeds.append((px, py))
                break
        else:
            spread *= 1.3
            min_gap *= 0.85
    pts = np.array(seeds)
    order = np.argsort(np.hypot(pts[:, 0] - cx, pts[:, 1] - cy), kind="stable")
    return pts[order]


def _kerncijfers(kind: str, rng: np.random.Generator) -> dict[str, Any]:
    """Plausible kerncijfers for a buurt of a kind (true values, before CBS secrecy)."""
    t = AREA_TYPES[kind]
    inhabitants = round5(rng.uniform(*t.population))
    shares = np.array(t.ages, float) * np.exp(rng.normal(0, 0.12, 5))
    ages = np.round(shares / shares.sum() * 100).astype(int)
    women_share = 0.5 + 0.12 * (ages[4] - 18) / 100 + rng.normal(0, 0.01)
    women = round5(inhabitants * women_share)
    size = t.household_size * math.exp(rng.normal(0, 0.05))
    return {
        "inhabitants": inhabitants, "women": women, "men": max(inhabitants - women, 0),
        "ages_pct": [int(a) for a in ages], "households": round5(inhabitants / size),
        "single_pct": int(np.clip(round(t.single_pct + rng.normal(0, 4)), 3, 90)),
        "low_income_pct": int(np.clip(round(t.low_income_pct * math.exp(rng.normal(0, 0.2))), 1, 60)),
    }


def build_areas(seed: int = DEFAULT_SEED) -> tuple[Polygon, dict[str, Polygon], list[Buurt]]:
    """The gemeente outline, the wijk polygons (by code) and the buurten, all snapped to the grid.

    Wijken are the Voronoi cells of the wijk centres inside the town outline; the buurten of a
    wijk are the Voronoi cells of seeds clustered around its centre, clipped to the wijk, so the
    buurten tile the wijken and the wijken tile the gemeente.
    """
    rng = random_stream(seed, 1)
    outline = _outline(rng)
    warp = rng.uniform(0, 2 * np.pi, 4)
    centres = np.array([[CENTRE_RD_M[0] + w.offset_m[0], CENTRE_RD_M[1] + w.offset_m[1]] for w in WIJKEN])
    wijk_cells = _voronoi_cells(centres, outline)
    wijk_polygons: dict[str, Polygon] = {}
    buurten: list[Buurt] = []
    cells: list[tuple[WijkSpec, int, Polygon]] = []
    for wijk, cell in zip(WIJKEN, wijk_cells):
        seeds = _buurt_seeds(wijk, cell, rng)
        cells.extend((wijk, number, polygon)
                     for number, polygon in enumerate(_voronoi_cells(seeds, cell), start=1))
    warped = _warp_coverage([c[2] for c in cells], warp)
    for (wijk, number, _), polygon in zip(cells, warped):
        name, kind = wijk.buurten[number - 1]
        figures = _kerncijfers(kind, rng)
        buurten.append(Buurt(code=f"BU{wijk.code[2:]}{number:02d}", name=name, wijk=wijk, kind=kind,
                             geometry=polygon, **figures))
    for wijk in WIJKEN:
        own = [b.geometry for b in buurten if b.wijk.number == wijk.number]
        wijk_polygons[wijk.code] = snap(shapely.coverage_union_all(own))
    # Industrial buurten: CBS keeps figures secret below 50 inhabitants.
    for buurt in buurten:
        if buurt.kind == "bedrijven":
            tiny = buurt.name.endswith("Noord")
            buurt.inhabitants = 10 if tiny else 0
            buurt.women, buurt.men = (5, 5) if tiny else (0, 0)
            buurt.households = 5 if tiny else 0
            buurt.secret = ("AANT_MAN", "AANT_VROUW", *AGE_KEYS, "P_EENP_HH", "P_LAAGINKP") if tiny \
                else (*AGE_KEYS, "P_EENP_HH", "P_LAAGINKP")
        elif buurt.kind == "buitengebied":
            buurt.secret = ("P_LAAGINKP",)
    return snap(shapely.coverage_union_all([b.geometry for b in buurten])), wijk_polygons, buurten


def buurt_properties(b: Buurt) -> dict[str, Any]:
    """The CBS columns of one buurt, classic spelling, secret values as -99999999."""
    area_ha = b.geometry.area / 10_000
    values: dict[str, Any] = {
        "BU_CODE": b.code, "BU_NAAM": b.name, "WK_CODE": b.wijk.code, "GM_CODE": GEMEENTE_CODE,
        "GM_NAAM": GEMEENTE_NAME, "WATER": "NEE", "AANT_INW": b.inhabitants, "AANT_MAN": b.men,
        "AANT_VROUW": b.women, **dict(zip(AGE_KEYS, b.ages_pct)), "AANTAL_HH": b.households,
        "P_EENP_HH": b.single_pct, "P_LAAGINKP": b.low_income_pct,
        "BEV_DICHTH": int(round(b.inhabitants / (area_ha / 100))) if area_ha else 0,
        "OPP_TOT": int(round(area_ha)), "OPP_LAND": int(round(area_ha)),
    }
    for key in b.secret:
        values[key] = CBS_SECRET
    if "AANT_MAN" in b.secret:
        values["BEV_DICHTH"] = CBS_SECRET
    return values


def wijk_properties(wijk: WijkSpec, polygon: Polygon, buurten: list[Buurt]) -> dict[str, Any]:
    """CBS wijk totals: the sums over all buurten, secret ones included (as CBS publishes them)."""
    own = [b for b in buurten if b.wijk.code == wijk.code]
    inhabitants = sum(b.inhabitants for b in own)
    households = sum(b.households for b in own)
    area_ha = polygon.area / 10_000
    ages = [int(round(sum(b.ages_pct[i] * b.inhabitants for b in own) / inhabitants)) if inhabitants else CBS_SECRET
            for i in range(5)]
    single = int(round(sum(b.single_pct * b.households for b in own) / households)) if households else CBS_SECRET
    low = int(round(sum(b.low_income_pct * b.households for b in own) / households)) if households else CBS_SECRET
    return {
        "WK_CODE": wijk.code, "WK_NAAM": wijk.name, "GM_CODE": GEMEENTE_CODE, "GM_NAAM": GEMEENTE_NAME,
        "WATER": "NEE", "AANT_INW": inhabitants, "AANT_MAN": sum(b.men for b in own),
        "AANT_VROUW": sum(b.women for b in own), **dict(zip(AGE_KEYS, ages)), "AANTAL_HH": households,
        "P_EENP_HH": single, "P_LAAGINKP": low,
        "BEV_DICHTH": int(round(inhabitants / (area_ha / 100))) if area_ha else 0,
        "OPP_TOT": int(round(area_ha)), "OPP_LAND": int(round(area_ha)),
    }

