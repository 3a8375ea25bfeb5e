"""Column mapping proposals per kind of input: facility components by keyword, monitor columns to indicator keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.components import component_for_text
from analysis.findings import Findings
from analysis.load import files as wio
from analysis.load.detect import DICTIONARY_NAME_COLUMNS, DICTIONARY_TEXT_COLUMNS, attribute_columns, name_column
from analysis.load.facilities import COMPONENT_LOOKUP, FACILITY_KEYS, ID_ALIASES, KIND_ALIASES
from analysis.registry import REGISTRY, UNIT_COUNT, UNIT_INDEX, UNIT_PCT, UNIT_SCORE, Indicator, IndicatorKind, dataset_indicator

#: The value a per-row component table uses for rows to leave out (also a valid manifest value).
SKIP = "overslaan"
#: A column whose distinct values are more than this is a name column, not a kind column.
MAX_KIND_VALUES = 60
#: Share of rows whose kind or name must point to a component for a proposal.
MIN_COMPONENT_SHARE = 0.5

#: Column-name fragments of a kind column (``zorgsoort``, ``onderwijssoort``, ``type``, ``amenity`` ...).
KIND_COLUMN_WORDS: tuple[str, ...] = ("soort", "type", "categorie", "functie", "sector", "amenity", "leisure",
                                      "healthcare", "tourism", "component")
#: Accepted spellings of the respondents column of a monitor.
N_ALIASES: tuple[str, ...] = ("n", "n_resp", "nresp", "respondenten", "aantal_respondenten", "aantal respondenten",
                              "aantal_resp", "n_respondenten")


@dataclass(frozen=True)
class Field:
    """One column of a kind that the manifest can name (the page shows only these for that kind)."""

    key: str
    label: str
    help: str
    aliases: tuple[str, ...] = ()


#: The columns that matter per kind, as manifest keys. Other kinds are read by meaning (no choice needed).
FIELDS: dict[str, tuple[Field, ...]] = {
    "voorzieningen": (
        Field("naamkolom", "Kolom met de naam", "de naam van de plek, zoals hij op de kaart komt"),
        Field("soortkolom", "Kolom met het soort", "bijvoorbeeld huisarts, basisonderwijs of speeltuin", KIND_ALIASES),
        Field("idkolom", "Kolom met een eigen nummer", "een code die per voorziening uniek is (mag leeg)",
              ID_ALIASES + ("vestigingsnummer", "brin", "locatiecode")),
    ),
    "enquete_gebied": (
        Field("codekolom", "Kolom met de gebiedscode", "buurtcode (BU...) of wijkcode (WK...)"),
        Field("nkolom", "Kolom met het aantal respondenten", "mag leeg; zonder aantal geen marges", N_ALIASES),
    ),
}


# ---------------------------------------------------------------------------------------------
# Facilities: which component
# ---------------------------------------------------------------------------------------------

def component_of(value: object) -> str | None:
    """The facility component a value names: a component key or label, else the keyword list of the core."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    key = COMPONENT_LOOKUP.get(wio.normalise_name(value))
    if key is None:
        key = component_for_text(value)
    return key if key in FACILITY_KEYS else None


@dataclass
class ComponentProposal:
    """How a facility file gets its components.

    Attributes
    ----------
    component : str or None
        One component for the whole file (None when per row or unknown).
    column : str or None
        The column the proposal rests on (the kind column, or the name column).
    values : dict
        Per distinct value of ``column``: the proposed component (None when no keyword fits).
    reason : str
        Dutch explanation.
    """

    component: str | None
    column: str | None
    values: dict[str, str | None]
    reason: str

    @property
    def per_row(self) -> bool:
        """True when the rows differ in component (a value -> component table is needed)."""
        return self.component is None and self.column is not None and bool(self.values)


def _text_values(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column].dropna().astype(str).str.strip()
    return values[values != ""]


def _kind_candidates(frame: pd.DataFrame) -> list[str]:
    """Text columns that may hold a kind: few distinct values; columns named like a kind first."""
    named: list[str] = []
    other: list[str] = []
    for column in attribute_columns(frame):
        values = _text_values(frame, column)
        if values.empty or values.nunique() > MAX_KIND_VALUES or pd.to_numeric(values, errors="coerce").notna().all():
            continue
        norm = wio.normalise_name(column)
        (named if any(word in norm for word in KIND_COLUMN_WORDS) else other).append(column)
    return named + other


def propose_components(frame: pd.DataFrame, file_name: str = "") -> ComponentProposal:
    """Propose the component(s) of a facility file from its kind column, its names or its file name.

    The kind column is the text column (few distinct values) where the most rows point to a
    component by :func:`component_of`; when all of them point to one component the whole file
    gets it, else a value -> component table is proposed. Without a kind column the names
    (``Basisschool ...``) and then the file name (``parken.geojson``) are tried.

    Returns
    -------
    ComponentProposal
    """
    best: tuple[float, str, dict[str, str | None]] | None = None
    for column in _kind_candidates(frame):
        values = _text_values(frame, column)
        table = {str(v): component_of(v) for v in values.unique()}
        share = float(values.map(table).notna().mean())
        if share >= MIN_COMPONENT_SHARE and (best is None or share > best[0]):
            best = (share, column, table)
    if best is not None:
        share, column, table = best
        found = {c for c in table.values() if c}
        shown = ", ".join(sorted(table)[:4]) + (" ..." if len(table) > 4 else "")
        if len(found) == 1 and share >= 0.9:
            component = found.pop()
            return ComponentProposal(component, column, table, f"component {component} uit kolom {column} ({shown})")
        return ComponentProposal(None, column, table, f"component per rij uit kolom {column} ({shown})")
    label = name_column(frame)
    if label is not None:
        names = _text_values(frame, label)
        counts = names.map(component_of).value_counts(normalize=True)
        if len(counts) and counts.iloc[0] >= 0.6:
            component = str(counts.index[0])
            return ComponentProposal(component, None, {}, f"component {component}: {counts.iloc[0]:.0%} van de namen in {label} wijst daarop")
    from_name = component_of(re.sub(r"[_\-.]+", " ", file_name.rsplit(".", 1)[0]))
    if from_name is not None:
        return ComponentProposal(from_name, None, {}, f"component {from_name} uit de bestandsnaam")
    return ComponentProposal(None, None, {}, "component niet herkend: kies hem zelf")


def propose_columns(frame: pd.DataFrame, kind: str) -> dict[str, str | None]:
    """The proposed column per :data:`FIELDS` entry of a kind (None when nothing fits)."""
    from analysis.load.detect import area_code_column

    out: dict[str, str | None] = {}
    for item in FIELDS.get(kind, ()):
        if item.key == "naamkolom":
            out[item.key] = name_column(frame)
        elif item.key == "codekolom":
            out[item.key] = area_code_column(frame)
        elif item.key == "soortkolom":
            found = wio.find_column(frame, item.aliases)
            out[item.key] = found or next(iter(_kind_candidates(frame)), None)
        else:
            found = wio.find_column(frame, item.aliases)
            unique = found is not None and not frame[found].dropna().duplicated().any()
            out[item.key] = found if item.key != "idkolom" or unique else None
    return out


# ---------------------------------------------------------------------------------------------
# Monitors: which column is which indicator
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonitorRule:
    """When a monitor column is a built-in survey indicator: words in its label, the unit, words it must not have."""

    key: str
    words: tuple[str, ...]
    unit: str
    forbidden: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


#: Rules matching monitor columns to the registry's survey indicators by label and unit (order = priority).
MONITOR_RULES: tuple[MonitorRule, ...] = (
    MonitorRule("cohesie_score", ("cohesie", "samenhang"), UNIT_SCORE),
    MonitorRule("zeer_eenzaam_pct", ("zeer eenzaam", "ernstig eenzaam", "sterk eenzaam"), UNIT_PCT),
    MonitorRule("eenzaam_pct", ("eenzaam",), UNIT_PCT, ("zeer", "ernstig", "sterk", "niet eenzaam")),
    MonitorRule("vrijwilliger_pct", ("vrijwillig",), UNIT_PCT),
    MonitorRule("mantelzorg_pct", ("mantelzorg",), UNIT_PCT),
    MonitorRule("informele_hulp_pct", ("burenhulp", "informele hulp", "helpt buren", "buren helpen"), UNIT_PCT),
    MonitorRule("veilig_pct", ("veilig",), UNIT_PCT, ("onveilig",)),
    MonitorRule("vertrouwen_score", ("vertrouwen",), UNIT_SCORE),
    MonitorRule("gebruik_ontmoeting_pct", ("ontmoetingsplek", "buurthuis", "wijkcentrum"), UNIT_PCT,
                ("aanwezig", "tevreden"), ("bezocht", "gebruik", "bezoek")),
    MonitorRule("tevredenheid_voorzieningen", ("tevreden",), UNIT_SCORE),
)


@dataclass
class DictionaryEntry:
    """One variable of a monitor's data dictionary."""

    label: str
    unit: str
    definition: str


@dataclass
class MonitorColumn:
    """A monitor column with its proposal.

    Attributes
    ----------
    column : str
        The column in the file.
    label, unit, definition : str
        From the data dictionary when there is one, else from the column name.
    key : str or None
        The built-in indicator proposed (None: not recognised; it may be loaded as an own indicator).
    reason : str
        Why (Dutch).
    """

    column: str
    label: str
    unit: str
    definition: str
    key: str | None
    reason: str


def unit_from_dictionary(text: object) -> str:
    """The registry unit for a data dictionary's unit code (``%_0`` -> %, ``0_10_n_p_1`` -> score 0-10)."""
    value = str(text or "").strip().lower()
    if value.startswith("%") or "procent" in value or "percentage" in value:
        return UNIT_PCT
    if value.startswith("0_10") or "schaalscore" in value or value.startswith("score"):
        return UNIT_SCORE
    if value.startswith("rapport"):
        return "rapportcijfer 1-10"
    if value.startswith("index"):
        return UNIT_INDEX
    if value.startswith(("personen", "aantal")):
        return UNIT_COUNT
    return value.split("_")[0] if value else ""


def read_dictionary(frame: pd.DataFrame) -> dict[str, DictionaryEntry]:
    """A data dictionary (variable list) as variable -> label, unit, definition (normalised variable names)."""
    term = wio.find_column(frame, DICTIONARY_NAME_COLUMNS[:-1]) or wio.find_column(frame, ("naam",))
    labels = [c for c in (wio.find_column(frame, (a,)) for a in ("label", "naam", "titel")) if c and c != term]
    label = labels[0] if labels else None
    text = wio.find_column(frame, DICTIONARY_TEXT_COLUMNS)
    unit = wio.find_column(frame, ("eenheid", "unit", "meeteenheid"))
    if term is None:
        return {}
    out: dict[str, DictionaryEntry] = {}
    for _, row in frame.iterrows():
        name = str(row[term]).strip() if pd.notna(row[term]) else ""
        if not name:
            continue
        shown = str(row[label]).strip() if label and pd.notna(row[label]) else ""
        meaning = str(row[text]).strip() if text and pd.notna(row[text]) else ""
        out[wio.normalise_name(name)] = DictionaryEntry(shown or meaning[:80] or name, unit_from_dictionary(row[unit]) if unit else "", meaning)
    return out


def _unit_guess(column: str, label: str) -> str:
    text = f"{column} {label}".lower()
    if "%" in text or column.lower().endswith(("_pct", "pct", "perc")) or "percentage" in text:
        return UNIT_PCT
    if "schaalscore" in text or column.lower().endswith("_score") or "0-10" in text:
        return UNIT_SCORE
    return ""


def _rule_for(label: str, unit: str) -> MonitorRule | None:
    text = " ".join(label.lower().split())
    if text.startswith("gewicht") or unit.startswith("gewicht"):
        return None
    for rule in MONITOR_RULES:
        if unit and unit != rule.unit:
            continue
        if any(w in text for w in rule.words) and not any(w in text for w in rule.forbidden) and \
                (not rule.required or any(w in text for w in rule.required)):
            return rule
    return None


def _mostly_numbers(values: pd.Series) -> bool:
    """Whether at least half of the filled cells are numbers (a figure column, not a name column)."""
    text = values.dropna().head(500).astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return True
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    return bool(numbers.notna().mean() >= 0.5)


def match_monitor(frame: pd.DataFrame, code_column: str | None,
                  dictionary: dict[str, DictionaryEntry] | None = None) -> list[MonitorColumn]:
    """Propose an indicator key for every column of a monitor (by name, then by the data dictionary's label and unit).

    A column named like a survey indicator key or its Dutch label (``cohesie_score``, ``Sociale
    samenhang``) is that indicator. Otherwise its label (from the dictionary, else its name) and
    unit are compared with :data:`MONITOR_RULES`: ``sociale cohesie (schaalscore)`` with unit
    ``0_10_n_p_1`` is ``cohesie_score``; index figures and weights never match. Each key is
    proposed for one column only (the first); the others stay unmatched.

    Returns
    -------
    list of MonitorColumn
        Every column but the code column and a year column, in file order.
    """
    dictionary = dictionary or {}
    survey = {k for k in REGISTRY if REGISTRY[k].kind is IndicatorKind.ENQUETE and k != "respondenten_aantal"}
    by_label = {wio.normalise_name(REGISTRY[k].label): k for k in survey}
    skip = {code_column, wio.find_column(frame, ("jaar", "year", "peiljaar"))}
    skip |= {wio.find_column(frame, ("buurtnaam", "wijknaam", "naam", "gebiedsnaam", "bu_naam", "wk_naam", "geoitem"))}
    skip |= {c for c in attribute_columns(frame) if wio.normalise_name(c).endswith("naam") or
             wio.normalise_name(c).startswith(("bunaam", "wknaam", "geoitem"))}
    out: list[MonitorColumn] = []
    taken: set[str] = set()
    for column in attribute_columns(frame):
        if column in skip or not _mostly_numbers(frame[column]):
            continue
        entry = dictionary.get(wio.normalise_name(column))
        label = entry.label if entry else column
        unit = (entry.unit if entry else "") or _unit_guess(column, label)
        definition = entry.definition if entry else ""
        norm = wio.normalise_name(column)
        key, reason = None, "niet herkend"
        if norm in {wio.normalise_name(k) for k in survey} or norm in by_label:
            key = next((k for k in survey if wio.normalise_name(k) == norm), None) or by_label[norm]
            reason = "kolomnaam"
        else:
            rule = _rule_for(label, unit)
            if rule is not None:
                key = rule.key
                reason = f"label '{label}'" + (f" en eenheid {unit}" if unit else "") + (" uit het woordenboek" if entry else "")
        if key in taken:
            key, reason = None, f"{reason}; {key} is al gekozen voor een andere kolom"
        if key:
            taken.add(key)
        out.append(MonitorColumn(column, label, unit, definition, key, reason))
    return out


def own_indicators(raw: object, findings: Findings, file: str = "dataset.toml") -> tuple[Indicator, ...]:
    """The dataset's own indicators from ``[eigen_indicatoren.<sleutel>]`` (label, eenheid, definitie).

    Written by the import assistant for monitor columns that are no built-in indicator, so they keep the
    label and unit of the monitor's data dictionary. A block without a label is skipped with a warning.
    """
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        findings.warning(file, "[eigen_indicatoren] is geen tabel en wordt genegeerd",
                         "schrijf per indicator een blok [eigen_indicatoren.sleutel] met label en eenheid",
                         column="eigen_indicatoren")
        return ()
    out = []
    for key, spec in raw.items():
        label = spec.get("label") if isinstance(spec, dict) else None
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(key)) or not isinstance(label, str) or not label.strip():
            findings.warning(file, f"eigen indicator '{key}' heeft geen geldige sleutel of geen label en wordt genegeerd",
                             "gebruik kleine letters, cijfers en _ als sleutel en zet label = \"...\"",
                             column=f"eigen_indicatoren.{key}")
            continue
        unit, definition = spec.get("eenheid"), spec.get("definitie")
        out.append(dataset_indicator(str(key), label.strip(), str(unit) if unit else None,
                                     str(definition) if definition else None))
    return tuple(out)


def own_key(column: str) -> str:
    """An indicator key for a monitor column loaded as the dataset's own indicator (``b_vzhont`` stays ``b_vzhont``)."""
    key = re.sub(r"[^a-z0-9_]+", "_", wio.normalise_name(column) if not re.fullmatch(r"[A-Za-z0-9_]+", column)
                 else column.lower()).strip("_")
    return key if key and key[0].isalpha() else f"k_{key}"


__all__ = ["FIELDS", "MONITOR_RULES", "SKIP", "ComponentProposal", "DictionaryEntry", "Field", "MonitorColumn",
           "component_of", "match_monitor", "own_indicators", "own_key", "propose_columns", "propose_components", "read_dictionary",
           "unit_from_dictionary"]
