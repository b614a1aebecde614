"""The placements app's two lists as HTML: placements (with their end) and subsidy claims
(with a recovery flag and its reason)."""

from __future__ import annotations

import html

from casework import vocab
from casework.services import placements, subsidies
from casework.ui.common import table_html
from casework.ui.shell import AppContext


def who(name: str | None, person_id: int) -> str:
    return f"{name or ''} ({person_id})"


def placements_html(ctx: AppContext, rows: list[placements.PlacementRow]) -> str:
    t = ctx.t
    if not rows:
        return f"<p>{html.escape(t('placements_ui.no_placements'))}</p>"
    body = "".join(
        f'<tr class="cw-placement{" cw-placement-ended" if r.ended_on else ""}" '
        f'data-placement="{r.id}">'
        f"<td>{html.escape(who(r.name, r.person_id))}</td><td>{html.escape(r.employer)}</td>"
        f"<td>{r.start_date}</td><td>{r.ended_on or ''}</td><td>{r.contract_months}</td>"
        f"<td>{r.monthly_wage}</td><td>{r.months_paid}</td>"
        f"<td>{html.escape(r.course_title or '')}</td>"
        f"<td>{html.escape(_flags(ctx, r))}</td></tr>" for r in rows)
    return _columns_table(ctx, ("person", "employer", "start", "ended", "contract", "wage",
                                "insurance", "course", "flags"), body)


def _flags(ctx: AppContext, row: placements.PlacementRow) -> str:
    flags = [name for name, on in (("hardship", row.hardship),
                                   ("policy_placement", row.policy_placement)) if on]
    return ", ".join(ctx.t(f"placements_ui.flag.{f}") for f in flags)


def claims_html(ctx: AppContext, rows: list[subsidies.ClaimRow]) -> str:
    t, lang = ctx.t, ctx.lang
    if not rows:
        return f"<p>{html.escape(t('placements_ui.no_claims'))}</p>"
    body = "".join(
        f'<tr class="cw-claim cw-claim-{c.status}'
        f'{" cw-claim-recovery" if c.recovery_flagged_on else ""}" data-claim="{c.id}">'
        f"<td>#{c.id}</td><td>{html.escape(who(c.name, c.person_id))}</td>"
        f"<td>{html.escape(vocab.label('subsidy_kind', c.kind, lang))}</td>"
        f"<td>{c.amount}</td>"
        f"<td>{html.escape(vocab.label('funding_level', c.funding_level, lang))}</td>"
        f"<td>{html.escape(t('placements_ui.claim_status.' + c.status))}</td>"
        f"<td>{html.escape(' → '.join(t('money.step.' + s) for s in c.steps))}</td>"
        f"<td>{html.escape(t('money.step.' + c.next_step) if c.next_step else '')}</td>"
        f"<td>{c.claimed_on}</td><td>{c.paid_on or ''}</td>"
        f"<td>{html.escape(_recovery(ctx, c))}</td></tr>" for c in rows)
    return _columns_table(ctx, ("claim", "person", "kind", "amount", "fund", "status", "steps",
                                "next_step", "claimed_on", "paid_on", "recovery"), body)


def _recovery(ctx: AppContext, claim: subsidies.ClaimRow) -> str:
    if not claim.recovery_flagged_on:
        return ""
    mark = ctx.t("subsidies.recovery_mark", date=claim.recovery_flagged_on.isoformat())
    reason = claim.recovery_reason.text(ctx.lang) if claim.recovery_reason else ""
    return f"{mark}: {reason}" if reason else mark


def _columns_table(ctx: AppContext, columns: tuple[str, ...], body: str) -> str:
    return table_html({c: ctx.t("placements_ui.col." + c) for c in columns}, body,
                      max_height="16em")
