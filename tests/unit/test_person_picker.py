"""The person picker and the form's "person" field, over a fake search (no database)."""

from __future__ import annotations

from casework.i18n import t
from casework.services.person_search import PersonMatch, PersonMatches
from casework.ui import fields as F
from casework.ui.forms import Form
from casework.ui.person_picker import PersonPicker

PEOPLE = [PersonMatch(n, name, "laid_off", 11)
          for n, name in ((1, "王一"), (2, "王二"), (3, "李三"), (4, "王四"))]


class FakeSearch:
    """Finds by name beginning among PEOPLE, or one by id; ``allowed`` filters like a query."""

    def __init__(self, limit: int = 2) -> None:
        self.limit, self.allowed = limit, {p.id for p in PEOPLE}

    def __call__(self, *, text: str = "", person_id: int | None = None) -> PersonMatches:
        rows = [p for p in PEOPLE if p.id in self.allowed and (
            p.id == person_id if person_id is not None else p.name.startswith(text.strip()))]
        return PersonMatches(tuple(rows[:self.limit]), len(rows) > self.limit, self.limit)


def offered(picker: PersonPicker) -> list[int]:
    return [v for _, v in picker.select.options if v is not None]


def test_typing_offers_the_matches_and_says_when_more_match():
    picker = PersonPicker("person", search=FakeSearch(), lang="en")

    picker.text.value = "王"

    assert offered(picker) == [1, 2]
    assert picker.value is None
    assert t("person_search.more", "en", limit=2).split(":")[0] in picker.note.value


def test_one_match_is_chosen_and_choosing_sets_the_value():
    picker = PersonPicker("person", search=FakeSearch(), lang="zh")

    picker.text.value = "李"
    assert (offered(picker), picker.value) == ([3], 3)

    picker.text.value = "王"
    picker.select.value = 2
    assert picker.value == 2


def test_nobody_matching_is_said_and_clears_the_choice():
    picker = PersonPicker("person", search=FakeSearch(), lang="en")
    picker.text.value = "李"

    picker.text.value = "赵"

    assert (offered(picker), picker.value) == ([], None)
    assert "赵" in picker.note.value


def test_a_form_keeps_the_person_in_its_values_and_restores_it_from_a_draft():
    search = FakeSearch()
    field = F.Field("person", "person", "form.save", search, required=True)
    form = Form([field], lang="zh", on_save=lambda values: "ok")
    form.inputs["person"].text.value = "李"
    draft = {"person": F.to_json(field, form.values()["person"])}

    again = Form([field], lang="zh", on_save=lambda values: "ok")
    again.set_values(draft)

    assert again.values() == {"person": 3}
    assert offered(again.inputs["person"]) == [3]
    assert again.inputs["person"].select.value == 3


def test_a_person_who_may_not_be_chosen_is_not_restored():
    search = FakeSearch()
    search.allowed = {1, 2}
    form = Form([F.Field("person", "person", "form.save", search)], lang="en",
                on_save=lambda values: "ok")

    form.set_values({"person": 3})
    assert form.values() == {"person": None}
    form.set_values({"person": "3"})
    assert form.values() == {"person": None}


def test_reloading_clears_a_person_no_longer_on_offer_and_keeps_one_still_offered():
    search = FakeSearch()
    form = Form([F.Field("person", "person", "form.save", search)], lang="en",
                on_save=lambda values: "ok")
    picker = form.inputs["person"]
    picker.text.value = "王"
    picker.select.value = 2

    search.allowed = {1, 2, 3}
    form.reload_options()
    assert picker.value == 2

    search.allowed = {1, 3}
    form.reload_options()
    assert (picker.value, offered(picker)) == (None, [1])


def test_the_search_box_and_the_list_carry_the_fields_classes():
    picker = F.build_widget(F.Field("person", "person", "form.save", FakeSearch()), "en")

    assert "cw-field-person_search" in picker.text._dom_classes
    assert "cw-field-person" in picker.select._dom_classes
    assert picker.text.continuous_update


def test_reloading_keeps_a_person_chosen_by_a_draft_without_clearing_them_first():
    form = Form([F.Field("person", "person", "form.save", FakeSearch())], lang="en",
                on_save=lambda values: "ok")
    picker = form.inputs["person"]
    form.set_values({"person": 4})
    seen = []
    picker.observe(lambda change: seen.append(change["new"]), names="value")

    form.reload_options()

    assert (picker.value, offered(picker), seen) == (4, [4], [])
