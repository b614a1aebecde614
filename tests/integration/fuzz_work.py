"""What the fuzz tests call: the use cases of jobs, training, placements, loans and subsidies,
each with valid values but for the one field a test overrides (``o``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from casework.db import models
from casework.services import (
    certificates,
    follow_ups,
    jobs,
    loans,
    placements,
    subsidies,
    training,
)
from tests.conftest import AS_OF
from tests.integration.fuzz_people import new_person, version_of
from tests.integration.test_subsidy_services import CLAIMED, insured

POSTING = {"title": "社区保洁员", "field": "public_welfare_services", "occupation": "community",
           "investor_kind": "community", "investor_name": "新海社区居委会", "monthly_wage": 450,
           "contract_months": 12, "openings": 3, "skills": [], "public_welfare": True}


def posting(ctx, o):
    values = POSTING | {"unit_id": ctx["worker"].unit_id} | o
    return jobs.create_posting(ctx["worker"], ctx["uow"], values=values, today=AS_OF)


COURSE = {"title": "家政服务员（初级）", "occupation": "domestic_service", "skills": ["cleaning"],
          "kind": "reskilling", "provider": "市职业培训中心", "start_date": dt.date(2004, 3, 1),
          "end_date": dt.date(2004, 5, 31), "hours": 100, "capacity": 20,
          "cost_per_trainee": 600, "funding_source": "city_fund"}


def course(ctx, o):
    values = COURSE | {"street_id": ctx["trainer"].unit_id} | o
    return training.create_course(ctx["trainer"], ctx["uow"], values=values)


PLACEMENT = {"employer": "社区服务中心", "start_date": dt.date(2004, 3, 1), "contract_months": 36,
             "monthly_wage": 650, "social_insurance": True}


def placement(ctx, o):
    values = PLACEMENT | {"person_id": new_person(ctx), "unit_id": ctx["worker"].unit_id} | o
    return placements.record_placement(ctx["worker"], ctx["uow"], values=values, today=AS_OF)


def outcome(ctx, o):
    referral_id = jobs.refer(ctx["worker"], ctx["uow"], posting_id=ctx["posting"],
                             person_id=new_person(ctx), today=AS_OF)
    values = {"outcome": "declined", "on": AS_OF} | o
    jobs.record_outcome(ctx["worker"], ctx["uow"], referral_id=referral_id, expected_version=1,
                        **values)
    return referral_id


def notice(ctx, o):
    values = {"title": "急需钟点工", "field": "convenience_services",
              "body": "每周三次，每次两小时", "closes_on": AS_OF + dt.timedelta(days=30),
              "unit_id": ctx["worker"].unit_id} | o
    return jobs.publish_notice(ctx["worker"], ctx["uow"], values=values, today=AS_OF)


def attendance(ctx, o):
    enrolment = training.enrol(ctx["trainer"], ctx["uow"], course_id=ctx["course"],
                               person_id=new_person(ctx), today=COURSE["start_date"])
    values = {"hours": 6, "session_date": dt.date(2004, 3, 8)} | o
    training.record_attendance(ctx["trainer"], ctx["uow"], enrolment_id=enrolment.id,
                               today=AS_OF, **values)
    with ctx["uow"]:
        return ctx["uow"].session.scalar(select(models.Attendance.id).where(
            models.Attendance.enrolment_id == enrolment.id))


def contribution(ctx, o):
    placement_id = placement(ctx, {})
    values = {"due_on": dt.date(2004, 3, 15), "paid_on": dt.date(2004, 3, 20), "amount": 150} | o
    return placements.record_contribution(ctx["worker"], ctx["uow"], placement_id=placement_id,
                                          **values)


def end(ctx, o):
    placement_id = placement(ctx, {})
    values = {"ended_on": dt.date(2004, 5, 31), "remark": "合同到期"} | o
    placements.end_placement(ctx["worker"], ctx["uow"], placement_id=placement_id,
                             expected_version=1, **values)
    return placement_id


def loan(ctx, o):
    person_id = new_person(ctx)
    certificates.issue(ctx["officer"], ctx["uow"], certificates.IssueCertificate(
        person_id=person_id))
    values = {"amount": 20_000, "term_months": 24, "purpose": "self_employment",
              "project_kind": "catering", "business_plan": "开设社区早餐店"} | o
    return loans.apply(ctx["worker"], ctx["uow"], person_id=person_id, today=AS_OF, **values)


def enrolled(ctx) -> int:
    return training.enrol(ctx["trainer"], ctx["uow"], course_id=ctx["course"],
                          person_id=new_person(ctx), today=COURSE["start_date"]).id


def drop(ctx, o):
    enrolment_id = enrolled(ctx)
    values = {"reason": "found_job", "on": dt.date(2004, 4, 1)} | o
    training.drop(ctx["trainer"], ctx["uow"], enrolment_id=enrolment_id, expected_version=1,
                  **values)
    return enrolment_id


def complete(ctx, o):
    enrolment_id = enrolled(ctx)
    training.record_attendance(ctx["trainer"], ctx["uow"], enrolment_id=enrolment_id, hours=95,
                               today=AS_OF)
    training.complete(ctx["trainer"], ctx["uow"], enrolment_id=enrolment_id, expected_version=1,
                      today=AS_OF, **({"on": COURSE["end_date"]} | o))
    return enrolment_id


def posting_status(ctx, o):
    posting_id = posting(ctx, {})
    jobs.set_status(ctx["worker"], ctx["uow"], posting_id=posting_id, expected_version=1,
                    today=AS_OF, **({"status": "closed"} | o))
    return posting_id


FOLLOW_UP = {"recorded_on": dt.date(2004, 9, 1), "employed": True, "employer": "苏果超市",
             "job_field": "commerce", "monthly_wage": 500, "contract_months": 12,
             "social_insurance": True, "self_employed": False, "with_loan": None}


def follow_up(ctx, o):
    enrolment_id = complete(ctx, {})
    with ctx["uow"]:
        follow_up_id = ctx["uow"].session.scalar(select(models.TrainingFollowUp.id).where(
            models.TrainingFollowUp.enrolment_id == enrolment_id).order_by(
            models.TrainingFollowUp.due_on).limit(1))
    follow_ups.record_follow_up(ctx["trainer"], ctx["uow"], follow_up_id=follow_up_id,
                                expected_version=1, values=FOLLOW_UP | o, today=AS_OF)
    return follow_up_id


def loan_step(ctx, o):
    loan_id = loan(ctx, {})
    values = {"step": "community_recommended", "approved": False, "remark": "材料不全"} | o
    loans.take_step(ctx["worker"], ctx["uow"], loan_id=loan_id,
                    expected_version=version_of(ctx, models.Loan, loan_id), today=AS_OF,
                    **values)
    with ctx["uow"]:
        return ctx["uow"].session.scalar(select(models.LoanStep.id).where(
            models.LoanStep.loan_id == loan_id).order_by(models.LoanStep.id.desc()).limit(1))


def subsidy_claim(ctx, o):
    placement_id = insured(ctx["worker"], ctx["uow"], next(ctx["seq"]) % 500)
    return subsidies.claim(ctx["worker"], ctx["uow"], placement_id=placement_id, today=CLAIMED,
                           **({"kind": "job_development", "funding_level": "street"} | o))


def subsidy_step(ctx, o):
    claim_id = subsidy_claim(ctx, {})
    values = {"step": "reviewed", "approved": False, "remark": "合同复印件不清"} | o
    subsidies.advance(ctx["officer"], ctx["uow"], claim_id=claim_id, expected_version=1,
                      today=CLAIMED, **values)
    with ctx["uow"]:
        return ctx["uow"].session.scalar(select(models.SubsidyStep.id).where(
            models.SubsidyStep.claim_id == claim_id).order_by(models.SubsidyStep.id.desc())
            .limit(1))
