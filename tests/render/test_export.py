"""Tests for analysis.render.export: CSV dialects and formula neutralisation, PNG, batch export, GEXF/GraphML, GeoPackage."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from urllib.parse import unquote

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import Point, box

from analysis import model
from analysis.compute import indicators
from analysis.errors import DatasetError
from analysis.render import export

GM = "GM0999"
YEAR = 2025
BASELINE = 2023
FORMULA = '=HYPERLINK("http://x")'
#: wijk code -> name; one name is a formula, one holds HTML.
WIJKEN = {"WK099901": "Centrum", "WK099902": FORMULA, "WK099903": "Oost <b>&amp;</b>"}


# ----------------------------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------------------------

def _areas() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rows, geoms = [], []
    for w, (wcode, _) in enumerate(WIJKEN.items()):
        for b in range(2):
            rows.append({"gebiedscode": f"BU{wcode[2:]}{b + 1:02d}", "gebiedsnaam": f"Buurt {w}{b}", "niveau": "buurt",
                         "wijkcode": wcode, "gemeentecode": GM, "gemeentenaam": "Testdorp",
                         "inwoners": 1000.0 + 500 * w, "huishoudens": 500.0, "p_00_14": 15.0, "p_65_eo": 10.0 + 5 * w,
                         "p_eenpersoons_hh": 30.0 + 5 * b, "opp_land_ha": 100.0})
            geoms.append(box(w * 2000 + b * 1000, 0, w * 2000 + b * 1000 + 1000, 1000))
    buurten = gpd.GeoDataFrame(pd.DataFrame(rows).reindex(columns=list(model.AREA_COLUMNS)), geometry=geoms,
                               crs=model.CRS_RD)
    wijken = buurten.dissolve("wijkcode", aggfunc={"inwoners": "sum", "huishoudens": "sum", "opp_land_ha": "sum",
                                                   "p_00_14": "mean", "p_65_eo": "mean",
                                                   "p_eenpersoons_hh": "mean"}).reset_index()
    wijken["gebiedscode"] = wijken["wijkcode"]
    wijken["gebiedsnaam"] = wijken["wijkcode"].map(WIJKEN)
    wijken["niveau"], wijken["gemeentecode"], wijken["gemeentenaam"] = "wijk", GM, "Testdorp"
    wijken = wijken.reindex(columns=[*model.AREA_COLUMNS, "geometry"])
    gemeente = wijken.dissolve(aggfunc={"inwoners": "sum", "huishoudens": "sum", "opp_land_ha": "sum"})
    gemeente = gemeente.reset_index(drop=True).reindex(columns=[*model.AREA_COLUMNS, "geometry"])
    gemeente[["gebiedscode", "gebiedsnaam", "niveau", "gemeentecode", "gemeentenaam"]] = \
        [GM, "Testdorp", "gemeente", GM, "Testdorp"]
    return buurten, gpd.GeoDataFrame(wijken, crs=model.CRS_RD), gpd.GeoDataFrame(gemeente, crs=model.CRS_RD)


def make_dataset(is_demo: bool = True) -> model.Dataset:
    buurten, wijken, gemeente = _areas()
    fac = [("f1", "Buurthuis De Kamer", "ontmoeting", (500, 500), "WK099901", "BU09990101"),
           ("f2", FORMULA, "ontmoeting", (2500, 500), "WK099902", "BU09990201"),
           ("f3", "Huisarts -Noord", "zorg", (1500, 400), "WK099901", "BU09990102"),
           ("f4", "@Sporthal", "sport", (4500, 600), "WK099903", "BU09990301")]
    facilities = gpd.GeoDataFrame(
        {"id": [f[0] for f in fac], "naam": [f[1] for f in fac], "component": [f[2] for f in fac], "soort": "test",
         "capaciteit": np.nan, "bezetting_pct": np.nan, "jaar": YEAR, "buurtcode": [f[5] for f in fac],
         "wijkcode": [f[4] for f in fac], "bron": "test"},
        geometry=[Point(*f[3]) for f in fac], crs=model.CRS_RD)
    facilities = pd.concat([facilities, facilities.assign(jaar=BASELINE)], ignore_index=True)
    assoc = gpd.GeoDataFrame(
        {"id": ["a1", "a2", "a3", "a4"], "naam": ["Voetbalclub", FORMULA, "Koor", "Buurtcomité"],
         "soort": ["sport", "cultuur", "cultuur", "buurt"], "leden": [120, 40, np.nan, 15], "actief": True,
         "jaar": YEAR, "buurtcode": ["BU09990101", "BU09990102", "BU09990201", "BU09990301"],
         "wijkcode": ["WK099901", "WK099901", "WK099902", "WK099903"]},
        geometry=[Point(300, 300), Point(1300, 300), Point(2300, 300), Point(4300, 300)], crs=model.CRS_RD)
    ties = pd.DataFrame({"van": ["a1", "a1", "a2"], "naar": ["a2", "a3", "a3"], "soort": ["leden", "bestuur", "leden"],
                         "gewicht": [2.0, 1.0, 1.0], "jaar": YEAR})
    rng = np.random.default_rng(1)
    per_wijk = {"WK099901": 60, "WK099902": 45, "WK099903": 8}   # the last one is suppressed
    rows = []
    for year in (BASELINE, YEAR):
        for wcode, n in per_wijk.items():
            for i in range(n):
                rows.append({"respondent": f"{year}-{wcode}-{i}", "buurtcode": f"BU{wcode[2:]}0{1 + i % 2}",
                             "wijkcode": wcode, "leeftijd": np.nan, "leeftijdsklasse": "45-64", "geslacht": np.nan,
                             "gewicht": np.nan, "jaar": year, "s1": int(rng.integers(1, 6)),
                             "s2": int(rng.integers(1, 6)), "vrijwilliger": int(rng.integers(1, 3))})
    respondents = pd.DataFrame(rows)
    respondents["gewicht"] = respondents["gewicht"].astype(float)
    codebook = {"codeboek": {"naam": "Test", "ontbrekend": [9]}, "schalen": {
        "cohesie": {"methode": "gemiddelde", "items": ["s1", "s2"], "codes": [1, 2, 3, 4, 5], "min_geldig": 1,
                    "indicator": "cohesie_score"},
        "vrijwilliger": {"methode": "aandeel", "items": ["vrijwilliger"], "codes": [1, 2], "ja": [1],
                         "indicator": "vrijwilliger_pct"}}}
    return model.Dataset(
        name="testdorp", year=YEAR, gemeente_code=GM, buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=facilities, associations=assoc, ties=ties, respondents=respondents, codebook=codebook,
        area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS), digital=model.empty_frame(model.DIGITAL_COLUMNS),
        licences={"Gebieden": "CBS/Kadaster, CC BY 4.0"}, is_demo=is_demo)


@pytest.fixture(scope="module")
def ds() -> model.Dataset:
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)


@pytest.fixture(scope="module")
def exported(ds, table, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    calls = []
    files = export.export_all(ds, table, out, progress=lambda f, m: calls.append((f, m)))
    return out, files, calls


def hand_table() -> pd.DataFrame:
    """A tidy table written by hand, with a negative value, a missing value and a suppressed row."""
    return pd.DataFrame({
        "gebiedscode": ["WK099901", "WK099901", "WK099901", "WK099902"],
        "gebiedsnaam": ["Centrum", "Centrum", "Centrum", FORMULA],
        "niveau": ["wijk"] * 4, "jaar": [2025, 2025, 2023, 2025],
        "indicator": ["cohesie_index", "vrijwilliger_pct", "cohesie_index", "vrijwilliger_pct"],
        "waarde": [-3.25, 1234.5, 98.125, np.nan], "eenheid": ["index", "%", "index", "%"],
        "n": pd.array([pd.NA, 312, pd.NA, 12], dtype="Int64"), "ci_laag": [np.nan, 1230.0, np.nan, np.nan],
        "ci_hoog": [np.nan, 1239.0, np.nan, np.nan], "onderdrukt": [0, 0, 0, 1], "bron": ["berekend", "enquête",
                                                                                        "berekend", "enquête"],
    })


# ----------------------------------------------------------------------------------------------
# file names
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("WK034401_Binnenstad", "WK034401_Binnenstad"),
    ("WK034401 Oud-Zuid / Noord", "WK034401_Oud-Zuid_Noord"),
    ('a<b>c:d"e|f?g*h\\i', "a_b_c_d_e_f_g_h_i"),
    ("Één wijk", "Een_wijk"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("Lpt9", "_Lpt9"),
    ("COM1.png", "_COM1.png"),
    ("CONTROLE", "CONTROLE"),
    ("Naam. . ", "Naam"),
    ("", "_"),
    ("...", "_"),
    ("tab\tnew\nline", "tab_new_line"),
])
def test_safe_filename_cases(name, expected):
    assert export.safe_filename(name) == expected


def test_safe_filename_length_and_trailing_dot():
    long = "WK1_" + "a" * 300
    assert len(export.safe_filename(long)) == export.MAX_FILENAME_LENGTH
    assert export.safe_filename("abc.def", max_length=4) == "abc"   # cut to "abc." then trailing dot removed


# ----------------------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------------------

def test_csv_standard_dialect_round_trip():
    frame = hand_table()
    data = export.csv_bytes(frame, "standaard")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\r\n")[0] == b"gebiedscode,gebiedsnaam,niveau,jaar,indicator,waarde,eenheid,n,ci_laag,ci_hoog," \
        b"onderdrukt,bron"
    assert b"-3.25," in data and b"1234.5," in data
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == list(frame.columns)
    assert back["waarde"].tolist()[:3] == [-3.25, 1234.5, 98.125] and math.isnan(back["waarde"][3])
    assert back["n"].tolist()[1] == 312 and back["onderdrukt"].tolist() == [0, 0, 0, 1]


def test_csv_excel_nl_dialect_reads_back_with_pandas():
    frame = hand_table()
    data = export.csv_bytes(frame, "excel-nl")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].split(b"\r\n")
    assert lines[0].startswith(b"gebiedscode;gebiedsnaam;niveau;jaar;indicator;waarde")
    assert b";-3,25;" in data and b";1234,5;" in data   # decimal comma, no thousands separator
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_allclose(back["waarde"].to_numpy(float), [-3.25, 1234.5, 98.125, np.nan])
    np.testing.assert_allclose(back["ci_hoog"].to_numpy(float), [np.nan, 1239.0, np.nan, np.nan])


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    frame = pd.DataFrame({
        "naam": [FORMULA, "+31 6 1234", "-bad", "@SUM(A1:A2)", "\tx", "\rx", "Normaal", "-12", "+1,5"],
        "getal": [-5.5, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    for dialect, sep, decimal in (("standaard", ",", "."), ("excel-nl", ";", ",")):
        back = pd.read_csv(io.BytesIO(export.csv_bytes(frame, dialect)), sep=sep, decimal=decimal,
                           encoding="utf-8-sig", dtype={"naam": str}, keep_default_na=False)
        assert back["naam"].tolist() == ["'" + FORMULA, "'+31 6 1234", "'-bad", "'@SUM(A1:A2)", "'\tx", "'\rx",
                                         "Normaal", "-12", "+1,5"]
        assert back["getal"].tolist() == [-5.5, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert export.neutralise(-3) == -3 and export.neutralise("=1+1") == "'=1+1"


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="excel-nl"):
        export.csv_bytes(hand_table(), "excel")


def test_profile_csv_equals_the_indicator_table(ds, table):
    code = "WK099901"
    expected = table[(table["gebiedscode"] == code) & (table["niveau"] == "wijk")]
    assert len(expected) > 20 and set(expected["jaar"]) == {BASELINE, YEAR}
    for dialect, kwargs in (("standaard", {}), ("excel-nl", {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"})):
        back = pd.read_csv(io.BytesIO(export.profile_csv(ds, table, code, dialect)), **kwargs)
        assert list(back.columns) == list(indicators.TABLE_COLUMNS)
        assert len(back) == len(expected)
        merged = back.merge(expected, on=["jaar", "indicator"], suffixes=("_csv", "_tabel"))
        assert len(merged) == len(expected)
        np.testing.assert_allclose(merged["waarde_csv"].to_numpy(float), merged["waarde_tabel"].to_numpy(float),
                                   rtol=0, atol=0, equal_nan=True)
        np.testing.assert_allclose(merged["ci_laag_csv"].to_numpy(float), merged["ci_laag_tabel"].to_numpy(float),
                                   rtol=0, atol=0, equal_nan=True)
        assert (merged["onderdrukt_csv"] == merged["onderdrukt_tabel"]).all()


def test_profile_csv_neutralises_a_formula_wijk_name(ds, table):
    data = export.profile_csv(ds, table, "WK099902", "excel-nl").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + FORMULA}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_unknown_wijk_is_a_dutch_dataset_error(ds, table):
    with pytest.raises(DatasetError, match="WK000000.*bestaat niet"):
        export.profile_csv(ds, table, "WK000000")


# ----------------------------------------------------------------------------------------------
# PNG
# ----------------------------------------------------------------------------------------------

def _image(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_profile_png_valid_large_not_blank_and_deterministic(ds, table):
    first = export.profile_png(ds, table, "WK099901")
    second = export.profile_png(ds, table, "WK099901")
    assert first == second
    pixels = _image(first)
    height, width, _ = pixels.shape
    assert width >= 2400 and height >= 1600
    assert pixels.std() > 20
    not_white = (pixels < 240).any(axis=2).mean()
    assert 0.03 < not_white < 0.6
    assert b"Software" not in first and b"Matplotlib" not in first


def test_profile_png_marks_demo_data_as_fictitious(ds, table):
    demo = _image(export.profile_png(ds, table, "WK099901"))
    real = _image(export.profile_png(make_dataset(is_demo=False), table, "WK099901"))
    height, width, _ = demo.shape
    # The red FICTIEF badge sits in the top right corner (about 93% across, 5% down).
    patch_demo = demo[int(0.03 * height):int(0.07 * height), int(0.86 * width):int(0.88 * width)].reshape(-1, 3)
    patch_real = real[int(0.03 * height):int(0.07 * height), int(0.86 * width):int(0.88 * width)].reshape(-1, 3)
    red = lambda p: ((p[:, 0] > 150) & (p[:, 1] < 90) & (p[:, 2] < 90)).mean()  # noqa: E731
    assert red(patch_demo) > 0.5
    assert red(patch_real) == 0.0


def test_profile_png_of_a_wijk_without_survey_or_baseline(ds, table):
    only_now = table[(table["jaar"] == YEAR) & ~table["indicator"].isin(["cohesie_score", "vrijwilliger_pct"])]
    pixels = _image(export.profile_png(ds, only_now, "WK099903"))
    assert pixels.shape[1] >= 2400 and pixels.std() > 20


# ----------------------------------------------------------------------------------------------
# network and areas
# ----------------------------------------------------------------------------------------------

def _node_attrs(graph: nx.Graph) -> dict:
    return {str(n): {k: v for k, v in d.items() if k != "id"} for n, d in graph.nodes(data=True)}


def test_network_graph_attributes_are_typed_and_complete(ds):
    graph = export.network_graph(ds, YEAR)
    assert set(graph.nodes) == {"a1", "a2", "a3", "a4"}
    assert {frozenset(e) for e in graph.edges} == {frozenset({"a1", "a2"}), frozenset({"a1", "a3"}),
                                                   frozenset({"a2", "a3"})}
    a1 = graph.nodes["a1"]
    assert a1["naam"] == "Voetbalclub" and a1["graad"] == 2 and a1["leden"] == 120.0
    assert a1["gewogen_graad"] == 3.0                      # ties of weight 2 and 1
    assert graph.nodes["a4"]["graad"] == 0 and graph.nodes["a4"]["betweenness"] == 0.0
    assert "leden" not in graph.nodes["a3"]                # unknown: left out, never None
    assert graph.edges["a1", "a2"]["soorten"] == "leden" and graph.edges["a1", "a2"]["weight"] == 2.0
    for _, data in graph.nodes(data=True):
        assert all(v is not None for v in data.values())


def test_gexf_and_graphml_read_back_with_the_same_graph(ds):
    graph = export.network_graph(ds, YEAR)
    gexf = nx.read_gexf(io.BytesIO(export.network_gexf(ds, YEAR)))
    graphml = nx.read_graphml(io.BytesIO(export.network_graphml(ds, YEAR)))
    for back in (gexf, graphml):
        assert set(back.nodes) == set(graph.nodes)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
        for node, data in graph.nodes(data=True):
            got = back.nodes[node]
            for key, value in data.items():
                if key == "label" and back is gexf:
                    assert got["label"] == value
                    continue
                assert got[key] == value, (node, key)
                assert type(got[key]) is type(value), (node, key)
        for u, v, data in graph.edges(data=True):
            got = back.edges[u, v]
            assert got["weight"] == data["weight"] and got["soorten"] == data["soorten"]
            assert int(got["banden"]) == data["banden"]
    assert gexf.nodes["a2"]["naam"] == graphml.nodes["a2"]["naam"] == FORMULA


def test_geopackage_reads_back_in_rd_new(ds, table, tmp_path):
    path = export.areas_gpkg(ds, table, tmp_path / "gebieden.gpkg")
    import pyogrio

    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert set(layers) == {"buurten", "wijken", "gemeente"}
    wijken = gpd.read_file(path, layer="wijken")
    assert wijken.crs.to_epsg() == 28992
    assert sorted(wijken["gebiedscode"]) == sorted(WIJKEN)
    expected = table[(table["gebiedscode"] == "WK099901") & (table["jaar"] == YEAR)
                     & (table["indicator"] == "ontmoeting_dekking_pct")]["waarde"].iloc[0]
    got = wijken.set_index("gebiedscode").loc["WK099901", "ontmoeting_dekking_pct"]
    assert got == pytest.approx(expected, abs=1e-12)
    # A suppressed survey figure is empty in the wide layer.
    suppressed = table[(table["gebiedscode"] == "WK099903") & (table["jaar"] == YEAR)
                       & (table["indicator"] == "vrijwilliger_pct")]
    assert suppressed["onderdrukt"].iloc[0] == 1
    assert math.isnan(wijken.set_index("gebiedscode").loc["WK099903", "vrijwilliger_pct"])
    buurten = gpd.read_file(path, layer="buurten")
    assert len(buurten) == 6 and buurten.crs.to_epsg() == 28992
    assert buurten.geometry.area.sum() == pytest.approx(6 * 1_000_000)


# ----------------------------------------------------------------------------------------------
# batch
# ----------------------------------------------------------------------------------------------

def test_export_all_writes_every_file(exported, ds):
    out, files, calls = exported
    names = {p.relative_to(out).as_posix() for p in files}
    for code, name in WIJKEN.items():
        stem = export.safe_filename(f"{code}_{name}")
        for suffix in (".png", ".csv", "_excel.csv"):
            assert f"wijkprofielen/{stem}{suffix}" in names
    for stem in ("indicatoren_buurt", "indicatoren_wijk", "indicatoren_gemeente", "prioriteiten", "voorzieningen",
                 "verenigingen"):
        assert f"{stem}.csv" in names and f"{stem}_excel.csv" in names
    assert {"netwerk.gexf", "netwerk.graphml", "gebieden.gpkg", "index.html"} <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in files)
    assert all(re.fullmatch(r"[A-Za-z0-9._()/-]+", n) for n in names)
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert calls[0][1].startswith("Wijkprofiel 1 van 3")


def test_export_all_priorities_have_contributions(exported, table):
    out, _, _ = exported
    ranking = pd.read_csv(out / "prioriteiten_excel.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert {"bijdrage_behoefte", "bijdrage_gaten", "bijdrage_cohesietekort"} <= set(ranking.columns)
    scored = ranking.dropna(subset=["prioriteit_score"])
    np.testing.assert_allclose(scored[["bijdrage_behoefte", "bijdrage_gaten", "bijdrage_cohesietekort"]]
                               .sum(axis=1, min_count=1), scored["prioriteit_score"], atol=1e-9)
    wijk = pd.read_csv(out / "indicatoren_wijk.csv")
    assert set(wijk["niveau"]) == {"wijk"} and len(wijk) == (table["niveau"] == "wijk").sum()


def test_export_all_neutralises_facility_and_association_names(exported):
    out, _, _ = exported
    for stem in ("voorzieningen", "verenigingen"):
        text = (out / f"{stem}_excel.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        header = rows[0]
        names = [row[header.index("naam")] for row in rows[1:]]
        assert "'" + FORMULA in names
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    fac = pd.read_csv(out / "voorzieningen.csv")
    assert "'@Sporthal" in fac["naam"].tolist() and "'-Noord" not in fac["naam"].tolist()


def test_index_html_is_offline_and_escaped(exported):
    out, _, _ = exported
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;)" in page and FORMULA not in page
    assert "Oost &lt;b&gt;&amp;amp;&lt;/b&gt;" in page and "<b>&amp;</b>" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "FICTIEF" in page
    images = re.findall(r"<img src='([^']+)'", page)
    assert len(images) == 3
    for src in images:
        assert (out / unquote(src)).exists()


def test_export_zip_holds_the_same_files(ds, table):
    progress = []
    data = export.export_zip(ds, table, wijken=["WK099903"], progress=lambda f, m: progress.append(f))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert sum(n.startswith("wijkprofielen/") for n in names) == 3   # one wijk: png + 2 csv
        png = archive.read(next(n for n in names if n.endswith(".png")))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())
    assert progress[-1] == 1.0


def test_export_all_refuses_an_unknown_wijk(ds, table, tmp_path):
    with pytest.raises(DatasetError, match="WK123456"):
        export.export_all(ds, table, tmp_path, wijken=["WK123456"])
    assert list(tmp_path.iterdir()) == []
