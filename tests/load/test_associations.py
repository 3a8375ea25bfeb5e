"""Tests for analysis.load.associations: verenigingen.csv and banden.csv into the clean frames."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import associations
from analysis.model import ASSOCIATION_COLUMNS, CRS_RD, TIE_COLUMNS

#: RD New origin: RD (155000, 463000) is WGS84 (5.38720621 E, 52.15517440 N).
ORIGIN_LON, ORIGIN_LAT = 5.38720621, 52.15517440


@pytest.fixture()
def buurten() -> gpd.GeoDataFrame:
    """Two buurten: a 1 km square and an L shape whose centroid lies outside it."""
    l_shape = box(155_500, 462_500, 157_500, 462_700).union(box(155_500, 462_500, 155_700, 464_500))
    return gpd.GeoDataFrame({"gebiedscode": ["BU09990101", "BU09990201"], "wijkcode": ["WK099901", "WK099902"]},
                            geometry=[box(154_500, 462_500, 155_500, 463_500), l_shape], crs=CRS_RD)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------
# associations
# ------------------------------------------------------------------------------------------

def test_associations_keep_laatst_gecontroleerd(tmp_path, buurten):
    text = "id;naam;leden;buurtcode;laatst_gecontroleerd\n1;Koor;35;BU09990101;1-3-2025\n2;Club;10;BU09990101;\n"
    out = associations.load_associations(write(tmp_path / "v.csv", text), buurten, Findings(), 2025)
    assert str(out.loc[0, "laatst_gecontroleerd"].date()) == "2025-03-01" and pd.isna(out.loc[1, "laatst_gecontroleerd"])


def test_associations_located_by_buurtcode_get_a_point_in_the_buurt(tmp_path, buurten):
    text = ("id;naam;soort;leden;actief;buurtcode\n"
            "1;Voetbalclub;sport;250;ja;BU09990101\n"
            "2;Koor;cultuur;35;nee;bu09990201\n")
    f = Findings()
    out = associations.load_associations(write(tmp_path / "verenigingen.csv", text), buurten, f, 2025)
    assert list(out.columns) == [*ASSOCIATION_COLUMNS, "geometry"]
    assert out["id"].tolist() == ["1", "2"]
    assert out["buurtcode"].tolist() == ["BU09990101", "BU09990201"]
    assert out["wijkcode"].tolist() == ["WK099901", "WK099902"]
    assert out["leden"].tolist() == [250.0, 35.0]
    assert out["actief"].tolist() == [True, False]
    assert out["laatst_gecontroleerd"].isna().all()  # optional: NaT without the column
    assert out["jaar"].tolist() == [2025, 2025]
    # the point lies inside its buurt, also for the L shape whose centroid does not
    assert buurten.geometry.iloc[0].contains(out.geometry.iloc[0])
    assert buurten.geometry.iloc[1].contains(out.geometry.iloc[1])
    assert not buurten.geometry.iloc[1].contains(buurten.geometry.iloc[1].centroid)
    assert out.crs.to_epsg() == 28992
    assert not f.warnings


def test_associations_with_coordinates_are_placed_by_them(tmp_path, buurten):
    text = (f"id,naam,lat,lon,buurtcode\n"
            f"A,Schaakclub,{ORIGIN_LAT},{ORIGIN_LON},BU09990201\n"
            f"B,Buurtcomite,,,\n")
    f = Findings()
    out = associations.load_associations(write(tmp_path / "v.csv", text), buurten, f, 2025)
    assert out.loc[0, "buurtcode"] == "BU09990101"  # the coordinates win over the code
    assert out.geometry.iloc[0].x == pytest.approx(155_000.0, abs=1.0)
    differs = [x for x in f.warnings if "niet in BU09990201" in x.problem]
    assert [(x.row, x.column) for x in differs] == [(2, "buurtcode")]
    # an association without any location stays in the network
    assert out.loc[1, "id"] == "B" and pd.isna(out.loc[1, "buurtcode"])
    assert out.geometry.iloc[1] is None or out.geometry.iloc[1].is_empty
    assert any(x.row == 3 and "geen locatie" in x.problem for x in f.warnings)


def test_mixed_coordinates_and_buurtcode_only_rows_give_no_false_warning(tmp_path, buurten):
    """A row with empty x/y but a buurtcode is located by the code, without a 'geen locatie' warning."""
    text = ("id;naam;buurtcode;x;y\n"
            "1;Buurtbus;BU09990101;;\n"
            "2;Dansgroep;BU09990101;155000,0;463000,0\n")
    f = Findings()
    out = associations.load_associations(write(tmp_path / "verenigingen.csv", text), buurten, f, 2025)
    assert out["buurtcode"].tolist() == ["BU09990101", "BU09990101"]
    assert buurten.geometry.iloc[0].contains(out.geometry.iloc[0])
    assert (out.geometry.iloc[1].x, out.geometry.iloc[1].y) == pytest.approx((155_000.0, 463_000.0))
    assert not f.warnings, [str(w) for w in f.warnings]


@pytest.mark.parametrize("cell, expected", [
    ("ja", True), ("Ja", True), ("1", True), ("true", True), ("WAAR", True), ("x", True),
    ("nee", False), ("N", False), ("0", False), ("false", False), ("onwaar", False), ("inactief", False),
    ("", True),
])
def test_actief_parsing(tmp_path, buurten, cell, expected):
    text = f"id;naam;actief;buurtcode\n1;Club;{cell};BU09990101\n"
    f = Findings()
    out = associations.load_associations(write(tmp_path / "a.csv", text), buurten, f, 2025)
    assert out["actief"].tolist() == [expected]
    assert out["actief"].dtype == bool
    assert not f.warnings


def test_actief_unknown_word_is_reported(tmp_path, buurten):
    f = Findings()
    out = associations.load_associations(
        write(tmp_path / "a.csv", "id;naam;actief;buurtcode\n1;Club;misschien;BU09990101\n"), buurten, f, 2025)
    assert out["actief"].tolist() == [True]
    assert [(x.row, x.column) for x in f.warnings] == [(2, "actief")]
    assert "'misschien' is geen ja of nee" in f.warnings[0].problem


def test_duplicate_ids_are_an_error_with_both_rows(tmp_path, buurten):
    text = ("id;naam;buurtcode\n"
            "7;Eerste;BU09990101\n"
            "8;Ander;BU09990101\n"
            "7.0;Tweede;BU09990101\n")  # 7.0 from Excel is the same id
    with pytest.raises(DatasetError) as err:
        associations.load_associations(write(tmp_path / "d.csv", text), buurten, Findings(), 2025)
    dup = err.value.findings.errors
    assert sorted(x.row for x in dup) == [2, 4]
    assert all(x.column == "id" and "'7' komt vaker voor" in x.problem for x in dup)


def test_same_id_in_another_year_is_allowed(tmp_path, buurten):
    text = "id;naam;jaar;buurtcode\n7;Club;2023;BU09990101\n7;Club;2025;BU09990101\n"
    out = associations.load_associations(write(tmp_path / "j.csv", text), buurten, Findings(), 2025)
    assert out["jaar"].tolist() == [2023, 2025]


def test_unknown_buurtcode_and_bad_member_counts(tmp_path, buurten):
    text = ("id;naam;leden;buurtcode\n"
            "1;A;12,5;BU09990199\n"
            "2;B;-3;BU09990101\n"
            "3;C;1.200;BU09990101\n")
    f = Findings()
    out = associations.load_associations(write(tmp_path / "b.csv", text), buurten, f, 2025)
    assert [(x.row, x.column) for x in f.warnings if "staat niet in de buurten" in x.problem] == [(2, "buurtcode")]
    assert math.isnan(out.loc[0, "leden"]) and math.isnan(out.loc[1, "leden"])
    assert sorted(x.row for x in f.warnings if x.column == "leden") == [2, 3]
    assert out.loc[2, "leden"] == 1200.0  # a Dutch column: the dot groups thousands
    assert pd.isna(out.loc[0, "buurtcode"])  # the unknown code is not kept


def test_required_columns(tmp_path, buurten):
    with pytest.raises(DatasetError) as err:
        associations.load_associations(write(tmp_path / "g.csv", "naam;buurtcode\nA;BU09990101\n"),
                                       buurten, Findings(), 2025)
    finding = err.value.findings.items[0]
    assert (finding.file, finding.row, finding.column) == ("g.csv", 1, "id")
    with pytest.raises(DatasetError, match="geen locatie"):
        associations.load_associations(write(tmp_path / "h.csv", "id;naam\n1;A\n"), buurten, Findings(), 2025)


def test_rows_without_id_are_skipped_with_their_row(tmp_path, buurten):
    f = Findings()
    out = associations.load_associations(
        write(tmp_path / "i.csv", "id;naam;buurtcode\n1;A;BU09990101\n;B;BU09990101\n"), buurten, f, 2025)
    assert out["naam"].tolist() == ["A"]
    assert [(x.row, x.column) for x in f.warnings] == [(3, "id")]


# ------------------------------------------------------------------------------------------
# ties
# ------------------------------------------------------------------------------------------

@pytest.fixture()
def members() -> pd.DataFrame:
    return pd.DataFrame({"id": ["1", "2", "3"]})


def test_ties_default_weight_and_kinds(tmp_path, members):
    text = ("van;naar;soort;gewicht\n"
            "1;2;gedeelde_leden;3\n"
            "2;3;Samenwerking;\n"
            "1.0;3;gedeeld_bestuur;0,5\n")
    f = Findings()
    ties = associations.load_ties(write(tmp_path / "banden.csv", text), members, f, 2025)
    assert list(ties.columns) == list(TIE_COLUMNS)
    assert ties["van"].tolist() == ["1", "2", "1"] and ties["naar"].tolist() == ["2", "3", "3"]
    assert ties["gewicht"].tolist() == [3.0, 1.0, 0.5]
    assert ties["soort"].tolist() == ["gedeelde_leden", "samenwerking", "gedeeld_bestuur"]
    assert ties["jaar"].tolist() == [2025, 2025, 2025]
    assert not f.warnings


def test_ties_without_weight_column_weigh_one(tmp_path, members):
    ties = associations.load_ties(write(tmp_path / "b.csv", "van,naar\n1,2\n"), members, Findings(), 2025)
    assert ties["gewicht"].tolist() == [1.0] and ties["gewicht"].dtype == "float64"


def test_ties_to_unknown_ids_are_reported_with_rows(tmp_path, members):
    text = ("van;naar\n"
            "1;2\n"
            "1;99\n"
            "42;3\n"
            "2;2\n"
            ";3\n"
            "3;\n")
    f = Findings()
    ties = associations.load_ties(write(tmp_path / "banden.csv", text), members, f, 2025)
    assert list(zip(ties["van"], ties["naar"])) == [("1", "2")]
    unknown = [(x.row, x.column) for x in f.warnings if "bestaat niet" in x.problem]
    assert sorted(unknown) == [(3, "naar"), (4, "van")]
    assert any("'99' bestaat niet" in x.problem for x in f.warnings)
    assert [x.row for x in f.warnings if "naar zichzelf" in x.problem] == [5]
    empty = sorted((x.row, x.column) for x in f.warnings if "is leeg" in x.problem)
    assert empty == [(6, "van"), (7, "naar")]


def test_ties_with_bad_weights(tmp_path, members):
    f = Findings()
    ties = associations.load_ties(write(tmp_path / "w.csv", "van;naar;gewicht\n1;2;0\n2;3;-1\n1;3;2\n"),
                                  members, f, 2025)
    assert ties["gewicht"].tolist() == [2.0]
    assert sorted(x.row for x in f.warnings if x.column == "gewicht") == [2, 3]


def test_ties_need_van_and_naar(tmp_path, members):
    with pytest.raises(DatasetError) as err:
        associations.load_ties(write(tmp_path / "x.csv", "van;doel_id\n1;2\n"), members, Findings(), 2025)
    assert err.value.findings.items[0].column == "naar"


def test_ties_without_id_check(tmp_path):
    ties = associations.load_ties(write(tmp_path / "y.csv", "van;naar\nA;B\n"), None, Findings(), 2025,
                                  check_ids=False)
    assert ties[["van", "naar"]].values.tolist() == [["A", "B"]]


def test_the_same_tie_twice_is_named_with_both_rows(tmp_path, members):
    text = ("van;naar;soort;gewicht\n"
            "1;2;samenwerking;1\n"          # row 2
            "2;3;samenwerking;1\n"          # row 3
            "2;1;samenwerking;4\n"          # row 4: row 2 again, the other way round
            "1;2;gedeelde_leden;1\n"        # row 5: another kind of tie between the same pair: kept
            "2;3;samenwerking;1\n")         # row 6: row 3 again
    f = Findings()
    ties = associations.load_ties(write(tmp_path / "banden.csv", text), members, f, 2025)
    assert list(zip(ties["van"], ties["naar"], ties["soort"])) == [
        ("1", "2", "samenwerking"), ("2", "3", "samenwerking"), ("1", "2", "gedeelde_leden")]
    repeats = {x.row: x.problem for x in f.warnings if "dezelfde band" in x.problem}
    assert set(repeats) == {4, 6}
    assert "als in rij 2" in repeats[4] and "als in rij 3" in repeats[6]
    assert all("overgeslagen" in p for p in repeats.values())


def test_a_tie_weight_that_is_no_finite_number_skips_the_tie(tmp_path, members):
    text = "van;naar;gewicht\n1;2;inf\n2;3;NaN\n1;3;veel\n3;1;\n"
    f = Findings()
    ties = associations.load_ties(write(tmp_path / "banden.csv", text), members, f, 2025)
    assert list(zip(ties["van"], ties["naar"], ties["gewicht"])) == [("3", "1", 1.0)]   # empty: weight 1
    named = {x.row: x.problem for x in f.warnings if x.column == "gewicht"}
    assert set(named) == {2, 3, 4}
    assert "'inf' is geen eindig getal" in named[2] and "overgeslagen" in named[2]


def test_an_unreadable_year_skips_the_association_instead_of_clashing(tmp_path, buurten):
    text = ("id;naam;buurtcode;jaar\n"
            "V1;Voetbal;BU09990101;2025\n"
            "V1;Voetbal;BU09990101;twintig\n")   # under the default year 2025 this would be 'V1 twice in 2025'
    f = Findings()
    out = associations.load_associations(write(tmp_path / "v.csv", text), buurten, f, 2025)
    assert out["id"].tolist() == ["V1"] and not f.has_errors
    [warning] = [x for x in f.warnings if x.column == "jaar"]
    assert warning.row == 3 and "'twintig' is geen geldig jaar; de rij wordt overgeslagen" in warning.problem
