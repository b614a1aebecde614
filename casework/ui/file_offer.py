"""The placement form's offer to open a personnel file (notice 四(四), 可为他们建立).

The ``open_file`` checkbox is shown only for a never-employed person with no file in the street
office's custody; for anyone else it is hidden and unticked, so a placement never needs a file.
"""

from __future__ import annotations

from casework.errors import CaseworkError
from casework.services import agency
from casework.ui.forms import Form
from casework.ui.shell import AppContext

FIELD = "open_file"


def offer(ctx: AppContext, form: Form, person_id: int | None) -> None:
    """Show the offer when the service says a file may be opened for ``person_id``."""
    try:
        shown = person_id is not None and agency.file_offer(ctx.actor, ctx.uow,
                                                            person_id=person_id).ok
    except CaseworkError:
        shown = False
    form.rows[FIELD].layout.display = None if shown else "none"
    if not shown:
        form.inputs[FIELD].value = False
