"""The specification of the fictional demo municipality Voorbeeldstad: its wijken, kinds of buurt and years."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT_DIR = Path(__file__).resolve().parents[2]
#: Where the committed demo dataset lives.
DEMO_DIR = ROOT_DIR / "data" / "demo"
#: Where the empty input templates live.
TEMPLATES_DIR = ROOT_DIR / "data" / "templates"

DEFAULT_SEED = 2025
GEMEENTE_CODE = "GM9999"
GEMEENTE_NAME = "Voorbeeldstad (fictief)"
#: Measurement years: the baseline (nulmeting), the middle year (tussenmeting) and the follow-up (peiljaar of
#: the manifest). The survey, the facilities, the associations, their ties and the platform usage have all
#: three (the sociale kaart is kept per measurement year: a snapshot of the year, with what opened that year
#: and without what closed); the safety monitor only the two endpoint years (the CBS Veiligheidsmonitor is
#: biennial since 2017: 2019, 2021, 2023, 2025).
BASELINE_YEAR = 2023
MIDDLE_YEAR = 2024
YEAR = 2025
YEARS: tuple[int, int, int] = (BASELINE_YEAR, MIDDLE_YEAR, YEAR)
#: The resident survey's years (tussenmeting included), so the evaluation has a series of three.
SURVEY_YEARS: tuple[int, int, int] = YEARS
#: The endpoint years: every part draws them from its main random stream and the middle year from a stream
#: of its own, so adding the middle year left the baseline and follow-up rows as they were.
ENDPOINT_YEARS: tuple[int, int] = (BASELINE_YEAR, YEAR)
#: Years of the (biennial) safety monitor.
MONITOR_YEARS: tuple[int, int] = ENDPOINT_YEARS
#: Random streams of the middle year, one per part (the survey's is :data:`analysis.demo.survey.MIDDLE_STREAM`).
MIDDLE_STREAMS: dict[str, int] = {"facilities": 16, "ties": 17, "digital": 18}
#: The town centre in RD New (EPSG:28992) metres: land in the Noordoostpolder area.
CENTRE_RD_M: tuple[float, float] = (187_500.0, 522_500.0)
#: The wijk without any meeting place (ontmoeting) in the peiljaar.
GAP_WIJK_NO_MEETING = "WK999904"
#: The wijk whose buurten lie far from any GP (huisarts) in the peiljaar.
GAP_WIJK_NO_GP = "WK999909"
#: The number of the business-park wijk (Bedrijvenpark De Vaart) and of the village wijk (Oosterdorp).
BUSINESS_PARK_WIJK = 8
VILLAGE_WIJK = 9


@dataclass(frozen=True)
class AreaType:
    """Demographic and social profile of a kind of buurt.

    Attributes
    ----------
    population : tuple of int
        Range of inhabitants per buurt.
    ages : tuple of float
        Shares (%) of the age groups 0-14, 15-24, 25-44, 45-64, 65+.
    household_size : float
        Mean persons per household.
    single_pct : float
        Single-person households (% of households).
    low_income_pct : float
        Households with a low income (%).
    cohesion : float
        Mean latent cohesion on the 0-10 scale.
    lonely : float
        Shift of the latent loneliness (standard deviations).
    volunteer, helps, carer, meets : float
        Shares (0-1) volunteering, helping informally, caring (mantelzorg), visiting meeting places.
    associations_per_1000 : float
        Associations per 1,000 inhabitants.
    app_share : float
        Share of inhabitants active on the buurt-app.
    """

    population: tuple[int, int]
    ages: tuple[float, float, float, float, float]
    household_size: float
    single_pct: float
    low_income_pct: float
    cohesion: float
    lonely: float
    volunteer: float
    helps: float
    carer: float
    meets: float
    associations_per_1000: float
    app_share: float


AREA_TYPES: dict[str, AreaType] = {
    "centrum": AreaType((900, 1900), (8, 19, 40, 20, 13), 1.55, 62, 15, 5.65, 0.25, 0.27, 0.28, 0.10, 0.42, 4.0, 0.05),
    "stedelijk": AreaType((1000, 1800), (13, 14, 36, 23, 14), 1.8, 50, 13, 6.05, 0.1, 0.30, 0.32, 0.11, 0.33, 3.0, 0.06),
    "naoorlogs": AreaType((900, 1600), (10, 9, 22, 25, 34), 1.75, 52, 11, 6.25, 0.3, 0.31, 0.40, 0.15, 0.40, 3.4, 0.05),
    "portiek": AreaType((1000, 1700), (15, 13, 27, 23, 22), 1.9, 50, 20, 5.75, 0.35, 0.23, 0.33, 0.13, 0.33, 2.6, 0.04),
    "gemengd": AreaType((1000, 1700), (17, 11, 24, 29, 19), 2.2, 33, 7, 6.75, 0.0, 0.38, 0.42, 0.14, 0.32, 3.5, 0.07),
    "nieuwbouw": AreaType((800, 1500), (27, 8, 38, 20, 7), 2.8, 17, 4, 6.55, -0.2, 0.33, 0.36, 0.10, 0.22, 1.9, 0.10),
    "dorp": AreaType((450, 1100), (17, 12, 20, 29, 22), 2.4, 26, 5, 7.65, -0.25, 0.52, 0.55, 0.18, 0.50, 6.5, 0.06),
    "buitengebied": AreaType((120, 320), (15, 12, 19, 33, 21), 2.6, 20, 6, 7.75, -0.2, 0.50, 0.58, 0.19, 0.40, 3.0, 0.04),
    "woonwerk": AreaType((150, 300), (12, 16, 38, 24, 10), 1.9, 45, 14, 5.55, 0.2, 0.22, 0.25, 0.08, 0.25, 5.0, 0.03),
    "bedrijven": AreaType((0, 20), (10, 15, 45, 25, 5), 1.6, 60, 20, 5.35, 0.2, 0.2, 0.2, 0.05, 0.2, 0.0, 0.0),
}


@dataclass(frozen=True)
class WijkSpec:
    """One wijk of the demo: code, name, place, and its buurten from the centre outwards.

    Attributes
    ----------
    number : int
        Wijk number (the last two digits of the wijk code).
    name : str
        Wijk name.
    offset_m : tuple of float
        Position of the wijk centre relative to :data:`CENTRE_RD_M`.
    spread_m : float
        Spread of the buurt seeds around the wijk centre.
    buurten : tuple of (str, str)
        Buurt name and :data:`AREA_TYPES` key, nearest to the wijk centre first.
    cohesion_change : float
        Change of the latent cohesion from the baseline to the peiljaar: the built-in effect of the wijk's
        measures (:func:`analysis.demo.plan.built_in_effect`) plus a trend of its own, of which the middle
        year has half.
    lonely_change : float
        Change of the latent loneliness.
    meets_change : float
        Change of the share visiting meeting places.
    response : float
        Relative response rate of the survey.
    """

    number: int
    name: str
    offset_m: tuple[float, float]
    spread_m: float
    buurten: tuple[tuple[str, str], ...]
    cohesion_change: float = 0.0
    lonely_change: float = 0.0
    meets_change: float = 0.0
    response: float = 1.0

    @property
    def code(self) -> str:
        """The CBS-style wijk code, ``WK9999`` + two digits."""
        return f"WK{GEMEENTE_CODE[2:]}{self.number:02d}"


WIJKEN: tuple[WijkSpec, ...] = (
    WijkSpec(1, "Centrum", (0, 0), 380, (
        ("Binnenstad", "centrum"), ("Marktkwartier", "centrum"), ("Havenkwartier", "centrum"),
        ("Kerkbuurt", "centrum"), ("Stadswallen", "stedelijk"), ("Singelzone", "stedelijk")),
        cohesion_change=0.1, response=0.7),
    WijkSpec(2, "Stationskwartier", (850, -700), 360, (
        ("Stationsbuurt", "stedelijk"), ("Spoorzicht", "stedelijk"), ("Remise", "stedelijk"),
        ("Emplacement", "centrum"), ("Lindenhof", "gemengd")), response=0.8),
    WijkSpec(3, "Vogelbuurt", (-1050, -600), 390, (
        ("Merelhof", "naoorlogs"), ("Lijsterbuurt", "naoorlogs"), ("Spechtenbuurt", "naoorlogs"),
        ("Reigerstraat e.o.", "naoorlogs"), ("Zwaluwhof", "gemengd"), ("Kievitsveld", "gemengd")),
        cohesion_change=0.25),
    WijkSpec(4, "Bloemenwijk", (-1000, 750), 360, (
        ("Rozenhof", "naoorlogs"), ("Tulpenbuurt", "naoorlogs"), ("Klaprooswijk", "naoorlogs"),
        ("Irisbuurt", "naoorlogs"), ("Dahliaveld", "portiek")),
        cohesion_change=-0.55, lonely_change=0.2, meets_change=-0.18),
    WijkSpec(5, "Het Veld", (150, 1300), 420, (
        ("Veldhuizen", "gemengd"), ("Akkerbuurt", "gemengd"), ("Esdoornbuurt", "gemengd"),
        ("Korenbloem", "gemengd"), ("Hooiland", "gemengd"), ("Weidezoom", "naoorlogs"))),
    WijkSpec(6, "Waterrijk", (-1500, -1750), 440, (
        ("Waterrijk-Centrum", "nieuwbouw"), ("Eilandenbuurt", "nieuwbouw"), ("Oeverbuurt", "nieuwbouw"),
        ("Kreekrijk", "nieuwbouw"), ("Rietkraag", "nieuwbouw"), ("Waterrijk-Zuid", "nieuwbouw")),
        cohesion_change=0.45, lonely_change=-0.1, meets_change=0.12, response=1.1),
    WijkSpec(7, "De Hoven", (1100, 600), 360, (
        ("Hofstede", "gemengd"), ("Kloosterhof", "gemengd"), ("Pastorie", "naoorlogs"),
        ("Boomgaard", "gemengd"), ("Hovenpark", "gemengd")), cohesion_change=-0.05),
    WijkSpec(8, "Bedrijvenpark De Vaart", (1850, -1600), 450, (
        ("Vaartkade", "woonwerk"), ("De Vaart-Noord", "bedrijven"), ("De Vaart-Zuid", "bedrijven")),
        response=0.0),  # outside the survey's sample frame
    WijkSpec(9, "Oosterdorp", (3600, 2000), 300, (
        ("Dorpskern Oosterdorp", "dorp"), ("De Essen", "dorp"), ("Molenbuurt", "dorp"),
        ("Buitengebied Noord", "buitengebied"), ("Buitengebied Oost", "buitengebied")),
        response=1.2),
    WijkSpec(10, "Zuiderhage", (0, -1700), 400, (
        ("Hagepoort", "portiek"), ("Zuidflank", "portiek"), ("Meidoornbuurt", "portiek"),
        ("Sleedoornhof", "naoorlogs"), ("Hagewinde", "gemengd")),
        cohesion_change=-0.15, lonely_change=0.1, response=0.75),
)


def random_stream(seed: int, part: int) -> np.random.Generator:
    """An independent random stream per part, so changing one part leaves the others as they were."""
    return np.random.default_rng([int(seed), int(part)])
