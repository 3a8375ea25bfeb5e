"""Tests for analysis.formatting: the one Dutch number formatter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import formatting as fmt


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.56, None, "1.235"), (12.345, None, "12,3"), (0.1234, None, "0,12"), (-2.5, None, "\u22122,5"),
    (7.0, None, "7"), (float("nan"), None, "\u2013"), (None, None, "\u2013"), (-0.001, 1, "0,0"),
    (1234.5, 2, "1.234,50"), (12.5, 0, "13"), (-12.5, 0, "\u221213"), (math.inf, None, "\u2013"),
    (pd.NA, None, "\u2013"), ("abc", None, "\u2013"), (np.float64(1e6), 0, "1.000.000"),
])
def test_format_number(value, decimals, expected):
    assert fmt.format_number(value, decimals) == expected


def test_missing_values_carry_their_reason():
    assert fmt.format_number(None, reason="te weinig respons") == "\u2013 (te weinig respons)"
    assert fmt.format_value(float("nan"), "%", reason="geheim") == "\u2013 (geheim)"


def test_format_value_uses_the_units_precision_and_suffix():
    assert fmt.format_value(12.5, "%") == "13%"
    assert fmt.format_value(12.5, "%", decimals=1) == "12,5%"
    assert fmt.format_value(850.4, "meter") == "850 m"
    assert fmt.format_value(6.84, "score 0-10") == "6,8"
    assert fmt.format_value(0.1193, "verhouding 0-1") == "0,12"
    assert fmt.format_value(110.97280057418759, "index (100 = gemiddelde)") == "111"


def test_format_difference():
    assert fmt.format_difference(2.5, "%", decimals=1) == "+2,5 procentpunt"
    assert fmt.format_difference(-40, "meter") == "\u221240 m"
    assert fmt.format_difference(0.0, "score 0-10") == "0,0"
    assert fmt.format_difference(None, "%") == "\u2013"


def test_format_numbers_is_vectorised_and_keeps_the_index():
    s = pd.Series([1.0, 2.0, np.nan, np.inf], index=list("abcd"))
    out = fmt.format_numbers(s)
    assert list(out.index) == list("abcd")
    assert list(out) == ["1", "2", "\u2013", "\u2013"]
    assert list(fmt.format_numbers(pd.Series([1.25, 2.0]))) == ["1,3", "2,0"]


def test_no_python_repr_ever_leaks():
    for value in (None, float("nan"), pd.NA, np.nan, math.inf, -math.inf, "None", "nan"):
        text = fmt.format_value(value, "%")
        assert "None" not in text and "nan" not in text.lower() and "inf" not in text.lower()


def test_round_for_unit_rounds_and_drops_infinity():
    s = fmt.round_for_unit(pd.Series([110.97280057418759, np.inf, 3.14159]), "index (100 = gemiddelde)")
    assert s.iloc[0] == 111.0 and math.isnan(s.iloc[1]) and s.iloc[2] == 3.0
