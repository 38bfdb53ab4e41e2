"""Key uniqueness and completeness over arrays, against a plain-Python reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmod.validate.large.keys import check_keys

rows = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.booleans()), max_size=60)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_same_as_a_dictionary(data: list[tuple[int, int, bool]]) -> None:
    group = np.array([g for g, _, _ in data], dtype=np.uint64)
    slot = np.array([s for _, s, _ in data], dtype=np.int16)
    valid = np.array([v for _, _, v in data], dtype=bool)
    result = check_keys(group, slot, valid, 4)
    seen: dict[tuple[int, int], int] = {}
    duplicates, first, slots = [], {}, {}
    for row, (g, s, v) in enumerate(data):
        if not v:
            continue
        first.setdefault(g, row)
        slots.setdefault(g, set()).add(s)
        if (g, s) in seen:
            duplicates.append((row, seen[(g, s)]))
        else:
            seen[(g, s)] = row
    assert sorted(result.duplicates) == sorted(duplicates)
    assert dict(zip(result.group.tolist(), result.first_row.tolist(), strict=True)) == first
    assert dict(zip(result.group.tolist(), result.slots.tolist(), strict=True)) == {g: len(s) for g, s in slots.items()}
    assert result.missing == {g: sorted(set(range(4)) - s) for g, s in slots.items() if len(s) < 4}


def test_groups_written_in_order_take_the_linear_path() -> None:
    group = np.repeat(np.arange(1000, dtype=np.uint64), 576)
    slot = np.tile(np.arange(576, dtype=np.int16), 1000)
    result = check_keys(group, slot, np.ones(len(group), dtype=bool), 576)
    assert result.duplicates == [] and result.missing == {}
    assert len(result.group) == 1000 and set(result.rows.tolist()) == {576}
