/* Two things Python does not yet do for every app.

   1. Keyboard access to a table that scrolls in a box of its own (WCAG 2.1.1). The box is HTML
      inside an HTML widget; casework/ui/common.py table_html writes tabindex="0" itself, but
      curriculum_tables.py, progress.py and home_visits.py still write their own scrolling <div>.
      This makes any such box focusable, so the arrow keys scroll it.

   2. A name for the few inputs whose app still draws the label as a separate widget instead of
      the input's own description (a bound <label>, as casework/ui/fields.py does for every
      form): only the hooks listed in LEGACY, in curriculum.py, job_postings.py, loans.py and
      training.py. Each such input gets the text of the label just before it as aria-label.
      Remove a hook from the list once its app sets ``description``; any other unnamed input
      is left alone, so axe (tests/browser/test_accessibility.py) fails on it. */
(function () {
  "use strict";
  var LEGACY = [".cw-field-start", ".cw-field-end", ".cw-field-area", "[class*='cw-field-weight_']",
                ".cw-field-posting", ".cw-field-repayment_loan", ".cw-field-course"];
  function named(el) {
    return el.getAttribute("aria-label") || Array.from(el.labels || []).some(
      function (l) { return l.textContent.trim(); });
  }
  function labelBefore(el) {
    var node = el.closest(".jupyter-widgets");
    for (var depth = 0; node && depth < 4; depth++) {
      var before = node.previousElementSibling;
      if (before && before.classList.contains("widget-html")
          && !before.querySelector("table, ul, ol, input, select")) {
        var text = before.textContent.replace(/\s*\*\s*$/, "").replace(/\s+/g, " ").trim();
        if (text && text.length <= 40) { return text; }
      }
      node = node.parentElement && node.parentElement.closest(".jupyter-widgets");
    }
    return "";
  }
  function fix() {
    document.querySelectorAll(".widget-html-content div[style*='overflow']").forEach(
      function (box) { if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); } });
    document.querySelectorAll(LEGACY.map(function (hook) {
      return hook + " input, " + hook + " select";
    }).join(", ")).forEach(function (el) {
      if (!named(el)) {
        var text = labelBefore(el);
        if (text) { el.setAttribute("aria-label", text); }
      }
    });
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
