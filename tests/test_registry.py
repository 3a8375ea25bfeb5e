"""Tests for analysis.registry: complete, consistent entries and the generated docs/indicatoren.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import registry
from analysis.components import COMPONENT_KEYS, FACILITY_COMPONENT_KEYS, PLACE_COMPONENT_KEYS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "indicatoren.md"

#: Keys the issue fixes; they must never disappear or be renamed.
FIXED_KEYS = (
    [f"{c}_aantal" for c in FACILITY_COMPONENT_KEYS]
    + [f"{c}_per_1000_inw" for c in FACILITY_COMPONENT_KEYS]
    + [f"{c}_afstand_m" for c in PLACE_COMPONENT_KEYS]
    + [f"{c}_dekking_pct" for c in PLACE_COMPONENT_KEYS]
    + [f"{c}_gat" for c in COMPONENT_KEYS]
    + ["verenigingen_aantal", "verenigingen_per_1000_inw", "leden_per_1000_inw", "netwerk_dichtheid",
       "overbruggende_banden_pct", "geisoleerde_verenigingen", "cohesie_score", "eenzaam_pct", "zeer_eenzaam_pct",
       "vrijwilliger_pct", "informele_hulp_pct", "digitaal_actief_per_1000_inw", "cohesie_index",
       "behoefte_index", "dubbele_achterstand", "prioriteit_score", "prioriteit_rang", "inwoners"]
)


def test_docs_file_is_generated_from_the_registry():
    assert DOCS.exists(), "docs/indicatoren.md ontbreekt: schrijf registry.markdown() weg"
    assert DOCS.read_text(encoding="utf-8") == registry.markdown(), (
        "docs/indicatoren.md wijkt af van het register: draai "
        "python -c \"from analysis import registry; open('docs/indicatoren.md','w').write(registry.markdown())\"")


@pytest.mark.parametrize("key", FIXED_KEYS)
def test_fixed_keys_exist(key):
    assert key in registry.REGISTRY


def test_entries_are_complete():
    for key, e in registry.REGISTRY.items():
        assert e.key == key
        assert e.label and e.definition and e.unit and e.source
        assert e.group in registry.GROUPS
        assert set(e.levels) <= set(registry.ALL_LEVELS) and e.levels
        assert e.higher_is_better in (True, False, None)
    assert registry.REGISTRY["cohesie_index"].levels == ("buurt", "wijk")


def test_units_follow_key_endings():
    for key, e in registry.REGISTRY.items():
        if key.endswith("_pct"):
            assert e.unit == registry.UNIT_PCT, key
        if key.endswith("_afstand_m"):
            assert e.unit == registry.UNIT_METRE, key
        if key.endswith("_gat"):
            assert e.unit == registry.UNIT_FLAG, key


def test_markdown_lists_every_builtin_key_once():
    text = registry.markdown()
    for key in registry.REGISTRY:
        if key in registry._BUILTIN:
            assert text.count(f"| `{key}` |") == 1, key
    assert "| `ontmoeting` |" in text and "500 m" in text


def test_ensure_registered_adds_survey_entry_without_changing_docs():
    before = registry.markdown()
    entry = registry.ensure_registered("toets_groen_pct", "Voldoende groen")
    try:
        assert entry.unit == registry.UNIT_PCT and entry.group == "Bewonersenquête"
        assert registry.ensure_registered("toets_groen_pct") is entry
        assert registry.ensure_registered("cohesie_score") is registry.REGISTRY["cohesie_score"]
        assert registry.markdown() == before
    finally:
        registry.REGISTRY.pop("toets_groen_pct", None)


def test_unknown_key_has_dutch_error():
    with pytest.raises(KeyError, match="Onbekende indicator"):
        registry.indicator("bestaat_niet")
