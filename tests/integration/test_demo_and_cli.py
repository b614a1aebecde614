"""Reproducible demo data, and the ``casework`` command from init to an unreachable server."""

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select, text

from casework import cli, clock, demo
from casework.db import engine as db_engine
from casework.db.models import OrgUnit, Person
from casework.ids import parse_resident_id
from casework.policy import age_on, load_policy
from casework.services.uow import UnitOfWork
from tests.conftest import AS_OF as DEMO_DB_AS_OF
from tests.conftest import DEMO_PERSONS

DEMO_TABLES = ("org_unit", "staff", "person", "employment_status", "service_record")
DIVISIONS = {"320700", "320703", "320705", "320706", "320721", "320722", "320723", "320724"}
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/x"
AS_OF = cli.DEMO_AS_OF  # the demo lives in the notice's years


def sqlite_copy(template: str, path) -> str:
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of the demo tables, in id order."""
    with db_engine.get_engine(url).connect() as conn:
        return {table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
                for table in DEMO_TABLES}


def generated(template: str, path, *, seed: int) -> dict[str, list[tuple]]:
    url = sqlite_copy(template, path)
    demo.generate(UnitOfWork(url=url), persons=60, seed=seed, as_of=AS_OF)
    rows = dump(url)
    db_engine.get_engine(url).dispose()
    return rows


def test_the_same_seed_and_date_give_identical_rows(sqlite_template, tmp_path):
    first = generated(sqlite_template, tmp_path / "a.db", seed=11)
    second = generated(sqlite_template, tmp_path / "b.db", seed=11)

    assert len(first["person"]) == 60
    assert all(first[table] for table in DEMO_TABLES)
    assert first == second


def test_a_different_seed_gives_different_people(sqlite_template, tmp_path):
    first = generated(sqlite_template, tmp_path / "a.db", seed=11)
    other = generated(sqlite_template, tmp_path / "b.db", seed=12)

    assert first["org_unit"] == other["org_unit"]
    assert first["person"] != other["person"]


def test_every_demo_id_number_is_valid_and_agrees_with_sex_and_birth_date(demo_db):
    with demo_db:
        people = demo_db.session.execute(
            select(Person.id_number, Person.sex, Person.birth_date)).all()

    parsed = [parse_resident_id(number, today=DEMO_DB_AS_OF) for number, _sex, _birth in people]

    assert len(people) == DEMO_PERSONS
    assert len({p.number for p in parsed}) == DEMO_PERSONS
    assert [(p.sex, p.birth_date) for p in parsed] == [(s, b) for _n, s, b in people]


@pytest.mark.parametrize("seed", [1, 5])
def test_no_demo_person_is_below_the_minimum_working_age(sqlite_template, tmp_path, seed):
    # New entrants may be 16 on the as-of date: born on its day sixteen years before at the
    # latest (16 * 365 + 1 days would not yet be 16 years for some of them).
    url = sqlite_copy(sqlite_template, tmp_path / "ages.db")
    demo.generate(UnitOfWork(url=url), persons=300, seed=seed, as_of=AS_OF)
    minimum = load_policy()["working_age"]["min_age"]

    with UnitOfWork(url=url) as uow:
        people = uow.session.execute(select(Person.category, Person.birth_date)).all()
    db_engine.get_engine(url).dispose()

    assert [(c, b) for c, b in people if age_on(b, AS_OF) < minimum] == []


@pytest.fixture
def cli_env(monkeypatch):
    """English messages, and the environment restored afterwards."""
    monkeypatch.setenv("CASEWORK_LANG", "en")
    yield monkeypatch


@pytest.fixture
def cli_db(tmp_path, cli_env):
    """An empty SQLite file for the command."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    cli_env.setenv("CASEWORK_DATABASE_URL", url)
    yield url
    db_engine.get_engine(url).dispose()


def run(url: str, *args: str) -> int:
    return cli.main(["--database", url, *args])


def test_init_migrates_and_seeds_the_city_and_its_seven_divisions(cli_db, capsys):
    code = run(cli_db, "init")

    with UnitOfWork(url=cli_db) as uow:
        units = set(uow.session.scalars(select(OrgUnit.code)))
    assert code == 0
    assert units == DIVISIONS
    assert "Created 8 " in capsys.readouterr().out


def test_init_a_second_time_seeds_nothing_new(cli_db, capsys):
    run(cli_db, "init")

    code = run(cli_db, "init")

    assert code == 0
    assert "Created 0 " in capsys.readouterr().out


def test_demo_fills_an_empty_ledger_once(cli_db, capsys):
    first = run(cli_db, "demo", "--persons", "50", "--seed", "1")
    capsys.readouterr()

    second = run(cli_db, "demo")

    with UnitOfWork(url=cli_db) as uow:
        people = len(uow.session.scalars(select(Person.id)).all())
    assert (first, second) == (0, 2)
    assert "already has data" in capsys.readouterr().err
    assert people == 50


def test_the_demo_by_default_lives_in_2004_and_the_database_keeps_that_day_as_today(cli_db,
                                                                                  cli_env):
    cli_env.delenv("CASEWORK_TODAY", raising=False)

    code = run(cli_db, "demo", "--persons", "20")

    with UnitOfWork(url=cli_db) as uow:
        latest = uow.session.scalar(select(func.max(Person.registered_on)))
    assert code == 0
    assert clock.today(db_engine.get_engine(cli_db)) == dt.date(2004, 6, 30)
    assert dt.date(2002, 1, 1) <= latest <= dt.date(2004, 6, 30)


def test_demo_if_empty_succeeds_on_a_ledger_with_data(cli_db, capsys):
    run(cli_db, "demo", "--persons", "5")

    code = run(cli_db, "demo", "--if-empty")

    assert code == 0
    assert "already has data" in capsys.readouterr().err


def test_users_lists_the_demo_accounts(cli_db, capsys):
    run(cli_db, "demo", "--persons", "5")
    capsys.readouterr()

    code = run(cli_db, "users")

    out = capsys.readouterr().out
    assert code == 0
    for username in ("demo-community-worker", "demo-street-officer", "demo-district-officer",
                     "demo-city-officer", "demo-trainer", "demo-researcher", "demo-admin"):
        assert username in out
    assert "community worker" in out


def test_two_commands_on_two_databases_in_one_process_each_use_their_own(tmp_path, cli_env):
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("first.db", "second.db"))
    cli_env.setenv("CASEWORK_DATABASE_URL", first)
    run(first, "init")

    code = run(second, "demo", "--persons", "5")

    counts = {}
    for url in (first, second):
        with UnitOfWork(url=url) as uow:
            counts[url] = len(uow.session.scalars(select(Person.id)).all())
        db_engine.get_engine(url).dispose()
    assert code == 0
    assert counts == {first: 0, second: 5}


@pytest.mark.parametrize("command", ["init", "users"])
def test_an_unreachable_database_gives_one_line_and_no_traceback(cli_env, capsys, command):
    cli_env.setenv("CASEWORK_DATABASE_URL", UNREACHABLE)

    code = run(UNREACHABLE, command)

    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "127.0.0.1" in err
    assert len(err.strip().splitlines()) == 1


def test_demo_refuses_zero_persons_as_a_usage_error(cli_db, capsys):
    with pytest.raises(SystemExit) as caught:
        run(cli_db, "demo", "--persons", "0")

    assert caught.value.code == 2
    assert "--persons" in capsys.readouterr().err
