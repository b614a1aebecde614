"""The research extract: months instead of days, no identities, every column described and
treated by the release policy, only for researchers and the city, logged with its purpose; read
back with load_extract."""

import datetime as dt
import itertools
import json

import pandas as pd
import pytest
from sqlalchemy import select

from casework.db.models import (
    AuditEntry,
    Course,
    EmploymentStatus,
    Enrolment,
    InsuranceContribution,
    Loan,
    LoanRepayment,
    Person,
    Placement,
    SubsidyClaim,
)
from casework.errors import AccessDenied, ValidationError
from casework.policy import load_policy
from casework.services import certificates, loans
from evaluation import hierarchies as h
from evaluation import periods
from evaluation.extract import TABLES, load_extract, write_extract
from evaluation.keys import named_key, pseudonym, record_number
from evaluation.linkage import unlink_courses
from evaluation.release import spells, whole_months
from evaluation.release_policy import WITHHELD, released, rules
from tests.conftest import AS_OF
from tests.integration.test_job_services import register

PURPOSE = "Testing the extract"
D = dt.date


@pytest.fixture(autouse=True)
def keys_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEWORK_EXTRACT_KEYS", str(tmp_path / "keys"))


@pytest.fixture
def loans_on_record(actors, demo_db) -> list[int]:
    """Two loans besides the demo's (which may have none): one approved in January 2026 with
    its first instalment paid and later ones overdue on the as-of date, one only applied for."""
    worker = actors["community_worker"]
    takers = {"community_recommended": worker, "agency_reviewed": actors["street_officer"],
              "guarantee_committed": actors["district_officer"],
              "bank_approved": actors["city_officer"]}
    ids = []
    for seq in (61, 62):
        person_id = register(worker, demo_db, seq)
        certificates.issue(actors["street_officer"], demo_db, certificates.IssueCertificate(
            person_id=person_id, issued_on=dt.date(2025, 12, 2)))  # a loan needs a valid one
        ids.append(loans.apply(worker, demo_db, person_id=person_id, amount=10_000,
                               term_months=12, purpose="self_employment", project_kind="repair",
                               today=dt.date(2025, 12, 8)))
    version = 1
    for step, actor in takers.items():
        version = loans.take_step(actor, demo_db, loan_id=ids[0], expected_version=version,
                                  step=step, today=dt.date(2026, 1, 10))
    first = loans.instalments(worker, demo_db, loan_id=ids[0], today=AS_OF)[0]
    loans.record_repayment(worker, demo_db, repayment_id=first.id, paid_on=first.due_on)
    return ids


@pytest.fixture
def extract(actors, demo_db, loans_on_record, tmp_path):
    """An extract keyed with a named key, so the tests can find the ledger's rows in it."""
    write_extract(actors["researcher"], demo_db, out=tmp_path / "x", purpose=PURPOSE, k=5,
                  as_of=AS_OF, longitudinal="tests", reason="The tests compare with the ledger")
    return load_extract(tmp_path / "x")


def pids(uow) -> dict[int, str]:
    key = named_key("tests")
    with uow:
        return {i: pseudonym(key, i) for i in uow.session.scalars(select(Person.id))}


def numbers(kind: str, ids) -> dict[int, int]:
    key = named_key("tests")
    return {i: record_number(key, kind, i) for i in ids}


def test_the_tables_have_the_columns_of_the_release_policy_and_nothing_else(extract):
    for table in TABLES:
        assert tuple(extract.tables[table].columns) == released(table), table


def test_no_value_in_any_table_is_a_name_an_id_number_or_a_phone(extract, demo_db):
    with demo_db:
        people = demo_db.session.scalars(select(Person)).all()
        names = {p.name for p in people}
        identifiers = {p.id_number for p in people} | {p.phone for p in people if p.phone}
    leaks = []
    for table in TABLES:
        frame = extract.tables[table].astype("string")
        for column in frame.columns:
            for value in frame[column].dropna().unique():
                if value in names or any(n in value for n in identifiers):
                    leaks.append((table, column, value))

    assert len(extract.persons) == len(people)
    assert leaks == []


def test_no_table_has_a_column_for_names_addresses_birth_dates_or_exact_ages(extract):
    columns = {c for frame in extract.tables.values() for c in frame.columns}

    assert not columns & {"name", "id_number", "phone", "address", "birth_date", "community_id",
                          "age_at_registration", "household_members", "dependants",
                          "out_of_work_since", "out_of_work_month"}


def test_every_date_is_a_calendar_month_or_coarser_and_never_a_day(extract):
    month_columns = [(t, c) for t in TABLES for c in extract.tables[t].columns
                     if c.endswith("_month")]
    for table, column in month_columns:
        values = extract.tables[table][column].dropna()
        assert values.map(type).eq(str).all(), (table, column)
        assert {periods.level_of(v) for v in values} <= set(periods.LEVELS), (table, column)
    assert not [c for f in extract.tables.values() for c in f.columns
                if c.endswith(("_on", "_date", "since"))]
    assert len(month_columns) >= 15


def test_periods_are_read_back_as_text(extract):
    months = extract.courses["start_month"]

    assert months.dtype == object
    assert periods.months(months).notna().all()


@pytest.mark.parametrize("role", ["community_worker", "street_officer", "district_officer",
                                  "trainer", "admin"])
def test_only_researchers_and_city_officers_may_extract(role, actors, demo_db, tmp_path):
    with pytest.raises(AccessDenied):
        write_extract(actors[role], demo_db, out=tmp_path / "z", purpose=PURPOSE)

    assert not (tmp_path / "z").exists()
    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "extract", AuditEntry.outcome == "denied")).all()
        assert [e.username for e in denied] == [actors[role].username]


@pytest.mark.parametrize("purpose", ["", "   "])
def test_an_extract_without_a_purpose_is_refused_before_anything_is_written(
        purpose, actors, demo_db, tmp_path):
    with pytest.raises(ValidationError) as refused:
        write_extract(actors["researcher"], demo_db, out=tmp_path / "p", purpose=purpose)

    assert set(refused.value.fields) == {"purpose"}
    assert not (tmp_path / "p").exists()


def test_every_extract_is_logged_with_who_what_for_and_how_many_rows(actors, demo_db, tmp_path):
    write_extract(actors["city_officer"], demo_db, out=tmp_path / "c", purpose=PURPOSE,
                  as_of=AS_OF)

    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text("utf-8"))
    with demo_db:
        [(username, after)] = demo_db.session.execute(select(
            AuditEntry.username, AuditEntry.after).where(
            AuditEntry.action == "extract", AuditEntry.outcome == "ok")).all()
    assert username == actors["city_officer"].username
    assert after["purpose"] == PURPOSE
    assert after["rows"]["persons"] == len(pd.read_parquet(tmp_path / "c" / "persons.parquet"))
    assert after["k"] == 5 and after["as_of"] == AS_OF.isoformat()
    assert after["k_reached"] == manifest["k_reached"]
    assert set(after["k_reached"]) == {"persons", "placements", "subsidies", "loans"}
    assert after["coarsened"]["persons"]["street"] == manifest["coarsened"]["persons"]["street"]
    assert after["longitudinal"] is None


def test_the_dictionary_describes_every_column_with_its_treatment(extract):
    dictionary = json.loads((extract.folder / "dictionary.json").read_text("utf-8"))

    assert set(dictionary["tables"]) == set(TABLES)
    for table in TABLES:
        described = dictionary["tables"][table]
        assert list(described) == list(extract.tables[table].columns), table
        for column, entry in described.items():
            assert entry["description"] and entry["reason"], (table, column)
            assert entry["treatment"] != WITHHELD
        assert dictionary["withheld"][table] == [r.column for r in rules(table)
                                                 if r.treatment == WITHHELD]
    assert "days" in dictionary["notes"]["dates"] and "public" in dictionary["notes"]["dates"]


def test_loading_a_folder_without_an_extract_says_what_to_do(tmp_path):
    with pytest.raises(ValueError, match="casework extract --out DIR"):
        load_extract(tmp_path)


def test_an_extract_missing_a_table_is_refused_with_what_to_do(extract):
    (extract.folder / "loans.parquet").unlink()

    with pytest.raises(ValueError, match="lacks loans.*casework extract --out DIR"):
        load_extract(extract.folder)


def test_an_extract_with_dates_as_days_is_refused_with_what_to_do(extract):
    old = extract.persons.rename(columns={"registered_month": "registered_on"})
    old.to_parquet(extract.folder / "persons.parquet", index=False)

    with pytest.raises(ValueError, match="registered_month.*casework extract --out DIR"):
        load_extract(extract.folder)


# --- employment spells -------------------------------------------------------------------------

def test_each_status_is_a_spell_ending_in_the_month_the_next_began(extract, demo_db):
    with demo_db:
        registered = dict(demo_db.session.execute(select(Person.id, Person.registered_on)).all())
        history = demo_db.session.execute(select(
            EmploymentStatus.person_id, EmploymentStatus.status, EmploymentStatus.since)
            .order_by(EmploymentStatus.person_id, EmploymentStatus.since,
                      EmploymentStatus.id)).all()
    pid = pids(demo_db)
    expected = []
    for person, rows in itertools.groupby(history, key=lambda r: r.person_id):
        rows = list(rows)
        month = periods.month_text
        for row, after in zip(rows, [*rows[1:], None], strict=True):
            end = month(after.since) if after else None
            if after is not None and after.since <= registered[person]:
                continue  # over by the registration day
            start = month(row.since) if row.since > registered[person] else None
            expected.append((pid[person], row.status, start, end))

    spells = extract.employment
    assert sorted(zip(spells["pid"], spells["status"], spells["start_month"],
                      spells["end_month"], strict=True), key=str) == sorted(expected, key=str)
    assert spells["start_month"].isna().any() and spells["start_month"].notna().any()


def test_a_spell_over_by_the_registration_day_is_left_out_even_in_that_month():
    # Registered on 20 March 2025, out of work since 5 March: the job that ended then would
    # date the lay-off (and the registration month) if its end month were released.
    persons = pd.DataFrame({"person_id": [1, 2], "registered_on": [D(2025, 3, 20)] * 2})
    employment = pd.DataFrame({
        "id": range(6), "person_id": [1, 1, 1, 2, 2, 2],
        "status": ["employed", "unemployed", "employed"] * 2,
        "since": [D(2023, 1, 1), D(2025, 3, 5), D(2025, 6, 10),
                  D(2024, 2, 1), D(2025, 3, 20), D(2025, 3, 28)],
        "monthly_wage": [800, None, 900, 700, None, 750]})

    rows = spells(employment, persons)

    assert list(zip(rows["person_id"], rows["status"], rows["start_month"], rows["end_month"],
                    strict=True)) == [(1, "unemployed", None, "2025-06"),
                                      (1, "employed", "2025-06", None),
                                      (2, "unemployed", None, "2025-03"),
                                      (2, "employed", "2025-03", None)]


def test_nobody_is_in_two_spells_at_the_end_of_any_month(extract):
    spells = extract.employment
    begun = spells["start_month"].fillna("0000-00")
    ended = spells["end_month"].fillna("9999-99")

    for _pid, rows in spells.assign(begun=begun, ended=ended).groupby("pid"):
        assert (rows["ended"].iloc[:-1].to_numpy() <= rows["begun"].iloc[1:].to_numpy()).all()


# --- months out of work at registration ------------------------------------------------------

def test_whole_months_count_to_the_day_and_never_below_zero():
    assert whole_months(D(2025, 3, 15), D(2025, 6, 14)) == 2
    assert whole_months(D(2025, 3, 15), D(2025, 6, 15)) == 3
    assert whole_months(D(2024, 11, 30), D(2025, 1, 2)) == 1
    assert whole_months(D(2025, 6, 1), D(2025, 3, 1)) == 0  # out of work after registering


def test_months_out_fall_in_three_month_bands_up_to_two_years():
    bands = [h.months_out_band(m) for m in (0, 2, 3, 11, 12, 23, 24, 40)]

    assert bands == ["0-2", "0-2", "3-5", "9-11", "12-14", "21-23", "24+", "24+"]
    assert h.months_out_band(None) is None
    assert set(h.MONTHS_OUT_WIDE) == {h.months_out_band(m) for m in range(30)}
    assert set(h.MONTHS_OUT_WIDEST) == set(h.MONTHS_OUT_WIDE.values())


def test_months_out_at_registration_is_the_band_of_the_ledger_or_a_wider_one(actors, demo_db,
                                                                             tmp_path):
    # At k = 2, since at 5 the small demo's 80 people keep few bands.
    write_extract(actors["researcher"], demo_db, out=tmp_path / "k2", purpose=PURPOSE, k=2,
                  as_of=AS_OF, longitudinal="tests", reason="The tests compare with the ledger")
    extract = load_extract(tmp_path / "k2")
    with demo_db:
        dates = demo_db.session.execute(select(Person.id, Person.out_of_work_since,
                                               Person.registered_on)).all()
    pid = pids(demo_db)
    released = extract.persons.set_index("pid")["months_out_at_registration"]
    shown, never = 0, 0
    for person, since, registered in dates:
        value = released[pid[person]]
        if since is None:
            never += 1
            assert value is None, person  # no date on the ledger: missing, never a band
            continue
        band = h.months_out_band(whole_months(since, registered))
        wide = h.MONTHS_OUT_WIDE[band]
        assert value in (band, wide, h.MONTHS_OUT_WIDEST[wide], None), (person, value)
        shown += value is not None

    assert never > 0 and shown > 0


# --- placements, subsidies and loans -----------------------------------------------------------

def test_placements_subsidies_and_loans_have_a_row_for_every_record(extract, demo_db):
    pid = pids(demo_db)
    with demo_db:
        placements = {p.id: pid[p.person_id] for p in demo_db.session.scalars(select(Placement))}
        claims = {c.id: (c.amount, c.status) for c in demo_db.session.scalars(
            select(SubsidyClaim))}
        lent = {loan.id: pid[loan.person_id] for loan in demo_db.session.scalars(select(Loan))}
    placement_numbers = numbers("placement", placements)
    claim_numbers = numbers("claim", claims)
    loan_numbers = numbers("loan", lent)

    assert placements and claims and lent
    assert dict(zip(extract.placements["placement_id"], extract.placements["pid"],
                    strict=True)) == {placement_numbers[i]: p for i, p in placements.items()}
    assert {r.claim_id: (r.amount, r.status) for r in extract.subsidies.itertuples()} == {
        claim_numbers[i]: c for i, c in claims.items()}
    assert dict(zip(extract.loans["loan_id"], extract.loans["pid"], strict=True)) == {
        loan_numbers[i]: p for i, p in lent.items()}
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


def test_no_placement_subsidy_or_loan_gives_back_what_persons_withheld(extract):
    persons = extract.persons.set_index("pid")

    assert persons["street"].isna().any(), "the small demo is sparse enough to coarsen streets"
    for table, columns in (("placements", ("street", "district", "hardship")),
                           ("subsidies", ("street", "district")),
                           ("loans", ("street", "district"))):
        frame = extract.tables[table]
        for column in columns:
            withheld = set(persons.index[persons[column].isna()])
            assert frame.loc[frame["pid"].isin(withheld), column].isna().all(), (table, column)
    loans = extract.loans
    shown = loans["district"].notna()
    assert (loans.loc[shown, "district"]
            == loans.loc[shown, "pid"].map(persons["district"])).all()


def test_insurance_months_are_counted_from_the_contributions(extract, demo_db):
    grace = dt.timedelta(days=load_policy()["subsidy"]["insurance_grace_days"])
    with demo_db:
        paid = demo_db.session.execute(select(
            InsuranceContribution.placement_id, InsuranceContribution.due_on,
            InsuranceContribution.paid_on).where(InsuranceContribution.paid_on.is_not(None))
            ).all()
        ids = demo_db.session.scalars(select(Placement.id)).all()
    number = numbers("placement", ids)
    months = pd.Series([number[c.placement_id] for c in paid]).value_counts()
    late = pd.Series([number[c.placement_id] for c in paid if c.paid_on > c.due_on + grace],
                     dtype="int64").value_counts()
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
        ids = demo_db.session.scalars(select(Loan.id)).all()
        approved = set(demo_db.session.scalars(select(Loan.id).where(
            Loan.status == "bank_approved")))
    number = numbers("loan", ids)
    released = extract.loans.set_index("loan_id")

    assert sum(overdue.values()) > 0 and approved
    assert released["instalments_overdue"].to_dict() == {
        number[i]: overdue.get(i, 0) for i in ids}
    assert released["instalments_paid"].sum() >= 1
    assert set(released.index[released["approved"]]) == {number[i] for i in approved}
    assert extract.manifest["as_of"] == AS_OF.isoformat()


# --- enrolments and courses --------------------------------------------------------------------

def test_enrolments_carry_the_subject_and_kind_of_their_course(extract, demo_db):
    with demo_db:
        subject = {e.id: (c.occupation, c.kind) for e, c in demo_db.session.execute(
            select(Enrolment, Course).join(Course)).all()}
    number = numbers("enrolment", subject)
    subject = {number[i]: s for i, s in subject.items()}
    enrolments = extract.enrolments.set_index("enrolment_id")
    withheld = enrolments["pid"].isin(extract.persons.loc[extract.persons["street"].isna(), "pid"])

    assert set(enrolments.index) == set(subject)
    for column, position in (("occupation", 0), ("kind", 1)):
        shown = enrolments[column].dropna()
        assert shown.to_dict() == {i: subject[i][position] for i in shown.index}, column
        assert not enrolments.loc[~withheld, column].isna().any(), column
    assert enrolments.loc[withheld, "kind"].notna().any()
    assert extract.manifest["enrolments_unlinked"] == withheld.sum()
    assert extract.manifest["enrolment_subjects_withheld"] == (
        withheld & enrolments["occupation"].isna()).sum()


def test_no_enrolment_of_a_withheld_street_links_to_a_course_or_echoes_its_months(extract):
    persons, courses = extract.persons.set_index("pid"), extract.courses
    withheld = set(persons.index[persons["street"].isna()])
    theirs = extract.enrolments[extract.enrolments["pid"].isin(withheld)]
    follow_ups = extract.follow_ups[extract.follow_ups["pid"].isin(withheld)]

    assert len(theirs) > 0 and len(follow_ups) > 0
    assert str(extract.enrolments["course_id"].dtype) == "Int64"
    assert theirs["course_id"].isna().all()
    assert theirs.merge(courses, on="course_id").empty
    assert theirs[["applied_month", "completed_month", "dropped_month",
                   "hours_attended"]].isna().all(axis=None)
    assert follow_ups[["due_month", "recorded_month"]].isna().all(axis=None)



def hand_built(enrolments: list[dict], *, entrepreneurship: bool = True
               ) -> dict[str, pd.DataFrame]:
    """District D1 has streets S1 and S2; both ran cooking, only S1 sewing and only S2
    pastry (all reskilling), and only S2 an entrepreneurship course (unless left out). a lives
    in S1; b, c and d have their street withheld."""
    course = {"start_month": "2025-03", "end_month": "2025-05", "district": "D1"}
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
        applied_month="2025-02", completed_month="2025-05", dropped_month=None,
        hours_attended=100.0)
    rows = rows.merge(courses[["course_id", "occupation", "kind"]], on="course_id")
    follow_ups = pd.DataFrame({"enrolment_id": rows["enrolment_id"], "pid": rows["pid"],
                               "months": 3, "due_month": "2025-08", "recorded_month": None,
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
    assert rows.loc["a", "completed_month"] == "2025-05"
    assert pd.isna(rows.loc["b", "course_id"]) and pd.isna(rows.loc["c", "course_id"])
    assert rows.loc["b", ["occupation", "kind"]].tolist() == ["cooking", "reskilling"]
    assert pd.isna(rows.loc["b", "completed_month"])
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


def test_a_course_not_yet_begun_is_no_candidate_for_a_completed_enrolment():
    frames = hand_built([{"pid": "b", "course_id": 1}], entrepreneurship=False)
    courses = frames["courses"]
    courses.loc[courses["course_id"] == 2, ["start_month", "end_month"]] = ["2027-01",
                                                                            "2027-02"]

    unlink_courses(frames, D(2026, 11, 27))

    # Cooking ran in S1 only by then, so showing it would point to S1.
    assert frames["enrolments"].set_index("pid").loc["b", "occupation"] is None
