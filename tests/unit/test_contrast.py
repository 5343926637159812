"""Colour contrast helpers (WCAG 2): the ratios they compute and the text colour they choose."""

import pytest

from dashboard.figures.style import (
    HONORARY_COLOUR,
    KIND_COLOURS,
    REGION_COLOURS,
    ROLE_COLOURS,
    SEQUENTIAL,
    STATUS_COLOURS,
    TEXT_COLOUR,
    contrast_ratio,
    text_colour_on,
)


def test_contrast_ratio_matches_the_wcag_definition():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the classic AA grey


ALL_FILLS = sorted({*REGION_COLOURS.values(), HONORARY_COLOUR, *STATUS_COLOURS.values(), *ROLE_COLOURS.values(),
                    *KIND_COLOURS.values(), *(colour for _stop, colour in SEQUENTIAL)})


@pytest.mark.parametrize("fill", ALL_FILLS)
def test_the_chosen_text_colour_is_the_more_readable_one(fill):
    chosen = text_colour_on(fill)
    other = "#FFFFFF" if chosen == TEXT_COLOUR else TEXT_COLOUR
    assert contrast_ratio(chosen, fill) >= contrast_ratio(other, fill)
