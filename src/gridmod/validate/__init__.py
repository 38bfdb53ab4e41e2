"""Three-phase validation of filings: structure (frictionless), content (pandera), expectations (GX).

A later phase runs only on resources the earlier ones found no errors in, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridmod.filing import Filing, find_filings, load_filing
from gridmod.findings import Finding, PackageResult, Report
from gridmod.spec import Profile

PHASES = ("structure", "content", "expectations")


@dataclass
class Validated:
    filing: Filing
    profile: Profile | None
    result: PackageResult


def _sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.code, f.key or ""))


def validate_filing(folder: Path, root: Path, phases: tuple[str, ...] = PHASES) -> Validated:
    from gridmod.validate.descriptor import check_descriptor

    filing = load_filing(folder, root)
    outcome = check_descriptor(filing)
    profile = outcome.profile
    result = PackageResult(path=filing.rel, profile=profile.name if profile else None,
                           version=profile.version if profile else None)
    findings = list(outcome.findings)
    if profile is None:
        result.findings = _sort(findings)
        result.notes.append("Content and expectations checks skipped: the filing's profile is not known.")
        return Validated(filing, None, result)

    from gridmod.validate.tabular import check_tables

    table_names = [t["name"] for t in profile.tables]
    readable = [n for n in table_names if n in outcome.usable]
    table_findings, table_broken = check_tables(filing, profile, readable) if readable else ([], set())
    findings += table_findings
    broken = outcome.broken | table_broken
    tables_ok = {n for n in readable if n not in broken}
    for name in table_names:
        if name not in tables_ok:
            result.notes.append(f"Content checks of {profile.table_path(name)} skipped: its structure has errors.")
    meta_errors = any(f.severity == "error" and f.path.endswith("datapackage.json") and f.field in (
        "filing_date", "reporting_period_start", "reporting_period_end") for f in findings)

    if "content" in phases and not meta_errors:
        from gridmod.validate.content import ContentInput, check_content, context_of, load_frames
        from gridmod.validate.explain import apply_explanations

        frames = load_frames(filing, profile, tables_ok)
        narratives_ok = {n for n in outcome.usable if n not in broken and n not in table_names}
        data = ContentInput(filing, profile, tables_ok, narratives_ok, outcome.activity_narratives, frames)
        content = check_content(data, context_of(filing, profile))
        findings += content
        complete = tables_ok == set(table_names) and not (broken - set(table_names))
        findings += apply_explanations(filing, profile, frames.get("explanations"), findings, complete)
        content_broken = {f.path for f in content if f.severity == "error"}
        if "expectations" in phases:
            from gridmod.validate.expectations import check_expectations

            clean = {n: frames[n] for n in frames if filing.rel_path(profile.table_path(n)) not in content_broken}
            for name in sorted(set(frames) - set(clean)):
                result.notes.append(
                    f"Expectations on {profile.table_path(name)} skipped: its content has errors.")
            findings += check_expectations(filing, profile, clean)
        else:
            result.notes.append("Expectations phase skipped (quick mode): run without --quick for the "
                                "great-expectations plausibility checks.")
    elif meta_errors:
        result.notes.append("Content and expectations checks skipped: the filing dates in datapackage.json "
                            "have errors, and the rules measure against them.")
    result.findings = _sort(findings)
    return Validated(filing, profile, result)


def validate(paths: list[Path] | None, root: Path, phases: tuple[str, ...] = PHASES) -> tuple[Report, list[Validated]]:
    """Validate every filing under `paths` (default: data/); the report and each filing's details."""
    validated = [validate_filing(folder, root, phases) for folder in find_filings(root, paths)]
    return Report([v.result for v in validated]), validated
