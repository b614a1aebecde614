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
    "EValue": "evaluation.sensitivity",
    "e_value": "evaluation.sensitivity",
    "SubgroupResults": "evaluation.subgroups",
    "subgroup_effects": "evaluation.subgroups",
    "AdditionalCostResults": "evaluation.additional_results",
    "CostResults": "evaluation.cost_results",
    "EffectMismatchWarning": "evaluation.additional_cost",
    "UndefinedCostWarning": "evaluation.costs",
    "cost_per_additional_placement": "evaluation.additional_cost",
    "cost_per_placement": "evaluation.costs",
    "Extract": "evaluation.extract",
    "load_extract": "evaluation.extract",
    "TrainingDesign": "evaluation.design",
    "training_design": "evaluation.design",
    "effects_by_group": "evaluation.training",
    "placebo_effect": "evaluation.training",
    "training_effect": "evaluation.training",
    "training_frame": "evaluation.training",
    "time_to_placement": "evaluation.outcomes",
    "training_outcomes": "evaluation.outcomes",
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
