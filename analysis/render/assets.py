"""Serve the map's web assets (Leaflet) from the app itself, copied from the installed xstatic-leaflet package."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: URL path of the vendored assets relative to the Streamlit server root. Streamlit serves the folder
#: ``static/`` next to the main script under ``/app/static/`` when ``[server] enableStaticServing`` is on.
ASSET_URL_PREFIX = "app/static/vendor"

#: The same folder as seen from inside a Streamlit component iframe. The iframe document lives at
#: ``<base>/component/<component name>/index.html``, so two levels up is the server root. A relative URL
#: keeps working when the app runs under a ``server.baseUrlPath`` (behind a reverse proxy).
COMPONENT_ASSET_BASE_URL = f"../../{ASSET_URL_PREFIX}"

#: Folder (relative to the app root) the assets are copied into; gitignored, never committed.
VENDOR_DIR = Path("static") / "vendor"

#: Files taken from the ``xstatic-leaflet`` package, relative to its data folder.
LEAFLET_FILES: tuple[str, ...] = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


class MapAssetsError(RuntimeError):
    """The map assets cannot be provided (package missing or folder not writable); message in Dutch."""


def leaflet_source_dir() -> Path:
    """Folder of the installed ``xstatic-leaflet`` package's files.

    Raises
    ------
    MapAssetsError
        When the package is not installed.
    """
    try:
        import xstatic.pkg.leaflet as xstatic_leaflet
    except ImportError:
        raise MapAssetsError(
            "De kaartbestanden (Leaflet) ontbreken: het pakket xstatic-leaflet is niet geïnstalleerd. "
            "Oplossing: installeer het met 'pip install xstatic-leaflet==1.9.3.0' of 'pip install -e .'."
        ) from None
    return Path(xstatic_leaflet.BASE_DIR)


def leaflet_urls(base_url: str = COMPONENT_ASSET_BASE_URL) -> tuple[str, str]:
    """URLs of ``leaflet.js`` and ``leaflet.css`` under ``base_url``.

    Parameters
    ----------
    base_url : str
        Where the vendor folder is served; the default works inside the streamlit-folium iframe.

    Returns
    -------
    tuple of str
        ``(js_url, css_url)``.
    """
    base = base_url.rstrip("/")
    return f"{base}/leaflet/leaflet.js", f"{base}/leaflet/leaflet.css"


def _up_to_date(source: Path, target: Path) -> bool:
    """True when ``target`` exists with the size and modification time of ``source``."""
    try:
        src, dst = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    return src.st_size == dst.st_size and src.st_mtime_ns == dst.st_mtime_ns


def ensure_map_assets(app_root: Path) -> Path:
    """Copy Leaflet's files into ``<app_root>/static/vendor/leaflet/`` unless they are already there.

    Idempotent and cheap when up to date (one ``stat`` per file). Each file is written to a temporary
    name and renamed, so a browser never receives a half-written file.

    Parameters
    ----------
    app_root : Path
        Folder of the Streamlit main script (``static/`` is served relative to it).

    Returns
    -------
    Path
        The ``leaflet`` folder the files are in.

    Raises
    ------
    MapAssetsError
        When the package is missing or the folder cannot be written.
    """
    source_dir = leaflet_source_dir()
    target_dir = Path(app_root) / VENDOR_DIR / "leaflet"
    try:
        for name in LEAFLET_FILES:
            source, target = source_dir / name, target_dir / name
            if _up_to_date(source, target):
                continue
            if not source.exists():
                raise MapAssetsError(
                    f"Het bestand '{name}' ontbreekt in het pakket xstatic-leaflet ({source_dir}). "
                    "Oplossing: installeer het pakket opnieuw met 'pip install --force-reinstall "
                    "xstatic-leaflet==1.9.3.0'."
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copy2(source, temporary)
            os.replace(temporary, target)
    except OSError as exc:
        raise MapAssetsError(
            f"De kaartbestanden konden niet worden klaargezet in '{target_dir}': {exc.strerror or exc}. "
            "Oplossing: zorg dat de app schrijfrechten heeft in deze map."
        ) from exc
    return target_dir
