"""Sentences that read out the state of the data (pure functions of query frames)."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import _, format_number, format_percent


def activity_sentence(by_region: pd.DataFrame, *, year: int) -> str:
    """'108 of 141 members were active in 2020; Africa 17 of 25, ...' from engagement_by_region."""
    df = by_region[by_region["members"] > 0]
    if df.empty:
        return _("No members in the selected regions.")
    total, active = int(df["members"].sum()), int(df["activated"].sum())
    head = _("%(active)s of %(total)s members were active in %(year)s (%(share)s)", active=format_number(active),
             total=format_number(total),
             year=year, share=format_percent(active / total, decimals=1))
    if len(df) == 1:
        return head + "."
    parts = [_("%(region)s %(active)s of %(total)s", region=r.region, active=format_number(r.activated),
               total=format_number(r.members))
             for r in df.itertuples()]
    best = df.assign(share=df["activated"] / df["members"]).sort_values("share", ascending=False).iloc[0]
    return (head + "; " + ", ".join(parts) + ". "
            + _("The most active region was %(region)s (%(share)s).", region=best["region"],
                share=format_percent(best["share"], decimals=1)))


def fee_sentence(by_region: pd.DataFrame, *, year: int) -> str:
    df = by_region[by_region["members"] > 0]
    if df.empty:
        return ""
    total, paid = int(df["members"].sum()), int(df["fee_paid"].sum())
    unknown = int(df["fee_unknown"].sum()) if "fee_unknown" in df else 0
    sentence = _("%(paid)s of %(total)s members paid their %(year)s fee (%(share)s).", paid=format_number(paid),
                 total=format_number(total), year=year,
                 share=format_percent(paid / total, decimals=1))
    if unknown:  # an unreadable cell is neither paid nor unpaid: say how many the count leaves out
        sentence = sentence[:-1] + _("; for %(n)s the report's cell is unreadable (unknown).", n=format_number(unknown))
    return sentence
