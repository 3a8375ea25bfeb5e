"""Server time of a page rerun after a widget change (AppTest), on a 500-buurt synthetic municipality."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from analysis.findings import Findings  # noqa: E402
from analysis.load.areas import build_hierarchy  # noqa: E402
from analysis.model import AREA_SURVEY_COLUMNS, CRS_RD, DIGITAL_COLUMNS, Dataset, empty_frame  # noqa: E402
from bench.map_payload import synthetic_buurten  # noqa: E402
from pages.common import DATASET_HASH_KEY, DATASET_KEY, content_hash  # noqa: E402

TARGET_S = 1.0

CODEBOOK = {
    "codeboek": {"naam": "Synthetische enquête", "ontbrekend": [9]},
    "schalen": {
        "cohesie": {"label": "Sociale samenhang", "methode": "gemiddelde",
                    "items": ["samenhang_1", "samenhang_2", "samenhang_3"], "codes": [1, 2, 3, 4, 5],
                    "omgekeerd": [], "min_geldig": 2, "indicator": "cohesie_score"},
        "vrijwilligerswerk": {"label": "Vrijwilligerswerk", "methode": "aandeel", "items": ["vrijwilliger"],
                              "codes": [1, 2], "ja": [1], "indicator": "vrijwilliger_pct"},
    },
}


def synthetic_dataset(n_buurten: int = 500, seed: int = 42, respondents_per_buurt: int = 40) -> Dataset:
    """A municipality ``GM9998``: the full-resolution buurten of ``bench/map_payload.py`` and every source.

    Parameters
    ----------
    n_buurten : int
        Number of buurten (10 per wijk).
    seed : int
        Seed of every random draw.
    respondents_per_buurt : int
        Survey respondents per buurt (mean).

    Returns
    -------
    analysis.model.Dataset
    """
    rng = np.random.default_rng(seed)
    shapes = synthetic_buurten(n_buurten, seed)  # full-resolution borders shared exactly by neighbours
    cells = shapes.geometry.to_numpy()
    n = len(cells)
    bcode, wcode = shapes["gebiedscode"].to_numpy(), shapes["wijkcode"].to_numpy()
    wijk_idx = pd.factorize(wcode)[0]
    gm = "GM9998"
    inwoners = rng.integers(300, 4000, n).astype(float)
    ages = rng.dirichlet([2, 1.5, 3, 3, 2], n) * 100
    buurten = gpd.GeoDataFrame({
        "gebiedscode": bcode, "gebiedsnaam": [f"Buurt {i + 1}" for i in range(n)], "niveau": "buurt",
        "wijkcode": wcode, "wijknaam": [f"Wijk {w + 1}" for w in wijk_idx],
        "gemeentecode": gm, "gemeentenaam": "Synthetica (fictief)",
        "inwoners": inwoners, "mannen": np.round(inwoners * 0.49), "vrouwen": inwoners - np.round(inwoners * 0.49),
        "p_00_14": ages[:, 0], "p_15_24": ages[:, 1], "p_25_44": ages[:, 2], "p_45_64": ages[:, 3],
        "p_65_eo": ages[:, 4], "huishoudens": np.round(inwoners / 2.1),
        "p_eenpersoons_hh": rng.uniform(15, 60, n), "p_laag_inkomen": rng.uniform(3, 25, n),
        "opp_land_ha": shapely.area(cells) / 10_000.0,
    }, geometry=cells, crs=CRS_RD)
    buurten, wijken, gemeente = build_hierarchy(buurten, None, Findings())
    year = 2025

    def points_in(count: int) -> tuple[np.ndarray, np.ndarray]:
        which = rng.integers(0, n, count)
        reps = shapely.get_coordinates(shapely.point_on_surface(buurten.geometry.values[which]))
        reps = reps + rng.normal(0, 60, reps.shape)
        return which, reps

    place = ["ontmoeting", "onderwijs", "zorg", "cultuur", "sport", "openbare_ruimte"]
    which, xy = points_in(3 * n)
    facilities = gpd.GeoDataFrame({
        "id": [f"V{i}" for i in range(len(which))], "naam": [f"Voorziening {i}" for i in range(len(which))],
        "component": rng.choice(place, len(which)), "soort": "synthetisch",
        "capaciteit": rng.integers(20, 200, len(which)).astype(float), "bezetting_pct": np.nan, "jaar": year,
        "buurtcode": buurten["gebiedscode"].to_numpy()[which], "wijkcode": buurten["wijkcode"].to_numpy()[which],
        "bron": "synthetisch",
    }, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS_RD)
    which, xy = points_in(2 * n)
    ids = np.array([f"A{i}" for i in range(len(which))])
    associations = gpd.GeoDataFrame({
        "id": ids, "naam": [f"Vereniging {i}" for i in range(len(which))],
        "soort": rng.choice(["sport", "cultuur", "buurt", "zorg", "religie"], len(which)),
        "leden": rng.integers(10, 400, len(which)).astype(float), "actief": True, "jaar": year,
        "buurtcode": buurten["gebiedscode"].to_numpy()[which], "wijkcode": buurten["wijkcode"].to_numpy()[which],
    }, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS_RD)
    a = rng.integers(0, len(ids), 3 * len(ids))
    b = np.clip(a + rng.integers(-30, 30, len(a)), 0, len(ids) - 1)
    keep = a != b
    ties = pd.DataFrame({"van": ids[a[keep]], "naar": ids[b[keep]], "soort": "samenwerking",
                         "gewicht": 1.0, "jaar": year})
    counts = rng.poisson(respondents_per_buurt, n)
    rb = np.repeat(np.arange(n), counts)
    m = len(rb)
    leeftijd = rng.integers(16, 90, m)
    klasse = pd.cut(leeftijd, [0, 14, 24, 44, 64, 200], labels=["0-14", "15-24", "25-44", "45-64", "65+"]).astype(str)
    respondents = pd.DataFrame({
        "respondent": [f"R{i}" for i in range(m)], "buurtcode": buurten["gebiedscode"].to_numpy()[rb],
        "wijkcode": buurten["wijkcode"].to_numpy()[rb], "leeftijd": leeftijd.astype(float),
        "leeftijdsklasse": klasse, "geslacht": rng.choice(["man", "vrouw"], m), "gewicht": np.nan, "jaar": year,
        "samenhang_1": rng.integers(1, 6, m).astype(float), "samenhang_2": rng.integers(1, 6, m).astype(float),
        "samenhang_3": rng.integers(1, 6, m).astype(float), "vrijwilliger": rng.integers(1, 3, m).astype(float),
    })
    return Dataset(
        name="Synthetica (benchmark, fictief)", year=year, gemeente_code=gm,
        buurten=buurten, wijken=wijken, gemeente=gemeente, facilities=facilities, associations=associations,
        ties=ties, respondents=respondents, codebook=CODEBOOK,
        area_survey=empty_frame(AREA_SURVEY_COLUMNS), digital=empty_frame(DIGITAL_COLUMNS),
        sources={"buurten": "synthetisch"}, is_demo=True,
    )



def _timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception or at.error:
        problem = (at.exception or at.error)[0].value
        raise RuntimeError(f"De pagina gaf een fout: {problem}")
    return elapsed


def _map_payload_bytes(at: AppTest) -> int:
    for element in at.main.get("component_instance"):
        if element.proto.component_name.endswith("st_folium"):
            return len(element.proto.json_args.encode("utf-8"))
    return 0


def bench(n_buurten: int = 500, repeats: int = 3) -> dict[str, object]:
    """Warm the caches once, then time reruns after widget changes on the Kaart and Gaten pages.

    Returns
    -------
    dict
        Seconds per step (median of ``repeats`` where repeated) and the map payload in bytes.
    """
    t0 = time.perf_counter()
    ds = synthetic_dataset(n_buurten)
    results: dict[str, object] = {"buurten": len(ds.buurten), "wijken": len(ds.wijken),
                                  "vertices_per_buurt": int(ds.buurten.geometry.count_coordinates().mean()),
                                  "generate_s": round(time.perf_counter() - t0, 2)}
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=1800)
    at.session_state[DATASET_KEY] = ds
    at.session_state[DATASET_HASH_KEY] = content_hash(ds)
    results["first_load_with_indicators_s"] = round(_timed_run(at), 2)
    at.switch_page("pages/kaart.py")
    results["kaart_first_s"] = round(_timed_run(at), 2)
    at.segmented_control(key="ww_sel_kaart_niveau").set_value("buurt")
    results["kaart_to_buurt_first_s"] = round(_timed_run(at), 2)
    results["map_payload_buurt_bytes"] = _map_payload_bytes(at)
    indicator = at.selectbox(key="ww_sel_kaart_indicator")
    options = [o for o in indicator.options][:repeats + 1]
    times = []
    for option in options[1:] + options[:1]:
        at.selectbox(key="ww_sel_kaart_indicator").set_value(_option_value(at, option))
        times.append(_timed_run(at))
    results["kaart_indicator_change_s"] = round(statistics.median(times), 3)
    times = []
    for level in ("wijk", "buurt", "wijk"):
        at.segmented_control(key="ww_sel_kaart_niveau").set_value(level)
        times.append(_timed_run(at))
    results["kaart_level_change_cached_s"] = round(statistics.median(times), 3)
    results["map_payload_wijk_bytes"] = _map_payload_bytes(at)
    at.switch_page("pages/gaten.py")
    results["gaten_first_with_what_if_s"] = round(_timed_run(at), 2)  # what-if of the first buurt, then cached
    times = []
    for weight in (2.0, 0.5, 1.5):
        at.slider(key="ww_sel_gewicht_behoefte").set_value(weight)
        times.append(_timed_run(at))
    results["gaten_weight_change_s"] = round(statistics.median(times), 3)
    results["target_s"] = TARGET_S
    results["ok"] = max(results["kaart_indicator_change_s"], results["kaart_level_change_cached_s"],
                        results["gaten_weight_change_s"]) < TARGET_S
    return results


def _option_value(at: AppTest, label: str) -> str:
    """The option key behind a select box label (AppTest lists formatted labels)."""
    from analysis.registry import REGISTRY
    from analysis.registry import label as registry_label

    for key, entry in REGISTRY.items():
        if f"{entry.group}: {registry_label(key)}" == label:
            return key
    return label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buurten", type=int, default=500)
    parser.add_argument("--herhalingen", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)  # mapclassify on few distinct values
    print(json.dumps(bench(args.buurten, args.herhalingen), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
