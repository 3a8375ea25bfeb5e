"""Shared UI helpers for the pages: session dataset, cached computations, Dutch errors, presentation mode."""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import html
import logging
import os
import re
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis import uploads
from analysis.errors import DatasetError, WijkweefselError
from analysis.findings import Findings
from analysis.model import Dataset
from analysis.params import IndicatorParams

LOG = logging.getLogger("wijkweefsel.app")

#: Folder of app.py (Streamlit serves ``static/`` relative to it).
APP_ROOT: Path = Path(__file__).resolve().parents[1]
#: Input templates offered for download on the Gegevens page.
TEMPLATES_DIR: Path = APP_ROOT / "data" / "templates"

#: session_state keys (one place, so pages never collide).
DATASET_KEY = "ww_dataset"
DATASET_HASH_KEY = "ww_dataset_hash"
PRESENTATION_KEY = "ww_presentatie"
PRESENTATION_TOGGLE_KEY = "ww_presentatie_toggle"
WIJK_KEY = "ww_wijk"
#: The session's IndicatorParams (absent: the defaults).
PARAMS_KEY = "ww_params"
LEGACY_RERUN_KEY = "ww_legacy_rerun"
#: Query parameter that switches presentation mode on (``?presentatie=1``).
PRESENTATION_PARAM = "presentatie"
#: Query parameter carrying a wijk code to the Wijkprofiel page (``?wijk=WK999901``).
WIJK_PARAM = "wijk"

SUPPRESSED_TEXT = "te weinig respons"
SUPPRESSED_COLOUR = "#BBBBBB"

LEVEL_LABELS: dict[str, str] = {"buurt": "Buurten", "wijk": "Wijken", "gemeente": "Gemeente"}


# --------------------------------------------------------------------------------------
# Errors: a Dutch message in the page, never a traceback
# --------------------------------------------------------------------------------------

def show_findings(findings: Findings | list, heading: str | None = None) -> None:
    """Show findings grouped by level: errors red, warnings yellow, infos blue."""
    items = list(findings)
    if heading:
        st.markdown(f"**{html.escape(heading)}**")
    errors = [str(f) for f in items if f.level == "fout"]
    warnings = [str(f) for f in items if f.level == "waarschuwing"]
    infos = [str(f) for f in items if f.level == "info"]
    if errors:
        st.error("\n".join(f"- {_md(line)}" for line in errors))
    if warnings:
        st.warning("\n".join(f"- {_md(line)}" for line in warnings))
    if infos:
        st.info("\n".join(f"- {_md(line)}" for line in infos))


#: Markdown punctuation escaped with a backslash wherever it appears in a text from the data.
_MD_CHARS: tuple[str, ...] = ("\\", "*", "_", "`", "[", "]", "#", "|", "$", "~", "@", "!")
#: ``:`` before a non-space (``https://``, ``:red[...]``, ``:material/x:``, ``:smile:``) and ``www.`` (an autolink).
_MD_COLON = re.compile(r":(?=\S)")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
#: A list, quote or numbered-list marker at the start of a line.
_MD_LINE_START = re.compile(r"(?m)^(\s*)([-+=])")
_MD_NUMBERED = re.compile(r"(?m)^(\s*\d+)([.)])")


def _md(text: str) -> str:
    """Text safe to show inside Markdown, shown as the text itself.

    No HTML (``&``, ``<`` and ``>`` become entities), no emphasis, code, headings, tables, LaTeX (``$``),
    strikethrough or links (``[x](y)``), no autolink (``https://``, ``www.`` or an e-mail address: the ``:``,
    ``.`` or ``@`` is escaped, so the text no longer matches the autolink rule), no Streamlit directive
    (``:red[...]``, ``:material/icon:``, emoji shortcodes) and no list or quote at the start of a line.
    """
    escaped = html.escape(str(text), quote=False)
    for char in _MD_CHARS:
        escaped = escaped.replace(char, "\\" + char)
    escaped = _MD_COLON.sub(r"\\:", escaped)
    escaped = _MD_WWW.sub(r"\1\\.", escaped)
    escaped = _MD_NUMBERED.sub(r"\1\\\2", escaped)
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def md(text: object) -> str:
    """Escape a value from the data for use in ``st.markdown`` (no HTML, no Markdown syntax)."""
    return _md(str(text))


def show_error(exc: BaseException, context: str) -> None:
    """Show an exception as a Dutch message; the traceback goes to the server log only."""
    if isinstance(exc, DatasetError):
        st.error(f"De gegevens zijn niet bruikbaar voor {context}:")
        show_findings(exc.findings)
        return
    LOG.exception("Fout bij %s", context)
    message = str(exc).strip()
    looks_dutch = bool(message) and any(
        word in message.lower() for word in (" de ", " het ", " een ", "oplossing", "kies ", " niet ", " is ")
    )
    detail = f" Melding: {_md(message.splitlines()[0])}" if looks_dutch else ""
    st.error(
        f"Er ging iets mis bij {context}.{detail} "
        "De rest van de pagina werkt gewoon. Probeer een andere keuze, of laad de gegevens opnieuw "
        "op de pagina Gegevens. De technische details staan in het logboek van de server."
    )


@contextmanager
def dutch_errors(context: str) -> Iterator[None]:
    """Run a block; any failure becomes a Dutch ``st.error`` and the page continues.

    Streamlit's own control flow (``st.rerun``, ``st.switch_page``, ``st.stop``) derives
    from ``BaseException`` and passes through untouched.
    """
    try:
        yield
    except Exception as exc:
        show_error(exc, context)


def leave_legacy_pages() -> None:
    """Rerun through ``app.py`` when Streamlit ran a page script on its own.

    Until some session has called ``st.navigation``, Streamlit treats the ``pages/`` folder as
    an old-style multipage app: the first visitor after a server start who opens a page URL
    directly (``/netwerk``) gets that script without ``app.py`` (no wide layout, a navigation of
    file names such as "common"). Switching that mode off and rerunning sends the run through
    ``app.py`` and its ``st.navigation``, which opens the requested page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # Once per session: a rerun must never swallow a later widget event (AppTest resets the mode
    # before every run, so without this guard each run would be repeated).
    if PagesManager.uses_pages_directory and not st.session_state.get(LEGACY_RERUN_KEY):
        st.session_state[LEGACY_RERUN_KEY] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


def run_page(body: Callable[[], None], context: str, title: str | None = None,
             intro: str | None = None) -> None:
    """Run a page: its title and intro, the demo banner, then ``body`` under :func:`dutch_errors`."""
    leave_legacy_pages()
    if title:
        st.title(title)
    with dutch_errors(context):
        if intro:
            st.markdown(intro)
        demo_banner(get_dataset())
        body()


def run_sections(sections: tuple[tuple[Callable[[], None], str], ...]) -> None:
    """Run page sections one after another, each under :func:`dutch_errors` with its own context."""
    for section, context in sections:
        with dutch_errors(context):
            section()


def guarded(context: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of :func:`dutch_errors` for a section function (returns None on failure)."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with dutch_errors(context):
                return fn(*args, **kwargs)
            return None
        return wrapper
    return decorate


# --------------------------------------------------------------------------------------
# The session's dataset (st.session_state only: never shared between sessions)
# --------------------------------------------------------------------------------------

def content_hash(ds: Dataset) -> str:
    """The dataset's content hash (the cache key of every computation)."""
    return ds.content_hash()


#: Environment variable naming a dataset folder or ZIP that opens instead of the demo (for a gemeente's own
#: server, and for the browser benchmark on a large city).
DEFAULT_DATASET_ENV = "WIJKWEEFSEL_DATASET"


@st.cache_resource(show_spinner="Gegevens laden…")
def _demo_dataset() -> tuple[Dataset, str]:
    """The dataset every new session opens on (read-only): ``$WIJKWEEFSEL_DATASET`` when set, else the demo."""
    from analysis.load.dataset import load_dataset, load_demo

    path = os.environ.get(DEFAULT_DATASET_ENV, "").strip()
    ds = load_dataset(path) if path else load_demo()
    return ds, content_hash(ds)


def get_dataset() -> Dataset:
    """The dataset of this session; the demo municipality until the user loads their own."""
    if DATASET_KEY not in st.session_state:
        ds, key = _demo_dataset()
        st.session_state[DATASET_KEY] = ds
        st.session_state[DATASET_HASH_KEY] = key
    return st.session_state[DATASET_KEY]


def dataset_key() -> str:
    """Content hash of this session's dataset (the cache key of every computation)."""
    get_dataset()
    return st.session_state[DATASET_HASH_KEY]


def set_dataset(ds: Dataset) -> None:
    """Make ``ds`` this session's dataset and forget selections that belonged to the old one."""
    st.session_state[DATASET_KEY] = ds
    st.session_state[DATASET_HASH_KEY] = content_hash(ds)
    for key in list(st.session_state.keys()):
        if str(key).startswith("ww_sel_") or key == WIJK_KEY or str(key).startswith("ww_whatif"):
            del st.session_state[key]


def demo_banner(ds: Dataset) -> None:
    """A clear note on every page when the data are the fictional demo municipality."""
    if ds.is_demo:
        st.info(
            f"**Fictieve gegevens.** U bekijkt de demogemeente {md(ds.name)}: alle namen en cijfers "
            "zijn verzonnen. Laad uw eigen gegevens op de pagina Gegevens.",
            icon=":material/science:",
        )


# --------------------------------------------------------------------------------------
# The session's upload folder: removed when the session ends, swept on the next start after a kill
# --------------------------------------------------------------------------------------

UPLOAD_GUARD_KEY = "ww_upload_guard"
#: Seconds between two sweeps of the folders of ended sessions (environment variable, default 10).
SWEEP_INTERVAL_ENV = "WIJKWEEFSEL_SWEEP_S"
SWEEP_INTERVAL_S = 10.0
#: When this process first imported the pages (about the server's start).
PROCESS_START = time.time()


class _FolderGuard:
    """Kept in ``st.session_state``: removes the session's folder when the session state is dropped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.finalizer = weakref.finalize(self, uploads.remove_folder, str(path))


def _session_id() -> str:
    """The Streamlit session id of this run (a fresh id kept in session state when there is none)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and ctx.session_id:
        return str(ctx.session_id)
    import uuid

    return str(st.session_state.setdefault("ww_session_id", uuid.uuid4().hex))


def _is_connected(live: Any, session_id: str) -> bool:
    """Whether ``session_id`` has a connected browser (``Runtime.get_client``: thread-safe, public)."""
    return live.get_client(session_id) is not None


def _sweep_loop(interval_s: float) -> None:
    from streamlit import runtime

    while True:
        time.sleep(interval_s)
        try:
            uploads.sweep_ended_sessions(functools.partial(_is_connected, runtime.get_instance()))
        except Exception:  # the sweeper must never stop; the next round tries again
            LOG.exception("Opruimen van uploadmappen mislukt")


@st.cache_resource(show_spinner=False)
def _upload_janitor() -> threading.Thread | None:
    """Once per server: a thread removing the folders of ended sessions, and this process's folder at exit."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    atexit.register(uploads.remove_process_folder)
    interval = float(os.environ.get(SWEEP_INTERVAL_ENV, "") or SWEEP_INTERVAL_S)
    thread = threading.Thread(target=_sweep_loop, args=(interval,), name="wijkweefsel-uploads", daemon=True)
    thread.start()
    return thread


def session_upload_dir() -> Path:
    """This session's own upload folder (``<tempdir>/wijkweefsel-uploads/<pid>.<start>/sessies/<session>``).

    It is removed when the session ends (a sweep every ``$WIJKWEEFSEL_SWEEP_S`` seconds against the runtime's
    connected sessions, and when the session state is dropped), with the whole process folder when the server
    stops, and on the next start when the server was killed.
    """
    _upload_janitor()
    guard = st.session_state.get(UPLOAD_GUARD_KEY)
    if not isinstance(guard, _FolderGuard) or not guard.path.is_dir():
        import uuid

        guard = _FolderGuard(uploads.session_folder(_session_id(), token=uuid.uuid4().hex[:12]))
        st.session_state[UPLOAD_GUARD_KEY] = guard
    return guard.path


def _start_sweep() -> None:
    """At the first import in a process: remove what stopped or killed servers left behind."""
    try:
        uploads.sweep_orphans(legacy_before=PROCESS_START)
        from streamlit import runtime

        if runtime.exists():
            # Temporary folders of this server (ZIP builds, unpacked archives) under its own process folder,
            # so a build killed halfway is swept with the rest on the next start.
            tempfile.tempdir = str(uploads.process_temp_folder())
    except OSError:
        LOG.exception("Opruimen van oude uploadmappen mislukt")


_start_sweep()


# --------------------------------------------------------------------------------------
# Cached computations, keyed by the dataset's content hash
# --------------------------------------------------------------------------------------

def params() -> IndicatorParams:
    """The indicator settings of this session (the defaults until the session changes them).

    Every computation on every page takes these, so the method the Verantwoording page shows is
    the method that ran. A page never copies an engine constant; it reads a field of these.
    """
    value = st.session_state.get(PARAMS_KEY)
    return value if isinstance(value, IndicatorParams) else IndicatorParams()


def set_params(settings: IndicatorParams) -> None:
    """Use ``settings`` for every computation of this session from now on (the caches key on them)."""
    st.session_state[PARAMS_KEY] = settings


def params_key() -> str:
    """A short hash of this session's settings (part of the cache key of everything computed with them)."""
    return hashlib.sha256(params().cache_key().encode()).hexdigest()[:12]


def computation_key() -> str:
    """Cache key of what depends on the dataset and the settings: ``<content hash>|<settings hash>``."""
    return f"{dataset_key()}|{params_key()}"


@st.cache_data(show_spinner="Indicatoren berekenen…", max_entries=8)
def _indicator_table(key: str, _ds: Dataset, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.indicators import compute_indicators

    return compute_indicators(_ds, params=_params)


def indicator_table() -> pd.DataFrame:
    """The tidy indicator table of this session's dataset (all levels and years) with the session's settings."""
    return _indicator_table(computation_key(), get_dataset(), params())


@st.cache_data(show_spinner="Indicatoren opnieuw berekenen…", max_entries=16)
def _indicator_table_for(key: str, _ds: Dataset, years: tuple[int, ...], _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.indicators import compute_indicators

    return compute_indicators(_ds, years=list(years), params=_params)


def indicator_table_for(ds: Dataset, key: str, years: list[int]) -> pd.DataFrame:
    """The indicator table of another dataset (a what-if variant) for some years, cached by ``key``."""
    return _indicator_table_for(f"{key}|{params_key()}", ds, tuple(int(y) for y in years), params())


@st.cache_data(show_spinner=False, max_entries=16)
def _display_areas(key: str, level: str, _ds: Dataset):
    from analysis.render.geometry import display_geometry

    return display_geometry(_ds.areas(level))


def display_areas(level: str):
    """Simplified EPSG:4326 display geometry of one level (cached per dataset)."""
    return _display_areas(dataset_key(), level, get_dataset())


@st.cache_data(show_spinner="Netwerk berekenen…", max_entries=8)
def _network_metrics(key: str, year: int, _ds: Dataset, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.network import year_network

    return year_network(_ds, year, _params)[1]


def network_metrics(year: int) -> pd.DataFrame:
    """Degree, betweenness and community of every association in ``year`` (the session's seed)."""
    return _network_metrics(computation_key(), int(year), get_dataset(), params())


@st.cache_data(show_spinner=False, max_entries=16)
def _method_note(key: str, _ds: Dataset) -> str:
    from analysis.compute.proximity import method_note as core_method_note

    return core_method_note(_ds)


def method_note() -> str:
    """How this dataset's proximity figures were measured (placement of residents, distance over streets or not)."""
    return _method_note(dataset_key(), get_dataset())


@st.cache_data(show_spinner="Witte vlekken berekenen…", max_entries=32)
def _white_spots(key: str, component: str, year: int, _ds: Dataset):
    from analysis.compute.proximity import white_spots

    return white_spots(_ds, component, year)


def white_spots(component: str, year: int):
    """Witte vlekken of one component and year (cached per dataset)."""
    return _white_spots(dataset_key(), component, int(year), get_dataset())


def params_with_weights(weights: dict[str, float] | None) -> IndicatorParams:
    """The session's settings with other priority weights (the sliders on Gaten en prioriteiten)."""
    import dataclasses

    return params() if weights is None else dataclasses.replace(params(), priority_weights=dict(weights))


@st.cache_data(show_spinner="Prioriteiten berekenen…", max_entries=64)
def _priorities(key: str, year: int, weights: tuple[tuple[str, float], ...], level: str,
                _table: pd.DataFrame, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.priorities import priorities

    return priorities(_table, year, _params, level)


def priorities(year: int, weights: dict[str, float] | None = None, level: str = "wijk",
               table: pd.DataFrame | None = None, key: str | None = None) -> pd.DataFrame:
    """The engine's priority ranking (cached per dataset, or per what-if ``key`` with its ``table``)."""
    table = indicator_table() if table is None else table
    settings = params_with_weights(weights)
    frozen = tuple(sorted(settings.priority_weights.items()))
    return _priorities(f"{key or dataset_key()}|{params_key()}", int(year), frozen, level, table, settings)


@st.cache_data(show_spinner=False, max_entries=32)
def _gap_matrix(key: str, year: int, level: str, _table: pd.DataFrame) -> pd.DataFrame:
    from analysis.compute.priorities import gap_matrix

    return gap_matrix(_table, year, level)


def gap_matrix(year: int, level: str = "wijk", table: pd.DataFrame | None = None,
               key: str | None = None) -> pd.DataFrame:
    """The engine's gap matrix (cached per dataset, or per what-if ``key`` with its ``table``)."""
    table = indicator_table() if table is None else table
    return _gap_matrix(f"{key or dataset_key()}|{params_key()}", int(year), level, table)


def show_map(m: Any, key: str, height: int, returned_objects: list[str]) -> dict | None:
    """Draw a folium map with streamlit-folium; only ``returned_objects`` come back (fewer reruns).

    ``render=False``: ``st_folium`` renders the map itself once more anyway, so the extra render
    of the whole figure is skipped (same output, about half the server time for large maps).
    """
    from streamlit_folium import st_folium

    return st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned_objects,
                     render=False)


def year_slice(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of ``year`` by the one year rule (:func:`analysis.model.belongs_to_year`)."""
    return get_dataset().rows_of_year(frame, int(year))


# --------------------------------------------------------------------------------------
# Choices shared by pages
# --------------------------------------------------------------------------------------

def years_with_data(table: pd.DataFrame) -> list[int]:
    """Years present in the indicator table, sorted."""
    if table.empty:
        return [int(get_dataset().year)]
    return sorted(int(y) for y in pd.unique(table["jaar"].dropna()))


def default_year(table: pd.DataFrame) -> int:
    """The dataset's measurement year when it has indicators, else the latest year."""
    years = years_with_data(table)
    ds_year = int(get_dataset().year)
    return ds_year if ds_year in years else years[-1]


def year_choice(table: pd.DataFrame, key: str, container: Any = None, label: str = "Jaar",
                years: list[int] | None = None) -> int:
    """A year select box (in ``container``, default the page) over the years with data; the default year first."""
    years = years or years_with_data(table)
    default = default_year(table)
    index = years.index(default) if default in years else len(years) - 1
    return int((container or st).selectbox(label, years, index=index, key=key))


def level_choice(key: str, container: Any = None) -> str:
    """Wijk or buurt, as a segmented control."""
    return (container or st).segmented_control(
        "Niveau", ["wijk", "buurt"], default="wijk", required=True,
        format_func=lambda v: LEVEL_LABELS[v], key=key)


def component_label(key: str) -> str:
    """The Dutch label of a component key (the key itself when unknown)."""
    from analysis.components import COMPONENTS_BY_KEY

    component = COMPONENTS_BY_KEY.get(str(key))
    return component.label if component else str(key)


def registry():
    """The loaded dataset's own indicator registry (built-ins plus the keys the dataset defines)."""
    return get_dataset().registry


def indicator_label(key: str) -> str:
    """The registry label of an indicator key (the key itself when the registry does not know it)."""
    entry = registry().get(key)
    return entry.label if entry is not None else str(key)


def explain_indicator(key: str) -> None:
    """What a figure means, from the registry: label, unit, source and definition, as a caption."""
    entry = registry().get(key)
    if entry is None:
        return
    direction = {True: " Hoger is beter.", False: " Lager is beter.", None: ""}[entry.higher_is_better]
    st.caption(f"**{md(entry.label)}** ({md(entry.unit)}; bron: {md(entry.source)}). "
               f"{md(entry.definition)}{direction}")


def empty_state(source: str, consequence: str, fix: str = "Voeg het bestand toe op de pagina Gegevens.") -> None:
    """The message when a source is missing: ``Geen <source> geladen: <consequence>. <fix>``."""
    st.info(f"Geen {source} geladen: {consequence}. {fix}", icon=":material/info:")


def area_rows(table: pd.DataFrame, level: str, year: int, keys: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Rows of some indicators of one level and year (a plain selection from the indicator table)."""
    return table[(table["niveau"] == level) & (table["jaar"] == int(year)) & table["indicator"].isin(list(keys))]


def wide_values(table: pd.DataFrame, level: str, year: int, keys: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Values of some indicators, one row per area code and one column per key."""
    rows = area_rows(table, level, year, keys)
    wide = rows.pivot_table(index="gebiedscode", columns="indicator", values="waarde", aggfunc="first")
    return wide.reindex(columns=list(keys))


def area_names(level: str) -> dict[str, str]:
    """Code to name for the areas of one level, sorted by name."""
    areas = get_dataset().areas(level)
    frame = pd.DataFrame({"code": areas["gebiedscode"].astype(str), "naam": areas["gebiedsnaam"].astype(str)})
    frame = frame.sort_values(["naam", "code"])
    return dict(zip(frame["code"], frame["naam"]))


def wijk_of_area(code: str) -> str | None:
    """The wijk code of a wijk or buurt code (None when unknown)."""
    ds = get_dataset()
    if code in set(ds.wijken["gebiedscode"].astype(str)):
        return code
    match = ds.buurten[ds.buurten["gebiedscode"].astype(str) == code]
    if len(match):
        return str(match["wijkcode"].iloc[0])
    return None


def selected_wijk() -> str | None:
    """The wijk chosen anywhere in the app (query parameter first, then session state)."""
    names = area_names("wijk")
    if not names:
        return None
    from_url = st.query_params.get(WIJK_PARAM)
    if from_url and from_url in names:
        st.session_state[WIJK_KEY] = from_url
    code = st.session_state.get(WIJK_KEY)
    if code not in names:
        code = _first_wijk(names)
        st.session_state[WIJK_KEY] = code
    return code


def _first_wijk(names: dict[str, str]) -> str:
    """The wijk to open on when the user came from nowhere: the highest priority (else the first by name)."""
    with contextlib.suppress(WijkweefselError, ValueError):  # no ranking (too few data): the name order
        table = indicator_table()
        ranking = priorities(default_year(table)) if len(table) else pd.DataFrame()
        ranked = [str(c) for c in ranking.sort_values("prioriteit_rang")["gebiedscode"] if str(c) in names] \
            if "prioriteit_rang" in ranking else []
        if ranked:
            return ranked[0]
    return next(iter(names))


def open_wijkprofiel(code: str) -> None:
    """Go to the Wijkprofiel page of the wijk containing ``code`` (a wijk or buurt code)."""
    wijk = wijk_of_area(code)
    if wijk is None:
        return
    st.session_state[WIJK_KEY] = wijk
    st.switch_page("pages/wijkprofiel.py", query_params={WIJK_PARAM: wijk})


# --------------------------------------------------------------------------------------
# Formatting (Dutch)
# --------------------------------------------------------------------------------------

def fmt(value: object, decimals: int = 1, unit: str = "") -> str:
    """A number the Dutch way (1.234,5) with an optional unit, through the one formatter; missing as a dash."""
    from analysis.formatting import format_number

    text = format_number(value, decimals)
    if text.startswith("–") or not unit:
        return text
    return f"{text}%" if unit in ("%", "pct") else f"{text} {unit}"


def fmt_int(value: object) -> str:
    """A count the Dutch way (12.345)."""
    return fmt(value, 0)


# --------------------------------------------------------------------------------------
# Presentation mode
# --------------------------------------------------------------------------------------

def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "ja", "aan", "yes", "on")


def init_presentation() -> bool:
    """Read ``?presentatie=1`` into session state; return whether presentation mode is on."""
    if PRESENTATION_PARAM in st.query_params:
        st.session_state[PRESENTATION_KEY] = _truthy(st.query_params.get(PRESENTATION_PARAM))
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def is_presentation() -> bool:
    """Whether presentation mode is on in this session."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def set_presentation(on: bool) -> None:
    """Switch presentation mode and keep the URL parameter in step."""
    st.session_state[PRESENTATION_KEY] = bool(on)
    if on:
        st.query_params[PRESENTATION_PARAM] = "1"
    elif PRESENTATION_PARAM in st.query_params:
        del st.query_params[PRESENTATION_PARAM]


def _on_presentation_toggle() -> None:
    set_presentation(bool(st.session_state.get(PRESENTATION_TOGGLE_KEY)))


def presentation_toggle() -> None:
    """The sidebar switch for presentation mode."""
    st.session_state[PRESENTATION_TOGGLE_KEY] = is_presentation()
    st.toggle(
        "Presentatiemodus", key=PRESENTATION_TOGGLE_KEY, on_change=_on_presentation_toggle,
        help="Voor een wijkbijeenkomst op een groot scherm: grote letters, hoog contrast, "
             "één wijk tegelijk. Ook te openen met ?presentatie=1 in de adresbalk.",
    )


def apply_css() -> None:
    """Inject the CSS of the current mode (presentation: large type, high contrast, no sidebar)."""
    from pages import look

    look.apply(is_presentation())


def html_text(text: object) -> str:
    """Escape a value from the data for use inside HTML written by the app."""
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------------------
# Fair comparison: the reference switch, wijktypen, rank stability (analysis.compute.reference / typology / stability)
# --------------------------------------------------------------------------------------

#: Where the national CBS buurten table is looked for: this environment variable, else ../shared/data/nl beside the app.
NATIONAL_TABLE_ENV = "WIJKWEEFSEL_NATIONAAL"
NATIONAL_TABLE_DEFAULT: Path = APP_ROOT.parent / "shared" / "data" / "nl" / "cbs_kwb_2024_buurten.csv"


@st.cache_resource(show_spinner="Landelijke kerncijfers laden…")
def _national_table(path: str) -> pd.DataFrame | None:
    from analysis.compute.reference import read_national

    try:
        return read_national(path)
    except (OSError, ValueError) as exc:
        LOG.warning("landelijke kerncijfers niet geladen uit %s: %s", path, exc)
        return None


def national_table() -> pd.DataFrame | None:
    """The national buurten table (:func:`analysis.compute.reference.read_national`), or None when it is absent."""
    path = Path(os.environ.get(NATIONAL_TABLE_ENV) or NATIONAL_TABLE_DEFAULT)
    return _national_table(str(path)) if path.is_file() else None


def reference_choice(key: str, container: Any = None, national: bool = True) -> str:
    """The switch "Vergelijk met": ``"gemeente"``, ``"vergelijkbaar"`` or (only with the national table loaded,
    and when ``national``) ``"nederland"``."""
    from analysis.compute.reference import NATIONAL, REFERENCE_LABELS

    options = [k for k in REFERENCE_LABELS if k != NATIONAL or (national and national_table() is not None)]
    where = container if container is not None else st
    chosen = where.segmented_control("Vergelijk met", options, format_func=lambda k: REFERENCE_LABELS[k],
                                     default=options[0], key=key,
                                     help="Vergelijkbare wijken: wijken van hetzelfde wijktype (stedelijkheid en "
                                          "bevolking, zie Verantwoording). Bij minder dan 3 wordt breder vergeleken, "
                                          "en dat staat erbij.")
    return str(chosen or options[0])


@st.cache_data(show_spinner=False, max_entries=16)
def _area_types(key: str, level: str, _ds: Dataset) -> pd.DataFrame:
    from analysis.compute.typology import area_types

    return area_types(_ds.areas(level), _ds.addresses)


def area_types(level: str = "wijk") -> pd.DataFrame:
    """The wijktypen of one level (:func:`analysis.compute.typology.area_types`), cached per dataset."""
    return _area_types(dataset_key(), level, get_dataset())


@st.cache_data(show_spinner=False, max_entries=64)
def _map_reference(key: str, year: int, indicator: str, level: str, reference: str, _table: pd.DataFrame,
                   _types: pd.DataFrame | None, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.reference import map_reference

    return map_reference(_table, year, indicator, level, reference, _types, _params, get_dataset().registry)


def map_reference(year: int, indicator: str, level: str = "wijk", reference: str = "gemeente") -> pd.DataFrame:
    """Per area the reference value of an indicator (:func:`analysis.compute.reference.map_reference`), cached."""
    types = area_types(level) if reference == "vergelijkbaar" else None
    return _map_reference(computation_key(), int(year), indicator, level, reference, indicator_table(), types, params())


@st.cache_data(show_spinner="Vergelijken met buurten in Nederland…", max_entries=8)
def _national_reference(key: str, _ds: Dataset, _national: pd.DataFrame, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.reference import national_reference
    from analysis.compute.typology import area_types as types_of

    return national_reference(_ds.buurten, _national, types_of(_ds.buurten, _ds.addresses), _params)


def national_reference() -> pd.DataFrame | None:
    """The buurten against similar Dutch buurten (:func:`analysis.compute.reference.national_reference`); None
    without the national table."""
    table = national_table()
    return None if table is None else _national_reference(computation_key(), get_dataset(), table, params())


@st.cache_data(show_spinner="Rangorde herhalen met ruis in de cijfers…", max_entries=32)
def _rank_stability(key: str, year: int, weights: tuple[tuple[str, float], ...], level: str,
                    _table: pd.DataFrame, _params: IndicatorParams) -> pd.DataFrame:
    from analysis.compute.stability import rank_stability as stability

    return stability(_table, year, _params, level)


def rank_stability(year: int, weights: dict[str, float] | None = None, level: str = "wijk") -> pd.DataFrame:
    """How often each area lands in the top 3 (:func:`analysis.compute.stability.rank_stability`), cached."""
    settings = params_with_weights(weights)
    frozen = tuple(sorted(settings.priority_weights.items()))
    return _rank_stability(computation_key(), int(year), frozen, level, indicator_table(), settings)
