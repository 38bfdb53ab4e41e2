"""Three-phase validation of filings: structure (frictionless), content (pandera), expectations (GX).

A later phase runs only on resources the earlier ones found no errors in, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gridmod.confidential import VALUES
from gridmod.engines import engine_of
from gridmod.filing import Filing, find_filings, load_filing
from gridmod.findings import Checked, Finding, PackageResult, Report
from gridmod.spec import Profile
from gridmod.validate.descriptor import DescriptorOutcome

if TYPE_CHECKING:
    from gridmod.validate.large import LargeTables

PHASES = ("structure", "content", "expectations")
# Where the large tables' rules run: "default", the streaming pass on this machine (gridmod.validate.large), or
# "spark" for the tables the profile's engine can check there (gridmod.validate.distributed).
ENGINES = ("default", "spark")


@dataclass(frozen=True)
class Run:
    """How a validation run goes, handed to every engine: the phases it runs, and the folder great-expectations
    Data Docs go into (None: no Data Docs)."""

    phases: tuple[str, ...] = PHASES
    data_docs: Path | None = None


@dataclass
class Validated:
    filing: Filing
    profile: Profile | None
    result: PackageResult


@dataclass
class StructureOutcome:
    """What the structure phase leaves for the later phases of a filing."""

    descriptor: DescriptorOutcome
    tables_ok: set[str]  # tables without structural errors (a large table: scanned, whatever its cells)
    broken: set[str]  # every resource with a structural error
    table_names: set[str]
    large: LargeTables | None = field(default=None)  # the streaming pass over the large tables

    @property
    def complete(self) -> bool:
        """Every table and narrative passed structure, so every content rule could run."""
        return self.tables_ok == self.table_names and not (self.broken - self.table_names)

    @property
    def narratives_ok(self) -> set[str]:
        return {n for n in self.descriptor.usable if n not in self.broken and n not in self.table_names}


def _sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.code, f.key or ""))


def validate_filing(
    folder: Path, root: Path, phases: tuple[str, ...] = PHASES, data_docs: Path | None = None, engine: str = "default"
) -> Validated:
    from gridmod.validate.descriptor import check_descriptor

    filing = load_filing(folder, root)
    outcome = check_descriptor(filing)
    profile = outcome.profile
    result = PackageResult(
        path=filing.rel, profile=profile.name if profile else None, version=profile.version if profile else None
    )
    findings = list(outcome.findings)
    if profile is None:
        result.findings = _sort(findings)
        result.notes.append("Content and expectations checks skipped: the filing's profile is not known.")
        return Validated(filing, None, result)

    from gridmod.validate.tabular import check_tables

    # Optional tables the filing leaves out are not expected; large tables (`large: true`) are checked in one
    # streaming pass each (gridmod.validate.large), never read whole by the cell checks or frictionless.
    table_names = [t["name"] for t in profile.tables if t.get("required") is not False or t["name"] in filing.resources]
    large = [t["name"] for t in profile.tables if t.get("large") and t["name"] in outcome.usable]
    readable = [n for n in table_names if n in outcome.usable and n not in large]
    scanned = None
    if large:
        from gridmod.validate.large import scan_large_tables

        on_spark = [n for n in large if n in engine_of(profile).distributed] if engine == "spark" else []
        scanned = scan_large_tables(
            filing, profile, [n for n in large if n not in on_spark], engine_of(profile).part_summaries()
        )
        if on_spark:
            from gridmod.validate.distributed import check_large_tables

            spark = check_large_tables(filing, profile, on_spark)
            scanned.distributed = spark.tables
            scanned.with_errors |= spark.with_errors
            scanned.unreadable |= spark.unreadable
            scanned.checked = Checked(
                scanned.checked.findings + spark.checked.findings, scanned.checked.notes + spark.checked.notes
            )
        findings += scanned.checked.findings
        result.notes += scanned.checked.notes
        outcome.broken |= scanned.unreadable
    if "E028" in profile.structure_numbers:
        from gridmod.validate.cells import check_cells, check_narrative_text

        cell_findings, too_large = check_cells(filing, profile, readable)
        findings += cell_findings
        findings += check_narrative_text(
            filing, profile, sorted(n for n in outcome.usable if n not in table_names and n != VALUES)
        )
        readable = [n for n in readable if n not in too_large]
        outcome.broken |= too_large
    table_findings, table_broken = (
        check_tables(filing, profile, readable, outcome.withheld.cells, outcome.withheld.undecided)
        if readable
        else ([], set())
    )
    findings += table_findings
    result.notes += outcome.withheld.notes
    broken = outcome.broken | table_broken
    tables_ok = {n for n in readable + large if n not in broken}
    for name in table_names:
        if name not in tables_ok:
            filed = filing.resources.get(name, {}).get("path") or profile.table_path(name)  # CSV or Parquet
            result.notes.append(f"Content checks of {filed} skipped: its structure has errors.")
    # The rules measure against the filing's dates: without a header whose dates read, nothing after runs.
    meta_errors = filing.header is None or any(
        f.severity == "error"
        and f.path.endswith("datapackage.json")
        and f.field in ("filing_date", "reporting_period_start", "reporting_period_end")
        for f in findings
    )

    if "content" in phases and not meta_errors:
        checked = StructureOutcome(outcome, tables_ok, broken, set(table_names), scanned)
        # The content and expectations phases are the profile's engine's (gridmod.engines).
        # Data Docs show the filing's names and values to whoever opens them: none for a filing whose structure
        # failed (a hostile folder name, a file that is not what it says).
        docs = data_docs if not any(f.severity == "error" for f in findings) else None
        if data_docs is not None and docs is None and "expectations" in phases:
            result.notes.append("Data Docs not written: the filing's structure has errors.")
        checks = engine_of(profile).part("checks")(filing, profile, checked, findings, Run(phases, docs))
        findings += checks.findings
        result.notes += checks.notes
    elif meta_errors:
        result.notes.append(
            "Content and expectations checks skipped: the filing dates in datapackage.json "
            "have errors, and the rules measure against them."
        )
    result.findings = _sort(findings)
    return Validated(filing, profile, result)


def validate(
    paths: list[Path] | None,
    root: Path,
    phases: tuple[str, ...] = PHASES,
    data_docs: Path | None = None,
    engine: str = "default",
) -> tuple[Report, list[Validated]]:
    """Validate every filing under `paths` (default: data/); the report and each filing's details. With
    `data_docs`, the expectations phase also writes great-expectations Data Docs there, a site per filing;
    `engine` says where the large tables' rules run (ENGINES)."""
    validated = [validate_filing(folder, root, phases, data_docs, engine) for folder in find_filings(root, paths)]
    return Report([v.result for v in validated]), validated
