"""Tests for analysis.load.monitor: the Zwolle buurtmonitor read as aggregated survey indicators."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import areas, monitor
from analysis.model import AREA_SURVEY_COLUMNS, CRS_RD
from tests.paths import ZWOLLE

MONITOR = ZWOLLE / "zwolle_buurtmonitor_indicatoren.csv"
SPEC = {"bestand": "zwolle_buurtmonitor_indicatoren.csv", "codekolom": "BU_CODE", "jaar": 2014,
        "indicatoren": {"b_scoh": "cohesie_score", "b_sceenz": "eenzaam_pct", "b_mivrij": "vrijwilliger_pct"}}


@pytest.fixture(scope="module")
def zwolle_areas():
    buurten, wijken, _ = areas.load_areas(ZWOLLE / "zwolle_buurten_2015.geojson", Findings())
    return buurten, wijken


@pytest.fixture()
def small_areas():
    buurten = gpd.GeoDataFrame({"gebiedscode": ["BU09990101", "BU09990102"]},
                               geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=CRS_RD)
    wijken = gpd.GeoDataFrame({"gebiedscode": ["WK099901"]}, geometry=[box(0, 0, 2, 1)], crs=CRS_RD)
    return buurten, wijken


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_zwolle_monitor_as_aggregated_survey_indicators(zwolle_areas):
    f = Findings()
    everything = monitor.load_area_survey(MONITOR, SPEC, zwolle_areas, f, 2025)
    assert list(everything.columns) == list(AREA_SURVEY_COLUMNS)
    table = everything[everything["niveau"] == "buurt"]  # the wijk and gemeente rows are derived (tested below)
    assert len(table) == 3 * 78
    assert set(table["indicator"]) == {"cohesie_score", "eenzaam_pct", "vrijwilliger_pct"}
    assert set(everything["niveau"]) == {"buurt", "wijk", "gemeente"}
    assert (table["jaar"] == 2014).all()  # the manifest entry's year, not the dataset's
    assert (table["bron"] == "zwolle_buurtmonitor_indicatoren.csv").all()
    assert table["n"].isna().all()  # the monitor gives no n
    values = table.set_index(["gebiedscode", "indicator"])["waarde"]
    # first rows of the file: Binnenstad-Zuid b_scoh 4.9827, b_sceenz 3.3338, b_mivrij 67.3449
    assert values["BU01931000", "cohesie_score"] == pytest.approx(4.9827)
    assert values["BU01931000", "eenzaam_pct"] == pytest.approx(3.3338)
    assert values["BU01931000", "vrijwilliger_pct"] == pytest.approx(67.3449)
    assert values["BU01935160", "vrijwilliger_pct"] == 100.0
    # 'NA' for four small buurten: missing, without a warning
    cohesion = table[table["indicator"] == "cohesie_score"]
    assert sorted(cohesion.loc[cohesion["waarde"].isna(), "gebiedscode"]) == [
        "BU01932010", "BU01932130", "BU01932140", "BU01932250"]
    assert not f.warnings and not f.has_errors
    assert set(table["gebiedscode"]) == set(zwolle_areas[0]["gebiedscode"])


def test_zwolle_monitor_unknown_area_codes_are_reported(zwolle_areas):
    buurten, wijken = zwolle_areas
    fewer = buurten[buurten["gebiedscode"] != "BU01931010"]  # Binnenstad-Noord, spreadsheet row 3
    f = Findings()
    table = monitor.load_area_survey(MONITOR, SPEC, (fewer, wijken), f, 2025)
    assert "BU01931010" not in set(table["gebiedscode"])
    assert (table["niveau"] == "buurt").sum() == 3 * 77
    [finding] = f.warnings
    assert (finding.file, finding.row, finding.column) == ("zwolle_buurtmonitor_indicatoren.csv", 3, "BU_CODE")
    assert "'BU01931010' staat niet in de buurten of wijken" in finding.problem


def test_code_column_found_by_meaning_and_file_year_column(tmp_path, small_areas):
    text = ("gebiedscode;jaar;samenhang;n_resp\n"
            "BU09990101;2023;6,5;40\n"
            "WK099901;2023;-99999999;120\n"
            "BU09990101;2025;x;41\n")
    spec = {"indicatoren": {"samenhang": "cohesie_score"}, "nkolom": "n_resp"}
    f = Findings()
    table = monitor.load_area_survey(write(tmp_path / "m.csv", text), spec, small_areas, f, 2025)
    assert table["gebiedscode"].tolist() == ["BU09990101", "WK099901", "BU09990101"]
    assert table["niveau"].tolist() == ["buurt", "wijk", "buurt"]
    assert table["jaar"].tolist() == [2023, 2023, 2025]
    assert table["waarde"].iloc[0] == 6.5
    assert math.isnan(table["waarde"].iloc[1]) and math.isnan(table["waarde"].iloc[2])
    assert table["n"].tolist() == [40.0, 120.0, 41.0]
    assert table["bron"].tolist() == ["m.csv"] * 3
    assert not f.warnings


def test_bad_and_unknown_codes_and_duplicates(tmp_path, small_areas):
    text = ("BU_CODE;score\n"
            "BU09990101;7\n"
            "BU09990199;6\n"
            "Centrum;5\n"
            ";4\n"
            "BU09990101;3\n")
    f = Findings()
    table = monitor.load_area_survey(write(tmp_path / "d.csv", text), {"indicatoren": {"score": "cohesie_score"}},
                                     small_areas, f, 2025)
    assert table["waarde"].tolist() == [7.0]
    by_row = {x.row: x.problem for x in f.warnings}
    assert sorted(by_row) == [3, 4, 5, 6]
    assert "staat niet in de buurten" in by_row[3]
    assert "'CENTRUM' is geen buurt-, wijk- of gemeentecode" in by_row[4]
    assert "leeg" in by_row[5]
    assert "komt vaker voor" in by_row[6]


def test_computed_indicator_is_skipped_and_own_key_noted(tmp_path, small_areas):
    text = "BU_CODE;a;b;c\nBU09990101;1;2;3\n"
    spec = {"indicatoren": {"a": "cohesie_score", "b": "ontmoeting_dekking_pct", "c": "buurtapp_pct"}}
    f = Findings()
    table = monitor.load_area_survey(write(tmp_path / "k.csv", text), spec, small_areas, f, 2025)
    assert sorted(table["indicator"]) == ["buurtapp_pct", "cohesie_score"]
    assert [x.file for x in f.warnings] == ["dataset.toml"]
    assert "'ontmoeting_dekking_pct' is een berekende indicator" in f.warnings[0].problem
    assert any(x.level == "info" and "buurtapp_pct" in x.problem for x in f)


@pytest.mark.parametrize("spec, column, words", [
    ({"codekolom": "BUURT", "indicatoren": {"a": "cohesie_score"}}, "BUURT", "codekolom"),
    ({"indicatoren": {"zz": "cohesie_score"}}, "zz", "ontbreken in het bestand"),
    ({"indicatoren": {"a": "cohesie_score"}, "nkolom": "aantal"}, "aantal", "nkolom"),
])
def test_missing_columns_are_errors_naming_the_column(tmp_path, small_areas, spec, column, words):
    with pytest.raises(DatasetError) as err:
        monitor.load_area_survey(write(tmp_path / "e.csv", "BU_CODE;a\nBU09990101;1\n"), spec, small_areas,
                                 Findings(), 2025)
    finding = err.value.findings.items[0]
    assert finding.column == column and finding.row == 1 and finding.file == "e.csv"
    assert words in finding.problem


@pytest.mark.parametrize("spec", [{}, {"indicatoren": {}}, {"indicatoren": {"a": 3}},
                                  {"indicatoren": {"a": "Cohesie Score"}}])
def test_bad_manifest_entries(tmp_path, small_areas, spec):
    with pytest.raises(DatasetError) as err:
        monitor.load_area_survey(write(tmp_path / "f.csv", "BU_CODE;a\nBU09990101;1\n"), spec, small_areas,
                                 Findings(), 2025)
    assert err.value.findings.items[0].file == "dataset.toml"


def test_without_areas_codes_are_not_checked(tmp_path):
    table = monitor.load_area_survey(write(tmp_path / "g.csv", "BU_CODE;a\nBU01231234;1\n"),
                                     {"indicatoren": {"a": "cohesie_score"}}, None, Findings(), 2025)
    assert table["gebiedscode"].tolist() == ["BU01231234"]


# ------------------------------------------------------------------------------------------
# Roll-up: wijk and gemeente figures from buurt figures
# ------------------------------------------------------------------------------------------

#: code, inhabitants; three wijken of gemeente GM0999.
ROLLUP_BUURTEN = (("BU09990101", 100), ("BU09990102", 300), ("BU09990201", 200), ("BU09990202", 0),
                  ("BU09990301", 50), ("BU09990302", 80))


@pytest.fixture()
def rollup_areas():
    codes = [c for c, _ in ROLLUP_BUURTEN]
    buurten = gpd.GeoDataFrame({"gebiedscode": codes, "wijkcode": ["WK" + c[2:8] for c in codes],
                                "gemeentecode": "GM0999", "inwoners": [float(i) for _, i in ROLLUP_BUURTEN]},
                               geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))], crs=CRS_RD)
    return (buurten,)


def _rolled(table):
    parents = table[table["niveau"] != "buurt"].set_index("gebiedscode")
    return parents["waarde"], parents["n"], parents["bron"]


def test_wijken_derived_as_inhabitant_weighted_means(tmp_path, rollup_areas):
    text = ("BU_CODE;s\nBU09990101;6\nBU09990102;8\nBU09990201;5\nBU09990202;\nBU09990301;4\nBU09990302;NA\n")
    f = Findings()
    table = monitor.load_area_survey(write(tmp_path / "m.csv", text), {"indicatoren": {"s": "cohesie_score"}},
                                     rollup_areas, f, 2025)
    value, n, bron = _rolled(table)
    assert value["WK099901"] == pytest.approx((6 * 100 + 8 * 300) / 400)   # 7.5, not the plain mean 7
    assert value["WK099902"] == pytest.approx(5.0)                          # a buurt without inhabitants does not count
    assert math.isnan(value["WK099903"])                                    # BU09990302 (80 inhabitants) has no value
    assert "niet afgeleid" in bron["WK099903"] and "BU09990302" in bron["WK099903"]
    assert math.isnan(value["GM0999"]) and "BU09990302" in bron["GM0999"]
    assert "afgeleid uit buurtcijfers" in bron["WK099901"] and "inwoners" in bron["WK099901"]
    assert n.isna().all()
    [info] = [x for x in f if "afgeleid uit buurtcijfers" in x.problem]
    assert "2 van de 3 wijken hebben een cijfer" in info.problem and "WK099903" in info.problem


def test_figures_with_their_own_n_are_combined_by_n(tmp_path, rollup_areas):
    text = ("BU_CODE;s;n\nBU09990101;6;40\nBU09990102;8;60\nBU09990201;5;50\nBU09990202;;\n"
            "BU09990301;4;12\nBU09990302;6;90\n")
    table = monitor.load_area_survey(write(tmp_path / "m.csv", text),
                                     {"indicatoren": {"s": "cohesie_score"}, "nkolom": "n"}, rollup_areas, Findings(), 2025)
    value, n, bron = _rolled(table)
    assert value["WK099901"] == pytest.approx((6 * 40 + 8 * 60) / 100) and n["WK099901"] == 100  # 7.2, by n
    assert "aantal respondenten" in bron["WK099901"]
    # 12 respondents in BU09990301: the wijk figure and n would give that hidden buurt away by subtraction
    assert math.isnan(value["WK099903"]) and "minder dan 30 respondenten" in bron["WK099903"]


def test_the_population_of_the_monitor_year_weighs(tmp_path, rollup_areas):
    figures = pd.DataFrame({"gebiedscode": ["BU09990101", "BU09990102"], "niveau": "buurt", "jaar": 2023,
                            "inwoners": [300.0, 100.0], "bron": "k.csv"})
    text = "BU_CODE;s;jaar\nBU09990101;6;2023\nBU09990102;8;2023\n"
    table = monitor.load_area_survey(write(tmp_path / "m.csv", text), {"indicatoren": {"s": "cohesie_score"}},
                                     rollup_areas, Findings(), 2025, figures=figures)
    value, _, bron = _rolled(table)
    assert value["WK099901"] == pytest.approx((6 * 300 + 8 * 100) / 400)   # 2023's inhabitants, not the base year's
    assert "inwoners 2023" in bron["WK099901"]


def test_a_monitor_with_wijk_figures_of_its_own_is_not_rolled_up(tmp_path, rollup_areas):
    text = "code;s\nBU09990101;6\nBU09990102;8\nWK099901;9\n"
    table = monitor.load_area_survey(write(tmp_path / "m.csv", text), {"indicatoren": {"s": "cohesie_score"}},
                                     rollup_areas, Findings(), 2025)
    assert table.loc[table["niveau"] == "wijk", "waarde"].tolist() == [9.0]
    assert "afgeleid" not in " ".join(table["bron"])


def test_zwolle_wijken_get_cohesion_from_the_buurten(zwolle_areas):
    buurten, wijken = zwolle_areas
    f = Findings()
    table = monitor.load_area_survey(MONITOR, SPEC, zwolle_areas, f, 2025)
    cohesion = table[(table["indicator"] == "cohesie_score")]
    per_wijk = cohesion[cohesion["niveau"] == "wijk"].set_index("gebiedscode")
    assert set(per_wijk.index) == set(wijken["gebiedscode"])
    assert per_wijk["waarde"].notna().sum() == 15
    # Voorst (WK019321): two buurten with inhabitants have 'NA' in the monitor
    assert math.isnan(per_wijk.loc["WK019321", "waarde"])
    assert "BU01932130" in per_wijk.loc["WK019321", "bron"] and "BU01932140" in per_wijk.loc["WK019321", "bron"]
    # one wijk checked by hand: the inhabitant-weighted mean of its buurten
    b = cohesion[cohesion["niveau"] == "buurt"].set_index("gebiedscode")["waarde"]
    members = buurten[buurten["wijkcode"] == "WK019310"].set_index("gebiedscode")["inwoners"]
    expected = (b.reindex(members.index) * members).sum() / members.sum()
    assert per_wijk.loc["WK019310", "waarde"] == pytest.approx(expected)
    assert per_wijk["waarde"].min() > 0 and per_wijk["waarde"].max() < 10
