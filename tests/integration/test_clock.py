"""The casework's today: the calendar, unless the database carries a clock or the operator
fixes one with CASEWORK_TODAY."""

import datetime as dt

from casework import clock
from casework.services.uow import UnitOfWork


def test_a_database_without_a_clock_follows_the_calendar(db_url, monkeypatch):
    monkeypatch.delenv("CASEWORK_TODAY", raising=False)
    clock.forget()

    assert UnitOfWork(url=db_url).today() == dt.date.today()


def test_a_database_with_a_clock_is_in_its_own_day_until_the_clock_is_removed(db_url,
                                                                              monkeypatch):
    monkeypatch.delenv("CASEWORK_TODAY", raising=False)
    uow = UnitOfWork(url=db_url)
    with uow:
        clock.set_clock(uow.session, dt.date(2003, 9, 1))
        uow.commit()

    assert uow.today() == dt.date(2003, 9, 1)

    with uow:
        clock.set_clock(uow.session, None)
        uow.commit()
    assert uow.today() == dt.date.today()


def test_casework_today_overrides_the_database_clock(db_url, monkeypatch):
    uow = UnitOfWork(url=db_url)
    with uow:
        clock.set_clock(uow.session, dt.date(2003, 9, 1))
        uow.commit()
    monkeypatch.setenv("CASEWORK_TODAY", "2004-01-15")

    assert uow.today() == dt.date(2004, 1, 15)


def test_the_demo_carries_its_as_of_date_as_the_clock(demo_db, db_url, monkeypatch):
    monkeypatch.delenv("CASEWORK_TODAY", raising=False)
    clock.forget()
    from tests.conftest import AS_OF

    assert UnitOfWork(url=db_url).today() == AS_OF
