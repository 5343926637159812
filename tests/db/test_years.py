"""Years on both backends: the window of years writes accept (every write path), and the rule that picks the
year pages open on (never one stray record)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import models as m
from db.commands import imports, records
from db.commands.base import Actor, Conflict, Invalid
from db.queries import engagement, reconciliation
from db.queries import years as y
from db.queries.common import available_years, year_choices
from db.session import Session, make_engine
from seed.load import init_store
from tests.conftest import BACKENDS, create_user, csrf_headers, sign_in, temporary_database

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
EUROPE = Actor(user_id=None, name="Barbara", role="regional_secretary", region="Europe")
LAST = dt.date.today().year + 1
RANGE = f"from 2020 to {LAST}"


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    """A seeded store of its own: these tests change which years it holds."""
    with temporary_database(request.param, tmp_path_factory.mktemp("years")) as url:
        engine = make_engine(url)
        init_store(engine)
        Session.configure(bind=engine)
        yield engine
        engine.dispose()


def run(engine, command, actor, *args, **kwargs):
    with Session(bind=engine) as session, session.begin():
        return command(session, actor, *args, **kwargs)


def rows_count(engine) -> int:
    with Session(bind=engine) as s:
        return sum(s.scalar(select(func.count()).select_from(t)) for t in (
            m.Event, m.FeePayment, m.BilateralMeeting, m.PlanItemStatus, m.IndicatorValue, m.MemberLeadership))


def test_the_window_runs_from_the_store_first_year_to_next_year(store):
    with Session(bind=store) as s:
        assert y.first_year(s) == 2020
        assert y.write_window(s) == (2020, LAST)
        assert y.reported_years(s) == [2020]


@pytest.mark.parametrize("command,data,field", [
    (records.record_fee_payment, {"member": "Berlin", "fee_year": 2100, "paid": False}, "fee_year"),
    (records.record_fee_payment, {"member": "Berlin", "fee_year": 2019, "paid": True}, "fee_year"),
    (records.record_event, {"title": "Far future summit", "start_date": "2100-05-01", "online": True,
                            "kind": "other", "metropolis_role": "organised", "members": ["Berlin"]}, "start_date"),
    (records.record_bilateral_meeting, {"member": "Berlin", "date": "2100-02-02"}, "date"),
    (records.set_plan_status, {"plan": "2021-2023", "code": "L2A1O1", "year": 2100, "status": "done"}, "year"),
])
def test_a_write_outside_the_window_is_refused_naming_the_range(store, command, data, field):
    before = rows_count(store)
    actor = SECRETARIAT if command is records.set_plan_status else EUROPE
    with pytest.raises(Invalid) as err:
        run(store, command, actor, dict(data))
    assert RANGE in err.value.fields[field]
    assert rows_count(store) == before


def test_a_member_update_dated_outside_the_window_is_refused(store):
    with pytest.raises(Invalid) as err:
        run(store, records.update_member, EUROPE, "berlin", {"governed_by_woman": True, "governed_as_of": "2100-01-01"})
    assert RANGE in err.value.fields["governed_as_of"]


def test_an_import_row_outside_the_window_names_the_range(store):
    report = run(store, imports.run_import, EUROPE, "indicators",
                 [(2, {"indicator": "observatory.poverty_pct", "member": "Madrid", "year": "2100", "value": "5"})],
                 commit=True)
    assert not report.committed and RANGE in report.problems[0].message


@pytest.fixture
def http(store):
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth
    from dashboard.records_api import register_records

    Session.configure(bind=store)
    app = Flask(__name__)
    init_auth(app, secret="test-" + "y" * 30, cookie_secure=False, public_access="aggregates")
    register_api(app)
    register_records(app, max_upload_mb=1)
    create_user(store, email="eu@years.test", role="regional_secretary", region="Europe")
    return app


def test_api_write_for_2100_is_refused_and_the_default_year_is_unchanged(http, store):
    client = http.test_client()
    assert sign_in(client, "eu@years.test").status_code == 302
    response = client.post("/api/v1/fee-payments", json={"member": "Berlin", "fee_year": 2100, "paid": False},
                           headers=csrf_headers(client))
    assert response.status_code == 400
    assert RANGE in response.get_json()["error"]["fields"]["fee_year"]
    engagement = client.get("/api/v1/engagement").get_json()
    assert engagement["meta"]["filters"] == "year=2020" and len(engagement["data"]) == 141
    with Session(bind=store) as s:
        assert year_choices(s) == ([2020], 2020)


def test_a_row_stored_outside_the_window_before_it_existed_is_not_a_year(store):
    """A store written before the window was enforced (POST fee_year 2100 answered 201) still opens on 2020."""
    with Session(bind=store) as s, s.begin():
        berlin = s.scalar(select(m.Member.id).where(m.Member.name == "Berlin"))
        source = y.dashboard_source_id(s)
        s.add(m.FeePayment(member_id=berlin, fee_year=2100, paid=False, source_id=source, section="by test",
                           locator="stray"))
    try:
        with Session(bind=store) as s:
            assert 2100 not in available_years(s)
            assert year_choices(s)[1] == 2020
    finally:
        with Session(bind=store) as s, s.begin():
            s.query(m.FeePayment).filter(m.FeePayment.fee_year == 2100).delete()


def test_a_recorded_2020_event_is_an_addition_beside_the_report_never_a_report_error(store):
    with Session(bind=store) as s:
        before = reconciliation.reconciliation_report(s, year=2020).set_index("code")
        printed = engagement.engagement_by_member(s, year=2020, regions=["Europe"]).set_index("member")
    run(store, records.record_event, EUROPE, {
        "title": "WMD 2020 session recorded late", "start_date": "2020-10-07", "online": True, "kind": "wmd",
        "metropolis_role": "organised", "members": ["Berlin", "Zagreb"]})
    run(store, records.record_event, EUROPE, {
        "title": "Learning 2020 recorded late", "start_date": "2020-11-24", "online": True, "kind": "learning",
        "metropolis_role": "organised", "members": ["Berlin", "Madrid"]})
    with Session(bind=store) as s:
        after = reconciliation.reconciliation_report(s, year=2020).set_index("code")
        assert after[["recomputed", "status"]].equals(before[["recomputed", "status"]])  # wmd.events included
        assert (after["status"] != "unexplained").all()
        now = engagement.engagement_by_member(s, year=2020, regions=["Europe"]).set_index("member")
        assert now["learning_activities"].equals(printed["learning_activities"])  # printed rows as printed
        added = y.recorded_additions_by_member(s, year=2020, regions=["Europe"])
        berlin = added[added["member"] == "Berlin"].set_index("dimension")
        assert berlin.loc["learning_activities", "added"] == 1 and berlin.loc["wmd_participation", "added"] == 1
        assert berlin.loc["activated", "added"] == 2
        assert berlin.loc["learning_activities", "entered_by"].startswith("by Regional secretary for Europe (Barbara) on")
        cov = y.year_coverage(s, year=2020, regions=["Europe"])
        assert cov["kind"] == "reported" and cov["report"] == "Metropolis Annual Report 2020"
        assert cov["events_recorded"] == 2 and cov["events_printed"] == 10
        # Zagreb was not printed as active: the records make one member newly active, kept apart
        assert cov["activated_added"] == (0 if printed.loc["Zagreb", "activated"] else 1)


def test_a_printed_fee_or_status_is_never_written_over(store):
    with pytest.raises(Conflict) as err:
        run(store, records.record_fee_payment, EUROPE, {"member": "Berlin", "fee_year": 2020, "paid": False})
    assert "printed in the Metropolis Annual Report 2020" in str(err.value)
    with pytest.raises(Conflict):
        run(store, records.set_plan_status, SECRETARIAT, {"plan": "2018-2020", "code": "L1M1D1", "year": 2020,
                                                          "status": "not_done"})


def test_a_year_in_progress_counts_only_its_own_records(store):
    with Session(bind=store) as s:
        assert y.year_coverage(s, year=2022)["fee_records"] == 0
    run(store, records.record_event, EUROPE, {"title": "2022 exchange", "start_date": "2022-02-10", "online": True,
                                              "kind": "other", "metropolis_role": "organised", "members": ["Torino"]})
    with Session(bind=store) as s:
        cov = y.year_coverage(s, year=2022)
        assert cov["kind"] == "in_progress" and cov["events"] == 1 and cov["members_activated"] == 1
        assert cov["fee_records"] == 0 and cov["plan_statuses"] == 0 and cov["as_of"] is not None
        derived = engagement.engagement_by_member(s, year=2022, regions=["Europe"]).set_index("member")
        # analysed in 2019 (printed in 2020's table) is not engagement of 2022
        assert derived["indicators_year"].isna().all()
        assert y.events_to_date(s, year=2020, until=dt.date(2022, 3, 1)) == 8  # seed/events.csv: 8 before 1 March


def test_one_stray_record_does_not_move_the_default_year(store):
    run(store, records.record_fee_payment, EUROPE, {"member": "Berlin", "fee_year": 2021, "paid": False})
    with Session(bind=store) as s:
        years, default = year_choices(s)
        assert 2021 in years and default == 2020
        assert y.members_with_records(s, 2021) == 1 and not y.worth_showing(s, 2021)


def test_a_year_with_records_for_a_quarter_of_the_members_opens_by_default(store):
    with Session(bind=store) as s:
        names = list(s.scalars(select(m.Member.name).where(m.Member.honorary.is_(False)).order_by(m.Member.name)))
    needed = -(-len(names) // 4)  # a quarter, rounded up: 36 of 141
    assert needed == 36
    already = {"Berlin"}
    for name in [n for n in names if n not in already][:needed - 2]:
        run(store, records.record_fee_payment, SECRETARIAT, {"member": name, "fee_year": 2021, "paid": True})
    with Session(bind=store) as s:
        assert y.members_with_records(s, 2021) == needed - 1 and year_choices(s)[1] == 2020
    last = [n for n in names if n not in already][needed - 2]
    run(store, records.record_bilateral_meeting, SECRETARIAT, {"member": last, "date": "2021-03-03"})
    with Session(bind=store) as s:
        assert y.members_with_records(s, 2021) == needed
        assert year_choices(s)[1] == 2021
        # a year that has not begun never opens by default, however much is recorded for it
        assert not y.worth_showing(s, 2021, today=dt.date(2020, 6, 1))
