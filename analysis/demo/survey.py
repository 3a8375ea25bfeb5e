"""The resident survey of the demo (respondents and codebook), its digital platform usage and the safety monitor."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.demo.areas import Buurt
from analysis.demo.municipality import (
    AREA_TYPES,
    BASELINE_YEAR,
    DEFAULT_SEED,
    ENDPOINT_YEARS,
    GAP_WIJK_NO_MEETING,
    MIDDLE_STREAMS,
    MIDDLE_YEAR,
    MONITOR_YEARS,
    SURVEY_YEARS,
    WIJKEN,
    YEAR,
    AreaType,
    WijkSpec,
    random_stream,
)

#: Survey age classes (respondents are 16+) and their over-representation in the response.
SURVEY_AGE_CLASSES: tuple[str, ...] = ("15-24", "25-44", "45-64", "65+")
RESPONSE_BIAS: tuple[float, ...] = (0.55, 0.8, 1.1, 1.9)
#: Ways respondents (or the survey bureau) wrote an age class.
AGE_CLASS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "15-24": ("15-24", "18-24", "15 t/m 24"),
    "25-44": ("25-44", "25 t/m 44", "25-44 jaar"),
    "45-64": ("45-64", "45 tot 65", "45-64 jaar"),
    "65+": ("65+", "65 en ouder", "65 jaar of ouder"),
}


COHESION_ITEMS: tuple[str, ...] = tuple(f"samenhang_{i}" for i in range(1, 6))
LONELINESS_ITEMS: tuple[str, ...] = tuple(f"eenzaam_{i}" for i in range(1, 7))
#: De Jong Gierveld: items 2, 3 and 5 are positively worded (reversed when scored).
LONELINESS_POSITIVE: tuple[str, ...] = ("eenzaam_2", "eenzaam_3", "eenzaam_5")
SATISFACTION_ITEMS: tuple[str, ...] = ("tevreden_ontmoeting", "tevreden_sport", "tevreden_zorg", "tevreden_groen")
#: The yes/no questions scored as shares: scale name, item, indicator key, Dutch label.
YES_NO_SCALES: tuple[tuple[str, str, str, str], ...] = (
    ("vrijwilligerswerk", "vrijwilliger", "vrijwilliger_pct", "Vrijwilligerswerk in de afgelopen 12 maanden"),
    ("informele_hulp", "informele_hulp", "informele_hulp_pct", "Hulp aan buren en anderen buiten een organisatie om"),
    ("mantelzorg", "mantelzorg", "mantelzorg_pct", "Mantelzorg voor een naaste"),
    ("gebruik_ontmoeting", "gebruik_ontmoeting", "gebruik_ontmoeting_pct",
     "Het afgelopen jaar een buurthuis, wijkcentrum, bibliotheek of andere ontmoetingsplek bezocht"),
)
YES_NO_ITEMS: tuple[str, ...] = tuple(item for _, item, _, _ in YES_NO_SCALES)
SURVEY_COLUMNS: tuple[str, ...] = ("respondent", "jaar", "buurtcode", "leeftijd", "geslacht", *COHESION_ITEMS,
                                   *LONELINESS_ITEMS, *YES_NO_ITEMS, *SATISFACTION_ITEMS)
#: Share of answers "weet niet / geen antwoord" (code 9) and of empty cells.
DONT_KNOW_SHARE = 0.025
EMPTY_SHARE = 0.008
#: Respondents per inhabitant aged 15+ in each year (before the wijk's response factor).
RESPONSE_RATE: dict[int, float] = {BASELINE_YEAR: 0.040, MIDDLE_YEAR: 0.040, YEAR: 0.043}
#: The random stream of the middle survey: its own, so the baseline and the follow-up stay as they were drawn.
MIDDLE_STREAM = 15

#: The answer categories of sex and how often each spelling occurs. No empty sex:
#: survey.poststratification_weights fails on a missing sex (pandas NA) for now.
SEX_SPELLINGS: tuple[str, ...] = ("vrouw", "man", "V", "M", "anders")
SEX_SHARES: tuple[float, ...] = (0.46, 0.40, 0.07, 0.065, 0.005)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@dataclass(frozen=True)
class _Sample:
    """The respondents of one year: their buurt (index), its type and wijk, and their age."""

    year: int
    idx: np.ndarray
    kinds: list[AreaType]
    wijken: list[WijkSpec]
    age_class: np.ndarray
    years_old: np.ndarray

    @property
    def n(self) -> int:
        return len(self.idx)

    @property
    def trend_share(self) -> float:
        """The share of the wijk's own trend reached: 0 in the baseline, 1 in the follow-up, linear between."""
        return (self.year - BASELINE_YEAR) / (YEAR - BASELINE_YEAR)

    def shift(self, key: str) -> np.ndarray:
        """The change of a latent quantity (:data:`analysis.demo.plan.EFFECT_KEYS`) per respondent in this year.

        The wijk's change from the baseline to the follow-up (:class:`WijkSpec`) is the built-in effect of its
        measures plus a trend of its own; the measures' effects follow their start dates, the trend the years.
        """
        from analysis.demo.plan import built_in_effect  # plan.py reads the demo's facilities and files

        effect = {w.code: (built_in_effect(w.code, self.year, key), built_in_effect(w.code, YEAR, key)) for w in WIJKEN}
        now = np.array([effect[w.code][0] for w in self.wijken])
        full = np.array([effect[w.code][1] for w in self.wijken])
        return self.trend_share * (self.of_wijk(key) - full) + now

    @property
    def old(self) -> np.ndarray:
        return self.age_class == 3

    @property
    def young(self) -> np.ndarray:
        return self.age_class == 0

    def of_wijk(self, attribute: str) -> np.ndarray:
        """A :class:`WijkSpec` attribute per respondent."""
        return np.array([getattr(w, attribute) for w in self.wijken])

    def of_kind(self, attribute: str) -> np.ndarray:
        """An :class:`AreaType` attribute per respondent."""
        return np.array([getattr(k, attribute) for k in self.kinds])


def _sample(residential: list[Buurt], year: int, rng: np.random.Generator) -> _Sample:
    """Draw the respondents of a year: a Poisson count per buurt, ages with the response bias."""
    counts = []
    for b in residential:
        adults = b.inhabitants * (100 - b.ages_pct[0]) / 100
        counts.append(int(rng.poisson(adults * RESPONSE_RATE[year] * b.wijk.response)))
    idx = np.repeat(np.arange(len(residential)), counts)
    n = len(idx)
    shares = np.array([residential[i].ages_pct[1:] for i in idx], float) * np.array(RESPONSE_BIAS)
    shares /= shares.sum(axis=1, keepdims=True)
    age_class = (rng.uniform(size=(n, 1)) > shares.cumsum(axis=1)).sum(axis=1).clip(0, 3)
    low = np.array([16, 25, 45, 65])[age_class]
    high = np.array([24, 44, 64, 95])[age_class]
    years_old = np.where(age_class == 3, 65 + np.minimum(rng.exponential(9.0, n), 30),
                         low + rng.uniform(size=n) * (high - low + 1)).astype(int)
    return _Sample(year, idx, [AREA_TYPES[residential[i].kind] for i in idx], [residential[i].wijk for i in idx],
                   age_class, years_old)


def _scale_answers(s: _Sample, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latent cohesion, the cohesion items (1-5, the first reversed) and the De Jong Gierveld items (1-3)."""
    n = s.n
    cohesion = (s.of_kind("cohesion") + s.shift("cohesion_change")
                + 0.3 * s.old - 0.4 * s.young + rng.normal(0, 1.3, n))
    base = 1 + 4 * cohesion[:, None] / 10 + rng.normal(0, 0.6, (n, len(COHESION_ITEMS)))
    items = np.clip(np.round(base), 1, 5).astype(int)
    items[:, 0] = 6 - items[:, 0]  # "mensen kennen elkaar nauwelijks": reversed

    lonely = s.of_kind("lonely") + s.shift("lonely_change") + 0.25 * s.old + rng.normal(0, 1, n)
    is_lonely = rng.uniform(size=(n, 6)) < _sigmoid(-1.35 + 1.5 * lonely)[:, None]
    half = rng.uniform(size=(n, 6)) < 0.5
    positive = np.array([item in LONELINESS_POSITIVE for item in LONELINESS_ITEMS])
    lonely_answer = np.where(half, 2, np.where(positive, 3, 1))  # min of meer, or nee/ja
    content_answer = np.where(positive, 1, 3)
    return cohesion, items, np.where(is_lonely, lonely_answer, content_answer)


def _participation_answers(s: _Sample, cohesion: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """The yes/no answers (1 = ja, 2 = nee) of :data:`YES_NO_ITEMS` and the satisfaction items (1-5)."""
    def yes_no(p: np.ndarray) -> np.ndarray:
        return np.where(rng.uniform(size=p.shape) < np.clip(p, 0.01, 0.99), 1, 2)

    volunteer = yes_no(s.of_kind("volunteer") + 0.05 * s.old - 0.06 * s.young + 0.02 * (cohesion - 6))
    helps = yes_no(s.of_kind("helps") + 0.04 * (cohesion - 6))
    carer = yes_no(s.of_kind("carer") + 0.06 * (s.age_class == 2))
    meets = yes_no(s.of_kind("meets") + s.shift("meets_change") + 0.12 * s.old)
    satisfaction = np.clip(np.round(3.3 + 0.25 * (cohesion - 6)[:, None] + rng.normal(0, 0.8, (s.n, 4))), 1, 5)
    no_meeting = (s.of_wijk("code") == GAP_WIJK_NO_MEETING) & (s.year == YEAR)
    satisfaction[no_meeting, 0] = np.clip(satisfaction[no_meeting, 0] - 1, 1, 5)
    return [volunteer, helps, carer, meets, satisfaction.astype(int)]


def _answer_texts(s: _Sample, rng: np.random.Generator) -> np.ndarray:
    """Every answer as text, in the order of the item columns, with 'weet niet' (9) and empty cells."""
    cohesion, items, dj = _scale_answers(s, rng)
    answers = np.column_stack([items, dj, *_participation_answers(s, cohesion, rng)])
    dont_know = rng.uniform(size=answers.shape) < DONT_KNOW_SHARE
    empty = rng.uniform(size=answers.shape) < EMPTY_SHARE
    return np.where(empty, "", np.where(dont_know, "9", answers.astype(str)))


def _survey_rows(residential: list[Buurt], s: _Sample, texts: np.ndarray, rng: np.random.Generator) -> list[list[str]]:
    """The CSV rows of one year in a random order, with the ways ages, sex and buurtcodes are written."""
    n = s.n
    as_class = rng.uniform(size=n) < 0.35
    spelling = rng.integers(0, 3, n)
    sex = rng.choice(list(SEX_SPELLINGS), size=n, p=list(SEX_SHARES))
    digits_only = rng.uniform(size=n) < 0.02
    order = rng.permutation(n)
    prefix = f"R{s.year % 100:02d}-"
    rows = []
    for number, i in enumerate(order, start=1):
        b = residential[s.idx[i]]
        if as_class[i]:
            key = SURVEY_AGE_CLASSES[s.age_class[i]]
            age = "75+" if key == "65+" and s.years_old[i] >= 75 and spelling[i] == 0 else \
                AGE_CLASS_SPELLINGS[key][spelling[i]]
        else:
            age = str(s.years_old[i])
        code = b.code[2:] if digits_only[i] else b.code
        rows.append([f"{prefix}{number:05d}", str(s.year), code, age, str(sex[i]), *texts[i].tolist()])
    return rows


def build_survey(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """About 6,000 respondents over the baseline, the middle year and the follow-up, as CSV rows of text.

    Response over-represents people of 65+ and under-represents the young; small buurten get
    fewer than 30 respondents. Latent cohesion, loneliness and participation follow the buurt's
    type, the wijk's change between the years and the respondent's age.

    Parameters
    ----------
    buurten : list of Buurt
        The buurten of :func:`analysis.demo.areas.build_areas` (those of 50+ inhabitants are surveyed).
    seed : int
        Seed of the random streams.

    Returns
    -------
    list of list of str
        Rows in the order of :data:`SURVEY_COLUMNS`, by year (the baseline first).
    """
    rng = random_stream(seed, 5)
    by_year: dict[int, list[list[str]]] = {}
    residential = [b for b in buurten if b.inhabitants >= 50]
    for year in (*ENDPOINT_YEARS, MIDDLE_YEAR):  # the middle year last, from a stream of its own
        stream = rng if year in ENDPOINT_YEARS else random_stream(seed, MIDDLE_STREAM)
        sample = _sample(residential, year, stream)
        texts = _answer_texts(sample, stream)
        by_year[year] = _survey_rows(residential, sample, texts, stream)
    return [row for year in SURVEY_YEARS for row in by_year[year]]


def codebook_toml() -> str:
    """The codebook of the demo survey (format of docs/architecture.md)."""
    cohesion_items = ", ".join(f'"{i}"' for i in COHESION_ITEMS)
    lonely_items = ", ".join(f'"{i}"' for i in LONELINESS_ITEMS)
    positive = ", ".join(f'"{i}"' for i in LONELINESS_POSITIVE)
    satisfaction = ", ".join(f'"{i}"' for i in SATISFACTION_ITEMS)
    yes_no = "\n".join(
        f'[schalen.{scale}]\nlabel = "{label}"\nmethode = "aandeel"\nitems = ["{item}"]\n'
        f'codes = [1, 2]                # 1 = ja, 2 = nee\nja = [1]\nindicator = "{key}"\n'
        for scale, item, key, label in YES_NO_SCALES)
    return f'''# Codeboek van de bewonersenquête van Voorbeeldstad (fictief): nulmeting 2023, tussenmeting 2024, vervolgmeting 2025.
[codeboek]
naam = "Bewonersenquête Voorbeeldstad (fictief)"
ontbrekend = [9]              # 9 = weet niet / geen antwoord

[schalen.cohesie]
label = "Sociale samenhang"
toelichting = "1 = helemaal oneens ... 5 = helemaal eens. samenhang_1: de mensen kennen elkaar in deze buurt nauwelijks; 2: de mensen gaan in deze buurt op een prettige manier met elkaar om; 3: ik woon in een gezellige buurt waar mensen elkaar helpen en dingen samen doen; 4: ik voel me thuis bij de mensen die in deze buurt wonen; 5: ik heb veel contact met andere buurtbewoners."
methode = "gemiddelde"
items = [{cohesion_items}]
codes = [1, 2, 3, 4, 5]
omgekeerd = ["samenhang_1"]
min_geldig = 3
indicator = "cohesie_score"

[schalen.eenzaamheid]
label = "Eenzaamheid (De Jong Gierveld, 6 items)"
toelichting = "1 = ja, 2 = min of meer, 3 = nee. eenzaam_1: ik ervaar een leegte om me heen; 2: er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen; 3: ik ken veel mensen op wie ik volledig kan vertrouwen; 4: ik mis mensen om me heen; 5: er zijn voldoende mensen met wie ik me verbonden voel; 6: vaak voel ik me in de steek gelaten."
methode = "telling"
items = [{lonely_items}]
codes = [1, 2, 3]
omgekeerd = [{positive}]
telt = [1, 2]
min_geldig = 6
drempels = {{ eenzaam_pct = 2, zeer_eenzaam_pct = 5 }}

{yes_no}
[schalen.tevredenheid]
label = "Tevredenheid over voorzieningen in de buurt"
toelichting = "1 = zeer ontevreden ... 5 = zeer tevreden, over ontmoetingsplekken, sport, zorg en groen; 9 = weet niet of geen gebruik."
methode = "gemiddelde"
items = [{satisfaction}]
codes = [1, 2, 3, 4, 5]
min_geldig = 2
indicator = "tevredenheid_voorzieningen"
'''


#: Growth of the BuurtApp's users from the baseline, per year; the participation platform's users per
#: inhabitant (a launch year at half the reach of the next).
APP_GROWTH: dict[int, float] = {BASELINE_YEAR: 1.0, MIDDLE_YEAR: 1.12, YEAR: 1.25}
PLATFORM_REACH: dict[int, float] = {MIDDLE_YEAR: 0.011, YEAR: 0.022}


def _digital_year(buurten: list[Buurt], year: int, rng: np.random.Generator) -> list[list[str]]:
    """The platform rows of one year (the participation platform from its launch year 2024)."""
    rows: list[list[str]] = []
    for b in buurten:
        if b.inhabitants < 50:
            continue
        t = AREA_TYPES[b.kind]
        app = int(round(b.inhabitants * t.app_share * APP_GROWTH[year] * math.exp(rng.normal(0, 0.25))))
        rows.append([b.code, "BuurtApp Voorbeeldstad", str(app), str(year)])
        if rng.uniform() < 0.45:
            rows.append([b.code, "WhatsApp-buurtpreventie", str(int(rng.integers(25, 160))), str(year)])
        if year in PLATFORM_REACH:
            users = int(round(b.inhabitants * PLATFORM_REACH[year] * math.exp(rng.normal(0, 0.35))))
            rows.append([b.code, "Doe Mee Voorbeeldstad (participatieplatform)", str(users), str(year)])
    return rows


def build_digital(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """Active users of three platforms per buurt and year (the participation platform starts in 2024), by year."""
    rng = random_stream(seed, 6)
    by_year = {year: _digital_year(buurten, year, rng) for year in ENDPOINT_YEARS}
    by_year[MIDDLE_YEAR] = _digital_year(buurten, MIDDLE_YEAR, random_stream(seed, MIDDLE_STREAMS["digital"]))
    return [row for year in sorted(by_year) for row in by_year[year]]


def build_monitor(buurten: list[Buurt], seed: int = DEFAULT_SEED) -> list[list[str]]:
    """The safety monitor per wijk (an aggregated survey, [[enquete_gebied]]): % feeling safe, n (biennial)."""
    rng = random_stream(seed, 7)
    rows = []
    for year in MONITOR_YEARS:
        for wijk in WIJKEN:
            own = [b for b in buurten if b.wijk.number == wijk.number]
            inhabitants = sum(b.inhabitants for b in own)
            if inhabitants < 500:
                rows.append([wijk.code, str(year), "", ""])  # too few respondents: not published
                continue
            t = AREA_TYPES[own[0].kind]
            safe = 72 + 2.5 * (t.cohesion - 6) + rng.normal(0, 1.5) - (3 if year == YEAR and wijk.code == GAP_WIJK_NO_MEETING else 0)
            rows.append([wijk.code, str(year), f"{float(np.clip(safe, 40, 95)):.1f}".replace(".", ","),
                         str(int(rng.integers(60, 240)))])
    return rows

