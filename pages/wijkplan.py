"""Wijkplan: per wijk the targets and measures (planvorming), their map, the download as the save, and the evaluation."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import common

#: The session's draft: ``bron`` (what it was opened from), ``plan``, ``maatregelen``, ``versie`` (bumped on every
#: change, so the editors start again from the draft) and ``meldingen`` (findings of the last change, per part).
DRAFT_KEY = "ww_plan_concept"
AREA_WIDGET_KEY = "ww_sel_plan_gebied"
MAP_HEIGHT_PX = 420
EVALUATION_COLOUR = "#332288"
TARGET_COLOUR = "#CC6677"


# --------------------------------------------------------------------------------------
# The draft (session only: the download is the save)
# --------------------------------------------------------------------------------------

def _digest(*frames: pd.DataFrame) -> str:
    text = "|".join(pd.DataFrame(f).to_csv(index=False) for f in frames)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _area_codes() -> set[str]:
    ds = common.get_dataset()
    return {str(c) for frame in (ds.buurten, ds.wijken, ds.gemeente) for c in frame["gebiedscode"].dropna()}


def _draft() -> dict[str, Any]:
    """The session's draft; opened from the dataset's own plan, and again when the loaded plan changes."""
    from analysis.load.wijkplan_draft import check_measures, check_plan

    ds = common.get_dataset()
    source = f"{ds.gemeente_code}|{_digest(ds.plan, ds.measures)}"
    draft = st.session_state.get(DRAFT_KEY)
    if not isinstance(draft, dict) or draft.get("bron") != source:
        codes = _area_codes()
        draft = {"bron": source, "plan": check_plan(ds.plan, codes, list(ds.registry))[0],
                 "maatregelen": check_measures(ds.measures, codes)[0], "versie": 0, "meldingen": {}}
        st.session_state[DRAFT_KEY] = draft
    return draft


def _changed(draft: dict[str, Any], part: str, frame: pd.DataFrame, findings: Any = ()) -> None:
    """Store a part of the draft, remember the findings of the change and start the editors again."""
    draft[part] = frame
    draft["versie"] += 1
    draft["meldingen"] = {part: list(findings)}


def _note(draft: dict[str, Any], part: str, findings: Any) -> None:
    """Findings of a change that was refused (only those of the last change are shown)."""
    draft["meldingen"] = {part: list(findings)}


def _show_notes(draft: dict[str, Any], part: str) -> None:
    notes = draft["meldingen"].get(part) or []
    done = [n for n in notes if isinstance(n, str)]
    findings = [n for n in notes if not isinstance(n, str)]
    if done:
        st.success(" ".join(common.md(n) for n in done), icon=":material/check:")
    if findings:
        common.show_findings(findings)


# --------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------

def _names() -> dict[str, str]:
    """Code -> name of every buurt, wijk and the gemeente."""
    ds = common.get_dataset()
    out: dict[str, str] = {}
    for frame in (ds.gemeente, ds.wijken, ds.buurten):
        out.update(zip(frame["gebiedscode"].astype(str), frame["gebiedsnaam"].astype(str), strict=False))
    return out


def _areas_of(choice: str) -> list[str]:
    """The areas a choice covers: the wijk and its buurten (by name), or the gemeente alone."""
    ds = common.get_dataset()
    if choice in set(ds.gemeente["gebiedscode"].astype(str)):
        return [choice]
    buurten = ds.buurten[ds.buurten["wijkcode"].astype(str) == choice].sort_values("gebiedsnaam")
    return [choice, *buurten["gebiedscode"].astype(str)]


def _area_label(code: str) -> str:
    ds = common.get_dataset()
    names = _names()
    level = "wijk" if code in set(ds.wijken["gebiedscode"].astype(str)) else \
        "gemeente" if code in set(ds.gemeente["gebiedscode"].astype(str)) else "buurt"
    return f"{names.get(code, code)} ({level})"


def _on_area() -> None:
    code = st.session_state.get(AREA_WIDGET_KEY)
    if code in common.area_names("wijk"):
        st.session_state[common.WIJK_KEY] = code


def _area_choice() -> str | None:
    """The wijk (or the whole gemeente) the page shows; a wijk chosen here is the wijk of the other pages too."""
    ds = common.get_dataset()
    wijken = common.area_names("wijk")
    gemeente = [str(c) for c in ds.gemeente["gebiedscode"].astype(str)]
    options = [*wijken, *gemeente]
    if not options:
        return None
    if st.session_state.get(AREA_WIDGET_KEY) not in options:
        st.session_state[AREA_WIDGET_KEY] = common.selected_wijk() or options[0]
    names = _names()
    return str(st.selectbox(
        "Wijk", options, key=AREA_WIDGET_KEY, on_change=_on_area,
        format_func=lambda c: f"{names.get(c, c)} ({c})" if c in wijken else f"Hele gemeente: {names.get(c, c)}",
        help="De doelen en maatregelen van deze wijk en haar buurten. Kies 'Hele gemeente' voor doelen op "
             "gemeenteniveau."))


# --------------------------------------------------------------------------------------
# Status and the download
# --------------------------------------------------------------------------------------

def _files(draft: dict[str, Any]) -> tuple[bytes, bytes]:
    from analysis.load.wijkplan import measures_csv, plan_csv
    from analysis.render.tables import csv_bytes

    return csv_bytes(plan_csv(draft["plan"])), csv_bytes(measures_csv(draft["maatregelen"]))


def _discard() -> None:
    """Back to the plan loaded with the dataset."""
    st.session_state.pop(DRAFT_KEY, None)


def _status_section(draft: dict[str, Any]) -> None:
    from analysis.formatting import format_number
    from analysis.load.wijkplan_draft import same_measures, same_plan

    ds = common.get_dataset()
    saved = same_plan(draft["plan"], ds.plan) and same_measures(draft["maatregelen"], ds.measures)
    counts = (f"{format_number(len(draft['plan']), 0)} doelen en {format_number(len(draft['maatregelen']), 0)} "
              "maatregelen in de hele gemeente")
    with st.container(border=True):
        if saved and not len(ds.plan) and not len(ds.measures):
            st.info("Nog geen wijkplan: er is geen plan.csv of maatregelen.csv geladen. Begin hieronder met een doel "
                    "of een maatregel; download daarna beide bestanden.", icon=":material/info:")
        elif saved:
            st.success(f"Dit is het wijkplan dat met de gegevens is geladen: {counts}.", icon=":material/check:")
        else:
            st.warning(f"Uw concept is nog niet bewaard: {counts}. Er wordt niets op de server bewaard: download "
                       "beide bestanden. Laad ze later bij de gegevens op de pagina Gegevens (Eén bron toevoegen: "
                       "Wijkplan en Maatregelen).", icon=":material/save:")
        plan_file, measure_file = _files(draft)
        c1, c2, c3 = st.columns(3)
        c1.download_button("plan.csv downloaden", plan_file, file_name="plan.csv", mime="text/csv",
                           key="ww_plan_download_plan", icon=":material/download:", on_click="ignore",
                           help="De doelen van de hele gemeente (alle wijken).")
        c2.download_button("maatregelen.csv downloaden", measure_file, file_name="maatregelen.csv", mime="text/csv",
                           key="ww_plan_download_maatregelen", icon=":material/download:", on_click="ignore",
                           help="De maatregelen van de hele gemeente (alle wijken).")
        if not saved:
            c3.button("Terug naar het geladen plan", key="ww_plan_terug", icon=":material/undo:",
                      on_click=_discard, help="Gooit de wijzigingen van dit concept weg.")


# --------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------

def _format(value: object, key: str) -> str:
    from analysis.formatting import format_value

    entry = common.registry().get(key)
    return format_value(value, entry.unit if entry else None)


def _target_view(plan: pd.DataFrame, codes: list[str], table: pd.DataFrame) -> pd.DataFrame:
    """The lines of these areas as the editor shows them (index: the line's label in the draft)."""
    from analysis.load.wijkplan_draft import baseline

    lines = plan[plan["gebiedscode"].astype(str).isin(codes)]
    bases = [baseline(table, str(r.gebiedscode), str(r.indicator), int(r.basisjaar)) for r in lines.itertuples()]
    return pd.DataFrame({
        "gebied": [_area_label(str(c)) for c in lines["gebiedscode"]],
        "indicator": [common.indicator_label(str(k)) for k in lines["indicator"]],
        "basisjaar": [str(int(y)) for y in lines["basisjaar"]],
        "basiswaarde": [_format(b.value if b else None, str(k)) for b, k in zip(bases, lines["indicator"], strict=True)],
        "streefwaarde": pd.to_numeric(lines["streefwaarde"]).astype(float).to_numpy(),
        "streefjaar": pd.to_numeric(lines["streefjaar"]).astype(float).to_numpy(),
        "reden": lines["reden"].astype("string").fillna("").to_numpy(),
    }, index=lines.index)


def _commit_targets(editor_key: str, labels: list[Any]) -> None:
    """Apply the editor's changes to the draft (a change that makes a line invalid is not taken, and said why)."""
    from analysis.load.wijkplan_draft import check_plan

    draft = _draft()
    state = st.session_state.get(editor_key) or {}
    rows = draft["plan"].copy()
    rows["streefwaarde"] = rows["streefwaarde"].astype(object)
    rows["streefjaar"] = rows["streefjaar"].astype(object)
    for position, changes in (state.get("edited_rows") or {}).items():
        for column, value in changes.items():
            if column in ("streefwaarde", "streefjaar", "reden"):
                rows.loc[labels[int(position)], column] = value
    rows = rows.drop(index=[labels[int(p)] for p in state.get("deleted_rows") or []])
    checked, findings = check_plan(rows, _area_codes(), list(common.registry()))
    if findings.has_errors:
        _changed(draft, "plan", draft["plan"], [f for f in findings if f.level == "fout"])
        return
    _changed(draft, "plan", checked, [f for f in findings if f.level != "info" and f.column == "reden"][:3])


def _targets_table(draft: dict[str, Any], codes: list[str], table: pd.DataFrame) -> None:
    view = _target_view(draft["plan"], codes, table)
    if view.empty:
        st.info(f"Nog geen doelen voor {common.md(_names().get(codes[0], codes[0]))}: kies hieronder een gebied, "
                "een indicator, het basisjaar en de streefwaarde.", icon=":material/info:")
        return
    editor_key = f"ww_plan_doelen_{codes[0]}_{draft['versie']}"
    st.data_editor(
        view, key=editor_key, hide_index=True, width="stretch", num_rows="delete",
        on_change=_commit_targets, args=(editor_key, list(view.index)),
        disabled=["gebied", "indicator", "basisjaar", "basiswaarde"],
        column_config={
            "gebied": st.column_config.TextColumn("Gebied"),
            "indicator": st.column_config.TextColumn("Indicator"),
            "basisjaar": st.column_config.TextColumn("Basisjaar"),
            "basiswaarde": st.column_config.TextColumn("Basiswaarde"),
            "streefwaarde": st.column_config.NumberColumn("Streefwaarde", format="localized", required=True),
            "streefjaar": st.column_config.NumberColumn("Streefjaar", format="%d", min_value=1900, max_value=2100,
                                                        step=1, required=True),
            "reden": st.column_config.TextColumn("Reden (één zin)", max_chars=300, width="large"),
        })
    st.caption("Streefwaarde, streefjaar en reden zijn hier te wijzigen; een regel verwijdert u door hem links aan "
               "te vinken en op het prullenbakje te klikken. Een ander basisjaar of een andere indicator: voeg het "
               "doel opnieuw toe.")


def _add_target(area: str, key: str, year: int, fields: dict[str, str]) -> None:
    """The form's line into the draft (a line for the same area and indicator is replaced)."""
    from analysis.load.wijkplan_draft import add_plan_line

    draft = _draft()
    line = {"gebiedscode": area, "indicator": key, "basisjaar": year,
            "streefwaarde": st.session_state.get(fields["streef"]), "streefjaar": st.session_state.get(fields["jaar"]),
            "reden": st.session_state.get(fields["reden"])}
    plan, findings = add_plan_line(draft["plan"], line, _area_codes(), list(common.registry()))
    if findings.has_errors:
        _note(draft, "doel", findings)
        return
    _changed(draft, "plan", plan, [*findings, f"Doel toegevoegd: {common.indicator_label(key)} in "
                                              f"{_names().get(area, area)}. Download het plan om het te bewaren."])
    st.session_state[fields["reden"]] = ""


def _baseline_figures(table: pd.DataFrame, area: str, key: str, year: int, column: Any) -> float | None:
    """The baseline of the chosen line, its margin and direction; returns its value."""
    from analysis.formatting import format_value
    from analysis.load.wijkplan_draft import baseline

    entry = common.registry().get(key)
    unit = entry.unit if entry else None
    base = baseline(table, area, key, year)
    if base is None:
        column.info(f"Geen meting in {year}.")
        return None
    margin = (f"marge {format_value(base.low, unit)} tot {format_value(base.high, unit)} (95%-interval van de enquête)"
              if base.has_margin else "zonder marge: een telling of registratie")
    direction = {True: "hoger is beter", False: "lager is beter", None: "hoger noch lager is beter"}[
        entry.higher_is_better if entry else None]
    column.metric(f"Basiswaarde {year}", format_value(base.value, unit), help=f"{margin}; {direction}.")
    column.caption(f"{margin}; {direction}")
    return base.value


def _add_target_box(choice: str, codes: list[str], table: pd.DataFrame) -> None:
    from analysis.formatting import decimals_for, format_number
    from analysis.load.wijkplan_draft import measured_years, target_indicators

    with st.container(border=True):
        st.markdown("**Doel toevoegen**")
        c1, c2 = st.columns(2)
        area = str(c1.selectbox("Gebied", codes, format_func=_area_label, key=f"ww_plan_doel_gebied_{choice}"))
        keys = target_indicators(common.registry(), table, area)
        if not keys:
            st.info(f"In {common.md(_names().get(area, area))} is nog niets gemeten om een doel op te zetten. Laad een "
                    "enquête of voorzieningen op de pagina Gegevens.", icon=":material/info:")
            return
        key = str(c2.selectbox("Indicator", keys, format_func=common.indicator_label, key=f"ww_plan_doel_ind_{area}",
                               help="Uit het indicatorenregister van deze dataset (pagina Verantwoording)."))
        common.explain_indicator(key)
        years = measured_years(table, area, key)
        c3, c4, c5, c6 = st.columns([1, 1.3, 1.2, 1])
        year = int(c3.selectbox("Basisjaar", years, index=len(years) - 1, key=f"ww_plan_doel_basis_{area}_{key}",
                                help="Het jaar van de meting waar het doel van uitgaat."))
        value = _baseline_figures(table, area, key, year, c4)
        if value is None:
            return
        entry = common.registry().get(key)
        fields = {name: f"ww_plan_doel_{name}_{area}_{key}_{year}" for name in ("streef", "jaar", "reden")}
        c5.text_input(f"Streefwaarde ({entry.unit if entry else 'waarde'})",
                      value=format_number(value, decimals_for(entry.unit if entry else None)).replace(".", ""),
                      key=fields["streef"], help="Een getal; decimalen met een komma.")
        latest = max(int(y) for y in common.years_with_data(table))
        c6.number_input("Streefjaar", min_value=year, max_value=2100, value=max(year, latest) + 2, step=1,
                        key=fields["jaar"])
        st.text_input("Reden (één zin)", max_chars=300, key=fields["reden"],
                      placeholder="Waarom dit doel? Bijvoorbeeld: weinig bewoners kennen elkaar.")
        st.button("Doel toevoegen", key="ww_plan_doel_toevoegen", type="primary", icon=":material/add:",
                  on_click=_add_target, args=(area, key, year, fields))
        _show_notes(_draft(), "doel")


def _targets_section(choice: str) -> None:
    draft = _draft()
    table = common.indicator_table()
    st.subheader("Doelen")
    codes = _areas_of(choice)
    _targets_table(draft, codes, table)
    _show_notes(draft, "plan")
    _add_target_box(choice, codes, table)


# --------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------

def _measure_view(measures: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    rows = measures[measures["gebiedscode"].astype(str).isin(codes)]
    view = rows[["id", "naam", "component", "gebiedscode", "startdatum", "einddatum", "budget", "omschrijving"]].copy()
    for name in ("id", "naam", "omschrijving"):
        view[name] = view[name].astype("string").fillna("").astype(object)
    for name in ("startdatum", "einddatum"):
        view[name] = pd.to_datetime(view[name], errors="coerce")  # NaT shows as an empty cell (a date object: "None")
    return view


def _commit_measures(editor_key: str, labels: list[Any]) -> None:
    from analysis.load.wijkplan_draft import check_measures

    draft = _draft()
    state = st.session_state.get(editor_key) or {}
    rows = draft["maatregelen"].copy().astype(object)
    for position, changes in (state.get("edited_rows") or {}).items():
        for column, value in changes.items():
            if column != "id":
                rows.loc[labels[int(position)], column] = value
    rows = rows.drop(index=[labels[int(p)] for p in state.get("deleted_rows") or []])
    checked, findings = check_measures(rows, _area_codes())
    if findings.has_errors:
        _changed(draft, "maatregelen", draft["maatregelen"], [f for f in findings if f.level == "fout"])
        return
    _changed(draft, "maatregelen", checked, [f for f in findings if f.level != "info"])


def _measures_table(draft: dict[str, Any], codes: list[str]) -> None:
    from analysis.components import COMPONENT_KEYS

    view = _measure_view(draft["maatregelen"], codes)
    if view.empty:
        st.info(f"Nog geen maatregelen in {common.md(_names().get(codes[0], codes[0]))}: voeg er hieronder een toe. "
                "Ze verschijnen dan op de kaart bij hun buurt of wijk.", icon=":material/info:")
        return
    editor_key = f"ww_plan_maatregelen_{codes[0]}_{draft['versie']}"
    st.data_editor(
        view, key=editor_key, hide_index=True, width="stretch", num_rows="delete",
        on_change=_commit_measures, args=(editor_key, list(view.index)), disabled=["id"],
        column_config={
            "id": st.column_config.TextColumn("Id"),
            "naam": st.column_config.TextColumn("Naam", required=True, max_chars=200),
            "component": st.column_config.SelectboxColumn("Component", options=list(COMPONENT_KEYS), required=True,
                                                          format_func=lambda k: common.component_label(str(k))),
            "gebiedscode": st.column_config.SelectboxColumn("Gebied", options=codes, required=True,
                                                            format_func=lambda c: _area_label(str(c))),
            "startdatum": st.column_config.DateColumn("Start", format="D-M-YYYY", required=True),
            "einddatum": st.column_config.DateColumn("Einde", format="D-M-YYYY"),
            "budget": st.column_config.NumberColumn("Budget (euro)", format="localized", min_value=0),
            "omschrijving": st.column_config.TextColumn("Omschrijving", width="large"),
        })


def _add_measure(choice: str, fields: dict[str, str]) -> None:
    from analysis.load.wijkplan_draft import add_measure

    draft = _draft()
    measure = {name: st.session_state.get(key) for name, key in fields.items()}
    measures, findings = add_measure(draft["maatregelen"], measure, _area_codes())
    if findings.has_errors:
        _note(draft, "maatregel", findings)
        return
    new = measures.iloc[-1]
    _changed(draft, "maatregelen", measures, [*findings, f"Maatregel {new['id']} toegevoegd: {new['naam']}. "
                                                         "Download de maatregelen om ze te bewaren."])
    for name in ("naam", "startdatum", "einddatum", "omschrijving"):
        st.session_state[fields[name]] = ""
    st.session_state[fields["budget"]] = None


def _add_measure_box(choice: str, codes: list[str]) -> None:
    from analysis.components import COMPONENT_KEYS

    fields = {name: f"ww_plan_maatregel_{name}_{choice}"
              for name in ("naam", "component", "gebiedscode", "startdatum", "einddatum", "budget", "omschrijving")}
    with st.container(border=True):
        st.markdown("**Maatregel toevoegen**")
        c1, c2, c3 = st.columns([2, 1.3, 1.3])
        c1.text_input("Naam", max_chars=200, key=fields["naam"], placeholder="Bijvoorbeeld: buurtkamer in de school")
        c2.selectbox("Component", list(COMPONENT_KEYS), format_func=common.component_label, key=fields["component"])
        c3.selectbox("Gebied", codes, format_func=_area_label, key=fields["gebiedscode"])
        c4, c5, c6 = st.columns(3)
        c4.text_input("Startdatum", key=fields["startdatum"], placeholder="1-9-2025",
                      help="Dag-maand-jaar, bijvoorbeeld 1-9-2025.")
        c5.text_input("Einddatum (mag leeg)", key=fields["einddatum"], placeholder="31-8-2027")
        c6.number_input("Budget in euro (mag leeg)", min_value=0, value=None, step=1000, key=fields["budget"])
        st.text_area("Omschrijving", key=fields["omschrijving"], height=80, max_chars=1000,
                     placeholder="Wat gebeurt er, voor wie, met wie?")
        st.button("Maatregel toevoegen", key="ww_plan_maatregel_toevoegen", type="primary", icon=":material/add:",
                  on_click=_add_measure, args=(choice, fields))
        _show_notes(_draft(), "maatregel")


def _measures_section(choice: str) -> None:
    draft = _draft()
    st.subheader("Maatregelen")
    codes = _areas_of(choice)
    _measures_table(draft, codes)
    _show_notes(draft, "maatregelen")
    _add_measure_box(choice, codes)


def _map_section(choice: str) -> None:
    import geopandas as gpd

    from analysis.render.layers import AreaLayer, MapSpec, MapView
    from analysis.render.maps import build_map
    from analysis.render.measure_map import add_measures, measure_legend, measure_points

    ds = common.get_dataset()
    codes = _areas_of(choice)
    measures = _draft()["maatregelen"]
    measures = measures[measures["gebiedscode"].astype(str).isin(codes)]
    st.subheader("Maatregelen op de kaart")
    if measures.empty:
        st.info("Nog geen maatregelen om te tonen: een maatregel staat op de kaart bij zijn buurt of wijk zodra hij "
                "is toegevoegd.", icon=":material/info:")
        return
    level = "wijk" if len(codes) == 1 else "buurt"
    areas = common.display_areas(level)
    areas = areas[areas["gebiedscode"].astype(str).isin(codes if level == "buurt" else set(areas["gebiedscode"]))]
    all_areas = gpd.GeoDataFrame(pd.concat([f[["gebiedscode", "gebiedsnaam", "geometry"]]
                                            for f in (ds.buurten, ds.wijken, ds.gemeente)], ignore_index=True),
                                 geometry="geometry", crs=ds.buurten.crs)
    m = build_map(MapSpec(AreaLayer(areas), view=MapView(height=MAP_HEIGHT_PX, controls_collapsed=True)))
    add_measures(m, measure_points(measures, all_areas))
    measure_legend(m)
    common.show_map(m, f"ww_plan_kaart_{choice}", MAP_HEIGHT_PX, [])
    st.caption("Een maatregel staat bij het punt midden in zijn buurt of wijk (een maatregel noemt een gebied, geen "
               "adres); meer maatregelen in één gebied staan in een kring daaromheen.")


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

@st.cache_data(show_spinner="Het plan evalueren…", max_entries=32)
def _evaluate(key: str, _ds: Any, _plan: pd.DataFrame, _measures: pd.DataFrame,
              _table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analysis.compute.evaluation import evaluate_dataset

    return evaluate_dataset(dataclasses.replace(_ds, plan=_plan, measures=_measures), _table)


def _evaluation() -> tuple[pd.DataFrame, pd.DataFrame]:
    draft = _draft()
    key = f"{common.computation_key()}|{_digest(draft['plan'], draft['maatregelen'])}"
    return _evaluate(key, common.get_dataset(), draft["plan"], draft["maatregelen"], common.indicator_table())


def _yes_no(value: object, unknown: str) -> str:
    return unknown if value is None or value is pd.NA or pd.isna(value) else ("ja" if bool(value) else "nee")


def _target_word(line: Any) -> str:
    """ja, nee, or 'nog niet' while the target year is still to come."""
    met = _yes_no(line.doel_gehaald, "nog niet te zeggen")
    if met == "nee" and pd.notna(line.laatste_jaar) and int(line.streefjaar) > int(line.laatste_jaar):
        return "nog niet"
    return met


def _sentence(text: object) -> str:
    words = str(text)
    return words[:1].upper() + words[1:] + ("" if words.endswith(".") else ".")


def _series_chart(line: Any, table: pd.DataFrame, chart_key: str) -> None:
    """Every measurement from the baseline on, with its interval and the target as a dashed line."""
    from analysis.compute.evaluation import measurements
    from analysis.formatting import format_value

    series = measurements(table, str(line.gebiedscode), str(line.indicator))
    series = series[series.index >= int(line.basisjaar)]
    if len(series) < 3:
        return
    entry = common.registry().get(str(line.indicator))
    unit = entry.unit if entry else None
    years = [str(int(y)) for y in series.index]
    values = series["waarde"].astype(float)
    texts = [f"{y}: {format_value(v, unit)}" for y, v in zip(years, values, strict=True)]
    error = None
    if {"ci_laag", "ci_hoog"} <= set(series.columns) and series["ci_hoog"].notna().all():
        error = {"type": "data", "symmetric": False, "array": (series["ci_hoog"] - values).tolist(),
                 "arrayminus": (values - series["ci_laag"]).tolist(), "color": "#777777"}
    fig = go.Figure(go.Scatter(x=years, y=values, mode="lines+markers", error_y=error, hovertext=texts,
                               hoverinfo="text", line={"color": EVALUATION_COLOUR}, name="gemeten"))
    fig.add_hline(y=float(line.streefwaarde), line_dash="dash", line_color=TARGET_COLOUR,
                  annotation_text=f"doel {format_value(line.streefwaarde, unit)}", annotation_position="top left")
    fig.update_layout(separators=",.", height=230, margin={"l": 10, "r": 10, "t": 20, "b": 30}, showlegend=False,
                      xaxis={"type": "category", "title": None},
                      yaxis={"title": {"text": unit or ""}, "tickformat": ",~r"}, font={"size": 13})
    st.plotly_chart(fig, key=chart_key, config={"displayModeBar": False})
    if error is not None:
        st.caption("De strepjes zijn de marges (95%-interval van de enquête).")


def _plan_line(line: Any, table: pd.DataFrame, position: int) -> None:
    names = _names()
    key = str(line.indicator)
    with st.container(border=True):
        st.markdown(f"**{common.md(common.indicator_label(key))}** · {common.md(names.get(str(line.gebiedscode), line.gebiedscode))}")
        st.markdown(common.md(_sentence(line.tekst)))
        measured = pd.notna(line.basiswaarde)
        cols = st.columns(5)
        cols[0].metric(f"Basis {int(line.basisjaar)}", _format(line.basiswaarde, key))
        latest = f"Laatste meting {int(line.laatste_jaar)}" if measured else "Laatste meting"
        cols[1].metric(latest, _format(line.laatste_waarde, key))
        cols[2].metric(f"Doel {int(line.streefjaar)}", _format(line.streefwaarde, key))
        cols[3].metric("Doel gehaald", _target_word(line))
        cols[4].metric("Groter dan de marge", _yes_no(line.groter_dan_marge, "geen marge" if measured and
                                                      pd.notna(line.doel_gehaald) else "nog niet te zeggen"),
                       help="Of de verandering sinds het basisjaar groter is dan de onzekerheid van de enquête "
                            "(z-toets op de 95%-intervallen van beide jaren). Tellingen en registraties hebben geen marge.")
        if str(line.reeks):
            st.caption(f"Metingen: {common.md(line.reeks)}")
        _series_chart(line, table, f"ww_plan_reeks_{position}")
        reason = _reason_of(line)
        if reason:
            st.caption(f"Reden: {common.md(reason)}")


def _reason_of(line: Any) -> str:
    plan = _draft()["plan"]
    match = plan[(plan["gebiedscode"].astype(str) == str(line.gebiedscode)) & (plan["indicator"].astype(str) == str(line.indicator))]
    return str(match["reden"].fillna("").iloc[0]) if len(match) else ""


def _measure_table(rows: pd.DataFrame) -> pd.DataFrame:
    from analysis.formatting import format_difference, format_number

    units = rows["eenheid"].tolist()
    return pd.DataFrame({
        "Indicator": [common.indicator_label(str(k)) for k in rows["indicator"]],
        "Jaren": [f"{int(a)}–{int(b)}" for a, b in zip(rows["van_jaar"], rows["tot_jaar"], strict=True)],
        "Verandering hier": [format_difference(v, u) for v, u in zip(rows["verandering"], units, strict=True)],
        "Verandering elders": [format_difference(v, u) for v, u in
                               zip(rows["verandering_vergelijking"], units, strict=True)],
        "Verschil in verschil": [format_difference(v, u) for v, u in
                                 zip(rows["verschil_in_verschil"], units, strict=True)],
        "Gebieden": [format_number(n, 0) for n in rows["vergelijkingsgebieden"]],
    })


def _measure_card(measure: Any, evaluation: pd.DataFrame) -> None:
    from analysis.compute.evaluation import CAVEAT
    from analysis.formatting import format_number

    names = _names()
    rows = evaluation[evaluation["id"].astype(str) == str(measure.id)]
    with st.container(border=True):
        st.markdown(f"**{common.md(measure.naam)}** · {common.md(common.component_label(measure.component))} · "
                    f"{common.md(names.get(str(measure.gebiedscode), measure.gebiedscode))}")
        start = pd.Timestamp(measure.startdatum)
        period = f"vanaf {start.day}-{start.month}-{start.year}"
        if pd.notna(measure.einddatum):
            end = pd.Timestamp(measure.einddatum)
            period += f" tot {end.day}-{end.month}-{end.year}"
        budget = f" · budget € {format_number(measure.budget, 0)}" if pd.notna(measure.budget) else ""
        st.caption(f"{measure.id} · {period}{budget}")
        if str(measure.omschrijving or "").strip() and pd.notna(measure.omschrijving):
            st.markdown(common.md(measure.omschrijving))
        done = rows[rows["verschil_in_verschil"].notna()]
        if rows.empty:
            st.info("Geen indicator van deze component gemeten: deze maatregel is niet te evalueren met deze gegevens.")
            return
        if done.empty:
            st.info(f"Nog niet te evalueren: {common.md(rows['tekst'].iloc[0])}. De maatregel begon in "
                    f"{int(measure.startjaar)}; evalueer na de volgende meting.", icon=":material/schedule:")
            return
        st.dataframe(_measure_table(done), hide_index=True, width="stretch", column_config={
            "Gebieden": st.column_config.TextColumn("Gebieden", help="Het aantal vergelijkingsgebieden.")})
        typed = not done["tekst"].str.contains("wijktype", regex=False).any()
        basis = ("vergelijkbare gebieden (hetzelfde niveau en wijktype) zonder zo'n maatregel" if typed else
                 "gebieden van hetzelfde niveau zonder zo'n maatregel (er is geen gebied van hetzelfde wijktype zonder)")
        st.caption(f"{_sentence(CAVEAT)} Verschil in verschil: de verandering hier min de gemiddelde verandering in "
                   f"{basis}, over dezelfde jaren. De vergelijking rust op "
                   f"{format_number(done['vergelijkingsgebieden'].min(), 0)} tot "
                   f"{format_number(done['vergelijkingsgebieden'].max(), 0)} gebieden.")
        left = len(rows) - len(done)
        if left:
            st.caption(f"Niet te evalueren: {format_number(left, 0)} indicatoren ({common.md(rows.loc[rows['verschil_in_verschil'].isna(), 'tekst'].iloc[0])}).")


def _evaluation_section(choice: str) -> None:
    codes = _areas_of(choice)
    name = common.md(_names().get(choice, choice))
    st.subheader("Evaluatie")
    st.markdown("Per doel: de basis, elke latere meting, of het doel gehaald is en of de verandering groter is dan de "
                "marge. Per maatregel: de verandering sinds de start tegenover vergelijkbare gebieden zonder zo'n "
                "maatregel. Dit is de evaluatie van het plan zoals het hierboven staat.")
    from analysis.compute.evaluation import with_area_figures

    plan_eval, measure_eval = _evaluation()
    ds = common.get_dataset()
    table = with_area_figures(common.indicator_table(), ds.area_figures, ds.registry)  # kerncijfers of every year
    lines = plan_eval[plan_eval["gebiedscode"].astype(str).isin(codes)]
    if lines.empty:
        st.info(f"Geen doelen om te evalueren in {name}: voeg hierboven een doel toe, of laad een plan.csv op de "
                "pagina Gegevens.", icon=":material/info:")
    for position, line in enumerate(lines.itertuples(index=False)):
        _plan_line(line, table, position)
    measures = _draft()["maatregelen"]
    measures = measures[measures["gebiedscode"].astype(str).isin(codes)]
    st.markdown("**Maatregelen**")
    if measures.empty:
        st.info(f"Geen maatregelen om te evalueren in {name}: voeg hierboven een maatregel toe, of laad een "
                "maatregelen.csv op de pagina Gegevens.", icon=":material/info:")
    for measure in measures.itertuples(index=False):
        _measure_card(measure, measure_eval)


# --------------------------------------------------------------------------------------

def body() -> None:
    choice = _area_choice()
    if choice is None:
        common.empty_state("gebieden", "zonder wijken is er geen wijkplan")
        return
    _status_section(_draft())
    common.run_sections((
        (functools.partial(_targets_section, choice), "de doelen"),
        (functools.partial(_measures_section, choice), "de maatregelen"),
        (functools.partial(_map_section, choice), "de kaart van de maatregelen"),
        (functools.partial(_evaluation_section, choice), "de evaluatie"),
    ))


common.run_page(
    body, "de pagina Wijkplan", title="Wijkplan",
    intro="Leg per wijk vast wat de gemeente wil bereiken (doelen op indicatoren, met basisjaar en streefwaarde) en "
          "wat zij daarvoor doet (maatregelen), en zie hoe het ervoor staat. Er wordt niets op de server bewaard: "
          "**de download is het opslaan**. Laad de twee bestanden later bij de gegevens op de pagina Gegevens.")
