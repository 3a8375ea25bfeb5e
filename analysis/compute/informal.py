"""Informal networks in figures: active initiatives per area, how fresh the sociale kaart is, and signals from notes.

An initiative is active in a year when it started in or before that year and did not end before it; in
the dataset's latest year it must also still be marked ``actief``. Rates per 1,000 inhabitants follow the
minimum-population rule of :class:`analysis.params.IndicatorParams` (no rate below ``min_inhabitants``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.compute.tables import per_1000

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Months within which an entry of the sociale kaart counts as recently checked.
FRESH_MONTHS = 12
#: Themes residents raise, the words that mark them in a note, the survey figure they concern, and
#: whether a higher figure is worse.
SIGNAL_THEMES: tuple[tuple[str, re.Pattern[str], str, bool], ...] = (
    ("eenzaamheid", re.compile(r"eenza|alleen\s+thuis|niemand\s+om", re.I), "eenzaam_pct", True),
    ("onveiligheid", re.compile(r"onveilig|bang|inbra|overlast", re.I), "veilig_pct", False),
    ("weinig contact", re.compile(r"kent\s+elkaar\s+niet|anoniem|langs\s+elkaar", re.I), "cohesie_score", False),
    ("geen plek om te ontmoeten", re.compile(r"geen\s+(?:plek|ruimte|buurthuis)|ontmoetingsplek", re.I),
     "gebruik_ontmoeting_pct", False),
)
#: The source name of the list of initiatives in the manifest's ``[bronnen]``.
INITIATIVE_SOURCE = "initiatieven"
#: The notice when a dataset has no informal source (issue 13: the field's most common mistake), short form.
INFORMAL_MISSING = "alleen formele voorzieningen: informele netwerken ontbreken"
#: Why it matters and what to do, after the short form.
INFORMAL_MISSING_WHY = ("De dataset heeft geen lijst initiatieven (bewonersinitiatieven, buurtgroepen, app-groepen, "
                        "informele netwerken). Een kaart van tekorten overschat dan wat er mist: wat bewoners zelf "
                        "organiseren staat er niet op. Voeg een bron initiatieven toe onder [bronnen] (sjabloon in "
                        "data/templates).")
SIGNAL_COLUMNS: tuple[str, ...] = ("gebiedscode", "thema", "notities", "indicator", "waarde", "gemeente",
                                   "tekst")


def has_initiatives(ds: Dataset) -> bool:
    """Whether the dataset was given a list of initiatives (``[bronnen] initiatieven``, possibly empty).

    Only then are initiatives counted: without the list a count of 0 would claim that none exist.
    """
    return any(str(k).split(":", 1)[0] == INITIATIVE_SOURCE for k in ds.sources)


def informal_notice(ds: Dataset, short: bool = False) -> str | None:
    """The plain notice for the Start page, the wijkprofiel and the priorities when informal networks are missing.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    short : bool
        Only the short form (:data:`INFORMAL_MISSING`, capitalised), e.g. beside a ranking.

    Returns
    -------
    str or None
        ``None`` when the dataset has a list of initiatives (:func:`has_initiatives`), else the Dutch notice.
    """
    if has_initiatives(ds):
        return None
    head = INFORMAL_MISSING[0].upper() + INFORMAL_MISSING[1:]
    return f"{head}." if short else f"{head}. {INFORMAL_MISSING_WHY}"


def active_in_year(initiatives: pd.DataFrame, year: int, latest_year: int) -> pd.Series:
    """Which initiatives were active in ``year`` (see the module's rule)."""
    start = pd.to_numeric(initiatives["startjaar"], errors="coerce")
    end = pd.to_numeric(initiatives["eindjaar"], errors="coerce")
    active = (start <= year) & (end.isna() | (end >= year))
    if int(year) >= int(latest_year):
        active &= initiatives["actief"].astype(bool)
    return active.fillna(False).astype(bool)


def initiative_rows(initiatives: pd.DataFrame, areas: dict[str, pd.DataFrame], year: int, latest_year: int,
                    min_inhabitants: int) -> pd.DataFrame:
    """``initiatieven_aantal`` and ``initiatieven_per_1000_inw`` per area of every level, for one year.

    Parameters
    ----------
    initiatives : pandas.DataFrame
        :data:`analysis.load.informal.INITIATIVE_COLUMNS`.
    areas : dict
        Level -> areas with ``gebiedscode`` and ``inwoners`` (``buurt``, ``wijk``, ``gemeente``).
    year, latest_year : int
        The year, and the dataset's latest measurement year.
    min_inhabitants : int
        No rate for areas with fewer inhabitants.

    Returns
    -------
    pandas.DataFrame
        Tidy rows ``gebiedscode, niveau, jaar, indicator, waarde``.
    """
    active = initiatives[active_in_year(initiatives, year, latest_year)]
    parts = []
    for level, frame in areas.items():
        codes = frame["gebiedscode"].astype(str)
        if level == "buurt":
            count = active.groupby(active["buurtcode"].astype(str)).size()
        elif level == "wijk":
            count = active.groupby(active["wijkcode"].astype(str)).size()
        else:
            count = pd.Series(len(active), index=codes)
        count = count.reindex(codes).fillna(0.0).astype(float)
        inwoners = pd.Series(pd.to_numeric(frame["inwoners"], errors="coerce").to_numpy(float), index=codes)
        rate = per_1000(count, inwoners, min_inhabitants)
        for key, values in (("initiatieven_aantal", count), ("initiatieven_per_1000_inw", rate)):
            parts.append(pd.DataFrame({"gebiedscode": codes.to_numpy(), "niveau": level, "jaar": int(year),
                                       "indicator": key, "waarde": values.to_numpy(float)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def checked_share(entries: Iterable[pd.DataFrame], wijkcodes: Iterable[str], reference: pd.Timestamp,
                  months: int = FRESH_MONTHS) -> pd.DataFrame:
    """Per wijk: how many entries of the sociale kaart carry a check date, and the share checked recently.

    Parameters
    ----------
    entries : iterable of pandas.DataFrame
        Facilities, associations and initiatives with ``wijkcode`` and (optionally) ``laatst_gecontroleerd``.
    wijkcodes : iterable of str
        The wijken to report.
    reference : pandas.Timestamp
        "Today" (the date the figure describes).
    months : int
        The freshness window.

    Returns
    -------
    pandas.DataFrame
        ``wijkcode, vermeldingen, gecontroleerd, recent_pct`` (recent_pct NaN without entries).
    """
    frames = [pd.DataFrame({"wijkcode": e["wijkcode"].astype(str),
                            "datum": pd.to_datetime(e["laatst_gecontroleerd"], errors="coerce")
                            if "laatst_gecontroleerd" in e.columns else pd.NaT})
              for e in entries if len(e)]
    codes = list(dict.fromkeys(str(c) for c in wijkcodes))
    if not frames:
        return pd.DataFrame({"wijkcode": codes, "vermeldingen": 0, "gecontroleerd": 0, "recent_pct": np.nan})
    all_entries = pd.concat(frames, ignore_index=True)
    cutoff = reference - pd.DateOffset(months=months)
    all_entries["recent"] = all_entries["datum"] >= cutoff
    grouped = all_entries.groupby("wijkcode").agg(vermeldingen=("recent", "size"),
                                                  gecontroleerd=("datum", "count"), recent=("recent", "sum"))
    grouped = grouped.reindex(codes).fillna(0)
    share = 100.0 * grouped["recent"] / grouped["vermeldingen"].where(grouped["vermeldingen"] > 0)
    return pd.DataFrame({"wijkcode": codes, "vermeldingen": grouped["vermeldingen"].astype(int).to_numpy(),
                         "gecontroleerd": grouped["gecontroleerd"].astype(int).to_numpy(),
                         "recent_pct": share.to_numpy(float)})


def stale(entries: pd.DataFrame, reference: pd.Timestamp, months: int = FRESH_MONTHS) -> pd.Series:
    """Entries not checked within ``months`` (or never): marked on the map."""
    if "laatst_gecontroleerd" not in entries.columns:
        return pd.Series(True, index=entries.index)
    dates = pd.to_datetime(entries["laatst_gecontroleerd"], errors="coerce")
    return (dates.isna() | (dates < reference - pd.DateOffset(months=months))).astype(bool)


def signals(notes: pd.DataFrame, table: pd.DataFrame, year: int, gemeente_code: str) -> pd.DataFrame:
    """Where notes and figures disagree: a theme raised in notes while its survey figure is not worse than the gemeente.

    Shown side by side without judging either: residents may see what the survey misses, or a few loud
    voices may not be the buurt.

    Returns
    -------
    pandas.DataFrame
        :data:`SIGNAL_COLUMNS`, one row per area and theme.
    """
    year_rows = table[pd.to_numeric(table["jaar"], errors="coerce") == int(year)]
    value = year_rows.drop_duplicates(["gebiedscode", "indicator"]).set_index(["gebiedscode", "indicator"])["waarde"]
    rows = []
    for theme, pattern, key, higher_worse in SIGNAL_THEMES:
        hits = notes[notes["tekst"].astype(str).str.contains(pattern)]
        for code, group in hits.groupby(hits["gebiedscode"].astype(str)):
            area, gm = value.get((code, key), np.nan), value.get((gemeente_code, key), np.nan)
            if pd.isna(area) or pd.isna(gm):
                continue
            not_worse = area <= gm if higher_worse else area >= gm
            if not_worse:
                rows.append({"gebiedscode": code, "thema": theme, "notities": len(group), "indicator": key,
                             "waarde": float(area), "gemeente": float(gm),
                             "tekst": f"{len(group)} notitie(s) over {theme}, terwijl het enquêtecijfer niet slechter "
                                      "is dan in de gemeente"})
    return pd.DataFrame(rows, columns=list(SIGNAL_COLUMNS))


@dataclass(frozen=True)
class WijkInformal:
    """What a wijk's profile shows of informal networks and what people say.

    Attributes
    ----------
    initiatives : pandas.DataFrame
        The wijk's initiatives active in the year: ``naam, soort, buurtcode, betrokkenen, laatst_gecontroleerd,
        verouderd`` (largest first by people involved).
    notes : pandas.DataFrame
        The notes of the wijk and its buurten, newest first: ``datum, gebiedscode, component, soort_bron, tekst,
        citaat``.
    signals : pandas.DataFrame
        :data:`SIGNAL_COLUMNS` for the wijk and its buurten.
    checked : pandas.DataFrame
        One row of :func:`checked_share` for the wijk.
    notice : str or None
        :func:`informal_notice` (the dataset has no list of initiatives), else None.
    """

    initiatives: pd.DataFrame
    notes: pd.DataFrame
    signals: pd.DataFrame
    checked: pd.DataFrame
    notice: str | None


def wijk_informal(ds: Dataset, table: pd.DataFrame, code: str, year: int,
                  reference: pd.Timestamp | None = None) -> WijkInformal:
    """Initiatives, notes, signals and freshness of one wijk, for its profile.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    table : pandas.DataFrame
        The indicator table (for the signals).
    code : str
        The wijk code.
    year : int
        The measurement year shown.
    reference : pandas.Timestamp, optional
        "Today" for freshness; default the last day of ``year``.

    Returns
    -------
    WijkInformal
    """
    reference = pd.Timestamp(int(year), 12, 31) if reference is None else reference
    buurten = set(ds.buurten.loc[ds.buurten["wijkcode"].astype(str) == code, "gebiedscode"].astype(str))
    own = ds.initiatives[ds.initiatives["wijkcode"].astype(str) == code]
    latest = max(ds.years()) if ds.years() else int(year)
    own = own[active_in_year(own, int(year), latest)] if len(own) else own
    people = pd.to_numeric(own["betrokkenen"], errors="coerce")
    shown = pd.DataFrame({
        "naam": own["naam"].astype(str), "soort": own["soort"].astype(str), "buurtcode": own["buurtcode"],
        "betrokkenen": people, "laatst_gecontroleerd": pd.to_datetime(own["laatst_gecontroleerd"], errors="coerce"),
        "verouderd": stale(own, reference).to_numpy(bool) if len(own) else np.array([], bool),
    }).sort_values(["betrokkenen", "naam"], ascending=[False, True], na_position="last").reset_index(drop=True)
    notes = ds.notes[ds.notes["gebiedscode"].astype(str).isin(buurten | {code})]
    notes = notes.assign(_d=pd.to_datetime(notes["datum"], errors="coerce")).sort_values(
        "_d", ascending=False, na_position="last").drop(columns="_d").reset_index(drop=True)
    found = signals(notes, table, int(year), ds.gemeente_code) if len(notes) else pd.DataFrame(
        columns=list(SIGNAL_COLUMNS))
    checked = checked_share((ds.facilities, ds.associations, ds.initiatives), [code], reference)
    return WijkInformal(shown, notes, found, checked, informal_notice(ds))
