"""A year's kind and coverage in words, the overview's sentences, the recorded-addition marks of the matrix and the
small-number rule for recorded gender counts: pure functions, no database."""

import datetime as dt

import pandas as pd

from dashboard import years
from dashboard.figures.engagement import ENGAGEMENT_MATRIX, mark_recorded_additions, member_matrix_figure
from dashboard.gender_rules import SMALL_NUMBER, suppress_small
from dashboard.summaries import activity_sentence, fee_sentence
from dashboard.translation import ENGLISH as EN
from tests.figure_schema import validated

BY_REGION = pd.DataFrame({"region": ["Europe"], "members": [16], "activated": [2], "fee_paid": [0]})


def coverage(**values) -> dict:
    base = {"kind": "in_progress", "members": 16, "events": 1, "events_printed": 0, "events_recorded": 1,
            "members_activated": 2, "fee_records": 0, "fees_paid": 0, "bilateral_meetings": 0, "plan_statuses": 0,
            "gender_events": 1, "indicator_values": 0, "activated_added": 0, "fees_paid_added": 0,
            "as_of": dt.datetime(2026, 12, 1, 9, 0), "report": "", "last_event": dt.date(2021, 3, 4)}
    return {**base, **values}


def test_a_year_in_progress_never_reads_as_a_share_of_members():
    cov = coverage()
    sentence = activity_sentence(BY_REGION, year=2021, coverage=cov) + " " + fee_sentence(BY_REGION, year=2021,
                                                                                           coverage=cov)
    assert "%" not in sentence
    assert "2021 is a year in progress: so far 2 of 16 members have a recorded activity (1 event" in sentence
    assert "No fee payments recorded for 2021 yet." in sentence
    assert years.fee_coverage(cov, 2021) == "No fee payments recorded for 2021 yet"
    some = coverage(fee_records=3, fees_paid=2, members=141)
    assert years.fee_coverage(some, 2021) == "3 fee payments recorded; 138 members without a record"
    assert "2 paid" in fee_sentence(BY_REGION, year=2021, coverage=some)
    note = years.year_note(cov, 2021)
    assert note.startswith("2021 is a year in progress: figures recorded in the dashboard so far, as of 1 Dec 2026.")
    assert years.kind_phrase(cov) == "recorded in the dashboard so far, year in progress, as of 1 Dec 2026"


def test_a_reported_year_reads_as_printed_with_recorded_additions_beside_it():
    cov = coverage(kind="reported", report="Metropolis Annual Report 2020", events_recorded=1, activated_added=1,
                   fees_paid_added=0)
    frame = pd.DataFrame({"region": ["Europe"], "members": [16], "activated": [14], "fee_paid": [9]})
    sentence = activity_sentence(frame, year=2020, coverage=cov)
    assert sentence.startswith("14 of 16 members were active in 2020 as printed (87.5%), and 1 more recorded in the "
                               "dashboard since")
    assert fee_sentence(frame, year=2020, coverage=cov) == "9 of 16 members paid their 2020 fee as printed (56.2%)."
    assert years.added_since(1) == " + 1 recorded since" and years.added_since(0) == ""
    assert years.kind_phrase(cov) == "as printed in the Metropolis Annual Report 2020"
    note = years.year_note(cov, 2020)
    assert "never added into them" in note and "1 event, 1 member newly active" in note


ENGAGEMENT_MATRIX_KEYS = [c.key for c in ENGAGEMENT_MATRIX]
MATRIX = pd.DataFrame({
    "member": ["Berlin", "Madrid"], "slug": ["berlin", "madrid"], "region": ["Europe", "Europe"],
    "activated": [True, True], "fee_paid": [True, None], "board_meetings": [2, 1], "annual_meeting": [True, True],
    "bilateral_meetings": [6, 3], "pilot_project": ["", "P"], "pilot_projects": [0, 1], "indicators_year": [2019, 2019],
    "learning_activities": [0, 4], "wmd_organiser": [0, 2], "wmd_participation": [0, 2], "call_endorsement": [True, False],
    "source": ["AR2020", "AR2020"]})


def test_cells_added_by_records_get_their_own_mark_and_hover_and_the_printed_value_stays():
    fig = member_matrix_figure(MATRIX, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                               source="AR2020")
    printed_text = [list(row) for row in fig["data"][1]["text"]]
    additions = pd.DataFrame({"member": ["Berlin", "Nowhere"], "slug": ["berlin", "nowhere"], "region": ["Europe"] * 2,
                              "dimension": ["learning_activities", "learning_activities"], "added": [1, 1],
                              "entered_by": ["by Regional secretary for Europe (B) on 2026-12-01"] * 2,
                              "entered_at": [None, None]})
    hover = {("berlin", "learning_activities"): "Learning: +1 recorded in the dashboard by Regional secretary for "
                                                "Europe (B) on 2026-12-01"}
    mark_recorded_additions(fig, additions, tr=EN, columns=ENGAGEMENT_MATRIX, legend="Recorded since the report", hover=hover)
    fig = validated(fig)
    mark = fig.data[-1]
    assert mark.name == "Recorded since the report" and mark.marker.symbol == "square-open"
    learning = list(fig.data[1].x)[list(ENGAGEMENT_MATRIX_KEYS).index("learning_activities")]
    assert learning.replace("<br>", " ") == "Learning activities"
    assert list(mark.y) == ["Berlin"] and list(mark.x) == [learning]  # on its column as drawn; members not drawn: skipped
    assert list(mark.text) == ["+1"] and "recorded in the dashboard by" in mark.hovertext[0]
    assert [list(row) for row in fig.data[1].text] == printed_text  # the printed cells are unchanged
    untouched = member_matrix_figure(MATRIX, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                                     source="AR2020")
    assert len(mark_recorded_additions(untouched, additions.iloc[0:0], tr=EN, columns=ENGAGEMENT_MATRIX, legend="x",
                                       hover={})["data"]) == len(untouched["data"])


def test_recorded_gender_counts_below_the_threshold_are_held_back_from_anonymous_visitors():
    df = pd.DataFrame({"population": ["recorded.speakers", "recorded.participants"],
                       "name": ["Speakers", "Participants"], "total": [5.0, 50.0], "women_pct": [60.0, 40.0]})
    shown, hidden = suppress_small(df, signed_in=False)
    assert list(shown["name"]) == ["Participants"] and hidden == ["Speakers"] and SMALL_NUMBER == 10
    everything, none = suppress_small(df, signed_in=True)
    assert len(everything) == 2 and none == []
