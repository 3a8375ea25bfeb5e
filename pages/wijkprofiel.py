"""Wijkprofiel: one wijk at a time, in normal mode and as a presentation for a wijkbijeenkomst."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import common, informal_view

WIJK_WIDGET_KEY = "ww_sel_profiel_wijk"
YEAR_WIDGET_KEY = "ww_sel_profiel_jaar"
INDEX_REFERENCE = 100.0


REFERENCE_KEY = "ww_ref_profiel"


@st.cache_data(show_spinner="Wijkprofiel opbouwen…", max_entries=64)
def _profile(dataset_key: str, code: str, year: int | None, reference: str, _ds, _table: pd.DataFrame, _metrics,
             _params):
    from analysis.compute.profile import build_profile

    return build_profile(_ds, _table, code, year=year, metrics=_metrics, params=_params, reference=reference)


def profile_for(code: str, year: int | None):
    """The cached WijkProfile of ``code`` against the chosen reference (network metrics shared between wijken)."""
    ds = common.get_dataset()
    table = common.indicator_table()
    metrics = None
    if year is not None and len(ds.associations):
        metrics = common.network_metrics(year)
    reference = str(st.session_state.get(REFERENCE_KEY) or "gemeente")
    return _profile(common.computation_key(), code, year, reference, ds, table, metrics, common.params())


def _fmt_value(value: object, unit: str) -> str:
    from analysis.formatting import format_value

    return format_value(value, unit)


# --------------------------------------------------------------------------------------
# Choosing the wijk
# --------------------------------------------------------------------------------------

def _set_wijk(code: str) -> None:
    st.session_state[common.WIJK_KEY] = code
    st.session_state[WIJK_WIDGET_KEY] = code
    st.query_params[common.WIJK_PARAM] = code


def _on_wijk_widget() -> None:
    _set_wijk(st.session_state[WIJK_WIDGET_KEY])


def _step(codes: list[str], step: int) -> None:
    current = st.session_state.get(common.WIJK_KEY, codes[0])
    position = codes.index(current) if current in codes else 0
    _set_wijk(codes[(position + step) % len(codes)])


def _chooser(names: dict[str, str], presentation: bool) -> str:
    """Wijk select box (normal) or previous/next buttons (presentation); returns the wijk code."""
    code = common.selected_wijk()
    codes = list(names)
    st.session_state[WIJK_WIDGET_KEY] = code
    if presentation:
        left, middle, right, close = st.columns([1.5, 2.2, 1.7, 1.6])
        left.button("◀ Vorige wijk", on_click=_step, args=(codes, -1), key="ww_prev", width="stretch")
        middle.markdown(
            f"<div style='text-align:center;font-size:1.5rem;padding-top:0.4rem'>Wijk "
            f"{codes.index(str(code)) + 1} van {len(codes)}</div>", unsafe_allow_html=True)
        right.button("Volgende wijk ▶", on_click=_step, args=(codes, 1), key="ww_next", width="stretch")
        close.button("Presentatie sluiten", key="ww_close_presentation", width="stretch",
                     on_click=common.set_presentation, args=(False,))
    else:
        c1, c2, c3 = st.columns([4, 1, 1])
        c1.selectbox("Wijk", codes, format_func=lambda c: f"{names[c]} ({c})", key=WIJK_WIDGET_KEY,
                     on_change=_on_wijk_widget)
        c2.button("◀ Vorige", on_click=_step, args=(codes, -1), key="ww_prev", width="stretch")
        c3.button("Volgende ▶", on_click=_step, args=(codes, 1), key="ww_next", width="stretch")
    return st.session_state[common.WIJK_KEY]


# --------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------

def _locator_map(code: str, year: int, presentation: bool, height: int) -> None:
    from analysis.render.layers import AreaLayer, FacilityLayer, MapSpec, MapView
    from analysis.render.maps import build_map

    ds = common.get_dataset()
    areas = common.display_areas("wijk")
    facilities = common.year_slice(ds.facilities, year)
    collecting = presentation and informal_view.places_on()
    # A small locator map: the layer control starts folded so it does not cover the wijk.
    m = build_map(MapSpec(AreaLayer(areas, focus_code=code), facilities=FacilityLayer(facilities),
                          view=MapView(height=height, presentation=presentation, controls_collapsed=True),
                          **informal_view.layers(code, year)))
    # its own key while collecting: the map component then reports clicks (returned objects are set at mount)
    key = f"ww_profiel_map_{'p' if presentation else 'n'}{'_plekken' if collecting else ''}"
    returned = common.show_map(m, key, height, ["last_clicked"] if collecting else [])
    if collecting:
        informal_view.remember_click(returned)


def _key_figures(profile, columns: int = 4) -> None:
    figures = profile.key_figures.dropna(subset=["waarde"])
    if figures.empty:
        st.info("Geen kerncijfers bekend voor deze wijk.")
        return
    cols = st.columns(columns)
    for i, row in enumerate(figures.itertuples(index=False)):
        cols[i % columns].metric(
            row.label, _fmt_value(row.waarde, row.eenheid),
            help=f"Gemeente: {_fmt_value(row.gemeente, row.eenheid)}",
        )


def _components(profile) -> None:
    frame = profile.components
    if frame.empty:
        st.info("Geen voorzieningen bekend.")
        return
    if profile.method_note:
        st.caption(f"Nabijheid: {common.md(profile.method_note)}.")
    shown = pd.DataFrame({
        "onderdeel": frame["label"],
        "aantal": frame["aantal"],
        "per 1.000 inw.": [common.fmt(v, 2) for v in frame["per_1000_inw"]],
        "gemeente per 1.000": [common.fmt(v, 2) for v in frame["per_1000_inw_gemeente"]],
        "binnen loopnorm (%)": [common.fmt(v, 0, "%") for v in frame["dekking_pct"]],
        "gemeente (%)": [common.fmt(v, 0, "%") for v in frame["dekking_pct_gemeente"]],
        "loopnorm (m)": [common.fmt_int(v) for v in frame["loopnorm_m"]],
        "tekort": frame["tekort"],
    })
    st.dataframe(
        shown, hide_index=True, width="stretch",
        column_config={
            "aantal": st.column_config.NumberColumn(format="%d"),
        },
    )


def _cohesion_chart(profile, presentation: bool) -> None:
    frame = profile.cohesion.dropna(subset=["waarde"])
    if frame.empty:
        st.info("De cohesie-index kon voor deze wijk niet worden berekend (te weinig gegevens).")
        return
    frame = frame.iloc[::-1]
    colours = ["#332288" if k == "cohesie_index" else "#88CCEE" for k in frame["indicator"]]
    size = 22 if presentation else 13
    # The value sits in the label, so no bar text can be clipped or run into the labels; the parts are
    # named without the repeated "Cohesie-index: ".
    names = [str(label).split(": ", 1)[-1].capitalize() if k != "cohesie_index" else str(label)
             for k, label in zip(frame["indicator"], frame["label"])]
    labels = [f"{common.html_text(name)}  <b>{_fmt_value(v, '')}</b>" for name, v in zip(names, frame["waarde"])]
    fig = go.Figure(go.Bar(
        x=frame["waarde"] - INDEX_REFERENCE, y=labels, base=INDEX_REFERENCE, orientation="h",
        marker_color=colours, hovertemplate="%{y}<extra></extra>",
    ))
    fig.add_vline(x=INDEX_REFERENCE, line_color="#000", line_width=2)
    low = float(min(frame["waarde"].min(), 80))
    high = float(max(frame["waarde"].max(), 120))
    fig.update_layout(
        height=(70 + 58 * len(frame)) if presentation else (60 + 45 * len(frame)),
        margin={"l": 10, "r": 30, "t": 10, "b": 30}, font={"size": size, "color": "#1b1f23"},
        # in presentation the heading above says "100 = gemeente"; the narrow column has no room for a title
        xaxis={"range": [low - 8, high + 8],
               "title": {"text": "" if presentation else "100 = gemiddelde van de gemeente", "font": {"size": size}},
               "tickfont": {"size": size, "color": "#1b1f23"}},
        yaxis={"tickfont": {"size": size, "color": "#000" if presentation else "#1b1f23"}},
        showlegend=False,
    )
    st.plotly_chart(fig, key=f"ww_cohesie_{'p' if presentation else 'n'}", config={"displayModeBar": False})


def _survey(profile) -> None:
    frame = profile.survey
    if frame.empty:
        st.info("Er zijn geen enquêtecijfers voor deze wijk en dit jaar.")
        return
    suppressed = frame["onderdrukt"].fillna(False).astype(bool)
    shown = pd.DataFrame({
        "onderwerp": frame["label"],
        "wijk": [common.SUPPRESSED_TEXT if s else _fmt_value(v, u)
                 for v, u, s in zip(frame["waarde"], frame["eenheid"], suppressed)],
        "95%-marge": ["" if (s or pd.isna(lo)) else f"{_fmt_value(lo, u)} – {_fmt_value(hi, u)}"
                      for lo, hi, u, s in zip(frame["ci_laag"], frame["ci_hoog"], frame["eenheid"], suppressed)],
        "n": frame["n"],
        "gemeente": [_fmt_value(v, u) for v, u in zip(frame["gemeente"], frame["eenheid"])],
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"n": st.column_config.NumberColumn("n (respondenten)", format="%d")})
    if suppressed.any():
        st.caption("\"Te weinig respons\": minder respondenten dan de privacydrempel, dus geen cijfer. "
                   "Zie de pagina Enquête.")


def _network(profile) -> None:
    frame = profile.network.dropna(subset=["waarde"])
    if frame.empty:
        st.info("Er zijn geen verenigingen bekend in deze wijk.")
        return
    cols = st.columns(min(3, len(frame)))
    for i, row in enumerate(frame.itertuples(index=False)):
        cols[i % len(cols)].metric(row.label, _fmt_value(row.waarde, row.eenheid),
                                   help=f"Gemeente: {_fmt_value(row.gemeente, row.eenheid)}")
    if len(profile.connectors):
        st.markdown("**Sleutelverbinders** (verenigingen die de meeste andere met elkaar verbinden)")
        connectors = profile.connectors[["naam", "soort", "graad", "betweenness"]].rename(
            columns={"graad": "verbindingen", "betweenness": "tussenpositie"})
        connectors["tussenpositie"] = [common.fmt(v, 3) for v in connectors["tussenpositie"]]
        st.dataframe(connectors, hide_index=True, width="stretch")


def _wijktype(profile) -> None:
    """The wijk's type and how it scored on each trait (context: shown, never scored)."""
    from analysis.formatting import format_number

    types = common.area_types("wijk")
    row = types[types["gebiedscode"].astype(str) == profile.code]
    if row.empty:
        return
    first = row.iloc[0]
    traits = {"score_p_65_eo": "65 jaar en ouder", "score_p_00_14": "kinderen (0-14)",
              "score_p_eenpersoons_hh": "alleenstaanden", "score_p_laag_inkomen": "lage inkomens"}
    parts = [f"{label} {format_number(first[k], 2)}× het landelijke aandeel" for k, label in traits.items()
             if k in row.columns and pd.notna(first[k])]
    st.caption(f"Wijktype: **{common.md(first['wijktype'])}** (stedelijkheid {common.md(first['stedelijkheid'])}, "
               f"uit {common.md(first['stedelijkheid_bron'])}; " + "; ".join(parts) + "). Deze kenmerken beschrijven "
               "de wijk en tellen niet mee in de cohesie-index of de prioriteiten.")


def _statements(profile, presentation: bool) -> None:
    if not presentation:
        common.reference_choice(REFERENCE_KEY, national=False)
        if profile.reference_note:
            st.caption(common.md(profile.reference_note))
    columns = st.columns(2)
    lists = (("Sterk", profile.strengths, "beter"), ("Aandachtspunten", profile.weaknesses, "slechter"))
    for column, (title, statements, direction) in zip(columns, lists):
        with column:
            st.markdown(f"### {title}")
            if not presentation and profile.reference_label:
                st.caption(f"Vergeleken met {common.md(profile.reference_label)}")
            if statements:
                st.markdown("\n".join(f"- {common.md(s.text)}" for s in statements))
            elif profile.comparison_note:
                st.markdown(f"Geen vergelijking: {common.md(profile.comparison_note)}.")
            else:
                st.markdown(f"Geen onderwerp waarop de wijk duidelijk {direction} scoort dan de andere wijken.")


def _change(profile) -> None:
    from analysis.formatting import format_difference
    from analysis.render.png import change_sentences

    frame = profile.change
    if profile.baseline_year is None or frame.empty:
        st.info("Er is geen eerder meetjaar in de gegevens, dus verandering is nog niet te tonen.")
        return
    lead = change_sentences(profile, limit=6)
    if lead:
        st.markdown("\n".join(f"- {'▲' if better else ('▼' if better is False else '•')} {common.md(text)}"
                               for text, better in lead))
    else:
        st.markdown(f"Sinds {profile.baseline_year} is niets veranderd dat groter is dan de foutmarge: geen "
                    "voorzieningen erbij of eraf en geen verschuiving in het bereik.")
    # Survey figures have a margin; counts and coverage are complete counts, not samples.
    significant = [
        ("groter dan de marges" if bool(s) else "binnen de marges") if not pd.isna(s)
        else ("geen marge: te weinig respons" if bool(e) else "telling, geen steekproef")
        for s, e in zip(frame["significant"], frame["enquete"])
    ]
    shown = pd.DataFrame({
        "onderwerp": frame["label"],
        str(profile.baseline_year): [_fmt_value(v, u) for v, u in zip(frame["basis"], frame["eenheid"])],
        str(profile.year): [_fmt_value(v, u) for v, u in zip(frame["waarde"], frame["eenheid"])],
        "verschil": [format_difference(v, u) for v, u in zip(frame["verschil"], frame["eenheid"])],
        "betekenis": significant,
    })
    with st.expander(f"Alle {len(shown)} onderwerpen: {profile.baseline_year} tegen {profile.year}"):
        st.dataframe(shown, hide_index=True, width="stretch")


def _downloads(profile) -> None:
    from analysis.render import export, tables

    ds = common.get_dataset()
    table = common.indicator_table()
    c1, c2, c4, c3 = st.columns(4)
    safe = f"wijkprofiel_{profile.code}"
    key = common.computation_key()
    # The files are made when the button is clicked (a callable, run by Streamlit on its own thread), not each
    # time the page is drawn: the PNG alone took 1.4 s of every page open.
    c1.download_button("Wijkprofiel als PNG", lambda: _profile_png(key, profile.code, profile.year, ds, table, profile),
                       file_name=f"{safe}.png", mime="image/png", icon=":material/image:", on_click="ignore")
    c2.download_button("Cijfers als CSV (Excel NL)",
                       lambda: tables.profile_csv(ds, table, profile.code, dialect="excel-nl"),
                       file_name=f"{safe}.csv", mime="text/csv", icon=":material/table:", on_click="ignore")
    c4.download_button("Alle indicatoren als Excel", lambda: _workbook(key, profile.year, ds, table),
                       file_name="indicatoren.xlsx", icon=":material/grid_on:", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    with common.dutch_errors("de export van alle wijken"):
        if c3.button("Alle wijken als ZIP klaarzetten", icon=":material/folder_zip:"):
            bar = st.progress(0.0, text="Wijkprofielen maken…")

            def progress(fraction: float, message: str) -> None:
                bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

            st.session_state["ww_export_zip"] = (common.dataset_key(), export.export_zip(ds, table, progress=progress))
            bar.empty()
        ready = st.session_state.get("ww_export_zip")
        if ready and ready[0] == common.dataset_key():
            st.download_button("ZIP met alle wijkprofielen downloaden", ready[1], file_name="wijkprofielen.zip",
                               mime="application/zip", icon=":material/download:")


@st.cache_data(show_spinner=False, max_entries=32)
def _profile_png(dataset_key: str, code: str, year: int, _ds, _table, _profile) -> bytes:
    from analysis.render import png

    return png.profile_png(_ds, _table, code, year=year, profile=_profile)


@st.cache_data(show_spinner=False, max_entries=8)
def _workbook(dataset_key: str, year: int, _ds, _table) -> bytes:
    from analysis.render.workbook import indicators_workbook

    return indicators_workbook(_ds, _table, year)


# --------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------

def _header(profile) -> None:
    st.header(common.md(profile.name), anchor=False)
    parts = [f"wijk {common.md(profile.code)}", f"{common.md(profile.gemeente)}", f"meetjaar {profile.year}"]
    if not math.isnan(profile.priority_rank) and profile.priority_total:
        parts.append(f"prioriteit {int(profile.priority_rank)} van {profile.priority_total}")
    st.caption(" · ".join(parts))


def _normal(code: str, year: int) -> None:
    profile = profile_for(code, year)
    _header(profile)
    left, right = st.columns([1, 1.25])
    with left, common.dutch_errors("de kaart van de wijk"):
        _locator_map(code, profile.year, False, 420)
    with right:
        st.subheader("Kerncijfers")
        with common.dutch_errors("de kerncijfers"):
            _key_figures(profile, 3)
    with common.dutch_errors("het wijktype"):
        _wijktype(profile)
    with common.dutch_errors("sterk en zwak"):
        _statements(profile, False)
    sections = (
        ("Voorzieningen: aanbod en nabijheid tegen de gemeente", lambda: _components(profile), "de voorzieningen"),
        ("Cohesie-index en zijn delen", lambda: _cohesion_chart(profile, False), "de cohesie-index"),
        ("Wat bewoners zeggen (enquête)", lambda: _survey(profile), "de enquêtecijfers"),
        ("Verenigingsnetwerk", lambda: _network(profile), "het netwerk"),
        ("Informele netwerken en initiatieven", lambda: informal_view.initiatives_section(code, profile.year),
         "de initiatieven"),
        ("Wat bewoners en professionals zeggen", lambda: informal_view.notes_section(code, profile.year),
         "de notities"),
        ("Signalen: notities naast cijfers", lambda: informal_view.signals_section(code, profile.year),
         "de signalen"),
        (f"Verandering sinds {profile.baseline_year or 'het basisjaar'}", lambda: _change(profile), "de verandering"),
        ("Downloaden", lambda: _downloads(profile), "de downloads"),
    )
    for title, show, context in sections:
        st.subheader(title)
        with common.dutch_errors(context):
            show()
    if profile.sources:
        st.caption("Bronnen: " + "; ".join(common.md(s) for s in profile.sources))


def _presentation_figures(profile) -> None:
    with common.dutch_errors("de kerncijfers"):
        figures = profile.key_figures.set_index("indicator")
        keys = [k for k in ("inwoners", "p_65_eo", "p_eenpersoons_hh") if k in figures.index]
        cols = st.columns(max(len(keys), 1))
        for col, key in zip(cols, keys):
            row = figures.loc[key]
            col.metric(row["label"], _fmt_value(row["waarde"], row["eenheid"]))
    # The answer first: strong points and points of attention above the fold, the index below them.
    with common.dutch_errors("sterk en zwak"):
        _statements(profile, True)
    with common.dutch_errors("de cohesie-index"):
        st.markdown("### Cohesie-index (100 = gemeente)")
        _cohesion_chart(profile, True)


def _presentation(code: str, year: int) -> None:
    profile = profile_for(code, year)
    st.title(common.md(profile.name), anchor=False)
    left, right = st.columns([1.1, 1])
    with left, common.dutch_errors("de kaart van de wijk"):
        _locator_map(code, profile.year, True, 720)
    with right:
        informal_view.places_toggle()
        if informal_view.places_on():
            with common.dutch_errors("het ophalen van plekken"):
                informal_view.places_panel()
        else:
            _presentation_figures(profile)
    st.caption(f"{common.md(profile.gemeente)} · meetjaar {profile.year}" +
               (" · fictieve demogegevens" if profile.is_demo else ""))


def body() -> None:
    names = common.area_names("wijk")
    if not names:
        st.warning("Deze dataset heeft geen wijken.")
        return
    presentation = common.is_presentation()
    code = _chooser(names, presentation)
    table = common.indicator_table()
    years = common.years_with_data(table)
    if presentation:
        year = common.default_year(table)
        _presentation(code, year)
        return
    year = st.sidebar.selectbox("Meetjaar", years, index=years.index(common.default_year(table)),
                                key=YEAR_WIDGET_KEY)
    _normal(code, int(year))


def run() -> None:
    common.leave_legacy_pages()
    if common.is_presentation():
        # Large type from the first line; no page title or banner above the wijk's name.
        with common.dutch_errors("het wijkprofiel"):
            ds = common.get_dataset()
            body()
            if ds.is_demo:
                st.caption("Demogemeente: alle cijfers zijn verzonnen.")
    else:
        common.run_page(body, "het wijkprofiel", title="Wijkprofiel")


run()
