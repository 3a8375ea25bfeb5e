"""Real-browser checks of what a council room sees, on every page, the demo and a real municipality (Zwolle).

Each page must be Dutch only (no Streamlit English, no 'Page not found'), show no Python values ("None", "nan"),
cut no text off at 1366x768 (scroll width against client width, :mod:`tests.council`) and have no axe-core
violation of impact serious or critical against WCAG 2.1 AA. Presentation mode is checked at 1366x768 and
1920x1080. Screenshots go to the test artifacts folder for a person to look at.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.browser_harness import REPO, offline_browser, save_screenshot, streamlit_app
from tests.council import all_problems, english_problems, python_problems
from tests.paths import ZWOLLE
from tests.test_browser_app import nav_links, settle

pytestmark = pytest.mark.browser

SMALL = (1366, 768)
LARGE = (1920, 1080)


@pytest.fixture(scope="module")
def zwolle_dataset(tmp_path_factory) -> Path:
    """Zwolle's real files in a folder, with the dataset.toml the import assistant writes (``wijkweefsel nieuw``)."""
    from analysis import cli

    folder = tmp_path_factory.mktemp("zwolle_council")
    for path in ZWOLLE.iterdir():
        if path.suffix in (".csv", ".geojson"):
            shutil.copyfile(path, folder / path.name)
    assert cli.main(["nieuw", str(folder)]) == cli.EXIT_OK
    return folder


@pytest.fixture(scope="module")
def servers(tmp_path_factory, zwolle_dataset):
    """The app on the demo and the app on Zwolle, both started as a user starts them."""
    log_dir = tmp_path_factory.mktemp("council_logs")
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=log_dir, timeout_s=90) as demo, \
            streamlit_app(REPO / "app.py", cwd=REPO, log_dir=log_dir, timeout_s=90,
                          env={"WIJKWEEFSEL_DATASET": str(zwolle_dataset)}) as zwolle:
        yield {"demo": demo, "zwolle": zwolle}


def _visit(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    settle(page, timeout_s=120)


@pytest.mark.parametrize("dataset", ["demo", "zwolle"])
def test_every_page_is_dutch_whole_and_accessible_at_1366(servers, dataset):
    server = servers[dataset]
    problems: dict[str, list[str]] = {}
    with offline_browser(viewport=SMALL) as state:
        page = state.context.new_page()
        page.set_default_timeout(60_000)
        _visit(page, server.url)
        links = nav_links(page)
        assert len(links) == 9, links
        for title, href in links.items():
            _visit(page, href if href.startswith("http") else f"{server.url}/{href.lstrip('/')}")
            save_screenshot(page, f"council_{dataset}_1366_{title}")
            found = all_problems(page)
            if found:
                problems[title] = found
    assert not problems, "\n".join(f"{t}: {p}" for t, ps in problems.items() for p in ps)


def test_open_dropdowns_speak_dutch(servers):
    """Streamlit's dropdown texts ('Select all', 'No results') only appear when a list is open."""
    with offline_browser(viewport=SMALL) as state:
        page = state.context.new_page()
        page.set_default_timeout(60_000)
        _visit(page, f"{servers['demo'].url}/netwerk")
        box = page.locator('[data-testid="stMultiSelect"]').first
        box.locator("input").click()
        page.wait_for_selector('[role="listbox"], [data-baseweb="menu"]', timeout=10_000)
        box.locator("input").fill("xyzzy")  # nothing matches: the 'no results' text
        page.wait_for_timeout(600)
        found = english_problems(page) + python_problems(page)
        text = page.locator("body").inner_text()
        assert "Geen resultaten" in text or "Geen keuzes beschikbaar" in text, text[-400:]
        assert not found, found


@pytest.mark.parametrize(("dataset", "size"), [("demo", SMALL), ("demo", LARGE), ("zwolle", LARGE)])
def test_presentation_mode_fits_and_speaks_dutch(servers, dataset, size):
    server = servers[dataset]
    with offline_browser(viewport=size) as state:
        page = state.context.new_page()
        page.set_default_timeout(60_000)
        _visit(page, f"{server.url}/wijkprofiel?presentatie=1")
        save_screenshot(page, f"council_{dataset}_presentatie_{size[0]}")
        found = all_problems(page)
        assert page.locator("h1").first.is_visible()
        assert not found, "\n".join(found)


def test_a_presentation_deep_link_opens_through_the_app_without_a_modal(servers):
    from analysis.load.dataset import load_demo

    code = sorted(load_demo().wijken["gebiedscode"])[3]
    with offline_browser(viewport=LARGE) as state:
        page = state.context.new_page()
        page.set_default_timeout(60_000)
        _visit(page, f"{servers['demo'].url}/wijkprofiel?wijk={code}&presentatie=1")
        assert page.locator('[role="dialog"]').count() == 0
        assert not english_problems(page)
        name = load_demo().wijken.set_index("gebiedscode").loc[code, "gebiedsnaam"]
        assert page.locator("h1").first.inner_text().strip() == name


def test_the_wijkprofiel_files_are_made_on_click_and_download(servers, tmp_path):
    """PNG, CSV and Excel are made when their button is clicked (not on every page open) and arrive whole."""
    from openpyxl import load_workbook
    from PIL import Image

    with offline_browser(viewport=LARGE) as state:
        page = state.context.new_page()
        page.set_default_timeout(120_000)
        _visit(page, f"{servers['demo'].url}/wijkprofiel")
        got = {}
        for label in ("Wijkprofiel als PNG", "Cijfers als CSV (Excel NL)", "Alle indicatoren als Excel"):
            button = page.get_by_role("button", name=label)
            button.wait_for(state="visible", timeout=120_000)
            with page.expect_download(timeout=120_000) as info:
                button.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            got[label] = target
    with Image.open(got["Wijkprofiel als PNG"]) as image:
        assert image.format == "PNG" and image.width >= 1000
    text = got["Cijfers als CSV (Excel NL)"].read_bytes().decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and len(text.splitlines()) > 10
    sheets = load_workbook(got["Alle indicatoren als Excel"]).sheetnames
    assert {"Wijken", "Buurten", "Gemeente", "Definities", "Bronnen"} <= set(sheets), sheets


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
