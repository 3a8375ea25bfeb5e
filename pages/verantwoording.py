"""Verantwoording: every indicator's definition, the norms and weights, and the data sources with their licences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import common


def _registry_section() -> None:
    from analysis.registry import GROUPS

    st.subheader("Indicatoren")
    st.markdown(
        "Elk cijfer in Wijkweefsel komt uit één register: hieronder staat per indicator wat hij betekent, "
        "in welke eenheid, uit welke bron, en of hoger beter is. De kaarten, profielen en exports lezen "
        "allemaal uit dit register."
    )
    table = common.registry().table()
    groups = [g for g in GROUPS if g in set(table["groep"])]
    chosen = st.multiselect("Groepen", groups, default=groups, key="ww_sel_verantw_groepen")
    shown = table[table["groep"].isin(chosen)]
    st.dataframe(
        shown, hide_index=True, width="stretch", height=420,
        column_config={
            "indicator": st.column_config.TextColumn("Sleutel"),
            "naam": st.column_config.TextColumn("Naam"),
            "definitie": st.column_config.TextColumn("Definitie", width="large"),
            "eenheid": st.column_config.TextColumn("Eenheid"),
            "hoger_is_beter": st.column_config.TextColumn("Hoger is beter"),
            "bron": st.column_config.TextColumn("Bron"),
            "niveaus": st.column_config.TextColumn("Niveaus"),
            "groep": st.column_config.TextColumn("Groep"),
            "toelichting_jaar": st.column_config.TextColumn("Jaar"),
        },
    )
    table_years = common.indicator_table()
    if not table_years.empty:
        years = ", ".join(str(y) for y in common.years_with_data(table_years))
        st.caption(f"Meetjaren in deze dataset: {years}. Elk cijfer in de tabellen draagt zijn jaar.")


def _norms_section() -> None:
    from analysis.components import components_table

    st.subheader("Onderdelen en loopnormen")
    st.markdown(
        "De acht onderdelen van de sociale infrastructuur, met de loopnorm die voor de nabijheid geldt en "
        "het deel van de inwoners dat binnen die norm hoort te wonen. Ligt een gebied daaronder, dan telt dat "
        "als tekort. Met een stratenbestand (bron 'wegen') is elke afstand de looproute over het stratennet, "
        "met de stukjes van woning en voorziening naar de dichtstbijzijnde straat erbij; zonder is de afstand "
        "hemelsbreed. Met adressen (bron 'adressen') wonen de inwoners van een buurt op de woonadressen, met "
        "CBS-vierkanten op de vierkanten, anders gelijkmatig over de buurt."
    )
    st.markdown(f"**In deze dataset:** {common.md(common.method_note())}.")
    table = components_table().drop(columns=["kleur"])
    for column in ("loopnorm_m", "doel_binnen_norm_pct"):  # digital platforms have no norm: "–", not "None"
        table[column] = [common.fmt_int(v) for v in table[column]]
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={
            "component": st.column_config.TextColumn("Sleutel"),
            "naam": st.column_config.TextColumn("Onderdeel"),
            "voorbeelden": st.column_config.TextColumn("Voorbeelden"),
            "gemeten_uit": st.column_config.TextColumn("Gemeten uit"),
            "loopnorm_m": st.column_config.TextColumn("Loopnorm (m)"),
            "doel_binnen_norm_pct": st.column_config.TextColumn("Doel binnen norm (%)"),
            "onderbouwing_norm": st.column_config.TextColumn("Onderbouwing", width="large"),
            "bron_norm": st.column_config.TextColumn("Bron loopnorm", width="large"),
            "bron_doel": st.column_config.TextColumn("Bron doel", width="medium"),
        },
    )


def _on_initiative_weight() -> None:
    import dataclasses

    weight = float(st.session_state["ww_gewicht_initiatieven"])
    common.set_params(dataclasses.replace(common.params(), initiative_weight=weight))


def _initiative_weight() -> None:
    """The weight of initiatives inside the cohesion index's 'meedoen' part, for this session."""
    from analysis.compute.informal import has_initiatives

    if not has_initiatives(common.get_dataset()):
        st.caption("Gewicht van initiatieven: deze dataset heeft geen lijst initiatieven, dus het telt niet mee.")
        return
    st.session_state.setdefault("ww_gewicht_initiatieven", float(common.params().initiative_weight))
    st.slider("Gewicht van initiatieven in 'meedoen' (naast vrijwilligerswerk en burenhulp, elk 1)", 0.0, 2.0,
              step=0.25, key="ww_gewicht_initiatieven", on_change=_on_initiative_weight,
              help="0 laat de initiatieven buiten de cohesie-index. Geldt voor deze sessie, op alle pagina's.")


def _weights_section() -> None:
    st.subheader("Gewichten en drempels")
    st.markdown(
        "De cohesie-index en de prioriteitenlijst zijn gewogen optellingen. Hieronder staan de "
        "instellingen waarmee in deze sessie is gerekend, elk met zijn bron of reden. Op de pagina Gaten en "
        "prioriteiten kunt u de gewichten "
        "van de prioriteitenlijst zelf verschuiven; de bijdrage van elk criterium wordt daar per wijk getoond."
    )
    from analysis.params import parameter_rows

    _initiative_weight()
    st.dataframe(pd.DataFrame(parameter_rows(common.params())), hide_index=True, width="stretch",
                 column_config={"wat het doet": st.column_config.TextColumn(width="medium"),
                                "bron": st.column_config.TextColumn("Bron of reden", width="large")})
    st.markdown(
        "**Privacy.** Enquêtecijfers van een gebied met te weinig respondenten worden niet getoond "
        "(\"te weinig respons\"). Is in een wijk precies één buurt onderdrukt, dan wordt ook de buurt met de "
        "volgende kleinste respons onderdrukt, zodat het verborgen cijfer niet uit het wijktotaal terug te "
        "rekenen is. Antwoorden van individuele bewoners worden nooit getoond of geëxporteerd."
    )
    st.markdown(
        "**Onzekerheid.** Elk enquêtecijfer heeft een 95%-betrouwbaarheidsinterval, berekend met de "
        "effectieve steekproefomvang van de gewogen antwoorden, en het aantal respondenten (n). Een sterk of "
        "zwak punt in een wijkprofiel telt alleen als het verschil met het gemiddelde van de wijken groter is "
        "dan die marge."
    )
    from analysis.formatting import format_value

    settings = common.params()
    st.markdown(
        "**Samenhang in de ruimte.** Op de kaart: liggen hoge waarden bij elkaar, of lage, en welk gebied wijkt "
        "af van zijn buren? Berekend met lokale Moran's I (PySAL esda; buren zijn gebieden die aan elkaar "
        f"grenzen), getoetst met een eenzijdige permutatietoets ({settings.permutations} permutaties, vaste "
        f"startwaarde {settings.seed}) waarin gelijke uitkomsten meetellen. "
        + ("Omdat elk gebied apart getoetst wordt, is gecorrigeerd voor het aantal toetsen (false discovery "
           "rate, Benjamini en Hochberg). " if settings.pattern_fdr else "")
        + f"Significantieniveau {format_value(100 * settings.pattern_alpha, '%')}."
    )


def _sources_section() -> None:
    ds = common.get_dataset()
    st.subheader("Bronnen en licenties van deze dataset")
    rows = [{"bron": key, "bestand": file, "uitgever en licentie": ds.licences.get(key, "")}
            for key, file in ds.sources.items()]
    for key, text in ds.licences.items():
        if key not in ds.sources:
            rows.append({"bron": key, "bestand": "", "uitgever en licentie": text})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info("Deze dataset noemt geen bronbestanden.")
    if ds.is_demo:
        st.markdown(
            "De demogemeente is door Wijkweefsel zelf gegenereerd (vaste seed): de gebieden, voorzieningen, "
            "verenigingen en enquêteantwoorden zijn verzonnen en beschrijven geen echte gemeente."
        )
    st.markdown(
        "**Achtergrondkaarten.** PDOK BRT-Achtergrondkaart (Kadaster, CC BY 4.0) is de standaard; "
        "OpenStreetMap (© OpenStreetMap-bijdragers, ODbL) is een optie. Zonder internet toont de kaart "
        "alle gebieden op een lege achtergrond."
    )


def body() -> None:
    common.run_sections((
        (_registry_section, "het indicatorenregister"),
        (_norms_section, "de normen"),
        (_weights_section, "de gewichten"),
        (_sources_section, "de bronnen"),
    ))


common.run_page(body, "de pagina Verantwoording", title="Verantwoording")
