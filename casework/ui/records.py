"""Records that offices file on paper: a home visit as a printable record (A4 through the
stylesheet's print rules, with a ``cw-action-print`` button)."""

from __future__ import annotations

import html

from casework import vocab
from casework.ui import format as fmt
from casework.ui.common import print_button
from casework.ui.shell import AppContext

_DATES = ("visit_date", "follow_up_due", "next_visit_date")
_LISTS = {"needs": "need", "services": "visit_service"}


def visit_value(ctx: AppContext, name: str, value: object) -> str:
    """One field of a saved visit, as the page's language writes it."""
    lang = ctx.lang
    if value in (None, "", []):
        return "—"
    if name in _DATES:
        return fmt.date(str(value), lang)
    if name in _LISTS:
        return "、".join(vocab.label(_LISTS[name], v, lang) for v in value)
    if name == "income_change":
        return vocab.label("income_change", str(value), lang)
    if name == "employment_status":
        return "; ".join(f"{m['member']}: {vocab.label('employment_status', m['status'], lang)}"
                         for m in value)
    return str(value)


def visit_record_html(ctx: AppContext, *, household: str, visits: list[dict],
                      fields: tuple[str, ...]) -> str:
    """The latest visit in full and the ones before it by date: ``cw-visit-record``."""
    heading = ctx.t("look.visit_record", household=household)
    if not visits:
        return (f'<div class="cw-printable cw-visit-record">{print_button(ctx, heading)}'
                f"<p>{html.escape(ctx.t('visits.no_visits'))}</p></div>")
    latest, earlier = visits[0], visits[1:]
    rows = "".join(
        f'<tr class="cw-visit-{name}"><th scope="row">{html.escape(ctx.t(f"visits.field.{name}"))}'
        f"</th><td>{html.escape(visit_value(ctx, name, latest.get(name)))}</td></tr>"
        for name in fields)
    items = "".join(
        f"<li>{html.escape(visit_value(ctx, 'visit_date', v['visit_date']))}: "
        f"{html.escape(v['living_conditions'])}</li>" for v in earlier)
    before = (f"<h4>{html.escape(ctx.t('visits.last_visits'))}</h4><ul>{items}</ul>"
              if items else "")
    return (f'<div class="cw-printable cw-visit-record">{print_button(ctx, heading)}'
            f'<table class="cw-table">{rows}</table>{before}</div>')
