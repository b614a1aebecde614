"""The results of ``cost_per_additional_placement``: read-only properties, text and HTML
views (the gross cost's results are in :mod:`evaluation.cost_results`)."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.cost_results import _BASIS, _CostMixin, _yuan


class AdditionalCostResults(_CostMixin):
    """Training and subsidy cost per additional person in work, returned by
    ``cost_per_additional_placement``.

    ``std_error`` is the delta-method standard error, given only when the effect's 95% interval
    excludes 0 (otherwise the cost has no finite moments); ``ci_low`` and ``ci_high`` map the
    effect's interval through the cost (``ci_high`` is infinite when that interval reaches 0).
    """

    _title = "Cost per additional placement (training and subsidies)"

    def __init__(self, *, effect, effect_numbers: tuple, notes: list[str], outcome: str,
                 estimand: str, **common) -> None:
        super().__init__(**common)
        self._effect_source = effect
        self._e, self._e_se, self._e_low, self._e_high = effect_numbers
        self._notes, self._outcome, self._estimand = notes, outcome, estimand

    def _number(self, column: str) -> float:
        return float(self._total[column])

    @property
    def outcome(self) -> str:
        """The outcome that fixes the unit and the window (``employed_6m``: in work at the end
        of the 6th month after the course)."""
        return self._outcome

    @property
    def estimand(self) -> str:
        """``enrolled`` or ``completed``: who the trained are."""
        return self._estimand

    @property
    def effect(self) -> float:
        """The effect on the share in work that was used."""
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
    def n_treated(self) -> int:
        """Trained people whose outcome the extract has seen."""
        return int(self._total["n_treated"])

    @property
    def share_in_work(self) -> float:
        """Their share in work at the outcome month (ȳ_T)."""
        return self._number("share_in_work")

    @property
    def in_work(self) -> float:
        """Trained people in work then: the gross count (ȳ_T · n_T)."""
        return self._number("in_work")

    @property
    def additional(self) -> float:
        """People in work whom training added: effect × n_treated."""
        return self._number("additional")

    @property
    def counterfactual(self) -> float:
        """Trained people who would have been in work anyway."""
        return self._number("counterfactual")

    @property
    def deadweight_share(self) -> float:
        """(ȳ_T − effect) / ȳ_T."""
        return self._number("deadweight_share")

    @property
    def training_cost(self) -> float:
        """Yuan of course costs for the trained (cost per trainee of each course taken)."""
        return self._number("training_cost")

    @property
    def subsidy_cost(self) -> float:
        """Yuan of subsidies on their placements that began within the window."""
        return self._number("subsidy_cost")

    @property
    def total_cost(self) -> float:
        """Training and subsidy cost together (the numerator)."""
        return self._number("total_cost")

    @property
    def outlays(self) -> float:
        """The same as ``total_cost``."""
        return self.total_cost

    @property
    def cost_per_person_in_work(self) -> float:
        """Gross: total cost over the trained people in work."""
        return self._number("cost_per_person_in_work")

    @property
    def cost(self) -> float:
        """Total cost per additional person in work, in yuan."""
        return self._number("cost_per_additional_placement")

    @property
    def std_error(self) -> float:
        """Delta-method standard error; NaN when the effect's interval contains 0."""
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
        return source.nobs if hasattr(source, "nobs") else self.n_treated

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
            notes.append("The effect's 95% interval contains 0, so the cost's interval is "
                         "unbounded above and no standard error is given: the data allow that "
                         "training added no one in work.")
        if self._e <= 0:
            notes.append("The effect is 0 or below: the cost per additional placement is "
                         "undefined.")
        return notes

    def _header_rows(self) -> list[tuple[str, str]]:
        e_ci = ("" if math.isnan(self._e_se) else
                f" (s.e. {self._e_se:.4f}; 95% CI {self._e_low:.4f} to {self._e_high:.4f})")
        se = "not given" if math.isnan(self.std_error) else _yuan(self.std_error)
        rows = [("Outcome and window", self._outcome), ("Trained", self._estimand),
                ("Effect on the share in work", f"{self._e:.4f}{e_ci}"),
                ("Outlays counted", _BASIS[self._basis]), ("Grouped by", str(self._by)),
                ("Trained people", str(self.n_treated)),
                ("Of them in work", f"{self.in_work:.1f} ({self.share_in_work:.1%})"),
                ("Additional (effect × trained)", f"{self.additional:.2f}"),
                ("In work anyway", f"{self.counterfactual:.2f}"),
                ("Deadweight share", f"{self.deadweight_share:.1%}"),
                ("Training cost", _yuan(self.training_cost)),
                ("Subsidies in the window", _yuan(self.subsidy_cost)),
                ("Cost per person in work (gross)", _yuan(self.cost_per_person_in_work)),
                ("Cost per additional placement", _yuan(self.cost)),
                ("Std. error (delta method)", se),
                ("95% interval", f"{_yuan(self.ci_low)} to {_yuan(self.ci_high)}")]
        return rows + [(f"Note {i}", note) for i, note in enumerate(self.notes, 1)]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        caption = {None: "Total", "component": "By cost component (parts add up to the total)",
                   "district": "By the trained person's district",
                   "street": "By the trained person's street",
                   "year": "By the year the course ended"}[self._by]
        return [(caption, self._table)]

    def _frame_row(self) -> tuple[str, dict]:
        return "cost_per_additional_placement", {
            "effect": self._e, "n_treated": self.n_treated, "in_work": self.in_work,
            "additional": self.additional, "counterfactual": self.counterfactual,
            "deadweight_share": self.deadweight_share, "training_cost": self.training_cost,
            "subsidy_cost": self.subsidy_cost, "total_cost": self.total_cost,
            "cost_per_additional_placement": self.cost, "std_error": self.std_error,
            "ci_low": self.ci_low, "ci_high": self.ci_high}

    def __repr__(self) -> str:
        return (f"AdditionalCostResults(cost={self.cost:.4g}, additional={self.additional:.4g}, "
                f"deadweight_share={self.deadweight_share:.3g}, by={self._by!r})")
