"""Wijktypen: a deterministic, rule-based type per area from context figures, for fair comparison.

Context figures describe an area's population and setting, not its social infrastructure: how urban it
is, its age structure, its households and (where known) income. They are shown and used to find
comparable areas ("vergelijkbare wijken"), but never scored: they enter neither the cohesion index nor
the priorities.

The rule (stated so that anyone can redo it):

1. **Urbanity** follows the CBS *mate van stedelijkheid*, which CBS derives from the
   omgevingsadressendichtheid (OAD, addresses within 1 km per km²): 1 = zeer sterk stedelijk
   (OAD >= 2,500), 2 = sterk (1,500-2,500), 3 = matig (1,000-1,500), 4 = weinig (500-1,000),
   5 = niet stedelijk (< 500). Taken from the kerncijfers column ``stedelijkheid`` when the dataset has
   it; else computed from the area's own address density (addresses per km² of land: an approximation
   of the OAD, which also counts addresses within 1 km outside the area); else from households per km²
   of land (one address per household). The classes are grouped as *stedelijk* (1-2), *stad en dorp*
   (3) and *dorps* (4-5).
2. **Defining trait**: each of four shares is compared with its national value (CBS Kerncijfers wijken en
   buurten 2024, Nederland): 65 jaar en ouder 20 %, 0 tot 15 jaar 15 %, eenpersoonshuishoudens 39 %,
   huishoudens met een laag inkomen 8 %. The trait is the share with the highest ratio to its national
   value, if that ratio is at least :data:`TRAIT_RATIO`; otherwise the area is *gemengd*.
3. The type's name is ``"<urbanity>, <trait>"``, for example "stedelijk, veel alleenstaanden" or
   "dorps, gezinnen".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: CBS OAD class bounds (addresses per km²) for stedelijkheid 1..5.
OAD_BOUNDS_PER_KM2: tuple[float, ...] = (2500.0, 1500.0, 1000.0, 500.0)
#: Urbanity group per CBS stedelijkheid class.
URBANITY_GROUPS: dict[int, str] = {1: "stedelijk", 2: "stedelijk", 3: "stad en dorp", 4: "dorps", 5: "dorps"}
#: A share counts as an area's defining trait from this ratio to the national share.
TRAIT_RATIO = 1.25


@dataclass(frozen=True)
class Trait:
    """One context trait: the area column, its national share and the Dutch words for an area high on it."""

    column: str
    national_pct: float
    words: str
    source: str


#: National reference shares: CBS Kerncijfers wijken en buurten 2024 (StatLine 85984NED), Nederland, rounded.
TRAITS: tuple[Trait, ...] = (
    Trait("p_65_eo", 20.0, "veel ouderen", "CBS 2024: 20 % van de inwoners is 65 jaar of ouder"),
    Trait("p_00_14", 15.0, "gezinnen", "CBS 2024: 15 % van de inwoners is jonger dan 15 jaar"),
    Trait("p_eenpersoons_hh", 39.0, "veel alleenstaanden", "CBS 2024: 39 % van de huishoudens is eenpersoons"),
    Trait("p_laag_inkomen", 8.0, "veel lage inkomens", "CBS 2024: ongeveer 8 % van de huishoudens heeft een laag inkomen"),
)

TYPE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "niveau", "stedelijkheid", "stedelijkheid_bron", "wijktype",
    *(f"score_{t.column}" for t in TRAITS),
)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column as floats; all missing when the frame does not have it."""
    if name not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.Series(pd.to_numeric(frame[name], errors="coerce"), index=frame.index).astype(float)


def urbanity_class(density_per_km2: pd.Series) -> pd.Series:
    """CBS stedelijkheid class (1 = zeer sterk stedelijk ... 5 = niet stedelijk) from an address density.

    Parameters
    ----------
    density_per_km2 : pandas.Series
        Addresses per km² (the OAD, or an approximation of it).

    Returns
    -------
    pandas.Series
        Nullable integers 1-5; missing where the density is missing.
    """
    d = pd.to_numeric(density_per_km2, errors="coerce").astype(float)
    classes = np.select([d >= b for b in OAD_BOUNDS_PER_KM2], [1, 2, 3, 4], default=5)
    return pd.Series(classes, index=d.index).where(d.notna()).astype("Int64")


def _address_counts(areas: pd.DataFrame, addresses: pd.DataFrame | None) -> pd.Series | None:
    """Addresses per area (by the addresses' buurt code, summed to the area's level); None without addresses.

    A point with ``aantal`` counts that many addresses (a building with several dwellings). The wijk of
    an address is its ``wijkcode``, else the CBS rule: ``WK`` + the six characters after ``BU``.
    """
    if addresses is None or len(addresses) == 0 or "buurtcode" not in addresses.columns:
        return None
    weight = (_column(addresses, "aantal").fillna(1.0) if "aantal" in addresses.columns
              else pd.Series(1.0, index=addresses.index))
    buurt = addresses["buurtcode"].astype(str)
    level = str(areas["niveau"].iloc[0]) if len(areas) else "buurt"
    if level == "buurt":
        return areas["gebiedscode"].astype(str).map(weight.groupby(buurt).sum()).fillna(0.0)
    if level == "wijk":
        wijk = (addresses["wijkcode"].astype(str) if "wijkcode" in addresses.columns
                else "WK" + buurt.str.slice(2, 8))
        return areas["gebiedscode"].astype(str).map(weight.groupby(wijk).sum()).fillna(0.0)
    return pd.Series(float(weight.sum()), index=areas.index)


def _urbanity(areas: pd.DataFrame, addresses: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Urbanity class and its source per area (see the module's rule 1)."""
    land_km2 = _column(areas, "opp_land_ha") / 100.0
    land_km2 = land_km2.where(land_km2 > 0)
    given = (pd.to_numeric(areas["stedelijkheid"], errors="coerce").round().astype("Int64")
             if "stedelijkheid" in areas.columns else pd.Series(pd.NA, index=areas.index, dtype="Int64"))
    counts = _address_counts(areas, addresses)
    from_addresses = (urbanity_class(counts / land_km2) if counts is not None
                      else pd.Series(pd.NA, index=areas.index, dtype="Int64"))
    households = _column(areas, "huishoudens")
    from_households = urbanity_class(households / land_km2)
    value = given.fillna(from_addresses).fillna(from_households)
    source = pd.Series(np.select(
        [given.notna().to_numpy(bool), from_addresses.notna().to_numpy(bool), from_households.notna().to_numpy(bool)],
        ["CBS mate van stedelijkheid", "adressen per km² land", "huishoudens per km² land"], default="onbekend"),
        index=areas.index)
    return value, source


def area_types(areas: pd.DataFrame, addresses: pd.DataFrame | None = None) -> pd.DataFrame:
    """The type of every area and how it scored on each trait.

    Parameters
    ----------
    areas : pandas.DataFrame
        Areas of one level with :data:`analysis.model.AREA_COLUMNS` (and optionally ``stedelijkheid``).
    addresses : pandas.DataFrame, optional
        Address points with ``buurtcode`` (and ``wijkcode``), for the address density.

    Returns
    -------
    pandas.DataFrame
        :data:`TYPE_COLUMNS`: the CBS stedelijkheid class and where it came from, the type's Dutch name,
        and per trait the ratio of the area's share to the national share (1 = as in Nederland).
    """
    frame = pd.DataFrame(areas).reset_index(drop=True)
    urbanity, source = _urbanity(frame, addresses)
    scores = pd.DataFrame({
        f"score_{t.column}": _column(frame, t.column) / t.national_pct
        for t in TRAITS
    })
    best = scores.fillna(-np.inf).to_numpy().argmax(axis=1) if len(scores) else np.zeros(0, int)
    best_ratio = scores.to_numpy()[np.arange(len(scores)), best] if len(scores) else np.zeros(0)
    words = np.array([TRAITS[i].words for i in best], dtype=object)
    trait = np.where(np.nan_to_num(best_ratio, nan=0.0) >= TRAIT_RATIO, words, "gemengd")
    group = urbanity.map(URBANITY_GROUPS).fillna("stedelijkheid onbekend")
    out = pd.DataFrame({
        "gebiedscode": frame["gebiedscode"].astype(str), "niveau": frame["niveau"].astype(str),
        "stedelijkheid": urbanity, "stedelijkheid_bron": source,
        "wijktype": [f"{g}, {t}" for g, t in zip(group, trait, strict=True)],
    })
    return pd.concat([out, scores.round(2)], axis=1)[list(TYPE_COLUMNS)]


def similar_areas(types: pd.DataFrame, code: str) -> list[str]:
    """The other areas of the same type as ``code`` (empty when the type is unknown or alone).

    Parameters
    ----------
    types : pandas.DataFrame
        The result of :func:`area_types`.
    code : str
        The area's code.
    """
    own = types.loc[types["gebiedscode"] == str(code), "wijktype"]
    if own.empty:
        return []
    same = types[(types["wijktype"] == own.iloc[0]) & (types["gebiedscode"] != str(code))]
    return same["gebiedscode"].astype(str).tolist()
