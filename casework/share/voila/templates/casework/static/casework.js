/* One thing Python does not yet do for every app: keyboard access to a table that scrolls in a
   box of its own (WCAG 2.1.1). The box is HTML inside an HTML widget; casework/ui/common.py
   table_html writes tabindex="0" itself, but curriculum_tables.py, progress.py and
   home_visits.py still write their own scrolling <div>. This makes any such box focusable, so
   the arrow keys scroll it.

   Every input is named by its own widget's description (a <label for> bound to it); nothing
   here names inputs, so axe (tests/browser/test_accessibility.py) fails on any that is not. */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".widget-html-content div[style*='overflow']").forEach(
      function (box) { if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); } });
  }
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    Promise.resolve().then(function () { pending = false; fix(); });
  }
  new MutationObserver(schedule).observe(document.documentElement,
                                         { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fix);
})();
