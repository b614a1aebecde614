"""The placements app's two lists: placements (with their end) and subsidy claims (sorted,
filtered and paged, with a recovery flag and its reason).

A claim's status takes the shared colours: waiting for a step is due (amber), paid is done
(green), refused is refused (grey), and a claim flagged for recovery is overdue (red), since
money is to be taken back."""

from __future__ import annotations

import html

from casework import vocab
from casework.money import SUBSIDY_STEPS
from casework.services import placements, subsidies
from casework.ui import format as fmt
from casework.ui.common import state_badge, table_html
from casework.ui.shell import AppContext
from casework.ui.table import Column, DataTable, RowLook

CLAIM_STATUSES = (*SUBSIDY_STEPS, "refused")


def who(name: str | None, person_id: int) -> str:
    return f"{name or ''} ({person_id})"


def placements_html(ctx: AppContext, rows: list[placements.PlacementRow]) -> str:
    t, lang = ctx.t, ctx.lang
    if not rows:
        return f"<p>{html.escape(t('placements_ui.no_placements'))}</p>"
    body = "".join(
        f'<tr class="cw-placement{" cw-placement-ended" if r.ended_on else ""}" '
        f'data-placement="{r.id}">'
        f"<td>{html.escape(who(r.name, r.person_id))}</td><td>{html.escape(r.employer)}</td>"
        f"<td>{fmt.date(r.start_date, lang)}</td>"
        f"<td>{fmt.date(r.ended_on, lang) if r.ended_on else ''}</td>"
        f"<td>{fmt.number(r.contract_months)}</td><td>{fmt.yuan(r.monthly_wage, lang)}</td>"
        f"<td>{fmt.number(r.months_paid)}</td>"
        f"<td>{html.escape(r.course_title or '')}</td>"
        f"<td>{html.escape(_flags(ctx, r))}</td></tr>" for r in rows)
    heads = {c: ctx.t("placements_ui.col." + c) for c in (
        "person", "employer", "start", "ended", "contract", "wage", "insurance", "course",
        "flags")}
    heads["wage"] = t("look_apps.col.wage")
    return table_html(heads, body, max_height="16em")


def _flags(ctx: AppContext, row: placements.PlacementRow) -> str:
    flags = [name for name, on in (("hardship", row.hardship),
                                   ("policy_placement", row.policy_placement)) if on]
    return ", ".join(ctx.t(f"placements_ui.flag.{f}") for f in flags)


def claim_state(claim: subsidies.ClaimRow) -> str:
    if claim.recovery_flagged_on:
        return "overdue"
    return {"paid": "done", "refused": "refused"}.get(claim.status, "due")


def claims_table(ctx: AppContext) -> DataTable:
    """An empty list of claims (``cw-claim-list``), newest first; ``set_rows`` fills it."""
    t = ctx.t
    table = DataTable(
        "claims", claim_columns(ctx), lang=ctx.lang, placeholder=t("look_apps.claims_filter"),
        states=[(t(f"placements_ui.claim_status.{s}"), s) for s in CLAIM_STATUSES],
        look=RowLook(classes=lambda c: f"cw-claim cw-claim-{c.status}"
                     + (" cw-claim-recovery" if c.recovery_flagged_on else ""),
                     data=lambda c: {"claim": c.id}, state=claim_state,
                     status=lambda c: c.status))
    table.add_class("cw-claim-list")
    return table


def claim_columns(ctx: AppContext) -> list[Column]:
    t, lang = ctx.t, ctx.lang

    def col(code: str, text, sort_key, **more) -> Column:
        return Column(code, t(f"placements_ui.col.{code}"), text, sort_key=sort_key, **more)

    def status(c: subsidies.ClaimRow) -> str:
        return state_badge(ctx, claim_state(c), t(f"placements_ui.claim_status.{c.status}"))

    return [
        col("claim", lambda c: f"#{c.id}", lambda c: c.id),
        col("person", lambda c: who(c.name, c.person_id), lambda c: c.name or ""),
        col("kind", lambda c: vocab.label("subsidy_kind", c.kind, lang), lambda c: c.kind),
        Column("amount", t("look_apps.col.amount"), lambda c: fmt.yuan(c.amount, lang),
               sort_key=lambda c: c.amount),
        col("fund", lambda c: vocab.label("funding_level", c.funding_level, lang),
            lambda c: c.funding_level),
        col("status", lambda c: t(f"placements_ui.claim_status.{c.status}"),
            lambda c: CLAIM_STATUSES.index(c.status), cell_html=status),
        col("steps", lambda c: " → ".join(t("money.step." + s) for s in c.steps), None),
        col("next_step", lambda c: t("money.step." + c.next_step) if c.next_step else "",
            lambda c: SUBSIDY_STEPS.index(c.next_step) if c.next_step else None),
        col("claimed_on", lambda c: fmt.date(c.claimed_on, lang), lambda c: c.claimed_on),
        col("paid_on", lambda c: fmt.date(c.paid_on, lang) if c.paid_on else "",
            lambda c: c.paid_on),
        col("recovery", lambda c: _recovery(ctx, c), lambda c: c.recovery_flagged_on)]


def _recovery(ctx: AppContext, claim: subsidies.ClaimRow) -> str:
    if not claim.recovery_flagged_on:
        return ""
    mark = ctx.t("subsidies.recovery_mark", date=fmt.date(claim.recovery_flagged_on, ctx.lang))
    reason = claim.recovery_reason.text(ctx.lang) if claim.recovery_reason else ""
    return f"{mark}: {reason}" if reason else mark
