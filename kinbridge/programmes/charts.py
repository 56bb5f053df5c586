"""Bar charts drawn on the server as SVG geometry (no chart library, no script).

:func:`bar_chart` returns numbers for ``programmes/reports/_bar_chart.html``,
which draws them with SVG attributes only (the content security policy allows
no inline styles). A hidden count (external figures) gets no bar, only its mark.
"""

from __future__ import annotations

import math

from kinbridge.programmes.suppression import Hidden

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 44


def nice_ceiling(value: int) -> int:
    """The axis maximum: 1, 2, 5 or 10 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def bar_chart(labels: list[str], values: list, *, title: str, description: str) -> dict:
    numbers = [0 if isinstance(value, Hidden) else int(value) for value in values]
    top = nice_ceiling(max(numbers, default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(values), 1)
    bar_width = max(slot * 0.7, 1)
    bars = []
    for index, (label, value, number) in enumerate(zip(labels, values, numbers, strict=True)):
        height = plot_height * number / top
        x = LEFT + index * slot + (slot - bar_width) / 2
        bars.append(
            {
                "x": round(x, 1),
                "y": round(TOP + plot_height - height, 1),
                "width": round(bar_width, 1),
                "height": round(height, 1),
                "label": label,
                "label_x": round(x + bar_width / 2, 1),
                "value": value,
                "hidden": isinstance(value, Hidden),
                "value_y": round(TOP + plot_height - height - 3, 1),
            }
        )
    ticks = [
        {"value": tick, "y": round(TOP + plot_height - plot_height * tick / top, 1)}
        for tick in (0, top // 2 if top >= 2 else None, top)
        if tick is not None
    ]
    return {
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": TOP + plot_height + 16,
        "bars": bars,
        "ticks": ticks,
        "rows": list(zip(labels, values, strict=True)),
        "small_labels": len(values) > 12,
    }
