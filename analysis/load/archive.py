"""The safe ZIP: a dataset folder packed as a ZIP, unpacked without traversal, links or unbounded size."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from analysis.errors import DatasetError
from analysis.findings import Finding

#: Unzipping limits: total uncompressed size, number of members.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
#: How much is read from a member at a time while unpacking.
_CHUNK_BYTES = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


def open_archive(path: Path, file: str) -> zipfile.ZipFile:
    """Open a ZIP file; a Dutch finding when it is damaged or no ZIP at all."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DatasetError(Finding("fout", file, "het ZIP-bestand is beschadigd of geen ZIP",
                                   "pak de datasetmap opnieuw in als ZIP")) from exc


def _member_name(member: zipfile.ZipInfo) -> str:
    return member.filename.replace("\\", "/")


def _too_large(file: str) -> DatasetError:
    return DatasetError(Finding("fout", file, f"het ZIP-bestand is uitgepakt groter dan {MAX_UNZIPPED_BYTES // 2**20} MB",
                                "maak de dataset kleiner of laad de map rechtstreeks"))


def safe_members(archive: zipfile.ZipFile, file: str) -> list[zipfile.ZipInfo]:
    """The archive's file members after the safety checks.

    Folders, ``__MACOSX/`` and ``.DS_Store`` are left out. Refused: more than
    :data:`MAX_ZIP_MEMBERS` members, absolute paths, drive letters, ``..``, symbolic links, and a
    declared total size over :data:`MAX_UNZIPPED_BYTES` (the real size is counted again while
    unpacking, see :func:`extract`).

    Raises
    ------
    DatasetError
        With a Dutch finding naming the problem.
    """
    members = [m for m in archive.infolist() if not m.is_dir()
               and not m.filename.startswith("__MACOSX/") and PurePosixPath(m.filename).name != ".DS_Store"]
    if len(members) > MAX_ZIP_MEMBERS:
        raise DatasetError(Finding("fout", file, f"het ZIP-bestand bevat {len(members)} bestanden (meer dan {MAX_ZIP_MEMBERS})",
                                   "zet alleen de bestanden van de dataset in het ZIP-bestand"))
    for member in members:
        name = _member_name(member)
        is_link = (member.external_attr >> 16) & 0o170000 == 0o120000
        if name.startswith("/") or _DRIVE.match(name) or ".." in PurePosixPath(name).parts or is_link:
            raise DatasetError(Finding("fout", file, f"het ZIP-bestand bevat een onveilig pad '{member.filename}'",
                                       "pak de datasetmap opnieuw in zonder verwijzingen buiten de map"))
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise _too_large(file)
    return members


def extract(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path, file: str) -> None:
    """Extract members under ``target``, counting the real bytes (declared sizes may lie).

    Raises
    ------
    DatasetError
        When the unpacked bytes pass :data:`MAX_UNZIPPED_BYTES`.
    """
    written = 0
    for member in members:
        out = target.joinpath(*PurePosixPath(_member_name(member)).parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as src, open(out, "wb") as dst:
            while chunk := src.read(_CHUNK_BYTES):
                written += len(chunk)
                if written > MAX_UNZIPPED_BYTES:
                    raise _too_large(file)
                dst.write(chunk)


def manifest_in_zip(members: list[zipfile.ZipInfo], file: str, manifest_name: str) -> str | None:
    """The member name of the manifest at the root or in exactly one subfolder; None when there is none.

    Raises
    ------
    DatasetError
        When several subfolders each hold a manifest.
    """
    names = [_member_name(m) for m in members]
    at_root = [n for n in names if n == manifest_name]
    if at_root:
        return at_root[0]
    nested = [n for n in names if len(PurePosixPath(n).parts) == 2 and PurePosixPath(n).name == manifest_name]
    if len(nested) > 1:
        folders = ", ".join(sorted(PurePosixPath(n).parts[0] for n in nested))
        raise DatasetError(Finding("fout", file, f"het ZIP-bestand bevat meer dan één dataset ({folders})",
                                   "zet één datasetmap in het ZIP-bestand"))
    return nested[0] if nested else None
