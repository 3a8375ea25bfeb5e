"""Tests for analysis.load.wijkplan_draft: typed plan lines and measures become valid frames with Dutch findings, and
what the plan page downloads loads back through the loaders unchanged."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from analysis.findings import Findings
from analysis.load import wijkplan
from analysis.load import wijkplan_draft as draft
from analysis.render.tables import csv_bytes

AREAS = {"GM9999", "WK999901", "BU99990101"}
KEYS = ["cohesie_score", "eenzaam_pct", "respondenten_aantal", "inwoners"]


def _table() -> pd.DataFrame:
    rows = [("WK999901", "cohesie_score", 2023, 6.2, 6.0, 6.4), ("WK999901", "cohesie_score", 2025, 6.6, 6.4, 6.8),
            ("WK999901", "respondenten_aantal", 2023, 120, np.nan, np.nan),
            ("WK999901", "eenzaam_pct", 2023, 40.0, np.nan, np.nan), ("WK999901", "eenzaam_pct", 2024, 41.0, 38, 44)]
    table = pd.DataFrame(rows, columns=["gebiedscode", "indicator", "jaar", "waarde", "ci_laag", "ci_hoog"])
    table["niveau"] = "wijk"
    table["onderdrukt"] = [0, 0, 0, 1, 0]
    return table


def test_targets_are_measured_indicators_but_never_the_response_count_or_a_context_figure():
    from analysis.registry import REGISTRY

    keys = draft.target_indicators(REGISTRY, _table(), "WK999901")
    assert keys == ["eenzaam_pct", "cohesie_score"]  # both survey figures, by label; suppressed 2023 not counted
    assert draft.measured_years(_table(), "WK999901", "eenzaam_pct") == [2024]
    base = draft.baseline(_table(), "WK999901", "cohesie_score", 2023)
    assert (base.value, base.low, base.high, base.has_margin) == (6.2, 6.0, 6.4, True)
    assert draft.baseline(_table(), "WK999901", "eenzaam_pct", 2023) is None


def test_typed_numbers_read_the_dutch_way():
    values = pd.Series(["6,9", "6.9", "1.250", "12.500.000", "−3,5", 1.125, None, "zes", "1.234,5"], dtype=object)
    got = draft.typed_numbers(values).tolist()
    assert got[:6] == [6.9, 6.9, 1250.0, 12_500_000.0, -3.5, 1.125]
    assert np.isnan(got[6]) and np.isnan(got[7]) and got[8] == 1234.5


def test_check_plan_names_file_row_and_column_and_keeps_only_valid_lines():
    rows = pd.DataFrame([
        {"gebiedscode": "wk999901", "indicator": "cohesie_score", "basisjaar": "2023", "streefwaarde": "6,8",
         "streefjaar": 2027, "reden": "  Bewoners\nkennen elkaar weinig. "},
        {"gebiedscode": "WK000000", "indicator": "cohesie_score", "basisjaar": 2023, "streefwaarde": 7},
        {"gebiedscode": "WK999901", "indicator": "eenzaam_pct", "basisjaar": 2024, "streefwaarde": None,
         "streefjaar": 2020},
        {"gebiedscode": "GM9999", "indicator": "eenzaam_pct", "basisjaar": 2023, "streefwaarde": 30, "reden": "x" * 301},
    ])
    plan, findings = draft.check_plan(rows, AREAS, KEYS)
    assert list(plan["gebiedscode"]) == ["WK999901", "GM9999"]
    first = plan.iloc[0]
    assert (first["streefwaarde"], int(first["streefjaar"]), first["reden"]) == (6.8, 2027, "Bewoners kennen elkaar weinig.")
    assert str(plan["basisjaar"].dtype) == "Int64" and int(plan.iloc[1]["streefjaar"]) == 2023
    errors = {(f.file, f.row, f.column) for f in findings.errors}
    assert errors == {("plan.csv", 3, "gebiedscode"), ("plan.csv", 4, "streefwaarde"), ("plan.csv", 4, "streefjaar")}
    warnings = {(f.row, f.column) for f in findings.warnings}
    assert (3, "reden") not in warnings and (5, "reden") in warnings  # the long reason is kept, with a warning
    _, strict = draft.check_plan(rows.iloc[[1]].assign(gebiedscode="WK999901"), AREAS, KEYS, require_reason=True)
    assert [(f.level, f.column) for f in strict] == [("fout", "reden")]


def test_add_plan_line_replaces_the_same_area_and_indicator_and_refuses_a_bad_line():
    line = {"gebiedscode": "WK999901", "indicator": "cohesie_score", "basisjaar": 2023, "streefwaarde": "6,5",
            "streefjaar": 2025, "reden": "Meer samenhang."}
    plan, findings = draft.add_plan_line(wijkplan_empty(), line, AREAS, KEYS)
    assert len(plan) == 1 and not findings.has_errors
    plan, findings = draft.add_plan_line(plan, {**line, "streefwaarde": "7"}, AREAS, KEYS)
    assert len(plan) == 1 and plan.iloc[0]["streefwaarde"] == 7.0 and "vervangt" in findings.items[0].problem
    same, refused = draft.add_plan_line(plan, {**line, "reden": ""}, AREAS, KEYS)
    assert draft.same_plan(same, plan) and refused.has_errors and refused.errors[0].row is None


def wijkplan_empty() -> pd.DataFrame:
    from analysis.model import PLAN_COLUMNS, empty_frame

    return empty_frame(PLAN_COLUMNS)


def test_measures_get_ids_dates_either_way_and_findings_per_row():
    rows = pd.DataFrame([
        {"id": "M07", "naam": "Buurtkamer", "component": "Ontmoeting", "gebiedscode": "wk999901",
         "startdatum": "1-3-2024", "einddatum": "", "budget": "25.000", "omschrijving": "In de school"},
        {"id": "", "naam": "Court", "component": "sport", "gebiedscode": "BU99990101",
         "startdatum": datetime.date(2024, 5, 1), "einddatum": pd.Timestamp("2025-12-31"), "budget": None},
        {"id": "M07", "naam": "Dubbel id", "component": "sport", "gebiedscode": "GM9999", "startdatum": "2024-01-01"},
        {"naam": "", "component": "iets", "gebiedscode": "XX", "startdatum": "31-2-2024", "einddatum": "1-1-2020",
         "budget": -5},
        {"naam": "Te vroeg klaar", "component": "zorg", "gebiedscode": "GM9999", "startdatum": "1-6-2024",
         "einddatum": "1-1-2024"},
    ])
    measures, findings = draft.check_measures(rows, AREAS)
    assert list(measures["id"]) == ["M07", "M08", "M09"]
    assert list(measures["component"]) == ["ontmoeting", "sport", "sport"]
    assert list(measures["startjaar"]) == [2024, 2024, 2024] and measures.iloc[0]["budget"] == 25000
    assert pd.isna(measures.iloc[0]["einddatum"]) and measures.iloc[1]["einddatum"] == pd.Timestamp("2025-12-31")
    errors = {(f.row, f.column) for f in findings.errors}
    assert errors == {(5, "naam"), (5, "component"), (5, "gebiedscode"), (5, "startdatum"), (5, "budget"),
                      (6, "einddatum")}
    assert [(f.row, f.column) for f in findings.warnings] == [(4, "id")]
    assert draft.next_measure_id(["M03", "X9", None, "m12"]) == "M13" and draft.next_measure_id([]) == "M01"


def test_what_the_page_downloads_loads_back_as_it_was_written(tmp_path):
    plan, _ = draft.check_plan(pd.DataFrame([
        {"gebiedscode": "WK999901", "indicator": "cohesie_score", "basisjaar": 2023, "streefwaarde": 6.85,
         "streefjaar": 2027, "reden": "=HYPERLINK(\"x\"); minder eenzaam, meer samen"}]), AREAS, KEYS)
    measures, _ = draft.add_measure(draft.check_measures(pd.DataFrame(), AREAS)[0], {
        "naam": "+ Buurtkamer, \"samen\"", "component": "ontmoeting", "gebiedscode": "BU99990101",
        "startdatum": "1-9-2025", "einddatum": "31-8-2027", "budget": 95000, "omschrijving": "-regel één\nregel twee"},
        AREAS)
    (tmp_path / "plan.csv").write_bytes(csv_bytes(wijkplan.plan_csv(plan)))
    (tmp_path / "maatregelen.csv").write_bytes(csv_bytes(wijkplan.measures_csv(measures)))
    assert b"'=HYPERLINK" in (tmp_path / "plan.csv").read_bytes()  # neutralised for spreadsheets
    f = Findings()
    back_plan = wijkplan.load_plan(tmp_path / "plan.csv", AREAS, KEYS, f)
    back_measures = wijkplan.load_measures(tmp_path / "maatregelen.csv", AREAS, f)
    assert not f.has_errors and not f.warnings, f.lines()
    assert draft.same_plan(back_plan, plan), (back_plan, plan)
    assert draft.same_measures(back_measures, measures), (back_measures.T, measures.T)
