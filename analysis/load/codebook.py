"""The survey codebook (``codeboek.toml``): scales, items, codes and the indicators they produce, checked."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.errors import DatasetError
from analysis.findings import Findings

#: Scoring methods a codebook scale may use.
METHODS: tuple[str, ...] = ("gemiddelde", "telling", "aandeel")

_SCALE_KEYS = frozenset({
    "label", "methode", "items", "codes", "omgekeerd", "min_geldig", "indicator", "drempels", "ja",
    "telt", "ontbrekend", "beschrijving", "toelichting", "bron",
})
_TOP_KEYS = frozenset({"codeboek", "schalen"})
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: The setting that only one method uses: key -> that method.
_METHOD_ONLY_KEYS: tuple[tuple[str, str], ...] = (("drempels", "telling"), ("telt", "telling"), ("ja", "aandeel"))


def format_code(value: float) -> str:
    """A code as the user wrote it: ``3`` rather than ``3.0``, ``2,5`` with a Dutch decimal comma."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def format_codes(codes: Iterable[float]) -> str:
    """Codes joined with commas, each as :func:`format_code` writes it."""
    return ", ".join(format_code(c) for c in codes)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number_list(value: Any) -> list[float] | None:
    """A list of finite numbers (ints stay ints), or None when ``value`` is not one."""
    if not isinstance(value, (list, tuple)) or not all(_is_number(v) for v in value):
        return None
    return [int(v) if float(v).is_integer() else float(v) for v in value]


def _string_list(value: Any) -> list[str] | None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return [v.strip() for v in value]


def _default_min_valid(method: str, n_items: int) -> int:
    if method == "telling":
        return n_items
    if method == "gemiddelde":
        return math.ceil(n_items / 2)
    return 1


@dataclass
class _ScaleCheck:
    """Checks one ``[schalen.<name>]`` table and reports in Dutch; the parsed parts are kept on it."""

    name: str
    spec: dict[str, Any]
    findings: Findings
    file: str
    method: str | None = None
    items: list[str] | None = None
    codes: list[float] | None = None
    missing: list[float] = field(default_factory=list)
    reversed_items: list[str] = field(default_factory=list)
    min_valid: Any = None
    indicator: Any = None
    thresholds: dict[str, int] = field(default_factory=dict)
    yes_codes: list[float] = field(default_factory=list)
    count_codes: list[float] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"schalen.{self.name}"

    def error(self, problem: str, fix: str, key: str | None = None) -> None:
        column = f"{self.where}.{key}" if key else self.where
        self.findings.error(self.file, f"schaal '{self.name}': {problem}", fix, column=column)

    def warning(self, problem: str, fix: str, key: str) -> None:
        self.findings.warning(self.file, f"schaal '{self.name}': {problem}", fix, column=f"{self.where}.{key}")

    def unknown_keys(self) -> None:
        for key in sorted(set(self.spec) - _SCALE_KEYS):
            self.warning(f"onbekende instelling '{key}' wordt genegeerd",
                         "controleer de spelling; bekende instellingen zijn " + ", ".join(sorted(_SCALE_KEYS)), key)

    def read_method(self) -> None:
        method = self.spec.get("methode")
        if method is None:
            self.error("er staat geen methode", "zet methode = \"gemiddelde\", \"telling\" of \"aandeel\"", "methode")
        elif method not in METHODS:
            self.error(f"onbekende methode '{method}'", "kies methode = \"gemiddelde\", \"telling\" of \"aandeel\"",
                       "methode")
        else:
            self.method = str(method)

    def read_items(self) -> None:
        items = _string_list(self.spec.get("items"))
        if not items:
            self.error("'items' ontbreekt of is geen lijst met kolomnamen",
                       "zet items = [\"kolom_1\", \"kolom_2\"] met de kolomnamen uit enquete.csv", "items")
        elif len(set(items)) != len(items):
            dups = sorted({i for i in items if items.count(i) > 1})
            self.error(f"item(s) {', '.join(repr(d) for d in dups)} staan meer dan één keer in 'items'",
                       "noem elk item één keer", "items")
        else:
            self.items = items

    def read_codes(self) -> None:
        codes = _number_list(self.spec.get("codes"))
        if not codes:
            self.error("'codes' ontbreekt of is geen lijst met getallen",
                       "zet codes = [1, 2, 3, 4, 5] met alle geldige antwoordcodes", "codes")
        elif len(set(codes)) != len(codes):
            self.error("'codes' bevat dubbele codes", "noem elke geldige antwoordcode één keer", "codes")
        elif self.method == "gemiddelde" and len(codes) < 2:
            self.error("een gemiddelde vraagt minstens twee verschillende codes",
                       "zet alle antwoordcodes van de schaal in 'codes', bijvoorbeeld [1, 2, 3, 4, 5]", "codes")
        else:
            self.codes = codes

    def read_missing(self, default_missing: list[float]) -> None:
        if "ontbrekend" in self.spec:
            missing = _number_list(self.spec["ontbrekend"])
            if missing is None:
                self.error("'ontbrekend' is geen lijst met getallen", "zet bijvoorbeeld ontbrekend = [9, 99]",
                           "ontbrekend")
                missing = []
        else:
            missing = list(default_missing)
        self.missing = missing
        overlap = sorted(set(self.codes or []) & set(missing))
        if overlap:
            self.error(f"code(s) {format_codes(overlap)} staan zowel in 'codes' als in 'ontbrekend'",
                       f"geef de schaal eigen ontbrekende codes die geen geldig antwoord zijn, bijvoorbeeld "
                       f"ontbrekend = [99] onder [schalen.{self.name}]", "ontbrekend")

    def read_reversed(self) -> None:
        raw = self.spec.get("omgekeerd", [])
        reversed_items = _string_list(raw) if raw != [] else []
        if reversed_items is None:
            self.error("'omgekeerd' is geen lijst met itemnamen", "zet omgekeerd = [\"kolom_1\"] of laat het weg",
                       "omgekeerd")
            return
        self.reversed_items = reversed_items
        unknown = [i for i in reversed_items if self.items and i not in self.items]
        if unknown:
            self.error(f"omgekeerd item(s) {', '.join(repr(u) for u in unknown)} staan niet in 'items'",
                       "noem in 'omgekeerd' alleen items die ook in 'items' staan", "omgekeerd")

    def read_min_valid(self) -> None:
        if not (self.items and self.method):
            return
        min_valid = self.spec.get("min_geldig")
        if min_valid is None:
            min_valid = _default_min_valid(self.method, len(self.items))
        elif not _is_int(min_valid) or not 1 <= min_valid <= len(self.items):
            top = len(self.items)
            self.error(f"min_geldig = {min_valid!r} moet een geheel getal van 1 tot en met {top} "
                       f"(het aantal items) zijn", f"zet min_geldig tussen 1 en {top} of laat het weg", "min_geldig")
        self.min_valid = min_valid

    def read_indicator(self) -> None:
        indicator = self.spec.get("indicator")
        if self.method in ("gemiddelde", "aandeel"):
            if not isinstance(indicator, str) or not _KEY_RE.match(indicator):
                self.error("'indicator' ontbreekt of is geen geldige sleutel",
                           "zet indicator = \"cohesie_score\" (kleine letters, cijfers en _)", "indicator")
            self.indicator = indicator
        elif self.method == "telling" and indicator is not None:
            self.warning("'indicator' wordt bij methode telling niet gebruikt",
                         "geef de indicatoren van een telling op met drempels = { sleutel = minimumscore }", "indicator")
        for key, wanted in _METHOD_ONLY_KEYS:
            if key in self.spec and self.method and self.method != wanted:
                self.warning(f"'{key}' wordt bij methode {self.method} niet gebruikt",
                             f"haal '{key}' weg of kies methode = \"{wanted}\"", key)

    def code_subset(self, key: str, example: str) -> list[float]:
        values = _number_list(self.spec.get(key))
        if not values:
            self.error(f"'{key}' ontbreekt of is geen lijst met codes", f"zet bijvoorbeeld {key} = {example}", key)
            return []
        bad = [v for v in values if self.codes and v not in self.codes]
        if bad:
            self.error(f"code(s) {format_codes(bad)} in '{key}' zijn geen geldige codes van de schaal "
                       f"({format_codes(self.codes or [])})", f"gebruik in '{key}' alleen codes uit 'codes'", key)
        return values

    def read_thresholds(self) -> None:
        raw = self.spec.get("drempels")
        if not isinstance(raw, dict) or not raw:
            self.error("een telling vraagt 'drempels' met minstens één indicator",
                       "zet bijvoorbeeld drempels = { eenzaam_pct = 2, zeer_eenzaam_pct = 5 }", "drempels")
            return
        for key, value in raw.items():
            if not _KEY_RE.match(str(key)):
                self.error(f"drempel '{key}' is geen geldige indicatorsleutel",
                           "gebruik kleine letters, cijfers en _, zoals eenzaam_pct", "drempels")
            elif not _is_int(value) or (self.items and not 1 <= value <= len(self.items)):
                top = len(self.items) if self.items else "het aantal items"
                self.error(f"drempel {key} = {value!r} moet een geheel getal van 1 tot en met {top} zijn",
                           "geef de minimale score waarvanaf een respondent meetelt", "drempels")
            else:
                self.thresholds[str(key)] = int(value)

    def read_method_parts(self) -> None:
        if self.method == "telling":
            self.count_codes = self.code_subset("telt", "[1, 2]")
            self.read_thresholds()
        elif self.method == "aandeel":
            self.yes_codes = self.code_subset("ja", "[1]")

    def result(self) -> dict[str, Any]:
        items = self.items or []
        return {
            "label": str(self.spec.get("label", self.name)), "methode": self.method, "items": items,
            "codes": sorted(self.codes or []), "omgekeerd": [i for i in items if i in self.reversed_items],
            "ontbrekend": sorted(self.missing), "min_geldig": int(self.min_valid),
            "indicator": self.indicator if self.method != "telling" else None, "drempels": self.thresholds,
            "ja": sorted(self.yes_codes), "telt": sorted(self.count_codes),
        }


def _parse_scale(name: str, spec: Any, default_missing: list[float], findings: Findings,
                 file: str) -> dict[str, Any] | None:
    """Validate one ``[schalen.<name>]`` table; None (with errors reported) when unusable."""
    if not isinstance(spec, dict):
        findings.error(file, f"schaal '{name}': is geen tabel met instellingen",
                       f"schrijf de schaal als [schalen.{name}] met daaronder methode, items en codes",
                       column=f"schalen.{name}")
        return None
    n_errors = len(findings.errors)
    check = _ScaleCheck(name, spec, findings, file)
    check.unknown_keys()
    check.read_method()
    check.read_items()
    check.read_codes()
    check.read_missing(default_missing)
    check.read_reversed()
    check.read_min_valid()
    check.read_indicator()
    check.read_method_parts()
    if len(findings.errors) > n_errors:
        return None
    return check.result()


def scale_indicator_keys(scale: dict[str, Any]) -> list[str]:
    """The indicator keys one normalised scale produces (the drempels of a telling, else its indicator)."""
    if scale["methode"] == "telling":
        return list(scale["drempels"])
    return [scale["indicator"]]


def _parse_head(raw: dict, findings: Findings, file: str) -> dict[str, Any]:
    head = raw.get("codeboek", {})
    if not isinstance(head, dict):
        findings.error(file, "[codeboek] is geen tabel", "schrijf [codeboek] met daaronder naam en ontbrekend",
                       column="codeboek")
        head = {}
    default_missing = _number_list(head.get("ontbrekend", []))
    if default_missing is None:
        findings.error(file, "'ontbrekend' in [codeboek] is geen lijst met getallen",
                       "zet bijvoorbeeld ontbrekend = [9] (codes voor 'weet niet' en 'geen antwoord')",
                       column="codeboek.ontbrekend")
        default_missing = []
    return {"naam": str(head.get("naam", "")), "ontbrekend": sorted(default_missing)}


def parse_codebook(raw: dict, findings: Findings, file: str = "codeboek.toml") -> dict:
    """Validate a parsed ``codeboek.toml`` and fill in its defaults.

    Checks every scale: a known ``methode`` (gemiddelde, telling, aandeel), ``items``
    (column names, no duplicates), ``codes`` (numbers), ``omgekeerd`` only naming items,
    ``telt`` / ``ja`` only naming valid codes, ``drempels`` between 1 and the number of
    items, ``min_geldig`` between 1 and the number of items, missing codes that are not
    also valid codes, and indicator keys that are unique across scales.

    Parameters
    ----------
    raw : dict
        The TOML as parsed by ``tomllib`` (a normalised codebook is accepted too, so
        the function is idempotent).
    findings : Findings
        Receives Dutch errors (``fout``) and warnings naming the file and the scale
        (``column`` is ``schalen.<naam>`` or ``schalen.<naam>.<sleutel>``).
    file : str
        File name for the messages.

    Returns
    -------
    dict
        ``{"codeboek": {"naam", "ontbrekend"}, "schalen": {naam: scale}}`` where every
        scale has ``label, methode, items, codes, omgekeerd, ontbrekend, min_geldig,
        indicator, drempels, ja, telt``. ``ontbrekend`` falls back to ``[codeboek]
        ontbrekend``; ``min_geldig`` defaults to all items (telling), half the items
        rounded up (gemiddelde) or 1 (aandeel). Scales with errors are left out.
    """
    out: dict[str, Any] = {"codeboek": {"naam": "", "ontbrekend": []}, "schalen": {}}
    if not isinstance(raw, dict):
        findings.error(file, "het codeboek is geen TOML-tabel", "begin het bestand met [codeboek] en [schalen.<naam>]")
        return out
    for key in sorted(set(raw) - _TOP_KEYS):
        findings.warning(file, f"onbekend onderdeel '{key}' wordt genegeerd",
                         "gebruik alleen [codeboek] en [schalen.<naam>]", column=str(key))
    out["codeboek"] = _parse_head(raw, findings, file)
    scales = raw.get("schalen")
    if not isinstance(scales, dict) or not scales:
        findings.error(file, "het codeboek bevat geen schalen",
                       "voeg minstens één [schalen.<naam>] toe met methode, items en codes", column="schalen")
        return out
    owner: dict[str, str] = {}
    for name, spec in scales.items():
        scale = _parse_scale(str(name), spec, out["codeboek"]["ontbrekend"], findings, file)
        if scale is None:
            continue
        clashes = [key for key in scale_indicator_keys(scale) if key in owner]
        for key in clashes:
            findings.error(file, f"schaal '{name}': indicator '{key}' wordt ook al berekend door schaal "
                           f"'{owner[key]}'", "geef elke indicator één schaal", column=f"schalen.{name}")
        if clashes:
            continue
        owner.update(dict.fromkeys(scale_indicator_keys(scale), str(name)))
        out["schalen"][str(name)] = scale
    return out


def normalised(codebook: dict) -> dict:
    """The normalised codebook (see :func:`parse_codebook`); raises :class:`DatasetError` when it has errors.

    An empty codebook, or one without scales (a survey without codebook), gives no scales.
    """
    if not codebook or codebook.get("schalen") == {}:
        return {"codeboek": {"naam": "", "ontbrekend": []}, "schalen": {}}
    findings = Findings()
    parsed = parse_codebook(codebook, findings)
    if findings.has_errors:
        raise DatasetError(Findings(findings.errors))
    return parsed


def codebook_items(codebook: dict) -> list[str]:
    """Every item column of a normalised codebook, in the order the scales name them (each once)."""
    seen: dict[str, None] = {}
    for scale in codebook["schalen"].values():
        seen.update(dict.fromkeys(scale["items"]))
    return list(seen)


def codebook_indicators(codebook: dict) -> pd.DataFrame:
    """The indicators a codebook produces: ``indicator, schaal, methode, soort, drempel``.

    ``soort`` is ``gemiddelde`` (0-10 scale score) or ``aandeel`` (percentage).
    """
    rows: list[tuple[str, str, str, str, float]] = []
    for name, scale in normalised(codebook)["schalen"].items():
        if scale["methode"] == "gemiddelde":
            rows.append((scale["indicator"], name, "gemiddelde", "gemiddelde", math.nan))
        elif scale["methode"] == "aandeel":
            rows.append((scale["indicator"], name, "aandeel", "aandeel", math.nan))
        else:
            rows.extend((key, name, "telling", "aandeel", float(v)) for key, v in scale["drempels"].items())
    return pd.DataFrame(rows, columns=["indicator", "schaal", "methode", "soort", "drempel"])
