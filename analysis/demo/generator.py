"""Deterministic generator of the fictional demo municipality "Voorbeeldstad (fictief)" in data/demo/."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon

ROOT_DIR = Path(__file__).resolve().parents[2]
#: Where the committed demo dataset lives.
DEMO_DIR = ROOT_DIR / "data" / "demo"
#: Where the empty input templates live.
TEMPLATES_DIR = ROOT_DIR / "data" / "templates"

DEFAULT_SEED = 2025
GEMEENTE_CODE = "GM9999"
GEMEENTE_NAME = "Voorbeeldstad (fictief)"
#: Measurement years: the baseline (nulmeting) and the follow-up (peiljaar of the manifest).
BASELINE_YEAR = 2023
YEAR = 2025
YEARS: tuple[int, int] = (BASELINE_YEAR, YEAR)
#: The town centre in RD New (EPSG:28992) metres: land in the Noordoostpolder area.
CENTRE_RD_M: tuple[float, float] = (187_500.0, 522_500.0)
#: Coordinates are rounded to this grid (metres), so adjacent buurten share exact vertices.
GRID_M = 0.1
#: Amplitudes and wave lengths (metres) of the smooth field that bends the straight Voronoi edges.
WARP_M: tuple[float, float] = (85.0, 22.0)
WARP_WAVE_M: tuple[float, float] = (1400.0, 550.0)
WARP_STEP_M = 40.0
#: Radius of the town and of the village lobe at its eastern edge (metres).
TOWN_RADIUS_M = 2500.0
VILLAGE_RADIUS_M = 1250.0
#: CBS code for a secret (suppressed) value.
CBS_SECRET = -99999999
#: The wijk without any meeting place (ontmoeting) in the peiljaar.
GAP_WIJK_NO_MEETING = "WK999904"
#: The wijk whose buurten lie far from any GP (huisarts) in the peiljaar.
GAP_WIJK_NO_GP = "WK999909"
#: The GeoJSON ``crs`` member that declares RD New (read by GDAL and by :mod:`analysis.load.files`).
GEOJSON_CRS_RD = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}

AGE_KEYS: tuple[str, ...] = ("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR")
#: Survey age classes (respondents are 16+) and their over-representation in the response.
SURVEY_AGE_CLASSES: tuple[str, ...] = ("15-24", "25-44", "45-64", "65+")
RESPONSE_BIAS: tuple[float, ...] = (0.55, 0.8, 1.1, 1.9)
#: Ways respondents (or the survey bureau) wrote an age class.
AGE_CLASS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "15-24": ("15-24", "18-24", "15 t/m 24"),
    "25-44": ("25-44", "25 t/m 44", "25-44 jaar"),
    "45-64": ("45-64", "45 tot 65", "45-64 jaar"),
    "65+": ("65+", "65 en ouder", "65 jaar of ouder"),
}


@dataclass(frozen=True)
class AreaType:
    """Demographic and social profile of a kind of buurt.

    Attributes
    ----------
    population : tuple of int
        Range of inhabitants per buurt.
    ages : tuple of float
        Shares (%) of the age groups 0-14, 15-24, 25-44, 45-64, 65+.
    household_size : float
        Mean persons per household.
    single_pct : float
        Single-person households (% of households).
    low_income_pct : float
        Households with a low income (%).
    cohesion : float
        Mean latent cohesion on the 0-10 scale.
    lonely : float
        Shift of the latent loneliness (standard deviations).
    volunteer, helps, carer, meets : float
        Shares (0-1) volunteering, helping informally, caring (mantelzorg), visiting meeting places.
    associations_per_1000 : float
        Associations per 1,000 inhabitants.
    app_share : float
        Share of inhabitants active on the buurt-app.
    """

    population: tuple[int, int]
    ages: tuple[float, float, float, float, float]
    household_size: float
    single_pct: float
    low_income_pct: float
    cohesion: float
    lonely: float
    volunteer: float
    helps: float
    carer: float
    meets: float
    associations_per_1000: float
    app_share: float


AREA_TYPES: dict[str, AreaType] = {
    "centrum": AreaType((900, 1900), (8, 19, 40, 20, 13), 1.55, 62, 15, 5.65, 0.25, 0.27, 0.28, 0.10, 0.42, 4.0, 0.05),
    "stedelijk": AreaType((1000, 1800), (13, 14, 36, 23, 14), 1.8, 50, 13, 6.05, 0.1, 0.30, 0.32, 0.11, 0.33, 3.0, 0.06),
    "naoorlogs": AreaType((900, 1600), (10, 9, 22, 25, 34), 1.75, 52, 11, 6.25, 0.3, 0.31, 0.40, 0.15, 0.40, 3.4, 0.05),
    "portiek": AreaType((1000, 1700), (15, 13, 27, 23, 22), 1.9, 50, 20, 5.75, 0.35, 0.23, 0.33, 0.13, 0.33, 2.6, 0.04),
    "gemengd": AreaType((1000, 1700), (17, 11, 24, 29, 19), 2.2, 33, 7, 6.75, 0.0, 0.38, 0.42, 0.14, 0.32, 3.5, 0.07),
    "nieuwbouw": AreaType((800, 1500), (27, 8, 38, 20, 7), 2.8, 17, 4, 6.55, -0.2, 0.33, 0.36, 0.10, 0.22, 1.9, 0.10),
    "dorp": AreaType((450, 1100), (17, 12, 20, 29, 22), 2.4, 26, 5, 7.65, -0.25, 0.52, 0.55, 0.18, 0.50, 6.5, 0.06),
    "buitengebied": AreaType((120, 320), (15, 12, 19, 33, 21), 2.6, 20, 6, 7.75, -0.2, 0.50, 0.58, 0.19, 0.40, 3.0, 0.04),
    "woonwerk": AreaType((150, 300), (12, 16, 38, 24, 10), 1.9, 45, 14, 5.55, 0.2, 0.22, 0.25, 0.08, 0.25, 5.0, 0.03),
    "bedrijven": AreaType((0, 20), (10, 15, 45, 25, 5), 1.6, 60, 20, 5.35, 0.2, 0.2, 0.2, 0.05, 0.2, 0.0, 0.0),
}


@dataclass(frozen=True)
class WijkSpec:
    """One wijk of the demo: code, name, place, and its buurten from the centre outwards.

    Attributes
    ----------
    number : int
        Wijk number (the last two digits of the wijk code).
    name : str
        Wijk name.
    offset_m : tuple of float
        Position of the wijk centre relative to :data:`CENTRE_RD_M`.
    spread_m : float
        Spread of the buurt seeds around the wijk centre.
    buurten : tuple of (str, str)
        Buurt name and :data:`AREA_TYPES` key, nearest to the wijk centre first.
    cohesion_change : float
        Change of the latent cohesion from the baseline to the peiljaar.
    lonely_change : float
        Change of the latent loneliness.
    meets_change : float
        Change of the share visiting meeting places.
    response : float
        Relative response rate of the survey.
    """

    number: int
    name: str
    offset_m: tuple[float, float]
    spread_m: float
    buurten: tuple[tuple[str, str], ...]
    cohesion_change: float = 0.0
    lonely_change: float = 0.0
    meets_change: float = 0.0
    response: float = 1.0

    @property
    def code(self) -> str:
        """The CBS-style wijk code, ``WK9999`` + two digits."""
        return f"WK{GEMEENTE_CODE[2:]}{self.number:02d}"


WIJKEN: tuple[WijkSpec, ...] = (
    WijkSpec(1, "Centrum", (0, 0), 380, (
        ("Binnenstad", "centrum"), ("Marktkwartier", "centrum"), ("Havenkwartier", "centrum"),
        ("Kerkbuurt", "centrum"), ("Stadswallen", "stedelijk"), ("Singelzone", "stedelijk")),
        cohesion_change=0.1, response=0.7),
    WijkSpec(2, "Stationskwartier", (850, -700), 360, (
        ("Stationsbuurt", "stedelijk"), ("Spoorzicht", "stedelijk"), ("Remise", "stedelijk"),
        ("Emplacement", "centrum"), ("Lindenhof", "gemengd")), response=0.8),
    WijkSpec(3, "Vogelbuurt", (-1050, -600), 390, (
        ("Merelhof", "naoorlogs"), ("Lijsterbuurt", "naoorlogs"), ("Spechtenbuurt", "naoorlogs"),
        ("Reigerstraat e.o.", "naoorlogs"), ("Zwaluwhof", "gemengd"), ("Kievitsveld", "gemengd")),
        cohesion_change=0.25),
    WijkSpec(4, "Bloemenwijk", (-1000, 750), 360, (
        ("Rozenhof", "naoorlogs"), ("Tulpenbuurt", "naoorlogs"), ("Klaprooswijk", "naoorlogs"),
        ("Irisbuurt", "naoorlogs"), ("Dahliaveld", "portiek")),
        cohesion_change=-0.55, lonely_change=0.2, meets_change=-0.18),
    WijkSpec(5, "Het Veld", (150, 1300), 420, (
        ("Veldhuizen", "gemengd"), ("Akkerbuurt", "gemengd"), ("Esdoornbuurt", "gemengd"),
        ("Korenbloem", "gemengd"), ("Hooiland", "gemengd"), ("Weidezoom", "naoorlogs"))),
    WijkSpec(6, "Waterrijk", (-1500, -1750), 440, (
        ("Waterrijk-Centrum", "nieuwbouw"), ("Eilandenbuurt", "nieuwbouw"), ("Oeverbuurt", "nieuwbouw"),
        ("Kreekrijk", "nieuwbouw"), ("Rietkraag", "nieuwbouw"), ("Waterrijk-Zuid", "nieuwbouw")),
        cohesion_change=0.45, lonely_change=-0.1, meets_change=0.12, response=1.1),
    WijkSpec(7, "De Hoven", (1100, 600), 360, (
        ("Hofstede", "gemengd"), ("Kloosterhof", "gemengd"), ("Pastorie", "naoorlogs"),
        ("Boomgaard", "gemengd"), ("Hovenpark", "gemengd")), cohesion_change=-0.05),
    WijkSpec(8, "Bedrijvenpark De Vaart", (1850, -1600), 450, (
        ("Vaartkade", "woonwerk"), ("De Vaart-Noord", "bedrijven"), ("De Vaart-Zuid", "bedrijven")),
        response=0.0),  # outside the survey's sample frame
    WijkSpec(9, "Oosterdorp", (3600, 2000), 300, (
        ("Dorpskern Oosterdorp", "dorp"), ("De Essen", "dorp"), ("Molenbuurt", "dorp"),
        ("Buitengebied Noord", "buitengebied"), ("Buitengebied Oost", "buitengebied")),
        response=1.2),
    WijkSpec(10, "Zuiderhage", (0, -1700), 400, (
        ("Hagepoort", "portiek"), ("Zuidflank", "portiek"), ("Meidoornbuurt", "portiek"),
        ("Sleedoornhof", "naoorlogs"), ("Hagewinde", "gemengd")),
        cohesion_change=-0.15, lonely_change=0.1, response=0.75),
)


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


@dataclass
class Facility:
    """One facility with the years it existed (a row per year in the files)."""

    id: str
    naam: str
    component: str
    soort: str
    geometry: Any
    years: tuple[int, ...] = YEARS
    capaciteit: float | None = None
    bezetting_pct: dict[int, float] | None = None


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def _rng(seed: int, part: int) -> np.random.Generator:
    """An independent random stream per part, so changing one part leaves the others as they were."""
    return np.random.default_rng([int(seed), int(part)])


def _snap(geometry: Any) -> Any:
    """Geometry on the :data:`GRID_M` grid (valid output)."""
    return shapely.set_precision(geometry, GRID_M)


def _round5(value: float) -> int:
    """Round to a multiple of 5, as CBS does for counts."""
    return int(5 * round(value / 5))


def _fmt(value: Any, decimals: int = 0, comma: bool = False) -> str:
    """A number with fixed decimals (empty for None/NaN), optionally with a Dutch decimal comma."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if comma else text


def rd_to_wgs84(x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
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


def _point_in(polygon: Polygon, rng: np.random.Generator, margin_m: float = 40.0,
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


# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------

def _outline(rng: np.random.Generator) -> Polygon:
    """The gemeente: an irregular town blob with a lobe for the village at the eastern edge."""
    cx, cy = CENTRE_RD_M
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    radius = np.full_like(angles, TOWN_RADIUS_M)
    for k in range(2, 6):
        radius *= 1 + rng.uniform(0.04, 0.10) / (k - 1) ** 0.5 * np.cos(k * angles + rng.uniform(0, 2 * np.pi))
    town = Polygon(np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]))
    village = next(w for w in WIJKEN if w.number == 9)
    lobe_angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    lobe_r = VILLAGE_RADIUS_M * (1 + 0.08 * np.cos(3 * lobe_angles + rng.uniform(0, 2 * np.pi)))
    vx, vy = cx + village.offset_m[0] + 150, cy + village.offset_m[1] + 100
    lobe = Polygon(np.column_stack([vx + lobe_r * np.cos(lobe_angles), vy + lobe_r * np.sin(lobe_angles)]))
    outline = shapely.union(town, lobe).buffer(250).buffer(-250)
    return _snap(outline.simplify(2.0))


def _voronoi_cells(points: np.ndarray, within: Polygon) -> list[Polygon]:
    """Voronoi cells of ``points`` (in input order) clipped to ``within`` and snapped to the grid."""
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=within, ordered=True)
    out = []
    for cell in shapely.get_parts(cells):
        clipped = _snap(shapely.intersection(cell, within))
        if clipped.geom_type == "MultiPolygon":  # keep the part holding the seed's area
            clipped = max(shapely.get_parts(clipped), key=lambda g: g.area)
        out.append(clipped)
    return out


def _displacement(phases: np.ndarray):
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
        out.append(_snap(hits[0]))
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
    inhabitants = _round5(rng.uniform(*t.population))
    shares = np.array(t.ages, float) * np.exp(rng.normal(0, 0.12, 5))
    ages = np.round(shares / shares.sum() * 100).astype(int)
    women_share = 0.5 + 0.12 * (ages[4] - 18) / 100 + rng.normal(0, 0.01)
    women = _round5(inhabitants * women_share)
    size = t.household_size * math.exp(rng.normal(0, 0.05))
    return {
        "inhabitants": inhabitants, "women": women, "men": max(inhabitants - women, 0),
        "ages_pct": [int(a) for a in ages], "households": _round5(inhabitants / size),
        "single_pct": int(np.clip(round(t.single_pct + rng.normal(0, 4)), 3, 90)),
        "low_income_pct": int(np.clip(round(t.low_income_pct * math.exp(rng.normal(0, 0.2))), 1, 60)),
    }


def build_areas(seed: int = DEFAULT_SEED) -> tuple[Polygon, dict[str, Polygon], list[Buurt]]:
    """The gemeente outline, the wijk polygons (by code) and the buurten, all snapped to the grid.

    Wijken are the Voronoi cells of the wijk centres inside the town outline; the buurten of a
    wijk are the Voronoi cells of seeds clustered around its centre, clipped to the wijk, so the
    buurten tile the wijken and the wijken tile the gemeente.
    """
    rng = _rng(seed, 1)
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
        wijk_polygons[wijk.code] = _snap(shapely.coverage_union_all(own))
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
    return _snap(shapely.coverage_union_all([b.geometry for b in buurten])), wijk_polygons, buurten


def _buurt_properties(b: Buurt) -> dict[str, Any]:
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


def _wijk_properties(wijk: WijkSpec, polygon: Polygon, buurten: list[Buurt]) -> dict[str, Any]:
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


# ---------------------------------------------------------------------------------------------
# Facilities
# ---------------------------------------------------------------------------------------------

SCHOOL_NAMES: tuple[str, ...] = (
    "OBS De Regenboog", "CBS De Wegwijzer", "RKBS Sint Jozef", "IKC De Vlinder", "Basisschool Het Kompas",
    "OBS De Springplank", "CBS De Ark", "Montessorischool Voorbeeldstad", "Daltonschool De Sterrenboog",
    "OBS De Tweemaster", "CBS Het Anker", "RKBS De Triangel", "Basisschool De Zonnewijzer",
    "OBS 't Startblok", "CBS De Fontein", "Jenaplanschool De Wilgen", "OBS De Kleine Prins",
    "CBS Koningin Juliana", "Basisschool De Bolster", "OBS Het Palet", "CBS De Bron", "Vrije School De Es",
)


def _first_buurt(buurten: list[Buurt], wijk_number: int, index: int = 0) -> Buurt:
    """The ``index``-th buurt of a wijk (0 = the one at its centre), wrapping around."""
    own = [b for b in buurten if b.wijk.number == wijk_number]
    return own[index % len(own)]


def _park_polygon(buurt: Buurt, rng: np.random.Generator, radius_m: float) -> Polygon:
    """An irregular park inside a buurt."""
    centre = _point_in(buurt.geometry, rng, margin_m=radius_m * 0.8)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    r = radius_m * (1 + 0.25 * np.cos(2 * angles + rng.uniform(0, 6.3)) + 0.1 * np.cos(3 * angles + rng.uniform(0, 6.3)))
    shape = Polygon(np.column_stack([centre.x + r * np.cos(angles), centre.y + r * np.sin(angles)]))
    return _snap(shapely.intersection(shape, buurt.geometry.buffer(-10)))


def build_facilities(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[Facility]:
    """Facilities of the seven place components, with the deliberate gaps and changes.

    Gaps: Bloemenwijk (:data:`GAP_WIJK_NO_MEETING`) loses its only buurthuis in 2024, and the
    GP practice of Oosterdorp (:data:`GAP_WIJK_NO_GP`) closes in 2024. Openings in 2024: a
    wijkcentrum, a kindcentrum and a park in the new-build wijk Waterrijk, a Cruyff Court and a
    cultuurhuis in Zuiderhage. Closures: a school in the Vogelbuurt merges away.
    """
    rng = _rng(seed, 2)
    out: list[Facility] = []
    counters: dict[str, int] = {}

    def add(component: str, soort: str, naam: str, buurt: Buurt, years: tuple[int, ...] = YEARS,
            capaciteit: float | None = None, occupancy: float | None = None, geometry: Any = None,
            central: bool = False) -> None:
        prefix = {"ontmoeting": "ONT", "verenigingen": "VER", "onderwijs": "OND", "zorg": "ZRG",
                  "cultuur": "CUL", "sport": "SPO", "openbare_ruimte": "OR"}[component]
        counters[prefix] = counters.get(prefix, 0) + 1
        if geometry is None:
            near = tuple(shapely.point_on_surface(buurt.geometry).coords[0]) if central else None
            geometry = _point_in(buurt.geometry, rng, near=near, spread_m=120)
        bezetting = None
        if occupancy is not None:
            bezetting = {y: float(np.clip(round(occupancy + rng.normal(0, 6)), 10, 100)) for y in years}
        out.append(Facility(f"{prefix}-{counters[prefix]:03d}", naam, component, soort, geometry, years,
                            capaciteit, bezetting))

    residential = [w for w in WIJKEN if w.number != 8]
    only_2023, only_2025 = (BASELINE_YEAR,), (YEAR,)

    # ontmoeting
    for w in residential:
        hub = _first_buurt(buurten, w.number)
        if w.code == GAP_WIJK_NO_MEETING:
            add("ontmoeting", "buurthuis", "Buurthuis De Klaproos", hub, only_2023, 80, 45, central=True)
        elif w.number == 6:
            add("ontmoeting", "wijkcentrum", "Wijkcentrum De Kreek", hub, only_2025, 150, 70, central=True)
        elif w.number == 9:
            add("ontmoeting", "dorpshuis", "Dorpshuis De Brink", hub, YEARS, 220, 78, central=True)
        else:
            add("ontmoeting", "wijkcentrum", f"Wijkcentrum {w.name}", hub, YEARS,
                int(rng.integers(12, 30)) * 10, int(rng.integers(45, 90)), central=True)
    add("ontmoeting", "bibliotheek", "Bibliotheek Voorbeeldstad", _first_buurt(buurten, 1, 1), YEARS, 300, 65)
    add("ontmoeting", "bibliotheek", "Bibliotheekpunt Het Veld", _first_buurt(buurten, 5, 2), YEARS)
    for number, index, name in ((1, 3, "Buurtkamer De Kerkuil"), (3, 4, "Buurtkamer Zwaluwnest"),
                                (5, 4, "Buurtkamer Hooiland"), (10, 1, "Huiskamer van Zuiderhage"),
                                (10, 3, "Buurtkamer De Sleedoorn"), (2, 4, "Buurtkamer Lindenhof"),
                                (7, 2, "Ontmoetingscentrum De Pastorie")):
        add("ontmoeting", "buurtkamer", name, _first_buurt(buurten, number, index), YEARS,
            int(rng.integers(2, 6)) * 10, int(rng.integers(30, 95)))

    # verenigingen: clubhouses of associations
    for number, index, name in ((5, 5, "Clubhuis VV Het Veld"), (9, 3, "Clubhuis SV Oosterdorp"),
                                (3, 5, "Clubhuis Tennisclub De Kievit"), (7, 4, "Clubhuis HC De Hoven"),
                                (10, 4, "Clubhuis VV Zuiderhage"), (6, 4, "Scoutinggebouw Rietkraag")):
        add("verenigingen", "clubhuis", name, _first_buurt(buurten, number, index), YEARS)

    # onderwijs
    names = iter(SCHOOL_NAMES)
    for w in residential:
        own = [b for b in buurten if b.wijk.number == w.number]
        children = sum(b.inhabitants * b.ages_pct[0] for b in own) / 100
        n_schools = max(1, int(round(children / 420)))
        for k in range(n_schools):
            name = next(names)
            years = only_2023 if name == "CBS De Bron" else YEARS
            add("onderwijs", "basisonderwijs", name, own[(2 * k + 1) % len(own)], years,
                int(rng.integers(12, 45)) * 10)
    add("onderwijs", "basisonderwijs", "IKC Waterrijk", _first_buurt(buurten, 6, 2), only_2025, 420)
    add("onderwijs", "voortgezet onderwijs", "Voorbeeldstad College", _first_buurt(buurten, 2, 2), YEARS, 1450)
    add("onderwijs", "voortgezet onderwijs", "Lyceum aan de Vaart", _first_buurt(buurten, 7, 3), YEARS, 980)
    add("onderwijs", "mbo", "ROC Voorbeeldstad", _first_buurt(buurten, 2, 3), YEARS, 2100)

    # zorg: GPs everywhere but the village (its practice closes in 2024) and the industrial area
    gp_names = {1: ("Huisartsen Binnenstad", "Gezondheidscentrum De Markt"), 2: ("Huisartsenpraktijk Spoorzicht",),
                3: ("Huisartsenpraktijk Merelhof", "Gezondheidscentrum Vogelbuurt"), 4: ("Huisartsen Rozenhof",),
                5: ("Gezondheidscentrum Het Veld", "Huisartsenpraktijk Korenbloem"), 6: ("Huisartsen Waterrijk",),
                7: ("Huisartsenpraktijk De Hoven",), 10: ("Gezondheidscentrum Zuiderhage", "Huisarts Hagepoort")}
    for number, names_gp in gp_names.items():
        for k, name in enumerate(names_gp):
            add("zorg", "huisarts", name, _first_buurt(buurten, number, k * 2), YEARS,
                int(rng.integers(23, 70)) * 100, central=(k == 0))
    add("zorg", "huisarts", "Huisartsenpraktijk Oosterdorp", _first_buurt(buurten, 9), only_2023, 2600, central=True)
    for number, index, name in ((1, 0, "Apotheek De Markt"), (3, 0, "Apotheek Vogelbuurt"),
                                (5, 0, "Apotheek Het Veld"), (10, 0, "Apotheek Zuiderhage"),
                                (6, 0, "Apotheek Waterrijk")):
        add("zorg", "apotheek", name, _first_buurt(buurten, number, index), YEARS)
    for number, name in ((1, "Sociaal wijkteam Centrum"), (3, "Sociaal wijkteam West"),
                         (7, "Sociaal wijkteam Oost"), (10, "Sociaal wijkteam Zuid")):
        add("zorg", "wijkteam", name, _first_buurt(buurten, number, 1), YEARS)
    add("zorg", "consultatiebureau", "Consultatiebureau Het Veld", _first_buurt(buurten, 5, 1))
    add("zorg", "consultatiebureau", "Consultatiebureau Waterrijk", _first_buurt(buurten, 6, 1))
    add("zorg", "welzijnsorganisatie", "Stichting Welzijn Voorbeeldstad", _first_buurt(buurten, 1, 2))

    # cultuur
    for number, index, soort, name, years, cap in (
            (1, 0, "theater", "Schouwburg De Kolk", YEARS, 650), (1, 2, "museum", "Stadsmuseum Voorbeeldstad", YEARS, None),
            (1, 1, "filmhuis", "Filmhuis De Lantaarn", YEARS, 180), (2, 1, "muziekschool", "Muziekschool Voorbeeldstad", YEARS, None),
            (7, 0, "cultuurhuis", "Cultuurhuis De Hoven", YEARS, 120), (8, 0, "podium", "Poppodium De Loods", YEARS, 700),
            (10, 2, "cultuurhuis", "Cultuurhuis Zuiderhage", only_2025, 90)):
        add("cultuur", soort, name, _first_buurt(buurten, number, index), years, cap,
            int(rng.integers(40, 85)) if cap else None)

    # sport
    for number, index, name in ((3, 2, "Sporthal De Specht"), (5, 3, "Sporthal Het Veld"), (2, 4, "Sporthal Remise"),
                                (10, 3, "Sporthal Zuiderhage"), (9, 1, "Gymzaal Oosterdorp")):
        add("sport", "sporthal", name, _first_buurt(buurten, number, index), YEARS,
            int(rng.integers(3, 9)) * 100, int(rng.integers(55, 95)))
    add("sport", "zwembad", "Zwembad De Vaart", _first_buurt(buurten, 5, 4), YEARS, 900, 72)
    for number, index in ((5, 5), (9, 3), (3, 5), (7, 4), (10, 4), (6, 5)):
        w = WIJKEN[number - 1]
        add("sport", "sportpark", f"Sportpark {w.name}", _first_buurt(buurten, number, index))
    add("sport", "cruyff court", "Cruyff Court Vogelbuurt", _first_buurt(buurten, 3, 1))
    add("sport", "cruyff court", "Cruyff Court Hagepoort", _first_buurt(buurten, 10, 0), only_2025)
    for number, index in ((6, 2), (1, 4), (4, 2)):
        add("sport", "buitenfitness", f"Buitenfitness {_first_buurt(buurten, number, index).name}",
            _first_buurt(buurten, number, index))

    # openbare ruimte: parks as polygons, playgrounds, squares and gardens as points
    for number, index, name, radius, years in (
            (1, 4, "Stadspark", 200, YEARS), (3, 3, "Vogelpark", 130, YEARS), (4, 1, "Julianapark", 120, YEARS),
            (5, 2, "Park De Wetering", 170, YEARS), (6, 0, "Park Waterrijk", 150, only_2025),
            (7, 4, "Hovenpark", 130, YEARS), (9, 0, "Dorpsweide", 90, YEARS), (10, 3, "Hagepark", 120, YEARS),
            (2, 4, "Lindenplantsoen", 70, YEARS)):
        buurt = _first_buurt(buurten, number, index)
        add("openbare_ruimte", "park", name, buurt, years, geometry=_park_polygon(buurt, rng, radius))
    for b in buurten:
        if b.kind in ("bedrijven", "buitengebied", "woonwerk"):
            continue
        if rng.uniform() < (0.75 if b.kind in ("nieuwbouw", "gemengd", "dorp") else 0.45):
            add("openbare_ruimte", "speeltuin", f"Speeltuin {b.name}", b, YEARS)
    add("openbare_ruimte", "plein", "Grote Markt", _first_buurt(buurten, 1, 0), YEARS, central=True)
    add("openbare_ruimte", "plein", "Stationsplein", _first_buurt(buurten, 2, 0), YEARS)
    add("openbare_ruimte", "moestuin", "Buurtmoestuin De Tuinen", _first_buurt(buurten, 10, 1), YEARS)
    add("openbare_ruimte", "moestuin", "Pluktuin Oosterdorp", _first_buurt(buurten, 9, 2), YEARS)
    return out


# ---------------------------------------------------------------------------------------------
# Associations and ties
# ---------------------------------------------------------------------------------------------

ASSOCIATION_KINDS: dict[str, tuple[str, ...]] = {
    "sport": ("Voetbalvereniging {w}", "Tennisclub {w}", "Korfbalvereniging {w}", "Volleybalclub {w}",
              "Gymnastiekvereniging {w}", "Badmintonclub {w}", "Jeu de boules-club {b}", "Wandelclub {w}",
              "Hockeyclub {w}", "Zwemvereniging {w}", "Biljartclub {b}"),
    "muziek en cultuur": ("Koor {w}", "Harmonie {w}", "Toneelvereniging {w}", "Dansgroep {b}", "Popkoor {w}",
                          "Fanfare {w}", "Shantykoor {w}"),
    "buurt en bewoners": ("Buurtvereniging {b}", "Bewonerscommissie {b}", "Oranjevereniging {w}",
                          "Buurtcomité {b}", "Speeltuinvereniging {b}", "Wijkraad {w}"),
    "ouderen": ("Ouderenvereniging {w}", "KBO-afdeling {w}", "Seniorensoos {b}", "PCOB {w}"),
    "levensbeschouwing": ("Protestantse gemeente {w}", "Parochie {w}", "Moskeevereniging {w}",
                          "Evangeliegemeente {w}", "Vrouwenvereniging {w}"),
    "vrijwilligerswerk": ("Repair Café {w}", "Taalcafé {w}", "Buurtbus {w}", "Maatjesproject {w}",
                          "Voedselbank-uitgiftepunt {w}", "Boodschappendienst {b}", "Klussendienst {w}"),
    "jeugd": ("Scouting {w}", "Jongerenwerkgroep {w}", "Oudergroep {b}", "Kinderclub {b}", "Tienersoos {w}"),
    "hobby": ("Schaakclub {w}", "Fotoclub {w}", "Volkstuinvereniging {w}", "Hobbyclub {b}",
              "Handwerkclub {b}", "Imkervereniging {w}", "Modelspoorclub {w}"),
}
KIND_WEIGHTS: dict[str, tuple[float, ...]] = {
    # sport, muziek, buurt, ouderen, levensbeschouwing, vrijwilligers, jeugd, hobby
    "default": (0.24, 0.11, 0.16, 0.07, 0.09, 0.13, 0.08, 0.12),
    "naoorlogs": (0.16, 0.11, 0.16, 0.17, 0.12, 0.12, 0.04, 0.12),
    "nieuwbouw": (0.30, 0.06, 0.22, 0.02, 0.04, 0.08, 0.20, 0.08),
    "centrum": (0.12, 0.20, 0.10, 0.05, 0.12, 0.22, 0.05, 0.14),
}
#: Typical number of members per kind of association (the median of a log-normal spread).
TYPICAL_MEMBERS: dict[str, int] = {"sport": 180, "muziek en cultuur": 45, "buurt en bewoners": 60, "ouderen": 220,
                                   "levensbeschouwing": 260, "vrijwilligerswerk": 35, "jeugd": 70, "hobby": 40}
TIE_KINDS: tuple[str, ...] = ("gedeelde_leden", "gedeeld_bestuur", "samenwerking", "gedeelde_locatie")
#: Share of associations located only by their buurtcode (no x/y). Zero for now: the associations
#: loader reports every row without coordinates as "geen locatie" even when it has a buurtcode.
BUURTCODE_ONLY_SHARE = 0.2


@dataclass
class Association:
    """One association with its home buurt, location, members per year and the years it existed."""

    id: str
    naam: str
    soort: str
    buurt: Buurt
    point: Point | None
    members: dict[int, int]
    active: dict[int, bool]
    hub: bool = False
    isolated: bool = False


def build_associations(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[Association]:
    """About 200 associations, spread over the wijken by population and type.

    Every association has its buurtcode and, except a share :data:`BUURTCODE_ONLY_SHARE`, RD
    coordinates. Some start in 2024 (only in the 2025 rows), some stop after 2023, a few are
    dormant (actief = nee).
    """
    rng = _rng(seed, 3)
    kinds = list(ASSOCIATION_KINDS)
    used: set[str] = set()
    out: list[Association] = []
    for wijk in WIJKEN:
        own = [b for b in buurten if b.wijk.number == wijk.number and b.inhabitants > 0]
        population = np.array([b.inhabitants for b in own], float)
        rate = np.array([AREA_TYPES[b.kind].associations_per_1000 for b in own])
        expected = float((population * rate).sum() / 1000)
        if wijk.number == 8:
            expected = 3  # a business club, a podium association and the like on the industrial estate
        count = int(round(expected))
        weights_key = own[0].kind if own[0].kind in KIND_WEIGHTS else "default"
        weights = np.array(KIND_WEIGHTS[weights_key])
        chance = population * rate / (population * rate).sum() if (population * rate).sum() else \
            np.full(len(own), 1 / len(own))
        for k in range(count):
            soort = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
            buurt = own[int(rng.choice(len(own), p=chance))]
            templates = ASSOCIATION_KINDS[soort]
            name = None
            for t in rng.permutation(len(templates)):
                for label in (wijk.name, buurt.name):
                    candidate = templates[int(t)].format(w=label, b=buurt.name)
                    if candidate not in used:
                        name = candidate
                        break
                if name:
                    break
            if name is None:
                name = f"{templates[0].format(w=wijk.name, b=buurt.name)} {k + 2}"
            used.add(name)
            size = TYPICAL_MEMBERS[soort]
            members_2025 = max(5, int(round(size * math.exp(rng.normal(0, 0.55)))))
            members_2023 = max(5, int(round(members_2025 * math.exp(rng.normal(-0.02, 0.12)))))
            years = {BASELINE_YEAR: members_2023, YEAR: members_2025}
            start = rng.uniform()
            if start < (0.22 if wijk.number == 6 else 0.04):
                years.pop(BASELINE_YEAR)  # founded in 2024
            elif start > 0.965:
                years.pop(YEAR)  # stopped after 2023
            active = {y: True for y in years}
            if YEAR in active and rng.uniform() < 0.03:
                active[YEAR] = False
            by_code_only = rng.uniform() < BUURTCODE_ONLY_SHARE
            point = None if by_code_only else _point_in(buurt.geometry, rng, margin_m=25)
            out.append(Association("", name, soort, buurt, point, years, active))
    out.sort(key=lambda a: (a.buurt.code, a.naam))
    for number, assoc in enumerate(out, start=1):
        assoc.id = f"V{number:03d}"
    # City-wide hubs (bridging organisations) in the centre, and isolated associations.
    for assoc in out:
        if assoc.buurt.wijk.number == 1 and assoc.soort in ("vrijwilligerswerk", "muziek en cultuur"):
            assoc.hub = True
    candidates = [a for a in out if not a.hub]
    for position in rng.choice(len(candidates), size=12, replace=False):
        candidates[int(position)].isolated = True
    return out


def build_ties(associations: list[Association], seed: int = DEFAULT_SEED) -> list[tuple[str, str, str, int, int]]:
    """Ties per year: dense clusters inside each wijk, a few bridges across wijken, isolated associations.

    Returns
    -------
    list of tuple
        ``(van, naar, soort, gewicht, jaar)`` sorted by year and ids.
    """
    rng = _rng(seed, 4)
    by_wijk: dict[int, list[Association]] = {}
    for a in associations:
        if not a.isolated:
            by_wijk.setdefault(a.buurt.wijk.number, []).append(a)
    edges: dict[tuple[str, str], tuple[str, int]] = {}

    def tie_kind(a: Association, b: Association) -> str:
        if a.buurt.code == b.buurt.code and rng.uniform() < 0.4:
            return "gedeelde_locatie"
        return TIE_KINDS[int(rng.choice(3, p=[0.5, 0.2, 0.3]))]

    def connect(a: Association, b: Association, kind: str | None = None) -> None:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if a.id != b.id and key not in edges:
            edges[key] = (kind or tie_kind(a, b), int(rng.integers(1, 6)))

    for number in sorted(by_wijk):
        members = by_wijk[number]
        if len(members) < 2:
            continue
        for a in members:
            k = 1 + int(rng.poisson(2.4))
            same_buurt = np.array([m.buurt.code == a.buurt.code for m in members], float)
            same_kind = np.array([m.soort == a.soort for m in members], float)
            weight = 1 + 2.5 * same_buurt + 1.5 * same_kind
            weight[[m.id == a.id for m in members]] = 0
            for j in rng.choice(len(members), size=min(k, len(members) - 1), replace=False, p=weight / weight.sum()):
                connect(a, members[int(j)])
    hubs = [a for a in associations if a.hub and not a.isolated]
    for number in sorted(by_wijk):
        if number == 1 or not hubs:
            continue
        members = by_wijk[number]
        for a in rng.choice(len(members), size=min(2, len(members)), replace=False):
            connect(members[int(a)], hubs[int(rng.integers(len(hubs)))], "samenwerking")
    numbers = sorted(by_wijk)
    for _ in range(8):  # a few bridges between neighbouring wijken (sport and church members)
        w1, w2 = rng.choice(numbers, size=2, replace=False)
        a = by_wijk[int(w1)][int(rng.integers(len(by_wijk[int(w1)])))]
        b = by_wijk[int(w2)][int(rng.integers(len(by_wijk[int(w2)])))]
        connect(a, b, "gedeelde_leden")

    present = {a.id: set(a.members) for a in associations}
    rows: list[tuple[str, str, str, int, int]] = []
    for (van, naar), (kind, weight) in sorted(edges.items()):
        for year in YEARS:
            if year not in present[van] or year not in present[naar]:
                continue
            if year == BASELINE_YEAR and rng.uniform() < 0.07:
                continue  # a tie that only came about after the baseline
            if year == YEAR and rng.uniform() < 0.04:
                continue  # a tie that ended
            change = int(rng.integers(-1, 2)) if year == YEAR else 0
            rows.append((van, naar, kind, int(np.clip(weight + change, 1, 5)), year))
    rows.sort(key=lambda r: (r[4], r[0], r[1]))
    return rows


# ---------------------------------------------------------------------------------------------
# Survey
# ---------------------------------------------------------------------------------------------

COHESION_ITEMS: tuple[str, ...] = tuple(f"samenhang_{i}" for i in range(1, 6))
LONELINESS_ITEMS: tuple[str, ...] = tuple(f"eenzaam_{i}" for i in range(1, 7))
#: De Jong Gierveld: items 2, 3 and 5 are positively worded (reversed when scored).
LONELINESS_POSITIVE: tuple[str, ...] = ("eenzaam_2", "eenzaam_3", "eenzaam_5")
SATISFACTION_ITEMS: tuple[str, ...] = ("tevreden_ontmoeting", "tevreden_sport", "tevreden_zorg", "tevreden_groen")
#: The yes/no questions scored as shares: scale name, item, indicator key, Dutch label.
YES_NO_SCALES: tuple[tuple[str, str, str, str], ...] = (
    ("vrijwilligerswerk", "vrijwilliger", "vrijwilliger_pct", "Vrijwilligerswerk in de afgelopen 12 maanden"),
    ("informele_hulp", "informele_hulp", "informele_hulp_pct", "Hulp aan buren en anderen buiten een organisatie om"),
    ("mantelzorg", "mantelzorg", "mantelzorg_pct", "Mantelzorg voor een naaste"),
    ("gebruik_ontmoeting", "gebruik_ontmoeting", "gebruik_ontmoeting_pct",
     "Het afgelopen jaar een buurthuis, wijkcentrum, bibliotheek of andere ontmoetingsplek bezocht"),
)
YES_NO_ITEMS: tuple[str, ...] = tuple(item for _, item, _, _ in YES_NO_SCALES)
SURVEY_COLUMNS: tuple[str, ...] = ("respondent", "jaar", "buurtcode", "leeftijd", "geslacht", *COHESION_ITEMS,
                                   *LONELINESS_ITEMS, *YES_NO_ITEMS, *SATISFACTION_ITEMS)
#: Share of answers "weet niet / geen antwoord" (code 9) and of empty cells.
DONT_KNOW_SHARE = 0.025
EMPTY_SHARE = 0.008
#: Respondents per inhabitant aged 15+ in each year (before the wijk's response factor).
RESPONSE_RATE: dict[int, float] = {BASELINE_YEAR: 0.040, YEAR: 0.043}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def build_survey(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """About 4,000 respondents over the baseline and the follow-up, as CSV rows of text.

    Response over-represents people of 65+ and under-represents the young; small buurten get
    fewer than 30 respondents. Latent cohesion, loneliness and participation follow the buurt's
    type, the wijk's change between the years and the respondent's age.
    """
    rng = _rng(seed, 5)
    rows: list[list[str]] = []
    residential = [b for b in buurten if b.inhabitants >= 50]
    for year in YEARS:
        counts = []
        for b in residential:
            adults = b.inhabitants * (100 - b.ages_pct[0]) / 100
            counts.append(int(rng.poisson(adults * RESPONSE_RATE[year] * b.wijk.response)))
        idx = np.repeat(np.arange(len(residential)), counts)
        n = len(idx)
        kinds = [AREA_TYPES[residential[i].kind] for i in idx]
        wijken = [residential[i].wijk for i in idx]
        after = 1.0 if year == YEAR else 0.0
        # age class with the response bias
        shares = np.array([residential[i].ages_pct[1:] for i in idx], float) * np.array(RESPONSE_BIAS)
        shares /= shares.sum(axis=1, keepdims=True)
        age_class = (rng.uniform(size=(n, 1)) > shares.cumsum(axis=1)).sum(axis=1).clip(0, 3)
        low = np.array([16, 25, 45, 65])[age_class]
        high = np.array([24, 44, 64, 95])[age_class]
        years_old = np.where(age_class == 3, 65 + np.minimum(rng.exponential(9.0, n), 30),
                             low + rng.uniform(size=n) * (high - low + 1)).astype(int)
        old, young = age_class == 3, age_class == 0

        cohesion = (np.array([k.cohesion for k in kinds]) + after * np.array([w.cohesion_change for w in wijken])
                    + 0.3 * old - 0.4 * young + rng.normal(0, 1.3, n))
        base = 1 + 4 * cohesion[:, None] / 10 + rng.normal(0, 0.6, (n, len(COHESION_ITEMS)))
        items = np.clip(np.round(base), 1, 5).astype(int)
        items[:, 0] = 6 - items[:, 0]  # "mensen kennen elkaar nauwelijks": reversed

        lonely = (np.array([k.lonely for k in kinds]) + after * np.array([w.lonely_change for w in wijken])
                  + 0.25 * old + rng.normal(0, 1, n))
        is_lonely = rng.uniform(size=(n, 6)) < _sigmoid(-1.35 + 1.5 * lonely)[:, None]
        half = rng.uniform(size=(n, 6)) < 0.5
        positive = np.array([item in LONELINESS_POSITIVE for item in LONELINESS_ITEMS])
        lonely_answer = np.where(half, 2, np.where(positive, 3, 1))  # min of meer, or nee/ja
        content_answer = np.where(positive, 1, 3)
        dj = np.where(is_lonely, lonely_answer, content_answer)

        def yes_no(p: np.ndarray) -> np.ndarray:
            return np.where(rng.uniform(size=n) < np.clip(p, 0.01, 0.99), 1, 2)

        volunteer = yes_no(np.array([k.volunteer for k in kinds]) + 0.05 * old - 0.06 * young
                           + 0.02 * (cohesion - 6))
        helps = yes_no(np.array([k.helps for k in kinds]) + 0.04 * (cohesion - 6))
        carer = yes_no(np.array([k.carer for k in kinds]) + 0.06 * (age_class == 2))
        meets = yes_no(np.array([k.meets for k in kinds]) + after * np.array([w.meets_change for w in wijken])
                       + 0.12 * old)
        satisfaction = np.clip(np.round(3.3 + 0.25 * (cohesion - 6)[:, None] + rng.normal(0, 0.8, (n, 4))), 1, 5)
        no_meeting = np.array([w.code == GAP_WIJK_NO_MEETING for w in wijken]) & (year == YEAR)
        satisfaction[no_meeting, 0] = np.clip(satisfaction[no_meeting, 0] - 1, 1, 5)
        answers = np.column_stack([items, dj, volunteer, helps, carer, meets, satisfaction.astype(int)])
        dont_know = rng.uniform(size=answers.shape) < DONT_KNOW_SHARE
        empty = rng.uniform(size=answers.shape) < EMPTY_SHARE
        texts = np.where(empty, "", np.where(dont_know, "9", answers.astype(str)))

        as_class = rng.uniform(size=n) < 0.35
        spelling = rng.integers(0, 3, n)
        # No empty sex: survey.poststratification_weights fails on a missing sex (pandas NA) for now.
        sex = rng.choice(["vrouw", "man", "V", "M", "anders"], size=n, p=[0.46, 0.40, 0.07, 0.065, 0.005])
        digits_only = rng.uniform(size=n) < 0.02
        order = rng.permutation(n)
        prefix = f"R{year % 100:02d}-"
        for number, i in enumerate(order, start=1):
            b = residential[idx[i]]
            if as_class[i]:
                key = SURVEY_AGE_CLASSES[age_class[i]]
                age = "75+" if key == "65+" and years_old[i] >= 75 and spelling[i] == 0 else \
                    AGE_CLASS_SPELLINGS[key][spelling[i]]
            else:
                age = str(years_old[i])
            code = b.code[2:] if digits_only[i] else b.code
            rows.append([f"{prefix}{number:05d}", str(year), code, age, str(sex[i]), *texts[i].tolist()])
    return rows


def codebook_toml() -> str:
    """The codebook of the demo survey (format of docs/architecture.md)."""
    cohesion_items = ", ".join(f'"{i}"' for i in COHESION_ITEMS)
    lonely_items = ", ".join(f'"{i}"' for i in LONELINESS_ITEMS)
    positive = ", ".join(f'"{i}"' for i in LONELINESS_POSITIVE)
    satisfaction = ", ".join(f'"{i}"' for i in SATISFACTION_ITEMS)
    yes_no = "\n".join(
        f'[schalen.{scale}]\nlabel = "{label}"\nmethode = "aandeel"\nitems = ["{item}"]\n'
        f'codes = [1, 2]                # 1 = ja, 2 = nee\nja = [1]\nindicator = "{key}"\n'
        for scale, item, key, label in YES_NO_SCALES)
    return f'''# Codeboek van de bewonersenquête van Voorbeeldstad (fictief), nulmeting 2023 en vervolgmeting 2025.
[codeboek]
naam = "Bewonersenquête Voorbeeldstad (fictief)"
ontbrekend = [9]              # 9 = weet niet / geen antwoord

[schalen.cohesie]
label = "Sociale samenhang"
toelichting = "1 = helemaal oneens ... 5 = helemaal eens. samenhang_1: de mensen kennen elkaar in deze buurt nauwelijks; 2: de mensen gaan in deze buurt op een prettige manier met elkaar om; 3: ik woon in een gezellige buurt waar mensen elkaar helpen en dingen samen doen; 4: ik voel me thuis bij de mensen die in deze buurt wonen; 5: ik heb veel contact met andere buurtbewoners."
methode = "gemiddelde"
items = [{cohesion_items}]
codes = [1, 2, 3, 4, 5]
omgekeerd = ["samenhang_1"]
min_geldig = 3
indicator = "cohesie_score"

[schalen.eenzaamheid]
label = "Eenzaamheid (De Jong Gierveld, 6 items)"
toelichting = "1 = ja, 2 = min of meer, 3 = nee. eenzaam_1: ik ervaar een leegte om me heen; 2: er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen; 3: ik ken veel mensen op wie ik volledig kan vertrouwen; 4: ik mis mensen om me heen; 5: er zijn voldoende mensen met wie ik me verbonden voel; 6: vaak voel ik me in de steek gelaten."
methode = "telling"
items = [{lonely_items}]
codes = [1, 2, 3]
omgekeerd = [{positive}]
telt = [1, 2]
min_geldig = 6
drempels = {{ eenzaam_pct = 2, zeer_eenzaam_pct = 5 }}

{yes_no}
[schalen.tevredenheid]
label = "Tevredenheid over voorzieningen in de buurt"
toelichting = "1 = zeer ontevreden ... 5 = zeer tevreden, over ontmoetingsplekken, sport, zorg en groen; 9 = weet niet of geen gebruik."
methode = "gemiddelde"
items = [{satisfaction}]
codes = [1, 2, 3, 4, 5]
min_geldig = 2
indicator = "tevredenheid_voorzieningen"
'''


# ---------------------------------------------------------------------------------------------
# Digital platforms and the monitor
# ---------------------------------------------------------------------------------------------

def build_digital(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """Active users of three platforms per buurt and year (the participation platform starts in 2024)."""
    rng = _rng(seed, 6)
    rows: list[list[str]] = []
    for year in YEARS:
        for b in buurten:
            if b.inhabitants < 50:
                continue
            t = AREA_TYPES[b.kind]
            growth = 1.0 if year == BASELINE_YEAR else 1.25
            app = int(round(b.inhabitants * t.app_share * growth * math.exp(rng.normal(0, 0.25))))
            rows.append([b.code, "BuurtApp Voorbeeldstad", str(app), str(year)])
            if rng.uniform() < 0.45:
                rows.append([b.code, "WhatsApp-buurtpreventie", str(int(rng.integers(25, 160))), str(year)])
            if year == YEAR:
                users = int(round(b.inhabitants * 0.022 * math.exp(rng.normal(0, 0.35))))
                rows.append([b.code, "Doe Mee Voorbeeldstad (participatieplatform)", str(users), str(year)])
    return rows


def build_monitor(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """The safety monitor per wijk (an aggregated survey, [[enquete_gebied]]): % feeling safe, n."""
    rng = _rng(seed, 7)
    rows = []
    for year in YEARS:
        for wijk in WIJKEN:
            own = [b for b in buurten if b.wijk.number == wijk.number]
            inhabitants = sum(b.inhabitants for b in own)
            if inhabitants < 500:
                rows.append([wijk.code, str(year), "", ""])  # too few respondents: not published
                continue
            t = AREA_TYPES[own[0].kind]
            safe = 72 + 2.5 * (t.cohesion - 6) + rng.normal(0, 1.5) - (3 if year == YEAR and wijk.code == GAP_WIJK_NO_MEETING else 0)
            rows.append([wijk.code, str(year), _fmt(float(np.clip(safe, 40, 95)), 1, comma=True),
                         str(int(rng.integers(60, 240)))])
    return rows


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _coords(geometry: Any) -> Any:
    """GeoJSON coordinates rounded to the grid (exterior rings counter-clockwise, holes clockwise)."""
    def ring(r: Any, ccw: bool) -> list[list[float]]:
        pts = np.asarray(r.coords)
        if shapely.LinearRing(pts).is_ccw != ccw:
            pts = pts[::-1]
        return [[round(float(x), 1), round(float(y), 1)] for x, y in pts]

    if geometry.geom_type == "Point":
        return [round(geometry.x, 1), round(geometry.y, 1)]
    if geometry.geom_type == "Polygon":
        return [ring(geometry.exterior, True), *[ring(h, False) for h in geometry.interiors]]
    if geometry.geom_type == "MultiPolygon":
        return [_coords(p) for p in geometry.geoms]
    raise ValueError(f"unsupported geometry {geometry.geom_type}")


def geojson_text(features: Iterable[tuple[dict[str, Any], Any]], name: str) -> str:
    """A GeoJSON FeatureCollection in RD New (declared with a ``crs`` member), one feature a line."""
    lines = []
    for properties, geometry in features:
        feature = {"type": "Feature", "properties": properties,
                   "geometry": {"type": geometry.geom_type, "coordinates": _coords(geometry)}}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name, "crs": GEOJSON_CRS_RD},
                      ensure_ascii=False, separators=(",", ":"))[:-1]
    return head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], sep: str = ",") -> str:
    """CSV text with ``\\n`` line ends; cells are already formatted strings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


#: The ``[bronnen]`` lines of the demo and the templates: every single-file source by its usual name.
SOURCES_TOML = "".join(f'{key} = "{name}"\n' for key, name in (
    ("buurten", "buurten.geojson"), ("wijken", "wijken.geojson"), ("verenigingen", "verenigingen.csv"),
    ("banden", "banden.csv"), ("enquete", "enquete.csv"), ("codeboek", "codeboek.toml"),
    ("digitaal", "digitaal.csv")))
#: Licence text of every demo file.
FICTIONAL = "Fictief, gegenereerd door Wijkweefsel (analysis/demo.py); vrij te gebruiken (CC0)"


def manifest_toml() -> str:
    """The demo's ``dataset.toml``."""
    return f'''# Voorbeeldstad is een fictieve gemeente, gegenereerd door Wijkweefsel (analysis/demo.py).
# Alle namen, cijfers, verenigingen en antwoorden zijn verzonnen; de code {GEMEENTE_CODE} gebruikt het CBS niet.
[dataset]
naam = "{GEMEENTE_NAME}"
jaar = {YEAR}
gemeente = "{GEMEENTE_CODE}"
fictief = true
beschrijving = "Fictieve demogemeente met een nulmeting ({BASELINE_YEAR}) en een vervolgmeting ({YEAR})."

[bronnen]
{SOURCES_TOML}
[[voorzieningen]]
bestand = "voorzieningen.geojson"
componentkolom = "component"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "scholen.csv"
component = "onderwijs"
naamkolom = "VESTIGINGSNAAM"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "zorg.csv"
component = "zorg"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "parken.geojson"
component = "openbare_ruimte"
licentie = "{FICTIONAL}"

[[enquete_gebied]]
bestand = "monitor.csv"
codekolom = "WK_CODE"
nkolom = "n_resp"
indicatoren = {{ b_veilig = "veilig_pct" }}
licentie = "Fictieve veiligheidsmonitor; {FICTIONAL}"

[licenties]
buurten = "{FICTIONAL}"
wijken = "{FICTIONAL}"
verenigingen = "{FICTIONAL}"
banden = "{FICTIONAL}"
enquete = "Fictieve antwoorden; {FICTIONAL}"
codeboek = "{FICTIONAL}"
digitaal = "{FICTIONAL}"
'''


def _facility_rows(facilities: list[Facility]) -> list[tuple[Facility, int]]:
    """One (facility, year) per row, sorted by year then id."""
    return sorted(((f, y) for f in facilities for y in f.years), key=lambda fy: (fy[1], fy[0].id))


def _occupancy(f: Facility, year: int) -> float | None:
    return f.bezetting_pct.get(year) if f.bezetting_pct else None


def demo_files(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Every file of the demo dataset as text, by file name (deterministic for a seed)."""
    _, wijk_polygons, buurten = build_areas(seed)
    facilities = build_facilities(buurten, seed)
    associations = build_associations(buurten, seed)
    ties = build_ties(associations, seed)
    files: dict[str, str] = {"dataset.toml": manifest_toml(), "codeboek.toml": codebook_toml()}

    files["buurten.geojson"] = geojson_text(((_buurt_properties(b), b.geometry) for b in buurten), "buurten")
    files["wijken.geojson"] = geojson_text(
        ((_wijk_properties(w, wijk_polygons[w.code], buurten), wijk_polygons[w.code]) for w in WIJKEN), "wijken")

    rows = _facility_rows(facilities)
    point_components = ("ontmoeting", "verenigingen", "cultuur", "sport", "openbare_ruimte")
    files["voorzieningen.geojson"] = geojson_text(
        (({"id": f.id, "naam": f.naam, "component": f.component, "soort": f.soort,
           "capaciteit": f.capaciteit, "bezetting_pct": _occupancy(f, y), "jaar": y}, f.geometry)
         for f, y in rows if f.component in point_components and f.geometry.geom_type == "Point"), "voorzieningen")
    files["parken.geojson"] = geojson_text(
        (({"id": f.id, "naam": f.naam, "soort": f.soort, "jaar": y}, f.geometry)
         for f, y in rows if f.geometry.geom_type != "Point"), "parken")
    school_rows = [[f.id, f.naam, f.soort, _fmt(f.capaciteit), str(y), _fmt(f.geometry.x, 1, True),
                    _fmt(f.geometry.y, 1, True)] for f, y in rows if f.component == "onderwijs"]
    files["scholen.csv"] = csv_text(["id", "VESTIGINGSNAAM", "soort", "capaciteit", "jaar", "x", "y"],
                                    school_rows, sep=";")
    care = [(f, y) for f, y in rows if f.component == "zorg"]
    lon, lat = rd_to_wgs84([f.geometry.x for f, _ in care], [f.geometry.y for f, _ in care])
    files["zorg.csv"] = csv_text(
        ["id", "naam", "soort", "capaciteit", "jaar", "lat", "lon"],
        [[f.id, f.naam, f.soort, _fmt(f.capaciteit), str(y), _fmt(la, 6), _fmt(lo, 6)]
         for (f, y), la, lo in zip(care, lat, lon)])

    assoc_rows = []
    for a in associations:
        for year in YEARS:
            if year not in a.members:
                continue
            x = _fmt(a.point.x, 1) if a.point is not None else ""
            y = _fmt(a.point.y, 1) if a.point is not None else ""
            assoc_rows.append((year, a.id, [a.id, a.naam, a.soort, str(a.members[year]),
                                            "ja" if a.active[year] else "nee", str(year), a.buurt.code, x, y]))
    assoc_rows.sort(key=lambda r: (r[0], r[1]))
    files["verenigingen.csv"] = csv_text(["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "x", "y"],
                                         [r[2] for r in assoc_rows])
    files["banden.csv"] = csv_text(["van", "naar", "soort", "gewicht", "jaar"],
                                   [[v, n, s, str(g), str(j)] for v, n, s, g, j in ties])
    files["enquete.csv"] = csv_text(SURVEY_COLUMNS, build_survey(buurten, seed))
    files["digitaal.csv"] = csv_text(["gebiedscode", "platform", "actieve_gebruikers", "jaar"],
                                     build_digital(buurten, seed))
    files["monitor.csv"] = "\ufeff" + csv_text(["WK_CODE", "jaar", "b_veilig", "n_resp"],
                                               build_monitor(buurten, seed), sep=";")
    files["README.md"] = readme_demo()
    return dict(sorted(files.items()))


def readme_demo() -> str:
    """A short Dutch note in the demo folder: what it is and how it was made."""
    return f"""# Voorbeeldstad (fictief)

Deze map is een **fictieve** gemeente om Wijkweefsel mee te verkennen. Alle gebieden, cijfers, voorzieningen,
verenigingen en enquête-antwoorden zijn verzonnen door een generator met een vaste startwaarde
(`analysis/demo.py`); `wijkweefsel demo --uit MAP` maakt precies dezelfde bestanden opnieuw.

- Gemeente {GEMEENTE_CODE} (een code die het CBS niet gebruikt), {len(WIJKEN)} wijken, rond de 50 buurten, in RD New (EPSG:28992).
- Twee meetjaren in de kolommen `jaar`: de nulmeting {BASELINE_YEAR} en de vervolgmeting {YEAR}. Voorzieningen en
  verenigingen staan per jaar in een eigen rij (een momentopname); wat in 2024 opende staat alleen in {YEAR}, wat sloot
  alleen in {BASELINE_YEAR}.
- Bewust ingebouwde tekorten: de Bloemenwijk heeft in {YEAR} geen ontmoetingsplek meer (het buurthuis sloot in 2024) en
  Oosterdorp heeft sinds 2024 geen huisarts: daar wonen mensen ver van een huisarts.
- Twee buurten op het bedrijventerrein zijn bijna leeg; het CBS houdt hun cijfers geheim (-99999999).
- Verenigingen hebben meestal RD-coördinaten (x, y); een deel is alleen bekend met de buurtcode.
- De zorgvoorzieningen staan in lengte- en breedtegraad (WGS84), de scholen in RD-coördinaten met een puntkomma als
  scheidingsteken en decimale komma's, de veiligheidsmonitor als Excel-CSV (puntkomma, decimale komma).
"""


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo municipality into ``out_dir`` (created when absent), byte-identically for a seed.

    Parameters
    ----------
    out_dir : Path
        Target folder.
    seed : int
        Seed of every random stream.

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    return _write_files(Path(out_dir), demo_files(seed))


def _write_files(out_dir: Path, files: dict[str, str]) -> list[Path]:
    """Write texts as UTF-8 files (``\\n`` line ends) into ``out_dir``; the paths sorted by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(files.items()):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

#: Two example buurten (1 km squares) of the templates, in RD New metres.
TEMPLATE_BUURTEN: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("BU99990101", "Binnenstad", (187_000.0, 522_000.0, 188_000.0, 523_000.0)),
    ("BU99990102", "Marktkwartier", (188_000.0, 522_000.0, 189_000.0, 523_000.0)),
)


def _lat_lon(x: float, y: float) -> tuple[str, str]:
    lon, lat = rd_to_wgs84(x, y)
    return _fmt(float(lat), 6), _fmt(float(lon), 6)


def template_files() -> dict[str, str]:
    """An input template per file (header and 2-3 example rows), the manifest and a Dutch README.

    The templates form a small dataset of their own (two buurten of one wijk), so they load
    with :func:`analysis.load.dataset.load_dataset` and show every column the loaders read.
    """
    squares = [(code, name, shapely.box(*bounds)) for code, name, bounds in TEMPLATE_BUURTEN]
    buurten = geojson_text(
        (({"BU_CODE": code, "BU_NAAM": name, "WK_CODE": "WK999901", "GM_CODE": GEMEENTE_CODE,
           "GM_NAAM": "Voorbeeldgemeente", "AANT_INW": inhabitants, "AANT_MAN": inhabitants // 2 - 5,
           "AANT_VROUW": inhabitants // 2 + 5, "P_00_14_JR": a[0], "P_15_24_JR": a[1], "P_25_44_JR": a[2],
           "P_45_64_JR": a[3], "P_65_EO_JR": a[4], "AANTAL_HH": hh, "P_EENP_HH": single, "P_LAAGINKP": low,
           "OPP_LAND": 100}, polygon)
         for (code, name, polygon), inhabitants, a, hh, single, low in zip(
             squares, (1250, 840), ((9, 17, 39, 21, 14), (12, 10, 25, 27, 26)), (760, 420), (61, 44),
             (14, CBS_SECRET))), "buurten")
    wijken = geojson_text([({"WK_CODE": "WK999901", "WK_NAAM": "Centrum", "GM_CODE": GEMEENTE_CODE,
                             "GM_NAAM": "Voorbeeldgemeente", "AANT_INW": 2090, "AANTAL_HH": 1180},
                            shapely.box(187_000.0, 522_000.0, 189_000.0, 523_000.0))], "wijken")
    points = {"a": (187_420.0, 522_610.0), "b": (188_530.0, 522_270.0), "c": (188_150.0, 522_880.0)}
    ll = {k: _lat_lon(*xy) for k, xy in points.items()}
    voorzieningen = csv_text(
        ["id", "naam", "component", "soort", "capaciteit", "bezetting_pct", "jaar", "lat", "lon"],
        [["ONT-001", "Buurthuis De Schakel", "ontmoeting", "buurthuis", "120", "65", "2025", *ll["a"]],
         ["ZRG-001", "Huisartsenpraktijk De Markt", "zorg", "huisarts", "4500", "", "2025", *ll["b"]],
         ["SPO-001", "Sporthal De Kolk", "sport", "sporthal", "", "", "2023", *ll["c"]]])
    park = _snap(shapely.Point(187_600.0, 522_300.0).buffer(120, quad_segs=4))
    parken = geojson_text([({"id": "OR-001", "naam": "Stadspark", "soort": "park", "jaar": 2025}, park)], "parken")
    verenigingen = csv_text(
        ["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "lat", "lon"],
        [["V001", "Voetbalvereniging Voorwaarts", "sport", "420", "ja", "2025", "BU99990101", *ll["a"]],
         ["V002", "Buurtvereniging De Markt", "buurt en bewoners", "85", "ja", "2025", "BU99990102", *ll["b"]],
         ["V003", "Repair Café Centrum", "vrijwilligerswerk", "18", "nee", "2025", "BU99990102", *ll["c"]]])
    banden = csv_text(["van", "naar", "soort", "gewicht", "jaar"],
                      [["V001", "V002", "gedeelde_leden", "3", "2025"],
                       ["V002", "V003", "samenwerking", "1", "2025"],
                       ["V001", "V003", "gedeelde_locatie", "2", "2025"]])
    items = [*COHESION_ITEMS, *LONELINESS_ITEMS, *YES_NO_ITEMS, *SATISFACTION_ITEMS]
    enquete = csv_text(
        ["respondent", "jaar", "buurtcode", "leeftijd", "geslacht", *items],
        [["R25-00001", "2025", "BU99990101", "47", "vrouw", "2", "4", "4", "5", "3", "3", "1", "1", "3", "1", "3",
          "1", "1", "2", "1", "4", "4", "9", "5"],
         ["R25-00002", "2025", "BU99990102", "65+", "man", "4", "3", "2", "3", "2", "2", "3", "2", "1", "3", "1",
          "2", "2", "1", "1", "3", "3", "4", "3"],
         ["R25-00003", "2025", "BU99990101", "25-44", "x", "9", "4", "3", "4", "", "3", "1", "1", "3", "1", "3",
          "2", "1", "2", "2", "4", "", "4", "4"]])
    digitaal = csv_text(["gebiedscode", "platform", "actieve_gebruikers", "jaar"],
                        [["BU99990101", "BuurtApp", "85", "2025"], ["BU99990102", "BuurtApp", "40", "2025"],
                         ["WK999901", "Participatieplatform", "120", "2025"]])
    monitor = csv_text(["BU_CODE", "jaar", "b_veilig", "n_resp"],
                       [["BU99990101", "2025", "71,5", "64"], ["BU99990102", "2025", "78,0", "41"]], sep=";")
    manifest = f"""# dataset.toml: de inhoudsopgave van een dataset voor Wijkweefsel (zie README.md).
[dataset]
naam = "Voorbeeldgemeente"     # naam die de app toont
jaar = 2025                    # peiljaar: rijen zonder kolom jaar horen bij dit jaar
gemeente = "{GEMEENTE_CODE}"           # optioneel: alleen deze gemeente uit een groter bestand
# fictief = true               # alleen voor verzonnen gegevens
# beschrijving = "..."

[bronnen]                      # alles behalve buurten is optioneel
{SOURCES_TOML}
[[voorzieningen]]              # zoveel bestanden als u wilt
bestand = "voorzieningen.csv"
componentkolom = "component"   # of: component = "onderwijs" voor het hele bestand
# naamkolom = "VESTIGINGSNAAM"  standaard "naam"
# licentie = "..."

[[voorzieningen]]
bestand = "parken.geojson"
component = "openbare_ruimte"

[[enquete_gebied]]             # uitkomsten die al per gebied berekend zijn (gemeentelijke monitor)
bestand = "monitor.csv"
codekolom = "BU_CODE"
nkolom = "n_resp"              # optioneel: aantal respondenten per gebied
indicatoren = {{ b_veilig = "veilig_pct" }}

[licenties]                    # optioneel: uitgever en licentie per bron
buurten = "CBS/Kadaster, Wijk- en buurtkaart, CC BY 4.0"
"""
    return {
        "README.md": TEMPLATE_README, "dataset.toml": manifest, "buurten.geojson": buurten,
        "wijken.geojson": wijken, "voorzieningen.csv": voorzieningen, "parken.geojson": parken,
        "verenigingen.csv": verenigingen, "banden.csv": banden, "enquete.csv": enquete,
        "codeboek.toml": codebook_toml(), "digitaal.csv": digitaal, "monitor.csv": monitor,
    }


TEMPLATE_README = """# Sjablonen voor uw eigen gegevens

Deze map is een kleine, complete dataset: twee buurten van één wijk met van elk invoerbestand twee of drie
voorbeeldrijen. Kopieer de map, vervang de voorbeeldrijen door uw eigen gegevens en controleer het resultaat met

```
wijkweefsel validate MAP
```

Elke melding noemt het bestand, de rij, de kolom, het probleem en de oplossing. Alleen `buurten` is verplicht:
de app werkt met wat er is en zegt wat ontbreekt. Een volledig voorbeeld is de fictieve demogemeente in
`data/demo/`.

## Algemeen

- **Bestandstypen.** Tabellen mogen CSV (`,` of `;` als scheidingsteken, UTF-8 met of zonder BOM of
  Windows-1252) of Excel (`.xlsx`, eerste tabblad) zijn. Kaartbestanden mogen GeoJSON, GeoPackage of een
  gezipte Shapefile zijn. Getallen mogen een decimale komma hebben (`12,5`).
- **Coördinaten.** RD New (EPSG:28992, meters) of WGS84 (EPSG:4326, lengte- en breedtegraad). Zegt een bestand
  niet welk stelsel het gebruikt, dan herkent Wijkweefsel dat aan de getallen en meldt het dat.
- **Kolomnamen** worden op betekenis herkend: hoofdletters, spaties en liggende streepjes maken niet uit, en
  gangbare varianten (zoals `BU_CODE` en `buurtcode`) worden allebei gelezen.
- **Meetjaren.** Elk bestand behalve de gebieden mag een kolom `jaar` hebben. Rijen zonder jaar horen bij het
  `jaar` uit `dataset.toml`. Zo staan een nulmeting en een vervolgmeting in één bestand. Voorzieningen en
  verenigingen zijn momentopnamen: een voorziening die in 2023 en 2025 bestond, staat er twee keer in (een rij
  per jaar); een voorziening die in 2024 sloot, staat alleen in 2023.
- **Ontbrekende CBS-waarden** (`-99999999`, `-99997` en dergelijke: geheim of onbekend) worden als ontbrekend
  gelezen, nooit als getal.

## dataset.toml

De inhoudsopgave. `[dataset]`: `naam`, `jaar` (peiljaar), optioneel `gemeente` (GM-code: alleen die gemeente
uit een groter bestand), `fictief`, `beschrijving`. `[bronnen]`: per soort bron de bestandsnaam.
`[[voorzieningen]]`: per voorzieningenbestand een blok met `bestand` en `component` (voor het hele bestand) of
`componentkolom` (een kolom met de component per rij); optioneel `naamkolom`, `soortkolom`, `idkolom`, `jaar`
en `licentie`. `[[enquete_gebied]]`: per monitorbestand `bestand`, `codekolom`, `indicatoren` (kolom =
indicator), optioneel `nkolom` en `jaar`. `[licenties]`: per bron de uitgever en licentie, voor de
verantwoording.

## buurten.geojson en wijken.geojson

De CBS Wijk- en buurtkaart (GeoPackage, GeoJSON of gezipte Shapefile; te downloaden bij het CBS of PDOK).
Verplicht: een buurtcode (`BU_CODE` of `buurtcode`: BU + 8 cijfers) en een vlak per buurt. Wijk- en
gemeentecode worden uit de buurtcode afgeleid. Kerncijfers die gelezen worden (klassieke en nieuwe spelling):

| betekenis | klassiek | nieuw |
|---|---|---|
| buurtnaam | `BU_NAAM` | `buurtnaam` |
| wijkcode, wijknaam | `WK_CODE`, `WK_NAAM` | `wijkcode`, `wijknaam` |
| gemeentecode, -naam | `GM_CODE`, `GM_NAAM` | `gemeentecode`, `gemeentenaam` |
| inwoners, mannen, vrouwen | `AANT_INW`, `AANT_MAN`, `AANT_VROUW` | `aantal_inwoners`, `mannen`, `vrouwen` |
| leeftijdsgroepen (% of aantal) | `P_00_14_JR` … `P_65_EO_JR` | `0_15` … `65plus` |
| huishoudens | `AANTAL_HH` | `huishoudens` |
| eenpersoonshuishoudens (%) | `P_EENP_HH` | `percentage_eenpersoonshuishoudens` |
| huishoudens met laag inkomen (%) | `P_LAAGINKP` | `percentage_huishoudens_met_laag_inkomen` |
| landoppervlakte (ha) | `OPP_LAND` | `oppervlakte_land_in_ha` |

Buurten met `WATER = JA` worden weggelaten. Het wijkenbestand is optioneel: zonder wordt elke wijk samengesteld
uit haar buurten; met wijkenbestand gelden de CBS-wijktotalen.

## voorzieningen.csv en parken.geojson

Een of meer bestanden met plekken, elk in `[[voorzieningen]]`. Kolommen: een locatie (`lat` en `lon`, of RD `x`
en `y`, of de geometrie van een kaartbestand: punten én vlakken zoals parken), `naam`, optioneel `component`,
`soort` (bijvoorbeeld huisarts, basisonderwijs, speeltuin), `capaciteit` (plaatsen), `bezetting_pct` (0-100),
`id` en `jaar`. De component is een van: `ontmoeting`, `verenigingen`, `onderwijs`, `zorg`, `cultuur`, `sport`,
`openbare_ruimte` (digitale platforms horen in `digitaal.csv`).

## verenigingen.csv

Eén rij per vereniging (per jaar): `id` (eigen code, gebruikt in `banden.csv`), `naam`, `soort`, `leden`,
`actief` (ja/nee, 1/0) en een locatie: `lat`/`lon`, RD `x`/`y`, of alleen `buurtcode` (dan geldt een punt
midden in die buurt). Wordt zowel een coördinaat als een buurtcode gegeven, dan wordt gecontroleerd of die
bij elkaar passen.

## banden.csv

De banden tussen verenigingen: `van` en `naar` (id's uit `verenigingen.csv`), `soort` (`gedeelde_leden`,
`gedeeld_bestuur`, `samenwerking` of `gedeelde_locatie`; andere soorten mogen ook) en `gewicht` (sterkte,
groter dan 0; leeg = 1).

## enquete.csv en codeboek.toml

`enquete.csv` heeft één rij per respondent: `respondent` (nummer, uniek per jaar), `buurtcode`, `leeftijd` (in
jaren, zoals 47, of als klasse, zoals 45-64, 65+ of 25 t/m 44), `geslacht` (man/vrouw/anders of m/v/x),
optioneel `gewicht` en `jaar`, en dan één kolom per vraag met de antwoordcode. Zonder kolom `gewicht` weegt
Wijkweefsel de antwoorden naar leeftijd en geslacht van de CBS-bevolking van de wijk.

`codeboek.toml` beschrijft de schalen: welke vragen (`items`) erbij horen, de geldige `codes`, de omgekeerd
gestelde vragen (`omgekeerd`), de codes voor 'weet niet' en 'geen antwoord' (`ontbrekend`, standaard voor alle
vragen onder `[codeboek]`), het minimum aantal beantwoorde vragen (`min_geldig`) en hoe de schaal wordt
berekend: `gemiddelde` (een score van 0 tot 10, met `indicator`), `telling` (aantal vragen met een antwoord in
`telt`, met `drempels` zoals eenzaam_pct = 2) of `aandeel` (percentage met een antwoord in `ja`). Dit sjabloon
bevat de schaal sociale samenhang (5 vragen, de eerste omgekeerd), de eenzaamheidsschaal van De Jong Gierveld
(6 vragen, vraag 2, 3 en 5 omgekeerd), vrijwilligerswerk, burenhulp, mantelzorg, gebruik van
ontmoetingsplekken en tevredenheid over voorzieningen. Uitkomsten van minder dan 30 respondenten worden niet
getoond.

## digitaal.csv

Het gebruik van digitale platforms per gebied: `gebiedscode` (buurt-, wijk- of gemeentecode), `platform`,
`actieve_gebruikers` en optioneel `jaar`.

## monitor.csv (enquete_gebied)

Uitkomsten die al per gebied berekend zijn, zoals een gemeentelijke wijkmonitor: een kolom met de buurt- of
wijkcode (`codekolom`), een kolom per uitkomst en optioneel het aantal respondenten (`nkolom`). In
`dataset.toml` zegt `indicatoren` welke kolom welke indicator is, bijvoorbeeld
`indicatoren = { b_scoh = "cohesie_score", b_sceenz = "eenzaam_pct" }`.
"""


def write_templates(out_dir: Path) -> list[Path]:
    """Write the templates into ``out_dir`` (created when absent).

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    return _write_files(Path(out_dir), template_files())
