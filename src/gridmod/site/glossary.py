"""The site's glossary (glossary/): the abbreviations and terms of the reports and pages in plain words.

Energy Division keeps the terms in validation/_shared/glossary.yaml (term, what an abbreviation stands for,
meaning). A glossary that cannot be read, or an entry without a term or a meaning, or a term listed twice,
stops the site build with the entry named (SetupError).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from gridmod.errors import SetupError

GLOSSARY = "validation/_shared/glossary.yaml"


@dataclass(frozen=True)
class Term:
    term: str
    stands_for: str | None
    meaning: str

    @property
    def anchor(self) -> str:
        """The term's id on the glossary page: lower case, letters and digits joined by hyphens."""
        return "-".join("".join(c if c.isalnum() else " " for c in self.term.lower()).split())


def load_glossary(root: Path) -> list[Term]:
    path = root / GLOSSARY
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SetupError(f"{GLOSSARY} cannot be read: {exc}") from None
    terms: list[Term] = []
    for number, entry in enumerate(data.get("terms") or [], start=1):
        entry = entry if isinstance(entry, dict) else {}
        term, meaning = str(entry.get("term") or "").strip(), str(entry.get("meaning") or "").strip()
        if not term or not meaning:
            raise SetupError(f"{GLOSSARY}: entry {number} needs a term and its meaning.")
        if any(t.term.lower() == term.lower() for t in terms):
            raise SetupError(f"{GLOSSARY}: entry {number}: {term!r} is already in the glossary.")
        stands_for = str(entry.get("stands_for") or "").strip() or None
        terms.append(Term(term, stands_for, meaning))
    return terms
