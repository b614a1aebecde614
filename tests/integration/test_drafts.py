"""Drafts on both databases: saved per account, form and record; replaced and discarded."""

from sqlalchemy import func, select

from casework.db.models import Draft
from casework.services import drafts

FORM, KEY = "home_visit", "household-17"
PAYLOAD = {"visit_date": "2026-11-27", "living_conditions": "两居室", "needs": ["job"],
           "present": None, "household_members": 3}


def draft_rows(uow, actor) -> int:
    with uow:
        return uow.session.scalar(select(func.count(Draft.id)).where(
            Draft.staff_id == actor.staff_id, Draft.form == FORM, Draft.record_key == KEY))



def test_a_saved_draft_loads_with_the_same_payload(worker, demo_db):
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)

    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) == PAYLOAD


def test_there_is_no_draft_before_one_is_saved(worker, demo_db):
    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) is None


def test_saving_again_replaces_the_draft(worker, demo_db):
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)
    newer = {"visit_date": "2026-11-26", "living_conditions": "平房"}

    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=newer)

    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) == newer
    assert draft_rows(demo_db, worker) == 1


def test_drafts_are_kept_per_account(actors, worker, demo_db):
    officer = actors["street_officer"]
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)

    assert drafts.load_draft(officer, demo_db, form=FORM, key=KEY) is None
    drafts.save_draft(officer, demo_db, form=FORM, key=KEY, payload={"present": "户主"})
    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) == PAYLOAD
    assert drafts.load_draft(officer, demo_db, form=FORM, key=KEY) == {"present": "户主"}


def test_drafts_are_kept_per_form_and_record(worker, demo_db):
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)

    assert drafts.load_draft(worker, demo_db, form=FORM, key="household-18") is None
    assert drafts.load_draft(worker, demo_db, form="person", key=KEY) is None


def test_a_discarded_draft_is_gone(worker, demo_db):
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)

    drafts.discard_draft(worker, demo_db, form=FORM, key=KEY)

    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) is None
    assert draft_rows(demo_db, worker) == 0


def test_discarding_a_draft_leaves_other_accounts_drafts_alone(actors, worker, demo_db):
    officer = actors["street_officer"]
    drafts.save_draft(worker, demo_db, form=FORM, key=KEY, payload=PAYLOAD)
    drafts.save_draft(officer, demo_db, form=FORM, key=KEY, payload={"present": "户主"})

    drafts.discard_draft(officer, demo_db, form=FORM, key=KEY)

    assert drafts.load_draft(worker, demo_db, form=FORM, key=KEY) == PAYLOAD
    assert drafts.load_draft(officer, demo_db, form=FORM, key=KEY) is None
