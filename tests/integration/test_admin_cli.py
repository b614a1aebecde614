"""``casework units import`` and ``casework staff ...``: the first set-up of a real city, from an
empty database to a working community worker, on both databases."""

import pytest
from sqlalchemy import func, select

from casework import cli
from casework.db.models import OrgUnit
from casework.errors import UnknownUser
from casework.services import org
from casework.services.uow import UnitOfWork

CITY_FILE = """code,parent,level,name_zh,name_en
320705101,320705,street,浦东街道,Pudong Street
320705101001,320705101,community,东园社区,Dongyuan Community
320705101002,320705101,community,西园社区,
"""
BAD_FILE = """code,parent,level,name_zh,name_en
320705102,320705,street,浦西街道,Puxi Street
320705102001,320705999,community,无上级社区,
320705102002,320705102,street,错层级,
320705102003,320705102,community,,
320705102,320705,street,重复,
"""


@pytest.fixture
def run(db_url, monkeypatch, capsys):
    """``run(*argv, user=None)`` runs ``casework`` on the test database in English; returns
    (exit code, stdout, stderr)."""
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.setenv("CASEWORK_LANG", "en")

    def call(*argv: str, user: str | None = None):
        if user:
            monkeypatch.setenv("CASEWORK_USER", user)
        else:
            monkeypatch.delenv("CASEWORK_USER", raising=False)
        code = cli.main(["--database", db_url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    call("init")
    return call


def _units(db_url) -> int:
    uow = UnitOfWork(url=db_url)
    with uow:
        return uow.session.scalar(select(func.count()).select_from(OrgUnit))


def test_a_city_is_set_up_from_its_units_file_to_a_working_account(run, db_url, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text(CITY_FILE, "utf-8")

    first = run("units", "import", str(units))
    again = run("units", "import", str(units))
    admin = run("staff", "add", "--username", "city-admin", "--name", "Admin", "--role",
                "admin", "--unit", "320700")
    nobody = run("staff", "add", "--username", "w1", "--name", "W", "--role",
                 "community_worker", "--unit", "320705101001")
    worker = run("staff", "add", "--username", "w1", "--name", "Worker One", "--role",
                 "community_worker", "--unit", "320705101001", user="city-admin")
    listed = run("staff", "list", user="city-admin")

    assert first == (0, "Units: 3 created, 0 already there (skipped).\n", "")
    assert again == (0, "Units: 0 created, 3 already there (skipped).\n", "")
    assert admin[0] == 0 and "city-admin" in admin[1]
    assert nobody[0] == 2 and "CASEWORK_USER" in nobody[2]  # accounts exist: name yours
    assert worker[0] == 0 and "东园社区" not in worker[1] and "Dongyuan Community" in worker[1]
    lines = listed[1].splitlines()
    assert [line.split()[0] for line in lines] == ["city-admin", "w1"]
    assert "320705101001" in lines[1] and lines[1].rstrip().endswith("active")
    actor = org.load_actor(UnitOfWork(url=db_url), "w1")
    assert actor.unit_path == "/320700/320705/320705101/320705101001/"


def test_an_import_with_bad_lines_names_each_line_and_imports_nothing(run, db_url, tmp_path):
    units = tmp_path / "bad.csv"
    units.write_text(BAD_FILE, "utf-8")
    before = _units(db_url)

    code, out, err = run("units", "import", str(units))

    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == "Nothing was imported: 4 line(s) are wrong."
    assert [line.split(":")[0] for line in lines[1:]] == ["line 3", "line 4", "line 5",
                                                          "line 6"]
    assert "320705999" in lines[1]
    assert "name_zh" in lines[3] and "earlier line" in lines[4]
    assert _units(db_url) == before


def test_a_file_without_the_needed_columns_is_refused(run, db_url, tmp_path):
    units = tmp_path / "cols.csv"
    units.write_text("code,name\n1,x\n", "utf-8")

    code, _out, err = run("units", "import", str(units))

    assert code == 1 and "parent, level, name_zh, name_en" in err


def test_a_deactivated_account_can_no_longer_act_and_the_list_says_so(run, db_url, tmp_path):
    run("staff", "add", "--username", "city-admin", "--name", "Admin", "--role", "admin",
        "--unit", "320700")
    run("staff", "add", "--username", "officer", "--name", "O", "--role", "district_officer",
        "--unit", "320705", user="city-admin")

    done = run("staff", "deactivate", "officer", user="city-admin")
    listed = run("staff", "list", user="city-admin")
    acting = run("staff", "list", user="officer")

    assert done == (0, "Account officer deactivated.\n", "")
    assert listed[1].splitlines()[1].rstrip().endswith("deactivated")
    assert acting[0] == 2 and "has been deactivated" in acting[2]
    with pytest.raises(UnknownUser):
        org.load_actor(UnitOfWork(url=db_url), "officer")


def test_an_account_refused_is_explained_option_by_option(run):
    run("staff", "add", "--username", "city-admin", "--name", "Admin", "--role", "admin",
        "--unit", "320700")

    code, _out, err = run("staff", "add", "--username", "Bad Name", "--name", "X", "--role",
                          "community_worker", "--unit", "320705", user="city-admin")

    assert code == 2
    assert "--username: A username is 1 to 60 lower-case letters" in err
    assert "--unit: The home unit is at the wrong level for a community worker." in err
