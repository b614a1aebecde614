"""Results objects for the subsidy-cost functions: read-only properties, text and HTML views."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.results import AttResults, _SummaryMixin

_BASIS = {"paid": "claims paid", "committed": "claims approved or paid"}


def _yuan(value: float) -> str:
    if math.isnan(value):
        return "undefined"
    return "infinite" if math.isinf(value) else f"{value:,.2f} yuan"


class _CostMixin(_SummaryMixin):
    """What both cost results share: the group table, the totals and the outlays counted."""

    def __init__(self, *, table: pd.DataFrame, total: pd.Series, by: str | None,
                 outlays_basis: str) -> None:
        self._table, self._total = table, total
        self._by, self._basis = by, outlays_basis

    @property
    def table(self) -> pd.DataFrame:
        """One row per group (a single row ``all`` when ``by`` is None)."""
        return self._table.copy()

    @property
    def by(self) -> str | None:
        """The grouping, or None."""
        return self._by

    @property
    def outlays_basis(self) -> str:
        """``paid`` (claims paid) or ``committed`` (approved or paid)."""
        return self._basis

    @property
    def outlays(self) -> float:
        """Yuan of subsidy outlays counted (the numerator)."""
        return float(self._total["outlays"])

    def to_frame(self) -> pd.DataFrame:
        """Return the headline numbers as a one-row DataFrame (ready for ``pd.concat``)."""
        return super().to_frame().rename_axis("measure")


class CostResults(_CostMixin):
    """Gross subsidy cost per placement, returned by ``cost_per_placement``."""

    _title = "Gross subsidy cost per placement"

    @property
    def placements(self) -> int:
        """Placements in the extract (the denominator)."""
        return int(self._total["placements"])

    @property
    def subsidised_placements(self) -> int:
        """Placements with at least one counted claim."""
        return int(self._total["subsidised_placements"])

    @property
    def share_subsidised(self) -> float:
        """Subsidised placements over all placements."""
        return float(self._total["share_subsidised"])

    @property
    def cost(self) -> float:
        """Outlays divided by placements, in yuan (NaN without placements)."""
        return float(self._total["cost_per_placement"])

    @property
    def nobs(self) -> int:
        """Number of placements."""
        return self.placements

    def _header_rows(self) -> list[tuple[str, str]]:
        return [("Outlays counted", _BASIS[self._basis]), ("Grouped by", str(self._by)),
                ("Placements", str(self.placements)),
                ("Subsidised placements", f"{self.subsidised_placements} "
                                          f"({self.share_subsidised:.1%})"),
                ("Outlays", _yuan(self.outlays)), ("Cost per placement", _yuan(self.cost))]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        caption = {None: "Total", "kind": "By subsidy kind; every row divides by all "
                   "placements, so the parts add up to the total",
                   "funding_level": "By paying fund; every row divides by all placements, so "
                   "the parts add up to the total",
                   "district": "By the district of the investing unit",
                   "street": "By the street of the investing unit ('withheld': the person's "
                   "street was coarsened for anonymity)",
                   "year": "By the year the placement started",
                   "quarter": "By the quarter the placement started"}[self._by]
        return [(caption, self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return "cost_per_placement", {
            "outlays": self.outlays, "placements": self.placements,
            "subsidised_placements": self.subsidised_placements,
            "share_subsidised": self.share_subsidised, "cost_per_placement": self.cost}

    def plot(self, *, title: str = "", xlabel: str = "", ylabel: str = "",
             total_label: str = "all"):
        """A matplotlib Figure: cost per placement for each group as bars, the total as a
        dashed line. Labels may be Chinese (a CJK font is registered)."""
        import matplotlib.pyplot as plt

        from evaluation.plotting import use_cjk_font

        use_cjk_font()
        figure, axes = plt.subplots(figsize=(7, 3.6))
        costs = self._table["cost_per_placement"]
        axes.bar([str(g) for g in costs.index], costs.to_numpy(), color="#4c72b0")
        axes.axhline(self.cost, color="#dd8452", linestyle="--", label=total_label)
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.legend()
        axes.tick_params(axis="x", labelrotation=45 if len(costs) > 6 else 0)
        figure.tight_layout()
        plt.close(figure)
        return figure

    def __repr__(self) -> str:
        return (f"CostResults(cost={self.cost:.4g}, outlays={self.outlays:.0f}, "
                f"placements={self.placements}, by={self._by!r})")


class AdditionalCostResults(_CostMixin):
    """Subsidy cost per additional placement, returned by ``cost_per_additional_placement``.

    ``std_error`` is the delta-method standard error; ``ci_low`` and ``ci_high`` map the
    effect's 95% interval through the cost formula (``ci_high`` is infinite when that interval
    reaches 0 or below).
    """

    _title = "Subsidy cost per additional placement"

    def __init__(self, *, effect: AttResults | float, effect_numbers: tuple, notes: list[str],
                 placements: int, **common) -> None:
        super().__init__(**common)
        self._effect_source = effect
        self._e, self._e_se, self._e_low, self._e_high = effect_numbers
        self._notes, self._placements = notes, placements

    def _number(self, column: str) -> float:
        return float(self._total[column])

    @property
    def effect(self) -> float:
        """The effect on the share employed that was used."""
        return self._e

    @property
    def effect_std_error(self) -> float:
        """Its standard error (NaN when the effect was given as a number)."""
        return self._e_se

    @property
    def effect_ci(self) -> tuple[float, float]:
        """Its 95% confidence interval (NaN when the effect was given as a number)."""
        return self._e_low, self._e_high

    @property
    def placements(self) -> int:
        """All placements in the extract, trained or not."""
        return self._placements

    @property
    def n_treated(self) -> int:
        """Trained people (``treat == 1`` in ``training_frame``)."""
        return int(self._total["n_treated"])

    @property
    def placements_treated(self) -> int:
        """Placements of the trained people."""
        return int(self._total["placements_treated"])

    @property
    def additional(self) -> float:
        """Placements training added: effect × n_treated."""
        return self._number("additional")

    @property
    def counterfactual(self) -> float:
        """Placements of the trained that would have happened anyway."""
        return self._number("counterfactual")

    @property
    def deadweight_share(self) -> float:
        """Counterfactual over the trained people's placements."""
        return self._number("deadweight_share")

    @property
    def cost(self) -> float:
        """Outlays on the trained people's placements per additional placement, in yuan."""
        return self._number("cost_per_additional_placement")

    @property
    def std_error(self) -> float:
        """Delta-method standard error of the cost."""
        return self._number("std_error")

    @property
    def ci_low(self) -> float:
        """Lower bound of the 95% interval (the effect's upper bound mapped)."""
        return self._number("ci_low")

    @property
    def ci_high(self) -> float:
        """Upper bound of the 95% interval; infinite when the effect's interval reaches 0."""
        return self._number("ci_high")

    @property
    def nobs(self) -> int:
        """Observations behind the effect (treated and control), else the trained."""
        source = self._effect_source
        return source.nobs if isinstance(source, AttResults) else self.n_treated

    @property
    def notes(self) -> list[str]:
        """Assumptions and caveats, as the summary states them."""
        notes = list(self._notes)
        if self._by is not None:
            notes.append("The effect is assumed to be the same in every group: each group's "
                         "additional placements are the effect times its trained people.")
        if math.isnan(self._e_se):
            notes.append("The effect was given as a number without uncertainty, so there is "
                         "no standard error or interval.")
        elif self._e_low <= 0 < self._e_high:
            notes.append("The effect's 95% interval reaches 0 or below, so the cost's upper "
                         "bound is infinite: the data allow that training added no placements.")
        if self._e <= 0:
            notes.append("The effect is 0 or below: the cost per additional placement is "
                         "undefined.")
        return notes

    def _header_rows(self) -> list[tuple[str, str]]:
        e_ci = ("" if math.isnan(self._e_se) else
                f" (s.e. {self._e_se:.4f}; 95% CI {self._e_low:.4f} to {self._e_high:.4f})")
        rows = [("Effect on the share employed", f"{self._e:.4f}{e_ci}"),
                ("Outlays counted", _BASIS[self._basis]), ("Grouped by", str(self._by)),
                ("Trained people", str(self.n_treated)),
                ("Their placements", str(self.placements_treated)),
                ("Additional placements", f"{self.additional:.2f}"),
                ("Counterfactual placements", f"{self.counterfactual:.2f}"),
                ("Deadweight share", f"{self.deadweight_share:.1%}"),
                ("Outlays on their placements", _yuan(self.outlays)),
                ("Cost per additional placement", _yuan(self.cost)),
                ("Std. error (delta method)", _yuan(self.std_error)),
                ("95% interval", f"{_yuan(self.ci_low)} to {_yuan(self.ci_high)}")]
        return rows + [(f"Note {i}", note) for i, note in enumerate(self.notes, 1)]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        caption = {None: "Total", "kind": "By subsidy kind (parts add up to the total)",
                   "district": "By the trained person's district",
                   "street": "By the trained person's street",
                   "year": "By the year the course ended"}[self._by]
        return [(caption, self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return "cost_per_additional_placement", {
            "effect": self._e, "n_treated": self.n_treated,
            "placements_treated": self.placements_treated, "additional": self.additional,
            "counterfactual": self.counterfactual, "deadweight_share": self.deadweight_share,
            "outlays": self.outlays, "cost_per_additional_placement": self.cost,
            "std_error": self.std_error, "ci_low": self.ci_low, "ci_high": self.ci_high}

    def __repr__(self) -> str:
        return (f"AdditionalCostResults(cost={self.cost:.4g}, std_error={self.std_error:.4g}, "
                f"additional={self.additional:.4g}, deadweight_share="
                f"{self.deadweight_share:.3g}, by={self._by!r})")
