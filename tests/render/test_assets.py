"""Tests for analysis.render.assets: Leaflet copied from the installed xstatic-leaflet package, idempotently."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from analysis.render import assets
from analysis.render.assets import (
    LEAFLET_FILES,
    VENDOR_DIR,
    MapAssetsError,
    ensure_map_assets,
    leaflet_source_dir,
    leaflet_urls,
)

REPO = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_copies_leaflet_from_the_installed_package(tmp_path):
    import xstatic.pkg.leaflet as package

    target = ensure_map_assets(tmp_path)

    assert target == tmp_path / "static" / "vendor" / "leaflet"
    source = Path(package.BASE_DIR)
    for name in LEAFLET_FILES:
        assert digest(target / name) == digest(source / name), name
    js = (target / "leaflet.js").read_text(encoding="utf-8", errors="replace")
    assert "Leaflet 1.9" in js[:400] and package.VERSION.startswith("1.9")
    assert ".leaflet-container" in (target / "leaflet.css").read_text(encoding="utf-8")
    assert not list(target.rglob("*.tmp"))


def test_is_idempotent_and_repairs_changed_files(tmp_path):
    target = ensure_map_assets(tmp_path)
    stamps = {name: (target / name).stat().st_mtime_ns for name in LEAFLET_FILES}
    inodes = {name: (target / name).stat().st_ino for name in LEAFLET_FILES}

    assert ensure_map_assets(tmp_path) == target
    # Nothing is rewritten when the files are up to date.
    assert {name: (target / name).stat().st_ino for name in LEAFLET_FILES} == inodes
    assert {name: (target / name).stat().st_mtime_ns for name in LEAFLET_FILES} == stamps

    # A damaged or missing file is put back.
    (target / "leaflet.css").write_text("kapot")
    (target / "images" / "layers.png").unlink()
    ensure_map_assets(tmp_path)
    source = leaflet_source_dir()
    assert digest(target / "leaflet.css") == digest(source / "leaflet.css")
    assert digest(target / "images" / "layers.png") == digest(source / "images" / "layers.png")


def test_missing_package_gives_a_dutch_message(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("xstatic"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(MapAssetsError, match="xstatic-leaflet"):
        ensure_map_assets(tmp_path)
    assert not (tmp_path / "static").exists()


def test_unusable_folder_gives_a_dutch_message(tmp_path):
    # A file where the folder should be cannot be written into, not even by root.
    (tmp_path / "static").write_text("geen map")
    with pytest.raises(MapAssetsError, match="schrijfrechten"):
        ensure_map_assets(tmp_path)


def test_urls_point_at_the_vendor_folder_relative_to_the_server():
    js, css = leaflet_urls()
    assert js == "../../app/static/vendor/leaflet/leaflet.js"
    assert css == "../../app/static/vendor/leaflet/leaflet.css"
    assert leaflet_urls("/app/static/vendor/") == ("/app/static/vendor/leaflet/leaflet.js",
                                                  "/app/static/vendor/leaflet/leaflet.css")
    # Streamlit serves <app root>/static/ under /app/static/, so the URL prefix and folder agree.
    assert "app/" + VENDOR_DIR.as_posix() == assets.ASSET_URL_PREFIX


def test_vendor_folder_is_gitignored_and_not_committed():
    result = subprocess.run(["git", "check-ignore", "-q", "static/vendor/leaflet/leaflet.js"], cwd=REPO,
                            capture_output=True)
    assert result.returncode == 0, "static/vendor/ must be in .gitignore"
    tracked = subprocess.run(["git", "ls-files", "static/vendor"], cwd=REPO, capture_output=True, text=True)
    assert tracked.stdout.strip() == ""
