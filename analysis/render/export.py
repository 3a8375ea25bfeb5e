"""The batch export: every wijkprofiel, the tables, the workbook and the files for other tools in one folder or ZIP."""

from __future__ import annotations

import ctypes
import ctypes.util
import html
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import shapely

from analysis import uploads
from analysis.components import COMPONENTS_BY_KEY
from analysis.compute import network
from analysis.compute.profile import build_profile
from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.formatting import format_number
from analysis.model import Dataset, belongs_to_year
from analysis.render.interchange import areas_gpkg, network_gexf, network_graphml
from analysis.render.png import MapContext, map_context, profile_png
from analysis.render.tables import check_wijk, csv_bytes, mark_fictional, readable_frame, table_rows
from analysis.render.workbook import WORKBOOK_NAME, indicators_workbook

__all__ = ["EXCEL_SUFFIX", "EXPORT_MARKER", "INCOMPLETE_INFIX", "MAX_FILENAME_LENGTH", "PROFILE_DIR", "Progress",
           "export_all", "export_zip", "safe_filename"]

Progress = Callable[[float, str], None]

#: File-name suffix of the readable (Dutch Excel) flavour of every CSV in the batch export.
EXCEL_SUFFIX = "_excel"
#: Windows device names that cannot be used as a file name (with any extension).
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})
#: Longest file-name stem :func:`safe_filename` returns (Windows allows 255 for a whole name; zip
#: tools and deep folders leave less).
MAX_FILENAME_LENGTH = 80
#: Folder of the per-wijk files inside the batch export.
PROFILE_DIR = "wijkprofielen"
#: Fixed timestamp of every ZIP entry, so the same export gives the same ZIP.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Empty file in every complete export folder: the sign that the folder may be replaced by the next export.
EXPORT_MARKER = ".wijkweefsel-export"
#: A folder being written is the sibling ``<name>.onvolledig-<pid>.<start>``; a previous export being swapped
#: out is ``<name>.vorige-<pid>.<start>``. What a killed export leaves of either is tidied by the next export.
INCOMPLETE_INFIX = ".onvolledig-"
_PREVIOUS_INFIX = ".vorige-"
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two paths in one atomic step


def safe_filename(name: str, max_length: int = MAX_FILENAME_LENGTH) -> str:
    """A file-name stem that is safe on Windows, macOS and Linux, in ZIP files and in URLs.

    Accents are folded to ASCII (``Één`` -> ``Een``); characters Windows forbids
    (``<>:"/\\|?*`` and control characters), whitespace and every other character except
    letters, digits and ``. _ - ( )`` become ``_``; runs of ``_`` are
    collapsed, leading and trailing dots, spaces and underscores are removed, a Windows
    device name (``CON``, ``NUL``, ``COM1`` ...; also with an extension) gets a leading
    ``_``, and the result is cut to ``max_length`` characters. An empty result is ``_``.

    Parameters
    ----------
    name : str
        Any text (an area code and name, for example).
    max_length : int
        Maximum length of the result.

    Returns
    -------
    str
        The safe stem (add the extension yourself).
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f\s]+', "_", text)
    text = re.sub(r"[^A-Za-z0-9._()-]", "_", text)
    text = re.sub(r"_+", "_", text).strip(" ._")
    if text.split(".")[0].upper() in _RESERVED_NAMES:
        text = "_" + text
    text = text[:max(int(max_length), 1)].rstrip(" .")
    return text or "_"


# --------------------------------------------------------------------------------------
# Tables of the sources
# --------------------------------------------------------------------------------------

def _facility_table(ds: Dataset) -> pd.DataFrame:
    frame = pd.DataFrame(ds.facilities.drop(columns="geometry", errors="ignore")).copy()
    if len(ds.facilities):
        xy = shapely.get_coordinates(ds.facilities.geometry.representative_point().to_numpy())
        frame["x_rd"], frame["y_rd"] = np.round(xy[:, 0], 1), np.round(xy[:, 1], 1)
    frame["component_naam"] = frame["component"].map(lambda k: getattr(COMPONENTS_BY_KEY.get(str(k)), "label", ""))
    return frame


def _association_table(ds: Dataset, year: int, metrics: pd.DataFrame | None) -> pd.DataFrame:
    """The associations with the network metrics of ``year`` on the rows of that year (the one year rule)."""
    frame = pd.DataFrame(ds.associations.drop(columns="geometry", errors="ignore")).copy()
    if metrics is not None and len(metrics) and len(frame):
        m = metrics.assign(id=metrics["id"].astype(str)).set_index("id")
        this_year = belongs_to_year(frame, year, ds.year).to_numpy(bool)
        for column in network.METRIC_COLUMNS[1:]:
            values = frame["id"].astype(str).map(m[column])
            frame[column] = values.where(this_year)
    return frame


# --------------------------------------------------------------------------------------
# The index page
# --------------------------------------------------------------------------------------

def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _href(path: str) -> str:
    return _esc(quote(path))


def _profile_cards(profiles: list[dict[str, str]], ranking: pd.DataFrame) -> str:
    rank = {} if ranking.empty else dict(zip(ranking["gebiedscode"].astype(str), ranking["prioriteit_rang"],
                                             strict=True))
    cards = []
    for item in profiles:
        r = rank.get(item["code"])
        rank_text = f" · prioriteit {format_number(r, 0)}" if r is not None and not pd.isna(r) else ""
        cards.append(
            f"<section class='wijk' id='{_esc(item['code'])}'>"
            f"<h2>{_esc(item['name'])} <span class='code'>({_esc(item['code'])}{_esc(rank_text)})</span></h2>"
            f"<p><a href='{_href(item['png'])}'>afbeelding (PNG)</a> · <a href='{_href(item['csv'])}'>cijfers (CSV)</a>"
            f" · <a href='{_href(item['csv_excel'])}'>cijfers voor Excel</a></p>"
            f"<a href='{_href(item['png'])}'><img src='{_href(item['png'])}' loading='lazy' "
            f"alt='Wijkprofiel {_esc(item['name'])}'></a></section>")
    return "".join(cards)


_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1280px; color: #222;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
.code { color: #666; font-weight: normal; font-size: 1rem; }
.demo { background: #CC3311; color: white; padding: 0.6rem 1rem; font-weight: bold; border-radius: 4px; }
.wijk { border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1.5rem; }
.wijk img { width: 100%; height: auto; border: 1px solid #ddd; }
ul.toc { columns: 3; }
a { color: #1f4e8c; }
"""


def _index_html(ds: Dataset, year: int, profiles: list[dict[str, str]], ranking: pd.DataFrame,
                files: list[str]) -> str:
    title = f"Wijkprofielen {ds.gemeente_name} {year}"
    demo = ("<p class='demo'>FICTIEF: dit zijn demogegevens van een verzonnen gemeente, geen echte wijken.</p>"
            if ds.is_demo else "")
    toc = "".join(f"<li><a href='#{_esc(quote(i['code']))}'>{_esc(i['name'])} ({_esc(i['code'])})</a></li>"
                  for i in profiles)
    file_list = "".join(f"<li><a href='{_href(f)}'>{_esc(f)}</a></li>" for f in files)
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{_esc(title)}</h1>
<p>Dataset: {_esc(ds.name)} · {format_number(len(profiles), 0)} wijkprofielen · meetjaar {year}. Deze pagina werkt zonder
internet: alle bestanden staan in deze map.</p>
{demo}
<h2>Wijken</h2>
<ul class="toc">{toc}</ul>
<h2>Bestanden</h2>
<p><a href='{_href(WORKBOOK_NAME)}'><code>{WORKBOOK_NAME}</code></a> is het Excel-bestand om te lezen: per niveau een
blad met een rij per gebied en een kolom per indicator, met de definities en de bronnen. Bestanden die eindigen op
<code>_excel.csv</code> openen met een dubbelklik goed in Nederlandse Excel (puntkomma, decimale komma, afgerond).
De andere CSV-bestanden zijn voor rekenprogramma's: komma, decimale punt, volle precisie.
<code>netwerk.gexf</code> is voor Gephi, <code>netwerk.graphml</code> voor Cytoscape,
<code>gebieden.gpkg</code> voor QGIS (EPSG:28992).</p>
<ul>{file_list}</ul>
{_profile_cards(profiles, ranking)}
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

@dataclass
class _Export:
    """One batch export in progress: where it goes, what was written, who is told."""

    ds: Dataset
    out: Path
    year: int
    report: Progress
    written: list[Path] = field(default_factory=list)

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(data)
        self.written.append(path)

    def csv(self, stem: str, frame: pd.DataFrame) -> None:
        """``<stem>.csv`` for tools (full precision) and ``<stem>_excel.csv`` for people (rounded), both marked."""
        self.write(f"{stem}.csv", csv_bytes(mark_fictional(frame, self.ds.is_demo), "standaard"))
        readable = mark_fictional(readable_frame(frame, self.ds.registry), self.ds.is_demo)
        self.write(f"{stem}{EXCEL_SUFFIX}.csv", csv_bytes(readable, "excel-nl"))


# --------------------------------------------------------------------------------------
# The folder moved into place only when complete
# --------------------------------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where the system cannot."""
    name = ctypes.util.find_library("c")
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2 if name else None
    except AttributeError:
        renameat2 = None
    if renameat2 is None:
        return False
    at_cwd = -100
    return renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _tidy(out: Path) -> None:
    """Remove what killed exports into ``out`` left behind; put back a previous export a swap left aside."""
    for infix in (INCOMPLETE_INFIX, _PREVIOUS_INFIX):
        for leftover in sorted(out.parent.glob(f"{glob_escape(out.name)}{infix}*")):
            if uploads.owner_alive(leftover.name.rsplit(infix, 1)[1]):
                continue  # an export running now in another process
            if infix == _PREVIOUS_INFIX and not out.exists() and (leftover / EXPORT_MARKER).is_file():
                leftover.rename(out)  # killed between the two renames of the fallback swap: the old one is complete
            else:
                shutil.rmtree(leftover, ignore_errors=True)


def _check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that holds anything but a previous export (or nothing)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise DatasetError(Finding("fout", str(out), "dit is een bestand, geen map", "kies een map voor de export"))
    if (out / EXPORT_MARKER).is_file() or not any(out.iterdir()):
        return
    raise DatasetError(Finding("fout", str(out), "de map bestaat al en bevat andere bestanden dan een export van "
                               "Wijkweefsel; die worden niet overschreven",
                               "kies een nieuwe of lege map (een eerdere export in die map wordt wel vervangen)"))


def _move_into_place(staging: Path, out: Path) -> None:
    """Put the complete ``staging`` folder at ``out``, replacing a previous export there."""
    (staging / EXPORT_MARKER).write_bytes(b"")
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous export
        return
    previous = out.with_name(f"{out.name}{_PREVIOUS_INFIX}{uploads.owner_tag()}")
    out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)


def _wijk_codes(ds: Dataset, wijken: Iterable[str] | None) -> list[str]:
    """The wijken asked for (default all, sorted), each checked to exist."""
    codes = list(dict.fromkeys(str(c) for c in wijken)) if wijken is not None else \
        sorted(ds.wijken["gebiedscode"].astype(str))
    for code in codes:
        check_wijk(ds, code)
    return codes


def _write_profiles(job: _Export, table: pd.DataFrame, codes: list[str], context: MapContext,
                    metrics: pd.DataFrame | None) -> list[dict[str, str]]:
    """The PNG and both CSVs of every wijk; returns what the index page links to."""
    names = dict(zip(job.ds.wijken["gebiedscode"].astype(str), job.ds.wijken["gebiedsnaam"].astype(str), strict=True))
    total = len(codes) + 3
    profiles = []
    for i, code in enumerate(codes):
        job.report(i / total, f"Wijkprofiel {i + 1} van {len(codes)}: {names[code]}")
        stem = f"{PROFILE_DIR}/{safe_filename(f'{code}_{names[code]}')}"
        profile = build_profile(job.ds, table, code, year=job.year, metrics=metrics)
        job.write(f"{stem}.png", profile_png(job.ds, table, code, job.year, profile=profile, context=context))
        job.csv(stem, table_rows(table, code, "wijk"))
        profiles.append({"code": code, "name": names[code], "png": f"{stem}.png", "csv": f"{stem}.csv",
                         "csv_excel": f"{stem}{EXCEL_SUFFIX}.csv"})
    return profiles


def export_all(ds: Dataset, table: pd.DataFrame, out_dir: str | Path, wijken: Iterable[str] | None = None,
               progress: Progress | None = None, year: int | None = None) -> list[Path]:
    """Write every export of a dataset into one folder.

    Files (every CSV in two flavours: ``<name>.csv`` for tools at full precision and
    ``<name>_excel.csv`` for people in Dutch Excel, rounded to each unit's precision; on demo data
    both carry the column ``fictief`` = ``ja``):

    - ``wijkprofielen/<code>_<name>.png`` and ``.csv`` / ``_excel.csv`` per wijk;
    - ``indicatoren.xlsx``: the workbook for people (:func:`analysis.render.workbook.indicators_workbook`);
    - ``indicatoren_buurt``, ``indicatoren_wijk``, ``indicatoren_gemeente``: the full tidy
      indicator table per level (all years);
    - ``prioriteiten``: the wijk ranking of ``year`` with each criterion's contribution;
    - ``voorzieningen`` and ``verenigingen`` (with network metrics of ``year``);
    - ``netwerk.gexf`` and ``netwerk.graphml`` (``year``);
    - ``gebieden.gpkg`` (EPSG:28992, layers buurten, wijken, gemeente);
    - ``index.html``: an offline page showing the profiles.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table.
    out_dir : str or Path
        The export folder. Everything is written into the sibling ``<name>.onvolledig-<pid>.<start>``
        and moved into place only when complete, replacing a previous export (a folder holding
        :data:`EXPORT_MARKER`) or an empty folder in one step; a kill at any moment leaves the
        previous complete folder or the new one, and what it left aside is removed by the next export.
    wijken : iterable of str, optional
        Wijk codes to make profiles for; default every wijk.
    progress : callable, optional
        ``progress(fraction, message)`` with a Dutch message, as the work proceeds.
    year : int, optional
        Year of the profiles, workbook, priorities, network and GeoPackage; default ``ds.year``.

    Returns
    -------
    list of Path
        The files written, in writing order.

    Raises
    ------
    DatasetError
        When a requested wijk is not in the dataset, or ``out_dir`` holds other files than an export.
    """
    codes = _wijk_codes(ds, wijken)
    out = Path(out_dir).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    _tidy(out)
    _check_replaceable(out)
    staging = out.with_name(f"{out.name}{INCOMPLETE_INFIX}{uploads.owner_tag()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    job = _Export(ds, staging, int(ds.year if year is None else year), progress or (lambda f, m: None))
    try:
        _write_all(job, table, codes)
        _move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / p.relative_to(staging) for p in job.written]


def _write_all(job: _Export, table: pd.DataFrame, codes: list[str]) -> None:
    """Every file of :func:`export_all` into ``job.out``."""
    from analysis.compute.priorities import priorities  # the engine is only needed for the ranking

    ds = job.ds
    context = map_context(ds)
    metrics = context.year_metrics(ds, job.year)
    profiles = _write_profiles(job, table, codes, context, metrics)

    total = len(codes) + 3
    job.report(len(codes) / total, "Indicatorentabellen, werkmap en prioriteiten")
    job.write(WORKBOOK_NAME, indicators_workbook(ds, table, job.year))
    for level in ("buurt", "wijk", "gemeente"):
        job.csv(f"indicatoren_{level}", table_rows(table, level=level))
    ranking = priorities(table, job.year) if len(table) else pd.DataFrame()
    job.csv("prioriteiten", ranking)
    job.csv("voorzieningen", _facility_table(ds))
    job.csv("verenigingen", _association_table(ds, job.year, metrics))

    job.report((len(codes) + 1) / total, "Netwerk voor Gephi en Cytoscape")
    job.write("netwerk.gexf", network_gexf(ds, job.year))
    job.write("netwerk.graphml", network_graphml(ds, job.year))

    job.report((len(codes) + 2) / total, "Gebieden voor QGIS")
    job.written.append(areas_gpkg(ds, table, job.out / "gebieden.gpkg", job.year))

    others = sorted(p.relative_to(job.out).as_posix() for p in job.written if p.parent == job.out)
    job.write("index.html", _index_html(ds, job.year, profiles, ranking, others))
    job.report(1.0, "Klaar")


def export_zip(ds: Dataset, table: pd.DataFrame, wijken: Iterable[str] | None = None,
               progress: Progress | None = None, year: int | None = None) -> bytes:
    """:func:`export_all` as one ZIP file (entries sorted, fixed timestamps).

    Parameters and errors as :func:`export_all`.

    Returns
    -------
    bytes
        The ZIP archive.
    """
    with tempfile.TemporaryDirectory(prefix="wijkweefsel_export_") as tmp:
        root = Path(tmp) / "export"
        files = export_all(ds, table, root, wijken=wijken, progress=progress, year=year)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(set(files), key=lambda p: p.relative_to(root).as_posix()):
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        return buffer.getvalue()
