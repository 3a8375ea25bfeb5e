"""Tests for analysis.compute.routing: graph building, exact snapping, routes checked by hand and against networkx."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString

from analysis.compute import routing


def grid_lines(n: int = 3, step: float = 100.0) -> list[LineString]:
    """An n x n node grid: one LineString per row and per column (vertices at every crossing)."""
    lines = []
    for i in range(n):
        lines.append(LineString([(step * j, step * i) for j in range(n)]))
        lines.append(LineString([(step * i, step * j) for j in range(n)]))
    return lines


#   y=100  N ----------------------------+------ (north bank, x = 0 .. 1000)
#                canal                   | bridge at x = 800
#   y=0    S ----------------------------+------ (south bank)
CANAL = [LineString([(0, 0), (800, 0), (1000, 0)]), LineString([(0, 100), (800, 100), (1000, 100)]),
         LineString([(800, 0), (800, 100)])]


def test_graph_counts_nodes_edges_pieces():
    g = routing.build_graph(grid_lines())
    assert (g.n_nodes, g.n_edges, g.n_pieces) == (9, 12, 1)
    assert g.total_length_m == pytest.approx(1200.0)
    # a duplicate line, a zero-length line and a MultiLineString part add no edge or node
    extra = grid_lines() + [LineString([(0, 0), (100, 0)]), LineString([(50, 50), (50, 50)]),
                            MultiLineString([[(0, 0), (100, 0)], [(100, 0), (200, 0)]])]
    g2 = routing.build_graph(extra)
    assert (g2.n_nodes, g2.n_edges) == (9, 12)


def test_route_on_grid_by_hand():
    g = routing.build_graph(grid_lines())
    # (10,-5) snaps to (10,0) [5 m]; (190,205) snaps to (190,200) [5 m]; walk 180 + 200 along the streets
    assert routing.route_m(g, (10, -5), (190, 205)) == pytest.approx(5 + 180 + 200 + 5)
    # snapping is onto the segment, not to a node: (40,-30) snaps to (40,0), not to (0,0) at 50 m
    snap = routing.snap_points(g, np.array([[40.0, -30.0], [250.0, 150.0], [np.nan, 1.0]]))
    assert snap.snap_m[:2] == pytest.approx([30.0, 50.0])
    a, b = g.node_xy[g.edge_u[snap.edge[0]]], g.node_xy[g.edge_v[snap.edge[0]]]
    foot = a + (b - a) * snap.offset_m[0] / g.edge_length_m[snap.edge[0]]
    assert foot == pytest.approx([40.0, 0.0])
    assert snap.edge[2] == -1 and math.isinf(snap.snap_m[2])
    # a resident and a facility on the same edge walk along it, not around the block
    assert routing.route_m(g, (10, -5), (60, -3)) == pytest.approx(5 + 50 + 3)
    assert routing.route_m(g, (60, 3), (10, 5)) == pytest.approx(3 + 50 + 5)


def test_canal_with_one_bridge_gives_the_detour():
    g = routing.build_graph(CANAL)
    straight = math.hypot(0, 120)
    walk = routing.route_m(g, (100, -10), (100, 110))
    # 10 m onto the south bank, 700 m to the bridge, 100 m across, 700 m back, 10 m off the north bank
    assert walk == pytest.approx(10 + 700 + 100 + 700 + 10)
    assert walk / straight == pytest.approx(1520 / 120)
    # next to the bridge the detour nearly vanishes
    assert routing.route_m(g, (790, -10), (790, 110)) == pytest.approx(10 + 10 + 100 + 10 + 10)


def test_crossing_without_shared_vertex_is_no_junction():
    # a road over the canal on a viaduct: it crosses both banks but shares no vertex with them
    viaduct = LineString([(300, -50), (300, 150)])
    g = routing.build_graph(CANAL + [viaduct])
    assert g.n_pieces == 2
    # from the viaduct (its own piece) nothing on the banks is reachable: inf, never the straight line
    assert math.isinf(routing.route_m(g, (305, 120), (100, 110)))
    banks = routing.snap_points(g, np.array([[100.0, -10.0], [305.0, 120.0]]))
    pieces = routing.reachable_pieces(g, banks)
    assert pieces[0] != pieces[1] and (pieces >= 0).all()


def test_nearest_is_minimum_over_targets_and_unreachable_is_inf():
    g = routing.build_graph(CANAL + [LineString([(5000, 0), (5100, 0)])])
    origins = routing.snap_points(g, np.array([[100.0, -10.0], [100.0, 90.0], [5050.0, 5.0]]))
    targets = routing.snap_points(g, np.array([[100.0, 110.0], [900.0, -20.0]]))
    got = routing.nearest_m(g, origins, targets)
    # resident 1: to (900,-20) along the south bank 10 + 800 + 20; resident 2: 10 + 10 to (100,110)
    assert got[:2] == pytest.approx([10 + 800 + 20, 10 + 10])
    assert math.isinf(got[2])  # the separate piece at x = 5000 reaches no facility
    no_targets = routing.snap_points(g, np.empty((0, 2)))
    assert np.isinf(routing.nearest_m(g, origins, no_targets)).all()


def test_explicit_zero_weights_count():
    # a facility exactly on a node (offset 0, snap 0) gives a zero-weight source edge: it must count
    g = routing.build_graph(grid_lines())
    assert routing.route_m(g, (100, 100), (100, 100)) == 0.0
    assert routing.route_m(g, (0, 0), (200, 200)) == pytest.approx(400.0)


def _reference_distance(lines: list[LineString], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Reference: split the nearest segment at each snapped point, add both as real nodes, run networkx."""
    graph = nx.Graph()
    segments = []
    for line in lines:
        coords = list(line.coords)
        for p, q in zip(coords[:-1], coords[1:]):
            if p != q:
                segments.append((p, q))
    added = []
    for point in (a, b):
        pt = shapely.Point(point)
        best = min(segments, key=lambda s: LineString(s).distance(pt))
        seg = LineString(best)
        foot = seg.interpolate(seg.project(pt))
        added.append((point, (foot.x, foot.y), best, pt.distance(foot)))
    split: dict[tuple, list] = {}
    for _point, foot, seg, _ in added:
        split.setdefault(seg, []).append(foot)
    for p, q in segments:
        stops = sorted([p, q] + split.get((p, q), []), key=lambda c: math.dist(p, c))
        for s, t in zip(stops[:-1], stops[1:]):
            w = math.dist(s, t)
            if not graph.has_edge(s, t) or graph[s][t]["weight"] > w:
                graph.add_edge(s, t, weight=w)
    (_, fa, _, sa), (_, fb, _, sb) = added
    try:
        return sa + nx.shortest_path_length(graph, fa, fb, weight="weight") + sb
    except nx.NetworkXNoPath:
        return math.inf


def _unique_nearest(lines: list[LineString], point: tuple[float, float]) -> bool:
    """True when one segment is strictly nearest (ties may snap to either, with another walk)."""
    pt = shapely.Point(point)
    d = sorted(LineString(s).distance(pt) for line in lines
               for s in zip(list(line.coords)[:-1], list(line.coords)[1:]) if s[0] != s[1])
    return len(d) == 1 or d[1] - d[0] > 1e-6


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from([(1, 0), (0, 1), (1, 1)])),
                min_size=2, max_size=16),
       st.tuples(st.floats(-50, 450), st.floats(-50, 450)), st.tuples(st.floats(-50, 450), st.floats(-50, 450)))
def test_route_matches_networkx_with_split_edges(segments, a, b):
    # unit steps on a 100 m lattice (right, up, diagonal): lines meet only at lattice vertices
    lines = [LineString([(100 * x, 100 * y), (100 * (x + dx), 100 * (y + dy))]) for x, y, (dx, dy) in segments]
    assume(_unique_nearest(lines, a) and _unique_nearest(lines, b))
    g = routing.build_graph(lines)
    got = routing.route_m(g, a, b)
    want = _reference_distance(lines, a, b)
    if math.isinf(want):
        assert math.isinf(got)
    else:
        assert got == pytest.approx(want, abs=1e-6)
        assert got >= math.dist(a, b) - 1e-6


def test_pairs_within_limit_match_single_routes():
    rng = np.random.default_rng(3)
    g = routing.build_graph(grid_lines(6, 100.0) + CANAL)
    origins_xy = rng.uniform(-20, 520, size=(40, 2))
    targets_xy = rng.uniform(-20, 520, size=(9, 2))
    group = np.array([0, 0, 1, 2, 2, 2, 3, 4, 4])  # facilities with one to three access points
    origins, targets = routing.snap_points(g, origins_xy), routing.snap_points(g, targets_xy)
    o, grp, d = routing.pairs_within_m(g, origins, targets, group, 5, 300.0)
    got = {(int(i), int(j)): float(v) for i, j, v in zip(o, grp, d)}
    want = {}
    for i in range(len(origins_xy)):
        for j in range(5):
            walk = min(routing.route_m(g, tuple(origins_xy[i]), tuple(targets_xy[k]))
                       for k in np.flatnonzero(group == j))
            if walk <= 300.0:
                want[(i, j)] = walk
    assert set(got) == set(want)
    for key, walk in want.items():
        assert got[key] == pytest.approx(walk)
    # nearest over all targets equals the smallest pair distance of each origin (where one is within the limit)
    nearest = routing.nearest_m(g, origins, targets)
    for (i, _), walk in want.items():
        assert nearest[i] <= walk + 1e-9


def test_prepared_graph_and_snaps_are_cached():
    lines = grid_lines(4)
    first = routing.prepared_graph(lines)
    assert routing.prepared_graph([LineString(line.coords) for line in lines]) is first
    xy = np.array([[10.0, 5.0], [120.0, 130.0]])
    assert routing.cached_snap(first, xy) is routing.cached_snap(first, xy.copy())
    assert routing.prepared_graph(grid_lines(5)) is not first


def test_tiled_subgraphs_are_exact_with_long_edges_and_many_tiles():
    # streets every 50 m over 3 km plus long diagonals (edges far longer than the limit) and a canal cut
    rng = np.random.default_rng(11)
    lines = [shapely.segmentize(LineString([(0, y), (3000, y)]), 50) for y in range(0, 3001, 250)]
    lines += [shapely.segmentize(LineString([(x, 0), (x, 1400)]), 50) for x in range(0, 3001, 250)]
    lines += [shapely.segmentize(LineString([(x, 1500), (x, 3000)]), 50) for x in range(0, 3001, 250)]
    lines += [LineString([(0, 0), (3000, 3000)]), LineString([(3000, 0), (0, 3000)])]
    g = routing.build_graph(lines)
    origins_xy = rng.uniform(0, 3000, size=(60, 2))
    targets_xy = rng.uniform(0, 3000, size=(25, 2))
    group = np.arange(25) // 2
    origins, targets = routing.snap_points(g, origins_xy), routing.snap_points(g, targets_xy)
    o, grp, d = routing.pairs_within_m(g, origins, targets, group, 13, 400.0)
    got = {(int(i), int(j)): float(v) for i, j, v in zip(o, grp, d)}
    want = {}
    for i in range(len(origins_xy)):
        walk = routing.nearest_m(g, origins.take(np.array([i])), targets)  # not per group: check below per group
        for j in range(13):
            mine = np.flatnonzero(group == j)
            w = float(routing.nearest_m(g, origins.take(np.array([i])), targets.take(mine))[0])
            if w <= 400.0:
                want[(i, j)] = w
        assert walk[0] <= min([w for (a, _), w in want.items() if a == i], default=np.inf) + 1e-9
    assert set(got) == set(want)
    assert [got[k] for k in sorted(want)] == pytest.approx([want[k] for k in sorted(want)])
