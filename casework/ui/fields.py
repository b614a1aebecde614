"""Declarative field descriptions and the widgets built from them."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from casework import vocab
from casework.i18n import t
from casework.ui.person_picker import HouseholdPicker, PersonPicker

Options = Callable[[str], list[tuple[str, object]]]


@dataclass(frozen=True)
class Field:
    """One form field: ``kind`` is text, textarea, date, choice, multi, int, bool, members or
    person or household. For those two, ``options`` is the search the picker calls as the user
    types (``search(text=...)``, or ``search(person_id=...)`` / ``search(household_id=...)``
    for the one chosen; see casework/ui/person_picker.py)."""

    name: str
    kind: str
    label: str  # catalogue key
    options: Options | None = None
    required: bool = False


def caption(field: Field, lang: str) -> str:
    """The field's visible label, which is also its accessible name; " *" marks a required one."""
    return t(field.label, lang) + (" *" if field.required else "")


def build_widget(field: Field, lang: str) -> widgets.ValueWidget:
    """The field's widget, labelled by its own ``description``: ipywidgets draws that as a
    ``<label for=...>`` bound to the input, so the visible label is the programmatic one."""
    maker = _MAKERS[field.kind]
    widget = maker(field, lang)
    if field.kind not in PICKERS:  # a picker marks its search box and its list itself
        widget.add_class(f"cw-field-{field.name}")
    return widget


def _text(field: Field, lang: str):
    return widgets.Text(continuous_update=False, description=caption(field, lang))


def _textarea(field: Field, lang: str):
    return widgets.Textarea(continuous_update=False, description=caption(field, lang),
                            layout=widgets.Layout(height="auto"), rows=3)


def _date(field: Field, lang: str):
    return widgets.DatePicker(description=caption(field, lang))


def _choice(field: Field, lang: str):
    return widgets.Dropdown(options=option_list(field, lang), value=None,
                            description=caption(field, lang))


def _multi(field: Field, lang: str):
    return widgets.SelectMultiple(options=option_list(field, lang), rows=4,
                                  description=caption(field, lang))


def option_list(field: Field, lang: str) -> list[tuple[str, object]]:
    """The field's options now; an optional choice starts with a blank."""
    blank = [("—", None)] if field.kind == "choice" and not field.required else []
    return blank + field.options(lang)


class MemberRows(widgets.HBox):
    """A few rows of (member, employment status) under the field's label; ``value`` lists the
    filled-in rows. Each input is labelled by its row: "Member 2", "Employment"."""

    value = traitlets.List()

    def __init__(self, lang: str, rows: int = 5, label: str = "") -> None:
        statuses = [("—", None)] + vocab.options("employment_status", vocab.EMPLOYMENT_STATUSES,
                                                 lang)
        short = {"description_width": "initial"}
        self._rows = [(widgets.Text(continuous_update=False, style=short,
                                    description=t("look_keyboard.member", lang, row=i + 1),
                                    placeholder=t("visits.field.member", lang),
                                    layout=widgets.Layout(width="15em")),
                       widgets.Dropdown(options=statuses, value=None, style=short,
                                        description=t("look_keyboard.member_status", lang),
                                        layout=widgets.Layout(width="17em")))
                      for i in range(rows)]
        self._syncing = False
        group = widgets.HTML(html.escape(label))
        group.add_class("cw-group-label")
        super().__init__([group, widgets.VBox([widgets.HBox(list(pair))
                                               for pair in self._rows])])
        self.add_class("cw-member-rows")
        for member, status in self._rows:
            member.observe(self._from_rows, names="value")
            status.observe(self._from_rows, names="value")
        self.observe(self._to_rows, names="value")

    def _from_rows(self, _change) -> None:
        if not self._syncing:
            self._syncing = True
            self.value = [{"member": m.value.strip(), "status": s.value} for m, s in self._rows
                          if m.value.strip() or s.value]
            self._syncing = False

    def _to_rows(self, change) -> None:
        if self._syncing:
            return
        self._syncing = True
        entries = list(change["new"] or [])
        for i, (member, status) in enumerate(self._rows):
            entry = entries[i] if i < len(entries) else {}
            member.value = entry.get("member") or ""
            status.value = entry.get("status")
        self._syncing = False


def _members(field: Field, lang: str):
    return MemberRows(lang, label=caption(field, lang))


def _person(field: Field, lang: str):
    return PersonPicker(field.name, search=field.options, lang=lang, label=caption(field, lang))


def _household(field: Field, lang: str):
    return HouseholdPicker(field.name, search=field.options, lang=lang,
                           label=caption(field, lang))


def _int(field: Field, lang: str):
    # Text, not IntText: a count nobody typed must stay blank, not become 0.
    widget = widgets.Text(continuous_update=False, description=caption(field, lang))
    widget.add_class("cw-short")
    return widget


def _bool(field: Field, lang: str):
    # Indented, so the box lines up with the other inputs and its label reads beside it.
    return widgets.Checkbox(indent=True, description=caption(field, lang))


_MAKERS = {"text": _text, "textarea": _textarea, "date": _date, "choice": _choice,
           "multi": _multi, "int": _int, "bool": _bool, "members": _members,
           "person": _person, "household": _household}
PICKERS = ("person", "household")


EMPTY = {"text": "", "textarea": "", "date": None, "choice": None, "multi": (), "int": "",
         "bool": False, "members": [], "person": None,
         "household": None}


def read(field: Field, widget) -> object:
    value = widget.value
    if field.kind in ("multi", "members"):
        return list(value)
    if field.kind in ("text", "textarea"):
        return value.strip() or None
    if field.kind == "int":
        text = value.strip()
        # Only ASCII digits of a sensible length become a number (int("²") and a number of
        # 5,000 digits raise); anything else goes on as typed, for the service to refuse.
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 40 else (
            text or None)
    return value


def to_json(field: Field, value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def from_json(field: Field, value: object) -> object:
    """The widget value for a draft's JSON value; what the widget cannot show comes back empty."""
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None
    if field.kind == "multi":
        return tuple(value) if isinstance(value, list | tuple) else ()
    if field.kind in ("text", "textarea"):
        return value if isinstance(value, str) else ""
    if field.kind == "int":
        return "" if value is None else str(value)
    if field.kind == "members":
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    if field.kind == "bool":
        return value is True
    if field.kind in PICKERS:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return value
