"""The research extract: de-identified, k-anonymous, logged, and only for researchers and the
city; read back with load_extract."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from casework.db.models import (
    AuditEntry,
    Course,
    Enrolment,
    InsuranceContribution,
    Loan,
    LoanRepayment,
    OrgUnit,
    Person,
    Placement,
    SubsidyClaim,
)
from casework.errors import AccessDenied
from casework.policy import load_policy
from evaluation.anonymity import QUASI_IDENTIFIERS
from evaluation.extract import (
    TABLES,
    load_extract,
    pseudonym,
    write_extract,
)
from evaluation.linkage import unlink_courses
from tests.conftest import AS_OF


@pytest.fixture(autouse=True)
def fixed_salt(monkeypatch):
    monkeypatch.setenv("CASEWORK_EXTRACT_SALT", "ab" * 32)


@pytest.fixture
def extract(actors, demo_db, tmp_path):
    write_extract(actors["researcher"], demo_db, out=tmp_path / "x", k=5, as_of=AS_OF)
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


# --- placements, subsidies and loans -----------------------------------------------------------

def by_pseudonym(uow) -> dict[int, str]:
    with uow:
        return {i: pseudonym(bytes.fromhex("ab" * 32), i)
                for i in uow.session.scalars(select(Person.id))}


def test_placements_subsidies_and_loans_have_a_row_for_every_record(extract, demo_db):
    pids = by_pseudonym(demo_db)
    with demo_db:
        placements = {p.id: pids[p.person_id] for p in demo_db.session.scalars(select(Placement))}
        claims = {c.id: (c.amount, c.status) for c in demo_db.session.scalars(
            select(SubsidyClaim))}
        loans = {loan.id: pids[loan.person_id] for loan in demo_db.session.scalars(select(Loan))}

    assert placements and claims and loans
    assert dict(zip(extract.placements["placement_id"], extract.placements["pid"],
                    strict=True)) == placements
    assert {r.claim_id: (r.amount, r.status) for r in extract.subsidies.itertuples()} == claims
    assert dict(zip(extract.loans["loan_id"], extract.loans["pid"], strict=True)) == loans
    assert extract.manifest["rows"]["placements"] == len(placements)


def test_no_value_is_an_employer_or_a_personnel_file_number(extract, demo_db):
    with demo_db:
        employers = set(demo_db.session.scalars(select(Placement.employer)))
        files = set(demo_db.session.scalars(select(Placement.personnel_file_number).where(
            Placement.personnel_file_number.is_not(None))))
    values = {v for table in TABLES for column in extract.tables[table].columns
              for v in extract.tables[table][column].dropna().astype("string").unique()}

    assert employers and files
    assert not values & employers
    assert not [v for v in values if any(f in v for f in files)]
    assert extract.placements["personnel_file"].sum() == len(files)


def test_no_placement_subsidy_or_loan_gives_back_a_street_that_persons_withheld(extract):
    street = extract.persons.set_index("pid")["street"]
    withheld = set(street.index[street.isna()])

    assert withheld, "the demo is small enough that some streets are coarsened"
    for table in ("placements", "subsidies", "loans"):
        frame = extract.tables[table]
        assert frame.loc[frame["pid"].isin(withheld), "street"].isna().all(), table
    loans = extract.loans
    assert (loans["district"] == loans["pid"].map(extract.persons.set_index("pid")["district"])
            ).all()


def test_insurance_months_are_counted_from_the_contributions(extract, demo_db):
    grace = dt.timedelta(days=load_policy()["subsidy"]["insurance_grace_days"])
    with demo_db:
        paid = demo_db.session.scalars(select(InsuranceContribution).where(
            InsuranceContribution.paid_on.is_not(None))).all()
        months = pd.Series([c.placement_id for c in paid]).value_counts()
        late = pd.Series([c.placement_id for c in paid if c.paid_on > c.due_on + grace],
                         dtype=int).value_counts()
    placements = extract.placements.set_index("placement_id")

    assert placements["insurance_months_paid"].to_dict() == months.reindex(
        placements.index, fill_value=0).to_dict()
    assert placements["insurance_months_late"].to_dict() == late.reindex(
        placements.index, fill_value=0).to_dict()


def test_overdue_instalments_are_those_unpaid_past_due_on_the_as_of_date(extract, demo_db):
    with demo_db:
        rows = demo_db.session.scalars(select(LoanRepayment)).all()
        overdue = {r.loan_id: 0 for r in rows}
        for r in rows:
            overdue[r.loan_id] += r.paid_on is None and r.due_on < AS_OF
        approved = set(demo_db.session.scalars(select(Loan.id).where(
            Loan.status == "bank_approved")))
    loans = extract.loans.set_index("loan_id")

    assert loans["instalments_overdue"].to_dict() == {
        i: overdue.get(i, 0) for i in loans.index}
    assert set(loans.index[loans["approved"]]) == approved
    assert extract.manifest["as_of"] == AS_OF.isoformat()


def test_the_dictionary_no_longer_promises_tables_to_come(extract):
    import json

    dictionary = json.loads((extract.folder / "dictionary.json").read_text("utf-8"))

    assert set(dictionary) == set(TABLES)


def test_an_extract_missing_a_table_is_refused_with_what_to_do(extract):
    (extract.folder / "loans.parquet").unlink()

    with pytest.raises(ValueError, match="lacks loans.*casework extract --out DIR"):
        load_extract(extract.folder)


# --- enrolments and courses --------------------------------------------------------------------

def true_streets(uow) -> dict[str, str]:
    """Each person's real street code, by pseudonym (what the extract must not give back)."""
    pids = by_pseudonym(uow)
    with uow:
        units = {u.id: u for u in uow.session.scalars(select(OrgUnit))}
        street = {}
        for p in uow.session.scalars(select(Person)):
            unit = units[p.community_id]
            street[pids[p.id]] = (unit if unit.level == "street" else units[unit.parent_id]).code
    return street


def test_no_enrolment_gives_back_a_withheld_street(extract, demo_db):
    persons, courses = extract.persons.set_index("pid"), extract.courses
    withheld = set(persons.index[persons["street"].isna()])
    theirs = extract.enrolments[extract.enrolments["pid"].isin(withheld)]
    follow_ups = extract.follow_ups[extract.follow_ups["pid"].isin(withheld)]
    truth = true_streets(demo_db)

    assert len(theirs) > 0 and len(follow_ups) > 0
    assert str(extract.enrolments["course_id"].dtype) == "Int64"
    assert theirs["course_id"].isna().all()
    assert theirs.merge(courses, on="course_id").empty
    # The dates and hours repeat the course's, so they would pick it out as well as course_id.
    assert theirs[["applied_on", "completed_on", "dropped_on", "hours_attended"]].isna().all(
        axis=None)
    assert follow_ups[["due_on", "recorded_on"]].isna().all(axis=None)
    # Joined on what is left (district, subject, kind), every one of them still has two
    # streets or more to choose from.
    for pid, rows in theirs.groupby("pid"):
        streets = set.intersection(*(
            set(courses.loc[(courses["district"] == persons.at[pid, "district"])
                            & ((courses["occupation"] == row.occupation)
                               | pd.isna(row.occupation))
                            & ((courses["kind"] == row.kind) | pd.isna(row.kind)), "street"])
            for row in rows.itertuples()))
        assert len(streets) >= 2, pid
        assert truth[pid] in streets


def test_enrolments_carry_the_subject_and_kind_of_their_course(extract, demo_db):
    with demo_db:
        subject = {e.id: (c.occupation, c.kind) for e, c in demo_db.session.execute(
            select(Enrolment, Course).join(Course)).all()}
    enrolments = extract.enrolments.set_index("enrolment_id")
    withheld = enrolments["pid"].isin(extract.persons.loc[extract.persons["street"].isna(), "pid"])

    assert set(enrolments.index) == set(subject)
    for column, position in (("occupation", 0), ("kind", 1)):
        shown = enrolments[column].dropna()
        assert shown.to_dict() == {i: subject[i][position] for i in shown.index}, column
        assert not enrolments.loc[~withheld, column].isna().any(), column
    # Those whose street is withheld still count by subject wherever that gives nothing away.
    assert enrolments.loc[withheld, "kind"].notna().mean() > 0.5
    assert enrolments.loc[withheld, "occupation"].notna().any()
    assert extract.manifest["enrolments_unlinked"] == withheld.sum()
    assert extract.manifest["enrolment_subjects_withheld"] == (
        withheld & enrolments["occupation"].isna()).sum()


D = dt.date


def hand_built(enrolments: list[dict], *, entrepreneurship: bool = True
               ) -> dict[str, pd.DataFrame]:
    """District D1 has streets S1 and S2; both ran cooking, only S1 sewing and only S2
    pastry (all reskilling), and only S2 an entrepreneurship course (unless left out). a lives
    in S1; b, c and d have their street withheld."""
    course = {"start_date": D(2025, 3, 1), "end_date": D(2025, 5, 1), "district": "D1"}
    courses = pd.DataFrame([
        {"course_id": 1, "occupation": "cooking", "kind": "reskilling", "street": "S1"},
        {"course_id": 2, "occupation": "cooking", "kind": "reskilling", "street": "S2"},
        {"course_id": 3, "occupation": "sewing", "kind": "reskilling", "street": "S1"},
        {"course_id": 4, "occupation": "pastry", "kind": "reskilling", "street": "S2"},
        {"course_id": 5, "occupation": "retail", "kind": "entrepreneurship", "street": "S2"},
    ]).assign(**course)
    if not entrepreneurship:
        courses = courses[courses["kind"] != "entrepreneurship"]
    persons = pd.DataFrame({"pid": ["a", "b", "c", "d"], "street": ["S1", None, None, None],
                            "district": "D1"})
    rows = pd.DataFrame(enrolments).assign(
        enrolment_id=lambda f: range(1, len(f) + 1), status="completed",
        applied_on=D(2025, 2, 1), completed_on=D(2025, 5, 1), dropped_on=None,
        hours_attended=100.0)
    rows = rows.merge(courses[["course_id", "occupation", "kind"]], on="course_id")
    follow_ups = pd.DataFrame({"enrolment_id": rows["enrolment_id"], "pid": rows["pid"],
                               "months": 3, "due_on": D(2025, 8, 1), "recorded_on": None,
                               "job_field": rows["occupation"]})
    return {"persons": persons, "courses": courses, "enrolments": rows,
            "follow_ups": follow_ups}


def test_a_subject_one_street_alone_ran_is_withheld_and_one_both_ran_is_shown():
    frames = hand_built([{"pid": "a", "course_id": 3}, {"pid": "b", "course_id": 1},
                         {"pid": "c", "course_id": 3}], entrepreneurship=False)

    unlinked, withheld = unlink_courses(frames, D(2026, 11, 27))

    rows = frames["enrolments"].set_index("pid")
    assert (unlinked, withheld) == (2, 1)
    assert rows.loc["a", ["course_id", "occupation", "kind"]].tolist() == [3, "sewing",
                                                                            "reskilling"]
    assert rows.loc["a", "completed_on"] == D(2025, 5, 1)
    assert pd.isna(rows.loc["b", "course_id"]) and pd.isna(rows.loc["c", "course_id"])
    assert rows.loc["b", ["occupation", "kind"]].tolist() == ["cooking", "reskilling"]
    # Sewing only in S1, but a rare reskilling subject could be S1's sewing or S2's pastry.
    assert pd.isna(rows.loc["c", "occupation"]) and rows.loc["c", "kind"] == "reskilling"
    assert frames["follow_ups"].set_index("pid")["job_field"].isna().tolist() == [
        False, False, True]


def test_a_withheld_kind_does_not_point_to_the_one_street_that_runs_it():
    frames = hand_built([{"pid": "b", "course_id": 5}, {"pid": "c", "course_id": 1},
                         {"pid": "d", "course_id": 3}])

    unlink_courses(frames, D(2026, 11, 27))

    rows = frames["enrolments"].set_index("pid")
    # Only S2 ran entrepreneurship, so b shows neither subject nor kind; but showing nothing
    # must not then mean "S2's entrepreneurship course": the rare reskilling subjects (S1's
    # sewing, S2's pastry) show nothing either. Cooking, run by both streets, still shows.
    assert rows.loc["b", ["occupation", "kind"]].isna().all()
    assert rows.loc["d", ["occupation", "kind"]].isna().all()
    assert rows.loc["c", ["occupation", "kind"]].tolist() == ["cooking", "reskilling"]
