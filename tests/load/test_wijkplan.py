"""Tests for analysis.load.wijkplan: plan.csv and maatregelen.csv, with findings that name the row."""

from __future__ import annotations

import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import wijkplan

AREAS = ["WK999901", "WK999902", "BU99990101", "GM9999"]
KEYS = ["cohesie_score", "eenzaam_pct"]


def test_plan_rows_load_and_bad_rows_are_named(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("gebiedscode;indicator;basisjaar;streefwaarde;streefjaar;reden\n"
                    "WK999901;cohesie_score;2023;6,5;2025;samenhang omhoog\n"
                    "WK000000;cohesie_score;2023;6,5;2025;onbekende wijk\n"
                    "wk999902;eenzaam_pct;2023;30;;minder eenzaamheid\n"
                    "WK999902;bestaat_niet;2023;1;2025;x\n", encoding="utf-8")
    f = Findings()
    plan = wijkplan.load_plan(path, AREAS, KEYS, f)
    assert list(plan["gebiedscode"]) == ["WK999901", "WK999902"]
    assert plan.loc[0, "streefwaarde"] == 6.5 and plan.loc[1, "streefjaar"] == 2023
    rows = {(w.row, w.column) for w in f.warnings}
    assert (3, "gebiedscode") in rows and (5, "indicator") in rows
    assert list(wijkplan.plan_csv(plan).columns) == list(wijkplan.PLAN_COLUMNS)


def test_measures_need_a_known_component_and_a_date(tmp_path):
    path = tmp_path / "maatregelen.csv"
    path.write_text("id,naam,component,gebiedscode,startdatum,einddatum,budget,omschrijving\n"
                    "M1,Buurtkamer,ontmoeting,WK999901,1-3-2024,,25000,Een buurtkamer in de school\n"
                    "M2,Iets,onbekend,WK999901,2024-01-01,,,\n"
                    "M3,Later,sport,WK999902,geen datum,,,\n", encoding="utf-8")
    f = Findings()
    m = wijkplan.load_measures(path, AREAS, f)
    assert list(m["id"]) == ["M1"] and m.loc[0, "startjaar"] == 2024 and m.loc[0, "budget"] == 25000
    assert {(w.row, w.column) for w in f.warnings} >= {(3, "component"), (4, "startdatum")}
    back = wijkplan.measures_csv(m)
    assert back.loc[0, "startdatum"] == "2024-03-01"


def test_a_missing_column_is_a_dutch_error(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("gebiedscode,indicator\nWK999901,cohesie_score\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="de kolom 'basisjaar' ontbreekt"):
        wijkplan.load_plan(path, AREAS, KEYS, Findings())
