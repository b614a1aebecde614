"""The administration app: the unit tree of the actor's area with forms to add, rename and close
streets and communities, and the staff accounts with forms to open, change, deactivate and
reactivate them. Every change goes through ``casework.services.units_admin`` and
``staff_admin``, which check access and audit it."""

from __future__ import annotations

import html

import ipywidgets as widgets

from casework import access
from casework.access import ROLES
from casework.services import staff_admin, units_admin
from casework.services.staff_admin import ChangeStaff, NewStaff, StaffRow
from casework.services.units_admin import AddUnit, RenameUnit, UnitRow
from casework.ui.common import html_box, required, table_html, title
from casework.ui.fields import Field
from casework.ui.forms import forms_for
from casework.ui.gate import open_gated
from casework.ui.shell import AppContext

# form name: (action class, button label)
ACTIONS = {"add": ("add-unit", "admin_ui.action.add"),
           "rename": ("rename-unit", "admin_ui.action.rename"),
           "close": ("close-unit", "admin_ui.action.close"),
           "create": ("create-staff", "admin_ui.action.create"),
           "change": ("change-staff", "admin_ui.action.change"),
           "deactivate": ("deactivate-staff", "admin_ui.action.deactivate"),
           "reactivate": ("reactivate-staff", "admin_ui.action.reactivate")}
TITLE = "apps.administration.title"
UNIT_FORMS = ("add", "rename", "close")
UNIT_COLUMNS = ("unit", "code", "level", "staff", "persons", "state")
STAFF_COLUMNS = ("username", "display_name", "role", "home", "state")
PARENT_LEVELS = ("district", "county", "street")


def _field(name: str, kind: str, options=None, required: bool = False) -> Field:
    return Field(name, kind, f"admin_ui.field.{name}", options, required)


class AdminApp(widgets.VBox):
    """The tree and the staff list, each followed by its forms."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.units: list[UnitRow] = []
        self.staff: list[StaffRow] = []
        self.tree, self.staff_list = html_box("cw-unit-tree"), html_box("cw-staff-list")
        self.search = widgets.Text(continuous_update=False,
                                   placeholder=ctx.t("admin_ui.field.search"))
        self.search.add_class("cw-field-search")
        self.search.observe(lambda _c: self._show_staff(), names="value")
        self.forms = forms_for(self._specs(), ACTIONS, lang=ctx.lang,
                               after_save=self._after_save, defaults=lambda _n: {})
        self._suggested = ""
        self.forms["add"].inputs["parent"].observe(self._parent_chosen, names="value")
        parts = [title(ctx, TITLE), self._note("intro"), self._heading("tree"), self.tree]
        parts += [w for name in UNIT_FORMS for w in (self._heading(name), self.forms[name])]
        parts += [self._heading("staff"), self.search, self.staff_list]
        parts += [w for name in ACTIONS if name not in UNIT_FORMS
                  for w in (self._heading(name), self.forms[name])]
        super().__init__(parts)
        self.add_class("cw-admin")
        self.refresh()

    def _specs(self) -> dict:
        return {
            "add": ([_field("parent", "choice", self._parent_options, True),
                     _field("code", "text", required=True),
                     _field("name_zh", "text", required=True), _field("name_en", "text")],
                    self._add),
            "rename": ([_field("unit", "choice", self._managed_options, True),
                        _field("name_zh", "text", required=True), _field("name_en", "text")],
                       self._rename),
            "close": ([_field("unit", "choice", self._closable_options, True)], self._close),
            "create": ([_field("username", "text", required=True),
                        _field("display_name", "text", required=True),
                        _field("role", "choice", self._role_options, True),
                        _field("unit", "choice", self._home_options, True)], self._create),
            "change": ([_field("staff", "choice", self._staff_options(True), True),
                        _field("role", "choice", self._role_options, True),
                        _field("unit", "choice", self._home_options, True)], self._change),
            "deactivate": ([_field("staff", "choice", self._staff_options(True), True)],
                           self._deactivate),
            "reactivate": ([_field("staff", "choice", self._staff_options(False), True)],
                           self._reactivate),
        }

    # Reading and showing
    def refresh(self) -> None:
        self.units = units_admin.unit_tree(self.ctx.actor, self.ctx.uow)
        if access.may(self.ctx.actor, "manage_staff"):
            self.staff = staff_admin.staff_in_scope(self.ctx.actor, self.ctx.uow)
        self.tree.value = self._tree_html()
        self._show_staff()
        for form in self.forms.values():
            form.reload_options()

    def _tree_html(self) -> str:
        t, lang = self.ctx.t, self.ctx.lang
        body = "".join(
            f'<tr class="cw-unit cw-unit-{"closed" if u.closed_on else "open"}" '
            f'data-code="{html.escape(u.code)}"{" style=color:#666" if u.closed_on else ""}>'
            f'<td style="padding-left:{0.3 + 1.5 * u.depth}em">{html.escape(u.name(lang))}</td>'
            f"<td>{html.escape(u.code)}</td><td>{html.escape(t('level.' + u.level))}</td>"
            f'<td class="cw-unit-staff">{u.active_staff}</td>'
            f'<td class="cw-unit-persons">{u.persons}</td><td>{html.escape(self._state(u))}</td>'
            "</tr>" for u in self.units)
        return table_html({c: t(f"admin_ui.col.{c}") for c in UNIT_COLUMNS}, body,
                          max_height="24em")

    def _state(self, unit: UnitRow) -> str:
        if unit.closed_on is None:
            return self.ctx.t("admin_ui.open_state")
        return self.ctx.t("admin_ui.closed_state", on=unit.closed_on.isoformat())

    def _show_staff(self) -> None:
        t, lang = self.ctx.t, self.ctx.lang
        wanted = (self.search.value or "").strip().casefold()
        rows = [s for s in self.staff if wanted in s.username.casefold()
                or wanted in s.display_name.casefold()]
        if not rows:
            self.staff_list.value = f"<p>{html.escape(t('admin_ui.no_staff'))}</p>"
            return
        body = "".join(
            f'<tr class="cw-staff cw-staff-{"active" if s.active else "inactive"}" '
            f'data-username="{html.escape(s.username)}">'
            + "".join(f"<td>{html.escape(c)}</td>" for c in (
                s.username, s.display_name, t(f"role.{s.role}"),
                t("admin_ui.unit_option", name=s.unit_name(lang), code=s.unit_code),
                t("admin.active" if s.active else "admin.inactive"))) + "</tr>"
            for s in rows)
        self.staff_list.value = table_html({c: t(f"admin_ui.col.{c}") for c in STAFF_COLUMNS},
                                           body, max_height="20em")

    def _heading(self, name: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.ctx.t(f'admin_ui.section.{name}'))}</h3>")

    def _note(self, key: str) -> widgets.HTML:
        return widgets.HTML(f"<p>{html.escape(self.ctx.t(f'admin_ui.{key}'))}</p>")

    # Choice lists
    def _unit_options(self, rows) -> list[tuple[str, int]]:
        return [(self.ctx.t("admin_ui.unit_option", name=u.name(self.ctx.lang), code=u.code),
                 u.id) for u in rows]

    def _parent_options(self, _lang: str) -> list[tuple[str, int]]:
        return self._unit_options(u for u in self.units
                                  if u.level in PARENT_LEVELS and u.closed_on is None)

    def _managed_options(self, _lang: str) -> list[tuple[str, int]]:
        return self._unit_options(u for u in self.units if u.level in ("street", "community"))

    def _closable_options(self, _lang: str) -> list[tuple[str, int]]:
        return self._unit_options(u for u in self.units
                                  if u.level in ("street", "community") and u.closed_on is None)

    def _home_options(self, _lang: str) -> list[tuple[str, int]]:
        return self._unit_options(u for u in self.units if u.closed_on is None)

    def _role_options(self, _lang: str) -> list[tuple[str, str]]:
        return [(self.ctx.t(f"role.{r}"), r) for r in ROLES]

    def _staff_options(self, active: bool):
        def options(_lang: str) -> list[tuple[str, str]]:
            return [(self.ctx.t("admin_ui.staff_option", username=s.username,
                                name=s.display_name), s.username)
                    for s in self.staff if s.active == active
                    and s.username != self.ctx.actor.username]
        return options

    def _parent_chosen(self, change) -> None:
        """Offer the next free code under the parent, unless a code of one's own was typed."""
        code = self.forms["add"].inputs["code"]
        if change["new"] is not None and code.value in ("", self._suggested):
            self._suggested = units_admin.suggest_code(self.ctx.uow, change["new"])
            code.value = self._suggested

    def _after_save(self, name: str) -> None:
        self.refresh()
        self._suggested = ""
        self.forms[name].clear()

    # Saves: each calls one service and returns the status line's text.
    def _add(self, values: dict) -> str:
        if values["parent"] is None:
            raise required("parent")
        units_admin.add_unit(self.ctx.actor, self.ctx.uow, AddUnit(
            values["parent"], values["code"] or "", values["name_zh"] or "",
            values["name_en"] or ""))
        return self.ctx.t("admin_ui.added", name=values["name_zh"].strip(),
                          code=values["code"].strip())

    def _rename(self, values: dict) -> str:
        if values["unit"] is None:
            raise required("unit")
        units_admin.rename_unit(self.ctx.actor, self.ctx.uow, RenameUnit(
            values["unit"], values["name_zh"] or "", values["name_en"] or ""))
        return self.ctx.t("admin_ui.renamed", name=values["name_zh"].strip())

    def _close(self, values: dict) -> str:
        if values["unit"] is None:
            raise required("unit")
        on = units_admin.close_unit(self.ctx.actor, self.ctx.uow, unit_id=values["unit"])
        name = next(u.name(self.ctx.lang) for u in self.units if u.id == values["unit"])
        return self.ctx.t("admin_ui.closed", name=name, on=on.isoformat())

    def _create(self, values: dict) -> str:
        staff_admin.add_staff(self.ctx.actor, self.ctx.uow, NewStaff(
            values["username"] or "", values["display_name"] or "", values["role"] or "",
            values["unit"]))
        return self.ctx.t("admin_ui.created", username=values["username"].strip())

    def _change(self, values: dict) -> str:
        if values["staff"] is None:
            raise required("staff")
        staff_admin.change_staff(self.ctx.actor, self.ctx.uow, ChangeStaff(
            values["staff"], values["role"] or "", values["unit"]))
        unit = next((u for u in self.units if u.id == values["unit"]), None)
        return self.ctx.t("admin_ui.changed", username=values["staff"],
                          role=self.ctx.t(f"role.{values['role']}"),
                          unit=unit.name(self.ctx.lang) if unit else "")

    def _deactivate(self, values: dict) -> str:
        return self._set_active(values, active=False)

    def _reactivate(self, values: dict) -> str:
        return self._set_active(values, active=True)

    def _set_active(self, values: dict, *, active: bool) -> str:
        if values["staff"] is None:
            raise required("staff")
        staff_admin.set_active(self.ctx.actor, self.ctx.uow, username=values["staff"],
                               active=active)
        key = "admin_ui.reactivated" if active else "admin_ui.deactivated"
        return self.ctx.t(key, username=values["staff"])


def build_admin(ctx: AppContext) -> widgets.Widget:
    return open_gated(ctx, AdminApp, capability="manage_units", page="administration")

