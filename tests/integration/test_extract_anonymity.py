"""k-anonymity of the research extract, checked by an independent tool (pycanon) and by playing
an attacker who links the ledger's facts to it: on the small demo and on a deliberately skewed
data set, a street with only three people."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pycanon.anonymity import k_anonymity
from sqlalchemy import select

from casework.db.models import OrgUnit, Person
from casework.ids import make_resident_id
from casework.services import org, persons
from evaluation import hierarchies as h
from evaluation import periods
from evaluation.anonymity import make_k_anonymous
from evaluation.extract import load_extract, write_extract
from evaluation.release import whole_months
from evaluation.release_policy import ANONYMITY, QUASI_IDENTIFIER, quasi_identifiers, rules
from tests.conftest import AS_OF

K = 5
LONELY_STREET = "320705099"


@pytest.fixture(autouse=True)
def keys_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEWORK_EXTRACT_KEYS", str(tmp_path / "keys"))


def extract_of(actors, uow, folder):
    write_extract(actors["researcher"], uow, out=folder, purpose="Checking k-anonymity", k=K,
                  as_of=AS_OF)
    return load_extract(folder)


@pytest.fixture
def demo_extract(actors, demo_db, tmp_path):
    return extract_of(actors, demo_db, tmp_path / "x")


@pytest.fixture
def skewed_db(actors, demo_db):
    """The demo plus a new street of district 320705 where only three people live, alike in
    age, schooling and registration day, and unlike everyone else."""
    admin, officer = actors["admin"], actors["city_officer"]
    with demo_db:
        district = demo_db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "320705"))
    street = org.add_unit(admin, demo_db, parent_id=district, code=LONELY_STREET,
                          level="street", name_zh="孤街道", name_en="Lonely Street")
    community = org.add_unit(admin, demo_db, parent_id=street, code=f"{LONELY_STREET}001",
                             level="community", name_zh="孤社区", name_en="Lonely Community")
    for n in range(3):
        persons.register_person(officer, demo_db, today=AS_OF, values={
            "name": f"孤{n}", "id_number": make_resident_id("320705", dt.date(1967, 5, 1 + n),
                                                           400 + n, "M"),
            "category": "laid_off", "education": "university", "household_members": 1,
            "dependants": 0, "out_of_work_since": dt.date(2026, 9, 1), "community_id": community})
    return demo_db


@pytest.fixture
def skewed_extract(actors, skewed_db, tmp_path):
    return extract_of(actors, skewed_db, tmp_path / "s")


def pycanon_k(frame: pd.DataFrame, columns: list[str]) -> int:
    """k as pycanon computes it; a missing value is the fully generalised '*'."""
    return k_anonymity(frame[columns].astype("string").fillna("*"), columns)


def assert_k_anonymous_by_pycanon(extract) -> None:
    for table in ANONYMITY:
        frame, columns = extract.tables[table], list(quasi_identifiers(table))
        if len(frame) >= K:
            assert pycanon_k(frame, columns) >= K, table
            assert extract.manifest["k_reached"][table] == pycanon_k(frame, columns), table
        else:  # too few rows for any group of K: every quasi-identifier is withheld
            assert frame[columns].isna().all(axis=None), table
            assert extract.manifest["suppressed"][table] == len(frame), table


def test_pycanon_finds_every_table_of_the_demo_extract_k_anonymous(demo_extract):
    assert len(demo_extract.persons) >= K and len(demo_extract.placements) >= K
    assert_k_anonymous_by_pycanon(demo_extract)


def test_pycanon_finds_the_skewed_extract_k_anonymous(skewed_extract):
    assert_k_anonymous_by_pycanon(skewed_extract)


def test_a_street_of_three_people_is_never_shown(skewed_extract, skewed_db):
    for table in ("persons", "placements", "subsidies", "loans"):
        assert LONELY_STREET not in set(skewed_extract.tables[table]["street"].dropna()), table
    with skewed_db:
        assert skewed_db.session.query(Person).count() == len(skewed_extract.persons)


def test_a_suppressed_row_loses_every_quasi_identifier():
    # Five alike, and two who are like nobody: not even their sex or flag can be kept
    # without leaving one of them alone, so the two lose everything, together.
    frame = pd.DataFrame({"sex": ["M"] * 5 + ["F", "M"], "district": ["D1"] * 5 + ["D2", "D3"],
                          "street": ["S1"] * 5 + ["S2", "S3"],
                          "hardship": [False] * 5 + [True, False], "wage": range(7)})

    result = make_k_anonymous(frame, (h.flag("sex"), h.place(), h.flag("hardship")), k=2)

    out = result.frame
    assert result.suppressed == 2 and result.k == 2
    assert out.loc[5:, ["sex", "district", "street", "hardship"]].isna().all(axis=None)
    assert out.loc[:4].equals(frame.loc[:4].astype(out.dtypes.to_dict()))
    assert out["wage"].tolist() == list(range(7))


def test_generalising_comes_before_suppressing():
    # District D1: street S1 has 3 people, S3 has 4 and S2 has 9. S2's people keep their
    # street; S1's and S3's lose it (together they are 7) but keep the district.
    frame = pd.DataFrame({"district": ["D1"] * 16,
                          "street": ["S1"] * 3 + ["S3"] * 4 + ["S2"] * 9,
                          "age_band": ["25-34", "35-44", "16-24"] + ["25-34"] * 13})

    result = make_k_anonymous(frame, (h.place(), h.AGE), k=5)

    out = result.frame
    assert result.suppressed == 0
    assert out["district"].eq("D1").all()
    assert out.loc[:6, "street"].isna().all() and out.loc[7:, "street"].eq("S2").all()
    assert pycanon_k(out, ["district", "street", "age_band"]) >= 5
    assert result.coarsened["street"] == 7


def test_the_plan_decides_what_to_keep_when_either_could_be_kept():
    frame = pd.DataFrame({"sex": ["M", "F"] * 5, "hardship": [True] * 5 + [False] * 5})
    ladders = (h.flag("sex"), h.flag("hardship"))

    sex_first = make_k_anonymous(frame, ladders, k=5, plan=(("sex", 1), ("hardship", 1)))
    flag_first = make_k_anonymous(frame, ladders, k=5, plan=(("hardship", 1), ("sex", 1)))

    assert sex_first.frame["sex"].notna().all() and sex_first.frame["hardship"].isna().all()
    assert flag_first.frame["hardship"].notna().all() and flag_first.frame["sex"].isna().all()


def test_the_persons_plan_keeps_schooling_where_sex_would_keep_more_rows_finer():
    # Fourteen people alike but for sex (7 and 7) and schooling (5 basic, 5 secondary, 4
    # higher): either can be kept, not both. Sex would keep all 14 finer, schooling 5 (the
    # higher four need five more to make a group with). The persons' plan puts schooling
    # first and its slack lets the plan prevail; with a small slack the count decides.
    persons = ANONYMITY["persons"]
    frame = pd.DataFrame({
        "district": "D1", "street": "S1", "category": "laid_off",
        "registered_month": "2025-03", "months_out_at_registration": "3-5",
        "age_band": "25-34", "hardship": False, "sex": ["M", "F"] * 7,
        "education": ["junior_middle"] * 5 + ["vocational"] * 5 + ["college"] * 4})

    planned = make_k_anonymous(frame, persons.ladders, k=5, plan=persons.plan,
                               slack=persons.slack).frame
    counted = make_k_anonymous(frame, persons.ladders, k=5, plan=persons.plan,
                               slack=0.1).frame

    assert planned["education"].notna().sum() == 5 and planned["sex"].isna().all()
    assert counted["sex"].notna().all() and counted["education"].isna().all()


# --- the linkage attack ------------------------------------------------------------------------

def ledger_knowledge(uow) -> pd.DataFrame:
    """What the attacker knows of each person: sex, birth year, district, registration day and
    the day they were out of work since (a lay-off is known at work)."""
    with uow:
        units = {u.id: (u.level, u.parent_id, u.code) for u in uow.session.scalars(
            select(OrgUnit))}
        rows = uow.session.execute(select(Person.sex, Person.birth_date, Person.registered_on,
                                          Person.out_of_work_since, Person.community_id)).all()

    def district(unit_id: int) -> str:
        while units[unit_id][0] not in ("district", "county"):
            unit_id = units[unit_id][1]
        return units[unit_id][2]

    return pd.DataFrame({"sex": [r.sex for r in rows],
                         "born": [r.birth_date.year for r in rows],
                         "registered": [r.registered_on for r in rows],
                         "months_out": [None if r.out_of_work_since is None else
                                        whole_months(r.out_of_work_since, r.registered_on)
                                        for r in rows],
                         "district": [district(r.community_id) for r in rows]})


def band_limits(bands: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    low = bands.map(lambda b: None if b is None else int(b.rstrip("+").split("-")[0]))
    high = bands.map(lambda b: None if b is None else (200 if b.endswith("+")
                                                       else int(b.split("-")[1])))
    return low.astype(float).to_numpy(), high.astype(float).to_numpy()


def compatible_rows(known: pd.DataFrame, persons: pd.DataFrame) -> np.ndarray:
    """For each person the attacker knows, how many extract rows could be theirs: a missing or
    generalised value matches everything it could stand for."""
    sex = persons["sex"].to_numpy(dtype=object)
    district = persons["district"].to_numpy(dtype=object)
    first, last = periods.bounds(persons["registered_month"])
    low, high = band_limits(persons["age_band"])
    out_low, out_high = band_limits(persons["months_out_at_registration"])
    counts = []
    for person in known.itertuples():
        month = pd.Period(person.registered, freq="M")
        ages = np.array([person.registered.year - person.born - 1,
                         person.registered.year - person.born])
        ages = np.maximum(ages, 16)
        fits = ((sex == None) | (sex == person.sex))  # noqa: E711
        fits &= (district == None) | (district == person.district)  # noqa: E711
        fits &= (first.isna() | ((first <= month) & (last >= month))).to_numpy()
        band_ok = np.isnan(low) | ((low <= ages.max()) & (high >= ages.min()))
        if pd.isna(person.months_out):  # missing stands for "no date" as well as "withheld"
            out_ok = np.isnan(out_low)
        else:
            out_ok = np.isnan(out_low) | ((out_low <= person.months_out)
                                          & (out_high >= person.months_out))
        counts.append(int((fits & band_ok & out_ok).sum()))
    return np.array(counts)


def test_an_attacker_who_knows_sex_birth_year_district_registration_and_lay_off_finds_k_rows(
        demo_extract, demo_db):
    known = ledger_knowledge(demo_db)

    matches = compatible_rows(known, demo_extract.persons)

    assert len(matches) == len(demo_extract.persons)
    assert matches.min() >= K


def test_the_attacker_fares_no_better_on_the_street_of_three(skewed_extract, skewed_db):
    known = ledger_knowledge(skewed_db)

    matches = compatible_rows(known, skewed_extract.persons)

    assert matches.min() >= K
    lonely = known["born"].eq(1967) & known["registered"].eq(AS_OF)
    assert lonely.sum() >= 3 and (matches[lonely.to_numpy()] >= K).all()


def test_the_attack_would_succeed_on_the_ledger_itself(demo_db):
    # The attack is not toothless: on the exact values most people are unique.
    known = ledger_knowledge(demo_db)
    exact = pd.DataFrame({"sex": known["sex"], "district": known["district"],
                          "registered_month": [periods.month_text(d) for d in
                                               known["registered"]],
                          "age_band": [h.age_band(d.year - b) for d, b in
                                       zip(known["registered"], known["born"], strict=True)],
                          "months_out_at_registration": known["months_out"].map(
                              h.months_out_band)})

    matches = compatible_rows(known, exact)

    assert (matches < K).mean() > 0.5


# --- the release policy ------------------------------------------------------------------------

@pytest.mark.parametrize("table", list(ANONYMITY))
def test_the_quasi_identifiers_are_the_columns_the_policy_names_so(table):
    named = {r.column for r in rules(table) if r.treatment == QUASI_IDENTIFIER}

    assert set(quasi_identifiers(table)) == named


@pytest.mark.parametrize("table", list(ANONYMITY))
def test_the_plan_names_every_rung_of_every_ladder_once(table):
    anonymity = ANONYMITY[table]
    rungs = {(ladder.name, level) for ladder in anonymity.ladders
             for level in range(1, ladder.depth + 1)}

    assert sorted(anonymity.plan) == sorted(rungs)
    assert len(set(anonymity.plan)) == len(anonymity.plan)
