"""The track record section of the curriculum planning app: read from the research extract the
evaluation pages read (``casework.services.research``), computed by
:func:`evaluation.track_record.track_record`."""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping

import pandas as pd

from casework import vocab
from casework.errors import CaseworkError
from casework.ui.shell import AppContext

COLUMNS = ("trainees", "completion_rate", "employed_6m", "effect", "ci_low", "ci_high",
           "cost_per_trainee")
MIN_TREATED = 30


def load_record(ctx: AppContext, params: Mapping[str, str]) -> tuple[pd.DataFrame, str]:
    """The track record table and its section's HTML; an empty table (and a sentence saying
    why) when there is no extract this account may read."""
    from casework.services import research
    from evaluation import load_extract
    from evaluation.track_record import track_record

    try:
        folder = research.extract_folder(ctx.actor, ctx.uow,
                                         requested=params.get("extract") or None)
    except CaseworkError as exc:
        return pd.DataFrame(), f'<p class="cw-no-record">{html.escape(exc.text(ctx.lang))}</p>'
    try:
        extract = load_extract(folder)
    except ValueError:
        note = ctx.t("curriculum.no_record", folder=folder)
        return pd.DataFrame(), f'<p class="cw-no-record">{html.escape(note)}</p>'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small cells: the overlap warnings are in the table
        table = track_record(extract, min_treated=MIN_TREATED).table
    sentence = ctx.t("curriculum.record_sentence", folder=folder, min=MIN_TREATED)
    return table, f"<p>{html.escape(sentence)}</p>{_html(ctx, table)}"


def _html(ctx: AppContext, table: pd.DataFrame) -> str:
    heads = "".join(f'<th class="cw-col-{c}">{html.escape(ctx.t(f"curriculum.col.{c}"))}</th>'
                    for c in ("subject", *COLUMNS))

    from casework.ui.curriculum_tables import cell

    body = "".join(
        f'<tr data-subject="{code}"><td>{html.escape(vocab.occupation_name(code, ctx.lang))}'
        f"</td>{''.join(f'<td>{cell(table.at[code, c], c)}</td>' for c in COLUMNS)}</tr>"
        for code in table.index)
    return f'<table class="cw-record-table" cellpadding="4"><tr>{heads}</tr>{body}</table>'
