"""Where the tests find their data: the copies in tests/data/ and the large files in ../shared/data/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The repository root.
REPO = Path(__file__).resolve().parents[1]
#: Real test data copied into the project (small files, with their SOURCE.md).
TEST_DATA = REPO / "tests" / "data"
#: The Zwolle core files (CBS areas, schools, care, monitor, data dictionary, yearly buurt figures).
ZWOLLE = TEST_DATA / "zwolle"
#: The large shared files beside the clone (addresses, the Eindhoven network, the national files).
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_file(*parts: str) -> Path:
    """A file in ``../shared/data``; skips the test when it is absent, fails when ``CI=true``.

    The large real files are not copied into the project. Outside CI a fresh clone without
    ``../shared`` beside it skips the tests that need them, with the reason; in CI they must be there.
    """
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        reason = f"{path} ontbreekt: dit bestand staat alleen in ../shared/data (naast de clone)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)
    return path
