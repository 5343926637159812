"""Optional numbers and texts of the write bodies: null or blank is "not given", never a server error."""

import pytest

from db.commands import records
from db.commands.base import Invalid

EVENT = {"title": "Learning lab", "start_date": "2021-03-04", "online": True, "kind": "learning",
         "metropolis_role": "organised"}


@pytest.mark.parametrize("value", [None, ""])
def test_a_blank_or_null_count_is_not_given(value):
    form = records.validate(records.EventInput, {**EVENT, "speakers_women": value, "participants_men": value})
    assert form.speakers_women is None and form.participants_men is None


@pytest.mark.parametrize("model,data", [
    (records.FeeInput, {"member": "Madrid", "fee_year": 2021, "paid": True, "amount_eur": None}),
    (records.MemberUpdate, {"latitude": None, "longitude": None, "official_name": None, "coord_note": None,
                            "add_alias": None, "note": "checked"}),
])
def test_null_optional_fields_are_accepted(model, data):
    records.validate(model, data)


def test_the_bounds_still_apply_to_a_given_value():
    with pytest.raises(Invalid) as err:
        records.validate(records.EventInput, {**EVENT, "speakers_women": -1})
    assert err.value.fields == {"speakers_women": "Must not be negative."}
    with pytest.raises(Invalid) as err:
        records.validate(records.MemberUpdate, {"latitude": 91, "longitude": 0})
    assert err.value.fields == {"latitude": "Too large."}
