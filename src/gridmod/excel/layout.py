"""What the workbook looks like, derived from the profile: sheet names, columns, formats, prompts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridmod.spec import Profile

INSTRUCTIONS = "Instructions"
STAMP = "_gridmod"  # very hidden: profile, version and filing the workbook was made for
WORKBOOK_FORMAT = "gridmod-workbook 1"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
# Excel's limits for a data validation's input message.
PROMPT_TITLE_MAX, PROMPT_MAX = 32, 255


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    type: str
    description: str
    required: bool
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def enum(self) -> list[str]:
        values = self.constraints.get("enum") or []
        return [str(v) for v in values] or (["true", "false"] if self.type == "boolean" else [])

    @property
    def is_money(self) -> bool:
        return self.name.endswith("_usd")

    def number_format(self, decimals: int = 0) -> str:
        """Display format of a cell; import reads the decimals back from it."""
        if self.type == "date":
            return DATE_FORMAT
        if self.type in ("integer", "number"):
            base = "#,##0" if self.is_money else "0"
            if self.type == "number" and not self.is_money and decimals == 0:
                return "General"
            return base + ("." + "0" * decimals if decimals else "")
        return TEXT_FORMAT

    def prompt(self) -> tuple[str, str]:
        title = self.title or self.name
        text = self.description
        if self.enum:
            text += " Allowed: " + ", ".join(self.enum) + "."
        if self.type == "date":
            text += " Type the date, e.g. 2025-03-15."
        if self.required:
            text = "Required. " + text
        return _cut(title, PROMPT_TITLE_MAX), _cut(text, PROMPT_MAX)


@dataclass(frozen=True)
class Sheet:
    table: str
    path: str  # the CSV inside the filing, e.g. costs.csv
    description: str
    columns: list[Column]

    @property
    def name(self) -> str:
        return self.table[:31]


def sheets(profile: Profile) -> list[Sheet]:
    """One sheet per CSV table of the profile, in the profile's order. Tables the profile marks `large`
    (ICA results: a million rows and more, beyond what a sheet holds) are filed as files, not in Excel."""
    out = []
    for table in profile.tables:
        if not table["path"].endswith(".csv") or table.get("large"):
            continue
        schema = profile.schemas[table["name"]]
        columns = [
            Column(
                name=f["name"],
                title=f.get("title", f["name"]),
                type=f.get("type", "string"),
                description=" ".join(str(f.get("description", "")).split()),
                required=bool(f.get("constraints", {}).get("required")),
                constraints=dict(f.get("constraints", {})),
            )
            for f in schema["fields"]
        ]
        out.append(Sheet(table["name"], table["path"], " ".join(str(schema.get("description", "")).split()), columns))
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def left_out(profile: Profile) -> list[str]:
    """Tables of the profile that the workbook does not hold."""
    kept = {s.table for s in sheets(profile)}
    return [t["path"] for t in profile.tables if t["name"] not in kept]
