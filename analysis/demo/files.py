"""The files of the demo: GeoJSON, CSV and TOML text of every part, the Dutch README, and writing them."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from analysis.demo.areas import build_areas, buurt_properties, wijk_properties
from analysis.demo.associations import build_associations, build_ties
from analysis.demo.facilities import Facility, build_facilities
from analysis.demo.geometry import rd_to_wgs84
from analysis.demo.municipality import BASELINE_YEAR, DEFAULT_SEED, GEMEENTE_CODE, GEMEENTE_NAME, WIJKEN, YEAR, YEARS
from analysis.demo.survey import SURVEY_COLUMNS, build_digital, build_monitor, build_survey, codebook_toml

#: The GeoJSON ``crs`` member that declares RD New (read by GDAL and by :mod:`analysis.load.files`).
GEOJSON_CRS_RD = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def fmt_number(value: Any, decimals: int = 0, comma: bool = False) -> str:
    """A number with fixed decimals (empty for None/NaN), optionally with a Dutch decimal comma."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if comma else text


def _coords(geometry: Any) -> Any:
    """GeoJSON coordinates rounded to the grid (exterior rings counter-clockwise, holes clockwise)."""
    def ring(r: Any, ccw: bool) -> list[list[float]]:
        pts = np.asarray(r.coords)
        if shapely.LinearRing(pts).is_ccw != ccw:
            pts = pts[::-1]
        return [[round(float(x), 1), round(float(y), 1)] for x, y in pts]

    if geometry.geom_type == "Point":
        return [round(geometry.x, 1), round(geometry.y, 1)]
    if geometry.geom_type == "Polygon":
        return [ring(geometry.exterior, True), *[ring(h, False) for h in geometry.interiors]]
    if geometry.geom_type == "MultiPolygon":
        return [_coords(p) for p in geometry.geoms]
    raise ValueError(f"unsupported geometry {geometry.geom_type}")


def geojson_text(features: Iterable[tuple[dict[str, Any], Any]], name: str) -> str:
    """A GeoJSON FeatureCollection in RD New (declared with a ``crs`` member), one feature a line."""
    lines = []
    for properties, geometry in features:
        feature = {"type": "Feature", "properties": properties,
                   "geometry": {"type": geometry.geom_type, "coordinates": _coords(geometry)}}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name, "crs": GEOJSON_CRS_RD},
                      ensure_ascii=False, separators=(",", ":"))[:-1]
    return head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], sep: str = ",") -> str:
    """CSV text with ``\\n`` line ends; cells are already formatted strings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


#: The ``[bronnen]`` lines of the demo and the templates: every single-file source by its usual name.
SOURCES_TOML = "".join(f'{key} = "{name}"\n' for key, name in (
    ("buurten", "buurten.geojson"), ("wijken", "wijken.geojson"), ("verenigingen", "verenigingen.csv"),
    ("banden", "banden.csv"), ("enquete", "enquete.csv"), ("codeboek", "codeboek.toml"),
    ("digitaal", "digitaal.csv")))
#: Licence text of every demo file.
FICTIONAL = "Fictief, gegenereerd door Wijkweefsel (analysis/demo.py); vrij te gebruiken (CC0)"


def manifest_toml() -> str:
    """The demo's ``dataset.toml``."""
    return f'''# Voorbeeldstad is een fictieve gemeente, gegenereerd door Wijkweefsel (analysis/demo.py).
# Alle namen, cijfers, verenigingen en antwoorden zijn verzonnen; de code {GEMEENTE_CODE} gebruikt het CBS niet.
[dataset]
naam = "{GEMEENTE_NAME}"
jaar = {YEAR}
gemeente = "{GEMEENTE_CODE}"
fictief = true
beschrijving = "Fictieve demogemeente met een nulmeting ({BASELINE_YEAR}) en een vervolgmeting ({YEAR})."

[bronnen]
{SOURCES_TOML}
[[voorzieningen]]
bestand = "voorzieningen.geojson"
componentkolom = "component"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "scholen.csv"
component = "onderwijs"
naamkolom = "VESTIGINGSNAAM"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "zorg.csv"
component = "zorg"
licentie = "{FICTIONAL}"

[[voorzieningen]]
bestand = "parken.geojson"
component = "openbare_ruimte"
licentie = "{FICTIONAL}"

[[enquete_gebied]]
bestand = "monitor.csv"
codekolom = "WK_CODE"
nkolom = "n_resp"
indicatoren = {{ b_veilig = "veilig_pct" }}
licentie = "Fictieve veiligheidsmonitor; {FICTIONAL}"

[licenties]
buurten = "{FICTIONAL}"
wijken = "{FICTIONAL}"
verenigingen = "{FICTIONAL}"
banden = "{FICTIONAL}"
enquete = "Fictieve antwoorden; {FICTIONAL}"
codeboek = "{FICTIONAL}"
digitaal = "{FICTIONAL}"
'''


def _facility_rows(facilities: list[Facility]) -> list[tuple[Facility, int]]:
    """One (facility, year) per row, sorted by year then id."""
    return sorted(((f, y) for f in facilities for y in f.years), key=lambda fy: (fy[1], fy[0].id))


def _occupancy(f: Facility, year: int) -> float | None:
    return f.bezetting_pct.get(year) if f.bezetting_pct else None


def demo_files(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Every file of the demo dataset as text, by file name (deterministic for a seed)."""
    _, wijk_polygons, buurten = build_areas(seed)
    facilities = build_facilities(buurten, seed)
    associations = build_associations(buurten, seed)
    ties = build_ties(associations, seed)
    files: dict[str, str] = {"dataset.toml": manifest_toml(), "codeboek.toml": codebook_toml()}

    files["buurten.geojson"] = geojson_text(((buurt_properties(b), b.geometry) for b in buurten), "buurten")
    files["wijken.geojson"] = geojson_text(
        ((wijk_properties(w, wijk_polygons[w.code], buurten), wijk_polygons[w.code]) for w in WIJKEN), "wijken")

    rows = _facility_rows(facilities)
    point_components = ("ontmoeting", "verenigingen", "cultuur", "sport", "openbare_ruimte")
    files["voorzieningen.geojson"] = geojson_text(
        (({"id": f.id, "naam": f.naam, "component": f.component, "soort": f.soort,
           "capaciteit": f.capaciteit, "bezetting_pct": _occupancy(f, y), "jaar": y}, f.geometry)
         for f, y in rows if f.component in point_components and f.geometry.geom_type == "Point"), "voorzieningen")
    files["parken.geojson"] = geojson_text(
        (({"id": f.id, "naam": f.naam, "soort": f.soort, "jaar": y}, f.geometry)
         for f, y in rows if f.geometry.geom_type != "Point"), "parken")
    school_rows = [[f.id, f.naam, f.soort, fmt_number(f.capaciteit), str(y), fmt_number(f.geometry.x, 1, True),
                    fmt_number(f.geometry.y, 1, True)] for f, y in rows if f.component == "onderwijs"]
    files["scholen.csv"] = csv_text(["id", "VESTIGINGSNAAM", "soort", "capaciteit", "jaar", "x", "y"],
                                    school_rows, sep=";")
    care = [(f, y) for f, y in rows if f.component == "zorg"]
    lon, lat = rd_to_wgs84([f.geometry.x for f, _ in care], [f.geometry.y for f, _ in care])
    files["zorg.csv"] = csv_text(
        ["id", "naam", "soort", "capaciteit", "jaar", "lat", "lon"],
        [[f.id, f.naam, f.soort, fmt_number(f.capaciteit), str(y), fmt_number(la, 6), fmt_number(lo, 6)]
         for (f, y), la, lo in zip(care, lat, lon)])

    assoc_rows = []
    for a in associations:
        for year in YEARS:
            if year not in a.members:
                continue
            x = fmt_number(a.point.x, 1) if a.point is not None else ""
            y = fmt_number(a.point.y, 1) if a.point is not None else ""
            assoc_rows.append((year, a.id, [a.id, a.naam, a.soort, str(a.members[year]),
                                            "ja" if a.active[year] else "nee", str(year), a.buurt.code, x, y]))
    assoc_rows.sort(key=lambda r: (r[0], r[1]))
    files["verenigingen.csv"] = csv_text(["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "x", "y"],
                                         [r[2] for r in assoc_rows])
    files["banden.csv"] = csv_text(["van", "naar", "soort", "gewicht", "jaar"],
                                   [[v, n, s, str(g), str(j)] for v, n, s, g, j in ties])
    files["enquete.csv"] = csv_text(SURVEY_COLUMNS, build_survey(buurten, seed))
    files["digitaal.csv"] = csv_text(["gebiedscode", "platform", "actieve_gebruikers", "jaar"],
                                     build_digital(buurten, seed))
    files["monitor.csv"] = "\ufeff" + csv_text(["WK_CODE", "jaar", "b_veilig", "n_resp"],
                                               build_monitor(buurten, seed), sep=";")
    files["README.md"] = readme_demo()
    return dict(sorted(files.items()))


def readme_demo() -> str:
    """A short Dutch note in the demo folder: what it is and how it was made."""
    return f"""# Voorbeeldstad (fictief)

Deze map is een **fictieve** gemeente om Wijkweefsel mee te verkennen. Alle gebieden, cijfers, voorzieningen,
verenigingen en enquête-antwoorden zijn verzonnen door een generator met een vaste startwaarde
(`analysis/demo.py`); `wijkweefsel demo --uit MAP` maakt precies dezelfde bestanden opnieuw.

- Gemeente {GEMEENTE_CODE} (een code die het CBS niet gebruikt), {len(WIJKEN)} wijken, rond de 50 buurten, in RD New (EPSG:28992).
- Twee meetjaren in de kolommen `jaar`: de nulmeting {BASELINE_YEAR} en de vervolgmeting {YEAR}. Voorzieningen en
  verenigingen staan per jaar in een eigen rij (een momentopname); wat in 2024 opende staat alleen in {YEAR}, wat sloot
  alleen in {BASELINE_YEAR}.
- Bewust ingebouwde tekorten: de Bloemenwijk heeft in {YEAR} geen ontmoetingsplek meer (het buurthuis sloot in 2024) en
  Oosterdorp heeft sinds 2024 geen huisarts: daar wonen mensen ver van een huisarts.
- Twee buurten op het bedrijventerrein zijn bijna leeg; het CBS houdt hun cijfers geheim (-99999999).
- Verenigingen hebben meestal RD-coördinaten (x, y); een deel is alleen bekend met de buurtcode.
- De zorgvoorzieningen staan in lengte- en breedtegraad (WGS84), de scholen in RD-coördinaten met een puntkomma als
  scheidingsteken en decimale komma's, de veiligheidsmonitor als Excel-CSV (puntkomma, decimale komma).
"""


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo municipality into ``out_dir`` (created when absent), byte-identically for a seed.

    Parameters
    ----------
    out_dir : Path
        Target folder.
    seed : int
        Seed of every random stream.

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    return write_files(Path(out_dir), demo_files(seed))


def write_files(out_dir: Path, files: dict[str, str]) -> list[Path]:
    """Write texts as UTF-8 files (``\\n`` line ends) into ``out_dir``; the paths sorted by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(files.items()):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
