"""Writing a dataset: a commented Dutch dataset.toml from an import plan, the folder, its ZIP, and manifest edits."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from analysis.load.plan import DRAFT_CODEBOOK, GENERATED_CODEBOOK, SINGLE_KINDS, FilePlan, ImportPlan
from analysis.model import Dataset

MANIFEST_NAME = "dataset.toml"
#: The timestamp of every member of a dataset ZIP, so the same dataset gives the same bytes.
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def quote(text: object) -> str:
    """A TOML basic string (quotes, backslashes and line breaks escaped)."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + value.replace("\n", "\\n").replace("\r", "").replace("\t", " ") + '"'


def toml_key(text: object) -> str:
    """A TOML key: bare when it may be, else quoted."""
    return str(text) if _BARE_KEY.match(str(text)) else quote(text)


def _inline(mapping: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{toml_key(k)} = {quote(v)}" for k, v in mapping.items()) + " }"


def _comment(text: str, width: int = 116) -> list[str]:
    """A Dutch comment, wrapped over lines that start with ``# ``."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(f"# {line}")
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(f"# {line}")
    return lines


def _sheet_line(f: FilePlan) -> list[str]:
    return [f"blad = {quote(f.detection.sheet)}"] if f.detection.sheet else []


def _recognised(f: FilePlan) -> str:
    """``herkend als voorzieningen: ... (73 rijen)``; says so when the user changed the kind."""
    rows = f" ({f.detection.rows} rijen)" if f.detection.rows else ""
    if f.detection.sheet:
        rows = f" (blad {f.detection.sheet}{', ' + str(f.detection.rows) + ' rijen' if f.detection.rows else ''})"
    if f.kind == f.detection.kind:
        return f.detection.why + rows
    return f"gekozen als {f.kind} (herkend als {f.detection.kind}: {'; '.join(f.detection.reasons)}){rows}"


# ---------------------------------------------------------------------------------------------
# The manifest of a plan
# ---------------------------------------------------------------------------------------------

def _codebook_name(plan: ImportPlan) -> str | None:
    """The codebook the dataset uses: a codeboek file of the plan, else one written from the SPSS scales."""
    own = next((f.name for f in plan.files if f.is_source and f.kind == "codeboek"), None)
    if own:
        return own
    survey = next((f for f in plan.files if f.is_source and f.kind == "enquete"), None)
    if survey is not None and survey.scales and survey.detection.path.suffix.lower() in (".sav", ".zsav"):
        return GENERATED_CODEBOOK
    return None


def _head_lines(plan: ImportPlan) -> list[str]:
    lines = ["# dataset.toml, opgesteld door de importassistent van Wijkweefsel uit de bestanden in deze map.",
             "# Elke bron staat hieronder met wat de assistent herkende en waarom. Tekst na een # is uitleg en",
             "# wordt niet gelezen. Controleer de map daarna met: wijkweefsel validate MAP", "",
             "[dataset]", f"naam = {quote(plan.name)}",
             f"jaar = {int(plan.year)}   # peiljaar: {plan.year_reason or 'gekozen'}; rijen zonder eigen jaar horen hierbij"]
    if plan.gemeente:
        lines.append(f"gemeente = {quote(plan.gemeente)}   # alleen deze gemeente uit de bestanden")
    return lines


def _source_lines(plan: ImportPlan) -> list[str]:
    lines = ["", "[bronnen]"]
    for kind in SINGLE_KINDS:
        for f in plan.files:
            if f.is_source and f.kind == kind:
                value = quote(f.name) if not f.detection.sheet else _inline({"bestand": f.name, "blad": f.detection.sheet})
                lines += _comment(_recognised(f)) + [f"{kind} = {value}"]
    codebook = _codebook_name(plan)
    if codebook == GENERATED_CODEBOOK:
        lines += ["# codeboek opgesteld uit de waardelabels van het SPSS-bestand en de schalen die u koos",
                  f"codeboek = {quote(GENERATED_CODEBOOK)}"]
    survey = next((f for f in plan.files if f.is_source and f.kind == "enquete"), None)
    if survey is not None and codebook is None and survey.detection.path.suffix.lower() in (".sav", ".zsav"):
        lines += _comment(f"een concept-codeboek staat in {DRAFT_CODEBOOK}: zet daarin welke vragen samen een schaal "
                          "vormen en haal dan het # voor de volgende regel weg")
        lines.append(f"# codeboek = {quote(DRAFT_CODEBOOK)}")
    return lines


def _facility_lines(f: FilePlan) -> list[str]:
    lines = ["", *_comment(_recognised(f) + (f"; {f.component_reason}" if f.component_reason else "")),
             "[[voorzieningen]]", f"bestand = {quote(f.name)}", *_sheet_line(f)]
    if f.component:
        lines.append(f"component = {quote(f.component)}")
    elif f.component_column:
        lines.append(f"componentkolom = {quote(f.component_column)}")
        chosen = {str(k): str(v) for k, v in f.component_values.items() if v}
        if chosen:
            lines.append(f"componenten = {_inline(chosen)}   # soort in {f.component_column} = component")
        missing = sorted(str(k) for k, v in f.component_values.items() if not v)
        if missing:
            lines += _comment(f"zonder component (die rijen worden overgeslagen): {', '.join(missing[:12])}")
    for key in ("naamkolom", "soortkolom", "idkolom"):
        if f.columns.get(key):
            lines.append(f"{key} = {quote(f.columns[key])}")
    if f.year is not None:
        lines.append(f"jaar = {int(f.year)}")
    return lines


def _monitor_lines(f: FilePlan) -> list[str]:
    lines = ["", *_comment(_recognised(f))]
    for column in f.monitor:
        if column.column in f.indicators:
            key = f.indicators[column.column]
            lines += _comment(f"{column.column} ({column.label}{', ' + column.unit if column.unit else ''}) -> {key}: "
                              f"{column.reason if column.key == key else 'eigen indicator'}")
    lines += ["[[enquete_gebied]]", f"bestand = {quote(f.name)}", *_sheet_line(f)]
    if f.columns.get("codekolom"):
        lines.append(f"codekolom = {quote(f.columns['codekolom'])}")
    if f.columns.get("nkolom"):
        lines.append(f"nkolom = {quote(f.columns['nkolom'])}")
    if f.year is not None:
        lines.append(f"jaar = {int(f.year)}")
    lines.append(f"indicatoren = {_inline(f.indicators)}")
    rest = [c.column for c in f.monitor if c.column not in f.indicators]
    if rest:
        lines += _comment(f"niet geladen: {len(rest)} andere kolommen ({', '.join(rest[:8])}{' ...' if len(rest) > 8 else ''}); "
                          "zet een kolom in indicatoren om hem te laden")
    return lines


def _own_lines(plan: ImportPlan) -> list[str]:
    lines: list[str] = []
    for f in plan.files:
        if not (f.is_source and f.kind == "enquete_gebied"):
            continue
        for own in f.own.values():
            if own.key not in f.indicators.values():
                continue
            lines += ["", f"[eigen_indicatoren.{toml_key(own.key)}]   # uit {f.name}", f"label = {quote(own.label)}"]
            if own.unit:
                lines.append(f"eenheid = {quote(own.unit)}")
            if own.definition:
                lines.append(f"definitie = {quote(own.definition)}")
    return lines


def _unused_lines(plan: ImportPlan) -> list[str]:
    unused = [f for f in plan.files if not f.is_source]
    if not unused:
        return []
    lines = ["", "# Niet als bron gebruikt:"]
    for f in unused:
        lines += _comment(f"{f.detection.shown_name}: {f.note or f.detection.why}")
    return lines


def manifest_text(plan: ImportPlan) -> str:
    """The commented Dutch ``dataset.toml`` of a plan.

    Every source has a comment above it saying what the assistant recognised and why
    (``# herkend als voorzieningen: punten met namen in kolom VESTIGINGSNAAM (73 rijen)``);
    monitors list each matched column; files not used are listed at the end with the reason.

    Returns
    -------
    str
        Valid TOML (UTF-8 text).
    """
    lines = _head_lines(plan) + _source_lines(plan)
    for f in plan.files:
        if f.is_source and f.kind == "voorzieningen":
            lines += _facility_lines(f)
    for f in plan.files:
        if f.is_source and f.kind == "enquete_gebied":
            lines += _monitor_lines(f)
    lines += _own_lines(plan) + _unused_lines(plan)
    return "\n".join(lines) + "\n"


def _codebook_files(plan: ImportPlan) -> dict[str, str]:
    """The codebook written from an SPSS survey: the one to use (scales named) or a draft to complete."""
    from analysis.load.spss import draft_codebook, read_spss

    survey = next((f for f in plan.files if f.is_source and f.kind == "enquete"), None)
    if survey is None or survey.detection.path.suffix.lower() not in (".sav", ".zsav"):
        return {}
    if any(f.is_source and f.kind == "codeboek" for f in plan.files):
        return {}
    table = read_spss(survey.detection.path, survey.name)
    text = draft_codebook(table, f"de enquête {survey.name}", survey.scales)
    return {GENERATED_CODEBOOK if survey.scales else DRAFT_CODEBOOK: text}


def write_folder(plan: ImportPlan, folder: Path, overwrite_manifest: bool = True) -> Path:
    """Write the plan's dataset folder: its files (copied), the codebook drafted from SPSS, and dataset.toml.

    Parameters
    ----------
    plan : ImportPlan
        The plan.
    folder : Path
        The dataset folder (created; files already there with the same name are kept as they are).
    overwrite_manifest : bool
        Replace an existing dataset.toml.

    Returns
    -------
    Path
        ``folder``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for f in plan.files:
        if not (f.is_source or f.kind == "woordenboek"):
            continue
        target = folder / f.name
        if not target.exists() or target.resolve() != f.detection.path.resolve():
            shutil.copyfile(f.detection.path, target)
    for name, text in _codebook_files(plan).items():
        (folder / name).write_text(text, encoding="utf-8")
    manifest = folder / MANIFEST_NAME
    if overwrite_manifest or not manifest.exists():
        manifest.write_text(manifest_text(plan), encoding="utf-8")
    return folder


def new_manifest(folder: Path, target: Path | None = None, overwrite: bool = False) -> tuple[Path, ImportPlan]:
    """Look at every file in a folder and write a dataset.toml with the assistant's guesses as comments.

    Parameters
    ----------
    folder : Path
        The folder with the municipality's files (not searched recursively; a ZIP of files in it is
        not unpacked, a zipped Shapefile is read as one file).
    target : Path, optional
        Where to write the manifest; default ``folder/dataset.toml``. File names in it are relative
        to the manifest's own folder.
    overwrite : bool
        Replace an existing manifest.

    Returns
    -------
    (Path, ImportPlan)
        The manifest written and the plan it describes.

    Raises
    ------
    analysis.errors.DatasetError
        When the folder does not exist or holds no files, or the manifest exists and ``overwrite`` is False.
    """
    import os

    from analysis.errors import DatasetError
    from analysis.findings import Finding
    from analysis.load.detect import detect_file
    from analysis.load.plan import propose_plan

    target = Path(target) if target is not None else folder / MANIFEST_NAME
    if not folder.is_dir():
        raise DatasetError(Finding("fout", str(folder), "de map bestaat niet", "geef de map met de bestanden van de gemeente"))
    if target.exists() and not overwrite:
        raise DatasetError(Finding("fout", str(target), "er staat al een dataset.toml; die wordt niet overschreven",
                                   "geef --overschrijven om hem te vervangen, of --uit ANDERE_NAAM.toml om ernaast te schrijven"))
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith(".")
                   and p.resolve() != target.resolve())
    if not paths:
        raise DatasetError(Finding("fout", str(folder), "de map bevat geen bestanden", "zet de bestanden van de gemeente in de map"))
    plan = propose_plan([detect_file(p) for p in paths], keep_names=True)
    base = target.resolve().parent
    for f in plan.files:
        f.name = Path(os.path.relpath(f.detection.path.resolve(), base)).as_posix()
    for name, text in _codebook_files(plan).items():
        (folder / name).write_text(text, encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(manifest_text(plan), encoding="utf-8")
    return target, plan


def dataset_zip(folder: Path, name: str) -> bytes:
    """A ZIP of a dataset folder under one subfolder, with fixed timestamps (same folder, same bytes)."""
    prefix = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "dataset"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(PurePosixPath(prefix, *path.relative_to(folder).parts)), ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Editing the sources of a loaded dataset
# ---------------------------------------------------------------------------------------------

def editable_folder(ds: Dataset, work: Path) -> Path:
    """A working copy of the loaded dataset's folder with a dataset.toml, whatever it was loaded from.

    A folder or a ZIP with dataset.toml is copied or unpacked; a dataset loaded from a single
    buurten file (or a zipped Shapefile) gets a folder with that file and a manifest naming it.

    Raises
    ------
    analysis.errors.DatasetError
        When the dataset's files are gone (the session's temporary folder was cleaned up).
    """
    from analysis.errors import DatasetError
    from analysis.findings import Finding
    from analysis.load.detect import _archive_helpers

    root = Path(ds.root) if ds.root is not None else None
    if root is None or not root.exists():
        raise DatasetError(Finding("fout", ds.name, "de bestanden van de geladen dataset zijn er niet meer",
                                   "laad de dataset opnieuw en voeg dan de bron toe"))
    work.mkdir(parents=True, exist_ok=True)
    if root.is_dir() and (root / MANIFEST_NAME).is_file():
        shutil.copytree(root, work, dirs_exist_ok=True)
        return work
    if root.suffix.lower() == ".zip":
        safe_members, extract = _archive_helpers()
        with zipfile.ZipFile(root) as archive:
            members = safe_members(archive, root.name)
            manifests = [m for m in members if PurePosixPath(m.filename).name == MANIFEST_NAME]
            if manifests:
                extract(archive, members, work, root.name)
                found = sorted(work.rglob(MANIFEST_NAME), key=lambda p: len(p.parts))
                return found[0].parent
    source = ds.sources.get("buurten", root.name)
    shutil.copyfile(root, work / Path(source).name)
    text = (f"# dataset.toml, opgesteld uit een los buurtenbestand\n[dataset]\nnaam = {quote(ds.name)}\n"
            f"jaar = {int(ds.year)}\n\n[bronnen]\nbuurten = {quote(Path(source).name)}\n")
    (work / MANIFEST_NAME).write_text(text, encoding="utf-8")
    return work


_SECTION = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\"-]+)\s*\]?\]\s*(#.*)?$")


def _blocks(lines: list[str]) -> list[tuple[int, int, str, bool]]:
    """(start, end, name, is_array) of every ``[table]`` or ``[[array]]`` header block of a manifest."""
    heads = [(i, m.group(2), bool(m.group(1))) for i, line in enumerate(lines) if (m := _SECTION.match(line))]
    return [(start, heads[n + 1][0] if n + 1 < len(heads) else len(lines), name, array)
            for n, (start, name, array) in enumerate(heads)]


def _entry_file(lines: list[str], start: int, end: int) -> str | None:
    for line in lines[start:end]:
        match = re.match(r"^\s*bestand\s*=\s*[\"'](.*)[\"']", line)
        if match:
            return match.group(1)
    return None


def set_source(text: str, source: str, file_name: str, component: str | None = None) -> str:
    """The manifest with one source set to ``file_name`` (added when absent); the rest kept as the user wrote it.

    Parameters
    ----------
    text : str
        The manifest text.
    source : str
        A ``[bronnen]`` key (``verenigingen``), ``voorzieningen:<file>`` or ``enquete_gebied:<file>`` to
        replace that entry's file, or ``voorzieningen`` to add a new facility file with ``component``.
    file_name : str
        The new file name.
    component : str, optional
        Component of a new facility file.
    """
    if source == "voorzieningen":
        return text.rstrip("\n") + f"\n\n[[voorzieningen]]\nbestand = {quote(file_name)}\ncomponent = {quote(component)}\n"
    lines = text.splitlines()
    if ":" in source:
        section, old = source.split(":", 1)
        for start, end, name, array in _blocks(lines):
            if array and name == section and _entry_file(lines, start, end) == old:
                for i in range(start, end):
                    if re.match(r"^\s*bestand\s*=", lines[i]):
                        lines[i] = f"bestand = {quote(file_name)}"
                return "\n".join(lines) + "\n"
        return text
    for start, end, name, array in _blocks(lines):
        if name == "bronnen" and not array:
            for i in range(start + 1, end):
                if re.match(rf"^\s*{re.escape(source)}\s*=", lines[i]):
                    lines[i] = f"{source} = {quote(file_name)}"
                    return "\n".join(lines) + "\n"
            lines.insert(start + 1, f"{source} = {quote(file_name)}")
            return "\n".join(lines) + "\n"
    return text.rstrip("\n") + f"\n\n[bronnen]\n{source} = {quote(file_name)}\n"


def remove_source(text: str, source: str) -> str:
    """The manifest without one source (a ``[bronnen]`` line, or a whole ``[[voorzieningen]]`` block)."""
    lines = text.splitlines()
    if ":" in source:
        section, old = source.split(":", 1)
        for start, end, name, array in _blocks(lines):
            if array and name == section and _entry_file(lines, start, end) == old:
                return "\n".join(lines[:start] + lines[end:]).rstrip("\n") + "\n"
        return text
    for start, end, name, array in _blocks(lines):
        if name == "bronnen" and not array:
            kept = [line for i, line in enumerate(lines) if not (start < i < end and re.match(rf"^\s*{re.escape(source)}\s*=", line))]
            return "\n".join(kept) + "\n"
    return text


__all__ = ["MANIFEST_NAME", "dataset_zip", "editable_folder", "manifest_text", "new_manifest", "quote", "remove_source",
           "set_source", "toml_key", "write_folder"]
