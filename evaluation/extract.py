"""De-identified research extracts: the only place where analyses read the database.

``write_extract`` reads the ledger into plain frames (``_ledger``), hands them to
``evaluation.release`` (months, keyed pseudonyms, k-anonymity, linkage protections; what each
column gets is ``evaluation.release_policy``), writes the Parquet files, the data dictionary and
a manifest, and logs the release with its purpose in the audit trail. The key stays in memory
(or, for a longitudinal release, under data/extract-keys/): never in the folder or the log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from sqlalchemy import Text, func, select, type_coerce

from casework import access, money
from casework.access import Actor
from casework.db import models as m
from casework.errors import ValidationError
from casework.i18n import Message
from casework.policy import load_policy
from casework.services import audit, releases
from casework.services.uow import UnitOfWork
from evaluation import atomic_folder
from evaluation.dictionary import dictionary_json
from evaluation.keys import ReleaseKey, fresh_key, named_key, pseudonym
from evaluation.loading import Extract, load_extract
from evaluation.release import build_release
from evaluation.release_policy import TABLES

__all__ = ["TABLES", "Extract", "ExtractSummary", "load_extract", "pseudonym", "write_extract"]


@dataclass(frozen=True)
class ExtractSummary:
    folder: Path
    rows: dict[str, int]
    k_reached: dict[str, int]
    coarsened: dict[str, dict[str, int]]
    suppressed: dict[str, int]


def write_extract(actor: Actor, uow: UnitOfWork, *, out: Path, purpose: str, k: int = 5,
                  as_of: dt.date | None = None, longitudinal: str | None = None,
                  reason: str | None = None,
                  on_step: Callable[[str], None] | None = None) -> ExtractSummary:
    """Write a release of the ledger to ``out`` and log it with ``purpose``.

    ``as_of`` (default today) ends the observation: overdue instalments and the spells still
    going on are counted on it. Each release gets a fresh pseudonym key, so two releases do not
    join; ``longitudinal`` names a kept key instead (a longitudinal study), and then
    ``reason`` must say why. ``on_step(name)``, if given, is told as each step begins:
    ``"read"`` the ledger, ``"rules"`` the release rules, ``"anonymity"`` k-anonymity and
    ``"write"`` the files and the log (a page shows it while the release is written).
    """
    step = on_step or (lambda _name: None)
    as_of = as_of or uow.today()
    key = _key(purpose, longitudinal, reason)
    _check_out(out)
    atomic_folder.sweep(out)
    with uow:
        if not access.may(actor, "write_extract"):
            raise audit.deny(uow, actor, action=releases.ACTION, entity=releases.ENTITY)
        step("read")
        ledger = _ledger(uow, as_of)
        step("rules")
        release = build_release(ledger, key, k=k, as_of=as_of, on_step=step)
        manifest = {"written": dt.datetime.now(dt.UTC).isoformat(), "by": actor.username,
                    "as_of": as_of.isoformat(), "k": k, "longitudinal": key.name,
                    **release.report()}
        step("write")
        audit.record(uow, actor, action=releases.ACTION, entity=releases.ENTITY,
                     after=manifest | {"purpose": purpose.strip(), "reason": reason,
                                       "folder": str(out)})
        uow.session.flush()
        # The folder takes its place before the log row commits: a crash in between leaves
        # the complete folder unlogged, never a logged release whose folder is absent.
        atomic_folder.replace(out, write=partial(_write_files, release=release,
                                                 manifest=manifest), then=uow.commit)
    return ExtractSummary(out, manifest["rows"], release.k_reached, release.coarsened,
                          release.suppressed)


def _check_out(out: Path) -> None:
    if not atomic_folder.may_replace(out):
        raise ValidationError({"out": Message("extract_folder.not_an_extract", folder=out)})


def _write_files(folder: Path, release, manifest: dict) -> None:
    for name in TABLES:
        release.tables[name].to_parquet(folder / f"{name}.parquet", index=False)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    (folder / "dictionary.json").write_text(json.dumps(dictionary_json(), ensure_ascii=False,
                                                       indent=2), "utf-8")


def _key(purpose: str, longitudinal: str | None, reason: str | None) -> ReleaseKey:
    errors = {}
    if not (purpose or "").strip():
        errors["purpose"] = Message("releases.purpose_required")
    if longitudinal is not None and not (reason or "").strip():
        errors["reason"] = Message("releases.reason_required")
    if errors:
        raise ValidationError(errors)
    if longitudinal is None:
        return fresh_key()
    try:
        return named_key(longitudinal)
    except ValueError:
        raise ValidationError({"longitudinal": Message("releases.bad_key_name",
                                                       name=longitudinal)}) from None


def _ledger(uow: UnitOfWork, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """The ledger's rows as the release starts from them: ledger ids, exact dates."""
    s = uow.session
    units = {u.id: u for u in s.scalars(select(m.OrgUnit))}
    # Plain rows through the session's connection (Core): the ORM's result handling doubled
    # the time of reading 1.7 million status rows. Same transaction, same values.
    c = s.connection()
    return {"persons": _persons(c, units), "employment": _employment(c),
            "courses": _courses(s, units), "enrolments": _enrolments(c),
            "follow_ups": _follow_ups(c), "visits": _visits(c),
            "placements": _placements(c, units), "subsidies": _subsidies(c, units),
            "loans": _loans(s, c, as_of)}


def _street_and_district(units: dict, unit_id: int) -> tuple[str, str]:
    """The street of a community (or the street itself) and its district."""
    unit = units[unit_id]
    street = unit if unit.level == "street" else units[unit.parent_id]
    return street.code, units[street.parent_id].code


def _persons(s, units) -> pd.DataFrame:
    hardship = set(s.scalars(select(m.HardshipHousehold.person_id).where(
        m.HardshipHousehold.registered_on.is_not(None))))
    P = m.Person
    frame = pd.DataFrame(s.execute(select(
        P.id, P.sex, P.birth_date, P.education, P.category, P.community_id, P.registered_on,
        P.out_of_work_since, P.prior_wage)).all(), columns=[
        "person_id", "sex", "birth_date", "education", "category", "community",
        "registered_on", "out_of_work_since", "prior_wage"])
    # A community's street and district, found once per community (not per person).
    places = {c: _street_and_district(units, c) for c in frame["community"].unique()}
    frame.insert(5, "district", frame["community"].map({c: d for c, (_s, d) in places.items()}))
    frame.insert(6, "street", frame.pop("community").map({c: s for c, (s, _d) in
                                                          places.items()}))
    return frame.assign(hardship=frame["person_id"].isin(hardship))


def _employment(s) -> pd.DataFrame:
    E = m.EmploymentStatus
    rows = s.execute(select(E.id, E.person_id, E.status, E.since, E.monthly_wage)).all()
    return pd.DataFrame(rows, columns=["id", "person_id", "status", "since", "monthly_wage"])


def _courses(s, units) -> pd.DataFrame:
    rows = [{"course_id": c.id, "occupation": c.occupation, "kind": c.kind,
             "street": units[c.street_id].code,
             "district": units[units[c.street_id].parent_id].code,
             "start_date": c.start_date, "end_date": c.end_date, "hours": c.hours,
             "capacity": c.capacity, "cost_per_trainee": c.cost_per_trainee,
             "funding_source": c.funding_source}
            for c in s.scalars(select(m.Course))]
    return pd.DataFrame(rows, columns=["course_id", "occupation", "kind", "street", "district",
                                       "start_date", "end_date", "hours", "capacity",
                                       "cost_per_trainee", "funding_source"])


def _enrolments(s) -> pd.DataFrame:
    hours = dict(s.execute(select(m.Attendance.enrolment_id, func.sum(m.Attendance.hours))
                           .group_by(m.Attendance.enrolment_id)).all())
    E = m.Enrolment
    rows = [{"enrolment_id": e.id, "course_id": e.course_id, "occupation": e.occupation,
             "kind": e.kind, "person_id": e.person_id, "status": e.status,
             "applied_on": e.applied_on, "completed_on": e.completed_on,
             "dropped_on": e.dropped_on, "dropout_reason": e.dropout_reason,
             "hours_attended": float(hours.get(e.id, 0) or 0),
             "certificate": e.certificate_number is not None}
            for e in s.execute(select(E.id, E.course_id, m.Course.occupation, m.Course.kind,
                                      E.person_id, E.status, E.applied_on, E.completed_on,
                                      E.dropped_on, E.dropout_reason, E.certificate_number)
                               .join(m.Course)).all()]
    return pd.DataFrame(rows, columns=["enrolment_id", "course_id", "occupation", "kind",
                                       "person_id", "status", "applied_on", "completed_on",
                                       "dropped_on", "dropout_reason", "hours_attended",
                                       "certificate"])


def _follow_ups(s) -> pd.DataFrame:
    F = m.TrainingFollowUp
    rows = [{"enrolment_id": f.enrolment_id, "person_id": f.person_id, "months": f.months,
             "due_on": f.due_on, "recorded_on": f.recorded_on, "employed": f.employed,
             "job_field": f.job_field, "monthly_wage": f.monthly_wage,
             "contract_months": f.contract_months, "social_insurance": f.social_insurance,
             "self_employed": f.self_employed, "with_loan": f.with_loan}
            for f in s.execute(select(F.enrolment_id, m.Enrolment.person_id, F.months, F.due_on,
                                      F.recorded_on, F.employed, F.job_field, F.monthly_wage,
                                      F.contract_months, F.social_insurance, F.self_employed,
                                      F.with_loan).join(m.Enrolment))]
    return pd.DataFrame(rows, columns=["enrolment_id", "person_id", "months", "due_on",
                                       "recorded_on", "employed", "job_field", "monthly_wage",
                                       "contract_months", "social_insurance", "self_employed",
                                       "with_loan"])


def _visits(s) -> pd.DataFrame:
    V = m.HomeVisit
    # The JSON columns read as text and decoded here: SQLAlchemy's JSON type made reading
    # 700,000 visits 2.7 times slower. (PostgreSQL's driver hands them over decoded.)
    rows = [{"person_id": person_id, "visit_date": visit_date,
             "income_change": income_change, "needs": ",".join(_json(needs)),
             "services": ",".join(_json(services)), "members_employed": sum(
                 x["status"] != "unemployed" for x in _json(status)),
             "next_visit_date": next_visit_date}
            for person_id, visit_date, income_change, needs, services, status, next_visit_date
            in s.execute(select(m.HardshipHousehold.person_id, V.visit_date,
                                V.income_change, *(type_coerce(c, Text) for c in (
                                    V.needs, V.services, V.employment_status)),
                                V.next_visit_date).join(m.HardshipHousehold))]
    return pd.DataFrame(rows, columns=["person_id", "visit_date", "income_change", "needs",
                                       "services", "members_employed", "next_visit_date"])


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _placements(s, units) -> pd.DataFrame:
    policy = load_policy()
    C = m.InsuranceContribution
    months = pd.DataFrame(s.execute(select(C.placement_id, C.due_on, C.paid_on).where(
        C.paid_on.is_not(None))).all(), columns=["placement_id", "due_on", "paid_on"])
    # Late or not, decided once per (due, paid) pair of days, not once per month paid.
    pairs = months[["due_on", "paid_on"]].drop_duplicates()
    late_pair = {(due, paid_on): money.paid_late(policy, money.Contribution(due, paid_on),
                                                 today=paid_on)
                 for due, paid_on in zip(pairs["due_on"], pairs["paid_on"], strict=True)}
    months["late"] = [late_pair[pair] for pair in zip(months["due_on"], months["paid_on"],
                                                        strict=True)]
    counts = months.groupby("placement_id")["late"].agg(["size", "sum"])
    paid = dict(zip(counts.index, counts["size"].astype(int), strict=True))
    late = dict(zip(counts.index, counts["sum"].astype(int), strict=True))
    rows = []
    P = m.Placement
    for p in s.execute(select(P.id, P.person_id, P.start_date, P.contract_months,
                              P.monthly_wage, P.social_insurance, P.enrolment_id,
                              P.referral_id, P.hardship, P.policy_placement, P.unit_id,
                              P.personnel_file_number)):
        street, district = _street_and_district(units, p.unit_id)
        rows.append({"placement_id": p.id, "person_id": p.person_id,
                     "start_date": p.start_date, "contract_months": p.contract_months,
                     "monthly_wage": p.monthly_wage, "social_insurance": p.social_insurance,
                     "insurance_months_paid": paid.get(p.id, 0),
                     "insurance_months_late": late.get(p.id, 0),
                     "followed_course": p.enrolment_id is not None,
                     "enrolment_id": p.enrolment_id, "via_referral": p.referral_id is not None,
                     "hardship": p.hardship, "policy_placement": p.policy_placement,
                     "street": street, "district": district,
                     "personnel_file": p.personnel_file_number is not None})
    return pd.DataFrame(rows, columns=[
        "placement_id", "person_id", "start_date", "contract_months", "monthly_wage",
        "social_insurance", "insurance_months_paid", "insurance_months_late",
        "followed_course", "enrolment_id", "via_referral", "hardship", "policy_placement",
        "street", "district", "personnel_file"])


def _subsidies(s, units) -> pd.DataFrame:
    rows = []
    C = m.SubsidyClaim
    for c in s.execute(select(C.id, C.placement_id, m.Placement.person_id, C.kind, C.amount,
                              C.funding_level, C.status, C.claimed_on, C.paid_on,
                              C.payee_unit_id).join(m.Placement)).all():
        street, district = _street_and_district(units, c.payee_unit_id)
        rows.append({"claim_id": c.id, "placement_id": c.placement_id,
                     "person_id": c.person_id,
                     "kind": c.kind, "amount": c.amount, "funding_level": c.funding_level,
                     "status": c.status, "claimed_on": c.claimed_on, "paid_on": c.paid_on,
                     "street": street, "district": district})
    return pd.DataFrame(rows, columns=["claim_id", "placement_id", "person_id", "kind",
                                       "amount", "funding_level", "status", "claimed_on",
                                       "paid_on", "street", "district"])


def _loans(s, c, as_of: dt.date) -> pd.DataFrame:
    counts: dict[int, list[int]] = {}  # loan id: [instalments, paid, overdue]
    R = m.LoanRepayment
    for r in c.execute(select(R.loan_id, R.due_on, R.paid_on)):
        count = counts.setdefault(r.loan_id, [0, 0, 0])
        count[0] += 1
        count[1] += r.paid_on is not None
        count[2] += r.paid_on is None and r.due_on < as_of
    rows = [{"loan_id": loan.id, "person_id": loan.person_id, "amount": loan.amount,
             "term_months": loan.term_months, "interest_subsidy": loan.interest_subsidy,
             "status": loan.status, "applied_on": loan.applied_on,
             "approved": loan.status == money.LOAN_STEPS[-1],
             **dict(zip(("instalments", "instalments_paid", "instalments_overdue"),
                        counts.get(loan.id, [0, 0, 0]), strict=True))}
            for loan in s.scalars(select(m.Loan))]
    return pd.DataFrame(rows, columns=["loan_id", "person_id", "amount", "term_months",
                                       "interest_subsidy", "status", "applied_on", "approved",
                                       "instalments", "instalments_paid",
                                       "instalments_overdue"])
