// Below 640 px a table of four or more columns reads as cards (sutiao.css, table.cards-on-phone):
// each cell is labelled with its column's heading, so no template has to repeat the headings.
// A template may label its cells itself (data-label) or keep a table as it is (data-keep-table).
(function () {
  "use strict";
  function cards(root) {
    root.querySelectorAll("main table:not([data-keep-table]):not(.changes)").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll(":scope > thead > tr:first-child > th"),
        function (th) { return th.textContent.trim(); });
      if (heads.length < 4) return;
      table.classList.add("cards-on-phone");
      table.querySelectorAll(":scope > tbody > tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && !cell.hasAttribute("colspan") && heads[i]) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }
  cards(document);
  document.addEventListener("htmx:afterSwap", function (event) { cards(event.target); });
})();
