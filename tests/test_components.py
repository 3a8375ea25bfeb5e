"""Tests for analysis.components: the one table of the eight components."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import components
from analysis.components import COMPONENT_KEYS, COMPONENTS, walk_norms_m


def test_eight_unique_keys_in_the_contract_order():
    assert COMPONENT_KEYS == ("ontmoeting", "verenigingen", "digitaal", "onderwijs", "zorg", "cultuur", "sport",
                              "openbare_ruimte")
    assert len(set(COMPONENT_KEYS)) == 8
    assert len({c.label for c in COMPONENTS}) == 8 and len({c.short_label for c in COMPONENTS}) == 8


def test_colours_are_distinct_hex_and_markers_known():
    colours = [c.colour for c in COMPONENTS]
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in colours)
    assert len(set(c.lower() for c in colours)) == 8
    assert len({c.marker for c in COMPONENTS}) == 8
    assert all(c.marker in components.MPL_MARKERS for c in COMPONENTS)


def test_walking_norms():
    norms = walk_norms_m()
    # sourced defaults: CBS 1 km (ontmoeting, verenigingen, onderwijs, zorg), CBS 5 km (cultuur), WHO 300 m
    assert norms == {"ontmoeting": 1000.0, "verenigingen": 1000.0, "onderwijs": 1000.0, "zorg": 1000.0,
                     "cultuur": 5000.0, "sport": 1500.0, "openbare_ruimte": 300.0}
    assert "digitaal" not in norms
    assert components.component("digitaal").walk_norm_m is None
    assert tuple(norms) == components.PLACE_COMPONENT_KEYS
    assert components.FACILITY_COMPONENT_KEYS == ("ontmoeting", "onderwijs", "zorg", "cultuur", "sport",
                                                  "openbare_ruimte")


def test_walk_norm_overrides():
    norms = walk_norms_m({"zorg": 800, "sport": 2000.5})
    assert norms["zorg"] == 800.0 and norms["sport"] == 2000.5
    assert norms["ontmoeting"] == 1000.0  # others untouched
    assert walk_norms_m()["zorg"] == 1000.0  # the defaults are not changed by an override
    with pytest.raises(KeyError, match="Onbekende component 'kerk'"):
        walk_norms_m({"kerk": 500})
    with pytest.raises(KeyError, match="geen loopnorm"):
        walk_norms_m({"digitaal": 500})
    with pytest.raises(ValueError, match="groter dan 0"):
        walk_norms_m({"zorg": 0})


def test_component_lookup_and_table():
    assert components.component("zorg").label == "Zorgvoorzieningen"
    with pytest.raises(KeyError) as err:
        components.component("bibliotheek")
    assert "Kies een van: ontmoeting" in str(err.value)
    table = components.components_table()
    assert table["component"].tolist() == list(COMPONENT_KEYS)
    assert table.set_index("component").loc["sport", "loopnorm_m"] == 1500.0
    assert pd.isna(table.set_index("component").loc["digitaal", "doel_binnen_norm_pct"])
    assert pd.isna(table.set_index("component").loc["digitaal", "loopnorm_m"])
    assert table.set_index("component").loc["zorg", "doel_binnen_norm_pct"] == 80.0
    assert table["kleur"].tolist() == [c.colour for c in COMPONENTS]


def test_every_norm_and_target_names_its_source():
    table = components.components_table().set_index("component")
    for c in COMPONENTS:
        assert len(c.norm_source) > 20 and len(c.target_source) > 20, c.key
        assert table.loc[c.key, "bron_norm"] == c.norm_source
        assert table.loc[c.key, "bron_doel"] == c.target_source
    assert "WHO" in components.component("openbare_ruimte").norm_source
    assert "CBS" in components.component("zorg").norm_source
    assert "Eigen keuze" in components.component("sport").norm_source
