"""Enquête: survey results per area with intervals, response and representativeness, suppression explained."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import common

RESPONDENT_COLOUR = "#332288"
POPULATION_COLOUR = "#DDCC77"


@st.cache_data(show_spinner="Respons vergelijken met de bevolking…", max_entries=16)
def _response_profile(key: str, level: str, year: int, threshold: int, _ds) -> pd.DataFrame:
    from analysis.compute.survey import respondent_profile

    return respondent_profile(_ds, level, year, threshold)


def _threshold() -> int:
    """The session's suppression threshold (the one the indicator table was computed with)."""
    return int(common.params().threshold)


def _survey_keys(table: pd.DataFrame, level: str, year: int) -> list[str]:
    """Survey indicators with at least one row on this level and year, in registry order."""
    from analysis.compute.survey import RESPONSE_COUNT_KEY
    from analysis.registry import IndicatorKind

    present = set(table.loc[(table["niveau"] == level) & (table["jaar"] == year), "indicator"].astype(str))
    return [k for k in common.registry().keys_of(IndicatorKind.ENQUETE) if k in present and k != RESPONSE_COUNT_KEY]


def _results(table: pd.DataFrame, level: str, year: int, key: str, presentation: bool) -> None:
    from analysis.compute.suppression import n_text

    threshold = _threshold()
    rows = common.area_rows(table, level, year, [key]).drop_duplicates("gebiedscode")
    names = common.area_names(level)
    rows = rows.assign(gebied=rows["gebiedscode"].astype("string").map(names).fillna(rows["gebiedscode"]))
    suppressed = rows["onderdrukt"].fillna(0).astype(int) == 1
    shown = rows[~suppressed & rows["waarde"].notna()].sort_values("waarde")
    gm = common.area_rows(table, "gemeente", year, [key])
    gm_value = gm["waarde"].iloc[0] if len(gm) else float("nan")
    u = common.registry().unit(key)
    common.explain_indicator(key)
    if len(shown):
        fig = go.Figure(go.Scatter(
            x=shown["waarde"], y=[html.escape(str(g)) for g in shown["gebied"]], mode="markers",
            marker={"size": 14 if presentation else 9, "color": RESPONDENT_COLOUR},
            error_x={"type": "data", "symmetric": False, "array": shown["ci_hoog"] - shown["waarde"],
                     "arrayminus": shown["waarde"] - shown["ci_laag"], "color": "#555555", "thickness": 2},
            customdata=shown[["n", "ci_laag", "ci_hoog"]].to_numpy(dtype=float),
            hovertemplate="%{y}: %{x:.1f} (95%-marge %{customdata[1]:.1f} – %{customdata[2]:.1f}; "
                          "n = %{customdata[0]:.0f})<extra></extra>",
        ))
        if pd.notna(gm_value):
            fig.add_vline(x=float(gm_value), line_color="#000000", line_dash="dash",
                          annotation_text=f"gemeente {common.fmt(gm_value, 1, '%' if u == '%' else '')}")
        fig.update_layout(separators=",.", height=max(280, (34 if presentation else 22) * len(shown) + 100),
                          margin={"l": 10, "r": 20, "t": 30, "b": 40}, font={"size": 18 if presentation else 13},
                          xaxis={"title": u}, showlegend=False)
        st.plotly_chart(fig, key="ww_enquete_uitkomsten", config={"displayModeBar": False})
        st.caption("Punt: de schatting; lijn: het 95%-betrouwbaarheidsinterval (de marge). Overlappen de marges "
                   "van twee gebieden, dan is het verschil niet zeker. Stippellijn: de gemeente.")
    else:
        st.info("Voor dit niveau en jaar is er geen enkel getoond cijfer (alle gebieden hebben te weinig respons).")
    table_shown = pd.DataFrame({
        "gebied": rows["gebied"],
        "waarde": [common.fmt(v, 1) for v in rows["waarde"]],
        "_sort": rows["waarde"],
        "marge": ["" if (s or pd.isna(lo)) else f"{common.fmt(lo)} – {common.fmt(hi)}"
                  for lo, hi, s in zip(rows["ci_laag"], rows["ci_hoog"], suppressed)],
        "n": [n_text(n, s, threshold) for n, s in zip(rows["n"], suppressed)],
        "weging": rows["bron"] if "bron" in rows.columns else "",
        "opmerking": [common.SUPPRESSED_TEXT if s else "" for s in suppressed],
    }).sort_values("_sort", na_position="last").drop(columns="_sort")
    with st.expander(f"Tabel: {len(table_shown)} gebieden"):
        st.dataframe(table_shown, hide_index=True, width="stretch",
                     column_config={"waarde": st.column_config.TextColumn("Waarde"),
                                    "n": st.column_config.TextColumn("n (respondenten)"),
                                    "weging": st.column_config.TextColumn("Bron en weging")})
    if suppressed.any():
        listed = ", ".join(common.md(g) for g in rows.loc[suppressed, "gebied"])
        st.markdown(f"**{common.SUPPRESSED_TEXT.capitalize()}** ({int(suppressed.sum())}): {listed}.")


def _representativeness(level: str, year: int, presentation: bool) -> None:
    from analysis.compute.suppression import n_text

    ds = common.get_dataset()
    if ds.respondents.empty:
        common.empty_state("enquêteantwoorden",
                           "de cijfers komen uit een monitor per gebied, dus wie er antwoordde is niet na te gaan",
                           "Laad de antwoorden per respondent (enquete.csv) op de pagina Gegevens.")
        return
    threshold = _threshold()
    key = common.dataset_key()
    whole = _response_profile(key, "gemeente", year, threshold, ds)
    if whole.empty:
        st.info(f"Geen respondenten in {year}.")
        return
    count = whole["respondenten"].iloc[0]
    if pd.isna(count):  # fewer than the threshold in the whole gemeente: no count is shown
        st.info(f"Respondenten in {year}: {n_text(count, 1, threshold)}.")
        return
    total = int(count)
    inwoners = pd.to_numeric(ds.gemeente["inwoners"], errors="coerce").sum()
    c1, c2 = st.columns(2)
    c1.metric("Respondenten", common.fmt_int(total))
    c2.metric("Respons per 1.000 inwoners", common.fmt(1000 * total / inwoners if inwoners else None, 1))
    age = whole[whole["kenmerk"] == "leeftijdsklasse"]
    sex = whole[whole["kenmerk"] == "geslacht"]
    left, right = st.columns([2, 1])
    for column, part, title, chart_key in ((left, age, "Leeftijd", "ww_enquete_leeftijd"),
                                           (right, sex, "Geslacht", "ww_enquete_geslacht")):
        if part.empty:
            continue
        fig = go.Figure([
            go.Bar(x=part["categorie"], y=part["respondenten_pct"], name="respondenten",
                   marker_color=RESPONDENT_COLOUR),
            go.Bar(x=part["categorie"], y=part["bevolking_pct"], name="bevolking (CBS)",
                   marker_color=POPULATION_COLOUR),
        ])
        fig.update_layout(separators=",.", title=title, barmode="group", height=360, yaxis={"title": "%"},
                          margin={"l": 10, "r": 10, "t": 40, "b": 30}, font={"size": 18 if presentation else 13},
                          legend={"orientation": "h", "y": -0.2})
        column.plotly_chart(fig, key=chart_key, config={"displayModeBar": False})
    per_area = _response_profile(key, level, year, threshold, ds)
    if per_area.empty:
        return
    areas = per_area.drop_duplicates("gebiedscode")
    skewed = areas[areas["scheef"].astype(bool) & (areas["onderdrukt"] == 0)]
    if len(skewed):
        st.warning(
            f"Scheve respons in {len(skewed)} {common.LEVEL_LABELS[level].lower()}: daar wijkt de leeftijd van "
            f"de respondenten in minstens één klasse meer dan 10 procentpunt af van de bevolking: "
            + ", ".join(common.md(n) for n in skewed["gebiedsnaam"].fillna(skewed["gebiedscode"]))
            + ". De cijfers zijn herwogen naar leeftijd en geslacht, maar blijven daar minder zeker."
        )
    worst = per_area[per_area["kenmerk"] == "leeftijdsklasse"].copy()
    worst["afwijking"] = worst["verschil_pp"].abs()
    largest = worst.sort_values("afwijking", ascending=False).drop_duplicates("gebiedscode").set_index("gebiedscode")
    shown = pd.DataFrame({
        "gebied": areas["gebiedsnaam"].fillna(areas["gebiedscode"]).to_numpy(),
        "respondenten": [n_text(n, o, threshold) for n, o in zip(areas["respondenten"], areas["onderdrukt"])],
        "grootste afwijking": [
            "" if code not in largest.index or pd.isna(largest.loc[code, "verschil_pp"]) else
            f"{largest.loc[code, 'categorie']}: {common.fmt(largest.loc[code, 'verschil_pp'], 0)} procentpunt"
            for code in areas["gebiedscode"]],
        "scheef": ["ja" if s and not o else "" for s, o in zip(areas["scheef"], areas["onderdrukt"])],
        "opmerking": [common.SUPPRESSED_TEXT if o else "" for o in areas["onderdrukt"]],
    })
    with st.expander(f"Respons per gebied ({len(shown)})"):
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={"respondenten": st.column_config.TextColumn("respondenten")})


def _suppression(table: pd.DataFrame, level: str, year: int) -> None:
    threshold = _threshold()
    rows = table[(table["niveau"] == level) & (table["jaar"] == year)]
    suppressed = rows.loc[rows["onderdrukt"].fillna(0).astype(int) == 1, "gebiedscode"].nunique()
    st.markdown(
        f"Een enquêtecijfer wordt alleen getoond als er minstens **{threshold} respondenten** achter zitten. "
        f"Daaronder staat er \"{common.SUPPRESSED_TEXT}\" en op de kaart een grijs gearceerd gebied, nooit een "
        "kleur, en ook het aantal respondenten staat er dan niet bij (\"minder dan "
        f"{threshold}\"). Het wijkcijfer min de getoonde buurten geeft het cijfer van de verborgen buurten "
        f"samen; zitten daar minder dan {threshold} respondenten achter, dan wordt ook de buurt met de "
        "volgende kleinste respons verborgen (secundaire onderdrukking, \"afgeschermd\"), op elk niveau en "
        "in elke export. Antwoorden van individuele bewoners worden nooit getoond of geëxporteerd. De kolom "
        "'Bron en weging' zegt per cijfer of het gewogen is naar leeftijd en geslacht van de buurt zelf of "
        "van de wijk (als de buurt te weinig respondenten per groep heeft)."
    )
    st.caption(f"{common.LEVEL_LABELS[level]} met minstens één onderdrukt cijfer in {year}: {suppressed}.")


def body() -> None:
    ds = common.get_dataset()
    if ds.respondents.empty and ds.area_survey.empty:
        common.empty_state("enquête", "er zijn geen cijfers over samenhang, eenzaamheid en meedoen",
                           "Laad de antwoorden (enquete.csv met codeboek.toml) of cijfers per gebied uit een "
                           "monitor op de pagina Gegevens.")
        return
    presentation = common.is_presentation()
    table = common.indicator_table()
    c1, c2, c3 = st.columns([1.2, 1, 3])
    level = common.level_choice("ww_sel_enquete_niveau", c1)
    year = common.year_choice(table, "ww_sel_enquete_jaar", c2)
    keys = _survey_keys(table, level, year)
    if not keys:
        st.warning(f"Geen enquêtecijfers op {level}niveau in {year}. Kies een ander jaar of niveau.")
        return
    key = c3.selectbox("Onderwerp", keys, format_func=common.indicator_label, key="ww_sel_enquete_indicator")
    st.subheader("Uitkomsten per gebied")
    with common.dutch_errors("de uitkomsten per gebied"):
        _results(table, level, year, key, presentation)
    st.subheader("Respons en representativiteit")
    with common.dutch_errors("de respons"):
        _representativeness(level, year, presentation)
    st.subheader("Waarom staat er soms \"te weinig respons\"?")
    with common.dutch_errors("de uitleg over onderdrukking"):
        _suppression(table, level, year)


common.run_page(body, "de enquêtepagina", title="Enquête",
                intro="Wat bewoners zelf zeggen over samenhang, eenzaamheid en meedoen: elk cijfer met zijn "
                      "marge en het aantal respondenten.")
