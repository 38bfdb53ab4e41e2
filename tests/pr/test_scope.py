"""The scope job of the pull-request workflow, run on a git repository: a filer changes only its folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .repos import copy_repo, git, init_repo, open_pr
from .workflows import fake_gh, run_job

PGE, ED = "pge-gridmod-filer", "ed-gridmod-reviewer"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The pull request's checkout (pr/ in the workflow), with main as its base."""
    return copy_repo(tmp_path / "pr", filings=("pge/gmr-2026", "sce/gmr-2026"))


def event_of(actor: str, base: str, pusher: str | None = None) -> dict[str, str]:
    return {
        "github.event.pull_request.user.login": actor,
        "github.event.pull_request.base.sha": base,
        "github.actor": pusher or actor,
        "github.token": "test-token",
        "github.repository": "cpuc/gridmod",
        "github.event.pull_request.number": "7",
    }


def _scope(repo: Path, actor: str, base: str, pusher: str | None = None, authors: list[str] | None = None):
    """The scope job's verdict step; the pull request's commits are all by `actor` unless `authors` says."""
    env = fake_gh(repo.parent / "bin", [actor] if authors is None else authors)
    listed, verdict = run_job(
        "filing-checks.yml", "scope", repo.parent, event_of(actor, base, pusher), repo.parent, env
    )
    assert listed.returncode == 0, listed.stderr
    return verdict


def _touch(repo: Path, path: str, text: str = "\nA sentence added in the pull request.\n") -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_pge_filer_touching_sce_fails_naming_the_file(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    _touch(repo, "data/sce/gmr-2026/costs.csv", "gms-adms,2030,capital,forecast,1000,\n")
    open_pr(repo)
    run = _scope(repo, PGE, base)
    assert run.returncode == 1
    assert run.stdout == (
        "::error file=data/sce/gmr-2026/costs.csv,title=Outside the filer's folder::"
        "pge-gridmod-filer (PG&E filer) may change only data/pge/.\n"
    )
    assert run.stderr == (
        "Scope check failed: pge-gridmod-filer (PG&E filer) may change only data/pge/, but this pull request "
        "changes 1 file outside it:\n"
        "  data/sce/gmr-2026/costs.csv\n"
        "Take these changes out of the pull request; changes to another utility's filing or to the rules go "
        "through that utility or Energy Division.\n"
    )


def test_pge_filer_touching_only_pge_passes(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    _touch(repo, "data/pge/gmr-2028/README.md", "draft\n")
    open_pr(repo)
    run = _scope(repo, PGE.upper(), base)  # GitHub logins are case-insensitive
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "Scope check passed: PGE-GRIDMOD-FILER (PG&E filer, may change data/pge/) changed 2 files, all allowed.\n"
    )


def test_changes_on_main_since_the_branch_are_not_the_filers(repo: Path) -> None:
    base = init_repo(repo)
    git(repo, "checkout", "-q", "-b", "filer-branch")
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    git(repo, "commit", "-qam", "pge change")
    git(repo, "checkout", "-q", "main")
    _touch(repo, "data/sce/gmr-2026/narrative/summary.md")
    git(repo, "commit", "-qam", "sce change merged meanwhile")
    newer_base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "filer-branch")
    assert newer_base != base
    assert _scope(repo, PGE, newer_base).returncode == 0


def test_energy_division_may_change_anything(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "validation/gmr-appendix-a/CHANGELOG.md")
    _touch(repo, "data/sce/gmr-2026/narrative/summary.md")
    open_pr(repo)
    run = _scope(repo, ED, base)
    assert run.returncode == 0
    assert "(Energy Division, may change anything) changed 2 files" in run.stdout


def test_a_pull_request_cannot_widen_its_own_scope(repo: Path) -> None:
    base = init_repo(repo)
    filers = repo / ".github/filers.yml"
    filers.write_text(
        filers.read_text().replace("  - ed-gridmod-reviewer\n", "  - ed-gridmod-reviewer\n  - pge-gridmod-filer\n")
    )
    _touch(repo, "data/sce/gmr-2026/narrative/summary.md")
    open_pr(repo)
    run = _scope(repo, PGE, base)
    assert run.returncode == 1
    assert "  .github/filers.yml\n  data/sce/gmr-2026/narrative/summary.md\n" in run.stderr


def test_moving_a_file_into_another_utilitys_folder_fails(repo: Path) -> None:
    base = init_repo(repo)
    git(repo, "mv", "data/pge/gmr-2026/narrative/outlook.md", "data/sce/gmr-2026/narrative/outlook-pge.md")
    open_pr(repo)
    run = _scope(repo, PGE, base)
    assert run.returncode == 1
    assert "  data/sce/gmr-2026/narrative/outlook-pge.md\n" in run.stderr
    assert "data/pge/gmr-2026/narrative/outlook.md" not in run.stderr


def test_unknown_author_fails_with_a_clear_message(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    open_pr(repo)
    run = _scope(repo, "octocat", base)
    assert run.returncode == 1
    assert run.stderr.startswith(f"octocat is not listed in .github/filers.yml on {base}, so it is not known")


def test_dependabot_may_change_workflows_but_not_filings(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, ".github/workflows/publish.yml", "# bumped\n")
    open_pr(repo)
    assert _scope(repo, "dependabot[bot]", base).returncode == 0
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    git(repo, "commit", "-qam", "more")
    run = _scope(repo, "dependabot[bot]", base)
    assert run.returncode == 1 and "data/pge/gmr-2026/narrative/summary.md" in run.stderr


def test_unknown_base_is_a_setup_error(repo: Path) -> None:
    init_repo(repo)
    run = _scope(repo, PGE, "0" * 40)
    assert run.returncode == 2
    assert run.stderr == (
        f"gridmod: {'0' * 40} is not a commit of this repository; fetch the base branch's "
        "history (in a workflow: actions/checkout with fetch-depth: 0).\n"
    )


def test_base_without_filers_list_is_a_setup_error(repo: Path) -> None:
    shutil.rmtree(repo / ".github")
    base = init_repo(repo)
    run = _scope(repo, PGE, base)
    assert run.returncode == 2
    assert ".github/filers.yml cannot be read from" in run.stderr


def test_a_filers_commit_in_energy_divisions_pull_request_limits_it_to_the_filers_folder(repo: Path) -> None:
    """Roles follow everyone behind the pull request, not only its author."""
    base = init_repo(repo)
    _touch(repo, "data/sce/gmr-2026/narrative/summary.md")
    open_pr(repo)
    run = _scope(repo, ED, base, authors=[ED, PGE])
    assert run.returncode == 1
    assert run.stdout.startswith("Scope check passed: ed-gridmod-reviewer (Energy Division")
    assert "Scope check failed: pge-gridmod-filer (PG&E filer) may change only data/pge/" in run.stderr
    pushed = _scope(repo, ED, base, pusher=PGE, authors=[ED])
    assert pushed.returncode == 1 and "pge-gridmod-filer (PG&E filer) may change only" in pushed.stderr


def test_a_commit_whose_author_github_cannot_name_fails(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    open_pr(repo)
    run = _scope(repo, PGE, base, authors=[PGE, ""])
    assert run.returncode == 1
    assert "has an author GitHub cannot name" in run.stderr


def test_the_verdict_says_whether_the_pull_request_changes_code(repo: Path) -> None:
    base = init_repo(repo)
    _touch(repo, "data/pge/gmr-2026/narrative/summary.md")
    open_pr(repo)
    assert _scope(repo, PGE, base).outputs == {"code": "false"}
    _touch(repo, "validation/_shared/structure.yaml", "# reworded\n")
    git(repo, "commit", "-qam", "rules")
    assert _scope(repo, ED, base).outputs == {"code": "true"}
