"""Who made a profile version, since when it holds, until when, and what in it is only proposed.

Sections 5 and 6 of the ruling of 2026-03-23 are about who may change the reporting requirements and how: it
proposes Appendix A (§6 Q2), asks whether to file in the fall of even-numbered years (§6 Q1), whether to set a
sunset or review date (§6 Q5) and how changes are made (§6 Q6, Q7). Each profile version therefore says, under
`governance:` in its profile.yaml:

- `status`: `adopted` (a decision, resolution or Energy Division letter put it in force) or `proposed` (put
  forward for comment and not yet adopted; filings may follow it, and every page and report that shows it
  says it is proposed);
- `effective`: the day filings may follow it (YYYY-MM-DD; required when adopted);
- `authority`: the document that made or proposed it and that document's date (YYYY-MM-DD, or YYYY-MM when
  only the month is known, as a decision's number gives it; required when adopted);
- `review_by`: the day by which Energy Division reviews it (the §6 Q5 review date); the site warns as it nears;
- `proposed`: parts of an adopted or proposed version that are proposals of their own: `schedule` (the filing
  calendar) or a rule code of the profile, each with a note saying what is proposed and by whom.

The block is read when the profile loads; a broken one stops every command (SetupError) naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from gridmod.errors import SetupError

STATUSES = ("adopted", "proposed")
REVIEW_WARNING_DAYS = 180  # the site warns this many days before a version's review date


@dataclass(frozen=True)
class Proposed:
    item: str  # "schedule" or a rule code
    note: str


@dataclass(frozen=True)
class Governance:
    status: str
    effective: date | None
    authority: str
    authority_date: str | None  # YYYY-MM-DD or YYYY-MM, as written
    review_by: date | None
    note: str
    proposed: tuple[Proposed, ...]

    @property
    def is_proposed(self) -> bool:
        return self.status == "proposed"

    def proposal(self, item: str) -> Proposed | None:
        """The proposal that covers `item` (the schedule or a rule code), if any."""
        return next((p for p in self.proposed if p.item == item), None)

    def review_state(self, today: date) -> str | None:
        """'passed' once the review date is behind `today`, 'near' within REVIEW_WARNING_DAYS of it, else None."""
        if self.review_by is None:
            return None
        days = (self.review_by - today).days
        return "passed" if days < 0 else "near" if days <= REVIEW_WARNING_DAYS else None

    @property
    def summary(self) -> str:
        """One line for a report's title page: the status, since when and on whose authority."""
        cited = f"{self.authority} ({self.authority_date})" if self.authority_date else self.authority
        if self.is_proposed:
            return f"Proposed, not yet adopted: {cited}"
        since = f" since {self.effective.isoformat()}" if self.effective else ""
        return f"Adopted, in force{since}: {cited}"


def parse_governance(meta: dict[str, Any], where: str, rule_codes: set[str]) -> Governance:
    """The `governance:` block of a profile.yaml (`where` names the file in messages)."""
    block = meta.get("governance")
    if not isinstance(block, dict):
        raise SetupError(
            f"{where} has no `governance:` block: every profile version states its status (adopted or "
            "proposed), effective day, authority and review date; see gridmod.governance."
        )

    def fail(field: str, message: str) -> SetupError:
        return SetupError(f"{where}: governance.{field}: {message}")

    def day(field: str, value: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        text = str(value)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise fail(field, f"{text!r} is not a day written YYYY-MM-DD.") from None

    status = block.get("status")
    if status not in STATUSES:
        raise fail("status", f"{status!r} is not one of {', '.join(STATUSES)}.")
    effective = day("effective", block.get("effective"))
    authority = block.get("authority") or {}
    if not isinstance(authority, dict) or not str(authority.get("document") or "").strip():
        raise fail("authority", "give the document that made or proposed this version: {document: ..., date: ...}.")
    issued = authority.get("date")
    issued = None if issued in (None, "") else str(issued)
    if issued is not None and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", issued):
        raise fail("authority.date", f"{issued!r} is not a day (YYYY-MM-DD) or a month (YYYY-MM).")
    if status == "adopted" and (effective is None or issued is None):
        raise fail("status", "an adopted version states its effective day and its authority's date.")
    review_by = day("review_by", block.get("review_by"))
    if review_by and effective and review_by <= effective:
        raise fail("review_by", f"{review_by.isoformat()} is not after the effective day {effective.isoformat()}.")
    proposed = []
    for entry in block.get("proposed") or []:
        item = str((entry or {}).get("item", ""))
        note = str((entry or {}).get("note", "")).strip()
        if item != "schedule" and item not in rule_codes:
            raise fail("proposed", f"{item!r} is neither `schedule` nor a rule code of this profile.")
        if not note:
            raise fail("proposed", f"the proposal {item!r} needs a note saying what is proposed and by whom.")
        proposed.append(Proposed(item, note))
    return Governance(
        status,
        effective,
        str(authority["document"]).strip(),
        issued,
        review_by,
        str(block.get("note") or "").strip(),
        tuple(proposed),
    )
