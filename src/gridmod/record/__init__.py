"""The filing record: receipts with accession numbers in an append-only ledger, and revisions.

A filing that lands on main is accepted once per revision: the publish job issues a receipt (gridmod.accept)
and appends it to record/ledger.jsonl. Everything else reads the ledger: validation (an accepted filing that
changed must be an amendment), the scope check (past entries never change), the site and the reports.
"""

from gridmod.record.ledger import LEDGER, SAMPLE_LEDGER, Ledger, LedgerError, Receipt, load_ledger
from gridmod.record.revision import Revision, revision_of

__all__ = ["LEDGER", "SAMPLE_LEDGER", "Ledger", "LedgerError", "Receipt", "Revision", "load_ledger", "revision_of"]
