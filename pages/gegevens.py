"""Gegevens: the import assistant (drop any set of files), one source at a time, the dataset as a ZIP, templates."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.findings import Finding
from pages import common

UPLOAD_DIR_KEY = "ww_upload_dir"
RESULT_KEY = "ww_upload_result"
PLAN_KEY = "ww_as_plan"
CHECK_KEY = "ww_as_check"
PREVIEW_KEY = "ww_as_previews"
ZIP_KEY = "ww_dataset_zip"
ASSISTANT_UPLOAD = "ww_as_upload"
SINGLE_UPLOAD = "ww_gegevens_los"
MAX_UPLOAD_MB = 200
#: The indicator choice for a monitor column loaded as the dataset's own indicator.
OWN = "eigen indicator"


# --------------------------------------------------------------------------------------
# Session folder and messages
# --------------------------------------------------------------------------------------

def _session_dir() -> Path:
    """A temporary folder of this session only, for uploads and working copies."""
    folder = st.session_state.get(UPLOAD_DIR_KEY)
    if not folder or not Path(folder).is_dir():
        folder = str(common.session_upload_dir())
        st.session_state[UPLOAD_DIR_KEY] = folder
    return Path(folder)


def _new_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_session_dir()))


def _save(upload: Any, folder: Path) -> Path:
    from analysis.load.plan import safe_file_name

    target = folder / safe_file_name(upload.name, {p.name.lower() for p in folder.iterdir()})
    target.write_bytes(upload.getvalue())
    return target


def _remember(kind: str, title: str, findings: list[Finding] | None = None) -> None:
    """Keep the outcome of the last action so it stays visible after the rerun."""
    st.session_state[RESULT_KEY] = (kind, title, list(findings or []))


def _shown(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level != "info"]


def _infos(findings: list[Finding], title: str) -> None:
    infos = [f for f in findings if f.level == "info"]
    if infos:
        with st.expander(f"{title} ({len(infos)})"):
            common.show_findings(infos)


def _result_section() -> None:
    result = st.session_state.get(RESULT_KEY)
    if not result:
        return
    kind, title, findings = result
    (st.success if kind == "ok" else st.error)(common.md(title))
    if findings:
        common.show_findings(_shown(findings))


# --------------------------------------------------------------------------------------
# The loaded dataset: code, download as a dataset ZIP, back to the demo
# --------------------------------------------------------------------------------------

def _dataset_zip() -> bytes:
    """The loaded dataset as a ZIP with its files and dataset.toml (built once per dataset)."""
    from analysis.load.writer import dataset_zip, editable_folder

    key = common.dataset_key()
    cached = st.session_state.get(ZIP_KEY)
    if cached and cached[0] == key:
        return cached[1]
    ds = common.get_dataset()
    data = dataset_zip(editable_folder(ds, _new_dir("download-")), ds.name)
    st.session_state[ZIP_KEY] = (key, data)
    return data


def _current_section() -> None:
    ds = common.get_dataset()
    st.subheader("Geladen gegevens")
    kind = "de ingebouwde demogemeente (fictief)" if ds.is_demo else "eigen gegevens, alleen in deze sessie"
    st.markdown(f"**{common.md(ds.name)}**, peiljaar {ds.year}: {kind}.")
    st.caption(f"Datasetcode: {common.dataset_key()} (dezelfde gegevens geven dezelfde code)")
    c1, c2 = st.columns(2)
    with common.dutch_errors("het klaarzetten van de download"):
        c1.download_button("Download als dataset (ZIP)", _dataset_zip(), file_name=f"{common.dataset_key()}.zip",
                           mime="application/zip", key="ww_gegevens_download", icon=":material/download:",
                           help="Alle bestanden met een dataset.toml: de volgende keer is het één upload.")
    if not ds.is_demo and c2.button("Terug naar de demogemeente", key="ww_gegevens_demo", icon=":material/undo:"):
        from analysis.load.dataset import load_demo

        common.set_dataset(load_demo())
        _remember("ok", "De demogemeente is weer geladen.")
        st.rerun()
    with st.expander("Welke bronnen zijn er, en wat maken ze mogelijk?"):
        from analysis.load.sources import source_inventory

        rows = source_inventory(ds)
        rows["regels"] = [common.fmt_int(v) for v in rows["regels"]]  # a missing source reads "–", not "None"
        st.dataframe(rows, hide_index=True, width="stretch")
    shown = _shown(list(ds.findings))
    if shown:
        with st.expander(f"Meldingen bij het inlezen van deze gegevens ({len(shown)})"):
            common.show_findings(shown)


# --------------------------------------------------------------------------------------
# The import assistant
# --------------------------------------------------------------------------------------

def _plan_for(uploads: list[Any]) -> Any:
    """The plan of the files dropped (detected and proposed once per set of files)."""
    from analysis.load.isolated import detect_isolated
    from analysis.load.plan import propose_plan

    ids = tuple(u.file_id for u in uploads)
    stored = st.session_state.get(PLAN_KEY)
    if stored and stored[0] == ids:
        return stored[1]
    for key in [k for k in st.session_state if str(k).startswith("ww_as_f")]:
        del st.session_state[key]
    folder = _new_dir("assistent-")
    with st.spinner("Bestanden bekijken…"):
        saved = [(_save(u, folder), u.name) for u in uploads]
        plan = propose_plan(detect_isolated(saved, folder / "uitgepakt"))  # a child process with limits
    st.session_state[PLAN_KEY] = (ids, plan)
    st.session_state.pop(CHECK_KEY, None)
    return plan


def _preview(f: Any) -> None:
    from analysis.load.detect import preview_png

    frame = f.detection.frame
    if frame is None:
        return
    if f.detection.geometry:
        previews = st.session_state.setdefault(PREVIEW_KEY, {})
        key = str(f.detection.path)
        if key not in previews:
            previews[key] = preview_png(frame)
        st.image(previews[key], caption=f"{f.detection.rows} {f.detection.geometry}", width=320)
    else:
        columns = [c for c in frame.columns if c != "geometry"][:12]
        st.dataframe(pd.DataFrame(frame[columns]).head(5), hide_index=True, width="stretch")


def _kind_inputs(plan: Any, i: int, f: Any) -> None:
    from analysis.load.detect import CHOOSABLE_KINDS, KIND_LABELS
    from analysis.load.plan import set_kind

    c1, c2 = st.columns([2, 1])
    kinds = list(CHOOSABLE_KINDS)
    kind = c1.selectbox("Wat is dit?", kinds, index=kinds.index(f.kind) if f.kind in kinds else len(kinds) - 1,
                        format_func=lambda k: KIND_LABELS.get(k, k), key=f"ww_as_f{i}_soort",
                        help="Wat de assistent herkende; kies zelf als het anders is.")
    if kind is not None and kind != f.kind:
        set_kind(plan, f.name, str(kind))
    usable = f.kind not in ("onbekend", "woordenboek")
    f.use = c2.checkbox("Meenemen", value=f.use, key=f"ww_as_f{i}_{f.kind}_mee", disabled=not usable,
                        help="Zet uit om dit bestand niet in de dataset op te nemen.") and usable


def _column_inputs(i: int, f: Any) -> None:
    from analysis.load.detect import attribute_columns
    from analysis.load.mapping import FIELDS

    fields = FIELDS.get(f.kind, ())
    if not fields or f.detection.frame is None:
        return
    columns = attribute_columns(f.detection.frame)
    cols = st.columns(len(fields))
    for col, field in zip(cols, fields):
        current = f.columns.get(field.key)
        f.columns[field.key] = col.selectbox(
            field.label, columns, index=columns.index(current) if current in columns else None,
            placeholder="(geen)", key=f"ww_as_f{i}_{f.kind}_{field.key}", help=field.help)


def _facility_inputs(i: int, f: Any) -> None:
    from analysis.load.detect import attribute_columns
    from analysis.load.facilities import FACILITY_KEYS
    from analysis.load.mapping import SKIP, component_of

    if f.component_reason:
        st.caption(f"Voorstel: {common.md(f.component_reason)}")
    modes = ["één component voor het hele bestand", "per rij, uit een kolom"]
    mode = st.radio("Component", modes, index=1 if f.component_column else 0, horizontal=True,
                    key=f"ww_as_f{i}_vz_wijze")
    if mode == modes[0]:
        keys = list(FACILITY_KEYS)
        f.component = st.selectbox("Component van alle rijen", keys, index=keys.index(f.component) if f.component in keys else None,
                                   format_func=common.component_label, placeholder="Kies een component",
                                   key=f"ww_as_f{i}_vz_component")
        f.component_column, f.component_values = None, {}
        return
    f.component = None
    columns = attribute_columns(f.detection.frame)
    current = f.component_column or f.columns.get("soortkolom")
    column = st.selectbox("Kolom met het soort per rij", columns, index=columns.index(current) if current in columns else None,
                          placeholder="Kies een kolom", key=f"ww_as_f{i}_vz_kolom")
    if column is None:
        f.component_column, f.component_values = None, {}
        return
    if column != f.component_column:
        f.component_values = {}
    f.component_column = column
    values = f.detection.frame[column].dropna().astype(str).str.strip()
    counts = values[values != ""].value_counts()
    table = pd.DataFrame({"waarde": counts.index.astype(str), "rijen": counts.to_numpy(),
                          "component": [component_of(v) for v in counts.index.astype(str)]})  # the proposal only
    edited = st.data_editor(table, hide_index=True, width="stretch", key=f"ww_as_f{i}_vz_tabel_{column}",
                            disabled=["waarde", "rijen"], column_config={
                                "waarde": st.column_config.TextColumn("Soort in het bestand"),
                                "rijen": st.column_config.NumberColumn("Rijen", format="%d"),
                                "component": st.column_config.SelectboxColumn(
                                    "Component", options=[*FACILITY_KEYS, SKIP],
                                    help="Voorgesteld uit de trefwoordenlijst; 'overslaan' laat die rijen weg")})
    f.component_values = {str(r.waarde): (str(r.component) if isinstance(r.component, str) and r.component else None)
                          for r in edited.itertuples()}


def _monitor_inputs(i: int, f: Any) -> None:
    from analysis.load.mapping import own_key
    from analysis.load.plan import OwnIndicator
    from analysis.registry import REGISTRY, IndicatorKind

    if not f.monitor:
        return
    survey = [k for k in REGISTRY.keys_of(IndicatorKind.ENQUETE) if k != "respondenten_aantal"]
    shown = sorted(f.monitor, key=lambda m: m.key is None)  # the proposed columns first (stable: edits keep their rows)
    table = pd.DataFrame({
        # The proposal only, so the editor's changes (kept by row) always apply to the same table.
        "laden": [m.key is not None for m in shown], "kolom": [m.column for m in shown],
        "label": [m.label for m in shown], "eenheid": [m.unit for m in shown],
        "indicator": [m.key or OWN for m in shown],
        "waarom": [m.reason for m in shown]})
    st.markdown("**Welke kolommen worden geladen?** Herkend via de kolomnaam en het woordenboek; vink aan wat mee "
                "moet. Een kolom zonder standaardindicator wordt een eigen indicator met dit label en deze eenheid.")
    edited = st.data_editor(table, hide_index=True, width="stretch", height=280, key=f"ww_as_f{i}_mon_tabel",
                            disabled=["kolom", "waarom"], column_config={
                                "laden": st.column_config.CheckboxColumn("Laden"),
                                "kolom": st.column_config.TextColumn("Kolom"),
                                "label": st.column_config.TextColumn("Label"),
                                "eenheid": st.column_config.TextColumn("Eenheid"),
                                "indicator": st.column_config.SelectboxColumn("Indicator", options=[*survey, OWN]),
                                "waarom": st.column_config.TextColumn("Waarom")})
    f.indicators, f.own = {}, {}
    by_column = {m.column: m for m in f.monitor}
    for row in edited.itertuples():
        if not bool(row.laden):
            continue
        if row.indicator in survey:
            f.indicators[str(row.kolom)] = str(row.indicator)
        else:
            key = own_key(str(row.kolom))
            f.indicators[str(row.kolom)] = key
            f.own[key] = OwnIndicator(key, str(row.label or row.kolom), str(row.eenheid or ""),
                                      by_column[str(row.kolom)].definition)


def _survey_inputs(i: int, f: Any) -> None:
    from analysis.load.spss import METHODS, ScaleChoice, read_spss

    if f.detection.path.suffix.lower() not in (".sav", ".zsav"):
        return
    survey = read_spss(f.detection.path, f.name)
    items = survey.items()
    if not items:
        return
    st.markdown("**Schalen.** Het SPSS-bestand geeft de antwoordcodes en de ontbrekende waarden; zeg welke vragen samen "
                "een schaal vormen (dezelfde naam in de kolom Schaal) en welke omgekeerd gesteld zijn.")
    table = pd.DataFrame({"vraag": items, "tekst": [survey.variable_labels.get(v, "") for v in items],
                          "schaal": ["" for _ in items], "omgekeerd": [False for _ in items],
                          "methode": ["gemiddelde" for _ in items]})
    edited = st.data_editor(table, hide_index=True, width="stretch", key=f"ww_as_f{i}_schalen",
                            disabled=["vraag", "tekst"], column_config={
                                "schaal": st.column_config.TextColumn("Schaal", help="bijvoorbeeld Sociale samenhang"),
                                "omgekeerd": st.column_config.CheckboxColumn("Omgekeerd"),
                                "methode": st.column_config.SelectboxColumn("Methode", options=list(METHODS))})
    scales: dict[str, list[Any]] = {}
    for row in edited.itertuples():
        if str(row.schaal or "").strip():
            scales.setdefault(str(row.schaal).strip(), []).append(row)
    f.scales = tuple(ScaleChoice(name, tuple(str(r.vraag) for r in rows), str(rows[0].methode or "gemiddelde"),
                                 tuple(str(r.vraag) for r in rows if bool(r.omgekeerd))) for name, rows in scales.items())


def _file_box(plan: Any, i: int, f: Any) -> Any:
    state = "wordt gebruikt" if f.is_source else "niet gebruikt"
    with st.expander(f"{f.detection.shown_name}: {f.detection.label} ({state})", expanded=False):
        st.caption(common.md(f"{f.detection.why} ({f.detection.rows} rijen)"))
        with common.dutch_errors(f"het bestand {f.detection.shown_name}"):
            _kind_inputs(plan, i, f)
            if f.note:
                st.info(common.md(f.note))
            _preview(f)
            if f.is_source:
                _column_inputs(i, f)
                if f.kind in ("voorzieningen", "enquete_gebied"):
                    f.year = st.number_input("Jaar van dit bestand", min_value=1900, max_value=2100, value=f.year,
                                             step=1, placeholder=f"peiljaar {plan.year}", key=f"ww_as_f{i}_{f.kind}_jaar",
                                             help="Leeg: de rijen horen bij het peiljaar (of bij hun eigen kolom jaar).")
                if f.kind == "voorzieningen":
                    _facility_inputs(i, f)
                elif f.kind == "enquete_gebied":
                    _monitor_inputs(i, f)
                elif f.kind == "enquete":
                    _survey_inputs(i, f)
        return st.container()  # filled with the findings once the plan is checked


def _file_findings(slot: Any, f: Any, check: Any) -> None:
    findings = list(f.detection.findings) + check.per_file.get(f.name, [])
    if _shown(findings):
        with slot:
            common.show_findings(_shown(findings))


def _check(plan: Any) -> Any:
    """The check of the plan as it is now (loaded once per set of choices)."""
    from analysis.load.isolated import check_plan_isolated

    signature = plan.signature()
    stored = st.session_state.get(CHECK_KEY)
    if stored and stored[0] == signature:
        return stored[1]
    with st.spinner("Alles controleren en proberen te laden…"):
        check = check_plan_isolated(plan, _new_dir("controle-"))  # a child process with limits
    st.session_state[CHECK_KEY] = (signature, check)
    return check


def _hash_of(check: Any) -> str:
    """The content hash of a checked dataset (computed once per check)."""
    if not hasattr(check, "content_hash"):
        check.content_hash = common.content_hash(check.dataset)
    return str(check.content_hash)


def _summary(plan: Any, check: Any) -> None:
    from analysis.load.writer import dataset_zip

    st.markdown("**Controle**")
    problems = _shown(check.general)
    loaded = check.usable and _hash_of(check) == common.dataset_key()
    if loaded:
        st.success(common.md(f"Deze gegevens zijn geladen ({check.dataset.name}). Verander hierboven iets om opnieuw te laden."))
    elif check.usable:
        ds = check.dataset
        st.success(common.md(f"Bruikbaar: {ds.name}, peiljaar {ds.year}, {len(ds.buurten)} buurten, {len(ds.wijken)} wijken, "
                             f"{len(ds.facilities)} voorzieningen. Nog niets geladen: klik op Laden."))
    else:
        bad = [name for name, items in check.per_file.items() if any(x.level == "fout" for x in items)]
        st.error(common.md("Zo is het nog niet bruikbaar" + (f": zie {', '.join(bad)}" if bad else "") +
                           ". De gegevens die nu geladen zijn blijven staan."))
    if problems:
        common.show_findings(problems)
    _infos(check.general, "Wat ontbreekt en wat dat betekent")
    c1, c2 = st.columns(2)
    if c1.button("Laden", type="primary", disabled=not check.usable or loaded, key="ww_as_laden", icon=":material/check:"):
        common.set_dataset(check.dataset)
        _remember("ok", f"{check.dataset.name} is geladen, peiljaar {check.dataset.year}. Alle pagina's tonen nu "
                        "deze gegevens.", _shown(list(check.dataset.findings)))
        st.rerun()
    if check.usable and check.folder is not None:
        c2.download_button("Download als dataset (ZIP)", dataset_zip(check.folder, plan.name),
                           file_name=f"{plan.name}.zip", mime="application/zip", key="ww_as_download",
                           icon=":material/download:", help="De bestanden met de dataset.toml die de assistent schreef.")


def _assistant_section() -> None:
    st.subheader("Uw eigen gemeente laden")
    st.markdown(
        "Sleep **alle bestanden tegelijk** hierheen: CSV, Excel (.xlsx), GeoJSON, GeoPackage, een gezipte Shapefile, "
        "SPSS (.sav, .zsav) of een ZIP van een map, met of zonder dataset.toml. De assistent zegt per bestand wat het "
        "volgens hem is en waarom; verbeter wat niet klopt, bekijk de controle en klik op **Laden**. Een dataset.toml "
        "schrijven is niet nodig. De gegevens blijven in deze sessie; lukt het laden niet, dan blijven de huidige staan.")
    uploads = st.file_uploader(
        "Bestanden van uw gemeente", accept_multiple_files=True, key=ASSISTANT_UPLOAD, max_upload_size=MAX_UPLOAD_MB,
        help="Buurten en wijken (CBS), kerncijfers, voorzieningen, verenigingen, banden, enquête (CSV of SPSS) met "
             "codeboek, gebiedsmonitor met variabelenlijst, digitale platforms, adressen, wegennet; of een ZIP daarvan.")
    if not uploads:
        return
    plan = _plan_for(list(uploads))
    c1, c2 = st.columns([2, 1])
    plan.name = c1.text_input("Naam van de dataset", value=plan.name, key="ww_as_naam") or plan.name
    plan.year = int(c2.number_input("Peiljaar", min_value=1900, max_value=2100, value=int(plan.year), step=1,
                                    key="ww_as_jaar", help=f"Voorstel: {plan.year_reason}"))
    slots = [_file_box(plan, i, f) for i, f in enumerate(plan.files)]
    check = _check(plan)
    for slot, f in zip(slots, plan.files):
        _file_findings(slot, f, check)
    _summary(plan, check)


# --------------------------------------------------------------------------------------
# One source at a time: check, add or replace, remove
# --------------------------------------------------------------------------------------

def _single_section() -> None:
    from analysis.load.amend import NEW_FACILITIES, present, source_choices
    from analysis.load.detect import ACCEPTED_SUFFIXES
    from analysis.load.facilities import FACILITY_KEYS
    from analysis.load.isolated import amend_isolated as amend  # in a child process with memory and time limits

    ds = common.get_dataset()
    st.subheader("Eén bron toevoegen, vervangen of verwijderen")
    st.markdown("Werkt bij elke geladen dataset, ook bij een los buurtenbestand en de demogemeente. "
                "**Alleen controleren** leest het bestand als de bron die u kiest, met de gebieden van de geladen dataset.")
    choices = source_choices(ds)
    c1, c2 = st.columns([1.2, 1])
    source = str(c1.selectbox("Welke bron?", list(choices), format_func=lambda k: choices.get(k, k), key="ww_gegevens_bron"))
    component = None
    if source == NEW_FACILITIES:
        component = c2.selectbox("Component van dit bestand", list(FACILITY_KEYS), format_func=common.component_label,
                                 key="ww_gegevens_component")
    elif source in ("plan", "maatregelen"):
        c2.caption("Van de pagina Wijkplan: plan.csv hoort bij 'Wijkplan', maatregelen.csv bij 'Maatregelen'. Laad ze "
                   "na elkaar; het plan dat nu geladen is wordt vervangen.")
    upload = st.file_uploader("Het nieuwe bestand", key=SINGLE_UPLOAD, max_upload_size=MAX_UPLOAD_MB,
                              help="Eén bestand: CSV, Excel, GeoJSON, GeoPackage, gezipte Shapefile, SPSS of TOML.")
    b1, b2, b3 = st.columns(3)
    if present(ds, source) and b3.button("Verwijderen uit de dataset", key="ww_gegevens_verwijder", icon=":material/delete:"):
        result = amend(ds, source, _new_dir("wijzig-"), remove=True)
        _finish(result, f"{choices[source]} is verwijderd")
    if upload is None:
        return
    if Path(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
        st.error(common.md(f"{upload.name}: dit bestandstype ({Path(upload.name).suffix or 'geen'}) wordt niet gelezen. "
                           "Oplossing: gebruik CSV, Excel (.xlsx), GeoJSON, GeoPackage, een gezipte Shapefile, SPSS "
                           "(.sav) of TOML."))
        return
    if b1.button("Alleen controleren", key="ww_gegevens_controleer", icon=":material/fact_check:"):
        result = amend(ds, source, _new_dir("controle-"), _save(upload, _new_dir("los-")), upload.name, component)
        bad = any(f.level == "fout" for f in result.findings)
        (st.error if bad else st.success)(common.md(
            f"{upload.name} als {choices[source]}: " + ("er zijn fouten; zo kan het niet worden geladen."
                                                       if bad else "geen fouten gevonden.")))
        common.show_findings(result.file_findings or ([f for f in result.findings if f.level == "fout"]))
    if b2.button("Toevoegen of vervangen en laden", key="ww_gegevens_vervang", type="primary", icon=":material/sync:"):
        with st.spinner("Gegevens controleren en inlezen…"):
            result = amend(ds, source, _new_dir("wijzig-"), _save(upload, _new_dir("los-")), upload.name, component)
        _finish(result, f"De dataset met het nieuwe bestand {upload.name}")


def _finish(result: Any, what: str) -> None:
    previous = common.get_dataset().name
    if result.usable:
        common.set_dataset(result.dataset)
        _remember("ok", f"{what}: geladen. Alle pagina's tonen nu deze gegevens.", _shown(result.file_findings))
    else:
        _remember("fout", f"{what} is niet geladen. U werkt verder met de vorige gegevens ({previous}). Los de fouten "
                          "hieronder op en probeer het opnieuw.", [f for f in result.findings if f.level == "fout"])
    st.rerun()


# --------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False)
def _templates_zip(stamp: float) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(common.TEMPLATES_DIR.rglob("*")):
            if path.is_file():
                archive.write(path, Path("sjablonen") / path.relative_to(common.TEMPLATES_DIR))
    return buffer.getvalue()


def _templates_section() -> None:
    st.subheader("Sjablonen")
    folder = common.TEMPLATES_DIR
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not files:
        st.info("De sjablonen ontbreken in deze installatie (map data/templates).")
        return
    st.markdown("Lege invulbestanden met voorbeeldregels en een uitleg in het Nederlands (README.md), voor wie zelf "
                "bestanden wil maken. Sleep ze ingevuld hierboven in de assistent.")
    stamp = max(p.stat().st_mtime for p in files)
    st.download_button("Alle sjablonen (ZIP)", _templates_zip(stamp), file_name="wijkweefsel_sjablonen.zip",
                       mime="application/zip", key="ww_gegevens_sjablonen", icon=":material/download:")
    cols = st.columns(3)
    for i, path in enumerate(files):
        cols[i % 3].download_button(path.name, path.read_bytes(), file_name=path.name,
                                    key=f"ww_gegevens_sjabloon_{i}", icon=":material/description:")


def body() -> None:
    common.run_sections((
        (_result_section, "de uitkomst van het laden"),
        (_current_section, "de geladen gegevens"),
        (_assistant_section, "de importassistent"),
        (_single_section, "het toevoegen of vervangen van een bron"),
        (_templates_section, "de sjablonen"),
    ))


common.run_page(body, "de pagina Gegevens", title="Gegevens",
                intro="Laad de gegevens van uw eigen gemeente: sleep de bestanden hierheen, de assistent doet de rest.")
