"""The research extract: de-identified, k-anonymous, logged, and only for researchers and the
city; read back with load_extract."""

import pandas as pd
import pytest
from sqlalchemy import select

from casework.db.models import AuditEntry, Person
from casework.errors import AccessDenied
from evaluation.anonymity import QUASI_IDENTIFIERS
from evaluation.extract import TABLES, load_extract, write_extract


@pytest.fixture(autouse=True)
def fixed_salt(monkeypatch):
    monkeypatch.setenv("CASEWORK_EXTRACT_SALT", "ab" * 32)


@pytest.fixture
def extract(actors, demo_db, tmp_path):
    write_extract(actors["researcher"], demo_db, out=tmp_path / "x", k=5)
    return load_extract(tmp_path / "x")


def identities(uow) -> tuple[set[str], set[str]]:
    with uow:
        people = uow.session.scalars(select(Person)).all()
        names = {p.name for p in people}
        numbers = {p.id_number for p in people} | {p.phone for p in people if p.phone}
    return names, numbers


def test_no_value_in_any_table_is_a_name_an_id_number_or_a_phone(extract, demo_db):
    names, numbers = identities(demo_db)
    leaks = []
    for table in TABLES:
        frame = extract.tables[table].astype("string")
        for column in frame.columns:
            for value in frame[column].dropna().unique():
                if value in names or any(n in value for n in numbers):
                    leaks.append((table, column, value))
    assert extract.persons.shape[0] > 0
    assert leaks == []


def test_no_table_has_a_column_for_names_addresses_or_birth_dates(extract):
    columns = {c for frame in extract.tables.values() for c in frame.columns}

    assert not columns & {"name", "id_number", "phone", "address", "birth_date", "community_id"}


def test_every_cell_of_the_quasi_identifiers_holds_at_least_five_people(extract):
    persons = extract.persons
    kept = persons[list(QUASI_IDENTIFIERS)].notna().any(axis=1)
    sizes = persons[kept].astype("string").fillna("<NA>").groupby(
        list(QUASI_IDENTIFIERS)).size()

    assert sizes.min() >= 5


def test_people_are_keyed_by_the_same_pseudonym_in_every_table(extract):
    pids = set(extract.persons["pid"])

    assert set(extract.employment["pid"]) <= pids
    assert set(extract.visits["pid"]) <= pids
    assert all(len(p) == 16 for p in pids)


def test_another_salt_gives_other_pseudonyms(actors, demo_db, tmp_path, monkeypatch, extract):
    monkeypatch.setenv("CASEWORK_EXTRACT_SALT", "cd" * 32)
    write_extract(actors["researcher"], demo_db, out=tmp_path / "y")

    assert not set(load_extract(tmp_path / "y").persons["pid"]) & set(extract.persons["pid"])


@pytest.mark.parametrize("role", ["community_worker", "street_officer", "district_officer",
                                  "trainer", "admin"])
def test_only_researchers_and_city_officers_may_extract(role, actors, demo_db, tmp_path):
    with pytest.raises(AccessDenied):
        write_extract(actors[role], demo_db, out=tmp_path / "z")

    assert not (tmp_path / "z").exists()
    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "extract", AuditEntry.outcome == "denied")).all()
        assert [e.username for e in denied] == [actors[role].username]


def test_every_extract_is_logged_with_who_and_how_many_rows(actors, demo_db, tmp_path):
    write_extract(actors["city_officer"], demo_db, out=tmp_path / "c")

    with demo_db:
        [entry] = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "extract", AuditEntry.outcome == "ok")).all()
        assert entry.username == actors["city_officer"].username
        assert entry.after["rows"]["persons"] == len(pd.read_parquet(tmp_path / "c" /
                                                                     "persons.parquet"))
        assert entry.after["k"] == 5


def test_the_dictionary_describes_every_column_that_is_written(extract):
    import json

    dictionary = json.loads((extract.folder / "dictionary.json").read_text("utf-8"))
    for table in TABLES:
        assert set(extract.tables[table].columns) <= set(dictionary[table])


def test_loading_a_folder_without_an_extract_says_what_to_do(tmp_path):
    with pytest.raises(ValueError, match="casework extract --out DIR"):
        load_extract(tmp_path)
