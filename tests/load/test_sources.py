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
