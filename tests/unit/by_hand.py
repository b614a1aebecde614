"""Computations the estimator tests do by hand, independently of evaluation's code."""

import numpy as np


def expit(v):
    return 1 / (1 + np.exp(-v))


def logit_by_hand(design, t):
    gamma = np.zeros(design.shape[1])
    for _ in range(100):
        e = expit(design @ gamma)
        step = np.linalg.solve((design * (e * (1 - e))[:, None]).T @ design, design.T @ (t - e))
        gamma += step
        if np.abs(step).max() < 1e-13:
            break
    return gamma
