"""SQLAlchemy 2 models. Tables are created only by the Alembic migrations beside this file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from casework.db.name_parts import INDEXES as NAME_PART_INDEXES
from casework.db.name_parts import PART_FROM, NameFrom

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Optimistic concurrency: SQLAlchemy bumps ``version`` on every UPDATE and checks it."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @classmethod
    def __declare_last__(cls) -> None:
        cls.__mapper__.version_id_col = cls.__table__.c.version


class OrgUnit(Base):
    """One node of the four-level network: city → district/county → street → community."""

    __tablename__ = "org_unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    level: Mapped[str] = mapped_column(String(12))  # city, district, county, street, community
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    # Materialised path of codes, "/3207/320705/320705001/": scope checks are a prefix test.
    path: Mapped[str] = mapped_column(String(200), index=True)
    # A closed unit keeps its history (ledger, audit) but takes no new staff, persons or units.
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    unit: Mapped[OrgUnit] = relationship()


class Person(Versioned, Base):
    """A ledger record (台帐) of a laid-off or unemployed person, retiree or new entrant."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # A first-generation 15-digit number as it was given; id_number holds its 18-digit form.
    id_number_original: Mapped[str | None] = mapped_column(String(15))
    name: Mapped[str] = mapped_column(String(60), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date, index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    community_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    household_members: Mapped[int | None] = mapped_column(Integer)
    dependants: Mapped[int | None] = mapped_column(Integer)
    income_band: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    skills_note: Mapped[str | None] = mapped_column(Text)
    job_wishes: Mapped[str | None] = mapped_column(Text)
    living_needs: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    out_of_work_since: Mapped[dt.date | None] = mapped_column(Date)
    prior_wage: Mapped[int | None] = mapped_column(Integer)  # monthly, yuan, in the last job
    registered_on: Mapped[dt.date] = mapped_column(Date)
    community: Mapped[OrgUnit] = relationship()


# What the person pickers search by the beginning (LIKE 'typed%'), indexed for it (migration
# 0009): SQLite's LIKE ignores case, so only a NOCASE index serves it; PostgreSQL's collation
# here is not C, so its index needs the pattern operator class.
PREFIX_SEARCHED = ("name", "id_number", "id_number_original", "phone")
for _column in PREFIX_SEARCHED:
    Index(f"ix_person_{_column}_nocase", Person.__table__.c[_column].collate("NOCASE")
          ).ddl_if(dialect="sqlite")
    Index(f"ix_person_{_column}_pattern", Person.__table__.c[_column],
          postgresql_ops={_column: "text_pattern_ops"}).ddl_if(dialect="postgresql")
# The given name, for "found anywhere in the name" (migration 0011; see casework.db.name_parts).
for _name, _position in zip(NAME_PART_INDEXES, PART_FROM, strict=True):
    Index(_name, NameFrom(Person.__table__.c.name, _position))


class EmploymentStatus(Base):
    """Dynamic tracking: each change of employment status, never overwritten."""

    __tablename__ = "employment_status"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[dt.date] = mapped_column(Date)
    monthly_wage: Mapped[int | None] = mapped_column(Integer)  # yuan, when (self-)employed
    note: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class ServiceRecord(Base):
    """The services log: consultation, guidance, referrals, affairs agency."""

    __tablename__ = "service_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    service_date: Mapped[dt.date] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Who did what to which record, when, with the values before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10))  # "ok" or "denied"
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # Whom and where the entry concerns, for the audit viewer's filters and its scope (a prefix
    # test on the unit's path). No foreign key: the trail outlives the records it names.
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_path: Mapped[str | None] = mapped_column(String(200), index=True)


class HardshipHousehold(Versioned, Base):
    """A household in the hardship group (特困群体): it meets the registration criteria of
    连政办发[2002]132号 (policy.toml [hardship]) and is registered only after two verifications.
    Which of its members are targeted for employment aid is decided per member (HardshipMember)."""

    __tablename__ = "hardship_household"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    household_size: Mapped[int] = mapped_column(Integer)
    household_income: Mapped[int] = mapped_column(Integer)  # yuan a month, all members
    registration_remark: Mapped[str | None] = mapped_column(Text)
    eligible: Mapped[bool]  # the registration criteria met when applied
    decision: Mapped[list] = mapped_column(JSON)  # the reasons, as catalogue keys and params
    policy_version: Mapped[str] = mapped_column(String(40))
    criteria_reference: Mapped[str] = mapped_column(String(60))
    community_verified_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    community_verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    community_remark: Mapped[str | None] = mapped_column(Text)
    street_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    street_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    street_remark: Mapped[str | None] = mapped_column(Text)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    exited_on: Mapped[dt.date | None] = mapped_column(Date)
    exit_reason: Mapped[str | None] = mapped_column(String(30))
    exit_remark: Mapped[str | None] = mapped_column(Text)
    exited_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    person: Mapped[Person] = relationship()
    community: Mapped[OrgUnit] = relationship()


class HomeVisit(Versioned, Base):
    """One home visit (家访). Its author may correct it; each correction is a new version."""

    __tablename__ = "home_visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("hardship_household.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    visitors: Mapped[str | None] = mapped_column(String(200))
    present: Mapped[str | None] = mapped_column(String(200))
    living_conditions: Mapped[str] = mapped_column(Text)
    income_change: Mapped[str | None] = mapped_column(String(20))
    # One entry per working-age member: {"member": "户主", "status": "unemployed"}.
    employment_status: Mapped[list] = mapped_column(JSON, default=list)
    employment_note: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[list] = mapped_column(JSON, default=list)
    needs_note: Mapped[str | None] = mapped_column(Text)
    services: Mapped[list] = mapped_column(JSON, default=list)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date)
    next_visit_date: Mapped[dt.date | None] = mapped_column(Date)

    # The household list reads each household's last visit and the next one planned then from
    # this index alone (migration 0010).
    __table_args__ = (Index("ix_home_visit_household_schedule", "household_id", "visit_date",
                            "next_visit_date"),)


class Draft(Base):
    """What a worker typed and has not saved yet, per account, form and record."""

    __tablename__ = "draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    form: Mapped[str] = mapped_column(String(60))
    record_key: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("staff_id", "form", "record_key",
                                       name="uq_draft_staff_form_key"),)


class Course(Versioned, Base):
    """A training course: re-skilling, labour-preparation or entrepreneurship."""

    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    occupation: Mapped[str] = mapped_column(String(40))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(30))
    provider: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    cost_per_trainee: Mapped[int] = mapped_column(Integer)  # yuan
    funding_source: Mapped[str] = mapped_column(String(30))
    street_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    street: Mapped[OrgUnit] = relationship()


class Enrolment(Versioned, Base):
    """A person's place on a course: waiting, offered, enrolled, completed, dropped, declined."""

    __tablename__ = "enrolment"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[list] = mapped_column(JSON, default=list)
    policy_version: Mapped[str] = mapped_column(String(40))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    certificate_type: Mapped[str | None] = mapped_column(String(60))
    certificate_number: Mapped[str | None] = mapped_column(String(60))
    certificate_date: Mapped[dt.date | None] = mapped_column(Date)
    dropped_on: Mapped[dt.date | None] = mapped_column(Date)
    dropout_reason: Mapped[str | None] = mapped_column(String(30))
    course: Mapped[Course] = relationship()
    person: Mapped[Person] = relationship()
    __table_args__ = (UniqueConstraint("course_id", "person_id",
                                       name="uq_enrolment_course_person"),)


class Attendance(Base):
    """Hours attended: one row per session, or one row with no date for a recorded total."""

    __tablename__ = "attendance"
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    session_date: Mapped[dt.date | None] = mapped_column(Date)
    hours: Mapped[float]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class TrainingFollowUp(Versioned, Base):
    """The outcome 3, 6 or 12 months after the course ended, scheduled at completion."""

    __tablename__ = "training_follow_up"
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    employed: Mapped[bool | None]
    employer: Mapped[str | None] = mapped_column(String(100))
    job_field: Mapped[str | None] = mapped_column(String(40))
    monthly_wage: Mapped[int | None] = mapped_column(Integer)
    contract_months: Mapped[int | None] = mapped_column(Integer)
    social_insurance: Mapped[bool | None]
    self_employed: Mapped[bool | None]
    with_loan: Mapped[bool | None]
    enrolment: Mapped[Enrolment] = relationship()


class JobPosting(Versioned, Base):
    """A job developed in the community (社区就业岗位): open, filled or closed."""

    __tablename__ = "job_posting"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(40))  # one of the notice's ten community fields
    investor_kind: Mapped[str] = mapped_column(String(20))  # street, community, project, ...
    investor_name: Mapped[str] = mapped_column(String(100))
    # A new community service project or new enterprise: the job-development subsidy's payee.
    investor_new: Mapped[bool] = mapped_column(default=False)
    # The street or community that invested: the subsidy's payee and the posting's scope.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    occupation: Mapped[str] = mapped_column(String(40))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    monthly_wage: Mapped[int] = mapped_column(Integer)
    contract_months: Mapped[int] = mapped_column(Integer)
    openings: Mapped[int] = mapped_column(Integer)
    public_welfare: Mapped[bool] = mapped_column(default=False)
    contact: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), index=True)  # open, filled, closed
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    unit: Mapped[OrgUnit] = relationship()


class DemandNotice(Base):
    """A community service-demand notice for the public board (e.g. 'home help wanted')."""

    __tablename__ = "demand_notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    unit: Mapped[OrgUnit] = relationship()


class Referral(Versioned, Base):
    """A jobseeker referred to a posting, with the fit shown at the time and the outcome."""

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("job_posting.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    referred_on: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[float]
    factors: Mapped[dict] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(20))  # pending, hired, declined, rejected, ...
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    posting: Mapped[JobPosting] = relationship()
    person: Mapped[Person] = relationship()
    __table_args__ = (UniqueConstraint("posting_id", "person_id",
                                       name="uq_referral_posting_person"),)


class Placement(Versioned, Base):
    """A person placed in a job: the record subsidies, progress and evaluation count."""

    __tablename__ = "placement"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("job_posting.id"), index=True)
    employer: Mapped[str] = mapped_column(String(100))
    # The investing body (street or community) that receives the job-development subsidy.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    contract_months: Mapped[int] = mapped_column(Integer)
    monthly_wage: Mapped[int] = mapped_column(Integer)
    social_insurance: Mapped[bool] = mapped_column(default=False)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    hardship: Mapped[bool] = mapped_column(default=False)  # hardship group at placement
    policy_placement: Mapped[bool] = mapped_column(default=False)  # 政策性安置
    personnel_file_number: Mapped[str | None] = mapped_column(String(40))
    personnel_file_opened: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    person: Mapped[Person] = relationship()
    unit: Mapped[OrgUnit] = relationship()


class InsuranceContribution(Base):
    """One month of social insurance for a placement: when it fell due, when it was paid."""

    __tablename__ = "insurance_contribution"
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    __table_args__ = (UniqueConstraint("placement_id", "due_on",
                                       name="uq_insurance_contribution_placement_due"),)


class SubsidyClaim(Versioned, Base):
    """A placement subsidy: job development (500 yuan) or differential purchase, claimed →
    reviewed → approved → paid, or refused at a step."""

    __tablename__ = "subsidy_claim"
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # job_development, differential_purchase
    amount: Mapped[int] = mapped_column(Integer)  # yuan in total
    monthly_amount: Mapped[int | None] = mapped_column(Integer)
    months: Mapped[int | None] = mapped_column(Integer)
    payee_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    funding_level: Mapped[str] = mapped_column(String(10))  # city, district, street
    status: Mapped[str] = mapped_column(String(10), index=True)
    claimed_on: Mapped[dt.date] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[list] = mapped_column(JSON, default=list)
    policy_version: Mapped[str] = mapped_column(String(40))
    # Set when the placement ended within policy.toml [subsidy] recovery_within_months.
    recovery_flagged_on: Mapped[dt.date | None] = mapped_column(Date)
    recovery_reason: Mapped[str | None] = mapped_column(Text)
    placement: Mapped[Placement] = relationship()


class Loan(Versioned, Base):
    """A small guaranteed loan application (小额担保贷款) and, once approved, its repayment."""

    __tablename__ = "loan"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    term_months: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(30))
    project_kind: Mapped[str | None] = mapped_column(String(30))
    micro_profit: Mapped[bool] = mapped_column(default=False)  # 微利项目: full interest subsidy
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("preferential_certificate.id"))
    business_plan: Mapped[str | None] = mapped_column(Text)
    annual_rate: Mapped[float]
    interest_subsidy: Mapped[int] = mapped_column(Integer)  # yuan over the term
    status: Mapped[str] = mapped_column(String(30), index=True)  # last step taken, or refused
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[list] = mapped_column(JSON, default=list)
    policy_version: Mapped[str] = mapped_column(String(40))
    person: Mapped[Person] = relationship()


class StepRecord:
    """The columns of one step of an application that passes fixed steps (a loan, a subsidy
    claim): which step, approved or refused, why, who in which role, and when."""

    step: Mapped[str] = mapped_column(String(30))
    approved: Mapped[bool]
    remark: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    role: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoanStep(StepRecord, Base):
    """One step of a loan's five: who took it, when, approved or refused, and why."""

    __tablename__ = "loan_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id"), index=True)
    __table_args__ = (UniqueConstraint("loan_id", "step", name="uq_loan_step_loan_step"),)


class LoanRepayment(Base):
    """One instalment of an approved loan; overdue when unpaid after its due date."""

    __tablename__ = "loan_repayment"
    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_due: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    amount_paid: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class SubsidyStep(StepRecord, Base):
    """One step of a subsidy claim, like LoanStep: who, when, approved or refused, and why."""

    __tablename__ = "subsidy_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("subsidy_claim.id"), index=True)
    __table_args__ = (UniqueConstraint("claim_id", "step", name="uq_subsidy_step_claim_step"),)


class PlacementTarget(Base):
    """A yearly placement target an administrator set for a unit (else split by the rule)."""

    __tablename__ = "placement_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    placements: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_placement_target_unit_year"),)


# The notice's further records live in a module of their own; importing it here puts them in
# this metadata.
from casework.db import models_notice  # noqa: E402,F401
