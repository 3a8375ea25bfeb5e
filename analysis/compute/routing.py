"""Walking distances over a street network: the graph, exact snapping onto segments, multi-source Dijkstra.

The network is an undirected graph: for walking every segment is two-way (one-way tags of car
traffic do not apply to pedestrians). Nodes are the vertices of the lines; two lines are connected
only where they share a vertex (as in OpenStreetMap and the NWB: a bridge over a road shares no
vertex with it, so crossing lines without a common vertex are not joined). Each pair of
consecutive vertices is one straight edge with its Euclidean length in EPSG:28992 metres.

A point (a resident, a facility) is snapped to the nearest point ON the nearest edge, not to the
nearest node: for a point ``p`` on edge ``(u, v)`` of length ``L`` with projection at distance
``s`` from ``u`` and perpendicular (snap) distance ``h``, the walk from ``p`` to a node ``n`` is
``h + min(s + D(u, n), (L - s) + D(v, n))``. Facilities enter the graph as extra source nodes with
directed edges to the two ends of their edge (weights ``h + s`` and ``h + L - s``), so one
multi-source Dijkstra run (:func:`scipy.sparse.csgraph.dijkstra`, ``min_only=True``) gives every
node its walk to the nearest facility, snap distance included, and no route passes through a
facility's extra node. A resident and a facility on the same edge also get the direct walk along
it, ``h_r + |s_r - s_f| + h_f``. Distances are exact up to the line geometry (no sampling).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra

#: Vertices whose coordinates agree after rounding to this many metres are one node (1 mm).
NODE_PRECISION_M = 0.001
#: How many prepared graphs are kept in memory.
CACHE_ENTRIES = 4
#: How many snapped point sets (residents, each component's facilities of each year) are kept.
SNAP_CACHE_ENTRIES = 64
#: Upper bound on the cells (groups x nodes) of one Dijkstra block in :func:`pairs_within_m` (memory, about 160 MB).
MAX_BLOCK_CELLS = 20_000_000

#: Below this many pairs :func:`merge_pairs` sorts; above it it hashes.
SMALL_MERGE = 200_000
#: Smallest tile side of :func:`iter_pairs_within_m` (fewer, larger Dijkstra blocks for short limits).
MIN_TILE_M = 2000.0

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class StreetGraph:
    """An undirected street graph prepared for snapping and shortest paths.

    Attributes
    ----------
    key : str
        Content hash of the lines the graph was built from (the cache key).
    node_xy : numpy.ndarray
        ``(n_nodes, 2)`` node coordinates in EPSG:28992.
    edge_u, edge_v : numpy.ndarray
        End nodes of each edge; offsets along an edge are measured from ``edge_u``.
    edge_length_m : numpy.ndarray
        Length of each edge in metres.
    matrix : scipy.sparse.csr_matrix
        Symmetric ``n_nodes x n_nodes`` matrix of edge lengths (parallel edges: the shortest).
    piece : numpy.ndarray
        Connected piece label of each node (0 .. n_pieces - 1).
    tree : shapely.STRtree
        Spatial index of the edges as straight segments.
    """

    key: str
    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    matrix: sparse.csr_matrix
    piece: np.ndarray
    tree: shapely.STRtree

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(len(self.node_xy))

    @property
    def n_edges(self) -> int:
        """Number of (distinct) edges."""
        return int(len(self.edge_u))

    @property
    def n_pieces(self) -> int:
        """Number of connected pieces."""
        return int(self.piece.max()) + 1 if len(self.piece) else 0

    @property
    def total_length_m(self) -> float:
        """Total length of the edges in metres."""
        return float(self.edge_length_m.sum())


@dataclass(frozen=True)
class Snap:
    """Points snapped onto the network.

    Attributes
    ----------
    edge : numpy.ndarray
        Edge of each point (-1 when the point has no location or the network is empty).
    offset_m : numpy.ndarray
        Distance along the edge from its ``edge_u`` end to the snapped point.
    snap_m : numpy.ndarray
        Straight distance from the point to the snapped point (``inf`` without an edge).
    """

    edge: np.ndarray
    offset_m: np.ndarray
    snap_m: np.ndarray

    def __len__(self) -> int:
        return int(len(self.edge))

    def take(self, which: np.ndarray) -> Snap:
        """The snaps of a subset of the points."""
        return Snap(self.edge[which], self.offset_m[which], self.snap_m[which])


def _line_parts(lines: object) -> np.ndarray:
    """The LineString parts of lines (MultiLineStrings and collections are split; other types dropped)."""
    values = getattr(lines, "geometry", lines)
    geoms = np.asarray(getattr(values, "values", values), dtype=object).ravel()
    if len(geoms) == 0:
        return geoms
    geoms = geoms[~(pd.isna(geoms) | shapely.is_empty(geoms))]
    parts = shapely.get_parts(geoms) if len(geoms) else geoms
    return parts[shapely.get_type_id(parts) == 1] if len(parts) else parts


def lines_key(lines: object) -> str:
    """A content hash of the line geometry (the cache key of its prepared graph)."""
    coords, index = shapely.get_coordinates(_line_parts(lines), return_index=True)
    digest = hashlib.sha256(np.ascontiguousarray(coords).tobytes())
    digest.update(np.ascontiguousarray(index).tobytes())
    return digest.hexdigest()[:20]


def _node_ids(coords: np.ndarray) -> np.ndarray:
    """One id per distinct vertex after rounding to :data:`NODE_PRECISION_M`."""
    grid = np.round(coords / NODE_PRECISION_M).astype(np.int64)
    span_y = int(grid[:, 1].max() - grid[:, 1].min()) + 1 if len(grid) else 1
    span_x = int(grid[:, 0].max() - grid[:, 0].min()) + 1 if len(grid) else 1
    if span_x * span_y < 2**62:
        combined = (grid[:, 0] - grid[:, 0].min()) * span_y + (grid[:, 1] - grid[:, 1].min())
        return pd.factorize(combined)[0].astype(np.int64)
    return np.unique(grid, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


def build_graph(lines: object) -> StreetGraph:
    """Build the undirected street graph of lines.

    Parameters
    ----------
    lines : GeoDataFrame, GeoSeries or array of shapely geometries
        Street centre lines in EPSG:28992 (LineStrings or MultiLineStrings; other geometry is
        ignored).

    Returns
    -------
    StreetGraph
        Nodes at the distinct vertices, one edge per pair of consecutive vertices (zero-length
        pieces dropped, parallel duplicates merged to the shortest), connected pieces labelled.
    """
    key = lines_key(lines)
    coords, index = shapely.get_coordinates(_line_parts(lines), return_index=True)
    ids = _node_ids(coords) if len(coords) else np.empty(0, np.int64)
    n_nodes = int(ids.max()) + 1 if len(ids) else 0
    node_xy = np.empty((n_nodes, 2))
    node_xy[ids] = coords
    same_line = index[1:] == index[:-1] if len(index) else np.zeros(0, bool)
    u, v = ids[:-1][same_line], ids[1:][same_line]
    keep = u != v
    lo, hi = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
    length = np.hypot(*(node_xy[hi] - node_xy[lo]).T)
    order = np.lexsort((length, hi, lo))
    lo, hi, length = lo[order], hi[order], length[order]
    first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])] if len(lo) else np.zeros(0, bool)
    lo, hi, length = lo[first], hi[first], length[first]
    used, renumber = np.unique(np.r_[lo, hi], return_inverse=True)  # nodes of zero-length lines only: dropped
    node_xy, n_nodes = node_xy[used], len(used)
    lo, hi = renumber[:len(lo)].astype(np.int64), renumber[len(lo):].astype(np.int64)
    matrix = sparse.csr_matrix((np.r_[length, length], (np.r_[lo, hi], np.r_[hi, lo])), shape=(n_nodes, n_nodes))
    piece = (connected_components(matrix, directed=False)[1].astype(np.int64) if n_nodes
             else np.empty(0, np.int64))
    segments = shapely.linestrings(np.stack([node_xy[lo], node_xy[hi]], axis=1)) if len(lo) else np.empty(0, object)
    return StreetGraph(key, node_xy, lo, hi, length, matrix, piece, shapely.STRtree(segments))


_GRAPHS: OrderedDict[str, StreetGraph] = OrderedDict()
_SNAPS: OrderedDict[tuple[str, str], Snap] = OrderedDict()


def _cached(cache: OrderedDict, key: object, make: Callable[[], T], size: int = CACHE_ENTRIES) -> T:
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = make()
    cache[key] = value
    while len(cache) > size:
        cache.popitem(last=False)
    return value


def prepared_graph(lines: object) -> StreetGraph:
    """:func:`build_graph`, cached by the content of the lines (so years and components share it)."""
    return _cached(_GRAPHS, lines_key(lines), lambda: build_graph(lines))


def snap_points(graph: StreetGraph, xy: np.ndarray) -> Snap:
    """Snap points to the nearest point on the nearest edge.

    Parameters
    ----------
    graph : StreetGraph
        The network.
    xy : numpy.ndarray
        ``(n, 2)`` coordinates in EPSG:28992 (rows with NaN get no edge).

    Returns
    -------
    Snap
        Edge, offset along it from ``edge_u`` and the snap distance, all exact (orthogonal
        projection onto the straight edge, clipped to its ends).
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    edge = np.full(n, -1, dtype=np.int64)
    offset, snap = np.zeros(n), np.full(n, np.inf)
    ok = np.isfinite(xy).all(axis=1)
    if graph.n_edges == 0 or not ok.any():
        return Snap(edge, offset, snap)
    which = np.flatnonzero(ok)
    hit_point, hit_edge = graph.tree.query_nearest(shapely.points(xy[which]), all_matches=False)
    which, e = which[hit_point], hit_edge.astype(np.int64)
    a, b = graph.node_xy[graph.edge_u[e]], graph.node_xy[graph.edge_v[e]]
    ab, ap = b - a, xy[which] - a
    t = np.clip(np.einsum("ij,ij->i", ap, ab) / np.einsum("ij,ij->i", ab, ab), 0.0, 1.0)
    foot = a + t[:, None] * ab
    edge[which] = e
    offset[which] = t * graph.edge_length_m[e]
    snap[which] = np.hypot(*(xy[which] - foot).T)
    return Snap(edge, offset, snap)


def points_key(xy: np.ndarray) -> str:
    """A content hash of point coordinates."""
    return hashlib.sha256(np.ascontiguousarray(np.asarray(xy, dtype=float)).tobytes()).hexdigest()[:20]


def cached_snap(graph: StreetGraph, xy: np.ndarray) -> Snap:
    """:func:`snap_points`, cached by graph and point content (residents are snapped once per dataset).

    The returned arrays are shared: do not change them.
    """
    return _cached(_SNAPS, (graph.key, points_key(xy)), lambda: snap_points(graph, xy), SNAP_CACHE_ENTRIES)


def _augmented(graph: StreetGraph, targets: Snap, group: np.ndarray, n_groups: int,
               nodes: np.ndarray | None = None) -> sparse.csr_matrix:
    """The graph plus one source node per target group, with directed edges to its snapped edges' ends.

    With ``nodes`` (sorted node ids), only the subgraph they induce, numbered by position in
    ``nodes``; source edges to an end outside it are dropped.
    """
    ok = targets.edge >= 0
    e, g = targets.edge[ok], group[ok]
    length = graph.edge_length_m[e]
    cols = np.r_[graph.edge_u[e], graph.edge_v[e]]
    weight = np.r_[targets.snap_m[ok] + targets.offset_m[ok], targets.snap_m[ok] + length - targets.offset_m[ok]]
    base = graph.matrix if nodes is None else graph.matrix[nodes][:, nodes]
    size = graph.n_nodes if nodes is None else len(nodes)
    rows = np.concatenate([g, g]) + size
    if nodes is not None:
        local = np.asarray(np.searchsorted(nodes, cols), dtype=np.int64)
        inside = (local < len(nodes)) & (nodes[np.minimum(local, len(nodes) - 1)] == cols)
        rows, cols, weight = rows[inside], local[inside], weight[inside]
    if len(rows):  # a group with several targets on the same node: keep the shortest
        order = np.lexsort((weight, cols, rows))
        rows, cols, weight = rows[order], cols[order], weight[order]
        first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
        rows, cols, weight = rows[first], cols[first], weight[first]
    coo = base.tocoo()
    total = size + n_groups
    return sparse.csr_matrix((np.r_[coo.data, weight], (np.r_[coo.row, rows], np.r_[coo.col, cols])),
                             shape=(total, total))


def _snapped_xy(graph: StreetGraph, snap: Snap) -> np.ndarray:
    """Coordinates of the snapped points (NaN without an edge)."""
    e = np.where(snap.edge >= 0, snap.edge, 0)
    if graph.n_edges == 0:
        return np.full((len(snap), 2), np.nan)
    a, b = graph.node_xy[graph.edge_u[e]], graph.node_xy[graph.edge_v[e]]
    t = np.divide(snap.offset_m, graph.edge_length_m[e], out=np.zeros(len(e)), where=graph.edge_length_m[e] > 0)
    xy = a + t[:, None] * (b - a)
    xy[snap.edge < 0] = np.nan
    return xy


def _tiles(xy: np.ndarray, group: np.ndarray, side_m: float) -> list[np.ndarray]:
    """The groups, tile by tile (square tiles of ``side_m`` by each group's first point)."""
    live, first = np.unique(group, return_index=True)
    cell = np.floor(xy[first] / side_m).astype(np.int64)
    key = (cell[:, 0] - cell[:, 0].min()) * (int(cell[:, 1].max() - cell[:, 1].min()) + 1) + (cell[:, 1] - cell[:, 1].min())
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[order])) + 1
    return np.split(live[order], cuts)


def _from_nodes(graph: StreetGraph, origins: Snap, node_distance: np.ndarray) -> np.ndarray:
    """Walk from each origin to whatever ``node_distance`` measures (last axis = nodes), via either edge end."""
    if graph.n_edges == 0:
        return np.full(node_distance.shape[:-1] + (len(origins),), np.inf)
    e = np.where(origins.edge >= 0, origins.edge, 0)
    via_u = origins.offset_m + node_distance[..., graph.edge_u[e]]
    via_v = (graph.edge_length_m[e] - origins.offset_m) + node_distance[..., graph.edge_v[e]]
    walk = origins.snap_m + np.minimum(via_u, via_v)
    return np.where(origins.edge >= 0, walk, np.inf)


def _same_edge(origins: Snap, targets: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Origin and target indices on the same edge, with the direct walk along it."""
    t_ok = np.flatnonzero(targets.edge >= 0)
    if len(t_ok) == 0 or len(origins) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    t_sorted = t_ok[np.argsort(targets.edge[t_ok], kind="stable")]
    t_edges = targets.edge[t_sorted]
    start = np.searchsorted(t_edges, origins.edge, side="left")
    stop = np.searchsorted(t_edges, origins.edge, side="right")
    count = np.where(origins.edge >= 0, stop - start, 0)
    o = np.repeat(np.arange(len(origins)), count)
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    t = t_sorted[np.repeat(start, count) + within]
    walk = origins.snap_m[o] + np.abs(origins.offset_m[o] - targets.offset_m[t]) + targets.snap_m[t]
    return o, t, walk


def nearest_m(graph: StreetGraph, origins: Snap, targets: Snap) -> np.ndarray:
    """Walking distance from each origin to the nearest target over the network.

    One multi-source Dijkstra run from the targets (``min_only=True``); the two snap distances
    are included.

    Returns
    -------
    numpy.ndarray
        Metres; ``inf`` for an origin that cannot reach any target (another connected piece,
        or no location).
    """
    if len(origins) == 0:
        return np.empty(0)
    if not (targets.edge >= 0).any():
        return np.full(len(origins), np.inf)
    n_targets = len(targets)
    matrix = _augmented(graph, targets, np.arange(n_targets), n_targets)
    sources = graph.n_nodes + np.flatnonzero(targets.edge >= 0)
    node_distance = np.asarray(dijkstra(matrix, directed=True, indices=sources, min_only=True))[:graph.n_nodes]
    walk = _from_nodes(graph, origins, node_distance)
    o, _, direct = _same_edge(origins, targets)
    np.minimum.at(walk, o, direct)
    return walk


@dataclass(frozen=True)
class _AtNodes:
    """For every node (CSR by ``start``), the origins on an edge ending there: the walk to this end and the other."""

    start: np.ndarray
    origin: np.ndarray
    to_node: np.ndarray
    other: np.ndarray
    to_other: np.ndarray
    is_u: np.ndarray


def _origins_at_nodes(graph: StreetGraph, origins: Snap) -> _AtNodes:
    ok = np.flatnonzero(origins.edge >= 0)
    e = origins.edge[ok]
    to_u = origins.snap_m[ok] + origins.offset_m[ok]
    to_v = origins.snap_m[ok] + graph.edge_length_m[e] - origins.offset_m[ok]
    node = np.r_[graph.edge_u[e], graph.edge_v[e]]
    order = np.argsort(node, kind="stable")
    return _AtNodes(np.searchsorted(node[order], np.arange(graph.n_nodes + 1)), np.r_[ok, ok][order],
                    np.r_[to_u, to_v][order], np.r_[graph.edge_v[e], graph.edge_u[e]][order],
                    np.r_[to_v, to_u][order], np.r_[np.ones(len(ok), bool), np.zeros(len(ok), bool)][order])


def _expand(at: _AtNodes, rows: np.ndarray, nodes: np.ndarray, local_of: np.ndarray, row: np.ndarray,
            local: np.ndarray, row_group: np.ndarray, limit_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, group, walk) for the reached (row, local node) cells, each pair once.

    Every origin on an edge ending at a reached node walks the shorter way, via this end or the
    other; an origin whose both ends are reached is taken from its ``edge_u`` end only.
    ``local_of`` gives each node's position in ``nodes`` (-1 outside the subgraph).
    """
    node = nodes[local]
    count = at.start[node + 1] - at.start[node]
    entry = np.repeat(at.start[node] - np.r_[0, np.cumsum(count)[:-1]], count) + np.arange(int(count.sum()))
    r = np.repeat(row, count)
    here = np.repeat(rows[row, local], count) + at.to_node[entry]
    other = local_of[at.other[entry]]
    inside = other >= 0
    reached_other = np.full(len(entry), np.inf)
    reached_other[inside] = rows[r[inside], other[inside]]
    walk = np.minimum(here, reached_other + at.to_other[entry])
    keep = (at.is_u[entry] | (reached_other > limit_m)) & (walk <= limit_m)
    return at.origin[entry][keep], row_group[r[keep]], walk[keep]


def combine_pairs(o: np.ndarray, g: np.ndarray, d: np.ndarray,
             extra: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique pairs ``o, g, d`` with a few extra pairs folded in (the shorter distance wins)."""
    eo, eg, ed = merge_pairs([extra])
    if len(eo) == 0:
        return o, g, d
    width = int(max(g.max() if len(g) else 0, eg.max())) + 1
    pos = pd.Index(o * width + g).get_indexer(eo * width + eg)
    hit = pos >= 0
    d = d.copy()
    np.minimum.at(d, pos[hit], ed[hit])
    return np.r_[o, eo[~hit]], np.r_[g, eg[~hit]], np.r_[d, ed[~hit]]


def iter_pairs_within_m(graph: StreetGraph, origins: Snap, targets: Snap, group: np.ndarray, n_groups: int,
                        limit_m: float) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The (origin, target group) pairs within ``limit_m`` walking metres, block by block of groups.

    A group is one facility with one or more access points (the boundary points of a park); its
    distance is the walk to the nearest of them. Groups are taken tile by tile (tiles of
    ``2 * limit_m``, at least :data:`MIN_TILE_M`); for a tile, Dijkstra (``limit=limit_m``, one source node per group) runs on
    the subgraph of the nodes within ``limit_m`` of the tile's targets' bounding box. That is
    exact: a walk is never shorter than the straight line, so no node or route outside the box
    is within the limit. Only the nodes reached are expanded to the origins on their edges, so
    the work follows the number of pairs. Every group's pairs come in one block, each pair once
    at its shortest walk, so a caller can use a block and let it go.

    Yields
    ------
    origin, group, distance_m : numpy.ndarray
        The pairs of one block of groups.
    """
    group = np.asarray(group, dtype=np.int64)
    valid = np.flatnonzero(targets.edge >= 0)
    if len(origins) == 0 or len(valid) == 0:
        return
    at = _origins_at_nodes(graph, origins)
    o_same, t_same, direct = _same_edge(origins, targets)
    near = direct <= limit_m
    o_same, g_same, direct = o_same[near], group[t_same[near]], direct[near]
    target_xy = _snapped_xy(graph, targets)
    in_block = np.zeros(n_groups, bool)
    local_of = np.full(graph.n_nodes, -1, dtype=np.int64)
    for tile in _tiles(target_xy[valid], group[valid], max(2.0 * limit_m, MIN_TILE_M)):
        in_block[:] = False
        in_block[tile] = True
        mine = valid[in_block[group[valid]]]
        low, high = target_xy[mine].min(axis=0) - limit_m, target_xy[mine].max(axis=0) + limit_m
        nodes = np.flatnonzero(((graph.node_xy >= low) & (graph.node_xy <= high)).all(axis=1))
        local_of[nodes] = np.arange(len(nodes))
        local = np.full(n_groups, -1, dtype=np.int64)
        local[tile] = np.arange(len(tile))
        matrix = _augmented(graph, targets.take(mine), local[group[mine]], len(tile), nodes)
        step = max(1, MAX_BLOCK_CELLS // max(len(nodes), 1))
        found = []
        for first in range(0, len(tile), step):
            sources = np.arange(first, min(first + step, len(tile)))
            rows = np.asarray(dijkstra(matrix, directed=True, indices=len(nodes) + sources, limit=float(limit_m)))
            row, node = np.nonzero(rows[:, :len(nodes)] <= limit_m)
            found.append(_expand(at, rows, nodes, local_of, row, node, tile[sources], limit_m))
        local_of[nodes] = -1
        o, g, d = (np.concatenate([f[i] for f in found]) for i in range(3))
        same = in_block[g_same]
        yield combine_pairs(o, g, d, (o_same[same], g_same[same], direct[same]))


def pairs_within_m(graph: StreetGraph, origins: Snap, targets: Snap, group: np.ndarray, n_groups: int,
                   limit_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (origin, target group) pair within ``limit_m`` walking metres (all blocks of :func:`iter_pairs_within_m`).

    Returns
    -------
    origin, group, distance_m : numpy.ndarray
        One row per pair within the limit (each pair once, at its shortest walk).
    """
    return merge_pairs(list(iter_pairs_within_m(graph, origins, targets, group, n_groups, limit_m)))


def merge_pairs(found: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concatenate (origin, group, distance) pair lists, keeping each pair once at its shortest distance."""
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    o = np.concatenate([f[0] for f in found]).astype(np.int64)
    g = np.concatenate([f[1] for f in found]).astype(np.int64)
    d = np.concatenate([f[2] for f in found]).astype(float)
    if len(o) == 0:
        return o, g, d
    width = int(g.max()) + 1
    key = o * width + g
    if len(key) < SMALL_MERGE:  # sorting is cheaper than hashing for small blocks
        order = np.lexsort((d, key))
        key, d = key[order], d[order]
        first = np.r_[True, key[1:] != key[:-1]]
        return key[first] // width, key[first] % width, d[first]
    shortest = pd.Series(d).groupby(key, sort=True).min()  # hash grouping on one int64 key
    key = shortest.index.to_numpy(dtype=np.int64)
    return key // width, key % width, shortest.to_numpy(dtype=float)


def reachable_pieces(graph: StreetGraph, snap: Snap) -> np.ndarray:
    """Connected piece of each snapped point (-1 without an edge)."""
    e = np.where(snap.edge >= 0, snap.edge, 0)
    piece = graph.piece[graph.edge_u[e]] if graph.n_edges else np.zeros(len(e), np.int64)
    return np.where(snap.edge >= 0, piece, -1)


def route_m(graph: StreetGraph, a_xy: tuple[float, float], b_xy: tuple[float, float]) -> float:
    """Walking distance from one point to another (both snapped; ``inf`` when not connected)."""
    origin = snap_points(graph, np.array([a_xy], dtype=float))
    target = snap_points(graph, np.array([b_xy], dtype=float))
    return float(nearest_m(graph, origin, target)[0])


__all__ = ["NODE_PRECISION_M", "Snap", "StreetGraph", "build_graph", "cached_snap", "combine_pairs", "iter_pairs_within_m", "lines_key",
           "merge_pairs", "nearest_m", "pairs_within_m", "prepared_graph", "reachable_pieces", "route_m", "snap_points"]
