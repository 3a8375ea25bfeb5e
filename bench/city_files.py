"""Write the synthetic 500-buurt city of ``bench/app_update.py`` as a dataset folder the app can open.

Used by ``bench/browser_actions.py --dataset``: the real browser opens the city through
``WIJKWEEFSEL_DATASET`` exactly as a gemeente's own folder would be opened (CBS column names, CSV files,
a codebook and a ``dataset.toml``).

Run: ``python bench/city_files.py DIR [--buurten 500]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from bench.app_update import CODEBOOK, synthetic_dataset  # noqa: E402

#: Model column -> classic CBS wijk- en buurtkaart column.
CBS_COLUMNS = {
    "gebiedscode": "BU_CODE", "gebiedsnaam": "BU_NAAM", "wijkcode": "WK_CODE", "gemeentecode": "GM_CODE",
    "gemeentenaam": "GM_NAAM", "inwoners": "AANT_INW", "mannen": "AANT_MAN", "vrouwen": "AANT_VROUW",
    "p_00_14": "P_00_14_JR", "p_15_24": "P_15_24_JR", "p_25_44": "P_25_44_JR", "p_45_64": "P_45_64_JR",
    "p_65_eo": "P_65_EO_JR", "huishoudens": "AANTAL_HH", "p_eenpersoons_hh": "P_EENP_HH",
}


def _codebook_toml() -> str:
    lines = ["[codeboek]", f'naam = "{CODEBOOK["codeboek"]["naam"]}"', "ontbrekend = [9]", ""]
    for name, scale in CODEBOOK["schalen"].items():
        lines.append(f"[schalen.{name}]")
        for key, value in scale.items():
            if isinstance(value, str):
                lines.append(f'{key} = "{value}"')
            elif isinstance(value, list):
                items = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in value)
                lines.append(f"{key} = [{items}]")
            else:
                lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


def write_city(folder: Path, n_buurten: int = 500) -> Path:
    """Write the city's files and manifest into ``folder``; return the folder."""
    ds = synthetic_dataset(n_buurten)
    folder.mkdir(parents=True, exist_ok=True)
    buurten = ds.buurten[[*CBS_COLUMNS, "geometry"]].rename(columns=CBS_COLUMNS)
    buurten.to_file(folder / "buurten.gpkg", driver="GPKG")
    f = ds.facilities
    pd.DataFrame({"id": f["id"], "naam": f["naam"], "component": f["component"], "capaciteit": f["capaciteit"],
                  "x": f.geometry.x.round(1), "y": f.geometry.y.round(1)}).to_csv(folder / "voorzieningen.csv", index=False)
    a = ds.associations
    pd.DataFrame({"id": a["id"], "naam": a["naam"], "soort": a["soort"], "leden": a["leden"], "actief": "ja",
                  "x": a.geometry.x.round(1), "y": a.geometry.y.round(1)}).to_csv(folder / "verenigingen.csv", index=False)
    ds.ties[["van", "naar", "soort", "gewicht"]].to_csv(folder / "banden.csv", index=False)
    items = [c for c in ds.respondents.columns if c.startswith(("samenhang_", "vrijwilliger"))]
    r = ds.respondents
    pd.DataFrame({"respondent": r["respondent"], "buurtcode": r["buurtcode"], "leeftijd": r["leeftijd"].astype(int),
                  "geslacht": r["geslacht"], **{c: r[c].astype(int) for c in items}}).to_csv(folder / "enquete.csv",
                                                                                           index=False)
    (folder / "codeboek.toml").write_text(_codebook_toml(), encoding="utf-8")
    (folder / "dataset.toml").write_text(
        f'[dataset]\nnaam = "{ds.name}"\njaar = {ds.year}\nfictief = true\n\n'
        '[bronnen]\nbuurten = "buurten.gpkg"\nverenigingen = "verenigingen.csv"\nbanden = "banden.csv"\n'
        'enquete = "enquete.csv"\ncodeboek = "codeboek.toml"\n\n'
        '[[voorzieningen]]\nbestand = "voorzieningen.csv"\ncomponentkolom = "component"\n', encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("map", type=Path)
    parser.add_argument("--buurten", type=int, default=500)
    args = parser.parse_args()
    print(write_city(args.map, args.buurten))


if __name__ == "__main__":
    main()
