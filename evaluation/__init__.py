"""Analyses over de-identified research extracts: pandas in, Results objects out."""

from evaluation.att import (
    OverlapWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
    estimate_att,
)
from evaluation.results import AttResults

__all__ = [
    "AttResults",
    "OverlapWarning",
    "PerfectSeparationError",
    "PerfectSeparationWarning",
    "estimate_att",
]
