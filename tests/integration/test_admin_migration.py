"""Migration 0008 fills in whom and where the audit entries written before it concern."""

from alembic import command
from sqlalchemy import text

from casework.db import engine as db_engine
from casework.db.migrate import alembic_config, upgrade


def test_migration_0008_names_the_person_and_unit_of_earlier_audit_entries(db_url):
    command.downgrade(alembic_config(db_url), "0007")
    with db_engine.get_engine(db_url).begin() as conn:
        conn.execute(text(
            "INSERT INTO org_unit (id, code, level, name_zh, name_en, path) VALUES "
            "(901, 'S1', 'street', '街道', 'Street', '/C/S1/'), "
            "(902, 'S1C1', 'community', '社区', 'Community', '/C/S1/S1C1/')"))
        conn.execute(text("INSERT INTO staff (id, username, display_name, role, unit_id, active) "
                          "VALUES (7, 'officer', 'officer', 'street_officer', 901, true)"))
        conn.execute(text(
            "INSERT INTO person (id, id_number, name, sex, birth_date, community_id, skills, "
            "category, registered_on, version) VALUES (5, '320705196001010011', '甲', 'M', "
            "'1960-01-01', 902, '[]', 'laid_off', '2003-01-01', 1)"))
        for entity, entity_id in (("person", "5"), ("person", "x"), ("org_unit", "902"),
                                  ("staff", "7"), ("job_posting", "3")):
            conn.execute(text(
                "INSERT INTO audit_log (at, staff_id, username, action, entity, entity_id, "
                "outcome) VALUES ('2004-01-01 00:00:00', 7, 'officer', 'a', :e, :i, 'ok')"),
                {"e": entity, "i": entity_id})
    upgrade(db_url)

    with db_engine.get_engine(db_url).connect() as conn:
        rows = conn.execute(text("SELECT entity, entity_id, person_id, unit_path FROM audit_log "
                                 "ORDER BY id")).all()
        closed = conn.execute(text("SELECT closed_on FROM org_unit WHERE id = 902")).scalar()

    assert [tuple(r) for r in rows] == [
        ("person", "5", 5, "/C/S1/S1C1/"),
        ("person", "x", None, "/C/S1/"),  # no person: the acting officer's street
        ("org_unit", "902", None, "/C/S1/S1C1/"),
        ("staff", "7", None, "/C/S1/"),
        ("job_posting", "3", None, "/C/S1/"),
    ]
    assert closed is None
