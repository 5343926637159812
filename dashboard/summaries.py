"""Sentences that read out the state of the data (pure functions of query frames and a year's coverage).

A reported year is read out as printed, with what was recorded in the dashboard since named beside it; a year
in progress says what was recorded so far and what that rests on, never a share computed from no records.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import _, format_number, format_percent, ngettext, region_label


def activity_sentence(by_region: pd.DataFrame, *, year: int, coverage: dict | None = None) -> str:
    """'108 of 141 members were active in 2020 as printed (76.6%); Africa 17 of 25, ...' from
    engagement_by_region; for a year in progress (coverage['kind']), what was recorded so far."""
    df = by_region[by_region["members"] > 0]
    if df.empty:
        return _("No members in the selected regions.")
    total, active = int(df["members"].sum()), int(df["activated"].sum())
    if coverage is not None and coverage["kind"] == "in_progress":
        return in_progress_sentence(coverage, year=year, total=total)
    printed = coverage is not None
    added = (coverage or {}).get("activated_added", 0)
    # whole sentences (the verb agrees with the active count in French and Spanish), never glued pieces
    figures = {"active": format_number(active), "total": format_number(total), "year": year,
               "share": format_percent(active / total, decimals=1), "added": format_number(added)}
    if printed and added:
        head = ngettext("%(active)s of %(total)s members was active in %(year)s as printed (%(share)s), and "
                        "%(added)s more recorded in the dashboard since",
                        "%(active)s of %(total)s members were active in %(year)s as printed (%(share)s), and "
                        "%(added)s more recorded in the dashboard since", active, **figures)
    elif printed:
        head = ngettext("%(active)s of %(total)s members was active in %(year)s as printed (%(share)s)",
                        "%(active)s of %(total)s members were active in %(year)s as printed (%(share)s)",
                        active, **figures)
    else:
        head = ngettext("%(active)s of %(total)s members was active in %(year)s (%(share)s)",
                        "%(active)s of %(total)s members were active in %(year)s (%(share)s)", active, **figures)
    if len(df) == 1:
        return head + "."
    parts = [_("%(region)s %(active)s of %(total)s", region=region_label(r.region), active=format_number(r.activated),
               total=format_number(r.members))
             for r in df.itertuples()]
    best = df.assign(share=df["activated"] / df["members"]).sort_values("share", ascending=False).iloc[0]
    # one sentence with placeholders (each language punctuates it its own way: '; ' in English, ' ; ' in French)
    return (_("%(network)s; by region: %(regions)s.", network=head, regions=", ".join(parts)) + " "
            + _("The most active region was %(region)s (%(share)s).", region=region_label(best["region"]),
                share=format_percent(best["share"], decimals=1)))


def in_progress_sentence(coverage: dict, *, year: int, total: int) -> str:
    """'2021 is a year in progress: so far 2 of 141 members have a recorded activity (1 event recorded).'"""
    if not coverage["members_activated"]:
        return _("%(year)s is a year in progress: no activity of the members has been recorded yet.", year=year)
    rests = ", ".join([ngettext("%(n)s event", "%(n)s events", coverage["events"]),
                       ngettext("%(n)s bilateral meeting", "%(n)s bilateral meetings", coverage["bilateral_meetings"])])
    return _("%(year)s is a year in progress: so far %(n)s of %(total)s members have a recorded activity "
             "(%(rests)s recorded); the others have no record yet, which does not mean they were inactive.",
             year=year, n=format_number(coverage["members_activated"]), total=format_number(total), rests=rests)


def fee_sentence(by_region: pd.DataFrame, *, year: int, coverage: dict | None = None) -> str:
    """'77 of 141 members paid their 2020 fee as printed (54.6%).'; for a year in progress, the fee records so
    far ('No fee payments recorded for 2021 yet.')."""
    df = by_region[by_region["members"] > 0]
    if df.empty:
        return ""
    total, paid = int(df["members"].sum()), int(df["fee_paid"].sum())
    unknown = int(df["fee_unknown"].sum()) if "fee_unknown" in df else 0
    if coverage is not None and coverage["kind"] == "in_progress":
        if not coverage["fee_records"]:
            return _("No fee payments recorded for %(year)s yet.", year=year)
        return ngettext("%(records)s fee payment recorded for %(year)s so far (%(paid)s paid); %(missing)s members "
                        "without a record.", "%(records)s fee payments recorded for %(year)s so far (%(paid)s paid); "
                        "%(missing)s members without a record.", coverage["fee_records"],
                        records=format_number(coverage["fee_records"]), year=year,
                        paid=format_number(coverage["fees_paid"]),
                        missing=format_number(max(total - coverage["fee_records"], 0)))
    added = (coverage or {}).get("fees_paid_added", 0)
    printed = paid - added
    shown = paid if coverage is None else printed
    figures = {"paid": format_number(shown), "total": format_number(total), "year": year,
               "share": format_percent(shown / total, decimals=1), "added": format_number(added),
               "unknown": format_number(unknown)}
    # an unreadable cell is neither paid nor unpaid: the sentence says how many the count leaves out
    if coverage is None:
        text = (ngettext("%(paid)s of %(total)s members paid their %(year)s fee (%(share)s); for %(unknown)s the "
                         "report's cell is unreadable (unknown).",
                         "%(paid)s of %(total)s members paid their %(year)s fee (%(share)s); for %(unknown)s the "
                         "report's cells are unreadable (unknown).", unknown, **figures) if unknown else
                _("%(paid)s of %(total)s members paid their %(year)s fee (%(share)s).", **figures))
    elif added and unknown:
        text = ngettext("%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s), and "
                        "%(added)s payments recorded in the dashboard since; for %(unknown)s the report's cell is "
                        "unreadable (unknown).",
                        "%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s), and "
                        "%(added)s payments recorded in the dashboard since; for %(unknown)s the report's cells are "
                        "unreadable (unknown).", unknown, **figures)
    elif added:
        text = ngettext("%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s), and "
                        "%(added)s payment recorded in the dashboard since.",
                        "%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s), and "
                        "%(added)s payments recorded in the dashboard since.", added, **figures)
    elif unknown:
        text = ngettext("%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s); for "
                        "%(unknown)s the report's cell is unreadable (unknown).",
                        "%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s); for "
                        "%(unknown)s the report's cells are unreadable (unknown).", unknown, **figures)
    else:
        text = _("%(paid)s of %(total)s members paid their %(year)s fee as printed (%(share)s).", **figures)
    return text


def _regions_words(regions: list[str] | None) -> str:
    if not regions:
        return ""
    if len(regions) == 1:
        return regions[0]
    return _("%(first)s and %(last)s", first=", ".join(regions[:-1]), last=regions[-1])


def coverage_sentence(with_values: int, members: int, *, regions: list[str] | None, year: int) -> str:
    """'Values for 12 of 25 members of Africa, 2021' (or '... of 141 members, 2021' for every region)."""
    if regions:
        return _("Values for %(n)s of %(total)s members of %(regions)s, %(year)s", n=format_number(with_values),
                 total=format_number(members), regions=_regions_words(regions), year=year)
    return _("Values for %(n)s of %(total)s members, %(year)s", n=format_number(with_values),
             total=format_number(members), year=year)


def indicators_sentence(indicators: pd.DataFrame, coverage: pd.DataFrame, *, regions: list[str] | None,
                        year: int) -> str:
    """The Indicators page's headline, from metropolitan_indicators and coverage_by_region: how many indicators
    have a printed network figure and how much of the membership the per-member values cover."""
    if indicators.empty:
        return _("The store holds no metropolitan indicators.")
    printed = int(indicators["network_printed"].astype(bool).sum())
    by_code = coverage.groupby("code", sort=False)[["with_values", "members"]].sum()
    covered = by_code[by_code["with_values"] > 0]
    where = _regions_words(regions)
    # whole sentences: each language orders and agrees the parts its own way
    if covered.empty:
        if regions:
            return _("The Observatory gives network figures for %(printed)s of %(n)s metropolitan indicators; no "
                     "member of %(regions)s has a value of its own in %(year)s.", printed=printed,
                     n=len(indicators), regions=where, year=year)
        return _("The Observatory gives network figures for %(printed)s of %(n)s metropolitan indicators; no member "
                 "has a value of its own in %(year)s.", printed=printed, n=len(indicators), year=year)
    members = int(by_code["members"].iloc[0])
    best = covered.sort_values("with_values", ascending=False, kind="stable")
    names = dict(zip(indicators["code"], indicators["name"]))
    top = best.index[0]
    figures = {"printed": printed, "indicators": len(indicators), "k": len(covered), "year": year,
               "name": names.get(top, top), "count": int(best.iloc[0]["with_values"]), "total": members,
               "regions": where}
    if regions:
        return ngettext(
            "The Observatory gives network figures for %(printed)s of %(indicators)s metropolitan indicators; %(k)s of them "
            "has values per member in %(year)s: %(name)s (%(count)s of %(total)s members of %(regions)s).",
            "The Observatory gives network figures for %(printed)s of %(indicators)s metropolitan indicators; %(k)s of them "
            "have values per member in %(year)s, the most for %(name)s (%(count)s of %(total)s members of "
            "%(regions)s).", len(covered), **figures)
    return ngettext(
        "The Observatory gives network figures for %(printed)s of %(indicators)s metropolitan indicators; %(k)s of them has "
        "values per member in %(year)s: %(name)s (%(count)s of %(total)s members).",
        "The Observatory gives network figures for %(printed)s of %(indicators)s metropolitan indicators; %(k)s of them have "
        "values per member in %(year)s, the most for %(name)s (%(count)s of %(total)s members).", len(covered),
        **figures)
