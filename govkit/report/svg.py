"""Tiny inline SVG charts for the steward report (no scripts, no external resources)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

TIER_COLOURS = {"high": "#c0392b", "medium": "#e67e22", "low": "#7f8c8d"}
VIEW_COLOURS = {
    "raw": "#2c7be5",
    "masked": "#8e44ad",
    "tokenized": "#16a085",
    "generalized": "#d4ac0d",
    "deny": "#95a5a6",
}
PALETTE = ("#2c7be5", "#16a085", "#8e44ad", "#e67e22", "#c0392b", "#d4ac0d", "#34495e")


def stacked_bar(
    parts: Sequence[tuple[str, int]],
    colours: dict[str, str],
    *,
    width: int = 560,
    label: str = "",
    legend: bool = True,
) -> str:
    """One horizontal bar split into labelled parts, with a legend under it (unless not)."""
    total = sum(n for _, n in parts) or 1
    x = 0.0
    rects: list[str] = []
    keys: list[str] = []
    for i, (name, count) in enumerate(parts):
        colour = colours.get(name, PALETTE[i % len(PALETTE)])
        w = width * count / total
        if count:
            rects.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{colour}">'
                f"<title>{escape(name)}: {count}</title></rect>"
            )
        x += w
        lx = i * 130
        keys.append(
            f'<rect x="{lx}" y="32" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="43" font-size="12">{escape(name)} {count}</text>'
        )
    if not legend:
        return (
            f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" '
            f'height="22" xmlns="http://www.w3.org/2000/svg">{"".join(rects)}</svg>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" '
        f'width="{max(width, len(parts) * 130)}" height="50" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rects)}{"".join(keys)}</svg>'
    )


def legend_svg(names: Sequence[str], colours: dict[str, str], *, label: str = "") -> str:
    """A colour key alone (for a table of bars without their own legends)."""
    keys = [
        f'<rect x="{i * 130}" y="4" width="12" height="12" fill="{colours.get(n, PALETTE[i % len(PALETTE)])}"/>'
        f'<text x="{i * 130 + 16}" y="15" font-size="12">{escape(n)}</text>'
        for i, n in enumerate(names)
    ]
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{len(names) * 130}" '
        f'height="20" xmlns="http://www.w3.org/2000/svg">{"".join(keys)}</svg>'
    )


def bar_chart(rows: Sequence[tuple[str, int]], *, width: int = 560, label: str = "") -> str:
    """Horizontal bars, one per row, scaled to the largest value."""
    if not rows:
        return ""
    top = max(n for _, n in rows) or 1
    bar_x, bar_w, step = 170, width - 230, 22
    parts: list[str] = []
    for i, (name, count) in enumerate(rows):
        y = i * step
        w = bar_w * count / top
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{bar_x - 6}" y="{y + 14}" font-size="12" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{bar_x}" y="{y + 3}" width="{w:.1f}" height="15" fill="{colour}"/>'
            f'<text x="{bar_x + w + 5:.1f}" y="{y + 14}" font-size="12">{count}</text>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" '
        f'height="{len(rows) * step + 4}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
