"""The rows of the release policy (see ``evaluation.release_policy``): per table, each column
written, in the order written, then the ledger's columns that are withheld."""

from __future__ import annotations

from dataclasses import dataclass

RELEASED, COARSENED, QUASI_IDENTIFIER = "released as is", "coarsened", "quasi-identifier"
PSEUDONYMISED, WITHHELD = "pseudonymised", "withheld"


@dataclass(frozen=True)
class Rule:
    column: str
    treatment: str
    how: str
    reason: str


R = Rule
MONTH = "calendar month (YYYY-MM)"
QI_MONTH = "calendar month, then quarter (YYYY-Qn), year (YYYY) or missing as k-anonymity needs"
PID = R("pid", PSEUDONYMISED, "HMAC-SHA256 of the ledger id under the release's key",
        "joins a person's rows within one release, and no further")
EVENT_DATE = "an outsider seldom knows the month of this event; the day is withheld"
ECHO = ("missing where the person's street is withheld, since joined to courses it would "
        "pick out the course, and so the street")
PLACE = ("where the person lives or works; outsiders know it",)
IDENTIFYING = "identifies the person directly"
FREE_TEXT = "free text may name people or places"
STAFF = "names staff, not needed for analysis"

RULES: dict[str, tuple[Rule, ...]] = {
    "persons": (
        PID,
        R("sex", QUASI_IDENTIFIER, "as recorded, or missing", "visible to anyone"),
        R("age_band", QUASI_IDENTIFIER, "age at registration in bands 16-24 … 55+, then "
          "16-34/35-54/55+, then missing", "age is known to neighbours; the birth date is "
          "withheld"),
        R("education", QUASI_IDENTIFIER, "level, then basic/secondary/higher, then missing",
          "known to acquaintances"),
        R("category", QUASI_IDENTIFIER, "category, then jobseeker/other, then missing",
          "known to acquaintances; analyses need at least whether a jobseeker"),
        R("district", QUASI_IDENTIFIER, "district code, missing only when suppressed", *PLACE),
        R("street", QUASI_IDENTIFIER, "street code, or missing (the district's)", *PLACE),
        R("registered_month", QUASI_IDENTIFIER, QI_MONTH, "a registration may be seen"),
        R("months_out_at_registration", QUASI_IDENTIFIER, "whole months from "
          "out_of_work_since to the registration day, floored at 0, in bands 0-2, 3-5 … 21-23 "
          "and 24+, then 0-5/6-11/12-23/24+, then 0-11/12+, then missing (missing too where "
          "the ledger has no date)", "a lay-off is known at work and at home, so this is a "
          "quasi-identifier (derived from two dates); but a length of time says nothing of "
          "the calendar by itself, and the registration month it counts back from is a "
          "quasi-identifier already, so it is at least as safe as the month out of work it "
          "replaces: it dates the lay-off no closer than the registration month shown does"),
        R("prior_wage", RELEASED, "monthly yuan", "what analyses compare; not known outside"),
        R("hardship", QUASI_IDENTIFIER, "as recorded, or missing", "the hardship group is "
          "known in the community"),
        R("name", WITHHELD, "", IDENTIFYING),
        R("id_number", WITHHELD, "", IDENTIFYING + " (sex and age are derived from it)"),
        R("birth_date", WITHHELD, "", "replaced by the age band"),
        R("out_of_work_since", WITHHELD, "", "a day; replaced by "
          "months_out_at_registration (and no employment spell starts or ends in the "
          "extract on or before registration, so none gives the day back)"),
        R("phone", WITHHELD, "", IDENTIFYING),
        R("address", WITHHELD, "", IDENTIFYING),
        R("community_id", WITHHELD, "", "replaced by the street: a community is too small"),
        R("household_members", WITHHELD, "", "a quasi-identifier no analysis uses; keeping it "
          "would cost coarsening of those they do use"),
        R("dependants", WITHHELD, "", "as household_members"),
        R("income_band", WITHHELD, "", "the subsistence band is public in the community, so it "
          "is a quasi-identifier; no analysis uses it"),
        R("skills", WITHHELD, "", "a combination of skills is often unique"),
        R("skills_note", WITHHELD, "", FREE_TEXT),
        R("job_wishes", WITHHELD, "", FREE_TEXT),
        R("living_needs", WITHHELD, "", FREE_TEXT),
        R("id_number_original", WITHHELD, "", IDENTIFYING),
    ),
    "employment": (
        PID,
        R("status", RELEASED, "", "the outcome analyses measure"),
        R("start_month", COARSENED, MONTH + "; missing for a spell begun on or before "
          "registration", EVENT_DATE + "; the spell under way at registration would give "
          "the registration (or lay-off) month back"),
        R("end_month", COARSENED, "the month the next status began (missing: still going on)",
          EVENT_DATE),
        R("monthly_wage", RELEASED, "yuan", "an outcome"),
        R("note", WITHHELD, "", FREE_TEXT),
        R("staff_id", WITHHELD, "", STAFF),
    ),
    "courses": (
        R("course_id", PSEUDONYMISED, "keyed per release", "sequential numbers order events"),
        R("occupation", RELEASED, "", "the course programme is public"),
        R("kind", RELEASED, "", "public"),
        R("street", RELEASED, "", "public; enrolments of people whose street is withheld do "
          "not link to it"),
        R("district", RELEASED, "", "public"),
        R("start_month", COARSENED, MONTH, "the day would help date the trainees' events"),
        R("end_month", COARSENED, MONTH, "as start_month"),
        R("hours", RELEASED, "", "public"),
        R("capacity", RELEASED, "", "public"),
        R("cost_per_trainee", RELEASED, "yuan", "public spending"),
        R("funding_source", RELEASED, "", "public spending"),
        R("title", WITHHELD, "", "names the street and the month"),
        R("provider", WITHHELD, "", "not needed; few providers per street"),
        R("created_by", WITHHELD, "", STAFF),
    ),
    "enrolments": (
        R("enrolment_id", PSEUDONYMISED, "keyed per release", "sequential numbers order "
          "events"),
        R("course_id", PSEUDONYMISED, "keyed per release; " + ECHO, "a course names its "
          "street"),
        R("occupation", COARSENED, "the course's; missing where only one street of the "
          "district would be left", "groups outcomes without giving a withheld street back"),
        R("kind", COARSENED, "as occupation", "as occupation"),
        PID,
        R("status", RELEASED, "", "the treatment analyses compare"),
        R("applied_month", COARSENED, MONTH + "; " + ECHO, EVENT_DATE),
        R("completed_month", COARSENED, MONTH + "; " + ECHO, EVENT_DATE),
        R("dropped_month", COARSENED, MONTH + "; " + ECHO, EVENT_DATE),
        R("dropout_reason", RELEASED, "", "analyses of dropout"),
        R("hours_attended", COARSENED, "total of the attendance rows; " + ECHO,
          "session dates are withheld"),
        R("certificate", COARSENED, "True if a certificate was issued", "its number "
          "identifies the person"),
        R("decision", WITHHELD, "", "the reasons repeat personal data"),
        R("certificate_number", WITHHELD, "", IDENTIFYING),
        R("certificate_date", WITHHELD, "", "a day"),
    ),
    "follow_ups": (
        R("enrolment_id", PSEUDONYMISED, "as in enrolments", "joins the enrolment"),
        PID,
        R("months", RELEASED, "3, 6 or 12", "which follow-up"),
        R("due_month", COARSENED, MONTH + "; " + ECHO, EVENT_DATE),
        R("recorded_month", COARSENED, MONTH + "; " + ECHO, EVENT_DATE),
        R("employed", RELEASED, "", "an outcome"),
        R("job_field", COARSENED, "missing where the enrolment's occupation is",
          "it usually repeats the course's subject"),
        R("monthly_wage", RELEASED, "yuan", "an outcome"),
        R("contract_months", RELEASED, "", "an outcome"),
        R("social_insurance", RELEASED, "", "an outcome"),
        R("self_employed", RELEASED, "", "an outcome"),
        R("with_loan", RELEASED, "", "an outcome"),
        R("employer", WITHHELD, "", "identifies the workplace and so the person"),
        R("recorded_by", WITHHELD, "", STAFF),
    ),
    "visits": (
        R("pid", PSEUDONYMISED, "of the household head", PID.reason),
        R("visit_month", COARSENED, MONTH, EVENT_DATE),
        R("income_change", RELEASED, "", "an outcome"),
        R("needs", RELEASED, "codes", "what services answer"),
        R("services", RELEASED, "codes", "what was done"),
        R("members_employed", COARSENED, "count of members with work", "names are withheld"),
        R("next_visit_month", COARSENED, MONTH, EVENT_DATE),
        R("visitors", WITHHELD, "", "names people"),
        R("present", WITHHELD, "", "names people"),
        R("living_conditions", WITHHELD, "", FREE_TEXT),
        R("employment_note", WITHHELD, "", FREE_TEXT),
        R("needs_note", WITHHELD, "", FREE_TEXT),
        R("follow_up", WITHHELD, "", FREE_TEXT),
        R("author_id", WITHHELD, "", STAFF),
    ),
    "placements": (
        R("placement_id", PSEUDONYMISED, "keyed per release", "sequential numbers order "
          "events"),
        PID,
        R("start_month", QUASI_IDENTIFIER, QI_MONTH, "a new job is seen by neighbours"),
        R("contract_months", RELEASED, "", "an outcome"),
        R("monthly_wage", RELEASED, "yuan", "an outcome"),
        R("social_insurance", RELEASED, "", "a subsidy condition"),
        R("insurance_months_paid", COARSENED, "count of paid contributions", "their dates are "
          "withheld"),
        R("insurance_months_late", COARSENED, "count paid after the grace period",
          "as insurance_months_paid"),
        R("followed_course", RELEASED, "", "the evaluation's link"),
        R("enrolment_id", PSEUDONYMISED, "as in enrolments", "joins the enrolment"),
        R("via_referral", COARSENED, "True if through a referral", "the referral is withheld"),
        R("hardship", QUASI_IDENTIFIER, "as recorded; missing where persons withholds it",
          "known in the community"),
        R("policy_placement", RELEASED, "", "a subsidy condition"),
        R("street", QUASI_IDENTIFIER, "of the investing unit; missing where persons withholds "
          "the person's", *PLACE),
        R("district", QUASI_IDENTIFIER, "of the investing unit; missing where persons "
          "withholds the person's", *PLACE),
        R("personnel_file", COARSENED, "True if a file was opened", "its number identifies"),
        R("employer", WITHHELD, "", "identifies the workplace and so the person"),
        R("personnel_file_number", WITHHELD, "", IDENTIFYING),
        R("referral_id", WITHHELD, "", "links to postings that name the unit"),
        R("posting_id", WITHHELD, "", "as referral_id"),
    ),
    "subsidies": (
        R("claim_id", PSEUDONYMISED, "keyed per release", "sequential numbers order events"),
        R("placement_id", PSEUDONYMISED, "as in placements", "joins the placement"),
        PID,
        R("kind", RELEASED, "", "what the cost analysis breaks down"),
        R("amount", RELEASED, "yuan", "the cost"),
        R("funding_level", RELEASED, "", "who paid"),
        R("status", RELEASED, "", "paid or not"),
        R("claimed_month", QUASI_IDENTIFIER, QI_MONTH, "dates the placement"),
        R("paid_month", QUASI_IDENTIFIER, QI_MONTH, "as claimed_month"),
        R("street", QUASI_IDENTIFIER, "the placement's as released", *PLACE),
        R("district", QUASI_IDENTIFIER, "the placement's as released", *PLACE),
        R("decision", WITHHELD, "", "the reasons repeat personal data"),
        R("monthly_amount", WITHHELD, "", "with months, repeats the amount"),
    ),
    "loans": (
        R("loan_id", PSEUDONYMISED, "keyed per release", "sequential numbers order events"),
        PID,
        R("amount", RELEASED, "yuan", "the outcome"),
        R("term_months", RELEASED, "", "the outcome"),
        R("interest_subsidy", RELEASED, "yuan", "the cost"),
        R("status", RELEASED, "", "the step reached"),
        R("applied_month", QUASI_IDENTIFIER, QI_MONTH, "an application may be seen"),
        R("approved", RELEASED, "", "the outcome"),
        R("instalments", COARSENED, "count", "the schedule's dates are withheld"),
        R("instalments_paid", COARSENED, "count", "as instalments"),
        R("instalments_overdue", COARSENED, "count past due on the as-of date",
          "as instalments"),
        R("street", QUASI_IDENTIFIER, "the person's as in persons", *PLACE),
        R("district", QUASI_IDENTIFIER, "the person's as in persons", *PLACE),
        R("purpose", WITHHELD, "", "often names the business"),
        R("business_plan", WITHHELD, "", FREE_TEXT),
        R("annual_rate", WITHHELD, "", "follows from the bank and date"),
        R("project_kind", WITHHELD, "", "with the street, often names the business"),
        R("micro_profit", WITHHELD, "", "follows from project_kind"),
        R("certificate_id", WITHHELD, "", "links to the certificate, whose number identifies "
          "the person"),
    ),
}
