"""Tests for analysis.compute.informal: counts and rates per area by hand, freshness, signals."""

from __future__ import annotations

import math

import pandas as pd

from analysis.compute import informal


def _initiatives() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["I1", "I2", "I3", "I4"], "buurtcode": ["B1", "B1", "B2", "B3"], "wijkcode": ["W1", "W1", "W1", "W2"],
        "startjaar": [2020, 2024, 2020, 2020], "eindjaar": [pd.NA, pd.NA, 2023, pd.NA], "actief": [True, False, False, True],
        "laatst_gecontroleerd": pd.to_datetime(["2025-06-01", "2023-01-01", None, "2025-01-15"]),
    })


def _areas() -> dict[str, pd.DataFrame]:
    return {"buurt": pd.DataFrame({"gebiedscode": ["B1", "B2", "B3"], "inwoners": [2000.0, 1000.0, 300.0]}),
            "wijk": pd.DataFrame({"gebiedscode": ["W1", "W2"], "inwoners": [3000.0, 300.0]}),
            "gemeente": pd.DataFrame({"gebiedscode": ["GM1"], "inwoners": [3300.0]})}


def test_counts_and_rates_by_hand():
    rows = informal.initiative_rows(_initiatives(), _areas(), 2025, 2025, min_inhabitants=500)
    v = rows.set_index(["gebiedscode", "indicator"])["waarde"]
    # 2025 (latest): I1 (active), I4 (active); I2 not active any more; I3 ended in 2023
    assert v[("B1", "initiatieven_aantal")] == 1 and v[("B2", "initiatieven_aantal")] == 0
    assert v[("W1", "initiatieven_aantal")] == 1 and v[("GM1", "initiatieven_aantal")] == 2
    assert v[("B1", "initiatieven_per_1000_inw")] == 0.5
    assert math.isnan(v[("B3", "initiatieven_per_1000_inw")])  # 300 inhabitants: below the minimum
    earlier = informal.initiative_rows(_initiatives(), _areas(), 2023, 2025, 500).set_index(["gebiedscode", "indicator"])
    assert earlier.loc[("W1", "initiatieven_aantal"), "waarde"] == 2  # I1 and I3 (I2 started 2024)


def test_share_checked_in_the_last_twelve_months():
    out = informal.checked_share([_initiatives()], ["W1", "W2", "W3"], pd.Timestamp("2025-09-01")).set_index("wijkcode")
    assert out.loc["W1", "vermeldingen"] == 3 and out.loc["W1", "gecontroleerd"] == 2
    assert math.isclose(out.loc["W1", "recent_pct"], 100 / 3)
    assert out.loc["W2", "recent_pct"] == 100.0 and math.isnan(out.loc["W3", "recent_pct"])
    assert list(informal.stale(_initiatives(), pd.Timestamp("2025-09-01"))) == [False, True, True, False]


def test_signals_where_notes_and_figures_disagree():
    notes = pd.DataFrame({"gebiedscode": ["W1", "W1", "W2"],
                          "tekst": ["Veel mensen voelen zich eenzaam", "eenzaamheid bij ouderen", "iedereen kent elkaar"]})
    table = pd.DataFrame({"gebiedscode": ["W1", "W2", "GM1"], "jaar": 2025, "indicator": "eenzaam_pct",
                          "waarde": [40.0, 50.0, 45.0]})
    out = informal.signals(notes, table, 2025, "GM1")
    assert list(out["gebiedscode"]) == ["W1"] and out.loc[0, "notities"] == 2 and out.loc[0, "thema"] == "eenzaamheid"
    worse = informal.signals(notes, table.assign(waarde=[50.0, 50.0, 45.0]), 2025, "GM1")
    assert worse.empty


def test_notice_when_informal_networks_are_missing(demo_dataset):
    import dataclasses

    bare = dataclasses.replace(demo_dataset, sources={k: v for k, v in demo_dataset.sources.items()
                                                      if not k.startswith("initiatieven")})
    text = informal.informal_notice(bare)
    assert text is not None and text.startswith("Alleen formele voorzieningen: informele netwerken ontbreken.")
    assert "overschat" in text and "[bronnen]" in text
    assert informal.informal_notice(bare, short=True) == "Alleen formele voorzieningen: informele netwerken ontbreken."
    listed = dataclasses.replace(bare, sources={**bare.sources, "initiatieven": "initiatieven.csv"})
    assert informal.informal_notice(listed) is None and informal.has_initiatives(listed)
    assert not informal.has_initiatives(bare)


def test_wijk_informal_on_the_demo_matches_the_sources(demo_dataset, demo_table):
    ds = demo_dataset
    year = max(ds.years())
    counts = {}
    for code in ds.wijken["gebiedscode"].astype(str):
        view = informal.wijk_informal(ds, demo_table, code, year)
        table_count = demo_table[(demo_table["gebiedscode"] == code) & (demo_table["jaar"] == year)
                                 & (demo_table["indicator"] == "initiatieven_aantal")]["waarde"]
        assert len(view.initiatives) == int(table_count.iloc[0])  # the page's list is the figure's list
        assert view.notice is None
        in_wijk = set(ds.buurten.loc[ds.buurten["wijkcode"] == code, "gebiedscode"]) | {code}
        assert len(view.notes) == int(ds.notes["gebiedscode"].isin(in_wijk).sum())
        dates = pd.to_datetime(view.notes["datum"], errors="coerce")
        assert dates.dropna().is_monotonic_decreasing
        people = view.initiatives["betrokkenen"].dropna()
        assert people.is_monotonic_decreasing
        counts[code] = len(view.initiatives)
    # the demo's weakest-cohesion wijk has few initiatives, most wijken have several
    assert sum(c >= 3 for c in counts.values()) >= 6
    assert any(informal.wijk_informal(ds, demo_table, c, year).initiatives["verouderd"].any() for c in counts)


def test_wijk_informal_without_a_list_says_so(demo_dataset, demo_table):
    import dataclasses

    from analysis.model import INITIATIVE_COLUMNS, empty_frame

    ds = dataclasses.replace(demo_dataset, initiatives=empty_frame(INITIATIVE_COLUMNS, geometry=True),
                             sources={k: v for k, v in demo_dataset.sources.items() if k != "initiatieven"})
    code = str(ds.wijken["gebiedscode"].iloc[0])
    view = informal.wijk_informal(ds, demo_table, code, max(ds.years()))
    assert view.initiatives.empty
    assert view.notice and "informele netwerken ontbreken" in view.notice
