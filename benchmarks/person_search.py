"""Time of a person search in the city-sized demo's ledger (demo_city.py ran first); prints
JSON.

As the pickers search (``person_search.search_persons``) and as the ledger's search box does
(``persons.list_persons(search=...)``), by the city officer (the whole city in scope) and by the
demo community worker. The queries: a surname, a whole name, the beginning of an ID number, the
beginning of a phone number, a whole ID number, and a name nobody has. Each is the median of
five runs after one warm-up; ``person_search_1m_ms`` is the slowest query's median.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from benchmarks.common import city_url, median_cpu_ms, median_ms, persons
from casework.db.models import Person
from casework.services import org
from casework.services.person_search import search_persons
from casework.services.persons import list_persons
from casework.services.uow import UnitOfWork

ACCOUNTS = ("demo-city-officer", "demo-community-worker")


def _queries(uow: UnitOfWork) -> dict[str, str]:
    with uow:
        someone = uow.session.execute(select(Person.name, Person.id_number, Person.phone)
                                      .order_by(Person.id).limit(1)).one()
    return {"surname": someone.name[0], "name": someone.name,
            "id_number_start": someone.id_number[:10], "phone_start": someone.phone[:7],
            "id_number": someone.id_number, "nobody": "欧阳无名"}


def main() -> dict:
    uow = UnitOfWork(url=city_url())
    queries = _queries(uow)
    out: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for username in ACCOUNTS:
        actor = org.load_actor(uow, username)
        for what, text in queries.items():
            out[f"{username} search_persons {what}"] = median_ms(
                lambda a=actor, t=text: search_persons(a, uow, text=t))
            out[f"{username} list_persons {what}"] = median_ms(
                lambda a=actor, t=text: list_persons(a, uow, search=t))
            cpu[f"{username} search_persons {what}"] = median_cpu_ms(
                lambda a=actor, t=text: search_persons(a, uow, text=t))
    pickers = {k: v for k, v in out.items() if "search_persons" in k}
    return {"benchmark": "person_search", "persons": persons(),
            "person_search_1m_ms": max(pickers.values()),
            "slowest": max(pickers, key=pickers.get), "queries": queries, "ms": out,
            "pickers_cpu_ms": cpu}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
