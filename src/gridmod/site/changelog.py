"""The changes page of each profile version: its sections of the profile's CHANGELOG.md and its migration.

Energy Division writes validation/<profile>/CHANGELOG.md with a `## ` section per version, headed by the
version's number; a section whose heading names several versions ("Corrections to 1.0 and 1.1") belongs to
each of them. A version without a section stops the site build (SetupError): every version a filing may
follow says what it changed. A version with a migration.yaml also lists, from that file, what
`gridmod migrate FILING --to VERSION` does and what it leaves the filer to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridmod.errors import SetupError
from gridmod.migrate.plan import FILE, Migration, load_migration
from gridmod.spec import Profile

CHANGELOG = "CHANGELOG.md"


@dataclass
class Changes:
    sections: list[tuple[str, str]]  # heading, Markdown body
    migration: Migration | None


def version_changes(profile: Profile) -> Changes:
    path = profile.folder.parent / CHANGELOG
    shown = f"validation/{profile.name}/{CHANGELOG}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise SetupError(
            f"{shown} is missing or not UTF-8 text: each profile has a changelog with a `## ` section per "
            f"version, and version {profile.version} needs one."
        ) from None
    sections = []
    for heading, body in _sections(text):
        if profile.version in re.findall(r"\b\d+(?:\.\d+)+\b", heading):
            sections.append((heading, body.strip()))
    if not sections:
        raise SetupError(
            f"{shown} has no section for version {profile.version}: add one headed `## {profile.version}` "
            "that says what the version changed."
        )
    return Changes(sections, _migration(profile))


def _sections(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            out.append((line[3:].strip(), ""))
        elif out:
            heading, body = out[-1]
            # a heading inside a section stays below the page's own headings
            out[-1] = (heading, body + ("#" + line if line.startswith("### ") else line) + "\n")
    return out


def _migration(profile: Profile) -> Migration | None:
    if not (profile.folder / FILE).is_file():
        return None
    root = profile.folder.parents[2]  # the folder is <root>/validation/<name>/<version>
    return load_migration(root, profile.name, profile.version)
