"""Tests for analysis.load.amend: a replaced source that fails names the user's file, never the working copy."""

from __future__ import annotations

import json

import pytest

from analysis.load.amend import amend
from analysis.load.dataset import load_dataset
from tests.broken_cases import CASES, prepare


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    case = next(c for c in CASES if c.name == "band_onbekende_vereniging")
    return load_dataset(prepare(case, tmp_path_factory.mktemp("amend")))


def test_a_failing_replacement_names_the_uploaded_file(ds, tmp_path):
    upload = tmp_path / "upload_buurten.geojson"  # how a server saves the upload
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"naam": "x"}, "geometry": {"type": "Point", "coordinates": [180000, 520000]}}]}))
    result = amend(ds, "buurten", tmp_path / "werk", upload, "Mijn buurten.geojson")
    assert not result.usable and result.dataset is None
    errors = [f for f in result.findings if f.level == "fout"]
    assert errors and all(f.file == "Mijn buurten.geojson" for f in errors)
    for finding in [*result.findings, *result.file_findings]:
        text = f"{finding.file} {finding.problem} {finding.fix}"
        assert "upload_buurten" not in text and "nieuw_" not in text, finding


def test_a_failing_replacement_of_a_table_names_the_row_in_the_uploaded_file(ds, tmp_path):
    upload = tmp_path / "upload_verenigingen.csv"
    upload.write_text("id,soort\nV1,sport\n", encoding="utf-8")
    result = amend(ds, "verenigingen", tmp_path / "werk", upload, "clubs 2025.csv")
    missing = [f for f in result.findings if f.level == "fout" and "'naam'" in f.problem]
    assert missing and missing[0].file == "clubs 2025.csv" and missing[0].row == 1
    assert not any("nieuw_" in f.file or "nieuw_" in f.problem for f in result.findings)
