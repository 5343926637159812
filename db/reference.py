"""Reference vocabularies of the store: the one place each constant is defined."""

from db.messages import N_

# The five regions, in the order the reports print them (progress report Q3 2020, "Who we are").
# The names are the store's keys (English); N_ marks them for the catalogues, the interface shows them translated.
REGIONS: tuple[str, ...] = (
    N_("Africa"),
    N_("Asia-Pacific"),
    N_("Europe"),
    N_("Latin America and the Caribbean"),
    N_("North America"),
)

# Implementation status of an action-plan item, as normalised from the printed marks.
STATUSES: tuple[str, ...] = ("done", "in_progress", "not_done", "unknown")

# Scope of an indicator value.
SCOPES: tuple[str, ...] = ("network", "region", "member")

# Levels of the action-plan hierarchy (2018-2020: line > measure > deliverable; 2021-2023: line > axis > outcome).
PLAN_LEVELS: tuple[str, ...] = ("line", "measure", "deliverable", "axis", "outcome")

# Kinds of events.
EVENT_KINDS: tuple[str, ...] = ("statutory", "wmd", "learning", "global_event", "webinar", "other")

# Metropolis' role in an event, only as far as a document states it.
EVENT_ROLES: tuple[str, ...] = ("organised", "co_organised", "participated", "not_stated")

# Pilot project roles printed in section 4.1 ("leader (L) / partner (P)").
PILOT_ROLES: tuple[str, ...] = ("leader", "partner")

# Kinds of statutory meeting an event can be (the engagement of later years counts them).
STATUTORY_MEETINGS: tuple[str, ...] = ("board", "annual_meeting", "other")

# Who can sign in, and what they may do (dashboard.auth and db.commands enforce it).
ROLES: tuple[str, ...] = ("board", "regional_secretary", "secretariat")

# What an audit entry records.
AUDIT_ACTIONS: tuple[str, ...] = ("create", "update", "delete", "revert", "refused")
# What a Board pack holds: the deck of every page, the printed pages (one PDF), every chart's CSV (a zip).
PACK_KINDS: tuple[str, ...] = ("deck", "pdf", "csv")

# The source of rows entered in the dashboard instead of read from a document.
DASHBOARD_SOURCE_KEY = "DASHBOARD"

# The source of every row of a synthetic store (seed.synthetic): such a store is never Metropolis data, and the
# dashboard says so on every page.
SYNTHETIC_SOURCE_KEY = "SYNTHETIC"

# The Observatory's metropolitan indicators, measured per metropolitan space (Strategic Action Plan 2021-2023,
# "Metropolitan metrics"): the indicators a member can have a value of (the per-member import accepts only these;
# the Observatory's other figures, such as the areas benchmarked, are counts for the whole network). In page order.
METROPOLITAN_INDICATORS: tuple[str, ...] = (
    "observatory.gender_pay_gap_pct",
    "observatory.population_density",
    "observatory.poverty_pct",
    "observatory.pm25",
    "observatory.fiscal_autonomy_pct",
    "observatory.life_expectancy",
)

# The range a member's value must lie in, by the indicator's unit: (lowest, lowest allowed?, highest, highest
# allowed?, what the range is in words). None: no bound on that side. A life expectancy above 125 years has never
# been recorded anywhere, so a larger figure is a typing error.
UNIT_RANGES: dict[str, tuple[float | None, bool, float | None, bool, str]] = {
    "percent": (0.0, True, 100.0, True, N_("a share between 0 and 100")),
    "inhabitants_per_km2": (0.0, False, None, False, N_("a density above 0 inhabitants per km²")),
    "ug_per_m3": (0.0, True, None, False, N_("a concentration of 0 µg/m³ or more")),
    "years": (0.0, False, 125.0, True, N_("a number of years above 0 and at most 125")),
}
