"""Real browser: a plan for a demo wijk written in the app (one target, one measure), downloaded as plan.csv and
maatregelen.csv, loaded back with the dataset on the Gegevens page, and its evaluation seen; the page passes the
council-room checks (Dutch only, no Python values, nothing cut off, no serious axe violation) at 1366x768."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest

from tests.browser_harness import REPO, assert_only_tiles_left, find_frame_with, offline_browser, save_screenshot, streamlit_app
from tests.council import all_problems
from tests.test_browser_app import assert_no_error, main_text, settle

pytestmark = pytest.mark.browser

SMALL = (1366, 768)
WIJK = "Vogelbuurt"  # WK999903: no target and no measure in the demo's plan
UPLOAD_INPUT = '.st-key-ww_gegevens_los [data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=tmp_path_factory.mktemp("app"), timeout_s=90) as server:
        yield server


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=re.compile(rf"^\W*\w*\s*{re.escape(title)}$")).first.click()
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.startsWith(t)",
                           arg=title, timeout=60_000)
    settle(page, timeout_s=120)


def _wait_for_text(page, text: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in main_text(page):
        if time.monotonic() > deadline:
            save_screenshot(page, "wijkplan-wacht")
            raise AssertionError(f"'{text}' did not appear; the page shows: {main_text(page)[:3000]}")
        page.wait_for_timeout(300)
    settle(page, timeout_s=120)


def _choose(page, key: str, option: str) -> None:
    """Pick ``option`` in the select box with widget key ``key`` (type to filter, click the option)."""
    box = page.locator(f".st-key-{key} input")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    settle(page, timeout_s=120)


def _type(page, key: str, text: str) -> None:
    field = page.locator(f".st-key-{key} input, .st-key-{key} textarea").first
    field.fill(text)
    field.press("Tab")
    settle(page, timeout_s=120)


def _download(page, key: str, label: str, folder):
    with page.expect_download(timeout=60_000) as info:
        page.locator(f".st-key-{key}").get_by_role("button", name=label).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _council(page, name: str) -> None:
    save_screenshot(page, name)
    found = all_problems(page)
    assert not found, "\n".join(found)


def _load_source(page, label: str, path) -> None:
    _choose(page, "ww_gegevens_bron", label)
    page.locator(UPLOAD_INPUT).set_input_files(str(path))
    settle(page, timeout_s=120)
    page.locator(".st-key-ww_gegevens_vervang").get_by_role("button", name="Toevoegen of vervangen en laden").click()
    _wait_for_text(page, f"{path.name}: geladen")


def test_a_plan_written_in_the_app_loads_back_and_is_evaluated(app_server, tmp_path):
    with offline_browser(viewport=SMALL) as browser:
        page = browser.context.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_server.url, wait_until="domcontentloaded")
        settle(page, timeout_s=120)
        _go(page, "Wijkplan")
        _wait_for_text(page, "met de gegevens is geladen: 7 doelen en 3 maatregelen")
        _council(page, "wijkplan-1366-demo")

        # One target: social cohesion in Vogelbuurt, from the 2023 survey to 6,8 in 2027, with its reason.
        _choose(page, "ww_sel_plan_gebied", WIJK)
        _wait_for_text(page, f"Nog geen doelen voor {WIJK}")
        _choose(page, "ww_plan_doel_ind_WK999903", "Sociale samenhang")
        _choose(page, "ww_plan_doel_basis_WK999903_cohesie_score", "2023")
        assert "Basiswaarde 2023" in main_text(page)
        fields = "WK999903_cohesie_score_2023"
        _type(page, f"ww_plan_doel_streef_{fields}", "6,8")
        _type(page, f"ww_plan_doel_reden_{fields}", "Bewoners kennen elkaar minder dan in de rest van de stad.")
        page.locator(".st-key-ww_plan_doel_toevoegen").get_by_role("button", name="Doel toevoegen").click()
        _wait_for_text(page, "nog niet bewaard: 8 doelen en 3 maatregelen")

        # One measure: a buurtkamer from 1 March 2024, with a budget.
        _type(page, "ww_plan_maatregel_naam_WK999903", "Buurtkamer in de Vogelschool")
        _type(page, "ww_plan_maatregel_startdatum_WK999903", "1-3-2024")
        _type(page, "ww_plan_maatregel_budget_WK999903", "25000")
        page.locator(".st-key-ww_plan_maatregel_toevoegen").get_by_role("button", name="Maatregel toevoegen").click()
        _wait_for_text(page, "nog niet bewaard: 8 doelen en 4 maatregelen")
        find_frame_with(page, ".ww-measure", min_count=1, timeout_s=60)
        assert_no_error(page, "Wijkplan (concept)")
        _council(page, "wijkplan-1366-concept")

        # The download is the save.
        plan_file = _download(page, "ww_plan_download_plan", "plan.csv downloaden", tmp_path)
        measure_file = _download(page, "ww_plan_download_maatregelen", "maatregelen.csv downloaden", tmp_path)
        plan_rows = list(csv.DictReader(io.StringIO(plan_file.read_text(encoding="utf-8"))))
        measure_rows = list(csv.DictReader(io.StringIO(measure_file.read_text(encoding="utf-8"))))
        assert plan_file.name == "plan.csv" and measure_file.name == "maatregelen.csv"
        assert len(plan_rows) == 8 and len(measure_rows) == 4
        assert {k: plan_rows[-1][k] for k in ("gebiedscode", "indicator", "basisjaar", "streefwaarde", "streefjaar")} \
            == {"gebiedscode": "WK999903", "indicator": "cohesie_score", "basisjaar": "2023", "streefwaarde": "6.8",
                "streefjaar": "2027"}
        assert measure_rows[-1]["id"] == "M04" and measure_rows[-1]["startdatum"] == "2024-03-01"

        # Loaded back with the dataset, one source at a time.
        _go(page, "Gegevens")
        _load_source(page, "Wijkplan", plan_file)
        _load_source(page, "Maatregelen", measure_file)
        assert_no_error(page, "Gegevens (plan geladen)")

        # The evaluation of the new line, now from the loaded plan.
        _go(page, "Wijkplan")
        _choose(page, "ww_sel_plan_gebied", WIJK)
        _wait_for_text(page, "met de gegevens is geladen: 8 doelen en 4 maatregelen")
        text = main_text(page)
        assert re.search(r"Gestegen van 6,3 naar \d,\d; (groter dan|binnen) de marge; doel 6,8 (nog niet )?gehaald\.",
                         text), text[-3000:]
        assert "Metingen: 2023: 6,3; 2024:" in text
        assert "Buurtkamer in de Vogelschool" in text and "Samenhang, geen bewijs" in text
        assert_no_error(page, "Wijkplan (geladen)")
        _council(page, "wijkplan-1366-geladen")
        assert_only_tiles_left(browser)
