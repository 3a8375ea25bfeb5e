"""The safe ZIP: a dataset folder packed as a ZIP, unpacked without traversal, links or unbounded size."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from analysis.errors import DatasetError
from analysis.findings import Finding
from analysis.formatting import format_number
from analysis.load.tables import MAX_TABLE_BYTES

#: Unzipping limits: total uncompressed size, number of members.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
#: How much is read from a member at a time while unpacking.
_CHUNK_BYTES = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
#: Members read as tables: refused while unpacking as soon as they pass MAX_TABLE_BYTES (no need to unpack
#: 950 MB of a bomb to find out that its CSV is too large to read).
_TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


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
    :data:`MAX_ZIP_MEMBERS` members, absolute paths, drive letters, ``..``, symbolic links and
    encrypted members. Sizes are not taken from the headers: :func:`extract` counts what it unpacks.

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
    encrypted = [m.filename for m in members if m.flag_bits & 0x1]
    if encrypted:
        raise DatasetError(Finding("fout", file, f"het ZIP-bestand is versleuteld met een wachtwoord ('{encrypted[0]}'); "
                                   "dat wordt niet gelezen",
                                   "pak het ZIP-bestand uit en pak de map opnieuw in zonder wachtwoord"))
    return members


def _table_too_large(file: str, member: str) -> DatasetError:
    return DatasetError(Finding(
        "fout", PurePosixPath(member).name, f"het bestand in {file} is uitgepakt groter dan "
        f"{format_number(MAX_TABLE_BYTES / 2**20, 0)} MB; meer wordt niet gelezen",
        "splits het bestand (bijvoorbeeld per jaar of per wijk) en noem elk deel in dataset.toml, of laat rijen en "
        "kolommen weg die u niet nodig hebt"))


def _damaged(file: str, member: str, reason: str) -> DatasetError:
    return DatasetError(Finding("fout", file, f"het ZIP-bestand is beschadigd: {reason} ('{member}')",
                                "pak de datasetmap opnieuw in als ZIP (in Windows: rechtermuisknop, Kopiëren naar, "
                                "Gecomprimeerde map)"))


def _copy_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, out: Path, written: int, file: str) -> int:
    """Unpack one member, counting the real bytes; returns the running total."""
    own = 0
    table = PurePosixPath(member.filename).suffix.lower() in _TABLE_SUFFIXES
    try:
        with archive.open(member) as src, open(out, "wb") as dst:
            while chunk := src.read(_CHUNK_BYTES):
                own += len(chunk)
                if written + own > MAX_UNZIPPED_BYTES:
                    raise _too_large(file)
                if table and own > MAX_TABLE_BYTES:
                    raise _table_too_large(file, member.filename)
                dst.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a CRC or stream that does not match its header
        raise _damaged(file, member.filename, "de inhoud klopt niet met de kop (grootte of controlegetal)") from exc
    except NotImplementedError as exc:
        raise _damaged(file, member.filename, "de compressiemethode wordt niet ondersteund") from exc
    if own != member.file_size:
        raise _damaged(file, member.filename, f"de kop noemt {member.file_size} bytes, de inhoud is {own} bytes")
    return written + own


def extract(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path, file: str) -> None:
    """Extract members under ``target``, counting the real bytes: declared sizes may lie, so the limit
    (:data:`MAX_UNZIPPED_BYTES`) is checked on what is actually unpacked, and a member whose content
    does not match its header (size or CRC) is refused.

    Raises
    ------
    DatasetError
        When the unpacked bytes pass :data:`MAX_UNZIPPED_BYTES` or a member is damaged.
    """
    written = 0
    for member in members:
        out = target.joinpath(*PurePosixPath(_member_name(member)).parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        written = _copy_member(archive, member, out, written, file)


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
