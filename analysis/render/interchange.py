"""Files for other tools: the association network as GEXF and GraphML (Gephi, Cytoscape), the areas as a GeoPackage (QGIS)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd

from analysis.compute import network
from analysis.model import AREA_COLUMNS, CRS_RD, Dataset
from analysis.params import IndicatorParams
from analysis.render.tables import FICTIONAL_COLUMN, FICTIONAL_VALUE, wide_indicators

__all__ = ["GPKG_LAYERS", "areas_gpkg", "network_gexf", "network_graph", "network_graphml"]

#: Gebiedsindeling layers of :func:`areas_gpkg`.
GPKG_LAYERS: dict[str, str] = {"buurt": "buurten", "wijk": "wijken", "gemeente": "gemeente"}


def network_graph(ds: Dataset, year: int | None = None, params: IndicatorParams | None = None) -> nx.Graph:
    """The association network of ``year`` with metrics as typed node attributes.

    The graph of :func:`analysis.compute.network.year_network`, the one the Netwerk page and the
    per-area figures use, plus the year's inactive associations as nodes with ``actief`` false,
    without ties and without metrics (they take part in no figure; filter on ``actief`` in Gephi).
    Every node has ``label`` (the name, for Gephi), ``naam``, ``soort``, ``buurtcode``,
    ``wijkcode`` (text, ``""`` when unknown), ``actief`` (bool) and ``leden`` (float, only when
    known); every active node also ``graad`` (int), ``gewogen_graad`` and ``betweenness`` (float)
    and ``gemeenschap`` (int). Every edge has ``weight`` (float), ``banden`` (int) and
    ``soorten`` (text, kinds joined by ``"; "``). No attribute is ``None``, so GEXF and
    GraphML can type every column. The graph's ``naam`` starts with ``FICTIEF:`` on demo data, which
    also carry the graph attribute ``fictief`` = ``ja``.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    year : int, optional
        Year of the associations and ties (the one year rule); default ``ds.year``.
    params : IndicatorParams, optional
        Seed and betweenness sampling of the metrics; default :class:`IndicatorParams()`.
    """
    year = int(ds.year if year is None else year)
    graph, metrics = network.year_network(ds, year, params, include_inactive=True)
    out = nx.Graph()
    name = f"Verenigingsnetwerk {ds.gemeente_name} {year}"
    name = f"FICTIEF: {name}" if ds.is_demo else name
    out.graph.update({"naam": name, "name": name, "jaar": year})  # GEXF writes "name" as the graph's name
    if ds.is_demo:
        out.graph[FICTIONAL_COLUMN] = FICTIONAL_VALUE
    by_id = metrics.set_index(metrics["id"].astype(str)) if len(metrics) else pd.DataFrame()
    for node, data in graph.nodes(data=True):
        attrs: dict[str, object] = {
            "label": str(data.get("naam", node)),
            "naam": str(data.get("naam", "")),
            "soort": str(data.get("soort", "")),
            "buurtcode": str(data.get("buurtcode", "")),
            "wijkcode": str(data.get("wijkcode", "")),
            "actief": bool(data.get("actief", True)),
        }
        leden = data.get("leden")
        if leden is not None and not (isinstance(leden, float) and math.isnan(leden)):
            attrs["leden"] = float(leden)
        if str(node) in by_id.index:
            m = by_id.loc[str(node)]
            attrs.update(graad=int(m["graad"]), gewogen_graad=float(m["gewogen_graad"]),
                         betweenness=float(m["betweenness"]), gemeenschap=int(m["gemeenschap"]))
        out.add_node(str(node), **attrs)
    for u, v, data in graph.edges(data=True):
        out.add_edge(str(u), str(v), weight=float(data.get("weight", 1.0)), banden=int(data.get("banden", 1)),
                     soorten="; ".join(str(s) for s in data.get("soorten", [])))
    return out


def network_gexf(ds: Dataset, year: int | None = None) -> bytes:
    """The association network as GEXF 1.2 (for Gephi); see :func:`network_graph`."""
    buffer = io.BytesIO()
    nx.write_gexf(network_graph(ds, year), buffer, encoding="utf-8")
    return buffer.getvalue()


def network_graphml(ds: Dataset, year: int | None = None) -> bytes:
    """The association network as GraphML (for Cytoscape and Gephi); see :func:`network_graph`."""
    buffer = io.BytesIO()
    nx.write_graphml(network_graph(ds, year), buffer, encoding="utf-8")
    return buffer.getvalue()


def areas_gpkg(ds: Dataset, table: pd.DataFrame, path: str | Path, year: int | None = None) -> Path:
    """Write the areas with their indicators (wide) as a GeoPackage in EPSG:28992, for QGIS.

    Layers ``buurten``, ``wijken`` and ``gemeente`` (those with areas): the standard area
    columns plus one column per indicator key of ``year`` (suppressed figures empty); on demo data
    a first column ``fictief`` = ``ja``.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table.
    path : str or Path
        The ``.gpkg`` file to write (replaced when it exists).
    year : int, optional
        Year of the indicator columns; default ``ds.year``.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    if path.exists():
        path.unlink()
    year = int(ds.year if year is None else year)
    for level, layer in GPKG_LAYERS.items():
        areas = ds.areas(level)
        if len(areas) == 0:
            continue
        base = [c for c in AREA_COLUMNS if c in areas.columns]
        frame = pd.DataFrame(areas[base]).copy()
        frame["gebiedscode"] = frame["gebiedscode"].astype(str)
        for column in ("gebiedsnaam", "niveau", "wijkcode", "gemeentecode", "gemeentenaam"):
            if column in frame.columns:
                frame[column] = frame[column].astype("string")
        wide = wide_indicators(table, level, year, ds.registry)[0]
        wide = wide[[c for c in wide.columns if c not in frame.columns]]
        frame = frame.join(wide, on="gebiedscode")
        frame["jaar"] = year
        if ds.is_demo:
            frame.insert(0, FICTIONAL_COLUMN, FICTIONAL_VALUE)
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(areas.geometry.to_numpy(), crs=CRS_RD), crs=CRS_RD)
        gdf.to_file(path, layer=layer, driver="GPKG")
    return path
