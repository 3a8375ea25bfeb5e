"""The settings as people read them on Verantwoording: every field labelled in Dutch, with value and source."""

from __future__ import annotations

import dataclasses
import re

from analysis.params import PARAM_LABELS, PARAM_SOURCES, IndicatorParams, parameter_rows


def test_every_setting_has_a_dutch_label_an_effect_and_a_source():
    names = {f.name for f in dataclasses.fields(IndicatorParams)}
    assert names <= set(PARAM_LABELS), sorted(names - set(PARAM_LABELS))
    assert names <= set(PARAM_SOURCES), sorted(names - set(PARAM_SOURCES))
    rows = parameter_rows(IndicatorParams())
    assert all(r["wat het doet"] and r["bron"] for r in rows)


def test_no_configuration_key_or_python_value_reaches_the_table():
    params = IndicatorParams(norms_m={"ontmoeting": 600.0}, gap_target_pct={"zorg": 75.0})
    rows = parameter_rows(params)
    text = " ".join(f"{r['instelling']} {r['waarde']}" for r in rows)
    for raw in ("threshold", "cohesion_weights", "gap_supply_ratio", "worst_share", "enquete", "True", "None",
                "0.5", "ontmoeting"):
        assert not re.search(rf"(?<![\w.]){re.escape(raw)}(?![\w])", text), raw
    shown = {r["instelling"]: r["waarde"] for r in rows}
    assert shown["Privacydrempel"] == "30 respondenten"
    assert shown["Grens tekort aan aanbod"] == "50%"
    assert shown["Loopnorm: Fysieke ontmoetingsplekken"] == "600 m"
    assert shown["Correctie voor veel toetsen"] == "aan"
    assert shown["Gewicht in de cohesie-index: ervaren samenhang (enquête)"] == "0,40"
