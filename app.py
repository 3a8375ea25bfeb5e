"""Wijkweefsel: the Streamlit entry point, with the Start page and the navigation between pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image
from streamlit.navigation.page import StreamlitPage

from analysis.load.sources import source_inventory
from pages import common


def _favicon() -> Image.Image:
    """A small woven-grid favicon drawn in memory (a material-icon favicon is fetched from Google's fonts host)."""
    size = 32
    icon = np.full((size, size, 3), 255, dtype=np.uint8)
    for i, colour in enumerate(((0x33, 0x22, 0x88), (0x44, 0xAA, 0x99), (0xCC, 0x66, 0x77))):
        lane = slice(6 + 9 * i, 10 + 9 * i)
        icon[lane, 2:30] = colour
        icon[2:30, lane] = colour
    return Image.fromarray(icon)


st.set_page_config(
    page_title="Wijkweefsel",
    page_icon=_favicon(),
    layout="wide",
    initial_sidebar_state="expanded",
)

def start_page() -> None:
    """Start: which dataset, the key figures, what is present and missing, where to go next."""
    common.run_page(_start_body, "de startpagina", title="Wijkweefsel")


def _start_body() -> None:
    ds = common.get_dataset()
    source = "de ingebouwde demogemeente (fictief)" if ds.is_demo else "uw eigen gegevens"
    st.markdown(
        f"Sociale infrastructuur van **{common.md(ds.gemeente_name)}** per wijk en buurt: "
        "ontmoetingsplekken, verenigingen, zorg, onderwijs, sport, cultuur, groen en digitale platforms, "
        "met wat bewoners er zelf van vinden."
    )
    st.caption(f"Geladen dataset: {common.md(ds.name)} · peiljaar {ds.year} · {source}")

    with common.dutch_errors("de kerncijfers"):
        st.subheader("Kerncijfers van de gemeente")
        inwoners = pd.to_numeric(ds.gemeente["inwoners"], errors="coerce").sum() if len(ds.gemeente) else None
        cols = st.columns(6)
        cols[0].metric("Inwoners", common.fmt_int(inwoners))
        cols[1].metric("Wijken", common.fmt_int(len(ds.wijken)))
        cols[2].metric("Buurten", common.fmt_int(len(ds.buurten)))
        associations = common.year_slice(ds.associations, ds.year)
        active = associations[associations["actief"].fillna(True).astype(bool)] if len(associations) else associations
        cols[3].metric("Voorzieningen", common.fmt_int(len(common.year_slice(ds.facilities, ds.year))),
                       help=f"In {ds.year}. De tabel 'Wat zit er in deze dataset?' telt de regels van alle jaren.")
        cols[4].metric("Verenigingen", common.fmt_int(len(active)),
                       help=f"Actief in {ds.year} (zoals op de kaart en in het netwerk).")
        cols[5].metric("Enquêtes ingevuld", common.fmt_int(len(common.year_slice(ds.respondents, ds.year))))

        table = common.indicator_table()
        gm = table[(table["niveau"] == "gemeente") & (table["jaar"] == common.default_year(table))]
        shown = [("cohesie_score", 1), ("eenzaam_pct", 0), ("vrijwilliger_pct", 0), ("gaten_aantal", 0)]
        values = {k: gm.loc[gm["indicator"] == k, "waarde"] for k, _ in shown}
        present = [(k, d) for k, d in shown if len(values[k]) and pd.notna(values[k].iloc[0])]
        if present:
            from analysis.registry import label, unit

            survey_cols = st.columns(len(present))
            for col, (key, decimals) in zip(survey_cols, present, strict=True):
                u = unit(key)
                col.metric(label(key), common.fmt(values[key].iloc[0], decimals, "%" if u == "%" else ""),
                           help=f"Eenheid: {u}. Zie Verantwoording voor de definitie.")

    with common.dutch_errors("het overzicht van de bronnen"):
        st.subheader("Wat zit er in deze dataset?")
        from analysis.compute.informal import informal_notice

        notice = informal_notice(ds)
        if notice:
            st.warning(notice)
        rows = source_inventory(ds)
        rows["regels"] = [common.fmt_int(v) for v in rows["regels"]]  # a missing source reads "–", not "None"
        st.dataframe(
            rows, hide_index=True, width="stretch",
            column_config={
                "bron": st.column_config.TextColumn("Bron"),
                "status": st.column_config.TextColumn("Status"),
                "bestand": st.column_config.TextColumn("Bestand"),
                "regels": st.column_config.TextColumn("Regels"),
                "maakt mogelijk": st.column_config.TextColumn("Maakt mogelijk"),
            },
        )
        st.caption("Regels: alle regels van het bestand, van alle jaren samen; de kerncijfers hierboven gelden "
                   f"voor {ds.year}.")
        missing = rows.loc[rows["status"] == "ontbreekt", "bron"].tolist()
        if missing:
            st.warning(
                "Ontbreekt: " + ", ".join(missing) + ". De app werkt met wat er is; de pagina's zeggen "
                "wat ze daardoor niet kunnen tonen. Aanvullen kan op de pagina Gegevens."
            )
        else:
            st.success("Alle bronnen zijn aanwezig.")
        warnings = [f for f in ds.findings if f.level != "info"]
        if warnings:
            with st.expander(f"Meldingen bij het inlezen ({len(warnings)})"):
                common.show_findings(warnings)

    st.subheader("Waar wilt u naartoe?")
    links = (
        ("pages/kaart.py", "Kaart", ":material/map:", "alle voorzieningen, verenigingen en cijfers op de kaart"),
        ("pages/wijkprofiel.py", "Wijkprofiel", ":material/article:", "één wijk op één pagina: sterk, zwak, verandering"),
        ("pages/gaten.py", "Gaten en prioriteiten", ":material/priority_high:",
         "waar ontbreekt wat, welke wijk eerst, en wat als er iets bij komt"),
        ("pages/netwerk.py", "Netwerk", ":material/hub:", "hoe verenigingen met elkaar verbonden zijn"),
        ("pages/enquete.py", "Enquête", ":material/forum:", "wat bewoners zeggen, met marges en respons"),
        ("pages/wijkplan.py", "Wijkplan", ":material/flag:", "doelen en maatregelen per wijk, en hoe het ervoor staat"),
        ("pages/gegevens.py", "Gegevens", ":material/upload_file:", "uw eigen gegevens laden en controleren"),
        ("pages/verantwoording.py", "Verantwoording", ":material/menu_book:", "definities, normen, bronnen"),
    )
    link_cols = st.columns(2)
    for i, (path, title, icon, text) in enumerate(links):
        with link_cols[i % 2]:
            st.page_link(path, label=f"{title}: {text}", icon=icon)


def _navigation() -> StreamlitPage:
    """The pages, registered explicitly (pages/common.py is a module, not a page)."""
    presentation = common.is_presentation()
    pages = [
        st.Page(start_page, title="Start", icon=":material/home:", url_path="start", default=True),
        st.Page("pages/kaart.py", title="Kaart", icon=":material/map:"),
        # Not the default page in presentation mode either: a default page loses its own URL, and a deep link
        # such as /wijkprofiel?presentatie=1 would end in Streamlit's "Page not found" dialog.
        st.Page("pages/wijkprofiel.py", title="Wijkprofiel", icon=":material/article:"),
        st.Page("pages/netwerk.py", title="Netwerk", icon=":material/hub:"),
        st.Page("pages/enquete.py", title="Enquête", icon=":material/forum:"),
        st.Page("pages/gaten.py", title="Gaten en prioriteiten", icon=":material/priority_high:"),
        st.Page("pages/wijkplan.py", title="Wijkplan", icon=":material/flag:"),
        st.Page("pages/gegevens.py", title="Gegevens", icon=":material/upload_file:"),
        st.Page("pages/verantwoording.py", title="Verantwoording", icon=":material/menu_book:"),
    ]
    return st.navigation(pages, position="hidden" if presentation else "sidebar")


def main() -> None:
    """Set up the session, the sidebar and run the chosen page."""
    common.init_presentation()
    with common.dutch_errors("het klaarzetten van de kaartbestanden"):
        from analysis.render.assets import ensure_map_assets

        ensure_map_assets(common.APP_ROOT)
    page = _navigation()
    if common.is_presentation() and page.title != "Wijkprofiel":
        # Presentation mode is one wijk at a time; other pages would be stranded without navigation.
        st.switch_page("pages/wijkprofiel.py", query_params=st.query_params.to_dict())
    common.apply_css()
    if not common.is_presentation():
        with st.sidebar:
            with common.dutch_errors("het laden van de gegevens"):
                ds = common.get_dataset()
                st.caption(f"Dataset: **{common.md(ds.name)}**" + (" (fictief)" if ds.is_demo else ""))
            common.presentation_toggle()
    page.run()


main()
