"""Real browser: from the demo, Zwolle's own files through the import assistant (no hand-written manifest), then the
dataset ZIP re-uploaded in a fresh session gives the same dataset; no English upload text is visible."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser_harness import (
    ARTIFACTS,
    REPO,
    assert_only_tiles_left,
    find_frame_with,
    offline_browser,
    offline_context,
    save_screenshot,
    streamlit_app,
)
from tests.paths import ZWOLLE, shared_file
from tests.test_browser_app import assert_no_error, main_text, settle

pytestmark = pytest.mark.browser

#: Streamlit's own English texts of an upload box that a Dutch user must not read.
ENGLISH_UPLOAD = re.compile(r"Drag and drop|Browse files|Limit \d|\d+ ?MB per file|files are not allowed|"
                            r"\bUpload\b|add icon", re.IGNORECASE)
#: Every text a user can see in the upload boxes: rendered, not hidden, not a material icon's ligature name.
VISIBLE_UPLOAD_TEXT = """() => {
  const out = [];
  for (const root of document.querySelectorAll('[data-testid="stFileUploader"]')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!el || el.closest('[data-testid="stIconMaterial"]')) continue;
      if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) continue;
      out.push(walker.currentNode.textContent.trim());
    }
  }
  return out.filter(Boolean).join('\\n');
}"""
ASSISTANT_INPUT = '.st-key-ww_as_upload [data-testid="stFileUploaderDropzoneInput"]'


@dataclass
class UserSteps:
    """What the user did: every click, drop and typed text, and when."""

    started: float = field(default_factory=time.monotonic)
    steps: list[str] = field(default_factory=list)

    def __call__(self, what: str) -> None:
        self.steps.append(what)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def _zwolle_files(folder: Path) -> list[str]:
    """Zwolle's files as a user has them: the small ones, the addresses, not SOURCE.md."""
    for path in ZWOLLE.iterdir():
        if path.name != "SOURCE.md":
            shutil.copyfile(path, folder / path.name)
    shutil.copyfile(shared_file("zwolle", "zwolle_adressen.gpkg"), folder / "zwolle_adressen.gpkg")
    return sorted(str(p) for p in folder.iterdir())


def _go(page, title: str, user: UserSteps) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=re.compile(rf"^\W*\w*\s*{re.escape(title)}$")).first.click()
    user(f"klik: menu {title}")
    heading = {"Start": "Wijkweefsel"}.get(title, title)
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.startsWith(t)",
                           arg=heading, timeout=60_000)
    settle(page)


def _wait_for_text(page, text: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in main_text(page):
        if time.monotonic() > deadline:
            save_screenshot(page, "import-wacht")
            raise AssertionError(f"'{text}' did not appear; the page shows: {main_text(page)[:2000]}")
        page.wait_for_timeout(300)
    settle(page)


def _dataset_code(page) -> str:
    match = re.search(r"Datasetcode: ([0-9a-f]{16})", main_text(page))
    assert match, main_text(page)[:1500]
    return match.group(1)


def _no_english_upload_text(page) -> None:
    """Nothing of Streamlit's English upload texts is visible; the Dutch texts are there instead."""
    visible = page.evaluate(VISIBLE_UPLOAD_TEXT)
    found = ENGLISH_UPLOAD.search(visible)
    assert found is None, f"English upload text visible: {found.group(0)!r} in {visible!r}"
    # pages/look.py puts the Dutch texts in place of the English ones (real text, so screen readers get it too)
    assert "Bestanden kiezen" in visible and "MB per bestand" in visible, visible


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=tmp_path_factory.mktemp("app"), timeout_s=90) as server:
        yield server


def test_zwolle_through_the_assistant_then_one_upload_next_time(app_server, tmp_path):
    files = _zwolle_files(tmp_path)
    with offline_browser() as browser:
        page = browser.context.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_server.url, wait_until="domcontentloaded")
        settle(page)
        assert "Voorbeeldstad" in main_text(page)
        user = UserSteps()
        _go(page, "Gegevens", user)
        _no_english_upload_text(page)

        page.locator(ASSISTANT_INPUT).set_input_files(files)
        user(f"sleep: {len(files)} bestanden in de assistent")
        _wait_for_text(page, "Bruikbaar: Zwolle")
        text = main_text(page)
        assert "zwolle_wijken_2024.geojson: CBS-wijken (kaart) (niet gebruikt)" in text
        assert "zwolle_scholen.geojson: Voorzieningen (plekken) (wordt gebruikt)" in text
        _no_english_upload_text(page)
        save_screenshot(page, "import-voorstel")

        # What a user checks and corrects: why the 2024 wijken are left out, and the dataset's name.
        page.locator('[data-testid="stExpander"] summary', has_text="zwolle_wijken_2024.geojson").click()
        user("klik: open zwolle_wijken_2024.geojson")
        page.wait_for_timeout(500)
        assert "terwijl de buurten van 2015 zijn" in main_text(page)
        page.locator('[data-testid="stExpander"] summary', has_text="zwolle_scholen.geojson").click()
        user("klik: open zwolle_scholen.geojson")
        settle(page)
        assert "component onderwijs uit kolom onderwijssoort" in main_text(page)
        name = page.get_by_label("Naam van de dataset")
        name.fill("Gemeente Zwolle")
        name.press("Enter")
        user("typ: naam van de dataset")
        _wait_for_text(page, "Bruikbaar: Gemeente Zwolle")

        page.locator(".st-key-ww_as_laden button").click()
        user("klik: Laden")
        _wait_for_text(page, "Gemeente Zwolle is geladen")
        seconds_to_loaded = user.seconds
        steps_to_loaded = len(user.steps)
        code = _dataset_code(page)
        assert_no_error(page, "Gegevens (na laden)")
        save_screenshot(page, "import-geladen")

        # The result: 78 buurten, 16 wijken, schools and care on the map (cohesion per wijk: at the end).
        _go(page, "Start", user)
        assert (_metric(page, "Buurten"), _metric(page, "Wijken")) == ("78", "16")
        _go(page, "Kaart", user)
        frame = find_frame_with(page, ".leaflet-control-layers-overlays label", min_count=1, timeout_s=60)
        for layer in ("Onderwijs", "Zorg"):  # switch the layer on in the map's layer control when it is off
            switch = frame.locator(".leaflet-control-layers-overlays label", has_text=layer).first.locator("input")
            if not switch.is_checked():
                switch.click(force=True)
                user(f"klik: kaartlaag {layer} aan")
        frame = find_frame_with(page, ".ww-marker-onderwijs", min_count=73, timeout_s=60)
        assert frame.locator(".ww-marker-onderwijs").count() == 73
        assert frame.locator(".ww-marker-zorg").count() == 22
        assert_no_error(page, "Kaart (Zwolle)")
        save_screenshot(page, "import-kaart")

        # Download as a dataset ...
        _go(page, "Gegevens", user)
        with page.expect_download() as info:
            page.locator(".st-key-ww_gegevens_download").get_by_role("button", name=re.compile("Download als dataset")).click()
        user("klik: Download als dataset")
        archive = tmp_path / "gemeente_zwolle.zip"
        info.value.save_as(archive)
        assert archive.stat().st_size > 100_000
        assert_only_tiles_left(browser)

        # ... and next time it is one upload, in a fresh session: the same dataset.
        fresh = offline_context(browser.context.browser)
        try:
            again = fresh.context.new_page()
            again.set_default_timeout(60_000)
            again.goto(app_server.url, wait_until="domcontentloaded")
            settle(again)
            second = UserSteps()
            _go(again, "Gegevens", second)
            again.locator(ASSISTANT_INPUT).set_input_files(str(archive))
            second("sleep: de ZIP")
            _wait_for_text(again, "Bruikbaar: Gemeente Zwolle")
            again.locator(".st-key-ww_as_laden button").click()
            second("klik: Laden")
            _wait_for_text(again, "Gemeente Zwolle is geladen")
            assert _dataset_code(again) == code
            assert_no_error(again, "Gegevens (ZIP opnieuw)")
            assert_only_tiles_left(fresh)
        finally:
            fresh.context.close()
        report = (f"Zwolle via de assistent: {steps_to_loaded} handelingen, {seconds_to_loaded:.1f} s tot geladen "
                  f"({'; '.join(user.steps[:steps_to_loaded])}); ZIP opnieuw in een nieuwe sessie: {len(second.steps)} "
                  f"handelingen, {second.seconds:.1f} s; datasetcode {code}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "import-meting.txt").write_text(report + "\n", encoding="utf-8")
        print(report)
        # Cohesion from the monitor on the Enquête page, per wijk (the default level).
        _go(page, "Enquête", user)
        text = main_text(page)
        save_screenshot(page, "import-enquete")
        assert "Geen enquêtecijfers op wijkniveau" not in text, text[:1500]
        assert "Sociale samenhang" in text
        assert_no_error(page, "Enquête (Zwolle, wijken)")
