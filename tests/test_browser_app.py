"""Real-browser tests of the whole app: `streamlit run app.py`, every page, the map, a wijkprofiel, presentation mode."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_harness import (
    AREA_PATHS,
    ARTIFACTS,
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

pytestmark = pytest.mark.browser

#: The pages the issue asks for, by their title in the navigation.
PAGE_TITLES: tuple[str, ...] = ("Start", "Kaart", "Wijkprofiel", "Netwerk", "Enquête", "Gaten en prioriteiten",
                                "Wijkplan", "Gegevens", "Verantwoording")
#: Text that must never appear on a page: a Python or Streamlit error instead of a Dutch message.
ERROR_TEXT = re.compile(r"Traceback|\bError\b|Exception|Er ging iets mis")
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@pytest.fixture(scope="module")
def demo():
    """The demo municipality, as the app loads it."""
    from analysis.load.dataset import load_demo

    return load_demo()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The real app, started like a user starts it (from the repo root)."""
    log_dir = tmp_path_factory.mktemp("app")
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=log_dir, timeout_s=90) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with offline_browser() as state:
        yield state


@pytest.fixture
def page(browser):
    page = browser.context.new_page()
    page.set_default_timeout(30_000)
    yield page
    page.close()


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------

def settle(page, timeout_s: float = 60.0, quiet_s: float = 1.5) -> None:
    """Wait until the script has finished: a title is shown and no 'running' indicator for ``quiet_s``."""
    try:
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_s * 1000)
    except Exception as exc:
        name = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "start"
        save_screenshot(page, f"fout-{name}")
        text = page.locator("body").inner_text()[:1500]
        raise AssertionError(f"{page.url}: no page title after {timeout_s:.0f} s; the page shows: {text}") from exc
    deadline = time.monotonic() + timeout_s
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSpinner"], '
                            '[data-testid="stSkeleton"]').count()
        if busy:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"page {page.url} kept running for {timeout_s:.0f} s")


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def assert_no_error(page, name: str) -> None:
    """No traceback, no 'Error', no Streamlit exception or error box on the page."""
    text = page.locator('[data-testid="stApp"]').inner_text()
    found = ERROR_TEXT.search(text)
    boxes = page.locator(ERROR_ELEMENTS)
    detail = " | ".join(boxes.all_inner_texts())[:800]
    assert found is None, f"{name}: error text {found.group(0)!r} on the page: {detail or text[:800]}"
    assert boxes.count() == 0, f"{name}: error box on the page: {detail}"


def nav_links(page) -> dict[str, str]:
    """Page title -> URL from the sidebar navigation (st.navigation)."""
    page.wait_for_selector('[data-testid="stSidebarNav"] a')
    links = page.locator('[data-testid="stSidebarNav"] a')
    found = {}
    for i in range(links.count()):
        link = links.nth(i)
        # The text starts with the material icon's name on its own line; the title is the last line.
        title = link.inner_text().strip().splitlines()[-1].strip()
        found[title] = link.get_attribute("href")
    return found


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    settle(page)


# --------------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------------

def test_every_page_opens_without_errors(app_server, browser, page, demo):
    open_page(page, app_server.url)
    # Start: the fictional demo, clearly marked, with the key figures.
    text = main_text(page)
    assert "Voorbeeldstad" in text and "fictie" in text.lower() and "Kerncijfers" in text
    links = nav_links(page)
    missing = [title for title in PAGE_TITLES if title not in links]
    assert not missing, f"pages missing from the navigation: {missing} (found {list(links)})"
    for title in PAGE_TITLES:
        if title != "Start":
            open_page(page, links[title])
        assert page.locator('[data-testid="stMain"] h1').first.is_visible(), title
        if page.locator('iframe[title="streamlit_folium.st_folium"]').count():
            find_frame_with(page, AREA_PATHS, min_count=1, timeout_s=30)  # maps draw after the page settles
        assert_no_error(page, title)
        name = re.sub(r"[^a-z]+", "-", title.lower().replace("ê", "e")).strip("-")
        save_screenshot(page, f"pagina-{name}")
    assert_only_tiles_left(browser)


def test_kaart_areas_legend_layers_and_click_to_wijkprofiel(app_server, browser, page, demo):
    open_page(page, app_server.url)
    open_page(page, nav_links(page)["Kaart"])
    n_wijken = len(demo.areas("wijk"))
    frame = find_frame_with(page, AREA_PATHS, min_count=1, timeout_s=60)
    assert wait_for_count(frame, AREA_PATHS, n_wijken) == n_wijken
    legend = frame.locator(".ww-legend")
    assert legend.is_visible()
    assert legend.locator(".ww-swatch.ww-class").count() >= 3
    legend_title = legend.locator("h4").first.inner_text().strip()
    assert legend_title
    fills = set(frame.eval_on_selector_all(AREA_PATHS, "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills) >= 3
    assert_no_error(page, "Kaart")
    save_screenshot(page, "kaart-wijken")

    # Switch a component layer off in the map's layer control: its markers disappear, the areas stay.
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    labels = [label.strip() for label in overlays.all_inner_texts()]
    checked = [overlays.nth(i).locator("input").is_checked() for i in range(len(labels))]
    marker_layers = [i for i, label in enumerate(labels)
                     if checked[i] and label != legend_title and "Netwerk" not in label]
    assert marker_layers, f"no component layer switched on at first (layers: {labels})"
    before = frame.locator(".ww-marker").count()
    assert before > 0
    overlays.nth(marker_layers[0]).locator("input").click()
    deadline = time.monotonic() + 10
    while frame.locator(".ww-marker").count() >= before and time.monotonic() < deadline:
        page.wait_for_timeout(150)
    after = frame.locator(".ww-marker").count()
    assert after < before, f"switching off '{labels[marker_layers[0]]}' left {after} of {before} markers"
    assert frame.locator(AREA_PATHS).count() == n_wijken
    save_screenshot(page, "kaart-laag-uit")

    # Buurt level: one path per buurt.
    n_buurten = len(demo.areas("buurt"))
    page.get_by_role("radio", name="Buurten").first.click()
    frame = find_frame_with(page, AREA_PATHS, min_count=n_buurten, timeout_s=60)
    assert wait_for_count(frame, AREA_PATHS, n_buurten) == n_buurten
    settle(page)
    assert_no_error(page, "Kaart (buurten)")
    save_screenshot(page, "kaart-buurten")

    # Clicking an area opens the wijkprofiel of its wijk.
    frame.locator(".leaflet-marker-pane").evaluate("el => el.style.display = 'none'")
    click_centre(frame, AREA_PATHS, clickable_path(frame, AREA_PATHS))
    # st.switch_page changes the URL in place (history API), so poll it instead of waiting for a load.
    deadline = time.monotonic() + 30
    while not re.search(r"wijkprofiel.*wijk=WK", page.url) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert re.search(r"wijkprofiel.*wijk=WK", page.url), f"clicking an area did not open a wijkprofiel ({page.url})"
    settle(page)
    code = parse_qs(urlsplit(page.url).query)["wijk"][0]
    wijken = demo.areas("wijk")
    assert code in set(wijken["gebiedscode"].astype(str))
    name = wijken.loc[wijken["gebiedscode"].astype(str) == code, "gebiedsnaam"].iloc[0]
    assert name in main_text(page)
    # Its locator map shows every wijk.
    frame = find_frame_with(page, AREA_PATHS, min_count=n_wijken, timeout_s=60)
    assert frame.locator(AREA_PATHS).count() == n_wijken
    assert_no_error(page, "Wijkprofiel (na klik op de kaart)")
    save_screenshot(page, "wijkprofiel")
    assert_only_tiles_left(browser)


def test_presentation_mode_at_1920x1080(app_server, browser, demo):
    wijken = demo.areas("wijk").sort_values("gebiedscode")
    code, name = str(wijken["gebiedscode"].iloc[-1]), str(wijken["gebiedsnaam"].iloc[-1])
    page = browser.context.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    try:
        open_page(page, f"{app_server.url}/?presentatie=1&wijk={code}")
        assert_no_error(page, "Presentatiemodus")
        assert name in main_text(page)
        # No sidebar controls, large type.
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.count() == 0 or not sidebar.is_visible()
        title_px = float(page.locator('[data-testid="stMain"] h1').first.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)"))
        body_px = float(page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p').first.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)"))
        assert title_px >= 48 and body_px >= 22, (title_px, body_px)
        # The map and the profile side by side.
        frame = find_frame_with(page, AREA_PATHS, min_count=len(wijken), timeout_s=60)
        iframe_box = frame.frame_element().bounding_box()
        metric_box = page.locator('[data-testid="stMetric"]').first.bounding_box()
        assert iframe_box and metric_box
        beside = iframe_box["x"] >= metric_box["x"] + metric_box["width"] - 1 or \
            metric_box["x"] >= iframe_box["x"] + iframe_box["width"] - 1
        assert beside, f"map {iframe_box} and profile {metric_box} are not side by side"
        page.evaluate("window.scrollTo(0, 0)")
        page.locator('[data-testid="stMain"]').evaluate("el => el.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "presentatie-1.png"))
        first = main_text(page)
        # One wijk at a time, with next.
        page.get_by_role("button", name=re.compile("Volgende")).first.click()
        deadline = time.monotonic() + 30
        while main_text(page) == first and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        settle(page)
        assert main_text(page) != first
        assert_no_error(page, "Presentatiemodus (volgende)")
        page.locator('[data-testid="stMain"]').evaluate("el => el.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "presentatie-2.png"))
    finally:
        page.close()


def test_a_page_url_opened_first_after_a_server_start_goes_through_the_app(browser, tmp_path):
    """A bookmarked page URL as the very first request after start still gets app.py's navigation.

    Streamlit treats `pages/` as an old-style multipage folder until a session has called
    st.navigation; without `common.leave_legacy_pages` this visit showed the page script alone, with
    a navigation of file names ("common", "app") and without the wide layout.
    """
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=tmp_path, timeout_s=90) as server:
        page = browser.context.new_page()
        page.set_default_timeout(30_000)
        try:
            open_page(page, f"{server.url}/netwerk")
            assert tuple(nav_links(page)) == PAGE_TITLES
            assert page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Netwerk")
            assert_no_error(page, "netwerk (eerste bezoek)")
        finally:
            page.close()
