"""The curriculum tables show numbers as people read them."""

import math

import pytest

from casework.ui.curriculum_tables import cell


@pytest.mark.parametrize(("value", "column", "shown"), [
    (math.inf, "vu_ratio", "∞"),  # openings and nobody wishing for them
    (0.423, "unfilled_share", "42%"),
    (1.0, "employment", "100%"),
    (6.0, "score", "6"),
    (2.5, "mean_score", "2.50"),
    (1234.0, "openings", "1,234"),
    (math.nan, "days_to_fill", ""),
    ("<b>", "reason", "&lt;b&gt;"),
])
def test_a_cell_reads_as_people_write_it(value, column, shown):
    assert cell(value, column) == shown
