"""Benchmark: a 500-buurt city end to end through compute_indicators with addresses and a street network.

Writes the large synthetic city of ``bench/indicators.py --groot`` (500 buurten of 1 x 1 km,
20,000 facilities, 5,000 associations, 40,000 ties, 50,000 respondents) and adds

- ``adressen.csv`` in the demo's format (``id,x,y,aantal_woningen,functie``): 200 addresses per
  buurt (100,000), one in ten a shop (``winkel``, not counted), 1-3 dwellings each;
- ``wegen.gpkg``: a street grid every 100 m with a vertex at every crossing (about 51,000 nodes
  and 100,000 segments) cut by an east-west canal that only bridges every 1.5 km cross.

Then it times ``load_dataset`` and ``compute_indicators`` (one year) for the city with both sources
and, for comparison, without them (residents spread evenly, straight-line distances). Each run is a
fresh subprocess, so its peak memory (maximum resident set size) belongs to it.

    python bench/city500.py
    python bench/city500.py --alleen-net      # skip the run without network and addresses
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.indicators import BUURT_SIDE_M, GROOT, ORIGIN_XY_M, YEAR, write_dataset  # noqa: E402

STREET_STEP_M = 100.0
ADDRESSES_PER_BUURT = 200
BRIDGE_EVERY_M = 1500.0


def city_extent(n_buurten: int) -> tuple[float, float, float, float]:
    """Bounds of the buurt grid that :func:`bench.indicators.write_dataset` lays out."""
    cols = int(math.ceil(math.sqrt(n_buurten)))
    rows = int(math.ceil(n_buurten / cols))
    x0, y0 = ORIGIN_XY_M
    return x0, y0, x0 + cols * BUURT_SIDE_M, y0 + rows * BUURT_SIDE_M


def write_streets(folder: Path, n_buurten: int) -> dict[str, float]:
    """A 100 m street grid with a canal across the middle, bridged every :data:`BRIDGE_EVERY_M`."""
    import geopandas as gpd
    import shapely

    x0, y0, x1, y1 = city_extent(n_buurten)
    canal_low = y0 + round((y1 - y0) / 2 / STREET_STEP_M) * STREET_STEP_M   # streets end here ...
    canal_high = canal_low + STREET_STEP_M                                  # ... and start again here
    lines = [shapely.LineString([(x0, y), (x1, y)]) for y in np.arange(y0, y1 + 1, STREET_STEP_M)]
    for x in np.arange(x0, x1 + 1, STREET_STEP_M):
        if round((x - x0) % BRIDGE_EVERY_M) == 0:
            lines.append(shapely.LineString([(x, y0), (x, y1)]))            # a bridge
        else:
            lines += [shapely.LineString([(x, y0), (x, canal_low)]), shapely.LineString([(x, canal_high), (x, y1)])]
    lines = list(shapely.segmentize(np.asarray(lines, dtype=object), STREET_STEP_M))
    gpd.GeoDataFrame({"id": [f"w{i}" for i in range(len(lines))]}, geometry=lines, crs="EPSG:28992").to_file(
        folder / "wegen.gpkg", driver="GPKG")
    return {"lijnen": float(len(lines))}


def write_addresses(folder: Path, n_buurten: int, seed: int = 5) -> int:
    """200 addresses per buurt in the demo's CSV format."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    cols = int(math.ceil(math.sqrt(n_buurten)))
    b = np.repeat(np.arange(n_buurten), ADDRESSES_PER_BUURT)
    x = ORIGIN_XY_M[0] + (b % cols) * BUURT_SIDE_M + rng.uniform(10, BUURT_SIDE_M - 10, len(b))
    y = ORIGIN_XY_M[1] + (b // cols) * BUURT_SIDE_M + rng.uniform(10, BUURT_SIDE_M - 10, len(b))
    pd.DataFrame({"id": [f"a{i}" for i in range(len(b))], "x": x.round(2), "y": y.round(2),
                  "aantal_woningen": rng.integers(1, 4, len(b)),
                  "functie": np.where(rng.random(len(b)) < 0.1, "winkel", "wonen")}).to_csv(
        folder / "adressen.csv", index=False)
    return len(b)


def run_one(with_sources: bool) -> dict[str, float]:
    """Write the city, read and compute it once in this process; seconds and peak memory."""
    from analysis.compute.indicators import compute_indicators
    from analysis.compute.proximity import distance_method, placement_method
    from analysis.load.dataset import load_dataset

    with tempfile.TemporaryDirectory(prefix="ww_city500_") as tmp:
        folder = Path(tmp)
        write_dataset(folder, GROOT)
        extra: dict[str, float] = {}
        if with_sources:
            extra = write_streets(folder, GROOT["buurten"])
            extra["adressen"] = float(write_addresses(folder, GROOT["buurten"]))
            manifest = (folder / "dataset.toml").read_text(encoding="utf-8")
            manifest = manifest.replace("[bronnen]\n", '[bronnen]\nadressen = "adressen.csv"\nwegen = "wegen.gpkg"\n')
            (folder / "dataset.toml").write_text(manifest, encoding="utf-8")
        t0, c0 = time.perf_counter(), time.process_time()
        ds = load_dataset(folder)
        read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        table = compute_indicators(ds, years=[YEAR])
        compute_s, compute_cpu = time.perf_counter() - t0, time.process_time() - c0
        reach = table[table["indicator"].str.endswith("_bereik_per_1000") & (table["niveau"] == "buurt")]
        far = table[(table["indicator"] == "sport_afstand_m") & (table["niveau"] == "gemeente")]["waarde"]
        out = {"read_s": read_s, "read_cpu_s": read_cpu, "compute_s": compute_s, "compute_cpu_s": compute_cpu,
               "rows": float(len(table)), "bereik_rows": float(len(reach)),
               "sport_afstand_m": float(far.iloc[0]) if len(far) else math.nan,
               "placement": placement_method(ds), "distance": distance_method(ds), **extra}
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def _in_subprocess(with_sources: bool) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench.city500 import run_one; "
            f"print(json.dumps(run_one({with_sources!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark: een stad van 500 buurten met adressen en stratennet.")
    parser.add_argument("--alleen-net", action="store_true", help="sla de vergelijking zonder net en adressen over")
    args = parser.parse_args(argv)
    runs = [True] if args.alleen_net else [True, False]
    for with_sources in runs:
        r = _in_subprocess(with_sources)
        label = "met adressen en stratennet" if with_sources else "zonder (gelijkmatig, hemelsbreed)"
        print(f"{label}: lezen {r['read_s']:.1f} s (cpu {r['read_cpu_s']:.1f} s), rekenen {r['compute_s']:.1f} s "
              f"(cpu {r['compute_cpu_s']:.1f} s), piekgeheugen {r['peak_mb']:,.0f} MB, {r['rows']:,.0f} rijen")
        print(f"   inwoners: {r['placement']}; afstand: {r['distance']}; gemiddelde afstand tot sport "
              f"{r['sport_afstand_m']:.0f} m; {r['bereik_rows']:,.0f} bereik-rijen per buurt"
              + (f"; {r['adressen']:,.0f} adressen, {r['lijnen']:,.0f} straatlijnen" if with_sources else ""))
    print("Let op: op een drukke machine zijn de kloktijden hoger; de cpu-tijden zijn dan betrouwbaarder.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
