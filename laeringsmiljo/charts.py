"""Charts drawn on the server as SVG: this module works out the coordinates, and the templates
templates/_line_chart.html and templates/_bar_chart.html draw them.

The SVG is written into the page, so it needs nothing the Content-Security-Policy would block:
no script, no style attribute and no <style>; every colour, line and dash comes from the
classes in static/css/laeringsmiljo.css (`.chart-…`). A chart is an image (role="img") named
by its <title> and <desc>, and the page shows the same figures in a table beside it.

Colours, each against white and against each other (WCAG 2.1 1.4.11 asks 3:1):
  series 1, navy   #0b1f44: 16.2:1 against white
  series 2, orange #c95f00:  4.1:1 against white, 4.0:1 against navy
  axes and ticks   #595959:  7.0:1 against white
Only two colours can each keep 3:1 against white and against each other, so a chart never has
more than two colours; lines differ also by marker and dash, bars also by being filled or
outlined, so colour is never the only cue.

Coordinates are plain numbers in the SVG's own units; the templates write them inside
`{% localize off %}`, so «12.5» is never written «12,5». Tick values are written the Norwegian
way (norwegian_number).
"""

import math

# The drawing's size in its own units; it scales to the width of its column.
LINE_WIDTH, LINE_HEIGHT = 640, 340
LINE_MARGIN = {"left": 56, "right": 24, "top": 64, "bottom": 64}
BAR_WIDTH = 640
BAR_MARGIN = {"left": 170, "right": 48, "top": 44, "bottom": 48}
BAR_HEIGHT, BAR_GAP, GROUP_GAP = 11, 3, 14

LINE_STYLES = [
    {"css": "chart-series-1", "marker": "circle"},
    {"css": "chart-series-2 chart-dashed", "marker": "square"},
]
# Four kinds of bar in two colours: outlined and filled in each.
BAR_STYLES = [
    "chart-bar-outline chart-series-1",
    "chart-bar-fill chart-series-1",
    "chart-bar-outline chart-series-2",
    "chart-bar-fill chart-series-2",
]


def norwegian_number(value, *, decimals=0):
    """A tick value as Norwegian writes it: «2,5», «1 500» (with a no-break space), «−1»."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return f"−{text}" if value < 0 else text


def nice_ticks(largest, *, count=5, whole=False):
    """Tick values from 0 to at least `largest`, about `count` steps of 1, 2, 2.5 or 5 times a
    power of ten (whole numbers only when `whole`), and how many decimals they need."""
    largest = float(largest or 0)
    if largest <= 0:
        largest = 1
    raw = largest / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw and (not whole or step >= 1 and step == int(step)):
            break
    if whole:
        step = max(1, int(math.ceil(step)))
    steps = int(math.ceil(largest / step - 1e-9))
    decimals = 0 if float(step).is_integer() else len(f"{step:g}".split(".")[1])
    return [round(i * step, 6) for i in range(steps + 1)], decimals


def _n(value):
    return round(float(value), 1)


def _frame(id, title, description, width, height, left, right, top, bottom):
    """What every chart's template reads alike: its names, its size, the plot area and where
    the ticks and their labels go below it."""
    return {
        "id": id,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "middle_x": _n((left + right) / 2),
        "tick_end": bottom + 5,
        "tick_label_y": bottom + 20,
    }


def line_chart(*, id, title, description, x_labels, series, y_label, x_label, notes=None):
    """A line chart: `series` is a list of (name, values), values one per x label, None where
    there is none; a None breaks the line (a gap, never a zero). `notes` puts a short text under
    an x label, such as «skjermet» (a list as long as x_labels, None for none)."""
    width, height, margin = LINE_WIDTH, LINE_HEIGHT, LINE_MARGIN
    left, top = margin["left"], margin["top"]
    right, bottom = width - margin["right"], height - margin["bottom"]
    values = [v for _name, vs in series for v in vs if v is not None]
    ticks, decimals = nice_ticks(max(values, default=0))
    top_value = ticks[-1]

    def y_of(value):
        return _n(bottom - (float(value) / top_value) * (bottom - top))

    count = len(x_labels)
    span = right - left
    xs = [_n(left + span * (i + 0.5) / count) for i in range(count)]
    notes = notes or [None] * count
    drawn = []
    for index, (name, vs) in enumerate(series):
        style = LINE_STYLES[index]
        points, segments, current = [], [], []
        for x, value in zip(xs, vs, strict=True):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            y = y_of(value)
            point = {"x": x, "y": y, "square_x": _n(x - 4), "square_y": _n(y - 4), "value": value}
            points.append(point)
            current.append(point)
        if current:
            segments.append(current)
        drawn.append(
            {
                "name": name,
                "css": style["css"],
                "marker": style["marker"],
                "paths": [
                    "M" + " L".join(f"{p['x']} {p['y']}" for p in segment)
                    for segment in segments
                    if len(segment) > 1
                ],
                "points": points,
            }
        )
    return {
        **_frame(id, title, description, width, height, left, right, top, bottom),
        "middle_y": _n((top + bottom) / 2),
        "note_y": bottom + 36,
        "y_tick_x": left - 6,
        "x_label_y": height - 6,
        "y_label": y_label,
        "x_label": x_label,
        "y_ticks": [{"y": y_of(t), "label": norwegian_number(t, decimals=decimals)} for t in ticks],
        "x_ticks": [
            {"x": x, "label": label, "note": note}
            for x, label, note in zip(xs, x_labels, notes, strict=True)
        ],
        "series": drawn,
        "legend": [_legend_item(s, x=left + i * 260) for i, s in enumerate(drawn)],
    }


def _legend_item(series, *, x):
    return {
        "name": series["name"],
        "css": series["css"],
        "marker": series["marker"],
        "x": x,
        "line_end": x + 36,
        "marker_x": x + 18,
        "square_x": x + 14,
        "text_x": x + 44,
    }


def bar_chart(*, id, title, description, categories, series, value_label):
    """A grouped bar chart lying down, one group per category with one bar per series, the
    count at the end of each bar. `series` is a list of (name, values), a whole number per
    category."""
    width, margin = BAR_WIDTH, BAR_MARGIN
    left, top, right = margin["left"], margin["top"], width - margin["right"]
    group = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    bottom = top + len(categories) * (group + GROUP_GAP) + GROUP_GAP // 2
    height = bottom + margin["bottom"]
    values = [v for _name, vs in series for v in vs]
    ticks, decimals = nice_ticks(max(values, default=0), whole=True)
    top_value = ticks[-1]

    def x_of(value):
        return _n(left + (float(value) / top_value) * (right - left))

    groups = []
    for c, category in enumerate(categories):
        group_top = top + GROUP_GAP // 2 + c * (group + GROUP_GAP)
        bars = []
        for s, (name, vs) in enumerate(series):
            value = vs[c]
            y = group_top + s * (BAR_HEIGHT + BAR_GAP)
            bars.append(
                {
                    "series": name,
                    "css": BAR_STYLES[s],
                    "value": value,
                    "text": norwegian_number(value),
                    "x": left,
                    "y": y,
                    "width": _n(x_of(value) - left),
                    "height": BAR_HEIGHT,
                    "text_x": _n(x_of(value) + 4),
                    "text_y": _n(y + BAR_HEIGHT - 2),
                }
            )
        groups.append({"label": category, "label_y": _n(group_top + group / 2 + 4), "bars": bars})
    legend_step = (right - 8) // max(len(series), 1)
    return {
        **_frame(id, title, description, width, height, left, right, top, bottom),
        "label_x": left - 8,
        "value_label_y": height - 6,
        "value_label": value_label,
        "ticks": [{"x": x_of(t), "label": norwegian_number(t, decimals=decimals)} for t in ticks],
        "groups": groups,
        "legend": [
            {
                "name": name,
                "css": BAR_STYLES[s],
                "x": 8 + s * legend_step,
                "text_x": 8 + s * legend_step + 22,
            }
            for s, (name, _vs) in enumerate(series)
        ],
    }
