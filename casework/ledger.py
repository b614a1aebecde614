"""Validation of a ledger record (台帐) from plain values. Pure: no database, no widgets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from casework import vocab
from casework.errors import ValidationError
from casework.i18n import Message
from casework.ids import InvalidIdNumber, parse_resident_id

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")
TEXT_FIELDS = ("address", "skills_note", "job_wishes", "living_needs")


def clean_person(values: Mapping, *, today: dt.date) -> dict:
    """Check every field of a ledger record and return the cleaned values.

    Sex and birth date are taken from the ID number; if the caller also entered them and they
    differ, that is an error on the entered field. A 15-digit first-generation number is kept
    as ``id_number_original`` and ``id_number`` holds its 18-digit form, so both forms of one
    person's number meet in the ledger's unique key. Raises ``ValidationError`` with every
    problem.
    """
    errors: dict[str, Message] = {}
    out: dict = {f: _text(values.get(f)) for f in TEXT_FIELDS}
    _check_identity(values, today, out, errors)
    out["phone"] = _text(values.get("phone"))
    if out["phone"] and not PHONE.match(out["phone"]):
        errors["phone"] = Message("ledger.bad_phone")
    _check_choices(values, out, errors)
    _check_household(values, out, errors)
    _check_dates(values, today, out, errors)
    if errors:
        raise ValidationError(errors)
    return out


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _check_identity(values: Mapping, today: dt.date, out: dict, errors: dict) -> None:
    name = _text(values.get("name"))
    if not name:
        errors["name"] = Message("form.required")
    elif len(name) > 30:
        errors["name"] = Message("ledger.name_too_long")
    out["name"] = name
    try:
        rid = parse_resident_id(values.get("id_number") or "", today=today)
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.message
        return
    out.update(id_number=rid.number, id_number_original=rid.original, sex=rid.sex,
               birth_date=rid.birth_date)
    if values.get("sex") and values["sex"] != rid.sex:
        errors["sex"] = Message("ledger.sex_mismatch", sex=Message(f"vocab.sex.{rid.sex}"))
    if values.get("birth_date") and values["birth_date"] != rid.birth_date:
        errors["birth_date"] = Message("ledger.birth_mismatch", date=rid.birth_date.isoformat())


def _check_choices(values: Mapping, out: dict, errors: dict) -> None:
    for name, allowed, required in (
        ("category", vocab.CATEGORIES, True),
        ("education", vocab.EDUCATION, False),
        ("income_band", vocab.INCOME_BANDS, False),
    ):
        value = values.get(name) or None
        if value is None and required:
            errors[name] = Message("form.required")
        elif value is not None and value not in allowed:
            errors[name] = Message("form.bad_choice")
        out[name] = value
    skills = list(values.get("skills") or ())
    unknown = [s for s in skills if s not in vocab.skills()]
    if unknown:
        errors["skills"] = Message("ledger.unknown_skills", skills=", ".join(unknown))
    out["skills"] = sorted(set(skills))


def _whole(values: Mapping, name: str, errors: dict) -> int | None:
    """A count typed as text or given as a number; anything else is an error on the field."""
    value = values.get(name)
    if value is None or isinstance(value, int):
        return value
    if str(value).strip().isdigit():
        return int(str(value).strip())
    errors[name] = Message("ledger.not_a_count")
    return None


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
    since = values.get("out_of_work_since")
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
