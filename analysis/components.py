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
    target_pct : float
        Share of residents (percent) that should live within the norm;
        below it the area has a coverage gap.
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
    target_pct: float = 80.0


COMPONENTS: tuple[Component, ...] = (
    Component(
        "ontmoeting", "Fysieke ontmoetingsplekken", "Ontmoeting",
        "buurthuis, wijkcentrum, gemeenschapshuis, bibliotheek, buurtkamer",
        "#CC6677", "circle", "voorzieningen", 500.0,
        "Een buurthuis of buurtkamer hoort op loopafstand te liggen: 500 m is ongeveer 6 minuten lopen.",
    ),
    Component(
        "verenigingen", "Sociale netwerken en verenigingen", "Verenigingen",
        "sportclub, hobbyvereniging, buurtcomité, vrijwilligersorganisatie, kerk of moskee, oudergroep",
        "#AA4499", "diamond", "verenigingen", 1000.0,
        "Een actieve vereniging binnen 1 km (ongeveer 12 minuten lopen of 4 minuten fietsen).",
    ),
    Component(
        "digitaal", "Digitale platforms", "Digitaal",
        "participatieplatform, buurt-app, WhatsApp-groep, online inspraak van de gemeente",
        "#88CCEE", "hexagon", "digitaal", None,
        "Digitale platforms hebben geen plek: gemeten als actieve gebruikers per 1.000 inwoners.",
    ),
    Component(
        "onderwijs", "Onderwijsinstellingen", "Onderwijs",
        "basisschool, voortgezet onderwijs, kindcentrum, mbo",
        "#332288", "square", "voorzieningen", 500.0,
        "Een basisschool op loopafstand voor jonge kinderen: 500 m.",
    ),
    Component(
        "zorg", "Zorgvoorzieningen", "Zorg",
        "huisarts, wijkteam of buurtteam, consultatiebureau, apotheek, welzijnsorganisatie",
        "#882255", "plus", "voorzieningen", 1000.0,
        "Een huisarts of wijkteam binnen 1 km, de gangbare norm voor eerstelijnszorg.",
    ),
    Component(
        "cultuur", "Culturele instellingen", "Cultuur",
        "theater, museum, muziekschool, cultuurhuis",
        "#DDCC77", "star", "voorzieningen", 1500.0,
        "Bibliotheek, cultuurhuis of podium binnen 1,5 km (ongeveer 6 minuten fietsen).",
    ),
    Component(
        "sport", "Sportfaciliteiten", "Sport",
        "sporthal, zwembad, sportveld, Cruyff Court, buitenfitness",
        "#44AA99", "triangle", "voorzieningen", 1500.0,
        "Een sporthal of sportpark binnen 1,5 km (ongeveer 6 minuten fietsen).",
    ),
    Component(
        "openbare_ruimte", "Openbare ruimte", "Openbare ruimte",
        "park, plein, speeltuin, wandelroute, moestuin",
        "#117733", "pentagon", "voorzieningen", 500.0,
        "Een park, plein of speeltuin binnen 500 m, zoals in de richtlijnen voor groen in de wijk.",
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
            "kleur": [c.colour for c in COMPONENTS],
        }
    )
