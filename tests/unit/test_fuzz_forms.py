"""Hostile input through the widget layer (hypothesis), without a browser or a database.

Whatever a widget can hold (any text in a text box, any date in a date picker, any offered
option, any rows in the member rows) reaches the save callback without an exception, survives a
draft's round trip through JSON, and a save of the app's real form through its service's own
check ends either saved or with each problem beside its field in the reader's language, what was
typed kept.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.db.models import OrgUnit
from casework.errors import ValidationError
from casework.i18n import Message, catalogue
from casework.ledger import clean_person
from casework.services.follow_ups import clean_follow_up
from casework.services.jobs import clean_posting
from casework.services.training import clean_course
from casework.services.visits import clean_visit
from casework.ui import fields as F
from casework.ui.forms import DraftStore, Form
from casework.ui.home_visits import visit_fields
from casework.ui.job_postings import posting_fields
from casework.ui.ledger import person_fields
from casework.ui.training import course_fields, follow_up_fields
from tests.fuzz_strategies import DATE_TEXTS, EDGE_DATES, texts

TODAY = dt.date(2004, 6, 30)
FUZZ = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
UNITS = lambda lang: [("新海社区", 11), ("海州街道", 10)]  # noqa: E731
DIGITS = st.sampled_from(("12", " 7 ", "-3", "１２", "²", "3.5", "1e9", "9" * 5000, "0" * 41, ""))


def typed(field: F.Field) -> st.SearchStrategy[object]:
    """What the field's widget can hold: its trait accepts it, so a browser may send it."""
    if field.kind in ("text", "textarea"):
        return texts()
    if field.kind == "int":
        return DIGITS | texts()
    if field.kind == "date":
        return st.none() | st.sampled_from(EDGE_DATES) | st.dates()
    if field.kind == "bool":
        return st.booleans()
    if field.kind in F.PICKERS:  # a picker holds only an id its search offered: none here
        return st.none()
    if field.kind == "members":
        statuses = st.sampled_from((None, "unemployed", "flexible", "employed"))
        return st.lists(st.fixed_dictionaries({"member": texts(), "status": statuses}),
                        max_size=5)
    values = [v for _, v in F.option_list(field, "zh")]
    if field.kind == "choice":
        return st.sampled_from(values)
    return st.lists(st.sampled_from(values), unique=True).map(tuple)


def fill(form: Form, data) -> None:
    for field in form.fields:
        form.inputs[field.name].value = data.draw(typed(field), label=field.name)


KINDS = [F.Field("t", "text", "form.save"), F.Field("a", "textarea", "form.save"),
         F.Field("n", "int", "form.save"), F.Field("d", "date", "form.save"),
         F.Field("b", "bool", "form.save"), F.Field("m", "members", "form.save"),
         F.Field("c", "choice", "form.save", UNITS), F.Field("s", "multi", "form.save", UNITS)]


@FUZZ
@given(data=st.data())
def test_whatever_a_widget_holds_is_read_and_comes_back_from_a_draft_unchanged(data):
    form = Form(KINDS, lang="zh", on_save=lambda values: "ok")
    fill(form, data)
    values = form.values()
    # A count is a number only when it is one; otherwise the text goes on for the service.
    assert values["n"] is None or type(values["n"]) in (int, str)
    assert values["t"] is None or values["t"] == values["t"].strip()

    again = Form(KINDS, lang="zh", on_save=lambda values: "ok")
    again.set_values({f.name: F.to_json(f, values[f.name]) for f in KINDS})

    assert again.values() == values


@FUZZ
@given(draft=st.dictionaries(st.sampled_from([f.name for f in KINDS]),
                             st.one_of(texts(), st.sampled_from(DATE_TEXTS), st.integers(),
                                       st.floats(), st.none(), st.lists(texts(), max_size=2),
                                       st.booleans(), st.dictionaries(texts(), texts(),
                                                                      max_size=2))))
def test_a_damaged_draft_is_offered_back_without_an_error(draft):
    form = Form(KINDS, lang="en", on_save=lambda values: "ok")
    form.set_values(draft)
    form.values()


def street(values: dict) -> OrgUnit | None:
    return OrgUnit(id=10, level="street") if values.get("street_id") else None


def community(values: dict) -> OrgUnit | None:
    return OrgUnit(id=11, level="community") if values.get("unit_id") else None


FORMS = {
    "person": (person_fields(UNITS), lambda v: clean_person(v, today=TODAY)),
    "visit": (visit_fields(UNITS), lambda v: clean_visit(v, registered_on=dt.date(2003, 1, 6),
                                                         today=TODAY)),
    "course": (course_fields(UNITS), lambda v: clean_course(v, street(v))),
    "posting": (posting_fields(UNITS), lambda v: clean_posting(v, community(v))),
    "follow_up": (follow_up_fields(UNITS), lambda v: clean_follow_up(
        v, due_on=dt.date(2004, 6, 1), early_days=14, today=TODAY)),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_hostile_form_is_saved_or_refused_beside_its_fields_keeping_what_was_typed(name, lang):
    fields, check = FORMS[name]

    @FUZZ
    @given(data=st.data())
    def one(data) -> None:
        refused: list[ValidationError] = []

        def save(values: dict) -> str:
            try:
                check(values)
            except ValidationError as exc:
                refused.append(exc)
                raise
            return "ok"

        form = Form(fields, lang=lang, on_save=save)
        fill(form, data)
        typed_in = form.values()

        form.submit()  # no exception may escape

        assert form.values() == typed_in
        if not refused:
            assert "cw-status-ok" in form.status.value
            return
        assert "cw-status-error" in form.status.value
        for field, message in refused[0].fields.items():
            assert message.key in catalogue(lang), (field, message.key)
            text = html.escape(message.text(lang))
            shown = form.errors[field].value if field in form.inputs else form.status.value
            assert text in shown, (field, text)

    one()


def test_a_draft_the_database_cannot_keep_is_reported_not_raised_from_the_timer():
    def refuse(payload: dict) -> None:  # as drafts.save_draft does for a NUL (casework.validation)
        raise ValidationError({"payload": Message("validation.control_characters")})

    form = Form(KINDS, lang="en", on_save=lambda values: "ok",
                drafts=DraftStore(save=refuse, load=lambda: None, discard=lambda: None))
    form.inputs["t"].value = "a\x00b"

    form.save_draft()

    assert "The draft was not saved." in form.draft_status.value
    assert "control characters" in form.draft_status.value
    assert form.inputs["t"].value == "a\x00b"
