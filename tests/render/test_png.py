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


# ----------------------------------------------------------------------------------------------
# Initiatives, notes and the wijkplan (issues 12 and 13): a band below the page, only when they exist
# ----------------------------------------------------------------------------------------------

LONG_NOTE = "Bewoners vertellen " * 300  # about 5,700 characters


def _with_extras(ds):
    from shapely.geometry import Point

    from analysis import model

    extra = dataclasses.replace(ds, sources={**ds.sources, "initiatieven": "initiatieven.csv"})
    names = ["<script>alert(1)</script>", '=HYPERLINK("x")', "Koffieochtend $x$ de Kamer", "Klein clubje"]
    extra.initiatives = pd.DataFrame({
        "id": ["I1", "I2", "I3", "I4"], "naam": names, "soort": "buurtgroep", "startjaar": 2015, "eindjaar": pd.NA,
        "actief": True, "betrokkenen": [30.0, 12.0, 45.0, 3.0], "vereniging_id": None, "laatst_gecontroleerd": pd.NaT,
        "buurtcode": "BU09990101", "wijkcode": "WK099901"}).pipe(
        lambda f: model.gpd.GeoDataFrame(f, geometry=[Point(500, 500)] * 4, crs=model.CRS_RD))
    extra.notes = pd.DataFrame({
        "datum": pd.to_datetime(["2024-01-05", "2025-02-01", "2025-03-01", "2023-01-01"]),
        "gebiedscode": ["WK099901", "BU09990101", "WK099901", "WK099901"], "component": None,
        "soort_bron": "bewoner", "tekst": ["<script>alert(1)</script>", '=HYPERLINK("x")', LONG_NOTE, "oudste"],
        "citaat": [False, True, False, False]})
    extra.plan = pd.DataFrame({"gebiedscode": ["WK099901"], "indicator": ["inwoners"], "basisjaar": [YEAR],
                               "streefwaarde": [1.0], "streefjaar": [YEAR + 2], "reden": ["toets"]})
    return extra


def test_the_profile_without_extras_is_unchanged(ds, table):
    from analysis.render import png_sections

    profile = build_profile(ds, table, "WK099901")
    assert png_sections.extras_figure(ds, table, profile, png.PNG_SIZE_IN[0], png.PNG_DPI) is None
    height = round(png.PNG_SIZE_IN[1] * png.PNG_DPI - 0.5)  # matplotlib's Agg canvas truncates 1696.97 px
    assert _image(png.profile_png(ds, table, "WK099901")).shape[:2] == (height, 2400)


def test_extras_band_shows_initiatives_notes_and_plan(ds, table):
    from analysis.render import png_sections

    extra = _with_extras(ds)
    t = indicators.compute_indicators(extra)
    assert png_sections.initiative_lines(extra, t, "WK099901", YEAR)[0].startswith("4 actieve initiatieven")
    largest = png_sections.initiative_lines(extra, t, "WK099901", YEAR)[1:]
    assert [line.split(" (")[0] for line in largest] == ["• Koffieochtend $x$ de Kamer", "• <script>alert(1)</script>",
                                                         '• =HYPERLINK("x")']  # the three largest, by people
    notes = png_sections.note_lines(extra, "WK099901")
    assert len(notes) == 3 and notes[0].startswith("• 1-3-2025, bewoner: Bewoners vertellen")
    assert len(notes[0]) < png_sections.NOTE_CHARS + 40 and notes[0].endswith("…")  # shortened
    assert notes[1].endswith('“=HYPERLINK("x")”') and "oudste" not in " ".join(notes)  # the three most recent
    assert len(png_sections.plan_lines(extra, t, "WK099901")) == 1
    data = png.profile_png(extra, t, "WK099901")
    pixels = _image(data)
    base = _image(png.profile_png(ds, table, "WK099901")).shape[0]
    assert pixels.shape[1] == 2400 and pixels.shape[0] == base + int(png_sections.EXTRA_HEIGHT_IN * png.PNG_DPI)
    assert data == png.profile_png(extra, t, "WK099901")  # deterministic
    band = pixels[base:]
    assert (band < 240).any(axis=2).mean() > 0.01  # the band has content
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(png._RC)
        fig = png_sections.extras_figure(extra, t, build_profile(extra, t, "WK099901"), png.PNG_SIZE_IN[0], png.PNG_DPI)
        fig.canvas.draw()
    assert assert_no_overlap(fig, "extras") >= 6
    drawn = " ".join(text.get_text() for text in fig.findobj(Text))
    assert "$x$" in drawn and all(not text.get_parse_math() for text in fig.findobj(Text) if text.get_text())
