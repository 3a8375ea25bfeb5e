"""Tests for analysis.load.sources: the one table of source kinds and the source inventory the pages show."""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis.findings import Findings
from analysis.load import sources
from analysis.load.manifest import TOP_KEYS
from analysis.model import Dataset


def test_every_kind_has_a_label_a_use_and_a_loader():
    keys = [kind.key for kind in sources.SOURCES]
    assert len(keys) == len(set(keys))
    for kind in sources.SOURCES:
        assert kind.label and kind.enables and callable(kind.load)
        assert "bestand" in kind.options
    assert set(sources.SOURCE_KEYS) | set(sources.LIST_SECTIONS) == set(keys)
    assert set(sources.LIST_SECTIONS) == {"voorzieningen", "enquete_gebied"}
    assert set(sources.LIST_SECTIONS) <= TOP_KEYS
    # the fields a kind fills exist on the Dataset
    names = {f.name for f in dataclasses.fields(Dataset)}
    assert all(kind.field in names for kind in sources.SOURCES if kind.field)


def test_areas_load_first_ties_after_associations_survey_after_codebook():
    keys = [kind.key for kind in sources.SOURCES]
    assert keys[:2] == ["buurten", "wijken"]
    assert keys.index("verenigingen") < keys.index("banden")
    assert keys.index("codeboek") < keys.index("enquete")


def test_inventory_of_the_demo(demo_dataset):
    rows = sources.source_inventory(demo_dataset)
    assert list(rows.columns) == ["bron", "status", "bestand", "regels", "maakt mogelijk"]
    assert rows["bron"].tolist() == [kind.label for kind in sources.SOURCES]
    by_label = rows.set_index("bron")
    buurten = by_label.loc[sources.SOURCES_BY_KEY["buurten"].label]
    assert buurten["status"] == "aanwezig" and buurten["regels"] == len(demo_dataset.buurten)
    facilities = by_label.loc[sources.SOURCES_BY_KEY["voorzieningen"].label]
    assert facilities["regels"] == len(demo_dataset.facilities)
    assert set(facilities["bestand"].split(", ")) == {v for k, v in demo_dataset.sources.items()
                                                      if k.startswith("voorzieningen:")}


def test_inventory_says_missing_and_derived(demo_dataset):
    bare = dataclasses.replace(demo_dataset, sources={"buurten": "buurten.geojson"},
                               associations=demo_dataset.associations.iloc[:0], ties=demo_dataset.ties.iloc[:0])
    rows = sources.source_inventory(bare).set_index("bron")
    assert rows.loc["Wijken", "status"] == "afgeleid uit buurten"
    assert rows.loc["Verenigingen", "status"] == "ontbreekt"
    assert pd.isna(rows.loc["Verenigingen", "regels"])


def test_missing_sources_are_infos_except_the_ones_that_depend_on_another():
    findings = Findings()
    sources.missing_sources({"buurten"}, findings)
    named = {f.problem.split("'")[1] for f in findings}
    assert "verenigingen" in named and "wijken" in named
    assert "banden" not in named          # reported through the missing associations
    assert "buurten" not in named and "codeboek" not in named
    assert all(f.level == "info" for f in findings)


def test_grid_squares_are_not_needed_when_there_are_addresses(demo_dataset):
    with_addresses = dataclasses.replace(demo_dataset, sources={**demo_dataset.sources, "adressen": "adressen.csv"},
                                         population_grid=None)
    rows = sources.source_inventory(with_addresses).set_index("bron")
    assert rows.loc[sources.SOURCES_BY_KEY["vierkanten"].label, "status"].startswith("niet nodig")


def _plan_folder(tmp_path):
    from tests.broken_cases import write_buurten

    folder = tmp_path / "plan"
    folder.mkdir()
    write_buurten(folder)
    (folder / "monitor.csv").write_text("gebiedscode,jaar,tevreden\nWK999901,2025,7.1\n", encoding="utf-8")
    (folder / "plan.csv").write_text(
        "gebiedscode,indicator,basisjaar,streefwaarde,streefjaar,reden\n"
        "WK999901,cohesie_score,2023,6.5,2025,Weinig contact\n"
        "WK999901,tevreden_wijk,2023,7.5,2025,Een sleutel van de monitor\n"
        "WK999999,cohesie_score,2023,6.5,2025,Onbekende wijk\n"
        "WK999902,geen_indicator,2023,1,2025,Onbekende indicator\n", encoding="utf-8")
    (folder / "maatregelen.csv").write_text(
        "id,naam,component,gebiedscode,startdatum,einddatum,budget,omschrijving\n"
        "M1,Buurtkamer,ontmoeting,WK999901,1-9-2023,,50000,Een kamer\n", encoding="utf-8")
    (folder / "initiatieven.csv").write_text(
        "id,naam,soort,buurtcode,startjaar,actief,laatst_gecontroleerd,email\n"
        "I1,Koffie op dinsdag,activiteit,BU99990101,2022,ja,2025-02-01,a@b.nl\n", encoding="utf-8")
    (folder / "notities.csv").write_text(
        "datum,gebiedscode,component,soort_bron,tekst,citaat\n"
        "2025-03-01,WK999902,ontmoeting,bewoner,<script>x</script>,ja\n", encoding="utf-8")
    (folder / "dataset.toml").write_text(
        '[dataset]\nnaam = "Plan"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\nplan = "plan.csv"\n'
        'maatregelen = "maatregelen.csv"\ninitiatieven = "initiatieven.csv"\nnotities = "notities.csv"\n'
        '[[enquete_gebied]]\nbestand = "monitor.csv"\nindicatoren = { tevreden = "tevreden_wijk" }\n', encoding="utf-8")
    return folder


def test_the_plan_initiatives_and_notes_fill_their_fields(tmp_path):
    from analysis.load.dataset import load_dataset

    ds = load_dataset(_plan_folder(tmp_path))
    # the plan is checked against the dataset's registry (with the monitor's key) and its area codes
    assert ds.plan[["gebiedscode", "indicator"]].values.tolist() == [["WK999901", "cohesie_score"],
                                                                     ["WK999901", "tevreden_wijk"]]
    assert set(ds.plan["indicator"]) <= set(ds.registry)
    skipped = {(f.row, f.problem) for f in ds.findings.warnings if f.file == "plan.csv"}
    assert skipped == {(4, "onbekende gebiedscode"), (5, "onbekende indicator")}
    assert ds.measures["startjaar"].tolist() == [2023] and ds.measures["gebiedscode"].tolist() == ["WK999901"]
    assert ds.initiatives["buurtcode"].tolist() == ["BU99990101"] and ds.initiatives.crs == "EPSG:28992"
    assert str(ds.initiatives["laatst_gecontroleerd"].iloc[0].date()) == "2025-02-01"
    assert "email" not in ds.initiatives.columns
    assert any(f.file == "initiatieven.csv" and f.column == "email" for f in ds.findings.warnings)
    assert ds.notes["tekst"].tolist() == ["<script>x</script>"] and bool(ds.notes["citaat"].iloc[0])
    assert {"plan", "maatregelen", "initiatieven", "notities"} <= set(ds.sources)
    counts = sources.source_inventory(ds).set_index("bron")["regels"]
    assert counts[sources.SOURCES_BY_KEY["plan"].label] == 2
    assert counts[sources.SOURCES_BY_KEY["notities"].label] == 1


def test_the_plan_loads_after_the_sources_that_define_indicator_keys():
    keys = [kind.key for kind in sources.SOURCES]
    for later in ("plan", "maatregelen", "initiatieven", "notities"):
        assert keys.index("buurten") < keys.index(later)
    assert keys.index("codeboek") < keys.index("plan") and keys.index("enquete_gebied") < keys.index("plan")


def test_without_the_new_sources_the_fields_are_empty_with_their_columns(tmp_path):
    from analysis.load.dataset import load_dataset
    from analysis.model import INITIATIVE_COLUMNS, MEASURE_COLUMNS, NOTE_COLUMNS, PLAN_COLUMNS
    from tests.broken_cases import write_buurten

    folder = tmp_path / "kaal"
    folder.mkdir()
    write_buurten(folder)
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "K"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\n',
                                         encoding="utf-8")
    findings = Findings()
    ds = load_dataset(folder, findings)
    assert list(ds.plan.columns) == list(PLAN_COLUMNS) and len(ds.plan) == 0
    assert list(ds.measures.columns) == list(MEASURE_COLUMNS)
    assert [c for c in ds.initiatives.columns if c != "geometry"] == list(INITIATIVE_COLUMNS)
    assert list(ds.notes.columns) == list(NOTE_COLUMNS)
    assert any("bron 'initiatieven' ontbreekt" in f.problem for f in findings if f.level == "info")
