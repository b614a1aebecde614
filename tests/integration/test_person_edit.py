"""The ledger's edit form, driven through its widgets: what a refused save keeps and what a
reload brings in, field by field."""

import pytest

from casework.services import persons
from casework.ui.ledger import LedgerApp
from casework.ui.shell import AppContext
from tests.integration.test_ledger_services import register


def ledger(worker, uow) -> LedgerApp:
    return LedgerApp(AppContext("en", worker, uow))


def opened(worker, uow, person_id: int) -> LedgerApp:
    app = ledger(worker, uow)
    app.picker.value = person_id
    return app


def type_into(app: LedgerApp, **values) -> None:
    for name, value in values.items():
        app.editor.form.inputs[name].value = value


def save(app: LedgerApp) -> str:
    app.editor.form.submit()
    return app.editor.form.status.value


@pytest.fixture
def two_editors(worker, demo_db):
    person_id = register(worker, demo_db)
    return person_id, opened(worker, demo_db, person_id), opened(worker, demo_db, person_id)


def test_a_refused_save_keeps_what_was_typed_and_lists_only_the_others_changes(
        worker, demo_db, two_editors):
    person_id, first, second = two_editors
    type_into(first, phone="0518-85123456")
    save(first)

    type_into(second, address="新浦区海连路8号", dependants="2")
    status = save(second)

    assert "cw-status-error" in status
    assert "cw-conflict-field-phone" in second.editor.conflict.value
    assert "cw-conflict-field-address" not in second.editor.conflict.value
    assert second.editor.form.inputs["address"].value == "新浦区海连路8号"
    assert second.editor.form.inputs["dependants"].value == "2"
    stored = persons.get_person(worker, demo_db, person_id=person_id).values
    assert (stored["address"], stored["dependants"]) == ("新海一村5号楼101室", 1)


def test_a_reload_keeps_typed_fields_nobody_else_changed_and_shows_the_saved_value_of_the_rest(
        worker, demo_db, two_editors):
    person_id, first, second = two_editors
    type_into(first, phone="0518-85123456")
    save(first)
    type_into(second, phone="13900000000", address="新浦区海连路8号")
    save(second)

    second.editor.reload()

    assert second.editor.form.inputs["phone"].value == "0518-85123456"
    assert second.editor.form.inputs["address"].value == "新浦区海连路8号"
    assert "13900000000" in second.editor.conflict.value  # what was typed there stays listed
    assert "cw-status-ok" in save(second)
    stored = persons.get_person(worker, demo_db, person_id=person_id).values
    assert (stored["phone"], stored["address"]) == ("0518-85123456", "新浦区海连路8号")


def test_saving_an_unchanged_record_writes_nothing(worker, demo_db):
    person_id = register(worker, demo_db)
    app = opened(worker, demo_db, person_id)

    status = save(app)

    assert "cw-status-ok" in status
    assert persons.get_person(worker, demo_db, person_id=person_id).version == 1
