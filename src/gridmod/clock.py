"""The build's clock: the one date every status of a build is "as of".

Whether a deadline is missed, an action overdue or a workshop period over depends on the day it is judged,
never on what a filer typed. A build takes that day from SOURCE_DATE_EPOCH when it is set (the publish
workflow sets it from the time of its run and runs daily, so a deadline nobody met turns "missing" the next
day with nobody filing; a rebuild with the same value gives the same bytes), else from this machine's clock.
Days are UTC days.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from gridmod.errors import SetupError

EPOCH = "SOURCE_DATE_EPOCH"


def build_date() -> date:
    """The build's day: SOURCE_DATE_EPOCH (seconds since 1970-01-01 UTC) if set, else today (UTC)."""
    value = os.environ.get(EPOCH)
    if value is None or not value.strip():
        return datetime.now(tz=UTC).date()
    if not value.strip().isdigit():
        raise SetupError(
            f"{EPOCH} is {value!r}; it must be whole seconds since 1970-01-01 UTC, e.g. "
            "`date +%s` or `date -d 2027-03-01 +%s`."
        )
    return datetime.fromtimestamp(int(value), tz=UTC).date()


@contextmanager
def build_clock() -> Iterator[date]:
    """The whole build on one day: unless the caller set SOURCE_DATE_EPOCH, it is set to the start of today for
    the build, so that every stage and every tool that stamps its files (MkDocs' sitemap) says the same day."""
    if os.environ.get(EPOCH, "").strip():
        yield build_date()
        return
    today = build_date()
    os.environ[EPOCH] = str(int(datetime.combine(today, datetime.min.time(), tzinfo=UTC).timestamp()))
    try:
        yield today
    finally:
        os.environ.pop(EPOCH, None)
