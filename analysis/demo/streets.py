"""The street network of the demo: a bent grid per buurt, streets on the buurt edges, quays, park paths and two bridges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from shapely.geometry import LineString, Polygon

from analysis.demo.areas import Buurt
from analysis.demo.geometry import GRID_M, snap
from analysis.demo.municipality import DEFAULT_SEED, WIJKEN, random_stream
from analysis.demo.water import CANAL_WIDTH_M, QUAY_SETBACK_M, bridge_lines, canal_centreline, quay_zone

#: Distance between parallel streets per kind of buurt (metres): a dense old centre, wide blocks on the
#: business park, a sparse web of country roads outside the town.
STREET_SPACING_M: dict[str, float] = {
    "centrum": 85.0, "stedelijk": 105.0, "portiek": 115.0, "naoorlogs": 125.0, "gemengd": 135.0,
    "nieuwbouw": 115.0, "dorp": 140.0, "buitengebied": 550.0, "woonwerk": 170.0, "bedrijven": 220.0,
}
#: How far streets bend (amplitude as a share of the spacing): new-build wijken have curving woonerven.
STREET_BEND: dict[str, float] = {"nieuwbouw": 0.22, "dorp": 0.15, "buitengebied": 0.05}
DEFAULT_BEND = 0.08
#: Share of grid streets left out (closed blocks, dead ends), except on the business park and outside the town.
MISSING_STREET_SHARE = 0.12
#: Segments of the bent streets (metres) before they are clipped.
STREET_STEP_M = 15.0
#: Tolerance (metres) of the simplification of each street before noding (the junctions are added after it).
SIMPLIFY_M = 0.5
#: Streets reach this far past the quays and into parks, so that noding joins them to the quay or the park
#: path (a line ending exactly on another is joined only up to rounding); the overhang is dropped as a stub.
OVERLAP_M = 1.0
#: Pieces of the network shorter than this (metres) are not linked to the rest but left out.
LINK_MIN_M = 100.0
#: Short dead-end stubs left by clipping and noding are dropped (metres).
STUB_M = 3.0
#: Kinds of street in the ``soort`` property.
STREET_KINDS: tuple[str, ...] = ("straat", "kade", "brug", "pad")


@dataclass(frozen=True)
class Street:
    """One street with its kind (:data:`STREET_KINDS`); it has a vertex at every junction on its way."""

    id: str
    soort: str
    geometry: LineString


def _bent_grid(buurt: Buurt, angle: float, rng: np.random.Generator) -> list[LineString]:
    """Two families of parallel streets across the buurt, bent by a smooth wave, clipped to the buurt."""
    spacing = STREET_SPACING_M[buurt.kind]
    centre = np.array(shapely.centroid(buurt.geometry).coords[0])
    minx, miny, maxx, maxy = buurt.geometry.bounds
    reach = float(np.hypot(maxx - minx, maxy - miny)) / 2 + spacing
    offsets = np.arange(-reach, reach, spacing) + rng.uniform(0, spacing)
    bend = STREET_BEND.get(buurt.kind, DEFAULT_BEND) * spacing
    wave = 4.0 * spacing
    skip = 0.0 if buurt.kind in ("bedrijven", "buitengebied") else MISSING_STREET_SHARE
    lines = []
    for direction in (angle, angle + np.pi / 2 + rng.normal(0, 0.04)):
        along = np.array([np.cos(direction), np.sin(direction)])
        across = np.array([-along[1], along[0]])
        steps = np.arange(-reach, reach + STREET_STEP_M, STREET_STEP_M)
        for offset in offsets + rng.normal(0, 0.08 * spacing, len(offsets)):
            phase, drop = rng.uniform(0, 2 * np.pi), rng.uniform()
            if drop < skip:
                continue
            shift = offset + bend * np.sin(2 * np.pi * steps / wave + phase)
            xy = centre + steps[:, None] * along + shift[:, None] * across
            lines.append(LineString(xy))
    clipped = shapely.intersection(shapely.union_all(lines), buurt.geometry)
    return [g for g in shapely.get_parts(clipped) if g.geom_type == "LineString" and g.length > 0]


def _edge_streets(buurten: list[Buurt], outline: Polygon) -> list[LineString]:
    """Streets along the shared edges of buurten (not along the gemeente's outer edge)."""
    edges = shapely.union_all([b.geometry.boundary for b in buurten], grid_size=GRID_M)
    inner = shapely.difference(edges, outline.boundary.buffer(0.5))
    return list(shapely.get_parts(shapely.line_merge(inner)))


def _quays_and_bridges(outline: Polygon) -> tuple[list[LineString], list[LineString]]:
    """The quay streets along both banks, and the bridges from quay to quay (crossing them by :data:`OVERLAP_M`)."""
    half = CANAL_WIDTH_M / 2 + QUAY_SETBACK_M
    strip = canal_centreline().buffer(half, cap_style="flat", quad_segs=4)
    quays = [q for q in shapely.get_parts(shapely.intersection(strip.boundary, outline)) if q.length > 50]
    bridges = []
    for _, line in bridge_lines():
        a, b = (np.array(c) for c in line.coords)
        direction = (b - a) / np.hypot(*(b - a))
        long = LineString([a - 5 * direction, b + 5 * direction])
        ends = shapely.get_parts(shapely.intersection(long, shapely.union_all(quays)))
        ends = sorted(ends, key=lambda p: float(long.project(p)))
        first, last = long.project(ends[0]) - OVERLAP_M, long.project(ends[-1]) + OVERLAP_M
        bridges.append(LineString([long.interpolate(first).coords[0], long.interpolate(last).coords[0]]))
    return quays, bridges


def _noded(lines: list[LineString]) -> list[LineString]:
    """The lines noded on the grid: split where they meet or cross, so that they share a vertex there."""
    noded = shapely.union_all(lines, grid_size=GRID_M)
    return [g for g in shapely.get_parts(shapely.line_merge(noded)) if g.geom_type == "LineString" and g.length > 0]


def _drop_stubs(lines: list[LineString]) -> list[LineString]:
    """Leave out dead-end pieces shorter than :data:`STUB_M` (slivers of clipping and noding)."""
    ends = np.round(np.array([[line.coords[0], line.coords[-1]] for line in lines]).reshape(-1, 2), 1)
    _, node, degree = np.unique(ends, axis=0, return_inverse=True, return_counts=True)
    node = node.reshape(-1, 2)
    keep = [line.length >= STUB_M or (degree[node[i, 0]] > 1 and degree[node[i, 1]] > 1)
            for i, line in enumerate(lines)]
    return [line for line, k in zip(lines, keep) if k]


def _pieces(lines: list[LineString]) -> np.ndarray:
    """The connected piece of each line (lines split at their junctions), the longest piece labelled 0."""
    ends = np.round(np.array([[line.coords[0], line.coords[-1]] for line in lines]).reshape(-1, 2), 1)
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.reshape(-1, 2)
    n = int(node.max()) + 1
    graph = sparse.coo_matrix((np.ones(len(lines)), (node[:, 0], node[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    piece = label[node[:, 0]]
    length = np.bincount(piece, weights=[line.length for line in lines])
    rank = np.empty(len(length), int)
    rank[np.argsort(-length, kind="stable")] = np.arange(len(length))
    return rank[piece]


def _links(lines: list[LineString], zone: Polygon) -> list[LineString]:
    """A straight road from every other piece of at least :data:`LINK_MIN_M` to the longest piece.

    Only where the road would not cross the canal; it reaches :data:`OVERLAP_M` past both ends
    so that noding joins it. (With the default seed the network is one piece; other seeds may
    cut a village off the town.)
    """
    piece = _pieces(lines)
    main = shapely.union_all([line for line, p in zip(lines, piece) if p == 0])
    out = []
    for number in range(1, int(piece.max()) + 1):
        part = [line for line, p in zip(lines, piece) if p == number]
        if sum(line.length for line in part) < LINK_MIN_M:
            continue
        link = shapely.shortest_line(shapely.union_all(part), main)
        a, b = (np.array(c) for c in link.coords)
        if link.length == 0 or shapely.intersects(link, zone):
            continue
        step = OVERLAP_M * (b - a) / link.length
        out.append(LineString([a - step, b + step]))
    return out


def _normalised(line: LineString) -> LineString:
    """The line rounded to the grid and running from its lexicographically smaller end."""
    xy = np.round(np.asarray(line.coords), 1)
    if tuple(xy[-1]) < tuple(xy[0]):
        xy = xy[::-1]
    return LineString(xy)


def _ways(segments: list[LineString], sources: list[tuple[str, LineString]]) -> list[tuple[str, LineString]]:
    """The noded segments joined back into the lines they came from, through their junctions (as OSM ways).

    A way keeps a vertex at every junction, so the network stays connected where streets meet.
    """
    tree = shapely.STRtree(segments)
    claimed = np.zeros(len(segments), bool)
    out: list[tuple[str, LineString]] = []
    for soort, source in sources:
        hits = [int(h) for h in sorted(tree.query(source.buffer(0.2, quad_segs=2), predicate="contains"))
                if not claimed[h]]
        if not hits:
            continue
        claimed[hits] = True
        merged = shapely.line_merge(shapely.MultiLineString([segments[h] for h in hits]))
        out.extend((soort, part) for part in shapely.get_parts(merged))
    out.extend(("straat", segments[i]) for i in np.flatnonzero(~claimed))
    return out


def build_streets(outline: Polygon, buurten: list[Buurt], parks: list[Polygon],
                  seed: int = DEFAULT_SEED) -> list[Street]:
    """The walkable street network: lines that share a vertex wherever they meet, in one connected piece.

    Every buurt gets a grid of streets (its orientation per wijk, bent a little, some streets
    left out) clipped to the buurt; the buurt edges are streets too, so the grids of neighbours
    join. No street crosses the canal De Vaart except its two bridges; quays run along both
    banks. Streets stop at parks, whose outlines are paths.

    Parameters
    ----------
    outline : Polygon
        The gemeente.
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas`.
    parks : list of Polygon
        Park polygons (every year).
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of Street
        Sorted by their first vertex, numbered W00001, W00002, ...
    """
    rng = random_stream(seed, 8)
    angles = {w.number: rng.uniform(0, np.pi / 2) for w in WIJKEN}
    grid = [line for b in buurten for line in _bent_grid(b, angles[b.wijk.number] + rng.normal(0, 0.1), rng)]
    zone = quay_zone(outline)
    blocked = shapely.union(zone, shapely.union_all(parks)).buffer(-OVERLAP_M)
    cut = shapely.difference(np.array([*grid, *_edge_streets(buurten, outline)], dtype=object), blocked)
    quays, bridges = _quays_and_bridges(outline)
    sources = [("straat", g) for g in shapely.get_parts(cut) if g.length > 0]
    sources += [("kade", q) for q in quays] + [("brug", b) for b in bridges] + [("pad", p.exterior) for p in parks]
    sources = [(soort, snap(shapely.simplify(g, SIMPLIFY_M))) for soort, g in sources]
    segments = _drop_stubs(_noded([g for _, g in sources]))
    links = _links(segments, zone)
    if links:
        sources += [("straat", link) for link in links]
        segments = _drop_stubs(_noded([g for _, g in sources]))
    segments = [line for line, p in zip(segments, _pieces(segments)) if p == 0]
    ways = [(soort, _normalised(g)) for soort, g in _ways(segments, sources)]
    ways.sort(key=lambda w: (w[1].coords[0], w[1].coords[-1], w[1].length))
    return [Street(f"W{number:05d}", soort, line) for number, (soort, line) in enumerate(ways, start=1)]
