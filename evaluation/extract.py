"""De-identified research extracts: the only place where analyses read the database.

People are keyed by a salted pseudonym (the salt stays outside the extract); names, ID numbers,
phones, addresses, employers, file numbers and free text are left out; birth dates become ages;
communities become streets; and the quasi-identifiers (age band, sex, street, education) are
made k-anonymous. A street in the placements, subsidies and loans tables is withheld wherever
the person's own street was coarsened, since it would give that street back. So is anything that
would tie such a person's enrolments to a course row (people take courses in their own street,
and a course row names its street): the course number, the dates and hours that echo the
course's, and the subject and kind where they are offered by a single street of the district.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select

from casework import money, settings
from casework.access import Actor
from casework.db import models as m
from casework.policy import load_policy
from casework.services import audit
from casework.services.uow import UnitOfWork
from evaluation.anonymity import QUASI_IDENTIFIERS, make_k_anonymous
from evaluation.dictionary import DICTIONARY
from evaluation.linkage import unlink_courses, withhold_streets

EXTRACTORS = ("researcher", "city_officer")
TABLES = ("persons", "employment", "courses", "enrolments", "follow_ups", "visits",
          "placements", "subsidies", "loans")
AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 120))


@dataclass(frozen=True)
class ExtractSummary:
    folder: Path
    rows: dict[str, int]
    coarsened: int
    suppressed: int


def salt() -> bytes:
    """The pseudonym key: ``CASEWORK_EXTRACT_SALT`` (hex), or a file under data/ made once."""
    if os.environ.get("CASEWORK_EXTRACT_SALT"):
        return bytes.fromhex(os.environ["CASEWORK_EXTRACT_SALT"])
    path = settings.data_dir() / "extract-salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), "utf-8")
        path.chmod(0o600)
    return bytes.fromhex(path.read_text("utf-8").strip())


def pseudonym(key: bytes, person_id: int) -> str:
    return hmac.new(key, f"person:{person_id}".encode(), hashlib.sha256).hexdigest()[:16]


def write_extract(actor: Actor, uow: UnitOfWork, *, out: Path, k: int = 5,
                  as_of: dt.date | None = None) -> ExtractSummary:
    """Write the Parquet files, the data dictionary and a manifest; log who, when, how much.

    ``as_of`` (default today) is the date overdue loan instalments are counted on; the
    manifest records it.
    """
    if k < 2:
        raise ValueError("k must be at least 2 for k-anonymity to mean anything.")
    as_of = as_of or dt.date.today()
    with uow:
        if actor.role not in EXTRACTORS:
            raise audit.deny(uow, actor, action="extract", entity="extract")
        frames = _frames(uow, salt(), as_of)
        frames["persons"], coarsened, suppressed = make_k_anonymous(frames["persons"], k=k)
        withhold_streets(frames)
        unlinked, subjects = unlink_courses(frames, max(as_of, dt.date.today()))
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            frame.to_parquet(out / f"{name}.parquet", index=False)
        rows = {name: len(frame) for name, frame in frames.items()}
        manifest = {"written": dt.datetime.now(dt.UTC).isoformat(), "by": actor.username,
                    "as_of": as_of.isoformat(), "rows": rows, "k": k,
                    "quasi_identifiers": list(QUASI_IDENTIFIERS),
                    "coarsened_rows": coarsened, "suppressed_rows": suppressed,
                    "enrolments_unlinked": unlinked, "enrolment_subjects_withheld": subjects}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
        (out / "dictionary.json").write_text(json.dumps(DICTIONARY, ensure_ascii=False,
                                                        indent=2), "utf-8")
        audit.record(uow, actor, action="extract", entity="extract",
                     after=manifest | {"folder": str(out)})
        uow.commit()
    return ExtractSummary(out, rows, coarsened, suppressed)


def _frames(uow: UnitOfWork, key: bytes, as_of: dt.date) -> dict[str, pd.DataFrame]:
    s = uow.session
    units = {u.id: u for u in s.scalars(select(m.OrgUnit))}
    pid = {p: pseudonym(key, p) for p in s.scalars(select(m.Person.id))}
    return {"persons": _persons(s, units, pid), "employment": _employment(s, pid),
            "courses": _courses(s, units), "enrolments": _enrolments(s, pid),
            "follow_ups": _follow_ups(s, pid), "visits": _visits(s, pid),
            "placements": _placements(s, units, pid), "subsidies": _subsidies(s, units, pid),
            "loans": _loans(s, pid, as_of)}


def _street_and_district(units: dict, unit_id: int) -> tuple[str, str]:
    """The street of a community (or the street itself) and its district."""
    unit = units[unit_id]
    street = unit if unit.level == "street" else units[unit.parent_id]
    return street.code, units[street.parent_id].code


def age_band(age: int) -> str:
    return next(f"{lo}-{hi}" if hi < 120 else f"{lo}+" for lo, hi in AGE_BANDS if age <= hi)


def _persons(s, units, pid) -> pd.DataFrame:
    hardship = set(s.scalars(select(m.HardshipHousehold.person_id).where(
        m.HardshipHousehold.registered_on.is_not(None))))
    rows = []
    for p in s.scalars(select(m.Person).order_by(m.Person.id)):
        street, district = _street_and_district(units, p.community_id)
        age = p.registered_on.year - p.birth_date.year - (
            (p.registered_on.month, p.registered_on.day) < (p.birth_date.month, p.birth_date.day))
        rows.append({"pid": pid[p.id], "sex": p.sex, "age_at_registration": age,
                     "age_band": age_band(max(age, 16)), "education": p.education,
                     "category": p.category, "district": district, "street": street,
                     "registered_on": p.registered_on, "out_of_work_since": p.out_of_work_since,
                     "prior_wage": p.prior_wage, "income_band": p.income_band,
                     "household_members": p.household_members, "dependants": p.dependants,
                     "hardship": p.id in hardship})
    return pd.DataFrame(rows)


def _employment(s, pid) -> pd.DataFrame:
    rows = [{"pid": pid[e.person_id], "status": e.status, "since": e.since,
             "monthly_wage": e.monthly_wage}
            for e in s.scalars(select(m.EmploymentStatus).order_by(m.EmploymentStatus.id))]
    return pd.DataFrame(rows, columns=["pid", "status", "since", "monthly_wage"])


def _courses(s, units) -> pd.DataFrame:
    rows = [{"course_id": c.id, "occupation": c.occupation, "kind": c.kind,
             "street": units[c.street_id].code,
             "district": units[units[c.street_id].parent_id].code,
             "start_date": c.start_date, "end_date": c.end_date, "hours": c.hours,
             "capacity": c.capacity, "cost_per_trainee": c.cost_per_trainee,
             "funding_source": c.funding_source}
            for c in s.scalars(select(m.Course).order_by(m.Course.id))]
    return pd.DataFrame(rows, columns=list(DICTIONARY["courses"]))


def _enrolments(s, pid) -> pd.DataFrame:
    hours = dict(s.execute(select(m.Attendance.enrolment_id,
                                  func.sum(m.Attendance.hours))
                           .group_by(m.Attendance.enrolment_id)).all())
    rows = [{"enrolment_id": e.id, "course_id": e.course_id, "occupation": c.occupation,
             "kind": c.kind, "pid": pid[e.person_id], "status": e.status,
             "applied_on": e.applied_on, "completed_on": e.completed_on,
             "dropped_on": e.dropped_on, "dropout_reason": e.dropout_reason,
             "hours_attended": float(hours.get(e.id, 0) or 0),
             "certificate": e.certificate_number is not None}
            for e, c in s.execute(select(m.Enrolment, m.Course).join(m.Course)
                                  .order_by(m.Enrolment.id)).all()]
    frame = pd.DataFrame(rows, columns=list(DICTIONARY["enrolments"]))
    frame["course_id"] = frame["course_id"].astype("Int64")
    return frame


def _follow_ups(s, pid) -> pd.DataFrame:
    rows = [{"enrolment_id": f.enrolment_id, "pid": pid[e.person_id], "months": f.months,
             "due_on": f.due_on, "recorded_on": f.recorded_on, "employed": f.employed,
             "job_field": f.job_field, "monthly_wage": f.monthly_wage,
             "contract_months": f.contract_months, "social_insurance": f.social_insurance,
             "self_employed": f.self_employed, "with_loan": f.with_loan}
            for f, e in s.execute(select(m.TrainingFollowUp, m.Enrolment).join(m.Enrolment)
                                  .order_by(m.TrainingFollowUp.id)).all()]
    return pd.DataFrame(rows, columns=list(DICTIONARY["follow_ups"]))


def _visits(s, pid) -> pd.DataFrame:
    rows = [{"pid": pid[h.person_id], "visit_date": v.visit_date,
             "income_change": v.income_change, "needs": ",".join(v.needs),
             "services": ",".join(v.services), "members_employed": sum(
                 x["status"] != "unemployed" for x in v.employment_status),
             "next_visit_date": v.next_visit_date}
            for v, h in s.execute(select(m.HomeVisit, m.HardshipHousehold).join(
                m.HardshipHousehold).order_by(m.HomeVisit.id)).all()]
    return pd.DataFrame(rows, columns=list(DICTIONARY["visits"]))


def _placements(s, units, pid) -> pd.DataFrame:
    policy = load_policy()
    paid: dict[int, int] = {}
    late: dict[int, int] = {}
    for c in s.scalars(select(m.InsuranceContribution).where(
            m.InsuranceContribution.paid_on.is_not(None))):
        paid[c.placement_id] = paid.get(c.placement_id, 0) + 1
        late[c.placement_id] = late.get(c.placement_id, 0) + money.paid_late(
            policy, money.Contribution(c.due_on, c.paid_on), today=c.paid_on)
    rows = []
    for p in s.scalars(select(m.Placement).order_by(m.Placement.id)):
        street, district = _street_and_district(units, p.unit_id)
        rows.append({"placement_id": p.id, "pid": pid[p.person_id], "start_date": p.start_date,
                     "contract_months": p.contract_months, "monthly_wage": p.monthly_wage,
                     "social_insurance": p.social_insurance,
                     "insurance_months_paid": paid.get(p.id, 0),
                     "insurance_months_late": late.get(p.id, 0),
                     "followed_course": p.enrolment_id is not None,
                     "enrolment_id": p.enrolment_id, "via_referral": p.referral_id is not None,
                     "hardship": p.hardship, "policy_placement": p.policy_placement,
                     "street": street, "district": district,
                     "personnel_file": p.personnel_file_number is not None})
    frame = pd.DataFrame(rows, columns=list(DICTIONARY["placements"]))
    frame["enrolment_id"] = frame["enrolment_id"].astype("Int64")
    return frame


def _subsidies(s, units, pid) -> pd.DataFrame:
    rows = []
    for c, person_id in s.execute(select(m.SubsidyClaim, m.Placement.person_id).join(
            m.Placement).order_by(m.SubsidyClaim.id)).all():
        street, district = _street_and_district(units, c.payee_unit_id)
        rows.append({"claim_id": c.id, "placement_id": c.placement_id, "pid": pid[person_id],
                     "kind": c.kind, "amount": c.amount, "funding_level": c.funding_level,
                     "status": c.status, "claimed_on": c.claimed_on, "paid_on": c.paid_on,
                     "street": street, "district": district})
    return pd.DataFrame(rows, columns=list(DICTIONARY["subsidies"]))


def _loans(s, pid, as_of: dt.date) -> pd.DataFrame:
    counts: dict[int, list[int]] = {}  # loan id: [instalments, paid, overdue]
    for r in s.scalars(select(m.LoanRepayment)):
        count = counts.setdefault(r.loan_id, [0, 0, 0])
        count[0] += 1
        count[1] += r.paid_on is not None
        count[2] += r.paid_on is None and r.due_on < as_of
    rows = [{"loan_id": loan.id, "pid": pid[loan.person_id], "amount": loan.amount,
             "term_months": loan.term_months, "interest_subsidy": loan.interest_subsidy,
             "status": loan.status, "applied_on": loan.applied_on,
             "approved": loan.status == money.LOAN_STEPS[-1],
             **dict(zip(("instalments", "instalments_paid", "instalments_overdue"),
                        counts.get(loan.id, [0, 0, 0]), strict=True)),
             "street": None, "district": None}  # the person's, filled in after k-anonymity
            for loan in s.scalars(select(m.Loan).order_by(m.Loan.id))]
    return pd.DataFrame(rows, columns=list(DICTIONARY["loans"]))


@dataclass(frozen=True)
class Extract:
    """An extract read back: one DataFrame per table, with the manifest and dictionary."""

    folder: Path
    tables: dict[str, pd.DataFrame]
    manifest: dict

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(name) from None


def load_extract(folder: str | Path) -> Extract:
    """Read what ``casework extract --out DIR`` wrote."""
    folder = Path(folder)
    if not (folder / "manifest.json").exists():
        raise ValueError(f"{folder} holds no extract: manifest.json is missing. Write one with "
                         "`casework extract --out DIR`.")
    missing = [name for name in TABLES if not (folder / f"{name}.parquet").exists()]
    if missing:
        raise ValueError(f"The extract in {folder} lacks {', '.join(missing)} (it was written "
                         "by an older version); write it again with "
                         "`casework extract --out DIR`.")
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    if not {"occupation", "kind"} <= set(tables["enrolments"].columns):
        raise ValueError(f"The enrolments of the extract in {folder} lack the course's "
                         "occupation and kind (it was written by an older version); write it "
                         "again with `casework extract --out DIR`.")
    for frame in tables.values():
        for column in frame.columns:
            if column.endswith(("_on", "_date", "since")) or column == "out_of_work_since":
                frame[column] = pd.to_datetime(frame[column])
    return Extract(folder, tables, json.loads((folder / "manifest.json").read_text("utf-8")))
