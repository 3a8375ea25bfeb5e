"""The facilities of the demo: the seven place components per year, with deliberate gaps, openings and closures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon

from analysis.demo.areas import Buurt
from analysis.demo.geometry import point_in, snap
from analysis.demo.municipality import (
    BASELINE_YEAR,
    BUSINESS_PARK_WIJK,
    DEFAULT_SEED,
    ENDPOINT_YEARS,
    GAP_WIJK_NO_MEETING,
    MIDDLE_STREAMS,
    MIDDLE_YEAR,
    VILLAGE_WIJK,
    WIJKEN,
    YEAR,
    YEARS,
    random_stream,
)

SCHOOL_NAMES: tuple[str, ...] = (
    "OBS De Regenboog", "CBS De Wegwijzer", "RKBS Sint Jozef", "IKC De Vlinder", "Basisschool Het Kompas",
    "OBS De Springplank", "CBS De Ark", "Montessorischool Voorbeeldstad", "Daltonschool De Sterrenboog",
    "OBS De Tweemaster", "CBS Het Anker", "RKBS De Triangel", "Basisschool De Zonnewijzer",
    "OBS 't Startblok", "CBS De Fontein", "Jenaplanschool De Wilgen", "OBS De Kleine Prins",
    "CBS Koningin Juliana", "Basisschool De Bolster", "OBS Het Palet", "CBS De Bron", "Vrije School De Es",
)
#: The id prefix of each component.
ID_PREFIX: dict[str, str] = {"ontmoeting": "ONT", "verenigingen": "VER", "onderwijs": "OND", "zorg": "ZRG",
                             "cultuur": "CUL", "sport": "SPO", "openbare_ruimte": "OR"}
#: The years of a facility that closed in 2024 and of one that opened in 2024. Every year's rows are the
#: sociale kaart as it stood at the end of that year: what opened in 2024 is in the 2024 snapshot, what
#: closed in 2024 is not (so a measure's new place shows up from the year it started).
ONLY_2023: tuple[int, ...] = (BASELINE_YEAR,)
FROM_2024: tuple[int, ...] = (MIDDLE_YEAR, YEAR)


@dataclass
class Facility:
    """One facility with the years it existed (a row per year in the files)."""

    id: str
    naam: str
    component: str
    soort: str
    geometry: Any
    years: tuple[int, ...] = YEARS
    capaciteit: float | None = None
    bezetting_pct: dict[int, float] | None = None


@dataclass(frozen=True)
class Spot:
    """Where a facility goes: a random point in ``buurt`` (near its middle when ``central``) or ``geometry``."""

    buurt: Buurt
    central: bool = False
    geometry: Any = None


@dataclass
class FacilityList:
    """The facilities drawn so far, numbered per component, with the random stream that places them."""

    rng: np.random.Generator
    middle_rng: np.random.Generator
    items: list[Facility] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, component: str, soort: str, naam: str, where: Buurt | Spot, years: tuple[int, ...] = YEARS,
            capaciteit: float | None = None, occupancy: float | None = None) -> None:
        """Add a facility; ``occupancy`` is the mean bezettingsgraad (%) around which each year varies."""
        spot = where if isinstance(where, Spot) else Spot(where)
        prefix = ID_PREFIX[component]
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        geometry = spot.geometry
        if geometry is None:
            near = tuple(shapely.point_on_surface(spot.buurt.geometry).coords[0]) if spot.central else None
            geometry = point_in(spot.buurt.geometry, self.rng, near=near, spread_m=120)
        bezetting = None
        if occupancy is not None:
            bezetting = {y: float(np.clip(round(occupancy + self.rng.normal(0, 6)), 10, 100))
                         for y in years if y in ENDPOINT_YEARS}
            if MIDDLE_YEAR in years:
                bezetting[MIDDLE_YEAR] = self._middle_occupancy(bezetting)
        self.items.append(Facility(f"{prefix}-{self.counters[prefix]:03d}", naam, component, soort, geometry,
                                   years, capaciteit, bezetting))


    def _middle_occupancy(self, bezetting: dict[int, float]) -> float:
        """The 2024 bezettingsgraad: between 2023 and 2025, or below 2025 in the year a facility opened."""
        if BASELINE_YEAR in bezetting:
            middle = (bezetting[BASELINE_YEAR] + bezetting[YEAR]) / 2 + self.middle_rng.normal(0, 3)
        else:
            middle = bezetting[YEAR] - self.middle_rng.uniform(5, 15)  # the opening year: still growing
        return float(np.clip(round(middle), 10, 100))


def first_buurt(buurten: list[Buurt], wijk_number: int, index: int = 0) -> Buurt:
    """The ``index``-th buurt of a wijk (0 = the one at its centre), wrapping around."""
    own = [b for b in buurten if b.wijk.number == wijk_number]
    return own[index % len(own)]


def _park_polygon(buurt: Buurt, rng: np.random.Generator, radius_m: float) -> Polygon:
    """An irregular park inside a buurt."""
    centre = point_in(buurt.geometry, rng, margin_m=radius_m * 0.8)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    r = radius_m * (1 + 0.25 * np.cos(2 * angles + rng.uniform(0, 6.3)) + 0.1 * np.cos(3 * angles + rng.uniform(0, 6.3)))
    shape = Polygon(np.column_stack([centre.x + r * np.cos(angles), centre.y + r * np.sin(angles)]))
    return snap(shapely.intersection(shape, buurt.geometry.buffer(-10)))


def _meeting_places(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Ontmoeting: a centre per residential wijk (none in Bloemenwijk after 2023), libraries, buurtkamers."""
    rng = fl.rng
    for w in WIJKEN:
        if w.number == BUSINESS_PARK_WIJK:
            continue
        hub = Spot(first_buurt(buurten, w.number), central=True)
        if w.code == GAP_WIJK_NO_MEETING:
            fl.add("ontmoeting", "buurthuis", "Buurthuis De Klaproos", hub, ONLY_2023, 80, 45)
        elif w.number == 6:
            fl.add("ontmoeting", "wijkcentrum", "Wijkcentrum De Kreek", hub, FROM_2024, 150, 70)
        elif w.number == VILLAGE_WIJK:
            fl.add("ontmoeting", "dorpshuis", "Dorpshuis De Brink", hub, YEARS, 220, 78)
        else:
            fl.add("ontmoeting", "wijkcentrum", f"Wijkcentrum {w.name}", hub, YEARS,
                   int(rng.integers(12, 30)) * 10, int(rng.integers(45, 90)))
    fl.add("ontmoeting", "bibliotheek", "Bibliotheek Voorbeeldstad", first_buurt(buurten, 1, 1), YEARS, 300, 65)
    fl.add("ontmoeting", "bibliotheek", "Bibliotheekpunt Het Veld", first_buurt(buurten, 5, 2), YEARS)
    for number, index, name in ((1, 3, "Buurtkamer De Kerkuil"), (3, 4, "Buurtkamer Zwaluwnest"),
                                (5, 4, "Buurtkamer Hooiland"), (10, 1, "Huiskamer van Zuiderhage"),
                                (10, 3, "Buurtkamer De Sleedoorn"), (2, 4, "Buurtkamer Lindenhof"),
                                (7, 2, "Ontmoetingscentrum De Pastorie")):
        fl.add("ontmoeting", "buurtkamer", name, first_buurt(buurten, number, index), YEARS,
               int(rng.integers(2, 6)) * 10, int(rng.integers(30, 95)))


def _clubhouses(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Verenigingen: the clubhouses of associations."""
    for number, index, name in ((5, 5, "Clubhuis VV Het Veld"), (9, 3, "Clubhuis SV Oosterdorp"),
                                (3, 5, "Clubhuis Tennisclub De Kievit"), (7, 4, "Clubhuis HC De Hoven"),
                                (10, 4, "Clubhuis VV Zuiderhage"), (6, 4, "Scoutinggebouw Rietkraag")):
        fl.add("verenigingen", "clubhuis", name, first_buurt(buurten, number, index), YEARS)


def _schools(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Onderwijs: primary schools by the number of children (one merges away), secondary schools and an mbo."""
    names = iter(SCHOOL_NAMES)
    for w in WIJKEN:
        if w.number == BUSINESS_PARK_WIJK:
            continue
        own = [b for b in buurten if b.wijk.number == w.number]
        children = sum(b.inhabitants * b.ages_pct[0] for b in own) / 100
        n_schools = max(1, int(round(children / 420)))
        for k in range(n_schools):
            name = next(names)
            years = ONLY_2023 if name == "CBS De Bron" else YEARS
            fl.add("onderwijs", "basisonderwijs", name, own[(2 * k + 1) % len(own)], years,
                   int(fl.rng.integers(12, 45)) * 10)
    fl.add("onderwijs", "basisonderwijs", "IKC Waterrijk", first_buurt(buurten, 6, 2), FROM_2024, 420)
    fl.add("onderwijs", "voortgezet onderwijs", "Voorbeeldstad College", first_buurt(buurten, 2, 2), YEARS, 1450)
    fl.add("onderwijs", "voortgezet onderwijs", "Lyceum aan de Vaart", first_buurt(buurten, 7, 3), YEARS, 980)
    fl.add("onderwijs", "mbo", "ROC Voorbeeldstad", first_buurt(buurten, 2, 3), YEARS, 2100)


def _care(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Zorg: GPs everywhere but the village (its practice closes in 2024) and the business park; the rest."""
    gp_names = {1: ("Huisartsen Binnenstad", "Gezondheidscentrum De Markt"), 2: ("Huisartsenpraktijk Spoorzicht",),
                3: ("Huisartsenpraktijk Merelhof", "Gezondheidscentrum Vogelbuurt"), 4: ("Huisartsen Rozenhof",),
                5: ("Gezondheidscentrum Het Veld", "Huisartsenpraktijk Korenbloem"), 6: ("Huisartsen Waterrijk",),
                7: ("Huisartsenpraktijk De Hoven",), 10: ("Gezondheidscentrum Zuiderhage", "Huisarts Hagepoort")}
    for number, names_gp in gp_names.items():
        for k, name in enumerate(names_gp):
            fl.add("zorg", "huisarts", name, Spot(first_buurt(buurten, number, k * 2), central=(k == 0)), YEARS,
                   int(fl.rng.integers(23, 70)) * 100)
    fl.add("zorg", "huisarts", "Huisartsenpraktijk Oosterdorp",
           Spot(first_buurt(buurten, VILLAGE_WIJK), central=True), ONLY_2023, 2600)
    for number, index, name in ((1, 0, "Apotheek De Markt"), (3, 0, "Apotheek Vogelbuurt"),
                                (5, 0, "Apotheek Het Veld"), (10, 0, "Apotheek Zuiderhage"),
                                (6, 0, "Apotheek Waterrijk")):
        fl.add("zorg", "apotheek", name, first_buurt(buurten, number, index), YEARS)
    for number, name in ((1, "Sociaal wijkteam Centrum"), (3, "Sociaal wijkteam West"),
                         (7, "Sociaal wijkteam Oost"), (10, "Sociaal wijkteam Zuid")):
        fl.add("zorg", "wijkteam", name, first_buurt(buurten, number, 1), YEARS)
    fl.add("zorg", "consultatiebureau", "Consultatiebureau Het Veld", first_buurt(buurten, 5, 1))
    fl.add("zorg", "consultatiebureau", "Consultatiebureau Waterrijk", first_buurt(buurten, 6, 1))
    fl.add("zorg", "welzijnsorganisatie", "Stichting Welzijn Voorbeeldstad", first_buurt(buurten, 1, 2))


def _culture(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Cultuur: theatre, museum, filmhuis, music school, cultuurhuizen (one opens in 2024) and a pop venue."""
    for number, index, soort, name, years, cap in (
            (1, 0, "theater", "Schouwburg De Kolk", YEARS, 650), (1, 2, "museum", "Stadsmuseum Voorbeeldstad", YEARS, None),
            (1, 1, "filmhuis", "Filmhuis De Lantaarn", YEARS, 180), (2, 1, "muziekschool", "Muziekschool Voorbeeldstad", YEARS, None),
            (7, 0, "cultuurhuis", "Cultuurhuis De Hoven", YEARS, 120), (8, 0, "podium", "Poppodium De Loods", YEARS, 700),
            (10, 2, "cultuurhuis", "Cultuurhuis Zuiderhage", FROM_2024, 90)):
        fl.add("cultuur", soort, name, first_buurt(buurten, number, index), years, cap,
               int(fl.rng.integers(40, 85)) if cap else None)


def _sport(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Sport: halls, a pool, sports parks, Cruyff Courts (one opens in 2024) and outdoor fitness."""
    rng = fl.rng
    for number, index, name in ((3, 2, "Sporthal De Specht"), (5, 3, "Sporthal Het Veld"), (2, 4, "Sporthal Remise"),
                                (10, 3, "Sporthal Zuiderhage"), (9, 1, "Gymzaal Oosterdorp")):
        fl.add("sport", "sporthal", name, first_buurt(buurten, number, index), YEARS,
               int(rng.integers(3, 9)) * 100, int(rng.integers(55, 95)))
    fl.add("sport", "zwembad", "Zwembad De Vaart", first_buurt(buurten, 5, 4), YEARS, 900, 72)
    for number, index in ((5, 5), (9, 3), (3, 5), (7, 4), (10, 4), (6, 5)):
        w = WIJKEN[number - 1]
        fl.add("sport", "sportpark", f"Sportpark {w.name}", first_buurt(buurten, number, index))
    fl.add("sport", "cruyff court", "Cruyff Court Vogelbuurt", first_buurt(buurten, 3, 1))
    fl.add("sport", "cruyff court", "Cruyff Court Hagepoort", first_buurt(buurten, 10, 0), FROM_2024)
    for number, index in ((6, 2), (1, 4), (4, 2)):
        fl.add("sport", "buitenfitness", f"Buitenfitness {first_buurt(buurten, number, index).name}",
               first_buurt(buurten, number, index))


def _public_space(fl: FacilityList, buurten: list[Buurt]) -> None:
    """Openbare ruimte: parks as polygons (one opens in 2024); playgrounds, squares and gardens as points."""
    rng = fl.rng
    for number, index, name, radius, years in (
            (1, 4, "Stadspark", 200, YEARS), (3, 3, "Vogelpark", 130, YEARS), (4, 1, "Julianapark", 120, YEARS),
            (5, 2, "Park De Wetering", 170, YEARS), (6, 0, "Park Waterrijk", 150, FROM_2024),
            (7, 4, "Hovenpark", 130, YEARS), (9, 0, "Dorpsweide", 90, YEARS), (10, 3, "Hagepark", 120, YEARS),
            (2, 4, "Lindenplantsoen", 70, YEARS)):
        buurt = first_buurt(buurten, number, index)
        fl.add("openbare_ruimte", "park", name, Spot(buurt, geometry=_park_polygon(buurt, rng, radius)), years)
    for b in buurten:
        if b.kind in ("bedrijven", "buitengebied", "woonwerk"):
            continue
        if rng.uniform() < (0.75 if b.kind in ("nieuwbouw", "gemengd", "dorp") else 0.45):
            fl.add("openbare_ruimte", "speeltuin", f"Speeltuin {b.name}", b, YEARS)
    fl.add("openbare_ruimte", "plein", "Grote Markt", Spot(first_buurt(buurten, 1, 0), central=True), YEARS)
    fl.add("openbare_ruimte", "plein", "Stationsplein", first_buurt(buurten, 2, 0), YEARS)
    fl.add("openbare_ruimte", "moestuin", "Buurtmoestuin De Tuinen", first_buurt(buurten, 10, 1), YEARS)
    fl.add("openbare_ruimte", "moestuin", "Pluktuin Oosterdorp", first_buurt(buurten, 9, 2), YEARS)


def build_facilities(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[Facility]:
    """Facilities of the seven place components, with the deliberate gaps and changes.

    Gaps: Bloemenwijk (:data:`GAP_WIJK_NO_MEETING`) loses its only buurthuis in 2024, and the
    GP practice of Oosterdorp (:data:`~analysis.demo.municipality.GAP_WIJK_NO_GP`) closes in 2024.
    Openings in 2024: a wijkcentrum, a kindcentrum and a park in the new-build wijk Waterrijk, a
    Cruyff Court and a cultuurhuis in Zuiderhage. Closures: a school in the Vogelbuurt merges away.
    Each facility has a row per year it stood at the end of the year (:data:`FROM_2024`,
    :data:`ONLY_2023`): the 2024 snapshot is the 2023 one plus the openings and minus the closures.

    Parameters
    ----------
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas`.
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of Facility
        In the order drawn (ids numbered per component).
    """
    fl = FacilityList(random_stream(seed, 2), random_stream(seed, MIDDLE_STREAMS["facilities"]))
    for part in (_meeting_places, _clubhouses, _schools, _care, _culture, _sport, _public_space):
        part(fl, buurten)
    return fl.items
