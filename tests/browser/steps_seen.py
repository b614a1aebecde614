"""Seeing a ``cw-progress`` bar at work without sleeping: a script installed before the page
loads records every line the bar shows (``cw-progress-steps``) as it is put on the page, with
whether the bar was visible then and what a page-given probe saw at that moment."""

from __future__ import annotations

from casework.i18n import t

RECORDER = """
window.__cwSteps = [];
new MutationObserver(records => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      const element = node.nodeType === 1 ? node : node.parentElement;
      const line = element && element.closest && element.closest('.cw-progress-steps');
      if (!line || !node.textContent) continue;
      const bar = line.closest('.cw-progress');
      window.__cwSteps.push({
        text: node.textContent,
        visible: !!bar && getComputedStyle(bar).display !== 'none',
        done: !!bar && bar.classList.contains('cw-progress-done'),
        probe: window.__cwProbe ? window.__cwProbe() : null});
    }
  }
}).observe(document, {subtree: true, childList: true});
"""


def record_steps(page) -> None:
    """Record the bar's lines on every page ``page`` opens from now on."""
    page.add_init_script(RECORDER)


def start_recording(page, probe: str | None = None) -> None:
    """Forget the lines seen so far; ``probe`` (a JavaScript function's source) is called as
    each line appears, and what it returns is kept beside the line."""
    page.evaluate(f"() => {{ window.__cwSteps = []; window.__cwProbe = {probe or 'null'}; }}")


def wait_until_done(page, lang: str) -> list[dict]:
    """Wait for the bar to say it is done, then return the lines it showed, in order."""
    page.wait_for_function("done => window.__cwSteps.some(s => s.text === done)",
                           arg=t("look.done", lang), timeout=180_000)
    return page.evaluate("() => window.__cwSteps")


def step_lines(lang: str, keys: list[str]) -> list[str]:
    """The lines a bar of these steps shows, one per step, then its "Done"."""
    return [t("look.step_of", lang, step=i + 1, steps=len(keys), what=t(key, lang))
            for i, key in enumerate(keys)] + [t("look.done", lang)]
