"""Native keys to the IDs a filing uses, by the mapping's rule for each kind (substation, feeder, section).

- digits: an ID of digits that may have lost its leading zeros (PG&E feeder 12341101 is 012341101; SubID
  written as a float, 6246.0, is substation 06246). Letters, or more digits than the ID has, are refused.
- name: a name as published ("ALHAMBRA 12KV") becomes an ID of letters, digits, _ . - ("ALHAMBRA_12KV");
  names that differ only in case or spacing ("Fern Creek", "FERN  CREEK", as two layers write one substation)
  are one name, with the ID of the form seen first; two other names that would give one ID get numbered
  ones, so no two circuits are merged.
- parts: a key in several fields (SCE node_id and section_id), joined.
- id: the native key as it is; with `unique_by`, a key that repeats within a feeder is made unique with
  that field (SDG&E LINE_SEGMENT_NUMBER with OBJECTID).
Every ID that differs from its native key is recorded for crosswalk.csv (kind, native_key, id), once per ID.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gridmod.imports.values import Parsed, as_text

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
UNSAFE = r"[^A-Za-z0-9_.-]+"


@dataclass
class Keys:
    rules: dict[str, dict[str, Any]]
    crosswalk: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> native key
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name in lower case) -> id
    duplicates: set[tuple[str, str]] = field(default_factory=set)  # (feeder, section) native keys that repeat

    def make(
        self, kind: str, parts: list[pl.Series], feeder: pl.Series | None = None, unique: pl.Series | None = None
    ) -> Parsed:
        rule = self.rules[kind]
        texts = [as_text(p).values for p in parts]
        native = texts[0] if len(texts) == 1 else _joined(texts, "/")
        if rule["rule"] == "digits":
            values, problems = _digits(native, int(rule["digits"]))
        elif rule["rule"] == "name":
            values, problems = self._names(kind, native), _fine(native)
        elif rule["rule"] == "parts":
            slugs = [t.str.replace_all(UNSAFE, "_").str.strip_chars("_") for t in texts]
            values, problems = _joined(slugs, str(rule.get("with", "-"))), _fine(native)
        else:
            values, problems = native, _fine(native)
            if unique is not None and feeder is not None and self.duplicates:
                pairs = pl.DataFrame({"f": as_text(feeder).values, "s": native})
                repeats = pl.DataFrame(
                    sorted(self.duplicates), schema={"f": pl.String, "s": pl.String}, orient="row"
                ).with_columns(repeated=pl.lit(True))
                repeated = pairs.join(repeats, on=["f", "s"], how="left", maintain_order="left")["repeated"]
                repeated = repeated.fill_null(False)
                suffix = as_text(unique).values
                values = pl.select(
                    pl.when(repeated).then(pl.concat_str([native, pl.lit("-"), suffix])).otherwise(native)
                ).to_series()
        bad = values.is_not_null() & ~values.str.contains(f"^(?:{ID.pattern})$")
        problems = pl.select(pl.when(problems.is_null() & bad).then(pl.lit("bad_id")).otherwise(problems)).to_series()
        if rule["rule"] in ("digits", "name"):
            self._record(kind, native, values, problems)
        return Parsed(values.alias(parts[0].name), problems)

    def _names(self, kind: str, native: pl.Series) -> pl.Series:
        taken = {v for (k, _), v in self.names.items() if k == kind}
        for name in native.drop_nulls().unique(maintain_order=True).to_list():
            same = " ".join(name.lower().split())
            if (kind, same) in self.names:
                continue
            plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()  # Peñasquitos: n
            base = re.sub(UNSAFE, "_", plain).strip("_.-")[:40] or "x"
            candidate, number = base, 1
            while candidate in taken:
                number += 1
                candidate = f"{base[:36]}-{number}"
            self.names[(kind, same)] = candidate
            taken.add(candidate)
        table = {n: v for (k, n), v in self.names.items() if k == kind}
        folded = native.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
        return folded.replace_strict(table, default=None, return_dtype=pl.String)

    def _record(self, kind: str, native: pl.Series, values: pl.Series, problems: pl.Series) -> None:
        pairs = (
            pl.DataFrame({"n": native, "v": values, "p": problems})
            .filter(pl.col("p").is_null() & pl.col("v").is_not_null() & (pl.col("n") != pl.col("v")))
            .unique(["n", "v"], maintain_order=True)
        )
        for name, value, _ in pairs.iter_rows():
            self.crosswalk.setdefault((kind, value), name)

    def crosswalk_rows(self) -> list[dict[str, str]]:
        return [
            {"kind": kind, "native_key": native, "id": value}
            for (kind, value), native in sorted(self.crosswalk.items())
        ]


def _fine(series: pl.Series) -> pl.Series:
    return pl.Series(series.name, [None] * len(series), dtype=pl.String)


def _joined(texts: list[pl.Series], separator: str) -> pl.Series:
    return pl.select(pl.concat_str(texts, separator=separator)).to_series()


def _digits(native: pl.Series, digits: int) -> tuple[pl.Series, pl.Series]:
    trimmed = native.str.replace(r"\.0+$", "")
    problems = pl.select(
        pl.when(trimmed.is_null())
        .then(None)
        .when(~trimmed.str.contains(r"^[0-9]+$"))
        .then(pl.lit("not_digits"))
        .when(trimmed.str.len_chars() > digits)
        .then(pl.lit("too_many_digits"))
        .otherwise(None)
    ).to_series()
    values = pl.select(pl.when(problems.is_null()).then(trimmed.str.zfill(digits)).otherwise(None)).to_series()
    return values, problems
