"""Validation findings: Dutch messages that name file, row, column, the problem and the fix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["fout", "waarschuwing", "info"]

_LEVEL_LABEL: dict[str, str] = {"fout": "FOUT", "waarschuwing": "WAARSCHUWING", "info": "INFO"}


@dataclass(frozen=True)
class Finding:
    """One finding about an input file.

    Attributes
    ----------
    level : {"fout", "waarschuwing", "info"}
        ``fout`` makes the dataset (or that source) unusable; ``waarschuwing`` is
        repaired or skipped; ``info`` only informs (for example a recognised CRS).
    file : str
        File name as the user knows it (relative to the dataset folder).
    problem : str
        What is wrong, in Dutch, without a trailing full stop.
    fix : str
        How to fix it, in Dutch, without a trailing full stop.
    row : int, optional
        Row as the user sees it: the spreadsheet row (header is row 1, so the
        first data row is 2) for tables, the feature number (from 1) for geo files.
    column : str, optional
        Column name as it appears in the file.
    """

    level: Level
    file: str
    problem: str
    fix: str = ""
    row: int | None = None
    column: str | None = None

    def location(self) -> str:
        """File, row and column in Dutch: ``scholen.csv, rij 12, kolom 'lat'``."""
        parts = [self.file or "(dataset)"]
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column is not None:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"[{_LEVEL_LABEL[self.level]}] {self.location()}: {self.problem}."
        if self.fix:
            text += f" Oplossing: {self.fix}."
        return text


@dataclass
class Findings:
    """An ordered collection of findings, with helpers to add and query them."""

    items: list[Finding] = field(default_factory=list)

    def add(self, level: Level, file: str, problem: str, fix: str = "",
            row: int | None = None, column: str | None = None) -> Finding:
        """Append a finding and return it."""
        finding = Finding(level, file, problem, fix, row, column)
        self.items.append(finding)
        return finding

    def error(self, file: str, problem: str, fix: str = "", row: int | None = None,
              column: str | None = None) -> Finding:
        """Append a ``fout``."""
        return self.add("fout", file, problem, fix, row, column)

    def warning(self, file: str, problem: str, fix: str = "", row: int | None = None,
                column: str | None = None) -> Finding:
        """Append a ``waarschuwing``."""
        return self.add("waarschuwing", file, problem, fix, row, column)

    def info(self, file: str, problem: str, fix: str = "", row: int | None = None,
             column: str | None = None) -> Finding:
        """Append an ``info``."""
        return self.add("info", file, problem, fix, row, column)

    def extend(self, other: Iterable[Finding]) -> None:
        """Append findings from another collection."""
        self.items.extend(other)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        """Findings of level ``fout``."""
        return [f for f in self.items if f.level == "fout"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of level ``waarschuwing``."""
        return [f for f in self.items if f.level == "waarschuwing"]

    @property
    def has_errors(self) -> bool:
        """True when any finding is a ``fout``."""
        return any(f.level == "fout" for f in self.items)

    def lines(self) -> list[str]:
        """One Dutch line per finding."""
        return [str(f) for f in self.items]

