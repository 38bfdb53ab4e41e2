"""What every ICA check measures against: the filing, its profile and its dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from gridmod.filing import Filing
from gridmod.ica.spec import resource_path
from gridmod.spec import Profile


@dataclass(frozen=True)
class IcaContext:
    filing: Filing
    profile: Profile
    filing_date: date
    period_start: date
    period_end: date

    @classmethod
    def of(cls, filing: Filing, profile: Profile) -> IcaContext:
        head = filing.head
        return cls(filing, profile, head.filing_date, head.period_start, head.period_end)

    @property
    def thresholds(self) -> dict[str, Any]:
        return self.profile.thresholds

    def path(self, table: str) -> str:
        """The table's file relative to the repository, as findings name it."""
        return self.filing.rel_path(resource_path(self.filing, self.profile, table))

    def file_name(self, table: str) -> str:
        return resource_path(self.filing, self.profile, table)
