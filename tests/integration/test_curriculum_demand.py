"""Curriculum planning on demo data: the shortages and the glut the demo planted are found, the
trainer reads demand for their line of units only, and free text that maps to nothing is shown.

What was planted comes from the demo's truth; the analysis names no occupation."""

import datetime as dt
import shutil
import warnings

import pytest

from casework import cli, demo, vocab
from casework.db import engine as db_engine
from casework.errors import AccessDenied, ValidationError
from casework.policy import load_policy
from casework.services import demand as demand_service
from casework.services import org
from casework.services.uow import UnitOfWork
from evaluation import load_extract
from evaluation.curriculum_plan import Weights, propose_plan
from evaluation.demand import Thresholds, occupation_demand, skills_gap
from evaluation.track_record import track_record

AS_OF = cli.DEMO_AS_OF
YEAR = (AS_OF - dt.timedelta(days=365), AS_OF)


@pytest.fixture(scope="module")
def planted(sqlite_template, tmp_path_factory):
    """The demo of `casework demo` (2,000 people), its truth and a research extract of it."""
    folder = tmp_path_factory.mktemp("curriculum")
    shutil.copy(sqlite_template, folder / "demo.db")
    url = f"sqlite:///{folder / 'demo.db'}"
    summary = demo.generate(UnitOfWork(url=url), persons=2000, seed=7, as_of=AS_OF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEWORK_USER", "demo-researcher")
        assert cli.main(["--database", url, "extract", "--out", str(folder / "x"),
                         "--purpose", "track record of course subjects"]) == 0
    yield UnitOfWork(url=url), summary.truth["demand"], load_extract(folder / "x")
    db_engine.get_engine(url).dispose()


def _city_view(uow):
    trainer = org.load_actor(uow, "demo-trainer")
    city = next(a for a in demand_service.areas(trainer, uow) if a.level == "city")
    return demand_service.demand_data(trainer, uow, unit_id=city.id, start=YEAR[0], end=YEAR[1])


def _analysis(view):
    thresholds = Thresholds.from_policy(load_policy()["curriculum"])
    return (occupation_demand(view.data, thresholds=thresholds, area=view.area.path),
            skills_gap(view.data, area=view.area.path))


def test_the_planted_shortages_rank_at_the_top_and_the_glut_at_the_bottom(planted):
    uow, truth, _ = planted
    found, _ = _analysis(_city_view(uow))

    shortages = truth["shortage"]
    assert sorted(found.ranking[:len(shortages)]) == sorted(shortages)
    assert found.ranking[-1] == truth["glut"]
    assert {found.status(o) for o in shortages} == {"shortage"}


def test_the_plan_puts_a_planted_shortage_first_and_gives_it_seats(planted):
    uow, truth, extract = planted
    found, gaps = _analysis(_city_view(uow))
    subjects = {}
    for skill in vocab.skills().values():
        subjects.setdefault(skill.occupation, []).append(skill.code)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overlap warnings of the small subject cells
        record = track_record(extract).table
    section = load_policy()["curriculum"]

    plan = propose_plan(found, gaps, record, subjects=subjects,
                        weights=Weights.from_policy(section),
                        course_sizes=section["course_sizes"])

    assert set(plan.ranking[:len(truth["shortage"])]) == set(truth["shortage"])
    assert plan.seats[plan.ranking[0]] > 0
    assert plan.ranking.index(truth["glut"]) >= len(truth["shortage"])


def test_the_track_record_covers_every_subject_taught(planted):
    _, _, extract = planted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = track_record(extract).table
    taught = set(extract.enrolments["occupation"].dropna())
    assert set(table.index) == taught - {"withheld"}
    assert table["completion_rate"].between(0, 1).all()
    assert (table["cost_per_trainee"] > 0).all()


def test_job_wishes_that_map_to_no_term_are_shown_with_their_counts(planted):
    uow, _, _ = planted
    view = _city_view(uow)
    from casework.demo_demand import VAGUE

    assert {text for text, _ in view.unmapped} == set(VAGUE)
    assert all(count > 0 for _, count in view.unmapped)


def test_a_trainer_reads_their_own_street_by_default_and_its_district(actors, demo_db):
    trainer = actors["trainer"]
    own = demand_service.demand_data(trainer, demo_db, unit_id=None, start=YEAR[0],
                                     end=YEAR[1])
    assert own.area.id == trainer.unit_id
    assert own.data.seekers["area"].str.startswith(trainer.unit_path).all()
    areas = demand_service.areas(trainer, demo_db)
    assert areas[0].id == trainer.unit_id
    assert {a.level for a in areas} >= {"street", "district", "city"}


def test_a_trainer_cannot_read_a_street_of_another_district(actors, demo_db):
    trainer = actors["trainer"]
    with demo_db:
        from sqlalchemy import select

        from casework.db.models import OrgUnit
        other = demo_db.session.scalar(select(OrgUnit.id).where(
            OrgUnit.level == "street", ~OrgUnit.path.startswith(trainer.unit_path[:-10])))
    with pytest.raises(AccessDenied):
        demand_service.demand_data(trainer, demo_db, unit_id=other, start=YEAR[0],
                                   end=YEAR[1])


def test_a_community_worker_does_not_read_demand(actors, demo_db):
    with pytest.raises(AccessDenied):
        demand_service.demand_data(actors["community_worker"], demo_db, unit_id=None,
                                   start=YEAR[0], end=YEAR[1])


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_start(actors, demo_db):
    with pytest.raises(ValidationError) as caught:
        demand_service.demand_data(actors["trainer"], demo_db, unit_id=None, start=YEAR[1],
                                   end=YEAR[0])
    assert set(caught.value.fields) == {"start"}
