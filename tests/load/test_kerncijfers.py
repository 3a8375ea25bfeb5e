"""Tests for analysis.load.kerncijfers: a StatLine table, Zwolle's yearly buurt figures and the national table."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from analysis.errors import DatasetError
from analysis.findings import Findings
from analysis.load import dataset, kerncijfers
from analysis.model import AREA_FIGURE_COLUMNS
from tests.paths import ZWOLLE, shared_file

SERIES = ZWOLLE / "zwolle_buurtcijfers_2015_2024.csv"
SERIES_YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2023, 2024]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def statline(path: Path) -> Path:
    """A small StatLine export: padded codes and names, counts for age groups, StatLine's column numbers."""
    return write(path, (
        "WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5,k_0Tot15Jaar_8,k_15Tot25Jaar_9,"
        "k_25Tot45Jaar_10,k_45Tot65Jaar_11,k_65JaarOfOuder_12,HuishoudensTotaal_29,MateVanStedelijkheid_122\n"
        "BU99990101  ,Kapotstad        ,Buurt     ,BU99990101  ,1000,100,150,300,250,200,450,2\n"
        "BU99990102  ,Kapotstad        ,Buurt     ,BU99990102  ,500,50,50,100,150,150,250,2\n"
        "BU12340101  ,Elders           ,Buurt     ,BU12340101  ,800,80,80,240,200,200,400,4\n"))


def test_statline_table_counts_become_percentages(tmp_path):
    f = Findings()
    table = kerncijfers.read_kerncijfers(statline(tmp_path / "kwb.csv"), f, gemeente="GM9999", default_year=2024)
    assert list(table.columns) == list(AREA_FIGURE_COLUMNS)
    rows = table.set_index("gebiedscode")
    assert list(rows.index) == ["BU99990101", "BU99990102"]          # codes stripped, the other gemeente left out
    assert rows.loc["BU99990101", "inwoners"] == 1000
    assert rows.loc["BU99990101", "p_65_eo"] == pytest.approx(20.0)    # 200 of 1,000 persons
    assert rows.loc["BU99990102", "p_00_14"] == pytest.approx(10.0)
    assert rows.loc["BU99990101", "huishoudens"] == 450                 # HuishoudensTotaal_29 (was _28 a year before)
    assert (table["jaar"] == 2024).all() and (table["niveau"] == "buurt").all()
    assert any("1 rij van andere gemeenten dan GM9999 is overgeslagen" in x.problem for x in f)
    assert any("MateVanStedelijkheid_122" in x.problem and "niet gebruikt" in x.problem for x in f)
    assert not f.warnings


def test_impossible_population_values_are_named_and_never_numbers(tmp_path):
    text = ("buurtcode;inwoners;inwoners_65plus\nBU99990101;-40;10\nBU99990102;NaN;5\nBU99990103;inf;7\n"
            "BU99990104;300;20\n")
    f = Findings()
    table = kerncijfers.read_kerncijfers(write(tmp_path / "k.csv", text), f, default_year=2025)
    people = table.set_index("gebiedscode")["inwoners"]
    assert math.isnan(people["BU99990101"]) and math.isnan(people["BU99990102"]) and math.isnan(people["BU99990103"])
    assert people["BU99990104"] == 300
    found = {(x.row, x.column): x.problem for x in f.warnings}
    assert "'-40'" in found[2, "inwoners"] and "niet negatief" in found[2, "inwoners"]
    assert "'NaN' is geen getal" in found[3, "inwoners"] and "'inf' is geen getal" in found[4, "inwoners"]


def test_a_table_without_code_column_or_year(tmp_path):
    with pytest.raises(DatasetError, match="geen kolom met buurt- of wijkcodes"):
        kerncijfers.read_kerncijfers(write(tmp_path / "k.csv", "naam;inwoners\nA;1\n"), Findings(), default_year=2025)
    with pytest.raises(DatasetError, match="geen kolom jaar"):
        kerncijfers.read_kerncijfers(write(tmp_path / "k.csv", "buurtcode;inwoners\nBU99990101;1\n"), Findings())


@pytest.fixture(scope="module")
def zwolle_series(tmp_path_factory) -> dataset.Dataset:
    folder = tmp_path_factory.mktemp("zwolle_reeks")
    for name in ("zwolle_buurten_2015.geojson", "zwolle_wijken_2015.geojson", SERIES.name,
                 "zwolle_buurtmonitor_indicatoren.csv"):
        shutil.copyfile(ZWOLLE / name, folder / name)
    write(folder / "dataset.toml", f"""[dataset]
naam = "Zwolle, reeks"
jaar = 2015
gemeente = "GM0193"

[bronnen]
buurten = "zwolle_buurten_2015.geojson"
wijken = "zwolle_wijken_2015.geojson"
kerncijfers = "{SERIES.name}"

[[enquete_gebied]]
bestand = "zwolle_buurtmonitor_indicatoren.csv"
codekolom = "BU_CODE"
jaar = 2014
indicatoren = {{ b_scoh = "cohesie_score" }}
""")
    return dataset.load_dataset(folder)


def test_zwolle_nine_years_of_buurt_figures(zwolle_series):
    figures = zwolle_series.area_figures
    buurt = figures[figures["niveau"] == "buurt"]
    assert sorted(buurt["jaar"].unique()) == SERIES_YEARS            # no 2022 in the file
    assert buurt.groupby("jaar").size().eq(78).all()
    totals = buurt.groupby("jaar")["inwoners"].sum()
    # SOURCE.md: 123,856 (2015), 127,487 (2019) and 132,829 (2024) inhabitants
    assert (totals[2015], totals[2019], totals[2024]) == (123_856, 127_487, 132_829)
    wijk = figures[figures["niveau"] == "wijk"]
    assert wijk.groupby("jaar").size().eq(16).all() and (wijk["bron"] == kerncijfers.DERIVED).all()
    assert wijk.groupby("jaar")["inwoners"].sum()[2019] == 127_487
    assert buurt["woningen"].notna().any()


def test_zwolle_every_year_uses_its_own_population(zwolle_series):
    ds = zwolle_series
    assert ds.buurten["inwoners"].sum() == 123_856                    # the table's 2015 figures, joined
    assert ds.wijken["inwoners"].sum() == 123_856 and ds.gemeente["inwoners"].iloc[0] == 123_856
    for year, total in ((2019, 127_487), (2024, 132_829)):
        for level in ("buurt", "wijk", "gemeente"):
            areas = ds.areas_in_year(level, year)
            assert areas.attrs["cijferjaar"] == year and areas["inwoners"].sum() == total, (level, year)
    gap = ds.areas_in_year("buurt", 2022)                             # no 2022: the latest earlier year
    assert gap.attrs["cijferjaar"] == 2021
    assert gap["inwoners"].sum() == ds.area_figures.query("niveau == 'buurt' and jaar == 2021")["inwoners"].sum()
    before = ds.areas_in_year("buurt", 2014)                          # before the table: the measurement year's
    assert before.attrs["cijferjaar"] == 2015 and before["inwoners"].sum() == 123_856
    # 65+ as a share of each year's population; a column the table lacks keeps the 2015 values
    share = ds.areas_in_year("buurt", 2024).set_index("gebiedscode")
    row = ds.area_figures.query("niveau == 'buurt' and jaar == 2024").set_index("gebiedscode").loc["BU01932230"]
    assert share.loc["BU01932230", "p_65_eo"] == pytest.approx(row["p_65_eo"])
    assert share["huishoudens"].equals(ds.buurten.set_index("gebiedscode")["huishoudens"])


def test_geometry_without_figures_gets_them_from_the_table(tmp_path):
    doc = json.loads((ZWOLLE / "zwolle_buurten_2015.geojson").read_text(encoding="utf-8"))
    for feature in doc["features"]:
        feature["properties"] = {k: feature["properties"][k] for k in ("BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE", "GM_NAAM")}
    write(tmp_path / "kaart.geojson", json.dumps(doc))
    shutil.copyfile(SERIES, tmp_path / SERIES.name)
    write(tmp_path / "dataset.toml", f'[dataset]\nnaam = "Z"\njaar = 2024\n\n[bronnen]\nbuurten = "kaart.geojson"\n'
                                      f'kerncijfers = "{SERIES.name}"\n')
    ds = dataset.load_dataset(tmp_path)
    assert ds.buurten["inwoners"].sum() == 132_829 and ds.wijken["inwoners"].sum() == 132_829
    assert ds.sources["kerncijfers"] == SERIES.name


def test_the_national_statline_table_for_amsterdam():
    f = Findings()
    table = kerncijfers.read_kerncijfers(shared_file("nl", "cbs_kwb_2024_buurten.csv"), f, gemeente="GM0363",
                                         default_year=2024)
    assert len(table) == 476                                          # SOURCE.md: 476 Amsterdam buurten
    assert table["gebiedscode"].str.fullmatch(r"BU0363[0-9A-Z]{4}").all()
    assert table["gebiedscode"].str.contains(r"[A-Z]", regex=True).any()   # letters: BU0363AF09 and the like
    assert table["inwoners"].sum() > 800_000
    ages = table[["p_00_14", "p_15_24", "p_25_44", "p_45_64", "p_65_eo"]].sum(axis=1)
    big = table["inwoners"] >= 500
    assert ages[big].between(95, 105).all()                           # counts turned into shares of the population


def test_indicators_of_each_year_use_that_years_inhabitants(zwolle_series):
    from analysis.compute.indicators import compute_indicators

    table = compute_indicators(zwolle_series, years=[2015, 2019], levels=["gemeente"])
    people = table[table["indicator"] == "inwoners"].set_index("jaar")["waarde"]
    assert (people[2015], people[2019]) == (123_856, 127_487)
