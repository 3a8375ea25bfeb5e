"""Tests for analysis.render.export: safe file names, every file of the batch export, the index page, the ZIP."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from urllib.parse import unquote

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis.compute import indicators
from analysis.errors import DatasetError
from analysis.render import export
from analysis.render.tables import is_formula_risk
from tests.render.exportdata import FORMULA, WIJKEN, make_dataset


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def table(ds) -> pd.DataFrame:
    return indicators.compute_indicators(ds)


@pytest.fixture(scope="module")
def exported(ds, table, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    calls = []
    files = export.export_all(ds, table, out, progress=lambda f, m: calls.append((f, m)))
    return out, files, calls


# ----------------------------------------------------------------------------------------------
# file names
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("WK034401_Binnenstad", "WK034401_Binnenstad"),
    ("WK034401 Oud-Zuid / Noord", "WK034401_Oud-Zuid_Noord"),
    ('a<b>c:d"e|f?g*h\\i', "a_b_c_d_e_f_g_h_i"),
    ("Één wijk", "Een_wijk"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("Lpt9", "_Lpt9"),
    ("COM1.png", "_COM1.png"),
    ("CONTROLE", "CONTROLE"),
    ("Naam. . ", "Naam"),
    ("", "_"),
    ("...", "_"),
    ("tab\tnew\nline", "tab_new_line"),
])
def test_safe_filename_cases(name, expected):
    assert export.safe_filename(name) == expected


def test_safe_filename_length_and_trailing_dot():
    long = "WK1_" + "a" * 300
    assert len(export.safe_filename(long)) == export.MAX_FILENAME_LENGTH
    assert export.safe_filename("abc.def", max_length=4) == "abc"   # cut to "abc." then trailing dot removed


# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# batch
# ----------------------------------------------------------------------------------------------


def test_export_all_writes_every_file(exported, ds):
    out, files, calls = exported
    names = {p.relative_to(out).as_posix() for p in files}
    for code, name in WIJKEN.items():
        stem = export.safe_filename(f"{code}_{name}")
        for suffix in (".png", ".csv", "_excel.csv"):
            assert f"wijkprofielen/{stem}{suffix}" in names
    for stem in ("indicatoren_buurt", "indicatoren_wijk", "indicatoren_gemeente", "prioriteiten", "voorzieningen",
                 "verenigingen"):
        assert f"{stem}.csv" in names and f"{stem}_excel.csv" in names
    assert {"indicatoren.xlsx", "netwerk.gexf", "netwerk.graphml", "gebieden.gpkg", "index.html"} <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in files)
    assert all(re.fullmatch(r"[A-Za-z0-9._()/-]+", n) for n in names)
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert calls[0][1].startswith("Wijkprofiel 1 van 3")


def test_export_all_priorities_have_contributions(exported, table):
    out, _, _ = exported
    ranking = pd.read_csv(out / "prioriteiten.csv")
    assert {"bijdrage_behoefte", "bijdrage_gaten", "bijdrage_cohesietekort"} <= set(ranking.columns)
    scored = ranking.dropna(subset=["prioriteit_score"])
    assert len(scored)
    np.testing.assert_allclose(scored[["bijdrage_behoefte", "bijdrage_gaten", "bijdrage_cohesietekort"]]
                               .sum(axis=1, min_count=1), scored["prioriteit_score"], atol=1e-9)
    readable = pd.read_csv(out / "prioriteiten_excel.csv", sep=";", decimal=",", encoding="utf-8-sig")
    np.testing.assert_allclose(readable["prioriteit_score"], ranking["prioriteit_score"].round(0), equal_nan=True)
    wijk = pd.read_csv(out / "indicatoren_wijk.csv")
    assert set(wijk["niveau"]) == {"wijk"} and len(wijk) == (table["niveau"] == "wijk").sum()


def test_export_all_neutralises_facility_and_association_names(exported):
    out, _, _ = exported
    for stem in ("voorzieningen", "verenigingen"):
        text = (out / f"{stem}_excel.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        header = rows[0]
        names = [row[header.index("naam")] for row in rows[1:]]
        assert "'" + FORMULA in names
        assert not any(is_formula_risk(cell) for row in rows for cell in row)
    fac = pd.read_csv(out / "voorzieningen.csv")
    assert "'@Sporthal" in fac["naam"].tolist() and "'-Noord" not in fac["naam"].tolist()


def test_index_html_is_offline_and_escaped(exported):
    out, _, _ = exported
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;)" in page and FORMULA not in page
    assert "Oost &lt;b&gt;&amp;amp;&lt;/b&gt;" in page and "<b>&amp;</b>" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "FICTIEF" in page
    images = re.findall(r"<img src='([^']+)'", page)
    assert len(images) == 3
    for src in images:
        assert (out / unquote(src)).exists()


def test_export_zip_holds_the_same_files(ds, table):
    progress = []
    data = export.export_zip(ds, table, wijken=["WK099903"], progress=lambda f, m: progress.append(f))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert sum(n.startswith("wijkprofielen/") for n in names) == 3   # one wijk: png + 2 csv
        assert "indicatoren.xlsx" in names
        png = archive.read(next(n for n in names if n.endswith(".png")))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())
    assert progress[-1] == 1.0


def test_export_all_refuses_an_unknown_wijk(ds, table, tmp_path):
    with pytest.raises(DatasetError, match="WK123456"):
        export.export_all(ds, table, tmp_path, wijken=["WK123456"])
    assert list(tmp_path.iterdir()) == []


def test_every_csv_of_demo_data_says_fictief_and_the_readable_ones_are_rounded(exported, table):
    out, files, _ = exported
    csvs = [p for p in files if p.suffix == ".csv"]
    assert len(csvs) == 2 * (3 + 6)
    for path in csvs:
        excel = path.stem.endswith(export.EXCEL_SUFFIX)
        frame = pd.read_csv(path, sep=";" if excel else ",", decimal="," if excel else ".", encoding="utf-8-sig")
        assert frame.columns[0] == "fictief" and set(frame["fictief"]) <= {"ja"}, path.name
    tidy = pd.read_csv(out / "indicatoren_wijk.csv")
    readable = pd.read_csv(out / "indicatoren_wijk_excel.csv", sep=";", decimal=",", encoding="utf-8-sig")
    shares = tidy["eenheid"] == "%"
    assert not (tidy.loc[shares, "waarde"].dropna() == tidy.loc[shares, "waarde"].dropna().round()).all()
    assert (readable.loc[shares, "waarde"].dropna() == readable.loc[shares, "waarde"].dropna().round()).all()
    expected = table[table["niveau"] == "wijk"].sort_values("jaar", kind="stable")
    np.testing.assert_allclose(tidy["waarde"].to_numpy(float), expected["waarde"].to_numpy(float), equal_nan=True)


def test_real_data_exports_have_no_fictional_column(table, tmp_path):
    files = export.export_all(make_dataset(is_demo=False), table, tmp_path, wijken=["WK099901"])
    for path in (p for p in files if p.suffix == ".csv"):
        assert "fictief" not in path.read_text(encoding="utf-8-sig").splitlines()[0], path.name
    assert "FICTIEF" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_workbook_of_the_batch_is_the_readable_one(exported):
    out, _, _ = exported
    book = openpyxl.load_workbook(out / "indicatoren.xlsx")
    assert book.sheetnames[:2] == ["Wijken", "Buurten"] and book["Wijken"]["A1"].value.startswith("FICTIEVE")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "href='indicatoren.xlsx'" in page


# ----------------------------------------------------------------------------------------------
# the folder moved into place only when complete
# ----------------------------------------------------------------------------------------------

def _tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _siblings(out) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def test_a_failing_writer_leaves_the_previous_export_whole(ds, table, tmp_path, monkeypatch):
    out = tmp_path / "export"
    files = export.export_all(ds, table, out, wijken=["WK099901"])
    assert (out / export.EXPORT_MARKER).is_file() and all(p.is_file() and out in p.parents for p in files)
    before = _tree(out)

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(export, "network_gexf", broken)  # fails after the profiles, tables and workbook
    with pytest.raises(RuntimeError, match="schijf vol"):
        export.export_all(ds, table, out, wijken=["WK099902", "WK099903"])
    assert _tree(out) == before
    assert _siblings(out) == []  # the half-written folder is gone


def test_a_first_export_that_fails_leaves_nothing(ds, table, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "areas_gpkg", lambda *a, **k: (_ for _ in ()).throw(OSError("kapot")))
    with pytest.raises(OSError):
        export.export_all(ds, table, tmp_path / "nieuw", wijken=["WK099901"])
    assert list(tmp_path.iterdir()) == []


def test_a_second_export_replaces_the_first_completely(ds, table, tmp_path):
    out = tmp_path / "export"
    export.export_all(ds, table, out, wijken=["WK099901", "WK099902"])
    files = export.export_all(ds, table, out, wijken=["WK099903"])
    pngs = sorted(p.name for p in (out / "wijkprofielen").glob("*.png"))
    assert len(pngs) == 1 and pngs[0].startswith("WK099903")  # no profile of the first export is left
    assert sorted(p.relative_to(out).as_posix() for p in files) == sorted(
        k for k in _tree(out) if k != export.EXPORT_MARKER)
    assert _siblings(out) == []


def test_a_folder_with_other_files_is_not_replaced(ds, table, tmp_path):
    out = tmp_path / "mijn_documenten"
    out.mkdir()
    (out / "brief.docx").write_bytes(b"belangrijk")
    with pytest.raises(DatasetError, match="andere bestanden dan een export"):
        export.export_all(ds, table, out, wijken=["WK099901"])
    assert _tree(out) == {"brief.docx": b"belangrijk"} and _siblings(out) == []


def test_what_a_killed_export_left_is_tidied_by_the_next(ds, table, tmp_path):
    out = tmp_path / "export"
    export.export_all(ds, table, out, wijken=["WK099901"])
    dead = "999999999.1"  # no such process
    half = tmp_path / f"export{export.INCOMPLETE_INFIX}{dead}"
    half.mkdir()
    (half / "gebieden.gpkg").write_bytes(b"half")
    # killed between the two renames of the fallback swap: the previous export aside, no export folder
    out.rename(tmp_path / f"export.vorige-{dead}")
    export.export_all(ds, table, tmp_path / "ander", wijken=["WK099901"])  # another folder: left alone
    assert (tmp_path / f"export.vorige-{dead}").is_dir() and half.is_dir()
    export.export_all(ds, table, out, wijken=["WK099902"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ander", "export"]
    assert [p.name[:8] for p in (out / "wijkprofielen").glob("*.png")] == ["WK099902"]


def test_the_swap_without_renameat2_still_replaces(ds, table, tmp_path, monkeypatch):
    out = tmp_path / "export"
    export.export_all(ds, table, out, wijken=["WK099901"])
    monkeypatch.setattr(export, "_exchange", lambda a, b: False)
    export.export_all(ds, table, out, wijken=["WK099902"])
    assert [p.name[:8] for p in (out / "wijkprofielen").glob("*.png")] == ["WK099902"] and _siblings(out) == []


_KILLED_EXPORT = """
import os, sys, time
sys.path.insert(0, {root!r})
from analysis.compute import indicators
from analysis.render import export
from tests.render.exportdata import make_dataset
ds = make_dataset()
table = indicators.compute_indicators(ds)
def progress(fraction, message):
    if message.startswith("Netwerk"):
        open({flag!r}, "w").close()
        time.sleep(120)
export.export_all(ds, table, {out!r}, wijken={wijken!r}, progress=progress)
"""


def test_a_killed_export_process_leaves_the_previous_export(ds, table, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    out, flag = tmp_path / "export", tmp_path / "halfway"
    export.export_all(ds, table, out, wijken=["WK099901"])
    before = _tree(out)
    root = str(Path(__file__).resolve().parents[2])
    script = _KILLED_EXPORT.format(root=root, flag=str(flag), out=str(out), wijken=["WK099902", "WK099903"])
    child = subprocess.Popen([sys.executable, "-c", script], cwd=root)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert flag.exists(), "the export in the child did not get halfway"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    flag.unlink()
    assert _tree(out) == before  # the previous export, whole
    left = _siblings(out)
    assert len(left) == 1 and left[0].startswith(f"export{export.INCOMPLETE_INFIX}{child.pid}.")
    export.export_all(ds, table, out, wijken=["WK099903"])  # the next run removes it
    assert _siblings(out) == []


def test_a_failing_zip_export_leaves_no_temporary_folder(ds, table, tmp_path, monkeypatch):
    """export_zip builds in the temporary folder (the server's process folder, swept at the next start) and
    removes it when a writer fails."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(export, "network_graphml", lambda *a, **k: (_ for _ in ()).throw(OSError("schijf vol")))
    with pytest.raises(OSError, match="schijf vol"):
        export.export_zip(ds, table, wijken=["WK099901"])
    assert list(tmp_path.iterdir()) == []
