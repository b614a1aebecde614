/* Programmatic labels for the apps' fields (WCAG 1.3.1, 4.1.2). A form lays out a visible label
   beside each field as its own element (casework/ui/forms.py); this gives every input, select
   and textarea that has no accessible name the text of that visible label, or its placeholder,
   as its aria-label, whenever widgets are drawn. The accessible name is the visible label. */
(function () {
  "use strict";
  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title) {
      return true;
    }
    return Array.from(el.labels || []).some(function (l) { return l.textContent.trim(); });
  }
  function clean(text) { return text.replace(/\s*\*\s*$/, "").replace(/\s+/g, " ").trim(); }
  function shortText(widget) {
    // A widget that reads as a label: short text, or the last heading of a heading block.
    if (!widget || !(widget.classList.contains("widget-html")
                     || widget.classList.contains("widget-label"))) { return ""; }
    if (widget.querySelector("table, ul, ol, input, select")) { return ""; }
    var headings = widget.querySelectorAll("h1, h2, h3, h4, h5, b, strong, label");
    var text = clean((headings.length ? headings[headings.length - 1] : widget).textContent);
    return text.length <= 40 ? text : "";
  }
  function besideLabel(el) {
    // The label is the widget just before the field (or before a box that holds it).
    var node = el.closest(".jupyter-widgets") || el.parentElement;
    for (var depth = 0; node && node !== document.body && depth < 6; depth++) {
      var text = shortText(node.previousElementSibling);
      if (text) { return text; }
      node = node.parentElement;
    }
    return "";
  }
  function label() {
    document.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "hidden" || hasName(el)) { return; }
      var text = besideLabel(el) || clean(el.placeholder || "");
      if (text) { el.setAttribute("aria-label", text); }
    });
    // A table that scrolls in its own box can be scrolled from the keyboard.
    document.querySelectorAll(".widget-html-content div[style*='overflow']").forEach(
      function (box) { if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); } });
  }
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    Promise.resolve().then(function () { pending = false; label(); });
  }
  new MutationObserver(schedule).observe(document.documentElement,
                                         { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", label);
})();
