"""How well a jobseeker fits a posting: four factors, each shown, weighted from policy.toml.

Pure: the service layer gathers the values, this module only scores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casework.policy import Policy

FACTORS = ("skills", "wishes", "distance", "hardship")
# Shared path depth (city=1, district=2, street=3, community=4) → closeness.
CLOSENESS = {4: 1.0, 3: 0.6, 2: 0.3}


@dataclass(frozen=True)
class Fit:
    """``factors`` are each in [0, 1]; ``score`` is their weighted sum out of 100."""

    score: float
    factors: dict[str, float]


def skills_factor(required: Iterable[str], has: Iterable[str]) -> float:
    required = set(required)
    if not required:
        return 1.0
    return len(required & set(has)) / len(required)


def wishes_factor(wishes: str | None, job_words: Iterable[str]) -> float:
    """1 when the stated wishes name the job, 0.5 when no wish was stated, else 0."""
    text = (wishes or "").strip().lower()
    if not text:
        return 0.5
    return 1.0 if any(w and w.lower() in text for w in job_words) else 0.0


def distance_factor(posting_path: str, person_path: str) -> float:
    shared = 0
    for a, b in zip(posting_path.strip("/").split("/"), person_path.strip("/").split("/"),
                    strict=False):
        if a != b:
            break
        shared += 1
    return CLOSENESS.get(shared, 0.0)


def fit(policy: Policy, *, required_skills: Iterable[str], job_words: Iterable[str],
        posting_path: str, person_skills: Iterable[str], wishes: str | None, person_path: str,
        hardship: bool) -> Fit:
    factors = {"skills": skills_factor(required_skills, person_skills),
               "wishes": wishes_factor(wishes, job_words),
               "distance": distance_factor(posting_path, person_path),
               "hardship": 1.0 if hardship else 0.0}
    weights = policy["matching"]
    score = 100 * sum(weights[name] * value for name, value in factors.items())
    return Fit(round(score, 1), {k: round(v, 2) for k, v in factors.items()})
