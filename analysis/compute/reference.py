"""Reference values for a fair comparison: the gemeente, similar areas of the same wijktype, or similar buurten in Nederland.

Every comparison names its reference. Three references exist:

- **gemeente** (``"gemeente"``): the gemeente's own value of the indicator (an index: 100, its
  definition of average);
- **vergelijkbare wijken / buurten** (``"vergelijkbaar"``): the unweighted mean of the other areas of
  the same level and the same wijktype (:func:`analysis.compute.typology.area_types`) that have a value
  and at least ``min_inhabitants`` inhabitants. A mean of fewer than :data:`MIN_SIMILAR_AREAS` areas is
  one or two areas' own figures, not a reference: then the areas of the same urbanity (any trait) are
  taken, and with fewer than that too the gemeente; each step says so (:attr:`Reference.note`), never
  silently;
- **vergelijkbare buurten in Nederland** (``"nederland"``): for the kerncijfers that the CBS table of
  all buurten has (:func:`national_reference`), the median of the Dutch buurten of the same CBS
  stedelijkheid class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.compute.tables import exclusion_reasons
from analysis.formatting import format_number, format_value
from analysis.params import IndicatorParams

GEMEENTE = "gemeente"
SIMILAR = "vergelijkbaar"
NATIONAL = "nederland"
#: The references in the order of the switch, with their Dutch names.
REFERENCE_LABELS: dict[str, str] = {
    GEMEENTE: "gemeente", SIMILAR: "vergelijkbare wijken", NATIONAL: "vergelijkbare buurten in Nederland",
}
#: Fewest similar areas a mean is taken over (own choice, argued: with one or two areas the 'reference' is
#: those areas' own figures, and one outlier decides the comparison; three is the least for a mean and a spread).
MIN_SIMILAR_AREAS = 3
MIN_SIMILAR_SOURCE = ("Eigen keuze: een gemiddelde van minder dan 3 vergelijkbare gebieden is het cijfer van één of "
                      "twee gebieden zelf; dan wordt met de gemeente vergeleken en staat dat erbij")
_PLURAL = {"wijk": "wijken", "buurt": "buurten"}
#: Columns of :func:`map_reference`.
MAP_REFERENCE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "waarde", "referentie", "referentie_soort", "referentie_tekst", "vergelijkingsgebieden",
    "verschil", "tekst", "opmerking",
)


@dataclass(frozen=True)
class Reference:
    """The reference one area is compared with.

    Attributes
    ----------
    asked, kind : str
        The reference asked for and the one used (they differ after a fall back to the gemeente).
    label : str
        Dutch, names the reference: "vergelijkbare wijken (stedelijk, veel alleenstaanden; 4 wijken)"
        or "de gemeente Zwolle".
    codes : tuple of str
        The similar areas the mean is taken over (empty for the gemeente).
    note : str
        Why the reference asked for was not used ("te weinig vergelijkbare wijken ..."), empty otherwise.
    wijktype : str
        The area's type (empty for the gemeente).
    """

    asked: str
    kind: str
    label: str
    codes: tuple[str, ...] = ()
    note: str = ""
    wijktype: str = ""

    @property
    def fallback(self) -> bool:
        """True when the comparison fell back to the gemeente."""
        return self.asked != self.kind


def check_reference(reference: str, allowed: tuple[str, ...] = (GEMEENTE, SIMILAR)) -> str:
    """``reference`` when it is one of ``allowed``; a ValueError in Dutch naming the choices otherwise."""
    if reference not in allowed:
        raise ValueError(f"Onbekende vergelijking '{reference}': kies uit {', '.join(allowed)}.")
    return reference


def gemeente_label(gemeente_name: str | None) -> str:
    """``de gemeente Zwolle`` (``de gemeente`` without a name)."""
    return f"de gemeente {gemeente_name}" if gemeente_name else "de gemeente"


def similar_label(wijktype: str, count: int, level: str = "wijk") -> str:
    """``vergelijkbare wijken (stedelijk, veel alleenstaanden; 4 wijken)``."""
    plural = _PLURAL.get(level, level)
    unit = level if count == 1 else plural
    return f"vergelijkbare {plural} ({wijktype}; {format_number(count, 0)} {unit})"


def resolve(types: pd.DataFrame, code: str, reference: str, level: str = "wijk",
            eligible: pd.Index | list[str] | None = None, gemeente_name: str | None = None) -> Reference:
    """The reference of one area: the gemeente, or its similar areas when there are enough of them.

    Parameters
    ----------
    types : pandas.DataFrame
        :func:`analysis.compute.typology.area_types` of the level.
    code : str
        The area.
    reference : {"gemeente", "vergelijkbaar"}
        The reference asked for.
    level : {"wijk", "buurt"}
        For the words ("wijken", "buurten").
    eligible : sequence of str, optional
        The areas that may be in the mean (those with a value and enough inhabitants); default all.
    gemeente_name : str, optional
        For the label of the gemeente.

    Returns
    -------
    Reference
        With a :attr:`Reference.note` when fewer than :data:`MIN_SIMILAR_AREAS` similar areas are left.
    """
    from analysis.compute.typology import similar_areas

    check_reference(reference)
    fallback = gemeente_label(gemeente_name)
    if reference == GEMEENTE:
        return Reference(GEMEENTE, GEMEENTE, fallback)
    own = types.loc[types["gebiedscode"].astype(str) == str(code), "wijktype"]
    wijktype = str(own.iloc[0]) if len(own) else "type onbekend"
    allowed = None if eligible is None else {str(c) for c in eligible}
    codes = [c for c in similar_areas(types, str(code)) if allowed is None or c in allowed]
    plural = _PLURAL.get(level, level)
    if len(own) == 0 or wijktype.startswith("stedelijkheid onbekend"):
        return Reference(SIMILAR, GEMEENTE, fallback, (), f"het type van dit gebied is onbekend; vergeleken met "
                                                          f"{fallback}", wijktype)
    if len(codes) >= MIN_SIMILAR_AREAS:
        return Reference(SIMILAR, SIMILAR, similar_label(wijktype, len(codes), level), tuple(codes), "", wijktype)
    # Step 2: the same urbanity, any trait.
    group = wijktype.split(",")[0]
    same_group = types["wijktype"].astype(str).str.split(",").str[0] == group
    wider = [str(c) for c in types.loc[same_group, "gebiedscode"].astype(str)
             if c != str(code) and (allowed is None or c in allowed)]
    too_few = (f"te weinig {plural} van het type {wijktype} ({format_number(len(codes), 0)}, minimaal "
               f"{MIN_SIMILAR_AREAS})")
    if len(wider) >= MIN_SIMILAR_AREAS:
        return Reference(SIMILAR, SIMILAR, similar_label(group, len(wider), level), tuple(wider),
                         f"{too_few}; vergeleken met alle {plural} die {group} zijn", group)
    note = f"{too_few}, en van {group} ook ({format_number(len(wider), 0)}); vergeleken met {fallback}"
    return Reference(SIMILAR, GEMEENTE, fallback, (), note, wijktype)


def comparison_text(value: float, reference_value: float, unit: str | None, label: str) -> str:
    """``hoger dan in vergelijkbare wijken (...; 4 wijken): 38% tegen 31%`` (``in`` before a gemeente too).

    Parameters
    ----------
    value, reference_value : float
        The area's value and the reference value.
    unit : str, optional
        Registry unit, for the formatting.
    label : str
        :attr:`Reference.label`.
    """
    if math.isnan(value) or math.isnan(reference_value):
        return f"geen vergelijking met {label}: cijfer ontbreekt"
    shown_value, shown_ref = format_value(value, unit), format_value(reference_value, unit)
    word = "gelijk aan" if shown_value == shown_ref else ("hoger dan in" if value > reference_value else "lager dan in")
    if word == "gelijk aan":
        return f"gelijk aan {label}: {shown_value}"
    return f"{word} {label}: {shown_value} tegen {shown_ref}"


def _level_values(table: pd.DataFrame, year: int, level: str, key: str) -> pd.Series:
    """``code -> waarde`` of one indicator, level and year (suppressed values missing)."""
    mask = ((table["niveau"].astype("string") == level) & (table["indicator"].astype("string") == key)
            & (pd.to_numeric(table["jaar"], errors="coerce") == int(year))).fillna(False).to_numpy(bool)
    rows = table[mask].drop_duplicates("gebiedscode")
    values = pd.to_numeric(rows["waarde"], errors="coerce").astype(float)
    if "onderdrukt" in rows.columns:
        values = values.where(pd.to_numeric(rows["onderdrukt"], errors="coerce").fillna(0).to_numpy() != 1)
    return pd.Series(values.to_numpy(), index=rows["gebiedscode"].astype(str).to_numpy(), dtype=float)


def _gemeente_value(table: pd.DataFrame, year: int, key: str, unit: str | None) -> float:
    values = _level_values(table, year, "gemeente", key).dropna()
    if len(values):
        return float(values.iloc[0])
    return 100.0 if unit == registry.UNIT_INDEX else math.nan


def _gemeente_name(table: pd.DataFrame) -> str | None:
    """The gemeente's name from its rows in the indicator table (None without them)."""
    if "gebiedsnaam" not in table.columns:
        return None
    names = table.loc[(table["niveau"].astype("string") == "gemeente").fillna(False).to_numpy(bool), "gebiedsnaam"]
    names = names.dropna().astype(str)
    return str(names.iloc[0]) if len(names) else None


def map_reference(table: pd.DataFrame, year: int, key: str, level: str = "wijk", reference: str = GEMEENTE,
                  types: pd.DataFrame | None = None, params: IndicatorParams | None = None,
                  reg: registry.Registry | None = None) -> pd.DataFrame:
    """Per area the reference value of one indicator, the difference and the comparison in Dutch.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    year : int
        Year.
    key : str
        Indicator key.
    level : {"wijk", "buurt"}
        Level.
    reference : {"gemeente", "vergelijkbaar"}
        The gemeente's value (an index: 100), or the mean of the other areas of the same wijktype with a value
        and at least ``params.min_inhabitants`` inhabitants (fewer than :data:`MIN_SIMILAR_AREAS`: the gemeente,
        with the reason in ``opmerking``).
    types : pandas.DataFrame, optional
        :func:`analysis.compute.typology.area_types` of the level; required for ``"vergelijkbaar"``.
    params : IndicatorParams, optional
        ``min_inhabitants``.
    reg : Registry, optional
        For the unit; default the built-in registry.

    Returns
    -------
    pandas.DataFrame
        :data:`MAP_REFERENCE_COLUMNS`, one row per area of the level with a row for ``key``.
    """
    check_reference(reference)
    if reference == SIMILAR and types is None:
        raise ValueError("Voor 'vergelijkbaar' zijn de wijktypen nodig (typology.area_types).")
    params = params or IndicatorParams()
    reg = reg or registry.REGISTRY
    unit = reg[key].unit if key in reg else None
    values = _level_values(table, year, level, key)
    inwoners = _level_values(table, year, level, "inwoners").reindex(values.index)
    eligible = values.index[values.notna().to_numpy()
                            & (exclusion_reasons(inwoners, params.min_inhabitants) == "").to_numpy()]
    gemeente_value = _gemeente_value(table, year, key, unit)
    gemeente_name = _gemeente_name(table)
    rows = []
    for code, value in values.items():
        ref = resolve(types, str(code), reference, level, eligible, gemeente_name) if types is not None else \
            Reference(GEMEENTE, GEMEENTE, gemeente_label(gemeente_name))
        ref_value = float(values.reindex(list(ref.codes)).mean()) if ref.kind == SIMILAR else gemeente_value
        rows.append({"gebiedscode": str(code), "waarde": float(value), "referentie": ref_value,
                     "referentie_soort": ref.kind, "referentie_tekst": ref.label,
                     "vergelijkingsgebieden": len(ref.codes), "verschil": float(value) - ref_value,
                     "tekst": comparison_text(float(value), ref_value, unit, ref.label), "opmerking": ref.note})
    return pd.DataFrame(rows, columns=list(MAP_REFERENCE_COLUMNS))


# --------------------------------------------------------------------------------------
# Vergelijkbare buurten in Nederland (CBS Kerncijfers wijken en buurten 2024, all buurten)
# --------------------------------------------------------------------------------------

#: CBS stedelijkheid classes in words (CBS: 1 = zeer sterk stedelijk ... 5 = niet stedelijk).
URBANITY_WORDS: dict[int, str] = {1: "zeer sterk stedelijk", 2: "sterk stedelijk", 3: "matig stedelijk",
                                  4: "weinig stedelijk", 5: "niet stedelijk"}
#: The kerncijfers the national table has that the model's areas have too: key -> (Dutch label, unit).
NATIONAL_FIGURES: dict[str, tuple[str, str]] = {
    "p_00_14": ("0 tot 15 jaar", registry.UNIT_PCT), "p_15_24": ("15 tot 25 jaar", registry.UNIT_PCT),
    "p_25_44": ("25 tot 45 jaar", registry.UNIT_PCT), "p_45_64": ("45 tot 65 jaar", registry.UNIT_PCT),
    "p_65_eo": ("65 jaar en ouder", registry.UNIT_PCT), "dichtheid_km2": ("Inwoners per km² land", "per km²"),
    "gem_huishoudensgrootte": ("Gemiddelde huishoudensgrootte", registry.UNIT_VALUE),
}
NATIONAL_SOURCE = "CBS Kerncijfers wijken en buurten 2024 (StatLine 85984NED), alle buurten, CC BY 4.0"
#: Columns of :func:`read_national` and of :func:`national_reference`.
NATIONAL_COLUMNS: tuple[str, ...] = ("gebiedscode", "inwoners", "stedelijkheid", *NATIONAL_FIGURES)
NATIONAL_REFERENCE_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "indicator", "label", "eenheid", "waarde", "referentie", "percentiel", "stedelijkheid",
    "stedelijkheid_bron", "vergelijkingsgebieden", "referentie_tekst", "tekst",
)
_STATLINE_AGES = {"p_00_14": "k_0Tot15Jaar_8", "p_15_24": "k_15Tot25Jaar_9", "p_25_44": "k_25Tot45Jaar_10",
                  "p_45_64": "k_45Tot65Jaar_11", "p_65_eo": "k_65JaarOfOuder_12"}


def read_national(path: str | Path) -> pd.DataFrame:
    """The national buurten table in the model's words (:data:`NATIONAL_COLUMNS`).

    Parameters
    ----------
    path : path-like
        ``cbs_kwb_2024_buurten.csv`` (StatLine 85984NED in its own spelling: ``Codering_3``,
        ``AantalInwoners_5``, ``k_65JaarOfOuder_12`` ..., ``MateVanStedelijkheid_122``).

    Raises
    ------
    ValueError
        In Dutch, naming the columns that are missing.
    """
    raw = pd.read_csv(path, dtype={"Codering_3": str, "WijkenEnBuurten": str}, encoding="utf-8")
    needed = ["Codering_3", "AantalInwoners_5", "MateVanStedelijkheid_122", "Bevolkingsdichtheid_34",
              "GemiddeldeHuishoudensgrootte_33", *_STATLINE_AGES.values()]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise ValueError(f"De landelijke kerncijferstabel mist de kolommen {', '.join(missing)}; gebruik de CBS-tabel "
                         "Kerncijfers wijken en buurten 2024 (85984NED) zoals StatLine haar geeft.")
    inwoners = pd.to_numeric(raw["AantalInwoners_5"], errors="coerce").astype(float)
    out = pd.DataFrame({"gebiedscode": raw["Codering_3"].astype(str).str.strip().str.upper(), "inwoners": inwoners,
                        "stedelijkheid": pd.to_numeric(raw["MateVanStedelijkheid_122"], errors="coerce").round()})
    for key, col in _STATLINE_AGES.items():
        out[key] = 100.0 * pd.to_numeric(raw[col], errors="coerce") / inwoners.where(inwoners > 0)
    out["dichtheid_km2"] = pd.to_numeric(raw["Bevolkingsdichtheid_34"], errors="coerce")
    out["gem_huishoudensgrootte"] = pd.to_numeric(raw["GemiddeldeHuishoudensgrootte_33"], errors="coerce")
    return out[out["gebiedscode"].str.startswith("BU")][list(NATIONAL_COLUMNS)].reset_index(drop=True)


def _own_figures(buurten: pd.DataFrame) -> pd.DataFrame:
    """The :data:`NATIONAL_FIGURES` of the dataset's buurten, computed like CBS does."""
    number = lambda c: pd.to_numeric(buurten[c], errors="coerce").astype(float) if c in buurten.columns \
        else pd.Series(math.nan, index=buurten.index)  # noqa: E731
    inwoners, land_km2 = number("inwoners"), number("opp_land_ha") / 100.0
    out = pd.DataFrame({k: number(k) for k in _STATLINE_AGES}, index=buurten.index)
    out["dichtheid_km2"] = inwoners / land_km2.where(land_km2 > 0)
    households = number("huishoudens")
    out["gem_huishoudensgrootte"] = inwoners / households.where(households > 0)
    out.index = buurten["gebiedscode"].astype(str).to_numpy()
    return out


def national_reference(buurten: pd.DataFrame, national: pd.DataFrame, types: pd.DataFrame,
                       params: IndicatorParams | None = None) -> pd.DataFrame:
    """Each buurt's kerncijfers against the Dutch buurten of the same CBS stedelijkheid class.

    The class is the national table's for the buurt's own code, else the wijktype's
    (:func:`analysis.compute.typology.area_types`). The reference is the median over the Dutch buurten of
    that class with at least ``params.min_inhabitants`` inhabitants (the buurt itself left out), and the
    percentile says which share of them has a lower value. Only the kerncijfers the table has
    (:data:`NATIONAL_FIGURES`: no single-person households, no income).

    Parameters
    ----------
    buurten : pandas.DataFrame
        The dataset's buurten (model columns).
    national : pandas.DataFrame
        :func:`read_national`.
    types : pandas.DataFrame
        :func:`analysis.compute.typology.area_types` of the buurten.
    params : IndicatorParams, optional
        ``min_inhabitants``.

    Returns
    -------
    pandas.DataFrame
        :data:`NATIONAL_REFERENCE_COLUMNS`, a row per buurt and kerncijfer with a value.
    """
    params = params or IndicatorParams()
    base = national[national["inwoners"] >= params.min_inhabitants]
    own = _own_figures(pd.DataFrame(buurten))
    given = national.drop_duplicates("gebiedscode").set_index("gebiedscode")["stedelijkheid"]
    typed = types.drop_duplicates("gebiedscode").set_index("gebiedscode")["stedelijkheid"].astype(float)
    rows = []
    for code in own.index:
        cls, src = (given.get(code), "CBS mate van stedelijkheid") if pd.notna(given.get(code)) else \
            (typed.get(code), "wijktype")
        if cls is None or pd.isna(cls):
            continue
        peers = base[(base["stedelijkheid"] == float(cls)) & (base["gebiedscode"] != code)]
        for key, (label, unit) in NATIONAL_FIGURES.items():
            value, values = float(own.loc[code, key]), peers[key].dropna().to_numpy(float)
            if math.isnan(value) or len(values) < MIN_SIMILAR_AREAS:
                continue
            median = float(pd.Series(values).median())
            ref_label = (f"vergelijkbare buurten in Nederland ({URBANITY_WORDS[int(cls)]}; "
                         f"{format_number(len(values), 0)} buurten)")
            pct = 100.0 * float((values < value).mean())
            rows.append({"gebiedscode": code, "indicator": key, "label": label, "eenheid": unit, "waarde": value,
                         "referentie": median, "percentiel": pct, "stedelijkheid": int(cls), "stedelijkheid_bron": src,
                         "vergelijkingsgebieden": len(values), "referentie_tekst": ref_label,
                         "tekst": f"{comparison_text(value, median, unit, ref_label)} (mediaan); hoger dan "
                                  f"{format_number(pct, 0)}% van die buurten"})
    return pd.DataFrame(rows, columns=list(NATIONAL_REFERENCE_COLUMNS))
