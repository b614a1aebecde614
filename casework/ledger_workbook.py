"""Writing ledger workbooks: the empty template with its notes sheet, and the user's own workbook
handed back with an error column. Pure: bytes in, bytes out (``casework.ledger_import`` reads).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from casework import vocab
from casework.i18n import Message, t
from casework.ledger_import import CHOICES, COLUMNS, TEXT_COLUMNS, header

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
TEMPLATE_ROWS = 2000  # rows pre-formatted as text in the number columns


def template_workbook(lang: str, rows: Iterable[Mapping[str, object]] = ()) -> bytes:
    """The ledger sheet (Chinese column names) and a notes sheet in ``lang`` saying what each
    column takes: codes or labels of the lists, dates as YYYY-MM-DD, skills by name.

    ``rows`` (``{column: value}``, a list of skills as a list) fill the sheet below the header:
    empty for the template offered to users; filled by tests and the benchmark.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("ledger_import.sheet", "zh")
    for index, (name, _kind, required) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=header(name))
        cell.font = Font(bold=True, color="C00000" if required else None)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2.2 * len(header(name)))
        if name in TEXT_COLUMNS:
            # An 18-digit number typed into a General cell keeps only 15 significant digits.
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for index, (name, _kind, _req) in enumerate(COLUMNS, start=1):
            value = row.get(name)
            if isinstance(value, list | tuple):
                value = "、".join(value)
            if value is not None:
                sheet.cell(row=number, column=index, value=value)
    _notes(book.create_sheet(t("ledger_import.notes_sheet", lang)), lang)
    return _bytes(book)


def _notes(sheet, lang: str) -> None:
    heads = ("ledger_import.notes.column", "ledger_import.notes.required",
             "ledger_import.notes.how", "ledger_import.notes.values")
    sheet.append([t(key, lang) for key in heads])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name, _kind, required in COLUMNS:
        sheet.append([header(name), t("ledger_import.notes.yes" if required else
                                      "ledger_import.notes.no", lang),
                      t(f"ledger_import.note.{name}", lang), _allowed(name, lang)])
    for letter, width in zip("ABCD", (16, 8, 60, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _allowed(name: str, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    if name in CHOICES:
        return sep.join(f"{vocab.label(name, c, lang)} ({c})" for c in CHOICES[name])
    if name == "skills":
        return sep.join(s.name(lang) for s in vocab.skills().values())
    return ""


def annotate(content: bytes, *, sheet_title: str, errors: Mapping[int, Mapping[str, Message]],
             lang: str) -> bytes:
    """The workbook as the user sent it, with an error column beside the data: on each bad
    row, every problem in ``lang`` after the name of its column. A previous error column is
    reused and emptied, so a corrected workbook sent back in gets a fresh one."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[sheet_title]
    column = _error_column(sheet)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.value, cell.fill = None, PatternFill()
    title = sheet.cell(row=1, column=column, value=t("ledger_import.error_header", lang))
    title.font = Font(bold=True, color="C00000")
    sheet.column_dimensions[get_column_letter(column)].width = 60
    for row, messages in errors.items():
        cell = sheet.cell(row=row, column=column, value=row_error_text(messages, lang))
        cell.fill = ERROR_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _bytes(book)


def row_error_text(errors: Mapping[str, Message], lang: str) -> str:
    """One cell's text: each message after the name of its column, one a line, in the order
    of the workbook's columns."""
    order = [name for name, _kind, _req in COLUMNS]
    ranked = sorted(errors, key=lambda f: order.index(f) if f in order else len(order))
    parts = [t("ledger_import.cell", lang, column=header(f), message=errors[f].text(lang))
             for f in ranked]
    return "\n".join(parts)


def _error_column(sheet) -> int:
    names = {t("ledger_import.error_header", lang) for lang in ("zh", "en")}
    for cell in sheet[1]:
        if cell.value in names:
            return cell.column
    last = max((c.column for c in sheet[1] if c.value not in (None, "")), default=0)
    return last + 1


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
