"""The migrations and the models agree, and every migration can be undone and redone."""

from alembic import command
from sqlalchemy import inspect, text

from casework.db import engine as db_engine
from casework.db.migrate import alembic_config, upgrade


def test_the_models_need_no_migration_that_is_not_written(db_url):
    command.check(alembic_config(db_url))  # raises if autogenerate would add operations


def test_every_migration_downgrades_and_upgrades_again(db_url):
    command.downgrade(alembic_config(db_url), "base")
    tables_at_base = set(inspect(db_engine.get_engine(db_url)).get_table_names())
    upgrade(db_url)
    tables_at_head = set(inspect(db_engine.get_engine(db_url)).get_table_names())

    assert tables_at_base == {"alembic_version"}
    assert {"person", "hardship_household", "home_visit", "draft"} <= tables_at_head


def test_migration_0007_carries_certificates_and_hardship_answers_over(db_url):
    """A ledger written before 0007 keeps its certificates (now records, numbered per street and
    year in the order issued) and each household's answers (now its applicant's)."""
    command.downgrade(alembic_config(db_url), "0006")
    with db_engine.get_engine(db_url).begin() as conn:
        _ledger_before_0007(conn)
    upgrade(db_url)

    with db_engine.get_engine(db_url).connect() as conn:
        certificates = conn.execute(text(
            "SELECT p.name, c.number, c.year, c.serial FROM preferential_certificate c "
            "JOIN person p ON p.id = c.person_id ORDER BY c.number")).all()
        member = conn.execute(text(
            "SELECT m.relation, m.name, m.able_to_work, m.willing, m.accepts_any_job "
            "FROM hardship_member m")).one()

    assert [tuple(c) for c in certificates] == [("甲", "A-2003-1", 2003, 1),
                                                 ("乙", "A-2003-2", 2003, 2),
                                                 ("丙", "A-2004-1", 2004, 1)]
    assert tuple(member) == ("applicant", "甲", True, True, False)


def _ledger_before_0007(conn) -> None:
    conn.execute(text("INSERT INTO org_unit (id, code, level, name_zh, name_en, path) VALUES "
                      "(901, 'S1', 'street', '街道', 'Street', '/S1/')"))
    for pid, name, issued in ((1, "乙", "2003-05-01"), (2, "甲", "2003-02-01"),
                              (3, "丙", "2004-01-10")):
        number = {"甲": "A-2003-1", "乙": "A-2003-2", "丙": "A-2004-1"}[name]
        conn.execute(text(
            "INSERT INTO person (id, id_number, name, sex, birth_date, community_id, skills, "
            "category, registered_on, certificate_number, certificate_issued, "
            "certificate_street_id, version) VALUES (:pid, :idn, :name, 'F', '1960-01-01', 901, "
            "'[]', 'laid_off', '2003-01-01', :number, :issued, 901, 1)"),
            {"pid": pid, "idn": f"32070519600101{pid:03d}X", "name": name, "number": number,
             "issued": issued})
    conn.execute(text(
        "INSERT INTO hardship_household (person_id, community_id, applied_on, able_to_work, "
        "willing, accepts_any_job, eligible, decision, policy_version, criteria_reference, "
        "version) VALUES (2, 901, '2003-06-01', true, true, false, false, '[]', '2003-97/1', "
        "'132', 1)"))
