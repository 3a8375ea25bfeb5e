"""Upload folders: one per session under one known parent, removed when the session ends or its server is gone."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: Environment variable naming another parent folder for the upload folders (tests, a server with its own disk).
UPLOAD_ROOT_ENV = "WIJKWEEFSEL_UPLOAD_ROOT"
#: Name of the parent folder inside the system's temporary folder.
UPLOAD_ROOT_NAME = "wijkweefsel-uploads"
#: Sub folder of a process folder holding one folder per session.
SESSIONS_NAME = "sessies"
#: Sub folder of a process folder used as the process's temporary folder (ZIP builds, unpacked archives).
TEMP_NAME = "tmp"
#: Prefix of the per-session folders the app wrote before this module (directly in the temporary folder).
LEGACY_PREFIX = "wijkweefsel-sessie-"
#: A process folder is named ``<pid>.<start ticks>``; the start ticks tell a reused pid apart.
_OWNER = re.compile(r"^(\d+)\.(\d+)$")
#: A session id as Streamlit makes them (a UUID), or any other safe folder name.
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def upload_root() -> Path:
    """The parent of every process folder: ``$WIJKWEEFSEL_UPLOAD_ROOT`` or ``<tempdir>/wijkweefsel-uploads``."""
    configured = os.environ.get(UPLOAD_ROOT_ENV, "").strip()
    return Path(configured) if configured else Path(tempfile.gettempdir()) / UPLOAD_ROOT_NAME


def process_start_ticks(pid: int) -> int | None:
    """The start time of process ``pid`` in clock ticks since boot (Linux ``/proc``), or None when it is gone.

    On a system without ``/proc`` this is 0 for a running process (then only the pid tells owners apart).
    """
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            text = stat.read_text()
        except OSError:
            return None
        # Field 22 (starttime); the command name (field 2) may hold spaces, so split after its ')'.
        return int(text.rsplit(")", 1)[1].split()[19])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return 0
    return 0


def process_folder(root: Path | None = None, pid: int | None = None) -> Path:
    """The folder of process ``pid`` (default: this one): ``<root>/<pid>.<start ticks>`` (not created)."""
    return (root or upload_root()) / owner_tag(pid)


def session_folder(session_id: str, root: Path | None = None, token: str = "") -> Path:
    """The upload folder of one session of this process, created (owner-only) when missing.

    Parameters
    ----------
    session_id
        The Streamlit session id (characters other than letters, digits, ``-`` and ``_`` are replaced).
    root
        The parent folder (default :func:`upload_root`).
    token
        Tells apart two session states with one id (Streamlit's test runner gives every session the same id);
        the folder is ``<session id>.<token>``.
    """
    safe = _SAFE_ID.sub("_", str(session_id)) or "sessie"
    name = f"{safe}.{_SAFE_ID.sub('_', token)}" if token else safe
    folder = process_folder(root) / SESSIONS_NAME / name
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def process_temp_folder(root: Path | None = None) -> Path:
    """This process's own temporary folder (created); what a killed build leaves there is swept on the next start."""
    folder = process_folder(root) / TEMP_NAME
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def remove_folder(path: Path | str) -> bool:
    """Remove a folder and everything in it; True when it is gone afterwards."""
    shutil.rmtree(path, ignore_errors=True)
    return not Path(path).exists()


def owner_tag(pid: int | None = None) -> str:
    """``<pid>.<start ticks>`` of a process (default: this one): the name of its folders, telling a reused pid apart."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}.{process_start_ticks(pid) or 0}"


def owner_alive(name: str) -> bool:
    """Whether the process named by an :func:`owner_tag` (``<pid>.<start ticks>``) is still running."""
    match = _OWNER.match(name)
    if match is None:
        return False
    pid, ticks = int(match.group(1)), int(match.group(2))
    current = process_start_ticks(pid)
    return current is not None and (ticks == 0 or current == 0 or current == ticks)


def sweep_orphans(root: Path | None = None, legacy_dir: Path | None = None,
                  legacy_before: float | None = None) -> list[Path]:
    """Remove the folders of processes that are gone (a server that stopped or was killed).

    Parameters
    ----------
    root
        The parent of the process folders (default :func:`upload_root`).
    legacy_dir
        Where the app kept ``wijkweefsel-sessie-*`` folders before this module (default: the temporary folder).
    legacy_before
        Remove such legacy folders last changed before this time (seconds since the epoch; default: never).

    Returns
    -------
    list of Path
        The folders removed.
    """
    root = root or upload_root()
    removed: list[Path] = []
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not owner_alive(child.name) and remove_folder(child):
                removed.append(child)
    if legacy_before is not None:
        for child in (legacy_dir or Path(tempfile.gettempdir())).glob(f"{LEGACY_PREFIX}*"):
            try:
                old = child.is_dir() and child.stat().st_mtime < legacy_before
            except OSError:
                continue
            if old and remove_folder(child):
                removed.append(child)
    return removed


def sweep_ended_sessions(is_active: Callable[[str], bool], root: Path | None = None,
                         min_age_s: float = 0.0) -> list[Path]:
    """Remove the session folders of this process whose session is no longer active.

    Parameters
    ----------
    is_active
        Whether a session id (the folder's name up to its first ``.``) still has a connected session.
    root
        The parent folder (default :func:`upload_root`).
    min_age_s
        Keep folders younger than this (a session that is being set up has a folder before it is listed).

    Returns
    -------
    list of Path
        The folders removed.
    """
    sessions = process_folder(root) / SESSIONS_NAME
    removed: list[Path] = []
    if not sessions.is_dir():
        return removed
    now = time.time()
    for child in sessions.iterdir():
        try:
            young = now - child.stat().st_mtime < min_age_s
        except OSError:
            continue
        if child.is_dir() and not young and not is_active(child.name.split(".")[0]) and remove_folder(child):
            removed.append(child)
    return removed


def remove_process_folder(root: Path | None = None) -> bool:
    """Remove this process's folder (at a normal server stop)."""
    return remove_folder(process_folder(root))
