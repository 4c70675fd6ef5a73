// The admin's autocomplete widget (select2) draws a combobox that names nothing (axe:
// aria-input-field-name): give each the label of the <select> it stands for, for the boxes
// on the page and for those of inline rows added later.
(function () {
  "use strict";
  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling && select.nextElementSibling.querySelector("[role=combobox]");
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!box || !label || box.hasAttribute("aria-label")) return;
      var name = label.textContent.trim().replace(/[:：]$/, "");
      box.setAttribute("aria-label", name);
      // Its inner "textbox" (the choice shown) is a field of its own to assistive technology.
      box.querySelectorAll("[role=textbox]").forEach(function (el) { el.setAttribute("aria-label", name); });
    });
  }
  new MutationObserver(nameBoxes).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameBoxes);
})();
