"""Content and expectations phases of the Appendix A profile (engine `gmr`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.spec import Profile

if TYPE_CHECKING:
    from gridmod.validate import Run, StructureOutcome


def check(filing: Filing, profile: Profile, structure: StructureOutcome, earlier: list[Finding], run: Run) -> Checked:
    from gridmod.validate.content import ContentInput, check_content, context_of, load_frames
    from gridmod.validate.explain import apply_explanations

    frames = load_frames(filing, profile, structure.tables_ok)
    data = ContentInput(
        filing,
        profile,
        structure.tables_ok,
        structure.narratives_ok,
        structure.descriptor.activity_narratives,
        frames,
        structure.descriptor.withheld.sections,
    )
    content = check_content(data, context_of(filing, profile))
    findings = content + apply_explanations(
        profile,
        filing.rel_path(profile.table_path("explanations")),
        frames.get("explanations"),
        earlier + content,
        structure.complete,
    )
    if "expectations" not in run.phases:
        from gridmod.validate.expect import skipped

        return Checked(findings, [skipped("the great-expectations plausibility checks")])
    from gridmod.validate.expectations import check_expectations

    content_broken = {f.path for f in content if f.severity == "error"}
    clean = {n: frames[n] for n in frames if filing.rel_path(profile.table_path(n)) not in content_broken}
    notes = [
        f"Expectations on {profile.table_path(name)} skipped: its content has errors."
        for name in sorted(set(frames) - set(clean))
    ]
    expected = check_expectations(filing, profile, clean, run.data_docs)
    return Checked(findings + expected.findings, notes + expected.notes)
