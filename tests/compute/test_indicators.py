"""Tests for analysis.compute.indicators: hand-computed supply, coverage, network, digital, index, gaps, priorities."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from analysis import model, registry
from analysis.components import walk_norms_m
from analysis.compute.indicators import TABLE_COLUMNS, compute_indicators
from analysis.compute.priorities import excluded_areas, gap_matrix
from analysis.params import IndicatorParams
from tests.paths import ZWOLLE

GM = "GM9999"
YEAR = 2024


# Four 1 km squares: B1 (0-1000, 0-1000), B2 (1000-2000, 0-1000) in W1; B3 above B1, B4 above B2 in W2.
BUURTEN = {
    "BU99990101": ("W1", (0, 0), 1000),
    "BU99990102": ("W1", (1000, 0), 2000),
    "BU99990201": ("W2", (0, 1000), 500),
    "BU99990202": ("W2", (1000, 1000), 1500),
}
WIJK = {"W1": "WK999901", "W2": "WK999902"}
B1, B2, B3, B4 = BUURTEN


def _areas(rows: list[dict], level: str) -> gpd.GeoDataFrame:
    frame = pd.DataFrame([{c: r.get(c, np.nan) for c in model.AREA_COLUMNS} for r in rows],
                         columns=list(model.AREA_COLUMNS))
    frame["niveau"] = level
    frame["gemeentecode"] = GM
    frame["gemeentenaam"] = "Toetsstad"
    return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=model.CRS_RD)


def make_ds(buurten: dict | None = None, facilities: list[dict] | None = None,
            associations: list[dict] | None = None, ties: list[dict] | None = None,
            digital: list[dict] | None = None, area_survey: list[dict] | None = None,
            buurt_extra: dict | None = None, with_parents: bool = True) -> model.Dataset:
    buurten = buurten or BUURTEN
    extra = buurt_extra or {}
    brows = [{"gebiedscode": code, "gebiedsnaam": f"Buurt {code[-4:]}", "wijkcode": WIJK[w], "inwoners": inw,
              "geometry": box(x, y, x + 1000, y + 1000), **extra.get(code, {})}
             for code, (w, (x, y), inw) in buurten.items()]
    b = _areas(brows, "buurt")
    if with_parents:
        wrows = []
        for wk in sorted(set(b["wijkcode"])):
            part = b[b["wijkcode"] == wk]
            wrows.append({"gebiedscode": wk, "gebiedsnaam": f"Wijk {wk[-2:]}", "wijkcode": wk,
                          "inwoners": part["inwoners"].sum(), "geometry": part.geometry.union_all()})
        w = _areas(wrows, "wijk")
        g = _areas([{"gebiedscode": GM, "gebiedsnaam": "Toetsstad", "inwoners": b["inwoners"].sum(),
                     "geometry": b.geometry.union_all()}], "gemeente")
    else:
        w = model.empty_frame(model.AREA_COLUMNS, geometry=True)
        g = model.empty_frame(model.AREA_COLUMNS, geometry=True)
    fac = model.empty_frame(model.FACILITY_COLUMNS, geometry=True)
    if facilities:
        fac = gpd.GeoDataFrame(pd.DataFrame([{c: f.get(c, np.nan) for c in model.FACILITY_COLUMNS}
                                             for f in facilities]),
                               geometry=[f["geometry"] for f in facilities], crs=model.CRS_RD)
        fac["jaar"] = fac["jaar"].fillna(YEAR).astype(int)
    assoc = model.empty_frame(model.ASSOCIATION_COLUMNS, geometry=True)
    if associations:
        assoc = gpd.GeoDataFrame(pd.DataFrame([{c: a.get(c, np.nan) for c in model.ASSOCIATION_COLUMNS}
                                               for a in associations]),
                                 geometry=[a["geometry"] for a in associations], crs=model.CRS_RD)
        assoc["actief"] = True
        assoc["jaar"] = YEAR
    tie_frame = pd.DataFrame(ties) if ties else model.empty_frame(model.TIE_COLUMNS)
    if ties:
        tie_frame["jaar"] = YEAR
        tie_frame["gewicht"] = 1.0
    return model.Dataset(
        name="toets", year=YEAR, gemeente_code=GM, buurten=b, wijken=w, gemeente=g, facilities=fac,
        associations=assoc, ties=tie_frame, respondents=model.empty_frame(model.RESPONDENT_COLUMNS), codebook={},
        area_survey=pd.DataFrame(area_survey) if area_survey else model.empty_frame(model.AREA_SURVEY_COLUMNS),
        digital=pd.DataFrame(digital) if digital else model.empty_frame(model.DIGITAL_COLUMNS),
    )


def value(table: pd.DataFrame, code: str, key: str, year: int = YEAR) -> float:
    hit = table[(table["gebiedscode"] == code) & (table["indicator"] == key) & (table["jaar"] == year)]
    assert len(hit) == 1, f"{code} {key}: {len(hit)} rows"
    return float(hit["waarde"].iloc[0])


def _fac(component: str, x: float, y: float, buurt: str | None, capaciteit: float = np.nan) -> dict:
    wijk = None if buurt is None else WIJK[BUURTEN[buurt][0]]
    return {"id": f"{component}-{x}-{y}", "naam": f"{component} {x},{y}", "component": component,
            "capaciteit": capaciteit, "buurtcode": buurt, "wijkcode": wijk, "geometry": Point(x, y)}


def _covered_share(buurt_origin: tuple[int, int], targets: list[tuple[float, float]], norm: float) -> float:
    """Brute force: % of the 100 cell centres of a 1 km square within ``norm`` of any target."""
    x0, y0 = buurt_origin
    inside = 0
    for i in range(10):
        for j in range(10):
            cx, cy = x0 + 50 + 100 * i, y0 + 50 + 100 * j
            if min(math.hypot(cx - tx, cy - ty) for tx, ty in targets) <= norm:
                inside += 1
    return float(inside)  # 100 cells: the count is the percentage


FACILITIES = [
    _fac("ontmoeting", 500, 500, B1, 100), _fac("ontmoeting", 1500, 500, B2, 50),
    _fac("ontmoeting", 1600, 600, B2), _fac("zorg", 500, 1500, B3),
    _fac("ontmoeting", 5000, 5000, None),  # outside the gemeente: counts nowhere, but is nearest for nobody
]


@pytest.fixture(scope="module")
def toy_table() -> pd.DataFrame:
    ds = make_ds(facilities=FACILITIES)
    return compute_indicators(ds)


def test_columns_and_registry(toy_table):
    assert list(toy_table.columns) == list(TABLE_COLUMNS)
    assert set(toy_table["indicator"]) <= set(registry.REGISTRY)
    assert set(toy_table["niveau"]) == {"buurt", "wijk", "gemeente"}


def test_counts_and_rates(toy_table):
    t = toy_table
    assert value(t, B1, "ontmoeting_aantal") == 1
    assert value(t, B2, "ontmoeting_aantal") == 2
    assert value(t, B3, "ontmoeting_aantal") == 0
    assert value(t, "WK999901", "ontmoeting_aantal") == 3
    assert value(t, "WK999902", "ontmoeting_aantal") == 0
    assert value(t, GM, "ontmoeting_aantal") == 3  # the facility outside the gemeente is not counted
    assert value(t, B2, "ontmoeting_per_1000_inw") == pytest.approx(2 / 2000 * 1000)
    assert value(t, "WK999902", "zorg_per_1000_inw") == pytest.approx(1 / 2000 * 1000)
    assert value(t, GM, "ontmoeting_per_1000_inw") == pytest.approx(3 / 5000 * 1000)
    # capacity: only known capacities count (50 in B2, 100 in B1)
    assert value(t, B2, "ontmoeting_capaciteit_per_1000_inw") == pytest.approx(50 / 2000 * 1000)
    assert value(t, GM, "ontmoeting_capaciteit_per_1000_inw") == pytest.approx(150 / 5000 * 1000)
    # components without any facility are not measured: no false zeros
    assert not (t["indicator"] == "sport_aantal").any()


def test_coverage_on_squares(toy_table):
    ontmoeting = [(500, 500), (1500, 500), (1600, 600), (5000, 5000)]
    norm = walk_norms_m()["ontmoeting"]  # the sourced default (1 km)
    expected_b4 = _covered_share((1000, 1000), ontmoeting, norm)
    assert value(toy_table, B4, "ontmoeting_dekking_pct") == pytest.approx(expected_b4)
    expected_b1_zorg = _covered_share((0, 0), [(500, 1500)], 1000)
    assert value(toy_table, B1, "zorg_dekking_pct") == pytest.approx(expected_b1_zorg)
    # wijk W2 = inhabitant-weighted over B3 (500) and B4 (1500)
    b3 = _covered_share((0, 1000), ontmoeting, norm)
    assert value(toy_table, "WK999902", "ontmoeting_dekking_pct") == pytest.approx((500 * b3 + 1500 * expected_b4) / 2000)
    # a facility right in the middle: the centre cells are at distance sqrt(50^2+50^2)
    assert value(toy_table, B1, "ontmoeting_afstand_m") > 0


def test_gaps_on_squares(toy_table):
    # zorg coverage in B1 is below 80%: gap; ontmoeting in W1 has supply above half of the gemeente's
    cover = value(toy_table, B1, "zorg_dekking_pct")
    assert value(toy_table, B1, "zorg_gat") == (1.0 if cover < 80 else 0.0)
    # B3 has no ontmoeting (0 per 1000 < 0.5 * 0.6): gap by the supply rule whatever its coverage
    assert value(toy_table, B3, "ontmoeting_gat") == 1.0
    gm = gap_matrix(toy_table, YEAR, "buurt")
    assert list(gm["gebiedscode"]) == [B1, B2, B3, B4]
    assert gm.loc[gm["gebiedscode"] == B3, "ontmoeting"].iloc[0] == 1
    assert pd.isna(gm.loc[gm["gebiedscode"] == B3, "sport"].iloc[0])
    assert value(toy_table, B3, "gaten_aantal") == gm.loc[gm["gebiedscode"] == B3, ["ontmoeting", "zorg"]].sum(axis=1).iloc[0]


def test_network_and_facility_tagged_associations():
    at = lambda x, y: Point(x, y)  # noqa: E731
    assoc = [
        {"id": "A1", "naam": "Een", "leden": 10, "buurtcode": B1, "wijkcode": "WK999901", "geometry": at(100, 100)},
        {"id": "A2", "naam": "Twee", "leden": 20, "buurtcode": B1, "wijkcode": "WK999901", "geometry": at(200, 200)},
        {"id": "A3", "naam": "Drie", "leden": 30, "buurtcode": B2, "wijkcode": "WK999901", "geometry": at(1200, 200)},
        {"id": "A4", "naam": "Vier", "leden": 40, "buurtcode": B3, "wijkcode": "WK999902", "geometry": at(200, 1200)},
    ]
    ties = [{"van": "A1", "naar": "A2", "soort": "samenwerking"}, {"van": "A2", "naar": "A3", "soort": "leden"}]
    ds = make_ds(associations=assoc, ties=ties, facilities=[_fac("verenigingen", 1500, 1500, B4)])
    t = compute_indicators(ds)
    assert value(t, B1, "verenigingen_aantal") == 2
    assert value(t, B1, "netwerk_dichtheid") == 1.0
    assert value(t, B1, "overbruggende_banden_pct") == 50.0
    assert value(t, B4, "verenigingen_aantal") == 1  # the facility row tagged verenigingen
    assert value(t, B4, "verenigingen_per_1000_inw") == pytest.approx(1 / 1500 * 1000)
    assert value(t, "WK999901", "netwerk_dichtheid") == pytest.approx(2 / 3)
    assert value(t, "WK999901", "overbruggende_banden_pct") == 0.0
    assert value(t, GM, "verenigingen_aantal") == 5
    assert value(t, GM, "geisoleerde_verenigingen") == 1
    assert value(t, B1, "leden_per_1000_inw") == pytest.approx(30 / 1000 * 1000)


def test_digital_given_and_derived():
    digital = [
        {"gebiedscode": B1, "niveau": "buurt", "platform": "p1", "actieve_gebruikers": 100.0, "jaar": YEAR},
        {"gebiedscode": B1, "niveau": "buurt", "platform": "p2", "actieve_gebruikers": 50.0, "jaar": YEAR},
        {"gebiedscode": "WK999902", "niveau": "wijk", "platform": "p1", "actieve_gebruikers": 300.0, "jaar": YEAR},
    ]
    t = compute_indicators(make_ds(digital=digital))
    assert value(t, B1, "digitaal_actief_per_1000_inw") == pytest.approx(150.0)
    assert value(t, B1, "digitaal_aantal") == 2
    assert value(t, "WK999901", "digitaal_actief_per_1000_inw") == pytest.approx(150 / 3000 * 1000)
    assert value(t, "WK999902", "digitaal_actief_per_1000_inw") == pytest.approx(300 / 2000 * 1000)
    assert value(t, GM, "digitaal_actief_per_1000_inw") == pytest.approx(450 / 5000 * 1000)
    assert value(t, GM, "digitaal_aantal") == 2


def test_params_change_norms_and_are_validated():
    ds = make_ds(facilities=FACILITIES)
    wide = compute_indicators(ds, params=IndicatorParams(norms_m={"zorg": 2000.0}))
    expected = _covered_share((0, 0), [(500, 1500)], 2000)
    assert value(wide, B1, "zorg_dekking_pct") == pytest.approx(expected) == 100.0
    with pytest.raises(ValueError, match="niet lager dan 10"):
        IndicatorParams(threshold=5)
    with pytest.raises(ValueError, match="Onbekend gewicht"):
        IndicatorParams(cohesion_weights={"geluk": 1.0})
    with pytest.raises(ValueError, match="Onbekend niveau"):
        compute_indicators(ds, levels=("provincie",))


def test_only_buurten_dataset():
    t = compute_indicators(make_ds(with_parents=False))
    assert set(t["niveau"]) == {"buurt"}
    assert value(t, B2, "inwoners") == 2000
    assert set(t["indicator"]) <= set(registry.REGISTRY)


def test_need_index_and_double_disadvantage():
    extra = {B1: {"p_65_eo": 30.0, "p_eenpersoons_hh": 50.0}, B2: {"p_65_eo": 10.0, "p_eenpersoons_hh": 20.0},
             B3: {"p_65_eo": 20.0, "p_eenpersoons_hh": 30.0}, B4: {"p_65_eo": 15.0, "p_eenpersoons_hh": 25.0}}
    t = compute_indicators(make_ds(facilities=FACILITIES, buurt_extra=extra))
    need = {b: value(t, b, "behoefte_index") for b in BUURTEN}
    assert max(need, key=need.get) == B1 and min(need, key=need.get) == B2
    flags = {b: value(t, b, "dubbele_achterstand") for b in BUURTEN}
    coh = {b: value(t, b, "cohesie_index") for b in BUURTEN}
    worst_coh = min(coh, key=coh.get)
    for b in BUURTEN:
        assert flags[b] == (1.0 if b == B1 and worst_coh == B1 else 0.0)
    assert value(t, "WK999901", "prioriteit_rang") in (1.0, 2.0)


# ----------------------------------------------------------------------------------------------
# Survey suppression in the table and the cohesion index
# ----------------------------------------------------------------------------------------------

CODEBOOK_RAW = {
    "codeboek": {"ontbrekend": [9]},
    "schalen": {"cohesie": {"methode": "gemiddelde", "items": ["s1"], "codes": [1, 2, 3, 4, 5],
                            "min_geldig": 1, "indicator": "cohesie_score"}},
}


def _survey_ds(answers: dict[str, list[int]]) -> model.Dataset:
    from analysis.findings import Findings
    from analysis.load.codebook import parse_codebook

    ds = make_ds(facilities=FACILITIES)
    rows = []
    for buurt, codes in answers.items():
        for i, code in enumerate(codes):
            rows.append({"respondent": f"{buurt}-{i}", "buurtcode": buurt, "wijkcode": WIJK[BUURTEN[buurt][0]],
                         "leeftijd": np.nan, "leeftijdsklasse": "45-64", "geslacht": np.nan, "gewicht": 1.0,
                         "jaar": YEAR, "s1": float(code)})
    ds.respondents = pd.DataFrame(rows)
    ds.codebook = parse_codebook(CODEBOOK_RAW, Findings())
    return ds


def test_suppressed_survey_never_leaks_into_the_index():
    answers = {B1: [4] * 40, B2: [3] * 40, B3: [2] * 5, B4: [5] * 40}
    t1 = compute_indicators(_survey_ds(answers))
    hidden = t1[(t1["indicator"] == "cohesie_score") & (t1["gebiedscode"] == B3)]
    assert hidden["onderdrukt"].iloc[0] == 1 and hidden["waarde"].isna().all()
    assert (t1.loc[t1["onderdrukt"] == 1, ["waarde", "ci_laag", "ci_hoog"]].isna()).all().all()
    # change the suppressed buurt's answers: no published figure may move
    t2 = compute_indicators(_survey_ds({**answers, B3: [5] * 5}))
    derived = ["cohesie_index", "cohesie_deel_enquete", "prioriteit_score", "dubbele_achterstand"]
    for tb in (t1, t2):
        assert not tb[tb["indicator"].isin(derived)].empty
    pub1 = t1[(t1["onderdrukt"] == 0) & (t1["niveau"] == "buurt")].set_index(["gebiedscode", "indicator"])["waarde"]
    pub2 = t2[(t2["onderdrukt"] == 0) & (t2["niveau"] == "buurt")].set_index(["gebiedscode", "indicator"])["waarde"]
    pd.testing.assert_series_equal(pub1.sort_index(), pub2.sort_index())
    part = t1[(t1["gebiedscode"] == B3) & (t1["indicator"] == "cohesie_deel_enquete")]
    assert part["onderdrukt"].iloc[0] == 1
    assert not math.isnan(value(t1, B3, "cohesie_index"))


def test_monitor_rows_keep_empty_n_and_source():
    mon = [{"gebiedscode": B1, "niveau": "buurt", "jaar": YEAR, "indicator": "cohesie_score", "waarde": 6.1,
            "n": np.nan, "bron": "monitor.csv"},
           {"gebiedscode": B2, "niveau": "buurt", "jaar": YEAR, "indicator": "eenzaam_pct", "waarde": 12.0,
            "n": 8.0, "bron": "monitor.csv"}]
    t = compute_indicators(make_ds(area_survey=mon))
    row = t[(t["gebiedscode"] == B1) & (t["indicator"] == "cohesie_score")].iloc[0]
    assert row["waarde"] == 6.1 and pd.isna(row["n"]) and row["bron"] == "monitor.csv"
    small = t[(t["gebiedscode"] == B2) & (t["indicator"] == "eenzaam_pct")].iloc[0]
    assert small["onderdrukt"] == 1 and pd.isna(small["waarde"])


# ----------------------------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------------------------

@st.composite
def random_facilities(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        x = draw(st.floats(min_value=-500, max_value=2500, allow_nan=False))
        y = draw(st.floats(min_value=-500, max_value=2500, allow_nan=False))
        comp = draw(st.sampled_from(["ontmoeting", "zorg", "sport", "verenigingen"]))
        cap = draw(st.one_of(st.just(np.nan), st.floats(min_value=0, max_value=500)))
        inside = 0 <= x < 2000 and 0 <= y < 2000
        buurt = None
        if inside:
            buurt = [B1, B2, B3, B4][int(x // 1000) + 2 * int(y // 1000)]
        out.append({**_fac(comp, x, y, buurt, cap), "id": f"f{i}"})
    return out


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facilities=random_facilities(),
       inwoners=st.lists(st.integers(min_value=0, max_value=5000), min_size=4, max_size=4))
def test_property_counts_add_up_and_shares_bounded(facilities, inwoners):
    cells = {code: (w, xy, inw) for (code, (w, xy, _)), inw in zip(BUURTEN.items(), inwoners)}
    t = compute_indicators(make_ds(buurten=cells, facilities=facilities))
    counts = t[t["indicator"].str.endswith("_aantal") & ~t["indicator"].isin(["gaten_aantal"])]
    for _key, rows in counts.groupby("indicator"):
        buurt = rows[rows["niveau"] == "buurt"].set_index("gebiedscode")["waarde"]
        wijk = rows[rows["niveau"] == "wijk"].set_index("gebiedscode")["waarde"]
        gm = rows[rows["niveau"] == "gemeente"]["waarde"]
        assert wijk["WK999901"] == buurt[[B1, B2]].sum()
        assert wijk["WK999902"] == buurt[[B3, B4]].sum()
        assert gm.iloc[0] == buurt.sum() == wijk.sum()
    shares = t[t["eenheid"] == "%"]["waarde"].dropna()
    assert ((shares >= 0) & (shares <= 100)).all()
    assert (t.loc[t["onderdrukt"] == 1, "waarde"].isna()).all()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(min_value=0, max_value=45), min_size=4, max_size=4),
       seed=st.integers(min_value=0, max_value=1000))
def test_property_no_suppressed_value_anywhere(sizes, seed):
    rng = np.random.default_rng(seed)
    answers = {b: list(rng.integers(1, 6, size=n)) for b, n in zip(BUURTEN, sizes)}
    t = compute_indicators(_survey_ds(answers))
    assert (t.loc[t["onderdrukt"] == 1, ["waarde", "ci_laag", "ci_hoog"]].isna()).all().all()
    survey = t[t["indicator"] == "cohesie_score"]
    small = survey[pd.to_numeric(survey["n"]) < 30]
    assert (small["onderdrukt"] == 1).all()
    shares = t[t["eenheid"] == "%"]["waarde"].dropna()
    assert ((shares >= 0) & (shares <= 100)).all()


# ----------------------------------------------------------------------------------------------
# Zwolle
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zwolle():
    from analysis.findings import Findings
    from analysis.load.areas import load_areas
    from analysis.load.facilities import load_facilities
    from analysis.load.monitor import load_area_survey

    f = Findings()
    year = 2015
    buurten, wijken, gemeente = load_areas(ZWOLLE / "zwolle_buurten_2015.geojson", f,
                                           ZWOLLE / "zwolle_wijken_2015.geojson")
    schools = load_facilities(ZWOLLE / "zwolle_scholen.geojson", {"component": "onderwijs", "naamkolom": "VESTIGINGSNAAM"},
                              buurten, f, year)
    care = load_facilities(ZWOLLE / "zwolle_zorginstellingen.geojson", {"component": "zorg"}, buurten, f, year)
    facilities = pd.concat([schools, care], ignore_index=True)
    facilities["jaar"] = year
    monitor = load_area_survey(ZWOLLE / "zwolle_buurtmonitor_indicatoren.csv",
                               {"bestand": "zwolle_buurtmonitor_indicatoren.csv", "codekolom": "BU_CODE",
                                "indicatoren": {"b_scoh": "cohesie_score", "b_mivrij": "vrijwilliger_pct"}, "jaar": year},
                               (buurten, wijken), f, year)
    ds = model.Dataset(
        name="Zwolle", year=year, gemeente_code="GM0193", buurten=buurten, wijken=wijken, gemeente=gemeente,
        facilities=gpd.GeoDataFrame(facilities, geometry="geometry", crs=model.CRS_RD),
        associations=model.empty_frame(model.ASSOCIATION_COLUMNS, geometry=True),
        ties=model.empty_frame(model.TIE_COLUMNS), respondents=model.empty_frame(model.RESPONDENT_COLUMNS),
        codebook={}, area_survey=monitor, digital=model.empty_frame(model.DIGITAL_COLUMNS))
    return ds, compute_indicators(ds)


def test_zwolle_all_areas(zwolle):
    ds, t = zwolle
    for level, n in (("buurt", 78), ("wijk", 16)):
        rows = t[t["niveau"] == level]
        for key in ("onderwijs_aantal", "zorg_dekking_pct", "onderwijs_afstand_m", "inwoners", "onderwijs_gat"):
            assert rows.loc[rows["indicator"] == key, "gebiedscode"].nunique() == n, (level, key)
    coh = t[(t["niveau"] == "buurt") & (t["indicator"] == "cohesie_score")]
    assert coh["waarde"].notna().sum() > 50 and coh["n"].isna().all()
    assert (coh["bron"] == "zwolle_buurtmonitor_indicatoren.csv").all()
    idx = t[(t["niveau"] == "buurt") & (t["indicator"] == "cohesie_index")]["waarde"].dropna()
    assert len(idx) > 60
    ranks = t[(t["niveau"] == "wijk") & (t["indicator"] == "prioriteit_rang")]
    # Poort van Zwolle (370 inhabitants, a business park) is below the comparison minimum of 500: 15 ranks
    assert sorted(ranks["waarde"]) == list(range(1, 16))
    assert "WK019320" not in set(ranks["gebiedscode"])
    left = excluded_areas(t, 2015)
    assert left["gebiedscode"].tolist() == ["WK019320"] and "te weinig inwoners" in left["reden"].iloc[0]
    schools = ds.facilities[ds.facilities["component"] == "onderwijs"]
    assert value(t, "GM0193", "onderwijs_aantal", 2015) == schools["buurtcode"].notna().sum()


def test_zwolle_population_per_wijk_matches_cbs(zwolle):
    from analysis.compute.proximity import resident_points

    ds, t = zwolle
    used = resident_points(ds).groupby("wijkcode")["inwoners"].sum()
    cbs = ds.wijken.set_index("gebiedscode")["inwoners"].astype(float)
    for code, inw in cbs.items():
        assert used[code] == pytest.approx(inw, rel=0.01), code
        assert value(t, code, "inwoners", 2015) == inw


# ----------------------------------------------------------------------------------------------
# Minimum population (issue 'figures that hold on a real municipality')
# ----------------------------------------------------------------------------------------------

def test_small_buurten_get_no_published_rate_and_no_rank():
    cells = {B1: ("W1", (0, 0), 40), B2: ("W1", (1000, 0), 250), B3: ("W2", (0, 1000), 3000),
             B4: ("W2", (1000, 1000), 2500)}
    extra = {b: {"p_65_eo": v} for b, v in zip(cells, (40.0, 30.0, 20.0, 10.0))}
    t = compute_indicators(make_ds(buurten=cells, facilities=FACILITIES, buurt_extra=extra))
    # CBS keeps figures of buurten under 50 inhabitants secret: no rate per 1,000, the count stays
    assert value(t, B1, "ontmoeting_aantal") == 1 and math.isnan(value(t, B1, "ontmoeting_per_1000_inw"))
    assert value(t, B2, "ontmoeting_per_1000_inw") == pytest.approx(2 / 250 * 1000)
    ranked = t[(t["indicator"] == "prioriteit_rang") & (t["niveau"] == "buurt")]
    assert sorted(ranked["gebiedscode"]) == [B3, B4]           # 40 and 250 inhabitants: no rank
    left = excluded_areas(t, YEAR, level="buurt")
    assert left["gebiedscode"].tolist() == [B1, B2]
    assert left["reden"].str.startswith("te weinig inwoners voor een vergelijking").all()
    # the publication minimum is a parameter too
    loose = compute_indicators(make_ds(buurten=cells, facilities=FACILITIES),
                               params=IndicatorParams(min_inhabitants_publish=0))
    assert value(loose, B1, "ontmoeting_per_1000_inw") == pytest.approx(1 / 40 * 1000)


# ----------------------------------------------------------------------------------------------
# Informal networks: active initiatives (issue 13)
# ----------------------------------------------------------------------------------------------

def _with_initiatives(ds: model.Dataset, rows: list[tuple[str, int, object, bool]]) -> model.Dataset:
    """``ds`` with a list of initiatives: (buurtcode, startjaar, eindjaar, actief) per row, at the buurt's centre."""
    b = ds.buurten.set_index("gebiedscode")
    frame = pd.DataFrame([{"id": f"I{i}", "naam": f"Initiatief {i}", "soort": "buurtgroep", "startjaar": s,
                           "eindjaar": e, "actief": a, "betrokkenen": 10, "vereniging_id": None,
                           "laatst_gecontroleerd": pd.NaT, "buurtcode": code, "wijkcode": b.loc[code, "wijkcode"]}
                          for i, (code, s, e, a) in enumerate(rows)], columns=list(model.INITIATIVE_COLUMNS))
    points = [b.loc[r[0]].geometry.centroid for r in rows]
    ds.initiatives = gpd.GeoDataFrame(frame, geometry=points, crs=model.CRS_RD)
    ds.sources = {**ds.sources, "initiatieven": "initiatieven.csv"}
    return ds


def test_initiatives_counted_per_area_by_hand():
    cells = {B1: ("W1", (0, 0), 1000), B2: ("W1", (1000, 0), 2000), B3: ("W2", (0, 1000), 40),
             B4: ("W2", (1000, 1000), 1500)}
    ds = _with_initiatives(make_ds(buurten=cells), [
        (B1, 2020, None, True), (B1, 2022, None, True), (B2, 2019, 2021, False),  # B2's ended before 2024
        (B3, 2024, None, True), (B4, 2025, None, True),                            # B4's starts after 2024
    ])
    t = compute_indicators(ds)
    assert value(t, B1, "initiatieven_aantal") == 2 and value(t, B1, "initiatieven_per_1000_inw") == 2.0
    assert value(t, B2, "initiatieven_aantal") == 0 and value(t, B2, "initiatieven_per_1000_inw") == 0.0
    assert value(t, B4, "initiatieven_aantal") == 0
    # 40 inhabitants: the count stays, no rate (the publication minimum, like every rate of the table)
    assert value(t, B3, "initiatieven_aantal") == 1 and math.isnan(value(t, B3, "initiatieven_per_1000_inw"))
    assert value(t, WIJK["W1"], "initiatieven_per_1000_inw") == pytest.approx(2 / 3000 * 1000)
    assert value(t, GM, "initiatieven_aantal") == 3
    assert set(t.loc[t["indicator"] == "initiatieven_aantal", "soort"]) == {"informeel"}


def test_initiatives_only_with_their_source():
    t = compute_indicators(make_ds())
    assert not t["indicator"].astype(str).str.startswith("initiatieven_").any()  # no false zeros
    listed_empty = make_ds()
    listed_empty.sources = {"initiatieven": "initiatieven.csv"}          # the list was given, with no rows
    t = compute_indicators(listed_empty)
    assert value(t, B1, "initiatieven_aantal") == 0 and value(t, GM, "initiatieven_aantal") == 0


def test_initiative_weight_moves_the_table_only_with_initiatives():
    mon = [{"gebiedscode": code, "niveau": "buurt", "jaar": YEAR, "indicator": key, "waarde": v, "n": 100.0,
            "bron": "monitor.csv"}
           for code, vals in zip(BUURTEN, ((20.0, 6.0), (30.0, 7.0), (25.0, 6.5), (28.0, 7.5)))
           for key, v in zip(("vrijwilliger_pct", "cohesie_score"), vals)]
    plain = [compute_indicators(make_ds(area_survey=mon), params=IndicatorParams(initiative_weight=w)) for w in (0.5, 3)]
    pd.testing.assert_frame_equal(plain[0], plain[1], check_exact=True)
    rows = [(B1, 2020, None, True)] * 4 + [(B3, 2020, None, True)]
    tables = [compute_indicators(_with_initiatives(make_ds(area_survey=mon), rows),
                                 params=IndicatorParams(initiative_weight=w)) for w in (0.5, 3)]
    assert value(tables[0], B1, "cohesie_index") < value(tables[1], B1, "cohesie_index")  # B1 has most initiatives
    same = plain[0][plain[0]["indicator"] != "cohesie_index"]
    assert value(tables[0], B1, "vrijwilliger_pct") == value(same, B1, "vrijwilliger_pct")
