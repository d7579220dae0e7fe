"""Small server-drawn SVG charts (no JavaScript, nothing from a CDN).

Each function takes already-aggregated numbers and returns safe SVG markup
with a ``<title>`` and an ``aria-label`` so screen readers get the figures too.
"""
from math import cos, pi, sin

from django.utils.html import escape
from django.utils.safestring import mark_safe

from reports.models import FILED_STATUSES

PALETTE = ("#1a4f93", "#54309a", "#1e7b34", "#9aa1ab", "#8a5a00", "#b3261e", "#0e7490", "#a16207")
#: The review page's colours (static/css/app.css ``.report-*``): grey not started, amber draft or returned,
#: blue submitted, green approved; red only for what is overdue, as the review page marks overdue rows.
STATUS_COLOURS = {
    "not_started": "#9aa1ab", "draft": "#8a5a00", "returned": "#c08a1e", "submitted": "#1a4f93", "approved": "#1e7b34",
}
OVERDUE_COLOUR = "#b3261e"


def _svg(width: int, height: int, label: str, body: str) -> str:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="12">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def donut(segments: list[tuple[str, int]], title: str, centre: str = "") -> str:
    """A ring split into ``segments`` (label, count), with a legend on the right."""
    total = sum(value for _label, value in segments)
    cx, cy, r, width = 80, 80, 60, 26
    body, angle = [], -pi / 2
    for index, (label, value) in enumerate(segments):
        colour = PALETTE[index % len(PALETTE)]
        if total and value:
            sweep = 2 * pi * value / total
            if value == total:  # a full ring cannot be drawn as one arc
                body.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{colour}" stroke-width="{width}"/>')
            else:
                end = angle + sweep
                x1, y1, x2, y2 = cx + r * cos(angle), cy + r * sin(angle), cx + r * cos(end), cy + r * sin(end)
                large = 1 if sweep > pi else 0
                body.append(f'<path d="M{x1:.2f},{y1:.2f} A{r},{r} 0 {large} 1 {x2:.2f},{y2:.2f}" fill="none" '
                            f'stroke="{colour}" stroke-width="{width}"><title>{escape(label)} {value}</title></path>')
                angle = end
        y = 30 + index * 24
        body.append(f'<rect x="180" y="{y - 11}" width="14" height="14" rx="2" fill="{colour}"/>'
                    f'<text x="200" y="{y}">{escape(label)}  {value}（{_percent(value, total)}%）</text>')
    if not total:
        body.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#dde1e6" stroke-width="{width}"/>')
    body.append(f'<text x="{cx}" y="{cy + 6}" text-anchor="middle" font-size="18" font-weight="700">{escape(centre)}</text>')
    summary = "；".join(f"{label} {value}" for label, value in segments)
    return _svg(420, 170, f"{title}：{summary}", "".join(body))


def bars(items: list[tuple[str, int]], title: str) -> str:
    """Horizontal bars, largest first as given."""
    if not items:
        return _svg(420, 40, title, '<text x="0" y="24" fill="#5c6470">暂无数据</text>')
    top = max(value for _label, value in items) or 1
    row, label_width, bar_width = 26, 130, 230
    body = []
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        length = max(2, bar_width * value / top)
        body.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                    f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" rx="2" fill="{PALETTE[0]}"/>'
                    f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{value}</text>')
    summary = "；".join(f"{label} {value}" for label, value in items)
    return _svg(420, len(items) * row + 8, f"{title}：{summary}", "".join(body))


def line(points: list[tuple[str, float]], title: str, colour: str = PALETTE[0],
         also: tuple[str, list[tuple[str, float]], str] | None = None) -> str:
    """A 0–100 % line over months; ``points`` are (month label, percent).

    ``also``: (label, points, colour) of a second line drawn under the first, with a legend
    (the contact rate's self-reports).
    """
    width, height, left, bottom, top = 420, 190, 36, 160, 12
    step = (width - left - 12) / max(1, len(points) - 1)
    body = []
    for pct in (0, 50, 100):
        y = bottom - (bottom - top) * pct / 100
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde1e6"/>'
                    f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#5c6470">{pct}%</text>')

    def series(values, stroke):
        coords = [(left + index * step, bottom - (bottom - top) * min(pct, 100) / 100)
                  for index, (_m, pct) in enumerate(values)]
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(f'<polyline points="{path}" fill="none" stroke="{stroke}" stroke-width="2.5"/>')
        return coords

    summary = "；".join(f"{label} {pct}%" for label, pct in points)
    extra_height = 0
    if also:
        also_label, also_points, also_colour = also
        for (label, pct), (x, y) in zip(also_points, series(also_points, also_colour)):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{also_colour}">'
                        f'<title>{escape(also_label)} {escape(label)} {pct}%</title></circle>')
        body.append(f'<rect x="{left}" y="{height + 6}" width="14" height="4" fill="{colour}"/>'
                    f'<text x="{left + 20}" y="{height + 12}">{escape(title)}</text>'
                    f'<rect x="{left + 150}" y="{height + 6}" width="14" height="4" fill="{also_colour}"/>'
                    f'<text x="{left + 170}" y="{height + 12}">{escape(also_label)}</text>')
        summary += f"。{also_label}：" + "；".join(f"{label} {pct}%" for label, pct in also_points)
        extra_height = 20
    coords = series(points, colour)
    for (label, pct), (x, y) in zip(points, coords):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(label)} {pct}%</title></circle>'
                    f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" fill="#5c6470" font-size="11">{escape(label)}</text>')
    return _svg(width, height + 4 + extra_height, f"{title}：{summary}", "".join(body))


def stacked(segments: list[tuple[str, str, int]], title: str, overdue: bool = False) -> str:
    """One bar split by status; ``segments`` are (status key, label, count).

    ``overdue``: the deadline has passed, so the branches not filed yet are overdue and drawn red.
    """
    total = sum(value for _key, _label, value in segments)
    segments = [(key, f"{label}（逾期）" if overdue and key not in FILED_STATUSES else label,
                 OVERDUE_COLOUR if overdue and value and key not in FILED_STATUSES else STATUS_COLOURS.get(key, PALETTE[5]),
                 value) for key, label, value in segments]
    width, x, body = 400, 0.0, []
    for key, label, colour, value in segments:
        if total and value:
            length = width * value / total
            body.append(f'<rect x="{x:.1f}" y="4" width="{length:.1f}" height="26" fill="{colour}" stroke="#fff">'
                        f'<title>{escape(label)} {value}</title></rect>')
            x += length
    for index, (key, label, colour, value) in enumerate(segments):
        lx = (index % 3) * 140
        ly = 52 + (index // 3) * 22
        body.append(f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" rx="2" fill="{colour}"/>'
                    f'<text x="{lx + 20}" y="{ly}">{escape(label)} {value}</text>')
    summary = "；".join(f"{label} {value}" for _key, label, _colour, value in segments)
    return _svg(420, 100, f"{title}：{summary}", "".join(body))
