"""Tests of the input templates (analysis.demo.templates)."""

from __future__ import annotations

import csv

from analysis.compute import routing
from analysis.demo import write_templates
from analysis.demo.municipality import TEMPLATES_DIR
from analysis.findings import Findings
from analysis.load import dataset


def test_regenerating_the_templates_is_byte_identical(tmp_path, same_tree):
    same_tree(write_templates(tmp_path / "templates"), TEMPLATES_DIR)


def test_templates_load_and_explain_every_file():
    findings = Findings()
    loaded = dataset.load_dataset(TEMPLATES_DIR, findings)
    assert not findings.errors and not findings.warnings, findings.lines()
    assert len(loaded.buurten) == 2 and len(loaded.associations) == 3 and len(loaded.ties) == 3
    assert set(loaded.facilities["component"]) == {"ontmoeting", "zorg", "sport", "openbare_ruimte"}
    # the shop is an address but not a dwelling; the four streets meet at one junction
    assert len(loaded.addresses) == 2 and loaded.addresses["aantal"].sum() == 25
    assert len(loaded.roads) == 4 and routing.build_graph(loaded.roads.geometry.to_numpy()).n_pieces == 1
    # the wijkplan, the informal layer and the notes load too; every example row is kept
    assert (len(loaded.plan), len(loaded.measures), len(loaded.initiatives), len(loaded.notes)) == (2, 2, 3, 2)
    assert loaded.measures["startjaar"].tolist() == [2024, 2024]
    assert loaded.initiatives["laatst_gecontroleerd"].notna().sum() == 2
    assert loaded.facilities["laatst_gecontroleerd"].notna().sum() == 2
    assert loaded.associations["laatst_gecontroleerd"].notna().sum() == 2
    readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    for path in TEMPLATES_DIR.iterdir():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8")
            rows = list(csv.reader(text.splitlines(), delimiter=";" if ";" in text.splitlines()[0] else ","))
            assert 2 <= len(rows) - 1 <= 3, path.name
        if path.name != "README.md":
            assert path.name in readme, f"README.md explains {path.name}"
