"""Real-browser test of a build_map map in a small Streamlit app (tests/fixtures_map_app.py), all outside hosts blocked."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import quote

import geopandas as gpd
import pytest

from tests.browser_harness import (
    AREA_PATHS,
    REPO,
    assert_only_tiles_left,
    click_centre,
    clickable_path,
    find_frame_with,
    offline_browser,
    save_screenshot,
    streamlit_app,
    wait_for_count,
)
from tests.paths import ZWOLLE

pytestmark = pytest.mark.browser

WIJKEN_FILE = ZWOLLE / "zwolle_wijken_2015.geojson"


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    """The fixture app, copied to a temporary folder (its static/ must not land in tests/), running."""
    if not WIJKEN_FILE.exists():
        pytest.skip(f"testdata ontbreekt: {WIJKEN_FILE}")
    folder = tmp_path_factory.mktemp("map_app")
    script = folder / "map_app.py"
    shutil.copy(REPO / "tests" / "fixtures_map_app.py", script)
    with streamlit_app(script, env={"WIJKWEEFSEL_REPO": str(REPO)}, log_dir=folder) as server:
        yield server


@pytest.fixture(scope="module")
def wijken() -> gpd.GeoDataFrame:
    return gpd.read_file(WIJKEN_FILE)


def assert_click_returns_a_code(page, frame, codes: set[str]) -> None:
    """Click a free area centre in view and wait for the app to show that area's code."""
    frame.locator(".leaflet-marker-pane").evaluate("el => el.style.display = 'none'")
    index = clickable_path(frame, AREA_PATHS)
    click_centre(frame, AREA_PATHS, index)
    chosen = page.get_by_text(re.compile(r"Gekozen gebied: WK\d{6}"))
    chosen.wait_for(timeout=20000)
    assert chosen.inner_text().split(": ")[1] in codes


def test_map_renders_offline_with_legend_layers_and_clicks(map_app, wijken):
    with offline_browser() as browser:
        page = browser.context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(map_app.url, wait_until="domcontentloaded")
        frame = find_frame_with(page, AREA_PATHS, min_count=1, timeout_s=60)

        # One drawn path per wijk, even though every tile request is blocked.
        assert wait_for_count(frame, AREA_PATHS, len(wijken)) == len(wijken)
        fills = frame.eval_on_selector_all(AREA_PATHS, "els => els.map(e => e.getAttribute('fill'))")
        assert len(set(fills)) >= 4  # a real choropleth, not one colour

        # The legend: title, five classes, "geen gegevens".
        legend = frame.locator(".ww-legend")
        assert legend.is_visible()
        assert "Inwoners van 65 jaar en ouder (%)" in legend.inner_text()
        assert legend.locator(".ww-swatch.ww-class").count() == 5
        assert "geen gegevens" in legend.inner_text()
        legend_colours = set(legend.locator(".ww-swatch.ww-class").evaluate_all(
            "els => els.map(e => getComputedStyle(e).backgroundColor)"))
        assert len(legend_colours) == 5

        # Facility markers: three ontmoeting, two zorg, two sport; switch the ontmoeting layer off and on.
        ontmoeting = ".ww-marker-ontmoeting"
        assert wait_for_count(frame, ontmoeting, 3) == 3
        assert frame.locator(".ww-marker-zorg").count() == 2
        toggle = frame.locator(".leaflet-control-layers-overlays label",
                               has_text="Fysieke ontmoetingsplekken").locator("input")
        assert toggle.is_checked()
        toggle.click()
        assert wait_for_count(frame, ontmoeting, 0) == 0
        assert frame.locator(".ww-marker-zorg").count() == 2
        assert frame.locator(AREA_PATHS).count() == len(wijken)
        toggle.click()
        assert wait_for_count(frame, ontmoeting, 3) == 3

        # A hostile facility name shows as text in its tooltip, never as markup.
        frame.locator(".ww-marker-sport").nth(1).hover()
        tooltip = frame.locator(".leaflet-tooltip").last
        tooltip.wait_for(state="visible", timeout=5000)
        assert "Zwembad <script>alert(1)</script>" in tooltip.inner_text()
        assert not dialogs

        save_screenshot(page, "kaarttest-zwolle")

        # Clicking an area sends its code back to the app (the Kaart page opens its wijkprofiel this way).
        assert_click_returns_a_code(page, frame, set(wijken["WK_CODE"]))

        # The only requests that left (and were blocked) are basemap tiles: no script, style or font.
        assert browser.blocked, "the default basemap should have asked for tiles"
        assert_only_tiles_left(browser)


def test_plain_background_makes_no_outside_request(map_app, wijken):
    with offline_browser() as browser:
        page = browser.context.new_page()
        page.goto(f"{map_app.url}/?achtergrond={quote('Geen achtergrond')}", wait_until="domcontentloaded")
        frame = find_frame_with(page, AREA_PATHS, min_count=len(wijken), timeout_s=60)
        assert frame.locator(AREA_PATHS).count() == len(wijken)
        assert frame.locator(".leaflet-tile").count() == 0
        page.wait_for_timeout(500)
        assert browser.blocked == [], browser.blocked
        # The Leaflet the map runs on came from the app itself.
        leaflet = frame.evaluate("() => window.L && window.L.version")
        assert leaflet == "1.9.3"
        sources = frame.eval_on_selector_all("script[src], link[href]",
                                             "els => els.map(e => e.src || e.href)")
        assert sources and all(json.dumps(s).startswith('"http://127.0.0.1') for s in sources), sources


def test_click_on_a_map_partly_out_of_view(map_app, wijken):
    # Leaflet focuses the map on mousedown; without preventScroll the page scrolls the whole map into
    # view before mouseup, and the click no longer hits an area (seen on the Kaart page).
    with offline_browser(viewport=(1400, 560)) as browser:
        page = browser.context.new_page()
        page.goto(f"{map_app.url}/?achtergrond={quote('Geen achtergrond')}", wait_until="domcontentloaded")
        frame = find_frame_with(page, AREA_PATHS, min_count=len(wijken), timeout_s=60)
        box = frame.frame_element().bounding_box()
        assert box["y"] + box["height"] > 560  # the map is only partly in view
        assert_click_returns_a_code(page, frame, set(wijken["WK_CODE"]))
