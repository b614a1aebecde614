"""Evaluation tables as people read them: headings and row labels in the page's language
(never a column's code name), percentages with %, yuan with thousands separators, and no more
decimals than the numbers carry."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd

from casework import vocab
from casework.i18n import catalogue, t
from casework.ui import format as fmt

PERCENT = {"completion_rate", "employed_3m", "employed_6m", "employed_12m",
           "placed_within_6_months", "share_subsidised", "deadweight_share"}
YUAN = {"median_wage_6m", "prior_wage", "wage_6m"}
EFFECT = {"estimate", "std_error", "ci_low", "ci_high"}
_DUMMY = re.compile(r"^(?P<base>[a-z_]+?)_(?P<value>\d{4,})$")
_VOCABULARIES = {"kind": "course_kind", "sex": "sex", "education_group": "education"}


def heading(code: object, lang: str) -> str:
    """The heading for a column, index level or row code: ``look.col.<code>`` when the
    catalogue has it, a dummy ``<base>_<number>`` as "<base> <number>", a ``<base>_withheld``
    as "<base> (withheld)"; else the code made readable."""
    text = str(code)
    known = catalogue(lang)
    if f"look.col.{text}" in known:
        return known[f"look.col.{text}"]
    if text.endswith("_withheld"):
        return t("look.withheld", lang, what=heading(text[:-len("_withheld")], lang))
    match = _DUMMY.match(text)
    if match:
        return f"{heading(match['base'], lang)} {match['value']}"
    return fmt.humanize(text) if fmt.is_code_name(text) else text


def value_label(variable: str | None, code: object, lang: str) -> str:
    """A row's code as a word: a vocabulary's label, an occupation's name, or ``heading``."""
    text = str(code)
    vocabulary = _VOCABULARIES.get(variable or "")
    if vocabulary and f"vocab.{vocabulary}.{text}" in catalogue(lang):
        return vocab.label(vocabulary, text, lang)
    if variable == "occupation" or text in vocab.occupations():
        return vocab.occupation_name(text, lang)
    return heading(text, lang)


def note_text(note: object, lang: str) -> str:
    """A group's note ("dropped here (…): a, b", "too small (…)") in the page's language."""
    text = "" if note is None or note != note else str(note)
    dropped = "dropped here (constant or redundant): "
    if text.startswith(dropped):
        names = [heading(n.strip(), lang) for n in text[len(dropped):].split(",")]
        return t("look.note.dropped", lang, names="、".join(names) if lang == "zh"
                 else ", ".join(names))
    if text.startswith("too small"):
        return t("look.note.too_small", lang)
    if text.startswith("not estimated"):
        return t("look.note.not_estimated", lang)
    return text


def cell(column: str, value: object, lang: str, *, outcome: str | None = None) -> str:
    """One value, formatted for its column (and, for an effect, for its outcome)."""
    if isinstance(value, str):
        return note_text(value, lang) if column == "note" else value_label(column, value, lang)
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if column in EFFECT:
        if outcome and outcome in YUAN:
            return fmt.yuan(value, lang)
        return fmt.percent(value)
    if column in PERCENT:
        return fmt.percent(value)
    if column in YUAN:
        return fmt.yuan(value, lang)
    if isinstance(value, int) or float(value).is_integer():
        return fmt.number(value)
    return fmt.number(value, digits=2)


def frame_html(frame: pd.DataFrame, lang: str, *,
               row_label: Callable[[str | None, object], str] | None = None) -> str:
    """A table with translated headings and row labels, and every number formatted."""
    label = row_label or (lambda variable, code: value_label(variable, code, lang))
    names = [n for n in frame.index.names]
    heads = [*(heading(n, lang) if n else "" for n in names),
             *(heading(c, lang) for c in frame.columns)]
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads)
    rows = []
    for index, row in frame.iterrows():
        keys = index if isinstance(index, tuple) else (index,)
        # A group's value is read in the light of its variable (sex F, kind reskilling).
        variables = [keys[0] if len(keys) > 1 and i > 0 else n for i, n in enumerate(names)]
        ths = "".join(f'<th scope="row">{html.escape(label(v, k))}</th>'
                      for v, k in zip(variables, keys, strict=True))
        outcome = row.get("outcome") if "outcome" in frame.columns else None
        tds = "".join(f"<td>{html.escape(cell(str(c), row[c], lang, outcome=outcome))}</td>"
                      for c in frame.columns)
        rows.append(f"<tr>{ths}{tds}</tr>")
    return (f'<div class="cw-scroll" tabindex="0"><table class="cw-table"><thead><tr>{head}'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
