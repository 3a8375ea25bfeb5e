"""Tests for analysis.load.archive: the safe ZIP, with headers that lie, passwords, links and limits (generated ZIPs)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from analysis.errors import DatasetError
from analysis.load import archive, dataset
from analysis.load.manifest import MANIFEST_NAME

CONTENT = b"x" * 5000


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buffer.getvalue()


def _patch_sizes(data: bytes, declared: int) -> bytes:
    """The ZIP with the first member's uncompressed size in both headers replaced by ``declared``."""
    raw = bytearray(data)
    struct.pack_into("<I", raw, 22, declared)                     # local file header
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, declared)           # central directory
    return bytes(raw)


def _patch_flags(data: bytes, flags: int) -> bytes:
    """The ZIP with the first member's general purpose flags set (bit 0: encrypted)."""
    raw = bytearray(data)
    struct.pack_into("<H", raw, 6, flags)
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 8, flags)
    return bytes(raw)


def _unpack(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "dataset.zip"
    path.write_bytes(data)
    with archive.open_archive(path, path.name) as opened:
        members = archive.safe_members(opened, path.name)
        archive.extract(opened, members, tmp_path / "uit", path.name)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("declared", [100, 10**9])
def test_headers_that_lie_about_the_size_get_a_plain_dutch_finding(tmp_path, method, declared):
    data = _patch_sizes(_zip({MANIFEST_NAME: CONTENT}, method), declared)
    with pytest.raises(DatasetError) as err:
        _unpack(tmp_path, data)
    [finding] = err.value.findings.items
    assert finding.file == "dataset.zip" and "het ZIP-bestand is beschadigd" in finding.problem
    assert MANIFEST_NAME in finding.problem and "opnieuw in als ZIP" in finding.fix
    assert "Traceback" not in str(err.value) and "CRC" not in finding.problem


def test_a_header_claiming_a_huge_size_is_not_trusted_for_the_limit(tmp_path, monkeypatch):
    # 2 GB declared, 5 kB inside: not refused as too large (the limit counts what is unpacked) ...
    data = _patch_sizes(_zip({MANIFEST_NAME: CONTENT}), 2**31)
    with pytest.raises(DatasetError) as err:
        _unpack(tmp_path, data)
    assert "groter dan" not in err.value.findings.items[0].problem
    # ... and the real size is counted while unpacking
    monkeypatch.setattr(archive, "MAX_UNZIPPED_BYTES", 4000)
    with pytest.raises(DatasetError, match="uitgepakt groter dan"):
        _unpack(tmp_path, _zip({MANIFEST_NAME: CONTENT}))


def test_an_encrypted_zip_gets_a_plain_dutch_finding(tmp_path):
    data = _patch_flags(_zip({MANIFEST_NAME: CONTENT}), 0x1)
    with pytest.raises(DatasetError) as err:
        _unpack(tmp_path, data)
    [finding] = err.value.findings.items
    assert "versleuteld met een wachtwoord" in finding.problem and "zonder wachtwoord" in finding.fix


def test_too_many_members_links_and_traversal(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 3)
    with pytest.raises(DatasetError, match="4 bestanden"):
        _unpack(tmp_path, _zip({f"f{i}.csv": b"a" for i in range(4)}))
    for name in ("../buiten.csv", "/etc/passwd", "C:/windows.csv"):
        with pytest.raises(DatasetError, match="onveilig pad"):
            _unpack(tmp_path, _zip({name: b"a"}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        link = zipfile.ZipInfo("link.csv")
        link.external_attr = (0o120777 << 16)
        out.writestr(link, "/etc/passwd")
    with pytest.raises(DatasetError, match="onveilig pad"):
        _unpack(tmp_path, buffer.getvalue())


def test_a_lying_zip_as_a_dataset_is_refused_with_the_finding(tmp_path):
    path = tmp_path / "kapot.zip"
    path.write_bytes(_patch_sizes(_zip({MANIFEST_NAME: b'[dataset]\nnaam = "x"\njaar = 2025\n' + b" " * 4000}), 50))
    findings = dataset.validate(path)
    assert findings.has_errors
    assert any("het ZIP-bestand is beschadigd" in x.problem and x.file == "kapot.zip" for x in findings.errors)
    assert not any("onverwachte fout" in x.problem for x in findings)


def test_a_table_that_unpacks_past_the_table_limit_is_refused_while_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TABLE_BYTES", 3 * 2**20)
    monkeypatch.setattr(archive, "_CHUNK_BYTES", 2**20)
    data = _zip({"set/verenigingen.csv": b"id,naam\n" + b"V1,Club\n" * (2**20), "set/plaatje.bin": b"\0" * (5 * 2**20)})
    with pytest.raises(DatasetError) as caught:
        _unpack(tmp_path, data)
    (finding,) = list(caught.value.findings)
    assert finding.file == "verenigingen.csv" and "dataset.zip" in finding.problem and "3 MB" in finding.problem
    written = tmp_path / "uit" / "set" / "verenigingen.csv"
    assert written.stat().st_size <= 3 * 2**20  # stopped at the limit, not unpacked whole


def test_a_large_non_table_member_is_not_held_to_the_table_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TABLE_BYTES", 2**20)
    _unpack(tmp_path, _zip({"set/plaatje.bin": b"\0" * (3 * 2**20)}))
    assert (tmp_path / "uit" / "set" / "plaatje.bin").stat().st_size == 3 * 2**20
