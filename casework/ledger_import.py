"""Ledger workbooks (台帐 in Excel): the template, reading its rows into the ledger form's values,
and the workbook handed back with an error column. Pure: no database, no widgets.

A row is checked by ``casework.ledger.clean_person``, the same rules as the form; this module
only turns cells into the values the form would have sent (labels into codes, names of skills
into their codes, dates, counts) and says which column a message belongs to.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import openpyxl

from casework import vocab
from casework.errors import CaseworkError, ValidationError
from casework.i18n import Message, t
from casework.ids import parse_resident_id
from casework.ledger import clean_person, close_names

# (form field, kind, required). The template's columns, in this order.
COLUMNS = (
    ("id_number", "id", True), ("name", "text", True), ("sex", "sex", False),
    ("birth_date", "date", False), ("community", "community", True),
    ("category", "category", True), ("phone", "text", False), ("address", "text", False),
    ("education", "education", False), ("income_band", "income_band", False),
    ("household_members", "count", False), ("dependants", "count", False),
    ("skills", "skills", False), ("skills_note", "text", False), ("job_wishes", "text", False),
    ("living_needs", "text", False), ("out_of_work_since", "date", False),
    ("prior_wage", "count", False), ("confirm_similar", "yes_no", False),
)
YES, NO = ("是", "yes", "y", "true", "1", "✓", "√"), ("否", "no", "n", "false", "0")
CHOICES = {"sex": ("M", "F"), "category": vocab.CATEGORIES, "education": vocab.EDUCATION,
           "income_band": vocab.INCOME_BANDS}
TEXT_COLUMNS = ("id_number", "phone")  # formatted as text so Excel keeps every digit
SKILL_SEPARATORS = re.compile(r"[、,，;；/\s]+")


class WorkbookUnreadable(CaseworkError):
    """The file is not a ledger workbook: not .xlsx, no data rows, or required columns missing."""

    key = "ledger_import.unreadable"


def header(name: str) -> str:
    """A column's name in the workbook: always the Chinese one, as offices keep their ledgers."""
    return t(f"ledger_import.column.{name}", "zh")


@dataclass(frozen=True)
class Sheet:
    """The ledger sheet of a workbook: its title, where each known column is, and its rows."""

    title: str
    columns: dict[str, int]  # field → 0-based column index
    rows: list[tuple[int, dict[str, object]]]  # (row number in Excel, {field: cell value})


@dataclass
class RowResult:
    row: int
    id_number: str | None  # the 18-digit form, whenever the number itself could be read
    values: dict | None  # the cleaned values, with community_id, when the row is valid
    errors: dict[str, Message] = field(default_factory=dict)  # by column (form field)
    confirmed: bool = False  # checked: not the same as a similar person on the ledger


@dataclass(frozen=True)
class CommunityIndex:
    """Communities by code and by name (either language), and those the importer may write to."""

    by_key: Mapping[str, tuple[int, ...]]
    writable: frozenset[int]

    @classmethod
    def of(cls, units: Iterable[tuple[int, str, str, str, bool]]) -> CommunityIndex:
        """From ``(id, code, name_zh, name_en, writable)``; a name shared by two is ambiguous."""
        by_key: dict[str, set[int]] = {}
        writable = set()
        for unit_id, *keys, may_write in units:
            for key in keys:
                by_key.setdefault(_key(key), set()).add(unit_id)
            if may_write:
                writable.add(unit_id)
        return cls({k: tuple(sorted(v)) for k, v in by_key.items()}, frozenset(writable))


def _key(value: object) -> str:
    return "".join(str(value).split()).casefold()


def read_sheet(content: bytes) -> Sheet:
    """The first sheet whose header row names the required columns (in Chinese or English)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise WorkbookUnreadable("ledger_import.not_xlsx") from exc
    known = {_key(t(f"ledger_import.column.{name}", lang)): name
             for name, _kind, _req in COLUMNS for lang in ("zh", "en")}
    required = [name for name, _kind, req in COLUMNS if req]
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        heads = next(rows, ())
        columns = {known[_key(h)]: i for i, h in enumerate(heads)
                   if h is not None and _key(h) in known}
        if all(name in columns for name in required):
            body = [(n, {f: cells[i] if i < len(cells) else None for f, i in columns.items()})
                    for n, cells in enumerate(rows, start=2) if _filled(cells)]
            if not body:
                raise WorkbookUnreadable("ledger_import.no_rows")
            return Sheet(sheet.title, columns, body)
    raise WorkbookUnreadable("ledger_import.missing_columns",
                             columns="、".join(header(n) for n in required))


def _filled(cells: tuple) -> bool:
    return any(c is not None and str(c).strip() for c in cells)


def validate_rows(sheet: Sheet, *, communities: CommunityIndex, today: dt.date
                  ) -> list[RowResult]:
    """Every row checked by the form's rules, and a number given twice in the file marked."""
    results = [validate_row(n, raw, communities=communities, today=today)
               for n, raw in sheet.rows]
    first_row: dict[str, int] = {}
    for result in results:
        number = result.id_number
        if number in first_row:
            result.errors["id_number"] = Message("ledger_import.repeated_in_file",
                                                 row=first_row[number])
        elif number:
            first_row[number] = result.row
    return results


def mark_on_ledger(results: list[RowResult], known: Mapping[str, int]) -> None:
    """Mark the rows whose person (either form of the number) is already on the ledger."""
    for result in results:
        person_id = known.get(result.id_number or "")
        if person_id:
            result.errors["id_number"] = Message("ledger_import.on_ledger", person_id=person_id)


def mark_similar(results: list[RowResult],
                 ledger: Mapping[dt.date, list[tuple[int, str]]]) -> None:
    """The form's second check: someone on the ledger (``{birth date: [(id, name)]}``) has the
    same birth date and a close name, and the row does not say it was checked."""
    for result in results:
        if result.values is None or result.confirmed or "id_number" in result.errors:
            continue
        name = result.values["name"]
        matches = [f"{other} (#{person_id})" for person_id, other
                   in ledger.get(result.values["birth_date"], ()) if close_names(other, name)]
        if matches:
            result.errors["name"] = Message("ledger_import.possible_duplicate",
                                            matches=", ".join(matches))


def validate_row(row: int, raw: Mapping[str, object], *, communities: CommunityIndex,
                 today: dt.date) -> RowResult:
    """One row through the ledger form's rules; errors are keyed by the row's columns."""
    values, errors = map_row(raw, communities=communities)
    try:
        cleaned = clean_person(values, today=today)
    except ValidationError as exc:
        # A cell that could not be read was passed on empty: its own message says more.
        errors = {**exc.fields, **errors}
        return RowResult(row, _readable_id(values, errors, today), None, errors)
    if errors:
        return RowResult(row, cleaned["id_number"], None, errors)
    return RowResult(row, cleaned["id_number"],
                     {**cleaned, "community_id": values["community_id"]},
                     confirmed=bool(values["confirm_similar"]))


def _readable_id(values: Mapping, errors: Mapping, today: dt.date) -> str | None:
    """The number of a row that failed on other columns, so repeats are found there too."""
    if "id_number" in errors:
        return None
    return parse_resident_id(values["id_number"], today=today).number


def map_row(raw: Mapping[str, object], *, communities: CommunityIndex
            ) -> tuple[dict, dict[str, Message]]:
    """Cells into the values the ledger form sends, and the cells that could not be read."""
    values: dict = {}
    errors: dict[str, Message] = {}
    for name, kind, _required in COLUMNS:
        cell = raw.get(name)
        if isinstance(cell, str):
            cell = cell.strip() or None
        try:
            values[name] = None if cell is None else _READERS[kind](cell, name)
        except _Unreadable as exc:
            values[name], errors[name] = None, exc.message
    community = values.pop("community")
    values["community_id"] = None
    if community is None:
        errors["community"] = Message("form.required")
    else:
        try:
            values["community_id"] = _community(community, communities)
        except _Unreadable as exc:
            errors["community"] = exc.message
    return values, errors


class _Unreadable(Exception):
    def __init__(self, key: str, **params: object) -> None:
        self.message = Message(key, params)


def _id_number(cell: object, _name: str) -> str:
    if isinstance(cell, float):  # Excel kept 15 significant digits of an 18-digit number
        raise _Unreadable("ledger_import.id_as_number")
    return str(cell)


def _text(cell: object, _name: str) -> str:
    """The cell as Excel shows it: a whole number without '.0', a date cell as its date."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _date(cell: object, _name: str) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    try:
        return dt.date.fromisoformat(re.sub(r"[/.]", "-", str(cell).strip()))
    except ValueError:
        raise _Unreadable("ledger_import.bad_date") from None


def _yes_no(cell: object, _name: str) -> bool:
    if _key(cell) in YES:
        return True
    if _key(cell) in NO:
        return False
    raise _Unreadable("ledger_import.yes_no")


def _count(cell: object, _name: str) -> object:
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell  # anything else is judged by the form's rule for counts


def _choice(cell: object, name: str) -> str:
    vocabulary = "sex" if name == "sex" else name
    codes = CHOICES[name]
    wanted = _key(cell)
    for code in codes:
        if wanted in {_key(code), *(_key(vocab.label(vocabulary, code, lang))
                                    for lang in ("zh", "en"))}:
            return code
    raise _Unreadable("ledger_import.choose_one", values=_Labels(vocabulary, codes))


def _skills(cell: object, _name: str) -> list[str]:
    names = {_key(k): s.code for s in vocab.skills().values()
             for k in (s.code, s.name_zh, s.name_en)}
    # An unknown name passes on as typed: the form's rule names it in its message.
    return [names.get(_key(part), part) for part in SKILL_SEPARATORS.split(str(cell)) if part]


def _community(cell: object, index: CommunityIndex) -> int:
    found = index.by_key.get(_key(_text(cell, "community")), ())
    if not found:
        raise _Unreadable("ledger_import.unknown_community", community=str(cell))
    if len(found) > 1:
        raise _Unreadable("ledger_import.ambiguous_community", community=str(cell))
    if found[0] not in index.writable:
        raise _Unreadable("ledger_import.community_out_of_scope", community=str(cell))
    return found[0]


_READERS = {"id": _id_number, "text": _text, "date": _date, "count": _count, "sex": _choice,
            "category": _choice, "education": _choice, "income_band": _choice,
            "skills": _skills, "community": _text, "yes_no": _yes_no}


class _Labels(Message):
    """The allowed values of a list, read in the reader's language."""

    def __init__(self, vocabulary: str, codes: tuple[str, ...]) -> None:
        super().__init__("ledger_import.labels", vocabulary=vocabulary, codes=codes)

    def text(self, lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(vocab.label(self.params["vocabulary"], c, lang)
                        for c in self.params["codes"])

