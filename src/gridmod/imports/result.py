"""What an import returns: its findings on the native files and how many rows went where."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportFinding:
    """A native value the import could not map, where it is: the native file (and layer), the row (CSV:
    the line as a spreadsheet or editor shows it, header = 1; a layer: the feature's number, from 1), the
    field and value, why and how to fix it. `problem` names the entry of messages.yaml."""

    file: str
    row: int | None
    field: str | None
    value: str | None
    problem: str
    message: str
    fix: str
    where_kind: str = "row"  # "row" (CSV) or "feature" (a layer)

    @property
    def where(self) -> str:
        return self.file if self.row is None else f"{self.file}, {self.where_kind} {self.row}"


@dataclass
class SourceCount:
    """One native file (or one layer of it): rows read, rows whose every value mapped, rows refused."""

    file: str
    source: str  # the mapping's name for what the file holds, e.g. line_details
    read: int = 0
    refused: int = 0

    @property
    def written(self) -> int:
        return self.read - self.refused


@dataclass
class ImportResult:
    folder: Path
    utility: str
    findings: list[ImportFinding] = field(default_factory=list)
    sources: list[SourceCount] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)  # table file -> rows written
    # table file -> rows that refused native rows would have given (small tables: keys no other row gave)
    withheld: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    omitted: Counter[str] = field(default_factory=Counter)  # findings past the cap, by file and problem
    per_problem: Counter[str] = field(default_factory=Counter)

    @property
    def refused(self) -> int:
        return sum(s.refused for s in self.sources)

    @property
    def ok(self) -> bool:
        return not self.findings and not self.refused
