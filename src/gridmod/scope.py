"""Scope check of a pull request: a utility's filer changes only data/<utility>/.

Who may change what comes from .github/filers.yml as it is on the base branch, never from the pull
request, so a pull request cannot widen its own scope. CODEOWNERS asks for reviews; this check is what stops
a filer's pull request, including one from a fork, from touching another utility's filing or the rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gridmod.errors import SetupError
from gridmod.gitrepo import run_git
from gridmod.record.ledger import LEDGER
from gridmod.utilities import utility

FILERS = ".github/filers.yml"
# A filing folder that later workflow steps may put on a command line: data/<utility>/<filing>.
_FILING = re.compile(r"data/[a-z0-9][a-z0-9-]{0,39}/[a-z0-9][a-z0-9-]{0,39}")


class ScopeError(SetupError):
    """The check cannot run: no git, an unknown base, or an unreadable filers.yml."""


@dataclass
class Filers:
    energy_division: set[str] = field(default_factory=set)
    utilities: dict[str, set[str]] = field(default_factory=dict)
    # GitHub Apps such as dependabot[bot]: login -> path prefixes they may change
    automation: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Role:
    login: str
    name: str  # how the message names the role
    allowed: list[str] | None  # path prefixes; None: anything


@dataclass
class ScopeResult:
    role: Role | None
    files: list[str]
    outside: list[str]
    record: list[str] = field(default_factory=list)  # why the pull request's change to the ledger is refused

    @property
    def ok(self) -> bool:
        return self.role is not None and not self.outside and not self.record


def _logins(value: object, where: str) -> set[str]:
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ScopeError(f"{FILERS}: {where} must be a list of GitHub logins.")
    return {v.lower() for v in value}


def parse_filers(text: str) -> Filers:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ScopeError(f"{FILERS} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScopeError(f"{FILERS} must be a mapping with energy_division, utilities and automation.")
    utilities = data.get("utilities") or {}
    automation = data.get("automation") or {}
    if not isinstance(utilities, dict) or not isinstance(automation, dict):
        raise ScopeError(f"{FILERS}: utilities and automation must be mappings.")
    filers = Filers(energy_division=_logins(data.get("energy_division"), "energy_division"))
    for code, logins in utilities.items():
        if not isinstance(code, str) or not re.fullmatch(r"[a-z0-9-]+", code):
            raise ScopeError(f"{FILERS}: utility code {code!r} must be lower-case letters, digits and dashes.")
        filers.utilities[code] = _logins(logins, f"utilities.{code}")
    for login, prefixes in automation.items():
        if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
            raise ScopeError(f"{FILERS}: automation.{login} must be a list of paths.")
        filers.automation[str(login).lower()] = list(prefixes)
    return filers


def role_of(login: str, filers: Filers) -> Role | None:
    key = login.lower()
    if key in filers.energy_division:
        return Role(login, "Energy Division", None)
    for code, logins in sorted(filers.utilities.items()):
        if key in logins:
            return Role(login, f"{utility(code).short} filer", [f"data/{code}/"])
    if key in filers.automation:
        return Role(login, "automation", filers.automation[key])
    return None


def _git(repo: Path, *args: str) -> str:
    return run_git(repo, *args, error=ScopeError)


def _check_commit(repo: Path, ref: str) -> None:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ScopeError:
        raise ScopeError(
            f"{ref} is not a commit of this repository; fetch the base branch's history "
            "(in a workflow: actions/checkout with fetch-depth: 0)."
        ) from None


def load_filers(repo: Path, base: str) -> Filers:
    """filers.yml as the base commit has it."""
    _check_commit(repo, base)
    try:
        text = _git(repo, "show", f"{base}:{FILERS}")
    except ScopeError as exc:
        raise ScopeError(f"{FILERS} cannot be read from {base}: the base branch must have it ({exc}).") from exc
    return parse_filers(text)


def changed_files(repo: Path, base: str, head: str = "HEAD") -> list[str]:
    """Every path the pull request adds, changes or deletes since it branched from `base`.

    Renames count as a deletion and an addition, so both folders are checked.
    """
    _check_commit(repo, base)
    out = _git(repo, "diff", "--name-only", "--no-renames", "-z", f"{base}...{head}", "--")
    return sorted({p for p in out.split("\0") if p})


def check_scope(login: str, files: list[str], filers: Filers, ledger: tuple[str, str] | None = None) -> ScopeResult:
    """`ledger` is the ledger's text on the base and in the pull request, when the pull request changes it."""
    role = role_of(login, filers)
    if role is None:
        return ScopeResult(None, files, list(files))
    record = check_ledger(role, *ledger) if ledger is not None else []
    if role.allowed is None:
        return ScopeResult(role, files, [], record)
    outside = [f for f in files if not any(f.startswith(p) if p.endswith("/") else f == p for p in role.allowed)]
    return ScopeResult(role, files, outside, record)


def changes_code(files: list[str]) -> bool:
    """Whether a change reaches anything but filings and the ledger: code, rules, templates, workflows."""
    return any(not (f.startswith("data/") or f == LEDGER) for f in files)


def check_ledger(role: Role, base: str, head: str) -> list[str]:
    """The ledger is append-only for everyone: a receipt once issued is never changed or removed. Receipts are
    added by the publish job; a pull request may add them only when it comes from the automation that
    filers.yml allows to change the ledger (where main is protected, the publish job's own pull request)."""
    if not head.startswith(base):
        old, new = base.split("\n"), head.split("\n")
        line = next(
            (n for n, (a, b) in enumerate(zip(old, new, strict=False), start=1) if a != b), min(len(old), len(new))
        )
        return [
            f"{LEDGER} line {line}: this pull request changes or removes a receipt already issued. The "
            "ledger is append-only: a correction to a filing is a new revision, which gets its own receipt."
        ]
    if head != base and not (role.name == "automation" and role.allowed is not None and LEDGER in role.allowed):
        return [
            f"{LEDGER}: receipts are issued by the publish job when a filing lands on main; a pull request "
            "cannot add them. Take the ledger out of the pull request."
        ]
    return []


def withdrawn(repo: Path, base: str, files: list[str]) -> list[str]:
    """Why the pull request may not remove an accepted filing: once on the record, a filing stays published;
    a correction is a new revision."""
    gone = sorted(
        {
            f.rsplit("/", 1)[0]
            for f in files
            if f.endswith("/datapackage.json") and _FILING.fullmatch(f.rsplit("/", 1)[0]) and not (repo / f).exists()
        }
    )
    if not gone:
        return []
    on_base = _git(repo, "ls-tree", "--name-only", base, "--", LEDGER).strip()
    ledger = _git(repo, "show", f"{base}:{LEDGER}") if on_base else ""
    accepted = set()
    for line in ledger.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # the base's ledger is checked as a record wherever it is read; here only its folders count
        if isinstance(entry, dict):
            accepted.add(entry.get("filing"))
    return [
        f"{folder}: this filing is on the record, so it cannot be removed or moved; a correction is a new "
        "revision of it (gridmod.revision, supersedes, amendment_reason)."
        for folder in gone
        if folder in accepted
    ]


def ledger_texts(repo: Path, base: str, files: list[str]) -> tuple[str, str] | None:
    """The ledger on the base commit and in the pull request's checkout, when the pull request changes it."""
    if LEDGER not in files:
        return None
    on_base = _git(repo, "ls-tree", "--name-only", base, "--", LEDGER).strip()
    before = _git(repo, "show", f"{base}:{LEDGER}") if on_base else ""
    path = repo / LEDGER
    return before, path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def changed_filings(repo: Path, files: list[str]) -> list[str]:
    """Filing folders (data/<utility>/<filing>) that the changes touch and that still exist."""
    found = set()
    for path in files:
        parts = path.split("/")
        folder = "/".join(parts[:3])
        if len(parts) > 3 and _FILING.fullmatch(folder) and (repo / folder / "datapackage.json").is_file():
            found.add(folder)
    return sorted(found)


def repo_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel").strip())
