"""Controlled lists. Labels come from the message catalogue, skills from data/skills.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from casework import settings
from casework.i18n import t

CATEGORIES = ("laid_off", "unemployed", "never_employed", "retiree", "new_entrant")
EDUCATION = ("none", "primary", "junior_middle", "senior_middle", "vocational", "college",
             "university")
INCOME_BANDS = ("subsistence", "low", "middle", "high")
EMPLOYMENT_STATUSES = ("unemployed", "employed", "self_employed", "flexible", "in_training",
                       "retired", "moved_away")
SERVICE_KINDS = ("policy_consultation", "career_guidance", "training_referral", "job_referral",
                 "file_custody", "social_insurance_continuation")


def label(vocabulary: str, code: str, lang: str) -> str:
    return t(f"vocab.{vocabulary}.{code}", lang)


def options(vocabulary: str, codes: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    """``(label, code)`` pairs, the shape ipywidgets' Dropdown takes."""
    return [(label(vocabulary, c, lang), c) for c in codes]


@dataclass(frozen=True)
class Skill:
    code: str
    occupation: str
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@cache
def skills() -> dict[str, Skill]:
    with open(settings.data_dir() / "skills.csv", encoding="utf-8") as fh:
        return {row["code"]: Skill(**row) for row in csv.DictReader(fh)}

EXIT_REASONS = ("employed", "moved", "deceased", "not_eligible")
INCOME_CHANGES = ("increased", "unchanged", "decreased")
NEEDS = ("job", "training", "living_assistance", "medical", "housing", "childcare",
         "policy_information")
VISIT_SERVICES = ("career_guidance", "training_referral", "job_referral", "assistance")

COURSE_KINDS = ("reskilling", "labour_preparation", "entrepreneurship")
FUNDING_SOURCES = ("city_fund", "district_fund", "street_fund", "unemployment_insurance",
                   "provider")
DROPOUT_REASONS = ("found_job", "illness", "family", "moved", "no_show", "other")
ENROLMENT_STATUSES = ("waiting", "offered", "enrolled", "completed", "dropped", "declined")


@cache
def occupations() -> dict[str, tuple[str, str]]:
    """``{code: (name_zh, name_en)}`` from data/occupations.csv."""
    with open(settings.data_dir() / "occupations.csv", encoding="utf-8") as fh:
        return {row["code"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(fh)}


def occupation_name(code: str, lang: str) -> str:
    names = occupations().get(code, (code, code))
    return names[0] if lang == "zh" else names[1]

# The notice's ten fields of community jobs (社区就业岗位), in its order.
COMMUNITY_FIELDS = ("community_management", "public_welfare_services", "convenience_services",
                    "unit_logistics", "public_security", "culture", "social_welfare",
                    "social_assistance", "social_security", "retiree_services")
INVESTOR_KINDS = ("street", "community", "service_project", "enterprise")
POSTING_STATUSES = ("open", "filled", "closed")
# lacked_skill: the employer turned the person down for a skill the job asks for (curriculum
# planning counts these per occupation).
REFERRAL_OUTCOMES = ("pending", "hired", "declined", "rejected", "no_show", "lacked_skill")
FUNDING_LEVELS = ("city", "district", "street")
SUBSIDY_KINDS = ("job_development", "differential_purchase")
LOAN_PURPOSES = ("self_employment", "consumption", "other")
# What a small guaranteed loan finances; the micro-profit kinds (微利项目, full interest subsidy
# under 银发〔2002〕394号) are listed in data/policy.toml [loan] micro_profit_kinds.
LOAN_PROJECT_KINDS = ("household_handicraft", "repair", "catering", "laundry_tailoring",
                      "copy_typing", "hairdressing", "kiosk", "removals", "domestic_service",
                      "care_services", "retail_store", "transport", "processing", "farming",
                      "trade", "other")
