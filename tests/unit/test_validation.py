"""Validation: raw parameters -> typed values, or a message for the user."""

import pytest

from dashboard.validation import (
    InvalidInput,
    parse_choice,
    parse_choices,
    parse_filters,
    parse_regions,
    parse_year,
    reject_unknown,
)
from db.reference import REGIONS


def test_regions_by_name_slug_case_and_list():
    assert parse_regions(None, REGIONS) is None
    assert parse_regions("all", REGIONS) is None
    assert parse_regions("europe", REGIONS) == ["Europe"]
    assert parse_regions("north-america,Africa", REGIONS) == ["Africa", "North America"]
    assert parse_regions(["Latin America and the Caribbean", "Europe"], REGIONS) == ["Europe", "Latin America and the Caribbean"]


def test_unknown_region_names_value_and_valid_ones():
    with pytest.raises(InvalidInput) as err:
        parse_regions("Atlantis", REGIONS)
    assert err.value.parameter == "region" and "Atlantis" in err.value.message and "Europe" in err.value.message


def test_long_values_are_refused_and_shortened_in_messages():
    with pytest.raises(InvalidInput, match="too long"):
        parse_regions("x" * 1000, REGIONS)
    with pytest.raises(InvalidInput) as err:
        parse_regions("y" * 150, REGIONS)
    assert len(err.value.message) < 250


def test_years():
    assert parse_year(None, [2020]) is None and parse_year("2020", [2020]) == 2020
    for bad in ["1999", "twenty", "2020.5", "-1", "2020 OR 1=1"]:
        with pytest.raises(InvalidInput):
            parse_year(bad, [2020])


def test_choices():
    assert parse_choice("format", None, ("json", "csv"), default="json") == "json"
    assert parse_choices("kind", "wmd,learning", ("learning", "wmd", "other")) == ["learning", "wmd"]
    with pytest.raises(InvalidInput, match="format"):
        parse_choice("format", "xml", ("json", "csv"))


def test_unknown_parameters():
    reject_unknown({"region": "x"}, ["region"])
    with pytest.raises(InvalidInput) as err:
        reject_unknown({"regoin": "x"}, ["region", "year"])
    assert err.value.parameter == "regoin" and "region" in err.value.message


def test_filters_fall_back_with_notices():
    f = parse_filters("Atlantis", "1850", known_regions=REGIONS, years=[2019, 2020])
    assert f.regions is None and f.year == 2020 and len(f.notices) == 2
    assert "Showing all regions" in f.notices[0] and "Showing 2020." in f.notices[1]
    # the store's default year, not the latest, when the store names one (one stray record of 2021)
    chosen = parse_filters(None, "1850", known_regions=REGIONS, years=[2020, 2021], default=2020)
    assert chosen.year == 2020 and "Showing 2020." in chosen.notices[0]
    ok = parse_filters("Europe", "2019", known_regions=REGIONS, years=[2019, 2020])
    assert ok.regions == ["Europe"] and ok.year == 2019 and ok.notices == []
