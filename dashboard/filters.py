"""The one filter value: what a page, a chart, an export, an embed or a link is drawn for (regions, year, language,
the chart's options). dashboard.validation.parse_filters makes one from a request; dashboard.urls writes one back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dashboard.i18n import SHORT_DATE, _, format_date, region_label
from db.asof import frozen, viewed_meeting_slug


@dataclass(frozen=True)
class ChartFilters:
    """Regions (None = all), a year (None only when the store holds none), the language asked for in the address
    (None = not asked: the request's own), and the chart's own options.

    `notices` (what the parser could not use, for the user) and the audience flags never change a chart's
    identity: they are left out of equality and of the repr the caches key on (except the flags, which do)."""

    regions: list[str] | None = None
    year: int | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    lang: str | None = None
    show_fees: bool = True  # per-member fee payments: set by charts.render() from who is asking (never public)
    signed_in: bool = True  # small recorded gender counts: set by charts.render() (anonymous visitors never see them)
    part: tuple[int, int] | None = None  # (n, of): the n-th of `of` parts of a chart split by rows (charts.slide_parts)
    as_of: str | None = field(default_factory=viewed_meeting_slug)  # the Board meeting read (db/asof.py), or None
    notices: list[str] = field(default_factory=list, compare=False, repr=False)

    def words(self) -> str:
        """The filters in words, in the page's language: 'Europe · 2020', 'Toutes les régions · 2020', 'Europa · 2020'."""
        regions = ", ".join(region_label(r) for r in self.regions) if self.regions else _("All regions")
        meeting = frozen()
        if self.as_of and meeting is not None and meeting.slug == self.as_of and meeting.held_on is not None:
            # every chart's subtitle, export and slide then says which Board meeting it shows
            return _("%(regions)s · %(year)s · as presented to the Board on %(date)s", regions=regions,
                     year=self.year, date=format_date(meeting.held_on, format=SHORT_DATE))
        return f"{regions} · {self.year}"

    def with_options(self, options: Mapping[str, object] | None = None) -> ChartFilters:
        """The same regions, year and language with the chart options `options` (none: the chart's defaults)."""
        return replace(self, options=dict(options or {}), notices=[])
