"""The postings and claims lists sort, filter by their own statuses and page, while every row
and status cell takes the shared status colours; numbers and dates read as people write them."""

import datetime as dt
import re

from casework.i18n import t
from casework.services.jobs import PostingRow
from casework.services.subsidies import ClaimRow
from casework.ui import posting_lists
from casework.ui.placement_lists import claim_state, claims_table
from casework.ui.shell import AppContext


def _ctx(lang: str) -> AppContext:
    return AppContext(lang, None, None)  # the lists read nothing: the rows are given


def _posting(id_: int, title: str, status: str, wage: int, *, new: bool = False) -> PostingRow:
    return PostingRow(
        id=id_, title=title, field="culture", occupation="domestic_service", skills=(),
        investor_kind="service_project", investor_name="Xinhai", unit_id=1,
        unit_name_zh="路南社区", unit_name_en="Lunan community", monthly_wage=wage,
        contract_months=36, openings=2, placed=0, public_welfare=False, contact=None,
        description=None, status=status, opened_on=dt.date(2026, 3, id_), version=1,
        investor_new=new)


def _claim(id_: int, status: str, amount: int, *, flagged: dt.date | None = None) -> ClaimRow:
    return ClaimRow(id=id_, placement_id=id_, person_id=100 + id_, name=f"王{id_}",
                    kind="job_development", amount=amount, funding_level="street",
                    status=status, claimed_on=dt.date(2026, 4, id_), paid_on=None,
                    steps=("claimed",), next_step=None if status in ("paid", "refused")
                    else "reviewed", version=1, recovery_flagged_on=flagged)


def _rows(html: str) -> list[str]:
    return re.findall(r'data-(?:posting|claim)="(\d+)"', html)


def test_postings_show_newest_first_and_sort_by_wage_and_filter_by_their_status():
    table = posting_lists.postings_table(_ctx("en"))
    posting_lists.show_postings(table, [_posting(1, "Cook", "open", 900),
                                        _posting(3, "Guard", "filled", 700),
                                        _posting(2, "Clerk", "closed", 1_200, new=True)])
    assert _rows(table.table.value) == ["3", "2", "1"]

    table.sort.value, table.order.value = "wage", "desc"
    assert _rows(table.table.value) == ["2", "1", "3"]
    assert "¥1,200" in table.table.value and "2 Mar 2026" in table.table.value

    table.state.value = "filled"
    assert _rows(table.table.value) == ["3"]
    assert "cw-state-done" in table.table.value
    assert ('class="cw-state cw-state-done">' + t("vocab.posting_status.filled", "en")
            in table.table.value)


def test_a_posting_row_keeps_its_hooks_and_marks_a_new_investor():
    table = posting_lists.postings_table(_ctx("zh"))
    posting_lists.show_postings(table, [_posting(2, "保洁", "open", 650, new=True)])
    shown = table.table.value
    assert 'class="cw-posting cw-posting-open cw-state-due"' in shown
    assert "cw-investor cw-investor-new" in shown and "cw-openings" in shown
    assert "650元" in shown and "2026年3月2日" in shown
    assert t("vocab.posting_status.open", "zh") in shown


def test_a_claim_is_due_while_waiting_done_when_paid_grey_when_refused_and_red_to_recover():
    assert claim_state(_claim(1, "reviewed", 500)) == "due"
    assert claim_state(_claim(1, "paid", 500)) == "done"
    assert claim_state(_claim(1, "refused", 500)) == "refused"
    assert claim_state(_claim(1, "paid", 500, flagged=dt.date(2026, 5, 1))) == "overdue"


def test_claims_filter_by_status_and_text_and_sort_by_amount():
    table = claims_table(_ctx("zh"))
    table.set_rows([_claim(3, "claimed", 500), _claim(2, "paid", 3_000),
                    _claim(1, "claimed", 1_500)])
    table.state.value = "claimed"
    table.sort.value, table.order.value = "amount", "desc"
    assert _rows(table.table.value) == ["1", "3"]
    assert "1,500元" in table.table.value

    table.filter.value = "(103)"
    assert _rows(table.table.value) == ["3"]
    assert 'class="cw-claim cw-claim-claimed cw-state-due"' in table.table.value
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", table.table.value)
    assert t("placements_ui.col.status", "zh") in heads and "amount" not in heads
