"""Fixtures of the demo tests: the committed demo as the app loads it, and comparing a written tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.model import Dataset


@pytest.fixture
def ds(demo_dataset: Dataset) -> Dataset:
    """The committed demo, loaded the way the app loads it (the session fixture, not to be mutated)."""
    return demo_dataset


@pytest.fixture
def same_tree() -> Callable[[list[Path], Path], None]:
    """Assert that written files are exactly the files of a committed folder, byte for byte."""
    def check(generated: list[Path], committed_dir: Path) -> None:
        names = sorted(p.name for p in generated)
        assert names == sorted(p.name for p in committed_dir.iterdir() if p.is_file())
        for path in generated:
            assert path.read_bytes() == (committed_dir / path.name).read_bytes(), f"{path.name} differs"
    return check
