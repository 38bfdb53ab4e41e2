"""A descriptor property that changes how a file is read is honoured or refused at its line (GMR-E065).

Each case sets one property on the costs table of the smallest valid filing, as a filer or another tool
might (the values are of the kinds frictionless-py's own test descriptors use). Either gridmod refuses it
with GMR-E065 at the property's line, or it accepts it and frictionless, reading the filing by the same
descriptor with the profile's schema, finds the table exactly as gridmod checked it: nothing a property
says is ignored and then published.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frictionless
import pytest

from gridmod.spec import load_profile
from gridmod.validate import validate_filing

from ..conftest import FIXTURES, ROOT

REFUSED = {
    "semicolon dialect": {"dialect": {"delimiter": ";"}},
    "nested semicolon dialect": {"dialect": {"csv": {"delimiter": ";"}}},
    "no header row": {"dialect": {"header": False}},
    "two header rows": {"dialect": {"headerRows": [1, 2]}},
    "comment character": {"dialect": {"commentChar": "#"}},
    "escape character": {"dialect": {"escapeChar": "\\"}},
    "single quotes": {"dialect": {"quoteChar": "'"}},
    "skip initial space": {"dialect": {"skipInitialSpace": True}},
    "dialect as a path": {"dialect": "dialect.json"},
    "latin-1 encoding": {"encoding": "latin1"},
    "utf-16 encoding": {"encoding": "utf-16"},
    "zip compression": {"compression": "zip"},
    "gzip compression": {"compression": "gz"},
    "inner path": {"innerpath": "costs.csv"},
    "inline data": {"data": [["activity_id", "year"], ["adms", 2025]]},
    "extra paths": {"extrapaths": ["costs-2.csv"]},
    "remote scheme": {"scheme": "https"},
    "reader control": {"control": {"type": "csv", "delimiter": ";"}},
    "layout": {"layout": {"headerRows": [2]}},
    "missing values": {"missingValues": ["", "NA"]},
    "spreadsheet sheet": {"sheet": "Costs"},
    "xlsx format": {"format": "xlsx"},
    "CSV format in capitals, which frictionless reads as a plain file": {"format": "CSV"},
    "json media type": {"mediatype": "application/json"},
    "format as an object": {"format": {"name": "csv"}},
    "type as a list": {"type": ["table"]},
    "text type": {"type": "text"},
    "another schema file": {"schema": "schemas/other.json"},
    "inline schema of its own": {"schema": {"fields": [{"name": "activity_id", "type": "string"}]}},
    "schema with missing values": {"schema": "MISSING_VALUES"},
}
HONOURED = {
    "the default dialect": {"dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}},
    "Table Dialect 2.0 defaults": {"dialect": {"header": True, "headerRows": [1], "csv": {"delimiter": ","}}},
    "CRLF line terminator": {"dialect": {"lineTerminator": "\r\n"}},
    "utf-8 spelled utf8": {"encoding": "UTF8"},
    "utf-8 with a byte-order mark": {"encoding": "utf-8-sig"},
    "csv format": {"format": "csv"},
    "table type": {"type": "table"},
    "local scheme": {"scheme": "file"},
    "the profile's schema by path": {"schema": "schemas/costs.json"},
    "the profile's schema inline": {"schema": "PROFILE"},
}


def _filing(tmp_path: Path, properties: dict) -> Path:
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    profile = load_profile(ROOT, "gmr-appendix-a", "1.0")
    if properties.get("schema") == "PROFILE":
        properties = {"schema": profile.schemas["costs"]}
    elif properties.get("schema") == "MISSING_VALUES":
        properties = {"schema": {**profile.schemas["costs"], "missingValues": ["", "n/a"]}}
    data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in data["resources"]:
        if resource["name"] == "costs":
            resource.update(properties)
    (folder / "datapackage.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_property_gridmod_does_not_read_by_is_refused_at_its_line(case: str, tmp_path: Path, root: Path) -> None:
    folder = _filing(tmp_path, REFUSED[case])
    result = validate_filing(folder, root).result
    hits = [f for f in result.findings if f.code == "GMR-E065"]
    key = next(iter(REFUSED[case]))
    assert [f.field for f in hits] == [key], [(f.code, f.message) for f in result.findings]
    lines = (folder / "datapackage.json").read_text(encoding="utf-8").splitlines()
    assert f'"{key}"' in lines[hits[0].line - 1]
    assert "costs" in hits[0].message and hits[0].hint.startswith(f"Remove {key} from resource costs")
    assert not result.valid


@pytest.mark.parametrize("case", sorted(HONOURED))
def test_a_property_that_says_what_gridmod_reads_is_read_alike_by_frictionless(
    case: str, tmp_path: Path, root: Path
) -> None:
    folder = _filing(tmp_path, HONOURED[case])
    result = validate_filing(folder, root).result
    assert [f.code for f in result.findings if f.is_open] == []
    # frictionless reads the table by the filed properties, with the profile's schema where none is inline.
    profile = load_profile(ROOT, "gmr-appendix-a", "1.0")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    costs = next(r for r in descriptor["resources"] if r["name"] == "costs")
    costs = {k: v for k, v in costs.items() if k not in ("bytes", "hash")}
    costs["schema"] = {**profile.schemas["costs"], "foreignKeys": []}
    resource = frictionless.Resource(costs, basepath=str(folder))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = resource.read_rows()
    filed = (folder / "costs.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(filed) - 1
    assert [str(rows[0][name]) for name in filed[0].split(",")[:2]] == filed[1].split(",")[:2]
