"""The informal side of a wijk on its profile: initiatives, what people say, signals, and places from a meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from pages import common

#: Session key of the places pointed out in this session's meeting (a list of dicts: lat, lon, soort, reden).
PLACES_KEY = "ww_plekken"
#: Session key of the map's last click, kept until a place is added there.
CLICK_KEY = "ww_plekken_klik"
#: The kinds' button texts, with a symbol people can tell apart on a projector.
KIND_LABELS: dict[str, str] = {"waardevol": "♥ waardevol", "ontbreekt": "+ ontbreekt", "onveilig": "⚠ onveilig",
                               "kan beter": "✎ kan beter"}


@st.cache_data(show_spinner=False, max_entries=64)
def _wijk_informal(key: str, code: str, year: int, _ds, _table):
    from analysis.compute.informal import wijk_informal

    return wijk_informal(_ds, _table, code, year)


def view(code: str, year: int):
    """The cached :class:`analysis.compute.informal.WijkInformal` of a wijk."""
    return _wijk_informal(common.computation_key(), code, int(year), common.get_dataset(), common.indicator_table())


def _date(value: object) -> str:
    stamp = pd.to_datetime(value, errors="coerce")
    return "–" if pd.isna(stamp) else f"{stamp.day}-{stamp.month}-{stamp.year}"


def initiatives_section(code: str, year: int) -> None:
    """Active initiatives of the wijk, with a stale marker, or the notice that informal networks are missing."""
    from analysis.formatting import format_number, format_value

    info = view(code, year)
    if info.notice:
        st.info(info.notice)
        return
    frame = info.initiatives
    checked = info.checked.iloc[0]
    if frame.empty:
        st.markdown(f"Geen actieve initiatieven bekend in {year}. Kent het wijkteam er wel, voeg ze dan toe aan de "
                    "lijst initiatieven.")
    else:
        stale = int(frame["verouderd"].sum())
        st.markdown(f"**{format_number(len(frame), 0)}** {'actief initiatief' if len(frame) == 1 else 'actieve initiatieven'}"
                    + (f"; {format_number(stale, 0)} niet gecontroleerd in de laatste 12 maanden (⏱)" if stale else ""))
        shown = pd.DataFrame({
            "naam": [("⏱ " if s else "") + str(n) for n, s in zip(frame["naam"], frame["verouderd"])],
            "soort": frame["soort"],
            "betrokkenen": [format_value(v, "") if pd.notna(v) else "–" for v in frame["betrokkenen"]],
            "laatst gecontroleerd": [_date(v) for v in frame["laatst_gecontroleerd"]],
        })
        st.dataframe(shown, hide_index=True, width="stretch")
    if int(checked["vermeldingen"]):
        share = checked["recent_pct"]
        st.caption(f"Actualiteit van de sociale kaart in deze wijk: {format_number(int(checked['gecontroleerd']), 0)} "
                   f"van {format_number(int(checked['vermeldingen']), 0)} vermeldingen (voorzieningen, verenigingen, "
                   f"initiatieven) hebben een controledatum; {format_value(share, '%')} is in de laatste 12 maanden "
                   "gecontroleerd.")


def notes_section(code: str, year: int) -> None:
    """What residents and professionals said or saw, filterable by component and kind of source."""
    info = view(code, year)
    notes = info.notes
    if notes.empty:
        st.markdown("Er zijn geen notities over deze wijk. Het wijkteam kan ze toevoegen als bron notities "
                    "(sjabloon op de pagina Gegevens).")
        return
    c1, c2 = st.columns(2)
    components = sorted({str(c) for c in notes["component"].dropna()})
    sources = sorted({str(s) for s in notes["soort_bron"].dropna()})
    chosen_c = c1.multiselect("Onderwerp", components, format_func=common.component_label, key="ww_notes_component",
                              placeholder="Alle onderwerpen")
    chosen_s = c2.multiselect("Bron", sources, key="ww_notes_bron", placeholder="Alle bronnen")
    keep = pd.Series(True, index=notes.index)
    if chosen_c:
        keep &= notes["component"].astype(str).isin(chosen_c)
    if chosen_s:
        keep &= notes["soort_bron"].astype(str).isin(chosen_s)
    lines = []
    for row in notes[keep].itertuples():
        text = common.md(row.tekst)
        said = f"“{text}”" if row.citaat is True else text
        about = f" · {common.md(common.component_label(str(row.component)))}" if pd.notna(row.component) else ""
        lines.append(f"- **{_date(row.datum)}**, {common.md(row.soort_bron)}{about}: {said}")
    st.markdown("\n".join(lines) if lines else "Geen notities met deze keuze.")


def signals_section(code: str, year: int) -> None:
    """Where notes and figures disagree, side by side, judging neither."""
    from analysis.formatting import format_value

    info = view(code, year)
    frame = info.signals
    if frame.empty:
        st.markdown("Geen signalen: waar notities een thema noemen, wijst het enquêtecijfer dezelfde kant op (of er "
                    "zijn geen notities of cijfers om naast elkaar te leggen).")
        return
    reg = common.registry()
    names = common.area_names("buurt") | common.area_names("wijk")
    shown = pd.DataFrame({
        "gebied": [names.get(str(c), str(c)) for c in frame["gebiedscode"]],
        "wat mensen zeggen": [f"{n} notitie(s) over {t}" for n, t in zip(frame["notities"], frame["thema"])],
        "wat de cijfers zeggen": [
            f"{reg[k].label if k in reg else k}: {format_value(v, reg[k].unit if k in reg else '')} "
            f"(gemeente {format_value(g, reg[k].unit if k in reg else '')})"
            for k, v, g in zip(frame["indicator"], frame["waarde"], frame["gemeente"])],
    })
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption("Naast elkaar gezet zonder oordeel: bewoners kunnen zien wat de enquête mist, en een paar "
               "stemmen zijn niet de hele buurt.")


# --------------------------------------------------------------------------------------
# Places pointed out in a meeting (presentation mode)
# --------------------------------------------------------------------------------------

def places_on() -> bool:
    """Whether the facilitator switched 'plekken ophalen' on."""
    return bool(st.session_state.get("ww_plekken_aan", False))


def places_toggle() -> None:
    """The big switch in presentation mode."""
    st.toggle("Plekken ophalen", key="ww_plekken_aan",
              help="Klik op de kaart waar bewoners een plek noemen, kies wat voor plek en typ waarom.")


def places_frame():
    """The places of this session as a GeoDataFrame (EPSG:28992), for the map and the downloads."""
    from analysis.render.places import places_frame as frame

    return frame(st.session_state.get(PLACES_KEY, []), common.get_dataset().buurten)


def remember_click(returned: dict | None) -> None:
    """Keep the map's last click (WGS84) for the form."""
    click = (returned or {}).get("last_clicked")
    if click and click.get("lat") is not None:
        st.session_state[CLICK_KEY] = {"lat": float(click["lat"]), "lon": float(click["lng"])}


def _add(kind: str) -> None:
    from analysis.errors import ParameterError
    from analysis.render.places import places_frame as frame

    click = st.session_state.get(CLICK_KEY)
    reason = str(st.session_state.get("ww_plekken_reden", ""))
    if not click:
        st.session_state["ww_plekken_fout"] = "Klik eerst op de kaart waar de plek ligt."
        return
    place = {**click, "soort": kind, "reden": reason}
    try:
        frame([place], common.get_dataset().buurten)  # validated as the download will be
    except ParameterError as exc:
        st.session_state["ww_plekken_fout"] = str(exc)
        return
    st.session_state.setdefault(PLACES_KEY, []).append({**place, "datum": dt.date.today()})
    st.session_state.pop(CLICK_KEY, None)
    st.session_state["ww_plekken_reden"] = ""
    st.session_state.pop("ww_plekken_fout", None)


def places_panel() -> None:
    """The facilitator's form: where (the last click), why (typed), and four big buttons, one per kind."""
    from analysis.render.places import PLACE_KINDS, places_csv, places_gpkg

    click = st.session_state.get(CLICK_KEY)
    st.markdown("### Plekken ophalen")
    st.markdown("1. Klik op de kaart waar de plek ligt." if not click else "1. Plek gekozen op de kaart ✓")
    st.text_input("2. Waarom? (kort)", key="ww_plekken_reden", max_chars=300)
    st.markdown("3. Wat voor plek?")
    cols = st.columns(2)
    for i, kind in enumerate(PLACE_KINDS):
        cols[i % 2].button(KIND_LABELS[kind], key=f"ww_plek_{kind}", on_click=_add, args=(kind,), width="stretch")
    if st.session_state.get("ww_plekken_fout"):
        st.warning(st.session_state["ww_plekken_fout"])
    places = places_frame()
    if len(places):
        st.markdown(f"**{len(places)} {'plek' if len(places) == 1 else 'plekken'} opgehaald**")
        d1, d2 = st.columns(2)
        d1.download_button("Plekken (CSV)", lambda: places_csv(places), file_name="plekken.csv", mime="text/csv",
                           on_click="ignore", width="stretch")
        d2.download_button("Plekken (GeoPackage)", lambda: places_gpkg(places), file_name="plekken.gpkg",
                           mime="application/geopackage+sqlite3", on_click="ignore", width="stretch")


def initiative_layer(year: int):
    """The map layer of the initiatives active in ``year`` (stale ones badged), or None without a list."""
    from analysis.compute.informal import active_in_year, has_initiatives
    from analysis.render.layers import InitiativeLayer

    ds = common.get_dataset()
    if not has_initiatives(ds) or ds.initiatives.empty:
        return None
    latest = max(ds.years()) if ds.years() else int(year)
    active = ds.initiatives[active_in_year(ds.initiatives, int(year), latest)]
    return InitiativeLayer(active, reference_date=pd.Timestamp(int(year), 12, 31))


def layers(code: str, year: int) -> dict[str, Any]:
    """The informal map layers of a wijk for :class:`analysis.render.layers.MapSpec` (initiatives, places)."""
    from analysis.render.layers import PlaceLayer

    out: dict[str, Any] = {}
    initiatives = initiative_layer(year)
    if initiatives is not None:
        out["initiatives"] = initiatives
    if places_on() or st.session_state.get(PLACES_KEY):
        out["places"] = PlaceLayer(places_frame())
    return out
