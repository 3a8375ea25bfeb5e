"""IndicatorParams: the one set of settings every computation takes, each with its source or reason."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from analysis.components import COMPONENT_KEYS, COMPONENTS_BY_KEY, walk_norms_m
from analysis.compute.survey import DEFAULT_THRESHOLD, MIN_THRESHOLD

#: The parts of the cohesion index, in display order (``cohesie_deel_<part>``).
COHESION_PARTS: tuple[str, ...] = ("enquete", "participatie", "netwerk", "toegang")
#: Priority criteria (``bijdrage_<criterion>`` in :func:`analysis.compute.priorities.priorities`).
PRIORITY_CRITERIA: tuple[str, ...] = ("behoefte", "gaten", "cohesietekort")

#: Below this many inhabitants an area is not ranked, gets no strengths or weaknesses, no supply gap and no
#: per-1,000 rate in the cohesion index. Reason: with fewer than 500 inhabitants one facility or association
#: more or less moves a rate per 1,000 inhabitants by 2 or more, more than the differences between wijken
#: (typically well under 1 per 1,000), so a comparison says more about the denominator than about the area.
MIN_INHABITANTS_COMPARE = 500
#: Below this many inhabitants no rate per 1,000 inhabitants is published at all: the CBS keeps figures of
#: buurten under 50 inhabitants secret (Kerncijfers wijken en buurten).
MIN_INHABITANTS_PUBLISH = 50
#: Lowest number of permutations allowed: with fewer, no pseudo p-value can go below 0.01.
MIN_PERMUTATIONS = 99

#: Source or reason of every setting, in Dutch, as the Verantwoording page shows it.
PARAM_SOURCES: Mapping[str, str] = MappingProxyType({
    "norms_m": "Per onderdeel in de tabel met onderdelen en loopnormen (kolom 'bron loopnorm').",
    "threshold": "Eigen keuze: onder 30 respondenten is een gebiedscijfer te onzeker en kan het tot personen "
                 "herleidbaar worden; nooit lager dan 10.",
    "cohesion_weights": "Eigen keuze: de ervaren samenhang (enquête) weegt het zwaarst, zoals het subjectieve deel "
                        "in het Rotterdamse Wijkprofiel; de andere delen gelijk.",
    "initiative_weight": "Eigen keuze, onderbouwd: actieve initiatieven per 1.000 inwoners tellen in het deel "
                         "'meedoen' van de cohesie-index standaard half zo zwaar als vrijwilligerswerk en burenhulp "
                         "elk (gewicht 0,5 tegen 1 en 1, dus een vijfde van het deel). Een lijst initiatieven is "
                         "wat het wijkteam kent en zelden volledig (informele netwerken worden slecht "
                         "geregistreerd), terwijl de enquête elk gebied op dezelfde manier meet. Zonder lijst "
                         "initiatieven telt dit gewicht niet; 0 laat de initiatieven buiten de index.",
    "priority_weights": "Eigen keuze: de drie criteria wegen gelijk; op de pagina Gaten en prioriteiten te "
                        "verschuiven.",
    "gap_target_pct": "Per onderdeel in de tabel met onderdelen en loopnormen (kolom 'bron doel').",
    "gap_supply_ratio": "Eigen keuze: een tekort aan aanbod is minder dan de helft van het aanbod per 1.000 "
                        "inwoners van de hele gemeente (of, met routering, van het aanbod binnen bereik).",
    "worst_share": "Zoals de UK Community Needs Index ('left behind'): het slechtste deel op zowel behoefte "
                   "als sociale infrastructuur; hier een vijfde in plaats van een tiende, omdat een gemeente "
                   "weinig wijken heeft.",
    "min_inhabitants": "Eigen keuze, onderbouwd: onder 500 inwoners verandert één voorziening meer of minder het "
                       "cijfer per 1.000 inwoners met 2 of meer, meer dan de verschillen tussen wijken. Zulke "
                       "gebieden krijgen geen rang en geen sterke of zwakke punten ('te weinig inwoners voor "
                       "een vergelijking').",
    "min_inhabitants_publish": "CBS: cijfers van buurten met minder dan 50 inwoners worden geheimgehouden "
                               "(Kerncijfers wijken en buurten); daaronder geen cijfer per 1.000 inwoners.",
    "min_difference": "Eigen keuze: een sterk of zwak punt wijkt minstens een halve standaardafwijking af van "
                      "het gemiddelde van de wijken (en een enquêtecijfer ook buiten zijn marge).",
    "top_findings": "Eigen keuze: hoogstens drie sterke en drie zwakke punten per wijk, de grootste eerst.",
    "seed": "Vaste startwaarde voor elke toevalsstap (permutaties, netwerkindeling): dezelfde gegevens geven "
            "altijd dezelfde uitkomst.",
    "permutations": "Aantal permutaties voor de toets op samenhang in de ruimte (Moran's I en LISA, PySAL esda): "
                    "999, zoals GeoDa en esda standaard doen.",
    "betweenness_exact_limit": "Tot zoveel verenigingen wordt de tussenpositie (betweenness) exact berekend; "
                               "daarboven met een steekproef van bronnen (Brandes en Pich 2007, zoals networkx).",
    "betweenness_sample_k": "Aantal bronnen in die steekproef (met de vaste startwaarde).",
    "pattern_alpha": "Significantieniveau voor hot- en coldspots: 5%.",
    "pattern_fdr": "Correctie voor veel toetsen tegelijk (false discovery rate, Benjamini en Hochberg 1995), "
                   "zoals esda.fdr; zonder correctie is bij 5% een op de twintig gebieden toevallig 'significant'.",
})


def _default_cohesion_weights() -> dict[str, float]:
    return {"enquete": 0.4, "participatie": 0.2, "netwerk": 0.2, "toegang": 0.2}


def _default_priority_weights() -> dict[str, float]:
    return {"behoefte": 1.0, "gaten": 1.0, "cohesietekort": 1.0}


def check_weights(weights: Mapping[str, float], allowed: tuple[str, ...], what: str) -> dict[str, float]:
    """Weights as floats, validated: known keys, finite, not negative, not all zero.

    Raises
    ------
    ValueError
        With a Dutch message naming the problem and the allowed keys.
    """
    unknown = sorted(set(weights) - set(allowed))
    if unknown:
        raise ValueError(f"Onbekend gewicht {', '.join(unknown)} voor de {what}. Kies uit: {', '.join(allowed)}.")
    values = {k: float(v) for k, v in weights.items()}
    if any(not math.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError(f"De gewichten voor de {what} moeten 0 of groter zijn.")
    if sum(values.values()) <= 0:
        raise ValueError(f"Minstens één gewicht voor de {what} moet groter dan 0 zijn.")
    return values


@dataclass(frozen=True)
class IndicatorParams:
    """Settings of every computation: the indicator table, priorities, profiles, what-if and the spatial pattern.

    Every field has its source or reason in :data:`PARAM_SOURCES` (shown on the Verantwoording page).

    Attributes
    ----------
    norms_m : dict
        Walking-norm overrides in metres per place component (defaults and their sources in
        :mod:`analysis.components`).
    threshold : int
        Minimum number of respondents behind a published survey figure (default 30, at least 10).
        Also applied to monitor figures whose file gives an n.
    cohesion_weights : dict
        Weights of the cohesion-index parts ``enquete`` (0.4), ``participatie``, ``netwerk`` and
        ``toegang`` (0.2 each). An area without a (published) part gets its index from the remaining
        parts, their weights rescaled.
    initiative_weight : float
        Weight of active initiatives per 1,000 inhabitants inside the ``participatie`` part, against 1 for
        each of ``vrijwilliger_pct`` and ``informele_hulp_pct`` (0.5: a fifth of the part). Half, because a
        list of initiatives holds what the wijkteam knows and is rarely complete (informal networks are
        under-registered by nature), while the survey measures every area the same way; it does not reach
        the survey's own weight, and it is not zero because leaving initiatives out is the field's most
        common mistake. Without a list of initiatives it has no effect; 0 leaves them out.
    priority_weights : dict
        Weights of the priority criteria ``behoefte``, ``gaten`` and ``cohesietekort`` (equal).
    gap_target_pct : dict
        Overrides of the components' target coverage (``Component.target_pct``).
    gap_supply_ratio : float
        Supply gap when the area's supply per 1,000 is below this fraction of the gemeente's (0.5).
    worst_share : float
        Share of areas counted as "worst" for the double-disadvantage flag (0.2: a fifth).
    min_inhabitants : int
        Areas with fewer inhabitants get no priority rank, no strengths or weaknesses, no supply gap and
        no per-1,000 rate in the cohesion index (500); they are listed with the reason.
    min_inhabitants_publish : int
        Areas with fewer inhabitants get no rate per 1,000 inhabitants at all (50, as the CBS).
    min_difference : float
        Minimum difference, in standard deviations of the wijk figures, for a strength or weakness (0.5).
    top_findings : int
        At most this many strengths and this many weaknesses per area (3).
    seed : int
        Seed for every random step (permutations of the spatial pattern, network layout and communities).
    permutations : int
        Permutations for the pseudo p-values of Moran's I and LISA (999, at least 99).
    betweenness_exact_limit : int
        Exact betweenness up to this many associations; above it a seeded sample of sources (5,000).
    betweenness_sample_k : int
        Number of sampled sources (1,000, at least 2).
    pattern_alpha : float
        Significance level of a hot or cold spot (0.05).
    pattern_fdr : bool
        Control the false discovery rate over the areas (Benjamini-Hochberg) before calling a spot
        significant (True).
    """

    norms_m: dict[str, float] = field(default_factory=dict)
    threshold: int = DEFAULT_THRESHOLD
    cohesion_weights: dict[str, float] = field(default_factory=_default_cohesion_weights)
    initiative_weight: float = 0.5
    priority_weights: dict[str, float] = field(default_factory=_default_priority_weights)
    gap_target_pct: dict[str, float] = field(default_factory=dict)
    gap_supply_ratio: float = 0.5
    worst_share: float = 0.2
    min_inhabitants: int = MIN_INHABITANTS_COMPARE
    min_inhabitants_publish: int = MIN_INHABITANTS_PUBLISH
    min_difference: float = 0.5
    top_findings: int = 3
    seed: int = 42
    permutations: int = 999
    betweenness_exact_limit: int = 5000
    betweenness_sample_k: int = 1000
    pattern_alpha: float = 0.05
    pattern_fdr: bool = True

    def __post_init__(self) -> None:
        walk_norms_m(self.norms_m)
        if int(self.threshold) < MIN_THRESHOLD:
            raise ValueError(f"De drempel voor enquêtecijfers is {self.threshold}; die mag niet lager dan "
                             f"{MIN_THRESHOLD} respondenten zijn.")
        check_weights(self.cohesion_weights, COHESION_PARTS, "cohesie-index")
        check_weights(self.priority_weights, PRIORITY_CRITERIA, "prioriteiten")
        for key, value in self.gap_target_pct.items():
            if key not in COMPONENTS_BY_KEY:
                raise ValueError(f"Onbekende component '{key}' in gap_target_pct. Kies uit: {', '.join(COMPONENT_KEYS)}.")
            if not 0 < float(value) <= 100:
                raise ValueError(f"Het doel voor '{key}' is {value}%; kies een percentage tussen 0 en 100.")
        self._check_ranges()

    def _check_ranges(self) -> None:
        if not 0 <= float(self.initiative_weight) <= 10:
            raise ValueError("initiative_weight (het gewicht van de initiatieven in het deel 'meedoen', standaard "
                             "0,5) moet tussen 0 en 10 liggen.")
        if not 0 < self.gap_supply_ratio <= 1:
            raise ValueError("gap_supply_ratio moet tussen 0 en 1 liggen (standaard 0,5).")
        if not 0 < self.worst_share < 1:
            raise ValueError("worst_share moet tussen 0 en 1 liggen (standaard 0,2: een vijfde).")
        if not 0 <= int(self.min_inhabitants_publish) <= int(self.min_inhabitants):
            raise ValueError("min_inhabitants_publish (standaard 50) moet 0 of meer zijn en niet groter dan "
                             "min_inhabitants (standaard 500).")
        if not self.min_difference >= 0 or int(self.top_findings) < 1:
            raise ValueError("min_difference moet 0 of groter zijn en top_findings minstens 1.")
        if int(self.permutations) < MIN_PERMUTATIONS:
            raise ValueError(f"Kies minstens {MIN_PERMUTATIONS} permutaties (standaard 999); met minder kan geen "
                             "p-waarde onder 0,01 uitkomen.")
        if int(self.betweenness_exact_limit) < 1 or int(self.betweenness_sample_k) < 2:
            raise ValueError("betweenness_exact_limit moet minstens 1 zijn en betweenness_sample_k minstens 2.")
        if not 0 < self.pattern_alpha < 0.5:
            raise ValueError("pattern_alpha moet tussen 0 en 0,5 liggen (standaard 0,05).")

    def target_pct(self, key: str) -> float:
        """Target coverage in % of component ``key``."""
        return float(self.gap_target_pct.get(key, COMPONENTS_BY_KEY[key].target_pct))

    def norm_m(self, key: str) -> float:
        """Walking norm in metres of place component ``key``."""
        return walk_norms_m(self.norms_m)[key]

    def cache_key(self) -> str:
        """A stable text of every setting, for caches keyed by the parameters."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    def source(self, name: str) -> str:
        """Source or reason of the setting ``name`` (Dutch; empty when none is recorded)."""
        return PARAM_SOURCES.get(name, "")


#: Dutch label, unit (a unit of :func:`analysis.formatting.format_value`, or "" for a plain number) and what
#: each setting does, as the Verantwoording page shows it. Nested dicts are shown per key.
PARAM_LABELS: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    "norms_m": ("Loopnorm", "m", "Tot deze afstand telt een voorziening als nabij; afwijkingen van de standaard."),
    "threshold": ("Privacydrempel", "respondenten",
                  "Onder zoveel respondenten wordt een enquêtecijfer niet getoond of geëxporteerd."),
    "cohesion_weights": ("Gewicht in de cohesie-index", "",
                         "Hoe zwaar elk deel meetelt in de cohesie-index."),
    "initiative_weight": ("Gewicht van initiatieven in 'meedoen'", "",
                          "Hoe zwaar actieve initiatieven per 1.000 inwoners tellen naast vrijwilligerswerk en "
                          "burenhulp (elk 1)."),
    "priority_weights": ("Gewicht in de prioriteitenlijst", "", "Hoe zwaar elk criterium de volgorde bepaalt."),
    "gap_target_pct": ("Doel bereik", "%", "Aandeel inwoners dat binnen de loopnorm moet wonen; "
                                          "afwijkingen van de standaard."),
    "gap_supply_ratio": ("Grens tekort aan aanbod", "%",
                         "Een wijk heeft een tekort als haar aanbod per 1.000 inwoners onder dit deel van dat "
                         "van de gemeente ligt."),
    "worst_share": ("Slechtste deel", "%", "Dit deel van de wijken met de laagste scores heet 'achtergebleven'."),
    "min_inhabitants": ("Minimum inwoners voor een vergelijking", "inwoners",
                        "Kleinere gebieden krijgen geen rang en geen sterke of zwakke punten."),
    "min_inhabitants_publish": ("Minimum inwoners voor een cijfer per 1.000", "inwoners",
                                "Kleinere gebieden krijgen geen cijfer per 1.000 inwoners."),
    "min_difference": ("Minimaal verschil voor sterk of zwak", "standaardafwijking",
                       "Zoveel moet een wijk afwijken van het gemiddelde van de wijken."),
    "top_findings": ("Sterke en zwakke punten per wijk", "", "Hoogstens zoveel van elk, de grootste eerst."),
    "seed": ("Vaste startwaarde", "", "Dezelfde gegevens geven altijd dezelfde uitkomst."),
    "permutations": ("Permutaties", "", "Aantal herhalingen van de toets op samenhang in de ruimte."),
    "betweenness_exact_limit": ("Grens exacte tussenpositie", "verenigingen",
                                "Tot zoveel verenigingen wordt de tussenpositie exact berekend."),
    "betweenness_sample_k": ("Steekproef tussenpositie", "bronnen",
                             "Zoveel bronnen in de steekproef daarboven."),
    "pattern_alpha": ("Significantieniveau hot- en coldspots", "%", "Kans op een toevallige uitkomst die we "
                                                                    "accepteren per toets."),
    "pattern_fdr": ("Correctie voor veel toetsen", "", "Benjamini en Hochberg: minder toevallige hotspots."),
})
#: Settings whose value is a fraction shown as a percentage.
_FRACTION_SETTINGS = frozenset({"gap_supply_ratio", "worst_share", "pattern_alpha"})
#: Dutch names of the keys inside the weight settings.
WEIGHT_KEY_LABELS: Mapping[str, str] = MappingProxyType({
    "enquete": "ervaren samenhang (enquête)", "participatie": "meedoen", "netwerk": "verenigingsleven",
    "toegang": "toegang tot voorzieningen", "behoefte": "behoefte", "gaten": "gaten in het aanbod",
    "cohesietekort": "tekort aan cohesie",
})


def parameter_rows(params: IndicatorParams) -> list[dict[str, str]]:
    """Every setting as rows for people: Dutch label, value (Dutch formatted, with unit), what it does, source.

    Parameters
    ----------
    params : IndicatorParams
        The settings in use.

    Returns
    -------
    list of dict
        Keys ``instelling``, ``waarde``, ``wat het doet`` and ``bron``; one row per setting, and one per key of
        a weight or norm setting (a setting without overrides reads "standaard").
    """
    from analysis.components import COMPONENTS_BY_KEY
    from analysis.formatting import format_value

    def shown(name: str, value: object, unit: str) -> str:
        if isinstance(value, bool):
            return "aan" if value else "uit"
        if name in _FRACTION_SETTINGS:
            return format_value(100 * float(value), "%")  # type: ignore[arg-type]
        return format_value(value, unit) if unit in ("m", "%") else format_value(value, "")

    rows: list[dict[str, str]] = []
    for item in dataclasses.fields(params):
        label, unit, effect = PARAM_LABELS.get(item.name, (item.name, "", ""))
        value = getattr(params, item.name)
        entries = value.items() if isinstance(value, dict) else [(None, value)]
        if isinstance(value, dict) and not value:
            entries = [(None, "standaard")]
        for key, item_value in entries:
            part = None if key is None else (WEIGHT_KEY_LABELS.get(key) or getattr(COMPONENTS_BY_KEY.get(key), "label",
                                                                                   key))
            text = item_value if isinstance(item_value, str) else shown(item.name, item_value, unit)
            if unit not in ("", "%") and not isinstance(item_value, str):
                text = f"{text} {unit}"
            rows.append({"instelling": label if part is None else f"{label}: {part}", "waarde": text,
                         "wat het doet": effect, "bron": PARAM_SOURCES.get(item.name, "")})
    return rows
