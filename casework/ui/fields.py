"""Declarative field descriptions and the widgets built from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

Options = Callable[[str], list[tuple[str, object]]]


@dataclass(frozen=True)
class Field:
    """One form field: ``kind`` is text, textarea, date, choice, multi, int or bool."""

    name: str
    kind: str
    label: str  # catalogue key
    options: Options | None = None
    required: bool = False


def build_widget(field: Field, lang: str) -> widgets.ValueWidget:
    maker = _MAKERS[field.kind]
    widget = maker(field, lang)
    widget.add_class(f"cw-field-{field.name}")
    return widget


def _text(field: Field, lang: str):
    return widgets.Text(continuous_update=False)


def _textarea(field: Field, lang: str):
    return widgets.Textarea(continuous_update=False, layout=widgets.Layout(height="4em"))


def _date(field: Field, lang: str):
    return widgets.DatePicker()


def _choice(field: Field, lang: str):
    return widgets.Dropdown(options=option_list(field, lang), value=None)


def _multi(field: Field, lang: str):
    return widgets.SelectMultiple(options=option_list(field, lang), rows=4)


def option_list(field: Field, lang: str) -> list[tuple[str, object]]:
    """The field's options now; an optional choice starts with a blank."""
    blank = [("—", None)] if field.kind == "choice" and not field.required else []
    return blank + field.options(lang)


def _int(field: Field, lang: str):
    return widgets.BoundedIntText(min=0, max=100)


def _bool(field: Field, lang: str):
    return widgets.Checkbox(indent=False)


_MAKERS = {"text": _text, "textarea": _textarea, "date": _date, "choice": _choice,
           "multi": _multi, "int": _int, "bool": _bool}


EMPTY = {"text": "", "textarea": "", "date": None, "choice": None, "multi": (), "int": 0,
         "bool": False}


def read(field: Field, widget) -> object:
    value = widget.value
    if field.kind == "multi":
        return list(value)
    if field.kind in ("text", "textarea"):
        return value.strip() or None
    return value


def to_json(field: Field, value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def from_json(field: Field, value: object) -> object:
    if field.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if field.kind == "multi":
        return tuple(value or ())
    if field.kind in ("text", "textarea"):
        return value or ""
    return value
