"""The dataset.toml manifest: reading it, checking every key, and resolving the file names it gives."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import read_toml
from analysis.load.sources import LIST_SECTIONS, SOURCE_KEYS, SOURCES_BY_KEY
from analysis.model import GEMEENTE_CODE_PATTERN

#: File name of the manifest in a dataset folder.
MANIFEST_NAME = "dataset.toml"
#: Keys of ``[dataset]``.
DATASET_KEYS = frozenset({"naam", "jaar", "gemeente", "fictief", "beschrijving", "bron", "licentie"})
#: Top-level parts of the manifest.
TOP_KEYS = frozenset({"dataset", "bronnen", *LIST_SECTIONS, "licenties", "eigen_indicatoren"})
#: Plausible measurement years (the manifest's ``jaar``).
YEAR_RANGE: tuple[int, int] = (1900, 2100)
_GEMEENTE_CODE = re.compile(GEMEENTE_CODE_PATTERN)
_TOML_FIX = "tekst tussen aanhalingstekens, een = tussen naam en waarde, [[voorzieningen]] met dubbele haken"


def plain_year(value: Any) -> bool:
    """True for an int (not a bool) within :data:`YEAR_RANGE`."""
    return isinstance(value, int) and not isinstance(value, bool) and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]


def _check_entry(entry: dict[str, Any], number: int, section: str, allowed: frozenset[str],
                 findings: Findings) -> dict[str, Any] | None:
    """One ``[[section]]`` block checked: ``bestand`` required, unknown keys warned about, ``jaar`` a year."""
    label = f"{section}[{number}]"
    value = entry.get("bestand")
    if not isinstance(value, str) or not value.strip():
        findings.error(MANIFEST_NAME, f"blok {number} van [[{section}]] heeft geen bestand",
                       f"zet onder [[{section}]] bijvoorbeeld bestand = \"bestand.csv\"", column=label)
        return None
    for key in sorted(set(entry) - allowed):
        findings.warning(MANIFEST_NAME, f"onbekende sleutel '{key}' in blok {number} van [[{section}]] wordt genegeerd",
                         f"gebruik alleen {', '.join(sorted(allowed))}", column=f"{label}.{key}")
    if "jaar" in entry and not plain_year(entry["jaar"]):
        findings.error(MANIFEST_NAME, f"jaar = {entry['jaar']!r} in blok {number} van [[{section}]] is geen jaartal",
                       "schrijf het jaar als getal met vier cijfers, zoals jaar = 2024", column=f"{label}.jaar")
        return None
    return {k: v for k, v in entry.items() if k in allowed}


def check_entries(raw: Any, section: str, allowed: frozenset[str], findings: Findings) -> list[dict[str, Any]]:
    """Validate a ``[[section]]`` array of tables: each needs ``bestand``; unknown keys are warned about.

    Parameters
    ----------
    raw : Any
        The parsed value of the section (a list of tables, one table, or None).
    section : str
        Its name (``voorzieningen``, ``enquete_gebied``).
    allowed : frozenset of str
        The keys a block may have.
    findings : Findings
        Receives the errors and warnings.

    Returns
    -------
    list of dict
        The usable blocks, with only the allowed keys.
    """
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        findings.error(MANIFEST_NAME, f"'{section}' is geen lijst van tabellen",
                       f"schrijf elk bestand als een eigen blok [[{section}]] met daaronder bestand = \"...\"",
                       column=section)
        return []
    checked = (_check_entry(entry, number, section, allowed, findings) for number, entry in enumerate(raw, start=1))
    return [entry for entry in checked if entry is not None]


def _manifest_file(path: Path) -> Path:
    """The manifest itself, given the manifest or its folder."""
    if not path.is_dir():
        return path
    manifest = path / MANIFEST_NAME
    if not manifest.is_file():
        others = sorted(p.name for p in path.glob("*.toml"))
        hint = f" (wel: {', '.join(others[:5])})" if others else ""
        raise DatasetError(Finding("fout", MANIFEST_NAME, f"de map {path.name} bevat geen dataset.toml{hint}",
                                   "zet een dataset.toml in de map; zie data/templates voor een voorbeeld"))
    return manifest


def _read_gemeente(head: dict[str, Any], findings: Findings) -> str | None:
    """``[dataset] gemeente`` as an upper-case GM code, or None (with an error when malformed)."""
    gemeente = head.get("gemeente")
    if gemeente is None:
        return None
    if not isinstance(gemeente, str) or not _GEMEENTE_CODE.fullmatch(gemeente.strip().upper()):
        findings.error(MANIFEST_NAME, f"gemeente = {gemeente!r} is geen gemeentecode",
                       "schrijf de CBS-gemeentecode: GM gevolgd door 4 cijfers, zoals gemeente = \"GM0193\"",
                       column="dataset.gemeente")
        return None
    return gemeente.strip().upper()


def _read_head(raw: dict[str, Any], folder_name: str, findings: Findings) -> dict[str, Any]:
    """The checked ``[dataset]`` part: naam, jaar, gemeente, fictief."""
    head = raw.get("dataset")
    if not isinstance(head, dict):
        findings.error(MANIFEST_NAME, "het onderdeel [dataset] ontbreekt",
                       "begin het bestand met [dataset] en daaronder naam = \"...\" en jaar = 2025", column="dataset")
        head = {}
    for key in sorted(set(head) - DATASET_KEYS):
        findings.warning(MANIFEST_NAME, f"onbekende sleutel '{key}' onder [dataset] wordt genegeerd",
                         f"gebruik alleen {', '.join(sorted(DATASET_KEYS))}", column=f"dataset.{key}")
    name = head.get("naam")
    if not isinstance(name, str) or not name.strip():
        name = folder_name or "Dataset"
        if head:
            findings.warning(MANIFEST_NAME, f"[dataset] heeft geen naam; de mapnaam '{name}' wordt gebruikt",
                             "zet onder [dataset] naam = \"...\"", column="dataset.naam")
    year = head.get("jaar")
    if head and not plain_year(year):
        problem = "[dataset] heeft geen jaar (peiljaar)" if year is None else f"jaar = {year!r} onder [dataset] is geen jaartal"
        findings.error(MANIFEST_NAME, problem, "zet onder [dataset] het peiljaar als getal, zoals jaar = 2025",
                       column="dataset.jaar")
    fictional = head.get("fictief", False)
    if not isinstance(fictional, bool):
        findings.warning(MANIFEST_NAME, f"fictief = {fictional!r} is geen true of false; gelezen als false",
                         "schrijf fictief = true of fictief = false", column="dataset.fictief")
        fictional = False
    return {"naam": name.strip(), "jaar": year, "gemeente": _read_gemeente(head, findings), "fictief": fictional,
            "licentie": head.get("licentie")}


def _read_source(key: str, value: Any, findings: Findings) -> tuple[str, dict[str, Any]] | None:
    """One ``[bronnen]`` entry: a file name, or an inline table ``{ bestand = "...", blad = "..." }``."""
    if key in LIST_SECTIONS:
        findings.error(MANIFEST_NAME, f"'{key}' hoort niet onder [bronnen]",
                       f"zet elk bestand in een eigen blok [[{key}]] met bestand = \"...\"", column=f"bronnen.{key}")
        return None
    if key not in SOURCE_KEYS:
        close = difflib.get_close_matches(str(key), SOURCE_KEYS, n=1)
        findings.warning(MANIFEST_NAME, f"onbekende bron '{key}' onder [bronnen] wordt genegeerd"
                         + (f" (bedoelt u '{close[0]}'?)" if close else ""),
                         f"gebruik {', '.join(SOURCE_KEYS)}", column=f"bronnen.{key}")
        return None
    options: dict[str, Any] = {}
    if isinstance(value, dict):
        allowed = SOURCES_BY_KEY[key].options
        for option in sorted(set(value) - allowed):
            findings.warning(MANIFEST_NAME, f"onbekende sleutel '{option}' bij bron '{key}' wordt genegeerd",
                             f"gebruik alleen {', '.join(sorted(allowed))}", column=f"bronnen.{key}.{option}")
        options = {k: v for k, v in value.items() if k in allowed and k != "bestand"}
        value = value.get("bestand")
    if not isinstance(value, str) or not value.strip():
        findings.error(MANIFEST_NAME, f"bron '{key}' is geen bestandsnaam",
                       f"schrijf {key} = \"bestand.csv\" (tussen aanhalingstekens)", column=f"bronnen.{key}")
        return None
    return value.strip(), options


def _read_sources(raw: dict[str, Any], findings: Findings) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The checked ``[bronnen]``: key -> file name, and key -> options (such as ``blad``)."""
    sources_raw = raw.get("bronnen", {})
    if not isinstance(sources_raw, dict):
        findings.error(MANIFEST_NAME, "[bronnen] is geen tabel", "schrijf [bronnen] met daaronder buurten = \"buurten.geojson\"",
                       column="bronnen")
        sources_raw = {}
    sources: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for key, value in sources_raw.items():
        read = _read_source(str(key), value, findings)
        if read is not None:
            sources[key], options[key] = read
    if "buurten" not in sources and not any(f.column == "bronnen.buurten" for f in findings):
        findings.error(MANIFEST_NAME, "[bronnen] noemt geen buurtenbestand; dat is de enige verplichte bron",
                       "zet onder [bronnen] buurten = \"buurten.geojson\" (de buurten van de CBS wijk- en buurtkaart)",
                       column="bronnen.buurten")
    return sources, {k: v for k, v in options.items() if v}


def read_manifest(path: Path | str, findings: Findings | None = None) -> dict[str, Any]:
    """Read and check a ``dataset.toml`` manifest.

    Parameters
    ----------
    path : path-like
        The manifest itself, or the dataset folder holding it.
    findings : Findings, optional
        Receives warnings (unknown keys, defaults used); created when omitted.

    Returns
    -------
    dict
        ``{"dataset": {naam, jaar, gemeente, fictief}, "bronnen": {key: file},
        "opties": {key: {option: value}}, "voorzieningen": [entry, ...], "enquete_gebied": [entry, ...],
        "licenties": {key: text}}``. ``gemeente`` is None when not given; ``fictief`` is a bool
        (default False); ``opties`` holds the options of sources written as an inline table.

    Raises
    ------
    DatasetError
        When the manifest is missing, not valid TOML, or lacks ``[dataset]`` ``jaar`` or
        ``[bronnen]`` ``buurten``, or has values of the wrong type.
    """
    findings = findings if findings is not None else Findings()
    path = _manifest_file(Path(path))
    raw = read_toml(path, MANIFEST_NAME, _TOML_FIX)
    local = Findings()
    for key in sorted(set(raw) - TOP_KEYS):
        local.warning(MANIFEST_NAME, f"onbekend onderdeel '{key}' wordt genegeerd",
                      f"gebruik alleen {', '.join(sorted(TOP_KEYS))}", column=str(key))
    head = _read_head(raw, path.parent.name, local)
    sources, options = _read_sources(raw, local)
    lists = {section: check_entries(raw.get(section), section, SOURCES_BY_KEY[section].options, local)
             for section in LIST_SECTIONS}
    licences_raw = raw.get("licenties", {})
    licences = {str(k): str(v) for k, v in licences_raw.items()} if isinstance(licences_raw, dict) else {}
    licence = head.pop("licentie")
    if isinstance(licence, str):
        licences.setdefault("dataset", licence)
    from analysis.load.mapping import own_indicators  # [eigen_indicatoren.<key>], written by the import assistant

    own = own_indicators(raw.get("eigen_indicatoren"), local)
    findings.extend(local)
    if local.has_errors:
        raise DatasetError(local.errors)
    head["jaar"] = int(head["jaar"])
    return {"dataset": head, "bronnen": sources, "opties": options, **lists, "licenties": licences,
            "eigen_indicatoren": own}


def resolve(root: Path, name: str, key: str, findings: Findings, inside_only: bool) -> Path | None:
    """The path of a file name from the manifest, or None with a finding.

    Parameters
    ----------
    root : Path
        The dataset folder.
    name : str
        The file name as the manifest gives it.
    key : str
        Where the manifest names it (``bronnen.verenigingen``), the column of the finding.
    findings : Findings
        Receives an error when the file does not exist (with the closest name present) or,
        with ``inside_only``, lies outside the folder.
    inside_only : bool
        Refuse names that leave ``root`` (for unpacked ZIP files).

    Returns
    -------
    Path or None
    """
    path = root / name
    if inside_only:
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            findings.error(MANIFEST_NAME, f"bron '{key}' verwijst naar '{name}', buiten de datasetmap",
                           "zet het bestand in de datasetmap en noem alleen de bestandsnaam", column=key)
            return None
    if path.is_file():
        return path
    present = sorted(p.name for p in root.iterdir() if p.is_file()) if root.is_dir() else []
    close = difflib.get_close_matches(Path(name).name, present, n=1, cutoff=0.6)
    hint = f" (er staat wel '{close[0]}': is dat het bedoelde bestand?)" if close else ""
    findings.error(MANIFEST_NAME, f"het bestand '{name}' staat niet in de datasetmap{hint}",
                   f"zet {name} in de map naast dataset.toml, of verbeter de naam in dataset.toml", column=key)
    return None


def single_file_manifest(name: str, year: int, file: str) -> dict[str, Any]:
    """The manifest of a dataset made of one buurten file (no dataset.toml)."""
    return {"dataset": {"naam": name, "jaar": year, "gemeente": None, "fictief": False},
            "bronnen": {"buurten": file}, "opties": {}, **{section: [] for section in LIST_SECTIONS},
            "licenties": {}}
