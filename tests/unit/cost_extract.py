"""A hand-built extract for the cost tests (see the docstrings of test_costs.py and
test_additional_cost.py for every number it implies)."""

from pathlib import Path

import pandas as pd

from evaluation.extract import Extract

# pid: street, district, category
PEOPLE = {"a": ("S1", "D1", "laid_off"), "b": ("S1", "D1", "laid_off"),
          "c": ("S2", "D2", "laid_off"), "d": ("S1", "D1", "laid_off"),
          "e": ("S2", "D2", "laid_off"), "f": ("S1", "D1", "laid_off"),
          "g": ("S1", "D1", "retiree")}


def _placement(placement_id, pid, start, street, district):
    return {"placement_id": placement_id, "pid": pid, "start_month": start,
            "contract_months": 36, "monthly_wage": 700, "street": street,
            "district": district}


def _claim(claim_id, placement_id, kind, amount, level, status):
    return {"claim_id": claim_id, "placement_id": placement_id, "kind": kind,
            "amount": amount, "funding_level": level, "status": status}


def hand_built() -> Extract:
    persons = pd.DataFrame([
        {"pid": pid, "sex": "M", "age_band": "35-44", "education": "senior_middle",
         "category": category, "district": district, "street": street,
         "registered_month": "2024-01", "months_out_at_registration": "3-5",
         "prior_wage": 800.0,
         "hardship": False} for pid, (street, district, category) in PEOPLE.items()])
    courses = pd.DataFrame({
        "course_id": [11, 22], "occupation": ["care", "catering"],
        "kind": ["reskilling", "reskilling"], "street": ["S1", "S2"], "district": ["D1", "D2"],
        "start_month": ["2024-03", "2025-03"], "end_month": ["2024-04", "2025-05"],
        "cost_per_trainee": [600, 800]})
    enrolments = pd.DataFrame({
        "pid": ["a", "b", "c", "f"], "course_id": [11, 11, 22, 11],
        "status": ["completed", "completed", "completed", "dropped"],
        "dropped_month": [None, None, None, "2024-03"]})
    employment = pd.DataFrame({
        "pid": ["a", "c", "d"], "status": ["employed", "employed", "employed"],
        "start_month": ["2024-06", "2025-07", "2024-05"], "end_month": [None, None, None],
        "monthly_wage": [700.0, 700.0, 700.0]})
    placements = pd.DataFrame([_placement(1, "a", "2024-06", "S1", "D1"),
                               _placement(2, "c", "2025-07", "S2", "D2"),
                               _placement(3, "d", "2024-05", "S1", "D1"),
                               _placement(4, "e", "2025", None, "D2"),
                               _placement(5, "b", "2024-09", "S1", "D1"),
                               _placement(6, "a", "2025-06", "S1", "D1")])
    subsidies = pd.DataFrame([
        _claim(1, 1, "job_development", 500, "city", "paid"),
        _claim(2, 1, "differential_purchase", 1200, "district", "approved"),
        _claim(3, 2, "job_development", 500, "street", "paid"),
        _claim(4, 3, "differential_purchase", 1200, "city", "paid"),
        _claim(5, 4, "job_development", 500, "district", "refused"),
        _claim(6, 5, "job_development", 500, "city", "claimed"),
        _claim(7, 6, "job_development", 500, "city", "paid")])
    tables = {"persons": persons, "courses": courses, "enrolments": enrolments,
              "employment": employment, "placements": placements, "subsidies": subsidies}
    return Extract(Path("hand-built"), tables, {"as_of": "2026-11-27"})
