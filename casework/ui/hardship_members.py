"""The members of a 特困家庭 on screen: rows to type other members in when registering, and both
decisions explained: the household's registration (连政办发[2002]132号) and, per member, the
targeting for employment aid (the notice's 三(七))."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import ipywidgets as widgets
import traitlets

from casework import vocab
from casework.errors import ValidationError
from casework.i18n import t
from casework.policy import Decision
from casework.services import hardship
from casework.services.hardship import RELATIONS, SITUATIONS, MemberInput
from casework.ui.common import html_box, required, vocab_options
from casework.ui.fields import Field
from casework.ui.forms import Form
from casework.ui.person_picker import Search
from casework.ui.shell import AppContext

ANSWERS = ("female_cadre", "able_to_work", "willing", "accepts_any_job")


class OtherMembers(widgets.VBox):
    """A few rows for the members other than the applicant; ``value`` lists the filled-in rows
    as ``MemberInput``. Each row has the ``cw-member-row`` hook and its inputs
    ``cw-field-member_<name>``."""

    value = traitlets.Tuple()

    def __init__(self, lang: str, rows: int = 3) -> None:
        self.lang = lang
        self._rows = [self._row() for _ in range(rows)]
        boxes = []
        for inputs in self._rows:
            box = widgets.VBox([
                widgets.HBox([inputs[n] for n in ("name", "relation", "sex", "birth_date",
                                                  "situation")]),
                widgets.HBox([inputs[n] for n in ANSWERS])])
            box.add_class("cw-member-row")
            boxes.append(box)
            for widget in inputs.values():
                widget.observe(self._sync, names="value")
        super().__init__(boxes)

    def _row(self) -> dict[str, widgets.ValueWidget]:
        lang = self.lang

        def label(name: str) -> str:  # each input's own <label> (casework.css sets it above)
            return t(f"hardship.field.{name}", lang)

        def choice(vocabulary: str, codes) -> widgets.Dropdown:
            return widgets.Dropdown(options=[("—", None)] + vocab.options(vocabulary, codes, lang),
                                    value=None, layout=widgets.Layout(width="9em"),
                                    description=label(vocabulary))

        inputs = {
            "name": widgets.Text(continuous_update=False, layout=widgets.Layout(width="8em"),
                                 description=label("name")),
            "relation": choice("relation", RELATIONS[1:]),
            "sex": choice("sex", ("M", "F")),
            "birth_date": widgets.DatePicker(layout=widgets.Layout(width="11em"),
                                             description=label("birth_date")),
            "situation": choice("situation", SITUATIONS),
        } | {name: widgets.Checkbox(indent=False, description=t(f"hardship.field.{name}", lang))
             for name in ANSWERS}
        for name, widget in inputs.items():
            widget.add_class(f"cw-field-member_{name}")
        return inputs

    def _sync(self, _change=None) -> None:
        self.value = tuple(MemberInput(**{k: _plain(w.value) for k, w in inputs.items()})
                           for inputs in self._rows if _filled(inputs))

    def clear(self) -> None:
        for inputs in self._rows:
            for name, widget in inputs.items():
                widget.value = False if name in ANSWERS else "" if name == "name" else None
        self._sync()


def _plain(value):
    return value.strip() or None if isinstance(value, str) else value


def _filled(inputs: dict) -> bool:
    return any(w.value for name, w in inputs.items() if name not in ANSWERS)


def decision_html(ctx: AppContext, *, registration: Decision, criteria_reference: str,
                  aid_reference: str, members: Iterable[tuple[str, str, Decision]]) -> str:
    """Both decisions: the registration with its reasons, then a row per member (name,
    relation, decision) saying whether they are targeted for employment aid and why."""
    ok = "ok" if registration.ok else "no"
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in registration.explain(ctx.lang))
    verdict = ctx.t(f"hardship.registration_{ok}")
    basis = ctx.t("hardship.registration_basis", reference=criteria_reference)
    parts = [f'<div class="cw-decision-registration cw-decision-{ok}">'
             f"<p><b>{html.escape(verdict)}</b> · {html.escape(basis)}</p><ul>{reasons}</ul>"
             f"<small>{html.escape(registration.policy_version)}</small></div>"]
    rows, targeted = [], 0
    for name, relation, decision in members:
        targeted += decision.ok
        yes = "yes" if decision.ok else "no"
        why = " ".join(decision.explain(ctx.lang))
        verdict = ctx.t("hardship.targeted" if decision.ok else "hardship.not_targeted")
        rows.append(f'<tr class="cw-member-decision cw-targeted-{yes}">'
                    f"<td>{html.escape(name)}</td>"
                    f"<td>{html.escape(vocab.label('relation', relation, ctx.lang))}</td>"
                    f"<td><b>{html.escape(verdict)}</b></td><td>{html.escape(why)}</td></tr>")
    heads = "".join(f"<th>{ctx.t('hardship.col.' + c)}</th>"
                    for c in ("name", "relation", "aid", "reasons"))
    none = "" if targeted else f"<p>{ctx.t('hardship.none_targeted')}</p>"
    parts.append(f'<div class="cw-decision-aid"><p>'
                 f"{html.escape(ctx.t('hardship.aid_basis', reference=aid_reference))}</p>"
                 f'<table cellpadding="4"><tr>{heads}</tr>{"".join(rows)}</table>{none}</div>')
    return "".join(parts)


def member_decisions(rows) -> list[tuple[str, str, Decision]]:
    """(name, relation, decision) for each stored member (``MemberRow``)."""
    return [(m.name, m.relation, Decision(m.aid_targeted, m.policy_version, m.reasons))
            for m in rows]


class MemberEditor(widgets.VBox):
    """Pick a pending or registered household to see both decisions, then add a member or
    correct one; the targeting for employment aid is decided again on saving."""

    def __init__(self, ctx: AppContext, *, households: Search,
                 people: Search, after_save: Callable[[], None]) -> None:
        self.ctx, self.after_save = ctx, after_save
        self.detail: hardship.HouseholdDetail | None = None
        self.view = html_box("cw-household-members")
        fields = [
            Field("household", "household", "hardship.field.household", households,
                  required=True),
            Field("member", "choice", "hardship.field.member", self._member_options,
                  required=True),
            Field("ledger_person", "person", "hardship.field.ledger_person", people),
            Field("name", "text", "hardship.field.name"),
            Field("relation", "choice", "hardship.field.relation",
                  vocab_options("relation", RELATIONS)),
            Field("sex", "choice", "hardship.field.sex", vocab_options("sex", ("M", "F"))),
            Field("birth_date", "date", "hardship.field.birth_date"),
            Field("situation", "choice", "hardship.field.situation",
                  vocab_options("situation", SITUATIONS)),
            *[Field(name, "bool", f"hardship.field.{name}") for name in ANSWERS]]
        self.form = Form(fields, lang=ctx.lang, on_save=self._save, action="save-member",
                         save_label="hardship.save_member", name="member")
        self.form.inputs["household"].observe(self._household_chosen, names="value")
        self.form.inputs["member"].observe(self._member_chosen, names="value")
        super().__init__([self.form, self.view])

    def _member_options(self, lang: str) -> list[tuple[str, int]]:
        rows = self.detail.members if self.detail else ()
        return [(t("hardship.new_member", lang), 0)] + [
            (f"{m.name} · {vocab.label('relation', m.relation, lang)}", m.id) for m in rows]

    def _household_chosen(self, change=None) -> None:
        household_id = self.form.inputs["household"].value
        self.detail = (hardship.household_detail(self.ctx.actor, self.ctx.uow,
                                                 household_id=household_id)
                       if household_id else None)
        self.view.value = "" if self.detail is None else decision_html(
            self.ctx, registration=self.detail.registration,
            criteria_reference=self.detail.criteria_reference,
            aid_reference=self.detail.aid_reference,
            members=member_decisions(self.detail.members))
        self.form.reload_options()
        if self.form.inputs["member"].value is None:
            self.form.inputs["member"].value = 0  # a new member, until one is chosen

    def _member_chosen(self, change=None) -> None:
        chosen = self._chosen()
        values = {"ledger_person": None, "name": "", "relation": None, "sex": None,
                  "birth_date": None, "situation": None} | {name: False for name in ANSWERS}
        if chosen is not None:
            values |= {name: getattr(chosen, name) for name in (
                "name", "relation", "sex", "birth_date", "situation", *ANSWERS)}
        self.form.set_values(values)

    def _chosen(self) -> hardship.MemberRow | None:
        member_id = self.form.inputs["member"].value
        rows = self.detail.members if self.detail else ()
        return next((m for m in rows if m.id == member_id), None)

    def _save(self, values: dict) -> str:
        if self.detail is None:
            raise required("household")
        member = MemberInput(
            name=values["name"], relation=values["relation"], sex=values["sex"],
            birth_date=values["birth_date"], situation=values["situation"],
            person_id=values["ledger_person"], **{name: values[name] for name in ANSWERS})
        chosen = self._chosen()
        try:
            if chosen is None:
                member_id = hardship.add_member(self.ctx.actor, self.ctx.uow,
                                                household_id=self.detail.id, member=member)
            else:
                member_id = chosen.id
                hardship.update_member(self.ctx.actor, self.ctx.uow, member_id=chosen.id,
                                       expected_version=chosen.version, member=member)
        except ValidationError as exc:
            raise ValidationError({"ledger_person" if name == "person_id" else name: message
                                   for name, message in exc.fields.items()}) from exc
        self._household_chosen()
        self.form.inputs["member"].value = member_id
        self.after_save()
        saved = self._chosen()
        key = "hardship.member_added" if chosen is None else "hardship.member_updated"
        return self.ctx.t(key, name=saved.name, targeted=self.ctx.t(
            "hardship.targeted" if saved.aid_targeted else "hardship.not_targeted"))
