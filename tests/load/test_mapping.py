"""Tests for analysis.load.mapping: facility components by keyword, monitor columns to indicators via the dictionary."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.components import COMPONENT_KEYWORDS, component_for_text
from analysis.findings import Findings
from analysis.load.detect import detect_file
from analysis.load.mapping import (
    component_of,
    match_monitor,
    own_indicators,
    propose_columns,
    propose_components,
    read_dictionary,
    unit_from_dictionary,
)
from tests.paths import ZWOLLE


@pytest.mark.parametrize(("text", "component"), [
    ("Basisschool De Regenboog", "onderwijs"), ("voortgezet onderwijs", "onderwijs"), ("GGZ", "zorg"),
    ("VVT (verpleging, verzorging, thuiszorg)", "zorg"), ("Huisartsenpraktijk Oost", "zorg"),
    ("buurthuis De Schakel", "ontmoeting"), ("Bibliotheek Zwolle", "ontmoeting"), ("sporthal", "sport"),
    ("sportschool", "sport"), ("muziekschool", "cultuur"), ("speeltuin", "openbare_ruimte"),
    ("amenity=community_centre", "ontmoeting"), ("leisure=playground", "openbare_ruimte"),
    ("healthcare=physiotherapist", "zorg"), ("tourism=museum", "cultuur"),
    ("amenity=place_of_worship", None), ("garage", None), ("", None),
])
def test_component_for_text_by_longest_keyword(text, component):
    assert component_for_text(text) == component


def test_every_facility_component_has_keywords_and_the_table_stays_in_the_core():
    from analysis.components import FACILITY_COMPONENT_KEYS

    assert set(FACILITY_COMPONENT_KEYS) <= set(COMPONENT_KEYWORDS)
    assert component_of("openbare ruimte") == "openbare_ruimte" and component_of("Zorg") == "zorg"


def test_zwolle_facilities_get_one_component_each_with_the_column_that_says_so():
    schools = propose_components(detect_file(ZWOLLE / "zwolle_scholen.geojson").frame, "zwolle_scholen.geojson")
    assert (schools.component, schools.column, schools.per_row) == ("onderwijs", "onderwijssoort", False)
    care = propose_components(detect_file(ZWOLLE / "zwolle_zorginstellingen.geojson").frame)
    assert (care.component, care.column) == ("zorg", "zorgsoort")
    assert set(care.values) == {"GGZ", "GHZ (gehandicaptenzorg)", "VVT (verpleging, verzorging, thuiszorg)", "ziekenhuis"}


def test_a_mixed_file_gets_a_value_to_component_table():
    frame = pd.DataFrame({"naam": ["A", "B", "C", "D", "E"],
                          "amenity": ["library", "school", "doctors", "place_of_worship", "school"]})
    frame["amenity"] = "amenity=" + frame["amenity"]
    proposal = propose_components(frame)
    assert proposal.per_row and proposal.column == "amenity"
    assert proposal.values == {"amenity=library": "ontmoeting", "amenity=school": "onderwijs",
                               "amenity=doctors": "zorg", "amenity=place_of_worship": None}


def test_columns_proposed_by_meaning_and_an_id_only_when_unique():
    schools = detect_file(ZWOLLE / "zwolle_scholen.geojson").frame
    assert propose_columns(schools, "voorzieningen")["naamkolom"] == "VESTIGINGSNAAM"
    assert propose_columns(schools, "voorzieningen")["idkolom"] is None  # VESTIGINGSNUMMER repeats (26NC00)
    monitor = detect_file(ZWOLLE / "zwolle_buurtmonitor_indicatoren.csv").frame
    assert propose_columns(monitor, "enquete_gebied") == {"codekolom": "BU_CODE", "nkolom": None}


def test_monitor_columns_matched_through_the_data_dictionary():
    monitor = detect_file(ZWOLLE / "zwolle_buurtmonitor_indicatoren.csv").frame
    dictionary = read_dictionary(detect_file(ZWOLLE / "zwolle_buurtmonitor_variabelen.csv").frame)
    assert dictionary["bscoh"].label == "sociale cohesie (schaalscore)" and dictionary["bscoh"].unit == "score 0-10"
    columns = match_monitor(monitor, "BU_CODE", dictionary)
    matched = {c.column: c.key for c in columns if c.key}
    assert matched["b_scoh"] == "cohesie_score" and matched["b_sceenz"] == "eenzaam_pct"
    assert matched.get("ind_vi_a3") is None  # 'Sociale samenhang' as an index is not the 0-10 scale
    assert "b_vhonv" not in matched  # '% voelt zich weleens onveilig' is not veilig_pct
    assert len(set(matched.values())) == len(matched)
    assert {"BU_CODE", "BU_NAAM_2015", "GEOITEM"}.isdisjoint(c.column for c in columns)
    # Without the dictionary the Zwolle codes say nothing: nothing is guessed.
    assert not any(c.key for c in match_monitor(monitor, "BU_CODE"))


def test_monitor_column_named_like_an_indicator_needs_no_dictionary():
    frame = pd.DataFrame({"gebiedscode": ["WK999901"], "cohesie_score": ["6,5"], "Voelt zich veilig": ["80"],
                          "naam": ["Noord"]})
    matched = {c.column: c.key for c in match_monitor(frame, "gebiedscode")}
    assert matched == {"cohesie_score": "cohesie_score", "Voelt zich veilig": "veilig_pct"}


@pytest.mark.parametrize(("code", "unit"), [("%_0", "%"), ("0_10_n_p_1", "score 0-10"), ("index_4", "index (100 = gemiddelde)"),
                                            ("rapport_1", "rapportcijfer 1-10"), ("personen_0", "aantal"), ("", "")])
def test_units_of_the_dictionary(code, unit):
    assert unit_from_dictionary(code) == unit


def test_own_indicators_from_the_manifest():
    findings = Findings()
    own = own_indicators({"b_vzhont": {"label": "ontmoetingsplekken (% voldoende aanwezig)", "eenheid": "%"},
                          "Fout Sleutel": {"label": "x"}, "zonder_label": {"eenheid": "%"}}, findings)
    assert [(i.key, i.label, i.unit) for i in own] == [("b_vzhont", "ontmoetingsplekken (% voldoende aanwezig)", "%")]
    assert len(findings.warnings) == 2 and all(f.column.startswith("eigen_indicatoren.") for f in findings.warnings)
