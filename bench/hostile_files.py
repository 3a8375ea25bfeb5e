"""Peak memory and time of ``validate`` on the largest files within the limits and on every refused bomb.

Generates, in a temporary folder (never in the repository), each case of issue 14 and runs
``python -m analysis validate`` on it in its own subprocess, measuring that subprocess alone
(``os.wait4``: peak resident memory ``ru_maxrss`` and wall time). Prints one JSON object:
per case the file size, peak RSS (MB), wall time (s), exit code and the first ``[FOUT]`` line.

Cases: a CSV at the row limit and just under the size limit, a ZIP that unpacks to just under the
uncompressed limit, a 2.5 MB-class ZIP unpacking to 950 MB, a ZIP whose headers lie about sizes,
an encrypted ZIP, a 210 MB CSV, and one buurt polygon in the wrong CRS (both ways round).

Run: ``python bench/hostile_files.py [--only NAME ...] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from analysis.load.archive import MAX_UNZIPPED_BYTES  # noqa: E402
from analysis.load.tables import MAX_TABLE_BYTES, MAX_TABLE_ROWS  # noqa: E402
from tests.broken_cases import buurten_geojson  # noqa: E402

MANIFEST = ('[dataset]\nnaam = "Vijandig"\njaar = 2025\ngemeente = "GM9999"\nfictief = true\n\n[bronnen]\n'
            'buurten = "buurten.geojson"\nverenigingen = "verenigingen.csv"\n')
CODES = ("BU99990101", "BU99990102", "BU99990201", "BU99990202")
_MB = 2**20


HEAD = b"id,naam,soort,leden,actief,buurtcode,omschrijving\n"


def _write_associations(path: Path, rows: int, row_bytes: int) -> None:
    """``rows`` association rows of about ``row_bytes`` each (a padding column fills them), streamed to disk."""
    pad = "o" * max(0, row_bytes - 60)
    with open(path, "wb") as out:
        out.write(HEAD)
        for start in range(0, rows, 10_000):
            out.write("".join(f"V{i},Vereniging {i},sport,{i % 500},ja,{CODES[i % 4]},{pad}\n"
                              for i in range(start, min(rows, start + 10_000))).encode("ascii"))


def _folder(root: Path, name: str, rows: int = 3, row_bytes: int = 60) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "buurten.geojson").write_text(json.dumps(buurten_geojson()), encoding="utf-8")
    (folder / "dataset.toml").write_text(MANIFEST, encoding="utf-8")
    _write_associations(folder / "verenigingen.csv", rows, row_bytes)
    return folder


def _zip_folder(folder: Path, target: Path, extra: tuple[str, int, bytes] | None = None) -> Path:
    """A ZIP of ``folder``; ``extra`` = (member name, repeats, block) streamed in without holding it in memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.iterdir()):
            if extra is None or path.name != extra[0]:
                archive.write(path, f"{folder.name}/{path.name}")
        if extra is not None:
            name, repeats, block = extra
            with archive.open(f"{folder.name}/{name}", "w", force_zip64=True) as member:
                for _ in range(repeats):
                    member.write(block)
    return target


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

def csv_at_the_limits(root: Path) -> Path:
    """verenigingen.csv with MAX_TABLE_ROWS rows, just under MAX_TABLE_BYTES: the largest table accepted."""
    row_bytes = int(MAX_TABLE_BYTES * 0.97) // MAX_TABLE_ROWS
    return _folder(root, "csv_op_de_grens", MAX_TABLE_ROWS, row_bytes)


def zip_near_the_unpacked_limit(root: Path) -> Path:
    """A dataset ZIP with a 1,000 MB extra file: unpacks to just under MAX_UNZIPPED_BYTES."""
    folder = _folder(root, "zip_bijna_vol")
    block = b"\0" * _MB
    repeats = MAX_UNZIPPED_BYTES // _MB - 24
    return _zip_folder(folder, root / "zip_bijna_vol.zip", ("opvulling.bin", repeats, block))


def zip_bomb_950mb(root: Path) -> Path:
    """A ZIP of a few MB whose verenigingen.csv unpacks to 950 MB (the issue's bomb)."""
    folder = _folder(root, "bom_950mb")
    line = b"V1,Vereniging,sport,10,ja,BU99990101,\n"
    block = HEAD + line * (_MB // len(line))
    return _zip_folder(folder, root / "bom_950mb.zip", ("verenigingen.csv", 950, block[: _MB]))


def _patch(path: Path, local_offset: int, central_offset: int, fmt: str, value: Callable[[int], int]) -> None:
    """Rewrite one field of every local and central header of a ZIP."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        at = data.find(signature)
        while at >= 0:
            (old,) = struct.unpack_from(fmt, data, at + offset)
            struct.pack_into(fmt, data, at + offset, value(old))
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def zip_lying_headers(root: Path) -> Path:
    """Every header claims 1,000 bytes unpacked; the content is larger."""
    path = _zip_folder(_folder(root, "liegende_koppen", 50_000, 80), root / "liegende_koppen.zip")
    _patch(path, 22, 24, "<I", lambda old: min(old, 1_000))
    return path


def zip_encrypted(root: Path) -> Path:
    """Every member flagged as encrypted (general purpose bit 0)."""
    path = _zip_folder(_folder(root, "versleuteld"), root / "versleuteld.zip")
    _patch(path, 6, 8, "<H", lambda old: old | 0x1)
    return path


def csv_210mb(root: Path) -> Path:
    """verenigingen.csv of 210 MB: over MAX_TABLE_BYTES."""
    rows = int(210 * _MB) // 200
    return _folder(root, "csv_210mb", rows, 200)


def _wrong_crs(root: Path, name: str, declared: str) -> Path:
    from pyproj import Transformer

    to_wgs = Transformer.from_crs(28992, 4326, always_xy=True)
    folder = _folder(root, name)
    geo = buurten_geojson()
    for i, feature in enumerate(geo["features"]):
        in_wgs = (declared == "wgs84") != (i == 2)
        if in_wgs:
            ring = feature["geometry"]["coordinates"][0]
            feature["geometry"]["coordinates"] = [[list(to_wgs.transform(x, y)) for x, y in ring]]
    geo["crs"]["properties"]["name"] = ("urn:ogc:def:crs:OGC:1.3:CRS84" if declared == "wgs84"
                                        else "urn:ogc:def:crs:EPSG::28992")
    (folder / "buurten.geojson").write_text(json.dumps(geo), encoding="utf-8")
    return folder


def rd_polygon_declared_wgs84(root: Path) -> Path:
    """One buurt in RD metres in a file declared WGS84."""
    return _wrong_crs(root, "rd_in_wgs84", "wgs84")


def wgs84_polygon_declared_rd(root: Path) -> Path:
    """One buurt in degrees in a file declared RD."""
    return _wrong_crs(root, "wgs84_in_rd", "rd")


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "csv_op_de_grens": (csv_at_the_limits, "binnen de grenzen"),
    "zip_bijna_vol": (zip_near_the_unpacked_limit, "binnen de grenzen"),
    "bom_950mb": (zip_bomb_950mb, "geweigerd"),
    "liegende_koppen": (zip_lying_headers, "geweigerd"),
    "versleuteld": (zip_encrypted, "geweigerd"),
    "csv_210mb": (csv_210mb, "geweigerd"),
    "rd_in_wgs84": (rd_polygon_declared_wgs84, "geweigerd"),
    "wgs84_in_rd": (wgs84_polygon_declared_rd, "geweigerd"),
}


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _hwm_kb(pid: int) -> int:
    """The peak resident memory (VmHWM) of a running process, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_validate(path: Path, timeout_s: float = 900.0) -> dict[str, object]:
    """``python -m analysis validate path`` in a subprocess: its own peak RSS and wall time, exit code, first FOUT.

    The peak is the child's ``VmHWM`` (``/proc``, sampled every 20 ms; it belongs to the program after exec, so
    the memory of this benchmark is not counted) and, for comparison, ``ru_maxrss`` from ``os.wait4``.
    """
    out_file = path.parent / f"{path.name}.uitvoer.txt"
    with open(out_file, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "analysis", "validate", str(path)], cwd=REPO,
                                 stdout=out, stderr=subprocess.STDOUT)
        deadline = started + timeout_s
        hwm = 0
        while True:
            hwm = max(hwm, _hwm_kb(child.pid))
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = out_file.read_text(encoding="utf-8", errors="replace")
    fout = next((line for line in text.splitlines() if line.startswith("[FOUT]")), None)
    return {"peak_rss_mb": round(hwm / 1024, 1), "ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1),
            "wall_s": round(wall, 2), "exit": child.returncode,
            "fout": fout[:300] if fout else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temporary folder)")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="wijkweefsel-vijandig-"))
    root.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {}
    try:
        for name in args.only or list(CASES):
            make, expected = CASES[name]
            t = time.perf_counter()
            path = make(root)
            generated = time.perf_counter() - t
            result = run_validate(path)
            results[name] = {"verwacht": expected, "bytes": _size(path), "generate_s": round(generated, 1), **result}
            print(json.dumps({name: results[name]}, ensure_ascii=False), file=sys.stderr, flush=True)
            if args.keep is None:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
                for leftover in root.glob(f"{name}*"):
                    shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
