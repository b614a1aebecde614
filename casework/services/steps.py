"""Applications that pass through fixed steps (loans, subsidy claims): the shared bookkeeping.

Each step is a row with who, when, approved or refused and a remark; the record's own status
follows. Whether a step may be taken is decided by a pure rule in casework.money.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from casework.access import Actor
from casework.errors import RuleRefused, ValidationError
from casework.i18n import Message
from casework.policy import Decision
from casework.services import audit
from casework.services.uow import UnitOfWork


class StepRefused(RuleRefused):
    """The step may not be taken now (skipped, repeated, closed or the wrong role)."""

    key = "steps.refused"
    only_unmet = True


def taken(uow: UnitOfWork, step_model: type, parent_column, parent_id: int) -> list:
    """The step rows already written for one application, oldest first."""
    return list(uow.session.scalars(select(step_model).where(parent_column == parent_id)
                                    .order_by(step_model.id)))


def refuse_attempt(uow: UnitOfWork, actor: Actor, *, entity: str, entity_id: int, step: str,
                   decision: Decision) -> StepRefused:
    """Audit a refused attempt in its own transaction and return the error to raise."""
    with uow.fresh() as own:
        audit.record(own, actor, action=f"step_{step}", entity=entity, entity_id=entity_id,
                     outcome="denied",
                     after={"reasons": [r.to_json() for r in decision.reasons]})
        own.commit()
    return StepRefused(decision)


def add_step(uow: UnitOfWork, actor: Actor, row: object, parent: object, *, step: str,
             approved: bool, remark: str | None, status: str | None,
             changes: dict | None = None) -> None:
    """Write the step row and (unless ``status`` is None) the parent's new status and any other
    ``changes`` to it, audited together with the parent as it was before the step."""
    if not approved and not (remark or "").strip():
        raise ValidationError({"remark": Message("steps.reason_needed")})
    row.step, row.approved, row.remark = step, approved, (remark or "").strip() or None
    row.staff_id, row.role, row.at = actor.staff_id, actor.role, dt.datetime.now(dt.UTC)
    audit.add(uow, actor, row, action=f"step_{step}")
    if status is None:
        return
    before = audit.snapshot(parent)
    parent.status = status
    for key, value in (changes or {}).items():
        setattr(parent, key, value)
    audit.changed(uow, actor, parent, action=f"step_{step}", before=before)
