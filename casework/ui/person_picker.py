"""A person chooser that searches as the user types, instead of loading a list.

The text box (``cw-field-<name>_search``) sends each change; the list (``cw-field-<name>``)
offers the few people the search returns, and a note (``cw-search-note-<name>``) says when
nobody matches or when more match than are shown. The box carries the field's label and the
list a "Choose" label of its own, each as the widget's ``description`` (a bound ``<label>``).
``value`` is the chosen person's id, so a form reads, keeps and restores it like any other
field (casework/ui/fields.py, kind "person").
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from casework import vocab
from casework.i18n import t
from casework.services.household_search import HouseholdMatch
from casework.services.person_search import PersonMatch, PersonMatches, search_persons

# search(text=...) or search(person_id=...): the caller binds the actor, unit of work and
# filters (casework.services.person_search.search_persons).
Search = Callable[..., PersonMatches]
BLANK = ("—", None)


def label(match: PersonMatch, lang: str) -> str:
    """"name · category (id)"; only the category and id for those who see no names."""
    category = vocab.label("category", match.category, lang)
    shown = f"{match.name} · {category}" if match.name else category
    return f"{shown} ({match.id})"


def household_label(match: HouseholdMatch, lang: str) -> str:
    """"applicant · community (applicant's record number)", as a person is labelled."""
    shown = f"{match.name} · {match.community_name}" if match.name else match.community_name
    return f"{shown} ({match.person_id})"


class PersonPicker(widgets.VBox):
    """A search box, the people it finds and a note; ``value`` is the chosen person's id."""

    value = traitlets.Int(None, allow_none=True)
    key = "person_id"  # how the search is asked for the one chosen (a draft's, a link's)
    find = "look_keyboard.find_person"  # the search box's label when the caller gives none

    def __init__(self, name: str, *, search: Search, lang: str,
                 describe: Callable[[object, str], str] = label, label: str = "") -> None:
        self.search, self.lang, self.describe = search, lang, describe
        self.text = widgets.Text(continuous_update=True, description=label or t(self.find, lang),
                                 placeholder=t("person_search.placeholder", lang))
        self.text.add_class(f"cw-field-{name}_search")
        self.select = widgets.Dropdown(options=[BLANK], value=None,
                                       description=t("look_keyboard.choose", lang))
        self.select.add_class(f"cw-field-{name}")
        self.note = widgets.HTML("")
        self.note.add_class(f"cw-search-note-{name}")
        self._found: PersonMatches | None = None
        self._rows: list[PersonMatch] = []
        self._syncing = False
        super().__init__([self.text, self.select, self.note])
        self.add_class("cw-person-picker")
        self.text.observe(lambda change: self._typed(change["new"]), names="value")
        self.select.observe(self._chosen, names="value")
        self._say()

    @traitlets.validate("value")
    def _valid(self, proposal):
        """An id nobody may choose here (out of scope, or filtered out) is refused."""
        person_id = proposal["value"]
        if person_id is None or person_id in self._offered():
            return person_id
        found = self.search(**{self.key: person_id})
        if not found.rows:
            raise traitlets.TraitError(f"person {person_id} cannot be chosen here")
        self._show([*self._rows, *found.rows])
        return person_id

    @traitlets.observe("value")
    def _value_set(self, change) -> None:
        if not self._syncing:
            self._syncing = True
            self.select.value = change["new"]
            self._syncing = False

    def refresh(self) -> None:
        """Search again (after a save changed who may be chosen); a chosen person still on
        offer stays chosen, one no longer on offer is cleared."""
        kept, text = self.value, self.text.value
        self._found = self.search(text=text) if text.strip() else None
        rows = list(self._found.rows) if self._found else []
        if kept is not None and kept not in {r.id for r in rows}:
            rows += self.search(**{self.key: kept}).rows  # chosen some other way (a draft)
        self._show(rows)
        if kept is not None and kept not in self._offered():
            self.value = None
        self._say()

    def _typed(self, text: str) -> None:
        self._found = self.search(text=text) if text.strip() else None
        self._show(list(self._found.rows) if self._found else [])
        if self.value is not None and self.value not in self._offered():
            self.value = None
        if self._found and len(self._found.rows) == 1 and not self._found.more:
            self.value = self._found.rows[0].id  # the one person the text names
        self._say()

    def _show(self, rows: list[PersonMatch]) -> None:
        self._rows = list({r.id: r for r in rows}.values())
        kept = self.value if self.value in {r.id for r in self._rows} else None
        self._syncing = True
        try:
            self.select.options = [BLANK] + [(self.describe(r, self.lang), r.id)
                                             for r in self._rows]
            self.select.value = kept
        finally:
            self._syncing = False

    def _chosen(self, change) -> None:
        if not self._syncing:
            self._syncing = True
            self.value = change["new"]
            self._syncing = False

    def _offered(self) -> set[int]:
        return {r.id for r in self._rows}

    def _say(self) -> None:
        found, lang = self._found, self.lang
        if found is None:
            text = t("person_search.type", lang)
        elif not found.rows:
            text = t("person_search.none", lang, text=self.text.value.strip())
        elif found.more:
            text = t("person_search.more", lang, limit=found.limit)
        else:
            text = t("person_search.found", lang, count=len(found.rows))
        self.note.value = f"<small>{html.escape(text)}</small>"


class HouseholdPicker(PersonPicker):
    """The same, for a 特困 household found by its applicant; ``value`` is the household's id
    (``search(text=...)`` or ``search(household_id=...)``: ``search_households``)."""

    key = "household_id"
    find = "look_keyboard.find_household"

    def __init__(self, name: str, *, search: Search, lang: str, label: str = "") -> None:
        super().__init__(name, search=search, lang=lang, describe=household_label, label=label)


def searching(actor, uow, **filters) -> Search:
    """The search a person field calls, bound to the acting account and the caller's filters
    (``categories``, ``exclude_ids``: see ``search_persons``)."""
    return functools.partial(search_persons, actor, uow, **filters)
