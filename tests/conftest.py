"""Shared fixtures: the demo dataset and its indicator table, computed once per test session.

Tests must not mutate these objects; copy a frame before changing it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.model import Dataset


@pytest.fixture(scope="session")
def demo_dataset() -> Dataset:
    """The embedded demo municipality (data/demo), loaded once."""
    from analysis.load.dataset import load_demo

    return load_demo()


@pytest.fixture(scope="session")
def demo_table(demo_dataset: Dataset) -> pd.DataFrame:
    """The demo's tidy indicator table with the default parameters, computed once."""
    from analysis.compute.indicators import compute_indicators

    return compute_indicators(demo_dataset)
