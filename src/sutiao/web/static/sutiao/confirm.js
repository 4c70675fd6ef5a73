// Irreversible steps: a form with data-confirm asks before it is sent, saying what follows
// (web/templatetags/confirm.py). Served by the app (CSP: script-src 'self').
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form && form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) event.preventDefault();
  }, true);
})();
