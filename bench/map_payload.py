"""Benchmark: map payload and server time of the Kaart map for a synthetic municipality of 500 full-resolution buurten.

Run from the repo root::

    python bench/map_payload.py            # 500 buurten, prints the figures
    python bench/map_payload.py --buurten 200 --no-apptest

The buurten are Voronoi cells of random points in a 15 x 15 km square whose borders are densified to a
vertex every 5 m and given a smooth wiggle, so they share every border vertex exactly like CBS's
full-resolution wijk- en buurtkaart. The map is built as the Kaart page builds it (buurt level, a
choropleth with suppressed areas, facility layers) and the bytes the browser receives are measured:
our estimate (:func:`analysis.render.maps.map_payload_bytes`) and, unless ``--no-apptest``, the exact JSON
arguments streamlit-folium sends, taken from Streamlit's AppTest. Targets (issue 4): payload at most
1.5 MB; a rerun after a widget change under 1 s of server time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from analysis.components import COMPONENTS  # noqa: E402
from analysis.model import CRS_RD  # noqa: E402
from analysis.render.geometry import display_geometry  # noqa: E402
from analysis.render.layers import AreaLayer, FacilityLayer, MapSpec, MapView  # noqa: E402
from analysis.render.maps import build_map, map_payload_bytes  # noqa: E402

PAYLOAD_TARGET_BYTES = 1_500_000
RERUN_TARGET_S = 1.0
SIDE_M = 15_000.0
#: South-west corner of the synthetic municipality (RD metres, in Overijssel).
X0, Y0 = 195_000.0, 495_000.0
VERTEX_SPACING_M = 5.0
WIGGLE_M = 12.0


def synthetic_buurten(n: int = 500, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` buurten tiling a square, with full-resolution (5 m) borders that neighbours share exactly.

    Parameters
    ----------
    n : int
        Number of buurten.
    seed : int
        Random seed of the cell centres and values.

    Returns
    -------
    geopandas.GeoDataFrame
        gebiedscode, gebiedsnaam, wijkcode, waarde, onderdrukt, geometry (EPSG:28992).
    """
    rng = np.random.default_rng(seed)
    frame = shapely.box(X0, Y0, X0 + SIDE_M, Y0 + SIDE_M)
    centres = shapely.multipoints(rng.uniform([X0, Y0], [X0 + SIDE_M, Y0 + SIDE_M], size=(n, 2)))
    edges = shapely.voronoi_polygons(centres, extend_to=frame, only_edges=True)
    # Every border once, noded and clipped to the frame; densify and wiggle it once, so that both
    # neighbours receive exactly the same vertices when the cells are rebuilt from the lines.
    lines = shapely.intersection(shapely.union_all([edges, frame.exterior]), frame)
    lines = shapely.get_parts(shapely.line_merge(shapely.node(lines)))
    lines = shapely.segmentize(lines, VERTEX_SPACING_M)

    def wiggle(coords: np.ndarray) -> np.ndarray:
        x, y = coords[:, 0], coords[:, 1]
        # Slow bends of up to ~18 m plus 1 m detail; the field's gradient stays far below 1, so no
        # border can fold over its neighbour, and it fades out towards the frame, which stays straight.
        to_frame = np.minimum.reduce([x - X0, X0 + SIDE_M - x, y - Y0, Y0 + SIDE_M - y])
        fade = np.clip(to_frame / 200.0, 0.0, 1.0)
        dx = WIGGLE_M * (np.sin(y / 97.0) + 0.5 * np.sin(y / 31.0 + x / 71.0)) + np.sin(x / 5.0 + y / 7.0)
        dy = WIGGLE_M * (np.cos(x / 89.0) + 0.5 * np.sin(x / 29.0 - y / 67.0)) + np.cos(y / 5.0 - x / 6.0)
        return np.column_stack([x + fade * dx, y + fade * dy])

    lines = shapely.transform(lines, wiggle)
    cells = shapely.get_parts(shapely.polygonize(lines))
    cells = cells[shapely.area(cells) > 1.0]
    order = np.lexsort((shapely.get_coordinates(shapely.centroid(cells))[:, 0],
                        np.round(shapely.get_coordinates(shapely.centroid(cells))[:, 1], -3)))
    cells = cells[order]
    count = len(cells)
    values = rng.normal(6.5, 0.8, size=count).round(1)
    suppressed = rng.random(count) < 0.08
    wijk = np.arange(count) // 10
    return gpd.GeoDataFrame(
        {
            "gebiedscode": [f"BU9998{w:02d}{i % 100:02d}" for i, w in zip(range(count), wijk)],
            "gebiedsnaam": [f"Buurt {i + 1}" for i in range(count)],
            "wijkcode": [f"WK9998{w:02d}" for w in wijk],
            "waarde": np.where(suppressed, np.nan, values),
            "onderdrukt": suppressed,
        },
        geometry=cells,
        crs=CRS_RD,
    )


def synthetic_facilities(buurten: gpd.GeoDataFrame, per_component: int = 60, seed: int = 7) -> gpd.GeoDataFrame:
    """``per_component`` random facility points per place-based component inside the municipality."""
    rng = np.random.default_rng(seed)
    keys = [c.key for c in COMPONENTS if c.measured_from == "voorzieningen"]
    n = per_component * len(keys)
    points = shapely.points(rng.uniform(X0, X0 + SIDE_M, n), rng.uniform(Y0, Y0 + SIDE_M, n))
    return gpd.GeoDataFrame(
        {"component": np.repeat(keys, per_component), "naam": [f"Voorziening {i + 1}" for i in range(n)],
         "soort": "voorbeeld"},
        geometry=points, crs=CRS_RD,
    )


def build_kaart_map(shown: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, scheme: str = "quantiles"):
    """The Kaart page's map at buurt level: choropleth, suppressed areas, facility layers."""
    return build_map(MapSpec(
        AreaLayer(shown, value_column="waarde", value_label="Sociale samenhang (0-10)", higher_is_better=True,
                  suppressed_mask=shown["onderdrukt"].to_numpy(), scheme=scheme, tooltip_columns={"wijkcode": "Wijk"}),
        facilities=FacilityLayer(facilities, frozenset({"ontmoeting", "zorg"})),
        view=MapView(height=620),
    ))


_APPTEST_SCRIPT = """
import sys, time
sys.path.insert(0, {repo!r})
import streamlit as st
from streamlit_folium import st_folium
sys.path.insert(0, {bench!r})
import map_payload as bench

@st.cache_resource
def data():
    buurten = bench.synthetic_buurten({n})
    return bench.display_geometry(buurten), bench.synthetic_facilities(buurten)

shown, facilities = data()
scheme = st.selectbox("Klassenindeling", ["quantiles", "natural_breaks"])
start = time.perf_counter()
st_folium(bench.build_kaart_map(shown, facilities, scheme), key="kaart", height=620,
          returned_objects=["last_active_drawing"])
st.session_state["map_s"] = time.perf_counter() - start
"""


def apptest_figures(n: int) -> dict[str, float]:
    """Exact component payload and rerun times, from Streamlit's AppTest (no browser)."""
    from streamlit.testing.v1 import AppTest

    script = _APPTEST_SCRIPT.format(repo=str(REPO), bench=str(Path(__file__).resolve().parent), n=n)
    at = AppTest.from_string(script, default_timeout=300)
    start = time.perf_counter()
    at.run()
    first_s = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)

    def payload() -> int:
        element = next(el for el in at.get("component_instance")
                       if el.proto.component_name == "streamlit_folium.st_folium")
        return len(element.proto.json_args.encode("utf-8"))

    size = payload()
    at.selectbox[0].select("natural_breaks")
    start = time.perf_counter()
    at.run()
    rerun_s = time.perf_counter() - start
    return {"first_run_s": first_s, "rerun_s": rerun_s, "rerun_map_s": float(at.session_state["map_s"]),
            "component_bytes": size, "component_bytes_after_change": payload()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buurten", type=int, default=500)
    parser.add_argument("--no-apptest", action="store_true", help="skip the exact AppTest measurement")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    buurten = synthetic_buurten(args.buurten)
    facilities = synthetic_facilities(buurten)
    make_s = time.perf_counter() - start
    raw_vertices = int(shapely.get_num_coordinates(buurten.geometry.to_numpy()).sum())
    raw_geojson = len(buurten.to_crs(4326).to_json().encode("utf-8"))

    start = time.perf_counter()
    shown = display_geometry(buurten)
    display_s = time.perf_counter() - start
    shown_vertices = int(shapely.get_num_coordinates(shown.geometry.to_numpy()).sum())
    valid = bool(shapely.coverage_is_valid(shown.geometry.to_numpy()))

    build_map(MapSpec(AreaLayer(shown.head(3), value_column="waarde")))  # warm up imports once
    start = time.perf_counter()
    m = build_kaart_map(shown, facilities)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    payload = map_payload_bytes(m)
    render_s = time.perf_counter() - start

    print(f"Synthetische gemeente: {len(buurten)} buurten, {len(facilities)} voorzieningen "
          f"(aangemaakt in {make_s:.1f} s)")
    print(f"Volledige geometrie:   {raw_vertices:>9,} hoekpunten, GeoJSON {raw_geojson / 1e6:6.2f} MB")
    print(f"Weergavegeometrie:     {shown_vertices:>9,} hoekpunten ({display_s:.2f} s, eenmalig per dataset; "
          f"gedeelde grenzen intact: {'ja' if valid else 'NEE'})")
    print(f"Kaart bouwen:          {build_s:.2f} s, HTML/JSON renderen {render_s:.2f} s")
    print(f"Kaart-payload (schatting): {payload / 1e6:.2f} MB (doel <= {PAYLOAD_TARGET_BYTES / 1e6:.1f} MB)")
    ok = payload <= PAYLOAD_TARGET_BYTES and valid
    if not args.no_apptest:
        figures = apptest_figures(args.buurten)
        print(f"Kaart-payload (streamlit-folium, exact): {figures['component_bytes'] / 1e6:.2f} MB; "
              f"na widgetwissel {figures['component_bytes_after_change'] / 1e6:.2f} MB")
        print(f"Servertijd: eerste run {figures['first_run_s']:.2f} s (incl. geometrie), "
              f"rerun na widgetwissel {figures['rerun_s']:.2f} s (kaart {figures['rerun_map_s']:.2f} s; "
              f"doel < {RERUN_TARGET_S:.0f} s)")
        ok = ok and figures["component_bytes"] <= PAYLOAD_TARGET_BYTES and figures["rerun_s"] < RERUN_TARGET_S
    print("Resultaat:", "binnen de doelen" if ok else "BUITEN DE DOELEN")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
