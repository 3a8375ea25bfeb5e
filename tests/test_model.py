"""Tests for analysis.model: the dataset's content hash (the cache key of every computation)."""

from __future__ import annotations

from analysis.load.dataset import load_demo


def test_content_hash_is_stable_and_follows_the_content():
    first, second = load_demo(), load_demo()
    assert first.content_hash() == second.content_hash()
    second.buurten.loc[second.buurten.index[0], "inwoners"] = 1.0 + float(second.buurten["inwoners"].iloc[0])
    assert first.content_hash() != second.content_hash()
    third = load_demo()
    third.wijken.geometry = third.wijken.geometry.translate(1.0, 0.0)
    assert first.content_hash() != third.content_hash()
