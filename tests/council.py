"""Checks of what a council room sees on a page: Dutch only, no Python leaking, nothing cut off, accessible.

Used by the real-browser tests (tests/test_browser_council.py) and the browser benchmark; each check
returns a list of problems (empty when the page passes), so a test can report all of them at once.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Streamlit's own English texts (it has no locale setting) and Python values that must never show.
ENGLISH_TEXT = re.compile(
    r"Drag and drop|Browse files|\bUpload\b|Limit \d+\s?MB|files? (?:are|is) not allowed|Choose an option|"
    r"No options to select|\d+\s?MB per file|Page not found|Running the app|Press Enter|No results|Select all|"
    r"Show more|Show less|Download as CSV|Made with Streamlit|Clear caches?|Rerun|Deploy"
)
PYTHON_TEXT = re.compile(r"(?<![\w-])(?:None|nan|NaN|NaT|inf|<NA>)(?![\w-])")
#: axe-core rule sets for WCAG 2.1 AA (the Dutch government's standard for websites).
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def visible_text(page) -> str:
    """The text a person sees on the page (the app's own DOM, not iframes)."""
    return str(page.locator("body").inner_text())


def english_problems(page) -> list[str]:
    """English Streamlit texts and open 'Page not found' dialogs."""
    text = visible_text(page)
    found = sorted({m.group(0) for m in ENGLISH_TEXT.finditer(text)})
    return [f"Engelse tekst zichtbaar: {t!r}" for t in found]


def python_problems(page) -> list[str]:
    """'None', 'nan' and similar Python values in the visible text."""
    text = visible_text(page)
    problems = []
    for match in PYTHON_TEXT.finditer(text):
        start = max(0, match.start() - 40)
        problems.append(f"Python-waarde {match.group(0)!r} zichtbaar: …{text[start:match.end() + 40]!r}…")
    return problems


_CUT_TEXT_JS = """(root) => {
    const out = [];
    const scope = document.querySelector(root) || document.body;
    const clips = (el) => {
        const st = getComputedStyle(el);
        return ['hidden', 'clip', 'auto', 'scroll'].includes(st.overflowX) || st.textOverflow === 'ellipsis';
    };
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const text = node.textContent.trim();
        if (text.length < 2) continue;
        const el = node.parentElement;
        if (!el || el.closest('iframe, canvas, [data-testid="stDataFrame"], [data-testid="stSidebar"], .leaflet-container, [aria-hidden="true"], .sr-only')) continue;
        const st = getComputedStyle(el);
        if (st.visibility === 'hidden' || st.display === 'none' || el.getClientRects().length === 0) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let cut = false;
        if (st.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) cut = true;
        for (let a = el; a && a !== scope.parentElement && !cut; a = a.parentElement) {
            if (!clips(a)) continue;
            const ar = a.getBoundingClientRect();
            if (r.right > ar.right + 1.5 || r.left < ar.left - 1.5) cut = true;
            if (a.scrollWidth > a.clientWidth + 1 && getComputedStyle(a).overflowX !== 'auto' && getComputedStyle(a).overflowX !== 'scroll') cut = true;
        }
        if (cut) out.push(text.slice(0, 80));
    }
    for (const input of scope.querySelectorAll('input[type="text"], input:not([type])')) {
        if (input.offsetParent !== null && input.value && input.scrollWidth > input.clientWidth + 1) {
            out.push(input.value.slice(0, 80));
        }
    }
    return out;
}"""


def truncation_problems(page, root: str = '[data-testid="stMain"]') -> list[str]:
    """Text in the page that is cut off: clipped by a container or shortened with an ellipsis."""
    cut = page.evaluate(_CUT_TEXT_JS, root)
    return [f"Afgekapt: {c!r}" for c in dict.fromkeys(cut)]


def axe_script() -> Path:
    """The axe-core script shipped by the PyPI package axe-playwright-python (served from disk, offline)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"


def axe_problems(page, exclude: tuple[str, ...] = ()) -> list[str]:
    """axe-core violations of impact serious or critical against WCAG 2.1 AA."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        """async ([tags, exclude]) => {
            const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
            const r = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +
                                                                          (n.failureSummary || '').slice(0, 160))}));
        }""",
        [list(AXE_TAGS), list(exclude)],
    )
    return [f"axe {v['impact']} {v['id']}: {v['help']} — {v['nodes']}" for v in result
            if v["impact"] in BLOCKING_IMPACTS]


def all_problems(page, *, truncation: bool = True, axe: bool = True) -> list[str]:
    """Every check above on the current page."""
    problems = english_problems(page) + python_problems(page)
    if truncation:
        problems += truncation_problems(page)
    if axe:
        problems += axe_problems(page)
    return problems
