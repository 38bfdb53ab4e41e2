"""A declared migration: validation/<profile>/<version>/migration.yaml, read and checked against both versions.

The migration is data beside the version it leads to: per table, fields renamed and fields added (with a
default, or empty with a line saying what the filer must fill), files moved, and the new optional tables
with what they hold. Read here, it is checked against the two profiles it joins: every field of a migrated
table in the new version must come from the old one, under its name or a rename, or be added, so a
migration cannot silently leave a column out. A broken migration is the spec's problem (SetupError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gridmod.errors import SetupError
from gridmod.spec import Profile, load_profile

FILE = "migration.yaml"


@dataclass(frozen=True)
class Added:
    name: str
    default: str | None  # written into every row; None leaves the cells empty
    fill: str | None  # what the filer must still fill, for an added field without a default


@dataclass(frozen=True)
class TableChange:
    table: str
    renamed: dict[str, str] = field(default_factory=dict)  # old field -> new field
    added: tuple[Added, ...] = ()


@dataclass(frozen=True)
class Move:
    resource: str
    source: str
    target: str


@dataclass(frozen=True)
class Migration:
    old: Profile
    new: Profile
    tables: dict[str, TableChange]
    moves: tuple[Move, ...]
    new_tables: dict[str, str]  # optional table of the new version -> what it holds, for the filer

    def new_field_names(self, table: str) -> list[str]:
        return [f["name"] for f in self.new.schemas[table]["fields"]]

    def old_field_names(self, table: str) -> list[str]:
        return [f["name"] for f in self.old.schemas[table]["fields"]]


def load_migration(root: Path, name: str, version: str) -> Migration:
    """The migration that leads to `version` of profile `name`; SetupError when it is missing or broken."""
    where = f"validation/{name}/{version}/{FILE}"
    path = root / where
    if not path.is_file():
        raise SetupError(f"Profile {name} {version} declares no migration ({where} does not exist).")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        old = load_profile(root, name, str(data["from"]))
        new = load_profile(root, name, version)
        migration = Migration(
            old,
            new,
            _tables(data.get("tables") or {}),
            _moves(data.get("moves") or []),
            {str(t): str(spec["fill"]) for t, spec in (data.get("new_tables") or {}).items()},
        )
        _check(migration)
    except KeyError as exc:
        raise SetupError(f"{where} cannot be read: it names {exc}, which is missing.") from exc
    except (OSError, TypeError, ValueError, AttributeError, yaml.YAMLError) as exc:
        raise SetupError(f"{where} cannot be read: {exc}") from exc
    return migration


def _tables(data: dict[str, Any]) -> dict[str, TableChange]:
    tables = {}
    for table, spec in data.items():
        spec = spec or {}
        added = tuple(
            Added(str(n), None if (s or {}).get("default") is None else str(s["default"]), (s or {}).get("fill"))
            for n, s in (spec.get("add") or {}).items()
        )
        tables[str(table)] = TableChange(
            str(table), {str(k): str(v) for k, v in (spec.get("rename") or {}).items()}, added
        )
    return tables


def _moves(data: list[dict[str, Any]]) -> tuple[Move, ...]:
    return tuple(Move(str(m["resource"]), str(m["from"]), str(m["to"])) for m in data)


def _check(m: Migration) -> None:
    """Both versions have every table and field the migration names, and it accounts for every new field."""
    for table in m.tables:
        if table not in m.old.schemas or table not in m.new.schemas:
            raise ValueError(f"table {table} is not a table of both {m.old.version} and {m.new.version}")
    for table in m.new.schemas:
        if table not in m.old.schemas:
            if table not in m.new_tables:
                raise ValueError(f"table {table} is new in {m.new.version}; say under new_tables what it holds")
            continue
        change = m.tables.get(table, TableChange(table))
        old, new = m.old_field_names(table), m.new_field_names(table)
        unknown = [f for f in change.renamed if f not in old] + [f for f in change.renamed.values() if f not in new]
        if unknown:
            raise ValueError(f"the renames of table {table} name {', '.join(unknown)}, not fields of its versions")
        carried = {change.renamed.get(f, f) for f in old}
        added = {a.name for a in change.added}
        if added - set(new) or added & carried:
            raise ValueError(
                f"table {table} adds {', '.join(sorted(added))}, which must be new fields of "
                f"{m.new.version} not carried from {m.old.version}"
            )
        missing = [f for f in new if f not in carried and f not in added]
        if missing:
            raise ValueError(
                f"table {table} of {m.new.version} has {', '.join(missing)}, which the migration "
                "neither renames nor adds"
            )
        dropped = [f for f in old if change.renamed.get(f, f) not in new]
        if dropped:
            raise ValueError(
                f"table {table} of {m.old.version} has {', '.join(dropped)}, which {m.new.version} "
                "lacks; rename it or keep it"
            )
    old_paths, new_paths = _paths(m.old), _paths(m.new)
    moved = {move.resource: move for move in m.moves}
    for move in m.moves:
        if old_paths.get(move.resource) != move.source or new_paths.get(move.resource) != move.target:
            raise ValueError(
                f"the move of {move.resource} from {move.source} to {move.target} is not its path in "
                f"{m.old.version} and in {m.new.version}"
            )
    for resource, path in new_paths.items():
        if resource in old_paths and old_paths[resource] != path and resource not in moved:
            raise ValueError(
                f"{resource} is {old_paths[resource]} in {m.old.version} and {path} in {m.new.version}; "
                "declare the move under moves"
            )


def _paths(profile: Profile) -> dict[str, str]:
    return {t["name"]: str(t["path"]) for t in profile.tables} | {n["name"]: str(n["path"]) for n in profile.narratives}
