"""A tiny Streamlit app showing one build_map map of Zwolle's 16 wijken, for the real-browser map test only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The browser test runs a copy of this script from a temporary folder (Streamlit serves static/ next to
# the main script, and static/ must not land in tests/), so the repo is found through an environment
# variable first.
REPO = Path(os.environ.get("WIJKWEEFSEL_REPO", Path(__file__).resolve().parents[1])).resolve()
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from analysis.model import CRS_RD  # noqa: E402
from analysis.render.assets import ensure_map_assets  # noqa: E402
from analysis.render.geometry import display_geometry  # noqa: E402
from analysis.render.layers import DEFAULT_BASEMAP, AreaLayer, FacilityLayer, MapSpec, MapView  # noqa: E402
from analysis.render.maps import build_map, clicked_area_code  # noqa: E402

WIJKEN_FILE = REPO / "tests" / "data" / "zwolle" / "zwolle_wijken_2015.geojson"

#: Fake facilities: (component, name, index of the wijk whose representative point it sits on).
FAKE_FACILITIES: tuple[tuple[str, str, int], ...] = (
    ("ontmoeting", "Buurthuis De Kamer", 0),
    ("ontmoeting", "Wijkcentrum <b>Oost</b>", 1),
    ("ontmoeting", "Buurtkamer =HYPERLINK(\"x\")", 2),
    ("zorg", "Huisartsenpraktijk Noord", 3),
    ("zorg", "Wijkteam Zuid", 4),
    ("sport", "Sporthal West", 5),
    ("sport", "Zwembad <script>alert(1)</script>", 6),
)


@st.cache_resource
def load_wijken() -> gpd.GeoDataFrame:
    """Zwolle's wijken in EPSG:28992 with the standard area columns used by the map."""
    raw = gpd.read_file(WIJKEN_FILE).to_crs(CRS_RD)
    wijken = raw.rename(columns={"WK_CODE": "gebiedscode", "WK_NAAM": "gebiedsnaam"})
    share = pd.to_numeric(wijken["P_65_EO_JR"], errors="coerce").astype("float64")
    wijken["p_65_eo"] = share.where(share >= 0)
    return wijken[["gebiedscode", "gebiedsnaam", "p_65_eo", "geometry"]]


def fake_facilities(wijken: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A few facilities on the representative points of the first wijken."""
    points = wijken.geometry.representative_point()
    return gpd.GeoDataFrame(
        {
            "naam": [name for _, name, _ in FAKE_FACILITIES],
            "component": [component for component, _, _ in FAKE_FACILITIES],
            "soort": ["test"] * len(FAKE_FACILITIES),
        },
        geometry=[points.iloc[i] for _, _, i in FAKE_FACILITIES],
        crs=CRS_RD,
    )


ensure_map_assets(Path(__file__).resolve().parent)
st.set_page_config(page_title="Kaarttest", layout="wide")
st.title("Kaarttest")

wijken = load_wijken()
areas = display_geometry(wijken)
facilities = fake_facilities(wijken)
basemap = st.query_params.get("achtergrond", DEFAULT_BASEMAP)
m = build_map(MapSpec(
    AreaLayer(areas, value_column="p_65_eo", value_label="Inwoners van 65 jaar en ouder (%)"),
    facilities=FacilityLayer(facilities),
    view=MapView(basemap=basemap, height=560),
))
result = st_folium(m, key="kaart", height=560, use_container_width=True,
                   returned_objects=["last_active_drawing"])
code = clicked_area_code(result)
st.text(f"Gekozen gebied: {code or 'geen'}")
