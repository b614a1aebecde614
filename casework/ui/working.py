"""Long work shown as it happens: a progress bar with the step under way, while the sections
already done stay on the page to be read. The work runs in a thread of the kernel so the page
(its header and the bar) is drawn at once; widgets sent from that thread reach the page."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import html
import threading
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from casework.i18n import t
from casework.ui import browser_ready


class Steps(widgets.VBox):
    """``cw-progress``: a bar and a line "Step 2 of 4: estimating the effects"."""

    def __init__(self, lang: str, steps: Sequence[str]) -> None:
        self.lang, self.steps = lang, list(steps)
        self.bar = widgets.IntProgress(value=0, min=0, max=len(self.steps),
                                       description=t("look.working", lang))
        self.bar.style.description_width = "initial"
        self.line = widgets.HTML()
        self.line.add_class("cw-progress-steps")
        super().__init__([self.bar, self.line])
        self.add_class("cw-progress")

    first = 0  # the step a run starts at (a page may skip a step done once for all)

    def start(self) -> None:
        """Show the bar again at its first step, for work done once more (``Job``)."""
        self.remove_class("cw-progress-done")
        self.layout.display = None
        self.begin(self.first)

    def begin(self, index: int) -> None:
        """Step ``index`` (0-based) is under way; those before it are done."""
        self.bar.value = index
        text = t("look.step_of", self.lang, step=index + 1, steps=len(self.steps),
                 what=self.steps[index])
        self.line.value = f'<p role="status" aria-live="polite">{html.escape(text)}</p>'

    def finish(self) -> None:
        self.bar.value = self.bar.max
        self.line.value = f'<p role="status">{html.escape(t("look.done", self.lang))}</p>'
        self.add_class("cw-progress-done")
        self.layout.display = "none"


def run_steps(page: widgets.Box, steps: Steps,
              work: Callable[[Callable[[widgets.Widget], None]], None],
              on_error: Callable[[Exception], widgets.Widget]) -> threading.Thread:
    """Run ``work(add)`` in a thread; ``add(widget)`` puts a finished section on the page above
    the bar. An exception ends the work with ``on_error(exc)`` in place of the bar."""

    def add(widget: widgets.Widget) -> None:
        children = list(page.children)
        children.insert(children.index(steps), widget)
        page.children = children

    def run() -> None:
        browser_ready.wait()
        try:
            work(add)
        except Exception as exc:  # shown on the page: a thread's error would go nowhere
            add(on_error(exc))
        steps.finish()
        give_back_memory()

    browser_ready.install()
    thread = threading.Thread(target=run, daemon=True, name="casework-steps")
    thread.start()
    return thread


def give_back_memory() -> None:
    """Return what long work freed to the system: glibc keeps freed heap (and the thread's own
    arena) for reuse, so a kernel left open on a finished page would hold its peak. About
    12 MB of the training-evaluation page's kernel. A no-op where glibc is not the C library."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class Job:
    """Long work a page may ask for again (another year, a new area): ``start()`` runs
    ``work()`` in a thread of the kernel with ``steps`` shown, one run at a time. Asked again
    while it runs, it runs once more when it ends, so the page shows what was asked last.
    ``on_error(exc)`` shows a failure; ``on_end()`` runs after each run (freeing a button)."""

    def __init__(self, steps: Steps, work: Callable[[], None], *,
                 on_error: Callable[[Exception], None],
                 on_end: Callable[[], None] | None = None) -> None:
        self.steps, self.work, self.on_error, self.on_end = steps, work, on_error, on_end
        self._lock = threading.Lock()
        self._running = self._again = False
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        self.thread = threading.Thread(target=self._run, daemon=True, name="casework-job")
        self.thread.start()

    def _run(self) -> None:
        while True:
            self.steps.start()
            try:
                self.work()
            except Exception as exc:  # shown on the page: a thread's error would go nowhere
                self.on_error(exc)
            self.steps.finish()
            with self._lock:
                if not self._again:
                    self._running = False
                    break
                self._again = False
        give_back_memory()
        if self.on_end is not None:
            self.on_end()
