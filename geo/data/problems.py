"""Problems as one idea: every report of a check (the data folder's, a ledger import's, a
boundary file's) holds problems with a severity, and says which are errors, warnings and
notices, and whether it is fit to go ahead (no error)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

#: How bad a problem is: an ``error`` stops what it is about (nothing is written), a
#: ``warning`` is shown and does not, an ``info`` is a notice.
SEVERITIES = ("error", "warning", "info")


class Problem(Protocol):
    """Anything with a ``severity`` of :data:`SEVERITIES` (an ``Issue``, a ``Finding``)."""

    severity: str


class Problems:
    """What every report of a check offers over its problems (:meth:`problems`)."""

    def problems(self) -> Sequence[Problem]:
        """The report's problems, in the order found.

        Returns
        -------
        sequence of Problem
            Each with its ``severity``.
        """
        raise NotImplementedError

    def of_severity(self, severity: str) -> list:
        """The problems of one severity.

        Parameters
        ----------
        severity
            One of :data:`SEVERITIES`.

        Returns
        -------
        list
            Those problems, in order.

        Raises
        ------
        ValueError
            If ``severity`` is not one of :data:`SEVERITIES`.
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        return [problem for problem in self.problems() if problem.severity == severity]

    @property
    def errors(self) -> list:
        """The problems of severity ``error`` (any one means nothing is written)."""
        return self.of_severity("error")

    @property
    def warnings(self) -> list:
        """The problems of severity ``warning``."""
        return self.of_severity("warning")

    @property
    def notices(self) -> list:
        """The problems of severity ``info``."""
        return self.of_severity("info")

    @property
    def ok(self) -> bool:
        """True if no problem is an error."""
        return not self.errors
