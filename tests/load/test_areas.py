"""Tests for analysis.load.areas on the real Zwolle files and on small hand-made buurten."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import areas
from analysis.model import AREA_COLUMNS
from tests.paths import ZWOLLE, shared_file

BUURTEN_2015 = ZWOLLE / "zwolle_buurten_2015.geojson"
WIJKEN_2015 = ZWOLLE / "zwolle_wijken_2015.geojson"
WIJKEN_2024 = ZWOLLE / "zwolle_wijken_2024.geojson"

ZWOLLE_WIJKEN = ["WK019310", "WK019311", "WK019312", "WK019313", "WK019314", "WK019320", "WK019321",
                 "WK019322", "WK019330", "WK019331", "WK019332", "WK019340", "WK019341", "WK019350",
                 "WK019351", "WK019352"]

X0, Y0 = 200_000.0, 500_000.0  # somewhere in RD New


def square(col: int, row: int = 0, size: float = 1000.0) -> list:
    x, y = X0 + col * size, Y0 + row * size
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def write_areas(path: Path, rows: list[tuple[dict, list]]) -> Path:
    """A GeoJSON of polygons in RD metres without a crs member (as CBS exports often are)."""
    features = [{"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": ring}}
                for props, ring in rows]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def props_2015(code: str, inw: float, **extra) -> dict:
    return {"BU_CODE": code, "BU_NAAM": f"Buurt {code[-2:]}", "WK_CODE": "WK" + code[2:8],
            "GM_CODE": "GM" + code[2:6], "GM_NAAM": "Proefstad", "AANT_INW": inw, **extra}


@pytest.fixture(scope="module")
def zwolle():
    f = Findings()
    buurten, wijken, gemeente = areas.load_areas(BUURTEN_2015, f, WIJKEN_2015)
    return buurten, wijken, gemeente, f


@pytest.fixture(scope="module")
def raw_wijken_2015() -> dict:
    doc = json.loads(WIJKEN_2015.read_text())
    return {feat["properties"]["WK_CODE"]: feat["properties"] for feat in doc["features"]}


# ------------------------------------------------------------------------------------------
# real Zwolle files
# ------------------------------------------------------------------------------------------

def test_zwolle_78_buurten_16_wijken_1_gemeente(zwolle):
    buurten, wijken, gemeente, f = zwolle
    assert len(buurten) == 78 and buurten["gebiedscode"].is_unique
    assert sorted(wijken["gebiedscode"]) == ZWOLLE_WIJKEN
    assert gemeente["gebiedscode"].tolist() == ["GM0193"]
    assert gemeente["gebiedsnaam"].tolist() == ["Zwolle"]
    assert not f.has_errors
    for frame, level in ((buurten, "buurt"), (wijken, "wijk"), (gemeente, "gemeente")):
        assert set(AREA_COLUMNS) <= set(frame.columns)
        assert frame.crs.to_epsg() == 28992
        assert (frame["niveau"] == level).all()
        assert frame.is_valid.all()


def test_zwolle_codes_are_consistent(zwolle):
    buurten, wijken, _, _ = zwolle
    assert buurten["gebiedscode"].str.match(r"^BU0193\d{4}$").all()
    # every buurt code carries its wijk code's digits
    assert (buurten["wijkcode"] == "WK" + buurten["gebiedscode"].str.slice(2, 8)).all()
    assert (buurten["gemeentecode"] == "GM0193").all()
    assert set(buurten["wijkcode"]) == set(ZWOLLE_WIJKEN)
    assert (wijken["wijkcode"] == wijken["gebiedscode"]).all()
    binnenstad = buurten.set_index("gebiedscode").loc["BU01931000"]
    assert binnenstad["gebiedsnaam"] == "Binnenstad-Zuid"
    assert binnenstad["wijknaam"] == "Wijk 10 Binnenstad"


def test_zwolle_population_from_buurten_within_1pct_of_cbs_wijk_totals(zwolle, raw_wijken_2015):
    buurten, wijken, gemeente, _ = zwolle
    summed = buurten.groupby("wijkcode")["inwoners"].sum()
    for code, props in raw_wijken_2015.items():
        cbs = props["AANT_INW"]
        assert abs(summed[code] - cbs) <= 0.01 * cbs, code
    # the wijk file's own figures are kept (CBS totals are authoritative)
    own = wijken.set_index("gebiedscode")["inwoners"]
    assert own["WK019310"] == raw_wijken_2015["WK019310"]["AANT_INW"] == 3400
    assert buurten["inwoners"].sum() == 123_790  # SOURCE.md sanity figure
    assert wijken["inwoners"].sum() == 123_850
    assert gemeente["inwoners"].iloc[0] == 123_850
    assert (buurten["inwoners"] == 0).sum() == 2


def test_zwolle_percentages_are_kept_as_percentages(zwolle):
    buurten, _, _, _ = zwolle
    row = buurten.set_index("gebiedscode").loc["BU01931000"]
    # Binnenstad-Zuid 2015: 7, 22, 46, 17, 8 percent; 65 % single-person households
    assert [row[c] for c in ("p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo")] == [7, 22, 46, 17, 8]
    assert row["p_eenpersoons_hh"] == 65


def test_zwolle_wijken_derived_by_dissolve_without_wijken_file():
    f = Findings()
    buurten, wijken, gemeente = areas.load_areas(BUURTEN_2015, f)
    assert sorted(wijken["gebiedscode"]) == ZWOLLE_WIJKEN
    summed = buurten.groupby("wijkcode")["inwoners"].sum()
    assert (wijken.set_index("gebiedscode")["inwoners"] == summed).all()
    assert gemeente["inwoners"].iloc[0] == 123_790
    # the dissolved wijken cover the same ground as the CBS wijken (simplified upstream: 2 %)
    cbs = areas.read_wijken(WIJKEN_2015, Findings()).set_index("gebiedscode").area
    ratio = wijken.set_index("gebiedscode").area / cbs
    assert ratio.between(0.98, 1.02).all()
    assert wijken.is_valid.all() and gemeente.is_valid.all()
    assert math.isclose(gemeente.area.iloc[0], buurten.area.sum(), rel_tol=1e-3)


def test_zwolle_2024_lowercase_spelling_is_recognised():
    f = Findings()
    wijken = areas.read_wijken(WIJKEN_2024, f)
    assert sorted(wijken["gebiedscode"]) == ZWOLLE_WIJKEN
    assert wijken["inwoners"].sum() == 133_135  # SOURCE.md sanity figure
    row = wijken.set_index("gebiedscode").loc["WK019331"]
    assert "Aa-landen" in row["gebiedsnaam"]
    assert row["gemeentecode"] == "GM0193" and row["gemeentenaam"] == "Zwolle"
    binnenstad = wijken.set_index("gebiedscode").loc["WK019310"]
    # 2024 file: aantal_inwoners 4225, mannen 2170, 0_15 = 4 %, 65plus = 14 %, huishoudens 2910
    assert (binnenstad["inwoners"], binnenstad["mannen"], binnenstad["huishoudens"]) == (4225, 2170, 2910)
    assert (binnenstad["p_00_14"], binnenstad["p_65_eo"]) == (4, 14)
    assert not f.has_errors


def test_zwolle_2015_buurten_with_2024_wijken():
    f = Findings()
    buurten, wijken, _ = areas.load_areas(BUURTEN_2015, f, WIJKEN_2024)
    assert len(buurten) == 78 and len(wijken) == 16
    assert buurten.set_index("gebiedscode").loc["BU01933100", "wijknaam"].endswith("Aa-landen")


def test_zwolle_gemeente_filter_keeps_everything_and_rejects_other_code():
    assert len(areas.read_buurten(BUURTEN_2015, Findings(), gemeente_code="gm0193")) == 78
    with pytest.raises(DatasetError, match="GM0344"):
        areas.read_buurten(BUURTEN_2015, Findings(), gemeente_code="GM0344")


def test_zwolle_wijken_file_as_buurten_is_refused():
    with pytest.raises(DatasetError, match="wijkenbestand"):
        areas.read_buurten(WIJKEN_2015, Findings())


# ------------------------------------------------------------------------------------------
# hand-made buurten
# ------------------------------------------------------------------------------------------

def test_cbs_missing_code_in_population_is_nan(tmp_path):
    path = write_areas(tmp_path / "b.geojson", [
        (props_2015("BU09990101", 1000, AANTAL_HH=400, P_EENP_HH=50), square(0)),
        (props_2015("BU09990102", -99999999, AANTAL_HH=-99997, P_EENP_HH=-99999999), square(1)),
        (props_2015("BU09990201", 500, AANTAL_HH=100, P_EENP_HH=20), square(2)),
    ])
    f = Findings()
    buurten, wijken, gemeente = areas.load_areas(path, f)
    secret = buurten.set_index("gebiedscode").loc["BU09990102"]
    assert math.isnan(secret["inwoners"]) and math.isnan(secret["huishoudens"])
    assert math.isnan(secret["p_eenpersoons_hh"])
    by_wijk = wijken.set_index("gebiedscode")
    assert by_wijk.loc["WK099901", "inwoners"] == 1000  # the secret buurt is not counted as a number
    assert gemeente["inwoners"].iloc[0] == 1500
    # single-person share weighted by households: (50*400 + 20*100) / 500 = 44 %
    assert gemeente["p_eenpersoons_hh"].iloc[0] == pytest.approx(44.0)
    assert any("geen inwonertal" in str(x) for x in f)


def test_codes_derived_from_buurt_code(tmp_path):
    path = write_areas(tmp_path / "alleen_codes.geojson", [
        ({"buurtcode": "BU09990101", "aantal_inwoners": 10}, square(0)),
        ({"buurtcode": "BU09990201", "aantal_inwoners": 20}, square(1)),
    ])
    buurten, wijken, gemeente = areas.load_areas(path, Findings())
    assert buurten["wijkcode"].tolist() == ["WK099901", "WK099902"]
    assert (buurten["gemeentecode"] == "GM0999").all()
    assert wijken["gebiedscode"].tolist() == ["WK099901", "WK099902"]
    assert gemeente["gebiedscode"].tolist() == ["GM0999"]
    assert buurten["gebiedsnaam"].tolist() == ["BU09990101", "BU09990201"]  # no names: the code


def test_lowercase_spelling_with_age_counts_is_turned_into_percentages(tmp_path):
    path = write_areas(tmp_path / "nieuw.geojson", [
        ({"buurtcode": "BU09990101", "buurtnaam": "Oud", "aantal_inwoners": 200, "0_15": 20, "15_25": 20,
          "25_45": 40, "45_65": 60, "65plus": 60, "huishoudens": 100}, square(0)),
        ({"buurtcode": "BU09990102", "buurtnaam": "Jong", "aantal_inwoners": 400, "0_15": 100, "15_25": 40,
          "25_45": 160, "45_65": 60, "65plus": 40, "huishoudens": 150}, square(1)),
    ])
    f = Findings()
    buurten = areas.read_buurten(path, f).set_index("gebiedscode")
    assert buurten.loc["BU09990101", "p_65_eo"] == pytest.approx(30.0)  # 60 / 200
    assert buurten.loc["BU09990102", "p_00_14"] == pytest.approx(25.0)  # 100 / 400
    assert buurten.loc["BU09990102", "gebiedsnaam"] == "Jong"
    assert any("aantallen" in str(x) for x in f)
    _, wijken, _ = areas.load_areas(path, Findings())
    # wijk: 160 of 600 inhabitants under 15 -> 20/200 and 100/400 weighted: 26.67 %
    assert wijken["p_00_14"].iloc[0] == pytest.approx(120 / 600 * 100)


def test_bow_tie_polygon_is_repaired_with_a_warning(tmp_path):
    x, y = X0, Y0
    bow_tie = [[[x, y], [x + 10, y + 10], [x + 10, y], [x, y + 10], [x, y]]]
    path = write_areas(tmp_path / "strik.geojson", [
        (props_2015("BU09990101", 100), square(2)),
        (props_2015("BU09990102", 100), bow_tie),
    ])
    f = Findings()
    buurten = areas.read_buurten(path, f).set_index("gebiedscode")
    geom = buurten.loc["BU09990102", "geometry"]
    assert geom.is_valid
    assert geom.area == pytest.approx(50.0)  # two triangles of 10 x 5 / 2
    warnings = f.warnings
    assert len(warnings) == 1 and warnings[0].row == 2  # second feature of the file
    assert "ongeldig" in warnings[0].problem and "hersteld" in warnings[0].problem
    assert "strik.geojson" in str(warnings[0])


def test_duplicate_and_malformed_codes_are_errors_with_rows(tmp_path):
    path = write_areas(tmp_path / "dubbel.geojson", [
        (props_2015("BU09990101", 1), square(0)),
        (props_2015("BU09990101", 1), square(1)),
        (props_2015("BU9990101", 1), square(2)),
    ])
    with pytest.raises(DatasetError) as err:
        areas.read_buurten(path, Findings())
    findings = err.value.findings
    assert sorted(x.row for x in findings if "komt vaker voor" in x.problem) == [1, 2]
    assert [x.row for x in findings if "geen geldige buurtcode" in x.problem] == [3]
    assert all(x.column == "BU_CODE" for x in findings)


def test_wijk_code_that_contradicts_the_buurt_code_is_an_error(tmp_path):
    props = props_2015("BU09990101", 1)
    props["WK_CODE"] = "WK099902"
    path = write_areas(tmp_path / "tegen.geojson", [(props, square(0))])
    with pytest.raises(DatasetError) as err:
        areas.read_buurten(path, Findings())
    finding = err.value.findings.items[0]
    assert finding.column == "WK_CODE" and finding.row == 1
    assert "verwacht 'WK099901'" in finding.problem


def test_several_gemeenten_need_a_choice(tmp_path):
    path = write_areas(tmp_path / "twee.geojson", [
        (props_2015("BU09990101", 1), square(0)),
        (props_2015("BU09980101", 1), square(1)),
    ])
    with pytest.raises(DatasetError, match="2 gemeenten"):
        areas.read_buurten(path, Findings())
    only = areas.read_buurten(path, Findings(), gemeente_code="GM0998")
    assert only["gebiedscode"].tolist() == ["BU09980101"]


def test_wijken_file_missing_a_wijk_of_the_buurten(tmp_path):
    buurten = write_areas(tmp_path / "b.geojson", [
        (props_2015("BU09990101", 1), square(0)), (props_2015("BU09990201", 1), square(1))])
    wijken = write_areas(tmp_path / "w.geojson", [({"WK_CODE": "WK099901", "WK_NAAM": "Een"}, square(0))])
    with pytest.raises(DatasetError, match="WK099902"):
        areas.load_areas(buurten, Findings(), wijken)


def test_overlapping_buurten_dissolve_into_a_valid_wijk(tmp_path):
    x, y = X0, Y0
    overlap = [[[x + 900, y], [x + 2000, y], [x + 2000, y + 1000], [x + 900, y + 1000], [x + 900, y]]]
    path = write_areas(tmp_path / "overlap.geojson", [
        (props_2015("BU09990101", 10), square(0)),   # x .. x+1000
        (props_2015("BU09990102", 20), overlap),     # x+900 .. x+2000: 100 m overlap
    ])
    _, wijken, gemeente = areas.load_areas(path, Findings())
    assert wijken.is_valid.all() and gemeente.is_valid.all()
    assert wijken.geometry.iloc[0].geom_type == "Polygon"
    assert wijken.geometry.iloc[0].area == pytest.approx(2000 * 1000)  # not 2.1 km2 counted twice


# ------------------------------------------------------------------------------------------
# national files, Amsterdam's codes with letters, impossible values
# ------------------------------------------------------------------------------------------

NATIONAL_WIJKEN = ("nl", "cbs_wijken_2024_nl.geojson")


def test_amsterdam_wijken_from_the_national_file():
    f = Findings()
    wijken = areas.read_wijken(shared_file(*NATIONAL_WIJKEN), f, "GM0363")
    assert len(wijken) == 111                                          # SOURCE.md: 111 Amsterdam wijken
    assert wijken["gebiedscode"].str.fullmatch(areas.WIJK_CODE_RE.strip("^$")).all()
    assert {"WK0363AF", "WK0363AA"} <= set(wijken["gebiedscode"])      # letters, since 2022
    assert (wijken["gemeentecode"] == "GM0363").all() and (wijken["gebiedsnaam"] != "").all()
    kept = [x for x in f if x.level == "info" and "alleen de 111 wijken van gemeente GM0363" in x.problem]
    assert kept and "3.349" in kept[0].problem                         # the user is told how many rows were kept


def test_amsterdam_buurt_codes_give_their_wijk_and_gemeente(tmp_path):
    path = write_areas(tmp_path / "amsterdam.geojson", [
        ({"buurtcode": "BU0363AF09", "wijkcode": "WK0363AF", "aantal_inwoners": 1500}, square(0)),
        ({"buurtcode": "BU0363AF10", "wijkcode": "WK0363AF", "aantal_inwoners": 900}, square(1)),
        ({"buurtcode": "BU0363KA04", "wijkcode": "WK0363KA", "aantal_inwoners": 2540}, square(2)),
    ])
    f = Findings()
    buurten, wijken, gemeente = areas.load_areas(path, f)
    assert not f.has_errors
    assert buurten["wijkcode"].tolist() == ["WK0363AF", "WK0363AF", "WK0363KA"]
    assert wijken.set_index("gebiedscode")["inwoners"].to_dict() == {"WK0363AF": 2400, "WK0363KA": 2540}
    assert gemeente["gebiedscode"].tolist() == ["GM0363"]


def test_codes_with_letters_in_the_wrong_place_are_still_refused(tmp_path):
    path = write_areas(tmp_path / "fout.geojson", [
        ({"buurtcode": "BU03A3AF09", "aantal_inwoners": 10}, square(0)),   # letters in the gemeente digits
        ({"buurtcode": "BU0363af1", "aantal_inwoners": 10}, square(1)),    # too short
    ])
    with pytest.raises(DatasetError) as err:
        areas.read_buurten(path, Findings())
    assert [x.row for x in err.value.findings.errors] == [1, 2]


def _national(path: Path) -> Path:
    """A small 'national' file: two gemeenten, a water-only buurt; GM0998 comes first in the file."""
    return write_areas(path, [
        ({"buurtcode": "BU09980101", "gemeentecode": "GM0998", "aantal_inwoners": 50, "water": "NEE"}, square(0)),
        ({"buurtcode": "BU09990101", "gemeentecode": "GM0999", "aantal_inwoners": 100, "water": "NEE"}, square(1)),
        ({"buurtcode": "BU09990102", "gemeentecode": "GM0999", "aantal_inwoners": -5, "water": "NEE"}, square(2)),
        ({"buurtcode": "BU09990103", "gemeentecode": "GM0999", "aantal_inwoners": 0, "water": "JA"}, square(3)),
        ({"buurtcode": "BU09980102", "gemeentecode": "GM0998", "aantal_inwoners": 70, "water": "NEE"}, square(4)),
    ])


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_national_file_is_filtered_while_reading(tmp_path, suffix, monkeypatch):
    path = _national(tmp_path / "nl.geojson")
    if suffix == ".gpkg":
        import geopandas as gpd
        frame = gpd.read_file(path).set_crs("EPSG:28992", allow_override=True)
        path = tmp_path / "nl.gpkg"
        frame.to_file(path, layer="buurten", driver="GPKG")
    asked = []
    original = areas.read_geo
    monkeypatch.setattr(areas, "read_geo", lambda *a, **k: asked.append(k.get("where")) or original(*a, **k))
    f = Findings()
    buurten = areas.read_buurten(path, f, "GM0999")
    assert asked == ["\"gemeentecode\" LIKE 'GM0999%'"]                # only GM0999 was read
    assert buurten["gebiedscode"].tolist() == ["BU09990101", "BU09990102"]   # the water buurt left out
    infos = [x.problem for x in f if x.level == "info"]
    assert any("alleen de 3 buurten van gemeente GM0999" in p and "andere 2 rijen" in p for p in infos)
    assert any("1 buurt die alleen uit water bestaat is weggelaten" in p for p in infos)
    # row numbers stay the file's feature numbers: the negative population is feature 3
    [negative] = [x for x in f.warnings if x.column == "aantal_inwoners"]
    assert negative.row == 3 and "'-5'" in negative.problem and "niet negatief" in negative.problem
    assert math.isnan(buurten.set_index("gebiedscode").loc["BU09990102", "inwoners"])


def test_a_national_file_without_a_gemeente_asks_for_one(tmp_path):
    with pytest.raises(DatasetError, match="gemeente = "):
        areas.read_buurten(_national(tmp_path / "nl.geojson"), Findings())


def test_a_geo_file_over_the_object_limit_asks_for_the_gemeente(tmp_path, monkeypatch):
    from analysis.load import files as wio

    path = _national(tmp_path / "nl.geojson")
    monkeypatch.setattr(wio, "MAX_GEO_FEATURES", 3)
    with pytest.raises(DatasetError) as err:
        areas.read_buurten(path, Findings())
    finding = err.value.findings.items[0]
    assert "5 objecten" in finding.problem and "gemeente = " in finding.fix
    assert len(areas.read_buurten(path, Findings(), "GM0999")) == 2   # filtered: only 3 rows are read


# ------------------------------------------------------------------------------------------
# an extent that cannot be one gemeente (a polygon in the wrong coordinate system)
# ------------------------------------------------------------------------------------------

def _to_wgs84(ring: list) -> list:
    from pyproj import Transformer

    to_wgs = Transformer.from_crs(28992, 4326, always_xy=True)
    return [[list(to_wgs.transform(x, y)) for x, y in ring[0]]]


def _crs_mix(path: Path, declared: str, odd_one: int = 2) -> Path:
    """Four buurten; all but ``odd_one`` in the declared CRS, ``odd_one`` in the other one."""
    features = []
    for i in range(4):
        ring = square(i % 2, i // 2)
        in_wgs = (declared == "wgs84") != (i == odd_one)
        features.append({"type": "Feature", "properties": props_2015(f"BU0999010{i}", 100),
                         "geometry": {"type": "Polygon", "coordinates": _to_wgs84(ring) if in_wgs else ring}})
    name = "urn:ogc:def:crs:OGC:1.3:CRS84" if declared == "wgs84" else "urn:ogc:def:crs:EPSG::28992"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
                                "features": features}))
    return path


def test_one_rd_polygon_in_a_file_declared_wgs84_is_named(tmp_path):
    f = Findings()
    with pytest.raises(DatasetError) as caught:
        areas.read_buurten(_crs_mix(tmp_path / "buurten.geojson", "wgs84"), f)
    errors = [x for x in caught.value.findings if x.level == "fout"]
    assert [(x.file, x.row) for x in errors] == [("buurten.geojson", 3)]  # feature 3 (geo files count features)
    assert "coördinatenstelsel" in errors[0].problem and "QGIS" in errors[0].fix


def test_one_wgs84_polygon_in_a_file_declared_rd_is_named(tmp_path):
    f = Findings()
    with pytest.raises(DatasetError) as caught:
        areas.read_buurten(_crs_mix(tmp_path / "buurten.geojson", "rd"), f)
    errors = [x for x in caught.value.findings if x.level == "fout"]
    assert [(x.file, x.row) for x in errors] == [("buurten.geojson", 3)]
    assert "kan niet in één Nederlandse gemeente liggen" in errors[0].problem
    assert "km van het midden van de andere" in errors[0].problem


def test_areas_too_far_apart_for_one_gemeente(tmp_path):
    far = int(areas.MAX_GEMEENTE_SPAN_M // 1000) + 5  # km
    path = write_areas(tmp_path / "b.geojson", [(props_2015("BU09990100", 100), square(0)),
                                                (props_2015("BU09990101", 100), square(far))])
    with pytest.raises(DatasetError, match="beslaan samen .* km van rand tot rand"):
        areas.read_buurten(path, Findings())


def test_the_largest_dutch_gemeenten_pass_the_extent_check():
    """Het Hogeland (49 km across, 904 km²) and Súdwest-Fryslân (908 km²) are real: such extents must load."""
    import numpy as np
    import shapely

    hogeland = [shapely.box(X0, Y0, X0 + 49_300, Y0 + 18_300)]  # one area of 902 km², 49 km wide
    sudwest = [shapely.box(X0 + i * 9_000, Y0, X0 + (i + 1) * 9_000, Y0 + 20_000) for i in range(5)]  # 900 km²
    for geoms in (hogeland, sudwest):
        bad, whole = areas.implausible_extent(np.array(geoms, dtype=object))
        assert not bad.any() and whole is None
    bad, whole = areas.implausible_extent(np.array([shapely.box(X0, Y0, X0 + 40_000, Y0 + 40_000)], dtype=object))
    assert bad.all()  # 1,600 km² in one area
