"""Where a row of a large table is in its file, as the line an editor shows (the CSV header is line 1).

polars reads a blank line as a row, so when no cell holds a line break (which the pass tells from the
distinct values of its coded columns and the text of the failing cells of the others), row r (0-based) is
simply on line r + 2, at no cost. Otherwise one more pass counts the line breaks inside cells; the file is
then read in blocks, never mapped into memory whole (mapped pages would count against the validator's
memory).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl

from gridmod.validate.large.source import Source

STEP = 1 << 24


class LineMap:
    """Row index (0-based, data rows) → 1-based line of the file where the row starts."""

    def __init__(self, source: Source, rows: int, text_fields: list[str], multiline: bool) -> None:
        self.source = source
        self.rows = rows
        self._starts: np.ndarray | None = None
        self.physical = rows + 1
        if source.kind == "csv" and multiline:
            self._starts = _record_starts(source, text_fields)
            self.physical = _physical_lines(source.path)

    def line(self, row: int) -> int:
        """Parquet has no lines: its findings give the 1-based row number instead."""
        if self.source.kind == "parquet":
            return row + 1
        if self._starts is None:
            return row + 2
        return int(self._starts[row])

    def lines(self, rows: np.ndarray) -> np.ndarray:
        """`line` of many rows at once."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.source.kind == "parquet":
            return rows + 1
        if self._starts is None:
            return rows + 2
        return self._starts[rows]

    def span(self, row: int) -> int:
        """How many lines the row takes up (more than one when a quoted cell holds line breaks)."""
        if self._starts is None or self.source.kind == "parquet":
            return 1
        following = self._starts[row + 1] if row + 1 < len(self._starts) else self.physical + 1
        return int(following - self._starts[row])


def blocks(path: Path) -> Iterator[np.ndarray]:
    """The file's bytes in blocks of one reused buffer."""
    buffer = bytearray(STEP)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        while size := handle.readinto(buffer):
            yield np.frombuffer(view[:size], dtype=np.uint8)


def _physical_lines(path: Path) -> int:
    """Lines as an editor counts them (a last line without a line break counts too)."""
    breaks, last = 0, 10
    for block in blocks(path):
        breaks += int(np.count_nonzero(block == 10))
        last = int(block[-1])
    return breaks + (last != 10)


def _record_starts(source: Source, text_fields: list[str]) -> np.ndarray:
    """Start line of every row, from the line breaks inside its cells (the slow path, rarely needed)."""
    lf = source.lazy(text_fields)
    breaks = pl.sum_horizontal(
        [pl.col(n).str.count_matches("\n", literal=True).fill_null(0) for n in text_fields]
    ).cast(pl.Int64)
    counts = lf.select(breaks.alias("n")).collect(engine="streaming")["n"].to_numpy()
    header_lines = 1 + sum(label.count("\n") for label in source.header)
    starts = np.empty(len(counts), dtype=np.int64)
    if len(counts):
        starts[0] = header_lines + 1
        np.cumsum(counts[:-1] + 1, out=starts[1:])
        starts[1:] += header_lines + 1
    return starts
