"""The one indicator registry: key, Dutch label, plain definition, unit, direction, source and levels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import pandas as pd

from analysis.components import COMPONENTS, FACILITY_COMPONENT_KEYS, PLACE_COMPONENT_KEYS, Component

ALL_LEVELS: tuple[str, ...] = ("buurt", "wijk", "gemeente")
#: Levels on which an index relative to the other areas makes sense (the gemeente is the reference).
AREA_LEVELS: tuple[str, ...] = ("buurt", "wijk")

#: Short source tags, also the default value of the ``bron`` column in the indicator table.
SOURCE_REGISTRATION = "registratie"
SOURCE_SURVEY = "enquête"
SOURCE_CBS = "CBS kerncijfers"
SOURCE_COMPUTED = "berekend"

#: Units (Dutch, as shown to users).
UNIT_COUNT = "aantal"
UNIT_PER_1000 = "per 1.000 inwoners"
UNIT_CAPACITY_PER_1000 = "capaciteit per 1.000 inwoners"
UNIT_METRE = "meter"
UNIT_PCT = "%"
UNIT_SCORE = "score 0-10"
UNIT_INDEX = "index (100 = gemiddelde)"
UNIT_FLAG = "ja (1) / nee (0)"
UNIT_RANK = "rang (1 = hoogste prioriteit)"
UNIT_SCORE_100 = "score 0-100"
UNIT_RATIO = "verhouding 0-1"
UNIT_VALUE = "waarde"



class IndicatorKind(StrEnum):
    """What kind of figure an indicator is; code decides by kind, labels are for people only."""

    AANBOD = "aanbod"
    NABIJHEID = "nabijheid"
    NETWERK = "netwerk"
    INFORMEEL = "informeel"
    ENQUETE = "enquete"
    DIGITAAL = "digitaal"
    INDEX = "index"
    GAT = "gat"
    PRIORITEIT = "prioriteit"
    KERNCIJFER = "kerncijfer"


#: Dutch group name of each kind, in the order the methodology page lists them.
KIND_LABELS: Mapping[IndicatorKind, str] = MappingProxyType({
    IndicatorKind.AANBOD: "Aanbod",
    IndicatorKind.NABIJHEID: "Nabijheid",
    IndicatorKind.NETWERK: "Verenigingen en netwerk",
    IndicatorKind.INFORMEEL: "Informele netwerken",
    IndicatorKind.ENQUETE: "Bewonersenquête",
    IndicatorKind.DIGITAAL: "Digitaal",
    IndicatorKind.INDEX: "Cohesie-index",
    IndicatorKind.GAT: "Gaten",
    IndicatorKind.PRIORITEIT: "Behoefte en prioriteit",
    IndicatorKind.KERNCIJFER: "Kerncijfers",
})
#: Group names (Dutch) in the order the methodology page lists them.
GROUPS: tuple[str, ...] = tuple(KIND_LABELS.values())


@dataclass(frozen=True)
class Indicator:
    """Metadata of one indicator.

    Attributes
    ----------
    key : str
        Stable key used in the indicator table, the CSV exports and the UI.
    label : str
        Dutch label.
    definition : str
        What the figure means, in plain Dutch a resident understands.
    unit : str
        Dutch unit (``%``, ``meter``, ``per 1.000 inwoners`` ...).
    higher_is_better : bool or None
        Direction for colours and rankings; ``None`` when neither is better.
    source : str
        Short source tag, the default ``bron`` in the indicator table.
    levels : tuple of str
        Levels the indicator exists on (``buurt``, ``wijk``, ``gemeente``).
    kind : IndicatorKind
        What kind of figure it is; :attr:`group` is its Dutch name for the methodology page.
    year_note : str or None
        Note on which year the figure describes, when that is not simply the measurement year.
    """

    key: str
    label: str
    definition: str
    unit: str
    higher_is_better: bool | None
    source: str
    levels: tuple[str, ...]
    kind: IndicatorKind
    year_note: str | None = None

    @property
    def group(self) -> str:
        """Dutch group name (one of :data:`GROUPS`), for people only."""
        return KIND_LABELS[self.kind]


K = IndicatorKind


def _supply_entries(c: Component) -> list[Indicator]:
    """Count, rate and capacity for a component measured from facility files."""
    name = c.label.lower()
    return [
        Indicator(f"{c.key}_aantal", f"{c.short_label}: aantal",
                  f"Het aantal voorzieningen van het soort '{name}' ({c.examples}) dat in het gebied ligt.",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.AANBOD),
        Indicator(f"{c.key}_per_1000_inw", f"{c.short_label}: per 1.000 inwoners",
                  f"Het aantal voorzieningen van het soort '{name}' in het gebied per 1.000 inwoners "
                  "van het gebied. Zo zijn grote en kleine gebieden te vergelijken.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.AANBOD),
        Indicator(f"{c.key}_capaciteit_per_1000_inw", f"{c.short_label}: capaciteit per 1.000 inwoners",
                  f"De opgetelde capaciteit (plaatsen, leerlingen, bezoekers: wat het bestand opgeeft) van "
                  f"de voorzieningen van het soort '{name}' in het gebied, per 1.000 inwoners. Alleen "
                  "voorzieningen waarvan de capaciteit bekend is tellen mee.",
                  UNIT_CAPACITY_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.AANBOD),
    ]


def _proximity_entries(c: Component) -> list[Indicator]:
    """Distance, coverage, unreachable residents and supply within reach (2SFCA) for a component that is a place."""
    name = c.label.lower()
    norm = f"{c.walk_norm_m:,.0f}".replace(",", ".")
    what = "een actieve vereniging" if c.key == "verenigingen" else f"een voorziening van het soort '{name}'"
    how = ("Afstand over het stratennet (lopen) als de dataset een stratenbestand heeft, anders hemelsbreed; "
           "inwoners op hun woonadres, anders over de CBS-vierkanten of gelijkmatig over de buurt. De kolom "
           "bron zegt wat er is gebruikt.")
    entries = [
        Indicator(f"{c.key}_afstand_m", f"{c.short_label}: gemiddelde afstand",
                  f"Hoe ver de inwoners gemiddeld van {what} wonen, ook als die buiten het gebied of de gemeente "
                  f"ligt. {how}",
                  UNIT_METRE, False, SOURCE_REGISTRATION, ALL_LEVELS, K.NABIJHEID),
        Indicator(f"{c.key}_dekking_pct", f"{c.short_label}: inwoners binnen {norm} m",
                  f"Het deel van de inwoners dat binnen {norm} meter van {what} woont. {c.norm_basis} {how}",
                  UNIT_PCT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NABIJHEID),
        Indicator(f"{c.key}_onbereikbaar_inw", f"{c.short_label}: inwoners zonder route",
                  f"Het aantal inwoners dat over het stratennet geen {what} kan bereiken, omdat hun stuk van het "
                  "net er niet op aansluit. Zij tellen niet mee in de afstand, de dekking en het bereik. Alleen "
                  "met een stratenbestand.",
                  UNIT_COUNT, False, SOURCE_REGISTRATION, ALL_LEVELS, K.NABIJHEID),
        Indicator(f"{c.key}_bereik_per_1000", f"{c.short_label}: aanbod binnen bereik per 1.000 inwoners",
                  f"Hoeveel plekken ({what}) de inwoners binnen {norm} meter kunnen bereiken, per 1.000 inwoners "
                  "die die plekken ook kunnen bereiken, ook over de grens van het gebied (two-step floating "
                  "catchment, Luo en Wang 2003). Het gemiddelde van de inwoners van het gebied. "
                  f"{how}",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NABIJHEID),
    ]
    if c.measured_from == "voorzieningen":
        entries.append(Indicator(
            f"{c.key}_bereik_capaciteit_per_1000", f"{c.short_label}: capaciteit binnen bereik per 1.000 inwoners",
            f"Als '{c.short_label}: aanbod binnen bereik per 1.000 inwoners', met de capaciteit van elke plek in "
            "plaats van 1 per plek. Alleen als alle plekken van dat jaar een capaciteit hebben.",
            UNIT_CAPACITY_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NABIJHEID))
    return entries


#: The scale of each priority criterion's points (0-100), in plain Dutch; the priorities output repeats it.
PRIORITY_SCALES: Mapping[str, str] = MappingProxyType({
    "behoefte": "0 = behoefte op of onder het gemiddelde van de gemeente (behoefte-index 100 of lager), "
                "100 = behoefte-index 130 (drie standaardafwijkingen erboven, het hoogste van de index)",
    "gaten": "0 = geen tekort, 100 = bij elk gemeten onderdeel woont niemand binnen de loopnorm of ontbreekt al "
             "het aanbod",
    "cohesietekort": "0 = samenhang op of boven het gemiddelde (cohesie-index 100 of hoger), 100 = cohesie-index "
                     "70 (drie standaardafwijkingen eronder, het laagste van de index)",
})
#: What the comparison minimum means, for the definitions (default 500 inhabitants, instelbaar).
_SMALL_AREAS = ("Een gebied met minder dan 500 inwoners (instelbaar) krijgt geen rang en wordt niet op aanbod "
                "vergeleken: te weinig inwoners voor een vergelijking.")


def _gap_entry(c: Component) -> Indicator:
    supply = ("het aanbod binnen bereik per 1.000 inwoners (met een stratenbestand of adressen: de plekken die "
              "de inwoners binnen de norm kunnen bereiken, ook over de grens van het gebied; anders het aanbod "
              "in het gebied zelf) lager is dan de helft van dat van de hele gemeente")
    if c.walk_norm_m is None:
        rule = ("het aantal actieve gebruikers per 1.000 inwoners lager is dan de helft van dat van de "
                "hele gemeente")
    else:
        rule = f"minder dan {c.target_pct:.0f}% van de inwoners binnen de norm woont, of {supply}"
    return Indicator(f"{c.key}_gat", f"{c.short_label}: tekort",
                     f"1 als het gebied een tekort heeft aan '{c.label.lower()}': {rule}. Anders 0. De norm, het doel "
                     f"en hun bron staan in de tabel met onderdelen. {_SMALL_AREAS}",
                     UNIT_FLAG, False, SOURCE_COMPUTED, ALL_LEVELS, K.GAT)


def _network_entries() -> list[Indicator]:
    return [
        Indicator("verenigingen_aantal", "Verenigingen: aantal",
                  "Het aantal actieve verenigingen en bewonersgroepen dat in het gebied gevestigd is "
                  "(uit de verenigingenlijst, plus voorzieningen die als vereniging zijn opgegeven).",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
        Indicator("verenigingen_per_1000_inw", "Verenigingen: per 1.000 inwoners",
                  "Het aantal actieve verenigingen in het gebied per 1.000 inwoners.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
        Indicator("leden_per_1000_inw", "Leden van verenigingen per 1.000 inwoners",
                  "Het opgetelde ledental van de actieve verenigingen in het gebied per 1.000 inwoners. "
                  "Iemand die lid is van twee verenigingen telt twee keer; leden kunnen ook buiten het "
                  "gebied wonen.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
        Indicator("netwerk_dichtheid", "Netwerkdichtheid",
                  "Hoeveel van de verenigingen in het gebied met elkaar verbonden zijn (gedeelde leden, "
                  "bestuurders, samenwerking of locatie), als deel van alle mogelijke paren: 0 = geen "
                  "enkele band, 1 = iedereen werkt met iedereen samen. Voor de hele gemeente: de mediaan van "
                  "de wijken. Het netwerk van de hele gemeente is altijd minder dicht dan dat van een wijk "
                  "(het aantal mogelijke paren groeit veel sneller dan het aantal banden), dus een wijk wordt "
                  "alleen met andere wijken vergeleken.",
                  UNIT_RATIO, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
        Indicator("overbruggende_banden_pct", "Overbruggende banden",
                  "Van alle banden van verenigingen in het gebied: het deel dat naar een vereniging "
                  "buiten het gebied loopt. Zulke banden verbinden buurten met elkaar. Voor de hele gemeente: "
                  "de mediaan van de wijken (alle banden in de gegevens liggen binnen de gemeente, dus een "
                  "eigen cijfer van de gemeente zou altijd 0 zijn).",
                  UNIT_PCT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
        Indicator("geisoleerde_verenigingen", "Verenigingen zonder banden",
                  "Het aantal actieve verenigingen in het gebied dat met geen enkele andere vereniging "
                  "verbonden is.",
                  UNIT_COUNT, False, SOURCE_REGISTRATION, ALL_LEVELS, K.NETWERK),
    ]


def _informal_entries() -> list[Indicator]:
    """Active initiatives (source ``initiatieven``): only for a dataset that has that list."""
    what = ("bewonersinitiatieven en informele netwerken (buurtgroepen, app-groepen, activiteiten die bewoners zelf "
            "organiseren) uit de lijst initiatieven van de dataset")
    rule = ("Een initiatief telt mee in een jaar als het in of voor dat jaar begon en niet voor dat jaar stopte; in "
            "het laatste meetjaar moet het ook nog actief zijn. Alleen als de dataset een lijst initiatieven heeft; "
            "zo'n lijst is zelden volledig, dus een laag cijfer kan ook betekenen dat initiatieven niet bekend zijn.")
    return [
        Indicator("initiatieven_aantal", "Initiatieven: aantal",
                  f"Het aantal actieve {what} in het gebied. {rule}",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.INFORMEEL),
        Indicator("initiatieven_per_1000_inw", "Initiatieven: per 1.000 inwoners",
                  f"Het aantal actieve {what} in het gebied per 1.000 inwoners. {rule} Geen cijfer voor een "
                  "gebied met minder dan 50 inwoners (zoals het CBS); in de cohesie-index telt het cijfer niet "
                  "mee onder 500 inwoners (instelbaar).",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.INFORMEEL),
    ]


def _survey_entries() -> list[Indicator]:
    survey = "Uit de bewonersenquête (of de gebiedsmonitor van de gemeente)"
    g = K.ENQUETE
    return [
        Indicator("cohesie_score", "Sociale samenhang",
                  f"{survey}: hoe sterk bewoners de band in hun buurt ervaren (elkaar kennen, prettig "
                  "met elkaar omgaan, zich thuis voelen), op een schaal van 0 tot 10. Landelijk ligt "
                  "het gemiddelde rond 6,4.",
                  UNIT_SCORE, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("eenzaam_pct", "Eenzaam",
                  f"{survey}: het deel van de bewoners dat zich eenzaam voelt (score 2 of hoger op de "
                  "zes vragen van De Jong Gierveld).",
                  UNIT_PCT, False, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("zeer_eenzaam_pct", "Zeer eenzaam",
                  f"{survey}: het deel van de bewoners dat zich zeer eenzaam voelt (score 5 of 6 op de "
                  "zes vragen van De Jong Gierveld).",
                  UNIT_PCT, False, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("vrijwilliger_pct", "Vrijwilligerswerk",
                  f"{survey}: het deel van de bewoners dat in de afgelopen 12 maanden onbetaald werk deed "
                  "voor een organisatie of voor de samenleving.",
                  UNIT_PCT, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("informele_hulp_pct", "Burenhulp",
                  f"{survey}: het deel van de bewoners dat buren of anderen buiten een organisatie om "
                  "onbetaald helpt.",
                  UNIT_PCT, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("mantelzorg_pct", "Mantelzorg",
                  f"{survey}: het deel van de bewoners dat langdurig zorgt voor een naaste die ziek is "
                  "of hulp nodig heeft.",
                  UNIT_PCT, None, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("vertrouwen_score", "Vertrouwen in lokale organisaties",
                  f"{survey}: hoeveel vertrouwen bewoners hebben in organisaties in hun buurt (zoals "
                  "welzijn, wijkteam en gemeente), op een schaal van 0 tot 10.",
                  UNIT_SCORE, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("veilig_pct", "Voelt zich veilig",
                  f"{survey}: het deel van de bewoners dat zich meestal of altijd veilig voelt in de buurt.",
                  UNIT_PCT, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("gebruik_ontmoeting_pct", "Gebruik ontmoetingsplekken",
                  f"{survey}: het deel van de bewoners dat het afgelopen jaar een buurthuis, wijkcentrum, "
                  "bibliotheek of andere ontmoetingsplek heeft bezocht.",
                  UNIT_PCT, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("tevredenheid_voorzieningen", "Tevredenheid over voorzieningen",
                  f"{survey}: hoe tevreden bewoners zijn over de voorzieningen in hun buurt, op een "
                  "schaal van 0 tot 10.",
                  UNIT_SCORE, True, SOURCE_SURVEY, ALL_LEVELS, g),
        Indicator("respondenten_aantal", "Aantal ingevulde enquêtes",
                  "Hoeveel bewoners van het gebied de enquête hebben ingevuld. Bij minder dan 30 "
                  "(instelbaar) worden de uitkomsten niet getoond, om de privacy te beschermen en omdat "
                  "ze dan te onzeker zijn.",
                  UNIT_COUNT, None, SOURCE_SURVEY, ALL_LEVELS, g),
    ]


def _digital_entries() -> list[Indicator]:
    return [
        Indicator("digitaal_aantal", "Digitaal: aantal platforms",
                  "Het aantal digitale platforms (participatieplatform, buurt-app, WhatsApp-groep, online "
                  "inspraak) met actieve gebruikers in het gebied.",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, K.DIGITAAL),
        Indicator("digitaal_actief_per_1000_inw", "Digitaal: actieve gebruikers per 1.000 inwoners",
                  "Het aantal actieve gebruikers van digitale buurt- en participatieplatforms in het "
                  "gebied per 1.000 inwoners. Wie twee platforms gebruikt, telt twee keer.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, K.DIGITAAL),
    ]


def _cohesion_entries() -> list[Indicator]:
    g = K.INDEX
    scale = ("100 is het gemiddelde van de gemeente (gewogen naar inwoners), 10 punten is één "
             "standaardafwijking: 110 is dus duidelijk boven, 90 duidelijk onder het gemiddelde. Uitschieters "
             "tellen voor hoogstens 3 standaardafwijkingen mee (de index blijft tussen 70 en 130).")
    return [
        Indicator("cohesie_index", "Cohesie-index",
                  "Eén getal voor de sociale infrastructuur van het gebied, opgebouwd uit vier delen: "
                  "ervaren samenhang (enquête; standaard weegt dit deel 40%), meedoen (vrijwilligerswerk en "
                  "burenhulp, en met een lijst initiatieven ook de actieve initiatieven per 1.000 inwoners; 20%), "
                  "verenigingsleven (verenigingen per 1.000 inwoners en overbruggende "
                  "banden, 20%) en toegang (aandeel inwoners binnen de loopnorm van voorzieningen, 20%). "
                  "Ontbreekt een deel, bijvoorbeeld omdat de enquête in het gebied te weinig respons had en "
                  "het cijfer daarom niet getoond wordt, dan tellen de andere delen naar verhouding zwaarder; "
                  f"het verborgen cijfer telt nergens mee. {scale}",
                  UNIT_INDEX, True, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("cohesie_deel_enquete", "Cohesie-index: ervaren samenhang",
                  f"Deel van de cohesie-index: de sociale samenhang uit de enquête, vergeleken met de "
                  f"andere gebieden. {scale}",
                  UNIT_INDEX, True, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("cohesie_deel_participatie", "Cohesie-index: meedoen",
                  "Deel van de cohesie-index: vrijwilligerswerk en burenhulp samen, vergeleken met de "
                  "andere gebieden. Heeft de dataset een lijst initiatieven, dan tellen ook de actieve "
                  "initiatieven per 1.000 inwoners mee, standaard half zo zwaar als elk van de twee andere "
                  f"(instelbaar: een lijst initiatieven is zelden volledig). {scale}",
                  UNIT_INDEX, True, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("cohesie_deel_netwerk", "Cohesie-index: verenigingsleven",
                  "Deel van de cohesie-index: verenigingen per 1.000 inwoners en het deel overbruggende "
                  f"banden samen, vergeleken met de andere gebieden. {scale}",
                  UNIT_INDEX, True, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("cohesie_deel_toegang", "Cohesie-index: toegang",
                  "Deel van de cohesie-index: het gemiddelde aandeel inwoners binnen de loopnorm van de "
                  f"voorzieningen, vergeleken met de andere gebieden. {scale}",
                  UNIT_INDEX, True, SOURCE_COMPUTED, AREA_LEVELS, g),
    ]


def _need_priority_entries() -> list[Indicator]:
    g = K.PRIORITEIT
    return [
        Indicator("gaten_aantal", "Aantal tekorten",
                  "Bij hoeveel van de onderdelen van de sociale infrastructuur het gebied een tekort heeft.",
                  UNIT_COUNT, False, SOURCE_COMPUTED, ALL_LEVELS, K.GAT),
        Indicator("gaten_score", "Tekortscore",
                  "Hoe groot de tekorten zijn, gemiddeld over de gemeten onderdelen. Per onderdeel met een tekort: "
                  "het deel van de inwoners dat buiten de norm woont, of bij te weinig aanbod het deel van het "
                  "gemeentelijk aanbod per 1.000 inwoners dat ontbreekt; zonder tekort 0. "
                  f"Schaal: {PRIORITY_SCALES['gaten']}.",
                  UNIT_SCORE_100, False, SOURCE_COMPUTED, ALL_LEVELS, K.GAT),
        Indicator("gaten_inwoners", "Inwoners met een tekort",
                  "Hoeveel inwoners een tekort merken, opgeteld over de onderdelen: per onderdeel met een tekort "
                  "de inwoners buiten de norm (of, bij te weinig aanbod, de inwoners maal het deel van het aanbod "
                  "dat ontbreekt). Wie bij twee onderdelen tekortkomt, telt twee keer.",
                  UNIT_COUNT, False, SOURCE_COMPUTED, ALL_LEVELS, K.GAT),
        Indicator("behoefte_index", "Behoefte-index",
                  "Hoeveel behoefte aan sociale infrastructuur er naar verwachting is: hoger bij meer "
                  "65-plussers, meer alleenwonenden en (waar bekend) meer huishoudens met een laag inkomen, "
                  "vergeleken met de andere gebieden. 100 is het gemiddelde van de gemeente, 10 punten is "
                  "één standaardafwijking.",
                  UNIT_INDEX, False, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("dubbele_achterstand", "Dubbele achterstand",
                  "1 als het gebied bij het slechtste vijfde hoort op zowel behoefte (hoogste "
                  "behoefte-index) als sociale infrastructuur (laagste cohesie-index). Anders 0.",
                  UNIT_FLAG, False, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("prioriteit_score", "Prioriteitsscore",
                  "Gewogen gemiddelde van drie criteria, elk 0 tot 100 punten op een vaste schaal (dus niet "
                  "afhankelijk van welke andere gebieden meedoen). Behoefte: "
                  f"{PRIORITY_SCALES['behoefte']}. Tekorten: de tekortscore, {PRIORITY_SCALES['gaten']}. "
                  f"Tekort aan samenhang: {PRIORITY_SCALES['cohesietekort']}; een bovengemiddelde samenhang "
                  "levert dus geen punten op. 100 = het slechtst denkbare op alle drie. De gewichten zijn "
                  f"instelbaar; de bijdrage van elk criterium wordt getoond. {_SMALL_AREAS}",
                  UNIT_SCORE_100, None, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("prioriteit_rang", "Prioriteit (rang)",
                  "De plaats van het gebied in de prioriteitenlijst: 1 = hoogste prioriteit.",
                  UNIT_RANK, None, SOURCE_COMPUTED, AREA_LEVELS, g),
    ]


def _kerncijfer_entries() -> list[Indicator]:
    g = K.KERNCIJFER
    note = "Uit de CBS wijk- en buurtkaart van de dataset; hetzelfde cijfer voor elk meetjaar."
    return [
        Indicator("inwoners", "Inwoners", "Het aantal inwoners van het gebied volgens het CBS.",
                  UNIT_COUNT, None, SOURCE_CBS, ALL_LEVELS, g, note),
        Indicator("huishoudens", "Huishoudens", "Het aantal huishoudens in het gebied volgens het CBS.",
                  UNIT_COUNT, None, SOURCE_CBS, ALL_LEVELS, g, note),
        Indicator("p_65_eo", "65 jaar en ouder", "Het deel van de inwoners dat 65 jaar of ouder is.",
                  UNIT_PCT, None, SOURCE_CBS, ALL_LEVELS, g, note),
        Indicator("p_eenpersoons_hh", "Alleenwonenden",
                  "Het deel van de huishoudens dat uit één persoon bestaat.",
                  UNIT_PCT, None, SOURCE_CBS, ALL_LEVELS, g, note),
        Indicator("p_laag_inkomen", "Huishoudens met laag inkomen",
                  "Het deel van de huishoudens met een laag inkomen volgens het CBS (alleen als het "
                  "buurtenbestand dit cijfer bevat).",
                  UNIT_PCT, None, SOURCE_CBS, ALL_LEVELS, g, note),
    ]


def _build() -> dict[str, Indicator]:
    entries: list[Indicator] = []
    for c in COMPONENTS:
        if c.key in FACILITY_COMPONENT_KEYS:
            entries += _supply_entries(c)
    entries += _network_entries()
    entries += _informal_entries()
    entries += _digital_entries()
    for c in COMPONENTS:
        if c.key in PLACE_COMPONENT_KEYS:
            entries += _proximity_entries(c)
    entries += _survey_entries()
    entries += _cohesion_entries()
    entries += [_gap_entry(c) for c in COMPONENTS]
    entries += _need_priority_entries()
    entries += _kerncijfer_entries()
    registry: dict[str, Indicator] = {}
    for entry in entries:
        if entry.key in registry:  # pragma: no cover - guards the table above
            raise ValueError(f"dubbele indicator '{entry.key}' in het register")
        registry[entry.key] = entry
    return registry


class Registry(Mapping[str, Indicator]):
    """An immutable indicator registry: the built-in entries plus those a dataset defines.

    Every dataset gets its own registry (:attr:`analysis.model.Dataset.registry`), so the keys
    one dataset defines never reach another dataset or another user's session. Extending returns
    a new registry; nothing is ever changed in place.

    Parameters
    ----------
    entries : iterable of Indicator
        The entries, in display order; keys must be unique.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[Indicator]):
        table: dict[str, Indicator] = {}
        for entry in entries:
            if entry.key in table:
                raise ValueError(f"dubbele indicator '{entry.key}' in het register")
            table[entry.key] = entry
        self._entries: Mapping[str, Indicator] = MappingProxyType(table)

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self._entries[key]
        except KeyError:
            raise KeyError(f"Onbekende indicator '{key}': die staat niet in het indicatorenregister.") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({len(self)} indicatoren)"

    def extend(self, entries: Iterable[Indicator]) -> Registry:
        """A new registry with ``entries`` added after these; keys already present are kept as they are."""
        seen, extra = set(self._entries), []
        for entry in entries:  # the first of two entries with one key wins (a dataset's own label before a generic one)
            if entry.key not in seen:
                seen.add(entry.key)
                extra.append(entry)
        return self if not extra else Registry([*self._entries.values(), *extra])

    def with_keys(self, keys: Iterable[str]) -> Registry:
        """A new registry in which every unknown key of ``keys`` has a generic survey entry."""
        return self.extend(dataset_indicator(str(k)) for k in dict.fromkeys(keys) if str(k) not in self._entries)

    def keys_of(self, *kinds: IndicatorKind) -> tuple[str, ...]:
        """Keys of the given kinds, in registry order."""
        return tuple(k for k, e in self._entries.items() if e.kind in kinds)

    def label(self, key: str) -> str:
        """Dutch label of ``key``."""
        return self[key].label

    def unit(self, key: str) -> str:
        """Dutch unit of ``key``."""
        return self[key].unit

    def is_survey(self, key: str) -> bool:
        """True when ``key`` is a survey figure (from respondents or a monitor)."""
        entry = self._entries.get(str(key))
        return entry is not None and entry.kind is IndicatorKind.ENQUETE

    def table(self) -> pd.DataFrame:
        """This registry as a DataFrame for the methodology page (see :func:`registry_table`)."""
        return registry_table(self)


#: Every indicator the engine defines itself, by key (read-only).
BUILTIN: Mapping[str, Indicator] = MappingProxyType(_build())
#: The built-in registry; a dataset's own registry extends it (:attr:`analysis.model.Dataset.registry`).
REGISTRY: Registry = Registry(BUILTIN.values())

#: Keys of the built-in survey figures (a dataset's own survey keys: ``ds.registry.keys_of(ENQUETE)``).
SURVEY_KEYS: tuple[str, ...] = REGISTRY.keys_of(IndicatorKind.ENQUETE)

#: Component keys that can have a gap (``<c>_gat``): every component.
GAP_COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)


def indicator(key: str) -> Indicator:
    """The built-in registry entry of ``key`` (a dataset's own keys: ``ds.registry[key]``).

    Raises
    ------
    KeyError
        With a Dutch message when the key is unknown.
    """
    return REGISTRY[key]


def unit(key: str) -> str:
    """Dutch unit of a built-in ``key``."""
    return REGISTRY.unit(key)


def label(key: str) -> str:
    """Dutch label of a built-in ``key``."""
    return REGISTRY.label(key)


def _guess_unit(key: str) -> str:
    if key.endswith("_pct"):
        return UNIT_PCT
    if key.endswith("_score"):
        return UNIT_SCORE
    if key.endswith("_aantal"):
        return UNIT_COUNT
    if key.endswith("_per_1000_inw"):
        return UNIT_PER_1000
    return UNIT_VALUE


def dataset_indicator(key: str, label: str | None = None, unit: str | None = None,
                      definition: str | None = None) -> Indicator:
    """A survey indicator that a dataset defines itself (a codebook scale or a monitor column).

    Parameters
    ----------
    key : str
        Indicator key (for example ``voldoende_groen_pct``).
    label : str, optional
        Dutch label (for example the codebook scale's ``label``); default the key.
    unit : str, optional
        Unit; default guessed from the key's ending (``_pct`` -> %, ``_score`` -> score 0-10).
    definition : str, optional
        Plain Dutch definition (for example from the monitor's data dictionary).

    Returns
    -------
    Indicator
        A new entry of kind :attr:`IndicatorKind.ENQUETE`, with no direction.
    """
    text = label or key
    meaning = definition or (
        f"Uitkomst van de bewonersenquête of de gebiedsmonitor: {text}. Deze indicator is door de "
        "dataset zelf gedefinieerd (codeboek of monitor); zie daar de precieze vraag.")
    return Indicator(str(key), text, meaning, unit or _guess_unit(str(key)), None, SOURCE_SURVEY, ALL_LEVELS,
                     IndicatorKind.ENQUETE)


def dataset_registry(codebook: Mapping[str, object], survey_keys: Iterable[str] = (),
                     own: Iterable[Indicator] = ()) -> Registry:
    """The registry of one dataset: the built-ins plus the keys its codebook and monitor define.

    Parameters
    ----------
    codebook : dict
        The parsed codebook (``schalen.<name>`` with ``label``, ``indicator`` and ``drempels``).
    survey_keys : iterable of str
        Indicator keys of the aggregated survey figures (monitor).
    own : iterable of Indicator
        Entries the loaders built with a label and unit of their own (for example from a data dictionary).

    Returns
    -------
    Registry
        A new registry; the built-in one is never changed.
    """
    entries: list[Indicator] = list(own)
    scales = codebook.get("schalen", {}) if isinstance(codebook, Mapping) else {}
    for scale in (scales.values() if isinstance(scales, Mapping) else []):
        if not isinstance(scale, Mapping):
            continue
        label = str(scale.get("label") or "") or None
        keys = list(scale.get("drempels") or {}) if scale.get("methode") == "telling" else [scale.get("indicator")]
        for key in keys:
            if key:
                suffix = f" (drempel {scale['drempels'][key]})" if scale.get("methode") == "telling" and label else ""
                entries.append(dataset_indicator(str(key), f"{label}{suffix}" if label else None))
    entries += [dataset_indicator(str(k)) for k in survey_keys]
    return REGISTRY.extend(entries)


def kinds(table: pd.DataFrame, registry: Registry | None = None) -> pd.Series:
    """The kind of every row of an indicator table: its ``soort`` column, else looked up by key.

    Parameters
    ----------
    table : pandas.DataFrame
        An indicator table (``indicator`` and, from :func:`analysis.compute.indicators.compute_indicators`,
        ``soort``).
    registry : Registry, optional
        The registry to look keys up in when the table has no ``soort``; default the built-in one.

    Returns
    -------
    pandas.Series of str
        The :class:`IndicatorKind` values; empty string for unknown keys.
    """
    if "soort" in table.columns:
        return table["soort"].astype("string").fillna("").astype(str)
    reg = registry or REGISTRY
    found = {k: str(reg[k].kind) for k in pd.unique(table["indicator"].astype(str)) if k in reg}
    return table["indicator"].astype(str).map(found).fillna("").astype(str)


def registry_table(registry: Registry | None = None) -> pd.DataFrame:
    """A registry as a DataFrame (Dutch column names) for the methodology page and docs.

    Parameters
    ----------
    registry : Registry, optional
        A dataset's registry; default the built-in one.

    Returns
    -------
    pandas.DataFrame
        ``indicator, naam, definitie, eenheid, hoger_is_beter, bron, niveaus, groep,
        toelichting_jaar``, ordered by group.
    """
    direction = {True: "ja", False: "nee", None: "neutraal"}
    rows = [
        {
            "indicator": e.key, "naam": e.label, "definitie": e.definition, "eenheid": e.unit,
            "hoger_is_beter": direction[e.higher_is_better], "bron": e.source,
            "niveaus": ", ".join(e.levels), "groep": e.group, "toelichting_jaar": e.year_note or "",
        }
        for e in (registry or REGISTRY).values()
    ]
    table = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(GROUPS)}
    table["_order"] = table["groep"].map(order).fillna(len(GROUPS))
    return (table.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True))


def _md_cell(text: str) -> str:
    """Text safe for one Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def markdown() -> str:
    """The registry as a Markdown document (``docs/indicatoren.md`` is this text, committed).

    Only the built-in entries are listed (not the keys a dataset defines itself), grouped
    as on the methodology page, with the component norms and targets first.

    Returns
    -------
    str
        Dutch Markdown, ending in a newline.
    """
    direction = {True: "hoger is beter", False: "lager is beter", None: "neutraal"}
    lines = [
        "# Indicatoren van Wijkweefsel",
        "",
        "Dit bestand is gegenereerd uit `analysis/registry.py` (`registry.markdown()`); pas het register aan, "
        "niet dit bestand. Elke indicator in de indicatorentabel en de exports staat hieronder.",
        "",
        "## Onderdelen en loopnormen",
        "",
        "| component | naam | gemeten uit | loopnorm | doel binnen norm | onderbouwing | bron loopnorm | bron doel |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in COMPONENTS:
        norm = f"{c.walk_norm_m:,.0f} m".replace(",", ".") if c.walk_norm_m else "-"
        target = f"{c.target_pct:.0f}%" if c.walk_norm_m else "-"
        lines.append(f"| `{c.key}` | {_md_cell(c.label)} | {c.measured_from} | {norm} | {target} | "
                     f"{_md_cell(c.norm_basis)} | {_md_cell(c.norm_source)} | {_md_cell(c.target_source)} |")
    builtin = list(BUILTIN.values())
    for group in GROUPS:
        entries = [e for e in builtin if e.group == group]
        if not entries:
            continue
        lines += ["", f"## {group}", "",
                  "| indicator | naam | eenheid | richting | bron | niveaus | definitie |",
                  "|---|---|---|---|---|---|---|"]
        for e in entries:
            definition = e.definition + (f" ({e.year_note})" if e.year_note else "")
            lines.append(f"| `{e.key}` | {_md_cell(e.label)} | {_md_cell(e.unit)} | {direction[e.higher_is_better]} | "
                         f"{_md_cell(e.source)} | {', '.join(e.levels)} | {_md_cell(definition)} |")
    return "\n".join(lines) + "\n"

