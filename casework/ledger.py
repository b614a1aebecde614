"""Validation of a ledger record (台帐) from plain values. Pure: no database, no widgets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from casework import validation, vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.ids import InvalidIdNumber, parse_resident_id

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")
TEXT_FIELDS = ("address", "skills_note", "job_wishes", "living_needs")
TEXT_LIMITS = {"address": 200}  # the columns' sizes (casework/db/models.py)


def clean_person(values: Mapping, *, today: dt.date) -> dict:
    """Check every field of a ledger record and return the cleaned values.

    Sex and birth date are taken from the ID number; if the caller also entered them and they
    differ, that is an error on the entered field. A 15-digit first-generation number is kept
    as ``id_number_original`` and ``id_number`` holds its 18-digit form, so both forms of one
    person's number meet in the ledger's unique key. Raises ``ValidationError`` with every
    problem.
    """
    errors: dict[str, Message] = {}
    out: dict = {f: validation.text(values, f, errors, max_len=TEXT_LIMITS.get(f))
                 for f in TEXT_FIELDS}
    _check_identity(values, today, out, errors)
    out["phone"] = validation.text(values, "phone", errors, max_len=30)
    if out["phone"] and "phone" not in errors and not PHONE.match(out["phone"]):
        errors["phone"] = Message("ledger.bad_phone")
    _check_choices(values, out, errors)
    _check_household(values, out, errors)
    _check_dates(values, today, out, errors)
    if errors:
        raise ValidationError(errors)
    return out


def _check_identity(values: Mapping, today: dt.date, out: dict, errors: dict) -> None:
    name = validation.text(values, "name", errors, required=True)
    if name and "name" not in errors and len(name) > 30:
        errors["name"] = Message("ledger.name_too_long")
    out["name"] = name
    number = validation.text(values, "id_number", errors, max_len=18, required=True)
    if "id_number" in errors:
        return
    try:
        rid = parse_resident_id(number, today=today)
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.message
        return
    out.update(id_number=rid.number, id_number_original=rid.original, sex=rid.sex,
               birth_date=rid.birth_date)
    if values.get("sex") and values["sex"] != rid.sex:
        errors["sex"] = Message("ledger.sex_mismatch", sex=Message(f"vocab.sex.{rid.sex}"))
    birth = validation.date(values, "birth_date", errors)
    if birth and birth != rid.birth_date:
        errors["birth_date"] = Message("ledger.birth_mismatch", date=rid.birth_date.isoformat())


def _check_choices(values: Mapping, out: dict, errors: dict) -> None:
    for name, allowed, required in (
        ("category", vocab.CATEGORIES, True),
        ("education", vocab.EDUCATION, False),
        ("income_band", vocab.INCOME_BANDS, False),
    ):
        out[name] = validation.choice(values, name, errors, allowed, required=required)
    out["skills"] = validation.choices(values, "skills", errors, vocab.skills())
    skills = values.get("skills")
    if "skills" in errors and isinstance(skills, list | tuple) and all(
            isinstance(s, str) for s in skills):
        unknown = [s for s in skills if s not in vocab.skills()]
        errors["skills"] = Message("ledger.unknown_skills", skills=", ".join(unknown))


def _whole(values: Mapping, name: str, errors: dict) -> int | None:
    """A count typed as text or given as a number; anything else is an error on the field."""
    value = values.get(name)
    if isinstance(value, str) and value.strip().isdigit() and validation.digits(value) is not None:
        value = validation.digits(value)  # a count typed as text: no sign
    if value is None or value == "":
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        errors[name] = Message("ledger.not_a_count")
        return None
    return validation.whole({name: value}, name, errors, low=-(2**31), high=2**31 - 1)


def _check_household(values: Mapping, out: dict, errors: dict) -> None:
    members, dependants = _whole(values, "household_members", errors), _whole(
        values, "dependants", errors)
    if members is not None and not 1 <= int(members) <= 30:
        errors["household_members"] = Message("ledger.bad_members")
    if dependants is not None and (int(dependants) < 0 or
                                   (members is not None and int(dependants) >= int(members))):
        errors["dependants"] = Message("ledger.bad_dependants")
    out["household_members"] = None if members is None else int(members)
    out["dependants"] = None if dependants is None else int(dependants)
    out["prior_wage"] = _whole(values, "prior_wage", errors)


def _check_dates(values: Mapping, today: dt.date, out: dict, errors: dict) -> None:
    since = validation.date(values, "out_of_work_since", errors)
    birth = out.get("birth_date")
    if since and since > today:
        errors["out_of_work_since"] = Message("form.date_in_future")
    elif since and birth and since < birth:
        errors["out_of_work_since"] = Message("ledger.before_birth")
    out["out_of_work_since"] = since or None


def close_names(a: str, b: str) -> bool:
    """Same name, or one character different (a typo or a homophone character)."""
    if a == b:
        return True
    if len(a) != len(b):
        shorter, longer = sorted((a, b), key=len)
        return len(longer) - len(shorter) == 1 and any(
            longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1
