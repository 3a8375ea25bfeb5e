"""AppTest tests of every page: no exception, the key elements present, the map holds every wijk of the demo."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.load.dataset import DEMO_DIR, load_dataset
from tests.paths import ZWOLLE

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
ZWOLLE_BUURTEN = ZWOLLE / "zwolle_buurten_2015.geojson"
TIMEOUT_S = 240
PAGES = ("kaart", "wijkprofiel", "netwerk", "enquete", "gaten", "wijkplan", "gegevens", "verantwoording")
#: Words that only appear when something went wrong.
ERROR_WORDS = ("Traceback", "Er ging iets mis", "Exception")


@pytest.fixture(scope="module")
def demo(demo_dataset):
    return demo_dataset


def _app(query: dict[str, str] | None = None, dataset=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if dataset is not None:
        from pages.common import DATASET_HASH_KEY, DATASET_KEY, content_hash

        at.session_state[DATASET_KEY] = dataset
        at.session_state[DATASET_HASH_KEY] = content_hash(dataset)
    return at


def _open(page: str, **kwargs) -> AppTest:
    at = _app(**kwargs)
    at.run()
    if page != "start":
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                  "header", "subheader") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = _texts(at)
    for word in ERROR_WORDS:
        assert word not in text


def _folium_scripts(at: AppTest) -> list[dict]:
    found = []
    for element in at.main.get("component_instance") if hasattr(at.main, "get") else []:
        proto = element.proto
        if getattr(proto, "component_name", "").endswith("st_folium"):
            found.append(json.loads(proto.json_args))
    return found


def _plotly(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def _array(value) -> list:
    """A plotly data array: a plain list, or plotly's typed-array encoding ``{"dtype", "bdata"}``."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


# --------------------------------------------------------------------------------------

def test_start_page_shows_demo_key_figures_and_sources(demo):
    at = _open("start")
    _assert_clean(at)
    assert at.title[0].value == "Wijkweefsel"
    assert "Fictieve gegevens" in at.info[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Wijken"] == str(len(demo.wijken))
    assert metrics["Buurten"] == str(len(demo.buurten))
    sources = at.dataframe[0].value
    assert "aanwezig" in set(sources["status"])
    assert len(at.get("page_link")) == 8


def test_kaart_map_holds_every_wijk_of_the_demo(demo):
    at = _open("kaart")
    _assert_clean(at)
    maps = _folium_scripts(at)
    assert len(maps) == 1
    script = maps[0]["script"]
    codes = set(re.findall(r'"gebiedscode": ?"(WK\d{6})"', script))
    assert codes == set(demo.wijken["gebiedscode"].astype(str))
    # Offline: every script and style the map loads is served by the app itself.
    assert not [u for u in maps[0]["js_links"] + maps[0]["css_links"] if u.startswith("http")]


def test_kaart_buurt_level_draws_every_buurt(demo):
    at = _open("kaart")
    at.segmented_control(key="ww_sel_kaart_niveau").set_value("buurt").run()
    _assert_clean(at)
    script = _folium_scripts(at)[0]["script"]
    codes = set(re.findall(r'"gebiedscode": ?"(BU\d{8})"', script))
    assert codes == set(demo.buurten["gebiedscode"].astype(str))


def test_wijkprofiel_next_changes_the_wijk(demo):
    at = _open("wijkprofiel")
    _assert_clean(at)
    first = at.header[0].value
    assert first in set(demo.wijken["gebiedsnaam"].astype(str))
    assert "Kerncijfers" in [s.value for s in at.subheader]
    assert _folium_scripts(at), "locator map missing"
    at.button(key="ww_next").click().run()
    _assert_clean(at)
    assert at.header[0].value != first


def test_presentation_mode_from_url_hides_sidebar_controls(demo):
    at = _app(query={"presentatie": "1"})
    at.run()
    _assert_clean(at)
    assert not at.sidebar.get("toggle"), "no sidebar controls in presentation mode"
    assert at.button(key="ww_next").label.startswith("Volgende")
    first = at.title[0].value
    assert first in set(demo.wijken["gebiedsnaam"].astype(str))
    assert len(_folium_scripts(at)) == 1 and _plotly(at), "map and profile side by side"
    at.button(key="ww_next").click().run()
    _assert_clean(at)
    assert at.title[0].value != first


def test_presentation_toggle_switches_the_mode():
    at = _open("start")
    assert at.sidebar.get("toggle")
    at.toggle(key="ww_presentatie_toggle").set_value(True).run()
    _assert_clean(at)
    assert at.session_state["ww_presentatie"] is True
    assert not at.sidebar.get("toggle")
    # Presentation mode shows the wijkprofiel, one wijk at a time, whatever page it was switched on from.
    assert at.button(key="ww_next").label.startswith("Volgende wijk")


def test_netwerk_counts_the_demo_associations(demo):
    at = _open("netwerk")
    _assert_clean(at)
    year = int(demo.year)
    # the active associations of the year by the one year rule (the graph of the export and the wijk figures)
    this_year = demo.rows_of_year(demo.associations, year)
    active = this_year[this_year["actief"].astype("boolean").fillna(False).to_numpy(bool)]
    expected = len(active)
    assert expected < len(this_year)  # the demo has inactive associations: they are left out
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Verenigingen"] == f"{expected:,}".replace(",", ".")
    figures = _plotly(at)
    assert len(figures) == 2  # the graph and bonding/bridging
    nodes = figures[0]["data"][1]
    assert len(_array(nodes["x"])) == expected
    # Filter by one wijk: only its associations remain.
    wijk = str(demo.wijken["gebiedscode"].iloc[0])
    at.multiselect(key="ww_sel_netwerk_wijken").set_value([wijk]).run()
    in_wijk = int((active["wijkcode"].astype(str) == wijk).sum())
    assert {m.label: m.value for m in at.metric}["Verenigingen"] == str(in_wijk)


def test_enquete_shows_intervals_response_and_suppression(demo):
    at = _open("enquete")
    _assert_clean(at)
    heads = [s.value for s in at.subheader]
    assert heads[0] == "Uitkomsten per gebied" and "Respons en representativiteit" in heads
    figures = _plotly(at)
    assert "error_x" in figures[0]["data"][0]
    assert "30 respondenten" in _texts(at)


def test_gaten_matrix_weights_and_what_if(demo):
    at = _open("gaten")
    _assert_clean(at)
    matrix = at.dataframe[0].value
    assert len(matrix) == len(demo.wijken)
    order = list(_plotly(at)[0]["data"][0]["y"])
    at.slider(key="ww_sel_gewicht_behoefte").set_value(3.0)
    at.slider(key="ww_sel_gewicht_gaten").set_value(0.0)
    at.slider(key="ww_sel_gewicht_cohesietekort").set_value(0.0).run()
    _assert_clean(at)
    new_order = list(_plotly(at)[0]["data"][0]["y"])
    assert sorted(new_order) == sorted(order)
    # With only 'behoefte' weighted, the other contributions are zero.
    bars = {trace["name"]: _array(trace["x"]) for trace in _plotly(at)[0]["data"]}
    assert all(v == 0 for v in bars["Tekorten aan voorzieningen"])
    labels = [m.label for m in at.metric]
    assert "Wijken met dit tekort" in labels and "Wijken die van plaats wisselen" in labels
    assert "Waarom hier" in at.selectbox(key="ww_sel_waarom_wijk").label
    # the business park (250 inhabitants) has no place: "te weinig inwoners voor een vergelijking"
    assert any(re.search(rf"Plaats \d+ van {len(demo.wijken) - 1}, score", m.value) for m in at.markdown)
    assert any("te weinig inwoners voor een vergelijking" in c.value for c in at.caption)


def test_verantwoording_lists_the_registry():
    from analysis.registry import REGISTRY

    at = _open("verantwoording")
    _assert_clean(at)
    assert len(at.dataframe[0].value) == len(REGISTRY)


def _zip_of(folder: Path, replace: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            data = (replace or {}).get(path.name, path.read_bytes())
            archive.writestr(f"dataset/{path.name}", data)
    return buffer.getvalue()


def test_gegevens_failed_upload_keeps_the_loaded_dataset(demo):
    at = _open("gegevens")
    _assert_clean(at)
    broken = _zip_of(DEMO_DIR, {"dataset.toml": b"[dataset]\nnaam = 'kapot'\n"})
    at.file_uploader(key="ww_as_upload").set_value([("kapot.zip", broken, "application/zip")]).run()
    assert not at.exception
    assert at.error, "a failed upload shows the validation errors"
    assert any("nog niet bruikbaar" in e.value for e in at.error)
    assert any("dataset.toml" in e.value and "jaar" in e.value for e in at.error)
    assert at.button(key="ww_as_laden").disabled
    assert at.session_state["ww_dataset"].name == demo.name


def test_gegevens_zip_upload_replaces_dataset_only_in_this_session(demo):
    manifest = (DEMO_DIR / "dataset.toml").read_text(encoding="utf-8")
    renamed = manifest.replace('naam = "Voorbeeldstad (fictief)"', 'naam = "Eigen stad"').encode()
    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value(
        [("eigen.zip", _zip_of(DEMO_DIR, {"dataset.toml": renamed}), "application/zip")]).run()
    assert not at.exception
    assert at.session_state["ww_dataset"].name == demo.name  # nothing is loaded before Laden
    at.button(key="ww_as_laden").click().run()
    assert not at.exception
    assert at.success and "Eigen stad" in at.success[0].value
    assert at.session_state["ww_dataset"].name == "Eigen stad"
    other = _open("start")
    assert other.session_state["ww_dataset"].name == demo.name


def test_pages_with_only_areas_show_empty_states():
    areas_only = load_dataset(ZWOLLE_BUURTEN)
    for page, expected in (("netwerk", "Geen verenigingen geladen"), ("enquete", "Geen enquête geladen"),
                           ("gaten", "Geen voorzieningen geladen")):
        at = _open(page, dataset=areas_only)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert expected in _texts(at), page


def test_gegevens_replacing_one_source(demo):
    at = _open("gegevens")
    at.selectbox(key="ww_gegevens_bron").set_value("verenigingen").run()
    at.file_uploader(key="ww_gegevens_los").set_value(("verenigingen.csv", b"foo;bar\n1;2\n", "text/csv")).run()
    at.button(key="ww_gegevens_vervang").click().run()
    assert not at.exception
    assert at.error and "niet geladen" in at.error[0].value
    assert at.session_state["ww_dataset"] is not None and at.session_state["ww_dataset"].root == DEMO_DIR
    fewer = b"\n".join((DEMO_DIR / "verenigingen.csv").read_bytes().splitlines()[:21]) + b"\n"
    at.file_uploader(key="ww_gegevens_los").set_value(("verenigingen_nieuw.csv", fewer, "text/csv")).run()
    at.button(key="ww_gegevens_vervang").click().run()
    assert not at.exception
    assert at.success, [e.value for e in at.error]
    assert len(at.session_state["ww_dataset"].associations) == 20
    assert len(at.session_state["ww_dataset"].facilities) == len(demo.facilities)


# ----------------------------------------------------------------------------------------------
# Gegevens: the import assistant and one source at a time, on every loaded dataset
# ----------------------------------------------------------------------------------------------

ZWOLLE_FILES = tuple(sorted(p.name for p in ZWOLLE.iterdir() if p.name != "SOURCE.md"))


def _uploads(*names: str) -> list[tuple[str, bytes, str]]:
    return [(name, (ZWOLLE / name).read_bytes(), "application/octet-stream") for name in names]


def _all_text(at: AppTest) -> str:
    return _texts(at) + "\n" + "\n".join(str(x.label) for x in at.expander)


def test_gegevens_assistant_loads_zwolle_without_a_manifest_and_says_why():
    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value(_uploads(*ZWOLLE_FILES)).run()
    assert not at.exception, [e.value for e in at.exception]
    text = _all_text(at)
    assert "herkend als voorzieningen: punten met namen in kolom VESTIGINGSNAAM" in text
    assert "zwolle_wijken_2024.geojson: CBS-wijken (kaart) (niet gebruikt)" in text
    assert "niet gebruikt: wijken van 2024, terwijl de buurten van 2015 zijn" in text
    assert at.session_state["ww_dataset"].is_demo  # nothing loaded before Laden
    assert any("Bruikbaar: Zwolle" in s.value for s in at.success)
    at.button(key="ww_as_laden").click().run()
    assert not at.exception
    ds = at.session_state["ww_dataset"]
    assert (ds.name, ds.year, len(ds.buurten), len(ds.wijken)) == ("Zwolle", 2015, 78, 16)
    assert ds.facilities["component"].value_counts().to_dict() == {"onderwijs": 73, "zorg": 22}
    assert {"cohesie_score", "eenzaam_pct"} <= set(ds.area_survey["indicator"])
    assert any(f"Datasetcode: {ds.content_hash()}" in c.value for c in at.caption)


def test_gegevens_assistant_corrections_change_the_dataset():
    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value(
        _uploads("zwolle_buurten_2015.geojson", "zwolle_zorginstellingen.geojson", "zwolle_bvb_ondersteuningsindex.csv")).run()
    # The care file is the only facility file: its component choice is the one radio of the assistant.
    choice = next(r for r in at.radio if str(r.key).startswith("ww_as_f") and str(r.key).endswith("_vz_wijze"))
    column = str(choice.key).replace("_vz_wijze", "_vz_kolom")
    # The care file's component per row from zorgsoort (every value proposed as zorg by the keyword list);
    # leaving rows out through the table ('overslaan') is tested in tests/load/test_writer.py.
    choice.set_value("per rij, uit een kolom").run()
    assert at.selectbox(key=column).value == "zorgsoort"
    at.button(key="ww_as_laden").click().run()
    ds = at.session_state["ww_dataset"]
    assert not at.exception and len(ds.facilities) == 22 and set(ds.facilities["component"]) == {"zorg"}
    assert set(ds.facilities["soort"]) >= {"GGZ"}


def test_gegevens_single_buurten_file_can_be_extended_and_checked_as_the_chosen_kind():
    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value(_uploads("zwolle_buurten_2015.geojson")).run()
    at.button(key="ww_as_laden").click().run()
    assert len(at.session_state["ww_dataset"].buurten) == 78
    at.selectbox(key="ww_gegevens_bron").set_value("voorzieningen").run()
    at.selectbox(key="ww_gegevens_component").set_value("onderwijs").run()
    at.file_uploader(key="ww_gegevens_los").set_value(_uploads("zwolle_scholen.geojson")[0]).run()
    at.button(key="ww_gegevens_controleer").click().run()
    assert not at.exception
    assert any("geen fouten gevonden" in s.value for s in at.success), [e.value for e in at.error]
    assert "2026" not in _texts(at)  # the old check read a schools file as buurten, with today's year
    at.button(key="ww_gegevens_vervang").click().run()
    ds = at.session_state["ww_dataset"]
    assert not at.exception and len(ds.facilities) == 73 and set(ds.facilities["component"]) == {"onderwijs"}
    # ... and removed again.
    source = next(k for k in ds.sources if k.startswith("voorzieningen:"))
    at.selectbox(key="ww_gegevens_bron").set_value(source).run()
    at.button(key="ww_gegevens_verwijder").click().run()
    assert not at.exception and len(at.session_state["ww_dataset"].facilities) == 0
    assert len(at.session_state["ww_dataset"].buurten) == 78


def test_gegevens_removing_a_source_from_the_demo(demo):
    at = _open("gegevens")
    at.selectbox(key="ww_gegevens_bron").set_value("verenigingen").run()
    at.button(key="ww_gegevens_verwijder").click().run()
    assert not at.exception
    # Ties need associations: removing them alone makes the dataset unusable, so nothing changes.
    assert at.error and "niet geladen" in at.error[0].value
    assert len(at.session_state["ww_dataset"].associations) == len(demo.associations)
    at.selectbox(key="ww_gegevens_bron").set_value("digitaal").run()
    at.button(key="ww_gegevens_verwijder").click().run()
    ds = at.session_state["ww_dataset"]
    assert len(ds.digital) == 0 and len(ds.associations) == len(demo.associations)


def test_gegevens_wrong_files_get_dutch_messages_and_never_replace_the_dataset(demo):
    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value([("notulen.pdf", b"%PDF-1.4", "application/pdf"),
                                                    ("leeg.csv", b"", "text/csv")]).run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "notulen.pdf: bestandstype '.pdf' wordt niet gelezen" in errors
    assert "leeg.csv" in errors and "leeg" in errors
    assert "er is geen buurtenbestand" in errors and "Oplossing" in errors
    assert at.button(key="ww_as_laden").disabled
    at.file_uploader(key="ww_gegevens_los").set_value(("kaart.pdf", b"%PDF", "application/pdf")).run()
    assert any("kaart.pdf: dit bestandstype (.pdf) wordt niet gelezen" in e.value for e in at.error)
    assert at.session_state["ww_dataset"].name == demo.name
    for word in ERROR_WORDS:
        assert word not in _texts(at)


def test_gegevens_dataset_zip_gives_the_same_dataset_again(tmp_path):
    from analysis.load.writer import dataset_zip, editable_folder

    at = _open("gegevens")
    at.file_uploader(key="ww_as_upload").set_value(_uploads(*ZWOLLE_FILES)).run()
    at.button(key="ww_as_laden").click().run()
    ds = at.session_state["ww_dataset"]
    data = dataset_zip(editable_folder(ds, tmp_path / "kopie"), ds.name)
    fresh = _open("gegevens")
    fresh.file_uploader(key="ww_as_upload").set_value([("zwolle.zip", data, "application/zip")]).run()
    assert any("complete dataset" in str(x.label).lower() or "Complete dataset" in str(x.label) for x in fresh.expander)
    fresh.button(key="ww_as_laden").click().run()
    again = fresh.session_state["ww_dataset"]
    assert again.content_hash() == ds.content_hash()
    assert any(f"Datasetcode: {ds.content_hash()}" in c.value for c in fresh.caption)


def test_verantwoording_weighs_initiatives_for_the_session():
    at = _open("verantwoording")
    _assert_clean(at)
    slider = at.slider(key="ww_gewicht_initiatieven")
    assert slider.value == 0.5
    slider.set_value(0.0).run()
    _assert_clean(at)
    assert at.session_state["ww_params"].initiative_weight == 0.0
    frames = [d.value for d in at.dataframe if "instelling" in d.value.columns]
    assert frames, "the settings table is shown"
    rows = dict(zip(frames[0]["instelling"], frames[0]["waarde"], strict=True))
    assert rows["Gewicht van initiatieven in 'meedoen'"] == "0"
