"""Tests for analysis.load.spss: the demo survey as .sav gives exactly the figures of the CSV; labels become codes."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis.findings import Findings
from analysis.load.spss import ScaleChoice, draft_codebook, read_answers, read_spss

pyreadstat = pytest.importorskip("pyreadstat")

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TEXT_COLUMNS = ("respondent", "buurtcode", "leeftijd", "geslacht")


def _codebook() -> dict:
    return tomllib.loads((DEMO / "codeboek.toml").read_text(encoding="utf-8"))


def write_demo_sav(path: Path, compress: bool = False) -> dict[str, list[float]]:
    """The demo's enquete.csv as SPSS: codes as numbers with value labels, 9 as user-missing."""
    raw = pd.read_csv(DEMO / "enquete.csv", dtype=str, keep_default_na=False, na_values=[""])
    codebook = _codebook()
    missing = [float(c) for c in codebook["codeboek"]["ontbrekend"]]
    frame = pd.DataFrame({c: raw[c] if c in TEXT_COLUMNS else pd.to_numeric(raw[c]) for c in raw.columns})
    for c in TEXT_COLUMNS:
        frame[c] = frame[c].fillna("")
    labels, ranges = {}, {}
    for scale in codebook["schalen"].values():
        for item in scale["items"]:
            labels[item] = {float(code): f"antwoord {code}" for code in scale["codes"]} | {9.0: "weet niet"}
            ranges[item] = missing
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels, missing_ranges=ranges, compress=compress,
                         column_labels={"samenhang_1": "De mensen kennen elkaar in deze buurt nauwelijks"})
    return ranges


def test_value_labels_become_codes_and_user_missing_become_missing_codes(tmp_path):
    ranges = write_demo_sav(tmp_path / "enquete.sav")
    survey = read_spss(tmp_path / "enquete.sav")
    assert survey.value_labels["samenhang_1"] == {1.0: "antwoord 1", 2.0: "antwoord 2", 3.0: "antwoord 3",
                                                  4.0: "antwoord 4", 5.0: "antwoord 5", 9.0: "weet niet"}
    assert survey.missing == {k: [9.0] for k in ranges}
    assert survey.variable_labels["samenhang_1"].startswith("De mensen kennen")
    assert set(survey.items()) == set(ranges)
    # The table is text like a CSV: codes without '.0', empty answers missing, 9 kept as its code.
    csv = pd.read_csv(DEMO / "enquete.csv", dtype=str, keep_default_na=False, na_values=[""])
    assert list(survey.table.columns) == list(csv.columns)
    for column in csv.columns:
        left = survey.table[column].astype(object).where(survey.table[column].notna(), None).tolist()
        right = csv[column].astype(object).where(csv[column].notna(), None).tolist()
        assert left == right, column


def test_draft_codebook_lists_items_and_becomes_usable_once_scales_are_named(tmp_path):
    try:
        from analysis.load.codebook import parse_codebook
    except ImportError:  # before the survey code moved into analysis.load
        from analysis.compute.survey import parse_codebook  # type: ignore[no-redef]

    write_demo_sav(tmp_path / "enquete.sav")
    survey = read_spss(tmp_path / "enquete.sav")
    draft = draft_codebook(survey, "Demo-enquête")
    parsed = tomllib.loads(draft)
    assert parsed["codeboek"]["ontbrekend"] == [9]
    assert "schalen" not in parsed and "#   samenhang_1: De mensen kennen elkaar" in draft
    findings = Findings()
    parse_codebook(parsed, findings, "codeboek_concept.toml")
    assert findings.has_errors  # a draft without scales is not usable yet, and says so
    scales = (ScaleChoice("Cohesie", tuple(f"samenhang_{i}" for i in range(1, 6)), "gemiddelde", ("samenhang_1",),
                          "cohesie_score"),)
    complete = tomllib.loads(draft_codebook(survey, "Demo-enquête", scales))
    scale = complete["schalen"]["cohesie"]
    assert scale["codes"] == [1, 2, 3, 4, 5] and scale["ontbrekend"] == [9] and scale["omgekeerd"] == ["samenhang_1"]
    findings = Findings()
    assert parse_codebook(complete, findings)["schalen"]["cohesie"]["indicator"] == "cohesie_score"
    assert not findings.has_errors, [str(f) for f in findings]


@pytest.mark.parametrize("suffix", [".sav", ".zsav"])
def test_survey_from_sav_gives_exactly_the_figures_of_the_csv(tmp_path, suffix, demo_dataset, demo_table):
    from analysis.compute.indicators import compute_indicators
    from analysis.load.dataset import load_dataset

    folder = tmp_path / "demo_sav"
    shutil.copytree(DEMO, folder)
    write_demo_sav(folder / f"enquete{suffix}", compress=suffix == ".zsav")
    (folder / "enquete.csv").unlink()
    manifest = (folder / "dataset.toml").read_text(encoding="utf-8")
    (folder / "dataset.toml").write_text(manifest.replace('enquete = "enquete.csv"', f'enquete = "enquete{suffix}"'),
                                         encoding="utf-8")
    ds = load_dataset(folder)
    assert len(ds.respondents) == len(demo_dataset.respondents) > 1000
    pd.testing.assert_frame_equal(ds.respondents.reset_index(drop=True),
                                  demo_dataset.respondents.reset_index(drop=True))
    table = compute_indicators(ds)
    from analysis.registry import IndicatorKind

    survey_keys = set(demo_dataset.registry.keys_of(IndicatorKind.ENQUETE))
    expected = demo_table[demo_table["indicator"].isin(survey_keys)].reset_index(drop=True)
    got = table[table["indicator"].isin(survey_keys)].reset_index(drop=True)
    assert len(expected) > 100 and expected["waarde"].notna().any()
    pd.testing.assert_frame_equal(got, expected)


def test_read_answers_reads_csv_the_same_way_as_before(tmp_path):
    from analysis.load.files import read_table

    findings = Findings()
    pd.testing.assert_frame_equal(read_answers(DEMO / "enquete.csv", findings), read_table(DEMO / "enquete.csv", Findings()))


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "leeg"),
    (b"$FL2@(#) dit is geen echt SPSS-bestand" + bytes(200), "niet te lezen als SPSS-bestand"),
])
def test_broken_sav_is_a_dutch_error(tmp_path, content, problem):
    from analysis.errors import DatasetError

    path = tmp_path / "enquete.sav"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as error:
        read_spss(path)
    finding = error.value.findings.errors[0]
    assert finding.file == "enquete.sav" and problem in finding.problem and finding.fix
