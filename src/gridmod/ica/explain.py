"""Explanations of ICA findings: rows of explanations.csv satisfy findings of severity explain.

The same contract as the Appendix A engine (gridmod.validate.explain), under this profile's own codes.
"""

from __future__ import annotations

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext


def apply_explanations(ctx: IcaContext, frame: pl.DataFrame | None, findings: list[Finding],
                       complete: bool) -> list[Finding]:
    """Attach explanation texts to the explain findings they satisfy; return findings about the rows.

    An explanation matching no finding is reported only when every table was checked (`complete`).
    """
    if frame is None:
        return []
    profile = ctx.profile
    path = ctx.path("explanations")
    open_ = {(f.code, f.key): f for f in findings if f.severity == "explain"}
    out = []
    for row in frame.iter_rows(named=True):
        code, key, text = row["code"], row["key"], row["text"]
        rule = profile.rules.get(code)
        if rule is None:
            out.append(profile.rule("ICA-E180").finding(
                path, line=row["_line"], column=1, field="code", value=code, key=key,
                profile=f"{profile.name} {profile.version}"))
        elif rule.severity != "explain":
            out.append(profile.rule("ICA-E181").finding(
                path, line=row["_line"], column=1, field="code", value=code, key=key, severity=rule.severity))
        elif (code, key) in open_:
            open_[(code, key)].explanation = text
        elif complete:
            out.append(profile.rule("ICA-W182").finding(
                path, line=row["_line"], column=2, field="key", value=code, key=key))
    return out
