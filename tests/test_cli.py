"""Tests for analysis.cli: `python -m analysis validate` on the broken corpus, wrong calls, demo, indicators, export."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from tests.broken_cases import CASES, BrokenCase, prepare, write_buurten

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------------------------
# The broken corpus: every case in process (fast), three through the real `python -m analysis`
# ----------------------------------------------------------------------------------------------

#: Cases also run as a real subprocess: usable with warnings, unusable data, unusable manifest.
SUBPROCESS_CASES: tuple[str, ...] = ("band_onbekende_vereniging", "onleesbaar_bestand", "kapotte_manifest")


def _check_output(case: BrokenCase, code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert code == case.exit_code, out + err
    lines = out.splitlines()
    for parts in case.expected:
        assert any(all(p in line for p in parts) for line in lines), f"{parts} niet gevonden in:\n{out}"
    for text in case.absent:
        assert text not in out
    verdict = "niet bruikbaar" if case.exit_code else "bruikbaar ("
    assert lines[-1].startswith("Conclusie: de dataset is " + verdict)


@pytest.fixture(scope="module")
def subprocess_runs(tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """The subprocess cases, all started at once and then awaited (each process imports geopandas)."""
    root = tmp_path_factory.mktemp("kapot")
    running = {}
    for case in CASES:
        if case.name in SUBPROCESS_CASES:
            running[case.name] = subprocess.Popen(
                [sys.executable, "-m", "analysis", "validate", str(prepare(case, root))], cwd=REPO,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    results = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        results[name] = (process.returncode, out, err)
    return results


def test_corpus_is_large_enough():
    assert len(CASES) >= 12
    assert len({c.name for c in CASES}) == len(CASES)
    assert set(SUBPROCESS_CASES) <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input_message(case: BrokenCase, tmp_path, capsys):
    code = cli.main(["validate", str(prepare(case, tmp_path))])
    captured = capsys.readouterr()
    _check_output(case, code, captured.out, captured.err)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_broken_input_through_python_m_analysis(subprocess_runs, name):
    case = next(c for c in CASES if c.name == name)
    _check_output(case, *subprocess_runs[name])


# ----------------------------------------------------------------------------------------------
# Wrong calls and failures, in process
# ----------------------------------------------------------------------------------------------

def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("argv, message", [
    ([], "deze argumenten ontbreken: OPDRACHT"),
    (["valideer", "x"], "ongeldige keuze: 'valideer'"),
    (["validate"], "deze argumenten ontbreken: PAD"),
    (["indicators", "x", "--niveau", "straat", "--uit", "a.csv"], "ongeldige keuze: 'straat' (kies uit 'buurt', 'wijk', 'gemeente')"),
    (["indicators", "x", "--niveau", "wijk", "--jaar", "vorig", "--uit", "a.csv"], "geen geheel getal: 'vorig'"),
    (["validate", "bestaat/niet"], "'bestaat/niet' bestaat niet"),
])
def test_wrong_calls_exit_2_in_dutch(argv, message, capsys):
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert message in err
    assert err.startswith("gebruik: wijkweefsel")
    assert "Traceback" not in out + err


def test_help_is_dutch(capsys):
    code, out, _ = _run(["--help"], capsys)
    assert code == 0
    assert out.startswith("gebruik: wijkweefsel")
    for word in ("opdrachten", "validate", "demo", "indicators", "export", "toon deze hulp"):
        assert word in out


def test_unexpected_error_is_one_dutch_line(monkeypatch, capsys, tmp_path):
    def boom(args):
        raise KeyError("oeps")

    monkeypatch.setattr(cli, "cmd_validate", boom)
    code, out, err = _run(["validate", str(tmp_path)], capsys)
    assert code == 1
    assert "wijkweefsel: onverwachte fout (KeyError: 'oeps')" in err
    assert "Traceback" not in out + err


def test_validate_unsafe_zip(tmp_path, capsys):
    target = tmp_path / "kwaad.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("dataset.toml", "[dataset]\n")
        archive.writestr("../../buiten.txt", "x")
    code, out, _ = _run(["validate", str(target)], capsys)
    assert code == 1
    assert "[FOUT] kwaad.zip: het ZIP-bestand bevat een onveilig pad '../../buiten.txt'" in out


def test_text_progress_draws_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = cli.TextProgress(stream, width=10)
    bar(0.5, "nabijheid")
    bar.close()
    assert "[#####.....]  50% nabijheid" in stream.getvalue()
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    silent = cli.TextProgress(quiet)
    silent(0.5, "x")
    silent.close()
    assert quiet.getvalue() == ""


# ----------------------------------------------------------------------------------------------
# demo, indicators, export on a tiny dataset
# ----------------------------------------------------------------------------------------------

@pytest.fixture()
def tiny(tmp_path) -> Path:
    """Four 1 km buurten (two wijken of 2,000 inhabitants) and two meeting places in wijk WK999901."""
    folder = tmp_path / "klein"
    folder.mkdir()
    write_buurten(folder)
    (folder / "plekken.csv").write_text("naam,x,y\nBuurthuis Noord,180500,520500\nBuurtkamer Zuid,181500,520500\n",
                                        encoding="utf-8")
    (folder / "dataset.toml").write_text(
        '[dataset]\nnaam = "Klein"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\n'
        '[[voorzieningen]]\nbestand = "plekken.csv"\ncomponent = "ontmoeting"\n', encoding="utf-8")
    return folder


def test_indicators_command_writes_one_level(tiny, tmp_path, capsys):
    out_file = tmp_path / "uit" / "wijk.csv"
    code, out, err = _run(["indicators", str(tiny), "--niveau", "wijk", "--jaar", "2025", "--uit", str(out_file)], capsys)
    assert code == 0, err
    assert err == ""  # no progress bar when standard error is not a terminal
    table = pd.read_csv(out_file, dtype={"gebiedscode": str})
    assert set(table["niveau"]) == {"wijk"} and set(table["jaar"]) == {2025}
    values = table.set_index(["gebiedscode", "indicator"])["waarde"]
    # WK999901: two meeting places for 1,200 + 800 inhabitants -> 1 per 1,000
    assert values[("WK999901", "ontmoeting_aantal")] == 2
    assert values[("WK999901", "ontmoeting_per_1000_inw")] == pytest.approx(1.0)
    assert values[("WK999902", "inwoners")] == 2000
    assert f"geschreven naar {out_file}" in out


def test_indicators_excel_dialect_and_unknown_year(tiny, tmp_path, capsys):
    out_file = tmp_path / "gemeente.csv"
    code, _, err = _run(["indicators", str(tiny), "--niveau", "gemeente", "--uit", str(out_file),
                         "--dialect", "excel-nl"], capsys)
    assert code == 0, err
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("gebiedscode;gebiedsnaam;niveau;jaar;indicator;waarde")
    code, _, err = _run(["indicators", str(tiny), "--niveau", "wijk", "--jaar", "1999", "--uit", str(out_file)], capsys)
    assert code == 1
    assert "jaar 1999 komt niet voor in de dataset (wel: 2025)" in err


def test_indicators_on_an_unusable_dataset(tmp_path, capsys):
    case = next(c for c in CASES if c.name == "ontbrekende_kolom")
    code, out, err = _run(["indicators", str(prepare(case, tmp_path)), "--niveau", "wijk",
                           "--uit", str(tmp_path / "x.csv")], capsys)
    assert code == 1
    assert "De dataset is niet bruikbaar:" in err
    assert "verenigingen.csv, rij 1, kolom 'naam'" in err
    assert not (tmp_path / "x.csv").exists()


def test_export_command(tiny, tmp_path, capsys):
    out_dir = tmp_path / "export"
    code, out, err = _run(["export", str(tiny), "--wijk", "wk999901", "--uit", str(out_dir)], capsys)
    assert code == 0, err
    pngs = sorted(p.name for p in (out_dir / "wijkprofielen").glob("*.png"))
    assert len(pngs) == 1 and pngs[0].startswith("WK999901")
    assert (out_dir / "indicatoren_wijk.csv").is_file()
    assert out.strip().endswith(f"bestanden geschreven naar {out_dir}.")
    code, _, err = _run(["export", str(tiny), "--wijk", "WK123456", "--uit", str(out_dir)], capsys)
    assert code == 1
    assert "onbekende wijkcode(s) WK123456" in err


def test_demo_command_writes_a_valid_dataset(tmp_path, capsys):
    out_dir = tmp_path / "demo"
    code, out, err = _run(["demo", "--uit", str(out_dir)], capsys)
    assert code == 0, err
    assert (out_dir / "dataset.toml").is_file()
    code, out, _ = _run(["validate", str(out_dir)], capsys)
    assert code == 0
    assert out.splitlines()[-1].startswith("Conclusie: de dataset is bruikbaar")


# ----------------------------------------------------------------------------------------------
# nieuw: a dataset.toml from a folder of files, without writing one by hand
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zwolle_folder(tmp_path_factory) -> Path:
    """A copy of Zwolle's files as a user has them: the small ones, the addresses, no SOURCE.md."""
    import shutil

    from tests.paths import ZWOLLE, shared_file

    folder = tmp_path_factory.mktemp("zwolle")
    for path in ZWOLLE.iterdir():
        if path.name != "SOURCE.md":
            shutil.copyfile(path, folder / path.name)
    shutil.copyfile(shared_file("zwolle", "zwolle_adressen.gpkg"), folder / "zwolle_adressen.gpkg")
    return folder


def test_nieuw_writes_a_usable_manifest_for_zwolle(zwolle_folder, capsys):
    import tomllib

    from analysis.load.dataset import load_dataset

    code = cli.main(["nieuw", str(zwolle_folder)])
    out = capsys.readouterr().out
    assert code == cli.EXIT_OK, out
    assert "zwolle_scholen.geojson: voorzieningen. herkend als voorzieningen" in out
    text = (zwolle_folder / "dataset.toml").read_text(encoding="utf-8")
    assert "# herkend als voorzieningen: punten met namen in kolom VESTIGINGSNAAM" in text
    manifest = tomllib.loads(text)
    assert manifest["dataset"] == {"naam": "Zwolle", "jaar": 2015, "gemeente": "GM0193"}
    assert manifest["bronnen"] == {"buurten": "zwolle_buurten_2015.geojson", "wijken": "zwolle_wijken_2015.geojson",
                                   "kerncijfers": "zwolle_buurtcijfers_2015_2024.csv", "adressen": "zwolle_adressen.gpkg"}
    facilities = {e["bestand"]: e for e in manifest["voorzieningen"]}
    assert facilities["zwolle_scholen.geojson"]["component"] == "onderwijs"
    assert facilities["zwolle_scholen.geojson"]["naamkolom"] == "VESTIGINGSNAAM"
    assert facilities["zwolle_zorginstellingen.geojson"]["component"] == "zorg"
    monitor = manifest["enquete_gebied"]
    assert [m["bestand"] for m in monitor] == ["zwolle_buurtmonitor_indicatoren.csv"]
    assert monitor[0]["codekolom"] == "BU_CODE"
    assert monitor[0]["indicatoren"]["b_scoh"] == "cohesie_score"
    assert monitor[0]["indicatoren"]["b_sceenz"] == "eenzaam_pct"
    # The 2024 wijken are recognised but not used, with the reason, as a comment.
    assert "# zwolle_wijken_2024.geojson: niet gebruikt: wijken van 2024, terwijl de buurten van 2015 zijn" in text

    assert cli.main(["validate", str(zwolle_folder)]) == cli.EXIT_OK
    verdict = capsys.readouterr().out.splitlines()[-1]
    assert verdict.startswith("Conclusie: de dataset is bruikbaar")
    ds = load_dataset(zwolle_folder)
    assert (len(ds.buurten), len(ds.wijken)) == (78, 16)
    assert ds.facilities["component"].value_counts().to_dict() == {"onderwijs": 73, "zorg": 22}
    cohesion = ds.area_survey[(ds.area_survey["indicator"] == "cohesie_score") & (ds.area_survey["niveau"] == "buurt")]
    values = cohesion["waarde"].dropna()
    assert len(cohesion) == 78 and len(values) >= 60 and values.between(0, 10).all()
    assert set(ds.area_survey["indicator"]) >= {"cohesie_score", "eenzaam_pct"}


def test_nieuw_does_not_overwrite_an_existing_manifest(zwolle_folder, tmp_path, capsys):
    import shutil

    folder = tmp_path / "map"
    folder.mkdir()
    shutil.copyfile(zwolle_folder / "zwolle_buurten_2015.geojson", folder / "buurten_2015.geojson")
    (folder / "dataset.toml").write_text("# mijn eigen manifest\n", encoding="utf-8")
    assert cli.main(["nieuw", str(folder)]) == cli.EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "er staat al een dataset.toml" in err and "--overschrijven" in err and "Traceback" not in err
    assert (folder / "dataset.toml").read_text(encoding="utf-8") == "# mijn eigen manifest\n"
    assert cli.main(["nieuw", str(folder), "--overschrijven"]) == cli.EXIT_OK
    assert 'buurten = "buurten_2015.geojson"' in (folder / "dataset.toml").read_text(encoding="utf-8")
    out_of_folder = tmp_path / "elders" / "dataset.toml"
    assert cli.main(["nieuw", str(folder), "--uit", str(out_of_folder)]) == cli.EXIT_OK
    assert 'buurten = "../map/buurten_2015.geojson"' in out_of_folder.read_text(encoding="utf-8")
    assert cli.main(["validate", str(out_of_folder)]) == cli.EXIT_OK


def test_nieuw_on_a_missing_or_empty_folder(tmp_path, capsys):
    assert cli.main(["nieuw", str(tmp_path / "bestaat_niet")]) == cli.EXIT_UNUSABLE
    assert "de map bestaat niet" in capsys.readouterr().err
    assert cli.main(["nieuw", str(tmp_path)]) == cli.EXIT_UNUSABLE
    assert "de map bevat geen bestanden" in capsys.readouterr().err


def _zip_of_zeros(path: Path, megabytes: int) -> Path:
    import zipfile

    from tests.broken_cases import buurten_geojson

    block = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("set/dataset.toml", '[dataset]\nnaam = "Nul"\njaar = 2025\n\n[bronnen]\nbuurten = "b.geojson"\n')
        archive.writestr("set/b.geojson", json.dumps(buurten_geojson()))
        with archive.open("set/nullen.bin", "w") as member:
            for _ in range(megabytes):
                member.write(block)
    return path


def test_a_killed_zip_extraction_is_swept_by_the_next_command(tmp_path, monkeypatch, capsys):
    """The unpacked ZIP lives under the command's process folder, which the next start removes."""
    import signal
    import time

    from analysis import uploads

    root = tmp_path / "uploads"
    monkeypatch.setenv(uploads.UPLOAD_ROOT_ENV, str(root))
    bomb = _zip_of_zeros(tmp_path / "nullen.zip", 300)
    child = subprocess.Popen([sys.executable, "-m", "analysis", "validate", str(bomb)], cwd=Path(__file__).parents[1],
                             env={**os.environ, uploads.UPLOAD_ROOT_ENV: str(root)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        unpacked: list[Path] = []
        while not unpacked and child.poll() is None and time.monotonic() < deadline:
            unpacked = [p for p in root.glob("*/tmp/*/*/set/nullen.bin") if p.stat().st_size > 0]
            time.sleep(0.02)
        assert unpacked, "the child did not start unpacking"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    # what the kill left behind sits inside the child's own process folder
    assert [p.name.split(".")[0] for p in root.iterdir()] == [str(child.pid)] and unpacked[0].exists()
    case = next(c for c in CASES if c.name == "band_onbekende_vereniging")
    assert cli.main(["validate", str(prepare(case, tmp_path))]) == 0
    capsys.readouterr()
    assert not unpacked[0].exists() and list(root.iterdir()) == []  # swept; this command's own folder removed too


@pytest.fixture()
def planned(tmp_path) -> Path:
    """Two wijken; the second gets two more meeting places after its measure of March 2024."""
    folder = tmp_path / "plan"
    folder.mkdir()
    write_buurten(folder)
    (folder / "plekken.csv").write_text(
        "id,naam,x,y,jaar\nA,Buurthuis Noord,180500,520500,2023\nB,Buurthuis Oost,180500,521500,2023\n"
        "A,Buurthuis Noord,180500,520500,2025\nB,Buurthuis Oost,180500,521500,2025\n"
        "C,Buurtkamer West,181500,521500,2025\nD,Huiskamer Oost,180600,521600,2025\n", encoding="utf-8")
    (folder / "plan.csv").write_text("gebiedscode,indicator,basisjaar,streefwaarde,streefjaar,reden\n"
                                     "WK999902,ontmoeting_per_1000_inw,2023,1.2,2025,Te weinig plekken\n",
                                     encoding="utf-8")
    (folder / "maatregelen.csv").write_text(
        "id,naam,component,gebiedscode,startdatum,omschrijving\n"
        'M1,"=HYPERLINK(""http://x"")",ontmoeting,WK999902,1-3-2024,Twee nieuwe plekken\n', encoding="utf-8")
    (folder / "dataset.toml").write_text(
        '[dataset]\nnaam = "Plan"\njaar = 2025\n[bronnen]\nbuurten = "buurten.geojson"\nplan = "plan.csv"\n'
        'maatregelen = "maatregelen.csv"\n[[voorzieningen]]\nbestand = "plekken.csv"\ncomponent = "ontmoeting"\n',
        encoding="utf-8")
    return folder


def test_evaluatie_writes_the_plan_lines_and_the_measures(planned, tmp_path, capsys):
    out_file = tmp_path / "uit" / "evaluatie.csv"
    code, out, err = _run(["evaluatie", str(planned), "--uit", str(out_file)], capsys)
    assert code == 0, err
    lines = pd.read_csv(out_file, dtype={"gebiedscode": str})
    line = lines.iloc[0]
    # WK999902 (2,000 inhabitants): 1 meeting place in 2023, 3 in 2025 -> 0.5 and 1.5 per 1,000; target 1.2 met
    assert (line["basiswaarde"], line["laatste_waarde"], line["laatste_jaar"]) == (0.5, 1.5, 2025)
    assert bool(line["doel_gehaald"]) and "doel" in line["tekst"] and "gehaald" in line["tekst"]
    measures = pd.read_csv(tmp_path / "uit" / "evaluatie_maatregelen.csv", dtype={"gebiedscode": str})
    rate = measures.set_index("indicator").loc["ontmoeting_per_1000_inw"]
    # +1.0 in WK999902 against 0.0 in WK999901, the one wijk without such a measure
    assert rate["verschil_in_verschil"] == pytest.approx(1.0) and rate["vergelijkingsgebieden"] == 1
    assert (rate["van_jaar"], rate["tot_jaar"]) == (2023, 2025) and evaluation_caveat() in rate["tekst"]
    assert rate["naam"].startswith("'=HYPERLINK")  # neutralised for spreadsheets
    assert "1 doelen geschreven naar" in out and "over 1 maatregelen" in out


def evaluation_caveat() -> str:
    from analysis.compute.evaluation import CAVEAT

    return CAVEAT


def test_evaluatie_excel_dialect_is_rounded_and_says_ja(planned, tmp_path, capsys):
    out_file = tmp_path / "evaluatie.csv"
    code, _, err = _run(["evaluatie", str(planned), "--uit", str(out_file), "--dialect", "excel-nl"], capsys)
    assert code == 0, err
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out_file.read_bytes().decode("utf-8-sig")), delimiter=";"))
    cells = rows[0]
    assert cells["reeks"].count(";") == 1  # 2023 and 2025, in one quoted cell
    assert cells["basiswaarde"] == "0,5" and cells["doel_gehaald"] == "ja" and cells["eenheid"] == "per 1.000 inwoners"


def test_evaluatie_without_a_plan_says_what_to_add(tiny, tmp_path, capsys):
    code, _, err = _run(["evaluatie", str(tiny), "--uit", str(tmp_path / "e.csv")], capsys)
    assert code == 1 and "de dataset heeft geen wijkplan" in err and not (tmp_path / "e.csv").exists()


@pytest.mark.parametrize("dialect", ["standaard", "excel-nl"])
def test_impossible_populations_are_named_and_never_published_as_numbers(tmp_path, capsys, dialect):
    """-50, 'NaN' and 'inf' inhabitants: a warning per row on validate, and an empty cell in the buurt CSV."""
    from tests.broken_cases import buurten_geojson

    folder = tmp_path / "inwoners"
    folder.mkdir()
    geo = buurten_geojson()
    for feature, bad in zip(geo["features"][1:], (-50, "NaN", "inf"), strict=True):
        feature["properties"]["AANT_INW"] = bad
    (folder / "buurten.geojson").write_text(json.dumps(geo), encoding="utf-8")
    (folder / "dataset.toml").write_text('[dataset]\nnaam = "Inwoners"\njaar = 2025\n[bronnen]\n'
                                         'buurten = "buurten.geojson"\n', encoding="utf-8")
    code, out, err = _run(["validate", str(folder)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    for row, value in ((2, "'-50'"), (3, "'NaN'"), (4, "'inf'")):  # feature numbers
        assert any(f"buurten.geojson, rij {row}, kolom 'AANT_INW'" in line and value in line for line in lines), out
    out_file = tmp_path / "buurt.csv"
    code, _, err = _run(["indicators", str(folder), "--niveau", "buurt", "--uit", str(out_file), "--dialect", dialect],
                        capsys)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8-sig").lower()
    assert "inf" not in text and "nan" not in text
    sep = ";" if dialect == "excel-nl" else ","
    table = pd.read_csv(out_file, sep=sep, dtype=str, encoding="utf-8-sig")
    people = table[table["indicator"] == "inwoners"].set_index("gebiedscode")["waarde"]
    assert people["BU99990101"] is not None and float(people["BU99990101"].replace(",", ".")) == 1200
    assert people[["BU99990102", "BU99990201", "BU99990202"]].isna().all()
