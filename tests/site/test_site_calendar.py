"""The filing calendar: deadlines from the ruling and the profile, statuses from the repository, the .ics feed."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from gridmod.clock import build_clock, build_date
from gridmod.errors import SetupError
from gridmod.site.calendar import RULING, Series, filing_calendar, schedule_series
from gridmod.site.catalogue import load_profiles
from gridmod.site.ical import calendar_ics, fold, text

from .sitefixtures import REPO

PROFILES = load_profiles(REPO)


def published(utility: str, filing_id: str, filed: str):
    """What the calendar reads of a published filing: its metadata, and no receipt (judged by its typed date)."""
    return SimpleNamespace(
        filing=SimpleNamespace(meta={"utility": utility, "filing_id": filing_id, "filing_date": filed}, record=None)
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


def test_text_escaping_and_folding():
    assert text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 80)
    parts = folded.split("\r\n ")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert "".join(parts) == "DESCRIPTION:" + "é" * 80  # no character split
