"""Places residents point out in a meeting: from a click to a point, and to a GeoPackage and CSV that load back.

A facilitator clicks the projected map, picks a kind (:data:`PLACE_KINDS`) and types a reason. The places
live in the session only; the download is the save. The CSV loads back as an ``initiatieven`` source
(:func:`analysis.load.informal.load_initiatives`: the reason is the name, cut to the longest name a loader
keeps, the kind the ``soort``, the RD ``x``/``y`` the point, to the centimetre) and as a ``notities`` source
(:func:`analysis.load.informal.load_notes`: ``soort_bron`` bijeenkomst, the buurt as area, the kind and
reason as text, cut as notes are). The CSV's ``reden`` column and the GeoPackage (layer ``plekken``, the
exact points, for QGIS) keep the whole reason; :func:`read_places` reads both back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from analysis.errors import ParameterError
from analysis.load.facilities import MAX_NAME_CHARS
from analysis.load.informal import MAX_NOTE_CHARS
from analysis.model import CRS_RD, CRS_WGS84
from analysis.render.tables import Dialect, csv_bytes

__all__ = ["PLACE_COLUMNS", "PLACE_KINDS", "PLACES_LAYER", "add_place", "new_places", "places_csv",
           "places_frame", "places_gpkg", "read_places"]

#: The kinds of place, in the order the facilitator's buttons show them.
PLACE_KINDS: tuple[str, ...] = ("waardevol", "ontbreekt", "onveilig", "kan beter")
#: Columns of a places frame (plus point ``geometry`` in EPSG:28992).
PLACE_COLUMNS: tuple[str, ...] = ("id", "soort", "reden", "datum", "buurtcode", "wijkcode")
#: Layer name in the GeoPackage.
PLACES_LAYER = "plekken"
#: Decimals of the RD coordinates in the CSV: centimetres.
RD_DECIMALS = 2
#: Where a point may lie (WGS84 degrees): the Netherlands with a margin, as the loaders accept.
_LAT_RANGE, _LON_RANGE = (50.5, 53.8), (3.0, 7.4)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def new_places() -> gpd.GeoDataFrame:
    """An empty places frame (:data:`PLACE_COLUMNS`, points in EPSG:28992)."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in PLACE_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)


def _check(lat: float, lon: float, soort: str, reden: str) -> tuple[float, float, str, str]:
    """The click and the typed text, validated; the reason without control characters and outer blanks."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"De plek heeft geen geldige coördinaten ({lat!r}, {lon!r}); klik opnieuw op de kaart.") \
            from exc
    if not (_LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]):
        raise ParameterError(f"De plek ({lat:.5f}, {lon:.5f}) ligt niet in Nederland; klik op de kaart van de gemeente.")
    kind = str(soort).strip().lower()
    if kind not in PLACE_KINDS:
        raise ParameterError(f"Onbekend soort plek '{soort}'. Kies uit: {', '.join(PLACE_KINDS)}.")
    text = _CONTROL.sub("", str(reden or "")).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ParameterError("Typ een korte reden bij de plek (waarom is hij waardevol, wat ontbreekt er?).")
    return lat, lon, kind, text


def places_frame(clicks: Iterable[Mapping[str, object]], buurten: gpd.GeoDataFrame | None = None,
                 when: dt.date | None = None) -> gpd.GeoDataFrame:
    """Places from clicks: each a mapping with ``lat``, ``lon`` (WGS84, from the map), ``soort`` and ``reden``.

    Parameters
    ----------
    clicks : iterable of mapping
        The places in the order they were added; an optional ``datum`` (date) per click overrides ``when``.
    buurten : geopandas.GeoDataFrame, optional
        The dataset's buurten (``gebiedscode``, ``wijkcode``); each place gets the buurt it lies in
        (empty outside every buurt).
    when : datetime.date, optional
        Date of the meeting; default today.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`PLACE_COLUMNS`, ids ``P001``, ``P002``, ..., points in EPSG:28992.

    Raises
    ------
    ParameterError
        With a Dutch message for a click outside the Netherlands, an unknown kind or an empty reason.
    """
    day = when or dt.date.today()
    rows = []
    for click in clicks:
        lat, lon, kind, text = _check(click.get("lat"), click.get("lon"),  # type: ignore[arg-type]
                                      str(click.get("soort", "")), str(click.get("reden", "")))
        rows.append({"lat": lat, "lon": lon, "soort": kind, "reden": text, "datum": click.get("datum") or day})
    if not rows:
        return new_places()
    frame = pd.DataFrame(rows)
    points = gpd.GeoSeries(shapely.points(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)),
                           crs=CRS_WGS84).to_crs(CRS_RD)
    out = pd.DataFrame({"id": [f"P{i:03d}" for i in range(1, len(frame) + 1)], "soort": frame["soort"],
                        "reden": frame["reden"], "datum": [pd.Timestamp(d).date().isoformat() for d in frame["datum"]],
                        "buurtcode": pd.NA, "wijkcode": pd.NA}, dtype=object)
    places = gpd.GeoDataFrame(out, geometry=points.to_numpy(), crs=CRS_RD)
    if buurten is not None and len(buurten):
        hit = gpd.sjoin(places[["geometry"]], buurten[["gebiedscode", "wijkcode", "geometry"]].to_crs(CRS_RD),
                        how="left", predicate="within")
        hit = hit[~hit.index.duplicated(keep="first")]
        places["buurtcode"] = hit["gebiedscode"].astype(object).where(hit["gebiedscode"].notna(), None)
        places["wijkcode"] = hit["wijkcode"].astype(object).where(hit["wijkcode"].notna(), None)
    return places


def add_place(places: gpd.GeoDataFrame, lat: float, lon: float, soort: str, reden: str,
              buurten: gpd.GeoDataFrame | None = None, when: dt.date | None = None) -> gpd.GeoDataFrame:
    """A new frame with one more place (the session keeps the frame; nothing is stored on the server).

    See :func:`places_frame` for the arguments and the errors.
    """
    new = places_frame([{"lat": lat, "lon": lon, "soort": soort, "reden": reden}], buurten, when)
    new["id"] = f"P{len(places) + 1:03d}"
    if not len(places):
        return new
    return gpd.GeoDataFrame(pd.concat([places, new], ignore_index=True), geometry="geometry", crs=CRS_RD)


def _cut(text: pd.Series, limit: int) -> pd.Series:
    """Texts cut to ``limit`` characters ending in "…", as the loaders cut them (so they load without a warning)."""
    return text.where(text.str.len() <= limit, text.str.slice(0, limit - 1) + "…")


def _csv_frame(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """The CSV's columns: the place (``reden`` in full), and what :func:`load_initiatives` and :func:`load_notes` read."""
    short = _cut(places["soort"].astype(str) + ": " + places["reden"].astype(str), MAX_NOTE_CHARS)
    year = pd.to_datetime(places["datum"]).dt.year
    return pd.DataFrame({
        "id": places["id"], "soort": places["soort"], "reden": places["reden"],
        "x": places.geometry.x.round(RD_DECIMALS).to_numpy(), "y": places.geometry.y.round(RD_DECIMALS).to_numpy(),
        "buurtcode": places["buurtcode"], "datum": places["datum"],
        # as initiatieven: the reason is the name (as long as a name may be); the meeting's year and date
        "naam": _cut(places["reden"].astype(str), MAX_NAME_CHARS), "startjaar": year.to_numpy(), "actief": "ja", "laatst_gecontroleerd": places["datum"],
        # as notities: the buurt, a meeting as source, kind and reason as text (as short as the loader keeps it)
        "gebiedscode": places["buurtcode"], "soort_bron": "bijeenkomst", "tekst": short, "citaat": "nee",
    })


def places_csv(places: gpd.GeoDataFrame, dialect: Dialect = "standaard") -> bytes:
    """The places as CSV (RD ``x``/``y`` to the centimetre), loadable as ``initiatieven`` and as ``notities``.

    Texts a spreadsheet would read as a formula start with ``'`` (:func:`analysis.render.tables.csv_bytes`);
    the loaders drop that prefix again (:func:`analysis.load.facilities.clean_text`).
    """
    return csv_bytes(_csv_frame(places), dialect)


def places_gpkg(places: gpd.GeoDataFrame) -> bytes:
    """The places as a GeoPackage (layer :data:`PLACES_LAYER`, EPSG:28992, the exact points)."""
    frame = gpd.GeoDataFrame(pd.DataFrame(places[list(PLACE_COLUMNS)]).astype("string"),
                             geometry=gpd.GeoSeries(places.geometry.to_numpy(), crs=CRS_RD), crs=CRS_RD)
    with tempfile.TemporaryDirectory(prefix="ww-plekken-") as folder:
        path = Path(folder) / "plekken.gpkg"
        frame.to_file(path, layer=PLACES_LAYER, driver="GPKG")
        return path.read_bytes()


def read_places(data: bytes, name: str) -> gpd.GeoDataFrame:
    """Places back from :func:`places_gpkg` or :func:`places_csv` bytes (``name`` ends in .gpkg or .csv).

    Raises
    ------
    ParameterError
        When the file is neither, or lacks the place columns.
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".gpkg":
        with tempfile.TemporaryDirectory(prefix="ww-plekken-") as folder:
            path = Path(folder) / "plekken.gpkg"
            path.write_bytes(data)
            frame = gpd.read_file(path, layer=PLACES_LAYER)
    elif suffix == ".csv":
        raw = pd.read_csv(io.BytesIO(data), sep=None, engine="python", dtype=str, keep_default_na=False,
                          encoding="utf-8-sig")
        if {"x", "y"} - set(raw.columns):
            raise ParameterError(f"{name} heeft geen kolommen x en y; download de plekken opnieuw.")
        xs, ys = (pd.to_numeric(raw[c].str.replace(",", "."), errors="coerce") for c in ("x", "y"))
        frame = gpd.GeoDataFrame(raw, geometry=shapely.points(xs.to_numpy(), ys.to_numpy()), crs=CRS_RD)
        for col in ("soort", "reden"):
            if col in frame.columns:
                frame[col] = frame[col].str.replace(r"^'(?=[=+\-@])", "", regex=True)
    else:
        raise ParameterError(f"{name} is geen GeoPackage (.gpkg) of CSV (.csv) met plekken.")
    missing = [c for c in ("soort", "reden") if c not in frame.columns]
    if missing:
        raise ParameterError(f"{name} mist de kolom(men) {', '.join(missing)}; download de plekken opnieuw.")
    out = pd.DataFrame({c: frame[c].astype(object).where(frame[c].notna() & (frame[c].astype(str) != ""), None)
                        if c in frame.columns else None for c in PLACE_COLUMNS})
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(frame.geometry.to_numpy(), crs=CRS_RD), crs=CRS_RD)
