"""What the ICA engine reads from the profile beyond the shared Profile: table options and dates."""

from __future__ import annotations

from gridmod.filing import Filing
from gridmod.spec import Profile


def enum_of(profile: Profile, table: str, field: str) -> list[str]:
    """The values a field allows, in the order of its Table Schema (coded columns hold their positions)."""
    spec = next(f for f in profile.schemas[table]["fields"] if f["name"] == field)
    return [str(v) for v in spec["constraints"]["enum"]]


def scenarios(profile: Profile) -> list[str]:
    """The results' scenarios, e.g. uniform_generation, uniform_load, pv."""
    return enum_of(profile, "results", "scenario")


def criteria(profile: Profile) -> list[str]:
    """The limiting criteria of the static grid, e.g. thermal, steady_state_voltage."""
    return enum_of(profile, "results", "static_criterion")


def resource_path(filing: Filing, profile: Profile, name: str) -> str:
    """The path the filing uses for a table: the profile's CSV path or one of its alternatives."""
    return profile.table_file(name, filing.resources.get(name, {}).get("path"))


def field_names(profile: Profile, table: str) -> list[str]:
    return [f["name"] for f in profile.schemas[table]["fields"]]


def column_of(profile: Profile, table: str, name: str) -> int:
    """1-based column of a field, as a spreadsheet or editor counts it."""
    return field_names(profile, table).index(name) + 1
