"""?extract=NAME names a folder under the extracts folder and nothing else."""

import os

import pytest

from casework.extract_paths import ExtractPathRefused, extract_under, name_problem


@pytest.mark.parametrize("name", ["demo", "2026-11/city", "a b", "x.y", "..x", "x.."])
def test_a_plain_relative_name_is_accepted(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(("name", "problem"), [
    ("", "empty"), ("   ", "empty"), ("de\x00mo", "empty"),
    ("/etc", "absolute"), ("/tmp/extracts/demo", "absolute"), ("\\\\server\\share", "absolute"),
    ("C:\\extracts", "absolute"), ("c:demo", "absolute"), ("~/demo", "absolute"),
    ("..", "parent"), ("../demo", "parent"), ("demo/../../etc", "parent"),
    ("demo\\..\\..\\etc", "parent"), ("demo/..", "parent"),
])
def test_a_name_that_is_a_full_path_or_climbs_out_is_refused(name, problem):
    assert name_problem(name) == problem


def test_the_folder_named_lies_under_the_extracts_folder(tmp_path):
    (tmp_path / "demo").mkdir()

    assert extract_under(tmp_path, "demo") == (tmp_path / "demo").resolve()
    assert extract_under(tmp_path, "later/one") == (tmp_path / "later" / "one").resolve()


def test_the_extracts_folder_itself_is_not_an_extract(tmp_path):
    for name in (".", "./", "./."):
        with pytest.raises(ExtractPathRefused) as refused:
            extract_under(tmp_path, name)
        assert refused.value.problem == "outside"


def test_a_link_that_leads_out_of_the_extracts_folder_is_refused(tmp_path):
    base, elsewhere = tmp_path / "extracts", tmp_path / "elsewhere"
    base.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, base / "escape")

    with pytest.raises(ExtractPathRefused) as refused:
        extract_under(base, "escape")

    assert refused.value.problem == "outside"
    assert str(base) in refused.value.text("en")


def test_a_link_that_stays_inside_the_extracts_folder_is_followed(tmp_path):
    (tmp_path / "2026").mkdir()
    os.symlink(tmp_path / "2026", tmp_path / "latest")

    assert extract_under(tmp_path, "latest") == (tmp_path / "2026").resolve()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_refusal_says_why_in_both_languages(tmp_path, lang):
    for name in ("", "/etc", "../x"):
        with pytest.raises(ExtractPathRefused) as refused:
            extract_under(tmp_path, name)
        text = refused.value.text(lang)
        assert not text.startswith("access.")  # a catalogue entry, not the bare key
        assert str(tmp_path) in text
