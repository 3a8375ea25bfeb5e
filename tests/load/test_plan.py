"""Tests for analysis.load.plan: the proposal for a set of files, the checks before loading, findings per file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from analysis.load.dataset import DEMO_DIR
from analysis.load.detect import detect_file, detect_files
from analysis.load.plan import check_plan, plan_problems, propose_plan, safe_file_name, set_kind
from tests.paths import ZWOLLE


def _plan(*names: str):
    return propose_plan([detect_file(ZWOLLE / n) for n in names])


def test_head_from_the_buurten_and_the_wijken_of_their_year():
    plan = _plan("zwolle_wijken_2024.geojson", "zwolle_buurten_2015.geojson", "zwolle_wijken_2015.geojson")
    assert (plan.name, plan.year, plan.gemeente) == ("Zwolle", 2015, "GM0193")
    assert "zwolle_buurten_2015.geojson" in plan.year_reason
    used = {f.name: f.is_source for f in plan.files}
    assert used == {"zwolle_wijken_2024.geojson": False, "zwolle_buurten_2015.geojson": True,
                    "zwolle_wijken_2015.geojson": True}
    note = plan.file("zwolle_wijken_2024.geojson").note
    assert "wijken van 2024" in note and "(zwolle_wijken_2015.geojson) worden gebruikt" in note


def test_problems_before_loading_name_the_file_and_the_fix():
    plan = _plan("zwolle_scholen.geojson")
    problems = plan_problems(plan)
    assert any("er is geen buurtenbestand" in f.problem and f.fix for f in problems.errors)
    plan = _plan("zwolle_buurten_2015.geojson", "zwolle_wijken_2015.geojson", "zwolle_wijken_2024.geojson",
                 "zwolle_scholen.geojson")
    plan.file("zwolle_wijken_2024.geojson").use = True
    plan.file("zwolle_scholen.geojson").component = None
    errors = {f.file: f for f in plan_problems(plan).errors}
    assert "er is al een bestand voor wijken (zwolle_wijken_2015.geojson)" in errors["zwolle_wijken_2024.geojson"].problem
    assert "geen component" in errors["zwolle_scholen.geojson"].problem
    check = check_plan(plan, Path("/nonexistent-never-written"))
    assert not check.usable and check.dataset is None and check.folder is None


def test_monitor_without_a_recognised_column_is_proposed_as_not_used():
    plan = _plan("zwolle_buurten_2015.geojson", "zwolle_bvb_ondersteuningsindex.csv")
    monitor = plan.file("zwolle_bvb_ondersteuningsindex.csv")
    assert not monitor.is_source and "geen kolom herkend" in monitor.note


def test_changing_the_kind_proposes_the_columns_of_that_kind(tmp_path):
    plan = _plan("zwolle_buurten_2015.geojson", "zwolle_scholen.geojson")
    set_kind(plan, "zwolle_scholen.geojson", "verenigingen")
    schools = plan.file("zwolle_scholen.geojson")
    assert schools.kind == "verenigingen" and schools.component is None and schools.columns == {}
    set_kind(plan, "zwolle_scholen.geojson", "voorzieningen")
    assert schools.component == "onderwijs" and schools.columns["naamkolom"] == "VESTIGINGSNAAM"
    set_kind(plan, "zwolle_scholen.geojson", "onbekend")
    assert not schools.is_source
    check = check_plan(plan, tmp_path)
    assert check.usable and len(check.dataset.facilities) == 0


def test_a_bad_row_is_reported_on_its_file_with_the_spreadsheet_row_and_column(tmp_path):
    places = tmp_path / "buurthuizen.csv"
    places.write_text("naam;soort;lat;lon\nDe Schakel;buurthuis;52,51;6,09\nDe Brug;buurthuis;veertig;6,10\n",
                      encoding="utf-8")
    plan = propose_plan([detect_file(ZWOLLE / "zwolle_buurten_2015.geojson"), detect_file(places)])
    assert plan.file("buurthuizen.csv").component == "ontmoeting"
    check = check_plan(plan, tmp_path / "werk")
    assert check.usable  # one bad row is skipped with a warning, the rest loads
    bad = [f for f in check.per_file["buurthuizen.csv"] if f.row == 3]
    assert bad and bad[0].column == "lat" and "veertig" in bad[0].problem and bad[0].fix
    assert len(check.dataset.facilities) == 1


def test_a_broken_file_makes_the_plan_unusable_and_says_where(tmp_path):
    broken = tmp_path / "verenigingen.csv"
    broken.write_text("id;naam;leden;x;y\n1;Club;12;200000;500000\n1;Dubbel;8;200100;500100\n", encoding="utf-8")
    plan = propose_plan([detect_file(ZWOLLE / "zwolle_buurten_2015.geojson"), detect_file(broken)])
    check = check_plan(plan, tmp_path / "werk")
    assert not check.usable and check.dataset is None
    errors = [f for f in check.per_file["verenigingen.csv"] if f.level == "fout"]
    assert [(f.row, f.column) for f in errors] == [(2, "id"), (3, "id")]
    assert all("komt vaker voor" in f.problem and f.fix for f in errors)


def test_a_complete_dataset_among_the_files_is_loaded_as_it_is(tmp_path):
    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in DEMO_DIR.iterdir():
            out.write(path, f"demo/{path.name}")
    extra = tmp_path / "scholen.geojson"
    extra.write_bytes((ZWOLLE / "zwolle_scholen.geojson").read_bytes())
    plan = propose_plan(detect_files([(archive, "demo.zip"), (extra, "scholen.geojson")], tmp_path / "uit"))
    assert plan.complete == archive
    assert not plan.file("scholen.geojson").is_source and "complete dataset" in plan.file("scholen.geojson").note
    check = check_plan(plan, tmp_path / "werk")
    assert check.usable and check.dataset.is_demo


def test_safe_file_names_are_unique():
    taken: set[str] = set()
    assert safe_file_name("Buurten 2015 (CBS).geojson", taken) == "Buurten_2015_CBS.geojson"
    assert safe_file_name("Buurten 2015 (CBS).geojson", taken) == "Buurten_2015_CBS_2.geojson"
    assert safe_file_name("../../etc/passwd", taken) == "passwd"
