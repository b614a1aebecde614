"""The street office's certificates page 《再就业优惠证》: the certificates of a street with their
status, and forms to issue one, record the annual check, withdraw one, and report one lost and
reissue it. Every change goes through ``casework.services.certificates``."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import access
from casework.certificates import WITHDRAWAL_REASONS
from casework.policy import load_policy
from casework.services import certificates as service
from casework.services import org
from casework.services.certificates import (
    CertificateRow,
    IssueCertificate,
    RecordCheck,
    ReportLost,
    Withdraw,
)
from casework.services.person_search import PersonMatches, search_persons
from casework.ui import format as fmt
from casework.ui.common import html_box, problem_page, required, state_badge, table_html, title
from casework.ui.fields import Field
from casework.ui.forms import Form, forms_for
from casework.ui.shell import AppContext

# form name: (action class, button label)
ACTIONS = {"issue": ("issue", "certificates_ui.action.issue"),
           "check": ("check", "certificates_ui.action.check"),
           "withdraw": ("withdraw", "certificates_ui.action.withdraw"),
           "lost": ("report-lost", "certificates_ui.action.lost"),
           "reissue": ("reissue", "certificates_ui.action.reissue")}
COLUMNS = ("number", "holder", "street", "issued", "last_check", "state", "note")
# A certificate's state in the shared colours: in force is done (green), a missed or failed
# annual check is overdue (red: it must be dealt with), withdrawn or lost is refused (grey).
STATES = {"valid": "done", "check_missed": "overdue", "check_failed": "overdue",
          "withdrawn": "refused", "lost": "refused"}
IN_FORCE = ("valid", "check_missed", "check_failed")
NOWRAP = ' style="white-space:nowrap"'  # numbers and dates stay on one line


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"certificates_ui.field.{name}", options, required)


class CertificatesApp(widgets.VBox):
    """The street list for everyone in scope; for the street office and above, four forms."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx, self.today = ctx, ctx.uow.today()
        self.rows: list[CertificateRow] = []
        self.forms: dict[str, Form] = {}
        streets = org.units(ctx.actor, ctx.uow, level="street")
        self.street = widgets.Dropdown(
            options=[(ctx.t("certificates_ui.all_streets"), None)]
            + [(u.name(ctx.lang), u.id) for u in streets],
            value=streets[0].id if len(streets) == 1 else None)
        self.street.add_class("cw-field-street")
        self.street.description = ctx.t("certificates_ui.field.street")  # its own <label>
        self.search = widgets.Text(continuous_update=False,
                                   placeholder=ctx.t("certificates_ui.field.search"))
        self.search.add_class("cw-field-search")
        self.search.description = ctx.t("certificates_ui.field.search")
        for widget in (self.street, self.search):
            widget.style.description_width = "initial"
        go = widgets.Button(description=ctx.t("certificates_ui.action.search"))
        go.add_class("cw-action-search")
        go.on_click(lambda _b: self.refresh())
        self.street.observe(lambda _c: self.refresh(), names="value")
        self.listing = html_box("cw-certificate-list")
        parts = [title(ctx, "apps.certificates.title"), self._note("help", month=load_policy()
                                                                   ["certificate"]
                                                                   ["annual_check_due_month"]),
                 self._heading("list"), widgets.HBox([self.street, self.search, go]),
                 self.listing]
        if access.may(ctx.actor, "certificates"):
            self._build_forms()
            parts += [w for name in ACTIONS for w in (self._heading(name), self.forms[name])]
        else:
            parts.append(self._note("read_only"))
        super().__init__(parts)
        self.add_class("cw-certificates")
        self.refresh()

    # The list
    def refresh(self) -> None:
        self.rows = service.list_by_street(self.ctx.actor, self.ctx.uow,
                                           street_id=self.street.value,
                                           search=self.search.value or None, on=self.today)
        self.listing.value = self._list_html()
        for form in self.forms.values():
            form.reload_options()

    def _list_html(self) -> str:
        t = self.ctx.t
        if not self.rows:
            return f"<p>{html.escape(t('certificates_ui.no_certificates'))}</p>"
        body = "".join(self._row_html(r) for r in self.rows)
        return table_html({c: t(f"certificates_ui.col.{c}") for c in COLUMNS}, body,
                          max_height="24em")

    def _row_html(self, r: CertificateRow) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        check = (t("ledger.certificate.check", year=r.last_check[0],
                   outcome=t("certificates_ui.passed" if r.last_check[1]
                             else "certificates_ui.failed"), on=fmt.date(r.last_check[2], lang))
                 if r.last_check else "")
        note = [r.reason.text(lang)]
        if r.replaces:
            note.append(t("certificates_ui.replaces", number=r.replaces))
        if r.replaced_by:
            note.append(t("certificates_ui.replaced_by", number=r.replaced_by))
        if r.withdrawal_remark:
            note.append(r.withdrawal_remark)
        state = STATES.get(r.state, "upcoming")
        cells = [html.escape(c) for c in (r.number, r.name or f"#{r.person_id}",
                                          r.street_name(lang), fmt.date(r.issued_on, lang),
                                          check)]
        cells += [state_badge(self.ctx, state, t(f"certificates.status.{r.state}")),
                  html.escape(" · ".join(note))]
        return (f'<tr class="cw-certificate cw-certificate-{r.state} cw-state-{state}"'
                f' data-certificate="{r.id}" data-person="{r.person_id}">'
                + "".join(f"<td{NOWRAP if i in (0, 3, 4) else ''}>{c}</td>"
                          for i, c in enumerate(cells)) + "</tr>")

    def _heading(self, name: str) -> widgets.HTML:
        text = self.ctx.t(f"certificates_ui.section.{name}")
        return widgets.HTML(f"<h3>{html.escape(text)}</h3>")

    def _note(self, key: str, **params) -> widgets.HTML:
        return widgets.HTML(f"<p>{html.escape(self.ctx.t(f'certificates_ui.{key}', **params))}</p>")

    # The forms
    def _build_forms(self) -> None:
        specs = {
            "issue": ([_field("person", "person", self._candidate_search, True),
                       _field("issued_on", "date", required=True)], self._issue),
            "check": ([_field("certificate", "choice", self._in_force_options, True),
                       _field("year", "int", required=True),
                       _field("passed", "choice", self._outcome_options, True),
                       _field("remark", "textarea"),
                       _field("checked_on", "date", required=True)], self._check),
            "withdraw": ([_field("certificate", "choice", self._in_force_options, True),
                          _field("reason", "choice", self._reason_options, True),
                          _field("remark", "textarea"),
                          _field("withdrawn_on", "date", required=True)], self._withdraw),
            "lost": ([_field("certificate", "choice", self._in_force_options, True),
                      _field("lost_on", "date", required=True),
                      _field("reissue", "bool")], self._lost),
            "reissue": ([_field("certificate", "choice", self._lost_options, True),
                         _field("issued_on", "date", required=True)], self._reissue),
        }
        self.forms = forms_for(specs, ACTIONS, lang=self.ctx.lang, after_save=self._after_save,
                               defaults=self._defaults)
        self.forms["check"].inputs["certificate"].observe(self._certificate_chosen,
                                                          names="value")

    def _defaults(self, name: str) -> dict:
        day = self.today.isoformat()
        return {"issue": {"issued_on": day},
                "check": {"checked_on": day, "passed": True, "year": self.today.year},
                "withdraw": {"withdrawn_on": day, "reason": "stable_employment"},
                "lost": {"lost_on": day, "reissue": True},
                "reissue": {"issued_on": day}}[name]

    def _after_save(self, name: str) -> None:
        self.refresh()
        self.forms[name].clear(self._defaults(name))

    def _certificate_chosen(self, change) -> None:
        """Offer the earliest year still to be checked for the certificate chosen."""
        row = self._row(change["new"])
        if row is not None and row.due_year is not None:
            self.forms["check"].inputs["year"].value = row.due_year

    def _candidate_search(self, **query) -> PersonMatches:
        """Who may be issued a certificate: of a holder category, in the street chosen above,
        holding none in force."""
        return search_persons(self.ctx.actor, self.ctx.uow, street_id=self.street.value,
                              categories=load_policy()["certificate"]["holder_categories"],
                              without_certificate=True, **query)

    def _in_force_options(self, lang: str) -> list[tuple[str, int]]:
        return [(self.ctx.t("certificates_ui.certificate_option", number=r.number,
                            name=r.name or f"#{r.person_id}"), r.id)
                for r in self.rows if r.state in IN_FORCE]

    def _lost_options(self, lang: str) -> list[tuple[str, int]]:
        return [(self.ctx.t("certificates_ui.certificate_option", number=r.number,
                            name=r.name or f"#{r.person_id}"), r.id)
                for r in self.rows if r.state == "lost" and r.replaced_by is None]

    def _outcome_options(self, lang: str) -> list[tuple[str, bool]]:
        return [(self.ctx.t("certificates_ui.pass"), True),
                (self.ctx.t("certificates_ui.fail"), False)]

    def _reason_options(self, lang: str) -> list[tuple[str, str]]:
        return [(self.ctx.t(f"certificates.reason.{r}"), r) for r in WITHDRAWAL_REASONS]

    def _row(self, certificate_id: int | None) -> CertificateRow | None:
        return next((r for r in self.rows if r.id == certificate_id), None)

    def _chosen(self, values: dict) -> CertificateRow:
        row = self._row(values["certificate"])
        if row is None:
            raise required("certificate")
        return row

    # Saves: each calls one service and returns the status line's text.
    def _issue(self, values: dict) -> str:
        if values["person"] is None:
            raise required("person")
        service.issue(self.ctx.actor, self.ctx.uow, IssueCertificate(
            person_id=values["person"], issued_on=values["issued_on"]))
        row = service.status(self.ctx.actor, self.ctx.uow, person_id=values["person"])
        return self.ctx.t("certificates_ui.issued", number=row.number, name=row.name or "")

    def _check(self, values: dict) -> str:
        row = self._chosen(values)
        if values["year"] is None:
            raise required("year")
        service.record_check(self.ctx.actor, self.ctx.uow, RecordCheck(
            certificate_id=row.id, expected_version=row.version, year=values["year"],
            passed=values["passed"] is not False, remark=values["remark"],
            checked_on=values["checked_on"]))
        outcome = "certificates_ui.passed" if values["passed"] is not False else \
            "certificates_ui.failed"
        return self.ctx.t("certificates_ui.checked", year=values["year"], number=row.number,
                          outcome=self.ctx.t(outcome))

    def _withdraw(self, values: dict) -> str:
        row = self._chosen(values)
        if values["reason"] is None:
            raise required("reason")
        service.withdraw(self.ctx.actor, self.ctx.uow, Withdraw(
            certificate_id=row.id, expected_version=row.version, reason=values["reason"],
            remark=values["remark"], withdrawn_on=values["withdrawn_on"]))
        return self.ctx.t("certificates_ui.withdrawn", number=row.number)

    def _lost(self, values: dict) -> str:
        row = self._chosen(values)
        new_id = service.report_lost(self.ctx.actor, self.ctx.uow, ReportLost(
            certificate_id=row.id, expected_version=row.version, lost_on=values["lost_on"],
            reissue=bool(values["reissue"])))
        if new_id is None:
            return self.ctx.t("certificates_ui.lost", number=row.number)
        new = service.status(self.ctx.actor, self.ctx.uow, person_id=row.person_id)
        return self.ctx.t("certificates_ui.lost_reissued", number=row.number, new=new.number)

    def _reissue(self, values: dict) -> str:
        row = self._chosen(values)
        service.reissue(self.ctx.actor, self.ctx.uow, certificate_id=row.id,
                        issued_on=values["issued_on"])
        new = service.status(self.ctx.actor, self.ctx.uow, person_id=row.person_id)
        return self.ctx.t("certificates_ui.reissued", number=row.number, new=new.number)


def build_certificates(ctx: AppContext) -> widgets.Widget:
    return CertificatesApp(ctx) if ctx.actor else problem_page(ctx)
