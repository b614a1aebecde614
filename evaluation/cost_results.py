"""Results objects for the subsidy-cost functions: read-only properties, text and HTML views."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.results import _SummaryMixin

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
