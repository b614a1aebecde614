"""The data dictionary shipped with every extract: each table's columns in plain words, with
the release policy's treatment of each (``evaluation.release_policy``) beside it."""

from __future__ import annotations

from evaluation.release_policy import TABLES, WITHHELD, rules

NOTES = {
    "dates": "Every date is released as a calendar month (YYYY-MM), never as a day. A month "
             "that is a quasi-identifier (registration, placement start, subsidy claim and "
             "payment, loan application) may be shown as its quarter (YYYY-Qn) or year "
             "(YYYY), or be missing, where k-anonymity needed it. The day a person was out "
             "of work since is not released at all, only the months from it to registration "
             "(persons.months_out_at_registration, in bands). Days counted from "
             "registration were considered and rejected: a course's dates are public, so the "
             "days from registration to a course would give the registration day back. "
             "Read periods with evaluation.periods.bounds or periods.months.",
    "point_in_time": "In work at the end of month M: an employment spell of a working status "
                     "with start_month <= M (missing: it began on or before registration) and "
                     "end_month missing or after M. Months lose nothing of this.",
    "outcomes": "The training evaluation (evaluation.training_effect) reads these outcomes "
                "from the employment spells, for the enrolled and their comparison group "
                "alike, counted from the month the course ended (for the comparison group: the "
                "course at whose start they were compared): employed_3m, employed_6m, "
                "employed_12m = in work at the end of the 3rd, 6th, 12th month after it (the "
                "point-in-time rule above, not 'ever employed by then'); wage_3m, wage_6m, "
                "wage_12m = the monthly wage of the work spell in force then, 0 when not in "
                "work; worked_before_course = began a job after registering and before the "
                "course's start month (a placebo: the course cannot have caused it). An "
                "outcome month after the as-of month is not yet observed and left out.",
    "k_anonymity": "In persons, placements, subsidies and loans every combination of the "
                   "quasi-identifiers occurs in at least k rows (manifest.json: k, k_reached, "
                   "quasi_identifiers). Values are generalised only where a group needed it: "
                   "an age band widens, a street gives way to its district, schooling to "
                   "basic/secondary/higher, a category to jobseeker/other, a month to its "
                   "quarter or year, months out of work to wider bands, and what is still "
                   "too rare goes missing. A suppressed "
                   "persons row has every quasi-identifier missing.",
    "pseudonyms": "pid and the record numbers (course_id, enrolment_id, placement_id, "
                  "claim_id, loan_id) are keyed to this release: another release shares none "
                  "of them, unless both were written with the same longitudinal key "
                  "(manifest.json: longitudinal). Rows are in the order of these numbers, "
                  "which says nothing about time.",
    "residual_risk": "k-anonymity holds table by table. The months of events (employment "
                     "spells, enrolments, visits, placements, a claim's month beside its "
                     "placement's quarter) joined on pid can still narrow a group for someone "
                     "who knows them; hence the extract is for named researchers and "
                     "purposes, logged in the release log.",
}

DICTIONARY = {
    "persons": {
        "pid": "Pseudonym of the person in this release.",
        "sex": "M or F, from the resident ID number.",
        "age_band": "Age at registration: 16-24, 25-34, 35-44, 45-54 or 55+; or 16-34, 35-54.",
        "education": "Highest schooling (none … university), or basic/secondary/higher.",
        "category": "laid_off, unemployed, never_employed, retiree or new_entrant; or "
                    "jobseeker (the first three) / other.",
        "district": "GB/T 2260 code of the district or county.",
        "street": "Code of the street office; missing: generalised to the district.",
        "registered_month": "Month of registration on the ledger (or its quarter or year).",
        "months_out_at_registration": "Whole months the person had been out of work on the "
                                      "day they registered, in bands 0-2, 3-5 … 21-23, 24+ "
                                      "(or 0-5, 6-11, 12-23; or 0-11, 12+); missing: no date "
                                      "on the ledger (never out of work), or withheld. A "
                                      "length, not a date, so at least as safe as the month "
                                      "out of work: beside registered_month it dates the "
                                      "lay-off no closer than that month is shown.",
        "prior_wage": "Monthly wage in the last job, yuan (missing if none).",
        "hardship": "True if registered in the hardship group (both verifications done).",
    },
    "employment": {
        "pid": "Person pseudonym.",
        "status": "Employment status during the spell (dynamic tracking).",
        "start_month": "Month the spell began; missing: on or before registration.",
        "end_month": "Month the next status began; missing: going on at the as-of date.",
        "monthly_wage": "Monthly wage in yuan when (self-)employed, if recorded.",
    },
    "courses": {
        "course_id": "Course number in this release.", "occupation": "Subject occupation code.",
        "kind": "reskilling, labour_preparation or entrepreneurship.",
        "street": "Street running the course.", "district": "Its district or county.",
        "start_month": "Month of the first day.", "end_month": "Month of the last day.",
        "hours": "Course hours.", "capacity": "Seats.", "cost_per_trainee": "Yuan per trainee.",
        "funding_source": "Which fund paid.",
    },
    "enrolments": {
        "enrolment_id": "Enrolment number in this release.",
        "course_id": "Course (see courses); missing where the person's street is withheld.",
        "occupation": "Subject occupation code of the course, also where course_id is "
                      "missing; itself missing where it would single out one street.",
        "kind": "Kind of course, as occupation.",
        "pid": "Person pseudonym.",
        "status": "waiting, offered, enrolled, completed, dropped or declined.",
        "applied_month": "Month of application; missing where course_id is.",
        "completed_month": "Month of completion; missing where course_id is.",
        "dropped_month": "Month of dropping out; missing where course_id is.",
        "dropout_reason": "Why the person left.",
        "hours_attended": "Hours attended in total; missing where course_id is.",
        "certificate": "True if a certificate was issued.",
    },
    "follow_ups": {
        "enrolment_id": "Enrolment followed up.", "pid": "Person pseudonym.",
        "months": "3, 6 or 12 months after the course ended.",
        "due_month": "Month it fell due; missing where the enrolment's course_id is.",
        "recorded_month": "Month recorded (missing: not yet, or withheld as due_month).",
        "employed": "Employed (including self-employed); missing: not yet recorded.",
        "job_field": "Occupation code of the job; missing where the enrolment's occupation "
                     "is withheld.", "monthly_wage": "Yuan per month.",
        "contract_months": "Length of the labour contract.",
        "social_insurance": "Social insurance paid.", "self_employed": "Self-employed.",
        "with_loan": "Self-employed with a small guaranteed loan.",
    },
    "visits": {
        "pid": "Pseudonym of the household head.", "visit_month": "Month of the home visit.",
        "income_change": "increased, unchanged or decreased.",
        "needs": "Needs found, comma-separated codes.",
        "services": "Services offered, comma-separated codes.",
        "members_employed": "Working-age members with any work at the visit.",
        "next_visit_month": "Month of the next visit planned.",
    },
    "placements": {
        "placement_id": "Placement number in this release.", "pid": "Person pseudonym.",
        "start_month": "Month the job began (or its quarter or year).",
        "contract_months": "Length of the labour contract in months.",
        "monthly_wage": "Yuan per month.", "social_insurance": "Social insurance is paid.",
        "insurance_months_paid": "Months of social insurance paid so far.",
        "insurance_months_late": "Of those, months paid after the grace period "
                                 "(policy.toml [subsidy] insurance_grace_days).",
        "followed_course": "True if the placement followed a completed course.",
        "enrolment_id": "That course enrolment (see enrolments), if any.",
        "via_referral": "True if the person was hired through a referral to a posting.",
        "hardship": "In the hardship group at placement; missing where withheld.",
        "policy_placement": "A policy placement (政策性安置).",
        "street": "Street of the investing unit; missing where withheld.",
        "district": "District or county of the investing unit; missing where withheld.",
        "personnel_file": "True if a personnel file was opened (never employed before).",
    },
    "subsidies": {
        "claim_id": "Subsidy claim number in this release.",
        "placement_id": "Placement the claim is for.", "pid": "Pseudonym of the person placed.",
        "kind": "job_development (500 yuan) or differential_purchase.",
        "amount": "Yuan in total.", "funding_level": "Paying fund: city, district or street.",
        "status": "Last step taken (claimed, reviewed, approved, paid) or refused.",
        "claimed_month": "Month of the claim (or its quarter or year).",
        "paid_month": "Month paid (or its quarter or year; missing: not paid, or withheld).",
        "street": "Street of the investing unit paid, as in placements or coarser.",
        "district": "Its district or county.",
    },
    "loans": {
        "loan_id": "Loan number in this release.", "pid": "Person pseudonym.",
        "amount": "Yuan lent.", "term_months": "Term in months.",
        "interest_subsidy": "Yuan of interest paid by the fund over the term.",
        "status": "Last step taken (applied, community_recommended, agency_reviewed, "
                  "guarantee_committed, bank_approved) or refused.",
        "applied_month": "Month of application (or its quarter or year).",
        "approved": "True if the bank approved the loan.",
        "instalments": "Monthly instalments scheduled.",
        "instalments_paid": "Instalments paid.",
        "instalments_overdue": "Instalments unpaid and past due on the extract's as-of date "
                               "(manifest.json).",
        "street": "The person's street as in persons, or coarser.",
        "district": "The person's district, as in persons.",
    },
}


def dictionary_json() -> dict:
    """``dictionary.json``: the notes, and per table and column its description with the
    release policy's treatment, how, and why."""
    tables = {}
    for table in TABLES:
        tables[table] = {rule.column: {"description": DICTIONARY[table][rule.column],
                                       "treatment": rule.treatment, "how": rule.how,
                                       "reason": rule.reason}
                         for rule in rules(table) if rule.treatment != WITHHELD}
    withheld = {t: [r.column for r in rules(t) if r.treatment == WITHHELD] for t in TABLES}
    return {"notes": NOTES, "tables": tables, "withheld": withheld}
