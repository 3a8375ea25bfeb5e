"""Real-browser test harness: run an app with `streamlit run`, drive Debian's chromium offline with Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-proxy-server",
)
#: Environment variables that would send the server's or browser's requests through a proxy.
PROXY_VARIABLES: tuple[str, ...] = ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                                    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
LOCAL_HOSTS: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1"})
#: The SVG paths analysis.render.maps draws for areas (one per wijk or buurt shown).
AREA_PATHS = "path.ww-area"


# --------------------------------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` subprocess."""

    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        """Base URL of the app."""
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """Everything the server printed so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def wait_for_health(url: str, process: subprocess.Popen | None = None, timeout_s: float = 60.0) -> None:
    """Poll ``<url>/_stcore/health`` until it answers ``ok``.

    Raises
    ------
    RuntimeError
        When the process exits or the timeout passes first.
    """
    deadline = time.monotonic() + timeout_s
    last_error = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"streamlit stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {timeout_s:.0f} s ({last_error})")


def start_streamlit(script: Path, *, cwd: Path = REPO, port: int | None = None,
                    env: dict[str, str] | None = None, log_dir: Path | None = None,
                    timeout_s: float = 60.0) -> StreamlitServer:
    """Start ``python -m streamlit run <script>`` headless on a free port and wait until healthy.

    The working directory defaults to the repo root so that ``.streamlit/config.toml`` applies, the
    repo is put on ``PYTHONPATH`` so the script can import ``analysis``, and proxy variables are
    dropped (the app talks to nothing but the browser on 127.0.0.1).
    """
    port = port or free_port()
    log_dir = log_dir or Path(script).resolve().parent
    log_path = log_dir / f"streamlit-{port}.log"
    full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in PROXY_VARIABLES}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), full_env.get("PYTHONPATH", "")) if p)
    full_env.setdefault("WIJKWEEFSEL_REPO", str(REPO))
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    log_file = open(log_path, "wb")  # noqa: SIM115 (closed by the process owner through stop_streamlit)
    process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    server = StreamlitServer(process, port, log_path)
    try:
        wait_for_health(server.url, process, timeout_s)
    except RuntimeError as exc:
        stop_streamlit(server)
        raise RuntimeError(f"{exc}\n--- streamlit log ---\n{server.log()}") from None
    return server


def stop_streamlit(server: StreamlitServer, timeout_s: float = 10.0) -> None:
    """Stop the server process (terminate, then kill)."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=timeout_s)


@contextmanager
def streamlit_app(script: Path, **kwargs) -> Iterator[StreamlitServer]:
    """Context manager around :func:`start_streamlit` / :func:`stop_streamlit`."""
    server = start_streamlit(script, **kwargs)
    try:
        yield server
    finally:
        stop_streamlit(server)


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------

def in_ci() -> bool:
    """Whether the tests run in CI (env ``CI`` set to something other than false/0/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> Path:
    """Path of Debian's chromium; fail in CI (env ``CI=true``), skip elsewhere when it is missing."""
    found = CHROMIUM if CHROMIUM.exists() else None
    if found is None and shutil.which("chromium"):
        found = Path(shutil.which("chromium"))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        message = "chromium (/usr/bin/chromium) or the playwright package is missing"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class OfflineContext:
    """A browser context that only reaches 127.0.0.1/localhost; every other request is aborted."""

    context: object
    blocked: list[str] = field(default_factory=list)
    blocked_types: list[str] = field(default_factory=list)

    def blocked_hosts(self) -> set[str]:
        """Hosts of the blocked requests."""
        return {urlsplit(url).hostname or "" for url in self.blocked}


def assert_only_tiles_left(state: OfflineContext) -> None:
    """Every request to another host was a basemap tile image (no script, style, font or icon)."""
    from analysis.render.layers import TILE_HOSTS

    assert state.blocked_hosts() <= set(TILE_HOSTS), sorted(state.blocked_hosts())
    assert set(state.blocked_types) <= {"image"}, sorted(set(state.blocked_types))


def launch_browser(playwright, executable: Path | None = None):
    """Launch chromium headless with the flags that work on this machine."""
    return playwright.chromium.launch(
        executable_path=str(executable or require_chromium()), headless=True, args=list(CHROMIUM_ARGS),
    )


def offline_context(browser, viewport: tuple[int, int] = (1400, 1000)) -> OfflineContext:
    """A new context that blocks (and records) every request to a host other than the local server."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="nl-NL")
    state = OfflineContext(context)

    def handle(route) -> None:
        request = route.request
        host = urlsplit(request.url).hostname or ""
        if host in LOCAL_HOSTS or request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            state.blocked.append(request.url)
            state.blocked_types.append(request.resource_type)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return state


@contextmanager
def offline_browser(viewport: tuple[int, int] = (1400, 1000)) -> Iterator[OfflineContext]:
    """Playwright + chromium + an :func:`offline_context`, closed afterwards."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright, executable)
        try:
            state = offline_context(browser, viewport)
            try:
                yield state
            finally:
                state.context.close()
        finally:
            browser.close()


def find_frame_with(page, selector: str, min_count: int = 1, timeout_s: float = 60.0):
    """Poll every frame of ``page`` until one holds at least ``min_count`` elements matching ``selector``.

    A streamlit-folium map draws in its own iframe seconds after the page settles, so this polls
    instead of sleeping once.

    Returns
    -------
    playwright Frame

    Raises
    ------
    AssertionError
        When no frame reaches ``min_count`` in time (the message holds the best count seen).
    """
    deadline = time.monotonic() + timeout_s
    best = 0
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                count = frame.locator(selector).count()
            except Exception:
                continue
            best = max(best, count)
            if count >= min_count:
                return frame
        page.wait_for_timeout(250)
    raise AssertionError(f"no frame with {min_count} x '{selector}' within {timeout_s:.0f} s (best: {best})")


def wait_for_count(frame, selector: str, expected: int, timeout_s: float = 15.0) -> int:
    """Poll until ``selector`` matches exactly ``expected`` elements in ``frame``; return the last count."""
    deadline = time.monotonic() + timeout_s
    count = frame.locator(selector).count()
    while count != expected and time.monotonic() < deadline:
        frame.page.wait_for_timeout(150)
        count = frame.locator(selector).count()
    return count


def clickable_path(frame, selector: str) -> int:
    """Index of a path matching ``selector`` whose centre is in view and not covered by anything else.

    The centre must be inside the frame's window and inside the page's viewport (a map may be only
    partly in view), and ``elementFromPoint`` there must be the path itself (not a marker or control).
    """
    frame_box = frame.frame_element().bounding_box()
    page_height = frame.page.viewport_size["height"]
    index = frame.evaluate(
        """([sel, top, pageHeight]) => {
            const paths = Array.from(document.querySelectorAll(sel));
            return paths.findIndex(p => {
                const r = p.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                return y < window.innerHeight && top + y < pageHeight - 5 && document.elementFromPoint(x, y) === p;
            });
        }""",
        [selector, frame_box["y"] if frame_box else 0, page_height],
    )
    assert index >= 0, f"no '{selector}' with a free centre in view"
    return int(index)


def click_centre(frame, selector: str, index: int) -> None:
    """Click the centre of the bounding box of the ``index``-th element matching ``selector``."""
    target = frame.locator(selector).nth(index)
    box = target.bounding_box()
    target.click(position={"x": box["width"] / 2, "y": box["height"] / 2}, force=True)


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
