"""Fictional field notes per wijk of the demo: what residents and professionals said, dated and tied to a component.

Written to ``data/demo/notities.csv`` (source ``notities``). The notes tell the stories the generator
builds into the figures (the closed buurthuis, the canal with two bridges, the measure that did not
work), so a user can set figures and voices side by side. Quotes are invented and name no one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analysis.demo.files import csv_text
from analysis.demo.municipality import GEMEENTE_CODE

NOTE_COLUMNS: tuple[str, ...] = ("datum", "gebiedscode", "component", "soort_bron", "tekst", "citaat")
#: Where a note comes from.
NOTE_SOURCES: tuple[str, ...] = ("wijkgesprek", "interview", "enquête (open vraag)", "observatie")
#: The kind of source of ``notities.csv`` (:data:`analysis.load.informal.NOTE_SOURCES`) of each origin; a quote
#: is always a resident's (``bewoner``).
SOURCE_KIND: dict[str, str] = {"wijkgesprek": "bijeenkomst", "interview": "professional",
                               "enquête (open vraag)": "bewoner", "observatie": "observatie"}


@dataclass(frozen=True)
class Note:
    """One field note: when, about which wijk and component, from which kind of source, what, and a quote."""

    datum: dt.date
    wijk_number: int
    component: str
    soort_bron: str
    tekst: str
    citaat: str = ""

    @property
    def gebiedscode(self) -> str:
        return f"WK{GEMEENTE_CODE[2:]}{self.wijk_number:02d}"


NOTES: tuple[Note, ...] = (
    Note(dt.date(2023, 3, 14), 1, "ontmoeting", "wijkgesprek",
         "Veel nieuwe, jonge bewoners in de binnenstad; weinig binding met de buurt.",
         "Ik woon hier drie jaar en ken mijn bovenburen niet."),
    Note(dt.date(2025, 2, 6), 1, "cultuur", "observatie",
         "Het filmhuis en de bibliotheek trekken bezoekers uit de hele stad, minder uit de eigen buurt."),
    Note(dt.date(2023, 10, 2), 2, "openbare_ruimte", "interview",
         "De Vaart scheidt Remise van Emplacement; de Stationsbrug is de enige oversteek in de buurt.",
         "Hemelsbreed woon ik naast de sporthal, maar lopend is het een kwartier."),
    Note(dt.date(2024, 11, 19), 2, "ontmoeting", "wijkgesprek",
         "Ouderen uit Lindenhof missen een huiskamer dichtbij; de buurtkamer is vooral bekend bij vaste bezoekers."),
    Note(dt.date(2023, 6, 21), 3, "onderwijs", "wijkgesprek",
         "CBS De Bron gaat fuseren; ouders vrezen dat het schoolplein als ontmoetingsplek verdwijnt."),
    Note(dt.date(2025, 1, 28), 3, "sport", "observatie",
         "Het Cruyff Court in de Vogelbuurt is na schooltijd vol; ook meisjes spelen er."),
    Note(dt.date(2024, 2, 8), 4, "ontmoeting", "wijkgesprek",
         "Buurthuis De Klaproos sluit dit voorjaar; de koffieochtend en de soos zoeken een nieuwe plek.",
         "Waar moeten we straks heen? Het wijkcentrum in de Vogelbuurt ligt aan de overkant van De Vaart."),
    Note(dt.date(2025, 3, 12), 4, "ontmoeting", "enquête (open vraag)",
         "Bewoners noemen het gemis van het buurthuis het vaakst als reden dat ze buren minder zien.",
         "Sinds het buurthuis dicht is, zie ik mijn buren alleen nog bij de bushalte."),
    Note(dt.date(2023, 9, 5), 5, "verenigingen", "interview",
         "Het clubhuis van VV Het Veld is ook voor niet-leden een ontmoetingsplek: bingo, kaarten, verjaardagen."),
    Note(dt.date(2024, 10, 10), 5, "openbare_ruimte", "observatie",
         "Park De Wetering wordt druk gebruikt door hondenbezitters en ouders met jonge kinderen."),
    Note(dt.date(2023, 4, 18), 6, "ontmoeting", "wijkgesprek",
         "Jonge gezinnen in Waterrijk missen een plek om elkaar te ontmoeten; er is geen wijkcentrum.",
         "Je ziet elkaar bij school en dan gaat iedereen weer naar binnen."),
    Note(dt.date(2025, 2, 20), 6, "ontmoeting", "interview",
         "Wijkcentrum De Kreek draait goed; bewoners organiseren zelf activiteiten met hulp van de opbouwwerker.",
         "Sinds De Kreek er is, ken ik de ouders van het schoolplein."),
    Note(dt.date(2024, 5, 30), 7, "ontmoeting", "observatie",
         "Ontmoetingscentrum De Pastorie is overdag vooral een plek voor ouderen; jongeren komen er niet."),
    Note(dt.date(2025, 3, 3), 7, "digitaal", "enquête (open vraag)",
         "De buurtapp helpt bij burenhulp, maar ouderen zonder smartphone vallen erbuiten."),
    Note(dt.date(2024, 6, 12), 9, "zorg", "wijkgesprek",
         "De huisarts in Oosterdorp is vertrokken; ouderen zonder auto gaan met de buurtbus naar de stad.",
         "Voor een bloeddrukmeting ben ik nu een ochtend kwijt."),
    Note(dt.date(2025, 1, 15), 9, "verenigingen", "interview",
         "Het dorpshuis en de verenigingen dragen het dorp; veel inwoners zijn vrijwilliger."),
    Note(dt.date(2024, 9, 24), 10, "sport", "observatie",
         "Het nieuwe Cruyff Court wordt vooral gebruikt door jongeren van buiten de wijk.",
         "Mooi veld, maar ik kom er niet; er is geen bankje en niemand die ik ken."),
    Note(dt.date(2025, 3, 18), 10, "cultuur", "wijkgesprek",
         "Het cultuurhuis trekt publiek uit de hele stad; bewoners van Zuiderhage zelf voelen zich er weinig welkom.",
         "Het is voor de mensen uit het centrum, niet voor ons."),
)


def notes_csv(notes: tuple[Note, ...] = NOTES) -> str:
    """``notities.csv``, oldest first: a row per note (``citaat`` = ``nee``), and its quote as a row of its own
    (the resident's words, ``soort_bron`` = ``bewoner``, ``citaat`` = ``ja``)."""
    ordered = sorted(notes, key=lambda n: (n.datum, n.gebiedscode))
    rows = []
    for n in ordered:
        rows.append([n.datum.isoformat(), n.gebiedscode, n.component, SOURCE_KIND[n.soort_bron], n.tekst, "nee"])
        if n.citaat:
            rows.append([n.datum.isoformat(), n.gebiedscode, n.component, "bewoner", n.citaat, "ja"])
    return csv_text(NOTE_COLUMNS, rows)
