"""Benchmark of walking distances over a real street network: Eindhoven, 100,000 residents, 8 components.

Reads the Eindhoven OpenStreetMap network (``../shared/data/eindhoven/eindhoven_osm_wegen.gpkg``,
111,451 segments), prepares the graph once (reading, nodes, edges, connected pieces, spatial
index: reported separately), places 100,000 resident points at random inside the 116 Eindhoven
buurten and, per component, a few hundred facilities at random points on the network, then for
each of the 8 components computes every resident's walk to the nearest facility (one
multi-source Dijkstra run per component, :func:`analysis.compute.routing.nearest_m`), and the
2SFCA pairs within a walking norm (:func:`analysis.compute.routing.pairs_within_m`).
For comparison it times networkx's multi-source Dijkstra on the same graph for one component.
Finally it reports per buurt the ratio of the mean walk to the mean straight-line distance to the
nearest of 25 and of 100 facilities on the network, for residents at the centres of the 100 m cells
of each buurt (synthetic: Eindhoven publishes no addresses here).

    python bench/routing.py                 # 100,000 residents, 8 components
    python bench/routing.py --bewoners 20000 --geen-networkx

Target (issue): the nearest facility of 8 components for 100,000 residents under 20 s and 2 GB on
2 cores, preparation reported separately. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "data" / "eindhoven"
NORMS_M = (500.0, 1000.0, 500.0, 1000.0, 1500.0, 1500.0, 500.0, 1000.0)


def eindhoven_buurten():
    """The 116 Eindhoven buurten (GeoJSON text in a CSV) in EPSG:28992."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    raw = pd.read_csv(SHARED / "eindhoven_buurten.csv", sep=";", encoding="utf-8-sig")
    return gpd.GeoDataFrame({"code": raw["BUURTCODE"].astype(str)}, geometry=shapely.from_geojson(
        raw["geo_shape"].to_numpy()), crs="EPSG:4326").to_crs("EPSG:28992")


def random_points_in(polygons, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside the union of polygons (rejection sampling)."""
    import shapely

    union = shapely.union_all(np.asarray(polygons, dtype=object))
    shapely.prepare(union)
    minx, miny, maxx, maxy = union.bounds
    out = []
    while sum(len(o) for o in out) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(n, 2))
        out.append(xy[shapely.contains_xy(union, xy[:, 0], xy[:, 1])])
    return np.vstack(out)[:n]


def on_network(graph, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random points on edges of the largest connected piece."""
    largest = int(np.argmax(np.bincount(graph.piece)))
    edges = rng.choice(np.flatnonzero(graph.piece[graph.edge_u] == largest), n, replace=False)
    t = rng.uniform(0, 1, n)[:, None]
    a, b = graph.node_xy[graph.edge_u[edges]], graph.node_xy[graph.edge_v[edges]]
    return a + t * (b - a)


def networkx_one(graph, sources: np.ndarray) -> float:
    """Seconds for networkx's multi-source Dijkstra from the facilities' nearest nodes."""
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from(zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_length_m.tolist()))
    start = time.perf_counter()
    nx.multi_source_dijkstra_path_length(g, set(sources.tolist()), weight="weight")
    return time.perf_counter() - start


def buurt_ratios(graph, buurten, n_facilities: int, rng: np.random.Generator) -> None:
    """Print the per-buurt ratio of the mean walk to the mean straight line to the nearest facility."""
    import pandas as pd
    import shapely
    from scipy.spatial import cKDTree

    from analysis.compute import routing
    from analysis.compute.placement import _first_containing, grid_centres

    polygons = np.asarray(buurten.geometry.values, dtype=object)
    centres = grid_centres(shapely.total_bounds(polygons))
    owner = _first_containing(centres, polygons)
    xy, owner = centres[owner >= 0], owner[owner >= 0]
    fxy = on_network(graph, n_facilities, rng)
    walk = routing.nearest_m(graph, routing.snap_points(graph, xy), routing.snap_points(graph, fxy))
    straight = cKDTree(fxy).query(xy)[0]
    ok = np.isfinite(walk)
    per = pd.DataFrame({"b": owner[ok], "walk": walk[ok], "straight": straight[ok]}).groupby("b").mean()
    ratio = per["walk"] / per["straight"]
    q = ratio.quantile([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]).to_numpy()
    top = ratio.sort_values(ascending=False).head(3)
    names = ", ".join(f"{buurten['code'].iloc[int(i)]} ({r:.2f})" for i, r in top.items())
    print(f"  {n_facilities} voorzieningen, {len(xy):,} rastercentra in {len(per)} buurten ({int((~ok).sum())} op een los "
          f"stuk): verhouding over het net / hemelsbreed per buurt min {q[0]:.2f}, p10 {q[1]:.2f}, p25 {q[2]:.2f}, "
          f"mediaan {q[3]:.2f}, p75 {q[4]:.2f}, p90 {q[5]:.2f}, max {q[6]:.2f}; hoogst: {names}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark van loopafstanden over het stratennet van Eindhoven.")
    parser.add_argument("--bewoners", type=int, default=100_000)
    parser.add_argument("--componenten", type=int, default=8)
    parser.add_argument("--geen-networkx", action="store_true", help="sla de vergelijking met networkx over")
    args = parser.parse_args(argv)
    from analysis.compute import routing
    from analysis.findings import Findings
    from analysis.load.roads import read_roads

    rng = np.random.default_rng(2025)
    t0 = time.perf_counter()
    roads = read_roads(SHARED / "eindhoven_osm_wegen.gpkg", Findings())
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    graph = routing.build_graph(roads)
    t_build = time.perf_counter() - t0
    print(f"stratennet: {len(roads):,} lijnen, {graph.n_nodes:,} knopen, {graph.n_edges:,} kanten, "
          f"{graph.n_pieces} losse stukken, {graph.total_length_m / 1000:,.0f} km")
    print(f"eenmalige voorbereiding: lezen {t_read:.2f} s, graaf en ruimtelijke index {t_build:.2f} s")
    print("(kloktijden; op een drukke machine zijn de cpu-tijden betrouwbaarder)")

    buurten = eindhoven_buurten()
    xy = random_points_in(buurten.geometry.values, args.bewoners, rng)
    counts = rng.integers(200, 400, args.componenten)
    facilities = [on_network(graph, int(c), rng) for c in counts]
    t0, c0 = time.perf_counter(), time.process_time()
    origins = routing.snap_points(graph, xy)
    t_snap = time.perf_counter() - t0
    per_component = []
    for fxy in facilities:
        t1 = time.perf_counter()
        distance = routing.nearest_m(graph, origins, routing.snap_points(graph, fxy))
        per_component.append(time.perf_counter() - t1)
    t_nearest = time.perf_counter() - t0
    cpu_nearest = time.process_time() - c0
    reached = np.isfinite(distance)
    print(f"{args.bewoners:,} bewoners, {args.componenten} componenten met {counts.min()}-{counts.max()} voorzieningen:")
    print(f"  bewoners op het net leggen (eenmalig per dataset, in de tijd hieronder) {t_snap:.2f} s; mediaan aanloop "
          f"{np.median(origins.snap_m):.1f} m, max {origins.snap_m.max():.0f} m")
    print(f"  dichtstbijzijnde voorziening, alle componenten: {t_nearest:.2f} s (cpu {cpu_nearest:.2f} s; per component "
          f"{min(per_component):.2f}-{max(per_component):.2f} s; doel < 20 s)")
    print(f"  niet bereikbaar (los stuk van het net): {int((~reached).sum())} bewoners; mediaan afstand laatste "
          f"component {np.median(distance[reached]):.0f} m")
    t0, c0 = time.perf_counter(), time.process_time()
    pairs = 0
    for fxy, norm in zip(facilities, NORMS_M):
        targets = routing.snap_points(graph, fxy)
        o, _, _ = routing.pairs_within_m(graph, origins, targets, np.arange(len(fxy)), len(fxy), norm)
        pairs += len(o)
    print(f"  2SFCA: alle paren binnen de loopnorm (500-1.500 m), alle componenten: {time.perf_counter() - t0:.2f} s "
          f"(cpu {time.process_time() - c0:.2f} s), {pairs:,} paren")
    if not args.geen_networkx:
        nodes = routing.snap_points(graph, facilities[0])
        seconds = networkx_one(graph, graph.edge_u[nodes.edge])
        print(f"  ter vergelijking networkx multi_source_dijkstra, 1 component (alleen knopen, zonder aanloop): "
              f"{seconds:.2f} s tegen {per_component[0]:.2f} s met scipy")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("omweg per buurt (BUURTCODE = gemeentelijk buurtnummer):")
    for n_facilities in (25, 100):
        buurt_ratios(graph, buurten, n_facilities, np.random.default_rng(42))
    print(f"piekgeheugen van de meting hierboven {peak_mb:,.0f} MB (doel < 2.048 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
