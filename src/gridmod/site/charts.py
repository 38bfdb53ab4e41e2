"""Static SVG charts, drawn at build time: costs by year, counts by status, a milestone timeline.

No chart library and no script: the SVG is a file beside its page, so it prints, scales and needs nothing
from a third party. Every chart has a text alternative (`alt`), a caption that states what it shows, and
the data table it was drawn from, which the page puts beside it. Colours have at least 3:1 contrast with
the white background, and no reading depends on colour alone: bars are labelled, forecast bars are
hatched, authorized amounts are a line, and timeline marks differ in shape.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date

from gridmod.narrative import visible
from gridmod.render.model import milestone_state
from gridmod.site.tabular import Column, DataTable

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#1f1f1f"
GRID = "#c4c4c4"
RECORDED = "#1f4e99"
AUTHORIZED = "#000000"


@dataclass
class Chart:
    """One chart: the SVG file to write beside the page, its text alternative and its data table."""

    file: str
    title: str  # what the chart shows, for the heading above it
    svg: str
    alt: str
    caption: str
    table: DataTable
    width: int
    height: int
    # The same chart laid out for a phone screen (svg, width, height), offered through <picture>.
    narrow: tuple[str, int, int] | None = None

    @property
    def narrow_file(self) -> str:
        return self.file.removesuffix(".svg") + "-narrow.svg"


@dataclass(frozen=True)
class YearAmounts:
    year: int
    recorded: float | None
    forecast: float | None
    authorized: float | None


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    colour: str


def e(text: object) -> str:
    """Text for the SVG: escaped, with characters XML cannot hold or that turn text around shown as their code
    point (a milestone name with a control character would otherwise make the whole chart ill-formed)."""
    return html.escape(visible(str(text)), quote=True)


def short_usd(value: float) -> str:
    """$12.3M: axis labels and bar labels, where the table beside gives the exact amount."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for factor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= factor:
            shown = f"{value / factor:.1f}".removesuffix(".0")
            return f"{sign}${shown}{suffix}"
    return f"{sign}${value:.0f}"


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0..top into about `ticks` parts."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="t d" font-family="{e(FONT)}" font-size="13">\n'
        f'<title id="t">{e(title)}</title>\n<desc id="d">{e(desc)}</desc>\n'
        '<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(body) + "\n</svg>\n"
    )


def _hatch(pattern_id: str, colour: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{colour}"/></pattern></defs>'
    )


# --- costs by year, one panel per utility --------------------------------------------------------------


def cost_chart(file: str, subject: str, panels: list[tuple[str, list[YearAmounts]]]) -> Chart | None:
    """Recorded, forecast and authorized dollars by year, one panel per utility on one shared scale: side by
    side, and stacked for narrow screens.

    `panels` is (utility short name, amounts by year); None when no utility filed a cost for `subject`.
    """
    years = sorted({a.year for _, amounts in panels for a in amounts})
    if not years:
        return None
    top = max(
        [v for _, amounts in panels for a in amounts for v in (a.recorded, a.forecast, a.authorized) if v] or [0.0]
    )
    step = nice_step(top)
    top = step * max(1, math.ceil(top / step))
    title = f"Costs by year, {subject}"
    table = DataTable(
        caption=f"Costs by year, {subject} (US dollars)",
        columns=[
            Column("Utility"),
            Column("Year"),
            *(Column(n, numeric=True) for n in ("Recorded", "Forecast", "GRC-authorized")),
        ],
        rows=[
            [name, str(a.year), _usd(a.recorded), _usd(a.forecast), _usd(a.authorized)]
            for name, amounts in panels
            for a in amounts
        ],
    )
    totals = "; ".join(
        f"{name}: {short_usd(sum(a.recorded or 0 for a in amounts))} recorded, "
        f"{short_usd(sum(a.forecast or 0 for a in amounts))} forecast"
        for name, amounts in panels
    )
    alt = (
        f"Bar chart of costs by year, {subject}, one panel per utility on the same scale: recorded costs "
        f"as solid bars, forecast costs as hatched bars, GRC-authorized amounts as black lines. {totals}. "
        "The table after the chart lists every value."
    )
    caption = f"{title}, {years[0]}–{years[-1]}. Totals: {totals}."

    # Side by side: panels share the y axis on the left.
    left, right, head, plot_h = 64, 12, 64, 200
    panel_w = max(150, len(years) * 34 + 24)
    width = left + len(panels) * panel_w + right
    height = head + plot_h + 40
    body = [_hatch("forecast", RECORDED), *_cost_legend(left)]
    for p, (name, amounts) in enumerate(panels):
        body += _cost_panel(
            name,
            amounts,
            years,
            left + p * panel_w,
            head,
            panel_w,
            plot_h,
            top,
            step,
            axis_from=left if p == 0 else None,
        )
    wide = _svg(width, height, title, alt, body)

    # Stacked: one full-width panel per utility, each with its own axis labels.
    n_left, n_width, n_plot = 56, 360, 130
    n_height = 44 + len(panels) * (n_plot + 60)
    body = [_hatch("forecast", RECORDED), *_cost_legend(8)]
    for p, (name, amounts) in enumerate(panels):
        body += _cost_panel(
            name,
            amounts,
            years,
            n_left,
            44 + p * (n_plot + 60) + 26,
            n_width - n_left - 8,
            n_plot,
            top,
            step,
            axis_from=n_left,
        )
    narrow = (_svg(n_width, n_height, title, alt, body), n_width, n_height)
    return Chart(file, "Costs by year", wide, alt, caption, table, width, height, narrow)


def _cost_panel(
    name: str,
    amounts: list[YearAmounts],
    years: list[int],
    x0: float,
    y0: float,
    w: float,
    plot_h: float,
    top: float,
    step: float,
    axis_from: float | None,
) -> list[str]:
    """One utility's bars in the box (x0, y0, w, plot_h): title above, years below, y labels left of
    `axis_from` when given."""
    body = [
        f'<text x="{x0 + w / 2:.1f}" y="{y0 - 8:.1f}" text-anchor="middle" font-weight="bold" '
        f'fill="{INK}">{e(name)}</text>'
    ]

    def y(v: float) -> float:
        return y0 + plot_h - (v / top) * plot_h

    tick = 0.0
    while tick <= top + step / 2:
        ty = y(tick)
        body.append(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        if axis_from is not None:
            body.append(
                f'<text x="{axis_from - 6:.1f}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" fill="{INK}">'
                f"{e(short_usd(tick))}</text>"
            )
        tick += step
    if axis_from is None:
        body.append(f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{y0:.1f}" y2="{y0 + plot_h:.1f}" stroke="{GRID}"/>')
    by_year = {a.year: a for a in amounts}
    slot = (w - 16) / len(years)
    for i, year in enumerate(years):
        sx = x0 + 8 + i * slot
        bar_x, bar_w = sx + slot * 0.18, slot * 0.64
        body.append(
            f'<text x="{sx + slot / 2:.1f}" y="{y0 + plot_h + 16:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{year}</text>'
        )
        a = by_year.get(year)
        if a is None:
            continue
        base = 0.0
        for value, fill in ((a.recorded, RECORDED), (a.forecast, "url(#forecast)")):
            if not value:
                continue
            y_top, y_bottom = y(base + value), y(base)
            body.append(
                f'<rect x="{bar_x:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" height="{y_bottom - y_top:.1f}" '
                f'fill="{fill}" stroke="{RECORDED}"/>'
            )
            base += value
        if a.authorized:
            ay = y(a.authorized)
            body.append(
                f'<line x1="{sx + 2:.1f}" x2="{sx + slot - 2:.1f}" y1="{ay:.1f}" y2="{ay:.1f}" '
                f'stroke="{AUTHORIZED}" stroke-width="3"/>'
            )
    body.append(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{y0 + plot_h:.1f}" y2="{y0 + plot_h:.1f}" stroke="{INK}"/>')
    return body


def _cost_legend(left: int) -> list[str]:
    items = [
        f'<rect x="{left}" y="10" width="14" height="14" fill="{RECORDED}" stroke="{RECORDED}"/>',
        f'<text x="{left + 20}" y="22" fill="{INK}">Recorded</text>',
        f'<rect x="{left + 110}" y="10" width="14" height="14" fill="url(#forecast)" stroke="{RECORDED}"/>',
        f'<text x="{left + 130}" y="22" fill="{INK}">Forecast</text>',
        f'<line x1="{left + 214}" x2="{left + 234}" y1="17" y2="17" stroke="{AUTHORIZED}" stroke-width="3"/>',
        f'<text x="{left + 240}" y="22" fill="{INK}">GRC-authorized</text>',
    ]
    return items


# --- counts by status, one bar per utility --------------------------------------------------------------


def status_chart(
    file: str, title: str, subject: str, segments: list[Segment], bars: list[tuple[str, dict[str, int]]], noun: str
) -> Chart | None:
    """Horizontal stacked bars of counts, one per utility, each segment labelled with its count."""
    if not any(sum(counts.values()) for _, counts in bars):
        return None
    used = [s for s in segments if any(counts.get(s.key) for _, counts in bars)]
    table = DataTable(
        caption=f"{title}, {subject} (number of {noun})",
        columns=[Column("Utility"), *(Column(s.label, numeric=True) for s in used), Column("Total", numeric=True)],
        rows=[[name, *(str(counts.get(s.key, 0)) for s in used), str(sum(counts.values()))] for name, counts in bars],
    )
    summary = "; ".join(
        f"{name}: " + (", ".join(f"{counts[s.key]} {s.label.lower()}" for s in used if counts.get(s.key)) or "none")
        for name, counts in bars
    )
    alt = f"Stacked bar chart, {title.lower()}, {subject}, one bar per utility. {summary}."
    wide = _status_svg(f"{title}, {subject}", alt, used, bars, width=640, per_row=3)
    narrow = _status_svg(f"{title}, {subject}", alt, used, bars, width=360, per_row=2)
    return Chart(file, title, wide[0], alt, f"{title}, {subject}: {summary}.", table, wide[1], wide[2], narrow)


def _status_svg(
    title: str, alt: str, used: list[Segment], bars: list[tuple[str, dict[str, int]]], width: int, per_row: int
) -> tuple[str, int, int]:
    left, right, head = 64, 12, 16 + 22 * math.ceil(len(used) / per_row)
    bar_h, gap = 28, 14
    height = head + 12 + len(bars) * (bar_h + gap) + 8
    longest = max(sum(counts.values()) for _, counts in bars) or 1
    scale = (width - left - right) / longest
    column = (width - 16) / per_row
    body = []
    for i, s in enumerate(used):
        lx, ly = 8 + (i % per_row) * column, 12 + (i // per_row) * 22
        body.append(f'<rect x="{lx:.0f}" y="{ly}" width="14" height="14" fill="{s.colour}"/>')
        body.append(f'<text x="{lx + 20:.0f}" y="{ly + 12}" fill="{INK}">{e(s.label)}</text>')
    for row, (name, counts) in enumerate(bars):
        by = head + 12 + row * (bar_h + gap)
        body.append(
            f'<text x="{left - 8}" y="{by + bar_h / 2 + 5:.1f}" text-anchor="end" font-weight="bold" '
            f'fill="{INK}">{e(name)}</text>'
        )
        x = float(left)
        for s in used:
            n = counts.get(s.key, 0)
            if not n:
                continue
            w = n * scale
            body.append(
                f'<rect x="{x:.1f}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{s.colour}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            if w >= 18:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{by + bar_h / 2 + 5:.1f}" text-anchor="middle" '
                    f'fill="#ffffff" font-weight="bold">{n}</text>'
                )
            x += w
        if not sum(counts.values()):
            body.append(f'<text x="{left}" y="{by + bar_h / 2 + 5:.1f}" fill="{INK}">none</text>')
    return _svg(width, height, title, alt, body), width, height


# --- milestone timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineMilestone:
    activity: str
    name: str
    status: str
    baseline: date
    actual: date | None
    forecast: date | None
    slip_days: int | None


MILESTONE_SEGMENTS = [
    Segment("on_time", "Achieved on time", "#1b7837"),
    Segment("late", "Achieved late", "#a6530a"),
    Segment("on_track", "On track", "#2166ac"),
    Segment("delayed", "Delayed", "#b2182b"),
    Segment("cancelled", "Cancelled", "#666666"),
]
_COLOUR = {s.key: s.colour for s in MILESTONE_SEGMENTS}


def milestone_kind(m: TimelineMilestone) -> str:
    """on_time, late, on_track, delayed or cancelled, by the one definition (gridmod.render.model.milestone_state)."""
    return milestone_state(m.status, m.baseline, m.actual, m.forecast)


def timeline_chart(file: str, subject: str, milestones: list[TimelineMilestone], filed: date) -> Chart | None:
    """Each milestone on a time axis: baseline (open circle), then actual (filled circle) or forecast (open
    diamond), joined by a line when the date slipped; a dashed line marks the filing date. The narrow
    variant leaves out the milestone names (the table after it has them) to give the dates the width."""
    if not milestones:
        return None
    counts = {s.key: sum(1 for m in milestones if milestone_kind(m) == s.key) for s in MILESTONE_SEGMENTS}
    summary = ", ".join(f"{counts[s.key]} {s.label.lower()}" for s in MILESTONE_SEGMENTS if counts[s.key])
    dates = [d for m in milestones for d in (m.baseline, m.actual, m.forecast) if d] + [filed]
    first, last = date(min(dates).year, 1, 1), date(max(dates).year + 1, 1, 1)
    alt = (
        f"Timeline of the {len(milestones)} milestones of {subject}, {first.year} to {last.year - 1}, grouped by "
        f"activity: {summary}. Open circles are baseline dates, filled circles actual dates, open diamonds "
        "forecast dates; a line joins a slipped date to its baseline. The table after the chart lists every date."
    )
    table = DataTable(
        caption=f"Milestones of {subject}",
        columns=[
            *map(Column, ("Activity", "Milestone", "Status", "Baseline", "Actual or forecast")),
            Column("Slip (days)", numeric=True),
        ],
        rows=[
            [
                m.activity,
                m.name,
                next(s.label for s in MILESTONE_SEGMENTS if s.key == milestone_kind(m)),
                m.baseline.isoformat(),
                _day(m.actual or m.forecast),
                "—" if m.slip_days is None else f"{m.slip_days:,}",
            ]
            for m in milestones
        ],
        filterable=True,
    )
    title = f"Milestone timeline, {subject}"
    wide = _timeline_svg(title, alt, milestones, filed, first, last, width=760, left=200, names=True)
    narrow = _timeline_svg(title, alt, milestones, filed, first, last, width=360, left=12, names=False)
    return Chart(
        file,
        "Milestone timeline",
        wide[0],
        alt,
        f"Milestone timeline of {subject}: {summary}.",
        table,
        wide[1],
        wide[2],
        narrow,
    )


def _timeline_svg(
    title: str,
    alt: str,
    milestones: list[TimelineMilestone],
    filed: date,
    first: date,
    last: date,
    width: int,
    left: int,
    names: bool,
) -> tuple[str, int, int]:
    span = (last - first).days
    right, row_h = 20, 18
    legend = _timeline_legend(two_rows=not names)
    head = 64 if names else 96
    groups: list[tuple[str, list[TimelineMilestone]]] = []
    for m in milestones:
        if not groups or groups[-1][0] != m.activity:
            groups.append((m.activity, []))
        groups[-1][1].append(m)
    height = head + (len(milestones) + len(groups)) * row_h + 36

    def x(d: date) -> float:
        return left + (d - first).days / span * (width - left - right)

    body = legend
    for year in range(first.year, last.year + 1):
        gx = x(date(year, 1, 1))
        body.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{head - 6}" y2="{height - 30}" stroke="{GRID}"/>')
        if year < last.year:
            body.append(
                f'<text x="{x(date(year, 7, 1)):.1f}" y="{height - 14}" text-anchor="middle" fill="{INK}">{year}</text>'
            )
    fx = x(filed)
    body.append(
        f'<line x1="{fx:.1f}" x2="{fx:.1f}" y1="{head - 6}" y2="{height - 30}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    body.append(
        f'<text x="{fx - 4:.1f}" y="{head - 10}" text-anchor="end" font-size="11" fill="{INK}">'
        f"filed {filed.isoformat()}</text>"
    )
    row = 0
    for activity, items in groups:
        gy = head + row * row_h
        body.append(
            f'<text x="8" y="{gy + 13}" font-weight="bold" font-size="12" fill="{INK}">'
            f"{e(_clip(activity, 70 if names else 42))}</text>"
        )
        row += 1
        for m in items:
            cy = head + row * row_h + 9
            kind = milestone_kind(m)
            colour = _COLOUR[kind]
            if names:
                body.append(f'<text x="20" y="{cy + 4}" font-size="11" fill="{INK}">{e(_clip(m.name, 30))}</text>')
            bx = x(m.baseline)
            other = m.actual if m.status == "achieved" else m.forecast
            if kind == "cancelled":
                body.append(
                    f'<path d="M{bx - 5:.1f},{cy - 5} l10,10 m0,-10 l-10,10" stroke="{colour}" stroke-width="2.5"/>'
                )
                row += 1
                continue
            if other and other != m.baseline:
                ox = x(other)
                body.append(
                    f'<line x1="{bx:.1f}" x2="{ox:.1f}" y1="{cy}" y2="{cy}" stroke="{colour}" stroke-width="2.5"/>'
                )
            body.append(f'<circle cx="{bx:.1f}" cy="{cy}" r="5" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')
            if m.status == "achieved" and m.actual:
                body.append(f'<circle cx="{x(m.actual):.1f}" cy="{cy}" r="5" fill="{colour}"/>')
            elif other:
                ox = x(other)
                body.append(
                    f'<path d="M{ox:.1f},{cy - 6} l6,6 l-6,6 l-6,-6 z" fill="#ffffff" stroke="{colour}" '
                    'stroke-width="2.5"/>'
                )
            row += 1
    return _svg(width, height, title, alt, body), width, height


def _timeline_legend(two_rows: bool = False) -> list[str]:
    """Baseline, achieved on time and late, forecast on track and delayed, cancelled: in one row of five and
    one more, or (narrow) in rows of two."""
    items = [
        (f'<circle cx="{{x}}" cy="{{y}}" r="5" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>', "Baseline"),
        (f'<circle cx="{{x}}" cy="{{y}}" r="5" fill="{_COLOUR["on_time"]}"/>', "Achieved on time"),
        (f'<circle cx="{{x}}" cy="{{y}}" r="5" fill="{_COLOUR["late"]}"/>', "Achieved late"),
        (
            f'<path d="M{{x}},{{top}} l6,6 l-6,6 l-6,-6 z" fill="#ffffff" stroke="{_COLOUR["on_track"]}" '
            'stroke-width="2.5"/>',
            "Forecast, on track",
        ),
        (
            f'<path d="M{{x}},{{top}} l6,6 l-6,6 l-6,-6 z" fill="#ffffff" stroke="{_COLOUR["delayed"]}" '
            'stroke-width="2.5"/>',
            "Forecast, delayed",
        ),
        (
            f'<path d="M{{left}},{{top2}} l10,10 m0,-10 l-10,10" stroke="{_COLOUR["cancelled"]}" stroke-width="2.5"/>',
            "Cancelled",
        ),
    ]
    out = []
    for i, (mark, label) in enumerate(items):
        if two_rows:
            cx, cy = 14 + (i % 2) * 175, 16 + (i // 2) * 24
        else:
            cx, cy = (14 + i * 135, 16) if i < 5 else (14, 40)
        out.append(mark.format(x=cx, y=cy, top=cy - 6, left=cx - 5, top2=cy - 5))
        out.append(f'<text x="{cx + 12}" y="{cy + 4}" fill="{INK}">{e(label)}</text>')
    return out


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _usd(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"
