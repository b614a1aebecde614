"""Each person counts once a year towards the 8,000: their first qualifying event, and on the
same day a placement before self-employment before flexible employment."""

import datetime as dt

from casework.services.progress import KINDS, Event, first_of_each_person


def event(person: int, day: dt.date, kind: str) -> Event:
    return Event(person, community_id=1, day=day, kind=kind)


def test_the_first_event_of_the_year_wins():
    placed, self_employed = (event(1, dt.date(2003, 3, 1), "placement"),
                             event(1, dt.date(2003, 5, 1), "self_employed"))

    assert first_of_each_person([self_employed, placed]) == [placed]


def test_a_later_placement_does_not_replace_an_earlier_flexible_job():
    flexible = event(1, dt.date(2003, 2, 1), "flexible")

    assert first_of_each_person([event(1, dt.date(2003, 9, 1), "placement"), flexible]) == [
        flexible]


def test_on_the_same_day_the_kinds_go_in_their_order():
    day = dt.date(2003, 6, 1)
    events = [event(1, day, kind) for kind in reversed(KINDS)]

    assert first_of_each_person(events) == [event(1, day, "placement")]
    assert KINDS == ("placement", "self_employed_loan", "self_employed", "flexible")


def test_different_people_each_count_once_in_date_order():
    events = [event(2, dt.date(2003, 4, 1), "flexible"),
              event(1, dt.date(2003, 4, 2), "placement"),
              event(2, dt.date(2003, 1, 5), "self_employed_loan"),
              event(1, dt.date(2003, 8, 1), "placement")]

    assert [(e.person_id, e.kind) for e in first_of_each_person(events)] == [
        (2, "self_employed_loan"), (1, "placement")]
