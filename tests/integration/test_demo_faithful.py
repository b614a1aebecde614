"""The demo belongs to the notice's years and to Lianyungang's places: real streets and towns
under their real district or county, classes of a real size, no jobseeker past retirement age,
job titles that fit their skills, and the era's dates, wages, telephone numbers and ID cards.
SQLite is enough here: these are properties of the generated data, not of a backend."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from sqlalchemy import func, select

from casework import cli, demo, vocab
from casework.db import engine as db_engine
from casework.db.models import (
    Course,
    DemandNotice,
    EmploymentStatus,
    Enrolment,
    HardshipHousehold,
    HomeVisit,
    JobPosting,
    Loan,
    LoanRepayment,
    OrgUnit,
    Person,
    Placement,
    Referral,
    ServiceRecord,
    SubsidyClaim,
    TrainingFollowUp,
)
from casework.db.models_notice import (
    CertificateCheck,
    HardshipMember,
    InsuranceContinuation,
    PersonnelFile,
    PreferentialCertificate,
)
from casework.ids import parse_resident_id, upgrade_first_generation
from casework.policy import JOBSEEKERS, age_on, load_policy
from casework.services.uow import UnitOfWork

AS_OF = cli.DEMO_AS_OF
ERA_START = dt.date(2002, 1, 1)
# Streets (街道) and towns (镇) of Lianyungang's 2003 districts and counties.
REAL_STREETS = {
    "320703": {"墟沟街道", "连云街道", "云山街道", "板桥街道"},
    "320705": {"新浦街道", "浦东街道", "浦西街道", "新东街道", "新南街道", "路南街道"},
    "320706": {"海州街道", "幸福路街道", "朐阳街道", "洪门街道"},
    "320721": {"青口镇", "城头镇", "墩尚镇"},
    "320722": {"牛山镇", "白塔埠镇", "石榴镇"},
    "320723": {"伊山镇", "杨集镇", "燕尾港镇"},
    "320724": {"新安镇", "堆沟港镇", "田楼镇"},
}
# The word in a job title that says what the job is, and the occupation that word belongs to.
TITLE_WORDS = {"保洁": "domestic_service", "家政": "domestic_service", "护理": "care",
               "助老": "care", "保育": "care", "炊事": "catering", "面点": "catering",
               "门卫": "security", "巡防": "security", "维修": "repair", "水电": "construction",
               "仓库": "logistics", "绿化": "environment", "收银": "commerce", "文书": "office",
               "协理员": "office", "活动室管理员": "office", "协管员": "community",
               "活动室服务员": "community"}
LANDLINE = re.compile(r"0518-[1-9]\d{6}")  # Lianyungang: seven digits until the late 2000s
MOBILE = re.compile(r"13\d{9}")
# Days on which something happened (schedules and deadlines may lie ahead of the as-of date).
EVENT_DAYS = (Person.registered_on, Person.out_of_work_since, EmploymentStatus.since,
              ServiceRecord.service_date, Course.start_date, Course.end_date,
              Enrolment.applied_on, Enrolment.completed_on, Enrolment.dropped_on,
              TrainingFollowUp.recorded_on, JobPosting.opened_on, JobPosting.closed_on,
              Referral.referred_on, Referral.outcome_on, Placement.start_date,
              Placement.ended_on, SubsidyClaim.claimed_on, SubsidyClaim.paid_on,
              Loan.applied_on, LoanRepayment.paid_on, HardshipHousehold.applied_on,
              HardshipHousehold.registered_on, HomeVisit.visit_date, DemandNotice.published_on,
              PreferentialCertificate.issued_on, PreferentialCertificate.withdrawn_on,
              PreferentialCertificate.lost_on, CertificateCheck.checked_on,
              PersonnelFile.received_on, PersonnelFile.released_on,
              InsuranceContinuation.continued_on)
WAGES = (Person.prior_wage, EmploymentStatus.monthly_wage, Placement.monthly_wage,
         TrainingFollowUp.monthly_wage)


@pytest.fixture(scope="module")
def era(sqlite_template, tmp_path_factory):
    """The demo as `casework demo` makes it by default: in the notice's years."""
    path = tmp_path_factory.mktemp("era") / "demo.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    demo.generate(UnitOfWork(url=url), persons=3000, seed=3, as_of=AS_OF)
    yield UnitOfWork(url=url)
    db_engine.get_engine(url).dispose()


def rows(uow, *columns):
    with uow:
        return uow.session.execute(select(*columns)).all()


def units_of(uow) -> list[OrgUnit]:
    with uow:
        found = uow.session.scalars(select(OrgUnit)).all()
        uow.session.expunge_all()
    return found


def test_every_street_is_a_real_street_or_town_under_its_real_district_or_county(era):
    units = {u.id: u for u in units_of(era)}
    placed = [(u.name_zh, units[u.parent_id].code, units[u.parent_id].level)
              for u in units.values() if u.level == "street"]

    assert len(placed) == 21
    assert [name for name, parent, _ in placed if name not in REAL_STREETS[parent]] == []
    assert all(name.endswith("镇") for name, _, level in placed if level == "county")
    assert all(name.endswith("街道") for name, _, level in placed if level == "district")


def test_communities_are_named_as_communities_are_not_numbered_after_their_street(era):
    units = {u.id: u for u in units_of(era)}
    named = [(u.name_zh, u.name_en, units[u.parent_id].name_zh,
              units[units[u.parent_id].parent_id].level)
             for u in units.values() if u.level == "community"]

    stems = {street.removesuffix("街道").removesuffix("镇") for _, _, street, _ in named}
    mechanical = re.compile("(" + "|".join(stems) + ")(一村|二村|新村|花园|小区)")
    assert [name for name, *_ in named if mechanical.search(name)] == []
    assert all(name.endswith("社区") for name, _, _, level in named if level == "district")
    assert all(name.endswith(("社区", "居委会")) for name, *_ in named)
    assert all(re.fullmatch(r"[A-Za-z' ]+", english) for _, english, *_ in named)


def test_every_class_seats_thirty_to_sixty_and_none_has_more_enrolled_than_seats(era):
    with era:
        enrolled = dict(era.session.execute(
            select(Enrolment.course_id, func.count()).group_by(Enrolment.course_id)).all())
        courses = era.session.execute(select(Course.id, Course.capacity)).all()

    assert courses
    assert [c for c, seats in courses if not 30 <= seats <= 60] == []
    assert [c for c, seats in courses if enrolled.get(c, 0) > seats] == []


def test_no_jobseeker_is_past_retirement_age_and_every_retiree_has_reached_it(era):
    limits = load_policy()["working_age"]
    cadres = {pid for pid, cadre in rows(era, HardshipMember.person_id,
                                         HardshipMember.female_cadre) if cadre}
    people = [(pid, category, sex, age_on(birth, AS_OF)) for pid, category, sex, birth
              in rows(era, Person.id, Person.category, Person.sex, Person.birth_date)]

    def retires_at(pid: int, sex: str) -> int:
        if sex == "M":
            return limits["men_max_age"]
        return limits["female_cadre_max_age"] if pid in cadres else limits["women_max_age"]

    too_old = [(c, s, a) for pid, c, s, a in people if c in JOBSEEKERS and a > retires_at(pid, s)]
    too_young = [(s, a) for pid, c, s, a in people if c == "retiree" and a < retires_at(pid, s)]
    laid_off_women = [a for _, c, s, a in people if c == "laid_off" and s == "F"]
    assert too_old == []
    assert too_young == []
    assert max(laid_off_women) == limits["women_max_age"]


def test_every_posting_title_names_a_job_of_its_occupation_asking_for_its_skills(era):
    skills = vocab.skills()
    postings = rows(era, JobPosting.title, JobPosting.occupation, JobPosting.skills)
    courses = rows(era, Course.title, Course.occupation, Course.skills)

    def title_fits(title: str, occupation: str) -> bool:
        meant = {o for word, o in TITLE_WORDS.items() if word in title}
        return meant == {occupation}

    assert postings and courses
    assert [t for t, o, _ in postings if not title_fits(t, o)] == []
    assert [t for t, o, s in postings + courses
            if not s or any(skills[code].occupation != o for code in s)] == []


def test_everything_happened_in_the_notice_s_years_and_nothing_after_the_as_of_date(era):
    outside, seen = {}, 0
    for column in EVENT_DAYS:
        days = [d for d, in rows(era, column) if d is not None]
        seen += bool(days)
        wrong = [d for d in days if not ERA_START <= d <= AS_OF]
        if wrong:
            outside[f"{column.class_.__name__}.{column.key}"] = (min(wrong), max(wrong))

    assert outside == {}
    assert seen > len(EVENT_DAYS) * 3 // 4  # most kinds of record are there to be checked


def test_wages_are_those_of_lianyungang_in_2002_to_2004(era):
    wages = {f"{c.class_.__name__}.{c.key}": [w for w, in rows(era, c) if w is not None]
             for c in WAGES}
    community_jobs = [w for w, in rows(era, JobPosting.monthly_wage)]

    ranges = {name: (min(found), max(found)) for name, found in wages.items() if found}
    assert len(ranges) == len(WAGES)
    assert {name: r for name, r in ranges.items() if r[0] < 400 or r[1] > 1200} == {}
    assert min(community_jobs) >= 400
    assert max(community_jobs) <= 900


def test_telephone_numbers_are_the_era_s_landlines_and_mobiles(era):
    phones = [p for p, in rows(era, Person.phone)]
    landlines = [p for p in phones if LANDLINE.fullmatch(p)]

    assert [p for p in phones if not (LANDLINE.fullmatch(p) or MOBILE.fullmatch(p))] == []
    assert 0.3 < len(landlines) / len(phones) < 0.9


def test_many_born_before_1985_give_a_15_digit_number_kept_beside_its_18_digit_form(era):
    people = rows(era, Person.id_number, Person.id_number_original, Person.birth_date,
                  Person.sex)
    originals = [(n, o, b, s) for n, o, b, s in people if o is not None]
    older = [b for _, _, b, _ in people if b < dt.date(1985, 1, 1)]

    assert 0.3 < len(originals) / len(older) < 0.9
    assert all(b < dt.date(1985, 1, 1) for _, _, b, _ in originals)
    assert [n for n, o, _, _ in originals if upgrade_first_generation(o) != n] == []
    read = [parse_resident_id(o, today=AS_OF) for _, o, _, _ in originals]
    assert [(r.birth_date, r.sex) for r in read] == [(b, s) for _, _, b, s in originals]
