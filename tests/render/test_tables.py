"""Tests for analysis.render.tables: CSV dialects, neutralising by what Excel does, readable rounding, the demo marker."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest

from analysis.compute import indicators
from analysis.errors import DatasetError
from analysis.formatting import round_for_unit
from analysis.render import tables
from tests.render.exportdata import BASELINE, FORMULA, YEAR, hand_table, make_dataset


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)


# ----------------------------------------------------------------------------------------------
# Neutralising: by what a spreadsheet will do with the cell
# ----------------------------------------------------------------------------------------------

#: Text -> what Excel does with it. Formulas (or formula errors) must be neutralised; plain numbers and
#: texts that start with no formula character are left as they are.
EXCEL_READS: list[tuple[str, bool]] = [
    ("=1", True), ("=HYPERLINK(\"http://x\")", True), ("@x", True), ("@SUM(A1:A2)", True),
    ("\t=1", True), ("\r=1", True), ("-inf", True), ("+inf", True), ("-nan", True), ("-Infinity", True),
    ("-1_000", True), ("-١٢", True), ("-3 ", True), ("-", True), ("+", True), ("+31 6 1234", True),
    ("-bad", True), ("-1,234.5", True), ("-5%", True), ("--1", True), ("-0x1A", True), ("+A1", True),
    ("-12", False), ("+1", False), ("+1,5", False), ("-1.5", False), ("-.5", False), ("-5.", False),
    ("-1e5", False), ("+2E-3", False), ("1e5", False), ("nan", False), ("inf", False), ("Normaal", False),
    (" =1", False), ("", False), ("'=1", False),
]


@pytest.mark.parametrize("text, formula", EXCEL_READS)
def test_formula_risk_follows_excel_not_python(text, formula):
    assert tables.is_formula_risk(text) is formula
    assert tables.neutralise(text) == ("'" + text if formula else text)


def test_the_frame_and_the_cell_rule_agree():
    names = [t for t, _ in EXCEL_READS]
    frame = pd.DataFrame({"naam": names, "getal": np.arange(len(names), dtype=float)})
    out = tables.neutralise_frame(frame)
    assert out["naam"].tolist() == [tables.neutralise(t) for t in names]
    assert out["getal"].tolist() == frame["getal"].tolist()


def test_csv_reads_back_with_every_risk_neutralised():
    names = [t for t, _ in EXCEL_READS]
    frame = pd.DataFrame({"naam": names})
    for dialect, sep in (("standaard", ","), ("excel-nl", ";")):
        text = tables.csv_bytes(frame, dialect).decode("utf-8-sig")
        cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep)][1:]
        assert cells == [tables.neutralise(t) for t in names]
        assert not any(tables.is_formula_risk(cell) for cell in cells)


def test_column_names_and_infinite_numbers_are_made_safe():
    frame = pd.DataFrame({"=cmd": ["a"], "x": [-np.inf], "y": [np.inf], "n": pd.array([3], dtype="Int64")})
    text = tables.csv_bytes(frame, "excel-nl").decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header == ["'=cmd", "x", "y", "n"]
    assert row == ["a", "", "", "3"]
    assert "inf" not in text


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    frame = pd.DataFrame({
        "naam": [FORMULA, "+31 6 1234", "-bad", "@SUM(A1:A2)", "\tx", "\rx", "Normaal", "-12", "+1,5"],
        "getal": [-5.5, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    for dialect, sep, decimal in (("standaard", ",", "."), ("excel-nl", ";", ",")):
        back = pd.read_csv(io.BytesIO(tables.csv_bytes(frame, dialect)), sep=sep, decimal=decimal,
                           encoding="utf-8-sig", dtype={"naam": str}, keep_default_na=False)
        assert back["naam"].tolist() == ["'" + FORMULA, "'+31 6 1234", "'-bad", "'@SUM(A1:A2)", "'\tx", "'\rx",
                                         "Normaal", "-12", "+1,5"]
        assert back["getal"].tolist() == [-5.5, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert tables.neutralise(-3) == -3 and tables.neutralise("=1+1") == "'=1+1"


# ----------------------------------------------------------------------------------------------
# Dialects
# ----------------------------------------------------------------------------------------------

def test_csv_standard_dialect_round_trip():
    frame = hand_table()
    data = tables.csv_bytes(frame, "standaard")
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
    data = tables.csv_bytes(frame, "excel-nl")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].split(b"\r\n")
    assert lines[0].startswith(b"gebiedscode;gebiedsnaam;niveau;jaar;indicator;waarde")
    assert b";-3,25;" in data and b";1234,5;" in data   # decimal comma, no thousands separator
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_allclose(back["waarde"].to_numpy(float), [-3.25, 1234.5, 98.125, np.nan])
    np.testing.assert_allclose(back["ci_hoog"].to_numpy(float), [np.nan, 1239.0, np.nan, np.nan])


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="excel-nl"):
        tables.csv_bytes(hand_table(), "excel")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Readable tables and the fictional marker
# ----------------------------------------------------------------------------------------------

def test_readable_frame_rounds_each_row_to_its_unit():
    frame = pd.DataFrame({"eenheid": ["%", "score 0-10", "verhouding 0-1", "waarde", "index (100 = gemiddelde)"],
                          "waarde": [12.5, 6.449, 0.12345, 1.23456, 98.5],
                          "ci_laag": [10.25, 6.04, np.nan, np.nan, np.inf]})
    out = tables.readable_frame(frame)
    assert out["waarde"].tolist() == [12.0, 6.4, 0.12, 1.23456, 98.0]   # numpy rounds halves to even
    assert out["ci_laag"].tolist()[:2] == [10.0, 6.0] and np.isnan(out["ci_laag"].tolist()[4])
    assert frame["waarde"].tolist()[0] == 12.5                            # the input is left alone


def test_readable_frame_rounds_wide_columns_by_the_registry():
    from analysis.registry import REGISTRY

    frame = pd.DataFrame({"gebiedscode": ["A"], "eenzaam_pct": [12.345], "cohesie_score": [6.789], "eigen": [1.2345]})
    out = tables.readable_frame(frame, REGISTRY)
    assert out.iloc[0].tolist() == ["A", 12.0, 6.8, 1.2345]


def test_demo_tables_carry_the_fictional_column_first():
    frame = pd.DataFrame({"a": [1, 2]})
    marked = tables.mark_fictional(frame, True)
    assert list(marked.columns) == ["fictief", "a"] and marked["fictief"].tolist() == ["ja", "ja"]
    assert tables.mark_fictional(frame, False) is frame
    assert list(tables.mark_fictional(marked, True).columns) == ["fictief", "a"]


# ----------------------------------------------------------------------------------------------
# The profile CSV
# ----------------------------------------------------------------------------------------------

def test_profile_csv_tidy_equals_the_indicator_table_and_readable_is_rounded(ds, table):
    code = "WK099901"
    expected = table[(table["gebiedscode"] == code) & (table["niveau"] == "wijk")]
    assert len(expected) > 20 and set(expected["jaar"]) == {BASELINE, YEAR}
    tidy = pd.read_csv(io.BytesIO(tables.profile_csv(ds, table, code, "standaard")))
    readable = pd.read_csv(io.BytesIO(tables.profile_csv(ds, table, code, "excel-nl")), sep=";", decimal=",",
                           encoding="utf-8-sig")
    for back in (tidy, readable):
        assert list(back.columns) == ["fictief", *indicators.TABLE_COLUMNS]
        assert set(back["fictief"]) == {"ja"} and len(back) == len(expected)
    merged = tidy.merge(expected, on=["jaar", "indicator"], suffixes=("_csv", "_tabel"))
    assert len(merged) == len(expected)
    for column in ("waarde", "ci_laag"):
        np.testing.assert_allclose(merged[f"{column}_csv"].to_numpy(float), merged[f"{column}_tabel"].to_numpy(float),
                                   rtol=0, atol=0, equal_nan=True)
    assert (merged["onderdrukt_csv"] == merged["onderdrukt_tabel"]).all()
    merged = readable.merge(expected, on=["jaar", "indicator"], suffixes=("_csv", "_tabel"))
    for unit, rows in merged.groupby("eenheid_tabel"):
        np.testing.assert_allclose(rows["waarde_csv"].to_numpy(float),
                                   round_for_unit(rows["waarde_tabel"], str(unit)).to_numpy(float),
                                   rtol=0, atol=1e-9, equal_nan=True)
    coverage = merged[merged["eenheid_tabel"] == "%"]["waarde_csv"].dropna()
    assert len(coverage) and (coverage == coverage.round()).all()
    assert not (merged["waarde_tabel"].dropna() == merged["waarde_tabel"].dropna().round(2)).all()


def test_profile_csv_of_real_data_has_no_fictional_column(table):
    back = pd.read_csv(io.BytesIO(tables.profile_csv(make_dataset(is_demo=False), table, "WK099901")))
    assert list(back.columns) == list(indicators.TABLE_COLUMNS)


def test_profile_csv_neutralises_a_formula_wijk_name(ds, table):
    data = tables.profile_csv(ds, table, "WK099902", "excel-nl").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    names = {row[2] for row in rows[1:]}
    assert names == {"'" + FORMULA}
    assert not any(tables.is_formula_risk(cell) for row in rows for cell in row)


def test_unknown_wijk_is_a_dutch_dataset_error(ds, table):
    with pytest.raises(DatasetError, match="WK000000.*bestaat niet"):
        tables.profile_csv(ds, table, "WK000000")


# ----------------------------------------------------------------------------------------------
# Wide tables
# ----------------------------------------------------------------------------------------------

def test_wide_indicators_empty_where_suppressed(ds, table):
    values, suppressed = tables.wide_indicators(table, "wijk", YEAR, ds.registry)
    assert values.shape == suppressed.shape and sorted(values.index) == ["WK099901", "WK099902", "WK099903"]
    rows = table[(table["niveau"] == "wijk") & (table["jaar"] == YEAR)]
    hidden = rows[rows["onderdrukt"] == 1]
    assert len(hidden)
    for row in hidden.itertuples():
        assert suppressed.loc[row.gebiedscode, row.indicator]
        assert math.isnan(values.loc[row.gebiedscode, row.indicator])
    shown = rows[rows["onderdrukt"] == 0].dropna(subset=["waarde"]).iloc[0]
    assert values.loc[shown["gebiedscode"], shown["indicator"]] == shown["waarde"]
    assert not suppressed.loc[shown["gebiedscode"], shown["indicator"]]
    keys = list(values.columns)
    assert keys == [k for k in ds.registry if k in keys]
