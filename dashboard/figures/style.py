"""Shared look of every figure: colours (one per region, colour-blind safe), fonts, titles, source lines."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.translation import Translator

# Okabe-Ito palette (safe for the common colour-vision deficiencies); one colour per region everywhere.
REGION_COLOURS: dict[str, str] = {
    "Africa": "#E69F00",
    "Asia-Pacific": "#0072B2",
    "Europe": "#009E73",
    "Latin America and the Caribbean": "#CC79A7",
    "North America": "#D55E00",
}
HONORARY_COLOUR = "#6C757D"

STATUS_COLOURS: dict[str, str] = {
    "done": "#009E73",
    "in_progress": "#E69F00",
    "not_done": "#D55E00",
    "unknown": "#ADB5BD",
}

ROLE_COLOURS: dict[str, str] = {
    "organised": "#0072B2",
    "co_organised": "#56B4E9",
    "participated": "#E69F00",
    "not_stated": "#ADB5BD",
}

KIND_COLOURS: dict[str, str] = {
    "statutory": "#0072B2",
    "wmd": "#D55E00",
    "learning": "#009E73",
    "global_event": "#E69F00",
    "webinar": "#CC79A7",
    "other": "#6C757D",
}

WOMEN_COLOUR = "#CC79A7"
MEN_COLOUR = "#56B4E9"
PARITY_COLOUR = "#212529"
# A cell the report prints unreadably (unknown, not zero): a mid grey unlike any value of SEQUENTIAL
UNKNOWN_COLOUR = "#ADB5BD"

# Sequential scale for counts: white to dark blue (readable in grey, safe for colour-vision deficiencies).
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.15, "#DEEBF7"], [0.4, "#9ECAE1"], [0.7, "#4292C6"], [1.0, "#08306B"]]

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#6C757D"
BASE_FONT_SIZE = 14


# The house template: plotly_white with our fonts, registered as the default once, so every new figure starts from
# it without the cost of validating a template per figure (tens of milliseconds each).
HOUSE_TEMPLATE = "metropolis"
_house = go.layout.Template(pio.templates["plotly_white"])
_house.layout.update(font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT_COLOUR},
                     hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}}, legend={"font": {"size": 13}},
                     separators=".,")
pio.templates[HOUSE_TEMPLATE] = _house
pio.templates.default = HOUSE_TEMPLATE


def base_layout(fig: go.Figure, *, title: str, subtitle: str = "", height: int | None = None) -> go.Figure:
    """Apply the house style (the default template: white background, readable fonts), title and subtitle (the
    filters in words)."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "pad": {"l": 12}, "font": {"size": 20},
               "subtitle": {"text": subtitle, "font": {"size": 14, "color": MUTED_COLOUR}}},
        margin={"l": 20, "r": 20, "t": 80 if subtitle else 60, "b": 90},
    )
    if height is not None:
        fig.update_layout(height=height)
    return fig


SOURCE_LINE_CHARS = 150


def _wrap(text: str, width: int = SOURCE_LINE_CHARS) -> str:
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def with_source(fig: go.Figure, source: str, *, tr: Translator, note: str = "") -> go.Figure:
    """Draw the source line (and an optional note) under the plot, so a screenshot or export carries it.
    Long lines are wrapped: plotly does not wrap annotation text."""
    text = _wrap(tr.gettext("Source: %(source)s", source=source))
    if note:
        text += "<br>" + _wrap(note)
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, yshift=-12, xanchor="left",
                       yanchor="top", showarrow=False, align="left",
                       font={"size": 11, "color": MUTED_COLOUR})
    bottom = fig.layout.margin.b or 0
    # the language's decimal and thousands signs, on screen and in exports
    fig.update_layout(margin={"b": max(bottom, 70 + 16 * text.count("<br>"))}, separators=tr.number_separators())
    return fig


def empty_figure(message: str, *, title: str = "", subtitle: str = "") -> go.Figure:
    """A figure that says in words why there is nothing to plot (no empty axes)."""
    fig = go.Figure()
    base_layout(fig, title=title, subtitle=subtitle, height=320)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font={"size": 16, "color": MUTED_COLOUR})
    return fig


def source_text(df) -> str:
    """Return the documents and top-level sections behind the rows of `df` (source_citation, source_section):
    'Metropolis Annual Report 2020, 4.1 Engagement of our membership; Metropolis Progress Report ..., Activities'."""
    if df is None or df.empty or "source_citation" not in df:
        return ""
    sections: dict[str, list[str]] = {}
    for citation, section in zip(df["source_citation"], df["source_section"]):
        top = str(section).split(":")[0].strip()
        found = sections.setdefault(citation, [])
        if top not in found:
            found.append(top)
    return "; ".join(f"{citation}, {', '.join(tops)}" for citation, tops in sections.items())


def _luminance(colour: str) -> float:
    """The relative luminance (WCAG 2) of a #RRGGBB colour."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours (1 to 21; text needs at least 4.5)."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """The text colour (near-black or white) that reads best on `fill`: the one with the higher contrast."""
    return TEXT_COLOUR if contrast_ratio(TEXT_COLOUR, fill) >= contrast_ratio("#FFFFFF", fill) else "#FFFFFF"
