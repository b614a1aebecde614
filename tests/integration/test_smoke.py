from casework.services import persons


def test_the_demo_community_worker_sees_only_their_community(actors, demo_db):
    worker = actors["community_worker"]
    rows = persons.list_persons(worker, demo_db)
    assert rows
    assert {r.community_id for r in rows} == {worker.unit_id}
