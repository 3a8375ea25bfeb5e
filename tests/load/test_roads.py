"""Tests for analysis.load.roads: street network files in the formats municipalities export."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString, Point, box

from analysis.compute import routing
from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import roads
from analysis.model import CRS_RD, CRS_WGS84
from tests.paths import shared_file

X0, Y0 = 150_000.0, 450_000.0


def demo_geojson(path) -> None:
    """The demo's format: LineStrings in EPSG:28992 with a declared crs member and property ``id``."""
    features = [{"type": "Feature", "properties": {"id": f"w{i}"}, "geometry": geom.__geo_interface__}
                for i, geom in enumerate([LineString([(X0, Y0), (X0 + 500, Y0)]),
                                          LineString([(X0 + 500, Y0), (X0 + 500, Y0 + 400)]),
                                          Point(X0, Y0)])]
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
           "features": features}
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_demo_geojson_lines_kept_points_reported(tmp_path):
    path = tmp_path / "wegen.geojson"
    demo_geojson(path)
    findings = Findings()
    got = roads.read_roads(path, findings)
    assert got.crs == CRS_RD and got["id"].tolist() == ["w0", "w1"]
    assert got.geometry.iloc[0].coords[0] == (X0, Y0)
    assert any("geen lijn" in str(f) and "rij 3" in str(f) for f in findings)
    g = routing.build_graph(got)
    assert routing.route_m(g, (X0 + 100, Y0 - 10), (X0 + 510, Y0 + 300)) == pytest.approx(10 + 400 + 300 + 10)


def test_zipped_shapefile_in_wgs84_and_multilines(tmp_path):
    lines = gpd.GeoDataFrame({"naam": ["a", "b"]}, geometry=[
        MultiLineString([[(X0, Y0), (X0 + 100, Y0)], [(X0 + 100, Y0), (X0 + 100, Y0 + 100)]]),
        LineString([(X0 + 100, Y0 + 100), (X0 + 200, Y0 + 100)])], crs=CRS_RD).to_crs(CRS_WGS84)
    folder = tmp_path / "shp"
    folder.mkdir()
    lines.to_file(folder / "wegen.shp")
    archive = tmp_path / "wegen.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    got = roads.read_roads(archive, Findings())
    assert got.crs == CRS_RD and len(got) == 3 and set(got.geom_type) == {"LineString"}
    assert got.geometry.length.sum() == pytest.approx(300.0, abs=0.05)


def test_no_lines_and_pbf_are_errors(tmp_path):
    points = gpd.GeoDataFrame(geometry=[Point(X0, Y0)], crs=CRS_RD)
    path = tmp_path / "punten.gpkg"
    points.to_file(path, driver="GPKG")
    with pytest.raises(DatasetError) as info:
        roads.read_roads(path, Findings())
    assert "geen lijnen" in str(info.value)
    pbf = tmp_path / "noord-holland.osm.pbf"
    pbf.write_bytes(b"\x00\x00")
    with pytest.raises(DatasetError) as info:
        roads.read_roads(pbf, Findings())
    assert "GeoPackage" in str(info.value)


def test_buurten_far_from_the_network_are_warned_about(tmp_path):
    path = tmp_path / "wegen.geojson"
    demo_geojson(path)
    buurten = gpd.GeoDataFrame({"gebiedscode": ["BU1", "BU2"]},
                               geometry=[box(X0, Y0, X0 + 300, Y0 + 300), box(X0 + 5000, Y0, X0 + 5300, Y0 + 300)],
                               crs=CRS_RD)
    findings = Findings()
    roads.read_roads(path, findings, buurten)
    warned = [str(f) for f in findings if "verder dan" in str(f)]
    assert len(warned) == 1 and "BU2" in warned[0] and "BU1" not in warned[0]


def test_real_eindhoven_network_has_the_published_topology():
    path = shared_file("eindhoven", "eindhoven_osm_wegen.gpkg")
    got = roads.read_roads(path, Findings())
    assert len(got) == 111_451 and got.crs == CRS_RD
    g = routing.build_graph(got)
    # SOURCE.md: 93,294 nodes, 68 connected pieces, the largest holds 92,602 nodes, 2,629 km
    assert g.n_nodes == 93_294 and g.n_pieces == 68
    assert np.bincount(g.piece).max() == 92_602
    assert g.total_length_m / 1000 == pytest.approx(2629, rel=0.005)
