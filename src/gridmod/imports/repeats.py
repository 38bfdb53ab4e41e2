"""A first pass over a layer whose section keys repeat within a feeder (rule id with unique_by, SDG&E's
LINE_SEGMENT_NUMBER): which (feeder, section) keys occur more than once, so that every one of them, the first
too, is made unique with the unique_by field."""

from __future__ import annotations

from collections import Counter

import polars as pl

from gridmod.imports.keys import Keys
from gridmod.imports.layers import Input
from gridmod.imports.mapping import Mapping
from gridmod.imports.readers import read_batches
from gridmod.imports.values import as_text


def find_repeated_keys(item: Input, mapping: Mapping, keys: Keys) -> None:
    """First pass over a layer whose section keys repeat (rule id with unique_by): which keys repeat."""
    unique = mapping.keys.get("section", {}).get("unique_by")
    columns = [c for t in item.source.tables for c in t.columns if c.kind == "key"]
    feeder = next((c for c in columns if c.options["key"] == "feeder"), None)
    section = next((c for c in columns if c.options["key"] == "section"), None)
    if not unique or feeder is None or section is None:
        return
    wanted = {k: v for k, v in item.columns.items() if v in (feeder.fields[0], section.fields[0])}
    counts: Counter[tuple[str, str]] = Counter()
    for batch in read_batches(item.layer, wanted, geometry=False):
        pairs = (
            pl.DataFrame({"f": as_text(batch[feeder.fields[0]]).values, "s": as_text(batch[section.fields[0]]).values})
            .group_by("f", "s")
            .len()
        )
        for f, s, n in pairs.iter_rows():
            counts[(f, s)] += n
    keys.duplicates.update(pair for pair, n in counts.items() if n > 1)
