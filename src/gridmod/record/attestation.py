"""The officer's verification of a filing: who verified it, in what capacity, when, in the profile's words.

A filing carries it in datapackage.json as gridmod.attestation. The statement must be the one the profile
prescribes (profile.yaml `attestation.statement`, with the utility's legal name filled in), so that every
filing of a profile is verified in the same words; a sample filing says SAMPLE in the name, since no officer
verified synthetic data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

FIELDS = ("name", "title", "date", "statement")


@dataclass(frozen=True)
class Attestation:
    name: str
    title: str
    date: date
    statement: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "date": self.date.isoformat()}


@dataclass(frozen=True)
class AttestationProblem:
    field: str  # "attestation" or "attestation.<part>"
    variant: str  # the wording of rule E047 (validation/_shared/structure.yaml)
    given: Any = None


def prescribed(statement: str, utility_name: str) -> str:
    return " ".join(statement.replace("{utility_name}", utility_name).split())


def attestation_of(
    meta: dict[str, Any], statement: str, is_sample: bool
) -> tuple[Attestation | None, list[AttestationProblem]]:
    """The attestation the header holds, checked against the prescribed `statement` (already filled in)."""
    given = meta.get("attestation")
    if given in (None, ""):
        return None, [AttestationProblem("attestation", "missing")]
    if not isinstance(given, dict):
        return None, [AttestationProblem("attestation", "not_an_object", given)]
    problems = []
    for key in ("name", "title", "date"):
        value = given.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(AttestationProblem(f"attestation.{key}", "missing_part", value))
    typed = given.get("date")
    day = None
    if isinstance(typed, str) and typed.strip():
        try:
            day = date.fromisoformat(typed) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", typed) else None
        except ValueError:
            day = None
        if day is None:
            problems.append(AttestationProblem("attestation.date", "wrong_date", typed))
    words = given.get("statement")
    if not isinstance(words, str) or " ".join(words.split()) != statement:
        problems.append(AttestationProblem("attestation.statement", "other_statement", words))
    name = given.get("name")
    if is_sample and isinstance(name, str) and name.strip() and "SAMPLE" not in name:
        problems.append(AttestationProblem("attestation.name", "sample_name", name))
    if problems or day is None:
        return None, problems
    return Attestation(str(given["name"]).strip(), str(given["title"]).strip(), day, statement), []
