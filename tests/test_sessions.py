"""Sessions stay apart: one session's dataset keys never reach another; upload folders end with their session."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToJson
from streamlit.testing.v1 import AppTest

from analysis import uploads

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TIMEOUT_S = 240
#: A dataset's own monitor key: only the session that loaded it may ever see it.
SECRET_KEY = "eigen_geheim_pct"
SESSION_PAGES = ("verantwoording", "enquete", "kaart")


def secret_dataset(demo):
    """The demo plus the monitor key :data:`SECRET_KEY` in ``area_survey`` (a copy of one existing key)."""
    survey = demo.area_survey
    base = survey[survey["indicator"] == survey["indicator"].iloc[0]].copy()
    base["indicator"] = SECRET_KEY
    return dataclasses.replace(demo, area_survey=pd.concat([survey, base], ignore_index=True))


def _open(page: str, dataset=None) -> AppTest:
    from pages.common import DATASET_HASH_KEY, DATASET_KEY, content_hash

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if dataset is not None:
        at.session_state[DATASET_KEY] = dataset
        at.session_state[DATASET_HASH_KEY] = content_hash(dataset)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def _everything(at: AppTest) -> str:
    """Every proto of the page as JSON text (labels, options, charts, the map component) and every table's cells."""
    parts: Iterator[str] = (MessageToJson(node.proto) for node in at._tree
                            if hasattr(getattr(node, "proto", None), "DESCRIPTOR"))
    tables = (frame.value.to_csv() for frame in at.dataframe)
    return "\n".join([*parts, *tables])


@pytest.mark.parametrize("page", SESSION_PAGES)
def test_two_sessions_two_datasets_share_nothing(demo_dataset, page) -> None:
    own = _open(page, secret_dataset(demo_dataset))
    plain = _open(page)
    assert not own.exception and not plain.exception
    if page == "enquete":  # the key is one of the subjects of its own session, and can be chosen there
        own.selectbox(key="ww_sel_enquete_indicator").set_value(SECRET_KEY).run()
        assert not own.exception
    assert SECRET_KEY in _everything(own)
    # Run the plain session again after the other one: no module-level state may carry the key over.
    plain.run()
    assert SECRET_KEY not in _everything(plain)


# --------------------------------------------------------------------------------------------------
# Upload folders
# --------------------------------------------------------------------------------------------------

def test_session_folder_is_owned_by_this_process(tmp_path) -> None:
    folder = uploads.session_folder("abc-123/../x", root=tmp_path)
    assert folder.is_dir() and folder.parent.parent == uploads.process_folder(tmp_path)
    assert folder.name == "abc-123____x"
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_sweep_on_start_removes_folders_of_stopped_servers_only(tmp_path) -> None:
    mine = uploads.session_folder("levend", root=tmp_path)
    (mine / "enquete.csv").write_text("microdata")
    dead = tmp_path / f"{_dead_pid()}.12345" / uploads.SESSIONS_NAME / "oud"
    dead.mkdir(parents=True)
    (dead / "enquete.csv").write_text("microdata")
    reused = tmp_path / f"{os.getpid()}.1" / uploads.SESSIONS_NAME / "hergebruikt"  # this pid, another start
    reused.mkdir(parents=True)
    stray = tmp_path / "geen-proces"
    stray.mkdir()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-temp"
    elsewhere.mkdir()
    legacy_old = elsewhere / f"{uploads.LEGACY_PREFIX}oud"
    legacy_new = elsewhere / f"{uploads.LEGACY_PREFIX}nieuw"
    legacy_old.mkdir()
    legacy_new.mkdir()
    os.utime(legacy_old, (time.time() - 3600, time.time() - 3600))
    removed = uploads.sweep_orphans(tmp_path, legacy_dir=elsewhere, legacy_before=time.time() - 60)
    assert mine.is_dir() and (mine / "enquete.csv").exists()
    assert not dead.parent.parent.exists() and not stray.exists() and not legacy_old.exists()
    if uploads.process_start_ticks(os.getpid()):  # with /proc a reused pid is told apart by its start time
        assert not reused.parent.parent.exists()
    assert legacy_new.exists()
    assert set(removed) >= {dead.parent.parent, stray, legacy_old}


def test_sweep_of_ended_sessions_keeps_active_ones(tmp_path) -> None:
    active = uploads.session_folder("actief", root=tmp_path)
    ended = uploads.session_folder("gesloten", root=tmp_path)
    (ended / "plan").mkdir()
    (ended / "plan" / "buurten.gpkg").write_bytes(b"x")
    second = uploads.session_folder("actief", root=tmp_path, token="tweede")
    assert second.name == "actief.tweede"
    removed = uploads.sweep_ended_sessions(lambda sid: sid == "actief", root=tmp_path)
    assert removed == [ended] and active.is_dir() and second.is_dir() and not ended.exists()
    young = uploads.session_folder("net-begonnen", root=tmp_path)
    assert uploads.sweep_ended_sessions(lambda sid: False, root=tmp_path, min_age_s=60) == []
    assert young.is_dir()


def test_process_folder_removed_at_stop(tmp_path) -> None:
    uploads.session_folder("s", root=tmp_path)
    uploads.process_temp_folder(tmp_path)
    assert uploads.remove_process_folder(tmp_path)
    assert not uploads.process_folder(tmp_path).exists()


def test_gegevens_page_keeps_uploads_in_the_session_folder(tmp_path, monkeypatch) -> None:
    """The Gegevens page's folder is this session's folder under the known parent, dropped with the session."""
    import gc

    monkeypatch.setenv(uploads.UPLOAD_ROOT_ENV, str(tmp_path))
    at = _open("gegevens")
    assert not at.exception
    from pages import common

    # The page builds the dataset ZIP in the session folder, so the folder exists after one run.
    guard = at.session_state[common.UPLOAD_GUARD_KEY]
    folder = guard.path
    assert folder.is_dir() and tmp_path in folder.parents
    assert isinstance(guard, common._FolderGuard)
    del guard
    del at
    gc.collect()
    assert not folder.exists()
