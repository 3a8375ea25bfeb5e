"""The one indicator registry: key, Dutch label, plain definition, unit, direction, source and levels."""

from __future__ import annotations

from dataclasses import dataclass

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

#: Group names (Dutch) in the order the methodology page lists them.
GROUPS: tuple[str, ...] = (
    "Aanbod", "Nabijheid", "Verenigingen en netwerk", "Bewonersenquête", "Digitaal",
    "Cohesie-index", "Gaten", "Behoefte en prioriteit", "Kerncijfers",
)


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
    group : str
        Group for the methodology page (one of :data:`GROUPS`).
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
    group: str
    year_note: str | None = None


def _supply_entries(c: Component) -> list[Indicator]:
    """Count, rate and capacity for a component measured from facility files."""
    name = c.label.lower()
    return [
        Indicator(f"{c.key}_aantal", f"{c.short_label}: aantal",
                  f"Het aantal voorzieningen van het soort '{name}' ({c.examples}) dat in het gebied ligt.",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, "Aanbod"),
        Indicator(f"{c.key}_per_1000_inw", f"{c.short_label}: per 1.000 inwoners",
                  f"Het aantal voorzieningen van het soort '{name}' in het gebied per 1.000 inwoners "
                  "van het gebied. Zo zijn grote en kleine gebieden te vergelijken.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, "Aanbod"),
        Indicator(f"{c.key}_capaciteit_per_1000_inw", f"{c.short_label}: capaciteit per 1.000 inwoners",
                  f"De opgetelde capaciteit (plaatsen, leerlingen, bezoekers: wat het bestand opgeeft) van "
                  f"de voorzieningen van het soort '{name}' in het gebied, per 1.000 inwoners. Alleen "
                  "voorzieningen waarvan de capaciteit bekend is tellen mee.",
                  UNIT_CAPACITY_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, "Aanbod"),
    ]


def _proximity_entries(c: Component) -> list[Indicator]:
    """Distance and coverage for a component that is a place."""
    name = c.label.lower()
    norm = f"{c.walk_norm_m:,.0f}".replace(",", ".")
    what = "een actieve vereniging" if c.key == "verenigingen" else f"een voorziening van het soort '{name}'"
    return [
        Indicator(f"{c.key}_afstand_m", f"{c.short_label}: gemiddelde afstand",
                  f"Hoe ver de inwoners gemiddeld in rechte lijn van {what} wonen, ook als die buiten het "
                  "gebied of de gemeente ligt. Inwoners zijn verdeeld over hokken van 100 bij 100 meter.",
                  UNIT_METRE, False, SOURCE_REGISTRATION, ALL_LEVELS, "Nabijheid"),
        Indicator(f"{c.key}_dekking_pct", f"{c.short_label}: inwoners binnen {norm} m",
                  f"Het deel van de inwoners dat binnen {norm} meter (in rechte lijn) van {what} woont. "
                  f"{c.norm_basis}",
                  UNIT_PCT, True, SOURCE_REGISTRATION, ALL_LEVELS, "Nabijheid"),
    ]


def _gap_entry(c: Component) -> Indicator:
    if c.walk_norm_m is None:
        rule = ("het aantal actieve gebruikers per 1.000 inwoners lager is dan de helft van dat van de "
                "hele gemeente")
    else:
        rule = (f"minder dan {c.target_pct:.0f}% van de inwoners binnen de loopnorm woont, of het aanbod per "
                "1.000 inwoners lager is dan de helft van dat van de hele gemeente")
    return Indicator(f"{c.key}_gat", f"{c.short_label}: tekort",
                     f"1 als het gebied een tekort heeft aan '{c.label.lower()}': {rule}. Anders 0.",
                     UNIT_FLAG, False, SOURCE_COMPUTED, ALL_LEVELS, "Gaten")


def _network_entries() -> list[Indicator]:
    return [
        Indicator("verenigingen_aantal", "Verenigingen: aantal",
                  "Het aantal actieve verenigingen en bewonersgroepen dat in het gebied gevestigd is "
                  "(uit de verenigingenlijst, plus voorzieningen die als vereniging zijn opgegeven).",
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, "Verenigingen en netwerk"),
        Indicator("verenigingen_per_1000_inw", "Verenigingen: per 1.000 inwoners",
                  "Het aantal actieve verenigingen in het gebied per 1.000 inwoners.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, "Verenigingen en netwerk"),
        Indicator("leden_per_1000_inw", "Leden van verenigingen per 1.000 inwoners",
                  "Het opgetelde ledental van de actieve verenigingen in het gebied per 1.000 inwoners. "
                  "Iemand die lid is van twee verenigingen telt twee keer; leden kunnen ook buiten het "
                  "gebied wonen.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, "Verenigingen en netwerk"),
        Indicator("netwerk_dichtheid", "Netwerkdichtheid",
                  "Hoeveel van de verenigingen in het gebied met elkaar verbonden zijn (gedeelde leden, "
                  "bestuurders, samenwerking of locatie), als deel van alle mogelijke paren: 0 = geen "
                  "enkele band, 1 = iedereen werkt met iedereen samen.",
                  UNIT_RATIO, True, SOURCE_REGISTRATION, ALL_LEVELS, "Verenigingen en netwerk"),
        Indicator("overbruggende_banden_pct", "Overbruggende banden",
                  "Van alle banden van verenigingen in het gebied: het deel dat naar een vereniging "
                  "buiten het gebied loopt. Zulke banden verbinden buurten met elkaar. Voor de hele gemeente "
                  "bestaat dit cijfer niet: alle banden in de gegevens liggen binnen de gemeente.",
                  UNIT_PCT, True, SOURCE_REGISTRATION, AREA_LEVELS, "Verenigingen en netwerk"),
        Indicator("geisoleerde_verenigingen", "Verenigingen zonder banden",
                  "Het aantal actieve verenigingen in het gebied dat met geen enkele andere vereniging "
                  "verbonden is.",
                  UNIT_COUNT, False, SOURCE_REGISTRATION, ALL_LEVELS, "Verenigingen en netwerk"),
    ]


def _survey_entries() -> list[Indicator]:
    survey = "Uit de bewonersenquête (of de gebiedsmonitor van de gemeente)"
    g = "Bewonersenquête"
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
                  UNIT_COUNT, True, SOURCE_REGISTRATION, ALL_LEVELS, "Digitaal"),
        Indicator("digitaal_actief_per_1000_inw", "Digitaal: actieve gebruikers per 1.000 inwoners",
                  "Het aantal actieve gebruikers van digitale buurt- en participatieplatforms in het "
                  "gebied per 1.000 inwoners. Wie twee platforms gebruikt, telt twee keer.",
                  UNIT_PER_1000, True, SOURCE_REGISTRATION, ALL_LEVELS, "Digitaal"),
    ]


def _cohesion_entries() -> list[Indicator]:
    g = "Cohesie-index"
    scale = ("100 is het gemiddelde van de gemeente (gewogen naar inwoners), 10 punten is één "
             "standaardafwijking: 110 is dus duidelijk boven, 90 duidelijk onder het gemiddelde. Uitschieters "
             "tellen voor hoogstens 3 standaardafwijkingen mee (de index blijft tussen 70 en 130).")
    return [
        Indicator("cohesie_index", "Cohesie-index",
                  "Eén getal voor de sociale infrastructuur van het gebied, opgebouwd uit vier delen: "
                  "ervaren samenhang (enquête; standaard weegt dit deel 40%), meedoen (vrijwilligerswerk en "
                  "burenhulp, 20%), verenigingsleven (verenigingen per 1.000 inwoners en overbruggende "
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
                  f"andere gebieden. {scale}",
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
    g = "Behoefte en prioriteit"
    return [
        Indicator("gaten_aantal", "Aantal tekorten",
                  "Bij hoeveel van de onderdelen van de sociale infrastructuur het gebied een tekort heeft.",
                  UNIT_COUNT, False, SOURCE_COMPUTED, ALL_LEVELS, "Gaten"),
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
                  "Gewogen optelling van behoefte, aantal tekorten en cohesietekort, elk eerst omgezet naar "
                  "0 (beste gebied) tot 1 (slechtste gebied). 100 = het slechtst denkbare op alle drie. "
                  "De gewichten zijn instelbaar; de bijdrage van elk criterium wordt getoond.",
                  UNIT_SCORE_100, None, SOURCE_COMPUTED, AREA_LEVELS, g),
        Indicator("prioriteit_rang", "Prioriteit (rang)",
                  "De plaats van het gebied in de prioriteitenlijst: 1 = hoogste prioriteit.",
                  UNIT_RANK, None, SOURCE_COMPUTED, AREA_LEVELS, g),
    ]


def _kerncijfer_entries() -> list[Indicator]:
    g = "Kerncijfers"
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


#: Every indicator the engine can produce, by key.
REGISTRY: dict[str, Indicator] = _build()

#: Keys of the survey figures (respondent-based or from a monitor); custom keys are added by
#: :func:`ensure_registered`.
SURVEY_KEYS: tuple[str, ...] = tuple(k for k, v in REGISTRY.items() if v.group == "Bewonersenquête")

#: Component keys that can have a gap (``<c>_gat``): every component.
GAP_COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)


def indicator(key: str) -> Indicator:
    """The registry entry of ``key``.

    Raises
    ------
    KeyError
        With a Dutch message when the key is unknown.
    """
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"Onbekende indicator '{key}': die staat niet in het indicatorenregister.") from None


def unit(key: str) -> str:
    """Dutch unit of ``key``."""
    return indicator(key).unit


def label(key: str) -> str:
    """Dutch label of ``key``."""
    return indicator(key).label


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


def ensure_registered(key: str, label: str | None = None, unit: str | None = None) -> Indicator:
    """Return the entry of ``key``, adding a generic survey entry when it is unknown.

    Codebooks and monitors may define their own indicator keys (for example
    ``voldoende_groen_pct``). They are registered as survey figures with the given label,
    a unit guessed from the key's ending (``_pct`` -> %, ``_score`` -> score 0-10) and no
    direction.

    Parameters
    ----------
    key : str
        Indicator key.
    label : str, optional
        Dutch label (for example the codebook scale's ``label``); default the key.
    unit : str, optional
        Unit; default guessed from the key.

    Returns
    -------
    Indicator
        The existing or the new entry.
    """
    key = str(key)
    if key in REGISTRY:
        return REGISTRY[key]
    text = label or key
    entry = Indicator(
        key, text,
        f"Uitkomst van de bewonersenquête of de gebiedsmonitor: {text}. Deze indicator is door de "
        "dataset zelf gedefinieerd (codeboek of monitor); zie daar de precieze vraag.",
        unit or _guess_unit(key), None, SOURCE_SURVEY, ALL_LEVELS, "Bewonersenquête",
    )
    REGISTRY[key] = entry
    return entry


def registry_table() -> pd.DataFrame:
    """The registry as a DataFrame (Dutch column names) for the methodology page and docs.

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
        for e in REGISTRY.values()
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

    Only the built-in entries are listed (not keys a dataset registers at run time), grouped
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
        "| component | naam | gemeten uit | loopnorm | doel binnen norm | onderbouwing |",
        "|---|---|---|---|---|---|",
    ]
    for c in COMPONENTS:
        norm = f"{c.walk_norm_m:,.0f} m".replace(",", ".") if c.walk_norm_m else "-"
        target = f"{c.target_pct:.0f}%" if c.walk_norm_m else "-"
        lines.append(f"| `{c.key}` | {_md_cell(c.label)} | {c.measured_from} | {norm} | {target} | "
                     f"{_md_cell(c.norm_basis)} |")
    builtin = [e for e in _BUILTIN.values()]
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


#: The built-in entries (before any dataset-specific key was added by :func:`ensure_registered`).
_BUILTIN: dict[str, Indicator] = dict(REGISTRY)
