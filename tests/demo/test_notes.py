"""Tests of the demo's field notes (analysis.demo.notes)."""

from __future__ import annotations

import csv
import io

from analysis.components import COMPONENT_KEYS
from analysis.demo.municipality import BUSINESS_PARK_WIJK, GAP_WIJK_NO_MEETING, WIJKEN
from analysis.demo.notes import NOTE_COLUMNS, NOTE_SOURCES, NOTES, SOURCE_KIND, notes_csv
from analysis.load.informal import NOTE_SOURCES as LOADER_SOURCES


def test_every_residential_wijk_has_dated_notes_on_a_component():
    rows = list(csv.DictReader(io.StringIO(notes_csv())))
    assert list(rows[0]) == list(NOTE_COLUMNS)
    assert [r["datum"] for r in rows] == sorted(r["datum"] for r in rows)
    residential = {w.code for w in WIJKEN if w.number != BUSINESS_PARK_WIJK}
    for code in residential:
        assert sum(r["gebiedscode"] == code for r in rows) >= 2, code
    for row in rows:
        assert row["gebiedscode"] in residential
        assert row["component"] in COMPONENT_KEYS and row["soort_bron"] in LOADER_SOURCES
        assert "2023-01-01" <= row["datum"] <= "2025-12-31" and row["tekst"] and row["citaat"] in ("ja", "nee")
    # the closed buurthuis is in the residents' own words
    assert any(r["gebiedscode"] == GAP_WIJK_NO_MEETING and "buurthuis" in r["tekst"] and r["citaat"] == "ja"
               and r["soort_bron"] == "bewoner" for r in rows)
    # every note is one row, its quote another
    assert sum(r["citaat"] == "nee" for r in rows) == len(NOTES)
    assert sum(r["citaat"] == "ja" for r in rows) == sum(bool(n.citaat) for n in NOTES)
    assert set(SOURCE_KIND) == set(NOTE_SOURCES)


def test_the_notes_load_without_findings(ds):
    assert len(ds.notes) == len(list(csv.DictReader(io.StringIO(notes_csv()))))
    assert not [f for f in ds.findings if f.file == "notities.csv"]
    assert set(ds.notes["soort_bron"]) <= set(LOADER_SOURCES) and ds.notes["datum"].notna().all()
