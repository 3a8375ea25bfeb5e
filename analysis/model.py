"""The clean dataset model every loader produces and every computation reads (EPSG:28992)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from analysis.findings import Findings
from analysis.registry import Indicator, Registry, dataset_registry

#: The projected CRS every geometry is stored and computed in (Amersfoort / RD New, metres).
CRS_RD = "EPSG:28992"
#: The CRS for display only (web maps).
CRS_WGS84 = "EPSG:4326"

LEVELS: tuple[str, ...] = ("buurt", "wijk", "gemeente")

#: CBS area codes, the one pattern of each (without anchors): ``GM`` + 4 digits; a wijk is the gemeente's
#: digits + 2 characters, a buurt the wijk's + 2 more. Since 2022 CBS gives Amsterdam codes with letters in
#: those last places (``WK0363AF``, ``BU0363AF09``; CBS, Toelichting Wijk- en Buurtkaart 2022), so they are
#: digits or capitals. The hierarchy follows from the positions: wijk = ``"WK" + code[2:8]``, gemeente =
#: ``"GM" + code[2:6]``.
GEMEENTE_CODE_PATTERN = r"GM\d{4}"
WIJK_CODE_PATTERN = r"WK\d{4}[0-9A-Z]{2}"
BUURT_CODE_PATTERN = r"BU\d{4}[0-9A-Z]{4}"
AREA_CODE_PATTERN = f"(?:{BUURT_CODE_PATTERN}|{WIJK_CODE_PATTERN}|{GEMEENTE_CODE_PATTERN})"

#: Standard area columns, the same on every level (``gebiedscode`` is the area's own code).
AREA_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "gebiedsnaam", "niveau", "wijkcode", "gemeentecode", "gemeentenaam",
    "inwoners", "mannen", "vrouwen",
    "p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo",
    "huishoudens", "p_eenpersoons_hh", "p_laag_inkomen", "opp_land_ha",
)

#: Columns of the facilities frame (plus ``geometry``: points or polygons); ``laatst_gecontroleerd`` is the date
#: the entry was last checked (NaT when the file has no such column), for the share checked per wijk.
FACILITY_COLUMNS: tuple[str, ...] = (
    "id", "naam", "component", "soort", "capaciteit", "bezetting_pct", "jaar",
    "buurtcode", "wijkcode", "bron", "laatst_gecontroleerd",
)
#: Columns of the associations frame (plus ``geometry``: points); ``laatst_gecontroleerd`` as for facilities.
ASSOCIATION_COLUMNS: tuple[str, ...] = (
    "id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "wijkcode", "laatst_gecontroleerd",
)
#: Columns of the ties frame.
TIE_COLUMNS: tuple[str, ...] = ("van", "naar", "soort", "gewicht", "jaar")
#: Fixed columns of the respondents frame; item columns follow.
RESPONDENT_COLUMNS: tuple[str, ...] = (
    "respondent", "buurtcode", "wijkcode", "leeftijd", "leeftijdsklasse", "geslacht",
    "gewicht", "jaar",
)
#: Columns of the aggregated survey (monitor) frame.
AREA_SURVEY_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "jaar", "indicator", "waarde", "n", "bron")
#: Columns of the digital platform usage frame.
DIGITAL_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "platform", "actieve_gebruikers", "jaar")
#: The kerncijfers of the areas (the figures of :data:`AREA_COLUMNS`) that vary by year.
AREA_FIGURES: tuple[str, ...] = (
    "inwoners", "mannen", "vrouwen", "p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo",
    "huishoudens", "p_eenpersoons_hh", "p_laag_inkomen", "opp_land_ha",
)
#: Columns of the yearly area figures frame: per area and year the kerncijfers, ``woningen`` (dwellings) and
#: ``bron`` (the file, or ``afgeleid uit buurtcijfers`` for wijk and gemeente figures summed from buurten).
AREA_FIGURE_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "jaar", *AREA_FIGURES, "woningen", "bron")

#: Age classes used for post-stratification, matching the CBS kerncijfers.
AGE_CLASSES: tuple[str, ...] = ("0-14", "15-24", "25-44", "45-64", "65+")
#: Columns of a wijkplan's targets (source ``plan``, :func:`analysis.load.wijkplan.load_plan`).
PLAN_COLUMNS: tuple[str, ...] = ("gebiedscode", "indicator", "basisjaar", "streefwaarde", "streefjaar", "reden")
#: Columns of a wijkplan's measures (source ``maatregelen``); ``startjaar`` is the year of ``startdatum``.
MEASURE_COLUMNS: tuple[str, ...] = ("id", "naam", "component", "gebiedscode", "startdatum", "einddatum",
                                    "startjaar", "budget", "omschrijving")
#: Columns of informal networks and resident initiatives (source ``initiatieven``), point geometry.
INITIATIVE_COLUMNS: tuple[str, ...] = ("id", "naam", "soort", "startjaar", "eindjaar", "actief", "betrokkenen",
                                       "vereniging_id", "laatst_gecontroleerd", "buurtcode", "wijkcode")
#: Columns of qualitative notes (source ``notities``).
NOTE_COLUMNS: tuple[str, ...] = ("datum", "gebiedscode", "component", "soort_bron", "tekst", "citaat")

AGE_CLASS_COLUMNS: dict[str, str] = {
    "0-14": "p_00_14", "15-24": "p_15_24", "25-44": "p_25_44", "45-64": "p_45_64", "65+": "p_65_eo",
}


@dataclass
class Dataset:
    """A loaded, validated dataset of one municipality.

    Every frame is present (possibly empty, with the standard columns) so that
    computations never need to test for ``None``. ``sources`` says which inputs
    were given; the app uses it to say what is missing.

    Attributes
    ----------
    name : str
        The dataset's name (``[dataset] naam``).
    year : int
        Measurement year (peiljaar); rows without a ``jaar`` belong to it.
    gemeente_code : str
        ``GM`` code of the municipality.
    buurten, wijken, gemeente : geopandas.GeoDataFrame
        Areas with :data:`AREA_COLUMNS` and geometry in EPSG:28992.
    facilities : geopandas.GeoDataFrame
        :data:`FACILITY_COLUMNS`; ``component`` is one of the eight keys.
    associations : geopandas.GeoDataFrame
        :data:`ASSOCIATION_COLUMNS`, point geometry.
    ties : pandas.DataFrame
        :data:`TIE_COLUMNS`; ``van`` and ``naar`` are association ids.
    respondents : pandas.DataFrame
        :data:`RESPONDENT_COLUMNS` followed by one column per survey item.
    codebook : dict
        The parsed ``codeboek.toml`` (empty when absent).
    area_survey : pandas.DataFrame
        :data:`AREA_SURVEY_COLUMNS`, aggregated survey indicators from a monitor.
    digital : pandas.DataFrame
        :data:`DIGITAL_COLUMNS`.
    area_figures : pandas.DataFrame
        :data:`AREA_FIGURE_COLUMNS`: kerncijfers per area and year from a kerncijfers table (source
        ``kerncijfers``), empty without one; use :meth:`areas_in_year` for the areas with a year's figures.
    population_grid : geopandas.GeoDataFrame or None
        Optional CBS 100 m or 500 m grid squares with ``inwoners`` and square polygons
        (source ``vierkanten``, :func:`analysis.load.addresses.read_grid`).
    addresses : geopandas.GeoDataFrame or None
        Optional dwelling addresses: ``aantal`` (dwellings or persons, > 0), ``buurtcode`` and
        points (source ``adressen``, :func:`analysis.load.addresses.read_addresses`).
    plan : pandas.DataFrame
        :data:`PLAN_COLUMNS`: the wijkplan's targets (source ``plan``), empty without one.
    measures : pandas.DataFrame
        :data:`MEASURE_COLUMNS`: the wijkplan's measures (source ``maatregelen``), empty without one.
    initiatives : geopandas.GeoDataFrame
        :data:`INITIATIVE_COLUMNS` with points: informal networks and resident initiatives (source
        ``initiatieven``), empty without one.
    notes : pandas.DataFrame
        :data:`NOTE_COLUMNS`: what residents and professionals said or saw (source ``notities``).
    roads : geopandas.GeoDataFrame or None
        Optional street network: ``id`` and LineStrings (source ``wegen``,
        :func:`analysis.load.roads.read_roads`); the routing graph is prepared from it once and
        cached by content (:func:`analysis.compute.routing.prepared_graph`), not stored here.
    findings : Findings
        Everything the loaders noticed (warnings and infos; errors raise).
    sources : dict
        Source name to file name, for the sources that were given.
    licences : dict
        Source name to a Dutch description of publisher and licence.
    is_demo : bool
        True for the fictional demo municipality.
    root : Path or None
        Folder the dataset was read from.
    """

    name: str
    year: int
    gemeente_code: str
    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    gemeente: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    associations: gpd.GeoDataFrame
    ties: pd.DataFrame
    respondents: pd.DataFrame
    codebook: dict[str, Any]
    area_survey: pd.DataFrame
    digital: pd.DataFrame
    area_figures: pd.DataFrame = field(default_factory=lambda: empty_frame(AREA_FIGURE_COLUMNS))
    population_grid: gpd.GeoDataFrame | None = None
    addresses: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    plan: pd.DataFrame = field(default_factory=lambda: empty_frame(PLAN_COLUMNS))
    measures: pd.DataFrame = field(default_factory=lambda: empty_frame(MEASURE_COLUMNS))
    initiatives: gpd.GeoDataFrame = field(default_factory=lambda: empty_frame(INITIATIVE_COLUMNS, geometry=True))
    notes: pd.DataFrame = field(default_factory=lambda: empty_frame(NOTE_COLUMNS))
    findings: Findings = field(default_factory=Findings)
    sources: dict[str, str] = field(default_factory=dict)
    licences: dict[str, str] = field(default_factory=dict)
    is_demo: bool = False
    root: Path | None = None
    own_indicators: tuple[Indicator, ...] = ()

    @property
    def registry(self) -> Registry:
        """This dataset's indicator registry: the built-ins plus the keys its codebook and monitor define.

        Built from the dataset itself, so one dataset's keys never reach another dataset or session.
        """
        keys = self.area_survey["indicator"].dropna().astype(str).unique() if len(self.area_survey) else ()
        return dataset_registry(self.codebook, keys, self.own_indicators)

    def areas(self, level: str) -> gpd.GeoDataFrame:
        """The areas of one level (``buurt``, ``wijk`` or ``gemeente``)."""
        try:
            return {"buurt": self.buurten, "wijk": self.wijken, "gemeente": self.gemeente}[level]
        except KeyError:
            raise ValueError(f"Onbekend niveau '{level}'. Kies buurt, wijk of gemeente.") from None

    def areas_in_year(self, level: str, year: int) -> gpd.GeoDataFrame:
        """The areas of one level with the kerncijfers of ``year`` (see :func:`areas_in_year`)."""
        return areas_in_year(self.areas(level), self.area_figures, level, year, self.year)

    @property
    def gemeente_name(self) -> str:
        """Name of the municipality."""
        if len(self.gemeente):
            return str(self.gemeente["gebiedsnaam"].iloc[0])
        return self.name

    def years(self) -> list[int]:
        """All measurement years present in any source, sorted, always including :attr:`year`."""
        found = {int(self.year)}
        for frame in (self.facilities, self.associations, self.ties, self.respondents,
                      self.area_survey, self.digital):
            if "jaar" in frame.columns and len(frame):
                found.update(int(y) for y in pd.unique(frame["jaar"].dropna()))
        return sorted(found)

    def rows_of_year(self, frame: pd.DataFrame, year: int) -> pd.DataFrame:
        """The rows of ``frame`` that belong to ``year`` (see :func:`belongs_to_year`)."""
        return frame[belongs_to_year(frame, year, self.year)]

    def content_hash(self) -> str:
        """A stable hash of the dataset's content, for caching."""
        digest = hashlib.sha256()
        digest.update(f"{self.name}|{self.year}|{self.gemeente_code}".encode())
        for frame in (self.buurten, self.wijken, self.facilities, self.associations, self.ties,
                      self.respondents, self.area_survey, self.digital, self.area_figures, self.plan, self.measures,
                      self.initiatives, self.notes):
            plain = pd.DataFrame(frame).copy()
            if "geometry" in plain.columns:
                plain["geometry"] = gpd.GeoSeries(plain["geometry"]).to_wkb(hex=True)
            digest.update(pd.util.hash_pandas_object(plain.astype(str), index=False).values.tobytes())
        digest.update(repr(sorted(self.codebook.items())).encode())
        for name, extra in (("vierkanten", self.population_grid), ("adressen", self.addresses),
                            ("wegen", self.roads)):
            if extra is not None:  # the placement and network sources: their coordinates and attributes
                digest.update(name.encode())
                coords, index = shapely.get_coordinates(extra.geometry.values, return_index=True)
                digest.update(coords.tobytes() + index.tobytes())
                attributes = pd.DataFrame(extra.drop(columns=extra.geometry.name)).astype(str)
                digest.update(pd.util.hash_pandas_object(attributes, index=False).to_numpy().tobytes())
        return digest.hexdigest()[:16]


def belongs_to_year(frame: pd.DataFrame, year: int, default_year: int) -> pd.Series:
    """Which rows of a frame belong to a measurement year: the one rule for years.

    A row belongs to ``year`` when its ``jaar`` equals ``year``. A row without a ``jaar`` (the
    column is absent or the cell is empty) belongs to the dataset's own measurement year
    (``default_year``, the manifest's ``jaar``) and to no other year. Facility files are
    snapshots: the rows of 2023 are the facilities of 2023.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any source frame (facilities, associations, ties, respondents, area survey, digital).
    year : int
        The measurement year asked for.
    default_year : int
        The year of rows without a ``jaar``.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``frame.index``.
    """
    if "jaar" not in frame.columns:
        return pd.Series(int(year) == int(default_year), index=frame.index, dtype=bool)
    years = pd.to_numeric(frame["jaar"], errors="coerce").fillna(int(default_year))
    return (years == int(year)).astype(bool)


def figures_year(figures: pd.DataFrame, level: str, year: int) -> int | None:
    """The year whose figures stand for ``year``: that year, else the latest earlier one, else None."""
    if len(figures) == 0:
        return None
    years = pd.to_numeric(figures.loc[figures["niveau"] == level, "jaar"], errors="coerce").dropna().astype(int)
    if year in set(years):
        return int(year)
    earlier = years[years < year]
    return int(earlier.max()) if len(earlier) else None


def areas_in_year(areas: gpd.GeoDataFrame, figures: pd.DataFrame, level: str, year: int,
                  base_year: int) -> gpd.GeoDataFrame:
    """The areas of one level with the kerncijfers of one year: every year's indicators use that year's population.

    The areas themselves hold the figures of the measurement year (``base_year``; a kerncijfers table
    was joined into them when the dataset was loaded). For another year, the kerncijfers table's
    figures of that year replace them, column by column (an area the table lacks that year gets no
    figure, never another year's); a year the table lacks takes the latest earlier year it has; a
    column the table never gives keeps the measurement year's values.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        The areas of ``level`` (:data:`AREA_COLUMNS`).
    figures : pandas.DataFrame
        :data:`AREA_FIGURE_COLUMNS` (may be empty).
    level : str
        ``buurt``, ``wijk`` or ``gemeente``.
    year, base_year : int
        The year asked for and the dataset's measurement year.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``areas`` (or ``areas`` itself when nothing changes); ``attrs['cijferjaar']`` is the
        year the figures are of.
    """
    used = None if int(year) == int(base_year) else figures_year(figures, level, int(year))
    if used is None:
        out = areas.copy()
        out.attrs["cijferjaar"] = int(base_year)
        return out
    rows = figures[(figures["niveau"] == level) & (pd.to_numeric(figures["jaar"], errors="coerce") == used)]
    rows = rows.drop_duplicates("gebiedscode").set_index("gebiedscode")
    out = areas.copy()
    codes = out["gebiedscode"].astype(str)
    for column in AREA_FIGURES:
        if column in rows.columns and rows[column].notna().any():
            out[column] = pd.to_numeric(rows[column], errors="coerce").reindex(codes).to_numpy()
    out.attrs["cijferjaar"] = used
    return out


def empty_frame(columns: tuple[str, ...], geometry: bool = False) -> pd.DataFrame | gpd.GeoDataFrame:
    """An empty frame with the standard columns (and an empty geometry in EPSG:28992)."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    if geometry:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)
    return frame
