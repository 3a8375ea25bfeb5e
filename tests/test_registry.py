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
    for key in registry.BUILTIN:
        assert text.count(f"| `{key}` |") == 1, key
    assert "| `ontmoeting` |" in text and "500 m" in text


def test_builtin_registry_is_immutable():
    with pytest.raises(TypeError):
        registry.BUILTIN["x"] = registry.BUILTIN["cohesie_score"]  # type: ignore[index]
    with pytest.raises(TypeError):
        registry.REGISTRY["x"] = registry.BUILTIN["cohesie_score"]  # type: ignore[index]


def test_extending_returns_a_new_registry_and_leaves_the_builtin_alone():
    before, docs = len(registry.REGISTRY), registry.markdown()
    entry = registry.dataset_indicator("toets_groen_pct", "Voldoende groen")
    own = registry.REGISTRY.extend([entry])
    assert own["toets_groen_pct"].unit == registry.UNIT_PCT
    assert own["toets_groen_pct"].kind is registry.IndicatorKind.ENQUETE and own.is_survey("toets_groen_pct")
    assert own["cohesie_score"] is registry.REGISTRY["cohesie_score"]
    assert "toets_groen_pct" not in registry.REGISTRY and len(registry.REGISTRY) == before
    assert registry.markdown() == docs
    assert "toets_groen_pct" in own.keys_of(registry.IndicatorKind.ENQUETE)


def test_one_datasets_keys_never_reach_another_dataset(demo_dataset):
    """Issue 8: compute_indicators wrote a dataset's keys into the shared module registry."""
    import dataclasses

    import pandas as pd

    from analysis.compute.indicators import compute_indicators

    monitor = pd.DataFrame({"gebiedscode": ["WK999901"], "niveau": ["wijk"], "jaar": [demo_dataset.year],
                            "indicator": ["eigen_groen_pct"], "waarde": [40.0], "n": [100.0], "bron": ["m.csv"]})
    first = dataclasses.replace(demo_dataset, area_survey=pd.concat([demo_dataset.area_survey, monitor]))
    table = compute_indicators(first, years=[first.year])
    assert "eigen_groen_pct" in set(table["indicator"].astype(str))
    assert "eigen_groen_pct" in first.registry.keys_of(registry.IndicatorKind.ENQUETE)
    # the other dataset (and so the other session) does not know the key
    assert "eigen_groen_pct" not in demo_dataset.registry
    assert "eigen_groen_pct" not in registry.REGISTRY
    assert "eigen_groen_pct" not in set(registry.registry_table()["indicator"])


def test_a_codebook_scale_label_reaches_the_registry():
    codebook = {"schalen": {"groen": {"label": "Tevreden over groen", "methode": "gemiddelde",
                                      "indicator": "groen_score", "drempels": {}}}}
    reg = registry.dataset_registry(codebook)
    assert reg.label("groen_score") == "Tevreden over groen" and reg.unit("groen_score") == registry.UNIT_SCORE


def test_kinds_come_from_the_table_or_the_registry():
    import pandas as pd

    t = pd.DataFrame({"indicator": ["cohesie_score", "inwoners", "onbekend"]})
    assert list(registry.kinds(t)) == ["enquete", "kerncijfer", ""]
    assert list(registry.kinds(t.assign(soort=["index", "index", "index"]))) == ["index"] * 3


def test_unknown_key_has_dutch_error():
    with pytest.raises(KeyError, match="Onbekende indicator"):
        registry.indicator("bestaat_niet")
