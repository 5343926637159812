"""A member's fee payment never reaches an anonymous visitor, directly or derivably: flipping one member's fee
leaves every anonymous output byte-identical (counts, sums, sort orders, colours, hovers, CSV exports, the API,
embeds, the member pages), while a signed-in user sees the change. Aggregates such as "fee paid, by region" are
published and not part of this check."""

from __future__ import annotations

import json
import re

import plotly.utils
import pytest
from flask_login import login_user
from sqlalchemy import select, update

from db import models as m
from db.session import Session
from db.versioning import bump_data_version
from tests.conftest import create_user, sign_in

STAFF = "board.member@metropolis.example"
MEMBER, YEAR = "Berlin", 2020


def _json(value) -> str:
    if hasattr(value, "to_plotly_json"):
        value = value.to_plotly_json()
    if hasattr(value, "to_dict") and not isinstance(value, dict):
        value = value.to_dict("records")
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True, default=str)


@pytest.fixture
def fee_store(app_store_copy):
    """A private copy of the app's store (this test writes to it) with a signed-in user."""
    create_user(app_store_copy, email=STAFF, role="board")
    return app_store_copy


def flip_fee(engine, member: str = MEMBER, year: int = YEAR) -> None:
    """Store the opposite of `member`'s printed fee payment for `year`, as if the report had printed it, and bump
    the data version (so no cached answer survives). The write commands refuse to change a printed figure (409),
    so the row is changed directly. The store's 'data as of' date is put back: it says when anything last changed,
    which is not what this test is about."""
    with Session(bind=engine) as session, session.begin():
        fee = session.scalar(select(m.FeePayment).join(m.Member).where(
            m.Member.name == member, m.FeePayment.fee_year == year))
        changed_at = session.scalar(select(m.DataVersion.changed_at))
        fee.paid = not fee.paid
        bump_data_version(session, now=changed_at)
        session.execute(update(m.DataVersion).values(changed_at=changed_at))


HTTP_SURFACES = [
    "/api/v1/engagement?year=2020",
    "/api/v1/engagement?year=2020&region=Europe&format=csv",
    "/api/v1/members?region=Europe",
    "/export/members-map.csv?year=2020",
    "/export/members-map.csv?year=2020&region=Europe&colour=engagement",
    "/export/engagement-matrix.csv?year=2020&region=Europe&sort=total",
]


def http_outputs(client) -> dict[str, str]:
    out = {}
    for url in HTTP_SURFACES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        out[url] = response.get_data(as_text=True)
    return out


def view_outputs(server, *, signed_in: bool) -> dict[str, str]:
    """Charts (figures: what PNG/SVG/PDF exports and deck slides draw; rows: their CSV; deck speaker notes),
    callbacks and page layouts as the app builds them for an anonymous visitor (or a signed-in user)."""
    from dashboard.auth import _load_user
    from dashboard.charts import ChartFilters, render, summary
    from dashboard.pages import embed, engagement, map, member, members

    out = {}
    with server.test_request_context("/"):
        if signed_in:
            with Session() as session:
                user = session.scalar(select(m.UserAccount).where(m.UserAccount.email == STAFF))
            login_user(_load_user(f"{user.id}:{user.session_generation}"))  # the session's "<id>:<generation>"
        for regions in (None, ["Europe"]):
            for colour in ("region", "engagement"):
                f = ChartFilters(regions, YEAR, {"colour": colour})
                out[f"map {regions} {colour}"] = _json(render("members-map", f).figure)
                out[f"map rows {regions} {colour}"] = _json(render("members-map", f).rows)
                out[f"map deck notes {regions} {colour}"] = summary("members-map", render("members-map", f))
            for sort in ("region", "total"):
                f = ChartFilters(regions, YEAR, {"sort": sort})
                out[f"matrix {regions} {sort}"] = _json(render("engagement-matrix", f).figure)
                out[f"matrix rows {regions} {sort}"] = _json(render("engagement-matrix", f).rows)
                out[f"matrix deck notes {regions} {sort}"] = summary("engagement-matrix", render("engagement-matrix", f))
        stored = {"regions": ["Europe"], "year": YEAR}
        out["map callback"] = _json(map.update_map("engagement", stored)[0])
        out["matrix callback"] = _json(engagement.update_matrices("total", stored)[0])
        out["members page"] = _json(members.layout(region="Europe", year=str(YEAR)))
        out["members rows"] = _json(members._table_rows(members.resolve_filters("Europe", str(YEAR))))
        out["member page"] = _json(member.layout(slug="berlin", year=str(YEAR)))
        out["engagement page"] = _json(engagement.layout(region="Europe", year=str(YEAR), sort="total"))
        out["map page"] = _json(map.layout(region="Europe", year=str(YEAR), colour="engagement"))
        out["embed"] = _json(embed.layout(chart_id="members-map", region="Europe", year=str(YEAR),
                                          colour="engagement"))
    return out


def test_anonymous_outputs_do_not_depend_on_a_fee_payment(fee_store, dash_app):
    server = dash_app.server
    client = server.test_client()
    before_http, before_views = http_outputs(client), view_outputs(server, signed_in=False)
    flip_fee(fee_store)
    after_http, after_views = http_outputs(client), view_outputs(server, signed_in=False)
    changed = [k for k in before_http if before_http[k] != after_http[k]]
    changed += [k for k in before_views if before_views[k] != after_views[k]]
    assert changed == []


def test_signed_in_users_see_the_fee_payment_change(fee_store, dash_app):
    """The counterpart: the same surfaces do change for a signed-in user, so the check above has teeth."""
    server = dash_app.server
    client = server.test_client()
    assert sign_in(client, STAFF).status_code == 302
    before_http, before_views = http_outputs(client), view_outputs(server, signed_in=True)
    flip_fee(fee_store)
    after_http, after_views = http_outputs(client), view_outputs(server, signed_in=True)
    unchanged = [k for k in before_http if before_http[k] == after_http[k] and "members?" not in k]
    # (the deck notes of all regions list the first 25 rows: African members, not Berlin)
    unchanged += [k for k in before_views if before_views[k] == after_views[k] and "callback" not in k
                  and "deck notes None" not in k]
    assert unchanged == []


def test_anonymous_breadth_counts_ten_dimensions(fee_store, dash_app):
    """Berlin's breadth: 7 of 11 for a signed-in user (it paid its 2020 fee), 6 of 10 for everyone else."""
    from dashboard.charts import ChartFilters, render
    from dashboard.pages import members

    server = dash_app.server
    with server.test_request_context("/"):
        rows = members._table_rows(members.resolve_filters("Europe", "2020"))
        berlin = rows[rows["name"] == MEMBER].iloc[0]
        assert berlin["breadth"] == 6 and set(rows["fee"]) == {""}
        columns = members._columns(2020, False)
        assert [c["headerName"] for c in columns if c["field"] == "breadth"] == ["Dimensions engaged (of 10)"]
        fig = render("members-map", ChartFilters(["Europe"], 2020, {"colour": "engagement"})).figure
        hover = next(t for t in fig["data"][0]["hovertext"] if t.startswith(f"<b>{MEMBER}</b>"))
        assert "Engaged in 6 of 10 dimensions" in hover and "fee" not in hover
        assert fig["data"][0]["marker"]["cmax"] == 10
    summary = members._summary.uncached(("Europe",), 2020, True)
    assert int(summary.set_index("name").loc[MEMBER, "breadth"]) == 7


def test_a_board_meeting_gives_anonymous_visitors_no_member_fee(fee_store, dash_app):
    """In a Board meeting's view (?as_of=) as now: two meetings frozen on either side of the flipped fee answer
    every anonymous surface identically (but for the meeting's own name in the addresses and the time of the last
    change), and differently to a signed-in user."""
    from db.commands import meetings
    from db.commands.base import Actor, run_command

    secretariat = Actor(user_id=None, name="Ana", role="secretariat")
    first = run_command(meetings.record_meeting, secretariat, name="Board", held_on="2021-03-12", what="test")["slug"]
    flip_fee(fee_store)
    second = run_command(meetings.record_meeting, secretariat, name="Board", held_on="2021-03-12", what="test")["slug"]

    def outputs(client, slug: str) -> dict[str, str]:
        out = {}
        for url in HTTP_SURFACES:
            response = client.get(f"{url}{'&' if '?' in url else '?'}as_of={slug}")
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
            text = response.get_data(as_text=True).replace(slug, "<meeting>")
            # when the store last changed (the API's data_as_of, to the microsecond) is not what this is about
            out[url] = re.sub(r'(data_as_of"?:\s?"?)[0-9T:.+-]+', r"\1<time>", text)
        return out

    client = dash_app.server.test_client()
    assert outputs(client, first) == outputs(client, second)
    staff = dash_app.server.test_client()
    assert sign_in(staff, STAFF).status_code == 302
    then, now = outputs(staff, first), outputs(staff, second)
    assert [url for url in then if then[url] != now[url] and "members?" not in url]
