"""Names from the data stay text: hostile wijk, buurt and gemeente names never become a link, HTML, LaTeX or a directive."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from pages.common import md

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TIMEOUT_S = 240
PAGES = ("start", "kaart", "wijkprofiel", "netwerk", "enquete", "gaten", "wijkplan", "gegevens", "verantwoording")

#: The names the issue lists; every one is Markdown, HTML or LaTeX when not escaped.
HOSTILE: tuple[str, ...] = (
    "[Centrum](https://phish.example/111)", "https://phish.example", "<img src=x onerror=alert(1)>", "$x^2$",
    ":red[rood]", "**vet**", "www.phish.example", ":material/warning: alarm",
)
#: What one of those names looks like once Markdown would act on it (checked after removing ``\\x`` escapes).
LIVE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    r"\]\(", r"<img", r"\$x", r"https?://", r":red\[", r"\*\*vet", r"www\.", r":material/warning:",
))
#: Proto fields that Streamlit renders as Markdown (bodies, labels, help texts, radio and segmented options).
MARKDOWN_FIELDS = frozenset({"body", "label", "help", "options", "content", "caption"})
#: Widgets whose options Streamlit shows as plain text (a select box's list is not Markdown).
PLAIN_OPTIONS = frozenset({"selectbox", "multiselect", "select_slider"})
#: Elements whose strings are not Markdown (tables, charts, the map component, raw HTML the app writes itself).
NOT_MARKDOWN = frozenset({"arrow_data_frame", "arrow_table", "plotly_chart", "component_instance", "html", "imgs",
                          "json", "code", "deck_gl_json_chart", "iframe", "download_button"})


def _live(text: str) -> list[str]:
    """The hostile constructs still live in a Markdown body (escaped characters removed first)."""
    plain = re.sub(r"\\.", "", text)
    return [p.pattern for p in LIVE_PATTERNS if p.search(plain)]


def test_md_neutralises_every_construct() -> None:
    for name in HOSTILE:
        assert not _live(md(name)), (name, md(name))
    assert md("Oud-Zuid (2023): 12,5%") == "Oud-Zuid (2023): 12,5%"


@pytest.fixture(scope="module")
def hostile_dataset(demo_dataset):
    """The demo with hostile wijk, buurt, gemeente and dataset names (the codes are kept)."""
    wijken = demo_dataset.wijken.copy()
    wijken["gebiedsnaam"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(wijken))]
    names = dict(zip(wijken["gebiedscode"].astype(str), wijken["gebiedsnaam"]))
    buurten = demo_dataset.buurten.copy()
    buurten["gebiedsnaam"] = [f"{HOSTILE[(i + 3) % len(HOSTILE)]} {i}" for i in range(len(buurten))]
    if "wijknaam" in buurten.columns:
        buurten["wijknaam"] = buurten["wijkcode"].astype(str).map(names)
    gemeente = demo_dataset.gemeente.copy()
    gemeente["gebiedsnaam"] = HOSTILE[0]
    for frame in (wijken, buurten, gemeente):
        if "gemeentenaam" in frame.columns:
            frame["gemeentenaam"] = HOSTILE[0]
    return dataclasses.replace(demo_dataset, wijken=wijken, buurten=buurten, gemeente=gemeente,
                               name="https://phish.example/[demo](https://phish.example)")


def _nodes(at: AppTest) -> Iterator:
    yield from at._tree


def _markdown_strings(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _markdown_strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _markdown_strings(v, key)
    elif isinstance(value, str) and key in MARKDOWN_FIELDS:
        yield key, value


def _leaks(at: AppTest) -> list[tuple[str, str, list[str]]]:
    """Every Markdown string in the page that still holds a live hostile construct."""
    found = []
    for node in _nodes(at):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in NOT_MARKDOWN or not hasattr(proto, "DESCRIPTOR"):
            continue
        if kind == "markdown" and getattr(proto, "allow_html", False) and "onerror" not in proto.body:
            continue  # the app's own HTML (CSS, a counter); a name in it would show 'onerror'
        for field, text in _markdown_strings(MessageToDict(proto, preserving_proto_field_name=True)):
            if field == "options" and kind in PLAIN_OPTIONS:
                continue
            live = _live(text)
            if live:
                found.append((kind, f"{field}: {text[:160]}", live))
    return found


def _open(page: str, dataset, query: dict[str, str] | None = None) -> AppTest:
    from pages.common import DATASET_HASH_KEY, DATASET_KEY, content_hash

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.session_state[DATASET_KEY] = dataset
    at.session_state[DATASET_HASH_KEY] = content_hash(dataset)
    at.run()
    if page != "start" and not query:
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_are_text_on_every_page(hostile_dataset, page) -> None:
    at = _open(page, hostile_dataset)
    assert not at.exception, [e.value for e in at.exception]
    assert not _leaks(at)


def test_hostile_names_are_text_in_presentation_mode(hostile_dataset) -> None:
    at = _open("wijkprofiel", hostile_dataset, query={"presentatie": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "no wijk title in presentation mode"
    assert not _leaks(at)
    at.button(key="ww_next").click().run()
    assert not _leaks(at)


def test_the_check_finds_a_live_name(hostile_dataset) -> None:
    """The leak check can fail: a name written straight into Markdown is reported."""
    plain = HOSTILE[0]
    assert _live(plain) and _live("<img src=x>") and _live("zie https://phish.example")
    assert not _live(md(plain))
