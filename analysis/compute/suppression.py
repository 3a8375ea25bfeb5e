"""Suppression of survey figures: primary (too few respondents) and secondary (not recoverable by subtraction).

Every parent figure (wijk, gemeente) is computed from the same respondents as its children
(the buurten of the wijk, the wijken of the gemeente) taken together. Whoever knows a parent
figure, its n and the published children's figures and n can therefore compute the pooled
figure of the children that are not published: ``(n_P x_P - sum n_c x_c) / (n_P - sum n_c)``.
Statistics Netherlands' rule for tables (Hundepool et al. 2012, Statistical Disclosure Control,
ch. 4 and 5; CBS: a suppressed cell shows nothing that helps to recover it) is that such a
recoverable group must itself be large enough to publish. :func:`suppress` enforces it for every
level, year and indicator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.formatting import format_number

#: Default and lowest allowed number of valid respondents behind a published survey figure.
DEFAULT_THRESHOLD = 30
MIN_THRESHOLD = 10


def check_threshold(threshold: int) -> int:
    """The threshold as an int; raises ValueError (Dutch) when it is no whole number or below 10."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer, float)) or threshold != int(threshold):
        raise ValueError(f"De drempel voor onderdrukking moet een geheel aantal respondenten zijn, niet {threshold!r}.")
    if threshold < MIN_THRESHOLD:
        raise ValueError(
            f"De drempel voor onderdrukking is {threshold}, maar mag niet lager zijn dan {MIN_THRESHOLD} "
            f"respondenten: met minder zijn antwoorden tot personen te herleiden. Kies {MIN_THRESHOLD} of hoger "
            f"(standaard {DEFAULT_THRESHOLD})."
        )
    return int(threshold)


def n_text(n: float | None, onderdrukt: int | bool, threshold: int = DEFAULT_THRESHOLD) -> str:
    """How the n of a survey figure is shown: ``"1.234"``, or ``"minder dan 30"`` when suppressed.

    A suppressed figure shows no n (the table leaves it empty): ``"minder dan 30"`` when its n
    is known to be below the threshold, ``"minder dan 30 of afgeschermd"`` when it is not
    known (as in the published table, where primary and secondary suppression look the same,
    as CBS tables do) or when the figure is hidden to protect another area. An unsuppressed
    figure without n shows ``"onbekend"``.
    """
    missing = n is None or pd.isna(n)
    if onderdrukt:
        if not missing and float(n) < threshold:  # type: ignore[arg-type]
            return f"minder dan {threshold}"
        return f"minder dan {threshold} of afgeschermd"
    if missing:
        return "onbekend"
    return format_number(float(n), 0)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# One tree: the areas with valid answers of one year and indicator
# ---------------------------------------------------------------------------------------------

@dataclass
class _Tree:
    """Areas of one year and indicator: n, parent, children; ``published`` shrinks as figures are hidden."""

    n: dict[str, float]
    parent: dict[str, str]
    children: dict[str, list[str]]
    published: set[str]
    known: set[str] = field(default_factory=set)
    via: dict[str, tuple[str, str]] = field(default_factory=dict)

    def close(self) -> None:
        """Everything that follows from the published figures: a child that is the only unknown one of a
        known parent (``parent - other children``), and a parent whose children are all known (their sum)."""
        self.known = set(self.published)
        self.via = {}
        changed = True
        while changed:
            changed = False
            for p, kids in self.children.items():
                unknown = [c for c in kids if c not in self.known]
                if p in self.known and len(unknown) == 1:
                    self.known.add(unknown[0])
                    self.via[unknown[0]] = ("ouder", p)
                    changed = True
                elif p not in self.known and kids and not unknown:
                    self.known.add(p)
                    self.via[p] = ("kinderen", p)
                    changed = True

    def frontier(self, node: str) -> list[str]:
        """The largest known areas inside ``node`` (descending through unknown areas)."""
        out: list[str] = []
        stack = list(self.children.get(node, []))
        while stack:
            c = stack.pop()
            if c in self.known:
                out.append(c)
            else:
                stack.extend(self.children.get(c, []))
        return out

    def group(self, node: str) -> tuple[float, list[str]]:
        """The recoverable group of a known area: its respondents outside the largest known areas inside it."""
        inside = self.frontier(node)
        return self.n[node] - sum(self.n[c] for c in inside), inside

    def breaker(self, node: str, seen: frozenset[str] = frozenset()) -> str | None:
        """A published area whose suppression makes ``node`` unknown (itself when published)."""
        if node in self.published:
            return node
        if node in seen or node not in self.via:
            return None
        seen = seen | {node}
        rule, source = self.via[node]
        options = ([c for c in self.children[source] if c != node] if rule == "ouder"
                   else list(self.children[node]))
        picks = [(self.n[c], c, b) for c in options if (b := self.breaker(c, seen)) is not None]
        if picks:
            return min(picks)[2]
        return self.breaker(source, seen) if rule == "ouder" else None

    def pick(self, node: str) -> str | None:
        """What to hide for a too small group of ``node``: the smallest known area inside it, else ``node``."""
        picks = [(self.n[c], c, b) for c in self.frontier(node) if (b := self.breaker(c)) is not None]
        if picks:
            return min(picks)[2]
        return self.breaker(node)


def _violations(tree: _Tree, threshold: int, depth: dict[str, int]) -> list[tuple[int, float, str]]:
    out = []
    for node in tree.known:
        size, _ = tree.group(node)
        if 0 < size < threshold:
            out.append((-depth.get(node, 0), size, node))
    return sorted(out)


def _protect(tree: _Tree, threshold: int, depth: dict[str, int]) -> None:
    """Hide published areas, one at a time, until no known area leaves a group below the threshold."""
    while True:
        tree.close()
        problems = _violations(tree, threshold, depth)
        if not problems:
            return
        hide = tree.pick(problems[0][2])
        if hide is None:  # cannot happen for a tree; stay safe
            tree.published.clear()
            continue
        tree.published.discard(hide)


def _trees(figures: pd.DataFrame, parent_of: pd.Series, threshold: int) -> Iterable[tuple[tuple[Any, Any], _Tree]]:
    live = figures[figures["n"] > 0]
    for key, group in live.groupby(["jaar", "indicator"], sort=False):
        n = dict(zip(group["gebiedscode"].astype(str), group["n"].astype(float)))
        parent = {c: str(parent_of[c]) for c in n if c in parent_of.index and str(parent_of[c]) in n}
        children: dict[str, list[str]] = {}
        for c, p in parent.items():
            children.setdefault(p, []).append(c)
        for kids in children.values():
            kids.sort()
        published = {c for c, v in n.items() if v >= threshold}
        year, indicator = key
        yield (year, indicator), _Tree(n, parent, children, published)


def _depth(parent_of: pd.Series) -> dict[str, int]:
    parent = parent_of.astype(str).to_dict()
    depth: dict[str, int] = {}
    for code in parent:
        d, c, seen = 0, code, set()
        while c in parent and c not in seen:
            seen.add(c)
            c = parent[c]
            d += 1
        depth[str(code)] = d
    return depth


def suppress(figures: pd.DataFrame, parent_of: pd.Series, threshold: int) -> pd.Series:
    """Which survey figures must be suppressed (1) so that none is below, or recoverable below, the threshold.

    Per year and indicator, the areas with valid answers (``n > 0``) form a tree (buurt in
    wijk in gemeente). Primary: a figure with ``n < threshold`` is suppressed. Secondary:
    what an outsider can derive from the published figures is closed under two rules (a
    child that is the only unpublished one of a known parent is known; a parent whose
    children are all known is known). Every known area then gives away one group: its
    respondents outside the largest known areas inside it (for a wijk: the pooled
    suppressed buurten). While a group holds fewer than ``threshold`` respondents (and more
    than 0), one more figure is suppressed: the known area inside it with the smallest n
    (ties: lowest code; a known but unpublished area is made unknown by suppressing the
    smallest published area it is derived from), else the area itself. Groups are fixed
    from the buurten up. Areas with ``n = 0`` take no part (they hold no respondents) and
    are suppressed.

    Parameters
    ----------
    figures : pandas.DataFrame
        ``gebiedscode, jaar, indicator, n`` (``n`` the valid respondents).
    parent_of : pandas.Series
        Parent code indexed by area code (buurt -> wijk, wijk -> gemeente).
    threshold : int

    Returns
    -------
    pandas.Series
        0/1 per row of ``figures`` (same index).
    """
    threshold = check_threshold(threshold)
    depth = _depth(parent_of)
    published: set[tuple[Any, Any, str]] = set()
    for (year, indicator), tree in _trees(figures, parent_of, threshold):
        _protect(tree, threshold, depth)
        published.update((year, indicator, c) for c in tree.published)
    keys = zip(figures["jaar"], figures["indicator"], figures["gebiedscode"].astype(str))
    return pd.Series([0 if key in published else 1 for key in keys], index=figures.index, dtype="int64")


def recoverable_groups(figures: pd.DataFrame, parent_of: pd.Series, threshold: int) -> pd.DataFrame:
    """Every group an outsider can recover from the published figures, with its number of respondents.

    ``figures`` as for :func:`suppress` plus ``onderdrukt``. Returns ``jaar, indicator,
    gebiedscode`` (the known area), ``n`` (respondents in the group) and ``buiten`` (the
    known areas inside it that are subtracted), one row per known area whose group is not
    empty. A published table is safe when every ``n`` is at least the threshold.
    """
    rows = []
    shown = figures[figures["onderdrukt"] == 0]
    for (year, indicator), tree in _trees(figures, parent_of, threshold):
        mine = shown[(shown["jaar"] == year) & (shown["indicator"] == indicator)]
        tree.published = set(mine["gebiedscode"].astype(str)) & set(tree.n)
        tree.close()
        for node in sorted(tree.known):
            size, inside = tree.group(node)
            if size > 0:
                rows.append((year, indicator, node, size, tuple(sorted(inside))))
    return pd.DataFrame(rows, columns=["jaar", "indicator", "gebiedscode", "n", "buiten"])
