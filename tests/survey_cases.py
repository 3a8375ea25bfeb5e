"""Small hand-made surveys shared by the survey tests (codebooks, respondents, a dataset around them)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from analysis import model

GM = "GM0999"
DJG_ITEMS = [f"eenzaam_{i}" for i in range(1, 7)]


def cohesion_codebook(**extra) -> dict:
    scale = {"methode": "gemiddelde", "items": ["s1", "s2", "s3"], "codes": [1, 2, 3, 4, 5],
             "omgekeerd": ["s1"], "min_geldig": 2, "indicator": "cohesie_score"}
    scale.update(extra)
    return {"codeboek": {"naam": "Test", "ontbrekend": [9]}, "schalen": {"cohesie": scale}}


def djg_codebook(min_geldig: int | None = None) -> dict:
    scale = {"methode": "telling", "items": DJG_ITEMS, "codes": [1, 2, 3],
             "omgekeerd": ["eenzaam_2", "eenzaam_3", "eenzaam_5"], "telt": [1, 2],
             "drempels": {"eenzaam_pct": 2, "zeer_eenzaam_pct": 5}}
    if min_geldig is not None:
        scale["min_geldig"] = min_geldig
    return {"codeboek": {"ontbrekend": [9]}, "schalen": {"eenzaamheid": scale}}


def simple_codebook() -> dict:
    """A 0-10 mark (score = code) and a yes/no share: easy to compute by hand."""
    return {
        "codeboek": {"ontbrekend": [99]},
        "schalen": {
            "cijfer": {"methode": "gemiddelde", "items": ["cijfer"], "codes": list(range(11)),
                       "indicator": "tevredenheid_voorzieningen"},
            "vrijwilliger": {"methode": "aandeel", "items": ["vrijwilliger"], "codes": [1, 2], "ja": [1],
                             "indicator": "vrijwilliger_pct"},
        },
    }


def area_frame(rows: list[dict], level: str) -> gpd.GeoDataFrame:
    frame = pd.DataFrame([{c: r.get(c, np.nan) for c in model.AREA_COLUMNS} for r in rows],
                         columns=list(model.AREA_COLUMNS))
    frame["niveau"] = level
    frame["gemeentecode"] = GM
    geoms = [box(i * 1000, 0, i * 1000 + 900, 900) for i in range(len(frame))]
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=model.CRS_RD)


def make_ds(respondents: pd.DataFrame, codebook: dict, buurt_to_wijk: dict[str, str],
            wijk_population: dict[str, dict] | None = None,
            buurt_population: dict[str, dict] | None = None) -> model.Dataset:
    wijk_population = wijk_population or {}
    buurt_population = buurt_population or {}
    buurten = area_frame([{"gebiedscode": b, "gebiedsnaam": f"Buurt {b[-2:]}", "wijkcode": w,
                           **buurt_population.get(b, {})} for b, w in buurt_to_wijk.items()], "buurt")
    wijk_codes = sorted(set(buurt_to_wijk.values()))
    wijken = area_frame([{"gebiedscode": w, "gebiedsnaam": f"Wijk {w[-2:]}", "wijkcode": w,
                          **wijk_population.get(w, {})} for w in wijk_codes], "wijk")
    gemeente = area_frame([{"gebiedscode": GM, "gebiedsnaam": "Testgemeente"}], "gemeente")
    return model.Dataset(
        name="test", year=2024, gemeente_code=GM, buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=model.empty_frame(model.FACILITY_COLUMNS, geometry=True),
        associations=model.empty_frame(model.ASSOCIATION_COLUMNS, geometry=True),
        ties=model.empty_frame(model.TIE_COLUMNS), respondents=respondents, codebook=codebook,
        area_survey=model.empty_frame(model.AREA_SURVEY_COLUMNS), digital=model.empty_frame(model.DIGITAL_COLUMNS),
    )


def respondents(buurt_to_wijk: dict[str, str], per_buurt: dict[str, list[dict]], year: int = 2024) -> pd.DataFrame:
    """Clean respondents: ``per_buurt`` maps a buurt to a list of item-answer dicts."""
    rows = []
    for buurt, answers in per_buurt.items():
        for i, a in enumerate(answers):
            a = dict(a)
            base = {"respondent": f"{buurt}-{i}", "buurtcode": buurt, "wijkcode": buurt_to_wijk[buurt],
                    "leeftijd": np.nan, "leeftijdsklasse": a.pop("leeftijdsklasse", "45-64"),
                    "geslacht": a.pop("geslacht", np.nan), "gewicht": a.pop("gewicht", np.nan),
                    "jaar": year}
            rows.append({**base, **a})
    frame = pd.DataFrame(rows)
    frame["gewicht"] = frame["gewicht"].astype(float)
    return frame


def figure(table: pd.DataFrame, code: str, indicator: str, year: int = 2024) -> pd.Series:
    hit = table[(table["gebiedscode"] == code) & (table["indicator"] == indicator) & (table["jaar"] == year)]
    assert len(hit) == 1, f"{code} {indicator}: {len(hit)} rows"
    return hit.iloc[0]


def answers(n: int, value: int = 5) -> list[dict]:
    return [{"cijfer": value, "vrijwilliger": 1} for _ in range(n)]


def recoverable_by_membership(figures: pd.DataFrame, buurt_to_wijk: dict[str, str], gemeente: str = GM,
                              ) -> list[tuple[int, str, frozenset, float]]:
    """Every group an outsider can recover, found independently of the suppression code.

    Per year and indicator, each buurt with valid answers is labelled with the set of
    published areas that contain it (itself, its wijk, the gemeente). Buurten with the same
    non-empty label form a group whose pooled figure follows from the published figures by
    adding and subtracting (the areas nest, so these groups are exactly the smallest
    recoverable ones). Returns ``(jaar, indicator, label, n)`` per group; ``figures`` needs
    ``gebiedscode, jaar, indicator, onderdrukt`` and the true ``n``.
    """
    out = []
    for (year, indicator), group in figures.groupby(["jaar", "indicator"]):
        shown = set(group.loc[group["onderdrukt"] == 0, "gebiedscode"])
        buurten = group[group["gebiedscode"].isin(list(buurt_to_wijk)) & (group["n"] > 0)]
        pooled: dict[frozenset, float] = {}
        for code, n in zip(buurten["gebiedscode"], buurten["n"]):
            label = frozenset({code, buurt_to_wijk[code], gemeente} & shown)
            if label:
                pooled[label] = pooled.get(label, 0.0) + float(n)
        out.extend((int(year), str(indicator), label, n) for label, n in pooled.items())
    return out
