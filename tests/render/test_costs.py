"""Cost tables: per activity by year, summaries by category and by cost type, totals that add up."""

from __future__ import annotations

from decimal import Decimal

from gridmod.render.costs import activity_cost_lines, summarize_costs
from gridmod.render.formats import format_money, format_number

ROWS = [
    {
        "activity_id": "a1",
        "year": 2024,
        "cost_type": "capital",
        "basis": "recorded",
        "amount_usd": 4200000.0,
        "authorized_usd": 4000000.0,
    },
    {
        "activity_id": "a1",
        "year": 2025,
        "cost_type": "om",
        "basis": "recorded",
        "amount_usd": 0.1,
        "authorized_usd": None,
    },
    {
        "activity_id": "a1",
        "year": 2025,
        "cost_type": "om",
        "basis": "forecast",
        "amount_usd": 0.2,
        "authorized_usd": None,
    },
    {
        "activity_id": "a2",
        "year": 2026,
        "cost_type": "capital",
        "basis": "forecast",
        "amount_usd": 1000000.0,
        "authorized_usd": 900000.0,
    },
]


def test_activity_lines_then_totals_by_basis_and_overall():
    lines = activity_cost_lines([r for r in ROWS if r["activity_id"] == "a1"])
    assert [(ln.label, ln.basis) for ln in lines] == [
        ("2024", "recorded"),
        ("2025", "recorded"),
        ("2025", "forecast"),
        ("Total recorded", "recorded"),
        ("Total forecast", "forecast"),
        ("Total", None),
    ]
    assert lines[0].amounts == {"capital": Decimal("4200000.0"), "om": None}  # no O&M row: a dash, not $0
    assert lines[0].authorized["capital"] == Decimal("4000000.0")
    assert lines[-1].total == Decimal("4200000.3")  # Decimal: no 0.30000000000000004


def test_summary_by_category_and_type():
    summary = summarize_costs(ROWS, {"a1": "a", "a2": "d"}, ["a", "b", "c", "d", "e"])
    total = summary.by_category[-1]
    assert total.label == "Total" and total.amounts["a"] == Decimal("4200000.3")
    assert total.amounts["b"] is None and total.amounts["d"] == Decimal("1000000.0")
    assert summary.recorded_total == Decimal("4200000.1")
    assert summary.forecast_total == Decimal("1000000.2")
    assert summary.grand_total == total.total
    assert summary.by_type[-1].authorized == {"capital": Decimal("4900000.0"), "om": None}


def test_money_and_numbers_read_like_a_report():
    assert format_money(12345678) == "\\$12,345,678"
    assert format_money(Decimal("0.5")) == "\\$1"
    assert format_money(None) == "\N{EM DASH}"
    assert format_number(1234.50) == "1,234.5" and format_number(30.0) == "30"
