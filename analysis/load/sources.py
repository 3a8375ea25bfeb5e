"""The kinds of source a dataset can have: one table of manifest key, Dutch label, what it enables and its loader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from analysis.findings import Findings
from analysis.load import addresses as addresses_mod
from analysis.load import areas as areas_mod
from analysis.load import associations as associations_mod
from analysis.load import codebook as codebook_mod
from analysis.load import digital as digital_mod
from analysis.load import facilities as facilities_mod
from analysis.load import files as wio
from analysis.load import informal as informal_mod
from analysis.load import kerncijfers as kerncijfers_mod
from analysis.load import monitor as monitor_mod
from analysis.load import roads as roads_mod
from analysis.load import survey as survey_mod
from analysis.load import wijkplan as wijkplan_mod
from analysis.model import (
    AREA_SURVEY_COLUMNS,
    ASSOCIATION_COLUMNS,
    DIGITAL_COLUMNS,
    FACILITY_COLUMNS,
    INITIATIVE_COLUMNS,
    MEASURE_COLUMNS,
    NOTE_COLUMNS,
    PLAN_COLUMNS,
    RESPONDENT_COLUMNS,
    TIE_COLUMNS,
    Dataset,
    empty_frame,
)
from analysis.registry import Indicator, dataset_registry

#: Options every file may carry: ``bestand`` (the file), ``blad`` (the Excel sheet), ``licentie``.
FILE_OPTIONS = frozenset({"bestand", "blad", "licentie"})


@dataclass
class LoadContext:
    """What a loader may use: the findings, the year, the areas and the sources loaded before it.

    Attributes
    ----------
    findings : Findings
        Receives every finding.
    year : int
        The manifest year (peiljaar).
    gemeente : str or None
        ``[dataset] gemeente``: keep only this gemeente from larger files.
    given : frozenset of str
        The source keys the manifest names (also those that failed to load).
    areas : tuple of GeoDataFrame
        ``(buurten, wijken, gemeente)`` once the areas are loaded.
    loaded : dict
        Source key -> what its loader returned (None when it failed).
    own_indicators : tuple of Indicator
        The manifest's ``[eigen_indicatoren]`` (part of the registry a plan is checked against).
    """

    findings: Findings
    year: int
    gemeente: str | None = None
    given: frozenset[str] = frozenset()
    areas: tuple[gpd.GeoDataFrame, ...] = ()
    loaded: dict[str, Any] = field(default_factory=dict)
    own_indicators: tuple[Indicator, ...] = ()

    @property
    def buurten(self) -> gpd.GeoDataFrame:
        """The buurten (an empty frame before the areas are loaded)."""
        return self.areas[0] if self.areas else empty_frame(("gebiedscode", "wijkcode"), geometry=True)

    @property
    def area_codes(self) -> set[str]:
        """The codes of every loaded buurt, wijk and the gemeente."""
        return {str(code) for frame in self.areas for code in frame["gebiedscode"].dropna()}

    def indicator_keys(self) -> list[str]:
        """The keys of the registry the dataset will have (built-ins, codebook, monitor, own indicators).

        The same registry as :attr:`analysis.model.Dataset.registry`, from the sources loaded so far: call it
        after the codebook and the monitor files.
        """
        monitor = self.loaded.get("enquete_gebied")
        keys = monitor["indicator"].dropna().astype(str).unique() if monitor is not None and len(monitor) else ()
        return list(dataset_registry(self.loaded.get("codeboek") or {}, keys, self.own_indicators))


#: A loader: the file's path, its manifest entry (``bestand`` and options) and the context -> what it read.
Loader = Callable[[Path, dict[str, Any], LoadContext], Any]


@dataclass(frozen=True)
class SourceKind:
    """One kind of source.

    Attributes
    ----------
    key : str
        Manifest key: under ``[bronnen]``, or the name of the ``[[key]]`` blocks when ``many``.
    label : str
        Dutch label for the pages.
    enables : str
        What the source makes possible (Dutch), for the pages and the info when it is missing.
    load : Loader
        Reads one file of this kind.
    field : str or None
        The :class:`~analysis.model.Dataset` attribute it fills (None for the areas, which the
        loader combines into the hierarchy).
    stage : {"gebieden", "gegevens"}
        Areas are loaded first; everything else is located in them.
    many : bool
        Any number of ``[[key]]`` blocks instead of one file under ``[bronnen]``.
    options : frozenset of str
        The keys its manifest entry may have.
    empty : callable or None
        The field's value when the source is absent (None: the field stays None).
    combine : callable or None
        Joins the frames of several files (``many`` kinds).
    report_missing : bool
        Whether a missing source gets an info finding; ``needs`` names a source without which
        that info is left out (ties without associations are reported already).
    instead_of : str or None
        A source that does the same job: when that one is given this one is not needed (grid squares
        place residents when there are no addresses).
    """

    key: str
    label: str
    enables: str
    load: Loader
    field: str | None
    stage: Literal["gebieden", "gegevens"] = "gegevens"
    many: bool = False
    options: frozenset[str] = FILE_OPTIONS
    empty: Callable[[], Any] | None = None
    combine: Callable[[list[Any]], Any] | None = None
    report_missing: bool = True
    needs: str | None = None
    instead_of: str | None = None


def concat(frames: list[pd.DataFrame], columns: tuple[str, ...], geometry: bool) -> pd.DataFrame:
    """Concatenate loaded frames, or the standard empty frame when there are none."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty_frame(columns, geometry=geometry)
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs) if geometry else out


def _file(spec: dict[str, Any]) -> str:
    return str(spec["bestand"])


# ---------------------------------------------------------------------------------------------
# The loaders, one per kind, all with the same signature
# ---------------------------------------------------------------------------------------------

def _buurten(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return areas_mod.read_buurten(path, ctx.findings, ctx.gemeente, _file(spec))


def _wijken(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    gemeente = str(ctx.buurten["gemeentecode"].iloc[0]) if len(ctx.buurten) else ctx.gemeente
    return areas_mod.read_wijken(path, ctx.findings, gemeente, _file(spec))


def _kerncijfers(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    buurten = ctx.buurten
    gemeente = str(buurten["gemeentecode"].iloc[0]) if len(buurten) else ctx.gemeente
    year = int(spec["jaar"]) if isinstance(spec.get("jaar"), int) else ctx.year
    figures = kerncijfers_mod.read_kerncijfers(path, ctx.findings, _file(spec), (buurten,), gemeente, year,
                                               spec.get("blad"))
    return kerncijfers_mod.complete_figures(figures, buurten)


def _facilities(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return facilities_mod.load_facilities(path, spec, ctx.buurten, ctx.findings, ctx.year, _file(spec))


def _associations(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return associations_mod.load_associations(path, ctx.buurten, ctx.findings, ctx.year, _file(spec), spec.get("blad"))


def _ties(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    if "verenigingen" not in ctx.given:
        ctx.findings.error(_file(spec), "er zijn banden, maar geen verenigingen: de banden verwijzen naar niets",
                           "zet onder [bronnen] ook verenigingen = \"verenigingen.csv\", of haal banden weg")
    associations = ctx.loaded.get("verenigingen")
    return associations_mod.load_ties(path, associations, ctx.findings, ctx.year, _file(spec),
                                      check_ids=associations is not None, sheet=spec.get("blad"))


def _codebook(path: Path, spec: dict[str, Any], ctx: LoadContext) -> dict[str, Any]:
    raw = wio.read_toml(path, _file(spec), "zie data/templates/codeboek.toml voor een voorbeeld")
    parsed = codebook_mod.parse_codebook(raw, ctx.findings, _file(spec))
    if "enquete" not in ctx.given:
        ctx.findings.warning(_file(spec), "er is een codeboek maar geen enquêtebestand; het codeboek wordt niet gebruikt",
                             "zet onder [bronnen] enquete = \"enquete.csv\" met de antwoorden")
    return parsed or {}


def _respondents(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    file = _file(spec)
    if "codeboek" not in ctx.given:
        ctx.findings.warning(file, "er is geen codeboek: er worden geen schaalscores berekend, alleen aantallen respondenten",
                             "zet onder [bronnen] codeboek = \"codeboek.toml\" met de schalen en items van de enquête")
    buurten = ctx.buurten
    buurt_codes = pd.Series(buurten["wijkcode"].to_numpy(), index=pd.Index(buurten["gebiedscode"]))
    codebook = ctx.loaded.get("codeboek") or {}
    usable = codebook if codebook.get("schalen") else {}
    from analysis.load.spss import read_answers  # CSV, Excel or SPSS (.sav/.zsav)

    sheet = spec.get("blad")
    table = wio.read_table(path, ctx.findings, file, sheet) if sheet else read_answers(path, ctx.findings, file)
    return survey_mod.prepare_respondents(table, usable, buurt_codes, ctx.findings, file, ctx.year)


def _area_survey(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    return monitor_mod.load_area_survey(path, spec, ctx.areas, ctx.findings, ctx.year, _file(spec),
                                        ctx.loaded.get("kerncijfers"))


def _digital(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    return digital_mod.load_digital(path, ctx.areas, ctx.findings, ctx.year, _file(spec), spec.get("blad"))


def _addresses(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return addresses_mod.read_addresses(path, ctx.buurten, ctx.findings, _file(spec))


def _grid(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return addresses_mod.read_grid(path, ctx.findings, _file(spec))


def _roads(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return roads_mod.read_roads(path, ctx.findings, ctx.buurten, _file(spec))


def _plan(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    return wijkplan_mod.load_plan(path, ctx.area_codes, ctx.indicator_keys(), ctx.findings, _file(spec))


def _measures(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    return wijkplan_mod.load_measures(path, ctx.area_codes, ctx.findings, _file(spec))


def _initiatives(path: Path, spec: dict[str, Any], ctx: LoadContext) -> gpd.GeoDataFrame:
    return informal_mod.load_initiatives(path, ctx.buurten, ctx.findings, ctx.year, _file(spec))


def _notes(path: Path, spec: dict[str, Any], ctx: LoadContext) -> pd.DataFrame:
    return informal_mod.load_notes(path, ctx.area_codes, ctx.findings, _file(spec))


def _facilities_together(frames: list[Any]) -> gpd.GeoDataFrame:
    return facilities_mod.dedupe_ids(concat(frames, FACILITY_COLUMNS, geometry=True))


#: Every kind of source, in loading order (areas first; ties after associations, survey after codebook; the plan
#: after the codebook and the monitor, whose keys it may name).
SOURCES: tuple[SourceKind, ...] = (
    SourceKind("buurten", "Buurten (CBS wijk- en buurtkaart)", "kaarten, inwoners en alle cijfers per gebied",
               _buurten, None, stage="gebieden", report_missing=False),
    SourceKind("wijken", "Wijken", "de wijkgrenzen en wijkcijfers van het CBS; nu worden de wijken samengesteld uit de buurten",
               _wijken, None, stage="gebieden"),
    SourceKind("kerncijfers", "Kerncijfers per gebied en jaar (tabel)",
               "inwoners, leeftijden en huishoudens per buurt of wijk uit een tabel (zoals CBS StatLine), ook per jaar: "
               "dan rekent elk jaar met zijn eigen inwonertal",
               _kerncijfers, "area_figures", stage="gebieden", options=FILE_OPTIONS | {"jaar"},
               empty=kerncijfers_mod.empty_figures),
    SourceKind("voorzieningen", "Voorzieningen",
               "het aanbod en de nabijheid van ontmoetingsplekken, onderwijs, zorg, cultuur, sport en openbare ruimte",
               _facilities, "facilities", many=True,
               options=FILE_OPTIONS | {"component", "componentkolom", "componenten", "naamkolom", "soortkolom", "idkolom",
                                       "jaar"},
               empty=lambda: empty_frame(FACILITY_COLUMNS, geometry=True), combine=_facilities_together),
    SourceKind("verenigingen", "Verenigingen", "het verenigingsleven per wijk en het netwerk van verenigingen",
               _associations, "associations", empty=lambda: empty_frame(ASSOCIATION_COLUMNS, geometry=True)),
    SourceKind("banden", "Banden tussen verenigingen",
               "de netwerkanalyse van verenigingen (sleutelverbinders, overbruggende banden)",
               _ties, "ties", empty=lambda: empty_frame(TIE_COLUMNS), needs="verenigingen"),
    SourceKind("codeboek", "Codeboek van de enquête", "hoe de antwoorden tot schaalscores worden",
               _codebook, "codebook", empty=dict, report_missing=False),
    SourceKind("enquete", "Bewonersenquête (antwoorden)",
               "de enquêtecijfers per buurt en wijk (samenhang, eenzaamheid, vrijwilligerswerk) met marges",
               _respondents, "respondents", empty=lambda: empty_frame(RESPONDENT_COLUMNS)),
    SourceKind("enquete_gebied", "Gebiedsmonitor (cijfers per gebied)",
               "enquêtecijfers die al per gebied berekend zijn (een gemeentelijke monitor)",
               _area_survey, "area_survey", many=True,
               options=FILE_OPTIONS | {"codekolom", "indicatoren", "jaar", "nkolom"},
               empty=lambda: empty_frame(AREA_SURVEY_COLUMNS),
               combine=lambda frames: concat(frames, AREA_SURVEY_COLUMNS, geometry=False)),
    SourceKind("digitaal", "Digitale platforms", "het gebruik van digitale platforms per gebied",
               _digital, "digital", empty=lambda: empty_frame(DIGITAL_COLUMNS)),
    SourceKind("adressen", "Adressen (woningen)",
               "inwoners op hun woonadres in plaats van gelijkmatig over de buurt (of CBS-vierkanten als 'vierkanten')",
               _addresses, "addresses"),
    SourceKind("vierkanten", "CBS-vierkanten (inwoners per 100 of 500 m)",
               "inwoners per vierkant in plaats van gelijkmatig over de buurt", _grid, "population_grid",
               report_missing=False, instead_of="adressen"),
    SourceKind("wegen", "Stratennet", "loopafstanden over het stratennet in plaats van hemelsbreed",
               _roads, "roads"),
    SourceKind("initiatieven", "Bewonersinitiatieven en informele netwerken",
               "buurtgroepen, app-groepen en bewonersinitiatieven naast de formele voorzieningen (wat registers missen)",
               _initiatives, "initiatives", empty=lambda: empty_frame(INITIATIVE_COLUMNS, geometry=True)),
    SourceKind("notities", "Notities (wat bewoners en professionals zeggen)",
               "waarnemingen, citaten en signalen per wijk naast de cijfers",
               _notes, "notes", empty=lambda: empty_frame(NOTE_COLUMNS)),
    SourceKind("plan", "Wijkplan (doelen per gebied en indicator)",
               "de evaluatie: per doel de basiswaarde, de latere metingen en of het doel gehaald is",
               _plan, "plan", empty=lambda: empty_frame(PLAN_COLUMNS)),
    SourceKind("maatregelen", "Maatregelen (wat waar en wanneer gedaan is)",
               "per maatregel de verandering sinds de start tegenover vergelijkbare gebieden zonder zo'n maatregel",
               _measures, "measures", empty=lambda: empty_frame(MEASURE_COLUMNS)),
)
SOURCES_BY_KEY: dict[str, SourceKind] = {kind.key: kind for kind in SOURCES}
#: Single-file sources of ``[bronnen]``, in loading order.
SOURCE_KEYS: tuple[str, ...] = tuple(kind.key for kind in SOURCES if not kind.many)
#: Sources given as ``[[key]]`` blocks (any number of files).
LIST_SECTIONS: tuple[str, ...] = tuple(kind.key for kind in SOURCES if kind.many)


def missing_sources(given: set[str], findings: Findings, manifest_name: str = "dataset.toml") -> None:
    """One info per optional source that was not given: what is missing and what it would enable."""
    for kind in SOURCES:
        if kind.key in given or not kind.report_missing or (kind.needs and kind.needs not in given):
            continue
        findings.info(manifest_name, f"bron '{kind.key}' ontbreekt; die maakt mogelijk: {kind.enables}",
                      "voeg het bestand toe aan de map en noem het in dataset.toml als u het heeft")


def _count(ds: Dataset, kind: SourceKind) -> int:
    """How many rows (areas, facilities, scales ...) a source holds in the loaded dataset."""
    if kind.key in ("buurten", "wijken"):
        return len(ds.buurten if kind.key == "buurten" else ds.wijken)
    value = getattr(ds, kind.field, None) if kind.field else None
    if value is None:
        return 0
    if isinstance(value, dict):
        scales = value.get("schalen", {})
        return len(scales) if isinstance(scales, dict) else 0
    return len(value)


def source_inventory(ds: Dataset) -> pd.DataFrame:
    """Per kind of source: given or not, the file(s), the number of rows and what it enables.

    Parameters
    ----------
    ds : Dataset
        The loaded dataset.

    Returns
    -------
    pandas.DataFrame
        ``bron, status, bestand, regels, maakt mogelijk`` in the order of :data:`SOURCES`;
        ``status`` is ``aanwezig``, ``ontbreekt`` or (wijken without a file) ``afgeleid uit buurten``;
        ``regels`` is empty for a missing source.
    """
    rows = []
    for kind in SOURCES:
        file = ds.sources.get(kind.key)
        if file is None and kind.many:
            file = ", ".join(v for k, v in ds.sources.items() if str(k).startswith(f"{kind.key}:")) or None
        count = _count(ds, kind)
        present = bool(file) or count > 0
        if kind.key == "wijken" and not file and count > 0:
            status, file = "afgeleid uit buurten", ""
        elif not present and kind.instead_of and ds.sources.get(kind.instead_of):
            status = f"niet nodig ({SOURCES_BY_KEY[kind.instead_of].label.lower()} aanwezig)"
        else:
            status = "aanwezig" if present else "ontbreekt"
        rows.append({"bron": kind.label, "status": status, "bestand": file or "",
                     "regels": count if present else None, "maakt mogelijk": kind.enables})
    out = pd.DataFrame(rows)
    out["regels"] = out["regels"].astype("Int64")
    return out
