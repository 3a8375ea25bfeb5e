"""The address points of the demo (like a BAG extract): dwellings along the street fronts of every buurt, and others."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from analysis.demo.areas import Buurt
from analysis.demo.municipality import DEFAULT_SEED, random_stream
from analysis.demo.streets import Street
from analysis.demo.water import quay_zone

#: Dwellings per household: a few dwellings stand empty or are second homes (CBS, "Woningvoorraad":
#: about 3 % more dwellings than households in most Dutch gemeenten).
DWELLINGS_PER_HOUSEHOLD = 1.03
#: Share of dwellings in apartment buildings (one address point with several dwellings) per kind of buurt,
#: and the range of dwellings per building.
APARTMENT_SHARE: dict[str, float] = {
    "centrum": 0.7, "stedelijk": 0.6, "portiek": 0.8, "naoorlogs": 0.45, "gemengd": 0.2, "nieuwbouw": 0.25,
    "dorp": 0.05, "buitengebied": 0.0, "woonwerk": 0.5, "bedrijven": 0.0,
}
APARTMENT_SIZE: dict[str, tuple[int, int]] = {
    "centrum": (4, 24), "stedelijk": (6, 30), "portiek": (8, 16), "naoorlogs": (8, 40), "woonwerk": (4, 12),
}
DEFAULT_APARTMENT_SIZE = (4, 12)
#: Addresses that are not dwellings, per 100 dwellings: shops (winkel) and offices or workshops (bedrijf);
#: the business park has a fixed number of firms instead.
SHOPS_PER_100: dict[str, float] = {"centrum": 9.0, "stedelijk": 3.0, "dorp": 2.0}
FIRMS_PER_100: dict[str, float] = {"centrum": 4.0, "stedelijk": 2.0, "woonwerk": 25.0, "buitengebied": 6.0}
DEFAULT_SHOPS_PER_100, DEFAULT_FIRMS_PER_100 = 0.5, 1.0
FIRMS_ON_BUSINESS_PARK: tuple[int, int] = (90, 160)
#: Buildings stand this far back from the street's centre line (metres), one front every few metres.
FRONT_SETBACK_M = 11.0
FRONT_STEP_M = 6.5
#: Addresses keep this distance from parks and from the canal's quays (metres).
OPEN_SPACE_MARGIN_M = 8.0
#: The address functions written to the ``functie`` column (dwellings are ``wonen``).
FUNCTIONS: tuple[str, ...] = ("wonen", "winkel", "bedrijf")


@dataclass(frozen=True)
class Address:
    """One address point: a building entrance with its dwellings (0 for a shop or firm) and its function."""

    id: str
    point: Point
    aantal_woningen: int
    functie: str
    buurtcode: str


def building_fronts(streets: list[Street], outline: Polygon, parks: list[Polygon]) -> shapely.Geometry:
    """The lines where buildings stand: the edges of the street blocks, set back from the streets.

    The blocks are the faces of the network (closed by the gemeente's edge); parks and the
    canal with its quays are left out.
    """
    lines = [s.geometry for s in streets]
    faces = shapely.polygonize([shapely.union_all([*lines, outline.boundary])])
    land = shapely.difference(shapely.intersection(faces, outline),
                              shapely.union_all([*parks, quay_zone(outline)]).buffer(OPEN_SPACE_MARGIN_M))
    streets_zone = shapely.union_all(lines).buffer(FRONT_SETBACK_M, quad_segs=2)
    return shapely.difference(land, streets_zone).boundary


def _front_points(fronts: shapely.Geometry, step_m: float) -> np.ndarray:
    """Candidate building places: every ``step_m`` along the building fronts (each front at least one)."""
    xy = []
    for part in shapely.get_parts(fronts):
        if part.geom_type != "LineString" or part.length < 1.0:
            continue
        at = np.arange(min(step_m, part.length) / 2, part.length, step_m)
        xy.append(shapely.get_coordinates(shapely.line_interpolate_point(part, at)))
    return np.unique(np.round(np.vstack(xy), 1), axis=0) if xy else np.zeros((0, 2))


def _dwelling_counts(buurt: Buurt, rng: np.random.Generator) -> list[int]:
    """Dwellings per residential address: single houses (1) and apartment buildings, summing to the buurt's dwellings."""
    dwellings = int(round(buurt.households * DWELLINGS_PER_HOUSEHOLD))
    in_flats = int(round(dwellings * APARTMENT_SHARE[buurt.kind]))
    low, high = APARTMENT_SIZE.get(buurt.kind, DEFAULT_APARTMENT_SIZE)
    buildings: list[int] = []
    while sum(buildings) < in_flats:
        buildings.append(min(int(rng.integers(low, high + 1)), in_flats - sum(buildings)))
    return buildings + [1] * (dwellings - in_flats)


def _other_functions(buurt: Buurt, dwellings: int, rng: np.random.Generator) -> list[str]:
    """The functions of the buurt's addresses that are not dwellings (shops and firms)."""
    if buurt.kind == "bedrijven":
        firms = int(rng.integers(*FIRMS_ON_BUSINESS_PARK))
        return ["bedrijf"] * firms
    shops = int(rng.poisson(dwellings * SHOPS_PER_100.get(buurt.kind, DEFAULT_SHOPS_PER_100) / 100))
    firms = int(rng.poisson(dwellings * FIRMS_PER_100.get(buurt.kind, DEFAULT_FIRMS_PER_100) / 100))
    return ["winkel"] * shops + ["bedrijf"] * firms


def _buurt_addresses(buurt: Buurt, fronts: shapely.Geometry, rng: np.random.Generator) -> list[tuple[Point, int, str]]:
    """The address points of one buurt: each at its own place on a building front, in front order."""
    counts = _dwelling_counts(buurt, rng)
    others = _other_functions(buurt, sum(counts), rng)
    wanted = [(c, "wonen") for c in counts] + [(0, f) for f in others]
    inside = shapely.line_merge(shapely.intersection(fronts, buurt.geometry.buffer(-1.0)))
    step = FRONT_STEP_M
    places = _front_points(inside, step)
    while len(places) < len(wanted) and step > 1.0:  # a crowded buurt: narrower fronts
        step /= 2
        places = _front_points(inside, step)
    if len(wanted) > len(places):  # a bug in the parameters, never user data
        raise RuntimeError(f"buurt {buurt.code} has {len(places)} building places for {len(wanted)} addresses")
    chosen = np.sort(rng.choice(len(places), size=len(wanted), replace=False))
    order = rng.permutation(len(wanted))
    return [(Point(places[i]), wanted[j][0], wanted[j][1]) for i, j in zip(chosen, order)]


def build_addresses(buurten: list[Buurt], streets: list[Street], outline: Polygon, parks: list[Polygon],
                    seed: int = DEFAULT_SEED) -> list[Address]:
    """Address points of every buurt, as a BAG extract of verblijfsobjecten gives them.

    Dwellings follow the buurt's households (:data:`DWELLINGS_PER_HOUSEHOLD`); in apartment
    buildings several share one address point (:data:`APARTMENT_SHARE`). Shops and firms are
    addresses without dwellings; the business park holds mostly firms. Addresses stand along
    the street fronts (:data:`FRONT_SETBACK_M` from the street), never in a park or the canal.

    Parameters
    ----------
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas`.
    streets : list of Street
        The network of :func:`analysis.demo.streets.build_streets`.
    outline : Polygon
        The gemeente.
    parks : list of Polygon
        Park polygons (every year).
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of Address
        By buurt and place, numbered A000001, A000002, ...
    """
    rng = random_stream(seed, 9)
    fronts = building_fronts(streets, outline, parks)
    out: list[Address] = []
    for buurt in buurten:
        for point, count, function in _buurt_addresses(buurt, fronts, rng):
            number = len(out) + 1
            out.append(Address(f"A{number:06d}", point, count, function, buurt.code))
    return out
