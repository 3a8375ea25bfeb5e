"""Every table on every page reads Dutch: no empty cell that Streamlit's grid would draw as "None".

The grid is a canvas, so the browser checks of tests/council.py cannot read it; this test reads the frames the
pages hand to ``st.dataframe`` (through AppTest) instead. A missing figure must reach the grid as text ("–").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
PAGES = ("app.py", "pages/kaart.py", "pages/wijkprofiel.py", "pages/netwerk.py", "pages/enquete.py",
         "pages/gaten.py", "pages/wijkplan.py", "pages/gegevens.py", "pages/verantwoording.py")
PYTHON_TEXT = frozenset({"None", "nan", "NaN", "<NA>", "NaT", "inf", "-inf"})


@pytest.mark.parametrize("page", PAGES)
def test_no_table_cell_is_none_or_nan(page):
    at = AppTest.from_file(str(REPO / page), default_timeout=600)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    problems = []
    for i, element in enumerate(at.dataframe):
        frame = element.value
        if not isinstance(frame, pd.DataFrame):
            continue
        for column in frame.columns:
            empty = int(frame[column].isna().sum())
            text = int(frame[column].astype(str).str.strip().isin(PYTHON_TEXT).sum()) if frame[column].dtype == object \
                else 0
            if empty or text:
                problems.append(f"tabel {i}, kolom {column!r}: {empty} lege cellen, {text} Python-waarden")
    assert not problems, problems
