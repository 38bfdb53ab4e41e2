"""The ledger as a record: every line a receipt, numbers never reused, revisions in order; and the samples'."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gridmod.accept import accept
from gridmod.record import LEDGER, SAMPLE_LEDGER, LedgerError, Receipt, load_ledger
from gridmod.record.ledger import read_ledger

from ..conftest import ROOT


def _receipt(**changes) -> Receipt:
    base = dict(
        accession="GM-2026-PGE-0001",
        filing="data/pge/gmr-2026",
        utility="pge",
        filing_id="gmr-2026",
        revision=1,
        supersedes=None,
        reason=None,
        accepted_at=datetime(2026, 10, 2, 6, 30, tzinfo=UTC),
        filing_date=date(2026, 10, 1),
        commit="a" * 40,
        package_sha256="b" * 64,
        profile="gmr-appendix-a",
        profile_version="1.0",
        gridmod_version="0.1.0",
        findings_digest="sha256:" + "c" * 64,
        counts={"error": 0, "warning": 1, "explain": 0},
        attested_by={"name": "Jane Doe", "title": "Vice President", "date": "2026-09-30"},
        sample=False,
    )
    return Receipt(**{**base, **changes})


def _write(tmp: Path, *lines: str) -> Path:
    path = tmp / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_a_receipt_reads_back_as_written() -> None:
    receipt = _receipt()
    assert Receipt.from_dict(json.loads(receipt.to_json()), "here") == receipt


def test_deadlines_use_the_california_date() -> None:
    receipt = _receipt()  # 06:30 UTC on 2 October is 23:30 on 1 October in California
    assert receipt.accepted_day == date(2026, 10, 1)
    assert receipt.days_from_typed_date == 0
    assert _receipt(filing_date=date(2026, 9, 20)).days_from_typed_date == 11


def test_numbers_count_per_utility_and_year(tmp_path: Path) -> None:
    ledger = read_ledger(
        _write(
            tmp_path,
            _receipt().to_json(),
            _receipt(accession="GM-2026-SCE-0001", filing="data/sce/gmr-2026", utility="sce").to_json(),
        ),
        LEDGER,
        sample=False,
    )
    assert ledger.next_accession("pge", 2026) == "GM-2026-PGE-0002"
    assert ledger.next_accession("pge", 2027) == "GM-2027-PGE-0001"
    assert ledger.next_accession("sdge", 2026) == "GM-2026-SDGE-0001"
    assert ledger.next_accession("pge", 2026, sample=True) == "GM-2026-PGE-S0001"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["{not json"],
            "record/ledger.jsonl line 1: not a JSON object (Expecting property name enclosed in double quotes).",
        ),
        (["[1, 2]"], "record/ledger.jsonl line 1: not a JSON object."),
        (
            ['{"accession": "GM-2026-PGE-0001"}'],
            "record/ledger.jsonl line 1: not a receipt (missing filing, utility, "
            "filing_id, revision, supersedes, reason, accepted_at, filing_date, commit, package_sha256, profile, "
            "profile_version, gridmod_version, findings_digest, counts, attested_by, sample).",
        ),
        (
            [_receipt().to_json().replace('"revision": 1', '"revision": "1"')],
            "record/ledger.jsonl line 1: revision is '1', which is not a whole number.",
        ),
        (
            [_receipt().to_json().replace("2026-10-02T06:30:00Z", "2026-10-02 06:30")],
            "record/ledger.jsonl line 1: accepted_at must read YYYY-MM-DDTHH:MM:SSZ and filing_date YYYY-MM-DD.",
        ),
        (
            [_receipt().to_json(), _receipt().to_json()],
            "record/ledger.jsonl line 2: accession number GM-2026-PGE-0001 is issued twice.",
        ),
        (
            [_receipt(revision=2, supersedes="GM-2026-PGE-0007", reason="x").to_json()],
            "record/ledger.jsonl line 1: data/pge/gmr-2026 revision 2 follows no receipt; it must be revision 1.",
        ),
        (
            [
                _receipt().to_json(),
                _receipt(accession="GM-2026-PGE-0002", revision=2, supersedes="GM-2026-PGE-0009", reason="x").to_json(),
            ],
            "record/ledger.jsonl line 2: GM-2026-PGE-0002 supersedes GM-2026-PGE-0009; it must supersede "
            "GM-2026-PGE-0001.",
        ),
        (
            [_receipt(sample=True).to_json()],
            "record/ledger.jsonl line 1: GM-2026-PGE-0001 says sample true, but no sample receipt belongs in "
            "record/ledger.jsonl.",
        ),
    ],
)
def test_a_ledger_that_is_not_a_record_is_refused_at_its_line(tmp_path: Path, lines: list[str], message: str) -> None:
    _write(tmp_path, *lines)
    with pytest.raises(LedgerError) as caught:
        load_ledger(tmp_path)
    assert str(caught.value) == message


def test_the_sample_receipts_are_current(tmp_path: Path) -> None:
    """record/samples.jsonl is what `gridmod record --samples` writes for the samples as they are now."""
    for name in ("data", "validation", "record"):
        shutil.copytree(ROOT / name, tmp_path / name)
    result = accept(tmp_path, samples=True)
    assert (tmp_path / SAMPLE_LEDGER).read_bytes() == (ROOT / SAMPLE_LEDGER).read_bytes(), (
        "The sample filings changed since their receipts were written: run `gridmod record --samples` and "
        "commit record/samples.jsonl."
    )
    assert len(result.issued) == 8 and all(r.sample and r.commit is None for r in result.issued)
    receipts = load_ledger(ROOT).receipts
    assert {r.filing for r in receipts} == {
        f"data/{p.parent.parent.name}/{p.parent.name}" for p in (ROOT / "data").glob("*/*/datapackage.json")
    }
