"""The app's look: Dutch over Streamlit's English texts, readable contrast, and labels that wrap instead of cutting off."""

from __future__ import annotations

import json

import streamlit as st

#: Streamlit's own English texts (it has no locale setting) and their Dutch replacement, by exact text.
DUTCH_TEXTS: dict[str, str] = {
    "Browse files": "Bestanden kiezen",
    "Upload": "Bestanden kiezen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Choose an option": "Maak een keuze",
    "Choose options": "Maak een keuze",
    "No options to select": "Geen keuzes beschikbaar",
    "No options to select.": "Geen keuzes beschikbaar",
    "No results": "Geen resultaten",
    "Select all": "Alles kiezen",
    "Clear all": "Alles wissen",
    "Clear value": "Wissen",
    "Remove": "Verwijderen",
    "Open": "Openen",
    "Close": "Sluiten",
    "Skip to main content": "Naar de inhoud",
    "Page not found": "Pagina niet gevonden",
    "Show more": "Meer tonen",
    "Show less": "Minder tonen",
    "Download as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "View fullscreen": "Volledig scherm",
    "Exit fullscreen": "Volledig scherm sluiten",
    "Press Enter to apply": "Druk op Enter om toe te passen",
    "Press Enter to submit form": "Druk op Enter om te versturen",
    "Running...": "Bezig…",
    "Uploading...": "Uploaden…",
    "Show password text": "Wachtwoord tonen",
    "Copy to clipboard": "Kopiëren",
    "Delete file": "Bestand verwijderen",
    "Remove file": "Bestand verwijderen",
}

#: Texts with a variable part: (JavaScript regular expression, Dutch replacement with $1 for the part).
DUTCH_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Limit (\d+)\s?MB per file(.*)$", "Tot $1 MB per bestand$2"),
    (r"^(\d+)\s?MB per file$", "$1 MB per bestand"),
    (r"You have requested page [^,]*, but no corresponding file was found in the app's pages/ directory\.?",
     "Deze pagina bestaat niet."),
    (r"Running the app's main page\.?", "U ziet de startpagina."),
    (r"^Help for (.+)$", "Uitleg bij $1"),
)

_DUTCH_JS = """
<script>
(() => {
  if (window.__wijkweefselDutch) return;
  window.__wijkweefselDutch = true;
  const exact = new Map(Object.entries(%(exact)s));
  const patterns = %(patterns)s.map(([re, to]) => [new RegExp(re, 'g'), to]);
  const dutch = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (exact.has(key)) return text.replace(key, exact.get(key));
    let out = text;
    for (const [re, to] of patterns) out = out.replace(re, to);
    return out === text ? null : out;
  };
  const ATTRS = ['placeholder', 'aria-label', 'title'];
  const fix = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const to = dutch(node.nodeValue);
      if (to !== null && to !== node.nodeValue) node.nodeValue = to;
    }
    const elements = root.querySelectorAll ? root.querySelectorAll('[placeholder],[aria-label],[title]') : [];
    for (const el of elements) for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (v === null) continue;
      const to = dutch(v);
      if (to !== null && to !== v) el.setAttribute(a, to);
    }
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') {
        const to = dutch(m.target.nodeValue);
        if (to !== null && to !== m.target.nodeValue) m.target.nodeValue = to;
      } else if (m.type === 'attributes') {
        const v = m.target.getAttribute(m.attributeName);
        const to = v === null ? null : dutch(v);
        if (to !== null && to !== v) m.target.setAttribute(m.attributeName, to);
      } else {
        for (const n of m.addedNodes) {
          if (n.nodeType === Node.TEXT_NODE) {
            const to = dutch(n.nodeValue);
            if (to !== null && to !== n.nodeValue) n.nodeValue = to;
          } else if (n.nodeType === Node.ELEMENT_NODE) fix(n);
        }
      }
    }
  });
  fix(document.body);
  observer.observe(document.body, {childList: true, subtree: true, characterData: true,
                                   attributes: true, attributeFilter: ATTRS});
  document.documentElement.lang = 'nl';
})();
</script>
"""

#: Both modes: caption grey darkened from Streamlit's 4.38:1 to 7.0:1 on white (WCAG 2.1 AA asks 4.5:1 for
#: normal text, success criterion 1.4.3), and labels, metric values, chips and buttons wrap instead of being
#: cut off with an ellipsis at 1366 px wide.
_COMMON_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #4f5459 !important;
  opacity: 1 !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"],
[data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; }
[data-testid="stWidgetLabel"], [data-testid="stWidgetLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
button p, button [data-testid="stMarkdownContainer"] { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stMultiSelectTagsContainer"] span, [data-baseweb="tag"] span { max-width: none !important;
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMultiSelectTagsContainer"] > span, [data-baseweb="tag"] { max-width: 100% !important;
  height: auto !important; }
[data-baseweb="select"] [data-baseweb="select"] div, [data-baseweb="select"] > div > div:first-child > div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stPageLink"] p, [data-testid="stPageLink-NavLink"] span { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
[data-testid="stExpander"] summary p { white-space: normal !important; }
"""

NORMAL_CSS = "<style>" + _COMMON_CSS + """
[data-testid="stMetricValue"] { font-size: 1.9rem; }
</style>"""

PRESENTATION_CSS = "<style>" + _COMMON_CSS + """
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stAppViewContainer"], [data-testid="stMain"] {
  background: #ffffff !important; color: #000000 !important;
}
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 100% !important; }
h1 { font-size: 3.2rem !important; font-weight: 800 !important; color: #000 !important; }
h2 { font-size: 2.4rem !important; color: #000 !important; }
h3 { font-size: 1.9rem !important; color: #000 !important; }
p, li, label, [data-testid="stMarkdownContainer"] { font-size: 1.45rem !important; color: #000 !important;
  line-height: 1.45 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #000 !important; }
[data-testid="stMetricValue"] { font-size: 3.0rem !important; font-weight: 800 !important; color: #000 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.35rem !important; font-weight: 700 !important; }
[data-testid="stMetricDelta"] { font-size: 1.3rem !important; }
button p { font-size: 1.6rem !important; font-weight: 700 !important; line-height: 1.2 !important; }
button[kind] { min-height: 3.4rem; border: 3px solid #000 !important; }
</style>"""


def dutch_script() -> str:
    """The script that puts Dutch over Streamlit's English texts, as they appear (our own code, no data in it)."""
    return _DUTCH_JS % {"exact": json.dumps(DUTCH_TEXTS), "patterns": json.dumps([list(p) for p in DUTCH_PATTERNS])}


def apply(presentation: bool) -> None:
    """Inject the CSS of the mode and the Dutch script (once per browser tab; it observes later changes)."""
    st.html(PRESENTATION_CSS if presentation else NORMAL_CSS)
    st.html(dutch_script(), unsafe_allow_javascript=True)
