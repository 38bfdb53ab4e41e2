"""The rule spec under validation/<profile>/<version>/: profile, Table Schemas and rule catalogue.

The spec is the single source of truth: validators, report templates and site pages all read it here.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from gridmod.errors import SetupError
from gridmod.findings import Finding
from gridmod.governance import Governance, parse_governance

__all__ = ["Profile", "Rule", "SetupError", "available_profiles", "find_root", "load_profile", "rule_url"]


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder above `start` holding validation/ and mkdocs.yml."""
    env = os.environ.get("GRIDMOD_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "validation").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder
    raise SetupError(
        f"{here} is not inside a gridmod repository (no folder above it holds validation/ and mkdocs.yml)."
    )


def site_url(path: str) -> str:
    """Link to a page of the published site (GRIDMOD_SITE_URL), else of the local build (also when the
    variable is set but empty, as a workflow sets it from an unset repository variable)."""
    base = os.environ.get("GRIDMOD_SITE_URL") or "site/"
    if not base.endswith("/"):
        base += "/"
    return f"{base}{path}"


def rule_url(code: str) -> str:
    """Link to the rule's page on the site."""
    return site_url(f"rules/{code.lower()}/")


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class RowCheck:
    """Where a row rule looks and what must hold there: `check` is a SQL boolean expression over one row of
    `table` and the filing's context (`:filing_date`, a threshold's name, ...; see gridmod.validate.sql).
    A row fails where it is false; where it is NULL (a value it needs is empty) the row passes, as in a SQL
    CHECK constraint. `params` are SQL expressions over the failing row that fill the message's names, and
    `value` among them replaces the value of `field` in the message."""

    table: str
    field: str  # the column a finding points at
    key: tuple[str, ...]  # columns that name the row in findings and explanations
    check: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str
    phase: str
    applies_to: str
    message: str
    fix: str
    example_wrong: str | None = None
    example_right: str | None = None
    retired: bool = False
    # Where the rule's logic lives (the catalogue says it for every code, tests/test_house.py keeps it
    # true): SQL row checks; the Table Schema property it enforces; the functions ("module:function") of
    # an algorithm an expression cannot say; and the values of profile.yaml it measures against.
    checks: tuple[RowCheck, ...] = ()
    # A great-expectations expectation declared with its arguments (gridmod.validate.expect).
    expect: dict[str, Any] | None = None
    # The wordings of the message's {detail}, by name: every sentence a filer can see is in the spec.
    variants: dict[str, str] = dataclasses.field(default_factory=dict)
    schema: str | None = None
    functions: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    # The proceeding's records (validation/proceeding/) whose rows decide the finding: "advice-letters".
    records: tuple[str, ...] = ()

    def constraint_variant(self, constraint: str) -> str | None:
        """The wording of {detail} for a broken Table Schema constraint, where the rule has wordings (E014
        does, by constraint, with "other" for the rest); None for a rule without."""
        if not self.variants:
            return None
        return constraint if constraint in self.variants else "other"

    @property
    def logic(self) -> str:
        """expression, expectation, schema, profile parameter or function: where the rule's logic is said."""
        if self.checks:
            return "expression"
        if self.expect:
            return "expectation"
        if self.schema:
            return "schema"
        return "profile parameter" if self.parameters else "function"

    def finding(
        self,
        path: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        value: Any = None,
        key: str | None = None,
        variant: str | None = None,
        **params: Any,
    ) -> Finding:
        """The finding at this place; `variant` names the wording of {detail} (the rule's `variants`)."""
        values = _Default(params)
        values.update(field=field, value=_show(value), key=key)
        if variant is not None:
            if variant not in self.variants:
                raise SetupError(
                    f"Rule {self.code} has no wording {variant!r} under `variants:` in rules.yaml "
                    f"(it has {', '.join(self.variants) or 'none'})."
                )
            values["detail"] = self.variants[variant].format_map(values)
        return Finding(
            code=self.code,
            severity=self.severity,
            path=path,
            line=line,
            column=column,
            field=field,
            value=None if value is None else str(value),
            key=key,
            message=self.message.format_map(values),
            hint=self.fix.format_map(values),
            url=rule_url(self.code),
            phase=self.phase,
        )


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return repr(text) if isinstance(value, str) else text


@dataclass
class Profile:
    name: str
    version: str
    folder: Path
    meta: dict[str, Any]
    rules: dict[str, Rule]
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    @cached_property
    def governance(self) -> Governance:
        """Status, effective day, authority, review date and proposals of this version (gridmod.governance);
        checked when the profile loads, parsed once."""
        return parse_governance(self.meta, _profile_file(self.name, self.version), set(self.rules))

    def rule(self, code: str) -> Rule:
        if code not in self.rules:
            raise SetupError(
                f"Profile {self.name} {self.version} has no rule {code} in rules.yaml, which gridmod "
                "needs; add it back (codes are never removed, only retired)."
            )
        return self.rules[code]

    def setting(self, key: str) -> Any:
        """A section of profile.yaml that gridmod needs, or a SetupError that names it."""
        if key not in self.meta:
            raise SetupError(
                f"Profile {self.name} {self.version} has no `{key}:` in profile.yaml, which gridmod "
                "needs; see the other profiles for its form."
            )
        return self.meta[key]

    @property
    def structure_numbers(self) -> set[str]:
        """Numbers of the structure rules this profile's catalogue has, e.g. {"E001", "W029"}."""
        prefix = f"{self.meta.get('code_prefix', 'GMR')}-"
        return {code[len(prefix) :] for code in self.rules if code.startswith(prefix)}

    def structure_rule(self, number: str) -> Rule:
        """Structure rules (E001-E025: descriptor, paths, hashes, table shape) have the same number in
        every profile, under the profile's own prefix, e.g. GMR-E005 or ICA-E005."""
        return self.rule(f"{self.meta.get('code_prefix', 'GMR')}-{number}")

    @property
    def engine(self) -> str:
        """What validates and renders filings of this profile: "gmr" (Appendix A, the default) or "ica"."""
        return str(self.meta.get("engine", "gmr"))

    @property
    def tables(self) -> list[dict[str, Any]]:
        return list(self.meta["tables"])

    @property
    def narratives(self) -> list[dict[str, Any]]:
        return list(self.meta["narratives"])

    @property
    def elements(self) -> list[dict[str, Any]]:
        return list(self.meta["elements"])

    @property
    def categories(self) -> list[dict[str, Any]]:
        return list(self.meta["categories"])

    @property
    def thresholds(self) -> dict[str, Any]:
        return dict(self.meta["thresholds"])

    @property
    def limits(self) -> dict[str, Any]:
        return dict(self.meta.get("limits", {}))

    def label(self, value: object) -> str:
        """A coded value in words (the profile's `labels:`), else the code with spaces and a capital."""
        if value is None or value == "":
            return "\N{EM DASH}"
        text = str(value)
        return str(self.meta.get("labels", {}).get(text, text.replace("_", " ").capitalize()))

    def table_path(self, name: str) -> str:
        return next(t["path"] for t in self.tables if t["name"] == name)

    def table_spec(self, name: str) -> dict[str, Any]:
        """The table's entry in profile.yaml: path, schema, `large`, `alternatives`, `min_rows`."""
        return next(t for t in self.tables if t["name"] == name)

    def is_large(self, name: str) -> bool:
        """A table the validation stage checks in one streaming pass (`large: true`), never whole."""
        return bool(self.table_spec(name).get("large"))

    def table_file(self, name: str, given: str | None) -> str:
        """The path a filing uses for a table (`given`, from its datapackage.json): the profile's path, one of
        the alternatives a large table may be filed as (results.parquet for results.csv), or the folder of a
        dataset the profile allows (hourly/, see gridmod.datasets)."""
        spec = self.table_spec(name)
        allowed = [spec["path"], *spec.get("alternatives", []), *([spec["dataset"]] if spec.get("dataset") else [])]
        return str(given) if given in allowed else str(spec["path"])

    def dataset(self, name: str) -> str | None:
        """The folder a large table may be filed in as a partitioned dataset (`dataset: hourly/`), if any."""
        return self.table_spec(name).get("dataset")

    def activity_resource(self, activity_id: str) -> str:
        return self.meta["activity_narrative"]["resource_prefix"] + activity_id

    def activity_path(self, activity_id: str) -> str:
        return self.meta["activity_narrative"]["path_template"].format(activity_id=activity_id)


def available_profiles(root: Path) -> list[tuple[str, str]]:
    found = []
    for rules in sorted((root / "validation").glob("*/*/rules.yaml")):
        found.append((rules.parent.parent.name, rules.parent.name))
    return found


# How a value is written into a message (`format:` of a rule's params, row checks and expectations alike).
FORMATS: dict[str, Callable[[Any], Any]] = {
    "usd": lambda v: f"${float(v or 0):,.0f}",
    "percent": lambda v: round(float(v) * 100),  # a share (0.5) as a whole percentage (50)
    "round": lambda v: round(float(v)),
}


def _check_row_checks(meta: dict[str, Any], rules: dict[str, Rule]) -> None:
    """A row check that could never run, or never fill its message, is an error of the spec, said at load."""
    tables = {t["name"]: t for t in meta["tables"]}
    derived = dict(meta.get("derived_tables") or {})
    for rule in rules.values():
        params = [*(c.params for c in rule.checks), (rule.expect or {}).get("params", {})]
        for name, spec in (item for group in params for item in group.items()):
            if isinstance(spec, dict) and spec.get("format") not in (None, *FORMATS):
                raise ValueError(
                    f"rule {rule.code}: param {name} has format {spec['format']!r}; formats are {', '.join(FORMATS)}"
                )
        for check in rule.checks:
            if check.table in tables and tables[check.table].get("large"):
                raise ValueError(
                    f"rule {rule.code} checks rows of the large table {check.table}; row checks run "
                    "on tables read whole, so state the rule as a check function"
                )
            if check.table not in tables and check.table not in derived:
                raise ValueError(
                    f"rule {rule.code} checks rows of {check.table}, which is neither a table of the "
                    "profile nor one of its derived_tables"
                )


DIRECTIONS = ("higher_is_better", "lower_is_better")


def _check_catalogues(meta: dict[str, Any]) -> None:
    """The controlled lists of a profile (`technologies:`, `benefit_metrics:`) have unique ids, a category of
    the profile, a direction a reader can follow and (metrics) whether their values add up."""
    categories = {c["id"] for c in meta.get("categories") or []}
    for kind, key in (("technologies", "id"), ("benefit_metrics", "metric_id")):
        ids = [item[key] for item in meta.get(kind) or []]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{kind}: {key} {sorted(i for i in ids if ids.count(i) > 1)[0]} is listed twice")
    for item in meta.get("technologies") or []:
        if item["category"] not in categories or not item.get("title") or not item.get("definition"):
            raise ValueError(f"technology {item['id']} needs a title, a definition and a category of `categories:`")
    for item in meta.get("benefit_metrics") or []:
        if (
            item["direction"] not in DIRECTIONS
            or not item.get("unit")
            or not item.get("definition")
            or not isinstance(item.get("additive"), bool)
        ):
            raise ValueError(
                f"benefit metric {item['metric_id']} needs a unit, a definition, a direction "
                f"({' or '.join(DIRECTIONS)}) and whether values add up across utilities (additive: true or false)"
            )


def _check_datasets(meta: dict[str, Any]) -> None:
    """A dataset folder (gridmod.datasets) is for large tables only, and is written with its trailing slash."""
    for table in meta["tables"]:
        folder = table.get("dataset")
        if folder is not None and not (table.get("large") and isinstance(folder, str) and folder.endswith("/")):
            raise ValueError(
                f"table {table['name']}: `dataset:` names the folder of a large table's parts, "
                f"with a trailing slash (e.g. {table['name']}/), and needs `large: true`"
            )


def _rule(
    checks: list[dict[str, Any]] | None = None,
    function: str | list[str] | None = None,
    parameters: list[str] | None = None,
    records: list[str] | None = None,
    **fields: Any,
) -> Rule:
    functions = [function] if isinstance(function, str) else function or []
    for check in checks or ():
        if not isinstance(check.get("key"), list):
            raise ValueError(f"rule {fields.get('code')}: the key of a check is a list of columns, e.g. [activity_id]")
    return Rule(
        **fields,
        checks=tuple(RowCheck(**{**c, "key": tuple(c["key"])}) for c in checks or ()),
        functions=tuple(functions),
        parameters=tuple(parameters or ()),
        records=tuple(_record_name(fields.get("code"), r) for r in records or ()),
    )


RECORDS = ("advice-letters", "events")  # validation/proceeding/<name>.csv


def _record_name(code: Any, name: str) -> str:
    if name not in RECORDS:
        raise ValueError(f"rule {code}: records names {name!r}; the proceeding's records are {', '.join(RECORDS)}")
    return name


def _catalogue(folder: Path, prefix: str, catalogue: dict[str, Any]) -> dict[str, Rule]:
    """The profile's rules in the order of their numbers: those of each included file (`include:`, rules by
    number, which the profile takes under its own prefix, adding or replacing fields by number under
    `with:`) and its own, by code."""
    rules: dict[str, Rule] = {}
    for include in catalogue.get("include") or []:
        shared = yaml.safe_load((folder / include["file"]).read_text(encoding="utf-8"))
        extra = include.get("with") or {}
        numbers = [r["number"] for r in shared["rules"]]
        unknown = sorted(set(extra) - set(numbers))
        if unknown:
            raise ValueError(f"`with:` of {include['file']} names {', '.join(unknown)}, which it does not have")
        for rule in shared["rules"]:
            fields = {k: v for k, v in rule.items() if k != "number"} | extra.get(rule["number"], {})
            rules[f"{prefix}-{rule['number']}"] = _rule(code=f"{prefix}-{rule['number']}", **fields)
    for rule in catalogue["rules"]:
        if rule["code"] in rules:
            raise ValueError(f"rule {rule['code']} is defined twice")
        rules[rule["code"]] = _rule(**rule)
    return dict(sorted(rules.items(), key=lambda item: (int(item[0][-3:]), item[0])))


def _profile_file(name: str, version: str) -> str:
    """How messages name a profile's profile.yaml: from the repository's root."""
    return f"validation/{name}/{version}/profile.yaml"


@cache
def load_profile(root: Path, name: str, version: str) -> Profile:
    """Read one profile version; raises KeyError when the repository has no such profile."""
    if (name, version) not in available_profiles(root):
        raise KeyError(f"{name} {version}")
    folder = root / "validation" / name / version
    try:
        meta = yaml.safe_load((folder / "profile.yaml").read_text(encoding="utf-8"))
        catalogue = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
        rules = _catalogue(folder, str(meta.get("code_prefix", "GMR")), catalogue)
        schemas = {t["name"]: json.loads((folder / t["schema"]).read_text(encoding="utf-8")) for t in meta["tables"]}
        _check_row_checks(meta, rules)
        _check_datasets(meta)
        _check_catalogues(meta)
        parse_governance(meta, _profile_file(name, version), set(rules))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        raise SetupError(f"The rule spec in {folder} cannot be read: {exc}") from exc
    return Profile(name=name, version=version, folder=folder, meta=meta, rules=rules, schemas=schemas)
