"""An extract folder is replaced whole: the new version is written beside it and swapped in,
the old one comes back if the commit after the swap fails, a folder that is not an extract is
never replaced, and what a killed writer left beside the folder is cleared (or put back)."""

from __future__ import annotations

import subprocess

import pytest

from evaluation import atomic_folder


def extract_folder(path, text: str):
    path.mkdir()
    (path / "manifest.json").write_text(text)
    return path


def writes(text: str):
    def write(folder):
        (folder / "manifest.json").write_text(text)
        (folder / "persons.parquet").write_text(text)
    return write


def siblings(target) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_new_folder_appears_complete_and_nothing_is_left_beside_it(tmp_path):
    target = tmp_path / "extract"
    committed = []

    atomic_folder.replace(target, write=writes("new"), then=lambda: committed.append(True))

    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "persons.parquet"]
    assert committed == [True] and siblings(target) == []


@pytest.mark.parametrize("exchange", ["renameat2", "two renames"])
def test_an_old_extract_is_replaced_whole(tmp_path, monkeypatch, exchange):
    if exchange == "two renames":
        monkeypatch.setattr(atomic_folder, "_renameat2", lambda: None)
    target = extract_folder(tmp_path / "extract", "old")
    (target / "stale.parquet").write_text("old")

    atomic_folder.replace(target, write=writes("new"), then=lambda: None)

    assert (target / "manifest.json").read_text() == "new"
    assert not (target / "stale.parquet").exists() and siblings(target) == []


def test_when_the_commit_after_the_swap_fails_the_old_folder_comes_back(tmp_path):
    target = extract_folder(tmp_path / "extract", "old")

    def fail():
        raise RuntimeError("the log row was not committed")

    with pytest.raises(RuntimeError):
        atomic_folder.replace(target, write=writes("new"), then=fail)

    assert [p.name for p in target.iterdir()] == ["manifest.json"]
    assert (target / "manifest.json").read_text() == "old" and siblings(target) == []


def test_when_writing_fails_the_old_folder_stays_and_the_partial_one_goes(tmp_path):
    target = extract_folder(tmp_path / "extract", "old")

    def half(folder):
        (folder / "manifest.json").write_text("new")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_folder.replace(target, write=half, then=lambda: None)

    assert (target / "manifest.json").read_text() == "old" and siblings(target) == []


def test_only_an_absent_an_empty_or_an_extract_folder_may_be_replaced(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "letter.docx").write_text("keep me")
    (tmp_path / "a-file").write_text("x")

    assert atomic_folder.may_replace(tmp_path / "absent")
    assert atomic_folder.may_replace(tmp_path / "empty")
    assert atomic_folder.may_replace(extract_folder(tmp_path / "extract", "old"))
    assert not atomic_folder.may_replace(tmp_path / "documents")
    assert not atomic_folder.may_replace(tmp_path / "a-file")


def test_a_sweep_removes_a_dead_writers_partial_folder_but_not_a_living_ones(tmp_path):
    target = extract_folder(tmp_path / "extract", "old")
    dead = tmp_path / f".extract.partial-{dead_pid()}-abcd"
    living = atomic_folder.staging(target)
    dead.mkdir()

    atomic_folder.sweep(target)

    assert not dead.exists() and living.is_dir()
    assert (target / "manifest.json").read_text() == "old"


def test_a_sweep_puts_back_an_old_folder_a_writer_killed_between_two_renames_set_aside(
        tmp_path):
    target = tmp_path / "extract"
    aside = extract_folder(tmp_path / f".extract.old-{dead_pid()}-abcd", "old")

    atomic_folder.sweep(target)

    assert (target / "manifest.json").read_text() == "old" and not aside.exists()
