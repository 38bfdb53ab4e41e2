"""The proceeding's own records, which Energy Division owns: the register of advice letters
(validation/proceeding/advice-letters.csv) and the proceeding's dates (validation/proceeding/events.csv).

A utility changes parts of what the proceeding requires by advice letter (General Order 96-B): a joint Tier 2
letter may change the ICA workshops' frequency (ruling of 2026-03-23, §5), a Tier 3 letter carries a
remediation plan or extends or ends the workshop series. The register records each letter, and the checks
that depend on one read it here. A register that breaks its rules stops validation and the build with every
broken cell named at its line and column (exit code 1): a check must never run on a register it cannot trust.

The events are the dates the ruling and the decisions it cites set that are no utility's filing: comments,
reply comments, workshops, the end of the ICA workshop series. The site's calendar and its iCalendar feed
show them beside the report deadlines, each with the document that sets it; an event whose date is still to
be set is listed on the site and left out of the feed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gridmod.errors import InputError

REGISTER = "validation/proceeding/advice-letters.csv"
COLUMNS = ["utility", "number", "tier", "purpose", "filed", "disposition", "effective", "cadence", "answers", "title"]
UTILITIES = ("pge", "sce", "sdge", "joint")
PURPOSES = (
    "ica_remediation_plan",
    "workshop_cadence",
    "workshop_extension",
    "workshop_sunset",
    "appendix_a_change",
    "other",
)
PURPOSE_TITLES = {
    "ica_remediation_plan": "ICA remediation plan",
    "workshop_cadence": "ICA workshop cadence",
    "workshop_extension": "ICA workshop series extended",
    "workshop_sunset": "ICA workshop series ended",
    "appendix_a_change": "Appendix A change",
    "other": "other",
}
DISPOSITIONS = ("pending", "effective", "rejected", "withdrawn")
CADENCES = ("quarterly", "biannual")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

EVENTS = "validation/proceeding/events.csv"
EVENT_COLUMNS = ["date", "title", "kind", "source", "remind_days"]
EVENT_KINDS = (
    "comments",
    "reply_comments",
    "presentation_materials",
    "workshop",
    "series_end",
    "advice_letter",
    "other",
)


@dataclass(frozen=True)
class AdviceLetter:
    utility: str
    number: str
    tier: int
    purpose: str
    filed: date
    disposition: str
    effective: date | None
    cadence: str | None
    answers: str
    title: str
    line: int  # in the register, for messages

    @property
    def label(self) -> str:
        """How the site and the findings name the letter: 'AL 7654-E (PG&E, Tier 3)'."""
        who = {"pge": "PG&E", "sce": "SCE", "sdge": "SDG&E", "joint": "joint"}[self.utility]
        return f"AL {self.number} ({who}, Tier {self.tier})"


def load_register(root: Path) -> list[AdviceLetter]:
    """Every letter of the register, in its order; none when the repository has no register. InputError
    (exit code 1) listing each broken cell when the register breaks a rule."""
    problems: list[str] = []
    letters: list[AdviceLetter] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _read(root, REGISTER, COLUMNS, problems):
        letter = _letter(row, line, problems)
        if letter is None:
            continue
        earlier = seen.setdefault((letter.utility, letter.number), line)
        if earlier != line:
            problems.append(_at(line, "number", f"{letter.label} is already on line {earlier}."))
            continue
        letters.append(letter)
    _stop_on(problems, f"The register of advice letters ({REGISTER}) has")
    return letters


def _read(root: Path, rel: str, columns: list[str], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The non-empty rows of one of the proceeding's records, by line, cells stripped; none when the file is
    not there. A row of the wrong width is a problem and left out; an unreadable file or a wrong header
    stops at once (InputError)."""
    path = root / rel
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{rel} is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8.") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != columns:
        raise InputError(f"{rel}:1:1: the header must be {','.join(columns)}.")
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(f"{rel}:{line}:1: the row has {len(cells)} cells; the header has {len(columns)}.")
            continue
        out.append((line, dict(zip(columns, (c.strip() for c in cells), strict=True))))
    return out


def _stop_on(problems: list[str], intro: str) -> None:
    if problems:
        raise InputError(f"{intro} {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems))


def _day(value: str) -> date:
    """A day written YYYY-MM-DD; ValueError for anything else (another form, or a day that does not exist)."""
    if not DAY.fullmatch(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _at(line: int, column: str, message: str) -> str:
    return f"{REGISTER}:{line}:{COLUMNS.index(column) + 1}: {column}: {message}"


@dataclass(frozen=True)
class ProceedingEvent:
    day: date | None  # None: the date is still to be set
    title: str
    kind: str
    source: str  # the document and paragraph that sets it
    remind_days: int | None  # a reminder this many days ahead, in the iCalendar feed
    line: int = 0  # in events.csv; 0 for an event a filing lists
    utility: str | None = None  # the utility that holds it (a workshop its filing lists); None: the proceeding's
    url: str | None = None
    sample: bool = False  # listed by a synthetic sample filing

    @property
    def day_key(self) -> date:
        """For sorting: the day, or after every day while it is to be set."""
        return self.day or date.max

    @property
    def uid(self) -> str:
        """Stable across builds and edits of the title: who, the kind and the day (or the line, while undated)."""
        when = self.day.isoformat() if self.day else f"line-{self.line}"
        return f"{self.utility + '-' if self.utility else ''}{self.kind}-{when}@gridmod.r21-06-017"


def load_events(root: Path) -> list[ProceedingEvent]:
    """The proceeding's dates, by day (undated last); none when the repository has no events.csv.
    InputError (exit code 1) listing each broken cell, as for the register."""
    problems: list[str] = []
    events: list[ProceedingEvent] = []
    seen: dict[tuple[str, date], int] = {}
    for line, row in _read(root, EVENTS, EVENT_COLUMNS, problems):
        event = _event(row, line, problems)
        if event is None:
            continue
        if event.day is not None:
            earlier = seen.setdefault((event.kind, event.day), line)
            if earlier != line:
                problems.append(
                    _event_at(line, "kind", f"a {event.kind} event on {event.day} is already on line {earlier}.")
                )
                continue
        events.append(event)
    _stop_on(problems, f"The proceeding's events ({EVENTS}) have")
    return sorted(events, key=lambda e: (e.day_key, e.line))


def _event_at(line: int, column: str, message: str) -> str:
    return f"{EVENTS}:{line}:{EVENT_COLUMNS.index(column) + 1}: {column}: {message}"


def _event(row: dict[str, str], line: int, problems: list[str]) -> ProceedingEvent | None:
    before = len(problems)
    day = None
    if row["date"]:
        try:
            day = _day(row["date"])
        except ValueError:
            problems.append(
                _event_at(line, "date", f"{row['date']!r} is not a day written YYYY-MM-DD (or empty: to be set).")
            )
    required = {"title": "what happens.", "source": "the document that sets the date."}
    for column, what in required.items():
        if not row[column]:
            problems.append(_event_at(line, column, f"required: {what}"))
    if row["kind"] not in EVENT_KINDS:
        problems.append(
            _event_at(line, "kind", f"{row['kind'] or '(empty)'!r} is not one of {', '.join(EVENT_KINDS)}.")
        )
    remind = None
    if row["remind_days"]:
        if not row["remind_days"].isdigit() or not 1 <= int(row["remind_days"]) <= 366:
            problems.append(
                _event_at(line, "remind_days", f"{row['remind_days']!r} is not a number of days from 1 to 366.")
            )
        elif not row["date"]:
            problems.append(_event_at(line, "remind_days", "an event whose date is still to be set has no reminder."))
        elif day is not None:
            remind = int(row["remind_days"])
    if len(problems) > before:
        return None
    return ProceedingEvent(day, row["title"], row["kind"], row["source"], remind, line)


def _letter(row: dict[str, str], line: int, problems: list[str]) -> AdviceLetter | None:
    before = len(problems)

    def one_of(column: str, allowed: tuple[str, ...]) -> str:
        if row[column] not in allowed:
            problems.append(_at(line, column, f"{row[column] or '(empty)'!r} is not one of {', '.join(allowed)}."))
        return row[column]

    def day(column: str, required: bool) -> date | None:
        value = row[column]
        if not value:
            if required:
                problems.append(_at(line, column, "a date (YYYY-MM-DD) is required."))
            return None
        try:
            return _day(value)
        except ValueError:
            problems.append(_at(line, column, f"{value!r} is not a day written YYYY-MM-DD."))
            return None

    utility = one_of("utility", UTILITIES)
    if not row["number"]:
        problems.append(_at(line, "number", "the letter's number is required."))
    tier = int(row["tier"]) if row["tier"] in ("1", "2", "3") else 0
    if not tier:
        problems.append(_at(line, "tier", f"{row['tier'] or '(empty)'!r} is not a tier: write 1, 2 or 3."))
    purpose = one_of("purpose", PURPOSES)
    filed = day("filed", True)
    disposition = one_of("disposition", DISPOSITIONS)
    effective = day("effective", disposition == "effective")
    if effective and disposition != "effective":
        problems.append(
            _at(line, "effective", f"only an effective letter has an effective day; this one is {disposition}.")
        )
    if filed and effective and effective < filed:
        problems.append(
            _at(line, "effective", f"{effective.isoformat()} is before the letter was filed ({filed.isoformat()}).")
        )
    cadence = row["cadence"] or None
    if purpose == "workshop_cadence":
        one_of("cadence", CADENCES)
        if utility != "joint" or tier != 2:
            problems.append(
                _at(
                    line,
                    "purpose",
                    "a change of the workshops' frequency is a joint Tier 2 advice letter (ruling of "
                    "2026-03-23, §5): write utility joint and tier 2.",
                )
            )
    elif cadence:
        problems.append(_at(line, "cadence", "only a workshop_cadence letter sets a cadence; leave it empty."))
    if len(problems) > before or filed is None:
        return None
    return AdviceLetter(
        utility,
        row["number"],
        tier,
        purpose,
        filed,
        disposition,
        effective,
        cadence,
        row["answers"],
        row["title"],
        line,
    )


def cadence_changes(letters: list[AdviceLetter]) -> list[AdviceLetter]:
    """The effective workshop-cadence letters, by effective day."""
    changes = [x for x in letters if x.purpose == "workshop_cadence" and x.disposition == "effective"]
    return sorted(changes, key=lambda x: (x.effective or date.max, x.line))
