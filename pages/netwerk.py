"""Netwerk: the association graph with communities and betweenness, filters, metrics and bridging per wijk."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.formatting import format_number, format_numbers
from pages import common

#: Paul Tol's colour-blind-safe "muted" palette for the largest communities; the rest is grey.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
)
OTHER_COMMUNITY_COLOUR = "#BBBBBB"
MIN_NODE_PX, MAX_NODE_PX = 6.0, 34.0


@st.cache_data(show_spinner="Netwerk berekenen…", max_entries=8)
def _view(key: str, year: int, _ds):
    """The year's NetworkView: associations with metrics and positions, ties, bridging per wijk."""
    from analysis.compute.network_view import network_view

    return network_view(_ds, year)


def _filters(associations: pd.DataFrame) -> tuple[list[str], list[str]]:
    names = common.area_names("wijk")
    c1, c2 = st.columns(2)
    wijken = c1.multiselect("Wijken", list(names), format_func=lambda code: names.get(code, str(code)),
                            key="ww_sel_netwerk_wijken",
                            placeholder="alle wijken")
    kinds = sorted(str(s) for s in associations["soort"].dropna().unique())
    soorten = c2.multiselect("Soort vereniging", kinds, key="ww_sel_netwerk_soorten", placeholder="alle soorten")
    return wijken, soorten


def _community_colours(community: pd.Series) -> list[str]:
    number = pd.to_numeric(community, errors="coerce")
    return [COMMUNITY_COLOURS[int(c) - 1] if pd.notna(c) and 1 <= c <= len(COMMUNITY_COLOURS)
            else OTHER_COMMUNITY_COLOUR for c in number]


def _hover(shown: pd.DataFrame) -> list[str]:
    """Hover texts; names from the data are escaped (plotly renders HTML in hover text)."""
    esc = lambda value: html.escape(str(value)) if pd.notna(value) else "–"  # noqa: E731
    return [
        f"<b>{esc(n)}</b><br>{esc(s)} · {esc(w)}<br>verbindingen: {format_number(g, 0)} · "
        f"tussenpositie: {format_number(b, 3)}<br>gemeenschap {format_number(c, 0)}"
        for n, s, w, g, b, c in zip(shown["naam"], shown["soort"], shown["wijk"], shown["graad"],
                                    shown["betweenness"], shown["gemeenschap"])
    ]


def _graph_chart(view, shown: pd.DataFrame, presentation: bool) -> None:
    from analysis.compute.layout import edge_segments

    if shown.empty:
        st.info("Geen verenigingen bij deze keuze.")
        return
    segments = edge_segments(shown[["id", "x", "y"]], view.edges)
    # One trace for all ties: coordinates separated by NaN (plotly's way to draw many segments).
    gaps = np.full(len(segments), np.nan)
    line_x = np.column_stack([segments["x0"], segments["x1"], gaps]).ravel()
    line_y = np.column_stack([segments["y0"], segments["y1"], gaps]).ravel()
    betweenness = pd.to_numeric(shown["betweenness"], errors="coerce").fillna(0.0).to_numpy()
    top = betweenness.max() if len(betweenness) and betweenness.max() > 0 else 1.0
    size = MIN_NODE_PX + (MAX_NODE_PX - MIN_NODE_PX) * np.sqrt(betweenness / top)
    fig = go.Figure()
    fig.add_trace(go.Scattergl(x=line_x, y=line_y, mode="lines", hoverinfo="skip",
                               line={"color": "rgba(90,90,90,0.35)", "width": 1}, name="banden"))
    fig.add_trace(go.Scattergl(
        x=shown["x"], y=shown["y"], mode="markers", hovertext=_hover(shown), hoverinfo="text", name="verenigingen",
        marker={"size": size, "color": _community_colours(shown["gemeenschap"]),
                "line": {"color": "#222222", "width": 0.6}},
    ))
    fig.update_layout(separators=",.",
        height=720 if presentation else 560, showlegend=False, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"}, plot_bgcolor="#ffffff",
        font={"size": 20 if presentation else 13},
    )
    st.plotly_chart(fig, key="ww_netwerk_graaf", config={"displayModeBar": False})
    method = "" if view.betweenness_method == "exact" else f" De tussenpositie is geschat ({view.betweenness_method})."
    st.caption(
        f"{format_number(len(shown), 0)} verenigingen, {format_number(len(segments), 0)} banden. Kleur: gemeenschap "
        "(verenigingen die onderling veel banden hebben; de negen grootste in kleur, de rest grijs). "
        "Grootte: tussenpositie (betweenness): hoe vaak een vereniging op de kortste weg tussen twee andere ligt. "
        f"Grote bollen zijn sleutelverbinders.{method} De tabel hieronder noemt dezelfde verenigingen in tekst. "
        f"Dichtheid van het hele netwerk: {format_number(view.density, 3)}; een wijk heeft minder verenigingen en "
        "daardoor vanzelf een hogere dichtheid, dus wijken worden alleen met andere wijken vergeleken."
    )


def _metrics_table(shown: pd.DataFrame) -> None:
    """The associations as text (the text alternative of the drawing), numbers through the formatter."""
    table = pd.DataFrame({
        "Vereniging": shown["naam"].astype("string").fillna("–"),
        "Soort": shown["soort"].astype("string").fillna("–"),
        "Wijk": shown["wijk"].astype("string"),
        "Leden": format_numbers(shown["leden"], 0),
        "Verbindingen": format_numbers(shown["graad"], 0),
        "Tussenpositie": format_numbers(shown["betweenness"], 3),
        "Gemeenschap": format_numbers(shown["gemeenschap"], 0),
    })
    st.dataframe(
        table, hide_index=True, width="stretch", height=360,
        column_config={
            "Verbindingen": st.column_config.TextColumn(help="Aantal andere verenigingen waarmee een band bestaat."),
            "Tussenpositie": st.column_config.TextColumn(help="Betweenness (0-1): aandeel van de kortste wegen "
                                                              "tussen andere verenigingen dat via deze loopt."),
        },
    )


def _bridging_section(view, presentation: bool) -> None:
    table = view.bridging
    if table.empty:
        st.info("Geen verenigingen met een wijk in dit jaar.")
        return
    labels = [html.escape(str(w)) for w in table["wijk"]]  # plotly renders HTML in tick labels
    fig = go.Figure([
        go.Bar(y=labels, x=table["bindend"], name="bindend (binnen de wijk)", orientation="h",
               marker_color="#332288"),
        go.Bar(y=labels, x=table["overbruggend"], name="overbruggend (naar andere wijken)", orientation="h",
               marker_color="#DDCC77"),
    ])
    fig.update_layout(separators=",.", barmode="stack", height=max(260, 28 * len(table) + 90),
                      margin={"l": 10, "r": 10, "t": 10, "b": 40}, font={"size": 18 if presentation else 13},
                      xaxis={"title": "aantal banden"}, legend={"orientation": "h", "y": -0.15})
    st.plotly_chart(fig, key="ww_netwerk_bridging", config={"displayModeBar": False})
    common.explain_indicator("overbruggende_banden_pct")
    st.dataframe(pd.DataFrame({
        "Wijk": table["wijk"].astype("string"),
        "Verenigingen": format_numbers(table["verenigingen"], 0),
        "Banden": format_numbers(table["banden"], 0),
        "Bindend": format_numbers(table["bindend"], 0),
        "Overbruggend": format_numbers(table["overbruggend"], 0),
        "Overbruggend (%)": format_numbers(table["overbruggend_pct"], 0, "%"),
        "Tussen soorten (%)": format_numbers(table["ander_soort_pct"], 0, "%"),
    }), hide_index=True, width="stretch", column_config={
        "Tussen soorten (%)": st.column_config.TextColumn(
            help="Aandeel banden tussen verenigingen van een verschillende soort (bv. sport en zorg)."),
    })


def _summary(shown: pd.DataFrame, inactive: int) -> None:
    from analysis.compute.network_view import network_summary

    counts = network_summary(shown)
    cols = st.columns(4)
    cols[0].metric("Verenigingen", format_number(counts["verenigingen"], 0))
    cols[1].metric("Met minstens één band", format_number(counts["met_band"], 0))
    cols[2].metric("Gemeenschappen", format_number(counts["gemeenschappen"], 0))
    cols[3].metric("Zonder band (geïsoleerd)", format_number(counts["zonder_band"], 0))
    if inactive:
        st.caption(f"{format_number(inactive, 0)} niet-actieve verenigingen van dit jaar tellen nergens mee: niet in "
                   "de tekening, de tabel, de wijkcijfers of de wijkprofielen (wel in de export, met actief = nee).")


def body() -> None:
    from analysis.compute.network import network_years
    from analysis.compute.network_view import select_associations

    ds = common.get_dataset()
    if ds.associations.empty:
        common.empty_state("verenigingen", "het netwerk en de sleutelverbinders kunnen niet getoond worden")
        return
    presentation = common.is_presentation()
    years = network_years(ds) or [int(ds.year)]
    year = common.year_choice(common.indicator_table(), "ww_sel_netwerk_jaar", st.columns([1, 4])[0], years=years)
    view = _view(common.dataset_key(), year, ds)
    wijken, soorten = _filters(view.associations)
    shown = select_associations(view.associations, wijken, soorten)
    _summary(shown, view.inactive)
    st.subheader("Het netwerk")
    if ds.ties.empty:
        common.empty_state("banden tussen verenigingen",
                           "het netwerk kan niet getekend worden; hieronder staan alleen de verenigingen")
    else:
        with common.dutch_errors("de netwerktekening"):
            _graph_chart(view, shown, presentation)
    st.subheader("Verenigingen en hun positie")
    with common.dutch_errors("de tabel met netwerkmaten"):
        _metrics_table(shown)
    st.subheader("Bindend en overbruggend per wijk")
    st.markdown(
        "**Bindende** banden lopen tussen verenigingen in dezelfde wijk; **overbruggende** banden verbinden "
        "een wijk met de rest van de gemeente. Een wijk met vooral bindende banden is hecht maar kan op "
        "zichzelf staan; overbruggende banden brengen mensen en middelen van buiten binnen."
    )
    with common.dutch_errors("bindend en overbruggend"):
        _bridging_section(view, presentation)


common.run_page(body, "de netwerkpagina", title="Netwerk van verenigingen",
                intro="Hoe verenigingen met elkaar verbonden zijn: door gedeelde leden, bestuur, locatie "
                      "of samenwerking.")
