"""Numbers and dates are written as people read them, in each language."""

import datetime as dt

from casework.ui import format as fmt


def test_a_share_reads_as_a_percentage_with_one_decimal():
    assert fmt.percent(0.1234) == "12.3%"
    assert fmt.percent(1) == "100.0%"
    assert fmt.percent(0.5, digits=0) == "50%"


def test_an_unknown_number_reads_as_a_dash():
    assert fmt.percent(None) == "—"
    assert fmt.percent(float("nan")) == "—"
    assert fmt.yuan(None, "zh") == "—"
    assert fmt.number(float("nan")) == "—"


def test_yuan_have_thousands_separators_in_both_languages():
    assert fmt.yuan(1234567, "zh") == "1,234,567元"
    assert fmt.yuan(1234567, "en") == "¥1,234,567"
    assert fmt.yuan(1234.5, "en", cents=True) == "¥1,234.50"


def test_counts_have_thousands_separators_and_measures_their_decimals():
    assert fmt.number(12000) == "12,000"
    assert fmt.number(12000.0) == "12,000"
    assert fmt.number(0.12345, digits=3) == "0.123"


def test_dates_are_written_as_each_locale_writes_them():
    assert fmt.date(dt.date(2026, 3, 5), "zh") == "2026年3月5日"
    assert fmt.date(dt.date(2026, 3, 5), "en") == "5 Mar 2026"
    assert fmt.date("2026-11-30", "en") == "30 Nov 2026"
    assert fmt.date(None, "zh") == "—"


def test_a_code_name_is_told_from_a_heading():
    assert fmt.is_code_name("variance_ratio_after")
    assert fmt.is_code_name("wage_6m")
    assert not fmt.is_code_name("Variance ratio after")
    assert not fmt.is_code_name("方差比")
    assert not fmt.is_code_name("estimate")
    assert fmt.humanize("variance_ratio_after") == "Variance ratio after"
