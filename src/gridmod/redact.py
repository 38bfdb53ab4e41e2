"""Redact a filing: move what its declaration names into the encrypted part and leave it empty in public.

The filer fills the tables and narrative with everything, lists in confidential.csv what is confidential,
and runs `gridmod redact PATH`. The values (cells, whole tables, narrative sections) are encrypted to Energy
Division's keys (gridmod.confidential), written to confidential.age, and emptied in the public files (a
table keeps its header line, a section its heading); datapackage.json gets both resources and new sizes and
hashes. Every value is read and sealed before the first file is written, each file is replaced whole, and
a declaration that does not match the tables writes nothing. The filer keeps the unredacted copy outside the
repository: nobody but Energy Division can decrypt confidential.age, the filer included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gridmod.confidential import (
    DECLARATION,
    DECLARATION_PATH,
    RECIPIENTS,
    SAMPLE_KEY,
    VALUES,
    VALUES_PATH,
    Eligibility,
    Item,
    declaration_digest,
    exchange,
    is_withheld_form,
    read_declaration,
    recipients,
    seal,
)
from gridmod.errors import InputError
from gridmod.files import replacing
from gridmod.filing import DESCRIPTOR, load_filing, stamp_resources
from gridmod.spec import Profile, load_profile


@dataclass
class Redacted:
    folder: Path
    items: list[str] = field(default_factory=list)  # item ids sealed
    sealed_to: str = RECIPIENTS  # where the keys the values were sealed to are listed
    files: dict[str, list[str]] = field(default_factory=dict)  # file -> the items withheld from it


def redact(folder: Path, root: Path) -> Redacted:
    filing = load_filing(folder, root)
    meta = filing.meta
    try:
        profile = load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise InputError(
            f"{filing.rel}: its datapackage.json names no profile this repository has; validate it first."
        ) from None
    eligible = Eligibility.of(profile.meta)
    if eligible is None:
        raise InputError(
            f"Profile {profile.name} {profile.version} makes nothing eligible for confidential "
            "treatment, so nothing in this filing can be withheld."
        )
    declaration = folder / DECLARATION_PATH
    if not declaration.is_file():
        raise InputError(
            f"{filing.rel}/{DECLARATION_PATH} is missing: list there what is confidential, one row "
            "per value (see the rule catalogue, E048), then run gridmod redact again."
        )
    items, problems = read_declaration(declaration)  # a file that does not read is problem 1
    if problems:
        line, problem = problems[0]
        raise InputError(f"{filing.rel}/{DECLARATION_PATH}:{line}: {problem}.")
    if not items:
        raise InputError(f"{filing.rel}/{DECLARATION_PATH} declares nothing to withhold.")
    values, edits = _take_values(folder, filing.rel, profile, eligible, items)
    sealed = seal(values, filing.rel, recipients(root, sample=filing.is_sample))
    result = Redacted(
        folder, sorted(values), SAMPLE_KEY + " (the public TEST key of the samples)" if filing.is_sample else RECIPIENTS
    )
    # The sealed values first: an interruption after it leaves the values in clear, never lost.
    with replacing(folder / VALUES_PATH) as temporary:
        temporary.write_bytes(sealed)
    _declare_resources(folder, declaration_digest(declaration))
    for path, text in sorted(edits.items()):
        with replacing(folder / path) as temporary:
            temporary.write_text(text, encoding="utf-8", newline="")
    for item in items:
        result.files.setdefault(eligible.path(item, profile), []).append(item.item_id)
    stamp_resources(folder)
    return result


def _take_values(
    folder: Path, rel: str, profile: Profile, eligible: Eligibility, items: list[Item]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Each item's value with its place, and the text of each file it is in with the items withheld."""
    seen: set[str] = set()
    for item in items:
        if item.item_id in seen:
            raise InputError(f"{rel}/{DECLARATION_PATH}:{item.line}: item {item.item_id} is declared twice.")
        seen.add(item.item_id)
    held, texts = exchange(folder, profile, eligible, items, f"{rel}/{DECLARATION_PATH}")
    empty = [i.item_id for i in items if is_withheld_form(str(eligible.kind(i)), held[i.item_id])]
    if empty:
        raise InputError(
            f"{rel}: {', '.join(empty)} {'is' if len(empty) == 1 else 'are'} already withheld (an "
            "empty cell, a table without rows or a section without text), so there is nothing to "
            "seal. gridmod redact seals every declared item at once: put all of them back (from your "
            "own unredacted copy) and run it again."
        )
    values = {
        i.item_id: {"resource": i.resource, "key": i.key, "field": i.field, "value": held[i.item_id]} for i in items
    }
    return values, texts


def _declare_resources(folder: Path, digest: str) -> None:
    """datapackage.json lists the declaration and the encrypted part, which records the declaration it was
    sealed with (sizes and hashes come from stamp)."""
    path = folder / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{DESCRIPTOR} of {folder} cannot be read: {exc}.") from exc
    resources = descriptor.setdefault("resources", []) if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise InputError(f"{DESCRIPTOR} of {folder} has no list of resources; validate the filing first.")
    names = {r.get("name") for r in resources if isinstance(r, dict)}
    for name, rel, fmt, media in (
        (DECLARATION, DECLARATION_PATH, "csv", "text/csv"),
        (VALUES, VALUES_PATH, "age", "application/octet-stream"),
    ):
        if name not in names:
            entry = {"name": name, "path": rel, "format": fmt, "mediatype": media}
            if fmt == "csv":
                entry["encoding"] = "utf-8"
            resources.append(entry)
    for entry in resources:
        if isinstance(entry, dict) and entry.get("name") == VALUES:
            entry["declaration_hash"] = digest
    with replacing(path) as temporary:
        temporary.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
