"""`gridmod migrate FILING --to VERSION`: upgrade a filing to a newer version of its profile, as declared.

Each version from 1.1 on declares in its folder how a filing of the version before becomes one of it
(migration.yaml, gridmod.migrate.plan); a filing several versions behind takes each step in turn. The work is
done on a copy of the filing beside it, stamped with gridmod's own sizes and hashes, and the copy takes the
filing's place only when every step has succeeded: a migration that fails leaves the filing as it was. What
the old version had no place for cannot be made up: the result lists what the filer must still fill.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridmod.filing import DESCRIPTOR, load_filing, stamp_resources
from gridmod.migrate.plan import FILE, Migration, load_migration
from gridmod.migrate.tables import MigrationInputError, rewrite_csv, rewrite_parquet
from gridmod.spec import available_profiles

__all__ = ["Migrated", "MigrationInputError", "format_migrated", "migrate_filing"]


@dataclass
class Migrated:
    folder: str  # relative to the repository, as messages name it
    profile: str
    old: str
    new: str
    steps: list[str] = field(default_factory=list)  # versions migrated to, in order
    rewritten: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)  # "file: what it needs — not in 1.0"


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (-1,)


def _header(folder: Path, root: Path) -> tuple[str, dict[str, Any], str, str]:
    filing = load_filing(folder, root)
    shown = f"{filing.rel}/{DESCRIPTOR}"
    if filing.descriptor_error is not None:
        detail, line, column = filing.descriptor_error
        place = ":".join(str(p) for p in (line, column) if p is not None)
        raise MigrationInputError(f"{shown}{':' + place if place else ''}: {detail}; repair it and migrate again.")
    meta = filing.meta
    name, version = meta.get("profile"), meta.get("profile_version")
    if not isinstance(name, str) or not isinstance(version, str):
        raise MigrationInputError(
            f"{shown}: gridmod.profile and gridmod.profile_version must name the filing's "
            'profile and its version, e.g. "ica-biannual" and "1.0".'
        )
    return filing.rel, filing.descriptor or {}, name, version


def _steps(root: Path, name: str, current: str, target: str) -> list[Migration]:
    versions = sorted((v for p, v in available_profiles(root) if p == name), key=_version)
    if target not in versions:
        raise MigrationInputError(f"Profile {name} has no version {target} (it has {', '.join(versions) or 'none'}).")
    if _version(target) < _version(current):
        raise MigrationInputError(
            f"The filing is of {name} {current}, newer than {target}; migrations only go to newer versions."
        )
    steps: list[Migration] = []
    version = target
    while version != current:
        if not (root / "validation" / name / version / FILE).is_file():
            raise MigrationInputError(
                f"Profile {name} {version} declares no migration from an earlier version "
                f"(validation/{name}/{version}/{FILE} does not exist), so a filing of "
                f"{current} cannot be migrated to {target}."
            )
        step = load_migration(root, name, version)
        steps.insert(0, step)
        version = step.old.version
        if _version(version) < _version(current):
            raise MigrationInputError(f"No declared migration of {name} leads from {current} to {target}.")
    return steps


def migrate_filing(folder: Path, root: Path, target: str) -> Migrated:
    """Migrate the filing in `folder` to version `target` of its profile; MigrationInputError (exit 1) for a
    filing that cannot be migrated as it is, SetupError (exit 2) for a broken migration.yaml."""
    rel, descriptor, name, current = _header(folder, root)
    result = Migrated(rel, name, current, target)
    if current == target:
        return result
    steps = _steps(root, name, current, target)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.migrate-", dir=folder.parent))
    try:
        shutil.copytree(folder, staging, dirs_exist_ok=True, symlinks=True)
        for step in steps:
            _apply(step, staging, descriptor, result)
            result.steps.append(step.new.version)
        descriptor["gridmod"]["profile_version"] = target
        (staging / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        stamp_resources(staging)
        _swap(folder, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries = descriptor.get("resources", [])
    return {r["name"]: r for r in entries if isinstance(r, dict) and isinstance(r.get("name"), str)}


def _apply(m: Migration, staging: Path, descriptor: dict[str, Any], result: Migrated) -> None:
    resources = _resources(descriptor)
    for move in m.moves:
        entry = resources.get(move.resource)
        if entry is None:
            continue
        shown = f"{result.folder}/{DESCRIPTOR}"
        if entry.get("path") != move.source:
            raise MigrationInputError(
                f"{shown}: resource {move.resource} has path {entry.get('path')!r}, not "
                f"{move.source!r} as {m.old.name} {m.old.version} has it; correct the path "
                "and migrate again."
            )
        if (staging / move.target).exists():
            raise MigrationInputError(
                f"{result.folder}/{move.target}: the file exists already, so "
                f"{move.source} cannot move there; remove or rename it and migrate again."
            )
        (staging / move.target).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / move.source, staging / move.target)
        entry["path"] = move.target
        result.moved.append((move.source, move.target))
    for table, change in m.tables.items():
        entry = resources.get(table)
        if entry is None or not (change.renamed or change.added):
            continue
        path = str(entry.get("path"))
        shown = f"{result.folder}/{path}"
        source = staging / path
        if not source.is_file():
            raise MigrationInputError(f"{shown}: the file does not exist, so table {table} cannot be migrated.")
        written = source.with_name(f".{source.name}.migrating")
        (rewrite_parquet if source.suffix == ".parquet" else rewrite_csv)(source, written, m, change, shown)
        os.replace(written, source)
        result.rewritten.append(path)
        result.to_fill += _to_fill(path, [(a.fill or a.name) for a in change.added if a.default is None], m)
    for table, holds in m.new_tables.items():
        if table not in resources and table in m.new.schemas:
            result.to_fill.append(f"{m.new.table_path(table)}: {holds} — not in {m.old.version}")


def _to_fill(path: str, texts: list[str], m: Migration) -> list[str]:
    """One line per distinct text, in order: fields that share a text are filled together."""
    return [f"{path}: {text} — not in {m.old.version}" for text in dict.fromkeys(texts)]


def _swap(folder: Path, staging: Path) -> None:
    """Put the migrated copy in the filing's place: two renames, the second undone if it fails."""
    os.chmod(staging, folder.stat().st_mode & 0o7777)
    old = folder.with_name(f".{folder.name}.premigrate-{os.getpid()}")
    os.replace(folder, old)
    try:
        os.replace(staging, folder)
    except OSError:
        os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def format_migrated(result: Migrated) -> str:
    """What the command prints: what was done, what the filer must still fill, and what to run next."""
    if not result.steps:
        return f"{result.folder} is already of {result.profile} {result.new}; nothing to migrate.\n"
    lines = [f"Migrated {result.folder} from {result.profile} {result.old} to {result.new}."]
    lines += [f"  rewrote {path}" for path in result.rewritten]
    lines += [f"  moved {source} to {target}" for source, target in result.moved]
    lines.append("  recorded the new sizes and hashes in datapackage.json")
    if result.to_fill:
        lines.append("Still to fill:")
        lines += [f"  {text}" for text in result.to_fill]
    lines.append(f"Check it with `gridmod validate {result.folder}`.")
    return "\n".join(lines) + "\n"
