"""Real browser, 1920x1080, outside hosts blocked: a facilitator collects places in presentation mode.

Switch on "Plekken ophalen", click the projected map, type a reason (with markup and a formula in it), press a
kind; the place appears on the map at once; the places download as CSV and GeoPackage and load back as a
``notities`` and an ``initiatieven`` source with the same coordinates (to the centimetre) and texts.
"""

from __future__ import annotations

import pytest

from tests.browser_harness import (
    AREA_PATHS,
    REPO,
    assert_only_tiles_left,
    find_frame_with,
    offline_browser,
    save_screenshot,
    streamlit_app,
    wait_for_count,
)
from tests.council import english_problems, python_problems
from tests.test_browser_app import settle

pytestmark = pytest.mark.browser

REASONS = ("<script>alert(1)</script> bankje bij de vijver", '=HYPERLINK("http://x.example","klik") donker pad')


def _click_map(page, frame, fraction_x: float, fraction_y: float) -> None:
    """Click the map's frame at a fraction of its size (clear of the zoom and layer controls)."""
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + box["width"] * fraction_x, box["y"] + box["height"] * fraction_y)


def test_places_from_a_meeting_appear_download_and_load_back(tmp_path):
    from analysis.findings import Findings
    from analysis.load.dataset import load_demo
    from analysis.load.informal import load_initiatives, load_notes
    from analysis.render.places import read_places

    ds = load_demo()
    with streamlit_app(REPO / "app.py", cwd=REPO, log_dir=tmp_path, timeout_s=90) as server, \
            offline_browser(viewport=(1920, 1080)) as state:
        page = state.context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{server.url}/wijkprofiel?presentatie=1", wait_until="domcontentloaded")
        settle(page, timeout_s=120)
        page.get_by_text("Plekken ophalen", exact=True).first.click()
        settle(page, timeout_s=120)
        frame = find_frame_with(page, AREA_PATHS)
        for i, (reason, kind, at) in enumerate(zip(REASONS, ("waardevol", "onveilig"), ((0.45, 0.5), (0.6, 0.6)))):
            _click_map(page, frame, *at)
            page.get_by_text("Plek gekozen op de kaart").wait_for(timeout=60_000)
            page.get_by_label("2. Waarom? (kort)").fill(reason)
            page.get_by_label("2. Waarom? (kort)").press("Enter")
            settle(page, timeout_s=60)
            page.get_by_role("button", name=kind).click()
            settle(page, timeout_s=120)
            frame = find_frame_with(page, ".ww-place", min_count=i + 1)
            assert wait_for_count(frame, ".ww-place", i + 1) == i + 1
        assert page.get_by_text("2 plekken opgehaald").is_visible()
        assert frame.locator(".ww-place-waardevol").count() == 1 and frame.locator(".ww-place-onveilig").count() == 1
        # the script in the reason stayed text: nothing ran, and it shows as typed in the tooltip source
        assert page.evaluate("() => window.__pwned === undefined")
        save_screenshot(page, "plekken_ophalen_1920")
        assert not english_problems(page) and not python_problems(page)
        files = {}
        for label in ("Plekken (CSV)", "Plekken (GeoPackage)"):
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name=label).click()
            files[label] = tmp_path / info.value.suggested_filename
            info.value.save_as(files[label])
        assert_only_tiles_left(state)

    gpkg = read_places(files["Plekken (GeoPackage)"].read_bytes(), "plekken.gpkg")
    assert list(gpkg["reden"]) == list(REASONS)
    assert list(gpkg["soort"]) == ["waardevol", "onveilig"]
    findings = Findings()
    back = load_initiatives(files["Plekken (CSV)"], ds.buurten, findings, ds.year)
    assert not findings.has_errors
    # same points to the centimetre, and the same texts (the formula came back as text, not as a formula)
    assert ((back.geometry.x - gpkg.geometry.x).abs().max() <= 0.01) and \
        ((back.geometry.y - gpkg.geometry.y).abs().max() <= 0.01)
    assert list(back["naam"]) == list(REASONS)
    notes = load_notes(files["Plekken (CSV)"], set(ds.buurten["gebiedscode"]) | set(ds.wijken["gebiedscode"]),
                       Findings())
    assert len(notes) == 2 and all(r in t for r, t in zip(REASONS, notes["tekst"]))
