"""Tests for analysis.findings: the Dutch one-line format and the collection helpers."""

from __future__ import annotations

import pytest

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings


def test_full_finding_line():
    finding = Finding("fout", "scholen.csv", "'abc' is geen getal", "schrijf een getal", 12, "lat")
    assert str(finding) == "[FOUT] scholen.csv, rij 12, kolom 'lat': 'abc' is geen getal. Oplossing: schrijf een getal."
    assert finding.location() == "scholen.csv, rij 12, kolom 'lat'"


def test_finding_without_row_column_or_fix():
    assert str(Finding("waarschuwing", "banden.csv", "3 banden overgeslagen")) == \
        "[WAARSCHUWING] banden.csv: 3 banden overgeslagen."
    assert str(Finding("info", "", "demo geladen")) == "[INFO] (dataset): demo geladen."
    assert str(Finding("info", "b.geojson", "x", column="BU_CODE")) == "[INFO] b.geojson, kolom 'BU_CODE': x."
    assert str(Finding("info", "b.geojson", "x", row=1)) == "[INFO] b.geojson, rij 1: x."


def test_findings_collection():
    f = Findings()
    first = f.error("a.csv", "kapot", "repareer", 2, "x")
    f.warning("b.csv", "let op")
    f.info("c.csv", "ter info")
    assert first == Finding("fout", "a.csv", "kapot", "repareer", 2, "x")
    assert len(f) == 3 and f.has_errors
    assert [x.file for x in f.errors] == ["a.csv"] and [x.file for x in f.warnings] == ["b.csv"]
    assert f.lines() == ["[FOUT] a.csv, rij 2, kolom 'x': kapot. Oplossing: repareer.",
                         "[WAARSCHUWING] b.csv: let op.", "[INFO] c.csv: ter info."]
    other = Findings()
    other.extend(f)
    assert [x.level for x in other] == ["fout", "waarschuwing", "info"]
    assert not Findings().has_errors


def test_dataset_error_carries_findings():
    single = DatasetError(Finding("fout", "x.csv", "leeg", "vul het"))
    assert str(single) == "[FOUT] x.csv: leeg. Oplossing: vul het."
    assert len(single.findings) == 1
    several = DatasetError([Finding("fout", "a", "p"), Finding("fout", "b", "q")])
    assert str(several).splitlines() == ["[FOUT] a: p.", "[FOUT] b: q."]
    collection = Findings()
    collection.error("c", "r")
    assert DatasetError(collection).findings is collection
    with pytest.raises(DatasetError, match=r"\[FOUT\] x.csv"):
        raise single


def test_findings_are_immutable():
    finding = Finding("info", "a", "b")
    with pytest.raises(AttributeError):
        finding.row = 3  # type: ignore[misc]


def test_has_errors_is_a_property_that_is_false_without_errors():
    """Issue 8: ``has_errors`` was a method, so ``if findings.has_errors:`` was always true."""
    f = Findings()
    f.warning("a.csv", "iets klein")
    assert f.has_errors is False
    f.error("a.csv", "kapot")
    assert f.has_errors is True
