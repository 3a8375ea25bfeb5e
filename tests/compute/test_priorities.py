"""Tests for analysis.compute.priorities: fixed scales, the minimum population, the gap matrix and 'Waarom hier?'."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.components import COMPONENTS_BY_KEY
from analysis.compute.priorities import (
    PRIORITY_COLUMNS,
    excluded_areas,
    gap_matrix,
    priorities,
    why_here,
)
from analysis.params import IndicatorParams
from tests.compute.test_indicators import YEAR

BUSINESS_PARK = "WK999908"  # Bedrijvenpark De Vaart, 250 inhabitants


def _ranked_table(level: str = "wijk", inwoners: dict[str, float] | None = None) -> pd.DataFrame:
    rows = []
    figures = (("WK1", 120.0, 0.0, 100.0), ("WK2", 100.0, 40.0, 100.0), ("WK3", 90.0, 20.0, 80.0),
               ("WK4", 100.0, 0.0, 108.0))
    for code, need, gaps, coh in figures:
        keys = [("behoefte_index", need), ("gaten_score", gaps), ("cohesie_index", coh)]
        if inwoners and code in inwoners:
            keys.append(("inwoners", inwoners[code]))
        for key, v in keys:
            rows.append({"gebiedscode": code, "gebiedsnaam": code, "niveau": level, "jaar": YEAR,
                         "indicator": key, "waarde": v})
    return pd.DataFrame(rows)


def _weights(need: float, gaps: float, cohesion: float) -> IndicatorParams:
    return IndicatorParams(priority_weights={"behoefte": need, "gaten": gaps, "cohesietekort": cohesion})


def test_priorities_follow_weights_on_fixed_scales():
    """Issue 'figures that hold': points on stated scales, not rescaled from best (0) to worst (100)."""
    table = _ranked_table()
    need_only = priorities(table, YEAR, _weights(1, 0, 0))
    # need points: (index - 100) / 30, nothing below 100: WK1 66.7, the others 0 (ties: lower code first)
    assert need_only["gebiedscode"].tolist() == ["WK1", "WK2", "WK3", "WK4"]
    assert need_only["prioriteit_score"].tolist() == pytest.approx([200 / 3, 0.0, 0.0, 0.0])
    gaps_only = priorities(table, YEAR, _weights(0, 1, 0))
    # the old min-max rescaling gave WK2 100 and WK3 50; now the gap score itself, no tie at 100
    assert gaps_only["gebiedscode"].tolist() == ["WK2", "WK3", "WK1", "WK4"]
    assert gaps_only["prioriteit_score"].tolist() == pytest.approx([40.0, 20.0, 0.0, 0.0])
    equal = priorities(table, YEAR)
    scores = dict(zip(equal["gebiedscode"], equal["prioriteit_score"]))
    assert scores == pytest.approx({"WK1": 200 / 9, "WK2": 40 / 3, "WK3": (20 + 200 / 3) / 3, "WK4": 0.0})
    assert equal["gebiedscode"].tolist() == ["WK3", "WK1", "WK2", "WK4"]
    assert equal["prioriteit_rang"].tolist() == [1, 2, 3, 4]
    row = equal.iloc[0]
    assert row["bijdrage_behoefte"] + row["bijdrage_gaten"] + row["bijdrage_cohesietekort"] == pytest.approx(
        row["prioriteit_score"])
    assert row["cohesietekort"] == pytest.approx(200 / 3)  # index 80: 20 of the 30 points below 100
    assert set(equal.attrs["schalen"]) == {"behoefte", "gaten", "cohesietekort"}
    assert equal.attrs["schalen"]["gaten"].startswith("0 = geen tekort, 100 = ")
    with pytest.raises(ValueError, match="Onbekend gewicht"):
        priorities(table, YEAR, IndicatorParams(priority_weights={"armoede": 1.0}))


def test_cohesion_above_average_gives_no_deficit_points():
    ranked = priorities(_ranked_table(), YEAR).set_index("gebiedscode")
    assert ranked.loc["WK4", "cohesie_index"] == 108.0
    assert ranked.loc["WK4", "cohesietekort"] == 0.0 and ranked.loc["WK4", "bijdrage_cohesietekort"] == 0.0
    assert ranked.loc["WK1", "cohesietekort"] == 0.0  # exactly average is no deficit either


def test_an_area_of_250_inhabitants_gets_no_rank_but_a_reason():
    table = _ranked_table("buurt", {"WK1": 250.0, "WK2": 4000.0, "WK3": 499.0, "WK4": 500.0})
    ranked = priorities(table, YEAR, level="buurt").set_index("gebiedscode")
    assert pd.isna(ranked.loc["WK1", "prioriteit_rang"]) and pd.isna(ranked.loc["WK1", "prioriteit_score"])
    assert ranked.loc["WK1", "reden"].startswith("te weinig inwoners voor een vergelijking (250 inwoners")
    assert pd.isna(ranked.loc["WK3", "prioriteit_rang"])  # 499 is below the minimum of 500
    assert ranked.loc["WK2", "prioriteit_rang"] == 1 and ranked.loc["WK4", "prioriteit_rang"] == 2
    assert ranked.loc["WK2", "reden"] == ""
    left = excluded_areas(table, YEAR, level="buurt")
    assert left["gebiedscode"].tolist() == ["WK1", "WK3"] and left["inwoners"].tolist() == [250.0, 499.0]
    # the minimum is a parameter
    assert priorities(table, YEAR, IndicatorParams(min_inhabitants=200), "buurt")["prioriteit_rang"].notna().all()


def test_why_here_names_the_figures_and_their_scales():
    table = _ranked_table("wijk", {"WK1": 250.0, "WK2": 4000.0, "WK3": 3000.0, "WK4": 5000.0})
    lines = why_here(table, "WK3", YEAR)
    assert lines[0] == "Plaats 1 van 3, score 29 van 100."
    assert lines[1].startswith("Tekort aan samenhang: 22 punten in de score (67 op de schaal 0 = samenhang")
    assert any(line.startswith("Behoefte: 0 punten") for line in lines)
    assert why_here(table, "WK1", YEAR) == [
        "Dit gebied krijgt geen plaats in de rangorde: te weinig inwoners voor een vergelijking (250 inwoners, "
        "minimaal 500)."]
    assert why_here(table, "WK9", YEAR) == ["Voor dit gebied zijn er geen cijfers in dit jaar."]


def test_priorities_output_columns_and_empty_table():
    assert list(priorities(_ranked_table(), YEAR).columns) == list(PRIORITY_COLUMNS)
    assert list(priorities(_ranked_table().iloc[:0], YEAR).columns) == list(PRIORITY_COLUMNS)
    with pytest.raises(ValueError, match="niet voor niveau 'gemeente'"):
        priorities(_ranked_table(), YEAR, level="gemeente")


# ----------------------------------------------------------------------------------------------
# The demo municipality (issue 'figures that hold on a real municipality')
# ----------------------------------------------------------------------------------------------

def test_demo_business_park_is_not_ranked(demo_dataset, demo_table):
    ranked = priorities(demo_table, demo_dataset.year).set_index("gebiedscode")
    assert pd.isna(ranked.loc[BUSINESS_PARK, "prioriteit_rang"])     # was rank 2 of 10
    assert ranked.loc[BUSINESS_PARK, "reden"].startswith("te weinig inwoners voor een vergelijking (250 inwoners")
    assert sorted(ranked["prioriteit_rang"].dropna()) == list(range(1, len(demo_dataset.wijken)))
    left = excluded_areas(demo_table, demo_dataset.year)
    assert left["gebiedscode"].tolist() == [BUSINESS_PARK]
    rows = demo_table[(demo_table["indicator"] == "prioriteit_rang") & (demo_table["gebiedscode"] == BUSINESS_PARK)]
    assert rows.empty


def test_demo_above_average_cohesion_gives_no_deficit_points(demo_dataset, demo_table):
    ranked = priorities(demo_table, demo_dataset.year)
    high = ranked[ranked["cohesie_index"] >= 100]
    assert len(high) >= 3 and (high["cohesietekort"] == 0).all()
    low = ranked[ranked["cohesie_index"] < 100]
    assert low["cohesietekort"].tolist() == pytest.approx(((100 - low["cohesie_index"]) / 30 * 100).tolist())


def test_demo_gaps_only_gives_no_ties_at_100(demo_dataset, demo_table):
    only = priorities(demo_table, demo_dataset.year,
                      IndicatorParams(priority_weights={"behoefte": 0, "gaten": 1, "cohesietekort": 0}))
    scores = only["prioriteit_score"].dropna()
    assert scores.max() < 100 and scores.round(6).nunique() >= len(scores) - 1
    assert scores.tolist() == pytest.approx(only.dropna(subset=["prioriteit_score"])["gaten"].tolist())


def test_demo_gap_matrix_is_no_longer_short_almost_everywhere(demo_dataset, demo_table):
    matrix = gap_matrix(demo_table, demo_dataset.year)
    n = len(matrix)
    short = {key: int(matrix[key].fillna(0).sum()) for key in COMPONENTS_BY_KEY}
    # A component short in (almost) every wijk is only acceptable when a published norm says so, not a choice.
    for key, count in short.items():
        if count >= n - 1:
            assert not COMPONENTS_BY_KEY[key].norm_source.startswith("Eigen keuze"), (key, short)
    assert sum(short.values()) < 0.5 * n * len(short), short


def test_a_year_without_the_composites_of_the_other_years_gets_no_ranking(demo_table):
    """A year whose cohesion index and gaps were left out (its sources were not all measured) is not ranked
    on need alone; the other years rank as before."""
    from analysis.compute.priorities import priorities

    lacking = demo_table[~((demo_table["jaar"] == 2024)
                           & demo_table["indicator"].isin(["cohesie_index", "gaten_aantal"]))]
    ranked = priorities(lacking, 2024)
    assert ranked["prioriteit_rang"].isna().all()
    small = ranked["inwoners"] < 500  # the business park keeps its own reason
    assert ranked.loc[~small, "reden"].str.contains("geen rangorde in 2024: de cohesie-index en de tekorten "
                                                    "ontbreken").all() and (~small).sum() >= 9
    before, after = priorities(demo_table, 2025), priorities(lacking, 2025)
    assert before["prioriteit_rang"].fillna(-1).tolist() == after["prioriteit_rang"].fillna(-1).tolist()
    assert priorities(demo_table, 2024)["prioriteit_rang"].notna().sum() >= 9  # the full demo ranks 2024
