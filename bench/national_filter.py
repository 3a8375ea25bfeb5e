"""Benchmark: one gemeente from the national CBS wijkenkaart (filtered while reading) against its own small file.

Run with ``.venv/bin/python bench/national_filter.py [--gemeente GM0363] [--herhaal 3]``.

Writes the gemeente's own small file first (from the national one, same GeoJSON form), then measures in a
fresh Python process per case, so that one case's memory does not count for the next:

- ``landelijk, gefilterd``: ``areas.read_wijken(national, findings, gemeente)`` (the attribute filter is
  applied by GDAL while reading; only the gemeente's rows reach Python);
- ``eigen klein bestand``: ``areas.read_wijken(small, findings)``;
- ``landelijk, heel gelezen``: the same loader with the filter while reading switched off, so that the whole
  national file is read and the gemeente taken afterwards (what the loader did before), for reference;
- the same three for a GeoPackage (the form CBS publishes the national kaart in), written from the GeoJSON:
  there the filter runs in SQLite and the rows of other gemeenten are never parsed.

Figures: median wall time over the repeats; peak Python heap during the read (``tracemalloc``); the rise of
the process's peak resident memory during the read (Linux ``VmHWM`` after resetting it through
``/proc/self/clear_refs``, minus ``VmRSS`` before; this also counts GDAL's own C allocations, which
tracemalloc does not see).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pyogrio

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO.parent / "shared" / "data" / "nl" / "cbs_wijken_2024_nl.geojson"

_CASE = r"""
import json, sys, time, tracemalloc
sys.path.insert(0, {repo!r})
from analysis.findings import Findings
from analysis.load import areas
case, path, gemeente = {case!r}, {path!r}, {gemeente!r}
def status_kb(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # Linux: reset the peak (VmHWM) to the current RSS
before = status_kb("VmRSS")
tracemalloc.start()
start = time.perf_counter()
if case == "whole":  # the loader as it was: no filter while reading, the gemeente taken afterwards
    areas.geo_fields = lambda path, file=None: ([], -1)
findings = Findings()
rows = len(areas.read_wijken(path, findings, None if case == "small" else gemeente))
seconds = time.perf_counter() - start
_, peak = tracemalloc.get_traced_memory()
after = status_kb("VmHWM")
print(json.dumps({{"rows": rows, "seconds": seconds, "heap_mb": peak / 2**20, "rss_rise_mb": (after - before) / 1024}}))
"""


def write_small_file(national: Path, gemeente: str, target: Path) -> int:
    """The gemeente's wijken from the national GeoJSON, written as a GeoJSON of the same form; returns the count."""
    doc = json.loads(national.read_text(encoding="utf-8"))
    features = [f for f in doc["features"] if f["properties"].get("gemeentecode") == gemeente]
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return len(features)


def run_case(case: str, path: Path, gemeente: str) -> dict:
    """One measurement in a fresh interpreter."""
    code = _CASE.format(repo=str(REPO), case=case, path=str(path), gemeente=gemeente)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeente", default="GM0363", help="CBS gemeentecode (standaard Amsterdam)")
    parser.add_argument("--herhaal", type=int, default=3, help="aantal herhalingen per geval")
    args = parser.parse_args(argv)
    if not NATIONAL.exists():
        raise SystemExit(f"{NATIONAL} ontbreekt: dit bestand staat alleen in ../shared/data")
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / f"wijken_{args.gemeente}.geojson"
        count = write_small_file(NATIONAL, args.gemeente, small)
        print(f"landelijk bestand: {NATIONAL.name}, {NATIONAL.stat().st_size / 2**20:.1f} MB; "
              f"eigen bestand van {args.gemeente}: {count} wijken, {small.stat().st_size / 2**20:.2f} MB")
        national_gpkg, small_gpkg = Path(tmp) / "wijken_nl.gpkg", Path(tmp) / f"wijken_{args.gemeente}.gpkg"
        for source, target in ((NATIONAL, national_gpkg), (small, small_gpkg)):
            pyogrio.write_dataframe(pyogrio.read_dataframe(source), target, layer="wijken")
        cases = (("landelijk, gefilterd", "filtered", NATIONAL), ("eigen klein bestand", "small", small),
                 ("landelijk, heel gelezen", "whole", NATIONAL),
                 ("gpkg landelijk, gefilterd", "filtered", national_gpkg), ("gpkg eigen klein", "small", small_gpkg),
                 ("gpkg landelijk, heel", "whole", national_gpkg))
        print(f"{'geval':<26} {'rijen':>6} {'tijd (s)':>9} {'heap (MB)':>10} {'RSS-stijging (MB)':>18}")
        for label, case, path in cases:
            runs = [run_case(case, path, args.gemeente) for _ in range(args.herhaal)]
            print(f"{label:<26} {runs[0]['rows']:>6} {statistics.median(r['seconds'] for r in runs):>9.2f} "
                  f"{statistics.median(r['heap_mb'] for r in runs):>10.1f} "
                  f"{statistics.median(r['rss_rise_mb'] for r in runs):>18.1f}")


if __name__ == "__main__":
    main()
