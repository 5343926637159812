"""Map of the members: coloured by region or by engagement, sized by engagement breadth."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.style import (
    HONORARY_COLOUR,
    MUTED_COLOUR,
    REGION_COLOURS,
    SEQUENTIAL,
    base_layout,
    empty_figure,
    new_figure,
    update_layout,
    with_source,
)
from dashboard.translation import Translator

DIMENSIONS = 11
COLOUR_MODES = ("region", "engagement")


MAP_SIZED_MAX = 1000  # more members than this: smaller dots, or they cover the map


def _size(breadth: pd.Series, many: bool = False) -> pd.Series:
    return (3 + 0.6 * breadth.clip(lower=0)) if many else (7 + 2.2 * breadth.clip(lower=0))


def _ticks(dimensions: int) -> list[int]:
    """Colour-bar ticks every 3 up to the top, the top itself labelled (0, 3, 6, 9, 11 or 0, 3, 6, 10)."""
    return [*range(0, dimensions - 1, 3), dimensions]


def _yes_no(value, tr: Translator) -> str:
    if value is None or pd.isna(value):
        return tr.gettext("not recorded")
    return tr.gettext("yes") if bool(value) else tr.gettext("no")


def _hover(df: pd.DataFrame, year: int, show_fees: bool, dimensions: int, tr: Translator) -> list[str]:
    texts = []
    for r in df.itertuples():
        # the official name as the member list prints it; the country and region in the reader's language
        lines = [f"<b>{r.name}</b>", r.official_name,
                 f"{tr.country_name(getattr(r, 'country_code', None), r.country)} · {tr.region_label(r.region)}"]
        if r.honorary:
            lines.append(tr.gettext("Honorary member"))
        else:
            lines.append(tr.gettext("Active in %(year)s: %(answer)s", year=year, answer=_yes_no(r.activated, tr)))
            if show_fees:
                answer = tr.gettext("unknown (unreadable in the report)") if getattr(r, "fee_unknown", False) else \
                    _yes_no(r.fee_paid, tr)
                lines.append(tr.gettext("%(year)s fee paid: %(answer)s", year=year, answer=answer))
            lines.append(tr.gettext("Engaged in %(n)s of %(total)s dimensions", n=r.breadth, total=dimensions))
            # without the fee column, its unknown cell is not counted either (fees are never public)
            unknown = int(getattr(r, "unknown", 0) or 0) - (0 if show_fees else int(getattr(r, "fee_unknown", False)))
            if unknown:
                lines.append(tr.ngettext("%(n)s dimension unknown (unreadable in the report)",
                                         "%(n)s dimensions unknown (unreadable in the report)", int(unknown)))
            if r.member_since == year:
                lines.append(tr.gettext("New member in %(year)s", year=year))
        lines.append("<i>" + tr.gettext("Click to open the member's page") + "</i>")
        texts.append("<br>".join(lines))
    return texts


def member_map_figure(df: pd.DataFrame, *, year: int, colour_by: str, zoom_to_data: bool, title: str,
                      subtitle: str, source: str, tr: Translator, show_fees: bool = True,
                      dimensions: int = DIMENSIONS) -> dict:
    """Scatter-geo map of `df` (member_engagement_summary rows).

    `dimensions` is what a breadth counts (11, or 10 when the fee is left out: `show_fees` False).
    colour_by 'region' draws one trace per region (legend); 'engagement' colours by breadth (0-dimensions) on a
    colour-blind-safe sequential scale. Marker size grows with breadth. customdata[0] is the member slug.
    zoom_to_data fits the view to the members shown (a region filter); otherwise the whole world.
    """
    if df.empty:
        return empty_figure(tr.gettext("No members in the selected regions."), title=title, subtitle=subtitle)
    fig = new_figure()
    many = len(df) > MAP_SIZED_MAX
    marker_line = {"width": 0 if many else 1, "color": "white"}
    # every column and hover text read once for all the members, each trace then picks its members' rows (a
    # frame filtered, grouped and walked again per trace costs more than the figure itself)
    hover = _hover(df, year, show_fees, dimensions, tr)
    lat, lon, slug, region_of, honorary_of, breadth = (
        df[c].tolist() for c in ("latitude", "longitude", "slug", "region", "honorary", "breadth"))
    size = _size(df["breadth"], many).tolist()

    def trace(rows: list[int], **fields) -> dict:
        return dict(type="scattergeo", lat=[lat[i] for i in rows], lon=[lon[i] for i in rows], mode="markers",
                    name=fields.pop("name"), customdata=[[slug[i]] for i in rows],
                    hovertext=[hover[i] for i in rows], hoverinfo="text", **fields)

    regular = [i for i, h in enumerate(honorary_of) if not h]
    if colour_by == "engagement":
        fig["data"].append(trace(
            regular, name=tr.gettext("Members"),
            marker={"size": [size[i] for i in regular], "color": [breadth[i] for i in regular],
                    "colorscale": SEQUENTIAL,
                    "cmin": 0, "cmax": dimensions, "line": {"width": 0.8, "color": "#495057"}, "opacity": 0.95,
                    "colorbar": {"title": {"text": tr.gettext("Dimensions<br>engaged"), "font": {"size": 12}},
                                 "tickvals": _ticks(dimensions), "thickness": 14, "len": 0.6}},
            showlegend=False))
    else:
        groups: dict[str, list[int]] = {}  # the regions in the order they first appear (groupby(sort=False))
        for i in regular:
            if not pd.isna(region_of[i]):  # as groupby, which leaves out a missing key
                groups.setdefault(region_of[i], []).append(i)
        for region, rows in groups.items():
            fig["data"].append(trace(
                rows, name=tr.region_label(region),
                marker={"size": [size[i] for i in rows], "color": REGION_COLOURS.get(region, MUTED_COLOUR),
                        "line": marker_line, "opacity": 0.9}))
    honorary = [i for i, h in enumerate(honorary_of) if h]
    if honorary:
        fig["data"].append(trace(
            honorary, name=tr.gettext("Honorary member"),
            marker={"size": 11, "symbol": "diamond", "color": HONORARY_COLOUR, "line": marker_line}))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=470)
    update_layout(fig, geo=dict(
        projection={"type": "natural earth"}, showland=True, landcolor="#E9ECEF", showcountries=True,
        countrycolor="#FFFFFF", countrywidth=0.6, showcoastlines=True, coastlinecolor="#ADB5BD", coastlinewidth=0.5,
        showocean=True, oceancolor="#F8FBFF", showlakes=False, showframe=False,
        resolution=50 if zoom_to_data else 110,  # finer shapes when zoomed to a region (both served locally)
        fitbounds="locations" if zoom_to_data else False,
    ))
    update_layout(fig, legend={"itemsizing": "constant"})  # in its own band under the title (lay_out)
    note = (tr.gettext("Marker size: number of the eleven engagement dimensions (annual report section 4.1) in which the "
              "member engaged in %(year)s.", year=year) if dimensions == DIMENSIONS else
            tr.gettext("Marker size: number of the engagement dimensions (annual report section 4.1) in which the member "
              "engaged in %(year)s, out of %(n)s: a member's fee payment is shown to signed-in users only.",
              year=year, n=dimensions))
    return with_source(fig, source, tr=tr, note=note)


def member_location_figure(latitude: float, longitude: float, *, name: str, region: str) -> dict:
    """A small map centred on one member (orthographic globe, so the location reads at a glance)."""
    return new_figure(
        [dict(type="scattergeo", lat=[latitude], lon=[longitude], mode="markers+text", text=[name],
              textposition="top center", hoverinfo="text", hovertext=[name], textfont={"size": 14, "color": "#212529"},
              marker={"size": 14, "color": REGION_COLOURS.get(region, MUTED_COLOUR),
                      "line": {"width": 2, "color": "white"}})],
        geo={"projection": {"type": "orthographic", "rotation": {"lon": longitude, "lat": latitude}},
             "showland": True, "landcolor": "#E9ECEF", "showcountries": True, "countrycolor": "#FFFFFF",
             "showocean": True, "oceancolor": "#F8FBFF", "showcoastlines": True, "coastlinecolor": "#ADB5BD",
             "showframe": False, "resolution": 110, "fitbounds": False},
        height=320, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
