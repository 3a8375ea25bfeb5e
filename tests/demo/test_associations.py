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
