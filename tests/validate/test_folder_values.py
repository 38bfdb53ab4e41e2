"""E064 compares a dataset part's cell with its folder's value in the field's type, as both engines do."""

from __future__ import annotations

import polars as pl
import pytest

from gridmod.validate.large.cells import field_checks


@pytest.mark.parametrize(
    ("field", "folder", "cells", "failing"),
    [
        ({"name": "month", "type": "integer"}, "01", ["1", "01", "2", None], [False, False, True, False]),
        ({"name": "value", "type": "number"}, "1.50", ["1.5", "1.6"], [False, True]),
        ({"name": "day", "type": "date"}, "2026-07-01", ["2026-07-01", "2026-07-02"], [False, True]),
        ({"name": "feeder_id", "type": "string"}, "012341101", ["012341101", "12341101"], [False, True]),
        # a folder value that is not of the field's type: compared as text
        ({"name": "month", "type": "integer"}, "jan", ["jan", "1"], [False, True]),
    ],
)
def test_the_folder_check_compares_in_the_fields_type(
    field: dict, folder: str, cells: list[str | None], failing: list[bool]
) -> None:
    check = next(c for c in field_checks(field, 1, pl.String, folder=folder) if c.constraint == "folder")
    assert (check.rule, check.folder) == ("E064", folder)
    frame = pl.DataFrame({field["name"]: cells}, schema={field["name"]: pl.String})
    assert frame.select(check.fails)[check.fails.meta.output_name()].to_list() == failing
