"""Gegevens: load your own dataset (a ZIP, or one file replacing one source), validation messages, templates."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from analysis.errors import DatasetError
from analysis.findings import Findings
from pages import common

UPLOAD_DIR_KEY = "ww_upload_dir"
RESULT_KEY = "ww_upload_result"
DONE_KEY = "ww_upload_done"
NEW_FACILITY_FILE = "__nieuw_voorzieningen__"
MAX_UPLOAD_MB = 200
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

SOURCE_LABELS: dict[str, str] = {
    "buurten": "Buurten (CBS wijk- en buurtkaart)", "wijken": "Wijken", "verenigingen": "Verenigingen",
    "banden": "Banden tussen verenigingen", "enquete": "Bewonersenquête (antwoorden)",
    "codeboek": "Codeboek van de enquête", "digitaal": "Digitale platforms",
}


# --------------------------------------------------------------------------------------
# This session's own folder (never shared between sessions)
# --------------------------------------------------------------------------------------

def _session_dir() -> Path:
    """A temporary folder of this session only, for uploads and working copies."""
    folder = st.session_state.get(UPLOAD_DIR_KEY)
    if not folder or not Path(folder).is_dir():
        folder = tempfile.mkdtemp(prefix="wijkweefsel-sessie-")
        st.session_state[UPLOAD_DIR_KEY] = folder
    return Path(folder)


def _safe_name(name: str) -> str:
    stem = _SAFE_NAME.sub("_", Path(name).name).strip("._") or "bestand"
    return stem[:120]


def _save_upload(upload, prefix: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix=prefix, dir=_session_dir())) / _safe_name(upload.name)
    target.write_bytes(upload.getvalue())
    return target


def _remember(kind: str, title: str, findings: Findings | list) -> None:
    """Keep the outcome of the last upload so it stays visible after the rerun."""
    st.session_state[RESULT_KEY] = (kind, title, list(findings))


def _try_load(path: Path, what: str) -> bool:
    """Load ``path`` as the session's dataset; on failure keep the current one. Returns success."""
    from analysis.load.dataset import load_dataset

    findings = Findings()
    previous = common.get_dataset().name
    try:
        ds = load_dataset(path, findings)
    except DatasetError as error:
        _remember("fout", f"{what} is niet geladen. U werkt verder met de vorige gegevens ({previous}). "
                          "Los de fouten hieronder op en probeer het opnieuw.", error.findings)
        return False
    common.set_dataset(ds)
    _remember("ok", f"{what} is geladen: {ds.name}, peiljaar {ds.year}. Alle pagina's tonen nu deze gegevens.",
              [f for f in findings if f.level != "fout"])
    return True


# --------------------------------------------------------------------------------------
# Working copy for replacing one source
# --------------------------------------------------------------------------------------

def _dataset_folder() -> Path | None:
    """A fresh working copy of the current dataset's folder (None when it has no dataset.toml)."""
    from analysis.load.dataset import MANIFEST_NAME

    root = common.get_dataset().root
    if root is None or not Path(root).exists():
        return None
    work = Path(tempfile.mkdtemp(prefix="werkkopie-", dir=_session_dir()))
    root = Path(root)
    if root.is_dir():
        if not (root / MANIFEST_NAME).is_file():
            return None
        shutil.copytree(root, work, dirs_exist_ok=True)
        return work
    if root.suffix.lower() == ".zip":
        with zipfile.ZipFile(root) as archive:  # already checked by load_dataset when it was loaded
            archive.extractall(work)
        found = sorted(work.rglob(MANIFEST_NAME), key=lambda p: len(p.parts))
        return found[0].parent if found else None
    return None


def _patch_manifest(text: str, source: str, new_name: str, old_name: str | None, component: str | None) -> str:
    """The manifest with one source pointing at ``new_name`` (TOML kept as the user wrote it)."""
    quoted = f'"{new_name}"'
    if source == NEW_FACILITY_FILE:
        return text.rstrip("\n") + f'\n\n[[voorzieningen]]\nbestand = {quoted}\ncomponent = "{component}"\n'
    if source.startswith("voorzieningen:") or source.startswith("enquete_gebied:"):
        pattern = re.compile(r'^(\s*bestand\s*=\s*)["\']' + re.escape(old_name or "") + r'["\']', re.MULTILINE)
        return pattern.sub(lambda m: m.group(1) + quoted, text, count=1)
    section = re.search(r"^\[bronnen\]\s*$", text, re.MULTILINE)
    line = re.compile(r"^(\s*" + re.escape(source) + r"\s*=\s*).*$", re.MULTILINE)
    if section:
        start = section.end()
        nxt = re.search(r"^\[", text[start:], re.MULTILINE)
        end = start + nxt.start() if nxt else len(text)
        body, count = line.subn(lambda m: m.group(1) + quoted, text[start:end], count=1)
        if not count:
            body = f"\n{source} = {quoted}" + body
        return text[:start] + body + text[end:]
    return text.rstrip("\n") + f"\n\n[bronnen]\n{source} = {quoted}\n"


def _source_choices() -> dict[str, str]:
    """Choice key -> label: the single sources, each facility and monitor file, and a new facility file."""
    from analysis.load.dataset import SOURCE_KEYS, read_manifest

    choices = {k: SOURCE_LABELS.get(k, k) for k in SOURCE_KEYS}
    root = common.get_dataset().root
    if root is not None and Path(root).is_dir():
        try:
            manifest = read_manifest(Path(root))
        except DatasetError:
            manifest = {}
        for entry in manifest.get("voorzieningen", []):
            choices[f"voorzieningen:{entry['bestand']}"] = f"Voorzieningen: {entry['bestand']}"
        for entry in manifest.get("enquete_gebied", []):
            choices[f"enquete_gebied:{entry['bestand']}"] = f"Gebiedsmonitor: {entry['bestand']}"
    choices[NEW_FACILITY_FILE] = "Een extra voorzieningenbestand"
    return choices


def _replace_source(source: str, upload, component: str | None) -> None:
    from analysis.load.dataset import MANIFEST_NAME

    work = _dataset_folder()
    if work is None:
        _remember("fout", "Een losse bron vervangen kan alleen bij een dataset met een dataset.toml. Laad eerst "
                          "een complete dataset als ZIP.", [])
        return
    new_name = f"upload_{_safe_name(upload.name)}"
    (work / new_name).write_bytes(upload.getvalue())
    old_name = source.split(":", 1)[1] if ":" in source else None
    manifest = work / MANIFEST_NAME
    manifest.write_text(_patch_manifest(manifest.read_text(encoding="utf-8"), source, new_name, old_name,
                                        component), encoding="utf-8")
    _try_load(work, f"De dataset met het nieuwe bestand {upload.name}")


# --------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------

def _current_section() -> None:
    ds = common.get_dataset()
    st.subheader("Geladen gegevens")
    kind = "de ingebouwde demogemeente (fictief)" if ds.is_demo else "eigen gegevens, alleen in deze sessie"
    st.markdown(f"**{common.md(ds.name)}**, peiljaar {ds.year}: {kind}.")
    if not ds.is_demo and st.button("Terug naar de demogemeente", key="ww_gegevens_demo", icon=":material/undo:"):
        from analysis.load.dataset import load_demo

        common.set_dataset(load_demo())
        _remember("ok", "De demogemeente is weer geladen.", [])
        st.rerun()
    shown = [f for f in ds.findings if f.level != "info"]
    if shown:
        with st.expander(f"Meldingen bij het inlezen van deze gegevens ({len(shown)})"):
            common.show_findings(shown)


def _result_section() -> None:
    result = st.session_state.get(RESULT_KEY)
    if not result:
        return
    kind, title, findings = result
    (st.success if kind == "ok" else st.error)(common.md(title))
    if findings:
        common.show_findings(findings)


def _once(upload, action) -> None:
    """Run ``action`` once per uploaded file (Streamlit reruns the page on every click)."""
    if upload is None:
        return
    marker = f"{upload.file_id}|{action.__name__}"
    if st.session_state.get(DONE_KEY) == marker:
        return
    st.session_state[DONE_KEY] = marker
    with st.spinner("Gegevens controleren en inlezen…"):
        action(upload)
    st.rerun()


def _load_zip(upload) -> None:
    _try_load(_save_upload(upload, "zip-"), f"Het bestand {upload.name}")


def _zip_section() -> None:
    st.subheader("Een complete dataset laden")
    st.markdown(
        "Pak de map met **dataset.toml** en de bronbestanden in als ZIP en sleep die hierheen. Ook een los "
        "buurtenbestand (GeoJSON, GeoPackage of een ZIP met een Shapefile) kan: dan ziet u alleen de gebieden. "
        "De gegevens blijven in deze sessie: andere gebruikers zien ze niet, en na het sluiten zijn ze weg. "
        "Lukt het laden niet, dan blijven de huidige gegevens staan."
    )
    upload = st.file_uploader("Dataset (ZIP) of buurtenbestand", type=["zip", "geojson", "json", "gpkg"],
                              key="ww_gegevens_zip", max_upload_size=MAX_UPLOAD_MB)
    _once(upload, _load_zip)


def _single_section() -> None:
    from analysis.components import FACILITY_COMPONENT_KEYS

    st.subheader("Eén bron vervangen of toevoegen")
    st.markdown("Vervang één bestand van de geladen dataset (bijvoorbeeld een nieuwe enquête) en houd de rest. "
                "Eerst wordt het bestand gecontroleerd zoals `wijkweefsel validate` dat doet.")
    choices = _source_choices()
    c1, c2 = st.columns([1.2, 1])
    source = c1.selectbox("Welke bron?", list(choices), format_func=choices.get, key="ww_gegevens_bron")
    component = None
    if source == NEW_FACILITY_FILE:
        component = c2.selectbox("Component van dit bestand", list(FACILITY_COMPONENT_KEYS),
                                 format_func=common.component_label, key="ww_gegevens_component")
    upload = st.file_uploader("Bestand", type=["csv", "xlsx", "xls", "txt", "tsv", "geojson", "json", "gpkg",
                                               "zip", "toml"], key="ww_gegevens_los",
                              max_upload_size=MAX_UPLOAD_MB)
    if upload is None:
        return
    b1, b2 = st.columns(2)
    if b1.button("Alleen controleren", key="ww_gegevens_controleer", icon=":material/fact_check:"):
        from analysis.load.dataset import validate

        findings = validate(_save_upload(upload, "controle-"))
        if findings.has_errors:
            st.error(f"{common.md(upload.name)} bevat fouten; zo kan het niet worden ingelezen.")
        else:
            st.success(f"{common.md(upload.name)}: geen fouten gevonden.")
        common.show_findings(list(findings))
    if b2.button("Vervangen en laden", key="ww_gegevens_vervang", type="primary", icon=":material/sync:"):
        with st.spinner("Gegevens controleren en inlezen…"):
            _replace_source(source, upload, component)
        st.rerun()


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
    st.markdown("Lege invulbestanden met voorbeeldregels en een uitleg in het Nederlands (README.md). Vul ze in, "
                "zet ze met dataset.toml in één map, pak die in als ZIP en laad hem hierboven.")
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
        (_zip_section, "het laden van een dataset"),
        (_single_section, "het vervangen van een bron"),
        (_templates_section, "de sjablonen"),
    ))


common.run_page(body, "de pagina Gegevens", title="Gegevens",
                intro="Laad de gegevens van uw eigen gemeente, controleer ze, of download de sjablonen.")
