"""The use cases the fuzz tests feed (tests/integration/test_fuzz_services.py): how to call
each with one field replaced, where the saved record is read back, and each field's kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework.db import models
from casework.db.models_notice import (
    CertificateCheck,
    HardshipMember,
    InsuranceContinuation,
    PersonnelFile,
    PreferentialCertificate,
    RetireeRecord,
)
from tests.integration.fuzz_people import (
    add_member,
    apply_hardship,
    certificate,
    check,
    continuation,
    draft,
    exit_household,
    file_received,
    lost,
    register,
    registered_household,
    release,
    retiree,
    service,
    shared,
    status,
    update,
    update_member,
    update_retiree,
    verify,
    visit,
    withdraw,
)
from tests.integration.fuzz_work import (
    attendance,
    complete,
    contribution,
    course,
    drop,
    end,
    follow_up,
    loan,
    loan_step,
    notice,
    outcome,
    placement,
    posting,
    posting_status,
    subsidy_claim,
    subsidy_step,
)


@dataclass(frozen=True)
class Case:
    """A use case: ``call(ctx, overrides)`` saves with one field replaced and returns the id;
    ``model`` is read back by that id; ``fields`` are the fuzzed fields and their kinds."""

    call: Callable[[dict, dict], int]
    model: type
    fields: dict[str, str]
    setup: Callable[[dict], None] = lambda ctx: None
    column: Callable[[str], str] = lambda name: name
    kept: frozenset[str] = frozenset()  # fields stored elsewhere, not read back here
    defaulted: frozenset[str] = frozenset()  # left blank, the service fills in (today)


TEXT, INT, DATE, CHOICE, MULTI = "text", "int", "date", "choice", "multi"


PERSON_FIELDS = {"name": TEXT, "phone": TEXT, "address": TEXT, "skills_note": TEXT,
                 "job_wishes": TEXT, "living_needs": TEXT, "category": CHOICE,
                 "education": CHOICE, "income_band": CHOICE, "skills": MULTI,
                 "household_members": INT, "dependants": INT, "prior_wage": INT,
                 "out_of_work_since": DATE, "id_number": TEXT, "community_id": "id",
                 "sex": CHOICE, "birth_date": DATE}


FROM_ID_NUMBER = frozenset({"sex", "birth_date"})  # the ID number's, only checked against it


CASES = {
    "register_person": Case(register, models.Person, PERSON_FIELDS, kept=FROM_ID_NUMBER),
    "update_person": Case(update, models.Person, PERSON_FIELDS, kept=FROM_ID_NUMBER),
    "record_status": Case(status, models.EmploymentStatus,
                          {"status": CHOICE, "since": DATE, "note": TEXT, "monthly_wage": INT}),
    "log_service": Case(service, models.ServiceRecord,
                        {"kind": CHOICE, "service_date": DATE, "notes": TEXT}),
    "create_posting": Case(posting, models.JobPosting, {
        "title": TEXT, "field": CHOICE, "occupation": CHOICE, "investor_kind": CHOICE,
        "investor_name": TEXT, "monthly_wage": INT, "contract_months": INT, "openings": INT,
        "skills": MULTI, "unit_id": "id", "public_welfare": "bool"}),
    "create_course": Case(course, models.Course, {
        "title": TEXT, "occupation": CHOICE, "skills": MULTI, "kind": CHOICE, "provider": TEXT,
        "start_date": DATE, "end_date": DATE, "hours": INT, "capacity": INT,
        "cost_per_trainee": INT, "funding_source": CHOICE, "street_id": "id"}),
    "record_placement": Case(placement, models.Placement, {
        "employer": TEXT, "start_date": DATE, "contract_months": INT, "monthly_wage": INT,
        "social_insurance": "bool", "person_id": "id"}),
    "receive_file": Case(file_received, PersonnelFile, {
        "file_number": TEXT, "received_on": DATE, "received_from": TEXT, "fee_yuan": INT,
        "remark": TEXT, "person_id": "id"},
        column=lambda name: {"fee_yuan": "annual_fee_yuan"}.get(name, name),
        defaulted=frozenset({"fee_yuan"})),
    "record_continuation": Case(continuation, InsuranceContinuation, {
        "kind": CHOICE, "from_unit": TEXT, "to_unit": TEXT, "months_credited": INT,
        "continued_on": DATE, "fee_yuan": INT, "remark": TEXT},
        defaulted=frozenset({"fee_yuan"})),
    "apply_hardship": Case(apply_hardship, models.HardshipHousehold, {
        "household_size": INT, "household_income": INT, "remark": TEXT},
        column=lambda name: {"remark": "registration_remark"}.get(name, name)),
    "add_member": Case(add_member, HardshipMember, {
        "name": TEXT, "relation": CHOICE, "sex": CHOICE, "birth_date": DATE, "situation": CHOICE,
        "female_cadre": "bool", "able_to_work": "bool", "willing": "bool",
        "accepts_any_job": "bool"}, setup=shared(household=lambda c: registered_household(c, 30))),
    "record_visit": Case(visit, models.HomeVisit, {
        "visit_date": DATE, "visitors": TEXT, "present": TEXT, "living_conditions": TEXT,
        "employment_status": "members", "employment_note": TEXT, "income_change": CHOICE,
        "needs": MULTI, "needs_note": TEXT, "services": MULTI, "follow_up": TEXT,
        "follow_up_due": DATE, "next_visit_date": DATE},
        setup=shared(household=registered_household)),
    "record_outcome": Case(outcome, models.Referral, {"outcome": CHOICE, "on": DATE},
                           setup=shared(posting=lambda c: posting(c, {})),
                           column=lambda name: {"on": "outcome_on"}.get(name, name),
                           defaulted=frozenset({"on"})),
    "publish_notice": Case(notice, models.DemandNotice, {
        "title": TEXT, "field": CHOICE, "body": TEXT, "closes_on": DATE, "unit_id": "id"}),
    "record_attendance": Case(attendance, models.Attendance, {
        "hours": "number", "session_date": DATE},
        setup=shared(course=lambda c: course(c, {"capacity": 1000}))),
    "record_contribution": Case(contribution, models.InsuranceContribution, {
        "due_on": DATE, "paid_on": DATE, "amount": INT}),
    "end_placement": Case(end, models.Placement, {"ended_on": DATE, "remark": TEXT},
                          kept=frozenset({"remark"})),
    "issue_certificate": Case(certificate, PreferentialCertificate, {"issued_on": DATE},
                              defaulted=frozenset({"issued_on"})),
    "record_check": Case(check, CertificateCheck, {
        "year": INT, "passed": "bool", "remark": TEXT, "checked_on": DATE},
        defaulted=frozenset({"checked_on"})),
    "withdraw_certificate": Case(withdraw, PreferentialCertificate, {
        "reason": CHOICE, "remark": TEXT},
        column=lambda name: {"reason": "withdrawal_reason",
                             "remark": "withdrawal_remark"}.get(name, name)),
    "apply_loan": Case(loan, models.Loan, {
        "amount": INT, "term_months": INT, "purpose": CHOICE, "project_kind": CHOICE,
        "business_plan": TEXT}),
    "release_file": Case(release, PersonnelFile, {"released_on": DATE, "released_to": TEXT}),
    "drop_out": Case(drop, models.Enrolment, {"reason": CHOICE, "on": DATE},
                     setup=shared(course=lambda c: course(c, {"capacity": 1000})),
                     column=lambda name: {"reason": "dropout_reason",
                                          "on": "dropped_on"}.get(name, name),
                     defaulted=frozenset({"on"})),
    "complete_course": Case(complete, models.Enrolment, {"on": DATE},
                            setup=shared(course=lambda c: course(c, {"capacity": 1000})),
                            column=lambda name: "completed_on", defaulted=frozenset({"on"})),
    "exit_group": Case(exit_household, models.HardshipHousehold, {
        "reason": CHOICE, "remark": TEXT, "on": DATE},
        column=lambda name: {"reason": "exit_reason", "remark": "exit_remark",
                             "on": "exited_on"}[name], defaulted=frozenset({"on"})),
    "update_member": Case(update_member, HardshipMember, {
        "name": TEXT, "relation": CHOICE, "sex": CHOICE, "birth_date": DATE, "situation": CHOICE,
        "female_cadre": "bool", "able_to_work": "bool"},
        setup=shared(household=lambda c: registered_household(c, 30))),
    "set_posting_status": Case(posting_status, models.JobPosting, {"status": CHOICE}),
    "update_retiree_record": Case(update_retiree, RetireeRecord, {
        "former_employer": TEXT, "pension_status": CHOICE, "retired_on": DATE,
        "pension_monthly": INT, "contact_name": TEXT, "contact_phone": TEXT, "remark": TEXT}),
    "save_draft": Case(draft, models.Draft, {"name": TEXT, "phone": TEXT, "household_members": INT},
                       column=lambda name: "payload"),
    "record_follow_up": Case(follow_up, models.TrainingFollowUp, {
        "recorded_on": DATE, "employed": "bool", "employer": TEXT, "job_field": CHOICE,
        "monthly_wage": INT, "contract_months": INT, "social_insurance": "bool",
        "self_employed": "bool"}, setup=shared(course=lambda c: course(c, {"capacity": 1000}))),
    "take_loan_step": Case(loan_step, models.LoanStep, {
        "step": CHOICE, "approved": "bool", "remark": TEXT}),
    "report_lost": Case(lost, PreferentialCertificate, {"lost_on": DATE, "reissue": "bool"},
                        kept=frozenset({"reissue"}), defaulted=frozenset({"lost_on"})),
    "verify_community": Case(verify, models.HardshipHousehold, {"remark": TEXT},
                             column=lambda name: "community_remark"),
    "claim_subsidy": Case(subsidy_claim, models.SubsidyClaim, {
        "kind": CHOICE, "funding_level": CHOICE}),
    "advance_subsidy": Case(subsidy_step, models.SubsidyStep, {
        "step": CHOICE, "approved": "bool", "remark": TEXT}),
    "create_retiree_record": Case(retiree, RetireeRecord, {
        "former_employer": TEXT, "pension_status": CHOICE, "retired_on": DATE,
        "pension_monthly": INT, "contact_name": TEXT, "contact_phone": TEXT,
        "services": MULTI, "remark": TEXT}),
}
