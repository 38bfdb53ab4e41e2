"""Explanations: rows of explanations.csv satisfy findings of severity explain, and are checked too.

One implementation for every profile: the profile names the rules that check the rows themselves
(`explanation_rules` in profile.yaml: a code that is no rule of the profile, a rule that is not of severity
explain, an explanation that matches no finding).
"""

from __future__ import annotations

import polars as pl

from gridmod.findings import Finding
from gridmod.spec import Profile


def apply_explanations(
    profile: Profile, path: str, frame: pl.DataFrame | None, findings: list[Finding], complete: bool
) -> list[Finding]:
    """Attach explanation texts to the explain findings they satisfy; return findings about the rows of
    explanations.csv (at `path`).

    An explanation matching no finding is reported only when every table was checked (`complete`):
    otherwise its finding may simply not have been looked for.
    """
    if frame is None:
        return []
    codes = profile.setting("explanation_rules")
    open_ = {(f.code, f.key): f for f in findings if f.severity == "explain"}
    out = []
    for row in frame.iter_rows(named=True):
        code, key, text = row["code"], row["key"], row["text"]
        rule = profile.rules.get(code)
        if rule is None:
            out.append(
                profile.rule(codes["unknown_code"]).finding(
                    path,
                    line=row["_line"],
                    column=1,
                    field="code",
                    value=code,
                    key=key,
                    profile=f"{profile.name} {profile.version}",
                )
            )
        elif rule.severity != "explain":
            out.append(
                profile.rule(codes["not_explainable"]).finding(
                    path, line=row["_line"], column=1, field="code", value=code, key=key, severity=rule.severity
                )
            )
        elif (code, key) in open_:
            open_[(code, key)].explanation = text
        elif complete:
            out.append(
                profile.rule(codes["unmatched"]).finding(
                    path, line=row["_line"], column=2, field="key", value=code, key=key
                )
            )
    return out
