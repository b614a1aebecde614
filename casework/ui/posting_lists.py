"""The job-postings app's lists: the postings (sorted, filtered and paged, each posting's status
in the shared colours), the ranked candidates of one posting, its referrals, and the postings
that suit one jobseeker.

A posting's status takes the colour of what it asks of the worker: open is still to be filled
(due, amber), filled is done (green), closed was given up (refused, grey)."""

from __future__ import annotations

import html

from casework import matching, vocab
from casework.policy import load_policy
from casework.services import jobs
from casework.ui import format as fmt
from casework.ui.common import state_badge, table_html
from casework.ui.shell import AppContext
from casework.ui.table import Column, DataTable, RowLook

POSTING_STATES = {"open": "due", "filled": "done", "closed": "refused"}


def name_of(row) -> str:
    return row.name or f"#{row.person_id}"


def postings_table(ctx: AppContext) -> DataTable:
    """An empty list of postings (``cw-posting-list``); ``show_postings`` fills it."""
    t, lang = ctx.t, ctx.lang
    table = DataTable(
        "postings", posting_columns(ctx), lang=lang, heading=t("look_apps.postings"),
        placeholder=t("look_apps.postings_filter"), page_size=20,
        states=vocab.options("posting_status", vocab.POSTING_STATUSES, lang),
        look=RowLook(classes=lambda p: f"cw-posting cw-posting-{p.status}",
                     data=lambda p: {"posting": p.id}, state=lambda p: POSTING_STATES[p.status],
                     status=lambda p: p.status))
    table.add_class("cw-posting-list")
    return table


def show_postings(table: DataTable, rows: list[jobs.PostingRow]) -> None:
    """The postings, newest first (the one just posted is at the top of the first page)."""
    table.set_rows(sorted(rows, key=lambda p: (p.opened_on, p.id), reverse=True))


def posting_columns(ctx: AppContext) -> list[Column]:
    t, lang = ctx.t, ctx.lang

    def col(code: str, text, sort_key, **more) -> Column:
        return Column(code, t(f"jobs_ui.col.{code}"), text, sort_key=sort_key, **more)

    def status(p: jobs.PostingRow) -> str:
        return state_badge(ctx, POSTING_STATES[p.status],
                           vocab.label("posting_status", p.status, lang))

    return [
        col("title", lambda p: p.title, lambda p: p.title),
        col("field", lambda p: vocab.label("community_field", p.field, lang), lambda p: p.field),
        col("investor", lambda p: investor_text(ctx, p), lambda p: p.investor_name,
            cell_class=lambda p: "cw-investor cw-investor-new" if p.investor_new
            else "cw-investor"),
        col("unit", lambda p: p.unit_name(lang), lambda p: p.unit_name(lang)),
        col("occupation", lambda p: vocab.occupation_name(p.occupation, lang),
            lambda p: vocab.occupation_name(p.occupation, lang)),
        Column("wage", t("look_apps.col.wage"), lambda p: fmt.yuan(p.monthly_wage, lang),
               sort_key=lambda p: p.monthly_wage),
        col("contract", lambda p: fmt.number(p.contract_months), lambda p: p.contract_months),
        col("openings", lambda p: fmt.number(p.openings), lambda p: p.openings,
            cell_class=lambda p: "cw-openings"),
        col("placed", lambda p: fmt.number(p.placed), lambda p: p.placed,
            cell_class=lambda p: "cw-placed"),
        col("status", lambda p: vocab.label("posting_status", p.status, lang),
            lambda p: p.status, cell_html=status, cell_class=lambda p: "cw-posting-status"),
        col("opened_on", lambda p: fmt.date(p.opened_on, lang), lambda p: p.opened_on)]


def investor_text(ctx: AppContext, p: jobs.PostingRow) -> str:
    """The investing body's kind and name; a newly opened project or enterprise is marked, as
    it is what the job-development subsidy asks for."""
    kind = vocab.label("investor_kind", p.investor_kind, ctx.lang)
    new = f" · {ctx.t('jobs_ui.investor_new_mark')}" if p.investor_new else ""
    return f"{p.investor_name} ({kind}){new}"


def matching_legend(ctx: AppContext) -> str:
    weights = load_policy()["matching"]
    formula = " + ".join(f"{100 * weights[f]:g} × {ctx.t('jobs_ui.factor.' + f)}"
                         for f in matching.FACTORS)
    helps = "".join(f"<li><b>{html.escape(ctx.t('jobs_ui.factor.' + f))}</b>: "
                    f"{html.escape(ctx.t('jobs_ui.factor_help.' + f))}</li>"
                    for f in matching.FACTORS)
    return f"<p>{html.escape(ctx.t('jobs_ui.legend', formula=formula))}</p><ul>{helps}</ul>"


def _factor_cells(match: jobs.Match | jobs.ReferralRow) -> str:
    cells = "".join(f'<td class="cw-factor-{f}">{match.factors.get(f, 0):.2f}</td>'
                    for f in matching.FACTORS)
    return f'{cells}<td class="cw-score">{match.score:.1f}</td>'


def candidates_html(ctx: AppContext, matches: list[jobs.Match], referred: set[int]) -> str:
    body = "".join(
        f'<tr class="cw-candidate{" cw-candidate-referred" if m.person_id in referred else ""}"'
        f' data-person="{m.person_id}"><td>{rank}</td><td>{html.escape(name_of(m))}'
        f"{' · ' + html.escape(ctx.t('jobs_ui.referred_mark')) if m.person_id in referred else ''}"
        f"</td><td>{html.escape(m.community_zh if ctx.lang == 'zh' else m.community_en)}</td>"
        f"{_factor_cells(m)}</tr>" for rank, m in enumerate(matches, 1))
    return table(ctx, ("rank", "name", "community", *matching.FACTORS, "score"), body)


# A referral's outcome in the shared colours: waiting on the employer is due, hired is done.
REFERRAL_STATES = {"pending": "due", "hired": "done"}


def referrals_html(ctx: AppContext, rows: list[jobs.ReferralRow]) -> str:
    def outcome(r: jobs.ReferralRow) -> str:
        return state_badge(ctx, REFERRAL_STATES.get(r.outcome, "refused"),
                           vocab.label("referral_outcome", r.outcome, ctx.lang))

    body = "".join(
        f'<tr class="cw-referral cw-referral-{r.outcome}" data-referral="{r.id}"'
        f' data-person="{r.person_id}"><td>{html.escape(name_of(r))}</td>'
        f"<td>{html.escape(fmt.date(r.referred_on, ctx.lang))}</td>"
        f'{_factor_cells(r)}<td class="cw-outcome">{outcome(r)}</td></tr>' for r in rows)
    return table(ctx, ("name", "referred_on", *matching.FACTORS, "score", "outcome"), body)


def person_matches_html(ctx: AppContext, matches: list[jobs.Match], units: dict[int, str]) -> str:
    body = "".join(
        f'<tr class="cw-person-match" data-posting="{m.posting_id}"><td>{rank}</td>'
        f"<td>{html.escape(m.posting_title)}</td><td>{html.escape(units.get(m.posting_id, ''))}"
        f"</td>{_factor_cells(m)}</tr>" for rank, m in enumerate(matches, 1))
    return table(ctx, ("rank", "title", "unit", *matching.FACTORS, "score"), body)


def table(ctx: AppContext, columns: tuple[str, ...], body: str) -> str:
    """A scrolling table; factor columns are headed by the factor's name."""
    keys = {c: ("jobs_ui.factor." if c in matching.FACTORS else "jobs_ui.col.") + c
            for c in columns}
    return table_html({c: ctx.t(keys[c]) for c in columns}, body, max_height="18em")


def note(ctx: AppContext, key: str) -> str:
    return f"<p>{html.escape(ctx.t('jobs_ui.' + key))}</p>"
