"""The form every app uses: fields from a description, inline errors, save, drafts.

The form does no I/O of its own: saving and drafts go through callables that the app passes in,
and those call the service layer.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from casework.errors import CaseworkError, ValidationError
from casework.i18n import t
from casework.ui import fields as F


@dataclass(frozen=True)
class DraftStore:
    """Where drafts go: three callables bound to the acting account, form and record."""

    save: Callable[[dict], None]
    load: Callable[[], dict | None]
    discard: Callable[[], None]


class Form(widgets.VBox):
    """Labelled fields with an error line each, a save button and the ``cw-status`` line.

    Each input is labelled by its own widget (``description``, see ``fields.build_widget``);
    ``rows[name]`` is the box of the field's input and its error line (``cw-row``).

    ``on_save(values)`` returns the success message; a ``ValidationError`` it raises is shown
    beside each field and what was typed stays. ``on_saved()`` runs after a successful save,
    once the draft is gone. With ``drafts``, every change is saved as a
    draft ``draft_delay`` seconds after the last one, and an existing draft is offered back.
    """

    saving = traitlets.Bool(False)

    def __init__(self, fields: list[F.Field], *, lang: str, on_save: Callable[[dict], str],
                 drafts: DraftStore | None = None, draft_delay: float = 2.0,
                 save_label: str = "form.save", action: str = "save", name: str = "",
                 on_saved: Callable[[], None] | None = None) -> None:
        self.fields, self.lang, self.on_save, self.on_saved = fields, lang, on_save, on_saved
        self.drafts, self.draft_delay = drafts, draft_delay
        self.inputs = {f.name: F.build_widget(f, lang) for f in fields}
        self.errors = {f.name: _error_line(f.name) for f in fields}
        self.save_button = widgets.Button(description=t(save_label, lang), button_style="primary")
        self.save_button.add_class(f"cw-action-{action}")
        self.status = widgets.HTML("")
        self.status.add_class("cw-status")
        self.draft_bar = widgets.HBox([])
        self.draft_status = widgets.HTML("")
        self.draft_status.add_class("cw-draft-status")
        self._timer: threading.Timer | None = None
        self._restoring = False
        self.rows = {f.name: self._row(f) for f in fields}
        super().__init__([self.draft_bar, *self.rows.values(),
                          self.save_button, self.status, self.draft_status])
        self.add_class("cw-form")
        if name:
            self.add_class(f"cw-form-{name}")
        self.save_button.on_click(lambda _b: self.submit())
        for widget in self.inputs.values():
            widget.observe(self._changed, names="value")
        self._offer_draft()

    def _row(self, field: F.Field) -> widgets.Widget:
        row = widgets.VBox([self.inputs[field.name], self.errors[field.name]])
        row.add_class("cw-row")
        return row

    def values(self) -> dict:
        return {f.name: F.read(f, self.inputs[f.name]) for f in self.fields}

    def set_values(self, values: dict) -> None:
        self._restoring = True
        try:
            for f in self.fields:
                if f.name in values:
                    self._set(f, F.from_json(f, values[f.name]))
        finally:
            self._restoring = False

    def _set(self, field: F.Field, value: object) -> None:
        """Show ``value``; one the widget cannot hold (a choice no longer offered) is cleared."""
        try:
            self.inputs[field.name].value = value
        except (traitlets.TraitError, TypeError, ValueError):
            self.inputs[field.name].value = F.from_json(field, F.EMPTY[field.kind])

    def clear(self, values: dict | None = None) -> None:
        """Empty every field, then set ``values`` (in the JSON-ready form drafts use)."""
        self.set_values({f.name: F.EMPTY[f.kind] for f in self.fields} | (values or {}))

    def reload_options(self) -> None:
        """Read every choice list again, after a save changed what may be chosen.

        A chosen value that is still on offer stays chosen; one that is gone is cleared.
        """
        self._restoring = True
        try:
            for f in (f for f in self.fields if f.kind == "choice" and f.options is not None):
                widget, kept = self.inputs[f.name], self.inputs[f.name].value
                widget.options = F.option_list(f, self.lang)
                widget.value = kept if kept in [v for _, v in widget.options] else None
            for f in (f for f in self.fields if f.kind in F.PICKERS):
                self.inputs[f.name].refresh()
        finally:
            self._restoring = False

    def show_errors(self, messages: dict[str, str]) -> None:
        for name, line in self.errors.items():
            line.value = _error_html(messages.get(name, ""))

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status.value = f'<span class="cw-status-{kind}">{html.escape(text)}</span>'

    def submit(self) -> None:
        """Save once; the button is disabled while the save runs."""
        if self.saving:
            return
        self.saving, self.save_button.disabled = True, True
        self.set_status(t("form.saving", self.lang))
        try:
            message = self.on_save(self.values())
        except ValidationError as exc:
            texts = exc.field_texts(self.lang)
            self.show_errors(texts)
            # A message about something that is not a field of this form goes in the status line.
            elsewhere = [text for name, text in texts.items() if name not in self.inputs]
            self.set_status(" ".join([exc.text(self.lang), *elsewhere]), "error")
        except CaseworkError as exc:
            self.show_errors({})
            self.set_status(exc.text(self.lang), "error")
        except Exception as exc:  # a fault of ours: say so, keep the typing, never hang
            self.show_errors({})
            self.set_status(t("form.fault", self.lang, error=type(exc).__name__), "error")
            raise
        else:
            self._cancel_timer()
            if self.drafts:
                self.drafts.discard()
                self.draft_status.value = ""
            if self.on_saved:
                self.on_saved()
            self.show_errors({})
            self.set_status(message, "ok")
        finally:
            self.saving, self.save_button.disabled = False, False
            # Disabled, the button lost the keyboard's focus to the page; give it back.
            self.save_button.focus()

    # Drafts
    def _changed(self, _change) -> None:
        if self.drafts is None or self._restoring:
            return
        self._cancel_timer()
        self._timer = threading.Timer(self.draft_delay, self.save_draft)
        self._timer.daemon = True
        self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def save_draft(self) -> None:
        payload = {f.name: F.to_json(f, v) for f in self.fields
                   for v in [F.read(f, self.inputs[f.name])]}
        try:
            self.drafts.save(payload)
        except CaseworkError as exc:  # e.g. a control character the database cannot keep
            why = (" ".join(exc.field_texts(self.lang).values())
                   if isinstance(exc, ValidationError) else exc.text(self.lang))
            note = f"{t('validation.draft_not_saved', self.lang)} {why}"
            self.draft_status.value = f"<small>{html.escape(note)}</small>"
            return
        self.draft_status.value = f"<small>{html.escape(t('form.draft_saved', self.lang))}</small>"

    def _offer_draft(self) -> None:
        draft = self.drafts.load() if self.drafts else None
        if not draft:
            return
        restore = widgets.Button(description=t("form.restore_draft", self.lang))
        restore.add_class("cw-action-restore-draft")
        discard = widgets.Button(description=t("form.discard_draft", self.lang))
        discard.add_class("cw-action-discard-draft")
        note = widgets.HTML(t("form.draft_found", self.lang))
        note.add_class("cw-draft-offer")
        restore.on_click(lambda _b: self._restore(draft))
        discard.on_click(lambda _b: self._discard())
        self.draft_bar.children = [note, restore, discard]

    def _restore(self, draft: dict) -> None:
        self.set_values(draft)
        self.draft_bar.children = []
        self.set_status(t("form.draft_restored", self.lang), "ok")

    def _discard(self) -> None:
        self.drafts.discard()
        self.draft_bar.children = []


def _error_line(name: str) -> widgets.HTML:
    line = widgets.HTML("")
    line.add_class(f"cw-error-{name}")
    line.add_class("cw-error")
    return line


def _error_html(text: str) -> str:
    return f'<span style="color:#b00020">{html.escape(text)}</span>' if text else ""


def forms_for(specs: dict, actions: dict[str, tuple[str, str]], *, lang: str,
              after_save: Callable[[str], None], defaults: Callable[[str], dict]
              ) -> dict[str, Form]:
    """One Form per ``{name: (fields, on_save)}``, with its action hook and save label from
    ``actions[name]``, cleared to ``defaults(name)``; ``after_save(name)`` runs after a save."""
    forms = {}
    for name, (fields, save) in specs.items():
        action, label = actions[name]
        forms[name] = Form(fields, lang=lang, on_save=save, action=action, save_label=label,
                           name=name, on_saved=lambda n=name: after_save(n))
        forms[name].clear(defaults(name))
    return forms
