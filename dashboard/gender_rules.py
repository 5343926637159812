"""Gender counts recorded in the dashboard: their own series (never blended with a report's figures), and the
small-number rule for public views: a recorded count of fewer than SMALL_NUMBER people is not shown to anonymous
visitors, since so few people could be identified."""

from __future__ import annotations

import pandas as pd

from dashboard.cache import memoized
from dashboard.i18n import _
from db.queries import indicators
from db.session import Session

SMALL_NUMBER = 10


@memoized("recorded-gender")
def recorded_gender(year: int) -> pd.DataFrame:
    """indicators.recorded_gender for `year` (cached until the data changes)."""
    with Session() as session:
        return indicators.recorded_gender(session, year=year)


def recorded_speakers(year: int) -> dict | None:
    """The recorded speakers of `year` as a dict (women_pct, total, events) or None when none was recorded."""
    df = recorded_gender(year)
    if df.empty or "recorded.speakers" not in set(df["population"]):
        return None
    row = df.set_index("population").loc["recorded.speakers"]
    return {"women_pct": float(row["women_pct"]), "total": int(row["total"]), "events": int(row["events"])}


def suppress_small(df: pd.DataFrame, *, signed_in: bool) -> tuple[pd.DataFrame, list[str]]:
    """The recorded gender rows an audience may see, and the names of the rows held back (anonymous visitors:
    rows counting fewer than SMALL_NUMBER people)."""
    if signed_in or df.empty:
        return df, []
    small = df["total"] < SMALL_NUMBER
    return df[~small].reset_index(drop=True), list(df.loc[small, "name"])


def small_number_text() -> str:
    return _("Not shown on public pages: fewer than %(n)s people recorded, so few that individuals could be "
             "identified. Sign in to see it.", n=SMALL_NUMBER)
