"""The filing calendar: deadlines from the ruling and the profile, statuses from the repository, the .ics feed."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import icalendar
import pytest

from gridmod.clock import build_clock, build_date
from gridmod.errors import InputError, SetupError
from gridmod.proceeding import EVENTS, ProceedingEvent, load_events
from gridmod.site.calendar import RULING, Series, filing_calendar, schedule_series
from gridmod.site.catalogue import load_profiles
from gridmod.site.ical import calendar_ics

from .sitefixtures import REPO

PROFILES = load_profiles(REPO)


def published(utility: str, filing_id: str, filed: str):
    """What the calendar reads of a published filing: its metadata, and no receipt (judged by its typed date)."""
    return SimpleNamespace(
        filing=SimpleNamespace(meta={"utility": utility, "filing_id": filing_id, "filing_date": filed}, record=None),
        model=None,
    )


def repo_with(tmp_path, *filings: str):
    for f in filings:
        (tmp_path / "data" / f).mkdir(parents=True)
        (tmp_path / "data" / f / "datapackage.json").write_text("{}", encoding="utf-8")
    return tmp_path


def deadline(calendar, filing_id: str):
    return next(d for d in calendar.deadlines if d.filing_id == filing_id)


def test_profile_states_the_report_deadline():
    gmr = next(s for s in schedule_series(PROFILES) if s.filing_id == "gmr-{year}")
    assert (gmr.month, gmr.day, gmr.years, gmr.first_year) == (10, 1, "even", 2026)
    assert "fall of even-numbered years" in gmr.source
    assert sum(1 for s in schedule_series(PROFILES) if s.filing_id == "gmr-{year}") == 1


def test_the_utilities_deadlines_are_their_profiles_and_the_cpucs_report_is_kept_here():
    """Without a profile only the CPUC's own report is on the calendar; each profile brings its filings'."""
    assert {s.key for s in schedule_series([])} == {s.key for s in RULING} == {"legislature"}
    series = schedule_series(PROFILES)
    ica = [s for s in series if s.key.startswith("ica")]
    assert {(s.key, s.month, s.day, s.filing_id) for s in ica} == {
        ("ica-h1", 1, 31, "ica-{year}-h1"),
        ("ica-h2", 7, 31, "ica-{year}-h2"),
    }
    assert all(s.source.startswith("D.24-10-030") for s in ica)
    legislature = next(s for s in series if s.key == "legislature")
    assert (legislature.month, legislature.day, legislature.years) == (2, 1, "odd")
    assert not legislature.by_utilities


def test_statuses_valid_late_received_missing_upcoming(tmp_path):
    root = repo_with(tmp_path, "pge/gmr-2026", "sce/gmr-2026", "sdge/gmr-2026")
    built = [published("pge", "gmr-2026", "2026-09-30"), published("sce", "gmr-2026", "2026-10-15")]
    calendar = filing_calendar(root, built, PROFILES, date(2027, 3, 1))  # type: ignore[arg-type]
    gmr = deadline(calendar, "gmr-2026")
    assert gmr.due == date(2026, 10, 1)
    assert {u: s.kind for u, s in gmr.statuses.items()} == {"pge": "valid", "sce": "late", "sdge": "received"}
    assert gmr.statuses["sce"].filing_date == date(2026, 10, 15)
    ica = deadline(calendar, "ica-2027-h1")
    assert ica.due == date(2027, 1, 31) and {s.kind for s in ica.statuses.values()} == {"missing"}
    assert {s.kind for s in deadline(calendar, "ica-2027-h2").statuses.values()} == {"upcoming"}
    legislature = [d for d in calendar.deadlines if d.series.key == "legislature"]
    assert [d.due for d in legislature] == [date(2027, 2, 1), date(2029, 2, 1)]
    assert all(not d.statuses for d in legislature)
    assert calendar.deadlines == sorted(calendar.deadlines, key=lambda d: (d.due, d.series.key))
    assert max(d.due for d in calendar.deadlines) <= date(2029, 3, 1)


def test_lateness_is_judged_by_the_first_receipt_not_the_typed_date(tmp_path):
    """A filing typed 2026-09-30 that landed on main on 2026-10-05 is late; one typed late that landed on time
    is not. Amendments later on do not move the date the filing arrived."""
    root = repo_with(tmp_path, "pge/gmr-2026", "sce/gmr-2026")
    typed_early = published("pge", "gmr-2026", "2026-09-30")
    typed_early.filing.record = SimpleNamespace(first=SimpleNamespace(accepted_day=date(2026, 10, 5)))
    typed_late = published("sce", "gmr-2026", "2026-10-09")
    typed_late.filing.record = SimpleNamespace(first=SimpleNamespace(accepted_day=date(2026, 10, 1)))
    calendar = filing_calendar(root, [typed_early, typed_late], PROFILES, date(2027, 3, 1))  # type: ignore[list-item]
    statuses = deadline(calendar, "gmr-2026").statuses
    assert (statuses["pge"].kind, statuses["pge"].filing_date) == ("late", date(2026, 10, 5))
    assert (statuses["sce"].kind, statuses["sce"].filing_date) == ("valid", date(2026, 10, 1))


def test_the_build_date_is_the_clocks_never_the_data(monkeypatch):
    """SOURCE_DATE_EPOCH when set, else today (UTC); a build pins it for its tools and lets it go after."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert build_date() == date(2027, 1, 15)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == datetime.now(tz=UTC).date()
    with build_clock() as day:
        assert day == build_date() and int(os.environ["SOURCE_DATE_EPOCH"]) % 86400 == 0
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2027-03-01")
    with pytest.raises(SetupError, match="whole seconds since 1970-01-01"):
        build_date()


def test_series_due_dates():
    series = Series("x", "X", "x-{year}", 2, 1, "odd", 2026, "test")
    assert series.due_dates(date(2031, 2, 1)) == [
        (2027, date(2027, 2, 1)),
        (2029, date(2029, 2, 1)),
        (2031, date(2031, 2, 1)),
    ]


@pytest.fixture
def ics(tmp_path) -> bytes:
    root = repo_with(tmp_path, "pge/gmr-2026")
    built = [published("pge", "gmr-2026", "2026-10-01")]
    calendar = filing_calendar(root, built, PROFILES, date(2026, 10, 1))  # type: ignore[arg-type]
    return calendar_ics(calendar, "Deadlines, R.21-06-017; test", sample=True)


def unfolded(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_follows_rfc_5545(ics):
    assert ics.endswith(b"\r\n") and b"\n" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75, line
    lines = unfolded(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert "X-WR-CALNAME:Deadlines\\, R.21-06-017\\; test" in lines
    events = ics.decode().count("BEGIN:VEVENT")
    assert events == ics.decode().count("END:VEVENT") > 3
    for key in ("UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:"):
        assert sum(1 for line in lines if line.startswith(key)) == events, key
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids) and "UID:gmr-2026@gridmod.r21-06-017" in uids
    assert "DTSTART;VALUE=DATE:20261001" in lines and "DTEND;VALUE=DATE:20261002" in lines
    assert set(line for line in lines if line.startswith("DTSTAMP:")) == {"DTSTAMP:20261001T000000Z"}
    description = next(line for line in lines if line.startswith("DESCRIPTION:Biennial"))
    assert "PG&E: valid" in description and "SAMPLE" in description


def test_ics_is_the_same_on_every_build(tmp_path):
    root = repo_with(tmp_path)
    one = calendar_ics(filing_calendar(root, [], PROFILES, date(2026, 10, 1)), "x")
    two = calendar_ics(filing_calendar(root, [], PROFILES, date(2026, 10, 1)), "x")
    assert one == two and b"SAMPLE" not in one


def test_the_feed_has_the_proceedings_dates_with_their_sources_and_reminders():
    """The comment, reply, workshop and series-end dates of events.csv, each with the document that sets it;
    the series end and its Tier 3 advice letter with a reminder ahead; the undated TSO-DSO workshop is on the
    site's list, not in the feed."""
    calendar = filing_calendar(REPO, [], PROFILES, date(2026, 12, 7))  # type: ignore[arg-type]
    feed = icalendar.Calendar.from_ical(calendar_ics(calendar, "x"))
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    expected = {
        "comments-2026-04-13": "ordering paragraph 1",
        "reply_comments-2026-04-20": "ordering paragraph 1",
        "presentation_materials-2026-04-22": "ordering paragraph 3",
        "workshop-2026-04-29": "ordering paragraph 2",
        "series_end-2029-05-06": "D.24-10-030 OP 35",
        "advice_letter-2029-05-06": "D.24-10-030 OP 35",
    }
    for key, source in expected.items():
        event = events[f"{key}@gridmod.r21-06-017"]
        assert event.decoded("dtstart") == date.fromisoformat(key[-10:]), key
        assert f"Source: {source}" in str(event["description"]) or source in str(event["description"]), key
    end = events["series_end-2029-05-06@gridmod.r21-06-017"]
    assert "sixty days after the fourth anniversary" in str(end["summary"])
    assert [a.decoded("trigger") for a in end.walk("VALARM")] == [-timedelta(days=60)]
    letter = events["advice_letter-2029-05-06@gridmod.r21-06-017"]
    assert "Tier 3" in str(letter["summary"]) and [a.decoded("trigger") for a in letter.walk("VALARM")] == [
        -timedelta(days=90)
    ]
    assert not any("with CAISO" in str(e["summary"]) for e in events.values())
    undated = [e for e in calendar.events if e.day is None]
    assert [e.title for e in undated] == ["TSO-DSO coordination workshop with CAISO (date to be set)"]
    assert len(events) == len(calendar.deadlines) + len(calendar.events) - 1


def test_the_newest_filing_of_a_utility_brings_its_workshops(tmp_path):
    """An ICA filing's workshops reach the calendar from the newest filing of each utility only, marked as a
    sample's when the filing is one."""

    def with_workshops(utility, filing_id, filed, *days):
        b = published(utility, filing_id, filed)
        b.filing.meta["profile"] = "ica-biannual"
        events = [
            ProceedingEvent(
                date.fromisoformat(d),
                f"{filing_id} workshop",
                "workshop",
                filing_id,
                None,
                utility=utility,
                sample=True,
            )
            for d in days
        ]
        b.model = SimpleNamespace(calendar_events=lambda: events)
        return b

    older = with_workshops("pge", "ica-2026-h1", "2026-01-31", "2026-03-26", "2026-06-25")
    newer = with_workshops("pge", "ica-2026-h2", "2026-07-31", "2026-06-25", "2026-09-24")
    calendar = filing_calendar(repo_with(tmp_path), [newer, older], PROFILES, date(2026, 8, 1))  # type: ignore[list-item]
    assert [(e.day.isoformat(), e.title) for e in calendar.events if e.day] == [
        ("2026-06-25", "ica-2026-h2 workshop"),
        ("2026-09-24", "ica-2026-h2 workshop"),
    ]
    feed = icalendar.Calendar.from_ical(calendar_ics(calendar, "x"))
    workshops = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("pge-workshop-")]
    assert len(workshops) == 2 and all(str(e["summary"]).startswith("SAMPLE: ") for e in workshops)
    assert "SAMPLE" in str(workshops[0]["description"])


def test_a_broken_events_file_is_named_cell_by_cell(tmp_path):
    path = tmp_path / EVENTS
    path.parent.mkdir(parents=True)
    path.write_text(
        "date,title,kind,source,remind_days\n"
        "2026-04-31,Comments,comments,ACR,7\n"
        ",Workshop,party,,\n"
        ",Undated,workshop,ACR,10\n"
        "2026-04-20,Reply,reply_comments,ACR,\n"
        "2026-04-20,Reply again,reply_comments,ACR,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_events(tmp_path)
    message = str(caught.value)
    assert "have 5 problem(s)" in message, message
    assert f"{EVENTS}:2:1: date: '2026-04-31' is not a day written YYYY-MM-DD" in message
    assert f"{EVENTS}:3:3: kind: 'party' is not one of comments" in message
    assert f"{EVENTS}:3:4: source: required" in message
    assert f"{EVENTS}:4:5: remind_days: an event whose date is still to be set has no reminder." in message
    assert f"{EVENTS}:6:3: kind: a reply_comments event on 2026-04-20 is already on line 5." in message
    assert load_events(tmp_path / "nowhere") == []


def test_the_series_end_in_events_is_the_one_the_ica_profile_derives():
    """events.csv states the end of the workshop series; the ICA profile derives it from the first workshop
    (D.24-10-030 OP 35): the two agree."""
    from gridmod.ica.workshops import series_end

    ica = next(p for p in PROFILES if p.name == "ica-biannual" and p.version == "1.1")
    derived = series_end(ica.meta["workshops"])
    stated = [e.day for e in load_events(REPO) if e.kind in ("series_end", "advice_letter")]
    assert stated == [derived, derived] == [date(2029, 5, 6)] * 2
