"""subgroup_effects: one ATT per value of each grouping column, small cells listed, not hidden."""

import numpy as np
import pandas as pd
import pytest

from evaluation import SubgroupResults, estimate_att, subgroup_effects

pytestmark = pytest.mark.filterwarnings("ignore::evaluation.OverlapWarning")


def people(seed=4):
    """Three districts (the last tiny), women and men; the effect is 1 for women, 2 for men."""
    rng = np.random.default_rng(seed)
    district = np.repeat(["east", "north", "west"], [400, 300, 12])
    woman = (rng.random(district.size) < 0.5).astype(int)
    x = rng.normal(size=district.size)
    t = (rng.random(district.size) < 1 / (1 + np.exp(-(0.5 * x - 0.3)))).astype(int)
    y = x + 0.3 * (district == "north") + t * np.where(woman == 1, 1.0, 2.0) \
        + rng.normal(size=district.size)
    return pd.DataFrame({"district": district, "woman": woman, "north": (district == "north")
                         .astype(int), "x": x, "treat": t, "y": y})


DATA = people()


def by_group(**kwargs):
    kwargs.setdefault("method", "difference")
    return subgroup_effects(DATA, treatment="treat", outcome="y",
                            covariates=["x", "north", "woman"], **kwargs)


def test_each_group_is_the_difference_in_means_within_it():
    res = by_group(by="woman")
    assert isinstance(res, SubgroupResults)
    table = res.to_frame()
    assert list(table.columns) == ["n_treated", "n_control", "estimate", "std_error", "ci_low",
                                   "ci_high", "note"]
    assert list(table.index) == [("woman", 0), ("woman", 1)]
    for value in (0, 1):
        part = DATA[DATA["woman"] == value]
        means = part.groupby("treat")["y"].mean()
        row = table.loc[("woman", value)]
        assert row["estimate"] == pytest.approx(means[1] - means[0])
        assert row["n_treated"] == part["treat"].sum()
        assert row["n_control"] == (part["treat"] == 0).sum()
        assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_the_grouping_covariate_is_dropped_where_it_is_constant_and_the_note_says_so():
    res = by_group(by="woman", method="regression")
    part = DATA[DATA["woman"] == 1]
    direct = estimate_att(part, treatment="treat", outcome="y", covariates=["x", "north"],
                          method="regression")
    row = res.table.loc[("woman", 1)]
    assert row["estimate"] == pytest.approx(direct.estimate)
    assert row["std_error"] == pytest.approx(direct.std_error)
    assert row["note"] == "dropped here (constant or redundant): woman"
    assert res.results[("woman", 1)].estimate == pytest.approx(direct.estimate)


def test_the_effects_differ_where_the_simulation_made_them_differ():
    table = by_group(by="woman", method="aipw").table
    women, men = table.loc[("woman", 1)], table.loc[("woman", 0)]
    assert women["ci_low"] < 1.0 < women["ci_high"]
    assert men["ci_low"] < 2.0 < men["ci_high"]


def test_a_group_below_the_minimum_cell_size_is_listed_with_its_counts_and_no_estimate():
    res = by_group(by=["district", "woman"], min_treated=20, min_control=20)
    table = res.table
    assert list(table.index) == [("district", "east"), ("district", "north"),
                                 ("district", "west"), ("woman", 0), ("woman", 1)]
    west = table.loc[("district", "west")]
    part = DATA[DATA["district"] == "west"]
    assert (west["n_treated"], west["n_control"]) == (part["treat"].sum(),
                                                       (part["treat"] == 0).sum())
    assert np.isnan(west["estimate"]) and np.isnan(west["std_error"])
    assert west["note"].startswith("too small")
    assert ("district", "west") not in res.results
    assert table.loc[("district", "north"), "note"] == "dropped here (constant or redundant): north"


def test_a_group_whose_estimate_fails_says_why():
    # In the north, "level" is the treatment itself: the logit separates there only.
    data = DATA.assign(level=np.where(DATA["district"] == "north", DATA["treat"] * 2.0,
                                      DATA["x"]))
    res = subgroup_effects(data, by="district", treatment="treat", outcome="y", method="ipw",
                           covariates=["level"], min_treated=5, min_control=5)
    note = res.table.loc[("district", "north"), "note"]
    assert note.startswith("not estimated: The propensity-score logit failed")
    assert np.isfinite(res.table.loc[("district", "east"), "estimate"])


def test_subgroup_results_render_themselves():
    res = by_group(by=["district"])
    text = res.summary()
    assert "Grouped by:" in text and "Groups too small: 1" in text and "west" in text
    page = res._repr_html_()
    assert page.startswith("<div>") and "too small" in page and "<table" in page
    assert str(res) == text


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": "county"}, "no grouping column\\(s\\) named 'county'"),
    ({"by": []}, "by must name at least one grouping column"),
    ({"by": "woman", "min_treated": 1}, "min_treated must be an integer of at least 2"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        by_group(**kwargs)


def test_a_covariate_selector_chooses_what_each_group_uses():
    rng = np.random.default_rng(3)
    n = 400
    data = pd.DataFrame({"treat": rng.integers(0, 2, n), "y": rng.normal(size=n),
                         "x": rng.normal(size=n), "group": np.repeat(["a", "b"], n // 2)})
    data["copy_of_x"] = data["x"] * 2

    result = subgroup_effects(data, by="group", treatment="treat", outcome="y",
                              covariates=["x", "copy_of_x"], method="regression",
                              select_covariates=lambda part, names: names[:1])

    assert set(result.results) == {("group", "a"), ("group", "b")}
    assert result.table["note"].str.contains("copy_of_x").all()
