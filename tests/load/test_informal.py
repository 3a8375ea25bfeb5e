"""Tests for analysis.load.informal: initiatives and notes, personal data warned and hidden, hostile texts kept safe."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from analysis.findings import Findings
from analysis.load import informal
from analysis.model import CRS_RD


def _buurten() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"gebiedscode": ["BU99990101", "BU99990201"], "wijkcode": ["WK999901", "WK999902"]},
                            geometry=[box(150000, 450000, 151000, 451000), box(151000, 450000, 152000, 451000)],
                            crs=CRS_RD)


def test_initiatives_with_points_or_buurtcodes_and_personal_data_hidden(tmp_path):
    path = tmp_path / "initiatieven.csv"
    path.write_text(
        "id,naam,soort,buurtcode,x,y,startjaar,eindjaar,actief,betrokkenen,contactpersoon,opmerking\n"
        "I1,Koffie op dinsdag,activiteit,,150500,450500,2022,,ja,12,Jan Jansen,bel 06-12345678\n"
        "I2,Buurtapp Oost,app-groep,BU99990201,,,2021,2023,nee,80,Piet,piet@example.nl\n"
        "I3,,buurtgroep,BU99990201,,,2020,,ja,,,\n", encoding="utf-8")
    f = Findings()
    out = informal.load_initiatives(path, _buurten(), f, default_year=2025)
    assert list(out["id"]) == ["I1", "I2"]
    assert list(out["buurtcode"]) == ["BU99990101", "BU99990201"]
    assert out.geometry.notna().all() and out.crs == CRS_RD
    assert "contactpersoon" not in out.columns and "opmerking" not in out.columns
    warned = {w.column for w in f.warnings}
    assert {"contactpersoon", "opmerking"} <= warned
    assert any(w.row == 4 for w in f.warnings)  # the nameless row, as Excel numbers it


def test_notes_keep_hostile_text_as_text_and_shorten_long_ones(tmp_path):
    path = tmp_path / "notities.csv"
    long = "x" * 5000
    path.write_text("datum,gebiedscode,component,soort_bron,tekst,citaat\n"
                    "2025-03-01,WK999901,ontmoeting,bewoner,<script>alert(1)</script>,ja\n"
                    "2025-03-02,WK999901,,professional,=HYPERLINK(\"http://x\"),nee\n"
                    f"2025-03-03,WK999902,zorg,observatie,{long},\n"
                    "2025-03-04,WK000000,,bewoner,onbekende wijk,\n", encoding="utf-8")
    f = Findings()
    notes = informal.load_notes(path, {"WK999901", "WK999902"}, f)
    assert len(notes) == 3
    assert notes.loc[0, "tekst"] == "<script>alert(1)</script>" and bool(notes.loc[0, "citaat"])
    assert notes.loc[1, "tekst"].startswith("=HYPERLINK")
    assert len(notes.loc[2, "tekst"]) == informal.MAX_NOTE_CHARS and notes.loc[2, "tekst"].endswith("…")
    assert {(w.row, w.column) for w in f.warnings} >= {(4, "tekst"), (5, "gebiedscode")}


def test_personal_columns_by_name_and_by_values():
    t = pd.DataFrame({"naam": ["Koffie"], "e-mail": ["a@b.nl"], "notitie": ["bel 0612345678"], "soort": ["x"]})
    assert informal.personal_columns(t, allowed=("naam",)) == ["e-mail", "notitie"]
