"""Wait for the browser to hold the page's widgets before a kernel thread adds to them.

Voila draws the page, then the browser asks the kernel for every widget's state. Widgets a
thread created and attached while that answer was being made were sometimes missing from it,
and the browser drew an error box ("widget model not found") in their place. Long work
therefore begins once the answer has gone (widgets made after it reach the browser in order,
one message each), or after ``WAIT_S`` without a browser (nbval, a kernel nobody watches).
"""

from __future__ import annotations

import threading

from ipywidgets.widgets import widget as ipywidget

WAIT_S = 20.0
_answered = threading.Event()
_installed = False


def install() -> None:
    """Note when the browser has been sent the widgets' states (idempotent)."""
    global _installed
    if _installed:
        return
    original = ipywidget.Widget._handle_control_comm_msg.__func__

    def answered(cls, msg) -> None:
        original(cls, msg)
        _answered.set()

    ipywidget.Widget._handle_control_comm_msg = classmethod(answered)
    _installed = True


def wait() -> bool:
    """Until the browser has the page's widgets (True), or ``WAIT_S`` has passed (False); at
    once outside a kernel (no browser will ask)."""
    from IPython import get_ipython

    if getattr(get_ipython(), "kernel", None) is None:
        return True
    return _answered.wait(WAIT_S)
