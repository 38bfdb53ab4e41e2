"""What the ICA engine reads from the profile beyond the shared Profile: table options and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from gridmod.filing import Filing
from gridmod.spec import Profile

CRITERIA = ("thermal", "steady_state_voltage", "voltage_fluctuation", "protection", "safety_reliability")
SCENARIOS = ("uniform_generation", "uniform_load", "pv")
MISSING_REASONS = ("redacted_critical_infrastructure", "not_studied", "study_failed", "not_applicable")
def table_spec(profile: Profile, name: str) -> dict[str, Any]:
    return next(t for t in profile.tables if t["name"] == name)


def is_large(profile: Profile, name: str) -> bool:
    return bool(table_spec(profile, name).get("large"))


def resource_path(filing: Filing, profile: Profile, name: str) -> str:
    """The path the filing uses for a table: the profile's CSV path or one of its alternatives."""
    given = filing.resources.get(name, {}).get("path")
    spec = table_spec(profile, name)
    return str(given) if given in [spec["path"], *spec.get("alternatives", [])] else str(spec["path"])


def filing_date(filing: Filing) -> date:
    return date.fromisoformat(str(filing.meta["filing_date"]))


def field_names(profile: Profile, table: str) -> list[str]:
    return [f["name"] for f in profile.schemas[table]["fields"]]


def column_of(profile: Profile, table: str, name: str) -> int:
    """1-based column of a field, as a spreadsheet or editor counts it."""
    return field_names(profile, table).index(name) + 1
