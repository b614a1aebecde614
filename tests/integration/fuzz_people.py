"""What the fuzz tests call: the use cases of people, households, certificates, files and
retirees, each with valid values but for the one field a test overrides (``o``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from casework.db import models
from casework.ids import make_resident_id
from casework.services import (
    agency,
    certificates,
    drafts,
    hardship,
    persons,
    retirees,
    visits,
)
from tests.conftest import AS_OF


def id_number(n: int, born: dt.date) -> str:
    """A new valid ID number for each ``n``: a day of birth and a sequence of their own."""
    return make_resident_id("320705", born + dt.timedelta(days=n // 100), n % 100, "M")


def person_values(ctx: dict, **overrides) -> dict:
    n = next(ctx["seq"])
    return {"name": f"测试{n}", "id_number": id_number(n, dt.date(1960, 1, 1)),
            "category": "laid_off", "community_id": ctx["worker"].unit_id, "household_members": 3,
            "dependants": 1, "out_of_work_since": dt.date(2003, 5, 1)} | overrides


def new_person(ctx: dict, on: dt.date = AS_OF, **overrides) -> int:
    return persons.register_person(ctx["worker"], ctx["uow"], values=person_values(
        ctx, **overrides), today=on, confirm_similar=True)


def register(ctx, o):
    return new_person(ctx, **o)


def update(ctx, o):
    person_id = new_person(ctx)
    persons.update_person(ctx["worker"], ctx["uow"], person_id=person_id, expected_version=1,
                          changes=o, today=AS_OF)
    return person_id


def status(ctx, o):
    values = {"status": "employed", "since": dt.date(2004, 1, 5), "note": "超市收银",
              "monthly_wage": 600} | o
    return persons.record_status(ctx["worker"], ctx["uow"], person_id=new_person(ctx),
                                 today=AS_OF, **values)


def service(ctx, o):
    values = {"kind": "policy_consultation", "service_date": dt.date(2004, 1, 5),
              "notes": "咨询"} | o
    return persons.log_service(ctx["worker"], ctx["uow"], person_id=new_person(ctx),
                               today=AS_OF, **values)


def file_received(ctx, o):
    n = next(ctx["seq"])
    values = {"person_id": new_person(ctx), "file_number": f"DA-2004-{n}",
              "received_on": dt.date(2004, 5, 11), "received_from": "连云港碱厂"} | o
    return agency.receive_file(ctx["officer"], ctx["uow"], command=agency.ReceiveFile(**values))


def continuation(ctx, o):
    values = {"person_id": new_person(ctx), "kind": "pension", "from_unit": "连云港碱厂",
              "to_unit": "社区服务中心", "months_credited": 156,
              "continued_on": dt.date(2004, 5, 11)} | o
    return agency.record_continuation(ctx["officer"], ctx["uow"],
                                      command=agency.Continuation(**values))


FACTS = retirees.RetireeFacts(
    former_employer="连云港碱厂", pension_status="receiving", retired_on=dt.date(2002, 3, 31),
    pension_monthly=620, contact_name="王海燕", contact_phone="0518-5512345",
    services=("health_check",), remark="独居")


def retiree(ctx, o):
    person_id = new_person(ctx, category="retiree", id_number=id_number(
        next(ctx["seq"]), dt.date(1938, 1, 1)))
    return retirees.create_record(ctx["worker"], ctx["uow"], person_id=person_id,
                                  facts=dataclasses.replace(FACTS, **o))


def registered_household(ctx: dict, size: int = 3) -> int:
    """A household of the worker's community through both verifications, 60 days ago."""
    on = AS_OF - dt.timedelta(days=60)
    person_id = persons.register_person(ctx["worker"], ctx["uow"], values=person_values(ctx),
                                        today=on, confirm_similar=True)
    household_id = hardship.apply(ctx["worker"], ctx["uow"], today=on, application=APPLICATION(
        person_id=person_id, household_size=size))
    version = hardship.verify_community(ctx["worker"], ctx["uow"], household_id=household_id,
                                        expected_version=1)
    hardship.confirm_street(ctx["officer"], ctx["uow"], household_id=household_id,
                            expected_version=version, today=on)
    return household_id


def APPLICATION(**values) -> hardship.Application:  # noqa: N802 (reads as the dataclass)
    return hardship.Application(**{
        "household_size": 3, "household_income": 300, "remark": "夫妻下岗，生活困难。",
        "applicant": hardship.MemberInput(able_to_work=True, willing=True,
                                          accepts_any_job=True)} | values)


def apply_hardship(ctx, o):
    return hardship.apply(ctx["worker"], ctx["uow"], today=AS_OF,
                          application=APPLICATION(person_id=new_person(ctx), **o))


MEMBER = {"name": "李秀英", "relation": "spouse", "sex": "F", "birth_date": dt.date(1965, 1, 15),
          "situation": "laid_off", "able_to_work": True, "willing": True, "accepts_any_job": True}


def add_member(ctx, o):
    return hardship.add_member(ctx["worker"], ctx["uow"], household_id=ctx["household"],
                               member=hardship.MemberInput(**MEMBER | o), today=AS_OF)


VISIT = {"visit_date": AS_OF, "visitors": "张敏、李强", "present": "户主及配偶",
         "living_conditions": "两居室，冬季取暖困难",
         "employment_status": [{"member": "户主", "status": "unemployed"}],
         "employment_note": "配偶在超市做临时工", "income_change": "decreased",
         "needs": ["job"], "needs_note": "希望学习家政技能", "services": ["career_guidance"],
         "follow_up": "推荐参加街道家政培训班", "follow_up_due": AS_OF + dt.timedelta(days=14),
         "next_visit_date": AS_OF + dt.timedelta(days=30)}


def visit(ctx, o):
    return visits.record_visit(ctx["worker"], ctx["uow"], household_id=ctx["household"],
                               values=VISIT | o, today=AS_OF)


def certificate(ctx, o, registered: dt.date = AS_OF) -> int:
    return certificates.issue(ctx["officer"], ctx["uow"], certificates.IssueCertificate(
        person_id=new_person(ctx, on=registered), **o))


def check(ctx, o):
    values = {"year": AS_OF.year, "passed": True, "remark": "按时年检",
              "checked_on": AS_OF} | o
    return certificates.record_check(ctx["officer"], ctx["uow"], certificates.RecordCheck(
        certificate_id=certificate(ctx, {"issued_on": dt.date(AS_OF.year - 1, 6, 3)},
                                   registered=dt.date(AS_OF.year - 1, 1, 5)),
        expected_version=1, **values))


def withdraw(ctx, o):
    certificate_id = certificate(ctx, {})
    values = {"reason": "stable_employment", "remark": "已在超市稳定就业"} | o
    certificates.withdraw(ctx["officer"], ctx["uow"], certificates.Withdraw(
        certificate_id=certificate_id, expected_version=1, **values))
    return certificate_id


def release(ctx, o):
    file_id = file_received(ctx, {})
    values = {"released_on": dt.date(2004, 6, 1), "released_to": "连云港市人才服务中心"} | o
    agency.release_file(ctx["officer"], ctx["uow"], command=agency.ReleaseFile(
        file_id=file_id, expected_version=1, **values))
    return file_id


def exit_household(ctx, o):
    household_id = registered_household(ctx)
    values = {"reason": "employed", "remark": "已在超市就业", "on": AS_OF} | o
    hardship.exit_group(ctx["officer"], ctx["uow"], household_id=household_id,
                        expected_version=version_of(ctx, models.HardshipHousehold, household_id),
                        **values)
    return household_id


def update_member(ctx, o):
    member_id = add_member(ctx, {})
    hardship.update_member(ctx["worker"], ctx["uow"], member_id=member_id, expected_version=1,
                           member=hardship.MemberInput(**MEMBER | o), today=AS_OF)
    return member_id


def update_retiree(ctx, o):
    record_id = retiree(ctx, {})
    retirees.update_record(ctx["worker"], ctx["uow"], record_id=record_id, expected_version=1,
                           facts=dataclasses.replace(FACTS, **o))
    return record_id


def draft(ctx, o):
    key = f"fuzz-{next(ctx['seq'])}"
    drafts.save_draft(ctx["worker"], ctx["uow"], form="person", key=key, payload=o)
    with ctx["uow"]:
        return ctx["uow"].session.scalar(select(models.Draft.id).where(
            models.Draft.record_key == key))


def lost(ctx, o):
    certificate_id = certificate(ctx, {})
    values = {"lost_on": AS_OF, "reissue": True} | o
    certificates.report_lost(ctx["officer"], ctx["uow"], certificates.ReportLost(
        certificate_id=certificate_id, expected_version=1, **values))
    return certificate_id


def verify(ctx, o):
    person_id = new_person(ctx)
    household_id = hardship.apply(ctx["worker"], ctx["uow"], today=AS_OF,
                                  application=APPLICATION(person_id=person_id))
    hardship.verify_community(ctx["worker"], ctx["uow"], household_id=household_id,
                              expected_version=1, **o)
    return household_id


def version_of(ctx, model, row_id: int) -> int:
    with ctx["uow"]:
        return ctx["uow"].session.get(model, row_id).version


def shared(**makers) -> Callable[[dict], None]:
    """A setup that makes what every example shares: ``ctx[name] = maker(ctx)``."""
    def setup(ctx: dict) -> None:
        for name, maker in makers.items():
            ctx[name] = maker(ctx)
    return setup
