"""The informal layer of the demo: residents' initiatives, a few of them stale entries on the map.

Written to ``data/demo/initiatieven.csv`` (source ``initiatieven``). The field warns against counting
only formal facilities: initiatives are the informal networks that a list of buildings misses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from analysis.demo.areas import Buurt
from analysis.demo.associations import Association
from analysis.demo.files import csv_text, fmt_number
from analysis.demo.geometry import point_in
from analysis.demo.municipality import AREA_TYPES, BUSINESS_PARK_WIJK, DEFAULT_SEED, WIJKEN, YEAR, random_stream

INITIATIVE_COLUMNS: tuple[str, ...] = ("id", "naam", "soort", "buurtcode", "x", "y", "startjaar", "eindjaar", "actief",
                                       "betrokkenen", "vereniging_id", "laatst_gecontroleerd")
#: Kinds of initiative with a name template ({b} = buurt) and the component they strengthen.
INITIATIVE_KINDS: dict[str, tuple[str, str]] = {
    "buurtkoffie": ("Koffieochtend {b}", "ontmoeting"),
    "moestuin": ("Buurtmoestuin {b}", "openbare_ruimte"),
    "burenhulp": ("Burenhulp {b}", "verenigingen"),
    "straatfeest": ("Straatfeest {b}", "ontmoeting"),
    "ruilkast": ("Ruilkast {b}", "openbare_ruimte"),
    "wandelgroep": ("Wandelgroep {b}", "sport"),
    "buurtapp": ("Buurtapp-groep {b}", "digitaal"),
    "taalmaatjes": ("Taalmaatjes {b}", "onderwijs"),
}
#: Initiatives per 1,000 inhabitants at the mean cohesion, and how strongly the number follows cohesion.
INITIATIVES_PER_1000 = 1.2
COHESION_SLOPE = 0.9
#: Share of initiatives run by an association of the same buurt, and of those with their own location (x, y).
ASSOCIATION_RUN_SHARE = 0.25
LOCATED_SHARE = 0.4
#: Entries last checked this many years before the peiljaar or longer are stale (the map may be out of date).
STALE_AFTER_YEARS = 2
STALE_ENTRIES = 3


@dataclass(frozen=True)
class Initiative:
    """One residents' initiative: where, since when, how many take part, and when the entry was last checked."""

    id: str
    naam: str
    soort: str
    buurt: Buurt
    point: tuple[float, float] | None
    startjaar: int
    eindjaar: int | None
    betrokkenen: int
    vereniging_id: str | None
    laatst_gecontroleerd: dt.date

    @property
    def actief(self) -> bool:
        """Still running in the peiljaar."""
        return self.eindjaar is None or self.eindjaar >= YEAR


def peiljaar_cohesion(wijk_number: int, buurten: list[Buurt]) -> float:
    """The wijk's latent cohesion in the peiljaar: its buurten's type, weighted by inhabitants, plus its change."""
    own = [b for b in buurten if b.wijk.number == wijk_number and b.inhabitants > 0]
    weights = np.array([b.inhabitants for b in own], float)
    levels = np.array([AREA_TYPES[b.kind].cohesion for b in own])
    return float((weights * levels).sum() / weights.sum()) + WIJKEN[wijk_number - 1].cohesion_change


def weakest_cohesion_wijk(buurten: list[Buurt]) -> int:
    """The residential wijk with the weakest cohesion in the peiljaar (it gets few initiatives)."""
    residential = [w.number for w in WIJKEN if w.number != BUSINESS_PARK_WIJK]
    return min(residential, key=lambda n: peiljaar_cohesion(n, buurten))


def _initiative(k: int, buurt: Buurt, associations: list[Association], rng: np.random.Generator,
                used: set[str]) -> Initiative:
    """One initiative in a buurt (id still empty), of a kind whose name is not taken yet."""
    kinds = [s for s in INITIATIVE_KINDS if INITIATIVE_KINDS[s][0].format(b=buurt.name) not in used] or list(INITIATIVE_KINDS)
    soort = kinds[int(rng.integers(len(kinds)))]
    naam = INITIATIVE_KINDS[soort][0].format(b=buurt.name)
    naam = naam if naam not in used else f"{naam} {k + 2}"
    used.add(naam)
    start = int(rng.integers(2015, YEAR + 1))
    end = int(rng.integers(start, YEAR)) if start < YEAR and rng.uniform() < 0.15 else None
    own = [a for a in associations if a.buurt.code == buurt.code]
    run_by = own[int(rng.integers(len(own)))].id if own and rng.uniform() < ASSOCIATION_RUN_SHARE else None
    point = point_in(buurt.geometry, rng, margin_m=20) if rng.uniform() < LOCATED_SHARE else None
    checked = dt.date(YEAR, 1, 1) + dt.timedelta(days=int(rng.integers(0, 240)))
    return Initiative("", naam, soort, buurt, (point.x, point.y) if point is not None else None, start, end,
                      int(rng.integers(4, 61)), run_by, checked)


def build_initiatives(buurten: list[Buurt], associations: list[Association],
                      seed: int = DEFAULT_SEED) -> list[Initiative]:
    """Initiatives in most wijken, by inhabitants and cohesion; at most one in the weakest wijk; a few stale entries.

    Parameters
    ----------
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas`.
    associations : list of Association
        The associations of :func:`analysis.demo.associations.build_associations` (some run an initiative).
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of Initiative
        By buurt, numbered I001, I002, ...; :data:`STALE_ENTRIES` of them were last checked
        :data:`STALE_AFTER_YEARS` years or more before the peiljaar.
    """
    rng = random_stream(seed, 10)
    weakest = weakest_cohesion_wijk(buurten)
    mean = np.mean([peiljaar_cohesion(w.number, buurten) for w in WIJKEN if w.number != BUSINESS_PARK_WIJK])
    used: set[str] = set()
    out: list[Initiative] = []
    for buurt in buurten:
        if buurt.wijk.number == BUSINESS_PARK_WIJK or buurt.inhabitants < 50:
            continue
        factor = float(np.exp(COHESION_SLOPE * (peiljaar_cohesion(buurt.wijk.number, buurten) - mean)))
        count = int(rng.poisson(buurt.inhabitants / 1000 * INITIATIVES_PER_1000 * factor))
        if buurt.wijk.number == weakest:
            count = min(count, 1) if not any(i.buurt.wijk.number == weakest for i in out) else 0
        out.extend(_initiative(k, buurt, associations, rng, used) for k in range(count))
    stale = rng.choice(len(out), size=min(STALE_ENTRIES, len(out)), replace=False)
    for position in sorted(int(p) for p in stale):
        checked = dt.date(YEAR - STALE_AFTER_YEARS - int(rng.integers(0, 3)), int(rng.integers(1, 13)), 1)
        out[position] = replace(out[position], laatst_gecontroleerd=checked,
                                startjaar=min(out[position].startjaar, checked.year))
    return [replace(i, id=f"I{n:03d}") for n, i in enumerate(out, start=1)]


def initiatives_csv(initiatives: list[Initiative]) -> str:
    """``initiatieven.csv``: a row per initiative, located by RD x/y or else by its buurtcode only."""
    rows = []
    for i in initiatives:
        x, y = (fmt_number(i.point[0], 1), fmt_number(i.point[1], 1)) if i.point else ("", "")
        rows.append([i.id, i.naam, i.soort, "" if i.point else i.buurt.code, x, y, str(i.startjaar),
                     str(i.eindjaar) if i.eindjaar else "", "ja" if i.actief else "nee", str(i.betrokkenen),
                     i.vereniging_id or "", i.laatst_gecontroleerd.isoformat()])
    return csv_text(INITIATIVE_COLUMNS, rows)
