"""The input templates in data/templates: a tiny complete dataset with every column the loaders read, and a Dutch README."""

from __future__ import annotations

from pathlib import Path

import shapely

from analysis.demo.areas import CBS_SECRET
from analysis.demo.files import SOURCES_TOML, csv_text, fmt_number, geojson_text, write_files
from analysis.demo.geometry import rd_to_wgs84, snap
from analysis.demo.municipality import GEMEENTE_CODE
from analysis.demo.survey import COHESION_ITEMS, LONELINESS_ITEMS, SATISFACTION_ITEMS, YES_NO_ITEMS, codebook_toml

#: Two example buurten (1 km squares) of the templates, in RD New metres.
TEMPLATE_BUURTEN: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("BU99990101", "Binnenstad", (187_000.0, 522_000.0, 188_000.0, 523_000.0)),
    ("BU99990102", "Marktkwartier", (188_000.0, 522_000.0, 189_000.0, 523_000.0)),
)


def _lat_lon(x: float, y: float) -> tuple[str, str]:
    lon, lat = rd_to_wgs84(x, y)
    return fmt_number(float(lat), 6), fmt_number(float(lon), 6)


def _template_areas() -> dict[str, str]:
    """The two example buurten (1 km squares, the second with a secret CBS value) and their wijk."""
    squares = [(code, name, shapely.box(*bounds)) for code, name, bounds in TEMPLATE_BUURTEN]
    buurten = geojson_text(
        (({"BU_CODE": code, "BU_NAAM": name, "WK_CODE": "WK999901", "GM_CODE": GEMEENTE_CODE,
           "GM_NAAM": "Voorbeeldgemeente", "AANT_INW": inhabitants, "AANT_MAN": inhabitants // 2 - 5,
           "AANT_VROUW": inhabitants // 2 + 5, "P_00_14_JR": a[0], "P_15_24_JR": a[1], "P_25_44_JR": a[2],
           "P_45_64_JR": a[3], "P_65_EO_JR": a[4], "AANTAL_HH": hh, "P_EENP_HH": single, "P_LAAGINKP": low,
           "OPP_LAND": 100}, polygon)
         for (code, name, polygon), inhabitants, a, hh, single, low in zip(
             squares, (1250, 840), ((9, 17, 39, 21, 14), (12, 10, 25, 27, 26)), (760, 420), (61, 44),
             (14, CBS_SECRET))), "buurten")
    wijken = geojson_text([({"WK_CODE": "WK999901", "WK_NAAM": "Centrum", "GM_CODE": GEMEENTE_CODE,
                             "GM_NAAM": "Voorbeeldgemeente", "AANT_INW": 2090, "AANTAL_HH": 1180},
                            shapely.box(187_000.0, 522_000.0, 189_000.0, 523_000.0))], "wijken")
    return {"buurten.geojson": buurten, "wijken.geojson": wijken}


def _template_places() -> dict[str, str]:
    """Facilities (WGS84 points), a park polygon, associations and their ties."""
    points = {"a": (187_420.0, 522_610.0), "b": (188_530.0, 522_270.0), "c": (188_150.0, 522_880.0)}
    ll = {k: _lat_lon(*xy) for k, xy in points.items()}
    voorzieningen = csv_text(
        ["id", "naam", "component", "soort", "capaciteit", "bezetting_pct", "jaar", "lat", "lon", "laatst_gecontroleerd"],
        [["ONT-001", "Buurthuis De Schakel", "ontmoeting", "buurthuis", "120", "65", "2025", *ll["a"], "2025-02-10"],
         ["ZRG-001", "Huisartsenpraktijk De Markt", "zorg", "huisarts", "4500", "", "2025", *ll["b"], "2023-06-01"],
         ["SPO-001", "Sporthal De Kolk", "sport", "sporthal", "", "", "2023", *ll["c"], ""]])
    park = snap(shapely.Point(187_600.0, 522_300.0).buffer(120, quad_segs=4))
    parken = geojson_text([({"id": "OR-001", "naam": "Stadspark", "soort": "park", "jaar": 2025}, park)], "parken")
    verenigingen = csv_text(
        ["id", "naam", "soort", "leden", "actief", "jaar", "buurtcode", "lat", "lon", "laatst_gecontroleerd"],
        [["V001", "Voetbalvereniging Voorwaarts", "sport", "420", "ja", "2025", "BU99990101", *ll["a"], "2025-01-15"],
         ["V002", "Buurtvereniging De Markt", "buurt en bewoners", "85", "ja", "2025", "BU99990102", *ll["b"], ""],
         ["V003", "Repair Café Centrum", "vrijwilligerswerk", "18", "nee", "2025", "BU99990102", *ll["c"], "12-3-2024"]])
    banden = csv_text(["van", "naar", "soort", "gewicht", "jaar"],
                      [["V001", "V002", "gedeelde_leden", "3", "2025"],
                       ["V002", "V003", "samenwerking", "1", "2025"],
                       ["V001", "V003", "gedeelde_locatie", "2", "2025"]])
    return {"voorzieningen.csv": voorzieningen, "parken.geojson": parken, "verenigingen.csv": verenigingen,
            "banden.csv": banden}


def _template_survey() -> dict[str, str]:
    """Three respondents (ages as years and as classes, a 'weet niet' and empty answers), platforms, a monitor."""
    items = [*COHESION_ITEMS, *LONELINESS_ITEMS, *YES_NO_ITEMS, *SATISFACTION_ITEMS]
    enquete = csv_text(
        ["respondent", "jaar", "buurtcode", "leeftijd", "geslacht", *items],
        [["R25-00001", "2025", "BU99990101", "47", "vrouw", "2", "4", "4", "5", "3", "3", "1", "1", "3", "1", "3",
          "1", "1", "2", "1", "4", "4", "9", "5"],
         ["R25-00002", "2025", "BU99990102", "65+", "man", "4", "3", "2", "3", "2", "2", "3", "2", "1", "3", "1",
          "2", "2", "1", "1", "3", "3", "4", "3"],
         ["R25-00003", "2025", "BU99990101", "25-44", "x", "9", "4", "3", "4", "", "3", "1", "1", "3", "1", "3",
          "2", "1", "2", "2", "4", "", "4", "4"]])
    digitaal = csv_text(["gebiedscode", "platform", "actieve_gebruikers", "jaar"],
                        [["BU99990101", "BuurtApp", "85", "2025"], ["BU99990102", "BuurtApp", "40", "2025"],
                         ["WK999901", "Participatieplatform", "120", "2025"]])
    monitor = csv_text(["BU_CODE", "jaar", "b_veilig", "n_resp"],
                       [["BU99990101", "2025", "71,5", "64"], ["BU99990102", "2025", "78,0", "41"]], sep=";")
    return {"enquete.csv": enquete, "digitaal.csv": digitaal, "monitor.csv": monitor}


def _template_placement() -> dict[str, str]:
    """Three address points (a house, a block of flats, a shop) and a street cross noded at its junctions."""
    adressen = csv_text(["id", "x", "y", "aantal_woningen", "functie"],
                        [["9999010000000001", "187420.0", "522610.0", "1", "wonen"],
                         ["9999010000000002", "188530.0", "522270.0", "24", "wonen"],
                         ["9999010000000003", "188150.0", "522880.0", "0", "winkel"]])
    main_street = shapely.LineString([(187_000.0, 522_500.0), (188_000.0, 522_500.0)])
    east_street = shapely.LineString([(188_000.0, 522_500.0), (189_000.0, 522_500.0)])
    cross_south = shapely.LineString([(188_000.0, 522_000.0), (188_000.0, 522_500.0)])
    cross_north = shapely.LineString([(188_000.0, 522_500.0), (188_000.0, 523_000.0)])
    wegen = geojson_text([({"id": "1", "naam": "Marktstraat", "soort": "straat"}, main_street),
                          ({"id": "2", "naam": "Oosterweg", "soort": "straat"}, east_street),
                          ({"id": "3", "naam": "Kerkpad", "soort": "pad"}, cross_south),
                          ({"id": "4", "naam": "Kerkpad", "soort": "pad"}, cross_north)], "wegen")
    return {"adressen.csv": adressen, "wegen.geojson": wegen}


def _template_plan_and_informal() -> dict[str, str]:
    """The wijkplan (targets and measures), resident initiatives and notes: two or three example rows each."""
    plan = csv_text(["gebiedscode", "indicator", "basisjaar", "streefwaarde", "streefjaar", "reden"],
                    [["WK999901", "cohesie_score", "2023", "6.5", "2027", "Bewoners kennen elkaar weinig."],
                     ["BU99990102", "eenzaam_pct", "2023", "40", "2027", "Veel ouderen wonen alleen."]])
    maatregelen = csv_text(
        ["id", "naam", "component", "gebiedscode", "x", "y", "startdatum", "einddatum", "budget", "omschrijving"],
        [["M01", "Buurtkamer in de Marktstraat", "ontmoeting", "BU99990102", "188530", "522270", "2024-03-01", "",
          "45000", "Een buurtkamer met een opbouwwerker op dinsdag en donderdag."],
         ["M02", "Vergroening schoolplein", "openbare_ruimte", "WK999901", "", "", "1-9-2024", "31-12-2025", "80000",
          "Het schoolplein wordt na schooltijd een groene speelplek."]])
    initiatieven = csv_text(
        ["id", "naam", "soort", "buurtcode", "x", "y", "startjaar", "eindjaar", "actief", "betrokkenen",
         "vereniging_id", "laatst_gecontroleerd"],
        [["I01", "Koffie op dinsdag", "activiteit", "BU99990101", "187420", "522610", "2022", "", "ja", "12", "",
          "2025-02-01"],
         ["I02", "Buurtapp Marktkwartier", "app-groep", "BU99990102", "", "", "2021", "", "ja", "140", "", "2023-05-20"],
         ["I03", "Moestuin achter de kerk", "bewonersinitiatief", "BU99990102", "", "", "2019", "2024", "nee", "8", "V002",
          ""]])
    notities = csv_text(
        ["datum", "gebiedscode", "component", "soort_bron", "tekst", "citaat"],
        [["2025-03-12", "BU99990101", "ontmoeting", "bewoner", "Sinds het buurthuis open is op zaterdag komen er ook jongeren.",
          "ja"],
         ["2025-04-02", "WK999901", "", "professional", "Ouderen in de Marktstraat vragen vaker om hulp bij boodschappen.",
          "nee"]])
    return {"plan.csv": plan, "maatregelen.csv": maatregelen, "initiatieven.csv": initiatieven, "notities.csv": notities}


def _template_manifest() -> str:
    """The commented ``dataset.toml`` of the templates."""
    return f"""# dataset.toml: de inhoudsopgave van een dataset voor Wijkweefsel (zie README.md).
[dataset]
naam = "Voorbeeldgemeente"     # naam die de app toont
jaar = 2025                    # peiljaar: rijen zonder kolom jaar horen bij dit jaar
gemeente = "{GEMEENTE_CODE}"           # optioneel: alleen deze gemeente uit een groter bestand
# fictief = true               # alleen voor verzonnen gegevens
# beschrijving = "..."

[bronnen]                      # alles behalve buurten is optioneel
{SOURCES_TOML}
[[voorzieningen]]              # zoveel bestanden als u wilt
bestand = "voorzieningen.csv"
componentkolom = "component"   # of: component = "onderwijs" voor het hele bestand
# naamkolom = "VESTIGINGSNAAM"  standaard "naam"
# licentie = "..."

[[voorzieningen]]
bestand = "parken.geojson"
component = "openbare_ruimte"

[[enquete_gebied]]             # uitkomsten die al per gebied berekend zijn (gemeentelijke monitor)
bestand = "monitor.csv"
codekolom = "BU_CODE"
nkolom = "n_resp"              # optioneel: aantal respondenten per gebied
indicatoren = {{ b_veilig = "veilig_pct" }}

[licenties]                    # optioneel: uitgever en licentie per bron
buurten = "CBS/Kadaster, Wijk- en buurtkaart, CC BY 4.0"
"""


def template_files() -> dict[str, str]:
    """An input template per file (header and 2-3 example rows), the manifest and a Dutch README.

    The templates form a small dataset of their own (two buurten of one wijk), so they load
    with :func:`analysis.load.dataset.load_dataset` and show every column the loaders read.
    """
    return {
        "README.md": TEMPLATE_README, "dataset.toml": _template_manifest(), **_template_areas(), **_template_places(),
        **_template_survey(), **_template_placement(), **_template_plan_and_informal(), "codeboek.toml": codebook_toml(),
    }


TEMPLATE_README = """# Sjablonen voor uw eigen gegevens

Deze map is een kleine, complete dataset: twee buurten van één wijk met van elk invoerbestand twee of drie
voorbeeldrijen. Kopieer de map, vervang de voorbeeldrijen door uw eigen gegevens en controleer het resultaat met

```
wijkweefsel validate MAP
```

Elke melding noemt het bestand, de rij, de kolom, het probleem en de oplossing. Alleen `buurten` is verplicht:
de app werkt met wat er is en zegt wat ontbreekt. Een volledig voorbeeld is de fictieve demogemeente in
`data/demo/`.

## Algemeen

- **Bestandstypen.** Tabellen mogen CSV (`,` of `;` als scheidingsteken, UTF-8 met of zonder BOM of
  Windows-1252) of Excel (`.xlsx`, eerste tabblad) zijn. Kaartbestanden mogen GeoJSON, GeoPackage of een
  gezipte Shapefile zijn. Getallen mogen een decimale komma hebben (`12,5`).
- **Coördinaten.** RD New (EPSG:28992, meters) of WGS84 (EPSG:4326, lengte- en breedtegraad). Zegt een bestand
  niet welk stelsel het gebruikt, dan herkent Wijkweefsel dat aan de getallen en meldt het dat.
- **Kolomnamen** worden op betekenis herkend: hoofdletters, spaties en liggende streepjes maken niet uit, en
  gangbare varianten (zoals `BU_CODE` en `buurtcode`) worden allebei gelezen.
- **Meetjaren.** Elk bestand behalve de gebieden mag een kolom `jaar` hebben. Rijen zonder jaar horen bij het
  `jaar` uit `dataset.toml`. Zo staan een nulmeting en een vervolgmeting in één bestand. Voorzieningen en
  verenigingen zijn momentopnamen: een voorziening die in 2023 en 2025 bestond, staat er twee keer in (een rij
  per jaar); een voorziening die in 2024 sloot, staat alleen in 2023.
- **Ontbrekende CBS-waarden** (`-99999999`, `-99997` en dergelijke: geheim of onbekend) worden als ontbrekend
  gelezen, nooit als getal.

## dataset.toml

De inhoudsopgave. `[dataset]`: `naam`, `jaar` (peiljaar), optioneel `gemeente` (GM-code: alleen die gemeente
uit een groter bestand), `fictief`, `beschrijving`. `[bronnen]`: per soort bron de bestandsnaam.
De bronnen `initiatieven`, `notities`, `plan` en `maatregelen` staan ook onder `[bronnen]`.
`[[voorzieningen]]`: per voorzieningenbestand een blok met `bestand` en `component` (voor het hele bestand) of
`componentkolom` (een kolom met de component per rij); optioneel `naamkolom`, `soortkolom`, `idkolom`, `jaar`
en `licentie`. `[[enquete_gebied]]`: per monitorbestand `bestand`, `codekolom`, `indicatoren` (kolom =
indicator), optioneel `nkolom` en `jaar`. `[licenties]`: per bron de uitgever en licentie, voor de
verantwoording.

## buurten.geojson en wijken.geojson

De CBS Wijk- en buurtkaart (GeoPackage, GeoJSON of gezipte Shapefile; te downloaden bij het CBS of PDOK).
Verplicht: een buurtcode (`BU_CODE` of `buurtcode`: BU + 8 cijfers) en een vlak per buurt. Wijk- en
gemeentecode worden uit de buurtcode afgeleid. Kerncijfers die gelezen worden (klassieke en nieuwe spelling):

| betekenis | klassiek | nieuw |
|---|---|---|
| buurtnaam | `BU_NAAM` | `buurtnaam` |
| wijkcode, wijknaam | `WK_CODE`, `WK_NAAM` | `wijkcode`, `wijknaam` |
| gemeentecode, -naam | `GM_CODE`, `GM_NAAM` | `gemeentecode`, `gemeentenaam` |
| inwoners, mannen, vrouwen | `AANT_INW`, `AANT_MAN`, `AANT_VROUW` | `aantal_inwoners`, `mannen`, `vrouwen` |
| leeftijdsgroepen (% of aantal) | `P_00_14_JR` … `P_65_EO_JR` | `0_15` … `65plus` |
| huishoudens | `AANTAL_HH` | `huishoudens` |
| eenpersoonshuishoudens (%) | `P_EENP_HH` | `percentage_eenpersoonshuishoudens` |
| huishoudens met laag inkomen (%) | `P_LAAGINKP` | `percentage_huishoudens_met_laag_inkomen` |
| landoppervlakte (ha) | `OPP_LAND` | `oppervlakte_land_in_ha` |

Buurten met `WATER = JA` worden weggelaten. Het wijkenbestand is optioneel: zonder wordt elke wijk samengesteld
uit haar buurten; met wijkenbestand gelden de CBS-wijktotalen.

## voorzieningen.csv en parken.geojson

Een of meer bestanden met plekken, elk in `[[voorzieningen]]`. Kolommen: een locatie (`lat` en `lon`, of RD `x`
en `y`, of de geometrie van een kaartbestand: punten én vlakken zoals parken), `naam`, optioneel `component`,
`soort` (bijvoorbeeld huisarts, basisonderwijs, speeltuin), `capaciteit` (plaatsen), `bezetting_pct` (0-100),
`id`, `jaar` en `laatst_gecontroleerd` (de datum waarop de gegevens het laatst zijn nagekeken, zoals `2025-02-10`
of `10-2-2025`; zo ziet u per wijk welk deel van de sociale kaart het afgelopen jaar is gecontroleerd). De component
is een van: `ontmoeting`, `verenigingen`, `onderwijs`, `zorg`, `cultuur`, `sport`, `openbare_ruimte` (digitale
platforms horen in `digitaal.csv`).

## verenigingen.csv

Eén rij per vereniging (per jaar): `id` (eigen code, gebruikt in `banden.csv`), `naam`, `soort`, `leden`,
`actief` (ja/nee, 1/0) en een locatie: `lat`/`lon`, RD `x`/`y`, of alleen `buurtcode` (dan geldt een punt
midden in die buurt). Wordt zowel een coördinaat als een buurtcode gegeven, dan wordt gecontroleerd of die
bij elkaar passen. Optioneel: `laatst_gecontroleerd`, zoals bij de voorzieningen.

## banden.csv

De banden tussen verenigingen: `van` en `naar` (id's uit `verenigingen.csv`), `soort` (`gedeelde_leden`,
`gedeeld_bestuur`, `samenwerking` of `gedeelde_locatie`; andere soorten mogen ook) en `gewicht` (sterkte,
groter dan 0; leeg = 1).

## enquete.csv en codeboek.toml

`enquete.csv` heeft één rij per respondent: `respondent` (nummer, uniek per jaar), `buurtcode`, `leeftijd` (in
jaren, zoals 47, of als klasse, zoals 45-64, 65+ of 25 t/m 44), `geslacht` (man/vrouw/anders of m/v/x),
optioneel `gewicht` en `jaar`, en dan één kolom per vraag met de antwoordcode. Zonder kolom `gewicht` weegt
Wijkweefsel de antwoorden naar leeftijd en geslacht van de CBS-bevolking van de wijk.

`codeboek.toml` beschrijft de schalen: welke vragen (`items`) erbij horen, de geldige `codes`, de omgekeerd
gestelde vragen (`omgekeerd`), de codes voor 'weet niet' en 'geen antwoord' (`ontbrekend`, standaard voor alle
vragen onder `[codeboek]`), het minimum aantal beantwoorde vragen (`min_geldig`) en hoe de schaal wordt
berekend: `gemiddelde` (een score van 0 tot 10, met `indicator`), `telling` (aantal vragen met een antwoord in
`telt`, met `drempels` zoals eenzaam_pct = 2) of `aandeel` (percentage met een antwoord in `ja`). Dit sjabloon
bevat de schaal sociale samenhang (5 vragen, de eerste omgekeerd), de eenzaamheidsschaal van De Jong Gierveld
(6 vragen, vraag 2, 3 en 5 omgekeerd), vrijwilligerswerk, burenhulp, mantelzorg, gebruik van
ontmoetingsplekken en tevredenheid over voorzieningen. Uitkomsten van minder dan 30 respondenten worden niet
getoond.

## digitaal.csv

Het gebruik van digitale platforms per gebied: `gebiedscode` (buurt-, wijk- of gemeentecode), `platform`,
`actieve_gebruikers` en optioneel `jaar`.

## monitor.csv (enquete_gebied)

Uitkomsten die al per gebied berekend zijn, zoals een gemeentelijke wijkmonitor: een kolom met de buurt- of
wijkcode (`codekolom`), een kolom per uitkomst en optioneel het aantal respondenten (`nkolom`). In
`dataset.toml` zegt `indicatoren` welke kolom welke indicator is, bijvoorbeeld
`indicatoren = { b_scoh = "cohesie_score", b_sceenz = "eenzaam_pct" }`.

## adressen.csv

Waar de inwoners wonen, zodat afstanden tot voorzieningen vanaf de woonadressen worden gemeten in plaats van
vanaf punten die gelijkmatig over de buurt verspreid liggen. Eén rij per adres (verblijfsobject) met een
locatie (RD `x` en `y`, of `lat` en `lon`; een GeoPackage of GeoJSON met punten of met panden als vlakken mag
ook), optioneel `aantal_woningen` (standaard 1; een flat met 24 woningen op één punt telt 24 keer) en `functie`.
Alleen een functie als `wonen`, `woonfunctie` of `woning` telt als woning; adressen met een andere functie
(`winkel`, `bedrijf`, `kantoorfunctie` en dergelijke) tellen niet mee. Een kolom `id` is optioneel.

Waar haalt u het: de BAG (Basisregistratie Adressen en Gebouwen), de verblijfsobjecten met hun gebruiksdoel.
Die zijn te downloaden via PDOK (het landelijke BAG-extract of de BAG als GeoPackage) of op te vragen als
extract uit de eigen BAG-administratie van de gemeente. Heeft u geen adressen, dan kunnen de inwoners ook per
CBS-vierkant worden verdeeld (bron `vierkanten` in `dataset.toml`: de CBS-vierkantstatistieken van 100 of 500
meter).

## wegen.geojson

Het stratennet, zodat afstanden over de straat worden gemeten in plaats van hemelsbreed: een kanaal zonder
brug of een spoorlijn zonder overgang maakt een voorziening aan de overkant ver weg. Het bestand bevat lijnen
(LineString of MultiLineString) in RD of WGS84, als GeoJSON, GeoPackage of gezipte Shapefile; een kolom `id` is
optioneel, andere kolommen (zoals `naam` en `soort`) worden niet gebruikt. Wegen zijn alleen met elkaar verbonden
waar ze een hoekpunt delen, zoals in OpenStreetMap en het NWB: een brug over een weg deelt geen hoekpunt met die
weg. Voor lopen telt elke weg in beide richtingen.

Waar haalt u het: een export van OpenStreetMap (de wegen met `highway=*`, bijvoorbeeld met QGIS of uit een
extract van Geofabrik, opgeslagen als GeoPackage of GeoJSON; `.osm.pbf` wordt niet rechtstreeks gelezen) of de
wegvakken van het NWB (Nationaal Wegenbestand van Rijkswaterstaat, via PDOK). OpenStreetMap bevat ook voet- en
fietspaden; het NWB vooral wegen voor autoverkeer, waardoor loopafstanden daarmee wat te lang uitvallen. Neem
een rand van een paar honderd meter rond de gemeente mee.

## initiatieven.csv

Wat de registers missen: bewonersinitiatieven, buurtgroepen, app-groepen, terugkerende activiteiten en informele
netwerken. Eén rij per initiatief: `naam`, `soort` (bijvoorbeeld `bewonersinitiatief`, `buurtgroep`, `app-groep`,
`activiteit`, `informeel netwerk`), een plek (`buurtcode`, of RD `x` en `y`, of `lat` en `lon`; met alleen een
buurtcode staat het initiatief midden in die buurt), `startjaar` en optioneel `eindjaar` (of één kolom `jaar`),
`actief` (ja/nee), optioneel `id`, `betrokkenen` (aantal mensen), `vereniging_id` (een id uit
`verenigingen.csv`) en `laatst_gecontroleerd`. **Geen persoonsgegevens**: een kolom met namen van personen,
e-mailadressen of telefoonnummers (zoals `contactpersoon`, `email`, `telefoon`) krijgt een waarschuwing en wordt
niet geladen en nergens getoond.

## notities.csv

Wat bewoners en professionals zeggen en zien, naast de cijfers. Eén rij per notitie: `datum`, `gebiedscode`
(buurt- of wijkcode), optioneel `component` (een van de acht componenten, zodat de notitie bij de cijfers van die
component staat), `soort_bron` (`bewoner`, `professional`, `observatie` of `bijeenkomst`), `tekst` (kort; langer
dan 1000 tekens wordt ingekort) en optioneel `citaat` (ja/nee: letterlijk gezegd). Schrijf geen namen van
personen in de tekst. Teksten worden overal veilig getoond (als tekst, nooit als opmaak of formule).

## plan.csv (wijkplan: doelen)

Wat de gemeente voor een gebied wil bereiken. Eén rij per doel: `gebiedscode` (buurt, wijk of gemeente),
`indicator` (een sleutel uit het indicatorenregister, zie de pagina Verantwoording, zoals `cohesie_score` of
`eenzaam_pct`), `basisjaar` (het jaar van de nulmeting), `streefwaarde`, `streefjaar` en `reden` (één zin). Een
rij met een onbekende gebiedscode of indicator wordt met een waarschuwing overgeslagen. De evaluatie zet per doel
de basiswaarde naast elke latere meting en zegt of het doel gehaald is en of de verandering groter is dan de
marge (`wijkweefsel evaluatie MAP --uit evaluatie.csv`).

## maatregelen.csv (wijkplan: maatregelen)

Wat er waar en wanneer gedaan is. Eén rij per maatregel: `id`, `naam`, `component` (een van de acht),
`gebiedscode` (buurt- of wijkcode), optioneel een plek (RD `x` en `y`), `startdatum` (zoals `2024-03-01` of
`1-3-2024`), optioneel `einddatum`, `budget` (euro) en `omschrijving`. De evaluatie vergelijkt de verandering in de
cijfers van die component in het gebied sinds de start met de verandering in vergelijkbare gebieden zonder zo'n
maatregel (een verschil van verschillen). Dat laat samenhang zien, geen bewijs: er veranderde meer dan deze
maatregel.
"""


def write_templates(out_dir: Path) -> list[Path]:
    """Write the templates into ``out_dir`` (created when absent).

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    return write_files(Path(out_dir), template_files())
