"""What kind of input a file is (CBS areas, facilities, a monitor, ...) and why: the import assistant's first guess."""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load import associations as associations_mod
from analysis.load import digital as digital_mod
from analysis.load import files as wio
from analysis.load.areas import AREA_ALIASES

#: The kinds of input the assistant knows, with their Dutch names (in the order the page offers them).
KIND_LABELS: dict[str, str] = {
    "buurten": "CBS-buurten (kaart)",
    "wijken": "CBS-wijken (kaart)",
    "kerncijfers": "Kerncijfers per gebied (tabel, per jaar)",
    "voorzieningen": "Voorzieningen (plekken)",
    "verenigingen": "Verenigingen",
    "banden": "Banden tussen verenigingen",
    "enquete": "Enquête: antwoorden per respondent",
    "codeboek": "Codeboek van de enquête",
    "enquete_gebied": "Gebiedsmonitor: uitkomsten per gebied",
    "woordenboek": "Variabelenlijst (woordenboek) van een monitor",
    "digitaal": "Gebruik van digitale platforms",
    "adressen": "Adressen (woonadressen als punten)",
    "wegen": "Wegennet (straten en paden)",
    "initiatieven": "Bewonersinitiatieven en informele netwerken",
    "notities": "Notities (wat bewoners en professionals zeggen)",
    "plan": "Wijkplan: doelen per gebied en indicator",
    "maatregelen": "Maatregelen van het wijkplan",
    "dataset": "Complete dataset met dataset.toml",
    "onbekend": "Niet gebruiken",
}
#: Kinds a file can be set to by the user (a complete dataset is only recognised, never chosen).
CHOOSABLE_KINDS: tuple[str, ...] = tuple(k for k in KIND_LABELS if k != "dataset")

#: Every extension the assistant accepts (the upload boxes accept exactly these).
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
GEO_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg")
SPSS_SUFFIXES: tuple[str, ...] = (".sav", ".zsav")
ACCEPTED_SUFFIXES: tuple[str, ...] = TABLE_SUFFIXES + GEO_SUFFIXES + SPSS_SUFFIXES + (".zip", ".toml")

#: Share of a column's filled values that must look like area codes for it to be the code column.
CODE_SHARE_MIN = 0.8
#: How many filled cells of a column are looked at to recognise its content.
SAMPLE_ROWS = 500
#: A point file without a name column and at least this many rows is an address file.
ADDRESS_MIN_ROWS = 1000
#: Column-name fragments that mark CBS-style kerncijfers (population, households, dwellings, income, area).
KERNCIJFER_WORDS: tuple[str, ...] = ("inwoner", "bevolking", "huishoud", "woning", "woonruimte", "inkomen",
                                     "oppervlakte", "leeftijd", "mannen", "vrouwen", "stedelijkheid")
#: Column names of a data dictionary (the variable list of a monitor): the variable and its description.
DICTIONARY_NAME_COLUMNS: tuple[str, ...] = ("onderwerpcode", "variabele", "variabelenaam", "variable", "kolom",
                                            "kolomnaam", "code", "indicator", "naam")
DICTIONARY_TEXT_COLUMNS: tuple[str, ...] = ("beschrijving", "omschrijving", "definitie", "label", "toelichting",
                                            "description", "vraag")
NAME_COLUMNS: tuple[str, ...] = ("naam", "name", "vestigingsnaam", "naam locatie", "locatienaam",
                                 "instellingsnaam", "organisatie", "omschrijving", "titel")

_AREA_CODE = re.compile(r"^(BU|WK|GM)[0-9A-Z]{4,8}$")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class Detection:
    """The assistant's guess about one file.

    Attributes
    ----------
    path : Path
        Where the file is (a working copy).
    name : str
        The file name as the user knows it.
    kind : str
        One of :data:`KIND_LABELS`.
    reasons : list of str
        Why, in Dutch (which columns or values were recognised).
    rows : int
        Number of rows or objects (0 when unreadable).
    geometry : str or None
        ``'vlakken'``, ``'punten'`` or ``'lijnen'`` for geodata.
    year : int or None
        A year the name or the content points to.
    years_in_file : list of int
        The distinct values of a ``jaar`` column, when the file has one.
    findings : Findings
        What went wrong reading it (a ``fout`` when unreadable).
    frame : pandas.DataFrame or None
        The table as read (geodata in EPSG:28992), for the mapping proposals and the preview.
    sheet : str or None
        The Excel sheet (``blad``) when the workbook has more than one.
    """

    path: Path
    name: str
    kind: str
    reasons: list[str] = field(default_factory=list)
    rows: int = 0
    geometry: str | None = None
    year: int | None = None
    years_in_file: list[int] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    frame: pd.DataFrame | None = field(default=None, repr=False)
    sheet: str | None = None

    @property
    def shown_name(self) -> str:
        """The file name, with the sheet for a workbook of several sheets."""
        return f"{self.name} (blad {self.sheet})" if self.sheet else self.name

    @property
    def label(self) -> str:
        """The Dutch name of the kind."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def why(self) -> str:
        """One Dutch sentence: what it is and why (``herkend als voorzieningen: kolommen ...``)."""
        reason = "; ".join(self.reasons) if self.reasons else "geen kenmerken herkend"
        return f"herkend als {self.kind}: {reason}"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def year_from_name(name: str) -> int | None:
    """The last plausible year (1950-2099) in a file name, or None (``buurten_2015_v2`` -> 2015)."""
    found = _YEAR_IN_NAME.findall(Path(name).stem)
    return int(found[-1]) if found else None


def _shown(columns: Iterable[object], limit: int = 6) -> str:
    names = [str(c) for c in columns]
    more = f" en nog {len(names) - limit}" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def attribute_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a frame except its geometry."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [str(c) for c in frame.columns if c != geometry]


def area_code_column(frame: pd.DataFrame, prefix: str | None = None) -> str | None:
    """The column whose values are CBS area codes (``BU...``, ``WK...``, ``GM...``), by name first, then by content.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    prefix : {"BU", "WK", "GM"}, optional
        Only codes of this level count.

    Returns
    -------
    str or None
        The column name; None when no column holds at least :data:`CODE_SHARE_MIN` codes.
    """
    named = {"BU": AREA_ALIASES["buurtcode"], "WK": AREA_ALIASES["wijkcode"], "GM": AREA_ALIASES["gemeentecode"]}
    preferred = list(named.get(prefix or "", ())) if prefix else [a for v in named.values() for a in v]
    preferred += ["gebiedscode", "codering", "codering_3", "wijkenenbuurten", "code"]
    ordered = [c for c in (wio.find_column(frame, (alias,)) for alias in preferred) if c is not None]
    ordered += [c for c in attribute_columns(frame) if c not in ordered]
    for column in dict.fromkeys(ordered):
        values = frame[column].dropna().head(SAMPLE_ROWS).astype(str).str.strip().str.upper()
        values = values[values != ""]
        if values.empty:
            continue
        good = values.str.match(_AREA_CODE)
        if prefix:
            good &= values.str.startswith(prefix)
        if good.mean() >= CODE_SHARE_MIN:
            return str(column)
    return None


def geometry_kind(frame: gpd.GeoDataFrame) -> str | None:
    """``'vlakken'``, ``'punten'`` or ``'lijnen'``: what most geometries of a frame are."""
    types = frame.geometry.dropna().geom_type
    if types.empty:
        return None
    main = str(types.str.replace("Multi", "", regex=False).mode().iloc[0])
    return {"Polygon": "vlakken", "Point": "punten", "LineString": "lijnen"}.get(main)


def name_column(frame: pd.DataFrame) -> str | None:
    """The column with the names of places, by its name (``naam``, ``VESTIGINGSNAAM``, ``Naam locatie`` ...)."""
    found = wio.find_column(frame, NAME_COLUMNS)
    if found is not None:
        return found
    for column in attribute_columns(frame):
        norm = wio.normalise_name(column)
        if norm.endswith("naam") and not norm.startswith(("straat", "plaats", "gemeente", "woonplaats", "provincie")):
            return column
    return None


def _kerncijfer_columns(frame: pd.DataFrame, skip: set[str]) -> list[str]:
    identity = ("buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water")
    aliases = {wio.normalise_name(a) for key, names in AREA_ALIASES.items() if key not in identity for a in names}
    skip = skip | {c for c in attribute_columns(frame) if wio.normalise_name(c) in
                   {wio.normalise_name(a) for key in identity for a in AREA_ALIASES[key]} | {"jaar", "year", "peiljaar"}}
    found = []
    for column in attribute_columns(frame):
        if column in skip:
            continue
        norm = wio.normalise_name(column)
        if norm in aliases or any(word in norm for word in KERNCIJFER_WORDS):
            found.append(column)
    return found


def _years_of(frame: pd.DataFrame) -> list[int]:
    column = wio.find_column(frame, ("jaar", "year", "peiljaar", "meetjaar"))
    if column is None:
        return []
    numbers = pd.to_numeric(frame[column].astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")
    numbers = numbers[numbers.between(1900, 2100) & (numbers % 1 == 0)]
    return sorted(int(y) for y in numbers.unique())


# ---------------------------------------------------------------------------------------------
# Classification by content
# ---------------------------------------------------------------------------------------------

def _classify_geo(frame: gpd.GeoDataFrame, shape: str | None, name: str) -> tuple[str, list[str]]:
    """Kind and reasons for a geo file."""
    columns = attribute_columns(frame)
    if shape == "lijnen":
        return "wegen", [f"{len(frame)} lijnen (straten of paden)"]
    if shape == "vlakken":
        buurt = area_code_column(frame, "BU")
        if buurt is not None and wio.find_column(frame, AREA_ALIASES["buurtcode"]) == buurt:
            return "buurten", [f"vlakken met buurtcodes in kolom {buurt}"]
        wijk = area_code_column(frame, "WK")
        if wijk is not None and buurt is None:
            return "wijken", [f"vlakken met wijkcodes in kolom {wijk}"]
        if buurt is not None:
            return "buurten", [f"vlakken met buurtcodes in kolom {buurt}"]
    if wio.find_column(frame, associations_mod.MEMBER_ALIASES) is not None:
        return "verenigingen", [f"kolom {wio.find_column(frame, associations_mod.MEMBER_ALIASES)} (leden)"]
    place_name = name_column(frame)
    if shape == "punten" and place_name is None and (len(frame) >= ADDRESS_MIN_ROWS or "adres" in name.lower()):
        what = "geen andere kolommen" if not columns else f"geen naamkolom (wel {_shown(columns, 3)})"
        return "adressen", [f"{len(frame)} punten, {what}"]
    if place_name is not None:
        return "voorzieningen", [f"{shape or 'objecten'} met namen in kolom {place_name}"]
    return "voorzieningen", [f"{shape or 'objecten'} zonder naamkolom; kolommen {_shown(columns)}"]


def _classify_plan_or_informal(has: Callable[[tuple[str, ...]], str | None]) -> tuple[str, list[str]] | None:
    """The wijkplan's files, initiatives and notes by their own columns (see the templates), else None."""
    indicator, target = has(("indicator",)), has(("streefwaarde",))
    if indicator and target:
        return "plan", [f"kolommen {indicator} en {target} (doelen per gebied)"]
    start, component = has(("startdatum",)), has(("component",))
    if start and component:
        return "maatregelen", [f"kolommen {component} en {start} (maatregelen)"]
    text, source = has(("tekst",)), has(("soort_bron", "bron_soort"))
    if text and (source or has(("citaat",))):
        return "notities", [f"kolommen {text} en {source or has(('citaat',))} (notities)"]
    people, start_year = has(("betrokkenen",)), has(("startjaar",))
    if people or (start_year and has(("actief",))):
        return "initiatieven", [f"kolom {people or start_year} (initiatieven met betrokkenen of een startjaar)"]
    return None


def _classify_table(frame: pd.DataFrame) -> tuple[str, list[str]]:
    """Kind and reasons for a table without geometry (CSV, Excel, SPSS)."""
    has = lambda aliases: wio.find_column(frame, aliases)  # noqa: E731
    van, naar = has(associations_mod.FROM_ALIASES), has(associations_mod.TO_ALIASES)
    if van and naar:
        return "banden", [f"kolommen {van} en {naar}"]
    respondent, age = has(("respondent", "respondent_id", "respondentnummer", "resp_id")), has(("leeftijd", "leeftijdsklasse", "age"))
    if respondent and age:
        return "enquete", [f"kolommen {respondent} en {age} (een rij per respondent)"]
    informal = _classify_plan_or_informal(has)
    if informal is not None:
        return informal
    code = area_code_column(frame)
    users = has(digital_mod.USERS_ALIASES)
    if code and users and has(("platform",)):
        return "digitaal", [f"kolommen {code}, platform en {users}"]
    if code is None:
        term, text = has(DICTIONARY_NAME_COLUMNS), has(DICTIONARY_TEXT_COLUMNS)
        if term and text:
            return "woordenboek", [f"kolommen {term} en {text}: een lijst van variabelen met hun betekenis"]
    coords = wio.match_columns(frame, wio.COORDINATE_ALIASES)
    located = ("lat" in coords and "lon" in coords) or ("x" in coords and "y" in coords)
    if located:
        where = f"{coords.get('lat', coords.get('x'))}/{coords.get('lon', coords.get('y'))}"
        if has(associations_mod.MEMBER_ALIASES):
            return "verenigingen", [f"kolom {has(associations_mod.MEMBER_ALIASES)} (leden) en coördinaten {where}"]
        label = name_column(frame)
        return "voorzieningen", [f"coördinaten {where}" + (f" en namen in kolom {label}" if label else "")]
    if has(associations_mod.MEMBER_ALIASES) and has(associations_mod.ID_ALIASES):
        return "verenigingen", [f"kolommen {has(associations_mod.ID_ALIASES)} en {has(associations_mod.MEMBER_ALIASES)} (leden)"]
    if code is not None:
        rest = [c for c in attribute_columns(frame) if c != code]
        kern = _kerncijfer_columns(frame, {code})
        if kern and len(kern) >= 0.5 * len(rest):
            return "kerncijfers", [f"gebiedscodes in kolom {code}; kerncijfers {_shown(kern)}"]
        return "enquete_gebied", [f"gebiedscodes in kolom {code} en {len(rest)} andere kolommen (uitkomsten per gebied)"]
    return "onbekend", [f"niet herkend aan de kolommen {_shown(attribute_columns(frame))}"]


def _classify_toml(path: Path) -> tuple[str, list[str]]:
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "onbekend", ["een TOML-bestand dat niet te lezen is"]
    if "schalen" in raw or "codeboek" in raw:
        return "codeboek", [f"TOML met [schalen] ({len(raw.get('schalen', {}))} schalen)"]
    if "dataset" in raw or "bronnen" in raw:
        return "dataset", ["een dataset.toml"]
    return "onbekend", ["een TOML-bestand zonder [schalen] of [dataset]"]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

def _zip_kind(path: Path) -> tuple[str, list[str]] | None:
    """``dataset`` for a ZIP holding dataset.toml; None for a zipped Shapefile (a geo file); ``map`` otherwise."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n.replace("\\", "/") for n in archive.namelist()]
    except (zipfile.BadZipFile, OSError):
        return "onbekend", ["een beschadigd ZIP-bestand"]
    if any(PurePosixPath(n).name == "dataset.toml" and len(PurePosixPath(n).parts) <= 2 for n in names):
        return "dataset", ["een ZIP-bestand met dataset.toml"]
    if any(n.lower().endswith(".shp") for n in names):
        return None
    return "map", [f"een ZIP-bestand met {len(names)} bestanden"]


def _read(path: Path, name: str, findings: Findings, sheet: str | None = None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in SPSS_SUFFIXES:
        from analysis.load.spss import read_spss

        return read_spss(path, name).table
    if suffix in TABLE_SUFFIXES:
        return wio.read_table(path, findings, name, sheet=sheet) if sheet else wio.read_table(path, findings, name)
    return wio.read_geo(path, findings, name)


def sheets_of(path: Path) -> list[str]:
    """The sheets of an Excel workbook (empty for other files, or when it cannot be opened)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        return list(wio.list_sheets(path))
    except (DatasetError, AttributeError, OSError, ValueError):
        return []


def detect_file(path: Path | str, name: str | None = None, sheet: str | None = None) -> Detection:
    """Read one file and guess what kind of input it is.

    Parameters
    ----------
    path : path-like
        The file (CSV, Excel, GeoJSON, GeoPackage, zipped Shapefile, SPSS, TOML or a ZIP).
    name : str, optional
        The name the user knows it by; default the file name.

    Returns
    -------
    Detection
        Never raises: an unreadable or unsupported file is of kind ``onbekend`` with a ``fout``
        finding naming the file, the problem and the fix.
    """
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    found = Detection(path=path, name=name, kind="onbekend", year=year_from_name(sheet or name), sheet=sheet)
    if suffix not in ACCEPTED_SUFFIXES:
        found.findings.error(name, f"bestandstype '{suffix or '(geen)'}' wordt niet gelezen",
                             "gebruik CSV, Excel (.xlsx), GeoJSON, GeoPackage, een gezipte Shapefile, SPSS (.sav) "
                             "of een ZIP van de datasetmap")
        found.reasons = ["bestandstype niet ondersteund"]
        return found
    if suffix == ".toml":
        found.kind, found.reasons = _classify_toml(path)
        return found
    if suffix == ".zip":
        zipped = _zip_kind(path)
        if zipped is not None:
            found.kind, found.reasons = zipped
            if found.kind == "onbekend":
                found.findings.error(name, "het ZIP-bestand is beschadigd of geen ZIP", "pak de bestanden opnieuw in")
            return found
    try:
        frame = _read(path, name, found.findings, sheet)
    except DatasetError as error:
        found.findings.extend(f for f in error.findings if f not in found.findings.items)
        found.reasons = ["het bestand is niet te lezen"]
        return found
    except Exception as exc:  # never a traceback: the reader's own words in a Dutch finding
        found.findings.error(name, f"het bestand is niet te lezen ({type(exc).__name__}: {str(exc)[:200]})",
                             "controleer of het bestand heel is en het juiste type heeft")
        found.reasons = ["het bestand is niet te lezen"]
        return found
    found.frame, found.rows = frame, len(frame)
    if isinstance(frame, gpd.GeoDataFrame) and suffix not in TABLE_SUFFIXES:
        found.geometry = geometry_kind(frame)
        found.kind, found.reasons = _classify_geo(frame, found.geometry, name)
    else:
        found.kind, found.reasons = _classify_table(frame)
        if suffix in SPSS_SUFFIXES and found.kind == "onbekend":
            found.kind, found.reasons = "enquete", ["een SPSS-bestand (antwoorden per respondent)"]
    found.years_in_file = _years_of(frame)
    if found.year is None and len(found.years_in_file) == 1:
        found.year = found.years_in_file[0]
    return found


def _archive_helpers() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The loader's safe unzipping (member checks and size limits), wherever the loader keeps it."""
    try:
        from analysis.load import archive

        return archive.safe_members, archive.extract
    except ImportError:  # before the loader's split into modules
        from analysis.load import dataset

        return dataset._safe_members, dataset._extract  # type: ignore[attr-defined]


def expand_zip(path: Path, target: Path, name: str | None = None) -> list[tuple[Path, str]]:
    """Unpack a ZIP of a folder (without dataset.toml) safely; the files with the names the user knows.

    Zipped Shapefiles inside are kept as one ZIP each (one per ``.shp``). Hidden files and
    ``__MACOSX`` are skipped.

    Raises
    ------
    DatasetError
        When the archive is unsafe (paths outside the folder, links, too large).
    """
    safe_members, extract = _archive_helpers()
    file = name or path.name
    with zipfile.ZipFile(path) as archive:
        members = [m for m in safe_members(archive, file) if not PurePosixPath(m.filename).name.startswith(".")]
        extract(archive, members, target, file)
    out: list[tuple[Path, str]] = []
    shapefiles: dict[Path, list[Path]] = {}
    for member in sorted(members, key=lambda m: m.filename):
        local = target.joinpath(*PurePosixPath(member.filename.replace("\\", "/")).parts)
        stem = local.with_suffix("")
        if local.suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            shapefiles.setdefault(stem, []).append(local)
            continue
        out.append((local, local.name))
    for stem, parts in shapefiles.items():
        if not any(p.suffix.lower() == ".shp" for p in parts):
            continue
        bundle = stem.with_suffix(".zip")
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in parts:
                archive.write(part, part.name)
        out.append((bundle, bundle.name))
    return out


def detect_files(files: Iterable[tuple[Path, str]], work: Path) -> list[Detection]:
    """Detect every file; a ZIP of a folder (without dataset.toml) is unpacked into ``work`` and its files detected.

    Parameters
    ----------
    files : iterable of (Path, str)
        Paths with the names the user knows them by.
    work : Path
        A folder for unpacked files.

    Returns
    -------
    list of Detection
        In the order given (the files of a ZIP in its place, sorted by name).
    """
    out: list[Detection] = []
    for number, (path, name) in enumerate(files):
        sheets = sheets_of(path)
        if len(sheets) > 1:  # a workbook of several tables: each sheet on its own (blad in dataset.toml)
            out.extend(detect_file(path, name, sheet) for sheet in sheets)
            continue
        found = detect_file(path, name)
        if found.kind != "map":
            out.append(found)
            continue
        try:
            inner = expand_zip(path, work / f"zip{number}", name)
        except DatasetError as error:
            found.kind, found.reasons = "onbekend", ["het ZIP-bestand kon niet worden uitgepakt"]
            found.findings.extend(error.findings)
            out.append(found)
            continue
        for inner_path, inner_name in inner:
            if Path(inner_name).suffix.lower() in ACCEPTED_SUFFIXES:
                out.append(detect_file(inner_path, inner_name))
            else:  # a README, a PDF: shown as not used, without an error
                out.append(Detection(path=inner_path, name=inner_name, kind="onbekend",
                                     reasons=["geen gegevensbestand; wordt niet gebruikt"]))
    return out


#: Size of the map preview of a geo file (pixels at 100 dpi) and the most objects drawn in it.
PREVIEW_PX = (320, 220)
PREVIEW_MAX_OBJECTS = 20_000


def preview_png(frame: gpd.GeoDataFrame) -> bytes:
    """A tiny static map of a geo file (matplotlib, no tiles: nothing is fetched), as PNG bytes.

    Points are dots, lines thin strokes, polygons outlined; a large file is thinned to
    :data:`PREVIEW_MAX_OBJECTS` objects (every n-th) so the preview stays quick.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if len(shown) > PREVIEW_MAX_OBJECTS:
        shown = shown.iloc[:: max(1, len(shown) // PREVIEW_MAX_OBJECTS)]
    figure = Figure(figsize=(PREVIEW_PX[0] / 100, PREVIEW_PX[1] / 100), dpi=100)
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    kind = geometry_kind(shown) if len(shown) else None
    if kind == "punten":
        shown.plot(ax=axes, markersize=1.5 if len(shown) > 2000 else 6, color="#332288")
    elif kind == "lijnen":
        shown.plot(ax=axes, linewidth=0.3, color="#332288")
    elif len(shown):
        shown.plot(ax=axes, facecolor="#DDDDEE", edgecolor="#332288", linewidth=0.5)
    axes.set_axis_off()
    axes.set_aspect("equal")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def unsupported(name: str) -> Finding:
    """The Dutch finding for a file type the assistant does not read."""
    return Finding("fout", name, f"bestandstype '{Path(name).suffix or '(geen)'}' wordt niet gelezen",
                   "gebruik CSV, Excel (.xlsx), GeoJSON, GeoPackage, een gezipte Shapefile, SPSS (.sav/.zsav) of een ZIP")


__all__ = ["ACCEPTED_SUFFIXES", "CHOOSABLE_KINDS", "KIND_LABELS", "Detection", "area_code_column", "detect_file",
           "detect_files", "expand_zip", "geometry_kind", "name_column", "preview_png", "year_from_name"]
