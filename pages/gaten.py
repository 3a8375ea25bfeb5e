"""Gaten en prioriteiten: the gap matrix, the priority ranking with weights and 'Waarom hier?', and a what-if."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.compute.priorities import CRITERION_LABELS, CRITERION_SCALES
from pages import common

#: Colour of each criterion in the chart (Paul Tol's muted palette); labels and scales come from the engine.
CRITERION_COLOURS: dict[str, str] = {"behoefte": "#882255", "gaten": "#DDCC77", "cohesietekort": "#332288"}
GAP_FILL, OK_FILL = "#F4C7CE", "#DCEFE6"
PLAN_KEY = "ww_whatif_plan"
WHATIF_MAP_HEIGHT_PX = 480
#: Slider range of a criterion weight (a UI choice: up to three times as heavy as the default weight).
WEIGHT_MAX, WEIGHT_STEP = 3.0, 0.5


# --------------------------------------------------------------------------------------
# Cached engine calls (the page only loads, computes and shows)
# --------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _why(key: str, code: str, year: int, _table: pd.DataFrame, _params) -> list[str]:
    from analysis.compute.priorities import why_here

    return why_here(_table, code, year, _params, reg=common.registry())


@st.cache_data(show_spinner="Opnieuw berekenen met de geplande voorziening…", max_entries=16)
def _what_if(key: str, plan: tuple[tuple[str, str, float, float], ...], year: int, _ds, _params) -> pd.DataFrame:
    import geopandas as gpd

    from analysis.compute.whatif import what_if
    from analysis.model import CRS_RD

    planned = gpd.GeoDataFrame({"component": [p[0] for p in plan], "naam": [p[1] for p in plan]},
                               geometry=gpd.points_from_xy([p[2] for p in plan], [p[3] for p in plan]), crs=CRS_RD)
    return what_if(_ds, planned, year, _params)


@st.cache_data(show_spinner=False, max_entries=32)
def _compare(key: str, component: str, year: int, _before: pd.DataFrame, _after: pd.DataFrame, _params):
    from analysis.compute.whatif import compare_what_if

    return compare_what_if(_before, _after, component, year, _params)


# --------------------------------------------------------------------------------------
# Gap matrix
# --------------------------------------------------------------------------------------

def _gap_section(year: int) -> None:
    from analysis.components import COMPONENTS

    matrix = common.gap_matrix(year)
    if matrix.empty:
        st.info("Voor dit jaar zijn er geen tekorten berekend.")
        return
    measured = [c.key for c in COMPONENTS if c.key in matrix.columns and matrix[c.key].notna().any()]
    labels = {c.key: c.short_label for c in COMPONENTS}
    shown = pd.DataFrame({"Wijk": matrix["gebiedsnaam"].astype(str)})
    for key in measured:
        shown[labels[key]] = matrix[key].map(lambda v: "–" if pd.isna(v) else ("tekort" if v == 1 else "op orde"))
    shown["Aantal tekorten"] = matrix[measured].fillna(0).sum(axis=1).astype(int).to_numpy()
    shown = shown.sort_values(["Aantal tekorten", "Wijk"], ascending=[False, True])

    def colour(value: object) -> str:
        return f"background-color: {GAP_FILL}" if value == "tekort" else (
            f"background-color: {OK_FILL}" if value == "op orde" else "")

    st.dataframe(shown.style.map(colour), hide_index=True, width="stretch",
                 height=min(35 * (len(shown) + 1) + 3, 560))
    common.explain_indicator("gaten_aantal")
    st.caption("De norm en het doel per onderdeel, met hun bron, staan op de pagina Verantwoording.")
    unmeasured = [common.component_label(c.key) for c in COMPONENTS if c.key not in measured]
    if unmeasured:
        st.caption("Niet gemeten (geen gegevens): " + ", ".join(common.md(u) for u in unmeasured) + ".")


# --------------------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------------------

def _weights(presentation: bool) -> dict[str, float]:
    st.markdown("**Hoe zwaar telt elk criterium?** Schuif om de volgorde te zien veranderen; niets wordt "
                "opgeslagen.")
    defaults = common.params().priority_weights
    cols = st.columns(len(CRITERION_LABELS))
    weights = {}
    for col, (key, label) in zip(cols, CRITERION_LABELS.items()):
        weights[key] = col.slider(label, 0.0, WEIGHT_MAX, float(defaults.get(key, 0.0)), WEIGHT_STEP,
                                  key=f"ww_sel_gewicht_{key}", help=f"Schaal: {CRITERION_SCALES[key]}.")
    return weights


def _ranking_chart(ranking: pd.DataFrame, presentation: bool) -> None:
    ordered = ranking.dropna(subset=["prioriteit_rang"]).sort_values("prioriteit_rang", ascending=False)
    names = [common.html_text(n) for n in ordered["gebiedsnaam"].fillna(ordered["gebiedscode"])]
    fig = go.Figure([
        go.Bar(y=names, x=ordered[f"bijdrage_{key}"], name=label, orientation="h", marker_color=CRITERION_COLOURS[key],
               hovertemplate=f"{label}: %{{x:.0f}} punten<extra></extra>")
        for key, label in CRITERION_LABELS.items()
    ])
    fig.update_layout(separators=",.", barmode="stack", height=max(300, (34 if presentation else 24) * len(ordered) + 100),
                      margin={"l": 10, "r": 10, "t": 10, "b": 40}, font={"size": 18 if presentation else 13},
                      xaxis={"title": "prioriteitsscore (0-100): bijdrage per criterium", "range": [0, 100]},
                      legend={"orientation": "h", "y": -0.12})
    st.plotly_chart(fig, key="ww_prioriteiten_chart", config={"displayModeBar": False})


def _ranking_table(ranking: pd.DataFrame) -> None:
    shown = pd.DataFrame({
        "rang": [common.fmt_int(v) for v in ranking["prioriteit_rang"]], "wijk": ranking["gebiedsnaam"],
        "score": [common.fmt_int(v) for v in ranking["prioriteit_score"]],
        **{CRITERION_LABELS[c]: ranking[c] for c in CRITERION_LABELS},
        "behoefte-index": ranking["behoefte_index"], "cohesie-index": ranking["cohesie_index"],
        "tekorten": ranking["gaten_aantal"], "inwoners met een tekort": ranking["gaten_inwoners"],
        "reden": ranking["reden"],
    })
    points = {CRITERION_LABELS[c]: st.column_config.NumberColumn(format="%.0f", help=f"Punten: {CRITERION_SCALES[c]}.")
              for c in CRITERION_LABELS}
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "rang": st.column_config.TextColumn("Rang"),
        "score": st.column_config.TextColumn("Score (0-100)"),
        **points,
        "behoefte-index": st.column_config.NumberColumn(format="%.0f", help="100 = gemiddelde van de gemeente; "
                                                        "hoger = meer ouderen, alleenstaanden, lage inkomens."),
        "cohesie-index": st.column_config.NumberColumn(format="%.0f", help="100 = gemiddelde van de gemeente."),
        "tekorten": st.column_config.NumberColumn(format="%d"),
        "inwoners met een tekort": st.column_config.NumberColumn(format="%d"),
        "reden": st.column_config.TextColumn("Geen rang omdat"),
    })


def _excluded(ranking: pd.DataFrame) -> None:
    left = ranking[ranking["prioriteit_rang"].isna()]
    if len(left):
        items = [f"{common.md(n)}: {common.md(r)}" for n, r in zip(left["gebiedsnaam"].fillna(left["gebiedscode"]),
                                                                    left["reden"])]
        st.caption("Zonder plaats in de rangorde: " + "; ".join(items) + ".")


def _why_section(ranking: pd.DataFrame, year: int, weights: dict[str, float]) -> None:
    ranked = ranking.dropna(subset=["prioriteit_rang"])
    if ranked.empty:
        return
    names = dict(zip(ranked["gebiedscode"].astype(str), ranked["gebiedsnaam"].astype(str)))
    options: list[str] = list(names)
    code = str(st.selectbox("Waarom hier? Kies een wijk", options, format_func=lambda c: names.get(c, c),
                            key="ww_sel_waarom_wijk"))
    settings = common.params_with_weights(weights)
    key = f"{common.computation_key()}|{sorted(settings.priority_weights.items())}"
    lines = _why(key, code, int(year), common.indicator_table(), settings)
    st.markdown("\n".join(f"- {common.md(line)}" for line in lines))
    if st.button("Open het wijkprofiel", key="ww_waarom_profiel", icon=":material/article:"):
        common.open_wijkprofiel(code)


def _stability_section(year: int, weights: dict[str, float]) -> None:
    """How often each wijk lands in the top 3 when the survey figures and the weights are drawn (cached)."""
    from analysis.compute.stability import DRAWS, TOP, WEIGHT_RANGE

    stable = common.rank_stability(year, weights)
    if stable.empty:
        return
    st.markdown("**Hoe vast ligt deze volgorde?**")
    shown = pd.DataFrame({
        "rang": stable["prioriteit_rang"], "wijk": stable["gebiedsnaam"].fillna(stable["gebiedscode"]),
        "bij de eerste drie": stable["top_aandeel_pct"],
        "rang in 90% van de trekkingen": [f"{lo}–{hi}" if lo != hi else f"{lo}"
                                          for lo, hi in zip(stable["rang_laag"], stable["rang_hoog"])],
        "uitleg": stable["tekst"],
    })
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "rang": st.column_config.NumberColumn("Rang", format="%d"),
        "bij de eerste drie": st.column_config.ProgressColumn(
            "Bij de eerste drie", min_value=0, max_value=100, format="%.0f%%",
            help="Het deel van de trekkingen waarin de wijk bij de eerste drie van de rangorde staat."),
    })
    spread = common.fmt(100 * WEIGHT_RANGE, 0)
    st.caption(f"{common.fmt_int(DRAWS)} trekkingen met vaste startwaarde {common.fmt_int(common.params().seed)}: "
               "elk enquêtecijfer van de cohesie-index getrokken binnen zijn 95%-betrouwbaarheidsinterval "
               f"(normaal verdeeld, standaardfout = intervalbreedte / 3,92) en elk gewicht tussen {spread}% lager en "
               f"{spread}% hoger dan gekozen; behoefte en tekorten komen uit registraties en tellen vast mee. "
               f"Een wijk die maar soms bij de eerste {TOP} staat, staat daar vooral door toeval in de cijfers.")


def _priority_section(year: int, presentation: bool) -> dict[str, float]:
    weights = _weights(presentation)
    if sum(weights.values()) == 0:
        st.warning("Alle gewichten staan op 0: zet minstens één criterium hoger om een volgorde te krijgen.")
        return weights
    ranking = common.priorities(year, weights)
    if ranking["prioriteit_rang"].notna().sum() == 0:
        st.info("Er zijn te weinig cijfers om wijken te rangschikken.")
        _excluded(ranking)
        return weights
    left, right = st.columns([1.4, 1])
    with left:
        _ranking_chart(ranking, presentation)
        _excluded(ranking)
        with common.dutch_errors("de vastheid van de rangorde"):
            _stability_section(year, weights)
    with right:
        _why_section(ranking, year, weights)
    with st.expander("Tabel met de rangorde"):
        _ranking_table(ranking)
    common.explain_indicator("prioriteit_score")
    return weights


# --------------------------------------------------------------------------------------
# What-if
# --------------------------------------------------------------------------------------

def _point_rd(lat: float, lng: float) -> tuple[float, float]:
    import geopandas as gpd

    from analysis.model import CRS_RD, CRS_WGS84

    point = gpd.GeoSeries(gpd.points_from_xy([lng], [lat]), crs=CRS_WGS84).to_crs(CRS_RD).iloc[0]
    return round(point.x, 0), round(point.y, 0)


def _buurt_point(code: str) -> tuple[float, float]:
    buurten = common.get_dataset().buurten
    point = buurten.loc[buurten["gebiedscode"].astype(str) == code].geometry.representative_point().iloc[0]
    return round(point.x, 0), round(point.y, 0)


def _whatif_map(component: str, year: int, point_rd: tuple[float, float] | None) -> tuple[float, float] | None:
    """The map to click on (buurt coverage of the component, its facilities); returns the clicked RD point."""
    import folium
    import geopandas as gpd

    from analysis.model import CRS_RD, CRS_WGS84
    from analysis.render.layers import AreaLayer, FacilityLayer, MapSpec, MapView
    from analysis.render.maps import build_map

    ds = common.get_dataset()
    table = common.indicator_table()
    key = f"{component}_dekking_pct"
    # Wijken, not buurten: half the map to send on every rerun, and the comparison is per wijk too.
    areas = common.display_areas("wijk").copy()
    values = common.wide_values(table, "wijk", year, [key])[key]
    areas["waarde"] = areas["gebiedscode"].astype(str).map(values).astype("float64").to_numpy()
    facilities = common.year_slice(ds.facilities, year)
    facilities = facilities[facilities["component"] == component]
    m = build_map(MapSpec(AreaLayer(areas, value_column="waarde", value_label=f"{common.indicator_label(key)} (%)"),
                          facilities=FacilityLayer(facilities), view=MapView(height=WHATIF_MAP_HEIGHT_PX)))
    if point_rd is not None:
        where = gpd.GeoSeries(gpd.points_from_xy([point_rd[0]], [point_rd[1]]), crs=CRS_RD).to_crs(CRS_WGS84).iloc[0]
        folium.Marker([where.y, where.x], tooltip="Geplande voorziening",
                      icon=folium.DivIcon(html="<div style='font-size:30px;line-height:30px'>&#9733;</div>",
                                          icon_size=(30, 30), icon_anchor=(15, 15))).add_to(m)
    returned = common.show_map(m, "ww_whatif_map", WHATIF_MAP_HEIGHT_PX, ["last_clicked"])
    clicked = (returned or {}).get("last_clicked")
    if isinstance(clicked, dict) and "lat" in clicked and "lng" in clicked:
        return _point_rd(float(clicked["lat"]), float(clicked["lng"]))
    return None


def _comparison(before: pd.DataFrame, after: pd.DataFrame, component: str, year: int,
                weights: dict[str, float], plan_key: str) -> None:
    settings = common.params_with_weights(weights)
    result = _compare(f"{plan_key}|{common.params_key()}|{sorted(settings.priority_weights.items())}", component,
                      int(year), before, after, settings)
    c1, c2, c3 = st.columns(3)
    delta = result.coverage_after - result.coverage_before
    c1.metric(f"Inwoners binnen de norm ({common.component_label(component).lower()})",
              common.fmt(result.coverage_after, 1, "%"),
              delta=None if pd.isna(delta) else f"{common.fmt(delta, 1)} procentpunt")
    c2.metric("Wijken met dit tekort", common.fmt_int(result.gaps_after),
              delta=result.gaps_after - result.gaps_before, delta_color="inverse")
    c3.metric("Wijken die van plaats wisselen", common.fmt_int(result.moved))
    frame = pd.DataFrame({
        "wijk": result.areas["gebiedsnaam"].fillna(result.areas["gebiedscode"]),
        "dekking voor (%)": [common.fmt(v, 1) for v in result.areas["dekking_voor"]],
        "dekking na (%)": [common.fmt(v, 1) for v in result.areas["dekking_na"]],
        "tekort voor": result.areas["tekort_voor"].map({True: "tekort", False: ""}),
        "tekort na": result.areas["tekort_na"].map({True: "tekort", False: ""}),
        "rang voor": result.areas["rang_voor"], "rang na": result.areas["rang_na"],
    })
    show_all = st.toggle("Alle wijken tonen (anders alleen wat verandert)", key="ww_whatif_alle")
    shown = frame if show_all else frame[result.areas["verandert"].to_numpy(bool)]
    if shown.empty:
        st.info("Op wijkniveau verandert er niets: de plek ligt al binnen de norm van een bestaande "
                "voorziening, of er wonen weinig mensen in de buurt.")
    else:
        st.dataframe(shown.sort_values("rang na"), hide_index=True, width="stretch", column_config={
            "rang voor": st.column_config.NumberColumn(format="%d"),
            "rang na": st.column_config.NumberColumn(format="%d"),
        })


def _plan_controls(current: tuple[str, str, float, float] | None) -> None:
    plan: list = st.session_state.setdefault(PLAN_KEY, [])
    c1, c2, c3 = st.columns(3)
    if current is not None and c1.button("Opnemen in het plan van deze sessie", key="ww_whatif_opnemen",
                                         icon=":material/add_location_alt:"):
        if current not in plan:
            plan.append(current)
        st.rerun()
    if plan and c2.button("Plan leegmaken", key="ww_whatif_wissen", icon=":material/delete:"):
        plan.clear()
        st.rerun()
    if plan:
        frame = pd.DataFrame(plan, columns=["component", "naam", "x_rd", "y_rd"])
        try:
            from analysis.render.tables import csv_bytes, mark_fictional

            data = csv_bytes(mark_fictional(frame, common.get_dataset().is_demo), dialect="excel-nl")
        except ImportError:
            data = frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
        c3.download_button("Plan downloaden (CSV)", data, file_name="plan_voorzieningen.csv", mime="text/csv",
                           key="ww_whatif_download", icon=":material/download:")
        st.caption(f"In het plan: {len(plan)} geplande voorziening(en), alleen in deze sessie; de dataset zelf "
                   "verandert niet. Ze tellen mee in de berekening hierboven.")


def _whatif_section(year: int, weights: dict[str, float]) -> None:
    from analysis.components import PLACE_COMPONENT_KEYS

    ds = common.get_dataset()
    st.markdown("Plaats een geplande voorziening en zie meteen wat er verandert aan de nabijheid, de tekorten "
                "en de rangorde. **Er wordt niets opgeslagen** tot u het zelf in het plan opneemt.")
    c1, c2, c3 = st.columns([1.4, 1.2, 2])
    component = c1.selectbox("Soort voorziening", list(PLACE_COMPONENT_KEYS), format_func=common.component_label,
                             key="ww_whatif_component")
    mode = c2.radio("Plek", ["buurt", "kaart"], key="ww_whatif_modus", horizontal=True,
                    format_func=lambda m: "kies een buurt" if m == "buurt" else "klik op de kaart")
    names = common.area_names("buurt")
    point: tuple[float, float] | None = None
    label = ""
    if mode == "buurt":
        buurten: list[str] = list(names)
        code = str(c3.selectbox("Buurt", buurten, format_func=lambda c: names.get(c, c), key="ww_whatif_buurt"))
        point, label = _buurt_point(code), f"gepland in {names[code]}"
    else:
        point = st.session_state.get("ww_whatif_punt")
        label = "gepland op de kaart"
        c3.caption("Klik op de kaart waar de voorziening komt; de ster toont de gekozen plek.")
    with common.dutch_errors("de kaart van de wat-als-berekening"):
        clicked = _whatif_map(component, year, point)
        if mode == "kaart" and clicked is not None and clicked != point:
            st.session_state["ww_whatif_punt"] = clicked
            st.rerun()
    current = (component, label, float(point[0]), float(point[1])) if point is not None else None
    plan = tuple(st.session_state.get(PLAN_KEY, []))
    everything = plan + ((current,) if current is not None and current not in plan else ())
    if not everything:
        st.info("Klik op de kaart om een plek te kiezen.")
        _plan_controls(None)
        return
    plan_key = f"{common.dataset_key()}|{everything!r}"
    after = _what_if(common.computation_key(), everything, year, ds, common.params())
    _comparison(common.indicator_table(), after, component, year, weights, plan_key)
    _plan_controls(current)


def body() -> None:
    ds = common.get_dataset()
    presentation = common.is_presentation()
    table = common.indicator_table()
    if table.empty:
        st.warning("Er zijn geen cijfers berekend voor deze dataset.")
        return
    year = common.year_choice(table, "ww_sel_gaten_jaar", st.columns([1, 4])[0])
    st.subheader("Waar ontbreekt wat?")
    from analysis.compute.informal import informal_notice

    notice = informal_notice(ds)
    if notice:
        # a gap map without informal networks overstates what is missing
        st.warning(notice)
    if ds.facilities.empty:
        common.empty_state("voorzieningen", "alleen tekorten aan verenigingen en digitale platforms zijn te meten")
    with common.dutch_errors("de tabel met tekorten"):
        _gap_section(year)
    st.subheader("Welke wijk eerst?")
    weights: dict[str, float] = dict(common.params().priority_weights)
    with common.dutch_errors("de prioriteiten"):
        weights = _priority_section(year, presentation)
    st.subheader("Wat als hier een voorziening bij komt?")
    with common.dutch_errors("de wat-als-berekening"):
        _whatif_section(year, weights)


common.run_page(body, "de pagina Gaten en prioriteiten", title="Gaten en prioriteiten",
                intro="Waar ontbreekt sociale infrastructuur, welke wijk heeft het eerst aandacht nodig, en wat "
                      "verandert er als er een voorziening bij komt?")
