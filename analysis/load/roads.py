"""The street network file (OpenStreetMap or NWB lines) -> walkable line segments in EPSG:28992."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load.files import read_geo, report_rows, row_kind
from analysis.model import CRS_RD

#: A buurt whose representative point lies farther than this from every street is probably not covered.
UNCOVERED_BUURT_M = 500.0
#: Line geometry types of a street network.
_LINE_TYPES = ("LineString", "MultiLineString")


def read_roads(path: Path | str, findings: Findings, buurten: gpd.GeoDataFrame | None = None,
               file: str | None = None) -> gpd.GeoDataFrame:
    """Read a street network as lines.

    Accepts a GeoPackage (its first layer), GeoJSON or zipped Shapefile of LineStrings or
    MultiLineStrings, as exported from OpenStreetMap (``highway=*`` ways) or the NWB
    (Nationaal Wegenbestand). For walking every segment counts as two-way, whatever a
    one-way column says. Lines connect only where they share a vertex (see
    :mod:`analysis.compute.routing`). Other geometry types are left out with a warning.

    Parameters
    ----------
    path : path-like
        The network file.
    findings : Findings
        Receives warnings and infos.
    buurten : geopandas.GeoDataFrame, optional
        When given, buurten farther than :data:`UNCOVERED_BUURT_M` from every street get a
        warning (the network probably does not cover them).
    file : str, optional
        File name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id`` (the file's own id, else the feature number) and LineString geometry (EPSG:28992),
        one row per line part.

    Raises
    ------
    DatasetError
        When the file cannot be read or holds no line.
    """
    path = Path(path)
    file = file or path.name
    if path.name.lower().endswith((".osm.pbf", ".pbf", ".osm")):
        raise DatasetError(Finding("fout", file, "OpenStreetMap-bestanden (.osm.pbf) worden niet rechtstreeks gelezen",
                                   "exporteer de wegen (highway=*) als GeoPackage of GeoJSON, bijvoorbeeld met QGIS"))
    raw = read_geo(path, findings, file)
    kind = row_kind(raw)
    types = raw.geometry.geom_type
    lines = types.isin(_LINE_TYPES)
    other = raw.geometry.notna() & ~raw.geometry.is_empty & ~lines
    if other.any():
        report_rows(findings, "waarschuwing", file, other[other].index, None,
                    lambda i: f"dit object is geen lijn ({types.loc[i]}) en hoort niet bij het stratennet; het telt niet mee",
                    "zet alleen wegen als lijnen in het bestand", kind)
    if not lines.any():
        raise DatasetError(Finding("fout", file, "het bestand bevat geen lijnen: een stratennet bestaat uit lijnen",
                                   "exporteer de wegen als lijnen (LineString) in GeoPackage, GeoJSON of een gezipte Shapefile"))
    id_column = next((c for c in raw.columns if str(c).lower() in ("id", "osm_id", "wvk_id", "fid")), None)
    ids = (raw[id_column].astype("string") if id_column is not None
           else pd.Series(np.arange(1, len(raw) + 1), index=raw.index).astype("string"))
    kept = raw[lines]
    frame = gpd.GeoDataFrame({"id": ids[lines].to_numpy()}, geometry=kept.geometry.values, crs=CRS_RD)
    frame = frame.explode(index_parts=False, ignore_index=True)
    frame = frame[~frame.geometry.is_empty & (frame.geometry.length > 0)].reset_index(drop=True)
    frame["id"] = frame["id"].astype("string")
    _report_uncovered(frame, buurten, findings, file)
    return frame


def _report_uncovered(roads: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame | None, findings: Findings,
                      file: str) -> None:
    """Warn about buurten far from every street (the network does not cover the whole gemeente)."""
    if buurten is None or len(buurten) == 0 or len(roads) == 0:
        return
    reps = shapely.point_on_surface(np.asarray(buurten.geometry.values, dtype=object))
    ok = ~(pd.isna(reps) | shapely.is_empty(reps))
    tree = shapely.STRtree(np.asarray(roads.geometry.values, dtype=object))
    _, distance = tree.query_nearest(reps[ok], return_distance=True, all_matches=False)
    far = np.asarray(distance) > UNCOVERED_BUURT_M
    if far.any():
        codes = pd.Series(buurten["gebiedscode"]).astype("string").to_numpy()[ok][far]
        shown = ", ".join(codes[:8]) + (f" en nog {len(codes) - 8}" if len(codes) > 8 else "")
        findings.warning(file, f"{len(codes)} buurten liggen verder dan {UNCOVERED_BUURT_M:.0f} m van elke straat in "
                               f"het stratennet ({shown}); hun afstanden over het net zijn onbetrouwbaar",
                         "gebruik een stratenbestand dat de hele gemeente (en een rand eromheen) dekt")


__all__ = ["UNCOVERED_BUURT_M", "read_roads"]
