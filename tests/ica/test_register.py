"""The register of advice letters (validation/proceeding/advice-letters.csv): its rules, located problems, and
the workshop cadence it decides for validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridmod.cli import main
from gridmod.errors import InputError
from gridmod.proceeding import COLUMNS, REGISTER, load_register
from gridmod.validate import validate_filing

from ..conftest import ROOT

HEADER = ",".join(COLUMNS)
CADENCE = (
    "joint,1234-E,2,workshop_cadence,2025-10-01,effective,2026-01-01,biannual,ACR 2026-03-23 §5,Biannual workshops"
)


def _repo(tmp_path: Path, *rows: str) -> Path:
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    shutil.copytree(ROOT / "data/pge/ica-2026-h2", tmp_path / "data/pge/ica-2026-h2")
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    (tmp_path / REGISTER).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return tmp_path


def test_the_shipped_register_reads() -> None:
    assert load_register(ROOT) == []


def test_every_broken_cell_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        CADENCE,
        "pge,7654-E,3,ica_remediation_plan,2026-02-30,effective,,,D.24-10-030 OP 34,Remediation plan",
        "sce,5100-E,2,workshop_cadence,2026-01-10,pending,2026-03-01,biannual,ACR 2026-03-23 §5,Cadence",
        "joint,1234-E,2,other,2025-11-01,withdrawn,,,x,The same number again",
        "sdge,4400-E,4,misc,2026-05-01,approved,,monthly,x,Everything wrong",
    )
    with pytest.raises(InputError) as caught:
        load_register(repo)
    assert str(caught.value).splitlines() == [
        f"The register of advice letters ({REGISTER}) has 9 problem(s):",
        f"  {REGISTER}:3:5: filed: '2026-02-30' is not a day written YYYY-MM-DD.",
        f"  {REGISTER}:3:7: effective: a date (YYYY-MM-DD) is required.",
        f"  {REGISTER}:4:7: effective: only an effective letter has an effective day; this one is pending.",
        f"  {REGISTER}:4:4: purpose: a change of the workshops' frequency is a joint Tier 2 advice letter (ruling "
        "of 2026-03-23, §5): write utility joint and tier 2.",
        f"  {REGISTER}:5:2: number: AL 1234-E (joint, Tier 2) is already on line 2.",
        f"  {REGISTER}:6:3: tier: '4' is not a tier: write 1, 2 or 3.",
        f"  {REGISTER}:6:4: purpose: 'misc' is not one of ica_remediation_plan, workshop_cadence, "
        "workshop_extension, workshop_sunset, appendix_a_change, other.",
        f"  {REGISTER}:6:6: disposition: 'approved' is not one of pending, effective, rejected, withdrawn.",
        f"  {REGISTER}:6:8: cadence: only a workshop_cadence letter sets a cadence; leave it empty.",
    ]


def test_a_broken_register_stops_validation_with_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, "joint,1234-E,2,workshop_cadence,2025-10-01,effective,2025-09-01,biannual,x,Cadence")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["validate", "data/pge/ica-2026-h2", "--quick"])
    assert result.exit_code == 1, result.output
    assert f"{REGISTER}:2:7: effective: 2025-09-01 is before the letter was filed (2025-10-01)." in result.output
    assert "Traceback" not in result.output


def test_the_cadence_in_force_comes_from_the_register(tmp_path: Path) -> None:
    """With a Tier 2 letter effective 2026-01-01, PG&E's filing of 2026-07-31 is judged by the biannual periods
    from 2026 on (its 2026 workshops meet them), and its stated quarterly cadence is ICA-W154."""
    repo = _repo(tmp_path, CADENCE)
    result = validate_filing(repo / "data/pge/ica-2026-h2", repo, ("structure", "content")).result
    found = [(f.code, f.path, f.message) for f in result.findings if f.code in ("ICA-W151", "ICA-W154")]
    assert found == [
        (
            "ICA-W154",
            "data/pge/ica-2026-h2/datapackage.json",
            "datapackage.json says workshop_cadence 'quarterly', but the cadence in force on the filing date is "
            "biannual (AL 1234-E (joint, Tier 2), effective 2026-01-01).",
        )
    ]
    workshops = repo / "data/pge/ica-2026-h2/workshops.csv"
    kept = [x for x in workshops.read_text(encoding="utf-8").splitlines() if not x.startswith("2025-12-11")]
    workshops.write_text("\n".join(kept) + "\n", encoding="utf-8")
    from gridmod.filing import stamp_resources

    stamp_resources(workshops.parent)
    result = validate_filing(workshops.parent, repo, ("structure", "content")).result
    assert [f.message for f in result.findings if f.code == "ICA-W151"] == [
        "No ICA workshop was held from 2025-10-01 to 2025-12-31 or in the 14 days after; the quarterly cadence in "
        "force for that period (D.24-10-030 OP 35) requires one."
    ]
