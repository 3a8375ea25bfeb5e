"""The layer specification of a map: what to draw (areas, facilities, network, witte vlekken, patterns) and how to show it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.compute.pattern import CLUSTER_LABELS
from analysis.errors import ParameterError
from analysis.render.assets import COMPONENT_ASSET_BASE_URL
from analysis.render.classes import SCHEMES, Scheme

__all__ = [
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "LISA_CLUSTERS",
    "SMALL_MAP_HEIGHT_PX",
    "TILE_HOSTS",
    "AreaLayer",
    "Basemap",
    "FacilityLayer",
    "InitiativeLayer",
    "MapSpec",
    "MapView",
    "NetworkLayer",
    "PatternLayer",
    "PlaceLayer",
    "WhiteSpotLayer",
]

#: LISA cluster codes -> (Dutch label, outline colour, dash pattern). GeoDa's colours; outliers dashed
#: so that they differ by more than colour alone.
LISA_CLUSTERS: Mapping[str, tuple[str, str, str | None]] = MappingProxyType({
    "HH": (CLUSTER_LABELS["HH"], "#d7191c", None),
    "LL": (CLUSTER_LABELS["LL"], "#2c7bb6", None),
    "HL": (CLUSTER_LABELS["HL"], "#fdae61", "7 5"),
    "LH": (CLUSTER_LABELS["LH"], "#abd9e9", "7 5"),
})

#: Maps lower than this (pixels) start with their controls collapsed, unless the view says otherwise:
#: an open layer control covers most of a small map.
SMALL_MAP_HEIGHT_PX = 450


@dataclass(frozen=True)
class Basemap:
    """A background map choice.

    Attributes
    ----------
    name : str
        Dutch name shown in the layer control and the page's select box.
    tiles_url : str or None
        XYZ tile URL template; ``None`` for a plain background without tiles.
    attribution : str
        Attribution (publisher and licence) as plain text: no links, so the map's HTML names no
        host but the tile servers.
    max_zoom : int
        Highest zoom level the tiles exist for.
    """

    name: str
    tiles_url: str | None
    attribution: str
    max_zoom: int = 19


DEFAULT_BASEMAP = "PDOK BRT-Achtergrondkaart"

#: The basemaps, the default first. Tiles are the only requests a map makes to another host.
BASEMAPS: Mapping[str, Basemap] = MappingProxyType({
    b.name: b
    for b in (
        Basemap(
            DEFAULT_BASEMAP,
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
            "Achtergrond: &copy; Kadaster / PDOK, CC BY 4.0",
            19,
        ),
        Basemap(
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Achtergrond: &copy; OpenStreetMap-bijdragers, ODbL",
            19,
        ),
        Basemap("Geen achtergrond", None, "", 19),
    )
})

#: Hosts the basemaps load tiles from (the only outside hosts a map may contact).
TILE_HOSTS: tuple[str, ...] = ("service.pdok.nl", "tile.openstreetmap.org")


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{what} missen de kolom(men) {', '.join(repr(c) for c in missing)}.")


@dataclass(frozen=True, eq=False)
class AreaLayer:
    """The areas, optionally coloured by one indicator (a choropleth).

    Attributes
    ----------
    areas : geopandas.GeoDataFrame
        Areas from :func:`analysis.render.geometry.display_geometry` (EPSG:4326) with ``gebiedscode``
        and ``gebiedsnaam``; each GeoJSON feature carries both (see :func:`analysis.render.maps.clicked_area_code`).
    value_column : str, optional
        Column of ``areas`` to colour by; ``None`` draws outlines only.
    value_label : str
        Dutch name (and unit) of the indicator, for legend and tooltips.
    higher_is_better : bool
        Direction of the indicator; the darkest colour is always the best class.
    suppressed_mask : array of bool, optional
        Areas whose figure is suppressed (too few respondents): hatched grey, "te weinig respons",
        never a colour of the scale. Aligned with ``areas`` (by index when a Series).
    scheme : {"quantiles", "natural_breaks"}
        Classification, see :func:`analysis.render.classes.classify`.
    k : int
        Wanted number of classes.
    unit : str, optional
        The indicator's unit (registry); tooltips then show values with the unit's precision and suffix
        (:func:`analysis.formatting.format_value`). Without it they use ``decimals`` or the class labels'.
    decimals : int, optional
        Decimals of values in tooltips when there is no ``unit``.
    tooltip_columns : mapping, optional
        Extra columns of ``areas`` for the tooltip, column -> Dutch label.
    focus_code : str, optional
        Area to outline heavily and zoom to (wijkprofiel).
    """

    areas: gpd.GeoDataFrame
    value_column: str | None = None
    value_label: str = ""
    higher_is_better: bool = True
    suppressed_mask: pd.Series | np.ndarray | None = None
    scheme: Scheme = "quantiles"
    k: int = 5
    unit: str | None = None
    decimals: int | None = None
    tooltip_columns: Mapping[str, str] = field(default_factory=dict)
    focus_code: str | None = None

    def __post_init__(self) -> None:
        _require_columns(self.areas, ("gebiedscode", "gebiedsnaam"), "De gebieden")
        if self.value_column is not None:
            _require_columns(self.areas, (self.value_column,), "De gebieden")
        if self.scheme not in SCHEMES:
            raise ParameterError(f"Onbekende klasse-indeling '{self.scheme}'. Kies quantiles of natural_breaks.")
        if int(self.k) < 1:
            raise ParameterError(f"Het aantal klassen moet minstens 1 zijn (gekregen: {self.k}).")
        if self.suppressed_mask is not None and not isinstance(self.suppressed_mask, pd.Series) \
                and len(np.asarray(self.suppressed_mask)) != len(self.areas):
            raise ParameterError(f"Het onderdrukkingsmasker heeft {len(np.asarray(self.suppressed_mask))} waarden "
                                 f"voor {len(self.areas)} gebieden; geef er één per gebied.")

    @property
    def choropleth(self) -> bool:
        """True when the areas are coloured by a value."""
        return self.value_column is not None


@dataclass(frozen=True, eq=False)
class FacilityLayer:
    """Facilities, one toggleable layer per component.

    Attributes
    ----------
    facilities : geopandas.GeoDataFrame
        Facilities (EPSG:28992) with ``component``, ``naam`` and ``soort``.
    visible_components : frozenset of str, optional
        Component keys whose layer is switched on at first (default: all).
    reference_date : pandas.Timestamp, optional
        "Today" for the sociale kaart's age: with it, facilities whose ``laatst_gecontroleerd`` is older than
        12 months (or missing, in a list that has dates) carry a stale badge.
    """

    facilities: gpd.GeoDataFrame
    visible_components: frozenset[str] | None = None
    reference_date: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if self.visible_components is not None and not isinstance(self.visible_components, frozenset):
            object.__setattr__(self, "visible_components", frozenset(self.visible_components))


@dataclass(frozen=True, eq=False)
class InitiativeLayer:
    """Informal networks and resident initiatives: hollow dashed rings, unlike any formal facility.

    Attributes
    ----------
    initiatives : geopandas.GeoDataFrame
        ``ds.initiatives`` (EPSG:28992) with ``naam``, ``soort`` and optionally ``betrokkenen`` and
        ``laatst_gecontroleerd``.
    reference_date : pandas.Timestamp, optional
        "Today": entries not checked within 12 months carry a stale badge.
    """

    initiatives: gpd.GeoDataFrame
    reference_date: pd.Timestamp | None = None


@dataclass(frozen=True, eq=False)
class PlaceLayer:
    """Places pointed out in a meeting (:mod:`analysis.render.places`): four big markers by kind.

    Attributes
    ----------
    places : geopandas.GeoDataFrame
        Points (EPSG:28992) with ``soort`` (waardevol, ontbreekt, onveilig, kan beter) and ``reden``.
    """

    places: gpd.GeoDataFrame

    def __post_init__(self) -> None:
        _require_columns(self.places, ("soort", "reden"), "De plekken")


@dataclass(frozen=True, eq=False)
class NetworkLayer:
    """The association network: ties as lines, associations as circles sized by their number of partners.

    Attributes
    ----------
    associations : geopandas.GeoDataFrame
        Associations (points) with ``id``, ``naam`` and ``soort``.
    ties : pandas.DataFrame
        Ties with ``van`` and ``naar`` (association ids).
    """

    associations: gpd.GeoDataFrame
    ties: pd.DataFrame


@dataclass(frozen=True, eq=False)
class WhiteSpotLayer:
    """Witte vlekken: the parts of the gemeente outside the walking norm, red hatched.

    Attributes
    ----------
    spots : geopandas.GeoDataFrame
        Polygons (EPSG:28992).
    """

    spots: gpd.GeoDataFrame

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw."""
        return self.spots is None or self.spots.empty


@dataclass(frozen=True, eq=False)
class PatternLayer:
    """Spatial patterns (local Moran's I clusters) as thick outlines.

    Attributes
    ----------
    lisa : pandas.DataFrame
        ``gebiedscode`` and ``cluster`` (HH, LL, HL or LH; anything else is not significant).
    """

    lisa: pd.DataFrame

    def __post_init__(self) -> None:
        _require_columns(self.lisa, ("gebiedscode", "cluster"), "De LISA-clusters")


@dataclass(frozen=True)
class MapView:
    """How the map is shown.

    Attributes
    ----------
    basemap : str
        A key of :data:`BASEMAPS`; the others can be chosen in the layer control.
    height : int
        Map height in pixels (pass the same height to ``st_folium``).
    presentation : bool
        Large type and heavier lines for a projected screen.
    controls_collapsed : bool, optional
        Start with the layer control folded to its icon. Default: folded in presentation mode and on
        maps lower than :data:`SMALL_MAP_HEIGHT_PX`.
    asset_base_url : str
        Where Leaflet is served; the default works inside the streamlit-folium iframe.
    """

    basemap: str = DEFAULT_BASEMAP
    height: int = 600
    presentation: bool = False
    controls_collapsed: bool | None = None
    asset_base_url: str = COMPONENT_ASSET_BASE_URL

    def __post_init__(self) -> None:
        if self.basemap not in BASEMAPS:
            raise ParameterError(f"Onbekende achtergrondkaart '{self.basemap}'. Kies een van: {', '.join(BASEMAPS)}.")
        if int(self.height) < 100:
            raise ParameterError(f"Een kaart moet minstens 100 pixels hoog zijn (gekregen: {self.height}).")

    @property
    def collapsed(self) -> bool:
        """Whether the layer control starts folded (see :attr:`controls_collapsed`)."""
        if self.controls_collapsed is not None:
            return bool(self.controls_collapsed)
        return self.presentation or int(self.height) < SMALL_MAP_HEIGHT_PX


@dataclass(frozen=True, eq=False)
class MapSpec:
    """Everything :func:`analysis.render.maps.build_map` draws: the areas, optional layers and the view.

    Attributes
    ----------
    areas : AreaLayer
        The areas (always drawn).
    facilities, network, white_spots, patterns, initiatives, places : optional
        Extra layers, drawn above the areas in the order patterns, witte vlekken, network, facilities,
        initiatives, places.
    view : MapView
        Basemap, height, presentation mode, controls.

    Examples
    --------
    >>> spec = MapSpec(AreaLayer(areas, value_column="waarde", value_label="Eenzaam (%)", unit="%"),
    ...                facilities=FacilityLayer(facilities), view=MapView(height=400))  # doctest: +SKIP
    >>> m = build_map(spec)  # doctest: +SKIP
    """

    areas: AreaLayer
    facilities: FacilityLayer | None = None
    network: NetworkLayer | None = None
    white_spots: WhiteSpotLayer | None = None
    patterns: PatternLayer | None = None
    initiatives: InitiativeLayer | None = None
    places: PlaceLayer | None = None
    view: MapView = field(default_factory=MapView)
