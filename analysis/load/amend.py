"""Adding, replacing, removing or checking one source of a loaded dataset, whatever it was loaded from."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load import writer
from analysis.load.detect import KIND_LABELS
from analysis.load.plan import SINGLE_KINDS, safe_file_name
from analysis.model import Dataset

#: Choice key of a new facility file (``[[voorzieningen]]`` added with one component).
NEW_FACILITIES = "voorzieningen"
#: Sources that cannot be removed (the areas are the dataset).
REQUIRED = frozenset({"buurten"})


@dataclass
class AmendResult:
    """The outcome of changing one source.

    Attributes
    ----------
    usable : bool
        The changed dataset loaded without a ``fout``.
    dataset : Dataset or None
        The changed dataset (None when unusable: keep the one loaded).
    file_findings : list of Finding
        The findings about the new file (or the source removed).
    findings : list of Finding
        Every finding of the changed dataset.
    """

    usable: bool
    dataset: Dataset | None
    file_findings: list[Finding]
    findings: list[Finding]


def source_choices(ds: Dataset) -> dict[str, str]:
    """Choice key -> Dutch label: every single source, every facility and monitor file, and a new facility file."""
    choices = {kind: KIND_LABELS[kind] for kind in SINGLE_KINDS}
    for key, name in ds.sources.items():
        section = str(key).split(":", 1)[0]
        if section == "voorzieningen" and ":" in str(key):
            choices[str(key)] = f"Voorzieningen: {name}"
        elif section == "enquete_gebied" and ":" in str(key):
            choices[str(key)] = f"Gebiedsmonitor: {name}"
    choices[NEW_FACILITIES] = "Een extra voorzieningenbestand"
    return choices


def present(ds: Dataset, source: str) -> bool:
    """Whether the dataset has this source now (so it can be removed)."""
    return source in ds.sources and source not in REQUIRED


def _about(finding: Finding, name: str, source: str) -> bool:
    column = finding.column or ""
    return finding.file == name or column in (f"bronnen.{source}", f"{source}.{name}") or f"'{name}'" in finding.problem \
        or (finding.file == writer.MANIFEST_NAME and name in finding.problem)


def amend(ds: Dataset, source: str, work: Path, upload: Path | None = None, upload_name: str | None = None,
          component: str | None = None, remove: bool = False) -> AmendResult:
    """Load the dataset with one source replaced, added or removed; the loaded dataset itself is never changed.

    Parameters
    ----------
    ds : Dataset
        The dataset loaded now (from a folder, a ZIP, a single buurten file or the demo).
    source : str
        A key of :func:`source_choices`.
    work : Path
        An empty folder for the working copy.
    upload : Path, optional
        The new file (not needed to remove).
    upload_name : str, optional
        Its name as the user knows it.
    component : str, optional
        The component of a new facility file.
    remove : bool
        Remove the source instead.

    Returns
    -------
    AmendResult
        Never raises: a change that makes the dataset unusable gives ``usable = False`` and findings.
    """
    findings = Findings()
    shown_name = upload_name or (upload.name if upload else ds.sources.get(source, source))
    name = shown_name
    try:
        folder = writer.editable_folder(ds, work)
        manifest = folder / writer.MANIFEST_NAME
        text = manifest.read_text(encoding="utf-8")
        if remove:
            if source in REQUIRED:
                raise DatasetError(Finding("fout", shown_name, "de buurten kunnen niet weg: zonder buurten is er geen dataset",
                                           "vervang het buurtenbestand door een ander"))
            text = writer.remove_source(text, source)
        else:
            if upload is None:
                raise DatasetError(Finding("fout", source, "er is geen bestand gekozen", "kies eerst een bestand"))
            name = safe_file_name(f"nieuw_{upload_name or upload.name}", {p.name.lower() for p in folder.iterdir()})
            shutil.copyfile(upload, folder / name)
            if source == NEW_FACILITIES and not component:
                raise DatasetError(Finding("fout", shown_name, "er is geen component gekozen voor dit voorzieningenbestand",
                                           "kies de component van de voorzieningen in dit bestand"))
            text = writer.set_source(text, source, name, component)
        manifest.write_text(text, encoding="utf-8")
        from analysis.load.dataset import load_dataset

        changed = load_dataset(folder, findings)
    except DatasetError as error:
        findings.extend(f for f in error.findings if f not in findings.items)
        changed = None
    except Exception as exc:  # never a traceback for the user
        findings.error(shown_name, f"de dataset kon niet worden aangepast ({type(exc).__name__}: {str(exc)[:200]})",
                       "controleer het bestand; blijft de fout, meld haar dan met dit bericht")
        changed = None
    key = source.split(":", 1)[0]
    about = [_about(f, name if not remove else shown_name, key) for f in dict.fromkeys(findings.items)]
    # Every finding names the file the user uploaded, never the working copy's name (nieuw_<name>).
    items = [_as_uploaded(f, name, shown_name) for f in dict.fromkeys(findings.items)]
    mine = [f for f, is_about in zip(items, about, strict=True) if is_about]
    usable = changed is not None and not findings.has_errors
    return AmendResult(usable, changed if usable else None, mine, list(dict.fromkeys(items)))


def _as_uploaded(finding: Finding, name: str, shown_name: str) -> Finding:
    """The finding with the working copy's file name replaced by the name the user knows."""
    if name == shown_name:
        return finding
    return Finding(finding.level, shown_name if finding.file == name else finding.file,
                   finding.problem.replace(name, shown_name), finding.fix.replace(name, shown_name),
                   finding.row, finding.column)


__all__ = ["NEW_FACILITIES", "AmendResult", "amend", "present", "source_choices"]
