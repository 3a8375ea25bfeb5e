"""The associations of the demo (about 200, per wijk by population and type) and the ties between them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import Point

from analysis.demo.areas import Buurt
from analysis.demo.geometry import point_in
from analysis.demo.municipality import (
    AREA_TYPES,
    BASELINE_YEAR,
    BUSINESS_PARK_WIJK,
    DEFAULT_SEED,
    ENDPOINT_YEARS,
    MIDDLE_STREAMS,
    MIDDLE_YEAR,
    WIJKEN,
    YEAR,
    WijkSpec,
    random_stream,
)

ASSOCIATION_KINDS: dict[str, tuple[str, ...]] = {
    "sport": ("Voetbalvereniging {w}", "Tennisclub {w}", "Korfbalvereniging {w}", "Volleybalclub {w}",
              "Gymnastiekvereniging {w}", "Badmintonclub {w}", "Jeu de boules-club {b}", "Wandelclub {w}",
              "Hockeyclub {w}", "Zwemvereniging {w}", "Biljartclub {b}"),
    "muziek en cultuur": ("Koor {w}", "Harmonie {w}", "Toneelvereniging {w}", "Dansgroep {b}", "Popkoor {w}",
                          "Fanfare {w}", "Shantykoor {w}"),
    "buurt en bewoners": ("Buurtvereniging {b}", "Bewonerscommissie {b}", "Oranjevereniging {w}",
                          "Buurtcomité {b}", "Speeltuinvereniging {b}", "Wijkraad {w}"),
    "ouderen": ("Ouderenvereniging {w}", "KBO-afdeling {w}", "Seniorensoos {b}", "PCOB {w}"),
    "levensbeschouwing": ("Protestantse gemeente {w}", "Parochie {w}", "Moskeevereniging {w}",
                          "Evangeliegemeente {w}", "Vrouwenvereniging {w}"),
    "vrijwilligerswerk": ("Repair Café {w}", "Taalcafé {w}", "Buurtbus {w}", "Maatjesproject {w}",
                          "Voedselbank-uitgiftepunt {w}", "Boodschappendienst {b}", "Klussendienst {w}"),
    "jeugd": ("Scouting {w}", "Jongerenwerkgroep {w}", "Oudergroep {b}", "Kinderclub {b}", "Tienersoos {w}"),
    "hobby": ("Schaakclub {w}", "Fotoclub {w}", "Volkstuinvereniging {w}", "Hobbyclub {b}",
              "Handwerkclub {b}", "Imkervereniging {w}", "Modelspoorclub {w}"),
}
KIND_WEIGHTS: dict[str, tuple[float, ...]] = {
    # sport, muziek, buurt, ouderen, levensbeschouwing, vrijwilligers, jeugd, hobby
    "default": (0.24, 0.11, 0.16, 0.07, 0.09, 0.13, 0.08, 0.12),
    "naoorlogs": (0.16, 0.11, 0.16, 0.17, 0.12, 0.12, 0.04, 0.12),
    "nieuwbouw": (0.30, 0.06, 0.22, 0.02, 0.04, 0.08, 0.20, 0.08),
    "centrum": (0.12, 0.20, 0.10, 0.05, 0.12, 0.22, 0.05, 0.14),
}
#: Typical number of members per kind of association (the median of a log-normal spread).
TYPICAL_MEMBERS: dict[str, int] = {"sport": 180, "muziek en cultuur": 45, "buurt en bewoners": 60, "ouderen": 220,
                                   "levensbeschouwing": 260, "vrijwilligerswerk": 35, "jeugd": 70, "hobby": 40}
TIE_KINDS: tuple[str, ...] = ("gedeelde_leden", "gedeeld_bestuur", "samenwerking", "gedeelde_locatie")
#: Share of associations located only by their buurtcode (no x/y). Zero for now: the associations
#: loader reports every row without coordinates as "geen locatie" even when it has a buurtcode.
BUURTCODE_ONLY_SHARE = 0.2


@dataclass
class Association:
    """One association with its home buurt, location, members per year and the years it existed."""

    id: str
    naam: str
    soort: str
    buurt: Buurt
    point: Point | None
    members: dict[int, int]
    active: dict[int, bool]
    hub: bool = False
    isolated: bool = False



def _association_name(templates: tuple[str, ...], wijk: WijkSpec, buurt: Buurt, used: set[str], k: int,
                      rng: np.random.Generator) -> str:
    """A name from the kind's templates not used before, with the wijk's or the buurt's name."""
    for t in rng.permutation(len(templates)):
        for label in (wijk.name, buurt.name):
            candidate = templates[int(t)].format(w=label, b=buurt.name)
            if candidate not in used:
                return candidate
    return f"{templates[0].format(w=wijk.name, b=buurt.name)} {k + 2}"


def _membership(soort: str, wijk: WijkSpec, rng: np.random.Generator) -> tuple[dict[int, int], dict[int, bool]]:
    """Members per year and whether the association is active, with foundings, endings and dormant ones."""
    size = TYPICAL_MEMBERS[soort]
    members_2025 = max(5, int(round(size * math.exp(rng.normal(0, 0.55)))))
    members_2023 = max(5, int(round(members_2025 * math.exp(rng.normal(-0.02, 0.12)))))
    years = {BASELINE_YEAR: members_2023, YEAR: members_2025}
    start = rng.uniform()
    if start < (0.22 if wijk.number == 6 else 0.04):
        years.pop(BASELINE_YEAR)  # founded in 2024
    elif start > 0.965:
        years.pop(YEAR)  # stopped after 2023
    active = {y: True for y in years}
    if YEAR in active and rng.uniform() < 0.03:
        active[YEAR] = False
    if YEAR in years:  # in 2024: between the two (founded in 2024: a first year at 80 % of 2025); stopped: gone
        before = years.get(BASELINE_YEAR, 0.8 * years[YEAR])
        years[MIDDLE_YEAR] = max(5, int(round(math.sqrt(before * years[YEAR]))))
        active[MIDDLE_YEAR] = True
    return {y: years[y] for y in sorted(years)}, {y: active[y] for y in sorted(active)}


def _wijk_associations(wijk: WijkSpec, buurten: list[Buurt], used: set[str],
                       rng: np.random.Generator) -> list[Association]:
    """The associations of one wijk (ids still empty), by the population and the type of its buurten."""
    kinds = list(ASSOCIATION_KINDS)
    own = [b for b in buurten if b.wijk.number == wijk.number and b.inhabitants > 0]
    population = np.array([b.inhabitants for b in own], float)
    rate = np.array([AREA_TYPES[b.kind].associations_per_1000 for b in own])
    expected = float((population * rate).sum() / 1000)
    if wijk.number == BUSINESS_PARK_WIJK:
        expected = 3  # a business club, a podium association and the like on the industrial estate
    weights_key = own[0].kind if own[0].kind in KIND_WEIGHTS else "default"
    weights = np.array(KIND_WEIGHTS[weights_key])
    chance = population * rate / (population * rate).sum() if (population * rate).sum() else \
        np.full(len(own), 1 / len(own))
    out = []
    for k in range(int(round(expected))):
        soort = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
        buurt = own[int(rng.choice(len(own), p=chance))]
        name = _association_name(ASSOCIATION_KINDS[soort], wijk, buurt, used, k, rng)
        used.add(name)
        members, active = _membership(soort, wijk, rng)
        by_code_only = rng.uniform() < BUURTCODE_ONLY_SHARE
        point = None if by_code_only else point_in(buurt.geometry, rng, margin_m=25)
        out.append(Association("", name, soort, buurt, point, members, active))
    return out


def build_associations(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[Association]:
    """About 200 associations, spread over the wijken by population and type.

    Every association has its buurtcode and, except a share :data:`BUURTCODE_ONLY_SHARE`, RD
    coordinates. Some start in 2024 (in the 2024 and 2025 rows), some stop after 2023, a few are
    dormant (actief = nee). City-wide hubs (bridging organisations) sit in the centre; twelve
    other associations are isolated (no ties).

    Parameters
    ----------
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas`.
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of Association
        Sorted by buurtcode and name, numbered V001, V002, ...
    """
    rng = random_stream(seed, 3)
    used: set[str] = set()
    out = [a for wijk in WIJKEN for a in _wijk_associations(wijk, buurten, used, rng)]
    out.sort(key=lambda a: (a.buurt.code, a.naam))
    for number, assoc in enumerate(out, start=1):
        assoc.id = f"V{number:03d}"
    for assoc in out:
        if assoc.buurt.wijk.number == 1 and assoc.soort in ("vrijwilligerswerk", "muziek en cultuur"):
            assoc.hub = True
    candidates = [a for a in out if not a.hub]
    for position in rng.choice(len(candidates), size=12, replace=False):
        candidates[int(position)].isolated = True
    return out


#: One tie in one year: ``(van, naar, soort, gewicht, jaar)``.
TieRow = tuple[str, str, str, int, int]


@dataclass
class _TieSet:
    """The undirected ties drawn so far (kind and weight by sorted id pair) with their random stream."""

    rng: np.random.Generator
    edges: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def kind(self, a: Association, b: Association) -> str:
        if a.buurt.code == b.buurt.code and self.rng.uniform() < 0.4:
            return "gedeelde_locatie"
        return TIE_KINDS[int(self.rng.choice(3, p=[0.5, 0.2, 0.3]))]

    def connect(self, a: Association, b: Association, kind: str | None = None) -> None:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if a.id != b.id and key not in self.edges:
            self.edges[key] = (kind or self.kind(a, b), int(self.rng.integers(1, 6)))


def _cluster_ties(ties: _TieSet, by_wijk: dict[int, list[Association]]) -> None:
    """Dense clusters inside each wijk: a few ties per association, preferring its buurt and its kind."""
    rng = ties.rng
    for number in sorted(by_wijk):
        members = by_wijk[number]
        if len(members) < 2:
            continue
        for a in members:
            k = 1 + int(rng.poisson(2.4))
            same_buurt = np.array([m.buurt.code == a.buurt.code for m in members], float)
            same_kind = np.array([m.soort == a.soort for m in members], float)
            weight = 1 + 2.5 * same_buurt + 1.5 * same_kind
            weight[[m.id == a.id for m in members]] = 0
            for j in rng.choice(len(members), size=min(k, len(members) - 1), replace=False, p=weight / weight.sum()):
                ties.connect(a, members[int(j)])


def _bridging_ties(ties: _TieSet, by_wijk: dict[int, list[Association]], hubs: list[Association]) -> None:
    """Two ties from every wijk to the city-wide hubs, and a few bridges between wijken."""
    rng = ties.rng
    for number in sorted(by_wijk):
        if number == 1 or not hubs:
            continue
        members = by_wijk[number]
        for a in rng.choice(len(members), size=min(2, len(members)), replace=False):
            ties.connect(members[int(a)], hubs[int(rng.integers(len(hubs)))], "samenwerking")
    numbers = sorted(by_wijk)
    for _ in range(8):  # a few bridges between neighbouring wijken (sport and church members)
        w1, w2 = rng.choice(numbers, size=2, replace=False)
        a = by_wijk[int(w1)][int(rng.integers(len(by_wijk[int(w1)])))]
        b = by_wijk[int(w2)][int(rng.integers(len(by_wijk[int(w2)])))]
        ties.connect(a, b, "gedeelde_leden")


def _middle_ties(rows: list[TieRow], present: dict[str, set[int]], rng: np.random.Generator) -> list[TieRow]:
    """The 2024 rows: a tie of 2023 and 2025 with its 2023 weight; one that began or ended in between half the time.

    Only where both ends existed in 2024.
    """
    by_year: dict[int, dict[tuple[str, str], TieRow]] = {y: {} for y in ENDPOINT_YEARS}
    for row in rows:
        by_year[row[4]][(row[0], row[1])] = row
    out: list[TieRow] = []
    for key in sorted(set(by_year[BASELINE_YEAR]) | set(by_year[YEAR])):
        if MIDDLE_YEAR not in present[key[0]] or MIDDLE_YEAR not in present[key[1]]:
            continue
        before, after = by_year[BASELINE_YEAR].get(key), by_year[YEAR].get(key)
        both = before is not None and after is not None
        if both or rng.uniform() < 0.5:
            van, naar, kind, weight, _ = before if before is not None else by_year[YEAR][key]
            out.append((van, naar, kind, weight, MIDDLE_YEAR))
    return out


def _tie_rows(ties: _TieSet, associations: list[Association], middle_rng: np.random.Generator) -> list[TieRow]:
    """A row per tie and year both ends existed; a few ties start after the baseline or end before the follow-up."""
    rng = ties.rng
    present = {a.id: set(a.members) for a in associations}
    rows: list[TieRow] = []
    for (van, naar), (kind, weight) in sorted(ties.edges.items()):
        for year in ENDPOINT_YEARS:
            if year not in present[van] or year not in present[naar]:
                continue
            if year == BASELINE_YEAR and rng.uniform() < 0.07:
                continue  # a tie that only came about after the baseline
            if year == YEAR and rng.uniform() < 0.04:
                continue  # a tie that ended
            change = int(rng.integers(-1, 2)) if year == YEAR else 0
            rows.append((van, naar, kind, int(np.clip(weight + change, 1, 5)), year))
    rows += _middle_ties(rows, present, middle_rng)
    rows.sort(key=lambda r: (r[4], r[0], r[1]))
    return rows


def build_ties(associations: list[Association], seed: int = DEFAULT_SEED) -> list[TieRow]:
    """Ties per year: dense clusters inside each wijk, a few bridges across wijken, isolated associations.

    Parameters
    ----------
    associations : list of Association
        The associations of :func:`build_associations`.
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of tuple
        ``(van, naar, soort, gewicht, jaar)`` sorted by year and ids.
    """
    ties = _TieSet(random_stream(seed, 4))
    by_wijk: dict[int, list[Association]] = {}
    for a in associations:
        if not a.isolated:
            by_wijk.setdefault(a.buurt.wijk.number, []).append(a)
    _cluster_ties(ties, by_wijk)
    _bridging_ties(ties, by_wijk, [a for a in associations if a.hub and not a.isolated])
    return _tie_rows(ties, associations, random_stream(seed, MIDDLE_STREAMS["ties"]))
