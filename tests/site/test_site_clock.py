"""The whole build is "as of" the build's clock (gridmod.clock), never of a filer's typed date: built on
2027-03-01, every status says so, and the January 2027 ICA reports nobody filed are missing."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gridmod.build import build

from ..conftest import repo_copy


def _epoch(day: date) -> str:
    return str(int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp()))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = repo_copy(tmp_path_factory.mktemp("clock"))
    descriptor = root / "data/pge/gmr-2026/datapackage.json"
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    meta["filing_date"] = "2026-10-20"  # a typed date that once moved the whole site's "today"
    descriptor.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", _epoch(date(2027, 3, 1)))
        result = build(root)
    assert result.published, [f.message for p in result.report.packages for f in p.findings if f.is_open]
    return root / "site"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_status_is_on_the_build_date(site: Path) -> None:
    said = {}
    for page in site.rglob("*.html"):
        for day in re.findall(r"[Ss]tatus on (\d{4}-\d{2}-\d{2})", _text(page.read_text(encoding="utf-8"))):
            said.setdefault(day, []).append(page.relative_to(site).as_posix())
    assert set(said) == {"2027-03-01"}, said
    assert {
        "index.html",
        "ica/index.html",
        "ica/remediation/index.html",
        "ica/workshops/index.html",
        "ica/pge/index.html",
        "ica/sce/index.html",
    } <= set(said["2027-03-01"])
    assert "Status as of 2027-03-01" in (site / "calendar.ics").read_text(encoding="utf-8").replace("\r\n ", "")


def test_the_january_ica_reports_nobody_filed_are_missing(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", home, flags=re.S) if "ica-2027-h1" in r)
    cells = [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    assert cells[0] == "2027-01-31" and cells[2:] == ["missing", "missing", "missing"], cells
    july = next(r for r in re.findall(r"<tr>.*?</tr>", home, flags=re.S) if "ica-2027-h2" in r)
    assert "missing" not in july and "upcoming" in july
