"""The form machinery without a browser: values, inline errors, drafts and the saving guard."""

import datetime as dt

import pytest

from casework.errors import ValidationError
from casework.i18n import Message
from casework.ui.fields import Field
from casework.ui.forms import DraftStore, Form

FIELDS = [
    Field("visit_date", "date", "visits.field.visit_date", required=True),
    Field("living_conditions", "textarea", "visits.field.living_conditions", required=True),
    Field("employment_status", "members", "visits.field.employment_status", required=True),
    Field("needs", "multi", "visits.field.needs", lambda lang: [("job", "job"), ("x", "x")]),
]


class MemoryDrafts:
    def __init__(self, stored: dict | None = None) -> None:
        self.stored = stored

    def store(self) -> DraftStore:
        return DraftStore(save=lambda p: setattr(self, "stored", p), load=lambda: self.stored,
                          discard=lambda: setattr(self, "stored", None))


def refuse(values: dict) -> str:
    raise ValidationError({"visit_date": Message("form.date_in_future")})


def test_member_rows_give_a_list_of_the_filled_rows():
    form = Form(FIELDS, lang="en", on_save=lambda v: "ok")
    member, status = form.inputs["employment_status"]._rows[1]

    member.value = "spouse"
    status.value = "flexible"

    assert form.values()["employment_status"] == [{"member": "spouse", "status": "flexible"}]


def test_a_refused_save_shows_the_error_beside_its_field_and_keeps_the_typing():
    form = Form(FIELDS, lang="en", on_save=refuse)
    form.inputs["living_conditions"].value = "Two rooms"

    form.submit()

    assert "cannot be after today" in form.errors["visit_date"].value
    assert form.errors["living_conditions"].value == ""
    assert form.inputs["living_conditions"].value == "Two rooms"
    assert "cw-status-error" in form.status.value
    assert not form.save_button.disabled


def test_a_draft_round_trips_through_json_and_is_offered_back():
    memory = MemoryDrafts()
    first = Form(FIELDS, lang="zh", on_save=lambda v: "ok", drafts=memory.store())
    first.inputs["visit_date"].value = dt.date(2026, 11, 2)
    first.inputs["employment_status"].value = [{"member": "户主", "status": "unemployed"}]
    first.inputs["needs"].value = ("job",)
    first.save_draft()

    second = Form(FIELDS, lang="zh", on_save=lambda v: "ok", drafts=memory.store())
    [note, restore, _discard] = second.draft_bar.children
    restore.click()

    assert memory.stored["visit_date"] == "2026-11-02"
    assert second.values()["visit_date"] == dt.date(2026, 11, 2)
    assert second.values()["employment_status"] == [{"member": "户主", "status": "unemployed"}]
    assert second.values()["needs"] == ["job"]
    assert second.draft_bar.children == ()


def test_a_successful_save_removes_the_draft_and_runs_the_after_save_hook():
    memory = MemoryDrafts({"living_conditions": "old"})
    after = []
    form = Form(FIELDS, lang="en", on_save=lambda v: "Saved.", drafts=memory.store(),
                on_saved=lambda: after.append(memory.stored))

    form.submit()

    assert memory.stored is None
    assert after == [None]
    assert "Saved." in form.status.value


def test_a_save_already_running_is_not_started_twice():
    calls = []
    form = Form(FIELDS, lang="en", on_save=lambda v: calls.append(v) or "ok")
    form.saving = True

    form.submit()

    assert calls == []


def test_clear_empties_every_field_and_reload_keeps_a_choice_still_on_offer():
    offer = [("A", 1), ("B", 2)]
    fields = [*FIELDS, Field("person", "choice", "visits.field.person", lambda lang: offer,
                             required=True)]
    form = Form(fields, lang="en", on_save=lambda v: "ok")
    form.inputs["person"].value = 2
    form.inputs["living_conditions"].value = "text"

    offer.pop(0)
    form.reload_options()
    kept = form.inputs["person"].value
    offer.pop(0)
    form.reload_options()

    assert kept == 2
    assert form.inputs["person"].value is None
    form.clear({"living_conditions": "again"})
    assert form.values()["living_conditions"] == "again"
    assert form.values()["employment_status"] == []


def test_a_fault_in_the_save_says_so_keeps_the_typing_and_frees_the_button():
    def broken(values: dict) -> str:
        raise KeyError("follow_up")

    form = Form(FIELDS, lang="en", on_save=broken)
    form.inputs["living_conditions"].value = "Two rooms"

    with pytest.raises(KeyError):  # still raised, so the fault reaches the kernel's log
        form.submit()

    assert "fault in the software (KeyError)" in form.status.value
    assert "cw-status-error" in form.status.value
    assert form.inputs["living_conditions"].value == "Two rooms"
    assert not form.save_button.disabled and not form.saving


def test_every_input_is_labelled_by_its_own_widget():
    people = [Field("person", "person", "visits.field.household", lambda **_: None, required=True),
              Field("count", "int", "hardship.field.household_size"),
              Field("flag", "bool", "hardship.field.female_cadre")]
    form = Form(FIELDS + people, lang="en", on_save=lambda v: "ok")
    members = [w for pair in form.inputs["employment_status"]._rows for w in pair]
    picker = form.inputs["person"]

    labelled = [form.inputs[n] for n in ("visit_date", "living_conditions", "needs", "count",
                                         "flag")] + members + [picker.text, picker.select]

    assert all(w.description.strip() for w in labelled)
    assert form.inputs["visit_date"].description.endswith(" *")
    assert picker.text.description.endswith(" *")
    assert [m.description for m in members[:4]] == ["Member 1", "Employment", "Member 2",
                                                    "Employment"]
