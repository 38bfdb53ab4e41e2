"""Findings in large tables name the line an editor shows, whatever the file holds: quoted cells with line
breaks, Windows line endings, blank rows; Parquet findings name the row."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .helpers import copy_valid, validate, where


def _edit(path: Path, line: int, column: int, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[line - 1].split(",")
    cells[column - 1] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_quoted_line_break_moves_the_lines_after_it(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    results = folder / "results.csv"
    _edit(results, 5, 9, '"not\nstudied"')  # an unknown reason spanning lines 5 and 6
    _edit(results, 20, 4, "n/a")  # line 20 now holds data row 18, which would be line 19 without the break
    result = validate(folder, root)
    assert where(result, "ICA-E012") == [("results.csv", 5, 9)]
    assert where(result, "ICA-E010") == [("results.csv", 20, 4)]
    assert [f.value for f in result.findings if f.code == "ICA-E012"] == ["not\nstudied"]


def test_windows_line_endings_and_a_blank_line(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    results = folder / "results.csv"
    _edit(results, 10, 6, "-3")
    lines = results.read_text(encoding="utf-8").split("\n")
    lines.insert(14, "")
    results.write_bytes("\r\n".join(lines).encode("utf-8"))
    result = validate(folder, root)
    assert where(result, "ICA-E020") == [("results.csv", 10, 6)]
    assert where(result, "ICA-E017") == [("results.csv", 15, None)]


def test_a_hundred_bad_cells_are_a_hundred_findings(tmp_path: Path, root: Path) -> None:
    """A malformed cell never stops the other checks: every one is reported at its own line."""
    folder = copy_valid(tmp_path / "filing")
    hourly = folder / "hourly.csv"
    lines = hourly.read_text(encoding="utf-8").split("\n")
    for number in range(2, 102):
        cells = lines[number - 1].split(",")
        cells[6] = "1 234"
        lines[number - 1] = ",".join(cells)
    hourly.write_text("\n".join(lines), encoding="utf-8")
    result = validate(folder, root)
    assert where(result, "ICA-E010") == [("hourly.csv", n, 7) for n in range(2, 102)]


def test_parquet_findings_name_the_row(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    frame = pl.read_csv(folder / "results.csv", infer_schema=False)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 6).then(pl.lit("lots")).otherwise("static_kw").alias("static_kw")
    )
    frame.write_parquet(folder / "results.parquet")
    (folder / "results.csv").unlink()
    descriptor = (folder / "datapackage.json").read_text().replace('"results.csv"', '"results.parquet"')
    (folder / "datapackage.json").write_text(descriptor)
    result = validate(folder, root)
    assert where(result, "ICA-E010") == [("results.parquet", 7, 4)]
    assert not [f for f in result.findings if f.code != "ICA-E010" and f.severity == "error"]


def test_typed_parquet_is_valid(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    frame = pl.read_csv(folder / "hourly.csv")
    frame.write_parquet(folder / "hourly.parquet")
    (folder / "hourly.csv").unlink()
    descriptor = (folder / "datapackage.json").read_text().replace('"hourly.csv"', '"hourly.parquet"')
    (folder / "datapackage.json").write_text(descriptor)
    result = validate(folder, root)
    assert [f for f in result.findings if f.is_open] == []


def test_more_distinct_bad_values_than_one_byte_codes_hold(tmp_path: Path, root: Path) -> None:
    """An enumeration column is coded in one byte; 300 different wrong values overflow that, and the pass
    is repeated with wider codes, so every cell is still reported at its line."""
    folder = copy_valid(tmp_path / "filing")
    hourly = folder / "hourly.csv"
    lines = hourly.read_text(encoding="utf-8").split("\n")
    for number in range(2, 302):
        cells = lines[number - 1].split(",")
        cells[7] = f"criterion {number}"
        lines[number - 1] = ",".join(cells)
    hourly.write_text("\n".join(lines), encoding="utf-8")
    result = validate(folder, root)
    assert where(result, "ICA-E012") == [("hourly.csv", n, 8) for n in range(2, 302)]
    assert {f.value for f in result.findings if f.code == "ICA-E012"} == {f"criterion {n}" for n in range(2, 302)}


def test_more_distinct_malformed_numbers_than_two_byte_codes_hold(tmp_path: Path, root: Path) -> None:
    """The text of failing number cells is kept in two-byte codes; 70,000 different malformed values
    overflow them, and the pass is repeated with wider codes: every cell is still counted and quoted."""
    folder = copy_valid(tmp_path / "filing")
    hourly = folder / "hourly.csv"
    header, first, *_ = hourly.read_text(encoding="utf-8").split("\n")
    cells = first.split(",")
    rows = [",".join([*cells[:6], f"{n} kW", cells[7]]) for n in range(70_000)]
    hourly.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = validate(folder, root)
    listed = [f for f in result.findings if f.code == "ICA-E010"]
    assert [(f.line, f.value) for f in listed[:3]] == [(2, "0 kW"), (3, "1 kW"), (4, "2 kW")]
    limit = len(listed)
    assert any(f"{70_000 - limit:,} more ICA-E010 findings" in note for note in result.notes)


def test_an_empty_feeder_or_section_id_is_found_at_its_line(tmp_path: Path, root: Path) -> None:
    """Feeder and section IDs are coded in four bytes; an empty one is still found at its line."""
    folder = copy_valid(tmp_path / "filing")
    _edit(folder / "hourly.csv", 9, 2, "")
    _edit(folder / "hourly.csv", 30, 1, "")
    result = validate(folder, root)
    assert where(result, "ICA-E011") == [("hourly.csv", 9, 2), ("hourly.csv", 30, 1)]


def test_a_damaged_parquet_file_is_a_finding(tmp_path: Path, root: Path) -> None:
    """A Parquet file cut short (an interrupted upload) cannot be opened at all: a finding, exit 1."""
    from click.testing import CliRunner

    from gridmod.cli import main

    folder = copy_valid(tmp_path / "filing")
    pl.read_csv(folder / "hourly.csv").write_parquet(folder / "hourly.parquet")
    (folder / "hourly.csv").unlink()
    data = (folder / "hourly.parquet").read_bytes()
    (folder / "hourly.parquet").write_bytes(data[: len(data) // 2])
    descriptor = (folder / "datapackage.json").read_text().replace('"hourly.csv"', '"hourly.parquet"')
    (folder / "datapackage.json").write_text(descriptor)
    result = validate(folder, root)
    assert where(result, "ICA-E059") == [("hourly.parquet", None, None)]  # its footer does not read
    assert [f.message for f in result.findings if f.code == "ICA-E059"][0].startswith(
        "hourly.parquet is not a Parquet file whose footer can be read ("
    )
    run = CliRunner().invoke(main, ["validate", "--quick", str(folder)])
    assert run.exit_code == 1 and "internal error" not in run.output


def test_an_unclosed_quote_is_found_at_the_line_it_opens(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    hourly = folder / "hourly.csv"
    lines = hourly.read_text(encoding="utf-8").split("\n")
    total = len([line for line in lines if line])
    hourly.write_text("\n".join(lines).rstrip("\n") + '\n240111101,"LS100001,generation\n', encoding="utf-8")
    result = validate(folder, root)
    assert where(result, "ICA-E017") == [("hourly.csv", total + 1, None)]
    (finding,) = [f for f in result.findings if f.code == "ICA-E017"]
    assert finding.message == (
        f"The quote that opens on line {total + 1} is never closed, so the rest of the file reads as one cell."
    )


def test_quoted_line_breaks_and_doubled_quotes_are_not_unclosed(tmp_path: Path) -> None:
    import csv

    from gridmod.validate.large.source import unclosed_quote

    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["a", "b"], ['say "hi"', "two\nlines"], ['"', 'x""\n"y']])
    assert unclosed_quote(path) is None
    path.write_bytes(path.read_bytes() + b'1,"open\n2,3\n')
    assert unclosed_quote(path) == 6


def _append(path: Path, lines: range | list[int], text: str) -> None:
    rows = path.read_text(encoding="utf-8").split("\n")
    for number in lines:
        rows[number - 1] += text
    path.write_text("\n".join(rows), encoding="utf-8")


def test_a_trailing_comma_on_every_row_is_an_extra_cell_on_every_row(tmp_path: Path, root: Path) -> None:
    """An empty extra cell reads like no cell at all, so the separators in the file decide."""
    folder = copy_valid(tmp_path / "filing")
    results = folder / "results.csv"
    rows = len(results.read_text(encoding="utf-8").splitlines())
    _append(results, range(2, rows + 1), ",")
    result = validate(folder, root)
    assert where(result, "ICA-E017") == [("results.csv", n, 10) for n in range(2, rows + 1)]
    assert {f.message for f in result.findings if f.code == "ICA-E017"} == {
        "This row has more cells than the header's 9 columns."
    }


def test_two_extra_cells_from_the_first_row_on_are_located(tmp_path: Path, root: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    _append(folder / "results.csv", [2, 3, 7], ",x,")
    result = validate(folder, root)
    assert where(result, "ICA-E017") == [("results.csv", n, 10) for n in (2, 3, 7)]


def test_a_stray_comma_in_a_file_with_quoted_cells(tmp_path: Path, root: Path) -> None:
    """Commas inside quoted cells are not separators; a quoted line break does not end a row."""
    folder = copy_valid(tmp_path / "filing")
    results = folder / "results.csv"
    _edit(results, 5, 9, '"not,\nstudied"')  # spans lines 5 and 6, one cell
    _append(results, [9], ",")  # line 9 holds data row 7
    result = validate(folder, root)
    assert where(result, "ICA-E017") == [("results.csv", 9, 10)]
    assert where(result, "ICA-E012") == [("results.csv", 5, 9)]
