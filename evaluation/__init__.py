"""Analyses over de-identified research extracts: pandas in, Results objects out.

The public names load their modules on first use (PEP 562): the estimators pull in
statsmodels, which an app that only wants ``evaluation.plotting`` should not pay for.
"""

from importlib import import_module

_WHERE = {
    "estimate_att": "evaluation.att",
    "OverlapWarning": "evaluation.att",
    "PerfectSeparationError": "evaluation.att",
    "PerfectSeparationWarning": "evaluation.att",
    "AttResults": "evaluation.results",
    "AdditionalCostResults": "evaluation.cost_results",
    "CostResults": "evaluation.cost_results",
    "EffectMismatchWarning": "evaluation.additional_cost",
    "UndefinedCostWarning": "evaluation.costs",
    "cost_per_additional_placement": "evaluation.additional_cost",
    "cost_per_placement": "evaluation.costs",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'evaluation' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
