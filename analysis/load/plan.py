"""The import plan: which file is which source with which columns, proposed from the detections and checked by loading."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load import mapping
from analysis.load.detect import Detection, area_code_column
from analysis.load.spss import ScaleChoice
from analysis.model import Dataset

#: Kinds that are one file each (``[bronnen]`` keys), in manifest order.
SINGLE_KINDS: tuple[str, ...] = ("buurten", "wijken", "kerncijfers", "verenigingen", "banden", "enquete", "codeboek",
                                 "digitaal", "adressen", "wegen", "initiatieven", "notities", "plan", "maatregelen")
#: Kinds of which a dataset can have several files (``[[voorzieningen]]``, ``[[enquete_gebied]]``).
LIST_KINDS: tuple[str, ...] = ("voorzieningen", "enquete_gebied")
#: Kinds that are not a source of their own (a data dictionary serves a monitor).
HELPER_KINDS: tuple[str, ...] = ("woordenboek",)
#: File name of a codebook the assistant writes from an SPSS file and the user's scales.
GENERATED_CODEBOOK = "codeboek.toml"
#: File name of the draft codebook written when no scales were named yet (not used for loading).
DRAFT_CODEBOOK = "codeboek_concept.toml"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class OwnIndicator:
    """A monitor column loaded as the dataset's own indicator (``[eigen_indicatoren.<key>]``)."""

    key: str
    label: str
    unit: str
    definition: str = ""


@dataclass
class FilePlan:
    """What to do with one file.

    Attributes
    ----------
    detection : Detection
        The assistant's guess (with the table as read).
    kind : str
        The kind chosen (the guess, or the user's correction).
    name : str
        The file's name in the dataset folder.
    use : bool
        Whether it goes into the dataset.
    note : str
        Why it is not used, or what it serves (Dutch).
    year : int or None
        The year of the whole file (``jaar`` in its manifest block); None: its rows' own ``jaar``
        column, else the peiljaar.
    columns : dict
        Manifest column keys (``naamkolom``, ``codekolom`` ...) -> column.
    component : str or None
        Facilities: one component for the whole file.
    component_column : str or None
        Facilities: the column with the kind per row.
    component_values : dict
        Facilities, per row: value of ``component_column`` -> component (or :data:`mapping.SKIP`).
    component_reason : str
        Why the component was proposed.
    monitor : list of MonitorColumn
        Monitors: every figure column with its proposal.
    indicators : dict
        Monitors: column -> indicator key to load (built-in or own).
    own : dict
        Monitors: own indicator key -> its label and unit.
    scales : tuple of ScaleChoice
        SPSS surveys: the scales the user named (the codebook is written from them).
    """

    detection: Detection
    kind: str
    name: str
    use: bool = True
    note: str = ""
    year: int | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    component: str | None = None
    component_column: str | None = None
    component_values: dict[str, str | None] = field(default_factory=dict)
    component_reason: str = ""
    monitor: list[mapping.MonitorColumn] = field(default_factory=list)
    indicators: dict[str, str] = field(default_factory=dict)
    own: dict[str, OwnIndicator] = field(default_factory=dict)
    scales: tuple[ScaleChoice, ...] = ()

    @property
    def is_source(self) -> bool:
        """Whether the file goes into the manifest as a source."""
        return self.use and (self.kind in SINGLE_KINDS or self.kind in LIST_KINDS)


@dataclass
class ImportPlan:
    """The whole dataset as the assistant proposes it.

    Attributes
    ----------
    name : str
        ``[dataset] naam``.
    year : int
        ``[dataset] jaar`` (peiljaar).
    gemeente : str or None
        ``[dataset] gemeente`` (GM code).
    files : list of FilePlan
        Every file dropped, in order.
    year_reason : str
        Why this peiljaar (Dutch).
    complete : Path or None
        A complete dataset (ZIP or folder with dataset.toml) among the files: loaded as it is.
    """

    name: str
    year: int
    gemeente: str | None
    files: list[FilePlan]
    year_reason: str = ""
    complete: Path | None = None

    def signature(self) -> str:
        """A hash of every choice (for caching the check of this plan)."""
        state: list[Any] = [self.name, self.year, self.gemeente, str(self.complete)]
        for f in self.files:
            state.append([str(f.detection.path), f.detection.sheet, f.kind, f.name, f.use, f.year, sorted(f.columns.items(), key=str),
                          f.component, f.component_column, sorted(f.component_values.items(), key=str),
                          sorted(f.indicators.items()), sorted((k, vars(v)) for k, v in f.own.items()),
                          [vars(s) for s in f.scales]])
        return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:16]

    def file(self, name: str) -> FilePlan | None:
        """The plan of the file called ``name`` (or ``name (blad X)`` for one sheet of a workbook)."""
        return next((f for f in self.files if name in (f.name, f.detection.name, f.detection.shown_name)), None)


# ---------------------------------------------------------------------------------------------
# Proposing
# ---------------------------------------------------------------------------------------------

def safe_file_name(name: str, taken: set[str]) -> str:
    """A file name fit for a dataset folder (letters, digits, ``._-``), unique among ``taken``."""
    path = Path(name)
    stem = _SAFE.sub("_", path.stem).strip("._") or "bestand"
    suffix = _SAFE.sub("", path.suffix.lower())
    candidate, number = f"{stem[:100]}{suffix}", 2
    while candidate.lower() in taken:
        candidate, number = f"{stem[:100]}_{number}{suffix}", number + 1
    taken.add(candidate.lower())
    return candidate


def _most_common(values: pd.Series) -> str | None:
    values = values.dropna().astype(str).str.strip()
    values = values[values != ""]
    return str(values.mode().iloc[0]) if len(values) else None


def _head(files: list[FilePlan]) -> tuple[str, int, str, str | None]:
    """Name, peiljaar, why that year, and gemeente code, from the buurten file (else the other files)."""
    from analysis.load.areas import AREA_ALIASES
    from analysis.load.files import find_column

    buurten = next((f for f in files if f.kind == "buurten" and f.use), None)
    name, gemeente = "Eigen gemeente", None
    if buurten is not None and buurten.detection.frame is not None:
        frame = buurten.detection.frame
        column = find_column(frame, AREA_ALIASES["gemeentenaam"])
        code = find_column(frame, AREA_ALIASES["gemeentecode"])
        name = (_most_common(frame[column]) if column else None) or Path(buurten.name).stem
        gemeente = _most_common(frame[code]) if code else None
        if gemeente is None:
            buurt = area_code_column(frame, "BU")
            first = _most_common(frame[buurt]) if buurt else None
            gemeente = f"GM{first[2:6]}" if first else None
        if buurten.detection.year:
            return name, buurten.detection.year, f"uit de naam van het buurtenbestand {buurten.name}", gemeente
    years = Counter(f.detection.year for f in files if f.use and f.detection.year)
    if years:
        year = years.most_common(1)[0][0]
        return name, year, "het jaar dat het vaakst in de bestandsnamen staat", gemeente
    today = _dt.date.today().year
    return name, today, "geen jaar gevonden in de bestanden: het huidige jaar (pas het aan)", gemeente


def _resolve_wijken(files: list[FilePlan], year: int) -> None:
    """Keep the wijken file of the buurten's year (or the nearest); the others are not used, with the reason."""
    wijken = [f for f in files if f.kind == "wijken" and f.use]
    if len(wijken) < 2:
        return
    keep = min(wijken, key=lambda f: (abs((f.detection.year or year) - year), wijken.index(f)))
    for other in wijken:
        if other is keep:
            continue
        other.use = False
        other.note = (f"niet gebruikt: wijken van {other.detection.year or 'een ander jaar'}, terwijl de buurten van "
                      f"{year} zijn. Wijkgrenzen van een ander jaar passen niet precies op deze buurten (het CBS past "
                      f"grenzen aan); de wijken van {keep.detection.year or year} ({keep.name}) worden gebruikt. "
                      "Wilt u met de nieuwe grenzen werken, laad dan de buurten van dat jaar")


def _resolve_singles(files: list[FilePlan]) -> None:
    """One file per single source: the first is used, a second of the same kind is reported."""
    seen: dict[str, str] = {}
    for f in files:
        if not f.use or f.kind not in SINGLE_KINDS or f.kind == "wijken":  # wijken: by year, see _resolve_wijken
            continue
        if f.kind in seen:
            f.use = False
            f.note = f"niet gebruikt: er is al een bestand voor {f.kind} ({seen[f.kind]}); kies er één"
        else:
            seen[f.kind] = f.name


def fill_kind(plan_file: FilePlan, dictionary: dict[str, mapping.DictionaryEntry]) -> None:
    """Fill the proposals that belong to the file's (chosen) kind: columns, component, monitor matches."""
    frame = plan_file.detection.frame
    if frame is None:
        return
    plan_file.columns = mapping.propose_columns(frame, plan_file.kind)
    if plan_file.kind == "voorzieningen":
        proposal = mapping.propose_components(frame, plan_file.detection.name)
        plan_file.component = proposal.component
        plan_file.component_column = proposal.column if proposal.per_row else None
        plan_file.component_values = dict(proposal.values) if proposal.per_row else {}
        plan_file.component_reason = proposal.reason
        if proposal.column and not plan_file.columns.get("soortkolom"):
            plan_file.columns["soortkolom"] = proposal.column
    elif plan_file.kind == "enquete_gebied":
        code = plan_file.columns.get("codekolom")
        plan_file.monitor = mapping.match_monitor(frame, code, dictionary)
        plan_file.indicators = {m.column: m.key for m in plan_file.monitor if m.key}
        if not plan_file.indicators and plan_file.use:
            plan_file.use = False
            plan_file.note = ("niet gebruikt: geen kolom herkend als enquête-uitkomst; kies zelf kolommen om ze als "
                              "eigen indicatoren te laden")


def propose_plan(detections: list[Detection], keep_names: bool = False) -> ImportPlan:
    """The assistant's proposal for a set of detected files.

    Parameters
    ----------
    detections : list of Detection
        Every file dropped (a folder's ZIP already unpacked, see :func:`detect.detect_files`).
    keep_names : bool
        Keep the files' own names (for a manifest written next to them); otherwise each gets a safe,
        unique name for the dataset folder.

    Returns
    -------
    ImportPlan
        One buurten file, the wijken of the buurten's year (others reported as not used), every
        facility file with its component, every monitor with its indicators matched through a data
        dictionary when one is among the files; name, peiljaar and gemeente from the buurten.
    """
    taken: set[str] = set()
    names: dict[Path, str] = {}  # one name per file, also for the sheets of one workbook
    for d in detections:
        names.setdefault(d.path, d.name if keep_names else safe_file_name(d.name, taken))
    files = [FilePlan(d, d.kind, names[d.path], use=d.kind not in ("onbekend", "dataset")) for d in detections]
    complete = next((f.detection.path for f in files if f.kind == "dataset"), None)
    dictionary: dict[str, mapping.DictionaryEntry] = {}
    for f in files:
        if f.kind == "woordenboek" and f.detection.frame is not None:
            dictionary.update(mapping.read_dictionary(f.detection.frame))
            f.use = False
            f.note = "woordenboek: gebruikt voor de labels en eenheden van de monitor"
        elif f.kind == "onbekend":
            f.note = "; ".join(f.detection.reasons) or "niet herkend"
    _resolve_singles(files)
    name, year, reason, gemeente = _head(files)
    _resolve_wijken(files, year)
    for f in files:
        fill_kind(f, dictionary)
    if complete is not None:
        for f in files:
            if f.kind != "dataset":
                f.use = False
                f.note = "niet gebruikt: er is een complete dataset (met dataset.toml); voeg dit bestand daarna toe"
    return ImportPlan(name, year, gemeente, files, reason, complete)


def dictionary_of(plan: ImportPlan) -> dict[str, mapping.DictionaryEntry]:
    """The data dictionaries among the plan's files, merged."""
    out: dict[str, mapping.DictionaryEntry] = {}
    for f in plan.files:
        if f.kind == "woordenboek" and f.detection.frame is not None:
            out.update(mapping.read_dictionary(f.detection.frame))
    return out


def set_kind(plan: ImportPlan, name: str, kind: str) -> None:
    """Change the kind of one file (the user's correction) and propose its columns anew."""
    target = plan.file(name)
    if target is None or target.kind == kind:
        return
    target.kind = kind
    target.use = kind not in ("onbekend", "dataset", *HELPER_KINDS)
    target.note = "" if target.use else target.note
    target.indicators, target.own, target.component_values = {}, {}, {}
    target.component = target.component_column = None
    fill_kind(target, dictionary_of(plan))


# ---------------------------------------------------------------------------------------------
# Checking: build the folder and load it
# ---------------------------------------------------------------------------------------------

@dataclass
class PlanCheck:
    """The outcome of loading a plan.

    Attributes
    ----------
    usable : bool
        True when the dataset loaded without a ``fout``.
    dataset : Dataset or None
        The loaded dataset (None when unusable).
    per_file : dict
        File name -> its findings.
    general : list of Finding
        Findings about the dataset as a whole (the manifest, missing sources).
    folder : Path or None
        The dataset folder written for the plan (its ZIP is the download).
    """

    usable: bool
    dataset: Dataset | None
    per_file: dict[str, list[Finding]]
    general: list[Finding]
    folder: Path | None


def _owner(finding: Finding, plan: ImportPlan, names: dict[str, str]) -> str | None:
    """The file a finding is about: its own file, or the manifest entry (``bronnen.wijken``) naming one."""
    if finding.file in names:
        return names[finding.file]
    column = finding.column or ""
    for f in plan.files:
        if f.is_source and (column == f"bronnen.{f.kind}" or column.endswith(f".{f.name}") or f"'{f.name}'" in finding.problem
                            or f" {f.name}" in finding.problem):
            return f.name
    return None


def plan_problems(plan: ImportPlan) -> Findings:
    """What makes a plan unusable before anything is read: no buurten, a facility file without component."""
    findings = Findings()
    if plan.complete is None and not any(f.use and f.kind == "buurten" for f in plan.files):
        findings.error("dataset", "er is geen buurtenbestand: dat is de enige verplichte bron",
                       "voeg de buurten van de CBS wijk- en buurtkaart toe (GeoJSON, GeoPackage of gezipte Shapefile), "
                       "of zet bij een bestand 'Wat is dit?' op CBS-buurten")
    first: dict[str, str] = {}
    for f in plan.files:
        if f.is_source and f.kind in SINGLE_KINDS:
            if f.kind in first:
                findings.error(f.name, f"er is al een bestand voor {f.kind} ({first[f.kind]}); een dataset heeft er één",
                               "zet 'Meenemen' uit bij een van de twee, of kies bij dit bestand een andere soort")
            first.setdefault(f.kind, f.name)
        if f.use and f.kind == "voorzieningen" and not f.component and not f.component_column:
            findings.error(f.name, "er is geen component gekozen voor deze voorzieningen",
                           "kies één component voor het hele bestand, of een kolom met het soort per rij")
        if f.use and f.kind == "enquete_gebied" and not f.indicators:
            findings.error(f.name, "er is geen kolom gekozen om als indicator te laden",
                           "vink bij deze monitor minstens één kolom aan, of zet het bestand op 'Niet gebruiken'")
        if f.use and f.kind == "enquete_gebied" and not f.columns.get("codekolom"):
            findings.error(f.name, "er is geen kolom met gebiedscodes gekozen", "kies de kolom met de buurt- of wijkcodes")
    return findings


def check_plan(plan: ImportPlan, work: Path) -> PlanCheck:
    """Write the plan's dataset folder under ``work`` and load it; findings per file.

    Never raises: a plan that cannot be loaded gives ``usable = False`` with Dutch findings.
    """
    from analysis.load import writer
    from analysis.load.dataset import load_dataset

    problems = plan_problems(plan)
    names = {f.name: f.name for f in plan.files} | {f.detection.name: f.name for f in plan.files}
    findings = Findings(list(problems))
    dataset, folder = None, None
    if not problems.has_errors:
        folder = work / f"dataset-{plan.signature()}"
        if folder.exists():
            shutil.rmtree(folder)
        try:
            source = plan.complete if plan.complete is not None else writer.write_folder(plan, folder)
            dataset = load_dataset(source, findings)
        except DatasetError as error:
            findings.extend(f for f in error.findings if f not in findings.items)
        except Exception as exc:  # never a traceback: the cause in a Dutch finding
            findings.error("dataset", f"de gegevens konden niet worden geladen ({type(exc).__name__}: {str(exc)[:200]})",
                           "controleer de keuzes hierboven; blijft de fout, meld haar dan met dit bericht")
    per_file: dict[str, list[Finding]] = {f.name: [] for f in plan.files}
    general: list[Finding] = []
    for finding in dict.fromkeys(findings.items):
        owner = _owner(finding, plan, names)
        per_file.get(owner or "", general).append(finding)
    usable = dataset is not None and not findings.has_errors
    return PlanCheck(usable, dataset if usable else None, per_file, general, folder)


__all__ = ["DRAFT_CODEBOOK", "GENERATED_CODEBOOK", "LIST_KINDS", "SINGLE_KINDS", "FilePlan", "ImportPlan",
           "OwnIndicator", "PlanCheck", "check_plan", "fill_kind", "plan_problems", "propose_plan", "safe_file_name",
           "set_kind"]
