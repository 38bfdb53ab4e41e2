"""The proceeding's calendar as an iCalendar feed (RFC 5545) that readers subscribe to in their calendar app.

One all-day event per filing deadline and per dated event of the proceeding (comments, workshops, the end of
the ICA workshop series; a utility's ICA workshops as its newest filing lists them), each with the document
that sets it in its description; an event with `remind_days` carries a reminder that many days ahead
(VALARM). The icalendar library writes the feed (escaping, folding, line ends). The feed is deterministic:
DTSTAMP is the calendar's as-of date, not the build time, and UIDs are derived from the filing or the event,
so one commit always writes the same bytes and a calendar app updates an event instead of adding a copy.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from gridmod.proceeding import ProceedingEvent
from gridmod.site.calendar import Calendar, Deadline
from gridmod.utilities import utility as names_of

PRODID = "-//CPUC Energy Division//gridmod R.21-06-017 filing calendar//EN"
SAMPLE_NOTE = "SAMPLE: the filings behind these statuses are synthetic data, not the utilities' filings."
SAMPLE_EVENT = "SAMPLE: a synthetic sample filing lists this workshop; it is not the utility's."


def calendar_ics(calendar: Calendar, name: str, *, sample: bool = False) -> bytes:
    feed = icalendar.Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", icalendar.vText(name))
    stamp = datetime(calendar.as_of.year, calendar.as_of.month, calendar.as_of.day, tzinfo=UTC)
    for deadline in calendar.deadlines:
        feed.add_component(
            _event(deadline.uid, stamp, deadline.due, summary(deadline), description(deadline, calendar, sample))
        )
    for event in calendar.dated:
        feed.add_component(_proceeding_event(event, stamp))
    return bytes(feed.to_ical())


def _event(uid: str, stamp: datetime, day: date, title: str, text: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", title)
    event.add("description", text)
    event.add("transp", "TRANSPARENT")
    return event


def _proceeding_event(event: ProceedingEvent, stamp: datetime) -> icalendar.Event:
    parts = [f"{event.title}.", f"Source: {event.source}."]
    if event.url:
        parts.append(f"Materials: {event.url}")
    if event.sample:
        parts.append(SAMPLE_EVENT)
    assert event.day is not None  # the feed has the dated events only (Calendar.dated)
    title = f"SAMPLE: {event.title}" if event.sample else event.title
    out = _event(event.uid, stamp, event.day, title, "\n".join(parts))
    if event.url:
        out.add("url", event.url)
    if event.remind_days:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"In {event.remind_days} days: {event.title}")
        alarm.add("trigger", timedelta(days=-event.remind_days))
        out.add_component(alarm)
    return out


def summary(deadline: Deadline) -> str:
    if deadline.filing_id:
        proposed = ", proposed date" if deadline.series.proposed else ""
        return f"Due: {deadline.series.title} ({deadline.filing_id}{proposed})"
    return deadline.series.title


def description(deadline: Deadline, calendar: Calendar, sample: bool) -> str:
    parts = [f"{deadline.series.title}. {deadline.series.source}."]
    if deadline.series.proposed:
        parts.append(f"Proposed, not adopted: {deadline.series.proposed}")
    if deadline.statuses:
        statuses = ", ".join(f"{names_of(u).short}: {s.label}" for u, s in deadline.statuses.items())
        parts.append(f"Status as of {calendar.as_of.isoformat()}: {statuses}.")
    if sample:
        parts.append(SAMPLE_NOTE)
    return "\n".join(parts)
