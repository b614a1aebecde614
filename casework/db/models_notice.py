"""Models for what the notice asks beyond the ledger: the hardship household's members, the
Re-employment Preferential Certificate, labour-security affairs agency (file custody and social
insurance continuation), retirees' socialised management, and the database's clock.

Tables are created only by the Alembic migrations; ``casework.db.models`` imports this module so
that one metadata holds every table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db.models import Base, OrgUnit, Person, Versioned


class HardshipMember(Versioned, Base):
    """A member of a hardship household. The four conditions of 第(七)条 (working age, able,
    willing, not choosy) decide, per member, who is targeted for employment aid."""

    __tablename__ = "hardship_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("hardship_household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    relation: Mapped[str] = mapped_column(String(20))  # applicant, spouse, child, parent, other
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    female_cadre: Mapped[bool] = mapped_column(default=False)
    # laid_off, unemployed, never_employed, employed, retired, student, other
    situation: Mapped[str] = mapped_column(String(20))
    able_to_work: Mapped[bool] = mapped_column(default=False)
    willing: Mapped[bool] = mapped_column(default=False)
    accepts_any_job: Mapped[bool] = mapped_column(default=False)
    aid_targeted: Mapped[bool] = mapped_column(default=False)
    decision: Mapped[list] = mapped_column(JSON, default=list)
    policy_version: Mapped[str] = mapped_column(String(40))
    person: Mapped[Person | None] = relationship()

    # Members and those targeted, counted per household from this index alone (migration 0010).
    __table_args__ = (Index("ix_hardship_member_household_targeted", "household_id",
                            "aid_targeted"),)


class PreferentialCertificate(Versioned, Base):
    """《再就业优惠证》: issued by the street office, numbered per street and year, checked yearly
    (年检), withdrawn on stable employment, reported lost and reissued."""

    __tablename__ = "preferential_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(30))
    withdrawal_remark: Mapped[str | None] = mapped_column(Text)
    lost_on: Mapped[dt.date | None] = mapped_column(Date)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("preferential_certificate.id"))
    person: Mapped[Person] = relationship()
    street: Mapped[OrgUnit] = relationship()
    __table_args__ = (UniqueConstraint("street_id", "year", "serial",
                                       name="uq_preferential_certificate_street_year_serial"),)


class CertificateCheck(Base):
    """One annual check (年检) of a certificate: passed or not, when, by whom."""

    __tablename__ = "certificate_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("preferential_certificate.id"),
                                                index=True)
    year: Mapped[int] = mapped_column(Integer)
    checked_on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool]
    remark: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    __table_args__ = (UniqueConstraint("certificate_id", "year",
                                       name="uq_certificate_check_certificate_year"),)


class PersonnelFile(Versioned, Base):
    """Personnel-file custody (档案代保管) by labour-security affairs agency: file in, file out,
    the office holding it, and the fee."""

    __tablename__ = "personnel_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    file_number: Mapped[str] = mapped_column(String(40), unique=True)
    holder_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    opened_here: Mapped[bool] = mapped_column(default=False)  # set up for a never-employed person
    received_on: Mapped[dt.date] = mapped_column(Date)
    received_from: Mapped[str | None] = mapped_column(String(100))
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    released_to: Mapped[str | None] = mapped_column(String(100))
    annual_fee_yuan: Mapped[int] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    person: Mapped[Person] = relationship()
    holder_unit: Mapped[OrgUnit] = relationship()


class InsuranceContinuation(Base):
    """Continuation of a person's social-insurance relation (接续社会保险关系)."""

    __tablename__ = "insurance_continuation"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # pension, medical, unemployment
    from_unit: Mapped[str | None] = mapped_column(String(100))
    to_unit: Mapped[str | None] = mapped_column(String(100))
    months_credited: Mapped[int | None] = mapped_column(Integer)
    continued_on: Mapped[dt.date] = mapped_column(Date)
    fee_yuan: Mapped[int] = mapped_column(Integer, default=0)
    remark: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    person: Mapped[Person] = relationship()


class RetireeRecord(Versioned, Base):
    """Socialised management of an enterprise retiree (离退休人员社会化管理): the street office
    keeps the basic record and serves them."""

    __tablename__ = "retiree_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    former_employer: Mapped[str] = mapped_column(String(100))
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    pension_status: Mapped[str] = mapped_column(String(20))  # receiving, suspended, pending
    pension_monthly: Mapped[int | None] = mapped_column(Integer)
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    services: Mapped[list] = mapped_column(JSON, default=list)
    remark: Mapped[str | None] = mapped_column(Text)
    person: Mapped[Person] = relationship()


class AppSetting(Base):
    """Settings the database carries, such as the demo's clock (``clock.today``)."""

    __tablename__ = "app_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
