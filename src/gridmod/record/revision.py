"""A filing's revision: its number, what it supersedes and why, as the filer writes them in datapackage.json.

Revision 1 is the filing as first filed and needs none of this (no field at all means revision 1). A
corrected filing is revision 2, 3, ...: it names the accession number of the revision it replaces
(`supersedes`) and says why (`amendment_reason`). Those fields belong to the record, not to a profile, so
every profile and version has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridmod.record.ledger import ACCESSION

FIELDS = ("revision", "supersedes", "amendment_reason")
# A reason says what was corrected; a word or two ("typo", "fix") tells the public nothing.
MIN_REASON = 15


@dataclass(frozen=True)
class Revision:
    number: int
    supersedes: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RevisionProblem:
    field: str  # which of FIELDS
    variant: str  # the message variant of the record rule (validation/_shared/structure.yaml, E037)
    given: Any = None


def revision_of(meta: dict[str, Any]) -> tuple[Revision, list[RevisionProblem]]:
    """The revision the header declares, and what is wrong with how it declares it."""
    problems: list[RevisionProblem] = []
    number = meta.get("revision", 1)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        problems.append(RevisionProblem("revision", "not_a_revision", number))
        number = 1
    supersedes = meta.get("supersedes")
    reason = meta.get("amendment_reason")
    if number == 1:
        for key, value in (("supersedes", supersedes), ("amendment_reason", reason)):
            if value not in (None, ""):
                problems.append(RevisionProblem(key, "first_revision", value))
        return Revision(1), problems
    if supersedes in (None, ""):
        problems.append(RevisionProblem("supersedes", "no_supersedes"))
        supersedes = None
    elif not isinstance(supersedes, str) or not ACCESSION.fullmatch(supersedes):
        problems.append(RevisionProblem("supersedes", "not_an_accession", supersedes))
        supersedes = None
    if reason in (None, "") or (isinstance(reason, str) and not reason.strip()):
        problems.append(RevisionProblem("amendment_reason", "no_reason"))
        reason = None
    elif not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
        problems.append(RevisionProblem("amendment_reason", "short_reason", reason))
        reason = None
    return Revision(number, supersedes, reason.strip() if reason else None), problems
