"""Benchmark of the indicator engine: read vs compute time, growth with size and peak memory.

Generates a synthetic municipality at 1x, 4x and 16x the demo's size (1x = 50 buurten, 600
facilities, 200 associations with 500 ties, 4,000 respondents), writes it as a dataset folder
(``dataset.toml`` + GeoPackage/CSV files) to a temporary folder, and times
``analysis.load.dataset.load_dataset`` (reading) against ``analysis.compute.indicators.compute_indicators``
(computing every indicator for one year). Prints per size the seconds and peak memory, the
growth exponent of compute time against size (least-squares slope of log time on log size),
and the compute/read ratio at 16x.

    python bench/indicators.py            # 1x, 4x, 16x (about a minute on 2 cores)
    python bench/indicators.py --groot    # also 500 buurten, 20,000 facilities, 5,000 associations,
                                          # 40,000 ties, 50,000 respondents (target < 30 s, < 2 GB)

Targets (issue 3): exponent <= 1.2, compute <= 3x reading at 16x, the large city in < 30 s and < 2 GB.
Peak memory is the process's maximum resident set size (``resource.getrusage``), which only grows:
each size is run in a fresh subprocess so the figure belongs to that size.
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
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GM = "GM9997"
YEAR = 2025
BUURT_SIDE_M = 1000.0
ORIGIN_XY_M = (150_000.0, 450_000.0)
#: Vertex spacing of the buurt borders (CBS-like detail, so reading geometry is not trivially cheap).
BORDER_STEP_M = 25.0
#: The demo-sized case (1x).
BASE = {"buurten": 50, "voorzieningen": 600, "verenigingen": 200, "banden": 500, "respondenten": 4000}
#: The large city of the issue (``--groot``).
GROOT = {"buurten": 500, "voorzieningen": 20_000, "verenigingen": 5_000, "banden": 40_000, "respondenten": 50_000}
PLACE_COMPONENTS = ("ontmoeting", "onderwijs", "zorg", "cultuur", "sport", "openbare_ruimte", "verenigingen")

MANIFEST = f"""[dataset]
naam = "Benchmarkstad"
jaar = {YEAR}
gemeente = "{GM}"
fictief = true

[bronnen]
buurten = "buurten.gpkg"
verenigingen = "verenigingen.csv"
banden = "banden.csv"
enquete = "enquete.csv"
codeboek = "codeboek.toml"
digitaal = "digitaal.csv"

[[voorzieningen]]
bestand = "voorzieningen.gpkg"
componentkolom = "component"
"""


def write_dataset(folder: Path, sizes: dict[str, int], seed: int = 11) -> None:
    """Write a synthetic dataset folder of the given sizes (deterministic for ``seed``)."""
    import geopandas as gpd
    import shapely

    from analysis.demo import codebook_toml

    rng = np.random.default_rng(seed)
    n_b = int(sizes["buurten"])
    cols = int(math.ceil(math.sqrt(n_b)))
    i = np.arange(n_b)
    x0 = ORIGIN_XY_M[0] + (i % cols) * BUURT_SIDE_M
    y0 = ORIGIN_XY_M[1] + (i // cols) * BUURT_SIDE_M
    boxes = shapely.segmentize(shapely.box(x0, y0, x0 + BUURT_SIDE_M, y0 + BUURT_SIDE_M), BORDER_STEP_M)
    wijk_no = i // 10 + 1
    codes = [f"BU{GM[2:]}{w % 100:02d}{(n % 100):02d}" for w, n in zip(wijk_no, i)]  # unique up to 990 buurten (99 wijken)
    wijk_codes = [f"WK{GM[2:]}{w % 100:02d}" for w in wijk_no]
    inhabitants = rng.integers(800, 4000, n_b)
    ages = rng.dirichlet([3, 2, 4, 4, 3], n_b) * 100
    buurten = gpd.GeoDataFrame({
        "BU_CODE": codes, "BU_NAAM": [f"Buurt {k + 1}" for k in i], "WK_CODE": wijk_codes, "GM_CODE": GM,
        "GM_NAAM": "Benchmarkstad", "AANT_INW": inhabitants, "AANT_MAN": inhabitants // 2,
        "AANT_VROUW": inhabitants - inhabitants // 2,
        "P_00_14_JR": ages[:, 0].round(), "P_15_24_JR": ages[:, 1].round(), "P_25_44_JR": ages[:, 2].round(),
        "P_45_64_JR": ages[:, 3].round(), "P_65_EO_JR": ages[:, 4].round(),
        "AANTAL_HH": inhabitants // 2, "P_EENP_HH": rng.integers(20, 60, n_b),
        "OPP_LAND": np.full(n_b, 100),
    }, geometry=boxes, crs="EPSG:28992")
    buurten.to_file(folder / "buurten.gpkg", driver="GPKG")

    def points(n: int) -> tuple[np.ndarray, np.ndarray]:
        b = rng.integers(0, n_b, n)
        return x0[b] + rng.uniform(20, BUURT_SIDE_M - 20, n), y0[b] + rng.uniform(20, BUURT_SIDE_M - 20, n)

    n_f = int(sizes["voorzieningen"])
    fx, fy = points(n_f)
    comp = rng.choice(["ontmoeting", "onderwijs", "zorg", "cultuur", "sport", "openbare_ruimte", "verenigingen"],
                      n_f, p=[0.2, 0.15, 0.2, 0.05, 0.15, 0.2, 0.05])
    gpd.GeoDataFrame({"id": [f"v{k}" for k in range(n_f)], "naam": [f"Voorziening {k}" for k in range(n_f)],
                      "component": comp, "soort": "synthetisch", "capaciteit": rng.integers(10, 500, n_f),
                      "jaar": YEAR},
                     geometry=gpd.points_from_xy(fx, fy), crs="EPSG:28992").to_file(
        folder / "voorzieningen.gpkg", driver="GPKG")

    n_a = int(sizes["verenigingen"])
    ax, ay = points(n_a)
    pd.DataFrame({"id": [f"a{k}" for k in range(n_a)], "naam": [f"Vereniging {k}" for k in range(n_a)],
                  "soort": rng.choice(["sport", "cultuur", "buurt", "religie", "zorg"], n_a),
                  "leden": rng.integers(5, 400, n_a), "actief": "ja", "jaar": YEAR,
                  "x": ax.round(1), "y": ay.round(1)}).to_csv(folder / "verenigingen.csv", index=False)
    n_t = int(sizes["banden"])
    # ties mostly between nearby associations (small-world like real networks)
    order = np.argsort(ax // 2000 * 1e7 + ay)
    src = rng.integers(0, n_a, n_t)
    hop = rng.integers(1, 25, n_t) * rng.choice([-1, 1], n_t)
    far = rng.random(n_t) < 0.1
    rank = np.argsort(order)
    dst = np.where(far, rng.integers(0, n_a, n_t), order[(rank[src] + hop) % n_a])
    keep = src != dst
    pd.DataFrame({"van": [f"a{k}" for k in src[keep]], "naar": [f"a{k}" for k in dst[keep]],
                  "soort": rng.choice(["leden", "bestuur", "samenwerking", "locatie"], int(keep.sum())),
                  "gewicht": 1, "jaar": YEAR}).to_csv(folder / "banden.csv", index=False)

    n_r = int(sizes["respondenten"])
    rb = rng.choice(n_b, n_r, p=inhabitants / inhabitants.sum())
    base = rng.normal(0, 0.7, n_b)[rb]
    survey = {"respondent": np.arange(1, n_r + 1), "jaar": YEAR, "buurtcode": np.asarray(codes)[rb],
              "leeftijd": rng.integers(16, 95, n_r), "geslacht": rng.choice(["man", "vrouw"], n_r)}
    codebook = codebook_toml()  # the demo's codebook: answers are drawn for every item of it
    for scale in tomllib.loads(codebook)["schalen"].values():
        answers = np.asarray(scale["codes"])
        for item in scale["items"]:
            pick = np.round((answers.size - 1) / 2 + base * (answers.size - 1) / 4 + rng.normal(0, 1, n_r))
            survey[item] = answers[np.clip(pick, 0, answers.size - 1).astype(int)]
    pd.DataFrame(survey).to_csv(folder / "enquete.csv", index=False)
    (folder / "codeboek.toml").write_text(codebook, encoding="utf-8")
    platforms = rng.choice(["buurt-app", "participatieplatform"], n_b)
    pd.DataFrame({"gebiedscode": codes, "platform": platforms, "actieve_gebruikers": rng.integers(0, 400, n_b),
                  "jaar": YEAR}).to_csv(folder / "digitaal.csv", index=False)
    (folder / "dataset.toml").write_text(MANIFEST, encoding="utf-8")


def run_one(sizes: dict[str, int], repeats: int = 1) -> dict[str, float]:
    """Write, read and compute one size in this process; returns seconds and peak memory."""
    from analysis.compute.indicators import compute_indicators
    from analysis.load.dataset import load_dataset

    with tempfile.TemporaryDirectory(prefix="ww_bench_") as tmp:
        folder = Path(tmp)
        write_dataset(folder, sizes)
        read_s, compute_s, read_cpu_s, compute_cpu_s = [], [], [], []
        rows = 0
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            ds = load_dataset(folder)
            read_s.append(time.perf_counter() - t0)
            read_cpu_s.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            table = compute_indicators(ds, years=[YEAR])
            compute_s.append(time.perf_counter() - t0)
            compute_cpu_s.append(time.process_time() - c0)
            rows = len(table)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"read_s": min(read_s), "compute_s": min(compute_s), "read_cpu_s": min(read_cpu_s),
            "compute_cpu_s": min(compute_cpu_s), "peak_mb": peak_kb / 1024.0, "rows": rows}


def _in_subprocess(sizes: dict[str, int], repeats: int) -> dict[str, float]:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench.indicators import run_one; "
            f"print(json.dumps(run_one({json.dumps(sizes)}, {repeats})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def growth_exponent(scale: list[float], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(scale)."""
    slope, _ = np.polyfit(np.log(scale), np.log(seconds), 1)
    return float(slope)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark van de indicatorberekening.")
    parser.add_argument("--groot", action="store_true", help="ook de grote stad (500 buurten, 50.000 respondenten)")
    parser.add_argument("--schalen", default="1,4,16", help="schaalfactoren ten opzichte van de demo (standaard 1,4,16)")
    parser.add_argument("--herhalingen", type=int, default=1, help="herhalingen per grootte (de snelste telt)")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.schalen.split(",")]
    results = []
    print(f"{'schaal':>7} {'buurten':>8} {'voorz.':>7} {'veren.':>7} {'banden':>7} {'resp.':>7} "
          f"{'lezen s':>8} {'rekenen s':>10} {'rek/lees':>9} {'cpu lezen':>10} {'cpu reken':>10} {'piek MB':>8}")
    for scale in scales:
        sizes = {k: int(round(v * scale)) for k, v in BASE.items()}
        r = _in_subprocess(sizes, args.herhalingen)
        results.append((scale, sizes, r))
        print(f"{scale:>6g}x {sizes['buurten']:>8} {sizes['voorzieningen']:>7} {sizes['verenigingen']:>7} "
              f"{sizes['banden']:>7} {sizes['respondenten']:>7} {r['read_s']:>8.2f} {r['compute_s']:>10.2f} "
              f"{r['compute_s'] / r['read_s']:>9.2f} {r['read_cpu_s']:>10.2f} {r['compute_cpu_s']:>10.2f} "
              f"{r['peak_mb']:>8.0f}", flush=True)
    if len(results) >= 2:
        exp_c = growth_exponent([s for s, _, _ in results], [r["compute_s"] for _, _, r in results])
        exp_t = growth_exponent([s for s, _, _ in results],
                                [r["compute_s"] + r["read_s"] for _, _, r in results])
        exp_cpu = growth_exponent([s for s, _, _ in results], [r["compute_cpu_s"] for _, _, r in results])
        print(f"groei-exponent rekentijd: {exp_c:.2f} (cpu-tijd: {exp_cpu:.2f}; lezen + rekenen: {exp_t:.2f}; "
              "doel <= 1,2)")
    last = results[-1][2]
    print(f"rekenen / lezen bij {results[-1][0]:g}x: {last['compute_s'] / last['read_s']:.2f} "
          f"(cpu-tijd: {last['compute_cpu_s'] / last['read_cpu_s']:.2f}; doel <= 3)")
    print("Let op: op een drukke machine zijn de kloktijden hoger; de cpu-tijden zijn dan betrouwbaarder.")
    if args.groot:
        r = _in_subprocess(GROOT, 1)
        print(f"grote stad {GROOT}: lezen {r['read_s']:.2f} s (cpu {r['read_cpu_s']:.2f} s), rekenen "
              f"{r['compute_s']:.2f} s (cpu {r['compute_cpu_s']:.2f} s), piekgeheugen {r['peak_mb']:.0f} MB "
              "(doel: rekenen < 30 s, < 2.048 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
