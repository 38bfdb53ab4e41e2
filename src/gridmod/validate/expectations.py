"""Expectations phase: filing-level plausibility checked by great-expectations.

Each group of expectations runs as a suite on one batch (a table or a slice of it), so the results can also
become great-expectations Data Docs for the reviewer (`gridmod validate --data-docs DIR`). Drift against
the utility's previous filing lives in gridmod.validate.drift, the adapter that runs suites on polars frames
in gridmod.validate.gx. Great-expectations is slow to import (seconds), so it loads only when this phase runs.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Checked
from gridmod.spec import Profile
from gridmod.validate.expect import run_declared
from gridmod.validate.gx import Suites
from gridmod.validate.sql import context_values


def check_expectations(
    filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame], data_docs: Path | None = None
) -> Checked:
    """The plausibility and drift expectations; Data Docs of them in `data_docs` when it is given."""
    import great_expectations.expectations as gxe

    from gridmod.validate.datadocs import docs_folder
    from gridmod.validate.drift import check_drift

    suites = Suites(filing.rel.replace("/", "-"), docs_folder(data_docs, filing) if data_docs else None, data_docs)
    head = filing.head
    values = context_values(head.filing_date, head.period_start, head.period_end, profile.thresholds)
    findings = run_declared(filing, profile, frames, suites, values)
    drift = check_drift(filing, profile, frames, suites, gxe)
    suites.write_docs()
    return Checked(findings + drift.findings, drift.notes)
