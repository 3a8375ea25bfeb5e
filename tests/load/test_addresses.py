"""Tests for analysis.load.addresses: address points (dwellings) and CBS grid squares."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import addresses, areas
from analysis.model import CRS_RD
from tests.paths import ZWOLLE, shared_file

X0, Y0 = 150_000.0, 450_000.0


@pytest.fixture()
def buurten() -> gpd.GeoDataFrame:
    """Two 1 km buurten side by side; B2 has inhabitants but (in most tests) no address."""
    return gpd.GeoDataFrame({
        "gebiedscode": ["BU99990101", "BU99990102"], "wijkcode": ["WK999901", "WK999901"],
        "inwoners": [300.0, 200.0],
    }, geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)], crs=CRS_RD)


def write_demo_csv(path: Path) -> None:
    """The demo's address format: id,x,y,aantal_woningen,functie (EPSG:28992 x/y)."""
    path.write_text(
        "id,x,y,aantal_woningen,functie\n"
        f"a1,{X0 + 100},{Y0 + 100},1,wonen\n"
        f"a2,{X0 + 200},{Y0 + 100},12,wonen\n"
        f"a3,{X0 + 300},{Y0 + 100},1,winkel\n"
        f"a4,{X0 + 400},{Y0 + 100},,wonen\n"
        f"a5,{X0 + 500},{Y0 + 100},0,wonen\n"
        f"a6,{X0 + 9000},{Y0 + 100},3,wonen\n"
        f"a7,{X0 + 600},{Y0 + 100},2,\n", encoding="utf-8")


def test_demo_csv_dwellings_counts_and_buurten(tmp_path, buurten):
    path = tmp_path / "adressen.csv"
    write_demo_csv(path)
    findings = Findings()
    got = addresses.read_addresses(path, buurten, findings)
    assert list(got.columns) == ["aantal", "buurtcode", "geometry"]
    assert got.crs == CRS_RD
    # a3 is a shop, a5 has no dwelling, a6 lies outside the gemeente
    assert got["aantal"].tolist() == [1.0, 12.0, 1.0, 2.0]
    assert set(got["buurtcode"]) == {"BU99990101"}
    assert [p.x for p in got.geometry] == [X0 + 100, X0 + 200, X0 + 400, X0 + 600]
    text = "\n".join(str(f) for f in findings)
    assert "rij 5, kolom 'aantal_woningen'" in text and "telt als 1 woning" in text   # a4: empty count
    assert "1 adressen zijn geen woning (functie winkel)" in text
    assert "rij 8, kolom 'functie'" in text and "telt als woning" in text           # a7: empty function
    assert "1 adressen liggen buiten de buurten" in text
    assert "BU99990102" in text and "geen woonadres" in text                        # B2 has none


def test_geopackage_bag_names_and_building_polygons(tmp_path, buurten):
    frame = gpd.GeoDataFrame({
        "gebruiksdoel": ["woonfunctie", "woonfunctie,winkelfunctie", "kantoorfunctie", "woonfunctie"],
        "personen": [2, 3, 10, 1],
    }, geometry=[Point(X0 + 10, Y0 + 10), Point(X0 + 1500, Y0 + 10), Point(X0 + 20, Y0 + 20),
                 box(X0 + 1100, Y0 + 100, X0 + 1120, Y0 + 130)], crs=CRS_RD)
    path = tmp_path / "bag.gpkg"
    frame.to_file(path, driver="GPKG")
    findings = Findings()
    got = addresses.read_addresses(path, buurten, findings)
    assert got["aantal"].tolist() == [2.0, 3.0, 1.0]
    assert got["buurtcode"].tolist() == ["BU99990101", "BU99990102", "BU99990102"]
    assert got.geometry.iloc[2].within(box(X0 + 1100, Y0 + 100, X0 + 1120, Y0 + 130))
    assert any("vlakken (panden)" in str(f) for f in findings)


def test_no_dwelling_left_is_an_error(tmp_path, buurten):
    path = tmp_path / "adressen.csv"
    path.write_text(f"x,y,functie\n{X0 + 10},{Y0 + 10},winkel\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        addresses.read_addresses(path, buurten, Findings())
    assert "geen woonadres" in str(info.value)


def test_real_zwolle_addresses_fill_every_buurt():
    path = shared_file("zwolle", "zwolle_adressen.gpkg")
    buurten = areas.read_buurten(ZWOLLE / "zwolle_buurten_2015.geojson", Findings())
    findings = Findings()
    got = addresses.read_addresses(path, buurten, findings)
    raw = gpd.read_file(path)
    inside = gpd.sjoin(raw, buurten[["geometry"]], predicate="intersects")
    assert len(got) == inside.index.nunique()                  # every point inside a buurt, once
    assert len(got) > 0.95 * 71_888
    assert (got["aantal"] == 1.0).all()                       # no attributes: one dwelling each
    populated = buurten.loc[buurten["inwoners"].fillna(0) > 0, "gebiedscode"]
    missing = set(populated) - set(got["buurtcode"])
    assert len(missing) <= 3, missing


# ---------------------------------------------------------------------------------------------
# Grid squares
# ---------------------------------------------------------------------------------------------

def test_parse_cbs_codes():
    got = addresses.parse_grid_codes(pd.Series(["E1234N5678", "crs28992res500mE0835N4565", "N456900E083800",
                                                "onzin", None]))
    assert got.loc[0, ["x", "y"]].tolist() == [123_400.0, 567_800.0]
    assert got.loc[1, ["x", "y", "size_m"]].tolist() == [83_500.0, 456_500.0, 500.0]
    assert got.loc[2, ["x", "y"]].tolist() == [83_800.0, 456_900.0]
    assert got.loc[[3, 4], "x"].isna().all()


def test_grid_table_with_codes_and_secret_counts(tmp_path):
    path = tmp_path / "vierkanten.csv"
    path.write_text("crs28992res100m;aantal_inwoners\nE1500N4500;25\nE1501N4500;-99997\nE1500N4501;10\nXX;5\n",
                    encoding="utf-8")
    findings = Findings()
    got = addresses.read_grid(path, findings)
    assert got.crs == CRS_RD and len(got) == 3
    assert got.geometry.iloc[0].equals(box(150_000, 450_000, 150_100, 450_100))
    assert got.geometry.iloc[1].equals(box(150_100, 450_000, 150_200, 450_100))
    assert got["inwoners"].iloc[0] == 25.0 and np.isnan(got["inwoners"].iloc[1])
    text = "\n".join(str(f) for f in findings)
    assert "rij 5" in text and "geen CBS-vierkantcode" in text
    assert "geheim aantal inwoners" in text


def test_grid_500m_from_column_name_and_geojson_polygons(tmp_path):
    path = tmp_path / "v500.csv"
    path.write_text("c28992r500,inwoners\nE1500N4500,100\nE1505N4500,50\n", encoding="utf-8")
    got = addresses.read_grid(path, Findings())
    assert got.geometry.iloc[0].equals(box(150_000, 450_000, 150_500, 450_500))
    polygons = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
                "features": [{"type": "Feature", "properties": {"INWONER": 40},
                              "geometry": box(150_000, 450_000, 150_100, 450_100).__geo_interface__}]}
    geo = tmp_path / "vierkanten.geojson"
    geo.write_text(json.dumps(polygons), encoding="utf-8")
    got = addresses.read_grid(geo, Findings())
    assert got["inwoners"].tolist() == [40.0]
    assert got.geometry.iloc[0].equals(box(150_000, 450_000, 150_100, 450_100))


def test_grid_without_inhabitants_is_an_error(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("crs28992res100m,woningen\nE1500N4500,3\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        addresses.read_grid(path, Findings())
    assert "aantal inwoners" in str(info.value)
