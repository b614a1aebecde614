"""Analyses over de-identified research extracts: pandas in, Results objects out."""

from evaluation.att import (
    OverlapWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
    estimate_att,
)
from evaluation.cost_results import AdditionalCostResults, CostResults
from evaluation.costs import (
    EffectMismatchWarning,
    UndefinedCostWarning,
    cost_per_additional_placement,
    cost_per_placement,
)
from evaluation.results import AttResults

__all__ = [
    "AdditionalCostResults",
    "AttResults",
    "CostResults",
    "EffectMismatchWarning",
    "OverlapWarning",
    "PerfectSeparationError",
    "PerfectSeparationWarning",
    "UndefinedCostWarning",
    "cost_per_additional_placement",
    "cost_per_placement",
    "estimate_att",
]
