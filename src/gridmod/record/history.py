"""One filing's place in the record: its accepted revisions and which of them the package on disk is."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridmod.record.attestation import Attestation
from gridmod.record.ledger import Receipt
from gridmod.record.revision import Revision


@dataclass(frozen=True)
class FilingRecord:
    revision: Revision  # as the package on disk declares it
    receipts: list[Receipt] = field(default_factory=list)  # every accepted revision, oldest first
    current: Receipt | None = None  # the receipt of the package on disk; None until it is accepted
    attestation: Attestation | None = None  # the officer's verification the package carries

    @property
    def first(self) -> Receipt | None:
        """The original filing's receipt: when the filing arrived, which is what the deadline judges."""
        return self.receipts[0] if self.receipts else None

    @property
    def earlier(self) -> list[Receipt]:
        """Accepted revisions other than the one on disk, oldest first: each stays published as filed."""
        return [r for r in self.receipts if r is not self.current]

    @property
    def is_pending(self) -> bool:
        """The package on disk has no receipt yet (a pull request's preview, or a build before gridmod record)."""
        return self.current is None


def record_of(
    receipts: list[Receipt], package_sha256: str, revision: Revision, attestation: Attestation | None = None
) -> FilingRecord:
    current = next((r for r in receipts if r.package_sha256 == package_sha256), None)
    return FilingRecord(revision, list(receipts), current, attestation)
