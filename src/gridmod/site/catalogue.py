"""The rule spec arranged for the rule catalogue and the data dictionary.

Pages are generated from the spec, never written by hand, so a rule or a field cannot be documented
differently from how it is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridmod.spec import Profile, Rule, available_profiles, load_profile

# Unit suffixes of column names (STYLE.md naming): the unit is in the name, the dictionary spells it out.
UNITS = {
    "_usd": "US dollars",
    "_pct": "percent",
    "_kw": "kW",
    "_mw": "MW",
    "_kwh": "kWh",
    "_mwh": "MWh",
    "_kv": "kV",
    "_days": "days",
    "_hours": "hours",
}


def load_profiles(root: Path) -> list[Profile]:
    """Every profile version in the repository, oldest version first within a profile."""
    found = available_profiles(root)
    found.sort(key=lambda item: (item[0], version_key(item[1])))
    return [load_profile(root, name, version) for name, version in found]


def version_key(version: str) -> tuple[int | str, ...]:
    """Numeric parts compare as numbers, so version 1.10 sorts after 1.9."""
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def profile_label(profile: Profile) -> str:
    return f"{profile.name} {profile.version}"


def profile_slug(profile: Profile) -> str:
    return f"{profile.name}-{profile.version}"


def rule_slug(code: str) -> str:
    """The rule page's name; gridmod.spec.rule_url links findings to rules/<slug>/."""
    return code.lower()


@dataclass
class RuleEntry:
    """One rule code across the profile versions that define it (codes are never reused)."""

    code: str
    versions: list[tuple[Profile, Rule]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return rule_slug(self.code)

    @property
    def latest(self) -> Rule:
        return self.versions[-1][1]

    @property
    def retired(self) -> bool:
        return self.latest.retired

    @property
    def unchanged(self) -> bool:
        """True when every version words the rule alike, so the page shows it once."""
        return all(rule == self.latest for _, rule in self.versions)


def rule_catalogue(profiles: list[Profile]) -> list[RuleEntry]:
    entries: dict[str, RuleEntry] = {}
    for profile in profiles:
        for code, rule in profile.rules.items():
            entries.setdefault(code, RuleEntry(code)).versions.append((profile, rule))
    return [entries[code] for code in sorted(entries)]


@dataclass
class FieldRow:
    name: str
    title: str
    type: str
    unit: str
    required: bool
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)
    date_format: str | None = None
    is_key: bool = False
    references: str | None = None
    rules: dict[str, str] = field(default_factory=dict)


def unit_of(name: str) -> str:
    return next((unit for suffix, unit in UNITS.items() if name.endswith(suffix)), "")


def table_fields(schema: dict[str, Any]) -> list[FieldRow]:
    """The fields of one Table Schema with what a filer needs to fill them in."""
    keys = set(schema.get("primaryKey", []))
    references = {}
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]
        for own, other in zip(fk["fields"], target["fields"], strict=True):
            references[own] = f"{target['resource']}.{other}"
    rows = []
    for f in schema["fields"]:
        constraints = dict(f.get("constraints", {}))
        required = bool(constraints.pop("required", False))
        rows.append(
            FieldRow(
                name=f["name"],
                title=f.get("title", ""),
                type=f.get("type", "string"),
                unit=unit_of(f["name"]),
                required=required,
                description=f.get("description", ""),
                constraints=constraints,
                date_format=_date_format(f),
                is_key=f["name"] in keys,
                references=references.get(f["name"]),
                rules=dict(f.get("rules", {})),
            )
        )
    return rows


# Fields of the record that every profile has (gridmod.record): a filing's revision, and the officer's verification
# where the profile prescribes one.
_RECORD_FIELDS = [
    {
        "name": "revision",
        "type": "integer",
        "description": "1 for the filing as first filed (the default); 2, 3, … "
        "for each corrected revision of an accepted filing.",
    },
    {
        "name": "supersedes",
        "type": "string",
        "description": "From revision 2 on: the accession number of the "
        "revision this one replaces, e.g. GM-2026-PGE-0001.",
    },
    {
        "name": "amendment_reason",
        "type": "string",
        "description": "From revision 2 on: what was corrected and why, in a sentence for the public.",
    },
]
_ATTESTATION = {
    "name": "attestation",
    "type": "object",
    "required": True,
    "description": "The officer's "
    "verification: name, title, date (YYYY-MM-DD) and the statement this profile prescribes, word "
    "for word. Required for a filing to be accepted.",
}


def filing_fields(profile: Profile) -> list[FieldRow]:
    """The properties of the `gridmod` object in datapackage.json."""
    rows = []
    extra = _RECORD_FIELDS + ([_ATTESTATION] if profile.meta.get("attestation") else [])
    for f in [*profile.meta.get("filing_fields", []), *extra]:
        constraints = {"enum": f["enum"]} if f.get("enum") else {}
        rows.append(
            FieldRow(
                name=f["name"],
                title="",
                type=f.get("type", "string"),
                unit=unit_of(f["name"]),
                required=bool(f.get("required", False)),
                description=f.get("description", ""),
                constraints=constraints,
                date_format="YYYY-MM-DD" if f.get("type") == "date" else None,
            )
        )
    return rows


def _date_format(f: dict[str, Any]) -> str | None:
    if f.get("type") not in ("date", "datetime"):
        return None
    pattern = f.get("format", "%Y-%m-%d")
    if pattern in ("default", "any"):
        pattern = "%Y-%m-%d"
    for code, shown in (("%Y", "YYYY"), ("%m", "MM"), ("%d", "DD"), ("%H", "hh"), ("%M", "mm"), ("%S", "ss")):
        pattern = pattern.replace(code, shown)
    return pattern


@dataclass(frozen=True)
class Place:
    """A field a rule checks, as the Table Schema says (its `rules` map names the rule for a constraint)."""

    profile: Profile
    table: str  # file, e.g. costs.csv
    table_name: str  # resource name, the anchor of the table on the dictionary page
    field: str
    check: str  # the constraint, e.g. minimum


def rule_places(entry: RuleEntry) -> list[Place]:
    """Every field of every profile version whose schema names this rule for one of its constraints."""
    places = []
    for profile, _ in entry.versions:
        for table in profile.tables:
            for f in profile.schemas[table["name"]].get("fields", []):
                for check, code in sorted(f.get("rules", {}).items()):
                    if code == entry.code:
                        places.append(Place(profile, table["path"], table["name"], f["name"], check))
    return places


# Words of `applies_to` that name a part of the data dictionary page rather than one table.
_SECTIONS = {
    "datapackage.json": ("datapackage.json (filing metadata)", "filing-metadata"),
    "narrative": ("the Markdown narratives", "activity-narratives"),
    "tables": ("every table", "files"),
    "all files": ("every file of the filing", "files"),
}


def applies_to_links(applies_to: str, profile: Profile) -> list[tuple[str, str]]:
    """(label, data dictionary page#anchor) for each part of a rule's `applies_to`, so the rule page can link
    to the table or section the rule checks; words the dictionary has no section for link to its top."""
    page = f"data-dictionary/{profile_slug(profile)}.md"
    tables = {t["path"]: t["name"] for t in profile.tables} | {t["name"]: t["name"] for t in profile.tables}
    links = []
    for part in (p.strip() for p in applies_to.split(",")):
        if not part:
            continue
        if part in tables:
            links.append((part if part.endswith(".csv") else f"{part} table", f"{page}#{tables[part]}"))
        elif part in _SECTIONS:
            label, anchor = _SECTIONS[part]
            if anchor == "activity-narratives" and "activity_narrative" not in profile.meta:
                anchor = "files"
            links.append((label, f"{page}#{anchor}"))
        else:
            links.append((part, page))
    return links
