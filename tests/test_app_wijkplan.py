"""AppTest of the Wijkplan page on the demo: a plan opens pre-filled, a target and a measure are added, the draft's
files load back through the Gegevens page, and the evaluation shows the new line."""

from __future__ import annotations

import pytest

from analysis.load.wijkplan import measures_csv, plan_csv
from analysis.render.tables import csv_bytes
from tests.test_app import _assert_clean, _open, _texts

WIJK = "WK999903"  # Vogelbuurt: no line and no measure in the demo's plan
DRAFT = "ww_plan_concept"


@pytest.fixture(scope="module")
def page(demo_dataset):
    at = _open("wijkplan")
    _assert_clean(at)
    return at


def test_the_demo_plan_opens_pre_filled_with_its_evaluation(page, demo_dataset):
    at = page
    assert at.title[0].value == "Wijkplan"
    assert any("met de gegevens is geladen: 7 doelen en 3 maatregelen" in s.value for s in at.success)
    at.selectbox(key="ww_sel_plan_gebied").set_value("WK999906").run()
    _assert_clean(at)
    text = _texts(at)
    # The demo's working measure: cohesion rose beyond its margin and met the target; the series of three years.
    assert "Gestegen van 6,6 naar 7,1; groter dan de marge; doel 6,9 gehaald." in text
    assert "Metingen: 2023: 6,6; 2024: 6,9; 2025: 7,1" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Basis 2023"] == "21%" and metrics["Laatste meting 2025"] == "43%"
    assert metrics["Doel gehaald"] == "ja" and metrics["Groter dan de marge"] == "ja"
    assert "Samenhang, geen bewijs" in text and "Wijkcentrum De Kreek met opbouwwerk" in text
    tables = [d.value for d in at.dataframe]
    did = next(t for t in tables if "Verschil in verschil" in t.columns)
    assert "Sociale samenhang" in set(did["Indicator"]) and (did["Gebieden"] != "").all()
    for word in ("None", "nan", "NaN", "<NA>"):
        assert word not in text


def test_a_target_and_a_measure_are_added_and_load_back_with_the_dataset(page, demo_dataset):
    at = page
    at.selectbox(key="ww_sel_plan_gebied").set_value(WIJK).run()
    assert any("Nog geen doelen voor Vogelbuurt" in i.value for i in at.info)
    assert at.selectbox(key=f"ww_plan_doel_ind_{WIJK}").value == "informele_hulp_pct"  # never the response count
    at.selectbox(key=f"ww_plan_doel_ind_{WIJK}").set_value("cohesie_score").run()
    at.selectbox(key=f"ww_plan_doel_basis_{WIJK}_cohesie_score").set_value(2023).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Basiswaarde 2023"] == "6,3"
    fields = f"{WIJK}_cohesie_score_2023"
    assert at.text_input(key=f"ww_plan_doel_streef_{fields}").value == "6,3"
    # Without a reason the line is refused, with a Dutch message naming the column.
    at.text_input(key=f"ww_plan_doel_streef_{fields}").set_value("6,8")
    at.button(key="ww_plan_doel_toevoegen").click().run()
    assert any("kolom 'reden'" in e.value and "één zin" in e.value for e in at.error)
    assert len(at.session_state[DRAFT]["plan"]) == 7
    at.text_input(key=f"ww_plan_doel_reden_{fields}").set_value("Bewoners kennen elkaar minder dan elders.")
    at.number_input(key=f"ww_plan_doel_jaar_{fields}").set_value(2027)
    at.button(key="ww_plan_doel_toevoegen").click().run()
    _assert_clean(at)
    plan = at.session_state[DRAFT]["plan"]
    assert len(plan) == 8
    line = plan.iloc[-1]
    assert (line["gebiedscode"], line["indicator"], int(line["basisjaar"]), line["streefwaarde"],
            int(line["streefjaar"])) == (WIJK, "cohesie_score", 2023, 6.8, 2027)
    assert any("nog niet bewaard: 8 doelen en 3 maatregelen" in w.value for w in at.warning)
    text = _texts(at)
    assert "Gestegen van 6,3 naar" in text and "doel 6,8" in text

    f = lambda name: f"ww_plan_maatregel_{name}_{WIJK}"  # noqa: E731
    at.text_input(key=f("naam")).set_value("Buurtkamer <b>Vogel</b>")
    at.selectbox(key=f("component")).set_value("ontmoeting")
    at.text_input(key=f("startdatum")).set_value("31-2-2024")
    at.button(key="ww_plan_maatregel_toevoegen").click().run()
    assert any("kolom 'startdatum'" in e.value for e in at.error)
    at.text_input(key=f("startdatum")).set_value("1-3-2024")
    at.number_input(key=f("budget")).set_value(25000)
    at.button(key="ww_plan_maatregel_toevoegen").click().run()
    _assert_clean(at)
    measures = at.session_state[DRAFT]["maatregelen"]
    assert list(measures["id"]) == ["M01", "M02", "M03", "M04"]
    assert measures.iloc[-1]["naam"] == "Buurtkamer <b>Vogel</b>" and measures.iloc[-1]["budget"] == 25000
    assert at.text_input(key=f("naam")).value == ""  # the form is empty again for the next measure
    text = _texts(at)
    assert "Buurtkamer \\<b\\>Vogel\\</b\\>" in text or "Buurtkamer &lt;b&gt;Vogel&lt;/b&gt;" in text
    assert "M04 · vanaf 1-3-2024 · budget € 25.000" in text

    # The download is the save: the same bytes as the page offers, loaded back through the Gegevens page.
    draft = at.session_state[DRAFT]
    files = {"plan": ("plan.csv", csv_bytes(plan_csv(draft["plan"]))),
             "maatregelen": ("maatregelen.csv", csv_bytes(measures_csv(draft["maatregelen"])))}
    at.switch_page("pages/gegevens.py").run()
    for source, (name, data) in files.items():
        at.selectbox(key="ww_gegevens_bron").set_value(source).run()
        at.file_uploader(key="ww_gegevens_los").set_value((name, data, "text/csv")).run()
        at.button(key="ww_gegevens_vervang").click().run()
        assert not at.exception and at.success, [e.value for e in at.error]
    ds = at.session_state["ww_dataset"]
    assert len(ds.plan) == 8 and len(ds.measures) == 4 and ds.measures["naam"].iloc[-1] == "Buurtkamer <b>Vogel</b>"
    at.switch_page("pages/wijkplan.py").run()
    _assert_clean(at)
    at.selectbox(key="ww_sel_plan_gebied").set_value(WIJK).run()  # a new dataset forgets the old selections
    assert any("met de gegevens is geladen: 8 doelen en 4 maatregelen" in s.value for s in at.success)
    assert "Gestegen van 6,3 naar" in _texts(at)
