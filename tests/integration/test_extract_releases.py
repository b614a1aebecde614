"""Keys per release and the release log: two releases do not join unless a longitudinal key was
named (with a reason, which the log keeps); the key never reaches the extract or the log; the
city lists the log; the CLI asks for a purpose."""

import json

import pytest
from sqlalchemy import select

from casework import cli
from casework.db.models import AuditEntry, Placement
from casework.errors import AccessDenied, ValidationError
from casework.services import releases
from evaluation.extract import TABLES, load_extract, write_extract
from evaluation.keys import keys_dir, named_key, record_number
from tests.conftest import AS_OF
from tests.integration.test_extract import loans_on_record  # noqa: F401 (a fixture)

RECORD_IDS = ("course_id", "enrolment_id", "placement_id", "claim_id", "loan_id")


@pytest.fixture(autouse=True)
def keys_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEWORK_EXTRACT_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("CASEWORK_LANG", "en")


def release(actors, uow, folder, **options):
    write_extract(actors["researcher"], uow, out=folder, as_of=AS_OF,
                  purpose=options.pop("purpose", "Comparing releases"), **options)
    return load_extract(folder)


def values(extract, column: str) -> set:
    return {v for frame in extract.tables.values() if column in frame.columns
            for v in frame[column].dropna()}


@pytest.mark.usefixtures("loans_on_record")
def test_two_releases_share_no_pseudonym_and_no_record_number(actors, demo_db, tmp_path):
    first = release(actors, demo_db, tmp_path / "a")
    second = release(actors, demo_db, tmp_path / "b")

    assert len(values(first, "pid")) == len(first.persons)
    assert not values(first, "pid") & values(second, "pid")
    for column in RECORD_IDS:
        assert values(first, column), column
        assert not values(first, column) & values(second, column), column


@pytest.mark.usefixtures("loans_on_record")
def test_a_longitudinal_key_keeps_pseudonyms_and_numbers_and_the_log_says_why(
        actors, demo_db, tmp_path):
    reason = "Follow the 2026 cohort for two years"
    first = release(actors, demo_db, tmp_path / "a", longitudinal="cohort-2026", reason=reason)
    second = release(actors, demo_db, tmp_path / "b", longitudinal="cohort-2026",
                     reason=reason)

    assert values(first, "pid") == values(second, "pid")
    for column in RECORD_IDS:
        assert values(first, column) == values(second, column), column
    assert first.manifest["longitudinal"] == "cohort-2026"
    logged = releases.list_releases(actors["city_officer"], demo_db)
    assert [(r.longitudinal, r.reason) for r in logged] == [("cohort-2026", reason)] * 2


def test_the_key_never_reaches_the_extract_the_manifest_or_the_log(actors, demo_db, tmp_path):
    release(actors, demo_db, tmp_path / "x", longitudinal="kept", reason="A panel")
    secret = named_key("kept").secret

    written = b"".join(p.read_bytes() for p in (tmp_path / "x").iterdir())
    with demo_db:
        logged = json.dumps(demo_db.session.scalars(select(AuditEntry.after).where(
            AuditEntry.action == "extract")).all())
    assert keys_dir() != tmp_path / "x" and not (tmp_path / "x" / "kept.key").exists()
    for form in (secret, secret.hex().encode(), secret.hex().upper().encode()):
        assert form not in written
        assert form.decode("latin-1") not in logged
    assert (keys_dir() / ".gitignore").read_text("utf-8").strip() == "*"
    assert oct((keys_dir() / "kept.key").stat().st_mode)[-3:] == "600"


def test_rows_are_not_written_in_the_order_the_ledger_made_them(actors, demo_db, tmp_path):
    extract = release(actors, demo_db, tmp_path / "x", longitudinal="order", reason="A test")
    with demo_db:
        ids = demo_db.session.scalars(select(Placement.id)).all()
    ledger_id = {record_number(named_key("order"), "placement", i): i for i in ids}

    order = [ledger_id[n] for n in extract.placements["placement_id"]]
    assert len(order) >= 10
    assert order != sorted(order)
    for table in TABLES:
        key = {"persons": "pid", "employment": "pid", "visits": "pid"}.get(
            table, extract.tables[table].columns[0])
        assert extract.tables[table][key].is_monotonic_increasing, table


def test_a_longitudinal_release_needs_a_reason_and_a_plain_key_name(actors, demo_db, tmp_path):
    with pytest.raises(ValidationError) as no_reason:
        release(actors, demo_db, tmp_path / "a", longitudinal="panel")
    with pytest.raises(ValidationError) as bad_name:
        release(actors, demo_db, tmp_path / "b", longitudinal="../secret", reason="A panel")

    assert set(no_reason.value.fields) == {"reason"}
    assert set(bad_name.value.fields) == {"longitudinal"}
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


# --- the release log ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["city_officer", "admin"])
def test_the_city_lists_the_releases_newest_first_with_purpose_and_k(role, actors, demo_db,
                                                                     tmp_path):
    release(actors, demo_db, tmp_path / "a", purpose="Training evaluation 2026")
    release(actors, demo_db, tmp_path / "b", purpose="Subsidy cost 2026", k=7)

    logged = releases.list_releases(actors[role], demo_db)

    assert [r.purpose for r in logged] == ["Subsidy cost 2026", "Training evaluation 2026"]
    newest = logged[0]
    assert newest.username == actors["researcher"].username
    assert newest.k == 7 and newest.lowest_k >= 7
    assert newest.k_reached["persons"] >= 7
    assert newest.persons == len(load_extract(tmp_path / "b").persons)
    assert newest.folder == str(tmp_path / "b") and newest.as_of == AS_OF.isoformat()
    assert "street" in newest.coarsened_columns()
    assert newest.longitudinal is None and newest.reason is None


@pytest.mark.parametrize("role", ["researcher", "community_worker", "street_officer",
                                  "district_officer", "trainer"])
def test_other_roles_may_not_list_the_releases(role, actors, demo_db):
    with pytest.raises(AccessDenied):
        releases.list_releases(actors[role], demo_db)

    with demo_db:
        denied = demo_db.session.scalars(select(AuditEntry.username).where(
            AuditEntry.action == "list_extract_releases",
            AuditEntry.outcome == "denied")).all()
    assert denied == [actors[role].username]


# --- the command -------------------------------------------------------------------------------

def test_the_command_refuses_to_extract_without_a_purpose(db_url, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--database", db_url, "extract", "--out", str(tmp_path / "x")])

    assert exit_.value.code == 2
    assert "--purpose" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_command_writes_a_longitudinal_release_and_says_so(demo_db, db_url, tmp_path,
                                                              monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_USER", "demo-researcher")
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)  # main() sets it; restored afterwards

    code = cli.main(["--database", db_url, "extract", "--out", str(tmp_path / "x"),
                     "--purpose", "Panel study", "--as-of", AS_OF.isoformat(),
                     "--longitudinal", "panel", "--reason", "Two waves"])

    out = capsys.readouterr().out
    assert code == 0
    assert f"Research extract written to {tmp_path / 'x'}" in out
    assert "(k = 5)" in out and "'panel'" in out
    manifest = load_extract(tmp_path / "x").manifest
    assert manifest["longitudinal"] == "panel" and manifest["as_of"] == AS_OF.isoformat()


def test_the_command_asks_for_the_reason_of_a_longitudinal_release(demo_db, db_url, tmp_path,
                                                                  monkeypatch, capsys):
    monkeypatch.setenv("CASEWORK_USER", "demo-researcher")
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)

    code = cli.main(["--database", db_url, "extract", "--out", str(tmp_path / "x"),
                     "--purpose", "Panel study", "--longitudinal", "panel"])

    assert code == 2
    assert "say why" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
