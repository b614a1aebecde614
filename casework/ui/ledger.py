"""The ledger app (台帐): find people, read their record (with their Re-employment Preferential
Certificate's status, read-only), register, track status, log services."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import vocab
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message
from casework.services import certificates, org, persons
from casework.ui.common import print_button, problem_page, skill_options, title, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.ledger_list import ledger_table
from casework.ui.person_edit import PersonEditor, shown_value
from casework.ui.person_picker import PersonPicker, searching
from casework.ui.shell import AppContext

SHOWN = ("id_number", "id_number_original", "name", "sex", "birth_date", "birth_year", "phone",
         "address", "category", "education", "income_band", "household_members", "dependants",
         "skills", "job_wishes", "living_needs", "out_of_work_since", "prior_wage", "registered_on")


def person_fields(communities) -> list[Field]:
    return [
        Field("id_number", "text", "ledger.field.id_number", required=True),
        Field("name", "text", "ledger.field.name", required=True),
        Field("sex", "choice", "ledger.field.sex", vocab_options("sex", ("M", "F"))),
        Field("birth_date", "date", "ledger.field.birth_date"),
        Field("phone", "text", "ledger.field.phone"),
        Field("address", "text", "ledger.field.address"),
        Field("community_id", "choice", "ledger.field.community_id", communities, required=True),
        Field("category", "choice", "ledger.field.category",
              vocab_options("category", vocab.CATEGORIES), required=True),
        Field("education", "choice", "ledger.field.education",
              vocab_options("education", vocab.EDUCATION)),
        Field("income_band", "choice", "ledger.field.income_band",
              vocab_options("income_band", vocab.INCOME_BANDS)),
        Field("household_members", "int", "ledger.field.household_members"),
        Field("dependants", "int", "ledger.field.dependants"),
        Field("skills", "multi", "ledger.field.skills", skill_options),
        Field("skills_note", "text", "ledger.field.skills_note"),
        Field("job_wishes", "textarea", "ledger.field.job_wishes"),
        Field("living_needs", "textarea", "ledger.field.living_needs"),
        Field("out_of_work_since", "date", "ledger.field.out_of_work_since"),
        Field("prior_wage", "int", "ledger.field.prior_wage"),
        Field("confirm_similar", "bool", "ledger.field.confirm_similar"),
    ]


class LedgerApp(widgets.VBox):
    """Search and a detail panel for everyone; forms only for accounts that may write."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.editor: PersonEditor | None = None
        # Found by searching as the user types (name, ID number, phone, #record), in scope.
        self.picker = PersonPicker("open_person", search=searching(ctx.actor, ctx.uow),
                                   lang=ctx.lang)
        self.detail = widgets.HTML()
        self.detail.add_class("cw-person-detail")
        self.picker.observe(lambda _c: self.show(), names="value")
        parts = [title(ctx, "apps.ledger.title"), self.picker, self.detail, ledger_table(ctx)]
        if persons.may_write(ctx.actor):
            parts += self._forms()
        super().__init__(parts)
        self.add_class("cw-ledger")
        self.open_linked(ctx.params.get("person"))

    def open_linked(self, person: str | None) -> None:
        """``ledger.ipynb?person=<id>``, a link from another page, opens that record if the
        actor may read it; a refusal is shown (and audited by the service)."""
        if not person:
            return
        try:
            person_id = int(person)
            # Reading it refuses (and audits) a record out of the actor's reach.
            persons.get_person(self.ctx.actor, self.ctx.uow, person_id=person_id)
        except ValueError:
            self.detail.value = self._refusal(self.ctx.t("ledger.bad_link", value=person))
            return
        except CaseworkError as exc:
            self.detail.value = self._refusal(exc.text(self.ctx.lang))
            return
        self.picker.value = person_id

    @staticmethod
    def _refusal(text: str) -> str:
        return f'<p class="cw-refused">{html.escape(text)}</p>'

    def _forms(self) -> list[widgets.Widget]:
        actor, uow, lang = self.ctx.actor, self.ctx.uow, self.ctx.lang
        communities = [(u.name(lang), u.id) for u in org.units(actor, uow, level="community")]
        self.register = Form(person_fields(lambda _l: communities),
                             lang=lang, on_save=self._register, action="register",
                             save_label="ledger.register", name="register")
        self.status = Form([Field("status", "choice", "ledger.field.status",
                                  vocab_options("employment_status", vocab.EMPLOYMENT_STATUSES),
                                  required=True),
                            Field("since", "date", "ledger.field.since", required=True),
                            Field("monthly_wage", "int", "ledger.field.monthly_wage"),
                            Field("note", "text", "ledger.field.note")],
                           lang=lang, on_save=self._record_status, action="record-status",
                           save_label="ledger.record_status", name="status")
        self.service = Form([Field("kind", "choice", "ledger.field.kind",
                                   vocab_options("service_kind", vocab.SERVICE_KINDS),
                                   required=True),
                             Field("service_date", "date", "ledger.field.service_date",
                                   required=True),
                             Field("notes", "textarea", "ledger.field.notes")],
                            lang=lang, on_save=self._log_service, action="log-service",
                            save_label="ledger.log_service", name="service")
        if len(communities) == 1:
            self.register.clear({"community_id": communities[0][1]})
        edit_fields = [f for f in person_fields(lambda _l: communities)
                       if f.name != "confirm_similar"]
        self.editor = PersonEditor(self.ctx, edit_fields, on_saved=self.show)
        return [self._heading("conflicts.section"), self.editor,
                self._heading("ledger.section.status"), self.status,
                self._heading("ledger.section.service"), self.service,
                self._heading("ledger.section.register"), self.register]

    def _heading(self, key: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.ctx.t(key))}</h3>")

    def show(self) -> None:
        if self.picker.value is None:
            self.detail.value = ""
            if self.editor is not None:
                self.editor.show_record(None, None)
            return
        record = persons.get_person(self.ctx.actor, self.ctx.uow, person_id=self.picker.value)
        held = certificates.status(self.ctx.actor, self.ctx.uow, person_id=self.picker.value)
        card = self.ctx.t("look.ledger_card", name=record.values.get("name") or "")
        # A card the office files on paper: printed on its own on A4 (cw-action-print).
        self.detail.value = (f'<div class="cw-printable cw-ledger-card">'
                             f"{print_button(self.ctx, card)}{self._detail_html(record)}"
                             f"{self._certificate_html(held)}</div>")
        # Only another person replaces the edit form: a refresh keeps what is being typed.
        if self.editor is not None and self.editor.person_id != self.picker.value:
            self.editor.show_record(self.picker.value, record)

    def _detail_html(self, record: persons.PersonDetail) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        v = record.values
        rows = "".join(f"<tr><th>{t('ledger.field.' + k)}</th>"
                       f"<td>{html.escape(shown_value(k, v[k], lang))}</td></tr>"
                       for k in SHOWN if v.get(k) not in (None, "", []))
        history = "".join(
            f"<li>{h['since']}: {vocab.label('employment_status', h['status'], lang)}"
            f"{' · ' + str(h['monthly_wage']) if h.get('monthly_wage') else ''}</li>"
            for h in record.status_history)
        services = "".join(
            f"<li>{s['service_date']}: {vocab.label('service_kind', s['kind'], lang)} "
            f"{html.escape(s['notes'] or '')}</li>" for s in record.services)
        return (f"<table>{rows}</table><h4>{t('ledger.status_history')}</h4><ul>{history}</ul>"
                f"<h4>{t('ledger.services_log')}</h4><ul>{services}</ul>")

    def _certificate_html(self, held: certificates.CertificateRow | None) -> str:
        """The certificate's status, read-only, and where it is handled."""
        t = self.ctx.t
        link = (f'<p><a class="cw-action-open-certificates" href="certificates.ipynb?lang='
                f'{self.ctx.lang}">{html.escape(t("ledger.certificate.pointer"))}</a></p>')
        head = f"<h4>{html.escape(t('ledger.certificate.heading'))}</h4>"
        if held is None:
            return (f'{head}<div class="cw-certificate-status cw-certificate-none">'
                    f"<p>{html.escape(t('ledger.certificate.none'))}</p>{link}</div>")
        check = (t("ledger.certificate.check", year=held.last_check[0],
                   outcome=t("ledger.certificate.passed" if held.last_check[1]
                             else "ledger.certificate.failed"),
                   on=held.last_check[2].isoformat()) if held.last_check else "—")
        rows = (("number", held.number), ("issued", held.issued_on.isoformat()),
                ("last_check", check), ("status", t(f"certificates.status.{held.state}")))
        cells = "".join(f'<tr class="cw-certificate-field-{key}"><th>'
                        f'{html.escape(t(f"ledger.certificate.{key}"))}</th>'
                        f"<td>{html.escape(value)}</td></tr>" for key, value in rows)
        return (f'{head}<div class="cw-certificate-status cw-certificate-{held.state}">'
                f"<table>{cells}</table><p>{html.escape(held.reason.text(self.ctx.lang))}</p>"
                f"{link}</div>")

    def _chosen(self) -> int:
        if self.picker.value is None:
            raise ValidationError({"person": Message("ledger.open_first")})
        return self.picker.value

    def _register(self, values: dict) -> str:
        confirm = values.pop("confirm_similar")
        person_id = persons.register_person(self.ctx.actor, self.ctx.uow, values=values,
                                            confirm_similar=confirm)
        self.picker.text.value = values["id_number"]
        self.picker.value = person_id
        return self.ctx.t("ledger.registered", id=person_id)

    def _record_status(self, values: dict) -> str:
        persons.record_status(self.ctx.actor, self.ctx.uow, person_id=self._chosen(), **values)
        self.show()
        return self.ctx.t("ledger.saved")

    def _log_service(self, values: dict) -> str:
        persons.log_service(self.ctx.actor, self.ctx.uow, person_id=self._chosen(), **values)
        self.show()
        return self.ctx.t("ledger.saved")


def build_ledger(ctx: AppContext) -> widgets.Widget:
    return LedgerApp(ctx) if ctx.actor else problem_page(ctx)
