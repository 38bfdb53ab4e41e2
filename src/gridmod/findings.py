"""The one kind of result every validation phase returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "explain")


@dataclass
class Finding:
    code: str
    severity: str
    path: str
    message: str
    hint: str
    url: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None
    key: str | None = None
    phase: str = "structure"
    explanation: str | None = None

    @property
    def is_open(self) -> bool:
        """An explain finding with an explanation no longer blocks the filing."""
        return not (self.severity == "explain" and self.explanation is not None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Checked:
    """What a phase of checks returns: its findings, and notes on what it did not check and why."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class PackageResult:
    path: str
    profile: str | None
    version: str | None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(f.is_open and f.severity in ("error", "explain") for f in self.findings)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            if f.is_open:
                counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "profile": self.profile,
            "version": self.version,
            "valid": self.valid,
            "counts": self.counts(),
            "notes": self.notes,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    packages: list[PackageResult]

    @property
    def valid(self) -> bool:
        return all(p.valid for p in self.packages)

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(SEVERITIES, 0)
        for p in self.packages:
            for k, v in p.counts().items():
                total[k] += v
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "counts": self.counts(),
            "packages": [p.to_dict() for p in self.packages],
        }
