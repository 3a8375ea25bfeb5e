"""Tests of the demo's associations and ties (analysis.demo.associations)."""

from __future__ import annotations


def test_association_network_has_clusters_bridges_and_isolates(ds):
    assoc = ds.associations[ds.associations["jaar"] == 2025].set_index("id")
    ties = ds.ties[ds.ties["jaar"] == 2025]
    assert set(ties["soort"]) == {"gedeelde_leden", "gedeeld_bestuur", "samenwerking", "gedeelde_locatie"}
    wijk_van = assoc["wijkcode"].reindex(ties["van"]).to_numpy()
    wijk_naar = assoc["wijkcode"].reindex(ties["naar"]).to_numpy()
    bridges = int((wijk_van != wijk_naar).sum())
    assert 5 <= bridges <= 0.15 * len(ties)
    tied = set(ties["van"]) | set(ties["naar"])
    isolated = set(assoc.index) - tied
    assert 5 <= len(isolated) <= 25
    assert (~assoc["actief"]).sum() >= 1
    assert assoc.geometry.notna().all()


def test_associations_and_ties_of_2024_lie_between_the_endpoints(ds):
    assoc = ds.associations
    ids = {year: set(assoc.loc[assoc["jaar"] == year, "id"]) for year in (2023, 2024, 2025)}
    founded, stopped = ids[2025] - ids[2023], ids[2023] - ids[2025]
    assert founded and stopped
    assert ids[2024] == (ids[2023] | founded) - stopped  # founded in 2024 or stopped after 2023
    members = assoc.pivot_table(index="id", columns="jaar", values="leden").dropna()
    low, high = members[[2023, 2025]].min(axis=1), members[[2023, 2025]].max(axis=1)
    assert ((members[2024] >= low - 1) & (members[2024] <= high + 1)).all()
    ties = ds.ties
    pairs = {year: set(zip(*(ties.loc[ties["jaar"] == year, c] for c in ("van", "naar")))) for year in (2023, 2024, 2025)}
    assert pairs[2023] & pairs[2025] <= pairs[2024] <= pairs[2023] | pairs[2025]
    assert pairs[2024] - pairs[2023] and pairs[2024] - pairs[2025]  # some began, some ended in between
    ends = {a for pair in pairs[2024] for a in pair}
    assert ends <= ids[2024]
