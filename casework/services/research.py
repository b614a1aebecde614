"""The research extract an evaluation page reads: only for the roles that may read research
data (``read_research``), and only from a folder under the configured extracts folder."""

from __future__ import annotations

import os
from pathlib import Path

from casework import access, settings
from casework.access import Actor
from casework.extract_paths import ExtractPathRefused, extract_under
from casework.services import audit
from casework.services.uow import UnitOfWork

ACTION, ENTITY = "read_research", "research_extract"


def extract_folder(actor: Actor, uow: UnitOfWork, *, requested: str | None) -> Path:
    """The folder of the extract ``?extract=NAME`` names under ``settings.extracts_dir()``.

    Without a name: ``CASEWORK_EXTRACT`` (the operator's choice, not the visitor's), else the
    demo extract. Raises ``AccessDenied`` for a role without ``read_research`` and
    ``ExtractPathRefused`` for a name that leads anywhere else; both are audited as denied.
    """
    if not access.may(actor, "read_research"):
        raise audit.deny(uow, actor, action=ACTION, entity=ENTITY)
    if requested is None:
        return Path(os.environ.get("CASEWORK_EXTRACT") or settings.extracts_dir() / "demo")
    try:
        return extract_under(settings.extracts_dir(), requested)
    except ExtractPathRefused:
        with uow.fresh() as own:
            audit.record(own, actor, action=ACTION, entity=ENTITY, outcome="denied",
                         after={"requested": requested})
            own.commit()
        raise
