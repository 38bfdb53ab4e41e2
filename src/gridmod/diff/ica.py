"""Compare two ICA filings of one utility: the remediation plan, the known issues, the self-reported metrics,
the feeders and substations, and hosting capacity per feeder and substation.

Hosting capacity is the one the report and the site show (gridmod.ica.summary): uniform generation under
static grid assumptions, per feeder the median over its line sections, per substation the median over the
line sections of its feeders. The comparison gives the median over all feeders in each filing, the change of
each feeder and substation in both, and the largest movers first. Nothing here validates: the tables are read
as they are, and rows that do not read are left out and named in the notes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

from gridmod.diff.load import DiffError, check_comparable, open_side, read_rows
from gridmod.diff.model import Side, _plain
from gridmod.filing import Filing
from gridmod.ica.spec import resource_path
from gridmod.spec import Profile
from gridmod.tables import LINE

SMALL = ("substations", "feeders", "issues", "remediation", "quality_metrics")
ACTION_FIELDS = ("status", "planned_date", "forecast_date", "actual_date", "advice_letter")
MOVERS = 10


@dataclass
class IssueChange:
    issue_id: str
    title: str
    change: str  # added | removed | changed
    old_status: str | None = None
    new_status: str | None = None
    old_resolved: date | None = None
    new_resolved: date | None = None


@dataclass
class ActionChange:
    issue_id: str
    action_id: str
    action: str
    change: str  # added | removed | changed
    old: dict[str, Any] = field(default_factory=dict)  # ACTION_FIELDS in the earlier filing
    new: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.issue_id}/{self.action_id}"

    def moved(self, name: str) -> int | None:
        """Days a date field moved (positive: later); None when either side has no date."""
        before, after = self.old.get(name), self.new.get(name)
        return (after - before).days if isinstance(before, date) and isinstance(after, date) else None

    @property
    def changed_fields(self) -> list[str]:
        return [f for f in ACTION_FIELDS if self.old.get(f) != self.new.get(f)]


@dataclass
class MetricChange:
    metric: str
    old: float | None
    new: float | None


@dataclass
class CapacityChange:
    """Hosting capacity of one feeder or substation in both filings, in kW."""

    id: str
    name: str
    old_kw: float
    new_kw: float

    @property
    def change_kw(self) -> float:
        return round(self.new_kw - self.old_kw, 3)

    @property
    def change_pct(self) -> float | None:
        return round(100 * self.change_kw / self.old_kw, 1) if self.old_kw else None


@dataclass
class Capacity:
    """Hosting capacity of one level (feeders or substations) across the two filings."""

    old_median_kw: float | None  # the median over every feeder (substation) of the earlier filing
    new_median_kw: float | None
    changes: list[CapacityChange]  # those in both with a value in both, largest move first

    @property
    def median_change_kw(self) -> float | None:
        return round(median(c.change_kw for c in self.changes), 3) if self.changes else None

    @property
    def up(self) -> int:
        return sum(1 for c in self.changes if c.change_kw > 0)

    @property
    def down(self) -> int:
        return sum(1 for c in self.changes if c.change_kw < 0)

    @property
    def movers(self) -> list[CapacityChange]:
        return [c for c in self.changes if c.change_kw][:MOVERS]


@dataclass
class Network:
    """Feeders or substations added and removed (ID and name)."""

    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class IcaDiff:
    old: Side
    new: Side
    issues: list[IssueChange] = field(default_factory=list)
    actions: list[ActionChange] = field(default_factory=list)
    metrics: list[MetricChange] = field(default_factory=list)
    feeders: Network = field(default_factory=Network)
    substations: Network = field(default_factory=Network)
    feeder_capacity: Capacity | None = None  # None: the results of a side could not be read
    substation_capacity: Capacity | None = None
    notes: list[str] = field(default_factory=list)

    def count(self, items: str, change: str) -> int:
        return sum(1 for item in getattr(self, items) if item.change == change)

    @property
    def redated(self) -> list[ActionChange]:
        """Actions in both whose planned date (the plan's own) moved later."""
        return [a for a in self.actions if a.change == "changed" and (a.moved("planned_date") or 0) > 0]

    @property
    def status_changes(self) -> list[ActionChange]:
        return [a for a in self.actions if a.change == "changed" and "status" in a.changed_fields]

    @property
    def forecast_moves(self) -> list[ActionChange]:
        return [a for a in self.actions if a.change == "changed" and a.moved("forecast_date")]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["actions"] = [
            dict(asdict(a), key=a.key, planned_days=a.moved("planned_date"), forecast_days=a.moved("forecast_date"))
            for a in self.actions
        ]
        for level in ("feeder_capacity", "substation_capacity"):
            capacity = getattr(self, level)
            if capacity is not None:
                data[level] = dict(
                    data[level],
                    median_change_kw=capacity.median_change_kw,
                    up=capacity.up,
                    down=capacity.down,
                    changes=[dict(asdict(c), change_kw=c.change_kw, change_pct=c.change_pct) for c in capacity.changes],
                )
        data["summary"] = {
            "issues": {k: self.count("issues", k) for k in ("added", "removed", "changed")},
            "actions": {k: self.count("actions", k) for k in ("added", "removed")}
            | {"redated": len(self.redated), "status_changed": len(self.status_changes)},
            "feeders": {"added": len(self.feeders.added), "removed": len(self.feeders.removed)},
            "substations": {"added": len(self.substations.added), "removed": len(self.substations.removed)},
            "metrics_changed": len(self.metrics),
        }
        return _plain(data)


@dataclass
class _Loaded:
    filing: Filing
    profile: Profile
    side: Side
    tables: dict[str, list[dict[str, Any]]]
    skipped: dict[str, list[int]]


def compare_ica(old_folder: Path, new_folder: Path, root: Path) -> IcaDiff:
    old, new = _load(old_folder, root), _load(new_folder, root)
    check_comparable(old.side, new.side)
    diff = IcaDiff(old=old.side, new=new.side)
    diff.issues = _issues(old.tables["issues"], new.tables["issues"])
    diff.actions = _actions(old.tables["remediation"], new.tables["remediation"])
    diff.metrics = _metrics(old.tables.get("quality_metrics", []), new.tables.get("quality_metrics", []))
    diff.feeders = _network(old.tables["feeders"], new.tables["feeders"], "feeder_id", "feeder_name")
    diff.substations = _network(
        old.tables["substations"], new.tables["substations"], "substation_id", "substation_name"
    )
    for side in (old, new):
        for table, lines in side.skipped.items():
            if lines:
                shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
                diff.notes.append(
                    f"{side.side.path}/{resource_path(side.filing, side.profile, table)}: {len(lines)} row"
                    f"{'' if len(lines) == 1 else 's'} left out of the comparison because they do not read "
                    f"(line{'' if len(lines) == 1 else 's'} {shown}); see the validation findings."
                )
    try:
        before, after = _capacity(old), _capacity(new)
    except Exception as exc:  # noqa: BLE001 - the rest of the comparison stands; the note says what is missing
        diff.notes.append(
            f"Hosting capacity not compared: the results of a filing cannot be read ({type(exc).__name__}). "
            "Run `gridmod validate` on both filings."
        )
        return diff
    names = {
        "feeder": {str(r["feeder_id"]): str(r.get("feeder_name") or "") for r in new.tables["feeders"]},
        "substation": {str(r["substation_id"]): str(r.get("substation_name") or "") for r in new.tables["substations"]},
    }
    diff.feeder_capacity = _level(before[0], after[0], names["feeder"])
    diff.substation_capacity = _level(before[1], after[1], names["substation"])
    return diff


def _load(folder: Path, root: Path) -> _Loaded:
    filing, profile, side = open_side(folder, root)
    tables, skipped = {}, {}
    for name in SMALL:
        if name not in filing.resources:
            continue
        path = filing.folder / resource_path(filing, profile, name)
        try:
            tables[name], skipped[name] = read_rows(path, profile.schemas[name])
        except (OSError, ValueError) as exc:
            raise DiffError(
                f"{filing.rel}/{resource_path(filing, profile, name)} cannot be read ({exc}). "
                f"Run `gridmod validate {filing.rel}` and fix its errors first."
            ) from exc
    for name in ("substations", "feeders", "issues", "remediation"):
        if name not in tables:
            raise DiffError(f"{filing.rel} has no {name} table; an ICA filing needs one.")
    return _Loaded(filing, profile, side, tables, skipped)


def _issues(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[IssueChange]:
    before, after = {r["issue_id"]: r for r in old}, {r["issue_id"]: r for r in new}
    out = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        row = b or a
        assert row is not None
        if a is None or b is None:
            out.append(
                IssueChange(
                    key,
                    str(row["title"]),
                    "added" if a is None else "removed",
                    None if a is None else a["status"],
                    None if b is None else b["status"],
                )
            )
        elif (a["status"], a.get("resolved_date")) != (b["status"], b.get("resolved_date")):
            out.append(
                IssueChange(
                    key,
                    str(b["title"]),
                    "changed",
                    a["status"],
                    b["status"],
                    a.get("resolved_date"),
                    b.get("resolved_date"),
                )
            )
    return out


def _actions(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[ActionChange]:
    def key(row: dict[str, Any]) -> tuple[str, str]:
        return str(row["issue_id"]), str(row["action_id"])

    def fields(row: dict[str, Any] | None) -> dict[str, Any]:
        return {f: row.get(f) for f in ACTION_FIELDS} if row else {}

    before, after = {key(r): r for r in old}, {key(r): r for r in new}
    out = []
    for k in sorted(before.keys() | after.keys()):
        a, b = before.get(k), after.get(k)
        row = b or a
        assert row is not None
        change = "added" if a is None else "removed" if b is None else "changed"
        item = ActionChange(k[0], k[1], str(row["action"]), change, fields(a), fields(b))
        if change != "changed" or item.changed_fields:
            out.append(item)
    # The plan's own dates first: re-dated actions, then other changes, then added and removed ones.
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(out, key=lambda a: (order[a.change], -(a.moved("planned_date") or 0), a.key))


def _metrics(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[MetricChange]:
    before = {r["metric"]: r["value"] for r in old}
    after = {r["metric"]: r["value"] for r in new}
    names = list(dict.fromkeys([*after, *before]))
    return [MetricChange(m, before.get(m), after.get(m)) for m in names if before.get(m) != after.get(m)]


def _network(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str, name: str) -> Network:
    before = {str(r[key]): str(r.get(name) or "") for r in old}
    after = {str(r[key]): str(r.get(name) or "") for r in new}
    return Network(
        added=sorted((k, v) for k, v in after.items() if k not in before),
        removed=sorted((k, v) for k, v in before.items() if k not in after),
    )


def _capacity(side: _Loaded) -> tuple[dict[str, float], dict[str, float]]:
    """Per feeder and per substation: the median uniform-generation static hosting capacity, in kW."""
    import polars as pl

    from gridmod.ica import spec as ica_spec
    from gridmod.ica.results import read_narrow
    from gridmod.ica.summary import feeder_summary, substation_summary
    from gridmod.validate.large.source import open_source

    path = side.filing.folder / resource_path(side.filing, side.profile, "results")
    narrow = read_narrow(open_source(path), side.profile.schemas["results"])
    scenarios = ica_spec.scenarios(side.profile)
    feeders = feeder_summary(narrow, scenarios).filter(pl.col("gen_kw").is_not_null())
    rows = [{k: v for k, v in r.items() if k != LINE} for r in side.tables["feeders"]]
    mapping = pl.DataFrame(
        {
            "feeder_id": [str(r["feeder_id"]) for r in rows],
            "substation_id": [str(r["substation_id"]) for r in rows],
        },
        schema={"feeder_id": pl.String, "substation_id": pl.String},
    )
    names = pl.DataFrame(
        {
            "substation_id": [str(r["substation_id"]) for r in side.tables["substations"]],
            "substation_name": [str(r.get("substation_name") or "") for r in side.tables["substations"]],
        },
        schema={"substation_id": pl.String, "substation_name": pl.String},
    )
    substations = substation_summary(narrow, mapping, names, scenarios).filter(pl.col("median_kw").is_not_null())
    return (
        {str(f): float(v) for f, v in feeders.select("feeder", "gen_kw").iter_rows()},
        {str(s): float(v) for s, v in substations.select("substation_id", "median_kw").iter_rows()},
    )


def _level(before: dict[str, float], after: dict[str, float], names: dict[str, str]) -> Capacity:
    changes = [CapacityChange(k, names.get(k, ""), before[k], after[k]) for k in sorted(before.keys() & after.keys())]
    changes.sort(key=lambda c: (-abs(c.change_kw), c.id))
    return Capacity(
        round(median(before.values()), 3) if before else None,
        round(median(after.values()), 3) if after else None,
        changes,
    )
