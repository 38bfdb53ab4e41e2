"""The restricted build: Energy Division's edition of the filings with their confidential items in.

`gridmod build --confidential-key FILE` is a local command, never a workflow step: it decrypts each
filing's confidential.age with Energy Division's age key, checks that it holds exactly the items the
public declaration lists, puts the values back into a copy of the filing, validates the whole, and renders
its report and data package into restricted/ (ignored by git), marked CONFIDENTIAL on every page. It never
writes to reports/ or site/, so nothing it decrypts can reach the public outputs; restricted/ is replaced
only when every filing succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from gridmod.confidential import (
    DECLARATION,
    DECLARATION_PATH,
    RESTRICTED_EDITION,
    VALUES,
    ConfidentialError,
    Eligibility,
    Item,
    exchange,
    read_declaration,
    read_identity,
    unseal,
)
from gridmod.filing import DESCRIPTOR, Filing, stamp_resources
from gridmod.findings import Report
from gridmod.spec import Profile
from gridmod.validate import PHASES, validate, validate_filing

RESTRICTED = "restricted"


@dataclass
class RestrictedResult:
    report: Report  # the public validation, which must pass first
    written: list[Path] = field(default_factory=list)
    problems: Report | None = None  # a merged filing that does not validate

    @property
    def ok(self) -> bool:
        return self.report.valid and (self.problems is None or self.problems.valid)


def build_restricted(root: Path, key_file: Path, paths: list[Path] | None = None) -> RestrictedResult:
    from gridmod.render import render_filing
    from gridmod.site.downloads import write_package_zip

    identity = read_identity(key_file)
    report, validated = validate(paths, root, PHASES)
    result = RestrictedResult(report)
    if not report.valid:
        return result
    chosen = [v for v in validated if DECLARATION in v.filing.resources]
    with tempfile.TemporaryDirectory(prefix="gridmod-restricted-") as tmp:
        work, out = Path(tmp) / "work", Path(tmp) / RESTRICTED
        for name in ("validation", "templates"):
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).symlink_to((root / name).resolve(), target_is_directory=True)
        out.mkdir()
        merged_results = []
        for item in chosen:
            assert item.profile is not None  # the public validation passed
            folder = _merge(item.filing, item.profile, identity, work)
            merged = validate_filing(folder, work)
            merged_results.append(merged.result)
            if not merged.result.valid or merged.profile is None:
                continue
            merged.filing.record = item.filing.record
            head = merged.filing.head
            target = out / head.filing_id
            built = render_filing(merged.filing, merged.profile, merged.result, out)
            zipped = target / f"{head.utility}-data.zip"
            write_package_zip(built, zipped)
            with zipfile.ZipFile(zipped, "a") as archive:
                archive.write(item.filing.file(DECLARATION), DECLARATION_PATH)
            result.written += [root / RESTRICTED / p.relative_to(out) for p in [*built.outputs.values(), zipped]]
        result.problems = Report(merged_results)
        if not result.problems.valid:
            result.written = []
            return result
        if (root / RESTRICTED).exists():
            shutil.rmtree(root / RESTRICTED)
        shutil.copytree(out, root / RESTRICTED)
    return result


def _merge(filing: Filing, profile: Profile, identity: object, work: Path) -> Path:
    """A copy of the filing with its confidential values in their cells and neither the declaration nor the
    encrypted part among its resources: the whole filing, as if nothing had been withheld."""
    shown = f"{filing.rel}/confidential.age"
    content = unseal(filing.file(VALUES).read_bytes(), identity, shown)
    if content.get("filing") != filing.rel:
        raise ConfidentialError(f"{shown} was sealed for {content.get('filing')}, not for {filing.rel}.")
    items, _ = read_declaration(filing.file(DECLARATION))
    sealed = {str(k): v for k, v in content["items"].items() if isinstance(v, dict)}
    declared = {i.item_id for i in items}
    moved = sorted(
        i.item_id
        for i in items
        if i.item_id in sealed
        and (sealed[i.item_id].get("resource"), sealed[i.item_id].get("key"), sealed[i.item_id].get("field"))
        != (i.resource, i.key, i.field)
    )
    if moved:
        raise ConfidentialError(
            f"{shown} holds {', '.join(moved)} for other cells than {filing.rel}/"
            f"{DECLARATION_PATH} declares: the filer must run gridmod redact again on the "
            "complete tables."
        )
    if set(sealed) != declared:
        missing, extra = sorted(declared - set(sealed)), sorted(set(sealed) - declared)
        parts = [f"declared but not sealed: {', '.join(missing)}"] if missing else []
        parts += [f"sealed but not declared: {', '.join(extra)}"] if extra else []
        raise ConfidentialError(
            f"{shown} does not match {filing.rel}/{DECLARATION_PATH} ({'; '.join(parts)}): "
            "the filer must run gridmod redact again on the complete tables."
        )
    folder = work / "restricted" / filing.rel
    shutil.copytree(filing.folder, folder)
    os.remove(folder / "confidential.age")
    os.remove(folder / DECLARATION_PATH)
    _fill(folder, filing, profile, items, sealed)
    path = folder / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    descriptor["resources"] = [r for r in descriptor.get("resources", []) if r.get("name") not in (DECLARATION, VALUES)]
    descriptor.setdefault("gridmod", {})["edition"] = RESTRICTED_EDITION
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stamp_resources(folder)
    return folder


def _fill(
    folder: Path, filing: Filing, profile: Profile, items: list[Item], sealed: dict[str, dict[str, object]]
) -> None:
    """Each withheld cell, table and section back in the copy at `folder`."""
    eligible = Eligibility.of(profile.meta)
    if eligible is None:
        raise ConfidentialError(
            f"{filing.rel}: profile {profile.name} {profile.version} makes nothing eligible for confidential treatment."
        )
    values = {i.item_id: str(sealed[i.item_id]["value"]) for i in items}
    _, texts = exchange(folder, profile, eligible, items, f"{filing.rel}/{DECLARATION_PATH}", values)
    for path, text in texts.items():
        (folder / path).write_text(text, encoding="utf-8", newline="")
