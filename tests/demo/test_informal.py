"""Tests of the demo's informal layer (analysis.demo.informal): initiatives where cohesion is, stale entries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import shapely

from analysis.compute import survey
from analysis.demo.areas import build_areas
from analysis.demo.associations import build_associations
from analysis.demo.informal import (
    INITIATIVE_COLUMNS,
    INITIATIVE_KINDS,
    STALE_AFTER_YEARS,
    STALE_ENTRIES,
    build_initiatives,
    initiatives_csv,
    weakest_cohesion_wijk,
)
from analysis.demo.municipality import BUSINESS_PARK_WIJK, WIJKEN, YEAR
from analysis.demo.water import quay_zone


def _built():
    _, _, buurten = build_areas()
    associations = build_associations(buurten)
    return buurten, associations, build_initiatives(buurten, associations)


def test_initiatives_in_most_wijken_and_at_most_one_in_the_weakest():
    buurten, _, initiatives = _built()
    per_wijk = {w.number: 0 for w in WIJKEN if w.number != BUSINESS_PARK_WIJK}
    for i in initiatives:
        per_wijk[i.buurt.wijk.number] += 1
    weakest = weakest_cohesion_wijk(buurten)
    assert per_wijk[weakest] <= 1
    others = [n for w, n in per_wijk.items() if w != weakest]
    assert sum(n >= 2 for n in others) >= len(others) - 1
    assert 30 <= len(initiatives) <= 120


def test_the_weakest_wijk_is_the_one_the_survey_finds_least_cohesive(ds):
    buurten, _, _ = _built()
    table = survey.survey_indicators(ds)
    cohesion = table[(table["niveau"] == "wijk") & (table["indicator"] == "cohesie_score") & (table["jaar"] == YEAR)]
    assert cohesion.set_index("gebiedscode")["waarde"].idxmin() == WIJKEN[weakest_cohesion_wijk(buurten) - 1].code


def test_initiative_rows_are_located_and_a_few_are_stale():
    _, associations, initiatives = _built()
    water = quay_zone(build_areas()[0])
    rows = list(csv.DictReader(io.StringIO(initiatives_csv(initiatives))))
    assert list(rows[0]) == list(INITIATIVE_COLUMNS) and len({r["id"] for r in rows}) == len(rows)
    assert {r["soort"] for r in rows} <= set(INITIATIVE_KINDS)
    by_id = {a.id: a for a in associations}
    for row, initiative in zip(rows, initiatives):
        assert bool(row["buurtcode"]) != bool(row["x"])  # either a buurtcode or coordinates
        if row["x"]:
            point = shapely.Point(float(row["x"]), float(row["y"]))
            assert initiative.buurt.geometry.contains(point) and not water.contains(point)
        if row["vereniging_id"]:
            assert by_id[row["vereniging_id"]].buurt.code == initiative.buurt.code
        assert (row["actief"] == "ja") == (not row["eindjaar"] or int(row["eindjaar"]) >= YEAR)
        assert int(row["startjaar"]) <= int(row["laatst_gecontroleerd"][:4])
    cutoff = dt.date(YEAR - STALE_AFTER_YEARS + 1, 1, 1).isoformat()
    assert sum(r["laatst_gecontroleerd"] < cutoff for r in rows) == STALE_ENTRIES
    assert any(r["buurtcode"] for r in rows) and any(r["x"] for r in rows) and any(r["vereniging_id"] for r in rows)


def test_initiatives_are_deterministic_per_seed():
    buurten, associations, initiatives = _built()
    assert initiatives_csv(build_initiatives(buurten, associations)) == initiatives_csv(initiatives)
    assert initiatives_csv(build_initiatives(buurten, associations, seed=7)) != initiatives_csv(initiatives)
