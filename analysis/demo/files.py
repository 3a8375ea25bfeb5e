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
from shapely.geometry import Polygon

from analysis.demo.addresses import DWELLINGS_PER_HOUSEHOLD, Address, build_addresses
from analysis.demo.areas import Buurt, build_areas, buurt_properties, wijk_properties
from analysis.demo.associations import Association, TieRow, build_associations, build_ties
from analysis.demo.facilities import Facility, build_facilities
from analysis.demo.geometry import rd_to_wgs84
from analysis.demo.municipality import (
    BASELINE_YEAR,
    DEFAULT_SEED,
    GEMEENTE_CODE,
    GEMEENTE_NAME,
    MIDDLE_YEAR,
    WIJKEN,
    YEAR,
    YEARS,
)
from analysis.demo.streets import Street, build_streets
from analysis.demo.survey import SURVEY_COLUMNS, build_digital, build_monitor, build_survey, codebook_toml
from analysis.demo.water import BRIDGES

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
    if geometry.geom_type == "LineString":
        return [[round(float(x), 1), round(float(y), 1)] for x, y in geometry.coords]
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
    ("digitaal", "digitaal.csv"), ("adressen", "adressen.csv"), ("wegen", "wegen.geojson"),
    ("initiatieven", "initiatieven.csv"), ("notities", "notities.csv"), ("plan", "plan.csv"),
    ("maatregelen", "maatregelen.csv")))
#: Licence text of every demo file.
FICTIONAL = "Fictief, gegenereerd door Wijkweefsel (analysis/demo/); vrij te gebruiken (CC0)"


def manifest_toml() -> str:
    """The demo's ``dataset.toml``."""
    return f'''# Voorbeeldstad is een fictieve gemeente, gegenereerd door Wijkweefsel (analysis/demo/).
# Alle namen, cijfers, verenigingen en antwoorden zijn verzonnen; de code {GEMEENTE_CODE} gebruikt het CBS niet.
[dataset]
naam = "{GEMEENTE_NAME}"
jaar = {YEAR}
gemeente = "{GEMEENTE_CODE}"
fictief = true
beschrijving = "Fictieve demogemeente met een nulmeting ({BASELINE_YEAR}), een tussenmeting van de enquête ({MIDDLE_YEAR}), een vervolgmeting ({YEAR}) en een wijkplan."

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
adressen = "{FICTIONAL}"
wegen = "{FICTIONAL}"
initiatieven = "Fictieve bewonersinitiatieven; {FICTIONAL}"
notities = "Fictieve notities, door niemand gezegd; {FICTIONAL}"
plan = "Fictief wijkplan; {FICTIONAL}"
maatregelen = "Fictieve maatregelen; {FICTIONAL}"
'''


def _facility_rows(facilities: list[Facility]) -> list[tuple[Facility, int]]:
    """One (facility, year) per row, sorted by year then id."""
    return sorted(((f, y) for f in facilities for y in f.years), key=lambda fy: (fy[1], fy[0].id))


def _occupancy(f: Facility, year: int) -> float | None:
    return f.bezetting_pct.get(year) if f.bezetting_pct else None


def _area_files(wijk_polygons: dict[str, Polygon], buurten: list[Buurt]) -> dict[str, str]:
    """``buurten.geojson`` and ``wijken.geojson`` (CBS columns, classic spelling)."""
    return {
        "buurten.geojson": geojson_text(((buurt_properties(b), b.geometry) for b in buurten), "buurten"),
        "wijken.geojson": geojson_text(
            ((wijk_properties(w, wijk_polygons[w.code], buurten), wijk_polygons[w.code]) for w in WIJKEN), "wijken"),
    }


def _facility_files(facilities: list[Facility]) -> dict[str, str]:
    """The four facility files: points (GeoJSON), parks (polygons), schools (RD, semicolons), care (WGS84)."""
    rows = _facility_rows(facilities)
    point_components = ("ontmoeting", "verenigingen", "cultuur", "sport", "openbare_ruimte")
    files = {
        "voorzieningen.geojson": geojson_text(
            (({"id": f.id, "naam": f.naam, "component": f.component, "soort": f.soort,
               "capaciteit": f.capaciteit, "bezetting_pct": _occupancy(f, y), "jaar": y}, f.geometry)
             for f, y in rows if f.component in point_components and f.geometry.geom_type == "Point"),
            "voorzieningen"),
        "parken.geojson": geojson_text(
            (({"id": f.id, "naam": f.naam, "soort": f.soort, "jaar": y}, f.geometry)
             for f, y in rows if f.geometry.geom_type != "Point"), "parken"),
    }
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
    return files


def _association_files(associations: list[Association], ties: list[TieRow]) -> dict[str, str]:
    """``verenigingen.csv`` (a row per association and year) and ``banden.csv``."""
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
    return {
        "verenigingen.csv": csv_text(["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "x", "y"],
                                     [r[2] for r in assoc_rows]),
        "banden.csv": csv_text(["van", "naar", "soort", "gewicht", "jaar"],
                               [[v, n, s, str(g), str(j)] for v, n, s, g, j in ties]),
    }


def _survey_files(buurten: list[Buurt], seed: int) -> dict[str, str]:
    """The survey, its codebook, the platform usage and the safety monitor (an Excel CSV with a BOM)."""
    return {
        "codeboek.toml": codebook_toml(),
        "enquete.csv": csv_text(SURVEY_COLUMNS, build_survey(buurten, seed)),
        "digitaal.csv": csv_text(["gebiedscode", "platform", "actieve_gebruikers", "jaar"], build_digital(buurten, seed)),
        "monitor.csv": "\ufeff" + csv_text(["WK_CODE", "jaar", "b_veilig", "n_resp"], build_monitor(buurten, seed),
                                           sep=";"),
    }


def _placement_files(streets: list[Street], addresses: list[Address]) -> dict[str, str]:
    """``wegen.geojson`` (the street network) and ``adressen.csv`` (address points with their dwellings)."""
    return {
        "wegen.geojson": geojson_text((({"id": s.id, "soort": s.soort}, s.geometry) for s in streets), "wegen"),
        "adressen.csv": csv_text(["id", "x", "y", "aantal_woningen", "functie"],
                                 [[a.id, fmt_number(a.point.x, 1), fmt_number(a.point.y, 1), str(a.aantal_woningen),
                                   a.functie] for a in addresses]),
    }


def _plan_files(buurten: list[Buurt], facilities: list[Facility], associations: list[Association],
                seed: int) -> dict[str, str]:
    """The wijkplan (``plan.csv``, ``maatregelen.csv``), the initiatives and the field notes."""
    from analysis.demo import informal, notes, plan  # they write their rows with this module's csv_text

    return {"plan.csv": plan.plan_csv(), "maatregelen.csv": plan.measures_csv(buurten, facilities),
            "initiatieven.csv": informal.initiatives_csv(informal.build_initiatives(buurten, associations, seed)),
            "notities.csv": notes.notes_csv()}


def demo_files(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Every file of the demo dataset as text, by file name (deterministic for a seed).

    Parameters
    ----------
    seed : int
        Seed of every random stream.

    Returns
    -------
    dict of str to str
        File name -> text, sorted by name.
    """
    outline, wijk_polygons, buurten = build_areas(seed)
    facilities = build_facilities(buurten, seed)
    associations = build_associations(buurten, seed)
    parks = [f.geometry for f in facilities if f.geometry.geom_type != "Point"]
    streets = build_streets(outline, buurten, parks, seed)
    files = {
        "dataset.toml": manifest_toml(), "README.md": readme_demo(),
        **_area_files(wijk_polygons, buurten), **_facility_files(facilities),
        **_association_files(associations, build_ties(associations, seed)), **_survey_files(buurten, seed),
        **_placement_files(streets, build_addresses(buurten, streets, outline, parks, seed)),
        **_plan_files(buurten, facilities, associations, seed),
    }
    return dict(sorted(files.items()))


def readme_demo() -> str:
    """A short Dutch note in the demo folder: what it is and how it was made."""
    bridge_names = " en ".join(name for name, _ in BRIDGES)
    return f"""# Voorbeeldstad (fictief)

Deze map is een **fictieve** gemeente om Wijkweefsel mee te verkennen. Alle gebieden, cijfers, voorzieningen,
verenigingen, adressen, straten en enquête-antwoorden zijn verzonnen door een generator met een vaste startwaarde
(`analysis/demo/`); `wijkweefsel demo --uit MAP` maakt precies dezelfde bestanden opnieuw.

- Gemeente {GEMEENTE_CODE} (een code die het CBS niet gebruikt), {len(WIJKEN)} wijken, rond de 50 buurten, in RD New (EPSG:28992).
- Meetjaren in de kolommen `jaar`: de nulmeting {BASELINE_YEAR}, de tussenmeting {MIDDLE_YEAR} en de vervolgmeting {YEAR},
  zodat de evaluatie een reeks van drie jaar heeft. De sociale kaart wordt per meetjaar bijgehouden: voorzieningen,
  verenigingen, hun banden en het gebruik van digitale platforms staan per jaar in een eigen rij (de stand aan het
  eind van dat jaar). Wat in {MIDDLE_YEAR} opende, staat in {MIDDLE_YEAR} en {YEAR}; wat in {MIDDLE_YEAR} sloot, alleen in
  {BASELINE_YEAR}. De veiligheidsmonitor is er, zoals de Veiligheidsmonitor van het CBS, om de twee jaar:
  {BASELINE_YEAR} en {YEAR}.
- Een fictief wijkplan: `plan.csv` (doelen per wijk en indicator, met basisjaar {BASELINE_YEAR}) en `maatregelen.csv`.
  In de enquête is het effect van de maatregelen ingebouwd: het opbouwwerk en wijkcentrum De Kreek in Waterrijk
  (sinds september 2023) werken (de samenhang stijgt meer dan in vergelijkbare wijken), de sport- en cultuurimpuls in
  Zuiderhage (sinds mei 2024) niet, en de buurtkamer in de Bloemenwijk begint pas na de laatste meting.
- `initiatieven.csv`: verzonnen bewonersinitiatieven, buurtgroepen en app-groepen in de meeste wijken, weinig in de
  wijk met de zwakste samenhang; een paar zijn al jaren niet gecontroleerd (`laatst_gecontroleerd`).
- `notities.csv`: verzonnen notities van wijkgesprekken, interviews en observaties, met citaten die niemand ooit zei.
- Bewust ingebouwde tekorten: de Bloemenwijk heeft in {YEAR} geen ontmoetingsplek meer (het buurthuis sloot in 2024) en
  Oosterdorp heeft sinds 2024 geen huisarts: daar wonen mensen ver van een huisarts.
- Twee buurten op het bedrijventerrein zijn bijna leeg; het CBS houdt hun cijfers geheim (-99999999).
- Verenigingen hebben meestal RD-coördinaten (x, y); een deel is alleen bekend met de buurtcode.
- De zorgvoorzieningen staan in lengte- en breedtegraad (WGS84), de scholen in RD-coördinaten met een puntkomma als
  scheidingsteken en decimale komma's, de veiligheidsmonitor als Excel-CSV (puntkomma, decimale komma).
- `adressen.csv` is een verzonnen BAG-uittreksel: adrespunten langs de straten van elke buurt met het aantal woningen
  (ongeveer {(DWELLINGS_PER_HOUSEHOLD - 1) * 100:.0f} % meer woningen dan huishoudens; een flat is één punt met veel woningen) en de functie
  (`wonen`, `winkel`, `bedrijf`). Op het bedrijventerrein staan vooral bedrijven; in parken en in het water staat niets.
- `wegen.geojson` is het stratennet (lijnen in RD, verbonden waar ze een hoekpunt delen): een verbogen stratenraster per
  buurt, straten langs de buurtgrenzen, paden rond de parken en kades langs het kanaal De Vaart. Dat kanaal loopt van
  west naar zuidoost dwars door de stad en heeft maar {len(BRIDGES)} bruggen ({bridge_names}): wie aan de overkant
  woont, is hemelsbreed dichtbij maar te voet ver weg.
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
