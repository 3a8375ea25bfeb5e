"""A small hostile test municipality for the export tests: three wijken, names that are formulas and HTML."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from analysis import model

GM = "GM0999"
YEAR = 2025
BASELINE = 2023
FORMULA = '=HYPERLINK("http://x")'
#: wijk code -> name; one name is a formula, one holds HTML.
WIJKEN = {"WK099901": "Centrum", "WK099902": FORMULA, "WK099903": "Oost <b>&amp;</b>"}


def areas() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rows, geoms = [], []
    for w, (wcode, _) in enumerate(WIJKEN.items()):
        for b in range(2):
            rows.append({"gebiedscode": f"BU{wcode[2:]}{b + 1:02d}", "gebiedsnaam": f"Buurt {w}{b}", "niveau": "buurt",
                         "wijkcode": wcode, "gemeentecode": GM, "gemeentenaam": "Testdorp",
                         "inwoners": 1000.0 + 500 * w, "huishoudens": 500.0, "p_00_14": 15.0, "p_65_eo": 10.0 + 5 * w,
                         "p_eenpersoons_hh": 30.0 + 5 * b, "opp_land_ha": 100.0})
            geoms.append(box(w * 2000 + b * 1000, 0, w * 2000 + b * 1000 + 1000, 1000))
    buurten = gpd.GeoDataFrame(pd.DataFrame(rows).reindex(columns=list(model.AREA_COLUMNS)), geometry=geoms,
                               crs=model.CRS_RD)
    wijken = buurten.dissolve("wijkcode", aggfunc={"inwoners": "sum", "huishoudens": "sum", "opp_land_ha": "sum",
                                                   "p_00_14": "mean", "p_65_eo": "mean",
                                                   "p_eenpersoons_hh": "mean"}).reset_index()
    wijken["gebiedscode"] = wijken["wijkcode"]
    wijken["gebiedsnaam"] = wijken["wijkcode"].map(WIJKEN)
    wijken["niveau"], wijken["gemeentecode"], wijken["gemeentenaam"] = "wijk", GM, "Testdorp"
    wijken = wijken.reindex(columns=[*model.AREA_COLUMNS, "geometry"])
    gemeente = wijken.dissolve(aggfunc={"inwoners": "sum", "huishoudens": "sum", "opp_land_ha": "sum"})
    gemeente = gemeente.reset_index(drop=True).reindex(columns=[*model.AREA_COLUMNS, "geometry"])
    gemeente[["gebiedscode", "gebiedsnaam", "niveau", "gemeentecode", "gemeentenaam"]] = \
        [GM, "Testdorp", "gemeente", GM, "Testdorp"]
    return buurten, gpd.GeoDataFrame(wijken, crs=model.CRS_RD), gpd.GeoDataFrame(gemeente, crs=model.CRS_RD)


def make_dataset(is_demo: bool = True) -> model.Dataset:
    buurten, wijken, gemeente = areas()
    fac = [("f1", "Buurthuis De Kamer", "ontmoeting", (500, 500), "WK099901", "BU09990101"),
           ("f2", FORMULA, "ontmoeting", (2500, 500), "WK099902", "BU09990201"),
           ("f3", "Huisarts -Noord", "zorg", (1500, 400), "WK099901", "BU09990102"),
           ("f4", "@Sporthal", "sport", (4500, 600), "WK099903", "BU09990301")]
    facilities = gpd.GeoDataFrame(
        {"id": [f[0] for f in fac], "naam": [f[1] for f in fac], "component": [f[2] for f in fac], "soort": "test",
         "capaciteit": np.nan, "bezetting_pct": np.nan, "jaar": YEAR, "buurtcode": [f[5] for f in fac],
         "wijkcode": [f[4] for f in fac], "bron": "test"},
        geometry=[Point(*f[3]) for f in fac], crs=model.CRS_RD)
    facilities = pd.concat([facilities, facilities.assign(jaar=BASELINE)], ignore_index=True)
    assoc = gpd.GeoDataFrame(
        {"id": ["a1", "a2", "a3", "a4"], "naam": ["Voetbalclub", FORMULA, "Koor", "Buurtcomité"],
         "soort": ["sport", "cultuur", "cultuur", "buurt"], "leden": [120, 40, np.nan, 15], "actief": True,
         "jaar": YEAR, "buurtcode": ["BU09990101", "BU09990102", "BU09990201", "BU09990301"],
         "wijkcode": ["WK099901", "WK099901", "WK099902", "WK099903"]},
        geometry=[Point(300, 300), Point(1300, 300), Point(2300, 300), Point(4300, 300)], crs=model.CRS_RD)
    ties = pd.DataFrame({"van": ["a1", "a1", "a2"], "naar": ["a2", "a3", "a3"], "soort": ["leden", "bestuur", "leden"],
                         "gewicht": [2.0, 1.0, 1.0], "jaar": YEAR})
    rng = np.random.default_rng(1)
    per_wijk = {"WK099901": 60, "WK099902": 45, "WK099903": 8}   # the last one is suppressed
    rows = []
    for year in (BASELINE, YEAR):
        for wcode, n in per_wijk.items():
            for i in range(n):
                rows.append({"respondent": f"{year}-{wcode}-{i}", "buurtcode": f"BU{wcode[2:]}0{1 + i % 2}",
                             "wijkcode": wcode, "leeftijd": np.nan, "leeftijdsklasse": "45-64", "geslacht": np.nan,
                             "gewicht": np.nan, "jaar": year, "s1": int(rng.integers(1, 6)),
                             "s2": int(rng.integers(1, 6)), "vrijwilliger": int(rng.integers(1, 3))})
    respondents = pd.DataFrame(rows)
    respondents["gewicht"] = respondents["gewicht"].astype(float)
    codebook = {"codeboek": {"naam": "Test", "ontbrekend": [9]}, "schalen": {
        "cohesie": {"methode": "gemiddelde", "items": ["s1", "s2"], "codes": [1, 2, 3, 4, 5], "min_geldig": 1,
                    "indicator": "cohesie_score"},
        "vrijwilliger": {"methode": "aandeel", "items": ["vrijwilliger"], "codes": [1, 2], "ja": [1],
                         "indicator": "vrijwilliger_pct"}}}
    return model.Dataset(
        name="testdorp", year=YEAR, gemeente_code=GM, buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=facilities, associations=assoc, ties=ties, respondents=respondents, codebook=codebook,
        area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS), digital=model.empty_frame(model.DIGITAL_COLUMNS),
        licences={"Gebieden": "CBS/Kadaster, CC BY 4.0"}, is_demo=is_demo)


def hand_table() -> pd.DataFrame:
    """A tidy table written by hand, with a negative value, a missing value and a suppressed row."""
    return pd.DataFrame({
        "gebiedscode": ["WK099901", "WK099901", "WK099901", "WK099902"],
        "gebiedsnaam": ["Centrum", "Centrum", "Centrum", FORMULA],
        "niveau": ["wijk"] * 4, "jaar": [2025, 2025, 2023, 2025],
        "indicator": ["cohesie_index", "vrijwilliger_pct", "cohesie_index", "vrijwilliger_pct"],
        "waarde": [-3.25, 1234.5, 98.125, np.nan], "eenheid": ["index", "%", "index", "%"],
        "n": pd.array([pd.NA, 312, pd.NA, 12], dtype="Int64"), "ci_laag": [np.nan, 1230.0, np.nan, np.nan],
        "ci_hoog": [np.nan, 1239.0, np.nan, np.nan], "onderdrukt": [0, 0, 0, 1], "bron": ["berekend", "enquête",
                                                                                        "berekend", "enquête"],
    })
