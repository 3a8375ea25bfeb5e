"""Kaart: a choropleth of any indicator with facility layers, the association network, witte vlekken and hot/cold spots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.compute.pattern import PATTERN_TITLE
from analysis.formatting import format_value
from pages import common, informal_view

MAP_HEIGHT_PX = 620
PRESENTATION_MAP_HEIGHT_PX = 820
SCHEMES: dict[str, str] = {"quantiles": "Kwantielen", "natural_breaks": "Natuurlijke grenzen"}
SCHEME_HELP = ("Kwantielen: even veel gebieden per klasse. Natuurlijke grenzen (Jenks): klassen waar de "
               "waarden vanzelf uiteenvallen.")
DEFAULT_INDICATOR = "cohesie_index"


def _indicator_options(table: pd.DataFrame, level: str, year: int) -> list[str]:
    """Indicator keys with at least one value (or suppressed figure) on this level and year, registry order."""
    rows = table[(table["niveau"] == level) & (table["jaar"] == year)]
    has = rows[rows["waarde"].notna() | (rows["onderdrukt"] == 1)]
    present = set(has["indicator"].astype(str))
    ordered = [k for k in common.registry() if k in present]
    return ordered + sorted(present - set(ordered))


def _option_label(key: str) -> str:
    entry = common.registry().get(key)
    if entry is None:
        return key
    text = entry.label
    # "Cohesie-index: Cohesie-index" says nothing twice: the group only when it adds something
    return text if text.lower().startswith(entry.group.lower()) else f"{entry.group}: {text}"


def _values(table: pd.DataFrame, level: str, year: int, key: str) -> pd.DataFrame:
    """gebiedscode, waarde, onderdrukt, n of one indicator (a plain selection from the table)."""
    rows = table[(table["niveau"] == level) & (table["jaar"] == year) & (table["indicator"] == key)]
    return rows[["gebiedscode", "waarde", "onderdrukt", "n", "ci_laag", "ci_hoog"]].drop_duplicates("gebiedscode")


def _lisa(table: pd.DataFrame, level: str, year: int, key: str):
    """The spatial pattern (hot and cold spots) from the engine, cached per dataset and settings."""
    return _spatial_pattern(common.computation_key(), level, int(year), key, table,
                            common.get_dataset().areas(level), common.params())


@st.cache_data(show_spinner="Ruimtelijk patroon berekenen…", max_entries=32)
def _spatial_pattern(dataset_key: str, level: str, year: int, key: str, _table: pd.DataFrame, _areas, _params):
    from analysis.compute.pattern import spatial_pattern

    return spatial_pattern(_table, _areas, key, year, _params)


def _controls(table: pd.DataFrame, presentation: bool) -> dict:
    from analysis.components import COMPONENTS
    from analysis.render.layers import BASEMAPS, DEFAULT_BASEMAP

    years = common.years_with_data(table)
    c1, c2, c3, c4 = st.columns([1.5, 2.6, 0.9, 1.9])
    level = c1.segmented_control("Niveau", ["wijk", "buurt"], default="wijk", required=True,
                                 format_func=lambda v: common.LEVEL_LABELS[v], key="ww_sel_kaart_niveau")
    year = c3.selectbox("Jaar", years, index=years.index(common.default_year(table)),
                        key="ww_sel_kaart_jaar")
    options = _indicator_options(table, level, year)
    if not options:
        st.warning("Voor dit niveau en jaar zijn er geen cijfers. Kies een ander jaar of niveau.")
    default = options.index(DEFAULT_INDICATOR) if DEFAULT_INDICATOR in options else 0
    indicator = c2.selectbox("Indicator (kleur van de gebieden)", options, index=default if options else None,
                             format_func=_option_label, key="ww_sel_kaart_indicator")
    schemes: list[str] = list(SCHEMES)
    scheme = c4.selectbox("Klassenindeling", schemes, format_func=lambda k: SCHEMES.get(k, k), key="ww_sel_kaart_schema",
                          help=SCHEME_HELP)

    ds = common.get_dataset()
    place_components = [c for c in COMPONENTS if c.key != "digitaal"]
    present = set(common.year_slice(ds.facilities, year)["component"].dropna().astype(str))
    d1, d2, d3, d4 = st.columns([2.5, 1.8, 1.6, 2.0])
    layers = d1.multiselect(
        "Voorzieningen aan bij openen (ook aan/uit te zetten in de kaart, rechtsboven)",
        [c.key for c in place_components if c.key in present],
        default=[c.key for c in place_components if c.key in present and c.key in ("ontmoeting", "zorg")],
        format_func=lambda k: next(c.label for c in COMPONENTS if c.key == k), key="ww_sel_kaart_lagen", wrap=True, placeholder="Geen voorzieningen",
    )
    network = d2.toggle("Verenigingsnetwerk", value=False, key="ww_sel_kaart_netwerk",
                        disabled=ds.associations.empty)
    informal = d2.toggle("Initiatieven van bewoners", value=bool(len(ds.initiatives)), key="ww_sel_kaart_informeel",
                         disabled=ds.initiatives.empty,
                         help="Informele netwerken en bewonersinitiatieven (oranje ringen); een klokje: niet "
                              "gecontroleerd in de laatste 12 maanden.")
    lisa = d2.toggle(PATTERN_TITLE, value=False, key="ww_sel_kaart_lisa",
                     help="Waar liggen hoge waarden bij elkaar, waar lage, en welk gebied wijkt af van zijn buren? "
                          "Alleen wat meer is dan toeval, met een correctie voor het aantal gebieden.")
    spots = d3.selectbox(
        "Witte vlekken", ["geen"] + [c.key for c in place_components],
        format_func=lambda k: "geen" if k == "geen" else next(c.label for c in COMPONENTS if c.key == k),
        key="ww_sel_kaart_vlekken",
        help="Bewoond gebied verder dan de loopnorm van de dichtstbijzijnde voorziening.",
    )
    basemaps = list(BASEMAPS)
    basemap = d4.selectbox("Achtergrond", basemaps, index=basemaps.index(DEFAULT_BASEMAP),
                           key="ww_sel_kaart_achtergrond")
    return {"level": level, "year": int(year), "indicator": indicator, "scheme": scheme, "layers": layers,
            "network": network, "informal": informal, "lisa": lisa, "spots": spots, "basemap": basemap}


def _show_map(table: pd.DataFrame, choice: dict, presentation: bool) -> None:
    from analysis.render.layers import AreaLayer, FacilityLayer, MapSpec, MapView, NetworkLayer, PatternLayer, WhiteSpotLayer
    from analysis.render.maps import build_map, clicked_area_code

    ds = common.get_dataset()
    level, year, key = choice["level"], choice["year"], choice["indicator"]
    areas = common.display_areas(level)
    value_label, higher, suppressed, pattern = "", True, None, None
    if key:
        values = _values(table, level, year, key).set_index("gebiedscode")
        areas = areas.copy()
        codes = areas["gebiedscode"].astype(str)
        areas["waarde"] = codes.map(values["waarde"]).astype("float64").to_numpy()
        suppressed = (codes.map(values["onderdrukt"]).fillna(0).astype(float) == 1).to_numpy()
        areas["n_respons"] = codes.map(values["n"]).to_numpy()
        entry = ds.registry.get(key)
        higher = bool(entry.higher_is_better) if entry and entry.higher_is_better is not None else True
        value_label = ((f"{entry.label}, {entry.unit}" if "(" in entry.unit else f"{entry.label} ({entry.unit})")
                       if entry else key)
        if not suppressed.any():
            suppressed = None
        if choice["lisa"]:
            with common.dutch_errors("de samenhang in de ruimte"):
                pattern = _lisa(table, level, year, key)
    spots = None
    if choice["spots"] != "geen":
        with common.dutch_errors("de witte vlekken"):
            spots = common.white_spots(choice["spots"], year)
    network = None
    if choice["network"]:
        network = NetworkLayer(common.year_slice(ds.associations, year), common.year_slice(ds.ties, year))
    initiatives = informal_view.initiative_layer(year) if choice["informal"] else None
    height = PRESENTATION_MAP_HEIGHT_PX if presentation else MAP_HEIGHT_PX
    m = build_map(MapSpec(
        AreaLayer(areas, value_column="waarde" if key else None, value_label=value_label, higher_is_better=higher,
                  suppressed_mask=suppressed, scheme=choice["scheme"]),
        facilities=FacilityLayer(common.year_slice(ds.facilities, year), frozenset(choice["layers"])),
        network=network, initiatives=initiatives, white_spots=WhiteSpotLayer(spots) if spots is not None else None,
        patterns=PatternLayer(pattern.lisa) if pattern is not None else None,
        view=MapView(basemap=choice["basemap"], height=height, presentation=presentation),
    ))
    returned = common.show_map(m, "ww_kaart_map", height, ["last_active_drawing"])
    code = clicked_area_code(returned)
    if code:
        common.open_wijkprofiel(code)
    st.caption("Klik op een gebied om het wijkprofiel te openen. Lagen aan- en uitzetten kan rechtsboven in "
               "de kaart. Grijs gearceerd: te weinig respons om een cijfer te tonen. "
               f"Nabijheid: {common.md(common.method_note())}.")
    if key:
        _explain(table, choice, pattern)


def _explain(table: pd.DataFrame, choice: dict, pattern) -> None:
    level, year, key = choice["level"], choice["year"], choice["indicator"]
    entry = common.registry().get(key)
    if entry:
        st.markdown(f"**{common.md(entry.label)}** ({common.md(entry.unit)}, bron: {common.md(entry.source)}). "
                    f"{common.md(entry.definition)}")
    values = _values(table, level, year, key)
    names = common.area_names(level)
    unit = entry.unit if entry else None
    shown = pd.DataFrame({
        "gebied": values["gebiedscode"].map(names).fillna(values["gebiedscode"]),
        "code": values["gebiedscode"],
        "waarde": [format_value(v, unit) for v in values["waarde"]],
        "_sort": values["waarde"],
        "n": [common.fmt_int(v) for v in values["n"]],
        "marge": [
            "" if pd.isna(lo) else f"{common.fmt(lo)} – {common.fmt(hi)}"
            for lo, hi in zip(values["ci_laag"], values["ci_hoog"])
        ],
        "opmerking": values["onderdrukt"].map(lambda s: common.SUPPRESSED_TEXT if s == 1 else ""),
    })
    reference = common.reference_choice("ww_ref_kaart", national=level == "buurt")
    shown["vergelijking"] = _comparison(values["gebiedscode"].astype(str), choice, reference)
    if pattern is not None:
        meaning = pattern.lisa.drop_duplicates("gebiedscode").set_index("gebiedscode")["uitleg"]
        shown[PATTERN_TITLE.lower()] = shown["code"].astype(str).map(meaning).fillna("")
        st.markdown(common.md(pattern.summary()))
        st.caption(common.md(pattern.test))
    shown = shown.sort_values("_sort", ascending=not (entry and entry.higher_is_better is False),
                              na_position="last").drop(columns="_sort")
    with st.expander(f"Tabel: {len(shown)} gebieden"):
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={"n": st.column_config.TextColumn("n (respons)")})


def _comparison(codes: pd.Series, choice: dict, reference: str) -> list[str]:
    """Per area the comparison with the chosen reference, in Dutch, naming that reference."""
    from analysis.compute.reference import NATIONAL

    level, year, key = choice["level"], choice["year"], choice["indicator"]
    if reference == NATIONAL:
        national = common.national_reference()
        rows = national[national["indicator"] == key] if national is not None else pd.DataFrame()
        if rows.empty:
            st.caption("De landelijke kerncijfers hebben dit onderwerp niet; vergelijk met de gemeente of met "
                       "vergelijkbare buurten.")
            return [""] * len(codes)
        text = rows.drop_duplicates("gebiedscode").set_index("gebiedscode")["tekst"]
    else:
        frame = common.map_reference(year, key, level, reference)
        notes = [n for n in frame["opmerking"].dropna().astype(str).unique() if n]
        for note in notes[:3]:
            st.caption(common.md(note))
        text = frame.drop_duplicates("gebiedscode").set_index("gebiedscode")["tekst"]
    return [str(text.get(c, "")) if pd.notna(text.get(c, "")) else "" for c in codes]


def body() -> None:
    presentation = common.is_presentation()
    table = common.indicator_table()
    choice = _controls(table, presentation)
    with common.dutch_errors("het tekenen van de kaart"):
        _show_map(table, choice, presentation)


common.run_page(body, "de kaart", title="Kaart")
