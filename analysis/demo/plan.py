"""The demo's gebiedsplan for the evaluation cycle: targets per wijk and the measures, with their built-in effects.

The survey has three measurement years (baseline 2023, middle 2024, follow-up 2025); the survey
generator (:mod:`analysis.demo.survey`) adds :func:`built_in_effect` to the latent answers, so the
evaluation's difference of differences can find the measure that works and not the one that does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analysis.demo.areas import Buurt
from analysis.demo.facilities import Facility
from analysis.demo.files import csv_text, fmt_number
from analysis.demo.municipality import BASELINE_YEAR, GEMEENTE_CODE, SURVEY_YEARS, WIJKEN, YEAR

#: The three measurement years of the evaluation cycle: baseline (nulmeting), middle, follow-up.
EVALUATION_YEARS: tuple[int, int, int] = SURVEY_YEARS
PLAN_COLUMNS: tuple[str, ...] = ("gebiedscode", "indicator", "basisjaar", "streefwaarde", "streefjaar", "reden")
MEASURE_COLUMNS: tuple[str, ...] = ("id", "naam", "component", "gebiedscode", "x", "y", "startdatum", "einddatum",
                                    "budget", "omschrijving")
#: Latent quantities of the survey generator a measure can shift (see :class:`analysis.demo.municipality.WijkSpec`).
EFFECT_KEYS: tuple[str, ...] = ("cohesion_change", "lonely_change", "meets_change")


@dataclass(frozen=True)
class Target:
    """One line of the plan: where, which indicator (a registry key), the value aimed at and by when, and why."""

    gebiedscode: str
    indicator: str
    streefwaarde: float
    streefjaar: int
    reden: str
    basisjaar: int = BASELINE_YEAR


@dataclass(frozen=True)
class Measure:
    """One measure (maatregel) of the plan, with the effect the generator builds into the survey.

    Attributes
    ----------
    id, naam, component, gebiedscode, omschrijving : str
        As in ``maatregelen.csv``; ``component`` is a key of :mod:`analysis.components`.
    facility : str or None
        Name of the demo facility where it takes place (its location), if any.
    start, end : datetime.date or None
        Start and (planned) end; no end = ongoing.
    budget_eur : int
        Budget in euros.
    effect : dict of str to float
        The full shift of the latent survey quantities (:data:`EFFECT_KEYS`) once the measure
        has run a year; zero for a measure that does not work.
    """

    id: str
    naam: str
    component: str
    gebiedscode: str
    omschrijving: str
    facility: str | None
    start: dt.date
    end: dt.date | None
    budget_eur: int
    effect: dict[str, float] = field(default_factory=dict)

    def effect_in(self, year: int, key: str) -> float:
        """The shift of ``key`` measured in the survey of ``year`` (taken in spring).

        Nothing before the measure started, half in the year after its start when it ran less than a
        year by the survey, the full effect after that.
        """
        survey_day = dt.date(year, 4, 1)
        if self.start >= survey_day:
            return 0.0
        share = min(1.0, (survey_day - self.start).days / 365.0)
        return self.effect.get(key, 0.0) * (1.0 if share >= 1.0 else 0.5)


def _wijk(number: int) -> str:
    return f"WK{GEMEENTE_CODE[2:]}{number:02d}"


#: The measures: one that works (Waterrijk's community work from September 2023, after the baseline survey, and
#: its new wijkcentrum of 2024: cohesion and use of meeting places rise as the baseline-to-follow-up change of that
#: wijk in :data:`~analysis.demo.municipality.WIJKEN`),
#: one that does not (a sports and culture impulse in Zuiderhage: new places, but no change in cohesion or
#: loneliness), and one that starts after the follow-up survey (Bloemenwijk), so it cannot be judged yet.
MEASURES: tuple[Measure, ...] = (
    Measure("M01", "Wijkcentrum De Kreek met opbouwwerk", "ontmoeting", _wijk(6),
            "Een opbouwwerker helpt sinds september 2023 bewonersgroepen op weg; in 2024 opende het nieuwe "
            "wijkcentrum in de nieuwbouwwijk.",
            "Wijkcentrum De Kreek", dt.date(2023, 9, 1), None, 420_000,
            {"cohesion_change": 0.45, "lonely_change": -0.1, "meets_change": 0.12}),
    Measure("M02", "Sport- en cultuurimpuls Zuiderhage", "sport", _wijk(10),
            "Een Cruyff Court en een cultuurhuis om jong en oud in de wijk samen te brengen.",
            "Cruyff Court Hagepoort", dt.date(2024, 5, 1), dt.date(2025, 12, 31), 310_000, {}),
    Measure("M03", "Tijdelijke buurtkamer Bloemenwijk", "ontmoeting", _wijk(4),
            "Een buurtkamer in een leegstaande winkel zolang er geen nieuw buurthuis is.",
            None, dt.date(2025, 9, 1), dt.date(2027, 8, 31), 95_000,
            {"cohesion_change": 0.3, "meets_change": 0.1}),
)

#: The targets of the plan (streefwaarden fixed by the fictional gemeente in 2023).
TARGETS: tuple[Target, ...] = (
    Target(_wijk(6), "cohesie_score", 6.9, YEAR, "Nieuwbouwwijk zonder ontmoetingsplek: bewoners kennen elkaar weinig."),
    Target(_wijk(6), "gebruik_ontmoeting_pct", 35.0, YEAR, "Weinig bewoners bezoeken een ontmoetingsplek."),
    Target(_wijk(10), "cohesie_score", 6.4, YEAR, "Samenhang onder het stedelijk gemiddelde; veel eenzaamheid."),
    Target(_wijk(10), "eenzaam_pct", 50.0, YEAR, "Meer dan de helft van de bewoners is (matig) eenzaam."),
    Target(_wijk(4), "gebruik_ontmoeting_pct", 40.0, 2027, "Het buurthuis sloot in 2024; bewoners missen een plek."),
    Target(_wijk(9), "zorg_dekking_pct", 80.0, 2027, "De huisartsenpraktijk in het dorp sloot in 2024."),
    Target(GEMEENTE_CODE, "vrijwilliger_pct", 35.0, YEAR, "Meer inwoners doen vrijwilligerswerk (coalitieakkoord)."),
)


def built_in_effect(gebiedscode: str, year: int, key: str) -> float:
    """The sum of the effects of all measures in a wijk on a latent quantity in a survey year."""
    if key not in EFFECT_KEYS:
        raise KeyError(f"unknown effect {key!r}; one of {EFFECT_KEYS}")
    return sum(m.effect_in(year, key) for m in MEASURES if m.gebiedscode == gebiedscode)


def plan_csv() -> str:
    """``plan.csv``: a row per target."""
    return csv_text(PLAN_COLUMNS, [[t.gebiedscode, t.indicator, str(t.basisjaar), fmt_number(t.streefwaarde, 1),
                                    str(t.streefjaar), t.reden] for t in TARGETS])


def measures_csv(buurten: list[Buurt], facilities: list[Facility]) -> str:
    """``maatregelen.csv``: a row per measure, located at its facility (RD metres) or only by its area code."""
    by_name = {f.naam: f for f in facilities}
    known = {w.code for w in WIJKEN} | {b.code for b in buurten}
    rows = []
    for m in MEASURES:
        if m.gebiedscode not in known:
            raise ValueError(f"measure {m.id} lies in unknown area {m.gebiedscode}")  # a bug in the spec
        point = by_name[m.facility].geometry if m.facility else None
        rows.append([m.id, m.naam, m.component, m.gebiedscode,
                     fmt_number(point.x, 1) if point is not None else "", fmt_number(point.y, 1) if point is not None else "",
                     m.start.isoformat(), m.end.isoformat() if m.end else "", str(m.budget_eur), m.omschrijving])
    return csv_text(MEASURE_COLUMNS, rows)
