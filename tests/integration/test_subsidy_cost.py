"""Subsidy cost on a demo extract: the numbers come from the casework records (read through the
subsidy service and the models), and every breakdown adds up to the total."""

import pytest

from casework import demo
from casework.db.models import Placement
from casework.services import org, subsidies
from evaluation import cost_per_additional_placement, cost_per_placement
from evaluation.extract import load_extract, write_extract
from evaluation.training import training_frame
from tests.conftest import AS_OF
from tests.integration.helpers import count


@pytest.fixture
def extract(actors, demo_db, tmp_path):
    write_extract(actors["researcher"], demo_db, out=tmp_path / "x", as_of=AS_OF,
                  purpose="subsidy cost test")
    return load_extract(tmp_path / "x")


def paid_and_approved(actors, uow) -> tuple[int, int]:
    """Yuan paid and yuan approved but not yet paid, as the subsidy service lists the claims."""
    claims = subsidies.claims(actors["city_officer"], uow)
    return (sum(c.amount for c in claims if c.status == "paid"),
            sum(c.amount for c in claims if c.status == "approved"))


def test_gross_cost_is_the_paid_claims_over_the_placements_on_record(extract, actors, demo_db):
    paid, _ = paid_and_approved(actors, demo_db)
    placements = count(demo_db, Placement)

    result = cost_per_placement(extract)

    assert paid > 0 and placements > 0
    assert result.outlays == paid
    assert result.placements == placements
    assert result.cost == pytest.approx(paid / placements)


def test_committed_outlays_add_the_approved_claims(extract, actors, demo_db):
    paid, approved = paid_and_approved(actors, demo_db)

    result = cost_per_placement(extract, outlays="committed")

    assert result.outlays == paid + approved


@pytest.mark.parametrize("by", ["kind", "funding_level"])
def test_the_parts_by_kind_and_by_fund_add_up_to_the_total(extract, by):
    total = cost_per_placement(extract)

    table = cost_per_placement(extract, by=by).table

    assert table["outlays"].sum() == total.outlays
    assert table["cost_per_placement"].sum() == pytest.approx(total.cost)
    assert (table["placements"] == total.placements).all()


@pytest.mark.parametrize("by", ["district", "street", "year", "quarter"])
def test_the_groups_by_unit_and_by_time_share_out_every_placement_and_yuan(extract, by):
    total = cost_per_placement(extract)

    table = cost_per_placement(extract, by=by).table

    assert table["placements"].sum() == total.placements
    assert table["outlays"].sum() == total.outlays
    assert table["subsidised_placements"].sum() == total.subsidised_placements


@pytest.fixture
def larger_extract(uow, tmp_path):
    """A demo large enough (and k small enough) that some trained people keep their street."""
    demo.generate(uow, persons=300, seed=7, as_of=AS_OF)
    write_extract(org.load_actor(uow, "demo-researcher"), uow, out=tmp_path / "big", k=2,
                  as_of=AS_OF, purpose="cost per additional placement test")
    return load_extract(tmp_path / "big")


def test_cost_per_additional_placement_counts_the_trained_and_their_courses(larger_extract):
    frame = training_frame(larger_extract)
    trained = frame[(frame["treat"] == 1) & frame["employed_6m"].notna()]
    fees = trained.merge(larger_extract.courses[["course_id", "cost_per_trainee"]],
                         on="course_id", suffixes=("_frame", ""))

    result = cost_per_additional_placement(larger_extract, 0.1)

    assert result.n_treated == len(trained) > 0
    assert result.in_work == pytest.approx(trained["employed_6m"].sum())
    assert result.training_cost == pytest.approx(fees["cost_per_trainee"].sum())
    assert result.additional == pytest.approx(0.1 * len(trained))
    assert result.deadweight_share == pytest.approx(
        (trained["employed_6m"].mean() - 0.1) / trained["employed_6m"].mean())
    assert result.cost == pytest.approx(result.total_cost / (0.1 * len(trained)))


def test_the_groups_of_trained_people_share_out_the_total(larger_extract):
    total = cost_per_additional_placement(larger_extract, 0.1)

    for by in ("district", "street", "year", "component"):
        table = cost_per_additional_placement(larger_extract, 0.1, by=by).table
        assert table["total_cost"].sum() == pytest.approx(total.total_cost), by
        if by != "component":
            assert table["n_treated"].sum() == total.n_treated, by
            assert table["in_work"].sum() == pytest.approx(total.in_work), by
