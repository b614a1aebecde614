"""The ledger's list: the newest records in scope, sorted, filtered and paged, each opening
its record (``ledger.ipynb?person=<id>``)."""

from __future__ import annotations

import html

from casework import vocab
from casework.services import persons
from casework.ui import format as fmt
from casework.ui.shell import AppContext
from casework.ui.table import Column, DataTable, RowLook

LIMIT = 500  # the newest; the picker above finds anyone else


def ledger_table(ctx: AppContext) -> DataTable:
    t, lang = ctx.t, ctx.lang

    def link(p: persons.PersonSummary) -> str:
        text = html.escape(p.name or f"#{p.id}")
        return f'<a href="ledger.ipynb?lang={lang}&amp;person={p.id}">{text}</a>'

    columns = [
        Column("id", "#", lambda p: str(p.id), sort_key=lambda p: p.id),
        Column("name", t("ledger.field.name"), lambda p: p.name or "",
               sort_key=lambda p: p.name or "", cell_html=link),
        Column("sex", t("ledger.field.sex"), lambda p: vocab.label("sex", p.sex, lang)
               if p.sex else "", sort_key=lambda p: p.sex or ""),
        Column("category", t("ledger.field.category"),
               lambda p: vocab.label("category", p.category, lang),
               sort_key=lambda p: p.category),
        Column("birth_date", t("ledger.field.birth_date"),
               lambda p: fmt.date(p.birth_date, lang) if p.birth_date else "",
               sort_key=lambda p: p.birth_date.isoformat() if p.birth_date else None)]
    table = DataTable("ledger", columns, lang=lang, heading=t("look.ledger_list"),
                      look=RowLook(classes=lambda p: "cw-ledger-row",
                                   data=lambda p: {"person": p.id}))
    table.set_rows(persons.list_persons(ctx.actor, ctx.uow, limit=LIMIT))
    return table
