"""The audit viewer: the trail of the actor's area filtered by person, account, unit, action,
outcome and dates, a page at a time, and the selection exported as .xlsx or CSV. Reads go
through ``casework.services.audit_queries``."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework.reports import workbook_bytes
from casework.services import audit_queries, org
from casework.services.audit_queries import AuditFilter, AuditPage, AuditRow
from casework.ui.common import file_link, html_box, table_html, title
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.gate import open_gated
from casework.ui.shell import AppContext


def _field(name: str, kind: str, options=None) -> Field:
    return Field(name, kind, f"audit_ui.field.{name}", options)


class AuditTrailApp(widgets.VBox):
    """Filters (a form whose save is the search), the page of entries, paging and export."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.units = {u.path: u for u in org.units(ctx.actor, ctx.uow)}
        self.filters = AuditFilter()
        self.page: AuditPage | None = None
        self.form = Form(
            [_field("person", "text"), _field("username", "text"),
             _field("unit", "choice", self._unit_options),
             _field("action", "choice", self._action_options),
             _field("outcome", "choice", self._outcome_options),
             _field("date_from", "date"), _field("date_to", "date")],
            lang=ctx.lang, on_save=self._search, action="search",
            save_label="audit_ui.action.search", name="filter")
        self.listing, self.downloads = html_box("cw-audit-list"), html_box("cw-downloads")
        self.position = html_box("cw-audit-page")
        self.prev, self.next = self._button("prev"), self._button("next")
        self.prev.on_click(lambda _b: self._load(self.page.page - 1))
        self.next.on_click(lambda _b: self._load(self.page.page + 1))
        export = self._button("export")
        export.on_click(lambda _b: self._offer_export())
        super().__init__([title(ctx, "apps.audit_trail.title"),
                          widgets.HTML(f"<p>{html.escape(ctx.t('audit_ui.intro'))}</p>"),
                          self.form, self.listing,
                          widgets.HBox([self.prev, self.position, self.next]),
                          export, self.downloads])
        self.add_class("cw-audit-trail")
        self._load(1)

    def _button(self, action: str) -> widgets.Button:
        button = widgets.Button(description=self.ctx.t(f"audit_ui.action.{action}"))
        button.add_class(f"cw-action-{action}")
        return button

    # Choice lists
    def _unit_options(self, _lang: str) -> list[tuple[str, int]]:
        return [(self.ctx.t("admin_ui.unit_option", name=u.name(self.ctx.lang), code=u.code),
                 u.id) for u in self.units.values()]

    def _action_options(self, _lang: str) -> list[tuple[str, str]]:
        return [(a, a) for a in audit_queries.actions(self.ctx.actor, self.ctx.uow)]

    def _outcome_options(self, _lang: str) -> list[tuple[str, str]]:
        return [(self.ctx.t(f"audit_ui.outcome.{o}"), o) for o in audit_queries.OUTCOMES]

    # Searching and paging
    def _search(self, values: dict) -> str:
        self.filters = AuditFilter(
            person=values["person"], username=values["username"], unit_id=values["unit"],
            action=values["action"], outcome=values["outcome"],
            date_from=values["date_from"], date_to=values["date_to"])
        self._load(1)
        return self._position_text()

    def _load(self, page: int) -> None:
        self.page = audit_queries.search(self.ctx.actor, self.ctx.uow, self.filters, page=page)
        self.listing.value = self._list_html(self.page.rows)
        self.position.value = html.escape(self._position_text())
        self.prev.disabled = self.page.page <= 1
        self.next.disabled = self.page.page >= self.page.pages
        self.downloads.value = ""

    def _position_text(self) -> str:
        return self.ctx.t("audit_ui.page", page=self.page.page, pages=self.page.pages,
                          total=self.page.total)

    def _list_html(self, rows: tuple[AuditRow, ...]) -> str:
        t = self.ctx.t
        if not rows:
            return f"<p>{html.escape(t('audit_ui.none'))}</p>"
        body = "".join(self._row_html(r) for r in rows)
        return table_html({c: t(f"audit_ui.col.{c}") for c in audit_queries.COLUMNS}, body,
                          max_height="30em")

    def _row_html(self, r: AuditRow) -> str:
        unit = self.units.get(r.unit_path or "")
        cells = (audit_queries.utc_text(r.at), r.username, r.action,
                 self.ctx.t(f"audit_ui.outcome.{r.outcome}"), r.entity, r.entity_id or "",
                 "" if r.person_id is None else str(r.person_id),
                 unit.name(self.ctx.lang) if unit else (r.unit_path or ""))
        style = ' style="color:#b00020"' if r.outcome == "denied" else ""
        return (f'<tr class="cw-audit-row cw-audit-{html.escape(r.outcome)}" data-id="{r.id}" '
                f'data-action="{html.escape(r.action)}"{style}>'
                + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")

    # Export
    def _offer_export(self) -> None:
        rows = audit_queries.export_rows(self.ctx.actor, self.ctx.uow, self.filters)
        frame = audit_queries.to_frame(rows, lang=self.ctx.lang)
        links = [file_link(workbook_bytes({"audit": frame}), "audit-trail.xlsx",
                           self.ctx.t("audit_ui.download_xlsx"), "download-xlsx"),
                 file_link(audit_queries.csv_bytes(frame), "audit-trail.csv",
                           self.ctx.t("audit_ui.download_csv"), "download-csv",
                           mime="text/csv")]
        if len(rows) >= audit_queries.EXPORT_LIMIT:
            links.append(html.escape(self.ctx.t("audit_ui.capped",
                                                limit=audit_queries.EXPORT_LIMIT)))
        self.downloads.value = " · ".join(links)


def build_audit_trail(ctx: AppContext) -> widgets.Widget:
    return open_gated(ctx, AuditTrailApp, capability="read_audit", page="audit_trail")
