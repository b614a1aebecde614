"""The data dictionary shipped with every extract: each table's columns, in plain words."""

DICTIONARY = {
    "persons": {
        "pid": "Salted pseudonym of the person; the salt is kept outside the extract.",
        "sex": "M or F, from the resident ID number.",
        "age_at_registration": "Whole years on the day of registration on the ledger.",
        "age_band": "16-24, 25-34, 35-44, 45-54 or 55+ at registration.",
        "education": "Highest schooling (none … university); grouped into basic/secondary/"
                     "higher where a small cell required it.",
        "category": "laid_off, unemployed, never_employed, retiree or new_entrant.",
        "district": "GB/T 2260 code of the district or county.",
        "street": "Code of the street office; missing where a small cell required coarsening.",
        "registered_on": "Date of registration on the ledger.",
        "out_of_work_since": "Date the person was laid off or became unemployed.",
        "prior_wage": "Monthly wage in the last job, yuan (missing if none).",
        "income_band": "Household income band.",
        "household_members": "Household size.",
        "dependants": "Dependants in the household.",
        "hardship": "True if registered in the hardship group (both verifications done).",
    },
    "employment": {
        "pid": "Person pseudonym.",
        "status": "Employment status from this date on (dynamic tracking).",
        "since": "Date of the change.",
        "monthly_wage": "Monthly wage in yuan when (self-)employed, if recorded.",
    },
    "courses": {
        "course_id": "Course number.", "occupation": "Subject occupation code.",
        "kind": "reskilling, labour_preparation or entrepreneurship.",
        "street": "Street running the course.", "district": "Its district or county.",
        "start_date": "First day.", "end_date": "Last day.", "hours": "Course hours.",
        "capacity": "Seats.", "cost_per_trainee": "Yuan per trainee.",
        "funding_source": "Which fund paid.",
    },
    "enrolments": {
        "enrolment_id": "Enrolment number.",
        "course_id": "Course (see courses); missing where the person's street is withheld in "
                     "persons, since the course row names its street (people take courses in "
                     "their own street).",
        "occupation": "Subject occupation code of the course, also where course_id is "
                      "missing; then itself missing where only one street of the person's "
                      "district ran a course of that subject and kind.",
        "kind": "reskilling, labour_preparation or entrepreneurship, as occupation; missing "
                "only where even the kind would single out one street.",
        "pid": "Person pseudonym.",
        "status": "waiting, offered, enrolled, completed, dropped or declined.",
        "applied_on": "Date of application; missing where course_id is (this date, the next "
                      "two and the hours echo the course's, so would give it back).",
        "completed_on": "Completion date; missing where course_id is.",
        "dropped_on": "Dropout date; missing where course_id is.",
        "dropout_reason": "Why the person left.",
        "hours_attended": "Hours attended in total; missing where course_id is.",
        "certificate": "True if a certificate was issued.",
    },
    "follow_ups": {
        "enrolment_id": "Enrolment followed up.", "pid": "Person pseudonym.",
        "months": "3, 6 or 12 months after the course ended.",
        "due_on": "When it fell due; missing where the enrolment's course_id is (the date "
                  "would give the course back).",
        "recorded_on": "When it was recorded (missing: not yet, or withheld as due_on; a "
                       "recorded follow-up always has employed filled in).",
        "employed": "Employed (including self-employed) on the follow-up; missing: not yet "
                    "recorded.",
        "job_field": "Occupation code of the job; missing where the enrolment's occupation is "
                     "withheld.", "monthly_wage": "Yuan per month.",
        "contract_months": "Length of the labour contract.",
        "social_insurance": "Social insurance paid.", "self_employed": "Self-employed.",
        "with_loan": "Self-employed with a small guaranteed loan.",
    },
    "visits": {
        "pid": "Pseudonym of the household head.", "visit_date": "Date of the home visit.",
        "income_change": "increased, unchanged or decreased.",
        "needs": "Needs found, comma-separated codes.",
        "services": "Services offered, comma-separated codes.",
        "members_employed": "Working-age members with any work at the visit.",
        "next_visit_date": "Next visit planned.",
    },
    "placements": {
        "placement_id": "Placement number.", "pid": "Person pseudonym.",
        "start_date": "First day of the job.",
        "contract_months": "Length of the labour contract in months.",
        "monthly_wage": "Yuan per month.", "social_insurance": "Social insurance is paid.",
        "insurance_months_paid": "Months of social insurance paid so far.",
        "insurance_months_late": "Of those, months paid more than the grace period "
                                 "(policy.toml [subsidy] insurance_grace_days) after falling "
                                 "due.",
        "followed_course": "True if the placement followed a completed course.",
        "enrolment_id": "That course enrolment (see enrolments), if any.",
        "via_referral": "True if the person was hired through a referral to a posting.",
        "hardship": "In the hardship group at placement.",
        "policy_placement": "A policy placement (政策性安置).",
        "street": "Street of the investing unit (a community counts as its street); missing "
                  "where the person's own street was coarsened in persons.",
        "district": "District or county of the investing unit.",
        "personnel_file": "True if a personnel file was opened (never employed before).",
    },
    "subsidies": {
        "claim_id": "Subsidy claim number.", "placement_id": "Placement the claim is for.",
        "pid": "Pseudonym of the person placed.",
        "kind": "job_development (500 yuan) or differential_purchase.",
        "amount": "Yuan in total.", "funding_level": "Paying fund: city, district or street.",
        "status": "Last step taken (claimed, reviewed, approved, paid) or refused.",
        "claimed_on": "Date of the claim.", "paid_on": "Date paid (missing: not paid).",
        "street": "Street of the investing unit paid; missing as in placements.",
        "district": "Its district or county.",
    },
    "loans": {
        "loan_id": "Loan number.", "pid": "Person pseudonym.", "amount": "Yuan lent.",
        "term_months": "Term in months.",
        "interest_subsidy": "Yuan of interest paid by the fund over the term.",
        "status": "Last step taken (applied, community_recommended, agency_reviewed, "
                  "guarantee_committed, bank_approved) or refused.",
        "applied_on": "Date of application.",
        "approved": "True if the bank approved the loan.",
        "instalments": "Monthly instalments scheduled.",
        "instalments_paid": "Instalments paid.",
        "instalments_overdue": "Instalments unpaid and past due on the extract's as-of date "
                               "(manifest.json).",
        "street": "The person's street as in persons (missing where coarsened).",
        "district": "The person's district.",
    },
}
