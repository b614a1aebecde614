"""One representative service call per capability, for the permission-matrix test.

Each case arranges a fresh target (with the demo accounts whose work it is) and acts on it as
the account under test. Every target lies in the demo worker's community, so it is in the home
area of every demo account: a refusal can only come from the role. ``stranger`` names the role
of an in-role account from another district, for the scope half of the test (None: only city
accounts have the capability, or the call names no unit, so nothing can be out of scope).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from casework import money
from casework.db.models import Loan
from casework.services import (
    agency,
    audit_queries,
    certificates,
    demand,
    follow_ups,
    hardship,
    jobs,
    loans,
    org,
    pages,
    persons,
    progress,
    releases,
    research,
    subsidies,
    training,
)
from evaluation.extract import write_extract
from tests.integration.test_job_services import posting_values, register
from tests.integration.test_placement_services import pay_months, place
from tests.integration.test_subsidy_services import CLAIMED, new_project
from tests.integration.test_training_services import course_values

CERTIFIED, APPLIED, STEPPED = dt.date(2025, 12, 2), dt.date(2025, 12, 8), dt.date(2026, 1, 10)
TAKERS = {"applied": "community_worker", "community_recommended": "community_worker",
          "agency_reviewed": "street_officer", "guarantee_committed": "district_officer",
          "bank_approved": "city_officer"}


@dataclass
class World:
    """The database, the demo accounts by role, and fresh numbers for new people and units."""

    uow: object
    actors: dict
    folder: Path
    seq: itertools.count

    def __getitem__(self, role: str):
        return self.actors[role]

    @property
    def worker(self):
        return self.actors["community_worker"]

    def person(self, **kw) -> int:
        """A newly registered laid-off person of the worker's community."""
        return register(self.worker, self.uow, next(self.seq), **kw)

    def certified(self) -> int:
        person_id = self.person()
        certificates.issue(self["street_officer"], self.uow, certificates.IssueCertificate(
            person_id=person_id, issued_on=CERTIFIED))
        return person_id


@dataclass(frozen=True)
class Case:
    arrange: Callable[[World], object]
    act: Callable[[object, World, object], object]
    stranger: str | None = None  # the role of an in-role account to refuse out of scope
    listing: bool = False  # out of scope the target is left out of a list, not refused


def _none(w: World) -> None:
    return None


def _version(w: World, model, record_id: int) -> int:
    with w.uow:
        return w.uow.session.get(model, record_id).version


def _loan_at(step: str) -> Callable[[World], tuple[int, int]]:
    """A loan whose last step is the one before ``step``: (loan id, version)."""
    def arrange(w: World) -> tuple[int, int]:
        loan_id = loans.apply(w.worker, w.uow, person_id=w.certified(), amount=20_000,
                              term_months=24, purpose="self_employment",
                              project_kind="catering", today=APPLIED)
        version = _version(w, Loan, loan_id)
        for done in money.LOAN_STEPS[1:money.LOAN_STEPS.index(step)]:
            version = loans.take_step(w[TAKERS[done]], w.uow, loan_id=loan_id,
                                      expected_version=version, step=done, today=STEPPED)
        return loan_id, version
    return arrange


def _loan_step(step: str) -> Case:
    if step == "applied":
        return Case(lambda w: w.certified(), lambda a, w, p: loans.apply(
            a, w.uow, person_id=p, amount=20_000, term_months=24, purpose="self_employment",
            project_kind="catering", today=APPLIED), stranger="community_worker")
    stranger = None if TAKERS[step] == "city_officer" else TAKERS[step]
    return Case(_loan_at(step), lambda a, w, t: loans.take_step(
        a, w.uow, loan_id=t[0], expected_version=t[1], step=step, today=STEPPED),
        stranger=stranger)


def _placement(w: World) -> int:
    placement_id = place(w.worker, w.uow, w.person(),
                         posting_id=new_project(w.worker, w.uow))
    pay_months(w.worker, w.uow, placement_id, 3)
    return placement_id


def _claim_at(step: str, level: str) -> Callable[[World], tuple[int, int]]:
    """A claim paid by the ``level`` fund whose last step is the one before ``step``."""
    def arrange(w: World) -> tuple[int, int]:
        claim_id = subsidies.claim(w.worker, w.uow, placement_id=_placement(w),
                                   kind="job_development", funding_level=level, today=CLAIMED)
        version = 1
        if step != "reviewed":
            version = subsidies.advance(w["street_officer"], w.uow, claim_id=claim_id,
                                        expected_version=version, step="reviewed",
                                        today=CLAIMED)
        return claim_id, version
    return arrange


def _advance(step: str) -> Callable:
    return lambda a, w, t: subsidies.advance(a, w.uow, claim_id=t[0], expected_version=t[1],
                                             step=step, today=CLAIMED)


def _household(w: World, *, verified: bool = False, registered: bool = False) -> tuple:
    """A household of a new person: applied, verified by the community, or registered."""
    application = hardship.Application(
        person_id=w.person(), household_size=3, household_income=300, remark="夫妻下岗。",
        applicant=hardship.MemberInput(able_to_work=True, willing=True, accepts_any_job=True))
    household_id = hardship.apply(w.worker, w.uow, application=application)
    version = 1
    if verified or registered:
        version = hardship.verify_community(w.worker, w.uow, household_id=household_id,
                                            expected_version=version)
    if registered:
        version = hardship.confirm_street(w["street_officer"], w.uow,
                                          household_id=household_id, expected_version=version)
    return household_id, version


def _posting(w: World) -> int:
    return jobs.create_posting(w.worker, w.uow, values=posting_values(w.worker.unit_id))


def _street(w: World) -> int:
    return w["street_officer"].unit_id


def _follow_up(w: World) -> tuple[int, int]:
    """The 3-month follow-up, now due, of a trainee of the worker's community who finished a
    course of the worker's street: (follow-up id, version)."""
    trainer, ended = w["trainer"], w.uow.today() - dt.timedelta(days=100)
    course_id = training.create_course(trainer, w.uow, values=course_values(
        _street(w), start_date=ended - dt.timedelta(days=60), end_date=ended))
    enrolment = training.enrol(trainer, w.uow, course_id=course_id, person_id=w.person(),
                               today=ended - dt.timedelta(days=70))
    training.record_attendance(trainer, w.uow, enrolment_id=enrolment.id, hours=100)
    training.complete(trainer, w.uow, enrolment_id=enrolment.id,
                      expected_version=enrolment.version, on=ended)
    [due] = [f for f in follow_ups.follow_ups(trainer, w.uow, include_recorded=True)
             if f.enrolment_id == enrolment.id and f.months == 3]
    return due.id, due.version


def _record_follow_up(a, w: World, t: tuple[int, int]) -> int:
    return follow_ups.record_follow_up(a, w.uow, follow_up_id=t[0], expected_version=t[1],
                                       values={"recorded_on": w.uow.today(), "employed": False})


def _add_unit(a, w: World, _t) -> int:
    n = next(w.seq)
    return org.add_unit(a, w.uow, parent_id=_street(w), code=f"9{n:08d}", level="community",
                        name_zh=f"测试社区{n}", name_en=f"Test community {n}")


def _add_staff(a, w: World, _t) -> int:
    return org.create_staff(a, w.uow, username=f"matrix-{next(w.seq)}", display_name="新人",
                            role="community_worker", unit_id=w.worker.unit_id)


CASES: dict[str, Case] = {
    "read_ledger": Case(lambda w: w.person(), lambda a, w, p: persons.get_person(
        a, w.uow, person_id=p), stranger="community_worker"),
    "write_ledger": Case(lambda w: w.person(), lambda a, w, p: persons.log_service(
        a, w.uow, person_id=p, kind="career_guidance", service_date=w.uow.today()),
        stranger="community_worker"),
    "write_extract": Case(_none, lambda a, w, _t: write_extract(
        a, w.uow, out=w.folder / f"x{next(w.seq)}", purpose="permission matrix")),
    "list_extract_releases": Case(_none, lambda a, w, _t: releases.list_releases(a, w.uow)),
    "read_research": Case(_none, lambda a, w, _t: research.extract_folder(a, w.uow,
                                                                         requested=None)),
    "affairs_agency": Case(lambda w: w.person(), lambda a, w, p: agency.record_continuation(
        a, w.uow, command=agency.Continuation(
            person_id=p, kind="pension", from_unit="连云港碱厂", to_unit="社区服务中心",
            months_credited=12, continued_on=w.uow.today())), stranger="street_officer"),
    "certificates": Case(lambda w: w.person(), lambda a, w, p: certificates.issue(
        a, w.uow, certificates.IssueCertificate(person_id=p, issued_on=CERTIFIED)),
        stranger="street_officer"),
    "manage_units": Case(_none, _add_unit),
    "manage_staff": Case(_none, _add_staff),
    "read_audit": Case(_none, lambda a, w, _t: audit_queries.actions(a, w.uow)),
    "post_jobs": Case(_none, lambda a, w, _t: jobs.create_posting(
        a, w.uow, values=posting_values(w.worker.unit_id)), stranger="community_worker"),
    "read_postings": Case(_posting, lambda a, w, _t: [p.id for p in jobs.postings(a, w.uow)],
                          stranger="community_worker", listing=True),
    "organise_training": Case(_none, lambda a, w, _t: training.create_course(
        a, w.uow, values=course_values(_street(w))), stranger="street_officer"),
    "follow_up_trainees": Case(_follow_up, _record_follow_up, stranger="community_worker"),
    "plan_curriculum": Case(_none, lambda a, w, _t: pages.open_page(
        a, w.uow, capability="plan_curriculum", page="curriculum_planning")),
    "read_demand": Case(_none, lambda a, w, _t: demand.demand_data(
        a, w.uow, unit_id=_street(w), start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)),
        stranger="street_officer"),
    "hardship_verify_community": Case(_household, lambda a, w, t: hardship.verify_community(
        a, w.uow, household_id=t[0], expected_version=t[1]), stranger="community_worker"),
    "hardship_confirm_street": Case(
        lambda w: _household(w, verified=True), lambda a, w, t: hardship.confirm_street(
            a, w.uow, household_id=t[0], expected_version=t[1]), stranger="street_officer"),
    "hardship_exit": Case(
        lambda w: _household(w, registered=True), lambda a, w, t: hardship.exit_group(
            a, w.uow, household_id=t[0], expected_version=t[1], reason="employed"),
        stranger="street_officer"),
    "visit_rollup": Case(_none, lambda a, w, _t: hardship.overdue_rollup(a, w.uow)),
    "set_targets": Case(_none, lambda a, w, _t: progress.set_target(
        a, w.uow, unit_id=_street(w), year=2026, placements=120)),
    "view_progress": Case(_none, lambda a, w, _t: progress.progress(a, w.uow, year=2026)),
    **{f"loan_step.{s}": _loan_step(s) for s in money.LOAN_STEPS},
    "subsidy_step.claimed": Case(_placement, lambda a, w, p: subsidies.claim(
        a, w.uow, placement_id=p, kind="job_development", funding_level="street",
        today=CLAIMED), stranger="community_worker"),
    "subsidy_step.reviewed": Case(_claim_at("reviewed", "street"), _advance("reviewed"),
                                  stranger="street_officer"),
    "subsidy_pay.street": Case(_claim_at("approved", "street"), _advance("approved"),
                               stranger="street_officer"),
    "subsidy_pay.district": Case(_claim_at("approved", "district"), _advance("approved"),
                                 stranger="district_officer"),
    "subsidy_pay.city": Case(_claim_at("approved", "city"), _advance("approved")),
}
