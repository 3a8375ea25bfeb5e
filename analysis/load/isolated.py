"""Loading an upload in a child process with a memory and a time limit, so one file cannot take the server down."""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import shutil
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from analysis.errors import DatasetError
from analysis.findings import Finding, Findings

if TYPE_CHECKING:  # pragma: no cover
    from analysis.load.amend import AmendResult
    from analysis.load.detect import Detection
    from analysis.load.plan import ImportPlan, PlanCheck
    from analysis.model import Dataset

T = TypeVar("T")

#: Environment variables overriding the limits of every isolated load (a server with more or less memory).
MEMORY_ENV = "WIJKWEEFSEL_LOAD_MEMORY_MB"
TIMEOUT_ENV = "WIJKWEEFSEL_LOAD_TIMEOUT_S"
#: Address space (``RLIMIT_AS``) of the child. Python with numpy, geopandas and GDAL reserves about 1.2 GB of
#: address space before reading anything (/proc/<pid>/status VmSize, one BLAS thread). The largest table accepted
#: (1,000,000 rows, 194 MB: bench/hostile_files.py) peaks at 2.1 GB resident in ``validate``; it was refused
#: at 3,072 MB and loaded at 5,120 MB (measured with load_isolated). What is beyond that is a bomb.
DEFAULT_MEMORY_MB = 5120
#: Longest a load may take: that largest table took 58 s in ``validate`` and 160 s isolated (with the pickled
#: million rows sent back) on the shared 2-core machine; a normal gemeente takes seconds.
DEFAULT_TIMEOUT_S = 300.0
#: Modules the fork server imports once, so every child starts in a fraction of a second.
_PRELOAD = ["analysis.load.dataset", "analysis.load.plan", "analysis.load.amend", "analysis.load.detect"]
#: Exception names that mean the child ran out of memory, also when a loader turned them into a finding.
_OUT_OF_MEMORY = ("MemoryError", "bad_alloc", "Cannot allocate memory", "Unable to allocate")
#: One BLAS/OpenMP thread per child: each thread reserves address space, and loading needs none of them.
_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

_context: Any = None


def limits() -> tuple[int, float]:
    """The memory (MB) and time (s) limits of an isolated load: the environment's, else the defaults."""
    memory = os.environ.get(MEMORY_ENV, "").strip()
    timeout = os.environ.get(TIMEOUT_ENV, "").strip()
    return int(memory) if memory else DEFAULT_MEMORY_MB, float(timeout) if timeout else DEFAULT_TIMEOUT_S


def _mp_context() -> Any:
    """The fork server (started once, single-threaded, with the loaders imported) where there is one, else spawn.

    Never plain fork: the Streamlit server runs threads, and a forked copy of a threaded process can hang.
    """
    global _context
    if _context is None:
        if "forkserver" in mp.get_all_start_methods():
            _context = mp.get_context("forkserver")
            _context.set_forkserver_preload(_PRELOAD)
        else:
            _context = mp.get_context("spawn")
    return _context


def _run_child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int,
               scratch: str) -> None:
    """The child: set the memory limit and its temporary folder, run ``func(*args)``, send ``(status, value)`` back."""
    tempfile.tempdir = scratch  # an unpacked ZIP goes here; the parent removes it, also when the child is killed
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        result = func(*args)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", None))
    except DatasetError as error:
        conn.send(("findings", list(error.findings)))
    except BaseException as exc:  # the parent turns it into a Dutch finding
        conn.send(("crash", f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        conn.close()


def _too_big(file: str, memory_mb: int) -> DatasetError:
    return DatasetError(Finding(
        "fout", file, f"te groot: het inlezen had meer dan {memory_mb:,} MB geheugen nodig en is gestopt".replace(",", "."),
        "splits het bestand (bijvoorbeeld per jaar of per wijk), laat kolommen weg die niet nodig zijn, of laad "
        "alleen de gemeente die u zoekt uit een landelijk bestand"))


def _too_slow(file: str, timeout_s: float) -> DatasetError:
    return DatasetError(Finding(
        "fout", file, f"te traag: het inlezen duurde langer dan {timeout_s:.0f} seconden en is gestopt",
        "splits het bestand (bijvoorbeeld per jaar of per wijk) of maak het kleiner, en laad het opnieuw"))


def run_isolated(func: Callable[..., T], *args: Any, file: str, memory_mb: int | None = None,
                 timeout_s: float | None = None) -> T:
    """``func(*args)`` in a child process with a memory and a time limit.

    The child's address space is limited (``RLIMIT_AS``) to ``memory_mb``; it is killed after
    ``timeout_s``. The parent never holds what the child allocated: only the pickled result comes back.
    The child's temporary files (an unpacked ZIP) go to a folder of its own under the parent's
    temporary folder, removed when the child ends, however it ends.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled by name); its arguments and result must pickle.
    *args
        Its arguments.
    file : str
        The file named in the finding when a limit is hit.
    memory_mb, timeout_s : optional
        The limits; default :func:`limits`.

    Returns
    -------
    The result of ``func``.

    Raises
    ------
    DatasetError
        ``func``'s own DatasetError; or a Dutch finding "te groot" / "te traag" naming ``file``
        when the child ran out of memory, died or took too long.
    """
    default_memory, default_timeout = limits()
    memory_mb = int(memory_mb or default_memory)
    timeout_s = float(timeout_s or default_timeout)
    ctx = _mp_context()
    # Under the parent's temporary folder: in the server that is its process folder (analysis.uploads), which the
    # next start sweeps if the server itself is killed.
    scratch = tempfile.mkdtemp(prefix="wijkweefsel-inlezen-")
    saved = {name: os.environ.get(name) for name in _THREAD_ENV}
    os.environ.update(dict.fromkeys(_THREAD_ENV, "1"))  # read by the fork server (or spawned child) at start
    try:
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_run_child, args=(send, func, args, memory_mb * 2**20, scratch), daemon=True,
                            name="wijkweefsel-inlezen")
        child.start()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    send.close()
    try:
        if not receive.poll(timeout_s):
            raise _too_slow(file, timeout_s)
        try:
            status, value = receive.recv()
        except (EOFError, OSError, MemoryError) as exc:  # the child died (the kernel's OOM killer, a C crash)
            raise _too_big(file, memory_mb) from exc
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
    if status == "ok":
        return value
    if status == "memory" or (status == "crash" and any(s in str(value) for s in _OUT_OF_MEMORY)):
        raise _too_big(file, memory_mb)
    if status == "findings":
        raise DatasetError(_memory_findings(value, file, memory_mb))
    raise DatasetError(Finding("fout", file, f"het bestand kon niet worden gelezen ({value})",
                               "controleer het bestand; blijft de fout, meld haar dan met dit bericht"))


def _memory_findings(findings: list[Finding], file: str, memory_mb: int) -> list[Finding]:
    """The findings, with one that reports a loader's caught MemoryError replaced by the Dutch "te groot"."""
    out = []
    for finding in findings:
        if finding.level == "fout" and any(s in finding.problem for s in _OUT_OF_MEMORY):
            big = next(iter(_too_big(finding.file or file, memory_mb).findings))
            out.append(big)
        else:
            out.append(finding)
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------------------
# The loaders the upload paths use
# --------------------------------------------------------------------------------------

def _load(path: Path) -> tuple[Dataset, list[Finding]]:
    from analysis.load.dataset import load_dataset

    findings = Findings()
    try:
        ds = load_dataset(path, findings)
    except DatasetError as error:
        raise DatasetError([*findings.items, *(f for f in error.findings if f not in findings.items)]) from error
    return ds, list(findings.items)


def load_isolated(path: Path | str, memory_mb: int | None = None, timeout_s: float | None = None,
                  findings: Findings | None = None) -> Dataset:
    """:func:`analysis.load.dataset.load_dataset` in a child process with a memory and a time limit.

    Parameters
    ----------
    path : path-like
        What ``load_dataset`` accepts (a folder, dataset.toml, a ZIP, a single buurten file).
    memory_mb, timeout_s : optional
        The limits (default :func:`limits`).
    findings : Findings, optional
        Receives every finding of the load (also when it fails).

    Returns
    -------
    Dataset
        The same dataset ``load_dataset`` gives.

    Raises
    ------
    DatasetError
        As ``load_dataset``; "te groot" / "te traag" naming the file when a limit is hit.
    """
    path = Path(path)
    try:
        ds, items = run_isolated(_load, path, file=path.name, memory_mb=memory_mb, timeout_s=timeout_s)
    except DatasetError as error:
        if findings is not None:
            findings.extend(f for f in error.findings if f not in findings.items)
        raise
    if findings is not None:
        findings.extend(items)
    return ds


def detect_isolated(files: list[tuple[Path, str]], work: Path) -> list[Detection]:
    """:func:`analysis.load.detect.detect_files` in a child process with the limits of :func:`limits`."""
    from analysis.load.detect import detect_files

    names = ", ".join(name for _, name in files[:3]) + (" ..." if len(files) > 3 else "")
    return run_isolated(detect_files, files, work, file=names or "upload")


def check_plan_isolated(plan: ImportPlan, work: Path) -> PlanCheck:
    """:func:`analysis.load.plan.check_plan` in a child process; a limit hit gives an unusable check."""
    from analysis.load.plan import PlanCheck, check_plan

    try:
        return run_isolated(check_plan, plan, work, file=plan.name)
    except DatasetError as error:
        return PlanCheck(False, None, {f.name: [] for f in plan.files}, list(error.findings), None)


def amend_isolated(ds: Dataset, source: str, work: Path, upload: Path | None = None, upload_name: str | None = None,
                   component: str | None = None, remove: bool = False) -> AmendResult:
    """:func:`analysis.load.amend.amend` in a child process; a limit hit gives an unusable result."""
    from analysis.load.amend import AmendResult, amend

    try:
        return run_isolated(amend, ds, source, work, upload, upload_name, component, remove,
                            file=upload_name or (upload.name if upload else source))
    except DatasetError as error:
        found = list(error.findings)
        return AmendResult(False, None, found, found)


__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S", "MEMORY_ENV", "TIMEOUT_ENV", "amend_isolated",
           "check_plan_isolated", "detect_isolated", "limits", "load_isolated", "run_isolated"]
