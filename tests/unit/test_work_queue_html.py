"""The work queue's section of the landing page, drawn from a queue made by hand."""

import re

import pytest

from casework.access import Actor
from casework.services.work_queue import KEYS, QueueItem, WorkQueue
from casework.ui.landing import queue_html
from casework.ui.shell import AppContext

WORKER = Actor(1, "w", "community_worker", 5, "/320700/320705/320705001/320705001001/",
               "community")
EVERY_APP = "ledger"  # every role may open the ledger


def ctx(lang: str, actor: Actor = WORKER) -> AppContext:
    return AppContext(lang, actor, uow=None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_item_is_a_link_to_its_app_with_its_count_in_an_element_of_its_own(lang):
    queue = WorkQueue(tuple(QueueItem(key, n, EVERY_APP) for n, key in enumerate(KEYS, 3)))

    page = queue_html(ctx(lang), queue)

    for n, key in enumerate(KEYS, 3):
        link = re.search(rf'<a class="cw-queue-{key}" href="ledger.ipynb\?lang={lang}">(.*?)</a>',
                         page)
        assert link, key
        assert f'<strong class="cw-queue-count">{n}</strong>' in link.group(1)
        assert "work_queue." not in link.group(1) and "{" not in link.group(1), key


def test_a_count_whose_app_the_account_may_not_open_is_left_out():
    queue = WorkQueue((QueueItem("visits_overdue", 2, "home_visits"),
                       QueueItem("courses_open", 1, "training_enrolment")))

    page = queue_html(ctx("en"), queue)

    assert "cw-queue-visits_overdue" in page and "cw-queue-courses_open" not in page


def test_an_empty_queue_says_so_in_the_users_language():
    assert "目前没有待您处理的事项" in queue_html(ctx("zh"), WorkQueue(()))
    assert "Nothing is waiting for you." in queue_html(ctx("en"), WorkQueue(()))
