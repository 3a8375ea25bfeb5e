"""The eight components of social infrastructure: the one table every layer, indicator and export reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

MeasuredFrom = Literal["voorzieningen", "verenigingen", "digitaal"]


@dataclass(frozen=True)
class Component:
    """One component of social infrastructure.

    Attributes
    ----------
    key : str
        Stable key used in data files, indicator keys and exports.
    label : str
        Dutch label shown to users.
    short_label : str
        Short Dutch label for legends and narrow tables.
    examples : str
        Dutch examples of what belongs to the component.
    colour : str
        Hex colour (Paul Tol's colour-blind-safe "muted" palette).
    marker : str
        Marker shape, shared by the web map (SVG) and matplotlib.
    measured_from : {"voorzieningen", "verenigingen", "digitaal"}
        Which source measures the component, so no key means two things.
    walk_norm_m : float or None
        Default walking norm in metres for proximity and coverage
        (``None`` for components that are not places, such as digital platforms).
    norm_basis : str
        Why this norm, in Dutch, for the methodology page.
    norm_source : str
        Where the norm comes from, in Dutch: a guideline, a CBS practice or the gemeente's own choice.
    target_pct : float
        Share of residents (percent) that should live within the norm;
        below it the area has a coverage gap.
    target_source : str
        Where the target share comes from, in Dutch.
    """

    key: str
    label: str
    short_label: str
    examples: str
    colour: str
    marker: str
    measured_from: MeasuredFrom
    walk_norm_m: float | None
    norm_basis: str
    norm_source: str
    target_pct: float = 80.0
    target_source: str = (
        "Eigen keuze van de gemeente: vier op de vijf inwoners binnen de norm. Er is geen landelijke norm "
        "voor dit aandeel; pas het aan als de gemeente een eigen doel heeft."
    )


#: The CBS practice several norms follow (the Nabijheidsstatistiek measures over the road from the home address).
_CBS_NEARBY = "CBS Nabijheidsstatistiek (Nabijheid voorzieningen; wijk- en buurtcijfers)"


COMPONENTS: tuple[Component, ...] = (
    Component(
        "ontmoeting", "Fysieke ontmoetingsplekken", "Ontmoeting",
        "buurthuis, wijkcentrum, gemeenschapshuis, bibliotheek, buurtkamer",
        "#CC6677", "circle", "voorzieningen", 1000.0,
        "Een buurthuis, wijkcentrum of bibliotheek binnen 1 km: ongeveer 12 minuten lopen.",
        "Eigen keuze: voor ontmoetingsplekken bestaat geen landelijke norm. 1 km is de kleinste afstandsklasse "
        f"die het CBS voor dagelijkse voorzieningen gebruikt ({_CBS_NEARBY}: 'binnen 1 km').",
    ),
    Component(
        "verenigingen", "Sociale netwerken en verenigingen", "Verenigingen",
        "sportclub, hobbyvereniging, buurtcomité, vrijwilligersorganisatie, kerk of moskee, oudergroep",
        "#AA4499", "diamond", "verenigingen", 1000.0,
        "Een actieve vereniging binnen 1 km (ongeveer 12 minuten lopen of 4 minuten fietsen).",
        "Eigen keuze: voor verenigingen bestaat geen landelijke norm; dezelfde 1 km als de kleinste "
        f"afstandsklasse van het CBS voor dagelijkse voorzieningen ({_CBS_NEARBY}).",
    ),
    Component(
        "digitaal", "Digitale platforms", "Digitaal",
        "participatieplatform, buurt-app, WhatsApp-groep, online inspraak van de gemeente",
        "#88CCEE", "hexagon", "digitaal", None,
        "Digitale platforms hebben geen plek: gemeten als actieve gebruikers per 1.000 inwoners.",
        "Geen afstandsnorm (een platform heeft geen plek). Een tekort is minder dan de helft van de actieve "
        "gebruikers per 1.000 inwoners van de hele gemeente: eigen keuze.",
        target_source="Niet van toepassing: een digitaal platform heeft geen plek.",
    ),
    Component(
        "onderwijs", "Onderwijsinstellingen", "Onderwijs",
        "basisschool, voortgezet onderwijs, kindcentrum, mbo",
        "#332288", "square", "voorzieningen", 1000.0,
        "Een basisschool binnen 1 km: ongeveer 12 minuten lopen met een jong kind.",
        f"{_CBS_NEARBY}: het aantal basisscholen binnen 1 km van het woonadres, over de weg (de kleinste "
        "afstandsklasse die het CBS publiceert).",
    ),
    Component(
        "zorg", "Zorgvoorzieningen", "Zorg",
        "huisarts, wijkteam of buurtteam, consultatiebureau, apotheek, welzijnsorganisatie",
        "#882255", "plus", "voorzieningen", 1000.0,
        "Een huisarts of wijkteam binnen 1 km, de gangbare afstand voor eerstelijnszorg.",
        f"{_CBS_NEARBY}: het aantal huisartsenpraktijken binnen 1 km, over de weg; in 2023 woonde een inwoner "
        "van Nederland gemiddeld 1,1 km van een huisartsenpraktijk.",
    ),
    Component(
        "cultuur", "Culturele instellingen", "Cultuur",
        "theater, museum, muziekschool, cultuurhuis",
        "#DDCC77", "star", "voorzieningen", 5000.0,
        "Een theater, museum, bioscoop of cultuurhuis binnen 5 km (ongeveer 20 minuten fietsen): cultuur "
        "bedient de hele gemeente, niet elke buurt.",
        f"{_CBS_NEARBY}: podia, musea en bioscopen binnen 5 km, over de weg (de kleinste afstandsklasse die het "
        "CBS voor cultuur publiceert).",
    ),
    Component(
        "sport", "Sportfaciliteiten", "Sport",
        "sporthal, zwembad, sportveld, Cruyff Court, buitenfitness",
        "#44AA99", "triangle", "voorzieningen", 1500.0,
        "Een sporthal, sportpark of zwembad binnen 1,5 km (ongeveer 6 minuten fietsen).",
        "Eigen keuze: voor sportvoorzieningen bestaat geen landelijke afstandsnorm.",
    ),
    Component(
        "openbare_ruimte", "Openbare ruimte", "Openbare ruimte",
        "park, plein, speeltuin, wandelroute, moestuin",
        "#117733", "pentagon", "voorzieningen", 300.0,
        "Een park, plein of speeltuin binnen 300 m: ongeveer 4 minuten lopen.",
        "WHO Europa, Urban green spaces and health (2016): iedereen hoort binnen 300 m van openbaar groen "
        "van minstens een halve hectare te wonen (ook de 3-30-300-vuistregel). De WHO meet in rechte lijn; "
        "over het stratennet is dezelfde 300 m strenger.",
    ),
)

COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)
COMPONENTS_BY_KEY: dict[str, Component] = {c.key: c for c in COMPONENTS}

#: Components whose proximity is measured to places (facilities or associations).
PLACE_COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS if c.walk_norm_m is not None)

#: Components measured from facility files (all but associations and digital platforms).
FACILITY_COMPONENT_KEYS: tuple[str, ...] = tuple(
    c.key for c in COMPONENTS if c.measured_from == "voorzieningen"
)

#: Words (Dutch, lower case) and OpenStreetMap tags that name a facility of a component, for proposing the
#: component of a facility from its kind or name (the import assistant). A text is matched by its longest
#: keyword, so "sportschool" is sport and "muziekschool" cultuur, not onderwijs. The OSM tags follow the
#: OpenStreetMap wiki (Map features) as listed in the domain primer; ``amenity=place_of_worship`` is left out on
#: purpose: a church or mosque is a community place for some and not for others, so the user decides.
COMPONENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ontmoeting": (
        "buurthuis", "wijkcentrum", "buurtcentrum", "gemeenschapshuis", "dorpshuis", "buurtkamer", "wijkgebouw",
        "ontmoetingsplek", "ontmoetingsruimte", "ontmoetingscentrum", "huiskamer van de wijk", "bibliotheek",
        "wijkpunt", "buurtpunt", "amenity=community_centre", "amenity=library", "amenity=social_centre",
    ),
    "onderwijs": (
        "basisschool", "basisonderwijs", "school", "onderwijs", "kindcentrum", "ikc", "voortgezet", "vmbo", "havo",
        "vwo", "mbo", "roc", "lyceum", "gymnasium", "peuterspeelzaal", "kinderopvang", "kinderdagverblijf",
        "amenity=school", "amenity=kindergarten", "amenity=college",
    ),
    "zorg": (
        "huisarts", "gezondheidscentrum", "wijkteam", "buurtteam", "sociaal team", "consultatiebureau", "apotheek",
        "welzijn", "ggz", "ghz", "vvt", "verpleeghuis", "verzorgingshuis", "thuiszorg", "ziekenhuis",
        "fysiotherap", "tandarts", "jeugdzorg", "zorg", "gehandicaptenzorg", "geestelijke gezondheid",
        "amenity=doctors", "amenity=clinic", "amenity=pharmacy", "amenity=social_facility", "amenity=hospital",
        "amenity=dentist", "healthcare=",
    ),
    "cultuur": (
        "theater", "schouwburg", "museum", "muziekschool", "cultuurhuis", "cultuurcentrum", "poppodium", "podium",
        "bioscoop", "filmhuis", "kunstcentrum", "centrum voor de kunsten", "galerie", "concertzaal", "atelier",
        "amenity=theatre", "amenity=arts_centre", "amenity=museum", "tourism=museum", "amenity=cinema",
    ),
    "sport": (
        "sporthal", "sportpark", "sportveld", "sportcomplex", "sportschool", "sportcentrum", "zwembad", "gymzaal",
        "cruyff court", "fitness", "tennisbaan", "voetbalveld", "ijsbaan", "atletiekbaan", "sport",
        "leisure=sports_centre", "leisure=pitch", "leisure=swimming_pool", "leisure=stadium",
        "leisure=fitness_centre", "leisure=fitness_station", "leisure=sports_hall",
    ),
    "openbare_ruimte": (
        "park", "plein", "speeltuin", "speelplaats", "speelplek", "wandelroute", "moestuin", "volkstuin",
        "buurttuin", "groen", "leisure=park", "leisure=playground", "leisure=garden", "place=square",
    ),
}


def component_for_text(text: object) -> str | None:
    """The component a kind or name of a facility points to, by its longest keyword (None when none fits).

    Parameters
    ----------
    text : object
        A value such as ``"Basisschool De Regenboog"``, ``"GGZ"`` or ``"amenity=library"``.

    Returns
    -------
    str or None
        A key of :data:`COMPONENT_KEYWORDS`.
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    value = " ".join(str(text).lower().replace("_", " ").split())
    if not value:
        return None
    best: tuple[int, str] | None = None
    for key, words in COMPONENT_KEYWORDS.items():
        for word in words:
            tag = "=" in word
            hit = value.startswith(word.replace("_", " ")) if tag else _has_word(value, word)
            if hit and (best is None or len(word) > best[0]):
                best = (len(word), key)
    return best[1] if best else None


def _has_word(value: str, word: str) -> bool:
    """Whether ``word`` occurs in ``value``; short words (up to 4 letters, such as ggz or roc) only as a whole word."""
    if len(word) > 4:
        return word in value
    return f" {word} " in f" {value.replace('-', ' ').replace('/', ' ').replace(',', ' ')} "


#: Matplotlib marker codes for the shared marker names.
MPL_MARKERS: dict[str, str] = {
    "circle": "o", "diamond": "D", "hexagon": "h", "square": "s",
    "plus": "P", "star": "*", "triangle": "^", "pentagon": "p",
}


def component(key: str) -> Component:
    """Return the component for ``key``.

    Raises
    ------
    KeyError
        With a Dutch message listing the valid keys.
    """
    try:
        return COMPONENTS_BY_KEY[key]
    except KeyError:
        valid = ", ".join(COMPONENT_KEYS)
        raise KeyError(f"Onbekende component '{key}'. Kies een van: {valid}.") from None


def walk_norms_m(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Walking norms in metres per place component, with optional overrides.

    Parameters
    ----------
    overrides : dict, optional
        Component key to norm in metres; unknown keys raise ``KeyError``.

    Returns
    -------
    dict
        Component key to walking norm in metres.
    """
    norms = {c.key: float(c.walk_norm_m) for c in COMPONENTS if c.walk_norm_m is not None}
    for key, value in (overrides or {}).items():
        component(key)
        if key not in norms:
            raise KeyError(f"Component '{key}' heeft geen loopnorm (het is geen plek).")
        if not value > 0:
            raise ValueError(f"Loopnorm voor '{key}' moet groter dan 0 m zijn, niet {value}.")
        norms[key] = float(value)
    return norms


def components_table() -> pd.DataFrame:
    """The component table as a DataFrame, for the methodology page and exports."""
    return pd.DataFrame(
        {
            "component": [c.key for c in COMPONENTS],
            "naam": [c.label for c in COMPONENTS],
            "voorbeelden": [c.examples for c in COMPONENTS],
            "gemeten_uit": [c.measured_from for c in COMPONENTS],
            "loopnorm_m": [c.walk_norm_m for c in COMPONENTS],
            "doel_binnen_norm_pct": [c.target_pct if c.walk_norm_m else None for c in COMPONENTS],
            "onderbouwing_norm": [c.norm_basis for c in COMPONENTS],
            "bron_norm": [c.norm_source for c in COMPONENTS],
            "bron_doel": [c.target_source for c in COMPONENTS],
            "kleur": [c.colour for c in COMPONENTS],
        }
    )
