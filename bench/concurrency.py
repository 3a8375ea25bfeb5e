"""Page times with many users: N browser contexts against one server, each opening every page, against one user.

Usage::

    .venv/bin/python bench/concurrency.py --users 10 [--rounds 1] [--pages kaart,wijkprofiel,...]

Each user is a context of one headless chromium (async Playwright, so the users really run at once); a page time
is the time from navigating to the page's URL until the page is settled (no spinner or skeleton, and no change
in the page for ``QUIET_S``: the settle rule of ``bench/browser_actions.py``). Prints JSON with the median and
the maximum over all page visits, for one user first and then for ``--users`` users.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.browser_actions import _BUSY, _OBSERVE_JS, QUIET_S  # noqa: E402
from tests.browser_harness import CHROMIUM_ARGS, require_chromium, streamlit_app  # noqa: E402

PAGES: tuple[str, ...] = ("start", "kaart", "wijkprofiel", "netwerk", "enquete", "gaten", "gegevens",
                          "verantwoording")
TIMEOUT_S = 240.0


async def _settled_s(page, start: float) -> float:
    """Seconds from ``start`` (monotonic) until the page has a title, no busy marker and no change for QUIET_S."""
    await page.wait_for_selector('[data-testid="stMain"] h1', timeout=TIMEOUT_S * 1000)
    await page.evaluate(_OBSERVE_JS)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        quiet_ms = await page.evaluate("performance.now() - window.__wwLast")
        if not await page.locator(_BUSY).count() and quiet_ms >= QUIET_S * 1000:
            return round(time.monotonic() - quiet_ms / 1000 - start, 2)
        await page.wait_for_timeout(50)
    raise RuntimeError(f"{page.url}: niet rustig binnen {TIMEOUT_S:.0f} s")


async def _user(browser, url: str, pages: tuple[str, ...], rounds: int) -> list[dict[str, object]]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    times: list[dict[str, object]] = []
    try:
        for _ in range(rounds):
            for name in pages:
                start = time.monotonic()
                await page.goto(f"{url}/{'' if name == 'start' else name}")
                times.append({"page": name, "s": await _settled_s(page, start)})
    finally:
        await context.close()
    return times


async def _measure(url: str, users: int, pages: tuple[str, ...], rounds: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(require_chromium()), headless=True,
                                                   args=list(CHROMIUM_ARGS))
        try:
            started = time.monotonic()
            results = await asyncio.gather(*(_user(browser, url, pages, rounds) for _ in range(users)))
            wall = time.monotonic() - started
        finally:
            await browser.close()
    visits = [t for user in results for t in user]
    seconds = [float(t["s"]) for t in visits]  # type: ignore[arg-type]
    per_page = {p: round(max(float(t["s"]) for t in visits if t["page"] == p), 2)  # type: ignore[arg-type]
                for p in pages}
    return {"users": users, "visits": len(visits), "median_s": round(statistics.median(seconds), 2),
            "max_s": round(max(seconds), 2), "wall_s": round(wall, 1), "max_per_page_s": per_page}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    pages = tuple(p for p in args.pages.split(",") if p)
    with streamlit_app(REPO / "app.py", cwd=REPO, timeout_s=120) as server:
        warm = asyncio.run(_measure(server.url, 1, pages, 1))  # fills the shared caches once
        one = asyncio.run(_measure(server.url, 1, pages, args.rounds))
        many = asyncio.run(_measure(server.url, args.users, pages, args.rounds))
    print(json.dumps({"warm_up": warm, "one_user": one, "many_users": many}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
