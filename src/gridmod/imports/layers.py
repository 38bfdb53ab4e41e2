"""Which of the utility's layers each native file (or layer of it) is, and which of its fields are read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridmod.imports.geometry import check_crs
from gridmod.imports.mapper import wide_fields
from gridmod.imports.mapping import Mapping, SourceMap
from gridmod.imports.readers import Layer, UnreadableSource, open_layers
from gridmod.spec import Profile
from gridmod.utilities import utility as names_of


@dataclass(frozen=True)
class Input:
    layer: Layer
    source: SourceMap
    columns: dict[str, str]  # field in the file -> field as the mapping names it
    wide: int  # month-hour columns per row (0 for a layer without)

    @property
    def geometry(self) -> bool:
        return any(c.kind in ("geometry", "point") for t in self.source.tables for c in t.columns)


def identify(paths: list[tuple[Path, str]], mapping: Mapping, profile: Profile) -> list[Input]:
    inputs = []
    for path, label in paths:
        for layer in open_layers(path, label):
            inputs.append(_identify(layer, mapping, profile))
    return inputs


def _identify(layer: Layer, mapping: Mapping, profile: Profile) -> Input:
    for source in mapping.sources:
        columns = _columns(layer, source)
        if all(f in columns.values() for f in source.match) and not any(f in columns.values() for f in source.absent):
            break
    else:
        known = "; ".join(f"{s.title} (fields {', '.join(s.match)})" for s in mapping.sources)
        raise UnreadableSource(
            f"{layer.label} is none of the {names_of(mapping.utility).short} ICA layers that "
            f"{mapping.rel} knows: {known}. Its fields are {', '.join(layer.fields[:20])}."
        )
    needed = set(source.fields())
    wide = 0
    for table in source.tables:
        if table.wide is not None:
            ranges = {
                f["name"]: (f["constraints"]["minimum"], f["constraints"]["maximum"])
                for f in profile.schemas[table.table]["fields"]
                if f["name"] in ("month", "hour")
            }
            names = [name for _, _, name in wide_fields(table.wide["fields"], ranges)]
            needed.update(names)
            wide = len(names)
    missing = sorted(needed - set(columns.values()))
    if missing:
        raise UnreadableSource(
            f"{layer.label} looks like {source.title}, but lacks the field"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing[:12])}"
            f"{' ...' if len(missing) > 12 else ''} that {mapping.rel} reads from it. Export "
            "every field of the layer, or ask Energy Division to correct the mapping."
        )
    item = Input(layer, source, {k: v for k, v in columns.items() if v in needed}, wide)
    if item.geometry and layer.has_geometry:
        check_crs(layer.crs, layer.label)
    return item


def _columns(layer: Layer, source: SourceMap) -> dict[str, str]:
    """File field -> canonical name: a field under another name the mapping lists (a shapefile's cut-down
    name) reads as the canonical one, unless the file has the canonical name itself."""
    present = set(layer.fields)
    columns = {name: name for name in layer.fields}
    for canonical, others in source.aliases.items():
        if canonical in present:
            continue
        for other in others:
            if other in present:
                columns[other] = canonical
                break
    return columns
