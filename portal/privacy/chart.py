"""Accesses per member per day, and the same figures as an inline SVG line chart.

The SVG is built on the server (no script, no chart library) with a title and description
for screen readers; the page shows the same numbers as a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.transparency.store import ENTRIES
from portal.privacy.criteria import day_start

MAX_DAYS = 92
MAX_SERIES = 6
OTHERS = "…"
# Colour-blind-safe (Okabe-Ito), each at least 3:1 against white for lines.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#555555")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 48, 16, 16, 40


@dataclass(frozen=True)
class Series:
    member: str
    counts: tuple[int, ...]
    colour: str

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class AccessChart:
    days: tuple[date, ...]
    series: tuple[Series, ...]

    @property
    def peak(self) -> int:
        return max((max(s.counts) for s in self.series), default=0)


def access_chart(session: Session, *, last_day: date, days: int) -> AccessChart:
    """Entries per member for each of ``days`` days ending with ``last_day`` (UTC days).

    The busiest members get a line each; the rest are summed into one "others" line.
    """
    days = max(1, min(days, MAX_DAYS))
    span = tuple(last_day - timedelta(days=days - 1 - i) for i in range(days))
    per_member: dict[str, list[int]] = {}
    for index, day in enumerate(span):
        start = day_start(day)
        rows = session.execute(
            select(ENTRIES.c.member, func.count())
            .where(ENTRIES.c.logged_at >= start, ENTRIES.c.logged_at < start + timedelta(days=1))
            .group_by(ENTRIES.c.member)
        )
        for member, count in rows:
            per_member.setdefault(str(member), [0] * days)[index] = int(count)
    ranked = sorted(per_member.items(), key=lambda item: (-sum(item[1]), item[0]))
    shown = ranked[: MAX_SERIES - 1] if len(ranked) > MAX_SERIES else ranked
    rest = ranked[len(shown):]
    lines = [(member, counts) for member, counts in shown]
    if rest:
        lines.append((OTHERS, [sum(c[i] for _, c in rest) for i in range(days)]))
    return AccessChart(span, tuple(
        Series(member, tuple(counts), PALETTE[i % len(PALETTE)])
        for i, (member, counts) in enumerate(lines)
    ))


def _scale(peak: int) -> int:
    """A round top for the y axis: 1, 2 or 5 times a power of ten, at least ``peak``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= peak:
                return factor * magnitude
        magnitude *= 10


def _points(counts: Sequence[int], top: int) -> list[tuple[float, float]]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(counts) - 1, 1)
    return [(LEFT + i * step, TOP + plot_h - plot_h * c / top) for i, c in enumerate(counts)]


def render_svg(chart: AccessChart, *, title: str, description: str) -> str:
    """The chart as an ``<svg>`` element (escaped text; presentation attributes, no style)."""
    top = _scale(chart.peak)
    plot_h = HEIGHT - TOP - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for tick in (0, top // 2, top) if top > 1 else (0, 1):
        y = TOP + plot_h - plot_h * tick / top
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   'stroke="#d0d0d0" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'font-size="12" fill="#333">{tick}</text>')
    label_every = max(1, len(chart.days) // 8)
    for i, (x, _) in enumerate(_points([0] * len(chart.days), top)):
        if i % label_every == 0 or i == len(chart.days) - 1:
            out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                       f'font-size="12" fill="#333">{chart.days[i].strftime("%m-%d")}</text>')
    for series in chart.series:
        points = _points(series.counts, top)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{series.colour}" '
                   'stroke-width="2.5" stroke-linejoin="round"/>')
        for x, y in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{series.colour}"/>')
    out.append("</svg>")
    return "\n".join(out)
