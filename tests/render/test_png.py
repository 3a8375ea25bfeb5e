"""Tests for analysis.render.png: a valid, deterministic A4 image, no overlapping text, the table's counts, changes."""

from __future__ import annotations

import dataclasses
import io
import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

from analysis.compute import indicators
from analysis.compute.profile import CHANGE_COLUMNS, build_profile
from analysis.render import png
from tests.render.exportdata import YEAR, make_dataset


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)


def _image(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def profile_figure(ds, profile, context=None):
    """The PNG's figure, drawn with the PNG's fixed settings."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(png._RC)
        fig = png.profile_figure(ds, profile, context)
        fig.canvas.draw()
    return fig


def assert_no_overlap(fig, name: str = "") -> int:
    """No two non-empty texts of ``fig`` touch and none leaves the image; returns how many were checked.

    The faint diagonal FICTIEF behind a demo profile is the one text meant to lie under others.
    """
    renderer = fig.canvas.get_renderer()
    texts = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_gid() != png.WATERMARK_GID]
    width, height = fig.canvas.get_width_height()
    outside = [t for t, box in texts if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height]
    assert not outside, f"{name}: text outside the image: {outside}"
    clashes = [(a[:30], b[:30]) for (a, box_a), (b, box_b) in itertools.combinations(texts, 2)
               if box_a.overlaps(box_b)]
    assert not clashes, f"{name}: overlapping texts: {clashes}"
    return len(texts)


# ----------------------------------------------------------------------------------------------
# The image
# ----------------------------------------------------------------------------------------------

def test_profile_png_valid_large_not_blank_and_deterministic(ds, table):
    first = png.profile_png(ds, table, "WK099901")
    second = png.profile_png(ds, table, "WK099901")
    assert first == second
    pixels = _image(first)
    height, width, _ = pixels.shape
    assert width >= 2400 and height >= 1600
    assert pixels.std() > 20
    not_white = (pixels < 240).any(axis=2).mean()
    assert 0.03 < not_white < 0.6
    assert b"Software" not in first and b"Matplotlib" not in first


def test_profile_png_marks_demo_data_as_fictitious(ds, table):
    demo = _image(png.profile_png(ds, table, "WK099901"))
    real = _image(png.profile_png(make_dataset(is_demo=False), table, "WK099901"))
    height, width, _ = demo.shape
    # The red FICTIEF badge sits in the top right corner (about 93% across, 5% down).
    patch_demo = demo[int(0.03 * height):int(0.07 * height), int(0.86 * width):int(0.88 * width)].reshape(-1, 3)
    patch_real = real[int(0.03 * height):int(0.07 * height), int(0.86 * width):int(0.88 * width)].reshape(-1, 3)
    red = lambda p: ((p[:, 0] > 150) & (p[:, 1] < 90) & (p[:, 2] < 90)).mean()  # noqa: E731
    assert red(patch_demo) > 0.5
    assert red(patch_real) == 0.0


def test_profile_png_of_a_wijk_without_survey_or_baseline(ds, table):
    only_now = table[(table["jaar"] == YEAR) & ~table["indicator"].isin(["cohesie_score", "vrijwilliger_pct"])]
    pixels = _image(png.profile_png(ds, only_now, "WK099903"))
    assert pixels.shape[1] >= 2400 and pixels.std() > 20


# ----------------------------------------------------------------------------------------------
# No text runs into another
# ----------------------------------------------------------------------------------------------

def test_the_overlap_check_can_fail(ds, table):
    fig = profile_figure(ds, build_profile(ds, table, "WK099901"))
    assert_no_overlap(fig, "as drawn")
    fig.text(0.03, 0.95, "over de titel heen", fontsize=12)
    with pytest.raises(AssertionError, match="overlapping texts"):
        assert_no_overlap(fig, "with an extra text")
    fig.text(0.99, 0.5, "buiten het beeld", fontsize=12)
    with pytest.raises(AssertionError, match="outside the image"):
        assert_no_overlap(fig, "with a text off the edge")


def test_no_text_overlaps_on_any_demo_wijk(demo_dataset, demo_table):
    context = png.map_context(demo_dataset)
    metrics = context.year_metrics(demo_dataset, demo_dataset.year)
    for code in sorted(demo_dataset.wijken["gebiedscode"].astype(str)):
        profile = build_profile(demo_dataset, demo_table, code, metrics=metrics)
        assert assert_no_overlap(profile_figure(demo_dataset, profile, context), code) > 80


@pytest.mark.parametrize("code", ["WK099901", "WK099902", "WK099903"])
def test_no_text_overlaps_with_hostile_names(ds, table, code):
    assert_no_overlap(profile_figure(ds, build_profile(ds, table, code)), code)


@pytest.mark.parametrize("name", ["Verspreide huizen in het noordelijk en oostelijk buitengebied van de gemeente",
                                  "W" * 200])
def test_a_long_wijk_name_stays_in_its_place(ds, table, name):
    profile = dataclasses.replace(build_profile(ds, table, "WK099901"), name=name)
    assert_no_overlap(profile_figure(ds, profile), name[:20])


# ----------------------------------------------------------------------------------------------
# The map shows what the table counts
# ----------------------------------------------------------------------------------------------

def test_map_counts_equal_the_indicator_table(demo_dataset, demo_table):
    rows = demo_table[(demo_table["niveau"] == "wijk") & (demo_table["jaar"] == demo_dataset.year)]
    counts = rows.set_index(["gebiedscode", "indicator"])["waarde"]
    checked = 0
    for code in demo_dataset.wijken["gebiedscode"].astype(str):
        points = png.wijk_points(demo_dataset, code, demo_dataset.year)
        shown = points["component"].value_counts()
        for component in ("verenigingen", "ontmoeting", "zorg", "onderwijs", "sport", "cultuur", "openbare_ruimte"):
            expected = counts.get((code, f"{component}_aantal"))
            if expected is None or np.isnan(expected):
                continue
            assert shown.get(component, 0) == expected, (code, component)
            checked += 1
    assert checked >= 60


def test_inactive_and_other_year_associations_are_not_on_the_map(demo_dataset):
    associations = demo_dataset.associations
    year = demo_dataset.year
    code = "WK999901"
    in_wijk = associations["wijkcode"] == code
    all_rows = int(in_wijk.sum())
    points = png.wijk_points(demo_dataset, code, year)
    this_year_active = int((in_wijk & (associations["jaar"] == year) & associations["actief"]).sum())
    assert (points["component"] == "verenigingen").sum() == this_year_active < all_rows


# ----------------------------------------------------------------------------------------------
# What changed, in sentences
# ----------------------------------------------------------------------------------------------

def _change(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    frame["significant"] = frame["significant"].astype("boolean")
    return frame


def test_change_sentences_lead_with_significant_changes(ds, table):
    profile = build_profile(ds, table, "WK099901")
    change = _change([
        ("cohesie_index", "Cohesie-index", "index (100 = gemiddelde)", 95.0, 99.0, 4.0, False, pd.NA),
        ("vrijwilliger_pct", "Vrijwilligerswerk", "%", 24.2, 29.4, 5.2, True, True),
        ("eenzaam_pct", "Eenzaam", "%", 48.0, 50.0, 2.0, True, False),
        ("ontmoeting_aantal", "Ontmoeting: aantal", "aantal", 2.0, 3.0, 1.0, False, pd.NA),
        ("verenigingen_aantal", "Verenigingen: aantal", "aantal", 27.0, 24.0, -3.0, False, pd.NA),
        ("digitaal_aantal", "Digitaal: aantal platforms", "aantal", 2.0, 3.0, 1.0, False, pd.NA),
        ("zorg_dekking_pct", "Zorg: inwoners binnen 1.000 m", "%", 88.4, 93.1, 4.7, False, pd.NA),
        ("sport_dekking_pct", "Sport: inwoners binnen 1.500 m", "%", 90.1, 90.3, 0.2, False, pd.NA),
    ])
    sentences = png.change_sentences(dataclasses.replace(profile, change=change, baseline_year=2023), limit=10)
    texts = [t for t, _ in sentences]
    assert texts[0] == "Vrijwilligerswerk steeg van 24% naar 29%, meer dan de foutmarge."
    assert sentences[0][1] is True
    assert "Ontmoeting: 1 voorziening erbij (2 → 3)." in texts
    assert ("Verenigingen: 3 minder (27 → 24).", False) in sentences
    assert any(t.startswith("Zorg: nu 93% van de inwoners binnen") and t.endswith("(was 88%).") for t in texts)
    joined = " ".join(texts)
    assert "Eenzaam" not in joined and "Digitaal" not in joined and "Sport" not in joined and "Cohesie" not in joined
    assert texts.index("Ontmoeting: 1 voorziening erbij (2 → 3).") < next(
        i for i, t in enumerate(texts) if t.startswith("Zorg: nu"))


def test_no_baseline_no_sentences(ds, table):
    profile = build_profile(ds, table, "WK099901")
    assert png.change_sentences(dataclasses.replace(profile, baseline_year=None)) == []
