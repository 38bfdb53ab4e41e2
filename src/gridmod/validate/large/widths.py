"""Rows of a large CSV table with more cells than its header, including empty extra cells.

The CSV reader keeps one column past the schema, which holds a value only when a row's first extra cell is
not empty; a trailing comma (an empty extra cell, the usual export defect) reads exactly like a row of the
right width. So the separators are counted in the file's bytes. One count over the whole file decides the
common case: a file without quote characters whose every line holds one separator fewer than the header has
columns has no wide row. Only otherwise (quotes, or a count that does not add up) are separators counted
per record, outside quoted cells, to find the wide rows.
"""

from __future__ import annotations

import numpy as np

from gridmod.validate.large.lines import blocks
from gridmod.validate.large.source import Source

COMMA, QUOTE, NEWLINE = 44, 34, 10


def wide_rows(source: Source, columns: int, rows: int) -> np.ndarray:
    """0-based indices of the data rows that hold more than `columns` cells (sorted)."""
    if source.kind != "csv":
        return np.zeros(0, dtype=np.int64)
    separators = quotes = breaks = 0
    last = NEWLINE
    for block in blocks(source.path):
        separators += int(np.count_nonzero(block == COMMA))
        quotes += int(np.count_nonzero(block == QUOTE))
        breaks += int(np.count_nonzero(block == NEWLINE))
        last = int(block[-1])
    records = breaks + (last != NEWLINE)
    if not quotes and records == rows + 1 and separators == (columns - 1) * records:
        return np.zeros(0, dtype=np.int64)
    return _per_record(source, columns)


def _per_record(source: Source, columns: int) -> np.ndarray:
    """Separators outside quoted cells, per record; the header is record 0, data row r is record r + 1."""
    wide: list[np.ndarray] = []
    record = 0  # records finished before the current block
    pending = 0  # separators of the record the previous block ended inside
    inside = 0  # 1 when the previous block ended inside a quoted cell
    for block in blocks(source.path):
        quoted = (np.cumsum(block == QUOTE, dtype=np.int64) + inside) & 1
        separator = (block == COMMA) & (quoted == 0)
        ends = np.flatnonzero((block == NEWLINE) & (quoted == 0))
        counted = np.cumsum(separator, dtype=np.int64)
        if len(ends):
            at_end = counted[ends]
            per = np.diff(at_end, prepend=0)
            per[0] += pending
            wide.append(record + np.flatnonzero(per > columns - 1))
            record += len(ends)
            pending = int(counted[-1] - at_end[-1])
        else:
            pending += int(counted[-1])
        inside = int(quoted[-1])
    if pending > columns - 1:  # a last record without a line break
        wide.append(np.array([record]))
    found = np.concatenate(wide) if wide else np.zeros(0, dtype=np.int64)
    return found[found > 0] - 1
