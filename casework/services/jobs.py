"""Jobs developed in the community: postings, service-demand notices, matching and referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from casework import access, matching, validation, vocab
from casework.access import Actor
from casework.db.models import (
    DemandNotice,
    EmploymentStatus,
    JobPosting,
    OrgUnit,
    Person,
    Placement,
    Referral,
)
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message
from casework.policy import JOBSEEKERS, load_policy
from casework.services import audit, scope
from casework.services.uow import UnitOfWork

# Latest statuses that make a registered person a jobseeker still looking for work.
LOOKING = ("unemployed", "in_training")
TEXT_LIMITS = {"title": 100, "investor_name": 100, "contact": 200, "description": 2000}


class AlreadyReferred(CaseworkError):
    key = "jobs.already_referred"


@dataclass(frozen=True)
class PostingRow:
    id: int
    title: str
    field: str
    occupation: str
    skills: tuple[str, ...]
    investor_kind: str
    investor_name: str
    unit_id: int
    unit_name_zh: str
    unit_name_en: str
    monthly_wage: int
    contract_months: int
    openings: int
    placed: int
    public_welfare: bool
    contact: str | None
    description: str | None
    status: str
    opened_on: dt.date
    version: int
    investor_new: bool = False  # a newly opened project or enterprise (the subsidy's test)

    def unit_name(self, lang: str) -> str:
        return self.unit_name_zh if lang == "zh" else self.unit_name_en


@dataclass(frozen=True)
class Match:
    """A ranked pairing of a person and a posting, with every factor of the score."""

    person_id: int
    name: str | None
    posting_id: int
    posting_title: str
    community_zh: str
    community_en: str
    score: float
    factors: dict[str, float]


def create_posting(actor: Actor, uow: UnitOfWork, *, values: Mapping,
                   today: dt.date | None = None) -> int:
    """Post a job for a street or community in the actor's area; it opens at once."""
    with uow:
        unit = validation.fetch(uow.session, OrgUnit, values.get("unit_id"))
        if not access.may(actor, "post_jobs", unit.path if unit else None):
            raise audit.deny(uow, actor, action="create_posting", entity="job_posting")
        posting = JobPosting(**clean_posting(values, unit), status="open",
                             opened_on=today or uow.today(), created_by=actor.staff_id)
        audit.add(uow, actor, posting, action="create_posting")
        uow.commit()
        return posting.id


def clean_posting(values: Mapping, unit: OrgUnit | None) -> dict:
    """Check a posting's fields; raises ValidationError with a message per field."""
    errors: dict[str, Message] = {}
    out: dict = {}
    for name, limit in TEXT_LIMITS.items():
        out[name] = validation.text(values, name, errors, max_len=limit,
                                    required=name in ("title", "investor_name"))
    for name, allowed in (("field", vocab.COMMUNITY_FIELDS), ("occupation", vocab.occupations()),
                          ("investor_kind", vocab.INVESTOR_KINDS)):
        out[name] = validation.choice(values, name, errors, allowed, required=True)
    out["skills"] = validation.choices(values, "skills", errors, vocab.skills())
    for name, low in (("monthly_wage", 1), ("contract_months", 1), ("openings", 1)):
        out[name] = values.get(name)
        if not isinstance(out[name], int) or isinstance(out[name], bool) or out[name] < low:
            errors[name] = Message("training.at_least", low=low)
        else:
            validation.whole(values, name, errors, low=low)
    for name in ("public_welfare", "investor_new"):
        out[name] = values.get(name) or False
        if not isinstance(out[name], bool):
            errors[name] = Message("validation.not_a_choice")
    # New projects and enterprises draw the job-development subsidy (money rule 2); a street's
    # or community's own office is never "new".
    if out["investor_new"] and out["investor_kind"] in ("street", "community"):
        errors["investor_new"] = Message("jobs.investor_new_kind")
    if unit is None or unit.level not in ("street", "community"):
        errors["unit_id"] = Message("jobs.choose_unit")
    if errors:
        raise ValidationError(errors)
    return out | {"unit_id": unit.id}


def set_status(actor: Actor, uow: UnitOfWork, *, posting_id: int, expected_version: int,
               status: str, today: dt.date | None = None) -> int:
    """Open, fill or close a posting; returns its new version."""
    (status,) = validation.args(status=("choice", status))
    if status not in vocab.POSTING_STATUSES:
        raise ValidationError({"status": Message("form.bad_choice")})
    with uow:
        posting = scope.record(uow, JobPosting, posting_id, expected_version)
        if not access.may(actor, "post_jobs", posting.unit.path):
            raise audit.deny(uow, actor, action="posting_status", entity="job_posting",
                             entity_id=posting_id)
        before = audit.snapshot(posting)
        posting.status = status
        posting.closed_on = None if status == "open" else (today or uow.today())
        audit.changed(uow, actor, posting, action=f"posting_{status}", before=before)
        uow.commit()
        return posting.version


def postings(actor: Actor, uow: UnitOfWork, *, status: str | None = None) -> list[PostingRow]:
    """Postings of the actor's area and of the units above it (a worker sees the street's)."""
    with uow:
        if not access.may(actor, "read_postings"):
            raise audit.deny(uow, actor, action="read_postings", entity="job_posting")
        query = select(JobPosting).join(OrgUnit, JobPosting.unit_id == OrgUnit.id)
        if status:
            query = query.where(JobPosting.status == status)
        rows = [p for p in uow.session.scalars(query.order_by(JobPosting.opened_on.desc(),
                                                              JobPosting.id.desc()))
                if access.may(actor, "read_postings", p.unit.path)]
        return _rows(uow, rows)


def public_postings(uow: UnitOfWork, *, field: str | None = None, street_id: int | None = None
                    ) -> list[PostingRow]:
    """Open postings for the public board: no login, and nothing about any person."""
    with uow:
        query = select(JobPosting).where(JobPosting.status == "open")
        if field:
            query = query.where(JobPosting.field == field)
        rows = uow.session.scalars(query.order_by(JobPosting.opened_on.desc(), JobPosting.id))
        if street_id:
            street = validation.fetch(uow.session, OrgUnit, street_id)
            rows = [p for p in rows if street and p.unit.path.startswith(street.path)]
        return _rows(uow, list(rows))


def _rows(uow: UnitOfWork, found: list[JobPosting]) -> list[PostingRow]:
    placed = dict(uow.session.execute(
        select(Placement.posting_id, func.count(Placement.id))
        .where(Placement.posting_id.in_([p.id for p in found]))
        .group_by(Placement.posting_id)).all())
    return [PostingRow(p.id, p.title, p.field, p.occupation, tuple(p.skills), p.investor_kind,
                       p.investor_name, p.unit_id, p.unit.name_zh, p.unit.name_en,
                       p.monthly_wage, p.contract_months, p.openings, placed.get(p.id, 0),
                       p.public_welfare, p.contact, p.description, p.status, p.opened_on,
                       p.version, p.investor_new) for p in found]


@dataclass(frozen=True)
class NoticeRow:
    id: int
    field: str
    title: str
    body: str | None
    unit_name_zh: str
    unit_name_en: str
    published_on: dt.date
    closes_on: dt.date | None

    def unit_name(self, lang: str) -> str:
        return self.unit_name_zh if lang == "zh" else self.unit_name_en


def publish_notice(actor: Actor, uow: UnitOfWork, *, values: Mapping,
                   today: dt.date | None = None) -> int:
    """A community service window publishes a service-demand notice on the public board."""
    today = today or uow.today()
    with uow:
        unit = validation.fetch(uow.session, OrgUnit, values.get("unit_id"))
        if not access.may(actor, "post_jobs", unit.path if unit else None):
            raise audit.deny(uow, actor, action="publish_notice", entity="demand_notice")
        errors: dict[str, Message] = {}
        title = validation.text(values, "title", errors, max_len=100, required=True)
        validation.choice(values, "field", errors, vocab.COMMUNITY_FIELDS, required=True)
        body = validation.text(values, "body", errors)
        if unit is None or unit.level not in ("street", "community"):
            errors["unit_id"] = Message("jobs.choose_unit")
        closes = validation.date(values, "closes_on", errors)
        if closes and closes < today:
            errors["closes_on"] = Message("jobs.closes_in_past")
        if errors:
            raise ValidationError(errors)
        notice = DemandNotice(unit_id=unit.id, field=values["field"], title=title,
                              body=body,
                              published_on=today, closes_on=closes, created_by=actor.staff_id)
        audit.add(uow, actor, notice, action="publish_notice")
        uow.commit()
        return notice.id


def public_notices(uow: UnitOfWork, *, today: dt.date | None = None, field: str | None = None,
                   street_id: int | None = None) -> list[NoticeRow]:
    today = today or uow.today()
    with uow:
        street = validation.fetch(uow.session, OrgUnit, street_id) if street_id else None
        rows = uow.session.scalars(select(DemandNotice).order_by(DemandNotice.published_on.desc()))
        return [NoticeRow(n.id, n.field, n.title, n.body, n.unit.name_zh, n.unit.name_en,
                          n.published_on, n.closes_on) for n in rows
                if (n.closes_on is None or n.closes_on >= today)
                and (field is None or n.field == field)
                and (street is None or n.unit.path.startswith(street.path))]


def jobseekers(uow: UnitOfWork, actor: Actor) -> list[Person]:
    """Registered laid-off or unemployed people in scope whose latest status is still looking."""
    latest = (select(EmploymentStatus.person_id, func.max(EmploymentStatus.id).label("last"))
              .group_by(EmploymentStatus.person_id).subquery())
    status = (select(latest.c.person_id, EmploymentStatus.status)
              .join(EmploymentStatus, EmploymentStatus.id == latest.c.last).subquery())
    query = (select(Person).join(OrgUnit, Person.community_id == OrgUnit.id)
             .outerjoin(status, status.c.person_id == Person.id)
             .where(OrgUnit.path.startswith(actor.unit_path), Person.category.in_(JOBSEEKERS),
                    (status.c.status.is_(None)) | status.c.status.in_(LOOKING)))
    return list(uow.session.scalars(query.order_by(Person.id)))


def _match(policy, posting: JobPosting, person: Person, hardship: bool, actor: Actor) -> Match:
    words = (posting.occupation, *vocab.occupations().get(posting.occupation, ()), posting.title)
    fit = matching.fit(policy, required_skills=posting.skills, job_words=words,
                       posting_path=posting.unit.path, person_skills=person.skills or (),
                       wishes=person.job_wishes, person_path=person.community.path,
                       hardship=hardship)
    return Match(person.id, person.name if actor.sees_identities else None, posting.id,
                 posting.title, person.community.name_zh, person.community.name_en, fit.score,
                 fit.factors)


def candidates(actor: Actor, uow: UnitOfWork, *, posting_id: int, limit: int = 50
               ) -> list[Match]:
    """Jobseekers in the actor's area ranked by fit to the posting, best first."""
    policy = load_policy()
    with uow:
        posting = scope.record(uow, JobPosting, posting_id)
        if not access.in_line(actor, posting.unit.path):
            raise audit.deny(uow, actor, action="match", entity="job_posting",
                             entity_id=posting_id)
        hardship = scope.aid_targeted_people(uow)
        found = [_match(policy, posting, p, p.id in hardship, actor)
                 for p in jobseekers(uow, actor)]
        return sorted(found, key=lambda m: (-m.score, m.person_id))[:limit]


def postings_for_person(actor: Actor, uow: UnitOfWork, *, person_id: int, limit: int = 20
                        ) -> list[Match]:
    """Open postings the person could be referred to, ranked by fit, best first."""
    policy = load_policy()
    with uow:
        person = scope.person(actor, uow, person_id, action="match")
        hardship = scope.aid_targeted(uow, person_id)
        open_ = uow.session.scalars(select(JobPosting).where(JobPosting.status == "open"))
        found = [_match(policy, p, person, hardship, actor) for p in open_
                 if access.in_line(actor, p.unit.path)]
        return sorted(found, key=lambda m: (-m.score, m.posting_id))[:limit]


def refer(actor: Actor, uow: UnitOfWork, *, posting_id: int, person_id: int,
          today: dt.date | None = None) -> int:
    """Refer a person to an open posting; the fit shown at the time is kept with it."""
    policy = load_policy()
    with uow:
        posting = scope.record(uow, JobPosting, posting_id)
        person = scope.person(actor, uow, person_id, action="refer")
        if not access.in_line(actor, posting.unit.path):
            raise audit.deny(uow, actor, action="refer", entity="job_posting",
                             entity_id=posting_id)
        if posting.status != "open":
            raise ValidationError({"posting_id": Message("jobs.posting_not_open")})
        if uow.session.scalar(select(Referral.id).where(Referral.posting_id == posting_id,
                                                        Referral.person_id == person_id)):
            raise AlreadyReferred()
        match = _match(policy, posting, person, scope.aid_targeted(uow, person_id), actor)
        referral = Referral(posting_id=posting_id, person_id=person_id,
                            referred_on=today or uow.today(), score=match.score,
                            factors=match.factors, outcome="pending", staff_id=actor.staff_id)
        audit.add(uow, actor, referral, action="refer")
        uow.commit()
        return referral.id


@dataclass(frozen=True)
class ReferralRow:
    id: int
    posting_id: int
    posting_title: str
    person_id: int
    name: str | None
    referred_on: dt.date
    score: float
    factors: dict
    outcome: str
    version: int


def referrals(actor: Actor, uow: UnitOfWork, *, posting_id: int | None = None,
              person_id: int | None = None) -> list[ReferralRow]:
    with uow:
        query = scope.in_area(select(Referral), Referral.person_id, actor).options(
            selectinload(Referral.person), selectinload(Referral.posting)).order_by(
            Referral.referred_on.desc(), Referral.id.desc())
        if posting_id:
            query = query.where(Referral.posting_id == posting_id)
        if person_id:
            query = query.where(Referral.person_id == person_id)
        return [ReferralRow(r.id, r.posting_id, r.posting.title, r.person_id,
                            r.person.name if actor.sees_identities else None, r.referred_on,
                            r.score, r.factors, r.outcome, r.version)
                for r in uow.session.scalars(query)]


def record_outcome(actor: Actor, uow: UnitOfWork, *, referral_id: int, expected_version: int,
                   outcome: str, on: dt.date | None = None) -> int:
    """What came of a referral: hired, declined, not taken, did not start."""
    outcome, on = validation.args(outcome=("choice", outcome), outcome_on=("date", on))
    if outcome not in vocab.REFERRAL_OUTCOMES:
        raise ValidationError({"outcome": Message("form.bad_choice")})
    with uow:
        referral = scope.record(uow, Referral, referral_id, expected_version)
        scope.person(actor, uow, referral.person_id, action="referral_outcome")
        before = audit.snapshot(referral)
        referral.outcome, referral.outcome_on = outcome, on or uow.today()
        audit.changed(uow, actor, referral, action="referral_outcome", before=before)
        uow.commit()
        return referral.version
