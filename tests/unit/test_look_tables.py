"""Tables read as people read them: evaluation headings in the page's language, and a list
that sorts, filters and pages."""

import re
from dataclasses import dataclass

import pandas as pd

from casework.ui import eval_tables
from casework.ui.format import is_code_name
from casework.ui.table import Column, DataTable, RowLook


def test_evaluation_headings_are_words_in_each_language():
    assert eval_tables.heading("variance_ratio_after", "zh") == "加权后方差比"
    assert eval_tables.heading("variance_ratio_after", "en") == "Variance ratio after"
    assert eval_tables.heading("district_320705", "zh") == "区县 320705"
    assert eval_tables.heading("education_rank_withheld", "en") == "Education level (withheld)"


def test_a_frame_is_drawn_without_code_names_and_with_formatted_numbers():
    frame = pd.DataFrame({"trainees": [1200], "completion_rate": [0.8123],
                          "median_wage_6m": [1450.0]},
                         index=pd.Index(["domestic_service"], name="occupation"))
    shown = eval_tables.frame_html(frame, "zh")
    assert "1,200" in shown and "81.2%" in shown and "1,450元" in shown
    assert "家政服务" in shown and "结业率" in shown
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", shown)
    assert heads == ["课程专业", "学员人数", "结业率", "6个月时工资中位数", "家政服务"]
    assert not [h for h in heads if is_code_name(h)]


@dataclass
class Row:
    name: str
    state: str
    days: int


def _table() -> DataTable:
    columns = [Column("name", "Name", lambda r: r.name, sort_key=lambda r: r.name),
               Column("days", "Days", lambda r: str(r.days), sort_key=lambda r: r.days)]
    table = DataTable("people", columns, lang="en", page_size=2,
                      look=RowLook(state=lambda r: r.state), states=("overdue", "done"))
    table.set_rows([Row("Wang", "done", 3), Row("Li", "overdue", 9), Row("Zhao", "overdue", 1)])
    return table


def test_the_list_sorts_filters_and_pages():
    table = _table()
    table.sort.value, table.order.value = "days", "desc"
    assert [r.name for r in table.shown()] == ["Li", "Wang", "Zhao"]
    assert "Li" in table.table.value and "Zhao" not in table.table.value  # page 1 of 2
    table.next.click()
    assert "Zhao" in table.table.value and table.next.disabled
    table.state.value = "overdue"
    assert [r.name for r in table.shown()] == ["Li", "Zhao"] and table.page == 0
    table.filter.value = "zha"
    assert [r.name for r in table.shown()] == ["Zhao"]
    assert "cw-state-overdue" in table.table.value
