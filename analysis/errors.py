"""The core's own exception types: the UI decides what to show by the type, never by the message."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.findings import Finding, Findings


class WijkweefselError(Exception):
    """Base of every error the core raises on purpose; its message is Dutch and says what to do."""


class DatasetError(WijkweefselError):
    """A dataset (or one source of it) cannot be used.

    Carries the findings that explain why (file, row, column, problem, fix); ``str()`` gives
    them one per line.

    Parameters
    ----------
    findings : Findings, iterable of Finding, or Finding
        Why the dataset cannot be used.
    """

    def __init__(self, findings: Findings | Iterable[Finding] | Finding):
        if isinstance(findings, Finding):
            findings = [findings]
        self.findings = findings if isinstance(findings, Findings) else Findings(list(findings))
        super().__init__("\n".join(self.findings.lines()))


class ParameterError(WijkweefselError, ValueError):
    """A parameter (a norm, weight, threshold, level or year) is out of range; the message names the valid values."""


class NotEnoughDataError(WijkweefselError):
    """There is too little data for the computation asked for (no areas, no facilities, too few respondents).

    The UI shows this as an empty state with the reason, not as an error.
    """
