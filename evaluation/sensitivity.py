"""E-values: how strong an unmeasured confounder would have to be to explain an effect away.

VanderWeele & Ding (2017). For a risk ratio RR (taken as 1/RR when below 1) the E-value is
``RR + sqrt(RR * (RR - 1))``. An ATT becomes a risk ratio thus:

* binary outcome (only 0/1 values): ``RR = mean_T / (mean_T - ATT)``, the treated's outcome
  share over their counterfactual share (mean_T is held fixed for the interval);
* otherwise, the standardised-difference approximation ``RR = exp(0.91 * d)`` with
  ``d = ATT / sd(outcome among the controls)`` (VanderWeele & Ding 2017, section 5.3).

The interval's E-value is that of the limit closest to the null, and 1 if the interval holds 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EValue:
    """E-values of an estimate and of its confidence limit closest to the null."""

    point: float
    ci_limit: float
    risk_ratio: float
    approximation: str

    def __str__(self) -> str:
        return (f"{self.point:.2f} (confidence limit: {self.ci_limit:.2f}; RR {self.risk_ratio:.3f}"
                f", {self.approximation})")


def e_value(risk_ratio: float) -> float:
    """E-value of a risk ratio (VanderWeele & Ding 2017).

    Parameters
    ----------
    risk_ratio : float
        A positive risk ratio; values below 1 are inverted first.

    Returns
    -------
    float
        ``RR + sqrt(RR * (RR - 1))``, infinite for an infinite or zero risk ratio.
    """
    if not risk_ratio > 0:
        raise ValueError(f"risk_ratio must be positive; got {risk_ratio!r}.")
    rr = risk_ratio if risk_ratio >= 1 else 1 / risk_ratio
    return math.inf if math.isinf(rr) else rr + math.sqrt(rr * (rr - 1))


def att_e_value(estimate: float, ci_low: float, ci_high: float, *, y_treated: np.ndarray,
                y_control: np.ndarray) -> EValue | None:
    """E-values of an ATT on the risk-ratio scale (module docstring); None if undefined.

    Parameters
    ----------
    estimate, ci_low, ci_high : float
        The ATT and its confidence limits.
    y_treated, y_control : numpy.ndarray
        Outcomes of the treated and the controls the estimate used.
    """
    binary = np.isin(y_treated, (0.0, 1.0)).all() and np.isin(y_control, (0.0, 1.0)).all()
    if binary:
        share = float(np.mean(y_treated))

        def ratio(effect: float) -> float:
            base = share - effect
            if effect == 0:
                return 1.0
            return math.inf if base <= 0 or share == 0 else share / base

        approximation = "binary outcome, RR = mean_T / (mean_T - ATT)"
    else:
        sd = float(np.std(y_control, ddof=1)) if y_control.size > 1 else 0.0
        if not sd > 0:
            return None

        def ratio(effect: float) -> float:
            return math.exp(0.91 * effect / sd)

        approximation = "continuous outcome, RR = exp(0.91 * ATT / sd_control)"
    limit = 1.0
    if not ci_low <= 0 <= ci_high:
        limit = e_value(ratio(ci_low if estimate > 0 else ci_high))
    rr = ratio(estimate)
    return EValue(e_value(rr), limit, rr, approximation)
