"""The corpus of broken inputs in tests/broken/: synthetic buurten, and per case the exit code and the Dutch lines expected."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

BROKEN_DIR = Path(__file__).resolve().parent / "broken"
GM = "GM9999"

#: Four 1 km squares in RD New near (180000, 520000): code, name, lower-left x and y (m), inhabitants.
BUURTEN: tuple[tuple[str, str, float, float, int], ...] = (
    ("BU99990101", "Centrum-Noord", 180_000.0, 520_000.0, 1200),
    ("BU99990102", "Centrum-Zuid", 181_000.0, 520_000.0, 800),
    ("BU99990201", "Oost", 180_000.0, 521_000.0, 1500),
    ("BU99990202", "West", 181_000.0, 521_000.0, 500),
)
SIDE_M = 1_000.0


def buurten_geojson(duplicate_last: bool = False) -> dict:
    """The synthetic buurten as GeoJSON (EPSG:28992 declared); optionally the last code repeats the one before."""
    features = []
    for number, (code, name, x, y, inhabitants) in enumerate(BUURTEN):
        if duplicate_last and number == len(BUURTEN) - 1:
            code = BUURTEN[number - 1][0]
        ring = [[x, y], [x + SIDE_M, y], [x + SIDE_M, y + SIDE_M], [x, y + SIDE_M], [x, y]]
        features.append({
            "type": "Feature",
            "properties": {"BU_CODE": code, "BU_NAAM": name, "WK_CODE": "WK" + code[2:8], "GM_CODE": GM,
                           "GM_NAAM": "Kapotstad", "AANT_INW": inhabitants, "AANTAL_HH": inhabitants // 2},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    return {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
            "features": features}


def write_buurten(folder: Path, duplicate_last: bool = False) -> Path:
    """Write ``buurten.geojson`` into ``folder``."""
    path = Path(folder) / "buurten.geojson"
    path.write_text(json.dumps(buurten_geojson(duplicate_last)), encoding="utf-8")
    return path


@dataclass(frozen=True)
class BrokenCase:
    """One broken input: a folder (or file) in tests/broken/, its exit code and expected output lines.

    ``expected`` holds tuples of substrings that must all stand together in one printed line.
    ``buurten`` is ``"standaard"`` (synthetic buurten added), ``"dubbel"`` (with a duplicate code)
    or ``None`` (nothing added).
    """

    name: str
    exit_code: int
    expected: tuple[tuple[str, ...], ...]
    buurten: str | None = "standaard"
    absent: tuple[str, ...] = field(default=())


CASES: tuple[BrokenCase, ...] = (
    BrokenCase("ontbrekende_kolom", 1, (
        ("[FOUT]", "verenigingen.csv, rij 1, kolom 'naam'", "de verplichte kolom 'naam' ontbreekt", "Oplossing:"),)),
    BrokenCase("onbekende_component_kolom", 0, (
        ("[WAARSCHUWING]", "voorzieningen.csv, rij 3, kolom 'component'", "onbekende component 'zwemmen'"),)),
    BrokenCase("onbekende_component_manifest", 1, (
        ("[FOUT]", "dataset.toml", "onbekende component 'scholen' bij bestand scholen.csv", "onderwijs"),)),
    BrokenCase("dubbele_buurtcodes", 1, (
        ("[FOUT]", "buurten.geojson, rij 3, kolom 'BU_CODE'", "buurtcode 'BU99990201' komt vaker voor"),
        ("[FOUT]", "buurten.geojson, rij 4, kolom 'BU_CODE'", "buurtcode 'BU99990201' komt vaker voor"),
    ), buurten="dubbel"),
    BrokenCase("buurtcode_onbekend", 0, (
        ("[WAARSCHUWING]", "verenigingen.csv, rij 3, kolom 'buurtcode'",
         "buurtcode 'BU99990909' staat niet in de buurten"),)),
    BrokenCase("band_onbekende_vereniging", 0, (
        ("[WAARSCHUWING]", "banden.csv, rij 3, kolom 'naar'", "vereniging 'V9' bestaat niet"),)),
    BrokenCase("punt_buiten_gemeente", 0, (
        ("[WAARSCHUWING]", "voorzieningen.csv, rij 3", "ligt ver buiten de gemeente (50.0 km van de grens)"),)),
    BrokenCase("antwoord_buiten_codeboek", 0, (
        ("[WAARSCHUWING]", "enquete.csv, rij 3, kolom 's1'", "antwoord 7 is geen code van schaal 'cohesie'"),)),
    BrokenCase("leeg_bestand", 1, (
        ("[FOUT]", "digitaal.csv:", "het bestand is leeg"),)),
    BrokenCase("onleesbaar_bestand", 1, (
        ("[FOUT]", "verenigingen.csv:", "bevat binaire gegevens"),)),
    BrokenCase("kapotte_manifest", 1, (
        ("[FOUT]", "dataset.toml, rij 6:", "geen geldige TOML (ongeldige waarde", "regel 6"),)),
    BrokenCase("ontbrekend_bestand", 1, (
        ("[FOUT]", "dataset.toml, kolom 'bronnen.verenigingen'", "'verenigingen.csv' staat niet in de datasetmap",
         "er staat wel 'vereniging.csv'"),)),
    BrokenCase("nederlandse_spreadsheet", 0, (
        ("[INFO]", "verenigingen.csv:", "Windows-1252"),), absent=("[WAARSCHUWING] verenigingen.csv",)),
    BrokenCase("dubbel_vereniging_id", 1, (
        ("[FOUT]", "verenigingen.csv, rij 3, kolom 'id'", "id 'V1' komt vaker voor in jaar 2025"),)),
    BrokenCase("geen_buurten", 1, (
        ("[FOUT]", "dataset.toml, kolom 'bronnen.buurten'", "noemt geen buurtenbestand"),), buurten=None),
    BrokenCase("enquete_zonder_leeftijd", 1, (
        ("[FOUT]", "enquete.csv, rij 1, kolom 'leeftijd'", "de verplichte kolom 'leeftijd' ontbreekt"),)),
    BrokenCase("losse_buurten_zonder_code.geojson", 1, (
        ("[FOUT]", "losse_buurten_zonder_code.geojson:", "er is geen kolom met buurtcodes"),), buurten=None),
    BrokenCase("losse_digitaal.csv", 0, (
        ("[WAARSCHUWING]", "losse_digitaal.csv, rij 3, kolom 'gebiedscode'", "'WIJK3' is geen buurt-, wijk- of gemeentecode"),
        ("[WAARSCHUWING]", "losse_digitaal.csv, rij 4, kolom 'actieve_gebruikers'", "-5 actieve gebruikers is negatief"),
    ), buurten=None),
)


def prepare(case: BrokenCase, tmp_path: Path) -> Path:
    """Copy a case into ``tmp_path`` (adding the synthetic buurten) and return the path to validate."""
    source = BROKEN_DIR / case.name
    target = Path(tmp_path) / case.name
    if source.is_file():
        shutil.copyfile(source, target)
        return target
    shutil.copytree(source, target)
    if case.buurten is not None:
        write_buurten(target, duplicate_last=case.buurten == "dubbel")
    return target
