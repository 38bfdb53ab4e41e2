"""The proceeding's calendar: every filing deadline with, per utility, the status of its filing, and the
proceeding's other dates.

Each profile states the deadlines of its filings under `schedule:` in its profile.yaml, from the ruling and
the decisions it cites (the ruling says "in the fall of even-numbered years" for the Appendix A report and
names no day, so the day is Energy Division's to set); the CPUC's own report to the Legislature is the one
date kept here. Statuses are computed from the repository, never typed in:

- valid: the filing passed validation and is published, filed on or before the deadline;
- late: published, but filed after the deadline;
- received: the filing is in the repository but not published (it has not passed validation);
- missing: the deadline has passed and the repository holds no filing;
- upcoming: the deadline is still ahead.

Beside the deadlines stand the proceeding's events (validation/proceeding/events.csv: comments, workshops,
the end of the ICA workshop series, each with the document that sets it) and the events the newest published
filing of each utility and profile lists (its report model's `calendar_events`, such as the ICA workshops a
utility holds and schedules).

"Now" is the build's date (gridmod.clock: SOURCE_DATE_EPOCH when set, to rebuild the site of a given day; else
the day of the run, which the publish workflow repeats daily), never a filing's typed date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gridmod.errors import SetupError
from gridmod.outputs import BuiltFiling
from gridmod.proceeding import ProceedingEvent, load_events
from gridmod.spec import Profile
from gridmod.utilities import UTILITIES

HORIZON_YEARS = 2


@dataclass(frozen=True)
class Series:
    """A recurring deadline: who files what, when, from which year, and on whose authority."""

    key: str
    title: str
    filing_id: str | None  # e.g. "gmr-{year}"; None for a report the CPUC publishes itself
    month: int
    day: int
    years: str  # "even", "odd" or "every"
    first_year: int
    source: str
    by_utilities: bool = True
    proposed: str | None = None  # the profile's note when its filing calendar is only proposed

    def due_dates(self, until: date) -> list[tuple[int, date]]:
        out = []
        for year in range(self.first_year, until.year + 1):
            if (self.years == "even" and year % 2) or (self.years == "odd" and not year % 2):
                continue
            due = date(year, self.month, self.day)
            if due <= until:
                out.append((year, due))
        return out


# Dates of the proceeding that no utility files: the CPUC's own report. The utilities' filings are due as
# their profiles' `schedule:` says; a profile whose schedule names the same key or filing_id replaces an
# entry here.
RULING: list[Series] = [
    Series(
        "legislature",
        "CPUC Grid Modernization Report to the Governor and Legislature",
        None,
        2,
        1,
        "odd",
        2027,
        "Pub. Util. Code § 913.6 (AB 242): published February 1 of odd-numbered years",
        by_utilities=False,
    ),
]


@dataclass
class Status:
    kind: str  # valid, late, received, missing, upcoming
    filing_date: date | None = None
    built: BuiltFiling | None = None

    @property
    def label(self) -> str:
        return {
            "valid": "valid",
            "late": "late",
            "received": "received, not published",
            "missing": "missing",
            "upcoming": "upcoming",
        }[self.kind]


@dataclass
class Deadline:
    series: Series
    year: int
    due: date
    statuses: dict[str, Status] = field(default_factory=dict)  # utility code -> status

    @property
    def filing_id(self) -> str | None:
        return self.series.filing_id.format(year=self.year) if self.series.filing_id else None

    @property
    def uid(self) -> str:
        return f"{self.filing_id or f'{self.series.key}-{self.year}'}@gridmod.r21-06-017"


@dataclass
class Calendar:
    as_of: date
    deadlines: list[Deadline]
    events: list[ProceedingEvent] = field(default_factory=list)  # by day, the ones still to be set last

    def upcoming(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.due >= self.as_of]

    @property
    def dated(self) -> list[ProceedingEvent]:
        return [e for e in self.events if e.day is not None]


def schedule_series(profiles: list[Profile]) -> list[Series]:
    """The ruling's series, with each profile's own `schedule` entries in place of the ones they name."""
    stated: dict[str, Series] = {}
    for profile in profiles:
        entries = profile.meta.get("schedule") or []
        for entry in entries if isinstance(entries, list) else [entries]:
            series = _series_of(profile, entry)
            stated[series.filing_id or series.key] = series
    kept = [s for s in RULING if (s.filing_id or s.key) not in stated]
    return sorted([*kept, *stated.values()], key=lambda s: (s.month, s.day, s.key))


def _series_of(profile: Profile, entry: dict[str, Any]) -> Series:
    try:
        month, day = (int(p) for p in str(entry["due"]).split("-"))
        date(2000, month, day)
    except (KeyError, ValueError) as exc:
        raise SetupError(
            f"The schedule of profile {profile.name} {profile.version} gives no due date as MM-DD "
            f"({entry.get('due')!r})."
        ) from exc
    return Series(
        key=str(entry.get("key", profile.name)),
        title=str(entry.get("title", profile.meta.get("title", profile.name))),
        filing_id=str(entry["filing_id"]),
        month=month,
        day=day,
        years=str(entry.get("years", "every")),
        first_year=int(entry["first_year"]),
        source=str(entry.get("source", f"profile {profile.name} {profile.version}")),
        proposed=proposal.note if (proposal := profile.governance.proposal("schedule")) else None,
    )


def filing_calendar(root: Path, built: list[BuiltFiling], profiles: list[Profile], as_of: date) -> Calendar:
    """Deadlines from each series' first year to HORIZON_YEARS after `as_of`, with each utility's status."""
    until = date(as_of.year + HORIZON_YEARS, as_of.month, min(as_of.day, 28))
    published = {(str(b.filing.meta.get("utility")), str(b.filing.meta.get("filing_id"))): b for b in built}
    in_repo = _filings_in_repository(root)
    deadlines = []
    for series in schedule_series(profiles):
        for year, due in series.due_dates(until):
            deadline = Deadline(series, year, due)
            if series.by_utilities:
                for utility in UTILITIES:
                    deadline.statuses[utility] = _status(
                        published.get((utility, deadline.filing_id or "")),
                        (utility, deadline.filing_id or "") in in_repo,
                        due,
                        as_of,
                    )
            deadlines.append(deadline)
    deadlines.sort(key=lambda d: (d.due, d.series.key))
    events = [*load_events(root), *filing_events(built)]
    events.sort(key=lambda e: (e.day or date.max, e.utility or "", e.line, e.title))
    return Calendar(as_of, deadlines, events)


def filing_events(built: list[BuiltFiling]) -> list[ProceedingEvent]:
    """The events the newest published filing of each utility and profile lists (an earlier filing's list is
    superseded by the newer one's)."""
    newest: dict[tuple[str, str], BuiltFiling] = {}
    for b in built:
        key = (str(b.filing.meta.get("utility")), str(b.filing.meta.get("profile")))
        when = _filing_date(b.filing.meta) or date.min
        if key not in newest or when > (_filing_date(newest[key].filing.meta) or date.min):
            newest[key] = b
    events: list[ProceedingEvent] = []
    for b in newest.values():
        listed = getattr(b.model, "calendar_events", None)
        if callable(listed):
            events += listed()
    return events


def _status(built: BuiltFiling | None, in_repo: bool, due: date, as_of: date) -> Status:
    if built is not None:
        # Judged by when the filing arrived (its first receipt), not by the date typed into it; a filing
        # not yet on the record (a pull request's preview) by its typed date.
        record = built.filing.record
        filed = record.first.accepted_day if record and record.first else _filing_date(built.filing.meta)
        late = filed is not None and filed > due
        return Status("late" if late else "valid", filed, built)
    if in_repo:
        return Status("received")
    return Status("missing" if due < as_of else "upcoming")


def _filings_in_repository(root: Path) -> set[tuple[str, str]]:
    """(utility, filing_id) of every filing folder under data/, valid or not."""
    data = root / "data"
    if not data.is_dir():
        return set()
    return {(p.parent.parent.name, p.parent.name) for p in data.glob("*/*/datapackage.json")}


def _filing_date(meta: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(meta.get("filing_date")))
    except ValueError:
        return None
