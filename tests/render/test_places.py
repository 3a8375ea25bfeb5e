"""Tests for analysis.render.places: clicks to places, GeoPackage and CSV, and back through the loaders."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pytest

from analysis.errors import ParameterError
from analysis.findings import Findings
from analysis.load.facilities import MAX_NAME_CHARS
from analysis.load.informal import MAX_NOTE_CHARS, load_initiatives, load_notes
from analysis.model import CRS_WGS84
from analysis.render import places as pl

LONG = ("Een lange reden " * 400)[:5000]
TEXTS = ("<script>alert(1)</script>", '=HYPERLINK("x")', LONG, "Bankje bij de vijver; fijn voor ouderen")
KINDS = ("waardevol", "ontbreekt", "onveilig", "kan beter")
DAY = dt.date(2025, 3, 20)


@pytest.fixture(scope="module")
def meeting(demo_dataset):
    """Four places, one of each kind, clicked at the centres of four demo buurten (and their lat/lon)."""
    buurten = demo_dataset.buurten.iloc[[0, 5, 10, 20]]
    centres = buurten.geometry.representative_point().to_crs(CRS_WGS84)
    places = pl.new_places()
    for point, kind, text in zip(centres, KINDS, TEXTS, strict=True):
        places = pl.add_place(places, point.y, point.x, kind, text, demo_dataset.buurten, when=DAY)
    return places, list(buurten["gebiedscode"])


def test_clicks_become_places_in_their_buurt(meeting):
    places, codes = meeting
    assert list(places["id"]) == ["P001", "P002", "P003", "P004"]
    assert list(places["soort"]) == list(KINDS) and list(places["reden"]) == list(TEXTS)
    assert list(places["buurtcode"]) == codes and places.crs.to_epsg() == 28992
    assert set(places["datum"]) == {"2025-03-20"}


def test_round_trip_as_initiatives_to_the_centimetre(meeting, demo_dataset, tmp_path):
    places, codes = meeting
    path = tmp_path / "initiatieven.csv"
    path.write_bytes(pl.places_csv(places))
    assert b"'=HYPERLINK" in path.read_bytes()  # neutralised in the file
    findings = Findings()
    back = load_initiatives(path, demo_dataset.buurten, findings, 2025)
    assert not findings.items, findings.lines()
    assert list(back["soort"]) == list(KINDS)
    same = [0, 1, 3]  # <script>, =HYPERLINK and a plain reason: the same texts
    assert [back["naam"][i] for i in same] == [TEXTS[i] for i in same]
    # the 5,000-character reason is cut to the longest name a loader keeps (no warning: the file already is)
    assert len(back["naam"][2]) == MAX_NAME_CHARS and TEXTS[2].startswith(back["naam"][2][:-1])
    assert list(pl.read_places(path.read_bytes(), "plekken.csv")["reden"]) == list(TEXTS)  # whole in the CSV
    assert list(back["buurtcode"]) == codes and back["actief"].all()
    dx = np.abs(back.geometry.x.to_numpy() - places.geometry.x.to_numpy())
    dy = np.abs(back.geometry.y.to_numpy() - places.geometry.y.to_numpy())
    assert dx.max() <= 0.005 and dy.max() <= 0.005  # RD to the centimetre


def test_round_trip_as_notes(meeting, demo_dataset, tmp_path):
    places, codes = meeting
    path = tmp_path / "notities.csv"
    path.write_bytes(pl.places_csv(places, "excel-nl"))
    findings = Findings()
    codes_all = set(demo_dataset.buurten["gebiedscode"]) | set(demo_dataset.wijken["gebiedscode"])
    back = load_notes(path, codes_all, findings)
    assert not findings.items, findings.lines()
    assert list(back["gebiedscode"]) == codes and set(back["soort_bron"]) == {"bijeenkomst"}
    expected = [f"{k}: {t}" for k, t in zip(KINDS, TEXTS, strict=True)]
    assert back["tekst"][0] == expected[0] and back["tekst"][1] == expected[1]
    # a note is kept to MAX_NOTE_CHARS, as the loader keeps every note; the CSV already says so
    assert len(back["tekst"][2]) == MAX_NOTE_CHARS and back["tekst"][2].endswith("…")
    assert expected[2].startswith(back["tekst"][2][:-1])
    assert list(back["datum"].dt.date) == [DAY] * 4


def test_geopackage_keeps_exact_points_and_texts(meeting):
    places, _ = meeting
    data = pl.places_gpkg(places)
    back = pl.read_places(data, "plekken.gpkg")
    assert list(back["reden"]) == list(TEXTS) and list(back["soort"]) == list(KINDS)
    assert back.geometry.geom_equals_exact(gpd.GeoSeries(places.geometry.to_numpy(), crs=back.crs), 1e-6).all()
    csv_back = pl.read_places(pl.places_csv(places), "plekken.csv")
    assert list(csv_back["reden"]) == list(TEXTS)


def test_bad_clicks_are_refused_in_dutch():
    with pytest.raises(ParameterError, match="Kies uit"):
        pl.places_frame([{"lat": 52.5, "lon": 6.1, "soort": "mooi", "reden": "x"}])
    with pytest.raises(ParameterError, match="reden"):
        pl.places_frame([{"lat": 52.5, "lon": 6.1, "soort": "onveilig", "reden": "  \x00 "}])
    with pytest.raises(ParameterError, match="niet in Nederland"):
        pl.places_frame([{"lat": 48.8, "lon": 2.3, "soort": "onveilig", "reden": "Parijs"}])
    assert pl.places_frame([]).empty
