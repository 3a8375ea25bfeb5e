"""Tests for analysis.load.isolated: the same dataset through a child process, and limits that protect the parent."""

from __future__ import annotations

import os
import time

import pandas as pd
import pytest

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings
from analysis.load import isolated
from analysis.load.dataset import load_dataset
from tests.broken_cases import CASES, prepare


def _allocate_gigabytes(gigabytes: int) -> int:
    """A loader gone wrong: keeps allocating (and touching) memory."""
    blocks = [bytearray(2**30) for _ in range(gigabytes)]
    return len(blocks)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "klaar"


def _raise_dataset_error() -> None:
    raise DatasetError(Finding("fout", "x.csv", "kapot", "repareer", 3, "naam"))


def _swallowing_loader() -> None:
    """A loader that turns its MemoryError into a finding, as the project's catch-alls do."""
    try:
        bytearray(64 * 2**30)
    except MemoryError as exc:
        raise DatasetError(Finding("fout", "groot.csv", f"het bestand is niet te lezen ({type(exc).__name__}: )",
                                   "?")) from exc


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    case = next(c for c in CASES if c.name == "band_onbekende_vereniging")
    return prepare(case, tmp_path_factory.mktemp("isolated"))


def test_a_tiny_dataset_loads_identically_isolated(tiny):
    direct_findings, isolated_findings = Findings(), Findings()
    direct = load_dataset(tiny, direct_findings)
    through = isolated.load_isolated(tiny, findings=isolated_findings)
    assert isolated_findings.items == direct_findings.items and direct_findings.items
    for name in ("buurten", "wijken", "gemeente", "associations", "ties", "facilities"):
        pd.testing.assert_frame_equal(getattr(through, name), getattr(direct, name), check_like=False)
    assert (through.name, through.year, through.gemeente_code, through.sources) == \
        (direct.name, direct.year, direct.gemeente_code, direct.sources)


def test_the_dataset_error_of_a_broken_dataset_comes_back(tmp_path):
    case = next(c for c in CASES if c.name == "ontbrekende_kolom")
    findings = Findings()
    with pytest.raises(DatasetError) as caught:
        isolated.load_isolated(prepare(case, tmp_path), findings=findings)
    errors = [f for f in caught.value.findings if f.level == "fout"]
    assert errors and errors[0].file == "verenigingen.csv" and errors[0].column == "naam"
    assert findings.has_errors


def test_a_loader_past_the_memory_limit_gives_the_dutch_finding_and_the_parent_survives():
    parent_pid = os.getpid()
    with pytest.raises(DatasetError) as caught:
        isolated.run_isolated(_allocate_gigabytes, 8, file="bom.zip", memory_mb=1536, timeout_s=60)
    (finding,) = list(caught.value.findings)
    assert finding.file == "bom.zip" and finding.problem.startswith("te groot:") and "1.536 MB" in finding.problem
    assert "splits het bestand" in finding.fix
    assert os.getpid() == parent_pid
    assert isolated.run_isolated(_sleep, 0.0, file="x", timeout_s=30) == "klaar"  # and can load again


def test_a_caught_memory_error_also_becomes_te_groot():
    with pytest.raises(DatasetError, match="te groot"):
        isolated.run_isolated(_swallowing_loader, file="groot.csv", memory_mb=1536, timeout_s=60)


def test_a_loader_past_the_time_limit_is_stopped():
    started = time.monotonic()
    with pytest.raises(DatasetError) as caught:
        isolated.run_isolated(_sleep, 60.0, file="traag.csv", timeout_s=2)
    (finding,) = list(caught.value.findings)
    assert finding.problem.startswith("te traag:") and finding.file == "traag.csv"
    assert time.monotonic() - started < 20


def test_a_dataset_error_in_the_child_keeps_its_row_and_column():
    with pytest.raises(DatasetError) as caught:
        isolated.run_isolated(_raise_dataset_error, file="x.csv")
    (finding,) = list(caught.value.findings)
    assert (finding.file, finding.row, finding.column, finding.problem) == ("x.csv", 3, "naam", "kapot")


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv(isolated.MEMORY_ENV, "2048")
    monkeypatch.setenv(isolated.TIMEOUT_ENV, "30")
    assert isolated.limits() == (2048, 30.0)
    monkeypatch.delenv(isolated.MEMORY_ENV)
    assert isolated.limits()[0] == isolated.DEFAULT_MEMORY_MB


def _unpack_and_hang(seconds: float) -> str:
    """A loader killed halfway through unpacking: its temporary file is left for the parent to remove."""
    import tempfile
    from pathlib import Path

    scratch = Path(tempfile.mkdtemp(prefix="wijkweefsel-"))
    (scratch / "uitgepakt.csv").write_bytes(b"x" * 2**20)
    time.sleep(seconds)
    return str(scratch)


def test_a_killed_child_leaves_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # as the server's process folder
    with pytest.raises(DatasetError, match="te traag"):
        isolated.run_isolated(_unpack_and_hang, 60.0, file="groot.zip", timeout_s=3)
    assert list(tmp_path.iterdir()) == []
    used = isolated.run_isolated(_unpack_and_hang, 0.0, file="klein.zip")
    assert used.startswith(str(tmp_path)) and list(tmp_path.iterdir()) == []
