"""Charts of a report as SVG, drawn with matplotlib from a `tables.Chart`.

The SVG is inlined in the HTML the PDF is rendered from, so:

- text stays text (`svg.fonttype = none`): searchable in the PDF, and small;
- the output is the same for the same chart (a fixed `svg.hashsalt` per chart,
  no creation date), so two builds of one report give the same file and two
  charts in one report never share an element id;
- labels are plain text, never mathtext (`text.parse_math = False`: a team
  called "Team $x$" stays that), and matplotlib escapes them in the SVG;
- a value of None (hidden because it rests on too few people) gets no bar at
  all, so no bar's height can give it away;
- colours are the Okabe–Ito palette, which people with any common form of
  colour blindness can tell apart; a stacked or grouped chart with more series
  than colours also gets hatching.

matplotlib is imported inside `chart_svg` (it is heavy and only report builds
need it), through its object API (`Figure`), never pyplot, whose global state is
not safe in a worker thread.
"""

import os
import re
import tempfile
import textwrap
from html import escape

from apps.reporting.tables import Chart

# Okabe & Ito (2008), "Color Universal Design"; black last, it reads as a border.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo"]
# 6.5 × 3.2 inch: fits the 170 mm of a portrait A4 page between the margins.
FIGURE_SIZE = (6.5, 3.2)
FONT_SIZE = 8
KINDS = ("bar", "grouped_bar", "stacked_bar", "hbar")

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'(?<=\s)(id)="([^"]+)"')
_REFERENCE = re.compile(r'(url\(|href=")#([^)"]+)')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL)


def nl_number(value: float) -> str:
    """1234 → '1.234', 12.5 → '12,5': the notation of the tables."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _ensure_config_dir() -> None:
    """matplotlib writes a font cache to its config dir, by default in the home
    directory, which a container may not have writable."""
    if not os.environ.get("MPLCONFIGDIR"):
        path = os.path.join(tempfile.gettempdir(), "matplotlib")
        os.makedirs(path, exist_ok=True)
        os.environ["MPLCONFIGDIR"] = path


def chart_svg(chart: Chart, *, chart_id: str = "chart") -> str:
    """The chart as an `<svg>` element (no XML prolog or DOCTYPE), ready to be
    inlined in HTML: role="img" with its title as accessible name.

    `chart_id` must be unique within the HTML page (a section's number, say)
    and consist of letters, digits and hyphens: it prefixes the element ids.
    """
    if chart.kind not in KINDS:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", chart_id):
        raise ValueError(f"chart_id {chart_id!r}: letters, digits and hyphens only")
    _ensure_config_dir()
    import io

    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    settings = {
        "svg.fonttype": "none",
        "svg.hashsalt": f"report-{chart_id}",
        "text.parse_math": False,
        "font.family": "DejaVu Sans",
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=FIGURE_SIZE)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        _draw(axes, chart)
        axes.set_title(chart.title, loc="left")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(
            buffer,
            format="svg",
            # No creation date (same chart, same file) and no RDF block.
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return _inline(buffer.getvalue(), chart.title, chart_id)


def _draw(axes, chart: Chart) -> None:
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    categories = list(chart.categories)
    series = [(name, list(values)) for name, values in chart.series]
    if chart.kind == "bar":
        series = series[:1]
    horizontal = chart.kind == "hbar"
    positions = list(range(len(categories)))
    count = max(len(series), 1)
    grouped = chart.kind in ("grouped_bar", "hbar") and count > 1
    width = 0.8 / count if grouped else 0.7
    bottoms = [0.0] * len(categories)
    handles = []
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        hatch = HATCHES[(index // len(PALETTE)) % len(HATCHES)]
        offset = (index - (count - 1) / 2) * width if grouped else 0.0
        # Hidden values (None) are left out: no bar, and no stacking on top of it.
        kept = [(i, float(v)) for i, v in enumerate(values[: len(categories)]) if v is not None]
        where = [positions[i] + offset for i, _ in kept]
        heights = [v for _, v in kept]
        style = {"color": colour, "hatch": hatch or None, "edgecolor": "white", "linewidth": 0.4}
        if chart.kind == "stacked_bar":
            base = [bottoms[i] for i, _ in kept]
            bars = axes.bar(where, heights, width, bottom=base, **style)
            for i, v in kept:
                bottoms[i] += v
        elif horizontal:
            bars = axes.barh(where, heights, width, **style)
        else:
            bars = axes.bar(where, heights, width, **style)
        if chart.kind in ("bar", "hbar") and len(categories) * count <= 24:
            axes.bar_label(bars, labels=[nl_number(v) for v in heights], padding=2, fontsize=7)
        # The legend gets the name as given, also one starting with "_" (which
        # matplotlib would otherwise leave out of an automatic legend).
        handles.append(Patch(facecolor=colour, hatch=hatch or None, edgecolor="white", label=name))

    value_axis, category_axis = (axes.xaxis, axes.yaxis) if horizontal else (axes.yaxis, axes.xaxis)
    # Long names over several lines: a label rotated or set beside the bars
    # stays inside the figure (tight_layout makes room for it), never past the page.
    if horizontal:
        axes.set_yticks(positions, labels=[textwrap.fill(c, 28) for c in categories])
        axes.invert_yaxis()  # the first category on top, as in the table
        if chart.unit:
            axes.set_xlabel(chart.unit)
    else:
        rotate = len(categories) > 6
        axes.set_xticks(
            positions,
            labels=[textwrap.fill(c, 18) for c in categories],
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
        )
        if chart.unit:
            axes.set_ylabel(chart.unit)
    value_axis.set_major_formatter(FuncFormatter(lambda value, _pos: nl_number(value)))
    category_axis.set_tick_params(length=0)
    axes.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) > 1 or chart.kind == "stacked_bar":
        axes.legend(
            handles=handles,
            labels=[name for name, _ in series],
            frameon=False,
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
        )


def _inline(svg: str, title: str, chart_id: str) -> str:
    """Drop the XML prolog and DOCTYPE (not allowed inside HTML), prefix every
    element id with `chart_id` (matplotlib names its groups "figure_1",
    "axes_1", … in every chart, and ids must be unique in the page), and give
    the root element role="img" with the title as its accessible name."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = _presentation_attributes(svg)
    svg = _ID.sub(lambda m: f'{m.group(1)}="{chart_id}-{m.group(2)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}#{chart_id}-{m.group(2)}", svg)
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element in matplotlib's output")
    title_id = f"{chart_id}-title"
    opening = (
        match.group(0)[:-1]
        + f' stroke-linejoin="round" stroke-linecap="butt" role="img" aria-labelledby="{title_id}">'
    )
    accessible = f'<title id="{title_id}">{escape(title, quote=True)}</title>'
    return svg[: match.start()] + opening + accessible + svg[match.end() :]


def _presentation_attributes(svg: str) -> str:
    """matplotlib styles its elements with `style="fill: …; stroke: …"` and
    one `<style>` element. Inside HTML, WeasyPrint reads those as CSS of the
    page, warns about every SVG property in them (hundreds of log lines per
    report) and ignores them; as presentation attributes (`fill="…"`) they mean
    the same to its SVG renderer and are not CSS of the page at all. The
    `<style>` element (round line joins, butt caps) becomes attributes of the
    root element instead."""
    svg = _STYLE_ELEMENT.sub("", svg)

    def attributes(match: re.Match) -> str:
        pairs = []
        for declaration in match.group(1).split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if re.fullmatch(r"[a-z-]+", name) and value:
                pairs.append(f' {name}="{value}"')
        return "".join(pairs)

    return _STYLE.sub(attributes, svg)
