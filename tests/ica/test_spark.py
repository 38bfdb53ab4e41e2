"""`gridmod validate --engine spark`: the hourly table's rules on Apache Spark (local mode) give exactly the
findings and notes of the default engine on the same filing.

Spark needs Java: on a fresh machine the first test installs Debian's openjdk-17-jre-headless (apt-get as
root), as the browser tests install Chromium; when that is not possible the tests FAIL with the reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml
from click.testing import CliRunner

from gridmod.cli import main
from gridmod.findings import Finding, PackageResult
from gridmod.validate import validate_filing

from ..system import require
from .datasets import dataset_repo, hourly_filing, planted_hourly

PHASES = ("structure", "content")


@pytest.fixture(scope="module", autouse=True)
def java() -> None:
    """Java for Spark, installed if missing; the module fails when it cannot be."""
    require(
        "Java (for Spark)",
        ("openjdk-17-jre-headless",),
        lambda: shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME")),
    )


def _both(folder: Path, repo: Path) -> tuple[PackageResult, PackageResult]:
    return (validate_filing(folder, repo, PHASES).result, validate_filing(folder, repo, PHASES, engine="spark").result)


def _all(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted(
        (f.code, f.severity, f.path, f.line or 0, f.column or 0, f.field or "", str(f.value), f.key or "", f.message)
        for f in findings
    )


def _same(default: PackageResult, spark: PackageResult) -> None:
    assert _all(spark.findings) == _all(default.findings)
    assert spark.notes == default.notes


@pytest.mark.parametrize("layout", ["file", "hive", "parts"])
def test_spark_finds_what_the_default_engine_finds(tmp_path: Path, layout: str) -> None:
    """The planted errors of tests/ica/test_partitions.py: one file, hive-partitioned Parquet (the feeder only in
    the folder names), CSV parts cut across profiles and keys (a repeated key in another part than its first)."""
    repo = dataset_repo(tmp_path)
    default, spark = _both(hourly_filing(repo, planted_hourly(), layout), repo)
    _same(default, spark)
    assert {f.code for f in spark.findings if "/hourly" in f.path} == {"ICA-E010", "ICA-E015", "ICA-E121", "ICA-E122"}


def _hazards(quoted_line_break: bool) -> str:
    """hourly.csv text with every cell and shape hazard of a filer's export, lines given in comments."""
    table = planted_hourly().head(1200)
    lines = table.write_csv().splitlines()
    edits = {
        3: lambda r: r.replace(",thermal", ",Thermal"),  # enum
        5: lambda r: r + ",",  # trailing comma: an empty extra cell
        7: lambda r: r + ",1,2",  # two extra cells
        9: lambda r: r.replace("240111101,LS100001", "240111101,LS 100001"),  # pattern
        11: lambda r: r.replace("240111101,", ",", 1),  # feeder_id missing
        13: lambda r: ",".join([*r.split(",")[:4], " 3", *r.split(",")[5:]]),  # month with a space
        15: lambda r: ",".join([*r.split(",")[:5], "1.0", *r.split(",")[6:]]),  # hour that is no integer
        17: lambda r: ",".join([*r.split(",")[:4], "13", *r.split(",")[5:]]),  # month out of range
        19: lambda r: ",".join([*r.split(",")[:6], "-5", *r.split(",")[7:]]),  # negative kW (ICA-E020)
        21: lambda r: ",".join([*r.split(",")[:6], "1e3", *r.split(",")[7:]]),  # valid number
        23: lambda r: ",".join([*r.split(",")[:6], "1d", *r.split(",")[7:]]),  # Java would read it
        25: lambda r: ",".join([*r.split(",")[:6], "NaN", *r.split(",")[7:]]),  # no value a filer means
        27: lambda r: r.replace(",light,", ',"light",'),  # quoted cell: the same value
        29: lambda r: r.replace(",thermal", ',"therm,al"'),  # separator inside quotes: not an extra cell
    }
    for number, edit in edits.items():
        lines[number - 1] = edit(lines[number - 1])
    lines.insert(40, "")  # a blank line: line 41
    lines.insert(50, lines[49])  # a repeated key: lines 50 and 51
    if quoted_line_break:
        lines[59] = lines[59].replace(",thermal", ',"thermal\nsee note"')  # a cell over two lines: 60-61
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("quoted_line_break", [False, True], ids=["lines", "records"])
def test_spark_reads_cells_and_lines_as_the_default_engine(tmp_path: Path, quoted_line_break: bool) -> None:
    """Every cell hazard, a blank line, extra cells and a repeated key, in a file read line by line and in one
    that a quoted line break makes Spark read as CSV records: same findings at the same lines."""
    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "file")
    (folder / "hourly.csv").write_text(_hazards(quoted_line_break), encoding="utf-8")
    from gridmod.filing import stamp_resources

    stamp_resources(folder)
    default, spark = _both(folder, repo)
    _same(default, spark)
    lines = {(f.code, f.line) for f in spark.findings if f.path.endswith("hourly.csv")}
    assert {
        ("ICA-E012", 3),
        ("ICA-E017", 5),
        ("ICA-E017", 7),
        ("ICA-E013", 9),
        ("ICA-E011", 11),
        ("ICA-E010", 13),
        ("ICA-E010", 15),
        ("ICA-E014", 17),
        ("ICA-E020", 19),
        ("ICA-E010", 23),
        ("ICA-E010", 25),
        ("ICA-E017", 41),
        ("ICA-E015", 51),
    } <= lines
    assert not any(line in (21, 27) for _, line in lines)  # valid cells
    assert ("ICA-E012", 29) in lines and ("ICA-E017", 29) not in lines  # a quoted separator is no extra cell
    if quoted_line_break:  # the cell is reported where its row starts, and every later row one line further on
        assert {("ICA-E012", 60), ("ICA-E121", 1157)} <= lines
    else:
        assert ("ICA-E121", 1156) in lines


@pytest.mark.parametrize("quoted_line_break", [False, True], ids=["lines", "records"])
def test_a_file_with_every_cell_quoted_reads_as_the_same_table(tmp_path: Path, quoted_line_break: bool) -> None:
    """Spreadsheets and scripts may quote every cell, empty ones as "": an empty cell is missing either way,
    on both engines, so the quoted file has exactly the findings of the plain one."""
    import csv
    import io

    from gridmod.filing import stamp_resources

    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "file")
    plain = _hazards(quoted_line_break)
    (folder / "hourly.csv").write_text(plain, encoding="utf-8")
    stamp_resources(folder)
    before = validate_filing(folder, repo, PHASES).result
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(csv.reader(io.StringIO(plain, newline="")))
    (folder / "hourly.csv").write_text(out.getvalue(), encoding="utf-8")
    stamp_resources(folder)
    default, spark = _both(folder, repo)
    _same(default, spark)

    def shown(result: PackageResult) -> list[tuple[object, ...]]:
        return sorted((f.code, f.line, f.column, f.field) for f in result.findings if f.path.endswith("hourly.csv"))

    assert shown(default) == shown(before)


def test_spark_counts_what_the_limit_leaves_out(tmp_path: Path) -> None:
    """With a limit of 2 findings per rule and file, both engines list the same two and count the rest."""
    repo = dataset_repo(tmp_path)
    profile = repo / "validation/ica-biannual/1.0/profile.yaml"
    meta = yaml.safe_load(profile.read_text(encoding="utf-8"))
    meta["limits"]["max_findings_per_rule"] = 2
    profile.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    hourly = planted_hourly().with_columns(
        pl.when(pl.col("month") == "3").then(pl.lit("x")).otherwise("value_kw").alias("value_kw")
    )  # 1,200 cells that are no number
    default, spark = _both(hourly_filing(repo, hourly, "parts"), repo)
    _same(default, spark)
    assert any("more ICA-E010 findings" in note for note in spark.notes)


def test_spark_reports_an_unclosed_quote_where_it_opens(tmp_path: Path) -> None:
    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "file")
    text = (folder / "hourly.csv").read_text(encoding="utf-8").splitlines()
    text[99] = text[99].replace(",thermal", ',"thermal')
    (folder / "hourly.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    from gridmod.filing import stamp_resources

    stamp_resources(folder)
    default, spark = _both(folder, repo)
    _same(default, spark)
    assert [(f.code, f.line) for f in spark.findings if f.path.endswith("hourly.csv")] == [("ICA-E017", 100)]


def test_the_command_gives_the_same_report_on_spark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "hive")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GRIDMOD_ROOT", str(repo))
    runner = CliRunner()
    default = runner.invoke(main, ["validate", "--quick", "--format", "json", str(folder)])
    spark = runner.invoke(main, ["validate", "--quick", "--engine", "spark", "--format", "json", str(folder)])
    assert (default.exit_code, spark.exit_code) == (1, 1)
    assert spark.output == default.output


def test_spark_reads_parts_whose_names_look_like_globs(tmp_path: Path) -> None:
    """Hadoop reads [, ], {, } and * in a path as a glob; a part named part[000].csv is still read as itself."""
    from gridmod.filing import stamp_resources

    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "parts")
    for part in sorted((folder / "hourly").glob("part-*.csv")):
        part.rename(part.with_name(part.name.replace("part-", "part[").replace(".csv", "]{x}.csv")))
    stamp_resources(folder)
    default, spark = _both(folder, repo)
    _same(default, spark)
    assert any("part[004]{x}.csv" in f.path for f in spark.findings)


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_spark_finds_a_value_that_differs_from_its_folder_name(tmp_path: Path, kind: str) -> None:
    """E064 on Spark as on the default engine: a part below feeder_id=X/ that keeps feeder_id holds another."""
    from .test_partitions import _hive_keeping_the_column

    repo = dataset_repo(tmp_path)
    default, spark = _both(_hive_keeping_the_column(repo, kind), repo)
    _same(default, spark)
    assert [f.code for f in spark.findings].count("ICA-E064") == 1


def test_a_spark_failure_is_a_setup_error_in_words() -> None:
    """Spark's own failures reach the filer as one sentence and exit code 2, not as a Java stack trace."""
    from pyspark.errors import PySparkException

    from gridmod.errors import SetupError
    from gridmod.validate.distributed import spark_errors

    with pytest.raises(
        SetupError,
        match=r"^Spark could not check the hourly profiles: executor lost\. Validate "
        r"without --engine spark",
    ):
        with spark_errors("the hourly profiles"):
            raise PySparkException(message="executor lost\n\tat org.apache.spark.Something")


@pytest.mark.parametrize(
    "name", ["valid_minimal", "defects/hourly_profile_in_scope_missing", "defects/line_section_without_results"]
)
def test_spark_checks_the_hourly_scope_of_profile_11_as_the_default_engine(name: str) -> None:
    """Profile 1.1 declares which line sections need hourly profiles (ICA-E124); the line sections table
    narrows the scope, and when it has errors the check is left out with a note, on either engine."""
    from ..conftest import ROOT

    folder = ROOT / "tests/ica11/fixtures" / name
    default, spark = _both(folder, ROOT)
    _same(default, spark)
    if name.endswith("in_scope_missing"):
        assert [f.key for f in spark.findings if f.code == "ICA-E124"] == [
            "240111101/LS100002/generation",
            "240111101/LS100002/load",
        ]
