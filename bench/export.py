"""Benchmark: export every wijkprofiel of a synthetic 100-wijk municipality; prints s/profile and peak memory.

Run with ``/work/venv/bin/python bench/export.py [--wijken 100] [--buurten 5] [--uit DIR]``.
Targets (issue 5): under 1 s per profile and under 1.5 GB peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import model
from analysis.components import FACILITY_COMPONENT_KEYS

GM = "GM0998"
YEARS = (2023, 2025)
BUURT_SIZE_M = 700.0


def _areas(n_wijken: int, per_wijk: int, rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, ...]:
    """Square buurten on a grid; a wijk is a row of ``per_wijk`` buurten, wijken stacked in a square-ish block."""
    cols = int(np.ceil(np.sqrt(n_wijken)))
    w_idx = np.repeat(np.arange(n_wijken), per_wijk)
    b_idx = np.tile(np.arange(per_wijk), n_wijken)
    x0 = 150_000.0 + (w_idx % cols) * per_wijk * BUURT_SIZE_M + b_idx * BUURT_SIZE_M
    y0 = 450_000.0 + (w_idx // cols) * BUURT_SIZE_M
    if n_wijken > 100:
        raise ValueError("CBS-wijkcodes hebben 2 cijfers per gemeente: hoogstens 100 wijken")
    wijkcodes = np.array([f"WK{GM[2:]}{w:02d}" for w in w_idx])
    buurtcodes = np.array([f"BU{wc[2:]}{b + 1:02d}" for wc, b in zip(wijkcodes, b_idx)])
    inwoners = rng.integers(300, 3000, len(w_idx)).astype(float)
    buurten = pd.DataFrame({
        "gebiedscode": buurtcodes, "gebiedsnaam": [f"Buurt {i + 1}" for i in range(len(w_idx))],
        "niveau": "buurt", "wijkcode": wijkcodes, "gemeentecode": GM, "gemeentenaam": "Bankstad",
        "inwoners": inwoners, "mannen": np.round(inwoners * 0.49), "vrouwen": np.round(inwoners * 0.51),
        "p_00_14": rng.uniform(8, 25, len(w_idx)).round(0), "p_15_24": rng.uniform(8, 20, len(w_idx)).round(0),
        "p_25_44": rng.uniform(20, 35, len(w_idx)).round(0), "p_45_64": rng.uniform(20, 30, len(w_idx)).round(0),
        "p_65_eo": rng.uniform(8, 30, len(w_idx)).round(0), "huishoudens": np.round(inwoners / 2.1),
        "p_eenpersoons_hh": rng.uniform(20, 60, len(w_idx)).round(0), "p_laag_inkomen": np.nan,
        "opp_land_ha": BUURT_SIZE_M ** 2 / 10_000.0,
    })
    buurten = gpd.GeoDataFrame(buurten, geometry=[box(x, y, x + BUURT_SIZE_M, y + BUURT_SIZE_M)
                                                  for x, y in zip(x0, y0)], crs=model.CRS_RD)
    sums = buurten.dissolve("wijkcode", aggfunc={"inwoners": "sum", "mannen": "sum", "vrouwen": "sum",
                                                 "huishoudens": "sum", "opp_land_ha": "sum"}).reset_index()
    means = pd.DataFrame(buurten).groupby("wijkcode")[["p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo",
                                                       "p_eenpersoons_hh"]].mean().round(0)
    wijken = sums.join(means, on="wijkcode")
    wijken["gebiedscode"] = wijken["wijkcode"]
    wijken["gebiedsnaam"] = [f"Wijk {i + 1}" for i in range(len(wijken))]
    wijken["niveau"], wijken["gemeentecode"], wijken["gemeentenaam"], wijken["p_laag_inkomen"] = \
        "wijk", GM, "Bankstad", np.nan
    wijken = wijken[[*model.AREA_COLUMNS, "geometry"]]
    gemeente = wijken.dissolve(aggfunc={"inwoners": "sum", "huishoudens": "sum", "opp_land_ha": "sum"})
    gemeente = gemeente.reset_index(drop=True)
    for column in model.AREA_COLUMNS:
        if column not in gemeente.columns:
            gemeente[column] = np.nan
    gemeente[["gebiedscode", "gebiedsnaam", "niveau", "wijkcode", "gemeentecode", "gemeentenaam"]] = \
        [GM, "Bankstad", "gemeente", np.nan, GM, "Bankstad"]
    return buurten[[*model.AREA_COLUMNS, "geometry"]], wijken, gemeente[[*model.AREA_COLUMNS, "geometry"]]


def _points(buurten: gpd.GeoDataFrame, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    pick = rng.integers(0, len(buurten), n)
    bounds = buurten.geometry.bounds.to_numpy()[pick]
    x = bounds[:, 0] + rng.uniform(0.05, 0.95, n) * BUURT_SIZE_M
    y = bounds[:, 1] + rng.uniform(0.05, 0.95, n) * BUURT_SIZE_M
    return pick, gpd.points_from_xy(x, y, crs=model.CRS_RD)


def synthetic_dataset(n_wijken: int = 100, buurten_per_wijk: int = 5, seed: int = 7) -> model.Dataset:
    """A synthetic municipality with facilities, associations, ties and respondents in two years."""
    rng = np.random.default_rng(seed)
    buurten, wijken, gemeente = _areas(n_wijken, buurten_per_wijk, rng)
    codes = buurten["gebiedscode"].to_numpy()
    wijk_of = buurten["wijkcode"].to_numpy()
    n_fac = len(buurten) * 2
    pick, geoms = _points(buurten, n_fac, rng)
    facilities = gpd.GeoDataFrame({
        "id": [f"v{i}" for i in range(n_fac)], "naam": [f"Voorziening {i}" for i in range(n_fac)],
        "component": rng.choice(list(FACILITY_COMPONENT_KEYS), n_fac), "soort": "test",
        "capaciteit": np.nan, "bezetting_pct": np.nan, "jaar": YEARS[1], "buurtcode": codes[pick],
        "wijkcode": wijk_of[pick], "bron": "synthetisch",
    }, geometry=geoms, crs=model.CRS_RD)
    facilities = pd.concat([facilities, facilities.assign(jaar=YEARS[0])], ignore_index=True)
    n_assoc = len(buurten)
    pick, geoms = _points(buurten, n_assoc, rng)
    assoc = gpd.GeoDataFrame({
        "id": [f"a{i}" for i in range(n_assoc)], "naam": [f"Vereniging {i}" for i in range(n_assoc)],
        "soort": rng.choice(["sport", "cultuur", "buurt"], n_assoc), "leden": rng.integers(10, 400, n_assoc),
        "actief": True, "jaar": YEARS[1], "buurtcode": codes[pick], "wijkcode": wijk_of[pick],
    }, geometry=geoms, crs=model.CRS_RD)
    assoc = pd.concat([assoc, assoc.assign(jaar=YEARS[0])], ignore_index=True)
    n_ties = n_assoc * 2
    van, naar = rng.integers(0, n_assoc, n_ties), rng.integers(0, n_assoc, n_ties)
    ties = pd.DataFrame({"van": [f"a{i}" for i in van], "naar": [f"a{i}" for i in naar], "soort": "samenwerking",
                         "gewicht": 1.0, "jaar": YEARS[1]})
    ties = pd.concat([ties, ties.assign(jaar=YEARS[0])], ignore_index=True)
    n_resp = len(buurten) * 12
    pick = rng.integers(0, len(buurten), n_resp)
    respondents = pd.DataFrame({
        "respondent": [f"r{i}" for i in range(n_resp)], "buurtcode": codes[pick], "wijkcode": wijk_of[pick],
        "leeftijd": np.nan, "leeftijdsklasse": rng.choice(list(model.AGE_CLASSES[1:]), n_resp),
        "geslacht": rng.choice(["man", "vrouw"], n_resp), "gewicht": np.nan,
        "jaar": rng.choice(YEARS, n_resp),
        **{f"s{i}": rng.integers(1, 6, n_resp) for i in range(1, 4)},
        "vrijwilliger": rng.integers(1, 3, n_resp),
    })
    codebook = {"codeboek": {"naam": "Synthetisch", "ontbrekend": [9]}, "schalen": {
        "cohesie": {"methode": "gemiddelde", "items": ["s1", "s2", "s3"], "codes": [1, 2, 3, 4, 5],
                    "omgekeerd": ["s1"], "min_geldig": 2, "indicator": "cohesie_score"},
        "vrijwilliger": {"methode": "aandeel", "items": ["vrijwilliger"], "codes": [1, 2], "ja": [1],
                         "indicator": "vrijwilliger_pct"}}}
    return model.Dataset(
        name="bankstad-synthetisch", year=YEARS[1], gemeente_code=GM, buurten=buurten, wijken=wijken,
        gemeente=gemeente, facilities=facilities, associations=assoc, ties=ties, respondents=respondents,
        codebook=codebook, area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS),
        digital=model.empty_frame(model.DIGITAL_COLUMNS),
        licences={"Synthetisch": "verzonnen gegevens voor de benchmark"}, is_demo=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wijken", type=int, default=100)
    parser.add_argument("--buurten", type=int, default=5)
    parser.add_argument("--uit", type=Path, default=None, help="map om de export in te bewaren")
    args = parser.parse_args(argv)

    from analysis.compute import indicators
    from analysis.render import export

    t0 = time.perf_counter()
    ds = synthetic_dataset(args.wijken, args.buurten)
    table = indicators.compute_indicators(ds)
    t1 = time.perf_counter()
    print(f"gemeente: {len(ds.wijken)} wijken, {len(ds.buurten)} buurten, {len(ds.facilities)} voorzieningen, "
          f"{len(ds.associations)} verenigingen, {len(ds.respondents)} respondenten; "
          f"indicatoren {t1 - t0:.1f} s ({len(table)} rijen)")
    marks: list[tuple[float, float, str]] = []

    def progress(fraction: float, message: str) -> None:
        marks.append((time.perf_counter(), time.process_time(), message))

    with tempfile.TemporaryDirectory() as tmp:
        out = args.uit or Path(tmp)
        start = time.perf_counter()
        files = export.export_all(ds, table, out, progress=progress)
        total = time.perf_counter() - start
        first = next(i for i, (_, _, m) in enumerate(marks) if m.startswith("Wijkprofiel"))
        rest = next(i for i, (_, _, m) in enumerate(marks) if m.startswith("Indicatorentabellen"))
        per_profile = (marks[rest][0] - marks[first][0]) / (rest - first)
        cpu_per_profile = (marks[rest][1] - marks[first][1]) / (rest - first)
        size_mb = sum(p.stat().st_size for p in files) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"export: {len(files)} bestanden, {size_mb:.1f} MB, {total:.1f} s totaal")
    print(f"per wijkprofiel (PNG + 2 CSV): {per_profile:.2f} s  (doel < 1 s)  {'OK' if per_profile < 1 else 'TE TRAAG'}"
          f"  [processortijd {cpu_per_profile:.2f} s; belasting nu {os.getloadavg()[0]:.1f}]")
    print(f"piekgeheugen: {peak_mb:.0f} MB  (doel < 1500 MB)  {'OK' if peak_mb < 1500 else 'TE VEEL'}")
    return 0 if per_profile < 1 and peak_mb < 1500 else 1


if __name__ == "__main__":
    raise SystemExit(main())
