"""Tests of the demo's gebiedsplan (analysis.demo.plan): targets, measures, and the effects built into the survey."""

from __future__ import annotations

import csv
import io

import pytest
import shapely

from analysis.components import COMPONENT_KEYS
from analysis.compute import survey
from analysis.demo.areas import build_areas
from analysis.demo.facilities import build_facilities
from analysis.demo.municipality import WIJKEN
from analysis.demo.plan import (
    EFFECT_KEYS,
    EVALUATION_YEARS,
    MEASURE_COLUMNS,
    MEASURES,
    PLAN_COLUMNS,
    TARGETS,
    built_in_effect,
    measures_csv,
    plan_csv,
)
from analysis.registry import REGISTRY


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_plan_names_known_areas_and_registry_indicators(ds):
    rows = _rows(plan_csv())
    assert list(rows[0]) == list(PLAN_COLUMNS) and len(rows) == len(TARGETS)
    codes = set(ds.wijken["gebiedscode"]) | {ds.gemeente_code}
    for row in rows:
        assert row["gebiedscode"] in codes
        assert row["indicator"] in REGISTRY
        assert int(row["basisjaar"]) == EVALUATION_YEARS[0] < int(row["streefjaar"])
        assert float(row["streefwaarde"]) > 0 and row["reden"]


def test_measures_lie_in_their_wijk_at_their_facility():
    _, wijk_polygons, buurten = build_areas()
    rows = _rows(measures_csv(buurten, build_facilities(buurten)))
    assert list(rows[0]) == list(MEASURE_COLUMNS) and [r["id"] for r in rows] == [m.id for m in MEASURES]
    for row in rows:
        assert row["component"] in COMPONENT_KEYS and int(row["budget"]) > 0
        assert not row["einddatum"] or row["einddatum"] > row["startdatum"]
        if row["x"]:
            point = shapely.Point(float(row["x"]), float(row["y"]))
            assert wijk_polygons[row["gebiedscode"]].contains(point), row["naam"]
    # one measure starts after the follow-up survey: too early to judge
    assert sum(r["startdatum"] > f"{EVALUATION_YEARS[-1]}-04-01" for r in rows) == 1


def test_the_working_measure_is_the_built_in_change_and_the_other_has_none():
    works, fails, later = MEASURES
    wijk = {w.code: w for w in WIJKEN}
    for key in EFFECT_KEYS:
        assert built_in_effect(works.gebiedscode, 2025, key) == pytest.approx(getattr(wijk[works.gebiedscode], key))
        assert built_in_effect(works.gebiedscode, 2023, key) == 0.0
        assert built_in_effect(fails.gebiedscode, 2025, key) == 0.0
        assert built_in_effect(later.gebiedscode, 2025, key) == 0.0
    # in the middle year the working measure has run a few months: half its effect
    assert built_in_effect(works.gebiedscode, 2024, "cohesion_change") == pytest.approx(
        0.5 * works.effect["cohesion_change"])
    with pytest.raises(KeyError):
        built_in_effect(works.gebiedscode, 2025, "happiness")


def test_on_the_demo_figures_one_target_is_met_and_the_other_is_not(ds):
    table = survey.survey_indicators(ds)
    wijk = table[table["niveau"] == "wijk"].pivot_table(index=["gebiedscode", "indicator"], columns="jaar",
                                                       values="waarde")
    works, fails, _ = MEASURES
    met = {t.gebiedscode: [] for t in TARGETS}
    for t in TARGETS:
        if t.streefjaar == 2025 and (t.gebiedscode, t.indicator) in wijk.index:
            value = wijk.loc[(t.gebiedscode, t.indicator), 2025]
            lower_is_better = t.indicator.startswith("eenzaam")
            met[t.gebiedscode].append(value <= t.streefwaarde if lower_is_better else value >= t.streefwaarde)
    assert met[works.gebiedscode] and all(met[works.gebiedscode])
    assert met[fails.gebiedscode] and not any(met[fails.gebiedscode])


def test_the_plan_files_load_and_the_evaluation_finds_the_built_in_effect(ds, demo_table, tmp_path):
    from analysis.compute import evaluation
    from analysis.findings import Findings
    from analysis.load import wijkplan

    _, _, buurten = build_areas()
    (tmp_path / "plan.csv").write_text(plan_csv(), encoding="utf-8")
    (tmp_path / "maatregelen.csv").write_text(measures_csv(buurten, build_facilities(buurten)), encoding="utf-8")
    codes = set(ds.buurten["gebiedscode"]) | set(ds.wijken["gebiedscode"]) | {ds.gemeente_code}
    findings = Findings()
    plan = wijkplan.load_plan(tmp_path / "plan.csv", codes, list(REGISTRY), findings)
    measures = wijkplan.load_measures(tmp_path / "maatregelen.csv", codes, findings)
    assert not findings.items, findings.lines()
    assert len(plan) == len(TARGETS) and len(measures) == len(MEASURES)
    result = evaluation.evaluate_measures(measures, demo_table).set_index(["id", "indicator"])
    works, fails, later = MEASURES
    did = result["verschil_in_verschil"]
    # the difference of differences recovers the cohesion effect built into the survey (0.45), within noise
    assert did.loc[(works.id, "cohesie_score")] > 0.3
    assert did.loc[(fails.id, "cohesie_score")] < 0.1
    # started after the last survey: no survey figure after its start; the year-end snapshot of its start
    # year is after it (evaluation's timing rule), so its registration figures are compared 2024 -> 2025
    survey_keys = [k for k in did.loc[later.id].index if REGISTRY.is_survey(k)]
    assert survey_keys and did.loc[later.id].loc[survey_keys].isna().all()


def test_the_committed_demo_has_its_plan_and_the_typed_evaluation_shows_both_measures(ds, demo_table):
    from analysis.compute import evaluation, typology

    assert len(ds.plan) == len(TARGETS) and ds.measures["id"].tolist() == [m.id for m in MEASURES]
    assert sorted(ds.respondents["jaar"].unique()) == list(EVALUATION_YEARS)
    types = typology.area_types(ds.wijken, ds.addresses)
    result = evaluation.evaluate_measures(ds.measures, demo_table, types, reg=ds.registry, any_type=True)
    did = result.set_index(["id", "indicator"])["verschil_in_verschil"]
    works, fails, later = MEASURES
    assert did.loc[(works.id, "cohesie_score")] > 0.3 and abs(did.loc[(fails.id, "cohesie_score")]) < 0.1
    assert did.loc[later.id].loc[[k for k in did.loc[later.id].index if ds.registry.is_survey(k)]].isna().all()
    # the plan lines have a series of three years
    lines = evaluation.evaluate_plan(ds.plan, demo_table, ds.registry).set_index(["gebiedscode", "indicator"])
    assert lines.loc[(works.gebiedscode, "cohesie_score"), "reeks"].count(";") == 2
    assert bool(lines.loc[(works.gebiedscode, "cohesie_score"), "doel_gehaald"])
    assert not bool(lines.loc[(fails.gebiedscode, "cohesie_score"), "doel_gehaald"])


def test_a_measure_s_place_is_in_the_sociale_kaart_from_its_start(ds):
    """A measure's place is in every snapshot from the year it opened while the measure runs; it opened in the
    measure's start year or, for work that began before its building (De Kreek: community work from September
    2023, the wijkcentrum in 2024), the year after; never before the measure."""
    fac = ds.facilities
    snapshot_years = sorted(int(y) for y in fac["jaar"].unique())
    placed = [m for m in MEASURES if m.facility is not None]
    assert len(placed) == 2
    for m in placed:
        present = sorted(int(y) for y in fac.loc[fac["naam"] == m.facility, "jaar"])
        assert present[0] in (m.start.year, m.start.year + 1), m.id
        last = snapshot_years[-1] if m.end is None else min(m.end.year, snapshot_years[-1])
        assert present == [y for y in snapshot_years if present[0] <= y <= last], m.id
    sport = next(m for m in placed if m.component == "sport")  # the Cruyff Court opened with the impulse
    assert int(fac.loc[fac["naam"] == sport.facility, "jaar"].min()) == sport.start.year == 2024
