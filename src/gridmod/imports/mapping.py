"""A utility's import mapping (validation/<profile>/<version>/import/<utility>.yaml), read and checked.

The mapping is data that Energy Division corrects without code: which native layers a utility publishes,
which of their fields fill which column of the profile's tables, in which unit, with which texts for the
profile's codes and which rule for keys. A mapping that could never run is a setup error naming its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gridmod.errors import SetupError
from gridmod.spec import Profile

SPEC_KINDS = ("text", "number", "integer", "date", "code", "key", "join", "value", "geometry", "point", "lookup")
KEY_RULES = ("digits", "name", "parts", "id")
# What a blank required value may be filled from at the end of an import: the most common voltage of the
# feeder's line sections.
FALLBACKS = ("line_sections.voltage_kv",)


@dataclass(frozen=True)
class Column:
    """How one column of a profile table is made from a native row: `kind` is one of SPEC_KINDS and
    `fields` the native fields it reads (none for a constant)."""

    name: str
    kind: str
    fields: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TableMap:
    table: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Column, ...], ...] = ()  # wide to long: one output row per item
    wide: dict[str, Any] | None = None  # month-hour columns to month, hour and value rows


@dataclass(frozen=True)
class SourceMap:
    name: str
    title: str
    match: tuple[str, ...]
    absent: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]  # canonical field -> other names it may have in a file
    tables: tuple[TableMap, ...]
    # A layer that fills no table but gives other layers a value by key (SCE's Non-3 Phase layer: the phases
    # of the segments that have fewer than three): its key fields and the column spec of the value.
    lookup: tuple[tuple[str, ...], Column] | None = None

    def fields(self) -> set[str]:
        """Every native field this source reads."""
        used = set(self.match)
        for table in self.tables:
            for column in (*table.columns, *(c for row in table.rows for c in row)):
                used.update(column.fields)
        if self.lookup is not None:
            used.update((*self.lookup[0], *self.lookup[1].fields))
        return used


@dataclass(frozen=True)
class Mapping:
    utility: str
    path: Path
    rel: str  # as messages name it, e.g. validation/ica-biannual/1.1/import/pge.yaml
    units: dict[str, float]
    keys: dict[str, dict[str, Any]]
    codes: dict[str, dict[str, str]]  # list -> normalised native text -> code
    code_texts: dict[str, list[str]]  # list -> the native texts as the mapping writes them
    sources: tuple[SourceMap, ...]
    messages: dict[str, dict[str, str]]


def normalise(text: str) -> str:
    """A native text as codes are looked up: case, spaces and underscores do not matter."""
    return " ".join(text.replace("_", " ").lower().split())


def mapping_path(profile: Profile, utility: str) -> Path:
    return profile.folder / "import" / f"{utility}.yaml"


def load_mapping(profile: Profile, utility: str, root: Path) -> Mapping:
    path = mapping_path(profile, utility)
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    if not path.is_file():
        raise SetupError(
            f"Profile {profile.name} {profile.version} has no import mapping for {utility} ({rel}); "
            "the import needs one. Import into a filing of a profile version that has it."
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        messages = yaml.safe_load((path.parent / "messages.yaml").read_text(encoding="utf-8"))
        mapping = _mapping(raw, path, rel, messages)
        _check(mapping, profile)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SetupError(f"The import mapping {rel} cannot be used: {exc}") from exc
    return mapping


def _mapping(raw: dict[str, Any], path: Path, rel: str, messages: dict[str, Any]) -> Mapping:
    codes, texts = {}, {}
    for name, table in (raw.get("codes") or {}).items():
        codes[name] = {normalise(str(text)): str(code) for code, native in table.items() for text in native}
        texts[name] = [str(text) for native in table.values() for text in native]
    sources = tuple(_source(s) for s in raw["sources"])
    return Mapping(
        utility=str(raw["utility"]),
        path=path,
        rel=rel,
        units={str(k): float(v) for k, v in raw["units"].items()},
        keys=dict(raw["keys"]),
        codes=codes,
        code_texts=texts,
        sources=sources,
        messages=messages,
    )


def _source(raw: dict[str, Any]) -> SourceMap:
    tables = []
    for table, spec in (raw.get("tables") or {}).items():
        rows = tuple(tuple(_column(n, s) for n, s in row.items()) for row in spec.get("rows") or ())
        tables.append(
            TableMap(
                table, tuple(_column(n, s) for n, s in (spec.get("columns") or {}).items()), rows, spec.get("wide")
            )
        )
    aliases = {str(k): tuple(str(x) for x in v) for k, v in (raw.get("fields") or {}).items()}
    lookup = raw.get("lookup")
    given = (tuple(str(f) for f in lookup["key"]), _column("value", lookup["value"])) if lookup else None
    return SourceMap(
        str(raw["name"]),
        str(raw.get("title", raw["name"])),
        tuple(raw["match"]),
        tuple(raw.get("absent") or ()),
        aliases,
        tuple(tables),
        given,
    )


def _column(name: str, spec: dict[str, Any]) -> Column:
    kinds = [k for k in SPEC_KINDS if k in spec]
    if len(kinds) != 1:
        raise ValueError(f"column {name}: give exactly one of {', '.join(SPEC_KINDS)} (got {sorted(spec)})")
    kind = kinds[0]
    options = {k: v for k, v in spec.items() if k != kind}
    if kind == "key":
        fields = options.pop("fields", None) or [options.pop("field")]
        return Column(name, kind, tuple(str(f) for f in fields), {"key": spec["key"], **options})
    if kind == "lookup":
        given = {k: v for k, v in options.items() if k != "fields"}
        return Column(name, kind, tuple(str(f) for f in spec["fields"]), {"lookup": spec["lookup"], **given})
    if kind in ("value", "geometry", "point"):
        return Column(name, kind, (), {kind: spec[kind], **options})
    if kind == "join":
        return Column(name, kind, tuple(str(f) for f in spec["join"]), options)
    return Column(name, kind, (str(spec[kind]),), options)


def _check(mapping: Mapping, profile: Profile) -> None:
    """What would fail in the middle of an import is refused before it starts."""
    for kind, rule in mapping.keys.items():
        if rule.get("rule") not in KEY_RULES:
            raise ValueError(f"keys: {kind} has rule {rule.get('rule')!r}; rules are {', '.join(KEY_RULES)}")
    for source in mapping.sources:
        for table in source.tables:
            if table.table not in profile.schemas:
                raise ValueError(
                    f"source {source.name} fills table {table.table}, which profile "
                    f"{profile.name} {profile.version} does not have"
                )
            known = {f["name"] for f in profile.schemas[table.table]["fields"]}
            for column in (*table.columns, *(c for row in table.rows for c in row)):
                if column.name not in known:
                    raise ValueError(f"source {source.name}: {table.table} has no column {column.name}")
                if column.kind == "lookup" and not any(
                    s.name == column.options["lookup"] and s.lookup for s in mapping.sources
                ):
                    raise ValueError(
                        f"source {source.name}: {column.name} looks up {column.options['lookup']}, "
                        "which is no source with lookup:"
                    )
                if column.kind == "key" and column.options["key"] not in mapping.keys:
                    raise ValueError(
                        f"source {source.name}: {column.name} uses key {column.options['key']}, "
                        "which keys: does not define"
                    )
                if column.kind == "code" and column.options.get("codes") not in mapping.codes:
                    raise ValueError(
                        f"source {source.name}: {column.name} uses codes "
                        f"{column.options.get('codes')!r}, which codes: does not define"
                    )
                fallback = column.options.get("fallback")
                if fallback not in (None, *FALLBACKS):
                    raise ValueError(
                        f"source {source.name}: {column.name} has fallback {fallback}; the import knows "
                        f"{', '.join(FALLBACKS)}"
                    )
                unit = column.options.get("unit")
                if unit is not None and unit not in mapping.units:
                    raise ValueError(f"source {source.name}: {column.name} has unit {unit}, not in units:")
            if table.wide is not None and not re.search(r"\{month[^}]*\}.*\{hour[^}]*\}", table.wide["fields"]):
                raise ValueError(f"source {source.name}: wide: fields must name {{month}} and {{hour}}")
