"""Netwerk: the association graph with communities and betweenness, filters, metrics and bridging per wijk."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import common

#: Paul Tol's colour-blind-safe "muted" palette for the largest communities; the rest is grey.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
)
OTHER_COMMUNITY_COLOUR = "#BBBBBB"
MIN_NODE_PX, MAX_NODE_PX = 6.0, 34.0


@st.cache_data(show_spinner="Netwerk schikken…", max_entries=8)
def _layout(key: str, year: int, _ds) -> pd.DataFrame:
    """Positions of the year's graph (seeded spring layout, isolated associations on a ring)."""
    from analysis.compute.network import build_graph, graph_layout

    graph = build_graph(common.year_slice(_ds.associations, year), common.year_slice(_ds.ties, year))
    return graph_layout(graph)


@st.cache_data(show_spinner=False, max_entries=16)
def _bridging(key: str, year: int, level: str, _ds) -> pd.DataFrame:
    from analysis.compute.network import bridging_bonding

    return bridging_bonding(_ds.associations, _ds.ties, level, year)


def _nodes(year: int) -> pd.DataFrame:
    """Associations of ``year`` with their metrics and wijk name (a join for display)."""
    ds = common.get_dataset()
    associations = pd.DataFrame(common.year_slice(ds.associations, year)).drop(columns="geometry", errors="ignore")
    associations["id"] = associations["id"].astype("string")
    metrics = common.network_metrics(year)
    nodes = associations.merge(metrics, on="id", how="left")
    names = common.area_names("wijk")
    nodes["wijk"] = nodes["wijkcode"].astype("string").map(names).fillna("buiten de gemeente")
    return nodes


def _filters(nodes: pd.DataFrame) -> tuple[list[str], list[str]]:
    names = common.area_names("wijk")
    c1, c2 = st.columns(2)
    wijken = c1.multiselect("Wijken", list(names), format_func=names.get, key="ww_sel_netwerk_wijken",
                            placeholder="alle wijken")
    kinds = sorted(str(s) for s in nodes["soort"].dropna().unique())
    soorten = c2.multiselect("Soort vereniging", kinds, key="ww_sel_netwerk_soorten", placeholder="alle soorten")
    return wijken, soorten


def _community_colours(community: pd.Series) -> list[str]:
    number = pd.to_numeric(community, errors="coerce")
    return [COMMUNITY_COLOURS[int(c) - 1] if pd.notna(c) and 1 <= c <= len(COMMUNITY_COLOURS)
            else OTHER_COMMUNITY_COLOUR for c in number]


def _graph_chart(nodes: pd.DataFrame, year: int, presentation: bool) -> None:
    from analysis.compute.network import merged_edges

    ds = common.get_dataset()
    layout = _layout(common.dataset_key(), year, ds)
    shown = nodes.merge(layout, on="id", how="inner")
    if shown.empty:
        st.info("Geen verenigingen bij deze keuze.")
        return
    edges = merged_edges(common.year_slice(ds.ties, year), shown["id"])
    pos = shown.set_index("id")[["x", "y"]]
    ends = edges[edges["u"].isin(pos.index) & edges["v"].isin(pos.index)]
    # One trace for all ties: coordinates separated by None (plotly's way to draw many segments).
    xu, yu = pos.loc[ends["u"], "x"].to_numpy(), pos.loc[ends["u"], "y"].to_numpy()
    xv, yv = pos.loc[ends["v"], "x"].to_numpy(), pos.loc[ends["v"], "y"].to_numpy()
    gaps = np.full(len(ends), np.nan)
    line_x = np.column_stack([xu, xv, gaps]).ravel()
    line_y = np.column_stack([yu, yv, gaps]).ravel()
    betweenness = pd.to_numeric(shown["betweenness"], errors="coerce").fillna(0.0).to_numpy()
    top = betweenness.max() if len(betweenness) and betweenness.max() > 0 else 1.0
    size = MIN_NODE_PX + (MAX_NODE_PX - MIN_NODE_PX) * np.sqrt(betweenness / top)
    hover = [
        f"<b>{html.escape(str(n))}</b><br>{html.escape(str(s))} · {html.escape(str(w))}<br>"
        f"verbindingen: {int(g) if pd.notna(g) else 0} · tussenpositie: {common.fmt(b, 3)}<br>"
        f"gemeenschap {int(c) if pd.notna(c) else '–'}"
        for n, s, w, g, b, c in zip(shown["naam"], shown["soort"], shown["wijk"], shown["graad"],
                                    betweenness, shown["gemeenschap"])
    ]
    fig = go.Figure()
    fig.add_trace(go.Scattergl(x=line_x, y=line_y, mode="lines", hoverinfo="skip",
                               line={"color": "rgba(90,90,90,0.35)", "width": 1}, name="banden"))
    fig.add_trace(go.Scattergl(
        x=shown["x"], y=shown["y"], mode="markers", hovertext=hover, hoverinfo="text", name="verenigingen",
        marker={"size": size, "color": _community_colours(shown["gemeenschap"]),
                "line": {"color": "#222222", "width": 0.6}},
    ))
    fig.update_layout(separators=",.",
        height=720 if presentation else 560, showlegend=False, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"}, plot_bgcolor="#ffffff",
        font={"size": 20 if presentation else 13},
    )
    st.plotly_chart(fig, key="ww_netwerk_graaf", config={"displayModeBar": False})
    st.caption(
        f"{common.fmt_int(len(shown))} verenigingen, {common.fmt_int(len(ends))} banden. Kleur: gemeenschap "
        "(verenigingen die onderling veel banden hebben; de negen grootste in kleur, de rest grijs). "
        "Grootte: tussenpositie (betweenness): hoe vaak een vereniging op de kortste weg tussen twee andere ligt. "
        "Grote bollen zijn sleutelverbinders."
    )


def _metrics_table(nodes: pd.DataFrame) -> None:
    shown = nodes.sort_values(["betweenness", "graad"], ascending=False, na_position="last")
    st.dataframe(
        shown[["naam", "soort", "wijk", "leden", "graad", "betweenness", "gemeenschap"]], hide_index=True,
        width="stretch", height=360,
        column_config={
            "naam": st.column_config.TextColumn("Vereniging"),
            "soort": st.column_config.TextColumn("Soort"),
            "wijk": st.column_config.TextColumn("Wijk"),
            "leden": st.column_config.NumberColumn("Leden", format="%d"),
            "graad": st.column_config.NumberColumn("Verbindingen", format="%d",
                                                   help="Aantal andere verenigingen waarmee een band bestaat."),
            "betweenness": st.column_config.NumberColumn("Tussenpositie", format="%.3f",
                                                         help="Betweenness (0-1): aandeel van de kortste wegen "
                                                              "tussen andere verenigingen dat via deze loopt."),
            "gemeenschap": st.column_config.NumberColumn("Gemeenschap", format="%d"),
        },
    )


def _bridging_section(year: int, presentation: bool) -> None:
    table = _bridging(common.dataset_key(), year, "wijk", common.get_dataset())
    if table.empty:
        st.info("Geen verenigingen met een wijk in dit jaar.")
        return
    names = common.area_names("wijk")
    table = table.assign(wijk=table["gebiedscode"].astype("string").map(names).fillna(table["gebiedscode"]))
    table = table.sort_values("overbruggend_pct", ascending=True, na_position="first")
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
    st.dataframe(
        table[["wijk", "verenigingen", "banden", "bindend", "overbruggend", "overbruggend_pct", "ander_soort_pct"]],
        hide_index=True, width="stretch",
        column_config={
            "wijk": st.column_config.TextColumn("Wijk"),
            "overbruggend_pct": st.column_config.NumberColumn("Overbruggend (%)", format="%.0f%%"),
            "ander_soort_pct": st.column_config.NumberColumn(
                "Tussen soorten (%)", format="%.0f%%",
                help="Aandeel banden tussen verenigingen van een verschillende soort (bv. sport en zorg)."),
        },
    )


def body() -> None:
    ds = common.get_dataset()
    if ds.associations.empty:
        common.empty_state("verenigingen", "het netwerk en de sleutelverbinders kunnen niet getoond worden")
        return
    presentation = common.is_presentation()
    years = sorted(int(y) for y in pd.to_numeric(ds.associations["jaar"], errors="coerce").dropna().unique()) \
        or [int(ds.year)]
    year = common.year_choice(common.indicator_table(), "ww_sel_netwerk_jaar", st.columns([1, 4])[0], years=years)
    nodes = _nodes(year)
    wijken, soorten = _filters(nodes)
    chosen = nodes
    if wijken:
        chosen = chosen[chosen["wijkcode"].astype("string").isin(wijken)]
    if soorten:
        chosen = chosen[chosen["soort"].astype("string").isin(soorten)]
    cols = st.columns(4)
    cols[0].metric("Verenigingen", common.fmt_int(len(chosen)))
    cols[1].metric("Met minstens één band", common.fmt_int((chosen["graad"].fillna(0) > 0).sum()))
    cols[2].metric("Gemeenschappen", common.fmt_int(chosen["gemeenschap"].nunique()))
    cols[3].metric("Zonder band (geïsoleerd)", common.fmt_int((chosen["graad"].fillna(0) == 0).sum()))
    st.subheader("Het netwerk")
    if ds.ties.empty:
        common.empty_state("banden tussen verenigingen",
                           "het netwerk kan niet getekend worden; hieronder staan alleen de verenigingen")
    else:
        with common.dutch_errors("de netwerktekening"):
            _graph_chart(chosen, year, presentation)
    st.subheader("Verenigingen en hun positie")
    with common.dutch_errors("de tabel met netwerkmaten"):
        _metrics_table(chosen)
    st.subheader("Bindend en overbruggend per wijk")
    st.markdown(
        "**Bindende** banden lopen tussen verenigingen in dezelfde wijk; **overbruggende** banden verbinden "
        "een wijk met de rest van de gemeente. Een wijk met vooral bindende banden is hecht maar kan op "
        "zichzelf staan; overbruggende banden brengen mensen en middelen van buiten binnen."
    )
    with common.dutch_errors("bindend en overbruggend"):
        _bridging_section(year, presentation)


common.run_page(body, "de netwerkpagina", title="Netwerk van verenigingen",
                intro="Hoe verenigingen met elkaar verbonden zijn: door gedeelde leden, bestuur, locatie "
                      "of samenwerking.")
