"""The public job board: open community jobs and current service-demand notices.

No account is needed and nothing about any person is shown: the board reads only the public
posting and notice services, never referrals, placements or the ledger.
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from casework import settings, vocab
from casework.i18n import t
from casework.services import jobs, org
from casework.services.uow import UnitOfWork
from casework.ui import format as fmt
from casework.ui.common import html_box, labelled_dropdown, table_html
from casework.ui.shell import AppContext, request_params
from casework.ui.table import Column, DataTable, RowLook


def public_streets(uow: UnitOfWork, lang: str) -> list[tuple[str, int]]:
    """Every street of the city as ``(name, id)``; the tree of units is public knowledge."""
    return [(u.name(lang), u.id) for u in org.units(org.SYSTEM, uow, level="street")]


class JobBoard(widgets.VBox):
    """Query by field and street; both lists follow the query at once."""

    def __init__(self, lang: str, uow: UnitOfWork, *, today: dt.date | None = None) -> None:
        self.lang, self.uow, self.today = lang, uow, today or uow.today()
        # "All" is "" and 0, not None: a Dropdown shows None as no choice at all.
        self.field = labelled_dropdown(
            "cw-field-field", self.t("jobs_ui.board.field"),
            [(self.t("jobs_ui.board.all_fields"), "")]
            + vocab.options("community_field", vocab.COMMUNITY_FIELDS, lang), value="")
        self.street = labelled_dropdown(
            "cw-field-street", self.t("jobs_ui.board.street"),
            [(self.t("jobs_ui.board.all_streets"), 0)] + public_streets(uow, lang), value=0)
        self.status = html_box("cw-status")
        self.postings, self.notices = self._postings_table(), html_box("cw-board-notices")
        query = widgets.HBox([self.field, self.street])
        super().__init__([self._header(), query, self.status,
                          self._heading("postings"), self.postings,
                          self._heading("notices"), self.notices])
        self.add_class("cw-job-board")
        self.refresh()
        self.field.observe(lambda _c: self.refresh(), names="value")
        self.street.observe(lambda _c: self.refresh(), names="value")

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def refresh(self) -> None:
        field, street = self.field.value or None, self.street.value or None
        found = jobs.public_postings(self.uow, field=field, street_id=street)
        notices = jobs.public_notices(self.uow, today=self.today, field=field, street_id=street)
        # Newest first, so a job posted today is on the first page.
        self.postings.set_rows(sorted(found, key=lambda p: (p.opened_on, p.id), reverse=True))
        self.notices.value = self._notices_html(notices)
        self.status.value = html.escape(self.t("jobs_ui.board.found", postings=len(found),
                                               notices=len(notices)))

    def _header(self) -> widgets.HTML:
        other = "en" if self.lang == "zh" else "zh"
        return widgets.HTML(
            f"<h2>{html.escape(self.t('apps.job_board.title'))}</h2>"
            f"<p>{html.escape(self.t('jobs_ui.board.subtitle'))} · "
            f'<a class="cw-action-language" href="?lang={other}">'
            f"{html.escape(self.t('app.switch_language'))}</a></p>")

    def _heading(self, name: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.t('jobs_ui.board.' + name))}</h3>")

    def _postings_table(self) -> DataTable:
        """The open postings (``cw-board-postings``), sorted, filtered and paged."""
        lang, skills = self.lang, vocab.skills()

        def col(code: str, text, sort_key=None) -> Column:
            return Column(code, self.t("jobs_ui.col." + code), text, sort_key=sort_key)

        columns = [
            col("title", lambda p: p.title, lambda p: p.title),
            col("field", lambda p: vocab.label("community_field", p.field, lang),
                lambda p: p.field),
            col("occupation", lambda p: vocab.occupation_name(p.occupation, lang),
                lambda p: vocab.occupation_name(p.occupation, lang)),
            col("skills", lambda p: "、".join(skills[s].name(lang) if s in skills else s
                                             for s in p.skills)),
            Column("wage", self.t("look_apps.col.wage"), lambda p: fmt.yuan(p.monthly_wage, lang),
                   sort_key=lambda p: p.monthly_wage),
            col("contract", lambda p: fmt.number(p.contract_months), lambda p: p.contract_months),
            col("left", lambda p: fmt.number(_left(p)), _left),
            col("public_welfare", lambda p: self.t(
                "jobs_ui.board." + ("yes" if p.public_welfare else "no"))),
            col("investor", lambda p: f"{vocab.label('investor_kind', p.investor_kind, lang)}: "
                f"{p.investor_name}"),
            col("unit", lambda p: p.unit_name(lang), lambda p: p.unit_name(lang)),
            col("contact", lambda p: p.contact or "")]
        table = DataTable("board", columns, lang=lang, page_size=20,
                          placeholder=self.t("look_apps.postings_filter"),
                          look=RowLook(classes=lambda p: "cw-board-posting",
                                       data=lambda p: {"posting": p.id, "field": p.field}))
        table.add_class("cw-board-postings")
        return table

    def _notices_html(self, rows: list[jobs.NoticeRow]) -> str:
        if not rows:
            return f"<p>{html.escape(self.t('jobs_ui.board.no_notices'))}</p>"
        body = "".join(
            f'<tr class="cw-board-notice" data-notice="{n.id}" data-field="{n.field}">'
            + _cells((n.title, vocab.label("community_field", n.field, self.lang),
                      n.unit_name(self.lang), n.body or "", fmt.date(n.published_on, self.lang),
                      fmt.date(n.closes_on, self.lang) if n.closes_on else ""))
            + "</tr>" for n in rows)
        return _table(self.lang, ("title", "field", "unit", "body", "published_on", "closes_on"),
                      body)


def _left(p: jobs.PostingRow) -> int:
    return max(p.openings - p.placed, 0)


def _cells(values) -> str:
    return "".join(f"<td>{html.escape(str(v))}</td>" for v in values)


def _table(lang: str, columns: tuple[str, ...], body: str) -> str:
    return table_html({c: t("jobs_ui.col." + c, lang) for c in columns}, body,
                      max_height="none")


def build_job_board(ctx_or_params: AppContext | dict[str, str] | None = None) -> JobBoard:
    """The board from an AppContext (its account is ignored) or the request's parameters.

    Without either, the parameters are read from the request (``?lang=``).
    """
    if isinstance(ctx_or_params, AppContext):
        return JobBoard(ctx_or_params.lang, ctx_or_params.uow)
    params = request_params() if ctx_or_params is None else ctx_or_params
    lang = params.get("lang")
    return JobBoard(lang if lang in ("zh", "en") else settings.language(), UnitOfWork())
