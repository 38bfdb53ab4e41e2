"""The filing calendar as an iCalendar feed (RFC 5545) that readers subscribe to in their calendar app.

One all-day event per deadline. The feed is deterministic: DTSTAMP is the calendar's as-of date, not the
build time, and UIDs are derived from the filing, so one commit always writes the same bytes and a
calendar app updates an event instead of adding a copy.
"""

from __future__ import annotations

from datetime import timedelta

from gridmod.site.calendar import Calendar, Deadline
from gridmod.utilities import utility as names_of

PRODID = "-//CPUC Energy Division//gridmod R.21-06-017 filing calendar//EN"


def calendar_ics(calendar: Calendar, name: str, *, sample: bool = False) -> bytes:
    stamp = calendar.as_of.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(name)}",
    ]
    for deadline in calendar.deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{deadline.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(deadline.due + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{text(summary(deadline))}",
            f"DESCRIPTION:{text(description(deadline, calendar, sample))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def summary(deadline: Deadline) -> str:
    if deadline.filing_id:
        return f"Due: {deadline.series.title} ({deadline.filing_id})"
    return deadline.series.title


def description(deadline: Deadline, calendar: Calendar, sample: bool) -> str:
    parts = [f"{deadline.series.title}. {deadline.series.source}."]
    if deadline.statuses:
        statuses = ", ".join(f"{names_of(u).short}: {s.label}" for u, s in deadline.statuses.items())
        parts.append(f"Status as of {calendar.as_of.isoformat()}: {statuses}.")
    if sample:
        parts.append("SAMPLE: the filings behind these statuses are synthetic data, not the utilities' filings.")
    return "\n".join(parts)


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)
