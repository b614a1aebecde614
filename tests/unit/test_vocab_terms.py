"""Free-text job wishes and skill notes map to the shared vocabulary; the rest is kept."""

import pytest

from casework.vocab_terms import map_text


def test_a_national_job_title_maps_to_its_occupation_and_not_to_the_word_inside_it():
    # 叉车司机 (forklift driver) contains 司机 (driver): only the longer title counts.
    assert map_text("叉车司机", to="skill").codes == ("forklift",)
    assert map_text("叉车司机", to="occupation").codes == ("transport",)


def test_several_wishes_map_in_order_and_what_maps_to_nothing_is_kept():
    found = map_text("养老护理员、保安，什么都行", to="occupation")
    assert found.codes == ("care", "security")
    assert found.unmapped == ("什么都行",)


def test_skill_notes_map_to_skill_codes_in_either_language():
    assert map_text("会开叉车; welder", to="skill").codes == ("forklift", "welding")


def test_empty_text_maps_to_nothing():
    assert map_text(None, to="occupation") == map_text("  ", to="occupation")
    assert map_text(None, to="occupation").codes == ()


def test_only_occupations_or_skills_can_be_mapped_to():
    with pytest.raises(ValueError, match="occupation"):
        map_text("电工", to="course")
