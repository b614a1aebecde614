"""The audit viewer: the trail of the actor's area filtered by person, account, unit, action,
outcome and dates, a page at a time, and the selection exported as .xlsx or CSV. Reads go
through ``casework.services.audit_queries``."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework.errors import CaseworkError
from casework.reports import workbook_bytes
from casework.services import audit_queries, org
from casework.services.audit_queries import AuditFilter, AuditPage, AuditRow, action_name
from casework.ui.common import file_link, html_box, state_badge, table_html, title
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.gate import open_gated
from casework.ui.shell import AppContext
from casework.ui.working import Steps

# An outcome's colour: a denied attempt is a refusal (grey), a done one is done (green).
OUTCOME_STATES = {"ok": "done", "denied": "refused"}


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
        self.export = self._button("export")
        self.export.on_click(lambda _b: self._offer_export())
        self.working = widgets.VBox()
        self.working.add_class("cw-audit-export")
        super().__init__([title(ctx, "apps.audit_trail.title"),
                          widgets.HTML(f"<p>{html.escape(ctx.t('audit_ui.intro'))}</p>"),
                          self.form, self.listing,
                          widgets.HBox([self.prev, self.position, self.next]),
                          self.export, self.working, self.downloads])
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

    def _action_options(self, lang: str) -> list[tuple[str, str]]:
        """Each action by its name, in the order of the names."""
        codes = audit_queries.actions(self.ctx.actor, self.ctx.uow)
        return sorted(((action_name(a, lang), a) for a in codes), key=lambda o: o[0])

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
        esc = html.escape
        outcome = state_badge(self.ctx, OUTCOME_STATES.get(r.outcome, "upcoming"),
                              self.ctx.t(f"audit_ui.outcome.{r.outcome}"))
        cells = (esc(audit_queries.utc_text(r.at)), esc(r.username),
                 f'<span title="{esc(r.action)}">{esc(action_name(r.action, self.ctx.lang))}'
                 "</span>", outcome, esc(r.entity), esc(r.entity_id or ""),
                 "" if r.person_id is None else str(r.person_id),
                 esc(unit.name(self.ctx.lang) if unit else (r.unit_path or "")))
        return (f'<tr class="cw-audit-row cw-audit-{esc(r.outcome)}" data-id="{r.id}" '
                f'data-action="{esc(r.action)}">'
                + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")

    # Export
    def _offer_export(self) -> None:
        """Build both files with a bar that names the step under way (a large selection takes
        seconds); the page and the list stay readable meanwhile."""
        t = self.ctx.t
        steps = Steps(self.ctx.lang, [t(f"look_apps.audit_{k}") for k in ("rows", "xlsx", "csv")])
        self.working.children, self.downloads.value = [steps], ""
        self.export.disabled = True
        try:
            self.downloads.value = self._export_links(steps)
        except CaseworkError as exc:
            failed = t("look_apps.audit_failed", reason=exc.text(self.ctx.lang))
            self.downloads.value = f'<p class="cw-status-error">{html.escape(failed)}</p>'
        finally:
            steps.finish()
            self.export.disabled = False

    def _export_links(self, steps: Steps) -> str:
        steps.begin(0)
        rows = audit_queries.export_rows(self.ctx.actor, self.ctx.uow, self.filters)
        frame = audit_queries.to_frame(rows, lang=self.ctx.lang)
        steps.begin(1)
        xlsx = workbook_bytes({"audit": frame})
        steps.begin(2)
        links = [file_link(xlsx, "audit-trail.xlsx",
                           self.ctx.t("audit_ui.download_xlsx"), "download-xlsx"),
                 file_link(audit_queries.csv_bytes(frame), "audit-trail.csv",
                           self.ctx.t("audit_ui.download_csv"), "download-csv",
                           mime="text/csv")]
        if len(rows) >= audit_queries.EXPORT_LIMIT:
            links.append(html.escape(self.ctx.t("audit_ui.capped",
                                                limit=audit_queries.EXPORT_LIMIT)))
        return " · ".join(links)


def build_audit_trail(ctx: AppContext) -> widgets.Widget:
    return open_gated(ctx, AuditTrailApp, capability="read_audit", page="audit_trail")
